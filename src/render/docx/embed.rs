//! Fonts inside the DOCX (`--docx-fonts embed`): the fonts the document
//! draws with, subset to the characters it draws, as obfuscated font parts.
//!
//! ECMA-376 Part 1 §17.8.1 and §17.8.3.3 describe the mechanism:
//! - each face is a part `word/fonts/fontN.odttf` of content type
//!   `application/vnd.openxmlformats-officedocument.obfuscatedFont`,
//!   related from `word/fontTable.xml` (`word/_rels/fontTable.xml.rels`);
//! - the family's `w:font` entry in the font table points at it with
//!   `w:embedRegular` / `w:embedBold` (`r:id`, `w:fontKey="{GUID}"`);
//! - the first 32 bytes of the font are XORed with the GUID's 16 bytes in
//!   reverse order — the bytes as the GUID string writes them, last pair
//!   first — applied twice ([`obfuscate`]);
//! - `w:embedTrueTypeFonts` and `w:saveSubsetFonts` in `word/settings.xml`
//!   tell Word that the document carries (subset) fonts.
//!
//! Which characters each face must hold is read from the finished parts,
//! not from the IR: the runs of the main document, headers, footers and
//! notes, each resolved to a family and boldness through its direct
//! formatting, its character style, its paragraph style (with their
//! `basedOn` chains) and the document defaults — the fonts a reader's word
//! processor will ask for. A run holding a field instruction (the page
//! number) gets the digits 0–9: the reader computes that text. A bold run
//! of a family without a bold face is drawn by the regular face (the
//! reader emboldens it), so its characters go into the regular subset.
//!
//! Licences are respected: a face whose `OS/2` `fsType` forbids embedding
//! (restricted licence, or bitmaps only) is refused with an error naming
//! the font; one that forbids subsetting is embedded whole.
//!
//! Everything is deterministic: faces are embedded in (family, bold)
//! order, parts are numbered in that order, relationship ids come from
//! [`Package::relate`], and each font key is a hash of the subset's bytes.
//!
//! Limits, none of which the writer's own output reaches: theme font
//! references (`w:asciiTheme`, …) and table-style fonts are not followed,
//! and toggle properties (`w:b`) combine the paragraph and character style
//! chains by XOR without the finer points of §17.7.3.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::Arc;

use crate::fonts::subset::{self, Permission, SubsetError};

use super::DocxError;
use super::fonts::{DocxFonts, FontSpec};
use super::package::{Package, content_type as ct, rel_type as rt};
use super::parts::{self, EmbeddedFont};
use super::xml::{self, Element, Node};

/// The bytes of a font file, shared (Typst's `Bytes`, a `&'static [u8]`
/// of a bundled font, a `Vec<u8>` read from disk).
pub type FontBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// A face the writer may embed.
#[derive(Clone)]
pub struct EmbedFace {
    /// The family name as the DOCX writes it (`w:rFonts`, the font table):
    /// a [`DocxFonts`] name, or the fallback's own family name.
    pub family: String,
    /// The face drawn for bold runs of the family (`w:embedBold`).
    pub bold: bool,
    /// The font file (a collection is fine: see `index`).
    pub data: FontBytes,
    /// The face's index in a collection, 0 for a plain font file.
    pub index: u32,
}

impl EmbedFace {
    /// A face from anything that holds font bytes.
    pub fn new(
        family: impl Into<String>,
        bold: bool,
        data: impl AsRef<[u8]> + Send + Sync + 'static,
        index: u32,
    ) -> EmbedFace {
        EmbedFace { family: family.into(), bold, data: Arc::new(data), index }
    }

    fn bytes(&self) -> &[u8] {
        (*self.data).as_ref()
    }

    fn label(&self) -> String {
        let style = if self.bold { "bold" } else { "regular" };
        format!("{} ({style})", self.family)
    }
}

impl fmt::Debug for EmbedFace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmbedFace")
            .field("family", &self.family)
            .field("bold", &self.bold)
            .field("bytes", &self.bytes().len())
            .field("index", &self.index)
            .finish()
    }
}

/// The faces `--docx-fonts embed` may embed.
#[derive(Debug, Clone, Default)]
pub struct EmbedFonts {
    /// One face per (family, bold) the DOCX names; a family without a bold
    /// face has its bold runs drawn (emboldened) by the regular one.
    pub faces: Vec<EmbedFace>,
    /// The face that draws characters the named families lack (rare names,
    /// CJK Extension B), under its own family name. Embedded, with its own
    /// font-table entry, when the document has such characters: those in
    /// runs of its family (how a reader is sure to use it — LibreOffice's
    /// glyph fallback ignores embedded fonts) and those another face lacks.
    pub fallback: Option<EmbedFace>,
}

impl EmbedFonts {
    /// Checks every face's licence before anything is rendered: the first
    /// face whose licence forbids embedding, or that is not a font, is an
    /// error.
    pub fn check(&self) -> Result<(), EmbedError> {
        for face in self.faces.iter().chain(&self.fallback) {
            permission(face)?;
        }
        Ok(())
    }

    /// The face for `family`, bold or not.
    fn face(&self, family: &str, bold: bool) -> Option<&EmbedFace> {
        self.faces.iter().find(|f| f.family == family && f.bold == bold)
    }
}

/// Why fonts could not be embedded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmbedError {
    /// The face's licence forbids embedding it.
    Forbidden { face: String, permission: Permission, reason: String },
    /// The document draws with a family no face was given for.
    NoFace { family: String },
    /// The face is not a usable font, or subsetting it failed.
    Font { face: String, error: SubsetError },
}

impl fmt::Display for EmbedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EmbedError::Forbidden { face, reason, .. } => {
                write!(f, "cannot embed the font {face}: {reason}")
            }
            EmbedError::NoFace { family } => write!(
                f,
                "cannot embed the font family {family}: the document uses it but no font file for it is loaded"
            ),
            EmbedError::Font { face, error } => write!(f, "cannot embed the font {face}: {error}"),
        }
    }
}

impl std::error::Error for EmbedError {}

impl From<EmbedError> for DocxError {
    fn from(e: EmbedError) -> DocxError {
        DocxError { kind: "font embedding", message: e.to_string() }
    }
}

/// The licence bits of a face; an error if they forbid embedding.
fn permission(face: &EmbedFace) -> Result<Permission, EmbedError> {
    let p = subset::embedding_permission(face.bytes(), face.index)
        .map_err(|error| EmbedError::Font { face: face.label(), error })?;
    match p.refusal() {
        Some(reason) => Err(EmbedError::Forbidden { face: face.label(), permission: p, reason }),
        None => Ok(p),
    }
}

/// Embeds the faces the package's text draws with: adds each obfuscated
/// subset as `word/fonts/fontN.odttf` (content type and relationship from
/// `word/fontTable.xml` included) and returns the font-table references
/// for [`font_table`]. The caller then writes the font table and the
/// settings (`embed_fonts = true`) — after this call, since the parts of
/// the same name are replaced in place.
pub(crate) fn embed_fonts(pkg: &mut Package, fonts: &EmbedFonts) -> Result<Vec<EmbeddedFont>, DocxError> {
    let mut styles = None;
    let mut content = Vec::new();
    for part in pkg.parts() {
        if part.content_type == ct::STYLES {
            styles = Some(xml::parse(&part.data)?);
        } else if is_text_part(&part.content_type) {
            content.push(xml::parse(&part.data)?);
        }
    }
    let used = used_chars(styles.as_ref(), &content);
    let planned = plan(fonts, &used)?;

    let mut embedded = Vec::new();
    for (n, (face, chars)) in planned.iter().enumerate() {
        let data = font_part(face, chars)?;
        let key = font_key(&data);
        let name = format!("fonts/font{}.odttf", n + 1);
        pkg.add_part(&format!("word/{name}"), ct::ODTTF, obfuscate(data, &key));
        let rel_id = pkg.relate(FONT_TABLE, rt::FONT, &name);
        embedded.push(EmbeddedFont { family: face.family.clone(), bold: face.bold, rel_id, font_key: key });
    }
    Ok(embedded)
}

const FONT_TABLE: &str = "word/fontTable.xml";

/// Parts whose runs are drawn: the main document, headers, footers,
/// footnotes, endnotes and comments.
fn is_text_part(content_type: &str) -> bool {
    const DRAWN: [&str; 6] =
        [".document.main+xml", ".header+xml", ".footer+xml", ".footnotes+xml", ".endnotes+xml", ".comments+xml"];
    content_type.starts_with("application/vnd.openxmlformats-officedocument.wordprocessingml")
        && DRAWN.iter().any(|s| content_type.ends_with(s))
}

/// Which face embeds which characters: each used (family, bold) goes to
/// its face — the fallback's own runs too — and a bold without a bold face
/// to the regular one. When there is a fallback, the characters another
/// face lacks and the fallback has are added to it as well (for readers
/// whose glyph fallback looks at document fonts; LibreOffice 7.4's does
/// not, so the writer should put such characters in runs of the fallback
/// family, as the PDF does). Sorted by (family, bold).
fn plan<'a>(
    fonts: &'a EmbedFonts,
    used: &BTreeMap<(String, bool), BTreeSet<char>>,
) -> Result<Vec<(&'a EmbedFace, BTreeSet<char>)>, EmbedError> {
    let fallback = fonts.fallback.as_ref();
    let find = |family: &str, bold: bool| {
        fonts
            .face(family, bold)
            .or_else(|| fonts.face(family, false))
            .or_else(|| fallback.filter(|f| f.family == family))
    };
    let mut by_face: BTreeMap<(String, bool), (&EmbedFace, BTreeSet<char>)> = BTreeMap::new();
    for ((family, bold), chars) in used {
        let face = find(family, *bold).ok_or_else(|| EmbedError::NoFace { family: family.clone() })?;
        by_face
            .entry((face.family.clone(), face.bold))
            .or_insert_with(|| (face, BTreeSet::new()))
            .1
            .extend(chars.iter().copied());
    }
    if let Some(fallback) = fallback {
        let mut for_fallback = BTreeSet::new();
        for (face, chars) in by_face.values() {
            if std::ptr::eq(*face, fallback) {
                continue;
            }
            let lacks = subset::missing(face.bytes(), face.index, chars)
                .map_err(|error| EmbedError::Font { face: face.label(), error })?;
            let neither = subset::missing(fallback.bytes(), fallback.index, &lacks)
                .map_err(|error| EmbedError::Font { face: fallback.label(), error })?;
            for_fallback.extend(lacks.difference(&neither).copied());
        }
        if !for_fallback.is_empty() {
            by_face
                .entry((fallback.family.clone(), fallback.bold))
                .or_insert_with(|| (fallback, BTreeSet::new()))
                .1
                .extend(for_fallback);
        }
    }
    Ok(by_face.into_values().filter(|(_, chars)| !chars.is_empty()).collect())
}

/// The font file to embed for `face`: the subset of `chars`, or the whole
/// face when its licence forbids subsetting.
fn font_part(face: &EmbedFace, chars: &BTreeSet<char>) -> Result<Vec<u8>, EmbedError> {
    let p = permission(face)?;
    let result = if p.no_subsetting {
        subset::whole_face(face.bytes(), face.index)
    } else {
        subset::subset(face.bytes(), face.index, chars)
    };
    // The bold face must say it is bold, or a reader registers it as a
    // second regular face (see `subset::declare_bold`).
    let result = match result {
        Ok(data) if face.bold => subset::declare_bold(&data),
        other => other,
    };
    result.map_err(|error| EmbedError::Font { face: face.label(), error })
}

/// `word/fontTable.xml` with the embedded fonts: [`parts::font_table`] for
/// the role families, plus an entry for each embedded family no role names
/// (the fallback), so its `w:embedRegular` has a home.
pub(crate) fn font_table(fonts: &DocxFonts, embedded: &[EmbeddedFont]) -> Element {
    let mut root = parts::font_table(fonts, embedded);
    let named: BTreeSet<&str> = fonts.families().iter().map(|s| s.name.as_str()).collect();
    let mut extra: Vec<&str> = Vec::new();
    for e in embedded {
        if !named.contains(e.family.as_str()) && !extra.contains(&e.family.as_str()) {
            extra.push(&e.family);
        }
    }
    for family in extra {
        let spec = FontSpec::named(family);
        let w = |name: &str| Element::new(format!("w:{name}"));
        let mut font = w("font")
            .attr("w:name", family)
            .child(w("charset").attr("w:val", format!("{:02X}", spec.charset)))
            .child(w("family").attr("w:val", spec.family.as_str()))
            .child(w("pitch").attr("w:val", spec.pitch.as_str()));
        for bold in [false, true] {
            for e in embedded.iter().filter(|e| e.family == family && e.bold == bold) {
                let kind = if bold { "embedBold" } else { "embedRegular" };
                font = font.child(w(kind).attr("r:id", e.rel_id.as_str()).attr("w:fontKey", e.font_key.as_str()));
            }
        }
        root = root.child(font);
    }
    root
}

/// A font key (`{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`) derived from the
/// font's bytes: a 128-bit FNV-1a hash, shaped as an RFC 9562 version 8
/// (custom) UUID. Never random, so the same document gives the same DOCX.
pub fn font_key(font: &[u8]) -> String {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013B;
    let mut h = OFFSET;
    for &b in font {
        h ^= u128::from(b);
        h = h.wrapping_mul(PRIME);
    }
    let mut bytes = h.to_be_bytes();
    bytes[6] = (bytes[6] & 0x0F) | 0x80; // version 8
    bytes[8] = (bytes[8] & 0x3F) | 0x80; // variant 10
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    format!("{{{}-{}-{}-{}-{}}}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// The 16 bytes of a GUID string, in the order the string writes them
/// (braces and dashes ignored); `None` unless it has exactly 32 hex digits.
fn guid_bytes(key: &str) -> Option<[u8; 16]> {
    let digits: Vec<u8> = key
        .chars()
        .filter(|c| !matches!(c, '{' | '}' | '-'))
        .map(|c| c.to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    if digits.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, pair) in digits.chunks(2).enumerate() {
        out[i] = pair[0] << 4 | pair[1];
    }
    Some(out)
}

/// Obfuscates (or, applied again, de-obfuscates) a font with its key
/// (ECMA-376 Part 1 §17.8.1): byte `i` of the first 32 is XORed with byte
/// `15 - i % 16` of the GUID. A key that is not a GUID leaves the data
/// unchanged (the keys here come from [`font_key`]).
pub fn obfuscate(mut font: Vec<u8>, key: &str) -> Vec<u8> {
    if let Some(guid) = guid_bytes(key) {
        for (i, b) in font.iter_mut().take(32).enumerate() {
            *b ^= guid[15 - i % 16];
        }
    }
    font
}

/// Run properties that matter here, each `None` when not set at a level.
#[derive(Debug, Clone, Default, PartialEq)]
struct RunFonts {
    ascii: Option<String>,
    h_ansi: Option<String>,
    east_asia: Option<String>,
    bold: Option<bool>,
}

impl RunFonts {
    /// The properties a `w:rPr` sets.
    fn of(rpr: Option<&Element>) -> RunFonts {
        let Some(rpr) = rpr else {
            return RunFonts::default();
        };
        let fonts = rpr.find("w:rFonts");
        let attr = |name: &str| fonts.and_then(|f| f.get_attr(name)).filter(|v| !v.is_empty()).map(str::to_string);
        RunFonts {
            ascii: attr("w:ascii"),
            h_ansi: attr("w:hAnsi"),
            east_asia: attr("w:eastAsia"),
            bold: rpr.find("w:b").map(on_off),
        }
    }

    /// `self` over `base`: each property from the first level that sets it.
    fn over(mut self, base: &RunFonts) -> RunFonts {
        self.ascii = self.ascii.or_else(|| base.ascii.clone());
        self.h_ansi = self.h_ansi.or_else(|| base.h_ansi.clone());
        self.east_asia = self.east_asia.or_else(|| base.east_asia.clone());
        self.bold = self.bold.or(base.bold);
        self
    }
}

/// An on/off property's value (`w:val` absent, `true`, `1` or `on`).
fn on_off(el: &Element) -> bool {
    !matches!(el.get_attr("w:val"), Some("false" | "0" | "off" | "none"))
}

/// The styles part, enough to resolve run fonts.
struct Styles {
    defaults: RunFonts,
    /// Style id → (basedOn, own run properties).
    styles: HashMap<String, (Option<String>, RunFonts)>,
    default_paragraph: Option<String>,
}

impl Styles {
    fn parse(root: Option<&Element>) -> Styles {
        let mut s = Styles { defaults: RunFonts::default(), styles: HashMap::new(), default_paragraph: None };
        let Some(root) = root else {
            return s;
        };
        s.defaults =
            RunFonts::of(root.find("w:docDefaults").and_then(|d| d.find("w:rPrDefault")).and_then(|d| d.find("w:rPr")));
        for style in root.elements().filter(|e| e.name == "w:style") {
            let Some(id) = style.get_attr("w:styleId") else {
                continue;
            };
            let based_on = style.find("w:basedOn").and_then(|b| b.get_attr("w:val")).map(str::to_string);
            s.styles.insert(id.to_string(), (based_on, RunFonts::of(style.find("w:rPr"))));
            if style.get_attr("w:type") == Some("paragraph") && style.get_attr("w:default").is_some_and(on_off_str) {
                s.default_paragraph = Some(id.to_string());
            }
        }
        s
    }

    /// A style's run properties with its `basedOn` chain (cycles and chains
    /// deeper than 64 are cut).
    fn chain(&self, id: Option<&str>) -> RunFonts {
        let mut out = RunFonts::default();
        let mut next = id.map(str::to_string);
        for _ in 0..64 {
            let Some(id) = next.take() else {
                break;
            };
            if let Some((based_on, props)) = self.styles.get(&id) {
                out = out.over(props);
                next = based_on.clone();
            }
        }
        out
    }
}

fn on_off_str(v: &str) -> bool {
    !matches!(v, "false" | "0" | "off")
}

/// The characters each (family, bold) draws in `content`, with fonts
/// resolved through `styles` (see the module comment).
fn used_chars(styles: Option<&Element>, content: &[Element]) -> BTreeMap<(String, bool), BTreeSet<char>> {
    let styles = Styles::parse(styles);
    let mut used: BTreeMap<(String, bool), BTreeSet<char>> = BTreeMap::new();
    for root in content {
        collect(root, &styles, None, &mut used);
    }
    used
}

/// Walks `el`, tracking the paragraph style, and adds each run's text.
fn collect(
    el: &Element,
    styles: &Styles,
    paragraph_style: Option<&str>,
    used: &mut BTreeMap<(String, bool), BTreeSet<char>>,
) {
    for child in el.elements() {
        match child.name.as_str() {
            "w:p" => {
                let style = child
                    .find("w:pPr")
                    .and_then(|p| p.find("w:pStyle"))
                    .and_then(|s| s.get_attr("w:val"))
                    .or(styles.default_paragraph.as_deref());
                collect(child, styles, style, used);
            }
            "w:r" => add_run(child, styles, paragraph_style, used),
            // Paragraph-mark properties draw nothing.
            "w:pPr" => {}
            _ => collect(child, styles, paragraph_style, used),
        }
    }
}

/// Adds the characters of one run to its (family, bold).
fn add_run(
    run: &Element,
    styles: &Styles,
    paragraph_style: Option<&str>,
    used: &mut BTreeMap<(String, bool), BTreeSet<char>>,
) {
    let rpr = run.find("w:rPr");
    let direct = RunFonts::of(rpr);
    let char_style = rpr.and_then(|r| r.find("w:rStyle")).and_then(|s| s.get_attr("w:val"));
    let para = styles.chain(paragraph_style);
    let chr = styles.chain(char_style);
    let fonts = direct.clone().over(&chr).over(&para).over(&styles.defaults);
    // Bold: direct formatting wins; otherwise the style chains toggle.
    let bold = direct.bold.unwrap_or_else(|| match (para.bold, chr.bold) {
        (None, None) => styles.defaults.bold.unwrap_or(false),
        (p, c) => p.unwrap_or(false) ^ c.unwrap_or(false),
    });

    let mut text = String::new();
    for child in run.elements() {
        match child.name.as_str() {
            "w:t" => text.extend(child.children.iter().filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })),
            "w:instrText" => text.push_str("0123456789"),
            "w:noBreakHyphen" => text.push('\u{2011}'),
            "w:softHyphen" => text.push('-'),
            _ => {}
        }
    }
    let fallback = fonts.east_asia.as_ref().or(fonts.ascii.as_ref()).or(fonts.h_ansi.as_ref());
    for c in text.chars().filter(|c| !c.is_control()) {
        for family in families_for(c, &fonts, fallback) {
            used.entry((family.clone(), bold)).or_default().insert(c);
        }
    }
}

/// The families that may draw `c`: `w:ascii` for ASCII, `w:eastAsia` for
/// CJK and full-width forms, both `w:hAnsi` and `w:eastAsia` for the
/// ranges Word and LibreOffice assign by hint and language (Latin-1,
/// general punctuation, symbols) — when the three differ; the writer names
/// one family for all three, and then it is that one.
fn families_for<'a>(c: char, fonts: &'a RunFonts, fallback: Option<&'a String>) -> Vec<&'a String> {
    let pick = |f: &'a Option<String>| f.as_ref().or(fallback);
    let u = c as u32;
    let mut out: Vec<&String> = Vec::new();
    if u < 0x80 {
        out.extend(pick(&fonts.ascii));
    } else if (0x2E80..=0xD7FF).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFFEF).contains(&u)
        || u >= 0x20000
    {
        out.extend(pick(&fonts.east_asia));
    } else {
        out.extend(pick(&fonts.h_ansi));
        out.extend(pick(&fonts.east_asia));
    }
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font(file: &str) -> Vec<u8> {
        let path = format!("{}/fonts/{file}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

    fn styles_xml() -> Element {
        xml::parse(
            format!(
                "<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr>\
                 <w:rFonts w:ascii=\"Body\" w:hAnsi=\"Body\" w:eastAsia=\"Body\"/><w:b w:val=\"0\"/>\
                 </w:rPr></w:rPrDefault></w:docDefaults>\
                 <w:style w:type=\"paragraph\" w:styleId=\"Normal\" w:default=\"1\"><w:rPr>\
                 <w:rFonts w:ascii=\"Body\" w:hAnsi=\"Body\" w:eastAsia=\"Body\"/></w:rPr></w:style>\
                 <w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:basedOn w:val=\"Normal\"/><w:rPr>\
                 <w:rFonts w:ascii=\"Head\" w:hAnsi=\"Head\" w:eastAsia=\"Head\"/><w:b/></w:rPr></w:style>\
                 <w:style w:type=\"paragraph\" w:styleId=\"Sub\"><w:basedOn w:val=\"Title\"/></w:style>\
                 <w:style w:type=\"paragraph\" w:styleId=\"Loop\"><w:basedOn w:val=\"Loop\"/></w:style>\
                 <w:style w:type=\"character\" w:styleId=\"Em\"><w:rPr><w:b/></w:rPr></w:style>\
                 </w:styles>"
            )
            .as_bytes(),
        )
        .unwrap()
    }

    fn doc(body: &str) -> Element {
        xml::parse(format!("<w:document {W}><w:body>{body}</w:body></w:document>").as_bytes()).unwrap()
    }

    fn set(s: &str) -> BTreeSet<char> {
        s.chars().collect()
    }

    #[test]
    fn runs_resolve_through_styles() {
        let body = doc("<w:p><w:r><w:t>正文A</w:t></w:r>\
             <w:r><w:rPr><w:b/></w:rPr><w:t>粗</w:t></w:r>\
             <w:r><w:rPr><w:rStyle w:val=\"Em\"/></w:rPr><w:t>强</w:t></w:r></w:p>\
             <w:p><w:pPr><w:pStyle w:val=\"Sub\"/><w:rPr><w:rFonts w:eastAsia=\"Mark\"/></w:rPr></w:pPr>\
             <w:r><w:t>标题</w:t></w:r>\
             <w:r><w:rPr><w:rStyle w:val=\"Em\"/></w:rPr><w:t>反</w:t></w:r>\
             <w:r><w:rPr><w:rFonts w:ascii=\"Mono\" w:hAnsi=\"Mono\" w:eastAsia=\"Mono\"/><w:b w:val=\"false\"/></w:rPr><w:t>x</w:t></w:r></w:p>\
             <w:p><w:pPr><w:pStyle w:val=\"Loop\"/></w:pPr><w:r><w:delText>删</w:delText><w:t>环</w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc><w:p><w:hyperlink><w:r><w:t>表</w:t></w:r></w:hyperlink></w:p></w:tc></w:tr></w:tbl>");
        let footer = xml::parse(
            format!(
                "<w:ftr {W}><w:p><w:r><w:t>— </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
                 <w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>1</w:t></w:r></w:p></w:ftr>"
            )
            .as_bytes(),
        )
        .unwrap();
        let used = used_chars(Some(&styles_xml()), &[body, footer]);
        let get = |f: &str, b: bool| used.get(&(f.to_string(), b)).cloned().unwrap_or_default();
        assert_eq!(get("Body", false), set("正文A环表— 0123456789"));
        assert_eq!(get("Body", true), set("粗强"));
        // Title is bold; the Em character style toggles it off again.
        assert_eq!(get("Head", true), set("标题"));
        assert_eq!(get("Head", false), set("反"));
        assert_eq!(get("Mono", false), set("x"));
        // Paragraph-mark fonts and deleted text draw nothing.
        assert!(get("Mark", false).is_empty() && !get("Body", false).contains(&'删'));
    }

    #[test]
    fn mixed_families_split_by_script() {
        let styles = xml::parse(format!("<w:styles {W}/>").as_bytes()).unwrap();
        let body = doc("<w:p><w:r><w:rPr><w:rFonts w:ascii=\"Latin\" w:hAnsi=\"Latin\" w:eastAsia=\"CJK\"/></w:rPr>\
             <w:t>a中“</w:t></w:r></w:p>");
        let used = used_chars(Some(&styles), &[body]);
        assert_eq!(used[&("Latin".to_string(), false)], set("a“"));
        assert_eq!(used[&("CJK".to_string(), false)], set("中“"));
    }

    #[test]
    fn font_keys_are_guids_derived_from_content() {
        let k = font_key(b"abc");
        assert_eq!(k, font_key(b"abc"));
        assert_ne!(k, font_key(b"abd"));
        assert_eq!(k.len(), 38);
        assert!(k.starts_with('{') && k.ends_with('}'));
        assert_eq!(k.matches('-').count(), 4);
        assert_eq!(&k[15..16], "8");
        assert!(guid_bytes(&k).is_some());
        assert!(guid_bytes("{nope}").is_none());
    }

    #[test]
    fn obfuscation_matches_the_standard() {
        // Key bytes in string order 00 11 22 … FF; reversed: FF EE … 00.
        let key = "{00112233-4455-6677-8899-AABBCCDDEEFF}";
        let out = obfuscate(vec![0u8; 40], key);
        assert_eq!(out[0], 0xFF);
        assert_eq!(out[1], 0xEE);
        assert_eq!(out[15], 0x00);
        assert_eq!(out[16], 0xFF);
        assert_eq!(out[31], 0x00);
        assert_eq!(&out[32..], &[0u8; 8]);
        assert_eq!(obfuscate(out, key), vec![0u8; 40]);
        // Short data and a bad key do not panic.
        assert_eq!(obfuscate(vec![1, 2], key), vec![1 ^ 0xFF, 2 ^ 0xEE]);
        assert_eq!(obfuscate(vec![1, 2], "x"), vec![1, 2]);
    }

    fn fandol(family: &str, bold: bool, file: &str) -> EmbedFace {
        EmbedFace::new(family, bold, font(file), 0)
    }

    #[test]
    fn plan_routes_bold_and_fallback() {
        let fonts = EmbedFonts {
            faces: vec![
                fandol("FandolFang", false, "fandol/FandolFang-Regular.ttf"),
                fandol("FandolSong", false, "fandol/FandolSong-Regular.ttf"),
                fandol("FandolSong", true, "fandol/FandolSong-Bold.ttf"),
            ],
            fallback: Some(fandol("Noto Serif CJK SC", false, "noto/NotoSerifCJKsc-Regular-fallback.otf")),
        };
        let used = BTreeMap::from([
            (("FandolFang".to_string(), false), set("民政堃")),
            (("FandolFang".to_string(), true), set("抓实")),
            (("FandolSong".to_string(), true), set("标题")),
            // A run the writer put in the fallback family, bold.
            (("Noto Serif CJK SC".to_string(), true), set("喆")),
        ]);
        let planned = plan(&fonts, &used).unwrap();
        let got: Vec<(String, bool, BTreeSet<char>)> =
            planned.iter().map(|(f, c)| (f.family.clone(), f.bold, c.clone())).collect();
        assert_eq!(
            got,
            vec![
                ("FandolFang".into(), false, set("民政堃抓实")),
                ("FandolSong".into(), true, set("标题")),
                ("Noto Serif CJK SC".into(), false, set("堃喆")),
            ]
        );
        let missing = BTreeMap::from([(("Other".to_string(), false), set("a"))]);
        assert_eq!(plan(&fonts, &missing).unwrap_err(), EmbedError::NoFace { family: "Other".into() });
    }

    #[test]
    fn restricted_fonts_are_refused() {
        let mut data = font("fandol/FandolKai-Regular.ttf");
        // Patch OS/2 fsType to 2 (restricted licence embedding).
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        let os2 = face.raw_face().table(ttf_parser::Tag::from_bytes(b"OS/2")).unwrap();
        let at = os2.as_ptr() as usize - data.as_ptr() as usize + 8;
        data[at..at + 2].copy_from_slice(&2u16.to_be_bytes());
        let fonts = EmbedFonts { faces: vec![EmbedFace::new("FandolKai", false, data, 0)], fallback: None };
        let err = fonts.check().unwrap_err();
        assert!(matches!(err, EmbedError::Forbidden { .. }));
        let text = err.to_string();
        assert!(text.contains("FandolKai") && text.contains("restricted license embedding"), "{text}");
        let face = &fonts.faces[0];
        assert!(font_part(face, &set("楷")).is_err());
    }

    #[test]
    fn extra_families_get_font_table_entries() {
        let fonts = DocxFonts::bundled();
        let embedded = vec![
            EmbeddedFont { family: "FandolFang".into(), bold: false, rel_id: "rId1".into(), font_key: font_key(b"1") },
            EmbeddedFont {
                family: "Noto Serif CJK SC".into(),
                bold: false,
                rel_id: "rId2".into(),
                font_key: font_key(b"2"),
            },
        ];
        let xml = String::from_utf8(xml::write(&font_table(&fonts, &embedded))).unwrap();
        assert!(xml.contains("<w:font w:name=\"Noto Serif CJK SC\">"), "{xml}");
        assert!(xml.contains("<w:embedRegular r:id=\"rId2\""), "{xml}");
        assert!(xml.contains("<w:embedRegular r:id=\"rId1\""), "{xml}");
        assert_eq!(xml.matches("<w:font ").count(), fonts.families().len() + 1);
    }
}
