//! Where each field of a YAML file is: field path → line and column.
//!
//! serde gives positions only for errors it raises itself. Checks made after
//! loading (an activity naming a branch that does not exist, a character no
//! font has, a warning about a date outside the period) need the position of
//! a value that parsed fine. This index is built from the parser's events,
//! and only when such a message is needed: the happy path never pays for it.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, Span};

/// Line and column (1-based, in characters) of a key and of its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldPos {
    /// Where the key is (`title:`), for "unknown field" and similar.
    pub key: Option<(usize, usize)>,
    /// Where the value starts.
    pub value: (usize, usize),
}

/// Field path → position, for every mapping value and sequence item.
#[derive(Debug, Default)]
pub struct PositionIndex {
    map: HashMap<String, FieldPos>,
}

enum Frame {
    Map { path: String, key: Option<(String, (usize, usize))> },
    Seq { path: String, next: usize },
}

fn at(span: &Span) -> (usize, usize) {
    (span.start.line(), span.start.col() + 1)
}

fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() { key.to_owned() } else { format!("{parent}.{key}") }
}

impl PositionIndex {
    /// Indexes `source`. A file that does not parse yields what was read
    /// before the error (the loader reports syntax errors itself).
    pub fn build(source: &str) -> PositionIndex {
        let mut map = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        // The path and position of the node the next event starts, decided
        // by the enclosing frame.
        for item in Parser::new_from_str(source) {
            let Ok((event, span)) = item else { break };
            let node_start = matches!(
                event,
                Event::Scalar(..) | Event::MappingStart(..) | Event::SequenceStart(..) | Event::Alias(_)
            );
            // A scalar in key position of a map is a key, not a node.
            if let (Event::Scalar(key, ..), Some(Frame::Map { key: slot @ None, .. })) = (&event, stack.last_mut()) {
                *slot = Some((key.to_string(), at(&span)));
                continue;
            }
            let mut this_path = None;
            if node_start {
                match stack.last_mut() {
                    Some(Frame::Map { path, key }) => {
                        if let Some((k, kpos)) = key.take() {
                            let p = child_path(path, &k);
                            map.insert(p.clone(), FieldPos { key: Some(kpos), value: at(&span) });
                            this_path = Some(p);
                        }
                    }
                    Some(Frame::Seq { path, next }) => {
                        let p = format!("{path}[{next}]");
                        *next += 1;
                        map.insert(p.clone(), FieldPos { key: None, value: at(&span) });
                        this_path = Some(p);
                    }
                    None => {
                        map.insert(String::new(), FieldPos { key: None, value: at(&span) });
                        this_path = Some(String::new());
                    }
                }
            }
            match event {
                Event::MappingStart(..) => stack.push(Frame::Map { path: this_path.unwrap_or_default(), key: None }),
                Event::SequenceStart(..) => stack.push(Frame::Seq { path: this_path.unwrap_or_default(), next: 0 }),
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                _ => {}
            }
        }
        PositionIndex { map }
    }

    /// The position of `path` (`sections[1].points[0].title`), or of its
    /// nearest ancestor that has one.
    pub fn find(&self, path: &str) -> Option<FieldPos> {
        let mut p = path.to_owned();
        loop {
            if let Some(pos) = self.map.get(&p) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p.truncate(cut);
        }
    }

    /// The position of the value at `path`, exactly (no ancestor).
    pub fn get(&self, path: &str) -> Option<FieldPos> {
        self.map.get(path).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_nested_fields() {
        let src = "organization:\n  name: 某某\nsections:\n  - title: 一\n    points:\n      - title: 甲\n        text: 乙\nproblems: [a, b]\n";
        let idx = PositionIndex::build(src);
        assert_eq!(idx.get("organization.name").unwrap().value, (2, 9));
        assert_eq!(idx.get("organization.name").unwrap().key, Some((2, 3)));
        assert_eq!(idx.get("sections[0].points[0].text").unwrap().value, (7, 15));
        assert_eq!(idx.get("problems[1]").unwrap().value, (8, 15));
        assert_eq!(idx.find("sections[0].points[0].nope").unwrap().value, (6, 9));
    }
}
