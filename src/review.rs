//! Review dates for editors: every document and page that has a review date, soonest (and
//! so overdue) first, with the file to edit. `folio check --review` prints the list and
//! `folio serve` shows it on a page of its own.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Config;
use crate::content::{FieldValue, LoadOptions, REVIEW_FIELD, Role, Site};
use crate::diagnostics::Diagnostic;
use crate::theme::Theme;

/// One document or page due for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    /// The file to edit, from the site's folder.
    pub file: PathBuf,
    pub title: String,
    /// Its site path.
    pub url: String,
    /// What it is: `booklet`, or its page kind (`pledge`).
    pub kind: String,
    /// The review date, ISO 8601; `None` while it is to be confirmed.
    #[serde(serialize_with = "iso")]
    pub review_by: Option<NaiveDate>,
    pub status: DueStatus,
}

/// Where a review date stands on the day the list is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DueStatus {
    /// The date has passed.
    Overdue,
    /// The date is today or later.
    Due,
    /// The date is a `TBC:` placeholder.
    ToBeConfirmed,
}

impl DueStatus {
    pub fn text(self) -> &'static str {
        match self {
            DueStatus::Overdue => "Overdue",
            DueStatus::Due => "Due",
            DueStatus::ToBeConfirmed => "To be confirmed",
        }
    }
}

fn iso<S: serde::Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
        None => s.serialize_none(),
    }
}

/// Every review date of the site, as of `today`: overdue first (the longest overdue at the
/// top), then the rest by date, then those still to be confirmed.
pub fn list(site: &Site, today: NaiveDate) -> Vec<Due> {
    let mut found = Vec::new();
    for (_, page) in site.pages.iter() {
        let status = |date: Option<NaiveDate>| match date {
            Some(d) if d < today => DueStatus::Overdue,
            Some(_) => DueStatus::Due,
            None => DueStatus::ToBeConfirmed,
        };
        let mut add = |kind: &str, date: Option<NaiveDate>| {
            found.push(Due {
                file: page.file.clone(),
                title: page.front.title.clone(),
                url: page.url.clone(),
                kind: kind.to_string(),
                review_by: date,
                status: status(date),
            })
        };
        // A document's own control: chapters share their booklet's date, listed once.
        if let Some(dc) = &page.front.document_control
            && matches!(page.role, Role::Booklet | Role::Home)
        {
            add(page.kind(), dc.review_by);
        }
        let Some(kind) = page.front.kind.as_deref().and_then(|k| site.kinds.get(k)) else {
            continue;
        };
        if !kind.fields.contains_key(REVIEW_FIELD) {
            continue;
        }
        match FieldValue::of(kind, REVIEW_FIELD, page.front.fields.as_ref()) {
            FieldValue::Date(date) => add(page.kind(), Some(date)),
            FieldValue::ToBeConfirmed => add(page.kind(), None),
            _ => {}
        }
    }
    found.sort_by(|a, b| {
        (a.review_by.is_none(), a.review_by, &a.file).cmp(&(
            b.review_by.is_none(),
            b.review_by,
            &b.file,
        ))
    });
    found
}

/// Loads the site at `root` far enough to read its review dates: settings, theme and
/// content, without checking or rendering pages. The errors that stop it, if any.
pub fn load(root: &Path, drafts: bool) -> Result<Site, Vec<Diagnostic>> {
    let config = Config::load(root, None).map_err(|d| vec![d])?;
    let (theme, _) = Theme::load(root, &config.theme)?;
    let options = LoadOptions {
        drafts,
        known: &crate::content::SourceRecords::default(),
        glossary_template: theme.settings.glossary_template.clone(),
    };
    let (site, found) = Site::load(root, config, theme.kinds.clone(), &options);
    let errors: Vec<Diagnostic> = found.into_iter().filter(Diagnostic::is_error).collect();
    if errors.is_empty() {
        Ok(site)
    } else {
        Err(errors)
    }
}

/// The list as people read it: one line for each, with its status, date, title and file.
pub fn text(list: &[Due], today: NaiveDate) -> String {
    use std::fmt::Write;
    let overdue = list
        .iter()
        .filter(|d| d.status == DueStatus::Overdue)
        .count();
    let mut out = format!(
        "Review dates as at {}: {} to review, {overdue} overdue.\n",
        today.format("%-d %B %Y"),
        list.len()
    );
    if list.is_empty() {
        return out;
    }
    let width = list
        .iter()
        .map(|d| d.title.chars().count())
        .max()
        .unwrap_or(0);
    for due in list {
        let date = due
            .review_by
            .map_or_else(|| "TBC".to_string(), |d| d.format("%Y-%m-%d").to_string());
        let _ = writeln!(
            out,
            "  {:<15} {date:<10}  {:<width$}  {:<8}  {}",
            due.status.text(),
            due.title,
            due.kind,
            due.file.display(),
        );
    }
    out
}

/// The list as the dev server's page shows it (`base` is the path the site is served
/// under): plain and self-contained, like its error overlay.
pub fn html(list: &[Due], today: NaiveDate, base: &str) -> String {
    use crate::text::escape_html;
    let overdue = list
        .iter()
        .filter(|d| d.status == DueStatus::Overdue)
        .count();
    let mut rows = String::new();
    for due in list {
        let date = due.review_by.map_or_else(
            || "To be confirmed".to_string(),
            |d| {
                format!(
                    "<time datetime=\"{}\">{}</time>",
                    d.format("%Y-%m-%d"),
                    d.format("%-d %B %Y")
                )
            },
        );
        let status = match due.status {
            DueStatus::Overdue => "<strong>Overdue</strong>".to_string(),
            other => other.text().to_string(),
        };
        rows.push_str(&format!(
            "<tr><td>{status}</td><td>{date}</td><th scope=\"row\"><a href=\"{}\">{}</a></th><td>{}</td><td><code>{}</code></td></tr>\n",
            escape_html(&format!("{base}{}", due.url.trim_start_matches('/'))),
            escape_html(&due.title),
            escape_html(&due.kind),
            escape_html(&due.file.display().to_string()),
        ));
    }
    format!(
        "<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Review dates – folio serve</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;color:#0b0c0c;background:#fff;margin:0;padding:24px}}main{{max-width:1100px}}table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;vertical-align:top;padding:8px 16px 8px 0;border-bottom:1px solid #b1b4b6}}a{{color:#1d70b8}}a:focus{{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}}code{{overflow-wrap:anywhere}}</style></head>\
<body><main><h1>Review dates</h1><p>Every document and page with a review date, as at {}: {} to review, {overdue} overdue. Edit the file named beside each to set a new date once it is reviewed. Only <code>folio serve</code> shows this page; <code>folio check --review</code> prints the same list.</p>\
<table><caption>Review dates, overdue first</caption><thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Review by</th><th scope=\"col\">Title</th><th scope=\"col\">Kind</th><th scope=\"col\">File to edit</th></tr></thead><tbody>\n{rows}</tbody></table>\
<p><a href=\"{}\">Back to the site</a></p></main></body></html>\n",
        today.format("%-d %B %Y"),
        list.len(),
        escape_html(base),
    )
}
