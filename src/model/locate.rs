//! Field path → position in the user's file, built on first use.

use std::sync::OnceLock;

use super::positions::PositionIndex;
use super::source::SourceFile;
use crate::error::SourcePos;

/// Answers "where in the file is this field?" for messages about data that
/// parsed fine. The position index is built only when first asked.
pub struct Locator<'a> {
    source: &'a SourceFile,
    index: OnceLock<PositionIndex>,
}

impl<'a> Locator<'a> {
    pub fn new(source: &'a SourceFile) -> Locator<'a> {
        Locator { source, index: OnceLock::new() }
    }

    fn index(&self) -> &PositionIndex {
        self.index.get_or_init(|| PositionIndex::build(&self.source.text))
    }

    /// The position, kept inside the text: at the end of a file that does
    /// not end in a line break, the YAML parsers report the start of the
    /// line after the last one, which the file does not have; that is the
    /// end of the last line.
    fn pos(&self, line: usize, column: usize) -> SourcePos {
        let text = &self.source.text;
        let last = text.matches('\n').count() + 1;
        let (line, column) = if line > last { (last, usize::MAX) } else { (line.max(1), column.max(1)) };
        // Past the end of its line: just after the line's last character.
        let len = text.split('\n').nth(line - 1).map_or(0, |l| l.chars().count());
        SourcePos::new(&self.source.path, text, line, column.min(len + 1))
    }

    /// Where the value of `path` (or its nearest ancestor) starts.
    pub fn value(&self, path: &str) -> Option<SourcePos> {
        self.index().find(path).map(|p| self.pos(p.value.0, p.value.1))
    }

    /// Where in the value of `path` the first character that `is_it`
    /// accepts is (`is_it` sees the characters before and after too), as
    /// written in the file: a warning about one character of a long text
    /// points at that character, not at the start of the text. The value
    /// ends where a later line is indented less than its key's column
    /// (where its sibling or parent keys begin). Falls back to the value's
    /// start when the character is not written literally (an escape).
    pub fn char_in_value(
        &self,
        path: &str,
        is_it: impl Fn(Option<char>, char, Option<char>) -> bool,
    ) -> Option<SourcePos> {
        let p = self.index().find(path)?;
        let (key_line, key_col) = p.key.unwrap_or(p.value);
        let text = &self.source.text;
        let mut found = None;
        'lines: for (i, line) in text.split('\n').enumerate().skip(p.value.0 - 1) {
            let first = i + 1 == p.value.0;
            let indent = line.chars().take_while(|c| *c == ' ').count();
            if !first && i + 1 > key_line && !line.trim().is_empty() && indent + 1 < key_col {
                break;
            }
            let chars: Vec<char> = line.chars().collect();
            let start = if first { p.value.1 - 1 } else { 0 };
            for j in start..chars.len() {
                let prev = j.checked_sub(1).map(|k| chars[k]);
                if is_it(prev, chars[j], chars.get(j + 1).copied()) {
                    found = Some((i + 1, j + 1));
                    break 'lines;
                }
            }
        }
        let (line, column) = found.unwrap_or(p.value);
        Some(self.pos(line, column))
    }

    /// Where the key of `path` is (its value's position if it has no key).
    pub fn key(&self, path: &str) -> Option<SourcePos> {
        self.index().find(path).map(|p| {
            let (l, c) = p.key.unwrap_or(p.value);
            self.pos(l, c)
        })
    }

    /// A position from a line and column the YAML parser reported.
    pub fn at(&self, line: usize, column: usize) -> SourcePos {
        self.pos(line, column)
    }

    pub fn source(&self) -> &SourceFile {
        self.source
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn source(text: &str) -> SourceFile {
        SourceFile { path: PathBuf::from("x.yaml"), text: text.into(), warnings: Vec::new() }
    }

    #[test]
    fn parser_positions_stay_inside_the_text() {
        // Found by fuzzing (fuzz/README.md): a key without a colon on a
        // last line with no line break is reported on the line after it.
        let s = source("a: 1\ntitel");
        let loc = Locator::new(&s);
        let p = loc.at(3, 1);
        assert_eq!((p.line, p.column, p.line_text.as_deref()), (2, 6, Some("titel")));
        let p = loc.at(1, 99);
        assert_eq!((p.line, p.column), (1, 5));
        // The end of a file that ends in a line break is the empty line after it.
        let s = source("a: 1\ntitel\n");
        let p = Locator::new(&s).at(3, 1);
        assert_eq!((p.line, p.column), (3, 1));
        let p = Locator::new(&s).at(2, 3);
        assert_eq!((p.line, p.column), (2, 3));
        // The same for positions from the index: an empty document after a
        // last `---` with no line break.
        let text = "organization:\n  name: 甲\nperiod:\n  label: 乙\n---\ntit\n---";
        let e = crate::model::parse(source(text), Default::default()).unwrap_err();
        let p = e.diagnostics[0].pos.clone().unwrap();
        assert_eq!((p.line, p.column), (7, 4), "{}", e.diagnostics[0]);
    }
}
