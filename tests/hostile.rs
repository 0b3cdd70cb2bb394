//! Content and settings a careless or hostile person could write: each gets a clear error at
//! its file and line, never a crash, a hang, a flood of output or a file read from outside
//! the site.

mod common;

use common::{SiteTest, page};

const HOME: (&str, &str) = ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");

#[test]
fn a_damaged_cache_entry_is_typeset_again_not_published() {
    let site = SiteTest::new(&[
        HOME,
        (
            "content/g/_index.md",
            &page("Guide", "kind: booklet\n", "## Start\n\nText.\n"),
        ),
    ]);
    let run = site.folio(&["build", "--no-search"]);
    assert!(run.success(), "{}", run.stderr());
    let good = std::fs::read(site.public().join("g/g.pdf")).unwrap();
    // Every cached PDF cut short, as a full disk would leave it.
    let cache = site.root().join(".folio/cache/pdf");
    let mut damaged = 0;
    for entry in std::fs::read_dir(&cache).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "bin") {
            let bytes = std::fs::read(entry.path()).unwrap();
            std::fs::write(entry.path(), &bytes[..bytes.len() / 2]).unwrap();
            damaged += 1;
        }
    }
    assert_eq!(damaged, 1);
    std::fs::remove_dir_all(site.public()).unwrap();
    let run = site.folio(&["build", "--no-search"]);
    assert!(run.success(), "{}", run.stderr());
    assert!(
        run.stdout().contains(
            "(1 booklet, 1 PDF, 1 large print PDF, 1 EPUB, 1 PDF for printing, 3 unchanged)"
        ),
        "the damaged entry was used: {}",
        run.stdout()
    );
    assert_eq!(std::fs::read(site.public().join("g/g.pdf")).unwrap(), good);
}

#[cfg(unix)]
#[test]
fn nothing_is_read_from_outside_the_site_through_links() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), b"\x89PNG not yours").unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\nNot yours.\n",
    )
    .unwrap();
    std::fs::create_dir_all(outside.path().join("folder")).unwrap();
    std::fs::write(
        outside.path().join("folder/page.md"),
        "---\ntitle: Far\n---\nFar away.\n",
    )
    .unwrap();
    let site = SiteTest::new(&[
        HOME,
        (
            "content/g/_index.md",
            &page(
                "Guide",
                "kind: booklet\n",
                "## Start\n\n![A secret](secret.png)\n",
            ),
        ),
    ]);
    let link = |from: &str, to: &str| {
        std::os::unix::fs::symlink(outside.path().join(from), site.root().join(to)).unwrap();
    };
    link("secret.png", "content/g/secret.png");
    link("secret.md", "content/secret.md");
    link("folder", "content/folder");
    let run = site.folio(&["build", "--no-search"]);
    run.assert_error(
        "content/g/_index.md",
        7,
        "the image content/g/secret.png is a link to a file outside the site's folder",
    );
    run.assert_error(
        "content/secret.md",
        0,
        "a link to a file outside the site's folder",
    );
    // The linked folder is not followed: its page is neither built nor reported.
    assert!(!run.stderr().contains("folder/page.md"), "{}", run.stderr());
    assert!(!site.public().exists());
}

/// A page that is a link to a named pipe inside the site is an error at once: opening the
/// pipe would wait for a writer for ever.
#[cfg(unix)]
#[test]
fn a_page_linked_to_a_pipe_is_an_error_not_a_wait() {
    use std::process::{Command, Stdio};
    let site = SiteTest::new(&[HOME]);
    let pipe = site.root().join("pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink(&pipe, site.root().join("content/pipe.md")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("--root")
        .arg(site.root())
        .args(["build", "--no-search", "--no-pdf"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("folio was still waiting on the pipe after a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let run = common::Run {
        output: child.wait_with_output().unwrap(),
    };
    run.assert_error(
        "content/pipe.md",
        0,
        "this file is a link to something that is not a file",
    );
    assert!(!site.public().exists());
}

#[test]
fn limits_on_size_rows_and_nesting_are_errors_at_their_line() {
    let site = SiteTest::new(&[
        HOME,
        (
            "content/big.md",
            &page("Big", "", &"Some words here.\n".repeat(200)),
        ),
        (
            "content/table.md",
            &page(
                "Table",
                "",
                &format!(
                    "Intro.\n\n| Who | What |\n|---|---|\n{}",
                    "| a | b |\n".repeat(6)
                ),
            ),
        ),
        (
            "content/deep.md",
            &page("Deep", "", "> > > > A quotation four deep.\n"),
        ),
    ]);
    site.write(
        "site.yaml",
        &format!(
            "{}limits:\n  page_bytes: 2000\n  table_rows: 5\n  nesting: 3\n",
            common::SITE_YAML
        ),
    );
    let run = site.build();
    run.assert_error("content/big.md", 0, "a page may be at most 2 KB");
    run.assert_error("content/table.md", 6, "this table has more than 5 rows");
    run.assert_error("content/deep.md", 4, "nested more than 3 deep");
    // Within the limits, the same pages build.
    site.write("site.yaml", common::SITE_YAML);
    assert!(site.build().success());
}

#[test]
fn a_file_name_that_cannot_make_a_clean_address_is_named_with_a_better_one() {
    let site = SiteTest::new(&[HOME]);
    site.write("content/my page.md", &page("Mine", "", "Text.\n"));
    site.write("content/what?.md", &page("What", "", "Text.\n"));
    let run = site.build();
    assert_eq!(run.code(), Some(1));
    run.assert_error(
        "content/my page.md",
        0,
        "the name \"my page.md\" cannot make a clean web address",
    );
    assert!(
        run.stderr().contains("rename it to \"my-page.md\""),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("rename it to \"what.md\""),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_file_of_nul_bytes_gets_a_short_report() {
    let site = SiteTest::new(&[HOME]);
    site.write_bytes("content/nul.md", &vec![0u8; 1_000_000]);
    let run = site.build();
    assert_eq!(run.code(), Some(1));
    let stderr = run.stderr();
    assert!(stderr.len() < 4_000, "a report of {} bytes", stderr.len());
    assert!(!stderr.contains('\0'), "the report prints NUL bytes");
    run.assert_error(
        "content/nul.md",
        1,
        "the file does not start with front matter",
    );
    assert!(stderr.contains("\\u{0}"), "{stderr}");
}

#[test]
fn control_characters_in_names_and_text_are_shown_escaped() {
    let site = SiteTest::new(&[HOME]);
    site.write(
        "content/a.md",
        &page("A", "", "See [this\u{1b}[31m](missing.md).\n"),
    );
    let run = site.build();
    assert_eq!(run.code(), Some(1));
    assert!(!run.stderr().contains('\u{1b}'), "{}", run.stderr());
    assert!(run.stderr().contains("\\u{1b}"), "{}", run.stderr());
}
