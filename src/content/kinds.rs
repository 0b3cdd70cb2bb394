//! Page kinds a theme declares in `kinds.yaml` (a partner pledge, a role description), and
//! the check of a page's `fields:` against them.

use std::collections::BTreeMap;
use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::yaml::{Mapping, Value};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    /// The template that renders pages of this kind; defaults to `<kind>.html`.
    pub template: Option<String>,
    #[serde(default)]
    pub description: String,
    /// Its fields, in the order the theme declares them (the order of its open data).
    pub fields: IndexMap<String, FieldSpec>,
    /// A register of every page of this kind: a page with a table, and open data.
    pub register: Option<RegisterSpec>,
}

/// How a kind's register looks: where it is, what it is called, which fields it shows and
/// which it can be filtered by.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterSpec {
    /// One word, lower case: the register's address (`/pledges/`) and its data files
    /// (`pledges.json`, `pledges.csv`).
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The fields shown as columns of the table, after the page's title.
    pub columns: Vec<String>,
    /// Fields whose values each get a view of the register with only the pages that have it.
    #[serde(default)]
    pub filters: Vec<String>,
    /// The template of the register's pages; defaults to `register.html`.
    pub template: Option<String>,
}

/// Names of the open data's own columns, which a field of a kind with a register cannot take.
pub const RECORD_COLUMNS: [&str; 4] = ["title", "url", "updated", "to_be_confirmed"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default)]
    pub required: bool,
    /// For `choice`: the allowed values.
    #[serde(default)]
    pub choices: Vec<String>,
    /// A field that becomes required when another field has a given value: `status: signed`.
    #[serde(default)]
    pub required_when: BTreeMap<String, String>,
    /// What a register's column and the open data's description call the field; defaults to
    /// its name in words (`signed_on` -> "Signed on").
    pub label: Option<String>,
    /// What a register shows when a page does not give the field ("Not signed").
    pub when_absent: Option<String>,
}

impl FieldSpec {
    /// The field's name as readers see it.
    pub fn label(&self, name: &str) -> String {
        self.label.clone().unwrap_or_else(|| {
            let words = name.replace('_', " ");
            let mut chars = words.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => words,
            }
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Text,
    List,
    Date,
    Choice,
}

pub type Kinds = BTreeMap<String, Kind>;

/// Problems of `kinds.yaml` that its types cannot catch: a register that names a field its
/// kind does not have, or two registers at one address.
pub fn check(kinds: &Kinds, file: &Path) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    let mut problem = |message: String, hint: String| {
        found.push(Diagnostic::error(file, message).hint(hint));
    };
    for (kind_name, kind) in kinds {
        let Some(register) = &kind.register else {
            continue;
        };
        let clean = !register.name.is_empty()
            && register
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !clean {
            problem(
                format!(
                    "the register of `{kind_name}` has the name `{}`, which cannot make a clean address",
                    register.name
                ),
                "use lower case letters, digits and hyphens, such as `pledges`".into(),
            );
        }
        if let Some(other) = names.insert(&register.name, kind_name) {
            problem(
                format!(
                    "the registers of `{other}` and `{kind_name}` have the same name `{}`",
                    register.name
                ),
                "give each register its own name".into(),
            );
        }
        let known: Vec<String> = kind.fields.keys().cloned().collect();
        for field in register.columns.iter().chain(&register.filters) {
            if !kind.fields.contains_key(field) {
                problem(
                    format!(
                        "the register of `{kind_name}` names the field `{field}`, which a {kind_name} does not have"
                    ),
                    format!("a {kind_name} has: {}", known.join(", ")),
                );
            }
        }
        for field in &register.filters {
            if kind
                .fields
                .get(field)
                .is_some_and(|spec| spec.kind == FieldType::List)
            {
                problem(
                    format!("the register of `{kind_name}` is filtered by `{field}`, a list"),
                    "filter by a text, choice or date field".into(),
                );
            }
        }
        for field in &known {
            if RECORD_COLUMNS.contains(&field.as_str()) {
                problem(
                    format!(
                        "a {kind_name} has a register, so it cannot have a field named `{field}`"
                    ),
                    format!(
                        "rename the field: the register's data has its own columns {}",
                        RECORD_COLUMNS.join(", ")
                    ),
                );
            }
        }
    }
    found
}

/// Checks a page's `fields:` against its kind. `source` is the whole file, for line numbers.
pub fn validate(
    kind_name: &str,
    kind: &Kind,
    fields: Option<&Mapping>,
    source: &str,
    file: &Path,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let line_of = |key: &str| crate::content::front_matter::line_of_key(source, key).unwrap_or(1);
    let empty = Mapping::new();
    let fields = fields.unwrap_or(&empty);
    let known: Vec<String> = kind.fields.keys().cloned().collect();
    for key in fields.keys() {
        let Some(name) = key.as_str() else { continue };
        if !kind.fields.contains_key(name) {
            let hint = match crate::text::nearest(name, &known) {
                Some(best) => format!(
                    "did you mean `{best}`? A {kind_name} has: {}",
                    known.join(", ")
                ),
                None => format!("a {kind_name} has: {}", known.join(", ")),
            };
            diagnostics.push(
                Diagnostic::error(file, format!("unknown field `{name}` for a {kind_name}"))
                    .at(line_of(name), 1)
                    .hint(hint),
            );
        }
    }
    for (name, spec) in &kind.fields {
        let value = fields.get(name.as_str()).filter(|v| !v.is_null());
        let required = spec.required
            || spec.required_when.iter().any(|(other, wanted)| {
                fields.get(other.as_str()).and_then(Value::as_str) == Some(wanted.as_str())
            });
        let Some(value) = value else {
            if required {
                diagnostics.push(
                    Diagnostic::error(file, format!("a {kind_name} needs the field `{name}`"))
                        .at(line_of("fields"), 1)
                        .hint(format!(
                            "add `{name}:` under `fields:` ({})",
                            describe(spec)
                        )),
                );
            }
            continue;
        };
        // A field that belongs to one state (`signed_on` to a signed pledge) must not claim
        // that state for a page in another.
        if !required && !spec.required_when.is_empty() {
            let when: Vec<String> = spec
                .required_when
                .iter()
                .map(|(other, wanted)| format!("{other} is {wanted}"))
                .collect();
            diagnostics.push(
                Diagnostic::error(
                    file,
                    format!(
                        "the field `{name}` is only for a {kind_name} whose {}",
                        when.join(" or ")
                    ),
                )
                .at(line_of(name), 1)
                .hint(format!(
                    "remove `{name}:`, or change the page so that its {}",
                    when.join(" or ")
                )),
            );
            continue;
        }
        if let Err(problem) = check_value(spec, value) {
            let line = line_of(name);
            let (start, end) = value_columns(source, line, name);
            let hint = match (spec.kind, value.as_str()) {
                (FieldType::Choice, Some(given)) => {
                    match crate::text::nearest(given, &spec.choices) {
                        Some(near) => format!(
                            "did you mean `{near}`? `{name}` should be {}",
                            describe(spec)
                        ),
                        None => format!("`{name}` should be {}", describe(spec)),
                    }
                }
                _ => format!("`{name}` should be {}", describe(spec)),
            };
            diagnostics.push(
                Diagnostic::error(file, format!("the field `{name}` {problem}"))
                    .at(line, start)
                    .to(line, end)
                    .hint(hint),
            );
        }
    }
    diagnostics
}

/// The columns of `key`'s value on a line of `source` (start, and just after its end): the
/// value a message is about. The key itself when the value is not on the line.
fn value_columns(source: &str, line: usize, key: &str) -> (usize, usize) {
    let text = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let Some(at) = text.find(&format!("{key}:")) else {
        return (1, 1);
    };
    let after = at + key.len() + 1;
    let value = text[after..].trim();
    if value.is_empty() {
        let start = text[..at].chars().count() + 1;
        return (start, start + key.chars().count());
    }
    let start = after + (text[after..].len() - text[after..].trim_start().len());
    let start_col = text[..start].chars().count() + 1;
    (start_col, start_col + value.chars().count())
}

fn describe(spec: &FieldSpec) -> String {
    match spec.kind {
        FieldType::Text => "text".into(),
        FieldType::List => "a list, one `- item` per line".into(),
        FieldType::Date => "a date written YYYY-MM-DD".into(),
        FieldType::Choice => format!("one of: {}", spec.choices.join(", ")),
    }
}

fn check_value(spec: &FieldSpec, value: &Value) -> Result<(), String> {
    match spec.kind {
        FieldType::Text => match value {
            Value::String(s) if !s.trim().is_empty() => Ok(()),
            Value::String(_) => Err("is empty".into()),
            Value::Number(_) | Value::Bool(_) => Ok(()),
            _ => Err("is not text".into()),
        },
        FieldType::List => match value {
            Value::Sequence(items) if items.is_empty() => Err("is an empty list".into()),
            Value::Sequence(items) if items.iter().all(|i| i.is_string()) => Ok(()),
            Value::Sequence(_) => Err("has an item that is not text".into()),
            _ => Err("is not a list".into()),
        },
        FieldType::Date => match value.as_str() {
            Some(s) if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() => Ok(()),
            Some(s) if crate::text::is_placeholder(s) => Ok(()),
            _ => Err("is not a date".into()),
        },
        FieldType::Choice => match value.as_str() {
            Some(s) if spec.choices.iter().any(|c| c == s) => Ok(()),
            Some(s) => Err(format!("has the value `{s}`, which is not allowed")),
            None => Err("is not one of the allowed values".into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pledge() -> Kind {
        crate::yaml::parse(
            "fields:\n  sector: {type: text, required: true}\n  status: {type: choice, choices: [draft, signed], required: true}\n  signed_on: {type: date, required_when: {status: signed}}\n  commitments: {type: list, required: true}\n",
            Path::new("kinds.yaml"),
            1,
        )
        .unwrap()
    }

    fn fields(text: &str) -> Mapping {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn a_complete_page_passes() {
        let f = fields("sector: Health\nstatus: draft\ncommitments: [We will listen]\n");
        assert!(validate("pledge", &pledge(), Some(&f), "", Path::new("p.md")).is_empty());
    }

    #[test]
    fn a_field_for_another_state_is_an_error_at_its_line() {
        let source = "---\ntitle: P\nkind: pledge\nfields:\n  sector: Health\n  status: draft\n  signed_on: 2026-01-01\n  commitments: [We will listen]\n---\n";
        let f = fields(
            "sector: Health\nstatus: draft\nsigned_on: 2026-01-01\ncommitments: [We will listen]\n",
        );
        let d = validate("pledge", &pledge(), Some(&f), source, Path::new("p.md"));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].message,
            "the field `signed_on` is only for a pledge whose status is signed"
        );
        assert_eq!(d[0].line, 7);
        // Signed, the date belongs.
        let f = fields(
            "sector: Health\nstatus: signed\nsigned_on: 2026-01-01\ncommitments: [We will listen]\n",
        );
        assert!(validate("pledge", &pledge(), Some(&f), source, Path::new("p.md")).is_empty());
    }

    #[test]
    fn missing_and_wrong_fields_are_named() {
        let source = "---\ntitle: P\nkind: pledge\nfields:\n  status: signed\n  commitments: one\n  sectr: Health\n---\n";
        let f = fields("status: signed\ncommitments: one\nsectr: Health\n");
        let d = validate("pledge", &pledge(), Some(&f), source, Path::new("p.md"));
        let messages: Vec<_> = d.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.contains(&"unknown field `sectr` for a pledge"),
            "{messages:?}"
        );
        assert!(messages.contains(&"a pledge needs the field `sector`"));
        assert!(messages.contains(&"a pledge needs the field `signed_on`"));
        assert!(messages.contains(&"the field `commitments` is not a list"));
        let unknown = d.iter().find(|d| d.message.contains("sectr")).unwrap();
        assert_eq!(unknown.line, 7);
        assert!(
            unknown
                .hint
                .as_deref()
                .unwrap()
                .contains("did you mean `sector`?")
        );
    }
}
