//! Fonts that never fail: every character checked before rendering, the
//! office's own fonts found by name, fonts carried inside the DOCX.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

const HEAD: &str = "organization:\n  name: 测试单位\nperiod:\n  label: 2025年上半年\ndate: 2025-07-10\n";

fn write(dir: &Path, name: &str, yaml: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, yaml).unwrap();
    p
}

/// The font that draws each occurrence of `c` in the PDF.
fn fonts_of(probe: &serde_json::Value, c: char) -> Vec<String> {
    let mut out = Vec::new();
    for page in probe["pages"].as_array().unwrap() {
        for line in page["lines"].as_array().unwrap() {
            for cf in line["char_fonts"].as_array().unwrap() {
                if cf[0].as_str() == Some(c.to_string().as_str()) {
                    out.push(cf[1].as_str().unwrap().to_owned());
                }
            }
        }
    }
    out
}

#[test]
fn rare_name_characters_are_drawn_by_the_fallback_font() {
    let dir = tempdir();
    let data = write(dir.path(), "names.yaml", &format!("{HEAD}lead: 王堃、李喆、张珺、陈昇、刘玥、𠮷祥参加学习。\n"));
    let o = run(&[
        "--lang",
        "en",
        "render",
        data.to_str().unwrap(),
        "-t",
        "media",
        "-f",
        "pdf",
        "-v",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // --verbose lists them.
    assert!(stderr(&o).contains("drawn by the fallback font"), "{}", stderr(&o));
    let probe = probe(&dir.path().join("names-media.pdf"));
    assert_eq!(probe["notdef"], 0);
    for c in ['堃', '喆', '珺', '昇', '玥', '𠮷'] {
        let fonts = fonts_of(&probe, c);
        assert!(!fonts.is_empty(), "{c} not in the PDF");
        assert!(fonts.iter().all(|f| f.contains("NotoSerifCJK")), "{c} drawn by {fonts:?}");
    }
    // Their neighbours stay in the body font.
    assert!(fonts_of(&probe, '王').iter().all(|f| f.contains("FandolFang")));
}

#[test]
fn a_character_no_font_has_is_an_error_at_its_position() {
    let dir = tempdir();
    let data = write(dir.path(), "pua.yaml", &format!("{HEAD}lead: 这里有一个私用区字符\u{E000}。\n"));
    let out = dir.path().join("out");
    let o = run(&["--lang", "en", "render", data.to_str().unwrap(), "-t", "media", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("U+E000"), "{err}");
    // At the character itself: `lead: ` is 6 columns, then 10 characters.
    assert!(err.contains("pua.yaml:6:17"), "{err}");
    assert!(err.contains("field: lead"), "{err}");
    assert!(err.contains("--allow-missing-glyphs"), "{err}");
    assert!(files_in(&out).is_empty());

    // Allowed, it is a warning and the documents are written.
    let o = run(&[
        "--lang",
        "en",
        "render",
        data.to_str().unwrap(),
        "-t",
        "media",
        "--allow-missing-glyphs",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: no font can draw"), "{}", stderr(&o));
    assert_eq!(files_in(&out).len(), 2);
}

#[test]
fn look_alike_middle_dot_is_normalised_with_a_warning() {
    let dir = tempdir();
    let data = write(dir.path(), "dot.yaml", &format!("{HEAD}title: 贯彻二十大∙奋进新征程\nlead: 正文。\n"));
    let o = run(&["--lang", "en", "render", data.to_str().unwrap(), "-t", "media", "-o", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning: changed 1 ∙ or • to the middle dot"), "{err}");
    assert!(err.contains("dot.yaml:6:13"), "{err}");
    let text = pdf_text(&probe(&dir.path().join("dot-media.pdf")));
    assert!(text.contains("贯彻二十大·奋进新征程"), "{text}");
    assert!(docx_text(&dir.path().join("dot-media.docx")).contains("贯彻二十大·奋进新征程"));

    // --no-normalize keeps ∙, which no font has: an error.
    let o = run(&[
        "--lang",
        "en",
        "render",
        data.to_str().unwrap(),
        "-t",
        "media",
        "--no-normalize",
        "-o",
        dir.path().join("raw").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("U+2219"));
}

#[test]
fn a_configured_office_font_is_found_in_a_font_folder() {
    let dir = tempdir();
    let fonts = dir.path().join("字体");
    std::fs::create_dir(&fonts).unwrap();
    renamed_font(
        "fandol/FandolKai-Regular.ttf",
        &fonts.join("test-fangsong.ttf"),
        "JianbaoTest FangSong",
        "测试仿宋_GB2312",
    );
    let data = write(dir.path(), "office.yaml", &format!("{HEAD}lead: 正文用办公室自己的仿宋。\n"));
    // The config names the font as offices do: by its Chinese name.
    std::fs::write(dir.path().join("jianbao.toml"), "[fonts]\nfang = \"测试仿宋_GB2312\"\npaths = [\"字体\"]\n")
        .unwrap();
    let out = dir.path().join("out");
    let o = run(&["--lang", "en", "render", data.to_str().unwrap(), "-t", "media", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let probe = probe(&out.join("office-media.pdf"));
    let body_fonts = fonts_of(&probe, '正');
    assert!(body_fonts.iter().all(|f| f.contains("JianbaoTestFangSong")), "{body_fonts:?}");
    // The DOCX names the configured family.
    let styles = docx_part(&out.join("office-media.docx"), "word/styles.xml");
    assert!(styles.contains("w:eastAsia=\"测试仿宋_GB2312\""), "{}", &styles[..2000.min(styles.len())]);

    // `jianbao fonts` shows where it came from.
    let o = run(&["--lang", "en", "fonts", "--config", dir.path().join("jianbao.toml").to_str().unwrap()]);
    let listing = stdout(&o);
    let fang = listing.lines().find(|l| l.starts_with("fang")).unwrap();
    assert!(fang.contains("test-fangsong.ttf") && fang.contains("user"), "{listing}");

    // A family that is nowhere is an error naming it and where jianbao looked.
    std::fs::write(dir.path().join("jianbao.toml"), "[fonts]\nfang = \"方正仿宋_GBK\"\npaths = [\"字体\"]\n").unwrap();
    let o = run(&["--lang", "en", "render", data.to_str().unwrap(), "-t", "media", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("方正仿宋_GBK") && stderr(&o).contains("字体"), "{}", stderr(&o));
}

#[test]
fn fonts_command_reports_coverage_from_real_character_lists() {
    let o = run(&["--lang", "en", "fonts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for role in ["title", "song", "hei", "fang", "kai"] {
        let line = out.lines().find(|l| l.starts_with(role)).unwrap_or_else(|| panic!("{role} missing: {out}"));
        assert!(line.contains("6763/6763"), "{line}");
        assert!(line.contains("/8105"), "{line}");
        assert!(line.contains("bundled"), "{line}");
    }
    assert!(out.contains("Noto Serif CJK SC"), "{out}");
}

#[test]
fn embedded_fonts_make_the_docx_render_without_installed_fonts() {
    let dir = tempdir();
    let data = write(dir.path(), "emb.yaml", &format!("{HEAD}title: 内嵌字体的文档\nlead: 王堃同志参加学习。\n"));
    let o = run(&[
        "render",
        data.to_str().unwrap(),
        "-t",
        "media",
        "-f",
        "docx",
        "--docx-fonts",
        "embed",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let docx = dir.path().join("emb-media.docx");
    let parts = docx_parts(&docx);
    let odttf: Vec<&String> = parts.iter().map(|(n, _)| n).filter(|n| n.ends_with(".odttf")).collect();
    assert!(odttf.len() >= 3, "{odttf:?}");
    let table = docx_part(&docx, "word/fontTable.xml");
    assert!(table.contains("w:embedRegular") && table.contains("w:fontKey"), "{table}");
    assert!(docx_part(&docx, "word/settings.xml").contains("w:embedTrueTypeFonts"));
    // The rare name is in a run that names the (embedded) fallback font.
    assert!(docx_part(&docx, "word/document.xml").contains("w:eastAsia=\"Noto Serif CJK SC\""));
    assert_docx_xml_parses(&docx);
}

/// The fonts inside the DOCX are what an office suite draws with when it
/// has none of its own: LibreOffice, given only an emoji font (it will not
/// start with no font at all), converts the `--docx-fonts embed` DOCX with
/// the embedded subsets — pdffonts lists only them for the text, embedded —
/// into the pages of jianbao's PDF, with the text.
#[test]
fn libreoffice_draws_the_embedded_fonts_when_none_are_installed() {
    let Some(soffice) = soffice() else {
        eprintln!("SKIPPED: soffice not installed (apt-get install libreoffice-writer-nogui)");
        return;
    };
    let dir = tempdir();
    let out = dir.path().join("out");
    let data = sample("qdn-renda.yaml");
    let o = run(&[
        "render",
        data.to_str().unwrap(),
        "-t",
        "half-year",
        "--docx-fonts",
        "embed",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let conf = isolated_fontconfig(dir.path(), &[&root().join("fonts/noto-emoji")], "");
    let lo = dir.path().join("lo");
    let docx = out.join("qdn-renda-half-year.docx");
    libreoffice_to_pdf(soffice, &conf, dir.path(), &lo, [docx.as_path()]);
    let lo_pdf = lo.join("qdn-renda-half-year.pdf");
    let fonts = Command::new("pdffonts").arg(&lo_pdf).output().expect("pdffonts (poppler-utils)");
    let fonts = String::from_utf8_lossy(&fonts.stdout).into_owned();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.iter().filter(|r| r.contains("Fandol")).count() >= 4, "{fonts}");
    for r in &rows {
        assert!(r.contains("Fandol") || r.contains("NotoEmoji"), "a font that is not embedded in the DOCX: {r}");
        assert!(r.split_whitespace().rev().nth(4) == Some("yes"), "not embedded in LibreOffice's PDF: {r}");
    }
    let ours = probe(&out.join("qdn-renda-half-year.pdf"));
    let theirs = probe(&lo_pdf);
    assert_eq!(theirs["pages"].as_array().unwrap().len(), ours["pages"].as_array().unwrap().len(), "pages");
    let text = squash(&pdf_text(&theirs));
    for s in ["以“四强四同”破解机关党建“两张皮”", "一、上半年工作开展情况", "黔东南州人大常委会机关"]
    {
        assert!(text.contains(s), "{s} missing from LibreOffice's PDF");
    }
}

/// `/FontBBox` of every embedded TrueType font against the union of its
/// glyphs' boxes read from the embedded program (tests/tools/fontbbox.py).
fn font_boxes(pdf: &Path) -> Vec<serde_json::Value> {
    ensure_python("pymupdf", "pymupdf");
    ensure_python("fontTools", "fonttools");
    serde_json::from_value(tool_json("fontbbox.py", pdf)).expect("a list of fonts")
}

/// The PDF writer's font boxes come from glyph boxes memoised across the
/// documents of a batch, by the glyph's id in the bundled font
/// (vendor/krilla/PATCHES.md): each document's box must still be exactly
/// that of the glyphs its own subset holds, emoji (Noto Emoji, TrueType)
/// included.
#[test]
fn every_embedded_font_box_is_that_of_its_own_glyphs() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let data = write(
        dir.path(),
        "briefs.yaml",
        &format!(
            "{HEAD}lead: 全年开展志愿服务活动，群众满意度明显提升👍。
branches:
  - name: 第一党支部
    secretary: 王丽
    highlights:
      - title: 组织学习
        text: 按时完成。
  - name: 第二党支部
    secretary: 李强
    highlights:
      - title: 警民共建
        text: 邻里互助，疫情防控，应急演练，红色教育基地参观学习。
  - name: 第三党支部
    secretary: 赵敏
    highlights:
      - title: 巾帼建功
        text: 文明实践🌸。
"
        ),
    );
    let o = run(&[
        "batch",
        data.to_str().unwrap(),
        "-t",
        "branch-summary",
        "-f",
        "pdf",
        "-j",
        "1",
        "-q",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdfs = files_in(&out);
    assert_eq!(pdfs.len(), 3, "{pdfs:?}");
    let mut fonts = 0;
    for pdf in &pdfs {
        for f in font_boxes(&out.join(pdf)) {
            let rounded = |k: &str| -> Vec<i64> {
                f[k].as_array().unwrap().iter().map(|v| v.as_f64().unwrap().round() as i64).collect()
            };
            assert_eq!(rounded("declared"), rounded("outlines"), "{pdf}: {}", f["name"]);
            fonts += 1;
        }
    }
    // Several faces per document, their boxes not all alike.
    assert!(fonts >= 9, "{fonts} TrueType fonts in {pdfs:?}");
}

/// krilla patch 5 (vendor/krilla/PATCHES.md): each embedded font program
/// is deflated by `crates/deflate-literals` — one final block of
/// Huffman-coded literals, whose literal/length code has no length codes
/// at all (HLIT = 0: 257 codes), so the stream cannot hold a match — and
/// comes back whole: PyMuPDF inflates it, fontTools reads every glyph of
/// it, and it is stored smaller than it is.
#[test]
fn font_programs_are_deflated_as_literals_and_read_back_whole() {
    let dir = tempdir();
    let (pdf, _) = render(&sample("county-civil-affairs.yaml"), "half-year", dir.path());
    let fonts = font_boxes(&pdf);
    assert!(fonts.len() >= 3, "{fonts:?}");
    for f in &fonts {
        let stream = &f["stream"];
        let head: Vec<u64> = stream["head"].as_array().unwrap().iter().map(|b| b.as_u64().unwrap()).collect();
        // zlib: deflate, 32 KiB window, fastest level; then, from the low
        // bit, BFINAL = 1, BTYPE = 2 (dynamic codes), HLIT = 0; HDIST = 1
        // (two distance codes).
        let (bfinal, btype, hlit) = (1, 2 << 1, 0 << 3);
        assert_eq!(head[..3], [0x78, 0x01, bfinal | btype | hlit], "{}: {head:?}", f["name"]);
        assert_eq!(head[3] & 0x1F, 1, "{}: {head:?}", f["name"]);
        let (encoded, decoded) = (stream["encoded"].as_u64().unwrap(), stream["decoded"].as_u64().unwrap());
        assert!(encoded < decoded, "{}: {encoded} of {decoded} bytes", f["name"]);
        assert!(f["glyphs"].as_u64().unwrap() > 1, "{}", f["name"]);
    }
}

/// subsetter patch 1 (vendor/subsetter/PATCHES.md): every embedded font
/// program's table directory gives each table's checksum, and the whole
/// program sums to OpenType's magic number — computed by the test's own
/// code, not the writer's. A sample with bold titles, headings, body text
/// and a table, and an emoji (the bundled emoji font); every program has
/// tables whose length is not a multiple of four (`head` is 54 bytes), so
/// the padded last word is summed too.
#[test]
fn embedded_font_programs_have_their_checksums() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let data = write(
        dir.path(),
        "emoji.yaml",
        &std::fs::read_to_string(sample("county-civil-affairs.yaml"))
            .unwrap()
            .replace("title: 党建引领兜底线 用心用情惠民生", "title: 党建引领兜底线 用心用情惠民生 👍"),
    );
    let (pdf, _) = render(&data, "half-year", &out);
    let fonts = font_boxes(&pdf);
    assert!(fonts.len() >= 6, "{fonts:?}");
    assert!(fonts.iter().any(|f| f["name"].as_str().unwrap().contains("Emoji")), "{fonts:?}");
    for f in &fonts {
        let sums = &f["checksums"];
        assert!(sums["tables"].as_u64().unwrap() >= 6, "{}: {sums}", f["name"]);
        assert_eq!(sums["wrong"], serde_json::json!([]), "{}: {sums}", f["name"]);
        assert_eq!(sums["whole"], true, "{}: {sums}", f["name"]);
    }
}

/// krilla patch 4 (vendor/krilla/PATCHES.md): a run whose glyphs all carry
/// the same spacing — the −0.25 pt tracking, and on a justified line the
/// stretch — is shown by one `Tj` with that spacing as the character
/// spacing (`Tc`), not a `TJ` with a number after every glyph, and every
/// glyph stays where the layout put it: on a full line of body text, one
/// grid character pitch from the last.
#[test]
fn tracked_runs_are_drawn_with_character_spacing_at_the_grid_pitch() {
    let dir = tempdir();
    let (pdf, _) = render(&sample("county-civil-affairs.yaml"), "half-year", dir.path());
    let probe = probe(&pdf);
    let pages = probe["pages"].as_array().unwrap();
    let count = |op: &str| pages.iter().map(|p| p["operators"][op].as_u64().unwrap()).sum::<u64>();
    let (tc, tj, tj_numbers) = (count("Tc"), count("Tj"), count("TJ"));
    assert!(tc > 50 && tj > 10 * tj_numbers, "Tc {tc}, Tj {tj}, TJ {tj_numbers}");
    let style = jianbao::style::Style::gbt9704();
    let pitch = style.char_pitch_pt();
    let mut full_lines = 0;
    for line in pages.iter().flat_map(|p| p["lines"].as_array().unwrap()) {
        let glyphs = line["glyphs"].as_array().unwrap();
        // Chinese characters and full-width marks (，、。): one pitch each.
        let chinese = |c: char| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3001}'..='\u{3002}' | '\u{ff0c}');
        let cjk = glyphs.iter().all(|g| g[0].as_str().unwrap().chars().all(chinese));
        if glyphs.len() as u32 != style.grid.chars_per_line || line["size"].as_f64() != Some(style.body.size_pt) || !cjk
        {
            continue;
        }
        full_lines += 1;
        let origins: Vec<f64> = glyphs.iter().map(|g| g[3].as_f64().unwrap()).collect();
        for pair in origins.windows(2) {
            assert!((pair[1] - pair[0] - pitch).abs() < 0.02, "{}: {pair:?}, pitch {pitch}", line["text"]);
        }
    }
    assert!(full_lines >= 3, "{full_lines} full lines of Chinese");
}
