//! Data files in `content/_data/`: the glossary and the figures behind charts.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::text::slugify;
use crate::yaml;

const GLOSSARY_FILE: &str = "content/_data/glossary.yaml";
const FIGURES_FILE: &str = "content/_data/figures.yaml";
/// Every data file, by its path from the site's root.
pub const FILES: [&str; 2] = [GLOSSARY_FILE, FIGURES_FILE];

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    pub term: String,
    pub abbr: Option<String>,
    /// Other names and acronyms for the same thing.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub definition: String,
    /// Anchor on the glossary page; filled in from the term.
    #[serde(default, skip_deserializing)]
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Chart {
    pub id: String,
    pub title: String,
    /// When the figures were true, e.g. "September 2021".
    pub as_at: String,
    pub source: String,
    pub unit: String,
    /// What the chart shows, in a sentence or two, for readers who cannot see it.
    pub summary: String,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FiguresFile {
    #[serde(default)]
    charts: Vec<Chart>,
}

/// Everything in `content/_data/`.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub glossary: Vec<GlossaryEntry>,
    pub charts: Vec<Chart>,
}

impl Data {
    pub fn load(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Data {
        let mut glossary: Vec<GlossaryEntry> =
            read(root, GLOSSARY_FILE, diagnostics).unwrap_or_default();
        glossary.sort_by_key(|e| e.term.to_lowercase());
        for entry in &mut glossary {
            entry.id = slugify(&entry.term);
        }
        let figures: FiguresFile = read(root, FIGURES_FILE, diagnostics).unwrap_or_default();
        let mut seen = std::collections::BTreeSet::new();
        for chart in &figures.charts {
            if !seen.insert(chart.id.as_str()) {
                diagnostics.push(
                    Diagnostic::error(
                        FIGURES_FILE,
                        format!("two charts have the id `{}`", chart.id),
                    )
                    .hint("give each chart its own id"),
                );
            }
        }
        Data {
            glossary,
            charts: figures.charts,
        }
    }

    pub fn chart(&self, id: &str) -> Option<&Chart> {
        self.charts.iter().find(|c| c.id == id)
    }
}

/// Reads an optional data file: a missing file is simply no data.
fn read<T: for<'de> Deserialize<'de>>(
    root: &Path,
    relative: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let path: PathBuf = root.join(relative);
    if !path.exists() {
        return None;
    }
    if !super::inside_root(root, &path) {
        diagnostics.push(
            Diagnostic::error(relative, "this file is a link to a file outside the site's folder")
                .hint("folio reads only files inside the site: copy the file here instead of linking to it"),
        );
        return None;
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                relative,
                format!("cannot read the file: {e}"),
            ));
            return None;
        }
    };
    match yaml::parse(&text, Path::new(relative), 1) {
        Ok(value) => Some(value),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    }
}
