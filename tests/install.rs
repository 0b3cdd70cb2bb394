//! folio as a tool anyone can install: the binary works away from the source tree, `folio
//! init` starts a site that builds, `folio new` and `folio theme copy` never overwrite, every
//! command refuses to run outside a site, and a site published under a path links under it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{SiteTest, attrs, html_files};

fn folio() -> Command {
    Command::new(env!("CARGO_BIN_EXE_folio"))
}

/// Every file under `dir`, relative to it, with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walk(dir)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The rule of each diagnostic in a `--format json` report (`-` for none).
fn rules_reported(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| {
            let d: serde_json::Value = serde_json::from_str(line).expect("a JSON object a line");
            d["rule"].as_str().unwrap_or("-").to_string()
        })
        .collect()
}

/// The pages, PDFs and search files a built starter site must have.
fn assert_starter_built(public: &Path) {
    for page in [
        "index.html",
        "guide/index.html",
        "guide/getting-started/index.html",
        "guide/in-figures/index.html",
        "guide/example-pledge/index.html",
        "guide/example-role/index.html",
        "glossary/index.html",
        "accessibility/index.html",
        "search/index.html",
        "a-z/index.html",
        "404.html",
        "css/folio.css",
        "js/search.js",
        "sitemap.xml",
    ] {
        assert!(
            public.join(page).is_file(),
            "no {page} in {}",
            public.display()
        );
    }
    let pdf = std::fs::read(public.join("guide/guide.pdf")).expect("the booklet's PDF");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(public.join("pagefind/pagefind.js").is_file());
    assert!(
        walk(&public.join("pagefind"))
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "pf_meta")),
        "no search index"
    );
}

/// The binary copied to a temporary folder, run where the source tree is hidden under an
/// empty file system (a mount namespace of its own): it can start, build and check a site
/// with nothing but what is inside it.
#[test]
fn the_binary_works_with_the_source_tree_out_of_reach() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("folio");
    std::fs::copy(env!("CARGO_BIN_EXE_folio"), &bin).unwrap();
    let script = format!(
        "set -e\nmount -t tmpfs tmpfs '{src}'\ntest ! -e '{src}/themes'\ncd '{tmp}'\n'{bin}' init site\n'{bin}' -r site build\n'{bin}' -r site check\n",
        src = env!("CARGO_MANIFEST_DIR"),
        tmp = tmp.path().display(),
        bin = bin.display(),
    );
    // As root a mount namespace is enough; otherwise a user namespace maps us to root in it.
    // SAFETY: geteuid only reads the process's user id.
    let root = unsafe { libc::geteuid() } == 0;
    let mut unshare = Command::new("unshare");
    if !root {
        unshare.args(["--user", "--map-root-user"]);
    }
    let run = unshare
        .args(["--mount", "sh", "-c", &script])
        .output()
        .expect("unshare (util-linux) runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "init, build and check away from the source tree failed:\n{stderr}\n{}",
        String::from_utf8_lossy(&run.stdout)
    );
    assert_starter_built(&tmp.path().join("site/public"));
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn init_writes_a_starter_site_with_only_placeholder_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("new site");
    let run = folio().arg("init").arg(&site).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // It ends with the next two commands to run.
    let last: Vec<&str> = stdout.lines().rev().take(2).collect();
    assert_eq!(
        last,
        [
            "  folio serve --open",
            &format!("  cd '{}'", site.display())
        ]
    );

    let run = folio()
        .arg("-r")
        .arg(&site)
        .args(["build", "--strict"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        !run.status.success(),
        "the starter's placeholders count under --strict"
    );
    let run = folio()
        .arg("-r")
        .arg(&site)
        .args(["build", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let rules = rules_reported(&run.stdout);
    assert!(rules.len() > 5, "{rules:?}");
    assert!(
        rules.iter().all(|r| r == "placeholder"),
        "not only placeholders: {rules:?}\n{stderr}"
    );
    assert_starter_built(&site.join("public"));
    // The booklet has document control and two chapters besides the example pledge and role.
    let booklet = common::texts(
        &scraper::Html::parse_document(
            &std::fs::read_to_string(site.join("public/guide/index.html")).unwrap(),
        ),
        "nav.chapter-list li a",
    );
    assert_eq!(booklet.len(), 4, "{booklet:?}");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_force_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("site.yaml"), "title: Mine\n").unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "keep me").unwrap();
    let before = tree(tmp.path());
    let run = folio().arg("init").arg(tmp.path()).output().unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(
        tree(tmp.path()),
        before,
        "a refused init changed the folder"
    );

    let run = folio()
        .arg("init")
        .arg(tmp.path())
        .arg("--force")
        .output()
        .unwrap();
    assert!(run.status.success());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("site.yaml")).unwrap(),
        "title: Mine\n",
        "--force replaced an existing file"
    );
    assert!(tmp.path().join("content/guide/_index.md").is_file());
}

#[test]
fn every_command_refuses_to_run_outside_a_site() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "not a site").unwrap();
    let before = tree(tmp.path());
    for args in [
        vec!["build"],
        vec!["check"],
        vec!["serve", "-p", "0"],
        vec!["new", "page.md"],
        vec!["theme", "copy"],
    ] {
        let run = folio()
            .arg("-r")
            .arg(tmp.path())
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("is not in a folio site"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("folio init"), "{args:?}: {stderr}");
        assert_eq!(tree(tmp.path()), before, "{args:?} changed the folder");
    }
}

#[test]
fn commands_find_the_site_from_a_folder_inside_it() {
    let site = SiteTest::new(&[("content/_index.md", &common::page("Home", "", "Hi.\n"))]);
    let run = folio()
        .current_dir(site.root().join("content"))
        .args(["build", "--no-pdf", "--no-search"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(site.public().join("index.html").is_file());
}

#[test]
fn new_makes_each_kind_and_refuses_an_unknown_one() {
    let site = SiteTest::new(&[("content/_index.md", &common::page("Home", "", "Hi.\n"))]);
    for (kind, path) in [
        ("booklet", "guides"),
        ("chapter", "guides/first-steps.md"),
        ("pledge", "guides/health.md"),
        ("role", "guides/champion.md"),
        ("page", "contact.md"),
    ] {
        let run = site.folio(&["new", "--kind", kind, path]);
        assert!(run.success(), "{kind}: {}", run.stderr());
    }
    // Each new page is a draft; with drafts on, the site builds with placeholders only.
    let run = site.folio(&[
        "build",
        "--drafts",
        "--no-pdf",
        "--no-search",
        "--format",
        "json",
    ]);
    assert!(run.success(), "{}", run.stderr());
    let rules = rules_reported(run.stdout().as_bytes());
    assert!(!rules.is_empty());
    assert!(rules.iter().all(|r| r == "placeholder"), "{rules:?}");
    let pledge = site.html("guides/health/index.html");
    assert!(!common::texts(&pledge, "main h1").is_empty());

    let before = tree(site.root());
    let run = site.folio(&["new", "--kind", "pledg", "guides/other.md"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr().contains("`pledg` is not a kind of page"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("did you mean `pledge`?"),
        "{}",
        run.stderr()
    );
    // A chapter needs a booklet around it.
    let run = site.folio(&["new", "--kind", "chapter", "loose.md"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr().contains("is not in a booklet's folder"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        tree(site.root()),
        before,
        "a refused `folio new` changed the site"
    );
}

#[test]
fn theme_copy_copies_named_files_that_then_override_the_built_in_ones() {
    let site = SiteTest::new(&[("content/_index.md", &common::page("Home", "", "Hi.\n"))]);
    let run = site.folio(&["theme", "copy", "404.html", "print/booklet.typ"]);
    assert!(run.success(), "{}", run.stderr());
    let copied = site.root().join("themes/default/templates/404.html");
    assert!(copied.is_file());
    assert!(
        site.root()
            .join("themes/default/print/booklet.typ")
            .is_file()
    );
    std::fs::write(
        &copied,
        std::fs::read_to_string(&copied)
            .unwrap()
            .replace("If you typed the web address", "Our own words"),
    )
    .unwrap();
    // Copying again keeps the edited file.
    let run = site.folio(&["theme", "copy", "templates/404.html"]);
    assert!(run.success());
    assert!(
        run.stdout()
            .contains("Kept themes/default/templates/404.html"),
        "{}",
        run.stdout()
    );
    assert!(site.build().success());
    assert!(site.read("404.html").contains("Our own words"));
    let run = site.folio(&["theme", "copy", "no-such-file.html"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr().contains("the built-in theme has no file"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_site_under_a_path_links_everything_under_it() {
    let site = SiteTest::new(&[
        (
            "content/_index.md",
            &common::page(
                "Home",
                "",
                "Read [the guide](guide/_index.md).\n\n![A square](square.png)\n",
            ),
        ),
        (
            "content/guide/_index.md",
            &common::page(
                "Guide",
                "kind: booklet\n",
                "See [the chapter](one.md#start).\n",
            ),
        ),
        (
            "content/guide/one.md",
            &common::page("One", "", "## Start\n\nBack to [the guide](_index.md).\n"),
        ),
    ]);
    site.write_bytes("content/square.png", b"\x89PNG\r\n\x1a\n");
    let run = site.folio(&[
        "build",
        "--no-pdf",
        "--no-search",
        "--base-url",
        "https://example.test/some/path",
    ]);
    assert!(run.success(), "{}", run.stderr());
    for file in html_files(&site.public()) {
        let html = scraper::Html::parse_document(&std::fs::read_to_string(&file).unwrap());
        for (selector, attr) in [
            ("a[href]", "href"),
            ("link[href]", "href"),
            ("script[src]", "src"),
            ("img[src]", "src"),
            ("form[action]", "action"),
        ] {
            for url in attrs(&html, selector, attr) {
                let local = url.starts_with('/') && !url.starts_with("//");
                assert!(
                    !local || url.starts_with("/some/path/"),
                    "{}: {url} is outside /some/path/",
                    file.display()
                );
            }
        }
    }
    let home = site.html("index.html");
    assert!(attrs(&home, "main a", "href").contains(&"/some/path/guide/".to_string()));
    assert_eq!(attrs(&home, "main img", "src"), ["/some/path/square.png"]);
    let chapter = site.html("guide/one/index.html");
    assert!(attrs(&chapter, "main a", "href").contains(&"/some/path/guide/".to_string()));
    assert_eq!(
        attrs(&chapter, "link[rel=canonical]", "href"),
        ["https://example.test/some/path/guide/one/"]
    );
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.test/some/path/guide/one/</loc>"),
        "{sitemap}"
    );
    let robots = site.read("robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.test/some/path/sitemap.xml"),
        "{robots}"
    );

    // A base URL that is not a web address is refused.
    let run = site.folio(&["build", "--base-url", "example.test/some/path"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr().contains("is not a full web address"),
        "{}",
        run.stderr()
    );
}
