//! `cargo fuzz run yaml_load`: see fuzz/README.md. The invariants live in
//! fuzz/common/checks.rs, shared with tests/fuzz_seeds.rs.
#![no_main]

#[path = "../common/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::yaml_load(data));
