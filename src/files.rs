//! The built site as a set of files in memory, what it offers for download, and writing it
//! out so that the published folder is replaced whole or not at all.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::PageId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum File {
    /// Shared, so that the dev server can keep one build and publish copies of it cheaply.
    Bytes(Arc<[u8]>),
    /// A file copied as it is from this path.
    Copy(PathBuf),
    /// A file built into folio (the default theme's).
    Static(&'static [u8]),
}

/// The files of a site (or of one output), by their path in the output folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Files {
    /// Path relative to the output folder -> contents. Later additions win.
    pub files: BTreeMap<PathBuf, File>,
}

/// A file a booklet offers for download (a PDF, say), as its web pages describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// The kind of file, as readers know it: "PDF".
    pub format: &'static str,
    /// The booklet's title.
    pub title: String,
    /// Its site path, next to the booklet's pages: `/schools/schools.pdf`.
    pub url: String,
    pub bytes: usize,
    /// How many pages it has.
    pub pages: usize,
}

/// What each booklet offers for download, by the booklet's page.
pub type Downloads = BTreeMap<PageId, Vec<Download>>;

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

    /// Writes every file into a fresh folder beside `target`, then swaps it into place.
    /// If anything fails, `target` is left exactly as it was.
    pub fn write_to(&self, target: &Path) -> io::Result<()> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(&parent)?;
        self.write_files(staging.path())?;
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = target.exists();
        if had_old {
            std::fs::rename(target, &old)?;
        }
        let staged = staging.keep();
        if let Err(e) = std::fs::rename(&staged, target) {
            if had_old {
                let _ = std::fs::rename(&old, target);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e);
        }
        if had_old {
            remove_tree(&old)?;
        }
        Ok(())
    }

    fn write_files(&self, dir: &Path) -> io::Result<()> {
        let mut folders: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        folders.sort();
        folders.dedup();
        for folder in folders {
            std::fs::create_dir_all(dir.join(folder))?;
        }
        self.files
            .par_iter()
            .try_for_each(|(path, file)| match file {
                File::Bytes(bytes) => std::fs::write(dir.join(path), &bytes[..]),
                File::Copy(source) => std::fs::copy(source, dir.join(path)).map(|_| ()),
                File::Static(bytes) => std::fs::write(dir.join(path), bytes),
            })
    }
}

/// Removes a folder and everything in it, the files on every core: deleting the last
/// build of a large site one file at a time took longer than writing the new one.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let mut files = Vec::new();
    let mut folders: Vec<(usize, PathBuf)> = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_dir() {
            folders.push((entry.depth(), entry.into_path()));
        } else {
            files.push(entry.into_path());
        }
    }
    files.par_iter().try_for_each(std::fs::remove_file)?;
    // Then the empty folders, deepest first, each depth on every core: a page per folder
    // makes as many folders as files.
    folders.sort_by_key(|f| std::cmp::Reverse(f.0));
    for depth in folders.chunk_by(|a, b| a.0 == b.0) {
        depth
            .par_iter()
            .try_for_each(|(_, folder)| std::fs::remove_dir(folder))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writing_replaces_the_folder_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        std::fs::create_dir_all(target.join("stale")).unwrap();
        std::fs::write(target.join("stale/index.html"), "old").unwrap();
        let mut out = Files::default();
        out.add("a/index.html".into(), b"new".to_vec());
        out.write_to(&target).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("a/index.html")).unwrap(),
            "new"
        );
        assert!(!target.join("stale").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders are left behind");
    }
}
