//! The site's search index, built with Pagefind as a library: one record per page holding the
//! text of its main content (never the navigation), its title, booklet and summary as
//! metadata, and its booklet as a filter. The files land in the output under `/pagefind/`.
//!
//! A large site's index is made in shards of about [`PAGES_PER_SHARD`] pages, side by side
//! and each cached on its own: Pagefind indexes one record at a time and holds the whole
//! index in memory, so one index of 10,000 pages takes one core for seconds and gigabytes.
//! A page's shard follows from its address, so an edit makes one shard again. The first
//! shard is Pagefind's usual folder, with its scripts; each other shard is in a folder of it
//! (`shard-2/`, ...) with the index alone, listed in [`SHARDS_FILE`], which the search page
//! merges into the first (Pagefind's `mergeIndex`).

use std::collections::BTreeMap;
use std::path::PathBuf;

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
                let files = shard(input, self.name(), n, ids).and_then(|files| {
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
fn shard(input: &Input, output: &str, n: usize, ids: &[PageId]) -> Result<IndexFiles, Diagnostic> {
    let key = shard_key(input, n, ids);
    if let Some(files) = input
        .cache
        .get(output, &key)
        .and_then(|e| unbundle(&e.bytes))
    {
        return Ok(files);
    }
    let mut files = index(input, ids)?;
    // The other shards are merged into the first by its scripts: they need the index alone.
    if n > 0 {
        files.retain(|(path, _)| is_index_file(path));
    }
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
    path == std::path::Path::new("pagefind-entry.json")
        || path.extension().is_some_and(|e| e == "pf_meta")
        || ["index", "fragment", "filter"]
            .iter()
            .any(|folder| path.starts_with(folder))
}

/// What a shard is made from: Pagefind's version, the shard's place, and each of its pages'
/// address and the key of its parts (its source and everything site-wide it depends on).
fn shard_key(input: &Input, n: usize, ids: &[PageId]) -> Key {
    let mut parts: Vec<Vec<u8>> = vec![
        b"pagefind 1.6".to_vec(),
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

/// Indexes `ids`: the index's files, by their path in its folder.
fn index(input: &Input, ids: &[PageId]) -> Result<IndexFiles, Diagnostic> {
    let site = input.site;
    let failed = |e: anyhow::Error| {
        Diagnostic::error(
            crate::config::FILE_NAME,
            format!("the search index could not be built: {e:#}"),
        )
        .hint("build with --no-search to skip the index")
    };
    let language = site
        .config
        .language
        .split('-')
        .next()
        .unwrap_or("en")
        .to_lowercase();
    let records: Vec<Record> = ids
        .par_iter()
        .map(|&id| Record::of(site, id, site.page(id), &input.document(id)))
        .collect();
    // Pagefind's API is async; a small runtime of its own keeps the build synchronous.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(e.into()))?;
    let files = runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(language.clone())
            .build();
        let mut index = PagefindIndex::new(Some(config))?;
        for record in records {
            index
                .add_custom_record(
                    record.url,
                    record.text,
                    language.clone(),
                    Some(record.meta),
                    Some(record.filters),
                    None,
                )
                .await?;
        }
        index.get_files().await
    });
    Ok(files
        .map_err(failed)?
        .into_iter()
        .map(|file| (file.filename, file.contents))
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
