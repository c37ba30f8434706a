//! `jianbao render` (one document) and `jianbao batch` (many).

use std::path::{Path, PathBuf};

use jianbao::error::{Diagnostic, Error, ErrorKind};
use jianbao::model::Loaded;
use jianbao::render::Engine;
use jianbao::{batch, output, progress, template, tr};

use super::args::{Output, Setup};
use super::{Failure, engine, formats, load, load_options, print_diagnostics, say};

pub fn render(data: &Path, template: &str, output: &Output, setup: &Setup) -> Result<(), Error> {
    super::heap::prefault_for(std::fs::metadata(data).map_or(0, |m| m.len()));
    // The engine (fonts, templates, Typst) is set up while the data is
    // read: neither needs the other. A data error still comes first.
    let (loaded, engine) = std::thread::scope(|s| {
        let engine = s.spawn(|| -> Result<Engine, Error> {
            let engine = engine(setup, &output.document, data)?;
            engine.fonts.index_coverage();
            Ok(engine)
        });
        let loaded = load(data, setup);
        (loaded, engine.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    let (loaded, engine) = (loaded?, engine?);
    for path in render_files(&engine, &loaded, data, template, output)? {
        if !output.quiet {
            say!("{}", path.display());
        }
    }
    Ok(())
}

/// Renders one data file with one template and writes the files
/// (atomically: each appears complete or not at all). Returns their paths.
pub fn render_files(
    engine: &Engine,
    loaded: &Loaded,
    data: &Path,
    template: &str,
    output: &Output,
) -> Result<Vec<PathBuf>, Error> {
    refuse_branch_template(engine, data, template)?;
    print_diagnostics(&engine.check_fonts(loaded)?);
    // One document: the PDF and the DOCX on two threads.
    let rendered = engine.render(loaded, template, None, formats(&output.format), true)?;
    let stem = data.file_stem().and_then(|s| s.to_str()).unwrap_or("report");
    let base = output.out.join(format!("{stem}-{template}"));
    let mut files = Vec::new();
    if let Some(pdf) = &rendered.pdf {
        files.push((base.with_extension("pdf"), pdf.as_slice()));
    }
    if let Some(docx) = &rendered.docx {
        files.push((base.with_extension("docx"), docx.as_slice()));
    }
    output::write_all(&files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// A per-branch template renders through `batch`: say so instead of
/// rendering the whole report with no branch.
pub fn refuse_branch_template(engine: &Engine, data: &Path, template: &str) -> Result<(), Error> {
    let info = engine.templates.info(template)?;
    if info.front.unit != template::Unit::Branch {
        return Ok(());
    }
    Err(Diagnostic::error(
        ErrorKind::Template,
        tr!(
            format!("模板“{template}”按支部逐个生成，请用 jianbao batch {} -t {template}", data.display()),
            format!(
                "the template “{template}” renders one document per branch: use jianbao batch {} -t {template}",
                data.display()
            )
        ),
    )
    .into())
}

/// The batch-only arguments.
pub struct BatchArgs {
    pub input: PathBuf,
    pub template: String,
    pub name: Option<String>,
    pub jobs: Option<usize>,
    pub shard: Option<batch::Shard>,
}

pub fn batch(args: BatchArgs, output: &Output, setup: &Setup) -> Result<(), Failure> {
    let data_hint = if args.input.is_dir() { args.input.join("x.yaml") } else { args.input.clone() };
    let engine = engine(setup, &output.document, &data_hint)?;
    let opts = batch::BatchOptions {
        input: args.input,
        template: args.template,
        out: output.out.clone(),
        formats: formats(&output.format),
        name: args.name,
        shard: args.shard,
        jobs: args.jobs,
        load: load_options(setup),
    };
    let reporter = progress::Reporter::new(progress::Mode::detect(output.quiet));
    let summary = batch::run(&engine, &opts, &reporter)?;
    print_diagnostics(&summary.warnings);
    print_summary(&summary, output.quiet);
    if summary.failed.is_empty() { Ok(()) } else { Err(Failure::Batch) }
}

fn print_summary(s: &batch::Summary, quiet: bool) {
    if !quiet || !s.failed.is_empty() {
        let rate = if s.seconds > 0.0 { s.rendered as f64 / s.seconds } else { 0.0 };
        eprintln!(
            "{}",
            tr!(
                format!("已生成 {}/{} 份，用时 {:.1} 秒（每秒 {:.0} 份）", s.rendered, s.total, s.seconds, rate),
                format!("rendered {} of {} in {:.1} s ({:.0} per second)", s.rendered, s.total, s.seconds, rate)
            )
        );
    }
    if !s.failed.is_empty() {
        eprintln!("{}", tr!(format!("失败 {} 份：", s.failed.len()), format!("{} failed:", s.failed.len())));
        // Units that failed for the same reason (a template error hits
        // every branch) are listed together, the reason printed once in
        // full: position, the line, what to do.
        let mut groups: Vec<(&Vec<jianbao::Diagnostic>, Vec<&str>)> = Vec::new();
        for (label, diags) in &s.failed {
            match groups.iter_mut().find(|(d, _)| *d == diags) {
                Some((_, labels)) => labels.push(label),
                None => groups.push((diags, vec![label])),
            }
        }
        const SHOWN: usize = 5;
        for (diags, labels) in groups {
            let mut names = labels.iter().take(SHOWN).copied().collect::<Vec<_>>().join(tr!("、", ", "));
            if labels.len() > SHOWN {
                names.push_str(&tr!(format!(" 等 {} 份", labels.len()), format!(" and {} more", labels.len() - SHOWN)));
            }
            eprintln!("\n{names}");
            print_diagnostics(diags);
        }
    }
}
