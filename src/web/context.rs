//! What templates see: `site`, `glossary`, `page` and `pages`. The shape is the theme
//! contract described in the README.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::content::register::View;
use crate::content::{DocumentControl, FieldValue, PageId, Register, Role, Site};
use crate::files::{Download, Downloads};
use crate::markdown::Heading;
use crate::text::{confirm, confirmed, date_text, date_value, iso_date, iso_value, size_text};

/// The main navigation shows the home page's first few children in reading order; a site
/// with more lists them on its home page and in the A to Z (and every page stays light).
const NAV_ITEMS: usize = 8;

/// A link to a page, as templates get it: `{ title, url }`.
#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    url: String,
}

fn link(site: &Site, id: PageId) -> Link<'_> {
    let page = &site.pages[id];
    Link {
        title: confirmed(&page.front.title),
        url: site.config.href(&page.url),
    }
}

/// `page`: what a template knows of the page it renders. The page of a Markdown file, a
/// register's filtered view, the 404 page and a page at an old address all have this shape.
/// Every text an author wrote passes through [`confirmed`], so a placeholder reaches
/// readers as "To be confirmed".
#[derive(Serialize)]
struct PageValue<'a> {
    title: Cow<'a, str>,
    description: Cow<'a, str>,
    /// A link under the site's path.
    url: String,
    permalink: String,
    kind: &'a str,
    /// The body's HTML, already escaped.
    content: &'a str,
    toc: Vec<TocEntry<'a>>,
    breadcrumbs: Vec<Link<'a>>,
    prev: Option<Link<'a>>,
    next: Option<Link<'a>>,
    /// Its booklet's chapters are added to this by [`context_of`], made once for all.
    booklet: Option<BookletValue<'a>>,
    document_control: Option<ControlValue<'a>>,
    /// The page kind's fields (free-form YAML, so JSON here), with a readable date beside
    /// each date.
    fields: Value,
    extra: Value,
    draft: bool,
    last_updated: Option<LastUpdated>,
    history: History<'a>,
}

impl<'a> PageValue<'a> {
    /// The `page` of a page that no Markdown file makes (the 404 page, a page at an old
    /// address): no body, no booklet, no history.
    fn of_its_own(title: String, url: String, permalink: String, kind: &'a str) -> Self {
        PageValue {
            title: Cow::Owned(confirmed(&title).to_string()),
            description: Cow::Borrowed(""),
            url,
            permalink,
            kind,
            content: "",
            toc: Vec::new(),
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            booklet: None,
            document_control: None,
            fields: Value::Null,
            extra: Value::Object(serde_json::Map::new()),
            draft: false,
            last_updated: None,
            history: History::none(),
        }
    }
}

#[derive(Serialize)]
struct TocEntry<'a> {
    level: u8,
    id: &'a str,
    title: &'a str,
}

fn toc(headings: &[Heading]) -> Vec<TocEntry<'_>> {
    headings
        .iter()
        .map(|h| TocEntry {
            level: h.level,
            id: &h.id,
            title: confirmed(&h.title),
        })
        .collect()
}

/// `page.booklet`, but for its chapters.
#[derive(Serialize)]
struct BookletValue<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    url: String,
    pdf: Option<FileValue<'a>>,
    /// Every format for readers, in order; the print room's is not for them.
    downloads: Vec<FileValue<'a>>,
    print: Option<FileValue<'a>>,
    feed_url: Option<String>,
}

/// What templates say about a file of a booklet: `page.booklet.pdf`, each of
/// `page.booklet.downloads`, `page.booklet.print`.
#[derive(Serialize)]
struct FileValue<'a> {
    url: String,
    title: &'a str,
    format: &'static str,
    file_type: &'static str,
    /// What sets it apart from the booklet's other files, if anything.
    edition: Option<&'static str>,
    bytes: usize,
    size_text: String,
    pages: Option<usize>,
}

impl<'a> FileValue<'a> {
    fn of(site: &Site, download: &'a Download) -> Self {
        use crate::config::Format;
        FileValue {
            url: site.config.href(&download.url),
            title: confirmed(&download.title),
            format: download.format.key(),
            file_type: download.format.file_type(),
            edition: match download.format {
                Format::Pdf | Format::Epub => None,
                Format::LargePrint => Some("large print"),
                Format::PrintRoom => Some("for printing"),
            },
            bytes: download.bytes,
            size_text: size_text(download.bytes),
            pages: download.pages,
        }
    }
}

#[derive(Serialize)]
struct ControlValue<'a> {
    owner: &'a str,
    version: &'a str,
    status: &'static str,
    status_text: &'static str,
    approved: bool,
    approved_by: Option<&'a str>,
    to_be_approved_by: Option<&'a str>,
    approved_on: Option<String>,
    approved_on_text: Option<String>,
    review_by: Option<String>,
    review_by_text: Option<String>,
}

impl<'a> ControlValue<'a> {
    fn of(control: &'a DocumentControl) -> Self {
        ControlValue {
            owner: confirmed(&control.owner),
            version: confirmed(&control.version),
            status: control.status.name(),
            status_text: control.status.text(),
            approved: control.status.is_approved(),
            approved_by: control.approved_by.as_deref().map(confirmed),
            to_be_approved_by: control.to_be_approved_by.as_deref().map(confirmed),
            approved_on: control.approved_on.map(iso_date),
            approved_on_text: control.approved_on.map(date_text),
            review_by: control.review_by.map(iso_date),
            review_by_text: control.review_by.map(date_text),
        }
    }
}

/// `pages`: a section's, booklet's or the home page's children, in order.
#[derive(Serialize)]
struct Child<'a> {
    title: &'a str,
    url: String,
    description: &'a str,
    kind: &'a str,
}

/// What every page's context shares, made once per build: the site-wide values, and each
/// booklet's list of chapters (the largest part of a chapter's context, the same on each
/// of its pages but for which one is current).
pub struct Shared {
    pub globals: tera::Context,
    /// For each booklet, each chapter's value as other pages list it and as its own page
    /// does (`current: true`). Made when the first chapter is rendered: a rebuild that
    /// renders no page does without.
    chapters: std::sync::OnceLock<Chapters>,
}

type Chapters = HashMap<PageId, Vec<(PageId, tera::Value, tera::Value)>>;

impl Shared {
    pub fn of(site: &Site) -> Shared {
        Shared {
            globals: globals(site),
            chapters: std::sync::OnceLock::new(),
        }
    }

    /// The chapters of `booklet` as the page `id` lists them (`site` is the one this was
    /// made of).
    fn chapters(&self, site: &Site, booklet: PageId, id: PageId) -> tera::Value {
        let list: Vec<tera::Value> = self
            .chapters
            .get_or_init(|| chapter_lists(site))
            .get(&booklet)
            .map(|all| {
                all.iter()
                    .map(|(c, plain, current)| if *c == id { current } else { plain }.clone())
                    .collect()
            })
            .unwrap_or_default();
        tera::Value::from(list)
    }
}

fn chapter_lists(site: &Site) -> Chapters {
    #[derive(Serialize)]
    struct Chapter<'a> {
        title: &'a str,
        url: String,
        current: bool,
    }
    site.booklets()
        .map(|b| {
            let list = site.pages[b]
                .children
                .iter()
                .map(|&c| {
                    let value = |current: bool| {
                        let Link { title, url } = link(site, c);
                        tera::Value::from_serializable(&Chapter {
                            title,
                            url,
                            current,
                        })
                    };
                    (c, value(false), value(true))
                })
                .collect();
            (b, list)
        })
        .collect()
}

/// Values shared by every page, serialised once per build.
fn globals(site: &Site) -> tera::Context {
    let config = &site.config;
    let nav: Vec<Value> = site
        .home
        .map(|home| {
            site.pages[home]
                .children
                .iter()
                .filter(|&&c| site.pages[c].role != Role::Accessibility)
                .take(NAV_ITEMS)
                .map(|&c| {
                    let page = &site.pages[c];
                    json!({
                        "title": page.front.menu_title.as_deref().unwrap_or(&page.front.title),
                        "url": site.config.href(&page.url),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let origin_end = config.base_url.len() - config.base_path().len();
    let site_value = confirm(json!({
        "title": config.title,
        "description": config.description,
        "base_url": config.base_url,
        "root": config.base_path(),
        "origin": &config.base_url[..origin_end],
        "search_url": config.href(crate::content::SEARCH_URL),
        "a_to_z_url": config.href(crate::content::A_TO_Z_URL),
        "accessibility_url": config.href(crate::content::ACCESSIBILITY_URL),
        "glossary_url": site.glossary_url().map(|url| config.href(url)),
        "language": config.language,
        "organisation": config.organisation,
        "brand": {
            "colour": config.brand.colour().map(|c| c.to_string()),
            "logo": config.brand.logo.as_ref().map(|logo| json!({
                "url": config.href(&logo.file),
                "alt": logo.alt,
            })),
        },
        "accessibility": {
            "status": config.accessibility.status,
            "prepared_on": iso_value(config.accessibility.prepared_on),
            "prepared_on_text": date_value(config.accessibility.prepared_on),
            "reviewed_on": iso_value(config.accessibility.reviewed_on),
            "reviewed_on_text": date_value(config.accessibility.reviewed_on),
            "tested_with": config.accessibility.tested_with,
            "known_issues": config.accessibility.known_issues,
        },
        "nav": nav,
        "feed_url": site.feed_url(None).map(|url| config.href(&url)),
        // The formats for readers that at least one booklet is made in, which nobody has
        // to ask for (the print room's is for printers).
        "formats": crate::config::Format::ALL
            .into_iter()
            .filter(|&f| f != crate::config::Format::PrintRoom)
            .filter(|&f| site.booklets().any(|b| site.makes(b, f)))
            .map(|f| f.key())
            .collect::<Vec<_>>(),
    }));
    let mut ctx = tera::Context::new();
    ctx.insert("site", &site_value);
    ctx.insert(
        "glossary",
        &confirm(serde_json::to_value(&site.data.glossary).unwrap_or(Value::Null)),
    );
    ctx
}

pub fn page(
    site: &Site,
    id: PageId,
    content: &str,
    headings: &[Heading],
    downloads: &Downloads,
    shared: &Shared,
) -> tera::Context {
    let page = page_value(site, id, content, headings, downloads);
    let mut ctx = context_of(site, id, &page, shared);
    if site.pages[id].url == crate::content::A_TO_Z_URL {
        ctx.insert("a_to_z", &a_to_z(site));
    }
    if let Some(register) = site.registers.iter().find(|r| r.page == id) {
        ctx.insert("register", &register_value(site, register, None));
    }
    ctx
}

/// One filtered view of a register: its own title, address and table, on the register's
/// page (without its introduction).
pub fn register_view(
    site: &Site,
    register: &Register,
    view: &View,
    downloads: &Downloads,
    shared: &Shared,
) -> tera::Context {
    let mut page = page_value(site, register.page, "", &[], downloads);
    let register_value = register_value(site, register, Some(view));
    let label = register_value["view"]["label"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let title = confirmed(&register.spec.title);
    page.title = format!("{title} – {label}: {}", view.value).into();
    page.description = format!(
        "The entries of the {} whose {} is {}.",
        title.to_lowercase(),
        label.to_lowercase(),
        view.value
    )
    .into();
    page.url = site.config.href(&view.url);
    page.permalink = site.config.permalink(&view.url);
    page.toc.clear();
    page.history = History::none();
    page.last_updated = None;
    page.breadcrumbs.push(Link {
        title,
        url: site.config.href(&register.url()),
    });
    let mut ctx = context_of(site, register.page, &page, shared);
    ctx.insert("register", &register_value);
    ctx
}

/// Page `id`'s `page` value, but for its booklet's chapters.
fn page_value<'a>(
    site: &'a Site,
    id: PageId,
    content: &'a str,
    headings: &'a [Heading],
    downloads: &'a Downloads,
) -> PageValue<'a> {
    let page = &site.pages[id];
    let booklet = page.booklet.map(|b| {
        use crate::config::Format;
        let booklet = &site.pages[b];
        let offered: &[Download] = downloads.get(&b).map_or(&[], Vec::as_slice);
        let file = |format: Format| {
            offered
                .iter()
                .find(|d| d.format == format)
                .map(|d| FileValue::of(site, d))
        };
        BookletValue {
            title: confirmed(&booklet.front.title),
            subtitle: booklet.front.subtitle.as_deref().map(confirmed),
            url: site.config.href(&booklet.url),
            pdf: file(Format::Pdf),
            downloads: offered
                .iter()
                .filter(|d| d.format != Format::PrintRoom)
                .map(|d| FileValue::of(site, d))
                .collect(),
            print: file(Format::PrintRoom),
            feed_url: site.feed_url(Some(b)).map(|url| site.config.href(&url)),
        }
    });
    PageValue {
        title: Cow::Borrowed(confirmed(&page.front.title)),
        description: Cow::Borrowed(confirmed(&page.front.description)),
        url: site.config.href(&page.url),
        permalink: site.config.permalink(&page.url),
        kind: page.kind(),
        content,
        toc: toc(headings),
        breadcrumbs: site
            .ancestors(id)
            .into_iter()
            .map(|a| link(site, a))
            .collect(),
        prev: page.prev.map(|p| link(site, p)),
        next: page.next.map(|n| link(site, n)),
        booklet,
        document_control: page.document_control.as_ref().map(ControlValue::of),
        fields: confirm(page.front.fields_value()),
        extra: confirm(serde_json::to_value(&page.front.extra).unwrap_or(Value::Null)),
        draft: page.front.draft,
        last_updated: last_updated(site, id),
        history: history(site, id),
    }
}

/// The template context of page `id` from its `page` value: with its booklet's chapters,
/// and its children as `pages`.
fn context_of(site: &Site, id: PageId, page: &PageValue, shared: &Shared) -> tera::Context {
    let mut ctx = tera::Context::new();
    let value = tera::Value::from_serializable(page);
    // The booklet's chapters come made, shared with its other pages.
    let value = match site.pages[id].booklet {
        Some(b) => with_chapters(value, shared.chapters(site, b, id)),
        None => value,
    };
    let children: Vec<Child> = site.pages[id]
        .children
        .iter()
        .map(|&c| {
            let child = &site.pages[c];
            Child {
                title: confirmed(&child.front.title),
                url: site.config.href(&child.url),
                description: confirmed(&child.front.description),
                kind: child.kind(),
            }
        })
        .collect();
    ctx.insert_value("page", value);
    ctx.insert_value("pages", tera::Value::from_serializable(&children));
    ctx
}

/// `page` with `chapters` in its booklet.
fn with_chapters(page: tera::Value, chapters: tera::Value) -> tera::Value {
    let mut map = page.into_map().unwrap_or_default();
    if let Some(booklet) = map.get_mut(&tera::value::Key::from("booklet"))
        && let Some(mut fields) = std::mem::replace(booklet, tera::Value::none()).into_map()
    {
        fields.insert("chapters".into(), chapters);
        *booklet = tera::Value::from(fields);
    }
    tera::Value::from(map)
}

/// The id of the list of every update on a booklet's (or page's) own page.
const UPDATES_ID: &str = "folio-updates";

/// `page.last_updated`: the date, and where "See all updates" leads (when there are
/// updates to see).
#[derive(Serialize)]
struct LastUpdated {
    date: String,
    text: String,
    updates_url: Option<String>,
}

fn last_updated(site: &Site, id: PageId) -> Option<LastUpdated> {
    let date = site.last_updated(id)?;
    let page = &site.pages[id];
    let list = page.booklet.unwrap_or(id);
    let updates_url = (!site.changes_of(id).is_empty()).then(|| {
        if list == id {
            format!("#{UPDATES_ID}")
        } else {
            format!("{}#{UPDATES_ID}", site.config.href(&site.pages[list].url))
        }
    });
    Some(LastUpdated {
        date: iso_date(date),
        text: date_text(date),
        updates_url,
    })
}

/// `page.history`: the id of the list, and the updates in it.
#[derive(Serialize)]
struct History<'a> {
    id: &'static str,
    changes: Vec<ChangeValue<'a>>,
}

impl History<'_> {
    /// A history that lists nothing.
    fn none() -> Self {
        History {
            id: UPDATES_ID,
            changes: Vec::new(),
        }
    }
}

#[derive(Serialize)]
struct ChangeValue<'a> {
    date: String,
    date_text: String,
    version: Option<&'a str>,
    summary: &'a str,
    /// The page it changed, when another than the one listing it.
    page: Option<Link<'a>>,
}

/// Every update a page lists in full, newest first: a booklet's page lists its own and its
/// chapters'; a chapter lists none (it links to its booklet's); any other page its own.
fn history(site: &Site, id: PageId) -> History<'_> {
    if site.pages[id].role == Role::Chapter {
        return History::none();
    }
    let changes = site
        .changes_of(id)
        .into_iter()
        .map(|c| ChangeValue {
            date: iso_date(c.change.date),
            date_text: date_text(c.change.date),
            version: c.change.version.as_deref().map(confirmed),
            summary: confirmed(&c.change.summary),
            page: (c.page != id).then(|| link(site, c.page)),
        })
        .collect();
    History {
        id: UPDATES_ID,
        changes,
    }
}

/// What a register's template shows: the table of its pages (or of one view's), the views
/// it can be filtered to, and its data files.
pub fn register_value(site: &Site, register: &Register, view: Option<&View>) -> Value {
    let today = crate::text::build_date();
    let href = |url: &str| site.config.href(url);
    let kind = site.kinds.get(&register.kind);
    let spec = |field: &str| kind.and_then(|k| k.fields.get(field));
    let label = |field: &str| spec(field).map_or_else(|| field.to_string(), |s| s.label(field));
    let columns: Vec<Value> = register
        .spec
        .columns
        .iter()
        .map(|field| json!({ "field": field, "label": label(field) }))
        .collect();
    let members = view.map_or(&register.members, |v| &v.members);
    let rows: Vec<Value> = members
        .iter()
        .map(|&member| {
            let cells: Vec<Value> = register
                .spec
                .columns
                .iter()
                .map(|field| cell(site, register, member, field, today))
                .collect();
            json!({
                "title": site.pages[member].front.title,
                "url": href(&site.pages[member].url),
                "cells": cells,
            })
        })
        .collect();
    let views = register.views(site);
    let filters: Vec<Value> = register
        .spec
        .filters
        .iter()
        .map(|field| {
            let options: Vec<Value> = views
                .iter()
                .filter(|v| &v.field == field)
                .map(|v| {
                    json!({
                        "value": v.value,
                        "url": href(&v.url),
                        "count": v.members.len(),
                        "current": view.is_some_and(|current| current.url == v.url),
                    })
                })
                .collect();
            json!({ "field": field, "label": label(field), "options": options })
        })
        .collect();
    let kind_label = crate::content::register::capitalised(&register.kind);
    json!({
        "kind": register.kind,
        "kind_label": kind_label,
        "title": register.spec.title,
        "url": href(&register.url()),
        "columns": columns,
        "rows": rows,
        "total": register.members.len(),
        "count": members.len(),
        "filters": filters,
        "view": view.map(|v| json!({ "field": v.field, "label": label(&v.field), "value": v.value })),
        "today": iso_value(Some(today)),
        "today_text": date_value(Some(today)),
        "data": {
            "csv": href(&register.data_url("csv")),
            "json": href(&register.data_url("json")),
            "schema": href(&register.data_url("schema.json")),
        },
    })
}

/// One cell of a register's table: its text, the value it sorts by, and whether it is a
/// review date that has passed.
fn cell(
    site: &Site,
    register: &Register,
    page: PageId,
    field: &str,
    today: chrono::NaiveDate,
) -> Value {
    let spec = site
        .kinds
        .get(&register.kind)
        .and_then(|k| k.fields.get(field));
    let value = register.value(site, page, field);
    let (text, sort) = match &value {
        FieldValue::Text(t) => match spec.map(|s| &s.choices) {
            Some(choices) if !choices.is_empty() => {
                let position = choices.iter().position(|c| c == t).unwrap_or(choices.len());
                (
                    crate::content::register::capitalised(t),
                    format!("{position:04}"),
                )
            }
            _ => (t.clone(), t.to_lowercase()),
        },
        FieldValue::List(items) => (items.join("; "), items.join("; ").to_lowercase()),
        FieldValue::Date(d) => (
            d.format("%-d %B %Y").to_string(),
            d.format("%Y-%m-%d").to_string(),
        ),
        FieldValue::ToBeConfirmed => (crate::text::TO_BE_CONFIRMED.to_string(), String::new()),
        FieldValue::Absent => (
            spec.and_then(|s| s.when_absent.clone())
                .unwrap_or_else(|| "Not given".into()),
            String::new(),
        ),
    };
    let date = match value {
        FieldValue::Date(d) => Some(d),
        _ => None,
    };
    json!({
        "field": field,
        "text": text,
        "sort": sort,
        "date": iso_value(date),
        "to_be_confirmed": value == FieldValue::ToBeConfirmed,
        "overdue": field == crate::content::REVIEW_FIELD && date.is_some_and(|d| d < today),
    })
}

/// Every page but the finding aids, grouped by the first letter of its title, A to Z.
fn a_to_z(site: &Site) -> Vec<Value> {
    let mut entries: Vec<(PageId, &crate::content::Page)> = site
        .pages
        .iter()
        .filter(|(_, p)| p.role != Role::Utility)
        .collect();
    let key = |p: &crate::content::Page| {
        p.front
            .title
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    entries.sort_by(|(_, a), (_, b)| key(a).cmp(&key(b)).then(a.url.cmp(&b.url)));
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for (id, page) in entries {
        let letter = key(page)
            .chars()
            .next()
            .map(|c| {
                if c.is_ascii_digit() {
                    "0-9".to_string()
                } else {
                    c.to_uppercase().to_string()
                }
            })
            .unwrap_or_else(|| "#".into());
        let entry = json!({
            "title": page.front.title,
            "url": site.config.href(&page.url),
            "description": page.front.description,
            "booklet": page.booklet.filter(|&b| b != id).map(|b| site.pages[b].front.title.clone()),
        });
        match groups.last_mut() {
            Some((l, items)) if *l == letter => items.push(entry),
            _ => groups.push((letter, vec![entry])),
        }
    }
    groups
        .into_iter()
        .map(|(letter, pages)| json!({ "letter": letter, "id": format!("letter-{}", crate::text::slugify(&letter)), "pages": pages }))
        .collect()
}

/// What the page at an old address gets: `page` (a page of its own, not in the site's
/// lists) and `redirect`, the page it leads to.
pub fn redirect(site: &Site, alias: &crate::content::Alias) -> tera::Context {
    let target = &site.pages[alias.to];
    let mut ctx = tera::Context::new();
    let page = PageValue::of_its_own(
        format!("{} has moved", confirmed(&target.front.title)),
        site.config.href(&alias.from),
        // The page to index and share is the one it leads to.
        site.config.permalink(&target.url),
        "redirect",
    );
    ctx.insert_value("page", tera::Value::from_serializable(&page));
    #[derive(Serialize)]
    struct Redirect<'a> {
        title: &'a str,
        url: String,
        permalink: String,
    }
    let redirect = Redirect {
        title: confirmed(&target.front.title),
        url: site.config.href(&target.url),
        permalink: site.config.permalink(&target.url),
    };
    ctx.insert("redirect", &redirect);
    ctx.insert_value("pages", tera::Value::from(Vec::<tera::Value>::new()));
    ctx
}

pub fn not_found(site: &Site) -> tera::Context {
    let mut ctx = tera::Context::new();
    let page = PageValue::of_its_own(
        "Page not found".into(),
        site.config.href("/404.html"),
        site.config.permalink("/404.html"),
        "not_found",
    );
    ctx.insert_value("page", tera::Value::from_serializable(&page));
    ctx.insert_value("pages", tera::Value::from(Vec::<tera::Value>::new()));
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site of a home page and a booklet of two chapters, the first titled by a
    /// placeholder, loaded from a temporary folder (kept alive with the site).
    fn guide() -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in [
            (
                "site.yaml",
                "title: Test\nbase_url: https://test.example/guidance/\n",
            ),
            ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
            (
                "content/guide/_index.md",
                "---\ntitle: Guide\nkind: booklet\n---\nAbout.\n",
            ),
            (
                "content/guide/one.md",
                "---\ntitle: \"TBC: the first chapter's name\"\norder: 1\n---\nOne.\n",
            ),
            (
                "content/guide/two.md",
                "---\ntitle: Two\ndescription: The second.\norder: 2\n---\nTwo.\n",
            ),
        ] {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        let site = crate::review::load(dir.path(), false).expect("the site loads");
        (dir, site)
    }

    fn id(site: &Site, file: &str) -> PageId {
        site.page_by_file(std::path::Path::new(file)).unwrap()
    }

    fn text<'v>(ctx: &'v tera::Context, path: &'v str) -> Option<&'v str> {
        let (key, rest) = path.split_once('.').unwrap_or((path, ""));
        let value = ctx.get(key)?;
        if rest.is_empty() {
            value.as_str()
        } else {
            value.get_from_path(rest)?.as_str()
        }
    }

    #[test]
    fn a_chapter_sees_its_booklet_its_neighbours_and_no_placeholder() {
        let (_dir, site) = guide();
        let shared = Shared::of(&site);
        let two = id(&site, "content/guide/two.md");
        let heading = Heading {
            level: 2,
            id: "who".into(),
            title: "TBC: a heading".into(),
            offset: 0,
            explicit: None,
        };
        let ctx = page(
            &site,
            two,
            "<p>Two.</p>",
            &[heading],
            &Downloads::default(),
            &shared,
        );
        assert_eq!(text(&ctx, "page.title"), Some("Two"));
        assert_eq!(text(&ctx, "page.description"), Some("The second."));
        assert_eq!(text(&ctx, "page.url"), Some("/guidance/guide/two/"));
        assert_eq!(
            text(&ctx, "page.permalink"),
            Some("https://test.example/guidance/guide/two/")
        );
        assert_eq!(text(&ctx, "page.content"), Some("<p>Two.</p>"));
        assert_eq!(
            text(&ctx, "page.toc.0.title"),
            Some(crate::text::TO_BE_CONFIRMED)
        );
        assert_eq!(text(&ctx, "page.toc.0.id"), Some("who"));
        assert_eq!(text(&ctx, "page.breadcrumbs.1.title"), Some("Guide"));
        // The placeholder title reaches readers as "To be confirmed", wherever it is listed.
        assert_eq!(
            text(&ctx, "page.prev.title"),
            Some(crate::text::TO_BE_CONFIRMED)
        );
        assert_eq!(text(&ctx, "page.booklet.title"), Some("Guide"));
        let chapters = ctx
            .get("page")
            .and_then(|p| p.get_from_path("booklet.chapters"))
            .and_then(|c| c.as_array())
            .expect("a chapter's booklet lists its chapters");
        let listed: Vec<(Option<&str>, Option<bool>)> = chapters
            .iter()
            .map(|c| {
                (
                    c.get_from_path("title").and_then(|t| t.as_str()),
                    c.get_from_path("current").and_then(|t| t.as_bool()),
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                (Some(crate::text::TO_BE_CONFIRMED), Some(false)),
                (Some("Two"), Some(true))
            ]
        );
        // A chapter lists no updates of its own: its booklet's page does.
        let history = ctx.get("page").and_then(|p| p.get_from_path("history"));
        assert_eq!(
            history
                .and_then(|h| h.get_from_path("changes"))
                .and_then(|c| c.as_array())
                .map(<[tera::Value]>::len),
            Some(0)
        );
        assert!(
            ctx.get("pages")
                .and_then(|p| p.as_array())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_booklet_lists_its_chapters_as_pages() {
        let (_dir, site) = guide();
        let shared = Shared::of(&site);
        let guide = id(&site, "content/guide/_index.md");
        let ctx = page(&site, guide, "", &[], &Downloads::default(), &shared);
        assert_eq!(text(&ctx, "page.kind"), Some("booklet"));
        assert_eq!(
            text(&ctx, "pages.0.title"),
            Some(crate::text::TO_BE_CONFIRMED)
        );
        assert_eq!(text(&ctx, "pages.1.description"), Some("The second."));
        assert_eq!(text(&ctx, "pages.1.url"), Some("/guidance/guide/two/"));
        let not_found = not_found(&site);
        assert_eq!(text(&not_found, "page.title"), Some("Page not found"));
        assert_eq!(text(&not_found, "page.kind"), Some("not_found"));
    }
}
