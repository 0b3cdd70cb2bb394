//! `SiteTest`: a small site in a temp folder, built with the real `folio` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod pdf;

use scraper::{Html, Selector};

pub const SITE_YAML: &str =
    "title: Test site\nbase_url: https://test.example/\norganisation:\n  name: Test Council\n";

pub struct SiteTest {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn success(&self) -> bool {
        self.output.status.success()
    }
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    /// Asserts the build failed with exit code 1 and an error at `file:line` saying `message`.
    /// Line 0 means the whole file: the report names the file alone.
    pub fn assert_error(&self, file: &str, line: usize, message: &str) {
        let stderr = self.stderr();
        assert_eq!(
            self.code(),
            Some(1),
            "expected exit code 1; stderr:\n{stderr}"
        );
        let at_location = |l: &str| {
            let Some(rest) = l.trim_start().strip_prefix(&format!("--> {file}")) else {
                return false;
            };
            if line == 0 {
                return rest.is_empty();
            }
            // `:3` must not match `:30`: the line number ends at a colon or the line end.
            rest.strip_prefix(&format!(":{line}"))
                .is_some_and(|r| r.is_empty() || r.starts_with(':'))
        };
        // A block is one diagnostic: "error: ..." or "error[rule]: ...", its place, its hint.
        let found = stderr.split("\n\n").any(|block| {
            (block.starts_with("error: ") || block.starts_with("error["))
                && block.contains(message)
                && block.lines().any(at_location)
        });
        assert!(
            found,
            "expected an error `{message}` at {file}:{line}; stderr:\n{stderr}"
        );
    }
}

impl SiteTest {
    /// A site with site.yaml and the given files (path, text).
    pub fn new(files: &[(&str, &str)]) -> SiteTest {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), SITE_YAML).unwrap();
        let test = SiteTest { dir };
        for (path, text) in files {
            test.write(path, text);
        }
        test
    }

    /// Makes the booklets' standard PDF only (no large print, EPUB or print room copy), for
    /// tests of the PDF that need not typeset the rest.
    pub fn pdf_only(self) -> SiteTest {
        let yaml = std::fs::read_to_string(self.root().join("site.yaml")).unwrap();
        self.write(
            "site.yaml",
            &format!("{yaml}formats:\n  large_print: false\n  epub: false\n  print_room: false\n"),
        );
        self
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let full = self.root().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }

    pub fn folio(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("--root")
            .arg(self.root())
            .args(args)
            .output()
            .unwrap();
        Run { output }
    }

    /// `folio` with `args`, on a fixed day: review dates and page histories are checked
    /// against `today` (YYYY-MM-DD).
    pub fn folio_on(&self, today: &str, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("--root")
            .arg(self.root())
            .args(args)
            .env("FOLIO_TODAY", today)
            .output()
            .unwrap();
        Run { output }
    }

    /// `folio build --no-pdf --no-search`, the fast build most tests need.
    pub fn build(&self) -> Run {
        self.folio(&["build", "--no-pdf", "--no-search"])
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.public().join(path))
            .unwrap_or_else(|e| panic!("public/{path}: {e}"))
    }

    pub fn html(&self, path: &str) -> Html {
        Html::parse_document(&self.read(path))
    }

    /// Every file under public/ with its bytes, to compare two builds.
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir(&self.public())
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(self.public()).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walkdir(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// Texts of every element matching `selector`, whitespace collapsed.
pub fn texts(html: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Values of `attr` on every element matching `selector`.
pub fn attrs(html: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

pub fn page(title: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n{extra}---\n{body}")
}

/// Every `.html` file under `dir`, sorted.
pub fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    files
}

/// The text under each `h2`/`h3` with an id in the page's prose, up to the next such
/// heading, whitespace collapsed: what a reader finds in each section.
pub fn sections(html: &Html) -> std::collections::BTreeMap<String, String> {
    let prose = Selector::parse("main .prose").unwrap();
    let mut found = std::collections::BTreeMap::new();
    let mut current: Option<String> = None;
    for block in html.select(&prose).flat_map(|p| p.child_elements()) {
        let name = block.value().name();
        if let (true, Some(id)) = (name == "h2" || name == "h3", block.value().id()) {
            current = Some(id.to_string());
            found.insert(id.to_string(), String::new());
        } else if let Some(id) = &current {
            let text: Vec<&str> = block.text().flat_map(str::split_whitespace).collect();
            let section: &mut String = found.get_mut(id).unwrap();
            if !section.is_empty() {
                section.push(' ');
            }
            section.push_str(&text.join(" "));
        }
    }
    found
}
