//! YAML → [`Report`]: parse, turn every problem into a message that points
//! at the user's file, normalise text, validate.

use std::path::{Path, PathBuf};

use super::images::{self, Images};
use super::locate::Locator;
use super::messages::{self, Problem};
use super::normalize;
use super::source::{self, SourceFile};
use super::types::Report;
use super::{suggest, validate};
use crate::error::{Diagnostic, Error, ErrorKind, SourcePos};
use crate::tr;

/// Options for loading a data file.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Normalise look-alike punctuation (`--no-normalize` turns it off).
    pub normalize_punctuation: bool,
    /// Folders besides the data file's own that pictures (`images:`) may
    /// come from: the template folders (`--templates DIR`).
    pub template_dirs: Vec<PathBuf>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { normalize_punctuation: true, template_dirs: Vec::new() }
    }
}

/// A loaded, validated report with the file it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub report: Report,
    pub source: SourceFile,
    /// Warnings from reading, normalising and validating.
    pub warnings: Vec<Diagnostic>,
    /// The pictures the data names, read and checked once (see
    /// [`images`](super::images)).
    pub images: Images,
    /// The report-wide part of the template context, built on first use
    /// and shared by every unit of the file.
    template_base: std::sync::OnceLock<minijinja::Value>,
}

impl Loaded {
    /// The report's fields, figures and metrics as templates see them
    /// (see [`crate::template::context::report_part`]), built once.
    pub fn template_base(&self) -> &minijinja::Value {
        self.template_base.get_or_init(|| crate::template::context::report_part(&self.report))
    }
}

/// Reads and validates the data file at `path`.
pub fn load(path: &Path, opts: LoadOptions) -> Result<Loaded, Error> {
    parse(source::read(path)?, opts)
}

/// Parses and validates a data file already read.
pub fn parse(source: SourceFile, opts: LoadOptions) -> Result<Loaded, Error> {
    let loc = Locator::new(&source);
    if source.text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    }) {
        return Err(Diagnostic::error(ErrorKind::Data, tr!("数据文件是空的", "the data file is empty"))
            .at(Some(loc.at(1, 1)))
            .help(tr!(
                "至少需要 organization.name 和 period.label；用 jianbao init 生成一份示例",
                "at least organization.name and period.label are needed; jianbao init writes a sample"
            ))
            .into());
    }
    let de = serde_norway::Deserializer::from_str(&source.text);
    let report: Report = match serde_path_to_error::deserialize(de) {
        Ok(r) => r,
        Err(e) => {
            let path = e.path().to_string();
            // A key written with a full-width colon (Chinese input methods
            // type `：`) confuses the parser far from the cause: name it.
            // (Only one at or before where the parser gave up.)
            let parsed = yaml_error(e.into_inner(), &path, &loc);
            let gave_up = parsed.pos.as_ref().map_or(usize::MAX, |p| p.line);
            let first = match full_width_colon_key(&source.text) {
                Some((line, column)) if line <= gave_up => full_width_colon_error(&loc, line, column),
                _ => parsed,
            };
            // What reading the file had to say (GBK, control characters)
            // still matters when the data is wrong.
            let mut diagnostics = vec![first];
            diagnostics.extend(source.warnings.iter().cloned());
            return Err(Error { diagnostics });
        }
    };

    // Normalise every string once, through the report's JSON form (so no
    // struct needs a hand-written walk), then validate the result.
    let mut warnings = source.warnings.clone();
    let mut json = serde_json::to_value(&report).map_err(|e| Error::internal(e.to_string()))?;
    let before = warnings.len();
    normalize::normalize_json(&mut json, &mut String::new(), opts.normalize_punctuation, &loc, &mut warnings);
    let report = if warnings.len() > before {
        serde_json::from_value(json).map_err(|e| Error::internal(e.to_string()))?
    } else {
        report
    };
    let findings = validate::validate(&report, &loc);
    warnings.extend(findings.warnings);
    let mut errors = findings.errors;
    let (images, image_errors) = images::load(&report, &source.path, &opts.template_dirs, &loc);
    errors.extend(image_errors);
    if !errors.is_empty() {
        let mut diagnostics = errors;
        diagnostics.extend(warnings);
        return Err(Error { diagnostics });
    }
    drop(loc);
    Ok(Loaded { report, source, warnings, images, template_base: std::sync::OnceLock::new() })
}

/// The first line whose key ends with a full-width colon (`name： 某某`,
/// `- title：…`): its line and the colon's column. Only keys that look like
/// field names (ASCII letters, digits, `_`) count, so a colon inside a
/// Chinese value is never taken for one.
fn full_width_colon_key(text: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let body = line.trim_start();
        let body = body.strip_prefix("- ").map(str::trim_start).unwrap_or(body);
        let indent = line.chars().count() - body.chars().count();
        let key_len = body.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').count();
        let rest = body.chars().skip(key_len).skip_while(|c| *c == ' ').collect::<String>();
        let spaces = body.chars().skip(key_len).take_while(|c| *c == ' ').count();
        (key_len > 0 && !body.starts_with('#') && rest.starts_with('：'))
            .then_some((i + 1, indent + key_len + spaces + 1))
    })
}

fn full_width_colon_error(loc: &Locator, line: usize, column: usize) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::Data,
        tr!("字段名后用了全角冒号“：”", "the field name is followed by a full-width colon “：”"),
    )
    .at(Some(loc.at(line, column)))
    .help(tr!(
        "字段名后要用半角（英文）冒号加空格，如 title: 标题；切换到英文输入法再输入冒号",
        "use a half-width (ASCII) colon and a space after a field name, as in title: 标题"
    ))
}

/// serde_norway writes `path: message at line L column C`, and for syntax
/// errors `, while parsing … at line L column C` after it; the message
/// alone is what we translate. Also returns the context's position (where
/// the construct that went wrong began: an unclosed `[` or `{`).
fn bare_message(e: &serde_norway::Error) -> (String, Option<(usize, usize)>) {
    let mut msg = e.to_string();
    let mut context = None;
    if let Some(i) = msg.find(", while parsing ") {
        let ctx = &msg[i..];
        let nums: Vec<usize> = ctx
            .rsplit(" at line ")
            .next()
            .unwrap_or("")
            .split(" column ")
            .filter_map(|n| n.trim().parse().ok())
            .collect();
        if let [line, col] = nums[..] {
            context = Some((line, col));
        }
        msg.truncate(i);
    }
    if let Some(l) = e.location() {
        let suffix = format!(" at line {} column {}", l.line(), l.column());
        if let Some(cut) = msg.find(&suffix) {
            msg.truncate(cut);
        }
    }
    (msg, context)
}

/// The position libyaml gives as a byte offset (`… at position 97`).
fn byte_position(msg: &str, text: &str) -> Option<(usize, usize)> {
    let n: usize = msg.rsplit("at position ").next()?.trim().parse().ok()?;
    msg.contains("at position ").then(|| super::source::line_col(text, n))
}

/// One diagnostic for a YAML parse or type error.
fn yaml_error(e: serde_norway::Error, path: &str, loc: &Locator) -> Diagnostic {
    let path = if path == "." || path == "?" { "" } else { path };
    let (raw, context) = bare_message(&e);
    // serde_norway prefixes its own path (`a.b: …`); drop it, we have ours.
    let msg = match raw.split_once(": ") {
        Some((p, rest)) if !p.contains(' ') && !p.is_empty() => rest.to_owned(),
        _ => raw.clone(),
    };
    let pos: Option<SourcePos> = e
        .location()
        .map(|l| loc.at(l.line(), l.column()))
        .or_else(|| byte_position(&msg, &loc.source().text).map(|(l, c)| loc.at(l, c)));
    let line_text = pos.as_ref().and_then(|p| p.line_text.clone());

    match messages::classify(&msg) {
        Problem::UnknownField { name, .. } if name == "<<" => Diagnostic::error(
            ErrorKind::Data,
            tr!("不支持 YAML 合并键“<<”", "YAML merge keys (`<<`) are not supported"),
        )
        .at(pos.clone().or_else(|| loc.key(&join(path, "<<"))))
        .field(path)
        .help(tr!("把要合并的字段逐个写出来", "write the fields out one by one")),
        Problem::UnknownField { name, expected } => {
            let parent = path.rsplit_once('.').map(|(p, _)| p).unwrap_or("");
            let field_path = if path.ends_with(&name) { path.to_owned() } else { join(path, &name) };
            let suggestion = suggest(&name, expected.iter().map(String::as_str));
            let list = expected.join(", ");
            let help = match suggestion {
                Some(s) => tr!(
                    format!("是不是“{s}”？这里可用的字段：{list}"),
                    format!("did you mean `{s}`? fields here: {list}")
                ),
                None => tr!(format!("这里可用的字段：{list}"), format!("fields here: {list}")),
            };
            let _ = parent;
            Diagnostic::error(ErrorKind::Data, tr!(format!("未知字段“{name}”"), format!("unknown field `{name}`")))
                .at(pos.clone().or_else(|| loc.key(&field_path)))
                .field(field_path)
                .help(help)
        }
        Problem::MissingField(name) => {
            let field_path = join(path, &name);
            Diagnostic::error(
                ErrorKind::Data,
                tr!(format!("缺少必填字段“{name}”"), format!("the required field `{name}` is missing")),
            )
            .at(loc.key(path).or(pos.clone()))
            .field(field_path)
            .help(tr!(format!("在这里加上 {name}: …"), format!("add `{name}: …` here")))
        }
        Problem::DuplicateField(name) => Diagnostic::error(
            ErrorKind::Data,
            tr!(format!("字段“{name}”写了两次"), format!("the field `{name}` appears twice")),
        )
        // The index keeps the last occurrence of a key: the duplicate.
        .at(loc.key(&join(path, &name)).or(pos.clone()))
        .field(join(path, &name))
        .help(tr!("删除或合并重复的一项", "delete or merge one of them")),
        Problem::InvalidType { found, .. } if found == "unit value" => {
            Diagnostic::error(ErrorKind::Data, tr!("这一项是空的", "this field is empty"))
                .at(loc.key(path).or(pos.clone()))
                .field(path)
                .help(tr!("在冒号后填写内容，或删除这一行", "write a value after the colon, or delete the line"))
        }
        Problem::InvalidType { found, expected } => Diagnostic::error(
            ErrorKind::Data,
            tr!(
                format!(
                    "类型不对：这里应是{}，写的是{}",
                    messages::expected_words(&expected),
                    messages::found_words(&found)
                ),
                format!(
                    "wrong type: expected {}, found {}",
                    messages::expected_words(&expected),
                    messages::found_words(&found)
                )
            ),
        )
        .at(pos.clone().or_else(|| loc.value(path)))
        .field(path)
        .help(messages::type_help(&expected, &found)),
        Problem::Other(m) if messages::is_syntax(&m) => {
            // A syntax error from the YAML parser: no field to name. An
            // unclosed quote is reported by the parser where the next quote
            // is, often lines later: point at the quote that opened it.
            if let Some((line, col)) = pos.as_ref().and_then(|p| unclosed_quote(&loc.source().text, p.line)) {
                return Diagnostic::error(ErrorKind::Data, tr!("引号没有闭合", "a quote is not closed"))
                    .at(Some(loc.at(line, col)))
                    .help(tr!(
                        "在这个值的末尾补上对应的引号，或去掉开头的引号",
                        "add the closing quote at the end of this value, or remove the opening one"
                    ));
            }
            let (message, help) = messages::syntax_words(&m, line_text.as_deref());
            // An unclosed `[` or `{` is reported at the end of the file;
            // the construct's start is what to fix.
            let unclosed = m.contains("did not find expected ',' or") || m.contains("unexpected end of stream");
            let at = match (unclosed, context) {
                (true, Some((l, c))) => Some(loc.at(l, c)),
                _ => pos.clone(),
            };
            let mut d = Diagnostic::error(ErrorKind::Data, message).at(at);
            if let Some(h) = help {
                d = d.help(h);
            }
            d
        }
        Problem::Other(m) => {
            Diagnostic::error(ErrorKind::Data, m).at(pos.clone().or_else(|| loc.value(path))).field(path)
        }
    }
}

/// The first line up to `error_line` whose value opens a quote that the
/// line does not close (1-based line and column of the quote).
fn unclosed_quote(text: &str, error_line: usize) -> Option<(usize, usize)> {
    for (i, line) in text.lines().take(error_line).enumerate() {
        let body = line.trim_start();
        let body = body.strip_prefix("- ").unwrap_or(body);
        // The value after `key: `, or the whole item.
        let value = match body.find(": ") {
            Some(k) if !body.starts_with(['"', '\'']) => body[k + 2..].trim_start(),
            _ => body,
        };
        let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let rest = &value[1..];
        let closed = if q == '"' {
            let mut escaped = false;
            rest.chars().any(|c| {
                let end = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                end
            })
        } else {
            // In single quotes '' is an escaped quote.
            rest.replace("''", "").contains('\'')
        };
        if !closed {
            let col = line.len() - value.len();
            return Some((i + 1, line[..col].chars().count() + 1));
        }
    }
    None
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() { child.to_owned() } else { format!("{parent}.{child}") }
}
