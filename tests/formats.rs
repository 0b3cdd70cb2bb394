//! Every format of a booklet beside its web pages: the large print PDF (tagged, text of 16 pt
//! or more read from the PDF's own content), the EPUB (its navigation and text against the
//! web pages), the print room's imposed PDF (sheet order read back by position), the download
//! block against the files, the `formats:` options, `--no-pdf` and the cache.
//!
//! EPUBCheck and DAISY Ace, which need Java and a browser, check the EPUBs of the bundled
//! site in the browser suite (`tests/browser/epub.test.mjs`).

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;

use common::pdf::{assert_conformant, text_sizes};
use common::{SiteTest, attrs, page, texts};
use lopdf::Document;
use scraper::{Html, Selector};

const BOOKLET: &str = "---
title: Guide for carers
subtitle: What to expect
description: A short guide for people who look after children.
kind: booklet
pdf:
  paper: a5
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
description: Where to begin.
order: 1
---

## Getting started

Read the [later chapter](second.md#money-matters) and the note.[^1]

- one
- two

| Who | What they do |
|-----|-------------|
| Carer | Looks after the child |

> [!WARNING]
> Never share a child's address.

```text
code stays readable
```

[^1]: The note's text.
";

const SECOND: &str = "---
title: The second chapter
order: 2
---

## Money matters

Allowances are paid every week. Ask the team about them.

## Who to call

Call the team first.
";

fn site() -> SiteTest {
    SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        ("content/guide/_index.md", BOOKLET),
        ("content/guide/first.md", FIRST),
        ("content/guide/second.md", SECOND),
    ])
}

fn full_build(site: &SiteTest) -> common::Run {
    let run = site.folio(&["build", "--no-search"]);
    assert!(run.success(), "build failed:\n{}", run.stderr());
    run
}

fn pdf(site: &SiteTest, path: &str) -> Document {
    Document::load(site.public().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The words of a page of a PDF with where they start across the page, in points, read by
/// `pdftotext -bbox` (poppler-utils, which `tests/run-all` installs).
fn words(path: &Path, page: usize) -> Vec<(f64, String)> {
    boxes(path, page)
        .into_iter()
        .map(|w| (w.left, w.text))
        .collect()
}

/// A word of a page as `pdftotext -bbox` finds it: where it starts and how tall it is, in
/// points.
struct Word {
    left: f64,
    height: f64,
    text: String,
}

fn boxes(path: &Path, page: usize) -> Vec<Word> {
    let run = Command::new("pdftotext")
        .args(["-bbox", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: tests/run-all installs it");
    assert!(
        run.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    let html = Html::parse_document(&String::from_utf8_lossy(&run.stdout));
    let word = Selector::parse("word").unwrap();
    html.select(&word)
        .map(|w| {
            let at = |name: &str| -> f64 { w.value().attr(name).unwrap().parse().unwrap() };
            Word {
                left: at("xmin"),
                height: at("ymax") - at("ymin"),
                text: w.text().collect(),
            }
        })
        .collect()
}

fn epub_files(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(entry.name().unwrap().to_string(), bytes);
    }
    files
}

/// The text of the blocks (paragraphs, list items, table cells, headings below the title)
/// under `root` in a page, in order, whitespace collapsed.
fn blocks(html: &Html, root: &str) -> Vec<String> {
    let selector = Selector::parse(&format!(
        "{root} p, {root} li, {root} th, {root} td, {root} h2, {root} h3, {root} pre"
    ))
    .unwrap();
    html.select(&selector)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty())
        .collect()
}

#[test]
fn large_print_is_tagged_and_its_text_is_at_least_16_point() {
    let site = site();
    full_build(&site);
    let large = std::fs::read(site.public().join("guide/guide-large-print.pdf")).unwrap();
    assert_conformant(&large, "the large print PDF");
    let doc = Document::load_mem(&large).unwrap();
    let sizes = text_sizes(&doc);
    assert!(sizes.len() > 20, "too little text read: {sizes:?}");
    let small: Vec<_> = sizes.iter().filter(|(s, _)| *s < 16.0 - 0.01).collect();
    assert!(
        small.is_empty(),
        "text below 16 pt in large print: {small:?}"
    );
    // Body text is the commonest size; headings are larger than it.
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for (s, _) in &sizes {
        *counts.entry((s * 10.0).round() as i64).or_default() += 1;
    }
    let body = counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(s, _)| *s)
        .unwrap();
    assert!(
        (160..=180).contains(&body),
        "body text is {} pt",
        body as f64 / 10.0
    );
    assert!(
        counts.keys().any(|s| *s > body + 40),
        "no heading larger than the body: {counts:?}"
    );
    // Every page has its number, the cover included, and A4 pages.
    let pages = doc.get_pages();
    for n in 1..=pages.len() {
        let text = words(&site.public().join("guide/guide-large-print.pdf"), n)
            .into_iter()
            .map(|(_, w)| w)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains(&format!("Page {n} of {}", pages.len())),
            "page {n} has no page number: {text}"
        );
    }
    // The same reading of the standard PDF finds its smaller text: the check can fail.
    let standard = text_sizes(&pdf(&site, "guide/guide.pdf"));
    assert!(standard.iter().any(|(s, _)| *s < 12.0), "{standard:?}");
}

#[test]
fn the_print_room_booklet_is_imposed_in_booklet_order_on_a4_landscape() {
    let site = site();
    full_build(&site);
    let a5 = site.public().join("guide/guide.pdf");
    let pages = pdf(&site, "guide/guide.pdf").get_pages().len();
    let imposed_path = site.public().join("guide/guide-print-room.pdf");
    let imposed = pdf(&site, "guide/guide-print-room.pdf");
    let sides = imposed.get_pages();
    assert_eq!(sides.len(), pages.div_ceil(4) * 4 / 2, "{pages} A5 pages");
    // For printers, not readers: no tags, bookmarks or metadata claiming PDF/UA, and a
    // title of its own.
    let catalog = imposed.catalog().unwrap();
    for key in ["StructTreeRoot", "MarkInfo", "Outlines", "Metadata"] {
        assert!(
            catalog.get(key.as_bytes()).is_err(),
            "the catalog has {key}"
        );
    }
    let info = imposed
        .get_dictionary(
            imposed
                .trailer
                .get(b"Info")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap();
    let title = lopdf::decode_text_string(info.get(b"Title").unwrap()).unwrap();
    assert_eq!(title, "Guide for carers (for printing)");
    for (&n, &id) in &sides {
        let media = imposed
            .get_dictionary(id)
            .unwrap()
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap();
        let (w, h) = (media[2].as_float().unwrap(), media[3].as_float().unwrap());
        assert!(
            (w - 841.9).abs() < 1.0 && (h - 595.3).abs() < 1.0,
            "side {n} is {w} x {h}"
        );
    }
    // The first side: the back page on the left half, the cover on the right.
    let first = words(&imposed_path, 1);
    let half = 841.9 / 2.0;
    let left: Vec<&str> = first
        .iter()
        .filter(|(x, _)| *x < half)
        .map(|(_, w)| w.as_str())
        .collect();
    let right: Vec<&str> = first
        .iter()
        .filter(|(x, _)| *x >= half)
        .map(|(_, w)| w.as_str())
        .collect();
    let cover: Vec<String> = words(&a5, 1).into_iter().map(|(_, w)| w).collect();
    let back: Vec<String> = words(&a5, pages).into_iter().map(|(_, w)| w).collect();
    assert_eq!(
        right, cover,
        "the right half of the first side is not the cover"
    );
    assert_eq!(
        left, back,
        "the left half of the first side is not the last page"
    );
    assert!(back.iter().any(|w| w == "Contact"), "{back:?}");
    // The second side: page 2 on the left.
    let second = words(&imposed_path, 2);
    let page_two: Vec<String> = words(&a5, 2).into_iter().map(|(_, w)| w).collect();
    let left: Vec<String> = second
        .iter()
        .filter(|(x, _)| *x < half)
        .map(|(_, w)| w.clone())
        .collect();
    assert_eq!(left, page_two);
    // Linked under "For printing" on the booklet's page, not in the download block.
    let html = site.html("guide/index.html");
    assert_eq!(
        attrs(&html, "#folio-for-printing ~ p a", "href"),
        ["/guide/guide-print-room.pdf"]
    );
    assert!(
        !attrs(&html, ".downloads a", "href")
            .iter()
            .any(|h| h.contains("print-room"))
    );
}

#[test]
fn an_a4_booklet_s_print_room_copy_is_its_large_print_reduced_to_a5() {
    let site = site();
    site.write(
        "content/guide/_index.md",
        &BOOKLET.replace("paper: a5", "paper: a4"),
    );
    full_build(&site);
    let large = site.public().join("guide/guide-large-print.pdf");
    let pages = pdf(&site, "guide/guide-large-print.pdf").get_pages().len();
    let imposed = site.public().join("guide/guide-print-room.pdf");
    let sides = pdf(&site, "guide/guide-print-room.pdf").get_pages().len();
    assert_eq!(
        sides,
        pages.div_ceil(4) * 4 / 2,
        "{pages} large print pages"
    );
    // The cover (the right half of the first side) is the large print's, every word of it
    // 1/√2 as tall: A4 reduced to A5.
    let half = 841.9 / 2.0;
    let cover: Vec<Word> = boxes(&imposed, 1)
        .into_iter()
        .filter(|w| w.left >= half)
        .collect();
    let original = boxes(&large, 1);
    assert_eq!(
        cover.iter().map(|w| &w.text).collect::<Vec<_>>(),
        original.iter().map(|w| &w.text).collect::<Vec<_>>()
    );
    for (small, big) in cover.iter().zip(&original) {
        let ratio = small.height / big.height;
        assert!(
            (ratio - std::f64::consts::FRAC_1_SQRT_2).abs() < 0.01,
            "{:?} is {ratio} times as tall",
            small.text
        );
    }
    // The large print's cover says nothing the reduced copy would make untrue.
    let text: Vec<&str> = original.iter().map(|w| w.text.as_str()).collect();
    assert!(
        !text.windows(2).any(|w| w == ["Large", "print"]),
        "{text:?}"
    );
}

#[test]
fn the_epub_lists_its_chapters_in_order_and_has_the_web_pages_text() {
    let site = site();
    full_build(&site);
    let files = epub_files(&site.public().join("guide/guide.epub"));
    let names: Vec<&String> = files.keys().collect();
    assert_eq!(
        files.get("mimetype").map(Vec::as_slice),
        Some(b"application/epub+zip".as_slice())
    );
    let package = String::from_utf8(files["EPUB/package.opf"].clone()).unwrap();
    let opf = roxml(&package);
    let meta = |property: &str| -> Vec<String> {
        opf.descendants()
            .filter(|n| n.tag_name().name() == "meta" && n.attribute("property") == Some(property))
            .map(|n| n.text().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(
        meta("dcterms:conformsTo"),
        ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    );
    assert!(meta("schema:accessMode").contains(&"textual".to_string()));
    assert_eq!(meta("schema:accessModeSufficient"), ["textual"]);
    assert_eq!(meta("schema:accessibilityHazard"), ["none"]);
    assert!(meta("schema:accessibilityFeature").contains(&"tableOfContents".to_string()));
    assert!(!meta("schema:accessibilitySummary")[0].is_empty());
    let language: Vec<&str> = opf
        .descendants()
        .filter(|n| n.tag_name().name() == "language")
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(language, ["en-GB"]);

    // The navigation: the title page, the chapters in order, the glossary if any, contact.
    let nav = Html::parse_document(std::str::from_utf8(&files["EPUB/nav.xhtml"]).unwrap());
    assert_eq!(
        texts(&nav, "nav[role=doc-toc] li a"),
        [
            "Guide for carers",
            "The first chapter",
            "The second chapter",
            "Contact us"
        ]
    );
    let order = attrs(&nav, "nav[role=doc-toc] li a", "href");
    assert_eq!(
        order,
        [
            "title.xhtml",
            "chapter-01.xhtml",
            "chapter-02.xhtml",
            "contact.xhtml"
        ]
    );
    // ... which is also the reading order.
    let spine: Vec<String> = opf
        .descendants()
        .filter(|n| n.tag_name().name() == "itemref")
        .map(|n| {
            let id = n.attribute("idref").unwrap();
            opf.descendants()
                .find(|i| i.attribute("id") == Some(id))
                .and_then(|i| i.attribute("href"))
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(spine, order);

    // Each chapter's text, block by block, is its web page's body.
    for (chapter, web) in [
        ("EPUB/chapter-01.xhtml", "guide/first/index.html"),
        ("EPUB/chapter-02.xhtml", "guide/second/index.html"),
    ] {
        let xhtml = std::str::from_utf8(&files[chapter]).unwrap();
        roxml(xhtml); // well-formed XML
        let book = Html::parse_document(xhtml);
        assert_eq!(book.root_element().attr("lang"), Some("en-GB"));
        let web = site.html(web);
        let from_web = body_blocks(&web);
        assert!(!from_web.is_empty());
        assert_eq!(blocks(&book, "main"), from_web, "{chapter}");
        assert_eq!(texts(&book, "h1"), texts(&web, "main h1"));
    }
    // A link to another chapter goes to that chapter in the book.
    let first = Html::parse_document(std::str::from_utf8(&files["EPUB/chapter-01.xhtml"]).unwrap());
    assert!(attrs(&first, "a", "href").contains(&"chapter-02.xhtml#money-matters".to_string()));
    // Document control is on the title page.
    let title = Html::parse_document(std::str::from_utf8(&files["EPUB/title.xhtml"]).unwrap());
    assert!(
        texts(&title, "th").contains(&"Approved by".to_string()),
        "{names:?}"
    );
}

/// The web page's blocks that come from the page's Markdown: those of its prose, less the
/// parts the template adds around the body.
fn body_blocks(web: &Html) -> Vec<String> {
    let around = Selector::parse(
        ".prose .downloads, .prose .document-control, .prose nav, .prose .toc, .prose .pagination",
    )
    .unwrap();
    let mut skipped: Vec<String> = Vec::new();
    for part in web.select(&around) {
        let html = Html::parse_fragment(&part.html());
        skipped.extend(blocks(&html, "*"));
    }
    let all = blocks(web, "main .prose");
    let mut out = Vec::new();
    for block in all {
        if let Some(i) = skipped.iter().position(|s| *s == block) {
            skipped.remove(i);
        } else {
            out.push(block);
        }
    }
    // The chapter's lead (its description) is in the book too.
    let lead = texts(web, "main .page-heading .lead");
    lead.into_iter().chain(out).collect()
}

fn roxml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{text}"))
}

#[test]
fn the_download_block_shows_each_format_with_the_files_size_and_pages() {
    let site = site();
    full_build(&site);
    for path in ["guide/index.html", "guide/first/index.html"] {
        let html = site.html(path);
        let hrefs = attrs(&html, ".downloads .attachment__title a", "href");
        assert_eq!(
            hrefs,
            [
                "/guide/guide.pdf",
                "/guide/guide-large-print.pdf",
                "/guide/guide.epub"
            ],
            "{path}"
        );
        let titles = texts(&html, ".downloads .attachment__title");
        for (href, title) in hrefs.iter().zip(&titles) {
            let file = site.public().join(href.trim_start_matches('/'));
            let bytes = std::fs::read(&file).unwrap();
            let kb = bytes.len().div_ceil(1024);
            let wanted = if href.ends_with(".pdf") {
                let pages = Document::load_mem(&bytes).unwrap().get_pages().len();
                format!("(PDF, {kb} KB, {pages} pages)")
            } else {
                format!("(EPUB, {kb} KB)")
            };
            assert!(title.ends_with(&wanted), "{title} should end {wanted}");
        }
        assert!(
            titles[1].starts_with("Guide for carers, large print"),
            "{titles:?}"
        );
        // The other formats are asked for.
        assert_eq!(
            attrs(&html, ".downloads > p a", "href"),
            ["/accessibility/#alternative-formats"]
        );
    }
    // The print room's file is linked with its own size and count of sides.
    let html = site.html("guide/index.html");
    let printing = texts(&html, ".for-printing a");
    let bytes = std::fs::read(site.public().join("guide/guide-print-room.pdf")).unwrap();
    let sides = Document::load_mem(&bytes).unwrap().get_pages().len();
    assert_eq!(
        printing,
        [format!(
            "Guide for carers, for printing (PDF, {} KB, {sides} pages)",
            bytes.len().div_ceil(1024)
        )]
    );
    // The accessibility statement lists what needs no asking.
    let statement = site.html("accessibility/index.html");
    let listed = texts(&statement, "#alternative-formats + p + ul li");
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert!(listed[1].starts_with("a large print PDF"), "{listed:?}");
    assert!(listed[2].starts_with("an EPUB"), "{listed:?}");
}

#[test]
fn formats_are_turned_off_in_site_yaml_and_front_matter() {
    let site = site();
    site.write(
        "site.yaml",
        &format!("{}formats:\n  epub: false\n", common::SITE_YAML),
    );
    // On A4, its print room copy is made from a large print layout that it does not offer.
    site.write(
        "content/guide/_index.md",
        &BOOKLET.replace("paper: a5", "paper: a4").replace(
            "kind: booklet\n",
            "kind: booklet\nformats:\n  large_print: false\n  epub: true\n",
        ),
    );
    site.write(
        "content/other/_index.md",
        "---\ntitle: Other\nkind: booklet\nformats:\n  pdf: false\n  print_room: false\n---\n\n## Why\n\nShort.\n",
    );
    full_build(&site);
    let public = site.public();
    assert!(public.join("guide/guide.pdf").is_file());
    assert!(!public.join("guide/guide-large-print.pdf").exists());
    assert!(
        public.join("guide/guide.epub").is_file(),
        "the booklet turns it back on"
    );
    let imposed = Document::load(public.join("guide/guide-print-room.pdf")).unwrap();
    assert!(imposed.get_pages().len() >= 2);
    assert!(!public.join("other/other.pdf").exists());
    assert!(public.join("other/other-large-print.pdf").is_file());
    assert!(
        !public.join("other/other.epub").exists(),
        "site.yaml turns it off"
    );
    assert!(!public.join("other/other-print-room.pdf").exists());
    assert_eq!(
        attrs(
            &site.html("other/index.html"),
            ".downloads .attachment__title a",
            "href"
        ),
        ["/other/other-large-print.pdf"]
    );
    assert!(texts(&site.html("other/index.html"), ".for-printing").is_empty());
}

#[test]
fn a_misspelt_format_is_an_error_that_names_the_right_one() {
    let site = site();
    site.write(
        "content/guide/_index.md",
        &BOOKLET.replace(
            "kind: booklet\n",
            "kind: booklet\nformats:\n  large-print: false\n",
        ),
    );
    let run = site.folio(&["build", "--no-search"]);
    assert!(!run.success());
    run.assert_error("content/guide/_index.md", 7, "unknown field `large-print`");
    assert!(
        run.stderr().contains("did you mean `large_print`?"),
        "{}",
        run.stderr()
    );
    assert!(
        !site.public().exists(),
        "a failed build wrote the output folder"
    );
    site.write(
        "site.yaml",
        &format!("{}formats:\n  ebub: false\n", common::SITE_YAML),
    );
    let run = site.folio(&["check", "--no-pdf"]);
    assert!(
        run.stderr().contains("did you mean `epub`?"),
        "{}",
        run.stderr()
    );
}

#[test]
fn no_pdf_skips_every_booklet_format() {
    let site = site();
    let run = site.build();
    assert!(run.success(), "{}", run.stderr());
    for file in [
        "guide.pdf",
        "guide-large-print.pdf",
        "guide.epub",
        "guide-print-room.pdf",
    ] {
        assert!(!site.public().join("guide").join(file).exists(), "{file}");
    }
    assert!(texts(&site.html("guide/index.html"), ".downloads, .for-printing").is_empty());
}

#[test]
fn a_chapter_edit_makes_its_booklet_again_and_reads_the_others_from_the_cache() {
    let site = site();
    site.write(
        "content/notes/_index.md",
        "---\ntitle: Notes\nkind: booklet\n---\n\n## Why\n\nShort.\n",
    );
    let options = || {
        let mut options = folio::build::BuildOptions::new(site.root());
        options.search = false;
        options
    };
    let first = folio::build::build_and_write(&options()).unwrap();
    let made = |built: &folio::build::Built| -> BTreeMap<(String, String), bool> {
        built
            .typeset
            .iter()
            .map(|t| {
                (
                    (
                        built.site.pages[t.booklet].url.clone(),
                        format!("{:?}", t.format),
                    ),
                    t.cached,
                )
            })
            .collect()
    };
    let cold = made(&first);
    assert_eq!(cold.len(), 8, "{cold:?}");
    assert!(cold.values().all(|cached| !cached), "{cold:?}");
    let epub = std::fs::read(site.public().join("guide/guide.epub")).unwrap();

    site.write(
        "content/guide/second.md",
        &SECOND.replace("every week", "every Friday"),
    );
    let warm = made(&folio::build::build_and_write(&options()).unwrap());
    for ((booklet, format), cached) in &warm {
        assert_eq!(*cached, booklet == "/notes/", "{booklet} {format}");
    }
    // Unchanged input, the same bytes: the EPUB is reproducible.
    std::fs::remove_dir_all(site.root().join(".folio")).unwrap();
    site.write("content/guide/second.md", SECOND);
    folio::build::build_and_write(&options()).unwrap();
    assert!(epub == std::fs::read(site.public().join("guide/guide.epub")).unwrap());
}
