//! Writing a build into its output folder without rewriting what did not change, and without
//! ever leaving a site that no run can finish.
//!
//! The folder keeps a manifest of the files folio wrote (`.folio-manifest`: each file's path,
//! the hash of its bytes and its size; the same for the same site on any machine). A build
//! compares its files with the manifest, and the sizes of the files on disk, and writes only
//! the new and changed ones, into a staging folder inside the
//! output folder, laid out as the site. Then it writes a journal (`.folio-journal`): which
//! staged files and folders move to their places, which old files go, and the new manifest.
//! It carries the journal out, writes the manifest and removes the journal.
//!
//! A run killed before the journal is written has changed nothing: the next run removes the
//! staging folder (a roll back). A run killed after it has left a journal: the next run
//! carries it out (a roll forward). Either way the folder ends as one complete site, and no
//! staging folder or journal is left behind.

use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::files::{File, Files};

/// The manifest of the files folio wrote into an output folder.
pub const MANIFEST: &str = ".folio-manifest";
const JOURNAL: &str = ".folio-journal";
const STAGING: &str = ".folio-staging-";
/// The start of the name of a file being written whole (the journal, the manifest) before
/// it takes its name: a run killed mid-write leaves one, which the next run removes.
const PARTIAL: &str = ".folio-partial-";

/// What a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Files written because they are new or changed.
    pub written: usize,
    /// Files left as they were, because their bytes did not change.
    pub unchanged: usize,
    /// Files of the last build that this one does not have, removed.
    pub removed: usize,
}

/// Why an output folder was not written to.
#[derive(Debug)]
pub enum WriteError {
    /// The folder is not one folio should write into; nothing was touched.
    Refused {
        message: String,
        hint: String,
    },
    Io(io::Error),
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// One file as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    hash: u128,
    size: u64,
}

/// Looked up once for every file of every build: hashed, since ordering paths compares
/// them component by component. Written out in order.
type Manifest = HashMap<PathBuf, Entry>;

/// What is left to do to finish a write.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    /// The staging folder's name inside the output folder.
    staging: String,
    /// Paths (relative, the same inside staging and output) to move into place: a file, or
    /// a whole folder the output does not have yet.
    moves: Vec<PathBuf>,
    /// Files of the last build to remove.
    removals: Vec<PathBuf>,
    /// The manifest once it is done (times filled in after the moves).
    manifest: Manifest,
}

/// The site's own folders, which an output folder must never be or be inside.
const SOURCES: [&str; 5] = ["content", "themes", "templates", "static", ".folio"];

/// Refuses an output folder that would overwrite or delete the site's sources: the site's
/// folder itself, a folder that holds it, or a folder inside its content, themes, templates,
/// static files or cache. Nothing is touched.
pub fn check_target(root: &Path, target: &Path) -> Result<(), WriteError> {
    let root = std::fs::canonicalize(root)?;
    let target = resolved(target)?;
    let refuse = |why: String| {
        WriteError::Refused {
        message: format!("the output folder {} {why}", target.display()),
        hint: "write the site somewhere else, such as public/ in the site's folder (the default) or a folder outside it".into(),
    }
    };
    if root.starts_with(&target) {
        return Err(refuse(if root == target {
            "is the site's own folder: writing there would remove its files".into()
        } else {
            format!(
                "holds the site's folder {}: writing there would remove its files",
                root.display()
            )
        }));
    }
    for source in SOURCES {
        if target.starts_with(root.join(source)) {
            return Err(refuse(format!("is inside the site's {source}/ folder")));
        }
    }
    Ok(())
}

/// A path with its symbolic links and `..` resolved, whether it exists or not: the nearest
/// folder that exists, resolved, and the rest after it.
fn resolved(path: &Path) -> io::Result<PathBuf> {
    let mut absolute = PathBuf::new();
    for part in std::path::absolute(path)?.components() {
        match part {
            std::path::Component::ParentDir => {
                absolute.pop();
            }
            std::path::Component::CurDir => {}
            other => absolute.push(other),
        }
    }
    let mut existing = absolute.as_path();
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    loop {
        match std::fs::canonicalize(existing) {
            Ok(real) => {
                let mut full = real;
                for part in rest.iter().rev() {
                    if *part == ".." {
                        full.pop();
                    } else if *part != "." {
                        full.push(part);
                    }
                }
                return Ok(full);
            }
            Err(_) => {
                let Some(name) = existing.file_name() else {
                    return Ok(absolute);
                };
                rest.push(name);
                existing = existing.parent().unwrap_or(Path::new("/"));
            }
        }
    }
}

/// Writes `files` into `target`: finishes or rolls back a write a killed run left, refuses a
/// folder that folio did not make unless `force`, then writes what changed.
pub fn write(files: &Files, target: &Path, force: bool) -> Result<Written, WriteError> {
    Writer::open(target, force)?.finish(files)
}

/// Carries out a journal, then writes its manifest and removes it.
fn commit(target: &Path, journal: &Journal) -> io::Result<()> {
    finish(target, journal)?;
    write_manifest(target, &journal.manifest)?;
    std::fs::remove_file(target.join(JOURNAL))
}

/// A write under way: opened before the build makes its files, so that each file can be
/// staged as soon as it is made ([`Writer::put`]) rather than held in memory, and finished
/// once the build has succeeded. Dropped unfinished (a failed build), it removes what it
/// staged: the output folder is as it was.
pub struct Writer {
    target: PathBuf,
    /// Whether the output folder was there before: if not, a failed build removes it again.
    existed: bool,
    /// The manifest of the last build.
    old: Manifest,
    staging_name: String,
    /// Set once the journal is written: from then on the staged files belong to it.
    journaled: bool,
}

impl Writer {
    /// Finishes or rolls back what a killed run left, and refuses a folder folio did not
    /// make unless `force`. Nothing of the new site is written yet.
    pub fn open(target: &Path, force: bool) -> Result<Writer, WriteError> {
        recover(target)?;
        let old = match read_manifest(target)? {
            Some(manifest) => manifest,
            None if is_empty_or_missing(target)? => Manifest::new(),
            None if force => Manifest::new(),
            // Versions of folio before the manifest wrote a whole folder, always with these.
            None if target.join("sitemap.xml").is_file() && target.join("404.html").is_file() => {
                everything_in(target)
            }
            None => {
                return Err(WriteError::Refused {
                    message: format!(
                        "{} has files that folio did not write: building into it would mix them with the site",
                        target.display()
                    ),
                    hint: "build into a new or empty folder (`--output DIR`), or add --force to build into this one; its other files are kept".into(),
                });
            }
        };
        Ok(Writer {
            target: target.to_path_buf(),
            existed: target.exists(),
            old,
            staging_name: format!("{STAGING}{:016x}", rand_u64()),
            journaled: false,
        })
    }

    fn staging(&self) -> PathBuf {
        self.target.join(&self.staging_name)
    }

    /// Whether the last build wrote these bytes at `path`, and they are still there.
    pub fn unchanged(&self, path: &Path, hash: u128, size: u64) -> bool {
        self.old.get(path).is_some_and(|was| {
            was.hash == hash
                && was.size == size
                && size_on_disk(&self.target.join(path)) == Some(size)
        })
    }

    /// Takes one file of the new site as it is made: stages it when it is new or changed,
    /// and returns what the build keeps of it (its hash and size, not its bytes).
    pub fn put(&self, path: &Path, bytes: &[u8]) -> io::Result<File> {
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        let size = bytes.len() as u64;
        let staged = !self.unchanged(path, hash, size);
        if staged {
            let to = self.staging().join(path);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&to, bytes)?;
        }
        Ok(File::Written { hash, size, staged })
    }

    /// Writes the new site: stages what [`Writer::put`] has not, writes the journal, carries
    /// it out.
    pub fn finish(mut self, files: &Files) -> Result<Written, WriteError> {
        let (written, journal) = self.stage(files)?;
        if let Some(journal) = journal {
            commit(&self.target, &journal)?;
        }
        Ok(written)
    }

    /// Everything up to the point of no return: the new and changed files staged, and the
    /// journal that says what to do with them written. Until the journal is written the
    /// output folder is as it was; `None` when there is nothing to do.
    fn stage(&mut self, files: &Files) -> Result<(Written, Option<Journal>), WriteError> {
        let target = self.target.clone();
        std::fs::create_dir_all(&target)?;
        let old = &self.old;
        // What each file of the new site is, whether it differs from what is there, and
        // whether it is staged already.
        let fingerprints: Vec<(&PathBuf, Entry, bool, bool)> = files
            .files
            .par_iter()
            .map(|(path, file)| {
                if let File::Written { hash, size, staged } = *file {
                    return Ok((path, Entry { hash, size }, !staged, staged));
                }
                let bytes = bytes_of(file)?;
                let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
                let size = bytes.len() as u64;
                // A file changed or removed by hand since is written again.
                let same = self.unchanged(path, hash, size);
                Ok((path, Entry { hash, size }, same, false))
            })
            .collect::<io::Result<_>>()?;
        let changed: Vec<(&PathBuf, bool)> = fingerprints
            .iter()
            .filter(|(_, _, same, _)| !same)
            .map(|(p, _, _, staged)| (*p, *staged))
            .collect();
        let removals: Vec<PathBuf> = old
            .keys()
            .filter(|p| !files.files.contains_key(*p))
            .cloned()
            .collect();
        let written = Written {
            written: changed.len(),
            unchanged: fingerprints.len() - changed.len(),
            removed: removals.len(),
        };
        // Every file the same and none gone: the manifest would be the old one again.
        if changed.is_empty() && removals.is_empty() {
            return Ok((written, None));
        }
        let manifest: Manifest = fingerprints
            .iter()
            .map(|(p, entry, same, _)| {
                let entry = if *same {
                    old[*p].clone()
                } else {
                    entry.clone()
                };
                ((*p).clone(), entry)
            })
            .collect();

        // Stage the new and changed files not staged yet, laid out as the site.
        let staging = self.staging();
        let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
        for (path, staged) in &changed {
            if let Some(parent) = path.parent().filter(|_| !staged) {
                folders.insert(staging.join(parent));
            }
        }
        std::fs::create_dir_all(&staging)?;
        for folder in &folders {
            std::fs::create_dir_all(folder)?;
        }
        changed
            .par_iter()
            .filter(|(_, staged)| !staged)
            .try_for_each(|(path, _)| {
                let file = &files.files[*path];
                match file {
                    File::Bytes(bytes) => std::fs::write(staging.join(path), &bytes[..]),
                    File::Static(bytes) => std::fs::write(staging.join(path), bytes),
                    File::Copy(source) => std::fs::copy(source, staging.join(path)).map(|_| ()),
                    File::Written { .. } => Ok(()),
                    File::Discarded { .. } => {
                        Err(io::Error::other("a check's files cannot be written"))
                    }
                }
            })?;

        // A folder the output does not have moves whole; otherwise each file.
        let mut moves: Vec<PathBuf> = Vec::new();
        let mut whole: BTreeSet<PathBuf> = BTreeSet::new();
        for (path, _) in &changed {
            let new_folder = path
                .ancestors()
                .skip(1)
                .filter(|a| !a.as_os_str().is_empty())
                .filter(|a| !target.join(a).exists())
                .last()
                .map(Path::to_path_buf);
            match new_folder {
                Some(folder) => {
                    if whole.insert(folder.clone()) {
                        moves.push(folder);
                    }
                }
                None => moves.push((*path).clone()),
            }
        }
        let journal = Journal {
            staging: self.staging_name.clone(),
            moves,
            removals,
            manifest,
        };
        self.journaled = true;
        write_atomically(
            &target.join(JOURNAL),
            &serde_json::to_vec(&journal).map_err(io::Error::other)?,
        )?;
        Ok((written, Some(journal)))
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Unfinished: nothing staged may stay. Once journaled, the journal owns the staging
        // folder, and the next run finishes it if this one could not.
        if !self.journaled {
            let _ = std::fs::remove_dir_all(self.staging());
            if !self.existed {
                // Only if empty: a folder made meanwhile by someone else keeps its files.
                let _ = std::fs::remove_dir(&self.target);
            }
        }
    }
}

/// Carries out a journal: the moves whose staged files are still there, the removals, then
/// the staging folder goes.
fn finish(target: &Path, journal: &Journal) -> io::Result<()> {
    let staging = target.join(&journal.staging);
    // Folders first, so that the files inside a folder that moves whole are not looked for.
    let mut parents: BTreeSet<PathBuf> = BTreeSet::new();
    for path in &journal.moves {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            parents.insert(target.join(parent));
        }
    }
    for parent in &parents {
        std::fs::create_dir_all(parent)?;
    }
    journal.moves.par_iter().try_for_each(|path| {
        let from = staging.join(path);
        if !from.exists() {
            // Moved already, by the run that was killed.
            return Ok(());
        }
        let to = target.join(path);
        if to.is_dir() && from.is_file() {
            std::fs::remove_dir_all(&to)?;
        }
        std::fs::rename(&from, &to)
    })?;
    let mut emptied: BTreeSet<PathBuf> = BTreeSet::new();
    for path in &journal.removals {
        match std::fs::remove_file(target.join(path)) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        for ancestor in path
            .ancestors()
            .skip(1)
            .filter(|a| !a.as_os_str().is_empty())
        {
            emptied.insert(ancestor.to_path_buf());
        }
    }
    // Folders that the removals left empty, deepest first.
    let mut emptied: Vec<PathBuf> = emptied.into_iter().collect();
    emptied.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    for folder in emptied {
        let _ = std::fs::remove_dir(target.join(folder));
    }
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    Ok(())
}

/// Finishes a write a killed run left (its journal), or rolls back one that had not got as
/// far (its staging folder); also removes what older versions of folio left beside the
/// output folder when killed (`.public.old-*`, `.public.new-*`).
pub fn recover(target: &Path) -> io::Result<()> {
    if let Some(parent) = target.parent().filter(|p| p.is_dir())
        && let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned())
    {
        for entry in std::fs::read_dir(parent)?.flatten() {
            let other = entry.file_name().to_string_lossy().into_owned();
            if other.starts_with(&format!(".{name}.old-"))
                || other.starts_with(&format!(".{name}.new-"))
            {
                remove_any(&entry.path())?;
            }
        }
    }
    if !target.is_dir() {
        return Ok(());
    }
    let journal_path = target.join(JOURNAL);
    if let Ok(bytes) = std::fs::read(&journal_path) {
        match serde_json::from_slice::<Journal>(&bytes) {
            Ok(journal) => commit(target, &journal)?,
            // A journal cut short was never acted on: nothing moved yet.
            Err(_) => std::fs::remove_file(&journal_path)?,
        }
    }
    for entry in std::fs::read_dir(target)?.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(STAGING) || name.starts_with(PARTIAL) {
            remove_any(&entry.path())?;
        }
    }
    Ok(())
}

/// A manifest of every file under `target` whose bytes are unknown (so each is written again
/// or removed).
fn everything_in(target: &Path) -> Manifest {
    walkdir::WalkDir::new(target)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let path = e.path().strip_prefix(target).ok()?.to_path_buf();
            let size = size_on_disk(e.path())?;
            Some((path, Entry { hash: 0, size }))
        })
        .collect()
}

fn remove_any(path: &Path) -> io::Result<()> {
    if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    }
}

fn bytes_of(file: &File) -> io::Result<std::borrow::Cow<'_, [u8]>> {
    Ok(match file {
        File::Bytes(bytes) => std::borrow::Cow::Borrowed(&bytes[..]),
        File::Static(bytes) => std::borrow::Cow::Borrowed(*bytes),
        File::Copy(source) => std::borrow::Cow::Owned(std::fs::read(source)?),
        File::Written { .. } => return Err(io::Error::other("the file is written already")),
        File::Discarded { .. } => return Err(io::Error::other("a check keeps no files")),
    })
}

/// A file's size, if it is there.
fn size_on_disk(path: &Path) -> Option<u64> {
    let meta = std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_file())?;
    Some(meta.len())
}

fn is_empty_or_missing(target: &Path) -> io::Result<bool> {
    match std::fs::read_dir(target) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
    }
}

/// The manifest of an output folder: `None` when folio did not write the folder.
fn read_manifest(target: &Path) -> io::Result<Option<Manifest>> {
    let text = match std::fs::read_to_string(target.join(MANIFEST)) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut manifest = Manifest::new();
    for line in text.lines() {
        let mut fields = line.splitn(3, '\t');
        let (Some(hash), Some(size), Some(path)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let (Ok(hash), Ok(size)) = (u128::from_str_radix(hash, 16), size.parse()) else {
            continue;
        };
        manifest.insert(PathBuf::from(path), Entry { hash, size });
    }
    Ok(Some(manifest))
}

fn write_manifest(target: &Path, manifest: &Manifest) -> io::Result<()> {
    let mut text = String::with_capacity(manifest.len() * 80);
    text.push_str("# The files folio wrote here: hash, size, path. Do not edit.\n");
    let mut entries: Vec<(&PathBuf, &Entry)> = manifest.iter().collect();
    entries.sort_unstable_by(|a, b| {
        a.0.as_os_str()
            .as_encoded_bytes()
            .cmp(b.0.as_os_str().as_encoded_bytes())
    });
    for (path, entry) in entries {
        text.push_str(&format!(
            "{:032x}\t{}\t{}\n",
            entry.hash,
            entry.size,
            path.to_string_lossy()
        ));
    }
    let path = target.join(MANIFEST);
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    write_atomically(&path, text.as_bytes())
}

/// Writes a file under another name beside it, then renames it into place.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::Builder::new().prefix(PARTIAL).tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A number for a staging folder's name, different in every run.
fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u32(std::process::id());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Files {
        let mut files = Files::default();
        for (path, text) in pairs {
            files.add(PathBuf::from(path), text.as_bytes().to_vec());
        }
        files
    }

    #[test]
    fn only_changed_files_are_written_and_stale_ones_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let first = write(
            &files(&[
                ("index.html", "home"),
                ("a/index.html", "a"),
                ("b/index.html", "b"),
            ]),
            &target,
            false,
        )
        .unwrap();
        assert_eq!(first.written, 3);
        let second = write(
            &files(&[
                ("index.html", "home"),
                ("a/index.html", "a2"),
                ("c/x/index.html", "c"),
            ]),
            &target,
            false,
        )
        .unwrap();
        assert_eq!(
            second,
            Written {
                written: 2,
                unchanged: 1,
                removed: 1
            }
        );
        assert_eq!(
            std::fs::read_to_string(target.join("a/index.html")).unwrap(),
            "a2"
        );
        assert!(!target.join("b").exists(), "the emptied folder stays");
        let leftovers: Vec<_> = std::fs::read_dir(&target)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".folio-") && n != MANIFEST)
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn outputs_that_would_harm_the_sources_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content/_data")).unwrap();
        for bad in [
            root.clone(),
            tmp.path().to_path_buf(),
            root.join("content"),
            root.join("content/_data/out"),
            root.join("themes/x"),
            root.join("static"),
            root.join("public/../content"),
        ] {
            assert!(
                matches!(check_target(&root, &bad), Err(WriteError::Refused { .. })),
                "{} was not refused",
                bad.display()
            );
        }
        for good in [root.join("public"), tmp.path().join("elsewhere/public")] {
            assert!(check_target(&root, &good).is_ok(), "{}", good.display());
        }
    }

    /// A run killed at each point of a write: the next run ends with the new site whole.
    #[test]
    fn a_write_cut_short_anywhere_is_finished_or_rolled_back() {
        let old = files(&[
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("gone/index.html", "g"),
        ]);
        let new = files(&[
            ("index.html", "home 2"),
            ("a/index.html", "a2"),
            ("b/c/index.html", "c"),
        ]);
        let read = |target: &Path| -> Vec<(String, String)> {
            let mut all: Vec<(String, String)> = walkdir::WalkDir::new(target)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    let path = e
                        .path()
                        .strip_prefix(target)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    (path, std::fs::read_to_string(e.path()).unwrap())
                })
                .filter(|(p, _)| !p.starts_with(".folio"))
                .collect();
            all.sort();
            all
        };
        let fresh = |files: &Files| {
            let tmp = tempfile::tempdir().unwrap();
            write(files, &tmp.path().join("p"), false).unwrap();
            read(&tmp.path().join("p"))
        };
        let (want_old, want_new) = (fresh(&old), fresh(&new));
        // Killed after staging, before the journal: the old site, untouched.
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        write(&old, &target, false).unwrap();
        let mut writer = Writer::open(&target, false).unwrap();
        let (_, journal) = writer.stage(&new).unwrap();
        let journal = journal.unwrap();
        std::fs::remove_file(target.join(JOURNAL)).unwrap();
        assert_eq!(read(&target), want_old);
        recover(&target).unwrap();
        assert_eq!(
            read(&target),
            want_old,
            "a write without its journal was not rolled back"
        );
        // Killed with the journal written, after each number of its moves.
        for done in 0..=journal.moves.len() {
            let tmp = tempfile::tempdir().unwrap();
            let target = tmp.path().join("public");
            write(&old, &target, false).unwrap();
            let mut writer = Writer::open(&target, false).unwrap();
            let (_, journal) = writer.stage(&new).unwrap();
            let journal = journal.unwrap();
            let staging = target.join(&journal.staging);
            for path in &journal.moves[..done] {
                std::fs::create_dir_all(target.join(path).parent().unwrap()).unwrap();
                std::fs::rename(staging.join(path), target.join(path)).unwrap();
            }
            recover(&target).unwrap();
            assert_eq!(read(&target), want_new, "after {done} moves");
            assert!(!target.join(JOURNAL).exists());
            assert!(!staging.exists());
            // The next write finds nothing to do.
            assert_eq!(write(&new, &target, false).unwrap().written, 0);
        }
    }

    #[test]
    fn a_folder_folio_did_not_write_is_refused_unless_forced() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        let result = write(&files(&[("index.html", "home")]), tmp.path(), false);
        assert!(matches!(result, Err(WriteError::Refused { .. })));
        assert!(!tmp.path().join("index.html").exists());
        write(&files(&[("index.html", "home")]), tmp.path(), true).unwrap();
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
            "mine"
        );
    }
}
