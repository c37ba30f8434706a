//! Same input, same bytes: two runs, and batches with one or two jobs, give
//! byte-identical PDFs and DOCX files; the document date, never the clock,
//! dates them. And nothing is ever half-written, even when a batch is
//! killed.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

fn read(p: &std::path::Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn two_runs_give_the_same_bytes() {
    let dir = tempdir();
    for template in ["half-year", "bulletin"] {
        let (pdf1, docx1) = render(&sample("qdn-renda.yaml"), template, &dir.path().join("one"));
        let (pdf2, docx2) = render(&sample("qdn-renda.yaml"), template, &dir.path().join("two"));
        assert!(read(&pdf1) == read(&pdf2), "{template}: PDFs differ");
        assert!(read(&docx1) == read(&docx2), "{template}: DOCX files differ");
    }
}

/// On two or more cores this also compares a unit's PDF and DOCX written
/// at the same time (one job leaves a core free) with written one after the
/// other (two jobs keep both busy; `batch::run`, `at_once`).
#[test]
fn one_job_or_two_give_the_same_bytes() {
    let dir = tempdir();
    let data = sample("county-civil-affairs.yaml");
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("jobs{jobs}"));
        let o = run(&[
            "batch",
            data.to_str().unwrap(),
            "-t",
            "branch-summary",
            "-q",
            "--jobs",
            jobs,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        outputs.push(out);
    }
    let names = files_in(&outputs[0]);
    assert!(!names.is_empty());
    assert_eq!(names, files_in(&outputs[1]));
    for n in names {
        assert!(read(&outputs[0].join(&n)) == read(&outputs[1].join(&n)), "{n} differs between --jobs 1 and 2");
    }
}

#[test]
fn the_document_date_dates_the_files() {
    let dir = tempdir();
    let (pdf, docx) = render(&sample("qdn-renda.yaml"), "media", dir.path());
    let meta = &probe(&pdf)["metadata"];
    assert!(meta["creationDate"].as_str().unwrap().starts_with("D:20230710"), "{meta}");
    let core = docx_part(&docx, "docProps/core.xml");
    assert!(core.contains("2023-07-10T00:00:00Z"), "{core}");

    // Without a date in the data, SOURCE_DATE_EPOCH dates the files.
    let data = dir.path().join("undated.yaml");
    std::fs::write(&data, "organization:\n  name: 测试单位\nperiod:\n  label: 2025年上半年\nlead: 正文。\n").unwrap();
    let out = dir.path().join("epoch");
    let o = jianbao()
        .env("SOURCE_DATE_EPOCH", "1752105600")
        .args(["render", data.to_str().unwrap(), "-t", "media", "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let meta = &probe(&out.join("undated-media.pdf"))["metadata"];
    assert!(meta["creationDate"].as_str().unwrap().starts_with("D:20250710"), "{meta}");
    assert!(docx_part(&out.join("undated-media.docx"), "docProps/core.xml").contains("2025-07-10T00:00:00Z"));
}

/// A PDF is complete when it ends with its trailer; a DOCX when its ZIP
/// directory reads and every part unpacks.
fn complete(path: &std::path::Path) -> bool {
    let bytes = read(path);
    match path.extension().and_then(|e| e.to_str()) {
        Some("pdf") => bytes.starts_with(b"%PDF-") && bytes.windows(5).rev().take(64).any(|w| w == b"%%EOF"),
        Some("docx") => {
            let Ok(mut z) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return false };
            (0..z.len()).all(|i| z.by_index(i).is_ok_and(|mut e| std::io::copy(&mut e, &mut std::io::sink()).is_ok()))
        }
        _ => false,
    }
}

#[test]
fn a_killed_batch_leaves_only_complete_files() {
    // A folder of many data files: a batch long enough to kill mid-way.
    let dir = tempdir();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for i in 0..60 {
        std::fs::copy(sample("qdn-renda.yaml"), input.join(format!("r{i:02}.yaml"))).unwrap();
    }
    let out = dir.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["batch", input.to_str().unwrap(), "-t", "half-year", "-q", "-o", out.to_str().unwrap()])
        .spawn()
        .unwrap();
    // Wait until some documents are written, then SIGKILL.
    let started = Instant::now();
    while files_in(&out).len() < 6 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let files = files_in(&out);
    assert!(!files.is_empty(), "nothing was written before the kill");
    assert!(files.len() < 120, "the batch finished before it was killed: make it longer");
    for f in &files {
        assert!(f.ends_with(".pdf") || f.ends_with(".docx"), "stray file {f}");
        assert!(!f.starts_with('.'), "temporary file {f} left behind");
        assert!(complete(&out.join(f)), "{f} is incomplete");
    }
}
