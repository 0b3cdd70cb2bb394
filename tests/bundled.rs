//! The guidance that ships with folio: it builds, every booklet is complete on the web and in
//! print, the figures come from the data file, and no placeholder or signature is dressed up
//! as fact.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{attrs, texts};
use scraper::{Html, Selector};

const BOOKLETS: [&str; 4] = [
    "if-this-were-my-child",
    "partner-pledges",
    "schools",
    "member-champion",
];

/// The bundled site, built once for every test in this file.
fn site() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bundled-site");
        let run = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args([
                "--root",
                env!("CARGO_MANIFEST_DIR"),
                "build",
                "--no-search",
                "--output",
            ])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "the bundled site does not build:\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
        // Warnings are allowed only for honest gaps (placeholders) and plain-English advice.
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!stderr.contains("\nerror"), "{stderr}");
        out
    })
}

fn html(path: &str) -> Html {
    let file = site().join(path);
    Html::parse_document(
        &std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
    )
}

fn source(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn the_home_page_routes_each_reader_to_their_booklet() {
    let home = html("index.html");
    let links = attrs(&home, "main a", "href");
    for booklet in BOOKLETS {
        let url = format!("/{booklet}/");
        assert!(
            links.contains(&url),
            "the home page does not link to {url}: {links:?}"
        );
    }
    for page in ["/facts-and-figures/", "/glossary/", "/keeping-up-to-date/"] {
        assert!(links.contains(&page.to_string()), "no link to {page}");
    }
}

#[test]
fn every_booklet_has_chapters_document_control_and_a_download() {
    for booklet in BOOKLETS {
        let page = html(&format!("{booklet}/index.html"));
        let keys = texts(&page, ".document-control .summary-list__key");
        // A draft has no approval date yet; every approved booklet states it.
        let draft = booklet == "member-champion";
        let wanted: &[&str] = if draft {
            &["Owner", "Version", "Approved by", "Next review"]
        } else {
            &[
                "Owner",
                "Version",
                "Approved by",
                "Approved on",
                "Next review",
            ]
        };
        assert_eq!(keys, wanted, "{booklet}");
        let owner = texts(&page, ".document-control .summary-list__value");
        assert!(
            !owner[0].is_empty() && owner[0] != "To be confirmed",
            "{booklet}"
        );
        let download = texts(&page, ".attachment__title");
        assert_eq!(download.len(), 1, "{booklet}: no download block");
        assert!(download[0].contains("(PDF, "), "{download:?}");
    }
    // The three reading booklets have several chapters; the role description is one page.
    for booklet in &BOOKLETS[..3] {
        let chapters = std::fs::read_dir(site().join(booklet))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
            .count();
        assert!(chapters >= 5, "{booklet} has {chapters} chapters");
    }
}

#[test]
fn every_booklet_pdf_passes_pdf_ua_1_and_pdf_a_2a_and_follows_the_chapters() {
    use page_validation::{ValidationOptions, ValidationProfile, validate_pdf_bytes};
    for booklet in BOOKLETS {
        let path = site().join(booklet).join(format!("{booklet}.pdf"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for profile in [ValidationProfile::PdfUa1, ValidationProfile::PdfA2a] {
            let report =
                validate_pdf_bytes(&bytes, &ValidationOptions::default().profile(profile)).unwrap();
            let failures: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
            assert!(
                report.is_compliant && report.rules.failed == 0,
                "{booklet}.pdf fails {profile:?}:\n{}",
                failures.join("\n")
            );
        }
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        assert!(doc.get_pages().len() > 1);

        // The chapter list on the web and the PDF's bookmarks agree, in order.
        let chapters: Vec<String> = chapter_urls(booklet)
            .iter()
            .map(|url| texts(&html(&format!("{}index.html", &url[1..])), "h1").concat())
            .collect();
        assert!(!chapters.is_empty(), "{booklet}: no chapters listed");
        let marks = top_bookmarks(&doc);
        let mut at = 0;
        for chapter in &chapters {
            let found = marks[at..].iter().position(|m| m == chapter);
            assert!(
                found.is_some(),
                "{booklet}: chapter {chapter:?} is not a bookmark after {at}: {marks:?}"
            );
            at += found.unwrap() + 1;
        }
    }
}

fn top_bookmarks(doc: &lopdf::Document) -> Vec<String> {
    let deref = |o: &lopdf::Object| doc.dereference(o).unwrap().1.clone();
    let catalog = doc.catalog().unwrap();
    let outlines = deref(catalog.get(b"Outlines").unwrap());
    let mut next = outlines.as_dict().unwrap().get(b"First").ok().map(deref);
    let mut titles = Vec::new();
    while let Some(lopdf::Object::Dictionary(item)) = next {
        let raw = item.get(b"Title").unwrap().as_str().unwrap().to_vec();
        let title = match raw.strip_prefix(&[0xFE, 0xFF]) {
            Some(utf16) => String::from_utf16_lossy(
                &utf16
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect::<Vec<_>>(),
            ),
            None => raw.iter().map(|&b| b as char).collect(),
        };
        titles.push(title);
        next = item.get(b"Next").ok().map(deref);
    }
    titles
}

#[derive(serde::Deserialize)]
struct Figures {
    charts: Vec<Chart>,
}

#[derive(serde::Deserialize)]
struct Chart {
    id: String,
    bars: Vec<Bar>,
}

#[derive(serde::Deserialize)]
struct Bar {
    label: String,
    value: f64,
}

#[test]
fn figures_are_charts_with_a_summary_and_the_data_file_numbers() {
    let figures: Figures = serde_yaml::from_str(&source("content/_data/figures.yaml")).unwrap();
    let sel = Selector::parse("figure.chart").unwrap();
    let facts = html("facts-and-figures/index.html");
    assert!(
        facts.select(&sel).next().is_some(),
        "no charts on the facts and figures page"
    );
    // Charts may sit on any page; gather every one the site shows.
    let pages: Vec<Html> = walk(site())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| Html::parse_document(&std::fs::read_to_string(p).unwrap()))
        .collect();
    let charts: Vec<_> = pages.iter().flat_map(|p| p.select(&sel)).collect();
    let mut shown: BTreeMap<String, String> = BTreeMap::new();
    for chart in &charts {
        let fragment = Html::parse_fragment(&chart.html());
        assert_eq!(attrs(&fragment, "svg", "role"), ["img"]);
        let summary = texts(&fragment, ".chart-summary");
        assert!(summary.len() == 1 && summary[0].len() > 20, "{summary:?}");
        let cell = |row: &scraper::ElementRef, name: &str| -> String {
            let sel = Selector::parse(name).unwrap();
            row.select(&sel)
                .flat_map(|c| c.text())
                .collect::<String>()
                .trim()
                .to_string()
        };
        for row in chart.select(&Selector::parse("tbody tr").unwrap()) {
            shown.insert(cell(&row, "th"), cell(&row, "td"));
        }
    }
    for chart in figures.charts {
        for bar in chart.bars {
            let value = shown
                .get(&bar.label)
                .unwrap_or_else(|| panic!("chart {}: {} is not shown", chart.id, bar.label));
            let number: f64 = value.replace(',', "").parse().unwrap();
            assert_eq!(number, bar.value, "chart {}: {}", chart.id, bar.label);
        }
    }
}

#[test]
fn the_glossary_lists_every_term_once_with_a_link_target() {
    let glossary: serde_yaml::Value =
        serde_yaml::from_str(&source("content/_data/glossary.yaml")).unwrap();
    let entries = glossary
        .as_sequence()
        .or_else(|| glossary.get("terms").and_then(|t| t.as_sequence()))
        .or_else(|| glossary.get("entries").and_then(|t| t.as_sequence()))
        .expect("a list of glossary entries");
    let page = html("glossary/index.html");
    let ids = attrs(&page, "dl.glossary dt", "id");
    assert_eq!(ids.len(), entries.len());
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "duplicate glossary ids: {ids:?}");
}

#[test]
fn no_pledge_claims_a_signature_and_placeholders_read_to_be_confirmed() {
    let dir = site().join("partner-pledges");
    let mut pledges = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let page = entry.unwrap().path().join("index.html");
        if !page.is_file() {
            continue;
        }
        let doc = Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        if texts(&doc, "#folio-commitments").is_empty() {
            continue;
        }
        pledges += 1;
        assert!(
            texts(&doc, ".tag--green").is_empty(),
            "{} shows a signed pledge",
            page.display()
        );
        assert!(!texts(&doc, ".commitments li").is_empty());
    }
    assert!(pledges >= 6, "only {pledges} pledge pages");

    // No page shows a raw placeholder.
    for entry in walk(site()) {
        if entry.extension().is_some_and(|e| e == "html") {
            let doc = Html::parse_document(&std::fs::read_to_string(&entry).unwrap());
            let body = texts(&doc, "main").concat();
            assert!(
                !body.contains("TBC:"),
                "{} shows a raw placeholder",
                entry.display()
            );
        }
    }
}

#[test]
fn the_role_description_is_its_own_booklet_with_its_fields() {
    let chapters = chapter_urls("member-champion");
    assert_eq!(
        chapters.len(),
        1,
        "the role description is one chapter: {chapters:?}"
    );
    let role = html(&format!(
        "{}index.html",
        chapters[0].trim_start_matches('/')
    ));
    let headings = texts(&role, "main h2");
    assert!(
        headings.iter().any(|h| h.contains("Responsibilities")),
        "{headings:?}"
    );
}

/// The chapters a booklet's own page lists, in order.
fn chapter_urls(booklet: &str) -> Vec<String> {
    attrs(
        &html(&format!("{booklet}/index.html")),
        "nav.chapter-list a.document-list__title",
        "href",
    )
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
