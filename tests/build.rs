//! Building fixture sites and reading the HTML back: the content model and Markdown features.

mod common;

use common::{SiteTest, attrs, html_files, page, sections, texts};

fn booklet_site() -> SiteTest {
    SiteTest::new(&[
        (
            "content/_index.md",
            &page("Home", "", "Welcome. Read [the guide](guide/_index.md).\n"),
        ),
        (
            "content/guide/_index.md",
            &page(
                "The guide",
                "kind: booklet\nsubtitle: For everyone\ndocument_control:\n  owner: Head of Service\n  version: \"2.1\"\n  status: approved\n  approved_by: Cabinet\n  approved_on: 2010-06-10\n  review_by: 2030-01-31\n",
                "An overview.\n",
            ),
        ),
        (
            "content/guide/b.md",
            &page(
                "Beta",
                "order: 2\n",
                "## Start\n\nSee [alpha's aims](a.md#aims) and [the top](#start).\n",
            ),
        ),
        (
            "content/guide/a.md",
            &page(
                "Alpha",
                "order: 1\nlint:\n  allow:\n    duplicate-id: the ids are kept unique by folio; this page tests that\n",
                "## Aims\n\n### Aims\n\n## Who {#who-does-what}\n\nText.\n",
            ),
        ),
        (
            "content/guide/c.md",
            &page("Gamma", "", "## One\n\nText.\n"),
        ),
        (
            "content/guide/draft.md",
            &page("Draft chapter", "order: 3\ndraft: true\n", "Not yet.\n"),
        ),
        (
            "content/about.md",
            &page("About", "", "## About us\n\nText.\n"),
        ),
    ])
}

#[test]
fn chapters_are_ordered_by_order_then_title_with_prev_and_next() {
    let site = booklet_site();
    let run = site.build();
    assert!(run.success(), "{}", run.stderr());
    let html = site.html("guide/index.html");
    let chapters = texts(&html, "nav.chapter-list li a");
    assert_eq!(chapters, ["1. Alpha", "2. Beta", "3. Gamma"]);
    let sidebar = texts(
        &site.html("guide/c/index.html"),
        "nav[aria-labelledby=folio-chapters-title] li",
    );
    assert_eq!(sidebar, ["Overview", "Alpha", "Beta", "Gamma"]);

    let beta = site.html("guide/b/index.html");
    assert_eq!(
        attrs(&beta, "nav.pagination a[rel=prev]", "href"),
        ["/guide/a/"]
    );
    assert_eq!(
        attrs(&beta, "nav.pagination a[rel=next]", "href"),
        ["/guide/c/"]
    );
    let first = site.html("guide/a/index.html");
    assert_eq!(
        attrs(&first, "nav.pagination a[rel=prev]", "href"),
        ["/guide/"],
        "the first chapter leads back to the overview"
    );
    let last = site.html("guide/c/index.html");
    assert!(attrs(&last, "nav.pagination a[rel=next]", "href").is_empty());
}

#[test]
fn breadcrumbs_lead_from_home_to_the_parent() {
    let site = booklet_site();
    assert!(site.build().success());
    let html = site.html("guide/b/index.html");
    assert_eq!(
        attrs(&html, "nav[aria-label=Breadcrumb] a", "href"),
        ["/", "/guide/"]
    );
    assert_eq!(
        texts(&html, "nav[aria-label=Breadcrumb] a"),
        ["Home", "The guide"]
    );
    assert!(texts(&site.html("index.html"), "nav[aria-label=Breadcrumb] a").is_empty());
}

#[test]
fn headings_get_unique_ids_and_a_table_of_contents() {
    let site = booklet_site();
    assert!(site.build().success());
    let html = site.html("guide/a/index.html");
    assert_eq!(
        attrs(&html, "main h2, main h3", "id")
            .into_iter()
            .filter(|id| !id.starts_with("folio-"))
            .collect::<Vec<_>>(),
        ["aims", "aims-2", "who-does-what"]
    );
    assert_eq!(
        attrs(&html, "nav[aria-labelledby=folio-toc-title] a", "href"),
        ["#aims", "#aims-2", "#who-does-what"]
    );
}

#[test]
fn relative_markdown_links_become_page_urls() {
    let site = booklet_site();
    assert!(site.build().success());
    let html = site.html("guide/b/index.html");
    let links = attrs(&html, "main .prose p a", "href");
    assert_eq!(links, ["/guide/a/#aims", "#start"]);
    assert_eq!(
        attrs(&site.html("index.html"), "main .prose p a", "href"),
        ["/guide/"]
    );
}

#[test]
fn document_control_is_inherited_by_chapters() {
    let site = booklet_site();
    assert!(site.build().success());
    let html = site.html("guide/c/index.html");
    let text = texts(&html, "main dl").join(" ");
    assert!(text.contains("Head of Service"), "{text}");
    assert!(text.contains("2.1"));
    assert!(text.contains("10 June 2010"));
    assert!(text.contains("31 January 2030"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = booklet_site();
    assert!(site.build().success());
    assert!(!site.public().join("guide/draft").exists());
    assert!(!site.read("sitemap.xml").contains("/guide/draft/"));
    let run = site.folio(&["build", "--no-pdf", "--drafts"]);
    assert!(run.success(), "{}", run.stderr());
    assert!(site.public().join("guide/draft/index.html").exists());
}

#[test]
fn sitemap_lists_every_page_and_robots_points_at_it() {
    let site = booklet_site();
    assert!(site.build().success());
    let sitemap = site.read("sitemap.xml");
    let doc = roxmltree_like_locs(&sitemap);
    assert_eq!(
        doc,
        [
            "https://test.example/",
            "https://test.example/about/",
            "https://test.example/accessibility/",
            "https://test.example/guide/",
            "https://test.example/guide/a/",
            "https://test.example/guide/b/",
            "https://test.example/guide/c/",
        ]
    );
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://test.example/sitemap.xml")
    );
    assert!(site.public().join("404.html").exists());
}

/// The `<loc>` values of a sitemap, read with an XML-aware parser (scraper's HTML parser
/// treats unknown elements generically, which is enough for this flat format).
fn roxmltree_like_locs(xml: &str) -> Vec<String> {
    let doc = scraper::Html::parse_fragment(xml);
    texts(&doc, "loc")
}

#[test]
fn callouts_code_and_tables_use_the_accessible_patterns() {
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "")),
        (
            "content/features.md",
            &page(
                "Features",
                "",
                "## Parts\n\n> [!WARNING]\n> Do this first.\n\n> [!NOTE]\n> Good to know.\n\n```rust\nfn main() { let x = 1; }\n```\n\n| Name | Value |\n|---|---|\n| a | 1 |\n\n- [ ] To check\n\nTerm\n: Definition\n\nA note.[^1]\n\n[^1]: The footnote.\n",
            ),
        ),
    ]);
    let run = site.build();
    assert!(run.success(), "{}", run.stderr());
    let html = site.html("features/index.html");
    assert_eq!(
        attrs(&html, "div.callout", "class"),
        ["callout callout-warning", "callout callout-note"]
    );
    assert_eq!(
        texts(&html, "div.callout-warning p.callout-title"),
        ["Warning"]
    );
    assert_eq!(attrs(&html, "pre.code", "data-lang"), ["rust"]);
    let classes = attrs(&html, "pre.code span", "class");
    assert!(
        classes.iter().any(|c| c
            .split(' ')
            .any(|k| k.starts_with("hl-keyword") || k == "hl-storage")),
        "{classes:?}"
    );
    assert_eq!(
        attrs(&html, "div.table-wrap[role=region]", "aria-label"),
        ["Table: Parts"]
    );
    assert_eq!(texts(&html, "table thead th"), ["Name", "Value"]);
    assert_eq!(texts(&html, "dl dt"), ["Term"]);
    assert_eq!(
        texts(&html, "li .visually-hidden")
            .first()
            .map(String::as_str),
        Some("To do:")
    );
}

#[test]
fn a_site_template_overrides_the_theme() {
    let site = booklet_site();
    site.write("templates/page.html", "<!DOCTYPE html><html lang=\"en\"><title>{{ page.title }}</title><p id=\"override\">{{ page.title }}</p></html>");
    assert!(site.build().success());
    let html = site.html("about/index.html");
    assert_eq!(texts(&html, "#override"), ["About"]);
    // Other templates still come from the theme.
    assert_eq!(texts(&site.html("index.html"), "#override").len(), 0);
}

#[test]
fn static_files_and_images_are_copied() {
    let site = SiteTest::new(&[
        (
            "content/_index.md",
            &page("Home", "", "![A plan](plan.svg)\n"),
        ),
        (
            "content/plan.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
        ),
        ("static/extra.txt", "hello"),
    ]);
    let run = site.build();
    assert!(run.success(), "{}", run.stderr());
    assert_eq!(site.read("extra.txt"), "hello");
    assert!(site.public().join("plan.svg").exists());
    assert!(
        site.public().join("css/folio.css").exists(),
        "the theme's static files are copied"
    );
    assert_eq!(
        attrs(&site.html("index.html"), "main img", "src"),
        ["/plan.svg"]
    );
}

#[test]
fn two_builds_give_identical_bytes() {
    let site = booklet_site();
    assert!(site.build().success());
    let first = site.snapshot();
    assert!(site.build().success());
    assert_eq!(first, site.snapshot());
    assert!(first.len() > 10);
}

#[test]
fn build_prints_a_summary_line() {
    let site = booklet_site();
    let run = site.build();
    let out = run.stdout();
    assert!(
        out.starts_with("Built 9 pages (1 booklet, 0 PDFs) in "),
        "{out}"
    );
}

#[test]
fn new_creates_a_page_that_builds_and_refuses_to_overwrite() {
    let site = booklet_site();
    let run = site.folio(&["new", "guide/delta.md"]);
    assert!(run.success(), "{}", run.stderr());
    assert!(site.root().join("content/guide/delta.md").exists());
    let run = site.folio(&["build", "--no-pdf", "--drafts"]);
    assert!(run.success(), "{}", run.stderr());
    assert!(site.public().join("guide/delta/index.html").exists());
    let again = site.folio(&["new", "guide/delta.md"]);
    assert_eq!(again.code(), Some(1));
    assert!(again.stderr().contains("already exists"));
}

#[test]
fn check_writes_nothing() {
    let site = booklet_site();
    let run = site.folio(&["check"]);
    assert!(run.success(), "{}", run.stderr());
    assert!(!site.public().exists());
    // Seven content pages, the search page and the A to Z.
    assert!(run.stdout().starts_with("Checked 9 pages"));
}

#[test]
fn output_can_go_elsewhere() {
    let site = booklet_site();
    let out = site.root().join("elsewhere");
    let run = site.folio(&["build", "--no-pdf", "--output", out.to_str().unwrap()]);
    assert!(run.success(), "{}", run.stderr());
    assert!(out.join("guide/a/index.html").exists());
    assert!(!site.public().exists());
}

#[test]
fn hostile_content_gives_errors_or_pages_never_a_panic() {
    let cases: &[&str] = &[
        "",
        "---",
        "---\n---\n",
        "\u{feff}---\r\ntitle: Windows line endings\r\n---\r\n## Heading\r\n\r\nText\r\n",
        "---\ntitle: [not, a, string]\n---\n",
        "---\ntitle: x\n---\n[a](%é.md) [b](<>) [c](#) ![](\"\") [d](../../../../etc/passwd.md)\n",
        "---\ntitle: x\n---\n# Two\n# Ones\n###### Deep\n## ???\n## ???\n",
        "---\ntitle: x\n---\n```chart\n\n```\n\n```\nunterminated",
        "---\ntitle: x\nextra:\n  nested: {a: [1, 2, {b: c}]}\n---\n> [!NOTE]\n> > [!WARNING]\n> > deep\n",
        "---\ntitle: \"\\u0000 control\"\n---\n<script>alert(1)</script>\n",
        "---\ntitle: x\ndocument_control:\n  owner: o\n  version: 1\n  approved_by: a\n  approved_on: 2010-13-45\n---\n",
    ];
    for (i, text) in cases.iter().enumerate() {
        let site = SiteTest::new(&[
            ("content/_index.md", &page("Home", "", "")),
            (&format!("content/case{i}.md"), text),
        ]);
        let run = site.build();
        let stderr = run.stderr();
        assert!(!stderr.contains("panicked"), "case {i} panicked:\n{stderr}");
        assert!(
            matches!(run.code(), Some(0) | Some(1)),
            "case {i}: exit {:?}\n{stderr}",
            run.code()
        );
        if !run.success() {
            assert!(
                stderr.contains(&format!("content/case{i}.md")),
                "case {i}: the error names the file\n{stderr}"
            );
        }
    }
}

/// A site whose site.yaml fills in every value the accessibility statement uses.
fn statement_site(accessibility: &str) -> SiteTest {
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/guide/_index.md",
            &page(
                "The guide",
                "kind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1\"\n  status: approved\n  approved_by: Cabinet\n  approved_on: 2010-06-10\n  review_by: 2030-01-31\n",
                "An overview.\n",
            ),
        ),
        ("content/guide/a.md", &page("Alpha", "", "Text.\n")),
    ]);
    site.write(
        "site.yaml",
        &format!(
            "title: Test site\nbase_url: https://test.example/\norganisation:\n  name: {ORG}\n  department: {DEPARTMENT}\n  email: {EMAIL}\n  phone: {PHONE}\n  address: {ADDRESS}\naccessibility:\n{accessibility}"
        ),
    );
    site
}

const ORG: &str = "Test Council";
const DEPARTMENT: &str = "Children's Services";
const EMAIL: &str = "guidance@test.example";
const PHONE: &str = "0100 000 0000";
const ADDRESS: &str = "Town Hall, High Street, Testville";

#[test]
fn the_accessibility_statement_comes_from_site_yaml_and_every_footer_links_to_it() {
    let issue = "The maps on the places page have no text description.";
    let site = statement_site(&format!(
        "  status: partial\n  prepared_on: 2026-11-23\n  reviewed_on: 2027-01-15\n  known_issues:\n    - {issue}\n"
    ));
    let run = site.build();
    assert!(run.success(), "{}", run.stderr());
    let html = site.html("accessibility/index.html");
    assert_eq!(texts(&html, "h1"), ["Accessibility statement"]);
    let text = sections(&html);

    // How to ask for another format, with every contact route from site.yaml.
    let formats = &text["alternative-formats"];
    assert!(formats.contains("in another format"), "{formats}");
    for value in [EMAIL, PHONE, ADDRESS, ORG, DEPARTMENT] {
        assert!(formats.contains(value), "no {value:?} in: {formats}");
    }
    let mailto = format!("mailto:{EMAIL}");
    assert!(attrs(&html, "main a", "href").contains(&mailto));
    assert!(text["reporting-problems"].contains(EMAIL));

    // Compliance status and the problems it is due to.
    let status = &text["compliance-status"];
    assert!(status.contains("partially compliant"), "{status}");
    assert!(status.contains("listed below"), "{status}");
    assert!(text["non-accessible-content"].contains(issue));

    // When it was prepared and reviewed, as readable dates.
    let preparation = &text["preparation"];
    assert!(
        preparation.contains("prepared on 23 November 2026")
            && preparation.contains("last reviewed on 15 January 2027"),
        "{preparation}"
    );

    // Every page's footer leads to the statement and to how to ask for another format.
    let pages = html_files(&site.public());
    assert!(pages.len() >= 6, "{pages:?}");
    for file in pages {
        let page = scraper::Html::parse_document(&std::fs::read_to_string(&file).unwrap());
        let links = attrs(&page, "footer a", "href");
        for wanted in ["/accessibility/", "/accessibility/#alternative-formats"] {
            assert!(
                links.iter().any(|l| l == wanted),
                "{}: the footer has no link to {wanted}: {links:?}",
                file.display()
            );
        }
    }
}

#[test]
fn the_compliance_status_and_the_list_of_problems_agree() {
    let issue = "Some tables have no header row.";
    // (status, known issues, what the compliance status says)
    for (status, issues, says) in [
        ("full", "", "is fully compliant"),
        ("partial", "", "is partially compliant"),
        ("partial", issue, "is partially compliant"),
        ("none", "", "is not compliant"),
        ("none", issue, "is not compliant"),
    ] {
        let list = if issues.is_empty() {
            String::new()
        } else {
            format!("  known_issues:\n    - {issues}\n")
        };
        let site = statement_site(&format!(
            "  status: {status}\n  prepared_on: 2026-11-23\n{list}"
        ));
        let run = site.build();
        assert!(run.success(), "{}", run.stderr());
        let text = sections(&site.html("accessibility/index.html"));
        let compliance = &text["compliance-status"];
        let problems = &text["non-accessible-content"];
        let case = format!("{status} with {issues:?}:\n  {compliance}\n  {problems}");
        assert!(compliance.contains(says), "{case}");
        // A statement that points to a list below must have one; one that is not fully
        // compliant must not say it knows of no problems.
        if issues.is_empty() {
            assert!(!compliance.contains("non-compliances"), "{case}");
            assert!(!problems.contains(issue), "{case}");
        } else {
            assert!(
                compliance.contains("listed below") && problems.contains(issue),
                "{case}"
            );
        }
        assert_eq!(
            problems.contains("not aware of any content"),
            status == "full",
            "{case}"
        );
    }
}

#[test]
fn help_gives_examples_for_every_command() {
    let site = SiteTest::new(&[]);
    for args in [
        vec!["--help"],
        vec!["help", "build"],
        vec!["check", "--help"],
        vec!["serve", "--help"],
        vec!["new", "--help"],
    ] {
        let run = site.folio(&args);
        assert!(run.success(), "{args:?}: {}", run.stderr());
        let help = run.stdout();
        let examples = help
            .split_once("Examples:")
            .unwrap_or_else(|| panic!("{args:?} shows no examples:\n{help}"))
            .1;
        let command = args.iter().find(|a| !a.starts_with('-') && **a != "help");
        let example_lines: Vec<&str> = examples
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("folio "))
            .collect();
        assert!(!example_lines.is_empty(), "{args:?}:\n{help}");
        if let Some(command) = command {
            assert!(
                example_lines
                    .iter()
                    .all(|l| l.starts_with(&format!("folio {command}"))),
                "{args:?}: {example_lines:?}"
            );
        }
    }
}

#[test]
fn titles_are_escaped_and_markdown_extensions_render() {
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/guide/_index.md",
            &page("The guide", "kind: booklet\n", "An overview.\n"),
        ),
        // Same order: the title decides, whatever the file names.
        ("content/guide/a.md", &page("Zulu", "order: 1\n", "Text.\n")),
        (
            "content/guide/z.md",
            &page("Apple", "order: 1\n", "Text.\n"),
        ),
        (
            "content/about.md",
            &page(
                "\"Fish & <chips>\"",
                "",
                "The ~~old~~ rule. \"Quoted\" -- and it's done...\n",
            ),
        ),
    ]);
    let run = site.build();
    assert!(run.success(), "{}", run.stderr());
    assert_eq!(
        texts(&site.html("guide/index.html"), "nav.chapter-list li a"),
        ["1. Apple", "2. Zulu"]
    );

    let about = site.html("about/index.html");
    // Autoescaped: the title is text, not markup.
    assert_eq!(texts(&about, "h1"), ["Fish & <chips>"]);
    assert!(
        about
            .select(&scraper::Selector::parse("chips").unwrap())
            .next()
            .is_none()
    );
    assert_eq!(texts(&about, "main del"), ["old"]);
    let body = texts(&about, "main p").join(" ");
    assert!(
        body.contains("\u{201c}Quoted\u{201d} \u{2013} and it\u{2019}s done\u{2026}"),
        "{body}"
    );

    // Smart punctuation can be turned off in site.yaml.
    let settings = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{settings}markdown:\n  smart_punctuation: false\n"),
    );
    let run = site.build();
    assert!(run.success(), "{}", run.stderr());
    let body = texts(&site.html("about/index.html"), "main p").join(" ");
    assert!(body.contains("\"Quoted\" -- and it's done..."), "{body}");
}
