//! Progress on a terminal, for a build or check that takes longer than a second: the step
//! and how many of its pages are done. Nothing when stderr is not a terminal.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use folio::build::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Shown only once a build has taken this long: a quick one prints nothing extra.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Sets another wait in milliseconds (0: at once), so that a test sees the progress of a
/// build however fast the machine runs it.
const SHOW_AFTER_VARIABLE: &str = "FOLIO_PROGRESS_AFTER_MS";

fn show_after() -> Duration {
    std::env::var(SHOW_AFTER_VARIABLE)
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map_or(SHOW_AFTER, Duration::from_millis)
}

pub struct Terminal {
    bar: ProgressBar,
    done: Arc<AtomicBool>,
}

impl Terminal {
    /// Progress for this build, drawn on stderr once it has taken a second, if stderr is a
    /// terminal.
    pub fn start() -> Arc<Terminal> {
        let bar = ProgressBar::hidden().with_style(
            ProgressStyle::with_template("{msg:20} [{bar:30}] {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        let done = Arc::new(AtomicBool::new(false));
        if std::io::stderr().is_terminal() {
            let (bar, done) = (bar.clone(), done.clone());
            std::thread::spawn(move || {
                std::thread::sleep(show_after());
                if !done.load(Ordering::SeqCst) {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        Arc::new(Terminal { bar, done })
    }

    /// Takes the progress off the screen before the report is printed.
    pub fn finish(&self) {
        self.done.store(true, Ordering::SeqCst);
        self.bar.finish_and_clear();
    }
}

impl Progress for Terminal {
    fn step(&self, name: &str, total: usize) {
        self.bar.set_message(name.to_string());
        self.bar.set_length(total as u64);
        self.bar.set_position(0);
    }

    fn advance(&self) {
        self.bar.inc(1);
    }

    fn more(&self, total: usize) {
        self.bar.inc_length(total as u64);
    }
}
