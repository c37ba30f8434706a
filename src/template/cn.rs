//! Chinese number forms: numerals (3 → 三), heading ordinals (一、（一）
//! 1. （1）) and quantities with qualifiers (1260余户, 约2140万元, 近20次).

use crate::style::Numbering;

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// A whole number in Chinese numerals, as written in running text and
/// ordinals: 3 → 三, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五,
/// 1010 → 一千零一十, 20000 → 二万.
pub fn numeral(n: u64) -> String {
    if n == 0 {
        return "零".into();
    }
    // Split into groups of four digits (个, 万, 亿, 万亿).
    const GROUP_UNITS: [&str; 4] = ["", "万", "亿", "万亿"];
    let mut groups = Vec::new();
    let mut m = n;
    while m > 0 {
        groups.push((m % 10_000) as u32);
        m /= 10_000;
    }
    let mut out = String::new();
    let mut zero_pending = false;
    for (i, &g) in groups.iter().enumerate().rev() {
        if g == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if zero_pending || (!out.is_empty() && g < 1000) {
            out.push('零');
        }
        zero_pending = false;
        out.push_str(&group(g, out.is_empty()));
        out.push_str(GROUP_UNITS.get(i).copied().unwrap_or(""));
    }
    out
}

/// Four digits in numerals; `leading` drops the 一 of a leading 一十 (十二).
fn group(g: u32, leading: bool) -> String {
    const UNITS: [&str; 4] = ["千", "百", "十", ""];
    let digits = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
    let mut out = String::new();
    let mut zero = false;
    let first = digits.iter().position(|&d| d != 0).unwrap_or(3);
    for (i, &d) in digits.iter().enumerate().skip(first) {
        if d == 0 {
            zero = true;
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        if !(leading && i == 2 && d == 1 && out.is_empty()) {
            out.push(DIGITS[d as usize]);
        }
        out.push_str(UNITS[i]);
    }
    out
}

/// The ordinal that numbers heading `n` (1-based) in a numbering format.
pub fn ordinal(n: u64, numbering: Numbering) -> String {
    match numbering {
        Numbering::CnComma => format!("{}、", numeral(n)),
        Numbering::CnParen => format!("（{}）", numeral(n)),
        Numbering::ArabicDot => format!("{n}."),
        Numbering::ArabicParen => format!("（{n}）"),
    }
}

/// Qualifiers that stand before the number (近20次) …
const PREFIX_QUALIFIERS: [&str; 6] = ["近", "约", "超", "逾", "超过", "不到"];
/// … and those that stand after it, before the unit (20余次).
const SUFFIX_QUALIFIERS: [&str; 3] = ["余", "多", "以上"];

/// Every qualifier a metric may carry, for validation messages.
pub fn qualifiers() -> Vec<&'static str> {
    PREFIX_QUALIFIERS.iter().chain(SUFFIX_QUALIFIERS.iter()).copied().collect()
}

/// Whether `q` is a known qualifier.
pub fn is_qualifier(q: &str) -> bool {
    PREFIX_QUALIFIERS.contains(&q) || SUFFIX_QUALIFIERS.contains(&q)
}

/// A quantity as written in reports: `1260余户`, `约2140万元`, `近20次`,
/// `20次以上`. Unknown qualifiers are rejected by validation before this.
pub fn quantity(value: &str, unit: &str, qualifier: &str) -> String {
    match qualifier {
        "以上" => format!("{value}{unit}以上"),
        q if SUFFIX_QUALIFIERS.contains(&q) => format!("{value}{q}{unit}"),
        q => format!("{q}{value}{unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        let cases = [
            (1, "一"),
            (3, "三"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1010, "一千零一十"),
            (2025, "二千零二十五"),
            (10_000, "一万"),
            (20_000, "二万"),
            (100_010, "十万零一十"),
            (1_000_001, "一百万零一"),
            (0, "零"),
        ];
        for (n, s) in cases {
            assert_eq!(numeral(n), s, "{n}");
        }
    }

    #[test]
    fn ordinals_and_quantities() {
        assert_eq!(ordinal(3, Numbering::CnComma), "三、");
        assert_eq!(ordinal(11, Numbering::CnParen), "（十一）");
        assert_eq!(ordinal(2, Numbering::ArabicDot), "2.");
        assert_eq!(ordinal(4, Numbering::ArabicParen), "（4）");
        assert_eq!(quantity("1260", "户", "余"), "1260余户");
        assert_eq!(quantity("2140", "万元", "约"), "约2140万元");
        assert_eq!(quantity("20", "次", "近"), "近20次");
        assert_eq!(quantity("20", "次", ""), "20次");
        assert_eq!(quantity("20", "次", "以上"), "20次以上");
    }
}
