//! The search index and the A to Z of pages.

mod common;

use common::{SiteTest, page, texts};

fn site() -> SiteTest {
    SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome.\n")),
        (
            "content/guide/_index.md",
            &page("The guide", "kind: booklet\n", "An overview.\n"),
        ),
        (
            "content/guide/alpha.md",
            &page(
                "Alpha chapter",
                "order: 1\n",
                "## Dentists\n\nRegister with a dentist.\n",
            ),
        ),
        (
            "content/guide/beta.md",
            &page(
                "beta chapter",
                "order: 2\ndescription: The second one.\n",
                "Text.\n",
            ),
        ),
        ("content/zebra.md", &page("Zebra crossings", "", "Text.\n")),
        (
            "content/2020-review.md",
            &page("2020 review", "", "Text.\n"),
        ),
        (
            "content/draft.md",
            &page("Draft page", "draft: true\n", "Not yet.\n"),
        ),
    ])
}

/// `pagefind-entry.json`: how many pages the index holds, per language.
fn indexed_pages(site: &SiteTest) -> u64 {
    let entry: serde_json::Value =
        serde_json::from_str(&site.read("pagefind/pagefind-entry.json")).unwrap();
    entry["languages"]["en"]["page_count"].as_u64().unwrap()
}

#[test]
fn the_index_covers_every_page_but_the_finding_aids() {
    let site = site();
    let run = site.folio(&["build", "--no-pdf"]);
    assert!(run.success(), "{}", run.stderr());
    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
    ] {
        assert!(site.public().join(file).is_file(), "no {file}");
    }
    let fragments = std::fs::read_dir(site.public().join("pagefind/fragment"))
        .unwrap()
        .count();
    // Home, booklet, two chapters, two pages and the accessibility statement; not the
    // search page, the A to Z or the draft.
    assert_eq!(indexed_pages(&site), 7);
    assert_eq!(fragments, 7);
    assert!(site.public().join("pagefind/index").is_dir());
}

/// Every record of the index, by URL: Pagefind's fragments are gzipped JSON after a
/// `pagefind_dcd` signature.
fn records(site: &SiteTest) -> std::collections::BTreeMap<String, serde_json::Value> {
    records_in(&site.public().join("pagefind"))
}

/// The records of the index (or the shard of it) in `dir`.
fn records_in(dir: &std::path::Path) -> std::collections::BTreeMap<String, serde_json::Value> {
    use std::io::Read;
    std::fs::read_dir(dir.join("fragment"))
        .unwrap()
        .map(|entry| {
            let mut json = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(entry.unwrap().path()).unwrap())
                .read_to_end(&mut json)
                .unwrap();
            let json = json
                .strip_prefix(b"pagefind_dcd")
                .expect("a Pagefind fragment");
            let record: serde_json::Value = serde_json::from_slice(json).unwrap();
            (record["url"].as_str().unwrap().to_string(), record)
        })
        .collect()
}

#[test]
fn each_record_is_the_main_content_with_title_booklet_and_summary() {
    let site = site();
    let run = site.folio(&["build", "--no-pdf"]);
    assert!(run.success(), "{}", run.stderr());
    let records = records(&site);
    assert_eq!(
        records.keys().collect::<Vec<_>>(),
        [
            "/",
            "/2020-review/",
            "/accessibility/",
            "/guide/",
            "/guide/alpha/",
            "/guide/beta/",
            "/zebra/"
        ]
    );
    let alpha = &records["/guide/alpha/"];
    assert_eq!(alpha["meta"]["title"], "Alpha chapter");
    assert_eq!(alpha["meta"]["booklet"], "The guide");
    assert_eq!(
        alpha["filters"]["booklet"],
        serde_json::json!(["The guide"])
    );
    let beta = &records["/guide/beta/"];
    assert_eq!(beta["meta"]["summary"], "The second one.");
    // A page outside any booklet has no booklet to filter by.
    assert!(records["/zebra/"]["filters"].get("booklet").is_none());

    // Main content only: the chapter's own words, not the header, menus or footer that
    // every page carries.
    let content = alpha["content"].as_str().unwrap();
    assert!(content.contains("Register with a dentist"), "{content}");
    for chrome in [
        "Skip to",
        "Zebra crossings",
        "Accessibility statement",
        "Test site",
    ] {
        assert!(
            !content.contains(chrome),
            "{chrome:?} is in the record: {content}"
        );
    }
}

#[test]
fn no_search_builds_no_index_but_keeps_the_a_to_z() {
    let site = site();
    let run = site.folio(&["build", "--no-pdf", "--no-search"]);
    assert!(run.success(), "{}", run.stderr());
    assert!(!site.public().join("pagefind").exists());
    assert!(site.public().join("a-z/index.html").is_file());
    assert!(site.public().join("search/index.html").is_file());
}

#[test]
fn the_a_to_z_lists_every_published_page_in_order() {
    let site = site();
    assert!(site.build().success());
    let a_z = site.html("a-z/index.html");
    assert_eq!(
        texts(&a_z, ".a-z__list a"),
        [
            "2020 review",
            "Accessibility statement",
            "Alpha chapter",
            "beta chapter",
            "Home",
            "The guide",
            "Zebra crossings"
        ]
    );
    assert_eq!(
        texts(&a_z, "h2.a-z__letter"),
        ["0-9", "A", "B", "H", "T", "Z"]
    );
    assert_eq!(
        common::attrs(&a_z, ".a-z__letters a", "href"),
        [
            "#letter-0-9",
            "#letter-a",
            "#letter-b",
            "#letter-h",
            "#letter-t",
            "#letter-z"
        ]
    );
    assert!(texts(&a_z, ".a-z__summary").contains(&"The second one.".to_string()));
    // The finding aids are not pages of the site's content: no menu or list shows them.
    let home = site.html("index.html");
    assert!(!common::attrs(&home, "main a", "href").contains(&"/a-z/".to_string()));
}

#[test]
fn the_header_search_box_works_without_javascript() {
    let site = site();
    assert!(site.build().success());
    let home = site.html("index.html");
    assert_eq!(common::attrs(&home, "form.search", "action"), ["/a-z/"]);
    assert_eq!(common::attrs(&home, "form.search input", "name"), ["q"]);
}

/// Every file of the index, with its bytes.
fn index_files(site: &SiteTest) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let dir = site.public().join("pagefind");
    walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(&dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The cache's entries for the index.
fn cached(site: &SiteTest) -> usize {
    std::fs::read_dir(site.root().join(".folio/cache/search"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[test]
fn the_index_of_unchanged_pages_comes_from_the_cache_and_an_edit_makes_it_again() {
    let site = site();
    assert!(site.folio(&["build", "--no-pdf"]).success());
    let first = index_files(&site);
    // One entry: its bytes and its record.
    assert_eq!(cached(&site), 2);
    // The cached index is the index: remove the cache's bytes and the build makes the
    // same files again.
    assert!(site.folio(&["build", "--no-pdf"]).success());
    assert_eq!(index_files(&site), first);
    std::fs::remove_dir_all(site.root().join(".folio")).unwrap();
    assert!(site.folio(&["build", "--no-pdf"]).success());
    assert_eq!(
        index_files(&site),
        first,
        "a fresh index differs from the cached one"
    );

    site.write(
        "content/guide/beta.md",
        &page(
            "beta chapter",
            "order: 2\ndescription: The second one.\n",
            "Orthodontists.\n",
        ),
    );
    assert!(site.folio(&["build", "--no-pdf"]).success());
    assert_ne!(
        index_files(&site),
        first,
        "the edit did not reach the index"
    );
    assert!(
        records(&site)["/guide/beta/"]["content"]
            .as_str()
            .unwrap()
            .contains("Orthodontists")
    );
    assert_eq!(cached(&site), 2, "the old index was kept in the cache");
}

/// A site of 2,100 pages, each with a word of its own (`marker` and the page's number in
/// letters), in three shards of the index.
fn large_site() -> SiteTest {
    let mut files = vec![(
        "content/_index.md".to_string(),
        page("Home", "", "Welcome.\n"),
    )];
    for n in 0..2_100 {
        files.push((
            format!("content/notes/note-{n:04}.md"),
            page(
                &format!("Note {n}"),
                "",
                &format!("A short note about {}.\n", marker(n)),
            ),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    SiteTest::new(&files)
}

/// A made-up word for page `n`: `marker`, its number with each digit a letter, and `x`.
fn marker(n: usize) -> String {
    let letters: String = format!("{n:04}")
        .bytes()
        .map(|d| char::from(b'b' + (d - b'0')))
        .collect();
    format!("marker{letters}x")
}

/// The index's shards: the first folder and those `shards.json` lists.
fn shard_folders(site: &SiteTest) -> Vec<std::path::PathBuf> {
    let index = site.public().join("pagefind");
    let others: Vec<String> = serde_json::from_str(&site.read("pagefind/shards.json")).unwrap();
    std::iter::once(index.clone())
        .chain(others.iter().map(|s| index.join(s)))
        .collect()
}

#[test]
fn a_large_site_s_index_is_in_shards_each_page_in_one_and_an_edit_makes_one_again() {
    let site = large_site();
    let run = site.folio(&["build", "--no-pdf"]);
    assert!(run.success(), "{}", run.stderr());
    let shards = shard_folders(&site);
    // 2,100 notes, the home page and the accessibility statement: three shards' worth, made
    // four so that two cores make them two at a time.
    assert_eq!(shards.len(), 4, "{shards:?}");
    let mut seen = std::collections::BTreeMap::new();
    for (n, shard) in shards.iter().enumerate() {
        let entry: serde_json::Value =
            serde_json::from_slice(&std::fs::read(shard.join("pagefind-entry.json")).unwrap())
                .unwrap();
        let records = records_in(shard);
        assert_eq!(
            entry["languages"]["en"]["page_count"].as_u64(),
            Some(records.len() as u64),
            "{shard:?}"
        );
        // About a quarter of the pages in each.
        assert!(
            (350..750).contains(&records.len()),
            "{shard:?}: {}",
            records.len()
        );
        for url in records.keys() {
            assert_eq!(seen.insert(url.clone(), n), None, "{url} is in two shards");
        }
        // The first has Pagefind's scripts for all; the others hold the index alone.
        assert_eq!(shard.join("pagefind.js").is_file(), n == 0, "{shard:?}");
        assert_eq!(
            shard.join("wasm.en.pagefind").is_file(),
            n == 0,
            "{shard:?}"
        );
    }
    assert_eq!(seen.len(), 2_102);
    assert!(seen.contains_key("/notes/note-1234/"));
    assert!(seen.contains_key("/accessibility/"));

    // An edit to one note makes its shard again, and leaves the others' files as they were.
    let before = index_files(&site);
    site.write(
        "content/notes/note-1234.md",
        &page("Note 1234", "", "Orthodontists.\n"),
    );
    let run = site.folio(&["build", "--no-pdf"]);
    assert!(run.success(), "{}", run.stderr());
    let after = index_files(&site);
    let edited = seen["/notes/note-1234/"];
    let folder = |n: usize| match n {
        0 => None,
        n => Some(std::path::PathBuf::from(format!("shard-{}", n + 1))),
    };
    for n in 0..shards.len() {
        // The files of shard n: those under its folder, or (the first) under none of the others.
        let of_shard = |files: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
            files
                .iter()
                .filter(|(path, _)| match folder(n) {
                    Some(f) => path.starts_with(f),
                    None => !path
                        .components()
                        .next()
                        .is_some_and(|c| c.as_os_str().to_string_lossy().starts_with("shard-")),
                })
                .map(|(p, b)| (p.clone(), b.clone()))
                .collect::<Vec<_>>()
        };
        if n == edited {
            assert_ne!(
                of_shard(&before),
                of_shard(&after),
                "shard {n} was not made again"
            );
        } else {
            assert_eq!(of_shard(&before), of_shard(&after), "shard {n} changed");
        }
    }
    let records = records_in(&shards[edited]);
    assert!(
        records["/notes/note-1234/"]["content"]
            .as_str()
            .unwrap()
            .contains("Orthodontists")
    );
}
