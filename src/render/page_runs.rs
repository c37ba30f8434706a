//! Where pages start anyway: page runs Typst can lay out side by side.
//!
//! Typst lays out a document's page runs — the stretches between page
//! breaks — in parallel, but a report has no page breaks: one run, one
//! core. On the grid every line is one grid line, a page holds
//! `lines_per_page` of them, and `predict` already knows how many lines
//! each paragraph and heading takes; so the blocks a new page starts with
//! can be worked out before the layout. A weak page break before such a
//! block changes nothing in the layout (the page before it is full) and
//! splits the document into runs.
//!
//! Like the line prediction, this is only a head start: after the layout
//! [`hold`] checks that the page before every such break is full, and the
//! layout is done again without them where one is not.

use std::collections::BTreeMap;

use super::line_ends::LaidText;
use super::vertical::Metrics;
use crate::doc::Block;
use crate::style::Style;

/// Pages a run has at least: a short document stays one run.
const MIN_RUN_PAGES: usize = 16;
/// Runs at most: enough to keep every core busy when they differ in cost.
const MAX_RUNS: usize = 16;

/// The blocks a page starts with, by the predicted lines of each block
/// (`lines`, by block): each after a paragraph that fills its page to the
/// last line, at least [`MIN_RUN_PAGES`] apart. The prediction stops at the
/// first block whose lines it does not know (a table, a picture, the
/// signature, the colophon …).
pub(super) fn starts(blocks: &[Block], lines: &BTreeMap<usize, usize>, style: &Style, metrics: &Metrics) -> Vec<usize> {
    let per_page = style.grid.lines_per_page as usize;
    let page_lines = |role, size_pt| metrics.grid_lines(style, role, size_pt) as usize;
    // The grid lines of each block, as far as known.
    let height = |i: usize| -> Option<usize> {
        Some(match &blocks[i] {
            Block::Title { lines } => lines.len() * page_lines(style.title.role, style.title.size_pt),
            Block::Subtitle { .. } => page_lines(style.subtitle.role, style.subtitle.size_pt),
            Block::Byline { .. } => page_lines(style.byline.role, style.byline.size_pt),
            Block::Blank => 1,
            Block::Heading { .. } | Block::Paragraph { .. } => *lines.get(&i)?,
            _ => return None,
        })
    };
    // Blocks a page could start with, and the page each starts.
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    // Grid lines used on the current page, and pages before it.
    let (mut used, mut page) = (0, 0);
    for i in 0..blocks.len() {
        let Some(lines) = height(i) else { break };
        if used == 0 && i > 0 && matches!(blocks[i - 1], Block::Paragraph { .. }) && !blocks[i - 1].keeps_with_next() {
            candidates.push((i, page));
        }
        if blocks[i].keeps_with_next() && (i == 0 || !blocks[i - 1].keeps_with_next()) {
            // Headings in a row go to the next page together unless the
            // first line of the block after them fits below them.
            let chain = (i..blocks.len()).take_while(|&k| blocks[k].keeps_with_next()).count();
            let Some(chain_lines) = (i..i + chain).map(height).sum::<Option<usize>>() else { break };
            if i + chain == blocks.len() || height(i + chain).is_none() || chain_lines + 1 > per_page {
                break;
            }
            if used > 0 && used + chain_lines + 1 > per_page {
                page += 1;
                used = 0;
            }
        }
        // Paragraphs break anywhere (no widow or orphan control).
        used += lines;
        page += used / per_page;
        used %= per_page;
    }
    let total = page;
    let runs = (total / MIN_RUN_PAGES).clamp(1, MAX_RUNS);
    let mut chosen = Vec::new();
    let mut last = 0;
    for k in 1..runs {
        let target = total * k / runs;
        // The first candidate at or after the target page.
        if let Some(&(block, at)) = candidates.iter().find(|&&(_, at)| at >= target && at >= last + MIN_RUN_PAGES) {
            chosen.push(block);
            last = at;
        }
    }
    chosen
}

/// Whether every block of `starts` starts a page right after a full one:
/// the last line before it is on the previous page's last grid line.
pub(super) fn hold(laid: &LaidText, starts: &[usize], style: &Style) -> bool {
    let pitch = style.grid.line_pitch_pt;
    let full = (style.grid.lines_per_page - 1) as f64 * pitch;
    starts.iter().all(|&block| {
        laid.before_block(block)
            .is_some_and(|(last, first)| last.page + 1 == first.page && (last.y - first.y - full).abs() < pitch / 2.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{ParaKind, Run};
    use crate::fonts::FontSet;

    /// Blocks of the given kinds and grid lines: `h` a heading, `p` a
    /// paragraph.
    fn blocks(spec: &[(char, usize)]) -> (Vec<Block>, BTreeMap<usize, usize>) {
        let block = |kind| match kind {
            'h' => Block::Heading { level: 1, number: "一、".into(), text: vec![Run::plain("乙")] },
            _ => Block::Paragraph { kind: ParaKind::Body, text: vec![Run::plain("甲")] },
        };
        (spec.iter().map(|&(k, _)| block(k)).collect(), spec.iter().map(|&(_, n)| n).enumerate().collect())
    }

    /// The run starts of the blocks of `spec` (22 lines a page).
    fn starts_of(spec: &[(char, usize)]) -> Vec<usize> {
        let (blocks, lines) = blocks(spec);
        starts(&blocks, &lines, &Style::gbt9704(), &Metrics::of_fonts(&FontSet::bundled()))
    }

    #[test]
    fn a_run_starts_after_a_paragraph_that_fills_its_page() {
        // 11-line paragraphs: every other one ends a page; 40 pages give
        // two runs of at least 16 pages.
        let spec = vec![('p', 11); 80];
        assert_eq!(starts_of(&spec), [40]);
        // 160 pages: ten runs.
        let runs = starts_of(&vec![('p', 11); 320]);
        assert_eq!(runs.len(), 9);
        assert!(runs.windows(2).all(|w| w[1] - w[0] >= 2 * MIN_RUN_PAGES), "{runs:?}");
        // A short document is one run.
        assert!(starts_of(&vec![('p', 11); 30]).is_empty());
    }

    #[test]
    fn headings_that_would_end_a_page_go_to_the_next() {
        // A heading on the last line of page 1 goes to page 2, leaving
        // that line blank: the page after it is full after 21 lines more.
        let mut spec = vec![('p', 21), ('h', 1), ('p', 21)];
        spec.extend(vec![('p', 11); 70]);
        assert_eq!(starts_of(&spec), [35]);
        // Two headings in a row go together, with a line for the text
        // after them.
        let mut spec = vec![('p', 20), ('h', 1), ('h', 1), ('p', 20)];
        spec.extend(vec![('p', 11); 70]);
        assert_eq!(starts_of(&spec), [36]);
    }

    #[test]
    fn the_prediction_stops_at_a_block_it_cannot_measure() {
        let style = Style::gbt9704();
        let metrics = Metrics::of_fonts(&FontSet::bundled());
        let (mut blocks, mut lines) = blocks(&vec![('p', 11); 80]);
        assert_eq!(starts(&blocks, &lines, &style, &metrics), [40]);
        // A paragraph whose lines were not predicted.
        lines.remove(&10);
        assert!(starts(&blocks, &lines, &style, &metrics).is_empty());
        // A table (its rows wrap as they will).
        lines.insert(10, 11);
        blocks[10] = Block::Table { header: Vec::new(), rows: Vec::new(), widths: Vec::new(), align: Vec::new() };
        assert!(starts(&blocks, &lines, &style, &metrics).is_empty());
    }
}
