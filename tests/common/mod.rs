//! Helpers for end-to-end tests: run the CLI as a user would, measure the
//! PDF (through `tests/tools/pdfprobe.py`, PyMuPDF) and read the DOCX XML.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A sample data file under `data/`.
pub fn sample(name: &str) -> PathBuf {
    root().join("data").join(name)
}

/// The `jianbao` binary under test, with a fixed language and no
/// influence from the caller's locale.
pub fn jianbao() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jianbao"));
    c.env_remove("LANG").env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("SOURCE_DATE_EPOCH");
    c
}

/// Runs the CLI; returns the output (never panics on failure exit codes).
pub fn run(args: &[&str]) -> Output {
    jianbao().args(args).output().expect("run jianbao")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Renders `data` with `template` into `out`; asserts success and returns
/// the PDF and DOCX paths.
pub fn render(data: &Path, template: &str, out: &Path) -> (PathBuf, PathBuf) {
    let o = run(&["render", data.to_str().unwrap(), "-t", template, "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "render failed: {}", stderr(&o));
    let stem = data.file_stem().unwrap().to_str().unwrap();
    let pdf = out.join(format!("{stem}-{template}.pdf"));
    let docx = out.join(format!("{stem}-{template}.docx"));
    assert!(pdf.is_file() && docx.is_file(), "outputs missing: {}", stdout(&o));
    (pdf, docx)
}

/// Makes sure a Python module is importable, installing its package with
/// pip the first time (so `cargo test` works on a fresh machine). Test
/// binaries run in parallel: a lock file keeps pip runs apart.
pub fn ensure_python(module: &str, package: &str) {
    let ok =
        || Command::new("python3").args(["-c", &format!("import {module}")]).output().is_ok_and(|o| o.status.success());
    if ok() {
        return;
    }
    let lock_path = root().join("target/.pip-install.lock");
    let lock = std::fs::File::create(&lock_path).expect("lock file");
    lock.lock().expect("lock");
    if !ok() {
        let st = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", package])
            .status()
            .expect("python3 -m pip");
        assert!(st.success(), "could not install {package} (pip install {package})");
    }
}

fn ensure_pymupdf() {
    static READY: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    READY.get_or_init(|| ensure_python("pymupdf", "pymupdf"));
}

/// What the script `tests/tools/<tool>` prints as JSON for `file` (its
/// Python modules already there).
pub fn tool_json(tool: &str, file: &Path) -> serde_json::Value {
    let o = Command::new("python3")
        .arg(root().join("tests/tools").join(tool))
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("python3 runs {tool}: {e}"));
    assert!(o.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("JSON from {tool}: {e}"))
}

/// PyMuPDF's measurements of a PDF (see tests/tools/pdfprobe.py).
pub fn probe(pdf: &Path) -> serde_json::Value {
    ensure_pymupdf();
    tool_json("pdfprobe.py", pdf)
}

/// Every text line of a probed PDF, without page numbers.
pub fn pdf_lines(probe: &serde_json::Value) -> Vec<String> {
    probe["pages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["lines"].as_array().unwrap().iter())
        .map(|l| l["text"].as_str().unwrap().to_owned())
        .filter(|t| !is_page_number(t))
        .collect()
}

/// `— 12 —`
pub fn is_page_number(t: &str) -> bool {
    let t = t.trim();
    t.starts_with('—') && t.ends_with('—') && t.trim_matches(['—', ' ']).chars().all(|c| c.is_ascii_digit())
}

/// Text with all white space removed (line breaks differ between formats).
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The PDF's text, page numbers dropped, white space removed.
pub fn pdf_text(probe: &serde_json::Value) -> String {
    squash(&pdf_lines(probe).concat())
}

/// Every part of a DOCX package: name → bytes.
pub fn docx_parts(docx: &Path) -> Vec<(String, Vec<u8>)> {
    let f = std::fs::File::open(docx).unwrap();
    let mut z = zip::ZipArchive::new(f).expect("DOCX is a ZIP");
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let mut buf = Vec::new();
            e.read_to_end(&mut buf).unwrap();
            (e.name().expect("entry name").to_string(), buf)
        })
        .collect()
}

/// One part of a DOCX as text.
pub fn docx_part(docx: &Path, name: &str) -> String {
    let parts = docx_parts(docx);
    let (_, bytes) = parts.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} missing"));
    String::from_utf8(bytes.clone()).expect("UTF-8 XML")
}

/// Asserts every XML part parses; returns how many were checked.
pub fn assert_docx_xml_parses(docx: &Path) -> usize {
    let mut n = 0;
    for (name, bytes) in docx_parts(docx) {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let text = std::str::from_utf8(&bytes).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
            roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
            n += 1;
        }
    }
    n
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The paragraphs of `word/document.xml` (body and tables), as text:
/// `w:t` contents joined, `w:tab` as a tab, one entry per `w:p`.
pub fn docx_paragraphs(docx: &Path) -> Vec<String> {
    let xml = docx_part(docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).expect("document.xml parses");
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(|p| {
            p.descendants()
                .filter_map(|n| {
                    if n.has_tag_name((W, "t")) {
                        Some(n.text().unwrap_or("").to_owned())
                    } else if n.has_tag_name((W, "tab")) {
                        Some("\t".to_owned())
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect()
}

/// The DOCX body text with white space removed.
pub fn docx_text(docx: &Path) -> String {
    squash(&docx_paragraphs(docx).concat())
}

/// A fresh temporary folder.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Files in a folder (names), sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// Copies the bundled font `bundled` (a path under `fonts/`) to `dst` with
/// new family names (`tests/tools/rename_font.py`, fontTools): an office
/// font the machine does not have.
pub fn renamed_font(bundled: &str, dst: &Path, english: &str, chinese: &str) {
    ensure_python("fontTools", "fonttools");
    let st = Command::new("python3")
        .arg(root().join("tests/tools/rename_font.py"))
        .arg(root().join("fonts").join(bundled))
        .arg(dst)
        .args([english, chinese])
        .status()
        .expect("python3 runs");
    assert!(st.success(), "could not write {}", dst.display());
}

/// Writes `work/fonts.conf`: a fontconfig that sees only the font folders
/// `dirs` (no system fonts) and caches under `work`, plus `extra` rules.
pub fn isolated_fontconfig(work: &Path, dirs: &[&Path], extra: &str) -> PathBuf {
    let dirs: String = dirs.iter().map(|d| format!("<dir>{}</dir>\n", d.display())).collect();
    let conf = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n{dirs}<cachedir>{}</cachedir>\n{extra}</fontconfig>\n",
        work.join("fc-cache").display()
    );
    let path = work.join("fonts.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

/// Converts `docs` to PDF into `outdir` with LibreOffice, seeing the fonts
/// of `fontconfig` only and a fresh profile under `work`; asserts success.
pub fn libreoffice_to_pdf<'a>(
    soffice: &str,
    fontconfig: &Path,
    work: &Path,
    outdir: &Path,
    docs: impl IntoIterator<Item = &'a Path>,
) {
    let o = Command::new(soffice)
        .env("FONTCONFIG_FILE", fontconfig)
        .arg(format!("-env:UserInstallation=file://{}", work.join("profile").display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(outdir)
        .args(docs)
        .output()
        .expect("soffice runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// LibreOffice's command, when it is installed (the parity and font tests
/// skip with a message otherwise).
pub fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
}
