//! The guidance that ships with folio: it builds, every booklet is complete on the web and in
//! print, the figures come from the data file, and no placeholder or signature is dressed up
//! as fact.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{attrs, html_files, sections, texts};
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
    for page in [
        "/facts-and-figures/",
        "/glossary/",
        "/cabinet-resolutions/",
        "/keeping-up-to-date/",
    ] {
        assert!(links.contains(&page.to_string()), "no link to {page}");
    }
}

#[test]
fn every_booklet_has_chapters_document_control_and_a_download() {
    for booklet in BOOKLETS {
        let page = html(&format!("{booklet}/index.html"));
        let keys = texts(&page, ".document-control .summary-list__key");
        // No bundled document is approved yet: each says it is a draft and who is to
        // approve it, and none claims an approval.
        let wanted: &[&str] = &[
            "Owner",
            "Version",
            "Status",
            "To be approved by",
            "Next review",
        ];
        assert_eq!(keys, wanted, "{booklet}");
        let owner = texts(&page, ".document-control .summary-list__value");
        assert!(
            !owner[0].is_empty() && owner[0] != "To be confirmed",
            "{booklet}"
        );
        let download = texts(&page, ".attachment__title");
        assert_eq!(download.len(), 3, "{booklet}: {download:?}");
        assert!(download[0].contains("(PDF, "), "{download:?}");
        assert!(download[1].contains(", large print (PDF, "), "{download:?}");
        assert!(download[2].contains("(EPUB, "), "{download:?}");
        assert_eq!(
            attrs(&page, ".for-printing a", "href"),
            [format!("/{booklet}/{booklet}-print-room.pdf")]
        );
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
    for booklet in BOOKLETS {
        let path = site().join(booklet).join(format!("{booklet}.pdf"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        common::pdf::assert_conformant(&bytes, &format!("{booklet}.pdf"));
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

#[test]
fn every_large_print_pdf_is_tagged_with_text_of_16_point_or_more() {
    for booklet in BOOKLETS {
        let name = format!("{booklet}-large-print.pdf");
        let bytes = std::fs::read(site().join(booklet).join(&name)).unwrap();
        common::pdf::assert_conformant(&bytes, &name);
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        let sizes = common::pdf::text_sizes(&doc);
        assert!(!sizes.is_empty(), "{name}: no text read");
        let small: Vec<_> = sizes.iter().filter(|(s, _)| *s < 15.99).collect();
        assert!(small.is_empty(), "{name}: text below 16 pt: {small:?}");
        // The print room's copy: A4 landscape sides, half as many as the padded A5 pages.
        let imposed = lopdf::Document::load(
            site()
                .join(booklet)
                .join(format!("{booklet}-print-room.pdf")),
        )
        .unwrap();
        assert!(imposed.get_pages().len() >= 2, "{booklet}");
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

/// The bundled site's diagnostics, from the library: warnings, and the rules pages turn off.
struct Checked {
    warnings: Vec<folio::diagnostics::Diagnostic>,
    allowed: Vec<(PathBuf, String)>,
}

fn checked() -> &'static Checked {
    static CHECKED: OnceLock<Checked> = OnceLock::new();
    CHECKED.get_or_init(|| {
        let mut options = folio::build::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
        options.pdf = false;
        options.search = false;
        let built = folio::build::build(&options).unwrap_or_else(|failure| {
            panic!(
                "the bundled site does not build: {:#?}",
                failure.diagnostics
            )
        });
        Checked {
            warnings: built.warnings,
            allowed: built
                .allowances
                .into_iter()
                .map(|a| (a.file, a.rule.name().to_string()))
                .collect(),
        }
    })
}

#[test]
fn the_guidance_passes_every_plain_english_check_without_turning_any_off() {
    let checked = checked();
    for rule in [
        "acronym",
        "long-sentence",
        "reading-grade",
        "words-to-avoid",
    ] {
        let found: Vec<String> = checked
            .warnings
            .iter()
            .filter(|d| d.rule.map(|r| r.name()) == Some(rule))
            .map(|d| {
                format!(
                    "{}:{}:{}: {}",
                    d.file.display(),
                    d.line,
                    d.column,
                    d.message
                )
            })
            .collect();
        assert!(found.is_empty(), "{rule} warnings:\n{}", found.join("\n"));
        let allowed: Vec<_> = checked.allowed.iter().filter(|(_, r)| r == rule).collect();
        assert!(allowed.is_empty(), "{rule} is turned off on {allowed:?}");
    }
}

#[test]
fn every_placeholder_is_reported_where_it_is_written() {
    // Every `TBC:` an editor wrote in site.yaml or a page, outside YAML comments.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![PathBuf::from("site.yaml")];
    files.extend(
        walk(&root.join("content"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .map(|p| p.strip_prefix(root).unwrap().to_path_buf()),
    );
    let mut written = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let yaml_comment = |line: &str| {
            file.extension().is_some_and(|e| e == "yaml") && line.trim_start().starts_with('#')
        };
        for (i, line) in text.lines().enumerate() {
            if let Some(at) = line.find("TBC:").filter(|_| !yaml_comment(line)) {
                let what = line[at + 4..].trim().trim_matches('"').to_string();
                written.push((file.clone(), i + 1, at + 1, what));
            }
        }
    }
    assert!(
        written.iter().any(|w| w.0 == Path::new("site.yaml"))
            && written.iter().any(|w| w.0.starts_with("content")),
        "the bundled site has placeholders in site.yaml and in pages: {written:?}"
    );
    // The site's address is an example domain until the council publishes it: a placeholder
    // without `TBC:`, reported at `base_url`.
    let base_url_line = std::fs::read_to_string(root.join("site.yaml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("base_url:"))
        .unwrap()
        + 1;
    let address: Vec<_> = checked()
        .warnings
        .iter()
        .filter(|d| d.message.starts_with("placeholder: the site address"))
        .map(|d| (d.file.clone(), d.line))
        .collect();
    assert_eq!(address, [(PathBuf::from("site.yaml"), base_url_line)]);
    let mut reported: Vec<_> = checked()
        .warnings
        .iter()
        .filter(|d| d.rule.map(|r| r.name()) == Some("placeholder"))
        .filter(|d| !d.message.starts_with("placeholder: the site address"))
        .map(|d| {
            let what = d
                .message
                .strip_prefix("placeholder: ")
                .unwrap_or(&d.message);
            (d.file.clone(), d.line, d.column, what.to_string())
        })
        .collect();
    written.sort();
    reported.sort();
    assert_eq!(reported, written);
}

/// The words around a number in the facts page's prose that make it something other than a
/// figure from the data file: ages and the smallest group the page will show.
const NOT_FIGURES: &[&str] = &[
    "aged 14 and over",
    "14 to 18 year olds",
    "16th birthday",
    "fewer than 5",
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A number as written in prose, with the words just before and after it.
#[derive(Debug)]
struct Written {
    text: String,
    value: f64,
    percent: bool,
    year_range: bool,
    before: Vec<String>,
    after: Vec<String>,
}

/// Every number in `text`: "617", "10,000", "114.9", "16%", "2020-21".
fn numbers(text: &str) -> Vec<Written> {
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: usize| chars.get(i).is_some_and(|c| c.is_ascii_digit());
    let words = |s: String| -> Vec<String> {
        s.split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
            .filter(|w| !w.is_empty())
            .collect()
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !digit(i) || (i > 0 && chars[i - 1].is_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        while digit(i)
            || ((chars[i] == ',' && (1..=3).all(|k| digit(i + k)) && !digit(i + 4))
                || (chars[i] == '.' && digit(i + 1)))
        {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        let percent = chars.get(i) == Some(&'%');
        let year_range = matches!(chars.get(i), Some('-' | '–')) && digit(i + 1);
        if year_range {
            i += 1;
            while digit(i) {
                i += 1;
            }
        }
        let before = words(chars[..start].iter().collect());
        let after = words(chars[i..].iter().collect());
        found.push(Written {
            value: number.replace(',', "").parse().unwrap(),
            text: number,
            percent,
            year_range,
            before: before[before.len().saturating_sub(3)..].to_vec(),
            after: after.into_iter().take(4).collect(),
        });
    }
    found
}

#[derive(serde::Deserialize)]
struct DatedFigures {
    charts: Vec<DatedChart>,
}

#[derive(serde::Deserialize)]
struct DatedChart {
    id: String,
    as_at: String,
    unit: String,
    bars: Vec<Bar>,
}

#[test]
fn every_figure_in_the_facts_page_prose_equals_the_data_file() {
    let data: DatedFigures = serde_yaml::from_str(&source("content/_data/figures.yaml")).unwrap();
    let page = html("facts-and-figures/index.html");
    // The page as a reader reads it, without the contents list, the pictures and the data
    // tables (those come from the data file and are checked elsewhere).
    let skip = Selector::parse("nav, svg, figure table").unwrap();
    let skipped: Vec<_> = page.select(&skip).map(|e| e.id()).collect();
    let prose = Selector::parse("main .prose").unwrap();
    let mut text = String::new();
    for node in page.select(&prose).next().unwrap().descendants() {
        if node.ancestors().any(|a| skipped.contains(&a.id())) {
            continue;
        }
        if let Some(t) = node.value().as_text() {
            text.push_str(t);
        }
    }
    let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for phrase in NOT_FIGURES {
        assert!(text.contains(phrase), "{phrase:?} is no longer on the page");
        text = text.replace(phrase, " ");
    }
    // The base of a rate ("per 10,000 children") is part of its unit, not a figure.
    let bases: Vec<String> = data
        .charts
        .iter()
        .flat_map(|c| numbers(&c.unit))
        .map(|n| n.text)
        .collect();
    let is_month = |w: Option<&String>| w.is_some_and(|w| MONTHS.contains(&w.as_str()));

    let mut quoted: Vec<(&str, f64)> = Vec::new();
    for n in numbers(&text) {
        let year =
            !n.text.contains(',') && (1900.0..2100.0).contains(&n.value) && n.text.len() == 4;
        let day = n.value <= 31.0 && is_month(n.after.first());
        let section = n
            .before
            .last()
            .is_some_and(|w| w.eq_ignore_ascii_case("section"));
        if year || n.year_range || day || section || bases.contains(&n.text) {
            continue;
        }
        let bars = data
            .charts
            .iter()
            .flat_map(|c| c.bars.iter().map(move |b| (c, b)));
        if n.percent {
            // A share: one figure as a whole-number percentage of another.
            let share = bars.clone().any(|(_, part)| {
                bars.clone().any(|(_, whole)| {
                    part.value < whole.value
                        && (100.0 * part.value / whole.value).round() == n.value
                })
            });
            assert!(
                share,
                "{}% is not a share of two figures in the data file",
                n.text
            );
            continue;
        }
        let matching: Vec<_> = bars.filter(|(_, b)| b.value == n.value).collect();
        assert!(
            !matching.is_empty(),
            "the page says {} ({:?} ... {:?}), which is not a figure in figures.yaml",
            n.text,
            n.before,
            n.after
        );
        // "110 in March 2020", "127.9 from December 2020": the figure for that date.
        if n.after.first().is_some_and(|w| w == "in" || w == "from") && is_month(n.after.get(1)) {
            let date = format!(
                "{} {}",
                n.after[1],
                n.after.get(2).cloned().unwrap_or_default()
            );
            assert!(
                matching
                    .iter()
                    .any(|(c, b)| b.label.contains(&date) || c.as_at == date),
                "the page gives {} for {date}, but figures.yaml gives that value for {:?}",
                n.text,
                matching.iter().map(|(_, b)| &b.label).collect::<Vec<_>>()
            );
        }
        for (chart, _) in matching {
            quoted.push((chart.id.as_str(), n.value));
        }
    }
    // The prose quotes figures from every chart (the extraction found them).
    for chart in &data.charts {
        assert!(
            quoted.iter().any(|(id, _)| *id == chart.id),
            "no figure from {} is quoted on the page: {quoted:?}",
            chart.id
        );
    }
}

#[derive(serde::Deserialize)]
struct Kind {
    fields: BTreeMap<String, FieldSpec>,
}

#[derive(serde::Deserialize)]
struct FieldSpec {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    required_when: BTreeMap<String, String>,
}

/// The front matter of a Markdown file, as YAML.
fn front_matter(file: &Path) -> serde_yaml::Mapping {
    let text = std::fs::read_to_string(file).unwrap();
    let yaml = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
        .map(|(front, _)| front)
        .unwrap_or_else(|| panic!("{}: no front matter", file.display()));
    serde_yaml::from_str(yaml).unwrap()
}

/// A value as the site shows it: placeholders read "To be confirmed".
fn shown(value: &str) -> String {
    if value.trim_start().starts_with("TBC:") {
        "To be confirmed".into()
    } else {
        value.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

#[test]
fn every_pledge_page_shows_every_field_its_kind_requires() {
    let kinds: BTreeMap<String, Kind> =
        serde_yaml::from_str(&source("themes/default/kinds.yaml")).unwrap();
    let pledge = &kinds["pledge"];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = 0;
    for file in walk(&root.join("content")) {
        if file.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let front = front_matter(&file);
        if front.get("kind").and_then(|k| k.as_str()) != Some("pledge") {
            continue;
        }
        pages += 1;
        let fields = front["fields"].as_mapping().unwrap();
        let get = |name: &str| fields.get(name).filter(|v| !v.is_null());
        let relative = file.strip_prefix(root.join("content")).unwrap();
        let url = relative.with_extension("").join("index.html");
        let page = html(url.to_str().unwrap());
        let where_ = file.display();

        // The pledge's own summary list, not the booklet's document control.
        let rows = Selector::parse("main dl.summary-list").unwrap();
        let own: Vec<_> = page
            .select(&rows)
            .filter(|dl| {
                !dl.ancestors().any(|a| {
                    a.value().as_element().is_some_and(|e| {
                        e.has_class("document-control", scraper::CaseSensitivity::CaseSensitive)
                    })
                })
            })
            .collect();
        assert_eq!(own.len(), 1, "{where_}: one list of the pledge's details");
        let details = Html::parse_fragment(&own[0].html());
        let (keys, values) = (texts(&details, "dt"), texts(&details, "dd"));
        assert_eq!(keys.len(), values.len(), "{where_}");
        // The row whose label names the field: "Review by" for review_by, "Who it is
        // for" for for.
        let row = |name: &str| -> Vec<&String> {
            keys.iter()
                .zip(&values)
                .filter(|(key, _)| {
                    let key = key.to_lowercase();
                    let words: Vec<&str> = key.split_whitespace().collect();
                    name.split('_').all(|w| words.contains(&w))
                })
                .map(|(_, value)| value)
                .collect()
        };
        let items = texts(&page, "main li");

        let mut scalars = 0;
        for (name, spec) in &pledge.fields {
            let required = spec.required
                || spec.required_when.iter().any(|(other, wanted)| {
                    get(other).and_then(|v| v.as_str()) == Some(wanted.as_str())
                });
            let Some(value) = get(name) else {
                assert!(!required, "{where_}: the required field {name} is missing");
                continue;
            };
            assert!(
                required || spec.required_when.is_empty(),
                "{where_}: {name} is set, but only belongs when {:?}",
                spec.required_when
            );
            match spec.kind.as_str() {
                "list" => {
                    for item in value.as_sequence().unwrap() {
                        let item = shown(item.as_str().unwrap());
                        assert!(
                            items.contains(&item),
                            "{where_}: {name} item {item:?} is not shown"
                        );
                    }
                }
                kind => {
                    scalars += 1;
                    let raw = value.as_str().map(str::to_string).unwrap_or_else(|| {
                        serde_yaml::to_string(value).unwrap().trim().to_string()
                    });
                    let expected = match kind {
                        "date" => chrono::NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
                            .map(|d| d.format("%-d %B %Y").to_string())
                            .unwrap_or_else(|_| shown(&raw)),
                        _ => shown(&raw),
                    };
                    let shown_as = row(name);
                    assert!(
                        shown_as.len() == 1 && shown_as[0].eq_ignore_ascii_case(&expected),
                        "{where_}: {name} {expected:?} is not shown: {keys:?} {values:?}"
                    );
                }
            }
        }
        // Nothing else is shown as a detail: no signing date on an unsigned pledge.
        assert_eq!(values.len(), scalars, "{where_}: {values:?}");
    }
    assert!(pages >= 6, "only {pages} pledge pages");
}

/// The titles a booklet's page lists as its chapters, in order, checking their numbers.
fn chapter_titles(booklet: &str) -> Vec<String> {
    texts(
        &html(&format!("{booklet}/index.html")),
        "nav.chapter-list a.document-list__title",
    )
    .iter()
    .enumerate()
    .map(|(i, text)| {
        let number = format!("{}. ", i + 1);
        text.strip_prefix(&number)
            .unwrap_or_else(|| panic!("{booklet}: chapter {text:?} is not numbered {number}"))
            .to_string()
    })
    .collect()
}

#[test]
fn each_document_has_its_chapters_in_order() {
    assert_eq!(
        texts(&html("if-this-were-my-child/index.html"), "h1"),
        ["If This Were My Child"]
    );
    assert_eq!(
        chapter_titles("if-this-were-my-child"),
        [
            "What corporate parenting means",
            "The seven corporate parenting principles in practice",
            "Sefton's children in care in figures",
            "What councillors and officers are asked to do",
            "Questions to ask",
            "Who does what",
            "Councillors and casework",
            "Cabinet's 20 resolutions and where they stand",
            "Where to get help",
        ]
    );
    assert_eq!(
        chapter_titles("partner-pledges"),
        [
            "Why partners are corporate parents too",
            "What the council expects of every partner",
            "Health services pledge",
            "Police and youth justice pledge",
            "Further education and training pledge",
            "Employers and work experience pledge",
            "Housing and the after-care safety net pledge",
            "Other councils pledge",
            "How to make a pledge, and how pledges are checked",
        ]
    );
    assert_eq!(
        chapter_titles("schools"),
        [
            "Why schools are corporate parents",
            "The designated teacher",
            "The nominated governor",
            "The Virtual School",
            "Personal Education Plans",
            "Attendance, exclusions and school moves",
            "Checklists for staff and governors",
        ]
    );
    assert_eq!(
        texts(&html("member-champion/index.html"), "h1"),
        ["Elected Member Champion for Corporate Parenting"]
    );
    assert_eq!(chapter_titles("member-champion"), ["Role description"]);

    // One pledge per sector the guidance names, in the same order, each a pledge page.
    let sectors: Vec<String> = chapter_urls("partner-pledges")
        .iter()
        .map(|url| html(&format!("{}index.html", &url[1..])))
        .filter(|page| !texts(page, "ol.commitments").is_empty())
        .map(|page| texts(&page, ".caption").concat().to_lowercase())
        .collect();
    let wanted: [&[&str]; 6] = [
        &["health", "mental health"],
        &["police", "youth justice"],
        &["further education", "training"],
        &["employers", "work"],
        &["housing", "after care"],
        &["other councils"],
    ];
    assert_eq!(sectors.len(), wanted.len(), "{sectors:?}");
    for (sector, words) in sectors.iter().zip(wanted) {
        for word in words {
            assert!(sector.contains(word), "{sector:?} does not cover {word:?}");
        }
    }
}

/// A table cell's text, whitespace collapsed.
fn cell_text(cell: scraper::ElementRef) -> String {
    cell.text()
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The table of Cabinet's resolutions on a built page: its header cells, and its body rows
/// cell by cell. It is the one table in the page's main content whose first column is
/// "Resolution" and whose last is "Status".
fn resolutions_table(path: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let page = html(path);
    let tables = Selector::parse("main table").unwrap();
    let header = Selector::parse("thead th").unwrap();
    let rows = Selector::parse("tbody tr").unwrap();
    let cells = Selector::parse("td").unwrap();
    let found: Vec<(Vec<String>, scraper::ElementRef)> = page
        .select(&tables)
        .map(|table| {
            let heads: Vec<String> = table.select(&header).map(cell_text).collect();
            (heads, table)
        })
        .filter(|(heads, _)| {
            heads.first().is_some_and(|h| h == "Resolution")
                && heads.last().is_some_and(|h| h == "Status")
        })
        .collect();
    assert_eq!(found.len(), 1, "{path}: one table of resolutions");
    let (heads, table) = &found[0];
    let body: Vec<Vec<String>> = table
        .select(&rows)
        .map(|row| row.select(&cells).map(cell_text).collect::<Vec<String>>())
        .collect();
    (heads.clone(), body)
}

#[test]
fn the_resolutions_page_lists_all_twenty_resolutions_in_order_each_with_a_status() {
    let (heads, rows) = resolutions_table("cabinet-resolutions/index.html");
    let status = heads.iter().position(|h| h == "Status").unwrap();
    let numbers: Vec<&str> = rows
        .iter()
        .map(|row| row.first().map_or("", String::as_str))
        .collect();
    let wanted: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    assert_eq!(
        numbers, wanted,
        "the page lists resolutions 1 to 20, each once, in order"
    );
    for row in &rows {
        assert_eq!(row.len(), heads.len(), "resolution {}: {row:?}", row[0]);
        assert!(
            row[1..].iter().all(|cell| !cell.is_empty()),
            "resolution {} has an empty cell: {row:?}",
            row[0]
        );
        // A placeholder shows as "To be confirmed: what is missing"; either way the status
        // says something.
        let says = row[status].trim_start_matches("To be confirmed:").trim();
        assert!(
            !says.is_empty(),
            "resolution {} has no status: {row:?}",
            row[0]
        );
    }
    // Resolution 20, the progress report Cabinet asked for, is there.
    assert!(rows[19][1].contains("progress"), "{:?}", rows[19]);

    // The If This Were My Child booklet has the same table, row for row.
    let (booklet_heads, booklet_rows) =
        resolutions_table("if-this-were-my-child/cabinet-resolutions/index.html");
    assert_eq!(booklet_heads, heads);
    assert_eq!(booklet_rows, rows);
}

#[test]
fn the_accessibility_statement_says_what_site_yaml_says() {
    let config: serde_yaml::Value = serde_yaml::from_str(&source("site.yaml")).unwrap();
    let value = |path: &[&str]| -> String {
        let mut v = &config;
        for key in path {
            v = &v[*key];
        }
        v.as_str()
            .unwrap_or_else(|| panic!("site.yaml has no {path:?}"))
            .to_string()
    };
    let page = html("accessibility/index.html");
    let text = sections(&page);
    let formats = &text["alternative-formats"];
    for key in ["email", "phone", "address"] {
        let wanted = shown(&value(&["organisation", key]));
        assert!(
            formats.contains(&wanted),
            "no {key} ({wanted}) in: {formats}"
        );
    }
    assert!(formats.contains(&value(&["organisation", "name"])));
    let status = value(&["accessibility", "status"]);
    let says = match status.as_str() {
        "full" => "fully compliant",
        "partial" => "partially compliant",
        _ => "not compliant",
    };
    assert!(
        text["compliance-status"].contains(says),
        "{}",
        text["compliance-status"]
    );
    for issue in config["accessibility"]["known_issues"]
        .as_sequence()
        .unwrap()
    {
        let issue = shown(issue.as_str().unwrap());
        assert!(text["non-accessible-content"].contains(&issue), "{issue}");
    }
    let prepared =
        chrono::NaiveDate::parse_from_str(&value(&["accessibility", "prepared_on"]), "%Y-%m-%d")
            .unwrap()
            .format("%-d %B %Y")
            .to_string();
    assert!(
        text["preparation"].contains(&format!("prepared on {prepared}")),
        "{}",
        text["preparation"]
    );

    for file in html_files(site()) {
        let page = Html::parse_document(&std::fs::read_to_string(&file).unwrap());
        assert!(
            attrs(&page, "footer a", "href")
                .iter()
                .any(|h| h == "/accessibility/"),
            "{}: no link to the accessibility statement in the footer",
            file.display()
        );
    }
}

/// A pledge's value of a field as the register shows it.
fn register_text(value: Option<&serde_yaml::Value>, when_absent: &str) -> String {
    match value.and_then(|v| v.as_str()) {
        None => when_absent.to_string(),
        Some(v) if v.starts_with("TBC:") => "To be confirmed".into(),
        Some(v) => match chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(date) => date.format("%-d %B %Y").to_string(),
            Err(_) => v.to_string(),
        },
    }
}

#[test]
fn the_register_lists_every_pledge_with_its_fields_and_claims_no_signature() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut expected: Vec<Vec<String>> = Vec::new();
    for file in walk(&root.join("content")) {
        if file.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let front = front_matter(&file);
        if front.get("kind").and_then(|k| k.as_str()) != Some("pledge") {
            continue;
        }
        let fields = front["fields"].as_mapping().unwrap();
        let relative = file.strip_prefix(root.join("content")).unwrap();
        let status = fields["status"].as_str().unwrap();
        let mut status_text = status.to_string();
        status_text[..1].make_ascii_uppercase();
        expected.push(vec![
            front["title"].as_str().unwrap().to_string(),
            format!("/{}/", relative.with_extension("").display()),
            register_text(fields.get("organisation"), ""),
            register_text(fields.get("sector"), ""),
            status_text,
            register_text(fields.get("signed_on"), "Not signed"),
            register_text(fields.get("review_by"), ""),
        ]);
    }
    expected.sort_by_key(|row| row[0].to_lowercase());
    assert_eq!(expected.len(), 6, "the bundled site has six pledges");
    let register = html("pledges/index.html");
    let rows: Vec<Vec<String>> = register
        .select(&Selector::parse("main table tbody tr").unwrap())
        .map(|row| {
            let header = row
                .select(&Selector::parse("th[scope=row] a").unwrap())
                .next()
                .unwrap();
            let mut cells = vec![
                header.text().collect::<String>(),
                header.value().attr("href").unwrap().to_string(),
            ];
            cells.extend(
                row.select(&Selector::parse("td").unwrap())
                    .map(|td| td.text().collect::<Vec<_>>().join(" ").trim().to_string()),
            );
            cells
        })
        .collect();
    assert_eq!(rows, expected);
    assert!(
        rows.iter()
            .all(|row| row[4] != "Signed" && row[5] == "Not signed"),
        "no pledge is shown as signed"
    );
    // The open data says the same, and the partner pledges booklet links to the register.
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site().join("pledges/pledges.json")).unwrap(),
    )
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site().join("pledges/pledges.schema.json")).unwrap(),
    )
    .unwrap();
    assert!(
        jsonschema::is_valid(&schema, &data),
        "pledges.json matches its schema"
    );
    let records = data["records"].as_array().unwrap();
    assert_eq!(records.len(), rows.len());
    for record in records {
        assert!(record["signed_on"].is_null());
        assert_ne!(record["status"], "signed");
        let tbc = record["to_be_confirmed"].as_array().unwrap();
        assert!(tbc.iter().any(|f| f == "organisation"), "{record}");
    }
    assert!(
        attrs(&html("partner-pledges/index.html"), "main a", "href").contains(&"/pledges/".into())
    );
}

#[test]
fn each_booklet_lists_its_updates_and_has_a_well_formed_feed() {
    for booklet in BOOKLETS {
        let page = html(&format!("{booklet}/index.html"));
        let updates = texts(&page, "#folio-updates ~ ol > li");
        assert!(!updates.is_empty(), "{booklet}: no updates listed");
        let feed = std::fs::read_to_string(site().join(booklet).join("atom.xml")).unwrap();
        let doc = roxmltree::Document::parse(&feed).unwrap();
        let entries = doc
            .root_element()
            .children()
            .filter(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "entry")))
            .count();
        assert_eq!(entries, updates.len(), "{booklet}: one feed entry a change");
        // Every chapter says when it was last updated, and links to the list.
        for chapter in chapter_urls(booklet) {
            let path = format!("{}index.html", chapter.trim_start_matches('/'));
            let links = attrs(&html(&path), ".last-updated a", "href");
            assert_eq!(links, [format!("/{booklet}/#folio-updates")], "{path}");
        }
    }
}
