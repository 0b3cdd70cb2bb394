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
