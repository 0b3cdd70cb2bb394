//! Small text helpers every step shares: how placeholders, dates, numbers and sizes read,
//! HTML escaping, heading slugs, "did you mean" suggestions, and the build's date.
//!
//! Each is written once here, so that the web page and the PDF say the same thing the same
//! way.

use chrono::NaiveDate;
use serde_json::Value;

/// The marker of a value still to be found: `TBC: the switchboard number`.
pub const PLACEHOLDER: &str = "TBC:";

/// What readers see instead of a placeholder.
pub const TO_BE_CONFIRMED: &str = "To be confirmed";

/// Whether a value is a placeholder (`TBC: ...`).
pub fn is_placeholder(value: &str) -> bool {
    value.trim_start().starts_with(PLACEHOLDER)
}

/// A value as readers see it: a placeholder reads "To be confirmed".
pub fn confirmed(value: &str) -> &str {
    if is_placeholder(value) {
        TO_BE_CONFIRMED
    } else {
        value
    }
}

/// Placeholder values ("TBC: what is missing") reach readers as "To be confirmed", however
/// deep in a template's data they are.
pub fn confirm(mut value: Value) -> Value {
    // In place: every page's context passes through here, and rebuilding its maps costs.
    fn walk(value: &mut Value) {
        match value {
            Value::String(s) if is_placeholder(s) => *s = TO_BE_CONFIRMED.into(),
            Value::Array(items) => items.iter_mut().for_each(walk),
            Value::Object(map) => map.values_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut value);
    value
}

/// "10 June 2010".
pub fn date_text(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A date as templates get it, readable, or null.
pub fn date_value(date: Option<NaiveDate>) -> Value {
    date.map_or(Value::Null, |d| Value::String(date_text(d)))
}

/// "2010-06-10" (ISO 8601).
pub fn iso_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// A date as templates get it, ISO 8601, or null.
pub fn iso_value(date: Option<NaiveDate>) -> Value {
    date.map_or(Value::Null, |d| Value::String(iso_date(d)))
}

/// A number as the council's documents write it: "617", "114.9", "1,250".
pub fn number_text(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let rounded = (value * 100.0).round() / 100.0;
    let whole = rounded.trunc().abs();
    let digits = if whole < 1e15 {
        format!("{}", whole as u64)
    } else {
        format!("{whole:.0}")
    };
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if rounded < 0.0 { "-" } else { "" };
    let fraction = format!("{:.2}", rounded.fract().abs());
    let decimals = fraction.trim_start_matches('0').trim_end_matches('0');
    if decimals == "." || decimals.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{decimals}")
    }
}

/// "312 KB", "1.4 MB": as GOV.UK's attachment pattern writes sizes.
pub fn size_text(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    }
}

/// Escapes text for HTML (and XML) element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // The escaper pulldown-cmark uses for page bodies, so every escape on a page is alike.
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// Turns heading text into an id: lower case, letters and digits kept, runs of anything else
/// become one hyphen. "Who does what?" -> "who-does-what".
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.extend(c.to_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "children's" -> "childrens", not "children-s"
        } else {
            pending_hyphen = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// The known name closest to a misspelt one, when it is close enough to be a likely typo:
/// the one "did you mean" of every message.
pub fn nearest<'a, S: AsRef<str>>(name: &str, known: &'a [S]) -> Option<&'a str> {
    let name = name.to_lowercase();
    known
        .iter()
        .map(|k| {
            (
                strsim::jaro_winkler(&name, &k.as_ref().to_lowercase()),
                k.as_ref(),
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, k)| k)
}

/// The direction of the first letter of `text` that has one, as the Unicode bidirectional
/// algorithm decides a paragraph's: `Some(true)` right to left (Arabic, Hebrew, Urdu),
/// `Some(false)` left to right, `None` when no letter says (digits and punctuation only).
pub fn direction(text: &str) -> Option<bool> {
    use unicode_bidi::BidiClass;
    text.chars().find_map(|c| {
        if c.is_ascii() {
            return c.is_ascii_alphabetic().then_some(false);
        }
        match unicode_bidi::bidi_class(c) {
            BidiClass::L => Some(false),
            BidiClass::R | BidiClass::AL => Some(true),
            _ => None,
        }
    })
}

/// The day of `SOURCE_DATE_EPOCH` (seconds since 1970), when it is set and valid: builds
/// that must be reproducible take their date from it.
pub fn source_date() -> Option<NaiveDate> {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse::<i64>()
        .ok()?;
    chrono::DateTime::from_timestamp(secs, 0).map(|t| t.date_naive())
}

/// The date a build is made on: `FOLIO_TODAY` (YYYY-MM-DD) when set, else the day of
/// `SOURCE_DATE_EPOCH`, else today.
pub fn build_date() -> NaiveDate {
    std::env::var("FOLIO_TODAY")
        .ok()
        .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        .or_else(source_date)
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_read_as_in_the_seed_documents() {
        assert_eq!(number_text(617.0), "617");
        assert_eq!(number_text(114.9), "114.9");
        assert_eq!(number_text(1250.0), "1,250");
        assert_eq!(number_text(1_234_567.25), "1,234,567.25");
        assert_eq!(number_text(-4.5), "-4.5");
        assert_eq!(number_text(0.0), "0");
        assert_eq!(number_text(2.999), "3");
    }

    #[test]
    fn sizes_read_like_gov_uk_attachments() {
        assert_eq!(size_text(319_488), "312 KB");
        assert_eq!(size_text(1_468_006), "1.4 MB");
        assert_eq!(size_text(10), "1 KB");
    }

    #[test]
    fn placeholders_become_to_be_confirmed() {
        let v = confirm(json!({ "phone": "TBC: number", "list": ["TBC: x", "kept"] }));
        assert_eq!(
            v,
            json!({ "phone": "To be confirmed", "list": ["To be confirmed", "kept"] })
        );
    }

    #[test]
    fn slugs_are_lower_case_words_joined_by_hyphens() {
        assert_eq!(slugify("Who does what?"), "who-does-what");
        assert_eq!(
            slugify("  The Virtual School's role "),
            "the-virtual-schools-role"
        );
        assert_eq!(slugify("Section 31 (CA89)"), "section-31-ca89");
        assert_eq!(slugify("???"), "section");
    }

    #[test]
    fn a_paragraph_takes_the_direction_of_its_first_letter() {
        assert_eq!(direction("مرحبا 2026"), Some(true));
        assert_eq!(direction("2026: Hello مرحبا"), Some(false));
        assert_eq!(direction("שלום"), Some(true));
        assert_eq!(direction("12, 34."), None);
    }

    #[test]
    fn suggestions_are_close_names_only() {
        let known = ["signed", "draft", "proposed"];
        assert_eq!(nearest("singed", &known), Some("signed"));
        assert_eq!(nearest("Signed", &known), Some("signed"));
        assert_eq!(nearest("elephant", &known), None);
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape_html("a < b & \"c\" 'd'"),
            "a &lt; b &amp; &quot;c&quot; &#39;d&#39;"
        );
    }
}
