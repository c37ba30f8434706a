//! serde's and libyaml's English messages, turned into messages an office
//! worker can act on, in the message language.
//!
//! serde reports problems only as formatted strings; the formats below are
//! serde's own (`serde::de::Error` default methods) and libyaml's, stable
//! for years. Anything unrecognised is passed through unchanged.

use crate::tr;

/// A data problem, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `unknown field `titel`, expected one of `title`, `text``
    UnknownField { name: String, expected: Vec<String> },
    /// `missing field `name``
    MissingField(String),
    /// `duplicate field `title`` / duplicate mapping key
    DuplicateField(String),
    /// `invalid type: string "很多", expected u32`
    InvalidType { found: String, expected: String },
    /// Anything else (our own messages are already in the user's language).
    Other(String),
}

/// The names inside backticks in `s`, in order.
fn backticked(s: &str) -> Vec<String> {
    s.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

/// Classifies a serde message (without location).
pub fn classify(msg: &str) -> Problem {
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let names = backticked(rest);
        if let Some((name, expected)) = names.split_first() {
            return Problem::UnknownField { name: name.clone(), expected: expected.to_vec() };
        }
    }
    if let Some(rest) = msg.strip_prefix("missing field ")
        && let Some(name) = backticked(rest).into_iter().next()
    {
        return Problem::MissingField(name);
    }
    if let Some(rest) = msg.strip_prefix("duplicate field ")
        && let Some(name) = backticked(rest).into_iter().next()
    {
        return Problem::DuplicateField(name);
    }
    if let Some(rest) = msg.strip_prefix("duplicate entry with key ") {
        return Problem::DuplicateField(rest.trim_matches('"').to_owned());
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return Problem::InvalidType { found: found.to_owned(), expected: expected.to_owned() };
    }
    Problem::Other(yaml_words(msg).unwrap_or_else(|| msg.to_owned()))
}

/// serde_norway's own messages (not libyaml's syntax errors, not serde's
/// type errors) in the user's words, with what to do. They stay
/// [`Problem::Other`], so they keep their position and field.
fn yaml_words(msg: &str) -> Option<String> {
    let words = if msg.contains("more than one document") {
        tr!(
            "文件中有不止一份 YAML 文档（“---”一行开始新的文档）：一个数据文件只写一份报告，请删除中间的“---”行，或把文件拆成两个",
            "the file holds more than one YAML document (a `---` line starts a new one): a data file holds one report, so delete the `---` line or split the file in two"
        )
    } else if msg == "unknown anchor" {
        tr!(
            "引用了未定义的锚点（*名称）：先用 &名称 定义再引用，或直接写出内容",
            "an alias (*name) refers to an undefined anchor: define it with &name before using *name, or write the content out"
        )
    } else if msg == "recursion limit exceeded" {
        tr!(
            "数据嵌套层数太多：一份报告的数据只有几层，请检查括号 [ ] { } 是否成对",
            "the data is nested too deeply: report data has only a few levels, check that brackets [ ] { } are paired"
        )
    } else if msg == "repetition limit exceeded" {
        tr!(
            "锚点引用（*名称）展开后太大：少用或不用锚点和别名，直接写出内容",
            "aliases (*name) expand to too much data: use fewer anchors and aliases, or write the content out"
        )
    } else {
        return None;
    };
    Some(words.to_owned())
}

/// serde's `expected …` phrases in the user's words.
pub fn expected_words(expected: &str) -> String {
    let e = expected.trim();
    let zh = match e {
        "struct Report" | "a map" | "a mapping" => "一组“字段: 值”",
        s if s.starts_with("struct ") => "一组“字段: 值”",
        "a sequence" | "a list" | "列表" => "列表（每项以“- ”开头）",
        "u32" | "u64" | "usize" | "非负整数" | "a whole number" => "非负整数",
        "a string" | "文字" | "text" => "文字",
        "a date" | "日期" => "日期",
        "a number" | "数字" => "数字",
        _ => "",
    };
    if zh.is_empty() {
        return e.to_owned();
    }
    tr!(zh.to_owned(), {
        match zh {
            "一组“字段: 值”" => "a mapping of `field: value` lines".to_owned(),
            "列表（每项以“- ”开头）" => "a list (items start with `- `)".to_owned(),
            "非负整数" => "a whole number".to_owned(),
            "文字" => "text".to_owned(),
            "日期" => "a date".to_owned(),
            "数字" => "a number".to_owned(),
            _ => e.to_owned(),
        }
    })
}

/// What to do about a wrong type, given serde's `expected` and `found`.
pub fn type_help(expected: &str, found: &str) -> String {
    let e = expected.trim();
    let list = matches!(e, "a sequence" | "a list" | "列表");
    let map = e.starts_with("struct ") || matches!(e, "a map" | "a mapping");
    let text = matches!(e, "a string" | "文字" | "text");
    let found_list = found.trim() == "sequence";
    let found_map = found.trim() == "map";
    if list {
        tr!(
            "列表的每一项另起一行，以“- ”开头".to_owned(),
            "put each item of the list on its own line starting with `- `".to_owned()
        )
    } else if map {
        tr!(
            "写成“字段: 值”的形式，每个字段一行，比上一级多缩进两个空格".to_owned(),
            "write `field: value` lines, each indented two spaces more than the line above".to_owned()
        )
    } else if text && (found_list || found_map) {
        tr!(
            "写成一行文字；文字中含有 [ ] { } 或“: ”时请给整个值加引号".to_owned(),
            "write it as one line of text; quote it if it contains [ ] { } or `: `".to_owned()
        )
    } else {
        tr!(
            "对照字段说明修改（jianbao schema 列出所有字段）".to_owned(),
            "see the field's description (jianbao schema lists them all)".to_owned()
        )
    }
}

/// serde's `found …` phrases (`string "很多"`, `sequence`, `map`).
pub fn found_words(found: &str) -> String {
    let f = found.trim();
    if let Some(s) = f.strip_prefix("string ") {
        return tr!(format!("文字 {s}"), format!("the text {s}"));
    }
    if let Some(s) = f.strip_prefix("integer ") {
        return tr!(format!("整数 {s}"), format!("the integer {s}"));
    }
    if let Some(s) = f.strip_prefix("floating point ") {
        return tr!(format!("小数 {s}"), format!("the decimal {s}"));
    }
    if let Some(s) = f.strip_prefix("boolean ") {
        return tr!(format!("布尔值 {s}"), format!("the boolean {s}"));
    }
    match f {
        "sequence" => tr!("列表", "a list").into(),
        "map" => tr!("一组“字段: 值”", "a mapping").into(),
        "unit value" => tr!("空值", "an empty value").into(),
        _ => f.to_owned(),
    }
}

/// Whether a message comes from the YAML parser (a syntax error) rather than
/// from deserialising values.
///
/// libyaml's problems that start with "found" are matched at the start
/// only: our own value messages ("expected a whole number, found the
/// decimal 3.5") say "found" in the middle, and must keep their field.
pub fn is_syntax(problem: &str) -> bool {
    problem.starts_with("found ")
        || [
            "while parsing",
            "while scanning",
            "did not find",
            "could not find",
            "mapping values",
            "mapping keys are not allowed",
            "block sequence entries",
            "control characters",
        ]
        .iter()
        .any(|p| problem.contains(p))
}

/// libyaml's syntax messages in the user's words, with what usually
/// causes them.
pub fn syntax_words(problem: &str, line_text: Option<&str>) -> (String, Option<String>) {
    let has_tab = line_text.is_some_and(|l| l.contains('\t'));
    if has_tab && (problem.contains("cannot start any token") || problem.contains("tab")) {
        return (
            tr!("YAML 不能用 Tab 键缩进", "YAML does not allow tabs for indentation").into(),
            Some(tr!("把这一行开头的 Tab 换成空格", "replace the tab at the start of this line with spaces").into()),
        );
    }
    let table: &[(&str, &str, &str, &str, &str)] = &[
        (
            "mapping values are not allowed",
            "这里不能出现“: ”",
            "a `: ` is not allowed here",
            "值中含有“: ”时请给整个值加引号；也可能是上一行缩进不对",
            "quote a value that contains `: `, or check the indentation of the line above",
        ),
        (
            "did not find expected key",
            "缩进不一致，找不到应有的字段名",
            "inconsistent indentation: a field name was expected",
            "同一层的字段要对齐到同一列",
            "fields of one level must start in the same column",
        ),
        (
            "did not find expected '-' indicator",
            "列表项缩进不一致",
            "list items are indented inconsistently",
            "同一列表的各项“- ”要对齐到同一列；一项中的各字段要与第一个字段对齐",
            "the `- ` of all items of one list must start in the same column, and the fields of one item line up under its first field",
        ),
        (
            "found unexpected end of stream",
            "文件意外结束：有未闭合的引号或括号",
            "unexpected end of file: an unclosed quote or bracket",
            "检查引号 \" ' 和括号 [ ] { } 是否成对",
            "check that quotes \" ' and brackets [ ] { } are paired",
        ),
        (
            "while scanning a quoted scalar",
            "引号没有闭合",
            "a quote is not closed",
            "检查这个值的引号是否成对",
            "check that the value's quotes are paired",
        ),
        (
            "found character that cannot start any token",
            "这里有 YAML 不允许的字符",
            "a character YAML does not allow here",
            "以 @ ` 等字符开头的值请加引号",
            "quote values that start with @ ` or similar",
        ),
        (
            "could not find expected ':'",
            "缺少“: ”",
            "a `:` is missing",
            "字段名后面要有冒号和空格，如 title: 标题",
            "a field name is followed by a colon and a space: `title: text`",
        ),
        (
            "did not find expected node content",
            "这里缺少值",
            "a value is missing here",
            "检查这一行的格式",
            "check the format of this line",
        ),
        (
            "did not find expected ',' or ']'",
            "方括号 [ ] 中的列表没有闭合",
            "a list in [ ] is not closed",
            "在列表末尾补上“]”，各项之间用逗号分隔；值里有 [ 或 ] 时请给整个值加引号",
            "add the closing `]` at the end of the list and separate items with commas; quote a value that contains [ or ]",
        ),
        (
            "did not find expected ',' or '}'",
            "花括号 { } 没有闭合",
            "a mapping in { } is not closed",
            "在末尾补上“}”，各项之间用逗号分隔；值里有 { 或 } 时请给整个值加引号",
            "add the closing `}` at the end and separate entries with commas; quote a value that contains { or }",
        ),
        (
            "found unknown escape character",
            "双引号中的反斜杠“\\”后面是无效的转义字符",
            "a backslash `\\` in double quotes starts an unknown escape",
            "在双引号中，反斜杠要写成 \\\\（如 \"D:\\\\材料\"）；或改用单引号，如 'D:\\材料'",
            "in double quotes write a backslash as \\\\ (e.g. \"D:\\\\files\"), or use single quotes: 'D:\\files'",
        ),
        (
            "block sequence entries are not allowed",
            "这里不能出现列表项“- ”",
            "a list item `- ` is not allowed here",
            "列表要另起一行写在字段名下面，并比字段名多缩进，如 problems: 下一行写“  - ……”",
            "start the list on the line after its field name, indented further: `problems:` then `  - …`",
        ),
        (
            "mapping keys are not allowed",
            "这里不能出现字段名",
            "a field name is not allowed here",
            "检查这一行和上一行的缩进",
            "check the indentation of this line and the line above",
        ),
        (
            "control characters are not allowed",
            "文件中有 YAML 不允许的不可见控制字符",
            "the file contains an invisible control character that YAML does not allow",
            "这类字符多是从 Word 或 PDF 复制来的：用能显示不可见字符的编辑器找到并删除它，或在双引号中写成转义形式（如 \\v）",
            "such characters usually come from copying out of Word or a PDF: delete it in an editor that shows invisible characters, or write it as an escape in double quotes (e.g. \\v)",
        ),
        (
            "did not find expected alphabetic or numeric character",
            "以 & 或 * 开头的值是 YAML 的锚点或别名，其名称只能用英文字母、数字、- 和 _",
            "a value starting with & or * is a YAML anchor or alias, whose name may only use letters A–Z, digits, - and _",
            "这个值本是文字时请给整个值加引号，如 \"*注：……\"；锚点请用英文名，如 &org 和 *org",
            "if the value is text, put it in quotes, e.g. \"*Note: …\"; name anchors in ASCII, e.g. &org and *org",
        ),
        (
            "found undefined alias",
            "引用了未定义的锚点（*名称）",
            "an alias (*name) refers to an undefined anchor",
            "先用 &名称 定义，再用 *名称 引用",
            "define the anchor with &name before using *name",
        ),
    ];
    for (needle, zh, en, help_zh, help_en) in table {
        if problem.contains(needle) {
            return (tr!(zh.to_string(), en.to_string()), Some(tr!(help_zh.to_string(), help_en.to_string())));
        }
    }
    (tr!(format!("YAML 语法错误：{problem}"), format!("YAML syntax error: {problem}")), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_serde_messages() {
        assert_eq!(
            classify("unknown field `titel`, expected one of `title`, `text`"),
            Problem::UnknownField { name: "titel".into(), expected: vec!["title".into(), "text".into()] }
        );
        assert_eq!(classify("missing field `name`"), Problem::MissingField("name".into()));
        assert_eq!(
            classify("invalid type: string \"很多\", expected u32"),
            Problem::InvalidType { found: "string \"很多\"".into(), expected: "u32".into() }
        );
        assert_eq!(classify("something else"), Problem::Other("something else".into()));
        // serde_norway's own messages are translated but stay `Other`
        // (not syntax), so they keep their position and field.
        let Problem::Other(m) = classify("unknown anchor") else { panic!() };
        assert!(m.contains("&") && !is_syntax(&m), "{m}");
        let Problem::Other(m) = classify("deserializing from YAML containing more than one document is not supported")
        else {
            panic!()
        };
        assert!(m.contains("---") && !is_syntax(&m), "{m}");
    }

    #[test]
    fn own_value_messages_are_not_syntax_errors() {
        // libyaml's problems…
        assert!(is_syntax("found character that cannot start any token"));
        assert!(is_syntax("did not find expected ',' or ']'"));
        assert!(is_syntax("control characters are not allowed at position 89"));
        // …but not our own messages about a value, which keep their field.
        assert!(!is_syntax("expected a whole number, found the decimal 3.5"));
        assert!(!is_syntax("expected text, found the boolean true: put it in quotes"));
        assert!(!is_syntax("expected a number, found “20余”: write 20 only"));
    }

    #[test]
    fn syntax_messages_are_translated_with_help() {
        // The default language is Chinese.
        let (msg, help) = syntax_words("did not find expected ',' or ']'", Some("problems: [a, b"));
        assert!(msg.contains("[ ]"), "{msg}");
        assert!(help.is_some_and(|h| h.contains(']')));
        let (msg, _) = syntax_words("found unknown escape character", None);
        assert!(!msg.starts_with("YAML"), "{msg}");
        let (msg, help) = syntax_words("found character that cannot start any token", Some("\t- a"));
        assert!(msg.contains("Tab") && help.is_some(), "{msg}");
        let (msg, help) = syntax_words("something new", None);
        assert!(msg.contains("something new") && help.is_none());
    }
}
