//! The index's files in Pagefind 1.6's format, which Pagefind's browser scripts read: a
//! metadata file listing the pages and where each range of words is, the words in chunks
//! (each word's pages, and its places on each), one fragment per page (its address, text and
//! metadata, for the results), and each filter's values with their pages. Each is CBOR or
//! JSON, gzipped after Pagefind's marker, and named by a hash of its bytes.
//!
//! Pagefind builds the same files by copying each page's words several times over; here each
//! page's words are numbered once ([`super::words`]) and go straight to their places.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::PathBuf;

use flate2::write::GzEncoder;
use minicbor::{Decode, Encode};
use serde::Serialize;

use super::Record;
use super::words::{Splitter, TokenWord, WordId, Words};

/// The bytes Pagefind's scripts expect at the start of each compressed file.
pub const MARKER: &[u8] = b"pagefind_dcd";

/// About how many places (and pages) a chunk of the word index holds: Pagefind's default.
const CHUNK_SIZE: usize = 20_000;

/// The weight Pagefind's locations start at; a change of weight is written inline.
const START_WEIGHT: u8 = 25;

/// `pagefind.*.pf_meta`: what the browser loads first.
#[derive(Encode, Decode, Debug)]
pub struct MetaIndex {
    #[n(0)]
    pub version: String,
    #[n(1)]
    pub pages: Vec<MetaPage>,
    #[n(2)]
    pub index_chunks: Vec<MetaChunk>,
    #[n(3)]
    pub filters: Vec<MetaFilter>,
    #[n(4)]
    pub sorts: Vec<MetaSort>,
    #[n(5)]
    pub meta_fields: Vec<String>,
}

#[derive(Encode, Decode, Debug)]
pub struct MetaPage {
    /// The page's fragment.
    #[n(0)]
    pub hash: String,
    #[n(1)]
    pub word_count: u32,
    /// Pagefind's fragments bundled in groups; folio writes none.
    #[n(2)]
    pub group_hash: String,
}

/// The chunk of the word index holding the words from `from` to `to`.
#[derive(Encode, Decode, Debug)]
pub struct MetaChunk {
    #[n(0)]
    pub from: String,
    #[n(1)]
    pub to: String,
    #[n(2)]
    pub hash: String,
}

#[derive(Encode, Decode, Debug)]
pub struct MetaFilter {
    #[n(0)]
    pub filter: String,
    #[n(1)]
    pub hash: String,
}

#[derive(Encode, Decode, Debug)]
pub struct MetaSort {
    #[n(0)]
    pub sort: String,
    #[n(1)]
    pub pages: Vec<usize>,
}

/// `index/*.pf_index`: a chunk of the words, in order.
#[derive(Encode, Decode, Debug)]
pub struct WordIndex {
    #[n(0)]
    pub words: Vec<PackedWord>,
}

#[derive(Encode, Decode, Debug, Default)]
pub struct PackedWord {
    #[n(0)]
    pub word: String,
    /// The pages, each numbered from the one before.
    #[n(1)]
    pub pages: Vec<PackedPage>,
    /// The word's accented forms, with their own pages.
    #[n(2)]
    pub additional_variants: Vec<PackedVariant>,
}

#[derive(Encode, Decode, Debug)]
pub struct PackedVariant {
    #[n(0)]
    pub form: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
}

/// A word's places on a page: `locs` in the text (each from the one before, a weight change
/// written as `-(weight + 1)` and the next place in full), `meta_locs` in the metadata
/// fields (a field written as `-(field + 1)`, then its places each from the one before).
#[derive(Encode, Decode, Debug, Clone, PartialEq)]
pub struct PackedPage {
    #[n(0)]
    pub page_number: usize,
    #[n(1)]
    pub locs: Vec<i32>,
    #[n(2)]
    pub meta_locs: Vec<i32>,
}

/// `filter/*.pf_filter`: one filter's values and their pages.
#[derive(Encode, Decode, Debug)]
pub struct FilterIndex {
    #[n(0)]
    pub filter: String,
    #[n(1)]
    pub values: Vec<PackedValue>,
}

#[derive(Encode, Decode, Debug)]
pub struct PackedValue {
    #[n(0)]
    pub value: String,
    #[n(1)]
    pub pages: Vec<usize>,
}

/// `fragment/*.pf_fragment`: what a result shows.
#[derive(Serialize)]
struct Fragment<'a> {
    url: &'a str,
    content: &'a str,
    word_count: usize,
    filters: &'a BTreeMap<String, Vec<String>>,
    meta: &'a BTreeMap<String, String>,
    anchors: [(); 0],
}

/// A shard's index: its files by path in its folder, and what its entry file says of it.
pub struct Index {
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// The metadata file's name, between `pagefind.` and `.pf_meta`.
    pub meta_hash: String,
    pub page_count: usize,
}

/// A page's words before they are placed: each word with its position.
struct PageWords<'a> {
    record: &'a Record,
    content: String,
    word_count: usize,
    text: Vec<(TokenWord, u32)>,
    meta: Vec<(TokenWord, u16, u32)>,
}

/// The index of `records`, in `language` (a base code: `en`), for Pagefind `version`.
pub fn index(records: &[Record], language: &str, version: &str) -> Index {
    let mut splitter = Splitter::new(language);
    let mut meta_fields: Vec<String> = records
        .iter()
        .flat_map(|r| r.meta.keys().cloned())
        .collect();
    meta_fields.sort_unstable();
    meta_fields.dedup();

    let mut postings: Vec<PackedWord> = Vec::new();
    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    let mut names = Names::new(language);
    let mut files = Vec::new();
    let mut meta = MetaIndex {
        version: version.to_string(),
        pages: Vec::with_capacity(records.len()),
        index_chunks: Vec::new(),
        filters: Vec::new(),
        sorts: Vec::new(),
        meta_fields: meta_fields.clone(),
    };
    // Each page's words go to their places as it is split, so no shard holds them all.
    for record in records {
        let Some(page) = page_words(record, &meta_fields, &mut splitter) else {
            continue;
        };
        let number = meta.pages.len();
        postings.resize_with(splitter.words.len(), PackedWord::default);
        place(number, page.text, page.meta, &mut postings, &splitter.words);
        for (filter, values) in &page.record.filters {
            for value in values {
                filters
                    .entry(filter)
                    .or_default()
                    .entry(value)
                    .or_default()
                    .push(number);
            }
        }
        let fragment = serde_json::to_vec(&Fragment {
            url: &page.record.url,
            content: &page.content,
            word_count: page.word_count,
            filters: &page.record.filters,
            meta: &page.record.meta,
            anchors: [],
        })
        .expect("a fragment is JSON");
        let (hash, bytes) = names.name(&fragment);
        if let Some(bytes) = bytes {
            files.push((PathBuf::from(format!("fragment/{hash}.pf_fragment")), bytes));
        }
        meta.pages.push(MetaPage {
            hash,
            word_count: page.word_count as u32,
            group_hash: String::new(),
        });
    }

    for (filter, values) in filters {
        let index = FilterIndex {
            filter: filter.to_string(),
            values: values
                .into_iter()
                .map(|(value, pages)| PackedValue {
                    value: value.to_string(),
                    pages,
                })
                .collect(),
        };
        let (hash, bytes) = names.name(&cbor(&index));
        if let Some(bytes) = bytes {
            files.push((PathBuf::from(format!("filter/{hash}.pf_filter")), bytes));
        }
        meta.filters.push(MetaFilter {
            filter: filter.to_string(),
            hash,
        });
    }

    // The words in order, each with its text, in chunks of about CHUNK_SIZE places.
    let mut order: Vec<WordId> = (0..postings.len() as WordId)
        .filter(|&id| {
            let w = &postings[id as usize];
            !w.pages.is_empty() || !w.additional_variants.is_empty()
        })
        .collect();
    order.sort_unstable_by(|&a, &b| splitter.words.text(a).cmp(splitter.words.text(b)));
    let mut chunks: Vec<Vec<PackedWord>> = Vec::new();
    let mut chunk = Vec::new();
    let mut size = 0;
    for id in order {
        let mut word = std::mem::take(&mut postings[id as usize]);
        word.word = splitter.words.text(id).to_string();
        size += word
            .pages
            .iter()
            .chain(word.additional_variants.iter().flat_map(|v| &v.pages))
            .map(|p| p.locs.len() + p.meta_locs.len() + 1)
            .sum::<usize>()
            + word.additional_variants.len();
        chunk.push(word);
        if size >= CHUNK_SIZE {
            chunks.push(std::mem::take(&mut chunk));
            size = 0;
        }
    }
    if !chunk.is_empty() {
        chunks.push(chunk);
    }
    meta.index_chunks = chunk_ranges(&chunks);
    for (n, mut words) in chunks.into_iter().enumerate() {
        for word in &mut words {
            number_from_previous(&mut word.pages);
            for variant in &mut word.additional_variants {
                number_from_previous(&mut variant.pages);
            }
        }
        let (hash, bytes) = names.name(&cbor(&WordIndex { words }));
        if let Some(bytes) = bytes {
            files.push((PathBuf::from(format!("index/{hash}.pf_index")), bytes));
        }
        meta.index_chunks[n].hash = hash;
    }

    let page_count = meta.pages.len();
    let meta_bytes = cbor(&meta);
    let (meta_hash, bytes) = names.name(&meta_bytes);
    if let Some(bytes) = bytes {
        files.push((
            PathBuf::from(format!("pagefind.{meta_hash}.pf_meta")),
            bytes,
        ));
    }
    Index {
        files,
        meta_hash,
        page_count,
    }
}

/// A record's text as words with their positions, and its metadata's words; `None` for a
/// page with no word to index (Pagefind leaves such pages out).
fn page_words<'a>(
    record: &'a Record,
    meta_fields: &[String],
    splitter: &mut Splitter,
) -> Option<PageWords<'a>> {
    let mut content = String::with_capacity(record.text.len());
    let mut text = Vec::new();
    let mut position: u32 = 0;
    for token in record.text.split_whitespace() {
        // Zero-width spaces mark boundaries in some languages; they are not text.
        let token: std::borrow::Cow<str> = match token.contains('\u{200B}') {
            true => token.replace('\u{200B}', "").into(),
            false => token.into(),
        };
        if token.is_empty() {
            continue;
        }
        content.push_str(&token);
        content.push(' ');
        text.extend(splitter.token(&token).iter().map(|&w| (w, position)));
        position += 1;
    }
    content.pop();
    if text.is_empty() {
        return None;
    }
    let mut meta = Vec::new();
    for (name, value) in &record.meta {
        let field = meta_fields.binary_search(name).unwrap_or_default() as u16;
        for (n, token) in value.split_whitespace().enumerate() {
            let words = splitter.meta_token(token);
            meta.extend(words.into_iter().map(|w| (w, field, n as u32)));
        }
    }
    Some(PageWords {
        record,
        content,
        word_count: position as usize,
        text,
        meta,
    })
}

/// Puts page `number`'s words in their words' page lists.
fn place(
    number: usize,
    mut text: Vec<(TokenWord, u32)>,
    mut meta: Vec<(TokenWord, u16, u32)>,
    postings: &mut [PackedWord],
    words: &Words,
) {
    let weight_order = |w: u8| if w == START_WEIGHT { 0 } else { w };
    text.sort_unstable_by_key(|(w, pos)| (w.word, w.original, weight_order(w.weight), *pos));
    for group in text.chunk_by(|a, b| (a.0.word, a.0.original) == (b.0.word, b.0.original)) {
        let first = group[0].0;
        let page = PackedPage {
            page_number: number,
            locs: locations(group.iter().map(|(w, pos)| (w.weight, *pos))),
            meta_locs: Vec::new(),
        };
        let word = &mut postings[first.word as usize];
        match first.original {
            None => word.pages.push(page),
            Some(form) => variant(word, words.text(form)).pages.push(page),
        }
    }
    meta.sort_unstable_by_key(|(w, field, pos)| (w.word, w.original, *field, *pos));
    for group in meta.chunk_by(|a, b| (a.0.word, a.0.original) == (b.0.word, b.0.original)) {
        let first = group[0].0;
        let meta_locs = meta_locations(group.iter().map(|(_, f, p)| (*f, *p)));
        let word = &mut postings[first.word as usize];
        let pages = match first.original {
            None => &mut word.pages,
            Some(form) => &mut variant(word, words.text(form)).pages,
        };
        match pages.last_mut().filter(|p| p.page_number == number) {
            Some(page) => page.meta_locs = meta_locs,
            None => pages.push(PackedPage {
                page_number: number,
                locs: Vec::new(),
                meta_locs,
            }),
        }
    }
}

/// The word's variant with the given form, added if it has none yet.
fn variant<'w>(word: &'w mut PackedWord, form: &str) -> &'w mut PackedVariant {
    let at = match word.additional_variants.iter().position(|v| v.form == form) {
        Some(at) => at,
        None => {
            word.additional_variants.push(PackedVariant {
                form: form.to_string(),
                pages: Vec::new(),
            });
            word.additional_variants.len() - 1
        }
    };
    &mut word.additional_variants[at]
}

/// A word's places on a page as Pagefind writes them: ordinary weight first, each place
/// from the one before, and each change of weight marked.
fn locations(places: impl Iterator<Item = (u8, u32)>) -> Vec<i32> {
    let mut locs = Vec::new();
    let mut weight = START_WEIGHT;
    let mut last = 0;
    for (w, position) in places {
        if w != weight {
            locs.push(-(w as i32) - 1);
            locs.push(position as i32);
            weight = w;
        } else {
            locs.push((position - last) as i32);
        }
        last = position;
    }
    locs
}

/// A word's places in the metadata fields, each field marked and its places from the one
/// before.
fn meta_locations(places: impl Iterator<Item = (u16, u32)>) -> Vec<i32> {
    let mut locs = Vec::new();
    let mut field = None;
    let mut last = 0;
    for (f, position) in places {
        if field != Some(f) {
            locs.push(-(f as i32) - 1);
            field = Some(f);
            last = 0;
        }
        locs.push((position - last) as i32);
        last = position;
    }
    locs
}

/// Each page numbered from the one before it, as the chunks store them.
fn number_from_previous(pages: &mut [PackedPage]) {
    let mut last = 0;
    for page in pages {
        let number = page.page_number;
        page.page_number = number - last;
        last = number;
    }
}

/// The word range of each chunk, each end cut to the shortest prefix that still tells it
/// from the next chunk's start.
fn chunk_ranges(chunks: &[Vec<PackedWord>]) -> Vec<MetaChunk> {
    let mut ranges: Vec<MetaChunk> = chunks
        .iter()
        .map(|words| MetaChunk {
            from: words.first().map(|w| w.word.clone()).unwrap_or_default(),
            to: words.last().map(|w| w.word.clone()).unwrap_or_default(),
            hash: String::new(),
        })
        .collect();
    for i in 1..ranges.len() {
        let (before, after) = ranges.split_at_mut(i);
        let (a, b) = (&mut before[i - 1], &mut after[0]);
        let common = b
            .from
            .chars()
            .zip(a.to.chars())
            .take_while(|(x, y)| x == y)
            .count();
        let to: String = a.to.chars().take(common + 1).collect();
        if to >= a.from {
            a.to = to;
        }
        b.from = b.from.chars().take(common + 1).collect();
    }
    ranges
}

fn cbor<T: Encode<()>>(value: &T) -> Vec<u8> {
    minicbor::to_vec(value).expect("CBOR into memory cannot fail")
}

/// Names files by a hash of their bytes (`en_` and as few hex digits as tell them apart)
/// and compresses them.
struct Names {
    language: String,
    taken: HashMap<String, u128>,
}

impl Names {
    fn new(language: &str) -> Names {
        Names {
            language: language.to_string(),
            taken: HashMap::new(),
        }
    }

    /// The name for `bytes`, and their compressed form unless the same bytes were named
    /// before.
    fn name(&mut self, bytes: &[u8]) -> (String, Option<Vec<u8>>) {
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        let hex = format!("{hash:032x}");
        // The whole hash names only its own bytes, so the loop always ends there.
        let mut digits = 7;
        loop {
            let name = format!("{}_{}", self.language, &hex[..digits]);
            match self.taken.get(&name) {
                Some(&other) if other == hash => return (name, None),
                Some(_) if digits < hex.len() => digits += 1,
                _ => {
                    self.taken.insert(name.clone(), hash);
                    return (name, Some(compress(bytes)));
                }
            }
        }
    }
}

/// Pagefind's marker and the bytes, gzipped.
fn compress(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::default(),
    );
    gz.write_all(MARKER).expect("gzip into memory");
    gz.write_all(bytes).expect("gzip into memory");
    gz.finish().expect("gzip into memory")
}
