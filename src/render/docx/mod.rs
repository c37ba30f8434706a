//! The DOCX backend: a [`Document`] and its [`Style`] → the bytes of a .docx.
//!
//! The body (paragraphs, runs, tables, fields, section properties) is built
//! with docx-rs; everything around it — styles, settings, font table,
//! properties, content types, relationships, the ZIP — is written here, and
//! every part goes through one XML pass that removes docx-rs's volatile ids,
//! adds what docx-rs cannot express and puts children into ECMA-376 order.
//!
//! Files, one concern each:
//! - [`fonts`]: which family the DOCX names per font role ([`DocxFonts`]);
//! - `metrics`: the Style's numbers in twips and half-points;
//! - `styles`: `word/styles.xml`, one named style per kind of paragraph;
//! - `blocks`: IR blocks → paragraphs and tables;
//! - `pictures`: media parts and the picture paragraph on the grid;
//! - `section`: page setup, the page-number footers;
//! - `parts`: settings, font table, theme, core and app properties;
//! - `fixups`: what docx-rs cannot write, added to its output;
//! - `schema`: the ECMA-376 child sequences and the reordering pass;
//! - `xml`: a small XML tree, escaping, the XML character filter;
//! - `package`: parts, content types, relationships, the deterministic ZIP.
//!
//! The output depends only on the arguments: no clock, no random or
//! process-global ids, fixed ZIP entry order and dates.
//!
//! Font embedding (`--docx-fonts embed`, [`embed`]) runs last, over the
//! finished parts: it reads the characters each font draws, subsets and
//! obfuscates the fonts (ECMA-376 §17.8.1), and rewrites the font table
//! and settings to refer to them.

use std::fmt;

use docx_rs::BuildXML;

use crate::doc::ir::{Document, LayoutHints};
use crate::style::Style;

mod blocks;
mod embed;
mod fixups;
pub mod fonts;
mod metrics;
mod package;
mod parts;
mod pictures;
mod schema;
mod section;
mod styles;
mod xml;

pub use embed::{EmbedError, EmbedFace, EmbedFonts};
pub use fixups::FallbackFont;
pub use fonts::{DocxFonts, FontFamilyClass, FontPitch, FontSpec};
pub use parts::EmbeddedFont;

use metrics::Metrics;
use package::{Package, content_type as ct, rel_type as rt};

/// How to write the DOCX.
#[derive(Debug, Clone, Default)]
pub struct DocxOptions {
    /// The font family named for each role.
    pub fonts: DocxFonts,
    /// What the PDF layout measured (blank lines before the colophon).
    pub hints: LayoutHints,
    /// Fonts to embed (`--docx-fonts embed`); `None` embeds nothing.
    pub embed: Option<EmbedFonts>,
    /// Characters to set in runs naming the fallback font (when the DOCX
    /// names fonts that lack them and no system fallback can be relied
    /// on: embedded or bundled fonts).
    pub fallback: Option<FallbackFont>,
}

/// An internal failure of the DOCX writer (docx-rs output that does not
/// parse, a ZIP error). User data never causes one.
#[derive(Debug)]
pub struct DocxError {
    kind: &'static str,
    message: String,
}

impl DocxError {
    pub(crate) fn xml(message: impl Into<String>) -> DocxError {
        DocxError { kind: "XML", message: message.into() }
    }

    pub(crate) fn zip(err: impl fmt::Display) -> DocxError {
        DocxError { kind: "ZIP", message: err.to_string() }
    }
}

impl fmt::Display for DocxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DOCX writer: {} error: {}", self.kind, self.message)
    }
}

impl std::error::Error for DocxError {}

const DOCUMENT: &str = "word/document.xml";

/// Writes `doc` as a DOCX laid out by `style`.
pub fn write_docx(doc: &Document, style: &Style, opts: &DocxOptions) -> Result<Vec<u8>, DocxError> {
    let char_pitch = Metrics::char_pitch(style);
    let lang = parts::east_asian_language(&doc.meta);
    let mut pkg = Package::new();

    pkg.relate("", rt::DOCUMENT, DOCUMENT);
    pkg.relate("", rt::CORE, "docProps/core.xml");
    pkg.relate("", rt::APP, "docProps/app.xml");
    pkg.relate(DOCUMENT, rt::STYLES, "styles.xml");
    pkg.relate(DOCUMENT, rt::SETTINGS, "settings.xml");
    pkg.relate(DOCUMENT, rt::FONT_TABLE, "fontTable.xml");
    pkg.relate(DOCUMENT, rt::THEME, "theme/theme1.xml");

    // Footers: odd and even page numbers; empty ones for the colophon's page.
    let mut footers: Vec<(String, docx_rs::Footer)> = vec![
        ("footer1.xml".into(), section::page_number_footer(style, true)),
        ("footer2.xml".into(), section::page_number_footer(style, false)),
    ];
    let colophon_page = blocks::colophon_section_needed(doc, &opts.hints);
    if colophon_page {
        footers.push(("footer3.xml".into(), section::empty_footer()));
        footers.push(("footer4.xml".into(), section::empty_footer()));
    }
    let ids: Vec<String> = footers.iter().map(|(name, _)| pkg.relate(DOCUMENT, rt::FOOTER, name)).collect();
    let main = section::section_property(style, &section::SectionFooters { odd: &ids[0], even: &ids[1] }, false);
    let colophon = match ids.get(2..4) {
        Some([odd, even]) => section::section_property(style, &section::SectionFooters { odd, even }, true),
        _ => main.clone(),
    };

    // Pictures: related before the body refers to them by id.
    let pictures = pictures::Pictures::relate(&mut pkg, DOCUMENT, doc);
    let (items, last_section) =
        blocks::body(doc, style, &opts.hints, &pictures, blocks::Sections { main, colophon_page: colophon });
    let mut body = docx_rs::Document::new();
    for item in items {
        body = match item {
            blocks::Item::Paragraph(p) => body.add_paragraph(*p),
            blocks::Item::Table(t) => body.add_table(*t),
        };
    }
    body = body.default_section_property(last_section);

    pkg.add_part(DOCUMENT, ct::DOCUMENT, finish(&body.build(), char_pitch, opts.fallback.as_ref())?);
    pictures.add_parts(&mut pkg);
    pkg.add_repeated_part("word/styles.xml", ct::STYLES, tree(styles::styles(style, &opts.fonts, &lang)));
    pkg.add_repeated_part("word/settings.xml", ct::SETTINGS, tree(parts::settings(style, &lang, false)));
    pkg.add_repeated_part("word/fontTable.xml", ct::FONT_TABLE, tree(parts::font_table(&opts.fonts, &[])));
    pkg.add_repeated_part("word/theme/theme1.xml", ct::THEME, tree(parts::theme(&opts.fonts)));
    for (name, footer) in &footers {
        pkg.add_repeated_part(&format!("word/{name}"), ct::FOOTER, finish(&footer.build(), char_pitch, None)?);
    }
    pkg.add_part("docProps/core.xml", ct::CORE, tree(parts::core_properties(&doc.meta)));
    pkg.add_repeated_part("docProps/app.xml", ct::APP, tree(parts::app_properties()));
    if let Some(embed) = &opts.embed {
        // After every text part: the characters are read from them.
        let embedded = embed::embed_fonts(&mut pkg, embed)?;
        pkg.add_part("word/settings.xml", ct::SETTINGS, tree(parts::settings(style, &lang, !embedded.is_empty())));
        pkg.add_part("word/fontTable.xml", ct::FONT_TABLE, tree(embed::font_table(&opts.fonts, &embedded)));
    }
    pkg.to_zip()
}

/// A part rendered by docx-rs: parsed, fixed, reordered, written back.
fn finish(rendered: &[u8], char_pitch: f64, fallback: Option<&FallbackFont>) -> Result<Vec<u8>, DocxError> {
    let mut root = xml::parse(rendered)?;
    fixups::apply(&mut root, char_pitch);
    if let Some(fb) = fallback {
        fixups::fallback_runs(&mut root, fb);
    }
    schema::reorder(&mut root);
    Ok(xml::write(&root))
}

/// A part built here: reordered (a safety net) and written.
fn tree(mut root: xml::Element) -> Vec<u8> {
    schema::reorder(&mut root);
    xml::write(&root)
}
