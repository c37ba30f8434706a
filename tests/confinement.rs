//! Confinement: nothing outside the data file's folder and the template
//! folders can be read by naming it — not by a picture path in the data
//! (`..`, an absolute path, a symlink), not by a template (`include` of an
//! absolute name, a linked file, a linked template or layout), not through
//! the Typst world (which serves only the layout, its data and the
//! document's pictures under fixed virtual names). A refused picture is a
//! data error (exit 2) at the path's position, naming the allowed folders;
//! a refused template file a template error (exit 3) naming the template
//! and line. Nothing is written on error.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const HEAD: &str = "organization:\n  name: 某某县民政局机关\nperiod:\n  label: 2025年上半年\ndate: 2025-07-10\n";

/// A data file with one picture whose path is `path` (written as given,
/// quoted). The `path:` value is on line 11, column 19.
fn data_with_picture(path: &str, extra: &str) -> String {
    format!(
        "{HEAD}sections:\n  - title: 测试\n    points:\n      - title: 要点\n        images:\n          - path: '{}'\n            caption: 图为测试\n{extra}",
        path.replace('\'', "''")
    )
}

const PATH_AT: &str = "bad.yaml:11:19";
const PATH_FIELD: &str = "sections[0].points[0].images[0].path";

/// A small PNG of `w` × `h` pixels.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, 160]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

/// A small JPEG.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, _| image::Rgb([200, (x * 3) as u8, 40]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Jpeg).unwrap();
    out
}

/// Renders `dir/bad.yaml` with `template` into `dir/out`: exit code,
/// stderr, files written.
fn render_in(dir: &Path, template: &str, extra_args: &[&str]) -> (i32, String, Vec<String>) {
    let data = dir.join("bad.yaml");
    let out = dir.join("out");
    let mut args = vec!["--lang", "en", "render", data.to_str().unwrap(), "-t", template, "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra_args);
    let o = run(&args);
    (o.status.code().unwrap_or(-1), stderr(&o), files_in(&out))
}

/// Writes the data file and renders it; asserts a data error at the
/// picture's path with `message`, and no output.
fn refused(dir: &Path, path: &str, message: &str) -> String {
    std::fs::write(dir.join("bad.yaml"), data_with_picture(path, "")).unwrap();
    let (code, err, files) = render_in(dir, "media", &[]);
    assert_eq!(code, 2, "{path}: {err}");
    assert!(err.contains(PATH_AT), "{path}: position missing: {err}");
    assert!(err.contains(PATH_FIELD), "{path}: field missing: {err}");
    assert!(err.contains(message), "{path}: expected “{message}”: {err}");
    assert!(files.is_empty(), "{path}: output written: {files:?}");
    err
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap()
}

#[test]
fn picture_paths_cannot_leave_the_data_folder() {
    let dir = tempdir();
    let d = dir.path();
    let err = refused(d, "../../etc/passwd", "is outside the allowed folders");
    // The message says which folders are allowed.
    assert!(err.contains(&canonical(d).display().to_string()) || err.contains(&d.display().to_string()), "{err}");
    assert!(err.contains("relative to the data file's folder"), "{err}");
    refused(d, "/etc/passwd", "is outside the allowed folders");
    refused(d, "photos/../../x.jpg", "is outside the allowed folders");
}

#[test]
fn a_symlink_out_of_the_folder_is_refused_and_one_inside_is_followed() {
    let outside = tempdir();
    std::fs::write(outside.path().join("real.jpg"), jpeg(40, 30)).unwrap();
    let dir = tempdir();
    let d = dir.path();
    std::fs::create_dir(d.join("photos")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("real.jpg"), d.join("photos/out.jpg")).unwrap();
    let err = refused(d, "photos/out.jpg", "is a link to a file outside the allowed folders");
    assert!(err.contains("real.jpg"), "the real location is named: {err}");
    // A linked folder that leads out is refused the same way.
    std::os::unix::fs::symlink(outside.path(), d.join("elsewhere")).unwrap();
    refused(d, "elsewhere/real.jpg", "is a link to a file outside the allowed folders");
    // A link that stays inside is fine.
    std::fs::write(d.join("photos/in.jpg"), jpeg(40, 30)).unwrap();
    std::os::unix::fs::symlink(d.join("photos/in.jpg"), d.join("photos/alias.jpg")).unwrap();
    std::fs::write(d.join("bad.yaml"), data_with_picture("photos/alias.jpg", "")).unwrap();
    let (code, err, files) = render_in(d, "media", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(files, ["bad-media.docx", "bad-media.pdf"]);
}

#[test]
fn only_png_and_jpeg_files_that_exist_and_decode() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::create_dir(d.join("photos")).unwrap();
    refused(d, "photos/missing.jpg", "does not exist");
    // Told by content, not by the extension.
    std::fs::write(d.join("photos/notes.jpg"), "root:x:0:0:root:/root:/bin/bash\n").unwrap();
    refused(d, "photos/notes.jpg", "not a PNG or JPEG picture");
    std::fs::write(d.join("photos/anim.png"), b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").unwrap();
    refused(d, "photos/anim.png", "GIF");
    let mut cut = jpeg(64, 48);
    cut.truncate(cut.len() / 3);
    std::fs::write(d.join("photos/cut.jpg"), cut).unwrap();
    refused(d, "photos/cut.jpg", "damaged or incomplete");
    refused(d, "photos", "is not a file");
    // A PNG named .jpg is a PNG: accepted.
    std::fs::write(d.join("photos/really-png.jpg"), png(30, 20)).unwrap();
    std::fs::write(d.join("bad.yaml"), data_with_picture("photos/really-png.jpg", "")).unwrap();
    let (code, err, _) = render_in(d, "media", &[]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_picture_width_out_of_range_is_a_data_error() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::write(d.join("a.png"), png(30, 20)).unwrap();
    std::fs::write(d.join("bad.yaml"), data_with_picture("a.png", "            width: 1.5\n")).unwrap();
    let (code, err, files) = render_in(d, "media", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bad.yaml:13:20") && err.contains("images[0].width"), "{err}");
    assert!(files.is_empty());
}

#[test]
fn pictures_may_come_from_the_template_folder() {
    let dir = tempdir();
    let data_dir = dir.path().join("data");
    let templates = dir.path().join("tpl");
    std::fs::create_dir_all(&data_dir).unwrap();
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("logo.png"), png(60, 20)).unwrap();
    std::fs::write(data_dir.join("bad.yaml"), data_with_picture("../tpl/logo.png", "")).unwrap();
    // Without --templates that folder is not allowed …
    let (code, err, _) = render_in(&data_dir, "media", &[]);
    assert_eq!(code, 2, "{err}");
    // … with it, it is.
    let (code, err, files) = render_in(&data_dir, "media", &["--templates", templates.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(files.len(), 2);
}

#[test]
fn typst_code_in_a_caption_or_file_name_stays_text() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::create_dir(d.join("photos")).unwrap();
    // A file name and a caption that are code in Typst (and markup here).
    let name = "photos/]#read(x)[ #image(y) $z$.png";
    std::fs::write(d.join(name), png(80, 60)).unwrap();
    let caption = r#"图为]#read("/etc/passwd")#[ #image("/etc/passwd") **粗** ::: title"#;
    let yaml = data_with_picture(name, "").replace("caption: 图为测试", &format!("caption: '{caption}'"));
    std::fs::write(d.join("bad.yaml"), yaml).unwrap();
    let (code, err, files) = render_in(d, "media", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(files.len(), 2);
    let probe = probe(&d.join("out/bad-media.pdf"));
    let text = pdf_text(&probe);
    assert!(text.contains(&squash(caption)), "the caption prints literally: {text}");
    assert!(!text.contains("root:x:0"), "file contents leaked into the PDF");
    let images: Vec<&serde_json::Value> =
        probe["pages"].as_array().unwrap().iter().flat_map(|p| p["images"].as_array().unwrap()).collect();
    assert_eq!(images.len(), 1);
    assert_eq!((images[0]["width_px"].as_u64(), images[0]["height_px"].as_u64()), (Some(80), Some(60)));
    assert!(docx_text(&d.join("out/bad-media.docx")).contains(&squash(caption)));
}

#[test]
fn the_typst_world_serves_nothing_but_layout_data_and_pictures() {
    // A layout (the one file a user may replace) that tries to read files:
    // every read outside what the world serves is refused.
    for attempt in [r#"#read("/etc/passwd")"#, r#"#image("/etc/passwd")"#, r#"#read("../../../../etc/passwd")"#] {
        let dir = tempdir();
        let d = dir.path();
        std::fs::create_dir(d.join("templates")).unwrap();
        std::fs::write(d.join("templates/layout.typ"), format!("{attempt}\n")).unwrap();
        std::fs::write(d.join("bad.yaml"), HEAD).unwrap();
        let (code, err, files) = render_in(d, "media", &[]);
        // The user's own layout is at fault: a template error at its line.
        assert_eq!(code, 3, "{attempt}: {err}");
        assert!(err.contains("layout.typ:1:"), "{attempt}: {err}");
        // Refused by the world (“access denied”), or by Typst before it asks.
        assert!(err.contains("access denied") || err.contains("escape the project root"), "{attempt}: {err}");
        assert!(!err.contains("root:x:0"), "{attempt}: {err}");
        assert!(files.is_empty(), "{attempt}: {files:?}");
    }
}

/// A `templates/` folder beside `dir/bad.yaml` with the given files.
fn with_templates(dir: &Path, files: &[(&str, &str)]) {
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join("templates").join(name), text).unwrap();
    }
    std::fs::write(dir.join("bad.yaml"), HEAD).unwrap();
}

#[test]
fn templates_cannot_include_files_outside_their_folder() {
    // An absolute name.
    let dir = tempdir();
    let d = dir.path();
    with_templates(d, &[("t.j2", "正文。\n{% include \"/etc/passwd\" %}\n")]);
    let (code, err, files) = render_in(d, "t", &[]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("templates/t.j2:2:4"), "{err}");
    assert!(err.contains("/etc/passwd") && !err.contains("root:x:0"), "{err}");
    assert!(files.is_empty());

    // A link in the folder that leads out.
    let dir = tempdir();
    let d = dir.path();
    with_templates(d, &[("t.j2", "正文。\n\n{% include \"part.j2\" %}\n")]);
    std::os::unix::fs::symlink("/etc/passwd", d.join("templates/part.j2")).unwrap();
    let (code, err, files) = render_in(d, "t", &[]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("templates/t.j2:3:4"), "{err}");
    assert!(err.contains("points outside the template folder") && err.contains("part.j2"), "{err}");
    assert!(!err.contains("root:x:0"), "{err}");
    assert!(files.is_empty());

    // A linked template.
    let dir = tempdir();
    let d = dir.path();
    with_templates(d, &[]);
    std::os::unix::fs::symlink("/etc/passwd", d.join("templates/t.j2")).unwrap();
    let (code, err, files) = render_in(d, "t", &[]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("templates/t.j2") && err.contains("points outside the template folder"), "{err}");
    assert!(files.is_empty());

    // A linked layout.
    let dir = tempdir();
    let d = dir.path();
    with_templates(d, &[]);
    std::os::unix::fs::symlink("/etc/passwd", d.join("templates/layout.typ")).unwrap();
    let (code, err, files) = render_in(d, "media", &[]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("layout.typ") && err.contains("points outside the template folder"), "{err}");
    assert!(files.is_empty());

    // A link to a file inside the folder is fine.
    let dir = tempdir();
    let d = dir.path();
    with_templates(d, &[("t.j2", "正文。\n\n{% include \"alias.j2\" %}\n"), ("real.j2", "包含的段落。\n")]);
    std::os::unix::fs::symlink(d.join("templates/real.j2"), d.join("templates/alias.j2")).unwrap();
    let (code, err, files) = render_in(d, "t", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(files.len(), 2);
}
