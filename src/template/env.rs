//! The minijinja environment: loader with overrides, markup autoescape,
//! filters, and the limits that stop a runaway template.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

use super::{BUILTIN, EXTENSION, FrontMatter, TemplateInfo, filters, is_safe_name, read_in_folder};
use crate::doc::markup;
use crate::error::{Diagnostic, Error, ErrorKind, SourcePos};
use crate::tr;

/// Instructions a template may execute per render. A real report template
/// uses a few thousand; a loop that never ends is stopped well within a
/// second.
pub const FUEL: u64 = 2_000_000;
/// How deep macros and includes may nest.
pub const RECURSION_LIMIT: usize = 64;

/// The name autoescape uses for the body markup.
const MARKUP_ESCAPE: &str = "jianbao-markup";

/// Where a template file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateSource {
    Builtin,
    File(PathBuf),
}

/// Finds a template file: override folders first, then the built-ins.
#[derive(Debug, Clone, Default)]
struct Finder {
    dirs: Vec<PathBuf>,
}

/// A template file that exists but lies (through a link) outside its
/// folder: refused, never read.
#[derive(Debug, Clone)]
struct Outside {
    /// The name as written in the folder (`templates/x.j2`).
    link: PathBuf,
    /// Where it really is.
    real: PathBuf,
}

impl Finder {
    /// The template `file` (a plain file name: `is_safe_name` rejects
    /// folders, `..` and absolute names) from the first override folder
    /// that has it, else the built-in of that name.
    fn find(&self, file: &str) -> Result<Option<(String, TemplateSource)>, Outside> {
        if !is_safe_name(file) {
            return Ok(None);
        }
        for dir in &self.dirs {
            match read_in_folder(dir, file) {
                Ok(Some(text)) => return Ok(Some((text, TemplateSource::File(dir.join(file))))),
                Ok(None) => {}
                Err(real) => return Err(Outside { link: dir.join(file), real }),
            }
        }
        Ok(BUILTIN.iter().find(|(n, _)| *n == file).map(|(_, src)| (src.to_string(), TemplateSource::Builtin)))
    }
}

/// The marker that tells [`Templates::error`] a template file was refused
/// for lying outside its folder; the link and the real path follow,
/// separated by [`OUTSIDE_SEP`].
const OUTSIDE_FOLDER: &str = "jianbao-outside-folder:";
const OUTSIDE_SEP: &str = "\u{1F}";

/// The diagnostic for a template file outside its folder.
fn outside_error(link: &Path, real: &Path, pos: Option<SourcePos>) -> Diagnostic {
    let pos = pos.or_else(|| Some(SourcePos { file: link.to_owned(), line: 1, column: 1, line_text: None }));
    Diagnostic::error(
        ErrorKind::Template,
        tr!(
            format!("模板文件 {} 指向模板文件夹之外（{}），不会读取", link.display(), real.display()),
            format!(
                "the template file {} points outside the template folder ({}); it is not read",
                link.display(),
                real.display()
            )
        ),
    )
    .at(pos)
    .help(tr!(
        "模板只能引用模板文件夹中的文件或内置模板：把文件复制到模板文件夹中，不要用链接",
        "templates can only use files in their folder or built-ins: copy the file into the folder instead of linking it"
    ))
}

/// The loaded template set. Built once per process and shared by threads.
pub struct Templates {
    env: Environment<'static>,
    finder: Arc<Finder>,
}

impl Templates {
    /// A template set reading overrides from `dirs` (in priority order).
    pub fn new(dirs: Vec<PathBuf>) -> Templates {
        let finder = Arc::new(Finder { dirs });
        let mut env = Environment::new();
        let f = finder.clone();
        // Templates can only name files in their folders or the built-ins:
        // `is_safe_name` rejects paths and `read_in_folder` links that
        // lead out, so nothing outside can be read.
        env.set_loader(move |name| match f.find(name) {
            Ok(found) => Ok(found.map(|(text, _)| text)),
            Err(o) => Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("{OUTSIDE_FOLDER}{}{OUTSIDE_SEP}{}", o.link.display(), o.real.display()),
            )),
        });
        env.set_auto_escape_callback(|_| AutoEscape::Custom(MARKUP_ESCAPE.into()));
        env.set_formatter(|out, state, value| {
            if value.is_safe() || !matches!(state.auto_escape(), AutoEscape::Custom(n) if n == MARKUP_ESCAPE) {
                return minijinja::escape_formatter(out, state, value);
            }
            if value.is_undefined() || value.is_none() {
                return Ok(());
            }
            let text = match value.as_str() {
                Some(s) => markup::escape(s),
                None => markup::escape(&value.to_string()),
            };
            out.write_str(&text).map_err(minijinja::Error::from)
        });
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.set_fuel(Some(FUEL));
        env.set_recursion_limit(RECURSION_LIMIT);
        env.set_debug(true);
        filters::register(&mut env);
        env.add_function("require", require);
        Templates { env, finder }
    }

    /// The template `name` (without extension): where it is and its front
    /// matter.
    pub fn info(&self, name: &str) -> Result<TemplateInfo, Error> {
        let file = format!("{name}.{EXTENSION}");
        let found = self.finder.find(&file).map_err(|o| Error::from(outside_error(&o.link, &o.real, None)))?;
        let Some((text, source)) = found else {
            let names: Vec<String> = self.names();
            let mut d = Diagnostic::error(
                ErrorKind::Template,
                tr!(format!("没有名为“{name}”的模板"), format!("there is no template named “{name}”")),
            )
            .help(tr!(format!("可用的模板：{}", names.join("、")), format!("templates: {}", names.join(", "))));
            if let Some(best) = crate::model::suggest(name, names.iter().map(String::as_str)) {
                d = d.help(tr!(
                    format!("是不是“{best}”？可用的模板：{}", names.join("、")),
                    format!("did you mean “{best}”? templates: {}", names.join(", "))
                ));
            }
            return Err(d.into());
        };
        let front = FrontMatter::parse(&text).map_err(|(message, offset)| {
            let (line, column) = crate::model::source::line_col(&text, offset);
            let mut pos = source_pos(&source, &file, &text, line);
            pos.column = column;
            Error::from(
                Diagnostic::error(
                    ErrorKind::Template,
                    tr!(
                        format!("模板开头的说明（TOML）有误：{}", crate::i18n::toml_message_zh(&message)),
                        format!("the template's front matter (TOML) is invalid: {message}")
                    ),
                )
                .at(Some(pos))
                .help(tr!(
                    "可写 description、description_en 和 unit（report 或 branch）",
                    "it may set description, description_en and unit (report or branch)"
                )),
            )
        })?;
        Ok(TemplateInfo { name: name.to_owned(), source, front })
    }

    /// Every template: built-ins and those in the override folders.
    /// Every template, each with its description or what is wrong with it
    /// (a broken template is listed, not left out).
    pub fn list(&self) -> Vec<(String, Result<TemplateInfo, Error>)> {
        self.names().into_iter().map(|n| (n.clone(), self.info(&n))).collect()
    }

    /// The names of the templates (built-in and from the folders), sorted.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = BUILTIN
            .iter()
            .map(|(n, _)| n.to_string())
            .chain(self.finder.dirs.iter().flat_map(|d| {
                std::fs::read_dir(d).into_iter().flatten().flatten().filter_map(|e| e.file_name().into_string().ok())
            }))
            .filter(|n| n.ends_with(&format!(".{EXTENSION}")) && !n.starts_with('_'))
            .map(|n| n.trim_end_matches(&format!(".{EXTENSION}")).to_owned())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Renders template `name` with `ctx` into body markup.
    pub fn render(&self, name: &str, ctx: &Value) -> Result<String, Error> {
        let file = format!("{name}.{EXTENSION}");
        let tmpl = self.env.get_template(&file).map_err(|e| self.error(&e))?;
        tmpl.render(ctx).map_err(|e| self.error(&e))
    }

    /// Renders a one-line template string (output file names).
    pub fn render_str(&self, source: &str, ctx: &Value) -> Result<String, minijinja::Error> {
        // Plain text, not markup: no escaping here; the caller sanitises.
        let mut env = Environment::new();
        filters::register(&mut env);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(FUEL));
        env.render_str(source, ctx)
    }

    /// A diagnostic for a minijinja error: template file, line, what
    /// happened and, for the usual mistakes, what to do.
    fn error(&self, outer: &minijinja::Error) -> Error {
        use minijinja::ErrorKind as K;
        // An error inside an included or imported template arrives wrapped:
        // the innermost error that knows its place is the one to show.
        let mut e = outer;
        let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(outer);
        while let Some(c) = cause {
            if let Some(inner) = c.downcast_ref::<minijinja::Error>()
                && (inner.name().is_some() || inner.line().is_some())
            {
                e = inner;
            }
            cause = c.source();
        }
        let file = e.name().unwrap_or("?").to_owned();
        let detail = e.detail().map(str::to_owned).unwrap_or_else(|| e.kind().to_string());
        let source = self.finder.find(&file).ok().flatten();
        let pos = match (&source, e.line()) {
            (Some((text, src)), Some(line)) => {
                let mut pos = source_pos(src, &file, text, line);
                // The column of the offending expression, where minijinja
                // gives its byte range.
                if let Some(r) = e.range()
                    && let Some(before) = text.get(..r.start)
                    && before.matches('\n').count() + 1 == line
                {
                    pos.column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                }
                Some(pos)
            }
            _ => None,
        };
        if let Some((link, real)) = detail.split(OUTSIDE_FOLDER).nth(1).and_then(|r| r.split_once(OUTSIDE_SEP)) {
            return outside_error(Path::new(link), Path::new(real), pos).into();
        }
        if let Some(field) = detail.split(MISSING_DATA).nth(1) {
            let field = field.trim();
            let template = file.trim_end_matches(".j2");
            return Diagnostic::error(
                ErrorKind::Data,
                tr!(
                    format!("模板“{template}”需要数据中的 {field}，数据文件里没有"),
                    format!("the template “{template}” needs `{field}` in the data, and the data file has none")
                ),
            )
            .field(field)
            .help(tr!(
                format!("在数据文件中加上 {field}（字段说明见 jianbao schema 或用户手册）"),
                format!("add `{field}` to the data file (see jianbao schema or the user guide)")
            ))
            .into();
        }
        let (message, help) = match e.kind() {
            K::OutOfFuel => (
                tr!(
                    "模板运行超出限制，已停止：可能有死循环或过大的循环".to_string(),
                    "the template ran too long and was stopped: an endless or huge loop?".to_string()
                ),
                Some(String::from(tr!(
                    "检查模板中的 for 循环和宏递归",
                    "check the template's for loops and recursive macros"
                ))),
            ),
            K::InvalidOperation if detail.contains("recursion") => (
                tr!(
                    format!("模板递归太深（超过 {RECURSION_LIMIT} 层），已停止"),
                    format!("the template recursed more than {RECURSION_LIMIT} levels and was stopped")
                ),
                Some(String::from(tr!(
                    "检查宏或 include 是否调用了自己",
                    "check for a macro or include that calls itself"
                ))),
            ),
            K::UndefinedError => (
                tr!(format!("模板用了未定义的值：{detail}"), format!("the template uses an undefined value: {detail}")),
                Some(String::from(tr!(
                    "可选字段先用 {% if 字段 %} 判断；字段名见 jianbao schema",
                    "test optional fields with {% if field %} first; field names: jianbao schema"
                ))),
            ),
            K::SyntaxError => {
                (tr!(format!("模板语法错误：{detail}"), format!("template syntax error: {detail}")), None)
            }
            K::TemplateNotFound => (
                tr!(format!("找不到模板文件：{detail}"), format!("template file not found: {detail}")),
                Some(String::from(tr!(
                    "模板只能引用同一文件夹中的文件或内置模板",
                    "templates can only include files in their folder or built-ins"
                ))),
            ),
            K::UnknownFilter | K::UnknownFunction | K::UnknownTest | K::UnknownMethod => (
                tr!(format!("模板用了不存在的过滤器或函数：{detail}"), format!("unknown filter or function: {detail}")),
                Some(tr!(
                    format!(
                        "jianbao 的过滤器：{}；函数：require，以及 minijinja 自带的 range、dict 等",
                        filters::NAMES.join(" ")
                    ),
                    format!(
                        "jianbao filters: {}; functions: require, and minijinja's range, dict, …",
                        filters::NAMES.join(" ")
                    )
                )),
            ),
            K::InvalidOperation if detail.contains("range") => (
                tr!(format!("模板出错：{detail}"), format!("template error: {detail}")),
                Some(String::from(tr!(
                    "range 最多 100000 项：请直接遍历数据（如 {% for a in activities %}）",
                    "range is limited to 100 000 items: loop over the data instead (e.g. {% for a in activities %})"
                ))),
            ),
            _ => (tr!(format!("模板出错：{detail}"), format!("template error: {detail}")), None),
        };
        let mut d = Diagnostic::error(ErrorKind::Template, message).at(pos);
        if let Some(h) = help {
            d = d.help(h);
        }
        d.into()
    }
}

/// The marker that tells [`Templates::error`] a `require` failed: the data
/// lacks something the template needs — a data error, not a template one.
const MISSING_DATA: &str = "jianbao-missing-data:";

/// `{{ require("bulletin") }}`: fails with a data error when the data has
/// no (or an empty) top-level field of that name; prints nothing.
fn require(state: &minijinja::State, field: String) -> Result<String, minijinja::Error> {
    match state.lookup(&field) {
        Some(v) if !v.is_undefined() && !v.is_none() && v.is_true() => Ok(String::new()),
        _ => Err(minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, format!("{MISSING_DATA}{field}"))),
    }
}

/// Position in a template file; built-ins are named as in the repository.
fn source_pos(source: &TemplateSource, file: &str, text: &str, line: usize) -> SourcePos {
    let path = match source {
        TemplateSource::File(p) => p.clone(),
        TemplateSource::Builtin => Path::new("templates").join(file),
    };
    SourcePos::new(&path, text, line, 1)
}
