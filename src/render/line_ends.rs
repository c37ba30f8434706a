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
//! Most such breaks are known before the first layout (`predict`); what
//! this module finds after a layout is what the prediction missed.
//!
//! The laid-out glyphs are matched to the document by reading order: the
//! body-size text of the pages (by page, baseline, x) is the body-size text
//! of the blocks in order. If the two ever disagree nothing is forced —
//! the PDF is still right, only the rare squeezed line may differ.

use typst::ecow::EcoString;
use typst::layout::{Frame, FrameItem, Point};
use typst_layout::PagedDocument;

use crate::doc::script::{extra_between, is_latin_portion};
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
pub(super) const CLOSING: &str = "”’，．。、：；》〉）』」】〗〕］｝？！";
/// Opening marks: a line may not end with one.
pub(super) const OPENING: &str = "“‘《〈（『「【〖〔［｛";
/// Closing marks of line-break class CL: LibreOffice does not break
/// between one of them and a Latin letter or digit after it.
const CLOSE_PUNCTUATION: &str = "，．。、》〉）』」】〗〕］｝";

/// Whether the office suite keeps `a` and `b` together on a line where
/// Typst may break between them: a CL mark and a letter or digit.
fn no_break_between(a: char, b: char) -> bool {
    CLOSE_PUNCTUATION.contains(a) && crate::doc::script::is_latin_word(b)
}

/// Whether the office suite may start a line with `b` after `a`: not with
/// a closing mark, not after an opening one, not inside a Latin word or
/// number, not with a letter or digit after a closing mark.
pub(super) fn may_start_line(a: char, b: char) -> bool {
    let forbidden = CLOSING.contains(b)
        || OPENING.contains(a)
        || (is_latin_portion(a) && is_latin_portion(b))
        || no_break_between(a, b);
    !forbidden
}

/// One glyph of body-size text as laid out.
struct Placed {
    page: usize,
    y: f64,
    /// Where the glyph is drawn.
    x: f64,
    /// Where its advance starts (before Typst's offset of squeezed marks).
    pen: f64,
    /// Its characters (one, but for a ligature): inline, not allocated —
    /// a 1000-page report has over half a million glyphs per layout round.
    text: EcoString,
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
            FrameItem::Text(t) if is_body_size(t.size.to_pt(), body_size) => {
                let mut x = at.x.to_pt();
                // Typst keeps a glyph's place in the text as a `u16`: past
                // 64 KB of one text item (only a word too long for any line
                // makes one) the range saturates. There, take the character
                // after the previous glyph's (one glyph per character).
                let mut next = 0;
                for g in &t.glyphs {
                    let range = if g.range.end == u16::MAX {
                        next..t.text[next.min(t.text.len())..].chars().next().map_or(next, |c| next + c.len_utf8())
                    } else {
                        g.range()
                    };
                    next = range.end;
                    let text = EcoString::from(t.text.get(range).unwrap_or(""));
                    let advance = g.x_advance.at(t.size).to_pt();
                    let natural = t.font.x_advance(g.id).map_or(advance, |em| em.at(t.size).to_pt());
                    out.push(Placed {
                        page,
                        y: at.y.to_pt(),
                        x: x + g.x_offset.at(t.size).to_pt(),
                        pen: x,
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

/// Whether text of `size` (points) is body-size text, the text that wraps
/// on the grid.
pub(super) fn is_body_size(size: f64, body_size: f64) -> bool {
    (size - body_size).abs() < 0.01
}

/// How many glyphs of body-size text `frame` holds (what [`collect`] takes).
fn count_glyphs(frame: &Frame, body_size: f64) -> usize {
    frame
        .items()
        .map(|(_, item)| match item {
            FrameItem::Group(g) => count_glyphs(&g.frame, body_size),
            FrameItem::Text(t) if is_body_size(t.size.to_pt(), body_size) => t.glyphs.len(),
            _ => 0,
        })
        .sum()
}

/// The body-size text of a block, in layout order (empty for blocks drawn
/// at other sizes: titles, tables, the colophon, contact lines).
fn body_text(block: &Block, style: &Style) -> Vec<String> {
    let body = |size: f64| is_body_size(size, style.body.size_pt);
    match block {
        Block::Heading { number, text, level }
            if body(style.headings[usize::from(*level).clamp(1, 4) - 1].text.size_pt) =>
        {
            vec![format!("{number}{}", plain_text(text))]
        }
        Block::Paragraph { kind, text } => {
            let ts = match kind {
                ParaKind::Body => &style.body,
                ParaKind::Note => &style.note,
                ParaKind::Contact => &style.contact,
            };
            if body(ts.size_pt) { vec![plain_text(text)] } else { Vec::new() }
        }
        Block::Subtitle { text } if body(style.subtitle.size_pt) => vec![plain_text(text)],
        Block::Image { caption, .. } if body(style.caption.size_pt) => vec![plain_text(caption)],
        Block::Byline { text } if body(style.byline.size_pt) => vec![plain_text(text)],
        Block::Signature { name, date, .. } if body(style.body.size_pt) => {
            vec![name.clone(), date.clone()]
        }
        Block::Masthead { issue, editor, date, .. } => {
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

/// A laid-out line's page (from 0) and baseline (points from the top).
#[derive(Debug, Clone, Copy)]
pub struct LinePlace {
    pub page: usize,
    pub y: f64,
}

/// The body-size text of a laid-out document, glyph by glyph in reading
/// order, each glyph matched to its character in the document.
pub struct LaidText {
    glyphs: Vec<Placed>,
    /// For each glyph, the block character it draws.
    pos: Vec<CharPos>,
    /// For each glyph, whether its block can wrap (headings, paragraphs).
    wraps: Vec<bool>,
}

impl LaidText {
    /// Reads the laid-out pages; `None` if they cannot be matched to the
    /// document's blocks.
    pub fn read(document: &PagedDocument, blocks: &[Block], style: &Style) -> Option<LaidText> {
        let bottom = (style.page.height_mm - style.page.bottom_mm) * crate::style::PT_PER_MM;
        // Sized up front: a 1000-page report has over half a million glyphs,
        // and growing the vector step by step took a tenth of its render time.
        let count: usize = document.pages().iter().map(|p| count_glyphs(&p.frame, style.body.size_pt)).sum();
        let mut glyphs = Vec::with_capacity(count);
        for (i, page) in document.pages().iter().enumerate() {
            collect(&page.frame, Point::zero(), i, style.body.size_pt, &mut glyphs);
        }
        // Page numbers sit below the text block.
        glyphs.retain(|p| p.y <= bottom + 1.0 && !p.text.trim().is_empty());
        glyphs.sort_by(|a, b| {
            (a.page, a.y).partial_cmp(&(b.page, b.y)).unwrap_or(std::cmp::Ordering::Equal).then(a.x.total_cmp(&b.x))
        });
        // The document's characters, in order, each with its place and
        // whether its block wraps; the glyphs must show exactly these.
        let mut expected = blocks.iter().enumerate().flat_map(|(bi, block)| {
            let wraps = matches!(block, Block::Heading { .. } | Block::Paragraph { .. });
            let chars: Vec<char> = body_text(block, style).concat().chars().collect();
            chars
                .into_iter()
                .enumerate()
                .filter(|(_, c)| !c.is_whitespace())
                .map(move |(offset, c)| (c, CharPos { block: bi, char: offset }, wraps))
        });
        // A glyph of several characters (none here) maps to its first.
        let mut pos = Vec::with_capacity(glyphs.len());
        let mut wraps = Vec::with_capacity(glyphs.len());
        for p in &glyphs {
            let mut first = None;
            for c in p.text.chars().filter(|c| !c.is_whitespace()) {
                let e = expected.next().filter(|e| e.0 == c)?;
                first.get_or_insert(e);
            }
            // Every glyph kept has a character that is not a space.
            let (_, at, wrap) = first?;
            pos.push(at);
            wraps.push(wrap);
        }
        if expected.next().is_some() {
            return None;
        }
        Some(LaidText { glyphs, pos, wraps })
    }

    /// The glyph index ranges of the lines, in reading order.
    fn lines(&self) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        while start < self.glyphs.len() {
            let (page, y) = (self.glyphs[start].page, self.glyphs[start].y);
            let end = self.glyphs[start..]
                .iter()
                .position(|p| p.page != page || (p.y - y).abs() > 0.5)
                .map_or(self.glyphs.len(), |n| start + n);
            out.push(start..end);
            start = end;
        }
        out
    }

    /// Where the lines of each wrapping block start, but its first: the
    /// characters (by block) that begin a line of their block.
    pub fn line_starts(&self) -> std::collections::BTreeMap<usize, Vec<usize>> {
        let mut out: std::collections::BTreeMap<usize, Vec<usize>> = std::collections::BTreeMap::new();
        for range in self.lines() {
            let first = range.start;
            if first > 0 && self.wraps[first] && self.pos[first - 1].block == self.pos[first].block {
                out.entry(self.pos[first].block).or_default().push(self.pos[first].char);
            }
        }
        out
    }

    /// Where the last line before `block` and the block's first line
    /// stand, if both have body-size text.
    pub fn before_block(&self, block: usize) -> Option<(LinePlace, LinePlace)> {
        // Glyphs are in reading order, which is block order.
        let first = self.pos.partition_point(|p| p.block < block);
        if self.pos.get(first)?.block != block {
            return None;
        }
        let place = |g: &Placed| LinePlace { page: g.page, y: g.y };
        Some((place(&self.glyphs[first.checked_sub(1)?]), place(&self.glyphs[first])))
    }

    /// Where the office suite breaks lines that the PDF breaks otherwise:
    /// the characters that must start a line.
    ///
    /// - A line that only fitted because Typst squeezed its last mark (or an
    ///   opening mark at its start) breaks before the last character that
    ///   still fits at full width.
    /// - A line that ends with a closing mark (`。` `，` `）` …, Unicode
    ///   class CL) while the next line starts with a Latin letter or digit:
    ///   LibreOffice never breaks between the two (measured: `…誓词。` then
    ///   `3名…` became `…誓` and `词。3名…`; after `：` `；` `？` `！` `”` it
    ///   does break), so it breaks before the last character that may start
    ///   a line.
    /// - A wrapped line that starts with an opening mark Typst set
    ///   half-width (into the margin), or that ends with a closing mark Typst
    ///   set half-width although it fits at full width: a forced break there
    ///   makes the layout end and start the lines with a guard, and the mark
    ///   stays full width (flush with the margin, or with the other half of
    ///   its width left blank at the end) as in the office suite.
    pub fn office_breaks(&self, style: &Style) -> Vec<CharPos> {
        let size = style.body.size_pt;
        let left = style.page.left_mm * crate::style::PT_PER_MM;
        let width = style.page.text_width_pt();
        let mut breaks = Vec::new();
        let lines = self.lines();
        for (k, range) in lines.iter().enumerate() {
            let line = &self.glyphs[range.clone()];
            let last = &line[line.len() - 1];
            let text_of = |j: usize| line[j].text.chars().next().unwrap_or(' ');
            // Typst squeezes a closing mark at a line's end and an opening
            // mark at its start; the office suite does neither.
            let is_squeezed = |p: &Placed, marks: &str| {
                p.text.chars().count() == 1 && p.text.chars().all(|c| marks.contains(c)) && p.advance < 0.75 * size
            };
            let opens_squeezed = is_squeezed(&line[0], OPENING);
            // A wrapped line (its block goes on from the line before).
            let first = range.start;
            if opens_squeezed
                && self.wraps[first]
                && first > 0
                && self.pos[first - 1].block == self.pos[first].block
                && self.pos[first].char > 0
            {
                breaks.push(self.pos[first]);
            }
            // The next line's first glyph, if the same block goes on.
            let next_start =
                lines.get(k + 1).map(|r| r.start).filter(|&n| self.pos[n].block == self.pos[range.end - 1].block);
            let next = next_start.and_then(|n| self.glyphs[n].text.chars().next());
            let no_break_after = next.is_some_and(|n| no_break_between(text_of(line.len() - 1), n));
            let squeezed = is_squeezed(last, CLOSING) || opens_squeezed;
            if !(squeezed || no_break_after) || line.len() < 2 {
                continue;
            }
            // The line as the office suite measures it: font advances,
            // tracking between glyphs, the Chinese–Latin gaps and lost
            // tracking at script changes, a first line's indent — no
            // squeezing. `fits(j)`: the first `j` glyphs fit on the line.
            let indent = (line[0].pen - left).max(0.0);
            let mut ends = Vec::with_capacity(line.len() + 1);
            let mut sum = indent;
            ends.push(sum);
            for (j, glyph) in line.iter().enumerate() {
                if j > 0 {
                    sum += style.pdf_tracking_pt
                        + extra_between(
                            text_of(j - 1),
                            text_of(j),
                            size,
                            style.cjk_latin_gap_em,
                            style.pdf_tracking_pt,
                        );
                }
                sum += glyph.natural;
                ends.push(sum);
            }
            let fits = |j: usize| ends[j] <= width + 0.01;
            if fits(line.len()) && !no_break_after {
                // The line fits with its last mark at full width: break where
                // Typst did, but force it, so the layout ends the line with a
                // guard and sets the mark full width, as the office suite
                // does (else Typst sets it half-width and spreads the other
                // half over the line).
                if is_squeezed(last, CLOSING)
                    && let Some(n) = next_start
                    && self.wraps[n]
                {
                    breaks.push(self.pos[n]);
                }
                continue;
            }
            // Break before the last glyph that may start a line and leaves
            // a line that fits.
            if let Some(j) = (1..line.len()).rev().find(|&j| may_start_line(text_of(j - 1), text_of(j)) && fits(j))
                && self.wraps[range.start + j]
            {
                breaks.push(self.pos[range.start + j]);
            }
        }
        breaks
    }

    /// Where the office suite breaks a word too long for a line (a long
    /// number, a path, a line of letters without spaces): Typst never
    /// breaks inside it and lets the line run past the margin, off the
    /// page; Word and LibreOffice break it at the margin, character by
    /// character. Returns every such break of every overflowing line at
    /// once (a 1 MB word needs thousands), each before the first glyph
    /// that no longer fits — never before a closing mark, after an opening
    /// one or before a combining mark.
    pub fn overflow_breaks(&self, style: &Style) -> Vec<CharPos> {
        use unicode_width::UnicodeWidthChar;
        let right = style.page.left_mm * crate::style::PT_PER_MM + style.page.text_width_pt() + 0.01;
        let mut breaks = Vec::new();
        for range in self.lines() {
            let line = &self.glyphs[range.clone()];
            // A line that overflows has glyphs wholly past the margin (the
            // advance of a justified line's last glyph includes its
            // stretch, so it cannot tell).
            if !line.last().is_some_and(|p| p.pen > right) {
                continue;
            }

            let first_char = |p: &Placed| p.text.chars().next().unwrap_or(' ');
            let may_start = |j: usize| {
                let (a, b) = (first_char(&line[j - 1]), first_char(&line[j]));
                !CLOSING.contains(b) && !OPENING.contains(a) && b.width() != Some(0)
            };
            // `shift`: how far left the current piece moves when it starts
            // a line of its own (at the left margin, no indent).
            let left = style.page.left_mm * crate::style::PT_PER_MM;
            let (mut start, mut shift) = (0, 0.0);
            for j in 1..line.len() {
                if line[j].pen - shift + line[j].natural <= right {
                    continue;
                }
                let Some(at) = (start + 1..=j).rev().find(|&k| may_start(k)) else { continue };
                if !self.wraps[range.start + at] {
                    break;
                }
                breaks.push(self.pos[range.start + at]);
                start = at;
                shift = line[at].pen - left;
            }
        }
        breaks
    }

    /// When the signature (署名 and date) would stand on a page of its own,
    /// the start of the paragraph before it, which must go with it: a
    /// signature is never alone on a page. The DOCX's last paragraph keeps
    /// with the signature, so Word and LibreOffice do the same.
    pub fn orphaned_signature(&self, blocks: &[Block]) -> Option<usize> {
        let sig = blocks.iter().position(|b| matches!(b, Block::Signature { .. }))?;
        let first = self.pos.iter().position(|p| p.block == sig)?;
        let prev = first.checked_sub(1)?;
        if self.glyphs[prev].page == self.glyphs[first].page {
            return None;
        }
        // The previous line must belong to a paragraph right before the
        // signature (only a blank line between).
        let between_blank = blocks[self.pos[prev].block + 1..sig].iter().all(|b| matches!(b, Block::Blank));
        if !between_blank || !matches!(blocks[self.pos[prev].block], Block::Paragraph { .. }) {
            return None;
        }
        // Word and LibreOffice (keep with next) move the whole paragraph to
        // the signature's page; so does the PDF.
        Some(self.pos[prev].block)
    }
}
