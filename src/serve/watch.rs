//! Watching the site's files and rebuilding when they change.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::{Change, Problem, Shared, fast_build, full_build};
use crate::render::Output;

/// How long the debouncer waits after the last event: long enough to see an editor's
/// write-then-rename as one save, short enough not to be noticed.
const SETTLE: Duration = Duration::from_millis(25);

/// The folders of a site that feed the build (besides site.yaml).
const FOLDERS: [&str; 4] = ["content", "themes", "templates", "static"];

type FileWatcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

pub(crate) struct Watcher {
    _debouncer: Arc<std::sync::Mutex<FileWatcher>>,
}

impl Watcher {
    pub fn start(shared: Arc<Shared>) -> anyhow::Result<Watcher> {
        let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
        let mut debouncer = new_debouncer(SETTLE, None, tx)?;
        let root = shared.options.root.clone();
        for folder in FOLDERS {
            let dir = root.join(folder);
            if dir.is_dir() {
                debouncer.watch(&dir, RecursiveMode::Recursive)?;
            }
        }
        // site.yaml, and folders created later: watch the site's folder itself, not
        // recursively, so saves by rename are seen.
        debouncer.watch(&root, RecursiveMode::NonRecursive)?;
        let debouncer = Arc::new(std::sync::Mutex::new(debouncer));
        let watching = debouncer.clone();
        std::thread::Builder::new()
            .name("folio-watch".into())
            .spawn(move || {
                // Blocks while nothing changes: no polling, no CPU when idle.
                while let Ok(first) = rx.recv() {
                    let mut paths = relevant(&root, first);
                    while let Ok(more) = rx.try_recv() {
                        paths.extend(relevant(&root, more));
                    }
                    if paths.is_empty() {
                        continue;
                    }
                    paths.sort();
                    paths.dedup();
                    for path in &paths {
                        let new_folder = path.parent() == Some(root.as_path())
                            && FOLDERS.iter().any(|f| path.ends_with(f))
                            && path.is_dir();
                        if new_folder && let Ok(mut d) = watching.lock() {
                            let _ = d.watch(path, RecursiveMode::Recursive);
                        }
                    }
                    rebuild(&shared, &paths);
                }
            })?;
        Ok(Watcher {
            _debouncer: debouncer,
        })
    }
}

/// The changed paths that can change the site: not the output, caches, hidden files,
/// editors' backups and swap files.
fn relevant(root: &Path, result: DebounceEventResult) -> Vec<PathBuf> {
    let Ok(events) = result else {
        return Vec::new();
    };
    events
        .into_iter()
        // Reading a file (as every build does) is not a change.
        .filter(|e| !matches!(e.event.kind, notify::EventKind::Access(_)))
        .flat_map(|e| e.event.paths)
        .filter(|path| counts(root, path))
        .collect()
}

pub(crate) fn counts(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = relative.components();
    let Some(Component::Normal(first)) = parts.next() else {
        return false;
    };
    let first = first.to_string_lossy();
    let top_level_file = relative.components().count() == 1;
    if top_level_file {
        return first == crate::config::FILE_NAME || FOLDERS.contains(&first.as_ref());
    }
    if !FOLDERS.contains(&first.as_ref()) {
        return false;
    }
    let hidden = relative
        .components()
        .any(|c| matches!(c, Component::Normal(n) if n.to_string_lossy().starts_with('.')));
    let name = relative
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let scratch = name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with('#')
        || name == "4913";
    !hidden && !scratch
}

/// Rebuilds the site and tells the browser. `changed` is empty for the first build.
pub(crate) fn rebuild(shared: &Arc<Shared>, changed: &[PathBuf]) {
    let started = Instant::now();
    let options = &shared.options;
    let known = {
        let current = shared.current.read().unwrap_or_else(|e| e.into_inner());
        current.pdfs.clone()
    };
    match fast_build(options, known) {
        Ok(built) => {
            let warnings = built.warnings.len();
            let (files, recovered, version) = {
                let mut current = shared.current.write().unwrap_or_else(|e| e.into_inner());
                let mut output = built.output;
                carry_over(&current.output, &mut output);
                let files = changed_files(&current.output, &output);
                let recovered = !current.problems.is_empty();
                current.output = Arc::new(output);
                current.problems.clear();
                current.version += 1;
                (files, recovered, current.version)
            };
            if recovered {
                let _ = shared.changes.send(Change::Ok);
            }
            if !changed.is_empty() {
                let css_only = changed
                    .iter()
                    .all(|p| p.extension().is_some_and(|e| e == "css"));
                let _ = shared.changes.send(Change::Reload {
                    css_only,
                    changed: files,
                });
                if options.verbose {
                    println!(
                        "Rebuilt in {} ms: {files} file{} changed{}.",
                        started.elapsed().as_millis(),
                        if files == 1 { "" } else { "s" },
                        if warnings > 0 {
                            format!(
                                ", {warnings} warning{}",
                                if warnings == 1 { "" } else { "s" }
                            )
                        } else {
                            String::new()
                        }
                    );
                }
            }
            update_in_background(shared.clone(), version);
        }
        Err(failure) => {
            // The overlay shows what stopped the build; warnings stay in the terminal.
            let problems: Vec<Problem> = failure
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(Problem::of)
                .collect();
            {
                let mut current = shared.current.write().unwrap_or_else(|e| e.into_inner());
                current.problems = problems.clone();
            }
            let _ = shared.changes.send(Change::Errors { problems });
            if options.verbose {
                crate::report::print_diagnostics(&options.root, &failure.diagnostics);
                eprintln!("The site did not rebuild; the browser shows the last good version.");
            }
        }
    }
}

/// Brings the PDFs and the search index up to date after a quick build, then swaps the
/// result in quietly, unless a newer build has happened meanwhile.
fn update_in_background(shared: Arc<Shared>, version: u64) {
    let _ = std::thread::Builder::new()
        .name("folio-full-build".into())
        .spawn(move || {
            let started = Instant::now();
            let built = full_build(&shared.options);
            // A long-running server must not keep every document Typst has seen.
            typst::comemo::evict(10);
            let Ok(built) = built else {
                // The quick build of the next save reports the problem, like any other.
                return;
            };
            let mut current = shared.current.write().unwrap_or_else(|e| e.into_inner());
            if current.version == version {
                current.output = Arc::new(built.output);
                current.pdfs = built.pdf_infos;
                if shared.options.verbose {
                    println!(
                        "PDFs and search index updated in {:.1} s.",
                        started.elapsed().as_secs_f64()
                    );
                }
            }
        });
}

/// The PDFs and search index of the last full build, kept in a quick build's output.
fn carry_over(old: &Output, new: &mut Output) {
    for (path, file) in &old.files {
        let search = path.starts_with(crate::search::INDEX_DIR);
        let pdf = path.extension().is_some_and(|e| e == "pdf");
        if (search || pdf) && !new.files.contains_key(path) {
            new.files.insert(path.clone(), file.clone());
        }
    }
}

/// How many files differ between two builds (added, changed or removed).
fn changed_files(old: &Output, new: &Output) -> usize {
    let changed = new
        .files
        .iter()
        .filter(|(path, file)| old.files.get(*path) != Some(file))
        .count();
    let removed = old
        .files
        .keys()
        .filter(|path| !new.files.contains_key(*path))
        .count();
    changed + removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_files_count() {
        let root = Path::new("/site");
        for yes in [
            "/site/site.yaml",
            "/site/content/a.md",
            "/site/themes/default/static/css/folio.css",
            "/site/templates/page.html",
            "/site/static/logo.svg",
            "/site/templates",
        ] {
            assert!(counts(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/.folio/cache/pdf/x.pdf",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/4913",
            "/site/content/#a.md#",
            "/site/README.md",
            "/site/target/debug/folio",
            "/elsewhere/content/a.md",
        ] {
            assert!(!counts(root, Path::new(no)), "{no}");
        }
    }
}
