//! PDF backend: the document IR and the style go to Typst as JSON data; a
//! fixed layout file (`templates/layout.typ`) reads them; typst-pdf writes
//! the PDF with the fonts embedded as subsets.
//!
//! The [`Typst`] engine (standard library, font book, the parsed layout) is
//! built once per process and shared by every thread; each document gets a
//! small [`DocWorld`] that serves the layout, its data and the document's
//! pictures — each under a fixed virtual path (`/assets/0.jpeg` …) from the
//! bytes the loader already read and checked. Nothing else can be read —
//! not the file system, not packages; no path from the data ever reaches
//! Typst.
//!
//! The layout is a module ([`LayoutForm::Module`]): a main file of ours
//! imports it and calls its `layout-document` with the document's data
//! (`/data.json`: metadata and blocks). The module itself reads only
//! `/style.json` (the style, the role fonts, numbers derived from them),
//! which is the same for every document of a batch: Typst memoises the
//! import, so the layout's definitions are evaluated once, not once per
//! document — 4 % of a branch summary's instructions. A layout written
//! before that ([`LayoutForm::Script`]) is the main file itself and finds
//! everything in `/data.json`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Label, Smart};
use typst::introspection::Introspector;
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

use super::spacing::Forced;
use super::{line_ends, page_numbers, page_runs, parts, predict, spacing, vertical};
use crate::doc::{Block, Document, LayoutHints};
use crate::error::{Diagnostic, Error, ErrorKind, SourcePos};
use crate::fonts::FontSet;
use crate::model::images::ImageData;
use crate::style::Style;
use crate::tr;

/// The built-in layout.
pub const LAYOUT: &str = include_str!("../../templates/layout.typ");

/// Layout rounds at most: the first, plus rounds that add line breaks
/// where the office suite breaks (see `line_ends`).
const MAX_LAYOUT_ROUNDS: usize = 5;

/// Documents with fewer blocks are evaluated by the main thread alone:
/// the 1000-page report has 4,800; a branch summary about 60.
const PREWARM_MIN_BLOCKS: usize = 400;
/// The share of the blocks (from the end) another thread evaluates ahead.
const PREWARM_SHARE_PERCENT: usize = 50;

/// The virtual path of the layout file.
const LAYOUT_PATH: &str = "/layout.typ";
/// The virtual path of the document's data.
const DATA_PATH: &str = "/data.json";
/// The virtual path of the style, fonts and derived numbers.
const STYLE_PATH: &str = "/style.json";
/// The virtual path of our main file, for a layout that is a module.
const MAIN_PATH: &str = "/main.typ";
/// The main file: the layout's `layout-document` with the document's data.
const MAIN: &str = "#import \"/layout.typ\": layout-document\n#layout-document(json(\"/data.json\"))\n";
/// The virtual folder the document's pictures are served from.
const ASSETS_DIR: &str = "/assets";

/// The blocks `range` of `doc` as the layout reads them (see
/// `spacing::layout_blocks`), each picture named by its virtual path only.
fn layout_blocks(
    doc: &Document,
    forced: &Forced,
    assets: &Assets,
    range: std::ops::Range<usize>,
) -> Vec<serde_json::Value> {
    let mut blocks = spacing::layout_blocks(&doc.blocks, forced, range.clone());
    for (b, v) in doc.blocks[range].iter().zip(blocks.iter_mut()) {
        if let Block::Image { image, .. } = b
            && let Some(path) = assets.path_of(image)
        {
            v["src"] = serde_json::Value::String(path.to_owned());
        }
    }
    blocks
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid constant path")).intern()
}

/// What the layout's definitions read (`/style.json`): the style, derived
/// numbers, fonts — the same for every document of a batch.
#[derive(Serialize)]
struct LayoutSetup<'a> {
    style: &'a Style,
    derived: Derived<'a>,
    fonts: &'a std::collections::BTreeMap<crate::fonts::Role, crate::fonts::RoleFonts>,
}

/// A document's data for the layout (`/data.json`).
#[derive(Serialize)]
struct LayoutInput<'a> {
    /// The setup again, for a layout written as a script.
    #[serde(flatten)]
    setup: Option<&'a LayoutSetup<'a>>,
    meta: &'a crate::doc::Meta,
    blocks: &'a [serde_json::Value],
    /// Set for the page-number pass only (see `page_numbers`): the numbers
    /// to lay out, one empty page each.
    #[serde(skip_serializing_if = "Option::is_none")]
    page_numbers: Option<&'a [usize]>,
}

/// Numbers derived from the style, computed once here rather than in Typst.
#[derive(Serialize)]
struct Derived<'a> {
    char_pitch_pt: f64,
    text_width_pt: f64,
    /// Where the first grid line starts below the top margin, and each
    /// role's vertical metrics: the layout puts every baseline where
    /// LibreOffice puts it (see `vertical`).
    grid_offset_pt: f64,
    metrics: &'a vertical::Metrics,
}

/// Typst, loaded once: library, fonts, and the parsed layout.
pub struct Typst {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    layout: Source,
    form: LayoutForm,
    /// Our main file, for a layout that is a module.
    main: Source,
    /// Where a user's own layout was read from (None: the built-in one).
    /// An error in the built-in layout is a bug; in a user's, theirs.
    layout_file: Option<std::path::PathBuf>,
    data_id: FileId,
    style_id: FileId,
    /// The role fonts' vertical metrics: read once, not per layout round.
    metrics: vertical::Metrics,
    /// The role fonts' advances, for the first round's line breaks.
    advances: predict::Advances,
}

/// How a layout file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LayoutForm {
    /// A module defining `layout-document(input)`, whose definitions read
    /// only `/style.json` (the built-in layout since it was split so).
    Module,
    /// A script that reads everything from `/data.json` and lays out the
    /// document as it goes: a layout copied before that, still accepted.
    Script,
}

impl LayoutForm {
    /// A layout that defines `layout-document` at its top level is a module.
    fn of(layout: &str) -> LayoutForm {
        use typst::syntax::ast;
        let root = typst::syntax::parse(layout);
        let defines_it = root.cast::<ast::Markup>().is_some_and(|markup| {
            markup.exprs().any(|expr| match expr {
                ast::Expr::LetBinding(binding) => match binding.kind() {
                    ast::LetBindingKind::Closure(name) => name.as_str() == "layout-document",
                    ast::LetBindingKind::Normal(_) => false,
                },
                _ => false,
            })
        });
        if defines_it { LayoutForm::Module } else { LayoutForm::Script }
    }
}

/// The layout rounds of one document: what is forced, what was predicted.
struct Rounds {
    /// Each wrapping block's predicted line starts, while they hold.
    predicted: BTreeMap<usize, Vec<usize>>,
    forced: Forced,
    /// Rounds laid out so far.
    count: usize,
}

/// What a round's check says of its layout.
enum Verdict {
    /// Keep it.
    Settled,
    /// Lay out again with what the check forced.
    Again,
    /// Its text could not be matched to the document's.
    Unmatched,
}

impl Rounds {
    /// Checks the layout of a round against the office suite's lines, and
    /// forces what the next round needs.
    fn check(&mut self, document: &PagedDocument, doc: &Document, style: &Style) -> Verdict {
        self.count += 1;
        let forced = &mut self.forced;
        let Some(laid) = line_ends::LaidText::read(document, &doc.blocks, style) else {
            return Verdict::Unmatched;
        };
        // A page run that did not start after a full page moved the pages
        // after it: lay out again without the runs (and read nothing else
        // from this layout).
        if !page_runs::hold(&laid, &forced.runs, style) {
            forced.runs.clear();
            return Verdict::Again;
        }
        // A block laid out other than predicted loses its forced breaks and
        // is measured afresh next round.
        let starts = laid.line_starts();
        let mispredicted: Vec<usize> = self
            .predicted
            .iter()
            .filter(|(block, lines)| starts.get(block).map_or(&[][..], Vec::as_slice) != lines.as_slice())
            .map(|(&block, _)| block)
            .collect();
        self.predicted.retain(|block, _| !mispredicted.contains(block));
        forced.lines.retain(|b| !mispredicted.contains(&b.block));
        let mut more: Vec<_> = laid.office_breaks(style);
        more.extend(laid.overflow_breaks(style));
        more.sort();
        more.dedup();
        more.retain(|b| forced.lines.binary_search(b).is_err() && !mispredicted.contains(&b.block));
        let orphan = laid.orphaned_signature(&doc.blocks).filter(|p| !forced.pages.contains(p));
        let settled = more.is_empty() && orphan.is_none() && mispredicted.is_empty();
        if settled || self.count >= MAX_LAYOUT_ROUNDS {
            return Verdict::Settled;
        }
        forced.lines.extend(more);
        forced.lines.sort();
        forced.pages.extend(orphan);
        Verdict::Again
    }
}

impl Typst {
    /// Loads Typst with the fonts of `fonts` and the layout `layout` (the
    /// built-in one unless a template folder overrides it).
    pub fn new(fonts: &FontSet, layout: &str, layout_file: Option<std::path::PathBuf>) -> Typst {
        let advances = predict::Advances::new(fonts);
        // Typst's memo keys a font by a hash of all its bytes, worked out
        // on its first use and kept: 30–40 ms for the role fonts, in the
        // middle of the first layout. Worked out here on another thread,
        // it is ready by then (the data is still being read and checked).
        // The fallback font too: one rare character in a name is enough to
        // need it (the county sample has some), and the core is idle now.
        let chain_fonts = advances.fonts();
        std::thread::spawn(move || {
            for font in chain_fonts {
                typst::utils::hash128(&font);
            }
        });
        Typst {
            library: LazyHash::new(Library::builder().build()),
            // The font set's own book: the same faces, in the same order.
            book: fonts.book.clone(),
            fonts: fonts.faces.iter().map(|f| f.font.clone()).collect(),
            advances,
            layout: Source::new(file_id(LAYOUT_PATH), layout.to_owned()),
            form: LayoutForm::of(layout),
            main: Source::new(file_id(MAIN_PATH), MAIN.to_owned()),
            layout_file,
            data_id: file_id(DATA_PATH),
            style_id: file_id(STYLE_PATH),
            metrics: vertical::Metrics::of_fonts(fonts),
        }
    }

    /// Lays out `doc`: the pages, and what the DOCX needs to know of them.
    /// With `at_once` (a core is free), the page numbers are laid out on
    /// another thread while the layout is checked.
    pub fn layout(&self, doc: &Document, style: &Style, fonts: &FontSet, at_once: bool) -> Result<Laid, Error> {
        let prediction = predict::predict(&doc.blocks, style, &self.advances);
        let runs = page_runs::starts(&doc.blocks, &prediction.lines, style, &self.metrics);
        self.layout_predicted(doc, style, fonts, prediction, runs, at_once)
    }

    /// [`Typst::layout`] starting from `prediction`, with page runs starting
    /// at the blocks `runs`.
    fn layout_predicted(
        &self,
        doc: &Document,
        style: &Style,
        fonts: &FontSet,
        prediction: predict::Prediction,
        runs: Vec<usize>,
        at_once: bool,
    ) -> Result<Laid, Error> {
        let today = doc.meta.date.as_deref().and_then(parse_iso_date);
        // Lay out with the office suite's line breaks forced where Typst
        // would break otherwise, as far as they can be worked out from the
        // text (`predict`). Where a line still only fitted by squeezing its
        // last mark, break it where the office suite will and lay out again
        // (each round can only move text down, so this settles quickly).
        // A signature left alone on a page takes the line before it along.
        let mut rounds = Rounds {
            predicted: prediction.starts,
            forced: Forced {
                lines: prediction.forced,
                pages: Vec::new(),
                runs,
                one_line_rows: prediction.one_line_rows,
            },
            count: 0,
        };
        let assets = Assets::new(doc);
        let cores = if at_once { super::cores() } else { 1 };
        let document = loop {
            let document = self.compile(doc, style, fonts, &assets, today, &rounds.forced, cores)?;
            // The check nearly always settles the layout: with a core free,
            // its page numbers are laid out meanwhile (a 1000-page report's
            // numbers take as long as reading its pages back).
            let (verdict, numbered) = if at_once {
                std::thread::scope(|s| {
                    let numbered = s.spawn(|| self.number_pages(&document, style, fonts));
                    let verdict = rounds.check(&document, doc, style);
                    (verdict, Some(numbered.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))))
                })
            } else {
                (rounds.check(&document, doc, style), None)
            };
            let forced = &rounds.forced;
            let nothing_forced = forced.lines.is_empty() && forced.pages.is_empty() && forced.runs.is_empty();
            match verdict {
                Verdict::Again => {}
                // Unmatched text: nothing can be checked, so nothing forced.
                Verdict::Unmatched if !nothing_forced => {
                    let document = self.compile(doc, style, fonts, &assets, today, &Forced::default(), cores)?;
                    break self.number_pages(&document, style, fonts)?;
                }
                Verdict::Settled | Verdict::Unmatched => {
                    break numbered.unwrap_or_else(|| self.number_pages(&document, style, fonts))?;
                }
            }
        };
        let mut rows = table_rows(&document, style);
        rows.extend(colophon_rows(&document));
        let hints = layout_hints(&document, doc, style, rows);
        Ok(Laid { document, hints, today })
    }

    /// One Typst compilation of `doc` with the `forced` breaks, on up to
    /// `cores` cores (one in a batch, which keeps every core busy): a long
    /// document is laid out in parts, one per core (see [`parts`]), or, in
    /// a layout of the user's, its evaluation is shared with another thread
    /// (see [`Typst::prewarm`]).
    #[allow(clippy::too_many_arguments)]
    fn compile(
        &self,
        doc: &Document,
        style: &Style,
        fonts: &FontSet,
        assets: &Assets,
        today: Option<Datetime>,
        forced: &Forced,
        cores: usize,
    ) -> Result<PagedDocument, Error> {
        // The blocks `range` as a document of their own (their data made on
        // the thread that compiles them).
        let part = |range: std::ops::Range<usize>| {
            let blocks = layout_blocks(doc, forced, assets, range);
            self.run(&self.world(style, fonts, &doc.meta, &blocks, None, assets, today)?)
        };
        let count = doc.blocks.len();
        // The built-in layout lays out just the blocks it is given, so a
        // long document can be laid out in parts. A layout of the user's
        // may add pages of its own around them: it gets its evaluation
        // shared instead.
        if self.layout_file.is_none() {
            let starts = parts::starts(&forced.runs, cores);
            if !starts.is_empty() {
                return parts::lay_out(count, &starts, part);
            }
        }
        let prewarm = cores > 1 && self.form == LayoutForm::Module && count >= PREWARM_MIN_BLOCKS;
        std::thread::scope(|s| {
            if prewarm {
                s.spawn(|| {
                    let later = layout_blocks(doc, forced, assets, count - count * PREWARM_SHARE_PERCENT / 100..count);
                    self.world(style, fonts, &doc.meta, &later, None, assets, today).is_ok_and(|w| self.prewarm(&w))
                });
            }
            part(0..count)
        })
    }

    /// Evaluates `layout-document` for the later blocks of a document (the
    /// data of `world`) while the main thread compiles the whole of it, and
    /// throws the result away: what stays is Typst's memo of every call the
    /// layout made for those blocks (`paragraph(b, tail: tail)`, `runs(…)`
    /// …). Typst evaluates a document on one core — a 1000-page report's
    /// 4,800 blocks for about 270 ms while the other core had nothing to do
    /// — and when the main thread reaches these blocks, the same calls with
    /// the same arguments from the same place in `layout.typ` are answered
    /// from the memo. The output is the same either way (the memo returns
    /// what the call would); an error here is left for the main thread to
    /// find. Says whether the blocks were evaluated without one.
    fn prewarm(&self, world: &DocWorld) -> bool {
        let Ok(main) = world.source(world.main()) else { return false };
        use comemo::Track;
        let mut sink = typst::engine::Sink::new();
        typst_eval::eval(
            (world as &dyn World).track(),
            world.library(),
            typst::engine::Traced::default().track(),
            sink.track_mut(),
            typst::engine::Route::default().track(),
            &main,
        )
        .is_ok()
    }

    /// `document` with its page numbers, laid out in a pass of their own
    /// when its layout leaves them to one (see `page_numbers`).
    fn number_pages(&self, document: &PagedDocument, style: &Style, fonts: &FontSet) -> Result<PagedDocument, Error> {
        if !page_numbers::separate(document) {
            return Ok(document.clone());
        }
        let numbers = page_numbers::numbered(document);
        let meta = crate::doc::Meta::default();
        let assets = Assets::default();
        let footers = self.run(&self.world(style, fonts, &meta, &[], Some(&numbers), &assets, None)?)?;
        Ok(page_numbers::stamp(document.clone(), &footers))
    }

    /// One Typst compilation of the layout in `world`.
    fn run(&self, world: &DocWorld) -> Result<PagedDocument, Error> {
        let warned = typst::compile::<PagedDocument>(world);
        // A warning in our own layout is a bug (an unknown font family would
        // silently fall back): treat it as an error.
        if let Some(w) = warned.warnings.iter().find(|w| w.severity == Severity::Warning) {
            return Err(self.diagnostic_error(world, w));
        }
        match warned.output {
            Ok(d) => Ok(d),
            Err(errors) => Err(self.diagnostic_error(world, &errors[0])),
        }
    }

    /// What one compilation sees: the layout, and these data as
    /// `/data.json`.
    #[allow(clippy::too_many_arguments)]
    fn world<'a>(
        &'a self,
        style: &Style,
        fonts: &FontSet,
        meta: &crate::doc::Meta,
        blocks: &[serde_json::Value],
        page_numbers: Option<&[usize]>,
        assets: &'a Assets,
        today: Option<Datetime>,
    ) -> Result<DocWorld<'a>, Error> {
        let setup = LayoutSetup {
            style,
            derived: Derived {
                char_pitch_pt: style.char_pitch_pt(),
                text_width_pt: style.page.text_width_pt(),
                grid_offset_pt: vertical::grid_offset(style),
                metrics: &self.metrics,
            },
            fonts: &fonts.roles,
        };
        let input =
            LayoutInput { setup: (self.form == LayoutForm::Script).then_some(&setup), meta, blocks, page_numbers };
        let data = serde_json::to_vec(&input).map_err(|e| Error::internal(e.to_string()))?;
        let setup = serde_json::to_vec(&setup).map_err(|e| Error::internal(e.to_string()))?;
        Ok(DocWorld { typst: self, data: Bytes::new(data), setup: Bytes::new(setup), assets, today })
    }

    fn diagnostic_error(&self, world: &DocWorld, d: &SourceDiagnostic) -> Error {
        // A position in the layout file (not in our main file).
        let line_col = (d.span.id() == Some(self.layout.id()))
            .then(|| world.range(d.span))
            .flatten()
            .and_then(|r| self.layout.lines().byte_to_line_column(r.start));
        let hints: String = d.hints.iter().map(|h| format!("; {}", h.v)).collect();
        match &self.layout_file {
            // The user's own layout: a template error at its position.
            Some(path) => {
                let pos = line_col.map(|(l, c)| SourcePos::new(path, self.layout.text(), l + 1, c + 1));
                Diagnostic::error(
                    ErrorKind::Template,
                    tr!(
                        format!("排版文件有误：{}{hints}", d.message),
                        format!("error in the layout: {}{hints}", d.message)
                    ),
                )
                .at(pos)
                .help(tr!(
                    "这是模板文件夹中自定义的 layout.typ；删去它即恢复内置排版",
                    "this is the layout.typ of your template folder; remove it to use the built-in layout"
                ))
                .into()
            }
            None => {
                let at = line_col.map(|(l, c)| format!(" (layout.typ {}:{})", l + 1, c + 1)).unwrap_or_default();
                Error::internal(tr!(
                    format!("排版失败：{}{at}{hints}", d.message),
                    format!("layout failed: {}{at}{hints}", d.message)
                ))
            }
        }
    }
}

/// A laid-out document.
/// A font the layout used and how many glyphs it draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontUse {
    pub family: String,
    pub glyphs: usize,
}

pub struct Laid {
    pub document: PagedDocument,
    pub hints: LayoutHints,
    today: Option<Datetime>,
}

impl Laid {
    /// The number of pages.
    pub fn page_count(&self) -> usize {
        self.document.pages().len()
    }

    /// The fonts that draw the document, each with the number of glyphs it
    /// draws, most used first (for `jianbao check`).
    // A `Font` hashes its immutable bytes and index; what clippy sees as
    // mutable is a lazily filled cache inside it.
    #[allow(clippy::mutable_key_type)]
    pub fn fonts_used(&self) -> Vec<FontUse> {
        // Counted per font, named once at the end: a long report has tens of
        // thousands of text items.
        fn collect(frame: &typst::layout::Frame, counts: &mut HashMap<typst::text::Font, usize>) {
            for (_, item) in frame.items() {
                match item {
                    typst::layout::FrameItem::Group(g) => collect(&g.frame, counts),
                    typst::layout::FrameItem::Text(t) => {
                        *counts.entry(t.font.font().clone()).or_default() += t.glyphs.len()
                    }
                    _ => {}
                }
            }
        }
        let mut counts = HashMap::new();
        for page in self.document.pages() {
            collect(&page.frame, &mut counts);
        }
        let mut named: BTreeMap<String, usize> = BTreeMap::new();
        for (font, glyphs) in counts {
            let info = font.info();
            let name = match info.variant.weight.to_number() {
                w if w >= 600 => format!("{} Bold", info.family),
                _ => info.family.clone(),
            };
            *named.entry(name).or_default() += glyphs;
        }
        let mut used: Vec<FontUse> = named.into_iter().map(|(family, glyphs)| FontUse { family, glyphs }).collect();
        used.sort_by(|a, b| b.glyphs.cmp(&a.glyphs).then_with(|| a.family.cmp(&b.family)));
        used
    }

    /// Exports the PDF. `ident` identifies the document stably (a hash of
    /// its content), so the same input gives the same bytes.
    pub fn pdf(&self, ident: &str, standards: typst_pdf::PdfStandards) -> Result<Vec<u8>, Error> {
        let options = typst_pdf::PdfOptions {
            ident: Smart::Custom(ident.to_owned()),
            creator: Smart::Custom(Some(format!("jianbao {}", env!("CARGO_PKG_VERSION")))),
            timestamp: Some(typst_pdf::Timestamp::new_utc(
                self.today.unwrap_or_else(|| Datetime::from_ymd(2000, 1, 1).expect("valid date")),
            )),
            page_ranges: None,
            standards,
            tagged: true,
            pretty: false,
        };
        typst_pdf::pdf(&self.document, &options).map_err(|errors| {
            let msg = errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ");
            Error::internal(tr!(format!("PDF 导出失败：{msg}"), format!("PDF export failed: {msg}")))
        })
    }
}

fn parse_iso_date(s: &str) -> Option<Datetime> {
    let mut it = s.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next().flatten().unwrap_or(1));
    Datetime::from_ymd(y as i32, m as u8, d as u8)
}

/// Reads what the DOCX needs from the layout: the grid lines of each
/// table and colophon row (`rows`, by block) and where the colophon landed.
fn layout_hints(
    document: &PagedDocument,
    doc: &Document,
    style: &Style,
    rows: BTreeMap<usize, Vec<u32>>,
) -> LayoutHints {
    let (colophon_blank_lines, colophon_on_new_page) = colophon_place(document, doc, style, &rows).unwrap_or_default();
    LayoutHints { colophon_blank_lines, colophon_on_new_page, table_rows: rows }
}

/// The blank grid lines above the colophon and whether it starts a page of
/// its own; `None` without a colophon (or without the body-end mark).
fn colophon_place(
    document: &PagedDocument,
    doc: &Document,
    style: &Style,
    rows: &BTreeMap<usize, Vec<u32>>,
) -> Option<(u32, bool)> {
    // The grid lines the colophon takes: a line that wraps takes more.
    let colophon_lines = doc.blocks.iter().enumerate().find_map(|(i, b)| match b {
        crate::doc::Block::Colophon { lines, copies } => Some(
            rows.get(&i).map(|r| r.iter().sum::<u32>() as usize).unwrap_or(lines.len() + usize::from(copies.is_some())),
        ),
        _ => None,
    })?;
    let pos = page_numbers::body_end(document)?;
    let pitch = style.grid.line_pitch_pt;
    let top = style.page.top_mm * crate::style::PT_PER_MM;
    // Grid lines already used on the body's last page, rounded up.
    let used = ((pos.point.y.to_pt() - top) / pitch - 0.01).ceil().max(0.0) as u32;
    let on_new_page = pos.page.get() < document.pages().len();
    let free = style.grid.lines_per_page.saturating_sub(colophon_lines as u32);
    Some((if on_new_page { free } else { free.saturating_sub(used) }, on_new_page))
}

/// The grid lines each colophon row takes (by block), from the
/// `<jb-colophon>` mark the layout leaves with the measured spans.
fn colophon_rows(document: &PagedDocument) -> BTreeMap<usize, Vec<u32>> {
    let intro = document.introspector();
    let Ok(label) = Label::construct("jb-colophon".into()) else { return BTreeMap::new() };
    let mut out = BTreeMap::new();
    for elem in intro.query(&typst::foundations::Selector::Label(label)) {
        let Some(meta) = elem.to_packed::<typst::introspection::MetadataElem>() else { continue };
        let Ok(dict) = meta.value.clone().cast::<typst::foundations::Dict>() else { continue };
        let block = dict.get("block").ok().and_then(|v| v.clone().cast::<i64>().ok());
        let spans = dict.get("rows").ok().and_then(|v| v.clone().cast::<Vec<i64>>().ok());
        if let (Some(block), Some(spans)) = (block, spans) {
            out.insert(block as usize, spans.into_iter().map(|n| n.max(1) as u32).collect());
        }
    }
    out
}

/// The grid lines each table row takes, from the `<jb-row>` marks the
/// layout puts at the start of every row and after every table. A row
/// that breaks across pages is left out (the DOCX then estimates it).
fn table_rows(document: &PagedDocument, style: &Style) -> BTreeMap<usize, Vec<u32>> {
    let intro = document.introspector();
    let Ok(label) = Label::construct("jb-row".into()) else { return BTreeMap::new() };
    let mut marks: BTreeMap<usize, Vec<(usize, usize, f64)>> = BTreeMap::new();
    for elem in intro.query(&typst::foundations::Selector::Label(label)) {
        let (Some(loc), Some(meta)) = (elem.location(), elem.to_packed::<typst::introspection::MetadataElem>()) else {
            continue;
        };
        let Some(pos) = intro.position(loc) else { continue };
        let value = &meta.value;
        let field =
            |k: &str| value.clone().cast::<typst::foundations::Dict>().ok()?.get(k).ok()?.clone().cast::<i64>().ok();
        if let (Some(block), Some(row)) = (field("block"), field("row")) {
            marks.entry(block as usize).or_default().push((row as usize, pos.page.get(), pos.point.y.to_pt()));
        }
    }
    let pitch = style.grid.line_pitch_pt;
    marks
        .into_iter()
        .map(|(block, mut rows)| {
            // A header repeated on a later page marks row 0 again: keep the
            // first of each row.
            rows.sort_by_key(|a| (a.0, a.1));
            rows.dedup_by_key(|r| r.0);
            let lines = rows
                .windows(2)
                .map(|w| if w[0].1 == w[1].1 { ((w[1].2 - w[0].2) / pitch).round().max(1.0) as u32 } else { 0 })
                .collect();
            (block, lines)
        })
        .collect()
}

/// The pictures of one document, each under a fixed virtual path
/// (`/assets/<n>.<ext>`, numbered in order of first use) with the bytes
/// already loaded (shared, not copied).
#[derive(Default)]
struct Assets {
    files: Vec<(Arc<ImageData>, String, FileId, Bytes)>,
}

impl Assets {
    fn new(doc: &Document) -> Assets {
        let mut files: Vec<(Arc<ImageData>, String, FileId, Bytes)> = Vec::new();
        for b in &doc.blocks {
            if let Block::Image { image, .. } = b
                && !files.iter().any(|(i, ..)| Arc::ptr_eq(i, image))
            {
                let path = format!("{ASSETS_DIR}/{}.{}", files.len(), image.format.extension());
                let id = file_id(&path);
                files.push((image.clone(), path, id, Bytes::new(image.shared_bytes())));
            }
        }
        Assets { files }
    }

    fn path_of(&self, image: &Arc<ImageData>) -> Option<&str> {
        self.files.iter().find(|(i, ..)| Arc::ptr_eq(i, image)).map(|(_, p, ..)| p.as_str())
    }

    fn get(&self, id: FileId) -> Option<Bytes> {
        self.files.iter().find(|(_, _, i, _)| *i == id).map(|(.., b)| b.clone())
    }
}

/// The world of one document: the shared engine plus this document's data.
struct DocWorld<'a> {
    typst: &'a Typst,
    data: Bytes,
    setup: Bytes,
    assets: &'a Assets,
    today: Option<Datetime>,
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.typst.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.typst.book
    }

    fn main(&self) -> FileId {
        match self.typst.form {
            LayoutForm::Module => self.typst.main.id(),
            LayoutForm::Script => self.typst.layout.id(),
        }
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.typst.layout.id() {
            Ok(self.typst.layout.clone())
        } else if id == self.typst.main.id() && self.typst.form == LayoutForm::Module {
            Ok(self.typst.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.typst.data_id {
            Ok(self.data.clone())
        } else if id == self.typst.style_id {
            Ok(self.setup.clone())
        } else if id == self.typst.layout.id() {
            Ok(Bytes::from_string(self.typst.layout.clone()))
        } else if let Some(bytes) = self.assets.get(id) {
            Ok(bytes)
        } else {
            // Confinement: the layout may read its data and the document's
            // pictures, nothing else.
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.typst.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // The document's own date: output never depends on the wall clock.
        self.today
    }
}

/// Shared handle to the engine.
pub type SharedTypst = Arc<Typst>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Align, Meta, ParaKind, Run};

    /// Each page's text, in the order of its items.
    fn page_texts(document: &PagedDocument) -> Vec<String> {
        fn collect(frame: &typst::layout::Frame, out: &mut String) {
            for (_, item) in frame.items() {
                match item {
                    typst::layout::FrameItem::Group(g) => collect(&g.frame, out),
                    typst::layout::FrameItem::Text(t) => out.push_str(&t.text),
                    _ => {}
                }
            }
        }
        document
            .pages()
            .iter()
            .map(|p| {
                let mut text = String::new();
                collect(&p.frame, &mut text);
                text
            })
            .collect()
    }

    /// The bundled fonts, Typst with the built-in layout, the GB/T 9704 style.
    fn engine() -> (FontSet, Typst, Style) {
        let fonts = FontSet::bundled();
        let typst = Typst::new(&fonts, LAYOUT, None);
        (fonts, typst, Style::gbt9704())
    }

    /// A document of body paragraphs with the given texts.
    fn paragraphs(texts: impl IntoIterator<Item = String>) -> Document {
        Document {
            meta: Meta::default(),
            blocks: texts
                .into_iter()
                .map(|t| Block::Paragraph { kind: ParaKind::Body, text: vec![Run::plain(t)] })
                .collect(),
        }
    }

    #[test]
    fn page_numbers_come_from_their_own_pass_once_per_page() {
        let fonts = FontSet::bundled();
        let style = Style::gbt9704();
        // 15 paragraphs of 100 characters, 4 lines each.
        let doc = paragraphs((0..15).map(|_| "甲".repeat(100)));
        let check = |layout: &str, separate: bool| {
            let laid = Typst::new(&fonts, layout, None).layout(&doc, &style, &fonts, true).unwrap();
            assert_eq!(page_numbers::separate(&laid.document), separate);
            let texts = page_texts(&laid.document);
            assert_eq!(texts.len(), 3, "60 lines on 22-line pages");
            for (i, text) in texts.iter().enumerate() {
                let number = format!("— {} —", i + 1);
                assert_eq!(text.matches(&number).count(), 1, "page {}: {text}", i + 1);
                assert!(text.ends_with(&number), "the number comes after the page's text: {text}");
            }
        };
        check(LAYOUT, true);
        // A layout that draws its own numbers (a copy of the built-in one
        // made before the separate pass) keeps them, without a second set.
        let own = LAYOUT
            .replace("  footer: none,", "  footer: context page-number(counter(page).get().first()),")
            .replace("[#metadata(\"separate\") <jb-page-numbers>]", "");
        assert_ne!(own, LAYOUT);
        check(&own, false);
    }

    #[test]
    fn a_layout_written_as_a_script_lays_out_the_same() {
        let fonts = FontSet::bundled();
        let style = Style::gbt9704();
        let doc = report(40);
        assert_eq!(LayoutForm::of(LAYOUT), LayoutForm::Module);
        // The built-in layout as a script: everything from /data.json, and
        // the document laid out at its end.
        let script = LAYOUT.replace("json(\"/style.json\")", "json(\"/data.json\")").replace("layout-document", "all")
            + "\n#all(json(\"/data.json\"))\n";
        assert_eq!(LayoutForm::of(&script), LayoutForm::Script);
        let texts = |layout: &str| {
            let laid = Typst::new(&fonts, layout, None).layout(&doc, &style, &fonts, false).unwrap();
            page_texts(&laid.document)
        };
        let module = texts(LAYOUT);
        assert!(module.len() > 3, "{} pages", module.len());
        assert_eq!(texts(&script), module);
    }

    /// `n` paragraphs of 2 to 7 lines, a heading before every fifth.
    fn report(n: usize) -> Document {
        let mut doc = paragraphs((0..n).map(|i| "甲".repeat(30 + i * 37 % 160)));
        for i in (0..n).step_by(5).rev() {
            let text = vec![Run::plain("工作开展情况")];
            doc.blocks.insert(i, Block::Heading { level: 1, number: format!("{}、", i / 5 + 1), text });
        }
        doc
    }

    #[test]
    fn evaluating_the_later_blocks_ahead_changes_no_byte() {
        let (fonts, _, style) = engine();
        // A user's copy of the layout: it is not laid out in parts, its
        // evaluation is shared.
        let typst = Typst::new(&fonts, LAYOUT, Some(std::path::PathBuf::from("templates/layout.typ")));
        let doc = report(400);
        assert!(doc.blocks.len() >= PREWARM_MIN_BLOCKS);
        // The later blocks evaluate on their own, with the data as the
        // main compilation gives them.
        let blocks = spacing::layout_blocks(&doc.blocks, &Forced::default(), 0..doc.blocks.len());
        let later = &blocks[blocks.len() / 2..];
        let assets = Assets::default();
        assert!(typst.prewarm(&typst.world(&style, &fonts, &doc.meta, later, None, &assets, None).unwrap()));
        // With a core free (evaluated ahead) and without: the same PDF.
        let pdf = |at_once| typst.layout(&doc, &style, &fonts, at_once).unwrap().pdf("x", Default::default()).unwrap();
        assert_eq!(pdf(true), pdf(false));
    }

    #[test]
    fn a_document_laid_out_in_parts_makes_the_same_pdf() {
        let (fonts, typst, style) = engine();
        // One section three times over, word for word: its headings and
        // paragraphs come back in every part, as in a report whose
        // sections repeat (Typst would name them alike in each part).
        let section = report(100).blocks;
        let doc = Document { meta: Meta::default(), blocks: [section.clone(), section.clone(), section].concat() };
        let prediction = predict::predict(&doc.blocks, &style, &typst.advances);
        let runs = page_runs::starts(&doc.blocks, &prediction.lines, &style, &typst.metrics);
        let forced = Forced { runs: runs.clone(), ..Forced::default() };
        let assets = Assets::default();
        let starts = parts::starts(&runs, 3);
        assert_eq!(starts.len(), 2, "{runs:?}");
        let in_parts = typst.compile(&doc, &style, &fonts, &assets, None, &forced, 3).unwrap();
        let whole = typst.compile(&doc, &style, &fonts, &assets, None, &forced, 1).unwrap();
        assert!(whole.pages().len() > 50, "{} pages", whole.pages().len());
        assert_eq!(page_texts(&in_parts), page_texts(&whole));
        let numbers = |d: &PagedDocument| d.pages().iter().map(|p| p.number).collect::<Vec<_>>();
        assert_eq!(numbers(&in_parts), numbers(&whole));
        // Every element keeps a name of its own: the PDF's outline (one
        // entry per heading, found by its name) and its tags come out the
        // same, byte for byte.
        let pdf = |document| {
            let laid = Laid { document, hints: LayoutHints::default(), today: None };
            laid.pdf("x", Default::default()).unwrap()
        };
        assert!(pdf(in_parts) == pdf(whole));
    }

    #[test]
    fn page_runs_change_no_page() {
        let (fonts, typst, style) = engine();
        let doc = report(300);
        let prediction = || predict::predict(&doc.blocks, &style, &typst.advances);
        let runs = page_runs::starts(&doc.blocks, &prediction().lines, &style, &typst.metrics);
        assert!(runs.len() >= 2, "a long report is laid out in runs: {runs:?}");
        let split = typst.layout_predicted(&doc, &style, &fonts, prediction(), runs, true).unwrap();
        let whole = typst.layout_predicted(&doc, &style, &fonts, prediction(), Vec::new(), false).unwrap();
        assert!(split.page_count() > 50);
        assert_eq!(page_texts(&split.document), page_texts(&whole.document));
    }

    /// A document with one table of 40 activities over pages: short
    /// rows, and every seventh with a title that wraps.
    fn activity_table() -> Document {
        let cell = |t: &str| vec![Run::plain(t)];
        let rows = (0..40)
            .map(|i| {
                let title = if i % 7 == 3 {
                    "学习习近平总书记关于民政工作的重要论述和有关文件精神"
                } else {
                    "走访慰问老党员"
                };
                vec![cell(&format!("{}月{}日", i % 12 + 1, i % 28 + 1)), cell(title), cell("主题党日"), cell("56")]
            })
            .collect();
        let mut doc = paragraphs(["甲".repeat(100)]);
        doc.blocks.push(Block::Table {
            header: ["日期", "活动", "类型", "人次"].map(cell).to_vec(),
            rows,
            widths: vec![0.2, 0.5, 0.2, 0.1],
            align: vec![Align::Left, Align::Left, Align::Center, Align::Right],
        });
        doc
    }

    /// A row given one line also gets its margins as spacing beside its
    /// text rather than as an inset (templates/layout.typ): the same PDF,
    /// byte for byte, left, centred and right-aligned columns alike.
    #[test]
    fn rows_given_one_line_are_laid_out_as_measured_rows_would_be() {
        let (fonts, typst, style) = engine();
        let doc = activity_table();
        let prediction = || predict::predict(&doc.blocks, &style, &typst.advances);
        let one_line = prediction().one_line_rows[&1].clone();
        assert_eq!(one_line.len(), 41);
        assert_eq!(one_line.iter().filter(|&&one| !one).count(), 6, "the wrapping titles are measured: {one_line:?}");
        let pdf = |prediction: predict::Prediction| {
            let laid = typst.layout_predicted(&doc, &style, &fonts, prediction, Vec::new(), false).unwrap();
            assert!(laid.page_count() >= 2, "the header is repeated");
            laid.pdf("t", typst_pdf::PdfStandards::default()).unwrap()
        };
        let measured = pdf(predict::Prediction { one_line_rows: BTreeMap::new(), ..prediction() });
        assert!(pdf(prediction()) == measured, "rows given their height must come out as measured");
        // The comparison sees row heights: a wrapping row given one line
        // changes the PDF.
        let all_one_line = BTreeMap::from([(1, vec![true; 41])]);
        assert!(pdf(predict::Prediction { one_line_rows: all_one_line, ..prediction() }) != measured);
    }

    #[test]
    fn a_page_run_that_would_start_after_a_short_page_is_dropped() {
        let (fonts, typst, style) = engine();
        let doc = report(40);
        let prediction = || predict::predict(&doc.blocks, &style, &typst.advances);
        let whole = typst.layout_predicted(&doc, &style, &fonts, prediction(), Vec::new(), false).unwrap();
        // Block 3 starts on the first page: a page break before it would
        // leave that page short.
        let wrong = typst.layout_predicted(&doc, &style, &fonts, prediction(), vec![3], true).unwrap();
        assert_eq!(page_texts(&wrong.document), page_texts(&whole.document));
    }

    #[test]
    fn laid_text_is_matched_to_the_blocks_character_for_character() {
        let (fonts, typst, style) = engine();
        let mut doc = paragraphs(["甲乙".repeat(30), "丙丁 戊".to_owned(), "己".repeat(40)]);
        doc.blocks.insert(1, Block::Heading { level: 1, number: "一、".into(), text: vec![Run::plain("标题")] });
        let laid = typst.layout(&doc, &style, &fonts, false).unwrap();
        let read = |blocks: &[Block]| line_ends::LaidText::read(&laid.document, blocks, &style);
        let text = read(&doc.blocks).expect("the document's own blocks match");
        // Every block starts where it should, the space not counted as a
        // glyph but as a character of its block.
        assert_eq!(text.before_block(1).map(|(last, first)| last.page == first.page), Some(true));
        assert_eq!(text.line_starts()[&0], [26, 54]);
        assert!(!text.line_starts().contains_key(&2), "one line: {:?}", text.line_starts());
        assert_eq!(text.line_starts()[&3], [26]);
        let with = |block: usize, s: &str| {
            let mut blocks = doc.blocks.clone();
            blocks[block] = Block::Paragraph { kind: ParaKind::Body, text: vec![Run::plain(s)] };
            blocks
        };
        // One character other, one more, one fewer; a block more or less.
        assert!(read(&with(2, "丙丁 己")).is_none());
        assert!(read(&with(2, "丙丁 戊己")).is_none());
        assert!(read(&with(2, "丙丁")).is_none());
        assert!(read(&doc.blocks[..3]).is_none());
        let mut more = doc.blocks.clone();
        more.push(Block::Paragraph { kind: ParaKind::Body, text: vec![Run::plain("庚")] });
        assert!(read(&more).is_none());
        // Spaces are not matched: one more is the same text.
        assert!(read(&with(2, "丙丁  戊")).is_some());
    }

    #[test]
    fn a_prediction_the_layout_does_not_follow_is_dropped() {
        let (fonts, typst, style) = engine();
        let doc = paragraphs(["甲".repeat(60)]);
        let starts = |laid: &Laid| {
            line_ends::LaidText::read(&laid.document, &doc.blocks, &style).expect("matched").line_starts()[&0].clone()
        };
        // The office suite's lines: 26 characters after the indent, 28.
        let unforced =
            typst.layout_predicted(&doc, &style, &fonts, predict::Prediction::default(), Vec::new(), false).unwrap();
        assert_eq!(starts(&unforced), [26, 54]);
        // A prediction whose forced break (after 5 characters) the layout
        // follows, but whose next line (to 34) it cannot: the layout is not
        // the predicted one, so the break goes and the lines are as above.
        let break_after_5_then = |third_line: usize| predict::Prediction {
            forced: vec![line_ends::CharPos { block: 0, char: 5 }],
            starts: BTreeMap::from([(0, vec![5, third_line])]),
            ..Default::default()
        };
        // (Laid out with its page numbers on another thread meanwhile: the
        // second round's are the ones kept.)
        let laid = typst.layout_predicted(&doc, &style, &fonts, break_after_5_then(34), Vec::new(), true).unwrap();
        assert_eq!(starts(&laid), [26, 54]);
        let one_thread = typst.layout_predicted(&doc, &style, &fonts, break_after_5_then(34), Vec::new(), false);
        assert_eq!(page_texts(&laid.document), page_texts(&one_thread.unwrap().document));
        // One it can follow is kept (what the office suite does is the
        // prediction's business, checked by the parity tests).
        let laid = typst.layout_predicted(&doc, &style, &fonts, break_after_5_then(33), Vec::new(), false).unwrap();
        assert_eq!(starts(&laid), [5, 33]);
    }
}
