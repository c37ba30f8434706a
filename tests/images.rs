//! Pictures (`images:` on sections and points) in both formats.
//!
//! The sample `data/photo-briefing.yaml` carries three pictures (two JPEG
//! photos, one PNG chart; made for the project, see `data/photos/`). The
//! document model says how big each is and how many grid lines it takes
//! (`doc::figure`); the PDF must draw it exactly there — on the grid,
//! centred, its caption on the next grid line in 楷体 — and the DOCX must
//! carry the same bytes as a media part with a relationship and a drawing
//! of the same extent in a paragraph exactly that many grid lines high.
//! (`tests/parity.rs` checks that LibreOffice then breaks every line of the
//! sample where the PDF does; `tests/confinement.rs` the refusals.)

mod common;
#[path = "common/docx_xml.rs"]
mod docx_xml;

use std::sync::Arc;

use common::*;
use jianbao::doc::{Block, Document};
use jianbao::model::images::ImageData;
use jianbao::model::{self, LoadOptions, Loaded};
use jianbao::render::{Engine, EngineOptions};
use jianbao::style::{PT_PER_MM, Style};

const SAMPLE: &str = "photo-briefing.yaml";
const EMU_PER_PT: f64 = 12_700.0;

/// A picture as the document model places it.
struct Placed {
    image: Arc<ImageData>,
    width_pt: f64,
    height_pt: f64,
    lines: u32,
    caption: String,
}

fn loaded() -> Loaded {
    model::load(&sample(SAMPLE), LoadOptions::default()).expect("the sample loads")
}

fn document(loaded: &Loaded, template: &str) -> Document {
    let engine = Engine::new(&EngineOptions::default()).expect("engine");
    engine.document(loaded, template, None).expect("document")
}

fn placed(doc: &Document) -> Vec<Placed> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Image { image, width_pt, height_pt, lines, caption } => Some(Placed {
                image: image.clone(),
                width_pt: *width_pt,
                height_pt: *height_pt,
                lines: *lines,
                caption: jianbao::doc::plain_text(caption),
            }),
            _ => None,
        })
        .collect()
}

#[test]
fn the_model_sizes_pictures_in_whole_grid_lines() {
    let loaded = loaded();
    assert_eq!(loaded.images.len(), 3, "three distinct pictures are loaded");
    let style = Style::gbt9704();
    let pitch = style.grid.line_pitch_pt;
    let text_width = style.page.text_width_pt();
    for template in ["half-year", "media", "bulletin"] {
        let pics = placed(&document(&loaded, template));
        assert_eq!(pics.len(), 3, "{template}: every picture of the data is placed");
        for p in &pics {
            assert!((p.height_pt - (f64::from(p.lines - 1) * pitch + style.body.size_pt)).abs() < 1e-6);
            assert!(p.width_pt <= text_width + 1e-6);
            assert!((p.width_pt * p.image.aspect() - p.height_pt).abs() < 1e-6, "the aspect ratio is kept");
            assert!(p.lines < style.grid.lines_per_page);
            assert!(p.caption.starts_with("图为"), "{}", p.caption);
        }
        // Asked widths: 0.75 (default) of the block, 0.6, 0.5 — never more.
        for (p, w) in pics.iter().zip([0.75, 0.6, 0.5]) {
            assert!(p.width_pt <= w * text_width + 1e-6 && p.width_pt > w * text_width - pitch / p.image.aspect());
        }
    }
}

#[test]
fn pictures_are_loaded_once_and_shared_by_every_document() {
    let loaded = loaded();
    for template in ["half-year", "media", "bulletin"] {
        for p in placed(&document(&loaded, template)) {
            let file = p.image.file.clone();
            let name = file.strip_prefix(std::fs::canonicalize(root().join("data")).unwrap()).unwrap();
            let shared = loaded.images.get(name.to_str().unwrap()).expect("the data's picture");
            assert!(Arc::ptr_eq(shared, &p.image), "{template}: the document uses the loaded bytes, not a copy");
        }
    }
}

#[test]
fn the_pdf_draws_each_picture_on_the_grid_with_its_caption_below() {
    let loaded = loaded();
    let g = Style::gbt9704();
    let pitch = g.grid.line_pitch_pt;
    let top = g.page.top_mm * PT_PER_MM;
    let left = g.page.left_mm * PT_PER_MM;
    let centre = left + g.page.text_width_pt() / 2.0;
    let bottom = top + g.page.text_height_pt();
    let dir = tempdir();
    for template in ["bulletin", "media"] {
        let pics = placed(&document(&loaded, template));
        let (pdf, _) = render(&sample(SAMPLE), template, dir.path());
        let probe = probe(&pdf);
        let pages = probe["pages"].as_array().unwrap();
        let mut drawn = Vec::new();
        for (pi, page) in pages.iter().enumerate() {
            for img in page["images"].as_array().unwrap() {
                drawn.push((pi, img));
            }
        }
        assert_eq!(drawn.len(), pics.len(), "{template}: one image per picture");
        // Body lines sit this far below the top of their grid line.
        let first = &pages[0]["lines"].as_array().unwrap();
        let body_offset = first
            .iter()
            .find(|l| {
                (l["size"].as_f64().unwrap() - 16.0).abs() < 0.5 && l["text"].as_str().unwrap().contains("为庆祝")
            })
            .map(|l| (l["baseline"].as_f64().unwrap() - top).rem_euclid(pitch))
            .expect("a body line on page 1");
        for ((page, img), p) in drawn.iter().zip(&pics) {
            let f = |k: &str| img[k].as_f64().unwrap();
            let (x0, y0, x1, y1) = (f("x0"), f("y0"), f("x1"), f("y1"));
            assert!((x1 - x0 - p.width_pt).abs() < 0.2, "{template}: width {} ≠ {}", x1 - x0, p.width_pt);
            assert!((y1 - y0 - p.height_pt).abs() < 0.2, "{template}: height {} ≠ {}", y1 - y0, p.height_pt);
            assert!(((x0 + x1) / 2.0 - centre).abs() < 0.5, "{template}: centred");
            assert_eq!(img["width_px"].as_u64(), Some(u64::from(p.image.width_px)));
            assert_eq!(img["height_px"].as_u64(), Some(u64::from(p.image.height_px)));
            // The top of the picture is the top of a grid line, where
            // LibreOffice puts it: the grid is centred in the text block
            // (0.45 pt below its top edge).
            let first_line = (y0 - top - jianbao::render::vertical::grid_offset(&g)) / pitch;
            assert!((first_line - first_line.round()).abs() * pitch < 0.3, "{template}: top at {y0} is off the grid");
            assert!(y1 <= bottom + 0.1, "{template}: the picture stays inside the text block");
            // The caption is the next text line: on the grid line after the
            // picture's lines, at the body's offset, in the kai role.
            let caption_line = pages[*page]["lines"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["baseline"].as_f64().unwrap() > y1)
                .expect("a caption below the picture");
            assert_eq!(squash(caption_line["text"].as_str().unwrap()), squash(&p.caption));
            let baseline = caption_line["baseline"].as_f64().unwrap();
            let index = ((baseline - top) / pitch).floor();
            assert_eq!(index as i64, first_line.round() as i64 + i64::from(p.lines), "{template}: caption line");
            assert!(((baseline - top).rem_euclid(pitch) - body_offset).abs() < 0.3, "{template}: caption off the grid");
            let fonts: Vec<&str> =
                caption_line["fonts"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
            assert!(fonts.iter().all(|f| f.contains("Kai")), "{template}: caption fonts {fonts:?}");
            let x = (caption_line["x0"].as_f64().unwrap() + caption_line["x1"].as_f64().unwrap()) / 2.0;
            assert!((x - centre).abs() < 2.0, "{template}: the caption is centred");
        }
    }
}

#[test]
fn the_docx_embeds_the_same_bytes_in_a_grid_paragraph() {
    let loaded = loaded();
    let style = Style::gbt9704();
    let pitch_twips = (style.grid.line_pitch_pt * 20.0).round() as i64;
    let pics = placed(&document(&loaded, "bulletin"));
    let dir = tempdir();
    let (_, docx) = render(&sample(SAMPLE), "bulletin", dir.path());
    let entries = docx_xml::unzip(&std::fs::read(&docx).unwrap());

    // Media parts: the very bytes of the files (no EXIF turn needed here).
    let media: Vec<&(String, Vec<u8>)> = entries.iter().filter(|(n, _)| n.starts_with("word/media/")).collect();
    assert_eq!(media.len(), 3);
    for (k, (p, (name, bytes))) in pics.iter().zip(&media).enumerate() {
        assert_eq!(name, &format!("word/media/image{}.{}", k + 1, p.image.format.extension()));
        assert_eq!(bytes, &std::fs::read(&p.image.file).unwrap(), "{name} holds the file's bytes");
        assert_eq!(bytes.as_slice(), p.image.bytes());
    }
    let types = docx_xml::part(&entries, "[Content_Types].xml");
    for (ext, mime) in [("jpeg", "image/jpeg"), ("png", "image/png")] {
        assert!(
            types
                .all("Default")
                .iter()
                .any(|d| d.attr("Extension") == Some(ext) && d.attr("ContentType") == Some(mime)),
            "content type of .{ext}"
        );
    }
    let rels = docx_xml::part(&entries, "word/_rels/document.xml.rels");
    let image_rels: Vec<(&str, &str)> = rels
        .all("Relationship")
        .into_iter()
        .filter(|r| r.attr("Type").is_some_and(|t| t.ends_with("/relationships/image")))
        .map(|r| (r.attr("Id").unwrap(), r.attr("Target").unwrap()))
        .collect();
    assert_eq!(image_rels.len(), 3);

    let document = docx_xml::part(&entries, "word/document.xml");
    let body = document.child("w:body").unwrap();
    let paragraphs: Vec<&docx_xml::El> = body.children.iter().filter(|c| c.name == "w:p").collect();
    let with_drawing: Vec<usize> =
        (0..paragraphs.len()).filter(|&i| !paragraphs[i].all("w:drawing").is_empty()).collect();
    assert_eq!(with_drawing.len(), 3);
    let mut doc_pr_ids = Vec::new();
    for (&i, p) in with_drawing.iter().zip(&pics) {
        let para = paragraphs[i];
        let ppr = para.child("w:pPr").unwrap();
        assert_eq!(ppr.child("w:pStyle").and_then(|s| s.attr("w:val")), Some("Figure"));
        let spacing = ppr.child("w:spacing").unwrap();
        assert_eq!(spacing.attr("w:lineRule"), Some("exact"));
        assert_eq!(spacing.attr("w:line").unwrap().parse::<i64>().unwrap(), pitch_twips * i64::from(p.lines));
        assert!(ppr.child("w:keepNext").is_some(), "the picture keeps with its caption");
        let inline = para.all("wp:inline");
        assert_eq!(inline.len(), 1, "an inline drawing");
        let extent = inline[0].child("wp:extent").unwrap();
        let cx: f64 = extent.attr("cx").unwrap().parse().unwrap();
        let cy: f64 = extent.attr("cy").unwrap().parse().unwrap();
        assert!((cx - p.width_pt * EMU_PER_PT).abs() <= 1.0 && (cy - p.height_pt * EMU_PER_PT).abs() <= 1.0);
        let ext = para.all("a:ext")[0];
        assert_eq!((ext.attr("cx"), ext.attr("cy")), (extent.attr("cx"), extent.attr("cy")));
        let embed = para.all("a:blip")[0].attr("r:embed").unwrap();
        let target = image_rels.iter().find(|(id, _)| *id == embed).expect("the blip's relationship").1;
        let bytes = &entries.iter().find(|(n, _)| *n == format!("word/{target}")).unwrap().1;
        assert_eq!(bytes.as_slice(), p.image.bytes(), "the drawing shows its own picture");
        let doc_pr = inline[0].child("wp:docPr").unwrap();
        doc_pr_ids.push(doc_pr.attr("id").unwrap().to_owned());
        assert_eq!(doc_pr.attr("descr"), Some(p.caption.as_str()), "the caption is the alternative text");
        // The caption paragraph follows.
        let caption = paragraphs[i + 1];
        assert_eq!(
            caption.child("w:pPr").and_then(|p| p.child("w:pStyle")).and_then(|s| s.attr("w:val")),
            Some("Caption")
        );
        assert_eq!(docx_xml::body_text(caption), p.caption);
    }
    doc_pr_ids.sort();
    doc_pr_ids.dedup();
    assert_eq!(doc_pr_ids.len(), 3, "drawing ids are unique");
    // The styles and the body follow the schema's element order.
    let styles = docx_xml::part(&entries, "word/styles.xml");
    let mut violations = docx_xml::order_violations("document.xml", &document);
    violations.extend(docx_xml::order_violations("styles.xml", &styles));
    assert!(violations.is_empty(), "{violations:#?}");
    let caption_style =
        styles.all("w:style").into_iter().find(|s| s.attr("w:styleId") == Some("Caption")).expect("a Caption style");
    assert_eq!(
        caption_style.child("w:pPr").and_then(|p| p.child("w:jc")).and_then(|j| j.attr("w:val")),
        Some("center")
    );
    assert!(
        caption_style
            .child("w:rPr")
            .and_then(|r| r.child("w:rFonts"))
            .is_some_and(|f| f.attr("w:eastAsia") == Some("楷体"))
    );
}

#[test]
fn output_with_pictures_is_deterministic() {
    let dir = tempdir();
    let (pdf_a, docx_a) = render(&sample(SAMPLE), "media", &dir.path().join("a"));
    let (pdf_b, docx_b) = render(&sample(SAMPLE), "media", &dir.path().join("b"));
    assert!(std::fs::read(pdf_a).unwrap() == std::fs::read(pdf_b).unwrap(), "PDF differs between runs");
    assert!(std::fs::read(docx_a).unwrap() == std::fs::read(docx_b).unwrap(), "DOCX differs between runs");
}

#[test]
fn a_batch_renders_pictures_of_every_file() {
    // Two data files naming the same photos, in one folder: each file's
    // pictures are loaded with it, once, and every document carries them.
    let dir = tempdir();
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("photos")).unwrap();
    for f in files_in(&root().join("data/photos")) {
        std::fs::copy(root().join("data/photos").join(&f), data.join("photos").join(&f)).unwrap();
    }
    for name in ["a.yaml", "b.yaml"] {
        std::fs::copy(sample(SAMPLE), data.join(name)).unwrap();
    }
    let out = dir.path().join("out");
    let o = run(&["batch", data.to_str().unwrap(), "-t", "media", "-q", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for stem in ["a-media", "b-media"] {
        let entries = docx_xml::unzip(&std::fs::read(out.join(format!("{stem}.docx"))).unwrap());
        assert_eq!(entries.iter().filter(|(n, _)| n.starts_with("word/media/")).count(), 3, "{stem}");
        let probe = probe(&out.join(format!("{stem}.pdf")));
        let images: usize =
            probe["pages"].as_array().unwrap().iter().map(|p| p["images"].as_array().unwrap().len()).sum();
        assert_eq!(images, 3, "{stem}");
    }
}
