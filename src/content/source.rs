//! A page's file as a build knows it. A file unchanged since the last build (by its size,
//! times, inode and device, as the file system reports them) is not read: its front matter
//! comes from the last build's record, and its whole text is read only if a step asks for it
//! (a page whose parts must be made again, an output whose cache missed). On a large site
//! most of an unchanged rebuild's loading was reading files that nothing then looked at.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::cache::Records;

/// What the file system says of a file, enough to tell that it has not changed: an edit
/// changes its status-change time, which no tool can set back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    size: u64,
    modified_ns: i128,
    changed_ns: i128,
    inode: u64,
    device: u64,
}

impl Stat {
    /// The file's status; `None` where the system does not give all of it.
    pub fn of(meta: &std::fs::Metadata) -> Option<Stat> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
            Some(Stat {
                size: meta.size(),
                modified_ns: ns(meta.mtime(), meta.mtime_nsec()),
                changed_ns: ns(meta.ctime(), meta.ctime_nsec()),
                inode: meta.ino(),
                device: meta.dev(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }

    /// Whether the file was last changed well before `read_at`. A file changed just before
    /// it was read could change again within the same tick of the file system's clock,
    /// and keep these very times: such a file is read again next time.
    fn settled_before(&self, read_at_ns: i128) -> bool {
        const SETTLED_NS: i128 = 2_000_000_000;
        self.modified_ns.max(self.changed_ns) + SETTLED_NS < read_at_ns
    }
}

/// The record of a file kept for the next build: its status, a hash of its text, and its
/// front matter.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceRecord {
    stat: Stat,
    hash: u128,
    front: String,
}

/// The records of a build's files, by their path relative to the site's folder.
pub type SourceRecords = Records<SourceRecord>;

/// The name of the sources' records in the cache.
pub const SOURCE_RECORDS: &str = "sources";

/// A page's file: the front matter always, the whole text once read.
#[derive(Debug, Clone)]
pub struct Source {
    /// The whole file, when it has been read.
    whole: OnceLock<String>,
    /// The front matter (with its `---` lines), when the whole file has not been read.
    front: String,
    /// Where the file is, to read it when asked; empty for a page folio makes.
    path: PathBuf,
    /// The file, relative to the site's folder, as problems name it.
    file: PathBuf,
    /// The file's status when it was read or trusted.
    stat: Option<Stat>,
    /// Not read when the site loaded: unchanged since the last build.
    trusted: bool,
    hash: u128,
}

/// The text of a file changed while the build was using it (raised as a panic's payload
/// from deep inside a step, and reported as an error of the site, not of folio).
#[derive(Debug, Clone)]
pub struct ChangedDuringBuild(pub PathBuf);

impl Source {
    /// A file's text as read from `path` (`file` in the site); `stat` its status before it
    /// was read.
    pub fn read(text: String, path: PathBuf, file: PathBuf, stat: Option<Stat>) -> Source {
        let hash = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
        let whole = OnceLock::new();
        let _ = whole.set(text);
        Source {
            whole,
            front: String::new(),
            path,
            file,
            stat,
            trusted: false,
            hash,
        }
    }

    /// The text of a page no file makes: none.
    pub fn none() -> Source {
        Source::read(String::new(), PathBuf::new(), PathBuf::new(), None)
    }

    /// The file at `path` if `known` says it is unchanged since the last build: its front
    /// matter as recorded, its text not read.
    pub fn trusted(
        known: &SourceRecords,
        file: &Path,
        path: &Path,
        meta: &std::fs::Metadata,
    ) -> Option<Source> {
        let stat = Stat::of(meta)?;
        let record = known.pages.get(file.to_str()?)?;
        (record.stat == stat).then(|| Source {
            whole: OnceLock::new(),
            front: record.front.clone(),
            path: path.to_path_buf(),
            file: file.to_path_buf(),
            stat: Some(stat),
            trusted: true,
            hash: record.hash,
        })
    }

    /// The front matter kept in the file's record, for a trusted file before its text is read.
    pub fn recorded_front(&self) -> &str {
        &self.front
    }

    /// The text up to `end` (the front matter's), without reading the file.
    pub fn front(&self, end: usize) -> &str {
        match self.whole.get() {
            Some(whole) => &whole[..end.min(whole.len())],
            None => &self.front,
        }
    }

    /// The whole text, read from the file the first time it is asked for when the file was
    /// trusted. A file that changed since it was trusted stops the build: its front matter
    /// and its body would no longer belong together.
    pub fn whole(&self) -> &str {
        self.whole.get_or_init(|| {
            // No more than the file held: a file swapped for a huge one is not read whole.
            let most = self
                .stat
                .map_or(0, |s| usize::try_from(s.size).unwrap_or(0));
            let text = match super::read_at_most(&self.path, most) {
                Ok(super::Read::Bytes(bytes, _)) => Some(bytes),
                Ok(super::Read::TooLarge(_)) | Err(_) => None,
            };
            let text = text
                .filter(|bytes| xxhash_rust::xxh3::xxh3_128(bytes) == self.hash)
                .and_then(|bytes| String::from_utf8(bytes).ok());
            match text {
                Some(text) => text,
                None => std::panic::panic_any(ChangedDuringBuild(self.file.clone())),
            }
        })
    }

    /// Whether the file was read when the site loaded (not trusted as unchanged).
    pub fn was_read(&self) -> bool {
        self.stat.is_some() && !self.trusted
    }

    /// A hash of the whole text, known without reading a trusted file.
    pub fn hash(&self) -> u128 {
        self.hash
    }

    /// This file's record for the next build, when it changed well before `read_at_ns`.
    fn record(&self, read_at_ns: i128, end: usize) -> Option<SourceRecord> {
        let stat = self.stat.filter(|s| s.settled_before(read_at_ns))?;
        Some(SourceRecord {
            stat,
            hash: self.hash,
            front: self.front(end).to_string(),
        })
    }
}

/// The time now, in nanoseconds since 1970, as file times are kept.
pub fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

impl super::Site {
    /// Whether `known` no longer describes this site's files: a file was read (it changed,
    /// or was not known), or a known one is gone.
    pub fn sources_changed(&self, known: &SourceRecords) -> bool {
        let mut trusted = 0;
        for (_, page) in self.pages.iter() {
            if page.source.was_read() {
                return true;
            }
            trusted += usize::from(page.source.stat.is_some());
        }
        trusted != known.pages.len()
    }

    /// The records of this site's pages' files for the next build: those last changed well
    /// before the build began reading them.
    pub fn source_records(&self) -> SourceRecords {
        Records::new(
            self.pages
                .iter()
                .filter_map(|(_, page)| {
                    let record = page.source.record(self.read_at_ns, page.body_offset)?;
                    Some((page.file.to_str()?.to_string(), record))
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file trusted as unchanged whose text then changes, before a step reads it, stops
    /// the build with an error of the site that names the file; unchanged, it reads whole.
    #[test]
    fn a_trusted_file_is_read_when_asked_and_one_changed_meanwhile_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.md");
        let text = "---\ntitle: A\n---\nBody.\n";
        std::fs::write(&path, text).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let body = text.find("Body").unwrap();
        let file = Path::new("content/page.md");
        let read = Source::read(text.into(), path.clone(), file.into(), Stat::of(&meta));
        let known = Records::new(
            [(
                file.to_str().unwrap().to_string(),
                read.record(i128::MAX, body).unwrap(),
            )]
            .into(),
        );
        let trusted = Source::trusted(&known, file, &path, &meta).unwrap();
        assert!(!trusted.was_read());
        assert_eq!(trusted.front(body), "---\ntitle: A\n---\n");
        assert_eq!(trusted.clone().whole(), text);

        std::fs::write(&path, "---\ntitle: B\n---\nBody.\n").unwrap();
        let caught = crate::guard::catch(|| trusted.whole().len()).unwrap_err();
        assert!(!caught.internal);
        assert_eq!(caught.diagnostic.file, file);
        assert!(
            caught
                .diagnostic
                .message
                .contains("changed while folio was building")
        );
        // The status now differs: the file is not trusted again.
        let meta = std::fs::metadata(&path).unwrap();
        assert!(Source::trusted(&known, file, &path, &meta).is_none());
    }
}
