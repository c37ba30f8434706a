//! Text normalisation applied to every string of the data after loading.
//!
//! Two kinds, both reported as warnings naming the field and position:
//!
//! - **Characters a document cannot hold** (always): XML 1.0 — and so DOCX —
//!   cannot contain C0 control characters other than tab and line breaks,
//!   nor U+FFFE/U+FFFF. Word's manual line break pasted as U+000B and the
//!   form feed U+000C become line breaks; the rest are removed. Decision:
//!   strip with a warning rather than refuse, because these characters come
//!   from copy and paste, are invisible, and the user cannot see what to
//!   delete.
//! - **Look-alike punctuation** (unless `--no-normalize`): U+2219 `∙` and
//!   U+2022 `•` used as a middle dot become U+00B7 `·` (the role fonts lack
//!   them; `·` is the standard mark); ASCII `,` `;` `:` between two CJK
//!   characters become full-width `，` `；` `：`.

use serde_json::Value as Json;

use super::locate::Locator;
use crate::error::{Diagnostic, ErrorKind};
use crate::tr;

/// Whether `c` is a CJK ideograph or CJK punctuation (context for
/// half-width → full-width punctuation).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF |
        0xFF00..=0xFFEF | 0x20000..=0x3FFFF | 0x2E80..=0x2FDF | 0x201C..=0x201D)
}

/// What happened to one string.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub controls_removed: usize,
    pub line_breaks: usize,
    pub middle_dots: usize,
    pub full_width: usize,
}

impl Changes {
    fn any(&self) -> bool {
        *self != Changes::default()
    }
}

/// Normalises one string; `punctuation` enables the look-alike rules.
pub fn normalize_str(s: &str, punctuation: bool) -> (String, Changes) {
    let mut ch = Changes::default();
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        match c {
            '\t' | '\n' | '\r' => out.push(c),
            '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                ch.line_breaks += 1;
                out.push('\n');
            }
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => ch.controls_removed += 1,
            '\u{2219}' | '\u{2022}'
                if punctuation
                    && prev.is_some_and(|p| !p.is_whitespace())
                    && next.is_some_and(|n| !n.is_whitespace()) =>
            {
                ch.middle_dots += 1;
                out.push('·');
            }
            ',' | ';' | ':' if punctuation && prev.is_some_and(is_cjk) && next.is_some_and(is_cjk) => {
                ch.full_width += 1;
                out.push(match c {
                    ',' => '，',
                    ';' => '；',
                    _ => '：',
                });
            }
            _ => out.push(c),
        }
    }
    (out, ch)
}

/// Normalises every string in `value` (the report as JSON), pushing one
/// warning per changed field.
pub fn normalize_json(
    value: &mut Json,
    path: &mut String,
    punctuation: bool,
    loc: &Locator,
    warnings: &mut Vec<Diagnostic>,
) {
    match value {
        Json::String(s) => {
            let (new, ch) = normalize_str(s, punctuation);
            if ch.any() {
                warnings.push(warning(&ch, path, loc));
                *s = new;
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                normalize_json(item, path, punctuation, loc, warnings);
                path.truncate(len);
            }
        }
        Json::Object(map) => {
            for (k, v) in map.iter_mut() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                normalize_json(v, path, punctuation, loc, warnings);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

fn warning(ch: &Changes, path: &str, loc: &Locator) -> Diagnostic {
    let mut parts = Vec::new();
    if ch.controls_removed > 0 {
        parts.push(tr!(
            format!("删除了 {} 个不可见的控制字符", ch.controls_removed),
            format!("removed {} invisible control character(s)", ch.controls_removed)
        ));
    }
    if ch.line_breaks > 0 {
        parts.push(tr!(
            format!("把 {} 个特殊换行符（如从 Word 复制的手动换行）改为换行", ch.line_breaks),
            format!("turned {} special line break(s) (e.g. Word's manual line break) into line breaks", ch.line_breaks)
        ));
    }
    if ch.middle_dots > 0 {
        parts.push(tr!(
            format!("把 {} 个 ∙ 或 • 改为间隔号 ·（U+00B7）", ch.middle_dots),
            format!("changed {} ∙ or • to the middle dot · (U+00B7)", ch.middle_dots)
        ));
    }
    if ch.full_width > 0 {
        parts.push(tr!(
            format!("把中文之间的 {} 个半角标点（, ; :）改为全角", ch.full_width),
            format!("changed {} half-width , ; : between Chinese characters to full width", ch.full_width)
        ));
    }
    Diagnostic::warning(ErrorKind::Data, parts.join(tr!("；", "; "))).at(loc.value(path)).field(path).help(tr!(
        "不想自动更正时用 --no-normalize（控制字符总会删除）",
        "use --no-normalize to keep the text as written (control characters are always removed)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_what_it_should() {
        let (s, ch) = normalize_str("贯彻二十大∙奋进新征程", true);
        assert_eq!(s, "贯彻二十大·奋进新征程");
        assert_eq!(ch.middle_dots, 1);
        assert_eq!(normalize_str("甲,乙;丙:丁 a,b", true).0, "甲，乙；丙：丁 a,b");
        assert_eq!(normalize_str("a\u{0}b\u{0B}c\u{7}", true).0, "ab\nc");
        assert_eq!(normalize_str("a\u{0}b∙c", false).0, "ab∙c");
        assert_eq!(normalize_str("• 项目", true).0, "• 项目");
    }
}
