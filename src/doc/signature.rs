//! Where the 署名 and the 成文日期 stand (GB/T 9704-2012 7.3.5.2, unsealed).
//!
//! The 署名 is right-indented two characters; the date goes on the next
//! line, its first character two characters to the right of the 署名's
//! first character. When the date is longer than the 署名, the date is
//! right-indented two characters and the 署名 moves left to keep the
//! two-character shift.
//!
//! Widths are the widths the lines are set at — in the PDF and in Word or
//! LibreOffice alike: the Chinese–Latin gap (a fifth of the size) between
//! the digits and the characters of `2025年7月10日` makes the date a whole
//! character wider than its characters alone (7.5 characters, not 6.5).
//! Counted without it, the date started only one character right of the
//! 署名 in LibreOffice.

use super::script::office_width_em;
use crate::style::Style;

/// How wide `text` is set in the body style, in character pitches of the
/// grid: the characters with the letter spacing, plus the Chinese–Latin
/// gaps and the spacing lost where Chinese and Latin text meet.
pub fn width_in_pitches(text: &str, style: &Style) -> f64 {
    let size = style.body.size_pt;
    let pt = office_width_em(text, size, style.cjk_latin_gap_em, style.pdf_tracking_pt) * size;
    let pitch = style.char_pitch_pt();
    if pitch > 0.0 { pt / pitch } else { 0.0 }
}

/// Right indents of the 署名 and the date, in character pitches.
pub fn indents(name: &str, date: &str, style: &Style) -> (f64, f64) {
    let (wn, wd) = (width_in_pitches(name, style), width_in_pitches(date, style));
    if wd > wn {
        // Date right-indented 2; the name starts 2 characters left of it.
        (4.0 + wd - wn, 2.0)
    } else {
        // Name right-indented 2; the date starts 2 characters right of it.
        (2.0, wn - wd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.05
    }

    #[test]
    fn widths_count_the_chinese_latin_gaps() {
        let s = Style::gbt9704();
        // 13 characters: 13 pitches (16 pt less the letter spacing each).
        assert!(close(width_in_pitches("中共某某县民政局机关委员会", &s), 13.0 * 15.75 / s.char_pitch_pt()));
        // 3 characters, 7 digits (half width) and 5 gaps of 3.2 pt; the
        // character before each gap loses its letter spacing.
        let w = width_in_pitches("2025年7月10日", &s);
        let want = (3.0 * 16.0 + 7.0 * 8.0 + 5.0 * 3.2 + 5.0 * s.pdf_tracking_pt) / s.char_pitch_pt();
        assert!(close(w, want), "{w} {want}");
        assert!(w > 7.4, "{w}");
    }

    #[test]
    fn long_name_short_date() {
        let s = Style::gbt9704();
        let (name, date) = ("中共某某县民政局机关委员会", "2025年7月10日");
        let (n, d) = indents(name, date, &s);
        assert_eq!(n, 2.0);
        // The date's first character two pitches right of the name's.
        let name_start = n + width_in_pitches(name, &s);
        let date_start = d + width_in_pitches(date, &s);
        assert!(close(name_start - date_start, 2.0));
        assert!(d < 6.0, "{d}: the gaps make the date wider, so it stands further right");
    }

    #[test]
    fn short_name_long_date() {
        let s = Style::gbt9704();
        let (name, date) = ("县民政局", "2025年12月10日");
        let (n, d) = indents(name, date, &s);
        assert_eq!(d, 2.0);
        // Name start = date start − 2.
        let name_start = n + width_in_pitches(name, &s);
        let date_start = d + width_in_pitches(date, &s);
        assert!(close(name_start - date_start, 2.0));
    }
}
