//! Keeping a fault of folio's own from reaching the user as a crash. Each step says which
//! file it is working on; a panic becomes one "internal error" diagnostic that names that
//! file, so `folio build` can exit cleanly (status 2, the output untouched) and `folio serve`
//! can show it in the browser and go on watching.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::content::source::ChangedDuringBuild;
use crate::diagnostics::Diagnostic;

thread_local! {
    /// The file this thread is working on.
    static WORKING_ON: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

/// The last panic: the file its thread was working on, and its message.
static LAST_PANIC: Mutex<Option<(Option<PathBuf>, String)>> = Mutex::new(None);

/// What stopped work that panicked: a fault of folio's own, or a file of the site that
/// changed while the build was using it.
#[derive(Debug)]
pub struct Caught {
    pub diagnostic: Diagnostic,
    /// The fault was folio's own.
    pub internal: bool,
}

/// Marks the file this thread works on until the returned value is dropped.
pub fn working_on(file: &Path) -> Working {
    let before = WORKING_ON.with(|w| w.replace(Some(file.to_path_buf())));
    Working { before }
}

/// While it lives, the thread's work is on one file.
pub struct Working {
    before: Option<PathBuf>,
}

impl Drop for Working {
    fn drop(&mut self) {
        let before = self.before.take();
        WORKING_ON.with(|w| *w.borrow_mut() = before);
    }
}

/// Makes panics quiet and remembered: instead of a message on stderr, the file and message
/// are kept for [`catch`] to report. `FOLIO_BACKTRACE=1` prints them as Rust would.
pub fn install() {
    if std::env::var_os("FOLIO_BACKTRACE").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        // Not a fault: `catch` reports it from the payload.
        if info.payload().is::<ChangedDuringBuild>() {
            return;
        }
        let file = WORKING_ON.with(|w| w.borrow().clone());
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a fault with no message".into());
        let place = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((file, format!("{message}{place}")));
    }));
}

/// Runs `work`; a panic in it (on any thread it started) becomes an internal error, or the
/// site's error when a file changed while the build used it.
pub fn catch<T>(work: impl FnOnce() -> T) -> Result<T, Caught> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|payload| {
        if let Some(ChangedDuringBuild(path)) = payload.downcast_ref::<ChangedDuringBuild>() {
            return Caught {
                diagnostic: Diagnostic::error(path, "this file changed while folio was building the site")
                    .hint("build again once the file is saved; nothing was written"),
                internal: false,
            };
        }
        let (file, message) = LAST_PANIC
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or_else(|| {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a fault with no message".into());
                (None, message)
            });
        let shown = file.clone().unwrap_or_else(|| PathBuf::from(crate::config::FILE_NAME));
        let whose = match &file {
            Some(file) => format!(" while working on {}", file.display()),
            None => String::new(),
        };
        let diagnostic = Diagnostic::error(shown, format!("internal error in folio{whose}: {message}")).hint(
            "this is a bug in folio, not in your site: please report it with this file; nothing was written",
        );
        Caught {
            diagnostic,
            internal: true,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error_naming_the_file() {
        install();
        let result: Result<(), Caught> = catch(|| {
            let _working = working_on(Path::new("content/a.md"));
            panic!("byte index 5 is not a char boundary");
        });
        let _ = std::panic::take_hook();
        let caught = result.unwrap_err();
        assert!(caught.internal);
        let d = caught.diagnostic;
        assert_eq!(d.file, Path::new("content/a.md"));
        assert!(
            d.message
                .starts_with("internal error in folio while working on content/a.md: byte index 5"),
            "{}",
            d.message
        );
        // The thread forgets the file once the work is done.
        assert!(WORKING_ON.with(|w| w.borrow().is_none()));
    }
}
