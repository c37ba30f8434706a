//! Commands that describe jianbao itself: templates, fonts, the data
//! schema, shell completions.

use std::path::{Path, PathBuf};

use jianbao::error::Error;
use jianbao::fonts::{self, Config};
use jianbao::{model, output, template, tr};

use super::{font_options, help, say};

/// Stands for a data file in the current folder: `templates` and `fonts`
/// run in a project folder see its `templates/` and `jianbao.toml`, as
/// `render` there does.
fn here() -> PathBuf {
    Path::new(".").join("report.yaml")
}

pub fn templates(dir: Option<&Path>) -> Result<(), Error> {
    let t = template::Templates::new(template::search_dirs(dir, Some(&here()))?);
    let mut broken = Vec::new();
    for (name, info) in t.list() {
        match info {
            Ok(info) => say!("{:<16} {}", info.name, info.front.describe()),
            Err(e) => {
                say!("{name:<16} {}", tr!("（有误，见下方）", "(broken: see below)"));
                broken.push(e);
            }
        }
    }
    // Listed, then explained (and exit 3): a template with a broken
    // header is not silently left out.
    if !broken.is_empty() {
        return Err(Error { diagnostics: broken.into_iter().flat_map(|e| e.diagnostics).collect() });
    }
    Ok(())
}

/// Prints the data contract's JSON Schema, or writes it to `out`.
pub fn schema(out: Option<&Path>) -> Result<(), Error> {
    let text = model::schema::json_schema();
    match out {
        Some(path) => {
            output::write_all(&[(path.to_owned(), text.as_bytes())])?;
            say!("{}", path.display());
        }
        None => {
            use std::io::Write;
            if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
                std::process::exit(0);
            }
        }
    }
    Ok(())
}

/// Prints a completion script for `shell`, with help in the message
/// language (zsh and fish show it beside each option).
pub fn completions(shell: clap_complete::Shell) {
    let mut cmd = help::command();
    // Into memory first: clap_complete panics on a closed pipe
    // (`jianbao completions bash | head`); our write ends quietly.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "jianbao", &mut script);
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(&script);
}

pub fn fonts(config: Option<&Path>, font_path: &[PathBuf]) -> Result<(), Error> {
    let config = Config::find(config, Some(&here()))?;
    let set = fonts::FontSet::load(&font_options(&config, font_path))?;
    let gb = fonts::coverage::gb2312_hanzi();
    let ty = fonts::coverage::tongyong_8105();
    let mut rows: Vec<Vec<String>> = vec![
        tr!(
            ["角色", "字体（字族）", "文件", "来源", "GB2312", "通用规范汉字表"],
            ["role", "family", "file", "origin", "GB2312", "General Standard"]
        )
        .iter()
        .map(|s| s.to_string())
        .collect(),
    ];
    for role in fonts::Role::ALL {
        let rf = set.role(role);
        let family = &rf.families[0];
        let face = set.faces_of(family, rf.weight).into_iter().next();
        let covers = |chars: &[char]| {
            chars.iter().filter(|&&c| face.is_some_and(|f| f.font.info().coverage.contains(c as u32))).count()
        };
        let origin = face.map_or("-", |f| match f.origin {
            fonts::Origin::Bundled => tr!("内置", "bundled"),
            fonts::Origin::User => tr!("用户", "user"),
            fonts::Origin::System => tr!("系统", "system"),
        });
        rows.push(vec![
            role.name().to_owned(),
            family.clone(),
            face.map_or("-".to_owned(), |f| f.file.clone()),
            origin.to_owned(),
            format!("{}/{}", covers(&gb), gb.len()),
            format!("{}/{}", covers(&ty), ty.len()),
        ]);
    }
    for line in table(&rows) {
        say!("{line}");
    }
    say!(
        "{}",
        tr!(
            format!("后备链：各角色字体 → 该角色的内置字体 → {} → {}", fonts::FALLBACK_FAMILY, fonts::EMOJI_FAMILY),
            format!(
                "fallback chain: the role's font → the role's bundled font → {} → {}",
                fonts::FALLBACK_FAMILY,
                fonts::EMOJI_FAMILY
            )
        )
    );
    Ok(())
}

/// Rows as aligned columns, by display width (a Chinese character takes
/// two columns of a terminal).
fn table(rows: &[Vec<String>]) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..columns).map(|i| rows.iter().filter_map(|r| r.get(i)).map(|c| c.width()).max().unwrap_or(0)).collect();
    rows.iter()
        .map(|r| {
            let cells: Vec<String> =
                r.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - c.width()))).collect();
            cells.join("  ").trim_end().to_owned()
        })
        .collect()
}
