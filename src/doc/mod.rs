//! The document model (IR) and the body markup that produces it.
//!
//! Templates write markup ([`markup`] and [`parse`] describe it); the parser
//! builds a [`ir::Document`], deciding everything both backends must agree
//! on: heading numbers, title line breaks ([`title`]), signature indents
//! ([`signature`]).

pub mod figure;
pub mod ir;
pub mod markup;
pub mod parse;
pub mod script;
pub mod signature;
pub mod title;

pub use ir::{Align, Block, Document, Inlines, LayoutHints, Meta, ParaKind, Run, colophon_hang_chars, plain_text};
pub use parse::{ParseError, parse, parse_with};
