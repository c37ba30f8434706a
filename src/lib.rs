//! jianbao (简报): structured YAML about an organisation's work, merged
//! into templates and compiled into PDF and DOCX documents in Chinese
//! official-report style (GB/T 9704).
//!
//! The pipeline, one stage per module:
//!
//! ```text
//! model     YAML → Report (validated, errors point at the file)
//! template  Report + figures → body markup (minijinja, data escaped)
//! doc       markup → Document IR (numbering, title breaks, signature)
//! render    IR + Style → PDF (Typst) and DOCX (docx-rs)
//! output    atomic writes; batch runs many units in parallel
//! ```

pub mod batch;
pub mod doc;
pub mod error;
pub mod fonts;
pub mod i18n;
pub mod model;
pub mod output;
pub mod progress;
pub mod render;
pub mod style;
pub mod template;

pub use error::{Diagnostic, Error, ErrorKind};
