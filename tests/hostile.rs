//! User text is data, never markup: strings that are code in Typst, in the
//! body markup, in minijinja or in XML print literally in both formats.

mod common;

use common::*;

/// Strings that would be code somewhere in the pipeline.
const HOSTILE: &[&str] = &[
    r#"#read("/etc/passwd")"#,
    "]#include \"/etc/passwd\"#[",
    "*x* **y** _z_ `c`",
    "{{ x }} {% if true %}y{% endif %}",
    "<w:p><w:r><w:t>inject</w:t></w:r></w:p>",
    "&amp; &lt; ]]> <![CDATA[x]]>",
    "# 不是标题 ::: title | 表格 |",
    "$x^2$ @label <label> \\p \\\\",
];

fn yaml_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[test]
fn hostile_strings_print_literally_in_pdf_and_docx() {
    let dir = tempdir();
    let data = dir.path().join("hostile.yaml");
    let mut y = String::from("organization:\n  name: 测试单位\nperiod:\n  label: 2025年上半年\ndate: 2025-07-10\n");
    y.push_str(&format!("title: {}\n", yaml_quote(HOSTILE[0])));
    y.push_str("sections:\n");
    for (i, h) in HOSTILE.iter().enumerate() {
        y.push_str(&format!(
            "  - title: {}\n    points:\n      - title: {}\n        text: {}\n",
            yaml_quote(&format!("节{i}{h}")),
            yaml_quote(h),
            yaml_quote(h)
        ));
    }
    std::fs::write(&data, y).unwrap();
    for template in ["half-year", "media"] {
        let (pdf, docx) = render(&data, template, &dir.path().join(template));
        let pdf_text = pdf_text(&probe(&pdf));
        let docx_text = docx_text(&docx);
        for h in HOSTILE {
            let want = squash(h);
            assert!(pdf_text.contains(&want), "{template}: PDF lacks {h:?}");
            assert!(docx_text.contains(&want), "{template}: DOCX lacks {h:?}");
        }
        assert!(!pdf_text.contains("root:x:0"), "file contents leaked into the PDF");
        assert_docx_xml_parses(&docx);
        // The injected <w:p> stayed text: no paragraph consists of "inject".
        assert!(docx_paragraphs(&docx).iter().all(|p| p != "inject"));
    }
}
