//! From a loaded report to finished files: template → markup → IR, then the
//! PDF and DOCX backends. The [`Engine`] holds everything that is loaded
//! once per process (fonts, templates, Typst) and is shared by threads.

pub mod docx;
mod line_ends;
mod page_numbers;
mod page_runs;
mod parts;
pub mod pdf;
mod predict;
mod spacing;
pub mod vertical;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::doc::{self, Block, Document, Meta};
use crate::error::{Diagnostic, Error, ErrorKind, SourcePos};
use crate::fonts::{DocxFontMode, FontOptions, FontSet};
use crate::model::{Branch, Loaded};
use crate::style::Style;
use crate::template::{Templates, context};
use crate::tr;

/// Which files to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub pdf: bool,
    pub docx: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Formats { pdf: true, docx: true }
    }
}

/// How the engine is set up.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Template folders that override the built-ins, in priority order.
    pub template_dirs: Vec<PathBuf>,
    /// The office's fonts and where to find them.
    pub fonts: FontOptions,
    /// How the DOCX names or carries fonts.
    pub docx_fonts: DocxFontMode,
    /// A character no font has is a warning rather than an error.
    pub allow_missing_glyphs: bool,
    /// Report the characters only the fallback font draws.
    pub verbose: bool,
    /// The PDF standard to conform to (checked by typst-pdf on export).
    pub pdf_standard: PdfStandard,
}

/// The PDF standards jianbao can write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PdfStandard {
    /// Plain PDF 1.7 (tagged).
    #[default]
    Plain,
    /// PDF/A-2b, for archives: everything embedded, no encryption, XMP
    /// metadata; typst-pdf refuses content that would break it.
    A2b,
}

/// What one render produced.
#[derive(Debug, Default)]
pub struct Rendered {
    pub pdf: Option<Vec<u8>>,
    pub docx: Option<Vec<u8>>,
    pub pages: usize,
    /// The fonts the layout used, most glyphs first.
    pub fonts_used: Vec<pdf::FontUse>,
    /// How long each stage took (wall time), for the benchmark.
    pub timings: StageTimes,
}

/// Wall time of each stage of one render; zero for a format not made.
#[derive(Debug, Default, Clone, Copy)]
pub struct StageTimes {
    /// Template and markup to the document model.
    pub document: Duration,
    /// Typst layout, all rounds, and what the DOCX reads from it.
    pub layout: Duration,
    pub pdf: Duration,
    pub docx: Duration,
}

/// Everything loaded once per process.
pub struct Engine {
    pub style: Style,
    pub fonts: FontSet,
    pub templates: Templates,
    typst: pdf::Typst,
    docx_fonts: docx::DocxFonts,
    docx_fonts_mode: DocxFontMode,
    embed: Option<docx::EmbedFonts>,
    allow_missing_glyphs: bool,
    verbose: bool,
    pdf_standard: PdfStandard,
}

impl Engine {
    pub fn new(opts: &EngineOptions) -> Result<Engine, Error> {
        let fonts = FontSet::load(&opts.fonts)?;
        let style = Style::gbt9704();
        let templates = Templates::new(opts.template_dirs.clone());
        // The layout, like the templates, only from inside a template folder.
        let mut layout = None;
        for d in &opts.template_dirs {
            match crate::template::read_in_folder(d, "layout.typ") {
                Ok(Some(text)) => {
                    layout = Some((text, d.join("layout.typ")));
                    break;
                }
                Ok(None) => {}
                Err(real) => {
                    return Err(Diagnostic::error(
                        ErrorKind::Template,
                        tr!(
                            format!(
                                "{} 指向模板文件夹之外（{}），不会读取",
                                d.join("layout.typ").display(),
                                real.display()
                            ),
                            format!(
                                "{} points outside the template folder ({}); it is not read",
                                d.join("layout.typ").display(),
                                real.display()
                            )
                        ),
                    )
                    .help(tr!(
                        "把 layout.typ 复制到模板文件夹中，不要用链接",
                        "copy layout.typ into the template folder instead of linking it"
                    ))
                    .into());
                }
            }
        }
        let typst = match &layout {
            Some((text, path)) => pdf::Typst::new(&fonts, text, Some(path.clone())),
            None => pdf::Typst::new(&fonts, pdf::LAYOUT, None),
        };
        let (docx_fonts, embed) = match opts.docx_fonts {
            DocxFontMode::Bundled => (docx::DocxFonts::bundled(), None),
            // The office's names, or the families the config asks for.
            DocxFontMode::Office if fonts.configured.is_empty() => (docx::DocxFonts::office(), None),
            DocxFontMode::Office => (docx::DocxFonts::from_families(&fonts.configured), None),
            DocxFontMode::Embed => {
                let (names, embed) = embedded_fonts(&fonts);
                // Licences are checked once, before anything is rendered.
                embed.check().map_err(embed_error)?;
                (names, Some(embed))
            }
        };
        Ok(Engine {
            style,
            fonts,
            templates,
            typst,
            docx_fonts,
            docx_fonts_mode: opts.docx_fonts,
            embed,
            allow_missing_glyphs: opts.allow_missing_glyphs,
            verbose: opts.verbose,
            pdf_standard: opts.pdf_standard,
        })
    }

    /// Checks, before rendering, that a font can draw every character of
    /// the data (see `fonts::coverage`). Returns the warnings and notes;
    /// a character no font has is an error unless allowed. Run once per
    /// data file: every unit of the file shares the answer.
    pub fn check_fonts(&self, loaded: &Loaded) -> Result<Vec<Diagnostic>, Error> {
        self.font_notes(loaded, &crate::fonts::coverage::check(loaded, &self.fonts))
    }

    /// [`Engine::check_fonts`] from a coverage already computed (`jianbao
    /// check` also prints a summary of it).
    pub fn font_notes(
        &self,
        loaded: &Loaded,
        coverage: &crate::fonts::coverage::Coverage,
    ) -> Result<Vec<Diagnostic>, Error> {
        let diags =
            coverage.diagnostics(&crate::model::Locator::new(&loaded.source), self.allow_missing_glyphs, self.verbose);
        let (errors, notes): (Vec<_>, Vec<_>) =
            diags.into_iter().partition(|d| d.severity == crate::error::Severity::Error);
        if errors.is_empty() { Ok(notes) } else { Err(Error { diagnostics: errors }) }
    }

    /// Template → markup → document IR for one unit.
    pub fn document(&self, loaded: &Loaded, template: &str, branch: Option<&Branch>) -> Result<Document, Error> {
        let ctx = context::for_unit(loaded.template_base(), &loaded.report, branch, template, None);
        let markup = self.templates.render(template, &ctx).map_err(|e| with_data_file(e, loaded))?;
        let meta = meta(loaded, template, branch);
        doc::parse_with(&markup, &self.style, meta, &loaded.images).map_err(|e| markup_error(template, &e))
    }

    /// Renders one unit into the requested formats; with `at_once`, the
    /// PDF and the DOCX on two threads.
    pub fn render(
        &self,
        loaded: &Loaded,
        template: &str,
        branch: Option<&Branch>,
        formats: Formats,
        at_once: bool,
    ) -> Result<Rendered, Error> {
        let mut timings = StageTimes::default();
        let started = Instant::now();
        let document = self.document(loaded, template, branch)?;
        timings.document = started.elapsed();
        let started = Instant::now();
        // The PDF's identifier (a hash of the whole document) is worked out
        // beside the layout when a core is free, not before the PDF.
        let (laid, ident) = std::thread::scope(|s| {
            let ident = (at_once && formats.pdf).then(|| s.spawn(|| content_ident(&document)));
            let laid = self.typst.layout(&document, &self.style, &self.fonts, at_once);
            (laid, ident.map(|i| i.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))))
        });
        let mut laid = laid?;
        timings.layout = started.elapsed();
        let mut out = Rendered { pages: laid.page_count(), ..Rendered::default() };
        let hints = std::mem::take(&mut laid.hints);
        let pdf = || -> Result<(Vec<u8>, Duration), Error> {
            let started = Instant::now();
            let ident = ident.clone().unwrap_or_else(|| content_ident(&document));
            Ok((laid.pdf(&ident, self.pdf_standards())?, started.elapsed()))
        };
        let docx = || -> Result<(Vec<u8>, Duration), Error> {
            let started = Instant::now();
            // Fonts Word or LibreOffice may not find a fallback for (our
            // embedded or bundled ones): name the fallback font on the
            // characters only it draws.
            let fallback = (self.docx_fonts_mode != DocxFontMode::Office).then(|| docx::FallbackFont {
                family: crate::fonts::FALLBACK_FAMILY.to_owned(),
                chars: document
                    .texts()
                    .iter()
                    .flat_map(|t| t.chars())
                    .filter(|&c| self.fonts.drawn_by(c) == crate::fonts::Drawn::Fallback)
                    .collect(),
            });
            let opts = docx::DocxOptions {
                fonts: self.docx_fonts.clone(),
                hints,
                embed: self.embed.clone(),
                fallback: fallback.filter(|f| !f.chars.is_empty()),
            };
            let bytes =
                docx::write_docx(&document, &self.style, &opts).map_err(|e| Error::internal(format!("DOCX: {e}")))?;
            Ok((bytes, started.elapsed()))
        };
        // Both formats at once: neither reads the other, and a long
        // report's DOCX takes about as long as the part of its PDF export
        // that runs on one core (997 pages: 1.62 -> 1.50 s, medians of 12).
        // A thread of our own, not rayon: the PDF export waits on rayon with
        // `yield_now`, see batch.rs.
        // The fonts used (for `jianbao check`) are counted beside the PDF
        // too, by the DOCX's thread, which finishes first.
        let (pdf, docx, fonts_used) = match (formats.pdf, formats.docx) {
            (true, true) if at_once => std::thread::scope(|scope| {
                let docx = scope.spawn(|| (docx(), laid.fonts_used()));
                let pdf = pdf();
                let (docx, fonts_used) = docx.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (Some(pdf), Some(docx), fonts_used)
            }),
            (pdf_wanted, docx_wanted) => (pdf_wanted.then(pdf), docx_wanted.then(docx), laid.fonts_used()),
        };
        out.fonts_used = fonts_used;
        if let Some(pdf) = pdf {
            let (bytes, took) = pdf?;
            out.pdf = Some(bytes);
            timings.pdf = took;
        }
        if let Some(docx) = docx {
            let (bytes, took) = docx?;
            out.docx = Some(bytes);
            timings.docx = took;
        }
        out.timings = timings;
        Ok(out)
    }
}

impl Engine {
    fn pdf_standards(&self) -> typst_pdf::PdfStandards {
        match self.pdf_standard {
            PdfStandard::Plain => typst_pdf::PdfStandards::default(),
            PdfStandard::A2b => typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2b])
                .expect("PDF/A-2b alone is a valid set of standards"),
        }
    }
}

/// A font that cannot go into the DOCX, in the message language.
fn embed_error(e: docx::EmbedError) -> Error {
    let message = match &e {
        docx::EmbedError::Forbidden { face, permission, .. } => {
            tr!(format!("字体 {face} 的授权不允许嵌入文档（OS/2 fsType 0x{:04X}）", permission.fs_type), e.to_string())
        }
        docx::EmbedError::NoFace { family } => {
            tr!(format!("无法嵌入字体 {family}：文档用到它，但没有载入它的字体文件"), e.to_string())
        }
        docx::EmbedError::Font { face, error } => tr!(format!("无法嵌入字体 {face}：{error}"), e.to_string()),
    };
    Diagnostic::error(ErrorKind::Font, message)
        .help(tr!(
            "改用 --docx-fonts office（写字体名、不嵌入），或在 jianbao.toml 中换用允许嵌入的字体",
            "use --docx-fonts office (names the fonts, embeds none), or configure fonts whose licence allows embedding"
        ))
        .into()
}

/// For `--docx-fonts embed`: the DOCX names the fonts the PDF uses, by
/// their name-ID-1 family (what Windows matches), and carries their faces
/// — each role's font, its bold face where it has one, and the fallback.
fn embedded_fonts(fonts: &FontSet) -> (docx::DocxFonts, docx::EmbedFonts) {
    use crate::fonts::{FALLBACK_FAMILY, Role};
    let names = docx::DocxFonts::from_fn(|role| {
        let rf = fonts.role(role);
        let family = rf.families.first().map(String::as_str).unwrap_or(FALLBACK_FAMILY);
        docx::FontSpec { bold: rf.weight >= 600, ..docx::FontSpec::known(family) }
    });
    let mut faces: Vec<docx::EmbedFace> = Vec::new();
    let mut add = |name: &str, bold: bool, family: &str, weight: u16| {
        if faces.iter().any(|f| f.family == name && f.bold == bold) {
            return;
        }
        if let Some(face) = fonts.faces_of(family, weight).first()
            && (face.font.info().variant.weight.to_number() >= 600) == bold
        {
            faces.push(docx::EmbedFace::new(name, bold, face.font.data().clone(), face.font.index()));
        }
    };
    for role in Role::ALL {
        let rf = fonts.role(role);
        let Some(family) = rf.families.first() else { continue };
        let name = names.get(role).name.clone();
        add(&name, false, family, 400);
        if rf.has_bold {
            add(&name, true, family, 700);
        }
    }
    let fallback = fonts
        .faces_of(FALLBACK_FAMILY, 400)
        .first()
        .map(|f| docx::EmbedFace::new(FALLBACK_FAMILY, false, f.font.data().clone(), f.font.index()));
    (names, docx::EmbedFonts { faces, fallback })
}

/// A stable identifier of a document's content, for the PDF's ID.
fn content_ident(doc: &Document) -> String {
    let json = serde_json::to_string(doc).unwrap_or_default();
    format!("{:032x}", typst::utils::hash128(&json))
}

/// The metadata of a unit.
fn meta(loaded: &Loaded, template: &str, branch: Option<&Branch>) -> Meta {
    let r = &loaded.report;
    let title = r.title.as_ref().map(|t| t.to_string()).unwrap_or_else(|| match branch {
        Some(b) => format!("{}{}工作总结", b.name, r.period.label),
        None => format!("{}{}", r.organization.name, r.period.label),
    });
    let mut keywords = vec![r.organization.name.to_string(), r.period.label.to_string()];
    if let Some(b) = branch {
        keywords.push(b.name.to_string());
    }
    Meta {
        title,
        author: r.author.as_ref().map(|a| a.to_string()).unwrap_or_else(|| r.organization.name.to_string()),
        subject: template.to_owned(),
        keywords,
        date: r.date.map(|d| d.to_iso()).or_else(source_date_epoch),
        lang: "zh-CN".into(),
    }
}

/// The date of `SOURCE_DATE_EPOCH` (seconds since 1970), the reproducible-
/// builds convention, for documents whose data gives no date: output never
/// depends on the wall clock.
fn source_date_epoch() -> Option<String> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    // Howard Hinnant's civil_from_days.
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Gives a "data is missing" error from a template the data file's name.
fn with_data_file(mut e: Error, loaded: &Loaded) -> Error {
    for d in &mut e.diagnostics {
        if d.kind == ErrorKind::Data && d.pos.is_none() {
            d.pos = Some(SourcePos::new(&loaded.source.path, &loaded.source.text, 1, 1));
        }
    }
    e
}

/// A markup problem is the template's fault.
fn markup_error(template: &str, e: &doc::ParseError) -> Error {
    Diagnostic::error(
        ErrorKind::Template,
        tr!(
            format!("模板“{template}”生成的正文第 {} 行有误：{}", e.line, e.message),
            format!("template “{template}” produced invalid markup at line {}: {}", e.line, e.message)
        ),
    )
    .help(tr!(format!("该行内容：{}", e.text), format!("the line reads: {}", e.text)))
    .into()
}

/// The cores this process may run on: a batch's jobs, and the threads one
/// document's layout may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Whether a document has any block of the given kind (for tests).
pub fn has_block(doc: &Document, f: impl Fn(&Block) -> bool) -> bool {
    doc.blocks.iter().any(f)
}

#[cfg(test)]
mod tests {
    #[test]
    fn source_date_epoch_is_read_as_a_date() {
        // SAFETY: tests in this module do not read the environment concurrently.
        unsafe { std::env::set_var("SOURCE_DATE_EPOCH", "1752105600") };
        assert_eq!(super::source_date_epoch().as_deref(), Some("2025-07-10"));
        unsafe { std::env::remove_var("SOURCE_DATE_EPOCH") };
    }
}
