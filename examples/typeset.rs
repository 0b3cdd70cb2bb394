//! Benchmark: time and peak memory to typeset each booklet's PDF, cold (first time in a fresh
//! process, no cache) and warm (again in the same process, where Typst reuses its memoised
//! work), plus a read from folio's PDF cache.
//!
//! cargo run --release --example typeset             the bundled site
//! cargo run --release --example typeset -- DIR      another site
//! cargo run --release --example typeset -- --generated 40
//!                                                   a generated booklet of 40 chapters
//!
//! Run each case in its own process: peak memory is the process's high-water mark.

use std::path::PathBuf;
use std::time::Duration;

use folio::build::{BuildOptions, build};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (root, _temp) = match args.as_slice() {
        [flag, n] if flag == "--generated" => {
            let chapters: usize = n.parse().expect("a number of chapters");
            let dir = tempfile::tempdir().expect("a temp folder");
            generate(dir.path(), chapters);
            (dir.path().to_path_buf(), Some(dir))
        }
        [dir] => (PathBuf::from(dir), None),
        _ => (PathBuf::from(env!("CARGO_MANIFEST_DIR")), None),
    };

    let run = |cache: bool| {
        let options = BuildOptions {
            search: false,
            pdf_cache: cache,
            ..BuildOptions::new(&root)
        };
        match build(&options) {
            Ok(built) => built,
            Err(failure) => {
                for d in failure.diagnostics.iter().filter(|d| d.is_error()) {
                    eprintln!("{}:{}: {}", d.file.display(), d.line, d.message);
                }
                std::process::exit(1);
            }
        }
    };
    let cold = run(false);
    let cold_peak = peak_mib();
    let warm = run(false);
    // Fill the cache, then read from it.
    let _ = run(true);
    let cached = run(true);

    println!(
        "{:<40} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "booklet", "pages", "size KiB", "cold ms", "warm ms", "cache ms"
    );
    let time_of = |built: &folio::build::Built, b: usize| {
        built
            .pdf_times
            .iter()
            .find(|(id, _)| *id == b)
            .map_or(Duration::ZERO, |(_, t)| *t)
    };
    for (b, info) in &cold.pdfs_by_booklet() {
        println!(
            "{:<40} {:>6} {:>9} {:>9.0} {:>9.0} {:>9.1}",
            cold.site.pages[*b].front.title,
            info.1,
            info.0 / 1024,
            ms(time_of(&cold, *b)),
            ms(time_of(&warm, *b)),
            ms(time_of(&cached, *b)),
        );
    }
    println!(
        "whole build with PDFs: cold {:.0} ms, warm {:.0} ms, cached {:.0} ms; peak memory {:.0} MiB after the cold build, {:.0} MiB at the end",
        ms(cold.elapsed),
        ms(warm.elapsed),
        ms(cached.elapsed),
        cold_peak,
        peak_mib()
    );
}

trait PdfSizes {
    /// Booklet page -> (bytes, pages) of its PDF.
    fn pdfs_by_booklet(&self) -> Vec<(usize, (usize, usize))>;
}

impl PdfSizes for folio::build::Built {
    fn pdfs_by_booklet(&self) -> Vec<(usize, (usize, usize))> {
        self.site
            .booklets()
            .filter_map(|b| {
                let url = folio::pdf::url(&self.site, b);
                let bytes = self
                    .output
                    .read(std::path::Path::new(url.trim_start_matches('/')))?
                    .ok()?;
                let pages = lopdf::Document::load_mem(&bytes).ok()?.get_pages().len();
                Some((b, (bytes.len(), pages)))
            })
            .collect()
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The process's peak resident memory (VmHWM), in MiB.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A booklet of `chapters` chapters of plain guidance text, about 600 words each, with
/// headings, lists and a table, so the typesetting load is like the real booklets'.
fn generate(root: &std::path::Path, chapters: usize) {
    let write = |path: &str, text: String| {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    };
    write(
        "site.yaml",
        "title: Benchmark\nbase_url: https://bench.example/\norganisation:\n  name: Bench Council\n"
            .into(),
    );
    write(
        "content/_index.md",
        "---\ntitle: Home\n---\n\nWelcome.\n".into(),
    );
    write(
        "content/guide/_index.md",
        "---\ntitle: Generated guide\nkind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1.0\"\n  approved_by: Cabinet\n  approved_on: 2020-01-01\n  review_by: 2030-01-01\n---\n\n## About this guide\n\nA generated booklet for measuring.\n".into(),
    );
    let sentences = [
        "The council looks after children in its care as a good parent would.",
        "Every officer and member shares that duty.",
        "Ask how each child is doing at school and at home.",
        "Listen to what young people tell you, and act on it.",
        "Check that plans are made on time and kept under review.",
        "Care leavers can get help from the council until they are 25.",
    ];
    for c in 1..=chapters {
        let mut body = String::new();
        for s in 1..=4 {
            body.push_str(&format!("## Part {s} of chapter {c}\n\n"));
            for p in 0..4 {
                for k in 0..5 {
                    body.push_str(sentences[(c + s + p + k) % sentences.len()]);
                    body.push(' ');
                }
                body.push_str("\n\n");
            }
            body.push_str("- Ask a question.\n- Read the plan.\n- Follow it up.\n\n");
        }
        body.push_str("| Who | What they do |\n| --- | --- |\n| Member | Asks questions |\n| Officer | Keeps plans up to date |\n");
        write(
            &format!("content/guide/chapter-{c:03}.md"),
            format!("---\ntitle: Chapter {c}\norder: {c}\n---\n\n{body}"),
        );
    }
}
