//! Registers: for each page kind the theme gives one, a page for each filtered view of its
//! table (the register's own page is a page of the site, rendered with the others), and its
//! records as open data: `<name>.json`, `<name>.csv` and `<name>.schema.json`, the JSON
//! Schema of the first.
//!
//! The records' shape is the one the README documents: `title`, `url`, `updated`, each
//! field of the kind in the order `kinds.yaml` declares them, and `to_be_confirmed`. Dates
//! are ISO 8601; a placeholder's value is empty (null in JSON) and its field is named in
//! `to_be_confirmed`.

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use super::{Input, Made, Output};
use crate::content::kinds::{FieldType, Kind};
use crate::content::{FieldValue, PageId, Register, Site};
use crate::diagnostics::Diagnostic;
use crate::theme::Theme;
use crate::web;

pub struct Registers;

/// How list values are joined in a CSV cell: one item a line.
const CSV_LIST_SEPARATOR: &str = "\n";
/// How the names of fields still to be confirmed are joined in a CSV cell.
const CSV_NAMES_SEPARATOR: &str = ";";

impl Output for Registers {
    fn name(&self) -> &'static str {
        "registers"
    }

    fn links(&self, site: &Site, _theme: &Theme) -> Vec<String> {
        site.registers
            .iter()
            .flat_map(|r| {
                let views = r.views(site).into_iter().map(|v| v.url);
                let data = ["json", "csv", "schema.json"].map(|e| r.data_url(e));
                views.chain(data)
            })
            .collect()
    }

    fn make(&self, input: &Input, _only: Option<&[PageId]>, made: &mut Made) {
        let site = input.site;
        if site.registers.is_empty() {
            return;
        }
        let shared = web::context::Shared::of(site);
        for register in &site.registers {
            let Some(kind) = site.kinds.get(&register.kind) else {
                continue;
            };
            let views = register.views(site);
            let rendered: Vec<_> = views
                .par_iter()
                .map(|view| {
                    web::render_register_view(
                        site,
                        input.theme,
                        register,
                        view,
                        input.downloads,
                        &shared,
                    )
                })
                .collect();
            for result in rendered {
                match result {
                    Ok((path, bytes)) => input.keep(made, path, bytes),
                    Err(d) => made.problems.push(d),
                }
            }
            let records = records(site, register, kind);
            let file = |extension: &str| {
                std::path::PathBuf::from(register.data_url(extension).trim_start_matches('/'))
            };
            let document = json!({
                "register": register.spec.title,
                "kind": register.kind,
                "url": site.config.permalink(&register.url()),
                "schema": site.config.permalink(&register.data_url("schema.json")),
                "fields": fields(kind),
                "records": records,
            });
            input.keep(made, file("json"), pretty(&document));
            input.keep(
                made,
                file("schema.json"),
                pretty(&schema(site, register, kind)),
            );
            match csv(kind, &records) {
                Ok(bytes) => input.keep(made, file("csv"), bytes),
                Err(e) => made.problems.push(Diagnostic::error(
                    crate::config::FILE_NAME,
                    format!(
                        "the register {} could not be written as CSV: {e}",
                        register.spec.name
                    ),
                )),
            }
        }
    }
}

fn pretty(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The type of a field as the data's `fields` list names it.
fn type_name(kind: FieldType) -> &'static str {
    match kind {
        FieldType::Text => "text",
        FieldType::List => "list",
        FieldType::Date => "date",
        FieldType::Choice => "choice",
    }
}

/// The kind's fields, described: name, label, type and (for a choice) the values it takes.
fn fields(kind: &Kind) -> Vec<Value> {
    kind.fields
        .iter()
        .map(|(name, spec)| {
            let mut field = json!({
                "name": name,
                "label": spec.label(name),
                "type": type_name(spec.kind),
                "required": spec.required,
            });
            if spec.kind == FieldType::Choice {
                field["choices"] = json!(spec.choices);
            }
            field
        })
        .collect()
}

/// One record for each page of the register, in the register's order.
fn records(site: &Site, register: &Register, kind: &Kind) -> Vec<Map<String, Value>> {
    register
        .members
        .iter()
        .map(|&page| {
            let mut record = Map::new();
            record.insert("title".into(), site.pages[page].front.title.clone().into());
            record.insert(
                "url".into(),
                site.config.permalink(&site.pages[page].url).into(),
            );
            record.insert(
                "updated".into(),
                crate::text::iso_value(site.last_updated(page)),
            );
            let mut to_be_confirmed = Vec::new();
            for name in kind.fields.keys() {
                let value = match register.value(site, page, name) {
                    FieldValue::Text(t) => Value::String(t),
                    FieldValue::List(items) => json!(items),
                    FieldValue::Date(d) => Value::String(d.format("%Y-%m-%d").to_string()),
                    FieldValue::ToBeConfirmed => {
                        to_be_confirmed.push(Value::String(name.clone()));
                        Value::Null
                    }
                    FieldValue::Absent => Value::Null,
                };
                record.insert(name.clone(), value);
            }
            record.insert("to_be_confirmed".into(), Value::Array(to_be_confirmed));
            record
        })
        .collect()
}

/// The records as CSV: a header row of the record's keys, then one row a record.
fn csv(kind: &Kind, records: &[Map<String, Value>]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = vec!["title", "url", "updated"];
    header.extend(kind.fields.keys().map(String::as_str));
    header.push("to_be_confirmed");
    writer.write_record(&header)?;
    for record in records {
        let row: Vec<String> = header
            .iter()
            .map(|key| match record.get(*key) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Array(items)) => {
                    let separator = if *key == "to_be_confirmed" {
                        CSV_NAMES_SEPARATOR
                    } else {
                        CSV_LIST_SEPARATOR
                    };
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(separator)
                }
                _ => String::new(),
            })
            .collect();
        writer.write_record(&row)?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// The JSON Schema (draft 2020-12) of the register's JSON file.
fn schema(site: &Site, register: &Register, kind: &Kind) -> Value {
    let nullable = |mut schema: Value| {
        if let Some(Value::String(t)) = schema.get("type").cloned() {
            schema["type"] = json!([t, "null"]);
        }
        schema
    };
    let mut properties = Map::new();
    properties.insert(
        "title".into(),
        json!({ "type": "string", "description": "The page's title." }),
    );
    properties.insert(
        "url".into(),
        json!({ "type": "string", "format": "uri", "description": "The page's address." }),
    );
    properties.insert(
        "updated".into(),
        json!({ "type": ["string", "null"], "format": "date", "pattern": DATE_PATTERN,
                "description": "When the page was last updated (ISO 8601), if known." }),
    );
    for (name, spec) in &kind.fields {
        let description = spec.label(name);
        let field = match spec.kind {
            FieldType::Text => nullable(json!({ "type": "string" })),
            FieldType::List => nullable(json!({ "type": "array", "items": { "type": "string" } })),
            FieldType::Date => {
                nullable(json!({ "type": "string", "format": "date", "pattern": DATE_PATTERN }))
            }
            FieldType::Choice => {
                let mut values: Vec<Value> = spec.choices.iter().map(|c| json!(c)).collect();
                values.push(Value::Null);
                json!({ "enum": values })
            }
        };
        let mut field = field;
        field["description"] = Value::String(description);
        properties.insert(name.clone(), field);
    }
    let names: Vec<&String> = kind.fields.keys().collect();
    properties.insert(
        "to_be_confirmed".into(),
        json!({
            "type": "array",
            "items": { "enum": names },
            "uniqueItems": true,
            "description": "The fields whose value is still to be confirmed (null above).",
        }),
    );
    let required: Vec<&String> = properties.keys().collect();
    let record = json!({
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties,
    });
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": site.config.permalink(&register.data_url("schema.json")),
        "title": register.spec.title,
        "description": format!(
            "Every {} of {}, as open data. Version {SCHEMA_VERSION} of this shape.",
            register.kind, site.config.title
        ),
        "type": "object",
        "additionalProperties": false,
        "required": ["register", "kind", "url", "schema", "fields", "records"],
        "properties": {
            "register": { "type": "string" },
            "kind": { "const": register.kind },
            "url": { "type": "string", "format": "uri" },
            "schema": { "type": "string", "format": "uri" },
            "fields": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["name", "label", "type", "required"],
                    "properties": {
                        "name": { "type": "string" },
                        "label": { "type": "string" },
                        "type": { "enum": ["text", "list", "date", "choice"] },
                        "required": { "type": "boolean" },
                        "choices": { "type": "array", "items": { "type": "string" } },
                    },
                },
            },
            "records": { "type": "array", "items": record },
        },
    })
}

/// An ISO 8601 calendar date.
const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
/// The version of the data's shape, which changes only when a key is renamed or removed.
const SCHEMA_VERSION: u32 = 1;
