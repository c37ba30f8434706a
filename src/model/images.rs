//! The pictures a data file names (`images:` on sections and points):
//! found, confined to the allowed folders, checked and read — once per data
//! file, when the file is loaded.
//!
//! Decisions:
//! - **Confinement.** A path is relative to the data file's folder. After
//!   resolving `.` and `..`, and again after following symlinks
//!   (`canonicalize`), the file must lie inside the data file's folder or a
//!   template folder; `../../etc/passwd`, an absolute path elsewhere, or a
//!   symlink pointing out is a data error at the path's position, naming
//!   the allowed folders. Nothing else in jianbao reads a file the data
//!   names, and the backends only ever see the bytes read here (the PDF's
//!   Typst world serves them under fixed virtual names, never a real path).
//! - **What a picture is.** PNG or JPEG, told by the magic bytes (not the
//!   extension), and decoded here in full with the limits below: a file
//!   that is truncated or not really an image is the user's error now, not
//!   a layout failure later. Dimensions come from the decoder.
//! - **EXIF orientation.** Phones store photos sideways with an EXIF
//!   "rotate" tag. Typst honours it, Word does not; so a picture with such
//!   a tag is turned upright here and re-encoded (same format, no tag), and
//!   both backends get the same upright pixels.
//! - **Once.** Each distinct path is read once per data file; a batch that
//!   renders many units from one file shares the [`Images`] of its
//!   [`Loaded`](super::Loaded).

use std::collections::BTreeMap;
use std::fmt;
use std::io::Cursor;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use image::{DynamicImage, ImageDecoder, ImageEncoder};
use serde::{Serialize, Serializer};

use super::locate::Locator;
use super::types::{Image, Report};
use crate::error::{Diagnostic, ErrorKind};
use crate::tr;

/// Picture files larger than this are refused: a photo for a briefing is
/// a few hundred kilobytes; tens of megabytes mean a camera original.
pub const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;

/// The largest width or height, in pixels, a picture may have.
pub const MAX_IMAGE_PIXELS_SIDE: u32 = 12_000;

/// The memory a decoder may allocate (a decompression bomb stops here).
const MAX_DECODE_ALLOC: u64 = 512 * 1024 * 1024;

/// The width a picture takes when the data gives none, as a fraction of
/// the text width.
pub const DEFAULT_WIDTH: f64 = 0.75;

/// The picture formats jianbao accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Png,
    Jpeg,
}

impl ImageFormat {
    /// The format the magic bytes at the start of `bytes` announce.
    pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageFormat::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageFormat::Jpeg)
        } else {
            None
        }
    }

    /// The file extension used inside the outputs (`png`, `jpeg`).
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpeg",
        }
    }

    /// The MIME type (DOCX content type).
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
        }
    }
}

/// One picture, read and checked: the bytes both backends embed.
pub struct ImageData {
    bytes: Arc<[u8]>,
    pub format: ImageFormat,
    pub width_px: u32,
    pub height_px: u32,
    /// Where the file is (after following symlinks).
    pub file: PathBuf,
    /// A hash of the bytes: identifies the picture in the document's ID.
    hash: u64,
}

impl ImageData {
    /// Checks and decodes `bytes` (PNG or JPEG), turning a picture with an
    /// EXIF orientation upright. `file` is only for the record.
    pub fn decode(bytes: Vec<u8>, file: PathBuf) -> Result<ImageData, String> {
        let Some(format) = ImageFormat::sniff(&bytes) else { return Err(not_an_image(&bytes)) };
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(MAX_IMAGE_PIXELS_SIDE);
        limits.max_image_height = Some(MAX_IMAGE_PIXELS_SIDE);
        limits.max_alloc = Some(MAX_DECODE_ALLOC);
        let decoded = match format {
            ImageFormat::Png => {
                image::codecs::png::PngDecoder::new(Cursor::new(&bytes[..])).and_then(|d| decode_with(d, limits))
            }
            ImageFormat::Jpeg => {
                image::codecs::jpeg::JpegDecoder::new(Cursor::new(&bytes[..])).and_then(|d| decode_with(d, limits))
            }
        };
        let (mut img, orientation) = decoded.map_err(|e| decode_error(format, &e))?;
        let bytes = if orientation == image::metadata::Orientation::NoTransforms {
            bytes
        } else {
            img.apply_orientation(orientation);
            encode(&img, format).map_err(|e| decode_error(format, &e))?
        };
        let (width_px, height_px) = (img.width(), img.height());
        if width_px == 0 || height_px == 0 {
            return Err(tr!("图片的宽或高为 0", "the picture has no pixels").into());
        }
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::hash::DefaultHasher::new();
            bytes.hash(&mut h);
            h.finish()
        };
        Ok(ImageData { bytes: bytes.into(), format, width_px, height_px, file, hash })
    }

    /// The file's bytes (as embedded in both outputs).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes, shared (no copy).
    pub fn shared_bytes(&self) -> Arc<[u8]> {
        self.bytes.clone()
    }

    /// Height over width.
    pub fn aspect(&self) -> f64 {
        f64::from(self.height_px) / f64::from(self.width_px)
    }
}

impl fmt::Debug for ImageData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImageData")
            .field("format", &self.format)
            .field("width_px", &self.width_px)
            .field("height_px", &self.height_px)
            .field("bytes", &self.bytes.len())
            .field("file", &self.file)
            .finish()
    }
}

impl PartialEq for ImageData {
    fn eq(&self, other: &ImageData) -> bool {
        Arc::ptr_eq(&self.bytes, &other.bytes) || self.bytes == other.bytes
    }
}

/// What the document IR shows of a picture: format, pixels and a hash of
/// the bytes (never the bytes, nor the path).
impl Serialize for ImageData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ImageData", 4)?;
        st.serialize_field("format", self.format.extension())?;
        st.serialize_field("width_px", &self.width_px)?;
        st.serialize_field("height_px", &self.height_px)?;
        st.serialize_field("hash", &format!("{:016x}", self.hash))?;
        st.end()
    }
}

fn decode_with<D: ImageDecoder>(
    mut decoder: D,
    limits: image::Limits,
) -> image::ImageResult<(DynamicImage, image::metadata::Orientation)> {
    decoder.set_limits(limits)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    Ok((DynamicImage::from_decoder(decoder)?, orientation))
}

/// Re-encodes an upright picture in its own format.
fn encode(img: &DynamicImage, format: ImageFormat) -> image::ImageResult<Vec<u8>> {
    let mut out = Vec::new();
    match format {
        ImageFormat::Png => {
            let rgba = img.to_rgba8();
            image::codecs::png::PngEncoder::new(&mut out).write_image(
                &rgba,
                rgba.width(),
                rgba.height(),
                image::ExtendedColorType::Rgba8,
            )?;
        }
        ImageFormat::Jpeg => {
            let rgb = img.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).write_image(
                &rgb,
                rgb.width(),
                rgb.height(),
                image::ExtendedColorType::Rgb8,
            )?;
        }
    }
    Ok(out)
}

/// What a file that is not PNG or JPEG looks like, for the message.
fn not_an_image(bytes: &[u8]) -> String {
    let what = if bytes.starts_with(b"GIF8") {
        Some("GIF")
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some("WebP")
    } else if bytes.starts_with(b"BM") {
        Some("BMP")
    } else if bytes.get(4..12).is_some_and(|b| b.starts_with(b"ftyp") && (b.ends_with(b"heic") || b.ends_with(b"mif1")))
    {
        Some("HEIC")
    } else if bytes.starts_with(b"%PDF") {
        Some("PDF")
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some("TIFF")
    } else {
        None
    };
    match what {
        Some(w) => tr!(
            format!("这是 {w} 文件，不是 PNG 或 JPEG 图片"),
            format!("this is a {w} file, not a PNG or JPEG picture")
        ),
        None => tr!(
            "这个文件不是 PNG 或 JPEG 图片（按文件内容判断）".to_string(),
            "this file is not a PNG or JPEG picture (judged by its content)".to_string()
        ),
    }
}

fn decode_error(format: ImageFormat, e: &image::ImageError) -> String {
    let name = match format {
        ImageFormat::Png => "PNG",
        ImageFormat::Jpeg => "JPEG",
    };
    match e {
        image::ImageError::Limits(_) => tr!(
            format!("图片太大，无法处理（宽、高最多 {MAX_IMAGE_PIXELS_SIDE} 像素）"),
            format!("the picture is too large to process (at most {MAX_IMAGE_PIXELS_SIDE} pixels wide and high)")
        ),
        _ => tr!(
            format!("{name} 图片已损坏或不完整，无法读取：{e}"),
            format!("the {name} picture is damaged or incomplete and cannot be read: {e}")
        ),
    }
}

/// The pictures of one data file, by the path as the data writes it.
#[derive(Debug, Clone, Default)]
pub struct Images {
    by_path: BTreeMap<String, Arc<ImageData>>,
}

impl Images {
    /// The picture the data names `path` (as written; surrounding white
    /// space ignored).
    pub fn get(&self, path: &str) -> Option<&Arc<ImageData>> {
        self.by_path.get(path.trim())
    }

    /// Adds a picture under `path` (for tests and callers that build
    /// documents without a data file).
    pub fn insert(&mut self, path: &str, image: ImageData) {
        self.by_path.insert(path.trim().to_owned(), Arc::new(image));
    }

    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    /// The picture files, after following symlinks (what `watch` watches).
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.by_path.values().map(|i| i.file.as_path())
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }
}

/// Whether a field path is the `path` of a picture: a file name, never
/// changed by normalisation and never printed (so not font-checked).
pub fn is_image_path_field(path: &str) -> bool {
    path.ends_with(".path") && path.contains("images[")
}

/// Every picture entry of the report with its field path, in document
/// order: sections, their points, branch highlights.
pub fn entries(report: &Report) -> Vec<(String, &Image)> {
    let mut out = Vec::new();
    for (i, s) in report.sections.iter().enumerate() {
        for (j, p) in s.points.iter().enumerate() {
            for (k, img) in p.images.iter().enumerate() {
                out.push((format!("sections[{i}].points[{j}].images[{k}]"), img));
            }
        }
        for (k, img) in s.images.iter().enumerate() {
            out.push((format!("sections[{i}].images[{k}]"), img));
        }
    }
    for (b, branch) in report.branches.iter().enumerate() {
        for (j, p) in branch.highlights.iter().enumerate() {
            for (k, img) in p.images.iter().enumerate() {
                out.push((format!("branches[{b}].highlights[{j}].images[{k}]"), img));
            }
        }
    }
    out
}

/// A folder pictures may come from: as written (made absolute, `..`
/// resolved) and after following symlinks.
#[derive(Debug, Clone)]
struct Root {
    lexical: PathBuf,
    canonical: PathBuf,
}

impl Root {
    fn new(dir: &Path) -> Option<Root> {
        let lexical = normalize(&std::path::absolute(dir).ok()?);
        let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| lexical.clone());
        Some(Root { lexical, canonical })
    }
}

/// `.` and `..` resolved without touching the file system (`..` at the
/// root stays at the root).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() && !out.has_root() {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Finds, confines and reads every picture of `report`. `data_file` is
/// the data file's path; `template_dirs` are further folders pictures may
/// come from. Problems are data errors at the field's position.
pub fn load(report: &Report, data_file: &Path, template_dirs: &[PathBuf], loc: &Locator) -> (Images, Vec<Diagnostic>) {
    let mut images = Images::default();
    let mut errors = Vec::new();
    let list = entries(report);
    if list.is_empty() {
        return (images, errors);
    }
    let data_dir = match data_file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut roots: Vec<Root> = Root::new(&data_dir).into_iter().collect();
    roots.extend(template_dirs.iter().filter(|d| d.is_dir()).filter_map(|d| Root::new(d)));
    let allowed: Vec<String> = roots.iter().map(|r| r.lexical.display().to_string()).collect();
    let help_allowed = tr!(
        format!(
            "图片只能取自数据文件所在的文件夹（及其子文件夹）或模板文件夹：{}；路径相对于数据文件所在的文件夹，如 photos/a.jpg",
            allowed.join("、")
        ),
        format!(
            "pictures may only come from the data file's folder (and its subfolders) or a template folder: {}; paths are relative to the data file's folder, e.g. photos/a.jpg",
            allowed.join(", ")
        )
    );
    let mut error = |field: &str, message: String, help: String| {
        errors.push(Diagnostic::error(ErrorKind::Data, message).at(loc.value(field)).field(field).help(help));
    };

    for (field, img) in list {
        if let Some(w) = img.width {
            let w = w.as_f64();
            if !(w > 0.0 && w <= 1.0) {
                error(
                    &format!("{field}.width"),
                    tr!(
                        format!("图片宽度 {w} 不对：应是大于 0、不超过 1 的小数（占版心宽度的比例）"),
                        format!(
                            "the picture width {w} is out of range: give a fraction of the text width, above 0 and at most 1"
                        )
                    ),
                    tr!(
                        "如 0.6 表示版心宽度的 60%；不写则为 0.75",
                        "e.g. 0.6 for 60% of the text width; 0.75 when not given"
                    )
                    .into(),
                );
            }
        }
        let field = format!("{field}.path");
        let raw = img.path.trim();
        if raw.is_empty() || raw.chars().any(char::is_control) {
            error(
                &field,
                tr!("图片路径是空的或含有控制字符", "the picture path is empty or holds control characters").into(),
                tr!("写图片文件的路径，如 photos/a.jpg", "write the picture file's path, e.g. photos/a.jpg").into(),
            );
            continue;
        }
        if images.get(raw).is_some() {
            continue;
        }
        let written = Path::new(raw);
        let joined = if written.is_absolute() { written.to_owned() } else { data_dir.join(written) };
        let Ok(absolute) = std::path::absolute(&joined) else {
            error(
                &field,
                tr!(format!("无法解析图片路径“{raw}”"), format!("cannot resolve the picture path “{raw}”")),
                help_allowed.clone(),
            );
            continue;
        };
        let lexical = normalize(&absolute);
        // Where a relative path leads, for the messages.
        let (leads_zh, leads_en) = if written.is_absolute() {
            (String::new(), String::new())
        } else {
            (format!("（即 {}）", lexical.display()), format!(" ({})", lexical.display()))
        };
        if !roots.iter().any(|r| lexical.starts_with(&r.lexical)) {
            error(
                &field,
                tr!(
                    format!("图片“{raw}”{leads_zh}在允许的文件夹之外"),
                    format!("the picture “{raw}”{leads_en} is outside the allowed folders")
                ),
                help_allowed.clone(),
            );
            continue;
        }
        let unreadable = |e: &std::io::Error| {
            tr!(
                format!("无法读取图片“{raw}”：{}", crate::error::io_reason_zh(e)),
                format!("cannot read the picture “{raw}”: {e}")
            )
        };
        let canonical = match std::fs::canonicalize(&lexical) {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                error(
                    &field,
                    tr!(
                        format!("找不到图片文件“{raw}”{leads_zh}"),
                        format!("the picture file “{raw}”{leads_en} does not exist")
                    ),
                    tr!(
                        "检查文件名和文件夹；路径相对于数据文件所在的文件夹，如 photos/a.jpg",
                        "check the file and folder names; paths are relative to the data file's folder, e.g. photos/a.jpg"
                    )
                    .into(),
                );
                continue;
            }
            Err(e) => {
                error(&field, unreadable(&e), help_allowed.clone());
                continue;
            }
        };
        if !roots.iter().any(|r| canonical.starts_with(&r.canonical)) {
            error(
                &field,
                tr!(
                    format!("图片“{raw}”是指向允许的文件夹之外的链接（实际位置 {}）", canonical.display()),
                    format!(
                        "the picture “{raw}” is a link to a file outside the allowed folders ({})",
                        canonical.display()
                    )
                ),
                help_allowed.clone(),
            );
            continue;
        }
        let meta = match std::fs::metadata(&canonical) {
            Ok(m) if m.is_file() => m,
            _ => {
                error(
                    &field,
                    tr!(format!("“{raw}”不是文件"), format!("“{raw}” is not a file")),
                    tr!("写图片文件的路径，如 photos/a.jpg", "write the picture file's path, e.g. photos/a.jpg").into(),
                );
                continue;
            }
        };
        if meta.len() > MAX_IMAGE_BYTES {
            error(
                &field,
                tr!(
                    format!(
                        "图片“{raw}”太大（{:.1} MB，上限 {} MB）",
                        meta.len() as f64 / 1048576.0,
                        MAX_IMAGE_BYTES / 1048576
                    ),
                    format!(
                        "the picture “{raw}” is too large ({:.1} MB, limit {} MB)",
                        meta.len() as f64 / 1048576.0,
                        MAX_IMAGE_BYTES / 1048576
                    )
                ),
                tr!(
                    "先把照片缩小（如宽 2000 像素以内）再使用",
                    "scale the photo down first (e.g. to 2000 pixels wide)"
                )
                .into(),
            );
            continue;
        }
        let bytes = match std::fs::read(&canonical) {
            Ok(b) => b,
            Err(e) => {
                error(&field, unreadable(&e), help_allowed.clone());
                continue;
            }
        };
        match ImageData::decode(bytes, canonical) {
            Ok(data) => images.insert(raw, data),
            Err(message) => error(
                &field,
                tr!(format!("“{raw}”：{message}"), format!("“{raw}”: {message}")),
                tr!(
                    "图片须是 PNG 或 JPEG 文件；其他格式请先另存为 JPEG",
                    "pictures must be PNG or JPEG files; save other formats as JPEG first"
                )
                .into(),
            ),
        }
    }
    (images, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([10, 120, 200]));
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out).write_image(&img, w, h, image::ExtendedColorType::Rgb8).unwrap();
        out
    }

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(ImageFormat::sniff(&png(2, 2)), Some(ImageFormat::Png));
        assert_eq!(ImageFormat::sniff(b"\xFF\xD8\xFF\xE0rest"), Some(ImageFormat::Jpeg));
        assert_eq!(ImageFormat::sniff(b"GIF89a"), None);
        assert!(not_an_image(b"GIF89a....").contains("GIF"));
    }

    #[test]
    fn decodes_dimensions_and_refuses_damaged_files() {
        let d = ImageData::decode(png(40, 30), PathBuf::from("a.png")).unwrap();
        assert_eq!((d.width_px, d.height_px, d.format), (40, 30, ImageFormat::Png));
        assert!((d.aspect() - 0.75).abs() < 1e-9);
        let mut cut = png(40, 30);
        cut.truncate(cut.len() / 2);
        assert!(ImageData::decode(cut, PathBuf::from("b.png")).is_err());
        assert!(ImageData::decode(b"root:x:0:0".to_vec(), PathBuf::from("passwd")).is_err());
    }

    #[test]
    fn a_sideways_photo_is_turned_upright_once_for_both_outputs() {
        // 40 × 30 pixels stored with EXIF orientation 6 ("rotate 90° clockwise").
        let img = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 60, 20]));
        let exif = b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0".to_vec();
        let mut jpeg = Vec::new();
        let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90);
        enc.set_exif_metadata(exif).unwrap();
        enc.write_image(&img, 40, 30, image::ExtendedColorType::Rgb8).unwrap();
        let d = ImageData::decode(jpeg.clone(), PathBuf::from("side.jpg")).unwrap();
        assert_eq!((d.width_px, d.height_px, d.format), (30, 40, ImageFormat::Jpeg));
        assert_ne!(d.bytes(), &jpeg[..], "re-encoded without the tag");
        let again = ImageData::decode(d.bytes().to_vec(), PathBuf::from("x.jpg")).unwrap();
        assert_eq!((again.width_px, again.height_px), (30, 40), "no tag left to turn it again");
    }

    #[test]
    fn lexical_normalisation() {
        assert_eq!(normalize(Path::new("/a/b/../../../etc/passwd")), PathBuf::from("/etc/passwd"));
        assert_eq!(normalize(Path::new("/a/./b/c/../d.jpg")), PathBuf::from("/a/b/d.jpg"));
        assert!(is_image_path_field("sections[0].points[1].images[2].path"));
        assert!(!is_image_path_field("sections[0].points[1].title"));
    }
}
