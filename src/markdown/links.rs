//! Internal links: relative paths to `.md` files become site paths; site paths (`/schools/`)
//! are checked as they are; links to missing pages, missing headings or missing files are
//! errors naming the file and line.
//!
//! A link to a heading on another page is resolved with the rest but checked apart
//! ([`check_fragments`]), once every page's headings are known: so each page is parsed
//! once, and its links resolve before the other pages are read.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag};
use serde::{Deserialize, Serialize};

use super::Document;
use crate::diagnostics::Diagnostic;

/// What a link can point at: every page (by file and by site path, with its heading ids
/// once they are known), every file kept beside the Markdown (images, downloads), and every
/// other file the site will have (stylesheets, PDFs) by its site path.
#[derive(Debug, Clone, Default)]
pub struct LinkTargets {
    pages: HashMap<PathBuf, (String, HashSet<String>)>,
    /// Site path -> the page's file.
    urls: HashMap<String, PathBuf>,
    files: HashSet<PathBuf>,
    site_files: HashSet<String>,
    charts: HashSet<String>,
    unloaded: HashSet<PathBuf>,
    /// Links in the content folder to files outside the site's folder.
    outside: HashSet<PathBuf>,
}

impl LinkTargets {
    pub fn add_page(&mut self, file: PathBuf, url: String, ids: impl IntoIterator<Item = String>) {
        self.urls.insert(url.clone(), file.clone());
        self.pages.insert(file, (url, ids.into_iter().collect()));
    }

    /// The heading ids of a page added before they were known.
    pub fn set_ids(&mut self, file: &Path, ids: impl IntoIterator<Item = String>) {
        if let Some((_, known)) = self.pages.get_mut(file) {
            *known = ids.into_iter().collect();
        }
    }

    /// A file the site will have, by its site path (`/css/folio.css`).
    pub fn add_site_file(&mut self, url: String) {
        self.site_files.insert(url);
    }

    pub fn add_file(&mut self, file: PathBuf) {
        self.files.insert(file);
    }

    /// A link in the content folder to a file outside the site: never read, and a link to
    /// it says so.
    pub fn add_outside(&mut self, file: PathBuf) {
        self.outside.insert(file);
    }

    pub fn add_chart(&mut self, id: String) {
        self.charts.insert(id);
    }

    /// A file that could not be read at all still exists: links to it are not reported as
    /// broken too.
    pub fn add_unloaded_page(&mut self, file: PathBuf) {
        self.unloaded.insert(file);
    }

    /// A hash of every target but the heading ids, the same for the same targets in any
    /// order: what a page's links were resolved against. (Links to headings on other pages
    /// are checked again in every build, see [`check_fragments`].)
    pub fn fingerprint(&self) -> u128 {
        let mut all = crate::cache::Fingerprint::new();
        let mut pages: Vec<_> = self.pages.iter().collect();
        // By bytes: ordering paths by their components costs far more, for the same use.
        pages.sort_unstable_by(|a, b| {
            a.0.as_os_str()
                .as_encoded_bytes()
                .cmp(b.0.as_os_str().as_encoded_bytes())
        });
        for (file, (url, _)) in pages {
            all.add(file.as_os_str().as_encoded_bytes())
                .add(url.as_bytes());
        }
        let paths = |all: &mut crate::cache::Fingerprint, set: &HashSet<PathBuf>| {
            let mut set: Vec<&PathBuf> = set.iter().collect();
            set.sort_unstable_by_key(|p| p.as_os_str().as_encoded_bytes());
            all.add(&(set.len() as u64).to_le_bytes());
            for path in set {
                all.add(path.as_os_str().as_encoded_bytes());
            }
        };
        let names = |all: &mut crate::cache::Fingerprint, set: &HashSet<String>| {
            let mut set: Vec<&String> = set.iter().collect();
            set.sort_unstable();
            all.add(&(set.len() as u64).to_le_bytes());
            for name in set {
                all.add(name.as_bytes());
            }
        };
        paths(&mut all, &self.files);
        names(&mut all, &self.site_files);
        names(&mut all, &self.charts);
        paths(&mut all, &self.unloaded);
        paths(&mut all, &self.outside);
        all.finish()
    }

    /// The page whose file name is closest to a mistyped one.
    fn nearest_page(&self, wanted: &Path) -> Option<&Path> {
        let name = |p: &Path| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let mut pages: Vec<&PathBuf> = self.pages.keys().collect();
        pages.sort();
        let names: Vec<String> = pages.iter().map(|p| name(p)).collect();
        let best = crate::text::nearest(&name(wanted), &names)?;
        // Among pages of that name, the one in the folder the link pointed at.
        pages
            .iter()
            .filter(|p| name(p) == best)
            .max_by_key(|p| p.parent() == wanted.parent())
            .map(|p| p.as_path())
    }
}

/// A link to a heading on another page, kept to be checked by [`check_fragments`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FragmentLink {
    /// The page linked to, by its file.
    pub page: PathBuf,
    /// The heading id, without its `#`.
    pub fragment: String,
    /// Where the link is in the linking page's source.
    pub span: Range<usize>,
}

/// What [`resolve_links`] found: links that lead nowhere, and links to headings on other
/// pages, to check once every page's headings are known.
#[derive(Debug, Default)]
pub struct Resolved {
    pub problems: Vec<Diagnostic>,
    pub fragments: Vec<FragmentLink>,
}

/// Rewrites link and image destinations in `doc` and reports those that lead nowhere.
/// `file` is the page's path from the site root (`content/a/b.md`). Links to headings on
/// this page are checked here; those to headings on other pages are returned to be checked
/// with [`check_fragments`].
pub fn resolve_links(
    file: &Path,
    source: &str,
    doc: &mut Document,
    targets: &LinkTargets,
) -> Resolved {
    let own_ids: HashSet<&str> = doc.headings.iter().map(|h| h.id.as_str()).collect();
    let own_ids: HashSet<String> = own_ids.into_iter().map(str::to_string).collect();
    let mut resolved = Resolved::default();
    let mut in_chart = false;
    for (event, range) in &mut doc.events {
        let dest = match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some((dest_url, false)),
            Event::Start(Tag::Image { dest_url, .. }) => Some((dest_url, true)),
            _ => None,
        };
        if let Some((dest_url, image)) = dest {
            let mut fragment = None;
            match resolve(file, dest_url, &own_ids, targets, image, &mut fragment) {
                Ok(Some(url)) => *dest_url = CowStr::from(url),
                Ok(None) => {}
                Err(d) => resolved.problems.push(d.span(source, range.clone())),
            }
            if let Some((page, fragment)) = fragment {
                resolved.fragments.push(FragmentLink {
                    page,
                    fragment,
                    span: range.clone(),
                });
            }
            continue;
        }
        let at = |d: Diagnostic| d.span(source, range.clone());
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.trim() == "chart" => {
                in_chart = true
            }
            Event::Text(text) if in_chart => {
                let id = text.trim();
                if !targets.charts.contains(id) {
                    let mut known: Vec<&str> = targets.charts.iter().map(String::as_str).collect();
                    known.sort_unstable();
                    resolved.problems.push(at(Diagnostic::error(
                        file,
                        format!("there is no chart with the id `{id}`"),
                    )
                    .hint(format!(
                        "use an id from content/_data/figures.yaml: {}",
                        known.join(", ")
                    ))));
                }
            }
            Event::End(_) => in_chart = false,
            _ => {}
        }
    }
    resolved
}

/// The links of a page (`file`, `source`) to headings on other pages that are not there,
/// against `targets` with every page's heading ids.
pub fn check_fragments<'a>(
    file: &Path,
    source: impl Fn() -> &'a str,
    links: &[FragmentLink],
    targets: &LinkTargets,
) -> Vec<Diagnostic> {
    links
        .iter()
        .filter_map(|link| {
            let (_, ids) = targets.pages.get(&link.page)?;
            (!ids.contains(&link.fragment)).then(|| {
                missing_fragment(file, &link.fragment, &link.page.display().to_string(), ids)
                    .span(source(), link.span.clone())
            })
        })
        .collect()
}

fn is_external(dest: &str) -> bool {
    let scheme_end = dest.find(':').unwrap_or(0);
    scheme_end > 0
        && dest[..scheme_end]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        || dest.starts_with("//")
}

/// `Ok(Some(url))` to rewrite, `Ok(None)` to leave as written, `Err` when it leads nowhere.
/// A heading on another page that it points at goes in `fragment`, to be checked later.
fn resolve(
    file: &Path,
    dest: &str,
    own_ids: &HashSet<String>,
    targets: &LinkTargets,
    image: bool,
    fragment_link: &mut Option<(PathBuf, String)>,
) -> Result<Option<String>, Diagnostic> {
    if dest.is_empty() || is_external(dest) {
        return Ok(None);
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    if path.is_empty() {
        let fragment = fragment.unwrap_or_default();
        if !fragment.is_empty() && !own_ids.contains(fragment) {
            return Err(missing_fragment(file, fragment, "this page", own_ids));
        }
        return Ok(None);
    }
    if path.starts_with('/') {
        // A site path: a page, with its headings, or a file the site will have. It is left as
        // written; the web page puts the site's base path before it.
        return site_path(file, path, fragment, targets, fragment_link).map(|()| None);
    }
    let decoded = percent_decode(path);
    let target = normalise(&file.parent().unwrap_or(Path::new("")).join(&decoded));
    if !image && decoded.ends_with(".md") {
        if targets.unloaded.contains(&target) {
            return Ok(None);
        }
        let Some((url, _)) = targets.pages.get(&target) else {
            let mut d = Diagnostic::error(
                file,
                format!(
                    "the link points to {}, which does not exist (or is a draft)",
                    target.display()
                ),
            );
            d = match targets.nearest_page(&target) {
                Some(near) => d.hint(format!("did you mean {}? Links are relative to this file's folder", near.display())),
                None => d.hint("links to pages are paths relative to this file's folder, e.g. ../schools/_index.md"),
            };
            return Err(d);
        };
        return match fragment {
            Some(f) if !f.is_empty() => {
                *fragment_link = Some((target, f.to_string()));
                Ok(Some(format!("{url}#{f}")))
            }
            _ => Ok(Some(url.clone())),
        };
    }
    if targets.files.contains(&target) {
        let site_path = target
            .strip_prefix(crate::content::CONTENT_DIR)
            .unwrap_or(&target);
        let mut url = format!("/{}", site_path.to_string_lossy().replace('\\', "/"));
        if let Some(f) = fragment {
            url = format!("{url}#{f}");
        }
        return Ok(Some(url));
    }
    let what = if image { "image" } else { "file" };
    if targets.outside.contains(&target) {
        return Err(Diagnostic::error(
            file,
            format!("the {what} {} is a link to a file outside the site's folder", target.display()),
        )
        .hint("folio reads only files inside the site: copy the file into content/ instead of linking to it"));
    }
    Err(Diagnostic::error(
        file,
        format!("the {what} {} does not exist", target.display()),
    )
    .hint("paths are relative to this Markdown file's folder; link to pages by their .md file"))
}

/// Checks a link written as a site path, such as `/schools/pep/#plans`.
fn site_path(
    file: &Path,
    path: &str,
    fragment: Option<&str>,
    targets: &LinkTargets,
    fragment_link: &mut Option<(PathBuf, String)>,
) -> Result<(), Diagnostic> {
    let decoded = percent_decode(path);
    // `/schools/pep` is served as `/schools/pep/`.
    let as_page = if decoded.ends_with('/') || decoded.contains('.') {
        decoded.clone()
    } else {
        format!("{decoded}/")
    };
    if let Some(page) = targets.urls.get(&as_page) {
        if let Some(f) = fragment.filter(|f| !f.is_empty()) {
            *fragment_link = Some((page.clone(), f.to_string()));
        }
        return Ok(());
    }
    let content_file = Path::new(crate::content::CONTENT_DIR).join(decoded.trim_start_matches('/'));
    if targets.site_files.contains(&decoded) || targets.files.contains(&content_file) {
        return Ok(());
    }
    let mut known: Vec<&String> = targets.urls.keys().chain(&targets.site_files).collect();
    known.sort();
    let d = Diagnostic::error(
        file,
        format!("the link points to {decoded}, which is not a page or file of this site"),
    );
    Err(match crate::text::nearest(&decoded, &known) {
        Some(near) => d.hint(format!(
            "did you mean {near}? Or link to the page's Markdown file, as a path from this file's folder"
        )),
        None => d.hint(
            "link to the page's Markdown file, as a path from this file's folder, e.g. ../schools/_index.md",
        ),
    })
}

fn missing_fragment(file: &Path, fragment: &str, page: &str, ids: &HashSet<String>) -> Diagnostic {
    let mut known: Vec<&str> = ids.iter().map(String::as_str).collect();
    known.sort_unstable();
    let hint = match crate::text::nearest(fragment, &known) {
        Some(best) => format!("did you mean #{best}?"),
        None if known.is_empty() => format!("{page} has no headings to link to"),
        None => format!(
            "headings on {page}: {}",
            known
                .iter()
                .map(|k| format!("#{k}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::error(
        file,
        format!("the link points to #{fragment}, which is not a heading on {page}"),
    )
    .hint(hint)
}

/// Resolves `.` and `..` without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Decodes `%xx` escapes; invalid escapes are kept as they are, never a panic.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if let (b'%', Some(&h), Some(&l)) = (bytes[i], bytes.get(i + 1), bytes.get(i + 2))
            && let (Some(h), Some(l)) = (hex(h), hex(l))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> LinkTargets {
        let mut t = LinkTargets::default();
        t.add_page(
            "content/schools/_index.md".into(),
            "/schools/".into(),
            ["aims".to_string()],
        );
        t.add_page(
            "content/schools/pep.md".into(),
            "/schools/pep/".into(),
            Vec::<String>::new(),
        );
        t.add_file("content/schools/plan.png".into());
        t
    }

    fn go(dest: &str) -> Result<Option<String>, Diagnostic> {
        resolve(
            Path::new("content/schools/pep.md"),
            dest,
            &HashSet::from(["top".to_string()]),
            &targets(),
            false,
            &mut None,
        )
    }

    #[test]
    fn relative_md_links_become_urls() {
        assert_eq!(go("_index.md").unwrap(), Some("/schools/".into()));
        assert_eq!(
            go("../schools/_index.md#aims").unwrap(),
            Some("/schools/#aims".into())
        );
        assert_eq!(go("plan.png").unwrap(), Some("/schools/plan.png".into()));
        assert_eq!(go("https://example.org/x.md").unwrap(), None);
        assert_eq!(go("mailto:someone@example.org").unwrap(), None);
        assert_eq!(go("#top").unwrap(), None);
    }

    #[test]
    fn missing_pages_and_fragments_are_errors() {
        let err = go("pepp.md").unwrap_err();
        assert!(
            err.message
                .contains("content/schools/pepp.md, which does not exist"),
            "{}",
            err.message
        );
        assert!(
            err.hint
                .unwrap()
                .contains("did you mean content/schools/pep.md?")
        );
        assert!(go("#nowhere").is_err());
        // Percent signs before multi-byte characters must not panic.
        assert!(go("%é.md").is_err());
        assert_eq!(percent_decode("a%20b"), "a b");
    }

    #[test]
    fn links_to_headings_on_other_pages_are_checked_once_their_headings_are_known() {
        let file = Path::new("content/schools/pep.md");
        let source = "# Top\n\n[a](_index.md#aim) [b](/schools/#aims)\n\n[c](/schools/pep#plans) [d](#top)\n";
        let mut doc = super::super::parse(source, 0, false);
        let mut targets = targets();
        let resolved = resolve_links(file, source, &mut doc, &targets);
        assert!(resolved.problems.is_empty(), "{:?}", resolved.problems);
        let pointed: Vec<(&Path, &str)> = resolved
            .fragments
            .iter()
            .map(|f| (f.page.as_path(), f.fragment.as_str()))
            .collect();
        assert_eq!(
            pointed,
            [
                (Path::new("content/schools/_index.md"), "aim"),
                (Path::new("content/schools/_index.md"), "aims"),
                (Path::new("content/schools/pep.md"), "plans"),
            ]
        );
        // The link is rewritten whether or not the heading is there.
        let dests: Vec<String> = doc
            .events
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(
            dests,
            [
                "/schools/#aim",
                "/schools/#aims",
                "/schools/pep#plans",
                "#top"
            ]
        );
        let found = check_fragments(file, || source, &resolved.fragments, &targets);
        let messages: Vec<(&str, usize, Option<&str>)> = found
            .iter()
            .map(|d| (d.message.as_str(), d.line, d.hint.as_deref()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    "the link points to #aim, which is not a heading on content/schools/_index.md",
                    3,
                    Some("did you mean #aims?")
                ),
                (
                    "the link points to #plans, which is not a heading on content/schools/pep.md",
                    5,
                    Some("content/schools/pep.md has no headings to link to")
                ),
            ]
        );
        targets.set_ids(Path::new("content/schools/pep.md"), ["plans".to_string()]);
        assert_eq!(
            check_fragments(file, || source, &resolved.fragments, &targets).len(),
            1
        );
    }
}
