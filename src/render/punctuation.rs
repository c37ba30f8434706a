//! Keeping Typst's CJK punctuation on the 28-character grid.
//!
//! Typst squeezes two adjacent CJK punctuation marks (`”，` `》《` `。”`) by
//! half a character wherever they stand (clreq 3.1.6.1). On a document grid
//! that lets a line hold 29 characters, which GB/T 9704's 28-per-line grid —
//! and Word or LibreOffice opening the DOCX, which do not squeeze — do not
//! allow. The squeeze only happens between glyphs shaped together, so the
//! text is cut between the two marks and the second part is shaped on its
//! own ([`LayoutRun::after_mark`]).
//!
//! Two details keep that cut invisible. Typst gives the last glyph of a
//! shaped run no tracking, so the layout puts the missing tracking back as
//! a horizontal space of the tracking's (negative) width before the cut.
//! That space is a line-break opportunity only where one already was: after
//! a closing mark before an opening one (`、“`, `》《`); elsewhere the
//! line-break rules forbid breaking at it (no break before a closing mark or
//! after an opening one). Compression at line starts and ends, which
//! practice allows, is untouched.

use serde::Serialize;

use crate::doc::{Block, Run};

/// CJK punctuation Typst adjusts (left- and right-aligned marks, GB style).
pub fn is_cjk_punctuation(c: char) -> bool {
    "，。．、：；？！”’》）』」】〗〕〉］｝“‘《（『「【〖〔〈［｛".contains(c)
}

/// A run as the layout receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayoutRun {
    pub text: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub bold: bool,
    /// The run starts with a punctuation mark that follows another: shape
    /// it apart and restore the tracking before it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub after_mark: bool,
}

/// `runs` cut before every CJK punctuation mark that follows another one
/// (also across run boundaries).
pub fn split_runs(runs: &[Run]) -> Vec<LayoutRun> {
    let mut out: Vec<LayoutRun> = Vec::with_capacity(runs.len());
    let mut prev: Option<char> = None;
    for run in runs {
        let mut cur = LayoutRun { text: String::new(), bold: run.bold, after_mark: false };
        for c in run.text.chars() {
            if prev.is_some_and(is_cjk_punctuation) && is_cjk_punctuation(c) {
                if !cur.text.is_empty() {
                    out.push(std::mem::replace(&mut cur, LayoutRun { text: String::new(), bold: run.bold, after_mark: true }));
                } else {
                    cur.after_mark = true;
                }
            }
            cur.text.push(c);
            prev = Some(c);
        }
        if !cur.text.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// The blocks with every inline text split by [`split_runs`], as JSON.
pub fn isolate_consecutive(blocks: &[Block]) -> Vec<serde_json::Value> {
    blocks
        .iter()
        .map(|b| {
            let mut v = serde_json::to_value(b).unwrap_or(serde_json::Value::Null);
            let conv = |runs: &[Run]| serde_json::to_value(split_runs(runs)).unwrap_or_default();
            match b {
                Block::Subtitle { text }
                | Block::Byline { text }
                | Block::Heading { text, .. }
                | Block::Paragraph { text, .. } => {
                    v["text"] = conv(text);
                }
                Block::Colophon { lines, .. } => {
                    v["lines"] = lines.iter().map(|l| conv(l)).collect();
                }
                Block::Table { header, rows, .. } => {
                    v["header"] = header.iter().map(|c| conv(c)).collect();
                    v["rows"] = rows.iter().map(|r| r.iter().map(|c| conv(c)).collect::<serde_json::Value>()).collect();
                }
                _ => {}
            }
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_before_second_marks() {
        let runs = split_runs(&[Run::plain("“两张皮”，《甲》"), Run::bold("《乙》。")]);
        let cut: Vec<(&str, bool, bool)> = runs.iter().map(|r| (r.text.as_str(), r.bold, r.after_mark)).collect();
        assert_eq!(
            cut,
            [("“两张皮”", false, false), ("，", false, true), ("《甲》", false, true), ("《乙》", true, true), ("。", true, true)]
        );
        assert_eq!(runs.iter().map(|r| r.text.as_str()).collect::<String>(), "“两张皮”，《甲》《乙》。");
    }
}
