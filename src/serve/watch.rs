//! Watching the site's files and rebuilding when they change.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::Ordering::SeqCst;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher as _};

use super::{Change, Problem, Shared, build_options};
use crate::build::Failure;
use crate::build::incremental::{Update, Workspace};
use crate::diagnostics::Diagnostic;

/// A save is over when no event has come for this long. An editor's write-then-rename,
/// truncate-then-write or delete-then-create comes as a burst well inside it, and it is too
/// short for anyone to notice.
const QUIET: Duration = Duration::from_millis(8);

/// However busy the files are, rebuild after this long.
const MOST: Duration = Duration::from_millis(250);

/// A rebuild that fails waits this long for more events before it shows its errors: the
/// rest of a save (the new file after a delete, a second file) may still be coming.
const GRACE: Duration = Duration::from_millis(150);

/// The folders of a site that feed the build (besides site.yaml).
const FOLDERS: [&str; 4] = ["content", "themes", "templates", "static"];

type Events = Receiver<notify::Result<notify::Event>>;

pub(crate) struct Watcher {
    _watcher: Arc<std::sync::Mutex<notify::RecommendedWatcher>>,
}

impl Watcher {
    pub fn start(shared: Arc<Shared>) -> anyhow::Result<Watcher> {
        let (tx, rx) = std::sync::mpsc::channel();
        // Never into a folder linked from elsewhere: only the site's own files are watched.
        let mut watcher = notify::RecommendedWatcher::new(
            move |event| {
                let _ = tx.send(event);
            },
            notify::Config::default().with_follow_symlinks(false),
        )?;
        let root = shared.options.root.clone();
        for folder in FOLDERS {
            let dir = root.join(folder);
            if dir.is_dir() {
                watcher.watch(&dir, RecursiveMode::Recursive)?;
            }
        }
        // site.yaml, and folders created later: watch the site's folder itself, not
        // recursively, so saves by rename are seen.
        watcher.watch(&root, RecursiveMode::NonRecursive)?;
        let watcher = Arc::new(std::sync::Mutex::new(watcher));
        let watching = watcher.clone();
        std::thread::Builder::new()
            .name("folio-watch".into())
            .spawn(move || {
                // Blocks while nothing changes: no polling, no CPU when idle.
                while let Ok(first) = rx.recv() {
                    let mut paths = relevant(&root, first);
                    if paths.is_empty() {
                        continue;
                    }
                    settle(&rx, &root, &mut paths, QUIET);
                    loop {
                        watch_new_folders(&root, &paths, &watching);
                        match update(&shared, &paths) {
                            Ok(()) => break,
                            Err(failure) => {
                                paths.clear();
                                if settle(&rx, &root, &mut paths, GRACE) {
                                    continue;
                                }
                                report(&shared, &failure);
                                break;
                            }
                        }
                    }
                }
            })?;
        Ok(Watcher { _watcher: watcher })
    }
}

/// Adds the changed paths of the events that follow until none has come for `quiet`
/// (or [`MOST`] has passed). Returns whether any came.
fn settle(rx: &Events, root: &Path, paths: &mut Vec<PathBuf>, quiet: Duration) -> bool {
    let started = Instant::now();
    let mut any = false;
    let mut last = Instant::now();
    while started.elapsed() < MOST {
        let wait = quiet.saturating_sub(last.elapsed());
        if wait.is_zero() {
            break;
        }
        match rx.recv_timeout(wait) {
            Ok(event) => {
                let more = relevant(root, event);
                if !more.is_empty() {
                    any = true;
                    last = Instant::now();
                    paths.extend(more);
                }
            }
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    paths.sort();
    paths.dedup();
    any
}

/// A content, theme or static folder made after the server started is watched too.
fn watch_new_folders(
    root: &Path,
    paths: &[PathBuf],
    watcher: &std::sync::Mutex<notify::RecommendedWatcher>,
) {
    for path in paths {
        let new_folder = path.parent() == Some(root)
            && FOLDERS.iter().any(|f| path.ends_with(f))
            && path.is_dir();
        if new_folder && let Ok(mut w) = watcher.lock() {
            let _ = w.watch(path, RecursiveMode::Recursive);
        }
    }
}

/// The changed paths that can change the site: not the output, caches, hidden files,
/// editors' backups and swap files.
fn relevant(root: &Path, event: notify::Result<notify::Event>) -> Vec<PathBuf> {
    let Ok(event) = event else {
        return Vec::new();
    };
    // Reading a file (as every build does) is not a change.
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return Vec::new();
    }
    event
        .paths
        .into_iter()
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

/// The first build, when the server starts: its errors are shown at once.
pub(crate) fn rebuild(shared: &Arc<Shared>, changed: &[PathBuf]) {
    if let Err(failure) = update(shared, changed) {
        report(shared, &failure);
    }
}

/// Brings the site up to date with the changed paths (all of it when nothing has built
/// yet), serves the result and tells the browser. A failure changes nothing that is served;
/// a fault of folio's own is a failure too, so the watcher lives on.
fn update(shared: &Arc<Shared>, changed: &[PathBuf]) -> Result<(), Failure> {
    crate::guard::catch(|| update_now(shared, changed)).unwrap_or_else(|caught| Err(caught.into()))
}

fn update_now(shared: &Arc<Shared>, changed: &[PathBuf]) -> Result<(), Failure> {
    let started = Instant::now();
    let options = &shared.options;
    let mut workspace = shared.workspace.lock().unwrap_or_else(|e| e.into_inner());
    let update = match workspace.as_mut() {
        Some(w) => w.update(changed)?,
        None => {
            let opened = Workspace::open(build_options(options))?;
            *workspace = Some(opened);
            Update {
                changed: 0,
                whole: true,
            }
        }
    };
    let Some(built) = workspace.as_ref() else {
        return Ok(());
    };
    let warnings = built.warning_count();
    let page_warnings = built.page_warnings();
    let recovered = {
        let mut current = shared.current.write().unwrap_or_else(|e| e.into_inner());
        current.output = Arc::new(built.output().clone());
        current.base_path = built.base_path().to_string();
        current.warnings = Some(page_warnings);
        let recovered = !current.problems.is_empty();
        current.problems.clear();
        recovered
    };
    let news = news(shared, built.warnings(), true);
    drop(workspace);
    if options.verbose {
        eprint!("{news}");
    }
    if recovered {
        let _ = shared.changes.send(Change::Ok);
    }
    if !changed.is_empty() {
        let css_only = changed
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"));
        let _ = shared.changes.send(Change::Reload {
            css_only,
            changed: update.changed,
        });
        if options.verbose {
            let files = update.changed;
            println!(
                "Rebuilt {} in {:.1} ms: {files} file{} changed{}.",
                if update.whole { "the site" } else { "the page" },
                started.elapsed().as_secs_f64() * 1000.0,
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
    if let Some(finish) = shared
        .finish
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
    {
        shared.finish_asked.fetch_add(1, SeqCst);
        let _ = finish.send(());
    }
    Ok(())
}

/// Shows a failed build's errors in the browser and the terminal.
fn report(shared: &Arc<Shared>, failure: &Failure) {
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
    if shared.options.verbose {
        // The errors, and only the warnings the terminal has not shown yet.
        eprint!("{}", news(shared, &failure.diagnostics, false));
        eprintln!("The site did not rebuild; the browser shows the last good version.");
    }
}

/// What the terminal has not shown yet of `diagnostics`: every error, and the warnings that
/// are new since the last report; with `settled` (a good build), also how many warnings went.
fn news(shared: &Shared, diagnostics: &[Diagnostic], settled: bool) -> String {
    let key = |d: &Diagnostic| (d.file.clone(), d.line, d.column, d.message.clone());
    let mut shown = shared.shown.lock().unwrap_or_else(|e| e.into_inner());
    let fresh: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error() || !shown.contains(&key(d)))
        .cloned()
        .collect();
    let mut out = crate::report::render(
        &shared.options.root,
        &fresh,
        crate::report::Style::default(),
    );
    let now: std::collections::BTreeSet<_> = diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .map(key)
        .collect();
    if settled {
        let gone = shown.difference(&now).count();
        if gone > 0 {
            out.push_str(&format!(
                "{gone} warning{} fixed.\n",
                if gone == 1 { "" } else { "s" }
            ));
        }
        *shown = now;
    } else {
        shown.extend(now);
    }
    out
}

/// Starts the thread that brings the PDFs and search index up to date after each change,
/// one run at a time, skipping to the newest site when changes come faster than it.
pub(crate) fn start_finisher(shared: &Arc<Shared>) -> std::io::Result<()> {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    *shared.finish.lock().unwrap_or_else(|e| e.into_inner()) = Some(tx);
    // Weak: the thread ends when the server is dropped and the sender with it.
    let weak: Weak<Shared> = Arc::downgrade(shared);
    // Typesetting and indexing run on threads of their own at a low priority, so that an
    // edit made meanwhile is rebuilt and served without waiting for a core.
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("folio-finish-{i}"))
        .start_handler(|_| lower_priority())
        .build()
        .map_err(std::io::Error::other)?;
    std::thread::Builder::new()
        .name("folio-finish".into())
        .spawn(move || {
            lower_priority();
            while rx.recv().is_ok() {
                // Changes that came while the last run worked: one run covers them all.
                while rx.try_recv().is_ok() {}
                let Some(shared) = weak.upgrade() else { return };
                let asked = shared.finish_asked.load(SeqCst);
                // A fault of folio's own in the slow work shows like any error; the thread
                // goes on with the next change.
                if let Err(d) = crate::guard::catch(|| pool.install(|| finish(&shared))) {
                    report(&shared, &Failure::from(d));
                }
                shared.finish_done.store(asked, SeqCst);
            }
        })?;
    Ok(())
}

/// Lowers the calling thread's scheduling priority (Linux: a thread is a task of its own).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on the calling thread's own id only changes its niceness.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

fn finish(shared: &Arc<Shared>) {
    let started = Instant::now();
    let finishing = {
        let workspace = shared.workspace.lock().unwrap_or_else(|e| e.into_inner());
        match workspace.as_ref() {
            Some(w) => w.finishing(),
            None => return,
        }
    };
    // Typesetting evicts what Typst memoised for other booklets as it goes, so a
    // long-running server does not keep every document it has seen.
    let mut finished = finishing.run();
    let problems = std::mem::take(&mut finished.problems);
    let mut workspace = shared.workspace.lock().unwrap_or_else(|e| e.into_inner());
    let Some(w) = workspace.as_mut() else { return };
    // Too old: the site changed meanwhile, and a newer run is on its way.
    let Some(changed) = w.finish(finished) else {
        return;
    };
    {
        let mut current = shared.current.write().unwrap_or_else(|e| e.into_inner());
        current.output = Arc::new(w.output().clone());
    }
    drop(workspace);
    if !problems.is_empty() {
        report(
            shared,
            &Failure {
                diagnostics: problems,
                allowances: Vec::new(),
                internal: false,
            },
        );
    } else if shared.options.verbose {
        println!(
            "PDFs and search index up to date in {:.1} s ({changed} file{} changed).",
            started.elapsed().as_secs_f64(),
            if changed == 1 { "" } else { "s" }
        );
    }
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
