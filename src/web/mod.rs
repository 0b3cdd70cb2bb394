//! The web renderer: pages through the theme's Tera templates. What each page shows comes in
//! as data (its body HTML, headings, what its booklet offers for download); what it renders
//! is the page's file in the output.

pub mod context;

use std::path::{Path, PathBuf};

use crate::content::{PageId, Role, Site};
use crate::diagnostics::Diagnostic;
use crate::files::Downloads;
use crate::markdown::Heading;
use crate::theme::{self, Theme};

/// Which template renders a page: its own `template:`, else its kind's.
fn template_for(site: &Site, theme: &Theme, id: PageId) -> String {
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
    for (id, page) in site.pages.iter() {
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
                    PathBuf::from(theme::SITE_TEMPLATES_DIR),
                    format!("the theme has no `{required}` template"),
                )
                .hint(format!("add templates/{required}")),
            );
        }
    }
    diagnostics
}

/// One page through its template: the file's path in the output and its bytes.
/// `shared` is [`context::Shared`] of the site, made once for all pages.
pub fn render_page(
    site: &Site,
    theme: &Theme,
    id: PageId,
    html: &str,
    headings: &[Heading],
    downloads: &Downloads,
    shared: &context::Shared,
) -> Result<(PathBuf, Vec<u8>), Diagnostic> {
    let page = &site.pages[id];
    let _working = crate::guard::working_on(&page.file);
    let mut ctx = context::page(site, id, html, headings, downloads, shared);
    ctx.extend(shared.globals.clone());
    let name = template_for(site, theme, id);
    let html = theme
        .tera
        .render(&name, &ctx)
        .map_err(|e| theme::template_error(&e, &theme.template_files, Some(&page.file)))?;
    Ok((output_path(&page.url), html.into_bytes()))
}

/// The page served for any address that does not exist.
pub fn render_not_found(
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
fn output_path(url: &str) -> PathBuf {
    let trimmed = url.trim_matches('/');
    if trimmed.is_empty() {
        PathBuf::from("index.html")
    } else {
        Path::new(trimmed).join("index.html")
    }
}
