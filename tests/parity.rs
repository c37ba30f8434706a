//! The DOCX opened in a real office suite breaks pages where the PDF does.
//!
//! Every template's DOCX on the sample data is converted by LibreOffice
//! Writer (`soffice --headless --convert-to pdf`), with the bundled fonts
//! given to it under the office font names the DOCX uses; the result must
//! have as many pages as jianbao's PDF, every page must start with the same
//! text, every line must hold the same text, and every line must stand
//! where LibreOffice puts it: the same baseline and the same left end
//! within a point. Skipped (with a notice) when `soffice` is not
//! installed; `.ci/run` installs it.

mod common;
#[path = "common/layout.rs"]
mod layout;

use std::path::{Path, PathBuf};

use common::*;
use jianbao::fonts::Role;
use jianbao::render::docx::DocxFonts;

/// A fontconfig file that gives LibreOffice only the bundled fonts, with
/// the office names of the DOCX mapped to them (仿宋 → FandolFang …). The
/// title face the PDF uses, FandolSong Bold, cannot be reached through an
/// alias (its OS/2 weight class says regular, so LibreOffice takes
/// FandolSong Regular, whose vertical metrics differ: titles would stand
/// 2.9 pt higher than with the PDF's font): a copy of it named as the
/// office's title font (方正小标宋简体) is given instead.
fn fontconfig(dir: &Path) -> PathBuf {
    let office = DocxFonts::office();
    let title_dir = dir.join("title-font");
    std::fs::create_dir_all(&title_dir).unwrap();
    renamed_font(
        "fandol/FandolSong-Bold.ttf",
        &title_dir.join("title.ttf"),
        "JianbaoTest Title",
        &office.get(Role::Title).name,
    );
    let family = |role| match role {
        Role::Fang => Some("FandolFang"),
        Role::Hei => Some("FandolHei"),
        Role::Kai => Some("FandolKai"),
        Role::Song => Some("FandolSong"),
        Role::Title => None,
    };
    let aliases: String = Role::ALL
        .iter()
        .filter_map(|&r| {
            Some(format!(
                "<alias binding=\"same\"><family>{}</family><prefer><family>{}</family></prefer></alias>\n",
                office.get(r).name,
                family(r)?
            ))
        })
        .collect();
    let fonts = root().join("fonts");
    isolated_fontconfig(dir, &[&fonts, &title_dir], &aliases)
}

/// Lines of a PDF, page by page, white space removed, page numbers dropped.
fn pages(pdf: &Path) -> Vec<Vec<String>> {
    probe(pdf)["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| squash(l["text"].as_str().unwrap()))
                .filter(|t| !t.is_empty() && !is_page_number(t))
                .collect()
        })
        .collect()
}

/// Every line of a PDF (page numbers included) with its page, text
/// (white space removed), baseline and left end.
fn placed_lines(pdf: &Path) -> Vec<(usize, String, f64, f64)> {
    let mut out = Vec::new();
    for (i, p) in probe(pdf)["pages"].as_array().unwrap().iter().enumerate() {
        for l in p["lines"].as_array().unwrap() {
            let text = squash(l["text"].as_str().unwrap());
            if !text.is_empty() {
                out.push((i, text, l["baseline"].as_f64().unwrap(), l["x0"].as_f64().unwrap()));
            }
        }
    }
    out
}

/// How far a line may stand from where LibreOffice puts it, in points.
const POSITION_TOL: f64 = 1.0;

/// Lines of the same text that stand more than [`POSITION_TOL`] apart in
/// the two PDFs: baseline and left end (x0).
fn misplaced(ours: &Path, theirs: &Path) -> Vec<String> {
    let (a, b) = (placed_lines(ours), placed_lines(theirs));
    let mut out = Vec::new();
    if a.len() != b.len() {
        out.push(format!("{} lines in the PDF, {} in LibreOffice's", a.len(), b.len()));
    }
    for ((pa, ta, ya, xa), (pb, tb, yb, xb)) in a.iter().zip(&b) {
        if pa != pb || ta != tb {
            out.push(format!("p{}: “{ta}” vs p{}: “{tb}”", pa + 1, pb + 1));
            continue;
        }
        if (ya - yb).abs() > POSITION_TOL || (xa - xb).abs() > POSITION_TOL {
            out.push(format!(
                "p{}: “{}” baseline {ya:.2} / x0 {xa:.2} in the PDF, {yb:.2} / {xb:.2} in LibreOffice",
                pa + 1,
                ta.chars().take(16).collect::<String>()
            ));
        }
    }
    out
}

#[test]
fn libreoffice_breaks_pages_and_lines_where_the_pdf_does() {
    let Some(soffice) = soffice() else {
        eprintln!("SKIPPED: soffice not installed (apt-get install libreoffice-writer-nogui)");
        return;
    };
    let dir = tempdir();
    let out = dir.path().join("out");
    let mut docs: Vec<(PathBuf, PathBuf)> = Vec::new();
    // photo-briefing.yaml carries pictures: they must take the same grid
    // lines in both, so every line after them still matches.
    for data in ["qdn-renda.yaml", "county-civil-affairs.yaml", "photo-briefing.yaml"] {
        for template in ["half-year", "media", "bulletin"] {
            docs.push(render(&sample(data), template, &out));
        }
    }
    // Branch summaries: every branch of the county sample.
    let branches = out.join("branches");
    let o = run(&[
        "batch",
        sample("county-civil-affairs.yaml").to_str().unwrap(),
        "-t",
        "branch-summary",
        "-q",
        "-o",
        branches.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in files_in(&branches).into_iter().filter(|f| f.ends_with(".pdf")) {
        let pdf = branches.join(&f);
        docs.push((pdf.clone(), pdf.with_extension("docx")));
    }

    // Purpose-made documents (`layout::custom_data`): what LibreOffice does
    // with digits — no line break between a closing mark and a letter or
    // digit (`…誓词。` + `3名` puts `词。3名` on the next line), a title of 20
    // characters whose Chinese–Latin gaps make it too wide for one line —,
    // a 版记 whose recipient lists wrap (rows of several grid lines), an
    // article whose subheadings move to the next page rather than end one,
    // and lines whose ends Typst once got wrong (`data::LINE_ENDS`).
    const PURPOSE_MADE: [&str; 5] = ["mark-digit", "digit-title", "colophon-wrapped", "subheads", "line-ends"];
    for (name, template, yaml) in layout::custom_data().into_iter().filter(|(n, ..)| PURPOSE_MADE.contains(n)) {
        let data = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&data, yaml).unwrap();
        docs.push(render(&data, template, &out));
    }

    let lo_out = dir.path().join("lo");
    let conf = fontconfig(dir.path());
    libreoffice_to_pdf(soffice, &conf, dir.path(), &lo_out, docs.iter().map(|(_, d)| d.as_path()));

    let mut report = Vec::new();
    let mut positions = Vec::new();
    for (pdf, docx) in &docs {
        let name = docx.file_stem().unwrap().to_string_lossy().into_owned();
        let lo_pdf = lo_out.join(format!("{name}.pdf"));
        positions.extend(misplaced(pdf, &lo_pdf).into_iter().map(|m| format!("{name} {m}")));
        let ours = pages(pdf);
        let theirs = pages(&lo_pdf);
        assert_eq!(
            ours.len(),
            theirs.len(),
            "{name}: {} pages in the PDF, {} in LibreOffice",
            ours.len(),
            theirs.len()
        );
        for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            let start = |p: &Vec<String>| p.concat().chars().take(12).collect::<String>();
            assert_eq!(start(a), start(b), "{name}: page {} starts differently", i + 1);
        }
        let lines: Vec<&String> = ours.iter().flatten().collect();
        let lo_lines: Vec<&String> = theirs.iter().flatten().collect();
        let same = lines.iter().zip(&lo_lines).filter(|(a, b)| a == b).count();
        report.push(format!("{name}: {} pages, {same}/{} lines identical", ours.len(), lines.len()));
        assert_eq!(lines, lo_lines, "{name}: lines differ");
    }
    eprintln!("{}", report.join("\n"));
    assert!(
        positions.is_empty(),
        "{} lines stand elsewhere than in LibreOffice (more than {POSITION_TOL} pt):\n{}",
        positions.len(),
        positions.join("\n")
    );
}
