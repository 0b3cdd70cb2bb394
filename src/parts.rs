//! One page, from its source to its checked, rendered parts: the one route every page takes,
//! in `folio build` for every page and in `folio serve` for the pages an edit touched.
//!
//! Each page is parsed once. Links cross pages, but a link's address needs only the other
//! page's file and address, known before any page is read ([`targets`]): [`complete`]
//! parses the page, resolves its links, runs the checks and renders its body to HTML. Links
//! to headings on other pages are checked last ([`check_fragments`]), once every page's
//! headings are in the targets ([`add_headings`]). The parsed Markdown is never kept for
//! the whole site (it is most of a page's memory): outputs that read it again, the PDFs and
//! the search index, get it from [`document`].

use std::path::Path;

use crate::content::{CONTENT_DIR, Page, PageId, Site};
use crate::diagnostics::Diagnostic;
use crate::lint::Checks;
use serde::{Deserialize, Serialize};

use crate::markdown::{self, Document, FragmentLink, Heading, HtmlContext, LinkTargets};

/// What the outputs need of one page, kept for the whole build.
#[derive(Debug, Clone, Default)]
pub struct PageParts {
    /// A hash of everything the parts were made from: the page's source and what
    /// [`site_key`] covers.
    pub key: u128,
    /// Its headings, with their ids.
    pub headings: Vec<Heading>,
    /// Its body as HTML; `None` when the parts came from the last build's records, or were
    /// made with [`Body::Later`] (an output that needs it makes it with [`html`]).
    pub html: Option<String>,
    /// What is wrong with the page's own file: links, checks, placeholders (see
    /// [`PageParts::problems`] for all of it).
    pub found: Vec<Diagnostic>,
    /// Its links to headings on other pages.
    pub fragments: Vec<FragmentLink>,
    /// Those of them that lead to no heading, from [`check_fragments`].
    pub broken_fragments: Vec<Diagnostic>,
}

impl PageParts {
    /// Everything wrong with the page's own file.
    pub fn problems(&self) -> impl Iterator<Item = &Diagnostic> {
        self.found.iter().chain(&self.broken_fragments)
    }
}

/// What a build keeps of a page for the next one, so that a page whose inputs did not
/// change is neither parsed nor checked again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PageRecord {
    /// [`PageParts::key`] of the parts.
    pub key: u128,
    pub headings: Vec<Heading>,
    pub found: Vec<Diagnostic>,
    /// Checked again in every build ([`check_fragments`]): the headings they lead to may
    /// have changed.
    pub fragments: Vec<FragmentLink>,
}

impl PageRecord {
    pub fn of(parts: &PageParts) -> PageRecord {
        PageRecord {
            key: parts.key,
            headings: parts.headings.clone(),
            found: parts.found.clone(),
            fragments: parts.fragments.clone(),
        }
    }

    /// The parts again, their links to other pages' headings not yet checked.
    pub fn into_parts(self) -> PageParts {
        PageParts {
            key: self.key,
            headings: self.headings,
            html: None,
            found: self.found,
            fragments: self.fragments,
            broken_fragments: Vec::new(),
        }
    }
}

/// What every page's parts depend on beyond the page's own source: the site's settings,
/// the theme, the data files, every page's file, address and front matter (titles, order,
/// the tree), the date the checks run against, and every target a link can point at
/// but the pages' heading ids (see [`check_fragments`]).
pub fn site_key(
    site: &Site,
    theme: &crate::theme::Theme,
    today: chrono::NaiveDate,
    targets: &LinkTargets,
) -> u128 {
    let mut key = crate::cache::Fingerprint::new();
    let read = |file: &str| std::fs::read(site.root.join(file)).unwrap_or_default();
    key.add(&read(crate::config::FILE_NAME))
        .add(site.config.base_url.as_bytes())
        .add(&theme.web_fingerprint().to_le_bytes())
        .add(today.to_string().as_bytes())
        .add(crate::text::build_date().to_string().as_bytes())
        .add(&targets.fingerprint().to_le_bytes());
    for file in crate::content::data::FILES {
        key.add(&read(file));
    }
    for (_, page) in site.pages.iter() {
        key.add(page.file.as_os_str().as_encoded_bytes())
            .add(page.url.as_bytes())
            .add(page.front_text().as_bytes());
    }
    key.finish()
}

/// [`PageParts::key`] of a page: [`site_key`] and its own source.
pub fn page_key(site_key: u128, page: &Page) -> u128 {
    let mut key = crate::cache::Fingerprint::new();
    key.add(&site_key.to_le_bytes())
        .add(page.file.as_os_str().as_encoded_bytes())
        .add(page.url.as_bytes())
        .add(&page.source.hash().to_le_bytes());
    key.finish()
}

/// A page's Markdown, parsed, with heading ids.
pub fn parse(site: &Site, page: &Page) -> Document {
    let _working = crate::guard::working_on(&page.file);
    markdown::parse(
        page.text(),
        page.body_offset,
        site.config.markdown.smart_punctuation,
    )
}

/// Every page and file a link can point at. `site_files` are the site paths of the other
/// files the outputs will make (stylesheets, PDFs). The pages' heading ids come later, from
/// their parts ([`add_headings`]).
pub fn targets(site: &Site, site_files: impl IntoIterator<Item = String>) -> LinkTargets {
    let mut targets = LinkTargets::default();
    for (_, page) in site.pages.iter() {
        targets.add_page(page.file.clone(), page.url.clone(), []);
    }
    for page in &site.unloaded {
        // A page whose front matter is broken still has its headings: links to them are
        // checked in the same run as the front matter's error is reported.
        match page.body_offset {
            Some(body) => {
                let document =
                    markdown::parse(&page.source, body, site.config.markdown.smart_punctuation);
                targets.add_page(
                    page.file.clone(),
                    page.url.clone(),
                    document.headings.into_iter().map(|h| h.id),
                );
            }
            None => targets.add_unloaded_page(page.file.clone()),
        }
    }
    for url in site_files {
        targets.add_site_file(url);
    }
    for relative in &site.files {
        targets.add_file(Path::new(CONTENT_DIR).join(relative));
    }
    for link in &site.links_outside {
        targets.add_outside(link.clone());
    }
    for chart in &site.data.charts {
        targets.add_chart(chart.id.clone());
    }
    targets
}

/// Every page's heading ids, from its parts, into `targets`.
pub fn add_headings<'a>(
    site: &Site,
    targets: &mut LinkTargets,
    parts: impl Iterator<Item = (PageId, &'a PageParts)>,
) {
    for (id, parts) in parts {
        targets.set_ids(
            &site.page(id).file,
            parts.headings.iter().map(|h| h.id.clone()),
        );
    }
}

/// The last step, once every page's headings are in `targets`: the page's links to
/// headings on other pages that are not there (its parts' `broken_fragments`).
pub fn check_fragments(page: &Page, parts: &PageParts, targets: &LinkTargets) -> Vec<Diagnostic> {
    // The text only to point at a broken link: an unchanged page's file is not read.
    markdown::check_fragments(&page.file, || page.text(), &parts.fragments, targets)
}

/// Whether [`complete`] renders a page's body now or leaves it to the output that needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    Rendered,
    /// Rendered again from the source when the pages are made ([`html`]): a build that
    /// typesets booklets or indexes the site first would hold every page's HTML meanwhile.
    Later,
}

/// A page parsed, its links resolved, the page checked, the body rendered (or not, see
/// [`Body`]). `key` is the page's [`page_key`]. Its links to headings on other pages are
/// checked later, by [`check_fragments`].
pub fn complete(
    site: &Site,
    page: &Page,
    mut document: Document,
    targets: &LinkTargets,
    checks: &Checks,
    key: u128,
    body: Body,
) -> PageParts {
    let _working = crate::guard::working_on(&page.file);
    let resolved = markdown::resolve_links(&page.file, page.text(), &mut document, targets);
    let mut found = resolved.problems;
    found.extend(checks.page(page, &document));
    let html = (body == Body::Rendered).then(|| to_html(site, &document));
    PageParts {
        key,
        headings: document.headings,
        html,
        found,
        fragments: resolved.fragments,
        broken_fragments: Vec::new(),
    }
}

fn to_html(site: &Site, document: &Document) -> String {
    let context = HtmlContext {
        charts: &site.data.charts,
        glossary: &site.data.glossary,
        base_path: site.config.base_path(),
    };
    markdown::to_html(document, &context)
}

/// A page's body as HTML, as [`complete`] makes it, for parts that came from the records.
pub fn html(site: &Site, page: &Page, targets: &LinkTargets) -> String {
    let _working = crate::guard::working_on(&page.file);
    to_html(site, &document(site, page, targets))
}

/// A page's Markdown, parsed again, with its links resolved to site paths: what [`complete`]
/// read, for the outputs that read the text itself.
pub fn document(site: &Site, page: &Page, targets: &LinkTargets) -> Document {
    let mut document = parse(site, page);
    // Its problems were reported when the page was completed.
    let _ = markdown::resolve_links(&page.file, page.text(), &mut document, targets);
    document
}
