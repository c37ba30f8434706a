//! The Style's numbers in DOCX units.
//!
//! WordprocessingML measures lengths in twips (1/20 pt), font sizes in
//! half-points and borders in eighths of a point. Every length the writer
//! uses is derived here from [`Style`], once, so no other file converts
//! units or hard-codes a size.

use crate::style::{PT_PER_MM, Style, TextStyle};

/// Twips per point.
pub(crate) const TWIPS_PER_PT: f64 = 20.0;

/// Points to twips, rounded. Non-finite input gives 0 (never a panic).
pub(crate) fn twips(pt: f64) -> i32 {
    let v = (pt * TWIPS_PER_PT).round();
    if v.is_finite() { v as i32 } else { 0 }
}

/// Millimetres to twips, rounded.
pub(crate) fn twips_mm(mm: f64) -> i32 {
    twips(mm * PT_PER_MM)
}

/// A font size in half-points (`w:sz`), at least 1.
pub(crate) fn half_points(pt: f64) -> usize {
    let v = (pt * 2.0).round();
    if v.is_finite() && v >= 1.0 { v as usize } else { 1 }
}

/// A border width in eighths of a point (`w:sz` of a border), clamped to
/// the range Word accepts (2–96).
pub(crate) fn border_eighths(pt: f64) -> usize {
    let v = (pt * 8.0).round();
    if v.is_finite() { v.clamp(2.0, 96.0) as usize } else { 2 }
}

/// Page geometry and grid, in twips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Metrics {
    pub page_width: i32,
    pub page_height: i32,
    pub top: i32,
    pub bottom: i32,
    pub left: i32,
    pub right: i32,
    /// Width of the text block. The left margin absorbs the rounding so the
    /// block is exactly as wide as the Style says (156 mm = 8844 twips).
    pub text_width: i32,
    /// The grid's line pitch (`w:linePitch`, exact line spacing).
    pub line_pitch: i32,
    /// Distance from the page bottom to the bottom of the footer line.
    pub footer: i32,
    /// Header distance (no headers are written; Word needs a value).
    pub header: i32,
    /// Height of the page-number line (exact line spacing in the footer).
    pub footer_line: i32,
}

impl Metrics {
    pub fn new(style: &Style) -> Metrics {
        let p = &style.page;
        let page_width = twips_mm(p.width_mm);
        let page_height = twips_mm(p.height_mm);
        let right = twips_mm(p.right_mm);
        let text_width = twips(p.text_width_pt());
        let left = page_width - right - text_width;
        let top = twips_mm(p.top_mm);
        let bottom = twips_mm(p.bottom_mm);
        let line_pitch = twips(style.grid.line_pitch_pt).max(1);
        // The page-number line is one font size high; its top stands
        // `below_block_mm` under the text block, so its bottom (what the
        // footer distance measures in Word) is that plus its height.
        let footer_line = twips(style.page_number.text.size_pt).max(1);
        let footer = (bottom - twips_mm(style.page_number.below_block_mm) - footer_line).max(0);
        Metrics {
            page_width,
            page_height,
            top,
            bottom,
            left,
            right,
            text_width,
            line_pitch,
            footer,
            header: (top / 2).max(0),
            footer_line,
        }
    }

    /// One character pitch of the body grid, in twips (fractional).
    pub fn char_pitch(style: &Style) -> f64 {
        style.char_pitch_pt() * TWIPS_PER_PT
    }
}

/// `n` character pitches of the body grid, in twips.
pub(crate) fn pitches(style: &Style, n: f64) -> i32 {
    let v = (n * Metrics::char_pitch(style)).round();
    if v.is_finite() { v as i32 } else { 0 }
}

/// `n` characters of text in `text`'s size (one em each), in twips.
pub(crate) fn ems(text: &TextStyle, n: f64) -> i32 {
    twips(n * text.size_pt)
}

/// A count in hundredths of a character (`w:firstLineChars` and friends).
pub(crate) fn hundredths(n: f64) -> i32 {
    let v = (n * 100.0).round();
    if v.is_finite() { v as i32 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbt9704_in_twips() {
        let m = Metrics::new(&Style::gbt9704());
        assert_eq!((m.page_width, m.page_height), (11906, 16838));
        assert_eq!((m.top, m.left, m.right, m.bottom), (2098, 1588, 1474, 1984));
        assert_eq!(m.text_width, 8844);
        assert_eq!(m.line_pitch, 579);
        assert_eq!(half_points(16.0), 32);
        assert_eq!(pitches(&Style::gbt9704(), 2.0), 632);
    }

    #[test]
    fn hostile_numbers_do_not_panic() {
        assert_eq!(twips(f64::NAN), 0);
        assert_eq!(half_points(-3.0), 1);
        assert_eq!(border_eighths(f64::INFINITY), 2);
        assert_eq!(hundredths(f64::NAN), 0);
    }
}
