//! `word/styles.xml`: named styles built from the Style numbers.
//!
//! Every kind of paragraph the IR has gets a real named style (English ids,
//! Word's built-in names where Word has one, so the navigation pane, the
//! TOC and a secretary's "modify style" work), and the document body
//! carries almost no direct formatting. The document defaults turn widow
//! control off (the PDF has none either, and both must break pages at the
//! same lines). All styles derive from `Normal`: exact line spacing of one
//! grid line, justified,
//! first line indented two characters — written as `w:firstLineChars`
//! (what Word uses) plus a `w:firstLine` twips fallback (what LibreOffice
//! 7.4 uses). docx-rs never writes `firstLineChars` and orders style
//! children wrongly, so this part is written here, not through docx-rs.
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
    pub const FIGURE: &str = "Figure";
    pub const CAPTION: &str = "Caption";
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
    /// `w:keepLines`: the paragraph's lines stay on one page.
    keep_lines: bool,
    /// `w:overflowPunct w:val="1"` — so that LibreOffice does NOT let
    /// punctuation hang past the right margin, as the PDF layout never
    /// does (a mark that does not fit takes the previous character down).
    /// Measured with LibreOffice 7.4: its DOCX import reads this element
    /// inverted — `0` (and the element's absence) hang, `1` does not.
    /// Word reads it as the standard says (`1` allows hanging, its
    /// default anyway); see the README.
    no_hanging_punct: bool,
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
    priority: u32,
    para: Para,
    run: Run<'a>,
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
    let pad = ems(&style.table, style.table_padding_chars);
    root = root.child(default_paragraph_font()).child(table_normal(pad)).child(b.table_grid(pad));
    root
}

struct StyleBuilder<'a> {
    style: &'a Style,
    fonts: &'a DocxFonts,
}

impl StyleBuilder<'_> {
    /// Run properties of `text` with the body's tracking
    /// (`docx_char_spacing`), which — as in the PDF layout — applies to all
    /// text except the masthead name and page numbers.
    fn run<'t>(&self, text: &'t TextStyle) -> Run<'t> {
        Run { text, spacing: self.style.docx_char_spacing, color: None }
    }

    /// Run properties of `text` without tracking.
    fn untracked<'t>(&self, text: &'t TextStyle) -> Run<'t> {
        Run { text, spacing: 0, color: None }
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
            ppr = ppr.child(w("keepNext"));
        }
        if p.keep_lines {
            ppr = ppr.child(w("keepLines"));
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
        if p.no_hanging_punct {
            ppr = ppr.child(val("overflowPunct", "1"));
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
        if let Some((tw, ch)) = p.first_line {
            ppr = ppr.child(w("ind").attr("w:firstLine", tw.to_string()).attr("w:firstLineChars", ch.to_string()));
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
        let ppr = w("pPr").child(val("widowControl", "0")).child(
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
        // Zero in characters too: Word lets `firstLineChars` win over
        // `firstLine`, and Normal's 200 would otherwise be inherited.
        let no_indent = Some((0, 0));
        let centre = || Para { first_line: no_indent, jc: Some("center"), ..Para::default() };
        let table_rule = twips(super::blocks::table_rule_eighths(s) as f64 / 8.0);
        let mh = &s.masthead;
        let red = color_hex(&mh.color);
        // The grid line after the masthead's editor line carries the red
        // rule, its centre `rule_gap_mm` below the editor line's baseline as
        // in the PDF. LibreOffice puts the editor line's baseline where
        // `render::vertical` says (22.2 pt into its grid line for 16 pt
        // Fandol; the office's own 仿宋 is not known here, the bundled
        // font's metrics stand in) and draws a paragraph's top border with
        // its centre half its width below the space before (measured: the
        // rule stood 12.45 pt below the baseline when the space before
        // ignored both). Space before, the border and an exact line add up
        // to one grid line, so the following text stays on the grid.
        let rule = border_eighths(mh.rule_pt);
        let rule_tw = twips(rule as f64 / 8.0);
        let baseline =
            crate::render::vertical::Metrics::default().baseline_in_line(s, mh.editor.role, mh.editor.size_pt);
        let below_baseline = (s.grid.line_pitch_pt - baseline).max(0.0);
        let gap = (twips_mm(mh.rule_gap_mm) - twips(below_baseline) - rule_tw / 2).clamp(0, pitch / 2);
        let co = &s.colophon;

        let mut defs = vec![StyleDef {
            id: id::NORMAL,
            name: "Normal",
            alias: None,
            based_on: None,
            next: None,
            quick: true,
            priority: 0,
            // Body indent: two character pitches of the grid, and 200
            // hundredths of a character for Word.
            para: Para {
                line: Some(pitch),
                first_line: Some((pitches(s, s.indent_chars), hundredths(s.indent_chars))),
                jc: Some("both"),
                no_hanging_punct: true,
                ..Para::default()
            },
            run: self.run(&s.body),
        }];
        for (level, h) in s.headings.iter().enumerate() {
            defs.push(StyleDef {
                name: ["heading 1", "heading 2", "heading 3", "heading 4"][level],
                alias: None,
                priority: 9,
                para: Para { keep_next: true, outline: Some(level as u8), ..Para::default() },
                ..self.def(id::HEADINGS[level], "", "", &h.text)
            });
        }
        defs.extend([
            StyleDef { priority: 10, para: centre(), ..self.def(id::TITLE, "Title", "标题", &s.title) },
            StyleDef { priority: 11, para: centre(), ..self.def(id::SUBTITLE, "Subtitle", "副标题", &s.subtitle) },
            StyleDef { para: centre(), ..self.def(id::BYLINE, "Byline", "作者", &s.byline) },
            self.def(id::NOTE, "Editor's Note", "编者按", &s.note),
            // Flush left, indented like the body — two character pitches of
            // the grid, as the PDF does — in twips only: Word would measure
            // `firstLineChars` in characters of the smaller size.
            StyleDef {
                next: Some(id::CONTACT),
                para: Para { first_line: Some((pitches(s, s.indent_chars), 0)), jc: Some("left"), ..Para::default() },
                ..self.def(id::CONTACT, "Contact", "作者信息", &s.contact)
            },
            StyleDef {
                para: Para { first_line: no_indent, jc: Some("right"), ..Para::default() },
                ..self.def(id::SIGNATURE, "Signature", "落款", &s.body)
            },
            // A picture alone in its paragraph, centred; the paragraph's
            // exact height (whole grid lines) is set on it, see `pictures`.
            StyleDef { next: Some(id::CAPTION), para: centre(), ..self.def(id::FIGURE, "Figure", "图片", &s.body) },
            // 图注: centred under the picture, its lines kept together.
            StyleDef {
                name: "caption",
                priority: 35,
                para: Para { keep_lines: true, ..centre() },
                ..self.def(id::CAPTION, "", "图注", &s.caption)
            },
            // One grid line minus a row border, not rounded up to the grid
            // by LibreOffice: see `blocks::table`.
            StyleDef {
                next: Some(id::TABLE_TEXT),
                para: Para {
                    no_snap: true,
                    line: Some((pitch - table_rule).max(1)),
                    first_line: no_indent,
                    jc: Some("left"),
                    ..Para::default()
                },
                run: self.run(&s.table),
                ..self.def(id::TABLE_TEXT, "Table Text", "表格文字", &s.table)
            },
            StyleDef {
                based_on: Some(id::TABLE_TEXT),
                next: Some(id::TABLE_TEXT),
                // The header row also makes room for the table's top rule.
                para: Para { jc: Some("center"), line: Some((pitch - 2 * table_rule).max(1)), ..Para::default() },
                run: self.run(&s.table),
                ..self.def(id::TABLE_HEADING, "Table Heading", "表头", &s.table)
            },
            // The page-number line: one font size high, off the grid.
            StyleDef {
                alias: None,
                next: Some(id::FOOTER),
                quick: false,
                priority: 99,
                para: Para { line: Some(m.footer_line), first_line: no_indent, no_snap: true, ..Para::default() },
                run: self.untracked(&s.page_number.text),
                ..self.def(id::FOOTER, "footer", "", &s.page_number.text)
            },
            // The masthead name spans `name_lines` grid lines.
            StyleDef {
                priority: 13,
                para: Para { line: Some(pitch.saturating_mul(mh.name_lines.clamp(1, 20) as i32)), ..centre() },
                run: Run { color: Some(red.clone()), ..self.untracked(&mh.name) },
                ..self.def(id::MASTHEAD_NAME, "Masthead Name", "报头", &mh.name)
            },
            StyleDef {
                priority: 13,
                para: centre(),
                ..self.def(id::MASTHEAD_ISSUE, "Masthead Issue", "期号", &mh.issue)
            },
            // Editor flush left, the date on a right tab at the block's edge.
            StyleDef {
                priority: 13,
                para: Para {
                    first_line: no_indent,
                    jc: Some("left"),
                    right_tab: Some(m.text_width),
                    ..Para::default()
                },
                ..self.def(id::MASTHEAD_EDITOR, "Masthead Editor", "编印单位", &mh.editor)
            },
            StyleDef {
                quick: false,
                priority: 13,
                para: Para {
                    no_snap: true,
                    before: Some(gap),
                    line: Some((pitch - gap - rule_tw).max(1)),
                    top_border: Some((red, rule)),
                    first_line: no_indent,
                    ..Para::default()
                },
                ..self.def(id::MASTHEAD_RULE, "Masthead Rule", "红色分隔线", &s.body)
            },
            // Kept together: a 版记 never splits across pages.
            StyleDef {
                next: Some(id::COLOPHON),
                priority: 13,
                para: Para { keep_next: true, first_line: no_indent, jc: Some("left"), ..Para::default() },
                ..self.def(id::COLOPHON, "Colophon", "版记", &co.text)
            },
            StyleDef {
                based_on: Some(id::COLOPHON),
                next: Some(id::COLOPHON),
                quick: false,
                priority: 13,
                para: Para { jc: Some("right"), ..Para::default() },
                ..self.def(id::COLOPHON_COPIES, "Colophon Copies", "印数", &co.text)
            },
            // Ends a section before a colophon on its own page when the body
            // ends in a table: as low as Word allows.
            StyleDef {
                alias: None,
                quick: false,
                priority: 99,
                para: Para { no_snap: true, line: Some(20), first_line: no_indent, ..Para::default() },
                run: Run { text: &SECTION_BREAK_TEXT, spacing: 0, color: None },
                ..self.def(id::SECTION_BREAK, "Section Break", "", &s.body)
            },
        ]);
        defs
    }

    /// A quick-gallery paragraph style based on and followed by `Normal`,
    /// with the run properties of `text`.
    fn def<'t>(&self, id: &'t str, name: &'t str, alias: &'t str, text: &'t TextStyle) -> StyleDef<'t> {
        StyleDef {
            id,
            name,
            alias: Some(alias).filter(|a| !a.is_empty()),
            based_on: Some(id::NORMAL),
            next: Some(id::NORMAL),
            quick: true,
            priority: 12,
            para: Para::default(),
            run: self.run(text),
        }
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
        st = st.child(val("uiPriority", def.priority.to_string()));
        if def.quick {
            st = st.child(w("qFormat"));
        }
        st.child(self.ppr(&def.para)).child(self.rpr(&def.run))
    }

    /// The table style of data tables: thin single borders, no vertical
    /// cell padding (rows sit on the grid), half a character sideways.
    fn table_grid(&self, pad: i32) -> Element {
        let border =
            |side: &str| w(side).attr("w:val", "single").attr("w:sz", "4").attr("w:space", "0").attr("w:color", "auto");
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
static SECTION_BREAK_TEXT: TextStyle = TextStyle { role: crate::fonts::Role::Fang, size_pt: 1.0, bold: false };

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
    if c.len() == 6 && c.bytes().all(|b| b.is_ascii_hexdigit()) { c.to_ascii_uppercase() } else { "000000".to_string() }
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
