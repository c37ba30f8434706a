//! Fonts are roles: templates ask for `song`, `hei`, `fang`, `kai` or
//! `title`, never for a file. A [`FontSet`] is loaded once per process and
//! says, for each role, which families draw it (the role's font, then the
//! bundled font of the role, then the fallback, then the emoji font), and
//! whether it has a real bold face.

mod bundled;
pub mod config;
pub mod coverage;
pub mod lookup;
mod ranges;
mod role;
pub mod subset;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Serialize;
use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontWeight};
use typst::utils::LazyHash;

pub use bundled::{BUNDLED, EMOJI_FAMILY, FALLBACK_FAMILY, ROLE_FAMILIES};
pub use config::{Config, DocxFontMode};
pub use coverage::Drawn;
pub use role::Role;

use crate::error::{Diagnostic, Error, ErrorKind};
use crate::tr;
use ranges::CodePoints;

/// Where to look for the office's fonts and which families the roles use.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// Families for roles (from `jianbao.toml`).
    pub families: BTreeMap<Role, String>,
    /// Font folders to search first (`--font-path`, the config's `paths`).
    pub paths: Vec<PathBuf>,
    /// The config file the families come from (for error positions).
    pub config_file: Option<PathBuf>,
}

/// Where in the config file `role` is given (`fang = "仿宋_GB2312"`).
fn role_position(config: &std::path::Path, role: Role) -> Option<crate::error::SourcePos> {
    let text = std::fs::read_to_string(config).ok()?;
    let (line, l) = text.lines().enumerate().find(|(_, l)| {
        l.trim_start().strip_prefix(role.name()).is_some_and(|rest| rest.trim_start().starts_with('='))
    })?;
    let column = l.find('=').map_or(1, |i| l[..i].chars().count() + 1);
    let value = l[l.find('=')? + 1..].chars().take_while(|c| c.is_whitespace()).count();
    Some(crate::error::SourcePos::new(config, &text, line + 1, column + 1 + value))
}

/// Where a font file comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Compiled into jianbao.
    Bundled,
    /// From `--font-path`.
    User,
    /// From the system's font folders.
    System,
}

/// One loaded font face and where it came from.
#[derive(Debug, Clone)]
pub struct Face {
    pub font: Font,
    pub file: String,
    pub origin: Origin,
}

/// The fonts a role is drawn with: families in order of preference.
#[derive(Debug, Clone, Serialize)]
pub struct RoleFonts {
    /// Family names as Typst knows them, the fallback and the emoji font
    /// last.
    pub families: Vec<String>,
    /// The weight asked of the first family (700 for the bundled title).
    pub weight: u16,
    /// Whether the first family has a bold face; if not, bold is
    /// synthesised in the PDF.
    pub has_bold: bool,
}

/// All fonts of a process, with the role assignments.
pub struct FontSet {
    pub faces: Vec<Face>,
    pub book: LazyHash<FontBook>,
    pub roles: BTreeMap<Role, RoleFonts>,
    /// The family names the configuration asked for, by role, as written
    /// (the DOCX names these).
    pub configured: BTreeMap<Role, String>,
    /// What `drawn_by` asks, indexed on first use (after loading).
    drawn: OnceLock<DrawnIndex>,
}

/// The characters the role fonts, the fallback and the emoji font draw.
struct DrawnIndex {
    role: CodePoints,
    fallback: CodePoints,
    emoji: CodePoints,
}

impl FontSet {
    /// The bundled fonts only.
    pub fn bundled() -> FontSet {
        let faces: Vec<Face> = BUNDLED
            .iter()
            .flat_map(|b| {
                Font::iter(Bytes::new(b.data)).map(move |font| Face {
                    font,
                    file: b.file.to_owned(),
                    origin: Origin::Bundled,
                })
            })
            .collect();
        let book = LazyHash::new(FontBook::from_fonts(faces.iter().map(|f| &f.font)));
        let mut set =
            FontSet { faces, book, roles: BTreeMap::new(), configured: BTreeMap::new(), drawn: OnceLock::new() };
        for (role, family, weight) in ROLE_FAMILIES {
            let has_bold = set.has_face(family, 700);
            set.roles.insert(
                role,
                RoleFonts {
                    families: vec![family.to_owned(), FALLBACK_FAMILY.to_owned(), EMOJI_FAMILY.to_owned()],
                    weight,
                    has_bold,
                },
            );
        }
        set
    }

    /// The bundled fonts plus the office's own fonts for the roles the
    /// options name: each such role is drawn with its family first, then
    /// the bundled font of the role (for what the office font lacks), then
    /// the fallback and the emoji font. A family that cannot be found is an error that names
    /// it and where jianbao looked.
    pub fn load(opts: &FontOptions) -> Result<FontSet, Error> {
        let mut set = FontSet::bundled();
        if opts.families.is_empty() {
            return Ok(set);
        }
        let mut dirs: Vec<(PathBuf, Origin)> = opts.paths.iter().map(|p| (p.clone(), Origin::User)).collect();
        dirs.extend(lookup::system_dirs().into_iter().map(|p| (p, Origin::System)));
        for (&role, family) in &opts.families {
            let typst_family = match set.faces.iter().find(|f| f.font.info().family.eq_ignore_ascii_case(family)) {
                Some(f) => f.font.info().family.clone(),
                None => {
                    let found = lookup::find_family(family, &dirs);
                    let Some(first) = found.first() else {
                        let looked: Vec<String> = dirs.iter().map(|(d, _)| d.display().to_string()).collect();
                        return Err(Diagnostic::error(
                            ErrorKind::Font,
                            tr!(
                                format!("找不到角色 {} 配置的字体“{family}”", role.name()),
                                format!("the font “{family}” configured for the role {} was not found", role.name())
                            ),
                        )
                        .at(opts.config_file.as_deref().and_then(|c| role_position(c, role)))
                        .help(tr!(
                            format!("查找过：{}、内置字体；用 --font-path 指定字体所在文件夹，或改正字体名", looked.join("、")),
                            format!("looked in: {}, the bundled fonts; give the font's folder with --font-path, or correct the name", looked.join(", "))
                        ))
                        .into());
                    };
                    let name = first.font.info().family.clone();
                    set.faces.extend(found);
                    name
                }
            };
            let bundled =
                ROLE_FAMILIES.iter().find(|(r, ..)| *r == role).map(|(_, f, _)| *f).unwrap_or(FALLBACK_FAMILY);
            let weight =
                set.faces_of(&typst_family, 400).first().map_or(400, |f| f.font.info().variant.weight.to_number());
            let has_bold = set.has_face(&typst_family, 700);
            set.roles.insert(
                role,
                RoleFonts {
                    families: vec![
                        typst_family,
                        bundled.to_owned(),
                        FALLBACK_FAMILY.to_owned(),
                        EMOJI_FAMILY.to_owned(),
                    ],
                    weight,
                    has_bold,
                },
            );
            set.configured.insert(role, family.clone());
        }
        set.book = LazyHash::new(FontBook::from_fonts(set.faces.iter().map(|f| &f.font)));
        // Indexed again on first use, with the fonts found above.
        set.drawn = OnceLock::new();
        Ok(set)
    }

    /// Builds the index [`FontSet::drawn_by`] reads, if not yet built: a
    /// fifth of what checking a report's characters costs, and independent
    /// of the report, so it can be built while the data is read.
    pub fn index_coverage(&self) {
        self.drawn_index();
    }

    /// Which kind of font draws `c`: a role's own font, only the fallback,
    /// only the emoji font, or none.
    pub fn drawn_by(&self, c: char) -> Drawn {
        let index = self.drawn_index();
        let c = c as u32;
        if index.role.contains(c) {
            Drawn::Role
        } else if index.fallback.contains(c) {
            Drawn::Fallback
        } else if index.emoji.contains(c) {
            Drawn::Emoji
        } else {
            Drawn::Nothing
        }
    }

    /// The code points of the role fonts, the fallback and the emoji font.
    fn drawn_index(&self) -> &DrawnIndex {
        self.drawn.get_or_init(|| {
            // Every code point any face of one of `families` has.
            let of = |families: &mut dyn Iterator<Item = &str>| {
                let faces: Vec<&Face> = families.flat_map(|family| self.faces_of(family, 400)).collect();
                CodePoints::from_points(faces.iter().flat_map(|f| f.font.info().coverage.iter()))
            };
            let mut primaries = self.roles.values().flat_map(|r| {
                r.families.iter().map(String::as_str).filter(|f| *f != FALLBACK_FAMILY && *f != EMOJI_FAMILY)
            });
            DrawnIndex {
                role: of(&mut primaries),
                fallback: of(&mut std::iter::once(FALLBACK_FAMILY)),
                emoji: of(&mut std::iter::once(EMOJI_FAMILY)),
            }
        })
    }

    /// Whether a face of `family` with at least `weight` is loaded.
    pub fn has_face(&self, family: &str, weight: u16) -> bool {
        self.faces.iter().any(|f| {
            f.font.info().family.eq_ignore_ascii_case(family)
                && f.font.info().variant.weight >= FontWeight::from_number(weight)
        })
    }

    /// The fonts of `role`.
    pub fn role(&self, role: Role) -> &RoleFonts {
        &self.roles[&role]
    }

    /// The faces of `family` (case-insensitive), best weight match first.
    pub fn faces_of(&self, family: &str, weight: u16) -> Vec<&Face> {
        let mut v: Vec<&Face> =
            self.faces.iter().filter(|f| f.font.info().family.eq_ignore_ascii_case(family)).collect();
        v.sort_by_key(|f| (f.font.info().variant.weight.to_number() as i32 - weight as i32).abs());
        v
    }
}
