//! `jianbao batch`: one document per branch or per data file, failures
//! reported without stopping the rest, shards, output names.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use jianbao::model::{self, LoadOptions};

fn batch(args: &[&str]) -> std::process::Output {
    let mut all = vec!["--lang", "en", "batch"];
    all.extend_from_slice(args);
    run(&all)
}

/// A folder `in` under `dir` with the sample `qdn-renda.yaml` as
/// `<name>.yaml` for each of `names`.
fn copies_of_a_sample(dir: &Path, names: &[&str]) -> std::path::PathBuf {
    let input = dir.join("in");
    std::fs::create_dir(&input).unwrap();
    for name in names {
        std::fs::copy(sample("qdn-renda.yaml"), input.join(format!("{name}.yaml"))).unwrap();
    }
    input
}

#[test]
fn one_summary_per_branch_with_only_its_own_activities() {
    let data = sample("county-civil-affairs.yaml");
    let report = model::load(&data, LoadOptions::default()).unwrap().report;
    assert!(report.branches.len() >= 5);
    let dir = tempdir();
    let o = batch(&[data.to_str().unwrap(), "-t", "branch-summary", "-o", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = files_in(dir.path());
    assert_eq!(files.len(), 2 * report.branches.len(), "{files:?}");
    for b in &report.branches {
        let pdf = dir.path().join(format!("{}.pdf", b.name));
        let docx = dir.path().join(format!("{}.docx", b.name));
        let pdf_text = pdf_text(&probe(&pdf));
        let docx_text = docx_text(&docx);
        // A title that wraps in its table cell is split in the PDF's
        // reading order (row by row): the PDF is checked on a prefix.
        for (text, len) in [(&pdf_text, 8), (&docx_text, usize::MAX)] {
            assert!(text.contains(b.name.as_str()), "{}: name missing", b.name);
            if let Some(s) = &b.secretary {
                assert!(text.contains(s.as_str()), "{}: secretary missing", b.name);
            }
            for a in &report.activities {
                let mine = a.branch.as_deref() == Some(b.name.as_str());
                let title: String = squash(&a.title).chars().take(len).collect();
                assert_eq!(
                    text.contains(&title),
                    mine,
                    "{}: activity “{}” (of {:?}) {}",
                    b.name,
                    a.title,
                    a.branch,
                    if mine { "missing" } else { "should not be here" }
                );
            }
        }
    }
}

#[test]
fn a_broken_file_does_not_stop_the_others() {
    let dir = tempdir();
    let input = copies_of_a_sample(dir.path(), &["a", "b", "c"]);
    std::fs::write(input.join("broken.yaml"), "organization:\n  name: 某某\nperiod:\n  label: x\ndate: 2025-13-01\n")
        .unwrap();
    let out = dir.path().join("out");
    let o = batch(&[input.to_str().unwrap(), "-t", "media", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("broken.yaml:5:7"), "{err}");
    assert!(err.contains("rendered 3 of 4"), "{err}");
    assert_eq!(
        files_in(&out),
        ["a-media.docx", "a-media.pdf", "b-media.docx", "b-media.pdf", "c-media.docx", "c-media.pdf"]
    );
}

#[test]
fn a_unit_whose_file_cannot_be_named_fails_alone_and_leaves_nothing() {
    // A folder where one unit's PDF should go: its files are written and
    // made durable by the thread that names them, which then cannot name
    // the PDF. That unit fails (with the path), its DOCX is not named
    // either, every other unit is written.
    let dir = tempdir();
    let input = copies_of_a_sample(dir.path(), &["a", "b", "c"]);
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("b-media.pdf")).unwrap();
    let o = batch(&[input.to_str().unwrap(), "-t", "media", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("b-media.pdf"), "{err}");
    assert!(err.contains("rendered 2 of 3"), "{err}");
    assert_eq!(files_in(&out), ["a-media.docx", "a-media.pdf", "b-media.pdf", "c-media.docx", "c-media.pdf"]);
    assert!(out.join("b-media.pdf").is_dir());
}

#[test]
fn shards_together_make_the_whole_set_without_overlap() {
    let data = sample("county-civil-affairs.yaml");
    let dir = tempdir();
    let whole = dir.path().join("whole");
    assert!(
        batch(&[data.to_str().unwrap(), "-t", "branch-summary", "-q", "-f", "pdf", "-o", whole.to_str().unwrap()])
            .status
            .success()
    );
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for k in 1..=3 {
        let out = dir.path().join(format!("shard{k}"));
        let shard = format!("{k}/3");
        let o = batch(&[
            data.to_str().unwrap(),
            "-t",
            "branch-summary",
            "-q",
            "-f",
            "pdf",
            "--shard",
            &shard,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let files = files_in(&out);
        total += files.len();
        seen.extend(files);
    }
    assert_eq!(total, seen.len(), "shards overlap");
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), files_in(&whole));
}

#[test]
fn output_names_come_from_the_pattern_and_are_made_safe() {
    let data = sample("county-civil-affairs.yaml");
    let dir = tempdir();
    let o = batch(&[
        data.to_str().unwrap(),
        "-t",
        "branch-summary",
        "-q",
        "-f",
        "docx",
        "--name",
        "{{ branch.name }}/{{ period.label }}: 总结",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = files_in(dir.path());
    assert!(files.iter().all(|f| f.ends_with("_2025年上半年_ 总结.docx")), "{files:?}");
}

#[test]
fn two_units_with_the_same_name_are_refused_before_anything_is_written() {
    let data = sample("county-civil-affairs.yaml");
    let dir = tempdir();
    let out = dir.path().join("out");
    let o = batch(&[
        data.to_str().unwrap(),
        "-t",
        "branch-summary",
        "--name",
        "{{ period.label }}",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("would both be written to"), "{}", stderr(&o));
    assert!(!Path::new(&out).exists() || files_in(&out).is_empty());
}

#[test]
fn bulletin_carries_masthead_and_distribution() {
    let data = sample("county-civil-affairs.yaml");
    let report = model::load(&data, LoadOptions::default()).unwrap().report;
    let b = report.bulletin.as_ref().expect("the sample has a bulletin");
    let dir = tempdir();
    let (pdf, docx) = render(&data, "bulletin", dir.path());
    let mut want = vec![b.name.to_string(), format!("第{}期", b.issue.0), b.editor.to_string()];
    for list in [&b.report_to, &b.send_to, &b.distribute_to] {
        want.extend(list.iter().map(|x| x.to_string()));
    }
    if let Some(c) = b.copies {
        want.push(format!("共印{}份", c.0));
    }
    for label in ["报：", "送：", "发："] {
        want.push(label.to_owned());
    }
    let pdf_text = pdf_text(&probe(&pdf));
    let docx_text = docx_text(&docx);
    for w in want {
        let w = squash(&w);
        assert!(pdf_text.contains(&w), "PDF lacks {w}");
        assert!(docx_text.contains(&w), "DOCX lacks {w}");
    }
}

#[test]
fn warnings_of_each_data_file_are_shown_once() {
    let dir = tempdir();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let head = "organization:\n  name: 某某县民政局机关\nperiod:\n  label: 2025年上半年\ndate: 2025-07-10\n";
    // `∙` is normalised to `·` with a warning at its position.
    std::fs::write(input.join("a.yaml"), format!("{head}title: 学习∙实践\nlead: 正文。\n")).unwrap();
    std::fs::write(input.join("b.yaml"), format!("{head}title: 第二份\nlead: 正文。\n")).unwrap();
    let out = dir.path().join("out");
    let o = batch(&[input.to_str().unwrap(), "-t", "media", "-q", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("a.yaml:6:10").count(), 1, "{err}");
    assert!(!err.contains("b.yaml"), "{err}");
}
