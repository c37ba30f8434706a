//! Classes of characters the way office suites set Chinese text: CJK
//! punctuation, ideographs, and the Latin text portions that get a gap and
//! lose their character spacing at the edges.
//!
//! Measured with LibreOffice 7.4 (see `render::spacing` for what the PDF
//! does with these): text is split into Asian and Latin portions; the last
//! character of each portion gets no character spacing; between an
//! ideograph and a Latin letter or digit a gap of a fifth of the font size
//! is added.

/// CJK punctuation Typst adjusts (left- and right-aligned marks, GB style).
pub fn is_cjk_punctuation(c: char) -> bool {
    // Every pair of neighbouring characters of a document is checked: the
    // marks' three small blocks rule most characters out at once.
    matches!(c as u32, 0x2018..=0x201D | 0x3001..=0x3017 | 0xFF01..=0xFF5D) && CJK_PUNCTUATION.contains(c)
}

const CJK_PUNCTUATION: &str = "，。．、：；？！”’》）』」】〗〕〉］｝“‘《（『「【〖〔〈［｛";

/// Ideographs: the Chinese side of a Chinese–Latin gap.
pub fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Characters LibreOffice sets in a Latin text portion rather than the
/// Asian one (measured): Latin, Greek and Cyrillic letters, digits, ASCII
/// punctuation and symbols, and Latin-1 signs such as `·` `×` `°`. Curly
/// quotes, dashes, `…`, `℃`, `①` and full-width forms stay Asian (the runs
/// carry `w:hint="eastAsia"`).
pub fn is_latin_portion(c: char) -> bool {
    matches!(c as u32, 0x21..=0x2FF | 0x370..=0x52F | 0x1E00..=0x1EFF)
}

/// Letters and digits of Latin text: what gets a gap next to ideographs.
pub fn is_latin_word(c: char) -> bool {
    is_latin_portion(c) && c.is_alphanumeric()
}

/// What separates two neighbouring characters in office typesetting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boundary {
    /// Two CJK punctuation marks (Typst would squeeze them; offices don't).
    MarkPair,
    /// An ideograph next to a Latin letter or digit: a gap, and a change
    /// of portion.
    Gap,
    /// Another change between Asian and Latin portions.
    Script,
}

/// The boundary between `a` and `b`, if they are not plain neighbours.
pub fn boundary(a: char, b: char) -> Option<Boundary> {
    if is_cjk_punctuation(a) && is_cjk_punctuation(b) {
        Some(Boundary::MarkPair)
    } else if (is_ideograph(a) && is_latin_word(b)) || (is_latin_word(a) && is_ideograph(b)) {
        Some(Boundary::Gap)
    } else if is_latin_portion(a) != is_latin_portion(b) && !a.is_whitespace() && !b.is_whitespace() {
        Some(Boundary::Script)
    } else {
        None
    }
}

/// How much wider than the plain advances-plus-tracking the office suite
/// sets the pair `a` `b`, in points, at font size `size_pt`: the gap plus
/// the tracking the portion's last character loses, or only that loss.
pub fn extra_between(a: char, b: char, size_pt: f64, gap_em: f64, tracking_pt: f64) -> f64 {
    match boundary(a, b) {
        Some(Boundary::Gap) => gap_em * size_pt - tracking_pt,
        Some(Boundary::Script) => -tracking_pt,
        Some(Boundary::MarkPair) | None => 0.0,
    }
}

/// An estimate of how wide `text` is set, in ems: CJK and full-width
/// characters 1, the rest ½, plus the gaps and lost tracking at portion
/// changes. Good enough to size table columns so nothing wraps that fits.
pub fn office_width_em(text: &str, size_pt: f64, gap_em: f64, tracking_pt: f64) -> f64 {
    let chars: Vec<char> = text.chars().collect();
    let advances: f64 = chars.iter().map(|&c| super::title::char_width(c) + tracking_pt / size_pt).sum();
    let extra: f64 = chars.windows(2).map(|w| extra_between(w[0], w[1], size_pt, gap_em, tracking_pt)).sum();
    advances + extra / size_pt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mark_is_cjk_punctuation() {
        assert!(CJK_PUNCTUATION.chars().all(is_cjk_punctuation));
        assert!(!is_cjk_punctuation('中') && !is_cjk_punctuation(',') && !is_cjk_punctuation('〜'));
    }

    #[test]
    fn boundaries() {
        assert_eq!(boundary('研', '8'), Some(Boundary::Gap));
        assert_eq!(boundary('8', '次'), Some(Boundary::Gap));
        assert_eq!(boundary('%', '以'), Some(Boundary::Script));
        assert_eq!(boundary('风', '·'), Some(Boundary::Script));
        assert_eq!(boundary('”', '，'), Some(Boundary::MarkPair));
        assert_eq!(boundary('“', '1'), Some(Boundary::Script));
        assert_eq!(boundary('中', '文'), None);
        assert_eq!(boundary('1', '8'), None);
    }

    #[test]
    fn widths_include_gaps() {
        let plain = office_width_em("三月五日", 14.0, 0.2, 0.0);
        assert!((plain - 4.0).abs() < 1e-9);
        let w = office_width_em("3月5日", 14.0, 0.2, 0.0);
        assert!((w - (3.0 + 3.0 * 0.2)).abs() < 1e-9, "{w}");
    }
}
