//! A small XML tree for rewriting package parts, and XML text helpers.
//!
//! docx-rs renders its parts as strings; a few of them need changes docx-rs
//! cannot make (child order, ids, attributes it never writes). Parsing a part
//! into this tree, changing it and writing it back keeps those fixes generic
//! and testable. The tree keeps qualified names as written (`w:p`): every
//! part we rewrite uses the conventional prefixes, and the fixes work on
//! those names. Comments and processing instructions are dropped (docx-rs
//! writes none); CDATA becomes text.
//!
//! The same module holds the escaping and the character filter used by every
//! writer in this backend: XML 1.0 cannot hold most C0 control characters or
//! U+FFFE/U+FFFF, so [`xml_safe`] drops them before any user text is written.

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::DocxError;

/// An element: qualified name, attributes (unescaped values) and children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// A child of an element: another element or (unescaped) character data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// An element with no attributes and no children.
    pub fn new(name: impl Into<String>) -> Element {
        Element { name: name.into(), attrs: Vec::new(), children: Vec::new() }
    }

    /// Adds an attribute (builder style).
    pub fn attr(mut self, name: &str, value: impl Into<String>) -> Element {
        self.set_attr(name, value);
        self
    }

    /// Adds a child element (builder style).
    pub fn child(mut self, child: Element) -> Element {
        self.children.push(Node::Element(child));
        self
    }

    /// Adds character data (builder style).
    pub fn text(mut self, text: impl Into<String>) -> Element {
        self.children.push(Node::Text(text.into()));
        self
    }

    /// The value of an attribute.
    pub fn get_attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Sets an attribute, replacing an existing value.
    pub fn set_attr(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.attrs.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((name.to_string(), value)),
        }
    }

    /// Removes an attribute if present.
    pub fn remove_attr(&mut self, name: &str) {
        self.attrs.retain(|(k, _)| k != name);
    }

    /// Child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Child elements, mutable, in order.
    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element with this name.
    pub fn find(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// The first child element with this name, mutable.
    pub fn find_mut(&mut self, name: &str) -> Option<&mut Element> {
        self.elements_mut().find(|e| e.name == name)
    }

    /// Calls `f` on this element and every descendant element, parents first.
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(&mut Element)) {
        f(self);
        for child in self.elements_mut() {
            child.walk_mut(f);
        }
    }
}

/// Parses a whole part into its root element.
pub(crate) fn parse(bytes: &[u8]) -> Result<Element, DocxError> {
    let text = std::str::from_utf8(bytes).map_err(|e| DocxError::xml(format!("not UTF-8: {e}")))?;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| DocxError::xml(format!("parse error at byte {}: {e}", reader.buffer_position())))?;
        match event {
            Event::Start(start) => stack.push(start_element(&start)?),
            Event::Empty(start) => {
                let el = start_element(&start)?;
                close(&mut stack, &mut root, el)?;
            }
            Event::End(_) => {
                let el = stack.pop().ok_or_else(|| DocxError::xml("unbalanced end tag"))?;
                close(&mut stack, &mut root, el)?;
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(t) => {
                let raw = t.into_inner();
                push_text(&mut stack, &raw);
            }
            Event::GeneralRef(r) => {
                let resolved: Cow<'_, str> = match r.resolve_char_ref() {
                    Ok(Some(c)) => Cow::Owned(c.to_string()),
                    _ => match r.xml10_content().as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => return Err(DocxError::xml(format!("unknown entity &{other};"))),
                    },
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(DocxError::xml("unclosed element at end of part"));
    }
    root.ok_or_else(|| DocxError::xml("part has no root element"))
}

fn start_element(start: &quick_xml::events::BytesStart<'_>) -> Result<Element, DocxError> {
    let name = start.name().as_ref().to_string();
    let mut el = Element::new(name);
    for attr in start.attributes() {
        let attr = attr.map_err(|e| DocxError::xml(format!("bad attribute: {e}")))?;
        let key = attr.key.as_ref().to_string();
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| DocxError::xml(format!("bad attribute value: {e}")))?;
        el.attrs.push((key, value.into_owned()));
    }
    Ok(el)
}

fn close(stack: &mut [Element], root: &mut Option<Element>, el: Element) -> Result<(), DocxError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(el)),
        None if root.is_none() => *root = Some(el),
        None => return Err(DocxError::xml("more than one root element")),
    }
    Ok(())
}

fn push_text(stack: &mut [Element], text: &str) {
    // Text outside the root (whitespace between declaration and root) is dropped.
    if let Some(parent) = stack.last_mut() {
        if let Some(Node::Text(prev)) = parent.children.last_mut() {
            prev.push_str(text);
        } else {
            parent.children.push(Node::Text(text.to_string()));
        }
    }
}

/// Writes a part: the standard declaration, then the tree.
pub(crate) fn write(root: &Element) -> Vec<u8> {
    let mut out = String::with_capacity(4096);
    out.push_str(DECLARATION);
    write_element(root, &mut out);
    out.into_bytes()
}

/// The XML declaration every part starts with.
pub(crate) const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

fn write_element(el: &Element, out: &mut String) {
    out.push('<');
    out.push_str(&el.name);
    for (k, v) in &el.attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        escape_attr_into(v, out);
        out.push('"');
    }
    if el.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for child in &el.children {
        match child {
            Node::Element(e) => write_element(e, out),
            Node::Text(t) => escape_text_into(t, out),
        }
    }
    out.push_str("</");
    out.push_str(&el.name);
    out.push('>');
}

/// Whether XML 1.0 can hold this character (production `Char`).
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The text without the characters XML 1.0 cannot hold (most C0 controls,
/// U+FFFE, U+FFFF). Borrowed when nothing had to go.
pub(crate) fn xml_safe(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_xml_char) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// Escapes character data. `>` is escaped too, so `]]>` cannot appear.
/// Characters XML cannot hold are dropped.
pub(crate) fn escape_text_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Escapes an attribute value (double-quoted). Whitespace controls become
/// character references so attribute normalisation cannot change them.
pub(crate) fn escape_attr_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// [`escape_attr_into`] returning a new string.
pub(crate) fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_attr_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_text_and_attributes() {
        let src =
            "<?xml version=\"1.0\"?><w:a x=\"1 &amp; &quot;2&quot;\"><w:b/>t &lt;&amp;&gt; ]]&gt;<![CDATA[<c>]]></w:a>";
        let root = parse(src.as_bytes()).unwrap();
        assert_eq!(root.get_attr("x"), Some("1 & \"2\""));
        assert_eq!(root.children.len(), 2);
        assert_eq!(root.children[1], Node::Text("t <&> ]]><c>".into()));
        let again = parse(&write(&root)).unwrap();
        assert_eq!(again, root);
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(xml_safe("a\u{1}b\u{FFFE}c\td"), "abc\td");
        let mut s = String::new();
        escape_text_into("x\u{0}]]>y", &mut s);
        assert_eq!(s, "x]]&gt;y");
    }

    #[test]
    fn rejects_broken_xml() {
        assert!(parse(b"<a><b></a>").is_err());
        assert!(parse(b"").is_err());
        assert!(parse(b"<a/><b/>").is_err());
    }
}
