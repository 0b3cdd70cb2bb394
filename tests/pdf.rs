//! The PDF booklets: parsed with lopdf and checked for what PDF/UA-1 and PDF/A-2a need, for
//! the reader's view (chapters, bookmarks, text), reproducibility, the cache and errors.

mod common;

use std::collections::BTreeMap;

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
    ]);
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

/// Runs the PDF/UA-1 and PDF/A-2a rules of the `page_validation` checker on a PDF.
pub fn assert_conformant(bytes: &[u8], what: &str) {
    use page_validation::{ValidationOptions, ValidationProfile, validate_pdf_bytes};
    for profile in [ValidationProfile::PdfUa1, ValidationProfile::PdfA2a] {
        let report = validate_pdf_bytes(bytes, &ValidationOptions::default().profile(profile))
            .unwrap_or_else(|e| panic!("{what}: the validator could not read the PDF: {e}"));
        let failures: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
        assert!(
            report.is_compliant && failures.is_empty(),
            "{what} fails {profile:?}:\n{}",
            failures.join("\n")
        );
        assert!(report.rules.total > 0, "{what}: no {profile:?} rules ran");
    }
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
            "About this guide",
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
    }
}

#[test]
fn two_builds_give_identical_bytes_and_the_date_comes_from_the_approval() {
    let site = booklet_site();
    full_build(&site);
    let first = std::fs::read(site.public().join("guide/guide.pdf")).unwrap();
    std::fs::remove_dir_all(site.root().join(".folio")).unwrap();
    full_build(&site);
    let second = std::fs::read(site.public().join("guide/guide.pdf")).unwrap();
    assert!(first == second, "two builds of the same booklet differ");

    let doc = Document::load_mem(&first).unwrap();
    let info = deref(&doc, doc.trailer.get(b"Info").unwrap())
        .as_dict()
        .unwrap();
    assert!(text(info.get(b"CreationDate").unwrap()).starts_with("D:20200305"));
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

#[test]
fn a5_paper_is_a_booklet_option() {
    let site = booklet_site();
    site.write(
        "content/guide/_index.md",
        &BOOKLET.replace("kind: booklet\n", "kind: booklet\npdf:\n  paper: a5\n"),
    );
    full_build(&site);
    let doc = load(&site, "guide/guide.pdf");
    let sizes: BTreeMap<String, usize> =
        doc.get_pages()
            .values()
            .fold(BTreeMap::new(), |mut sizes, &id| {
                let page = doc.get_dictionary(id).unwrap();
                let media = page.get(b"MediaBox").unwrap().as_array().unwrap();
                let w = media[2].as_float().unwrap_or(0.0).round() as i64;
                let h = media[3].as_float().unwrap_or(0.0).round() as i64;
                *sizes.entry(format!("{w}x{h}")).or_default() += 1;
                sizes
            });
    assert_eq!(sizes.keys().collect::<Vec<_>>(), ["420x595"]);
}

#[test]
fn a_character_the_print_font_lacks_is_an_error_at_its_line() {
    let site = booklet_site();
    full_build(&site);
    let before = site.snapshot();
    site.write(
        "content/guide/second.md",
        "---\ntitle: The second chapter\norder: 2\n---\n\n## Money matters\n\nWe are glad 🙂 to help.\n",
    );
    let run = site.folio(&["build", "--no-search"]);
    run.assert_error(
        "content/guide/second.md",
        8,
        "could not be displayed with font",
    );
    assert!(run.stderr().contains("write it in words instead"));
    assert!(site.snapshot() == before, "a failed build changed public/");
}
