//! The PDF booklets: every booklet typeset as a tagged PDF (PDF/UA-1 with PDF/A-2a) next
//! to its pages, `/schools/schools.pdf`.
//!
//! Cache key: the print template and fonts, the booklet's generated markup (its pages'
//! text, links resolved), its data (front matter, settings, charts), its images and the date
//! the PDF carries.

use std::time::Instant;

use super::{Group, Input, Made, Needs, Output, Typeset};
use crate::cache::Entry;
use crate::content::{PageId, Site};
use crate::diagnostics::Diagnostic;
use crate::files::Download;
use crate::print::{self, Typesetter};
use crate::theme::Theme;

pub struct Pdf;

/// The format's name, as download blocks show it.
pub const FORMAT: &str = "PDF";

impl Output for Pdf {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn needs(&self) -> Needs {
        Needs {
            pages: true,
            downloads: false,
        }
    }

    fn slow(&self) -> bool {
        true
    }

    fn group(&self) -> Group {
        Group::Typeset
    }

    fn links(&self, site: &Site, _theme: &Theme) -> Vec<String> {
        site.booklets()
            .map(|b| site.download_url(b, "pdf"))
            .collect()
    }

    fn make(&self, input: &Input, _only: Option<&[PageId]>, made: &mut Made) {
        let site = input.site;
        let booklets: Vec<PageId> = site.booklets().collect();
        if booklets.is_empty() {
            return;
        }
        let typesetter = match Typesetter::load(input.theme, &input.site.config.brand) {
            Ok(t) => t,
            Err(d) => {
                made.problems.push(d);
                return;
            }
        };
        input.progress.step("Typesetting PDFs", booklets.len());
        // One booklet at a time: Typst lays out each booklet's pages in parallel itself, and
        // booklets side by side on rayon interleave (a worker waiting inside one booklet's
        // layout starts the next), so every booklet of the site was in memory at once.
        for booklet in booklets {
            let started = Instant::now();
            let _working = crate::guard::working_on(&site.pages[booklet].file);
            let read: Vec<_> = site
                .booklet_pages(booklet)
                .into_iter()
                .map(|id| (id, input.document(id)))
                .collect();
            let documents: Vec<_> = read.iter().map(|(id, d)| (*id, d)).collect();
            made.problems.extend(typesetter.check_glyphs(site, booklet));
            let prepared = typesetter.prepare(site, booklet, &documents);
            let key = typesetter.key(&prepared);
            let (result, cached) = match input.cache.get(self.name(), &key) {
                Some(entry) => (Ok(entry), true),
                None => {
                    let result = typeset(&typesetter, input, booklet, prepared);
                    if let Ok(entry) = &result {
                        input.cache.put(self.name(), &key, entry);
                    }
                    // Typst memoises what it lays out, across documents. Keep what the last
                    // booklet used (typesetting it again after an edit reuses it) and drop
                    // the rest, so a build holds no more than two booklets' layouts.
                    typst::comemo::evict(1);
                    (result, false)
                }
            };
            input.progress.advance();
            made.typeset.push(Typeset {
                booklet,
                cached,
                time: started.elapsed(),
            });
            match result {
                Ok(entry) => {
                    let url = site.download_url(booklet, "pdf");
                    made.downloads.entry(booklet).or_default().push(Download {
                        format: FORMAT,
                        title: site.pages[booklet].front.title.clone(),
                        url: url.clone(),
                        bytes: entry.bytes.len(),
                        pages: entry.pages,
                    });
                    let path = std::path::PathBuf::from(url.trim_start_matches('/'));
                    match input.file(&path, entry.bytes) {
                        Ok(file) => {
                            made.files.files.insert(path, file);
                        }
                        Err(d) => made.problems.push(d),
                    }
                }
                Err(found) => {
                    // A fault in the print template shows up once per booklet: report it once.
                    for d in found {
                        if !made
                            .problems
                            .iter()
                            .any(|p| p.file == d.file && p.line == d.line && p.message == d.message)
                        {
                            made.problems.push(d);
                        }
                    }
                }
            }
        }
    }
}

/// Typesets a booklet. Typst is not expected to panic, but a panic must not take the build
/// down without saying which booklet it was.
fn typeset(
    typesetter: &Typesetter,
    input: &Input,
    booklet: PageId,
    prepared: print::Prepared,
) -> Result<Entry, Vec<Diagnostic>> {
    let site = input.site;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        typesetter.typeset(site, prepared)
    }))
    .unwrap_or_else(|_| {
        Err(vec![
            Diagnostic::error(
                &site.pages[booklet].file,
                "the PDF typesetter stopped unexpectedly on this booklet",
            )
            .at(1, 1)
            .hint("build with --no-pdf to get the web pages, and report this as a bug in folio"),
        ])
    })
    .map(|pdf| Entry {
        bytes: pdf.bytes,
        pages: pdf.pages,
    })
}
