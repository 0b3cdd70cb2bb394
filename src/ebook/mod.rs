//! The EPUB renderer: a booklet as a reflowable EPUB 3 for e-readers and reading apps.
//!
//! The chapters are the pages' body HTML, as the web pages show it (made by the Markdown
//! renderer, with the same headings, lists, tables, alt text and chart tables), written as
//! XHTML (`xhtml.rs`). Around them: a title page with the booklet's introduction and document
//! control, a glossary of the site's terms, a back page with contact details, a navigation
//! document listing them in order, and EPUB Accessibility 1.1 metadata.
//!
//! The package files are written here and zipped with the `zip` crate rather than through
//! `epub-builder`: its navigation document has no language (which DAISY Ace reports), it
//! stamps each file in the zip with the time of the build (so two builds differ), and it
//! adds EPUB 2's NCX and guide, which an EPUB 3 does not need. What an EPUB 3 needs is a
//! handful of small XML files, written below in full.

mod xhtml;

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{Datelike, NaiveDate};

use crate::cache::Key;
use crate::config::Format;
use crate::content::{PageId, Site};
use crate::text::{confirmed, date_text};
use xhtml::escape;

/// The folder inside the zip that holds the book.
const ROOT: &str = "EPUB";
/// The theme's stylesheet for the book.
pub const STYLESHEET: &str = "epub/book.css";

/// A booklet's book, ready to pack: every file, in the order it goes into the zip.
pub struct Book {
    files: Vec<(String, Vec<u8>)>,
    /// How many chapters (the documents of the spine).
    pub chapters: usize,
    date: NaiveDate,
}

/// A document of the book: its file, its title in the contents, and whether it holds SVG.
struct Document {
    file: String,
    title: String,
    svg: bool,
}

/// Lays out the book of a booklet. `pages` are the booklet's own page then its chapters,
/// each with its body HTML; `stylesheet` is the theme's.
pub fn prepare(site: &Site, booklet: PageId, pages: &[(PageId, &str)], stylesheet: &[u8]) -> Book {
    let config = &site.config;
    let page = &site.pages[booklet];
    let language = config.language.as_str();
    let mut links = Links::new(site, booklet, pages);
    let mut documents: Vec<(Document, String)> = Vec::new();

    // The title page: what the booklet is, its introduction and its document control.
    let (intro, svg) = match pages.first() {
        Some((id, html)) => {
            links.page = *id;
            let converted = xhtml::convert(html, &mut links);
            (converted.xhtml, converted.svg)
        }
        None => (String::new(), false),
    };
    let mut body = String::new();
    if !config.organisation.name.is_empty() {
        body.push_str(&format!(
            "<p class=\"organisation\">{}</p>\n",
            text(&config.organisation.name)
        ));
    }
    body.push_str(&format!(
        "<h1 id=\"title\">{}</h1>\n",
        text(&page.front.title)
    ));
    if let Some(subtitle) = &page.front.subtitle {
        body.push_str(&format!("<p class=\"lead\">{}</p>\n", text(subtitle)));
    }
    if let Some(dc) = &page.document_control
        && !dc.status.is_approved()
    {
        body.push_str(&format!(
            "<p class=\"draft\"><strong>{}:</strong> this booklet is not approved yet.</p>\n",
            escape(dc.status.text())
        ));
    }
    body.push_str(&format!(
        "<p>Online at <a href=\"{0}\">{0}</a></p>\n",
        escape(&config.permalink(&page.url))
    ));
    body.push_str(&intro);
    body.push_str(&document_control(site, booklet));
    documents.push((
        Document {
            file: "title.xhtml".into(),
            title: page.front.title.clone(),
            svg,
        },
        body,
    ));

    for (number, (id, html)) in pages.iter().enumerate().skip(1) {
        let chapter = &site.pages[*id];
        links.page = *id;
        let converted = xhtml::convert(html, &mut links);
        let mut body = format!("<h1 id=\"title\">{}</h1>\n", text(&chapter.front.title));
        if !chapter.front.description.is_empty() {
            body.push_str(&format!(
                "<p class=\"lead\">{}</p>\n",
                text(&chapter.front.description)
            ));
        }
        body.push_str(&fields(chapter.front.fields.as_ref()));
        body.push_str(&converted.xhtml);
        documents.push((
            Document {
                file: chapter_file(number),
                title: chapter.front.title.clone(),
                svg: converted.svg,
            },
            body,
        ));
    }

    if !site.data.glossary.is_empty() {
        let mut body = String::from("<h1 id=\"title\">Glossary</h1>\n<dl>\n");
        for entry in &site.data.glossary {
            let term = match &entry.abbr {
                Some(abbr) => format!("{} ({})", entry.term, abbr),
                None => entry.term.clone(),
            };
            body.push_str(&format!(
                "<dt id=\"{}\">{}</dt>\n<dd>{}</dd>\n",
                escape(&format!("term-{}", entry.id)),
                text(&term),
                text(&entry.definition)
            ));
        }
        body.push_str("</dl>\n");
        documents.push((
            Document {
                file: "glossary.xhtml".into(),
                title: "Glossary".into(),
                svg: false,
            },
            body,
        ));
    }

    documents.push((
        Document {
            file: "contact.xhtml".into(),
            title: "Contact us".into(),
            svg: false,
        },
        contact(site, booklet),
    ));

    let mut files = Vec::new();
    files.push((
        "META-INF/container.xml".to_string(),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
             <rootfiles>\n<rootfile full-path=\"{ROOT}/package.opf\" media-type=\"application/oebps-package+xml\"/>\n\
             </rootfiles>\n</container>\n"
        )
        .into_bytes(),
    ));
    // The day of the build (or of SOURCE_DATE_EPOCH), as the PDFs say.
    let date = crate::text::build_date();
    let images = std::mem::take(&mut links.images);
    files.push((
        format!("{ROOT}/package.opf"),
        package(site, booklet, &documents, &images, date).into_bytes(),
    ));
    files.push((
        format!("{ROOT}/nav.xhtml"),
        document_xhtml(language, "Contents", &nav(&documents)).into_bytes(),
    ));
    files.push((format!("{ROOT}/css/book.css"), stylesheet.to_vec()));
    let chapters = documents.len();
    for (document, body) in documents {
        files.push((
            format!("{ROOT}/{}", document.file),
            document_xhtml(language, &document.title, &body).into_bytes(),
        ));
    }
    for (path, image) in images {
        files.push((format!("{ROOT}/{path}"), image.bytes));
    }
    Book {
        files,
        chapters,
        date,
    }
}

/// The cache key of a book: every file of it, and its date.
pub fn key(book: &Book) -> Key {
    let date = book.date.to_string();
    let mut parts: Vec<&[u8]> = vec![b"epub 1", date.as_bytes()];
    for (path, bytes) in &book.files {
        parts.push(path.as_bytes());
        parts.push(bytes);
    }
    Key::of(parts)
}

/// Packs a book into its EPUB file: the `mimetype` first and stored, as readers look for
/// it, then every file compressed, each dated with the book's date so that two builds of
/// the same content give the same bytes.
pub fn pack(book: &Book) -> std::io::Result<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let date = zip::DateTime::from_date_and_time(
        u16::try_from(book.date.year().clamp(1980, 2107)).unwrap_or(1980),
        book.date.month() as u8,
        book.date.day() as u8,
        0,
        0,
        0,
    )
    .unwrap_or_default();
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(date)
        .unix_permissions(0o644);
    let compressed = stored.compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("mimetype", stored)?;
    zip.write_all(b"application/epub+zip")?;
    for (path, bytes) in &book.files {
        zip.start_file(path.as_str(), compressed)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// A value from front matter or site.yaml as text: a placeholder reads "To be confirmed".
fn text(value: &str) -> String {
    escape(confirmed(value))
}

fn chapter_file(number: usize) -> String {
    format!("chapter-{number:02}.xhtml")
}

/// One XHTML content document.
fn document_xhtml(language: &str, title: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
         lang=\"{lang}\" xml:lang=\"{lang}\">\n<head>\n<meta charset=\"UTF-8\"/>\n<title>{title}</title>\n\
         <link rel=\"stylesheet\" type=\"text/css\" href=\"css/book.css\"/>\n</head>\n\
         <body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        lang = escape(language),
        title = text(title),
    )
}

/// The navigation document: every document of the book, in reading order.
fn nav(documents: &[(Document, String)]) -> String {
    let mut body = String::from(
        "<nav epub:type=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">\n\
         <h1 id=\"toc-title\">Contents</h1>\n<ol>\n",
    );
    for (document, _) in documents {
        body.push_str(&format!(
            "<li><a href=\"{}\">{}</a></li>\n",
            escape(&document.file),
            text(&document.title)
        ));
    }
    body.push_str("</ol>\n</nav>\n");
    // No landmark for the contents: the navigation document is not in the reading order,
    // and EPUBCheck rejects a link to what is not (RSC-011).
    if let Some((first, _)) = documents.get(1).or(documents.first()) {
        body.push_str(&format!(
            "<nav epub:type=\"landmarks\" aria-label=\"Landmarks\" hidden=\"hidden\">\n<ol>\n\
             <li><a epub:type=\"bodymatter\" href=\"{}\">Start of content</a></li>\n</ol>\n</nav>\n",
            escape(&first.file)
        ));
    }
    body
}

/// The package document: metadata (accessibility included), every file, the reading order.
fn package(
    site: &Site,
    booklet: PageId,
    documents: &[(Document, String)],
    images: &BTreeMap<String, Image>,
    date: NaiveDate,
) -> String {
    let config = &site.config;
    let page = &site.pages[booklet];
    let organisation = confirmed(&config.organisation.name);
    let mut meta = String::new();
    let mut add = |property: &str, value: &str| {
        meta.push_str(&format!(
            "<meta property=\"{property}\">{}</meta>\n",
            escape(value)
        ));
    };
    add("dcterms:modified", &format!("{date}T00:00:00Z"));
    // How the book can be read: as text throughout; the charts and images are also seen,
    // but each has a text alternative (alt text, or a chart's summary and data table).
    let visual = !images.is_empty() || documents.iter().any(|(d, _)| d.svg);
    add("schema:accessMode", "textual");
    if visual {
        add("schema:accessMode", "visual");
    }
    add("schema:accessModeSufficient", "textual");
    for feature in [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "alternativeText",
        "displayTransformability",
    ] {
        add("schema:accessibilityFeature", feature);
    }
    // The glossary is in the book, but not named as a feature: DAISY Ace (1.4) knows only
    // the older vocabulary, which has no `glossary`, and reports it as an invalid value.
    add("schema:accessibilityHazard", "none");
    add(
        "schema:accessibilitySummary",
        "This book has the same text, headings, lists, tables and image descriptions as the \
         web pages of this booklet. It has a table of contents, and its text can be resized \
         and reflowed. Every chart has a written summary and a table of its figures. Nothing \
         in it flashes, moves or plays sound.",
    );
    add(
        "dcterms:conformsTo",
        "EPUB Accessibility 1.1 - WCAG 2.2 Level AA",
    );
    if !organisation.is_empty() {
        add("a11y:certifiedBy", organisation);
    }

    let mut manifest = String::from(
        "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n\
         <item id=\"css\" href=\"css/book.css\" media-type=\"text/css\"/>\n",
    );
    let mut spine = String::new();
    for (n, (document, _)) in documents.iter().enumerate() {
        let properties = if document.svg {
            " properties=\"svg\""
        } else {
            ""
        };
        manifest.push_str(&format!(
            "<item id=\"doc-{n}\" href=\"{}\" media-type=\"application/xhtml+xml\"{properties}/>\n",
            escape(&document.file)
        ));
        spine.push_str(&format!("<itemref idref=\"doc-{n}\"/>\n"));
    }
    for (n, (path, image)) in images.iter().enumerate() {
        manifest.push_str(&format!(
            "<item id=\"image-{n}\" href=\"{}\" media-type=\"{}\"/>\n",
            escape(path),
            image.media_type
        ));
    }
    let description = if page.front.description.is_empty() {
        String::new()
    } else {
        format!(
            "<dc:description>{}</dc:description>\n",
            text(&page.front.description)
        )
    };
    let creator = if organisation.is_empty() {
        String::new()
    } else {
        format!(
            "<dc:creator>{0}</dc:creator>\n<dc:publisher>{0}</dc:publisher>\n",
            escape(organisation)
        )
    };
    let title = match &page.front.subtitle {
        Some(subtitle) => format!("{}: {}", page.front.title, confirmed(subtitle)),
        None => page.front.title.clone(),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"uid\" xml:lang=\"{lang}\">\n\
         <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n\
         <dc:identifier id=\"uid\">{id}</dc:identifier>\n\
         <dc:title>{title}</dc:title>\n\
         <dc:language>{lang}</dc:language>\n\
         {creator}{description}<dc:date>{date}</dc:date>\n\
         {meta}</metadata>\n<manifest>\n{manifest}</manifest>\n<spine>\n{spine}</spine>\n</package>\n",
        lang = escape(&config.language),
        id = escape(&config.permalink(&site.download_url(booklet, Format::Epub))),
        title = text(&title),
    )
}

/// The booklet's document control, as the web page shows it.
fn document_control(site: &Site, booklet: PageId) -> String {
    let Some(dc) = &site.pages[booklet].document_control else {
        return String::new();
    };
    let mut rows = vec![
        ("Owner", text(&dc.owner)),
        ("Version", text(&dc.version)),
        ("Status", escape(dc.status.text())),
    ];
    if dc.status.is_approved() {
        if let Some(by) = &dc.approved_by {
            rows.push(("Approved by", text(by)));
        }
        if let Some(on) = dc.approved_on {
            rows.push(("Approved on", escape(&date_text(on))));
        }
    } else if let Some(by) = &dc.to_be_approved_by {
        rows.push(("To be approved by", text(by)));
    }
    if let Some(review) = dc.review_by {
        rows.push(("Next review", escape(&date_text(review))));
    }
    let mut out = String::from(
        "<h2 id=\"folio-document-control\">Document control</h2>\n<table>\n\
         <thead><tr><th scope=\"col\">Item</th><th scope=\"col\">Detail</th></tr></thead>\n<tbody>\n",
    );
    for (name, value) in rows {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{name}</th><td>{value}</td></tr>\n"
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A page kind's fields (a pledge's commitments, a role's responsibilities), in the order
/// the page gives them: each a term, its value or a list of them.
fn fields(fields: Option<&crate::yaml::Mapping>) -> String {
    let Some(fields) = fields.filter(|f| !f.is_empty()) else {
        return String::new();
    };
    let mut out = String::from("<dl class=\"fields\">\n");
    for (key, value) in fields {
        let Some(key) = key.as_str() else { continue };
        let name = {
            let words = key.replace('_', " ");
            let mut chars = words.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => continue,
            }
        };
        let value = match value {
            crate::yaml::Value::Sequence(items) => {
                let items: String = items
                    .iter()
                    .filter_map(scalar)
                    .map(|item| format!("<li>{}</li>", text(&item)))
                    .collect();
                format!("<ul>{items}</ul>")
            }
            other => match scalar(other) {
                Some(s) => match NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
                    Ok(date) => escape(&date_text(date)),
                    Err(_) => text(&s),
                },
                None => continue,
            },
        };
        out.push_str(&format!("<dt>{}</dt>\n<dd>{value}</dd>\n", escape(&name)));
    }
    out.push_str("</dl>\n");
    out
}

fn scalar(value: &crate::yaml::Value) -> Option<String> {
    match value {
        crate::yaml::Value::String(s) => Some(s.clone()),
        crate::yaml::Value::Number(n) => Some(n.to_string()),
        crate::yaml::Value::Bool(b) => Some(if *b { "Yes" } else { "No" }.into()),
        _ => None,
    }
}

/// The back page: how to get in touch, and how to ask for another format.
fn contact(site: &Site, booklet: PageId) -> String {
    let config = &site.config;
    let org = &config.organisation;
    let mut out = String::from("<h1 id=\"title\">Contact us</h1>\n");
    let name = match (org.name.is_empty(), org.department.is_empty()) {
        (false, false) => format!("{}, {}", confirmed(&org.name), confirmed(&org.department)),
        (false, true) => confirmed(&org.name).to_string(),
        _ => config.title.clone(),
    };
    out.push_str(&format!("<p>{}</p>\n", escape(&name)));
    let mut rows = String::new();
    for (how, value) in [
        ("Email", &org.email),
        ("Phone", &org.phone),
        ("Address", &org.address),
    ] {
        if !value.is_empty() {
            rows.push_str(&format!(
                "<tr><th scope=\"row\">{how}</th><td>{}</td></tr>\n",
                text(value)
            ));
        }
    }
    if !rows.is_empty() {
        out.push_str(&format!(
            "<table>\n<thead><tr><th scope=\"col\">How</th><th scope=\"col\">Details</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
        ));
    }
    let accessibility = config.permalink(crate::content::ACCESSIBILITY_URL);
    out.push_str(&format!(
        "<h2 id=\"another-format\">Ask for another format</h2>\n\
         <p>This booklet is also on the web, as a PDF, and as a large print PDF where the \
         booklet's page offers one. If you need it in another format, such as easy read, \
         audio, Braille or another language, contact us using the details above. Tell us \
         which booklet you need and the format that works for you.</p>\n\
         <p>This booklet is on the web at <a href=\"{web}\">{web}</a>. Our accessibility \
         statement is at <a href=\"{a11y}\">{a11y}</a>.</p>\n",
        web = escape(&config.permalink(&site.pages[booklet].url)),
        a11y = escape(&accessibility),
    ));
    out
}

/// An image the book holds.
struct Image {
    bytes: Vec<u8>,
    media_type: &'static str,
}

/// Where links and images go in the book: a link to a page of the booklet goes to its
/// chapter; any other page of the site to its full web address. Local images are copied
/// into the book.
struct Links<'a> {
    site: &'a Site,
    /// Site path -> the file of its document.
    files: BTreeMap<&'a str, String>,
    /// The page being converted, for links within it.
    page: PageId,
    /// Book path -> image.
    images: BTreeMap<String, Image>,
    /// Site path -> book path, for images already held.
    held: BTreeMap<String, String>,
}

impl<'a> Links<'a> {
    fn new(site: &'a Site, booklet: PageId, pages: &[(PageId, &str)]) -> Self {
        let files = pages
            .iter()
            .enumerate()
            .map(|(n, (id, _))| {
                let file = if n == 0 {
                    "title.xhtml".to_string()
                } else {
                    chapter_file(n)
                };
                (site.pages[*id].url.as_str(), file)
            })
            .collect();
        Links {
            site,
            files,
            page: pages.first().map_or(booklet, |(id, _)| *id),
            images: BTreeMap::new(),
            held: BTreeMap::new(),
        }
    }

    /// A site path from a link as the page body writes it (under the site's base path).
    fn site_path(&self, url: &str) -> Option<String> {
        let base = self.site.config.base_path();
        url.strip_prefix(base)
            .filter(|_| url.starts_with('/') && !url.starts_with("//"))
            .map(|rest| format!("/{rest}"))
    }
}

impl xhtml::Rewrite for Links<'_> {
    fn href(&self, href: &str) -> String {
        if href.starts_with('#') {
            return href.to_string();
        }
        let Some(path) = self.site_path(href) else {
            // A full address, `mailto:`, or a path relative to the page.
            if href.contains(':') {
                return href.to_string();
            }
            let here = self.site.config.permalink(&self.site.pages[self.page].url);
            return format!("{here}{href}");
        };
        let (page, fragment) = match path.split_once('#') {
            Some((p, f)) => (p.to_string(), Some(f)),
            None => (path.clone(), None),
        };
        match self.files.get(page.as_str()) {
            Some(file) => match fragment {
                Some(f) => format!("{file}#{f}"),
                None => file.clone(),
            },
            None => self.site.config.permalink(&path),
        }
    }

    fn image(&mut self, src: &str) -> Option<String> {
        let path = self.site_path(src)?;
        if let Some(held) = self.held.get(&path) {
            return Some(held.clone());
        }
        let relative = path.trim_start_matches('/');
        let extension = relative.rsplit('.').next()?.to_ascii_lowercase();
        let media_type = match extension.as_str() {
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "gif" => "image/gif",
            "svg" => "image/svg+xml",
            "webp" => "image/webp",
            _ => return None,
        };
        let site = self.site;
        let candidates = [
            site.root.join(crate::content::CONTENT_DIR).join(relative),
            site.root.join(crate::theme::SITE_STATIC_DIR).join(relative),
        ];
        // Never a file from outside the site's folder, whatever a link inside it says.
        let bytes = candidates
            .iter()
            .filter(|p| crate::content::inside_root(&site.root, p))
            .find_map(|p| std::fs::read(p).ok())?;
        let book_path = format!("images/{}.{extension}", self.images.len() + 1);
        self.images
            .insert(book_path.clone(), Image { bytes, media_type });
        self.held.insert(path, book_path.clone());
        Some(book_path)
    }
}
