//! Small helpers for the DOCX writer tests (`tests/docx_writer.rs`): unzip a
//! package held in memory, a minimal owned XML tree with prefixed names
//! (`w:p`, `r:id`, `xml:space`) built with roxmltree, the body text as Word
//! shows it, and the ECMA-376 child order.
#![allow(dead_code)]

use std::io::{Cursor, Read};

/// The entries of a ZIP, in archive order: (name, bytes).
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP archive");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

/// One part of the package, parsed.
pub fn part(entries: &[(String, Vec<u8>)], name: &str) -> El {
    let (_, data) = entries.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no part {name}"));
    parse(data)
}

/// A parsed element: qualified name, attributes, child elements, own text.
#[derive(Debug, Clone, Default)]
pub struct El {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<El>,
    pub text: String,
}

impl El {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    pub fn child(&self, name: &str) -> Option<&El> {
        self.children.iter().find(|c| c.name == name)
    }
    /// Every descendant (and self) with this name, document order.
    pub fn all(&self, name: &str) -> Vec<&El> {
        let mut out = Vec::new();
        self.collect(name, &mut out);
        out
    }
    fn collect<'a>(&'a self, name: &str, out: &mut Vec<&'a El>) {
        if self.name == name {
            out.push(self);
        }
        for c in &self.children {
            c.collect(name, out);
        }
    }
    pub fn child_names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }
}

/// Parses XML (panics on malformed input or characters XML cannot hold:
/// that is a test failure).
pub fn parse(data: &[u8]) -> El {
    let text = std::str::from_utf8(data).expect("UTF-8");
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("well-formed XML: {e}"));
    convert(doc.root_element())
}

/// `prefix:local` as written in the document (no prefix for the default
/// namespace).
fn qname(node: roxmltree::Node, ns: Option<&str>, local: &str) -> String {
    match ns.and_then(|ns| node.lookup_prefix(ns)) {
        Some(p) if !p.is_empty() => format!("{p}:{local}"),
        _ => local.to_owned(),
    }
}

fn convert(n: roxmltree::Node) -> El {
    El {
        name: qname(n, n.tag_name().namespace(), n.tag_name().name()),
        attrs: n.attributes().map(|a| (qname(n, a.namespace(), a.name()), a.value().to_owned())).collect(),
        children: n.children().filter(|c| c.is_element()).map(convert).collect(),
        text: n.children().filter(|c| c.is_text()).filter_map(|c| c.text()).collect(),
    }
}

/// The text of the body: `w:t` contents, `w:tab` in runs as `\t`, `w:br` as
/// `\n`, in document order (what Word shows, without field codes).
pub fn body_text(document: &El) -> String {
    let mut out = String::new();
    fn walk(el: &El, in_run: bool, out: &mut String) {
        match el.name.as_str() {
            "w:t" => out.push_str(&el.text),
            "w:tab" if in_run => out.push('\t'),
            "w:br" if in_run => out.push('\n'),
            "w:instrText" => {}
            _ => {
                for c in &el.children {
                    walk(c, in_run || el.name == "w:r", out);
                }
            }
        }
    }
    walk(document, false, &mut out);
    out
}

/// ECMA-376 sequences (transcribed independently of the writer, from the
/// schema via gbcheck) for the containers tests check.
pub const SEQUENCES: &[(&str, &str)] = &[
    (
        "w:rPr",
        "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange",
    ),
    (
        "w:pPr",
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    ),
    (
        "w:sectPr",
        "headerReference/footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings sectPrChange",
    ),
    (
        "w:style",
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr",
    ),
    (
        "w:tblPr",
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange",
    ),
    (
        "w:tcPr",
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange",
    ),
];

/// Elements whose children break their sequence, as "part: container [children]".
pub fn order_violations(part_name: &str, root: &El) -> Vec<String> {
    let mut out = Vec::new();
    for (container, seq) in SEQUENCES {
        let slots: Vec<&str> = seq.split(' ').collect();
        let slot = |name: &str| {
            let local = name.strip_prefix("w:")?;
            slots.iter().position(|s| s.split('/').any(|n| n == local))
        };
        for el in root.all(container) {
            let idx: Vec<usize> = el.children.iter().filter_map(|c| slot(&c.name)).collect();
            if idx.windows(2).any(|w| w[1] < w[0]) {
                out.push(format!("{part_name}: {container} {:?}", el.child_names()));
            }
        }
    }
    for (owner, first) in [("w:r", "w:rPr"), ("w:p", "w:pPr"), ("w:tc", "w:tcPr"), ("w:tr", "w:trPr")] {
        for el in root.all(owner) {
            let names = el.child_names();
            if names.contains(&first) && names[0] != first {
                out.push(format!("{part_name}: {owner} {names:?}"));
            }
        }
    }
    out
}

/// Characters XML 1.0 cannot hold, written raw or as character references.
pub fn illegal_xml_chars(xml: &str) -> Vec<u32> {
    let ok = |c: u32| matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF);
    let mut bad: Vec<u32> = xml.chars().map(|c| c as u32).filter(|&c| !ok(c)).collect();
    for r in xml.split("&#").skip(1) {
        let Some(end) = r.find(';') else { continue };
        let code = match r[..end].strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16),
            None => r[..end].parse(),
        };
        match code {
            Ok(c) if ok(c) => {}
            Ok(c) => bad.push(c),
            Err(_) => bad.push(u32::MAX),
        }
    }
    bad
}
