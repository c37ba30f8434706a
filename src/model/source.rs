//! Reading a data file into text: size limit, byte-order marks, the
//! encodings offices actually save (GBK from older Windows tools), and the
//! invisible characters that copy and paste brings, all before the YAML
//! parser sees the text.
//!
//! Decisions:
//! - GBK/GB18030 files are decoded, with a warning that suggests saving as
//!   UTF-8 — refusing them would only send the user to find an editor that
//!   can convert. UTF-16 with a BOM is decoded too. Anything else that is
//!   not UTF-8 is an error pointing at the first byte that is not.
//! - Control characters (which XML, and so the DOCX, cannot hold, and which
//!   the YAML parser refuses) are dealt with here, each with a warning at
//!   its position: Word's manual line break U+000B and the form feed U+000C
//!   are joined like a line break inside a value; the others are removed. A
//!   NUL byte means the file is not text.
//! - A carriage return that does not start a CRLF (classic Mac line ends,
//!   or one stray CR) is made a line feed: the YAML parser breaks lines
//!   there, so every position must count lines the same way.
//! - Flow brackets nested deeper than [`MAX_NESTING`] are refused: the YAML
//!   parser takes time quadratic in the depth, and no report needs more
//!   than a handful.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, ErrorKind, SourcePos};
use crate::tr;

/// Data files larger than this are refused: a county's half-year report
/// is a few dozen kilobytes and a whole system's 2000 branches with their
/// 20 000 activities about 9 MB; beyond 16 MB it is the wrong file.
pub const MAX_DATA_BYTES: u64 = 16 * 1024 * 1024;

/// The deepest nesting of `[ ]` / `{ }` accepted.
pub const MAX_NESTING: usize = 64;

/// A data file's text and what reading it had to say.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub warnings: Vec<Diagnostic>,
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn data_error(pos: Option<SourcePos>, message: String, help: String) -> Error {
    Diagnostic::error(ErrorKind::Data, message).at(pos).help(help).into()
}

fn whole_file(path: &Path) -> Option<SourcePos> {
    Some(SourcePos { file: path.to_owned(), line: 1, column: 1, line_text: None })
}

/// Reads `path` as a data file.
pub fn read(path: &Path) -> Result<SourceFile, Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
    if meta.is_dir() {
        return Err(data_error(
            None,
            tr!(
                format!("{} 是文件夹，不是数据文件", path.display()),
                format!("{} is a folder, not a data file", path.display())
            ),
            tr!(
                "给出一个 .yaml 文件；整个文件夹请用 jianbao batch",
                "give a .yaml file; for a whole folder use jianbao batch"
            )
            .into(),
        ));
    }
    if meta.len() > MAX_DATA_BYTES {
        let mb = meta.len() as f64 / 1048576.0;
        return Err(data_error(
            whole_file(path),
            tr!(
                format!("数据文件太大（{mb:.1} MB，上限 {} MB）", MAX_DATA_BYTES / 1048576),
                format!("the data file is too large ({mb:.1} MB, limit {} MB)", MAX_DATA_BYTES / 1048576)
            ),
            tr!(
                "检查是否选错了文件；一份报告的数据通常只有几十 KB",
                "is this the right file? report data is usually a few dozen KB"
            )
            .into(),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    decode(path, &bytes)
}

/// Decodes the bytes of a data file and cleans its characters.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<SourceFile, Error> {
    if let Some(kind) = binary_kind(bytes) {
        return Err(binary_error(path, kind));
    }
    let mut warnings = Vec::new();
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        // A UTF-8 BOM (Notepad adds one): harmless, dropped.
        utf8(path, rest)?
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(not_text(path, None));
        }
        warnings.push(
            Diagnostic::warning(
                ErrorKind::Data,
                tr!("文件是 UTF-16 编码，已转换读取", "the file is UTF-16; it was converted"),
            )
            .at(whole_file(path))
            .help(tr!("建议另存为 UTF-8 编码", "save it as UTF-8")),
        );
        text.into_owned()
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        s.to_owned()
    } else if looks_big5(bytes) {
        return Err(data_error(
            whole_file(path),
            tr!(
                "文件似乎是 Big5（繁体中文）编码：jianbao 读取 UTF-8 或 GBK 编码的文件".to_owned(),
                "the file looks Big5-encoded (traditional Chinese): jianbao reads UTF-8 or GBK files".to_owned()
            ),
            tr!("在编辑器中“另存为”，编码选 UTF-8", "save it again in your editor with the encoding UTF-8").to_owned(),
        ));
    } else if let Some(text) = gbk(bytes) {
        warnings.push(
            Diagnostic::warning(
                ErrorKind::Data,
                tr!(
                    "文件是 GBK（GB18030）编码，已按 GBK 读取",
                    "the file is GBK (GB18030) encoded; it was read as such"
                ),
            )
            .at(whole_file(path))
            .help(tr!(
                "建议在编辑器中“另存为 UTF-8”，以免个别字符出错",
                "save it as UTF-8 in your editor to avoid wrong characters"
            )),
        );
        text
    } else {
        utf8(path, bytes)?
    };
    let text = clean_controls(path, lone_cr_to_lf(text), &mut warnings)?;
    check_nesting(path, &text)?;
    Ok(SourceFile { path: path.to_owned(), text, warnings })
}

/// What kind of non-text file `bytes` is, by its first bytes (people pick
/// the Word file or the PDF instead of the YAML): a name for the message.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str, &str)] = &[
        (b"PK\x03\x04", "Word/Excel/WPS 文档或 ZIP 压缩包", "a Word, Excel or WPS document or a ZIP archive"),
        (b"%PDF", "PDF 文件", "a PDF file"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "旧版 Word/Excel/WPS 文档（.doc/.xls/.wps）",
            "an old Word, Excel or WPS document (.doc/.xls/.wps)",
        ),
        (b"\x89PNG", "PNG 图片", "a PNG picture"),
        (b"\xFF\xD8\xFF", "JPEG 图片", "a JPEG picture"),
        (b"Rar!", "RAR 压缩包", "a RAR archive"),
        (b"7z\xBC\xAF", "7z 压缩包", "a 7z archive"),
    ];
    MAGIC.iter().find(|(m, _, _)| bytes.starts_with(m)).map(|(_, zh, en)| tr!(*zh, *en))
}

fn binary_error(path: &Path, kind: &str) -> Error {
    data_error(
        whole_file(path),
        tr!(format!("这不是 YAML 数据文件，而是{kind}"), format!("this is not a YAML data file but {kind}")),
        tr!(
            "给出 .yaml 数据文件（用记事本、VS Code 等文本编辑器编辑）；jianbao init 可生成示例",
            "give the .yaml data file (edited in a text editor); jianbao init makes a sample"
        )
        .to_owned(),
    )
}

/// Big5 (traditional Chinese) bytes, which GBK would read without an error
/// but as nonsense: GB 2312 characters — nearly all of any simplified text
/// — never have a second byte below 0xA1, while about a third of Big5
/// characters do. Checked only on what is not UTF-8.
fn looks_big5(bytes: &[u8]) -> bool {
    let (mut pairs, mut low_trail) = (0usize, 0usize);
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] >= 0x81 {
            pairs += 1;
            low_trail += usize::from(bytes[i + 1] < 0xA1);
            i += 2;
        } else {
            i += 1;
        }
    }
    pairs >= 8 && low_trail * 5 >= pairs && {
        let (_, _, had_errors) = encoding_rs::BIG5.decode(bytes);
        !had_errors
    }
}

/// GBK text: decodes without errors, has no NUL, and has Chinese in it.
fn gbk(bytes: &[u8]) -> Option<String> {
    if bytes.contains(&0) {
        return None;
    }
    let text = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)?;
    text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)).then(|| text.into_owned())
}

/// UTF-8, or an error at the first byte that is not.
fn utf8(path: &Path, bytes: &[u8]) -> Result<String, Error> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => {
            let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            // Lines end at a lone CR too, as everywhere else.
            let good = lone_cr_to_lf(good.to_owned());
            let (line, column) = line_col(&good, good.len());
            let line_text = good.rsplit('\n').next().map(str::to_owned);
            Err(not_text(path, Some(SourcePos { file: path.to_owned(), line, column, line_text })))
        }
    }
}

fn not_text(path: &Path, at: Option<SourcePos>) -> Error {
    let located = at.is_some();
    data_error(
        at.or_else(|| whole_file(path)),
        if located {
            tr!(
                "这里的字节不是 UTF-8 编码：文件不是 UTF-8 或 GBK 编码的 YAML 文本".to_string(),
                "this byte is not UTF-8: the file is not UTF-8 or GBK YAML text".to_string()
            )
        } else {
            tr!(
                format!("{} 不是文本文件（不是 UTF-8 或 GBK 编码的 YAML）", path.display()),
                format!("{} is not a text file (not UTF-8 or GBK YAML)", path.display())
            )
        },
        tr!(
            "在编辑器中另存为 UTF-8 编码的文本；Word 或 Excel 文件不能直接使用",
            "save it as UTF-8 text in your editor; Word or Excel files cannot be used directly"
        )
        .into(),
    )
}

/// `text` with each CR that is not followed by a LF made a LF.
fn lone_cr_to_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(if c == '\r' && chars.peek() != Some(&'\n') { '\n' } else { c });
    }
    out
}

/// Joins the text around U+000B/U+000C and removes other control
/// characters, with a warning at each place; a NUL means binary data.
fn clean_controls(path: &Path, text: String, warnings: &mut Vec<Diagnostic>) -> Result<String, Error> {
    let is_bad = |c: char| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}');
    if !text.contains(is_bad) {
        return Ok(text);
    }
    let mut out = String::with_capacity(text.len());
    for (offset, c) in text.char_indices() {
        if !is_bad(c) {
            out.push(c);
            continue;
        }
        let (line, column) = line_col(&text, offset);
        let pos = Some(SourcePos::new(path, &text, line, column));
        if c == '\0' {
            return Err(Diagnostic::error(
                ErrorKind::Data,
                tr!("文件中有空字符（NUL）：这不是文本文件", "the file holds a NUL byte: it is not a text file"),
            )
            .at(pos)
            .help(tr!("数据文件应是 UTF-8 编码的 YAML 文本", "a data file is YAML text in UTF-8"))
            .into());
        }
        let code = format!("U+{:04X}", c as u32);
        if matches!(c, '\u{0B}' | '\u{0C}') {
            // A line break inside a value: joined as the markup joins lines
            // (nothing between Chinese characters, a space between words) —
            // a real newline here could break the YAML's indentation.
            let prev = out.chars().last().unwrap_or(' ');
            let next = text[offset + c.len_utf8()..].chars().next().unwrap_or(' ');
            if prev.is_ascii_alphanumeric() && next.is_ascii_alphanumeric() {
                out.push(' ');
            }
            warnings.push(
                Diagnostic::warning(
                    ErrorKind::Data,
                    tr!(
                        format!("删除了不可见的换行符 {code}（如从 Word 复制的手动换行），前后文字已连接"),
                        format!("removed the invisible line break {code} (e.g. Word's manual line break); the text on both sides was joined")
                    ),
                )
                .at(pos),
            );
        } else {
            warnings.push(
                Diagnostic::warning(
                    ErrorKind::Data,
                    tr!(
                        format!("删除了不可见的控制字符 {code}"),
                        format!("removed the invisible control character {code}")
                    ),
                )
                .at(pos)
                .help(tr!(
                    "这类字符文档中无法保存，通常是复制粘贴带来的",
                    "documents cannot hold it; it usually comes from copy and paste"
                )),
            );
        }
    }
    Ok(out)
}

/// Refuses flow collections (`[ ]`, `{ }`) nested deeper than
/// [`MAX_NESTING`], outside quotes and comments.
fn check_nesting(path: &Path, text: &str) -> Result<(), Error> {
    let (mut depth, mut quote, mut comment, mut prev) = (0usize, None::<char>, false, ' ');
    for (offset, c) in text.char_indices() {
        match (quote, c) {
            (_, '\n') => {
                comment = false;
                if quote.is_none() {
                    prev = c;
                    continue;
                }
            }
            _ if comment => {}
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '#') if prev.is_whitespace() => comment = true,
            (None, '"' | '\'') if !prev.is_alphanumeric() => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    let (line, column) = line_col(text, offset);
                    return Err(Diagnostic::error(
                        ErrorKind::Data,
                        tr!(
                            format!("括号嵌套太深（超过 {MAX_NESTING} 层）"),
                            format!("brackets are nested too deep (more than {MAX_NESTING} levels)")
                        ),
                    )
                    .at(Some(SourcePos::new(path, text, line, column)))
                    .help(tr!(
                        "检查是否选错了文件，或括号 [ ] { } 是否成对",
                        "is this the right file? check that [ ] { } are paired"
                    ))
                    .into());
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let p = Path::new("x.yaml");
        assert_eq!(decode(p, "a: 中".as_bytes()).unwrap().text, "a: 中");
        assert_eq!(decode(p, b"\xEF\xBB\xBFa: 1").unwrap().text, "a: 1");
        let (gbk, _, _) = encoding_rs::GBK.encode("title: 县民政局工作总结");
        let s = decode(p, &gbk).unwrap();
        assert_eq!(s.text, "title: 县民政局工作总结");
        assert_eq!(s.warnings.len(), 1);
        assert!(decode(p, b"\x00\x01\x02binary").is_err());
        let e = decode(p, b"a: 1\nb: caf\xE9!\n").unwrap_err();
        let pos = e.diagnostics[0].pos.clone().unwrap();
        assert_eq!((pos.line, pos.column), (2, 7));
    }

    #[test]
    fn controls_become_line_breaks_or_go() {
        let s = decode(Path::new("x.yaml"), "a: 甲\u{0B}乙\u{07}丙 x\u{0C}y\n".as_bytes()).unwrap();
        assert_eq!(s.text, "a: 甲乙丙 x y\n");
        assert_eq!(s.warnings.len(), 3);
        assert!(decode(Path::new("x.yaml"), b"a: 1\x00\n").is_err());
    }

    #[test]
    fn lone_carriage_returns_are_line_breaks() {
        // Found by fuzzing (fuzz/README.md): YAML breaks lines at a lone CR,
        // so an error after one was reported on a line the file did not have.
        let s = decode(Path::new("x.yaml"), b"a: 1\rb: 2\r\nc: 3\r").unwrap();
        assert_eq!(s.text, "a: 1\nb: 2\r\nc: 3\n");
        let e = crate::model::parse(decode(Path::new("x.yaml"), b"\r&A").unwrap(), Default::default()).unwrap_err();
        let pos = e.diagnostics[0].pos.clone().unwrap();
        assert_eq!((pos.line, pos.line_text.as_deref()), (2, Some("&A")));
        let e = decode(Path::new("x.yaml"), b"a: 1\r\rb: caf\xE9").unwrap_err();
        let pos = e.diagnostics[0].pos.clone().unwrap();
        assert_eq!((pos.line, pos.column, pos.line_text.as_deref()), (3, 7, Some("b: caf")));
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let e = decode(Path::new("x.yaml"), deep.as_bytes()).unwrap_err();
        assert_eq!(e.diagnostics[0].pos.as_ref().unwrap().column, 4 + MAX_NESTING);
        assert!(decode(Path::new("x.yaml"), b"a: \"[[[[\" # {{{{\nb: [[1]]\n").is_ok());
    }

    #[test]
    fn positions() {
        assert_eq!(line_col("ab\n中c", 6), (2, 2));
        assert_eq!(line_col("", 0), (1, 1));
    }
}
