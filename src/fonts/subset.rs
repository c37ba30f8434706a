//! Font subsets for embedding, and the licence check that must come first.
//!
//! A DOCX that carries its fonts (`--docx-fonts embed`) should carry only
//! the glyphs it draws: the whole Fandol fonts make a 24 MB document, the
//! glyphs of a ten-page report 0.4 MB. The subset must stay a font Word and
//! LibreOffice can *use*, which the `subsetter` crate (Typst's, for PDF)
//! does not give: its output has no `cmap`, so no character reaches a
//! glyph. [`subset`] therefore keeps the tables an installable font needs —
//! `cmap`, `head`, `hhea`, `hmtx`, `maxp`, `name`, `OS/2`, `post` and the
//! outlines (`CFF ` or `glyf`/`loca`) — and nothing else (no layout or
//! vertical tables: a DOCX run is laid out by the application).
//!
//! The outlines are cut by the `allsorts` crate (YesLogic's font parser and
//! subsetter, the engine of Prince): it subsets CID-keyed CFF with several
//! Font DICTs (Noto Serif CJK), Type 1-keyed CFF and TrueType (composite
//! glyphs bring their components along). Glyphs are renumbered —
//! `.notdef` first, then one glyph per used character in code point order
//! — so a subset holds exactly the glyphs used plus `.notdef`. In CFF,
//! unused subroutines are emptied but keep their slots in the subroutine
//! INDEX: about 55 KB per subset of Noto Serif CJK SC (25,000 local
//! subroutines). The bundled Fandol faces have TrueType outlines
//! (`fonts/make-truetype.py`).
//!
//! The `cmap` is written here, not by allsorts: allsorts writes a single
//! Unicode-platform subtable and keeps every code point that maps to a kept
//! glyph (so a CJK compatibility ideograph sharing a glyph would sneak in).
//! Ours maps exactly the requested characters, in a Windows (3,1) format 4
//! subtable — the one Windows' font loader looks for — plus a Unicode (0,3)
//! copy, and (3,10)/(0,4) format 12 subtables when a character lies outside
//! the Basic Multilingual Plane.
//!
//! [`embedding_permission`] reads the licence bits (`OS/2` `fsType`): a
//! font marked *restricted licence embedding* must not be embedded at all,
//! one marked *no subsetting* only whole ([`whole_face`]), one marked
//! *bitmap embedding only* not as outlines. The bundled fonts allow it:
//! every Fandol face has fsType 8 (editable embedding), the Noto Serif CJK
//! SC fallback fsType 0 (installable embedding).
//!
//! Every function returns an error for malformed input rather than
//! panicking; as a last line of defence, a panic inside the third-party
//! subsetter is caught and reported as [`SubsetError::Subset`].

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use allsorts::binary::read::ReadScope;
use allsorts::error::ParseError;
use allsorts::subset::{CmapTarget, SubsetProfile};
use allsorts::tables::{FontTableProvider, OpenTypeFont};

/// The usage permission of `OS/2` `fsType` bits 0–3, least restrictive
/// first (the order in which the OpenType specification says they win when
/// a font sets more than one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Usage {
    /// fsType usage bits 0: the font may be embedded and installed
    /// permanently on the reader's system.
    Installable,
    /// Bit 3 (0x0008): may be embedded; the document may be edited.
    Editable,
    /// Bit 2 (0x0004): may be embedded to view and print the document,
    /// not to edit it.
    PreviewAndPrint,
    /// Bit 1 (0x0002) alone: must not be embedded at all.
    Restricted,
}

impl Usage {
    /// The name the OpenType specification gives the permission.
    pub fn describe(self) -> &'static str {
        match self {
            Usage::Installable => "installable embedding",
            Usage::Editable => "editable embedding",
            Usage::PreviewAndPrint => "preview & print embedding",
            Usage::Restricted => "restricted license embedding",
        }
    }
}

/// What a font's licence bits (`OS/2` `fsType`) allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permission {
    /// The raw `fsType` value (0 when the font has no `OS/2` table).
    pub fs_type: u16,
    /// The usage permission.
    pub usage: Usage,
    /// Bit 8 (0x0100): the font may be embedded only whole, not subset.
    pub no_subsetting: bool,
    /// Bit 9 (0x0200): only bitmaps may be embedded, not outlines.
    pub bitmap_only: bool,
}

impl Permission {
    /// Decodes an `fsType` value. Of the usage bits 1–3 the least
    /// restrictive one set wins (OpenType `OS/2` specification); bit 0 is
    /// reserved and ignored.
    pub fn from_fs_type(fs_type: u16) -> Permission {
        let usage = if fs_type & 0x000E == 0 {
            Usage::Installable
        } else if fs_type & 0x0008 != 0 {
            Usage::Editable
        } else if fs_type & 0x0004 != 0 {
            Usage::PreviewAndPrint
        } else {
            Usage::Restricted
        };
        Permission { fs_type, usage, no_subsetting: fs_type & 0x0100 != 0, bitmap_only: fs_type & 0x0200 != 0 }
    }

    /// Whether the font's outlines may be embedded in a document.
    pub fn allows_embedding(&self) -> bool {
        self.usage != Usage::Restricted && !self.bitmap_only
    }

    /// Why embedding is refused, for an error message; `None` if allowed.
    pub fn refusal(&self) -> Option<String> {
        if self.usage == Usage::Restricted {
            Some(format!(
                "its licence forbids embedding (OS/2 fsType 0x{:04X}: {})",
                self.fs_type,
                Usage::Restricted.describe()
            ))
        } else if self.bitmap_only {
            Some(format!(
                "its licence allows embedding bitmaps only, not outlines (OS/2 fsType 0x{:04X})",
                self.fs_type
            ))
        } else {
            None
        }
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fsType 0x{:04X} ({}", self.fs_type, self.usage.describe())?;
        if self.no_subsetting {
            f.write_str(", no subsetting")?;
        }
        if self.bitmap_only {
            f.write_str(", bitmap embedding only")?;
        }
        f.write_str(")")
    }
}

/// Why a subset could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubsetError {
    /// The bytes are not an OpenType/TrueType font or collection, the face
    /// index is out of range, or a table the subset needs is broken.
    Malformed(String),
    /// The font's licence allows embedding it only whole (`fsType` bit 8):
    /// use [`whole_face`].
    NoSubsetting,
    /// The subsetter failed on this font.
    Subset(String),
}

impl fmt::Display for SubsetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubsetError::Malformed(m) => write!(f, "not a usable font: {m}"),
            SubsetError::NoSubsetting => f.write_str("the font's licence forbids subsetting (OS/2 fsType bit 8)"),
            SubsetError::Subset(m) => write!(f, "font subsetting failed: {m}"),
        }
    }
}

impl std::error::Error for SubsetError {}

/// The licence bits of face `face_index` of `font_data`. A font without an
/// `OS/2` table declares no restriction (fsType 0, installable), as
/// LibreOffice and Word treat it.
pub fn embedding_permission(font_data: &[u8], face_index: u32) -> Result<Permission, SubsetError> {
    let face = parse_face(font_data, face_index)?;
    let fs_type = match face.raw_face().table(ttf_parser::Tag::from_bytes(b"OS/2")) {
        None => 0,
        Some(os2) => match os2.get(8..10) {
            Some(b) => u16::from_be_bytes([b[0], b[1]]),
            None => return Err(SubsetError::Malformed("OS/2 table too short".into())),
        },
    };
    Ok(Permission::from_fs_type(fs_type))
}

/// A standalone font of face `face_index` of `font_data` with only the
/// glyphs for `chars` (plus `.notdef`) and a `cmap` that maps exactly those
/// of `chars` the face has. Characters the face lacks are left out (the
/// caller decides whether another font draws them; see [`missing`]).
///
/// Deterministic: the same bytes and characters give the same subset.
/// Refuses ([`SubsetError::NoSubsetting`]) a font whose licence forbids
/// subsetting. It does not check whether the licence allows embedding at
/// all — call [`embedding_permission`] for that.
pub fn subset(font_data: &[u8], face_index: u32, chars: &BTreeSet<char>) -> Result<Vec<u8>, SubsetError> {
    if embedding_permission(font_data, face_index)?.no_subsetting {
        return Err(SubsetError::NoSubsetting);
    }
    let face = parse_face(font_data, face_index)?;
    // Character → glyph of the original font, for the characters it has.
    let mut old_map: BTreeMap<char, u16> = BTreeMap::new();
    for &c in chars {
        if let Some(gid) = face.glyph_index(c).filter(|g| g.0 != 0) {
            old_map.insert(c, gid.0);
        }
    }
    // `.notdef` first, then the glyphs in the code point order of the first
    // character that uses them, so runs of consecutive characters become
    // runs of consecutive glyphs (fewer cmap segments).
    let mut glyph_ids: Vec<u16> = vec![0];
    let mut seen: BTreeSet<u16> = BTreeSet::from([0]);
    for &gid in old_map.values() {
        if seen.insert(gid) {
            glyph_ids.push(gid);
        }
    }

    let font =
        ReadScope::new(font_data).read::<OpenTypeFont<'_>>().map_err(|e| SubsetError::Malformed(parse_error(e)))?;
    let index = usize::try_from(face_index).map_err(|_| SubsetError::Malformed("face index".into()))?;
    let inner = font.table_provider(index).map_err(|e| SubsetError::Malformed(parse_error(e)))?;
    // The subsetter takes its character mappings from the font's cmap: give
    // it one with exactly ours, so the OS/2 Unicode ranges and first/last
    // character it computes describe the subset.
    let provider = WithCmap { inner, cmap: cmap_table(&old_map) };
    let cut = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        allsorts::subset::subset(&provider, &glyph_ids, &SubsetProfile::Minimal, CmapTarget::Unicode)
    }))
    .map_err(|_| SubsetError::Subset("the subsetter panicked".into()))?
    .map_err(|e| SubsetError::Subset(format!("{e:?}")))?;

    // Where allsorts put each character's glyph: read back from its cmap.
    let out_face =
        ttf_parser::Face::parse(&cut, 0).map_err(|e| SubsetError::Subset(format!("the subset does not parse: {e}")))?;
    let mut new_map: BTreeMap<char, u16> = BTreeMap::new();
    for &c in old_map.keys() {
        match out_face.glyph_index(c) {
            Some(g) if g.0 != 0 => {
                new_map.insert(c, g.0);
            }
            _ => return Err(SubsetError::Subset(format!("U+{:04X} lost its glyph", c as u32))),
        }
    }
    let mut tables = read_tables(&cut)?;
    tables.insert(*b"cmap", Cow::Owned(cmap_table(&new_map)));
    let sfnt_version = sfnt_version(&cut)?;
    Ok(write_sfnt(sfnt_version, &tables))
}

/// The characters of `chars` that face `face_index` of `font_data` has no
/// glyph for.
pub fn missing(font_data: &[u8], face_index: u32, chars: &BTreeSet<char>) -> Result<BTreeSet<char>, SubsetError> {
    let face = parse_face(font_data, face_index)?;
    Ok(chars.iter().copied().filter(|&c| face.glyph_index(c).is_none_or(|g| g.0 == 0)).collect())
}

/// Face `face_index` of `font_data` as a standalone font file with all its
/// tables — for a font whose licence forbids subsetting, or a face of a
/// collection (`.ttc`). Deterministic.
pub fn whole_face(font_data: &[u8], face_index: u32) -> Result<Vec<u8>, SubsetError> {
    let face = parse_face(font_data, face_index)?;
    let raw = face.raw_face();
    let mut tables: BTreeMap<[u8; 4], Cow<'_, [u8]>> = BTreeMap::new();
    for record in raw.table_records {
        if let Some(data) = raw.table(record.tag) {
            tables.insert(record.tag.to_bytes(), Cow::Borrowed(data));
        }
    }
    let version = if tables.contains_key(b"CFF ") { 0x4F54_544F } else { 0x0001_0000 };
    Ok(write_sfnt(version, &tables))
}

/// `font` (a single-font file, as [`subset`] and [`whole_face`] write)
/// with its metadata saying *bold*: `OS/2` `usWeightClass` at least 700,
/// `fsSelection` BOLD set and REGULAR cleared, `head` `macStyle` bold.
///
/// For a face embedded as a family's bold (`w:embedBold`). A reader
/// registers an embedded font under the weight its `OS/2` table states;
/// FandolSong Bold states 400 (only its style name and fsSelection say
/// bold), so LibreOffice took it for a second regular face and drew bold
/// titles with the regular subset — notdef boxes. Unchanged when the font
/// already says bold.
pub fn declare_bold(font: &[u8]) -> Result<Vec<u8>, SubsetError> {
    let mut tables = read_tables(font)?;
    let mut changed = false;
    if let Some(os2) = tables.get_mut(b"OS/2") {
        let (Some(weight), Some(selection)) = (be16(os2, 4), be16(os2, 62)) else {
            return Err(SubsetError::Malformed("OS/2 table too short".into()));
        };
        let new_selection = (selection | 0x0020) & !0x0040;
        if weight < 600 || new_selection != selection {
            let os2 = os2.to_mut();
            os2[4..6].copy_from_slice(&weight.max(700).to_be_bytes());
            os2[62..64].copy_from_slice(&new_selection.to_be_bytes());
            changed = true;
        }
    }
    if let Some(head) = tables.get_mut(b"head") {
        let Some(mac_style) = be16(head, 44) else {
            return Err(SubsetError::Malformed("head table too short".into()));
        };
        if mac_style & 1 == 0 {
            head.to_mut()[44..46].copy_from_slice(&(mac_style | 1).to_be_bytes());
            changed = true;
        }
    }
    if !changed {
        return Ok(font.to_vec());
    }
    Ok(write_sfnt(sfnt_version(font)?, &tables))
}

/// Parses one face with ttf-parser (collections included), as an error
/// rather than a panic when the bytes are not a font.
fn parse_face(font_data: &[u8], face_index: u32) -> Result<ttf_parser::Face<'_>, SubsetError> {
    ttf_parser::Face::parse(font_data, face_index)
        .map_err(|e| SubsetError::Malformed(format!("face {face_index}: {e}")))
}

fn parse_error(e: ParseError) -> String {
    format!("{e:?}")
}

/// A font's tables with the `cmap` replaced.
struct WithCmap<P> {
    inner: P,
    cmap: Vec<u8>,
}

impl<P: FontTableProvider> FontTableProvider for WithCmap<P> {
    fn table_data(&self, tag: u32) -> Result<Option<Cow<'_, [u8]>>, ParseError> {
        if tag == u32::from_be_bytes(*b"cmap") {
            Ok(Some(Cow::Borrowed(&self.cmap)))
        } else {
            self.inner.table_data(tag)
        }
    }

    fn has_table(&self, tag: u32) -> bool {
        tag == u32::from_be_bytes(*b"cmap") || self.inner.has_table(tag)
    }

    fn table_tags(&self) -> Option<Vec<u32>> {
        self.inner.table_tags()
    }
}

/// A format 4 subtable holds at most this many segments (its length is a
/// 16-bit number): 16 bytes of header, 8 bytes per segment.
const MAX_FORMAT4_SEGMENTS: usize = (0xFFFF - 16) / 8;

/// A `cmap` table mapping exactly `map`: (0,3) and (3,1) format 4 for the
/// Basic Multilingual Plane, plus (0,4) and (3,10) format 12 for all
/// characters when one lies beyond it (or when the BMP has too many
/// segments for format 4, which then keeps as many as fit).
fn cmap_table(map: &BTreeMap<char, u16>) -> Vec<u8> {
    // Segments of consecutive characters with consecutive glyphs.
    let mut runs: Vec<(u32, u32, u16)> = Vec::new(); // (first, last, first glyph)
    for (&c, &g) in map {
        let c = c as u32;
        match runs.last_mut() {
            Some((first, last, g0)) if *last + 1 == c && u32::from(*g0) + (c - *first) == u32::from(g) => {
                *last = c;
            }
            _ => runs.push((c, c, g)),
        }
    }
    let bmp: Vec<(u32, u32, u16)> = runs
        .iter()
        .filter(|r| r.0 <= 0xFFFF)
        .map(|&(a, b, g)| (a, b.min(0xFFFE), g))
        .filter(|r| r.0 <= r.1)
        .take(MAX_FORMAT4_SEGMENTS - 1)
        .collect();
    let needs_12 = runs.iter().any(|r| r.1 > 0xFFFE) || bmp.len() < runs.iter().filter(|r| r.0 <= 0xFFFE).count();

    let f4 = format4(&bmp);
    let f12 = needs_12.then(|| format12(&runs));
    // Encoding records, sorted by platform then encoding id.
    let mut records: Vec<(u16, u16, usize)> = Vec::new(); // (platform, encoding, subtable index)
    let mut subtables: Vec<&[u8]> = vec![&f4];
    records.push((0, 3, 0));
    if let Some(f12) = &f12 {
        subtables.push(f12);
        records.push((0, 4, 1));
    }
    records.push((3, 1, 0));
    if f12.is_some() {
        records.push((3, 10, 1));
    }
    let header = 4 + 8 * records.len();
    let mut offsets = Vec::new();
    let mut at = header;
    for s in &subtables {
        offsets.push(at);
        at += s.len();
    }
    let mut out = Vec::with_capacity(at);
    push16(&mut out, 0);
    push16(&mut out, records.len() as u16);
    for (platform, encoding, i) in &records {
        push16(&mut out, *platform);
        push16(&mut out, *encoding);
        push32(&mut out, offsets[*i] as u32);
    }
    for s in &subtables {
        out.extend_from_slice(s);
    }
    out
}

/// A format 4 subtable of segments `(first, last, first glyph)`, each
/// mapped with an idDelta, plus the final 0xFFFF segment.
fn format4(segments: &[(u32, u32, u16)]) -> Vec<u8> {
    let n = segments.len() + 1;
    let seg_x2 = (2 * n) as u16;
    let mut power = 1usize;
    let mut log = 0u16;
    while power * 2 <= n {
        power *= 2;
        log += 1;
    }
    let search_range = (2 * power) as u16;
    let mut out = Vec::with_capacity(16 + 8 * n);
    push16(&mut out, 4);
    push16(&mut out, (16 + 8 * n) as u16);
    push16(&mut out, 0); // language
    push16(&mut out, seg_x2);
    push16(&mut out, search_range);
    push16(&mut out, log);
    push16(&mut out, seg_x2.wrapping_sub(search_range));
    for &(_, last, _) in segments {
        push16(&mut out, last as u16);
    }
    push16(&mut out, 0xFFFF);
    push16(&mut out, 0); // reservedPad
    for &(first, _, _) in segments {
        push16(&mut out, first as u16);
    }
    push16(&mut out, 0xFFFF);
    for &(first, _, g) in segments {
        push16(&mut out, g.wrapping_sub(first as u16));
    }
    push16(&mut out, 1); // 0xFFFF → glyph 0
    for _ in 0..n {
        push16(&mut out, 0); // idRangeOffset
    }
    out
}

/// A format 12 subtable of groups `(first, last, first glyph)`.
fn format12(groups: &[(u32, u32, u16)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + 12 * groups.len());
    push16(&mut out, 12);
    push16(&mut out, 0);
    push32(&mut out, (16 + 12 * groups.len()) as u32);
    push32(&mut out, 0); // language
    push32(&mut out, groups.len() as u32);
    for &(first, last, g) in groups {
        push32(&mut out, first);
        push32(&mut out, last);
        push32(&mut out, u32::from(g));
    }
    out
}

fn push16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

fn push32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_be_bytes());
}

fn be16(data: &[u8], at: usize) -> Option<u16> {
    data.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]))
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn sfnt_version(font: &[u8]) -> Result<u32, SubsetError> {
    be32(font, 0).ok_or_else(|| SubsetError::Subset("empty subset".into()))
}

/// The tables of a single-font sfnt file.
fn read_tables(font: &[u8]) -> Result<BTreeMap<[u8; 4], Cow<'_, [u8]>>, SubsetError> {
    let bad = || SubsetError::Subset("the subset's table directory is broken".into());
    let count = usize::from(be16(font, 4).ok_or_else(bad)?);
    let mut tables = BTreeMap::new();
    for i in 0..count {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4).and_then(|t| t.try_into().ok()).ok_or_else(bad)?;
        let offset = be32(font, rec + 8).ok_or_else(bad)? as usize;
        let length = be32(font, rec + 12).ok_or_else(bad)? as usize;
        let data = font.get(offset..offset.checked_add(length).ok_or_else(bad)?).ok_or_else(bad)?;
        tables.insert(tag, Cow::Borrowed(data));
    }
    Ok(tables)
}

/// The OpenType table checksum: the sum of big-endian 32-bit words, the
/// last one padded with zeros.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// Writes an sfnt file: the table directory sorted by tag, each table
/// 4-byte aligned with its checksum, and `head.checkSumAdjustment` set so
/// the whole file sums to 0xB1B0AFBA.
fn write_sfnt(sfnt_version: u32, tables: &BTreeMap<[u8; 4], Cow<'_, [u8]>>) -> Vec<u8> {
    let n = tables.len();
    let mut power = 1usize;
    let mut log = 0u16;
    while power * 2 <= n {
        power *= 2;
        log += 1;
    }
    let search_range = (16 * power) as u16;
    let mut out = Vec::new();
    push32(&mut out, sfnt_version);
    push16(&mut out, n as u16);
    push16(&mut out, search_range);
    push16(&mut out, log);
    push16(&mut out, ((16 * n) as u16).wrapping_sub(search_range));
    let mut offset = 12 + 16 * n;
    let mut head_at = None;
    let mut body = Vec::new();
    for (tag, data) in tables {
        let mut data: Cow<'_, [u8]> = Cow::Borrowed(data.as_ref());
        if tag == b"head" && data.len() >= 12 {
            // checkSumAdjustment is computed over the file with it zeroed.
            let mut head = data.into_owned();
            head[8..12].copy_from_slice(&[0; 4]);
            head_at = Some(offset + 8);
            data = Cow::Owned(head);
        }
        out.extend_from_slice(tag);
        push32(&mut out, checksum(&data));
        push32(&mut out, offset as u32);
        push32(&mut out, data.len() as u32);
        body.extend_from_slice(&data);
        let padded = data.len().div_ceil(4) * 4;
        body.resize(body.len() + padded - data.len(), 0);
        offset += padded;
    }
    out.extend_from_slice(&body);
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at..at + 4].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font(file: &str) -> Vec<u8> {
        let path = format!("{}/fonts/{file}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn chars(s: &str) -> BTreeSet<char> {
        s.chars().collect()
    }

    /// Every code point the font's cmap subtables map, with its glyph.
    fn mapped(face: &ttf_parser::Face<'_>) -> BTreeMap<u32, u16> {
        let mut out = BTreeMap::new();
        for sub in face.tables().cmap.unwrap().subtables {
            sub.codepoints(|c| {
                if let Some(g) = sub.glyph_index(c) {
                    out.insert(c, g.0);
                }
            });
        }
        out
    }

    const TEXT: &str =
        "党建引领兜底线 用心用情惠民生——2025年上半年工作情况报告（一）“第一议题”ABC xyz 0123456789。，、";

    #[test]
    fn fs_type_decoding() {
        assert_eq!(Permission::from_fs_type(0).usage, Usage::Installable);
        assert_eq!(Permission::from_fs_type(8).usage, Usage::Editable);
        assert_eq!(Permission::from_fs_type(4).usage, Usage::PreviewAndPrint);
        assert_eq!(Permission::from_fs_type(2).usage, Usage::Restricted);
        assert!(!Permission::from_fs_type(2).allows_embedding());
        assert!(Permission::from_fs_type(2).refusal().is_some());
        // The least restrictive of several bits wins.
        assert_eq!(Permission::from_fs_type(2 | 4).usage, Usage::PreviewAndPrint);
        assert_eq!(Permission::from_fs_type(2 | 8).usage, Usage::Editable);
        assert!(Permission::from_fs_type(0x0108).no_subsetting);
        assert!(!Permission::from_fs_type(0x0200).allows_embedding());
        for ok in [0, 4, 8, 0x0100] {
            assert!(Permission::from_fs_type(ok).allows_embedding(), "{ok}");
        }
    }

    #[test]
    fn bundled_fonts_allow_embedding() {
        for (file, fs_type) in [
            ("fandol/FandolFang-Regular.ttf", 8),
            ("fandol/FandolHei-Regular.ttf", 8),
            ("fandol/FandolKai-Regular.ttf", 8),
            ("fandol/FandolSong-Regular.ttf", 8),
            ("fandol/FandolSong-Bold.ttf", 8),
            ("noto/NotoSerifCJKsc-Regular-fallback.otf", 0),
        ] {
            let p = embedding_permission(&font(file), 0).unwrap();
            assert_eq!(p.fs_type, fs_type, "{file}");
            assert!(p.allows_embedding() && !p.no_subsetting, "{file}");
        }
    }

    #[test]
    fn subset_has_exactly_the_used_glyphs_and_mappings() {
        let data = font("fandol/FandolFang-Regular.ttf");
        let wanted = chars(TEXT);
        let cut = subset(&data, 0, &wanted).unwrap();
        let original = ttf_parser::Face::parse(&data, 0).unwrap();
        let face = ttf_parser::Face::parse(&cut, 0).unwrap();
        let have: BTreeSet<char> =
            wanted.iter().copied().filter(|&c| original.glyph_index(c).is_some_and(|g| g.0 != 0)).collect();
        assert!(have.len() > 40);
        let map = mapped(&face);
        let keys: BTreeSet<u32> = map.keys().copied().collect();
        let want: BTreeSet<u32> = have.iter().map(|&c| c as u32).collect();
        assert_eq!(keys, want);
        // .notdef plus one glyph per distinct original glyph.
        let distinct: BTreeSet<u16> = have.iter().map(|&c| original.glyph_index(c).unwrap().0).collect();
        assert_eq!(usize::from(face.number_of_glyphs()), distinct.len() + 1);
        // Same advances and same outlines' bounding boxes as the original.
        for &c in &have {
            let (g0, g1) = (original.glyph_index(c).unwrap(), face.glyph_index(c).unwrap());
            assert_eq!(original.glyph_hor_advance(g0), face.glyph_hor_advance(g1), "{c}");
            assert_eq!(original.glyph_bounding_box(g0), face.glyph_bounding_box(g1), "{c}");
        }
        assert_eq!(face.names().into_iter().count(), original.names().into_iter().count());
        assert!(face.tables().os2.is_some() && face.tables().glyf.is_some());
        // Far smaller than the font.
        assert!(cut.len() < data.len() / 50, "{} of {}", cut.len(), data.len());
    }

    #[test]
    fn subset_is_deterministic_and_checksummed() {
        let data = font("fandol/FandolSong-Bold.ttf");
        let a = subset(&data, 0, &chars(TEXT)).unwrap();
        let b = subset(&data, 0, &chars(TEXT)).unwrap();
        assert_eq!(a, b);
        assert_eq!(checksum(&a), 0xB1B0_AFBA);
    }

    #[test]
    fn multi_fd_cid_font_and_astral_characters() {
        // The fallback: CID-keyed CFF with 15 Font DICTs; 𠮷 is U+20BB7.
        let data = font("noto/NotoSerifCJKsc-Regular-fallback.otf");
        let wanted = chars("堃喆珺昇玥𠮷∙");
        let cut = subset(&data, 0, &wanted).unwrap();
        let face = ttf_parser::Face::parse(&cut, 0).unwrap();
        let original = ttf_parser::Face::parse(&data, 0).unwrap();
        for &c in &wanted {
            if original.glyph_index(c).is_some() {
                let g = face.glyph_index(c).unwrap_or_else(|| panic!("{c}"));
                assert_eq!(face.glyph_bounding_box(g), original.glyph_bounding_box(original.glyph_index(c).unwrap()));
            }
        }
        assert!(face.glyph_index('𠮷').is_some());
        let subtables: Vec<(u16, u16)> =
            face.tables().cmap.unwrap().subtables.into_iter().map(|s| (s.platform_id as u16, s.encoding_id)).collect();
        assert_eq!(subtables, [(0, 3), (0, 4), (3, 1), (3, 10)]);
    }

    #[test]
    fn characters_the_font_lacks_are_left_out() {
        let data = font("fandol/FandolHei-Regular.ttf");
        let wanted = chars("民政𠮷");
        assert_eq!(missing(&data, 0, &wanted).unwrap(), chars("𠮷"));
        let cut = subset(&data, 0, &wanted).unwrap();
        let face = ttf_parser::Face::parse(&cut, 0).unwrap();
        assert_eq!(face.number_of_glyphs(), 3);
        assert_eq!(mapped(&face).len(), 2);
    }

    #[test]
    fn empty_set_gives_a_notdef_only_font() {
        let data = font("fandol/FandolKai-Regular.ttf");
        let cut = subset(&data, 0, &BTreeSet::new()).unwrap();
        let face = ttf_parser::Face::parse(&cut, 0).unwrap();
        assert_eq!(face.number_of_glyphs(), 1);
    }

    #[test]
    fn cmap_format4_overflow_moves_to_format12() {
        // Every other BMP code point: one segment each, more than fit.
        let map: BTreeMap<char, u16> = (0x4E00u32..0x4E00 + 2 * 9000)
            .step_by(2)
            .enumerate()
            .map(|(i, c)| (char::from_u32(c).unwrap(), i as u16 + 1))
            .collect();
        let table = cmap_table(&map);
        // Wrap it in a minimal font to read it back with ttf-parser.
        let cmap = ttf_parser::cmap::Table::parse(&table).unwrap();
        let mut full = 0;
        for sub in cmap.subtables {
            if matches!(sub.format, ttf_parser::cmap::Format::SegmentedCoverage(_)) {
                full += 1;
                for (&c, &g) in &map {
                    assert_eq!(sub.glyph_index(c as u32).map(|g| g.0), Some(g));
                }
            }
        }
        assert_eq!(full, 2);
    }

    #[test]
    fn bold_is_declared() {
        let data = font("fandol/FandolSong-Bold.ttf");
        // The bundled bold face says weight 400.
        let original = ttf_parser::Face::parse(&data, 0).unwrap();
        assert_eq!(original.weight().to_number(), 400);
        let cut = subset(&data, 0, &chars("标题")).unwrap();
        let bold = declare_bold(&cut).unwrap();
        let face = ttf_parser::Face::parse(&bold, 0).unwrap();
        assert_eq!(face.weight().to_number(), 700);
        assert!(face.is_bold());
        let os2 = face.raw_face().table(ttf_parser::Tag::from_bytes(b"OS/2")).unwrap();
        assert_eq!(be16(os2, 62).unwrap() & 0x0060, 0x0020, "BOLD set, REGULAR clear");
        assert_eq!(checksum(&bold), 0xB1B0_AFBA);
        assert_eq!(declare_bold(&bold).unwrap(), bold);
        assert!(declare_bold(b"junk").is_err());
    }

    #[test]
    fn whole_face_round_trips() {
        let data = font("fandol/FandolSong-Regular.ttf");
        let whole = whole_face(&data, 0).unwrap();
        let face = ttf_parser::Face::parse(&whole, 0).unwrap();
        assert_eq!(face.number_of_glyphs(), ttf_parser::Face::parse(&data, 0).unwrap().number_of_glyphs());
        assert_eq!(checksum(&whole), 0xB1B0_AFBA);
    }

    #[test]
    fn malformed_fonts_give_errors_not_panics() {
        let wanted = chars("民政局abc");
        assert!(matches!(subset(b"not a font", 0, &wanted), Err(SubsetError::Malformed(_))));
        assert!(subset(&[], 0, &wanted).is_err());
        // TrueType (Fandol) and CFF (the fallback) outlines.
        for file in ["fandol/FandolFang-Regular.ttf", "noto/NotoSerifCJKsc-Regular-fallback.otf"] {
            let data = font(file);
            assert!(embedding_permission(&data, 1).is_err());
            assert!(subset(&data, 1, &wanted).is_err());
            for cut in [12, 100, 1000, 100_000, data.len() / 2] {
                let _ = subset(&data[..cut], 0, &wanted);
                let _ = embedding_permission(&data[..cut], 0);
                let _ = whole_face(&data[..cut], 0);
            }
            // Bytes flipped all over the directory and the first tables.
            let mut state = 0x2545_F491_u32;
            for _ in 0..40 {
                let mut bad = data.clone();
                for _ in 0..64 {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    let at = (state as usize) % bad.len().min(400_000);
                    bad[at] = bad[at].wrapping_add((state >> 24) as u8 | 1);
                }
                let _ = subset(&bad, 0, &wanted);
            }
        }
    }
}
