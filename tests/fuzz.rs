//! Fuzzing on stable Rust: property tests that throw arbitrary text at each reader of content
//! (front matter, Markdown to HTML, Markdown to Typst, the raw HTML scanner, the whole
//! pipeline), and a seeded run of mutated copies of the bundled guidance through whole
//! builds. None may panic, hang or report an error without a place.
//!
//! Inputs that once broke folio are kept at the end as regression cases.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use folio::build::{BuildOptions, build};
use folio::cache::Mode;
use proptest::prelude::*;

/// Text that looks like what editors write, with Markdown, YAML and HTML punctuation, other
/// scripts, controls and emoji mixed in.
fn contentish() -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(
        prop_oneof![
            "[a-zA-Z ]{0,12}",
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("---\n".to_string()),
            "[#>*_`\\[\\]()!:|\\-=+~{}<>/\"'&;.,]{1,4}",
            Just("> [!NOTE]\n".to_string()),
            Just("| a | b |\n|---|---|\n".to_string()),
            Just("<p style=\"color:#fff\">".to_string()),
            Just("<img src=x".to_string()),
            Just("```chart\n".to_string()),
            Just("[link](other.md#part)".to_string()),
            Just("TBC: ".to_string()),
            "[ءاأبةتثجحخدذرزسشصضطظعغفقكلمنهوي]{1,6}",
            "[\u{0}-\u{1f}\u{7f}\u{2028}\u{feff}\u{200d}]{1,3}",
            "[\u{1f600}-\u{1f64f}中文ሀ]{1,3}",
        ],
        0..40,
    );
    pieces.prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn front_matter_never_panics_and_errors_have_a_line(yaml in contentish()) {
        let text = format!("---\n{yaml}\n---\nBody.\n");
        if let Err(d) = folio::content::front_matter::parse(&text, Path::new("p.md")) {
            prop_assert!(d.line >= 1, "{d:?}");
            prop_assert!(!d.message.is_empty());
        }
    }

    #[test]
    fn html_scanning_and_rendering_never_panic(markdown in contentish()) {
        let doc = folio::markdown::parse(&markdown, 0, true);
        let html = folio::markdown::to_html(&doc, &folio::markdown::HtmlContext {
            charts: &[],
            glossary: &[],
            base_path: "/some/path/",
        });
        // Text from the page never arrives unescaped as a tag of its own making.
        prop_assert!(!html.contains("<script"));
    }
}

/// A small site around one page, built in memory (no PDFs: those have their own run below).
fn build_page(dir: &Path, text: &str) -> Result<(), String> {
    std::fs::write(dir.join("content/page.md"), text).unwrap();
    let options = BuildOptions {
        search: false,
        pdf: false,
        cache: Mode::Off,
        ..BuildOptions::new(dir)
    };
    match build(&options) {
        Ok(_) => Ok(()),
        Err(failure) => {
            if failure.internal {
                return Err(format!("internal error: {:?}", failure.diagnostics));
            }
            for d in &failure.diagnostics {
                // A fault of the whole file has no line; any other has one.
                let whole_file = d.line == 0
                    && (d.message.contains("file")
                        || d.message.contains("name")
                        || d.message.contains("page is")
                        || d.message.contains("home page")
                        || d.message.contains("theme")
                        || d.message.contains("content folder"));
                if d.line == 0 && !whole_file {
                    return Err(format!("an error without a line: {d:?}"));
                }
            }
            Ok(())
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    #[test]
    fn a_page_of_anything_builds_or_fails_with_placed_errors(body in contentish(), title in "[^\n]{0,30}") {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("site.yaml"), common::SITE_YAML).unwrap();
        std::fs::write(dir.path().join("content/_index.md"), "---\ntitle: Home\n---\nHi.\n").unwrap();
        let text = format!("---\ntitle: {title:?}\n---\n{body}");
        prop_assert_eq!(build_page(dir.path(), &text), Ok(()));
    }
}

/// Deterministic pseudo-random numbers (xorshift), so a failing mutation can be run again.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Mutates a page's text: bytes flipped, lines cut, doubled or swapped, markup dropped in.
fn mutate(text: &str, rng: &mut Seeded) -> String {
    const SNIPPETS: &[&str] = &[
        "---",
        "\n## ",
        "> [!WARNING]\n> ",
        "[x](nowhere.md)",
        "](",
        "<table><tr><td>",
        "`",
        "*",
        "\u{0}",
        "\u{202e}",
        "TBC:",
        "kind: pledge",
        "document_control:",
        "  status: signed",
        "\n| a |\n",
        "![](",
        "{#id}",
        "\r\n",
        "😀",
        "مرحبا",
        "```\n",
    ];
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..1 + rng.below(4) {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let at = rng.below(lines.len());
        match rng.below(6) {
            0 => {
                lines.remove(at);
            }
            1 => {
                let copy = lines[at].clone();
                lines.insert(at, copy);
            }
            2 => {
                let other = rng.below(lines.len());
                lines.swap(at, other);
            }
            3 => {
                let line = &mut lines[at];
                let cut = line
                    .char_indices()
                    .nth(rng.below(line.chars().count() + 1))
                    .map_or(line.len(), |(i, _)| i);
                line.insert_str(cut, SNIPPETS[rng.below(SNIPPETS.len())]);
            }
            4 => lines[at] = lines[at].chars().rev().collect(),
            _ => {
                let line = &mut lines[at];
                if let Some((i, c)) = line
                    .char_indices()
                    .nth(rng.below(line.chars().count().max(1)))
                {
                    let flipped = char::from_u32((c as u32) ^ (1 << rng.below(7))).unwrap_or('?');
                    line.replace_range(i..i + c.len_utf8(), &flipped.to_string());
                }
            }
        }
    }
    lines.join("\n") + "\n"
}

/// Every file of a folder, to copy the bundled site.
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let relative = entry.path().strip_prefix(from).unwrap();
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A seeded run of mutated copies of the bundled guidance through the whole pipeline, PDFs
/// included: each build ends (within a bound), without an internal error, and every error
/// it reports has its place. Booklets that did not change come from the cache.
#[test]
fn mutated_bundled_content_never_crashes_a_whole_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().unwrap();
    std::fs::copy(root.join("site.yaml"), site.path().join("site.yaml")).unwrap();
    copy_tree(&root.join("content"), &site.path().join("content"));
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "md" || x == "yaml")
        })
        .map(|e| e.into_path())
        .collect();
    let mut rng = Seeded(0x5eed_f011_0000_0001);
    let budget = Duration::from_secs(150);
    let started = Instant::now();
    let mut runs = 0;
    while runs < 150 && started.elapsed() < budget {
        let page = &pages[rng.below(pages.len())];
        let original = std::fs::read_to_string(page).unwrap();
        let mutated = mutate(&original, &mut rng);
        std::fs::write(page, &mutated).unwrap();
        let options = BuildOptions {
            search: false,
            ..BuildOptions::new(site.path())
        };
        let one = Instant::now();
        let result = build(&options);
        assert!(
            one.elapsed() < Duration::from_secs(60),
            "run {runs} took {:?}",
            one.elapsed()
        );
        if let Err(failure) = result {
            assert!(
                !failure.internal,
                "run {runs}, {}: an internal error for this text:\n{mutated}\n{:?}",
                page.display(),
                failure.diagnostics
            );
            for d in failure.diagnostics.iter().filter(|d| d.is_error()) {
                assert!(
                    d.line > 0
                        || d.file.extension().is_none_or(|e| e != "md")
                        || d.message.contains("file"),
                    "run {runs}, {}: an error without a line: {d:?}\n{mutated}",
                    page.display()
                );
            }
        }
        std::fs::write(page, original).unwrap();
        runs += 1;
    }
    assert!(
        runs >= 20,
        "only {runs} mutated builds ran in the time allowed"
    );
    eprintln!("{runs} mutated builds in {:?}", started.elapsed());
}

/// Inputs that once crashed folio.
#[test]
fn inputs_that_once_crashed_folio_do_not() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("site.yaml"), common::SITE_YAML).unwrap();
    std::fs::write(
        dir.path().join("content/_index.md"),
        "---\ntitle: Home\n---\nHi.\n",
    )
    .unwrap();
    for text in [
        // An attribute with no name before a letter of more than one byte.
        "---\ntitle: A\n---\n<p =\"x\"ü>Text</p>\n",
        "---\ntitle: A\n---\n<p ü=1 =é>\n",
    ] {
        assert_eq!(build_page(dir.path(), text), Ok(()), "{text}");
    }
}
