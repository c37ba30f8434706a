//! The `jianbao` binary: pick the message language, parse the command
//! line, run the command (src/cli/), exit with the documented status.

mod cli;

use std::process::ExitCode;

use clap::FromArgMatches;

use jianbao::i18n::{self, Lang};

/// mimalloc instead of the system allocator: Typst's layout and the PDF
/// writer allocate small objects by the million, and glibc's malloc took a
/// fifth of a batch's CPU time (measured with perf; benches/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The message language: `--lang` (before or after the subcommand), else
/// the locale, else Chinese. Read before clap parses so that its help and
/// errors are in that language too.
fn message_language(args: &[String]) -> Lang {
    let lang_arg = args
        .iter()
        .position(|a| a == "--lang")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
        .or_else(|| args.iter().find_map(|a| a.strip_prefix("--lang=")));
    match lang_arg {
        Some("en") => Lang::En,
        Some("zh") => Lang::Zh,
        _ => ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|v| std::env::var(v).ok().and_then(|l| i18n::lang_from_locale(&l)))
            .unwrap_or(Lang::Zh),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    i18n::set_lang(message_language(&args));
    let parsed = cli::help::command()
        .try_get_matches_from(std::env::args_os())
        .and_then(|m| cli::args::Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            eprint!("{}", cli::help::usage_error(&e));
            return ExitCode::from(64);
        }
        Err(e) => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    if !matches!(cli.command, cli::args::Command::Batch { .. }) {
        cli::heap::no_huge_pages();
    }
    if matches!(cli.command, cli::args::Command::Render(_) | cli::args::Command::Check { .. }) {
        cli::heap::keep_freed_memory();
    }
    match cli::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(cli::Failure::Batch) => ExitCode::from(1),
        Err(cli::Failure::Error(e)) => {
            eprint!("{e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
