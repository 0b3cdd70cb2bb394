//! The PDF booklets: parsed with lopdf and checked for what PDF/UA-1 and PDF/A-2a need, for
//! the reader's view (chapters, bookmarks, text), reproducibility, the cache and errors.

mod common;

use std::collections::BTreeMap;

use common::pdf::assert_conformant;
use common::{SiteTest, page, texts};
use lopdf::{Dictionary, Document, Object};

/// A 4 x 4 pixel PNG.
const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 4, 0, 0, 0, 4, 8, 2, 0,
    0, 0, 38, 147, 9, 41, 0, 0, 0, 16, 73, 68, 65, 84, 120, 156, 99, 144, 139, 90, 0, 71, 12, 196,
    113, 0, 191, 35, 17, 129, 37, 205, 143, 251, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

const BOOKLET: &str = "---
title: Guide for carers
subtitle: What to expect
description: A short guide for people who look after children.
kind: booklet
document_control:
  owner: Head of Service
  version: \"2.1\"
  status: approved
  approved_by: Cabinet
  approved_on: 2020-03-05
  review_by: 2030-03-05
---

## About this guide

This guide has two chapters. Start with [the first chapter](first.md).
";

const FIRST: &str = "---
title: The first chapter
order: 1
lint:
  allow:
    heading-order: this page checks that the PDF never skips a level
---

## Getting started

Read the [checklist below](#what-to-check) and the [later chapter](second.md#money-matters).
A note follows.[^1]

#### What to check

1. one
2. two
   - nested item

- [ ] ring the team
- [x] read this guide

| Who | What they do |
|-----|-------------:|
| Carer | Looks after the child |

> [!WARNING]
> Never share a child's address.

> A plain quotation.

Term
: What the term means.

![A blue square](square.png)
![](line.png \"decorative\")

```rust
let team = \"]#panic()\";
```

[^1]: The note's text.
";

const SECOND: &str = "---
title: The second chapter
order: 2
---

## Money matters

Text with Typst syntax: #set page(paper: a3) ]) $x$ <label> @ref // not a comment /* nor this */ `code`.
Visit [the council](https://example.org/a?b=\"c\")[x].

![Chart of \"#set\" \\]) $ @y // z \\\\ costs](square.png)

Link text with [#emph\\[x\\] \\]) \\\\ // text](https://example.org/#frag).

Quotes “curly” ‘single’ – en dash — em dash … ellipsis £5 é ü ß.
";

fn booklet_site() -> SiteTest {
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        ("content/guide/_index.md", BOOKLET),
        ("content/guide/first.md", FIRST),
        ("content/guide/second.md", SECOND),
    ])
    .pdf_only();
    site.write_bytes("content/guide/square.png", PNG);
    site.write_bytes("content/guide/line.png", PNG);
    site
}

fn full_build(site: &SiteTest) -> common::Run {
    let run = site.folio(&["build", "--no-search"]);
    assert!(run.success(), "build failed:\n{}", run.stderr());
    run
}

fn load(site: &SiteTest, path: &str) -> Document {
    readable(Document::load(site.public().join(path)).unwrap_or_else(|e| panic!("{path}: {e}")))
}

/// lopdf's text extraction rejects two optional entries (`/CMapVersion`, `/WMode`) in the
/// fonts' ToUnicode maps; drop them so the text can be read back.
fn readable(mut doc: Document) -> Document {
    let maps: Vec<lopdf::ObjectId> = doc
        .objects
        .values()
        .filter_map(|o| {
            o.as_dict()
                .ok()?
                .get(b"ToUnicode")
                .ok()?
                .as_reference()
                .ok()
        })
        .collect();
    for id in maps {
        if let Ok(Object::Stream(stream)) = doc.get_object_mut(id)
            && let Ok(content) = stream.decompressed_content()
        {
            let kept: String = String::from_utf8_lossy(&content)
                .lines()
                .filter(|l| !l.starts_with("/CMapVersion") && !l.starts_with("/WMode"))
                .map(|l| format!("{l}\n"))
                .collect();
            stream.set_plain_content(kept.into_bytes());
        }
    }
    doc
}

/// A PDF text string: UTF-16BE with a byte order mark, or PDFDocEncoding (Latin-1 here).
fn text(object: &Object) -> String {
    let bytes = object.as_str().expect("a string");
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).expect("a resolvable object").1
}

fn dict<'a>(doc: &'a Document, parent: &'a Dictionary, key: &str) -> &'a Dictionary {
    deref(
        doc,
        parent
            .get(key.as_bytes())
            .unwrap_or_else(|_| panic!("no /{key}")),
    )
    .as_dict()
    .unwrap_or_else(|_| panic!("/{key} is not a dictionary"))
}

/// A structure element: its type, its alternate text, and its children, in reading order.
#[derive(Debug)]
struct Element {
    kind: String,
    alt: Option<String>,
    /// `/T`: a heading's text.
    title: Option<String>,
    children: Vec<Element>,
}

impl Element {
    fn walk<'a>(&'a self, out: &mut Vec<&'a Element>) {
        out.push(self);
        for c in &self.children {
            c.walk(out);
        }
    }
}

fn structure(doc: &Document) -> Element {
    fn element(doc: &Document, object: &Object, depth: usize) -> Option<Element> {
        assert!(depth < 200, "structure tree too deep");
        let dict = deref(doc, object).as_dict().ok()?;
        // Marked-content and object references are leaves, not elements.
        if dict.get(b"S").is_err() {
            return None;
        }
        let kind = String::from_utf8_lossy(dict.get(b"S").ok()?.as_name().ok()?).into_owned();
        let alt = dict.get(b"Alt").ok().map(text);
        let title = dict.get(b"T").ok().map(text);
        let mut children = Vec::new();
        if let Ok(k) = dict.get(b"K") {
            match deref(doc, k) {
                Object::Array(items) => {
                    children.extend(items.iter().filter_map(|i| element(doc, i, depth + 1)))
                }
                other => children.extend(element(doc, other, depth + 1)),
            }
        }
        Some(Element {
            kind,
            alt,
            title,
            children,
        })
    }
    let root = dict(doc, doc.catalog().unwrap(), "StructTreeRoot");
    let mut children = Vec::new();
    match deref(doc, root.get(b"K").expect("the structure tree has content")) {
        Object::Array(items) => children.extend(items.iter().filter_map(|i| element(doc, i, 0))),
        other => children.extend(element(doc, other, 0)),
    }
    Element {
        kind: "StructTreeRoot".into(),
        alt: None,
        title: None,
        children,
    }
}

fn bookmarks(doc: &Document) -> Vec<(usize, String)> {
    fn walk(doc: &Document, first: Option<&Object>, depth: usize, out: &mut Vec<(usize, String)>) {
        let mut next = first.map(|o| deref(doc, o));
        while let Some(Object::Dictionary(item)) = next {
            out.push((depth, text(item.get(b"Title").unwrap())));
            walk(doc, item.get(b"First").ok(), depth + 1, out);
            next = item.get(b"Next").ok().map(|o| deref(doc, o));
        }
    }
    let outlines = dict(doc, doc.catalog().unwrap(), "Outlines");
    let mut out = Vec::new();
    walk(doc, outlines.get(b"First").ok(), 0, &mut out);
    out
}

/// The XMP packet's value for `name` (element or attribute form).
fn xmp_value(doc: &Document, name: &str) -> Option<String> {
    let stream = deref(doc, doc.catalog().unwrap().get(b"Metadata").ok()?)
        .as_stream()
        .ok()?;
    let xml = String::from_utf8_lossy(&stream.content).into_owned();
    let element = format!("<{name}>");
    if let Some(at) = xml.find(&element) {
        let rest = &xml[at + element.len()..];
        return Some(rest[..rest.find('<')?].to_string());
    }
    let attribute = format!("{name}=\"");
    let at = xml.find(&attribute)?;
    let rest = &xml[at + attribute.len()..];
    Some(rest[..rest.find('"')?].to_string())
}

#[test]
fn each_booklet_becomes_one_tagged_pdf_next_to_its_pages() {
    let site = booklet_site();
    full_build(&site);
    let pdfs: Vec<_> = site
        .snapshot()
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "pdf"))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(pdfs, [std::path::PathBuf::from("guide/guide.pdf")]);

    let doc = load(&site, "guide/guide.pdf");
    let catalog = doc.catalog().unwrap();
    let mark_info = dict(&doc, catalog, "MarkInfo");
    assert!(mark_info.get(b"Marked").unwrap().as_bool().unwrap());
    assert_eq!(text(catalog.get(b"Lang").unwrap()), "en-GB");
    let prefs = dict(&doc, catalog, "ViewerPreferences");
    assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());

    let info = deref(&doc, doc.trailer.get(b"Info").unwrap())
        .as_dict()
        .unwrap();
    assert_eq!(text(info.get(b"Title").unwrap()), "Guide for carers");
    assert_eq!(text(info.get(b"Author").unwrap()), "Test Council");
    assert_eq!(
        text(info.get(b"Subject").unwrap()),
        "A short guide for people who look after children."
    );

    assert_eq!(xmp_value(&doc, "pdfuaid:part").as_deref(), Some("1"));
    assert_eq!(xmp_value(&doc, "pdfaid:part").as_deref(), Some("2"));
    assert_eq!(xmp_value(&doc, "pdfaid:conformance").as_deref(), Some("A"));

    // Every font is embedded (PDF/A), whatever its kind.
    for (_, object) in doc.objects.iter() {
        if let Ok(d) = object.as_dict()
            && d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor")
        {
            assert!(
                ["FontFile", "FontFile2", "FontFile3"]
                    .iter()
                    .any(|k| d.get(k.as_bytes()).is_ok()),
                "a font is not embedded: {d:?}"
            );
        }
    }
}

#[test]
fn the_structure_tree_carries_headings_lists_tables_figures_and_notes() {
    let site = booklet_site();
    full_build(&site);
    let doc = load(&site, "guide/guide.pdf");
    let tree = structure(&doc);
    let mut all = Vec::new();
    tree.walk(&mut all);
    let kinds: Vec<&str> = all.iter().map(|e| e.kind.as_str()).collect();

    // Headings in reading order never skip a level, and the first is a level 1.
    let levels: Vec<u8> = kinds
        .iter()
        .filter_map(|k| k.strip_prefix('H').and_then(|n| n.parse().ok()))
        .collect();
    assert_eq!(levels.first(), Some(&1), "{kinds:?}");
    for pair in levels.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1,
            "a skipped heading level: {levels:?}"
        );
    }
    // "#### What to check" sits under an h2 in the Markdown: it prints as level 3.
    assert!(levels.contains(&3));
    assert!(!levels.contains(&4), "{levels:?}");

    for wanted in [
        "L",
        "LI",
        "Table",
        "TH",
        "TD",
        "Figure",
        "Link",
        "BlockQuote",
    ] {
        assert!(kinds.contains(&wanted), "no {wanted} element in {kinds:?}");
    }
    let figures: Vec<Option<&str>> = all
        .iter()
        .filter(|e| e.kind == "Figure")
        .map(|e| e.alt.as_deref())
        .collect();
    // The decorative image is an artifact: only the described picture is a figure.
    assert!(figures.contains(&Some("A blue square")), "{figures:?}");
    assert!(
        figures.contains(&Some("Chart of \u{201c}#set\u{201d} ]) $ @y // z \\ costs")),
        "hostile alt text did not round-trip: {figures:?}"
    );
    assert!(figures.iter().all(|alt| alt.is_some_and(|a| !a.is_empty())));
}

#[test]
fn the_validator_finds_no_pdf_ua_or_pdf_a_failures() {
    let site = booklet_site();
    full_build(&site);
    let bytes = std::fs::read(site.public().join("guide/guide.pdf")).unwrap();
    assert_conformant(&bytes, "guide.pdf");
}

#[test]
fn an_image_without_alt_text_is_an_error_at_its_line() {
    let site = booklet_site();
    site.write(
        "content/guide/second.md",
        "---\ntitle: The second chapter\norder: 2\nlint:\n  allow:\n    image-alt: testing the PDF check\n---\n\n## Money matters\n\n![](square.png)\n",
    );
    let run = site.folio(&["build", "--no-search"]);
    let stderr = run.stderr();
    assert_eq!(run.code(), Some(1), "{stderr}");
    let block = stderr
        .split("\n\n")
        .find(|b| b.starts_with("error: ") && b.contains("alt"))
        .unwrap_or_else(|| panic!("no error about alt text:\n{stderr}"));
    assert!(
        block.contains("--> content/guide/second.md:11:"),
        "not at the image's line:\n{block}"
    );
}

#[test]
fn bookmarks_and_text_follow_the_chapters_and_survive_typst_syntax() {
    let site = booklet_site();
    full_build(&site);
    let doc = load(&site, "guide/guide.pdf");
    let marks = bookmarks(&doc);
    let top: Vec<&str> = marks
        .iter()
        .filter(|(d, _)| *d == 0)
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(
        top,
        [
            "Overview",
            "The first chapter",
            "The second chapter",
            "Contact us"
        ]
    );
    assert!(marks.contains(&(1, "Getting started".to_string())));

    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let all_text = doc.extract_text(&pages).unwrap();
    // Text extraction splits runs (highlighted code, links) with spaces: compare without.
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let flat = squeeze(&all_text);
    for wanted in [
        "#set page(paper: a3) ]) $x$ @ref // not a comment /* nor this */ code",
        "Never share a child\u{2019}s address.",
        "let team = \"]#panic()\";",
        "Approved by Cabinet on 5 March 2020",
        "Link text with #emph[x] ]) \\ // text.",
        "Quotes “curly” ‘single’ – en dash — em dash … ellipsis £5 é ü ß.",
    ] {
        assert!(
            flat.contains(&squeeze(wanted)),
            "missing {wanted:?} in:\n{all_text}"
        );
    }
}

#[test]
fn the_download_block_gives_the_real_size_and_page_count() {
    let site = booklet_site();
    full_build(&site);
    let bytes = std::fs::read(site.public().join("guide/guide.pdf")).unwrap();
    let pages = Document::load_mem(&bytes).unwrap().get_pages().len();
    let kb = bytes.len().div_ceil(1024);
    for html in ["guide/index.html", "guide/first/index.html"] {
        let page = site.html(html);
        let title = texts(&page, ".attachment__title");
        assert_eq!(
            title,
            [format!("Guide for carers (PDF, {kb} KB, {pages} pages)")],
            "{html}"
        );
        assert_eq!(
            common::attrs(&page, ".attachment__title a", "href"),
            ["/guide/guide.pdf"]
        );
        // How to ask for another format, landing on that part of the statement.
        assert_eq!(
            common::attrs(&page, ".attachment__metadata a", "href"),
            ["/accessibility/#alternative-formats"],
            "{html}"
        );
    }
    let statement = site.html("accessibility/index.html");
    assert_eq!(
        common::attrs(&statement, "#alternative-formats", "id"),
        ["alternative-formats"]
    );
}

#[test]
fn two_builds_give_identical_bytes_and_the_date_is_the_day_of_the_build() {
    let site = booklet_site();
    let before = chrono::Local::now().date_naive();
    full_build(&site);
    let first = std::fs::read(site.public().join("guide/guide.pdf")).unwrap();
    std::fs::remove_dir_all(site.root().join(".folio")).unwrap();
    full_build(&site);
    let after = chrono::Local::now().date_naive();
    let second = std::fs::read(site.public().join("guide/guide.pdf")).unwrap();
    assert!(first == second, "two builds of the same booklet differ");

    // Not the approval date (5 March 2020): the PDF was made today.
    let doc = Document::load_mem(&first).unwrap();
    let info = deref(&doc, doc.trailer.get(b"Info").unwrap())
        .as_dict()
        .unwrap();
    let created = text(info.get(b"CreationDate").unwrap());
    let day = |d: chrono::NaiveDate| format!("D:{}", d.format("%Y%m%d"));
    assert!(
        created.starts_with(&day(before)) || created.starts_with(&day(after)),
        "{created}"
    );
    let cover = squeeze(&page_texts(&readable(doc))[0]);
    let shown = |d: chrono::NaiveDate| squeeze(&format!("Date {}", d.format("%-d %B %Y")));
    assert!(
        cover.contains(&shown(before)) || cover.contains(&shown(after)),
        "{cover}"
    );
}

#[test]
fn source_date_epoch_sets_the_timestamp() {
    let site = booklet_site();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["--root"])
        .arg(site.root())
        .args(["build", "--no-search"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(run.status.success());
    let doc = load(&site, "guide/guide.pdf");
    let info = deref(&doc, doc.trailer.get(b"Info").unwrap())
        .as_dict()
        .unwrap();
    assert!(text(info.get(b"CreationDate").unwrap()).starts_with("D:20231114"));
    let cover = squeeze(&page_texts(&doc)[0]);
    assert!(cover.contains("Date14November2023"), "{cover}");
}

#[test]
fn unchanged_booklets_are_not_typeset_again() {
    let site = booklet_site();
    site.write(
        "content/notes/_index.md",
        "---\ntitle: Notes\nkind: booklet\n---\n\n## Why\n\nShort.\n",
    );
    let first = full_build(&site);
    assert!(first.stdout().contains("2 PDFs)"), "{}", first.stdout());
    let again = full_build(&site);
    assert!(
        again.stdout().contains("2 PDFs, 2 unchanged)"),
        "{}",
        again.stdout()
    );
    site.write(
        "content/notes/_index.md",
        "---\ntitle: Notes\nkind: booklet\n---\n\n## Why\n\nLonger now.\n",
    );
    let edited = full_build(&site);
    assert!(
        edited.stdout().contains("2 PDFs, 1 unchanged)"),
        "{}",
        edited.stdout()
    );
    let doc = load(&site, "notes/notes.pdf");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert!(doc.extract_text(&pages).unwrap().contains("Longer now."));
}

#[test]
fn no_pdf_builds_skip_the_pdfs_and_their_download_blocks() {
    let site = booklet_site();
    let run = site.folio(&["build", "--no-pdf", "--no-search"]);
    assert!(run.success(), "{}", run.stderr());
    assert!(!site.public().join("guide/guide.pdf").exists());
    assert!(texts(&site.html("guide/index.html"), ".attachment").is_empty());
}

/// Page sizes in points ("420x595") and how many pages have each.
fn page_sizes(doc: &Document) -> BTreeMap<String, usize> {
    doc.get_pages()
        .values()
        .fold(BTreeMap::new(), |mut sizes, &id| {
            let page = doc.get_dictionary(id).unwrap();
            let media = page.get(b"MediaBox").unwrap().as_array().unwrap();
            let w = media[2].as_float().unwrap_or(0.0).round() as i64;
            let h = media[3].as_float().unwrap_or(0.0).round() as i64;
            *sizes.entry(format!("{w}x{h}")).or_default() += 1;
            sizes
        })
}

#[test]
fn a5_paper_is_a_booklet_option() {
    let site = booklet_site();
    full_build(&site);
    let doc = load(&site, "guide/guide.pdf");
    assert_eq!(page_sizes(&doc).keys().collect::<Vec<_>>(), ["595x842"]);
    site.write(
        "content/guide/_index.md",
        &BOOKLET.replace("kind: booklet\n", "kind: booklet\npdf:\n  paper: a5\n"),
    );
    full_build(&site);
    let doc = load(&site, "guide/guide.pdf");
    assert_eq!(page_sizes(&doc).keys().collect::<Vec<_>>(), ["420x595"]);
}

#[test]
fn a5_paper_is_a_site_option_that_a_booklet_can_override() {
    let site = booklet_site();
    site.write(
        "site.yaml",
        &format!("{}pdf:\n  paper: a5\n", common::SITE_YAML),
    );
    site.write(
        "content/notes/_index.md",
        "---\ntitle: Notes\nkind: booklet\npdf:\n  paper: a4\n---\n\n## Why\n\nShort.\n",
    );
    full_build(&site);
    let guide = load(&site, "guide/guide.pdf");
    assert_eq!(page_sizes(&guide).keys().collect::<Vec<_>>(), ["420x595"]);
    let notes = load(&site, "notes/notes.pdf");
    assert_eq!(page_sizes(&notes).keys().collect::<Vec<_>>(), ["595x842"]);
}

#[test]
fn a_character_the_print_fonts_lack_is_a_warning_at_its_line_and_the_pdf_is_made() {
    let site = booklet_site();
    full_build(&site);
    site.write(
        "content/guide/second.md",
        "---\ntitle: The second chapter\norder: 2\n---\n\n## Money matters\n\nWe are glad \u{1200} to help.\n",
    );
    let run = site.folio(&["build", "--no-search"]);
    assert!(run.success(), "{}", run.stderr());
    let stderr = run.stderr();
    assert!(
        stderr.contains(
            "warning[glyph]: the character \u{1200} (U+1200) is in none of the print fonts"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/guide/second.md:8:13"),
        "{stderr}"
    );
    let bytes = std::fs::read(site.public().join("guide/guide.pdf")).unwrap();
    assert_conformant(&bytes, "guide.pdf");
}

/// Text whose characters all mean something to Typst (markup, code, maths, comments,
/// labels, references, shorthands, smart quotes) or look like Markdown, and Unicode
/// punctuation. Each must print exactly as written.
fn hostile_strings() -> Vec<String> {
    let ascii: Vec<String> = (b'!'..=b'~')
        .filter(u8::is_ascii_punctuation)
        .map(|b| (b as char).to_string())
        .collect();
    let mut strings = vec![format!("All of {}", ascii.join(" "))];
    strings.extend(
        [
            // At the start of a line these begin a heading, a list, a numbered list, a
            // term, a function call or a comment in Typst markup.
            "= equals first",
            "== two equals",
            "+ plus first",
            "- minus first",
            "/ slash first: a term?",
            "1. one dot",
            "#panic(\"boom\") at the start",
            "// a line comment",
            "/* a block comment",
            "*/ closes nothing",
            "]) #panic() [( escapes the block",
            "#set text(size: 0pt) #set page(paper: \"a3\")",
            "#import \"/meta.json\": * #read(\"/theme/booklet.typ\")",
            "#{ \"code\" } #let x = 1; #x",
            "$x^2 + y_1$ and $$ alone",
            "<c1> <label> @c1 @ref a@b.c",
            "`raw` ``two`` and ```lang block```",
            "\\ a lone backslash, \\\\ two, and one at the end \\",
            "-- en --- em ... ~ tilde -? shy 'single' \"double\"",
            "https://example.org/bare and www.example.org",
            "*strong* _emph_ ~strike~ ^super^ {braces} |pipe|",
            "&amp; &lt;entity&gt; &#35; look like HTML entities",
            "Unicode “curly” ‘single’ – en — em … « » ‹ › ¡ ¿ § ¶ † ‡ • · ′ ″ € £ © ® ™ ° ± × ÷ → ←",
        ]
        .map(str::to_string),
    );
    strings
}

/// Markdown for `text` read as plain text: every ASCII punctuation character
/// backslash-escaped, which CommonMark allows for all of them.
fn md(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A Markdown code span holding `code` exactly.
fn code_span(code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    format!("{fence} {code} {fence}")
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect()
}

/// Text of each page, in order.
fn page_texts(doc: &Document) -> Vec<String> {
    doc.get_pages()
        .keys()
        .map(|&n| doc.extract_text(&[n]).unwrap())
        .collect()
}

/// The text of every page after the cover without its running header and footer, squeezed,
/// so that text broken over a page reads as one.
fn body_text(doc: &Document, header: &str) -> String {
    let pages = page_texts(doc);
    let total = pages.len();
    let mut body = squeeze(&pages[0]);
    for (i, text) in pages.iter().enumerate().skip(1) {
        let text = squeeze(text);
        let footer = format!("Page{}of{total}", i + 1);
        let text = text
            .strip_prefix(&squeeze(header))
            .expect("a running header");
        body.push_str(text.strip_suffix(&footer).expect("a footer"));
    }
    body
}

fn escaping_site() -> SiteTest {
    let strings = hostile_strings();
    let mut body = String::from("## Paragraphs\n\n");
    for s in &strings {
        body.push_str(&format!("{}\n\n", md(s)));
    }
    body.push_str("## List items\n\n");
    for s in &strings {
        body.push_str(&format!("- {}\n", md(s)));
    }
    body.push_str("\n## Table cells\n\n| Number | Text |\n| --- | --- |\n");
    for (i, s) in strings.iter().enumerate() {
        body.push_str(&format!("| {i} | {} |\n", md(s)));
    }
    body.push_str("\n## Links with titles\n\n");
    for (i, s) in strings.iter().enumerate() {
        body.push_str(&format!(
            "[{}](https://example.org/{i}?q=%22 \"{}\")\n\n",
            md(&format!("Link {i}: {s}")),
            md(&format!("Title {i}: {s}"))
        ));
    }
    body.push_str("## Pictures\n\n");
    for (i, s) in strings.iter().enumerate() {
        body.push_str(&format!(
            "![{}](square.png)\n\n",
            md(&format!("Picture {i}: {s}"))
        ));
    }
    body.push_str("## Code\n\n");
    for (i, s) in strings.iter().enumerate() {
        body.push_str(&format!("Code {i}: {}\n\n", code_span(s)));
        body.push_str(&format!("~~~~\n{s}\n~~~~\n\n"));
    }
    body.push_str("## Notes\n\n");
    for (i, s) in strings.iter().enumerate().take(4) {
        body.push_str(&format!("Note {i}.[^n{i}]\n\n[^n{i}]: {}\n\n", md(s)));
    }
    // Headings whose ids differ only in punctuation, and notes whose names do, each linked
    // to or referenced twice: each needs a label of its own.
    body.push_str(
        "## Ids {#a.b}\n\nSee [the other](#a-b) and notes[^a.b][^a-b].\n\n\
         ## More ids {#a-b}\n\nSee [the first](#a.b) and notes[^a.b][^a-b] again.\n\n\
         [^a.b]: The note a.b.\n\n[^a-b]: The note a-b.\n\n",
    );
    body.push_str(
        "## Raw HTML\n\nRaw <label>inside</label> tags and &lt;kept&gt; entities.\n\n\
         Line<br>break and a\u{2028}separator.\n",
    );
    for s in &strings[..4] {
        body.push_str(&format!("\n## {}\n\nUnder a hostile heading.\n", md(s)));
    }

    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/odd/_index.md",
            "---\ntitle: Odd characters\nkind: booklet\n---\n\n## About\n\nOdd text.\n",
        ),
        (
            "content/odd/text.md",
            &page(
                "Every special character",
                "order: 1\n",
                &format!("\n{body}"),
            ),
        ),
    ])
    .pdf_only();
    // Straight quotes, dashes and dots stay as typed, so the text is compared as it was
    // written; Typst must not turn them into typographic ones either.
    site.write(
        "site.yaml",
        &format!(
            "{}markdown:\n  smart_punctuation: false\n",
            common::SITE_YAML
        ),
    );
    site.write_bytes("content/odd/square.png", PNG);
    site
}

#[test]
fn every_typst_special_character_round_trips_as_literal_text() {
    let site = escaping_site();
    full_build(&site);
    let doc = load(&site, "odd/odd.pdf");
    let flat = body_text(&doc, "Odd characters Test Council");
    let strings = hostile_strings();
    let mut missing = Vec::new();
    let mut want = |what: String| {
        if !flat.contains(&squeeze(&what)) {
            missing.push(what);
        }
    };
    // Each string is a paragraph of its own, so it starts a line of markup, and a list item;
    // each comes back whole and in order.
    let joined = |prefix: &str| {
        strings
            .iter()
            .map(|s| format!("{prefix}{s}"))
            .collect::<String>()
    };
    want(format!("Paragraphs {} List items", joined("")));
    want(format!("List items {} Table cells", joined("•")));
    for (i, s) in strings.iter().enumerate() {
        want(format!("{i} {s}"));
        want(format!("Link {i}: {s} (Title {i}: {s})"));
        // Inline code, then the same as a code block.
        want(format!("Code {i}: {s} {s}"));
    }
    for (i, s) in strings.iter().take(4).enumerate() {
        want(format!("Note {i}."));
        want(format!("{} {s}", i + 1));
        want(format!("{s} Under a hostile heading."));
    }
    want("Raw inside tags and <kept> entities.".into());
    want("Line break and a separator.".into());
    assert!(
        missing.is_empty(),
        "not in the PDF as written: {missing:#?}\n{flat}"
    );
    // The raw tag is markup on the web page, so it is not text in the PDF either.
    assert!(!flat.contains("<label>inside"), "{flat}");
    let web = site.html("odd/text/index.html");
    assert!(
        texts(&web, "p").contains(&"Raw inside tags and <kept> entities.".to_string()),
        "the web page does not read the same"
    );

    // Alternate text reaches the structure tree exactly, with nothing squeezed.
    let tree = structure(&doc);
    let mut elements = Vec::new();
    tree.walk(&mut elements);
    let alts: Vec<&str> = elements
        .iter()
        .filter(|e| e.kind == "Figure")
        .filter_map(|e| e.alt.as_deref())
        .collect();
    let wanted: Vec<String> = strings
        .iter()
        .enumerate()
        .map(|(i, s)| format!("Picture {i}: {s}"))
        .collect();
    assert_eq!(alts, wanted);

    // Headings keep their text in the bookmarks and in the structure tree.
    let marks = bookmarks(&doc);
    let headings: Vec<&str> = elements
        .iter()
        .filter(|e| e.kind.starts_with('H'))
        .filter_map(|e| e.title.as_deref())
        .collect();
    for s in &strings[..4] {
        assert!(marks.iter().any(|(_, t)| t == s), "{s:?} not in {marks:?}");
        assert!(headings.contains(&s.as_str()), "{s:?} not in {headings:?}");
    }
    assert_conformant(
        &std::fs::read(site.public().join("odd/odd.pdf")).unwrap(),
        "odd.pdf",
    );
}

/// The site of `booklet_site` with the organisation's contact details filled in.
fn contact_site() -> SiteTest {
    let site = booklet_site();
    site.write(
        "site.yaml",
        &format!(
            "{}  department: Children's Services\n  email: help@test.example\n  phone: 0151 000 0000\n  address: Town Hall, Bootle L20 7AE\n",
            common::SITE_YAML
        ),
    );
    site
}

#[test]
fn the_template_prints_header_footer_contents_document_control_and_back_page() {
    let site = contact_site();
    full_build(&site);
    let doc = load(&site, "guide/guide.pdf");
    let pages: Vec<String> = page_texts(&doc).iter().map(|t| squeeze(t)).collect();
    let total = pages.len();
    assert!(total > 4, "{pages:#?}");

    // The cover: no running header or footer.
    assert!(
        pages[0].starts_with("TestCouncilChildren'sServicesGuideforcarersWhattoexpect"),
        "{}",
        pages[0]
    );
    for row in [
        "StatusApproved",
        "Version2.1",
        "ApprovedbyCabineton5March2020",
    ] {
        assert!(
            pages[0].contains(row),
            "no {row} on the cover: {}",
            pages[0]
        );
    }
    assert!(!pages[0].contains("Pageof") && !pages[0].contains("Page1of"));
    // Every other page: the booklet's title in the header, "Page N of M" in the footer.
    for (i, text) in pages.iter().enumerate().skip(1) {
        assert!(
            text.starts_with("GuideforcarersTestCouncil"),
            "no running header on page {}: {text}",
            i + 1
        );
        assert!(
            text.ends_with(&format!("Page{}of{total}", i + 1)),
            "no footer \"Page {} of {total}\" on page {}: {text}",
            i + 1,
            i + 1
        );
    }

    // The contents page lists each chapter with the page it starts on.
    let contents = &pages[1];
    assert!(contents.contains("Contents"), "{contents}");
    for title in [
        "Overview",
        "The first chapter",
        "The second chapter",
        "Contact us",
    ] {
        let name = squeeze(title);
        let at = contents
            .find(&name)
            .unwrap_or_else(|| panic!("{title} is not in the contents: {contents}"));
        let rest = contents[at + name.len()..].trim_start_matches('.');
        let number: usize = rest
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or_else(|_| panic!("no page number after {title}: {contents}"));
        let header = "GuideforcarersTestCouncil";
        assert!(
            pages[number - 1][header.len()..].starts_with(&name),
            "the contents say {title} starts on page {number}: {}",
            pages[number - 1]
        );
    }

    // The document control table, after the contents.
    let control = &contents[contents.find("Documentcontrol").expect("document control")..];
    for row in [
        "OwnerHeadofService",
        "Version2.1",
        "ApprovedbyCabinet",
        "Approvedon5March2020",
        "Nextreview5March2030",
    ] {
        assert!(control.contains(row), "no {row} in: {control}");
    }

    // The back page: contact details and how to ask for another format.
    let back = &pages[total - 1];
    for wanted in [
        "Contact us",
        "Test Council, Children's Services",
        "Email help@test.example",
        "Phone 0151 000 0000",
        "Address Town Hall, Bootle L20 7AE",
        "Ask for another format",
        "If you need this booklet in another format, such as large print, easy read, audio or Braille, contact us",
        "https://test.example/guide/",
        "https://test.example/accessibility/",
    ] {
        assert!(
            back.contains(&squeeze(wanted)),
            "no {wanted:?} on the back page: {back}"
        );
    }
}

#[test]
fn a_screen_reader_meets_the_title_then_each_chapter_in_order() {
    let site = booklet_site();
    full_build(&site);
    let doc = load(&site, "guide/guide.pdf");
    let tree = structure(&doc);
    let mut all = Vec::new();
    tree.walk(&mut all);
    let headings: Vec<(u8, &str)> = all
        .iter()
        .filter_map(|e| {
            let level = e.kind.strip_prefix('H')?.parse().ok()?;
            Some((level, e.title.as_deref().unwrap_or("")))
        })
        .collect();
    assert_eq!(
        headings,
        [
            (1, "Guide for carers"),
            (1, "Contents"),
            (1, "Document control"),
            (1, "Overview"),
            (2, "About this guide"),
            (1, "The first chapter"),
            (2, "Getting started"),
            (3, "What to check"),
            (1, "The second chapter"),
            (2, "Money matters"),
            (1, "Contact us"),
            (2, "Ask for another format"),
        ]
    );
}

#[test]
fn the_stream_length_check_reads_a_carriage_return_as_data() {
    use common::pdf::stream_lengths;
    // Data that ends with CR, then the LF before `endstream`: the length counts the CR.
    assert!(
        stream_lengths(b"1 0 obj\n<< /Length 5 >>\nstream\nhell\r\nendstream\nendobj\n").is_ok()
    );
    assert!(
        stream_lengths(b"1 0 obj\n<< /Length 6 >>\nstream\nhello\nendstream\nendobj\n").is_err()
    );
    assert!(
        stream_lengths(b"1 0 obj\n<< /Length 4 >>\nstream\nhello\nendstream\nendobj\n").is_err()
    );
}

/// A one-chapter booklet with the given document control lines.
fn approval_site(control: &str) -> SiteTest {
    SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/guide/_index.md",
            &page(
                "Guide for carers",
                &format!(
                    "kind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"0.3\"\n{control}  review_by: 2030-03-05\n"
                ),
                "## About this guide\n\nText.\n",
            ),
        ),
        (
            "content/guide/first.md",
            &page("The first chapter", "", "## Start\n\nText.\n"),
        ),
    ]).pdf_only()
}

/// What a reader sees of a booklet's approval: the document control rows on its web page,
/// the download block's text, the PDF's cover and each later page's running header.
fn approval_shown(site: &SiteTest) -> (Vec<String>, String, String, Vec<String>) {
    full_build(site);
    let html = site.html("guide/index.html");
    let rows: Vec<String> = texts(&html, ".document-control .summary-list__row");
    let download = texts(&html, ".downloads").join(" ");
    let doc = load(site, "guide/guide.pdf");
    let pages: Vec<String> = page_texts(&doc).iter().map(|t| squeeze(t)).collect();
    (rows, download, pages[0].clone(), pages[1..].to_vec())
}

#[test]
fn a_draft_never_shows_an_approval_and_is_marked_on_every_page() {
    let site = approval_site("  status: draft\n  to_be_approved_by: Cabinet\n");
    let (rows, download, cover, rest) = approval_shown(&site);
    assert!(
        rows.contains(&"Status Draft Not approved yet".to_string()),
        "{rows:?}"
    );
    assert!(
        rows.contains(&"To be approved by Cabinet".to_string()),
        "{rows:?}"
    );
    assert!(!rows.iter().any(|r| r.starts_with("Approved")), "{rows:?}");
    assert!(
        download.contains("Draft This booklet is not approved yet."),
        "{download}"
    );
    assert!(cover.contains("DRAFT:notapproved"), "{cover}");
    assert!(cover.contains("TobeapprovedbyCabinet"), "{cover}");
    assert!(!cover.contains("Approvedby"), "{cover}");
    for (i, page) in rest.iter().enumerate() {
        assert!(
            page.starts_with("DRAFTGuideforcarers"),
            "page {}: {page}",
            i + 2
        );
    }
}

#[test]
fn an_approved_booklet_shows_who_approved_it_and_when_everywhere() {
    let site =
        approval_site("  status: approved\n  approved_by: Cabinet\n  approved_on: 2026-06-10\n");
    let (rows, download, cover, rest) = approval_shown(&site);
    assert!(rows.contains(&"Status Approved".to_string()), "{rows:?}");
    assert!(
        rows.contains(&"Approved by Cabinet".to_string()),
        "{rows:?}"
    );
    assert!(
        rows.contains(&"Approved on 10 June 2026".to_string()),
        "{rows:?}"
    );
    assert!(!download.contains("not approved"), "{download}");
    assert!(cover.contains("ApprovedbyCabineton10June2026"), "{cover}");
    assert!(!cover.contains("DRAFT"), "{cover}");
    for page in &rest {
        assert!(page.starts_with("Guideforcarers"), "{page}");
    }
}

#[test]
fn a_draft_that_claims_approval_or_an_approval_without_a_date_is_an_error() {
    let site =
        approval_site("  status: draft\n  approved_by: Cabinet\n  approved_on: 2026-06-10\n");
    let run = site.build();
    run.assert_error(
        "content/guide/_index.md",
        8,
        "a document with `status: draft` cannot say it was approved (`approved_by`)",
    );
    run.assert_error(
        "content/guide/_index.md",
        9,
        "a document with `status: draft` cannot say it was approved (`approved_on`)",
    );
    let site = approval_site("  status: approved\n  approved_by: Cabinet\n");
    site.build().assert_error(
        "content/guide/_index.md",
        7,
        "an approved document needs `approved_on` in its document control",
    );
    assert!(!site.public().exists());
}

/// Each word of a PDF page as `pdftotext -bbox` (poppler-utils) finds it: (x min, y min, text).
fn words(pdf: &std::path::Path, page: usize) -> Vec<(f64, f64, String)> {
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils, which tests/run-all installs) runs");
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let doc = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse("word").unwrap();
    doc.select(&selector)
        .map(|w| {
            let n = |a: &str| w.value().attr(a).unwrap().parse::<f64>().unwrap();
            (n("xmin"), n("ymin"), w.text().collect())
        })
        .collect()
}

#[test]
fn the_scripts_councils_are_asked_for_print_and_arabic_runs_right_to_left() {
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/g/_index.md",
            &page(
                "Guide",
                "kind: booklet\n",
                "## Languages\n\nمرحبا بكم في المجلس\n\nআমাদের কাউন্সিলে স্বাগতম\n\n欢迎来到议会\n\nZażółć gęślą jaźń. Știință.\n",
            ),
        ),
    ]).pdf_only();
    let run = full_build(&site);
    assert!(!run.stderr().contains("glyph"), "{}", run.stderr());
    let pdf = site.public().join("g/g.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert_conformant(&bytes, "g.pdf");
    let words = words(&pdf, 3);
    let line = |y: f64| -> Vec<&(f64, f64, String)> {
        words.iter().filter(|w| (w.1 - y).abs() < 1.0).collect()
    };
    let arabic_y = words
        .iter()
        .find(|w| w.2.chars().any(|c| ('\u{600}'..='\u{6ff}').contains(&c)))
        .expect("the Arabic paragraph is in the PDF's text")
        .1;
    let mut arabic = line(arabic_y);
    arabic.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Read right to left: the first word of the sentence is the rightmost, and the line
    // ends at the right margin rather than starting at the left.
    let rightmost: String = arabic.last().unwrap().2.chars().rev().collect();
    assert_eq!(rightmost, "مرحبا", "{arabic:?}");
    let left_margin = words.iter().map(|w| w.0).fold(f64::MAX, f64::min);
    assert!(
        arabic[0].0 > left_margin + 150.0,
        "the Arabic line starts at the left: {arabic:?}"
    );
    for wanted in ["আমাদের", "欢迎来到议会", "Zażółć", "Știință."] {
        assert!(
            words.iter().any(|w| w.2 == wanted),
            "{wanted} is not in the PDF: {words:?}"
        );
    }
}

#[test]
fn an_emoji_is_printed_as_its_name_with_a_warning_not_a_failed_site() {
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/g/_index.md",
            &page(
                "Guide",
                "kind: booklet\n",
                "## Contact\n\nCall us 📞 today.\n",
            ),
        ),
    ])
    .pdf_only();
    let run = site.folio(&["build", "--no-search", "--format", "json"]);
    assert!(run.success(), "{}", run.stderr());
    let glyph: Vec<serde_json::Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|d| d["rule"] == "glyph")
        .collect();
    assert_eq!(glyph.len(), 1, "{}", run.stdout());
    assert_eq!(
        (glyph[0]["line"].as_u64(), glyph[0]["column"].as_u64()),
        (Some(7), Some(9))
    );
    assert_eq!(glyph[0]["severity"], "warning");
    let pdf = site.public().join("g/g.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert_conformant(&bytes, "g.pdf");
    let text: Vec<String> = words(&pdf, 3).into_iter().map(|w| w.2).collect();
    let joined = text.join(" ");
    assert!(joined.contains("(telephone receiver)"), "{joined}");
}

#[test]
fn the_document_control_prints_every_change_newest_first() {
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/guide/_index.md",
            &page(
                "Guide",
                "kind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1.1\"\n  status: draft\n  review_by: 2030-01-01\n  history:\n    - date: 2026-01-10\n      version: \"1.0\"\n      summary: First version.\n    - date: 2026-03-05\n      version: \"1.1\"\n      summary: New contact details.\n",
                "## About\n\nText.\n",
            ),
        ),
        (
            "content/guide/one.md",
            &page(
                "One",
                "history:\n  - date: 2026-04-01\n    summary: A clearer first step.\n",
                "## Start\n\nText.\n",
            ),
        ),
    ]);
    full_build(&site);
    let doc = load(&site, "guide/guide.pdf");
    assert_conformant(
        &std::fs::read(site.public().join("guide/guide.pdf")).unwrap(),
        "a booklet with a history",
    );
    let contents = squeeze(&page_texts(&doc)[1]);
    let control = &contents[contents.find("Documentcontrol").expect("document control")..];
    let changes = &control[control.find("Changes").expect("a table of changes")..];
    let mut at = 0;
    for row in [
        "DateVersionWhatchanged",
        "1April2026Aclearerfirststep.(One)",
        "5March20261.1Newcontactdetails.",
        "10January20261.0Firstversion.",
    ] {
        let found = changes[at..]
            .find(row)
            .unwrap_or_else(|| panic!("no {row} after the rows before it in: {changes}"));
        at += found + row.len();
    }
}

/// The page (1-based) whose text, after the running header, starts with `heading`.
fn page_starting_with(pages: &[String], header: &str, heading: &str) -> usize {
    let wanted = squeeze(heading);
    pages
        .iter()
        .position(|p| {
            p.strip_prefix(header)
                .is_some_and(|rest| rest.starts_with(&wanted))
        })
        .unwrap_or_else(|| panic!("no page starts with {heading}"))
        + 1
}

#[test]
fn a_link_to_another_part_of_the_booklet_gives_the_page_it_is_on() {
    let site = booklet_site();
    full_build(&site);
    let doc = load(&site, "guide/guide.pdf");
    let pages: Vec<String> = page_texts(&doc).iter().map(|t| squeeze(t)).collect();
    let header = "GuideforcarersTestCouncil";
    let first = page_starting_with(&pages, header, "The first chapter");
    let second = page_starting_with(&pages, header, "The second chapter");
    let all = pages.concat();
    assert!(
        all.contains(&format!("Startwiththefirstchapter(seepage{first})")),
        "no page number for the link to the first chapter (page {first})"
    );
    // A heading inside another chapter: the page the heading is on, which is the second
    // chapter's first page here.
    assert!(
        all.contains(&format!("thelaterchapter(seepage{second})")),
        "no page number for the link to the second chapter's heading (page {second})"
    );
    // A link out of the booklet has no page to give.
    assert!(!all.contains("thecouncil(seepage"));
}

#[test]
fn the_cover_is_on_the_brand_colour_with_the_logo_and_its_alt_text() {
    let site = booklet_site();
    site.write(
        "site.yaml",
        &format!(
            "{}brand:\n  colour: \"#00594f\"\n  logo:\n    file: logo.png\n    alt: Test Council logo\n",
            common::SITE_YAML
        ),
    );
    site.write_bytes("static/logo.png", PNG);
    full_build(&site);
    let doc = load(&site, "guide/guide.pdf");

    // The cover's content stream fills with #00594f (0, 89, 79).
    let (_, &cover) = doc.get_pages().iter().next().unwrap();
    let content = lopdf::content::Content::decode(&doc.get_page_content(cover).unwrap()).unwrap();
    let close = |a: f32, b: f32| (a - b).abs() < 0.005;
    let fills: Vec<Vec<f32>> = content
        .operations
        .iter()
        .filter(|op| op.operator == "rg" || op.operator == "sc" || op.operator == "scn")
        .map(|op| {
            op.operands
                .iter()
                .filter_map(|o| o.as_float().ok())
                .collect()
        })
        .collect();
    assert!(
        fills.iter().any(|f| f.len() == 3
            && close(f[0], 0.0)
            && close(f[1], 89.0 / 255.0)
            && close(f[2], 79.0 / 255.0)),
        "no fill in the brand colour on the cover: {fills:?}"
    );

    // The logo is a figure with its alt text, before the title.
    let tree = structure(&doc);
    let mut all = Vec::new();
    tree.walk(&mut all);
    let logo = all
        .iter()
        .position(|e| e.kind == "Figure" && e.alt.as_deref() == Some("Test Council logo"))
        .expect("the logo as a figure with its alt text");
    let title = all
        .iter()
        .position(|e| e.kind == "H1")
        .expect("the title heading");
    assert!(logo < title);
    let bytes = std::fs::read(site.public().join("guide/guide.pdf")).unwrap();
    assert_conformant(&bytes, "guide.pdf");
}
