//! What templates see: `site`, `glossary`, `page` and `pages`. The shape is the theme
//! contract described in the README.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::content::{DocumentControl, PageId, Role, Site};
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
    /// does (`current: true`).
    chapters: HashMap<PageId, Vec<(PageId, tera::Value, tera::Value)>>,
}

impl Shared {
    pub fn of(site: &Site) -> Shared {
        let chapters = site
            .booklets()
            .map(|b| {
                let list = site.pages[b]
                    .children
                    .iter()
                    .map(|&c| {
                        let value = |current: bool| {
                            tera::Value::from_serializable(&confirm(json!({
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
            .collect();
        Shared {
            globals: globals(site),
            chapters,
        }
    }

    /// The chapters of `booklet` as the page `id` lists them.
    fn chapters(&self, booklet: PageId, id: PageId) -> tera::Value {
        let list: Vec<tera::Value> = self
            .chapters
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
                .map(|&c| link(site, c))
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
    }));
    let pages: Vec<Value> = page
        .children
        .iter()
        .map(|&c| {
            let child = &site.pages[c];
            json!({ "title": child.front.title, "url": href(c), "description": child.front.description, "kind": child.kind() })
        })
        .collect();
    let mut ctx = tera::Context::new();
    let mut page_value = tera::Value::from_serializable(&value)
        .into_map()
        .unwrap_or_default();
    // Body HTML goes in after `confirm`: it is already escaped and never a bare placeholder.
    page_value.insert("content".into(), tera::Value::from(content));
    // The booklet's chapters come made, shared with its other pages.
    if let Some(b) = page.booklet
        && let Some(booklet) = page_value.get_mut(&tera::value::Key::from("booklet"))
        && let Some(mut map) = std::mem::replace(booklet, tera::Value::none()).into_map()
    {
        map.insert("chapters".into(), shared.chapters(b, id));
        *booklet = tera::Value::from(map);
    }
    ctx.insert_value("page", tera::Value::from(page_value));
    ctx.insert("pages", &confirm(Value::Array(pages)));
    if page.url == crate::content::A_TO_Z_URL {
        ctx.insert("a_to_z", &a_to_z(site));
    }
    ctx
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

pub fn not_found(site: &Site) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert(
        "page",
        &json!({
            "title": "Page not found",
            "description": "",
            "url": site.config.href("/404.html"),
            "permalink": site.config.permalink("/404.html"),
            "kind": "not_found",
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
        }),
    );
    ctx.insert("pages", &Vec::<Value>::new());
    ctx
}
