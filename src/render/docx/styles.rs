//! `word/styles.xml`: named styles built from the Style numbers.
//!
//! Every kind of paragraph the IR has gets a real named style (English ids,
//! Word's built-in names where Word has one, so the navigation pane, the
//! TOC and a secretary's "modify style" work), and the document body
//! carries almost no direct formatting. All styles derive from `Normal`:
//! exact line spacing of one grid line, justified, widow control off (the
//! PDF has none either, and both must break pages at the same lines),
//! first line indented two characters — written as `w:firstLineChars`
//! (what Word uses) plus a `w:firstLine` twips fallback (what LibreOffice
//! 7.4 uses; docx-rs can write neither the former nor half of this, so this
//! part is written here rather than through docx-rs).
//!
//! Run properties name the role's family in `w:ascii`, `w:hAnsi` and
//! `w:eastAsia` with `w:hint="eastAsia"`; every style states bold and the
//! character spacing explicitly, so LibreOffice's own defaults for its
//! built-in heading styles (bold, larger) cannot leak in.

use crate::style::{Style, TextStyle};

use super::fonts::DocxFonts;
use super::metrics::{Metrics, border_eighths, ems, half_points, hundredths, pitches, twips, twips_mm};
use super::parts::{R_NS, W_NS};
use super::xml::Element;

/// Style ids used by the body writer.
pub(crate) mod id {
    pub const NORMAL: &str = "Normal";
    pub const HEADINGS: [&str; 4] = ["Heading1", "Heading2", "Heading3", "Heading4"];
    pub const TITLE: &str = "Title";
    pub const SUBTITLE: &str = "Subtitle";
    pub const BYLINE: &str = "Byline";
    pub const NOTE: &str = "EditorNote";
    pub const CONTACT: &str = "Contact";
    pub const SIGNATURE: &str = "Signature";
    pub const TABLE_TEXT: &str = "TableText";
    pub const TABLE_HEADING: &str = "TableHeading";
    pub const TABLE_GRID: &str = "TableGrid";
    pub const FOOTER: &str = "Footer";
    pub const MASTHEAD_NAME: &str = "MastheadName";
    pub const MASTHEAD_ISSUE: &str = "MastheadIssue";
    pub const MASTHEAD_EDITOR: &str = "MastheadEditor";
    pub const MASTHEAD_RULE: &str = "MastheadRule";
    pub const COLOPHON: &str = "Colophon";
    pub const COLOPHON_COPIES: &str = "ColophonCopies";
    pub const SECTION_BREAK: &str = "SectionBreak";
}

fn w(name: &str) -> Element {
    Element::new(format!("w:{name}"))
}

fn val(name: &str, v: impl Into<String>) -> Element {
    w(name).attr("w:val", v)
}

/// A toggle property stated explicitly: `<w:b/>` or `<w:b w:val="0"/>`.
fn toggle(name: &str, on: bool) -> Element {
    if on { w(name) } else { val(name, "0") }
}

/// The run properties of a kind of text.
struct Run<'a> {
    text: &'a TextStyle,
    /// `w:spacing` in twips (tracking).
    spacing: i32,
    color: Option<String>,
}

/// The paragraph properties a style sets (everything optional: unset
/// values are inherited from `Normal`).
#[derive(Default)]
struct Para {
    keep_next: bool,
    /// `w:snapToGrid w:val="0"`: the paragraph's height is not rounded to
    /// grid lines (LibreOffice rounds every line up otherwise).
    no_snap: bool,
    /// Top border: (colour, eighths of a point).
    top_border: Option<(String, usize)>,
    /// Right tab stop position.
    right_tab: Option<i32>,
    /// Exact line height and space before, twips.
    line: Option<i32>,
    before: Option<i32>,
    /// (first line twips, first line hundredths of a character).
    first_line: Option<(i32, i32)>,
    /// (left twips, left chars) / (right twips, right chars).
    left: Option<(i32, i32)>,
    right: Option<(i32, i32)>,
    jc: Option<&'static str>,
    outline: Option<u8>,
}

struct StyleDef<'a> {
    id: &'a str,
    /// The name Word shows (Word's built-in name where it has one).
    name: &'a str,
    /// A Chinese alias shown next to the name.
    alias: Option<&'a str>,
    based_on: Option<&'a str>,
    next: Option<&'a str>,
    quick: bool,
    priority: Option<u32>,
    para: Para,
    run: Option<Run<'a>>,
}

/// Builds `word/styles.xml`.
pub(crate) fn styles(style: &Style, fonts: &DocxFonts, east_asian_lang: &str) -> Element {
    let m = Metrics::new(style);
    let b = StyleBuilder { style, fonts };
    let mut root = w("styles").attr("xmlns:w", W_NS).attr("xmlns:r", R_NS);
    root = root.child(b.doc_defaults(&m, east_asian_lang));
    for def in b.definitions(&m) {
        root = root.child(b.paragraph_style(&def));
    }
    let pad = ems(&style.table, 0.5);
    root = root.child(default_paragraph_font()).child(table_normal(pad)).child(b.table_grid(pad));
    root
}

struct StyleBuilder<'a> {
    style: &'a Style,
    fonts: &'a DocxFonts,
}

impl StyleBuilder<'_> {
    /// Tracking: the body's character spacing for text of the body size
    /// (the grid's 28 characters per line are defined for it), none for
    /// other sizes.
    fn spacing_for(&self, text: &TextStyle) -> i32 {
        if (text.size_pt - self.style.body.size_pt).abs() < 0.01 { self.style.docx_char_spacing } else { 0 }
    }

    fn run<'t>(&self, text: &'t TextStyle) -> Run<'t> {
        Run { text, spacing: self.spacing_for(text), color: None }
    }

    /// `w:rPr` for a kind of text.
    fn rpr(&self, run: &Run<'_>) -> Element {
        let spec = self.fonts.get(run.text.role);
        let bold = run.text.bold || spec.bold;
        let sz = half_points(run.text.size_pt).to_string();
        let mut rpr = w("rPr")
            .child(
                w("rFonts")
                    .attr("w:ascii", spec.name.as_str())
                    .attr("w:hAnsi", spec.name.as_str())
                    .attr("w:eastAsia", spec.name.as_str())
                    .attr("w:hint", "eastAsia"),
            )
            .child(toggle("b", bold))
            .child(toggle("bCs", bold))
            .child(toggle("i", false))
            .child(toggle("iCs", false));
        if let Some(color) = &run.color {
            rpr = rpr.child(val("color", color.as_str()));
        }
        rpr.child(val("spacing", run.spacing.to_string())).child(val("sz", sz.clone())).child(val("szCs", sz))
    }

    fn ppr(&self, p: &Para) -> Element {
        let mut ppr = w("pPr");
        if p.keep_next {
            ppr = ppr.child(w("keepNext")).child(w("keepLines"));
        }
        if let Some((color, size)) = &p.top_border {
            ppr = ppr.child(
                w("pBdr").child(
                    w("top")
                        .attr("w:val", "single")
                        .attr("w:sz", size.to_string())
                        .attr("w:space", "0")
                        .attr("w:color", color.as_str()),
                ),
            );
        }
        if let Some(pos) = p.right_tab {
            ppr = ppr.child(w("tabs").child(w("tab").attr("w:val", "right").attr("w:pos", pos.to_string())));
        }
        if p.no_snap {
            ppr = ppr.child(val("snapToGrid", "0"));
        }
        if p.line.is_some() || p.before.is_some() {
            let mut sp = w("spacing");
            if let Some(before) = p.before {
                sp = sp.attr("w:before", before.to_string());
            }
            if let Some(line) = p.line {
                sp = sp.attr("w:line", line.to_string()).attr("w:lineRule", "exact");
            }
            ppr = ppr.child(sp);
        }
        if p.first_line.is_some() || p.left.is_some() || p.right.is_some() {
            let mut ind = w("ind");
            if let Some((tw, ch)) = p.left {
                ind = ind.attr("w:left", tw.to_string()).attr("w:leftChars", ch.to_string());
            }
            if let Some((tw, ch)) = p.right {
                ind = ind.attr("w:right", tw.to_string()).attr("w:rightChars", ch.to_string());
            }
            if let Some((tw, ch)) = p.first_line {
                ind = ind.attr("w:firstLine", tw.to_string()).attr("w:firstLineChars", ch.to_string());
            }
            ppr = ppr.child(ind);
        }
        if let Some(jc) = p.jc {
            ppr = ppr.child(val("jc", jc));
        }
        if let Some(level) = p.outline {
            ppr = ppr.child(val("outlineLvl", level.to_string()));
        }
        ppr
    }

    fn doc_defaults(&self, m: &Metrics, lang: &str) -> Element {
        let body = &self.style.body;
        let rpr = self
            .rpr(&self.run(body))
            .child(w("lang").attr("w:val", "en-US").attr("w:eastAsia", lang).attr("w:bidi", "ar-SA"));
        let ppr = w("pPr")
            .child(val("widowControl", "0"))
            .child(
                w("spacing")
                    .attr("w:before", "0")
                    .attr("w:after", "0")
                    .attr("w:line", m.line_pitch.to_string())
                    .attr("w:lineRule", "exact"),
            );
        w("docDefaults").child(w("rPrDefault").child(rpr)).child(w("pPrDefault").child(ppr))
    }

    /// The paragraph styles, `Normal` first.
    fn definitions(&self, m: &Metrics) -> Vec<StyleDef<'_>> {
        let s = self.style;
        let pitch = m.line_pitch;
        // Body indent: two character pitches of the grid, and 200 hundredths.
        let body_indent = (pitches(s, s.indent_chars), hundredths(s.indent_chars));
        let no_indent = Some((0, 0));
        let zero = Some((0, 0));
        let mut defs = vec![StyleDef {
            id: id::NORMAL,
            name: "Normal",
            alias: None,
            based_on: None,
            next: None,
            quick: true,
            priority: Some(0),
            para: Para {
                line: Some(pitch),
                first_line: Some(body_indent),
                left: zero,
                right: zero,
                jc: Some("both"),
                ..Para::default()
            },
            run: Some(self.run(&s.body)),
        }];
        for (level, h) in s.headings.iter().enumerate() {
            defs.push(StyleDef {
                id: id::HEADINGS[level],
                name: ["heading 1", "heading 2", "heading 3", "heading 4"][level],
                alias: None,
                based_on: Some(id::NORMAL),
                next: Some(id::NORMAL),
                quick: true,
                priority: Some(9),
                para: Para { keep_next: true, outline: Some(level as u8), ..Para::default() },
                run: Some(self.run(&h.text)),
            });
        }
        let centre = || Para { first_line: no_indent, jc: Some("center"), ..Para::default() };
        defs.push(StyleDef {
            id: id::TITLE,
            name: "Title",
            alias: Some("标题"),
            based_on: Some(id::NORMAL),
            next: Some(id::NORMAL),
            quick: true,
            priority: Some(10),
            para: Para { keep_next: true, ..centre() },
            run: Some(self.run(&s.title)),
        });
        defs.push(StyleDef {
            id: id::SUBTITLE,
            name: "Subtitle",
            alias: Some("副标题"),
            based_on: Some(id::NORMAL),
            next: Some(id::NORMAL),
            quick: true,
            priority: Some(11),
            para: Para { keep_next: true, ..centre() },
            run: Some(self.run(&s.subtitle)),
        });
        defs.push(StyleDef {
            id: id::BYLINE,
            name: "Byline",
            alias: Some("作者"),
            based_on: Some(id::NORMAL),
            next: Some(id::NORMAL),
            quick: true,
            priority: Some(12),
            para: centre(),
            run: Some(self.run(&s.byline)),
        });
        defs.push(StyleDef {
            id: id::NOTE,
            name: "Editor's Note",
            alias: Some("编者按"),
            based_on: Some(id::NORMAL),
            next: Some(id::NORMAL),
            quick: true,
            priority: Some(12),
            para: Para::default(),
            run: Some(self.run(&s.note)),
        });
        defs.push(StyleDef {
            id: id::CONTACT,
            name: "Contact",
            alias: Some("作者信息"),
            based_on: Some(id::NORMAL),
            next: Some(id::CONTACT),
            quick: true,
            priority: Some(12),
            // Two characters of the contact size, flush left.
            para: Para {
                first_line: Some((ems(&s.contact, s.indent_chars), hundredths(s.indent_chars))),
                jc: Some("left"),
                ..Para::default()
            },
            run: Some(self.run(&s.contact)),
        });
        defs.push(StyleDef {
            id: id::SIGNATURE,
            name: "Signature",
            alias: Some("落款"),
            based_on: Some(id::NORMAL),
            next: Some(id::NORMAL),
            quick: true,
            priority: Some(12),
            para: Para { first_line: no_indent, jc: Some("right"), ..Para::default() },
            run: Some(self.run(&s.body)),
        });
        defs.push(StyleDef {
            id: id::TABLE_TEXT,
            name: "Table Text",
            alias: Some("表格文字"),
            based_on: Some(id::NORMAL),
            next: Some(id::TABLE_TEXT),
            quick: true,
            priority: Some(12),
            para: Para { first_line: no_indent, jc: Some("left"), ..Para::default() },
            run: Some(self.run(&s.table)),
        });
        defs.push(StyleDef {
            id: id::TABLE_HEADING,
            name: "Table Heading",
            alias: Some("表头"),
            based_on: Some(id::TABLE_TEXT),
            next: Some(id::TABLE_TEXT),
            quick: true,
            priority: Some(12),
            para: Para { jc: Some("center"), ..Para::default() },
            run: Some(self.run(&s.table)),
        });
        defs.push(StyleDef {
            id: id::FOOTER,
            name: "footer",
            alias: None,
            based_on: Some(id::NORMAL),
            next: Some(id::FOOTER),
            quick: false,
            priority: Some(99),
            para: Para { line: Some(m.footer_line), first_line: no_indent, no_snap: true, ..Para::default() },
            run: Some(self.run(&s.page_number.text)),
        });
        let mh = &s.masthead;
        let red = color_hex(&mh.color);
        defs.push(StyleDef {
            id: id::MASTHEAD_NAME,
            name: "Masthead Name",
            alias: Some("报头"),
            based_on: Some(id::NORMAL),
            next: Some(id::NORMAL),
            quick: true,
            priority: Some(13),
            // The name spans `name_lines` grid lines.
            para: Para {
                line: Some(pitch.saturating_mul(mh.name_lines.clamp(1, 20) as i32)),
                keep_next: true,
                ..centre()
            },
            run: Some(Run { color: Some(red.clone()), ..self.run(&mh.name) }),
        });
        defs.push(StyleDef {
            id: id::MASTHEAD_ISSUE,
            name: "Masthead Issue",
            alias: Some("期号"),
            based_on: Some(id::NORMAL),
            next: Some(id::NORMAL),
            quick: true,
            priority: Some(13),
            para: Para { keep_next: true, ..centre() },
            run: Some(self.run(&mh.issue)),
        });
        defs.push(StyleDef {
            id: id::MASTHEAD_EDITOR,
            name: "Masthead Editor",
            alias: Some("编印单位"),
            based_on: Some(id::NORMAL),
            next: Some(id::NORMAL),
            quick: true,
            priority: Some(13),
            // Editor flush left, date on a right tab at the block's edge.
            para: Para {
                keep_next: true,
                first_line: no_indent,
                jc: Some("left"),
                right_tab: Some(m.text_width),
                ..Para::default()
            },
            run: Some(self.run(&mh.editor)),
        });
        // The grid line after the editor line carries the red rule: a top
        // border `rule_gap_mm` below the editor line; space before, the
        // border and an exact line add up to one grid line, so the
        // following text stays on the grid.
        let gap = twips_mm(mh.rule_gap_mm).clamp(0, pitch / 2);
        let rule = border_eighths(mh.rule_pt);
        let rule_tw = twips(rule as f64 / 8.0);
        defs.push(StyleDef {
            id: id::MASTHEAD_RULE,
            name: "Masthead Rule",
            alias: Some("红色分隔线"),
            based_on: Some(id::NORMAL),
            next: Some(id::NORMAL),
            quick: false,
            priority: Some(13),
            para: Para {
                no_snap: true,
                before: Some(gap),
                line: Some((pitch - gap - rule_tw).max(1)),
                top_border: Some((red, rule)),
                first_line: no_indent,
                ..Para::default()
            },
            run: Some(self.run(&s.body)),
        });
        let co = &s.colophon;
        defs.push(StyleDef {
            id: id::COLOPHON,
            name: "Colophon",
            alias: Some("版记"),
            based_on: Some(id::NORMAL),
            next: Some(id::COLOPHON),
            quick: true,
            priority: Some(13),
            para: Para { first_line: no_indent, jc: Some("left"), ..Para::default() },
            run: Some(self.run(&co.text)),
        });
        defs.push(StyleDef {
            id: id::COLOPHON_COPIES,
            name: "Colophon Copies",
            alias: Some("印数"),
            based_on: Some(id::COLOPHON),
            next: Some(id::COLOPHON),
            quick: false,
            priority: Some(13),
            para: Para { jc: Some("right"), ..Para::default() },
            run: Some(self.run(&co.text)),
        });
        // The paragraph that ends a section before a colophon on its own
        // page when the body ends in a table: as low as Word allows.
        defs.push(StyleDef {
            id: id::SECTION_BREAK,
            name: "Section Break",
            alias: None,
            based_on: Some(id::NORMAL),
            next: Some(id::NORMAL),
            quick: false,
            priority: Some(99),
            para: Para { no_snap: true, line: Some(20), first_line: no_indent, ..Para::default() },
            run: Some(Run { text: &SECTION_BREAK_TEXT, spacing: 0, color: None }),
        });
        defs
    }

    fn paragraph_style(&self, def: &StyleDef<'_>) -> Element {
        let mut st = w("style").attr("w:type", "paragraph").attr("w:styleId", def.id);
        if def.id == id::NORMAL {
            st = st.attr("w:default", "1");
        }
        st = st.child(val("name", def.name));
        if let Some(alias) = def.alias {
            st = st.child(val("aliases", alias));
        }
        if let Some(base) = def.based_on {
            st = st.child(val("basedOn", base));
        }
        if let Some(next) = def.next {
            st = st.child(val("next", next));
        }
        if let Some(p) = def.priority {
            st = st.child(val("uiPriority", p.to_string()));
        }
        if def.quick {
            st = st.child(w("qFormat"));
        }
        st = st.child(self.ppr(&def.para));
        if let Some(run) = &def.run {
            st = st.child(self.rpr(run));
        }
        st
    }

    /// The table style of data tables: thin single borders, no vertical
    /// cell padding (rows sit on the grid), half a character sideways.
    fn table_grid(&self, pad: i32) -> Element {
        let border = |side: &str| {
            w(side).attr("w:val", "single").attr("w:sz", "4").attr("w:space", "0").attr("w:color", "auto")
        };
        let pad = pad.to_string();
        w("style")
            .attr("w:type", "table")
            .attr("w:styleId", id::TABLE_GRID)
            .child(val("name", "Table Grid"))
            .child(val("basedOn", "TableNormal"))
            .child(val("uiPriority", "39"))
            .child(
                w("tblPr")
                    .child(
                        w("tblBorders")
                            .child(border("top"))
                            .child(border("left"))
                            .child(border("bottom"))
                            .child(border("right"))
                            .child(border("insideH"))
                            .child(border("insideV")),
                    )
                    .child(
                        w("tblCellMar")
                            .child(w("top").attr("w:w", "0").attr("w:type", "dxa"))
                            .child(w("left").attr("w:w", pad.clone()).attr("w:type", "dxa"))
                            .child(w("bottom").attr("w:w", "0").attr("w:type", "dxa"))
                            .child(w("right").attr("w:w", pad).attr("w:type", "dxa")),
                    ),
            )
    }
}

/// A 1 pt text style for the section-break paragraph.
static SECTION_BREAK_TEXT: TextStyle =
    TextStyle { role: crate::fonts::Role::Fang, size_pt: 1.0, bold: false };

fn default_paragraph_font() -> Element {
    w("style")
        .attr("w:type", "character")
        .attr("w:default", "1")
        .attr("w:styleId", "DefaultParagraphFont")
        .child(val("name", "Default Paragraph Font"))
        .child(val("uiPriority", "1"))
        .child(w("semiHidden"))
        .child(w("unhideWhenUsed"))
}

/// Word's default table style; cell padding half a character of table text.
fn table_normal(pad: i32) -> Element {
    let pad = pad.to_string();
    w("style")
        .attr("w:type", "table")
        .attr("w:default", "1")
        .attr("w:styleId", "TableNormal")
        .child(val("name", "Normal Table"))
        .child(val("uiPriority", "99"))
        .child(w("semiHidden"))
        .child(w("unhideWhenUsed"))
        .child(
            w("tblPr").child(w("tblInd").attr("w:w", "0").attr("w:type", "dxa")).child(
                w("tblCellMar")
                    .child(w("top").attr("w:w", "0").attr("w:type", "dxa"))
                    .child(w("left").attr("w:w", pad.clone()).attr("w:type", "dxa"))
                    .child(w("bottom").attr("w:w", "0").attr("w:type", "dxa"))
                    .child(w("right").attr("w:w", pad).attr("w:type", "dxa")),
            ),
        )
}

/// `#E60012` → `E60012`; anything that is not six hex digits → black.
pub(crate) fn color_hex(color: &str) -> String {
    let c = color.trim().trim_start_matches('#');
    if c.len() == 6 && c.bytes().all(|b| b.is_ascii_hexdigit()) {
        c.to_ascii_uppercase()
    } else {
        "000000".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        assert_eq!(color_hex("#e60012"), "E60012");
        assert_eq!(color_hex("red"), "000000");
    }
}
