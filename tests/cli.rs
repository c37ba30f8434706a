//! The commands around `render`, run as a user would: messages in both
//! languages, `check`, `init`, `schema`, `watch`, `completions`, and the
//! PDF and DOCX behaving like real office and archive files.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use common::*;

const HEAD: &str = "organization:\n  name: 某某县民政局机关\nperiod:\n  label: 2025年上半年\ndate: 2025-07-10\n";

#[test]
fn the_same_error_in_chinese_by_default_and_in_english_on_request() {
    let dir = tempdir();
    let data = dir.path().join("bad.yaml");
    std::fs::write(
        &data,
        format!("{HEAD}activities:\n  - date: 2025-03-05\n    title: 学习\n    participants: 很多\n"),
    )
    .unwrap();
    let path = data.to_str().unwrap();
    let zh = run(&["check", path]);
    let en_before = run(&["--lang", "en", "check", path]);
    let en_after = run(&["check", path, "--lang", "en"]);
    let en_locale = jianbao().args(["check", path]).env("LANG", "en_US.UTF-8").output().unwrap();
    for o in [&zh, &en_before, &en_after, &en_locale] {
        assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
        // Line and column, then the line itself with a caret under column 19.
        assert!(stderr(o).contains("bad.yaml:9:19"), "{}", stderr(o));
        assert!(stderr(o).contains("participants: 很多"), "{}", stderr(o));
        assert!(stderr(o).lines().any(|l| l.trim_start().starts_with('|') && l.contains('^')), "{}", stderr(o));
    }
    assert!(stderr(&zh).contains("应是整数"), "{}", stderr(&zh));
    assert!(!stderr(&zh).contains("expected"), "{}", stderr(&zh));
    for o in [&en_before, &en_after, &en_locale] {
        assert!(stderr(o).contains("expected a whole number"), "{}", stderr(o));
    }
}

#[test]
fn help_and_usage_errors_follow_the_language() {
    let zh = run(&["render", "--help"]);
    assert!(zh.status.success());
    assert!(stdout(&zh).contains("用法：") && stdout(&zh).contains("输出文件夹"), "{}", stdout(&zh));
    let en = run(&["--lang", "en", "render", "--help"]);
    assert!(stdout(&en).contains("Usage:") && stdout(&en).contains("Output folder"), "{}", stdout(&en));
    // The exit codes are documented in the top-level help.
    let top = stdout(&run(&["--help"]));
    for line in ["2   数据文件有误", "3   模板有误", "64  命令行用法有误"] {
        assert!(top.contains(line), "{top}");
    }
    let typo = run(&["rendr"]);
    assert_eq!(typo.status.code(), Some(64));
    assert!(stderr(&typo).contains("没有“rendr”这个命令") && stderr(&typo).contains("render"), "{}", stderr(&typo));
    let typo = run(&["--lang", "en", "rendr"]);
    assert!(stderr(&typo).contains("unrecognized subcommand"), "{}", stderr(&typo));
}

#[test]
fn check_writes_nothing_and_counts_the_pages_render_makes() {
    let dir = tempdir();
    // A broken file: non-zero, the error, and no file anywhere.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, format!("{HEAD}title: 标题\nactivities:\n  - date: 2025-02-30\n    title: 学习\n")).unwrap();
    let before = files_in(dir.path());
    let o = jianbao().current_dir(dir.path()).args(["check", "bad.yaml", "-t", "half-year"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("bad.yaml:8:11"), "{}", stderr(&o));
    assert_eq!(files_in(dir.path()), before);

    // A good file: the report, the same page count as the PDF render
    // writes, and still nothing written.
    let data = sample("qdn-renda.yaml");
    let o =
        jianbao().current_dir(dir.path()).args(["check", data.to_str().unwrap(), "-t", "half-year"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files_in(dir.path()), before);
    let report = stdout(&o);
    let pages: usize = report
        .lines()
        .find_map(|l| l.strip_prefix("模板 half-year：").and_then(|r| r.strip_suffix(" 页")))
        .unwrap_or_else(|| panic!("no page count: {report}"))
        .parse()
        .unwrap();
    assert!(
        report.contains("统计：活动") && report.contains("用到的字体") && report.contains("结论：可以生成"),
        "{report}"
    );
    let (pdf, _) = render(&data, "half-year", &dir.path().join("out"));
    assert_eq!(probe(&pdf)["pages"].as_array().unwrap().len(), pages);
}

#[test]
fn check_reports_every_branch_of_a_per_branch_template() {
    let data = sample("county-civil-affairs.yaml");
    let o = run(&["--lang", "en", "check", data.to_str().unwrap(), "-t", "branch-summary"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<String> =
        stdout(&o).lines().filter(|l| l.starts_with("template branch-summary (")).map(str::to_owned).collect();
    assert_eq!(lines.len(), 6, "{}", stdout(&o));
    assert!(lines.iter().all(|l| l.ends_with("page(s)")), "{lines:?}");
}

fn yaml_to_json(path: &Path) -> serde_json::Value {
    serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_schema_validates_the_samples_and_rejects_a_typo() {
    let o = run(&["schema"]);
    assert!(o.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    // Chinese descriptions, down to nested fields.
    assert!(schema["properties"]["lead"]["description"].as_str().unwrap().contains("导语"));
    assert!(schema["$defs"]["Activity"]["properties"]["participants"]["description"].is_string());
    // The copy beside the samples (which their first line points editors
    // at) is the generated one: it cannot drift from the types.
    let committed = std::fs::read(root().join("data/jianbao.schema.json")).unwrap();
    assert!(
        committed == o.stdout,
        "data/jianbao.schema.json is stale: run `jianbao schema -o data/jianbao.schema.json`"
    );

    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let mut samples = 0;
    for entry in std::fs::read_dir(root().join("data")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.starts_with("# yaml-language-server: $schema=jianbao.schema.json\n"), "{}", path.display());
            let errors: Vec<String> = validator.iter_errors(&yaml_to_json(&path)).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            samples += 1;
        }
    }
    assert!(samples >= 2);

    let dir = tempdir();
    let typo = dir.path().join("typo.yaml");
    std::fs::write(&typo, format!("{HEAD}sections:\n  - titel: 强化理论武装\n")).unwrap();
    let errors: Vec<String> = validator.iter_errors(&yaml_to_json(&typo)).map(|e| e.to_string()).collect();
    assert!(errors.iter().any(|e| e.contains("titel")), "{errors:?}");
}

#[test]
fn init_makes_a_project_that_renders_without_edits() {
    let dir = tempdir();
    let project = dir.path().join("新项目");
    let o = run(&["init", project.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("jianbao render report.yaml -t half-year"), "{}", stdout(&o));
    for f in ["report.yaml", "jianbao.toml", "jianbao.schema.json", "templates/half-year.j2", "templates/_macros.j2"] {
        assert!(project.join(f).is_file(), "{f}");
    }
    let o = jianbao().current_dir(&project).args(["render", "report.yaml", "-t", "half-year"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(project.join("out/report-half-year.pdf").is_file() && project.join("out/report-half-year.docx").is_file());
    // render names the files it wrote; with -q it prints nothing.
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));
    assert!(stdout(&o).contains("report-half-year.docx"), "{}", stdout(&o));
    let o = jianbao().current_dir(&project).args(["render", "report.yaml", "-t", "bulletin", "-q"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "render -q");
    assert!(project.join("out/report-bulletin.pdf").is_file());
    // The copied templates are the ones used: an edit shows in the output.
    let t = project.join("templates/media.j2");
    let edited = std::fs::read_to_string(&t).unwrap().replacen("{{", "本单位自定义模板。\n\n{{", 1);
    std::fs::write(&t, edited).unwrap();
    let o =
        jianbao().current_dir(&project).args(["render", "report.yaml", "-t", "media", "-f", "docx"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(docx_text(&project.join("out/report-media.docx")).contains("本单位自定义模板。"));

    // A second init into the same folder changes nothing.
    let before = std::fs::read(project.join("report.yaml")).unwrap();
    let o = run(&["init", project.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stderr(&o).contains("未做任何改动"), "{}", stderr(&o));
    assert_eq!(std::fs::read(project.join("report.yaml")).unwrap(), before);
}

/// Reads the child's stdout lines on a thread, so the test can wait for a
/// line with a timeout.
fn lines_of(child: &mut std::process::Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits for a `[run N] <what>` line with N ≥ `after` + 1 and returns N. A
/// slow machine may split one save into two events (two runs): the runs
/// in between are skipped, not failed.
fn wait_for(rx: &mpsc::Receiver<String>, after: usize, what: &str) -> usize {
    loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => {
                let Some((n, rest)) = line.strip_prefix("[run ").and_then(|l| l.split_once("] ")) else { continue };
                let n: usize = n.parse().unwrap_or(0);
                if n > after && rest.starts_with(what) {
                    return n;
                }
            }
            Err(e) => panic!("no line “[run N] {what}” with N > {after}: {e}"),
        }
    }
}

#[test]
fn watch_renders_again_after_a_change_and_keeps_the_last_good_output() {
    let dir = tempdir();
    let data = dir.path().join("watched.yaml");
    std::fs::write(&data, format!("{HEAD}title: 第一稿\nlead: 正文。\n")).unwrap();
    let out = dir.path().join("out");
    let mut child = jianbao()
        .args(["--lang", "en", "watch", data.to_str().unwrap(), "-t", "media", "-f", "docx"])
        .args(["-o", out.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rx = lines_of(&mut child);
    let docx = out.join("watched-media.docx");
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let run = wait_for(&rx, 0, "rendered");
        assert!(docx_text(&docx).contains("第一稿"));
        // A render (not a batch) runs without transparent huge pages
        // (src/main.rs): Linux shows it in THP_enabled, where it has it.
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
            && let Some(line) = status.lines().find(|l| l.starts_with("THP_enabled:"))
        {
            assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
        }
        // Reading the files (jianbao's own reads, a viewer's) is no change.
        let _ = std::fs::read(&data).unwrap();
        let quiet = rx.recv_timeout(Duration::from_millis(1500));
        assert!(quiet.is_err(), "rendered again with no change: {quiet:?}");

        // Editors save by writing a new file and renaming it over the old.
        let tmp = dir.path().join(".watched.yaml.swp");
        std::fs::write(&tmp, format!("{HEAD}title: 第二稿\nlead: 正文。\n")).unwrap();
        std::fs::rename(&tmp, &data).unwrap();
        let run = wait_for(&rx, run, "rendered");
        assert!(docx_text(&docx).contains("第二稿"));

        // A broken save: the error is reported, watching goes on, and the
        // last good file stays.
        std::fs::write(&data, format!("{HEAD}title: [第三稿\n")).unwrap();
        let run = wait_for(&rx, run, "errors");
        assert!(docx_text(&docx).contains("第二稿"));
        // A picture the data names is watched too.
        let photo = dir.path().join("chart.png");
        std::fs::copy(root().join("data/photos/service-chart.png"), &photo).unwrap();
        let with_photo = "sections:\n  - title: 一\n    images:\n      - path: chart.png\n        caption: 图为示意\n";
        std::fs::write(&data, format!("{HEAD}title: 第四稿\nlead: 正文。\n{with_photo}")).unwrap();
        let run = wait_for(&rx, run, "rendered");
        assert!(docx_text(&docx).contains("第四稿"));
        let media = |docx: &Path| {
            docx_parts(docx).into_iter().find(|(n, _)| n.starts_with("word/media/")).map(|(_, b)| b).unwrap()
        };
        assert_eq!(media(&docx), std::fs::read(&photo).unwrap());
        std::fs::copy(root().join("data/photos/meeting-room.jpg"), &photo).unwrap();
        wait_for(&rx, run, "rendered");
        assert_eq!(media(&docx), std::fs::read(&photo).unwrap());
    }));
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    if let Err(e) = result {
        eprintln!("watch stderr: {}", String::from_utf8_lossy(&output.stderr));
        std::panic::resume_unwind(e);
    }
    assert!(String::from_utf8_lossy(&output.stderr).contains("watched.yaml:6:"));
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef jianbao"),
        ("fish", "complete -c jianbao"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = run(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.contains(marker), "{shell}");
        for sub in ["render", "batch", "check", "watch", "init", "schema"] {
            assert!(script.contains(sub), "{shell}: {sub}");
        }
    }
    // zsh and fish show the help text beside each option: in Chinese.
    assert!(stdout(&run(&["completions", "fish"])).contains("输出文件夹"));
}

#[test]
fn pdf_outline_metadata_tags_and_docx_properties() {
    let dir = tempdir();
    let data = sample("county-civil-affairs.yaml");
    let (pdf, docx) = render(&data, "half-year", dir.path());
    let p = probe(&pdf);
    // Every level-1 heading of the text is a top-level bookmark, in order.
    let outline: Vec<(u64, String)> = p["outline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e[0].as_u64().unwrap(), e[1].as_str().unwrap().to_owned()))
        .collect();
    let level1: Vec<&str> = outline.iter().filter(|(l, _)| *l == 1).map(|(_, t)| t.as_str()).collect();
    assert_eq!(level1, ["一、上半年工作开展情况", "二、存在的问题", "三、下半年工作打算"], "{outline:?}");
    let text = squash(&pdf_text(&p));
    for (_, title) in &outline {
        assert!(text.contains(&squash(title)), "{title}");
    }
    assert!(outline.iter().any(|(l, _)| *l == 2));
    let meta = &p["metadata"];
    assert_eq!(meta["title"], "党建引领兜底线 用心用情惠民生");
    assert_eq!(meta["subject"], "half-year");
    assert!(meta["keywords"].as_str().unwrap().contains("某某县民政局机关"));
    assert!(meta["creationDate"].as_str().unwrap().starts_with("D:20250710"));
    // Tagged for accessibility, with the document language.
    assert!(p["catalog"]["StructTreeRoot"].as_bool().unwrap() && p["catalog"]["MarkInfo"].as_bool().unwrap());
    assert!(p["catalog"]["Lang"].as_bool().unwrap());

    let core = docx_part(&docx, "docProps/core.xml");
    assert!(core.contains("<dc:title>党建引领兜底线 用心用情惠民生</dc:title>"), "{core}");
    assert!(core.contains("2025-07-10T00:00:00Z"), "{core}");
    let styles = docx_part(&docx, "word/styles.xml");
    for name in ["heading 1", "heading 2", "Title"] {
        assert!(styles.contains(&format!("w:name w:val=\"{name}\"")), "{name}");
    }
}

#[test]
fn pdf_a_2b_for_archives() {
    let dir = tempdir();
    let data = sample("qdn-renda.yaml");
    let o = run(&[
        "render",
        data.to_str().unwrap(),
        "-t",
        "media",
        "-f",
        "pdf",
        "--pdf-standard",
        "a-2b",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p = probe(&dir.path().join("qdn-renda-media.pdf"));
    let xmp = p["xmp"].as_str().unwrap();
    assert!(
        xmp.contains("<pdfaid:part>2</pdfaid:part>") && xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{xmp}"
    );
    assert!(p["catalog"]["OutputIntents"].as_bool().unwrap());
    assert!(p["fonts"].as_array().unwrap().iter().all(|f| f["embedded"].as_bool().unwrap()));
}
