//! The `jianbao` command line: parse arguments, call the library, print
//! diagnostics, exit with the documented status.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use jianbao::error::{Diagnostic, Error};
use jianbao::i18n::{self, Lang};
use jianbao::model::{self, LoadOptions};
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
#[command(name = "jianbao", version, about = "简报：把工作数据（YAML）排成公文格式的 PDF 和 Word 文档 / YAML → official-style PDF and DOCX", after_help = EXIT_CODES)]
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

#[derive(Subcommand)]
enum Command {
    /// Render one data file with one template to PDF and DOCX / 生成一份文档
    Render {
        /// The data file (YAML) / 数据文件
        data: PathBuf,
        /// Template name (see `jianbao templates`) / 模板名
        #[arg(short, long)]
        template: String,
        /// Formats to write, comma-separated / 输出格式
        #[arg(short, long, value_delimiter = ',', default_values = ["pdf", "docx"])]
        format: Vec<FormatArg>,
        /// Output folder / 输出文件夹
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        /// Folder of templates that override the built-in ones / 自定义模板文件夹
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Keep look-alike punctuation as written (∙ • , ; :) / 不自动更正标点
        #[arg(long)]
        no_normalize: bool,
    },
    /// Render many documents at once: one per branch, or one per data file of a folder / 批量生成
    Batch {
        /// A data file (per-branch templates) or a folder of data files / 数据文件或文件夹
        input: PathBuf,
        /// Template name / 模板名
        #[arg(short, long)]
        template: String,
        /// Formats to write, comma-separated / 输出格式
        #[arg(short, long, value_delimiter = ',', default_values = ["pdf", "docx"])]
        format: Vec<FormatArg>,
        /// Output folder / 输出文件夹
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
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
        /// Folder of templates that override the built-in ones / 自定义模板文件夹
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Keep look-alike punctuation as written / 不自动更正标点
        #[arg(long)]
        no_normalize: bool,
    },
    /// List the templates / 列出模板
    Templates {
        /// Folder of templates that override the built-in ones / 自定义模板文件夹
        #[arg(long)]
        templates: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Pdf,
    Docx,
}

fn formats(list: &[FormatArg]) -> Formats {
    Formats { pdf: list.contains(&FormatArg::Pdf), docx: list.contains(&FormatArg::Docx) }
}

fn print_warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        eprint!("{w}");
    }
}

fn render(
    data: &Path,
    template: &str,
    format: &[FormatArg],
    out: &Path,
    templates: Option<&Path>,
    no_normalize: bool,
) -> Result<(), Error> {
    let loaded = model::load(data, LoadOptions { normalize_punctuation: !no_normalize })?;
    print_warnings(&loaded.warnings);
    let engine = Engine::new(&EngineOptions { template_dirs: template::search_dirs(templates, Some(data))? })?;
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
    let rendered = engine.render(&loaded, template, None, formats(format))?;
    let stem = data.file_stem().and_then(|s| s.to_str()).unwrap_or("report");
    let base = out.join(format!("{stem}-{template}"));
    let mut files = Vec::new();
    if let Some(pdf) = &rendered.pdf {
        files.push((base.with_extension("pdf"), pdf.as_slice()));
    }
    if let Some(docx) = &rendered.docx {
        files.push((base.with_extension("docx"), docx.as_slice()));
    }
    output::write_all(&files)?;
    for (path, _) in &files {
        println!("{}", path.display());
    }
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
        Command::Render { data, template, format, out, templates, no_normalize } => {
            Ok(render(&data, &template, &format, &out, templates.as_deref(), no_normalize)?)
        }
        Command::Batch { input, template, format, out, name, jobs, shard, quiet, templates, no_normalize } => {
            let data_hint = if input.is_dir() { input.join("x.yaml") } else { input.clone() };
            let engine = Engine::new(&EngineOptions {
                template_dirs: template::search_dirs(templates.as_deref(), Some(&data_hint))?,
            })?;
            let opts = batch::BatchOptions {
                input,
                template,
                out,
                formats: formats(&format),
                name,
                shard,
                jobs,
                load: LoadOptions { normalize_punctuation: !no_normalize },
            };
            let reporter = progress::Reporter::new(progress::Mode::detect(quiet));
            let summary = batch::run(&engine, &opts, &reporter)?;
            print_summary(&summary, quiet);
            if summary.failed.is_empty() { Ok(()) } else { Err(BatchFailed.into()) }
        }
        Command::Templates { templates } => {
            let t = template::Templates::new(template::search_dirs(templates.as_deref(), None)?);
            for info in t.list() {
                println!("{:<16} {}", info.name, info.front.describe());
            }
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    // The language: --lang, else the locale, else Chinese. Set before clap
    // parses so its own messages can follow.
    let args: Vec<String> = std::env::args().collect();
    let lang_arg = args.iter().position(|a| a == "--lang").and_then(|i| args.get(i + 1)).map(String::as_str);
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
