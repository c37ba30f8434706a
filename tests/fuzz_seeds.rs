//! Replays every committed fuzz seed (`fuzz/corpus/<target>/*`) through the
//! code path of its cargo-fuzz target, with the same invariant checks
//! (`fuzz/common/checks.rs`), so the stable `cargo test` keeps the corpora
//! meaningful. The fuzzing itself is described in `fuzz/README.md`.

#[path = "../fuzz/common/checks.rs"]
mod checks;

use std::path::PathBuf;

/// The seeds of one target, sorted by name.
fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds in {}", dir.display());
    out
}

/// Runs `check` on every seed of `target`; a failure names the seed.
fn replay(target: &str, check: fn(&[u8])) {
    let mut failed = Vec::new();
    for (name, data) in seeds(target) {
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "{target}: seeds breaking an invariant (messages above): {failed:?}");
}

#[test]
fn yaml_load_seeds() {
    replay("yaml_load", checks::yaml_load);
}

#[test]
fn markup_parse_seeds() {
    replay("markup_parse", checks::markup_parse);
}

#[test]
fn docx_write_seeds() {
    replay("docx_write", checks::docx_write);
}
