//! The `folio` command: parses arguments and hands over to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use folio::build::{self, BuildOptions};
use folio::report;

const EXAMPLES: &str = "\
Examples:
  folio build                      Build the site in this folder into public/
  folio build --no-pdf             A faster build without the PDF booklets
  folio check --strict             Check everything, treating warnings as errors
  folio serve --open               Preview with live reload in your browser
  folio new schools/new-page.md    Start a new page in content/schools/
  folio --root ../other-site build Build a site in another folder";

#[derive(Parser)]
#[command(name = "folio", version, about = "Builds an accessible website and tagged PDF booklets from Markdown", after_help = EXAMPLES)]
struct Cli {
    /// The site's folder (the one with site.yaml)
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default)
    #[command(after_help = "\
The output folder is replaced whole: a failed build leaves it as it was.

Examples:
  folio build                      Build HTML, PDFs and the search index into public/
  folio build --no-pdf --no-search The web pages only, fastest
  folio build --output /tmp/site   Write somewhere else
  folio build --strict             Fail on warnings too, before publishing")]
    Build {
        #[command(flatten)]
        common: Common,
        /// Where to write the site
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Skip the PDF booklets (faster)
        #[arg(long)]
        no_pdf: bool,
        /// Skip the search index (faster)
        #[arg(long)]
        no_search: bool,
    },
    /// Check the site as a build would, without writing anything
    #[command(after_help = "\
Examples:
  folio check                      Every error and warning, nothing written
  folio check --strict             Treat warnings as errors (exit status 1)
  folio check --drafts             Check draft pages too")]
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// Preview the site with live reload while you edit
    #[command(after_help = "\
Serves from memory: public/ is left as the last `folio build` made it.
A failed rebuild keeps the last good site and shows the errors in the browser.

Examples:
  folio serve                      Preview at http://127.0.0.1:8000/
  folio serve --open --drafts      Open the browser, and show draft pages
  folio serve --port 0             Any free port (the address is printed)")]
    Serve {
        /// Port to listen on; 0, or a busy port, picks a free one
        #[arg(long, default_value_t = 8000)]
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
Examples:
  folio new schools/new-page.md    A chapter of the Schools booklet
  folio new contact.md             A page of its own at /contact/")]
    New {
        /// Path of the page inside content/, e.g. schools/new-page.md
        path: PathBuf,
    },
}

#[derive(Args)]
struct Common {
    /// Include pages marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Treat warnings as errors
    #[arg(long)]
    strict: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root;
    match cli.command {
        Command::Build {
            common,
            output,
            no_pdf,
            no_search,
        } => {
            let options = BuildOptions {
                output,
                drafts: common.drafts,
                strict: common.strict,
                pdf: !no_pdf,
                search: !no_search,
                ..BuildOptions::new(&root)
            };
            finish(
                &root,
                build::build_and_write(&options),
                "Built",
                Some(options.output_dir()),
            )
        }
        Command::Check { common } => {
            let options = BuildOptions {
                drafts: common.drafts,
                strict: common.strict,
                ..BuildOptions::new(&root)
            };
            finish(&root, build::build(&options), "Checked", None)
        }
        Command::Serve {
            port,
            bind,
            open,
            drafts,
        } => {
            let options = folio::serve::ServeOptions {
                bind,
                port,
                drafts,
                ..folio::serve::ServeOptions::new(&root)
            };
            match folio::serve::run(options, open) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: the preview server could not start: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::New { path } => match folio::scaffold::new_page(&root, &path) {
            Ok(file) => {
                println!(
                    "Created {}. It is a draft until you remove `draft: true`.",
                    file.display()
                );
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
    }
}

fn finish(
    root: &std::path::Path,
    result: Result<build::Built, build::Failure>,
    verb: &str,
    output: Option<PathBuf>,
) -> ExitCode {
    match result {
        Ok(built) => {
            report::print_diagnostics(root, &built.warnings);
            report::print_allowances(&built.allowances);
            let mut line = report::summary(verb, &built);
            if let Some(output) = output {
                line = format!("{} Wrote {}.", line, output.display());
            }
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            report::print_diagnostics(root, &failure.diagnostics);
            report::print_allowances(&failure.allowances);
            let (errors, warnings) = report::count(&failure.diagnostics);
            eprintln!(
                "{verb} nothing: {errors} error{}, {warnings} warning{}. Nothing was written.",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            );
            ExitCode::FAILURE
        }
    }
}
