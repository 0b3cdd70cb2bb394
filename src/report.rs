//! How a build reports to the terminal: each diagnostic like a compiler message with the
//! source line and a caret, then one summary line.

use std::fmt::Write;
use std::path::Path;

use crate::build::Built;
use crate::diagnostics::{Diagnostic, Severity};
use crate::lint::Allowance;

/// A diagnostic with the offending source line quoted under it, when the file is readable.
fn format_diagnostic(root: &Path, d: &Diagnostic) -> String {
    let mut out = String::new();
    let label = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = write!(out, "{label}: {}", d.message);
    if let Some(rule) = d.rule {
        let _ = write!(out, " [{rule}]");
    }
    let _ = write!(out, "\n  --> {}", d.file.display());
    if d.line > 0 {
        let _ = write!(out, ":{}", d.line);
        if d.column > 0 {
            let _ = write!(out, ":{}", d.column);
        }
        if let Some(text) = std::fs::read_to_string(root.join(&d.file))
            .ok()
            .and_then(|t| t.lines().nth(d.line - 1).map(str::to_string))
        {
            let number = d.line.to_string();
            let pad = " ".repeat(number.len());
            let _ = write!(out, "\n{pad} |\n{number} | {text}");
            if d.column > 0 {
                let caret_at: String = text
                    .chars()
                    .take(d.column - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let _ = write!(out, "\n{pad} | {caret_at}^");
            }
        }
    }
    if let Some(hint) = &d.hint {
        let _ = write!(out, "\n  = hint: {hint}");
    }
    out
}

pub fn print_diagnostics(root: &Path, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{}\n", format_diagnostic(root, d));
    }
}

pub fn print_allowances(allowances: &[Allowance]) {
    if allowances.is_empty() {
        return;
    }
    eprintln!("Checks turned off on some pages:");
    for a in allowances {
        eprintln!("  {}: {} — {}", a.file.display(), a.rule, a.reason);
    }
}

pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "Built 34 pages (4 booklets, 4 PDFs, 3 unchanged) in 1.20 s, 3 warnings."
pub fn summary(verb: &str, built: &Built) -> String {
    let unchanged = if built.unchanged() > 0 {
        format!(", {} unchanged", built.unchanged())
    } else {
        String::new()
    };
    let mut line = format!(
        "{verb} {} ({}, {}{unchanged}) in {:.2} s",
        plural(built.site.pages.len(), "page", "pages"),
        plural(built.booklets(), "booklet", "booklets"),
        plural(built.pdfs(), "PDF", "PDFs"),
        built.elapsed.as_secs_f64()
    );
    if !built.warnings.is_empty() {
        line.push_str(&format!(
            ", {}",
            plural(built.warnings.len(), "warning", "warnings")
        ));
    }
    line.push('.');
    line
}
