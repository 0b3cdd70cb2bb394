//! The theme: Tera templates, static files, the print template and its fonts, the page kinds
//! it declares (`kinds.yaml`) and what folio needs to know of its design (`theme.yaml`).
//!
//! The default theme is built into folio, so the binary works anywhere. A site changes it
//! file by file: its own `themes/<name>/` (the theme `site.yaml` names), then `templates/`
//! and `static/` at its root, each win over the files below them.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde::Deserialize;
use tera::Tera;

use crate::colour::{self, Colour};
use crate::content::kinds::Kinds;
use crate::diagnostics::Diagnostic;
use crate::yaml;

pub const THEMES_DIR: &str = "themes";
pub const SITE_TEMPLATES_DIR: &str = "templates";
pub const SITE_STATIC_DIR: &str = "static";
/// The name of the built-in theme.
pub const DEFAULT: &str = "default";
/// The theme's folders: templates, files copied as they are, and the print template.
pub const TEMPLATES: &str = "templates";
pub const STATIC: &str = "static";
pub const PRINT: &str = "print";

/// The default theme, as it was when folio was compiled.
static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a theme file's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    BuiltIn(&'static [u8]),
    Disk(PathBuf),
}

/// One file of the theme, from whichever layer has it.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Its path inside the theme: `templates/base.html`.
    pub path: String,
    /// Where it comes from, as messages name it: `themes/default/templates/base.html`, or
    /// `[default theme]/templates/base.html` for the built-in one.
    pub shown: PathBuf,
    pub source: Source,
}

impl ThemeFile {
    pub fn bytes(&self) -> std::io::Result<Cow<'static, [u8]>> {
        match &self.source {
            Source::BuiltIn(bytes) => Ok(Cow::Borrowed(bytes)),
            Source::Disk(path) => std::fs::read(path).map(Cow::Owned),
        }
    }
}

/// What `theme.yaml` says.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The text and background colours of each colour scheme of the stylesheet.
    #[serde(default)]
    pub colour_schemes: Vec<ColourScheme>,
    /// The template that shows the glossary.
    pub glossary_template: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColourScheme {
    pub name: String,
    pub text: String,
    pub background: String,
}

/// A colour scheme with its colours read.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheme {
    pub name: String,
    pub text: Colour,
    pub background: Colour,
}

pub struct Theme {
    pub name: String,
    /// Every file of the theme by its path inside it, the highest layer's.
    files: BTreeMap<String, ThemeFile>,
    pub tera: Tera,
    /// Template name -> the file it was read from, for error messages.
    pub template_files: BTreeMap<String, PathBuf>,
    pub kinds: Kinds,
    pub settings: Settings,
    pub schemes: Vec<Scheme>,
}

impl Theme {
    /// Loads the theme and the site's own templates and static files. A template that does
    /// not compile is returned as a problem beside the theme, so that the build can still
    /// check the content and report everything at once; a missing theme or a broken
    /// `kinds.yaml` or `theme.yaml` is an `Err`, as nothing can be checked without them.
    pub fn load(root: &Path, name: &str) -> Result<(Theme, Vec<Diagnostic>), Vec<Diagnostic>> {
        let own = root.join(THEMES_DIR).join(name);
        if name != DEFAULT && !own.is_dir() {
            return Err(vec![
                Diagnostic::error(
                    crate::config::FILE_NAME,
                    format!("the theme `{name}` was not found"),
                )
                .at(crate::config::line_of(root, "theme"), 1)
                .hint(format!(
                    "create {THEMES_DIR}/{name}/ with the files that differ from the built-in theme, or set `theme: {DEFAULT}` (the built-in one)"
                )),
            ]);
        }
        let mut files = BTreeMap::new();
        built_in_files(&BUILT_IN, &mut files);
        let display = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
        for (folder, under) in [
            (own, ""),
            (root.join(SITE_TEMPLATES_DIR), TEMPLATES),
            (root.join(SITE_STATIC_DIR), STATIC),
        ] {
            for path in disk_files(&folder) {
                let inside = path
                    .strip_prefix(&folder)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                let inside = if under.is_empty() {
                    inside
                } else {
                    format!("{under}/{inside}")
                };
                files.insert(
                    inside.clone(),
                    ThemeFile {
                        path: inside,
                        shown: display(&path),
                        source: Source::Disk(path),
                    },
                );
            }
        }

        let mut diagnostics = Vec::new();
        let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        for file in files.values() {
            let Some(name) = file.path.strip_prefix("templates/") else {
                continue;
            };
            match file.bytes().map(|b| String::from_utf8(b.into_owned())) {
                Ok(Ok(text)) => {
                    sources.insert(name.to_string(), (file.shown.clone(), text));
                }
                Ok(Err(_)) => diagnostics.push(
                    Diagnostic::error(&file.shown, "the template is not UTF-8 text")
                        .hint("save it as UTF-8 in your editor"),
                ),
                Err(e) => diagnostics.push(Diagnostic::error(
                    &file.shown,
                    format!("cannot read the template: {e}"),
                )),
            }
        }
        let template_files: BTreeMap<String, PathBuf> = sources
            .iter()
            .map(|(n, (p, _))| (n.clone(), p.clone()))
            .collect();
        let mut tera = Tera::new();
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
        {
            diagnostics.push(template_error(&e, &template_files, None));
        }

        let kinds: Kinds = match read_yaml(&files, "kinds.yaml") {
            Ok(kinds) => kinds,
            Err(d) => {
                diagnostics.push(d);
                return Err(diagnostics);
            }
        };
        let settings: Settings = match read_yaml(&files, "theme.yaml") {
            Ok(settings) => settings,
            Err(d) => {
                diagnostics.push(d);
                return Err(diagnostics);
            }
        };
        let mut schemes = Vec::new();
        for scheme in &settings.colour_schemes {
            match (
                colour::parse(&scheme.text),
                colour::parse(&scheme.background),
            ) {
                (Some(text), Some(background)) => schemes.push(Scheme {
                    name: scheme.name.clone(),
                    text,
                    background,
                }),
                _ => {
                    let shown = files
                        .get("theme.yaml")
                        .map_or_else(|| PathBuf::from("theme.yaml"), |f| f.shown.clone());
                    diagnostics.push(
                        Diagnostic::error(
                            shown,
                            format!(
                                "the colour scheme `{}` has a colour folio cannot read",
                                scheme.name
                            ),
                        )
                        .hint("write colours as #rrggbb"),
                    );
                    return Err(diagnostics);
                }
            }
        }
        let theme = Theme {
            name: name.to_string(),
            files,
            tera,
            template_files,
            kinds,
            settings,
            schemes,
        };
        Ok((theme, diagnostics))
    }

    /// The theme file at `path` (`print/booklet.typ`), from the highest layer that has it.
    /// A hash of every file the web pages are made with: all but the print folder (its
    /// template and fonts make only the typeset documents).
    pub fn web_fingerprint(&self) -> u128 {
        let mut all = crate::cache::Fingerprint::new();
        all.add(self.name.as_bytes());
        for (path, file) in &self.files {
            if path.starts_with("print/") {
                continue;
            }
            all.add(path.as_bytes());
            match file.bytes() {
                Ok(bytes) => all.add(&bytes),
                // Unreadable now: never the same as a file that was read.
                Err(_) => all.add(b"\0unreadable"),
            };
        }
        all.finish()
    }

    pub fn file(&self, path: &str) -> Option<&ThemeFile> {
        self.files.get(path)
    }

    /// Every file in a folder of the theme (`static`), with paths inside the theme.
    pub fn files_under<'a>(&'a self, folder: &'a str) -> impl Iterator<Item = &'a ThemeFile> + 'a {
        let prefix = format!("{folder}/");
        self.files
            .range(prefix.clone()..)
            .take_while(move |(path, _)| path.starts_with(&prefix))
            .map(|(_, file)| file)
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.template_files.contains_key(name)
    }

    pub fn template_names(&self) -> Vec<&str> {
        self.template_files.keys().map(String::as_str).collect()
    }
}

/// The built-in theme's files, by path inside it.
pub fn built_in() -> Vec<(String, &'static [u8])> {
    let mut files = BTreeMap::new();
    built_in_files(&BUILT_IN, &mut files);
    files
        .into_values()
        .filter_map(|f| match f.source {
            Source::BuiltIn(bytes) => Some((f.path, bytes)),
            Source::Disk(_) => None,
        })
        .collect()
}

fn built_in_files(dir: &'static Dir<'static>, files: &mut BTreeMap<String, ThemeFile>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        files.insert(
            path.clone(),
            ThemeFile {
                shown: PathBuf::from(format!("[{DEFAULT} theme]/{path}")),
                path,
                source: Source::BuiltIn(file.contents()),
            },
        );
    }
    for sub in dir.dirs() {
        built_in_files(sub, files);
    }
}

/// The files under a folder on disk, skipping hidden files, backups and swap files.
fn disk_files(folder: &Path) -> Vec<PathBuf> {
    if !folder.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            !name.ends_with('~') && !name.ends_with(".swp")
        })
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// Reads a YAML file of the theme; a theme without it declares nothing.
fn read_yaml<T: for<'de> Deserialize<'de> + Default>(
    files: &BTreeMap<String, ThemeFile>,
    path: &str,
) -> Result<T, Diagnostic> {
    let Some(file) = files.get(path) else {
        return Ok(T::default());
    };
    let bytes = file
        .bytes()
        .map_err(|e| Diagnostic::error(&file.shown, format!("cannot read the file: {e}")))?;
    yaml::parse(&String::from_utf8_lossy(&bytes), &file.shown, 1)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_is_built_in() {
        let tmp = tempfile::tempdir().unwrap();
        let (theme, problems) = Theme::load(tmp.path(), DEFAULT).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert!(theme.has_template("base.html"));
        assert!(theme.file("print/booklet.typ").is_some());
        assert!(theme.kinds.contains_key("pledge"));
        assert_eq!(theme.schemes.len(), 2);
        assert!(matches!(
            theme.file("static/css/folio.css").unwrap().source,
            Source::BuiltIn(_)
        ));
    }

    #[test]
    fn a_site_overrides_the_theme_file_by_file() {
        let tmp = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let full = tmp.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        };
        write("themes/default/templates/page.html", "own page");
        write("templates/404.html", "own 404");
        write("static/css/folio.css", "own css");
        let (theme, _) = Theme::load(tmp.path(), DEFAULT).unwrap();
        assert_eq!(
            theme.template_files["page.html"],
            Path::new("themes/default/templates/page.html")
        );
        assert_eq!(
            theme.template_files["404.html"],
            Path::new("templates/404.html")
        );
        assert_eq!(
            theme.template_files["base.html"],
            Path::new("[default theme]/templates/base.html")
        );
        let css = theme.file("static/css/folio.css").unwrap();
        assert_eq!(&*css.bytes().unwrap(), b"own css");
    }

    #[test]
    fn a_missing_named_theme_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let Err(problems) = Theme::load(tmp.path(), "council") else {
            panic!("a theme that does not exist loaded");
        };
        assert_eq!(problems[0].message, "the theme `council` was not found");
    }
}
