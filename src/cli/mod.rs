//! The `jianbao` command line: one module per command, sharing how the
//! engine is set up from the arguments and the config file.

pub mod args;
mod check;
pub mod heap;
pub mod help;
mod info;
mod init;
mod render;
mod watch;

use std::path::{Path, PathBuf};

use jianbao::error::{Diagnostic, Error};
use jianbao::fonts::{Config, DocxFontMode, FontOptions};
use jianbao::model::{self, LoadOptions, Loaded};
use jianbao::render::{Engine, EngineOptions, Formats, PdfStandard};
use jianbao::template;

use args::{Command, DocumentOptions, DocxFontsArg, FormatArg, PdfStandardArg, Setup};

/// Prints a line on stdout; a closed pipe (`jianbao fonts | head`) ends
/// the output quietly instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        if writeln!(out, $($arg)*).and_then(|_| out.flush()).is_err() {
            std::process::exit(0);
        }
    }};
}
pub(crate) use say;

/// How a command ends when it does not succeed.
pub enum Failure {
    /// An error, already formatted by its diagnostics.
    Error(Error),
    /// A batch finished with failed units (already reported): exit 1.
    Batch,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Error(e)
    }
}

/// Runs a parsed command.
pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Render(d) => Ok(render::render(&d.data, &d.template, &d.output, &d.setup)?),
        Command::Batch { input, template, name, jobs, shard, output, setup } => {
            render::batch(render::BatchArgs { input, template, name, jobs, shard }, &output, &setup)
        }
        Command::Check { data, template, document, setup } => {
            Ok(check::check(&data, template.as_deref(), &document, &setup)?)
        }
        Command::Watch(d) => Ok(watch::watch(&d.data, &d.template, &d.output, &d.setup)?),
        Command::Init { dir } => Ok(init::init(&dir)?),
        Command::Schema { out } => Ok(info::schema(out.as_deref())?),
        Command::Templates { templates } => Ok(info::templates(templates.as_deref())?),
        Command::Fonts { config, font_path } => Ok(info::fonts(config.as_deref(), &font_path)?),
        Command::Completions { shell } => {
            info::completions(shell);
            Ok(())
        }
    }
}

pub fn formats(list: &[FormatArg]) -> Formats {
    Formats { pdf: list.contains(&FormatArg::Pdf), docx: list.contains(&FormatArg::Docx) }
}

pub fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprint!("{d}");
    }
}

/// The font options from the config file and the command line (which
/// wins: `--font-path` folders come first).
pub fn font_options(config: &Config, font_path: &[PathBuf]) -> FontOptions {
    let mut paths = font_path.to_vec();
    paths.extend(config.font_paths());
    FontOptions { families: config.role_families(), paths, config_file: config.path.clone() }
}

/// The engine for data at `data` (a file, or a folder's stand-in file).
pub fn engine(setup: &Setup, document: &DocumentOptions, data: &Path) -> Result<Engine, Error> {
    let config = Config::find(setup.config.as_deref(), Some(data))?;
    let docx_fonts = match document.docx_fonts {
        Some(DocxFontsArg::Office) => DocxFontMode::Office,
        Some(DocxFontsArg::Bundled) => DocxFontMode::Bundled,
        Some(DocxFontsArg::Embed) => DocxFontMode::Embed,
        None => config.docx.fonts.unwrap_or_default(),
    };
    let pdf_standard = match document.pdf_standard {
        Some(PdfStandardArg::A2b) => PdfStandard::A2b,
        None => PdfStandard::Plain,
    };
    Engine::new(&EngineOptions {
        template_dirs: template::search_dirs(setup.templates.as_deref(), Some(data))?,
        fonts: font_options(&config, &setup.font_path),
        docx_fonts,
        allow_missing_glyphs: setup.allow_missing_glyphs,
        verbose: setup.verbose,
        pdf_standard,
    })
}

/// Loads a data file and prints its warnings.
pub fn load(data: &Path, setup: &Setup) -> Result<Loaded, Error> {
    let loaded = model::load(data, load_options(setup))?;
    print_diagnostics(&loaded.warnings);
    Ok(loaded)
}

pub fn load_options(setup: &Setup) -> LoadOptions {
    // Pictures may come from the data file's folder (which holds the
    // `templates/` beside it) or the `--templates` folder.
    LoadOptions { normalize_punctuation: !setup.no_normalize, template_dirs: setup.templates.iter().cloned().collect() }
}
