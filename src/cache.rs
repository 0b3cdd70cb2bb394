//! Slow work kept between builds, in `.folio/cache/<output>/` under the site's root.
//!
//! An entry is found by a key: a hash of everything that went into it, so a changed input
//! simply misses. Each entry also records the hash of its own bytes, and one that does not
//! match (a file cut short by a full disk, say) is made again rather than published. After a
//! build, the entries it did not use are removed, so the cache holds one build's worth.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Where caches live, under the site's root.
pub const CACHE_DIR: &str = ".folio/cache";

/// What a cache entry holds: the bytes, and how many pages they make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// The record kept beside an entry's bytes.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    sha256: String,
    pages: usize,
}

/// A cache key: the SHA-256 of an entry's inputs, in hex.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key(String);

impl Key {
    /// The key of everything in `parts`, in order.
    pub fn of<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Key {
        let mut hasher = Sha256::new();
        for part in parts {
            // The length first, so that ("ab", "c") and ("a", "bc") differ.
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        Key(hex(&hasher.finalize()))
    }

    /// The key as bytes, to make part of another key.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How a build may use the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Read entries and store new ones (a build, the dev server).
    ReadWrite,
    /// Read entries, never write (`folio check`: it changes nothing on disk).
    ReadOnly,
    /// Neither.
    Off,
}

pub struct Cache {
    dir: PathBuf,
    mode: Mode,
    /// Entries this build read or wrote, by output.
    used: Mutex<BTreeMap<String, BTreeSet<Key>>>,
}

impl Cache {
    pub fn new(root: &Path, mode: Mode) -> Cache {
        Cache {
            dir: root.join(CACHE_DIR),
            mode,
            used: Mutex::new(BTreeMap::new()),
        }
    }

    fn paths(&self, output: &str, key: &Key) -> (PathBuf, PathBuf) {
        let dir = self.dir.join(output);
        (
            dir.join(format!("{}.bin", key.0)),
            dir.join(format!("{}.json", key.0)),
        )
    }

    fn mark(&self, output: &str, key: &Key) {
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(output.to_string())
            .or_default()
            .insert(key.clone());
    }

    /// The entry for `key`, if the cache has it whole.
    pub fn get(&self, output: &str, key: &Key) -> Option<Entry> {
        if self.mode == Mode::Off {
            return None;
        }
        self.mark(output, key);
        let (bin, json) = self.paths(output, key);
        let record: Record = serde_json::from_slice(&std::fs::read(json).ok()?).ok()?;
        let bytes = std::fs::read(bin).ok()?;
        (hex(&Sha256::digest(&bytes)) == record.sha256).then_some(Entry {
            bytes,
            pages: record.pages,
        })
    }

    /// Stores an entry. Best effort: a cache that cannot be written only costs time later.
    pub fn put(&self, output: &str, key: &Key, entry: &Entry) {
        if self.mode != Mode::ReadWrite {
            return;
        }
        self.mark(output, key);
        let (bin, json) = self.paths(output, key);
        let Some(dir) = bin.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let record = Record {
            sha256: hex(&Sha256::digest(&entry.bytes)),
            pages: entry.pages,
        };
        // The record goes last: an entry without one is never read.
        let _ = write_new(&bin, &entry.bytes)
            .and_then(|()| write_new(&json, &serde_json::to_vec(&record).unwrap_or_default()));
    }

    /// Removes the entries of `outputs` that this build did not use, and what older versions
    /// of folio left there.
    pub fn prune(&self, outputs: &[&str]) {
        if self.mode != Mode::ReadWrite {
            return;
        }
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        for output in outputs {
            let keep = used.get(*output);
            let Ok(entries) = std::fs::read_dir(self.dir.join(output)) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let stem = name.split('.').next().unwrap_or_default().to_string();
                if !keep.is_some_and(|k| k.contains(&Key(stem))) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }
}

/// A quick hash of many parts, each with its length (so that ("ab", "c") and ("a", "bc")
/// differ): the keys of page records, which are many and small.
pub struct Fingerprint(xxhash_rust::xxh3::Xxh3);

impl Fingerprint {
    pub fn new() -> Self {
        Fingerprint(xxhash_rust::xxh3::Xxh3::new())
    }

    pub fn add(&mut self, part: &[u8]) -> &mut Self {
        self.0.update(&(part.len() as u64).to_le_bytes());
        self.0.update(part);
        self
    }

    pub fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

impl Default for Fingerprint {
    fn default() -> Self {
        Self::new()
    }
}

/// What a build learnt of each page, kept for the next: small records by the page's site
/// path (its headings and problems, the file an output made of it), each with the key of the
/// inputs it came from, so that a page whose inputs changed simply misses.
#[derive(Debug, Serialize, Deserialize)]
#[serde(bound = "T: Serialize + serde::de::DeserializeOwned")]
pub struct Records<T> {
    /// The folio program that wrote them: another one may make other files of the same page.
    made_by: u128,
    pub pages: BTreeMap<String, T>,
}

impl<T> Records<T> {
    pub fn new(pages: BTreeMap<String, T>) -> Self {
        Records {
            made_by: program(),
            pages,
        }
    }
}

impl<T> Default for Records<T> {
    fn default() -> Self {
        Records::new(BTreeMap::new())
    }
}

impl Cache {
    fn records_path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.records"))
    }

    /// The records `name` kept at the last build; none when they are missing, damaged,
    /// unreadable or written by another folio.
    pub fn records<T: Serialize + serde::de::DeserializeOwned>(&self, name: &str) -> Records<T> {
        if self.mode == Mode::Off {
            return Records::default();
        }
        std::fs::read(self.records_path(name))
            .ok()
            .and_then(|bytes| {
                // The hash of the rest comes first: a damaged file that still decodes is
                // not trusted.
                let (hash, rest) = bytes.split_at_checked(16)?;
                (hash == xxhash_rust::xxh3::xxh3_128(rest).to_le_bytes())
                    .then(|| postcard::from_bytes::<Records<T>>(rest).ok())?
            })
            .filter(|r| r.made_by == program())
            .unwrap_or_default()
    }

    /// Keeps `records` for the next build. Best effort, like every cache write.
    pub fn keep_records<T: Serialize + serde::de::DeserializeOwned>(
        &self,
        name: &str,
        records: &Records<T>,
    ) {
        if self.mode != Mode::ReadWrite || std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        if let Ok(bytes) = postcard::to_allocvec(records) {
            let hash = xxhash_rust::xxh3::xxh3_128(&bytes).to_le_bytes();
            let _ = write_new(&self.records_path(name), &[&hash[..], &bytes].concat());
        }
        // Earlier builds of folio kept them as JSON.
        let _ = std::fs::remove_file(self.dir.join(format!("{name}.records.json")));
    }
}

/// This folio program: its version, and its size and time, so that a new build of folio
/// never trusts what an older one recorded.
fn program() -> u128 {
    static PROGRAM: std::sync::OnceLock<u128> = std::sync::OnceLock::new();
    *PROGRAM.get_or_init(|| {
        let mut text = env!("CARGO_PKG_VERSION").to_string();
        if let Some(meta) = std::env::current_exe().ok().and_then(|p| p.metadata().ok()) {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            text.push_str(&format!(" {} {modified}", meta.len()));
        }
        xxhash_rust::xxh3::xxh3_128(text.as_bytes())
    })
}

/// Writes a file under a temporary name beside it, then renames it into place, so that a
/// build killed meanwhile leaves no half-written entry.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut file, bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_damaged_ones_are_not_read() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::new(tmp.path(), Mode::ReadWrite);
        let key = Key::of([b"inputs".as_slice()]);
        let entry = Entry {
            bytes: b"%PDF-1.7 whole".to_vec(),
            pages: 3,
        };
        cache.put("pdf", &key, &entry);
        assert_eq!(cache.get("pdf", &key), Some(entry));
        let (bin, _) = cache.paths("pdf", &key);
        std::fs::write(&bin, b"%PDF-1.7 wh").unwrap();
        assert_eq!(cache.get("pdf", &key), None, "a truncated entry is read");
    }

    #[test]
    fn keys_depend_on_every_part_and_its_boundaries() {
        let a = Key::of([b"ab".as_slice(), b"c"]);
        assert_ne!(a, Key::of([b"a".as_slice(), b"bc"]));
        assert_eq!(a, Key::of([b"ab".as_slice(), b"c"]));
    }

    #[test]
    fn pruning_keeps_what_the_build_used() {
        let tmp = tempfile::tempdir().unwrap();
        let entry = Entry {
            bytes: vec![1, 2, 3],
            pages: 1,
        };
        let (old, new) = (Key::of([b"old".as_slice()]), Key::of([b"new".as_slice()]));
        Cache::new(tmp.path(), Mode::ReadWrite).put("pdf", &old, &entry);
        let cache = Cache::new(tmp.path(), Mode::ReadWrite);
        cache.put("pdf", &new, &entry);
        // A read-only cache neither writes nor prunes.
        let check = Cache::new(tmp.path(), Mode::ReadOnly);
        check.put("pdf", &Key::of([b"other".as_slice()]), &entry);
        check.prune(&["pdf"]);
        assert_eq!(
            std::fs::read_dir(tmp.path().join(CACHE_DIR).join("pdf"))
                .unwrap()
                .count(),
            4
        );
        cache.prune(&["pdf"]);
        assert_eq!(cache.get("pdf", &old), None);
        assert_eq!(cache.get("pdf", &new), Some(entry));
        assert_eq!(
            std::fs::read_dir(tmp.path().join(CACHE_DIR).join("pdf"))
                .unwrap()
                .count(),
            2
        );
    }
}
