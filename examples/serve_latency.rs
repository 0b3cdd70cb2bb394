//! Benchmark: how long `folio serve` takes from saving a page to telling the browser to
//! reload, and to serving the new page. Edits one chapter of a copy of the site 20 times.
//!
//! cargo run --release --example serve_latency              the bundled site
//! cargo run --release --example serve_latency -- DIR       another site (bench/out/1000/folio)

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use folio::serve::{Change, ServeOptions, start};

const EDITS: usize = 20;

fn main() {
    let source = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let copy = tempfile::tempdir().expect("a temp folder");
    for part in ["site.yaml", "content", "templates", "static", "themes"] {
        let from = source.join(part);
        if from.exists() {
            copy_tree(&from, &copy.path().join(part));
        }
    }
    let (file, url) = pick_chapter(copy.path());
    let original = std::fs::read_to_string(&file).unwrap();
    let pages = walkdir::WalkDir::new(copy.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();

    let started = Instant::now();
    let server = start(ServeOptions::new(copy.path())).expect("the server starts");
    println!(
        "{} ({pages} Markdown files): first build and start in {:.0} ms; editing {}",
        source.display(),
        started.elapsed().as_secs_f64() * 1000.0,
        url
    );
    let mut changes = server.changes();
    let waited = Instant::now();
    wait_for_background(&server);
    println!(
        "PDFs and search index of the whole site ready {:.1} s after that",
        waited.elapsed().as_secs_f64()
    );
    let (mut to_event, mut to_page, mut to_finished) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..EDITS {
        // An editor reads between saves: the PDFs and index of the last save are done.
        std::thread::sleep(Duration::from_millis(200));
        while changes.try_recv().is_ok() {}
        let marker = format!("Edit number {i} for timing.");
        let saved = Instant::now();
        std::fs::write(&file, format!("{original}\n{marker}\n")).unwrap();
        loop {
            match changes.blocking_recv() {
                Ok(Change::Reload { .. }) => break,
                Ok(Change::Errors { problems }) => panic!("the edit broke the site: {problems:?}"),
                _ => {}
            }
        }
        to_event.push(saved.elapsed());
        while !get(server.addr, &url).contains(&marker) {
            std::thread::sleep(Duration::from_micros(200));
        }
        to_page.push(saved.elapsed());
        wait_for_background(&server);
        to_finished.push(saved.elapsed());
    }
    report("save -> reload event", &mut to_event);
    report("save -> new page served", &mut to_page);
    report(
        "save -> booklet PDF and search index updated",
        &mut to_finished,
    );
}

fn wait_for_background(server: &folio::serve::Server) {
    let deadline = Instant::now() + Duration::from_secs(600);
    while !server.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[times.len() / 2];
    let p95 = times[((times.len() as f64) * 0.95).ceil() as usize - 1];
    println!(
        "{what}: median {:.1} ms, p95 {:.1} ms (of {})",
        ms(median),
        ms(p95),
        times.len()
    );
}

/// A chapter in the middle of the site: its file and its URL.
fn pick_chapter(root: &Path) -> (PathBuf, String) {
    let mut chapters: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "md")
                && p.file_name().is_some_and(|n| n != "_index.md")
                && p.parent() != Some(&root.join("content"))
        })
        .collect();
    chapters.sort();
    let file = chapters[chapters.len() / 2].clone();
    let relative = file
        .strip_prefix(root.join("content"))
        .unwrap()
        .with_extension("");
    (file, format!("/{}/", relative.display()))
}

fn get(addr: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut body = String::new();
    let _ = stream.read_to_string(&mut body);
    body
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_file() {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
        return;
    }
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
