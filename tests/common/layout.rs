//! Shared by the layout tests (`tests/layout_pdf.rs`, `tests/layout_docx.rs`):
//! the rendered corpus (every sample with every template, plus small
//! purpose-made documents), the PDF measurements of `tests/tools/pdfprobe.py`
//! as Rust values, the page geometry of the Style, and a small reader of
//! WordprocessingML (effective run and paragraph properties).
//!
//! Include next to `mod common;` with `#[path = "common/layout.rs"] mod layout;`.
//! The methods and tolerances are those of the GB/T 9704 checker the project
//! measures itself with (gbcheck): glyphs grouped into lines by baseline,
//! wide characters counted as one, 1 mm for absolute positions.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use jianbao::doc::{Block, Document};
use jianbao::fonts::Role;
use jianbao::model::{self, LoadOptions};
use jianbao::render::{Engine, EngineOptions};
use jianbao::style::{PT_PER_MM, Style};
use serde::Deserialize;

use crate::common;

// --- Tolerances (gbcheck's) ----------------------------------------------------

/// Absolute positions: text edges, first-line top, page-number position.
pub const MARGIN_TOL: f64 = PT_PER_MM;
/// Font sizes.
pub const SIZE_TOL: f64 = 0.5;
/// Line pitch, and a baseline's distance from the grid.
pub const PITCH_TOL: f64 = 0.3;
/// Character pitch (trimmed mean over full lines).
pub const CHAR_PITCH_TOL: f64 = 0.1;
/// Indents.
pub const INDENT_TOL: f64 = 1.0;
/// A line this close to both text edges spans the block.
pub const FULL_LINE_TOL: f64 = 2.0;
/// A line ending this many characters short of the right edge ends a paragraph.
pub const SHORT_LINE_GAP: f64 = 0.9;

// --- The page geometry of a Style, in PDF points from the top-left corner ------

/// Where things must be, computed from the Style only.
#[derive(Debug, Clone)]
pub struct Geo {
    pub style: Style,
    pub page_w: f64,
    pub page_h: f64,
    /// Edges of the text block (版心).
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub pitch: f64,
    pub body: f64,
    pub char_pitch: f64,
}

impl Geo {
    pub fn new() -> Geo {
        let s = Style::gbt9704();
        let p = &s.page;
        let left = p.left_mm * PT_PER_MM;
        let top = p.top_mm * PT_PER_MM;
        Geo {
            page_w: p.width_mm * PT_PER_MM,
            page_h: p.height_mm * PT_PER_MM,
            left,
            right: left + p.text_width_pt(),
            top,
            bottom: top + p.text_height_pt(),
            pitch: s.grid.line_pitch_pt,
            body: s.body.size_pt,
            char_pitch: s.char_pitch_pt(),
            style: s,
        }
    }

    /// Whether a line is set in the body size.
    pub fn is_body_size(&self, line: &Line) -> bool {
        (line.size - self.body).abs() <= SIZE_TOL
    }

    /// The grid line (0-based) a baseline falls in, and the baseline's
    /// offset from the top of that grid line.
    pub fn grid(&self, baseline: f64) -> (i64, f64) {
        let k = ((baseline - self.top) / self.pitch).floor();
        (k as i64, baseline - self.top - k * self.pitch)
    }

    /// The line spans the text block (a *full* line).
    pub fn is_full(&self, line: &Line) -> bool {
        line.x0 <= self.left + FULL_LINE_TOL && line.x1 >= self.right - FULL_LINE_TOL
    }
}

// --- Characters ------------------------------------------------------------------

/// One character of the grid: CJK, full-width and East Asian ambiguous
/// (curly quotes, `·`, `—`, `…`).
pub fn is_wide(c: char) -> bool {
    use unicode_width::UnicodeWidthChar;
    c.width_cjk() == Some(2)
}

/// East Asian ambiguous width (wide only in CJK context).
pub fn is_ambiguous(c: char) -> bool {
    use unicode_width::UnicodeWidthChar;
    c.width() == Some(1) && c.width_cjk() == Some(2)
}

/// Characters LibreOffice and Word set in a Latin text portion inside
/// Chinese text (`·`, `°`, `×` …): the glyph before them and they themselves
/// lose the letter spacing, so a line holding them can hold one character
/// fewer. Curly quotes, dashes and the ellipsis stay in the Asian portion.
pub fn is_latin_portion_mark(c: char) -> bool {
    is_ambiguous(c) && !"“”‘’—…".contains(c)
}

pub const OPENING: &str = "“‘（《〈「『【〔［｛([{";
/// Marks that may not start a line (禁则), as gbcheck lists them.
pub const NO_LINE_START: &str = "，。、；：！？）》」』】〕〉”’…—～·%‰,.;:!?)]}";
const OTHER_PUNCT: &str = "“‘（《〈「『【〔［｛([{\"'-–－";

pub fn is_opening(c: char) -> bool {
    OPENING.contains(c)
}

pub fn cannot_start_line(c: char) -> bool {
    NO_LINE_START.contains(c)
}

pub fn is_punct(c: char) -> bool {
    NO_LINE_START.contains(c) || OTHER_PUNCT.contains(c)
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Width of a string in ems as the document model counts it (CJK and
/// full-width 1, the rest ½): `jianbao::doc::title::text_width`.
pub fn em_width(s: &str) -> f64 {
    jianbao::doc::title::text_width(s)
}

/// Text without white space.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

// --- PDF measurements (tests/tools/pdfprobe.py) ------------------------------------

#[derive(Debug, Clone, Deserialize)]
pub struct Pdf {
    pub pages: Vec<Page>,
    pub fonts: Vec<PdfFont>,
    pub notdef: u64,
    pub metadata: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PdfFont {
    pub name: String,
    pub embedded: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub lines: Vec<Line>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    pub x0: f64,
    pub x1: f64,
    pub y: f64,
    pub width: f64,
    pub color: Option<String>,
}

/// `[c, x0, x1, origin_x, size]`
#[derive(Debug, Clone, Deserialize)]
pub struct Glyph(pub String, pub f64, pub f64, pub f64, pub f64);

impl Glyph {
    pub fn c(&self) -> char {
        self.0.chars().next().unwrap_or(' ')
    }
    pub fn x0(&self) -> f64 {
        self.1
    }
    pub fn x1(&self) -> f64 {
        self.2
    }
    pub fn ox(&self) -> f64 {
        self.3
    }
    pub fn size(&self) -> f64 {
        self.4
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Line {
    pub text: String,
    pub x0: f64,
    pub x1: f64,
    pub baseline: f64,
    pub size: f64,
    pub fonts: Vec<String>,
    pub top: f64,
    pub bottom: f64,
    pub glyphs: Vec<Glyph>,
    pub stroked: usize,
    pub bold_chars: usize,
}

impl Line {
    /// Glyphs that are not white space.
    pub fn ink(&self) -> Vec<&Glyph> {
        self.glyphs.iter().filter(|g| !g.c().is_whitespace()).collect()
    }
    pub fn first(&self) -> char {
        self.ink().first().map_or(' ', |g| g.c())
    }
    pub fn last(&self) -> char {
        self.ink().last().map_or(' ', |g| g.c())
    }
    /// The text without white space.
    pub fn squashed(&self) -> String {
        squash(&self.text)
    }
    /// Every glyph's font has this role.
    pub fn all_in(&self, role: Role) -> bool {
        !self.fonts.is_empty() && self.fonts.iter().all(|f| font_role(f) == Some(role))
    }
    /// `— N —`: the page number's value.
    pub fn page_number(&self) -> Option<u32> {
        let t = self.text.trim();
        let inner = t.strip_prefix('—')?.strip_suffix('—')?.trim();
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) { inner.parse().ok() } else { None }
    }
    /// The horizontal extent of the line as it is set: from the first
    /// glyph's box to the last one's, every mark full width (Word and
    /// LibreOffice never set a mark at a line's edge half-width, and the PDF
    /// does as they do), white space left out.
    pub fn set_extent(&self) -> (f64, f64) {
        let ink = self.ink();
        let (Some(a), Some(b)) = (ink.first(), ink.last()) else { return (self.x0, self.x1) };
        (a.x0(), b.x1())
    }
}

/// The role of a PDF font by its PostScript name (gbcheck's FONT_ROLES, in
/// its order): the title face first, then 仿宋, 楷体, 黑体, 宋体.
pub fn font_role(name: &str) -> Option<Role> {
    let n = name.split_once('+').map_or(name, |(_, rest)| rest);
    let has = |pats: &[&str]| pats.iter().any(|p| n.to_lowercase().contains(&p.to_lowercase()));
    if has(&["XiaoBiaoSong", "XBS", "小标宋", "FandolSong-Bold"]) {
        Some(Role::Title)
    } else if has(&["Fang", "仿宋"]) {
        Some(Role::Fang)
    } else if has(&["Kai", "楷"]) {
        Some(Role::Kai)
    } else if has(&["Hei", "黑"]) {
        Some(Role::Hei)
    } else if has(&["Song", "SimSun", "宋"]) {
        Some(Role::Song)
    } else {
        None
    }
}

impl Page {
    /// The page-number line (`— N —` in the lower quarter of the page).
    pub fn number_line(&self) -> Option<&Line> {
        self.lines.iter().rev().find(|l| l.top > self.height * 0.75 && l.page_number().is_some())
    }
    /// The text lines, the page number left out.
    pub fn text_lines(&self) -> Vec<&Line> {
        let pn = self.number_line().map(|l| l as *const Line);
        self.lines.iter().filter(|l| Some(*l as *const Line) != pn).collect()
    }
}

impl Pdf {
    /// Every text line (page numbers left out) with its page index.
    pub fn lines(&self) -> Vec<(usize, &Line)> {
        self.pages.iter().enumerate().flat_map(|(i, p)| p.text_lines().into_iter().map(move |l| (i, l))).collect()
    }
}

/// Probes several PDFs: one Python process per core, each with a share of
/// the files; results in the order given.
pub fn probe_all(pdfs: &[&Path]) -> Vec<Pdf> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = pdfs.len().div_ceil(cores).max(1);
    let mut out = Vec::with_capacity(pdfs.len());
    std::thread::scope(|s| {
        let handles: Vec<_> = pdfs.chunks(chunk).map(|c| s.spawn(move || probe_chunk(c))).collect();
        for h in handles {
            out.extend(h.join().expect("probe thread"));
        }
    });
    out
}

/// One pdfprobe run over some files.
fn probe_chunk(pdfs: &[&Path]) -> Vec<Pdf> {
    if pdfs.is_empty() {
        return Vec::new();
    }
    // Always at least two arguments: the keyed multi-file form.
    let args: Vec<&Path> = if pdfs.len() == 1 { vec![pdfs[0], pdfs[0]] } else { pdfs.to_vec() };
    let run = || {
        Command::new("python3")
            .arg(common::root().join("tests/tools/pdfprobe.py"))
            .args(&args)
            .output()
            .expect("python3 with PyMuPDF is needed (pip install pymupdf)")
    };
    let mut o = run();
    if !o.status.success() && String::from_utf8_lossy(&o.stderr).contains("No module named") {
        ensure_pymupdf();
        o = run();
    }
    assert!(o.status.success(), "pdfprobe failed: {}", String::from_utf8_lossy(&o.stderr));
    let all: HashMap<String, Pdf> = serde_json::from_slice(&o.stdout).expect("pdfprobe JSON");
    pdfs.iter().map(|p| all.get(p.to_str().unwrap()).cloned().unwrap_or_else(|| panic!("no probe of {p:?}"))).collect()
}

/// PyMuPDF importable (installed with pip the first time, as in
/// `tests/common/mod.rs`, under the same lock).
fn ensure_pymupdf() {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        let ok = || Command::new("python3").args(["-c", "import pymupdf"]).output().is_ok_and(|o| o.status.success());
        if ok() {
            return;
        }
        let lock_path = common::root().join("target/.pymupdf-install.lock");
        let lock = std::fs::File::create(&lock_path).expect("lock file");
        lock.lock().expect("lock");
        if !ok() {
            let st = Command::new("python3")
                .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "pymupdf"])
                .status()
                .expect("python3 -m pip");
            assert!(st.success(), "could not install PyMuPDF (pip install pymupdf)");
        }
    });
}

// --- The corpus: every sample with every template, and purpose-made data ------------

/// Purpose-made data files for single rules.
pub mod data {
    /// A short 署名 and a long date (GB/T 9704 7.3.5.2, second case): the
    /// date right-indented two characters, the 署名 moved left.
    pub const SIGNATURE_LONG_DATE: &str = "organization:
  name: 某某县民政局
period:
  label: 2025年下半年
date: 2025-12-10
title: 某某县民政局2025年下半年工作总结
lead: 下半年，县民政局坚持以人民为中心，扎实推进各项民政工作，兜底保障水平持续提升。
sections:
  - title: 强化兜底保障
    points:
      - title: 健全救助机制
        text: 完善低收入人口动态监测，做到应保尽保、应救尽救。
signature:
  name: 县民政局
";

    /// One point whose second line is 28 characters ending in `。` with a
    /// digit after it: LibreOffice does not break between the two, so the
    /// line ends `…重温入党誓` and the next starts `词。3名`.
    pub const MARK_DIGIT: &str = "organization:
  name: 某某县民政局机关
  short: 县民政局机关
period:
  label: 2025年6月
  start: 2025-06-01
  end: 2025-06-30
date: 2025-07-03
title: 县民政局机关开展主题党日活动
author: 吴静怡
lead: 为庆祝中国共产党成立104周年，县民政局机关党委组织各党支部开展系列主题党日活动。
sections:
  - title: 重温誓词守初心
    points:
      - title: 集中学习强党性
        text: 6月30日，机关全体党员在局会议室集中学习习近平总书记关于民政工作的重要论述，重温入党誓词。3名青年党员结合窗口服务经历交流学习体会，大家表示要把学习成效体现到办好每一件民生实事上。会后，各党支部分别召开专题组织生活会，对照检查自身不足。
";

    /// Paragraphs whose lines Typst once broke otherwise than LibreOffice:
    /// a line that LibreOffice fills up to `“跨省通办”，` (Typst squeezed
    /// the `，`; forcing the break there, late, left `办”，` alone on a
    /// line spread across the width), lines ending at `56%。` or before a
    /// digit (`改造` then `140户`: the cut before the gap took the tracking
    /// of the line's last glyph, and Typst broke a character early).
    pub const LINE_ENDS: &str = "organization:
  name: 某某县民政局机关
  short: 县民政局机关
period:
  label: 2025年上半年
  start: 2025-01-01
  end: 2025-06-30
date: 2025-07-10
title: 县民政局机关2025年上半年工作情况
author: 吴静怡
lead: |
  完善临时救助和主动发现机制。推动乡镇敬老院转型为区域性养老服务中心，2所中心完成改造提升并投入运行，全县养老机构护理型床位占比提高到56%。落实婚姻登记“跨省通办”，为外省户籍当事人办理登记96对，节约了群众往返户籍地的时间和费用。建立独居、空巢等特殊困难老年人探访关爱台账，由村（社区）干部和志愿者每月至少上门探访1次，及时发现并解决老年人生活中的困难。

  业务培训规范服务。以便民利民为导向，提升婚姻登记服务质量，稳步推进殡葬改革，引导群众树立文明新风。推动乡镇敬老院转型为区域性养老服务中心，2所中心完成改造提升并投入运行，全县养老机构护理型床位占比提高到56%。各党支部坚持“三会一课”、主题党日和组织生活会制度，结合业务特点开展集中学习、走访慰问、志愿服务等活动30余次，党员干部参与700余人次。

  调研推动敬老院转型。全县60周岁以上老年人5.6万余人，占总人口的18%以上。实施特殊困难老年人家庭适老化改造140户，加装扶手、防滑地面和紧急呼叫设备。集中学习居家社区养老服务相关政策，讨论本年度工作重点。
sections:
  - title: 兜牢民生底线
    points:
      - title: 提升救助精准度
        text: 推动村（社区）减负增效。围绕议事协商和为民服务开展培训，交流社区治理经验。推动乡镇敬老院转型为区域性养老服务中心，2所中心完成改造提升并投入运行，全县养老机构护理型床位占比提高到56%。清明节期间，倡导鲜花祭扫、网上祭扫、家庭追思等文明低碳祭扫方式，在公墓和主要祭扫点设立服务站7个，服务群众约2.3万人次，全县未发生因祭扫引发的火灾和安全事故。
";

    /// A title of exactly 20 characters (the title limit) with two
    /// Chinese–Latin gaps: too wide for one line as Word and LibreOffice
    /// set it, so it breaks into two.
    pub fn digit_title() -> String {
        titled("关于某某县民政局2025年上半年机关党建工作")
    }

    /// A title too long for one line (two balanced lines).
    pub fn long_title() -> String {
        titled("关于进一步加强和改进新时代机关党建工作推动民政事业高质量发展的情况报告")
    }

    /// A title for three lines.
    pub fn longer_title() -> String {
        titled(
            "某某县民政局机关党委关于深入学习贯彻党的二十届三中全会精神全面推进机关党建与民政业务深度融合工作情况的报告",
        )
    }

    /// An article of 24 sections whose bold subheadings (`**…**`) fall on
    /// every grid line in turn: some would end a page, and must not.
    pub fn subheads() -> String {
        let sections: String = [1, 2, 3, 4, 2, 5, 1, 3]
            .iter()
            .cycle()
            .take(24)
            .enumerate()
            .map(|(i, lines)| format!("  - title: 第{}项重点工作扎实推进\n    intro: {}\n", i + 1, paragraph(*lines)))
            .collect();
        format!("{BRIEF_HEAD}lead: {}\nsections:\n{sections}", paragraph(2))
    }

    /// A paragraph of `lines` full lines (the first indented two characters).
    fn paragraph(lines: usize) -> String {
        let chars = 26 + 28 * (lines - 1) - 1;
        BASE.chars().cycle().take(chars).chain(std::iter::once('。')).collect()
    }

    /// The organisation, period, date and title of the purpose-made
    /// one-subject documents.
    const BRIEF_HEAD: &str = "organization:
  name: 某某县民政局机关
period:
  label: 2025年上半年
date: 2025-07-10
title: 机关党建工作稳步推进
";

    /// A one-point half-year report under `title`, for the title rules.
    fn titled(title: &str) -> String {
        format!(
            "organization:
  name: 某某县民政局机关
period:
  label: 2025年上半年
date: 2025-07-10
title: {title}
lead: 上半年，机关党建工作稳步推进。
sections:
  - title: 强化理论武装
    points:
      - title: 健全学习机制
        text: 每月集中学习一次。
"
        )
    }

    const BASE: &str = "机关党建工作稳步推进，党员干部理论学习持续深化，党建与业务深度融合，各项工作取得新成效。";

    /// A one-page briefing whose body ends on grid line `lines + 9` of 22:
    /// the masthead and title take 7 lines, the lead `lines` (its first line
    /// 26 characters after the indent, the others 28), the colophon 4.
    pub fn briefing(lines: usize) -> String {
        let lead = paragraph(lines);
        format!(
            "{BRIEF_HEAD}lead: {lead}
bulletin:
  name: 机关党建工作简报
  issue: 6
  editor: 县民政局机关党委
  report_to: [县委组织部, 县直机关工委]
  send_to: [局党组成员]
  distribute_to: [机关各党支部]
  copies: 30
"
        )
    }
}

/// One rendered document.
#[derive(Debug)]
pub struct Unit {
    /// `qdn-renda/half-year`, `county-civil-affairs/branch-summary/综合党支部`,
    /// `custom/signature-long-date/half-year` …
    pub key: String,
    pub template: String,
    pub pdf: PathBuf,
    pub docx: PathBuf,
    /// The document model the CLI rendered (same data, same template).
    pub doc: Document,
}

impl Unit {
    pub fn blocks(&self) -> &[Block] {
        &self.doc.blocks
    }
    pub fn has(&self, f: impl Fn(&Block) -> bool) -> bool {
        self.doc.blocks.iter().any(f)
    }
}

pub struct Corpus {
    pub dir: PathBuf,
    pub units: Vec<Unit>,
    /// Whether the bundled font of each role has a bold face (else bold is
    /// synthetic: a stroke in the PDF).
    pub has_bold: BTreeMap<Role, bool>,
}

impl Corpus {
    pub fn get(&self, key: &str) -> &Unit {
        self.units.iter().find(|u| u.key == key).unwrap_or_else(|| panic!("no unit {key}"))
    }
    pub fn with_template<'a>(&'a self, t: &'a str) -> impl Iterator<Item = &'a Unit> + 'a {
        self.units.iter().filter(move |u| u.template == t)
    }
}

pub const SAMPLES: [&str; 2] = ["qdn-renda", "county-civil-affairs"];
pub const TEMPLATES: [&str; 3] = ["half-year", "media", "bulletin"];

/// Purpose-made units: (name, template, data).
pub fn custom_data() -> Vec<(&'static str, &'static str, String)> {
    vec![
        ("signature-long-date", "half-year", data::SIGNATURE_LONG_DATE.to_owned()),
        ("long-title", "half-year", data::long_title()),
        ("long-title", "media", data::long_title()),
        ("longer-title", "half-year", data::longer_title()),
        ("mark-digit", "half-year", data::MARK_DIGIT.to_owned()),
        ("line-ends", "half-year", data::LINE_ENDS.to_owned()),
        ("digit-title", "half-year", data::digit_title()),
        // Body to grid line 19: the 4-line colophon no longer fits.
        ("colophon-own-page", "bulletin", data::briefing(10)),
        // Body to grid line 18: the colophon fills lines 19–22.
        ("colophon-fits", "bulletin", data::briefing(9)),
        ("subheads", "media", data::subheads()),
        // Recipient lists too long for one line: rows of two and three
        // grid lines, wrapped lines aligned after the colon.
        ("colophon-wrapped", "bulletin", data::briefing(3).replace(
            "report_to: [县委组织部, 县直机关工委]",
            "report_to: [县委组织部, 县直机关工委, 市民政局机关党委, 县委办公室, 县人大常委会办公室, 县政府办公室, 县政协办公室, 县纪委监委机关, 县委宣传部, 县委统战部]",
        ).replace(
            "distribute_to: [机关各党支部]",
            "distribute_to: [机关各党支部, 局属各单位, 各乡镇人民政府民政办, 各街道办事处社会事务办]",
        )),
    ]
}

/// Renders the corpus once per test binary, into
/// `$CARGO_TARGET_TMPDIR/layout/<tag>/` (kept for inspection).
pub fn corpus(tag: &str) -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| build_corpus(tag))
}

fn build_corpus(tag: &str) -> Corpus {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("layout").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    // (key, template, data file, output dir, branch batch?)
    struct Job {
        key: String,
        template: String,
        data: PathBuf,
        out: PathBuf,
        batch: bool,
    }
    let mut jobs = Vec::new();
    for s in SAMPLES {
        for t in TEMPLATES {
            jobs.push(Job {
                key: format!("{s}/{t}"),
                template: t.into(),
                data: common::sample(&format!("{s}.yaml")),
                out: dir.join("out"),
                batch: false,
            });
        }
        jobs.push(Job {
            key: format!("{s}/branch-summary"),
            template: "branch-summary".into(),
            data: common::sample(&format!("{s}.yaml")),
            out: dir.join("branch").join(s),
            batch: true,
        });
    }
    for (name, t, yaml) in custom_data() {
        let data = dir.join("data").join(format!("{name}.yaml"));
        std::fs::write(&data, yaml).unwrap();
        jobs.push(Job {
            key: format!("custom/{name}/{t}"),
            template: t.into(),
            data,
            out: dir.join("out"),
            batch: false,
        });
    }
    std::thread::scope(|s| {
        for j in &jobs {
            s.spawn(move || {
                let (data, out) = (j.data.to_str().unwrap(), j.out.to_str().unwrap());
                let o = if j.batch {
                    common::run(&["batch", data, "-t", &j.template, "-o", out, "-q"])
                } else {
                    common::run(&["render", data, "-t", &j.template, "-o", out])
                };
                assert!(o.status.success(), "{}: {}", j.key, common::stderr(&o));
            });
        }
    });

    // The document model of each unit, from the library.
    let engine = Engine::new(&EngineOptions::default()).expect("engine");
    let mut units = Vec::new();
    for j in &jobs {
        let loaded = model::load(&j.data, LoadOptions::default()).expect("data loads");
        if j.batch {
            for b in &loaded.report.branches {
                let name = b.name.to_string();
                let doc = engine.document(&loaded, &j.template, Some(b)).expect("document");
                units.push(Unit {
                    key: format!("{}/{name}", j.key),
                    template: j.template.clone(),
                    pdf: j.out.join(format!("{name}.pdf")),
                    docx: j.out.join(format!("{name}.docx")),
                    doc,
                });
            }
        } else {
            let stem = j.data.file_stem().unwrap().to_str().unwrap();
            let doc = engine.document(&loaded, &j.template, None).expect("document");
            units.push(Unit {
                key: j.key.clone(),
                template: j.template.clone(),
                pdf: j.out.join(format!("{stem}-{}.pdf", j.template)),
                docx: j.out.join(format!("{stem}-{}.docx", j.template)),
                doc,
            });
        }
    }
    for u in &units {
        assert!(u.pdf.is_file() && u.docx.is_file(), "{}: outputs missing ({:?})", u.key, u.pdf);
    }
    let has_bold = engine.fonts.roles.iter().map(|(r, f)| (*r, f.has_bold)).collect();
    Corpus { dir, units, has_bold }
}

/// The PDF measurements of every unit (one pdfprobe run), by unit key.
pub fn probes(tag: &str) -> &'static BTreeMap<String, Pdf> {
    static PROBES: OnceLock<BTreeMap<String, Pdf>> = OnceLock::new();
    PROBES.get_or_init(|| {
        let c = corpus(tag);
        let paths: Vec<&Path> = c.units.iter().map(|u| u.pdf.as_path()).collect();
        c.units.iter().map(|u| u.key.clone()).zip(probe_all(&paths)).collect()
    })
}

// --- DOCX: parts and WordprocessingML properties ---------------------------------

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A DOCX package: part name → bytes.
pub struct Docx {
    pub parts: BTreeMap<String, Vec<u8>>,
}

impl Docx {
    pub fn open(path: &Path) -> Docx {
        Docx { parts: common::docx_parts(path).into_iter().collect() }
    }
    pub fn text(&self, name: &str) -> String {
        let b = self.parts.get(name).unwrap_or_else(|| panic!("{name} missing"));
        String::from_utf8(b.clone()).unwrap_or_else(|_| panic!("{name} is not UTF-8"))
    }
    pub fn has(&self, name: &str) -> bool {
        self.parts.contains_key(name)
    }
    /// The relationships of a part: id → (type, target part name).
    pub fn rels(&self, part: &str) -> BTreeMap<String, (String, String)> {
        let (folder, base) = part.rsplit_once('/').unwrap_or(("", part));
        let rels = if folder.is_empty() { format!("_rels/{base}.rels") } else { format!("{folder}/_rels/{base}.rels") };
        let mut out = BTreeMap::new();
        if !self.has(&rels) {
            return out;
        }
        let xml = self.text(&rels);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        for r in doc.root_element().children().filter(|n| n.is_element()) {
            if r.attribute("TargetMode") == Some("External") {
                continue;
            }
            let target = r.attribute("Target").unwrap_or("");
            let full =
                if let Some(abs) = target.strip_prefix('/') { abs.to_owned() } else { join_part(folder, target) };
            out.insert(
                r.attribute("Id").unwrap_or("").to_owned(),
                (r.attribute("Type").unwrap_or("").to_owned(), full),
            );
        }
        out
    }
}

/// `word` + `../docProps/x.xml` → `docProps/x.xml`.
fn join_part(folder: &str, target: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Properties flattened: `sz` → `32`, `rFonts@eastAsia` → `仿宋`, a toggle
/// without value → `1`.
pub type Props = BTreeMap<String, String>;

/// The children of a `w:rPr` / `w:pPr` as [`Props`].
pub fn props(node: Option<roxmltree::Node>) -> Props {
    let mut out = Props::new();
    let Some(node) = node else { return out };
    for c in node.children().filter(|c| c.is_element() && c.tag_name().namespace() == Some(W)) {
        let name = c.tag_name().name();
        if matches!(name, "rPr" | "sectPr" | "pPrChange" | "rPrChange") {
            continue;
        }
        out.insert(name.to_owned(), c.attribute((W, "val")).unwrap_or("1").to_owned());
        for a in c.attributes().filter(|a| a.namespace() == Some(W) && a.name() != "val") {
            out.insert(format!("{name}@{}", a.name()), a.value().to_owned());
        }
    }
    out
}

pub fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(W))
}

pub fn wattr<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

/// `word/styles.xml`, resolved: document defaults and each style's own
/// properties, merged along `w:basedOn`.
pub struct Styles {
    pub default_r: Props,
    pub default_p: Props,
    pub styles: BTreeMap<String, StyleInfo>,
    pub default_para: Option<String>,
}

#[derive(Debug, Clone)]
pub struct StyleInfo {
    pub kind: String,
    pub name: String,
    pub based_on: Option<String>,
    pub r: Props,
    pub p: Props,
}

impl Styles {
    pub fn parse(xml: &str) -> Styles {
        let doc = roxmltree::Document::parse(xml).expect("styles.xml parses");
        let root = doc.root_element();
        let dd = child(root, "docDefaults");
        let default_r = props(dd.and_then(|d| child(d, "rPrDefault")).and_then(|d| child(d, "rPr")));
        let default_p = props(dd.and_then(|d| child(d, "pPrDefault")).and_then(|d| child(d, "pPr")));
        let mut styles = BTreeMap::new();
        let mut default_para = None;
        for st in root.children().filter(|c| c.is_element() && c.tag_name().name() == "style") {
            let id = wattr(st, "styleId").unwrap_or("").to_owned();
            let kind = wattr(st, "type").unwrap_or("").to_owned();
            if kind == "paragraph" && matches!(wattr(st, "default"), Some("1" | "true")) {
                default_para = Some(id.clone());
            }
            styles.insert(
                id,
                StyleInfo {
                    kind,
                    name: child(st, "name").and_then(|n| wattr(n, "val")).unwrap_or("").to_owned(),
                    based_on: child(st, "basedOn").and_then(|n| wattr(n, "val")).map(str::to_owned),
                    r: props(child(st, "rPr")),
                    p: props(child(st, "pPr")),
                },
            );
        }
        Styles { default_r, default_p, styles, default_para }
    }

    /// Style ids from the root ancestor down to `id`.
    pub fn chain(&self, id: &str) -> Vec<&StyleInfo> {
        let mut out = Vec::new();
        let mut cur = Some(id.to_owned());
        let mut seen = Vec::new();
        while let Some(c) = cur {
            if seen.contains(&c) {
                break;
            }
            let Some(s) = self.styles.get(&c) else { break };
            out.push(s);
            seen.push(c);
            cur = s.based_on.clone();
        }
        out.reverse();
        out
    }

    /// Run properties of a paragraph style: defaults, then the chain.
    pub fn rpr(&self, id: &str) -> Props {
        let mut p = self.default_r.clone();
        for s in self.chain(id) {
            p.extend(s.r.clone());
        }
        p
    }

    /// Paragraph properties of a paragraph style: defaults, then the chain.
    pub fn ppr(&self, id: &str) -> Props {
        let mut p = self.default_p.clone();
        for s in self.chain(id) {
            p.extend(s.p.clone());
        }
        p
    }
}

/// One `w:p` with its effective properties.
#[derive(Debug, Clone)]
pub struct Para {
    pub style: String,
    pub ppr: Props,
    /// (text, effective run properties)
    pub runs: Vec<(String, Props)>,
    pub in_table: bool,
    /// Text as Word shows it: `w:t`, `w:tab` as a tab, `w:br` as a newline.
    pub text: String,
}

/// The text of a run: `w:t`, `w:tab`, `w:br`.
pub fn run_text(r: roxmltree::Node) -> String {
    let mut s = String::new();
    for n in r.descendants().filter(|n| n.is_element() && n.tag_name().namespace() == Some(W)) {
        match n.tag_name().name() {
            "t" => s.push_str(n.text().unwrap_or("")),
            "tab" => s.push('\t'),
            "br" | "cr" => s.push('\n'),
            _ => {}
        }
    }
    s
}

/// The paragraphs of a part (document, footer) with effective properties:
/// document defaults → paragraph style chain → direct formatting.
pub fn paragraphs(xml: &str, styles: &Styles) -> Vec<Para> {
    let doc = roxmltree::Document::parse(xml).expect("part parses");
    let mut out = Vec::new();
    for p in doc.descendants().filter(|n| n.is_element() && n.tag_name() == (W, "p").into()) {
        let ppr_el = child(p, "pPr");
        let direct = props(ppr_el);
        let style = direct.get("pStyle").cloned().or_else(|| styles.default_para.clone()).unwrap_or_default();
        let mut ppr = styles.ppr(&style);
        ppr.extend(direct);
        let mut runs = Vec::new();
        let mut text = String::new();
        for r in p.children().filter(|c| c.is_element() && c.tag_name() == (W, "r").into()) {
            let t = run_text(r);
            text.push_str(&t);
            if t.is_empty() {
                continue;
            }
            let rpr_el = child(r, "rPr");
            let mut rp = styles.rpr(&style);
            if let Some(rs) = rpr_el.and_then(|e| child(e, "rStyle")).and_then(|e| wattr(e, "val")) {
                for s in styles.chain(rs) {
                    rp.extend(s.r.clone());
                }
            }
            rp.extend(props(rpr_el));
            runs.push((t, rp));
        }
        let in_table = p.ancestors().any(|a| a.tag_name() == (W, "tc").into());
        out.push(Para { style, ppr, runs, in_table, text });
    }
    out
}

/// Whether a toggle property (`b`) is on.
pub fn on(p: &Props, key: &str) -> bool {
    p.get(key).is_some_and(|v| !matches!(v.as_str(), "0" | "false" | "off"))
}

/// A length in twips, rounded as the DOCX writer must round it.
pub fn twips(pt: f64) -> i64 {
    (pt * 20.0).round() as i64
}

pub fn twips_mm(mm: f64) -> i64 {
    twips(mm * PT_PER_MM)
}
