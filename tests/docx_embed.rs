//! `--docx-fonts embed` end to end through `write_docx`: the font parts
//! de-obfuscate with the key from `w:fontKey` into valid fonts holding
//! exactly the glyphs the document draws (plus .notdef).
//!
//! (In the repo: `use jianbao::…` instead of `jianbao::…`.)

#[path = "common/docx_xml.rs"]
mod docx_xml;

use std::collections::{BTreeMap, BTreeSet};

use jianbao::doc::ir::{Align, Block, Document, Meta, ParaKind, Run};
use jianbao::render::docx::{DocxFonts, DocxOptions, EmbedFace, EmbedFonts, write_docx};
use jianbao::style::Style;

fn font(file: &str) -> Vec<u8> {
    std::fs::read(format!("{}/fonts/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn bundled_embed() -> EmbedFonts {
    EmbedFonts {
        faces: vec![
            EmbedFace::new("FandolFang", false, font("fandol/FandolFang-Regular.ttf"), 0),
            EmbedFace::new("FandolHei", false, font("fandol/FandolHei-Regular.ttf"), 0),
            EmbedFace::new("FandolKai", false, font("fandol/FandolKai-Regular.ttf"), 0),
            EmbedFace::new("FandolSong", false, font("fandol/FandolSong-Regular.ttf"), 0),
            EmbedFace::new("FandolSong", true, font("fandol/FandolSong-Bold.ttf"), 0),
        ],
        fallback: Some(EmbedFace::new("Noto Serif CJK SC", false, font("noto/NotoSerifCJKsc-Regular-fallback.otf"), 0)),
    }
}

const TITLE: &str = "党建引领兜底线";
const HEADING: &str = "工作情况";

fn document() -> Document {
    Document {
        meta: Meta { title: TITLE.into(), lang: "zh-CN".into(), ..Meta::default() },
        blocks: vec![
            Block::Title { lines: vec![TITLE.into()] },
            Block::Heading { level: 1, number: "一、".into(), text: vec![Run::plain(HEADING)] },
            Block::Heading { level: 2, number: "（一）".into(), text: vec![Run::plain("抓实理论武装")] },
            Block::Paragraph {
                kind: ParaKind::Body,
                text: vec![
                    Run::bold("抓实理论武装。"),
                    Run::plain("严格落实“第一议题”制度，学习近20次，吴堃同志ABC。"),
                ],
            },
            Block::Table {
                header: vec![vec![Run::plain("项目")], vec![Run::plain("数量")]],
                rows: vec![vec![vec![Run::plain("低保")], vec![Run::plain("3260")]]],
                widths: vec![0.5, 0.5],
                align: vec![Align::Left, Align::Right],
            },
            Block::Signature {
                name: "某某县民政局".into(),
                date: "2025年7月10日".into(),
                name_right_indent: 4.0,
                date_right_indent: 4.0,
            },
        ],
    }
}

/// The package's parts by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    docx_xml::unzip(bytes).into_iter().collect()
}

/// ECMA-376 Part 1 §17.8.1, written independently of the writer: XOR the
/// first 32 bytes with the GUID's bytes (string order) reversed.
fn deobfuscate(mut data: Vec<u8>, key: &str) -> Vec<u8> {
    let hex: String = key.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    assert_eq!(hex.len(), 32, "{key}");
    let guid: Vec<u8> = (0..16).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect();
    for i in 0..32 {
        data[i] ^= guid[15 - i % 16];
    }
    data
}

/// One embedded face: (family, kind) → font bytes, de-obfuscated.
fn embedded_fonts(parts: &BTreeMap<String, Vec<u8>>) -> Vec<(String, String, Vec<u8>)> {
    let table = String::from_utf8(parts["word/fontTable.xml"].clone()).unwrap();
    let rels = String::from_utf8(parts["word/_rels/fontTable.xml.rels"].clone()).unwrap();
    let table = roxmltree::Document::parse(&table).unwrap();
    let rels = roxmltree::Document::parse(&rels).unwrap();
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut out = Vec::new();
    for font in table.root_element().children().filter(|n| n.has_tag_name((w, "font"))) {
        let family = font.attribute((w, "name")).unwrap().to_string();
        for e in font.children().filter(|n| n.is_element() && n.tag_name().name().starts_with("embed")) {
            let id = e.attribute((r, "id")).unwrap();
            let key = e.attribute((w, "fontKey")).unwrap();
            let rel = rels.descendants().find(|n| n.attribute("Id") == Some(id)).unwrap();
            assert!(rel.attribute("Type").unwrap().ends_with("/relationships/font"));
            let target = format!("word/{}", rel.attribute("Target").unwrap());
            assert!(target.starts_with("word/fonts/") && target.ends_with(".odttf"), "{target}");
            let data = deobfuscate(parts[&target].clone(), key);
            out.push((family.clone(), e.tag_name().name().to_string(), data));
        }
    }
    out
}

fn cmap_chars(face: &ttf_parser::Face<'_>) -> BTreeMap<char, u16> {
    let mut out = BTreeMap::new();
    for sub in face.tables().cmap.unwrap().subtables {
        sub.codepoints(|c| {
            if let (Some(ch), Some(g)) = (char::from_u32(c), sub.glyph_index(c)) {
                out.insert(ch, g.0);
            }
        });
    }
    out
}

#[test]
fn embedded_parts_are_exact_subsets() {
    let doc = document();
    let opts = DocxOptions { fonts: DocxFonts::bundled(), embed: Some(bundled_embed()), ..DocxOptions::default() };
    let bytes = write_docx(&doc, &Style::gbt9704(), &opts).unwrap();
    assert_eq!(bytes, write_docx(&doc, &Style::gbt9704(), &opts).unwrap(), "deterministic");
    let parts = unzip(&bytes);

    let types = String::from_utf8(parts["[Content_Types].xml"].clone()).unwrap();
    assert!(types.contains(
        "<Default Extension=\"odttf\" ContentType=\"application/vnd.openxmlformats-officedocument.obfuscatedFont\"/>"
    ));
    let settings = String::from_utf8(parts["word/settings.xml"].clone()).unwrap();
    assert!(settings.contains("<w:embedTrueTypeFonts/>") && settings.contains("<w:saveSubsetFonts/>"));

    // Every character the document prints, plus the footer's page number.
    let mut printed: BTreeSet<char> = doc.texts().concat().chars().collect();
    printed.extend("— 0123456789".chars());

    let fonts = embedded_fonts(&parts);
    let kinds: Vec<(&str, &str)> = fonts.iter().map(|(f, k, _)| (f.as_str(), k.as_str())).collect();
    for want in [
        ("FandolFang", "embedRegular"),
        ("FandolHei", "embedRegular"),
        ("FandolKai", "embedRegular"),
        ("FandolSong", "embedRegular"),
        ("FandolSong", "embedBold"),
        ("Noto Serif CJK SC", "embedRegular"),
    ] {
        assert!(kinds.contains(&want), "{want:?} in {kinds:?}");
    }
    assert_eq!(fonts.len(), 6);
    assert_eq!(parts.keys().filter(|k| k.ends_with(".odttf")).count(), 6);

    let originals: BTreeMap<(&str, &str), Vec<u8>> = BTreeMap::from([
        (("FandolFang", "embedRegular"), font("fandol/FandolFang-Regular.ttf")),
        (("FandolHei", "embedRegular"), font("fandol/FandolHei-Regular.ttf")),
        (("FandolKai", "embedRegular"), font("fandol/FandolKai-Regular.ttf")),
        (("FandolSong", "embedRegular"), font("fandol/FandolSong-Regular.ttf")),
        (("FandolSong", "embedBold"), font("fandol/FandolSong-Bold.ttf")),
        (("Noto Serif CJK SC", "embedRegular"), font("noto/NotoSerifCJKsc-Regular-fallback.otf")),
    ]);
    let mut covered = BTreeSet::new();
    for (family, kind, data) in &fonts {
        let face = ttf_parser::Face::parse(data, 0).unwrap_or_else(|e| panic!("{family} {kind}: {e}"));
        let map = cmap_chars(&face);
        let chars: BTreeSet<char> = map.keys().copied().collect();
        assert!(chars.is_subset(&printed), "{family} {kind} maps unprinted {:?}", chars.difference(&printed));
        // Exactly the glyphs used, plus .notdef.
        let glyphs: BTreeSet<u16> = map.values().copied().collect();
        assert!(!glyphs.contains(&0));
        assert_eq!(usize::from(face.number_of_glyphs()), glyphs.len() + 1, "{family} {kind}");
        // The same glyphs as the original font.
        let original = ttf_parser::Face::parse(&originals[&(family.as_str(), kind.as_str())], 0).unwrap();
        for (&c, &g) in &map {
            let g0 = original.glyph_index(c).unwrap();
            assert_eq!(face.glyph_bounding_box(ttf_parser::GlyphId(g)), original.glyph_bounding_box(g0), "{c}");
            assert_eq!(face.glyph_hor_advance(ttf_parser::GlyphId(g)), original.glyph_hor_advance(g0), "{c}");
        }
        if kind == "embedBold" {
            assert!(face.weight().to_number() >= 700 && face.is_bold());
        }
        covered.extend(chars);
    }
    // Nothing printed is left without a glyph (white space aside).
    let uncovered: Vec<char> = printed.iter().copied().filter(|c| !covered.contains(c) && *c != ' ').collect();
    assert!(uncovered.is_empty(), "{uncovered:?}");

    // The roles with a family of their own hold exactly their text.
    let of = |family: &str, kind: &str| -> BTreeSet<char> {
        let (_, _, data) = fonts.iter().find(|(f, k, _)| f == family && k == kind).unwrap();
        cmap_chars(&ttf_parser::Face::parse(data, 0).unwrap()).keys().copied().collect()
    };
    assert_eq!(of("FandolSong", "embedBold"), TITLE.chars().collect());
    assert_eq!(of("FandolHei", "embedRegular"), format!("一、{HEADING}").chars().collect());
    assert_eq!(of("FandolSong", "embedRegular"), "— 0123456789".chars().collect());
    assert_eq!(of("Noto Serif CJK SC", "embedRegular"), "堃".chars().collect());
}

#[test]
fn without_embed_nothing_changes() {
    let doc = document();
    let plain = DocxOptions { fonts: DocxFonts::bundled(), ..DocxOptions::default() };
    let parts = unzip(&write_docx(&doc, &Style::gbt9704(), &plain).unwrap());
    assert!(!parts.keys().any(|k| k.contains("fonts/") || k.contains("fontTable.xml.rels")));
    let settings = String::from_utf8(parts["word/settings.xml"].clone()).unwrap();
    assert!(!settings.contains("embedTrueTypeFonts"));
}

#[test]
fn restricted_font_is_refused() {
    let mut data = font("fandol/FandolHei-Regular.ttf");
    let at = {
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        let os2 = face.raw_face().table(ttf_parser::Tag::from_bytes(b"OS/2")).unwrap();
        os2.as_ptr() as usize - data.as_ptr() as usize + 8
    };
    data[at..at + 2].copy_from_slice(&0x0002u16.to_be_bytes());
    let mut embed = bundled_embed();
    embed.faces[1] = EmbedFace::new("FandolHei", false, data, 0);
    assert!(embed.check().is_err());
    let opts = DocxOptions { fonts: DocxFonts::bundled(), embed: Some(embed), ..DocxOptions::default() };
    let err = write_docx(&document(), &Style::gbt9704(), &opts).unwrap_err().to_string();
    assert!(err.contains("FandolHei") && err.contains("licence forbids embedding"), "{err}");
}
