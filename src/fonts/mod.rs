//! Fonts are roles: templates ask for `song`, `hei`, `fang`, `kai` or
//! `title`, never for a file. A [`FontSet`] is loaded once per process and
//! says, for each role, which families draw it (the role's font, then the
//! bundled font of the role, then the fallback), and whether it has a real
//! bold face.

mod bundled;
mod role;

use std::collections::BTreeMap;

use serde::Serialize;
use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontWeight};
use typst::utils::LazyHash;

pub use bundled::{BUNDLED, FALLBACK_FAMILY, ROLE_FAMILIES};
pub use role::Role;

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
    /// Family names as Typst knows them, the fallback last.
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
        let mut set = FontSet { faces, book, roles: BTreeMap::new() };
        for (role, family, weight) in ROLE_FAMILIES {
            let has_bold = set.has_face(family, 700);
            set.roles.insert(
                role,
                RoleFonts { families: vec![family.to_owned(), FALLBACK_FAMILY.to_owned()], weight, has_bold },
            );
        }
        set
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
