//! The command line: every command, option and help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

const EXAMPLES: &str = "\
Examples:
  folio init my-site               Start a new site in the folder my-site
  folio build                      Build the site in this folder into public/
  folio build --no-pdf             A faster build without the booklets' PDFs and EPUBs
  folio check --strict             Check everything, treating warnings as errors
  folio serve --open               Preview with live reload in your browser
  folio new schools/new-page.md    Start a new page in content/schools/
  folio -r ../other-site build     Build a site in another folder";

#[derive(Parser)]
#[command(name = "folio", version, about = "Builds an accessible website and tagged PDF booklets from Markdown", after_help = EXAMPLES)]
pub struct Cli {
    /// The site's folder (the one with site.yaml, or any folder inside it)
    #[arg(short, long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Start a new site: a complete starter site to change
    #[command(after_help = "\
The folder must be empty (or new). With --force, starter files are added to a folder that is
not empty, but no existing file is ever replaced.

Examples:
  folio init                       A new site in this (empty) folder
  folio init corporate-parenting   A new site in a new folder")]
    Init {
        /// Where to start the site (default: this folder)
        dir: Option<PathBuf>,
        /// Add the starter files that are missing to a folder that is not empty
        #[arg(long)]
        force: bool,
    },
    /// Build the site into the output folder (public/ by default)
    #[command(after_help = "\
The output folder is replaced whole: a failed build leaves it as it was.

Examples:
  folio build                      Build HTML, the booklets (PDF, large print, EPUB,
                                   print room) and the search index into public/
  folio build --no-pdf --no-search The web pages only, fastest
  folio build -o /tmp/site         Write somewhere else
  folio build --base-url https://preview.example.gov.uk/guidance/
                                   A preview deployment at another address
  folio build --strict             Fail on warnings too, before publishing
  folio build --format json        Problems as JSON lines, for editors and CI")]
    Build {
        #[command(flatten)]
        common: Common,
        /// Where to write the site
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// The address the site is published at, instead of site.yaml's base_url
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Skip the search index (faster)
        #[arg(long)]
        no_search: bool,
        /// Build into an output folder that folio did not make (its other files are kept)
        #[arg(long)]
        force: bool,
    },
    /// Check the site as a build would, without writing anything
    #[command(after_help = "\
Examples:
  folio check                      Every error and warning, nothing written
  folio check --no-pdf             Skip the booklets' PDFs and EPUBs (faster)
  folio check --strict             Treat warnings as errors (exit status 1)
  folio check --drafts             Check draft pages too
  folio check --review             Every review date, overdue first, with the file to edit")]
    Check {
        #[command(flatten)]
        common: Common,
        /// List every document and page by its review date, overdue first, instead of checking
        #[arg(long)]
        review: bool,
    },
    /// Preview the site with live reload while you edit
    #[command(after_help = "\
Serves from memory: public/ is left as the last `folio build` made it. The site is served
under the path of its base_url, as it will be published.
A failed rebuild keeps the last good site and shows the errors in the browser.

Examples:
  folio serve                      Preview at http://127.0.0.1:8000/
  folio serve --open --drafts      Open the browser, and show draft pages
  folio serve -p 0                 Any free port (the address is printed)")]
    Serve {
        /// Port to listen on; 0, or a busy port, picks a free one
        #[arg(short, long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on (127.0.0.1 keeps the preview on this computer)
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new page with valid front matter (never overwrites)
    #[command(after_help = "\
Kinds: page (the default), booklet, chapter, and the page kinds the theme declares
(the built-in theme has pledge and role).

Examples:
  folio new contact.md                         A page of its own at /contact/
  folio new --kind booklet schools             A booklet in content/schools/
  folio new --kind chapter schools/pep.md      A chapter of that booklet
  folio new --kind pledge pledges/health.md    A pledge, with every field to fill in")]
    New {
        /// Path of the page inside content/, e.g. schools/new-page.md
        path: PathBuf,
        /// What to make: page, booklet, chapter, or a page kind of the theme
        #[arg(short, long, default_value = "page")]
        kind: String,
    },
    /// Work with the theme
    Theme {
        #[command(subcommand)]
        command: ThemeCommand,
    },
}

#[derive(Subcommand)]
pub enum ThemeCommand {
    /// Copy files of the built-in theme into the site, to change them
    #[command(after_help = "\
Copies into themes/<theme>/ (themes/default/ for the built-in theme), where each file
overrides the built-in one. A file that is there already is left as it is.

Examples:
  folio theme copy                             The whole theme
  folio theme copy print/booklet.typ           The PDF layout, to change the cover
  folio theme copy base.html page.html         Two templates")]
    Copy {
        /// Files to copy, by their path in the theme or their name; none copies them all
        files: Vec<String>,
    },
}

#[derive(Args)]
pub struct Common {
    /// How to report problems: for people, or one JSON object a line for tools
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Colour in the report: auto (on a terminal, unless NO_COLOR is set), always or never
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Every warning in full, instead of a rule's repeated warnings gathered under one
    #[arg(short, long)]
    pub verbose: bool,
    /// Include pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
    /// Skip the booklets' documents: PDF, large print PDF, EPUB, print room PDF (faster)
    #[arg(long)]
    pub no_pdf: bool,
}
