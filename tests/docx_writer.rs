//! DOCX writer unit tests: hand-built documents (`tests/common/docx_samples.rs`)
//! go straight through `write_docx`; the package is unzipped and its XML
//! inspected. No data file, template or PDF layout is involved, so the
//! writer's own contract is tested: text survives literally, parts parse and
//! follow the schema order, the output is deterministic.

#[path = "common/docx_xml.rs"]
mod common;
#[path = "common/docx_samples.rs"]
mod samples;

use common::{El, body_text, order_violations, part, unzip};
use jianbao::doc::ir::{Align, Block, Document, LayoutHints, Meta, ParaKind, Run};
use jianbao::fonts::Role;
use jianbao::render::docx::{DocxFonts, DocxOptions, FontSpec, write_docx};
use jianbao::style::Style;

fn write(doc: &Document) -> Vec<u8> {
    write_with(doc, &DocxOptions::default())
}

fn write_with(doc: &Document, opts: &DocxOptions) -> Vec<u8> {
    write_docx(doc, &Style::gbt9704(), opts).expect("the writer never fails on data")
}

fn doc(blocks: Vec<Block>) -> Document {
    Document { meta: Meta::default(), blocks }
}

/// What the body text must be: the IR's texts, joined, with the characters
/// XML cannot hold removed (tabs and newlines survive as w:tab / w:br).
fn expected_text(d: &Document) -> String {
    let xml_char = |c: char| matches!(c, '\t' | '\n' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    d.texts().concat().replace("\r\n", "\n").replace('\r', "\n").chars().filter(|&c| xml_char(c)).collect()
}

/// Text without tabs and line breaks (the writer adds them between title
/// lines and between the masthead's editor and date).
fn strip_breaks(s: &str) -> String {
    s.chars().filter(|&c| c != '\t' && c != '\n').collect()
}

#[test]
fn every_part_parses_and_follows_the_schema_order() {
    for d in [samples::report(), samples::briefing(), samples::media()] {
        let entries = unzip(&write(&d));
        for (name, data) in &entries {
            if name.ends_with(".xml") || name.ends_with(".rels") {
                let root = common::parse(data);
                assert!(order_violations(name, &root).is_empty(), "{:?}", order_violations(name, &root));
            }
        }
    }
}

#[test]
fn body_text_equals_the_ir_text() {
    for d in [samples::report(), samples::briefing(), samples::media()] {
        let entries = unzip(&write(&d));
        let text = body_text(&part(&entries, "word/document.xml"));
        // Title lines are joined by w:br, editor and date by a tab.
        assert_eq!(strip_breaks(&text), strip_breaks(&expected_text(&d)));
    }
}

#[test]
fn same_document_same_bytes() {
    let d = samples::report();
    let first = write(&d);
    // docx-rs's paragraph-id counter is per thread and never reset: build
    // something else in between, and once on a fresh thread.
    let _ = write(&samples::briefing());
    let second = write(&d);
    let third = std::thread::spawn(move || write(&samples::report())).join().unwrap();
    assert_eq!(first, second);
    assert_eq!(first, third);
}

#[test]
fn zip_entries_are_fixed_deflated_and_dated_1980() {
    let bytes = write(&samples::media());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    assert_eq!(names[0], "[Content_Types].xml");
    assert_eq!(names[1], "_rels/.rels");
    assert!(names.contains(&"word/document.xml".to_string()));
    for i in 0..zip.len() {
        let f = zip.by_index(i).unwrap();
        assert_eq!(f.compression(), zip::CompressionMethod::Deflated, "{:?}", f.name());
        let t = f.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1));
    }
}

#[test]
fn fonts_are_named_in_styles_and_font_table() {
    for (fonts, fang) in [(DocxFonts::office(), "仿宋"), (DocxFonts::bundled(), "FandolFang")] {
        let opts = DocxOptions { fonts: fonts.clone(), ..DocxOptions::default() };
        let entries = unzip(&write_with(&samples::report(), &opts));
        let table = part(&entries, "word/fontTable.xml");
        let declared: Vec<&str> = table.all("w:font").iter().filter_map(|f| f.attr("w:name")).collect();
        for role in Role::ALL {
            assert!(declared.contains(&fonts.get(role).name.as_str()), "{role:?} missing from {declared:?}");
        }
        let styles = part(&entries, "word/styles.xml");
        for rf in styles.all("w:rFonts") {
            assert_eq!(rf.attr("w:ascii"), rf.attr("w:eastAsia"));
            assert_eq!(rf.attr("w:hAnsi"), rf.attr("w:eastAsia"));
            assert_eq!(rf.attr("w:hint"), Some("eastAsia"));
        }
        let normal = style(&styles, "Normal");
        assert_eq!(normal.all("w:rFonts")[0].attr("w:eastAsia"), Some(fang));
    }
}

fn style<'a>(styles: &'a El, id: &str) -> &'a El {
    styles.all("w:style").into_iter().find(|s| s.attr("w:styleId") == Some(id)).unwrap_or_else(|| panic!("style {id}"))
}

#[test]
fn styles_carry_the_grid() {
    let entries = unzip(&write(&samples::report()));
    let styles = part(&entries, "word/styles.xml");
    let normal = style(&styles, "Normal");
    assert_eq!(normal.attr("w:default"), Some("1"));
    let ppr = normal.child("w:pPr").unwrap();
    let ind = ppr.child("w:ind").unwrap();
    assert_eq!(ind.attr("w:firstLineChars"), Some("200"));
    assert_eq!(ind.attr("w:firstLine"), Some("632"));
    let spacing = ppr.child("w:spacing").unwrap();
    assert_eq!((spacing.attr("w:line"), spacing.attr("w:lineRule")), (Some("579"), Some("exact")));
    assert_eq!(ppr.child("w:jc").unwrap().attr("w:val"), Some("both"));
    let rpr = normal.child("w:rPr").unwrap();
    assert_eq!(rpr.child("w:spacing").unwrap().attr("w:val"), Some("-5"));
    assert_eq!(rpr.child("w:sz").unwrap().attr("w:val"), Some("32"));
    let defaults = styles.child("w:docDefaults").unwrap();
    assert_eq!(defaults.all("w:widowControl")[0].attr("w:val"), Some("0"));
    assert_eq!(defaults.all("w:lang")[0].attr("w:eastAsia"), Some("zh-CN"));
    for (level, font) in [(1, "黑体"), (2, "楷体"), (3, "仿宋"), (4, "仿宋")] {
        let h = style(&styles, &format!("Heading{level}"));
        assert_eq!(h.child("w:name").unwrap().attr("w:val"), Some(format!("heading {level}").as_str()));
        let lvl = level - 1;
        assert_eq!(h.all("w:outlineLvl")[0].attr("w:val"), Some(lvl.to_string().as_str()));
        assert!(h.all("w:keepNext").len() == 1);
        assert_eq!(h.all("w:rFonts")[0].attr("w:eastAsia"), Some(font));
    }
    let sect = part(&entries, "word/document.xml").all("w:sectPr")[0].clone();
    let grid = sect.child("w:docGrid").unwrap();
    assert_eq!((grid.attr("w:type"), grid.attr("w:linePitch")), (Some("lines"), Some("579")));
    let mar = sect.child("w:pgMar").unwrap();
    let m: Vec<_> = ["w:top", "w:left", "w:right", "w:bottom"].iter().map(|k| mar.attr(k).unwrap()).collect();
    assert_eq!(m, ["2098", "1588", "1474", "1984"]);
}

#[test]
fn footers_number_odd_and_even_pages() {
    let entries = unzip(&write(&samples::report()));
    let settings = part(&entries, "word/settings.xml");
    assert!(settings.child("w:evenAndOddHeaders").is_some());
    let doc = part(&entries, "word/document.xml");
    let refs = doc.all("w:footerReference");
    let kinds: Vec<_> = refs.iter().map(|r| r.attr("w:type").unwrap()).collect();
    assert_eq!(kinds, ["default", "even"]);
    let rels = part(&entries, "word/_rels/document.xml.rels");
    for (r, jc) in refs.iter().zip(["right", "left"]) {
        let id = r.attr("r:id").unwrap();
        let target = rels.children.iter().find(|x| x.attr("Id") == Some(id)).unwrap().attr("Target").unwrap();
        let footer = part(&entries, &format!("word/{target}"));
        assert_eq!(footer.all("w:instrText")[0].text.trim(), "PAGE");
        let text: String = footer.all("w:t").iter().map(|t| t.text.as_str()).collect();
        assert_eq!(text, "— 1 —");
        assert_eq!(footer.all("w:jc")[0].attr("w:val"), Some(jc));
        let ind = footer.all("w:ind")[0];
        let inset = if jc == "right" { ind.attr("w:right") } else { ind.attr("w:left") };
        assert_eq!(inset, Some("280"));
    }
}

#[test]
fn table_header_repeats() {
    let entries = unzip(&write(&samples::report()));
    let doc = part(&entries, "word/document.xml");
    let tables = doc.all("w:tbl");
    assert_eq!(tables.len(), 1);
    let rows = tables[0].all("w:tr");
    assert!(rows[0].all("w:tblHeader").len() == 1);
    assert!(rows[1..].iter().all(|r| r.all("w:tblHeader").is_empty()));
}

#[test]
fn hostile_strings_survive_literally() {
    let hostile = [
        "<w:p>&amp;</w:p>",
        "]]> <![CDATA[x]]> <!-- c --> <?pi?>",
        "\"quotes\" 'apos' & < >",
        " leading and trailing spaces ",
        "emoji 😀👨‍👩‍👧 𠮷",
        "bidi \u{202E}reversed\u{202C} \u{2066}iso\u{2069}",
        "controls \u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}\u{fffe}\u{ffff} end",
        "tab\there\nnewline\r\ncrlf",
        "#read(\"/etc/passwd\") {{ x }} ${y}",
    ];
    let long: String = "长".repeat(350_000) + &"x".repeat(50_000);
    let mut blocks: Vec<Block> = hostile
        .iter()
        .map(|s| Block::Paragraph { kind: ParaKind::Body, text: vec![Run::plain(*s), Run::bold(*s)] })
        .collect();
    blocks.push(Block::Paragraph { kind: ParaKind::Body, text: vec![Run::plain(long.clone())] });
    blocks.push(Block::Title { lines: hostile.iter().map(|s| s.to_string()).collect() });
    blocks.push(Block::Masthead {
        name: hostile[0].into(),
        issue: hostile[1].into(),
        editor: hostile[2].into(),
        date: hostile[4].into(),
    });
    blocks.push(Block::Signature {
        name: hostile[5].into(),
        date: hostile[6].into(),
        name_right_indent: 2.0,
        date_right_indent: 2.0,
    });
    blocks.push(Block::Table {
        header: vec![vec![Run::plain(hostile[0])]],
        rows: vec![vec![vec![Run::plain(hostile[7])]]],
        widths: vec![1.0],
        align: vec![Align::Left],
    });
    blocks.push(Block::Colophon { lines: vec![vec![Run::plain(hostile[2])]], copies: Some(hostile[1].into()) });
    let mut d = doc(blocks);
    d.meta = Meta {
        title: hostile[0].into(),
        author: hostile[6].into(),
        subject: hostile[1].into(),
        keywords: vec![hostile[2].into(), hostile[5].into()],
        date: Some("2025-07-10\"><x/>".into()),
        lang: "zh-CN\"><x".into(),
    };
    let bytes = write(&d);
    let entries = unzip(&bytes);
    for (name, data) in &entries {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            common::parse(data);
        }
    }
    let document = part(&entries, "word/document.xml");
    let text = body_text(&document);
    assert!(strip_breaks(&text) == strip_breaks(&expected_text(&d)), "body text differs from the IR");
    assert!(text.contains(&long));
    // Each hostile paragraph (plain run + bold run) survives exactly, with
    // tabs and newlines as w:tab / w:br and unsafe controls dropped.
    let paragraphs: Vec<String> = document.all("w:p").iter().map(|p| body_text(p)).collect();
    for h in hostile {
        let safe: String = h
            .replace("\r\n", "\n")
            .chars()
            .filter(
                |&c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'),
            )
            .collect();
        assert!(paragraphs.contains(&format!("{safe}{safe}")), "{safe:?} not found");
    }
    assert!(text.contains(" leading and trailing spaces "));
    let core = part(&entries, "docProps/core.xml");
    assert_eq!(core.child("dc:title").unwrap().text, hostile[0]);
    assert_eq!(core.child("dcterms:created").unwrap().text, "2000-01-01T00:00:00Z");
    // Leading and trailing spaces are preserved.
    let doc_el = part(&entries, "word/document.xml");
    assert!(doc_el.all("w:t").iter().all(|t| t.attr("xml:space") == Some("preserve")));
}

#[test]
fn hostile_font_names_are_escaped() {
    let mut fonts = DocxFonts::office();
    fonts.set(Role::Fang, FontSpec::named("A\"&<B>\u{1}"));
    let bytes = write_with(&samples::media(), &DocxOptions { fonts, ..DocxOptions::default() });
    let entries = unzip(&bytes);
    let styles = part(&entries, "word/styles.xml");
    assert_eq!(style(&styles, "Normal").all("w:rFonts")[0].attr("w:eastAsia"), Some("A\"&<B>"));
    part(&entries, "word/fontTable.xml");
}

#[test]
fn odd_documents_never_panic() {
    let nan = f64::NAN;
    let docs = vec![
        doc(vec![]),
        doc(vec![Block::Blank]),
        doc(vec![
            Block::Heading { level: 0, number: String::new(), text: vec![] },
            Block::Heading { level: 200, number: "九、".into(), text: vec![Run::plain("x")] },
            Block::Title { lines: vec![] },
            Block::Table { header: vec![], rows: vec![], widths: vec![], align: vec![] },
            Block::Table {
                header: vec![vec![Run::plain("a")]],
                rows: vec![vec![], vec![vec![Run::plain("b")], vec![Run::plain("c")], vec![Run::plain("d")]]],
                widths: vec![nan, -1.0],
                align: vec![Align::Right],
            },
            Block::Signature {
                name: String::new(),
                date: String::new(),
                name_right_indent: nan,
                date_right_indent: -1e300,
            },
            Block::Colophon { lines: vec![], copies: None },
        ]),
        doc(vec![Block::Colophon { lines: vec![vec![Run::plain("报：")]], copies: None }]),
    ];
    let hints = [
        LayoutHints::default(),
        LayoutHints {
            colophon_blank_lines: u32::MAX,
            colophon_on_new_page: true,
            // Row heights for blocks that are no tables, and absurd ones.
            table_rows: [(0, vec![u32::MAX, 0]), (3, vec![0]), (4, vec![u32::MAX; 5]), (999, vec![1])].into(),
        },
    ];
    for d in &docs {
        for h in &hints {
            let bytes =
                write_with(d, &DocxOptions { fonts: DocxFonts::office(), hints: h.clone(), ..DocxOptions::default() });
            for (name, data) in unzip(&bytes) {
                if name.ends_with(".xml") || name.ends_with(".rels") {
                    let root = common::parse(&data);
                    assert!(order_violations(&name, &root).is_empty());
                }
            }
        }
    }
}

#[test]
fn colophon_on_its_own_page_has_no_page_number() {
    let opts = DocxOptions {
        fonts: DocxFonts::office(),
        hints: LayoutHints { colophon_blank_lines: 3, colophon_on_new_page: true, ..LayoutHints::default() },
        ..DocxOptions::default()
    };
    let entries = unzip(&write_with(&samples::briefing(), &opts));
    let doc = part(&entries, "word/document.xml");
    let sections = doc.all("w:sectPr");
    assert_eq!(sections.len(), 2);
    // The first section ends in the last body paragraph (no extra line).
    let body = doc.child("w:body").unwrap();
    let tbl_pos = body.children.iter().position(|c| c.name == "w:tbl").unwrap();
    let blanks_before = 3;
    assert!(body.children[tbl_pos - blanks_before - 1].all("w:sectPr").len() == 1);
    assert_eq!(sections[1].child("w:type").unwrap().attr("w:val"), Some("nextPage"));
    let rels = part(&entries, "word/_rels/document.xml.rels");
    for r in sections[1].all("w:footerReference") {
        let id = r.attr("r:id").unwrap();
        let target = rels.children.iter().find(|x| x.attr("Id") == Some(id)).unwrap().attr("Target").unwrap();
        let footer = part(&entries, &format!("word/{target}"));
        assert!(footer.all("w:instrText").is_empty() && footer.all("w:t").is_empty());
    }
}

#[test]
fn core_properties_come_from_meta() {
    let entries = unzip(&write(&samples::report()));
    let core = part(&entries, "docProps/core.xml");
    assert_eq!(core.child("dc:creator").unwrap().text, "吴静怡");
    assert_eq!(core.child("dcterms:created").unwrap().text, "2025-07-10T00:00:00Z");
    assert_eq!(core.child("dcterms:modified").unwrap().text, "2025-07-10T00:00:00Z");
    assert_eq!(core.child("cp:keywords").unwrap().text, "民政; 上半年");
}

#[test]
fn table_cells_follow_their_column_alignment() {
    let d = samples::report();
    let Some(Block::Table { align, .. }) = d.blocks.iter().find(|b| matches!(b, Block::Table { .. })) else {
        panic!("the report has a table")
    };
    let want: Vec<&str> = align
        .iter()
        .map(|a| match a {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
        })
        .collect();
    let entries = unzip(&write(&d));
    let doc = part(&entries, "word/document.xml");
    let rows = doc.all("w:tbl")[0].all("w:tr");
    let jc = |row: &El| -> Vec<String> {
        row.all("w:tc").iter().map(|c| c.all("w:jc")[0].attr("w:val").unwrap_or("").to_owned()).collect()
    };
    // The header is centred, body cells follow their column.
    assert!(jc(rows[0]).iter().all(|j| j == "center"), "{:?}", jc(rows[0]));
    for r in &rows[1..] {
        assert_eq!(jc(r), want);
    }
}

#[test]
fn table_rows_take_the_heights_the_layout_measured() {
    let d = samples::report();
    let index = d.blocks.iter().position(|b| matches!(b, Block::Table { .. })).unwrap();
    let lines = vec![1, 2, 1, 1, 3];
    let hints = LayoutHints { table_rows: [(index, lines.clone())].into(), ..LayoutHints::default() };
    let entries = unzip(&write_with(&d, &DocxOptions { hints, ..DocxOptions::default() }));
    let doc = part(&entries, "word/document.xml");
    let style = Style::gbt9704();
    let pitch = (style.grid.line_pitch_pt * 20.0).round() as u32;
    // The header row also holds the table's top rule.
    let rule = (style.table_rule_pt * 20.0).round() as u32;
    let heights: Vec<(u32, &str)> = doc.all("w:tbl")[0]
        .all("w:trHeight")
        .iter()
        .map(|h| (h.attr("w:val").unwrap().parse().unwrap(), h.attr("w:hRule").unwrap()))
        .collect();
    let want: Vec<(u32, &str)> =
        lines.iter().enumerate().map(|(i, n)| (pitch * n - if i == 0 { rule } else { 0 }, "atLeast")).collect();
    assert_eq!(heights, want);
}
