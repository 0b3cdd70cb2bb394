//! What an editor sees: every kind of error's full report (pinned by snapshots in
//! `tests/snapshots/`, so a change of wording or position shows in review), the order and
//! gathering of a report, colour, the JSON form, and the checks that catch silent mistakes.
//!
//! To accept changed snapshots: `INSTA_UPDATE=always cargo test --test reports`, then read
//! the diff.

mod common;

use std::path::{Path, PathBuf};

use common::{SiteTest, page};

const HOME: (&str, &str) = ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");

/// `folio check --no-pdf` on a site with these files (and a home page), its report with the
/// summary's time taken out.
fn report(files: &[(&str, &str)], extra: &[&str]) -> String {
    let mut all = vec![HOME];
    all.extend_from_slice(files);
    let site = SiteTest::new(&all);
    let mut args = vec!["check", "--no-pdf"];
    args.extend_from_slice(extra);
    // A fixed day, so that reports naming today (a change dated in the future) stay put.
    let run = site.folio_on("2026-06-01", &args);
    without_time(&format!("{}{}", run.stderr(), run.stdout()))
}

/// The report with "in 0.25 s" written as "in [time]", so that it can be compared.
fn without_time(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(" in ") {
        let (before, after) = rest.split_at(at + 4);
        out.push_str(before);
        let number: String = after
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        if !number.is_empty() && after[number.len()..].starts_with(" s") {
            out.push_str("[time]");
            rest = &after[number.len() + 2..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Each kind of error a person editing a site can make, and the page that makes it.
const ERRORS: &[(&str, &str, &str)] = &[
    ("no_front_matter", "content/a.md", "# A page\n\nText.\n"),
    (
        "unclosed_front_matter",
        "content/a.md",
        "---\ntitle: A\n\nText.\n",
    ),
    (
        "yaml_syntax",
        "content/a.md",
        "---\ntitle: A\ndescription: a: b\n---\nText.\n",
    ),
    (
        "unknown_field",
        "content/a.md",
        "---\ntitle: A\ndescripton: x\n---\nText.\n",
    ),
    (
        "wrong_type",
        "content/a.md",
        "---\ntitle: A\norder: first\n---\nText.\n",
    ),
    (
        "missing_title",
        "content/a.md",
        "---\norder: 1\n---\nText.\n",
    ),
    (
        "bad_date",
        "content/g/_index.md",
        "---\ntitle: G\nkind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1\"\n  status: draft\n  review_by: 2030-13-45\n---\nText.\n",
    ),
    (
        "kind_on_a_page",
        "content/a.md",
        "---\ntitle: A\nkind: booklet\n---\nText.\n",
    ),
    (
        "missing_page_link",
        "content/a.md",
        "---\ntitle: A\n---\nSee [the guide](guid.md).\n",
    ),
    (
        "missing_heading_link",
        "content/a.md",
        "---\ntitle: A\n---\n## Start\n\nSee [the start](#strat).\n",
    ),
    (
        "missing_site_path",
        "content/a.md",
        "---\ntitle: A\n---\nSee [the guide](/guid/).\n",
    ),
    (
        "missing_image",
        "content/a.md",
        "---\ntitle: A\n---\n![A map](map.png)\n",
    ),
    (
        "unknown_chart",
        "content/a.md",
        "---\ntitle: A\n---\n```chart\nnone\n```\n",
    ),
    (
        "unknown_callout",
        "content/a.md",
        "---\ntitle: A\n---\n> [!NOTES]\n> Remember this.\n",
    ),
    (
        "unknown_kind",
        "content/a.md",
        "---\ntitle: A\nkind: pledg\n---\nText.\n",
    ),
    (
        "kind_value",
        "content/a.md",
        "---\ntitle: A\nkind: pledge\nfields:\n  sector: Health\n  organisation: NHS\n  commitments: [We will listen]\n  for: Children in care\n  status: singed\n  review_by: 2030-01-01\n  contact: The team\n---\nText.\n",
    ),
    (
        "kind_missing_field",
        "content/a.md",
        "---\ntitle: A\nkind: role\nfields:\n  purpose: To help\n---\nText.\n",
    ),
    (
        "unknown_rule",
        "content/a.md",
        "---\ntitle: A\nlint:\n  allow:\n    long-sentense: quotes the Act\n---\nText.\n",
    ),
    (
        "draft_claims_approval",
        "content/g/_index.md",
        "---\ntitle: G\nkind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1\"\n  status: draft\n  approved_by: Cabinet\n  review_by: 2030-01-01\n---\nText.\n",
    ),
    (
        "image_alt",
        "content/a.md",
        "---\ntitle: A\n---\n![](map.png \"\")\n",
    ),
    (
        "heading_order",
        "content/a.md",
        "---\ntitle: A\n---\n## One\n\n#### Three\n",
    ),
    ("single_h1", "content/a.md", "---\ntitle: A\n---\n# Again\n"),
    (
        "vague_link",
        "content/a.md",
        "---\ntitle: A\n---\nTo apply, [click here](https://example.org/).\n",
    ),
    (
        "empty_link",
        "content/a.md",
        "---\ntitle: A\n---\nGo [](https://example.org/) now.\n",
    ),
    (
        "table_header",
        "content/a.md",
        "---\ntitle: A\n---\n|  |  |\n|--|--|\n| a | b |\n",
    ),
    (
        "duplicate_id",
        "content/a.md",
        "---\ntitle: A\n---\n## One {#same}\n\n## Two {#same}\n",
    ),
    (
        "low_contrast",
        "content/a.md",
        "---\ntitle: A\n---\nA <span style=\"color: #aaa; background: #fff\">faint</span> word.\n",
    ),
    (
        "same_address",
        "content/a/_index.md",
        "---\ntitle: A\n---\nText.\n",
    ),
    ("not_utf8", "content/b.md", ""),
    (
        "history_order",
        "content/g/_index.md",
        "---\ntitle: G\nkind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1.1\"\n  status: draft\n  review_by: 2030-01-01\n  history:\n    - date: 2026-03-05\n      version: \"1.0\"\n      summary: First version.\n    - date: 2026-01-10\n      version: \"1.1\"\n      summary: New contact details.\n---\nText.\n",
    ),
    (
        "history_future",
        "content/a.md",
        "---\ntitle: A\nhistory:\n  - date: 2999-01-01\n    summary: A change not made yet.\n---\nText.\n",
    ),
    (
        "history_version",
        "content/g/_index.md",
        "---\ntitle: G\nkind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1.0\"\n  status: draft\n  review_by: 2030-01-01\n  history:\n    - {date: 2026-01-10, version: \"1.0\", summary: First version.}\n    - {date: 2026-03-05, version: \"0.9\", summary: Fixes.}\n---\nText.\n",
    ),
    (
        "alias_clash",
        "content/a.md",
        "---\ntitle: A\naliases:\n  - /old-a/\n  - /a/\n---\nText.\n",
    ),
];

#[test]
fn every_kind_of_error_reads_as_pinned() {
    for (name, path, text) in ERRORS {
        let mut files = vec![(*path, *text)];
        if *name == "same_address" {
            files.push(("content/a.md", "---\ntitle: Also A\n---\nText.\n"));
        }
        if *name == "missing_image" {
            // The image is missing; the other page is fine.
            files.push(("content/ok.md", "---\ntitle: Fine\n---\nText.\n"));
        }
        let text = if *name == "not_utf8" {
            let mut all = vec![HOME];
            all.push(("content/ok.md", "---\ntitle: Fine\n---\nText.\n"));
            let site = SiteTest::new(&all);
            site.write_bytes("content/b.md", b"---\ntitle: B\n---\nCaf\xe9\n");
            let run = site.folio(&["check", "--no-pdf"]);
            without_time(&format!("{}{}", run.stderr(), run.stdout()))
        } else {
            report(&files, &[])
        };
        assert!(text.contains("error"), "{name} found no error:\n{text}");
        insta::assert_snapshot!(*name, text);
    }
}

/// A site with two errors and repeated warnings of two rules.
fn faulty_site() -> SiteTest {
    SiteTest::new(&[
        HOME,
        (
            "content/a.md",
            &page(
                "A",
                "extra:\n  phone: \"TBC: the switchboard\"\n  email: \"TBC: the mailbox\"\n",
                "## Start\n\nSee [the guide](guid.md).\n\nThe LAC team. The LAC team again.\n\n> TBC: the address.\n",
            ),
        ),
        (
            "content/b.md",
            &page(
                "B",
                "",
                "Text with a [vague](https://example.org/) link and [click here](https://example.org/).\n",
            ),
        ),
    ])
}

#[test]
fn a_report_puts_errors_first_and_gathers_repeated_warnings() {
    let site = faulty_site();
    site.write(
        "site.yaml",
        &format!(
            "{}lint:\n  words_to_avoid:\n    LAC: children in care\n",
            common::SITE_YAML
        ),
    );
    let run = site.folio(&["check", "--no-pdf"]);
    assert_eq!(run.code(), Some(1));
    let text = without_time(&run.stderr());
    insta::assert_snapshot!("gathered", text);
    // Errors come before any warning, and the three placeholders are one block.
    let first_warning = text.find("warning").unwrap();
    assert!(text.rfind("error[").unwrap() < first_warning, "{text}");
    assert_eq!(text.matches("warning[placeholder]").count(), 1, "{text}");
    assert!(text.contains("warning[placeholder]: 3 places"), "{text}");
    assert!(
        text.ends_with(
            "Checked nothing: 2 errors, 4 warnings (3 placeholders). Nothing was written.\n"
        ),
        "{text}"
    );

    // --verbose shows each placeholder in full.
    let verbose = without_time(&site.folio(&["check", "--no-pdf", "--verbose"]).stderr());
    assert_eq!(
        verbose.matches("warning[placeholder]").count(),
        3,
        "{verbose}"
    );
}

#[test]
fn colour_comes_on_when_asked_and_never_when_piped_or_refused() {
    let site = faulty_site();
    let always = site
        .folio(&["check", "--no-pdf", "--color", "always"])
        .stderr();
    assert!(always.contains("\u{1b}["), "no colour with --color always");
    insta::assert_snapshot!("coloured", without_time(&always));
    // Piped (as in this test), auto means none.
    let piped = site.folio(&["check", "--no-pdf"]).stderr();
    assert!(!piped.contains('\u{1b}'), "colour in a pipe:\n{piped}");
    let never = site
        .folio(&["check", "--no-pdf", "--color", "never"])
        .stderr();
    assert!(!never.contains('\u{1b}'));
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("-r")
        .arg(site.root())
        .args(["check", "--no-pdf"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&run.stderr).contains('\u{1b}'));
}

#[test]
fn json_reports_one_object_per_diagnostic() {
    let site = faulty_site();
    let run = site.folio(&["check", "--no-pdf", "--format", "json"]);
    assert_eq!(run.code(), Some(1));
    let objects: Vec<serde_json::Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let summary: Vec<(String, String, u64, u64, String)> = objects
        .iter()
        .map(|o| {
            (
                o["severity"].as_str().unwrap().to_string(),
                o["file"].as_str().unwrap().to_string(),
                o["line"].as_u64().unwrap(),
                o["column"].as_u64().unwrap(),
                o["rule"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("error".into(), "content/a.md".into(), 9, 5, "-".into()),
            (
                "error".into(),
                "content/b.md".into(),
                4,
                52,
                "vague-link".into()
            ),
            (
                "warning".into(),
                "content/a.md".into(),
                4,
                11,
                "placeholder".into()
            ),
            (
                "warning".into(),
                "content/a.md".into(),
                5,
                11,
                "placeholder".into()
            ),
            (
                "warning".into(),
                "content/a.md".into(),
                13,
                3,
                "placeholder".into()
            ),
        ]
    );
    let link = &objects[0];
    assert_eq!(
        link["message"],
        "the link points to content/guid.md, which does not exist (or is a draft)"
    );
    assert!(link["hint"].as_str().is_some());
    assert_eq!(link["end"]["line"], 9);
    assert_eq!(link["end"]["column"], 25);
    assert!(
        run.stderr()
            .contains("2 errors, 3 warnings (3 placeholders)")
    );
}

/// Every file under a folder with its bytes, hidden ones too.
fn everything(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn check_leaves_the_site_folder_byte_for_byte() {
    let site = SiteTest::new(&[
        HOME,
        (
            "content/g/_index.md",
            &page("Guide", "kind: booklet\n", "Text.\n"),
        ),
        ("content/g/one.md", &page("One", "", "## Start\n\nText.\n")),
    ]);
    // A first check, then a build (which fills the cache), then a check after an edit.
    assert!(site.folio(&["check"]).success());
    assert!(!site.root().join(".folio").exists(), "check wrote a cache");
    assert!(site.folio(&["build"]).success());
    site.write(
        "content/g/one.md",
        &page("One", "", "## Start\n\nNew text.\n"),
    );
    let before = everything(site.root());
    let run = site.folio(&["check"]);
    assert!(run.success(), "{}", run.stderr());
    assert_eq!(
        everything(site.root()),
        before,
        "folio check changed the site folder"
    );
}

#[test]
fn site_path_links_are_checked_like_page_links() {
    let site = SiteTest::new(&[
        HOME,
        (
            "content/schools/_index.md",
            &page("Schools", "kind: booklet\n", "Text.\n"),
        ),
        (
            "content/schools/pep.md",
            &page("PEP", "", "## Plans\n\nText.\n"),
        ),
        (
            "content/links.md",
            &page(
                "Links",
                "",
                "[Schools](/schools/), [plans](/schools/pep/#plans), [the PDF](/schools/schools.pdf), [styles](/css/folio.css), [search](/search/).\n",
            ),
        ),
    ]);
    let run = site.build();
    assert!(run.success(), "{}", run.stderr());
    site.write(
        "content/links.md",
        &page(
            "Links",
            "",
            "[Schools](/school/) and [plans](/schools/pep/#plan).\n",
        ),
    );
    let run = site.build();
    run.assert_error(
        "content/links.md",
        4,
        "the link points to /school/, which is not a page or file of this site",
    );
    run.assert_error("content/links.md", 4, "#plan, which is not a heading");
    assert!(
        run.stderr().contains("did you mean /schools/?"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_known_callout_passes_and_an_unknown_one_is_named() {
    let site = SiteTest::new(&[
        HOME,
        ("content/a.md", &page("A", "", "> [!NOTE]\n> Fine.\n")),
    ]);
    assert!(site.build().success());
    site.write("content/a.md", &page("A", "", "> [!NOTES]\n> Not fine.\n"));
    let run = site.build();
    run.assert_error("content/a.md", 4, "`[!NOTES]` is not a callout folio knows");
    assert!(
        run.stderr().contains("did you mean [!NOTE]?"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_page_kind_value_gets_a_suggestion_at_the_value() {
    let pledge = |status: &str| {
        format!(
            "---\ntitle: P\nkind: pledge\nfields:\n  sector: Health\n  organisation: NHS\n  commitments: [We will listen]\n  for: Children in care\n  status: {status}\n  review_by: 2030-01-01\n  contact: The team\n---\nText.\n"
        )
    };
    let site = SiteTest::new(&[HOME, ("content/p.md", &pledge("draft"))]);
    assert!(site.build().success());
    site.write("content/p.md", &pledge("singed"));
    let run = site.build();
    run.assert_error(
        "content/p.md",
        9,
        "the field `status` has the value `singed`",
    );
    assert!(
        run.stderr().contains("--> content/p.md:9:11"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("did you mean `signed`?"),
        "{}",
        run.stderr()
    );
}

#[test]
fn links_into_a_page_with_broken_front_matter_are_still_checked() {
    let site = SiteTest::new(&[
        HOME,
        (
            "content/a.md",
            &page("A", "", "See [b's start](b.md#start).\n"),
        ),
        ("content/b.md", &page("B", "", "## Start\n\nText.\n")),
    ]);
    assert!(site.build().success());
    // b's front matter breaks, and a's link is wrong too: one run reports both.
    site.write(
        "content/a.md",
        &page("A", "", "See [b's start](b.md#strat).\n"),
    );
    site.write(
        "content/b.md",
        "---\ntitle: B\norder: first\n---\n## Start\n\nText.\n",
    );
    let run = site.build();
    run.assert_error("content/b.md", 3, "wrong type");
    run.assert_error(
        "content/a.md",
        4,
        "#strat, which is not a heading on content/b.md",
    );
    assert!(
        run.stderr().contains("did you mean #start?"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_site_without_a_home_page_is_warned() {
    let site = SiteTest::new(&[("content/a.md", &page("A", "", "Text.\n"))]);
    let run = site.build();
    assert!(run.success(), "{}", run.stderr());
    assert!(
        run.stderr().contains("the site has no home page"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("folio new _index.md"),
        "{}",
        run.stderr()
    );
    let run = site.folio(&["new", "_index.md"]);
    assert!(run.success());
    let run = site.build();
    assert!(!run.stderr().contains("no home page"), "{}", run.stderr());
    assert!(
        site.public().join("index.html").is_file(),
        "the new home page is a draft"
    );
}

/// A site big enough that checking it takes a while in a test build.
fn big_site(pages: usize) -> SiteTest {
    let site = SiteTest::new(&[("content/_index.md", &page("Home", "", "Welcome.\n"))]);
    for n in 0..pages {
        site.write(
            &format!("content/pages/page-{n}.md"),
            &page(
                &format!("Page {n}"),
                "",
                &"## A part\n\nA short paragraph of plain words. It has two sentences.\n\n"
                    .repeat(8),
            ),
        );
    }
    site
}

#[test]
fn a_long_check_shows_progress_on_a_terminal_and_none_when_piped() {
    let site = big_site(8000);
    let piped = site.folio(&["check", "--no-pdf"]);
    assert!(piped.success(), "{}", piped.stderr());
    // "Checked N pages": the bar counts the same pages.
    let summary = piped.stdout() + &piped.stderr();
    let pages: String = summary[summary.find("Checked ").expect("a summary") + 8..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let count = format!("/{pages}");
    assert!(!summary.contains(&count), "progress when piped:\n{summary}");

    // On a terminal: `script` gives folio a pseudo-terminal and records what it drew. The
    // bar waits a second before it shows, longer than a fast machine takes for this site:
    // here it shows at once.
    let command = format!(
        "FOLIO_PROGRESS_AFTER_MS=0 '{}' --root '{}' check --no-pdf",
        env!("CARGO_BIN_EXE_folio"),
        site.root().display()
    );
    let on_terminal = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("util-linux's script, which Debian always has");
    let drawn = String::from_utf8_lossy(&on_terminal.stdout);
    assert!(
        ["Reading pages", "Checking pages", "Writing web pages"]
            .iter()
            .any(|step| drawn.contains(step))
            && drawn.contains(&count),
        "no progress on a terminal:\n{}",
        &drawn[..drawn.len().min(2000)]
    );
}
