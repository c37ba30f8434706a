//! The fonts compiled into the binary (`fonts/`, see its README for
//! sources and licences).

/// One bundled font file.
pub struct BundledFont {
    pub file: &'static str,
    pub data: &'static [u8],
}

macro_rules! bundled {
    ($($path:literal),* $(,)?) => {
        &[$(BundledFont {
            file: $path,
            data: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/", $path)),
        }),*]
    };
}

/// Every bundled font file.
pub const BUNDLED: &[BundledFont] = bundled![
    "fandol/FandolFang-Regular.ttf",
    "fandol/FandolHei-Regular.ttf",
    "fandol/FandolKai-Regular.ttf",
    "fandol/FandolSong-Regular.ttf",
    "fandol/FandolSong-Bold.ttf",
    "noto/NotoSerifCJKsc-Regular-fallback.otf",
    "noto-emoji/NotoEmoji-Regular-subset.ttf",
];

/// The bundled family of each role, as Typst names it (name ID 1), and its
/// weight.
pub const ROLE_FAMILIES: [(super::Role, &str, u16); 5] = [
    (super::Role::Title, "FandolSong", 700),
    (super::Role::Song, "FandolSong", 400),
    (super::Role::Hei, "FandolHei", 400),
    (super::Role::Fang, "FandolFang R", 400),
    (super::Role::Kai, "FandolKai", 400),
];

/// The family that draws what no role font has.
pub const FALLBACK_FAMILY: &str = "Noto Serif CJK SC";

/// The last fallback: monochrome emoji (outlines, so they print like text),
/// for what neither the role fonts nor [`FALLBACK_FAMILY`] have.
pub const EMOJI_FAMILY: &str = "Noto Emoji";
