//! The PDF's layout measured against GB/T 9704-2012 (`jianbao render` and
//! `jianbao batch` on every sample with every template, plus purpose-made
//! documents). Positions come from PyMuPDF through `tests/tools/pdfprobe.py`;
//! expected numbers from `Style::gbt9704()`, which `style_is_gbt9704` pins to
//! the standard. Tolerances are gbcheck's (see `tests/common/layout.rs`).

mod common;
#[path = "common/layout.rs"]
mod layout;

use jianbao::doc::{Block, ParaKind, plain_text};
use jianbao::fonts::{FontSet, Role};
use jianbao::render::vertical::{self, Metrics};
use jianbao::style::{PT_PER_MM, Style};
use layout::*;

/// This binary's corpus folder under `$CARGO_TARGET_TMPDIR/layout/`.
const TAG: &str = "layout_pdf";

/// Every unit with its PDF measurements.
fn all() -> Vec<(&'static Unit, &'static Pdf)> {
    let probes = probes(TAG);
    corpus(TAG).units.iter().map(|u| (u, &probes[&u.key])).collect()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// The texts of the unit's colophon (版记) lines, squashed.
fn colophon_texts(u: &Unit) -> Vec<String> {
    let mut out = Vec::new();
    for b in u.blocks() {
        if let Block::Colophon { lines, copies } = b {
            out.extend(lines.iter().map(|l| squash(&plain_text(l))));
            out.extend(copies.iter().map(|c| squash(c)));
        }
    }
    out
}

/// A colophon line, or a piece of one that wrapped.
fn is_colophon_line(u: &Unit, l: &Line) -> bool {
    let t = l.squashed();
    !t.is_empty() && colophon_texts(u).iter().any(|c| c.contains(&t))
}

/// The masthead name line (报头), if the unit has one.
fn is_masthead_name(u: &Unit, l: &Line) -> bool {
    u.blocks().iter().any(|b| matches!(b, Block::Masthead { name, .. } if squash(name) == l.squashed()))
}

/// Table cells (and their wrapped lines): 14 pt lines between table rules.
fn table_texts(u: &Unit) -> Vec<String> {
    let mut out = Vec::new();
    for b in u.blocks() {
        if let Block::Table { header, rows, .. } = b {
            for row in std::iter::once(header).chain(rows) {
                out.push(row.iter().map(|c| squash(&plain_text(c))).collect::<String>());
            }
        }
    }
    out
}

fn is_table_line(u: &Unit, l: &Line, g: &Geo) -> bool {
    (l.size - g.style.table.size_pt).abs() <= SIZE_TOL
        && !is_colophon_line(u, l)
        && table_texts(u).iter().any(|row| {
            // A row's line holds the beginnings of its cells, a wrapped line
            // the rest of a cell: either way its characters appear in the row.
            let t = l.squashed();
            !t.is_empty() && t.chars().all(|c| row.contains(c))
        })
}

/// Pages that hold nothing but the colophon.
fn colophon_only(u: &Unit, page: &Page) -> bool {
    let lines = page.text_lines();
    !lines.is_empty() && lines.iter().all(|l| is_colophon_line(u, l))
}

// --- The Style is the standard ----------------------------------------------------

/// The layout tests take their numbers from `Style::gbt9704()`; this test
/// pins that style to GB/T 9704-2012 (shared/spec/gbt9704.md), so changing a
/// number in the style is caught here, and a backend not following the style
/// is caught by the other tests.
#[test]
fn style_is_gbt9704() {
    let s = Style::gbt9704();
    let p = &s.page;
    assert_eq!((p.width_mm, p.height_mm), (210.0, 297.0), "A4");
    assert_eq!((p.top_mm, p.left_mm, p.right_mm, p.bottom_mm), (37.0, 28.0, 26.0, 35.0), "margins 5.2.1");
    assert!(close(p.text_width_pt(), 156.0 * PT_PER_MM, 1e-9) && close(p.text_height_pt(), 225.0 * PT_PER_MM, 1e-9));
    assert_eq!((s.grid.lines_per_page, s.grid.chars_per_line), (22, 28), "grid 5.2.3");
    assert_eq!(s.grid.line_pitch_pt, 28.95);
    assert!(22.0 * s.grid.line_pitch_pt <= p.text_height_pt(), "22 lines fit the block");
    assert!(close(s.char_pitch_pt(), 15.79, 0.01));
    assert_eq!((s.body.role, s.body.size_pt, s.body.bold), (Role::Fang, 16.0, false), "3号仿宋");
    assert_eq!(s.indent_chars, 2.0);
    assert_eq!((s.title.role, s.title.size_pt), (Role::Title, 22.0), "2号小标宋");
    let h: Vec<(Role, f64)> = s.headings.iter().map(|h| (h.text.role, h.text.size_pt)).collect();
    assert_eq!(h, [(Role::Hei, 16.0), (Role::Kai, 16.0), (Role::Fang, 16.0), (Role::Fang, 16.0)], "7.3.3");
    assert_eq!((s.page_number.text.role, s.page_number.text.size_pt), (Role::Song, 14.0), "7.5: 4号宋体");
    assert_eq!((s.page_number.below_block_mm, s.page_number.inset_chars), (7.0, 1.0), "7.5");
    assert_eq!((s.colophon.text.role, s.colophon.text.size_pt), (Role::Fang, 14.0), "7.4");
    assert_eq!((s.colophon.thick_rule_mm, s.colophon.thin_rule_mm, s.colophon.inset_chars), (0.35, 0.25, 1.0));
    assert_eq!(s.cjk_latin_gap_em, 0.2);
}

// --- Page and text block ----------------------------------------------------------

/// A4 pages; text inside the 156 × 225 mm block; the measured text edges are
/// the block's (left 28 mm, right 26 mm); no mark hangs past the right edge
/// (a line-end mark is set half-width inside it); a line that starts with an
/// opening bracket starts flush with the block too, the bracket full width,
/// as in Word and LibreOffice (Typst would set it half-width, half a
/// character into the margin).
#[test]
fn pages_are_a4_and_text_stays_in_the_block() {
    let g = Geo::new();
    let mut problems = Vec::new();
    for (u, pdf) in all() {
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        for (i, page) in pdf.pages.iter().enumerate() {
            let at = format!("{} p{}", u.key, i + 1);
            if !close(page.width, g.page_w, 1.0) || !close(page.height, g.page_h, 1.0) {
                problems.push(format!("{at}: page {}×{} pt is not A4", page.width, page.height));
            }
            for l in page.text_lines() {
                let ink = l.ink();
                let (Some(first), Some(last)) = (ink.first(), ink.last()) else { continue };
                if first.x0() < g.left - 0.5 {
                    problems
                        .push(format!("{at}: “{}” starts at {:.2}, left of the block ({:.2})", l.text, l.x0, g.left));
                }
                let end = if cannot_start_line(last.c()) && is_wide(last.c()) {
                    last.ox() + last.size() / 2.0
                } else {
                    last.x1()
                };
                if end > g.right + 0.5 {
                    problems.push(format!("{at}: “{}” ends at {end:.2}, past the block ({:.2})", l.text, g.right));
                }
                if l.bottom > g.bottom + MARGIN_TOL {
                    problems
                        .push(format!("{at}: “{}” reaches {:.2}, below the block ({:.2})", l.text, l.bottom, g.bottom));
                }
                // Lines are 16 pt boxes on the grid: a larger title's glyphs
                // rise above its box by the difference (see
                // `titles_stay_inside_the_block`).
                let rise = if l.size > g.body && !is_masthead_name(u, l) { 0.88 * (l.size - g.body) } else { 0.0 };
                if l.top < g.top - rise - MARGIN_TOL && !is_masthead_name(u, l) {
                    problems.push(format!("{at}: “{}” reaches {:.2}, above the block ({:.2})", l.text, l.top, g.top));
                }
                if g.is_body_size(l) && l.all_in(Role::Fang) {
                    if !is_punct(first.c()) {
                        starts.push(l.x0);
                    }
                    if !is_punct(last.c()) && l.x1 - g.left > 0.6 * (g.right - g.left) {
                        ends.push(l.x1);
                    }
                }
            }
        }
        // gbcheck's text edges: the leftmost line start, the most common end
        // of long lines (where there are enough lines to tell).
        if ends.len() < 10 {
            continue;
        }
        let left = starts.iter().copied().fold(f64::INFINITY, f64::min);
        let mut counts: std::collections::BTreeMap<i64, usize> = Default::default();
        for e in &ends {
            *counts.entry(e.round() as i64).or_default() += 1;
        }
        let mode = counts.iter().max_by_key(|(_, n)| **n).map(|(k, _)| *k as f64);
        if !close(left, g.left, 0.5) {
            problems.push(format!("{}: left text edge {left:.2}, expected {:.2}", u.key, g.left));
        }
        match mode {
            Some(m) if close(m, g.right, 0.6) => {}
            other => problems.push(format!("{}: right text edge {other:?}, expected {:.2}", u.key, g.right)),
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// GB/T 9704 5.2.1: everything printed stays inside the text block — a
/// 22 pt title on the first grid line too (its baseline sits where
/// LibreOffice puts it, low in the grid line: glyph top 111.0 pt).
#[test]
fn titles_stay_inside_the_block() {
    let g = Geo::new();
    let mut problems = Vec::new();
    for (u, pdf) in all() {
        for (i, page) in pdf.pages.iter().enumerate() {
            for l in page.text_lines() {
                if l.top < g.top - 0.5 && !is_masthead_name(u, l) {
                    problems.push(format!(
                        "{} p{}: “{}” reaches {:.2}, above the block ({:.2})",
                        u.key,
                        i + 1,
                        l.text,
                        l.top,
                        g.top
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// Every line — title, headings, body, blank lines, signature, contact block,
/// table text — has its baseline on the 28.95 pt grid of the block where
/// LibreOffice puts it when it opens the DOCX (`jianbao::render::vertical`):
/// the grid centred in the block, text on it centred in its grid line by its
/// font's height (body 22.6 pt below the grid line's top, 22 pt titles
/// 2.9 pt lower, 14 pt lines 1 pt higher), table text (off the grid in the
/// DOCX) 80 % of a grid line less a rule down; at most 22 lines a page; a
/// page's first line in the block's first grid line.
#[test]
fn lines_sit_on_the_grid() {
    let g = Geo::new();
    let metrics = Metrics::of_fonts(&FontSet::bundled());
    let grid_offset = vertical::grid_offset(&g.style);
    // Where a line's baseline belongs below the top of its grid line.
    let expected = |u: &Unit, l: &Line| -> f64 {
        if is_table_line(u, l, &g) {
            grid_offset + vertical::exact_line_baseline(g.pitch - g.style.table_rule_pt)
        } else {
            let role = l.fonts.iter().find_map(|f| font_role(f)).unwrap_or(g.style.body.role);
            grid_offset + metrics.baseline_in_line(&g.style, role, l.size)
        }
    };
    let mut problems = Vec::new();
    let mut offsets = Vec::new();
    let mut gaps = Vec::new();
    // The body's offset: LibreOffice measured 22.6 pt (127.5 on a page's
    // first line).
    let reference = grid_offset + metrics.baseline_in_line(&g.style, g.style.body.role, g.body);
    assert!((reference - 22.6).abs() < 0.1, "body baseline {reference:.2} pt into its grid line");
    for (u, pdf) in all() {
        for (i, page) in pdf.pages.iter().enumerate() {
            let at = format!("{} p{}", u.key, i + 1);
            let mut prev_body: Option<f64> = None;
            let mut body_lines = 0;
            let lines = page.text_lines();
            for l in &lines {
                if is_colophon_line(u, l) || is_masthead_name(u, l) {
                    continue;
                }
                let want = expected(u, l);
                let (k, off) = g.grid(l.baseline - (want - reference));
                offsets.push(off);
                if !close(off, reference, PITCH_TOL) {
                    problems.push(format!(
                        "{at}: “{}” baseline {:.2} is {:.2} pt off its place on the grid ({want:.2} into the grid line)",
                        l.text,
                        l.baseline,
                        off - reference
                    ));
                }
                if !(0..i64::from(g.style.grid.lines_per_page)).contains(&k) {
                    problems.push(format!(
                        "{at}: “{}” in grid line {} of {}",
                        l.text,
                        k + 1,
                        g.style.grid.lines_per_page
                    ));
                }
                if g.is_body_size(l) {
                    body_lines += 1;
                    if let Some(p) = prev_body {
                        gaps.push(l.baseline - p);
                    }
                    prev_body = Some(l.baseline);
                }
            }
            if body_lines > g.style.grid.lines_per_page {
                problems.push(format!("{at}: {body_lines} body lines"));
            }
            // gbcheck: the glyph top of a page's first (body) line lies in the
            // block's first grid line.
            if let Some(first) = lines.first().filter(|l| g.is_body_size(l)) {
                let hi = g.top + (g.pitch - g.body) + MARGIN_TOL;
                if first.top < g.top - MARGIN_TOL || first.top > hi {
                    problems.push(format!(
                        "{at}: first line top {:.2} outside [{:.2}, {hi:.2}]",
                        first.top,
                        g.top - MARGIN_TOL
                    ));
                }
            }
        }
    }
    assert!(offsets.len() > 1000, "only {} lines measured", offsets.len());
    gaps.sort_by(f64::total_cmp);
    let median = gaps[gaps.len() / 2];
    assert!(close(median, g.pitch, PITCH_TOL), "median line pitch {median:.2}, expected {}", g.pitch);
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// Every page but the last is full (text down to the 22nd grid line), unless
/// the next page opens with a heading or title, holds the signature (the
/// paragraph before a signature moves with it, GB/T 9704 never leaves a
/// signature alone), or holds only the colophon. And the signature is never
/// alone on its page.
#[test]
fn pages_are_full_unless_a_heading_a_signature_or_the_colophon_follows() {
    let g = Geo::new();
    let last_line = i64::from(g.style.grid.lines_per_page) - 1;
    let mut problems = Vec::new();
    let mut short = Vec::new();
    for (u, pdf) in all() {
        let signature = u.blocks().iter().find_map(|b| match b {
            Block::Signature { name, .. } => Some(squash(name)),
            _ => None,
        });
        let sig_page = signature.as_ref().and_then(|s| {
            pdf.pages.iter().position(|p| p.text_lines().iter().any(|l| l.squashed() == *s && l.x0 > g.left + g.body))
        });
        for (i, page) in pdf.pages.iter().enumerate() {
            let lines = page.text_lines();
            if i + 1 == pdf.pages.len() {
                break;
            }
            let at = format!("{} p{}", u.key, i + 1);
            let Some(last) = lines.last() else {
                problems.push(format!("{at}: empty page"));
                continue;
            };
            if g.grid(last.baseline).0 == last_line || lines.iter().any(|l| is_colophon_line(u, l)) {
                continue;
            }
            let next = &pdf.pages[i + 1];
            let opener = next.text_lines().into_iter().next();
            let heading = opener.is_some_and(|l| {
                !g.is_body_size(l)
                    || !l.all_in(g.style.body.role)
                    || l.stroked == l.ink().len()
                    || is_masthead_name(u, l)
            });
            let why = if colophon_only(u, next) {
                "colophon"
            } else if sig_page == Some(i + 1) {
                "signature"
            } else if heading {
                "heading"
            } else {
                problems.push(format!(
                    "{at}: ends in grid line {} (“{}”) and the next page opens with “{}”",
                    g.grid(last.baseline).0 + 1,
                    last.text,
                    opener.map_or("", |l| l.text.as_str())
                ));
                continue;
            };
            short.push(format!("{at} ({why})"));
        }
        // The signature has company on its page.
        if let (Some(s), Some(p)) = (&signature, sig_page) {
            let lines = pdf.pages[p].text_lines();
            let pos = lines.iter().position(|l| l.squashed() == *s).unwrap();
            if pos == 0 {
                problems.push(format!("{}: the signature is alone at the top of page {}", u.key, p + 1));
            }
        }
    }
    eprintln!("pages ending short, explained: {short:?}");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// A subheading (a paragraph bold throughout, an article's section title)
/// is never the last line of a page: it moves to the next page with the
/// text after it, in the PDF and — by `w:keepNext` — in the DOCX.
#[test]
fn subheadings_never_end_a_page() {
    let mut problems = Vec::new();
    let mut moved = 0;
    for (u, pdf) in all() {
        let subheads: Vec<String> = u
            .blocks()
            .iter()
            .filter(|b| b.keeps_with_next())
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } => Some(squash(&plain_text(text))),
                _ => None,
            })
            .collect();
        if subheads.is_empty() {
            continue;
        }
        for (i, page) in pdf.pages.iter().enumerate().take(pdf.pages.len() - 1) {
            let lines = page.text_lines();
            if lines.last().is_some_and(|l| subheads.contains(&l.squashed())) {
                problems.push(format!(
                    "{} p{}: ends with the subheading “{}”",
                    u.key,
                    i + 1,
                    lines.last().unwrap().text
                ));
            }
            if pdf.pages[i + 1].text_lines().first().is_some_and(|l| subheads.contains(&l.squashed()))
                && lines.len() < Geo::new().style.grid.lines_per_page as usize
            {
                moved += 1;
            }
        }
        let xml = common::docx_part(&u.docx, "word/document.xml");
        let kept = xml.split("<w:p>").filter(|p| p.contains("<w:keepNext/>") && p.contains("<w:b/>")).count();
        if kept < subheads.len() {
            problems.push(format!(
                "{}: {kept} bold paragraphs keep with the next, {} subheadings",
                u.key,
                subheads.len()
            ));
        }
    }
    assert!(moved >= 1, "no subheading had to move: the purpose-made article no longer tests the rule");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

// --- Characters per line ------------------------------------------------------------

/// Why a full line of pure CJK text holds fewer than 28 characters.
#[derive(Debug, Default)]
struct Shortfall {
    /// 禁则: the next line opens with an opening mark, or its first
    /// character was pulled down in front of a closing mark.
    kinsoku: bool,
    /// The next line opens with a number or Latin word that did not fit:
    /// it needs this many characters of room (with its 0.2 em gap).
    latin_next: f64,
    /// The line holds marks set as Latin text (`·`): they lose the tracking.
    latin_marks: bool,
    /// The next line opens with a character, a closing mark and a letter or
    /// digit (`词。3`): the office suite does not break between the mark
    /// and the digit, so the mark could not end this line either.
    mark_then_latin: bool,
}

impl Shortfall {
    /// How many characters short of 28 the reasons allow.
    fn allowed(&self, gap_em: f64) -> i64 {
        let latin = if self.latin_next > 0.0 { (self.latin_next + gap_em).ceil() as i64 - 1 } else { 0 };
        i64::from(self.kinsoku) + latin.max(0) + i64::from(self.latin_marks) + i64::from(self.mark_then_latin)
    }
}

/// gbcheck's count: wide characters count 1, narrow runs width/size;
/// punctuation starting at the right edge would hang and is not counted.
/// Returns (count, pure CJK).
fn grid_count(l: &Line, size: f64, right: f64) -> (f64, bool) {
    let mut n = 0.0;
    let mut pure = true;
    for gl in &l.glyphs {
        let c = gl.c();
        if gl.x0() >= right - 1.0 && is_punct(c) {
            continue;
        }
        if c.is_whitespace() || !is_wide(c) {
            pure = false;
            n += (gl.x1() - gl.x0()) / size;
        } else {
            n += 1.0;
        }
    }
    (n, pure)
}

/// Full lines of pure CJK body text hold exactly 28 characters; where they
/// hold fewer, the next line explains it (an opening mark or a character
/// pulled down before a closing mark: 27; a number that did not fit: as many
/// as it needs), or the line's own Latin-portion marks do; never 29. On
/// those lines the ideographs stand 15.79 pt apart (156 mm / 28).
#[test]
fn full_lines_hold_28_characters() {
    let g = Geo::new();
    let cpl = i64::from(g.style.grid.chars_per_line);
    let gap_em = g.style.cjk_latin_gap_em;
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut exceptions: std::collections::BTreeMap<String, usize> = Default::default();
    let mut pitches = Vec::new();
    for (u, pdf) in all() {
        let body: Vec<(usize, &Line)> = pdf
            .lines()
            .into_iter()
            .filter(|(_, l)| g.is_body_size(l) && l.all_in(g.style.body.role) && !is_table_line(u, l, &g))
            .collect();
        for (idx, (page, l)) in body.iter().enumerate() {
            if !g.is_full(l) {
                continue;
            }
            let (n, pure) = grid_count(l, g.body, g.right);
            if !pure {
                continue;
            }
            checked += 1;
            let n = n.round() as i64;
            let next = body.get(idx + 1).map(|(_, l)| *l);
            let at = format!("{} p{}: “{}”", u.key, page + 1, l.text);
            if n > cpl {
                problems.push(format!("{at} holds {n} characters"));
                continue;
            }
            if n == cpl {
                if !is_punct(l.last()) {
                    let ink = l.ink();
                    pitches.extend(
                        ink.windows(2)
                            .filter(|w| {
                                is_wide(w[0].c()) && is_wide(w[1].c()) && !is_punct(w[0].c()) && !is_punct(w[1].c())
                            })
                            .map(|w| w[1].ox() - w[0].ox()),
                    );
                }
                continue;
            }
            let mut why =
                Shortfall { latin_marks: l.ink().iter().any(|gl| is_latin_portion_mark(gl.c())), ..Default::default() };
            if let Some(next) = next {
                let head: Vec<char> = next.ink().iter().map(|gl| gl.c()).collect();
                why.kinsoku =
                    head.first().is_some_and(|&c| is_opening(c)) || head.get(1).is_some_and(|&c| cannot_start_line(c));
                why.mark_then_latin = head.get(1).is_some_and(|&c| "，。、）》".contains(c))
                    && head.get(2).is_some_and(|c| c.is_ascii_alphanumeric());
                // The number or word, its unit marks (`%`), and a closing mark
                // that may not start a line: what had to fit together.
                let latin: String =
                    head.iter().take_while(|c| c.is_ascii_alphanumeric() || ".%‰".contains(**c)).collect();
                if !latin.is_empty() {
                    let n = latin.chars().count();
                    let tail =
                        head.get(n).filter(|&&c| cannot_start_line(c)).map_or(0.0, |&c| em_width(&c.to_string()));
                    why.latin_next = em_width(&latin) + tail;
                }
            }
            let allowed = why.allowed(gap_em);
            if cpl - n > allowed {
                problems.push(format!(
                    "{at} holds {n} characters; next line “{}”; reasons {why:?} allow {}",
                    next.map_or("", |l| l.text.as_str()),
                    cpl - allowed
                ));
            } else {
                let mut kinds = Vec::new();
                if why.kinsoku {
                    kinds.push("kinsoku");
                }
                if why.latin_next > 0.0 {
                    kinds.push("number next");
                }
                if why.latin_marks {
                    kinds.push("Latin marks");
                }
                if why.mark_then_latin {
                    kinds.push("mark before a digit");
                }
                *exceptions.entry(format!("{n}: {}", kinds.join("+"))).or_default() += 1;
            }
        }
    }
    eprintln!("{checked} full pure-CJK lines; explained exceptions: {exceptions:?}");
    assert!(checked >= 100, "only {checked} full lines of pure CJK text measured");
    pitches.sort_by(f64::total_cmp);
    let k = pitches.len() / 10;
    let mid = &pitches[k..pitches.len() - k];
    let mean = mid.iter().sum::<f64>() / mid.len() as f64;
    assert!(
        close(mean, g.char_pitch, CHAR_PITCH_TOL),
        "character pitch {mean:.3} pt on 28-character lines, expected {:.3}",
        g.char_pitch
    );
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

// --- Indents, headings, titles, bold ----------------------------------------------

/// Paragraphs (after a short line or a line of another kind) start two
/// character pitches in, also when they open with a bracket; the contact
/// block and headings too.
#[test]
fn paragraphs_are_indented_two_characters() {
    let g = Geo::new();
    let indent = g.style.indent_chars * g.char_pitch;
    let mut problems = Vec::new();
    let mut starts = 0;
    for (u, pdf) in all() {
        let mut prev: Option<&Line> = None;
        for (page, l) in pdf.lines() {
            let at = format!("{} p{}: “{}”", u.key, page + 1, l.text);
            let centred = close(l.x0 - g.left, g.right - l.x1, INDENT_TOL + 1.0);
            let left_anchored = l.x0 <= g.left + 3.0 * g.body && !centred;
            let ends_para = prev.is_none_or(|p| {
                !g.is_body_size(p) || p.x1 < g.right - SHORT_LINE_GAP * g.body || is_table_line(u, p, &g)
            });
            if g.is_body_size(l) && left_anchored && ends_para && !is_table_line(u, l, &g) {
                starts += 1;
                // Also when the paragraph opens with a bracket: only a wrapped
                // line's opening bracket is trimmed.
                let want = indent;
                if !close(l.x0 - g.left, want, INDENT_TOL) {
                    problems.push(format!("{at}: indent {:.2}, expected {want:.2}", l.x0 - g.left));
                }
            }
            prev = Some(l);
        }
        // The contact block (14 pt): each line two character pitches in.
        for b in u.blocks() {
            if let Block::Paragraph { kind: ParaKind::Contact, text } = b {
                let t = squash(&plain_text(text));
                let l = pdf.lines().into_iter().find(|(_, l)| l.squashed() == t).map(|(_, l)| l);
                match l {
                    Some(l) if close(l.x0 - g.left, indent, INDENT_TOL) => starts += 1,
                    Some(l) => problems.push(format!("{}: contact “{t}” indent {:.2}", u.key, l.x0 - g.left)),
                    None => problems.push(format!("{}: contact line “{t}” not found", u.key)),
                }
            }
        }
    }
    assert!(starts > 200, "only {starts} paragraph starts");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// Finds the line that starts with `text` (squashed), from line `from`.
fn find_line<'a>(lines: &[(usize, &'a Line)], from: usize, text: &str) -> Option<(usize, usize, &'a Line)> {
    let t = squash(text);
    let head: String = t.chars().take(8).collect();
    lines.iter().enumerate().skip(from).find_map(|(i, (p, l))| {
        let s = l.squashed();
        (!s.is_empty()
            && (t.starts_with(&s) || s.starts_with(&t) || (s.starts_with(&head) && head.chars().count() >= 2)))
            .then_some((i, *p, *l))
    })
}

/// Headings: level 1 in 黑体, level 2 in 楷体, 3–4 in 仿宋 (3 bold), 16 pt,
/// two character pitches in. Titles: 22 pt in the title face, centred, the
/// document model's line breaks, one blank line before the body. Bold runs
/// (run-in titles, 编者按) and bold headings: drawn with a stroke when the
/// role's font has no bold face, and nothing else is.
#[test]
fn headings_titles_and_bold_runs_use_their_faces() {
    let g = Geo::new();
    let s = &g.style;
    let has_bold = &corpus(TAG).has_bold;
    let synthetic = |role: Role| !has_bold.get(&role).copied().unwrap_or(false);
    let mut problems = Vec::new();
    let (mut titles, mut headings, mut run_ins) = (0, 0, 0);
    for (u, pdf) in all() {
        let lines = pdf.lines();
        let mut cursor = 0;
        let mut expected_stroked = 0;
        for (bi, b) in u.blocks().iter().enumerate() {
            match b {
                Block::Title { lines: tl } => {
                    let mut prev_baseline = None;
                    for t in tl {
                        titles += 1;
                        let Some((i, page, l)) = find_line(&lines, cursor, t) else {
                            problems.push(format!("{}: title line “{t}” not found", u.key));
                            continue;
                        };
                        cursor = i + 1;
                        let at = format!("{} p{}: title “{}”", u.key, page + 1, l.text);
                        if l.squashed() != squash(t) {
                            problems.push(format!("{at}: printed as “{}”, the model says “{t}”", l.text));
                        }
                        if !close(l.size, s.title.size_pt, SIZE_TOL) || !l.all_in(s.title.role) {
                            problems.push(format!(
                                "{at}: {} pt {:?}, expected {} pt {:?}",
                                l.size, l.fonts, s.title.size_pt, s.title.role
                            ));
                        }
                        let (x0, x1) = l.set_extent();
                        if !close(x0 - g.left, g.right - x1, INDENT_TOL) {
                            problems.push(format!(
                                "{at}: not centred ({:.2} left, {:.2} right)",
                                x0 - g.left,
                                g.right - x1
                            ));
                        }
                        if let Some(pb) = prev_baseline
                            && !close(l.baseline - pb, g.pitch, PITCH_TOL)
                        {
                            problems.push(format!("{at}: title lines {:.2} apart", l.baseline - pb));
                        }
                        prev_baseline = Some(l.baseline);
                    }
                    // One blank grid line between the title and what follows
                    // it (their baselines sit at different heights in their
                    // grid lines: compare the grid lines).
                    if matches!(u.blocks().get(bi + 1), Some(Block::Blank))
                        && let (Some(pb), Some((_, nl))) = (prev_baseline, lines.get(cursor))
                        && nl.baseline > pb
                        && g.grid(nl.baseline).0 - g.grid(pb).0 != 2
                    {
                        problems.push(format!(
                            "{}: “{}” is {} grid lines below the title",
                            u.key,
                            nl.text,
                            g.grid(nl.baseline).0 - g.grid(pb).0
                        ));
                    }
                }
                Block::Heading { level, number, text } => {
                    headings += 1;
                    let hs = &s.headings[usize::from(*level) - 1].text;
                    let full = format!("{number}{}", plain_text(text));
                    let Some((i, page, l)) = find_line(&lines, cursor, &full) else {
                        problems.push(format!("{}: heading “{full}” not found", u.key));
                        continue;
                    };
                    cursor = i + 1;
                    let at = format!("{} p{}: heading {level} “{}”", u.key, page + 1, l.text);
                    if !squash(&full).starts_with(&l.squashed()) {
                        problems.push(format!("{at}: expected “{full}”"));
                    }
                    if !close(l.size, hs.size_pt, SIZE_TOL) || !l.all_in(hs.role) {
                        problems.push(format!(
                            "{at}: {} pt {:?}, expected {} pt {:?}",
                            l.size, l.fonts, hs.size_pt, hs.role
                        ));
                    }
                    if !close(l.x0 - g.left, s.indent_chars * g.char_pitch, INDENT_TOL) {
                        problems.push(format!("{at}: indent {:.2}", l.x0 - g.left));
                    }
                    let bold = if hs.bold && synthetic(hs.role) { squash(&full).chars().count() } else { 0 };
                    expected_stroked += bold;
                    if hs.bold && synthetic(hs.role) && l.stroked != l.ink().len() {
                        problems.push(format!("{at}: {} of {} characters stroked (bold)", l.stroked, l.ink().len()));
                    }
                }
                Block::Paragraph { kind, text } => {
                    let role = match kind {
                        ParaKind::Body => s.body.role,
                        ParaKind::Note => s.note.role,
                        ParaKind::Contact => s.contact.role,
                    };
                    let bold_chars: usize =
                        text.iter().filter(|r| r.bold).map(|r| squash(&r.text).chars().count()).sum();
                    if synthetic(role) {
                        expected_stroked += bold_chars;
                    }
                    let Some((i, page, l)) = find_line(&lines, cursor, &plain_text(text)) else { continue };
                    cursor = i + 1;
                    // The first line: its leading bold run stroked, the rest not.
                    let lead_bold =
                        text.iter().take_while(|r| r.bold).map(|r| squash(&r.text).chars().count()).sum::<usize>();
                    let want = if synthetic(role) { lead_bold.min(l.ink().len()) } else { 0 };
                    if lead_bold > 0 {
                        run_ins += 1;
                    }
                    if (lead_bold > 0 || bold_chars == 0) && l.stroked != want {
                        problems.push(format!(
                            "{} p{}: “{}”: {} characters stroked, expected the run-in title's {want}",
                            u.key,
                            page + 1,
                            l.text,
                            l.stroked
                        ));
                    }
                }
                Block::Table { header, rows, .. } => {
                    for c in std::iter::once(header).chain(rows).flatten() {
                        if synthetic(s.table.role) {
                            expected_stroked +=
                                c.iter().filter(|r| r.bold).map(|r| squash(&r.text).chars().count()).sum::<usize>();
                        }
                    }
                }
                Block::Colophon { lines: cl, .. } => {
                    for c in cl {
                        if synthetic(s.colophon.text.role) {
                            expected_stroked +=
                                c.iter().filter(|r| r.bold).map(|r| squash(&r.text).chars().count()).sum::<usize>();
                        }
                    }
                }
                _ => {}
            }
        }
        // Nothing else is drawn bold.
        let stroked: usize = lines.iter().map(|(_, l)| l.stroked).sum();
        if stroked != expected_stroked {
            problems.push(format!("{}: {stroked} characters stroked, the model has {expected_stroked} bold", u.key));
        }
    }
    assert!(titles >= 12 && headings >= 20 && run_ins >= 20, "{titles} titles, {headings} headings, {run_ins} run-ins");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// GB/T 9704 7.3.1: a long title breaks into balanced lines — none longer
/// than the limit, none more than 3 characters longer than another, never a
/// 1–2 character orphan — and the PDF breaks exactly there.
#[test]
fn long_titles_break_into_balanced_lines() {
    let g = Geo::new();
    let c = corpus(TAG);
    let max = g.style.title_max_chars as f64;
    for (key, n) in
        [("custom/long-title/half-year", 2), ("custom/long-title/media", 2), ("custom/longer-title/half-year", 3)]
    {
        let u = c.get(key);
        let Some(Block::Title { lines }) = u.blocks().iter().find(|b| matches!(b, Block::Title { .. })) else {
            panic!("{key}: no title")
        };
        assert_eq!(lines.len(), n, "{key}: {lines:?}");
        assert_eq!(lines.concat(), u.doc.meta.title, "{key}: the lines are the whole title");
        let widths: Vec<f64> = lines.iter().map(|l| em_width(l)).collect();
        let (lo, hi) = widths.iter().fold((f64::MAX, 0.0f64), |(a, b), &w| (a.min(w), b.max(w)));
        assert!(hi <= max, "{key}: a line of {hi} em > {max}: {lines:?}");
        assert!(hi - lo <= 3.0, "{key}: unbalanced {lines:?}");
        assert!(lo >= 3.0, "{key}: orphan line in {lines:?}");
        let pdf = &probes(TAG)[key];
        let printed: Vec<String> = pdf.pages[0]
            .text_lines()
            .iter()
            .filter(|l| close(l.size, g.style.title.size_pt, SIZE_TOL))
            .map(|l| l.squashed())
            .collect();
        let want: Vec<String> = lines.iter().map(|l| squash(l)).collect();
        assert_eq!(printed, want, "{key}: the PDF breaks the title elsewhere");
    }
    // Every title of the corpus is balanced by the same rules.
    for u in &c.units {
        for b in u.blocks() {
            if let Block::Title { lines } = b {
                for l in lines {
                    assert!(em_width(l) <= max, "{}: title line “{l}” too long", u.key);
                }
            }
        }
    }
}

// --- Page numbers -------------------------------------------------------------------

/// GB/T 9704 7.5: `— N —` (U+2014) on every page, 14 pt 宋体, its top 7 mm
/// below the text block, even pages one character in from the left; a page
/// holding only the colophon has none; numbers count the pages.
#[test]
fn page_numbers() {
    let g = Geo::new();
    let pn = &g.style.page_number;
    let size = pn.text.size_pt;
    let top = g.bottom + pn.below_block_mm * PT_PER_MM;
    let mut problems = Vec::new();
    let mut numbered = 0;
    let mut colophon_pages = 0;
    for (u, pdf) in all() {
        for (i, page) in pdf.pages.iter().enumerate() {
            let at = format!("{} p{}", u.key, i + 1);
            if colophon_only(u, page) {
                colophon_pages += 1;
                if let Some(l) = page.number_line() {
                    problems.push(format!("{at}: the colophon's own page is numbered “{}”", l.text));
                }
                continue;
            }
            let Some(l) = page.number_line() else {
                problems.push(format!("{at}: no page number"));
                continue;
            };
            numbered += 1;
            if l.page_number() != Some(i as u32 + 1) {
                problems.push(format!("{at}: page number “{}”", l.text));
            }
            let parts: Vec<&str> = l.text.split_whitespace().collect();
            if parts.len() != 3 || parts[0] != "\u{2014}" || parts[2] != "\u{2014}" {
                problems.push(format!("{at}: “{}” is not “— N —” with U+2014 and spaces", l.text));
            }
            if !close(l.size, size, SIZE_TOL) || !l.all_in(pn.text.role) {
                problems.push(format!("{at}: page number {} pt {:?}", l.size, l.fonts));
            }
            if !close(l.top, top, INDENT_TOL) {
                problems.push(format!("{at}: page number top {:.2}, expected {top:.2}", l.top));
            }
            if (i + 1) % 2 == 0 && !close(l.x0, g.left + pn.inset_chars * size, INDENT_TOL) {
                problems.push(format!("{at}: even page number starts at {:.2}, expected {:.2}", l.x0, g.left + size));
            }
            // Nothing else below the block.
            for other in page.text_lines() {
                if other.top > g.bottom + MARGIN_TOL {
                    problems.push(format!("{at}: “{}” below the block", other.text));
                }
            }
        }
    }
    assert!(numbered > 50 && colophon_pages >= 1, "{numbered} numbered pages, {colophon_pages} colophon pages");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// GB/T 9704 7.5: odd page numbers end one character (14 pt) in from the
/// right edge of the block.
#[test]
fn odd_page_numbers_end_one_character_in() {
    let g = Geo::new();
    let pn = &g.style.page_number;
    let want = g.right - pn.inset_chars * pn.text.size_pt;
    let mut problems = Vec::new();
    for (u, pdf) in all() {
        for (i, page) in pdf.pages.iter().enumerate() {
            if let Some(l) = page.number_line()
                && (i + 1) % 2 == 1
                && !close(l.x1, want, INDENT_TOL)
            {
                problems.push(format!("{} p{}: odd page number ends at {:.2}, expected {want:.2}", u.key, i + 1, l.x1));
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

// --- Signature ----------------------------------------------------------------------

struct SignatureLines<'a> {
    page: usize,
    name: &'a Line,
    date: &'a Line,
    before: Option<(usize, &'a Line)>,
}

fn signature_lines<'a>(pdf: &'a Pdf, name: &str, date: &str) -> Option<SignatureLines<'a>> {
    let lines = pdf.lines();
    let i = lines.iter().rposition(|(_, l)| l.squashed() == squash(name))?;
    let (page, n) = lines[i];
    let (_, d) = *lines.get(i + 1).filter(|(_, l)| l.squashed() == squash(date))?;
    Some(SignatureLines { page, name: n, date: d, before: i.checked_sub(1).map(|j| lines[j]) })
}

/// GB/T 9704 7.3.5.2 (unsealed): one blank line after the body; the 署名
/// right-indented two characters and the date under it, its first character
/// two characters right of the 署名's; a date longer than the 署名 is
/// right-indented two characters and the 署名 moves left to keep the shift.
#[test]
fn signature_follows_gbt9704_7_3_5_2() {
    let g = Geo::new();
    let two = 2.0 * g.char_pitch;
    let mut problems = Vec::new();
    let (mut long_name, mut long_date) = (0, 0);
    for (u, pdf) in all() {
        for (bi, b) in u.blocks().iter().enumerate() {
            let Block::Signature { name, date, .. } = b else { continue };
            let Some(sl) = signature_lines(pdf, name, date) else {
                problems.push(format!("{}: signature “{name}” / “{date}” not found", u.key));
                continue;
            };
            let at = format!("{} p{}", u.key, sl.page + 1);
            let (n, d) = (sl.name, sl.date);
            if !close(d.baseline - n.baseline, g.pitch, PITCH_TOL) {
                problems.push(format!("{at}: date {:.2} pt below the 署名", d.baseline - n.baseline));
            }
            if bi > 0
                && matches!(u.blocks()[bi - 1], Block::Blank)
                && let Some((p, before)) = sl.before
                && p == sl.page
                && !close(n.baseline - before.baseline, 2.0 * g.pitch, PITCH_TOL)
            {
                problems.push(format!(
                    "{at}: 署名 {:.2} pt below the body, not one blank line",
                    n.baseline - before.baseline
                ));
            }
            if !close(d.x0 - n.x0, two, MARGIN_TOL) {
                problems.push(format!(
                    "{at}: the date starts {:.2} pt right of the 署名 (“{}” at {:.2}, “{}” at {:.2}), expected {two:.2}",
                    d.x0 - n.x0,
                    n.text,
                    n.x0,
                    d.text,
                    d.x0
                ));
            }
            // Which is longer as set: the date's Chinese–Latin gaps count.
            let (indented, which) = if d.x1 - d.x0 > n.x1 - n.x0 {
                long_date += 1;
                (d, "date")
            } else {
                long_name += 1;
                (n, "署名")
            };
            if !close(g.right - indented.x1, two, MARGIN_TOL) {
                problems.push(format!(
                    "{at}: the {which} ends {:.2} pt from the right edge, expected {two:.2}",
                    g.right - indented.x1
                ));
            }
            if !g.is_body_size(n) || !n.all_in(g.style.body.role) || !g.is_body_size(d) || !d.all_in(g.style.body.role)
            {
                problems.push(format!("{at}: signature not in the body face"));
            }
        }
    }
    assert!(long_name >= 4 && long_date >= 1, "{long_name} long 署名, {long_date} long dates measured");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// The date is set as Word and LibreOffice set it, like every body line:
/// a Chinese–Latin gap of 0.2 em between its digits and characters (the DOCX
/// right indents assume the PDF's widths, so without it LibreOffice puts the
/// date's first character only one character right of the 署名's).
#[test]
fn signature_date_has_the_cjk_latin_gap() {
    let g = Geo::new();
    let gap = g.style.cjk_latin_gap_em * g.body;
    let mut problems = Vec::new();
    for (u, pdf) in all() {
        for b in u.blocks() {
            let Block::Signature { name, date, .. } = b else { continue };
            let Some(sl) = signature_lines(pdf, name, date) else { continue };
            let ink = sl.date.ink();
            for w in ink.windows(2) {
                let (a, b) = (w[0], w[1]);
                if a.c().is_ascii_digit() != b.c().is_ascii_digit() {
                    let room = b.ox() - a.x1();
                    if room < gap - 0.5 {
                        problems.push(format!(
                            "{}: “{}{}” in “{}” {room:.2} pt apart, expected ≥ {gap:.2}",
                            u.key,
                            a.c(),
                            b.c(),
                            date
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// Titles, the masthead's issue and date, and the colophon's copies are set
/// like body text too: a Chinese–Latin gap between digits and characters
/// (`2025年`, `第3期`, `（共印40份）`), as LibreOffice sets them.
#[test]
fn titles_masthead_and_copies_have_the_cjk_latin_gap() {
    let g = Geo::new();
    let mut problems = Vec::new();
    let mut checked = 0;
    for (u, pdf) in all() {
        let mut texts: Vec<String> = Vec::new();
        for b in u.blocks() {
            match b {
                Block::Title { lines } => texts.extend(lines.iter().map(|l| squash(l))),
                Block::Masthead { issue, date, .. } => texts.extend([squash(issue), squash(date)]),
                Block::Colophon { copies: Some(c), .. } => texts.push(squash(c)),
                _ => {}
            }
        }
        for (_, l) in pdf.lines() {
            let t = l.squashed();
            if !texts.iter().any(|x| !x.is_empty() && t.contains(x.as_str())) {
                continue;
            }
            let gap = g.style.cjk_latin_gap_em * l.size;
            for w in l.ink().windows(2) {
                let (a, b) = (w[0], w[1]);
                let pair = (a.c().is_ascii_digit() && is_cjk(b.c()) && !is_punct(b.c()))
                    || (is_cjk(a.c()) && !is_punct(a.c()) && b.c().is_ascii_digit());
                if pair {
                    checked += 1;
                    let room = b.ox() - a.x1();
                    if room < gap - 0.5 {
                        problems.push(format!(
                            "{}: “{}{}” in “{}” {room:.2} pt apart, expected ≥ {gap:.2}",
                            u.key,
                            a.c(),
                            b.c(),
                            l.text
                        ));
                    }
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} digit–character pairs measured");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// Line breaks LibreOffice makes because of digits, made in the PDF too:
/// no break between a closing mark and a letter or digit after it (the
/// 28-character line `…重温入党誓词。` followed by `3名` ends `…誓`, and
/// `词。3名` starts the next line), and a 20-character title with two
/// Chinese–Latin gaps is too wide for one line.
#[test]
fn line_breaks_around_digits_follow_libreoffice() {
    let c = corpus(TAG);
    let pdf = &probes(TAG)["custom/mark-digit/half-year"];
    let lines: Vec<String> = pdf.lines().iter().map(|(_, l)| l.squashed()).collect();
    let i = lines.iter().position(|l| l.ends_with("重温入党誓")).unwrap_or_else(|| panic!("{lines:#?}"));
    assert!(lines[i + 1].starts_with("词。3名"), "{lines:#?}");
    for w in lines.windows(2) {
        let (a, b) = (w[0].chars().last().unwrap_or(' '), w[1].chars().next().unwrap_or(' '));
        assert!(
            !("，。、）》".contains(a) && b.is_ascii_alphanumeric()),
            "a break between “{a}” and “{b}”: {lines:#?}"
        );
    }
    let u = c.get("custom/digit-title/half-year");
    let Some(Block::Title { lines: title }) = u.blocks().iter().find(|b| matches!(b, Block::Title { .. })) else {
        panic!("no title")
    };
    assert_eq!(title.len(), 2, "{title:?}");
    let g = Geo::new();
    let printed: Vec<String> = probes(TAG)["custom/digit-title/half-year"].pages[0]
        .text_lines()
        .iter()
        .filter(|l| close(l.size, g.style.title.size_pt, SIZE_TOL))
        .map(|l| l.squashed())
        .collect();
    assert_eq!(printed, title.iter().map(|t| squash(t)).collect::<Vec<_>>());
}

/// No text touches a rule: every line keeps a point clear of the table,
/// colophon and masthead rules across it (a heading right after a table
/// once stood with its glyph tops on the table's bottom rule; LibreOffice
/// sets it 9 pt clear).
#[test]
fn text_keeps_clear_of_rules() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for (u, pdf) in all() {
        for (i, page) in pdf.pages.iter().enumerate() {
            for r in &page.rules {
                for l in page.text_lines() {
                    if l.x1 < r.x0 || l.x0 > r.x1 {
                        continue;
                    }
                    checked += 1;
                    let half = r.width / 2.0;
                    if l.top < r.y + half + 1.0 && l.bottom > r.y - half - 1.0 {
                        problems.push(format!(
                            "{} p{}: “{}” ({:.2}–{:.2}) touches the rule at {:.2}",
                            u.key,
                            i + 1,
                            l.text,
                            l.top,
                            l.bottom,
                            r.y
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} line–rule pairs");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

// --- Colophon and masthead ----------------------------------------------------------

/// GB/T 9704 7.4: the 版记 at the foot of the last page — rules as wide as
/// the block, thick (0.35 mm) first and last, thin (0.25 mm) between, one
/// grid line apart, the last on the bottom of the block; 14 pt 仿宋 one
/// character in, the copies right-aligned. When it does not fit it takes a
/// page of its own; when it fits it shares the last page.
#[test]
fn colophon_at_the_foot_of_the_last_page() {
    let g = Geo::new();
    let co = &g.style.colophon;
    let size = co.text.size_pt;
    let inset = co.inset_chars * size;
    let (thick, thin) = (co.thick_rule_mm * PT_PER_MM, co.thin_rule_mm * PT_PER_MM);
    let mut problems = Vec::new();
    let mut checked = 0;
    for (u, pdf) in all() {
        let Some(Block::Colophon { lines, copies }) =
            u.blocks().iter().rev().find(|b| matches!(b, Block::Colophon { .. }))
        else {
            continue;
        };
        if u.key == WRAPPED_COLOPHON {
            continue; // rows of several grid lines: see the next test
        }
        checked += 1;
        let rows = lines.len() + usize::from(copies.is_some());
        let page = pdf.pages.last().unwrap();
        let at = format!("{} p{}", u.key, pdf.pages.len());
        let rules: Vec<&Rule> = page
            .rules
            .iter()
            .filter(|r| close(r.width, thick, 0.05) || close(r.width, thin, 0.05))
            .filter(|r| r.color.as_deref() == Some("#000000"))
            .collect();
        if rules.len() != rows + 1 {
            problems.push(format!("{at}: {} colophon rules for {rows} lines", rules.len()));
            continue;
        }
        for (k, r) in rules.iter().enumerate() {
            let want = if k == 0 || k == rows { thick } else { thin };
            if !close(r.width, want, 0.05) {
                problems.push(format!("{at}: rule {k} is {:.3} pt, expected {want:.3}", r.width));
            }
            if !close(r.x0, g.left, 0.5) || !close(r.x1, g.right, 0.5) {
                problems.push(format!("{at}: rule {k} spans {:.2}–{:.2}, not the block", r.x0, r.x1));
            }
            if k > 0 && !close(r.y - rules[k - 1].y, g.pitch, PITCH_TOL) {
                problems.push(format!("{at}: rules {} pt apart", r.y - rules[k - 1].y));
            }
        }
        if !close(rules[rows].y, g.bottom, 0.5) {
            problems
                .push(format!("{at}: the last rule at {:.2}, not on the block bottom {:.2}", rules[rows].y, g.bottom));
        }
        let text = page.text_lines();
        let texts: Vec<(String, bool)> = lines
            .iter()
            .map(|l| (squash(&plain_text(l)), false))
            .chain(copies.iter().map(|c| (squash(c), true)))
            .collect();
        for (k, (t, is_copies)) in texts.iter().enumerate() {
            let Some(l) = text.iter().find(|l| l.squashed() == *t) else {
                problems.push(format!("{at}: colophon line “{t}” not on the last page"));
                continue;
            };
            if !close(l.size, size, SIZE_TOL) || !l.all_in(co.text.role) {
                problems.push(format!("{at}: “{t}” {} pt {:?}", l.size, l.fonts));
            }
            if !(rules[k].y < l.baseline && l.baseline < rules[k + 1].y) {
                problems.push(format!("{at}: “{t}” not between its rules"));
            }
            let (x0, x1) = l.set_extent();
            if *is_copies {
                if !close(x1, g.right - inset, INDENT_TOL) {
                    problems.push(format!("{at}: copies end at {x1:.2}, expected {:.2}", g.right - inset));
                }
            } else if !close(x0, g.left + inset, INDENT_TOL) {
                problems.push(format!("{at}: “{t}” starts at {x0:.2}, expected {:.2}", g.left + inset));
            }
        }
    }
    // The purpose-made briefings: one colophon that fits, one that does not.
    let c = corpus(TAG);
    let own = &probes(TAG)["custom/colophon-own-page/bulletin"];
    let u = c.get("custom/colophon-own-page/bulletin");
    assert_eq!(own.pages.len(), 2, "the colophon that does not fit takes a second page");
    assert!(colophon_only(u, &own.pages[1]), "page 2 holds only the colophon");
    let body_end = own.pages[0].text_lines().last().map(|l| g.grid(l.baseline).0).unwrap();
    let free = i64::from(g.style.grid.lines_per_page) - 1 - body_end;
    assert!(free < 4, "the body leaves {free} grid lines: the colophon (4) would have fitted");
    let fits = &probes(TAG)["custom/colophon-fits/bulletin"];
    let u = c.get("custom/colophon-fits/bulletin");
    assert_eq!(fits.pages.len(), 1, "a colophon that fits stays on the last page");
    assert!(fits.pages[0].text_lines().iter().any(|l| is_colophon_line(u, l)) && fits.pages[0].number_line().is_some());
    assert!(checked >= 4, "{checked} colophons");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// The briefing whose recipient lists wrap (`layout::custom_data`).
const WRAPPED_COLOPHON: &str = "custom/colophon-wrapped/bulletin";

/// A colophon line too long for one line wraps inside its row, which grows
/// by whole grid lines; the wrapped lines align with the first character
/// after the label's colon (GB/T 9704 7.4.2); the rules stay on grid-line
/// boundaries, the last on the bottom of the text block; nothing is lost.
#[test]
fn a_wrapped_colophon_line_grows_its_row_and_hangs_after_the_colon() {
    let g = Geo::new();
    let co = &g.style.colophon;
    let inset = co.inset_chars * co.text.size_pt;
    let (thick, thin) = (co.thick_rule_mm * PT_PER_MM, co.thin_rule_mm * PT_PER_MM);
    let u = corpus(TAG).get(WRAPPED_COLOPHON);
    let pdf = &probes(TAG)[WRAPPED_COLOPHON];
    let page = pdf.pages.last().unwrap();
    let mut rules: Vec<&Rule> = page
        .rules
        .iter()
        .filter(|r| close(r.width, thick, 0.05) || close(r.width, thin, 0.05))
        .filter(|r| r.color.as_deref() == Some("#000000"))
        .collect();
    rules.sort_by(|a, b| a.y.total_cmp(&b.y));
    // 报 (wraps), 送, 发 (wraps), copies: five rules.
    assert_eq!(rules.len(), 5, "{rules:?}");
    let spans: Vec<f64> = rules.windows(2).map(|w| (w[1].y - w[0].y) / g.pitch).collect();
    for s in &spans {
        assert!(close(*s, s.round(), 0.02), "rows must be whole grid lines: {spans:?}");
    }
    let spans: Vec<u32> = spans.iter().map(|s| s.round() as u32).collect();
    assert!(spans[0] >= 2 && spans[1] == 1 && spans[2] >= 2 && spans[3] == 1, "grid lines per row: {spans:?}");
    assert!(close(rules[4].y, g.bottom, 0.5), "last rule {:.2}, block bottom {:.2}", rules[4].y, g.bottom);

    let lines: Vec<&Line> = page.text_lines().into_iter().filter(|l| is_colophon_line(u, l)).collect();
    let texts = colophon_texts(u);
    for (row, (text, span)) in texts.iter().zip(&spans).enumerate() {
        let inside: Vec<&&Line> =
            lines.iter().filter(|l| rules[row].y < l.baseline && l.baseline < rules[row + 1].y).collect();
        assert_eq!(inside.len() as u32, *span, "row {row}: one text line per grid line");
        let joined: String = inside.iter().map(|l| l.squashed()).collect();
        assert_eq!(&joined, text, "row {row}: the whole line, in order");
        for (k, l) in inside.iter().enumerate().skip(1) {
            assert!(close(l.baseline - inside[k - 1].baseline, g.pitch, PITCH_TOL), "row {row}: lines a pitch apart");
            // After `报：`: two characters further in than the label.
            let want = g.left + inset + 2.0 * co.text.size_pt;
            assert!(
                close(l.set_extent().0, want, INDENT_TOL),
                "row {row} line {k} starts at {:.2}, expected {want:.2}",
                l.set_extent().0
            );
        }
    }
    // The DOCX gets the same rows: heights in grid lines, the same hanging indent.
    let xml = common::docx_part(&u.docx, "word/document.xml");
    let heights: Vec<u32> = xml
        .match_indices("<w:trHeight w:val=\"")
        .map(|(i, m)| xml[i + m.len()..].split('"').next().unwrap().parse().unwrap())
        .collect();
    let pitch_tw = (g.pitch * 20.0).round() as u32;
    assert_eq!(heights, spans.iter().map(|s| s * pitch_tw).collect::<Vec<_>>(), "DOCX row heights");
    assert_eq!(xml.matches("w:hangingChars=\"200\"").count(), 3, "报/送/发 hang by two characters");
}

/// The briefing's masthead: the name in red in the title face, centred; the
/// editor flush left and the date flush right on one line; the red rule as
/// wide as the block, `rule_gap_mm` under that line.
#[test]
fn masthead() {
    let g = Geo::new();
    let m = &g.style.masthead;
    let mut checked = 0;
    for (u, pdf) in all() {
        let Some(Block::Masthead { name, editor, date, .. }) =
            u.blocks().iter().find(|b| matches!(b, Block::Masthead { .. }))
        else {
            continue;
        };
        checked += 1;
        let page = &pdf.pages[0];
        let lines = page.text_lines();
        let n = lines.iter().find(|l| l.squashed() == squash(name)).unwrap_or_else(|| panic!("{}: no masthead", u.key));
        assert!(
            close(n.size, m.name.size_pt, SIZE_TOL) && n.all_in(m.name.role),
            "{}: name {} pt {:?}",
            u.key,
            n.size,
            n.fonts
        );
        let (x0, x1) = n.set_extent();
        assert!(close(x0 - g.left, g.right - x1, INDENT_TOL), "{}: masthead name not centred", u.key);
        let e = lines.iter().find(|l| l.squashed() == squash(&format!("{editor}{date}"))).expect("editor line");
        assert!(
            close(e.x0, g.left, 0.5) && close(e.x1, g.right, 0.5),
            "{}: editor line {:.2}–{:.2}",
            u.key,
            e.x0,
            e.x1
        );
        let red: Vec<&Rule> =
            page.rules.iter().filter(|r| r.color.as_deref() == Some(m.color.to_uppercase().as_str())).collect();
        assert_eq!(red.len(), 1, "{}: red rules {red:?}", u.key);
        let r = red[0];
        assert!(close(r.width, m.rule_pt, 0.05), "{}: red rule {} pt", u.key, r.width);
        assert!(close(r.x0, g.left, 0.5) && close(r.x1, g.right, 0.5), "{}: red rule {:.2}–{:.2}", u.key, r.x0, r.x1);
        let gap = r.y - e.baseline;
        assert!(close(gap, m.rule_gap_mm * PT_PER_MM, 0.5), "{}: red rule {gap:.2} pt under the editor line", u.key);
    }
    assert!(checked >= 4, "{checked} mastheads");
}

// --- Fonts, metadata, reproducibility -----------------------------------------------

/// Every font embedded, no tofu, the info dictionary from the data (title,
/// author, the document date as creation date).
#[test]
fn fonts_embedded_and_metadata() {
    for (u, pdf) in all() {
        assert_eq!(pdf.notdef, 0, "{}: tofu", u.key);
        assert!(pdf.fonts.iter().all(|f| f.embedded), "{}: fonts not embedded: {:?}", u.key, pdf.fonts);
        let meta = &u.doc.meta;
        assert_eq!(pdf.metadata["title"], meta.title.as_str(), "{}", u.key);
        assert_eq!(pdf.metadata["author"], meta.author.as_str(), "{}", u.key);
        if let Some(d) = &meta.date {
            let want = format!("D:{}", d.replace('-', ""));
            let got = pdf.metadata["creationDate"].as_str().unwrap_or("");
            assert!(got.starts_with(&want), "{}: creation date {got}, expected {want}…", u.key);
        }
    }
}

/// The same input renders to the same PDF bytes (from another folder, at
/// another time).
#[test]
fn rendering_twice_gives_the_same_pdf() {
    let c = corpus(TAG);
    for key in ["qdn-renda/bulletin", "custom/signature-long-date/half-year"] {
        let u = c.get(key);
        let dir = common::tempdir();
        let data = if key.starts_with("custom/") {
            c.dir.join("data").join("signature-long-date.yaml")
        } else {
            common::sample("qdn-renda.yaml")
        };
        let o = common::jianbao()
            .current_dir(dir.path())
            .args(["render", data.to_str().unwrap(), "-t", &u.template, "-o", "again", "-f", "pdf"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", common::stderr(&o));
        let again = dir.path().join("again").join(u.pdf.file_name().unwrap());
        assert!(
            std::fs::read(&again).unwrap() == std::fs::read(&u.pdf).unwrap(),
            "{key}: PDF bytes differ between two renders"
        );
    }
}
