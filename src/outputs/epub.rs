//! The EPUB booklets: every booklet as a reflowable EPUB 3 with EPUB Accessibility 1.1
//! metadata, next to its pages: `/schools/schools.epub`. Made by the EPUB renderer
//! (`src/ebook/`) from the pages' body HTML.
//!
//! Cache key: every file of the book (its chapters' XHTML, package, navigation, stylesheet
//! and images) and its date. Packing is quick; the cache keeps an unchanged booklet's file
//! byte for byte what it was, and lets the summary say it was unchanged.

use std::time::Instant;

use super::pdf::links;
use super::{Group, Input, Made, Needs, Output, Typeset};
use crate::cache::Entry;
use crate::config::Format;
use crate::content::{PageId, Site};
use crate::diagnostics::Diagnostic;
use crate::ebook;
use crate::files::Download;
use crate::theme::Theme;

pub struct Epub;

impl Output for Epub {
    fn name(&self) -> &'static str {
        "epub"
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
        links(site, Format::Epub)
    }

    fn make(&self, input: &Input, _only: Option<&[PageId]>, made: &mut Made) {
        let site = input.site;
        let booklets: Vec<PageId> = site.booklets_in(Format::Epub).collect();
        if booklets.is_empty() {
            return;
        }
        let stylesheet = match input.theme.file(ebook::STYLESHEET).map(|f| f.bytes()) {
            Some(Ok(bytes)) => bytes.into_owned(),
            Some(Err(e)) => {
                made.problems.push(
                    Diagnostic::error(
                        crate::config::FILE_NAME,
                        format!("cannot read the theme's {}: {e}", ebook::STYLESHEET),
                    )
                    .hint("check the file's permissions, or build with --no-pdf"),
                );
                return;
            }
            // A theme without one gets the reader's own styles.
            None => Vec::new(),
        };
        input.progress.step("Making EPUBs", booklets.len());
        for booklet in booklets {
            let started = Instant::now();
            let _working = crate::guard::working_on(&site.pages[booklet].file);
            let bodies: Vec<_> = site
                .booklet_pages(booklet)
                .into_iter()
                .map(|id| (id, input.html(id)))
                .collect();
            let pages: Vec<(PageId, &str)> =
                bodies.iter().map(|(id, h)| (*id, h.as_ref())).collect();
            let book = ebook::prepare(site, booklet, &pages, &stylesheet);
            let key = ebook::key(&book);
            let (entry, cached) = match input.cache.get(self.name(), &key) {
                Some(entry) => (entry, true),
                None => match ebook::pack(&book) {
                    Ok(bytes) => {
                        let entry = Entry {
                            bytes,
                            pages: book.chapters,
                        };
                        input.cache.put(self.name(), &key, &entry);
                        (entry, false)
                    }
                    Err(e) => {
                        made.problems.push(
                            Diagnostic::error(
                                &site.pages[booklet].file,
                                format!("the EPUB of this booklet cannot be made: {e}"),
                            )
                            .at(1, 1)
                            .hint("report this as a bug in folio; `formats: {epub: false}` in the front matter leaves the EPUB out"),
                        );
                        continue;
                    }
                },
            };
            input.progress.advance();
            made.typeset.push(Typeset {
                booklet,
                format: Format::Epub,
                cached,
                time: started.elapsed(),
            });
            let url = site.download_url(booklet, Format::Epub);
            made.downloads.entry(booklet).or_default().push(Download {
                format: Format::Epub,
                title: site.pages[booklet].front.title.clone(),
                url: url.clone(),
                bytes: entry.bytes.len(),
                pages: None,
            });
            let path = std::path::PathBuf::from(url.trim_start_matches('/'));
            match input.file(&path, entry.bytes) {
                Ok(file) => {
                    made.files.files.insert(path, file);
                }
                Err(d) => made.problems.push(d),
            }
        }
    }
}
