//! The DOCX's layout against GB/T 9704-2012, read from its XML
//! (`jianbao render` and `jianbao batch` on every sample with every
//! template, plus purpose-made documents). Expected numbers come from
//! `Style::gbt9704()` converted to twips and half-points; `gbt9704_in_twips`
//! pins them to the values Word needs. gbcheck's checks, in Rust: page
//! setup, grid, body style, headings, page numbers, East Asian fonts, ECMA-376
//! child order, package consistency.

mod common;
#[path = "common/layout.rs"]
mod layout;

use jianbao::doc::signature::width_in_pitches;
use jianbao::doc::{Block, plain_text};
use jianbao::fonts::Role;
use jianbao::render::docx::DocxFonts;
use jianbao::style::{PT_PER_MM, Style};
use layout::*;

const TAG: &str = "layout_docx";

fn all() -> Vec<(&'static Unit, Docx)> {
    corpus(TAG).units.iter().map(|u| (u, Docx::open(&u.docx))).collect()
}

/// The DOCX writer's font for a role (the CLI writes the office fonts).
fn font(role: Role) -> String {
    DocxFonts::office().get(role).name.clone()
}

fn half_points(pt: f64) -> String {
    ((pt * 2.0).round() as i64).to_string()
}

/// Twips of the Style, as Word needs them.
struct Tw {
    page_w: i64,
    page_h: i64,
    top: i64,
    left: i64,
    right: i64,
    bottom: i64,
    text_width: i64,
    pitch: i64,
    char_pitch: f64,
}

impl Tw {
    fn new(s: &Style) -> Tw {
        let p = &s.page;
        let page_w = twips_mm(p.width_mm);
        let right = twips_mm(p.right_mm);
        let text_width = twips(p.text_width_pt());
        Tw {
            page_w,
            page_h: twips_mm(p.height_mm),
            top: twips_mm(p.top_mm),
            // The left margin takes the rounding: the block is exactly 156 mm.
            left: page_w - right - text_width,
            right,
            bottom: twips_mm(p.bottom_mm),
            text_width,
            pitch: twips(s.grid.line_pitch_pt),
            char_pitch: s.char_pitch_pt() * 20.0,
        }
    }
}

fn get<'a>(p: &'a Props, k: &str) -> Option<&'a str> {
    p.get(k).map(String::as_str)
}

/// A section: its pgSz/pgMar/docGrid properties, its footer references
/// (type, rId) and its section type.
type Section = (Props, Vec<(String, String)>, Option<String>);

fn sections(xml: &str) -> Vec<Section> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name() == (W, "sectPr").into())
        .map(|s| {
            let refs = s
                .children()
                .filter(|c| c.is_element() && c.tag_name().name() == "footerReference")
                .map(|c| {
                    (wattr(c, "type").unwrap_or("default").to_owned(), c.attribute((R, "id")).unwrap_or("").to_owned())
                })
                .collect();
            let kind = child(s, "type").and_then(|t| wattr(t, "val")).map(str::to_owned);
            (props(Some(s)), refs, kind)
        })
        .collect()
}

/// The numbers of the standard in DOCX units (what gbcheck checks with its
/// tolerances; here exact).
#[test]
fn gbt9704_in_twips() {
    let s = Style::gbt9704();
    let t = Tw::new(&s);
    assert_eq!((t.page_w, t.page_h), (11906, 16838));
    assert_eq!((t.top, t.left, t.right, t.bottom), (2098, 1588, 1474, 1984));
    assert_eq!(t.text_width, 8844);
    assert_eq!(t.pitch, 579);
    assert_eq!(half_points(s.body.size_pt), "32");
    assert_eq!(half_points(s.title.size_pt), "44");
    assert_eq!(half_points(s.page_number.text.size_pt), "28");
    assert_eq!((s.indent_chars * 100.0) as i64, 200);
    assert_eq!((s.indent_chars * t.char_pitch).round() as i64, 632);
    assert_eq!(twips(s.page_number.inset_chars * s.page_number.text.size_pt), 280);
    assert_eq!(s.docx_char_spacing, -5);
    let f = DocxFonts::office();
    let names: Vec<&str> =
        [Role::Fang, Role::Hei, Role::Kai, Role::Song].iter().map(|&r| f.get(r).name.as_str()).collect();
    assert_eq!(names, ["仿宋", "黑体", "楷体", "宋体"]);
}

/// Every section: A4, the GB/T 9704 margins (the block exactly 156 mm wide),
/// a line grid of 28.95 pt, the footer distance putting the page-number line
/// 7 mm under the block.
#[test]
fn page_setup_and_grid() {
    let s = Style::gbt9704();
    let t = Tw::new(&s);
    let mut problems = Vec::new();
    for (u, d) in all() {
        let styles = Styles::parse(&d.text("word/styles.xml"));
        let footer_line: i64 = get(&styles.ppr("Footer"), "spacing@line").and_then(|v| v.parse().ok()).unwrap_or(0);
        let secs = sections(&d.text("word/document.xml"));
        if secs.is_empty() {
            problems.push(format!("{}: no w:sectPr", u.key));
        }
        for (i, (p, _, _)) in secs.iter().enumerate() {
            let at = format!("{} section {}", u.key, i + 1);
            let num = |k: &str| get(p, k).and_then(|v| v.parse::<i64>().ok());
            let want = [
                ("pgSz@w", t.page_w),
                ("pgSz@h", t.page_h),
                ("pgMar@top", t.top),
                ("pgMar@left", t.left),
                ("pgMar@right", t.right),
                ("pgMar@bottom", t.bottom),
                ("pgMar@gutter", 0),
                ("docGrid@linePitch", t.pitch),
            ];
            for (k, v) in want {
                if num(k) != Some(v) {
                    problems.push(format!("{at}: {k} = {:?}, expected {v}", num(k)));
                }
            }
            if (twips_mm(s.page.left_mm) - t.left).abs() > 1 {
                problems.push(format!("{at}: left margin {} twips is not 28 mm", t.left));
            }
            if get(p, "docGrid@type") != Some("lines") {
                problems.push(format!("{at}: docGrid type {:?}, expected lines", get(p, "docGrid@type")));
            }
            // pgMar footer = page bottom to the bottom of the footer line,
            // one exact line of `footer_line` twips above: its top 7 mm under
            // the block.
            let top_of_number = num("pgMar@footer").unwrap_or(0) + footer_line;
            let want_top = t.bottom - twips_mm(s.page_number.below_block_mm);
            if (top_of_number - want_top).abs() > 1 {
                problems.push(format!(
                    "{at}: page-number line top {top_of_number} twips above the page bottom, expected {want_top}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// `Normal` is the body: 仿宋 3号 (eastAsia, ascii and hAnsi alike), exact
/// line spacing of one grid line, first line indented 2 characters (200
/// hundredths, and 632 twips for LibreOffice), justified, letter spacing
/// −5 twentieths; no widow control (pages break where the PDF's do). The
/// body paragraphs (most text, no heading) resolve to exactly that.
#[test]
fn normal_style_is_the_body() {
    let s = Style::gbt9704();
    let t = Tw::new(&s);
    let fang = font(s.body.role);
    let indent = ((s.indent_chars * t.char_pitch).round() as i64).to_string();
    let chars = ((s.indent_chars * 100.0).round() as i64).to_string();
    for (u, d) in all() {
        let styles = Styles::parse(&d.text("word/styles.xml"));
        assert_eq!(styles.default_para.as_deref(), Some("Normal"), "{}", u.key);
        let r = styles.rpr("Normal");
        let p = styles.ppr("Normal");
        let want_r = [
            ("rFonts@eastAsia", fang.as_str()),
            ("rFonts@ascii", fang.as_str()),
            ("rFonts@hAnsi", fang.as_str()),
            ("rFonts@hint", "eastAsia"),
            ("sz", &half_points(s.body.size_pt)),
            ("szCs", &half_points(s.body.size_pt)),
            ("spacing", &s.docx_char_spacing.to_string()),
            ("b", "0"),
        ];
        for (k, v) in want_r {
            assert_eq!(get(&r, k), Some(v), "{}: Normal rPr {k}", u.key);
        }
        let want_p = [
            ("spacing@line", t.pitch.to_string()),
            ("spacing@lineRule", "exact".into()),
            ("spacing@before", "0".into()),
            ("spacing@after", "0".into()),
            ("ind@firstLineChars", chars.clone()),
            ("ind@firstLine", indent.clone()),
            ("jc", "both".into()),
            ("widowControl", "0".into()),
        ];
        for (k, v) in want_p {
            assert_eq!(get(&p, k), Some(v.as_str()), "{}: Normal pPr {k}", u.key);
        }
        // The body paragraphs as gbcheck finds them: the most common style
        // (by characters) among non-heading, non-table paragraphs.
        let paras = paragraphs(&d.text("word/document.xml"), &styles);
        let mut weight: std::collections::BTreeMap<&str, usize> = Default::default();
        // (Titles, 2号 and larger, are not body text.)
        let title_sz = 2.0 * 20.0;
        let is_title = |p: &Para| {
            p.runs.iter().any(|(_, rp)| get(rp, "sz").and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) >= title_sz)
        };
        for para in paras.iter().filter(|p| !p.in_table && get(&p.ppr, "outlineLvl").is_none() && !is_title(p)) {
            *weight.entry(para.style.as_str()).or_default() += squash(&para.text).chars().count();
        }
        let main = weight.iter().max_by_key(|(_, n)| **n).map(|(s, _)| *s);
        assert_eq!(main, Some("Normal"), "{}: body style by characters {weight:?}", u.key);
        for para in paras.iter().filter(|p| p.style == "Normal" && !p.in_table && !p.text.trim().is_empty()) {
            assert_eq!(get(&para.ppr, "ind@firstLineChars"), Some(chars.as_str()), "{}: “{}”", u.key, para.text);
            assert_eq!(
                get(&para.ppr, "spacing@line"),
                Some(t.pitch.to_string().as_str()),
                "{}: “{}”",
                u.key,
                para.text
            );
            for (text, rp) in &para.runs {
                assert_eq!(get(rp, "sz"), Some(half_points(s.body.size_pt).as_str()), "{}: run “{text}”", u.key);
                assert_eq!(get(rp, "rFonts@eastAsia"), Some(fang.as_str()), "{}: run “{text}”", u.key);
            }
        }
    }
}

/// Heading 1–4: Word's built-in names, outline levels 0–3, kept with the
/// next paragraph, 黑体 / 楷体 / 仿宋 (bold) / 仿宋 in 3号; the title 2号 in the
/// title font, centred, not indented. Each heading and title of the model
/// is a paragraph in its style; a title's lines are broken where the model
/// breaks them.
#[test]
fn heading_and_title_styles() {
    let s = Style::gbt9704();
    for (u, d) in all() {
        let styles = Styles::parse(&d.text("word/styles.xml"));
        for (i, h) in s.headings.iter().enumerate() {
            let id = format!("Heading{}", i + 1);
            let info = styles.styles.get(&id).unwrap_or_else(|| panic!("{}: no style {id}", u.key));
            assert_eq!(info.name, format!("heading {}", i + 1), "{}", u.key);
            let (r, p) = (styles.rpr(&id), styles.ppr(&id));
            assert_eq!(get(&p, "outlineLvl"), Some(i.to_string().as_str()), "{}: {id}", u.key);
            assert!(on(&p, "keepNext"), "{}: {id} not kept with next", u.key);
            assert_eq!(get(&r, "rFonts@eastAsia"), Some(font(h.text.role).as_str()), "{}: {id}", u.key);
            assert_eq!(get(&r, "sz"), Some(half_points(h.text.size_pt).as_str()), "{}: {id}", u.key);
            assert_eq!(on(&r, "b"), h.text.bold, "{}: {id} bold", u.key);
        }
        let (r, p) = (styles.rpr("Title"), styles.ppr("Title"));
        assert_eq!(get(&r, "sz"), Some(half_points(s.title.size_pt).as_str()), "{}: Title", u.key);
        assert_eq!(get(&r, "rFonts@eastAsia"), Some(font(s.title.role).as_str()), "{}: Title", u.key);
        assert_eq!(on(&r, "b"), DocxFonts::office().get(Role::Title).bold, "{}: Title bold", u.key);
        assert_eq!(get(&p, "jc"), Some("center"), "{}: Title", u.key);
        assert_eq!(get(&p, "ind@firstLineChars"), Some("0"), "{}: Title indent", u.key);
        assert_eq!(get(&p, "ind@firstLine"), Some("0"), "{}: Title indent", u.key);

        let paras = paragraphs(&d.text("word/document.xml"), &styles);
        let mut cursor = 0;
        for b in u.blocks() {
            let (style, text) = match b {
                Block::Heading { level, number, text } => {
                    (format!("Heading{level}"), format!("{number}{}", plain_text(text)))
                }
                Block::Title { lines } => ("Title".to_owned(), lines.join("\n")),
                _ => continue,
            };
            let found = paras[cursor..].iter().position(|p| p.style == style && p.text == text);
            let Some(k) = found else {
                panic!("{}: no {style} paragraph “{text}” (after paragraph {cursor})", u.key)
            };
            cursor += k + 1;
        }
    }
}

/// The footers (GB/T 9704 7.5): odd and even pages differ
/// (`w:evenAndOddHeaders`); odd right-aligned one character in, even left
/// one character in; `— PAGE —` with U+2014 dashes in 4号 宋体; the
/// colophon's own section (a page holding only the 版记) has empty footers.
#[test]
fn footers_number_the_pages() {
    let s = Style::gbt9704();
    let pn = &s.page_number;
    let inset = twips(pn.inset_chars * pn.text.size_pt).to_string();
    let song = font(pn.text.role);
    let mut colophon_sections = 0;
    for (u, d) in all() {
        let settings = d.text("word/settings.xml");
        let sd = roxmltree::Document::parse(&settings).unwrap();
        assert!(child(sd.root_element(), "evenAndOddHeaders").is_some(), "{}: no w:evenAndOddHeaders", u.key);
        let styles = Styles::parse(&d.text("word/styles.xml"));
        let rels = d.rels("word/document.xml");
        let secs = sections(&d.text("word/document.xml"));
        for (i, (_, refs, kind)) in secs.iter().enumerate() {
            let at = format!("{} section {}", u.key, i + 1);
            let types: Vec<&str> = refs.iter().map(|(t, _)| t.as_str()).collect();
            assert_eq!(types, ["default", "even"], "{at}: footer references");
            // A section of its own at the end, on a new page: the colophon's.
            let colophon_page = i > 0 && i + 1 == secs.len() && kind.as_deref() == Some("nextPage");
            colophon_sections += usize::from(colophon_page);
            for (t, id) in refs {
                let (_, part) = rels.get(id).unwrap_or_else(|| panic!("{at}: {id} not related"));
                let xml = d.text(part);
                let doc = roxmltree::Document::parse(&xml).unwrap();
                let instr: String = doc
                    .descendants()
                    .filter(|n| n.tag_name() == (W, "instrText").into())
                    .filter_map(|n| n.text())
                    .collect();
                let paras = paragraphs(&xml, &styles);
                if colophon_page {
                    assert!(
                        instr.is_empty() && paras.iter().all(|p| p.text.is_empty()),
                        "{at}: {t} footer {part} not empty"
                    );
                    continue;
                }
                assert_eq!(instr.trim(), "PAGE", "{at}: {t} footer {part}");
                assert_eq!(paras.len(), 1, "{at}: {t} footer paragraphs");
                let p = &paras[0];
                // The field's cached result is the only other text.
                assert!(
                    p.text.starts_with("\u{2014} ") && p.text.ends_with(" \u{2014}"),
                    "{at}: footer text “{}”",
                    p.text
                );
                let (jc, side) = if t == "default" { ("right", "ind@right") } else { ("left", "ind@left") };
                assert_eq!(get(&p.ppr, "jc"), Some(jc), "{at}: {t} footer alignment");
                assert_eq!(get(&p.ppr, side), Some(inset.as_str()), "{at}: {t} footer inset");
                for (text, rp) in &p.runs {
                    assert_eq!(get(rp, "sz"), Some(half_points(pn.text.size_pt).as_str()), "{at}: “{text}”");
                    assert_eq!(get(rp, "rFonts@eastAsia"), Some(song.as_str()), "{at}: “{text}”");
                }
            }
        }
    }
    assert!(colophon_sections >= 2, "{colophon_sections} colophon sections");
}

/// Where the colophon goes: after empty grid lines that push it to the foot
/// of the page, in a section of its own (new page, no number) when it does
/// not fit; a one-column table of exact grid-line rows, thick rules first
/// and last, thin ones between, text one character in.
#[test]
fn colophon_table() {
    let s = Style::gbt9704();
    let t = Tw::new(&s);
    let co = &s.colophon;
    let eighths = |mm: f64| ((mm * PT_PER_MM * 8.0).round() as i64).to_string();
    let c = corpus(TAG);
    for key in ["custom/colophon-own-page/bulletin", "custom/colophon-fits/bulletin", "qdn-renda/bulletin"] {
        let u = c.get(key);
        let d = Docx::open(&u.docx);
        let xml = d.text("word/document.xml");
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let body = child(doc.root_element(), "body").unwrap();
        let items: Vec<roxmltree::Node> = body.children().filter(|n| n.is_element()).collect();
        let tbl = items.iter().rposition(|n| n.tag_name().name() == "tbl").expect("colophon table");
        let table = items[tbl];
        // Blank paragraphs before it, the rows of the table.
        let blanks = items[..tbl]
            .iter()
            .rev()
            .take_while(|n| {
                n.tag_name().name() == "p"
                    && run_text(**n).is_empty()
                    && child(**n, "pPr").and_then(|p| child(p, "pStyle")).is_none()
            })
            .count();
        let rows: Vec<roxmltree::Node> = table.children().filter(|n| n.tag_name().name() == "tr").collect();
        let secs = sections(&xml);
        let own_page = key != "custom/colophon-fits/bulletin";
        assert_eq!(secs.len(), if own_page { 2 } else { 1 }, "{key}: sections");
        if own_page {
            assert_eq!(
                blanks as u32 + rows.len() as u32,
                s.grid.lines_per_page,
                "{key}: blank lines + colophon fill the page"
            );
        } else {
            // The body ends in grid line 18 (see layout::data::briefing):
            // the colophon fills 19–22 with nothing between.
            assert_eq!(blanks, 0, "{key}: blank lines before a colophon that fits");
        }
        let tbl_pr = child(table, "tblPr").unwrap();
        let borders = props(child(tbl_pr, "tblBorders"));
        assert_eq!(get(&borders, "top@sz"), Some(eighths(co.thick_rule_mm).as_str()), "{key}: top rule");
        assert_eq!(get(&borders, "bottom@sz"), Some(eighths(co.thick_rule_mm).as_str()), "{key}: bottom rule");
        assert_eq!(get(&borders, "insideH@sz"), Some(eighths(co.thin_rule_mm).as_str()), "{key}: inner rules");
        for side in ["left", "right", "insideV"] {
            assert!(matches!(get(&borders, side), Some("nil" | "none")), "{key}: {side} border {borders:?}");
        }
        let tbl_w = props(Some(tbl_pr));
        assert_eq!(get(&tbl_w, "tblW@w"), Some(t.text_width.to_string().as_str()), "{key}: table width");
        let mar = props(child(tbl_pr, "tblCellMar"));
        let inset = twips(co.inset_chars * co.text.size_pt).to_string();
        assert_eq!(
            (get(&mar, "left@w"), get(&mar, "right@w")),
            (Some(inset.as_str()), Some(inset.as_str())),
            "{key}: inset"
        );
        for (i, r) in rows.iter().enumerate() {
            let tr = props(child(*r, "trPr"));
            assert_eq!(get(&tr, "trHeight@hRule"), Some("exact"), "{key}: row {i}");
            let h: i64 = get(&tr, "trHeight").unwrap().parse().unwrap();
            // Every row one grid line: LibreOffice draws the top rule
            // inside the first row, so the last rule ends on the bottom of
            // the text block as in the PDF.
            let want = t.pitch;
            assert!((h - want).abs() <= 1, "{key}: row {i} height {h}, expected {want}");
        }
        let styles = Styles::parse(&d.text("word/styles.xml"));
        let r = styles.rpr("Colophon");
        assert_eq!(get(&r, "sz"), Some(half_points(co.text.size_pt).as_str()), "{key}: colophon size");
        assert_eq!(get(&r, "rFonts@eastAsia"), Some(font(co.text.role).as_str()), "{key}: colophon font");
        assert_eq!(get(&styles.ppr("ColophonCopies"), "jc"), Some("right"), "{key}: copies");
    }
}

/// Every run with Chinese text resolves an East Asian font (direct, style
/// chain or document defaults), in the body and the footers; so does every
/// paragraph style.
#[test]
fn every_cjk_run_has_an_east_asia_font() {
    for (u, d) in all() {
        let styles = Styles::parse(&d.text("word/styles.xml"));
        for (id, st) in &styles.styles {
            if st.kind == "paragraph" {
                let r = styles.rpr(id);
                assert!(
                    get(&r, "rFonts@eastAsia").is_some_and(|f| !f.is_empty()),
                    "{}: style {id} has no eastAsia font",
                    u.key
                );
            }
        }
        let parts: Vec<String> = d
            .parts
            .keys()
            .filter(|n| *n == "word/document.xml" || n.starts_with("word/footer") || n.starts_with("word/header"))
            .cloned()
            .collect();
        for part in parts {
            for p in paragraphs(&d.text(&part), &styles) {
                for (text, rp) in &p.runs {
                    if text.chars().any(is_cjk) {
                        let ok = get(rp, "rFonts@eastAsia").is_some_and(|f| !f.is_empty())
                            || get(rp, "rFonts@eastAsiaTheme").is_some_and(|f| !f.is_empty());
                        assert!(ok, "{} {part}: run “{text}” has no eastAsia font", u.key);
                    }
                }
            }
        }
    }
}

/// ECMA-376 sequences (transitional wml.xsd), as gbcheck transcribes them.
const SEQUENCES: &[(&str, &str)] = &[
    (
        "rPr",
        "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange",
    ),
    (
        "pPr",
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    ),
    (
        "sectPr",
        "headerReference/footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings sectPrChange",
    ),
    (
        "style",
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr",
    ),
];

/// Children of rPr, pPr, sectPr and style in ECMA-376 order (Word drops run
/// properties out of sequence); rPr/pPr first in runs and paragraphs.
#[test]
fn children_follow_the_schema_order() {
    let mut problems = Vec::new();
    let mut containers = 0;
    for (u, d) in all() {
        for part in d.parts.keys() {
            let relevant = part == "word/document.xml"
                || part == "word/styles.xml"
                || part == "word/numbering.xml"
                || part.starts_with("word/footer")
                || part.starts_with("word/header");
            if !relevant {
                continue;
            }
            let xml = d.text(part);
            let doc = roxmltree::Document::parse(&xml).unwrap();
            for el in doc.descendants().filter(|n| n.is_element() && n.tag_name().namespace() == Some(W)) {
                let name = el.tag_name().name();
                let kids: Vec<&str> = el
                    .children()
                    .filter(|c| c.is_element() && c.tag_name().namespace() == Some(W))
                    .map(|c| c.tag_name().name())
                    .collect();
                if let Some((_, seq)) = SEQUENCES.iter().find(|(c, _)| *c == name) {
                    containers += 1;
                    let slots: Vec<&str> = seq.split(' ').collect();
                    let idx: Vec<usize> =
                        kids.iter().filter_map(|k| slots.iter().position(|s| s.split('/').any(|n| n == *k))).collect();
                    if idx.windows(2).any(|w| w[1] < w[0]) {
                        problems.push(format!("{} {part}: w:{name} {kids:?}", u.key));
                    }
                }
                for (owner, first) in [("r", "rPr"), ("p", "pPr"), ("tbl", "tblPr"), ("tr", "trPr"), ("tc", "tcPr")] {
                    if name == owner && kids.contains(&first) && kids[0] != first {
                        problems.push(format!("{} {part}: w:{owner} {kids:?}", u.key));
                    }
                }
            }
        }
    }
    assert!(containers > 1000, "{containers} containers checked");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// Every XML part parses; every part has a content type and every override
/// names a part; every internal relationship's target exists; the package
/// points at the main document, the core and app properties.
#[test]
fn package_is_consistent() {
    for (u, d) in all() {
        for (name, bytes) in &d.parts {
            if name.ends_with(".xml") || name.ends_with(".rels") {
                let text = std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{}: {name} not UTF-8", u.key));
                roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{}: {name}: {e}", u.key));
            }
        }
        let ct = d.text("[Content_Types].xml");
        let ct = roxmltree::Document::parse(&ct).unwrap();
        let defaults: Vec<String> = ct
            .root_element()
            .children()
            .filter(|n| n.tag_name().name() == "Default")
            .filter_map(|n| n.attribute("Extension"))
            .map(str::to_lowercase)
            .collect();
        let overrides: Vec<&str> = ct
            .root_element()
            .children()
            .filter(|n| n.tag_name().name() == "Override")
            .filter_map(|n| n.attribute("PartName"))
            .collect();
        for name in d.parts.keys().filter(|n| *n != "[Content_Types].xml" && !n.ends_with('/')) {
            let ext = name.rsplit('.').next().unwrap_or("").to_lowercase();
            assert!(
                overrides.contains(&format!("/{name}").as_str()) || defaults.contains(&ext),
                "{}: {name} has no content type",
                u.key
            );
        }
        for o in &overrides {
            assert!(d.has(o.trim_start_matches('/')), "{}: override {o} names no part", u.key);
        }
        for rels in d.parts.keys().filter(|n| n.ends_with(".rels")) {
            // `word/_rels/document.xml.rels` → `word/document.xml`.
            let source = rels.replace("_rels/", "").trim_end_matches(".rels").to_owned();
            for (id, (_, target)) in d.rels(&source) {
                assert!(d.has(&target), "{}: {rels}: {id} → {target} missing", u.key);
            }
        }
        let root: Vec<(String, String)> = d.rels("").into_values().collect();
        for (kind, target) in [
            ("/officeDocument", "word/document.xml"),
            ("/core-properties", "docProps/core.xml"),
            ("/extended-properties", "docProps/app.xml"),
        ] {
            assert!(
                root.iter().any(|(t, p)| t.ends_with(kind) && p == target),
                "{}: package relationship {kind}: {root:?}",
                u.key
            );
        }
    }
}

/// Core properties from the data: title, author, language, and the document
/// date as created and modified (never the clock).
#[test]
fn core_properties() {
    for (u, d) in all() {
        let xml = d.text("docProps/core.xml");
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let text = |local: &str| {
            doc.root_element()
                .children()
                .find(|n| n.tag_name().name() == local)
                .and_then(|n| n.text())
                .unwrap_or("")
                .to_owned()
        };
        let meta = &u.doc.meta;
        assert_eq!(text("title"), meta.title, "{}: dc:title", u.key);
        assert_eq!(text("creator"), meta.author, "{}: dc:creator", u.key);
        assert_eq!(text("language"), "zh-CN", "{}: dc:language", u.key);
        let date = meta.date.as_deref().expect("every unit has a date");
        assert_eq!(text("created"), format!("{date}T00:00:00Z"), "{}: dcterms:created", u.key);
        assert_eq!(text("modified"), format!("{date}T00:00:00Z"), "{}: dcterms:modified", u.key);
    }
}

/// Run-in titles and other bold runs are `w:b` runs, the text after them is
/// not bold. The signature (GB/T 9704 7.3.5.2): two right-aligned
/// paragraphs whose right indents put the date's first character two
/// characters right of the 署名's, the longer of the two two characters
/// from the edge; the paragraph before it (and the blank line) kept with it.
#[test]
fn bold_runs_and_signature() {
    let s = Style::gbt9704();
    let t = Tw::new(&s);
    let mut run_ins = 0;
    let mut signatures = 0;
    for (u, d) in all() {
        let styles = Styles::parse(&d.text("word/styles.xml"));
        let paras = paragraphs(&d.text("word/document.xml"), &styles);
        for (bi, b) in u.blocks().iter().enumerate() {
            match b {
                Block::Paragraph { text, .. } if text.iter().any(|r| r.bold) => {
                    let whole = plain_text(text);
                    let p = paras
                        .iter()
                        .find(|p| p.text == whole)
                        .unwrap_or_else(|| panic!("{}: no paragraph “{whole}”", u.key));
                    // Bold per character, model and DOCX.
                    let want: Vec<bool> = text.iter().flat_map(|r| r.text.chars().map(move |_| r.bold)).collect();
                    let got: Vec<bool> =
                        p.runs.iter().flat_map(|(t, rp)| t.chars().map(move |_| on(rp, "b"))).collect();
                    assert_eq!(got, want, "{}: bold runs of “{whole}”", u.key);
                    run_ins += usize::from(text[0].bold);
                }
                Block::Signature { name, date, .. } => {
                    signatures += 1;
                    let i =
                        paras.iter().position(|p| p.text == *name && p.style == "Signature").expect("署名 paragraph");
                    let (n, dt) = (&paras[i], &paras[i + 1]);
                    assert_eq!(dt.text, *date, "{}: date paragraph", u.key);
                    assert_eq!(get(&dt.ppr, "jc"), Some("right"), "{}", u.key);
                    assert_eq!(get(&n.ppr, "jc"), Some("right"), "{}", u.key);
                    let right = |p: &Para| get(&p.ppr, "ind@right").and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
                    let (rn, rd) = (right(n), right(dt));
                    // Start of each line from the right edge, in character
                    // pitches: the lines as set, the date's Chinese–Latin
                    // gaps included (LibreOffice sets them).
                    let style = Style::gbt9704();
                    let (wn, wd) = (width_in_pitches(name, &style), width_in_pitches(date, &style));
                    let start_n = rn / t.char_pitch + wn;
                    let start_d = rd / t.char_pitch + wd;
                    assert!(
                        (start_n - start_d - 2.0).abs() < 0.01,
                        "{}: the date starts {:.2} characters right of the 署名",
                        u.key,
                        start_n - start_d
                    );
                    let longer = if wd > wn { rd } else { rn };
                    let edge = (longer / t.char_pitch * 100.0).round() / 100.0;
                    assert_eq!(edge, 2.0, "{}: the longer line is {edge} characters from the edge", u.key);
                    // Kept with what comes before: the blank lines and the
                    // paragraph before them carry keepNext.
                    let blanks = u.blocks()[..bi].iter().rev().take_while(|b| matches!(b, Block::Blank)).count();
                    let mut kept: Vec<&Para> = (1..=blanks).map(|j| &paras[i - j]).collect();
                    if bi > blanks && matches!(u.blocks()[bi - blanks - 1], Block::Paragraph { .. }) {
                        kept.push(&paras[i - blanks - 1]);
                    }
                    for p in kept {
                        assert!(
                            on(&p.ppr, "keepNext"),
                            "{}: “{}” before the signature not kept with it",
                            u.key,
                            p.text
                        );
                    }
                }
                _ => {}
            }
        }
    }
    assert!(run_ins > 20 && signatures >= 12, "{run_ins} run-in titles, {signatures} signatures");
}

/// The same input renders to the same DOCX bytes (from another folder).
#[test]
fn rendering_twice_gives_the_same_docx() {
    let c = corpus(TAG);
    for (key, data) in [
        ("qdn-renda/bulletin", common::sample("qdn-renda.yaml")),
        ("custom/colophon-own-page/bulletin", c.dir.join("data/colophon-own-page.yaml")),
    ] {
        let u = c.get(key);
        let dir = common::tempdir();
        let o = common::jianbao()
            .current_dir(dir.path())
            .args(["render", data.to_str().unwrap(), "-t", &u.template, "-o", "again", "-f", "docx"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", common::stderr(&o));
        let again = dir.path().join("again").join(u.docx.file_name().unwrap());
        assert!(
            std::fs::read(&again).unwrap() == std::fs::read(&u.docx).unwrap(),
            "{key}: DOCX bytes differ between two renders"
        );
    }
}
