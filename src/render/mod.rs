//! Site -> files: pages through Tera templates (in parallel), the sitemap, robots.txt,
//! the 404 page and static files. Everything is produced in memory as an `Output`; writing
//! it to disk is a separate step, so a failed build never touches the published folder.

pub mod context;
pub mod output;
pub mod theme;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use context::PdfInfo;
pub use output::Output;
pub use theme::Theme;

use crate::content::{Role, Site};
use crate::diagnostics::Diagnostic;

/// Which template renders a page: its own `template:`, else its kind's.
pub fn template_for(site: &Site, theme: &Theme, id: usize) -> String {
    let page = &site.pages[id];
    if let Some(t) = &page.front.template {
        return t.clone();
    }
    match page.role {
        Role::Home => "index.html".into(),
        Role::Section => "section.html".into(),
        Role::Booklet => "booklet.html".into(),
        Role::Accessibility => "accessibility.html".into(),
        Role::Utility => "page.html".into(),
        Role::Chapter | Role::Page => match page.front.kind.as_deref() {
            Some(kind) => theme
                .kinds
                .get(kind)
                .and_then(|k| k.template.clone())
                .unwrap_or_else(|| format!("{kind}.html")),
            None => "page.html".into(),
        },
    }
}

/// Checks that every page's template exists, before anything is rendered.
pub fn check_templates(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (id, page) in site.pages.iter().enumerate() {
        let name = template_for(site, theme, id);
        if !theme.has_template(&name) {
            let line = if page.front.template.is_some() {
                page.line_of("template")
            } else {
                1
            };
            diagnostics.push(
                Diagnostic::error(&page.file, format!("the template `{name}` does not exist"))
                    .at(line, 1)
                    .hint(format!(
                        "use one of the theme's templates ({}) or add templates/{name}",
                        theme.template_names().join(", ")
                    )),
            );
        }
    }
    for required in ["404.html"] {
        if !theme.has_template(required) {
            diagnostics.push(
                Diagnostic::error(
                    theme.dir.join("templates"),
                    format!("the theme has no `{required}` template"),
                )
                .hint(format!("add templates/{required}")),
            );
        }
    }
    diagnostics
}

/// A page's body, rendered from Markdown, and its headings for the table of contents.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub html: String,
    pub headings: Vec<crate::markdown::Heading>,
}

/// Renders every page with its template. `bodies` is indexed by page id.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    bodies: &[Body],
    pdfs: &BTreeMap<usize, PdfInfo>,
    output: &mut Output,
) -> Vec<Diagnostic> {
    let globals = context::globals(site);
    let results: Vec<Result<(PathBuf, Vec<u8>), Diagnostic>> = (0..site.pages.len())
        .into_par_iter()
        .map(|id| render_page(site, theme, id, &bodies[id], pdfs, &globals))
        .collect();
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok((path, bytes)) => output.add(path, bytes),
            Err(d) => diagnostics.push(d),
        }
    }
    match render_not_found(site, theme, &globals) {
        Ok(bytes) => output.add(PathBuf::from("404.html"), bytes),
        Err(d) => diagnostics.push(d),
    }
    output.add(PathBuf::from("sitemap.xml"), sitemap(site).into_bytes());
    output.add(PathBuf::from("robots.txt"), robots(site).into_bytes());
    diagnostics
}

/// One page through its template: the file's path in the output and its bytes.
/// `globals` is [`context::globals`] of the site, made once for all pages.
pub fn render_page(
    site: &Site,
    theme: &Theme,
    id: usize,
    body: &Body,
    pdfs: &BTreeMap<usize, PdfInfo>,
    globals: &tera::Context,
) -> Result<(PathBuf, Vec<u8>), Diagnostic> {
    let page = &site.pages[id];
    let mut ctx = context::page(site, id, &body.html, &body.headings, pdfs);
    ctx.extend(globals.clone());
    let name = template_for(site, theme, id);
    let html = theme
        .tera
        .render(&name, &ctx)
        .map_err(|e| theme::template_error(&e, &theme.template_files, Some(&page.file)))?;
    Ok((output_path(&page.url), html.into_bytes()))
}

fn render_not_found(
    site: &Site,
    theme: &Theme,
    globals: &tera::Context,
) -> Result<Vec<u8>, Diagnostic> {
    let mut ctx = context::not_found(site);
    ctx.extend(globals.clone());
    theme
        .tera
        .render("404.html", &ctx)
        .map(String::into_bytes)
        .map_err(|e| theme::template_error(&e, &theme.template_files, Some(Path::new("404.html"))))
}

/// `/a/b/` -> `a/b/index.html`.
pub fn output_path(url: &str) -> PathBuf {
    let trimmed = url.trim_matches('/');
    if trimmed.is_empty() {
        PathBuf::from("index.html")
    } else {
        Path::new(trimmed).join("index.html")
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Every published page, in URL order.
pub fn sitemap(site: &Site) -> String {
    // Search and the A to Z help readers find content; they are not content to index.
    let mut urls: Vec<&str> = site
        .pages
        .iter()
        .filter(|p| p.role != Role::Utility)
        .map(|p| p.url.as_str())
        .collect();
    urls.sort_unstable();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&site.config.permalink(url))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        site.config.permalink("/sitemap.xml")
    )
}

/// Copies the theme's static files, then the site's own `static/` (which wins), then files
/// kept beside the Markdown in `content/` (images, downloads).
pub fn add_static_files(site: &Site, theme: &Theme, output: &mut Output) {
    let content = site.root.join(crate::content::CONTENT_DIR);
    for (folder, skip_markdown) in [
        (theme.dir.join("static"), false),
        (site.root.join(theme::SITE_STATIC_DIR), false),
        (content, true),
    ] {
        for (source, relative) in static_files(&folder, skip_markdown) {
            output.copy(relative, source);
        }
    }
}

/// Files under `folder` with their path relative to it, skipping hidden and `_` entries.
pub fn static_files(folder: &Path, skip_markdown: bool) -> Vec<(PathBuf, PathBuf)> {
    if !folder.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || (skip_markdown && name.starts_with('_')))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !(skip_markdown && e.path().extension().is_some_and(|x| x == "md")))
        .filter(|e| !e.file_name().to_string_lossy().ends_with('~'))
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(folder)
                .unwrap_or(e.path())
                .to_path_buf();
            (e.path().to_path_buf(), relative)
        })
        .collect()
}
