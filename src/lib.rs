//! folio: Markdown with YAML front matter in, an accessible website and tagged PDFs out.
//!
//! The pipeline runs one way, and each module owns one step:
//!
//! - [`config`]: `site.yaml` -> [`config::Config`]
//! - [`content`]: the content tree -> [`content::Site`] (front matter, sections, booklets)
//! - [`markdown`]: each page's Markdown, parsed once -> events, headings, links, HTML
//! - [`lint`]: accessibility and plain-English checks on the parsed pages
//! - [`pdf`]: each booklet's pages -> Typst markup -> a tagged PDF (PDF/UA-1, PDF/A-2a)
//! - [`render`]: pages through the theme's templates, sitemap, static files -> [`render::Output`]
//! - [`search`]: the Pagefind search index of every page's main content
//! - [`build`]: runs the steps in order and writes the output folder whole, or not at all
//!
//! [`incremental`] keeps a build in memory and redoes only what a change touched; [`serve`]
//! uses it to rebuild on every change and serves the result from memory.
//!
//! Alongside: [`diagnostics`] (the one error type), [`report`] (terminal output),
//! [`yaml`] (the only door to the YAML parser) and [`scaffold`] (`folio new`).

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod incremental;
pub mod lint;
pub mod markdown;
pub mod pdf;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod yaml;
