//! The JSON Schema of the data contract, generated from the Rust types so it
//! can never drift from what the loader accepts. Editors use it (VS Code's
//! YAML extension reads the `# yaml-language-server: $schema=…` line at the
//! top of a data file) to complete field names and underline mistakes.

use schemars::generate::SchemaSettings;

use super::types::Report;

/// The schema's `$id`: a stable name, not a download address (jianbao
/// works offline; `jianbao schema -o FILE` writes the file editors read).
pub const SCHEMA_ID: &str = "urn:jianbao:data:1";

/// The file name `jianbao init` and the bundled samples use for the schema.
pub const SCHEMA_FILE: &str = "jianbao.schema.json";

/// The schema (draft 2020-12) as JSON text, pretty-printed with a final
/// newline: the same bytes every time, so it can be committed and diffed.
pub fn json_schema() -> String {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<Report>();
    schema.insert("$id".into(), SCHEMA_ID.into());
    schema.insert("title".into(), "jianbao 数据文件".into());
    schema.insert(
        "description".into(),
        "简报（jianbao）的工作数据：单位、时期、正文各部分、活动、荣誉、报道、支部等。字段说明见各项。".into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema is plain JSON");
    text.push('\n');
    text
}
