//! `jianbao render` end to end: every sample with the half-year and media
//! templates, checked on the PDF's extracted text and the DOCX's XML.

mod common;

use common::*;
use jianbao::model::{self, LoadOptions, Report};
use jianbao::template::cn;

const SAMPLES: &[&str] = &["qdn-renda.yaml", "county-civil-affairs.yaml"];

fn load(name: &str) -> Report {
    model::load(&sample(name), LoadOptions::default()).expect("sample loads").report
}

/// The strings a half-year report must print, derived from the data.
fn half_year_expectations(r: &Report) -> Vec<String> {
    let mut want =
        vec![r.title.as_ref().map(|t| t.to_string()).unwrap_or_default(), "一、".to_owned(), "工作开展情况".to_owned()];
    for (i, s) in r.sections.iter().enumerate() {
        // Sections are level-2 headings under 一、: （一）…
        want.push(format!("（{}）{}", cn::numeral(i as u64 + 1), s.title));
        for p in &s.points {
            want.push(p.title.to_string());
        }
    }
    if !r.problems.is_empty() {
        want.push("存在的问题".into());
    }
    for m in &r.metrics {
        let unit = m.unit.as_ref().map(|u| u.to_string()).unwrap_or_default();
        let q = m.qualifier.as_ref().map(|u| u.to_string()).unwrap_or_default();
        want.push(format!("{}{}", m.label, cn::quantity(&m.value.to_string(), &unit, &q)));
    }
    want.push(r.signature.as_ref().map(|s| s.name.to_string()).unwrap_or_else(|| r.organization.name.to_string()));
    want.push(r.date.unwrap().to_chinese());
    want.into_iter().map(|w| squash(&w)).filter(|w| !w.is_empty()).collect()
}

fn media_expectations(r: &Report) -> Vec<String> {
    let mut want = vec![r.title.as_ref().map(|t| t.to_string()).unwrap_or_default()];
    if let Some(a) = &r.author {
        want.push(a.to_string());
    }
    for s in &r.sections {
        want.push(s.title.to_string());
        for p in &s.points {
            want.push(p.title.to_string());
        }
    }
    if let Some(c) = &r.contact {
        want.extend(c.phone.iter().map(|p| p.to_string()));
        want.extend(c.email.iter().map(|p| p.to_string()));
    }
    want.into_iter().map(|w| squash(&w)).collect()
}

fn check_both(name: &str, template: &str, want: &[String]) {
    let dir = tempdir();
    let (pdf, docx) = render(&sample(name), template, dir.path());
    let probe = probe(&pdf);
    let pdf_text = pdf_text(&probe);
    let docx_text = docx_text(&docx);
    for w in want {
        assert!(pdf_text.contains(w.as_str()), "{name}/{template}: PDF lacks “{w}”");
        assert!(docx_text.contains(w.as_str()), "{name}/{template}: DOCX lacks “{w}”");
    }
    assert_eq!(pdf_text, docx_text, "{name}/{template}: PDF and DOCX texts differ");
    assert_eq!(probe["notdef"], 0, "{name}/{template}: tofu in the PDF");
    assert!(probe["fonts"].as_array().unwrap().iter().all(|f| f["embedded"] == true), "fonts not embedded");
    assert_docx_xml_parses(&docx);
}

#[test]
fn half_year_report_of_every_sample() {
    for name in SAMPLES {
        check_both(name, "half-year", &half_year_expectations(&load(name)));
    }
}

#[test]
fn media_submission_of_every_sample() {
    for name in SAMPLES {
        check_both(name, "media", &media_expectations(&load(name)));
    }
}

#[test]
fn rare_name_characters_print_with_real_glyphs() {
    let dir = tempdir();
    let data = dir.path().join("names.yaml");
    std::fs::write(
        &data,
        "organization:\n  name: 测试单位\nperiod:\n  label: 2025年上半年\ndate: 2025-07-10\nauthor: 王堃 李喆 张珺\n\
         title: 堃喆珺昇翀的报告\nlead: 支部书记王堃、李喆、张珺、陈昇、赵翀参加。\n",
    )
    .unwrap();
    let (pdf, docx) = render(&data, "media", &dir.path().join("out"));
    let probe = probe(&pdf);
    assert_eq!(probe["notdef"], 0);
    let text = pdf_text(&probe);
    for c in ["堃", "喆", "珺", "昇", "翀"] {
        assert!(text.contains(c), "{c} missing from the PDF text");
    }
    assert!(docx_text(&docx).contains("王堃、李喆、张珺"));
}

#[test]
fn prints_the_written_paths_and_nothing_else_on_stdout() {
    let dir = tempdir();
    let o = run(&[
        "render",
        sample("qdn-renda.yaml").to_str().unwrap(),
        "-t",
        "media",
        "-f",
        "pdf",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(lines[0].ends_with("qdn-renda-media.pdf"));
    assert_eq!(files_in(dir.path()), ["qdn-renda-media.pdf"]);
}

#[test]
fn templates_lists_the_built_ins() {
    let o = run(&["templates"]);
    assert!(o.status.success());
    let out = stdout(&o);
    for t in ["half-year", "media", "bulletin", "branch-summary"] {
        assert!(out.lines().any(|l| l.starts_with(t) && l.len() > t.len() + 4), "{t} not listed: {out}");
    }
}
