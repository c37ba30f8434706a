//! Fonts are roles: templates ask for `song`, `hei`, `fang`, `kai` or
//! `title`, never for a file.

mod role;

pub use role::Role;
