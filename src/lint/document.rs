//! Checks of what a document says about itself: a booklet's document control and approval,
//! and a site address that is only an example.

use std::path::Path;

use crate::config::Config;
use crate::content::{DocumentControl, Page, Role};
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
