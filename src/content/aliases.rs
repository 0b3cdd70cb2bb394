//! Old addresses of pages (`aliases:` in front matter): checked, so that each leads to one
//! page and none hides a page, for the redirects output to write.

use std::collections::BTreeMap;

use super::{PageId, Site};
use crate::diagnostics::Diagnostic;

/// An old site path of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The old site path, `/old/place/` (or a file's, `/old/place.html`).
    pub from: String,
    /// The page it now leads to.
    pub to: PageId,
}

impl Alias {
    /// The file written at the old address, inside the output folder.
    pub fn file(&self) -> std::path::PathBuf {
        let path = self.from.trim_start_matches('/');
        if self.from.ends_with('/') {
            std::path::Path::new(path).join("index.html")
        } else {
            path.into()
        }
    }
}

/// Every page's aliases, each a clean site path that is no page's and no other alias's.
pub(super) fn find(site: &Site, diagnostics: &mut Vec<Diagnostic>) -> Vec<Alias> {
    let mut found: Vec<Alias> = Vec::new();
    let mut from_file: BTreeMap<String, PageId> = BTreeMap::new();
    for (id, page) in site.pages.iter() {
        for written in &page.front.aliases {
            let (line, column) = place(page.front_text(), written);
            let error = |message: String, hint: &str| {
                Diagnostic::error(&page.file, message)
                    .at(line, column)
                    .to(line, column + written.chars().count())
                    .hint(hint)
            };
            let from = match normalise(written) {
                Ok(from) => from,
                Err(hint) => {
                    diagnostics.push(error(
                        format!(
                            "the alias \"{}\" is not a path on this site",
                            written.escape_debug()
                        ),
                        hint,
                    ));
                    continue;
                }
            };
            if let Some(other) = site.pages.values().find(|p| p.url == from) {
                let message = if other.file == page.file {
                    "the alias is this page's own address".to_string()
                } else {
                    format!(
                        "the alias {from} is the address of {}",
                        other.file.display()
                    )
                };
                diagnostics.push(error(
                    message,
                    "an old address must be one that no page has now: remove the alias, or move the other page",
                ));
                continue;
            }
            if let Some(&other) = from_file.get(&from) {
                diagnostics.push(error(
                    format!(
                        "the alias {from} is also an alias of {}",
                        site.pages[other].file.display()
                    ),
                    "an old address can lead to one page only: remove one of the two aliases",
                ));
                continue;
            }
            from_file.insert(from.clone(), id);
            found.push(Alias { from, to: id });
        }
    }
    found
}

/// Where an alias is written in a page's front matter: the line and column of its text.
fn place(source: &str, written: &str) -> (usize, usize) {
    let start = super::front_matter::line_of_key(source, "aliases").unwrap_or(1);
    for (i, line) in source.lines().enumerate().skip(start - 1) {
        if line.trim_end() == "---" {
            break;
        }
        if let Some(at) = line.find(written)
            && !written.is_empty()
        {
            return (i + 1, line[..at].chars().count() + 1);
        }
    }
    (start, 1)
}

/// An alias as a site path: `/old/place/`, or a file's path kept as it is
/// (`/old/place.html`). The error is a hint on how to write it.
fn normalise(written: &str) -> Result<String, &'static str> {
    let path = written.trim();
    if path.contains("://") || path.starts_with("//") {
        return Err(
            "write the old address as a path on this site, such as /old/place/, without the site's address",
        );
    }
    if !path.starts_with('/') {
        return Err("start the old address with /, as in /old/place/");
    }
    let clean = path
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~'));
    if !clean || path.split('/').any(|part| part == ".." || part == ".") {
        return Err(
            "use letters, digits, hyphens, underscores, dots and slashes only, as in /old/place/",
        );
    }
    if path == "/" {
        return Err("the home page's address cannot be an alias");
    }
    let last = path.rsplit('/').next().unwrap_or("");
    if path.ends_with('/') || last.contains('.') {
        Ok(path.replace("//", "/"))
    } else {
        Ok(format!("{path}/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_become_clean_site_paths() {
        assert_eq!(normalise("/old/place").unwrap(), "/old/place/");
        assert_eq!(normalise("/old/place/").unwrap(), "/old/place/");
        assert_eq!(normalise("/old/page.html").unwrap(), "/old/page.html");
        assert!(normalise("old/place").is_err());
        assert!(normalise("https://example.org/old/").is_err());
        assert!(normalise("/old/../x/").is_err());
        assert!(normalise("/old place/").is_err());
        assert!(normalise("/").is_err());
    }

    #[test]
    fn an_alias_is_written_as_a_folder_or_a_file() {
        let alias = |from: &str| Alias {
            from: from.into(),
            to: PageId::from_index(0),
        };
        assert_eq!(
            alias("/old/").file(),
            std::path::Path::new("old/index.html")
        );
        assert_eq!(alias("/old.html").file(), std::path::Path::new("old.html"));
    }
}
