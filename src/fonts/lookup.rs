//! Finding a font family by name in font folders.
//!
//! Offices name fonts in Chinese (仿宋_GB2312) or English (FangSong_GB2312);
//! a font file lists both in its `name` table. A family matches when any
//! of the file's family names (IDs 1 and 16, every language), or its full
//! name, equals the requested one, ignoring case, spaces, `-` and `_`.
//! Files are memory-mapped, so scanning a system's fonts reads only their
//! name tables.

use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::Font;

use super::{Face, Origin};

/// The system's font folders, in the usual places of each platform.
pub fn system_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if cfg!(target_os = "windows") {
        if let Some(w) = std::env::var_os("WINDIR") {
            dirs.push(PathBuf::from(w).join("Fonts"));
        }
        if let Some(l) = std::env::var_os("LOCALAPPDATA") {
            dirs.push(PathBuf::from(l).join("Microsoft/Windows/Fonts"));
        }
    } else if cfg!(target_os = "macos") {
        dirs.extend(["/Library/Fonts", "/System/Library/Fonts"].map(PathBuf::from));
        dirs.extend(home.iter().map(|h| h.join("Library/Fonts")));
    } else {
        dirs.extend(["/usr/share/fonts", "/usr/local/share/fonts"].map(PathBuf::from));
        dirs.extend(home.iter().flat_map(|h| [h.join(".local/share/fonts"), h.join(".fonts")]));
    }
    dirs
}

/// A name folded for comparison.
fn fold(name: &str) -> String {
    name.chars().filter(|c| !matches!(c, ' ' | '-' | '_')).flat_map(char::to_lowercase).collect()
}

/// Whether face `index` of `data` is a face of `family`.
fn names_match(data: &[u8], index: u32, family: &str) -> bool {
    let Ok(face) = ttf_parser::Face::parse(data, index) else { return false };
    let want = fold(family);
    face.names().into_iter().any(|n| {
        matches!(
            n.name_id,
            ttf_parser::name_id::FAMILY | ttf_parser::name_id::TYPOGRAPHIC_FAMILY | ttf_parser::name_id::FULL_NAME
        ) && n.to_string().is_some_and(|s| fold(&s) == want)
    })
}

fn is_font_file(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
        Some("ttf" | "otf" | "ttc" | "otc")
    )
}

/// Font files under `dir`, recursively, sorted (so lookups are stable).
fn font_files(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() && depth < 8 {
            font_files(&p, out, depth + 1);
        } else if is_font_file(&p) {
            out.push(p);
        }
    }
}

/// The faces of `family` in `dirs` (the first folder that has any wins).
pub fn find_family(family: &str, dirs: &[(PathBuf, Origin)]) -> Vec<Face> {
    for (dir, origin) in dirs {
        let mut files = Vec::new();
        font_files(dir, &mut files, 0);
        let mut faces = Vec::new();
        for path in files {
            let Ok(file) = std::fs::File::open(&path) else { continue };
            // SAFETY: the font file is mapped read-only; a file changed
            // while mapped could show torn data, which the font parsers
            // treat as a malformed font (an error, not undefined behaviour
            // in safe code paths we rely on).
            let Ok(map) = (unsafe { memmap2::Mmap::map(&file) }) else { continue };
            let count = ttf_parser::fonts_in_collection(&map).unwrap_or(1);
            let matching: Vec<u32> = (0..count).filter(|&i| names_match(&map, i, family)).collect();
            if matching.is_empty() {
                continue;
            }
            let bytes = Bytes::new(map);
            for i in matching {
                if let Some(font) = Font::new(bytes.clone(), i) {
                    faces.push(Face { font, file: path.display().to_string(), origin: origin.clone() });
                }
            }
        }
        if !faces.is_empty() {
            return faces;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_family_by_any_of_its_names() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fonts");
        let dirs = [(dir, Origin::User)];
        assert_eq!(find_family("FandolFang R", &dirs).len(), 1);
        assert_eq!(find_family("fandolfang", &dirs).len(), 1);
        assert_eq!(find_family("FandolSong", &dirs).len(), 2);
        assert!(find_family("方正小标宋简体", &dirs).is_empty());
    }
}
