//! Benchmark: time and peak memory to make each format of each booklet (the PDF, the large
//! print PDF, the EPUB, the print room's imposed PDF), cold and warm.
//!
//! cargo run --release --example typeset             the bundled booklets and a generated
//!                                                   booklet of about 40 pages
//! cargo run --release --example typeset -- DIR      another site's booklets, and the
//!                                                   generated one
//!
//! Each booklet and format is measured in processes of its own (the example runs itself
//! again, three times per booklet and format, and reports the medians), so that "cold" really is cold (Typst's
//! memoised work starts empty) and the peak memory (VmHWM from /proc/self/status) belongs to
//! that booklet alone:
//!
//! - cold: the first typeset of the booklet in the process, after the site is loaded and
//!   parsed and the fonts and print template are read (that setup is its own column);
//! - warm: the median of three more typesets in the same process, where Typst reuses what
//!   it memoised; folio's PDF cache is off for both;
//! - cache: the median of three builds of the booklet with folio's PDF cache filled, which
//!   convert the Markdown and hash the inputs, then read the PDF back;
//! - peak: the process's high-water mark of resident memory after the cold typeset, and
//!   after everything; "site" is the mark before any typesetting (the site loaded and
//!   parsed), so the difference is what typesetting costs.
//!
//! Prints a Markdown table.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use folio::build::{BuildOptions, Built};
use folio::cache::{Cache, Entry, Mode};
use folio::content::PageId;
use folio::print::{Typesetter, Variant};

/// The formats measured, by the names the rows give them.
const FORMATS: [&str; 4] = ["PDF", "Large print", "EPUB", "Print room"];

/// Pages the generated booklet should have, within a page or two.
const GENERATED_PAGES: usize = 40;
/// Fresh processes per booklet; each figure is the median of theirs.
const PROCESSES: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, root, booklet, format] if flag == "--measure" => {
            measure(Path::new(root), booklet, format)
        }
        [dir] => report(PathBuf::from(dir)),
        [] => report(PathBuf::from(env!("CARGO_MANIFEST_DIR"))),
        _ => {
            eprintln!("usage: typeset [DIR]");
            std::process::exit(2);
        }
    }
}

/// One measured booklet, as the child process prints it.
struct Row {
    title: String,
    format: String,
    pages: usize,
    kib: usize,
    setup_ms: f64,
    cold_ms: f64,
    warm_ms: f64,
    cache_ms: f64,
    site_mib: f64,
    cold_mib: f64,
    end_mib: f64,
}

impl Row {
    fn to_line(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{:.1}\t{:.1}\t{:.1}\t{:.2}\t{:.1}\t{:.1}\t{:.1}",
            self.title.replace(['\t', '\n'], " "),
            self.format,
            self.pages,
            self.kib,
            self.setup_ms,
            self.cold_ms,
            self.warm_ms,
            self.cache_ms,
            self.site_mib,
            self.cold_mib,
            self.end_mib
        )
    }

    /// Each figure's median over several processes (the booklet is the same in each).
    fn median(rows: Vec<Row>) -> Row {
        let mid = |f: fn(&Row) -> f64| {
            let mut v: Vec<f64> = rows.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        Row {
            title: rows[0].title.clone(),
            format: rows[0].format.clone(),
            pages: rows[0].pages,
            kib: rows[0].kib,
            setup_ms: mid(|r| r.setup_ms),
            cold_ms: mid(|r| r.cold_ms),
            warm_ms: mid(|r| r.warm_ms),
            cache_ms: mid(|r| r.cache_ms),
            site_mib: mid(|r| r.site_mib),
            cold_mib: mid(|r| r.cold_mib),
            end_mib: mid(|r| r.end_mib),
        }
    }

    fn from_line(line: &str) -> Option<Row> {
        let f: Vec<&str> = line.split('\t').collect();
        let n = |i: usize| f.get(i)?.parse::<f64>().ok();
        Some(Row {
            title: f.first()?.to_string(),
            format: f.get(1)?.to_string(),
            pages: f.get(2)?.parse().ok()?,
            kib: f.get(3)?.parse().ok()?,
            setup_ms: n(4)?,
            cold_ms: n(5)?,
            warm_ms: n(6)?,
            cache_ms: n(7)?,
            site_mib: n(8)?,
            cold_mib: n(9)?,
            end_mib: n(10)?,
        })
    }
}

/// Measures one booklet (by its address) in a fresh process.
fn run_child(me: &Path, dir: &Path, booklet: &str, format: &str) -> Row {
    let output = Command::new(me)
        .arg("--measure")
        .arg(dir)
        .arg(booklet)
        .arg(format)
        .output()
        .expect("the example can run itself");
    let stdout = String::from_utf8_lossy(&output.stdout);
    match stdout.lines().last().and_then(Row::from_line) {
        Some(row) if output.status.success() => row,
        _ => {
            eprint!("{}", String::from_utf8_lossy(&output.stderr));
            eprintln!(
                "booklet {booklet} of {} could not be measured",
                dir.display()
            );
            std::process::exit(1);
        }
    }
}

/// Runs every booklet of `root`, then the generated booklet, each in its own process, and
/// prints the table.
fn report(root: PathBuf) {
    let generated = tempfile::tempdir().expect("a temporary folder");
    generate(generated.path(), GENERATED_PAGES);
    let mut runs: Vec<(PathBuf, String, &str)> = Vec::new();
    for dir in [root.as_path(), generated.path()] {
        let built = load(dir);
        let site = &built.site;
        for b in site.booklets() {
            for format in FORMATS {
                runs.push((dir.to_path_buf(), site.page(b).url.clone(), format));
            }
        }
    }
    let me = std::env::current_exe().expect("the example's own path");
    let mut rows = Vec::new();
    for (dir, booklet, format) in &runs {
        let samples: Vec<Row> = (0..PROCESSES)
            .map(|_| run_child(&me, dir, booklet, format))
            .collect();
        let row = Row::median(samples);
        eprintln!(
            "measured {}, {} ({} pages)",
            row.title, row.format, row.pages
        );
        rows.push(row);
    }

    println!(
        "Typesetting each booklet (`cargo run --release --example typeset`), {} CPU cores: \
         each figure is the median of {PROCESSES} fresh processes per booklet.\n",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "| Booklet | Format | Pages | KiB | Setup ms | Cold ms | Warm ms | From cache ms | Site MiB | Peak MiB, cold | Peak MiB, end |"
    );
    println!("| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.1} | {:.0} | {:.0} | {:.0} |",
            r.title.replace('|', "\\|"),
            r.format,
            r.pages,
            r.kib,
            r.setup_ms,
            r.cold_ms,
            r.warm_ms,
            r.cache_ms,
            r.site_mib,
            r.cold_mib,
            r.end_mib
        );
    }
    println!(
        "\nSetup: fonts and print template read once per build. Cold: the first typeset in a \
         process. Warm: the median of three more in the same process (Typst's memoised work \
         reused). From cache: the median of three reads from folio's PDF cache (Markdown \
         converted and inputs hashed, then the PDF read). Memory is the process's peak resident \
         size (VmHWM): with the site loaded, after the cold typeset, and at the end."
    );
    if let Some(r) = rows.iter().rev().find(|r| r.format == "PDF") {
        let near = r.pages.abs_diff(GENERATED_PAGES) <= 3;
        println!(
            "\nThe generated booklet has {} pages{}.",
            r.pages,
            if near {
                String::new()
            } else {
                format!(" (wanted about {GENERATED_PAGES}: the generator needs adjusting)")
            }
        );
    }
}

/// In a process of its own: loads the site, makes one booklet in one format cold, warm and
/// from the cache, and prints one tab-separated line.
fn measure(root: &Path, url: &str, format: &str) {
    let built = load(root);
    let site = &built.site;
    let booklet: PageId = site
        .booklets()
        .find(|&b| site.page(b).url == url)
        .unwrap_or_else(|| panic!("no booklet at {url}"));
    let ids = site.booklet_pages(booklet);
    let read: Vec<_> = ids.iter().map(|&id| (id, built.document(id))).collect();
    let documents: Vec<_> = read.iter().map(|(id, d)| (*id, d)).collect();
    let html: Vec<_> = ids.iter().map(|&id| (id, built.html(id))).collect();
    let bodies: Vec<_> = html.iter().map(|(id, h)| (*id, h.as_str())).collect();
    let site_mib = peak_mib();

    let started = Instant::now();
    let typesetter =
        Typesetter::load(&built.theme, &built.site.config.brand).unwrap_or_else(|d| fail(&[d]));
    let stylesheet = built
        .theme
        .file(folio::ebook::STYLESHEET)
        .and_then(|f| f.bytes().ok())
        .map(|b| b.into_owned())
        .unwrap_or_default();
    let setup = started.elapsed();

    let variant = match format {
        "Large print" => Variant::LargePrint,
        // Made from the large print (an A4 booklet) or the PDF (an A5 one), imposed.
        "Print room" => folio::print::imposed_variant(site, booklet),
        _ => Variant::Standard,
    };
    // The format made from scratch: typeset (and imposed), or the EPUB laid out and packed.
    let make = || -> Entry {
        if format == "EPUB" {
            let book = folio::ebook::prepare(site, booklet, &bodies, &stylesheet);
            let bytes = folio::ebook::pack(&book).expect("the EPUB packs");
            return Entry { bytes, pages: 0 };
        }
        let mut pdf = typesetter
            .typeset(site, typesetter.prepare(site, booklet, &documents, variant))
            .unwrap_or_else(|d| fail(&d));
        if format == "Print room" {
            pdf = folio::print::impose(site, booklet, &pdf).unwrap_or_else(|d| fail(&[d]));
        }
        Entry {
            bytes: pdf.bytes,
            pages: pdf.pages,
        }
    };
    // What a build does before it reads the cache: lays the document out and hashes it.
    let key = || {
        if format == "EPUB" {
            folio::ebook::key(&folio::ebook::prepare(site, booklet, &bodies, &stylesheet))
        } else {
            typesetter.key(&typesetter.prepare(site, booklet, &documents, variant))
        }
    };
    let timed = || {
        let started = Instant::now();
        let entry = make();
        (started.elapsed(), entry)
    };
    let (cold, entry) = timed();
    let cold_mib = peak_mib();
    let warm = median((0..3).map(|_| timed().0).collect());

    // A cache as `folio build` uses it: inputs laid out and hashed, then the file read back
    // and its bytes verified.
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let cache = Cache::new(scratch.path(), Mode::ReadWrite);
    cache.put("bench", &key(), &entry);
    let reads: Vec<Duration> = (0..3)
        .map(|_| {
            let started = Instant::now();
            assert!(
                cache.get("bench", &key()).is_some(),
                "the cache did not answer"
            );
            started.elapsed()
        })
        .collect();
    let row = Row {
        title: site.page(booklet).front.title.clone(),
        format: format.to_string(),
        pages: entry.pages,
        kib: entry.bytes.len().div_ceil(1024),
        setup_ms: ms(setup),
        cold_ms: ms(cold),
        warm_ms: ms(warm),
        cache_ms: ms(median(reads)),
        site_mib,
        cold_mib,
        end_mib: peak_mib(),
    };
    println!("{}", row.to_line());
}

/// The site and its pages' parts, as `folio build` prepares them (no PDFs, no cache).
fn load(root: &Path) -> Built {
    let options = BuildOptions {
        pdf: false,
        search: false,
        cache: Mode::Off,
        ..BuildOptions::new(root)
    };
    folio::build::build(&options).unwrap_or_else(|f| fail(&f.diagnostics))
}

fn fail(diagnostics: &[folio::diagnostics::Diagnostic]) -> ! {
    for d in diagnostics {
        eprintln!("{}:{}: {}", d.file.display(), d.line, d.message);
    }
    std::process::exit(1);
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The process's peak resident memory (VmHWM), in MiB; 0 where /proc is not available.
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

/// A site with one booklet of plain guidance text that typesets to about `pages` A4 pages:
/// each chapter is a little under one page (headings, paragraphs, a list and a table, like
/// the real booklets), and the cover, contents, introduction and back page make the rest.
fn generate(root: &Path, pages: usize) {
    // The cover, two pages of contents and document control, the introduction, the back page.
    const FRONT_AND_BACK: usize = 5;
    let chapters = pages.saturating_sub(FRONT_AND_BACK).max(1);
    let write = |path: &str, text: String| {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    };
    write(
        "site.yaml",
        "title: Benchmark\nbase_url: https://bench.example/\norganisation:\n  name: Bench Council\n  email: bench@example.org\n"
            .into(),
    );
    write(
        "content/_index.md",
        "---\ntitle: Home\n---\n\nWelcome.\n".into(),
    );
    write(
        "content/guide/_index.md",
        "---\ntitle: Generated guide\nkind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1.0\"\n  status: approved\n  approved_by: Cabinet\n  approved_on: 2020-01-01\n  review_by: 2030-01-01\n---\n\n## About this guide\n\nA generated booklet for measuring.\n".into(),
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
        for s in 1..=3 {
            body.push_str(&format!("## Part {s} of chapter {c}\n\n"));
            for p in 0..2 {
                for k in 0..3 {
                    body.push_str(sentences[(c + s + p + k) % sentences.len()]);
                    body.push(' ');
                }
                body.push_str("\n\n");
            }
        }
        body.push_str("- Ask a question.\n- Read the plan.\n- Follow it up.\n\n");
        body.push_str("| Who | What they do |\n| --- | --- |\n| Member | Asks questions |\n| Officer | Keeps plans up to date |\n");
        write(
            &format!("content/guide/chapter-{c:03}.md"),
            format!(
                "---\ntitle: Chapter {c}\ndescription: What chapter {c} covers.\norder: {c}\n---\n\n{body}"
            ),
        );
    }
}
