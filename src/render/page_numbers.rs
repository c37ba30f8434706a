//! Page numbers, laid out in a pass of their own.
//!
//! A footer that shows its page number asks Typst's introspection for it,
//! and Typst then lays the whole document out a second time to settle the
//! answer: 12–17 % of a long report's time (`benches/README.md`). So the
//! layout leaves the footers empty and says so with a
//! `<jb-page-numbers>` mark; jianbao then runs the layout once more with
//! the numbers as data, which lays out one empty page per number with just
//! its footer, and puts each of those footers on its page. A layout without
//! the mark (a copy made before this pass existed) draws its own numbers
//! and is left as it is.

use typst::foundations::Label;
use typst::introspection::{Introspector as _, PagedPosition};
use typst::layout::{Frame, FrameItem, GroupItem, Point};
use typst::model::Document as _;
use typst_layout::PagedDocument;

/// Whether the layout of `document` left the page numbers to their own
/// pass (it carries the `<jb-page-numbers>` mark).
pub(super) fn separate(document: &PagedDocument) -> bool {
    // Once per part of a document laid out in parts (see `parts`).
    Label::construct("jb-page-numbers".into())
        .is_ok_and(|label| !document.introspector().query(&typst::foundations::Selector::Label(label)).is_empty())
}

/// The numbers of the pages that get one: every page up to the one where
/// the body ends. The pages after it hold only the colophon (版记), and
/// GB/T 9704 gives those none; the DOCX leaves them out the same way.
pub(super) fn numbered(document: &PagedDocument) -> Vec<usize> {
    let pages = document.pages().len();
    let body_end = body_end(document).map_or(pages, |pos| pos.page.get().min(pages));
    (1..=body_end).collect()
}

/// Where the body ends: the `<jb-body-end>` mark the layout puts in the
/// last block before the colophon (none without a colophon).
pub(super) fn body_end(document: &PagedDocument) -> Option<PagedPosition> {
    let intro = document.introspector();
    let end = intro.query_label(Label::construct("jb-body-end".into()).ok()?).ok()?;
    intro.position(end.location()?)
}

/// `document` with the footers of `footers` — the page-number pass, one
/// page per number of [`numbered`], in order — on its pages.
pub(super) fn stamp(document: PagedDocument, footers: &PagedDocument) -> PagedDocument {
    let pages = document.pages().iter().enumerate().map(|(i, page)| {
        let mut page = page.clone();
        // The same page size and margins: the footer's items go where they
        // stand on their own page, after the page's content (where Typst
        // puts a footer). The content goes in as one group: adding to the
        // page's own items would copy every one of them (Typst's memo
        // shares them), every glyph of every line.
        if let Some(footer) = footers.pages().get(i) {
            let empty = Frame::new(page.frame.size(), page.frame.kind());
            let content = std::mem::replace(&mut page.frame, empty);
            page.frame.push(Point::zero(), FrameItem::Group(GroupItem::new(content)));
            for (pos, item) in footer.frame.items() {
                page.frame.push(*pos, item.clone());
            }
        }
        page
    });
    PagedDocument::new(pages.collect(), document.info().clone())
}
