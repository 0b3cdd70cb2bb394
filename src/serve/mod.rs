//! `folio serve`: builds the site into memory, serves it on 127.0.0.1, rebuilds when
//! content, theme, templates, static files or site.yaml change, and tells the browser over
//! Server-Sent Events. A failed rebuild keeps the last good site and shows its errors in an
//! overlay. `public/` is never touched.

mod http;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::broadcast;

use crate::build::incremental::Workspace;
use crate::diagnostics::Diagnostic;
use crate::files::Files;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's folder.
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    /// Print builds and errors to the terminal.
    pub verbose: bool,
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeOptions {
            root: root.into(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            drafts: false,
            verbose: false,
        }
    }
}

/// What the browser is told.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum Change {
    /// The site rebuilt: reload (or only swap the stylesheets).
    Reload { css_only: bool, changed: usize },
    /// The rebuild failed: show these problems.
    Errors { problems: Vec<Problem> },
    /// The problems are gone.
    Ok,
}

/// One Diagnostic, as the overlay shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub severity: &'static str,
    pub rule: Option<&'static str>,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    pub(crate) fn of(d: &Diagnostic) -> Problem {
        Problem {
            severity: if d.is_error() { "error" } else { "warning" },
            rule: d.rule.map(crate::diagnostics::Rule::name),
            file: d.file.display().to_string(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

/// The site being served: the last good build, and the problems of the last attempt.
pub(crate) struct Current {
    pub output: Arc<Files>,
    pub problems: Vec<Problem>,
    /// The path the site is served under, as it will be published: `/`, or the path of
    /// `base_url`.
    pub base_path: String,
    /// Each page's warnings, for the panel the browser shows.
    pub warnings: Option<crate::build::incremental::PageWarnings>,
}

pub(crate) struct Shared {
    /// The address the server listens on, once bound.
    pub bound: std::sync::OnceLock<SocketAddr>,
    /// What HTTP requests read.
    pub current: RwLock<Current>,
    /// The last good build, which each change updates; `None` until a build succeeds.
    /// Lock it before `current`.
    pub workspace: Mutex<Option<Workspace>>,
    /// Asks for the PDFs and search index to be brought up to date in the background.
    pub finish: Mutex<Option<std::sync::mpsc::Sender<()>>>,
    /// Counts the requests for background work, and the last request it has done.
    pub finish_asked: AtomicU64,
    pub finish_done: AtomicU64,
    pub changes: broadcast::Sender<Change>,
    pub options: ServeOptions,
    /// The warnings the terminal has shown, so that each rebuild prints only what changed.
    pub shown: Mutex<std::collections::BTreeSet<(PathBuf, usize, usize, String)>>,
}

/// A running server. Dropping it stops it.
pub struct Server {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Shared {
    /// The address the server listens on (loopback until it is bound).
    pub(crate) fn bound(&self) -> SocketAddr {
        self.bound
            .get()
            .copied()
            .unwrap_or(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0))
    }
}

impl Server {
    /// The site's address on this server, under its base path.
    pub fn url(&self) -> String {
        let current = self
            .shared
            .current
            .read()
            .unwrap_or_else(|e| e.into_inner());
        format!("http://{}{}", self.addr, current.base_path)
    }

    /// Subscribes to what the browser is told (for tests and tools).
    pub fn changes(&self) -> broadcast::Receiver<Change> {
        self.shared.changes.subscribe()
    }

    /// Whether the background work (PDFs, search index) has caught up with the last change.
    pub fn is_finished(&self) -> bool {
        let done = self.shared.finish_done.load(Ordering::SeqCst);
        done > 0 && done == self.shared.finish_asked.load(Ordering::SeqCst)
    }

    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Builds the site, binds the port (a busy or zero port becomes a free one) and serves in
/// the background. Returns once the server accepts connections.
pub fn start(mut options: ServeOptions) -> anyhow::Result<Server> {
    // The watcher reports absolute paths: a relative root (`.`) would match none of them.
    options.root = std::fs::canonicalize(&options.root).map_err(|e| {
        anyhow::anyhow!(
            "cannot open the site folder {}: {e}",
            options.root.display()
        )
    })?;
    let (changes, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        current: RwLock::new(Current {
            output: Arc::new(Files::default()),
            problems: Vec::new(),
            base_path: "/".into(),
            warnings: None,
        }),
        workspace: Mutex::new(None),
        finish: Mutex::new(None),
        finish_asked: AtomicU64::new(0),
        finish_done: AtomicU64::new(0),
        changes,
        options: options.clone(),
        shown: Mutex::new(Default::default()),
        bound: std::sync::OnceLock::new(),
    });
    watch::start_finisher(&shared)?;
    watch::rebuild(&shared, &[]);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let wanted = SocketAddr::new(options.bind, options.port);
    let listener = runtime.block_on(async {
        match tokio::net::TcpListener::bind(wanted).await {
            Ok(l) => Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                if options.verbose {
                    eprintln!("Port {} is busy; using a free one instead.", options.port);
                }
                tokio::net::TcpListener::bind(SocketAddr::new(options.bind, 0)).await
            }
            Err(e) => Err(e),
        }
    })?;
    let addr = listener.local_addr()?;
    let _ = shared.bound.set(addr);
    let watcher = watch::Watcher::start(shared.clone())?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = http::router(shared.clone());
    let thread = std::thread::Builder::new()
        .name("folio-serve".into())
        .spawn(move || {
            runtime.block_on(async move {
                let _watcher = watcher;
                http::serve(listener, app, stopped).await;
            });
            // Open event streams would keep the runtime busy: do not wait for them.
            runtime.shutdown_timeout(Duration::from_millis(200));
        })?;
    Ok(Server {
        addr,
        shared,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// `folio serve`: serves until Ctrl-C.
pub fn run(options: ServeOptions, open: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let server = start(ServeOptions {
        verbose: true,
        ..options
    })?;
    let url = server.url();
    println!(
        "Serving {} at {url} (built in {:.2} s). Watching for changes; press Ctrl-C to stop.",
        server.shared.options.root.display(),
        started.elapsed().as_secs_f64()
    );
    println!("Review dates, overdue first: {url}{}", http::REVIEW_PATH);
    if open {
        open_browser(&url);
    }
    let waiter = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    waiter.block_on(async {
        let _ = tokio::signal::ctrl_c().await;
    });
    println!("Stopping.");
    server.stop();
    Ok(())
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    match std::process::Command::new(opener).arg(url).spawn() {
        Ok(_) => {}
        Err(_) => {
            eprintln!("Could not open a browser ({opener} is not available); open {url} yourself.")
        }
    }
}

/// The options of the builds the server runs.
pub(crate) fn build_options(options: &ServeOptions) -> crate::build::BuildOptions {
    crate::build::BuildOptions {
        drafts: options.drafts,
        ..crate::build::BuildOptions::new(&options.root)
    }
}
