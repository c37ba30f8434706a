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

    fn pos(&self, line: usize, column: usize) -> SourcePos {
        SourcePos::new(&self.source.path, &self.source.text, line, column)
    }

    /// Where the value of `path` (or its nearest ancestor) starts.
    pub fn value(&self, path: &str) -> Option<SourcePos> {
        self.index().find(path).map(|p| self.pos(p.value.0, p.value.1))
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
