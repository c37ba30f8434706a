//! The command line's shape. Help texts are written in Chinese here (the
//! default language); `help::localize` swaps in the English ones for
//! `--lang en`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use jianbao::batch;

#[derive(Parser)]
#[command(name = "jianbao", version, about = "简报：把工作数据（YAML）排成公文格式的 PDF 和 Word 文档")]
pub struct Cli {
    /// 提示信息的语言：zh（中文，默认）或 en（英文）
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

/// How the data is read and which templates and fonts are used.
#[derive(Args, Clone, Default)]
pub struct Setup {
    /// 自定义模板所在的文件夹（优先于内置模板）
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// 配置文件（默认：数据文件旁的 jianbao.toml）
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// 查找字体的文件夹，先于系统字体（可多次指定）
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_path: Vec<PathBuf>,
    /// 保留原样的标点（不把 ∙ • 和中文之间的半角 , ; : 改为规范标点）
    #[arg(long)]
    pub no_normalize: bool,
    /// 有字所有字体都没有时照常生成（该字印成方框），只给出警告
    #[arg(long)]
    pub allow_missing_glyphs: bool,
    /// 列出只能由后备字体显示的字
    #[arg(short, long)]
    pub verbose: bool,
}

/// What is written and where.
#[derive(Args, Clone)]
pub struct Output {
    /// 输出格式，用逗号分隔
    #[arg(short, long, value_delimiter = ',', default_values = ["pdf", "docx"], value_name = "FORMAT")]
    pub format: Vec<FormatArg>,
    /// 输出文件夹
    #[arg(short, long, default_value = "out", value_name = "DIR")]
    pub out: PathBuf,
    /// 不显示进度和写出的文件名（错误和警告照常显示）
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub document: DocumentOptions,
}

/// Options of the documents themselves (shared by render, batch, check
/// and watch, so `check` checks what `render` would write).
#[derive(Args, Clone, Default)]
pub struct DocumentOptions {
    /// Word 文档中的字体：office 写办公室常用字体名（默认），bundled 写内置字体名，embed 把字体嵌入文档
    #[arg(long, value_enum, value_name = "MODE")]
    pub docx_fonts: Option<DocxFontsArg>,
    /// PDF 遵循的标准：a-2b 为存档用的 PDF/A-2b
    #[arg(long, value_enum, value_name = "STANDARD")]
    pub pdf_standard: Option<PdfStandardArg>,
}

/// One data file rendered with one template (`render`, `watch`).
#[derive(Args)]
pub struct OneDocument {
    /// 数据文件（YAML）
    pub data: PathBuf,
    /// 模板名（jianbao templates 列出全部模板）
    #[arg(short, long)]
    pub template: String,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub setup: Setup,
}

#[derive(Subcommand)]
pub enum Command {
    /// 用一个模板把一份数据文件生成 PDF 和 Word 文档
    Render(OneDocument),
    /// 批量生成：每个支部一份，或文件夹中每个数据文件一份
    Batch {
        /// 数据文件（按支部生成的模板）或数据文件所在的文件夹
        input: PathBuf,
        /// 模板名
        #[arg(short, long)]
        template: String,
        /// 输出文件名的格式（minijinja），如 '{{ branch.name }}-{{ period.label }}'
        #[arg(long, value_name = "PATTERN")]
        name: Option<String>,
        /// 同时生成的份数（默认：处理器核数）
        #[arg(short, long, value_name = "N")]
        jobs: Option<usize>,
        /// 只生成 N 等份中的第 K 份，如 2/4
        #[arg(long, value_name = "K/N")]
        shard: Option<batch::Shard>,
        #[command(flatten)]
        output: Output,
        #[command(flatten)]
        setup: Setup,
    },
    /// 检查数据、模板、字体和排版，不写任何文件
    Check {
        /// 数据文件（YAML）
        data: PathBuf,
        /// 模板名；给出时还检查正文生成和排版，并报告页数
        #[arg(short, long)]
        template: Option<String>,
        #[command(flatten)]
        document: DocumentOptions,
        #[command(flatten)]
        setup: Setup,
    },
    /// 数据、模板或配置一改就重新生成（Ctrl+C 结束）
    Watch(OneDocument),
    /// 新建一个可直接修改的项目：示例数据、配置文件和模板副本
    Init {
        /// 项目文件夹（默认：当前文件夹）
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// 输出数据文件的 JSON Schema，供编辑器补全和检查字段
    Schema {
        /// 写入此文件（默认：输出到屏幕）
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// 列出模板
    Templates {
        /// 自定义模板所在的文件夹
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
    },
    /// 各角色使用的字体，及其对 GB2312 和《通用规范汉字表》的覆盖
    Fonts {
        /// 配置文件
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// 查找字体的文件夹（可多次指定）
        #[arg(long = "font-path", value_name = "DIR")]
        font_path: Vec<PathBuf>,
    },
    /// 输出命令行补全脚本
    Completions {
        /// 命令行程序
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Pdf,
    Docx,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocxFontsArg {
    Office,
    Bundled,
    Embed,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PdfStandardArg {
    #[value(name = "a-2b")]
    A2b,
}
