//! Benchmark: how long the accessibility and plain-English checks take on a whole site,
//! apart from loading and parsing it. Runs the checks 10 times and prints the median.
//!
//! cargo run --release --example lint_time              the bundled site
//! cargo run --release --example lint_time -- DIR       another site (bench/out/1000/folio)

use std::path::PathBuf;
use std::time::Instant;

use folio::config::Config;
use folio::content::{LoadOptions, Site};
use folio::lint::Checks;
use folio::theme::Theme;

const RUNS: usize = 10;

fn main() {
    let root = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let config = Config::load(&root, None).expect("site.yaml loads");
    let (theme, _) = Theme::load(&root, &config.theme).expect("the theme loads");
    let (site, _) = Site::load(
        &root,
        config,
        theme.kinds.clone(),
        &LoadOptions {
            drafts: false,
            known: &Default::default(),
            glossary_template: theme.settings.glossary_template.clone(),
        },
    );
    let smart = site.config.markdown.smart_punctuation;

    let parsing = Instant::now();
    let documents: Vec<_> = site
        .pages
        .values()
        .map(|p| folio::markdown::parse(p.text(), p.body_offset, smart))
        .collect();
    let parse_ms = parsing.elapsed().as_secs_f64() * 1000.0;
    let words: usize = site
        .pages
        .values()
        .map(|p| p.text().split_whitespace().count())
        .sum();

    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let checks = Checks::new(&site, &theme.schemes, today);
        found = {
            use rayon::prelude::*;
            site.pages
                .values()
                .collect::<Vec<_>>()
                .par_iter()
                .zip(documents.par_iter())
                .map(|(page, doc)| checks.page(page, doc).len())
                .sum()
        };
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{}: {} pages, {words} words; parsing (one thread) {parse_ms:.1} ms; checks (all cores) median {:.1} ms, fastest {:.1} ms; {found} findings",
        root.display(),
        site.pages.len(),
        times[RUNS / 2],
        times[0],
    );
}
