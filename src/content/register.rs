//! Registers: for a page kind whose theme asks for one (`register:` in `kinds.yaml`), every
//! page of that kind with its fields read as typed values, for the register's table, its
//! filtered views and its open data.

use chrono::NaiveDate;

use super::kinds::{FieldType, Kind, RegisterSpec};
use super::{PageId, Site};
use crate::text::{is_placeholder, slugify};
use crate::yaml::{Mapping, Value};

/// The register of one page kind.
#[derive(Debug, Clone)]
pub struct Register {
    /// The page kind it lists: `pledge`.
    pub kind: String,
    pub spec: RegisterSpec,
    /// The register's own page.
    pub page: PageId,
    /// Every page of the kind, by title.
    pub members: Vec<PageId>,
}

/// A field's value on one page, as a register reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    List(Vec<String>),
    Date(NaiveDate),
    /// A `TBC:` placeholder: the value is still to be found.
    ToBeConfirmed,
    /// The page does not give the field.
    Absent,
}

impl FieldValue {
    /// Reads `name` from a page's `fields:` as its kind declares it.
    pub fn of(kind: &Kind, name: &str, fields: Option<&Mapping>) -> FieldValue {
        let Some(value) = fields.and_then(|f| f.get(name)).filter(|v| !v.is_null()) else {
            return FieldValue::Absent;
        };
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        if text(value).is_some_and(|s| is_placeholder(&s)) {
            return FieldValue::ToBeConfirmed;
        }
        match kind.fields.get(name).map(|spec| spec.kind) {
            Some(FieldType::List) => FieldValue::List(
                value
                    .as_sequence()
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(text)
                            .map(|s| crate::text::confirmed(&s).to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            Some(FieldType::Date) => text(value)
                .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
                .map_or(FieldValue::Absent, FieldValue::Date),
            _ => text(value).map_or(FieldValue::Absent, FieldValue::Text),
        }
    }

    /// The value as one line of text: a date as ISO 8601, a list's items joined by `join`,
    /// a placeholder or an absent value empty.
    pub fn plain(&self, join: &str) -> String {
        match self {
            FieldValue::Text(s) => s.clone(),
            FieldValue::List(items) => items.join(join),
            FieldValue::Date(d) => d.format("%Y-%m-%d").to_string(),
            FieldValue::ToBeConfirmed | FieldValue::Absent => String::new(),
        }
    }
}

/// One view of a register: the pages whose field `field` has one value.
#[derive(Debug, Clone)]
pub struct View {
    pub field: String,
    /// The value as readers see it ("To be confirmed" for a placeholder).
    pub value: String,
    /// The view's site path: `/pledges/sector/health/`.
    pub url: String,
    pub members: Vec<PageId>,
}

impl Register {
    /// The register's site path: `/pledges/`.
    pub fn url(&self) -> String {
        format!("/{}/", self.spec.name)
    }

    /// The site path of one of its data files: `/pledges/pledges.csv`.
    pub fn data_url(&self, extension: &str) -> String {
        format!("/{0}/{0}.{extension}", self.spec.name)
    }

    /// A page's value of a field.
    pub fn value(&self, site: &Site, page: PageId, field: &str) -> FieldValue {
        match site.kinds.get(&self.kind) {
            Some(kind) => FieldValue::of(kind, field, site.pages[page].front.fields.as_ref()),
            None => FieldValue::Absent,
        }
    }

    /// Its filtered views: for each filter field, one for each value its pages have, in the
    /// order of the field's choices (or of the values).
    pub fn views(&self, site: &Site) -> Vec<View> {
        let mut views = Vec::new();
        let kind = site.kinds.get(&self.kind);
        for field in &self.spec.filters {
            let choices = kind
                .and_then(|k| k.fields.get(field))
                .map(|spec| spec.choices.clone())
                .unwrap_or_default();
            let is_choice = !choices.is_empty();
            let choices: Vec<String> = choices.iter().map(|c| capitalised(c)).collect();
            let mut values: Vec<(String, Vec<PageId>)> = Vec::new();
            for &member in &self.members {
                let shown = match self.value(site, member, field) {
                    FieldValue::ToBeConfirmed => crate::text::TO_BE_CONFIRMED.to_string(),
                    FieldValue::Absent => continue,
                    FieldValue::Date(d) => d.format("%-d %B %Y").to_string(),
                    FieldValue::Text(t) if is_choice => capitalised(&t),
                    other => other.plain(", "),
                };
                match values.iter_mut().find(|(v, _)| *v == shown) {
                    Some((_, pages)) => pages.push(member),
                    None => values.push((shown, vec![member])),
                }
            }
            values.sort_by_key(|(v, _)| {
                (
                    choices.iter().position(|c| c == v).unwrap_or(usize::MAX),
                    v.to_lowercase(),
                )
            });
            let mut slugs: Vec<String> = Vec::new();
            for (value, members) in values {
                let mut slug = slugify(&value);
                let base = slug.clone();
                let mut n = 2;
                while slugs.contains(&slug) {
                    slug = format!("{base}-{n}");
                    n += 1;
                }
                slugs.push(slug.clone());
                views.push(View {
                    url: format!("{}{}/{slug}/", self.url(), slugify(field)),
                    field: field.clone(),
                    value,
                    members,
                });
            }
        }
        views
    }
}

/// A choice as readers see it: `draft` -> "Draft".
pub fn capitalised(value: &str) -> String {
    let mut chars = value.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The registers the theme asks for, each with its page: called once the pages are arranged.
pub(super) fn find(site: &Site) -> Vec<Register> {
    let mut registers = Vec::new();
    for (kind_name, kind) in &site.kinds {
        let Some(spec) = &kind.register else {
            continue;
        };
        let url = format!("/{}/", spec.name);
        let Some((page, _)) = site
            .pages
            .iter()
            .find(|(_, p)| p.url == url && p.role == super::Role::Register)
        else {
            continue;
        };
        let mut members: Vec<PageId> = site
            .pages
            .iter()
            .filter(|(_, p)| {
                matches!(p.role, super::Role::Chapter | super::Role::Page)
                    && p.front.kind.as_deref() == Some(kind_name.as_str())
            })
            .map(|(id, _)| id)
            .collect();
        members.sort_by_key(|&id| {
            let p = &site.pages[id];
            (p.front.title.to_lowercase(), p.url.clone())
        });
        registers.push(Register {
            kind: kind_name.clone(),
            spec: spec.clone(),
            page,
            members,
        });
    }
    registers
}
