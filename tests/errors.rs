//! Bad data gets a clear error with file, line, column and field, exit
//! status 2, and no output file.

mod common;

use common::*;

const HEAD: &str = "organization:\n  name: 某某县民政局机关\nperiod:\n  label: 2025年上半年\n";

/// Renders `yaml` as a data file; returns (exit code, stderr, files left).
fn render_bad(yaml: &str, lang: &str) -> (i32, String, Vec<String>) {
    let dir = tempdir();
    let data = dir.path().join("bad.yaml");
    std::fs::write(&data, yaml).unwrap();
    let out = dir.path().join("out");
    let o = run(&["--lang", lang, "render", data.to_str().unwrap(), "-t", "half-year", "-o", out.to_str().unwrap()]);
    (o.status.code().unwrap_or(-1), stderr(&o), files_in(&out))
}

#[test]
fn typo_in_a_field_name_suggests_the_right_one() {
    let yaml = format!("{HEAD}sections:\n  - title: 强化理论武装\n    points:\n      - titel: 健全学习机制\n");
    let (code, err, files) = render_bad(&yaml, "en");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown field `titel`"), "{err}");
    assert!(err.contains("bad.yaml:8:9"), "{err}");
    assert!(err.contains("sections[0].points[0].titel"), "{err}");
    assert!(err.contains("did you mean `title`"), "{err}");
    assert!(files.is_empty(), "{files:?}");
}

#[test]
fn yaml_syntax_error_names_line_and_column() {
    let yaml = "organization:\n  name: 某某\n period:\n  label: x\n";
    let (code, err, files) = render_bad(yaml, "zh");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bad.yaml:3:2"), "{err}");
    assert!(err.contains("缩进"), "{err}");
    assert!(files.is_empty());
}

#[test]
fn impossible_date_is_an_error_at_its_position() {
    let yaml = format!("{HEAD}date: 2025-13-45\n");
    let (code, err, files) = render_bad(&yaml, "en");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bad.yaml:5:7"), "{err}");
    assert!(err.contains("2025-13-45"), "{err}");
    assert!(err.contains("no month 13"), "{err}");
    assert!(files.is_empty());
}

#[test]
fn activity_naming_a_missing_branch() {
    let yaml = format!(
        "{HEAD}branches:\n  - name: 第一党支部\nactivities:\n  - date: 2025-03-05\n    title: 学习\n    branch: 第一支部\n"
    );
    let (code, err, _) = render_bad(&yaml, "en");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bad.yaml:10:13"), "{err}");
    assert!(err.contains("activities[0].branch"), "{err}");
    assert!(err.contains("第一党支部"), "{err}");
}

#[test]
fn wrong_type_says_what_was_expected() {
    let yaml = format!("{HEAD}activities:\n  - date: 2025-03-05\n    title: 学习\n    participants: 很多\n");
    let (code, err, _) = render_bad(&yaml, "zh");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bad.yaml:8:19"), "{err}");
    assert!(err.contains("应是整数") && err.contains("很多"), "{err}");
    assert!(err.contains("activities[0].participants"), "{err}");
}

#[test]
fn missing_required_field() {
    let (code, err, _) = render_bad("organization:\n  short: 某某\nperiod:\n  label: x\n", "en");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("required field `name`"), "{err}");
    assert!(err.contains("organization.name"), "{err}");
    assert!(err.contains("bad.yaml:1:1"), "{err}");
}

#[test]
fn no_panic_and_no_stack_trace_on_garbage() {
    for garbage in
        ["", "\u{0}\u{1}\u{2}", "- - - [", "{{{", "organization: [1, 2]\nperiod: 3\n", "---\na: 1\n---\nb: 2\n"]
    {
        let (code, err, files) = render_bad(garbage, "en");
        assert_eq!(code, 2, "{garbage:?}: {err}");
        assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{err}");
        assert!(err.contains("bad.yaml"), "{garbage:?}: {err}");
        assert!(files.is_empty());
    }
}
