//! `--help` and usage errors in the message language. The help texts in
//! `args.rs` are Chinese; for English they are swapped from [`ENGLISH`].
//! clap's own words (headings, "possible values", its error messages) are
//! English, so in Chinese they are replaced here too.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};

use jianbao::i18n::{self, Lang};

use super::args::Cli;

const EXIT_CODES_ZH: &str = "\
退出状态：
  0   成功
  1   批量处理中有文档未能生成（其余已生成）
  2   数据文件有误
  3   模板有误
  4   字体或配置有误
  5   文件读写失败
  64  命令行用法有误
  70  内部错误（jianbao 的缺陷，请报告）";

const EXIT_CODES_EN: &str = "\
Exit status:
  0   success
  1   a batch finished with documents that failed (the others were written)
  2   data error (the YAML file)
  3   template error
  4   font or config error
  5   a file could not be read or written
  64  wrong command-line usage
  70  internal error (a bug in jianbao: please report it)";

/// English help, by subcommand (`""` for the top level) and argument id;
/// an argument shared by several subcommands is listed once with `"*"`.
const ENGLISH: &[(&str, &str, &str)] = &[
    ("", "", "jianbao: work data (YAML) → official-style PDF and Word documents"),
    ("*", "lang", "Message language: zh (Chinese, default) or en (English)"),
    ("*", "templates", "Folder of templates that override the built-in ones"),
    ("*", "config", "Config file (default: jianbao.toml beside the data file)"),
    ("*", "font_path", "Folder to look for fonts in, before the system's (repeatable)"),
    ("*", "no_normalize", "Keep look-alike punctuation as written (∙ • and half-width , ; : between Chinese)"),
    ("*", "allow_missing_glyphs", "Render even if a character has no font (it prints as a box); warn only"),
    ("*", "verbose", "List the characters only the fallback font draws"),
    ("*", "format", "Formats to write, comma-separated"),
    ("*", "out", "Output folder"),
    ("*", "quiet", "Print neither progress nor the files written (errors and warnings still are)"),
    ("*", "docx_fonts", "Fonts in the DOCX: office names (default), bundled names, or embedded"),
    ("*", "pdf_standard", "PDF standard to conform to: a-2b is PDF/A-2b for archives"),
    ("*", "data", "The data file (YAML)"),
    ("*", "template", "Template name (see `jianbao templates`)"),
    ("render", "", "Render one data file with one template to PDF and DOCX"),
    ("batch", "", "Render many documents: one per branch, or one per data file of a folder"),
    ("batch", "input", "A data file (per-branch templates) or a folder of data files"),
    ("batch", "name", "Output file name pattern (minijinja), e.g. '{{ branch.name }}-{{ period.label }}'"),
    ("batch", "jobs", "Documents rendered at the same time (default: the number of cores)"),
    ("batch", "shard", "Render only the K-th of N equal slices, e.g. 2/4"),
    ("check", "", "Check data, template, fonts and layout without writing any file"),
    ("check", "template", "Template name; when given, also renders the body, lays it out and reports pages"),
    ("watch", "", "Render again whenever the data, a template or the config changes (Ctrl+C ends)"),
    ("init", "", "Create a ready-to-edit project: sample data, config file, copies of the templates"),
    ("init", "dir", "Project folder (default: the current folder)"),
    ("schema", "", "Print the JSON Schema of the data file, for editors' completion and checks"),
    ("schema", "out", "Write to this file (default: print it)"),
    ("templates", "", "List the templates"),
    ("fonts", "", "Which font serves each role, and how much of GB2312 and the General Standard list it covers"),
    ("completions", "", "Print a shell completion script"),
    ("completions", "shell", "The shell"),
    ("*", "help", "Print help"),
    ("", "version", "Print version"),
];

fn english(sub: &str, arg: &str) -> Option<&'static str> {
    ENGLISH
        .iter()
        .find(|(s, a, _)| *s == sub && *a == arg)
        .or_else(|| ENGLISH.iter().find(|(s, a, _)| *s == "*" && *a == arg && !arg.is_empty()))
        .map(|(_, _, text)| *text)
}

/// The command line, with help in the current message language.
pub fn command() -> Command {
    let lang = i18n::lang();
    let root = Cli::command()
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .arg(Arg::new("version").short('V').long("version").action(ArgAction::Version).help(tr_lang(
            lang,
            "显示版本",
            "Print version",
        )))
        .after_help(tr_lang(lang, EXIT_CODES_ZH, EXIT_CODES_EN));
    localize(root, "", lang)
}

fn tr_lang(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn localize(cmd: Command, sub: &str, lang: Lang) -> Command {
    let mut cmd = cmd.disable_help_flag(true).arg(
        Arg::new("help").short('h').long("help").action(ArgAction::Help).help(tr_lang(lang, "显示帮助", "Print help")),
    );
    match lang {
        Lang::En => {
            if let Some(about) = english(sub, "") {
                cmd = cmd.about(about);
            }
            cmd = cmd.mut_args(|a| match english(sub, a.get_id().as_str()) {
                Some(text) => a.help(text),
                None => a,
            });
        }
        Lang::Zh => {
            cmd = cmd
                .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}\n")
                .subcommand_help_heading("命令")
                .mut_args(chinese_arg);
        }
    }
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for name in subs {
        cmd = cmd.mut_subcommand(&name, |s| localize(s, &name, lang));
    }
    cmd
}

/// Chinese headings, and the possible and default values in Chinese
/// words instead of clap's English ones.
fn chinese_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() { "参数" } else { "选项" };
    let mut notes = Vec::new();
    let values: Vec<String> =
        arg.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(|v| v.get_name().to_owned()).collect();
    let takes_value = arg.get_action().takes_values();
    if takes_value && !values.is_empty() {
        notes.push(format!("可选：{}", values.join("、")));
    }
    let defaults: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    let said = arg.get_help().is_some_and(|h| h.to_string().contains("默认"));
    if takes_value && !defaults.is_empty() && !said {
        notes.push(format!("默认：{}", defaults.join(",")));
    }
    let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    let help = if notes.is_empty() { help } else { format!("{help}（{}）", notes.join("；")) };
    let arg = arg.help_heading(heading).help(help);
    if takes_value { arg.hide_possible_values(true).hide_default_value(true) } else { arg }
}

/// A usage error as printed to the user: clap's own text in English, our
/// Chinese one otherwise (with clap's suggestions carried over).
pub fn usage_error(e: &clap::Error) -> String {
    if i18n::lang() == Lang::En {
        return e.render().to_string();
    }
    let ctx = |kind: ContextKind| -> Option<String> {
        match e.get(kind)? {
            ContextValue::String(s) => Some(s.clone()),
            ContextValue::Strings(v) => Some(v.join("、")),
            ContextValue::StyledStr(s) => Some(s.to_string()),
            ContextValue::StyledStrs(v) => Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("、")),
            ContextValue::Number(n) => Some(n.to_string()),
            ContextValue::Bool(b) => Some(b.to_string()),
            ContextValue::None => None,
            _ => None,
        }
    };
    let arg = ctx(ContextKind::InvalidArg).unwrap_or_default();
    let value = ctx(ContextKind::InvalidValue).unwrap_or_default();
    let mut msg = match e.kind() {
        ErrorKind::UnknownArgument => format!("不认识的选项或参数“{arg}”"),
        ErrorKind::InvalidSubcommand => {
            format!("没有“{}”这个命令", ctx(ContextKind::InvalidSubcommand).unwrap_or_default())
        }
        ErrorKind::InvalidValue => match ctx(ContextKind::ValidValue) {
            Some(valid) => format!("{arg} 的值“{value}”不可用，可选：{valid}"),
            None => format!("{arg} 需要一个值"),
        },
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
            format!("{arg} 的值“{value}”不可用：{why}")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "请给出一个命令，如 render、batch、check（jianbao --help 列出全部命令）".to_owned()
        }
        ErrorKind::ArgumentConflict => {
            format!("{arg} 不能与 {} 同时使用", ctx(ContextKind::PriorArg).unwrap_or_default())
        }
        ErrorKind::TooManyValues => format!("{arg} 后多了一个值“{value}”"),
        ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => format!("{arg} 的值的个数不对"),
        ErrorKind::NoEquals => format!("{arg} 需要用 = 连接值"),
        ErrorKind::InvalidUtf8 => "命令行参数不是有效的 UTF-8 文本".to_owned(),
        _ => return format!("命令行用法有误：{}", e.render()),
    };
    if let Some(s) = ctx(ContextKind::SuggestedArg).or_else(|| ctx(ContextKind::SuggestedSubcommand)) {
        msg.push_str(&format!("\n  提示：是不是想写“{s}”？"));
    }
    if let Some(s) = ctx(ContextKind::SuggestedValue) {
        msg.push_str(&format!("\n  提示：是不是想写“{s}”？"));
    }
    let usage =
        ctx(ContextKind::Usage).map(|u| u.replace("Usage: ", "用法：").replace("Usage:", "用法：")).unwrap_or_default();
    let usage = usage.trim();
    if usage.is_empty() {
        format!("错误：{msg}\n\n查看用法：jianbao --help\n")
    } else {
        format!("错误：{msg}\n\n{usage}\n\n查看用法：在命令后加 --help\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_commands(cmd: &Command) -> Vec<Command> {
        let mut out = vec![cmd.clone()];
        for s in cmd.get_subcommands() {
            out.extend(all_commands(s));
        }
        out
    }

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// The message language is process-wide: tests that switch it take turns.
    static LANG_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

    #[test]
    fn every_help_text_has_an_english_translation() {
        let _turn = LANG_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        i18n::set_lang(Lang::En);
        let cmd = command();
        for c in all_commands(&cmd) {
            let about = c.get_about().map(|a| a.to_string()).unwrap_or_default();
            assert!(!has_cjk(&about), "{}: {about}", c.get_name());
            for a in c.get_arguments() {
                let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
                assert!(!help.is_empty() && !has_cjk(&help), "{} {}: {help}", c.get_name(), a.get_id());
            }
        }
        i18n::set_lang(Lang::Zh);
    }

    #[test]
    fn chinese_help_lists_values_and_defaults_in_chinese() {
        let _turn = LANG_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        i18n::set_lang(Lang::Zh);
        let mut cmd = command();
        let render = cmd.find_subcommand_mut("render").unwrap();
        let help = render.render_help().to_string();
        assert!(help.contains("用法：") && help.contains("选项"), "{help}");
        assert!(help.contains("可选：pdf、docx") && help.contains("默认：out"), "{help}");
        assert!(!help.contains("possible values") && !help.contains("Options:"), "{help}");
    }
}
