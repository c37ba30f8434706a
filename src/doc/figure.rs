//! The size of a picture on the page, decided once for both backends.
//!
//! A picture keeps the 22-line grid: it takes a whole number `n` of grid
//! lines. Its box is `(n − 1) × pitch + body size` high — exactly the
//! lines' text boxes, so the grid's usual gap (pitch − body size) stays
//! below it before the next line, as below any line of text — and the
//! picture fills that height, its width following from its aspect ratio.
//!
//! The width asked for (a fraction of the text width, [`DEFAULT_WIDTH`]
//! when the data gives none) gives a height; `n` is the largest number of
//! lines whose box is no taller than that, so the picture comes out at
//! most as wide as asked (up to one line's height smaller). A picture is
//! never taller than the page's body area less its caption; one with no
//! width given is at most half a page high (portrait photos stay modest).

use crate::model::images::DEFAULT_WIDTH;
use crate::style::Style;

/// A picture's place on the page, in points and grid lines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FigureSize {
    pub width_pt: f64,
    pub height_pt: f64,
    /// Grid lines the picture takes: `height_pt = (lines − 1) × pitch + body size`.
    pub lines: u32,
}

/// The size of a picture of `aspect` (height ÷ width) asked to be `width`
/// (a fraction of the text width) wide, above a caption of
/// `caption_lines` lines.
pub fn size(style: &Style, aspect: f64, width: Option<f64>, caption_lines: u32) -> FigureSize {
    let text_width = style.page.text_width_pt();
    let pitch = style.grid.line_pitch_pt;
    let body = style.body.size_pt;
    let aspect = if aspect.is_finite() && aspect > 0.0 { aspect } else { 0.75 };
    let fraction = match width {
        Some(w) if w.is_finite() && w > 0.0 => w.min(1.0),
        _ => DEFAULT_WIDTH,
    };
    let per_page = style.grid.lines_per_page.max(1);
    let mut max_lines = per_page.saturating_sub(caption_lines).max(1);
    if width.is_none() {
        max_lines = max_lines.min((per_page / 2).max(1));
    }
    let wanted_height = fraction * text_width * aspect;
    let fit = ((wanted_height - body) / pitch).floor() + 1.0;
    let lines = if fit.is_finite() { (fit.max(1.0) as u32).min(max_lines) } else { 1 };
    let mut height = f64::from(lines - 1) * pitch + body;
    let mut width_pt = height / aspect;
    // A panorama too wide even one line high: as wide as the block.
    if width_pt > text_width {
        width_pt = text_width;
        height = text_width * aspect;
    }
    FigureSize { width_pt, height_pt: height, lines }
}

/// How many lines a caption of `text` takes, estimated as the office suite
/// sets it (enough to keep picture and caption on one page).
pub fn caption_lines(style: &Style, text: &str) -> u32 {
    if text.trim().is_empty() {
        return 0;
    }
    let ts = &style.caption;
    let em = super::script::office_width_em(text, ts.size_pt, style.cjk_latin_gap_em, style.pdf_tracking_pt);
    let per_line = style.page.text_width_pt() / ts.size_pt;
    ((em / per_line).ceil() as u32).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_are_whole_grid_lines() {
        let s = Style::gbt9704();
        let pitch = s.grid.line_pitch_pt;
        // 4:3 at 75 % of 442.2 pt: 248.7 pt wanted → 9 lines, 247.6 pt.
        let f = size(&s, 0.75, None, 1);
        assert_eq!(f.lines, 9);
        assert!((f.height_pt - (8.0 * pitch + 16.0)).abs() < 1e-9);
        assert!(f.width_pt <= 0.75 * s.page.text_width_pt() + 1e-9);
        assert!((f.width_pt * 0.75 - f.height_pt).abs() < 1e-9);
    }

    #[test]
    fn never_taller_than_the_page() {
        let s = Style::gbt9704();
        // A tall strip at full width: capped to the page less the caption.
        let f = size(&s, 10.0, Some(1.0), 2);
        assert_eq!(f.lines, 20);
        // Without a width: half a page at most.
        assert_eq!(size(&s, 1.5, None, 1).lines, 11);
        // A very wide strip: one line, no wider than the block.
        let p = size(&s, 0.01, Some(1.0), 0);
        assert_eq!(p.lines, 1);
        assert!(p.width_pt <= s.page.text_width_pt() + 1e-9);
    }

    #[test]
    fn caption_line_estimate() {
        let s = Style::gbt9704();
        assert_eq!(caption_lines(&s, ""), 0);
        assert_eq!(caption_lines(&s, "图为党员志愿者走访慰问困难群众"), 1);
        assert_eq!(caption_lines(&s, &"图".repeat(40)), 2);
    }
}
