//! The font roles of GB/T 9704 documents.

use serde::{Deserialize, Serialize};

/// A font role of GB/T 9704 documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 小标宋: titles and the masthead.
    Title,
    /// 宋体: page numbers.
    Song,
    /// 黑体: level-1 headings.
    Hei,
    /// 仿宋: body text.
    Fang,
    /// 楷体: level-2 headings, bylines, 编者按.
    Kai,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Title, Role::Song, Role::Hei, Role::Fang, Role::Kai];

    /// The role's name as written in configs and templates.
    pub fn name(self) -> &'static str {
        match self {
            Role::Title => "title",
            Role::Song => "song",
            Role::Hei => "hei",
            Role::Fang => "fang",
            Role::Kai => "kai",
        }
    }
}
