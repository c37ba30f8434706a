//! Spacing that makes Typst break lines where Word and LibreOffice do.
//!
//! The PDF and the DOCX must break lines at the same characters, or the
//! DOCX opened in an office suite ends its pages elsewhere. Typst and
//! LibreOffice (measured, 7.4) differ in two ways this module removes:
//!
//! - **Adjacent punctuation.** Typst squeezes two adjacent CJK marks (`”，`
//!   `》《` `。”`) by half a character wherever they stand (clreq 3.1.6.1);
//!   office suites do not, and the grid's 28 characters a line would become
//!   29. The squeeze only happens between glyphs shaped together, so the
//!   text is cut between the two marks.
//! - **Space between Chinese and Latin letters or digits.** LibreOffice
//!   always adds it (its DOCX import ignores `w:autoSpaceDE/DN`): 3.2 pt at
//!   16 pt, between ideographs and letters or digits only (not `%`, `.`,
//!   `-`, nor next to Chinese punctuation). Typst's own
//!   `cjk-latin-spacing` adds 4 pt and also next to `%`; the layout turns
//!   it off and puts a weak space at exactly the places LibreOffice does.
//! - **Tracking at script changes.** LibreOffice splits text into Asian and
//!   Latin portions and gives the last character of each no character
//!   spacing; the runs are cut at the same places, where Typst does the
//!   same to the last glyph of a run.
//!
//! Cutting a run costs the glyph before the cut its tracking (Typst adds
//! no tracking after the last glyph of a shaped run), so the layout puts
//! the tracking back into the space at every cut. The spaces are line-break
//! opportunities only where one already was: a break may fall between a
//! closing and an opening mark, and between Chinese and Latin text, but
//! never before a closing mark or after an opening one.

use std::collections::BTreeMap;

use serde::Serialize;

use super::line_ends::CharPos;
use crate::doc::{Block, Run};

use crate::doc::script::{Boundary, boundary};

/// What the layout puts before a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Before {
    /// Only the tracking the cut took away (between two marks).
    Tracking,
    /// The Chinese–Latin gap between an ideograph and a letter or digit.
    Gap,
    /// Nothing: the cut itself is the point. LibreOffice gives the last
    /// character of each text portion (Asian or Latin) no character
    /// spacing; Typst gives the last glyph of each shaped run none — so
    /// cutting the run where LibreOffice's portion ends measures the same.
    Script,
}

/// A run as the layout receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayoutRun {
    pub text: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub bold: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Before>,
    /// Start a new line here (where the office suite breaks; see
    /// `line_ends`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub break_before: bool,
}

/// What goes between characters `a` and `b`, if anything.
fn cut_between(a: char, b: char) -> Option<Before> {
    boundary(a, b).map(|k| match k {
        Boundary::MarkPair => Before::Tracking,
        Boundary::Gap => Before::Gap,
        Boundary::Script => Before::Script,
    })
}

/// `runs` cut wherever [`cut_between`] asks (also across run boundaries)
/// and before forced line breaks (indices counted from `offset`, sorted).
pub fn split_runs(runs: &[Run], offset: usize, breaks: &[usize]) -> Vec<LayoutRun> {
    let mut out: Vec<LayoutRun> = Vec::with_capacity(runs.len());
    let mut prev: Option<char> = None;
    let mut at = offset;
    for run in runs {
        let empty = |before, break_before| LayoutRun { text: String::new(), bold: run.bold, before, break_before };
        let mut cur = empty(None, false);
        for c in run.text.chars() {
            let before = prev.and_then(|p| cut_between(p, c));
            let break_before = breaks.binary_search(&at).is_ok();
            if before.is_some() || break_before {
                if cur.text.is_empty() {
                    cur.before = before;
                    cur.break_before = break_before;
                } else {
                    out.push(std::mem::replace(&mut cur, empty(before, break_before)));
                }
            }
            cur.text.push(c);
            prev = Some(c);
            at += 1;
        }
        if !cur.text.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// What a layout round is told besides the blocks (see `pdf`): line
/// breaks where the office suite breaks (kept sorted: a word too long for
/// a line can need thousands), page breaks before the blocks that take a
/// lone signature along (see `line_ends`), the blocks that start a page
/// anyway, each the start of a page run (see `page_runs`), and the table
/// rows that take one line (`predict::one_line_rows`, by block).
#[derive(Default)]
pub struct Forced {
    pub lines: Vec<CharPos>,
    pub pages: Vec<usize>,
    pub runs: Vec<usize>,
    pub one_line_rows: BTreeMap<usize, Vec<bool>>,
}

/// The blocks `range` of `blocks` with every inline text split by
/// [`split_runs`] and what `forced` says of each, as JSON.
pub fn layout_blocks(blocks: &[Block], forced: &Forced, range: std::ops::Range<usize>) -> Vec<serde_json::Value> {
    let line_breaks = &forced.lines;
    blocks[range.clone()]
        .iter()
        .zip(range)
        .map(|(b, i)| {
            let mut v = serde_json::to_value(b).unwrap_or(serde_json::Value::Null);
            let of_block = line_breaks.partition_point(|p| p.block < i)..line_breaks.partition_point(|p| p.block <= i);
            let breaks: Vec<usize> = line_breaks[of_block].iter().map(|p| p.char).collect();
            let conv = |runs: &[Run], offset: usize| {
                serde_json::to_value(split_runs(runs, offset, &breaks)).unwrap_or_default()
            };
            if b.keeps_with_next() {
                v["sticky"] = serde_json::json!(true);
            }
            if forced.pages.contains(&i) {
                v["page_break_before"] = serde_json::json!(true);
            }
            if forced.runs.contains(&i) {
                v["page_run_before"] = serde_json::json!(true);
            }
            // The last block before the colophon carries the body's end mark.
            if matches!(blocks.get(i + 1), Some(Block::Colophon { .. })) {
                v["last"] = serde_json::json!(true);
            }
            let conv0 = |runs: &[Run]| conv(runs, 0);
            let plain = |text: &str| conv0(&[Run::plain(text)]);
            match b {
                Block::Heading { text, number, .. } => {
                    v["text"] = conv(text, number.chars().count());
                }
                Block::Subtitle { text } | Block::Byline { text } | Block::Paragraph { text, .. } => {
                    v["text"] = conv0(text);
                }
                Block::Image { caption, .. } => {
                    v["caption"] = conv0(caption);
                }
                Block::Colophon { lines, copies } => {
                    v["index"] = serde_json::json!(i);
                    v["lines"] = lines.iter().map(|l| conv0(l)).collect();
                    v["hangs"] = lines.iter().map(|l| crate::doc::colophon_hang_chars(l).unwrap_or(0)).collect();
                    if let Some(c) = copies {
                        v["copies"] = plain(c);
                    }
                }
                // Lines of plain text get the same cuts and gaps as body
                // text: LibreOffice sets a Chinese–Latin gap in a title, a
                // date or an issue number like anywhere else.
                Block::Title { lines } => {
                    v["lines"] = lines.iter().map(|l| plain(l)).collect();
                }
                Block::Signature { name, date, .. } => {
                    v["name"] = plain(name);
                    v["date"] = plain(date);
                }
                Block::Masthead { issue, editor, date, .. } => {
                    v["issue"] = plain(issue);
                    v["editor"] = plain(editor);
                    v["date"] = plain(date);
                }
                Block::Table { header, rows, .. } => {
                    v["index"] = serde_json::json!(i);
                    v["header"] = header.iter().map(|c| conv0(c)).collect();
                    v["rows"] =
                        rows.iter().map(|r| r.iter().map(|c| conv0(c)).collect::<serde_json::Value>()).collect();
                    if let Some(one_line) = forced.one_line_rows.get(&i) {
                        v["one_line_rows"] = serde_json::json!(one_line);
                    }
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
    fn forced_breaks_cut_and_mark() {
        let runs = split_runs(&[Run::plain("甲乙"), Run::bold("丙丁")], 3, &[6]);
        assert_eq!(runs.len(), 3);
        assert_eq!((runs[2].text.as_str(), runs[2].break_before, runs[2].bold), ("丁", true, true));
    }

    fn cuts(runs: &[LayoutRun]) -> Vec<(&str, bool, Option<Before>)> {
        runs.iter().map(|r| (r.text.as_str(), r.bold, r.before)).collect()
    }

    #[test]
    fn cuts_between_marks() {
        use Before::Tracking as T;
        let runs = split_runs(&[Run::plain("“两张皮”，《甲》"), Run::bold("《乙》。")], 0, &[]);
        assert_eq!(
            cuts(&runs),
            [
                ("“两张皮”", false, None),
                ("，", false, Some(T)),
                ("《甲》", false, Some(T)),
                ("《乙》", true, Some(T)),
                ("。", true, Some(T))
            ]
        );
        assert_eq!(runs.iter().map(|r| r.text.as_str()).collect::<String>(), "“两张皮”，《甲》《乙》。");
    }

    #[test]
    fn gaps_between_chinese_and_latin_letters_or_digits_only() {
        use Before::Gap as G;
        use Before::Script as S;
        let runs = split_runs(&[Run::plain("调研8次，占18%以上，用Typst排版·α。")], 0, &[]);
        assert_eq!(
            cuts(&runs),
            [
                ("调研", false, None),
                ("8", false, Some(G)),
                ("次，占", false, Some(G)),
                ("18%", false, Some(G)),
                ("以上，用", false, Some(S)),
                ("Typst", false, Some(G)),
                ("排版", false, Some(G)),
                ("·α", false, Some(S)),
                ("。", false, Some(S)),
            ]
        );
    }
}
