//! The theme: Tera templates (a site's `templates/` overrides the theme's file of the same
//! name), static files and the page kinds it declares.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::content::kinds::{self, Kinds};
use crate::diagnostics::Diagnostic;

pub const THEMES_DIR: &str = "themes";
pub const SITE_TEMPLATES_DIR: &str = "templates";
pub const SITE_STATIC_DIR: &str = "static";

pub struct Theme {
    pub name: String,
    /// The theme's folder on disk.
    pub dir: PathBuf,
    pub tera: Tera,
    /// Template name -> the file it was read from, for error messages.
    pub template_files: BTreeMap<String, PathBuf>,
    pub kinds: Kinds,
}

/// Finds a theme: the site's own `themes/<name>`, else (for `default`) the theme that ships
/// with folio's source.
pub fn locate(root: &Path, name: &str) -> Option<PathBuf> {
    let own = root.join(THEMES_DIR).join(name);
    if own.is_dir() {
        return Some(own);
    }
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(THEMES_DIR)
        .join(name);
    (name == "default" && bundled.is_dir()).then_some(bundled)
}

impl Theme {
    /// Loads the theme and the site's own templates. A template that does not compile is
    /// returned as a problem beside the theme, so that the build can still check the
    /// content and report everything at once; a missing theme or broken `kinds.yaml` is an
    /// `Err`, as nothing about the content can be checked without them.
    pub fn load(root: &Path, name: &str) -> Result<(Theme, Vec<Diagnostic>), Vec<Diagnostic>> {
        let Some(dir) = locate(root, name) else {
            return Err(vec![
                Diagnostic::error(
                    crate::config::FILE_NAME,
                    format!("the theme `{name}` was not found"),
                )
                .hint(format!(
                    "create {THEMES_DIR}/{name}/templates/, or set `theme: default`"
                )),
            ]);
        };
        let mut diagnostics = Vec::new();
        let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        let display = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
        for folder in [dir.join("templates"), root.join(SITE_TEMPLATES_DIR)] {
            if !folder.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&folder).sort_by_file_name() {
                let Ok(entry) = entry else { continue };
                if !entry.file_type().is_file() {
                    continue;
                }
                let name = entry
                    .path()
                    .strip_prefix(&folder)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
                    continue;
                }
                match std::fs::read_to_string(entry.path()) {
                    Ok(text) => {
                        sources.insert(name, (display(entry.path()), text));
                    }
                    Err(e) => diagnostics.push(Diagnostic::error(
                        display(entry.path()),
                        format!("cannot read the template: {e}"),
                    )),
                }
            }
        }
        let mut tera = Tera::new();
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
        {
            let files: BTreeMap<String, PathBuf> = sources
                .iter()
                .map(|(n, (p, _))| (n.clone(), p.clone()))
                .collect();
            diagnostics.push(template_error(&e, &files, None));
        }
        let kinds = match kinds::load(&dir, &display(&dir.join("kinds.yaml"))) {
            Ok(k) => k,
            Err(d) => {
                diagnostics.push(d);
                return Err(diagnostics);
            }
        };
        let theme = Theme {
            name: name.to_string(),
            dir,
            tera,
            template_files: sources.into_iter().map(|(n, (p, _))| (n, p)).collect(),
            kinds,
        };
        Ok((theme, diagnostics))
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.template_files.contains_key(name)
    }

    pub fn template_names(&self) -> Vec<&str> {
        self.template_files.keys().map(String::as_str).collect()
    }
}

/// A Tera error as a Diagnostic on the template file and line, naming the page being rendered.
pub fn template_error(
    error: &tera::Error,
    files: &BTreeMap<String, PathBuf>,
    page: Option<&Path>,
) -> Diagnostic {
    use tera::ErrorKind;
    let while_rendering = page
        .map(|p| format!(" (while rendering {})", p.display()))
        .unwrap_or_default();
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let file = files
                .get(report.filename())
                .cloned()
                .unwrap_or_else(|| PathBuf::from(report.filename()));
            let span = report.span();
            Diagnostic::error(
                file,
                format!("template error: {}{while_rendering}", report.message()),
            )
            .at(span.start_line.max(1), span.start_col + 1)
            .hint("fix the template at this line; see the Tera documentation for the syntax")
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            page.map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from(SITE_TEMPLATES_DIR)),
            format!("the template `{name}` does not exist{while_rendering}"),
        )
        .hint(format!(
            "available templates: {}",
            files.keys().cloned().collect::<Vec<_>>().join(", ")
        )),
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            files
                .get(current)
                .cloned()
                .unwrap_or_else(|| PathBuf::from(current)),
            format!("the template extends `{parent}`, which does not exist"),
        )
        .hint("check the name in `{% extends ... %}`"),
        _ => Diagnostic::error(
            page.map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from(SITE_TEMPLATES_DIR)),
            format!("template error: {error}{while_rendering}"),
        ),
    }
}
