//! PDF/UA-1 and PDF/A-2a validation of a PDF's bytes, shared by the PDF tests.

use page_validation::{ValidationOptions, ValidationProfile, validate_pdf_bytes};

/// The PDF/A clause on stream lengths. `page_validation` 0.12.2 misreads a stream whose data
/// ends with a carriage return (0x0D, as compressed data does about once in 256 streams)
/// followed by the line feed before `endstream`: it takes the CR for part of the end-of-line
/// and reports the `/Length` as wrong. [`stream_lengths`] checks that clause exactly instead.
const STREAM_LENGTH_RULE: &str = "6.1.7.1:1";

/// Every failure of the PDF/UA-1 and PDF/A-2a rules, as `profile: failure`. Empty means the
/// PDF conforms to both.
pub fn conformance_failures(bytes: &[u8]) -> Vec<String> {
    let mut failures = Vec::new();
    for profile in [ValidationProfile::PdfUa1, ValidationProfile::PdfA2a] {
        let report = validate_pdf_bytes(bytes, &ValidationOptions::default().profile(profile))
            .unwrap_or_else(|e| panic!("the validator could not read the PDF: {e}"));
        assert!(report.rules.total > 0, "no {profile:?} rules ran");
        let exact = stream_lengths(bytes);
        for failure in &report.failures {
            if failure.rule_id.ends_with(STREAM_LENGTH_RULE) && exact.is_ok() {
                continue;
            }
            failures.push(format!("{profile:?}: {failure}"));
        }
        if let Err(wrong) = &exact {
            failures.push(format!("{profile:?}: {wrong}"));
        }
        if !report.is_compliant && report.failures.is_empty() {
            failures.push(format!(
                "{profile:?}: not compliant, with no failure listed"
            ));
        }
    }
    failures
}

/// Asserts the PDF conforms to PDF/UA-1 and PDF/A-2a.
pub fn assert_conformant(bytes: &[u8], what: &str) {
    let failures = conformance_failures(bytes);
    assert!(failures.is_empty(), "{what}:\n{}", failures.join("\n"));
}

/// Checks that every stream's `/Length` is the exact number of bytes between the end of line
/// after `stream` and the end of line before `endstream` (ISO 19005-2, 6.1.7.1).
pub fn stream_lengths(bytes: &[u8]) -> Result<(), String> {
    let mut from = 0;
    let mut checked = 0;
    while let Some(at) = find(&bytes[from..], b"stream").map(|i| from + i) {
        from = at + 6;
        let is_keyword = bytes[..at].ends_with(b">>")
            || bytes[..at].ends_with(b">>\n")
            || bytes[..at].ends_with(b">>\r\n")
            || bytes[..at].ends_with(b">> ");
        if !is_keyword {
            continue;
        }
        let start = match &bytes[from..] {
            [b'\r', b'\n', ..] => from + 2,
            [b'\n', ..] => from + 1,
            _ => return Err(format!("no end of line after `stream` at byte {at}")),
        };
        // The object's dictionary: from its `N 0 obj` header to the keyword.
        let dict_start = rfind(&bytes[..at], b" obj").ok_or("a stream outside an object")?;
        let dict = &bytes[dict_start..at];
        let length = length_of(dict)
            .ok_or_else(|| format!("the stream at byte {at} has no direct /Length to check"))?;
        let end = start + length;
        let rest = bytes.get(end..).unwrap_or_default();
        if !(rest.starts_with(b"\nendstream")
            || rest.starts_with(b"\r\nendstream")
            || rest.starts_with(b"\rendstream"))
        {
            return Err(format!(
                "the stream at byte {at} declares /Length {length}, which does not end at `endstream`"
            ));
        }
        from = end;
        checked += 1;
    }
    if checked == 0 {
        return Err("no streams found".into());
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The direct integer value of `/Length` in a stream dictionary's text.
fn length_of(dict: &[u8]) -> Option<usize> {
    let at = rfind(dict, b"/Length")? + b"/Length".len();
    let rest = std::str::from_utf8(&dict[at..]).ok()?.trim_start();
    let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
    let n = digits(rest);
    let number: usize = rest[..n].parse().ok()?;
    // `/Length 12 0 R` is a reference, not the length itself.
    let after = rest[n..].trim_start();
    let generation = digits(after);
    let reference = generation > 0 && after[generation..].trim_start().starts_with('R');
    (!reference).then_some(number)
}

/// The size of every run of text a PDF shows, in points, with the text: the font size of
/// `Tf` scaled by the text matrix and the transformation matrix in force, read from each
/// page's content stream and the form XObjects it draws.
pub fn text_sizes(doc: &lopdf::Document) -> Vec<(f64, String)> {
    let mut found = Vec::new();
    for (_, page) in doc.get_pages() {
        let content = doc.get_page_content(page).unwrap();
        let resources = doc.get_page_resources(page).unwrap();
        let dict = resources
            .0
            .cloned()
            .or_else(|| {
                resources
                    .1
                    .first()
                    .and_then(|id| doc.get_dictionary(*id).ok().cloned())
            })
            .unwrap_or_default();
        walk(
            doc,
            &content,
            &dict,
            [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
            &mut found,
            0,
        );
    }
    found
}

type Matrix = [f64; 6];

fn multiply(a: Matrix, b: Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn scale(m: Matrix) -> f64 {
    (m[0] * m[3] - m[1] * m[2]).abs().sqrt()
}

fn numbers(operands: &[lopdf::Object]) -> Vec<f64> {
    operands
        .iter()
        .filter_map(|o| o.as_float().ok())
        .map(f64::from)
        .collect()
}

fn walk(
    doc: &lopdf::Document,
    content: &[u8],
    resources: &lopdf::Dictionary,
    ctm: Matrix,
    found: &mut Vec<(f64, String)>,
    depth: usize,
) {
    let operations = lopdf::content::Content::decode(content).unwrap().operations;
    let mut stack = vec![ctm];
    let mut tm: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let mut size = 0.0;
    for op in operations {
        let ctm = *stack.last().unwrap();
        match op.operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => {
                stack.pop();
                if stack.is_empty() {
                    stack.push([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
                }
            }
            "cm" => {
                let n = numbers(&op.operands);
                let m = [n[0], n[1], n[2], n[3], n[4], n[5]];
                *stack.last_mut().unwrap() = multiply(m, ctm);
            }
            "BT" => tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
            "Tm" => {
                let n = numbers(&op.operands);
                tm = [n[0], n[1], n[2], n[3], n[4], n[5]];
            }
            "Tf" => size = numbers(&op.operands[1..])[0],
            "Tj" | "TJ" | "'" | "\"" => {
                let shown = format!("{:?}", op.operands).chars().take(40).collect();
                found.push((size * scale(tm) * scale(ctm), shown));
            }
            "Do" if depth < 8 => {
                let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
                    continue;
                };
                let Some(stream) = resources
                    .get(b"XObject")
                    .ok()
                    .and_then(|x| doc.dereference(x).ok())
                    .and_then(|(_, x)| x.as_dict().ok())
                    .and_then(|x| x.get(name).ok())
                    .and_then(|s| doc.dereference(s).ok())
                    .and_then(|(_, s)| s.as_stream().ok())
                else {
                    continue;
                };
                if stream.dict.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"Form") {
                    continue;
                }
                let matrix = stream
                    .dict
                    .get(b"Matrix")
                    .ok()
                    .and_then(|m| m.as_array().ok())
                    .map(|m| numbers(m))
                    .filter(|m| m.len() == 6)
                    .map_or([1.0, 0.0, 0.0, 1.0, 0.0, 0.0], |n| {
                        [n[0], n[1], n[2], n[3], n[4], n[5]]
                    });
                let inner = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|r| doc.dereference(r).ok())
                    .and_then(|(_, r)| r.as_dict().ok().cloned())
                    .unwrap_or_else(|| resources.clone());
                let bytes = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                walk(doc, &bytes, &inner, multiply(matrix, ctm), found, depth + 1);
            }
            _ => {}
        }
    }
}
