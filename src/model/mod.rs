//! The data contract: typed structs, YAML loading with positions,
//! validation, and the figures derived from the data.

pub mod figures;
pub mod images;
mod load;
mod locate;
mod messages;
pub mod normalize;
pub mod positions;
pub mod scalar;
pub mod schema;
pub mod source;
pub mod types;
mod validate;

pub use load::{LoadOptions, Loaded, load, parse};
pub use locate::Locator;
pub use types::*;

/// The closest of `candidates` to `word`, when it is close enough to be a
/// likely typo (`titel` → `title`, `第一支部` → `第一党支部`).
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_len = word.chars().count();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| {
            let len = word_len.max(c.chars().count());
            *d > 0 && *d * 3 <= len.max(3)
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn suggestions() {
        assert_eq!(suggest("titel", ["title", "text", "intro"]), Some("title"));
        assert_eq!(suggest("第一支部", ["第一党支部", "第二党支部"]), Some("第一党支部"));
        assert_eq!(suggest("zzzzzz", ["title", "text"]), None);
    }
}
