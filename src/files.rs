//! The built site as a set of files in memory, and what it offers for download. Writing it
//! is in `write`.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Format;
use crate::content::PageId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum File {
    /// Shared, so that the dev server can keep one build and publish copies of it cheaply.
    Bytes(Arc<[u8]>),
    /// A file copied as it is from this path.
    Copy(PathBuf),
    /// A file built into folio (the default theme's).
    Static(&'static [u8]),
    /// A file handed to the output folder's writer as soon as it was made, so that its bytes
    /// need not be kept: staged to replace the last build's, or found unchanged there.
    Written { hash: u128, size: u64, staged: bool },
    /// A file made and let go: `folio check` reports on what it found, it keeps no file.
    Discarded { size: u64 },
}

/// The files of a site (or of one output), by their path in the output folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Files {
    /// Path relative to the output folder -> contents. Later additions win. Hashed, not
    /// ordered: every file of a build is inserted and looked up, and ordering paths
    /// compares them component by component.
    pub files: HashMap<PathBuf, File>,
}

/// A file a booklet offers for download (a PDF, say), as its web pages describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub format: Format,
    /// The booklet's title.
    pub title: String,
    /// Its site path, next to the booklet's pages: `/schools/schools.pdf`.
    pub url: String,
    pub bytes: usize,
    /// How many pages it has; none for a reflowable format (EPUB).
    pub pages: Option<usize>,
}

/// What each booklet offers for download, by the booklet's page, in the order of the
/// outputs that made them.
pub type Downloads = BTreeMap<PageId, Vec<Download>>;

/// Adds downloads to those made so far: each booklet's list grows, in the order of the
/// outputs, rather than being replaced by the last output's.
pub fn add_downloads(all: &mut Downloads, more: Downloads) {
    for (booklet, downloads) in more {
        all.entry(booklet).or_default().extend(downloads);
    }
}

impl Files {
    pub fn add(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.files.insert(path, File::Bytes(bytes.into()));
    }

    pub fn copy(&mut self, path: PathBuf, source: PathBuf) {
        self.files.insert(path, File::Copy(source));
    }

    pub fn add_static(&mut self, path: PathBuf, bytes: &'static [u8]) {
        self.files.insert(path, File::Static(bytes));
    }

    /// Adds every file of `other`, which win over files of the same path.
    pub fn extend(&mut self, other: Files) {
        self.files.extend(other.files);
    }

    pub fn get(&self, path: &Path) -> Option<&File> {
        self.files.get(path)
    }

    /// Reads a file's bytes, from memory or from its source.
    pub fn read(&self, path: &Path) -> Option<io::Result<Vec<u8>>> {
        self.files.get(path).map(|f| match f {
            File::Bytes(b) => Ok(b.to_vec()),
            File::Copy(source) => std::fs::read(source),
            File::Static(b) => Ok(b.to_vec()),
            File::Written { .. } => Err(io::Error::other("the file is in the output folder")),
            File::Discarded { .. } => Err(io::Error::other("a check keeps no files")),
        })
    }

    /// How many files differ between two sets (added, changed or removed).
    pub fn changes(&self, newer: &Files) -> usize {
        let changed = newer
            .files
            .iter()
            .filter(|(path, file)| self.files.get(*path) != Some(file))
            .count();
        let removed = self
            .files
            .keys()
            .filter(|path| !newer.files.contains_key(*path))
            .count();
        changed + removed
    }
}
