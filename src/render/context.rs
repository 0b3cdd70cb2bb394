//! What templates see: `site`, `glossary`, `page` and `pages`. The shape is the theme
//! contract described in the README.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

use crate::content::{DocumentControl, Role, Site};
use crate::markdown::Heading;

/// The main navigation shows the home page's first few children in reading order; a site
/// with more lists them on its home page and in the A to Z (and every page stays light).
pub const NAV_ITEMS: usize = 8;

/// What the web pages say about a booklet's PDF.
#[derive(Debug, Clone, Serialize)]
pub struct PdfInfo {
    pub url: String,
    pub title: String,
    pub bytes: usize,
    pub size_text: String,
    pub pages: usize,
}

impl PdfInfo {
    pub fn new(url: String, title: String, bytes: usize, pages: usize) -> Self {
        PdfInfo {
            url,
            title,
            size_text: size_text(bytes),
            bytes,
            pages,
        }
    }
}

/// "312 KB", "1.4 MB": as GOV.UK's attachment pattern writes sizes.
pub fn size_text(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    }
}

/// "10 June 2010".
pub fn date_text(date: Option<NaiveDate>) -> Value {
    date.map_or(Value::Null, |d| {
        Value::String(d.format("%-d %B %Y").to_string())
    })
}

fn date_iso(date: Option<NaiveDate>) -> Value {
    date.map_or(Value::Null, |d| {
        Value::String(d.format("%Y-%m-%d").to_string())
    })
}

/// Placeholder values ("TBC: what is missing") reach readers as "To be confirmed".
pub fn confirm(value: Value) -> Value {
    match value {
        Value::String(s) if s.trim_start().starts_with("TBC:") => {
            Value::String("To be confirmed".into())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(confirm).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, confirm(v))).collect())
        }
        other => other,
    }
}

fn link(site: &Site, id: usize) -> Value {
    let page = &site.pages[id];
    json!({ "title": page.front.title, "url": page.url })
}

/// Values shared by every page, serialised once per build.
pub fn globals(site: &Site) -> tera::Context {
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
    let site_value = confirm(json!({
        "title": config.title,
        "description": config.description,
        "base_url": config.base_url,
        "language": config.language,
        "organisation": config.organisation,
        "accessibility": {
            "status": config.accessibility.status,
            "prepared_on": date_iso(config.accessibility.prepared_on),
            "prepared_on_text": date_text(config.accessibility.prepared_on),
            "reviewed_on": date_iso(config.accessibility.reviewed_on),
            "reviewed_on_text": date_text(config.accessibility.reviewed_on),
            "tested_with": config.accessibility.tested_with,
            "known_issues": config.accessibility.known_issues,
        },
        "nav": nav,
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
        "approved_on": date_iso(control.approved_on),
        "approved_on_text": date_text(control.approved_on),
        "review_by": date_iso(control.review_by),
        "review_by_text": date_text(control.review_by),
    })
}

/// A page's kind-specific fields, with readable dates added beside ISO ones.
pub fn fields_value(value: Option<&crate::yaml::Mapping>) -> Value {
    let Some(mapping) = value else {
        return Value::Null;
    };
    let mut json = serde_json::to_value(mapping).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut json {
        let dates: Vec<(String, Value)> = map
            .iter()
            .filter_map(|(k, v)| {
                let date = NaiveDate::parse_from_str(v.as_str()?, "%Y-%m-%d").ok()?;
                Some((format!("{k}_text"), date_text(Some(date))))
            })
            .collect();
        map.extend(dates);
    }
    json
}

fn toc(headings: &[Heading]) -> Vec<Value> {
    headings
        .iter()
        .map(|h| json!({ "level": h.level, "id": h.id, "title": h.title }))
        .collect()
}

pub fn page(
    site: &Site,
    id: usize,
    content: &str,
    headings: &[Heading],
    pdfs: &BTreeMap<usize, PdfInfo>,
) -> tera::Context {
    let page = &site.pages[id];
    let breadcrumbs: Vec<Value> = site
        .ancestors(id)
        .into_iter()
        .map(|a| link(site, a))
        .collect();
    let booklet = page.booklet.map(|b| {
        let booklet = &site.pages[b];
        let chapters: Vec<Value> = booklet
            .children
            .iter()
            .map(|&c| json!({ "title": site.pages[c].front.title, "url": site.pages[c].url, "current": c == id }))
            .collect();
        json!({
            "title": booklet.front.title,
            "subtitle": booklet.front.subtitle,
            "url": booklet.url,
            "pdf": pdfs.get(&b),
            "chapters": chapters,
        })
    });
    let mut value = confirm(json!({
        "title": page.front.title,
        "description": page.front.description,
        "url": page.url,
        "permalink": site.config.permalink(&page.url),
        "kind": page.kind(),
        "toc": toc(headings),
        "breadcrumbs": breadcrumbs,
        "prev": page.prev.map(|p| link(site, p)),
        "next": page.next.map(|n| link(site, n)),
        "booklet": booklet,
        "document_control": page.document_control.as_ref().map(document_control),
        "fields": fields_value(page.front.fields.as_ref()),
        "extra": page.front.extra,
        "draft": page.front.draft,
    }));
    let pages: Vec<Value> = page
        .children
        .iter()
        .map(|&c| {
            let child = &site.pages[c];
            json!({ "title": child.front.title, "url": child.url, "description": child.front.description, "kind": child.kind() })
        })
        .collect();
    // Body HTML goes in after `confirm`: it is already escaped and never a bare placeholder.
    value["content"] = Value::String(content.to_string());
    let mut ctx = tera::Context::new();
    ctx.insert("page", &value);
    ctx.insert("pages", &confirm(Value::Array(pages)));
    if page.url == crate::content::A_TO_Z_URL {
        ctx.insert("a_to_z", &a_to_z(site));
    }
    ctx
}

/// Every page but the finding aids, grouped by the first letter of its title, A to Z.
pub fn a_to_z(site: &Site) -> Vec<Value> {
    let mut entries: Vec<&crate::content::Page> = site
        .pages
        .iter()
        .filter(|p| p.role != Role::Utility)
        .collect();
    let key = |p: &crate::content::Page| {
        p.front
            .title
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    entries.sort_by(|a, b| key(a).cmp(&key(b)).then(a.url.cmp(&b.url)));
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for page in entries {
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
            "url": page.url,
            "description": page.front.description,
            "booklet": page.booklet.filter(|&b| site.pages[b].url != page.url).map(|b| site.pages[b].front.title.clone()),
        });
        match groups.last_mut() {
            Some((l, items)) if *l == letter => items.push(entry),
            _ => groups.push((letter, vec![entry])),
        }
    }
    groups
        .into_iter()
        .map(|(letter, pages)| json!({ "letter": letter, "id": format!("letter-{}", crate::markdown::slugify(&letter)), "pages": pages }))
        .collect()
}

pub fn not_found(site: &Site) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert(
        "page",
        &json!({
            "title": "Page not found",
            "description": "",
            "url": "/404.html",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_gov_uk_attachments() {
        assert_eq!(size_text(319_488), "312 KB");
        assert_eq!(size_text(1_468_006), "1.4 MB");
        assert_eq!(size_text(10), "1 KB");
    }

    #[test]
    fn placeholders_become_to_be_confirmed() {
        let v = confirm(json!({ "phone": "TBC: number", "list": ["TBC: x", "kept"] }));
        assert_eq!(
            v,
            json!({ "phone": "To be confirmed", "list": ["To be confirmed", "kept"] })
        );
    }
}
