//! The site's search index, which Pagefind's browser scripts read: one record per page
//! holding the text of its main content (never the navigation), its title, booklet and
//! summary as metadata, and its booklet as a filter. The files land in the output under
//! `/pagefind/`.
//!
//! folio writes the index itself, in Pagefind 1.6's format ([`format`]), splitting words by
//! Pagefind's rules ([`words`]); Pagefind's own files for the browser (scripts, styles,
//! WebAssembly) come from Pagefind ([`Scripts`]). Pagefind as a library copies each page's
//! words several times and splits and stems every word anew: at 10,000 pages it took 12 s
//! and over a gigabyte, this writer under 2 s. A test builds the same records with Pagefind
//! and checks that the two indexes decode to the same.
//!
//! A large site's index is made in shards of about [`PAGES_PER_SHARD`] pages, side by side
//! and each cached on its own, so that the two cores share the work and an edit makes one
//! shard again: a page's shard follows from its address. The first shard is Pagefind's usual
//! folder, with its scripts; each other shard is in a folder of it (`shard-2/`, ...) with the
//! index alone, listed in [`SHARDS_FILE`], which the search page merges into the first
//! (Pagefind's `mergeIndex`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use pulldown_cmark::{Event, TagEnd};
use rayon::prelude::*;

use super::{Group, Input, Made, Needs, Output};
use crate::cache::{Entry, Key};
use crate::content::{Page, PageId, Site};
use crate::diagnostics::Diagnostic;
use crate::files::File;
use crate::markdown::Document;

mod format;
mod words;

/// Where the index and Pagefind's browser files go.
pub const INDEX_DIR: &str = "pagefind";

/// The list of the other shards' folders (JSON, relative to [`INDEX_DIR`]), empty for a
/// site of one shard.
pub const SHARDS_FILE: &str = "shards.json";

/// About how many pages a shard of the index holds.
pub const PAGES_PER_SHARD: usize = 1_000;

pub struct Search;

/// The files of an index (or a shard of it): each one's path in its folder, and its bytes.
type IndexFiles = Vec<(PathBuf, Vec<u8>)>;

impl Output for Search {
    fn name(&self) -> &'static str {
        "search"
    }

    fn needs(&self) -> Needs {
        Needs {
            pages: true,
            downloads: false,
        }
    }

    fn slow(&self) -> bool {
        true
    }

    fn group(&self) -> Group {
        Group::Search
    }

    fn make(&self, input: &Input, _only: Option<&[PageId]>, made: &mut Made) {
        let shards = shards(input.site);
        input.progress.step("Indexing for search", shards.len());
        let scripts = OnceLock::new();
        // Each shard of the same pages is read from the cache: indexing is the slowest step
        // of a large site's build after typesetting. A shard's files go to the writer as soon
        // as it is made, so that a large site's index is never all in memory.
        let made_shards: Vec<Result<Vec<(PathBuf, File)>, Diagnostic>> = shards
            .par_iter()
            .enumerate()
            .map(|(n, ids)| {
                let folder = match n {
                    0 => PathBuf::from(INDEX_DIR),
                    _ => PathBuf::from(INDEX_DIR).join(shard_folder(n)),
                };
                let files = shard(input, self.name(), n, ids, &scripts).and_then(|files| {
                    files
                        .into_iter()
                        .map(|(path, bytes)| {
                            let path = folder.join(path);
                            input.file(&path, bytes).map(|file| (path, file))
                        })
                        .collect()
                });
                input.progress.advance();
                files
            })
            .collect();
        let mut others = Vec::new();
        for (n, files) in made_shards.into_iter().enumerate() {
            match files {
                Ok(files) => made.files.files.extend(files),
                Err(problem) => {
                    made.problems.push(problem);
                    continue;
                }
            }
            if n > 0 {
                others.push(format!("{}/", shard_folder(n)));
            }
        }
        let list = serde_json::to_vec(&others).expect("a list of strings is JSON");
        input.keep(made, PathBuf::from(INDEX_DIR).join(SHARDS_FILE), list);
    }
}

/// The folder of shard `n` (0-based) inside [`INDEX_DIR`]; the first has none of its own.
fn shard_folder(n: usize) -> String {
    format!("shard-{}", n + 1)
}

/// The indexed pages in shards, each in site order: by a hash of the page's address, so that
/// a page stays in its shard as other pages come and go, until the number of shards changes.
fn shards(site: &Site) -> Vec<Vec<PageId>> {
    let ids: Vec<PageId> = site
        .pages
        .iter()
        .filter(|(_, page)| is_indexed(page))
        .map(|(id, _)| id)
        .collect();
    let count = shard_count(ids.len());
    let mut shards = vec![Vec::new(); count];
    for id in ids {
        let n = xxhash_rust::xxh3::xxh3_64(site.page(id).url.as_bytes()) % count as u64;
        shards[n as usize].push(id);
    }
    shards
}

/// How many shards `pages` pages make: one up to [`PAGES_PER_SHARD`], else an even number of
/// about that many pages each. Shards take about the same time, two at a time on two cores:
/// with an odd number the last runs alone, one core idle for its whole time (a ninth of the
/// step at 10,000 pages).
fn shard_count(pages: usize) -> usize {
    match pages.div_ceil(PAGES_PER_SHARD) {
        0 | 1 => 1,
        n => n + n % 2,
    }
}

/// Shard `n`'s files, by their path in its folder: from the cache, or indexed and kept there.
fn shard(
    input: &Input,
    output: &str,
    n: usize,
    ids: &[PageId],
    scripts: &OnceLock<Result<Scripts, String>>,
) -> Result<IndexFiles, Diagnostic> {
    let key = shard_key(input, n, ids);
    if let Some(files) = input
        .cache
        .get(output, &key)
        .and_then(|e| unbundle(&e.bytes))
    {
        return Ok(files);
    }
    // The other shards are merged into the first by its scripts: they need the index alone.
    let files = index(input, ids, n == 0, scripts)?;
    let entry = Entry {
        bytes: bundle(&files),
        pages: ids.len(),
    };
    input.cache.put(output, &key, &entry);
    Ok(files)
}

/// Whether a file Pagefind makes is part of the index itself, rather than its scripts, styles
/// and WebAssembly, which the first shard has for all.
fn is_index_file(path: &std::path::Path) -> bool {
    path == std::path::Path::new(ENTRY_FILE)
        || path.extension().is_some_and(|e| e == "pf_meta")
        || ["index", "fragment", "filter"]
            .iter()
            .any(|folder| path.starts_with(folder))
}

/// What a shard is made from: Pagefind's version, the shard's place, and each of its pages'
/// address and the key of its parts (its source and everything site-wide it depends on).
fn shard_key(input: &Input, n: usize, ids: &[PageId]) -> Key {
    let mut parts: Vec<Vec<u8>> = vec![
        // The format's version and the writer's: a change to either makes every shard again.
        b"pagefind 1.6.0, folio's writer 1".to_vec(),
        input.site.config.language.as_bytes().to_vec(),
        (n as u64).to_le_bytes().to_vec(),
    ];
    for &id in ids {
        parts.push(input.site.page(id).url.as_bytes().to_vec());
        parts.push(input.parts[id].key.to_le_bytes().to_vec());
    }
    Key::of(parts.iter().map(Vec::as_slice))
}

/// The index's files as one cache entry: each file's path and bytes, with their lengths.
fn bundle(files: &[(PathBuf, Vec<u8>)]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(files.iter().map(|(_, b)| b.len() + 64).sum());
    for (path, data) in files {
        let path = path.to_string_lossy();
        bytes.extend_from_slice(&(path.len() as u64).to_le_bytes());
        bytes.extend_from_slice(path.as_bytes());
        bytes.extend_from_slice(&(data.len() as u64).to_le_bytes());
        bytes.extend_from_slice(data);
    }
    bytes
}

/// The files of a [`bundle`]; `None` if it is not one.
fn unbundle(mut bytes: &[u8]) -> Option<Vec<(PathBuf, Vec<u8>)>> {
    let take = |n: usize, bytes: &mut &[u8]| -> Option<Vec<u8>> {
        let (head, rest) = (bytes.get(..n)?, bytes.get(n..)?);
        *bytes = rest;
        Some(head.to_vec())
    };
    let mut files = Vec::new();
    while !bytes.is_empty() {
        let len = u64::from_le_bytes(take(8, &mut bytes)?.try_into().ok()?) as usize;
        let path = String::from_utf8(take(len, &mut bytes)?).ok()?;
        let len = u64::from_le_bytes(take(8, &mut bytes)?.try_into().ok()?) as usize;
        files.push((PathBuf::from(path), take(len, &mut bytes)?));
    }
    Some(files)
}

/// Pages that are not content: the search page itself and the A–Z list of every page.
fn is_indexed(page: &Page) -> bool {
    !matches!(
        page.url.as_str(),
        crate::content::SEARCH_URL | crate::content::A_TO_Z_URL
    )
}

/// Indexes `ids`: the index's files, by their path in its folder, with Pagefind's scripts
/// for the first shard (`scripts` is asked once, by whichever shard needs it first).
fn index(
    input: &Input,
    ids: &[PageId],
    first: bool,
    scripts: &OnceLock<Result<Scripts, String>>,
) -> Result<IndexFiles, Diagnostic> {
    let site = input.site;
    let language = base_language(&site.config.language);
    let scripts = scripts
        .get_or_init(|| Scripts::of(&language).map_err(|e| format!("{e:#}")))
        .as_ref()
        .map_err(|e| {
            Diagnostic::error(
                crate::config::FILE_NAME,
                format!("the search index's scripts could not be made: {e}"),
            )
            .hint("build with --no-search to skip the index")
        })?;
    let records: Vec<Record> = ids
        .par_iter()
        .map(|&id| Record::of(site, id, site.page(id), &input.document(id)))
        .collect();
    let index = format::index(&records, &language, &scripts.version);
    let mut files = index.files;
    files.push((
        PathBuf::from(ENTRY_FILE),
        scripts.entry(&language, &index.meta_hash, index.page_count),
    ));
    if first {
        files.extend(scripts.files.iter().cloned());
    }
    Ok(files)
}

/// The language's base code (`en` for `en-GB`), as Pagefind names its index and stemmer.
fn base_language(language: &str) -> String {
    language
        .split('-')
        .next()
        .filter(|l| !l.is_empty())
        .unwrap_or("en")
        .to_lowercase()
}

/// The index's entry file, which names each language's metadata file.
const ENTRY_FILE: &str = "pagefind-entry.json";

/// Pagefind's own files for the browser (its scripts, styles and WebAssembly), and what its
/// entry file says besides the index: taken from Pagefind's output for a one-word record, so
/// that they are always the version the index is written for.
struct Scripts {
    files: IndexFiles,
    version: String,
    entry: serde_json::Value,
}

impl Scripts {
    fn of(language: &str) -> anyhow::Result<Scripts> {
        let word = Record {
            url: "/".to_string(),
            text: "folio".to_string(),
            meta: BTreeMap::new(),
            filters: BTreeMap::new(),
        };
        let files = pagefind_files(language, std::slice::from_ref(&word))?;
        let mut entry = None;
        let mut scripts = Vec::new();
        for (path, bytes) in files {
            if path == std::path::Path::new(ENTRY_FILE) {
                entry = Some(serde_json::from_slice::<serde_json::Value>(&bytes)?);
            } else if !is_index_file(&path) {
                scripts.push((path, bytes));
            }
        }
        let entry = entry.ok_or_else(|| anyhow::anyhow!("Pagefind wrote no {ENTRY_FILE}"))?;
        let version = entry["version"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("Pagefind's {ENTRY_FILE} has no version"))?
            .to_string();
        Ok(Scripts {
            files: scripts,
            version,
            entry,
        })
    }

    /// The entry file for an index of `page_count` pages whose metadata is `meta_hash`:
    /// Pagefind's, with the language's hash and count made this index's.
    fn entry(&self, language: &str, meta_hash: &str, page_count: usize) -> Vec<u8> {
        let mut entry = self.entry.clone();
        let wasm = entry["languages"][language]["wasm"].clone();
        entry["languages"] = serde_json::json!({
            language: { "hash": meta_hash, "wasm": wasm, "page_count": page_count }
        });
        serde_json::to_vec(&entry).expect("JSON")
    }
}

/// Pagefind's own files for `records`, made by its library: the source of its browser
/// files here, and the index folio's is held to in the tests.
fn pagefind_files(language: &str, records: &[Record]) -> anyhow::Result<IndexFiles> {
    // Pagefind's API is async; a small runtime of its own keeps the build synchronous.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let files = runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .build();
        let mut index = PagefindIndex::new(Some(config))?;
        for r in records {
            index
                .add_custom_record(
                    r.url.clone(),
                    r.text.clone(),
                    language.to_string(),
                    Some(r.meta.clone()),
                    Some(r.filters.clone()),
                    None,
                )
                .await?;
        }
        index.get_files().await
    })?;
    Ok(files
        .into_iter()
        .map(|f| (f.filename, f.contents))
        .collect())
}

struct Record {
    url: String,
    text: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
}

impl Record {
    fn of(site: &Site, id: PageId, page: &Page, doc: &Document) -> Record {
        let mut meta = BTreeMap::new();
        meta.insert("title".to_string(), page.front.title.clone());
        if !page.front.description.is_empty() {
            meta.insert("summary".to_string(), page.front.description.clone());
        }
        let mut filters = BTreeMap::new();
        if let Some(b) = page.booklet {
            let booklet = site.pages[b].front.title.clone();
            meta.insert("booklet".to_string(), booklet.clone());
            filters.insert("booklet".to_string(), vec![booklet]);
        }
        let mut text = page_text(page, doc);
        // The glossary page shows the glossary data file: its terms are its content.
        if site.glossary == Some(id) {
            for entry in &site.data.glossary {
                text.push_str(&format!(
                    " {} {}. {}",
                    entry.term,
                    entry.abbr.as_deref().unwrap_or(""),
                    entry.definition
                ));
            }
        }
        Record {
            // Pagefind puts the folder its own files are in before this in results, so a site
            // under a path links under it.
            url: page.url.clone(),
            text,
            meta,
            filters,
        }
    }
}

/// What a reader finds on the page: its title, summary, the values of its page kind
/// (a pledge's commitments, say) and the text of its body. Code is left out.
fn page_text(page: &Page, doc: &Document) -> String {
    let mut text = String::with_capacity(page.text().len());
    text.push_str(&page.front.title);
    text.push_str(". ");
    text.push_str(&page.front.description);
    text.push(' ');
    if let Some(fields) = &page.front.fields {
        for (_, value) in fields {
            push_yaml(value, &mut text);
        }
    }
    let mut in_code = false;
    for (event, _) in &doc.events {
        match event {
            Event::Start(pulldown_cmark::Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) | Event::Code(t) if !in_code => {
                let t = t.strip_prefix(crate::text::PLACEHOLDER).unwrap_or(t);
                text.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            // Keep words of neighbouring blocks apart.
            Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text
}

fn push_yaml(value: &crate::yaml::Value, text: &mut String) {
    match value {
        crate::yaml::Value::String(s) if !crate::text::is_placeholder(s) => {
            text.push_str(s);
            text.push_str(". ");
        }
        crate::yaml::Value::Sequence(items) => items.iter().for_each(|v| push_yaml(v, text)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_site_has_one_shard_and_a_large_one_an_even_number() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(PAGES_PER_SHARD), 1);
        assert_eq!(shard_count(PAGES_PER_SHARD + 1), 2);
        assert_eq!(shard_count(2 * PAGES_PER_SHARD + 1), 4);
        assert_eq!(shard_count(10_202), 12);
        for pages in (PAGES_PER_SHARD + 1..60_000).step_by(97) {
            let count = shard_count(pages);
            assert_eq!(count % 2, 0, "{pages} pages in {count} shards");
            // No shard much smaller than the aim: at most one more than the pages need.
            assert!(count <= pages.div_ceil(PAGES_PER_SHARD) + 1);
        }
    }
}

/// folio's index against Pagefind's own for the same records: decoded, they must agree.
#[cfg(test)]
mod same_as_pagefind {
    use std::collections::BTreeMap;
    use std::io::Read;
    use std::path::Path;

    use super::format::{FilterIndex, MARKER, MetaIndex, PackedPage, WordIndex};
    use super::*;

    /// A word's pages, and its accented forms' pages.
    type Places = (Vec<PackedPage>, BTreeMap<String, Vec<PackedPage>>);

    /// An index as the browser reads it: each page's fragment and word count in order, each
    /// word's pages (numbered in full) and its accented forms' pages, each filter's values.
    #[derive(Debug, PartialEq)]
    struct Decoded {
        version: String,
        meta_fields: Vec<String>,
        pages: Vec<(u32, serde_json::Value)>,
        words: BTreeMap<String, Places>,
        filters: BTreeMap<String, Vec<(String, Vec<usize>)>>,
        entry: serde_json::Value,
    }

    fn unpack(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .expect("gzip");
        assert!(out.starts_with(MARKER), "Pagefind's marker first");
        out.split_off(MARKER.len())
    }

    fn in_full(mut pages: Vec<PackedPage>) -> Vec<PackedPage> {
        let mut last = 0;
        for page in &mut pages {
            page.page_number += last;
            last = page.page_number;
        }
        pages
    }

    fn decode(files: &[(PathBuf, Vec<u8>)]) -> Decoded {
        let file = |path: &Path| {
            &files
                .iter()
                .find(|(p, _)| p == path)
                .unwrap_or_else(|| panic!("no {}", path.display()))
                .1
        };
        let mut entry: serde_json::Value =
            serde_json::from_slice(file(Path::new(ENTRY_FILE))).unwrap();
        let hash = entry["languages"]["en"]["hash"]
            .as_str()
            .unwrap()
            .to_string();
        // The names are hashes of the bytes, and each writer has its own.
        entry["languages"]["en"]["hash"] = serde_json::Value::Null;
        let meta: MetaIndex = minicbor::decode(&unpack(file(Path::new(&format!(
            "pagefind.{hash}.pf_meta"
        )))))
        .unwrap();
        let pages = meta
            .pages
            .iter()
            .map(|p| {
                let path = format!("fragment/{}.pf_fragment", p.hash);
                (
                    p.word_count,
                    serde_json::from_slice(&unpack(file(Path::new(&path)))).unwrap(),
                )
            })
            .collect();
        let mut words = BTreeMap::new();
        // The chunks in order, apart (a word may be empty: a lone accent, its accent taken off).
        let mut previous_to: Option<&str> = None;
        for chunk in &meta.index_chunks {
            assert!(
                chunk.from <= chunk.to && previous_to.is_none_or(|to| to < chunk.from.as_str()),
                "{chunk:?}"
            );
            previous_to = Some(&chunk.to);
            let path = format!("index/{}.pf_index", chunk.hash);
            let index: WordIndex = minicbor::decode(&unpack(file(Path::new(&path)))).unwrap();
            for word in index.words {
                assert!(word.word.starts_with(&chunk.from) || word.word > chunk.from);
                let variants = word
                    .additional_variants
                    .into_iter()
                    .map(|v| (v.form, in_full(v.pages)))
                    .collect();
                words.insert(word.word, (in_full(word.pages), variants));
            }
        }
        let filters = meta
            .filters
            .iter()
            .map(|f| {
                let path = format!("filter/{}.pf_filter", f.hash);
                let index: FilterIndex = minicbor::decode(&unpack(file(Path::new(&path)))).unwrap();
                assert_eq!(index.filter, f.filter);
                let values = index
                    .values
                    .into_iter()
                    .map(|v| (v.value, v.pages))
                    .collect();
                (f.filter.clone(), values)
            })
            .collect();
        Decoded {
            version: meta.version,
            meta_fields: meta.meta_fields,
            pages,
            words,
            filters,
            entry,
        }
    }

    fn pagefind(records: &[Record]) -> Vec<(PathBuf, Vec<u8>)> {
        pagefind_files("en", records).unwrap()
    }

    fn folio(records: &[Record]) -> Vec<(PathBuf, Vec<u8>)> {
        let scripts = Scripts::of("en").unwrap();
        let index = format::index(records, "en", &scripts.version);
        let mut files = index.files;
        files.push((
            PathBuf::from(ENTRY_FILE),
            scripts.entry("en", &index.meta_hash, index.page_count),
        ));
        files
    }

    fn record(url: &str, text: &str, title: &str, booklet: Option<&str>) -> Record {
        let mut meta = BTreeMap::from([("title".to_string(), title.to_string())]);
        let mut filters = BTreeMap::new();
        if let Some(b) = booklet {
            meta.insert("booklet".to_string(), b.to_string());
            filters.insert("booklet".to_string(), vec![b.to_string()]);
        }
        if url.len().is_multiple_of(2) {
            meta.insert("summary".to_string(), format!("About {title}: résumé"));
        }
        Record {
            url: url.to_string(),
            text: text.to_string(),
            meta,
            filters,
        }
    }

    /// The bundled site's sources as text (front matter, Markdown and all: many kinds of
    /// punctuation), and text made to try each rule of splitting.
    fn corpus() -> Vec<Record> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut sources: Vec<PathBuf> = walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "yml"))
            .collect();
        sources.sort();
        assert!(sources.len() > 30, "the bundled content is there");
        let mut records: Vec<Record> = sources
            .iter()
            .enumerate()
            .map(|(n, path)| {
                let text = std::fs::read_to_string(path).unwrap();
                let name = path.strip_prefix(&root).unwrap().to_string_lossy();
                let booklet = ["Schools", "Pledges", "If This Were My Child"]
                    .get(n % 4)
                    .copied();
                record(
                    &format!("/{name}/"),
                    &text,
                    &format!("Page {n}: {name}"),
                    booklet,
                )
            })
            .collect();
        let tricky = [
            "Café naïve Zürich façade résumé Ærø smörgåsbord",
            "well-being child-friendly COVID-19 e.g. i.e. 10:30am £1,200 50% 1st",
            "camelCase HTTPRequest iPhone McDonald's O'Neill self-esteem—care",
            "sysconfig.is_python_build www.example.gov.uk/path?x=1#top user@example.org",
            "😀 👍🏽 family👨‍👩‍👧 ✓ ★ © ™",
            "カタカナテスト ハンバーガー バンド ハンド ひらがな 漢字",
            "zero\u{200B}width \u{200B} snake_case_word ＿full＿ a‿b",
            "Ελληνικά Русский текст العربية עברית हिन्दी",
            "ǅemal İstanbul ẞtraße STRASSE ﬁnance",
            "— – … · • ¶ § a b c",
        ];
        for (n, text) in tricky.iter().enumerate() {
            records.push(record(&format!("/tricky/{n}/"), text, text, Some("Tricky")));
        }
        // A page with no word to index is left out by both.
        records.push(record("/empty/", "— … ·", "", None));
        records
    }

    #[test]
    fn folio_s_index_reads_as_pagefind_s_own_for_the_same_records() {
        let records = corpus();
        let ours = decode(&folio(&records));
        let theirs = decode(&pagefind(&records));
        assert_eq!(ours.version, theirs.version);
        assert_eq!(ours.meta_fields, theirs.meta_fields);
        assert_eq!(ours.entry, theirs.entry);
        assert_eq!(ours.filters, theirs.filters);
        assert_eq!(
            ours.pages.len(),
            records.len() - 1,
            "the empty page left out"
        );
        for (n, (a, b)) in ours.pages.iter().zip(&theirs.pages).enumerate() {
            assert_eq!(a, b, "page {n}");
        }
        assert_eq!(ours.pages.len(), theirs.pages.len());
        let only_ours: Vec<_> = ours
            .words
            .keys()
            .filter(|w| !theirs.words.contains_key(*w))
            .collect();
        let only_theirs: Vec<_> = theirs
            .words
            .keys()
            .filter(|w| !ours.words.contains_key(*w))
            .collect();
        assert!(
            only_ours.is_empty() && only_theirs.is_empty(),
            "{only_ours:?} {only_theirs:?}"
        );
        for (word, places) in &ours.words {
            assert_eq!(places, &theirs.words[word], "the word {word:?}");
        }
        assert!(ours.words.len() > 1_000, "{} words", ours.words.len());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

        /// Text of every kind the rules treat apart, in any order: both indexes the same.
        #[test]
        fn any_text_indexes_as_pagefind_indexes_it(
            texts in proptest::collection::vec(
                "[a-zA-Z0-9 .,;:'!?()/@#&_\\-éñÆßİǅ\u{0301}\u{3099}カタナーハ😀👍🏽\u{200B}\u{00A0}\t\n]{0,120}",
                1..6,
            ),
            title in "[a-zA-Zé .\\-]{0,30}",
        ) {
            let records: Vec<Record> = texts
                .iter()
                .enumerate()
                // A plain word first, so that no page is left out and the index has one.
                .map(|(n, text)| record(&format!("/p/{n}/"), &format!("start {text}"), &title, Some("B")))
                .collect();
            let ours = decode(&folio(&records));
            let theirs = decode(&pagefind(&records));
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn hostile_text_is_indexed_without_failing() {
        let long_word = "a".repeat(1 << 20);
        let dots = "a.".repeat(100_000);
        let katakana = "カタ".repeat(20_000);
        let marks = "\u{0301}".repeat(50_000);
        let records = vec![
            record("/long/", &long_word, "Long", None),
            record("/dots/", &dots, "Dots", None),
            record("/katakana/", &katakana, "Katakana", None),
            record("/marks/", &format!("x{marks} y"), "Marks", None),
        ];
        let index = decode(&folio(&records));
        assert_eq!(index.pages.len(), 4);
        assert!(index.words.contains_key(&long_word));
    }
}
