//! The pipeline, one direction: load -> parse -> resolve -> lint -> render -> write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{LoadOptions, Site};
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::lint;
use crate::markdown::{self, Document, HtmlContext, LinkTargets};
use crate::pdf;
use crate::render::{self, Body, Output, PdfInfo, Theme};
use crate::search;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder: the one holding site.yaml.
    pub root: PathBuf,
    /// Where to write; `None` means `<root>/public`.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub pdf: bool,
    pub search: bool,
    /// Warnings count as errors.
    pub strict: bool,
    /// Reuse PDFs of booklets that did not change (`.folio/cache/pdf/`).
    pub pdf_cache: bool,
    /// Only PDFs the cache already has; booklets that changed get none this time. The dev
    /// server uses it so a page reloads at once and the PDF follows.
    pub pdf_cached_only: bool,
    /// The date review dates are checked against; `None` means today (or `FOLIO_TODAY`).
    pub today: Option<chrono::NaiveDate>,
    /// Without `pdf`: PDFs that exist already, by their URL, for the download blocks.
    pub known_pdfs: BTreeMap<String, PdfInfo>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            pdf: true,
            search: true,
            strict: false,
            pdf_cache: true,
            pdf_cached_only: false,
            today: None,
            known_pdfs: BTreeMap::new(),
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// A rule turned off on a page, and why; the report lists them.
#[derive(Debug, Clone)]
pub struct Allowance {
    pub file: PathBuf,
    pub rule: String,
    pub reason: String,
}

/// What a successful build made.
pub struct Built {
    pub site: Site,
    pub output: Output,
    pub warnings: Vec<Diagnostic>,
    pub allowances: Vec<Allowance>,
    pub booklets: usize,
    pub pdfs: usize,
    /// PDFs read back from the cache because their booklet did not change.
    pub pdfs_cached: usize,
    /// How long each booklet took to typeset (or to read from the cache), by booklet page.
    pub pdf_times: Vec<(usize, Duration)>,
    /// Pages in the search index (0 when the build made none).
    pub searchable: usize,
    /// What the pages say about each booklet's PDF, by the PDF's URL.
    pub pdf_infos: BTreeMap<String, PdfInfo>,
    pub started: Instant,
    pub elapsed: Duration,
    /// What the build made on the way, kept so that part of it can be redone.
    pub parts: Parts,
}

/// The intermediate results of a build: what [`crate::incremental`] needs to redo one page
/// without redoing the site.
pub struct Parts {
    pub theme: Theme,
    /// Each page's parsed Markdown, links resolved, by page id.
    pub documents: Vec<Document>,
    /// Each page's body as HTML, by page id.
    pub bodies: Vec<Body>,
    /// Every page, heading and file a link can point at.
    pub targets: LinkTargets,
    /// What the pages say about each booklet's PDF, by the booklet's page id.
    pub pdfs: BTreeMap<usize, PdfInfo>,
    /// Problems of the site as a whole: site.yaml, the content tree, front matter, templates.
    pub site_found: Vec<Diagnostic>,
    /// Problems in each page's own text (links, checks, placeholders), by page id.
    pub page_found: Vec<Vec<Diagnostic>>,
    /// The date review dates were checked against.
    pub today: chrono::NaiveDate,
}

/// A failed build: every problem found, errors and warnings, in file order.
#[derive(Debug)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    /// Rules turned off on pages, and why: the report lists them, failed build or not.
    pub allowances: Vec<Allowance>,
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

/// Runs the whole pipeline in memory. Nothing is written; see [`build_and_write`].
pub fn build(options: &BuildOptions) -> Result<Built, Failure> {
    let started = Instant::now();
    let mut stages = Stages::new();
    let root = &options.root;
    let mut found = Vec::new();
    let config = match Config::load(root) {
        Ok(config) => config,
        // site.yaml is there but wrong: go on with defaults, so that every problem of the
        // content is reported with it. (No site.yaml at all means no site here.)
        Err(problem) if root.join(crate::config::FILE_NAME).is_file() => {
            found.push(problem);
            Config::fallback()
        }
        Err(problem) => {
            return Err(Failure {
                diagnostics: vec![problem],
                allowances: Vec::new(),
            });
        }
    };
    let (theme, template_problems) =
        Theme::load(root, &config.theme).map_err(|mut diagnostics| {
            diagnostics.extend(found.iter().cloned());
            failure(diagnostics, false)
        })?;
    // With a template that does not compile, every page would also "lack" its template.
    let templates_compiled = template_problems.is_empty();
    found.extend(template_problems);
    stages.done("config and theme");
    let (site, loaded) = Site::load(
        root,
        config,
        theme.kinds.clone(),
        &LoadOptions {
            drafts: options.drafts,
        },
    );
    found.extend(loaded);
    if let Ok(text) = std::fs::read_to_string(root.join(crate::config::FILE_NAME)) {
        found.extend(placeholders(Path::new(crate::config::FILE_NAME), &text));
    }
    stages.done("load content");

    let smart = site.config.markdown.smart_punctuation;
    let mut documents: Vec<Document> = site
        .pages
        .par_iter()
        .map(|page| markdown::parse(&page.source, page.body_offset, smart))
        .collect();
    stages.done("parse Markdown");
    let targets = link_targets(&site, &documents);
    let today = today(options);
    let page_found: Vec<Vec<Diagnostic>> = documents
        .par_iter_mut()
        .enumerate()
        .map(|(id, doc)| check_page(&site, &site.pages[id], doc, &targets, today))
        .collect();
    stages.done("links and checks");
    if templates_compiled {
        found.extend(render::check_templates(&site, &theme));
    }
    lint::apply_allowances(&site, &mut found);

    let allowances = allowances(&site);
    let failed = |site_found: &[Diagnostic], page_found: &[Vec<Diagnostic>]| {
        site_found
            .iter()
            .chain(page_found.iter().flatten())
            .any(|d| stops_build(d, options.strict))
    };
    let failed_with = |site_found: Vec<Diagnostic>, page_found: &[Vec<Diagnostic>]| {
        let mut all = site_found;
        all.extend(page_found.iter().flatten().cloned());
        Failure {
            allowances: allowances.clone(),
            ..failure(all, options.strict)
        }
    };
    if failed(&found, &page_found) {
        return Err(failed_with(found, &page_found));
    }

    let mut output = Output::default();
    let (pdfs, pdfs_cached, pdf_times) = if options.pdf {
        match booklet_pdfs(&site, &documents, options, &mut output) {
            Ok(made) => made,
            Err(problems) => {
                found.extend(problems);
                return Err(failed_with(found, &page_found));
            }
        }
    } else {
        // PDFs made earlier (the dev server passes them) keep their download blocks.
        let known = site
            .booklets()
            .filter_map(|b| {
                let info = options.known_pdfs.get(&pdf::url(&site, b))?;
                Some((b, info.clone()))
            })
            .collect();
        (known, 0, Vec::new())
    };
    stages.done("PDFs");
    let context = HtmlContext {
        charts: &site.data.charts,
        glossary: &site.data.glossary,
    };
    let bodies: Vec<Body> = documents
        .par_iter()
        .map(|doc| Body {
            html: markdown::to_html(doc, &context),
            headings: doc.headings.clone(),
        })
        .collect();
    render::add_static_files(&site, &theme, &mut output);
    stages.done("Markdown to HTML");
    found.extend(render::render_pages(
        &site,
        &theme,
        &bodies,
        &pdfs,
        &mut output,
    ));
    stages.done("templates");
    let searchable = if options.search {
        match search::index(&site, &documents, &mut output) {
            Ok(count) => count,
            Err(problem) => {
                found.push(problem);
                0
            }
        }
    } else {
        0
    };
    stages.done("search index");
    if failed(&found, &page_found) {
        return Err(failed_with(found, &page_found));
    }
    let mut warnings = found.clone();
    warnings.extend(page_found.iter().flatten().cloned());
    diagnostics::sort(&mut warnings);
    let booklets = site.booklets().count();
    Ok(Built {
        site,
        output,
        warnings,
        allowances,
        booklets,
        pdfs: pdfs.len(),
        pdfs_cached,
        pdf_times,
        searchable,
        pdf_infos: pdfs.values().map(|i| (i.url.clone(), i.clone())).collect(),
        started,
        elapsed: started.elapsed(),
        parts: Parts {
            theme,
            documents,
            bodies,
            targets,
            pdfs,
            site_found: found,
            page_found,
            today,
        },
    })
}

/// Builds, then replaces the output folder whole. A failed build leaves it untouched.
pub fn build_and_write(options: &BuildOptions) -> Result<Built, Failure> {
    let mut built = build(options)?;
    let target = options.output_dir();
    let mut stages = Stages::new();
    built.output.write_to(&target).map_err(|e| Failure {
        allowances: built.allowances.clone(),
        diagnostics: vec![
            Diagnostic::error(&target, format!("cannot write the site: {e}"))
                .hint("check that the folder is writable and the disk is not full"),
        ],
    })?;
    stages.done("write");
    // The summary counts the whole build, writing included.
    built.elapsed = built.started.elapsed();
    Ok(built)
}

/// What the web pages say about each PDF, how many came from the cache, and how long each took.
pub(crate) type PdfsMade = (BTreeMap<usize, PdfInfo>, usize, Vec<(usize, Duration)>);

/// Typesets every booklet (in parallel) and adds each PDF next to its booklet's HTML.
/// Returns what the web pages say about each PDF, keyed by the booklet's page.
pub(crate) fn booklet_pdfs(
    site: &Site,
    documents: &[Document],
    options: &BuildOptions,
    output: &mut Output,
) -> Result<PdfsMade, Vec<Diagnostic>> {
    let cache = options.pdf_cache || options.pdf_cached_only;
    let booklets: Vec<usize> = site.booklets().collect();
    if booklets.is_empty() {
        return Ok((BTreeMap::new(), 0, Vec::new()));
    }
    let typesetter =
        pdf::Typesetter::load(&site.root, &site.config.theme, cache).map_err(|d| vec![d])?;
    // One booklet at a time: Typst lays out each booklet's pages in parallel itself, and
    // booklets run side by side on rayon interleave (a worker waiting inside one booklet's
    // layout starts the next), so every booklet of the site was in memory at once.
    let results: Vec<(usize, Duration, Result<pdf::Pdf, Vec<Diagnostic>>)> = booklets
        .iter()
        .map(|&b| {
            let started = Instant::now();
            // Typst is not expected to panic, but a panic must not take the build down
            // without saying which booklet it was.
            if options.pdf_cached_only {
                let made = typesetter.cached_booklet(site, b, documents);
                return (b, started.elapsed(), made.ok_or_else(Vec::new));
            }
            let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                typesetter.booklet(site, b, documents)
            }))
            .unwrap_or_else(|_| {
                Err(vec![
                    Diagnostic::error(
                        &site.pages[b].file,
                        "the PDF typesetter stopped unexpectedly on this booklet",
                    )
                    .at(1, 1)
                    .hint("build with --no-pdf to get the web pages, and report this as a bug in folio"),
                ])
            });
            // Typst memoises what it lays out, across documents. Keep what the last booklet
            // used (typesetting it again after an edit reuses it) and drop the rest, so a
            // build holds no more than two booklets' layouts.
            if !made.as_ref().is_ok_and(|pdf| pdf.cached) {
                typst::comemo::evict(1);
            }
            (b, started.elapsed(), made)
        })
        .collect();
    let mut infos = BTreeMap::new();
    let mut problems = Vec::new();
    let mut cached = 0;
    let mut times = Vec::new();
    for (b, time, result) in results {
        times.push((b, time));
        match result {
            Ok(made) => {
                let url = pdf::url(site, b);
                cached += usize::from(made.cached);
                infos.insert(
                    b,
                    PdfInfo::new(
                        url.clone(),
                        site.pages[b].front.title.clone(),
                        made.bytes.len(),
                        made.pages,
                    ),
                );
                output.add(PathBuf::from(url.trim_start_matches('/')), made.bytes);
            }
            Err(found) => {
                // A fault in the print template shows up once per booklet: report it once.
                for d in found {
                    if !problems.iter().any(|p: &Diagnostic| {
                        p.file == d.file && p.line == d.line && p.message == d.message
                    }) {
                        problems.push(d);
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok((infos, cached, times))
    } else {
        Err(problems)
    }
}

/// The date the review check uses: the option, else `FOLIO_TODAY` (YYYY-MM-DD), else the
/// day of `SOURCE_DATE_EPOCH` (so reproducible builds check reproducibly), else today.
fn today(options: &BuildOptions) -> chrono::NaiveDate {
    let env = |name| std::env::var(name).ok();
    options
        .today
        .or_else(|| {
            env("FOLIO_TODAY")
                .and_then(|s| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        })
        .or_else(|| {
            env("SOURCE_DATE_EPOCH")
                .and_then(|s| s.trim().parse::<i64>().ok())
                .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
                .map(|t| t.date_naive())
        })
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Whether a problem fails the build: an error, or with `--strict` any warning.
pub(crate) fn stops_build(d: &Diagnostic, strict: bool) -> bool {
    d.is_error() || (strict && d.severity == Severity::Warning)
}

/// A failed build's report: every problem, errors under `--strict`, in file order.
pub(crate) fn failure(mut diagnostics: Vec<Diagnostic>, strict: bool) -> Failure {
    if strict {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    diagnostics::sort(&mut diagnostics);
    Failure {
        diagnostics,
        allowances: Vec::new(),
    }
}

fn link_targets(site: &Site, documents: &[Document]) -> LinkTargets {
    let mut targets = LinkTargets::default();
    for (page, doc) in site.pages.iter().zip(documents) {
        targets.add_page(
            page.file.clone(),
            page.url.clone(),
            doc.headings.iter().map(|h| h.id.clone()),
        );
    }
    for file in &site.unloaded {
        targets.add_unloaded_page(file.clone());
    }
    let content = site.root.join(crate::content::CONTENT_DIR);
    for (_, relative) in render::static_files(&content, true) {
        targets.add_file(Path::new(crate::content::CONTENT_DIR).join(relative));
    }
    for chart in &site.data.charts {
        targets.add_chart(chart.id.clone());
    }
    targets
}

fn allowances(site: &Site) -> Vec<Allowance> {
    site.pages
        .iter()
        .flat_map(|p| {
            p.front.lint.allow.iter().map(|(rule, reason)| Allowance {
                file: p.file.clone(),
                rule: rule.clone(),
                reason: reason.clone(),
            })
        })
        .collect()
}

/// Everything a page's own text can get wrong: its links (resolved in `doc` on the way),
/// the checks and its placeholders, less the rules the page turned off.
pub(crate) fn check_page(
    site: &Site,
    page: &crate::content::Page,
    doc: &mut Document,
    targets: &LinkTargets,
    today: chrono::NaiveDate,
) -> Vec<Diagnostic> {
    let mut found = markdown::resolve_links(&page.file, &page.source, doc, targets);
    found.extend(lint::check_one(site, page, doc, today));
    found.extend(placeholders(&page.file, &page.source));
    lint::apply_page_allowances(page, &mut found);
    found
}

/// Every `TBC:` placeholder in a file (site.yaml, or a page with its front matter), as a
/// warning: they are honest gaps, but someone has to fill them before publishing.
fn placeholders(file: &Path, text: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find("TBC:") else {
            continue;
        };
        if line.trim_start().starts_with('#') {
            continue;
        }
        let what = line[at + 4..].trim().trim_end_matches(['"', '\'']);
        found.push(
            Diagnostic::warning(file, format!("placeholder: {what}"))
                .at(i + 1, at + 1)
                .hint("replace the placeholder with the real value when it is known")
                .rule("placeholder"),
        );
    }
    found
}
