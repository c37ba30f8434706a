//! Templates: minijinja templates that turn the data into body markup.
//!
//! Built-in templates are compiled into the binary (`templates/*.j2`); a
//! folder given with `--templates DIR`, and a `templates/` folder beside the
//! data file, override them by file name (the first folder that has a file
//! wins). Every value printed with `{{ … }}` passes through
//! [`markup::escape`](crate::doc::markup::escape), so data is never markup;
//! `|safe` is the template author's explicit choice.
//!
//! A template starts with a comment holding TOML front matter:
//!
//! ```text
//! {#-
//! description = "半年工作总结"
//! description_en = "Half-year work report"
//! unit = "report"    # or "branch": one document per branches[] entry
//! -#}
//! ```

pub mod cn;
pub mod context;
mod env;
pub mod filters;
pub mod prose;

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use env::{TemplateSource, Templates};

use crate::tr;

/// Built-in templates and the shared files they import, by file name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("half-year.j2", include_str!("../../templates/half-year.j2")),
    ("media.j2", include_str!("../../templates/media.j2")),
    ("bulletin.j2", include_str!("../../templates/bulletin.j2")),
    ("branch-summary.j2", include_str!("../../templates/branch-summary.j2")),
    ("_macros.j2", include_str!("../../templates/_macros.j2")),
];

/// The file extension of a template.
pub const EXTENSION: &str = "j2";

/// What one template renders from a data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// One document per data file.
    #[default]
    Report,
    /// One document per `branches[]` entry.
    Branch,
}

/// A template's front matter.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub unit: Unit,
}

impl FrontMatter {
    /// Reads the TOML in the template's leading `{# … #}` comment; a
    /// template without one has defaults. An error gives the message (one
    /// line) and its byte offset in `source`.
    pub fn parse(source: &str) -> Result<FrontMatter, (String, usize)> {
        let start = source.len() - source.trim_start().len();
        let s = &source[start..];
        let Some(rest) = s.strip_prefix("{#") else { return Ok(FrontMatter::default()) };
        let (rest, skip) = match rest.strip_prefix('-') {
            Some(r) => (r, 3),
            None => (rest, 2),
        };
        let Some(end) = rest.find("#}") else { return Ok(FrontMatter::default()) };
        let body = rest[..end].trim_end_matches('-');
        toml::from_str(body).map_err(|e: toml::de::Error| {
            let offset = start + skip + e.span().map_or(0, |r| r.start);
            (e.message().lines().next().unwrap_or("").to_owned(), offset)
        })
    }

    /// The description in the message language.
    pub fn describe(&self) -> &str {
        if self.description_en.is_empty() { &self.description } else { tr!(&self.description, &self.description_en) }
    }
}

/// A template that can be rendered: name, where it comes from, front matter.
#[derive(Debug, Clone)]
pub struct TemplateInfo {
    pub name: String,
    pub source: TemplateSource,
    pub front: FrontMatter,
}

/// Reads the file `name` of the template folder `dir`: `Ok(None)` when it
/// does not exist (or is not text), `Err(real path)` when it is a link —
/// or inside a linked folder — that resolves outside `dir`. Templates (and
/// the layout) are read only through here, so nothing outside the
/// template folders can be read by naming it, however it is linked.
pub fn read_in_folder(dir: &Path, name: &str) -> Result<Option<String>, PathBuf> {
    let path = dir.join(name);
    let Ok(real) = std::fs::canonicalize(&path) else { return Ok(None) };
    let folder = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    if !real.starts_with(&folder) {
        return Err(real);
    }
    Ok(std::fs::read_to_string(&real).ok())
}

/// Whether `name` is a safe template file name: no folders, no `..`.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() < 200
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.contains("..")
}

/// The template folders for a data file: `--templates DIR` first, then a
/// `templates/` folder beside the data file. A `--templates` folder that
/// does not exist is an error (silently rendering with the built-ins would
/// hide the mistake).
pub fn search_dirs(explicit: Option<&Path>, data_file: Option<&Path>) -> Result<Vec<PathBuf>, crate::Error> {
    let mut dirs = Vec::new();
    if let Some(d) = explicit {
        if !d.is_dir() {
            return Err(crate::Diagnostic::error(
                crate::ErrorKind::Template,
                tr!(
                    format!("模板文件夹 {} 不存在", d.display()),
                    format!("the template folder {} does not exist", d.display())
                ),
            )
            .help(tr!("检查 --templates 后的路径", "check the path after --templates"))
            .into());
        }
        dirs.push(d.to_owned());
    }
    if let Some(parent) = data_file.and_then(Path::parent) {
        let beside = parent.join("templates");
        if beside.is_dir() && !dirs.contains(&beside) {
            dirs.push(beside);
        }
    }
    Ok(dirs)
}
