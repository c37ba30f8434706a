//! The corpus of broken inputs: every case under `tests/corpus/` gives
//! exactly the error `tests/corpus/expect.toml` states for it — exit status,
//! the whole first line of the message, `file:line:col`, field and help —
//! with no output file, no panic and no stack trace, in a few seconds.
//!
//! A case is named once and found by its name:
//!
//! - `tests/corpus/data/NAME.yaml`: a data file, rendered with the case's
//!   template (`half-year` unless `template` says otherwise);
//! - `tests/corpus/templates/NAME/`: a folder of templates passed with
//!   `--templates NAME`, rendered with `tests/corpus/base.yaml` (or with
//!   `data/NAME.yaml` when there is one);
//! - [`generated`] below: inputs that are big, binary or in another
//!   encoding (20 MB, PNG, GBK, BOM, CRLF, control characters), written at
//!   run time instead of being committed.
//!
//! Each case runs in its own temporary folder, with relative paths, so
//! positions read `NAME.yaml:5:7` or `NAME/half-year.j2:4:1` — as the user
//! sees them. When a case fails, the message shows the actual result as a
//! TOML table, ready to compare with (or, after review, paste into)
//! `expect.toml`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use serde::Deserialize;

/// A run slower than this fails the test: runaway templates and huge files
/// must be stopped within a few seconds (real runs take well under one).
const TIME_LIMIT: Duration = Duration::from_secs(10);

/// What one case must produce (a table of `expect.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// Exit status: 2 data, 3 template, 0 for inputs that must work.
    exit: i32,
    /// The template to render with.
    #[serde(default = "half_year")]
    template: String,
    /// The whole first line of the first error message, in English.
    message: Option<String>,
    /// `file:line:col` of the first error, exactly; `""` when the error
    /// has no position (allowed only with `no_position` or `gap` saying why).
    at: Option<String>,
    /// Why an error rightly has no position (e.g. a name given on the
    /// command line).
    no_position: Option<String>,
    /// The field path, exactly; absent means the error names none.
    field: Option<String>,
    /// A part of the help line; absent means there is no help line.
    help: Option<String>,
    /// The whole first line of the message with `--lang zh`.
    zh_message: Option<String>,
    /// A part of a warning that must be printed (e.g. the GBK warning).
    warning: Option<String>,
    /// How many errors are reported, when more than one.
    errors: Option<usize>,
    /// A known shortcoming of the current message (reported, not tested).
    gap: Option<String>,
}

fn half_year() -> String {
    "half-year".into()
}

/// One diagnostic as printed on stderr.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Printed {
    message: String,
    at: Option<String>,
    field: Option<String>,
    help: Option<String>,
}

/// What a run printed: error and warning diagnostics, in order.
#[derive(Debug, Default)]
struct Diagnostics {
    errors: Vec<Printed>,
    warnings: Vec<Printed>,
}

/// Labels of the rustc-style display (src/error.rs), per language.
struct Labels {
    error: &'static str,
    warning: &'static str,
    note: &'static str,
    field: &'static str,
    help: &'static str,
}

const EN: Labels =
    Labels { error: "error: ", warning: "warning: ", note: "note: ", field: "= field: ", help: "= help: " };
const ZH: Labels = Labels {
    error: "错误：", warning: "警告：", note: "提示：", field: "= 字段：", help: "= 怎么办："
};

/// Splits stderr into diagnostics: a label at the start of a line opens
/// one; `-->`, `= field` and `= help` lines belong to the last one.
fn parse_stderr(stderr: &str, l: &Labels) -> Diagnostics {
    let mut out = Diagnostics::default();
    // (is_error, diagnostic) of the one being read.
    let mut cur: Option<(bool, Printed)> = None;
    let flush = |cur: &mut Option<(bool, Printed)>, out: &mut Diagnostics| {
        if let Some((is_error, d)) = cur.take() {
            if is_error { out.errors.push(d) } else { out.warnings.push(d) }
        }
    };
    for line in stderr.lines() {
        let opened = [(l.error, Some(true)), (l.warning, Some(false)), (l.note, None)]
            .into_iter()
            .find_map(|(label, kind)| line.strip_prefix(label).map(|rest| (kind, rest)));
        if let Some((kind, rest)) = opened {
            flush(&mut cur, &mut out);
            cur = kind.map(|is_error| (is_error, Printed { message: rest.to_owned(), ..Printed::default() }));
            continue;
        }
        let Some((_, d)) = cur.as_mut() else { continue };
        let t = line.trim_start();
        if let Some(at) = t.strip_prefix("--> ") {
            d.at.get_or_insert_with(|| at.trim().to_owned());
        } else if let Some(f) = t.strip_prefix(l.field) {
            d.field = Some(f.to_owned());
        } else if let Some(h) = t.strip_prefix(l.help) {
            d.help = Some(h.to_owned());
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// The corpus folder.
fn corpus() -> PathBuf {
    root().join("tests/corpus")
}

/// A valid report head: organisation and period.
const HEAD: &str = "organization:\n  name: 某某县民政局机关\nperiod:\n  label: 2025年上半年\n";

fn gbk(s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
    assert!(!unmappable, "not GBK: {s}");
    bytes.into_owned()
}

fn utf16le_with_bom(s: &str) -> Vec<u8> {
    let mut v = vec![0xFF, 0xFE];
    v.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
    v
}

fn with_bom(s: &str) -> Vec<u8> {
    [b"\xEF\xBB\xBF".as_slice(), s.as_bytes()].concat()
}

fn crlf(s: &str) -> Vec<u8> {
    s.replace('\n', "\r\n").into_bytes()
}

/// Inputs written at run time: too big, binary, or in an encoding that
/// should not depend on how git checks files out.
fn generated() -> BTreeMap<&'static str, Vec<u8>> {
    let mut g: BTreeMap<&'static str, Vec<u8>> = BTreeMap::new();
    // Size: a valid report padded with problems to 20 MB.
    let mut big = format!("{HEAD}problems:\n");
    while big.len() < 20 * 1024 * 1024 {
        big.push_str("  - 理论学习还不够深入，支部活动形式比较单一，需要在下半年加以改进。\n");
    }
    g.insert("file-too-large", big.into_bytes());
    // Binary files given as data: a PNG, and a Word document (a ZIP).
    g.insert("file-binary-png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec());
    let mut docx = b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0".to_vec();
    docx.extend_from_slice(b"[Content_Types].xml\xEC\x97\xCB\x6E\xDB\x30\x10");
    g.insert("file-word-document", docx);
    // Big5 (traditional Chinese), which GBK would read as nonsense.
    let (big5, _, unmappable) = encoding_rs::BIG5
        .encode("organization:\n  name: 臺北市政府民政局\nperiod:\n  label: 2025年上半年\nlead: 本局積極推動各項業務，成果豐碩，謹報告如下。\n");
    assert!(!unmappable);
    g.insert("file-big5", big5.into_owned());
    // Not UTF-8 and not GBK (Latin-1), and UTF-8 text with a NUL byte.
    g.insert("file-latin1", b"organization:\n  name: Caf\xE9 M\xFCller \xFF\nperiod:\n  label: 2025\n".to_vec());
    g.insert("file-nul-byte", format!("{HEAD}title: 上半年\0工作总结\n").into_bytes());
    // GBK: decoded with a warning, so a broken GBK file gets a positioned
    // error (columns in characters) and a valid one renders.
    g.insert(
        "file-gbk-unknown-field",
        gbk(&format!("{HEAD}sections:\n  - title: 强化理论武装\n    points:\n      - titel: 健全学习机制\n")),
    );
    g.insert("file-gbk-tab-indent", gbk(&format!("{HEAD}sections:\n\t- title: 强化理论武装\n")));
    g.insert("file-gbk-colon-in-value", gbk(&format!("{HEAD}title: 上半年工作总结: 聚焦三个强化\n")));
    g.insert("ok-gbk", gbk(&format!("{HEAD}title: 上半年工作总结\nlead: 上半年，机关党建工作稳步推进。\n")));
    // A UTF-8 byte-order mark: dropped, positions unchanged.
    g.insert("file-bom-unknown-field", with_bom(&format!("{HEAD}titel: 上半年工作总结\n")));
    g.insert(
        "file-bom-first-line",
        with_bom("organizaton:\n  name: 某某县民政局机关\nperiod:\n  label: 2025年上半年\n"),
    );
    g.insert("ok-bom", with_bom(&format!("{HEAD}title: 上半年工作总结\n")));
    // UTF-16 with a BOM: converted with a warning.
    g.insert("file-utf16-unknown-field", utf16le_with_bom(&format!("{HEAD}titel: 上半年工作总结\n")));
    g.insert("ok-utf16", utf16le_with_bom(&format!("{HEAD}title: 上半年工作总结\n")));
    // Windows line endings: positions as with LF.
    g.insert("file-crlf-bad-date", crlf(&format!("{HEAD}date: 2025-13-01\n")));
    g.insert(
        "file-crlf-unclosed-quote",
        crlf(&format!("{HEAD}title: \"上半年工作总结\nlead: 上半年，机关党建工作稳步推进。\n")),
    );
    g.insert("ok-crlf", crlf(&format!("{HEAD}title: 上半年工作总结\nlead: |\n  第一段。\n\n  第二段。\n")));
    // Control characters typed or pasted into a value: BEL, and Word's
    // manual line break (U+000B).
    g.insert("file-control-character", format!("{HEAD}title: 上半年\u{7}工作总结\n").into_bytes());
    g.insert(
        "file-vertical-tab",
        format!("{HEAD}lead: 上半年，机关党建工作稳步推进。\u{B}现报告如下。\n").into_bytes(),
    );
    // Deeply nested brackets: no stack overflow.
    let depth = 10_000;
    g.insert("file-deep-nesting", format!("{HEAD}problems: {}{}\n", "[".repeat(depth), "]".repeat(depth)).into_bytes());
    g
}

/// Every case name on disk or generated, with where it comes from.
#[derive(Debug, Default)]
struct Sources {
    data: BTreeSet<String>,
    templates: BTreeSet<String>,
    generated: BTreeMap<&'static str, Vec<u8>>,
    /// Files in the corpus that are no case (wrong extension, strays).
    strays: Vec<String>,
}

fn sources() -> Sources {
    let mut s = Sources { generated: generated(), ..Sources::default() };
    for f in files_in(&corpus().join("data")) {
        match f.strip_suffix(".yaml") {
            Some(name) => {
                s.data.insert(name.to_owned());
            }
            None => s.strays.push(format!("data/{f}")),
        }
    }
    for f in files_in(&corpus().join("templates")) {
        if corpus().join("templates").join(&f).is_dir() {
            s.templates.insert(f);
        } else {
            s.strays.push(format!("templates/{f}"));
        }
    }
    for f in files_in(&corpus()) {
        if !["data", "templates", "base.yaml", "expect.toml"].contains(&f.as_str()) {
            s.strays.push(f);
        }
    }
    s
}

fn expectations() -> BTreeMap<String, Expect> {
    let text = std::fs::read_to_string(corpus().join("expect.toml")).expect("tests/corpus/expect.toml");
    toml::from_str(&text).unwrap_or_else(|e| panic!("tests/corpus/expect.toml: {e}"))
}

/// The result of one run of the CLI.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// Files in the output folder.
    outputs: Vec<String>,
    /// Entries of the case folder other than the inputs.
    strays: Vec<String>,
}

/// Sets up case `name` in a fresh folder and renders it in language `lang`.
fn run_case(name: &str, e: &Expect, src: &Sources, lang: &str) -> Run {
    let dir = tempdir();
    let mut inputs = vec![];
    let data_name = if let Some(bytes) = src.generated.get(name) {
        std::fs::write(dir.path().join(format!("{name}.yaml")), bytes).unwrap();
        format!("{name}.yaml")
    } else if src.data.contains(name) {
        std::fs::copy(corpus().join("data").join(format!("{name}.yaml")), dir.path().join(format!("{name}.yaml")))
            .unwrap();
        format!("{name}.yaml")
    } else {
        std::fs::copy(corpus().join("base.yaml"), dir.path().join("base.yaml")).unwrap();
        "base.yaml".to_owned()
    };
    inputs.push(data_name.clone());
    let mut args = vec!["--lang".to_owned(), lang.to_owned(), "render".to_owned(), data_name];
    args.extend(["-t".to_owned(), e.template.clone(), "-o".to_owned(), "out".to_owned()]);
    if src.templates.contains(name) {
        copy_dir(&corpus().join("templates").join(name), &dir.path().join(name));
        args.extend(["--templates".to_owned(), name.to_owned()]);
        inputs.push(name.to_owned());
    }
    let start = Instant::now();
    let o = jianbao().args(&args).current_dir(dir.path()).env("RUST_BACKTRACE", "1").output().expect("run jianbao");
    let elapsed = start.elapsed();
    let outputs = files_in(&dir.path().join("out"));
    let strays = files_in(dir.path()).into_iter().filter(|f| f != "out" && !inputs.contains(f)).collect();
    Run { code: o.status.code(), stdout: stdout(&o), stderr: stderr(&o), elapsed, outputs, strays }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in files_in(from) {
        std::fs::copy(from.join(&f), to.join(&f)).unwrap();
    }
}

/// The actual result of a case as a TOML table, to compare with the
/// expectation (or to paste into `expect.toml` after review).
fn as_toml(name: &str, e: &Expect, run: &Run, d: &Diagnostics) -> String {
    let q = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let mut t = format!("[{name}]\n");
    if e.template != "half-year" {
        t += &format!("template = {}\n", q(&e.template));
    }
    t += &format!("exit = {}\n", run.code.map_or("none".into(), |c| c.to_string()));
    if let Some(first) = d.errors.first() {
        t += &format!("message = {}\n", q(&first.message));
        t += &format!("at = {}\n", q(first.at.as_deref().unwrap_or("")));
        if let Some(f) = &first.field {
            t += &format!("field = {}\n", q(f));
        }
        if let Some(h) = &first.help {
            t += &format!("help = {}\n", q(h));
        }
    }
    if d.errors.len() > 1 {
        t += &format!("errors = {}\n", d.errors.len());
    }
    t
}

/// Checks one case; returns what is wrong (empty when it passes).
fn check_case(name: &str, e: &Expect, src: &Sources) -> (Vec<String>, Duration) {
    let mut bad = Vec::new();
    let run = run_case(name, e, src, "en");
    let d = parse_stderr(&run.stderr, &EN);
    let mut elapsed = run.elapsed;
    if run.code != Some(e.exit) {
        bad.push(format!("exit status {:?}, expected {}", run.code, e.exit));
    }
    for needle in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        if run.stderr.contains(needle) {
            bad.push(format!("stderr contains “{needle}”"));
        }
    }
    if run.elapsed > TIME_LIMIT {
        bad.push(format!("took {:.1} s", run.elapsed.as_secs_f64()));
    }
    if !run.strays.is_empty() {
        bad.push(format!("files left beside the input: {:?}", run.strays));
    }
    if let Some(w) = &e.warning
        && !d.warnings.iter().any(|p| p.message.contains(w.as_str()))
    {
        bad.push(format!("no warning containing “{w}”"));
    }
    if e.exit == 0 {
        let stem = format!("{}-{}", src_stem(name, src), e.template);
        let want = vec![format!("{stem}.docx"), format!("{stem}.pdf")];
        if run.outputs != want {
            bad.push(format!("outputs {:?}, expected {want:?}", run.outputs));
        }
        if !d.errors.is_empty() {
            bad.push(format!("errors printed: {:?}", d.errors));
        }
    } else {
        if !run.outputs.is_empty() {
            bad.push(format!("output files written: {:?}", run.outputs));
        }
        if !run.stdout.is_empty() {
            bad.push(format!("stdout is not empty: {}", run.stdout));
        }
        match d.errors.first() {
            None => bad.push("no error message".into()),
            Some(first) => {
                if Some(&first.message) != e.message.as_ref() {
                    bad.push(format!("message\n    {:?}\n  expected\n    {:?}", first.message, e.message));
                }
                let at = first.at.clone().unwrap_or_default();
                if Some(&at) != e.at.as_ref() {
                    bad.push(format!("position {at:?}, expected {:?}", e.at));
                }
                if first.field != e.field {
                    bad.push(format!("field {:?}, expected {:?}", first.field, e.field));
                }
                match (&first.help, &e.help) {
                    (Some(h), Some(want)) if h.contains(want.as_str()) => {}
                    (None, None) => {}
                    (h, want) => bad.push(format!("help {h:?}, expected one containing {want:?}")),
                }
            }
        }
        if d.errors.len() != e.errors.unwrap_or(1) {
            bad.push(format!("{} errors reported, expected {}", d.errors.len(), e.errors.unwrap_or(1)));
        }
    }
    if let Some(zh) = &e.zh_message {
        let run_zh = run_case(name, e, src, "zh");
        elapsed = elapsed.max(run_zh.elapsed);
        let dz = parse_stderr(&run_zh.stderr, &ZH);
        match dz.errors.first() {
            Some(first) if &first.message == zh => {
                let en_at = d.errors.first().and_then(|p| p.at.clone());
                if first.at != en_at {
                    bad.push(format!("zh position {:?} differs from en {:?}", first.at, en_at));
                }
            }
            other => bad.push(format!(
                "zh message\n    {:?}\n  expected\n    {zh:?}",
                other.map(|p| p.message.as_str()).unwrap_or("(none)")
            )),
        }
        if run_zh.code != Some(e.exit) || !run_zh.outputs.is_empty() {
            bad.push(format!("zh run: exit {:?}, outputs {:?}", run_zh.code, run_zh.outputs));
        }
    }
    if !bad.is_empty() {
        bad.push(format!("actual:\n{}\nstderr:\n{}", as_toml(name, e, &run, &d), run.stderr));
    }
    (bad, elapsed)
}

/// The stem of the data file a case renders (for its output names).
fn src_stem(name: &str, src: &Sources) -> String {
    if src.generated.contains_key(name) || src.data.contains(name) { name.to_owned() } else { "base".to_owned() }
}

/// The category of a case: its name up to the first `-`.
fn category(name: &str) -> &str {
    name.split('-').next().unwrap_or(name)
}

#[test]
fn every_case_has_an_expectation_and_every_expectation_a_case() {
    let src = sources();
    let expect = expectations();
    let mut problems = Vec::new();
    for s in &src.strays {
        problems.push(format!("tests/corpus/{s} is not a case (data/NAME.yaml or templates/NAME/)"));
    }
    let mut names: BTreeSet<String> = src.data.iter().chain(&src.templates).cloned().collect();
    for g in src.generated.keys() {
        if src.data.contains(*g) || src.templates.contains(*g) {
            problems.push(format!("{g} is both generated and a file"));
        }
        names.insert(g.to_string());
    }
    for n in &names {
        if !expect.contains_key(n) {
            problems.push(format!("{n} has no expectation in expect.toml"));
        }
    }
    for (n, e) in &expect {
        if !names.contains(n) {
            problems.push(format!("expect.toml has [{n}] but there is no such case"));
        }
        if e.exit != 0 && (e.message.is_none() || e.at.is_none()) {
            problems.push(format!("[{n}] must state `message` and `at`"));
        }
        if e.at.as_deref() == Some("") && e.gap.is_none() && e.no_position.is_none() {
            problems.push(format!("[{n}] has no position: say why in `no_position` or `gap`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(names.iter().filter(|n| !n.starts_with("ok-")).count() >= 50, "the corpus needs at least 50 broken inputs");
}

#[test]
fn every_broken_input_gives_its_exact_error() {
    let src = sources();
    let expect = expectations();
    let mut failures = Vec::new();
    let mut times = Vec::new();
    let mut per_category: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, e) in &expect {
        let exists =
            src.data.contains(name) || src.templates.contains(name) || src.generated.contains_key(name.as_str());
        if !exists {
            continue; // reported by the test above
        }
        *per_category.entry(category(name)).or_default() += 1;
        let (bad, elapsed) = check_case(name, e, &src);
        times.push((elapsed, name.clone()));
        if !bad.is_empty() {
            failures.push(format!("── {name}\n  {}", bad.join("\n  ")));
        }
    }
    times.sort_by(|a, b| b.cmp(a));
    let slowest: Vec<String> = times.iter().take(5).map(|(t, n)| format!("{n} {:.2} s", t.as_secs_f64())).collect();
    let gaps: Vec<String> = expect.iter().filter_map(|(n, e)| e.gap.as_ref().map(|g| format!("  {n}: {g}"))).collect();
    eprintln!("corpus: {} cases {per_category:?}", times.len());
    eprintln!("slowest: {}", slowest.join(", "));
    eprintln!("known gaps ({}):\n{}", gaps.len(), gaps.join("\n"));
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), times.len(), failures.join("\n"));
}

#[test]
fn stderr_parser_reads_the_display_format() {
    let s = "warning: the file is GBK\n   = help: save as UTF-8\nerror: unknown field `titel`\n --> a.yaml:8:9\n  |\n8 |       - titel: x\n  |         ^\n   = field: sections[0].titel\n   = help: did you mean `title`?\n";
    let d = parse_stderr(s, &EN);
    assert_eq!(d.warnings.len(), 1);
    assert_eq!(
        d.errors,
        vec![Printed {
            message: "unknown field `titel`".into(),
            at: Some("a.yaml:8:9".into()),
            field: Some("sections[0].titel".into()),
            help: Some("did you mean `title`?".into()),
        }]
    );
}
