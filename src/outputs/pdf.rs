//! The typeset booklets, one output a format, each file beside the booklet's pages:
//!
//! - the PDF (`/schools/schools.pdf`): tagged PDF/UA-1 with PDF/A-2a;
//! - the large print PDF (`/schools/schools-large-print.pdf`), for readers with low vision,
//!   following UK clear print guidance (UKAAF, RNIB): A4, body text of 16 pt or more, larger
//!   headings, generous line spacing, left aligned, a page number on every page. The print
//!   template reads `meta.large_print` and sets its sizes from it; tagged like the PDF;
//! - the print room's booklet (`/schools/schools-print-room.pdf`): A5 pages imposed for
//!   saddle stitching, two to each side of an A4 landscape sheet, padded with blanks to a
//!   multiple of four. An A5 booklet's own PDF is imposed; an A4 booklet's large print is,
//!   reduced to A5, which sets its text at 12 pt (see [`print::imposed_variant`]). Either is
//!   read from the other output's cache, or typeset here when that format is off. It is for
//!   printers, so the download block does not list it; the booklet's page links to it under
//!   "For printing".
//!
//! All three are typeset by the same steps ([`typeset_booklets`]), each booklet with its
//! [`Variant`]. Cache key: the print template and fonts, the booklet's generated markup (its
//! pages' text, links resolved), its data (front matter, settings, charts, the variant), its
//! images and the date the file carries.

use std::time::Instant;

use super::{Group, Input, Made, Needs, Output, Typeset};
use crate::cache::{Entry, Key};
use crate::config::Format;
use crate::content::{PageId, Site};
use crate::diagnostics::Diagnostic;
use crate::files::Download;
use crate::print::{self, Typesetter, Variant};
use crate::theme::Theme;

/// The booklets typeset in one format: the PDF, large print or the print room's.
pub struct Booklets(pub Format);

impl Output for Booklets {
    fn name(&self) -> &'static str {
        match self.0 {
            Format::LargePrint => "large-print",
            Format::PrintRoom => "print-room",
            // The EPUB is its own output (`epub.rs`), not a typeset one.
            Format::Pdf | Format::Epub => "pdf",
        }
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

    fn reads_cache_of(&self, site: &Site) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.0 == Format::PrintRoom {
            for booklet in site.booklets_in(Format::PrintRoom) {
                let name = typeset_by(print::imposed_variant(site, booklet));
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
    }

    fn links(&self, site: &Site, _theme: &Theme) -> Vec<String> {
        links(site, self.0)
    }

    fn make(&self, input: &Input, _only: Option<&[PageId]>, made: &mut Made) {
        let imposed = self.0 == Format::PrintRoom;
        typeset_booklets(self.name(), self.0, input, made, |input, booklet, pdf| {
            if imposed {
                print::impose(input.site, booklet, &pdf)
            } else {
                Ok(pdf)
            }
        });
    }
}

/// The site paths of every booklet's file in a format, made this time or not: `--no-pdf`
/// or a format turned off does not make a link to it wrong.
pub(super) fn links(site: &Site, format: Format) -> Vec<String> {
    site.booklets()
        .map(|b| site.download_url(b, format))
        .collect()
}

/// The output whose cache holds a booklet typeset as `variant`.
fn typeset_by(variant: Variant) -> &'static str {
    match variant {
        Variant::Standard => "pdf",
        Variant::LargePrint => "large-print",
    }
}

/// Typesets every booklet made in `format`, then `finish`es it (the print room imposes it),
/// one booklet at a time, reading unchanged ones from the cache of the output `name`. Each
/// is a file beside the booklet's pages and a download of the booklet.
pub(super) fn typeset_booklets(
    name: &str,
    format: Format,
    input: &Input,
    made: &mut Made,
    finish: impl Fn(&Input, PageId, print::Pdf) -> Result<print::Pdf, Diagnostic>,
) {
    let site = input.site;
    let booklets: Vec<PageId> = site.booklets_in(format).collect();
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
    input.progress.step(
        match format {
            Format::Pdf => "Typesetting PDFs",
            Format::LargePrint => "Typesetting large print",
            Format::Epub | Format::PrintRoom => "Typesetting for printing",
        },
        booklets.len(),
    );
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
        // The glyph warnings are the standard PDF's to give: the same text, said once.
        if format == Format::Pdf {
            made.problems.extend(typesetter.check_glyphs(site, booklet));
        }
        let variant = match format {
            Format::LargePrint => Variant::LargePrint,
            Format::PrintRoom => print::imposed_variant(site, booklet),
            Format::Pdf | Format::Epub => Variant::Standard,
        };
        let prepared = typesetter.prepare(site, booklet, &documents, variant);
        let typeset_key = typesetter.key(&prepared);
        // What `finish` does is part of the key: the same typesetting finished otherwise is
        // another file.
        let key = if format == Format::PrintRoom {
            Key::of([typeset_key.as_bytes(), b"imposed for saddle stitching, 2"])
        } else {
            typeset_key.clone()
        };
        let (result, cached) = match input.cache.get(name, &key) {
            Some(entry) => (Ok(entry), true),
            None => {
                // The same typesetting may be another output's already (the print room
                // imposes the PDF or the large print).
                let typeset = match input.cache.get(typeset_by(variant), &typeset_key) {
                    Some(entry) => Ok(print::Pdf {
                        bytes: entry.bytes,
                        pages: entry.pages,
                    }),
                    None => typeset(&typesetter, input, booklet, prepared),
                };
                let result = typeset
                    .and_then(|pdf| finish(input, booklet, pdf).map_err(|d| vec![d]))
                    .map(|pdf| Entry {
                        bytes: pdf.bytes,
                        pages: pdf.pages,
                    });
                if let Ok(entry) = &result {
                    input.cache.put(name, &key, entry);
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
            format,
            cached,
            time: started.elapsed(),
        });
        match result {
            Ok(entry) => {
                let url = site.download_url(booklet, format);
                made.downloads.entry(booklet).or_default().push(Download {
                    format,
                    title: site.pages[booklet].front.title.clone(),
                    url: url.clone(),
                    bytes: entry.bytes.len(),
                    pages: Some(entry.pages),
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

/// Typesets a booklet. Typst is not expected to panic, but a panic must not take the build
/// down without saying which booklet it was.
fn typeset(
    typesetter: &Typesetter,
    input: &Input,
    booklet: PageId,
    prepared: print::Prepared,
) -> Result<print::Pdf, Vec<Diagnostic>> {
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
}
