//! Every kind of content error: the file, the line, the message, exit code 1, and public/
//! left exactly as the last good build made it.

mod common;

use common::{SiteTest, page};

/// A site that builds, then is broken by `break_it`; the failed build must name the fault
/// and leave public/ byte for byte as it was.
fn fails_cleanly(break_it: impl FnOnce(&SiteTest)) -> (SiteTest, common::Run) {
    let site = SiteTest::new(&[
        (
            "content/_index.md",
            &page("Home", "", "Read [about](about.md).\n"),
        ),
        (
            "content/about.md",
            &page("About", "", "## Who we are\n\nText.\n"),
        ),
    ]);
    let good = site.build();
    assert!(good.success(), "{}", good.stderr());
    let before = site.snapshot();
    break_it(&site);
    let run = site.build();
    assert_eq!(
        site.snapshot(),
        before,
        "public/ changed after a failed build"
    );
    assert!(
        run.stderr().contains("Nothing was written."),
        "{}",
        run.stderr()
    );
    (site, run)
}

#[test]
fn yaml_syntax_error() {
    let (_, run) = fails_cleanly(|s| {
        s.write(
            "content/about.md",
            "---\ntitle: About\ndescription: a: b\n---\nText\n",
        )
    });
    run.assert_error("content/about.md", 3, "mapping values are not allowed");
    assert!(run.stderr().contains("hint:"));
}

#[test]
fn wrong_type() {
    let (_, run) = fails_cleanly(|s| {
        s.write(
            "content/about.md",
            "---\ntitle: About\norder: first\n---\nText\n",
        )
    });
    run.assert_error(
        "content/about.md",
        3,
        "wrong type: string \"first\", expected i64",
    );
}

#[test]
fn unknown_field_suggests_the_nearest() {
    let (_, run) = fails_cleanly(|s| {
        s.write(
            "content/about.md",
            "---\ntitle: About\ndescripton: x\n---\nText\n",
        )
    });
    run.assert_error("content/about.md", 3, "unknown field `descripton`");
    assert!(
        run.stderr().contains("did you mean `description`?"),
        "{}",
        run.stderr()
    );
}

#[test]
fn missing_title() {
    let (_, run) = fails_cleanly(|s| s.write("content/about.md", "---\norder: 1\n---\nText\n"));
    run.assert_error("content/about.md", 2, "missing required field `title`");
}

#[test]
fn duplicate_url() {
    let (_, run) =
        fails_cleanly(|s| s.write("content/about/_index.md", &page("About again", "", "")));
    // The folder's page comes first in the walk, so the file page is the duplicate; the
    // message names the other file, so the editor sees both.
    run.assert_error(
        "content/about.md",
        1,
        "this page has the same address /about/ as content/about/_index.md",
    );
    assert!(
        run.stderr()
            .contains("`name.md` and `name/_index.md` both publish at /name/"),
        "{}",
        run.stderr()
    );
}

#[test]
fn broken_internal_link_and_fragment() {
    let (_, run) = fails_cleanly(|s| {
        s.write(
            "content/about.md",
            &page(
                "About",
                "",
                "## Who we are\n\nSee [home](_index.md#nowhere).\n\nAnd [gone](gone.md).\n",
            ),
        );
    });
    run.assert_error(
        "content/about.md",
        6,
        "the link points to #nowhere, which is not a heading on content/_index.md",
    );
    run.assert_error(
        "content/about.md",
        8,
        "the link points to content/gone.md, which does not exist",
    );
}

#[test]
fn unknown_template() {
    let (_, run) = fails_cleanly(|s| {
        s.write(
            "content/about.md",
            "---\ntitle: About\ntemplate: fancy.html\n---\nText\n",
        )
    });
    run.assert_error(
        "content/about.md",
        3,
        "the template `fancy.html` does not exist",
    );
}

#[test]
fn template_error_names_the_template_and_line() {
    let (_, run) = fails_cleanly(|s| {
        s.write(
            "templates/page.html",
            "<html>\n<p>{{ page.title }</p>\n</html>\n",
        )
    });
    run.assert_error("templates/page.html", 2, "template error");
}

#[test]
fn template_runtime_error_names_the_page() {
    let (_, run) = fails_cleanly(|s| {
        s.write(
            "templates/page.html",
            "<html>\n\n{{ page.nothing.here }}\n</html>\n",
        )
    });
    run.assert_error("templates/page.html", 3, "while rendering content/about.md");
}

/// A page that cannot be read at all, as root too: a link to a file that is not there.
/// The fault is the whole file, so the report names the file without a line.
#[cfg(unix)]
#[test]
fn unreadable_file() {
    let (_, run) = fails_cleanly(|s| {
        std::os::unix::fs::symlink("drafts/gone.md", s.root().join("content/broken.md")).unwrap();
    });
    run.assert_error("content/broken.md", 0, "cannot read the file");
    assert!(
        run.stderr()
            .contains("hint: if it is a link, the file it points to does not exist"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("nothing: 1 error,"),
        "{}",
        run.stderr()
    );
}

#[test]
fn invalid_utf8_points_at_the_byte() {
    let (_, run) = fails_cleanly(|s| {
        s.write_bytes(
            "content/about.md",
            b"---\ntitle: About\n---\nCaf\xe9 au lait\n",
        )
    });
    run.assert_error("content/about.md", 4, "the file is not valid UTF-8 text");
    assert!(
        run.stderr().contains("content/about.md:4:4"),
        "{}",
        run.stderr()
    );
}

#[test]
fn all_errors_are_reported_together() {
    let (_, run) = fails_cleanly(|s| {
        s.write("content/about.md", "---\ntitle: About\nordr: 1\n---\n");
        s.write(
            "content/other.md",
            "---\ntitle: Other\n---\n[x](missing.md)\n",
        );
        s.write("content/third.md", "no front matter\n");
    });
    let stderr = run.stderr();
    assert!(stderr.contains("unknown field `ordr`"));
    assert!(stderr.contains("missing.md, which does not exist"));
    assert!(stderr.contains("does not start with front matter"));
    assert!(stderr.contains("3 errors"), "{stderr}");
}

#[test]
fn bad_site_yaml_suggests_the_key() {
    let (_, run) = fails_cleanly(|s| {
        s.write(
            "site.yaml",
            "title: T\nbase_url: https://x.example/\nlangauge: en-GB\n",
        )
    });
    run.assert_error("site.yaml", 3, "unknown field `langauge`");
    assert!(run.stderr().contains("did you mean `language`?"));
}

#[test]
fn a_bad_pledge_names_the_field() {
    let (_, run) = fails_cleanly(|s| {
        s.write(
            "content/pledge.md",
            "---\ntitle: Health\nkind: pledge\nfields:\n  sector: Health\n  organisation: NHS\n  commitments: [We will listen]\n  for: Care leavers\n  status: signed\n  review_by: 2027-01-01\n  contact: Team\n---\n",
        )
    });
    run.assert_error(
        "content/pledge.md",
        4,
        "a pledge needs the field `signed_on`",
    );
}

#[test]
fn a_bad_site_yaml_is_reported_with_the_contents_errors() {
    let (_, run) = fails_cleanly(|s| {
        s.write(
            "site.yaml",
            "title: T\nbase_url: https://x.example/\nlangauge: en-GB\n",
        );
        s.write(
            "content/about.md",
            &page("About", "", "See [the team](team.md).\n"),
        );
    });
    run.assert_error("site.yaml", 3, "unknown field `langauge`");
    run.assert_error("content/about.md", 4, "team.md");
    assert!(run.stderr().contains("2 errors"), "{}", run.stderr());
}

#[test]
fn a_template_error_is_reported_with_the_contents_errors() {
    let (_, run) = fails_cleanly(|s| {
        s.write(
            "templates/page.html",
            "<html>\n<p>{{ page.title }</p>\n</html>\n",
        );
        s.write(
            "content/about.md",
            &page("About", "", "See [the team](team.md).\n"),
        );
    });
    run.assert_error("templates/page.html", 2, "template error");
    run.assert_error("content/about.md", 4, "team.md");
    // The broken template is reported once, not again as missing for every page.
    assert!(run.stderr().contains("2 errors"), "{}", run.stderr());
}

#[test]
fn a_brand_colour_white_text_cannot_be_read_on_is_an_error_with_the_nearest_that_passes() {
    let site = SiteTest::new(&[("content/_index.md", &page("Home", "", "Welcome.\n"))]);
    site.write(
        "site.yaml",
        &format!("{}brand:\n  colour: \"#7fb2e5\"\n", common::SITE_YAML),
    );
    let run = site.build();
    run.assert_error(
        "site.yaml",
        6,
        "white text on the brand colour #7fb2e5 has a contrast of 2.",
    );
    let stderr = run.stderr();
    let hint = stderr
        .lines()
        .find(|l| l.contains("the nearest colour that passes is #"))
        .unwrap_or_else(|| panic!("no suggestion:\n{stderr}"));
    let at = hint.find('#').unwrap();
    let suggested = &hint[at..at + 7];
    // The suggestion itself passes.
    site.write(
        "site.yaml",
        &format!("{}brand:\n  colour: \"{suggested}\"\n", common::SITE_YAML),
    );
    let run = site.build();
    assert!(
        run.success(),
        "{suggested} was suggested but fails:\n{}",
        run.stderr()
    );
    let html = site.html("index.html");
    assert_eq!(
        common::texts(&html, "head style")
            .iter()
            .filter(|s| s.contains(suggested))
            .count(),
        1,
        "the header takes the brand colour"
    );
}

#[test]
fn a_logo_without_alt_text_or_that_is_missing_is_an_error() {
    let site = SiteTest::new(&[("content/_index.md", &page("Home", "", "Welcome.\n"))]);
    site.write(
        "site.yaml",
        &format!("{}brand:\n  logo:\n    file: logo.svg\n", common::SITE_YAML),
    );
    let run = site.build();
    run.assert_error("site.yaml", 6, "the logo has no alt text");
    run.assert_error("site.yaml", 7, "the logo `logo.svg` was not found");

    site.write(
        "site.yaml",
        &format!(
            "{}brand:\n  logo:\n    file: logo.gif\n    alt: Test Council\n",
            common::SITE_YAML
        ),
    );
    site.write("static/logo.gif", "GIF89a");
    site.build().assert_error(
        "site.yaml",
        7,
        "the logo `logo.gif` is not an SVG or PNG file",
    );

    site.write(
        "site.yaml",
        &format!(
            "{}brand:\n  logo:\n    file: logo.svg\n    alt: Test Council\n",
            common::SITE_YAML
        ),
    );
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>",
    );
    let run = site.build();
    assert!(run.success(), "{}", run.stderr());
    let html = site.html("index.html");
    assert_eq!(
        common::attrs(&html, ".header__logo", "alt"),
        ["Test Council"]
    );
    assert_eq!(common::attrs(&html, ".header__logo", "src"), ["/logo.svg"]);
}
