//! A build after a build: what the last one kept of each page (`.folio/cache/`) is used only
//! where nothing it came from changed, and the output always equals a cold build's.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{SiteTest, page};
use folio::build::{BuildOptions, build_and_write};

fn site() -> SiteTest {
    SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/guide/_index.md",
            &page("Guide", "kind: booklet\n", "Text.\n"),
        ),
        (
            "content/guide/one.md",
            &page(
                "One",
                "order: 1\n",
                "## Start\n\nFirst. See [the end of two](two.md#end).\n",
            ),
        ),
        (
            "content/guide/two.md",
            &page(
                "Two",
                "order: 2\n",
                "## Start\n\nSecond.\n\n## End\n\nLast.\n",
            ),
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

/// Every file of a folder but folio's own records, with its bytes.
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
        .filter(|(p, _)| !p.starts_with(".folio-manifest"))
        .collect()
}

/// A build of the site as it is, into a new folder, with nothing kept from before.
fn cold(site: &SiteTest) -> BTreeMap<PathBuf, Vec<u8>> {
    cold_with(options(site))
}

/// A build with `options`, into a new folder, with nothing kept from before.
fn cold_with(options: BuildOptions) -> BTreeMap<PathBuf, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        output: Some(out.path().join("site")),
        cache: folio::cache::Mode::Off,
        ..options
    };
    build_and_write(&options)
        .map_err(|f| format!("{:?}", f.diagnostics))
        .unwrap();
    tree(&out.path().join("site"))
}

/// The pages whose parts came from the last build's records (their HTML was not made), or,
/// with `reused` false, those made again.
fn pages_where(built: &folio::build::Built, reused: bool) -> Vec<String> {
    built
        .parts
        .iter()
        .filter(|(_, p)| p.html.is_none() == reused)
        .map(|(id, _)| built.site.page(id).url.clone())
        .collect()
}

fn reused(built: &folio::build::Built) -> Vec<String> {
    pages_where(built, true)
}

fn redone(built: &folio::build::Built) -> Vec<String> {
    pages_where(built, false)
}

#[test]
fn an_unchanged_site_reuses_every_page_and_an_edit_redoes_that_page_alone() {
    let site = site();
    let first = build_and_write(&options(&site)).unwrap();
    assert!(
        reused(&first).is_empty(),
        "nothing was kept before the first build"
    );

    let again = build_and_write(&options(&site)).unwrap();
    assert_eq!(reused(&again).len(), again.site.pages.len());
    assert_eq!(again.written.written, 0);
    assert_eq!(tree(&site.public()), cold(&site));

    site.write(
        "content/about.md",
        &page("About", "", "About us, edited.\n"),
    );
    let edited = build_and_write(&options(&site)).unwrap();
    assert_eq!(redone(&edited), ["/about/"]);
    assert_eq!(
        edited.written.written, 1,
        "only the edited page's file changes"
    );
    assert_eq!(tree(&site.public()), cold(&site));
}

/// A page's links are checked against other pages' headings: removing a heading breaks a
/// link in a page whose own text did not change, and the build must say so.
#[test]
fn a_heading_removed_elsewhere_is_reported_in_the_unchanged_page_that_links_to_it() {
    let site = site();
    build_and_write(&options(&site)).unwrap();
    site.write(
        "content/guide/two.md",
        &page(
            "Two",
            "order: 2\n",
            "## Start\n\nSecond.\n\n## Finish\n\nLast.\n",
        ),
    );
    let run = site.folio(&["build", "--no-pdf", "--no-search"]);
    run.assert_error("content/guide/one.md", 7, "#end");
}

/// A page's headings are not an input of the pages that link to them: renaming one redoes
/// its own page alone, and links to headings are checked again in every build, so a link
/// broken and mended again in another file is reported, then no more.
#[test]
fn a_renamed_heading_redoes_its_page_alone_and_links_to_headings_are_checked_every_build() {
    let site = site();
    build_and_write(&options(&site)).unwrap();
    let two = |headings: [&str; 2]| {
        page(
            "Two",
            "order: 2\n",
            &format!(
                "## {}\n\nSecond.\n\n## {}\n\nLast.\n",
                headings[0], headings[1]
            ),
        )
    };
    site.write("content/guide/two.md", &two(["Begin", "End"]));
    let renamed = build_and_write(&options(&site)).unwrap();
    assert_eq!(redone(&renamed), ["/guide/two/"]);
    assert_eq!(tree(&site.public()), cold(&site));

    site.write("content/guide/two.md", &two(["Begin", "Finish"]));
    let Err(broken) = build_and_write(&options(&site)) else {
        panic!("a link to a heading that is no more must fail the build");
    };
    let errors: Vec<(String, usize)> = broken
        .diagnostics
        .iter()
        .filter(|d| d.severity == folio::diagnostics::Severity::Error)
        .map(|d| (d.file.display().to_string(), d.line))
        .collect();
    assert_eq!(errors, [("content/guide/one.md".to_string(), 7)]);

    site.write("content/guide/two.md", &two(["Begin", "End"]));
    let mended = build_and_write(&options(&site)).unwrap();
    let one = |built: &folio::build::Built| {
        built
            .warnings
            .iter()
            .filter(|d| d.file.ends_with("one.md"))
            .count()
    };
    assert_eq!(one(&mended), 0, "{:?}", mended.warnings);
    assert_eq!(mended.warnings.len(), renamed.warnings.len());
    assert_eq!(tree(&site.public()), cold(&site));
}

/// Front matter, templates and data reach every page: each change gives a cold build's
/// output.
#[test]
fn changes_that_reach_every_page_give_a_cold_builds_output() {
    let site = site();
    build_and_write(&options(&site)).unwrap();
    let changes: [(&str, String); 4] = [
        // A title shows in every page's list of chapters.
        (
            "content/guide/two.md",
            page("Second", "order: 2\n", "## Start\n\nSecond.\n\n## End\n\nLast.\n"),
        ),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content | safe }}<p>Changed template.</p>{% endblock %}".into(),
        ),
        (
            "content/_data/glossary.yaml",
            "- term: Corporate parent\n  definition: The council and its partners, in their duty to children in care.\n".into(),
        ),
        (
            "site.yaml",
            format!("{}description: A changed description.\n", common::SITE_YAML),
        ),
    ];
    for (file, text) in changes {
        site.write(file, &text);
        let built = build_and_write(&options(&site))
            .map_err(|f| format!("{:?}", f.diagnostics))
            .unwrap();
        assert!(
            reused(&built).is_empty(),
            "after changing {file}, pages were reused: {:?}",
            reused(&built)
        );
        assert_eq!(tree(&site.public()), cold(&site), "after changing {file}");
    }
}

/// Records that cannot be read, or that another folio wrote, are not used.
#[test]
fn damaged_records_are_not_used() {
    let site = site();
    // The files' records are kept only for files that settled before the build.
    settle();
    build_and_write(&options(&site)).unwrap();
    let cache = site.root().join(".folio/cache");
    let records: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".records"))
        .collect();
    assert!(!records.is_empty(), "the build kept no records");
    // Cut short, or one byte changed where the file still decodes (a heading's text).
    let damages: [fn(&mut Vec<u8>); 2] = [
        |bytes| bytes.truncate(bytes.len() / 2),
        |bytes| {
            let last = bytes.iter().rposition(u8::is_ascii_lowercase).unwrap();
            bytes[last] = if bytes[last] == b'a' { b'b' } else { b'a' };
        },
    ];
    for damage in damages {
        build_and_write(&options(&site)).unwrap();
        for path in &records {
            let mut bytes = std::fs::read(path).unwrap();
            damage(&mut bytes);
            std::fs::write(path, &bytes).unwrap();
        }
        let built = build_and_write(&options(&site)).unwrap();
        assert!(reused(&built).is_empty());
        assert_eq!(
            read_files(&built).len(),
            5,
            "files trusted from damaged records"
        );
        assert_eq!(tree(&site.public()), cold(&site));
    }
}

/// The download block of a booklet's pages shows its files' sizes and page counts: an edit
/// to one chapter changes them, so the booklet's other pages, whose own text did not change,
/// are made again with the new figures, as a cold build makes them.
#[test]
fn an_edit_that_changes_a_booklets_files_remakes_the_download_block_of_its_other_pages() {
    let site = site();
    let with_files = |site: &SiteTest| BuildOptions {
        pdf: true,
        ..options(site)
    };
    build_and_write(&with_files(&site)).unwrap();
    let before = std::fs::read(site.public().join("guide/one/index.html")).unwrap();
    site.write(
        "content/guide/two.md",
        &page(
            "Two",
            "order: 2\n",
            &format!(
                "## Start\n\nSecond.\n\n{}## End\n\nLast.\n",
                "A longer paragraph that takes the booklet onto more pages than before.\n\n"
                    .repeat(60)
            ),
        ),
    );
    let edited = build_and_write(&with_files(&site)).unwrap();
    let after = std::fs::read(site.public().join("guide/one/index.html")).unwrap();
    assert_ne!(
        before, after,
        "the unchanged chapter's download block kept old figures"
    );
    let out = tempfile::tempdir().unwrap();
    build_and_write(&BuildOptions {
        output: Some(out.path().join("site")),
        cache: folio::cache::Mode::Off,
        ..with_files(&site)
    })
    .unwrap();
    let cold = tree(&out.path().join("site"));
    let warm = tree(&site.public());
    for page in [
        "guide/index.html",
        "guide/one/index.html",
        "about/index.html",
    ] {
        assert!(
            warm[Path::new(page)] == cold[Path::new(page)],
            "{page} differs from a cold build's"
        );
    }
    // The chapter's text was not read again for its page: only its downloads changed.
    assert!(reused(&edited).contains(&"/guide/one/".to_string()));
}

/// `folio check` makes every file a build makes, and keeps none of their bytes: a large
/// site's check holds no more in memory than its build.
#[test]
fn a_check_makes_every_file_and_keeps_none_of_its_bytes() {
    use folio::files::File;
    let site = site();
    let kept = folio::build::build(&options(&site)).unwrap().files();
    let checked = folio::build::build(&BuildOptions {
        keep_files: false,
        cache: folio::cache::Mode::ReadOnly,
        ..options(&site)
    })
    .unwrap()
    .files();
    assert_eq!(
        checked
            .files
            .keys()
            .collect::<std::collections::BTreeSet<_>>(),
        kept.files.keys().collect::<std::collections::BTreeSet<_>>()
    );
    for (path, file) in &checked.files {
        match (file, &kept.files[path]) {
            (File::Discarded { size }, File::Bytes(bytes)) => {
                assert_eq!(*size as usize, bytes.len(), "{path:?}")
            }
            // Files copied as they are, or built into folio, hold no bytes of their own.
            (File::Copy(_) | File::Static(_), other) => assert_eq!(file, other, "{path:?}"),
            (file, _) => panic!("{path:?} is kept as {file:?}"),
        }
    }
    assert!(
        checked
            .files
            .values()
            .any(|f| matches!(f, File::Discarded { .. }))
    );
}

/// Waits until the site's files were last changed long enough ago to be trusted while they
/// stay unchanged: a file changed in the two seconds before a build is read again next time.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(2100));
}

/// The pages whose files were read when the site loaded, not trusted as unchanged.
fn read_files(built: &folio::build::Built) -> Vec<String> {
    built
        .site
        .pages
        .iter()
        .filter(|(_, p)| p.source.was_read())
        .map(|(_, p)| p.url.clone())
        .collect()
}

/// A file unchanged since the last build is not read again, and an edit is always seen:
/// even one that keeps the file's size and sets its modification time back (its
/// status-change time, which no tool sets back, still moves).
#[test]
fn an_unchanged_file_is_not_read_again_and_an_edit_that_keeps_size_and_time_is_seen() {
    let site = site();
    settle();
    let first = build_and_write(&options(&site)).unwrap();
    assert_eq!(read_files(&first).len(), 5, "{:?}", read_files(&first));
    let again = build_and_write(&options(&site)).unwrap();
    assert_eq!(read_files(&again), Vec::<String>::new());
    assert_eq!(tree(&site.public()), cold(&site));

    let path = site.root().join("content/about.md");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let before = std::fs::read_to_string(&path).unwrap();
    let after = before.replace("About us.", "About it.");
    assert_eq!(before.len(), after.len());
    std::fs::write(&path, &after).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
    let edited = build_and_write(&options(&site)).unwrap();
    assert_eq!(read_files(&edited), ["/about/"]);
    let html = std::fs::read_to_string(site.public().join("about/index.html")).unwrap();
    let html = scraper::Html::parse_document(&html);
    let main = scraper::Selector::parse("main p").unwrap();
    let said: Vec<String> = html
        .select(&main)
        .map(|p| p.text().collect::<String>())
        .collect();
    assert!(said.iter().any(|p| p == "About it."), "{said:?}");
    assert_eq!(tree(&site.public()), cold(&site));

    // A size limit lowered since: a file trusted as unchanged that is over it is reported.
    let limited = format!("{}limits:\n  page_bytes: 70\n", common::SITE_YAML);
    site.write("site.yaml", &limited);
    let failure = build_and_write(&options(&site))
        .err()
        .expect("a page over the limit was built");
    assert!(
        failure.diagnostics.iter().any(|d| {
            d.file == Path::new("content/guide/one.md") && d.message.contains("may be at most")
        }),
        "{:?}",
        failure.diagnostics
    );
}

/// A change that reaches every page's parts (site.yaml), and an output the last build did
/// not make (the search index), read the text of files trusted as unchanged, and give what
/// a cold build gives.
#[test]
fn steps_that_need_an_unchanged_files_text_read_it_and_match_a_cold_build() {
    let site = site();
    settle();
    build_and_write(&options(&site)).unwrap();
    site.write(
        "site.yaml",
        &common::SITE_YAML.replace("Test site", "Test site, renamed"),
    );
    let with_search = |site: &SiteTest| BuildOptions {
        search: true,
        ..options(site)
    };
    let built = build_and_write(&with_search(&site)).unwrap();
    // None read at load: each page's text was read when its parts were made again.
    assert_eq!(read_files(&built), Vec::<String>::new());
    let index = site.public().join("pagefind/pagefind-entry.json");
    let entry: serde_json::Value = serde_json::from_slice(&std::fs::read(&index).unwrap()).unwrap();
    // Every page of the site's text, the unchanged ones read when the index asked for them.
    assert!(
        entry["languages"]["en"]["page_count"].as_u64() >= Some(5),
        "{entry}"
    );
    assert_eq!(tree(&site.public()), cold_with(with_search(&site)));
}
