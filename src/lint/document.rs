//! Checks of what a document says about itself: a booklet's document control and approval,
//! and a site address that is only an example.

use std::cmp::Ordering;
use std::path::Path;

use chrono::NaiveDate;

use crate::config::Config;
use crate::content::{DocumentControl, Page, Role, front_matter};
use crate::diagnostics::{Diagnostic, Rule};

/// A booklet's document control: present, and claiming an approval only when it has one.
pub fn check(page: &Page) -> Vec<Diagnostic> {
    if page.role != Role::Booklet {
        return Vec::new();
    }
    match &page.front.document_control {
        None => vec![
            Diagnostic::warning(&page.file, "this booklet has no document control")
                .at(1, 1)
                .hint("add `document_control:` with owner, version, status and review_by")
                .rule(Rule::DocumentControl),
        ],
        Some(control) => approval(page, control),
    }
}

/// `approved_by` and `approved_on` belong to `status: approved`, which needs both;
/// `to_be_approved_by` belongs to a document that is not approved yet.
fn approval(page: &Page, control: &DocumentControl) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let error = |message: String, line: usize, hint: &str| {
        Diagnostic::error(&page.file, message)
            .at(line, 1)
            .hint(hint)
            .rule(Rule::Approval)
    };
    if control.status.is_approved() {
        for (field, missing) in [
            ("approved_by", control.approved_by.is_none()),
            ("approved_on", control.approved_on.is_none()),
        ] {
            if missing {
                found.push(error(
                    format!("an approved document needs `{field}` in its document control"),
                    page.line_of("status"),
                    &format!(
                        "add `{field}:` (who approved it, and the date as YYYY-MM-DD), or set `status: draft` until it is approved"
                    ),
                ));
            }
        }
        if control.to_be_approved_by.is_some() {
            found.push(error(
                "`to_be_approved_by` is for a document that is not approved yet".into(),
                page.line_of("to_be_approved_by"),
                "remove it: `approved_by` says who approved this document",
            ));
        }
    } else {
        for (field, present) in [
            ("approved_by", control.approved_by.is_some()),
            ("approved_on", control.approved_on.is_some()),
        ] {
            if present {
                found.push(error(
                    format!(
                        "a document with `status: {}` cannot say it was approved (`{field}`)",
                        control.status.name()
                    ),
                    page.line_of(field),
                    "remove it, and say who will approve the document with `to_be_approved_by:`; set `status: approved` only once it is approved",
                ));
            }
        }
    }
    found
}

/// A page's own history: each change dated on or after the one before it and not after
/// `today`, each version higher than the one before, and none higher than the document's.
pub fn history(page: &Page, today: NaiveDate) -> Vec<Diagnostic> {
    let changes: Vec<&crate::content::Change> = page
        .front
        .document_control
        .iter()
        .flat_map(|dc| dc.history.iter())
        .chain(page.front.history.iter())
        .collect();
    if changes.is_empty() {
        return Vec::new();
    }
    let items = front_matter::list_items(page.front_text(), "history");
    let place = |i: usize, key: &str| match items.get(i) {
        Some(lines) => front_matter::value_in(page.front_text(), lines.clone(), key),
        None => (page.line_of("history"), 1, 1),
    };
    let report = |rule: Rule, i: usize, key: &str, message: String, hint: String| {
        let (line, start, end) = place(i, key);
        Diagnostic::error(&page.file, message)
            .at(line, start)
            .to(line, end)
            .hint(hint)
            .rule(rule)
    };
    let day = |d: NaiveDate| d.format("%-d %B %Y").to_string();
    let mut found = Vec::new();
    let mut last_version: Option<(usize, &str)> = None;
    for (i, change) in changes.iter().enumerate() {
        if change.date > today {
            found.push(report(
                Rule::HistoryFuture,
                i,
                "date",
                format!(
                    "this change is dated {}, which has not come yet",
                    day(change.date)
                ),
                format!(
                    "record a change once it is made: date it {} or earlier",
                    today.format("%Y-%m-%d")
                ),
            ));
        }
        if let Some(before) = i.checked_sub(1).map(|b| changes[b])
            && change.date < before.date
        {
            found.push(report(
                Rule::HistoryOrder,
                i,
                "date",
                format!(
                    "this change is dated {}, before the change above it ({})",
                    day(change.date),
                    day(before.date)
                ),
                "list changes oldest first, each on or after the date of the one before; check the date for a typing slip".into(),
            ));
        }
        let Some(version) = change.version.as_deref() else {
            continue;
        };
        if let Some((_, before)) = last_version
            && compare_versions(version, before) != Some(Ordering::Greater)
        {
            found.push(report(
                Rule::HistoryVersion,
                i,
                "version",
                format!("version {version} is not higher than version {before} before it"),
                "give each change that makes a version a higher number than the one before, such as 1.1 after 1.0".into(),
            ));
        }
        last_version = Some((i, version));
    }
    if let (Some((i, latest)), Some(dc)) = (last_version, &page.front.document_control)
        && compare_versions(latest, &dc.version) == Some(Ordering::Greater)
    {
        found.push(report(
            Rule::HistoryVersion,
            i,
            "version",
            format!(
                "the latest change made version {latest}, but the document control says version {}",
                dc.version
            ),
            format!("set `version: \"{latest}\"` in the document control, or correct this change's version"),
        ));
    }
    found
}

/// Compares two versions by their numbers (`1.10` is higher than `1.9`; `0.1 (draft)` is
/// 0.1); `None` when either has no number to compare.
fn compare_versions(a: &str, b: &str) -> Option<Ordering> {
    let numbers = |v: &str| -> Option<Vec<u64>> {
        let lead: String = v
            .trim()
            .trim_start_matches(['v', 'V'])
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let parts: Option<Vec<u64>> = lead
            .trim_end_matches('.')
            .split('.')
            .map(|p| p.parse().ok())
            .collect();
        parts.filter(|p| !p.is_empty())
    };
    let (mut a, mut b) = (numbers(a)?, numbers(b)?);
    let len = a.len().max(b.len());
    a.resize(len, 0);
    b.resize(len, 0);
    Some(a.cmp(&b))
}

/// The example domains of RFC 2606, the ones documentation (and starter sites) use: a site
/// whose address is one of them is not published yet, and its PDFs print an address that
/// leads nowhere.
const EXAMPLE_DOMAINS: [&str; 3] = ["example.com", "example.net", "example.org"];

/// A placeholder warning when `base_url` is an example address.
pub fn example_address(root: &Path, config: &Config) -> Vec<Diagnostic> {
    let host = url::Url::parse(&config.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_lowercase))
        .unwrap_or_default();
    let example = EXAMPLE_DOMAINS
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")));
    if !example {
        return Vec::new();
    }
    vec![
        Diagnostic::warning(
            crate::config::FILE_NAME,
            format!(
                "placeholder: the site address {} is an example",
                config.base_url
            ),
        )
        .at(crate::config::line_of(root, "base_url"), 1)
        .hint("set base_url to the address the site is published at; pages and PDFs print it")
        .rule(Rule::Placeholder),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_their_numbers() {
        assert_eq!(compare_versions("1.10", "1.9"), Some(Ordering::Greater));
        assert_eq!(compare_versions("1.0", "1"), Some(Ordering::Equal));
        assert_eq!(compare_versions("0.1 (draft)", "0.2"), Some(Ordering::Less));
        assert_eq!(compare_versions("v2", "1.5"), Some(Ordering::Greater));
        assert_eq!(compare_versions("draft", "1.0"), None);
    }
}
