//! Starting things: a new site (`folio init`), a new page of any kind (`folio new`), and a
//! copy of the built-in theme's files to change (`folio theme copy`). None of them ever
//! overwrites a file.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config::FILE_NAME;
use crate::content::kinds::FieldType;
use crate::content::{CONTENT_DIR, Kinds};
use crate::theme::{self, THEMES_DIR};

/// The starter site `folio init` writes.
static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/starter");

/// Why a command would not do what it was asked, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub hint: String,
}

impl Refusal {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> Refusal {
        Refusal {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// The site folder at or above `start`: the nearest one with a `site.yaml`.
pub fn find_site(start: &Path) -> Result<PathBuf, Refusal> {
    let absolute = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    absolute
        .ancestors()
        .find(|dir| dir.join(FILE_NAME).is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            Refusal::new(
                format!(
                    "{} is not in a folio site: there is no {FILE_NAME} here or in a folder above",
                    start.display()
                ),
                "run `folio init` to start a site here, or point at a site with --root DIR",
            )
        })
}

/// Writes the starter site into `dir`. A folder with anything in it is refused, unless
/// `force`, which still leaves every existing file as it is. Returns the files written.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>, Refusal> {
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied && !force {
        return Err(Refusal::new(
            format!("{} is not empty", dir.display()),
            "start the site in a new or empty folder (`folio init my-site`), or add --force to add the starter files that are missing; existing files are never overwritten",
        ));
    }
    let mut written = Vec::new();
    for (path, bytes) in starter_files(&STARTER) {
        let full = dir.join(&path);
        if full.exists() {
            continue;
        }
        write_new(&full, bytes).map_err(|e| {
            Refusal::new(
                format!("cannot write {}: {e}", full.display()),
                "check that the folder is writable",
            )
        })?;
        written.push(path);
    }
    Ok(written)
}

fn starter_files(dir: &'static Dir<'static>) -> Vec<(PathBuf, &'static [u8])> {
    let mut files: Vec<(PathBuf, &'static [u8])> = dir
        .files()
        .map(|f| (f.path().to_path_buf(), f.contents()))
        .collect();
    for sub in dir.dirs() {
        files.extend(starter_files(sub));
    }
    files.sort();
    files
}

/// What `folio new` makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewKind {
    /// A page of its own, or a chapter when its folder is a booklet.
    Page,
    /// A booklet: a folder with an `_index.md` that has document control.
    Booklet,
    /// A chapter of a booklet.
    Chapter,
    /// A page of a kind the theme declares (`pledge`, `role`), with its fields.
    Theme(String),
}

impl NewKind {
    /// `page`, `booklet`, `chapter`, or a kind from the theme's `kinds.yaml`.
    pub fn parse(name: &str, kinds: &Kinds) -> Result<NewKind, Refusal> {
        match name {
            "page" => Ok(NewKind::Page),
            "booklet" => Ok(NewKind::Booklet),
            "chapter" => Ok(NewKind::Chapter),
            other if kinds.contains_key(other) => Ok(NewKind::Theme(other.to_string())),
            other => {
                let mut known = vec!["page", "booklet", "chapter"];
                known.extend(kinds.keys().map(String::as_str));
                let hint = match crate::text::nearest(other, &known) {
                    Some(near) => {
                        format!("did you mean `{near}`? The kinds are: {}", known.join(", "))
                    }
                    None => format!("the kinds are: {}", known.join(", ")),
                };
                Err(Refusal::new(
                    format!("`{other}` is not a kind of page folio can make"),
                    hint,
                ))
            }
        }
    }
}

/// Creates a page at `path` (relative to the content folder, or starting with `content/`).
/// A booklet's path is its folder (`guides/new-guide`). Refuses to overwrite. Returns the
/// file created, relative to the site root.
pub fn new_page(
    root: &Path,
    path: &Path,
    kind: &NewKind,
    kinds: &Kinds,
) -> Result<PathBuf, Refusal> {
    let mut relative = path.strip_prefix(CONTENT_DIR).unwrap_or(path).to_path_buf();
    let inside = !relative.as_os_str().is_empty()
        && !relative.is_absolute()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if !inside {
        return Err(Refusal::new(
            format!(
                "`{}` is not a path inside the content folder",
                path.display()
            ),
            "give one like schools/new-page.md",
        ));
    }
    if *kind == NewKind::Booklet {
        if relative.file_name().is_some_and(|n| n != "_index.md") {
            relative = relative.with_extension("").join("_index.md");
        }
    } else if relative.extension().is_none_or(|e| e != "md") {
        relative.set_extension("md");
    }
    let file = Path::new(CONTENT_DIR).join(&relative);
    let is_index = relative.file_name().is_some_and(|n| n == "_index.md");
    let is_home = is_index && relative.parent().is_none_or(|p| p.as_os_str().is_empty());
    let stem = if is_index {
        relative
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Home".into())
    } else {
        relative
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if *kind == NewKind::Chapter {
        let booklet = root.join(&file).with_file_name("_index.md");
        let is_booklet = std::fs::read_to_string(&booklet)
            .is_ok_and(|text| text.lines().any(|l| l.trim() == "kind: booklet"));
        if !is_booklet {
            return Err(Refusal::new(
                format!("{} is not in a booklet's folder", file.display()),
                "make the booklet first (`folio new --kind booklet guides/my-guide`), then add chapters in its folder",
            ));
        }
    }
    let title = title_from(&stem);
    let text = page_text(&title, kind, kinds, is_home);
    let full = root.join(&file);
    write_new(&full, text.as_bytes()).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Refusal::new(
                format!("{} already exists", file.display()),
                "folio new never overwrites a page: choose another name",
            )
        } else {
            Refusal::new(
                format!("cannot create {}: {e}", file.display()),
                "check that the folder is writable",
            )
        }
    })?;
    Ok(file)
}

/// The front matter and a first heading for a new page of `kind`.
fn page_text(title: &str, kind: &NewKind, kinds: &Kinds, is_home: bool) -> String {
    let mut front = format!("---\ntitle: {}\ndescription: \"\"\n", yaml_string(title));
    // The home page is never a draft: without it, the site has no front door.
    if !is_home {
        front.push_str("draft: true\n");
    }
    match kind {
        NewKind::Page | NewKind::Chapter => {}
        NewKind::Booklet => {
            // A year from now, a common review period; the editor sets the real one.
            let review = crate::text::build_date() + chrono::Months::new(12);
            front.push_str(&format!(
                "kind: booklet\ndocument_control:\n  owner: \"TBC: the post that owns this booklet\"\n  version: \"0.1\"\n  status: draft\n  to_be_approved_by: \"TBC: who will approve this booklet\"\n  review_by: {}\n",
                review.format("%Y-%m-%d")
            ));
        }
        NewKind::Theme(name) => {
            front.push_str(&format!("kind: {name}\nfields:\n"));
            if let Some(spec) = kinds.get(name) {
                for (field, field_spec) in &spec.fields {
                    let value = match field_spec.kind {
                        FieldType::List => format!("\n    - \"TBC: {field}\""),
                        FieldType::Choice => format!(
                            " {}",
                            field_spec.choices.first().map_or("\"\"", String::as_str)
                        ),
                        FieldType::Date | FieldType::Text => format!(" \"TBC: {field}\""),
                    };
                    // Fields that belong to another state (a signed pledge's date) are left out.
                    if field_spec.required || field_spec.required_when.is_empty() {
                        front.push_str(&format!("  {field}:{value}\n"));
                    }
                }
            }
        }
    }
    front.push_str("---\n\n## First heading\n\nWrite the page here. Keep sentences short.\n");
    front
}

/// Copies built-in theme files into the site's `themes/<theme>/`, where they override the
/// built-in ones: all of them, or those `wanted` names (`templates/base.html`, or just
/// `base.html`). Returns the files copied and those left as they were because they exist.
pub fn copy_theme(
    root: &Path,
    theme_name: &str,
    wanted: &[String],
) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Refusal> {
    let built_in = theme::built_in();
    let mut chosen = Vec::new();
    for name in wanted {
        let name = name.trim_start_matches("./");
        let matches: Vec<&(String, &'static [u8])> = built_in
            .iter()
            .filter(|(path, _)| path == name || path.ends_with(&format!("/{name}")))
            .collect();
        match matches.as_slice() {
            [one] => chosen.push(*one),
            [] => {
                let paths: Vec<&str> = built_in.iter().map(|(p, _)| p.as_str()).collect();
                let hint = match crate::text::nearest(name, &paths) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "run `folio theme copy` with no names to copy the whole theme".into(),
                };
                return Err(Refusal::new(
                    format!("the built-in theme has no file `{name}`"),
                    hint,
                ));
            }
            many => {
                let paths: Vec<&str> = many.iter().map(|(p, _)| p.as_str()).collect();
                return Err(Refusal::new(
                    format!("`{name}` could be any of {}", paths.join(", ")),
                    "give the path inside the theme, such as templates/base.html",
                ));
            }
        }
    }
    if wanted.is_empty() {
        chosen = built_in.iter().collect();
    }
    let folder = root.join(THEMES_DIR).join(theme_name);
    let (mut copied, mut kept) = (Vec::new(), Vec::new());
    for (path, bytes) in chosen {
        let shown = Path::new(THEMES_DIR).join(theme_name).join(path);
        match write_new(&folder.join(path), bytes) {
            Ok(()) => copied.push(shown),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => kept.push(shown),
            Err(e) => {
                return Err(Refusal::new(
                    format!("cannot write {}: {e}", shown.display()),
                    "check that the folder is writable",
                ));
            }
        }
    }
    Ok((copied, kept))
}

/// Creates a file with its folders; never replaces one.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut handle = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    handle.write_all(bytes)
}

/// "designated-teacher" -> "Designated teacher".
fn title_from(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "New page".into(),
    }
}

fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds() -> Kinds {
        let tmp = tempfile::tempdir().unwrap();
        crate::theme::Theme::load(tmp.path(), "default")
            .unwrap()
            .0
            .kinds
    }

    #[test]
    fn creates_a_valid_page_and_refuses_to_overwrite() {
        let tmp = tempfile::tempdir().unwrap();
        let kinds = kinds();
        let file = new_page(
            tmp.path(),
            Path::new("schools/new-page"),
            &NewKind::Page,
            &kinds,
        )
        .unwrap();
        assert_eq!(file, Path::new("content/schools/new-page.md"));
        let text = std::fs::read_to_string(tmp.path().join(&file)).unwrap();
        let (front, _) = crate::content::front_matter::parse(&text, &file).unwrap();
        assert_eq!(front.title, "New page");
        assert!(front.draft);
        let err = new_page(
            tmp.path(),
            Path::new("content/schools/new-page.md"),
            &NewKind::Page,
            &kinds,
        )
        .unwrap_err();
        assert!(err.message.contains("already exists"));
        assert!(new_page(tmp.path(), Path::new("../x.md"), &NewKind::Page, &kinds).is_err());
    }

    #[test]
    fn the_home_page_is_never_a_draft() {
        let tmp = tempfile::tempdir().unwrap();
        let file = new_page(tmp.path(), Path::new("_index.md"), &NewKind::Page, &kinds()).unwrap();
        let text = std::fs::read_to_string(tmp.path().join(file)).unwrap();
        assert!(!text.contains("draft"), "{text}");
    }

    #[test]
    fn kinds_are_named_with_a_suggestion() {
        let kinds = kinds();
        assert_eq!(
            NewKind::parse("pledge", &kinds),
            Ok(NewKind::Theme("pledge".into()))
        );
        let err = NewKind::parse("pledg", &kinds).unwrap_err();
        assert!(
            err.hint.starts_with("did you mean `pledge`?"),
            "{}",
            err.hint
        );
    }
}
