//! The one error type: every problem carries what kind of input is at fault
//! (which decides the exit status), where it is in the user's file, the
//! field, what was expected and what to do.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::tr;

/// What is at fault. Decides the exit status (documented in `--help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The data file: YAML syntax, types, values, references. Exit 2.
    Data,
    /// A template: syntax, undefined names, runaway loops, bad markup. Exit 3.
    Template,
    /// Fonts and the config file: a role's family not found, a character no
    /// font has. Exit 4.
    Font,
    /// Reading input or writing output failed. Exit 5.
    Io,
    /// A bug in jianbao itself (Typst or docx-rs rejected what we built).
    /// Exit 70.
    Internal,
}

impl ErrorKind {
    /// The process exit status for an error of this kind.
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Data => 2,
            ErrorKind::Template => 3,
            ErrorKind::Font => 4,
            ErrorKind::Io => 5,
            ErrorKind::Internal => 70,
        }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// A position in a user's file (1-based line and column, in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePos {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The text of that line, for the caret display.
    pub line_text: Option<String>,
}

impl SourcePos {
    /// A position in `source` (the file's text), 1-based line and column.
    pub fn new(file: &Path, source: &str, line: usize, column: usize) -> SourcePos {
        let line_text = source.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        SourcePos { file: file.to_owned(), line, column, line_text }
    }
}

/// One problem (or warning) with everything the user needs to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: ErrorKind,
    /// What is wrong, including what was expected and what was found.
    pub message: String,
    pub pos: Option<SourcePos>,
    /// The field path in the data (`sections[1].points[0].title`).
    pub field: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(kind: ErrorKind, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, kind, message: message.into(), pos: None, field: None, help: None }
    }

    pub fn warning(kind: ErrorKind, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(kind, message) }
    }

    pub fn note(kind: ErrorKind, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Note, ..Diagnostic::error(kind, message) }
    }

    pub fn at(mut self, pos: Option<SourcePos>) -> Diagnostic {
        self.pos = pos;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Diagnostic {
        let f = field.into();
        self.field = if f.is_empty() { None } else { Some(f) };
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// A one-line form, `file:line:col: message (field)`, for batch summaries.
    pub fn one_line(&self) -> String {
        let mut s = String::new();
        if let Some(p) = &self.pos {
            s.push_str(&format!("{}:{}:{}: ", p.file.display(), p.line, p.column));
        }
        s.push_str(&self.message);
        if let Some(f) = &self.field {
            s.push_str(&tr!(format!("（字段 {f}）"), format!(" (field {f})")));
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    /// The rustc-style form: message, `--> file:line:col`, the line with a
    /// caret under the column, then field and help.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => tr!("错误", "error"),
            Severity::Warning => tr!("警告", "warning"),
            Severity::Note => tr!("提示", "note"),
        };
        let colon = tr!("：", ": ");
        writeln!(f, "{label}{colon}{}", self.message)?;
        if let Some(p) = &self.pos {
            let num = p.line.to_string();
            let pad = " ".repeat(num.len());
            writeln!(f, "{pad}--> {}:{}:{}", p.file.display(), p.line, p.column)?;
            if let Some(text) = &p.line_text {
                let (shown, caret) = excerpt(text, p.column);
                writeln!(f, "{pad} |")?;
                writeln!(f, "{num} | {shown}")?;
                writeln!(f, "{pad} | {caret}^")?;
            }
        }
        if let Some(field) = &self.field {
            writeln!(f, "   = {}{colon}{field}", tr!("字段", "field"))?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "   = {}{colon}{help}", tr!("怎么办", "help"))?;
        }
        Ok(())
    }
}

/// Why an I/O operation failed, in Chinese (the system's own text is
/// English).
pub(crate) fn io_reason_zh(err: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let reason = match err.kind() {
        K::NotFound => "文件或文件夹不存在",
        K::PermissionDenied => "没有权限（文件可能正被其他程序打开，或文件夹只读）",
        K::AlreadyExists => "已经存在",
        K::IsADirectory => "这是文件夹，不是文件",
        K::NotADirectory => "路径中有一段不是文件夹",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "磁盘或文件夹只读",
        K::InvalidFilename => "文件名无效",
        K::DirectoryNotEmpty => "文件夹不是空的",
        _ => return format!("{err}"),
    };
    reason.to_owned()
}

/// The longest part of a source line shown (in characters): a 1 MB line
/// is shown as a window around the column.
const EXCERPT_CHARS: usize = 100;

/// The source line as it is safe to print, and the padding that puts a
/// caret under `column` (1-based, in characters). Control characters
/// would act on the terminal (a bell, a cursor move) and bidirectional
/// controls would reorder the line: they are shown as visible symbols
/// (U+0007 → ␇, others → �). Tabs are kept so the caret lines up.
fn excerpt(text: &str, column: usize) -> (String, String) {
    use unicode_width::UnicodeWidthChar;
    let chars: Vec<char> = text.chars().collect();
    let at = column.saturating_sub(1).min(chars.len());
    let (start, end) = if chars.len() <= EXCERPT_CHARS {
        (0, chars.len())
    } else {
        let start = at.saturating_sub(EXCERPT_CHARS / 2).min(chars.len() - EXCERPT_CHARS);
        (start, start + EXCERPT_CHARS)
    };
    let visible = |c: char| match c {
        '\t' => '\t',
        '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
        '\u{7F}' => '\u{2421}',
        c if c.is_control() => '\u{FFFD}',
        '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => '\u{FFFD}',
        c => c,
    };
    let mut shown = String::new();
    let mut caret = String::new();
    if start > 0 {
        shown.push('…');
        caret.push(' ');
    }
    for (i, &c) in chars[start..end].iter().enumerate() {
        let v = visible(c);
        shown.push(v);
        if start + i < at {
            if v == '\t' {
                caret.push('\t');
            } else {
                caret.push_str(&" ".repeat(v.width().unwrap_or(0)));
            }
        }
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

/// One or more error diagnostics. The first decides the exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        self.diagnostics.first().map(|d| d.kind).unwrap_or(ErrorKind::Internal)
    }

    pub fn exit_code(&self) -> i32 {
        self.kind().exit_code()
    }

    /// An I/O error about `path`.
    pub fn io(path: &Path, err: &std::io::Error) -> Error {
        Diagnostic::error(
            ErrorKind::Io,
            tr!(
                format!("无法读写 {}：{}", path.display(), io_reason_zh(err)),
                format!("cannot access {}: {}", path.display(), err)
            ),
        )
        .into()
    }

    /// An internal error: something jianbao built was rejected by a library.
    pub fn internal(message: impl Into<String>) -> Error {
        Diagnostic::error(ErrorKind::Internal, message)
            .help(tr!(
                "这是 jianbao 的缺陷，请把数据文件和这条信息报告给维护者",
                "this is a bug in jianbao: please report it with the data file"
            ))
            .into()
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Error {
        Error { diagnostics: vec![d] }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_counts_wide_characters_twice() {
        assert_eq!(excerpt("  名称: 某某", 7).1, " ".repeat(8));
        assert_eq!(excerpt("ab", 1).1, "");
    }

    #[test]
    fn control_characters_are_shown_not_sent_to_the_terminal() {
        let (shown, caret) = excerpt("a\u{7}b\u{0}c\u{202E}d\te", 9);
        assert_eq!(shown, "a␇b␀c\u{FFFD}d\te");
        assert_eq!(caret, "       \t");
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_column() {
        let line = "长".repeat(1_000_000);
        let (shown, caret) = excerpt(&line, 500_000);
        assert_eq!(shown.chars().count(), EXCERPT_CHARS + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        // The caret sits under the 500 000th character: after the
        // one-column ellipsis and the 50 wide characters before it.
        assert_eq!(caret.len(), 1 + 2 * (EXCERPT_CHARS / 2));
    }
}
