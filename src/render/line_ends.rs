//! Lines that only fit in the PDF because Typst squeezed their last mark.
//!
//! GB-style typesetting (and Typst) sets a closing mark that ends a line
//! (`，` `。` `”` `》` …) at half width. Word and LibreOffice do not: when a
//! line's last character is followed by a closing mark that only fits at
//! half width, they carry the character and its mark to the next line (a
//! line may not start with the mark). LibreOffice ignores any character
//! spacing on a line's last mark, so the DOCX cannot be told to squeeze it.
//! Instead the PDF follows the office suite: after laying out, we look for
//! lines whose squeezed last mark would not fit at full width and lay out
//! again with a line break where the office suite breaks — so both show
//! the same lines. (Mid-line pairs of marks are handled in `spacing`.)
//!
//! The laid-out glyphs are matched to the document by reading order: the
//! body-size text of the pages (by page, baseline, x) is the body-size text
//! of the blocks in order. If the two ever disagree nothing is forced —
//! the PDF is still right, only the rare squeezed line may differ.

use typst::layout::{Frame, FrameItem, Point};
use typst_layout::PagedDocument;

use super::spacing::is_ideograph;
use crate::doc::{Block, ParaKind, plain_text};
use crate::style::Style;

/// A character of a block: an index (in `char`s) into the block's text —
/// the heading number and text, or the paragraph's runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CharPos {
    pub block: usize,
    pub char: usize,
}

/// Closing marks Typst squeezes at a line end (its `END_PUNCT_PAT`): a line
/// may not start with one.
const CLOSING: &str = "”’，．。、：；》〉）』」】〗〕］｝？！";
/// Opening marks: a line may not end with one.
const OPENING: &str = "“‘《〈（『「【〖〔［｛";

/// One glyph of body-size text as laid out.
struct Placed {
    page: usize,
    y: f64,
    x: f64,
    text: String,
    /// The advance it was given, in points.
    advance: f64,
    /// Its advance in the font, in points: no tracking, no justification,
    /// no squeezing.
    natural: f64,
}

fn collect(frame: &Frame, origin: Point, page: usize, body_size: f64, out: &mut Vec<Placed>) {
    for (pos, item) in frame.items() {
        let at = origin + *pos;
        match item {
            FrameItem::Group(g) => {
                // Our layout only translates groups.
                let t = g.transform;
                collect(&g.frame, at + Point::new(t.tx, t.ty), page, body_size, out)
            }
            FrameItem::Text(t) if (t.size.to_pt() - body_size).abs() < 0.01 => {
                let mut x = at.x.to_pt();
                for g in &t.glyphs {
                    let text = t.text.get(g.range()).unwrap_or("").to_owned();
                    let advance = g.x_advance.at(t.size).to_pt();
                    let natural = t
                        .font
                        .x_advance(g.id)
                        .map_or(advance, |em| em.at(t.size).to_pt());
                    out.push(Placed {
                        page,
                        y: at.y.to_pt(),
                        x: x + g.x_offset.at(t.size).to_pt(),
                        text,
                        advance,
                        natural,
                    });
                    x += advance;
                }
            }
            _ => {}
        }
    }
}

/// The body-size text of a block, in layout order (empty for blocks drawn
/// at other sizes: titles, tables, the colophon, contact lines).
fn body_text(block: &Block, style: &Style) -> Vec<String> {
    let body = |size: f64| (size - style.body.size_pt).abs() < 0.01;
    match block {
        Block::Heading {
            number,
            text,
            level,
        } if body(
            style.headings[usize::from(*level).clamp(1, 4) - 1]
                .text
                .size_pt,
        ) =>
        {
            vec![format!("{number}{}", plain_text(text))]
        }
        Block::Paragraph { kind, text } => {
            let ts = match kind {
                ParaKind::Body => &style.body,
                ParaKind::Note => &style.note,
                ParaKind::Contact => &style.contact,
            };
            if body(ts.size_pt) {
                vec![plain_text(text)]
            } else {
                Vec::new()
            }
        }
        Block::Subtitle { text } if body(style.subtitle.size_pt) => vec![plain_text(text)],
        Block::Byline { text } if body(style.byline.size_pt) => vec![plain_text(text)],
        Block::Signature { name, date, .. } if body(style.body.size_pt) => {
            vec![name.clone(), date.clone()]
        }
        Block::Masthead {
            issue,
            editor,
            date,
            ..
        } => {
            let mut v = Vec::new();
            if body(style.masthead.issue.size_pt) {
                v.push(issue.clone());
            }
            if body(style.masthead.editor.size_pt) {
                v.push(format!("{editor}{date}"));
            }
            v
        }
        _ => Vec::new(),
    }
}

/// Where the office suite would break lines that the PDF only fitted by
/// squeezing the last mark: the characters that must start a new line.
pub fn office_breaks(document: &PagedDocument, blocks: &[Block], style: &Style) -> Vec<CharPos> {
    let size = style.body.size_pt;
    let left = style.page.left_mm * crate::style::PT_PER_MM;
    let width = style.page.text_width_pt();
    let bottom = (style.page.height_mm - style.page.bottom_mm) * crate::style::PT_PER_MM;
    let mut placed = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        collect(&page.frame, Point::zero(), i, size, &mut placed);
    }
    // Page numbers sit below the text block.
    placed.retain(|p| p.y <= bottom + 1.0 && !p.text.trim().is_empty());
    placed.sort_by(|a, b| {
        (a.page, a.y)
            .partial_cmp(&(b.page, b.y))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.x.total_cmp(&b.x))
    });

    // The document's body-size characters with their place; only headings
    // and paragraphs can wrap.
    let mut expected: Vec<(char, CharPos, bool)> = Vec::new();
    for (bi, block) in blocks.iter().enumerate() {
        let wraps = matches!(block, Block::Heading { .. } | Block::Paragraph { .. });
        let mut offset = 0;
        for segment in body_text(block, style) {
            for c in segment.chars() {
                if !c.is_whitespace() {
                    expected.push((
                        c,
                        CharPos {
                            block: bi,
                            char: offset,
                        },
                        wraps,
                    ));
                }
                offset += 1;
            }
        }
    }
    let laid = placed
        .iter()
        .flat_map(|p| p.text.chars())
        .filter(|c| !c.is_whitespace());
    if laid.ne(expected.iter().map(|e| e.0)) {
        return Vec::new();
    }
    // Glyph index → character index (glyphs are single characters here; a
    // glyph of several characters maps to its first).
    let mut first_char = Vec::with_capacity(placed.len());
    let mut k = 0;
    for p in &placed {
        first_char.push(k);
        k += p.text.chars().filter(|c| !c.is_whitespace()).count();
    }

    let mut breaks = Vec::new();
    let mut start = 0;
    while start < placed.len() {
        let (page, y) = (placed[start].page, placed[start].y);
        let end = placed[start..]
            .iter()
            .position(|p| p.page != page || (p.y - y).abs() > 0.5)
            .map_or(placed.len(), |n| start + n);
        let line = &placed[start..end];
        let last = &line[line.len() - 1];
        let squeezed = last.text.chars().count() == 1
            && last.text.chars().all(|c| CLOSING.contains(c))
            && last.advance < 0.75 * size;
        // The line's natural width as the office suite measures it: font
        // advances plus tracking between glyphs, the Chinese–Latin gaps,
        // the indent of a first line — with the last mark at full width.
        let text_of = |j: usize| line[j].text.chars().next().unwrap_or(' ');
        let gaps = (1..line.len())
            .filter(|&j| {
                let (a, b) = (text_of(j - 1), text_of(j));
                (is_ideograph(a) && b.is_ascii_alphanumeric())
                    || (a.is_ascii_alphanumeric() && is_ideograph(b))
            })
            .count();
        let natural = line.iter().map(|p| p.natural).sum::<f64>()
            + style.pdf_tracking_pt * (line.len() - 1) as f64
            + style.cjk_latin_gap_pt * gaps as f64
            + (line[0].x - left);
        if squeezed && natural > width + 0.01 && line.len() > 1 {
            // Break before the last character that may start a line and
            // still leaves the line fitting: not a closing mark, not after
            // an opening one.
            let may_start = |j: usize| {
                let c = line[j].text.chars().next().unwrap_or(' ');
                let prev = line[j - 1].text.chars().last().unwrap_or(' ');
                !CLOSING.contains(c) && !OPENING.contains(prev)
            };
            if let Some(j) = (1..line.len() - 1).rev().find(|&j| may_start(j)) {
                let (_, pos, wraps) = expected[first_char[start + j]];
                if wraps {
                    breaks.push(pos);
                }
            }
        }
        start = end;
    }
    breaks
}
