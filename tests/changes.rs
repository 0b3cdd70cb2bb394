//! Partners and change: the register of a page kind and its open data, page histories
//! ("Last updated", "All updates", the checks), Atom feeds, pages at old addresses and the
//! list of review dates. Everything is read by parsing the HTML, JSON, CSV and XML.

mod common;

use std::collections::BTreeMap;

use common::{SiteTest, attrs, page, texts};
use scraper::{Html, Selector};
use serde_json::Value;

/// The day every build of these tests runs on.
const TODAY: &str = "2026-12-02";

fn pledge(title: &str, order: u32, fields: &str) -> String {
    page(
        title,
        &format!("order: {order}\nkind: pledge\nfields:\n{fields}"),
        "## About\n\nA pledge.\n",
    )
}

/// A booklet with a history and a chapter with one, three pledges (one signed, one whose
/// organisation is to be confirmed, one overdue for review), a role, a page of its own
/// with an old address, and a home page.
fn site() -> SiteTest {
    SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/guide/_index.md",
            &page(
                "The guide",
                "kind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1.1\"\n  status: draft\n  review_by: 2027-06-30\n  history:\n    - date: 2026-01-10\n      version: \"1.0\"\n      summary: First version.\n    - date: 2026-03-05\n      version: \"1.1\"\n      summary: New contact details.\n",
                "The guide's introduction.\n",
            ),
        ),
        (
            "content/guide/health.md",
            &pledge(
                "Health pledge",
                1,
                "  sector: Health\n  organisation: \"TBC: the health bodies\"\n  commitments:\n    - We will listen.\n    - We will check your health.\n  for: Children in care\n  status: draft\n  review_by: 2027-03-31\n  contact: The health team\n",
            ),
        ),
        (
            "content/guide/colleges.md",
            &pledge(
                "Colleges pledge",
                2,
                "  sector: Further education\n  organisation: Example College\n  commitments:\n    - We will keep a place for you.\n  for: Care leavers\n  status: signed\n  signed_on: 2026-02-01\n  review_by: 2026-11-30\n  contact: The student support team\n",
            ),
        ),
        (
            "content/guide/police.md",
            &page(
                "Police pledge",
                "order: 3\nkind: pledge\nhistory:\n  - date: 2026-04-01\n    summary: A clearer commitment on interviews.\nfields:\n  sector: Police\n  organisation: The police\n  commitments:\n    - We will explain what is happening.\n  for: Children in care\n  status: proposed\n  review_by: 2027-01-31\n  contact: The youth team\n",
                "## About\n\nA pledge.\n",
            ),
        ),
        (
            "content/guide/champion.md",
            &page(
                "The champion",
                "order: 4\nkind: role\nfields:\n  purpose: To speak up.\n  responsibilities: [Speak up.]\n  accountable_to: The council\n  appointed_by: The board\n  skills: [Listening.]\n  time_commitment: A day a month\n  support: [Training.]\n  review_by: 2027-05-01\n",
                "## About\n\nA role.\n",
            ),
        ),
        (
            "content/contact.md",
            &page(
                "Contact us",
                "aliases:\n  - /old-contact/\n  - /help/contact.html\n",
                "## Ways to reach us\n\nWrite to us.\n",
            ),
        ),
    ])
}

fn build(site: &SiteTest) {
    let run = site.folio_on(TODAY, &["build", "--no-pdf", "--no-search"]);
    assert!(run.success(), "{}", run.stderr());
}

fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(selector).unwrap()).collect()
}

fn text(element: scraper::ElementRef) -> String {
    element
        .text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A row of the register's table: its header's text and link, and its cells.
type Row = (String, String, Vec<String>);

/// The register's table: its header cells, and each row's header and cells.
fn register_table(html: &Html) -> (Vec<String>, Vec<Row>) {
    let tables = select(html, "main table");
    assert_eq!(tables.len(), 1, "one table in the register");
    let table = tables[0];
    let head: Vec<String> = table
        .select(&Selector::parse("thead th[scope=col]").unwrap())
        .map(text)
        .collect();
    let rows = table
        .select(&Selector::parse("tbody tr").unwrap())
        .map(|row| {
            let header = row
                .select(&Selector::parse("th[scope=row] a").unwrap())
                .next()
                .expect("each row has a row header with a link");
            let cells = row
                .select(&Selector::parse("td").unwrap())
                .map(text)
                .collect();
            (
                text(header),
                header.value().attr("href").unwrap().to_string(),
                cells,
            )
        })
        .collect();
    (head, rows)
}

#[test]
fn the_register_lists_exactly_the_pledges_with_their_fields() {
    let site = site();
    build(&site);
    let html = site.html("pledges/index.html");
    assert_eq!(texts(&html, "h1"), ["Register of partner pledges"]);
    let captions = texts(&html, "main table caption");
    assert_eq!(captions.len(), 1, "the table has a caption");
    assert!(
        captions[0].starts_with("Register of partner pledges: 3 of 3"),
        "{captions:?}"
    );
    let (head, rows) = register_table(&html);
    assert_eq!(
        head,
        [
            "Pledge",
            "Organisation",
            "Sector",
            "Status",
            "Signed on",
            "Review by"
        ]
    );
    // Every pledge, by title, and nothing else (not the role, the booklet or other pages).
    let expected = vec![
        (
            "Colleges pledge".to_string(),
            "/guide/colleges/".to_string(),
            vec![
                "Example College".to_string(),
                "Further education".into(),
                "Signed".into(),
                "1 February 2026".into(),
                "30 November 2026 Review overdue".into(),
            ],
        ),
        (
            "Health pledge".into(),
            "/guide/health/".into(),
            vec![
                "To be confirmed".into(),
                "Health".into(),
                "Draft".into(),
                "Not signed".into(),
                "31 March 2027".into(),
            ],
        ),
        (
            "Police pledge".into(),
            "/guide/police/".into(),
            vec![
                "The police".into(),
                "Police".into(),
                "Proposed".into(),
                "Not signed".into(),
                "31 January 2027".into(),
            ],
        ),
    ];
    assert_eq!(rows, expected);
    // Dates are machine-readable too.
    assert_eq!(
        attrs(&html, "main tbody time", "datetime"),
        ["2026-02-01", "2026-11-30", "2027-03-31", "2027-01-31"]
    );
    // The overdue review says so in words, in its own cell.
    let overdue = select(&html, "main tbody td .tag");
    assert_eq!(overdue.len(), 1);
    assert_eq!(text(overdue[0]), "Review overdue");
    // It links to its data.
    let links = attrs(&html, "main a", "href");
    for data in [
        "/pledges/pledges.csv",
        "/pledges/pledges.json",
        "/pledges/pledges.schema.json",
    ] {
        assert!(
            links.contains(&data.to_string()),
            "no link to {data}: {links:?}"
        );
    }
}

#[test]
fn each_view_of_the_register_shows_only_its_pages_without_javascript() {
    let site = site();
    build(&site);
    let html = site.html("pledges/index.html");
    let filters: Vec<(String, String)> = select(&html, "nav.register-filters li a")
        .into_iter()
        .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        filters,
        [
            (
                "Further education (1)".to_string(),
                "/pledges/sector/further-education/".to_string()
            ),
            ("Health (1)".into(), "/pledges/sector/health/".into()),
            ("Police (1)".into(), "/pledges/sector/police/".into()),
            ("Draft (1)".into(), "/pledges/status/draft/".into()),
            ("Proposed (1)".into(), "/pledges/status/proposed/".into()),
            ("Signed (1)".into(), "/pledges/status/signed/".into()),
        ]
    );
    let health = site.html("pledges/sector/health/index.html");
    let (_, rows) = register_table(&health);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "Health pledge");
    assert_eq!(
        attrs(&health, "nav.register-filters a[aria-current=page]", "href"),
        ["/pledges/sector/health/"]
    );
    // Each view is a page of its own, with the register in its breadcrumbs.
    assert!(texts(&health, "h1")[0].contains("Health"));
    assert!(attrs(&health, ".breadcrumbs a", "href").contains(&"/pledges/".to_string()));
}

fn json(site: &SiteTest, path: &str) -> Value {
    serde_json::from_str(&site.read(path)).unwrap()
}

/// The CSV's rows as maps from column to cell.
fn csv_records(site: &SiteTest) -> Vec<BTreeMap<String, String>> {
    let text = site.read("pledges/pledges.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "title",
            "url",
            "updated",
            "sector",
            "organisation",
            "commitments",
            "for",
            "status",
            "signed_on",
            "review_by",
            "contact",
            "to_be_confirmed"
        ]
    );
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// A JSON record as the CSV writes it.
fn as_csv(record: &Value) -> BTreeMap<String, String> {
    record
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, value)| {
            let cell = match value {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                Value::Array(items) => {
                    let items: Vec<&str> = items.iter().map(|i| i.as_str().unwrap()).collect();
                    items.join(if key == "to_be_confirmed" { ";" } else { "\n" })
                }
                other => panic!("{key}: unexpected {other}"),
            };
            (key.clone(), cell)
        })
        .collect()
}

fn assert_valid(site: &SiteTest) -> Value {
    let data = json(site, "pledges/pledges.json");
    let schema = json(site, "pledges/pledges.schema.json");
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    let errors: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "pledges.json does not match its schema: {errors:?}"
    );
    data
}

#[test]
fn the_open_data_matches_its_schema_and_the_csv_has_the_same_records() {
    let site = site();
    build(&site);
    let data = assert_valid(&site);
    assert_eq!(data["kind"], "pledge");
    assert_eq!(data["url"], "https://test.example/pledges/");
    let records = data["records"].as_array().unwrap();
    let titles: Vec<&str> = records
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Colleges pledge", "Health pledge", "Police pledge"]
    );
    let health = &records[1];
    assert_eq!(health["url"], "https://test.example/guide/health/");
    assert_eq!(health["organisation"], Value::Null);
    assert_eq!(
        health["to_be_confirmed"],
        serde_json::json!(["organisation"])
    );
    assert_eq!(health["signed_on"], Value::Null);
    assert_eq!(health["review_by"], "2027-03-31");
    assert_eq!(
        health["commitments"],
        serde_json::json!(["We will listen.", "We will check your health."])
    );
    // The chapter's last update is its booklet's latest change.
    assert_eq!(health["updated"], "2026-03-05");
    assert_eq!(records[2]["updated"], "2026-04-01");
    assert_eq!(records[0]["signed_on"], "2026-02-01");
    let expected: Vec<BTreeMap<String, String>> = records.iter().map(as_csv).collect();
    assert_eq!(csv_records(&site), expected);

    // A pledge changes: both files change with it.
    let before_csv = site.read("pledges/pledges.csv");
    site.write(
        "content/guide/health.md",
        &pledge(
            "Health pledge",
            1,
            "  sector: Health\n  organisation: The health board\n  commitments:\n    - We will listen.\n  for: Children in care\n  status: signed\n  signed_on: 2026-11-01\n  review_by: 2027-11-01\n  contact: The health team\n",
        ),
    );
    build(&site);
    let data = assert_valid(&site);
    let health = &data["records"][1];
    assert_eq!(health["organisation"], "The health board");
    assert_eq!(health["status"], "signed");
    assert_eq!(health["signed_on"], "2026-11-01");
    assert_eq!(health["to_be_confirmed"], serde_json::json!([]));
    assert_ne!(site.read("pledges/pledges.csv"), before_csv);
    let rows = csv_records(&site);
    assert_eq!(rows[1]["organisation"], "The health board");
    assert_eq!(rows[1]["signed_on"], "2026-11-01");
    let expected: Vec<BTreeMap<String, String>> = data["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(as_csv)
        .collect();
    assert_eq!(rows, expected);
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// A feed's entries: (id, title, updated, link, summary).
fn feed(site: &SiteTest, path: &str) -> (BTreeMap<&'static str, String>, Vec<[String; 5]>) {
    let xml = site.read(path);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{path}: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some(ATOM),
        "{path} is not Atom 1.0"
    );
    let child = |node: roxmltree::Node, name: &str| -> String {
        node.children()
            .find(|c| c.has_tag_name((ATOM, name)))
            .and_then(|c| c.text())
            .unwrap_or_else(|| panic!("{path}: no <{name}>"))
            .to_string()
    };
    let link = |node: roxmltree::Node, rel: &str| -> String {
        node.children()
            .find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some(rel))
            .and_then(|c| c.attribute("href"))
            .unwrap_or_else(|| panic!("{path}: no link rel={rel}"))
            .to_string()
    };
    let mut head = BTreeMap::new();
    head.insert("id", child(root, "id"));
    head.insert("title", child(root, "title"));
    head.insert("updated", child(root, "updated"));
    head.insert("self", link(root, "self"));
    head.insert("alternate", link(root, "alternate"));
    let author = root
        .children()
        .find(|c| c.has_tag_name((ATOM, "author")))
        .expect("the feed has an author");
    head.insert("author", child(author, "name"));
    let entries = root
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|e| {
            [
                child(e, "id"),
                child(e, "title"),
                child(e, "updated"),
                link(e, "alternate"),
                child(e, "summary"),
            ]
        })
        .collect();
    (head, entries)
}

#[test]
fn the_feeds_are_atom_with_stable_ids_and_a_new_change_is_a_new_entry() {
    let site = site();
    build(&site);
    let (head, entries) = feed(&site, "atom.xml");
    assert_eq!(head["id"], "https://test.example/atom.xml");
    assert_eq!(head["self"], "https://test.example/atom.xml");
    assert_eq!(head["alternate"], "https://test.example/");
    assert_eq!(head["author"], "Test Council");
    assert_eq!(head["updated"], "2026-04-01T00:00:00Z");
    assert_eq!(
        entries,
        [
            [
                "tag:test.example,2026-04-01:/guide/police/change-1".to_string(),
                "Police pledge: updated".into(),
                "2026-04-01T00:00:00Z".into(),
                "https://test.example/guide/police/".into(),
                "A clearer commitment on interviews.".into(),
            ],
            [
                "tag:test.example,2026-03-05:/guide/v1.1".into(),
                "The guide: version 1.1".into(),
                "2026-03-05T00:00:00Z".into(),
                "https://test.example/guide/".into(),
                "New contact details.".into(),
            ],
            [
                "tag:test.example,2026-01-10:/guide/v1.0".into(),
                "The guide: version 1.0".into(),
                "2026-01-10T00:00:00Z".into(),
                "https://test.example/guide/".into(),
                "First version.".into(),
            ],
        ]
    );
    // The booklet's own feed has its changes and its chapters'.
    let (booklet, booklet_entries) = feed(&site, "guide/atom.xml");
    assert_eq!(booklet["self"], "https://test.example/guide/atom.xml");
    assert_eq!(booklet["alternate"], "https://test.example/guide/");
    assert_eq!(booklet_entries, entries);
    // Every page names the feeds it is in.
    let chapter = site.html("guide/health/index.html");
    assert_eq!(
        attrs(
            &chapter,
            "head link[rel=alternate][type='application/atom+xml']",
            "href"
        ),
        ["/atom.xml", "/guide/atom.xml"]
    );
    assert_eq!(
        attrs(
            &site.html("contact/index.html"),
            "head link[rel=alternate][type='application/atom+xml']",
            "href"
        ),
        ["/atom.xml"]
    );

    // A new change: one new entry at the top; the others keep their ids.
    let booklet_page =
        std::fs::read_to_string(site.root().join("content/guide/_index.md")).unwrap();
    site.write(
        "content/guide/_index.md",
        &booklet_page.replace(
            "      summary: New contact details.\n",
            "      summary: New contact details.\n    - date: 2026-11-20\n      summary: A typing slip put right.\n",
        ),
    );
    build(&site);
    let (head, newer) = feed(&site, "atom.xml");
    assert_eq!(head["updated"], "2026-11-20T00:00:00Z");
    assert_eq!(newer.len(), entries.len() + 1);
    assert_eq!(newer[0][0], "tag:test.example,2026-11-20:/guide/change-3");
    assert_eq!(newer[0][3], "https://test.example/guide/");
    assert_eq!(&newer[1..], &entries[..]);
    let ids: std::collections::BTreeSet<&String> = newer.iter().map(|e| &e[0]).collect();
    assert_eq!(ids.len(), newer.len(), "ids are unique");
    // A chapter whose own file did not change, rebuilt with the cache, shows the new date.
    let chapter = site.html("guide/health/index.html");
    assert_eq!(texts(&chapter, ".last-updated time"), ["20 November 2026"]);
}

#[test]
fn a_site_with_no_history_has_no_feed() {
    let site = SiteTest::new(&[("content/_index.md", &page("Home", "", "Welcome.\n"))]);
    build(&site);
    assert!(!site.public().join("atom.xml").exists());
    assert!(attrs(&site.html("index.html"), "link[rel=alternate]", "href").is_empty());
}

#[test]
fn pages_show_when_they_were_last_updated_and_the_booklet_lists_every_update() {
    let site = site();
    build(&site);
    let chapter = site.html("guide/health/index.html");
    assert_eq!(texts(&chapter, ".last-updated time"), ["5 March 2026"]);
    assert_eq!(
        attrs(&chapter, ".last-updated time", "datetime"),
        ["2026-03-05"]
    );
    assert_eq!(
        attrs(&chapter, ".last-updated a", "href"),
        ["/guide/#folio-updates"]
    );
    // A chapter with a later change of its own shows that.
    let police = site.html("guide/police/index.html");
    assert_eq!(texts(&police, ".last-updated time"), ["1 April 2026"]);
    let booklet = site.html("guide/index.html");
    assert_eq!(
        attrs(&booklet, ".last-updated a", "href"),
        ["#folio-updates"]
    );
    let items = texts(&booklet, "#folio-updates ~ ol > li");
    assert_eq!(
        items,
        [
            "1 April 2026 , Police pledge A clearer commitment on interviews.",
            "5 March 2026 , version 1.1 New contact details.",
            "10 January 2026 , version 1.0 First version.",
        ]
    );
    assert_eq!(
        attrs(&booklet, "#folio-updates ~ ol a", "href"),
        ["/guide/police/"]
    );
    assert!(attrs(&booklet, ".history a", "href").contains(&"/guide/atom.xml".to_string()));
    // A page with no history and no approval shows no date.
    assert!(texts(&site.html("contact/index.html"), ".last-updated").is_empty());
    // The sitemap gives the same dates.
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let lastmod: BTreeMap<String, String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .filter_map(|u| {
            let text = |name: &str| {
                u.children()
                    .find(|c| c.tag_name().name() == name)
                    .and_then(|c| c.text())
                    .map(str::to_string)
            };
            Some((text("loc")?, text("lastmod")?))
        })
        .collect();
    assert_eq!(lastmod["https://test.example/guide/health/"], "2026-03-05");
    assert_eq!(lastmod["https://test.example/guide/police/"], "2026-04-01");
    assert!(!lastmod.contains_key("https://test.example/contact/"));
}

#[test]
fn an_approved_page_with_no_history_shows_its_approval_date() {
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/g/_index.md",
            &page(
                "G",
                "kind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1\"\n  status: approved\n  approved_by: Cabinet\n  approved_on: 2026-06-10\n  review_by: 2027-06-10\n",
                "Text.\n",
            ),
        ),
        ("content/g/one.md", &page("One", "", "Text.\n")),
    ]);
    build(&site);
    let chapter = site.html("g/one/index.html");
    assert_eq!(texts(&chapter, ".last-updated time"), ["10 June 2026"]);
    // Nothing to list: no link to updates.
    assert!(attrs(&chapter, ".last-updated a", "href").is_empty());
}

#[test]
fn an_alias_writes_a_page_that_leads_on_and_a_redirects_file() {
    let site = site();
    build(&site);
    for path in ["old-contact/index.html", "help/contact.html"] {
        let html = site.html(path);
        let refresh = attrs(&html, "meta[http-equiv=refresh]", "content");
        assert_eq!(refresh, ["0; url=/contact/"], "{path}");
        assert_eq!(attrs(&html, "main a", "href"), ["/contact/"], "{path}");
        assert_eq!(attrs(&html, "html", "lang"), ["en-GB"]);
        assert_eq!(texts(&html, "title"), ["Contact us has moved – Test site"]);
        assert_eq!(
            attrs(&html, "link[rel=canonical]", "href"),
            ["https://test.example/contact/"]
        );
        assert_eq!(attrs(&html, "meta[name=robots]", "content"), ["noindex"]);
    }
    assert_eq!(
        site.read("_redirects"),
        "/old-contact/ /contact/ 301\n/help/contact.html /contact/ 301\n"
    );
    // Under a path, both honour it.
    let run = site.folio_on(
        TODAY,
        &[
            "build",
            "--no-pdf",
            "--no-search",
            "--base-url",
            "https://test.example/some/path/",
        ],
    );
    assert!(run.success(), "{}", run.stderr());
    assert_eq!(
        site.read("_redirects"),
        "/some/path/old-contact/ /some/path/contact/ 301\n/some/path/help/contact.html /some/path/contact/ 301\n"
    );
    assert_eq!(
        attrs(
            &site.html("old-contact/index.html"),
            "meta[http-equiv=refresh]",
            "content"
        ),
        ["0; url=/some/path/contact/"]
    );
    // The register and its data files live under the path too.
    assert!(
        attrs(&site.html("pledges/index.html"), "main a", "href")
            .contains(&"/some/path/pledges/pledges.csv".to_string())
    );
}

#[test]
fn an_alias_that_clashes_fails_the_build_at_its_line() {
    let site = site();
    site.write(
        "content/other.md",
        &page("Other", "aliases:\n  - /guide/health/\n", "Text.\n"),
    );
    let run = site.folio_on(TODAY, &["build", "--no-pdf", "--no-search"]);
    run.assert_error(
        "content/other.md",
        4,
        "the alias /guide/health/ is the address of content/guide/health.md",
    );
    assert!(!site.public().exists(), "a failed build writes nothing");
    site.write(
        "content/other.md",
        &page("Other", "aliases:\n  - /old-contact\n", "Text.\n"),
    );
    let run = site.folio_on(TODAY, &["build", "--no-pdf", "--no-search"]);
    run.assert_error(
        "content/other.md",
        4,
        "the alias /old-contact/ is also an alias of content/contact.md",
    );
    site.write(
        "content/other.md",
        &page("Other", "aliases:\n  - /pledges/pledges.csv\n", "Text.\n"),
    );
    let run = site.folio_on(TODAY, &["build", "--no-pdf", "--no-search"]);
    run.assert_error(
        "content/other.md",
        4,
        "the alias /pledges/pledges.csv is the address of a file the site makes",
    );
}

#[test]
fn history_rules_report_each_change_at_its_line() {
    let site = site();
    site.write(
        "content/guide/_index.md",
        &page(
            "The guide",
            "kind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1.1\"\n  status: draft\n  review_by: 2027-06-30\n  history:\n    - date: 2026-03-05\n      version: \"1.0\"\n      summary: First version.\n    - date: 2026-01-10\n      version: \"1.0\"\n      summary: Put back in time.\n    - date: 2027-01-01\n      version: \"1.2\"\n      summary: Not yet.\n",
            "Text.\n",
        ),
    );
    let run = site.folio_on(TODAY, &["check", "--no-pdf"]);
    run.assert_error(
        "content/guide/_index.md",
        13,
        "this change is dated 10 January 2026, before the change above it (5 March 2026)",
    );
    run.assert_error(
        "content/guide/_index.md",
        14,
        "version 1.0 is not higher than version 1.0 before it",
    );
    run.assert_error(
        "content/guide/_index.md",
        16,
        "this change is dated 1 January 2027, which has not come yet",
    );
    run.assert_error(
        "content/guide/_index.md",
        17,
        "the latest change made version 1.2, but the document control says version 1.1",
    );
}

#[test]
fn check_review_lists_every_review_date_overdue_first() {
    let site = site();
    let run = site.folio_on(TODAY, &["check", "--review", "--format", "json"]);
    assert!(run.success(), "{}", run.stderr());
    let list: Vec<Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let shown: Vec<(&str, &str, &str, &str)> = list
        .iter()
        .map(|d| {
            (
                d["status"].as_str().unwrap(),
                d["review_by"].as_str().unwrap(),
                d["title"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                "overdue",
                "2026-11-30",
                "Colleges pledge",
                "content/guide/colleges.md"
            ),
            (
                "due",
                "2027-01-31",
                "Police pledge",
                "content/guide/police.md"
            ),
            (
                "due",
                "2027-03-31",
                "Health pledge",
                "content/guide/health.md"
            ),
            (
                "due",
                "2027-05-01",
                "The champion",
                "content/guide/champion.md"
            ),
            ("due", "2027-06-30", "The guide", "content/guide/_index.md"),
        ]
    );
    let human = site.folio_on(TODAY, &["check", "--review"]);
    assert!(human.success());
    let lines: Vec<String> = human.stdout().lines().map(str::to_string).collect();
    assert_eq!(
        lines[0],
        "Review dates as at 2 December 2026: 5 to review, 1 overdue."
    );
    let first: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(first.first(), Some(&"Overdue"));
    assert_eq!(first.last(), Some(&"content/guide/colleges.md"));
}
