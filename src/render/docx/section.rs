//! Page setup and footers: the section properties and the page-number
//! footers (GB/T 9704 7.5).
//!
//! Odd pages (Word's default footer) carry `— N —` right-aligned one
//! character in from the right edge of the text block, even pages
//! left-aligned one character in from the left; `w:evenAndOddHeaders` in
//! the settings switches the even footer on. The number is a PAGE field
//! built from field characters, not docx-rs's `PageNum` (whose run has an
//! empty `w:rPr`): the runs take the footer style's font and size. The
//! footer distance puts the top of the number line `below_block_mm` under
//! the text block (see [`Metrics`]).

use docx_rs::{
    AlignmentType, DocGrid, DocGridType, FieldCharType, Footer, InstrPAGE, InstrText, PageMargin, PageSize, Paragraph,
    Run, SectionProperty, SectionType,
};

use crate::style::Style;

use super::metrics::{Metrics, ems};
use super::styles::id;

/// The dash before and after the page number: U+2014 and a space.
const DASH_BEFORE: &str = "\u{2014} ";
const DASH_AFTER: &str = " \u{2014}";

/// Which footers a section shows.
pub(crate) struct SectionFooters<'a> {
    /// Relationship id of the default (odd-page) footer.
    pub odd: &'a str,
    /// Relationship id of the even-page footer.
    pub even: &'a str,
}

/// The section properties: A4, the margins, the line grid, the footers.
/// `next_page` marks a section that starts on a new page (the colophon's).
pub(crate) fn section_property(style: &Style, footers: &SectionFooters<'_>, next_page: bool) -> SectionProperty {
    let m = Metrics::new(style);
    let grid = DocGrid::new().grid_type(DocGridType::Lines).line_pitch(m.line_pitch.max(1) as usize);
    let mut sp = SectionProperty::new()
        .page_size(PageSize::new().size(m.page_width.max(1) as u32, m.page_height.max(1) as u32))
        .page_margin(
            PageMargin::new()
                .top(m.top)
                .bottom(m.bottom)
                .left(m.left)
                .right(m.right)
                .header(m.header)
                .footer(m.footer)
                .gutter(0),
        )
        .doc_grid(grid)
        // The footer object is only a placeholder here: the footer parts
        // are written by the package writer under these relationship ids.
        .footer(Footer::new(), footers.odd)
        .even_footer(Footer::new(), footers.even);
    if next_page {
        sp.section_type = Some(SectionType::NextPage);
    }
    sp
}

/// The footer of odd (`odd = true`) or even pages: `— N —`.
pub(crate) fn page_number_footer(style: &Style, odd: bool) -> Footer {
    let inset = ems(&style.page_number.text, style.page_number.inset_chars).max(0);
    let p = Paragraph::new().style(id::FOOTER);
    let p = if odd {
        p.align(AlignmentType::Right).indent(Some(0), None, Some(inset), None)
    } else {
        p.align(AlignmentType::Left).indent(Some(inset), None, Some(0), None)
    };
    let p = p
        .add_run(Run::new().add_text(DASH_BEFORE))
        .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
        .add_run(Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
        .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
        .add_run(Run::new().add_text("1"))
        .add_run(Run::new().add_field_char(FieldCharType::End, false))
        .add_run(Run::new().add_text(DASH_AFTER));
    Footer::new().add_paragraph(p)
}

/// A footer with nothing in it (the colophon's own page has no number).
pub(crate) fn empty_footer() -> Footer {
    Footer::new().add_paragraph(Paragraph::new().style(id::FOOTER))
}

/// The paragraph that carries a section break when the block before the
/// break is not a paragraph (a table): one point high, no text.
pub(crate) fn section_break_paragraph(sp: SectionProperty) -> Paragraph {
    Paragraph::new().style(id::SECTION_BREAK).section_property(sp)
}
