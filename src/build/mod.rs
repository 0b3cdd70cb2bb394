//! The pipeline, one direction: load -> parse -> resolve and check -> outputs -> write.
//!
//! [`build`] runs it over the whole site in memory; [`build_and_write`] then replaces the
//! output folder whole. [`incremental`] keeps a build and redoes what a change touched, by
//! the same steps.

pub mod incremental;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cache::{self, Cache};
use crate::config::Config;
use crate::content::{LoadOptions, PageMap, Site, SourceRecords, source};
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::files::{Download, Downloads, Files};
use crate::lint::{self, Allowance, Checks};
use crate::markdown::LinkTargets;
use crate::outputs::{self, Group, Input, Made, Output, Sink, Typeset};
use crate::parts::{self, PageParts, PageRecord};
use crate::theme::Theme;
use crate::web;
use crate::write::{self, WriteError, Written};

/// The name of the parts step's page records in the cache.
const PARTS_RECORDS: &str = "parts";

/// Told how a build goes, step by step and page by page, to show progress.
pub trait Progress: Send + Sync {
    /// A step begins; `total` is how many pages (or booklets) it goes through, or 0.
    fn step(&self, _name: &str, _total: usize) {}
    /// One more page (or booklet) of the step is done.
    fn advance(&self) {}
    /// `total` more pages (or booklets) join the step: outputs made side by side share one.
    fn more(&self, _total: usize) {}
}

/// Shows nothing.
pub struct Quiet;

impl Progress for Quiet {}

/// Where a build reports its progress.
#[derive(Clone)]
pub struct Reporter(pub Arc<dyn Progress>);

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reporter")
    }
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder: the one holding site.yaml.
    pub root: PathBuf,
    /// Where to write; `None` means `<root>/public`.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` of site.yaml (a preview deployment's address, say).
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Typeset formats (the PDFs).
    pub pdf: bool,
    pub search: bool,
    /// Warnings count as errors.
    pub strict: bool,
    /// How the build may use `.folio/cache/`.
    pub cache: cache::Mode,
    /// Make the slow outputs too. The dev server's builds leave them to the background.
    pub slow: bool,
    /// The date review dates are checked against; `None` means today (or `FOLIO_TODAY`).
    pub today: Option<chrono::NaiveDate>,
    /// Told how the build goes.
    pub progress: Reporter,
    /// Write into an output folder that folio did not make (its other files are kept).
    pub force: bool,
    /// Keep the files made in memory, when there is no output folder to write them to. A
    /// check needs none of them: it reports what it found.
    pub keep_files: bool,
    /// Read every page's file, even one unchanged since the last build (which is otherwise
    /// read only if a step needs its text). The dev server's slow outputs read pages while
    /// their files are being edited: they read what the quick build read.
    pub read_all: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            pdf: true,
            search: true,
            strict: false,
            cache: cache::Mode::ReadWrite,
            slow: true,
            today: None,
            progress: Reporter(Arc::new(Quiet)),
            force: false,
            keep_files: true,
            read_all: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }

    /// Whether this build makes an output at all.
    pub fn wants(&self, output: &dyn Output) -> bool {
        match output.group() {
            Group::Always => true,
            Group::Typeset => self.pdf,
            Group::Search => self.search,
        }
    }

    /// The outputs this build makes, in their order (slow or not: see `slow`).
    pub fn outputs(&self) -> Vec<Box<dyn Output>> {
        outputs::all()
            .into_iter()
            .filter(|o| self.wants(o.as_ref()))
            .collect()
    }
}

/// What a successful build made.
pub struct Built {
    pub site: Arc<Site>,
    pub theme: Arc<Theme>,
    /// Each page's checked, rendered parts.
    pub parts: PageMap<Arc<PageParts>>,
    /// Every page, heading and file a link can point at.
    targets: Arc<LinkTargets>,
    /// What every page's parts depend on beyond its own source ([`parts::site_key`]).
    site_key: u128,
    /// Problems of the site as a whole: site.yaml, the content tree, front matter, templates.
    site_found: Vec<Diagnostic>,
    /// What each booklet offers for download.
    pub downloads: Downloads,
    /// Each output's files, by the output's name.
    pub made: BTreeMap<&'static str, Files>,
    /// Every warning, in file order.
    pub warnings: Vec<Diagnostic>,
    pub allowances: Vec<Allowance>,
    /// Each document typeset or read from the cache.
    pub typeset: Vec<Typeset>,
    /// What writing the output folder did (nothing yet for a build kept in memory).
    pub written: Written,
    /// The date review dates were checked against.
    pub today: chrono::NaiveDate,
    pub started: Instant,
    pub elapsed: Duration,
}

impl Built {
    /// Every file of the site, from all outputs.
    pub fn files(&self) -> Files {
        let mut all = Files::default();
        for files in self.made.values() {
            all.files
                .extend(files.files.iter().map(|(p, f)| (p.clone(), f.clone())));
        }
        all
    }

    pub fn booklets(&self) -> usize {
        self.site.booklets().count()
    }

    /// A page's Markdown, parsed, its links resolved: for outputs and tools that read its
    /// text.
    pub fn document(&self, id: crate::content::PageId) -> crate::markdown::Document {
        parts::document(&self.site, self.site.page(id), &self.targets)
    }

    /// A page's body as HTML, as its web page shows it.
    pub fn html(&self, id: crate::content::PageId) -> String {
        match &self.parts[id].html {
            Some(html) => html.clone(),
            None => parts::html(&self.site, self.site.page(id), &self.targets),
        }
    }

    /// How many PDFs the build has (the standard ones, not large print).
    pub fn pdfs(&self) -> usize {
        self.documents(crate::config::Format::Pdf)
    }

    /// How many documents of a format the build offers.
    pub fn documents(&self, format: crate::config::Format) -> usize {
        self.downloads
            .values()
            .flatten()
            .filter(|d| d.format == format)
            .count()
    }

    /// How many documents came from the cache because nothing in them changed.
    pub fn unchanged(&self) -> usize {
        self.typeset.iter().filter(|t| t.cached).count()
    }

    /// Every problem of the build: the site's and each page's.
    fn problems(&self) -> impl Iterator<Item = &Diagnostic> {
        self.site_found
            .iter()
            .chain(self.parts.values().flat_map(|p| p.problems()))
    }
}

/// A failed build: every problem found, errors and warnings, in file order.
#[derive(Debug)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    /// Rules turned off on pages, and why: the report lists them, failed build or not.
    pub allowances: Vec<Allowance>,
    /// The fault was folio's own (an internal error), not the site's.
    pub internal: bool,
}

impl Failure {
    /// A fault of folio's own, caught before it could crash the program.
    pub fn internal(diagnostic: Diagnostic) -> Failure {
        Failure {
            diagnostics: vec![diagnostic],
            allowances: Vec::new(),
            internal: true,
        }
    }
}

impl From<crate::guard::Caught> for Failure {
    fn from(caught: crate::guard::Caught) -> Failure {
        Failure {
            internal: caught.internal,
            ..Failure::internal(caught.diagnostic)
        }
    }
}

/// Prints how long each step took when `FOLIO_TIMINGS` is set: the profile of a build.
struct Stages {
    on: bool,
    last: Instant,
}

impl Stages {
    fn new() -> Self {
        Stages {
            on: std::env::var_os("FOLIO_TIMINGS").is_some(),
            last: Instant::now(),
        }
    }

    fn done(&mut self, step: &str) {
        if self.on {
            eprintln!(
                "  {step:<24} {:>8.1} ms",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.last = Instant::now();
    }
}

/// Runs the whole pipeline in memory. Nothing is written but the cache; see
/// [`build_and_write`]. A fault of folio's own is an internal error, not a crash.
pub fn build(options: &BuildOptions) -> Result<Built, Failure> {
    let sink = if options.keep_files {
        Sink::Memory
    } else {
        Sink::Nowhere
    };
    crate::guard::catch(|| build_with(options, &BTreeMap::new(), sink))
        .unwrap_or_else(|caught| Err(caught.into()))
}

/// Runs the pipeline. Where this build makes no downloads, the pages describe `known`, by
/// their booklet's address (the dev server's quick builds keep the last PDFs' download
/// blocks until the background makes new ones). Files go to the `sink` as they are made.
pub(crate) fn build_with(
    options: &BuildOptions,
    known: &BTreeMap<String, Vec<Download>>,
    sink: Sink,
) -> Result<Built, Failure> {
    let started = Instant::now();
    let mut stages = Stages::new();
    let root = &options.root;
    let mut found = Vec::new();
    let config = match Config::load(root, options.base_url.as_deref()) {
        Ok(config) => config,
        // site.yaml is there but wrong: go on with defaults, so that every problem of the
        // content is reported with it. (No site.yaml at all means no site here.)
        Err(problem) if root.join(crate::config::FILE_NAME).is_file() => {
            found.push(problem);
            Config::fallback()
        }
        Err(problem) => return Err(failure(vec![problem], Vec::new(), false)),
    };
    let (theme, template_problems) = Theme::load(root, &config.theme).map_err(|mut problems| {
        problems.extend(found.iter().cloned());
        failure(problems, Vec::new(), false)
    })?;
    // With a template that does not compile, every page would also "lack" its template.
    let templates_compiled = template_problems.is_empty();
    found.extend(template_problems);
    found.extend(lint::brand(root, &config.brand, &theme));
    stages.done("config and theme");
    let cache = Cache::new(root, options.cache);
    // What the last build learnt of each page is read while the content loads: decoding
    // a large site's records takes one core a while. The files' own records come first:
    // they say which files need not be read.
    let ((site, loaded, sources), records) = rayon::join(
        || {
            let sources = if options.read_all {
                SourceRecords::default()
            } else {
                cache.records(source::SOURCE_RECORDS)
            };
            let load = LoadOptions {
                drafts: options.drafts,
                known: &sources,
                glossary_template: theme.settings.glossary_template.clone(),
            };
            let (site, loaded) = Site::load(root, config, theme.kinds.clone(), &load);
            (site, loaded, sources)
        },
        || cache.records::<PageRecord>(PARTS_RECORDS),
    );
    found.extend(loaded);
    // Written again only when a file changed, came or went.
    if !options.read_all && site.sources_changed(&sources) {
        cache.keep_records(source::SOURCE_RECORDS, &site.source_records());
    }
    rayon::spawn(move || drop(sources));
    let known: Downloads = site
        .booklets()
        .filter_map(|b| Some((b, known.get(&site.pages[b].url)?.clone())))
        .collect();
    found.extend(lint::site(&site));
    stages.done("load content");

    let progress = &*options.progress.0;
    // Every output's, made this time or not: `--no-pdf` does not make a link to a PDF wrong.
    let site_files = outputs::all()
        .iter()
        .flat_map(|o| o.links(&site, &theme))
        .collect::<Vec<_>>();
    let mut targets = parts::targets(&site, site_files);
    let today = options.today.unwrap_or_else(crate::text::build_date);
    let site_key = parts::site_key(&site, &theme, today, &targets);
    let checks = Checks::new(&site, &theme.schemes, today);
    let wanted: Vec<Box<dyn Output>> = options
        .outputs()
        .into_iter()
        .filter(|o| options.slow || !o.slow())
        .collect();
    // The slow outputs come before the pages and take minutes on a large site: every page's
    // HTML would wait in memory all that time (a 50,000-page site's is about 500 MiB).
    // The pages output renders it instead, a second's work on every core.
    let body = if wanted.iter().any(|o| o.slow()) {
        parts::Body::Later
    } else {
        parts::Body::Rendered
    };
    progress.step("Checking pages", site.pages.len());
    // Whether every page's record served as it was: then the records are kept as they are.
    let all_kept = std::sync::atomic::AtomicBool::new(records.pages.len() == site.pages.len());
    // With the last build's records, a page whose inputs did not change is neither parsed
    // nor checked again: its record becomes its parts.
    let page_parts = records_by_page(&site, records).into_par_map(|id, record| {
        let page = site.page(id);
        let key = parts::page_key(site_key, page);
        let parts = match record.filter(|r| r.key == key) {
            Some(record) => record.into_parts(),
            // One page's events at a time per core, never the whole site's.
            None => {
                all_kept.store(false, std::sync::atomic::Ordering::Relaxed);
                parts::complete(
                    &site,
                    page,
                    parts::parse(&site, page),
                    &targets,
                    &checks,
                    key,
                    body,
                )
            }
        };
        progress.advance();
        parts
    });
    if !all_kept.into_inner() {
        cache.keep_records(
            PARTS_RECORDS,
            &cache::Records::new(
                page_parts
                    .iter()
                    .map(|(id, parts)| (site.page(id).url.clone(), PageRecord::of(parts)))
                    .collect(),
            ),
        );
    }
    // Every page's headings are known now: the links to them can be checked.
    parts::add_headings(&site, &mut targets, page_parts.iter());
    let page_parts = page_parts.into_par_map(|id, mut parts| {
        parts.broken_fragments = parts::check_fragments(site.page(id), &parts, &targets);
        Arc::new(parts)
    });
    stages.done("links, checks and HTML");
    if templates_compiled {
        found.extend(web::check_templates(&site, &theme));
    }

    let mut built = Built {
        allowances: lint::allowances(&site),
        site: Arc::new(site),
        theme: Arc::new(theme),
        parts: page_parts,
        targets: Arc::new(targets),
        site_key,
        site_found: found,
        downloads: Downloads::new(),
        made: BTreeMap::new(),
        warnings: Vec::new(),
        typeset: Vec::new(),
        written: Written::default(),
        today,
        started,
        elapsed: Duration::ZERO,
    };
    built.stop_on_errors(options.strict)?;

    let mut downloads = Downloads::new();
    let mut ran = Vec::new();
    // The slow outputs (the booklets' formats, the search index) come first and read only
    // the pages: they are made side by side. The rest, in order, see their downloads.
    let (slow, rest): (Vec<&dyn Output>, Vec<&dyn Output>) =
        wanted.iter().map(|o| o.as_ref()).partition(|o| o.slow());
    let input = Input {
        site: &built.site,
        theme: &built.theme,
        parts: &built.parts,
        targets: &built.targets,
        downloads: &known,
        cache: &cache,
        progress,
        sink,
    };
    let made_slow = outputs::make_side_by_side(&slow, &input);
    if !slow.is_empty() {
        stages.done("typeset and search");
    }
    let mut results = Vec::new();
    for (output, mut made) in slow.iter().zip(made_slow) {
        crate::files::add_downloads(&mut downloads, std::mem::take(&mut made.downloads));
        results.push((output.name(), made));
    }
    for output in rest {
        // Pages describe the downloads made so far, or those the caller already knows.
        let shown = if downloads.is_empty() {
            &known
        } else {
            &downloads
        };
        let input = Input {
            downloads: shown,
            ..input
        };
        let mut made = Made::default();
        output.make(&input, None, &mut made);
        stages.done(output.name());
        crate::files::add_downloads(&mut downloads, std::mem::take(&mut made.downloads));
        results.push((output.name(), made));
    }
    for (name, made) in results {
        built.add(name, made);
        ran.push(name);
    }
    built.downloads = if options.slow || !downloads.is_empty() {
        downloads
    } else {
        known
    };
    built.stop_on_errors(options.strict)?;
    cache.prune(&ran);
    let mut warnings: Vec<Diagnostic> = built.problems().cloned().collect();
    diagnostics::sort(&mut warnings);
    built.warnings = warnings;
    built.elapsed = started.elapsed();
    Ok(built)
}

impl Built {
    /// Keeps what an output made (but its downloads, which the build gathers as it goes).
    fn add(&mut self, name: &'static str, made: Made) {
        self.site_found.extend(made.problems);
        self.typeset.extend(made.typeset);
        self.made.insert(name, made.files);
    }

    /// A failure with every problem when any stops the build.
    fn stop_on_errors(&self, strict: bool) -> Result<(), Failure> {
        if self.problems().any(|d| stops_build(d, strict)) {
            return Err(failure(
                self.problems().cloned().collect(),
                self.allowances.clone(),
                strict,
            ));
        }
        Ok(())
    }
}

/// Builds and writes the output folder, each file as soon as it is made. Only what changed
/// is written, and only once the build has succeeded does the site change: a failed build
/// leaves the folder as it was.
pub fn build_and_write(options: &BuildOptions) -> Result<Built, Failure> {
    let target = options.output_dir();
    let refused = |e: WriteError, allowances: Vec<Allowance>| {
        let diagnostic = match e {
            WriteError::Refused { message, hint } => Diagnostic::error(&target, message).hint(hint),
            WriteError::Io(e) => Diagnostic::error(&target, format!("cannot write the site: {e}"))
                .hint("check that the folder is writable and the disk is not full"),
        };
        Failure {
            diagnostics: vec![diagnostic],
            allowances,
            internal: false,
        }
    };
    // Before anything is built or touched.
    write::check_target(&options.root, &target).map_err(|e| refused(e, Vec::new()))?;
    let writer = write::Writer::open(&target, options.force).map_err(|e| refused(e, Vec::new()))?;
    let mut built =
        crate::guard::catch(|| build_with(options, &BTreeMap::new(), Sink::Folder(&writer)))
            .unwrap_or_else(|caught| Err(caught.into()))?;
    let mut stages = Stages::new();
    // The outputs' files, moved (not copied) into one set: every file of the site.
    let mut files = Files::default();
    for (_, made) in std::mem::take(&mut built.made) {
        files.extend(made);
    }
    built.written = crate::guard::catch(|| writer.finish(&files))
        .map_err(Failure::from)?
        .map_err(|e| refused(e, built.allowances.clone()))?;
    stages.done("write");
    // The summary counts the whole build, writing included.
    built.elapsed = built.started.elapsed();
    Ok(built)
}

/// The last build's record of each page, matched by address: the records are in address
/// order, and so are the site's pages.
fn records_by_page(
    site: &Site,
    records: cache::Records<PageRecord>,
) -> PageMap<Option<PageRecord>> {
    let mut records = records.pages.into_iter().peekable();
    site.pages
        .iter()
        .map(|(_, page)| {
            while records.next_if(|(url, _)| *url < page.url).is_some() {}
            records.next_if(|(url, _)| *url == page.url).map(|(_, r)| r)
        })
        .collect()
}

/// Whether a problem fails the build: an error, or with `--strict` any warning.
pub(crate) fn stops_build(d: &Diagnostic, strict: bool) -> bool {
    d.is_error() || (strict && d.severity == Severity::Warning)
}

/// A failed build's report: every problem, errors under `--strict`, in file order.
pub(crate) fn failure(
    mut diagnostics: Vec<Diagnostic>,
    allowances: Vec<Allowance>,
    strict: bool,
) -> Failure {
    if strict {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    diagnostics::sort(&mut diagnostics);
    Failure {
        diagnostics,
        allowances,
        internal: false,
    }
}

/// A page's parts made again from its new source (`page`, a copy of the site's page with
/// the edited text), against the build's link targets.
pub(crate) fn redo_page(built: &Built, page: &crate::content::Page) -> PageParts {
    let site = &built.site;
    let checks = Checks::new(site, &built.theme.schemes, built.today);
    let mut parts = parts::complete(
        site,
        page,
        parts::parse(site, page),
        &built.targets,
        &checks,
        parts::page_key(built.site_key, page),
        parts::Body::Rendered,
    );
    parts.broken_fragments = parts::check_fragments(page, &parts, &built.targets);
    parts
}

/// The relative path of a changed file from the site root.
pub(crate) fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}
