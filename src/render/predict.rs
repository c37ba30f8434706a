//! The office suite's line breaks, worked out before the first layout.
//!
//! `line_ends` finds, after a layout, the lines Typst broke otherwise than
//! Word and LibreOffice (a closing mark squeezed in at a line's end, an
//! opening mark hung into the margin, a break between `。` and a digit) and
//! forces the office suite's breaks in another layout round. Such lines are
//! common — two summaries in three had one, and a long report has them on
//! nearly every page — so most documents paid for a second layout, and a
//! break early in a paragraph could move the lines after it into a third.
//!
//! The office suite fills lines greedily, by the same measure `line_ends`
//! applies to a laid-out line: the font's advances, the tracking between
//! characters, the Chinese–Latin gaps, the first line's indent. So the
//! lines of a paragraph can be worked out from its text alone, and the
//! breaks where Typst would differ forced in the first round. A prediction
//! is only a head start: the layout is checked against it
//! ([`super::line_ends::LaidText::line_starts`]), and a paragraph whose
//! lines came out elsewhere loses its predicted breaks and is left to
//! `line_ends`, as before.

use std::cell::RefCell;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use typst::text::{Font, FontStretch, FontStyle, FontVariant, FontWeight};

use super::line_ends::{CLOSING, CharPos, OPENING, is_body_size, may_start_line};
use crate::doc::script::extra_between;
use crate::doc::{Block, Inlines, ParaKind, Run};
use crate::fonts::{FontSet, Role};
use crate::style::{Style, TextStyle};

/// The fonts Typst draws each role with, plain and bold, in the order it
/// tries them for a character.
pub struct Advances {
    chains: BTreeMap<(Role, bool), Vec<Font>>,
}

impl Advances {
    /// The font chains of `fonts`' roles, as the layout selects them: the
    /// role's families at its weight, or bold (700) where the role has a
    /// bold face (a synthetic bold keeps the plain advances).
    pub fn new(fonts: &FontSet) -> Advances {
        let mut chains = BTreeMap::new();
        for (&role, rf) in &fonts.roles {
            for bold in [false, true] {
                let weight = if bold && rf.has_bold { 700 } else { rf.weight };
                let variant = FontVariant::new(FontStyle::Normal, FontWeight::from_number(weight), FontStretch::NORMAL);
                let chain = rf
                    .families
                    .iter()
                    .filter_map(|family| fonts.book.select(&family.to_lowercase(), variant))
                    .filter_map(|i| fonts.faces.get(i).map(|face| face.font.clone()))
                    .collect();
                chains.insert((role, bold), chain);
            }
        }
        Advances { chains }
    }

    /// Every font of the chains, once. (Told apart by where their bytes
    /// are: comparing two fonts compares the hashes of their bytes.)
    pub fn fonts(&self) -> Vec<Font> {
        let mut fonts: Vec<Font> = Vec::new();
        for font in self.chains.values().flatten() {
            let same = |f: &Font| f.data().as_ptr() == font.data().as_ptr() && f.index() == font.index();
            if !fonts.iter().any(same) {
                fonts.push(font.clone());
            }
        }
        fonts
    }

    /// The chains' faces, parsed for one document; not kept in `Advances`,
    /// as a parsed face borrows its font's bytes.
    fn faces(&self) -> Faces<'_> {
        Faces {
            chains: self
                .chains
                .iter()
                .map(|(&key, fonts)| (key, fonts.iter().filter_map(|f| metrics_face(f.data(), f.index())).collect()))
                .collect(),
            looked_up: RefCell::default(),
        }
    }
}

/// A face with only the tables that map characters to glyphs and give
/// their advances: a whole face also parses its outline tables, and a CFF
/// font's charset took 2 % of a branch summary's CPU time, per document.
fn metrics_face(data: &[u8], index: u32) -> Option<ttf_parser::Face<'_>> {
    use ttf_parser::Tag;
    let raw = ttf_parser::RawFace::parse(data, index).ok()?;
    let tables = ttf_parser::RawFaceTables {
        head: raw.table(Tag::from_bytes(b"head"))?,
        hhea: raw.table(Tag::from_bytes(b"hhea"))?,
        maxp: raw.table(Tag::from_bytes(b"maxp"))?,
        cmap: raw.table(Tag::from_bytes(b"cmap")),
        hmtx: raw.table(Tag::from_bytes(b"hmtx")),
        ..Default::default()
    };
    ttf_parser::Face::from_raw_tables(tables).ok()
}

/// The faces of [`Advances`]' chains, for measuring one document. Variable
/// fonts are measured at their default instance (a bold instance that sets
/// Latin text wider only makes its paragraphs mispredicted).
struct Faces<'a> {
    chains: BTreeMap<(Role, bool), Vec<ttf_parser::Face<'a>>>,
    /// Advances in ems already looked up: a report has a few thousand
    /// distinct characters in hundreds of thousands, and finding a glyph
    /// in a CJK font's character map is a search over thousands of ranges
    /// (the lookups were two thirds of the prediction's time).
    looked_up: RefCell<FxHashMap<(Role, bool, char), Option<f64>>>,
}

impl Faces<'_> {
    /// The advance of `c` in points at `size_pt`, from the first font of
    /// the chain that has it; None if none has.
    fn advance(&self, role: Role, bold: bool, c: char, size_pt: f64) -> Option<f64> {
        let em = *self.looked_up.borrow_mut().entry((role, bold, c)).or_insert_with(|| {
            self.chains.get(&(role, bold))?.iter().find_map(|face| {
                let glyph = face.glyph_index(c)?;
                let units = face.glyph_hor_advance(glyph)?;
                Some(f64::from(units) / f64::from(face.units_per_em()))
            })
        });
        em.map(|em| em * size_pt)
    }
}

/// What the first layout round forces, and what to check it against.
#[derive(Debug, Default)]
pub struct Prediction {
    /// Line breaks where the office suite breaks and Typst would not
    /// (sorted).
    pub forced: Vec<CharPos>,
    /// Every line start but the first of each block that has a forced
    /// break: the layout must start its lines exactly there.
    pub starts: BTreeMap<usize, Vec<usize>>,
    /// The number of lines of every block predicted (by block).
    pub lines: BTreeMap<usize, usize>,
    /// For every table (by block), which of its rows (the header first)
    /// surely take one line: see [`one_line_rows`].
    pub one_line_rows: BTreeMap<usize, Vec<bool>>,
}

/// The office suite's lines of every wrapping body-size block of `blocks`.
pub fn predict(blocks: &[Block], style: &Style, advances: &Advances) -> Prediction {
    let faces = advances.faces();
    let mut out = Prediction::default();
    let indent = style.indent_chars * style.char_pitch_pt();
    for (index, block) in blocks.iter().enumerate() {
        if let Block::Table { header, rows, widths, .. } = block {
            out.one_line_rows.insert(index, one_line_rows(header, rows, widths, style, &faces));
            continue;
        }
        let Some((ts, chars)) = wrapping_text(block, style) else { continue };
        if !is_body_size(ts.size_pt, style.body.size_pt) {
            continue;
        }
        let Some(lines) = office_lines(&chars, ts, indent, style, &faces) else { continue };
        if !chars.is_empty() {
            out.lines.insert(index, lines.len() + 1);
        }
        if lines.iter().any(|l| l.forced) {
            out.forced.extend(lines.iter().filter(|l| l.forced).map(|l| CharPos { block: index, char: l.start }));
            out.starts.insert(index, lines.iter().map(|l| l.start).collect());
        }
    }
    out.forced.sort();
    out
}

/// The text of a block that wraps like body text — headings (number and
/// text) and body paragraphs and editor's notes, whose first line is
/// indented — with its style and each character's boldness.
fn wrapping_text<'a>(block: &Block, style: &'a Style) -> Option<(&'a TextStyle, Vec<(char, bool)>)> {
    let chars = |runs: &[Run], all_bold: bool| -> Vec<(char, bool)> {
        runs.iter().flat_map(|r| r.text.chars().map(move |c| (c, all_bold || r.bold))).collect()
    };
    match block {
        Block::Heading { level, number, text } => {
            let ts = &style.headings[usize::from(*level).clamp(1, 4) - 1].text;
            let mut all = chars(&[Run { text: number.clone(), bold: false }], ts.bold);
            all.extend(chars(text, ts.bold));
            Some((ts, all))
        }
        Block::Paragraph { kind: ParaKind::Body, text } => Some((&style.body, chars(text, false))),
        Block::Paragraph { kind: ParaKind::Note, text } => Some((&style.note, chars(text, false))),
        _ => None,
    }
}

/// How much narrower than its cell a text must be to be sure of one line.
/// The sum of advances is exact for the bundled fonts' ideographs, and
/// leaves out the negative tracking (a quarter point a character), so the
/// text Typst sets is narrower still; columns are sized to their text, so
/// a margin of a whole character would leave most rows measured.
const ONE_LINE_MARGIN_PT: f64 = 1.0;

/// Which rows of a table (header first) take one line whatever the
/// details of line breaking: every cell's text, at its natural width, a
/// point ([`ONE_LINE_MARGIN_PT`]) or more narrower than the cell. The
/// layout gives those rows that height outright, which spares Typst
/// measuring every cell before laying it out (a tenth of a branch
/// summary's CPU time); the others are measured. A character no font has,
/// or a line break, makes a row measured.
fn one_line_rows(header: &[Inlines], rows: &[Vec<Inlines>], widths: &[f64], style: &Style, faces: &Faces) -> Vec<bool> {
    let ts = &style.table;
    let size = ts.size_pt;
    // Each side of a cell: the padding and the rule (templates/layout.typ).
    let inset = style.table_padding_chars * size + style.table_rule_pt;
    let fits = |cell: &Inlines, width: f64| -> bool {
        // `width` is the column's share of the text block.
        let room = width * style.page.text_width_pt() - 2.0 * inset - ONE_LINE_MARGIN_PT;
        let mut sum = 0.0;
        let mut prev: Option<char> = None;
        for run in cell {
            for c in run.text.chars() {
                if c == '\n' {
                    return false;
                }
                let Some(advance) = faces.advance(ts.role, ts.bold || run.bold, c, size) else { return false };
                // Tracking is negative here: leaving it out only widens.
                sum += advance
                    + prev.map_or(0.0, |p| {
                        extra_between(p, c, size, style.cjk_latin_gap_em, style.pdf_tracking_pt).max(0.0)
                    });
                prev = Some(c);
            }
        }
        sum <= room
    };
    std::iter::once(header)
        .chain(rows.iter().map(Vec::as_slice))
        .map(|row| row.len() == widths.len() && row.iter().zip(widths).all(|(cell, &w)| fits(cell, w)))
        .collect()
}

/// A line as the office suite sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BreakBefore {
    /// The character the line starts with (a break before it).
    start: usize,
    /// Whether Typst would break elsewhere, or set a mark at the break
    /// half width: the layout must be told.
    forced: bool,
}

/// Greedy line filling of `chars` (each with its boldness) in style `ts`,
/// the first line indented: the breaks, each but the paragraph's start.
/// None where the prediction cannot be trusted: a character no font has,
/// white space (which the office suite lets hang past the margin), a word
/// too long for a line.
fn office_lines(
    chars: &[(char, bool)],
    ts: &TextStyle,
    indent: f64,
    style: &Style,
    faces: &Faces,
) -> Option<Vec<BreakBefore>> {
    let size = ts.size_pt;
    let width = style.page.text_width_pt() + 0.01;
    let mut widths = Vec::with_capacity(chars.len());
    for &(c, bold) in chars {
        if c.is_whitespace() {
            return None;
        }
        widths.push(faces.advance(ts.role, bold, c, size)?);
    }
    let text: Vec<char> = chars.iter().map(|&(c, _)| c).collect();
    let mut lines = Vec::new();
    let (mut start, mut sum) = (0, indent);
    let mut i = 0;
    while i < text.len() {
        if i > start {
            sum += style.pdf_tracking_pt
                + extra_between(text[i - 1], text[i], size, style.cjk_latin_gap_em, style.pdf_tracking_pt);
        }
        sum += widths[i];
        if sum <= width {
            i += 1;
            continue;
        }
        // `text[i]` does not fit: break before the last character that may
        // start a line.
        let at = (start + 1..=i).rev().find(|&j| may_start_line(text[j - 1], text[j]))?;
        let forced = at != i || CLOSING.contains(text[at - 1]) || OPENING.contains(text[at]);
        lines.push(BreakBefore { start: at, forced });
        (start, sum, i) = (at, 0.0, at);
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled fonts' chains.
    fn bundled_advances() -> Advances {
        Advances::new(&FontSet::bundled())
    }

    #[test]
    fn a_row_is_one_line_when_every_cell_fits_with_a_point_to_spare() {
        let style = Style::gbt9704();
        let advances = bundled_advances();
        let faces = advances.faces();
        let cell = |t: &str| vec![Run::plain(t)];
        let size = style.table.size_pt;
        let inset = style.table_padding_chars * size + style.table_rule_pt;
        // A column exactly as wide as two ideographs and its insets, then
        // one a point and a half wider.
        let snug = (2.0 * size + 2.0 * inset) / style.page.text_width_pt();
        let spare = snug + 1.5 / style.page.text_width_pt();
        let rows = vec![
            vec![cell("走访"), cell("10")],
            vec![cell("走访"), cell("走访")],
            vec![cell("走"), cell("走访慰问")],
            vec![cell("走\n访"), cell("1")],
            vec![cell("走"), cell("㐀")],
        ];
        let one_line = one_line_rows(&[cell("类型"), cell("人次")], &rows, &[spare, spare], &style, &faces);
        assert_eq!(one_line, [true, true, true, false, false, true]);
        // With no point to spare: measured.
        assert_eq!(one_line_rows(&[cell("类型")], &[], &[snug], &style, &faces), [false]);
        // A row missing a cell is measured.
        assert_eq!(
            one_line_rows(&[cell("类型"), cell("人次")], &[vec![cell("走")]], &[spare, spare], &style, &faces),
            [true, false]
        );
    }

    fn para(text: &str) -> Block {
        Block::Paragraph { kind: ParaKind::Body, text: vec![Run::plain(text)] }
    }

    #[test]
    fn a_full_line_of_ideographs_breaks_where_nothing_is_forced() {
        let advances = bundled_advances();
        let style = Style::gbt9704();
        // 26 characters after the indent, then the next line.
        let text = "甲".repeat(26 + 28 + 5);
        let p = predict(&[para(&text)], &style, &advances);
        assert!(p.forced.is_empty(), "{p:?}");
        let lines = office_lines(
            &text.chars().map(|c| (c, false)).collect::<Vec<_>>(),
            &style.body,
            style.indent_chars * style.char_pitch_pt(),
            &style,
            &advances.faces(),
        )
        .unwrap();
        assert_eq!(lines.iter().map(|l| l.start).collect::<Vec<_>>(), [26, 54]);
    }

    #[test]
    fn a_closing_mark_that_would_not_fit_takes_the_character_before_it_along() {
        let advances = bundled_advances();
        let style = Style::gbt9704();
        // The 27th character is `。`: at full width it does not fit on the
        // indented first line, so the line breaks before the 26th.
        let text = format!("{}。{}", "甲".repeat(26), "乙".repeat(10));
        let p = predict(&[para(&text)], &style, &advances);
        assert_eq!(p.forced, [CharPos { block: 0, char: 25 }]);
        assert_eq!(p.starts[&0], [25]);
    }

    #[test]
    fn a_line_ending_in_a_closing_mark_or_followed_by_an_opening_one_is_forced() {
        let advances = bundled_advances();
        let style = Style::gbt9704();
        let ends_with_mark = format!("{}，{}", "甲".repeat(25), "乙".repeat(10));
        assert_eq!(predict(&[para(&ends_with_mark)], &style, &advances).forced, [CharPos { block: 0, char: 26 }]);
        let opens = format!("{}“乙”{}", "甲".repeat(26), "丙".repeat(10));
        assert_eq!(predict(&[para(&opens)], &style, &advances).forced, [CharPos { block: 0, char: 26 }]);
    }

    #[test]
    fn text_with_spaces_or_a_word_too_long_is_not_predicted() {
        let advances = bundled_advances();
        let style = Style::gbt9704();
        let spaced = format!("{} {}", "甲".repeat(30), "乙，".repeat(20));
        assert!(predict(&[para(&spaced)], &style, &advances).starts.is_empty());
        let long = format!("甲，{}", "a".repeat(200));
        assert!(predict(&[para(&long)], &style, &advances).starts.is_empty());
    }
}
