//! Writing the output folder: only what changed is written, a killed build never leaves a
//! site that the next build cannot finish, and no output folder can harm the sources.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{SiteTest, page};

/// Every file under `dir` with its bytes; with `all`, the manifest and anything hidden too.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Each file's modification time and inode: what a rewrite would change.
fn stamps(dir: &Path) -> BTreeMap<PathBuf, (i64, i64, u64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                (meta.mtime(), meta.mtime_nsec(), meta.ino()),
            )
        })
        .collect()
}

fn site() -> SiteTest {
    SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/guide/_index.md",
            &page("Guide", "kind: booklet\n", "Text.\n"),
        ),
        (
            "content/guide/one.md",
            &page("One", "order: 1\n", "## Start\n\nFirst.\n"),
        ),
        (
            "content/guide/two.md",
            &page("Two", "order: 2\n", "## Start\n\nSecond.\n"),
        ),
        ("content/about.md", &page("About", "", "About us.\n")),
    ])
}

/// A cold build of the site as it is now, into a new folder: what any build must equal.
fn cold(site: &SiteTest) -> BTreeMap<PathBuf, Vec<u8>> {
    let out = site.root().join("cold");
    let _ = std::fs::remove_dir_all(&out);
    let run = site.folio(&["build", "--no-search", "-o", out.to_str().unwrap()]);
    assert!(run.success(), "{}", run.stderr());
    let files = tree(&out);
    std::fs::remove_dir_all(&out).unwrap();
    files
}

#[test]
fn an_unchanged_rebuild_writes_no_file() {
    let site = site();
    assert!(site.folio(&["build", "--no-search"]).success());
    let before = stamps(&site.public());
    std::thread::sleep(Duration::from_millis(20));
    let run = site.folio(&["build", "--no-search"]);
    assert!(run.success(), "{}", run.stderr());
    assert_eq!(
        stamps(&site.public()),
        before,
        "an unchanged rebuild rewrote files"
    );
    assert!(run.stdout().contains("0 written"), "{}", run.stdout());
    assert_eq!(tree(&site.public()), cold(&site));
}

#[test]
fn after_an_edit_an_addition_and_a_removal_the_output_equals_a_cold_build() {
    let site = site();
    assert!(site.folio(&["build", "--no-search"]).success());
    let before = stamps(&site.public());
    site.write(
        "content/guide/two.md",
        &page("Two", "order: 2\n", "## Start\n\nSecond, edited.\n"),
    );
    site.write(
        "content/guide/three.md",
        &page("Three", "order: 3\n", "## Start\n\nThird.\n"),
    );
    std::fs::remove_file(site.root().join("content/about.md")).unwrap();
    let run = site.folio(&["build", "--no-search"]);
    assert!(run.success(), "{}", run.stderr());
    let after = tree(&site.public());
    assert_eq!(after, cold(&site));
    assert!(
        !site.public().join("about").exists(),
        "the removed page's folder stays"
    );
    // A file that did not change keeps its inode and time: it was not written again.
    let now = stamps(&site.public());
    assert_eq!(
        now[Path::new("css/folio.css")],
        before[Path::new("css/folio.css")]
    );
}

#[test]
fn leftovers_of_killed_builds_are_cleaned_and_do_not_block() {
    let site = site();
    assert!(site.folio(&["build", "--no-pdf", "--no-search"]).success());
    // What a killed older folio left beside the output, and a staging folder inside it.
    for leftover in [".public.old-1", ".public.new-abc"] {
        std::fs::create_dir_all(site.root().join(leftover).join("x")).unwrap();
    }
    std::fs::create_dir_all(site.public().join(".folio-staging-0000/guide")).unwrap();
    std::fs::write(
        site.public().join(".folio-staging-0000/guide/index.html"),
        "half",
    )
    .unwrap();
    let run = site.folio(&["build", "--no-pdf", "--no-search"]);
    assert!(run.success(), "{}", run.stderr());
    for leftover in [".public.old-1", ".public.new-abc"] {
        assert!(!site.root().join(leftover).exists(), "{leftover} stays");
    }
    assert!(!site.public().join(".folio-staging-0000").exists());
}

#[test]
fn outputs_that_would_harm_the_sources_are_refused_before_anything_is_touched() {
    let site = site();
    let before = tree(site.root());
    let root = site.root().to_str().unwrap().to_string();
    for output in [
        root.clone(),
        format!("{root}/content"),
        format!("{root}/content/guide"),
        format!("{root}/themes"),
        format!("{root}/.."),
        format!("{root}/public/../content"),
    ] {
        let run = site.folio(&["build", "--no-pdf", "--force", "-o", &output]);
        assert_eq!(run.code(), Some(1), "{output}: {}", run.stderr());
        assert!(
            run.stderr().contains("the output folder"),
            "{}",
            run.stderr()
        );
        assert_eq!(tree(site.root()), before, "{output}: the sources changed");
    }
}

#[test]
fn a_folder_folio_did_not_make_is_refused_unless_forced() {
    let site = site();
    let out = site.root().join("elsewhere");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let run = site.folio(&["build", "--no-pdf", "-o", out.to_str().unwrap()]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr().contains("has files that folio did not write"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("--force"), "{}", run.stderr());
    assert_eq!(tree(&out).len(), 1, "a refused build wrote into the folder");
    let run = site.folio(&["build", "--no-pdf", "--force", "-o", out.to_str().unwrap()]);
    assert!(run.success(), "{}", run.stderr());
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(out.join("index.html").is_file());
    // Once folio has written it, no --force is needed.
    assert!(
        site.folio(&["build", "--no-pdf", "-o", out.to_str().unwrap()])
            .success()
    );
}

fn generate(out: &Path, pages: usize) {
    let status = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/generate.py"))
        .args(["--pages", &pages.to_string(), "--only", "folio", "--out"])
        .arg(out)
        .status()
        .expect("python3 runs the generator");
    assert!(status.success());
}

/// The site's files, without what a write in progress keeps beside them.
fn site_files(public: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    tree(public)
        .into_iter()
        .filter(|(p, _)| {
            let first = p
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .into_owned();
            !first.starts_with(".folio-staging-")
                && !first.starts_with(".folio-partial-")
                && first != ".folio-journal"
        })
        .collect()
}

#[test]
fn a_build_killed_at_any_point_leaves_a_site_the_next_build_completes() {
    let tmp = tempfile::tempdir().unwrap();
    generate(tmp.path(), 200);
    let root = tmp.path().join("folio");
    let public = root.join("public");
    let build = |kill_after: Option<Duration>| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("-r")
            .arg(&root)
            .args(["build", "--no-pdf", "--no-search"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        match kill_after {
            Some(delay) => {
                std::thread::sleep(delay);
                let _ = child.kill();
                child.wait().unwrap();
            }
            None => assert!(child.wait().unwrap().success()),
        }
    };
    // The old site, and the new one: a new site title changes every page.
    let site_yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    let retitle = |title: &str| {
        let text: String = site_yaml
            .lines()
            .map(|l| {
                if l.starts_with("title:") {
                    format!("title: {title}")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(root.join("site.yaml"), text + "\n").unwrap();
    };
    retitle("Old title");
    build(None);
    let old = tree(&public);
    retitle("New title");
    let started = Instant::now();
    build(None);
    let took = started.elapsed();
    let new = tree(&public);
    assert_ne!(old, new);

    let mut finished_by_next = 0;
    for step in 0..14 {
        retitle("Old title");
        build(None);
        assert_eq!(tree(&public), old);
        retitle("New title");
        // Kills spread over the second half of a build and past its end, where it writes.
        let delay = took.mul_f64(0.5 + 0.04 * f64::from(step));
        build(Some(delay));
        let journal = public.join(".folio-journal").exists();
        if !journal {
            // Nothing was being moved: the folder is one whole site, old or new.
            let now = site_files(&public);
            assert!(
                now == old || now == new,
                "step {step}: a mixed site without a journal"
            );
        } else {
            finished_by_next += 1;
        }
        build(None);
        assert_eq!(
            tree(&public),
            new,
            "step {step}: the next build did not complete the site"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&public)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".folio-staging-") || n == ".folio-journal")
            .collect();
        assert!(leftovers.is_empty(), "step {step}: {leftovers:?}");
    }
    eprintln!("{finished_by_next} of 14 kills came while a journal was being carried out");
}

/// Pages are handed to the writer as they are rendered; a build that fails after some of
/// them were staged still leaves the folder exactly as it was, with nothing staged left.
#[test]
fn a_build_failing_while_pages_are_written_leaves_the_folder_as_it_was() {
    let site = site();
    assert!(site.folio(&["build", "--no-pdf", "--no-search"]).success());
    let before = tree(&site.public());
    let stamped = stamps(&site.public());
    // Every page changes; one page's template then fails while the pages are rendered (a
    // value the template divides by is text on that page alone).
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ 10 / page.extra.parts }}{% endblock %}",
    );
    site.write(
        "content/about.md",
        &page("About", "extra:\n  parts: 2\n", "About us, edited.\n"),
    );
    site.write(
        "content/guide/one.md",
        &page(
            "One",
            "order: 1\nextra:\n  parts: many\n",
            "## Start\n\nFirst.\n",
        ),
    );
    let run = site.folio(&["build", "--no-pdf", "--no-search"]);
    assert!(!run.success(), "the build should fail: {}", run.stdout());
    assert!(run.stderr().contains("one.md"), "{}", run.stderr());
    assert_eq!(
        tree(&site.public()),
        before,
        "a failed build changed the site"
    );
    assert_eq!(stamps(&site.public()), stamped);
    let left: Vec<String> = std::fs::read_dir(site.public())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".folio-staging") || n.starts_with(".folio-journal"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
