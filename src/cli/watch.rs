//! `jianbao watch`: render, then render again whenever the data file, a
//! template or the config file changes. Errors are printed and watching
//! goes on; files are only ever replaced by a complete good render, so the
//! last good output stays in place while the data is broken.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer};

use jianbao::error::{Diagnostic, Error, ErrorKind};
use jianbao::render::Engine;
use jianbao::{template, tr};

use super::args::{Output, Setup};
use super::render::render_files;
use super::{load, say};

/// Editors save in bursts (write, rename, touch): changes closer together
/// than this are one change.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// What is watched, as absolute paths.
struct Watched {
    data: PathBuf,
    config: Option<PathBuf>,
    template_dirs: Vec<PathBuf>,
    /// The pictures the data named when it last loaded.
    images: Vec<PathBuf>,
}

/// What a change touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Only the data file: reload it.
    Data,
    /// A template or the config: set the engine up again too.
    Setup,
}

/// When a file was last modified and how long it was: file systems also
/// report a file being opened or read (jianbao reading its own data is
/// such an event), so only a new stamp counts as a change.
type Stamp = Option<(std::time::SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    std::fs::metadata(path).ok().and_then(|m| Some((m.modified().ok()?, m.len())))
}

/// The files under `dir`, to stamp them before anything changes.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

impl Watched {
    /// Whether `path` changed since it was last stamped (and stamps it).
    fn changed(&self, stamps: &mut HashMap<PathBuf, Stamp>, path: &Path) -> bool {
        let now = stamp(path);
        stamps.insert(path.to_owned(), now) != Some(now)
    }

    fn classify(&self, path: &Path) -> Option<Change> {
        if path == self.data || self.images.iter().any(|i| i == path) {
            Some(Change::Data)
        } else if self.config.as_deref() == Some(path) || self.template_dirs.iter().any(|d| path.starts_with(d)) {
            Some(Change::Setup)
        } else {
            None
        }
    }
}

pub fn watch(data: &Path, template: &str, output: &Output, setup: &Setup) -> Result<(), Error> {
    let data = absolute(data)?;
    if !data.is_file() {
        return Err(Error::io(&data, &std::io::Error::from(std::io::ErrorKind::NotFound)));
    }
    let config = match &setup.config {
        Some(c) => Some(absolute(c)?),
        None => data.parent().map(|d| d.join(jianbao::fonts::config::FILE_NAME)),
    };
    let template_dirs = template::search_dirs(setup.templates.as_deref(), Some(&data))?
        .iter()
        .map(|d| absolute(d))
        .collect::<Result<Vec<_>, _>>()?;
    let mut watched = Watched { data: data.clone(), config, template_dirs, images: Vec::new() };

    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, tx).map_err(watch_error)?;
    // Folders, not files: editors replace a file by renaming a new one
    // over it, which ends a watch on the file itself.
    let mut folders: Vec<(PathBuf, RecursiveMode)> = Vec::new();
    let mut add = |dir: PathBuf, mode| {
        if dir.is_dir() && !folders.iter().any(|(d, _)| *d == dir) {
            folders.push((dir, mode));
        }
    };
    if let Some(parent) = watched.data.parent() {
        add(parent.to_owned(), RecursiveMode::NonRecursive);
    }
    if let Some(parent) = watched.config.as_deref().and_then(Path::parent) {
        add(parent.to_owned(), RecursiveMode::NonRecursive);
    }
    for d in &watched.template_dirs {
        add(d.clone(), RecursiveMode::Recursive);
    }
    for (dir, mode) in &folders {
        debouncer.watcher().watch(dir, *mode).map_err(watch_error)?;
    }
    let mut stamps: HashMap<PathBuf, Stamp> = HashMap::new();
    let mut known = vec![watched.data.clone()];
    known.extend(watched.config.clone());
    for d in &watched.template_dirs {
        files_under(d, &mut known);
    }
    for path in known {
        stamps.insert(path.clone(), stamp(&path));
    }
    let mut watch_images = |watched: &mut Watched,
                            images: Option<Vec<(PathBuf, Stamp)>>,
                            folders: &mut Vec<PathBuf>,
                            stamps: &mut HashMap<PathBuf, Stamp>| {
        let Some(images) = images else { return };
        let images: Vec<PathBuf> = images
            .into_iter()
            .map(|(image, at_load)| {
                // The stamp from when the data loaded, not from now: a
                // picture replaced while the document rendered is a change.
                stamps.entry(image.clone()).or_insert(at_load);
                image
            })
            .collect();
        for dir in images.iter().filter_map(|i| i.parent()) {
            if !folders.iter().any(|d| d == dir) && debouncer.watcher().watch(dir, RecursiveMode::NonRecursive).is_ok()
            {
                folders.push(dir.to_owned());
            }
        }
        watched.images = images;
    };
    let mut folders: Vec<PathBuf> = folders.into_iter().map(|(d, _)| d).collect();

    if !output.quiet {
        say!(
            "{}",
            tr!(
                format!("正在监视 {} 及其模板和配置，改动后自动重新生成（Ctrl+C 结束）", data.display()),
                format!(
                    "watching {} with its templates and config; changes render again (Ctrl+C ends)",
                    data.display()
                )
            )
        );
    }
    let mut engine = None;
    let mut runs = 1;
    let images = run_once(&mut engine, &data, template, output, setup, Change::Setup, runs);
    watch_images(&mut watched, images, &mut folders, &mut stamps);
    for event in rx {
        let events = match event {
            Ok(events) => events,
            Err(e) => {
                eprintln!("{}", tr!(format!("监视出错：{e}"), format!("watch error: {e}")));
                continue;
            }
        };
        let change = events
            .iter()
            .filter_map(|e| watched.classify(&e.path).filter(|_| watched.changed(&mut stamps, &e.path)))
            .max_by_key(|c| *c == Change::Setup);
        if let Some(change) = change {
            runs += 1;
            let images = run_once(&mut engine, &data, template, output, setup, change, runs);
            watch_images(&mut watched, images, &mut folders, &mut stamps);
        }
    }
    Ok(())
}

/// One render (the `run`-th); errors are printed, never returned. Returns
/// the picture files of the data when it loaded, stamped as they were read. (Runs
/// are numbered rather than timed: the local time zone cannot be read
/// safely once the watcher's thread runs.)
fn run_once(
    engine: &mut Option<Engine>,
    data: &Path,
    template: &str,
    output: &Output,
    setup: &Setup,
    change: Change,
    run: usize,
) -> Option<Vec<(PathBuf, Stamp)>> {
    let started = Instant::now();
    if change == Change::Setup {
        *engine = None;
    }
    let mut images = None;
    let result = (|| -> Result<Vec<PathBuf>, Error> {
        let loaded = load(data, setup)?;
        images = Some(loaded.images.files().map(|p| (p.to_owned(), stamp(p))).collect());
        if engine.is_none() {
            // Set up again: the config or a template may be what changed.
            *engine = Some(super::engine(setup, &output.document, data)?);
        }
        let engine = engine.as_ref().expect("set up just above");
        render_files(engine, &loaded, data, template, output)
    })();
    match result {
        Ok(_) if output.quiet => {}
        Ok(files) => {
            let list: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
            let secs = started.elapsed().as_secs_f64();
            say!(
                "{}",
                tr!(
                    format!("[第 {run} 次] 已生成 {}（用时 {secs:.1} 秒）", list.join("、")),
                    format!("[run {run}] rendered {} ({secs:.1} s)", list.join(", "))
                )
            );
        }
        Err(e) => {
            eprint!("{e}");
            say!(
                "{}",
                tr!(
                    format!("[第 {run} 次] 有错误，保留上次生成的文件；改正后保存即重新生成"),
                    format!("[run {run}] errors: the last good files stay; save a fix to render again")
                )
            );
        }
    }
    images
}

fn absolute(p: &Path) -> Result<PathBuf, Error> {
    std::path::absolute(p).map_err(|e| Error::io(p, &e))
}

fn watch_error(e: notify_debouncer_mini::notify::Error) -> Error {
    Diagnostic::error(ErrorKind::Io, tr!(format!("无法监视文件改动：{e}"), format!("cannot watch for changes: {e}")))
        .into()
}
