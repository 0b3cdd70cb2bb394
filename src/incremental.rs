//! Rebuilding after a change, redoing only what the change touched.
//!
//! The dev server keeps the last good build in a [`Workspace`]. An edit to the body of a
//! page (its front matter and heading ids unchanged) re-parses, re-checks and re-renders that
//! page alone: nothing else on the site can show it. Any other change (front matter, a page
//! added or removed, site.yaml, the theme, templates, data or static files) runs the whole
//! pipeline again, in memory, so that chapter lists, prev/next, listings and links are right.
//! Both leave the PDFs and the search index to [`Workspace::finishing`], which the server
//! runs in the background so that the browser is not kept waiting.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::build::{self, BuildOptions, Built, Failure};
use crate::content::{CONTENT_DIR, Site, front_matter};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Document, HtmlContext};
use crate::render::{self, Body, Output, PdfInfo, context, output::File};

/// The last good build, kept in memory with what is needed to redo part of it.
pub struct Workspace {
    /// The options of the quick builds: no PDFs, no search index.
    options: BuildOptions,
    built: Built,
    /// Each page's parsed Markdown, by page id (taken out of `built`): shared, so that the
    /// background work can take a copy without holding up the next edit.
    documents: Vec<Arc<Document>>,
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

impl Workspace {
    /// Builds the site into memory: pages and checks, without PDFs or the search index.
    pub fn open(options: BuildOptions) -> Result<Workspace, Failure> {
        let options = BuildOptions {
            pdf: false,
            search: false,
            ..options
        };
        let mut built = build::build(&options)?;
        let documents = take_documents(&mut built);
        Ok(Workspace {
            options,
            built,
            documents,
            pending: BTreeSet::new(),
            version: 0,
        })
    }

    pub fn output(&self) -> &Output {
        &self.built.output
    }

    /// How many warnings the current build has.
    pub fn warning_count(&self) -> usize {
        let parts = &self.built.parts;
        parts.site_found.len() + parts.page_found.iter().map(Vec::len).sum::<usize>()
    }

    /// Brings the build up to date with changed files (paths absolute or relative to the
    /// site's folder). On failure the last good build stays as it was, and the files are
    /// tried again with the next update.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Update, Failure> {
        let root = self.options.root.clone();
        for path in changed {
            self.pending
                .insert(path.strip_prefix(&root).unwrap_or(path).to_path_buf());
        }
        let result = match self.edited_bodies() {
            Some(edits) => match self.update_pages(edits) {
                Ok(Some(update)) => Ok(update),
                Ok(None) => self.update_whole(),
                Err(failure) => Err(failure),
            },
            None => self.update_whole(),
        };
        if result.is_ok() {
            self.pending.clear();
            self.version += 1;
        }
        result
    }

    /// The pages whose body alone changed, with their new text; `None` when any change
    /// is of another kind.
    fn edited_bodies(&self) -> Option<Vec<(usize, String)>> {
        let site = &self.built.site;
        let mut edits = Vec::new();
        for path in &self.pending {
            let is_markdown = path.starts_with(CONTENT_DIR)
                && path.extension().is_some_and(|e| e == "md")
                && path.components().count() > 1;
            let id = site.page_by_file(path).filter(|_| is_markdown)?;
            let source = std::fs::read_to_string(site.root.join(path)).ok()?;
            let page = &site.pages[id];
            let split = front_matter::split(&source, path).ok()?;
            let same_front = split.body_offset == page.body_offset
                && source[..split.body_offset] == page.source[..page.body_offset];
            if !same_front {
                return None;
            }
            edits.push((id, source));
        }
        Some(edits)
    }

    /// Re-parses, re-checks and re-renders the edited pages. `Ok(None)` when an edit
    /// reaches further than its page (a heading id that links elsewhere can point at).
    fn update_pages(&mut self, edits: Vec<(usize, String)>) -> Result<Option<Update>, Failure> {
        let site = &self.built.site;
        let parts = &self.built.parts;
        let smart = site.config.markdown.smart_punctuation;
        let html_context = HtmlContext {
            charts: &site.data.charts,
            glossary: &site.data.glossary,
        };
        let globals = context::globals(site);
        let mut redone = Vec::with_capacity(edits.len());
        for (id, source) in edits {
            let mut page = site.pages[id].clone();
            page.source = source;
            let mut doc = markdown::parse(&page.source, page.body_offset, smart);
            let ids = |d: &Document| d.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
            if ids(&doc) != ids(&self.documents[id]) {
                return Ok(None);
            }
            let mut found = build::check_page(site, &page, &mut doc, &parts.targets, parts.today);
            let body = Body {
                html: markdown::to_html(&doc, &html_context),
                headings: doc.headings.clone(),
            };
            // Templates read front matter, not the source: the page as the site has it
            // renders the new body correctly.
            let rendered =
                match render::render_page(site, &parts.theme, id, &body, &parts.pdfs, &globals) {
                    Ok(rendered) => Some(rendered),
                    Err(d) => {
                        found.push(d);
                        None
                    }
                };
            redone.push((id, page.source, doc, body, found, rendered));
        }

        let strict = self.options.strict;
        if redone
            .iter()
            .flat_map(|r| &r.4)
            .any(|d| build::stops_build(d, strict))
        {
            let mut all = parts.site_found.clone();
            for (id, found) in parts.page_found.iter().enumerate() {
                match redone.iter().find(|r| r.0 == id) {
                    Some(r) => all.extend(r.4.iter().cloned()),
                    None => all.extend(found.iter().cloned()),
                }
            }
            return Err(build::failure(all, strict));
        }

        let mut changed = 0;
        let built = &mut self.built;
        for (id, source, doc, body, found, rendered) in redone {
            built.site.pages[id].source = source;
            self.documents[id] = Arc::new(doc);
            built.parts.bodies[id] = body;
            built.parts.page_found[id] = found;
            if let Some((path, bytes)) = rendered {
                let same = matches!(built.output.get(&path), Some(File::Bytes(old)) if old[..] == bytes[..]);
                if !same {
                    changed += 1;
                    built.output.add(path, bytes);
                }
            }
        }
        Ok(Some(Update {
            changed,
            whole: false,
        }))
    }

    /// Builds the whole site again, keeping the PDFs and search index of the last build
    /// until [`Workspace::finishing`] replaces them.
    fn update_whole(&mut self) -> Result<Update, Failure> {
        let options = BuildOptions {
            known_pdfs: self.built.pdf_infos.clone(),
            ..self.options.clone()
        };
        let mut built = build::build(&options)?;
        for (path, file) in &self.built.output.files {
            if is_slow_output(path) && !built.output.files.contains_key(path) {
                built.output.files.insert(path.clone(), file.clone());
            }
        }
        let changed = changed_files(&self.built.output, &built.output);
        self.documents = take_documents(&mut built);
        self.built = built;
        Ok(Update {
            changed,
            whole: true,
        })
    }

    /// What the slow steps (PDFs, search index) need, copied out so that they can run
    /// while the workspace takes further edits.
    pub fn finishing(&self) -> Finishing {
        Finishing {
            version: self.version,
            site: self.built.site.clone(),
            documents: self.documents.clone(),
            options: BuildOptions {
                pdf: true,
                search: true,
                ..self.options.clone()
            },
        }
    }

    /// Adds the PDFs and search index that [`Finishing::run`] made, unless the site has
    /// changed since: then they describe an older site and a newer run will follow.
    /// Pages whose download block changed are rendered again. Returns the number of
    /// files that changed, or `None` when the result was too old to use.
    pub fn finish(&mut self, finished: Finished) -> Option<usize> {
        if finished.version != self.version {
            return None;
        }
        let built = &mut self.built;
        let mut output = built.output.clone();
        output.files.retain(|path, _| !is_slow_output(path));
        for (path, file) in finished.output.files {
            output.files.insert(path, file);
        }
        let stale: Vec<usize> = built
            .site
            .booklets()
            .filter(|b| {
                let old = built.parts.pdfs.get(b).map(|i| (i.bytes, i.pages));
                let new = finished.pdfs.get(b).map(|i| (i.bytes, i.pages));
                old != new
            })
            .collect();
        built.parts.pdfs = finished.pdfs;
        built.pdf_infos = built
            .parts
            .pdfs
            .values()
            .map(|i| (i.url.clone(), i.clone()))
            .collect();
        let globals = context::globals(&built.site);
        for (id, page) in built.site.pages.iter().enumerate() {
            if !page.booklet.is_some_and(|b| stale.contains(&b)) {
                continue;
            }
            let parts = &built.parts;
            if let Ok((path, bytes)) = render::render_page(
                &built.site,
                &parts.theme,
                id,
                &parts.bodies[id],
                &parts.pdfs,
                &globals,
            ) {
                output.add(path, bytes);
            }
        }
        let changed = changed_files(&built.output, &output);
        built.output = output;
        Some(changed)
    }
}

/// The input of the slow steps, taken from a [`Workspace`].
pub struct Finishing {
    version: u64,
    site: Site,
    documents: Vec<Arc<Document>>,
    options: BuildOptions,
}

/// The PDFs and search index of one version of the site.
pub struct Finished {
    version: u64,
    pdfs: BTreeMap<usize, PdfInfo>,
    output: Output,
    /// Typesetting or indexing problems; the pages themselves are fine.
    pub problems: Vec<Diagnostic>,
}

impl Finishing {
    /// Typesets the booklets that changed (the others come from the PDF cache) and builds
    /// the search index.
    pub fn run(self) -> Finished {
        let documents: Vec<Document> = self.documents.iter().map(|d| (**d).clone()).collect();
        let mut output = Output::default();
        let mut problems = Vec::new();
        let pdfs = match build::booklet_pdfs(&self.site, &documents, &self.options, &mut output) {
            Ok((pdfs, _, _)) => pdfs,
            Err(found) => {
                problems.extend(found);
                BTreeMap::new()
            }
        };
        if let Err(problem) = crate::search::index(&self.site, &documents, &mut output) {
            problems.push(problem);
        }
        Finished {
            version: self.version,
            pdfs,
            output,
            problems,
        }
    }
}

fn take_documents(built: &mut Built) -> Vec<Arc<Document>> {
    std::mem::take(&mut built.parts.documents)
        .into_iter()
        .map(Arc::new)
        .collect()
}

/// Files the quick builds do not make: the PDFs and the search index.
fn is_slow_output(path: &Path) -> bool {
    path.starts_with(crate::search::INDEX_DIR) || path.extension().is_some_and(|e| e == "pdf")
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
