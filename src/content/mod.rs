//! Loading the content tree into a `Site`: pages with typed front matter, arranged into the
//! home page, sections and booklets, with ordering, prev/next and inherited document control.

pub mod aliases;
pub mod data;
pub mod front_matter;
mod history;
pub mod kinds;
mod page_map;
pub mod register;
pub mod source;

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, line_column};
pub use aliases::Alias;
pub use data::{Bar, Chart, Data, GlossaryEntry};
pub use front_matter::{Change, DocumentControl, FrontMatter, Status};
pub use history::Changed;
pub use kinds::Kinds;
pub use page_map::{PageId, PageMap};
pub use register::{FieldValue, Register};
pub use source::{Source, SourceRecords};

pub const CONTENT_DIR: &str = "content";
pub const ACCESSIBILITY_URL: &str = "/accessibility/";
/// The search page, and the A–Z list of pages it falls back to without JavaScript.
pub const SEARCH_URL: &str = "/search/";
pub const A_TO_Z_URL: &str = "/a-z/";
/// The field of a page kind that holds its review date, as in document control.
pub const REVIEW_FIELD: &str = "review_by";
/// The site's Atom feed of changes; a booklet's has the same name in its folder.
pub const FEED_FILE: &str = "/atom.xml";

/// Where a page sits in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Home,
    Section,
    Booklet,
    /// A page inside a booklet.
    Chapter,
    Page,
    /// The accessibility statement, generated from site.yaml when content does not supply it.
    Accessibility,
    /// A page folio generates for finding things (search, A–Z); not listed among pages.
    Utility,
    /// The register of a page kind: a table of every page of that kind.
    Register,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the site root, e.g. `content/schools/designated-teacher.md`.
    pub file: PathBuf,
    /// The file, front matter included, so diagnostics can quote lines: see [`Page::text`].
    pub source: Source,
    /// Byte offset where the Markdown body starts in `source`.
    pub body_offset: usize,
    pub front: FrontMatter,
    pub role: Role,
    /// Site path with leading and trailing slash: `/schools/designated-teacher/`.
    pub url: String,
    pub parent: Option<PageId>,
    /// Children in reading order.
    pub children: Vec<PageId>,
    /// The booklet this page is a chapter of, or is.
    pub booklet: Option<PageId>,
    /// Own or inherited from the booklet.
    pub document_control: Option<DocumentControl>,
    pub prev: Option<PageId>,
    pub next: Option<PageId>,
}

impl Page {
    /// A page no Markdown file makes (the accessibility statement, a register, the search
    /// page): settings from site.yaml, which is the file its problems point at.
    fn made_by_folio(front: FrontMatter, role: Role, url: String) -> Page {
        let file = PathBuf::from(crate::config::FILE_NAME);
        Page::unplaced(file, Source::none(), 0, front, role, url)
    }

    /// A page as read, before its place in the site (parent, booklet, neighbours) is known.
    fn unplaced(
        file: PathBuf,
        source: Source,
        body_offset: usize,
        front: FrontMatter,
        role: Role,
        url: String,
    ) -> Page {
        Page {
            file,
            source,
            body_offset,
            front,
            role,
            url,
            parent: None,
            children: Vec::new(),
            booklet: None,
            document_control: None,
            prev: None,
            next: None,
        }
    }

    /// The whole file (read now if it was not read when the site loaded).
    pub fn text(&self) -> &str {
        self.source.whole()
    }

    /// The front matter, with its `---` lines: known without reading the file again.
    pub fn front_text(&self) -> &str {
        self.source.front(self.body_offset)
    }

    pub fn body(&self) -> &str {
        &self.text()[self.body_offset..]
    }

    /// The name templates and the theme know this page by.
    pub fn kind(&self) -> &str {
        match self.role {
            Role::Home => "home",
            Role::Section => "section",
            Role::Booklet => "booklet",
            Role::Accessibility => "accessibility",
            Role::Utility => "utility",
            Role::Register => "register",
            Role::Chapter | Role::Page => self.front.kind.as_deref().unwrap_or(match self.role {
                Role::Chapter => "chapter",
                _ => "page",
            }),
        }
    }

    /// The 1-based file line of a front matter key, or the first line.
    pub fn line_of(&self, key: &str) -> usize {
        front_matter::line_of_key(self.front_text(), key).unwrap_or(1)
    }
}

/// The content model: what the site is, before anything is rendered.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub data: Data,
    pub kinds: Kinds,
    pub pages: PageMap<Page>,
    pub home: Option<PageId>,
    /// The page that shows the glossary, if the site has one.
    pub glossary: Option<PageId>,
    /// Markdown files that could not be loaded (their errors are reported). Links to them
    /// are still checked against their headings, so one run reports everything.
    pub unloaded: Vec<Unloaded>,
    /// The files kept beside the Markdown in `content/` (images, downloads), by their path
    /// inside it, in name order; none hidden (`.` or `_` first), none a backup (`~` last).
    pub files: Vec<PathBuf>,
    /// The symbolic links in `content/` to files outside the site's folder, by their path
    /// in the site's folder: never read or published.
    pub links_outside: Vec<PathBuf>,
    /// The register of each page kind the theme gives one.
    pub registers: Vec<Register>,
    /// Old addresses of pages, each leading to its page.
    pub aliases: Vec<Alias>,
    by_file: HashMap<PathBuf, PageId>,
    /// When loading began, in nanoseconds since 1970: files changed well before it are
    /// recorded for the next build ([`Site::source_records`]).
    read_at_ns: i128,
}

/// A Markdown file whose front matter could not be read: where it would be published, and
/// its body when the front matter's end could be found.
#[derive(Debug, Clone)]
pub struct Unloaded {
    pub file: PathBuf,
    pub url: String,
    pub source: String,
    /// Where the body starts in `source`, when it could be told apart.
    pub body_offset: Option<usize>,
}

pub struct LoadOptions<'a> {
    pub drafts: bool,
    /// The last build's records of the files: a file unchanged since is not read.
    pub known: &'a SourceRecords,
    /// The theme's template that shows the glossary: the page that uses it is the glossary.
    pub glossary_template: Option<String>,
}

impl Site {
    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id]
    }

    pub fn page_by_file(&self, file: &Path) -> Option<PageId> {
        self.by_file.get(file).copied()
    }

    pub fn booklets(&self) -> impl Iterator<Item = PageId> + '_ {
        self.pages
            .iter()
            .filter(|(_, p)| p.role == Role::Booklet)
            .map(|(id, _)| id)
    }

    /// A booklet's own page, then its chapters in reading order.
    pub fn booklet_pages(&self, booklet: PageId) -> Vec<PageId> {
        std::iter::once(booklet)
            .chain(self.pages[booklet].children.iter().copied())
            .collect()
    }

    /// Ancestors from the home page down, not including the page itself.
    pub fn ancestors(&self, id: PageId) -> Vec<PageId> {
        let mut chain = Vec::new();
        let mut current = self.pages[id].parent;
        while let Some(p) = current {
            chain.push(p);
            current = self.pages[p].parent;
        }
        chain.reverse();
        chain
    }

    /// The site path of a booklet's file in a format, next to its pages: the booklet's
    /// folder name, as in `/schools/schools.pdf`, `/schools/schools-large-print.pdf`,
    /// `/schools/schools.epub` and `/schools/schools-print-room.pdf`.
    pub fn download_url(&self, booklet: PageId, format: crate::config::Format) -> String {
        use crate::config::Format;
        let url = &self.pages[booklet].url;
        let last = url.trim_matches('/').rsplit('/').next().unwrap_or("");
        let name = if last.is_empty() { "booklet" } else { last };
        let ending = match format {
            Format::Pdf => ".pdf",
            Format::LargePrint => "-large-print.pdf",
            Format::Epub => ".epub",
            Format::PrintRoom => "-print-room.pdf",
        };
        format!("{url}{name}{ending}")
    }

    /// Whether a booklet is made in a format: its own `formats:`, else site.yaml's, else
    /// yes.
    pub fn makes(&self, booklet: PageId, format: crate::config::Format) -> bool {
        self.pages[booklet]
            .front
            .formats
            .and_then(|f| f.get(format))
            .or(self.config.formats.get(format))
            .unwrap_or(true)
    }

    /// The booklets made in a format.
    pub fn booklets_in(&self, format: crate::config::Format) -> impl Iterator<Item = PageId> + '_ {
        self.booklets().filter(move |&b| self.makes(b, format))
    }

    /// The site path of the Atom feed of changes: the whole site's (`booklet: None`), or one
    /// booklet's, next to its pages. `None` when nothing it would cover has changed.
    pub fn feed_url(&self, booklet: Option<PageId>) -> Option<String> {
        match booklet {
            None => (!self.changes().is_empty()).then(|| FEED_FILE.to_string()),
            Some(b) => (!self.changes_of(b).is_empty())
                .then(|| format!("{}{}", self.pages[b].url, &FEED_FILE[1..])),
        }
    }

    /// The glossary page's site path, if there is one.
    pub fn glossary_url(&self) -> Option<&str> {
        self.glossary.map(|g| self.pages[g].url.as_str())
    }

    /// Loads and arranges the content tree. Returns the site and every problem found; the
    /// caller decides whether errors stop the build.
    pub fn load(
        root: &Path,
        config: Config,
        kinds: Kinds,
        options: &LoadOptions,
    ) -> (Site, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let read_at_ns = source::now_ns();
        let data = Data::load(root, &mut diagnostics);
        let mut unloaded = Vec::new();
        let mut files = Walked::default();
        // Room for the pages folio adds: growing a large site's list copies every page.
        let room = 3 + kinds.iter().filter(|(_, k)| k.register.is_some()).count();
        let mut pages = read_pages(
            root,
            config.limits.page_bytes,
            options.known,
            room,
            &mut diagnostics,
            &mut unloaded,
            &mut files,
        );
        if !options.drafts {
            drop_drafts(&mut pages);
        }
        check_kinds(&pages, &kinds, &mut diagnostics);
        let mut site = Site {
            root: root.to_path_buf(),
            config,
            data,
            kinds,
            pages: PageMap::default(),
            home: None,
            glossary: None,
            unloaded,
            files: files.files,
            links_outside: files.links_outside,
            registers: Vec::new(),
            aliases: Vec::new(),
            by_file: HashMap::new(),
            read_at_ns,
        };
        add_accessibility_statement(&mut pages);
        add_register_pages(&mut pages, &site.kinds, &mut diagnostics);
        add_utility_page(
            &mut pages,
            SEARCH_URL,
            "Search",
            "Search every page of this site.",
            "search.html",
        );
        add_utility_page(
            &mut pages,
            A_TO_Z_URL,
            "A to Z of pages",
            "Every page of this site, in alphabetical order.",
            "a-z.html",
        );
        site.arrange(pages, &mut diagnostics);
        site.registers = register::find(&site);
        site.aliases = aliases::find(&site, &mut diagnostics);
        site.glossary = options.glossary_template.as_deref().and_then(|template| {
            site.pages
                .iter()
                .find(|(_, p)| p.front.template.as_deref() == Some(template))
                .map(|(id, _)| id)
        });
        (site, diagnostics)
    }
}

fn add_accessibility_statement(pages: &mut Vec<Page>) {
    if let Some(page) = pages.iter_mut().find(|p| p.url == ACCESSIBILITY_URL) {
        page.role = Role::Accessibility;
        return;
    }
    let front = FrontMatter {
        title: "Accessibility statement".into(),
        description:
            "How accessible this website is, and how to get its content in another format.".into(),
        order: Some(i64::MAX),
        ..Default::default()
    };
    pages.push(Page::made_by_folio(
        front,
        Role::Accessibility,
        ACCESSIBILITY_URL.into(),
    ));
}

/// The page of each register the theme asks for: the content's own page at its address
/// (a plain page, whose text introduces the table), or one made from `kinds.yaml` when the
/// site has a page of that kind (a site with no pledges has no empty register of them).
fn add_register_pages(pages: &mut Vec<Page>, kinds: &Kinds, diagnostics: &mut Vec<Diagnostic>) {
    for (kind, spec) in kinds
        .iter()
        .filter_map(|(name, k)| Some((name, k.register.as_ref()?)))
    {
        let url = format!("/{}/", spec.name);
        if let Some(page) = pages.iter_mut().find(|p| p.url == url) {
            if page.role == Role::Page && page.front.kind.is_none() {
                page.role = Role::Register;
            } else {
                diagnostics.push(
                    Diagnostic::error(
                        &page.file,
                        format!("{url} is the address of the register of every {kind}"),
                    )
                    .at(1, 1)
                    .hint(format!(
                        "move this page; a page of its own at content/{}.md (with no kind) becomes the register's introduction",
                        spec.name
                    )),
                );
            }
            continue;
        }
        if !pages.iter().any(|p| p.front.kind.as_deref() == Some(kind)) {
            continue;
        }
        let front = FrontMatter {
            title: spec.title.clone(),
            description: spec.description.clone(),
            ..Default::default()
        };
        pages.push(Page::made_by_folio(front, Role::Register, url));
    }
}

/// Adds a generated page unless the content has a page at that address already.
fn add_utility_page(
    pages: &mut Vec<Page>,
    url: &str,
    title: &str,
    description: &str,
    template: &str,
) {
    if pages.iter().any(|p| p.url == url) {
        return;
    }
    let front = FrontMatter {
        title: title.into(),
        description: description.into(),
        template: Some(template.into()),
        ..Default::default()
    };
    pages.push(Page::made_by_folio(front, Role::Utility, url.into()));
}

impl Site {
    /// Links pages into a tree, orders children, fills in booklets and prev/next, and hands
    /// a booklet's document control to its chapters.
    fn arrange(&mut self, pages: Vec<Page>, diagnostics: &mut Vec<Diagnostic>) {
        // Stable, path-sorted order makes everything downstream deterministic. The order is
        // found on indices: a page is large, and sorting a large site's pages moved each
        // one many times.
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            a.url.cmp(&b.url).then(a.file.cmp(&b.file))
        });
        let mut pages: Vec<Option<Page>> = pages.into_iter().map(Some).collect();
        let mut kept: Vec<Page> = Vec::with_capacity(pages.len());
        for page in order.into_iter().filter_map(|i| pages[i].take()) {
            match kept.last() {
                Some(first) if first.url == page.url => diagnostics.push(
                    Diagnostic::error(&page.file, format!("this page has the same address {} as {}", page.url, first.file.display()))
                        .at(1, 1)
                        .hint("rename or move one of the two files; `name.md` and `name/_index.md` both publish at /name/"),
                ),
                _ => kept.push(page),
            }
        }
        self.pages = kept.into_iter().collect();
        let by_url: BTreeMap<String, PageId> = self
            .pages
            .iter()
            .map(|(id, p)| (p.url.clone(), id))
            .collect();
        self.by_file = self
            .pages
            .iter()
            .map(|(id, p)| (p.file.clone(), id))
            .collect();
        self.home = by_url.get("/").copied();
        let ids: Vec<PageId> = self.pages.ids().collect();

        for &i in &ids {
            let parent = if self.pages[i].url == "/" {
                None
            } else {
                parent_url(&self.pages[i].url)
                    .into_iter()
                    .find_map(|candidate| by_url.get(&candidate).copied())
                    .filter(|&p| {
                        matches!(
                            self.pages[p].role,
                            Role::Home | Role::Section | Role::Booklet
                        )
                    })
            };
            self.pages[i].parent = parent.or(self.home.filter(|&h| h != i));
        }
        for &i in &ids {
            if let Some(p) = self.pages[i].parent
                && self.pages[i].role != Role::Utility
            {
                self.pages[p].children.push(i);
            }
        }
        for &i in &ids {
            let mut children = std::mem::take(&mut self.pages[i].children);
            // Each key made once: the home page of a large site has thousands of children.
            children.sort_by_cached_key(|&c| reading_order(&self.pages[c]));
            self.pages[i].children = children;
        }
        for &b in &ids {
            if self.pages[b].role != Role::Booklet {
                continue;
            }
            let control = self.pages[b].front.document_control.clone();
            self.pages[b].booklet = Some(b);
            self.pages[b].document_control = control.clone();
            let sequence = self.booklet_pages(b);
            for &c in &sequence[1..] {
                if self.pages[c].front.document_control.is_some() {
                    diagnostics.push(
                        Diagnostic::error(
                            &self.pages[c].file,
                            "a chapter cannot have its own document control",
                        )
                        .at(self.pages[c].line_of("document_control"), 1)
                        .hint(
                            "remove it here; chapters take the document control of their booklet",
                        ),
                    );
                }
                if self.pages[c].role == Role::Page {
                    self.pages[c].role = Role::Chapter;
                }
                self.pages[c].booklet = Some(b);
                self.pages[c].document_control = control.clone();
            }
            for pair in sequence.windows(2) {
                self.pages[pair[0]].next = Some(pair[1]);
                self.pages[pair[1]].prev = Some(pair[0]);
            }
        }
        for (_, page) in self.pages.iter() {
            if page.role == Role::Booklet && !page.front.history.is_empty() {
                diagnostics.push(
                    Diagnostic::error(
                        &page.file,
                        "a booklet keeps its history in its document control",
                    )
                    .at(page.line_of("history"), 1)
                    .hint("move `history:` under `document_control:`"),
                );
            }
            if page.role != Role::Booklet
                && page.role != Role::Home
                && page.front.document_control.is_some()
                && page.booklet.is_none()
            {
                diagnostics.push(
                    Diagnostic::error(&page.file, "only a booklet can have document control")
                        .at(page.line_of("document_control"), 1)
                        .hint("move it to the booklet's _index.md, or make this section a booklet with `kind: booklet`"),
                );
            }
        }
    }
}

/// Order, then title, then file name: the order chapters are read in.
fn reading_order(page: &Page) -> (i64, String, &Path) {
    (
        page.front.order.unwrap_or(i64::MAX),
        page.front.title.to_lowercase(),
        &page.file,
    )
}

/// Candidate parent URLs, nearest first: `/a/b/c/` -> `/a/b/`, `/a/`, `/`.
fn parent_url(url: &str) -> Vec<String> {
    let mut parts: Vec<&str> = url
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let mut out = Vec::new();
    while parts.pop().is_some() {
        if parts.is_empty() {
            out.push("/".to_string());
        } else {
            out.push(format!("/{}/", parts.join("/")));
        }
    }
    out
}

/// A page's path (inside the content folder) makes its address: a name with spaces, `?`,
/// `#`, `%`, quotes, slashes of the wrong kind or control characters would make an address
/// that breaks or says something else. The error gives a name to use.
fn unclean_name(relative: &Path, file: &Path) -> Option<Diagnostic> {
    let clean = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    for part in relative.components() {
        let Component::Normal(name) = part else {
            continue;
        };
        let name = name.to_string_lossy();
        if clean(&name) {
            continue;
        }
        let (stem, extension) = match name.rsplit_once('.') {
            Some((stem, "md")) => (stem.to_string(), ".md"),
            _ => (name.to_string(), ""),
        };
        let better = format!("{}{extension}", crate::text::slugify(&stem));
        let shown: String = name.escape_debug().collect();
        return Some(
            Diagnostic::error(
                file,
                format!("the name \"{shown}\" cannot make a clean web address"),
            )
            .hint(format!(
                "rename it to \"{better}\": letters, digits, hyphens, underscores and dots only"
            )),
        );
    }
    None
}

/// Whether `path`, with its symbolic links resolved, is inside the site's folder `root`.
/// folio reads nothing from outside it: a link out of the site must not carry another
/// folder's files into a PDF.
pub fn inside_root(root: &Path, path: &Path) -> bool {
    match (std::fs::canonicalize(root), std::fs::canonicalize(path)) {
        (Ok(root), Ok(real)) => real.starts_with(root),
        // Nothing there: there is nothing to read either.
        _ => true,
    }
}

/// The address a content file is published at.
fn url_for(relative: &Path) -> String {
    let mut parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if let Some(last) = parts.pop().filter(|last| last != "_index.md") {
        parts.push(last.trim_end_matches(".md").to_string());
    }
    if parts.is_empty() {
        "/".into()
    } else {
        format!("/{}/", parts.join("/"))
    }
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || (name.starts_with('_') && name != "_index.md")
}

/// What the walk of `content/` finds beside the pages (see [`Site::files`] and
/// [`Site::links_outside`]).
#[derive(Default)]
struct Walked {
    files: Vec<PathBuf>,
    links_outside: Vec<PathBuf>,
}

/// Reads every page under `content/`, and notes the other files there in `walked`: one
/// walk of the folder for all. The list has `room` for more pages.
fn read_pages(
    root: &Path,
    largest: usize,
    known: &SourceRecords,
    room: usize,
    diagnostics: &mut Vec<Diagnostic>,
    unloaded: &mut Vec<Unloaded>,
    walked: &mut Walked,
) -> Vec<Page> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error(CONTENT_DIR, "there is no content folder")
                .hint("create `content/_index.md` for the home page, or point at the site with --root DIR"),
        );
        return Vec::new();
    }
    let walker = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(&e.file_name().to_string_lossy()));
    let mut sources = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative_to(root, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                diagnostics.push(Diagnostic::error(
                    path,
                    format!("cannot read this folder: {e}"),
                ));
                continue;
            }
        };
        if entry.path_is_symlink() && !inside_root(root, entry.path()) {
            let path = entry.path();
            walked
                .links_outside
                .push(path.strip_prefix(root).unwrap_or(path).to_path_buf());
        }
        // A link to a page is read through it; a broken link is reported, not skipped.
        let file_like =
            entry.file_type().is_file() || (entry.path_is_symlink() && !entry.path().is_dir());
        if file_like && entry.path().extension().is_some_and(|e| e == "md") {
            let linked = entry.path_is_symlink();
            sources.push((entry.into_path(), linked));
        } else if (entry.file_type().is_file()
            || (entry.path_is_symlink()
                && entry.path().is_file()
                && inside_root(root, entry.path())))
            && !entry.file_name().to_string_lossy().ends_with('~')
        {
            // A link to a file inside the site counts; a link out of it, or to a folder,
            // does not.
            let path = entry.path();
            walked
                .files
                .push(path.strip_prefix(&content).unwrap_or(path).to_path_buf());
        }
    }
    // Reading and parsing front matter is most of the load time: do it on every core, then
    // keep the walk's order so the result does not depend on scheduling.
    let read: Vec<Result<Page, Unread>> = sources
        .par_iter()
        .map(|(path, linked)| {
            let file = relative_to(root, path);
            read_page(path, &file, &content, largest, known, *linked)
        })
        .collect();
    let mut pages = Vec::with_capacity(read.len() + room);
    for page in read {
        match page {
            Ok(page) => pages.push(page),
            Err(unread) => {
                let (d, file) = *unread;
                diagnostics.push(d);
                unloaded.push(file);
            }
        }
    }
    pages
}

/// A page, or why it could not be read and what is known of it.
type Unread = Box<(Diagnostic, Unloaded)>;

/// Reads one page, unless `known` says it has not changed. `linked`: the file is a symbolic
/// link, which must not lead out of the site.
fn read_page(
    path: &Path,
    file: &Path,
    content: &Path,
    largest: usize,
    known: &SourceRecords,
    linked: bool,
) -> Result<Page, Unread> {
    let _working = crate::guard::working_on(file);
    let unreadable = |d: Diagnostic| {
        Box::new((
            d,
            Unloaded {
                file: file.to_path_buf(),
                url: url_for(path.strip_prefix(content).unwrap_or(path)),
                source: String::new(),
                body_offset: None,
            },
        ))
    };
    if let Some(d) = unclean_name(path.strip_prefix(content).unwrap_or(path), file) {
        return Err(unreadable(d));
    }
    // Only a link can lead out of the site (the walk does not follow linked folders), or to
    // something that is not a file (opening a pipe would wait for ever): both are found
    // before the file is opened.
    if linked && !inside_root(content.parent().unwrap_or(content), path) {
        return Err(unreadable(
            Diagnostic::error(file, "this file is a link to a file outside the site's folder")
                .hint("folio reads only files inside the site: copy the file into content/ instead of linking to it"),
        ));
    }
    if linked && std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(unreadable(
            Diagnostic::error(file, "this file is a link to something that is not a file")
                .hint("link to a Markdown file, or put the page itself in content/"),
        ));
    }
    let relative = path.strip_prefix(content).unwrap_or(path);
    // A file over the size limit (lowered since it was recorded) is read to be reported.
    let trusted = (!known.pages.is_empty())
        .then(|| std::fs::metadata(path).ok())
        .flatten()
        .filter(|meta| meta.len() <= largest as u64)
        .and_then(|meta| Source::trusted(known, file, path, &meta));
    if let Some(source) = trusted
        && let Ok((front, split)) = front_matter::parse(source.recorded_front(), file)
    {
        let body_offset = split.body_offset;
        return Ok(placed_by_name(file, relative, source, body_offset, front));
    }
    let unloaded = |source: String, d: Diagnostic| {
        let body_offset = front_matter::split(&source, file)
            .ok()
            .map(|s| s.body_offset);
        let page = Unloaded {
            file: file.to_path_buf(),
            url: url_for(relative),
            source,
            body_offset,
        };
        Box::new((d, page))
    };
    let read = read_at_most(path, largest).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::NotFound => {
                "if it is a link, the file it points to does not exist: fix the link or remove it"
            }
            std::io::ErrorKind::PermissionDenied => "check the file's permissions",
            _ => "check that it is a plain text file that can be opened",
        };
        unloaded(
            String::new(),
            Diagnostic::error(file, format!("cannot read the file: {e}")).hint(hint),
        )
    })?;
    let (bytes, stat) = match read {
        Read::Bytes(bytes, stat) => (bytes, stat),
        Read::TooLarge(size) => {
            return Err(unreadable(
                Diagnostic::error(
                    file,
                    format!(
                        "this page is {}; a page may be at most {}",
                        crate::text::size_text(size),
                        crate::text::size_text(largest)
                    ),
                )
                .hint("split it into several pages, or raise `limits: page_bytes:` in site.yaml"),
            ));
        }
    };
    let source = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, column) = line_column(&text, valid);
        unloaded(String::new(), Diagnostic::error(file, "the file is not valid UTF-8 text")
            .at(line, column)
            .hint("save the file as UTF-8 in your editor (it may be in a legacy encoding such as Windows-1252)"))
    })?;
    let (front, body_offset) = match front_matter::parse(&source, file) {
        Ok((front, split)) => (front, split.body_offset),
        Err(d) => return Err(unloaded(source, d)),
    };
    let source = Source::read(source, path.to_path_buf(), file.to_path_buf(), stat);
    Ok(placed_by_name(file, relative, source, body_offset, front))
}

/// A page with the role its file's name and folder give it.
fn placed_by_name(
    file: &Path,
    relative: &Path,
    source: Source,
    body_offset: usize,
    front: FrontMatter,
) -> Page {
    let is_index = relative.file_name().is_some_and(|n| n == "_index.md");
    let role = match (
        is_index,
        relative.parent().is_none_or(|p| p.as_os_str().is_empty()),
    ) {
        (true, true) => Role::Home,
        (true, false) if front.kind.as_deref() == Some("booklet") => Role::Booklet,
        (true, false) => Role::Section,
        (false, _) => Role::Page,
    };
    Page::unplaced(
        file.to_path_buf(),
        source,
        body_offset,
        front,
        role,
        url_for(relative),
    )
}

fn relative_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// A page's bytes and its file's status before they were read, or its size when that is
/// over the limit.
enum Read {
    Bytes(Vec<u8>, Option<source::Stat>),
    TooLarge(usize),
}

/// Reads the file at `path` if it holds at most `largest` bytes: opened once, and read no
/// further than just past the limit, even if it grows meanwhile.
fn read_at_most(path: &Path, largest: usize) -> std::io::Result<Read> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let size = meta.len() as usize;
    if size > largest {
        return Ok(Read::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(size);
    file.take(largest as u64 + 1).read_to_end(&mut bytes)?;
    Ok(match bytes.len() {
        n if n > largest => Read::TooLarge(n),
        _ => Read::Bytes(bytes, source::Stat::of(&meta)),
    })
}

/// Removes drafts and everything inside a draft section.
fn drop_drafts(pages: &mut Vec<Page>) {
    let draft_sections: Vec<String> = pages
        .iter()
        .filter(|p| p.front.draft && matches!(p.role, Role::Section | Role::Booklet))
        .map(|p| p.url.clone())
        .collect();
    pages.retain(|p| {
        !p.front.draft && !draft_sections.iter().any(|s| p.url.starts_with(s.as_str()))
    });
}

fn check_kinds(pages: &[Page], kinds: &Kinds, diagnostics: &mut Vec<Diagnostic>) {
    let known: Vec<String> = kinds.keys().cloned().collect();
    for page in pages {
        // Found only for an error: a large site's pages are almost all without one.
        let line = || page.line_of("kind");
        match (page.role, page.front.kind.as_deref()) {
            (Role::Home, Some(kind)) => diagnostics.push(
                Diagnostic::error(
                    &page.file,
                    format!("the home page cannot have `kind: {kind}`"),
                )
                .at(line(), 1)
                .hint("remove `kind` from content/_index.md"),
            ),
            (Role::Section | Role::Booklet, Some(kind))
                if kind != "booklet" && kind != "section" =>
            {
                diagnostics.push(
                    Diagnostic::error(
                        &page.file,
                        format!("a section's kind must be `booklet` or `section`, not `{kind}`"),
                    )
                    .at(line(), 1)
                    .hint("use `kind: booklet` for a document that is also printed as a PDF"),
                )
            }
            (Role::Page, Some(kind)) => match kinds.get(kind) {
                Some(spec) => diagnostics.extend(kinds::validate(
                    kind,
                    spec,
                    page.front.fields.as_ref(),
                    page.front_text(),
                    &page.file,
                )),
                None => {
                    let hint = match crate::text::nearest(kind, &known) {
                        Some(best) => format!(
                            "did you mean `{best}`? The theme defines: {}",
                            known.join(", ")
                        ),
                        None if known.is_empty() => {
                            "remove `kind`; the theme defines no page kinds".to_string()
                        }
                        None => format!("the theme defines: {}", known.join(", ")),
                    };
                    diagnostics.push(
                        Diagnostic::error(&page.file, format!("unknown page kind `{kind}`"))
                            .at(line(), 1)
                            .hint(hint),
                    );
                }
            },
            _ => {}
        }
        if page.front.fields.is_some() && (page.front.kind.is_none() || page.role != Role::Page) {
            diagnostics.push(
                Diagnostic::error(&page.file, "`fields` needs a page kind that declares them")
                    .at(page.line_of("fields"), 1)
                    .hint("add `kind: pledge` or `kind: role`, or remove `fields`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_file_path() {
        assert_eq!(url_for(Path::new("_index.md")), "/");
        assert_eq!(url_for(Path::new("schools/_index.md")), "/schools/");
        assert_eq!(url_for(Path::new("schools/pep.md")), "/schools/pep/");
        assert_eq!(url_for(Path::new("glossary.md")), "/glossary/");
    }

    #[test]
    fn parent_urls_go_up_one_folder_at_a_time() {
        assert_eq!(parent_url("/a/b/c/"), vec!["/a/b/", "/a/", "/"]);
        assert_eq!(parent_url("/a/"), vec!["/"]);
    }
}
