//! `folio new`: a new page with valid front matter.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::content::CONTENT_DIR;

/// Creates a page at `path` (relative to the content folder, or starting with `content/`).
/// Refuses to overwrite. Returns the file created, relative to the site root.
pub fn new_page(root: &Path, path: &Path) -> Result<PathBuf, String> {
    let mut relative = path.strip_prefix(CONTENT_DIR).unwrap_or(path).to_path_buf();
    if relative.as_os_str().is_empty()
        || relative.is_absolute()
        || relative
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(format!(
            "`{}` is not a path inside the content folder; give one like schools/new-page.md",
            path.display()
        ));
    }
    if relative.extension().is_none_or(|e| e != "md") {
        relative.set_extension("md");
    }
    let file = Path::new(CONTENT_DIR).join(&relative);
    let full = root.join(&file);
    let is_index = relative.file_name().is_some_and(|n| n == "_index.md");
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
    let title = title_from(&stem);
    let text = format!(
        "---\ntitle: {}\ndescription: \"\"\ndraft: true\n---\n\n## First heading\n\nWrite the page here. Keep sentences short.\n",
        yaml_string(&title)
    );
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let mut handle = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&full)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                format!(
                    "{} already exists; folio new never overwrites a page",
                    file.display()
                )
            } else {
                format!("cannot create {}: {e}", file.display())
            }
        })?;
    handle
        .write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(file)
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

    #[test]
    fn creates_a_valid_page_and_refuses_to_overwrite() {
        let tmp = tempfile::tempdir().unwrap();
        let file = new_page(tmp.path(), Path::new("schools/new-page")).unwrap();
        assert_eq!(file, Path::new("content/schools/new-page.md"));
        let text = std::fs::read_to_string(tmp.path().join(&file)).unwrap();
        let (front, _) = crate::content::front_matter::parse(&text, &file).unwrap();
        assert_eq!(front.title, "New page");
        assert!(front.draft);
        let err = new_page(tmp.path(), Path::new("content/schools/new-page.md")).unwrap_err();
        assert!(err.contains("already exists"));
        assert!(new_page(tmp.path(), Path::new("../x.md")).is_err());
    }
}
