//! Rebuilding after a change, redoing only what the change touched, by the same steps as a
//! build.
//!
//! The dev server keeps the last good build in a [`Workspace`]. [`invalidated`] is the one
//! place that decides what a change reaches. An edit to the body of pages (their front matter
//! unchanged) redoes those pages' parts, and the outputs that read pages' text redo those
//! pages alone: nothing else on the site shows a page's body. (When a heading id changes,
//! every page's links to headings are checked again; no page's output changes with them.)
//! Any other
//! change runs the whole pipeline again, in memory. Both leave the slow outputs (PDFs, the
//! search index) to [`Workspace::finishing`], which the server runs in the background so
//! that the browser is not kept waiting.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use super::{BuildOptions, Built, Failure, build_with, failure, redo_page, relative, stops_build};
use crate::cache::Cache;
use crate::content::{CONTENT_DIR, PageId, Site, front_matter};
use crate::diagnostics::Diagnostic;
use crate::files::{Downloads, Files};
use crate::outputs::{self, Input, Made, Sink};
use crate::parts::PageParts;
use crate::theme::Theme;

/// The last good build, kept in memory with what is needed to redo part of it.
pub struct Workspace {
    /// The options of the quick builds: the slow outputs follow in the background.
    options: BuildOptions,
    built: Built,
    /// Every file of the site, as served.
    files: Files,
    /// Changed files that the last good build does not have yet: the attempt failed.
    pending: BTreeSet<PathBuf>,
    /// Counts good updates, so that slow work started on an older site is not applied.
    version: u64,
}

/// What an update did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Update {
    /// Files of the site that were added, changed or removed.
    pub changed: usize,
    /// Whether the whole site was built again (else only the edited pages).
    pub whole: bool,
}

/// What a change reaches.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// The bodies of these pages, with their new text.
    Bodies(Vec<(PageId, String)>),
    /// Anything else: the whole site.
    Whole,
}

/// What a set of changed files (relative to the site's root) reaches in `site`: only the
/// bodies of pages when each is a page's Markdown whose front matter is as it was.
pub(crate) fn invalidated(site: &Site, changed: &BTreeSet<PathBuf>) -> Reach {
    let mut edits = Vec::new();
    for path in changed {
        let is_markdown = path.starts_with(CONTENT_DIR)
            && path.extension().is_some_and(|e| e == "md")
            && path.components().count() > 1;
        let Some(id) = site.page_by_file(path).filter(|_| is_markdown) else {
            return Reach::Whole;
        };
        let Ok(source) = std::fs::read_to_string(site.root.join(path)) else {
            return Reach::Whole;
        };
        let page = site.page(id);
        let Ok(split) = front_matter::split(&source, path) else {
            return Reach::Whole;
        };
        let same_front = split.body_offset == page.body_offset
            && source[..split.body_offset] == *page.front_text();
        if !same_front {
            return Reach::Whole;
        }
        edits.push((id, source));
    }
    Reach::Bodies(edits)
}

impl Workspace {
    /// Builds the site into memory, without the slow outputs.
    pub fn open(options: BuildOptions) -> Result<Workspace, Failure> {
        let options = BuildOptions {
            slow: false,
            read_all: true,
            ..options
        };
        let built = build_with(&options, &BTreeMap::new(), Sink::Memory)?;
        Ok(Workspace {
            files: built.files(),
            options,
            built,
            pending: BTreeSet::new(),
            version: 0,
        })
    }

    /// Every file of the site, as it stands.
    pub fn output(&self) -> &Files {
        &self.files
    }

    /// The path the site lives under, from its `base_url`.
    pub fn base_path(&self) -> &str {
        self.built.site.config.base_path()
    }

    /// What a page's warnings are read from, shared and cheap to keep: the site and each
    /// page's parts.
    pub fn page_warnings(&self) -> PageWarnings {
        PageWarnings {
            site: self.built.site.clone(),
            parts: self.built.parts.clone(),
        }
    }

    /// Every warning of the current build.
    pub fn warnings(&self) -> &[crate::diagnostics::Diagnostic] {
        &self.built.warnings
    }

    /// How many warnings the current build has.
    pub fn warning_count(&self) -> usize {
        self.built.problems().count()
    }

    /// Brings the build up to date with changed files (paths absolute or relative to the
    /// site's folder). On failure the last good build stays as it was, and the files are
    /// tried again with the next update.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Update, Failure> {
        let root = self.options.root.clone();
        for path in changed {
            self.pending.insert(relative(&root, path));
        }
        let result = match invalidated(&self.built.site, &self.pending) {
            Reach::Bodies(edits) => self.update_pages(edits),
            Reach::Whole => self.update_whole(),
        };
        if result.is_ok() {
            self.pending.clear();
            self.version += 1;
        }
        result
    }

    /// Redoes the edited pages' parts and the outputs that read them. When an edit changes
    /// a heading id, every page's links to headings are checked again (no other page's
    /// output depends on another page's headings).
    fn update_pages(&mut self, edits: Vec<(PageId, String)>) -> Result<Update, Failure> {
        // The edited pages alone are copied: the site changes only once the edit has passed.
        let site = self.built.site.clone();
        let mut parts = self.built.parts.clone();
        let mut edited = Vec::with_capacity(edits.len());
        let mut headings_changed = false;
        for (id, source) in edits {
            let mut page = site.page(id).clone();
            let path = site.root.join(&page.file);
            page.source = crate::content::Source::read(source, path, page.file.clone(), None);
            let redone = redo_page(&self.built, &page);
            let ids = |p: &PageParts| p.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
            headings_changed |= ids(&redone) != ids(&parts[id]);
            parts[id] = Arc::new(redone);
            edited.push((id, page));
        }
        let targets = if headings_changed {
            let mut targets = (*self.built.targets).clone();
            let redone = edited.iter().map(|(id, _)| (*id, parts[*id].as_ref()));
            crate::parts::add_headings(&site, &mut targets, redone);
            for (id, page) in site.pages.iter() {
                let page = edited
                    .iter()
                    .find(|(e, _)| *e == id)
                    .map_or(page, |(_, p)| p);
                let broken = crate::parts::check_fragments(page, &parts[id], &targets);
                // Only a page whose result changed is copied.
                if broken != parts[id].broken_fragments {
                    Arc::make_mut(&mut parts[id]).broken_fragments = broken;
                }
            }
            Some(Arc::new(targets))
        } else {
            None
        };
        let strict = self.options.strict;
        let stops = |p: &Arc<PageParts>| p.problems().any(|d| stops_build(d, strict));
        if parts.values().any(stops) {
            let mut all: Vec<Diagnostic> = self.built.site_found.clone();
            all.extend(parts.values().flat_map(|p| p.problems().cloned()));
            return Err(failure(all, self.built.allowances.clone(), strict));
        }

        let ids: Vec<PageId> = edited.iter().map(|(id, _)| *id).collect();
        // The outputs that read pages need their new text, not their front matter, which is
        // as it was.
        let made = self.remake(&site, &parts, &ids, |o| o.needs().pages)?;
        let built = &mut self.built;
        let site = Arc::make_mut(&mut built.site);
        for (id, page) in edited {
            site.pages[id] = page;
        }
        built.parts = parts;
        if let Some(targets) = targets {
            built.targets = targets;
        }
        let changed = merge(&mut built.made, &mut self.files, made);
        built.warnings = built.problems().cloned().collect();
        crate::diagnostics::sort(&mut built.warnings);
        Ok(Update {
            changed,
            whole: false,
        })
    }

    /// Makes the quick outputs that `concerned` picks again, for `ids` alone.
    fn remake(
        &self,
        site: &Site,
        parts: &crate::content::PageMap<Arc<PageParts>>,
        ids: &[PageId],
        concerned: impl Fn(&dyn outputs::Output) -> bool,
    ) -> Result<Vec<(&'static str, Files)>, Failure> {
        let cache = Cache::new(&self.options.root, self.options.cache);
        let input = Input {
            site,
            theme: &self.built.theme,
            parts,
            targets: &self.built.targets,
            downloads: &self.built.downloads,
            cache: &cache,
            progress: &crate::build::Quiet,
            sink: Sink::Memory,
        };
        let mut remade = Vec::new();
        let mut problems = Vec::new();
        for output in self.options.outputs() {
            if output.slow() || !concerned(output.as_ref()) {
                continue;
            }
            let mut made = Made::default();
            output.make(&input, Some(ids), &mut made);
            problems.extend(made.problems);
            remade.push((output.name(), made.files));
        }
        if problems.iter().any(|d| stops_build(d, self.options.strict)) {
            let mut all: Vec<Diagnostic> = self.built.problems().cloned().collect();
            all.extend(problems);
            return Err(failure(
                all,
                self.built.allowances.clone(),
                self.options.strict,
            ));
        }
        Ok(remade)
    }

    /// Builds the whole site again, keeping the slow outputs' files and downloads of the
    /// last build until [`Workspace::finish`] replaces them.
    fn update_whole(&mut self) -> Result<Update, Failure> {
        let known = by_address(&self.built.site, &self.built.downloads);
        let mut built = build_with(&self.options, &known, Sink::Memory)?;
        for output in outputs::all().iter().filter(|o| o.slow()) {
            if let Some(files) = self.built.made.remove(output.name()) {
                built.made.insert(output.name(), files);
            }
        }
        let files = built.files();
        let changed = self.files.changes(&files);
        self.files = files;
        self.built = built;
        Ok(Update {
            changed,
            whole: true,
        })
    }

    /// What the slow outputs need, copied out so that they can run while the workspace
    /// takes further edits.
    pub fn finishing(&self) -> Finishing {
        Finishing {
            version: self.version,
            site: self.built.site.clone(),
            theme: self.built.theme.clone(),
            parts: self.built.parts.clone(),
            targets: self.built.targets.clone(),
            options: self.options.clone(),
        }
    }

    /// Adds what [`Finishing::run`] made, unless the site has changed since: then it
    /// describes an older site and a newer run will follow. Pages whose downloads changed
    /// are made again. Returns the number of files that changed, or `None` when the result
    /// was too old to use.
    pub fn finish(&mut self, finished: Finished) -> Option<usize> {
        if finished.version != self.version {
            return None;
        }
        let stale: Vec<PageId> = self
            .built
            .site
            .booklets()
            .filter(|b| self.built.downloads.get(b) != finished.downloads.get(b))
            .flat_map(|b| {
                self.built
                    .site
                    .pages
                    .iter()
                    .filter(move |(_, p)| p.booklet == Some(b))
                    .map(|(id, _)| id)
            })
            .collect();
        self.built.downloads = finished.downloads;
        let mut changed = merge(&mut self.built.made, &mut self.files, finished.made);
        if !stale.is_empty() {
            let site = self.built.site.clone();
            let parts = self.built.parts.clone();
            // A page that rendered once renders again with other downloads; a failure here
            // would be a template's, already reported, so the old page stays.
            if let Ok(made) = self.remake(&site, &parts, &stale, |o| o.needs().downloads) {
                changed += merge(&mut self.built.made, &mut self.files, made);
            }
        }
        Some(changed)
    }
}

/// Replaces or adds files in each output's set and in the whole site's; returns how many
/// of the site's files changed.
fn merge(
    made: &mut BTreeMap<&'static str, Files>,
    all: &mut Files,
    new: Vec<(&'static str, Files)>,
) -> usize {
    let mut changed = 0;
    for (name, files) in new {
        let own = made.entry(name).or_default();
        for (path, file) in files.files {
            if all.files.get(&path) != Some(&file) {
                changed += 1;
                all.files.insert(path.clone(), file.clone());
            }
            own.files.insert(path, file);
        }
    }
    changed
}

/// Each page's warnings, found when they are asked for.
#[derive(Clone)]
pub struct PageWarnings {
    site: Arc<Site>,
    parts: crate::content::PageMap<Arc<PageParts>>,
}

impl PageWarnings {
    /// The site the warnings are of.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The warnings in the own file of the page at a site path (`/schools/`).
    pub fn of(&self, url: &str) -> Vec<&Diagnostic> {
        let Some((id, page)) = self.site.pages.iter().find(|(_, p)| p.url == url) else {
            return Vec::new();
        };
        self.parts[id]
            .problems()
            .filter(|d| !d.is_error() && d.file == page.file)
            .collect()
    }
}

/// The downloads of each booklet by the booklet's address: page ids change when pages come
/// and go, addresses do not.
fn by_address(site: &Site, downloads: &Downloads) -> BTreeMap<String, Vec<crate::files::Download>> {
    downloads
        .iter()
        .map(|(b, d)| (site.pages[*b].url.clone(), d.clone()))
        .collect()
}

/// The input of the slow outputs, taken from a [`Workspace`].
pub struct Finishing {
    version: u64,
    site: Arc<Site>,
    theme: Arc<Theme>,
    parts: crate::content::PageMap<Arc<PageParts>>,
    targets: Arc<crate::markdown::LinkTargets>,
    options: BuildOptions,
}

/// What the slow outputs made for one version of the site.
pub struct Finished {
    version: u64,
    made: Vec<(&'static str, Files)>,
    downloads: Downloads,
    /// Typesetting or indexing problems; the pages themselves are fine.
    pub problems: Vec<Diagnostic>,
}

impl Finishing {
    /// Makes the slow outputs (documents whose inputs did not change come from the cache).
    pub fn run(self) -> Finished {
        let cache = Cache::new(&self.options.root, self.options.cache);
        let empty = Downloads::new();
        let input = Input {
            site: &self.site,
            theme: &self.theme,
            parts: &self.parts,
            targets: &self.targets,
            downloads: &empty,
            cache: &cache,
            progress: &crate::build::Quiet,
            sink: Sink::Memory,
        };
        let mut finished = Finished {
            version: self.version,
            made: Vec::new(),
            downloads: Downloads::new(),
            problems: Vec::new(),
        };
        let wanted: Vec<Box<dyn outputs::Output>> = self
            .options
            .outputs()
            .into_iter()
            .filter(|o| o.slow())
            .collect();
        let slow: Vec<&dyn outputs::Output> = wanted.iter().map(|o| o.as_ref()).collect();
        let mut ran = Vec::new();
        for (output, made) in slow.iter().zip(outputs::make_side_by_side(&slow, &input)) {
            finished.problems.extend(made.problems);
            crate::files::add_downloads(&mut finished.downloads, made.downloads);
            finished.made.push((output.name(), made.files));
            ran.push(output.name());
        }
        if finished.problems.is_empty() {
            cache.prune(&ran);
        }
        finished
    }
}
