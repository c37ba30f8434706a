//! Body markup → [`Document`].
//!
//! Grammar (one construct per line, leading white space ignored):
//!
//! | line | meaning |
//! |---|---|
//! | `# text` … `#### text` | heading, levels 1–4, numbered by the style |
//! | `::: name` … `:::` | a block: `title`, `subtitle`, `byline`, `note`, `contact`, `signature`, `masthead`, `colophon`, `table`, `image` |
//! | `key: value` | a field inside `signature` (`name`, `date`), `masthead` (`name`, `issue`, `editor`, `date`), `colophon` (`line`, repeatable; `copies`) and `image` (`src`, `width`, `caption`) |
//! | `\| a \| b \|` | a table row inside `table`; the first row is the header; a `\|:--\|:-:\|--:\|` line sets the columns' alignment (left, centre, right; left by default) |
//! | blank | ends a paragraph |
//! | other | paragraph text; the lines of a paragraph are joined |
//!
//! Inline: `**bold**`; `\` before ASCII punctuation makes it literal; `\p`
//! is a paragraph break that came from data.
//!
//! The parser also applies the standard's spacing rules so templates need
//! not: one blank grid line after the title group (title, subtitle, byline)
//! and one before the signature.
//!
//! Pictures: `::: image` with `src:` the picture's path as the data writes
//! it (`{{ img.path }}`, escaped like all data), optional `width:` (a
//! fraction of the text width) and `caption:`. The parser never opens a
//! file: `src` is looked up among the pictures the loader already read
//! and confined ([`crate::model::images`]); a template naming anything
//! else gets an error.

use super::ir::{Align, Block, Document, Inlines, Meta, ParaKind, Run};
use super::markup::join_lines;
use super::{figure, signature, title};
use crate::model::images::Images;
use crate::style::Style;
use crate::template::cn;
use crate::tr;

/// A problem in the markup a template produced, at a 1-based markup line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub text: String,
    pub message: String,
}

/// Inline content split at data paragraph breaks (`\p`).
fn parse_inlines(raw: &str) -> Vec<Inlines> {
    // Tokenise first: text pieces, bold toggles and breaks.
    enum Tok {
        Text(String),
        Star2,
        Break,
    }
    let mut toks = Vec::new();
    let mut text = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('p') => {
                    toks.push(Tok::Text(std::mem::take(&mut text)));
                    toks.push(Tok::Break);
                }
                Some(n) if n.is_ascii_punctuation() => text.push(n),
                Some(n) => {
                    text.push('\\');
                    text.push(n);
                }
                None => text.push('\\'),
            },
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                toks.push(Tok::Text(std::mem::take(&mut text)));
                toks.push(Tok::Star2);
            }
            _ => text.push(c),
        }
    }
    toks.push(Tok::Text(text));
    // An unmatched last `**` is literal: escape it and start over (rare).
    if toks.iter().filter(|t| matches!(t, Tok::Star2)).count() % 2 == 1 {
        return parse_inlines(&escape_last_star(raw));
    }
    let mut paras: Vec<Inlines> = vec![Vec::new()];
    let mut bold = false;
    for tok in toks {
        match tok {
            Tok::Text(t) => push_run(paras.last_mut().expect("starts non-empty"), &t, bold),
            Tok::Break => paras.push(Vec::new()),
            Tok::Star2 => bold = !bold,
        }
    }
    paras.into_iter().filter(|p| !p.is_empty()).collect()
}

/// `raw` with its last unescaped `**` escaped.
fn escape_last_star(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut last = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'*') {
            last = Some(i);
            i += 2;
            continue;
        }
        i += 1;
    }
    match last {
        Some(i) => format!("{}\\*\\*{}", &raw[..i], &raw[i + 2..]),
        None => raw.to_owned(),
    }
}

fn push_run(runs: &mut Inlines, text: &str, bold: bool) {
    if text.is_empty() {
        return;
    }
    match runs.last_mut() {
        Some(last) if last.bold == bold => last.text.push_str(text),
        _ => runs.push(Run { text: text.to_owned(), bold }),
    }
}

/// Inline content as one line: data paragraph breaks join.
fn parse_line(raw: &str) -> Inlines {
    let mut out = Vec::new();
    for para in parse_inlines(raw) {
        for run in para {
            push_run(&mut out, &run.text, run.bold);
        }
    }
    out
}

fn plain(raw: &str) -> String {
    parse_line(raw).into_iter().map(|r| r.text).collect()
}

/// The kinds of fenced block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fence {
    Title,
    Subtitle,
    Byline,
    Note,
    Contact,
    Signature,
    Masthead,
    Colophon,
    Table,
    Image,
}

impl Fence {
    fn from_name(name: &str) -> Option<Fence> {
        Some(match name {
            "title" => Fence::Title,
            "subtitle" => Fence::Subtitle,
            "byline" => Fence::Byline,
            "note" => Fence::Note,
            "contact" => Fence::Contact,
            "signature" => Fence::Signature,
            "masthead" => Fence::Masthead,
            "colophon" => Fence::Colophon,
            "table" => Fence::Table,
            "image" => Fence::Image,
            _ => return None,
        })
    }
    const NAMES: &'static str = "title, subtitle, byline, note, contact, signature, masthead, colophon, table, image";
}

/// A `key: value` field line: the key is lower-case ASCII and the colon is
/// unescaped (data colons are always escaped, so data cannot forge a key).
fn field(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        Some((key, value.trim()))
    } else {
        None
    }
}

/// Splits a table row `| a | b |` at unescaped bars.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().strip_prefix('|').unwrap_or(line);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push('\\');
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '|' => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out.into_iter().map(|c| c.trim().to_owned()).collect()
}

struct Builder<'a> {
    style: &'a Style,
    images: &'a Images,
    blocks: Vec<Block>,
    counters: [u64; 4],
    paragraph: String,
}

impl Builder<'_> {
    fn flush_paragraph(&mut self, kind: ParaKind) {
        if self.paragraph.trim().is_empty() {
            self.paragraph.clear();
            return;
        }
        for text in parse_inlines(&self.paragraph) {
            self.push(Block::Paragraph { kind, text });
        }
        self.paragraph.clear();
    }

    /// Appends a block, inserting the blank grid lines the standard asks
    /// for: after the title group and before the signature.
    fn push(&mut self, block: Block) {
        let is_head = |b: &Block| matches!(b, Block::Title { .. } | Block::Subtitle { .. } | Block::Byline { .. });
        if let Some(last) = self.blocks.last()
            && is_head(last)
            && !is_head(&block)
        {
            self.blocks.push(Block::Blank);
        }
        if matches!(block, Block::Signature { .. }) && !matches!(self.blocks.last(), Some(Block::Blank) | None) {
            self.blocks.push(Block::Blank);
        }
        self.blocks.push(block);
    }

    fn heading(&mut self, level: usize, raw: &str) {
        self.counters[level - 1] += 1;
        for c in &mut self.counters[level..] {
            *c = 0;
        }
        let number = cn::ordinal(self.counters[level - 1], self.style.headings[level - 1].numbering);
        self.push(Block::Heading { level: level as u8, number, text: parse_line(raw) });
    }
}

/// Parses body markup into a document with the given metadata (no
/// pictures: an `image` block is an error).
pub fn parse(markup: &str, style: &Style, meta: Meta) -> Result<Document, ParseError> {
    parse_with(markup, style, meta, &Images::default())
}

/// A `:::` block being read: its kind, the line it opened on, and its body
/// lines with their numbers.
type OpenFence = (Fence, usize, Vec<(usize, String)>);

/// [`parse`], with the pictures of the data file that `image` blocks may
/// name.
pub fn parse_with(markup: &str, style: &Style, meta: Meta, images: &Images) -> Result<Document, ParseError> {
    let mut b = Builder { style, images, blocks: Vec::new(), counters: [0; 4], paragraph: String::new() };
    // The open fence: kind, its first line, and its body lines.
    let mut fence: Option<OpenFence> = None;
    let err = |line: usize, text: &str, message: String| ParseError { line, text: text.to_owned(), message };

    for (i, raw_line) in markup.lines().enumerate() {
        let n = i + 1;
        let line = raw_line.trim();
        if let Some((kind, start, body)) = &mut fence {
            if line == ":::" {
                let (kind, start, body) = (*kind, *start, std::mem::take(body));
                fence = None;
                close_fence(&mut b, kind, start, &body)?;
            } else {
                body.push((n, line.to_owned()));
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix(":::") {
            b.flush_paragraph(ParaKind::Body);
            let name = rest.trim();
            let kind = Fence::from_name(name).ok_or_else(|| {
                err(
                    n,
                    line,
                    tr!(
                        format!("未知的块“{name}”，可用的块：{}", Fence::NAMES),
                        format!("unknown block “{name}”; blocks are: {}", Fence::NAMES)
                    ),
                )
            })?;
            fence = Some((kind, n, Vec::new()));
        } else if line.starts_with('#') {
            b.flush_paragraph(ParaKind::Body);
            let level = line.chars().take_while(|&c| c == '#').count();
            if level > 4 {
                return Err(err(
                    n,
                    line,
                    tr!("标题最多四级（#### ）", "headings have at most four levels (####)").into(),
                ));
            }
            b.heading(level, line[level..].trim());
        } else if line.starts_with('|') {
            return Err(err(
                n,
                line,
                tr!("表格行只能写在 ::: table 块中", "table rows belong inside a ::: table block").into(),
            ));
        } else if line.is_empty() {
            b.flush_paragraph(ParaKind::Body);
        } else {
            join_lines(&mut b.paragraph, line);
        }
    }
    if let Some((_, start, _)) = fence {
        return Err(err(start, ":::", tr!("块没有用 ::: 结束", "block is not closed with :::").into()));
    }
    b.flush_paragraph(ParaKind::Body);
    Ok(Document { meta, blocks: b.blocks })
}

/// Paragraphs of a fence body (blank lines separate them).
fn fence_paragraphs(body: &[(usize, String)]) -> Vec<String> {
    let mut out = vec![String::new()];
    for (_, line) in body {
        if line.is_empty() {
            out.push(String::new());
        } else if let Some(last) = out.last_mut() {
            join_lines(last, line);
        }
    }
    out.into_iter().filter(|p| !p.is_empty()).collect()
}

fn close_fence(b: &mut Builder, kind: Fence, start: usize, body: &[(usize, String)]) -> Result<(), ParseError> {
    let err = |line: usize, text: &str, message: String| ParseError { line, text: text.to_owned(), message };
    // Field blocks: collect `key: value` lines.
    let fields = |allowed: &[&str]| -> Result<Vec<(String, String)>, ParseError> {
        let mut out = Vec::new();
        for (n, line) in body.iter().filter(|(_, l)| !l.is_empty()) {
            match field(line) {
                Some((k, v)) if allowed.contains(&k) => out.push((k.to_owned(), v.to_owned())),
                _ => {
                    return Err(err(
                        *n,
                        line,
                        tr!(
                            format!("这里应是字段行“键: 值”，可用的键：{}", allowed.join(", ")),
                            format!("expected a field line `key: value`; keys are: {}", allowed.join(", "))
                        ),
                    ));
                }
            }
        }
        Ok(out)
    };
    let get = |fields: &[(String, String)], key: &str| -> String {
        fields.iter().find(|(k, _)| k == key).map(|(_, v)| plain(v)).unwrap_or_default()
    };
    match kind {
        Fence::Title => {
            let text: String = fence_paragraphs(body).iter().map(|p| plain(p)).collect();
            if !text.is_empty() {
                b.push(Block::Title { lines: title::balance_in(&text, b.style) });
            }
        }
        Fence::Subtitle | Fence::Byline => {
            for p in fence_paragraphs(body) {
                let text = parse_line(&p);
                b.push(if kind == Fence::Subtitle { Block::Subtitle { text } } else { Block::Byline { text } });
            }
        }
        Fence::Note => {
            for p in fence_paragraphs(body) {
                b.paragraph = p;
                b.flush_paragraph(ParaKind::Note);
            }
        }
        Fence::Contact => {
            for (_, line) in body.iter().filter(|(_, l)| !l.is_empty()) {
                let text = parse_line(line);
                if !text.is_empty() {
                    b.push(Block::Paragraph { kind: ParaKind::Contact, text });
                }
            }
        }
        Fence::Signature => {
            let f = fields(&["name", "date"])?;
            let (name, date) = (get(&f, "name"), get(&f, "date"));
            let (name_right_indent, date_right_indent) = signature::indents(&name, &date, b.style);
            b.push(Block::Signature { name, date, name_right_indent, date_right_indent });
        }
        Fence::Masthead => {
            let f = fields(&["name", "issue", "editor", "date"])?;
            b.push(Block::Masthead {
                name: get(&f, "name"),
                issue: get(&f, "issue"),
                editor: get(&f, "editor"),
                date: get(&f, "date"),
            });
        }
        Fence::Colophon => {
            let f = fields(&["line", "copies"])?;
            let lines =
                f.iter().filter(|(k, _)| k == "line").map(|(_, v)| parse_line(v)).filter(|l| !l.is_empty()).collect();
            let copies = Some(get(&f, "copies")).filter(|c| !c.is_empty());
            b.push(Block::Colophon { lines, copies });
        }
        Fence::Table => {
            let mut rows: Vec<Vec<Inlines>> = Vec::new();
            let mut align: Vec<Align> = Vec::new();
            for (n, line) in body.iter().filter(|(_, l)| !l.is_empty()) {
                if !line.starts_with('|') {
                    return Err(err(
                        *n,
                        line,
                        tr!("表格块中每行应以 | 开头", "every line of a table block starts with |").into(),
                    ));
                }
                let cs = cells(line);
                if cs.iter().all(|c| !c.is_empty() && c.chars().all(|ch| ch == '-' || ch == ':')) {
                    // |:--|:-:|--:| separator: the alignment of each column.
                    align = cs
                        .iter()
                        .map(|c| match (c.starts_with(':'), c.ends_with(':')) {
                            (true, true) => Align::Center,
                            (false, true) => Align::Right,
                            _ => Align::Left,
                        })
                        .collect();
                    continue;
                }
                let row: Vec<Inlines> = cs.iter().map(|c| parse_line(c)).collect();
                if let Some(first) = rows.first()
                    && first.len() != row.len()
                {
                    return Err(err(
                        *n,
                        line,
                        tr!(
                            format!("这一行有 {} 列，表头有 {} 列", row.len(), first.len()),
                            format!("this row has {} cells, the header has {}", row.len(), first.len())
                        ),
                    ));
                }
                rows.push(row);
            }
            if rows.is_empty() {
                return Err(err(start, ":::", tr!("表格没有行", "the table has no rows").into()));
            }
            let header = rows.remove(0);
            let available = b.style.page.text_width_pt() / b.style.table.size_pt;
            let widths = column_widths(&header, &rows, available, b.style);
            align.resize(header.len(), Align::Left);
            b.push(Block::Table { header, rows, widths, align });
        }
        Fence::Image => {
            let f = fields(&["src", "width", "caption"])?;
            let src = get(&f, "src");
            let Some(image) = b.images.get(&src) else {
                return Err(err(
                    start,
                    "::: image",
                    tr!(
                        format!(
                            "图片“{src}”不在数据文件的 images 中：模板只能放数据里列出的图片（src: {{{{ img.path }}}}）"
                        ),
                        format!(
                            "the picture “{src}” is not among the data file's images: templates can only place pictures the data lists (src: {{{{ img.path }}}})"
                        )
                    ),
                ));
            };
            let width = match get(&f, "width").trim() {
                "" => None,
                w => match w.parse::<f64>() {
                    Ok(x) if x > 0.0 && x <= 1.0 => Some(x),
                    _ => {
                        return Err(err(
                            start,
                            "::: image",
                            tr!(
                                format!("图片宽度“{w}”不对：应是大于 0、不超过 1 的小数"),
                                format!("the picture width “{w}” is not a fraction above 0 and at most 1")
                            ),
                        ));
                    }
                },
            };
            let caption = f.iter().find(|(k, _)| k == "caption").map(|(_, v)| parse_line(v)).unwrap_or_default();
            let caption_lines = figure::caption_lines(b.style, &super::ir::plain_text(&caption));
            let size = figure::size(b.style, image.aspect(), width, caption_lines);
            let image = image.clone();
            b.push(Block::Image {
                image,
                width_pt: size.width_pt,
                height_pt: size.height_pt,
                lines: size.lines,
                caption,
            });
        }
    }
    Ok(())
}

/// Column widths as fractions of the text block.
///
/// Each column wants its widest content on one line (`available` is the
/// block width in characters of the table text, `padding` the cell padding
/// on each side). Columns that fit are given what they want; when the
/// table is too wide, the columns that want the most share what is left in
/// proportion, so short columns (dates, counts) never wrap and the long
/// ones (titles) do.
fn column_widths(header: &[Inlines], rows: &[Vec<Inlines>], available: f64, style: &Style) -> Vec<f64> {
    let ts = &style.table;
    let width = |c: &Inlines| {
        let text = super::ir::plain_text(c);
        super::script::office_width_em(&text, ts.size_pt, style.cjk_latin_gap_em, style.pdf_tracking_pt)
            + 2.0 * style.table_padding_chars
            + 0.5
    };
    let mut want: Vec<f64> = header.iter().map(width).collect();
    for row in rows {
        for (i, c) in row.iter().enumerate().take(want.len()) {
            want[i] = want[i].max(width(c));
        }
    }
    let n = want.len().max(1);
    let total: f64 = want.iter().sum();
    let mut got = want.clone();
    if total > available {
        // Give the narrowest columns what they want while the rest can
        // still have at least as much each; share the rest.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| want[a].total_cmp(&want[b]));
        let mut left = available;
        let mut rest: Vec<usize> = order.clone();
        while let Some(&i) = rest.first() {
            if want[i] <= left / rest.len() as f64 {
                got[i] = want[i];
                left -= want[i];
                rest.remove(0);
            } else {
                break;
            }
        }
        let rest_want: f64 = rest.iter().map(|&i| want[i]).sum();
        for &i in &rest {
            got[i] = left * want[i] / rest_want;
        }
    }
    let sum: f64 = got.iter().sum();
    got.into_iter().map(|x| x / sum).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(markup: &str) -> Document {
        parse(markup, &Style::gbt9704(), Meta::default()).unwrap()
    }

    #[test]
    fn headings_are_numbered_by_level() {
        let d = doc("# 甲\n## 子\n## 丑\n# 乙\n## 寅\n### 三级\n#### 四级\n");
        let numbers: Vec<_> = d
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { number, .. } => Some(number.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(numbers, ["一、", "（一）", "（二）", "二、", "（一）", "1.", "（1）"]);
    }

    #[test]
    fn run_in_titles_bold_even_before_cjk_punctuation() {
        let d = doc("**树牢政治机关意识。**深刻领悟\n决定性意义。\n");
        assert_eq!(
            d.blocks,
            [Block::Paragraph {
                kind: ParaKind::Body,
                text: vec![Run::bold("树牢政治机关意识。"), Run::plain("深刻领悟决定性意义。")]
            }]
        );
    }

    #[test]
    fn data_of_dashes_in_table_cells_stays_a_row() {
        // Found by fuzzing (fuzz/README.md): `| - | - |` from data was read
        // as the alignment row and the row vanished.
        let e = crate::doc::markup::escape("-");
        let d = doc(&format!("::: table\n| 日期 | 人次 |\n|:-:|--:|\n| {e} | {e} |\n:::\n"));
        let [Block::Table { rows, align, .. }] = &d.blocks[..] else { panic!("{d:?}") };
        assert_eq!(rows.len(), 1);
        assert_eq!(crate::doc::plain_text(&rows[0][0]), "-");
        assert_eq!(align, &[Align::Center, Align::Right]);
    }

    #[test]
    fn data_paragraph_breaks_split_body_paragraphs() {
        let d = doc(&format!("**题。**{}", crate::doc::markup::escape("一段\n\n二段")));
        assert_eq!(d.blocks.len(), 2);
        assert_eq!(d.texts(), ["题。一段", "二段"]);
    }

    #[test]
    fn escaped_data_stays_literal() {
        let hostile = "# x\n::: title\n| a | **b** \\p ]#read(\"/etc/passwd\")";
        let d = doc(&crate::doc::markup::escape(hostile));
        assert_eq!(d.texts().concat(), crate::doc::markup::printed_form(hostile));
        assert!(matches!(d.blocks[0], Block::Paragraph { .. }));
    }

    #[test]
    fn blocks_and_spacing() {
        let d = doc(
            "::: title\n关于某事的报告\n:::\n正文。\n::: signature\nname: 某单位\ndate: 2025年7月10日\n:::\n::: table\n| 日期 | 活动 |\n|---|---|\n| 3月5日 | 学习 |\n:::\n",
        );
        assert!(matches!(d.blocks[0], Block::Title { .. }));
        assert_eq!(d.blocks[1], Block::Blank);
        assert!(matches!(d.blocks[3], Block::Blank));
        assert!(matches!(d.blocks[4], Block::Signature { .. }));
        let Block::Table { header, rows, widths, align } = &d.blocks[5] else { panic!() };
        assert_eq!(header.len(), 2);
        assert_eq!(align, &[Align::Left, Align::Left]);
        assert_eq!(rows.len(), 1);
        assert!((widths.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn template_mistakes_are_reported_with_lines() {
        let style = Style::gbt9704();
        let e = parse("正文\n::: titel\n", &style, Meta::default()).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(parse("::: title\nx\n", &style, Meta::default()).is_err());
        assert!(parse("::: signature\nnmae: x\n:::\n", &style, Meta::default()).is_err());
        assert!(parse("| a |\n", &style, Meta::default()).is_err());
    }

    #[test]
    fn image_blocks_take_only_pictures_the_data_lists() {
        use crate::model::images::ImageData;
        let mut png = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut png),
            &[200u8; 40 * 30 * 3],
            40,
            30,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
        let mut images = Images::default();
        images.insert("photos/a_b.png", ImageData::decode(png, "a_b.png".into()).unwrap());
        let style = Style::gbt9704();
        let src = crate::doc::markup::escape("photos/a_b.png");
        let caption = crate::doc::markup::escape("图为**x** #read(\"/etc/passwd\")");
        let d =
            parse_with(&format!("::: image\nsrc: {src}\ncaption: {caption}\n:::\n"), &style, Meta::default(), &images)
                .unwrap();
        let Block::Image { caption: c, lines, .. } = &d.blocks[0] else { panic!("{:?}", d.blocks) };
        assert_eq!(super::super::ir::plain_text(c), "图为**x** #read(\"/etc/passwd\")");
        assert_eq!(*lines, 9);
        // Not in the data: refused, whatever the file system holds.
        assert!(parse_with("::: image\nsrc: /etc/passwd\n:::\n", &style, Meta::default(), &images).is_err());
        assert!(parse("::: image\nsrc: photos/a_b.png\n:::\n", &style, Meta::default()).is_err());
        assert!(
            parse_with("::: image\nsrc: photos/a\\_b.png\nwidth: 2\n:::\n", &style, Meta::default(), &images).is_err()
        );
    }

    #[test]
    fn unmatched_bold_marker_is_literal() {
        let d = doc("a**b");
        assert_eq!(d.texts(), ["a**b"]);
    }
}
