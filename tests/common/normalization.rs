//! The normalisation jianbao documents for data strings
//! (`src/model/normalize.rs`), restated from its docs — never by calling
//! that code — for the tests that compare printed text with the input
//! (`hostile.rs`, `properties.rs`).

/// A Chinese character for the punctuation rule: ideographs, CJK
/// punctuation and full-width forms.
pub fn is_chinese(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// `normalize.rs`: controls, line separators, and with `punctuation` the
/// look-alike punctuation.
pub fn after_normalize(s: &str, punctuation: bool) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        match c {
            '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            '∙' | '•'
                if punctuation
                    && prev.is_some_and(|p| !p.is_whitespace())
                    && next.is_some_and(|n| !n.is_whitespace()) =>
            {
                out.push('·')
            }
            ',' | ';' | ':' if punctuation && prev.is_some_and(is_chinese) && next.is_some_and(is_chinese) => {
                out.push(match c {
                    ',' => '，',
                    ';' => '；',
                    _ => '：',
                })
            }
            c => out.push(c),
        }
    }
    close_open_bidi(&out)
}

/// Bidi embeddings/overrides and isolates still open at a line's end get
/// their closers (innermost first), as UAX #9 pairs them.
pub fn close_open_bidi(s: &str) -> String {
    let mut out = String::new();
    let mut open: Vec<char> = Vec::new(); // the closer each needs
    let close = |open: &mut Vec<char>, out: &mut String| {
        while let Some(c) = open.pop() {
            out.push(c);
        }
    };
    for c in s.chars() {
        match c {
            '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' => open.push('\u{202C}'),
            '\u{2066}'..='\u{2068}' => open.push('\u{2069}'),
            '\u{202C}' if open.last() == Some(&'\u{202C}') => {
                open.pop();
            }
            '\u{2069}' if open.contains(&'\u{2069}') => while open.pop() != Some('\u{2069}') {},
            '\n' | '\r' => close(&mut open, &mut out),
            _ => {}
        }
        out.push(c);
    }
    close(&mut open, &mut out);
    out
}
