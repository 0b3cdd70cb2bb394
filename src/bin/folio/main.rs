//! The `folio` command: reads the arguments (see `args.rs`) and hands each command to the
//! library.

mod allocator;
mod args;
mod progress;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use args::{Cli, Color, Command, Common, Format, ThemeCommand};
use clap::Parser;
use folio::build::{self, BuildOptions, Reporter};
use folio::cache;
use folio::report;
use folio::scaffold::{self, NewKind, Refusal};

fn main() -> ExitCode {
    allocator::configure();
    let cli = Cli::parse();
    folio::guard::install();
    if let Command::Init { dir, force } = &cli.command {
        return init(dir.as_deref().unwrap_or(&cli.root), *force);
    }
    // Every other command works on a site: the nearest folder with a site.yaml.
    let root = match scaffold::find_site(&cli.root) {
        Ok(root) => root,
        Err(refusal) => return refuse(&refusal),
    };
    match cli.command {
        Command::Init { .. } => unreachable!("handled above"),
        Command::Build {
            common,
            output,
            base_url,
            no_search,
            force,
        } => {
            let progress = progress::Terminal::start();
            let options = BuildOptions {
                output,
                base_url,
                search: !no_search,
                force,
                progress: Reporter(progress.clone()),
                ..options(&root, &common)
            };
            let result = build::build_and_write(&options);
            progress.finish();
            finish(&root, &common, result, "Built", Some(options.output_dir()))
        }
        Command::Check {
            common,
            review: true,
        } => review(&root, &common),
        Command::Check { common, .. } => {
            // A check writes nothing, not even to the cache. The search index is left out:
            // it is made from the text the checks read, and nothing in it can be wrong.
            let progress = progress::Terminal::start();
            let options = BuildOptions {
                cache: cache::Mode::ReadOnly,
                search: false,
                keep_files: false,
                progress: Reporter(progress.clone()),
                ..options(&root, &common)
            };
            let result = build::build(&options);
            progress.finish();
            finish(&root, &common, result, "Checked", None)
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
        Command::New { path, kind } => new(&root, &path, &kind),
        Command::Theme {
            command: ThemeCommand::Copy { files },
        } => theme_copy(&root, &files),
    }
}

/// `folio check --review`: every review date, overdue first.
fn review(root: &Path, common: &Common) -> ExitCode {
    let site = match folio::review::load(root, common.drafts) {
        Ok(site) => site,
        Err(problems) => {
            report::print_diagnostics(root, &problems);
            eprintln!("The review dates cannot be listed until these errors are fixed.");
            return ExitCode::FAILURE;
        }
    };
    let today = folio::text::build_date();
    let list = folio::review::list(&site, today);
    match common.format {
        Format::Json => {
            for due in &list {
                println!("{}", serde_json::to_string(due).unwrap_or_default());
            }
        }
        Format::Human => print!("{}", folio::review::text(&list, today)),
    }
    ExitCode::SUCCESS
}

fn options(root: &Path, common: &Common) -> BuildOptions {
    BuildOptions {
        drafts: common.drafts,
        strict: common.strict,
        pdf: !common.no_pdf,
        ..BuildOptions::new(root)
    }
}

fn refuse(refusal: &Refusal) -> ExitCode {
    eprintln!("error: {}\n  = hint: {}", refusal.message, refusal.hint);
    ExitCode::FAILURE
}

fn init(dir: &Path, force: bool) -> ExitCode {
    match scaffold::init(dir, force) {
        Ok(written) => {
            println!(
                "Started a site in {} ({} files). Next:\n  cd {}\n  folio serve --open",
                dir.display(),
                written.len(),
                shell_path(dir)
            );
            ExitCode::SUCCESS
        }
        Err(refusal) => refuse(&refusal),
    }
}

/// A folder as a reader would type it after `cd`.
fn shell_path(dir: &Path) -> String {
    let text = dir.display().to_string();
    if text
        .chars()
        .all(|c| c.is_alphanumeric() || "/._-".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn new(root: &Path, path: &Path, kind: &str) -> ExitCode {
    let config = folio::config::Config::load(root, None).ok();
    let theme = config.as_ref().map_or("default", |c| c.theme.as_str());
    let kinds = match folio::theme::Theme::load(root, theme) {
        Ok((theme, _)) => theme.kinds,
        Err(problems) => {
            report::print_diagnostics(root, &problems);
            return ExitCode::FAILURE;
        }
    };
    let made =
        NewKind::parse(kind, &kinds).and_then(|k| scaffold::new_page(root, path, &k, &kinds));
    match made {
        Ok(file) => {
            println!(
                "Created {}. It is a draft until you remove `draft: true`.",
                file.display()
            );
            ExitCode::SUCCESS
        }
        Err(refusal) => refuse(&refusal),
    }
}

fn theme_copy(root: &Path, files: &[String]) -> ExitCode {
    let theme = folio::config::Config::load(root, None)
        .map_or_else(|_| folio::theme::DEFAULT.to_string(), |c| c.theme);
    match scaffold::copy_theme(root, &theme, files) {
        Ok((copied, kept)) => {
            for file in &copied {
                println!("Copied {}", file.display());
            }
            for file in &kept {
                println!("Kept {} (it is there already)", file.display());
            }
            println!(
                "{} file{} copied. Each file in themes/{theme}/ now overrides the built-in one.",
                copied.len(),
                if copied.len() == 1 { "" } else { "s" }
            );
            ExitCode::SUCCESS
        }
        Err(refusal) => refuse(&refusal),
    }
}

/// Reports a build: its diagnostics and the rules pages turned off, then one summary line.
fn finish(
    root: &Path,
    common: &Common,
    result: Result<build::Built, build::Failure>,
    verb: &str,
    output: Option<PathBuf>,
) -> ExitCode {
    let style = report::Style {
        color: colour(common.color),
        verbose: common.verbose,
    };
    let (diagnostics, allowances) = match &result {
        Ok(built) => (&built.warnings, &built.allowances),
        Err(failure) => (&failure.diagnostics, &failure.allowances),
    };
    match common.format {
        Format::Json => print!("{}", report::json(diagnostics)),
        Format::Human => {
            eprint!("{}", report::render(root, diagnostics, style));
            eprint!("{}", report::allowances(allowances));
        }
    }
    match result {
        Ok(built) => {
            let mut line = report::summary(verb, &built);
            if let Some(output) = output {
                let w = built.written;
                line = format!(
                    "{line} Wrote {}: {} written, {} unchanged, {} removed.",
                    output.display(),
                    w.written,
                    w.unchanged,
                    w.removed
                );
            }
            // Beside JSON on stdout, the summary goes to stderr.
            match common.format {
                Format::Human => println!("{line}"),
                Format::Json => eprintln!("{line}"),
            }
            // The process ends here: freeing a large site's pages one allocation at a time
            // takes longer than the system takes to reclaim them all at exit.
            std::mem::forget(built);
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!(
                "{verb} nothing: {}. Nothing was written.",
                report::Counts::of(&failure.diagnostics)
            );
            // Status 2 tells a fault of folio's own from a fault in the site (status 1).
            if failure.internal {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Whether the report is in colour: `--color always` or `never`, or on a terminal unless
/// `NO_COLOR` is set.
fn colour(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}
