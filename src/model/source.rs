//! Reading a data file into text: size limit, byte-order marks, and the
//! encodings offices actually save (GBK from older Windows tools).
//!
//! Decision: GBK/GB18030 files are decoded, with a warning that suggests
//! saving as UTF-8 — refusing them would only send the user to find an
//! editor that can convert. UTF-16 with a BOM is decoded too. Anything
//! else that is not UTF-8 (binary files, other encodings) is an error.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, ErrorKind};
use crate::tr;

/// Data files larger than this are refused: a half-year report is a few
/// dozen kilobytes; megabytes mean the wrong file.
pub const MAX_DATA_BYTES: u64 = 8 * 1024 * 1024;

/// A data file's text and what reading it had to say.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub warnings: Vec<Diagnostic>,
}

fn data_error(path: &Path, message: String, help: String) -> Error {
    Diagnostic::error(ErrorKind::Data, message)
        .at(Some(crate::error::SourcePos { file: path.to_owned(), line: 1, column: 1, line_text: None }))
        .help(help)
        .into()
}

/// Reads `path` as a data file.
pub fn read(path: &Path) -> Result<SourceFile, Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
    if meta.is_dir() {
        return Err(data_error(
            path,
            tr!(
                format!("{} 是文件夹，不是数据文件", path.display()),
                format!("{} is a folder, not a data file", path.display())
            ),
            tr!("给出一个 .yaml 文件", "give a .yaml file").into(),
        ));
    }
    if meta.len() > MAX_DATA_BYTES {
        return Err(data_error(
            path,
            tr!(
                format!(
                    "数据文件太大（{:.1} MB，上限 {} MB）",
                    meta.len() as f64 / 1048576.0,
                    MAX_DATA_BYTES / 1048576
                ),
                format!(
                    "the data file is too large ({:.1} MB, limit {} MB)",
                    meta.len() as f64 / 1048576.0,
                    MAX_DATA_BYTES / 1048576
                )
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

/// Decodes the bytes of a data file.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<SourceFile, Error> {
    let mut warnings = Vec::new();
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        // A UTF-8 BOM (Notepad adds one): harmless, dropped.
        utf8(path, rest)?
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(not_text(path));
        }
        warnings.push(
            Diagnostic::warning(
                ErrorKind::Data,
                tr!("文件是 UTF-16 编码，已转换读取", "the file is UTF-16; it was converted"),
            )
            .help(tr!("建议另存为 UTF-8 编码", "save it as UTF-8")),
        );
        text.into_owned()
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        s.to_owned()
    } else if bytes.contains(&0) {
        return Err(not_text(path));
    } else {
        match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(text) if text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) => {
                warnings.push(
                    Diagnostic::warning(
                        ErrorKind::Data,
                        tr!(
                            "文件是 GBK（GB18030）编码，已按 GBK 读取",
                            "the file is GBK (GB18030) encoded; it was read as such"
                        ),
                    )
                    .help(tr!(
                        "建议在编辑器中“另存为 UTF-8”，以免个别字符出错",
                        "save it as UTF-8 in your editor to avoid wrong characters"
                    )),
                );
                text.into_owned()
            }
            _ => return Err(not_text(path)),
        }
    };
    if text.contains('\0') {
        return Err(not_text(path));
    }
    Ok(SourceFile { path: path.to_owned(), text, warnings })
}

fn utf8(path: &Path, bytes: &[u8]) -> Result<String, Error> {
    std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| not_text(path))
}

fn not_text(path: &Path) -> Error {
    data_error(
        path,
        tr!(
            format!("{} 不是文本文件（不是 UTF-8 或 GBK 编码的 YAML）", path.display()),
            format!("{} is not a text file (not UTF-8 or GBK YAML)", path.display())
        ),
        tr!(
            "数据文件应是 UTF-8 编码的 YAML 文本；Word 或 Excel 文件不能直接使用",
            "a data file is YAML text in UTF-8; Word or Excel files cannot be used directly"
        )
        .into(),
    )
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
        assert!(decode(p, &[0xFF, 0xFF, 0x80, 0x81, 0xFE]).is_err());
    }
}
