//! The document model (IR) both backends read.
//!
//! A template renders body markup; [`crate::doc::parse`] turns that markup
//! into a [`Document`]. Everything a backend needs to agree on — heading
//! numbers, where a title breaks, how far the signature is indented — is
//! decided here, once, so the PDF and the DOCX cannot drift apart.

use std::sync::Arc;

use serde::Serialize;

use crate::model::images::ImageData;

/// A run of text with one emphasis. Inline content is a list of runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub text: String,
    /// Bold (run-in titles, 编者按). Fonts without a bold face get a
    /// synthetic bold in the PDF; the DOCX marks `w:b`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub bold: bool,
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Self {
        Run { text: text.into(), bold: false }
    }
    pub fn bold(text: impl Into<String>) -> Self {
        Run { text: text.into(), bold: true }
    }
}

/// Inline content: runs in reading order.
pub type Inlines = Vec<Run>;

/// The plain text of some inline content.
pub fn plain_text(inlines: &[Run]) -> String {
    inlines.iter().map(|r| r.text.as_str()).collect()
}

/// The characters a wrapped colophon line hangs by: GB/T 9704 7.4.2 aligns
/// the lines after the first with the first character after the label's
/// colon (`报：`, `抄送：`). None for a line without such a label.
pub fn colophon_hang_chars(line: &[Run]) -> Option<usize> {
    /// Labels are short; a colon further on is part of the text.
    const MAX_LABEL_CHARS: usize = 6;
    let text = plain_text(line);
    let colon = text.chars().take(MAX_LABEL_CHARS).position(|c| c == '：')?;
    Some(colon + 1)
}

/// What kind of paragraph a body paragraph is; decides font and indent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParaKind {
    /// Body text: `fang` 16 pt, first line indented two characters, justified.
    Body,
    /// 编者按 (editor's note): `kai` 16 pt, indented like the body.
    Note,
    /// The author/contact block after a media article: `fang` 14 pt,
    /// indented two characters, one line per paragraph, flush left.
    Contact,
}

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One block of the document, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    /// The document title: 22 pt `title` role, centred. `lines` are the
    /// balanced line breaks chosen by [`crate::doc::title`]; both backends
    /// break exactly there.
    Title { lines: Vec<String> },
    /// 副标题 under the title: centred, 16 pt `kai`.
    Subtitle { text: Inlines },
    /// Byline (作者：… / 通讯员：…): centred, 16 pt `kai`.
    Byline { text: Inlines },
    /// A numbered heading. `number` is the ordinal the style produced
    /// (一、 （一） 1. （1）) and is printed before `text`.
    Heading { level: u8, number: String, text: Inlines },
    /// A paragraph; a run-in title is a leading bold run.
    Paragraph { kind: ParaKind, text: Inlines },
    /// One empty grid line.
    Blank,
    /// 署名 and 成文日期 (GB/T 9704 7.3.5.2, unsealed): both right-aligned,
    /// indented from the right edge by the given number of character pitches.
    Signature { name: String, date: String, name_right_indent: f64, date_right_indent: f64 },
    /// The red masthead of a work briefing (工作简报).
    Masthead {
        name: String,
        /// `第6期` or `第6期（总第41期）`.
        issue: String,
        /// 编印单位, flush left.
        editor: String,
        /// The date, flush right on the editor's line.
        date: String,
    },
    /// 版记/报尾 at the foot of the last page: each line between rules
    /// (`报：…`, `送：…`, `发：…`), thick rules first and last, thin ones
    /// between; `copies` (`（共印30份）`) right-aligned on a last line.
    Colophon { lines: Vec<Inlines>, copies: Option<String> },
    /// A table whose first row is the header (centred, repeated on every
    /// page). `widths` are column widths as fractions of the text block
    /// (sum 1); `align` is each column's alignment in the body rows.
    Table { header: Vec<Inlines>, rows: Vec<Vec<Inlines>>, widths: Vec<f64>, align: Vec<Align> },
    /// A picture, centred, on `lines` whole grid lines
    /// ([`crate::doc::figure`]): `width_pt` × `height_pt` at the top of
    /// its lines, then its caption (图注, 3号 楷体, centred) on the next
    /// line(s). Picture and caption stay on one page.
    Image {
        /// The bytes, shared with the loaded data (never copied per unit).
        /// Serialised as format, pixel size and a hash — never the bytes.
        #[serde(serialize_with = "serialize_image")]
        image: Arc<ImageData>,
        width_pt: f64,
        height_pt: f64,
        lines: u32,
        /// Empty when the picture has no caption.
        caption: Inlines,
    },
}

fn serialize_image<S: serde::Serializer>(image: &Arc<ImageData>, s: S) -> Result<S::Ok, S::Error> {
    image.as_ref().serialize(s)
}

/// Document metadata: PDF info dictionary / DOCX core properties.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Meta {
    pub title: String,
    pub author: String,
    /// The template name (`half-year`, `media`, …).
    pub subject: String,
    pub keywords: Vec<String>,
    /// The document date as ISO `YYYY-MM-DD`, when the data gives one.
    pub date: Option<String>,
    /// BCP 47 language of the text (`zh-CN`).
    pub lang: String,
}

/// A whole document: metadata plus blocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub meta: Meta,
    pub blocks: Vec<Block>,
}

impl Block {
    /// Whether the block must stay on the page of the block after it: a
    /// heading, and a body paragraph bold throughout, which is a subheading
    /// (an article's section title written `**…**`) — a subheading alone at
    /// the foot of a page is what GB/T 9704 layout never allows.
    pub fn keeps_with_next(&self) -> bool {
        match self {
            Block::Heading { .. } => true,
            Block::Paragraph { kind: ParaKind::Body, text } => {
                text.iter().any(|r| !r.text.trim().is_empty())
                    && text.iter().all(|r| r.bold || r.text.trim().is_empty())
            }
            _ => false,
        }
    }
}

impl Document {
    /// Every piece of text the document prints, in reading order, one entry
    /// per paragraph-like unit. Used for coverage checks and for tests that
    /// compare the PDF's and the DOCX's text.
    pub fn texts(&self) -> Vec<String> {
        let mut out = Vec::new();
        for block in &self.blocks {
            match block {
                Block::Title { lines } => out.push(lines.concat()),
                Block::Subtitle { text } | Block::Byline { text } => out.push(plain_text(text)),
                Block::Heading { number, text, .. } => out.push(format!("{number}{}", plain_text(text))),
                Block::Paragraph { text, .. } => out.push(plain_text(text)),
                Block::Blank => {}
                Block::Signature { name, date, .. } => {
                    out.push(name.clone());
                    out.push(date.clone());
                }
                Block::Masthead { name, issue, editor, date } => {
                    out.extend([name, issue, editor, date].into_iter().cloned())
                }
                Block::Colophon { lines, copies } => {
                    out.extend(lines.iter().map(|l| plain_text(l)));
                    out.extend(copies.iter().cloned());
                }
                Block::Table { header, rows, .. } => {
                    for row in std::iter::once(header).chain(rows) {
                        out.extend(row.iter().map(|c| plain_text(c)));
                    }
                }
                Block::Image { caption, .. } => {
                    if !caption.is_empty() {
                        out.push(plain_text(caption));
                    }
                }
            }
        }
        out
    }
}

/// What the PDF layout measured that the DOCX needs in order to break pages
/// where the PDF does. Word and LibreOffice cannot place a block "at the
/// foot of the last page" by themselves, so the DOCX writer is told how
/// many empty grid lines to put before the colophon.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayoutHints {
    /// Empty grid lines between the last body line and the colophon.
    pub colophon_blank_lines: u32,
    /// The colophon did not fit on the last body page: it starts a page of
    /// its own, which carries no page number (GB/T 9704 7.5).
    pub colophon_on_new_page: bool,
    /// The grid lines each row of each table takes in the PDF (block index
    /// → rows, header first): the DOCX gives its rows the same heights.
    pub table_rows: std::collections::BTreeMap<usize, Vec<u32>>,
}
