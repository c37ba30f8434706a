//! The small fixed parts: settings, font table, core and app properties.
//!
//! docx-rs hard-codes these (a font table of Times New Roman, Symbol and
//! Arial; core properties stamped with the wall clock), so the writer
//! produces them itself from the Style, the fonts and the metadata.

use crate::doc::ir::Meta;
use crate::style::Style;

use super::fonts::DocxFonts;
use super::metrics::ems;
use super::xml::Element;

pub(crate) const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub(crate) const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A font embedded in the package, as the font table refers to it. The
/// writer embeds nothing yet; this is the hook for `word/fonts/*.odttf`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedFont {
    /// The family it belongs to (a [`DocxFonts`] name).
    pub family: String,
    /// `embedRegular` or `embedBold`.
    pub bold: bool,
    /// The relationship id from `word/fontTable.xml` to the `.odttf` part.
    pub rel_id: String,
    /// `w:fontKey`: the GUID (with braces) whose bytes obfuscate the font.
    pub font_key: String,
}

/// `word/settings.xml`: odd/even footers, no punctuation compression (so a
/// line holds exactly the grid's characters), Word 2013+ layout, and the
/// East Asian language for theme fonts.
pub(crate) fn settings(style: &Style, east_asian_lang: &str, embed_fonts: bool) -> Element {
    let w = |name: &str| Element::new(format!("w:{name}"));
    let mut root = w("settings").attr("xmlns:w", W_NS).attr("xmlns:r", R_NS);
    root = root.child(w("zoom").attr("w:percent", "100"));
    if embed_fonts {
        root = root.child(w("embedTrueTypeFonts")).child(w("saveSubsetFonts"));
    }
    // A default tab stop of one paragraph indent (two characters).
    root = root
        .child(w("defaultTabStop").attr("w:val", ems(&style.body, style.indent_chars).max(1).to_string()))
        .child(w("evenAndOddHeaders"))
        .child(w("characterSpacingControl").attr("w:val", "doNotCompress"))
        .child(
            w("compat").child(
                w("compatSetting")
                    .attr("w:name", "compatibilityMode")
                    .attr("w:uri", "http://schemas.microsoft.com/office/word")
                    .attr("w:val", "15"),
            ),
        )
        .child(w("themeFontLang").attr("w:val", "en-US").attr("w:eastAsia", east_asian_lang))
        .child(w("decimalSymbol").attr("w:val", "."))
        .child(w("listSeparator").attr("w:val", ","));
    root
}

/// `word/fontTable.xml`: one entry per family the fonts name.
pub(crate) fn font_table(fonts: &DocxFonts, embedded: &[EmbeddedFont]) -> Element {
    let w = |name: &str| Element::new(format!("w:{name}"));
    let mut root = w("fonts").attr("xmlns:w", W_NS).attr("xmlns:r", R_NS);
    for spec in fonts.families() {
        let mut font = w("font").attr("w:name", spec.name.as_str());
        if let Some(alt) = &spec.alt_name {
            font = font.child(w("altName").attr("w:val", alt.as_str()));
        }
        if let Some(panose) = spec.panose.as_deref().filter(|p| is_panose(p)) {
            font = font.child(w("panose1").attr("w:val", panose));
        }
        font = font
            .child(w("charset").attr("w:val", format!("{:02X}", spec.charset)))
            .child(w("family").attr("w:val", spec.family.as_str()))
            .child(w("pitch").attr("w:val", spec.pitch.as_str()));
        for e in embedded.iter().filter(|e| e.family == spec.name) {
            let kind = if e.bold { "embedBold" } else { "embedRegular" };
            font = font.child(w(kind).attr("r:id", e.rel_id.as_str()).attr("w:fontKey", e.font_key.as_str()));
        }
        root = root.child(font);
    }
    root
}

/// `word/theme/theme1.xml`: Word expects a theme (validators flag its
/// absence). Its fonts are the role fonts — headings (major) in `hei`, body
/// (minor) in `fang` — so a secretary switching a style to "theme fonts"
/// still gets official fonts; colours and effects are minimal.
pub(crate) fn theme(fonts: &DocxFonts) -> Element {
    let a = |name: &str| Element::new(format!("a:{name}"));
    let srgb = |v: &str| a("srgbClr").attr("val", v);
    let colors = [
        ("dk2", "44546A"),
        ("lt2", "E7E6E6"),
        ("accent1", "4472C4"),
        ("accent2", "ED7D31"),
        ("accent3", "A5A5A5"),
        ("accent4", "FFC000"),
        ("accent5", "5B9BD5"),
        ("accent6", "70AD47"),
        ("hlink", "0563C1"),
        ("folHlink", "954F72"),
    ];
    let mut scheme = a("clrScheme")
        .attr("name", "jianbao")
        .child(a("dk1").child(a("sysClr").attr("val", "windowText").attr("lastClr", "000000")))
        .child(a("lt1").child(a("sysClr").attr("val", "window").attr("lastClr", "FFFFFF")));
    for (name, v) in colors {
        scheme = scheme.child(a(name).child(srgb(v)));
    }
    let font = |kind: &str, family: &str| {
        a(kind)
            .child(a("latin").attr("typeface", family))
            .child(a("ea").attr("typeface", family))
            .child(a("cs").attr("typeface", ""))
    };
    let fill = || a("solidFill").child(a("schemeClr").attr("val", "phClr"));
    let three = |list: &str, item: &dyn Fn() -> Element| (0..3).fold(a(list), |l, _| l.child(item()));
    let line = || a("ln").attr("w", "6350").child(fill());
    let effect = || a("effectStyle").child(a("effectLst"));
    a("theme")
        .attr("xmlns:a", "http://schemas.openxmlformats.org/drawingml/2006/main")
        .attr("name", "jianbao")
        .child(
            a("themeElements")
                .child(scheme)
                .child(
                    a("fontScheme")
                        .attr("name", "jianbao")
                        .child(font("majorFont", &fonts.get(crate::fonts::Role::Hei).name))
                        .child(font("minorFont", &fonts.get(crate::fonts::Role::Fang).name)),
                )
                .child(
                    a("fmtScheme")
                        .attr("name", "jianbao")
                        .child(three("fillStyleLst", &fill))
                        .child(three("lnStyleLst", &line))
                        .child(three("effectStyleLst", &effect))
                        .child(three("bgFillStyleLst", &fill)),
                ),
        )
        .child(a("objectDefaults"))
        .child(a("extraClrSchemeLst"))
}

/// A PANOSE value the schema accepts: exactly 20 hex digits.
fn is_panose(p: &str) -> bool {
    p.len() == 20 && p.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `docProps/core.xml`. Created and modified are the document's date at
/// midnight UTC, or 2000-01-01 — never the clock, so output is reproducible.
pub(crate) fn core_properties(meta: &Meta) -> Element {
    let date = format!("{}T00:00:00Z", document_date(meta));
    let mut root = Element::new("cp:coreProperties")
        .attr("xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties")
        .attr("xmlns:dc", "http://purl.org/dc/elements/1.1/")
        .attr("xmlns:dcterms", "http://purl.org/dc/terms/")
        .attr("xmlns:dcmitype", "http://purl.org/dc/dcmitype/")
        .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
    let text = |name: &str, value: &str| Element::new(name).text(value);
    root = root
        .child(text("dc:title", &meta.title))
        .child(text("dc:subject", &meta.subject))
        .child(text("dc:creator", &meta.author))
        .child(text("cp:keywords", &meta.keywords.join("; ")))
        .child(text("dc:language", &language(meta)))
        .child(text("cp:lastModifiedBy", &meta.author))
        .child(text("cp:revision", "1"))
        .child(text("dcterms:created", &date).attr("xsi:type", "dcterms:W3CDTF"))
        .child(text("dcterms:modified", &date).attr("xsi:type", "dcterms:W3CDTF"));
    root
}

/// `docProps/app.xml`.
pub(crate) fn app_properties() -> Element {
    Element::new("Properties")
        .attr("xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties")
        .attr("xmlns:vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes")
        .child(Element::new("Application").text("jianbao"))
        .child(Element::new("DocSecurity").text("0"))
}

/// `meta.date` when it is a valid `YYYY-MM-DD`, else 2000-01-01.
pub(crate) fn document_date(meta: &Meta) -> String {
    meta.date.as_deref().filter(|d| is_iso_date(d)).unwrap_or("2000-01-01").to_string()
}

fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| d.get(r).and_then(|s| s.parse::<u32>().ok());
    let digits = b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(_), Some(month), Some(day)) => digits && (1..=12).contains(&month) && (1..=31).contains(&day),
        _ => false,
    }
}

/// The document language (`meta.lang` when it looks like a BCP 47 tag).
pub(crate) fn language(meta: &Meta) -> String {
    let l = meta.lang.trim();
    let ok = !l.is_empty() && l.len() <= 35 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok { l.to_string() } else { "zh-CN".to_string() }
}

/// The East Asian language for `w:lang w:eastAsia`: the document language
/// when it is Chinese, Japanese or Korean, else zh-CN.
pub(crate) fn east_asian_language(meta: &Meta) -> String {
    let l = language(meta);
    let lower = l.to_ascii_lowercase();
    if ["zh", "ja", "ko"].iter().any(|p| lower == *p || lower.starts_with(&format!("{p}-"))) {
        l
    } else {
        "zh-CN".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_validated() {
        let mut m = Meta::default();
        assert_eq!(document_date(&m), "2000-01-01");
        m.date = Some("2025-07-10".into());
        assert_eq!(document_date(&m), "2025-07-10");
        for bad in ["2025-13-01", "2025-7-10", "２０２５-07-10", "2025-07-10T00", "<x>"] {
            m.date = Some(bad.into());
            assert_eq!(document_date(&m), "2000-01-01", "{bad}");
        }
    }

    #[test]
    fn languages() {
        let mut m = Meta::default();
        assert_eq!(east_asian_language(&m), "zh-CN");
        m.lang = "zh-TW".into();
        assert_eq!(east_asian_language(&m), "zh-TW");
        m.lang = "en".into();
        assert_eq!(east_asian_language(&m), "zh-CN");
        m.lang = "\"><x".into();
        assert_eq!(language(&m), "zh-CN");
    }
}
