//! The invariants the fuzz targets check, one function per target.
//!
//! Shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`, nightly) and
//! by `tests/fuzz_seeds.rs` (stable), which replays every committed seed so
//! `cargo test` keeps the corpora meaningful. Each function takes the raw
//! fuzz input and panics when an invariant does not hold:
//!
//! - [`yaml_load`]: bytes → `model::source::decode` → `model::parse`. The
//!   result is a report, or an error whose diagnostics are all data errors
//!   or warnings, every error has a position, and every position lies in
//!   the input (line and column of an existing character, or just past the
//!   end of a line).
//! - [`markup_parse`]: the input as body markup → `doc::parse`. An error
//!   names a line of the input and quotes it; a document keeps the IR's
//!   rules (heading numbers, table shapes, the blank lines the standard
//!   asks for). Then the input as *data*: escaped with `markup::escape` and
//!   put where templates put data (paragraph, heading, title, field, table
//!   cell, after a run-in title), it must parse and print exactly its
//!   printed form, never bold, never forging a block or a table separator.
//! - [`docx_write`]: an `arbitrary` document (a mirror of the IR) →
//!   `render::docx::write_docx`. The writer succeeds, the same input gives
//!   the same bytes, every part of the ZIP is well-formed XML, every
//!   relationship points at a part that exists and has a content type, the
//!   paragraphs of `word/document.xml` hold exactly the IR's text (minus
//!   the characters XML cannot hold, which the writer drops, with `\t` and
//!   line breaks as `w:tab` / `w:br`), and `docProps/core.xml` the title.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use arbitrary::{Arbitrary, Unstructured};
use jianbao::doc::markup::{escape, printed_form};
use jianbao::doc::{Align, Block, Document, Inlines, LayoutHints, Meta, ParaKind, Run, plain_text};
use jianbao::error::{Diagnostic, ErrorKind, Severity};
use jianbao::model::images::ImageData;
use jianbao::model::{LoadOptions, source};
use jianbao::render::docx::{DocxFonts, DocxOptions, FallbackFont, FontSpec, write_docx};
use jianbao::style::Style;
use jianbao::template::cn;

// ─── yaml_load ────────────────────────────────────────────────────────────

/// The data file's name in every diagnostic.
const DATA_PATH: &str = "fuzz.yaml";

/// Loads `bytes` as a data file and checks the result.
pub fn yaml_load(bytes: &[u8]) {
    let path = Path::new(DATA_PATH);
    let input = input_text(bytes);
    let result = source::decode(path, bytes).and_then(|s| jianbao::model::parse(s, LoadOptions::default()));
    match result {
        Ok(loaded) => {
            assert!(!loaded.report.organization.name.trim().is_empty(), "a loaded report has an organization name");
            assert!(!loaded.report.period.label.trim().is_empty(), "a loaded report has a period label");
            assert!(
                !loaded.source.text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
                "control characters are removed before the YAML parser sees the text"
            );
            for d in &loaded.warnings {
                assert_ne!(d.severity, Severity::Error, "an error among the warnings of a loaded file: {d}");
                check_diagnostic(d, path, &input);
            }
        }
        Err(e) => {
            assert!(
                e.diagnostics.iter().any(|d| d.severity == Severity::Error),
                "an error without an error diagnostic: {:?}",
                e.diagnostics
            );
            for d in &e.diagnostics {
                check_diagnostic(d, path, &input);
                if d.severity == Severity::Error {
                    assert!(d.pos.is_some(), "a data error without a position:\n{d}");
                }
            }
        }
    }
}

/// The input as the text its positions refer to: decoded the way
/// `source::decode` decodes it (BOM, UTF-16, UTF-8, GBK), before control
/// characters are removed (warnings about them point into this text; the
/// YAML parser's positions point into the cleaned text, whose lines are the
/// same or shorter).
fn input_text(bytes: &[u8]) -> String {
    // A CR not followed by a LF ends a line, for YAML as for editors.
    let text = decoded(bytes);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(if c == '\r' && chars.peek() != Some(&'\n') { '\n' } else { c });
    }
    out
}

fn decoded(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        return enc.decode_with_bom_removal(bytes).0.into_owned();
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_owned();
    }
    if !bytes.contains(&0)
        && let Some(t) = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
        && t.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
    {
        return t.into_owned();
    }
    String::from_utf8_lossy(bytes).into_owned()
}

fn check_diagnostic(d: &Diagnostic, path: &Path, input: &str) {
    assert_eq!(d.kind, ErrorKind::Data, "loading data gives data diagnostics only:\n{d}");
    assert!(!d.message.trim().is_empty(), "a diagnostic without a message: {d:?}");
    let Some(pos) = &d.pos else { return };
    assert_eq!(pos.file, path, "a position in another file:\n{d}");
    // Lines as a reader counts them: split at `\n` (`\r\n` ends a line with
    // an `\r` the column may point at; a lone `\r` is a `\n` already).
    let lines: Vec<&str> = input.split('\n').collect();
    assert!(
        pos.line >= 1 && pos.line <= lines.len(),
        "line {} is outside the input ({} lines):\n{d}\ninput: {input:?}",
        pos.line,
        lines.len()
    );
    let chars = lines[pos.line - 1].chars().count();
    assert!(
        pos.column >= 1 && pos.column <= chars + 1,
        "column {} is outside line {} ({chars} characters):\n{d}\ninput: {input:?}",
        pos.column,
        pos.line
    );
}

// ─── markup_parse ─────────────────────────────────────────────────────────

/// Parses the input as markup, then as data inside markup.
pub fn markup_parse(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let style = Style::gbt9704();
    raw_markup(&text, &style);
    data_in_markup(&text, &style);
}

fn meta() -> Meta {
    Meta { title: "题".into(), author: "者".into(), subject: "fuzz".into(), ..Meta::default() }
}

/// Markup as a template might write it.
fn raw_markup(markup: &str, style: &Style) {
    match jianbao::doc::parse(markup, style, meta()) {
        Ok(doc) => {
            assert_eq!(doc.meta, meta(), "the metadata is passed through");
            check_ir(&doc, style);
        }
        Err(e) => {
            let lines: Vec<&str> = markup.lines().collect();
            assert!(e.line >= 1 && e.line <= lines.len(), "error line {} of {} lines: {e:?}", e.line, lines.len());
            let quoted = lines[e.line - 1].trim();
            // A block's error may quote its opening line in a normal form.
            assert!(
                e.text == quoted || (e.text.starts_with(":::") && quoted.starts_with(":::")),
                "the error quotes {:?}, line {} reads {quoted:?}",
                e.text,
                e.line
            );
            assert!(!e.message.is_empty());
        }
    }
}

/// The rules every parsed document keeps.
fn check_ir(doc: &Document, style: &Style) {
    let mut counters = [0u64; 4];
    let is_head = |b: &Block| matches!(b, Block::Title { .. } | Block::Subtitle { .. } | Block::Byline { .. });
    for (i, block) in doc.blocks.iter().enumerate() {
        let next = doc.blocks.get(i + 1);
        if is_head(block) {
            assert!(
                next.is_none_or(|n| is_head(n) || n == &Block::Blank),
                "a blank line follows the title group: {:?}",
                &doc.blocks[i..(i + 2).min(doc.blocks.len())]
            );
        }
        match block {
            Block::Heading { level, number, text } => {
                assert!((1..=4).contains(level), "heading level {level}");
                let l = usize::from(*level);
                counters[l - 1] += 1;
                counters[l..].iter_mut().for_each(|c| *c = 0);
                let want = cn::ordinal(counters[l - 1], style.headings[l - 1].numbering);
                assert_eq!(number, &want, "heading numbers count per level");
                check_runs(text);
            }
            Block::Title { lines } => {
                assert!(!lines.is_empty());
                if lines.len() > 1 {
                    for l in lines {
                        assert!(!l.is_empty(), "an empty title line: {lines:?}");
                        let w = jianbao::doc::title::text_width(l);
                        assert!(w <= style.title_max_chars as f64, "title line {l:?} is {w} wide: {lines:?}");
                    }
                }
            }
            Block::Subtitle { text } | Block::Byline { text } => check_runs(text),
            Block::Paragraph { text, .. } => {
                assert!(!text.is_empty(), "an empty paragraph");
                check_runs(text);
            }
            Block::Signature { name_right_indent, date_right_indent, .. } => {
                assert!(i == 0 || doc.blocks[i - 1] == Block::Blank, "a blank line comes before the signature");
                for x in [name_right_indent, date_right_indent] {
                    assert!(x.is_finite() && *x >= 0.0, "signature indent {x}");
                }
            }
            Block::Colophon { lines, copies } => {
                lines.iter().for_each(check_runs);
                assert!(lines.iter().all(|l| !l.is_empty()), "empty colophon lines are dropped");
                assert!(copies.as_ref().is_none_or(|c| !c.is_empty()));
            }
            Block::Table { header, rows, widths, align } => {
                assert_eq!(widths.len(), header.len(), "one width per column");
                assert_eq!(align.len(), header.len(), "one alignment per column");
                for row in rows {
                    assert_eq!(row.len(), header.len(), "every row has the header's cells");
                    row.iter().for_each(check_runs);
                }
                header.iter().for_each(check_runs);
                assert!(widths.iter().all(|w| w.is_finite() && *w > 0.0), "widths {widths:?}");
                if !widths.is_empty() {
                    let sum: f64 = widths.iter().sum();
                    assert!((sum - 1.0).abs() < 1e-6, "widths sum to {sum}");
                }
            }
            Block::Image { width_pt, height_pt, lines, caption, .. } => {
                assert!(width_pt.is_finite() && *width_pt > 0.0 && height_pt.is_finite() && *height_pt > 0.0);
                assert!((1..=style.grid.lines_per_page).contains(lines), "a picture takes 1..=22 lines: {lines}");
                check_runs(caption);
            }
            Block::Blank | Block::Masthead { .. } => {}
        }
    }
}

/// Runs are not empty and neighbours differ in emphasis (they are merged).
fn check_runs(runs: &Inlines) {
    for r in runs {
        assert!(!r.text.is_empty(), "an empty run in {runs:?}");
    }
    for w in runs.windows(2) {
        assert_ne!(w[0].bold, w[1].bold, "neighbouring runs of the same emphasis: {runs:?}");
    }
}

/// Data escaped as templates escape it never becomes markup: in every place
/// a template puts data, it prints as its printed form, in plain runs.
fn data_in_markup(data: &str, style: &Style) {
    let e = escape(data);
    assert!(!e.contains('\n'), "escaped data is one markup line: {e:?}");
    let printed = printed_form(data);
    let parse = |markup: &str, place: &str| -> Document {
        jianbao::doc::parse(markup, style, meta())
            .unwrap_or_else(|err| panic!("data in a {place} breaks the markup: {err:?}\nmarkup: {markup:?}"))
    };
    let plain_runs = |runs: &[Run], place: &str| {
        assert!(runs.iter().all(|r| !r.bold), "data in a {place} turned bold: {runs:?}");
    };

    // A body paragraph: one paragraph per data paragraph.
    let doc = parse(&format!("{e}\n"), "paragraph");
    let mut text = String::new();
    for b in &doc.blocks {
        let Block::Paragraph { kind: ParaKind::Body, text: runs } = b else {
            panic!("data in a paragraph made a {b:?}\ndata: {data:?}")
        };
        plain_runs(runs, "paragraph");
        text.push_str(&plain_text(runs));
    }
    assert_eq!(text, printed, "data in a paragraph");

    // After a run-in title: the title stays the only bold run.
    let doc = parse(&format!("**题。**{e}\n"), "run-in paragraph");
    let Some(Block::Paragraph { text: runs, .. }) = doc.blocks.first() else { panic!("{doc:?}") };
    assert_eq!(runs[0], Run::bold("题。"), "the run-in title");
    plain_runs(&runs[1..], "run-in paragraph");

    // A heading.
    let doc = parse(&format!("## {e}\n"), "heading");
    let [Block::Heading { level: 2, text: runs, .. }] = &doc.blocks[..] else { panic!("heading: {doc:?}") };
    plain_runs(runs, "heading");
    assert_eq!(plain_text(runs), printed, "data in a heading");

    // The title block.
    let doc = parse(&format!("::: title\n{e}\n:::\n"), "title");
    match &doc.blocks[..] {
        [] => assert_eq!(printed.trim(), "", "data in a title vanished"),
        [Block::Title { lines }] => assert_eq!(lines.concat(), printed.trim(), "data in a title"),
        other => panic!("data in a title made {other:?}"),
    }

    // A field value.
    let doc = parse(&format!("::: signature\nname: {e}\ndate: 2025年7月10日\n:::\n"), "field");
    let [Block::Signature { name, date, .. }] = &doc.blocks[..] else { panic!("signature: {doc:?}") };
    assert_eq!(name, &printed, "data in a field");
    assert_eq!(date, "2025年7月10日");

    // Table cells: a header cell and a body row of data only.
    let doc = parse(&format!("::: table\n| 甲 | {e} |\n| {e} | {e} |\n:::\n"), "table");
    let [Block::Table { header, rows, .. }] = &doc.blocks[..] else { panic!("table: {doc:?}") };
    assert_eq!(header.len(), 2, "data in a header cell: {header:?}");
    assert_eq!(plain_text(&header[1]), printed, "data in a header cell");
    assert_eq!(rows.len(), 1, "a data row stays a row: {rows:?}\ndata: {data:?}");
    for cell in &rows[0] {
        plain_runs(cell, "table cell");
        assert_eq!(plain_text(cell), printed, "data in a table cell");
    }
}

// ─── docx_write ───────────────────────────────────────────────────────────

/// A run of the fuzzed IR.
#[derive(Debug, Arbitrary)]
pub struct FuzzRun {
    text: String,
    bold: bool,
}

/// The IR's blocks, field for field.
#[derive(Debug, Arbitrary)]
pub enum FuzzBlock {
    Title(Vec<String>),
    Subtitle(Vec<FuzzRun>),
    Byline(Vec<FuzzRun>),
    Heading {
        level: u8,
        number: String,
        text: Vec<FuzzRun>,
    },
    Paragraph {
        kind: u8,
        text: Vec<FuzzRun>,
    },
    Blank,
    Signature {
        name: String,
        date: String,
        name_right_indent: f64,
        date_right_indent: f64,
    },
    Masthead {
        name: String,
        issue: String,
        editor: String,
        date: String,
    },
    Colophon {
        lines: Vec<Vec<FuzzRun>>,
        copies: Option<String>,
    },
    Table {
        header: Vec<Vec<FuzzRun>>,
        rows: Vec<Vec<Vec<FuzzRun>>>,
        widths: Vec<f64>,
        align: Vec<u8>,
    },
    /// `picture` picks one of [`pictures`].
    Image {
        picture: bool,
        width_pt: f64,
        height_pt: f64,
        lines: u32,
        caption: Vec<FuzzRun>,
    },
}

/// Two small PNGs (1×1 and 3×2 pixels), decoded once.
fn pictures() -> &'static [Arc<ImageData>; 2] {
    const ONE: [u8; 69] = [
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00,
        0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x38, 0xc1, 0xc0, 0x00, 0x00, 0x02, 0x5c, 0x00, 0xc9, 0x43,
        0xc8, 0x12, 0x46, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    const WIDE: [u8; 72] = [
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0x12, 0x16, 0xf1, 0x4d, 0x00, 0x00, 0x00,
        0x0f, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0xa8, 0x38, 0x01, 0x45, 0x70, 0x16, 0x00, 0x46, 0x64,
        0x07, 0x81, 0xf8, 0x40, 0x8a, 0x72, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    static PICTURES: OnceLock<[Arc<ImageData>; 2]> = OnceLock::new();
    PICTURES.get_or_init(|| {
        let decode = |bytes: &[u8], name: &str| {
            Arc::new(ImageData::decode(bytes.to_vec(), PathBuf::from(name)).expect("a valid PNG"))
        };
        [decode(&ONE, "one.png"), decode(&WIDE, "wide.png")]
    })
}

/// Everything `write_docx` takes that data or layout can vary.
#[derive(Debug, Arbitrary)]
pub struct FuzzDocx {
    title: String,
    author: String,
    subject: String,
    keywords: Vec<String>,
    date: Option<String>,
    lang: String,
    blocks: Vec<FuzzBlock>,
    colophon_blank_lines: u32,
    colophon_on_new_page: bool,
    table_rows: Vec<(u8, Vec<u32>)>,
    /// Characters set in the fallback font, and its family name.
    fallback: Option<(String, Vec<char>)>,
    /// One family name for every role instead of the office fonts.
    font: Option<String>,
}

fn runs(r: &[FuzzRun]) -> Inlines {
    r.iter().map(|r| Run { text: r.text.clone(), bold: r.bold }).collect()
}

impl FuzzDocx {
    fn document(&self) -> Document {
        let blocks = self
            .blocks
            .iter()
            .map(|b| match b {
                FuzzBlock::Title(lines) => Block::Title { lines: lines.clone() },
                FuzzBlock::Subtitle(t) => Block::Subtitle { text: runs(t) },
                FuzzBlock::Byline(t) => Block::Byline { text: runs(t) },
                FuzzBlock::Heading { level, number, text } => {
                    Block::Heading { level: *level, number: number.clone(), text: runs(text) }
                }
                FuzzBlock::Paragraph { kind, text } => Block::Paragraph {
                    kind: [ParaKind::Body, ParaKind::Note, ParaKind::Contact][usize::from(*kind % 3)],
                    text: runs(text),
                },
                FuzzBlock::Blank => Block::Blank,
                FuzzBlock::Signature { name, date, name_right_indent, date_right_indent } => Block::Signature {
                    name: name.clone(),
                    date: date.clone(),
                    name_right_indent: *name_right_indent,
                    date_right_indent: *date_right_indent,
                },
                FuzzBlock::Masthead { name, issue, editor, date } => Block::Masthead {
                    name: name.clone(),
                    issue: issue.clone(),
                    editor: editor.clone(),
                    date: date.clone(),
                },
                FuzzBlock::Colophon { lines, copies } => {
                    Block::Colophon { lines: lines.iter().map(|l| runs(l)).collect(), copies: copies.clone() }
                }
                FuzzBlock::Table { header, rows, widths, align } => Block::Table {
                    header: header.iter().map(|c| runs(c)).collect(),
                    rows: rows.iter().map(|r| r.iter().map(|c| runs(c)).collect()).collect(),
                    widths: widths.clone(),
                    align: align
                        .iter()
                        .map(|a| [Align::Left, Align::Center, Align::Right][usize::from(*a % 3)])
                        .collect(),
                },
                FuzzBlock::Image { picture, width_pt, height_pt, lines, caption } => Block::Image {
                    image: pictures()[usize::from(*picture)].clone(),
                    width_pt: *width_pt,
                    height_pt: *height_pt,
                    lines: *lines,
                    caption: runs(caption),
                },
            })
            .collect();
        Document {
            meta: Meta {
                title: self.title.clone(),
                author: self.author.clone(),
                subject: self.subject.clone(),
                keywords: self.keywords.clone(),
                date: self.date.clone(),
                lang: self.lang.clone(),
            },
            blocks,
        }
    }

    fn options(&self) -> DocxOptions {
        let blocks = self.blocks.len().max(1);
        let table_rows: BTreeMap<usize, Vec<u32>> =
            self.table_rows.iter().map(|(i, rows)| (usize::from(*i) % blocks, rows.clone())).collect();
        DocxOptions {
            fonts: match &self.font {
                Some(name) => DocxFonts::from_fn(|_| FontSpec::named(name.clone())),
                None => DocxFonts::office(),
            },
            hints: LayoutHints {
                colophon_blank_lines: self.colophon_blank_lines,
                colophon_on_new_page: self.colophon_on_new_page,
                table_rows,
            },
            embed: None,
            fallback: self
                .fallback
                .as_ref()
                .map(|(family, chars)| FallbackFont { family: family.clone(), chars: chars.iter().copied().collect() }),
        }
    }
}

/// Writes an arbitrary document as DOCX and checks the package.
pub fn docx_write(bytes: &[u8]) {
    let Ok(input) = FuzzDocx::arbitrary_take_rest(Unstructured::new(bytes)) else { return };
    let doc = input.document();
    let opts = input.options();
    let style = Style::gbt9704();
    let docx = write_docx(&doc, &style, &opts).unwrap_or_else(|e| panic!("user data never fails the writer: {e}"));
    let again = write_docx(&doc, &style, &opts).expect("the second write");
    assert!(docx == again, "the same document gives the same bytes");

    let parts = unzip(&docx);
    let names: BTreeSet<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.len(), parts.len(), "part names are unique");
    let mut parsed: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, data) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let text = std::str::from_utf8(data).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
            if let Err(e) = roxmltree::Document::parse(text) {
                panic!("{name} is not well-formed XML: {e}\n{text}");
            }
            parsed.insert(name, text);
        }
    }
    check_package(&parsed, &names);

    let document = roxmltree::Document::parse(parsed["word/document.xml"]).unwrap();
    let got: Vec<String> = paragraph_texts(&document).into_iter().filter(|t| !t.is_empty()).collect();
    let want: Vec<String> = expected_paragraphs(&doc).into_iter().filter(|t| !t.is_empty()).collect();
    assert_eq!(got, want, "word/document.xml holds the IR's text, paragraph by paragraph");

    let core = roxmltree::Document::parse(parsed["docProps/core.xml"]).unwrap();
    let title = core
        .descendants()
        .find(|n| n.tag_name().name() == "title")
        .map(|n| n.text().unwrap_or("").to_owned())
        .expect("dc:title");
    assert_eq!(title, xml_chars(&doc.meta.title), "docProps/core.xml holds the title");
}

/// The entries of a ZIP: (name, bytes).
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("the DOCX is a ZIP archive");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("a ZIP entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("a readable ZIP entry");
            (f.name().expect("a UTF-8 entry name").to_string(), data)
        })
        .collect()
}

/// Every relationship's target is a part, and every part has a content type.
fn check_package(parsed: &BTreeMap<&str, &str>, names: &BTreeSet<&str>) {
    let types = roxmltree::Document::parse(parsed["[Content_Types].xml"]).expect("[Content_Types].xml");
    let defaults: BTreeSet<&str> = types
        .descendants()
        .filter(|n| n.tag_name().name() == "Default")
        .filter_map(|n| n.attribute("Extension"))
        .collect();
    let overrides: BTreeSet<&str> = types
        .descendants()
        .filter(|n| n.tag_name().name() == "Override")
        .filter_map(|n| n.attribute("PartName"))
        .map(|p| p.trim_start_matches('/'))
        .collect();
    for name in names.iter().filter(|n| **n != "[Content_Types].xml") {
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        assert!(overrides.contains(name) || defaults.contains(ext), "{name} has no content type");
    }
    for (rels, text) in parsed.iter().filter(|(n, _)| n.ends_with(".rels")) {
        // `word/_rels/document.xml.rels` → targets relative to `word/`.
        let base = rels.split("_rels/").next().unwrap_or("");
        let doc = roxmltree::Document::parse(text).unwrap();
        for r in doc.descendants().filter(|n| n.tag_name().name() == "Relationship") {
            if r.attribute("TargetMode") == Some("External") {
                continue;
            }
            let target = r.attribute("Target").expect("a relationship target");
            let full = match target.strip_prefix('/') {
                Some(abs) => abs.to_owned(),
                None => format!("{base}{target}"),
            };
            assert!(names.contains(full.as_str()), "{rels} points at {full}, which is not in the package");
        }
    }
}

/// The text of every `w:p` of a part, in document order, as Word reads it:
/// `w:t` text, `w:tab` in a run as a tab, `w:br` as a line break.
fn paragraph_texts(doc: &roxmltree::Document) -> Vec<String> {
    let w = |n: &roxmltree::Node, local: &str| n.is_element() && n.tag_name().name() == local;
    doc.descendants()
        .filter(|n| w(n, "p"))
        .map(|p| {
            let mut s = String::new();
            for n in p.descendants() {
                let in_run = n.parent().is_some_and(|r| w(&r, "r"));
                if w(&n, "t") {
                    s.push_str(n.text().unwrap_or(""));
                } else if w(&n, "tab") && in_run {
                    s.push('\t');
                } else if w(&n, "br") && in_run {
                    s.push('\n');
                }
            }
            s
        })
        .collect()
}

/// Whether XML 1.0 can hold `c` (the writer drops the others).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn xml_chars(s: &str) -> String {
    s.chars().filter(|&c| is_xml_char(c)).collect()
}

/// Text as the body writer puts it in a run: XML characters only, and
/// `\r\n` or `\r` as a line break.
fn run_text(s: &str) -> String {
    xml_chars(s).replace("\r\n", "\n").replace('\r', "\n")
}

fn inline_text(runs: &Inlines) -> String {
    runs.iter().map(|r| run_text(&r.text)).collect()
}

/// The text of each paragraph the writer makes of the IR, in order.
fn expected_paragraphs(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::Title { lines } => out.push(lines.iter().map(|l| run_text(l)).collect::<Vec<_>>().join("\n")),
            Block::Subtitle { text } | Block::Byline { text } | Block::Paragraph { text, .. } => {
                out.push(inline_text(text))
            }
            Block::Heading { number, text, .. } => out.push(run_text(number) + &inline_text(text)),
            Block::Blank => {}
            Block::Signature { name, date, .. } => out.extend([run_text(name), run_text(date)]),
            Block::Masthead { name, issue, editor, date } => {
                out.extend([run_text(name), run_text(issue), format!("{}\t{}", run_text(editor), run_text(date))])
            }
            Block::Colophon { lines, copies } => {
                out.extend(lines.iter().map(inline_text));
                out.extend(copies.iter().map(|c| run_text(c)));
            }
            Block::Table { header, rows, .. } => {
                for row in std::iter::once(header).chain(rows) {
                    out.extend(row.iter().map(inline_text));
                }
            }
            // The picture's paragraph holds no text; its caption's does.
            Block::Image { caption, .. } => {
                if !caption.is_empty() {
                    out.push(inline_text(caption));
                }
            }
        }
    }
    out
}
