//! folio: Markdown with YAML front matter in, an accessible website and tagged PDFs out.
//!
//! The pipeline runs one way, and each module owns one step:
//!
//! - [`config`]: `site.yaml` -> [`config::Config`]
//! - [`theme`]: the built-in theme, with the site's own files over it -> [`theme::Theme`]
//! - [`content`]: the content tree -> [`content::Site`] (front matter, sections, booklets)
//! - [`parts`]: each page from its source to its checked, rendered parts, using
//!   [`markdown`] (parse, links, HTML) and [`lint`] (every check)
//! - [`outputs`]: what a build makes of the parts, one [`outputs::Output`] each: web pages
//!   (rendered by [`web`]), the booklets' PDF, large print PDF and print room's imposed PDF
//!   (typeset by [`print`]) and EPUB (made by [`ebook`]), the search index, the sitemap,
//!   static files
//! - [`build`]: runs the steps in order; [`build::incremental`] redoes only what a change
//!   touched, for [`serve`]
//! - [`write`]: puts a build's files into the output folder, rewriting only what changed,
//!   through a journal that a killed run's successor finishes or rolls back
//!
//! Alongside: [`diagnostics`] (the one error type and the rule ids), [`guard`] (a panic of
//! folio's own becomes a diagnostic naming the file), [`report`] (terminal output),
//! [`files`] (the output's files), [`cache`] (work kept between builds), [`text`] and
//! [`colour`] (small shared helpers), [`yaml`] (the only door to the YAML parser),
//! [`review`] (review dates for editors) and [`scaffold`] (`folio new`).

pub mod build;
pub mod cache;
pub mod colour;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod ebook;
pub mod files;
pub mod guard;
pub mod lint;
pub mod markdown;
pub mod outputs;
pub mod parts;
pub mod print;
pub mod report;
pub mod review;
pub mod scaffold;
pub mod serve;
pub mod text;
pub mod theme;
pub mod web;
pub mod write;
pub mod yaml;
