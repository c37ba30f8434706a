//! `jianbao.toml`: the office's own fonts for each role, where to find
//! them, and how the DOCX names or carries fonts.
//!
//! ```toml
//! [fonts]
//! title = "方正小标宋简体"
//! fang = "仿宋_GB2312"
//! hei = "黑体"
//! kai = "楷体_GB2312"
//! song = "宋体"
//! paths = ["D:/字体"]      # searched before the system's font folders
//!
//! [docx]
//! fonts = "office"          # office | bundled | embed
//! ```
//!
//! The file is found beside the data file or given with `--config FILE`;
//! command-line options win over it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Role;
use crate::error::{Diagnostic, Error, ErrorKind, SourcePos};
use crate::tr;

/// The name of the config file looked for beside the data file.
pub const FILE_NAME: &str = "jianbao.toml";

/// How the DOCX deals with fonts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocxFontMode {
    /// Name the fonts a Chinese office has (仿宋, 黑体, 楷体, 宋体,
    /// 方正小标宋简体), or the configured families.
    #[default]
    Office,
    /// Name the bundled free fonts (for machines that only have those).
    Bundled,
    /// Name the fonts actually used and embed them, subset.
    Embed,
}

/// The `[fonts]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontsSection {
    pub title: Option<String>,
    pub song: Option<String>,
    pub hei: Option<String>,
    pub fang: Option<String>,
    pub kai: Option<String>,
    #[serde(default)]
    pub paths: Vec<PathBuf>,
}

/// The `[docx]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocxSection {
    #[serde(default)]
    pub fonts: Option<DocxFontMode>,
}

/// A parsed `jianbao.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub fonts: FontsSection,
    #[serde(default)]
    pub docx: DocxSection,
    /// Where the file was read from (relative font paths are relative to it).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl Config {
    /// The families the config maps roles to.
    pub fn role_families(&self) -> BTreeMap<Role, String> {
        let f = &self.fonts;
        [
            (Role::Title, &f.title),
            (Role::Song, &f.song),
            (Role::Hei, &f.hei),
            (Role::Fang, &f.fang),
            (Role::Kai, &f.kai),
        ]
        .into_iter()
        .filter_map(|(r, v)| v.as_ref().filter(|s| !s.trim().is_empty()).map(|s| (r, s.trim().to_owned())))
        .collect()
    }

    /// Font folders of the config, relative ones resolved against the
    /// config file's folder.
    pub fn font_paths(&self) -> Vec<PathBuf> {
        let base = self.path.as_deref().and_then(Path::parent).unwrap_or(Path::new("."));
        self.fonts.paths.iter().map(|p| if p.is_absolute() { p.clone() } else { base.join(p) }).collect()
    }

    /// Reads `path`.
    pub fn read(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        let mut config: Config = toml::from_str(&text).map_err(|e: toml::de::Error| {
            let (line, column) = crate::model::source::line_col(&text, e.span().map_or(0, |r| r.start));
            Error::from(
                Diagnostic::error(
                    ErrorKind::Font,
                    tr!(
                        format!("配置文件有误：{}", crate::i18n::toml_message_zh(e.message().lines().next().unwrap_or(""))),
                        format!("the config file is invalid: {}", e.message().lines().next().unwrap_or(""))
                    ),
                )
                .at(Some(SourcePos::new(path, &text, line, column)))
                .help(tr!(
                    "[fonts] 下可写 title song hei fang kai paths；[docx] 下可写 fonts = \"office\"|\"bundled\"|\"embed\"",
                    "[fonts] takes title song hei fang kai paths; [docx] takes fonts = \"office\"|\"bundled\"|\"embed\""
                )),
            )
        })?;
        config.path = Some(path.to_owned());
        Ok(config)
    }

    /// The config for a data file: `explicit` if given, else `jianbao.toml`
    /// beside the data file if there is one, else the defaults.
    pub fn find(explicit: Option<&Path>, data_file: Option<&Path>) -> Result<Config, Error> {
        if let Some(p) = explicit {
            return Config::read(p);
        }
        let beside = data_file.and_then(Path::parent).map(|d| d.join(FILE_NAME));
        match beside {
            Some(p) if p.is_file() => Config::read(&p),
            _ => Ok(Config::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_roles_paths_and_docx_mode() {
        let c: Config = toml::from_str(
            "[fonts]\ntitle = \"方正小标宋简体\"\nfang = \"仿宋_GB2312\"\npaths = [\"fonts\"]\n[docx]\nfonts = \"embed\"\n",
        )
        .unwrap();
        assert_eq!(c.role_families()[&Role::Fang], "仿宋_GB2312");
        assert_eq!(c.role_families().len(), 2);
        assert_eq!(c.docx.fonts, Some(DocxFontMode::Embed));
        assert!(toml::from_str::<Config>("[fonts]\nfnag = \"x\"\n").is_err());
    }
}
