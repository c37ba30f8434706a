//! A long document laid out in parts, one Typst compilation per core.
//!
//! Typst evaluates and realizes a document on one core; only the layout of
//! its page runs (`page_runs`) goes wide. Evaluation could be shared with a
//! thread that evaluated the later blocks ahead (`Typst::prewarm`), but
//! realizing the 1000-page report — applying the rules, hashing the whole
//! document for the memo — still kept one core busy and the other idle
//! for about 100 ms. Its page runs start where a page starts anyway, after
//! a full page, so the blocks before a run start and the blocks from it on
//! can be laid out as two documents: the pages of the two, one after the
//! other, are the pages of the whole. Each part is compiled on a thread of
//! its own, evaluation, realization and all, one part per core.
//!
//! The parts' pages are then one document again ([`join`]): Typst names
//! every element it lays out by a hash of where it stands in its
//! compilation, so a paragraph that comes back in a later part (a report
//! whose sections repeat) would have the same name in both. The elements of
//! every part after the first are renamed, consistently, so each keeps a
//! name of its own; the pages are numbered on from the part before.
//!
//! Like a page run, a part is only a head start: `page_runs::hold` checks
//! after the layout that the page before each part's first block is full,
//! and the layout is done again as one document where it is not.

use std::ops::Range;

use rayon::prelude::*;
use typst::introspection::{Location, Tag};
use typst::layout::{Frame, FrameItem};
use typst::model::{Destination, Document as _};
use typst_layout::{Page, PagedDocument};

use crate::error::Error;

/// The blocks each part after the first starts with: `parts - 1` of the
/// page run starts `runs`, spread evenly (runs start at evenly spaced
/// pages), fewer if there are fewer runs.
pub(super) fn starts(runs: &[usize], parts: usize) -> Vec<usize> {
    let parts = parts.min(runs.len() + 1);
    let mut starts: Vec<usize> = (1..parts).map(|k| runs[(runs.len() + 1) * k / parts - 1]).collect();
    starts.dedup();
    starts
}

/// Lays out the `blocks` blocks of a document as one document per part —
/// the first part up to the first block of `starts`, and so on — each laid
/// out by `part` on a thread of its own, and joins their pages.
pub(super) fn lay_out(
    blocks: usize,
    starts: &[usize],
    part: impl Fn(Range<usize>) -> Result<PagedDocument, Error> + Sync,
) -> Result<PagedDocument, Error> {
    let ends = starts.iter().copied().chain([blocks]);
    let mut ranges = std::iter::once(0).chain(starts.iter().copied()).zip(ends).map(|(from, to)| from..to);
    let first = ranges.next().unwrap_or(0..blocks);
    let part = &part;
    std::thread::scope(|s| {
        let later: Vec<_> = ranges.map(|range| s.spawn(move || part(range))).collect();
        let mut laid = vec![part(first)?];
        for handle in later {
            laid.push(handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?);
        }
        Ok(join(laid))
    })
}

/// The pages of `parts`, in order, as one document with the first part's
/// metadata.
fn join(parts: Vec<PagedDocument>) -> PagedDocument {
    let Some(info) = parts.first().map(|first| first.info().clone()) else {
        return PagedDocument::new(Default::default(), Default::default());
    };
    // Each page with the part it comes from, numbered on from the pages
    // before its part.
    let mut pages: Vec<(usize, Page)> = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        let before = pages.len() as u64;
        pages.extend(part.pages().iter().map(|page| (k, Page { number: page.number + before, ..page.clone() })));
    }
    drop(parts);
    // On all cores: renaming copies the items of every frame it changes
    // (Typst's memo shares them), every glyph of every line.
    pages.par_iter_mut().filter(|(k, _)| *k > 0).for_each(|(k, page)| {
        let k = *k;
        rename_in(&mut page.frame, &|loc: Location| Location::new(typst::utils::hash128(&(k, loc.hash()))));
    });
    PagedDocument::new(pages.into_iter().map(|(_, page)| page).collect(), info)
}

/// Gives every element whose name appears in `frame` its new name.
///
/// Only frames that hold a name are changed: the pages share their frames
/// with Typst's memo, so changing one copies its items, and the lines of
/// text (most of the items) hold none.
fn rename_in(frame: &mut Frame, rename: &impl Fn(Location) -> Location) {
    if !holds_names(frame) {
        return;
    }
    frame.retain(|item| {
        match item {
            FrameItem::Group(group) => {
                rename_in(&mut group.frame, rename);
                if let Some(parent) = &mut group.parent {
                    parent.location = rename(parent.location);
                }
            }
            FrameItem::Tag(Tag::Start(elem, _)) => {
                if let Some(loc) = elem.location() {
                    elem.set_location(rename(loc));
                }
            }
            FrameItem::Tag(Tag::End(loc, _, _)) => *loc = rename(*loc),
            FrameItem::Link(Destination::Location(loc), _) => *loc = rename(*loc),
            FrameItem::Text(_) | FrameItem::Shape(..) | FrameItem::Image(..) | FrameItem::Link(..) => {}
        }
        true
    });
}

/// Whether `frame` or a frame inside it holds an element's name.
fn holds_names(frame: &Frame) -> bool {
    frame.items().any(|(_, item)| match item {
        FrameItem::Group(group) => group.parent.is_some() || holds_names(&group.frame),
        FrameItem::Tag(_) | FrameItem::Link(Destination::Location(_), _) => true,
        FrameItem::Text(_) | FrameItem::Shape(..) | FrameItem::Image(..) | FrameItem::Link(..) => false,
    })
}

#[cfg(test)]
mod tests {
    use super::starts;

    #[test]
    fn parts_start_at_evenly_spread_page_runs() {
        let runs = [10, 20, 30, 40, 50, 60, 70];
        assert_eq!(starts(&runs, 2), [40]);
        assert_eq!(starts(&runs, 4), [20, 40, 60]);
        // No more parts than runs allow; one part is no split.
        assert_eq!(starts(&[10, 20], 8), [10, 20]);
        assert!(starts(&runs, 1).is_empty());
        assert!(starts(&[], 2).is_empty());
    }
}
