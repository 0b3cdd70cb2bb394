//! The dev server's incremental rebuild: after any edit, the site in memory is exactly what
//! a fresh build of the same files gives, and a body edit redoes only its own page.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::{SiteTest, page};
use folio::build::incremental::Workspace;
use folio::build::{self, BuildOptions};
use folio::files::Files as Output;

fn fixture() -> SiteTest {
    SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome home.\n")),
        (
            "content/guide/_index.md",
            &page(
                "The guide",
                "kind: booklet\n",
                "Start with [the first chapter](one.md#getting-started).\n",
            ),
        ),
        (
            "content/guide/one.md",
            &page(
                "Chapter one",
                "order: 1\n",
                "## Getting started\n\nFirst words.\n\n## Next steps\n\nMore words.\n",
            ),
        ),
        (
            "content/guide/two.md",
            &page(
                "Chapter two",
                "order: 2\n",
                "Second words. Go back to [getting started](one.md#getting-started).\n",
            ),
        ),
        (
            "content/guide/three.md",
            &page("Chapter three", "order: 3\n", "Third words.\n"),
        ),
        ("content/about.md", &page("About", "", "About us.\n")),
    ])
}

fn options(site: &SiteTest) -> BuildOptions {
    BuildOptions {
        pdf: false,
        search: false,
        ..BuildOptions::new(site.root())
    }
}

/// Every file of an output with its bytes: pages in memory, copied files read.
fn files(output: &Output) -> BTreeMap<PathBuf, Vec<u8>> {
    output
        .files
        .keys()
        .map(|path| (path.clone(), output.read(path).unwrap().unwrap()))
        .collect()
}

/// The workspace holds what a fresh build of the files on disk makes, byte for byte.
fn assert_same_as_fresh(site: &SiteTest, workspace: &Workspace) {
    let fresh = build::build(&options(site)).unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    let (kept, fresh) = (files(workspace.output()), files(&fresh.files()));
    assert_eq!(
        kept.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &fresh {
        assert!(
            kept[path] == *bytes,
            "{} differs from a fresh build",
            path.display()
        );
    }
}

fn text(workspace: &Workspace, path: &str) -> String {
    String::from_utf8(workspace.output().read(path.as_ref()).unwrap().unwrap()).unwrap()
}

#[test]
fn a_body_edit_redoes_only_its_page() {
    let site = fixture();
    let mut workspace = Workspace::open(options(&site)).unwrap();
    site.write(
        "content/guide/two.md",
        &page(
            "Chapter two",
            "order: 2\n",
            "Second words, edited. Go back to [getting started](one.md#getting-started).\n",
        ),
    );
    let update = workspace
        .update(&[site.root().join("content/guide/two.md")])
        .unwrap();
    assert!(!update.whole, "a body edit rebuilt the whole site");
    assert_eq!(update.changed, 1, "only the edited page changes");
    assert!(text(&workspace, "guide/two/index.html").contains("Second words, edited."));
    assert_same_as_fresh(&site, &workspace);
}

#[test]
fn a_front_matter_edit_reaches_the_chapter_list_and_neighbours() {
    let site = fixture();
    let mut workspace = Workspace::open(options(&site)).unwrap();
    site.write(
        "content/guide/two.md",
        &page(
            "Chapter two, renamed",
            "order: 2\n",
            "Second words. Go back to [getting started](one.md#getting-started).\n",
        ),
    );
    let update = workspace
        .update(&[PathBuf::from("content/guide/two.md")])
        .unwrap();
    assert!(update.whole);
    // The booklet's chapter list, and the previous and next links of its neighbours.
    for neighbour in [
        "guide/index.html",
        "guide/one/index.html",
        "guide/three/index.html",
    ] {
        let doc = scraper::Html::parse_document(&text(&workspace, neighbour));
        let links = common::texts(&doc, "a");
        assert!(
            links.iter().any(|l| l.contains("Chapter two, renamed")),
            "{neighbour}: {links:?}"
        );
    }
    assert_same_as_fresh(&site, &workspace);

    // A new order moves the chapter, and prev/next follow.
    site.write(
        "content/guide/three.md",
        &page("Chapter three", "order: 0\n", "Third words.\n"),
    );
    assert!(
        workspace
            .update(&[PathBuf::from("content/guide/three.md")])
            .unwrap()
            .whole
    );
    assert_same_as_fresh(&site, &workspace);
}

#[test]
fn pages_added_and_removed_rebuild_the_site() {
    let site = fixture();
    let mut workspace = Workspace::open(options(&site)).unwrap();
    site.write(
        "content/guide/four.md",
        &page("Chapter four", "order: 4\n", "Fourth words.\n"),
    );
    let update = workspace
        .update(&[PathBuf::from("content/guide/four.md")])
        .unwrap();
    assert!(update.whole);
    assert!(text(&workspace, "guide/four/index.html").contains("Fourth words."));
    assert_same_as_fresh(&site, &workspace);

    std::fs::remove_file(site.root().join("content/about.md")).unwrap();
    workspace
        .update(&[PathBuf::from("content/about.md")])
        .unwrap();
    assert!(
        workspace
            .output()
            .read("about/index.html".as_ref())
            .is_none()
    );
    assert_same_as_fresh(&site, &workspace);
}

#[test]
fn a_renamed_heading_that_others_link_to_is_an_error_until_fixed() {
    let site = fixture();
    let mut workspace = Workspace::open(options(&site)).unwrap();
    let before = files(workspace.output());
    site.write(
        "content/guide/one.md",
        &page(
            "Chapter one",
            "order: 1\n",
            "## First steps\n\nFirst words.\n\n## Next steps\n\nMore words.\n",
        ),
    );
    let failure = workspace
        .update(&[PathBuf::from("content/guide/one.md")])
        .unwrap_err();
    let files_at_fault: Vec<String> = failure
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.file.display().to_string())
        .collect();
    // Both pages that link to the old heading say so.
    assert_eq!(
        files_at_fault,
        ["content/guide/_index.md", "content/guide/two.md"],
        "{:?}",
        failure.diagnostics
    );
    assert!(
        files(workspace.output()) == before,
        "a failed update changed the site"
    );

    // Fixing the links (another file) brings the pending heading change in with it.
    for (file, title, extra, body) in [
        (
            "content/guide/_index.md",
            "The guide",
            "kind: booklet\n",
            "Start with [the first chapter](one.md#first-steps).\n",
        ),
        (
            "content/guide/two.md",
            "Chapter two",
            "order: 2\n",
            "Second words. Go back to [first steps](one.md#first-steps).\n",
        ),
    ] {
        site.write(file, &page(title, extra, body));
    }
    let update = workspace
        .update(&[
            PathBuf::from("content/guide/_index.md"),
            PathBuf::from("content/guide/two.md"),
        ])
        .unwrap();
    assert!(
        !update.whole,
        "body edits, heading ids among them, rebuilt the whole site"
    );
    assert!(text(&workspace, "guide/one/index.html").contains("id=\"first-steps\""));
    assert_same_as_fresh(&site, &workspace);
}

/// A heading's id is read by links, not by other pages' output: renaming one redoes its
/// page alone, and a link on the same page to the new id, written as a path to its own
/// file, is found.
#[test]
fn a_renamed_heading_redoes_its_page_alone() {
    let site = fixture();
    let mut workspace = Workspace::open(options(&site)).unwrap();
    site.write(
        "content/guide/one.md",
        &page(
            "Chapter one",
            "order: 1\n",
            "## Getting started\n\nFirst words.\n\n## After that\n\nMore words. See [after that](one.md#after-that).\n",
        ),
    );
    let update = workspace
        .update(&[PathBuf::from("content/guide/one.md")])
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    assert!(!update.whole, "a renamed heading rebuilt the whole site");
    assert_eq!(update.changed, 1, "only the edited page changes");
    assert!(text(&workspace, "guide/one/index.html").contains("id=\"after-that\""));
    assert_same_as_fresh(&site, &workspace);

    // The link to the page's own heading is checked against its new ids.
    site.write(
        "content/guide/one.md",
        &page(
            "Chapter one",
            "order: 1\n",
            "## Getting started\n\nFirst words.\n\n## Later\n\nMore words. See [after that](one.md#after-that).\n",
        ),
    );
    let failure = workspace
        .update(&[PathBuf::from("content/guide/one.md")])
        .unwrap_err();
    let errors: Vec<(String, usize)> = failure
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.file.display().to_string(), d.line))
        .collect();
    assert_eq!(errors, [("content/guide/one.md".to_string(), 11)]);
}

#[test]
fn a_body_error_keeps_the_last_good_page() {
    let site = fixture();
    let mut workspace = Workspace::open(options(&site)).unwrap();
    site.write(
        "content/about.md",
        &page("About", "", "About us.\n\n![](team.png)\n"),
    );
    let failure = workspace
        .update(&[PathBuf::from("content/about.md")])
        .unwrap_err();
    let alt = failure
        .diagnostics
        .iter()
        .find(|d| d.rule == Some(folio::diagnostics::Rule::ImageAlt))
        .expect("the missing alt text is reported");
    assert_eq!(alt.file, PathBuf::from("content/about.md"));
    assert_eq!(alt.line, 6);
    assert!(text(&workspace, "about/index.html").contains("About us."));
    assert!(!text(&workspace, "about/index.html").contains("team.png"));

    site.write("content/about.md", &page("About", "", "About us, fixed.\n"));
    let update = workspace
        .update(&[PathBuf::from("content/about.md")])
        .unwrap();
    assert!(!update.whole);
    assert_same_as_fresh(&site, &workspace);
}

#[test]
fn site_settings_and_templates_rebuild_everything() {
    let site = fixture();
    let mut workspace = Workspace::open(options(&site)).unwrap();
    let settings = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &settings.replacen("title:", "title: Renamed site\nold_title:", 1),
    );
    // An unknown key is an error; the site stays as it was.
    assert!(workspace.update(&[PathBuf::from("site.yaml")]).is_err());
    let fixed: String = settings
        .lines()
        .map(|l| {
            if l.starts_with("title:") {
                "title: Renamed site".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    site.write("site.yaml", &fixed);
    let update = workspace.update(&[PathBuf::from("site.yaml")]).unwrap();
    assert!(update.whole);
    assert!(text(&workspace, "about/index.html").contains("Renamed site"));
    assert_same_as_fresh(&site, &workspace);
}
