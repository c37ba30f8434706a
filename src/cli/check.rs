//! `jianbao check`: everything `render` does — data validation, template,
//! font coverage, layout, both writers — without writing a file, then a
//! short report to read before printing.

use std::path::Path;

use jianbao::error::{Error, Severity};
use jianbao::fonts::coverage;
use jianbao::model::{Loaded, figures};
use jianbao::render::{Engine, Formats, Rendered};
use jianbao::{template, tr};

use super::args::{DocumentOptions, Setup};
use super::{engine, load, print_diagnostics, say};

pub fn check(data: &Path, template: Option<&str>, document: &DocumentOptions, setup: &Setup) -> Result<(), Error> {
    let loaded = load(data, setup)?;
    let engine = engine(setup, document, data)?;
    let coverage = coverage::check(&loaded, &engine.fonts);
    let font_notes = engine.font_notes(&loaded, &coverage)?;
    print_diagnostics(&font_notes);
    let warnings = loaded.warnings.len() + font_notes.iter().filter(|d| d.severity == Severity::Warning).count();

    say!("{}", tr!(format!("数据：{} 无误", data.display()), format!("data: {} is valid", data.display())));
    say!("{}", figures_line(&loaded));
    say!("{}", coverage_line(&coverage));

    let Some(template) = template else {
        say!("{}", verdict(warnings));
        say!(
            "{}",
            tr!(
                format!("加 -t 模板名 还可检查正文和排版，如：jianbao check {} -t half-year", data.display()),
                format!(
                    "add -t TEMPLATE to check the body and layout too, e.g. jianbao check {} -t half-year",
                    data.display()
                )
            )
        );
        return Ok(());
    };

    let units = units(&engine, &loaded, template)?;
    let mut fonts_used = Vec::new();
    for (label, branch) in &units {
        let rendered = engine.render(&loaded, template, *branch, Formats { pdf: true, docx: true }, true)?;
        say!("{}", pages_line(template, label.as_deref(), &rendered));
        merge_fonts(&mut fonts_used, &rendered);
    }
    let fonts: Vec<String> = fonts_used.iter().map(|(family, glyphs)| format!("{family} {glyphs}")).collect();
    say!(
        "{}",
        tr!(
            format!("用到的字体（字形数）：{}", fonts.join("，")),
            format!("fonts used (glyphs): {}", fonts.join(", "))
        )
    );
    say!("{}", verdict(warnings));
    Ok(())
}

/// One document a template renders: its label (the branch's name) and
/// branch, or neither for the whole report.
type Unit<'a> = (Option<String>, Option<&'a jianbao::model::Branch>);

/// The units a template renders from one data file: the whole report, or
/// one per branch for a per-branch template.
fn units<'a>(engine: &Engine, loaded: &'a Loaded, template: &str) -> Result<Vec<Unit<'a>>, Error> {
    let per_branch = engine.templates.info(template)?.front.unit == template::Unit::Branch;
    if !per_branch {
        return Ok(vec![(None, None)]);
    }
    Ok(loaded.report.branches.iter().map(|b| (Some(b.name.to_string()), Some(b))).collect())
}

fn pages_line(template: &str, branch: Option<&str>, r: &Rendered) -> String {
    match branch {
        Some(b) => tr!(
            format!("模板 {template}（{b}）：{} 页", r.pages),
            format!("template {template} ({b}): {} page(s)", r.pages)
        ),
        None => tr!(format!("模板 {template}：{} 页", r.pages), format!("template {template}: {} page(s)", r.pages)),
    }
}

fn merge_fonts(total: &mut Vec<(String, usize)>, r: &Rendered) {
    for f in &r.fonts_used {
        match total.iter_mut().find(|(family, _)| *family == f.family) {
            Some((_, n)) => *n += f.glyphs,
            None => total.push((f.family.clone(), f.glyphs)),
        }
    }
    total.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

/// The derived figures a template would quote, in one line.
fn figures_line(loaded: &Loaded) -> String {
    let r = &loaded.report;
    let all: Vec<_> = r.activities.iter().collect();
    let f = figures::figures(r, &all);
    let levels = |v: &[figures::LevelCount]| {
        v.iter().map(|l| format!("{} {}", l.level, l.count)).collect::<Vec<_>>().join(tr!("、", ", "))
    };
    let mut parts = vec![tr!(
        format!("活动 {} 次，参加 {} 人次", f.activity_count, f.participants_total),
        format!("{} activities, {} participants", f.activity_count, f.participants_total)
    )];
    if f.honour_count > 0 {
        parts.push(tr!(
            format!("荣誉 {} 项（{}）", f.honour_count, levels(&f.honours_by_level)),
            format!("{} honours ({})", f.honour_count, levels(&f.honours_by_level))
        ));
    }
    if f.coverage_count > 0 {
        parts.push(tr!(
            format!("报道 {} 篇（{}）", f.coverage_count, levels(&f.coverage_by_level)),
            format!("{} media items ({})", f.coverage_count, levels(&f.coverage_by_level))
        ));
    }
    if f.branch_count > 0 {
        parts.push(tr!(
            format!("支部 {} 个，党员 {} 名", f.branch_count, f.member_total),
            format!("{} branches, {} members", f.branch_count, f.member_total)
        ));
    }
    tr!(format!("统计：{}", parts.join("；")), format!("figures: {}", parts.join("; ")))
}

/// Whether every character has a font, and how many only the fallback has.
fn coverage_line(c: &coverage::Coverage) -> String {
    let fallback: String = c.fallback.keys().take(12).collect();
    let more = if c.fallback.len() > 12 { "…" } else { "" };
    match (c.missing.len(), c.fallback.len()) {
        (0, 0) => {
            tr!("字体：每个字都有对应角色的字体".to_owned(), "fonts: every character has its role's font".to_owned())
        }
        (0, n) => tr!(
            format!("字体：每个字都有字体；{n} 个字由后备字体显示：{fallback}{more}（-v 列出位置）"),
            format!("fonts: every character has a font; {n} drawn by the fallback: {fallback}{more} (-v lists where)")
        ),
        (m, _) => tr!(
            format!("字体：{m} 个字没有字体，会印成方框（见上方警告）"),
            format!("fonts: {m} character(s) have no font and print as boxes (see the warnings above)")
        ),
    }
}

fn verdict(warnings: usize) -> String {
    if warnings == 0 {
        tr!("结论：可以生成".to_owned(), "result: ready to render".to_owned())
    } else {
        tr!(
            format!("结论：可以生成，但有 {warnings} 条警告（见上方）"),
            format!("result: ready to render, with {warnings} warning(s) (see above)")
        )
    }
}
