//! Pictures: media parts, their relationships, and the paragraph that
//! holds one on the grid.
//!
//! Each distinct picture of the document becomes one part
//! `word/media/imageN.<ext>` holding exactly the bytes the loader read (no
//! re-encoding: docx-rs's `Pic::new` would decode and re-encode as PNG, so
//! the picture is built with `Pic::new_with_dimensions` and sized in EMU
//! here), related from `word/document.xml` with ids from the package —
//! never docx-rs's process-global counter.
//!
//! On the grid: a picture of `n` grid lines is an inline drawing alone in a
//! paragraph (style `Figure`, centred, no indent) whose exact line height
//! is `n` grid lines; the drawing is `(n − 1) × pitch + body size` high, so
//! it always fits its line and is never clipped. Measured with LibreOffice
//! 7.4 (grid of type `lines`, paragraph snapping to it): the picture's top
//! sits on the top of its first grid line (0.4 pt lower, as Typst's top
//! is on the line box), the paragraph takes exactly `n` lines, and the
//! next line — the caption, in style `Caption` — is back on the grid.
//! LibreOffice sizes the paragraph from the grid (it rounds the drawing
//! plus the line's descent up to whole lines); Word uses the exact line
//! height. The picture paragraph keeps with its caption, as the PDF keeps
//! them on one page.
//!
//! docx-rs gives every drawing `wp:docPr id="1"`; ids must be unique in a
//! part, so [`number`] renumbers them in document order and sets each
//! drawing's alternative text (`descr`) to its caption.

use std::sync::Arc;

use docx_rs::{LineSpacing, LineSpacingType, Paragraph, Pic, Run};

use crate::doc::ir::{Block, Document, Inlines};
use crate::model::images::ImageData;
use crate::style::Style;

use super::fixups::paragraph_style;
use super::metrics::Metrics;
use super::package::{Package, rel_type};
use super::styles::id;
use super::xml::{Element, Node};

/// EMU (English Metric Units) per point: 914 400 per inch, 72 points.
pub(crate) const EMU_PER_PT: f64 = 12_700.0;

/// The document's pictures: media part name and relationship id of each.
#[derive(Default)]
pub(crate) struct Pictures {
    files: Vec<(Arc<ImageData>, String, String)>,
}

impl Pictures {
    /// Relates every distinct picture of `doc` from `document_part`,
    /// numbered in order of first use (`media/image1.jpeg` …). The parts
    /// themselves are added by [`Pictures::add_parts`].
    pub fn relate(pkg: &mut Package, document_part: &str, doc: &Document) -> Pictures {
        let mut files: Vec<(Arc<ImageData>, String, String)> = Vec::new();
        for b in &doc.blocks {
            let Block::Image { image, .. } = b else { continue };
            if files.iter().any(|(i, ..)| Arc::ptr_eq(i, image)) {
                continue;
            }
            let name = format!("media/image{}.{}", files.len() + 1, image.format.extension());
            let rid = pkg.relate(document_part, rel_type::IMAGE, &name);
            files.push((image.clone(), name, rid));
        }
        Pictures { files }
    }

    /// Adds the media parts: the loaded bytes, unchanged.
    pub fn add_parts(&self, pkg: &mut Package) {
        for (image, name, _) in &self.files {
            pkg.add_part(&format!("word/{name}"), image.format.mime(), image.bytes().to_vec());
        }
    }

    fn id_of(&self, image: &Arc<ImageData>) -> Option<&str> {
        self.files.iter().find(|(i, ..)| Arc::ptr_eq(i, image)).map(|(.., id)| id.as_str())
    }
}

/// EMU of a length in points, at least 1.
fn emu(pt: f64) -> u32 {
    let v = (pt * EMU_PER_PT).round();
    if v.is_finite() && v >= 1.0 { v.min(f64::from(u32::MAX)) as u32 } else { 1 }
}

/// The picture's paragraph (and its caption's), on the grid.
pub(crate) fn paragraphs(
    style: &Style,
    pictures: &Pictures,
    image: &Arc<ImageData>,
    (width_pt, height_pt): (f64, f64),
    lines: u32,
    caption: &Inlines,
) -> Vec<Paragraph> {
    let m = Metrics::new(style);
    let lines = lines.clamp(1, style.grid.lines_per_page.max(1));
    let has_caption = !caption.is_empty();
    let mut p = Paragraph::new()
        .style(id::FIGURE)
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(m.line_pitch * lines as i32))
        .keep_next(has_caption);
    if let Some(rid) = pictures.id_of(image) {
        let pic = Pic::new_with_dimensions(Vec::new(), image.width_px, image.height_px)
            .id(rid)
            .size(emu(width_pt), emu(height_pt));
        p = p.add_run(Run::new().add_image(pic));
    }
    let mut out = vec![p];
    if has_caption {
        out.push(super::blocks::inlines(Paragraph::new().style(id::CAPTION), caption));
    }
    out
}

/// Gives the drawings of a part unique ids in document order and, where a
/// caption paragraph follows the picture's, the caption as alternative
/// text.
pub(crate) fn number(root: &mut Element) {
    let mut n = 0u32;
    number_in(root, &mut n);
}

fn number_in(el: &mut Element, n: &mut u32) {
    for i in 0..el.children.len() {
        let Node::Element(c) = &mut el.children[i] else { continue };
        match c.name.as_str() {
            "wp:docPr" => {
                *n += 1;
                c.set_attr("id", n.to_string());
                c.set_attr("name", format!("Picture {n}"));
            }
            // The picture inside the drawing `wp:docPr` just numbered.
            "pic:cNvPr" => {
                c.set_attr("id", n.to_string());
                c.set_attr("name", format!("Picture {n}"));
            }
            _ => {
                let before = *n;
                number_in(c, n);
                // Only a paragraph that held a picture looks at the next
                // one for its caption (most documents have no picture, and
                // looking everywhere was 2 % of a summary's time).
                if c.name == "w:p"
                    && *n > before
                    && let Some(text) = caption_after(&el.children[i + 1..]).filter(|t| !t.is_empty())
                    && let Node::Element(c) = &mut el.children[i]
                {
                    set_descr(c, &text);
                }
            }
        }
    }
}

/// The text of the caption paragraph if the first element of `rest` is one.
fn caption_after(rest: &[Node]) -> Option<String> {
    let next = rest.iter().find_map(|n| match n {
        Node::Element(e) => Some(e),
        Node::Text(_) => None,
    })?;
    (next.name == "w:p" && paragraph_style(next) == Some(id::CAPTION)).then(|| paragraph_text(next))
}

fn set_descr(el: &mut Element, text: &str) {
    el.walk_mut(&mut |e| {
        if e.name == "wp:docPr" {
            e.set_attr("descr", text);
        }
    });
}

/// The text of a paragraph (`w:t` contents).
fn paragraph_text(p: &Element) -> String {
    fn walk(el: &Element, out: &mut String) {
        for c in &el.children {
            match c {
                Node::Element(e) if e.name == "w:t" => {
                    for t in &e.children {
                        if let Node::Text(s) = t {
                            out.push_str(s);
                        }
                    }
                }
                Node::Element(e) => walk(e, out),
                Node::Text(_) => {}
            }
        }
    }
    let mut s = String::new();
    walk(p, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::super::xml::{parse, write};
    use super::*;

    #[test]
    fn drawings_get_unique_ids_and_their_captions_as_alt_text() {
        let src = r#"<w:body><w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Figure"/><a:graphic><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name=""/></pic:nvPicPr></pic:pic></a:graphic></wp:inline></w:drawing></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Caption"/></w:pPr><w:r><w:t>图为甲</w:t></w:r></w:p><w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Figure"/></wp:inline></w:drawing></w:r></w:p></w:body>"#;
        let mut root = parse(src.as_bytes()).unwrap();
        number(&mut root);
        let out = String::from_utf8(write(&root)).unwrap();
        assert!(out.contains(r#"<wp:docPr id="1" name="Picture 1" descr="图为甲"/>"#), "{out}");
        assert!(out.contains(r#"<pic:cNvPr id="1" name="Picture 1"/>"#), "{out}");
        assert!(out.contains(r#"<wp:docPr id="2" name="Picture 2"/>"#), "{out}");
    }

    #[test]
    fn emu_of_points() {
        assert_eq!(emu(1.0), 12_700);
        assert_eq!(emu(f64::NAN), 1);
        assert_eq!(emu(-3.0), 1);
    }
}
