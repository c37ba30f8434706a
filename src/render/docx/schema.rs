//! ECMA-376 child order: the sequences of the WordprocessingML schema, and a
//! generic pass that puts children into that order.
//!
//! docx-rs writes several containers out of sequence (`w:sz` before
//! `w:rFonts`, `w:rPr` first in `w:pPr`, `w:docGrid` before the footer
//! references in `w:sectPr`). Word silently drops run properties that are
//! out of sequence and validators reject the part, so every XML part we
//! write goes through [`reorder`]. The tables below transcribe the
//! `xsd:sequence`s of ECMA-376 Part 1 (transitional `wml.xsd`) for every
//! container this backend writes; names separated by `/` share a slot
//! (an `xsd:choice` inside the sequence), `*` is the slot of everything the
//! sequence does not name (block content of a paragraph, runs, rows…).
//! The sort is stable, so children sharing a slot keep their order.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::xml::{Element, Node};

/// `(container, its child sequence)`, qualified with the `w:` prefix.
const SEQUENCES: &[(&str, &str)] = &[
    // CT_RPr / CT_ParaRPr (EG_RPrBase with the tracked-change wrappers).
    (
        "w:rPr",
        "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike \
         outline shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w \
         kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang \
         eastAsianLayout specVanish oMath rPrChange",
    ),
    // CT_PPr.
    (
        "w:pPr",
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr \
         suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap \
         overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid \
         spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection \
         textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    ),
    // CT_SectPr.
    (
        "w:sectPr",
        "headerReference/footerReference footnotePr endnotePr type pgSz pgMar paperSrc \
         pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection \
         bidi rtlGutter docGrid printerSettings sectPrChange",
    ),
    // CT_Style.
    (
        "w:style",
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden \
         unhideWhenUsed qFormat locked personal personalCompose personalReply rsid pPr rPr \
         tblPr trPr tcPr tblStylePr",
    ),
    ("w:styles", "docDefaults latentStyles style"),
    ("w:docDefaults", "rPrDefault pPrDefault"),
    // CT_TblPr.
    (
        "w:tblPr",
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW \
         jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption \
         tblDescription tblPrChange",
    ),
    // CT_TcPr.
    (
        "w:tcPr",
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection \
         tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange",
    ),
    // CT_TrPr is a choice (any order) followed by the change-tracking elements.
    ("w:trPr", "* ins del trPrChange"),
    // Borders and margins.
    ("w:pBdr", "top left/start bottom right/end between bar"),
    ("w:tblBorders", "top left/start bottom right/end insideH insideV"),
    ("w:tcBorders", "top left/start bottom right/end insideH insideV tl2br tr2bl"),
    ("w:tblCellMar", "top left/start bottom right/end"),
    ("w:tcMar", "top left/start bottom right/end"),
    // Property elements come first in their owners.
    ("w:p", "pPr *"),
    ("w:r", "rPr *"),
    ("w:tbl", "tblPr tblGrid *"),
    ("w:tr", "tblPrEx trPr *"),
    ("w:tc", "tcPr *"),
    ("w:body", "* sectPr"),
    // CT_Font (fontTable.xml).
    (
        "w:font",
        "altName panose1 charset family notTrueType pitch sig embedRegular embedBold \
         embedItalic embedBoldItalic",
    ),
];

/// A container's sequence, read from its line in [`SEQUENCES`]: the slot of
/// each child name it has (without the `w:` prefix), and the slot of every
/// other child — the `*` slot, or after everything when there is none.
struct Sequence {
    slots: HashMap<&'static str, usize>,
    rest: usize,
}

impl Sequence {
    fn parse(sequence: &'static str) -> Sequence {
        let mut slots = HashMap::new();
        let mut wildcard = None;
        let mut count = 0;
        for (i, names) in sequence.split_whitespace().enumerate() {
            count = i + 1;
            if names == "*" {
                wildcard = Some(i);
            } else {
                for name in names.split('/') {
                    slots.entry(name).or_insert(i);
                }
            }
        }
        Sequence { slots, rest: wildcard.unwrap_or(count) }
    }

    /// The slot of the child element named `child`.
    fn slot(&self, child: &str) -> usize {
        child.strip_prefix("w:").and_then(|local| self.slots.get(local)).copied().unwrap_or(self.rest)
    }
}

/// The sequences by container name, parsed once: every element of every
/// part is looked up here (a branch summary's DOCX has some thousands).
static SEQUENCE_TABLE: LazyLock<HashMap<&'static str, Sequence>> =
    LazyLock::new(|| SEQUENCES.iter().map(|(name, sequence)| (*name, Sequence::parse(sequence))).collect());

fn sequence_of(name: &str) -> Option<&'static Sequence> {
    SEQUENCE_TABLE.get(name)
}

/// Puts the children of `root` and of every descendant into schema order.
pub(crate) fn reorder(root: &mut Element) {
    root.walk_mut(&mut |el| {
        if let Some(sequence) = sequence_of(&el.name) {
            sort_children(el, sequence);
        }
    });
}

fn sort_children(el: &mut Element, sequence: &Sequence) {
    // A text node (only whitespace in these containers) travels with the
    // element before it.
    let mut last = 0;
    let keys: Vec<usize> = el
        .children
        .iter()
        .map(|node| {
            if let Node::Element(child) = node {
                last = sequence.slot(&child.name);
            }
            last
        })
        .collect();
    // Most containers are in order already: leave them as they are.
    if keys.is_sorted() {
        return;
    }
    let mut keyed: Vec<(usize, Node)> = keys.into_iter().zip(el.children.drain(..)).collect();
    keyed.sort_by_key(|(k, _)| *k);
    el.children = keyed.into_iter().map(|(_, n)| n).collect();
}

/// The names of children of `el` that break its sequence (for tests and
/// debugging): empty when the order is valid or the element has none.
#[cfg(test)]
pub(crate) fn out_of_order(el: &Element) -> Vec<String> {
    let Some(seq) = sequence_of(&el.name) else {
        return Vec::new();
    };
    let slots: Vec<usize> = el.elements().map(|c| seq.slot(&c.name)).collect();
    if slots.windows(2).any(|w| w[1] < w[0]) { el.elements().map(|c| c.name.clone()).collect() } else { Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::super::xml::{parse, write};
    use super::*;

    #[test]
    fn run_properties_follow_the_schema() {
        let mut root = parse(
            br#"<w:r><w:t>x</w:t><w:rPr><w:sz w:val="32"/><w:lang w:eastAsia="zh-CN"/><w:rFonts w:ascii="A"/><w:b/></w:rPr></w:r>"#,
        )
        .unwrap();
        reorder(&mut root);
        assert_eq!(
            String::from_utf8(write(&root)).unwrap().split_once('\n').unwrap().1,
            r#"<w:r><w:rPr><w:rFonts w:ascii="A"/><w:b/><w:sz w:val="32"/><w:lang w:eastAsia="zh-CN"/></w:rPr><w:t>x</w:t></w:r>"#
        );
    }

    #[test]
    fn section_references_come_first_and_keep_their_order() {
        let mut root = parse(
            br#"<w:sectPr><w:pgSz/><w:docGrid/><w:footerReference w:type="default"/><w:footerReference w:type="even"/><w:titlePg/></w:sectPr>"#,
        )
        .unwrap();
        reorder(&mut root);
        let names: Vec<_> =
            root.elements().map(|e| format!("{}{}", e.name, e.get_attr("w:type").unwrap_or(""))).collect();
        assert_eq!(names, ["w:footerReferencedefault", "w:footerReferenceeven", "w:pgSz", "w:titlePg", "w:docGrid"]);
        assert!(out_of_order(&root).is_empty());
    }

    #[test]
    fn wildcard_slots_keep_content_in_place() {
        let mut root = parse(br#"<w:body><w:sectPr/><w:p><w:r/><w:pPr/><w:r/></w:p><w:tbl/></w:body>"#).unwrap();
        reorder(&mut root);
        let names: Vec<_> = root.elements().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["w:p", "w:tbl", "w:sectPr"]);
        let p: Vec<_> = root.elements().next().unwrap().elements().map(|e| e.name.as_str()).collect();
        assert_eq!(p, ["w:pPr", "w:r", "w:r"]);
    }

    #[test]
    fn unknown_children_without_wildcard_go_last() {
        let mut root = parse(br#"<w:pPr><w:foo/><w:jc/><w:pStyle/></w:pPr>"#).unwrap();
        reorder(&mut root);
        let names: Vec<_> = root.elements().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["w:pStyle", "w:jc", "w:foo"]);
    }
}
