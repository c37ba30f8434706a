//! Style: the layout numbers of a template, in one place.
//!
//! Defaults come from GB/T 9704-2012 (`shared/spec/gbt9704.md`). Both
//! backends read the same [`Style`]: the PDF layout receives it as JSON, the
//! DOCX writer converts it to twips and half-points. Nothing else in the
//! code base may hard-code a size, a margin or a font.

use serde::Serialize;

use crate::fonts::Role;

/// Points per millimetre.
pub const PT_PER_MM: f64 = 72.0 / 25.4;

/// Page size and margins in millimetres.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub width_mm: f64,
    pub height_mm: f64,
    pub top_mm: f64,
    pub left_mm: f64,
    pub right_mm: f64,
    pub bottom_mm: f64,
}

impl Page {
    /// Width of the text block (版心) in points.
    pub fn text_width_pt(&self) -> f64 {
        (self.width_mm - self.left_mm - self.right_mm) * PT_PER_MM
    }
    /// Height of the text block in points.
    pub fn text_height_pt(&self) -> f64 {
        (self.height_mm - self.top_mm - self.bottom_mm) * PT_PER_MM
    }
}

/// The line grid every body line sits on.
#[derive(Debug, Clone, Serialize)]
pub struct Grid {
    pub lines_per_page: u32,
    pub chars_per_line: u32,
    /// Baseline-to-baseline distance; Word's `w:linePitch` = this × 20.
    pub line_pitch_pt: f64,
}

/// Font role and size of one kind of text.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct TextStyle {
    pub role: Role,
    pub size_pt: f64,
    pub bold: bool,
}

/// One heading level (一、 （一） 1. （1）).
#[derive(Debug, Clone, Serialize)]
pub struct HeadingStyle {
    pub text: TextStyle,
    /// The ordinal format: `cn-comma` (一、), `cn-paren` (（一）),
    /// `arabic-dot` (1.), `arabic-paren` (（1）).
    pub numbering: Numbering,
}

/// How a heading level is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Numbering {
    CnComma,
    CnParen,
    ArabicDot,
    ArabicParen,
}

/// The page-number line `— N —` (GB/T 9704 7.5).
#[derive(Debug, Clone, Serialize)]
pub struct PageNumber {
    pub text: TextStyle,
    /// Distance from the bottom of the text block to the top of the line.
    pub below_block_mm: f64,
    /// Inset from the outer edge of the text block, in characters of the
    /// page-number size.
    pub inset_chars: f64,
}

/// 版记 / 报尾: the rules and lines at the foot of the last page.
#[derive(Debug, Clone, Serialize)]
pub struct Colophon {
    pub text: TextStyle,
    pub thick_rule_mm: f64,
    pub thin_rule_mm: f64,
    /// Inset of the text from both sides, in characters of the text size.
    pub inset_chars: f64,
}

/// The red masthead of a work briefing.
#[derive(Debug, Clone, Serialize)]
pub struct Masthead {
    pub name: TextStyle,
    /// Colour of the name and the rule, `#RRGGBB`.
    pub color: String,
    /// Grid lines the name occupies.
    pub name_lines: u32,
    pub issue: TextStyle,
    /// Editor and date line.
    pub editor: TextStyle,
    pub rule_pt: f64,
    /// Gap between the editor line's text and the red rule.
    pub rule_gap_mm: f64,
}

/// Everything a backend needs to lay out a document of one template.
#[derive(Debug, Clone, Serialize)]
pub struct Style {
    pub page: Page,
    pub grid: Grid,
    /// Body text (3号 仿宋).
    pub body: TextStyle,
    /// First-line indent of body paragraphs, in character pitches.
    pub indent_chars: f64,
    /// The title (2号 小标宋).
    pub title: TextStyle,
    /// The most characters on one title line (the title breaker's limit).
    pub title_max_chars: usize,
    pub subtitle: TextStyle,
    pub byline: TextStyle,
    pub note: TextStyle,
    pub contact: TextStyle,
    /// 图注 under a picture: centred on its own grid line(s).
    pub caption: TextStyle,
    pub table: TextStyle,
    /// Width of table rules.
    pub table_rule_pt: f64,
    /// Padding left and right inside table cells, in characters of the
    /// table text size.
    pub table_padding_chars: f64,
    pub headings: [HeadingStyle; 4],
    pub page_number: PageNumber,
    pub colophon: Colophon,
    pub masthead: Masthead,
    /// Letter spacing added to every body glyph in the PDF so that
    /// `chars_per_line` 16 pt glyphs fill the text block: the arithmetic
    /// says −0.21 pt, but Typst adds no tracking after the last glyph of a
    /// shaped run, so a line whose punctuation is shaped apart (see
    /// `render::punctuation`) would come out a fraction too wide and lose
    /// its 28th character. −0.25 pt — the DOCX's value — leaves room for
    /// that and still cannot fit a 29th.
    pub pdf_tracking_pt: f64,
    /// The same for the DOCX, in twentieths of a point (`w:spacing`), the
    /// unit Word and LibreOffice store: −5 (−0.25 pt) gives 28 per line in
    /// LibreOffice; −4 (−0.2 pt) gives 27.
    pub docx_char_spacing: i32,
    /// The space between Chinese and Latin letters or digits, in ems of
    /// the text, as LibreOffice adds it (measured: 3.2 pt at 16 pt, a fifth
    /// of the size; Word's `autoSpaceDE/DN` default is close). The PDF
    /// layout adds the same (see `doc::script`).
    pub cjk_latin_gap_em: f64,
}

impl Style {
    /// The GB/T 9704-2012 style every built-in template uses.
    pub fn gbt9704() -> Style {
        let fang = |size_pt| TextStyle { role: Role::Fang, size_pt, bold: false };
        let kai = |size_pt| TextStyle { role: Role::Kai, size_pt, bold: false };
        Style {
            page: Page {
                width_mm: 210.0,
                height_mm: 297.0,
                top_mm: 37.0,
                left_mm: 28.0,
                right_mm: 26.0,
                bottom_mm: 35.0,
            },
            grid: Grid { lines_per_page: 22, chars_per_line: 28, line_pitch_pt: 28.95 },
            body: fang(16.0),
            indent_chars: 2.0,
            title: TextStyle { role: Role::Title, size_pt: 22.0, bold: false },
            title_max_chars: 20,
            subtitle: kai(16.0),
            byline: kai(16.0),
            note: kai(16.0),
            contact: fang(14.0),
            // 3号 楷体, as the subtitle and byline: the restrained form of
            // “图为……” in briefings and media copy.
            caption: kai(16.0),
            // 4号, the usual size of tables in official documents; rows
            // still sit on the grid (the line box is the body's).
            table: fang(14.0),
            table_rule_pt: 0.5,
            table_padding_chars: 0.4,
            headings: [
                HeadingStyle {
                    text: TextStyle { role: Role::Hei, size_pt: 16.0, bold: false },
                    numbering: Numbering::CnComma,
                },
                HeadingStyle { text: kai(16.0), numbering: Numbering::CnParen },
                HeadingStyle {
                    text: TextStyle { role: Role::Fang, size_pt: 16.0, bold: true },
                    numbering: Numbering::ArabicDot,
                },
                HeadingStyle { text: fang(16.0), numbering: Numbering::ArabicParen },
            ],
            page_number: PageNumber {
                text: TextStyle { role: Role::Song, size_pt: 14.0, bold: false },
                below_block_mm: 7.0,
                inset_chars: 1.0,
            },
            colophon: Colophon { text: fang(14.0), thick_rule_mm: 0.35, thin_rule_mm: 0.25, inset_chars: 1.0 },
            masthead: Masthead {
                name: TextStyle { role: Role::Title, size_pt: 42.0, bold: false },
                color: "#E60012".into(),
                name_lines: 2,
                issue: fang(16.0),
                editor: fang(16.0),
                rule_pt: 1.5,
                rule_gap_mm: 4.0,
            },
            pdf_tracking_pt: -0.25,
            docx_char_spacing: -5,
            cjk_latin_gap_em: 0.2,
        }
    }

    /// Horizontal distance between two body characters, in points.
    pub fn char_pitch_pt(&self) -> f64 {
        self.page.text_width_pt() / f64::from(self.grid.chars_per_line)
    }

    /// The leading (gap between two line boxes) that puts body lines on the
    /// grid: pitch minus the body size.
    pub fn leading_pt(&self) -> f64 {
        self.grid.line_pitch_pt - self.body.size_pt
    }
}
