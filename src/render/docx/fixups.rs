//! What docx-rs cannot write, added to the parts it renders.
//!
//! Each fix is a structural rule on the rendered tree, not a marker left by
//! the body writer, so it can be tested on its own:
//!
//! - docx-rs gives every paragraph a `w14:paraId` from a thread-local
//!   counter that is never reset between documents: the same document would
//!   get different ids in a batch. The ids are optional; they are removed.
//! - docx-rs has no `w:tblHeader`: a row whose cells hold `TableHeading`
//!   paragraphs is a header row and is marked to repeat on every page.
//! - docx-rs writes `w:type` on `w:gridCol`, which the schema does not
//!   allow (the width is always in twips there): removed.
//! - docx-rs gives every drawing `wp:docPr id="1"`: renumbered, with the
//!   caption as alternative text (see `pictures::number`).
//! - docx-rs writes indents in twips only: signature paragraphs also get
//!   `w:rightChars`, the indent in hundredths of a character, so Word keeps
//!   the indent in characters if the secretary changes the font size.
//! - docx-rs never writes `w:hangingChars`: a colophon line's hanging
//!   indent (as wide as its left indent, `w:leftChars`) gets it, or Word
//!   would let the style's `w:firstLineChars="0"` win over `w:hanging`.
//!
//! Element order is fixed afterwards by [`super::schema::reorder`].

use super::styles::id;
use super::xml::{Element, Node};

/// Attributes removed everywhere (random or process-dependent ids).
const VOLATILE_ATTRIBUTES: &[&str] = &["w14:paraId", "w14:textId"];

/// Applies every fix to a rendered part (document or footer).
pub(crate) fn apply(root: &mut Element, char_pitch_twips: f64) {
    super::pictures::number(root);
    root.walk_mut(&mut |el| {
        for name in VOLATILE_ATTRIBUTES {
            el.remove_attr(name);
        }
        match el.name.as_str() {
            "w:tr" if is_header_row(el) => mark_header_row(el),
            "w:gridCol" => el.remove_attr("w:type"),
            "w:p" if paragraph_style(el) == Some(id::SIGNATURE) => add_right_chars(el, char_pitch_twips),
            "w:p" if paragraph_style(el) == Some(id::COLOPHON) => add_hanging_chars(el),
            _ => {}
        }
    });
}

/// The `w:pStyle` of a paragraph.
pub(super) fn paragraph_style(p: &Element) -> Option<&str> {
    p.find("w:pPr")?.find("w:pStyle")?.get_attr("w:val")
}

/// A row whose every cell starts with a `TableHeading` paragraph.
fn is_header_row(tr: &Element) -> bool {
    let mut cells = tr.elements().filter(|e| e.name == "w:tc").peekable();
    cells.peek().is_some() && cells.all(|tc| tc.find("w:p").and_then(paragraph_style) == Some(id::TABLE_HEADING))
}

fn mark_header_row(tr: &mut Element) {
    if tr.find("w:trPr").is_none() {
        tr.children.insert(0, Node::Element(Element::new("w:trPr")));
    }
    if let Some(trpr) = tr.find_mut("w:trPr")
        && trpr.find("w:tblHeader").is_none()
    {
        trpr.children.push(Node::Element(Element::new("w:tblHeader")));
    }
}

fn add_hanging_chars(p: &mut Element) {
    let Some(ind) = p.find_mut("w:pPr").and_then(|ppr| ppr.find_mut("w:ind")) else {
        return;
    };
    if let (Some(_), Some(chars)) = (ind.get_attr("w:hanging"), ind.get_attr("w:leftChars").map(str::to_owned)) {
        ind.set_attr("w:hangingChars", chars);
    }
}

fn add_right_chars(p: &mut Element, char_pitch_twips: f64) {
    let Some(ind) = p.find_mut("w:pPr").and_then(|ppr| ppr.find_mut("w:ind")) else {
        return;
    };
    let Some(right) = ind.get_attr("w:right").and_then(|v| v.parse::<f64>().ok()) else {
        return;
    };
    if char_pitch_twips > 0.0 {
        let chars = (right / char_pitch_twips * 100.0).round();
        if chars.is_finite() {
            ind.set_attr("w:rightChars", format!("{}", chars as i64));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::xml::{parse, write};
    use super::*;

    fn fixed(src: &str) -> String {
        let mut root = parse(src.as_bytes()).unwrap();
        apply(&mut root, 315.857);
        String::from_utf8(write(&root)).unwrap().split_once('\n').unwrap().1.to_string()
    }

    #[test]
    fn strips_paragraph_ids() {
        assert_eq!(fixed(r#"<w:p w14:paraId="0000002A" w:x="1"/>"#), r#"<w:p w:x="1"/>"#);
    }

    #[test]
    fn marks_header_rows_only() {
        let out = fixed(
            r#"<w:tbl><w:tr><w:tc><w:p><w:pPr><w:pStyle w:val="TableHeading"/></w:pPr></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr></w:p></w:tc></w:tr></w:tbl>"#,
        );
        assert_eq!(out.matches("<w:tblHeader/>").count(), 1);
        assert!(out.starts_with("<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr>"));
    }

    #[test]
    fn colophon_hanging_indent_in_chars() {
        let out = fixed(
            r#"<w:p><w:pPr><w:pStyle w:val="Colophon"/><w:ind w:left="560" w:leftChars="200" w:hanging="560"/></w:pPr></w:p>"#,
        );
        assert!(out.contains(r#"w:hangingChars="200""#), "{out}");
        let out = fixed(r#"<w:p><w:pPr><w:pStyle w:val="Colophon"/></w:pPr></w:p>"#);
        assert!(!out.contains("hangingChars"), "{out}");
    }

    #[test]
    fn signature_gets_right_chars() {
        let out = fixed(r#"<w:p><w:pPr><w:pStyle w:val="Signature"/><w:ind w:left="0" w:right="632"/></w:pPr></w:p>"#);
        assert!(out.contains(r#"w:rightChars="200""#), "{out}");
    }
}

/// Characters the role fonts lack and the font that draws them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FallbackFont {
    /// The family named for those characters (the fallback font).
    pub family: String,
    /// The characters only the fallback font has.
    pub chars: std::collections::BTreeSet<char>,
}

/// Puts the characters of `fallback` into runs of their own that name the
/// fallback family. Word and LibreOffice do not search embedded (or
/// unknown) fonts for a missing character as Typst does; naming the font
/// on the run is what makes them draw it.
pub(crate) fn fallback_runs(root: &mut Element, fallback: &FallbackFont) {
    root.walk_mut(&mut |el| {
        if !el.children.iter().any(|c| matches!(c, Node::Element(r) if r.name == "w:r" && run_needs_split(r, fallback)))
        {
            return;
        }
        let children = std::mem::take(&mut el.children);
        for child in children {
            match child {
                Node::Element(r) if r.name == "w:r" && run_needs_split(&r, fallback) => {
                    el.children.extend(split_run(&r, fallback).into_iter().map(Node::Element));
                }
                other => el.children.push(other),
            }
        }
    });
}

/// The text of a run that holds only `w:rPr` and one `w:t`.
fn simple_run_text(r: &Element) -> Option<&str> {
    let mut text = None;
    for c in &r.children {
        match c {
            Node::Element(e) if e.name == "w:rPr" => {}
            Node::Element(e) if e.name == "w:t" && text.is_none() => {
                text = Some(
                    e.children
                        .iter()
                        .find_map(|n| if let Node::Text(t) = n { Some(t.as_str()) } else { None })
                        .unwrap_or(""),
                );
            }
            _ => return None,
        }
    }
    text
}

fn run_needs_split(r: &Element, fallback: &FallbackFont) -> bool {
    simple_run_text(r).is_some_and(|t| t.chars().any(|c| fallback.chars.contains(&c)))
}

fn split_run(r: &Element, fallback: &FallbackFont) -> Vec<Element> {
    let text = simple_run_text(r).unwrap_or("");
    let rpr = r.find("w:rPr").cloned();
    let mut pieces: Vec<(bool, String)> = Vec::new();
    for c in text.chars() {
        let fb = fallback.chars.contains(&c);
        match pieces.last_mut() {
            Some((last, s)) if *last == fb => s.push(c),
            _ => pieces.push((fb, c.to_string())),
        }
    }
    pieces
        .into_iter()
        .map(|(fb, s)| {
            let mut run = Element::new("w:r");
            let mut props = rpr.clone().unwrap_or_else(|| Element::new("w:rPr"));
            if fb {
                props.children.retain(|c| !matches!(c, Node::Element(e) if e.name == "w:rFonts"));
                props.children.insert(
                    0,
                    Node::Element(
                        Element::new("w:rFonts")
                            .attr("w:ascii", fallback.family.clone())
                            .attr("w:hAnsi", fallback.family.clone())
                            .attr("w:eastAsia", fallback.family.clone())
                            .attr("w:hint", "eastAsia"),
                    ),
                );
            }
            if !props.children.is_empty() || rpr.is_some() {
                run = run.child(props);
            }
            run.child(Element::new("w:t").attr("xml:space", "preserve").text(s))
        })
        .collect()
}

#[cfg(test)]
mod fallback_tests {
    use super::*;

    #[test]
    fn rare_characters_get_runs_naming_the_fallback() {
        let mut p = Element::new("w:p").child(
            Element::new("w:r")
                .child(Element::new("w:rPr").child(Element::new("w:b")))
                .child(Element::new("w:t").text("王堃同志")),
        );
        let fb = FallbackFont { family: "Noto Serif CJK SC".into(), chars: ['堃'].into_iter().collect() };
        fallback_runs(&mut p, &fb);
        let runs: Vec<&Element> = p.elements().filter(|e| e.name == "w:r").collect();
        assert_eq!(runs.len(), 3);
        assert_eq!(simple_run_text(runs[1]), Some("堃"));
        let fonts = runs[1].find("w:rPr").unwrap().find("w:rFonts").unwrap();
        assert_eq!(fonts.get_attr("w:eastAsia"), Some("Noto Serif CJK SC"));
        assert!(runs[1].find("w:rPr").unwrap().find("w:b").is_some());
        assert!(runs[0].find("w:rPr").unwrap().find("w:rFonts").is_none());
    }
}
