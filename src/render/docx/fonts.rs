//! Which font family the DOCX names for each font role.
//!
//! A DOCX names fonts; it does not carry them (until embedding is added).
//! Word on an office PC has 仿宋, 黑体, 楷体, 宋体 and usually 方正小标宋简体;
//! LibreOffice on a server may only have the bundled Fandol fonts. The
//! writer therefore takes a [`DocxFonts`]: per [`Role`], the family written
//! into `w:rFonts` — the same name for `w:ascii`, `w:hAnsi` and `w:eastAsia`
//! so that digits and Latin letters get the role font's widths, as in the
//! PDF, and lines break at the same places — plus the font-table facts
//! (`w:altName`, `w:charset`, `w:panose1`, `w:family`, `w:pitch`) Word uses
//! to pick a substitute when the family is missing.

use std::collections::BTreeMap;

use crate::fonts::Role;

/// `w:family`: the font's generic family, used by Word for substitution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontFamilyClass {
    Auto,
    Roman,
    Swiss,
    Modern,
    Script,
    Decorative,
}

impl FontFamilyClass {
    /// The `w:family` value.
    pub fn as_str(self) -> &'static str {
        match self {
            FontFamilyClass::Auto => "auto",
            FontFamilyClass::Roman => "roman",
            FontFamilyClass::Swiss => "swiss",
            FontFamilyClass::Modern => "modern",
            FontFamilyClass::Script => "script",
            FontFamilyClass::Decorative => "decorative",
        }
    }
}

/// `w:pitch`: fixed-width or proportional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontPitch {
    Default,
    Fixed,
    Variable,
}

impl FontPitch {
    /// The `w:pitch` value.
    pub fn as_str(self) -> &'static str {
        match self {
            FontPitch::Default => "default",
            FontPitch::Fixed => "fixed",
            FontPitch::Variable => "variable",
        }
    }
}

/// One font family as the DOCX declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontSpec {
    /// The family name written into `w:rFonts` and the font table.
    pub name: String,
    /// `w:altName`: another name of the same font (the English name of a
    /// Chinese-named font), tried by Word when `name` is not installed.
    pub alt_name: Option<String>,
    /// `w:charset` (0x86 = GB2312).
    pub charset: u8,
    /// `w:panose1`: 10 PANOSE bytes as 20 hex digits, when known.
    pub panose: Option<String>,
    pub family: FontFamilyClass,
    pub pitch: FontPitch,
    /// The role is set in the family's bold face (`w:b`): the bundled title
    /// font is FandolSong *Bold*, which LibreOffice selects only when the
    /// run is bold. Official title fonts (方正小标宋简体) are heavy by
    /// design and must not be emboldened.
    pub bold: bool,
}

impl FontSpec {
    /// A family with no further facts: GB2312 charset, automatic family.
    pub fn named(name: impl Into<String>) -> FontSpec {
        FontSpec {
            name: name.into(),
            alt_name: None,
            charset: GB2312_CHARSET,
            panose: None,
            family: FontFamilyClass::Auto,
            pitch: FontPitch::Default,
            bold: false,
        }
    }

    /// The known facts for a family name, if it is one of the office or
    /// bundled fonts; otherwise [`FontSpec::named`].
    pub fn known(name: &str) -> FontSpec {
        KNOWN
            .iter()
            .find(|k| k.0 == name || k.1 == Some(name))
            .map(|k| k.spec_named(name))
            .unwrap_or_else(|| FontSpec::named(name))
    }
}

/// GB2312 (`GB2312_CHARSET`, 134).
const GB2312_CHARSET: u8 = 0x86;

/// Panose of the Windows CJK fonts (宋体 differs only in the weight digit).
const PANOSE_SIMSUN: &str = "02010600030101010101";
const PANOSE_CJK_MODERN: &str = "02010609060101010101";
/// FangSong_GB2312 as Word records it.
const PANOSE_FANGSONG_GB2312: &str = "02010609030101010101";
/// 方正小标宋简体 (FZXiaoBiaoSong-B05S) as recorded by Word.
const PANOSE_FZXBS: &str = "03000509000000000000";
/// Every Fandol face has this OS/2 panose (only the weight byte is set).
const PANOSE_FANDOL: &str = "00000500000000000000";

/// `(name, altName, panose, family, pitch)` of the fonts we know.
struct Known(&'static str, Option<&'static str>, &'static str, FontFamilyClass, FontPitch);

impl Known {
    fn spec_named(&self, name: &str) -> FontSpec {
        // The alternative of the requested name is the other one of the pair.
        let alt = if name == self.0 { self.1 } else { Some(self.0) };
        FontSpec {
            name: name.to_string(),
            alt_name: alt.map(str::to_string),
            charset: GB2312_CHARSET,
            panose: Some(self.2.to_string()),
            family: self.3,
            pitch: self.4,
            bold: false,
        }
    }
}

const KNOWN: &[Known] = &[
    Known("仿宋", Some("FangSong"), PANOSE_CJK_MODERN, FontFamilyClass::Modern, FontPitch::Fixed),
    Known("仿宋_GB2312", Some("FangSong_GB2312"), PANOSE_FANGSONG_GB2312, FontFamilyClass::Modern, FontPitch::Fixed),
    Known("黑体", Some("SimHei"), PANOSE_CJK_MODERN, FontFamilyClass::Modern, FontPitch::Fixed),
    Known("楷体", Some("KaiTi"), PANOSE_CJK_MODERN, FontFamilyClass::Modern, FontPitch::Fixed),
    Known("楷体_GB2312", Some("KaiTi_GB2312"), PANOSE_CJK_MODERN, FontFamilyClass::Modern, FontPitch::Fixed),
    Known("宋体", Some("SimSun"), PANOSE_SIMSUN, FontFamilyClass::Auto, FontPitch::Variable),
    Known("方正小标宋简体", Some("FZXiaoBiaoSong-B05S"), PANOSE_FZXBS, FontFamilyClass::Auto, FontPitch::Variable),
    Known("FandolFang", None, PANOSE_FANDOL, FontFamilyClass::Auto, FontPitch::Variable),
    Known("FandolHei", None, PANOSE_FANDOL, FontFamilyClass::Auto, FontPitch::Variable),
    Known("FandolKai", None, PANOSE_FANDOL, FontFamilyClass::Auto, FontPitch::Variable),
    Known("FandolSong", None, PANOSE_FANDOL, FontFamilyClass::Auto, FontPitch::Variable),
];

/// The font family of every role, as written into the DOCX.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxFonts {
    roles: BTreeMap<Role, FontSpec>,
}

impl DocxFonts {
    /// The fonts of a Chinese office (Windows plus 方正小标宋简体):
    /// fang 仿宋, hei 黑体, kai 楷体, song 宋体, title 方正小标宋简体.
    pub fn office() -> DocxFonts {
        DocxFonts::from_fn(|role| match role {
            Role::Fang => FontSpec::known("仿宋"),
            Role::Hei => FontSpec::known("黑体"),
            Role::Kai => FontSpec::known("楷体"),
            Role::Song => FontSpec::known("宋体"),
            Role::Title => FontSpec::known("方正小标宋简体"),
        })
    }

    /// The bundled free fonts under the family names fontconfig and
    /// LibreOffice match (`fc-scan`): FandolFang, FandolHei, FandolKai,
    /// FandolSong, and FandolSong's bold face for titles.
    pub fn bundled() -> DocxFonts {
        DocxFonts::from_fn(|role| match role {
            Role::Fang => FontSpec::known("FandolFang"),
            Role::Hei => FontSpec::known("FandolHei"),
            Role::Kai => FontSpec::known("FandolKai"),
            Role::Song => FontSpec::known("FandolSong"),
            Role::Title => FontSpec { bold: true, ..FontSpec::known("FandolSong") },
        })
    }

    /// Families from a configuration (role → family name); roles the map
    /// leaves out keep the [`office`](DocxFonts::office) family. Known
    /// families get their font-table facts, others a minimal entry.
    pub fn from_families(families: &BTreeMap<Role, String>) -> DocxFonts {
        let mut fonts = DocxFonts::office();
        for (&role, name) in families {
            fonts.set(role, FontSpec::known(name));
        }
        fonts
    }

    /// Builds the set from a function of the role.
    pub fn from_fn(mut f: impl FnMut(Role) -> FontSpec) -> DocxFonts {
        DocxFonts { roles: Role::ALL.iter().map(|&r| (r, f(r))).collect() }
    }

    /// Replaces the family of one role.
    pub fn set(&mut self, role: Role, spec: FontSpec) {
        self.roles.insert(role, spec);
    }

    /// The family of a role.
    pub fn get(&self, role: Role) -> &FontSpec {
        // Every constructor fills all roles; the fallback only guards
        // against a future constructor that does not.
        self.roles.get(&role).unwrap_or(&FALLBACK)
    }

    /// The distinct families, in role order, for the font table.
    pub fn families(&self) -> Vec<&FontSpec> {
        let mut out: Vec<&FontSpec> = Vec::new();
        for spec in self.roles.values() {
            if !out.iter().any(|s| s.name == spec.name) {
                out.push(spec);
            }
        }
        out
    }
}

static FALLBACK: std::sync::LazyLock<FontSpec> = std::sync::LazyLock::new(|| FontSpec::known("宋体"));

impl Default for DocxFonts {
    fn default() -> Self {
        DocxFonts::office()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_fonts_carry_alt_names() {
        let f = DocxFonts::office();
        assert_eq!(f.get(Role::Fang).name, "仿宋");
        assert_eq!(f.get(Role::Fang).alt_name.as_deref(), Some("FangSong"));
        assert_eq!(f.get(Role::Title).alt_name.as_deref(), Some("FZXiaoBiaoSong-B05S"));
        assert!(!f.get(Role::Title).bold);
        assert_eq!(f.families().len(), 5);
    }

    #[test]
    fn bundled_title_is_the_bold_song_face() {
        let f = DocxFonts::bundled();
        assert_eq!(f.get(Role::Title).name, "FandolSong");
        assert!(f.get(Role::Title).bold);
        // FandolSong serves two roles but is declared once.
        assert_eq!(f.families().len(), 4);
    }

    #[test]
    fn families_from_a_map() {
        let map = BTreeMap::from([(Role::Fang, "仿宋_GB2312".to_string()), (Role::Kai, "My Kai".into())]);
        let f = DocxFonts::from_families(&map);
        assert_eq!(f.get(Role::Fang).alt_name.as_deref(), Some("FangSong_GB2312"));
        assert_eq!(f.get(Role::Kai).name, "My Kai");
        assert_eq!(f.get(Role::Hei).name, "黑体");
    }
}
