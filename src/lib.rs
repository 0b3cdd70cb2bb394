//! folio: Markdown with YAML front matter in, an accessible website and tagged PDFs out.

pub mod diagnostics;
pub mod markdown;
