//! `jianbao init`: a ready-to-edit project — sample data, a commented
//! config file, the schema editors read, and copies of the built-in
//! templates — that renders with no edits.

use std::path::{Path, PathBuf};

use jianbao::error::{Diagnostic, Error, ErrorKind};
use jianbao::model::schema::{SCHEMA_FILE, json_schema};
use jianbao::{output, template, tr};

use super::say;

/// The sample data: the bundled fictional county report (its first line
/// already points editors at the schema file beside it).
const SAMPLE_DATA: &str = include_str!("../../data/county-civil-affairs.yaml");
const SAMPLE_CONFIG: &str = include_str!("../../data/init/jianbao.toml");
pub const DATA_FILE: &str = "report.yaml";

pub fn init(dir: &Path) -> Result<(), Error> {
    let schema = json_schema();
    let mut files: Vec<(PathBuf, &[u8])> = vec![
        (dir.join(DATA_FILE), SAMPLE_DATA.as_bytes()),
        (dir.join(jianbao::fonts::config::FILE_NAME), SAMPLE_CONFIG.as_bytes()),
        (dir.join(SCHEMA_FILE), schema.as_bytes()),
    ];
    for (name, source) in template::BUILTIN {
        files.push((dir.join("templates").join(name), source.as_bytes()));
    }
    // Nothing is overwritten: a folder that already holds any of these
    // files is left exactly as it was.
    let existing: Vec<String> =
        files.iter().filter(|(p, _)| p.exists()).map(|(p, _)| p.display().to_string()).collect();
    if !existing.is_empty() {
        return Err(Diagnostic::error(
            ErrorKind::Io,
            tr!(
                format!("{} 中已有这些文件，未做任何改动：{}", dir.display(), existing.join("、")),
                format!("{} already holds these files; nothing was changed: {}", dir.display(), existing.join(", "))
            ),
        )
        .help(tr!("换一个新文件夹，如 jianbao init 新项目", "use a new folder, e.g. jianbao init my-report"))
        .into());
    }
    output::write_all(&files)?;

    say!("{}", tr!(format!("已新建项目 {}：", dir.display()), format!("created the project {}:", dir.display())));
    let listing = [
        (DATA_FILE, tr!("示例数据：改成本单位的内容", "sample data: replace it with your organisation's")),
        (jianbao::fonts::config::FILE_NAME, tr!("配置：本单位的字体等", "config: your office's fonts and more")),
        (SCHEMA_FILE, tr!("字段说明，供 VS Code 等编辑器补全和检查", "field descriptions for editors (VS Code)")),
        ("templates/", tr!("模板副本：可按需修改，优先于内置模板", "copies of the templates: edit as needed")),
    ];
    for (name, what) in listing {
        say!("  {name:<20} {what}");
    }
    say!("{}", tr!("下一步：", "next:"));
    if dir != Path::new(".") {
        say!("  cd {}", shell_quote(&dir.display().to_string()));
    }
    say!("  jianbao render {DATA_FILE} -t half-year");
    Ok(())
}

/// Quotes a path for a POSIX shell when it needs it.
fn shell_quote(s: &str) -> String {
    if s.chars().all(|c| c.is_alphanumeric() || "-_./".contains(c)) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
