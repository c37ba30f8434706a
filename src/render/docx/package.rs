//! The OPC package: parts, content types, relationships and the ZIP file.
//!
//! The writer owns the package rather than letting docx-rs zip it: docx-rs
//! stores entries uncompressed, stamps them with the wall clock and always
//! adds parts we do not use (comments, numbering, footnotes, a font table
//! naming Times New Roman). Here every part is added explicitly, content
//! types and relationship files are generated from what was added, entries
//! are deflated by libdeflate with a fixed date (1980-01-01) in insertion
//! order — so the same document gives the same bytes — and adding a part
//! later (embedded fonts: `word/fonts/font1.odttf` plus a relationship from
//! `word/fontTable.xml`) is one [`Package::add_part`] and one
//! [`Package::relate`] call. The ZIP is written by rawzip, which takes an
//! entry's compressed bytes as they are (the `zip` crate compresses them
//! itself, with zlib).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use libdeflater::{CompressionLvl, Compressor};

use super::DocxError;
use super::xml::escape_attr;

/// libdeflate's level for the entries. A branch summary's DOCX costs 2.8 M
/// instructions to zip this way, 6.7 M with zlib-rs at the same level —
/// most of them spent resetting its state for each of the dozen entries —
/// and its entries come out a little smaller. Level 1 would save 1 M more
/// but make a summary's DOCX 10 % larger and the 1000-page report's a
/// third (benches/README.md).
const DEFLATE_LEVEL: i32 = 6;

/// 1980-01-01 00:00 UTC, the earliest date a ZIP entry can carry: every
/// entry gets it, so the same document gives the same bytes.
const DOS_EPOCH: i64 = 315_532_800;

/// Content types of the parts this backend writes.
pub(crate) mod content_type {
    pub const RELATIONSHIPS: &str = "application/vnd.openxmlformats-package.relationships+xml";
    pub const XML: &str = "application/xml";
    pub const DOCUMENT: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    pub const STYLES: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml";
    pub const SETTINGS: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml";
    pub const FONT_TABLE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml";
    pub const FOOTER: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml";
    pub const THEME: &str = "application/vnd.openxmlformats-officedocument.theme+xml";
    pub const CORE: &str = "application/vnd.openxmlformats-package.core-properties+xml";
    pub const APP: &str = "application/vnd.openxmlformats-officedocument.extended-properties+xml";
    /// Obfuscated embedded fonts (`word/fonts/*.odttf`): for font embedding.
    pub const ODTTF: &str = "application/vnd.openxmlformats-officedocument.obfuscatedFont";
}

/// Relationship types.
pub(crate) mod rel_type {
    pub const DOCUMENT: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
    pub const CORE: &str = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";
    pub const APP: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties";
    pub const STYLES: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
    pub const SETTINGS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings";
    pub const FONT_TABLE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable";
    pub const FOOTER: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer";
    pub const THEME: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme";
    /// From `word/fontTable.xml` to an embedded font: for font embedding.
    pub const FONT: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font";
    /// From `word/document.xml` to a picture (`word/media/…`).
    pub const IMAGE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
}

/// One part: its name inside the package (no leading `/`), type and bytes.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
    /// Comes out the same in most documents of a process (styles, theme,
    /// footers…): its deflated form is kept for the next (see
    /// [`DeflatedParts`]).
    pub repeats: bool,
}

/// A relationship from a source part (or the package, source `""`).
#[derive(Debug, Clone)]
pub(crate) struct Relationship {
    pub source: String,
    pub id: String,
    pub rel_type: String,
    /// Target relative to the source part's folder.
    pub target: String,
}

/// Parts and relationships, in the order they were added.
#[derive(Debug, Default)]
pub(crate) struct Package {
    parts: Vec<Part>,
    rels: Vec<Relationship>,
}

impl Package {
    pub fn new() -> Package {
        Package::default()
    }

    /// The parts added so far, in order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Adds a part (replacing one of the same name, in place).
    pub fn add_part(&mut self, name: &str, content_type: &str, data: Vec<u8>) {
        self.insert(Part { name: name.to_string(), content_type: content_type.to_string(), data, repeats: false });
    }

    /// [`Package::add_part`] for a part that depends only on the style and
    /// the fonts, not on the document: compressed once per process.
    pub fn add_repeated_part(&mut self, name: &str, content_type: &str, data: Vec<u8>) {
        self.insert(Part { name: name.to_string(), content_type: content_type.to_string(), data, repeats: true });
    }

    fn insert(&mut self, part: Part) {
        match self.parts.iter().position(|p| p.name == part.name) {
            Some(i) => self.parts[i] = part,
            None => self.parts.push(part),
        }
    }

    /// Adds a relationship from `source` (a part name, or `""` for the
    /// package) and returns its id: `rId1`, `rId2`, … per source.
    pub fn relate(&mut self, source: &str, rel_type: &str, target: &str) -> String {
        let n = self.rels.iter().filter(|r| r.source == source).count() + 1;
        let id = format!("rId{n}");
        self.rels.push(Relationship {
            source: source.to_string(),
            id: id.clone(),
            rel_type: rel_type.to_string(),
            target: target.to_string(),
        });
        id
    }

    /// The relationship file name of a source part (`word/_rels/document.xml.rels`).
    fn rels_name(source: &str) -> String {
        match source.rsplit_once('/') {
            Some((folder, file)) => format!("{folder}/_rels/{file}.rels"),
            None if source.is_empty() => "_rels/.rels".to_string(),
            None => format!("_rels/{source}.rels"),
        }
    }

    fn rels_xml(&self, source: &str) -> Vec<u8> {
        let mut out = String::from(super::xml::DECLARATION);
        out.push_str("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
        for r in self.rels.iter().filter(|r| r.source == source) {
            out.push_str(&format!(
                "<Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"/>",
                escape_attr(&r.id),
                escape_attr(&r.rel_type),
                escape_attr(&r.target)
            ));
        }
        out.push_str("</Relationships>");
        out.into_bytes()
    }

    /// `[Content_Types].xml`: defaults for `rels` and `xml`, a default per
    /// other extension (fonts), an override per XML part of another type.
    fn content_types_xml(&self) -> Vec<u8> {
        let mut defaults: Vec<(String, String)> =
            vec![("rels".into(), content_type::RELATIONSHIPS.into()), ("xml".into(), content_type::XML.into())];
        let mut overrides = Vec::new();
        for p in &self.parts {
            let ext = p.name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
            match defaults.iter().find(|(e, _)| *e == ext) {
                Some((_, ct)) if *ct == p.content_type => {}
                Some(_) => overrides.push((format!("/{}", p.name), p.content_type.clone())),
                None if ext.is_empty() => overrides.push((format!("/{}", p.name), p.content_type.clone())),
                None => defaults.push((ext, p.content_type.clone())),
            }
        }
        let mut out = String::from(super::xml::DECLARATION);
        out.push_str("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">");
        for (ext, ct) in &defaults {
            out.push_str(&format!("<Default Extension=\"{}\" ContentType=\"{}\"/>", escape_attr(ext), escape_attr(ct)));
        }
        for (name, ct) in &overrides {
            out.push_str(&format!(
                "<Override PartName=\"{}\" ContentType=\"{}\"/>",
                escape_attr(name),
                escape_attr(ct)
            ));
        }
        out.push_str("</Types>");
        out.into_bytes()
    }

    /// The package as ZIP bytes: `[Content_Types].xml`, the package
    /// relationships, then each part followed by its relationships.
    pub fn to_zip(&self) -> Result<Vec<u8>, DocxError> {
        // Content types and relationships are the same from document to
        // document unless the parts differ: kept like repeated parts.
        let mut entries: Vec<(String, Cow<[u8]>, bool)> = Vec::with_capacity(self.parts.len() * 2 + 2);
        entries.push(("[Content_Types].xml".into(), self.content_types_xml().into(), true));
        entries.push((Self::rels_name(""), self.rels_xml("").into(), true));
        for p in &self.parts {
            entries.push((p.name.clone(), Cow::Borrowed(&p.data), p.repeats));
            if self.rels.iter().any(|r| r.source == p.name) {
                entries.push((Self::rels_name(&p.name), self.rels_xml(&p.name).into(), true));
            }
        }
        let size: usize = entries.iter().map(|(name, data, _)| name.len() + data.len()).sum();
        let mut zip = rawzip::ZipArchiveWriter::new(Vec::with_capacity(size / 2));
        let mut compressor = Compressor::new(CompressionLvl::new(DEFLATE_LEVEL).expect("a valid level"));
        for (name, data, repeats) in entries {
            let (mut entry, _) = zip
                .new_file(name.as_str())
                .compression_method(rawzip::CompressionMethod::DEFLATE)
                .last_modified(rawzip::time::UtcDateTime::from_unix(DOS_EPOCH))
                .unix_permissions(0o644)
                .start()
                .map_err(DocxError::zip)?;
            let crc = libdeflater::crc32(&data);
            let bytes = DEFLATED.get(&mut compressor, &data, crc, repeats)?;
            entry.write_all(&bytes).map_err(DocxError::zip)?;
            let descriptor = rawzip::DataDescriptorOutput::new(crc, data.len() as u64);
            entry.finish(descriptor).map_err(DocxError::zip)?;
        }
        zip.finish().map_err(DocxError::zip)
    }
}

/// A repeated part, deflated.
struct Deflated {
    data: Vec<u8>,
    deflated: Arc<[u8]>,
}

/// Repeated parts kept deflated, by CRC-32 and length. In a batch of
/// branch summaries the repeated parts are half of each DOCX's bytes, and
/// deflating them again was 2.5 % of a summary's time (callgrind); the
/// bytes are the same either way.
#[derive(Default)]
struct DeflatedParts {
    kept: Mutex<HashMap<(u32, usize), Deflated>>,
}

/// A handful of parts repeat (styles, settings, font table, theme, two
/// footers, app properties, content types, relationships); past this many
/// nothing more is kept, so documents whose repeated parts do differ
/// (pictures change the relationships) cannot make the store grow.
const DEFLATED_KEPT: usize = 64;

/// The process's repeated parts.
static DEFLATED: std::sync::LazyLock<DeflatedParts> = std::sync::LazyLock::new(DeflatedParts::default);

impl DeflatedParts {
    /// `data` (whose CRC-32 is `crc`) deflated; a repeated part from those
    /// kept when the same bytes were deflated before.
    fn get(&self, compressor: &mut Compressor, data: &[u8], crc: u32, repeats: bool) -> Result<Arc<[u8]>, DocxError> {
        let key = (crc, data.len());
        if repeats
            && let Some(kept) = self.lock().get(&key)
            && kept.data == data
        {
            return Ok(kept.deflated.clone());
        }
        let mut out = vec![0; compressor.deflate_compress_bound(data.len())];
        let len = compressor.deflate_compress(data, &mut out).map_err(|e| DocxError::zip(format!("deflate: {e}")))?;
        out.truncate(len);
        let out: Arc<[u8]> = out.into();
        if repeats {
            let mut kept = self.lock();
            if kept.len() < DEFLATED_KEPT {
                kept.entry(key).or_insert_with(|| Deflated { data: data.to_vec(), deflated: out.clone() });
            }
        }
        Ok(out)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(u32, usize), Deflated>> {
        // A panic elsewhere while holding it leaves whole entries only.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_and_rels_follow_the_parts() {
        let mut p = Package::new();
        p.add_part("word/document.xml", content_type::DOCUMENT, b"<a/>".to_vec());
        p.add_part("word/fonts/font1.odttf", content_type::ODTTF, vec![1, 2]);
        assert_eq!(p.relate("", rel_type::DOCUMENT, "word/document.xml"), "rId1");
        assert_eq!(p.relate("word/fontTable.xml", rel_type::FONT, "fonts/font1.odttf"), "rId1");
        assert_eq!(p.relate("word/fontTable.xml", rel_type::FONT, "fonts/font2.odttf"), "rId2");
        let ct = String::from_utf8(p.content_types_xml()).unwrap();
        assert!(ct.contains("<Override PartName=\"/word/document.xml\""));
        assert!(ct.contains("<Default Extension=\"odttf\""));
        assert_eq!(Package::rels_name("word/document.xml"), "word/_rels/document.xml.rels");
        assert_eq!(Package::rels_name(""), "_rels/.rels");
    }

    #[test]
    fn zip_is_deterministic() {
        let mut p = Package::new();
        p.add_part("word/document.xml", content_type::DOCUMENT, b"<a/>".to_vec());
        p.relate("", rel_type::DOCUMENT, "word/document.xml");
        assert_eq!(p.to_zip().unwrap(), p.to_zip().unwrap());
    }

    fn inflate(deflated: &[u8]) -> Vec<u8> {
        let mut out = vec![0; 1 << 16];
        let n = libdeflater::Decompressor::new().deflate_decompress(deflated, &mut out).expect("a deflate stream");
        out.truncate(n);
        out
    }

    /// A repeated part is taken from the kept ones only when its bytes are
    /// the same: here two parts with the same (forged) checksum and length.
    #[test]
    fn a_kept_part_is_reused_only_for_the_same_bytes() {
        let mut c = Compressor::new(CompressionLvl::new(DEFLATE_LEVEL).unwrap());
        let (a, b) = (b"<w:styles>first kept</w:styles>", b"<w:styles>other byte</w:styles>");
        assert_eq!(a.len(), b.len());
        let crc = 0x1234_5678;
        let parts = DeflatedParts::default();
        let first = parts.get(&mut c, a, crc, true).unwrap();
        let again = parts.get(&mut c, a, crc, true).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "the same bytes are deflated once");
        assert_eq!(inflate(&first), a);
        assert_eq!(inflate(&parts.get(&mut c, b, crc, true).unwrap()), b);
        // A part that does not repeat is neither taken nor kept.
        assert!(!Arc::ptr_eq(&parts.get(&mut c, a, crc, false).unwrap(), &first));
    }

    #[test]
    fn repeated_parts_come_out_as_added() {
        use std::io::Read;
        for text in ["<a>one</a>", "<a>two</a>", "<a>one</a>"] {
            let mut p = Package::new();
            p.add_repeated_part("word/styles.xml", content_type::STYLES, text.as_bytes().to_vec());
            let zip = p.to_zip().unwrap();
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
            let mut back = String::new();
            archive.by_name("word/styles.xml").unwrap().read_to_string(&mut back).unwrap();
            assert_eq!(back, text);
        }
    }
}
