//! What templates see: `site`, `glossary`, `page` and `pages`. The shape is the theme
//! contract described in the README.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::content::register::View;
use crate::content::{DocumentControl, FieldValue, PageId, Register, Role, Site};
use crate::files::{Download, Downloads};
use crate::markdown::Heading;
use crate::text::{confirm, date_value, iso_value, size_text};

/// The main navigation shows the home page's first few children in reading order; a site
/// with more lists them on its home page and in the A to Z (and every page stays light).
const NAV_ITEMS: usize = 8;

/// What templates say about a file of a booklet: `page.booklet.pdf`, each of
/// `page.booklet.downloads`, `page.booklet.print`.
fn download_value(site: &Site, download: &Download) -> Value {
    use crate::config::Format;
    json!({
        "url": site.config.href(&download.url),
        "title": download.title,
        "format": download.format.key(),
        "file_type": download.format.file_type(),
        // What sets it apart from the booklet's other files, if anything.
        "edition": match download.format {
            Format::Pdf | Format::Epub => None,
            Format::LargePrint => Some("large print"),
            Format::PrintRoom => Some("for printing"),
        },
        "bytes": download.bytes,
        "size_text": size_text(download.bytes),
        "pages": download.pages,
    })
}

fn link(site: &Site, id: PageId) -> Value {
    let page = &site.pages[id];
    json!({ "title": page.front.title, "url": site.config.href(&page.url) })
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
    site.booklets()
        .map(|b| {
            let list = site.pages[b]
                .children
                .iter()
                .map(|&c| {
                    let value = |current: bool| {
                        template_value(confirm(json!({
                            "title": site.pages[c].front.title,
                            "url": site.config.href(&site.pages[c].url),
                            "current": current,
                        })))
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

fn document_control(control: &DocumentControl) -> Value {
    json!({
        "owner": control.owner,
        "version": control.version,
        "status": control.status.name(),
        "status_text": control.status.text(),
        "approved": control.status.is_approved(),
        "approved_by": control.approved_by,
        "to_be_approved_by": control.to_be_approved_by,
        "approved_on": iso_value(control.approved_on),
        "approved_on_text": date_value(control.approved_on),
        "review_by": iso_value(control.review_by),
        "review_by_text": date_value(control.review_by),
    })
}

fn toc(headings: &[Heading]) -> Vec<Value> {
    headings
        .iter()
        .map(|h| json!({ "level": h.level, "id": h.id, "title": h.title }))
        .collect()
}

pub fn page(
    site: &Site,
    id: PageId,
    content: &str,
    headings: &[Heading],
    downloads: &Downloads,
    shared: &Shared,
) -> tera::Context {
    let (value, pages) = page_values(site, id, headings, downloads);
    let mut ctx = context_of(site, id, value, pages, content, shared);
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
    let (mut page, pages) = page_values(site, register.page, &[], downloads);
    let register_value = register_value(site, register, Some(view));
    let label = register_value["view"]["label"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    page["title"] = format!("{} – {label}: {}", register.spec.title, view.value).into();
    page["description"] = format!(
        "The entries of the {} whose {} is {}.",
        register.spec.title.to_lowercase(),
        label.to_lowercase(),
        view.value
    )
    .into();
    page["url"] = site.config.href(&view.url).into();
    page["permalink"] = site.config.permalink(&view.url).into();
    page["toc"] = json!([]);
    page["history"] = json!({ "changes": [] });
    page["last_updated"] = Value::Null;
    if let Some(crumbs) = page["breadcrumbs"].as_array_mut() {
        crumbs.push(json!({
            "title": register.spec.title,
            "url": site.config.href(&register.url()),
        }));
    }
    let mut ctx = context_of(site, register.page, page, pages, "", shared);
    ctx.insert("register", &register_value);
    ctx
}

/// A page's `page` and `pages` values, but for its body and its booklet's chapters.
fn page_values(
    site: &Site,
    id: PageId,
    headings: &[Heading],
    downloads: &Downloads,
) -> (Value, Value) {
    let page = &site.pages[id];
    let href = |id: PageId| site.config.href(&site.pages[id].url);
    let breadcrumbs: Vec<Value> = site
        .ancestors(id)
        .into_iter()
        .map(|a| link(site, a))
        .collect();
    let booklet = page.booklet.map(|b| {
        let booklet = &site.pages[b];
        let offered: &[Download] = downloads.get(&b).map_or(&[], Vec::as_slice);
        json!({
            "title": booklet.front.title,
            "subtitle": booklet.front.subtitle,
            "url": href(b),
            "pdf": offered.iter()
                .find(|d| d.format == crate::config::Format::Pdf)
                .map(|d| download_value(site, d)),
            // Every format for readers, in order; the print room's is not for them.
            "downloads": offered.iter()
                .filter(|d| d.format != crate::config::Format::PrintRoom)
                .map(|d| download_value(site, d))
                .collect::<Vec<_>>(),
            "print": offered.iter()
                .find(|d| d.format == crate::config::Format::PrintRoom)
                .map(|d| download_value(site, d)),
            "feed_url": site.feed_url(Some(b)).map(|url| site.config.href(&url)),
        })
    });
    let value = confirm(json!({
        "title": page.front.title,
        "description": page.front.description,
        "url": href(id),
        "permalink": site.config.permalink(&page.url),
        "kind": page.kind(),
        "toc": toc(headings),
        "breadcrumbs": breadcrumbs,
        "prev": page.prev.map(|p| link(site, p)),
        "next": page.next.map(|n| link(site, n)),
        "booklet": booklet,
        "document_control": page.document_control.as_ref().map(document_control),
        "fields": crate::text::fields_value(page.front.fields.as_ref()),
        "extra": page.front.extra,
        "draft": page.front.draft,
        "last_updated": last_updated(site, id),
        "history": history(site, id),
    }));
    let pages: Vec<Value> = page
        .children
        .iter()
        .map(|&c| {
            let child = &site.pages[c];
            json!({ "title": child.front.title, "url": href(c), "description": child.front.description, "kind": child.kind() })
        })
        .collect();
    (value, confirm(Value::Array(pages)))
}

/// The template context of page `id` from its values, with its body and its booklet's
/// chapters added.
fn context_of(
    site: &Site,
    id: PageId,
    value: Value,
    pages: Value,
    content: &str,
    shared: &Shared,
) -> tera::Context {
    let mut ctx = tera::Context::new();
    let mut page_value = template_value(value).into_map().unwrap_or_default();
    // Body HTML goes in after `confirm`: it is already escaped and never a bare placeholder.
    page_value.insert("content".into(), tera::Value::from(content));
    // The booklet's chapters come made, shared with its other pages.
    if let Some(b) = site.pages[id].booklet
        && let Some(booklet) = page_value.get_mut(&tera::value::Key::from("booklet"))
        && let Some(mut map) = std::mem::replace(booklet, tera::Value::none()).into_map()
    {
        map.insert("chapters".into(), shared.chapters(site, b, id));
        *booklet = tera::Value::from(map);
    }
    ctx.insert_value("page", tera::Value::from(page_value));
    ctx.insert_value("pages", template_value(pages));
    ctx
}

/// A value in Tera's own form, taken apart rather than serialised: every page's context is
/// made this way.
fn template_value(value: Value) -> tera::Value {
    match value {
        Value::Null => tera::Value::none(),
        Value::Bool(b) => b.into(),
        // As serde would give them: unsigned, else signed, else floating point.
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into(),
            (None, Some(i)) => i.into(),
            (None, None) => n.as_f64().unwrap_or_default().into(),
        },
        Value::String(s) => s.as_str().into(),
        Value::Array(items) => items
            .into_iter()
            .map(template_value)
            .collect::<Vec<_>>()
            .into(),
        Value::Object(map) => {
            let mut entries = indexmap::IndexMap::with_capacity(map.len());
            for (key, value) in map {
                entries.insert(tera::value::Key::from(key), template_value(value));
            }
            entries.into()
        }
    }
}

/// The id of the list of every update on a booklet's (or page's) own page.
const UPDATES_ID: &str = "folio-updates";

/// "Last updated" and where "See all updates" leads (when there are updates to see).
fn last_updated(site: &Site, id: PageId) -> Value {
    let Some(date) = site.last_updated(id) else {
        return Value::Null;
    };
    let page = &site.pages[id];
    let list = page.booklet.unwrap_or(id);
    let updates_url = (!site.changes_of(id).is_empty()).then(|| {
        if list == id {
            format!("#{UPDATES_ID}")
        } else {
            format!("{}#{UPDATES_ID}", site.config.href(&site.pages[list].url))
        }
    });
    json!({
        "date": iso_value(Some(date)),
        "text": date_value(Some(date)),
        "updates_url": updates_url,
    })
}

/// Every update a page lists in full, newest first: a booklet's page lists its own and its
/// chapters'; a chapter lists none (it links to its booklet's); any other page its own.
fn history(site: &Site, id: PageId) -> Value {
    let page = &site.pages[id];
    if page.role == Role::Chapter {
        return Value::Array(Vec::new());
    }
    let changes: Vec<Value> = site
        .changes_of(id)
        .into_iter()
        .map(|c| {
            json!({
                "date": iso_value(Some(c.change.date)),
                "date_text": date_value(Some(c.change.date)),
                "version": c.change.version,
                "summary": c.change.summary,
                "page": (c.page != id).then(|| link(site, c.page)),
            })
        })
        .collect();
    json!({ "id": UPDATES_ID, "changes": changes })
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
    ctx.insert(
        "page",
        &confirm(page_of_its_own(
            format!("{} has moved", target.front.title),
            site.config.href(&alias.from),
            // The page to index and share is the one it leads to.
            site.config.permalink(&target.url),
            "redirect",
        )),
    );
    ctx.insert(
        "redirect",
        &confirm(json!({
            "title": target.front.title,
            "url": site.config.href(&target.url),
            "permalink": site.config.permalink(&target.url),
        })),
    );
    ctx.insert("pages", &Vec::<Value>::new());
    ctx
}

/// The `page` of a page that no Markdown file makes (the 404 page, a page at an old
/// address): no body, no booklet, no history.
fn page_of_its_own(title: String, url: String, permalink: String, kind: &str) -> Value {
    json!({
        "title": title,
        "description": "",
        "url": url,
        "permalink": permalink,
        "kind": kind,
        "toc": [],
        "breadcrumbs": [],
        "prev": null,
        "next": null,
        "booklet": null,
        "document_control": null,
        "fields": null,
        "extra": {},
        "draft": false,
        "content": "",
        "last_updated": null,
        "history": { "changes": [] },
    })
}

pub fn not_found(site: &Site) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert(
        "page",
        &page_of_its_own(
            "Page not found".into(),
            site.config.href("/404.html"),
            site.config.permalink("/404.html"),
            "not_found",
        ),
    );
    ctx.insert("pages", &Vec::<Value>::new());
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_taken_apart_equals_the_value_serialised() {
        let value = json!({
            "title": "Pledges & <promises>",
            "count": 3,
            "below": -2,
            "share": 0.5,
            "draft": false,
            "owner": null,
            "toc": [{ "level": 2, "id": "who", "title": "Who" }, "TBC: a date"],
            "empty": {},
        });
        let taken_apart = template_value(value.clone());
        assert_eq!(taken_apart, tera::Value::from_serializable(&value));
        let map = taken_apart.as_map().expect("an object becomes a map");
        assert_eq!(map.len(), 8);
        assert_eq!(
            taken_apart
                .get_from_path("toc.0.title")
                .and_then(|v| v.as_str()),
            Some("Who")
        );
    }
}
