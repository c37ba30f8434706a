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

use std::io::Write;

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
        let part = Part { name: name.to_string(), content_type: content_type.to_string(), data };
        match self.parts.iter_mut().find(|p| p.name == name) {
            Some(slot) => *slot = part,
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
        let mut entries: Vec<(String, Vec<u8>)> = Vec::with_capacity(self.parts.len() * 2 + 2);
        entries.push(("[Content_Types].xml".into(), self.content_types_xml()));
        entries.push((Self::rels_name(""), self.rels_xml("")));
        for p in &self.parts {
            entries.push((p.name.clone(), p.data.clone()));
            if self.rels.iter().any(|r| r.source == p.name) {
                entries.push((Self::rels_name(&p.name), self.rels_xml(&p.name)));
            }
        }
        let size: usize = entries.iter().map(|(name, data)| name.len() + data.len()).sum();
        let mut zip = rawzip::ZipArchiveWriter::new(Vec::with_capacity(size / 2));
        let mut compressor = Compressor::new(CompressionLvl::new(DEFLATE_LEVEL).expect("a valid level"));
        let mut deflated = Vec::new();
        for (name, data) in entries {
            let (mut entry, _) = zip
                .new_file(name.as_str())
                .compression_method(rawzip::CompressionMethod::DEFLATE)
                .last_modified(rawzip::time::UtcDateTime::from_unix(DOS_EPOCH))
                .unix_permissions(0o644)
                .start()
                .map_err(DocxError::zip)?;
            deflated.resize(compressor.deflate_compress_bound(data.len()), 0);
            let len = compressor
                .deflate_compress(&data, &mut deflated)
                .map_err(|e| DocxError::zip(format!("deflate: {e}")))?;
            entry.write_all(&deflated[..len]).map_err(DocxError::zip)?;
            let descriptor = rawzip::DataDescriptorOutput::new(libdeflater::crc32(&data), data.len() as u64);
            entry.finish(descriptor).map_err(DocxError::zip)?;
        }
        zip.finish().map_err(DocxError::zip)
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
}
