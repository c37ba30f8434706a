//! The DOCX opened in a real office suite breaks pages where the PDF does.
//!
//! Every template's DOCX on the sample data is converted by LibreOffice
//! Writer (`soffice --headless --convert-to pdf`), with the bundled fonts
//! given to it under the office font names the DOCX uses; the result must
//! have as many pages as jianbao's PDF, every page must start with the same
//! text, and every line must hold the same text. Skipped (with a notice)
//! when `soffice` is not installed; `.ci/run` installs it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use jianbao::fonts::Role;
use jianbao::render::docx::DocxFonts;

fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
}

/// A fontconfig file that gives LibreOffice only the bundled fonts, with
/// the office names of the DOCX mapped to them (仿宋 → FandolFang …).
fn fontconfig(dir: &Path) -> PathBuf {
    let office = DocxFonts::office();
    let family = |role| match role {
        Role::Fang => "FandolFang",
        Role::Hei => "FandolHei",
        Role::Kai => "FandolKai",
        Role::Song | Role::Title => "FandolSong",
    };
    let aliases: String = Role::ALL
        .iter()
        .map(|&r| {
            format!(
                "<alias binding=\"same\"><family>{}</family><prefer><family>{}</family></prefer></alias>\n",
                office.get(r).name,
                family(r)
            )
        })
        .collect();
    let conf = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n<dir>{}</dir>\n<cachedir>{}</cachedir>\n{aliases}</fontconfig>\n",
        root().join("fonts").display(),
        dir.join("fc-cache").display()
    );
    let path = dir.join("fonts.conf");
    std::fs::write(&path, conf).unwrap();
    path
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

#[test]
fn libreoffice_breaks_pages_and_lines_where_the_pdf_does() {
    let Some(soffice) = soffice() else {
        eprintln!("SKIPPED: soffice not installed (apt-get install libreoffice-writer-nogui)");
        return;
    };
    let dir = tempdir();
    let out = dir.path().join("out");
    let mut docs: Vec<(PathBuf, PathBuf)> = Vec::new();
    for data in ["qdn-renda.yaml", "county-civil-affairs.yaml"] {
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

    let lo_out = dir.path().join("lo");
    let status = Command::new(soffice)
        .env("FONTCONFIG_FILE", fontconfig(dir.path()))
        .arg(format!("-env:UserInstallation=file://{}", dir.path().join("profile").display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&lo_out)
        .args(docs.iter().map(|(_, d)| d))
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));

    let mut report = Vec::new();
    for (pdf, docx) in &docs {
        let name = docx.file_stem().unwrap().to_string_lossy().into_owned();
        let ours = pages(pdf);
        let theirs = pages(&lo_out.join(format!("{name}.pdf")));
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
}
