//! Property tests: whatever text a field holds, the document prints it —
//! after the documented normalisation, restated here from the docs of
//! `src/model/normalize.rs` and `src/doc/markup.rs` (never by calling that
//! code):
//!
//! - each string (`normalize.rs`; `--no-normalize` here, so no punctuation
//!   rule): U+000B, U+000C, U+0085, U+2028, U+2029 become line breaks;
//!   other control characters, U+FFFE and U+FFFF are removed; a bidi
//!   embedding, override or isolate left open at the end of a line is
//!   closed there;
//! - the body markup (`markup.rs`): lines end at `\n`, `\r\n` or `\r`;
//!   tabs become spaces; a blank line ends a paragraph; a paragraph's lines
//!   are trimmed and joined, with one space only between two Latin letters
//!   or digits. Body text keeps the paragraphs; a title, table cell or
//!   one-line field joins them.
//!
//! (a) hundreds of strings through the library — template, markup, IR,
//! DOCX writer — compared exactly with the IR and `word/document.xml`;
//! (b) a few dozen through the whole PDF path, read back with PyMuPDF.
//! Fixed seed; `PROPTEST_CASES` and `PROPTEST_RNG_SEED` override.

mod common;
#[path = "common/docx_xml.rs"]
mod docx_xml;
#[path = "common/normalization.rs"]
mod normalization;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jianbao::doc::Document;
use jianbao::model::source::SourceFile;
use jianbao::model::{self, LoadOptions};
use jianbao::render::docx::{DocxOptions, write_docx};
use jianbao::render::{Engine, EngineOptions, Formats};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

// --- The documented normalisation, restated ------------------------------------

/// A letter or digit of a Latin-style script (two of them keep a space
/// where a line break joins them).
fn is_latin_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || (c.is_alphabetic() && (c as u32) < 0x2E80)
}

/// The paragraphs the body markup makes of a (normalised) string.
fn paragraphs(s: &str) -> Vec<String> {
    let mut paras = vec![String::new()];
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    for line in s.split('\n') {
        let line = line.replace('\t', " ");
        let line = line.trim();
        if line.is_empty() {
            paras.push(String::new());
            continue;
        }
        let para = paras.last_mut().unwrap();
        if let (Some(a), Some(b)) = (para.chars().last(), line.chars().next())
            && is_latin_word(a)
            && is_latin_word(b)
        {
            para.push(' ');
        }
        para.push_str(line);
    }
    paras.retain(|p| !p.is_empty());
    paras
}

// --- The data file ---------------------------------------------------------------

/// A double-quoted YAML scalar holding exactly `s`: every control and
/// special character as an escape, so the file itself is clean.
fn yaml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}') => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Where a property puts its string: the template, a YAML line with `{}`
/// for the value, and whether the field is body text (paragraphs kept).
struct Field {
    name: &'static str,
    template: &'static str,
    yaml: &'static str,
    body: bool,
}

const FIELDS: &[Field] = &[
    Field { name: "title", template: "half-year", yaml: "title: {}\n", body: false },
    Field { name: "subtitle", template: "media", yaml: "subtitle: {}\n", body: false },
    Field { name: "lead", template: "media", yaml: "lead: {}\n", body: true },
    Field {
        name: "point title",
        template: "half-year",
        yaml: "sections:\n  - title: 节\n    points:\n      - title: {}\n        text: 正文。\n",
        // A run-in title is body text: a blank line in it starts a paragraph.
        body: true,
    },
    Field {
        name: "point text",
        template: "media",
        yaml: "sections:\n  - title: 节\n    points:\n      - title: 题\n        text: {}\n",
        body: true,
    },
    Field { name: "problem", template: "half-year", yaml: "problems:\n  - {}\n", body: true },
    Field {
        name: "masthead editor",
        template: "bulletin",
        yaml: "bulletin:\n  name: 简报\n  issue: 1\n  editor: {}\n",
        body: false,
    },
    Field {
        name: "colophon",
        template: "bulletin",
        yaml: "bulletin:\n  name: 简报\n  issue: 1\n  editor: 编印\n  report_to: [{}]\n",
        body: false,
    },
    Field { name: "contact phone", template: "media", yaml: "contact:\n  phone: {}\n", body: false },
    Field { name: "signature", template: "half-year", yaml: "signature:\n  name: {}\n", body: false },
    Field {
        name: "branch highlight",
        template: "branch-summary",
        yaml: "branches:\n  - name: 第一党支部\n    highlights:\n      - title: 亮点\n        text: {}\n",
        body: true,
    },
    Field {
        name: "table cell",
        template: "branch-summary",
        yaml: "branches:\n  - name: 第一党支部\nactivities:\n  - date: 2025-03-05\n    title: {}\n    branch: 第一党支部\n",
        body: false,
    },
];

const HEAD: &str = "organization:\n  name: 测试单位\nperiod:\n  label: 2025年上半年\ndate: 2025-07-10\n";

/// The report with `value` in `field`.
fn load(field: &Field, value: &str) -> Result<model::Loaded, jianbao::Error> {
    let text = format!("{HEAD}{}", field.yaml.replace("{}", &yaml_str(value)));
    let source = SourceFile { path: PathBuf::from("prop.yaml"), text, warnings: Vec::new() };
    model::parse(source, LoadOptions { normalize_punctuation: false, ..LoadOptions::default() })
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::new(&EngineOptions { allow_missing_glyphs: true, ..EngineOptions::default() }).expect("engine")
    })
}

/// The IR of one document (for per-branch templates, the first branch's).
fn document(field: &Field, loaded: &model::Loaded) -> Document {
    let branch = loaded.report.branches.first().filter(|_| field.template == "branch-summary");
    engine().document(loaded, field.template, branch).expect("the template renders any text")
}

/// What the field must print: its paragraphs (body text) or one line.
fn wanted(field: &Field, value: &str) -> Vec<String> {
    let paras = paragraphs(&normalization::after_normalize(value, false));
    if field.body { paras } else { vec![paras.concat()] }
}

// --- Strategies ----------------------------------------------------------------

/// Characters that mean something somewhere in the pipeline.
const HOSTILE_CHARS: &str = "#$@<>&[]{}()%*_`|:;,~=-+/\\\"'!?.\n\n\r\t \u{0B}\u{0C}\u{85}\u{2028}\u{2029}\
    \u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200B}\u{200C}\u{200D}\u{200E}\
    \u{200F}\u{2060}\u{FEFF}\u{FFFE}\u{FFFF}\u{AD}\u{A0}\u{3000}\u{0}\u{7}\u{1B}\u{7F}\u{9F}\u{301}";

/// Pieces of syntax, whole.
const HOSTILE_TOKENS: &[&str] = &[
    "#read(\"/etc/passwd\")",
    "]#[",
    "$",
    "<label>",
    "{{ x }}",
    "{% if %}",
    "{#",
    "**",
    "\\p",
    "\\",
    ":::",
    "| a |",
    "# ",
    "<w:p>",
    "]]>",
    "&amp;",
    "&#0;",
    "\n\n",
    "\r\n",
    "abc",
    "Typst",
];

/// Strings biased to trouble: any character, the hostile ones, whole
/// tokens, Chinese.
fn hostile_string() -> impl Strategy<Value = String> {
    let hostile: Vec<char> = HOSTILE_CHARS.chars().collect();
    let piece = prop_oneof![
        3 => any::<char>().prop_map(String::from),
        3 => proptest::sample::select(hostile).prop_map(String::from),
        2 => proptest::sample::select(HOSTILE_TOKENS).prop_map(str::to_owned),
        2 => proptest::sample::select("党建引领兜底线用心用情惠民生，。、“”《》（）".chars().collect::<Vec<_>>())
            .prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// Characters the bundled fonts draw, still biased to trouble, with no
/// bidi control that reorders (the PDF's text comes out in visual order)
/// and no soft hyphen (a line broken there shows a hyphen).
fn drawable_string() -> impl Strategy<Value = String> {
    let chars: Vec<char> = "党建引领兜底线用心用情惠民生学习机制强化政治意识堃喆𠮷，。、：；！？“”‘’《》（）【】…—·\
        abcxyzABCXYZ0123456789#$@<>&[]{}()%*_`|:;,~=-+/\\\"'!?. \n\t\u{3000}\u{200B}\u{200D}\u{2060}\u{FEFF}\
        \u{0B}\u{2028}\u{7}😀👍🧧é"
        .chars()
        .collect();
    let piece = prop_oneof![
        4 => proptest::sample::select(chars).prop_map(String::from),
        1 => proptest::sample::select(HOSTILE_TOKENS).prop_map(str::to_owned),
    ];
    proptest::collection::vec(piece, 1..40).prop_map(|v| v.concat())
}

fn config(default_cases: u32) -> Config {
    let mut c = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = default_cases;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(0x006A_6961_6E62_616F);
    }
    c.failure_persistence = None;
    c
}

// --- (a) the library: IR and DOCX ---------------------------------------------

#[test]
fn any_text_in_any_field_reaches_the_ir_and_the_docx_as_itself() {
    let mut runner = TestRunner::new(config(360));
    let strategy = (0..FIELDS.len(), hostile_string());
    runner
        .run(&strategy, |(f, value)| {
            let field = &FIELDS[f];
            let want = wanted(field, &value);
            // A value with nothing to print is refused (required fields)
            // or prints nothing: not this property.
            prop_assume!(want.iter().any(|p| !p.trim().is_empty()));
            let loaded = load(field, &value)
                .map_err(|e| TestCaseError::fail(format!("{}: {value:?} not loaded: {e:?}", field.name)))?;
            let doc = document(field, &loaded);
            let texts = doc.texts();
            for p in &want {
                prop_assert!(
                    texts.iter().any(|t| t.contains(p.as_str())),
                    "{}: IR lacks {p:?} (from {value:?}); IR: {texts:?}",
                    field.name
                );
            }
            let docx = write_docx(&doc, &engine().style, &DocxOptions::default())
                .map_err(|e| TestCaseError::fail(format!("DOCX writer: {e}")))?;
            let parts = docx_xml::unzip(&docx);
            for (name, bytes) in &parts {
                if name.ends_with(".xml") || name.ends_with(".rels") {
                    let xml = std::str::from_utf8(bytes).map_err(|e| TestCaseError::fail(format!("{name}: {e}")))?;
                    prop_assert!(roxmltree::Document::parse(xml).is_ok(), "{name} does not parse ({value:?})");
                    let bad = docx_xml::illegal_xml_chars(xml);
                    prop_assert!(bad.is_empty(), "{name}: characters XML cannot hold: {bad:X?} ({value:?})");
                }
            }
            // Without `w:br`: a long title breaks into balanced lines.
            let body = docx_xml::body_text(&docx_xml::part(&parts, "word/document.xml")).replace('\n', "");
            for p in &want {
                prop_assert!(body.contains(p.as_str()), "{}: DOCX lacks {p:?} (from {value:?})", field.name);
            }
            Ok(())
        })
        .unwrap();
}

/// The punctuation rules, on text where "Chinese character" is plain:
/// ideographs, ASCII letters, spaces and the marks the rules touch.
#[test]
fn look_alike_punctuation_is_normalised_as_documented() {
    let mut runner = TestRunner::new(config(200));
    let strategy =
        proptest::collection::vec(proptest::sample::select("甲乙丙丁ab ,;:∙•".chars().collect::<Vec<_>>()), 1..30)
            .prop_map(|v| v.into_iter().collect::<String>());
    runner
        .run(&strategy, |value| {
            prop_assume!(!value.trim().is_empty());
            // ∙ • between two non-spaces become ·; , ; : between two
            // ideographs become full-width (neighbours as written).
            let chars: Vec<char> = value.chars().collect();
            let ideograph = |c: Option<&char>| c.is_some_and(|c| "甲乙丙丁".contains(*c));
            let want: String = chars
                .iter()
                .enumerate()
                .map(|(i, &c)| {
                    let (prev, next) = (i.checked_sub(1).and_then(|j| chars.get(j)), chars.get(i + 1));
                    match c {
                        '∙' | '•' if prev.is_some_and(|p| *p != ' ') && next.is_some_and(|n| *n != ' ') => '·',
                        ',' if ideograph(prev) && ideograph(next) => '，',
                        ';' if ideograph(prev) && ideograph(next) => '；',
                        ':' if ideograph(prev) && ideograph(next) => '：',
                        c => c,
                    }
                })
                .collect();
            let text = format!("{HEAD}lead: {}\n", yaml_str(&value));
            let source = SourceFile { path: PathBuf::from("p.yaml"), text, warnings: Vec::new() };
            let loaded =
                model::parse(source, LoadOptions::default()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(loaded.report.lead.as_deref(), Some(want.as_str()));
            Ok(())
        })
        .unwrap();
}

// --- (b) the PDF ---------------------------------------------------------------

/// The text of each PDF as PyMuPDF reads it (one Python start), page
/// numbers dropped.
fn pdf_texts(pdfs: &[PathBuf]) -> Vec<String> {
    const SCRIPT: &str = r#"
import json, sys, pymupdf
for path in sys.argv[1:]:
    doc = pymupdf.open(path)
    notdef = sum(1 for page in doc for t in page.get_texttrace() for ch in t["chars"] if ch[1] == 0)
    print(json.dumps({"text": "\n".join(page.get_text("text") for page in doc), "notdef": notdef}))
"#;
    common::probe(&pdfs[0]); // makes sure PyMuPDF is installed
    let o = std::process::Command::new("python3").arg("-c").arg(SCRIPT).args(pdfs).output().expect("python3");
    assert!(o.status.success(), "PyMuPDF: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["notdef"], 0, "a glyph printed as a box");
            v["text"].as_str().unwrap().lines().filter(|l| !common::is_page_number(l)).collect()
        })
        .collect()
}

/// Default-ignorable code points: PyMuPDF leaves them out.
fn visible(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            !c.is_whitespace()
                && !matches!(c as u32, 0xAD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0xFEFF)
        })
        .collect()
}

#[test]
fn drawable_text_prints_in_the_pdf_as_itself() {
    // Generate the cases first, render them all, then read every PDF
    // with one Python start.
    let fields: Vec<&Field> =
        FIELDS.iter().filter(|f| ["lead", "point text", "title", "problem"].contains(&f.name)).collect();
    let mut runner = TestRunner::new(config(24));
    let strategy = (0..fields.len(), drawable_string());
    let mut cases: Vec<(&Field, String)> = Vec::new();
    while cases.len() < runner.config().cases as usize {
        let (f, value) = strategy.new_tree(&mut runner).unwrap().current();
        if wanted(fields[f], &value).iter().any(|p| !p.trim().is_empty()) {
            cases.push((fields[f], value));
        }
    }
    let dir = common::tempdir();
    let mut pdfs = Vec::new();
    for (i, (field, value)) in cases.iter().enumerate() {
        let loaded = load(field, value).unwrap_or_else(|e| panic!("{value:?}: {e:?}"));
        let rendered = engine()
            .render(&loaded, field.template, None, Formats { pdf: true, docx: false }, false)
            .unwrap_or_else(|e| panic!("{value:?}: {e:?}"));
        let path: PathBuf = Path::new(dir.path()).join(format!("case{i}.pdf"));
        std::fs::write(&path, rendered.pdf.unwrap()).unwrap();
        pdfs.push(path);
    }
    let texts = pdf_texts(&pdfs);
    for ((field, value), text) in cases.iter().zip(&texts) {
        let want = visible(&wanted(field, value).concat());
        assert!(visible(text).contains(&want), "{}: the PDF lacks {want:?} (from {value:?}): {text:?}", field.name);
    }
}
