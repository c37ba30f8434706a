//! Text normalisation applied to every string of the data after loading.
//!
//! Three kinds, each reported as a warning naming the field and position:
//!
//! - **Characters a document cannot hold** (always): XML 1.0 — and so DOCX —
//!   cannot contain C0 control characters other than tab and line breaks,
//!   nor U+FFFE/U+FFFF. Word's manual line break pasted as U+000B and the
//!   form feed U+000C become line breaks; the rest are removed. Decision:
//!   strip with a warning rather than refuse, because these characters come
//!   from copy and paste, are invisible, and the user cannot see what to
//!   delete.
//! - **Bidirectional controls left open** (always): the embeddings,
//!   overrides and isolates (U+202A–U+202E, U+2066–U+2069) are text and
//!   are kept as written — they act in both formats as in any editor (an
//!   override reverses the letters it covers) — but one still open at the
//!   end of a line of the data would go on to reverse whatever the template
//!   prints after the value (the Unicode bidi algorithm only ends it at the
//!   end of the printed paragraph). In an editor it ends with the line;
//!   so here it is closed there, with U+202C or U+2069 ([`close_bidi`]).
//!   Zero-width characters (U+200B–U+200D, U+2060, U+FEFF) are kept.
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
    pub bidi_closed: usize,
}

impl Changes {
    fn any(&self) -> bool {
        *self != Changes::default()
    }
}

/// Whether normalising changes the character `c` between `prev` and
/// `next` (to point a warning at the first one changed).
fn changes(prev: Option<char>, c: char, next: Option<char>, punctuation: bool) -> bool {
    match c {
        '\t' | '\n' | '\r' => false,
        '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => true,
        c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => true,
        '\u{2219}' | '\u{2022}' => {
            punctuation && prev.is_some_and(|p| !p.is_whitespace()) && next.is_some_and(|n| !n.is_whitespace())
        }
        ',' | ';' | ':' => punctuation && prev.is_some_and(is_cjk) && next.is_some_and(is_cjk),
        _ => false,
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
    ch.bidi_closed = close_bidi(&mut out);
    (out, ch)
}

/// Whether [`normalize_str`] may change or remove `c` (with `punctuation`
/// as given there), or [`close_bidi`] act on it.
fn may_change(c: char, punctuation: bool) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || (punctuation && matches!(c, '\u{2219}' | '\u{2022}' | ',' | ';' | ':'))
}

/// Closes, at the end of each line of `text` (before `\n` or `\r`, and at
/// the end), the bidirectional embeddings and overrides (U+202A, U+202B,
/// U+202D, U+202E; closed by U+202C) and isolates (U+2066–U+2068; closed by
/// U+2069) the line leaves open, innermost first. They are matched as the
/// Unicode bidi algorithm matches them (UAX #9 X6a, X7): U+2069 closes the
/// last open isolate and all opened after it; U+202C the last embedding if
/// no isolate was opened after it; closers with nothing to close are left
/// as they are. Returns how many closers were added.
pub fn close_bidi(text: &mut String) -> usize {
    #[derive(PartialEq)]
    enum Open {
        Embedding,
        Isolate,
    }
    if !text.contains(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2068}')) {
        return 0;
    }
    let mut open: Vec<Open> = Vec::new();
    let mut added = 0;
    let mut out = String::with_capacity(text.len() + 8);
    let mut close = |open: &mut Vec<Open>, out: &mut String| {
        while let Some(o) = open.pop() {
            out.push(if o == Open::Isolate { '\u{2069}' } else { '\u{202C}' });
            added += 1;
        }
    };
    for c in text.chars() {
        match c {
            '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' => open.push(Open::Embedding),
            '\u{2066}' | '\u{2067}' | '\u{2068}' => open.push(Open::Isolate),
            '\u{202C}' if open.last() == Some(&Open::Embedding) => {
                open.pop();
            }
            '\u{2069}' => {
                if let Some(i) = open.iter().rposition(|o| *o == Open::Isolate) {
                    open.truncate(i);
                }
            }
            '\n' | '\r' => close(&mut open, &mut out),
            _ => {}
        }
        out.push(c);
    }
    close(&mut open, &mut out);
    *text = out;
    added
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
        // A picture's path is a file name: kept exactly as written.
        Json::String(_) if super::images::is_image_path_field(path) => {}
        // Most strings hold nothing to change: a quick look, no copy.
        Json::String(s) if !s.chars().any(|c| may_change(c, punctuation)) => {}
        Json::String(s) => {
            let (new, ch) = normalize_str(s, punctuation);
            if ch.any() {
                let at = loc.char_in_value(path, |p, c, n| changes(p, c, n, punctuation));
                warnings.push(warning(&ch, path, at));
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

fn warning(ch: &Changes, path: &str, at: Option<crate::error::SourcePos>) -> Diagnostic {
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
    if ch.bidi_closed > 0 {
        parts.push(tr!(
            format!("在行尾补上了 {} 个闭合符，以免未闭合的双向文字控制符（如 U+202E）颠倒后面的文字", ch.bidi_closed),
            format!(
                "closed {} bidirectional control(s) (such as U+202E) left open at a line end, so they cannot reverse the text after them",
                ch.bidi_closed
            )
        ));
    }
    Diagnostic::warning(ErrorKind::Data, parts.join(tr!("；", "; "))).at(at).field(path).help(tr!(
        "不想自动更正时用 --no-normalize（控制字符总会删除，双向控制符总会闭合）",
        "use --no-normalize to keep the text as written (control characters are always removed, open bidi controls always closed)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_may_not_change_does_not() {
        // Every character of the Basic Multilingual Plane, between
        // ideographs and alone, both ways.
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            for punctuation in [false, true] {
                if may_change(c, punctuation) {
                    continue;
                }
                for text in [format!("中{c}文"), c.to_string()] {
                    let (out, ch) = normalize_str(&text, punctuation);
                    assert!(out == text && !ch.any(), "U+{:04X}", c as u32);
                }
            }
        }
    }

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

    #[test]
    fn open_bidi_controls_are_closed_at_line_ends() {
        let close = |s: &str| {
            let mut s = s.to_owned();
            let n = close_bidi(&mut s);
            (s, n)
        };
        // An override left open would reverse the template's text after it.
        assert_eq!(close("abc\u{202E}def"), ("abc\u{202E}def\u{202C}".into(), 1));
        assert_eq!(close("\u{202E}a\u{202C}b\u{200B}"), ("\u{202E}a\u{202C}b\u{200B}".into(), 0));
        assert_eq!(close("\u{2067}a\u{202B}b"), ("\u{2067}a\u{202B}b\u{202C}\u{2069}".into(), 2));
        // A PDI closes its isolate and the embeddings opened inside it.
        assert_eq!(close("\u{2066}\u{202D}a\u{2069}\u{202A}").0, "\u{2066}\u{202D}a\u{2069}\u{202A}\u{202C}");
        // A PDF cannot close an embedding outside the open isolate; stray
        // closers stay as written and close nothing.
        assert_eq!(close("\u{202E}\u{2068}\u{202C}").0, "\u{202E}\u{2068}\u{202C}\u{2069}\u{202C}");
        assert_eq!(close("\u{202C}\u{2069}x").0, "\u{202C}\u{2069}x");
        // Each line on its own, as an editor shows it.
        assert_eq!(close("\u{202E}甲\r\n乙\n\u{202B}丙").0, "\u{202E}甲\u{202C}\r\n乙\n\u{202B}丙\u{202C}");
        let (s, ch) = normalize_str("a\u{202E}b\u{2029}c", false);
        assert_eq!((s.as_str(), ch.bidi_closed, ch.line_breaks), ("a\u{202E}b\u{202C}\nc", 1, 1));
    }
}
