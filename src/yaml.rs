//! YAML parsing behind one small door.
//!
//! serde_yaml is archived upstream; keeping every use here means an API-compatible fork can
//! replace it without touching the rest. This module also turns serde's terse errors into
//! diagnostics an editor can act on: the file's own line and column, and a hint.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, HINT};

pub use serde_yaml::{Mapping, Value};

/// Parses `text` into `T`. `first_line` is the file line that `text` starts on, so that
/// front matter errors point at the line in the Markdown file, not in the YAML block.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    first_line: usize,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|error| to_diagnostic(&error, text, file, first_line))
}

fn to_diagnostic(
    error: &serde_yaml::Error,
    text: &str,
    file: &Path,
    first_line: usize,
) -> Diagnostic {
    let raw = error.to_string();
    // serde_yaml appends " at line L column C" to the message; we print the position ourselves.
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let (line, column) = match error.location() {
        Some(location) => (location.line(), location.column()),
        // Missing fields are reported at the end of the mapping; point at its start instead.
        None => (1, 1),
    };
    let (line, column) = if text.trim().is_empty() {
        (1, 1)
    } else {
        (line, column)
    };
    let (message, own_hint) = match message.split_once(HINT) {
        Some((message, hint)) => (message.to_string(), Some(hint.to_string())),
        None => (message, None),
    };
    let mut diagnostic =
        Diagnostic::error(file, describe(&message)).at(first_line + line - 1, column);
    if let Some(hint) = own_hint.or_else(|| hint_for(&message)) {
        diagnostic = diagnostic.hint(hint);
    }
    diagnostic
}

/// Rewrites serde's wording for people who edit content rather than code.
fn describe(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default();
        // serde reports nested structs as "<path>: unknown field"; keep the path when present.
        return format!("unknown field `{field}`");
    }
    if message.contains(": unknown field `") {
        let (path, rest) = message.split_once(": unknown field `").unwrap_or_default();
        let field = rest.split('`').next().unwrap_or_default();
        return format!("unknown field `{field}` in `{path}`");
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return format!("missing required field `{field}`");
    }
    if message.contains(": missing field `") {
        let (path, rest) = message.split_once(": missing field `").unwrap_or_default();
        let field = rest.split('`').next().unwrap_or_default();
        return format!("missing required field `{field}` in `{path}`");
    }
    if let Some(i) = message.find("invalid type: ") {
        return format!("wrong type: {}", &message[i + "invalid type: ".len()..]);
    }
    message.to_string()
}

fn hint_for(message: &str) -> Option<String> {
    if let Some((_, rest)) = message.split_once("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let known = known_fields(rest);
        return Some(match crate::text::nearest(field, &known) {
            Some(best) => format!("did you mean `{best}`? Known fields: {}", known.join(", ")),
            None if known.is_empty() => "remove this field".to_string(),
            None => format!("remove it, or use one of: {}", known.join(", ")),
        });
    }
    if message.contains("missing field `") {
        return Some("add the field to the YAML; see the README section \"Front matter\"".into());
    }
    if message.contains("invalid type") {
        return Some(
            "check the value's form: text, a number, true/false, a list (lines starting with `- `) or a date written YYYY-MM-DD"
                .into(),
        );
    }
    if message.contains("input contains invalid characters")
        || message.contains("premature end of input")
        || message.contains("input is out of range")
    {
        return Some("write dates as YYYY-MM-DD, for example 2027-06-30".into());
    }
    if let Some((_, rest)) = message.split_once("unknown variant `") {
        let value = rest.split('`').next().unwrap_or_default();
        let known = known_fields(rest);
        return match crate::text::nearest(value, &known) {
            Some(best) => Some(format!(
                "did you mean `{best}`? Use one of: {}",
                known.join(", ")
            )),
            None if known.is_empty() => None,
            None => Some(format!("use one of: {}", known.join(", "))),
        };
    }
    if message.contains("did not find expected")
        || message.contains("mapping values are not allowed")
    {
        return Some(
            "check the indentation and that each line is `key: value`; put quotes around values that contain `: ` or start with a special character".into(),
        );
    }
    None
}

/// Pulls the backquoted names out of serde's "expected one of `a`, `b`" list.
fn known_fields(text: &str) -> Vec<String> {
    let Some((_, list)) = text.split_once("expected ") else {
        return Vec::new();
    };
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        order: Option<i64>,
    }

    #[test]
    fn unknown_field_suggests_the_nearest_known_one() {
        let err = parse::<Sample>("title: a\ntitel: b\n", Path::new("a.md"), 2).unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.message, "unknown field `titel`");
        assert!(err.hint.unwrap().starts_with("did you mean `title`?"));
    }

    #[test]
    fn wrong_type_names_the_value_and_line() {
        let err = parse::<Sample>("title: a\norder: first\n", Path::new("a.md"), 2).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.message.starts_with("wrong type: string \"first\""),
            "{}",
            err.message
        );
    }

    #[test]
    fn missing_field_is_named() {
        let err = parse::<Sample>("order: 1\n", Path::new("a.md"), 2).unwrap_err();
        assert_eq!(err.message, "missing required field `title`");
    }
}
