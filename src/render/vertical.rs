//! Where text sits vertically on the line grid — as LibreOffice puts it.
//!
//! The DOCX has a `lines` document grid and exact line heights of one grid
//! line. LibreOffice 7.4 (measured, with the bundled fonts) then places
//! text like this:
//!
//! - **The grid is centred in the text block.** The block (225 mm =
//!   637.8 pt) holds 22 lines of 28.95 pt (636.9 pt); the 0.9 pt left over
//!   is split above and below, so the first grid line starts 0.45 pt below
//!   the top margin.
//! - **Text on the grid is centred in its grid line(s) by its font's
//!   height.** A line's height is the font's ascent plus descent plus
//!   line gap, its ascent the font's ascent plus the line gap; the line
//!   takes as many grid lines as that height needs (one for text up to
//!   about 24 pt) and its baseline sits at half those grid lines plus
//!   (ascent − descent) / 2 below their top — the exact line height of the
//!   paragraph is not used. 16 pt FandolFang: 14.475 + 7.68 = 22.16 pt
//!   into the grid line (22.61 pt below the block's top edge on a page's
//!   first line), measured 22.6 for body text, headings, the 署名 and
//!   date, titles, captions and the masthead's lines alike.
//! - **Which font metrics.** vcl takes the `hhea` ascender, descender and
//!   line gap when the ascender is positive and the descender negative;
//!   otherwise (FandolSong Regular's `hhea` descender is +200) the OS/2
//!   `winAscent`/`winDescent` without a gap; OS/2 typographic metrics when
//!   the font sets USE_TYPO_METRICS.
//! - **Paragraphs off the grid** (`w:snapToGrid w:val="0"`: table text, the
//!   page number) with an exact line height `h` put the baseline at 0.8 h
//!   below the line's top, whatever the font.
//!
//! The PDF layout (`templates/layout.typ`) uses the same numbers: every
//! line box is one grid line high with its baseline where LibreOffice puts
//! it, computed from the font the PDF draws the text with.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::fonts::{FontSet, Role};
use crate::style::Style;

/// LibreOffice's vertical metrics of a font, in ems.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LineMetrics {
    /// Ascent including the line gap (LibreOffice adds the font's external
    /// leading to the ascent of a line).
    pub ascent_em: f64,
    /// Descent, positive below the baseline.
    pub descent_em: f64,
}

impl Default for LineMetrics {
    /// The bundled Fandol faces (`hhea` 880 / −120, line gap 200).
    fn default() -> Self {
        LineMetrics { ascent_em: 1.08, descent_em: 0.12 }
    }
}

impl LineMetrics {
    /// The metrics LibreOffice 7.4 takes from a font (vcl's
    /// `ImplCalcLineSpacing`).
    pub fn of_font(font: &typst::text::Font) -> LineMetrics {
        let Ok(face) = ttf_parser::Face::parse(font.data(), font.index()) else { return LineMetrics::default() };
        let upm = f64::from(face.units_per_em().max(1));
        let hhea = face.tables().hhea;
        let (mut ascent, mut descent, mut gap) = (0.0, 0.0, 0.0);
        if hhea.ascender >= 0 && hhea.descender <= 0 {
            ascent = f64::from(hhea.ascender);
            descent = -f64::from(hhea.descender);
            gap = f64::from(hhea.line_gap);
        }
        if let Some(os2) = face.tables().os2 {
            if ascent == 0.0 && descent == 0.0 {
                ascent = f64::from(os2.windows_ascender());
                descent = f64::from(os2.windows_descender()).abs();
                gap = 0.0;
            }
            if os2.use_typographic_metrics() && os2.typographic_ascender() >= 0 && os2.typographic_descender() <= 0 {
                ascent = f64::from(os2.typographic_ascender());
                descent = -f64::from(os2.typographic_descender());
                gap = f64::from(os2.typographic_line_gap());
            }
        }
        if ascent + descent <= 0.0 {
            return LineMetrics::default();
        }
        LineMetrics { ascent_em: (ascent + gap) / upm, descent_em: descent / upm }
    }

    /// Where the baseline sits below the middle of the line's grid lines,
    /// in ems: (ascent − descent) / 2.
    pub fn centre_em(&self) -> f64 {
        (self.ascent_em - self.descent_em) / 2.0
    }

    /// The line's height in ems.
    pub fn height_em(&self) -> f64 {
        self.ascent_em + self.descent_em
    }
}

/// The metrics of each role's font, as the PDF draws it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub roles: BTreeMap<Role, LineMetrics>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics { roles: Role::ALL.iter().map(|&r| (r, LineMetrics::default())).collect() }
    }
}

impl Metrics {
    /// The metrics of the first family of every role (the face of the
    /// role's weight).
    pub fn of_fonts(fonts: &FontSet) -> Metrics {
        let roles = Role::ALL
            .iter()
            .map(|&role| {
                let rf = fonts.role(role);
                let m = rf
                    .families
                    .first()
                    .and_then(|family| fonts.faces_of(family, rf.weight).first().map(|f| LineMetrics::of_font(&f.font)))
                    .unwrap_or_default();
                (role, m)
            })
            .collect();
        Metrics { roles }
    }

    pub fn get(&self, role: Role) -> LineMetrics {
        self.roles.get(&role).copied().unwrap_or_default()
    }

    /// Grid lines a line of `role` text at `size_pt` takes (at least one).
    pub fn grid_lines(&self, style: &Style, role: Role, size_pt: f64) -> u32 {
        let h = self.get(role).height_em() * size_pt;
        let pitch = style.grid.line_pitch_pt;
        ((h / pitch - 1e-6).ceil().max(1.0)) as u32
    }

    /// The baseline of a line of `role` text at `size_pt` below the top of
    /// its (first) grid line, the grid's offset in the block not included.
    pub fn baseline_in_line(&self, style: &Style, role: Role, size_pt: f64) -> f64 {
        let lines = f64::from(self.grid_lines(style, role, size_pt));
        lines * style.grid.line_pitch_pt / 2.0 + size_pt * self.get(role).centre_em()
    }
}

/// How far below the top margin the first grid line starts: half of what
/// the text block holds beyond its whole grid lines (0.45 pt in the
/// GB/T 9704 style).
pub fn grid_offset(style: &Style) -> f64 {
    let height = style.page.text_height_pt();
    let pitch = style.grid.line_pitch_pt;
    if pitch.is_nan() || pitch <= 0.0 || !height.is_finite() {
        return 0.0;
    }
    let lines = (height / pitch + 1e-9).floor();
    ((height - lines * pitch) / 2.0).max(0.0)
}

/// The baseline of a line off the grid with an exact line height `line_pt`
/// below the line's top (LibreOffice: 80 % of the height).
pub fn exact_line_baseline(line_pt: f64) -> f64 {
    0.8 * line_pt
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> (FontSet, Metrics) {
        let fonts = FontSet::bundled();
        let m = Metrics::of_fonts(&fonts);
        (fonts, m)
    }

    #[test]
    fn fandol_metrics_as_libreoffice_reads_them() {
        let (_, m) = bundled();
        // hhea 880 / −120, line gap 200.
        for role in [Role::Fang, Role::Hei, Role::Kai, Role::Title] {
            let l = m.get(role);
            assert!((l.ascent_em - 1.08).abs() < 1e-9 && (l.descent_em - 0.12).abs() < 1e-9, "{role:?}: {l:?}");
        }
        // FandolSong Regular: hhea descender +200, so winAscent / winDescent.
        let song = m.get(Role::Song);
        assert!((song.ascent_em - 0.978).abs() < 1e-9 && (song.descent_em - 0.276).abs() < 1e-9, "{song:?}");
    }

    #[test]
    fn body_baseline_as_measured_in_libreoffice() {
        let (_, m) = bundled();
        let s = Style::gbt9704();
        assert!((grid_offset(&s) - 0.4475).abs() < 0.001, "{}", grid_offset(&s));
        // LibreOffice: first body line's baseline 127.50 pt, block top 104.88.
        let b = grid_offset(&s) + m.baseline_in_line(&s, Role::Fang, 16.0);
        assert!((104.882 + b - 127.50).abs() < 0.1, "{b}");
        // 14 pt contact lines: 21.6 pt into the grid line (measured).
        let b14 = grid_offset(&s) + m.baseline_in_line(&s, Role::Fang, 14.0);
        assert!((b14 - 21.63).abs() < 0.1, "{b14}");
        // The 42 pt masthead name takes two grid lines.
        assert_eq!(m.grid_lines(&s, Role::Title, 42.0), 2);
        assert_eq!(m.grid_lines(&s, Role::Title, 22.0), 1);
    }
}
