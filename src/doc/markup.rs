//! The body markup templates write, and the escaping that keeps data out of
//! it.
//!
//! The markup is line-based and small on purpose (see the module docs of
//! [`crate::doc`] for the grammar). Its two guarantees:
//!
//! - **Data is never markup.** The template environment's autoescape runs
//!   every data value through [`escape`]: each markup character gets a
//!   backslash, and line breaks in the data become the inline token `\p`
//!   (paragraph break) or are joined — so data can never start a line, and
//!   no line-start syntax (`#`, `:::`, `|`) can come from data.
//! - **Chinese lines join without a space.** Two lines of one paragraph are
//!   joined with nothing between them unless both sides are Latin letters or
//!   digits ([`join_lines`]).

/// The ASCII characters the markup gives a meaning to. [`escape`] puts a
/// backslash before each; the parser takes `\` + any ASCII punctuation as
/// that character literally. (`-`: table cells of dashes are the column
/// alignment row; fuzzing found a data row of `-` read as one.)
pub const SPECIALS: &[char] = &['\\', '*', '#', '|', ':', '-', '`', '[', ']', '<', '>', '_', '~'];

/// The inline token for a paragraph break that came from data (a blank
/// line inside a YAML text). In body text it starts a new paragraph;
/// elsewhere (titles, table cells, fields) it joins like a line break.
pub const PARAGRAPH_BREAK: &str = "\\p";

/// Whether `c` is written in Latin script terms (letters, digits) so that a
/// line break next to it means a space.
fn is_latin_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (c.is_alphabetic() && (c as u32) < 0x2E80)
}

/// Joins two lines of one paragraph: nothing between them, except one space
/// between two Latin words (`Typst` + `PDF`).
pub fn join_lines(out: &mut String, next: &str) {
    let next = next.trim();
    if next.is_empty() {
        return;
    }
    if let (Some(a), Some(b)) = (out.chars().last(), next.chars().next())
        && is_latin_word_char(a)
        && is_latin_word_char(b)
    {
        out.push(' ');
    }
    out.push_str(next);
}

/// The lines of a data string: split at `\n`, `\r\n` and a lone `\r` (a
/// `\r` left inside a line would reach the backends, which break the line
/// there, where the markup's rule joins it).
fn lines(data: &str) -> impl Iterator<Item = &str> {
    data.split('\n').flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
}

/// Escapes a data string for the body markup.
///
/// Line endings (`\n`, `\r\n` and a lone `\r`) are normalised; blank
/// lines (paragraph breaks) become
/// [`PARAGRAPH_BREAK`]; single line breaks are joined by [`join_lines`];
/// tabs become spaces; leading and trailing white space of each paragraph
/// is dropped. Every [`SPECIALS`] character is prefixed with `\`.
pub fn escape(data: &str) -> String {
    let mut out = String::with_capacity(data.len() + 8);
    let mut paragraph = String::new();
    let mut first = true;
    let mut flush = |paragraph: &mut String, out: &mut String| {
        if paragraph.is_empty() {
            return;
        }
        if !first {
            out.push_str(PARAGRAPH_BREAK);
        }
        first = false;
        for c in paragraph.chars() {
            if SPECIALS.contains(&c) {
                out.push('\\');
            }
            out.push(c);
        }
        paragraph.clear();
    };
    for line in lines(data) {
        let line = line.replace('\t', " ");
        if line.trim().is_empty() {
            flush(&mut paragraph, &mut out);
        } else {
            join_lines(&mut paragraph, &line);
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

/// The text a data string prints as, once escaped and parsed: what tests
/// and the coverage check compare with. Paragraphs are joined with nothing
/// between them.
pub fn printed_form(data: &str) -> String {
    let mut out = String::new();
    for para in lines(data).fold(vec![String::new()], |mut acc, line| {
        let line = line.replace('\t', " ");
        if line.trim().is_empty() {
            acc.push(String::new());
        } else if let Some(last) = acc.last_mut() {
            join_lines(last, &line);
        }
        acc
    }) {
        out.push_str(&para);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_line_breaks() {
        assert_eq!(escape("**x** #1 | a:b"), r"\*\*x\*\* \#1 \| a\:b");
        assert_eq!(escape("第一段\n续行\n\n第二段\n"), r"第一段续行\p第二段");
        assert_eq!(escape("Typst\nPDF"), "Typst PDF");
        assert_eq!(escape("  \n\n"), "");
        assert_eq!(escape(r"a\b"), r"a\\b");
        // A lone carriage return is a line break like any other.
        assert_eq!(escape("甲\r乙\r\r丙\r\n丁"), r"甲乙\p丙丁");
        assert_eq!(printed_form("a\rb"), "a b");
    }

    #[test]
    fn printed_form_matches_escape_semantics() {
        assert_eq!(printed_form("第一段\n续行\n\n第二段\n"), "第一段续行第二段");
        assert_eq!(printed_form("  x\ty  "), "x y");
    }
}
