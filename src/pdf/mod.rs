//! Printable booklets: each booklet's pages, converted to Typst markup, typeset with the
//! theme's print template and exported as a tagged PDF (PDF/UA-1 with PDF/A-2a), all in
//! process. Booklets whose inputs did not change are read back from a cache.

mod markup;
mod world;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use typst::WorldExt;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::config::Paper;
use crate::content::Site;
use crate::diagnostics::{self, Diagnostic};
use crate::markdown::Document;
use crate::render::context::{confirm, date_text, fields_value};
use crate::render::theme;

pub use markup::{LinkTarget, Links, Markup, escape, label, literal};

/// The print template's folder inside a theme.
pub const PRINT_DIR: &str = "print";
/// Where typeset booklets are kept between builds, under the site's root.
pub const CACHE_DIR: &str = ".folio/cache/pdf";

/// A typeset booklet.
#[derive(Debug, Clone)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Read from the cache rather than typeset.
    pub cached: bool,
}

/// The file name of a booklet's PDF: its folder name, e.g. `if-this-were-my-child.pdf`.
pub fn file_name(site: &Site, booklet: usize) -> String {
    let url = site.pages[booklet].url.trim_matches('/');
    let last = url.rsplit('/').next().unwrap_or("");
    if last.is_empty() {
        "booklet.pdf".to_string()
    } else {
        format!("{last}.pdf")
    }
}

/// The site URL of a booklet's PDF, next to its HTML.
pub fn url(site: &Site, booklet: usize) -> String {
    format!("{}{}", site.pages[booklet].url, file_name(site, booklet))
}

/// A booklet's generated markup, data and images, ready to typeset.
struct Prepared {
    markup: Markup,
    meta: Vec<u8>,
    images: Vec<(String, Vec<u8>)>,
    timestamp: NaiveDate,
    key: String,
}

/// Loads the print template and fonts once per build; typesets any number of booklets.
pub struct Typesetter {
    shared: Arc<world::Shared>,
    /// Template files: virtual path (`/theme/booklet.typ`) -> (file shown in errors, bytes).
    files: Vec<(String, PathBuf, Vec<u8>)>,
    /// Hash of everything above, part of every cache key.
    fingerprint: [u8; 32],
    cache: Option<PathBuf>,
}

impl Typesetter {
    /// Reads the theme's `print/` folder (or the bundled default theme's, when the theme has
    /// none).
    pub fn load(root: &Path, theme_name: &str, cache: bool) -> Result<Typesetter, Diagnostic> {
        let bundled = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(theme::THEMES_DIR)
            .join("default");
        let dir = [theme::locate(root, theme_name), Some(bundled)]
            .into_iter()
            .flatten()
            .map(|d| d.join(PRINT_DIR))
            .find(|d| d.join("booklet.typ").is_file())
            .ok_or_else(|| {
                Diagnostic::error(
                    crate::config::FILE_NAME,
                    format!("the theme `{theme_name}` has no print template"),
                )
                .hint(format!(
                    "add themes/{theme_name}/{PRINT_DIR}/booklet.typ, or build with --no-pdf"
                ))
            })?;
        let mut files = Vec::new();
        let mut fonts = Vec::new();
        let mut hasher = Sha256::new();
        hasher.update(env!("CARGO_PKG_VERSION"));
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let relative = path.strip_prefix(&dir).unwrap_or(path);
            let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            let bytes = std::fs::read(path).map_err(|e| {
                Diagnostic::error(&shown, format!("cannot read the print template: {e}"))
            })?;
            hasher.update(relative.to_string_lossy().as_bytes());
            hasher.update(&bytes);
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if matches!(ext, "otf" | "ttf" | "otc" | "ttc") {
                fonts.push((shown, bytes));
            } else {
                let virtual_path =
                    format!("/theme/{}", relative.to_string_lossy().replace('\\', "/"));
                files.push((virtual_path, shown, bytes));
            }
        }
        Ok(Typesetter {
            shared: Arc::new(world::Shared::new(&fonts)),
            files,
            fingerprint: hasher.finalize().into(),
            cache: cache.then(|| root.join(CACHE_DIR)),
        })
    }

    pub fn font_families(&self) -> Vec<String> {
        self.shared.families()
    }

    /// Typesets one booklet: its own page, then its chapters in order.
    pub fn booklet(
        &self,
        site: &Site,
        booklet: usize,
        documents: &[Document],
    ) -> Result<Pdf, Vec<Diagnostic>> {
        let prepared = self.prepare(site, booklet, documents);
        if let Some(pdf) = self.cached(&prepared.key) {
            return Ok(pdf);
        }
        self.typeset(site, booklet, prepared)
    }

    /// The booklet's PDF if the cache has it for exactly these inputs; never typesets.
    pub fn cached_booklet(
        &self,
        site: &Site,
        booklet: usize,
        documents: &[Document],
    ) -> Option<Pdf> {
        self.cached(&self.prepare(site, booklet, documents).key)
    }

    /// Everything that goes into a booklet's PDF, and the cache key it adds up to.
    fn prepare(&self, site: &Site, booklet: usize, documents: &[Document]) -> Prepared {
        let page = &site.pages[booklet];
        let members: Vec<usize> = std::iter::once(booklet)
            .chain(page.children.iter().copied())
            .collect();
        let charts: HashSet<String> = site.data.charts.iter().map(|c| c.id.clone()).collect();
        let links = BookletLinks::new(site, &members, documents);

        let mut markup = Markup::default();
        markup.push_raw("#import \"/theme/booklet.typ\": *\n#show: booklet\n\n#intro[\n");
        for (chapter, &id) in members.iter().enumerate() {
            if chapter > 0 {
                markup.push_raw(&format!(
                    "]\n\n#chapter(meta.chapters.at({}))[\n",
                    chapter - 1
                ));
            }
            markup::convert(
                &markup::PageInput {
                    page: id,
                    chapter,
                    document: &documents[id],
                    title_level: if chapter == 0 { 0 } else { 1 },
                    charts: &charts,
                },
                &links,
                &mut markup,
            );
        }
        markup.push_raw("]\n\n#closing()\n");

        let meta =
            serde_json::to_vec_pretty(&self.meta(site, booklet, &members)).unwrap_or_default();
        let images = self.images(site, &markup);
        let timestamp = timestamp(site, booklet);
        let key = self.key(&markup.text, &meta, &images, timestamp);
        Prepared {
            markup,
            meta,
            images,
            timestamp,
            key,
        }
    }

    fn typeset(
        &self,
        site: &Site,
        booklet: usize,
        prepared: Prepared,
    ) -> Result<Pdf, Vec<Diagnostic>> {
        let Prepared {
            markup,
            meta,
            images,
            timestamp,
            key,
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
        let pdf = Pdf {
            bytes,
            pages: document.pages().len(),
            cached: false,
        };
        self.store(&key, &pdf);
        Ok(pdf)
    }

    /// The booklet's data for the template: front matter, site.yaml, charts. Placeholders
    /// print as "To be confirmed", as on the web.
    fn meta(&self, site: &Site, booklet: usize, members: &[usize]) -> Value {
        let page = &site.pages[booklet];
        let config = &site.config;
        let (language, region) = match config.language.split_once('-') {
            Some((l, r)) => (l.to_lowercase(), Some(r.to_uppercase())),
            None => (config.language.to_lowercase(), None),
        };
        let paper = page
            .front
            .pdf
            .as_ref()
            .map_or(config.pdf.paper, |p| p.paper);
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
                    "fields": fields_value(p.front.fields.as_ref()),
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
        let document_control = page.document_control.as_ref().map(|dc| {
            json!({
                "owner": dc.owner,
                "version": dc.version,
                "status": dc.status.name(),
                "status_text": dc.status.text(),
                "approved": dc.status.is_approved(),
                "approved_by": dc.approved_by,
                "to_be_approved_by": dc.to_be_approved_by,
                "approved_on": date_text(dc.approved_on),
                "review_by": date_text(dc.review_by),
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
            "organisation": {
                "name": config.organisation.name,
                "department": config.organisation.department,
                "email": config.organisation.email,
                "phone": config.organisation.phone,
                "address": config.organisation.address,
            },
            "web_url": config.permalink(&page.url),
            "accessibility_url": config.permalink(crate::content::ACCESSIBILITY_URL),
            "document_control": document_control,
            "chapters": chapters,
            "charts": charts,
        }))
    }

    /// Reads the local images the markup refers to, from the content folder or `static/`.
    fn images(&self, site: &Site, markup: &Markup) -> Vec<(String, Vec<u8>)> {
        let mut found = Vec::new();
        for (path, url) in &markup.images {
            let relative = url.trim_start_matches('/');
            let candidates = [
                site.root.join(crate::content::CONTENT_DIR).join(relative),
                site.root.join(theme::SITE_STATIC_DIR).join(relative),
            ];
            if let Some(bytes) = candidates.iter().find_map(|p| std::fs::read(p).ok()) {
                found.push((path.clone(), bytes));
            }
        }
        found
    }

    fn key(&self, main: &str, meta: &[u8], images: &[(String, Vec<u8>)], at: NaiveDate) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.fingerprint);
        hasher.update(main.as_bytes());
        hasher.update(meta);
        for (path, bytes) in images {
            hasher.update(path.as_bytes());
            hasher.update(bytes);
        }
        hasher.update(at.to_string());
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn cached(&self, key: &str) -> Option<Pdf> {
        let dir = self.cache.as_ref()?;
        let bytes = std::fs::read(dir.join(format!("{key}.pdf"))).ok()?;
        let pages = std::fs::read_to_string(dir.join(format!("{key}.pages")))
            .ok()?
            .trim()
            .parse()
            .ok()?;
        Some(Pdf {
            bytes,
            pages,
            cached: true,
        })
    }

    /// Best effort: a cache that cannot be written only costs time on the next build.
    fn store(&self, key: &str, pdf: &Pdf) {
        let Some(dir) = &self.cache else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let pages = dir.join(format!("{key}.pages"));
        if std::fs::write(dir.join(format!("{key}.pdf")), &pdf.bytes).is_ok() {
            let _ = std::fs::write(pages, pdf.pages.to_string());
        }
    }

    /// Typst's errors as folio diagnostics, pointing at the Markdown (or the template) that
    /// caused them.
    fn report(
        &self,
        site: &Site,
        booklet: usize,
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
                                diagnostics::line_column(&page.source, origin.offset);
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

/// How links read in print: within the booklet they jump to the chapter or heading; anything
/// else becomes a full web address.
struct BookletLinks<'a> {
    site: &'a Site,
    /// Page URL -> chapter number, for chapters (not the booklet's own page).
    chapters: HashMap<&'a str, usize>,
    /// Page index -> chapter number, for every page of the booklet.
    position: HashMap<usize, usize>,
    labels: HashSet<String>,
}

impl<'a> BookletLinks<'a> {
    fn new(site: &'a Site, members: &[usize], documents: &[Document]) -> Self {
        let mut chapters = HashMap::new();
        let mut position = HashMap::new();
        let mut labels = HashSet::new();
        for (chapter, &id) in members.iter().enumerate() {
            position.insert(id, chapter);
            if chapter > 0 {
                chapters.insert(site.pages[id].url.as_str(), chapter);
                labels.insert(label(chapter, ""));
            }
            for heading in &documents[id].headings {
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
    fn target(&self, page: usize, url: &str) -> LinkTarget {
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

/// The date a booklet's PDF says it was made: `SOURCE_DATE_EPOCH` when set (reproducible
/// builds), else the booklet's approval date, else a fixed date, so that two builds of the
/// same content give the same bytes.
fn timestamp(site: &Site, booklet: usize) -> NaiveDate {
    if let Some(date) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
    {
        return date.date_naive();
    }
    site.pages[booklet]
        .document_control
        .as_ref()
        .and_then(|dc| dc.approved_on)
        .unwrap_or(NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date"))
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

/// "617", "114.9", "1,250".
fn number_text(value: f64) -> String {
    let whole = value.trunc() as i64;
    let digits = whole.abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let fraction = value.fract().abs();
    if fraction > 1e-9 {
        let decimals = format!("{fraction:.2}");
        let decimals = decimals.trim_start_matches('0').trim_end_matches('0');
        format!("{sign}{grouped}{decimals}")
    } else {
        format!("{sign}{grouped}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_in_the_seed_documents() {
        assert_eq!(number_text(617.0), "617");
        assert_eq!(number_text(114.9), "114.9");
        assert_eq!(number_text(1250.0), "1,250");
        assert_eq!(number_text(16.0), "16");
    }
}
