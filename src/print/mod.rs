//! The print renderer: a booklet's pages, converted to Typst markup, typeset with the
//! theme's print template and exported as a tagged PDF (PDF/UA-1 with PDF/A-2a), all in
//! process.

mod glyphs;
mod impose;
mod markup;
mod world;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use typst::WorldExt;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::cache::Key;
use crate::config::Paper;
use crate::content::{PageId, Site};
use crate::diagnostics::{self, Diagnostic};
use crate::markdown::Document;
use crate::text::{confirm, date_value, number_text};
use crate::theme::{self, Theme};

pub use markup::{LinkTarget, Links, Markup, escape, label, literal};

/// The print template inside a theme's `print/` folder.
const TEMPLATE: &str = "booklet.typ";

/// How a booklet is typeset: the print template reads it from its data (`meta.variant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// On the booklet's paper: A4, or A5 when the booklet or site.yaml says so.
    Standard,
    /// Large print for readers with low vision (UKAAF and RNIB clear print guidance): A4,
    /// body text of 16 pt or more, larger headings, generous line spacing.
    LargePrint,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Variant::Standard => "standard",
            Variant::LargePrint => "large-print",
        }
    }
}

/// A typeset booklet.
#[derive(Debug, Clone)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// A booklet's generated markup, data and images, ready to typeset.
pub struct Prepared {
    booklet: PageId,
    markup: Markup,
    meta: Vec<u8>,
    images: Vec<(String, Vec<u8>)>,
    timestamp: NaiveDate,
}

/// Loads the print template and fonts once per build; typesets any number of booklets.
pub struct Typesetter {
    shared: std::sync::Arc<world::Shared>,
    /// Template files: virtual path (`/theme/booklet.typ`) -> (file shown in errors, bytes).
    files: Vec<(String, std::path::PathBuf, Vec<u8>)>,
    /// Hash of everything above, part of every cache key.
    fingerprint: [u8; 32],
}

impl Typesetter {
    /// Reads the theme's `print/` folder: the template, what it imports, and fonts; and the
    /// site's logo, for the cover.
    pub fn load(theme: &Theme, brand: &crate::config::Brand) -> Result<Typesetter, Diagnostic> {
        if theme
            .file(&format!("{}/{TEMPLATE}", theme::PRINT))
            .is_none()
        {
            return Err(Diagnostic::error(
                crate::config::FILE_NAME,
                format!("the theme `{}` has no print template", theme.name),
            )
            .hint(format!(
                "add themes/{}/{}/{TEMPLATE}, or build with --no-pdf",
                theme.name,
                theme::PRINT
            )));
        }
        let mut files = Vec::new();
        let mut fonts = Vec::new();
        let mut hasher = Sha256::new();
        hasher.update(env!("CARGO_PKG_VERSION"));
        for file in theme.files_under(theme::PRINT) {
            let relative = &file.path[theme::PRINT.len() + 1..];
            let bytes = file.bytes().map_err(|e| {
                Diagnostic::error(&file.shown, format!("cannot read the print template: {e}"))
            })?;
            hasher.update(relative.as_bytes());
            hasher.update(&bytes);
            let ext = relative.rsplit('.').next().unwrap_or("");
            if matches!(ext, "otf" | "ttf" | "otc" | "ttc") {
                fonts.push(bytes);
            } else {
                files.push((
                    format!("/theme/{relative}"),
                    file.shown.clone(),
                    bytes.into_owned(),
                ));
            }
        }
        if let Some(logo) = &brand.logo
            && let Some(file) = theme.static_file(&logo.file)
            && let Ok(bytes) = file.bytes()
        {
            let path = logo_path(&logo.file);
            hasher.update(path.as_bytes());
            hasher.update(&bytes);
            files.push((path, file.shown.clone(), bytes.into_owned()));
        }
        let fingerprint: [u8; 32] = hasher.finalize().into();
        Ok(Typesetter {
            shared: shared(fingerprint, &fonts),
            files,
            fingerprint,
        })
    }

    /// Everything that goes into a booklet's PDF: its own page, then its chapters in order.
    /// `documents` holds the parsed page of each of them.
    pub fn prepare(
        &self,
        site: &Site,
        booklet: PageId,
        documents: &[(PageId, &Document)],
        variant: Variant,
    ) -> Prepared {
        let charts: HashSet<String> = site.data.charts.iter().map(|c| c.id.clone()).collect();
        let links = BookletLinks::new(site, documents);

        let mut markup = Markup::default();
        markup.push_raw("#import \"/theme/booklet.typ\": *\n#show: booklet\n\n#intro[\n");
        for (chapter, (id, document)) in documents.iter().enumerate() {
            if chapter > 0 {
                markup.push_raw(&format!(
                    "]\n\n#chapter(meta.chapters.at({}))[\n",
                    chapter - 1
                ));
            }
            markup::convert(
                &markup::PageInput {
                    page: *id,
                    chapter,
                    document,
                    // The booklet's own page is under its "Overview" heading, as chapters are
                    // under their titles.
                    title_level: 1,
                    charts: &charts,
                    glyphs: &self.shared.glyphs,
                },
                &links,
                &mut markup,
            );
        }
        markup.push_raw("]\n\n#closing()\n");

        let members: Vec<PageId> = documents.iter().map(|(id, _)| *id).collect();
        let meta = printable(meta(site, booklet, &members, variant), &self.shared.glyphs);
        let meta = serde_json::to_vec_pretty(&meta).unwrap_or_default();
        let images = images(site, &markup);
        Prepared {
            booklet,
            markup,
            meta,
            images,
            timestamp: timestamp(),
        }
    }

    /// A warning for each character of the booklet's pages that no print font has.
    pub fn check_glyphs(&self, site: &Site, booklet: PageId) -> Vec<Diagnostic> {
        site.booklet_pages(booklet)
            .into_iter()
            .flat_map(|id| {
                let page = site.page(id);
                self.shared.glyphs.check(&page.file, page.text())
            })
            .collect()
    }

    /// The cache key of a prepared booklet: the template and fonts, and everything prepared.
    pub fn key(&self, prepared: &Prepared) -> Key {
        let date = prepared.timestamp.to_string();
        let mut parts: Vec<&[u8]> = vec![
            &self.fingerprint,
            prepared.markup.text.as_bytes(),
            &prepared.meta,
        ];
        for (path, bytes) in &prepared.images {
            parts.push(path.as_bytes());
            parts.push(bytes);
        }
        parts.push(date.as_bytes());
        Key::of(parts)
    }

    /// Typesets a prepared booklet into a tagged PDF.
    pub fn typeset(&self, site: &Site, prepared: Prepared) -> Result<Pdf, Vec<Diagnostic>> {
        let Prepared {
            booklet,
            markup,
            meta,
            images,
            timestamp,
        } = prepared;
        let page = &site.pages[booklet];
        let mut world = world::BookletWorld::new(
            self.shared.clone(),
            markup.text.clone(),
            typst_date(timestamp),
        );
        world.add("/meta.json", meta);
        for (path, _, bytes) in &self.files {
            world.add(path, bytes.clone());
        }
        for (path, bytes) in images {
            world.add(&path, bytes);
        }

        let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
        let document =
            output.map_err(|errors| self.report(site, booklet, &world, &markup, &errors))?;
        let standards = PdfStandards::new(&[PdfStandard::Ua_1, PdfStandard::A_2a])
            .expect("PDF/UA-1 and PDF/A-2a are compatible");
        let options = PdfOptions {
            ident: Smart::Custom(site.config.permalink(&page.url)),
            creator: Smart::Custom(Some(format!("folio {}", env!("CARGO_PKG_VERSION")))),
            timestamp: Some(Timestamp::new_utc(typst_datetime(timestamp))),
            page_ranges: None,
            standards,
            tagged: true,
            pretty: false,
        };
        let bytes = typst_pdf::pdf(&document, &options)
            .map_err(|errors| self.report(site, booklet, &world, &markup, &errors))?;
        Ok(Pdf {
            bytes,
            pages: document.pages().len(),
        })
    }

    /// Typst's errors as folio diagnostics, pointing at the Markdown (or the template) that
    /// caused them.
    fn report(
        &self,
        site: &Site,
        booklet: PageId,
        world: &world::BookletWorld,
        markup: &Markup,
        errors: &[SourceDiagnostic],
    ) -> Vec<Diagnostic> {
        let index = &site.pages[booklet];
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        for error in errors {
            let hint = if error.message.contains("could not be displayed with font") {
                "the print font has no glyph for this character (emoji and some symbols \
                 have none); write it in words instead"
                    .to_string()
            } else {
                error
                    .hints
                    .iter()
                    .map(|h| h.v.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let message = format!("the PDF of this booklet cannot be made: {}", error.message);
            // An error inside a template function is reported where the content called it.
            let span = std::iter::once(error.span)
                .chain(error.trace.iter().rev().map(|t| t.span.into()))
                .find(|s: &typst::syntax::DiagSpan| s.id() == Some(world.main_id()))
                .unwrap_or(error.span);
            let range = world.range(span);
            let diagnostic = match (span.id(), range) {
                (Some(id), Some(range)) if id == world.main_id() => {
                    match markup.origin_of(range.start) {
                        Some(origin) => {
                            let page = &site.pages[origin.page];
                            let (line, column) =
                                diagnostics::line_column(page.text(), origin.offset);
                            Diagnostic::error(&page.file, message).at(line, column)
                        }
                        None => Diagnostic::error(&index.file, message).at(1, 1),
                    }
                }
                (Some(id), Some(range)) => {
                    let vpath = id.get().vpath().get_with_slash().to_string();
                    match self.files.iter().find(|(p, _, _)| *p == vpath) {
                        Some((_, shown, bytes)) => {
                            let text = String::from_utf8_lossy(bytes);
                            let (line, column) = diagnostics::line_column(&text, range.start);
                            Diagnostic::error(shown, message).at(line, column)
                        }
                        None => Diagnostic::error(&index.file, message).at(1, 1),
                    }
                }
                _ => Diagnostic::error(&index.file, message).at(1, 1),
            };
            let diagnostic = diagnostic.hint(if hint.is_empty() {
                "fix the content at this place, or build with --no-pdf to make the web pages only"
                    .to_string()
            } else {
                hint
            });
            let key = (
                diagnostic.file.clone(),
                diagnostic.line,
                diagnostic.message.clone(),
            );
            if seen.insert(key) {
                found.push(diagnostic);
            }
        }
        found
    }
}

/// The booklet's data for the template: front matter, site.yaml, charts. Placeholders print
/// as "To be confirmed", as on the web.
/// The fonts and Typst library of the print template with this fingerprint. The last one
/// loaded is kept: each format of a build (and the dev server's next build) loads the same
/// template, and reading the fonts and their glyphs again would cost each one the time.
fn shared(
    fingerprint: [u8; 32],
    fonts: &[std::borrow::Cow<'_, [u8]>],
) -> std::sync::Arc<world::Shared> {
    type Last = Option<([u8; 32], std::sync::Arc<world::Shared>)>;
    static LAST: std::sync::Mutex<Last> = std::sync::Mutex::new(None);
    let mut last = LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match &*last {
        Some((kept, shared)) if *kept == fingerprint => shared.clone(),
        _ => {
            let shared = std::sync::Arc::new(world::Shared::new(fonts));
            *last = Some((fingerprint, shared.clone()));
            shared
        }
    }
}

/// A booklet's own paper: its front matter's, or site.yaml's.
pub fn paper(site: &Site, booklet: PageId) -> Paper {
    site.pages[booklet]
        .front
        .pdf
        .as_ref()
        .map_or(site.config.pdf.paper, |p| p.paper)
}

fn meta(site: &Site, booklet: PageId, members: &[PageId], variant: Variant) -> Value {
    let page = &site.pages[booklet];
    let config = &site.config;
    let (language, region) = match config.language.split_once('-') {
        Some((l, r)) => (l.to_lowercase(), Some(r.to_uppercase())),
        None => (config.language.to_lowercase(), None),
    };
    let paper = match variant {
        Variant::Standard => paper(site, booklet),
        Variant::LargePrint => Paper::A4,
    };
    let chapters: Vec<Value> = members
        .iter()
        .enumerate()
        .skip(1)
        .map(|(chapter, &id)| {
            let p = &site.pages[id];
            json!({
                "title": p.front.title,
                "description": p.front.description,
                "label": label(chapter, ""),
                "kind": p.kind(),
                "fields": p.front.fields_value(),
            })
        })
        .collect();
    let charts: serde_json::Map<String, Value> = site
        .data
        .charts
        .iter()
        .map(|c| {
            let bars: Vec<Value> = c
                .bars
                .iter()
                .map(|b| json!({"label": b.label, "value": b.value, "value_text": number_text(b.value)}))
                .collect();
            (
                c.id.clone(),
                json!({
                    "title": c.title, "as_at": c.as_at, "source": c.source,
                    "unit": c.unit, "summary": c.summary, "bars": bars,
                }),
            )
        })
        .collect();
    // Every change of the booklet and its chapters, newest first, as the web page lists them.
    let history: Vec<Value> = site
        .changes_of(booklet)
        .into_iter()
        .map(|c| {
            json!({
                "date": date_value(Some(c.change.date)),
                "version": c.change.version,
                "summary": c.change.summary,
                "page": (c.page != booklet).then(|| site.pages[c.page].front.title.clone()),
            })
        })
        .collect();
    let document_control = page.document_control.as_ref().map(|dc| {
        json!({
            "history": history,
            "owner": dc.owner,
            "version": dc.version,
            "status": dc.status.name(),
            "status_text": dc.status.text(),
            "approved": dc.status.is_approved(),
            "approved_by": dc.approved_by,
            "to_be_approved_by": dc.to_be_approved_by,
            "approved_on": date_value(dc.approved_on),
            "review_by": date_value(dc.review_by),
        })
    });
    confirm(json!({
        "title": page.front.title,
        "subtitle": page.front.subtitle,
        "description": page.front.description,
        "keywords": [config.title, page.front.title],
        "language": language,
        "region": region,
        "paper": match paper { Paper::A4 => "a4", Paper::A5 => "a5" },
        "variant": variant.name(),
        "large_print": variant == Variant::LargePrint,
        "organisation": {
            "name": config.organisation.name,
            "department": config.organisation.department,
            "email": config.organisation.email,
            "phone": config.organisation.phone,
            "address": config.organisation.address,
        },
        "made_on": date_value(Some(crate::text::build_date())),
        "brand": {
            "colour": config.brand.colour().map(|c| c.to_string()),
            "logo": config.brand.logo.as_ref().map(|logo| json!({
                "path": logo_path(&logo.file),
                "alt": logo.alt,
            })),
        },
        "web_url": config.permalink(&page.url),
        "accessibility_url": config.permalink(crate::content::ACCESSIBILITY_URL),
        "document_control": document_control,
        "chapters": chapters,
        "charts": charts,
    }))
}

/// Where the print template finds the site's logo: `/brand/logo.svg` or `/brand/logo.png`.
fn logo_path(file: &str) -> String {
    let ext = if file.to_ascii_lowercase().ends_with(".png") {
        "png"
    } else {
        "svg"
    };
    format!("/brand/logo.{ext}")
}

/// Every string of the template's data as the fonts can print it.
fn printable(value: Value, glyphs: &glyphs::Glyphs) -> Value {
    match value {
        Value::String(s) => Value::String(glyphs.printable(&s).into_owned()),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| printable(v, glyphs)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, printable(v, glyphs)))
                .collect(),
        ),
        other => other,
    }
}

/// Reads the local images the markup refers to, from the content folder or `static/`.
fn images(site: &Site, markup: &Markup) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    for (path, url) in &markup.images {
        let relative = url.trim_start_matches('/');
        let candidates = [
            site.root.join(crate::content::CONTENT_DIR).join(relative),
            site.root.join(theme::SITE_STATIC_DIR).join(relative),
        ];
        // Never a file from outside the site's folder, whatever a link inside it says.
        if let Some(bytes) = candidates
            .iter()
            .filter(|p| crate::content::inside_root(&site.root, p))
            .find_map(|p| std::fs::read(p).ok())
        {
            found.push((path.clone(), bytes));
        }
    }
    found
}

/// How links read in print: within the booklet they jump to the chapter or heading; anything
/// else becomes a full web address.
struct BookletLinks<'a> {
    site: &'a Site,
    /// Page URL -> chapter number, for chapters (not the booklet's own page).
    chapters: HashMap<&'a str, usize>,
    /// Page -> chapter number, for every page of the booklet.
    position: HashMap<PageId, usize>,
    labels: HashSet<String>,
}

impl<'a> BookletLinks<'a> {
    fn new(site: &'a Site, documents: &[(PageId, &Document)]) -> Self {
        let mut chapters = HashMap::new();
        let mut position = HashMap::new();
        let mut labels = HashSet::new();
        for (chapter, (id, document)) in documents.iter().enumerate() {
            position.insert(*id, chapter);
            if chapter > 0 {
                chapters.insert(site.pages[*id].url.as_str(), chapter);
                labels.insert(label(chapter, ""));
            }
            for heading in &document.headings {
                labels.insert(label(chapter, &heading.id));
            }
        }
        BookletLinks {
            site,
            chapters,
            position,
            labels,
        }
    }
}

impl Links for BookletLinks<'_> {
    fn target(&self, page: PageId, url: &str) -> LinkTarget {
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        let here = &self.site.pages[page].url;
        let (chapter, path) = if path.is_empty() {
            (self.position.get(&page).copied(), here.as_str())
        } else {
            (self.chapters.get(path).copied(), path)
        };
        if let Some(chapter) = chapter {
            let wanted = label(chapter, fragment.unwrap_or(""));
            if self.labels.contains(&wanted) {
                return LinkTarget::Label(wanted);
            }
        }
        let absolute = url.contains(':') && !url.starts_with('/');
        if absolute {
            LinkTarget::Url(url.to_string())
        } else if path.starts_with('/') {
            let mut full = self.site.config.permalink(path);
            if let Some(f) = fragment {
                full.push('#');
                full.push_str(f);
            }
            LinkTarget::Url(full)
        } else {
            LinkTarget::Url(format!("{}{url}", self.site.config.permalink(here)))
        }
    }
}

/// What the print room's copy of a booklet is made from: an A5 booklet's own PDF, and an A4
/// booklet's large print, whose A4 pages reduced to A5 (by 1/√2) set its 17 pt body text at
/// 12 pt, the smallest size clear print guidance advises. That is one layout of the booklet
/// fewer than typesetting it again on A5.
pub fn imposed_variant(site: &Site, booklet: PageId) -> Variant {
    match paper(site, booklet) {
        Paper::A5 => Variant::Standard,
        Paper::A4 => Variant::LargePrint,
    }
}

/// The print room's booklet: a typeset booklet (see [`imposed_variant`]) imposed two pages
/// to a side of A4 for saddle stitching, reduced to A5.
pub fn impose(site: &Site, booklet: PageId, typeset: &Pdf) -> Result<Pdf, Diagnostic> {
    let page = &site.pages[booklet];
    impose::impose(typeset, &format!("{} (for printing)", page.front.title)).map_err(|e| {
        Diagnostic::error(
            &page.file,
            format!("the print room's copy of this booklet cannot be made: {e}"),
        )
        .at(1, 1)
        .hint("turn it off with `formats: {print_room: false}` in the front matter, and report this as a bug in folio")
    })
}

/// The date a booklet's PDF says it was made: `SOURCE_DATE_EPOCH` when set (reproducible
/// builds), else the day of the build. Never the approval date: a PDF made today of a
/// booklet approved years ago was not made then.
fn timestamp() -> NaiveDate {
    crate::text::build_date()
}

fn typst_date(date: NaiveDate) -> Datetime {
    use chrono::Datelike;
    Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
        .unwrap_or(Datetime::from_ymd(2000, 1, 1).expect("a valid date"))
}

fn typst_datetime(date: NaiveDate) -> Datetime {
    use chrono::Datelike;
    Datetime::from_ymd_hms(date.year(), date.month() as u8, date.day() as u8, 0, 0, 0)
        .unwrap_or(typst_date(date))
}
