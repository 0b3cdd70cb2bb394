//! The accessibility and plain-English gate, through the real `folio check`.

mod common;

use common::{SiteTest, page};

/// The diagnostics of a run's report of one severity: (rule, file:line:column). A block is
/// `error[rule]: message` with its place under it; a rule's gathered warnings are
/// `warning[rule]: N places: ...` with one `--> place  message` line each.
fn reported(stderr: &str, severity: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for block in stderr.split("\n\n") {
        let Some(rest) = block.strip_prefix(&format!("{severity}[")) else {
            continue;
        };
        let Some((rule, title)) = rest.split_once("]: ") else {
            continue;
        };
        let places = block
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("--> "))
            .map(|p| p.split("  ").next().unwrap_or(p).to_string());
        if title.contains(" places: ") {
            found.extend(places.map(|p| (rule.to_string(), p)));
        } else if let Some(p) = places.into_iter().next() {
            found.push((rule.to_string(), p));
        }
    }
    found
}

const BROKEN: &str = "---
title: A broken page
---

## Start here

![](map.png)

#### Too deep

For the form, [click here](https://example.org/form).

Some <span style=\"color: #bbbbbb; background-color: #ffffff\">faint text</span> here.
";

#[test]
fn a_broken_page_fails_check_with_one_precise_message_per_fault() {
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        ("content/broken.md", BROKEN),
    ]);
    site.write("content/map.png", "not really a picture, but it exists");
    let run = site.folio(&["check"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    let mut errors = reported(&run.stderr(), "error");
    errors.sort();
    assert_eq!(
        errors,
        [
            (
                "heading-order".to_string(),
                "content/broken.md:9:1".to_string()
            ),
            ("image-alt".to_string(), "content/broken.md:7:1".to_string()),
            (
                "low-contrast".to_string(),
                "content/broken.md:13:12".to_string()
            ),
            (
                "vague-link".to_string(),
                "content/broken.md:11:15".to_string()
            ),
        ],
        "{}",
        run.stderr()
    );
    // Each message says what is wrong in the page's own terms.
    for (message, line) in [
        ("this image has no alt text", 7),
        (
            "this level 4 heading skips a level: the one before is level 2",
            9,
        ),
        (
            "the link text \"click here\" is vague: it does not say where the link goes",
            11,
        ),
        (
            "the colours in this style have a contrast of 1.92:1; text needs at least 4.5:1",
            13,
        ),
    ] {
        run.assert_error("content/broken.md", line, message);
    }
    assert!(!site.public().exists(), "check must not write the site");
}

#[test]
fn a_rule_turned_off_with_a_reason_is_silent_and_listed() {
    let long = "word ".repeat(30);
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/quote.md",
            &page(
                "Quote",
                "lint:\n  allow:\n    long-sentence: quotes the Act word for word\n",
                &format!("\n{long}end.\n"),
            ),
        ),
        (
            "content/other.md",
            &page("Other", "", &format!("\n{long}end.\n")),
        ),
    ]);
    let run = site.folio(&["check"]);
    assert!(run.success(), "{}", run.stderr());
    let warnings = reported(&run.stderr(), "warning");
    assert_eq!(
        warnings,
        [(
            "long-sentence".to_string(),
            "content/other.md:5:1".to_string()
        )]
    );
    assert!(
        run.stderr()
            .lines()
            .any(|l| l.trim() == "content/quote.md: long-sentence — quotes the Act word for word"),
        "{}",
        run.stderr()
    );

    // --strict turns the remaining warning into a failure; the report still lists what
    // was turned off, and why.
    let strict = site.folio(&["check", "--strict"]);
    assert_eq!(strict.code(), Some(1));
    assert!(
        strict
            .stderr()
            .lines()
            .any(|l| l.trim() == "content/quote.md: long-sentence — quotes the Act word for word"),
        "{}",
        strict.stderr()
    );
    assert_eq!(
        reported(&strict.stderr(), "error"),
        [(
            "long-sentence".to_string(),
            "content/other.md:5:1".to_string()
        )]
    );
}

#[test]
fn an_unknown_rule_in_allow_is_an_error_naming_the_nearest() {
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/quote.md",
            &page(
                "Quote",
                "lint:\n  allow:\n    vague-links: the link text is the title of a law\n",
                "\nText.\n",
            ),
        ),
    ]);
    let run = site.folio(&["check"]);
    run.assert_error(
        "content/quote.md",
        5,
        "`vague-links` is not a check folio knows",
    );
    assert!(run.stderr().contains("did you mean `vague-link`?"));
}

#[test]
fn a_past_review_date_is_a_warning_at_its_line() {
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/guide/_index.md",
            "---\ntitle: Guide\nkind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1\"\n  status: draft\n  review_by: 2020-01-31\n---\n\nText.\n",
        ),
    ]);
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("--root")
        .arg(site.root())
        .args(["check"])
        .env("FOLIO_TODAY", "2026-11-23")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert_eq!(
        reported(&stderr, "warning"),
        [(
            "review-by".to_string(),
            "content/guide/_index.md:8:14".to_string()
        )]
    );

    // A reproducible build checks against the day of SOURCE_DATE_EPOCH: 1 June 2019.
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("--root")
        .arg(site.root())
        .args(["check", "--strict"])
        .env_remove("FOLIO_TODAY")
        .env("SOURCE_DATE_EPOCH", "1559347200")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(reported(&stderr, "warning").is_empty(), "{stderr}");
}

#[test]
fn a_content_warning_with_a_rule_id_can_be_allowed_too() {
    let booklet =
        |front: &str| format!("---\ntitle: Draft guide\nkind: booklet\n{front}---\n\nA draft.\n");
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        ("content/guide/_index.md", &booklet("")),
    ]);
    let run = site.folio(&["check"]);
    assert_eq!(
        reported(&run.stderr(), "warning"),
        [(
            "document-control".to_string(),
            "content/guide/_index.md:1:1".to_string()
        )],
        "{}",
        run.stderr()
    );
    site.write(
        "content/guide/_index.md",
        &booklet("lint:\n  allow:\n    document-control: not approved yet; a draft for comment\n"),
    );
    let run = site.folio(&["check", "--strict"]);
    assert!(run.success(), "{}", run.stderr());
    assert!(reported(&run.stderr(), "warning").is_empty());
}

#[test]
fn placeholders_are_warnings_listed_by_check_that_strict_turns_into_errors() {
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/contact.md",
            &page(
                "Contact",
                "extra:\n  phone: \"TBC: the switchboard number\"\n",
                "\nCall us.\n",
            ),
        ),
    ]);
    let run = site.folio(&["check"]);
    assert!(run.success(), "{}", run.stderr());
    assert_eq!(
        reported(&run.stderr(), "warning"),
        [(
            "placeholder".to_string(),
            "content/contact.md:4:11".to_string()
        )],
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .contains("warning[placeholder]: placeholder: the switchboard number"),
        "{}",
        run.stderr()
    );
    let strict = site.folio(&["check", "--strict"]);
    assert_eq!(strict.code(), Some(1));
    assert_eq!(
        reported(&strict.stderr(), "error"),
        [(
            "placeholder".to_string(),
            "content/contact.md:4:11".to_string()
        )]
    );

    // Filled in, the page passes even with --strict.
    site.write(
        "content/contact.md",
        &page(
            "Contact",
            "extra:\n  phone: \"0100 000 0000\"\n",
            "\nCall us.\n",
        ),
    );
    let run = site.folio(&["check", "--strict"]);
    assert!(run.success(), "{}", run.stderr());
    assert!(reported(&run.stderr(), "warning").is_empty());
}
