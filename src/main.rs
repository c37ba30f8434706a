//! The `jianbao` command line: parse arguments, call the library, print
//! diagnostics, exit with the documented status.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use jianbao::error::{Diagnostic, Error};
use jianbao::fonts::{self, Config, DocxFontMode, FontOptions};
use jianbao::i18n::{self, Lang};
use jianbao::model::{self, LoadOptions, Loaded};
use jianbao::render::{Engine, EngineOptions, Formats};
use jianbao::{batch, output, progress, template, tr};

const EXIT_CODES: &str = "\
Exit status / 退出状态:
  0   success / 成功
  1   a batch finished with failed units / 批量处理中有失败的文档
  2   data error (the YAML file) / 数据文件有误
  3   template error / 模板有误
  4   font or config error / 字体或配置有误
  5   file could not be read or written / 文件读写失败
  64  wrong command-line usage / 命令行用法有误
  70  internal error (a bug in jianbao) / 内部错误";

#[derive(Parser)]
#[command(
    name = "jianbao",
    version,
    about = "简报：把工作数据（YAML）排成公文格式的 PDF 和 Word 文档 / YAML → official-style PDF and DOCX",
    after_help = EXIT_CODES
)]
struct Cli {
    /// Message language: zh (default) or en / 提示信息的语言
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

/// How the data is read and which templates and fonts are used.
#[derive(Args, Clone)]
struct Setup {
    /// Folder of templates that override the built-in ones / 自定义模板文件夹
    #[arg(long)]
    templates: Option<PathBuf>,
    /// Config file (default: jianbao.toml beside the data file) / 配置文件
    #[arg(long)]
    config: Option<PathBuf>,
    /// Folder to look for fonts in, before the system's (repeatable) / 字体文件夹（可多次指定）
    #[arg(long = "font-path")]
    font_path: Vec<PathBuf>,
    /// Keep look-alike punctuation as written (∙ • , ; :) / 不自动更正标点
    #[arg(long)]
    no_normalize: bool,
    /// Render even if a character has no font (it prints as a box) / 缺字时照常生成
    #[arg(long)]
    allow_missing_glyphs: bool,
    /// List the characters only the fallback font draws / 列出由后备字体显示的字
    #[arg(short, long)]
    verbose: bool,
}

/// What is written and where.
#[derive(Args, Clone)]
struct Output {
    /// Formats to write, comma-separated / 输出格式
    #[arg(short, long, value_delimiter = ',', default_values = ["pdf", "docx"])]
    format: Vec<FormatArg>,
    /// Output folder / 输出文件夹
    #[arg(short, long, default_value = "out")]
    out: PathBuf,
    /// Fonts in the DOCX: office names (default), bundled names, or embedded / Word 文档中的字体
    #[arg(long, value_enum)]
    docx_fonts: Option<DocxFontsArg>,
}

#[derive(Subcommand)]
enum Command {
    /// Render one data file with one template to PDF and DOCX / 生成一份文档
    Render {
        /// The data file (YAML) / 数据文件
        data: PathBuf,
        /// Template name (see `jianbao templates`) / 模板名
        #[arg(short, long)]
        template: String,
        #[command(flatten)]
        output: Output,
        #[command(flatten)]
        setup: Setup,
    },
    /// Render many documents at once: one per branch, or one per data file of a folder / 批量生成
    Batch {
        /// A data file (per-branch templates) or a folder of data files / 数据文件或文件夹
        input: PathBuf,
        /// Template name / 模板名
        #[arg(short, long)]
        template: String,
        /// Output file name pattern (minijinja), e.g. '{{ branch.name }}-{{ period.label }}' / 输出文件名模式
        #[arg(long)]
        name: Option<String>,
        /// Parallel jobs (default: all cores) / 并行数
        #[arg(short, long)]
        jobs: Option<usize>,
        /// Render only the K-th of N equal slices, e.g. 2/4 / 只生成第 K 份（共 N 份）
        #[arg(long)]
        shard: Option<batch::Shard>,
        /// No progress output / 不显示进度
        #[arg(short, long)]
        quiet: bool,
        #[command(flatten)]
        output: Output,
        #[command(flatten)]
        setup: Setup,
    },
    /// List the templates / 列出模板
    Templates {
        /// Folder of templates that override the built-in ones / 自定义模板文件夹
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// Show which font serves each role, and how much of GB2312 and the 通用规范汉字表 it covers / 字体情况
    Fonts {
        /// Config file / 配置文件
        #[arg(long)]
        config: Option<PathBuf>,
        /// Folder to look for fonts in (repeatable) / 字体文件夹
        #[arg(long = "font-path")]
        font_path: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Pdf,
    Docx,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocxFontsArg {
    Office,
    Bundled,
    Embed,
}

/// Prints a line on stdout; a closed pipe (`jianbao fonts | head`) ends
/// the output quietly instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

fn formats(list: &[FormatArg]) -> Formats {
    Formats { pdf: list.contains(&FormatArg::Pdf), docx: list.contains(&FormatArg::Docx) }
}

fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprint!("{d}");
    }
}

/// The font options from the config file and the command line (which
/// wins: `--font-path` folders come first).
fn font_options(config: &Config, font_path: &[PathBuf]) -> FontOptions {
    let mut paths = font_path.to_vec();
    paths.extend(config.font_paths());
    FontOptions { families: config.role_families(), paths }
}

/// The engine for data at `data` (a file, or a folder's stand-in file).
fn engine(setup: &Setup, output: Option<&Output>, data: &Path) -> Result<Engine, Error> {
    let config = Config::find(setup.config.as_deref(), Some(data))?;
    let docx_fonts = match output.and_then(|o| o.docx_fonts) {
        Some(DocxFontsArg::Office) => DocxFontMode::Office,
        Some(DocxFontsArg::Bundled) => DocxFontMode::Bundled,
        Some(DocxFontsArg::Embed) => DocxFontMode::Embed,
        None => config.docx.fonts.unwrap_or_default(),
    };
    Engine::new(&EngineOptions {
        template_dirs: template::search_dirs(setup.templates.as_deref(), Some(data))?,
        fonts: font_options(&config, &setup.font_path),
        docx_fonts,
        allow_missing_glyphs: setup.allow_missing_glyphs,
        verbose: setup.verbose,
    })
}

fn load(data: &Path, setup: &Setup) -> Result<Loaded, Error> {
    let loaded = model::load(data, LoadOptions { normalize_punctuation: !setup.no_normalize })?;
    print_diagnostics(&loaded.warnings);
    Ok(loaded)
}

fn render(data: &Path, template: &str, output: &Output, setup: &Setup) -> Result<(), Error> {
    let loaded = load(data, setup)?;
    let engine = engine(setup, Some(output), data)?;
    let info = engine.templates.info(template)?;
    if info.front.unit == template::Unit::Branch {
        return Err(Diagnostic::error(
            jianbao::ErrorKind::Template,
            tr!(
                format!("模板“{template}”按支部逐个生成，请用 jianbao batch {} -t {template}", data.display()),
                format!(
                    "the template “{template}” renders one document per branch: use jianbao batch {} -t {template}",
                    data.display()
                )
            ),
        )
        .into());
    }
    print_diagnostics(&engine.check_fonts(&loaded)?);
    let rendered = engine.render(&loaded, template, None, formats(&output.format))?;
    let stem = data.file_stem().and_then(|s| s.to_str()).unwrap_or("report");
    let base = output.out.join(format!("{stem}-{template}"));
    let mut files = Vec::new();
    if let Some(pdf) = &rendered.pdf {
        files.push((base.with_extension("pdf"), pdf.as_slice()));
    }
    if let Some(docx) = &rendered.docx {
        files.push((base.with_extension("docx"), docx.as_slice()));
    }
    output::write_all(&files)?;
    for (path, _) in &files {
        say!("{}", path.display());
    }
    Ok(())
}

fn fonts_report(config: Option<&Path>, font_path: &[PathBuf]) -> Result<(), Error> {
    let config = Config::find(config, None)?;
    let set = fonts::FontSet::load(&font_options(&config, font_path))?;
    let gb = fonts::coverage::gb2312_hanzi();
    let ty = fonts::coverage::tongyong_8105();
    say!(
        "{}",
        tr!(
            "角色    字体（字族）             文件                                      来源      GB2312    通用规范汉字表",
            "role    family                   file                                      origin    GB2312    General Standard"
        )
    );
    for role in fonts::Role::ALL {
        let rf = set.role(role);
        let family = &rf.families[0];
        let face = set.faces_of(family, rf.weight).into_iter().next();
        let covers = |chars: &[char]| {
            chars.iter().filter(|&&c| face.is_some_and(|f| f.font.info().coverage.contains(c as u32))).count()
        };
        let origin = face.map_or("-", |f| match f.origin {
            fonts::Origin::Bundled => tr!("内置", "bundled"),
            fonts::Origin::User => tr!("用户", "user"),
            fonts::Origin::System => tr!("系统", "system"),
        });
        say!(
            "{:<7} {:<24} {:<41} {:<9} {:>4}/{}  {:>4}/{}",
            role.name(),
            family,
            face.map_or("-".to_owned(), |f| f.file.clone()),
            origin,
            covers(&gb),
            gb.len(),
            covers(&ty),
            ty.len()
        );
    }
    say!(
        "{}",
        tr!(
            format!("后备链：各角色字体 → 该角色的内置字体 → {}", fonts::FALLBACK_FAMILY),
            format!("fallback chain: the role's font → the role's bundled font → {}", fonts::FALLBACK_FAMILY)
        )
    );
    Ok(())
}

/// A batch finished with failed units (already reported): exit 1.
struct BatchFailed;

/// What `run` can end with.
enum Failure {
    Error(Error),
    Batch,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Error(e)
    }
}

impl From<BatchFailed> for Failure {
    fn from(_: BatchFailed) -> Failure {
        Failure::Batch
    }
}

fn print_summary(s: &batch::Summary, quiet: bool) {
    if !quiet || !s.failed.is_empty() {
        let rate = if s.seconds > 0.0 { s.rendered as f64 / s.seconds } else { 0.0 };
        eprintln!(
            "{}",
            tr!(
                format!("已生成 {}/{} 份，用时 {:.1} 秒（每秒 {:.0} 份）", s.rendered, s.total, s.seconds, rate),
                format!("rendered {} of {} in {:.1} s ({:.0} per second)", s.rendered, s.total, s.seconds, rate)
            )
        );
    }
    if !s.failed.is_empty() {
        eprintln!("{}", tr!(format!("失败 {} 份：", s.failed.len()), format!("{} failed:", s.failed.len())));
        for (label, diags) in &s.failed {
            for d in diags {
                eprintln!("  {label}: {}", d.one_line());
            }
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Render { data, template, output, setup } => Ok(render(&data, &template, &output, &setup)?),
        Command::Batch { input, template, name, jobs, shard, quiet, output, setup } => {
            let data_hint = if input.is_dir() { input.join("x.yaml") } else { input.clone() };
            let engine = engine(&setup, Some(&output), &data_hint)?;
            let opts = batch::BatchOptions {
                input,
                template,
                out: output.out.clone(),
                formats: formats(&output.format),
                name,
                shard,
                jobs,
                load: LoadOptions { normalize_punctuation: !setup.no_normalize },
            };
            let reporter = progress::Reporter::new(progress::Mode::detect(quiet));
            let summary = batch::run(&engine, &opts, &reporter)?;
            print_summary(&summary, quiet);
            if summary.failed.is_empty() { Ok(()) } else { Err(BatchFailed.into()) }
        }
        Command::Templates { templates } => {
            let t = template::Templates::new(template::search_dirs(templates.as_deref(), None)?);
            for info in t.list() {
                say!("{:<16} {}", info.name, info.front.describe());
            }
            Ok(())
        }
        Command::Fonts { config, font_path } => Ok(fonts_report(config.as_deref(), &font_path)?),
    }
}

fn main() -> ExitCode {
    // The language: --lang, else the locale, else Chinese. Set before clap
    // parses so its own messages can follow.
    let args: Vec<String> = std::env::args().collect();
    let lang_arg = args
        .iter()
        .position(|a| a == "--lang")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
        .or_else(|| args.iter().find_map(|a| a.strip_prefix("--lang=")));
    let lang = match lang_arg {
        Some("en") => Lang::En,
        Some("zh") => Lang::Zh,
        _ => ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|v| std::env::var(v).ok().and_then(|l| i18n::lang_from_locale(&l)))
            .unwrap_or(Lang::Zh),
    };
    i18n::set_lang(lang);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 64 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Batch) => ExitCode::from(1),
        Err(Failure::Error(e)) => {
            eprint!("{e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
