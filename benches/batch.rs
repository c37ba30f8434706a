//! Batch and long-document benchmark (issue 4): `cargo bench --bench batch`.
//!
//! Generates realistic data from `data/county-civil-affairs.yaml` (see
//! `datagen`), then measures in one run, with the real `jianbao` binary as
//! a child process (wall time by `Instant`; peak RSS and CPU time of the
//! child by `wait4`):
//!
//! - `jianbao batch` of 200 branch summaries (PDF + DOCX), all cores;
//! - the same with `--jobs 1` (the parallel speed-up);
//! - 200 processes, one per unit (each unit as its own one-branch data file,
//!   since `jianbao render` refuses per-branch templates), one at a time
//!   (a shell loop) and as many at a time as there are cores (`xargs -P`);
//! - a `typst compile` loop over equivalent .typ files, if `typst` is on PATH;
//! - `jianbao batch` of 2000 branch summaries (throughput, peak RSS);
//! - one ~1000-page half-year report, PDF + DOCX, `jianbao render`;
//! - where the time goes, in-process: this binary runs itself as a child
//!   (`JIANBAO_BENCH_STAGES`) and times template, layout, PDF and DOCX of the
//!   long report and of sampled summaries through the public `Engine` API;
//!
//! and prints each figure with its ratio to its baseline.
//!
//! Environment: `JIANBAO_BENCH_REPS` (repetitions of the 200-unit batches
//! and of the long report, default 3), `JIANBAO_BENCH_QUICK=1` (skip the
//! 2000-unit batch and the process loops), `JIANBAO_BENCH_KEEP=1` (keep
//! data and outputs), `JIANBAO_BENCH_DATA=DIR` (only write the generated
//! data into DIR), `JIANBAO_BENCH_TIMEOUT` (seconds before a measurement is killed, 900).
//! For profiling, `JIANBAO_BENCH_STAGES=DIR JIANBAO_BENCH_PROFILE=summaries`
//! (or `long`) renders the data of DIR in a plain loop (see `stages`).
//!
//! Peak RSS: a child started with posix_spawn (what `Command` uses)
//! inherits its parent's peak RSS at exec, so this process keeps its own
//! footprint small (data is streamed to disk, in-process work runs in a
//! child) and prints that floor.

mod datagen;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use jianbao::model::{self, LoadOptions};
use jianbao::render::{Engine, EngineOptions, Formats, Rendered};

use datagen::Corpus;

/// Branch summaries in the main batch (and processes in the baseline).
const UNITS: usize = 200;
/// Branch summaries in the large batch.
const LARGE_UNITS: usize = 2000;
/// Generated sections of the long report: about 1000 pages.
const LONG_SECTIONS: usize = 600;
/// Summaries whose stages are timed in-process.
const SAMPLED: usize = 20;
/// Targets from the issue.
const TARGET_RATE: f64 = 150.0;
const TARGET_RSS_GROWTH: f64 = 1.5;
/// The other Rust YAML→DOCX+PDF tool: 1000 pages of Chinese on this
/// machine (printing every character as a box).
const OTHER_TOOL_1000_PAGES_S: f64 = 1.05;

/// What one child process (or a group of them) cost.
#[derive(Clone, Debug, Default)]
struct Cost {
    /// Wall time.
    secs: f64,
    /// User + system CPU time of the child(ren).
    cpu: f64,
    /// Peak resident set of the (largest) child, KiB.
    rss_kib: u64,
    /// Why a child failed (exit status, last line of its stderr).
    failed: Option<String>,
}

fn jianbao() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jianbao"));
    c.env_remove("LANG").env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("SOURCE_DATE_EPOCH");
    c.stdin(Stdio::null()).stdout(Stdio::null());
    c
}

/// Waits for any child: pid, exit code (128 + signal if killed), CPU
/// seconds, max RSS KiB.
fn wait_any() -> (libc::pid_t, i32, f64, u64) {
    let mut status = 0;
    // SAFETY: rusage is plain old data, filled in by wait4.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = loop {
        // SAFETY: valid pointers to locals.
        let r = unsafe { libc::wait4(-1, &mut status, 0, &mut ru) };
        if r == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break r;
    };
    assert!(pid > 0, "wait4: {}", std::io::Error::last_os_error());
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { 128 + libc::WTERMSIG(status) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    // Linux reports ru_maxrss in KiB.
    (pid, code, tv(ru.ru_utime) + tv(ru.ru_stime), ru.ru_maxrss as u64)
}

/// Seconds a measurement may take before its children are killed.
fn timeout() -> f64 {
    std::env::var("JIANBAO_BENCH_TIMEOUT").ok().and_then(|v| v.parse().ok()).unwrap_or(900.0)
}

/// Runs `cmd` to completion.
fn measure(cmd: &mut Command, errlog: &Path) -> Cost {
    measure_many(vec![std::mem::replace(cmd, Command::new("true"))], 1, errlog)
}

/// Runs the commands with at most `parallel` at a time: total wall time,
/// summed CPU time, the largest child's peak RSS, and the first failure.
/// Children still running after [`timeout`] are killed.
#[allow(clippy::zombie_processes)] // reaped by `wait_any`, which also reads their rusage
fn measure_many(cmds: Vec<Command>, parallel: usize, errlog: &Path) -> Cost {
    use std::collections::HashSet;
    use std::sync::{Arc, Condvar, Mutex};
    let started = Instant::now();
    // The running children, for the watchdog; `None` once all are done.
    let running: Arc<(Mutex<Option<HashSet<libc::pid_t>>>, Condvar)> =
        Arc::new((Mutex::new(Some(HashSet::new())), Condvar::new()));
    let limit = timeout();
    let watchdog = {
        let running = Arc::clone(&running);
        std::thread::spawn(move || {
            let (lock, cv) = &*running;
            let deadline = started + std::time::Duration::from_secs_f64(limit);
            let mut guard = lock.lock().expect("not poisoned");
            while let Some(pids) = guard.as_ref() {
                let now = Instant::now();
                if now >= deadline {
                    for &pid in pids {
                        // SAFETY: our own child, not yet reaped.
                        unsafe { libc::kill(pid, libc::SIGKILL) };
                    }
                    return true;
                }
                guard = cv.wait_timeout(guard, deadline - now).expect("not poisoned").0;
            }
            false
        })
    };
    let mut pending = cmds.into_iter();
    let (mut n, mut cost) = (0, Cost::default());
    loop {
        while n < parallel && cost.failed.is_none() {
            let Some(mut cmd) = pending.next() else { break };
            let child = cmd.stderr(fs::File::create(errlog).expect("create stderr log")).spawn().expect("spawn");
            running.0.lock().expect("not poisoned").as_mut().expect("running").insert(child.id() as libc::pid_t);
            n += 1;
        }
        if n == 0 {
            break;
        }
        let (pid, code, cpu, rss) = wait_any();
        running.0.lock().expect("not poisoned").as_mut().expect("running").remove(&pid);
        n -= 1;
        cost.cpu += cpu;
        cost.rss_kib = cost.rss_kib.max(rss);
        if code != 0 && cost.failed.is_none() {
            let err = fs::read_to_string(errlog).unwrap_or_default();
            let last = err.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("").trim().to_owned();
            cost.failed = Some(format!("exit {code}: {last}"));
        }
    }
    cost.secs = started.elapsed().as_secs_f64();
    *running.0.lock().expect("not poisoned") = None;
    running.1.notify_all();
    if watchdog.join().unwrap_or(false) {
        cost.failed = Some(format!("killed after the {limit:.0} s timeout"));
    }
    cost
}

/// The median run by wall time (CPU of that run, largest RSS of all), and
/// the fastest and slowest wall times.
fn median(mut v: Vec<Cost>) -> (Cost, f64, f64) {
    v.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    let (lo, hi) = (v[0].secs, v[v.len() - 1].secs);
    let rss = v.iter().map(|c| c.rss_kib).max().unwrap_or(0);
    let failed = v.iter().find_map(|c| c.failed.clone());
    (Cost { rss_kib: rss, failed, ..v[v.len() / 2].clone() }, lo, hi)
}

fn batch_cmd(data: &Path, out: &Path, jobs: Option<usize>) -> Command {
    let mut c = jianbao();
    c.arg("batch").arg(data).args(["-t", "branch-summary", "-q", "-o"]).arg(out);
    if let Some(j) = jobs {
        c.args(["--jobs", &j.to_string()]);
    }
    c
}

/// PDFs and DOCXs (of more than 1 KB) in `dir`.
fn count_outputs(dir: &Path) -> (usize, usize) {
    let mut n = (0, 0);
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let ok = e.metadata().is_ok_and(|m| m.len() > 1000);
        match e.path().extension().and_then(|e| e.to_str()) {
            Some("pdf") if ok => n.0 += 1,
            Some("docx") if ok => n.1 += 1,
            _ => {}
        }
    }
    n
}

fn reset(dir: &Path) {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).expect("create output dir");
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// This process's own peak RSS (the floor under every child's figure).
fn own_peak_kib() -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn loadavg() -> f64 {
    fs::read_to_string("/proc/loadavg").ok().and_then(|s| s.split(' ').next()?.parse().ok()).unwrap_or(0.0)
}

fn write_file(path: &Path, f: impl FnOnce(&mut BufWriter<fs::File>) -> std::io::Result<()>) {
    let mut w = BufWriter::new(fs::File::create(path).expect("create data file"));
    f(&mut w).and_then(|()| w.flush()).expect("write data file");
}

/// The Typst CLI, if installed.
fn typst_cli() -> Option<String> {
    let o = Command::new("typst").arg("--version").output().ok()?;
    o.status.success().then(|| String::from_utf8_lossy(&o.stdout).trim().to_owned())
}

/// A Typst string literal.
fn typ_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A plain .typ file with the content of one branch summary, set like ours
/// (A4, GB/T 9704 margins, 仿宋 16 pt on a 28.95 pt pitch, 黑体 headings,
/// the activity table, page numbers), for the `typst compile` loop.
fn branch_typ(data: &Path) -> String {
    let loaded = model::load(data, LoadOptions::default()).expect("generated data loads");
    let r = &loaded.report;
    let b = &r.branches[0];
    let acts: Vec<_> = r.activities.iter().filter(|a| a.branch.as_deref() == Some(b.name.as_str())).collect();
    let mut t = String::from(
        "#set page(paper: \"a4\", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),\n  \
         footer: context align(center, text(font: \"FandolSong\", size: 14pt)[— #counter(page).display() —]))\n\
         #set text(font: (\"FandolFang R\", \"Noto Serif CJK SC\"), size: 16pt, lang: \"zh\", tracking: -0.25pt, top-edge: 16pt, bottom-edge: 0pt)\n\
         #set par(leading: 12.95pt, spacing: 12.95pt, first-line-indent: (amount: 2em, all: true), justify: true)\n\
         #show heading: set text(font: \"FandolHei\", size: 16pt, weight: \"regular\")\n\
         #show heading: set block(above: 12.95pt, below: 12.95pt)\n",
    );
    let para = |s: &str| format!("#par({})\n", typ_str(s));
    let run_in =
        |title: &str, text: &str| format!("#par[#strong({}){}]\n", typ_str(&format!("{title}。")), typ_str(text));
    t += &format!(
        "#align(center, text(font: \"FandolSong\", weight: \"bold\", size: 22pt, {}))\n",
        typ_str(&format!("{}{}工作总结", b.name, r.period.label))
    );
    t += &para(&format!(
        "{}，{}在支部书记{}同志带领下，坚持以党建引领业务，扎实开展各项工作。{}",
        r.period.label,
        b.name,
        b.secretary.as_deref().unwrap_or(""),
        b.summary.as_deref().unwrap_or("").trim()
    ));
    t += "#heading(numbering: none)[一、基本情况]\n";
    t +=
        &para(&format!("支部现有党员{}名，共开展活动{}次。活动情况见下表。", b.members.map_or(0, |c| c.0), acts.len()));
    t += "#table(columns: (auto, 1fr, auto, auto), align: center + horizon,\n  [日期], [活动], [类型], [人次],\n";
    for a in &acts {
        t += &format!(
            "  {}, {}, {}, [{}],\n",
            typ_str(&a.date.to_string()),
            typ_str(&a.title),
            typ_str(a.kind.as_deref().unwrap_or("")),
            a.participants.map_or(0, |c| c.0)
        );
    }
    t += ")\n#heading(numbering: none)[二、工作亮点]\n";
    for h in &b.highlights {
        t += &run_in(&h.title, h.text.as_deref().unwrap_or(""));
    }
    t += "#heading(numbering: none)[三、存在的问题]\n";
    for p in &b.problems {
        t += &para(p);
    }
    t += "#heading(numbering: none)[四、下步打算]\n";
    for p in &b.plans {
        t += &run_in(&p.title, p.text.as_deref().unwrap_or(""));
    }
    t += &format!("#v(2em)\n#align(right, {})\n#align(right)[2025年7月10日]\n", typ_str(&b.name));
    t
}

/// CPU time of this process (all threads), seconds.
fn cpu_now() -> f64 {
    // SAFETY: plain out-parameter.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// Wall and CPU seconds of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> ([f64; 2], T) {
    let (t, c) = (Instant::now(), cpu_now());
    let r = f();
    ([t.elapsed().as_secs_f64(), cpu_now() - c], r)
}

/// Renders of the long report whose stage times are shown as medians.
const LONG_STAGE_RUNS: usize = 3;

/// In-process timings, run as a child of the bench (`JIANBAO_BENCH_STAGES`
/// names the data folder): prints `key wall cpu` lines. The stages of a
/// render are the wall times `Engine::render` takes of each
/// (`Rendered::timings`), so they add up within one render (the PDF and
/// the DOCX one after the other, unlike `jianbao render`); Typst's caches
/// are emptied before every render. Summaries: means over
/// [`SAMPLED`]; the long report: medians of [`LONG_STAGE_RUNS`] renders.
///
/// With `JIANBAO_BENCH_PROFILE=summaries` (or `long`) it instead renders
/// the 200 summaries (or the long report) PDF + DOCX in a plain loop, for
/// `perf record`: no rayon pool, no file writes.
fn stages(dir: &Path) {
    let (t_engine, engine) = timed(|| Engine::new(&EngineOptions::default()).expect("engine"));
    let render = |loaded: &model::Loaded, template: &str, branch: Option<&model::Branch>| {
        comemo::evict(0);
        engine.render(loaded, template, branch, Formats::default(), false).expect("render")
    };
    let put = |k: &str, v: [f64; 2]| println!("{k} {} {}", v[0], v[1]);
    // A stage's wall time, as `[wall, wall]`: no CPU time of its own.
    let put_stages = |prefix: &str, t: [f64; 4]| {
        for (k, v) in STAGES.iter().zip(t) {
            put(&format!("{prefix}_{k}"), [v, v]);
        }
    };
    let stage_secs = |r: &Rendered| {
        let t = r.timings;
        [t.document, t.layout, t.pdf, t.docx].map(|d| d.as_secs_f64())
    };
    match std::env::var("JIANBAO_BENCH_PROFILE").as_deref() {
        Ok("summaries") => {
            let loaded = model::load(&dir.join("branches-200.yaml"), LoadOptions::default()).expect("load");
            let (t, ()) = timed(|| {
                for b in &loaded.report.branches {
                    engine.render(&loaded, "branch-summary", Some(b), Formats::default(), false).expect("render");
                    comemo::evict(4);
                }
            });
            return put("profile_summaries", t);
        }
        Ok("long") => {
            let loaded = model::load(&dir.join("long.yaml"), LoadOptions::default()).expect("load");
            return put("profile_long", timed(|| render(&loaded, "half-year", None)).0);
        }
        _ => {}
    }
    put("engine", t_engine);

    // Sampled summaries of the 200-branch file.
    let (t, loaded) = timed(|| model::load(&dir.join("branches-200.yaml"), LoadOptions::default()).expect("load"));
    put("summary_load", t);
    let (mut sums, mut pages) = ([0.0; 4], Vec::new());
    for i in (0..UNITS).step_by(UNITS / SAMPLED) {
        let r = render(&loaded, "branch-summary", Some(&loaded.report.branches[i]));
        for (s, v) in sums.iter_mut().zip(stage_secs(&r)) {
            *s += v;
        }
        pages.push(r.pages);
    }
    let n = pages.len() as f64;
    put_stages("summary", sums.map(|v| v / n));
    let pages_of = |v: f64| [v, v];
    put("summary_pages_min", pages_of(*pages.iter().min().unwrap_or(&0) as f64));
    put("summary_pages_max", pages_of(*pages.iter().max().unwrap_or(&0) as f64));
    put("summary_pages_mean", pages_of(pages.iter().sum::<usize>() as f64 / n));
    drop(loaded);

    // The long report.
    let (t, loaded) = timed(|| model::load(&dir.join("long.yaml"), LoadOptions::default()).expect("load"));
    put("long_load", t);
    let mut runs: Vec<[f64; 4]> = Vec::new();
    let mut last = None;
    for _ in 0..LONG_STAGE_RUNS {
        let r = render(&loaded, "half-year", None);
        runs.push(stage_secs(&r));
        last = Some(r);
    }
    let median = |i: usize| {
        let mut v: Vec<f64> = runs.iter().map(|r| r[i]).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    put_stages("long", [0, 1, 2, 3].map(median));
    let r = last.expect("rendered");
    put("long_pages", pages_of(r.pages as f64));
    put("long_pdf_bytes", pages_of(r.pdf.map_or(0, |b| b.len()) as f64));
    put("long_docx_bytes", pages_of(r.docx.map_or(0, |b| b.len()) as f64));
}

/// The stages of a render, as the keys `stages` prints them under.
const STAGES: [&str; 4] = ["template", "layout", "pdf", "docx"];

/// A printed table: measurement | figure | ratio to its baseline.
struct Table(Vec<[String; 3]>);

impl Table {
    fn row(&mut self, what: impl Into<String>, figure: impl Into<String>, ratio: impl Into<String>) {
        self.0.push([what.into(), figure.into(), ratio.into()]);
    }
    fn print(&self) {
        let w: Vec<usize> = (0..3).map(|i| self.0.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
        let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w - s.chars().count()));
        for (n, r) in self.0.iter().enumerate() {
            println!("| {} | {} | {} |", pad(&r[0], w[0]), pad(&r[1], w[1]), pad(&r[2], w[2]));
            if n == 0 {
                println!("|{}|{}|{}|", "-".repeat(w[0] + 2), "-".repeat(w[1] + 2), "-".repeat(w[2] + 2));
            }
        }
    }
}

/// Marks `cost` failed unless `dir` holds `n` PDFs and `n` DOCXs.
fn check_outputs(cost: &mut Cost, dir: &Path, n: usize) {
    let got = count_outputs(dir);
    if cost.failed.is_none() && got != (n, n) {
        cost.failed = Some(format!("wrote {} PDFs and {} DOCXs of {n}", got.0, got.1));
    }
}

fn main() {
    if let Some(dir) = std::env::var_os("JIANBAO_BENCH_STAGES") {
        return stages(Path::new(&dir));
    }
    // `cargo bench` passes `--bench`, and maybe a filter: this binary holds
    // one benchmark, "batch".
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    if !filter.is_empty() && !filter.iter().any(|f| "batch".contains(f.as_str())) {
        return;
    }
    let reps: usize = std::env::var("JIANBAO_BENCH_REPS").ok().and_then(|v| v.parse().ok()).unwrap_or(3).max(1);
    let quick = env_flag("JIANBAO_BENCH_QUICK");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::Builder::new().prefix("jianbao-bench-").tempdir().expect("temp dir");
    let data_only = std::env::var_os("JIANBAO_BENCH_DATA").map(PathBuf::from);
    let dir = data_only.clone().unwrap_or_else(|| tmp.path().to_owned());
    let log = dir.join("stderr.log");
    let total = Instant::now();
    let load_before = loadavg();

    // ---- Data ---------------------------------------------------------
    let t = Instant::now();
    let corpus = Corpus::from_sample(&root.join("data/county-civil-affairs.yaml"));
    let data200 = dir.join("branches-200.yaml");
    let data2000 = dir.join("branches-2000.yaml");
    let long = dir.join("long.yaml");
    let singles = dir.join("single");
    fs::create_dir_all(&singles).expect("mkdir");
    write_file(&data200, |w| corpus.write_branches_file(w, 0, UNITS));
    write_file(&data2000, |w| corpus.write_branches_file(w, 0, LARGE_UNITS));
    write_file(&long, |w| corpus.write_long_file(w, LONG_SECTIONS));
    let single_files: Vec<PathBuf> = (0..UNITS)
        .map(|i| {
            let p = singles.join(format!("{i:04}.yaml"));
            write_file(&p, |w| corpus.write_branches_file(w, i, 1));
            p
        })
        .collect();
    drop(corpus);
    let size = |p: &Path| fs::metadata(p).map_or(0, |m| m.len()) as f64 / 1e6;
    eprintln!(
        "data in {} ({:.2} s): {UNITS} branches {:.2} MB, {LARGE_UNITS} branches {:.1} MB, long report {:.2} MB",
        dir.display(),
        t.elapsed().as_secs_f64(),
        size(&data200),
        size(&data2000),
        size(&long)
    );
    if data_only.is_some() {
        return;
    }

    // ---- Batches through the CLI ----------------------------------------
    let out = dir.join("out");
    reset(&out);
    // Warm the page cache with the binary.
    measure(&mut batch_cmd(&single_files[0], &out, None), &log);

    let (mut all, mut one) = (Vec::new(), Vec::new());
    for rep in 0..reps {
        eprintln!("batch {UNITS}, all cores and --jobs 1: run {} of {reps}", rep + 1);
        reset(&out);
        let mut c = measure(&mut batch_cmd(&data200, &out, None), &log);
        check_outputs(&mut c, &out, UNITS);
        all.push(c);
        reset(&out);
        let mut c = measure(&mut batch_cmd(&data200, &out, Some(1)), &log);
        check_outputs(&mut c, &out, UNITS);
        one.push(c);
    }
    let (all, all_lo, all_hi) = median(all);
    let (one, one_lo, one_hi) = median(one);

    let (seq, par, large) = if quick {
        (None, None, None)
    } else {
        eprintln!("{UNITS} processes, one at a time and {cores} at a time");
        reset(&out);
        let cmds = || single_files.iter().map(|f| batch_cmd(f, &out, None)).collect::<Vec<_>>();
        let mut seq = measure_many(cmds(), 1, &log);
        check_outputs(&mut seq, &out, UNITS);
        reset(&out);
        let mut par = measure_many(cmds(), cores, &log);
        check_outputs(&mut par, &out, UNITS);
        eprintln!("batch {LARGE_UNITS}");
        reset(&out);
        let mut large = measure(&mut batch_cmd(&data2000, &out, None), &log);
        check_outputs(&mut large, &out, LARGE_UNITS);
        (Some(seq), Some(par), Some(large))
    };

    // ---- Typst CLI loop --------------------------------------------------
    let typst_version = typst_cli();
    let typst_loop = typst_version.as_ref().filter(|_| !quick).map(|_| {
        eprintln!("typst compile loop");
        let typ_dir = dir.join("typ");
        fs::create_dir_all(&typ_dir).expect("mkdir");
        let cmds = single_files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let p = typ_dir.join(format!("{i:04}.typ"));
                fs::write(&p, branch_typ(f)).expect("write");
                let mut c = Command::new("typst");
                c.arg("compile").arg("--ignore-system-fonts").arg("--font-path").arg(root.join("fonts")).arg(p);
                c.stdin(Stdio::null()).stdout(Stdio::null());
                c
            })
            .collect();
        measure_many(cmds, 1, &log)
    });

    // ---- The long report through the CLI --------------------------------
    // As many runs as the batches get: a single one moved by a second
    // between runs of the same binary.
    let long_runs: Vec<Cost> = (0..reps)
        .map(|rep| {
            eprintln!("long report: run {} of {reps}", rep + 1);
            reset(&out);
            let mut render = jianbao();
            render.arg("render").arg(&long).args(["-t", "half-year", "-o"]).arg(&out);
            measure(&mut render, &log)
        })
        .collect();
    let (long_cli, long_lo, long_hi) = median(long_runs);
    let floor = own_peak_kib();

    // ---- Where the time goes (in-process, in a child) -------------------
    eprintln!("stages, in-process");
    let o = Command::new(std::env::current_exe().expect("own path"))
        .env("JIANBAO_BENCH_STAGES", &dir)
        .env_remove("JIANBAO_BENCH_PROFILE")
        .stderr(Stdio::inherit())
        .output()
        .expect("run the stages child");
    if !o.status.success() {
        eprintln!("the in-process stages child failed ({}): its figures are missing", o.status);
    }
    let st: BTreeMap<String, [f64; 2]> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| {
            let mut it = l.split(' ');
            let k = it.next()?.to_owned();
            Some((k, [it.next()?.parse().ok()?, it.next()?.parse().ok()?]))
        })
        .collect();
    let s2 = |k: &str| st.get(k).copied().unwrap_or([f64::NAN; 2]);
    let s = |k: &str| s2(k)[0];
    let load_after = loadavg();

    // ---- Report ----------------------------------------------------------
    let rate = |c: &Cost, n: usize| n as f64 / c.secs;
    let cpu_ms = |c: &Cost, n: usize| c.cpu * 1e3 / n as f64;
    // A failed measurement's figure, with what went wrong.
    let failed = |c: &Cost| c.failed.as_ref().map(|f| format!("FAILED after {:.0} s ({f})", c.secs));
    let mut tab = Table(Vec::new());
    tab.row("measurement", "figure", "ratio to baseline");
    tab.row(
        format!("batch {UNITS} summaries, PDF+DOCX, {cores} jobs (median of {reps})"),
        failed(&all).unwrap_or_else(|| {
            format!(
                "{:.1} summaries/s ({:.2} s, range {:.2}–{:.2}; {:.1} ms CPU each)",
                rate(&all, UNITS),
                all.secs,
                all_lo,
                all_hi,
                cpu_ms(&all, UNITS)
            )
        }),
        format!("{:.2}× the target {TARGET_RATE:.0}/s", rate(&all, UNITS) / TARGET_RATE),
    );
    tab.row(
        format!("batch {UNITS}, --jobs 1 (median of {reps})"),
        failed(&one).unwrap_or_else(|| {
            format!(
                "{:.1} summaries/s ({:.2} s, range {:.2}–{:.2}; {:.1} ms CPU each)",
                rate(&one, UNITS),
                one.secs,
                one_lo,
                one_hi,
                cpu_ms(&one, UNITS)
            )
        }),
        format!("parallel speed-up {:.2}× with {cores} jobs", one.secs / all.secs),
    );
    if let (Some(seq), Some(par)) = (&seq, &par) {
        tab.row(
            format!("{UNITS} processes, one unit each, one at a time (shell loop)"),
            failed(seq).unwrap_or_else(|| {
                format!(
                    "{:.1} summaries/s ({:.2} s; {:.0} ms wall, {:.1} ms CPU a process)",
                    rate(seq, UNITS),
                    seq.secs,
                    seq.secs * 1e3 / UNITS as f64,
                    cpu_ms(seq, UNITS)
                )
            }),
            format!("batch ({cores} jobs) is {:.2}× faster", seq.secs / all.secs),
        );
        tab.row(
            format!("{UNITS} processes, {cores} at a time (xargs -P {cores})"),
            failed(par).unwrap_or_else(|| format!("{:.1} summaries/s ({:.2} s)", rate(par, UNITS), par.secs)),
            format!("batch ({cores} jobs) is {:.2}× faster", par.secs / all.secs),
        );
    }
    match (&typst_version, &typst_loop) {
        (Some(v), Some(c)) => tab.row(
            format!("`typst compile` loop, {UNITS} equivalent .typ, PDF only ({v})"),
            failed(c).unwrap_or_else(|| format!("{:.1} documents/s ({:.2} s)", rate(c, UNITS), c.secs)),
            format!("batch ({cores} jobs) is {:.2}× faster", c.secs / all.secs),
        ),
        (Some(v), None) => tab.row(format!("`typst compile` loop ({v})"), "skipped (quick)", "–"),
        (None, _) => tab.row("`typst compile` loop", "Typst CLI not installed: not measured", "–"),
    }
    tab.row(
        format!("peak RSS, batch {UNITS}"),
        format!("{:.0} MiB ({cores} jobs), {:.0} MiB (1 job)", mib(all.rss_kib), mib(one.rss_kib)),
        "baseline of batch 2000",
    );
    if let Some(large) = &large {
        tab.row(
            format!("batch {LARGE_UNITS} summaries, {cores} jobs"),
            failed(large).unwrap_or_else(|| {
                format!(
                    "{:.1} summaries/s ({:.2} s; {:.1} ms CPU each)",
                    rate(large, LARGE_UNITS),
                    large.secs,
                    cpu_ms(large, LARGE_UNITS)
                )
            }),
            if large.failed.is_some() {
                format!("{:.0} s CPU used before failing", large.cpu)
            } else {
                format!("{:.2}× the rate of batch {UNITS}", rate(large, LARGE_UNITS) / rate(&all, UNITS))
            },
        );
        let growth = large.rss_kib as f64 / all.rss_kib as f64;
        tab.row(
            format!("peak RSS, batch {LARGE_UNITS}"),
            format!("{:.0} MiB{}", mib(large.rss_kib), if large.failed.is_some() { " (until it failed)" } else { "" }),
            format!(
                "{growth:.2}× batch {UNITS} (limit {TARGET_RSS_GROWTH}×: {})",
                if growth <= TARGET_RSS_GROWTH { "ok" } else { "OVER" }
            ),
        );
    }
    if let Some(seq) = &seq {
        tab.row(format!("peak RSS, one process of the {UNITS}"), format!("{:.0} MiB", mib(seq.rss_kib)), "");
    }
    let long_pages = s("long_pages");
    tab.row(
        format!("long report: half-year, {long_pages:.0} pages, PDF+DOCX, `jianbao render` (median of {reps})"),
        failed(&long_cli).unwrap_or_else(|| {
            format!(
                "{:.2} s (range {long_lo:.2}–{long_hi:.2}; {:.2} s CPU), peak RSS {:.0} MiB",
                long_cli.secs,
                long_cli.cpu,
                mib(long_cli.rss_kib)
            )
        }),
        format!(
            "{:.2}× the other tool's {OTHER_TOOL_1000_PAGES_S} s for 1000 pages ({:.2}× per page)",
            long_cli.secs / OTHER_TOOL_1000_PAGES_S,
            long_cli.secs / OTHER_TOOL_1000_PAGES_S * 1000.0 / long_pages
        ),
    );
    // Stage times come from inside one render, so they add up; YAML
    // loading is timed around `model::load`.
    let stage_rows = |tab: &mut Table, prefix: &str, what: &str, keys: &[(&str, &str)]| {
        let sum: f64 = keys.iter().map(|(k, _)| s2(&format!("{prefix}_{k}"))[0]).sum();
        for (k, name) in keys {
            let wall = s2(&format!("{prefix}_{k}"))[0];
            tab.row(
                format!("  {what}: {name}"),
                format!("{:.1} ms", wall * 1e3),
                format!("{:.0}% of the time", 100.0 * wall / sum),
            );
        }
    };
    stage_rows(
        &mut tab,
        "long",
        "long report, in-process",
        &[
            ("load", "YAML load + validate"),
            ("template", "template + markup → IR"),
            ("layout", "Typst layout, all rounds"),
            ("pdf", "PDF export"),
            ("docx", "DOCX"),
        ],
    );
    stage_rows(
        &mut tab,
        "summary",
        &format!("one summary (mean of {SAMPLED}), in-process, cold caches"),
        &[
            ("template", "template + markup → IR"),
            ("layout", "Typst layout, all rounds"),
            ("pdf", "PDF export"),
            ("docx", "DOCX"),
        ],
    );
    println!();
    println!(
        "jianbao batch benchmark — {cores} cores, load average {load_before:.2} before, {load_after:.2} after{}",
        if load_before > 0.5 || load_after > 1.5 {
            " (the machine was busy: wall-time figures are pessimistic, CPU times hold)"
        } else {
            ""
        }
    );
    println!(
        "summaries {}–{} pages (mean {:.1} of {SAMPLED} sampled); long report {:.1} MB PDF, {:.1} MB DOCX; \
         engine start {:.0} ms; this process's peak RSS {:.0} MiB (the floor of every RSS figure)",
        s("summary_pages_min"),
        s("summary_pages_max"),
        s("summary_pages_mean"),
        s("long_pdf_bytes") / 1e6,
        s("long_docx_bytes") / 1e6,
        s("engine") * 1e3,
        mib(floor),
    );
    println!();
    tab.print();
    println!();
    println!("total bench time {:.0} s", total.elapsed().as_secs_f64());
    if env_flag("JIANBAO_BENCH_KEEP") {
        println!("kept data and outputs in {}", tmp.keep().display());
    }
}
