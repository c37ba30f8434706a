//! Where a long title breaks.
//!
//! GB/T 9704 7.3.1: a title that needs several lines is broken so that the
//! lines are balanced (a trapezoid or a diamond), words stay whole and the
//! meaning reads naturally — never one long line and a two-character orphan.
//! Both backends print the lines chosen here.

/// Width of a character in em: CJK and full-width forms 1, the rest ½.
pub fn char_width(c: char) -> f64 {
    use unicode_width::UnicodeWidthChar;
    match c.width() {
        Some(2) => 1.0,
        Some(0) => 0.0,
        _ => 0.5,
    }
}

/// Width of a string in em.
pub fn text_width(s: &str) -> f64 {
    s.chars().map(char_width).sum()
}

const OPENING: &str = "（《「『“‘〔【";
const CLOSING: &str = "）》」』”’〕】";
/// Marks after which a line may end: they end a phrase.
const PHRASE_END: &str = "，、；：！？。";
/// Marks that may not start a line.
const NO_LINE_START: &str = "，、；：！？。）》」』”’〕】·…—";

/// How good a break between `before` and `after` is (lower is better), or
/// `None` if the break is not allowed there.
fn break_cost(before: char, after: char, quote_depth: i32) -> Option<f64> {
    if NO_LINE_START.contains(after) || OPENING.contains(before) {
        return None;
    }
    // Never split a number or a Latin word.
    if before.is_ascii_alphanumeric() && after.is_ascii_alphanumeric() {
        return None;
    }
    if PHRASE_END.contains(before) {
        Some(-9.0)
    } else if CLOSING.contains(before) && quote_depth == 0 {
        Some(-6.0)
    } else if OPENING.contains(after) && quote_depth == 0 {
        Some(-4.0)
    } else if quote_depth > 0 {
        Some(25.0)
    } else {
        Some(0.0)
    }
}

/// The longest title that is broken into balanced lines: ten lines of a
/// 20-character title block (GB/T 9704 titles take one to three).
const MAX_BALANCED_CHARS: usize = 200;

/// Breaks `title` into balanced lines of at most `max_chars` em each
/// (characters counted 1 or ½ em, nothing else).
pub fn balance(title: &str, max_chars: usize) -> Vec<String> {
    balance_with(title, max_chars, |_, _| 0.0, 0.0)
}

/// Breaks `title` into balanced lines as Word and LibreOffice set them in
/// `style`'s title: each character with the letter spacing, and the
/// Chinese–Latin gaps (a fifth of the size) between characters and digits
/// or letters inside a line — a line of 20 characters with two gaps would
/// not fit the text block, and the office suite would wrap it.
pub fn balance_in(title: &str, style: &crate::style::Style) -> Vec<String> {
    let ts = &style.title;
    let size = ts.size_pt;
    if size.is_nan() || size <= 0.0 {
        return balance(title, style.title_max_chars);
    }
    let (gap, tracking) = (style.cjk_latin_gap_em, style.pdf_tracking_pt);
    balance_with(
        title,
        style.title_max_chars,
        |a, b| super::script::extra_between(a, b, size, gap, tracking) / size,
        tracking / size,
    )
}

/// `extra(a, b)`: what the pair `a` `b` adds to a line's width, in em;
/// `tracking_em`: what every character adds.
fn balance_with(title: &str, max_chars: usize, extra: impl Fn(char, char) -> f64, tracking_em: f64) -> Vec<String> {
    let title = title.trim();
    let chars: Vec<char> = title.chars().collect();
    let max = max_chars as f64;
    // prefix[i]: width of chars[..i] without what lies between them;
    // between[i]: what lies between the characters of chars[..=i].
    let mut prefix = vec![0.0; chars.len() + 1];
    let mut between = vec![0.0; chars.len() + 1];
    for (i, &c) in chars.iter().enumerate() {
        prefix[i + 1] = prefix[i] + char_width(c) + tracking_em;
        between[i + 1] = between[i] + if i > 0 { extra(chars[i - 1], c) } else { 0.0 };
    }
    let n = chars.len();
    // Width of the line chars[j..i] (j < i).
    let width = |j: usize, i: usize| prefix[i] - prefix[j] + between[i] - between[j + 1];
    let total = if n == 0 { 0.0 } else { width(0, n) };
    // Beyond a few lines a title is not balanced (the typesetter wraps
    // it): the search is quadratic in the length and cubic in the lines.
    if total <= max || chars.len() < 2 || chars.len() > MAX_BALANCED_CHARS {
        return vec![title.to_owned()];
    }
    // Candidate breaks: index i means a break before chars[i].
    let mut costs: Vec<Option<f64>> = vec![None; chars.len()];
    let mut depth = 0;
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 {
            costs[i] = break_cost(chars[i - 1], c, depth);
        }
        if OPENING.contains(c) {
            depth += 1;
        } else if CLOSING.contains(c) {
            depth = (depth - 1).max(0);
        }
    }
    // As few lines as the allowed breaks permit, then the most balanced
    // breaks for that many; no allowed breaks that fit: one line, which
    // the typesetter wraps.
    let Some(lines) = fewest_lines(&width, chars.len(), &costs, max) else {
        return vec![title.to_owned()];
    };
    let Some(breaks) = best_breaks(&width, total, chars.len(), &costs, lines, max) else {
        return vec![title.to_owned()];
    };
    let mut out = Vec::with_capacity(lines);
    let mut start = 0;
    for b in breaks.into_iter().chain(std::iter::once(chars.len())) {
        out.push(chars[start..b].iter().collect());
        start = b;
    }
    out
}

/// The fewest lines of at most `max` wide that cover the title, breaking
/// only where `costs` allows (dynamic programming over break positions).
fn fewest_lines(width: &impl Fn(usize, usize) -> f64, len: usize, costs: &[Option<f64>], max: f64) -> Option<usize> {
    // fewest[i]: lines covering chars[..i] with a break at i.
    let mut fewest: Vec<Option<usize>> = vec![None; len + 1];
    fewest[0] = Some(0);
    for i in 1..=len {
        if i < len && costs[i].is_none() {
            continue;
        }
        fewest[i] = (0..i).filter(|&j| width(j, i) <= max).filter_map(|j| fewest[j]).min().map(|n| n + 1);
    }
    fewest[len]
}

/// The `n - 1` breaks minimising imbalance plus break costs, every line at
/// most `max` wide (dynamic programming over break positions).
fn best_breaks(
    width: &impl Fn(usize, usize) -> f64,
    total: f64,
    len: usize,
    costs: &[Option<f64>],
    n: usize,
    max: f64,
) -> Option<Vec<usize>> {
    let ideal = total / n as f64;
    // best[k][i]: least cost of k lines covering chars[..i], ending with a
    // break at i (or the end).
    let inf = f64::INFINITY;
    let mut best = vec![vec![inf; len + 1]; n + 1];
    let mut from = vec![vec![0usize; len + 1]; n + 1];
    best[0][0] = 0.0;
    for k in 1..=n {
        for i in 1..=len {
            let brk = if i == len { Some(0.0) } else { costs[i] };
            let Some(bc) = brk else { continue };
            for j in 0..i {
                if best[k - 1][j] == inf {
                    continue;
                }
                let w = width(j, i);
                if w > max {
                    continue;
                }
                // A trapezoid: a line may be shorter than the next, but a
                // line much longer than the next reads like an orphan.
                let c = best[k - 1][j] + (w - ideal).powi(2) + bc;
                if c < best[k][i] {
                    best[k][i] = c;
                    from[k][i] = j;
                }
            }
        }
    }
    if best[n][len] == inf {
        return None;
    }
    let mut breaks = Vec::with_capacity(n - 1);
    let mut i = len;
    for k in (2..=n).rev() {
        i = from[k][i];
        breaks.push(i);
    }
    breaks.reverse();
    Some(breaks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_without_allowed_breaks_stay_whole_and_fast() {
        // Found by fuzzing (fuzz/README.md): 300 characters with no
        // allowed break made the search try every line count (minutes).
        let t: String = std::iter::repeat_n('（', 150).chain(std::iter::repeat_n('a', 150)).collect();
        assert_eq!(balance(&t, 20), vec![t.clone()]);
        let t: String = std::iter::repeat_n("某某", 100).collect();
        let lines = balance(&t, 20);
        assert_eq!(lines.concat(), t);
        assert_eq!(lines.len(), 10);
    }

    #[test]
    fn short_titles_stay_whole() {
        assert_eq!(balance("某某县民政局2025年上半年工作总结", 20).len(), 1);
    }

    #[test]
    fn long_titles_are_balanced_and_keep_quotes_whole() {
        let t = "黔东南州人大常委会机关：突出“四强四同”着力破解机关党建“两张皮”";
        let lines = balance(t, 20);
        assert_eq!(lines.concat(), t);
        assert_eq!(lines.len(), 2);
        for l in &lines {
            assert!(text_width(l) <= 20.0, "{l}");
            assert!(text_width(l) >= 8.0, "orphan line {l}");
            assert!(!l.starts_with(['”', '，', '：']), "{l}");
        }
        // The break does not fall inside a quotation.
        assert!(lines[0].matches('“').count() == lines[0].matches('”').count(), "{lines:?}");
    }

    #[test]
    fn no_two_character_orphan() {
        let t = "关于进一步加强和改进新时代机关党建工作推动高质量发展的实施意见";
        let lines = balance(t, 20);
        let widths: Vec<f64> = lines.iter().map(|l| text_width(l)).collect();
        let (lo, hi) = widths.iter().fold((f64::MAX, 0.0f64), |(a, b), &w| (a.min(w), b.max(w)));
        assert!(hi - lo <= 3.0, "{lines:?}");
    }
}

#[cfg(test)]
mod office_width_tests {
    use super::*;
    use crate::style::Style;

    #[test]
    fn a_full_line_with_digits_is_wider_by_its_gaps() {
        let s = Style::gbt9704();
        // 18 characters and four digits: 20 em, one line by the characters
        // alone — but the two Chinese–Latin gaps (4.4 pt each) make it wider
        // than the text block, and Word and LibreOffice would wrap it.
        let t = "关于某某县民政局2025年上半年机关党建工作";
        assert_eq!(text_width(t), 20.0);
        assert_eq!(balance(t, s.title_max_chars).len(), 1);
        let lines = balance_in(t, &s);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines.concat(), t);
        // Without digits the same length stays on one line.
        let plain = "关于某某县民政局二〇二五年上半年机关党建工作";
        assert_eq!(text_width(plain), 22.0);
        let t20: String = plain.chars().take(20).collect();
        assert_eq!(balance_in(&t20, &s).len(), 1);
    }
}
