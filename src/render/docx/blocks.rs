//! The document body: IR blocks → docx-rs paragraphs and tables.
//!
//! Each block becomes paragraphs in one of the named styles of
//! [`super::styles`]; direct formatting is limited to what varies per
//! paragraph (a run's bold, the signature's right indents, table widths).
//! Every line sits on the grid: each paragraph style has an exact line
//! height of one grid line (the masthead name a whole number of them), so
//! a block of k lines is k grid lines high in Word and LibreOffice alike.
//!
//! Text is data: characters XML cannot hold are dropped, tabs and line
//! breaks inside a run become `w:tab` / `w:br`, and docx-rs escapes the
//! rest.

use docx_rs::{
    AlignmentType, BorderType, BreakType, HeightRule, Paragraph, Run, SectionProperty, SpecialIndentType, Table,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow, WidthType,
};

use crate::doc::ir::{Align, Block, Document, Inlines, LayoutHints, ParaKind};
use crate::style::{PT_PER_MM, Style};

use super::metrics::{Metrics, border_eighths, ems, pitches, twips};
use super::pictures::{self, Pictures};
use super::section::section_break_paragraph;
use super::styles::id;
use super::xml::xml_safe;

/// Border of data tables in eighths of a point (`w:sz`), from the Style.
pub(crate) fn table_rule_eighths(style: &Style) -> usize {
    (style.table_rule_pt * 8.0).round().max(1.0) as usize
}

/// The body of the document, ready for `docx_rs::Document`.
pub(crate) enum Item {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

/// The sections of the body: the main one, and the colophon's own page
/// when the hints ask for it (then `main` ends before the colophon).
pub(crate) struct Sections {
    pub main: SectionProperty,
    pub colophon_page: SectionProperty,
}

/// Whether the colophon gets a page (and section) of its own: the hints
/// ask for it and something comes before it.
pub(crate) fn colophon_section_needed(doc: &Document, hints: &LayoutHints) -> bool {
    hints.colophon_on_new_page
        && doc.blocks.iter().rposition(|b| matches!(b, Block::Colophon { .. })).is_some_and(|i| i > 0)
}

/// Builds the body items; returns them and the section property of the
/// last section (the one `w:body` ends with).
pub(crate) fn body(
    doc: &Document,
    style: &Style,
    hints: &LayoutHints,
    pictures: &Pictures,
    sections: Sections,
) -> (Vec<Item>, SectionProperty) {
    let mut items: Vec<Item> = Vec::new();
    let last_colophon = doc.blocks.iter().rposition(|b| matches!(b, Block::Colophon { .. }));
    let kept_with_signature = kept_with_signature(&doc.blocks);
    let mut last_section = sections.main.clone();
    for (i, block) in doc.blocks.iter().enumerate() {
        if Some(i) == last_colophon {
            if hints.colophon_on_new_page && !items.is_empty() {
                end_section(&mut items, sections.main.clone());
                last_section = sections.colophon_page.clone();
            }
            // Empty grid lines push the colophon to the foot of the page;
            // never more than a page of them, whatever the hint says.
            let blanks = hints.colophon_blank_lines.min(style.grid.lines_per_page);
            for _ in 0..blanks {
                items.push(paragraph(Paragraph::new()));
            }
        }
        let before = items.len();
        block_items(block, style, hints.table_rows.get(&i).map(Vec::as_slice), pictures, &mut items);
        // The paragraph before the signature (and the blank line between)
        // keeps with it: Word and LibreOffice then carry its last line to
        // the signature's page, as the PDF layout does.
        if kept_with_signature.contains(&i)
            && let Some(Item::Paragraph(p)) = items.get_mut(before)
        {
            **p = std::mem::take(&mut **p).keep_next(true);
        }
    }
    (items, last_section)
}

/// The blocks that keep with the signature: the paragraph before it and
/// the blank lines between them. Found once per document (asked for each
/// block, it made the 1000-page report's DOCX quadratic: a quarter of its
/// time).
fn kept_with_signature(blocks: &[Block]) -> std::ops::Range<usize> {
    let Some(signature) = blocks.iter().position(|b| matches!(b, Block::Signature { .. })) else { return 0..0 };
    let blanks = blocks[..signature].iter().rev().take_while(|b| matches!(b, Block::Blank)).count();
    let first_blank = signature - blanks;
    let paragraph_before = first_blank.checked_sub(1).filter(|&p| matches!(blocks[p], Block::Paragraph { .. }));
    paragraph_before.unwrap_or(first_blank)..signature
}

/// Ends the current section at the last item: its paragraph carries the
/// section properties, or a one-point paragraph does after a table.
fn end_section(items: &mut Vec<Item>, sp: SectionProperty) {
    match items.pop() {
        Some(Item::Paragraph(p)) => items.push(paragraph(p.section_property(sp))),
        Some(other) => {
            items.push(other);
            items.push(paragraph(section_break_paragraph(sp)));
        }
        None => {}
    }
}

fn paragraph(p: Paragraph) -> Item {
    Item::Paragraph(Box::new(p))
}

/// `row_lines`: for a table or the colophon, the grid lines each row takes
/// in the PDF.
fn block_items(block: &Block, style: &Style, row_lines: Option<&[u32]>, pictures: &Pictures, out: &mut Vec<Item>) {
    match block {
        Block::Title { lines } => {
            let mut run = Run::new();
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    run = run.add_break(BreakType::TextWrapping);
                }
                run = add_text(run, line);
            }
            out.push(paragraph(Paragraph::new().style(id::TITLE).add_run(run)));
        }
        Block::Subtitle { text } => out.push(paragraph(inlines(Paragraph::new().style(id::SUBTITLE), text))),
        Block::Byline { text } => out.push(paragraph(inlines(Paragraph::new().style(id::BYLINE), text))),
        Block::Heading { level, number, text } => {
            let idx = usize::from((*level).clamp(1, 4)) - 1;
            let p = Paragraph::new().style(id::HEADINGS[idx]).add_run(add_text(Run::new(), number));
            out.push(paragraph(inlines(p, text)));
        }
        Block::Paragraph { kind, text } => {
            let p = match kind {
                // Normal is the default style: no w:pStyle needed.
                ParaKind::Body => Paragraph::new(),
                ParaKind::Note => Paragraph::new().style(id::NOTE),
                ParaKind::Contact => Paragraph::new().style(id::CONTACT),
            };
            let p = if block.keeps_with_next() { p.keep_next(true) } else { p };
            out.push(paragraph(inlines(p, text)));
        }
        Block::Blank => out.push(paragraph(Paragraph::new())),
        Block::Signature { name, date, name_right_indent, date_right_indent } => {
            for (text, indent) in [(name, *name_right_indent), (date, *date_right_indent)] {
                let right = signature_indent(style, indent);
                let p = Paragraph::new().style(id::SIGNATURE).indent(Some(0), None, Some(right), None);
                out.push(paragraph(p.add_run(add_text(Run::new(), text))));
            }
        }
        Block::Masthead { name, issue, editor, date } => {
            out.push(paragraph(Paragraph::new().style(id::MASTHEAD_NAME).add_run(add_text(Run::new(), name))));
            out.push(paragraph(Paragraph::new()));
            out.push(paragraph(Paragraph::new().style(id::MASTHEAD_ISSUE).add_run(add_text(Run::new(), issue))));
            let line = Run::new();
            let line = add_text(line, editor).add_tab();
            let line = add_text(line, date);
            out.push(paragraph(Paragraph::new().style(id::MASTHEAD_EDITOR).add_run(line)));
            // The blank grid line under the editor line carries the red rule.
            out.push(paragraph(Paragraph::new().style(id::MASTHEAD_RULE)));
        }
        Block::Colophon { lines, copies } => {
            out.push(Item::Table(Box::new(colophon(style, lines, copies.as_deref(), row_lines))))
        }
        Block::Table { header, rows, widths, align } => {
            out.push(Item::Table(Box::new(table(style, header, rows, widths, align, row_lines))))
        }
        Block::Image { image, width_pt, height_pt, lines, caption } => {
            for p in pictures::paragraphs(style, pictures, image, (*width_pt, *height_pt), *lines, caption) {
                out.push(paragraph(p));
            }
        }
    }
}

/// A right indent of `chars` character pitches, kept within the block.
fn signature_indent(style: &Style, chars: f64) -> i32 {
    let max = f64::from(style.grid.chars_per_line);
    let chars = if chars.is_finite() { chars.clamp(0.0, max) } else { 0.0 };
    pitches(style, chars)
}

/// Appends the runs of some inline content to a paragraph.
pub(crate) fn inlines(mut p: Paragraph, text: &Inlines) -> Paragraph {
    for r in text {
        let mut run = add_text(Run::new(), &r.text);
        if r.bold {
            run = run.bold();
        }
        p = p.add_run(run);
    }
    p
}

/// Adds text to a run: XML-unsafe characters dropped, `\t` as `w:tab`,
/// `\n` (and `\r\n`, `\r`) as `w:br`.
fn add_text(mut run: Run, text: &str) -> Run {
    let text = xml_safe(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut first = true;
    for line in text.split('\n') {
        if !first {
            run = run.add_break(BreakType::TextWrapping);
        }
        first = false;
        let mut first_piece = true;
        for piece in line.split('\t') {
            if !first_piece {
                run = run.add_tab();
            }
            first_piece = false;
            if !piece.is_empty() {
                run = run.add_text(piece);
            }
        }
    }
    run
}

/// Column widths in twips: the IR's fractions of the text block when they
/// make sense (one per column, finite, positive), else equal columns. The
/// last column takes the rounding so the table is exactly the block wide.
fn column_widths(widths: &[f64], columns: usize, text_width: i32) -> Vec<usize> {
    let columns = columns.max(1);
    let valid = widths.len() == columns && widths.iter().all(|w| w.is_finite() && *w > 0.0);
    let fractions: Vec<f64> = if valid {
        let sum: f64 = widths.iter().sum();
        widths.iter().map(|w| w / sum).collect()
    } else {
        vec![1.0 / columns as f64; columns]
    };
    let total = text_width.max(columns as i32) as usize;
    let mut out: Vec<usize> = fractions.iter().map(|f| ((f * total as f64).floor() as usize).max(1)).collect();
    let used: usize = out[..columns - 1].iter().sum();
    out[columns - 1] = total.saturating_sub(used).max(1);
    out
}

fn cell(width: usize, style_id: &str, align: Align, content: Option<&Inlines>) -> TableCell {
    let p = Paragraph::new().style(style_id).align(match align {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    });
    let p = match content {
        Some(text) => inlines(p, text),
        None => p,
    };
    TableCell::new().width(width, WidthType::Dxa).add_paragraph(p)
}

/// A data table: fixed layout across the text block, thin borders, the
/// header row repeated on every page (`w:tblHeader` is added when the
/// package is written: docx-rs cannot express it).
///
/// Rows stay on the grid although borders take room (LibreOffice makes a
/// row as high as its text plus the rule below it, and lays the table's
/// top rule out above the first row): cell text has no vertical padding
/// and an exact line height of one grid line minus a rule (`TableText`;
/// `TableHeading` minus two, for the top rule), and each row is at least
/// as many whole grid lines high as its tallest cell is estimated to need
/// (the first row one rule less), so a row of k lines is k grid lines
/// high, rules included. Measured in LibreOffice: the line after a table
/// is on the grid.
fn table(
    style: &Style,
    header: &[Inlines],
    rows: &[Vec<Inlines>],
    widths: &[f64],
    align: &[Align],
    row_lines: Option<&[u32]>,
) -> Table {
    let m = Metrics::new(style);
    let columns = rows.iter().map(Vec::len).chain([header.len(), 1]).max().unwrap_or(1);
    let widths = column_widths(widths, columns, m.text_width);
    let pad = ems(&style.table, style.table_padding_chars).max(0);
    let rule_eighths = table_rule_eighths(style);
    let top_rule = twips(rule_eighths as f64 / 8.0);
    let make_row = |cells: &[Inlines], style_id: &str, index: usize| {
        let first = index == 0;
        // The header is centred; body cells follow their column.
        let align_of = |i: usize| {
            if first { Align::Center } else { align.get(i).copied().unwrap_or(Align::Left) }
        };
        // As many grid lines as the row has in the PDF; estimated where the
        // layout could not tell (a row broken across pages).
        let lines = match row_lines.and_then(|r| r.get(index)).copied() {
            Some(n) if n > 0 => n as usize,
            _ => widths
                .iter()
                .enumerate()
                .map(|(i, &w)| cells.get(i).map_or(1, |c| estimated_lines(c, w as i32 - 2 * pad, style.table.size_pt)))
                .max()
                .unwrap_or(1),
        };
        let height = m.line_pitch.saturating_mul(lines.min(MAX_ROW_LINES) as i32) - if first { top_rule } else { 0 };
        let cells = widths.iter().enumerate().map(|(i, &w)| cell(w, style_id, align_of(i), cells.get(i))).collect();
        TableRow::new(cells).row_height(height.max(1) as f32).height_rule(HeightRule::AtLeast)
    };
    let mut table_rows = vec![make_row(header, id::TABLE_HEADING, 0).cant_split()];
    table_rows.extend(rows.iter().enumerate().map(|(i, r)| make_row(r, id::TABLE_TEXT, i + 1)));
    let thin = |pos| TableBorder::new(pos).size(rule_eighths).color("auto").border_type(BorderType::Single);
    let borders = TableBorders::with_empty()
        .set(thin(TableBorderPosition::Top))
        .set(thin(TableBorderPosition::Left))
        .set(thin(TableBorderPosition::Bottom))
        .set(thin(TableBorderPosition::Right))
        .set(thin(TableBorderPosition::InsideH))
        .set(thin(TableBorderPosition::InsideV));
    let pad = pad as usize;
    Table::new(table_rows)
        .style(id::TABLE_GRID)
        .set_grid(widths.clone())
        .width(m.text_width.max(1) as usize, WidthType::Dxa)
        .indent(0)
        .layout(TableLayoutType::Fixed)
        .set_borders(borders)
        .margins(TableCellMargins::new().margin(0, pad, 0, pad))
}

/// A row is never made taller than this many grid lines by the estimate.
const MAX_ROW_LINES: usize = 200;

/// How many lines some text needs in a column `width` twips wide at
/// `size_pt`: at least one per hard line break, each hard line as many as
/// its width fills (CJK and full-width characters one em, others half).
/// A lower bound — line breaking can need one more — used only as a row's
/// minimum height.
pub(crate) fn estimated_lines(text: &Inlines, width: i32, size_pt: f64) -> usize {
    let em = size_pt * 20.0;
    if width <= 0 || em.is_nan() || em <= 0.0 {
        return 1;
    }
    let all: String = text.iter().map(|r| r.text.as_str()).collect();
    all.split('\n')
        .map(|line| {
            let w: f64 = line.chars().map(|c| if is_wide(c) { em } else { em / 2.0 }).sum();
            ((w / f64::from(width)).ceil() as usize).max(1)
        })
        .sum::<usize>()
        .max(1)
}

/// Characters set one em wide in CJK fonts: CJK, full-width forms, and the
/// punctuation CJK fonts draw full width (quotes, dashes, ellipsis).
fn is_wide(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'..='\u{206F}'
            | '\u{2E80}'..='\u{A4CF}'
            | '\u{AC00}'..='\u{D7AF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF00}'..='\u{FF60}'
            | '\u{FFE0}'..='\u{FFE6}'
            | '\u{20000}'..='\u{3FFFD}'
    )
}

/// The 版记: a one-column table across the text block, one row per line
/// (each exactly one grid line high, or as many as the line took in the
/// PDF when it wrapped: `row_lines`), a thick rule above the first and
/// below the last line, thin rules between, the text inset one character
/// on both sides by the cell padding, the copies right-aligned last.
fn colophon(style: &Style, lines: &[Inlines], copies: Option<&str>, row_lines: Option<&[u32]>) -> Table {
    let m = Metrics::new(style);
    let c = &style.colophon;
    let width = m.text_width.max(1) as usize;
    // Every row whole grid lines, the first too: LibreOffice 7.4 draws
    // the top rule inside the first row (measured: rules 627.0, 655.8 …
    // 742.8 pt, the last on the bottom of the text block, as in the PDF; a
    // first row shorter by the rule put every later rule 1 pt high).
    let row = |p: Paragraph, height: i32| {
        TableRow::new(vec![TableCell::new().width(width, WidthType::Dxa).add_paragraph(p)])
            .row_height(height as f32)
            .height_rule(HeightRule::Exact)
            .cant_split()
    };
    let mut paragraphs: Vec<Paragraph> = lines
        .iter()
        .map(|l| {
            let p = Paragraph::new().style(id::COLOPHON);
            let p = match crate::doc::colophon_hang_chars(l) {
                // In characters as well as twips: Word lets the style's
                // `firstLineChars` win over a hanging indent in twips
                // (`w:hangingChars` is added by a fixup: docx-rs cannot
                // write it).
                Some(n) => {
                    let hang = ems(&c.text, n as f64);
                    let chars = n as i32 * 100;
                    p.indent(Some(hang), Some(SpecialIndentType::Hanging(hang)), None, Some(chars))
                }
                None => p,
            };
            inlines(p, l)
        })
        .collect();
    if let Some(copies) = copies {
        paragraphs.push(Paragraph::new().style(id::COLOPHON_COPIES).add_run(add_text(Run::new(), copies)));
    }
    if paragraphs.is_empty() {
        paragraphs.push(Paragraph::new().style(id::COLOPHON));
    }
    let rows: Vec<TableRow> = paragraphs
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            // A row is at most a page high (hints come from the layout, but
            // the writer takes any document: fuzzing found an overflow).
            let span =
                row_lines.and_then(|r| r.get(i)).copied().unwrap_or(1).clamp(1, style.grid.lines_per_page.max(1));
            row(p, (span as i32).saturating_mul(m.line_pitch.max(1)))
        })
        .collect();
    let rule = |pos, mm: f64| {
        TableBorder::new(pos).size(border_eighths(mm * PT_PER_MM)).color("auto").border_type(BorderType::Single)
    };
    let none = |pos| TableBorder::new(pos).size(0).color("auto").border_type(BorderType::Nil);
    let borders = TableBorders::with_empty()
        .set(rule(TableBorderPosition::Top, c.thick_rule_mm))
        .set(none(TableBorderPosition::Left))
        .set(rule(TableBorderPosition::Bottom, c.thick_rule_mm))
        .set(none(TableBorderPosition::Right))
        .set(rule(TableBorderPosition::InsideH, c.thin_rule_mm))
        .set(none(TableBorderPosition::InsideV));
    let inset = ems(&c.text, c.inset_chars).max(0) as usize;
    Table::new(rows)
        .set_grid(vec![width])
        .width(width, WidthType::Dxa)
        .indent(0)
        .align(docx_rs::TableAlignmentType::Left)
        .layout(TableLayoutType::Fixed)
        .set_borders(borders)
        .margins(TableCellMargins::new().margin(0, inset, 0, inset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_fill_the_block() {
        assert_eq!(column_widths(&[0.25, 0.75], 2, 8844), vec![2211, 6633]);
        assert_eq!(column_widths(&[f64::NAN, 1.0], 2, 8844), vec![4422, 4422]);
        assert_eq!(column_widths(&[], 3, 8844).iter().sum::<usize>(), 8844);
        assert_eq!(column_widths(&[1.0], 0, 8844), vec![8844]);
    }

    #[test]
    fn the_paragraph_and_blank_lines_before_the_signature_keep_with_it() {
        use crate::doc::ir::{ParaKind, Run};
        let para = || Block::Paragraph { kind: ParaKind::Body, text: vec![Run::plain("正文")] };
        let signature = || Block::Signature {
            name: "某某党支部".into(),
            date: "2025年7月10日".into(),
            name_right_indent: 0.0,
            date_right_indent: 0.0,
        };
        let heading = || Block::Heading { level: 1, number: "一、".into(), text: vec![Run::plain("标题")] };
        assert_eq!(kept_with_signature(&[para(), para(), Block::Blank, signature()]), 1..3);
        assert_eq!(kept_with_signature(&[para(), signature(), para()]), 0..1);
        // Only blank lines after something else: they keep, it does not.
        assert_eq!(kept_with_signature(&[heading(), Block::Blank, Block::Blank, signature()]), 1..3);
        assert_eq!(kept_with_signature(&[Block::Blank, signature()]), 0..1);
        assert_eq!(kept_with_signature(&[signature()]), 0..0);
        assert_eq!(kept_with_signature(&[para(), Block::Blank]), 0..0);
    }

    #[test]
    fn line_estimates() {
        use crate::doc::ir::Run;
        let cjk = vec![Run::plain("一二三四五六七八九十")];
        assert_eq!(estimated_lines(&cjk, 280 * 10, 14.0), 1);
        assert_eq!(estimated_lines(&cjk, 280 * 9, 14.0), 2);
        assert_eq!(estimated_lines(&vec![Run::plain("12345678")], 280 * 4, 14.0), 1);
        assert_eq!(estimated_lines(&vec![Run::plain("a\nb")], 2800, 14.0), 2);
        assert_eq!(estimated_lines(&vec![], 0, 14.0), 1);
    }
}
