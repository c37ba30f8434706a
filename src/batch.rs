//! Batches: one document per branch of a data file, or one per data file of
//! a folder, rendered in parallel with one shared [`Engine`].
//!
//! Units are planned first (all names decided, duplicates refused) and then
//! rendered; a unit that fails is reported and never stops the others.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

use crate::error::{Diagnostic, Error, ErrorKind};
use crate::model::{self, LoadOptions, Loaded};
use crate::render::{Engine, Formats};
use crate::template::{self, Unit};
use crate::{output, tr};

/// The default output name of a per-branch unit.
pub const DEFAULT_BRANCH_NAME: &str = "{{ branch.name }}";
/// The default output name of a per-file unit: like `jianbao render`.
pub const DEFAULT_FILE_NAME: &str = "{{ file_stem }}-{{ template }}";

/// A `--shard K/N` selection: the K-th (1-based) of N equal slices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) =
            s.split_once('/').ok_or_else(|| tr!("格式应为 K/N，如 1/3", "expected K/N, e.g. 1/3").to_string())?;
        let (k, n): (usize, usize) = (
            k.trim().parse().map_err(|_| tr!("K 应为正整数", "K must be a positive whole number").to_string())?,
            n.trim().parse().map_err(|_| tr!("N 应为正整数", "N must be a positive whole number").to_string())?,
        );
        if n == 0 || k == 0 || k > n {
            return Err(tr!("需要 1 ≤ K ≤ N", "need 1 ≤ K ≤ N").to_string());
        }
        Ok(Shard { k, n })
    }
}

impl Shard {
    /// The index range of this shard among `len` units: contiguous slices
    /// whose sizes differ by at most one.
    pub fn range(&self, len: usize) -> std::ops::Range<usize> {
        (self.k - 1) * len / self.n..self.k * len / self.n
    }
}

/// What a batch is asked to do.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub input: PathBuf,
    pub template: String,
    pub out: PathBuf,
    pub formats: Formats,
    pub name: Option<String>,
    pub shard: Option<Shard>,
    pub jobs: Option<usize>,
    pub load: LoadOptions,
}

/// One document to render.
struct UnitPlan {
    /// The data file (shared by the branches of one file).
    data: Arc<Result<Loaded, Error>>,
    /// The branch index for per-branch templates.
    branch: Option<usize>,
    /// Output path without extension.
    base: PathBuf,
    /// How the unit is named in messages.
    label: String,
}

/// The result of a batch.
#[derive(Debug, Default)]
pub struct Summary {
    pub total: usize,
    pub rendered: usize,
    /// (unit label, diagnostics) of every failed unit.
    pub failed: Vec<(String, Vec<Diagnostic>)>,
    /// The warnings of the data files (each file's once, in file order):
    /// normalised punctuation, encodings, dates outside the period, …
    pub warnings: Vec<Diagnostic>,
    pub seconds: f64,
}

/// Reports progress (a bar on a terminal, lines otherwise, or nothing).
pub trait Progress: Sync {
    fn start(&self, total: usize);
    fn done(&self, label: &str, ok: bool);
    fn finish(&self);
}

/// The data files of a folder: `*.yaml` and `*.yml`, sorted by name.
fn data_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, &e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    Ok(files)
}

/// Makes an output name safe on Windows and Unix file systems.
pub fn safe_file_name(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c })
        .collect::<String>()
        .trim()
        .trim_end_matches(['.', ' '])
        .to_owned();
    // Windows reserves these device names, with any extension.
    let stem = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        s.insert(0, '_');
    }
    // Keep room for the extension within the common 255-byte limit.
    if s.len() > 200 {
        let mut cut = 200;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    if s.is_empty() { "_".to_owned() } else { s }
}

/// Plans the units of a batch: loads the data, decides every output name,
/// refuses duplicate names before anything is written.
fn plan(engine: &Engine, opts: &BatchOptions) -> Result<Vec<UnitPlan>, Error> {
    let info = engine.templates.info(&opts.template)?;
    let files = if opts.input.is_dir() { data_files(&opts.input)? } else { vec![opts.input.clone()] };
    if files.is_empty() {
        return Err(Diagnostic::error(
            ErrorKind::Data,
            tr!(
                format!("文件夹 {} 中没有 .yaml 数据文件", opts.input.display()),
                format!("the folder {} holds no .yaml data files", opts.input.display())
            ),
        )
        .into());
    }
    let per_branch = info.front.unit == Unit::Branch;
    let pattern = opts
        .name
        .clone()
        .unwrap_or_else(|| (if per_branch { DEFAULT_BRANCH_NAME } else { DEFAULT_FILE_NAME }).to_owned());
    // Load each data file once — its text and its pictures — and check
    // once that its characters have fonts: every unit of the file shares
    // all three.
    let loaded: Vec<Arc<Result<Loaded, Error>>> = std::thread::scope(|s| {
        // The fonts' index of the characters they draw, which the check
        // builds on first use, is built while the data is read.
        s.spawn(|| engine.fonts.index_coverage());
        files
            .par_iter()
            .map(|f| {
                let loaded = model::load(f, opts.load.clone()).and_then(|mut l| {
                    // The font notes join the file's warnings: reported once.
                    let notes = engine.check_fonts(&l)?;
                    l.warnings.extend(notes);
                    Ok(l)
                });
                Arc::new(loaded)
            })
            .collect()
    });

    let mut units = Vec::new();
    for (file, data) in files.iter().zip(loaded) {
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("data").to_owned();
        let ok = match data.as_ref() {
            Ok(l) => l,
            Err(_) => {
                // A broken file is one failed unit, named after the file.
                units.push(UnitPlan {
                    data: data.clone(),
                    branch: None,
                    base: opts.out.join(safe_file_name(&stem)),
                    label: file.display().to_string(),
                });
                continue;
            }
        };
        let branches: Vec<Option<usize>> =
            if per_branch { (0..ok.report.branches.len()).map(Some).collect() } else { vec![None] };
        if per_branch && branches.is_empty() {
            return Err(Diagnostic::error(
                ErrorKind::Data,
                tr!(
                    format!("模板“{}”按支部生成，但 {} 没有 branches", opts.template, file.display()),
                    format!(
                        "the template “{}” renders one document per branch, but {} has no branches",
                        opts.template,
                        file.display()
                    )
                ),
            )
            .at(Some(crate::error::SourcePos::new(file, &ok.source.text, 1, 1)))
            .field("branches")
            .into());
        }
        for b in branches {
            let branch = b.map(|i| &ok.report.branches[i]);
            let ctx = template::context::for_unit(ok.template_base(), &ok.report, branch, &opts.template, Some(&stem));
            let name = engine.templates.render_str(&pattern, &ctx).map_err(|e| {
                Error::from(Diagnostic::error(
                    ErrorKind::Template,
                    tr!(
                        format!("输出文件名模式“{pattern}”有误：{e}"),
                        format!("the output name pattern “{pattern}” is invalid: {e}")
                    ),
                ))
            })?;
            let label = match branch {
                Some(b) => format!("{}（{}）", b.name, file.display()),
                None => file.display().to_string(),
            };
            units.push(UnitPlan { data: data.clone(), branch: b, base: opts.out.join(safe_file_name(&name)), label });
        }
    }
    refuse_duplicates(&units)?;
    Ok(units)
}

/// Two units may not write the same file — compared case-insensitively,
/// as Windows and macOS file systems do.
fn refuse_duplicates(units: &[UnitPlan]) -> Result<(), Error> {
    let mut seen: std::collections::HashMap<String, &UnitPlan> = std::collections::HashMap::new();
    let mut errors = Vec::new();
    for u in units {
        let key = u.base.to_string_lossy().to_lowercase();
        if let Some(first) = seen.get(&key) {
            errors.push(
                Diagnostic::error(
                    ErrorKind::Data,
                    tr!(
                        format!("“{}”和“{}”的输出文件同名：{}", first.label, u.label, u.base.display()),
                        format!("“{}” and “{}” would both be written to {}", first.label, u.label, u.base.display())
                    ),
                )
                .help(tr!(
                    "用 --name 给出能区分它们的文件名模式，如 '{{ branch.name }}-{{ file_stem }}'",
                    "give --name a pattern that tells them apart, e.g. '{{ branch.name }}-{{ file_stem }}'"
                )),
            );
        } else {
            seen.insert(key, u);
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(Error { diagnostics: errors }) }
}

/// Renders a unit and writes its files, staged: not yet named (see
/// [`output::stage`]).
fn render_unit(engine: &Engine, unit: &UnitPlan, opts: &BatchOptions, at_once: bool) -> Result<output::Staged, Error> {
    let loaded = unit.data.as_ref().as_ref().map_err(Clone::clone)?;
    let branch = unit.branch.map(|i| &loaded.report.branches[i]);
    let rendered = engine.render(loaded, &opts.template, branch, opts.formats, at_once)?;
    let mut files = Vec::new();
    if let Some(pdf) = &rendered.pdf {
        files.push((with_ext(&unit.base, "pdf"), pdf.as_slice()));
    }
    if let Some(docx) = &rendered.docx {
        files.push((with_ext(&unit.base, "docx"), docx.as_slice()));
    }
    output::stage(&files)
}

/// `base` + `.ext`, keeping dots that are part of the name.
fn with_ext(base: &Path, ext: &str) -> PathBuf {
    let mut s = base.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// How many units may wait for the thread that names the files.
const COMMIT_QUEUE: usize = 32;

/// How many documents are rendered between two evictions of Typst's
/// memoised results (each eviction costs about 5 % of a document).
const EVICT_EVERY: usize = 8;

/// Runs a batch. Planning errors (no such template, duplicate names) stop
/// it before anything is written; unit failures are collected.
pub fn run(engine: &Engine, opts: &BatchOptions, progress: &dyn Progress) -> Result<Summary, Error> {
    let started = Instant::now();
    let mut units = plan(engine, opts)?;
    let mut warnings = Vec::new();
    let mut seen: Vec<&Arc<Result<Loaded, Error>>> = Vec::new();
    for u in &units {
        if !seen.iter().any(|d| Arc::ptr_eq(d, &u.data)) {
            seen.push(&u.data);
            if let Ok(l) = u.data.as_ref() {
                warnings.extend(l.warnings.iter().cloned());
            }
        }
    }
    drop(seen);
    if let Some(shard) = opts.shard {
        let r = shard.range(units.len());
        units = units.drain(r).collect();
    }
    let cores = crate::render::cores();
    let jobs = opts.jobs.filter(|&j| j > 0).unwrap_or(cores);
    progress.start(units.len());
    // A unit writes its PDF and DOCX at the same time only while a core
    // would otherwise be idle: with every core busy on a unit, it only
    // cost time (200 summaries, 2 jobs: 9 % more CPU time).
    let at_once = jobs.min(units.len()) < cores;
    let failed = Mutex::new(Vec::new());
    let rendered = AtomicUsize::new(0);
    let laid_out = AtomicUsize::new(0);
    let next = AtomicUsize::new(0);
    let fail = |unit: &UnitPlan, e: Error| {
        progress.done(&unit.label, false);
        failed.lock().expect("not poisoned").push((unit.label.clone(), e.diagnostics));
    };
    // Plain threads taking the next unit, not a rayon pool: typst-pdf
    // waits for its own parallel work with `rayon::yield_now`, which on a
    // pool's worker runs *other units* inside the waiting one's stack —
    // 2000 units nested deep enough to overflow it, and each nested unit
    // kept its memory alive.
    std::thread::scope(|scope| {
        // The workers hand their staged files to one thread that makes them
        // durable and names them: a worker waiting for the disk left its
        // core idle (200 summaries, 2 jobs: 13 % of the wall time). The
        // queue is short so that a slow disk holds the workers back rather
        // than piling up open files.
        let (staged_tx, staged_rx) = std::sync::mpsc::sync_channel::<(&UnitPlan, output::Staged)>(COMMIT_QUEUE);
        scope.spawn(|| {
            for (unit, staged) in staged_rx {
                match output::commit(staged) {
                    Ok(()) => {
                        rendered.fetch_add(1, Ordering::Relaxed);
                        progress.done(&unit.label, true);
                    }
                    Err(e) => fail(unit, e),
                }
            }
        });
        for _ in 0..jobs.min(units.len()) {
            let staged_tx = staged_tx.clone();
            scope.spawn(|| {
                let staged_tx = staged_tx;
                while let Some(u) = units.get(next.fetch_add(1, Ordering::Relaxed)) {
                    // Typst memoises across documents; forget what only
                    // older documents used, now and then, so memory stays
                    // flat over long batches.
                    if (laid_out.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(EVICT_EVERY) {
                        comemo::evict(4);
                    }
                    match render_unit(engine, u, opts, at_once) {
                        // Sending fails only if the committer is gone,
                        // which it is not before every worker is done.
                        Ok(staged) => staged_tx.send((u, staged)).expect("the committer outlives the workers"),
                        Err(e) => fail(u, e),
                    }
                }
            });
        }
        drop(staged_tx);
    });
    progress.finish();
    let mut failed = failed.into_inner().expect("not poisoned");
    failed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Summary {
        total: units.len(),
        rendered: rendered.into_inner(),
        failed,
        warnings,
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_everything_once() {
        for len in [0, 1, 5, 7, 200] {
            for n in 1..=4 {
                let mut all = Vec::new();
                for k in 1..=n {
                    all.extend(Shard { k, n }.range(len));
                }
                assert_eq!(all, (0..len).collect::<Vec<_>>());
            }
        }
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { k: 2, n: 3 }));
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(safe_file_name("第一党支部/2025:上半年?"), "第一党支部_2025_上半年_");
        assert_eq!(safe_file_name("con"), "_con");
        assert_eq!(safe_file_name("LPT1.txt"), "_LPT1.txt");
        assert_eq!(safe_file_name("  name. "), "name");
        assert_eq!(safe_file_name(""), "_");
        assert!(safe_file_name(&"长".repeat(300)).len() <= 200);
    }
}
