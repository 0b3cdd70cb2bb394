//! How a build reports to people and to tools.
//!
//! For people: each diagnostic like a compiler message (rendered by annotate-snippets), the
//! source line quoted with the faulty text underlined and the hint under it; errors first,
//! then warnings, with repeated warnings of one rule gathered under one heading; colour on a
//! terminal; then one summary line. For tools: one JSON object per diagnostic and line.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};
use anstyle::{AnsiColor, Effects, Style as Ansi};
use serde::Serialize;

use crate::build::Built;
use crate::diagnostics::{Diagnostic, Rule, Severity};
use crate::lint::Allowance;

/// How diagnostics are shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// ANSI colours (a terminal that wants them).
    pub color: bool,
    /// Every warning in full, none gathered.
    pub verbose: bool,
}

/// A rule's warnings are gathered under one heading from this many on.
const GATHER_FROM: usize = 2;

/// Up to this many, a gathered rule lists each place with its message; past it, each file
/// with its lines (`--verbose` shows every warning in full).
const EACH_PLACE_UP_TO: usize = 10;

/// A source line longer than this is shown as a window around the faulty text.
const WIDEST_LINE: usize = 160;

/// Every diagnostic, errors first, each like a compiler message; repeated warnings of one
/// rule gathered (unless verbose). Ends with a blank line when anything was written.
pub fn render(root: &Path, diagnostics: &[Diagnostic], style: Style) -> String {
    let mut sources = Sources::new(root);
    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    let (errors, warnings): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        diagnostics.iter().partition(|d| d.is_error());
    for d in errors {
        let _ = writeln!(out, "{}\n", one(&renderer, &mut sources, d));
    }
    // Warnings in the order they come, a gathered rule where its first warning is.
    let mut by_rule: HashMap<Rule, Vec<&Diagnostic>> = HashMap::new();
    for d in &warnings {
        if let Some(rule) = d.rule {
            by_rule.entry(rule).or_default().push(d);
        }
    }
    let mut done: Vec<Rule> = Vec::new();
    for d in warnings {
        match d
            .rule
            .filter(|r| !style.verbose && by_rule[r].len() >= GATHER_FROM)
        {
            Some(rule) if done.contains(&rule) => {}
            Some(rule) => {
                done.push(rule);
                let _ = writeln!(out, "{}\n", gathered(rule, &by_rule[&rule], style));
            }
            None => {
                let _ = writeln!(out, "{}\n", one(&renderer, &mut sources, d));
            }
        }
    }
    out
}

/// One diagnostic as annotate-snippets renders it.
fn one(renderer: &Renderer, sources: &mut Sources, d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let message = escape_controls(&d.message);
    let mut title = level.primary_title(message.as_str());
    if let Some(rule) = d.rule {
        title = title.id(rule.name());
    }
    let path = escape_controls(&d.file.display().to_string());
    let mut group = match sources.excerpt(d) {
        Some(excerpt) => title.element(
            Snippet::source(excerpt.text)
                .line_start(d.line)
                .path(path)
                .annotation(AnnotationKind::Primary.span(excerpt.span)),
        ),
        None if d.line > 0 => {
            let mut origin = Origin::path(path).line(d.line);
            if d.column > 0 {
                origin = origin.char_column(d.column);
            }
            title.element(origin)
        }
        None => title.element(Origin::path(path)),
    };
    if let Some(hint) = &d.hint {
        group = group.element(Level::HELP.with_name("hint").message(hint.as_str()));
    }
    renderer.render(&[group])
}

/// The warnings of one rule under one heading, one line for each place.
fn gathered(rule: Rule, warnings: &[&Diagnostic], style: Style) -> String {
    let paint = |text: &str, ansi: Ansi| {
        if style.color {
            format!("{}{text}{}", ansi.render(), ansi.render_reset())
        } else {
            text.to_string()
        }
    };
    let warning = AnsiColor::Yellow.on_default().effects(Effects::BOLD);
    let blue = AnsiColor::BrightBlue.on_default().effects(Effects::BOLD);
    let bold = Ansi::new().effects(Effects::BOLD);
    let mut out = format!(
        "{}{}",
        paint(&format!("warning[{rule}]"), warning),
        paint(
            &format!(": {} places: {}", warnings.len(), rule.checks()),
            bold
        ),
    );
    if warnings.len() > EACH_PLACE_UP_TO {
        // Many places: one line for each file, with its lines.
        let mut files: Vec<(&Path, Vec<usize>)> = Vec::new();
        for d in warnings {
            match files.last_mut() {
                Some((file, lines)) if *file == d.file => lines.push(d.line),
                _ => files.push((&d.file, vec![d.line])),
            }
        }
        for (file, lines) in files {
            let _ = write!(
                out,
                "\n  {} {}  {}",
                paint("-->", blue),
                escape_controls(&file.display().to_string()),
                line_list(&lines)
            );
        }
    } else {
        for d in warnings {
            let mut place = escape_controls(&d.file.display().to_string());
            if d.line > 0 {
                let _ = write!(place, ":{}", d.line);
                if d.column > 0 {
                    let _ = write!(place, ":{}", d.column);
                }
            }
            let message = d
                .message
                .strip_prefix(&format!("{rule}: "))
                .unwrap_or(&d.message);
            let _ = write!(
                out,
                "\n  {} {place}  {}",
                paint("-->", blue),
                escape_controls(message)
            );
        }
    }
    // The rule's hint, said once (the first place's: a rule's hints say the same thing).
    if let Some(hint) = warnings.first().and_then(|d| d.hint.as_deref()) {
        let _ = write!(out, "\n   {} {hint}", paint("= hint:", bold));
    }
    out
}

/// "line 4", "lines 3, 8, 30-48": line numbers, runs of consecutive ones as ranges.
fn line_list(lines: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &line in lines {
        match runs.last_mut() {
            Some((_, end)) if line == *end + 1 || line == *end => *end = line,
            _ => runs.push((line, line)),
        }
    }
    let text: Vec<String> = runs
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect();
    let word = if lines.len() == 1 { "line" } else { "lines" };
    format!("{word} {}", text.join(", "))
}

/// The part of a file a diagnostic quotes: its lines, and the faulty text's byte range in
/// them.
struct Excerpt {
    text: String,
    span: std::ops::Range<usize>,
}

/// Files read once per report.
struct Sources {
    root: PathBuf,
    files: HashMap<PathBuf, Option<String>>,
}

impl Sources {
    fn new(root: &Path) -> Sources {
        Sources {
            root: root.to_path_buf(),
            files: HashMap::new(),
        }
    }

    fn excerpt(&mut self, d: &Diagnostic) -> Option<Excerpt> {
        if d.line == 0 {
            return None;
        }
        let root = &self.root;
        let text = self
            .files
            .entry(d.file.clone())
            .or_insert_with(|| std::fs::read_to_string(root.join(&d.file)).ok())
            .as_deref()?;
        let line = text.lines().nth(d.line - 1)?;
        let start = d.column.max(1) - 1;
        // The faulty text on this line: to its end column, or to the line's end when it runs
        // on; one character when only the start is known.
        let end = match (d.end_line, d.end_column) {
            (l, c) if l == d.line && c > d.column => c - 1,
            (l, _) if l > d.line => line.chars().count(),
            _ => start + 1,
        };
        Some(window(line, start, end.max(start + 1)))
    }
}

/// One source line as it is shown: control characters written out (`\u{0}`), and a long line
/// cut to the part around the faulty text; with the faulty text's byte range in what is shown.
/// `start` and `end` count characters.
fn window(line: &str, start: usize, end: usize) -> Excerpt {
    let chars: Vec<char> = line.chars().collect();
    let (from, to) = if chars.len() <= WIDEST_LINE {
        (0, chars.len())
    } else {
        let from = start.saturating_sub(WIDEST_LINE / 3).min(chars.len());
        let to = (from + WIDEST_LINE)
            .min(chars.len())
            .max(end.min(chars.len()));
        (from, to)
    };
    let mut text = String::new();
    let mut span = 0..0;
    if from > 0 {
        text.push('…');
    }
    for (i, c) in chars.iter().enumerate().take(to).skip(from) {
        if i == start {
            span.start = text.len();
        }
        if c.is_control() && *c != '\t' {
            let _ = write!(text, "\\u{{{:x}}}", *c as u32);
        } else {
            text.push(*c);
        }
        if i + 1 == end {
            span.end = text.len();
        }
    }
    if start >= to {
        span.start = text.len();
    }
    if end > to || span.end < span.start {
        span.end = text.len();
    }
    if to < chars.len() {
        text.push('…');
    }
    Excerpt { text, span }
}

/// A message with its control characters written out, so nothing it quotes can move the
/// cursor or fill a terminal.
fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// How many errors, warnings and placeholders a list of diagnostics has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub placeholders: usize,
}

impl Counts {
    pub fn of(diagnostics: &[Diagnostic]) -> Counts {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Counts {
            errors,
            warnings: diagnostics.len() - errors,
            placeholders: diagnostics
                .iter()
                .filter(|d| !d.is_error() && d.rule == Some(Rule::Placeholder))
                .count(),
        }
    }
}

impl std::fmt::Display for Counts {
    /// "1 error, 3 warnings (2 placeholders)".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, {}",
            plural(self.errors, "error", "errors"),
            plural(self.warnings, "warning", "warnings")
        )?;
        if self.placeholders > 0 {
            write!(
                f,
                " ({})",
                plural(self.placeholders, "placeholder", "placeholders")
            )?;
        }
        Ok(())
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "Built 34 pages (4 booklets, 4 PDFs, 4 large print PDFs, 4 EPUBs, 4 PDFs for printing,
/// 13 unchanged) in 1.20 s: 0 errors, 3 warnings."
pub fn summary(verb: &str, built: &Built) -> String {
    let unchanged = if built.unchanged() > 0 {
        format!(", {} unchanged", built.unchanged())
    } else {
        String::new()
    };
    // The other formats are named when there are any, after the PDFs.
    use crate::config::Format;
    let mut others = String::new();
    for (format, one, many) in [
        (Format::LargePrint, "large print PDF", "large print PDFs"),
        (Format::Epub, "EPUB", "EPUBs"),
        (Format::PrintRoom, "PDF for printing", "PDFs for printing"),
    ] {
        let n = built.documents(format);
        if n > 0 {
            others.push_str(", ");
            others.push_str(&plural(n, one, many));
        }
    }
    format!(
        "{verb} {} ({}, {}{others}{unchanged}) in {:.2} s: {}.",
        plural(built.site.pages.len(), "page", "pages"),
        plural(built.booklets(), "booklet", "booklets"),
        plural(built.pdfs(), "PDF", "PDFs"),
        built.elapsed.as_secs_f64(),
        Counts::of(&built.warnings),
    )
}

/// The rules pages turned off, and why.
pub fn allowances(allowances: &[Allowance]) -> String {
    if allowances.is_empty() {
        return String::new();
    }
    let mut out = String::from("Checks turned off on some pages:\n");
    for a in allowances {
        let _ = writeln!(out, "  {}: {} — {}", a.file.display(), a.rule, a.reason);
    }
    out
}

/// Prints diagnostics plainly to stderr (for errors outside a build, such as a broken theme).
pub fn print_diagnostics(root: &Path, diagnostics: &[Diagnostic]) {
    eprint!("{}", render(root, diagnostics, Style::default()));
}

/// One diagnostic as tools read it: `folio build --format json` writes one a line.
#[derive(Debug, Serialize)]
pub struct Json<'a> {
    pub file: String,
    /// 1-based; 0 when it is about the whole file.
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub column: usize,
    /// Where the faulty text ends, when known.
    pub end: Option<End>,
    pub severity: Severity,
    pub rule: Option<Rule>,
    pub message: &'a str,
    pub hint: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct End {
    pub line: usize,
    pub column: usize,
}

/// Every diagnostic, one JSON object a line, errors first.
pub fn json(diagnostics: &[Diagnostic]) -> String {
    let mut ordered: Vec<&Diagnostic> = diagnostics.iter().collect();
    ordered.sort_by_key(|d| !d.is_error());
    let mut out = String::new();
    for d in ordered {
        let object = Json {
            file: d.file.display().to_string(),
            line: d.line,
            column: d.column,
            end: (d.end_line > 0).then_some(End {
                line: d.end_line,
                column: d.end_column,
            }),
            severity: d.severity,
            rule: d.rule,
            message: &d.message,
            hint: d.hint.as_deref(),
        };
        if let Ok(line) = serde_json::to_string(&object) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_fault_and_controls_written_out() {
        let line = format!("{}FAULT{}", "a".repeat(400), "b".repeat(400));
        let shown = window(&line, 400, 405);
        assert!(shown.text.chars().count() < 200, "{}", shown.text);
        assert_eq!(&shown.text[shown.span.clone()], "FAULT");
        let shown = window("a\u{0}b", 1, 2);
        assert_eq!(shown.text, "a\\u{0}b");
        assert_eq!(&shown.text[shown.span], "\\u{0}");
    }

    #[test]
    fn line_lists_gather_runs() {
        assert_eq!(line_list(&[4]), "line 4");
        assert_eq!(line_list(&[3, 8, 30, 31, 32, 48]), "lines 3, 8, 30-32, 48");
    }

    #[test]
    fn counts_read_as_a_summary() {
        let warn = Diagnostic::warning("a.md", "placeholder: x").rule(Rule::Placeholder);
        let counts = Counts::of(&[Diagnostic::error("a.md", "x"), warn.clone(), warn]);
        assert_eq!(counts.to_string(), "1 error, 2 warnings (2 placeholders)");
    }
}
