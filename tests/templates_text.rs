//! The wording of the built-in templates, read as a Chinese office reader
//! reads it: every template × every sample, and small data files that leave
//! parts out. Catches what the layout tests cannot see — nested quotes,
//! data-structure artefacts (“（3名/项）”, “None”, “。。”), headings with
//! nothing under them, a section title run into the first point.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const SAMPLES: &[&str] = &["county-civil-affairs.yaml", "qdn-renda.yaml", "photo-briefing.yaml"];
const REPORT_TEMPLATES: &[&str] = &["half-year", "media", "bulletin"];

/// Renders `data` with `template` as DOCX only (fast) and returns its
/// paragraphs, empty ones dropped.
fn paragraphs(data: &Path, template: &str, out: &Path) -> Vec<String> {
    let o = run(&["render", data.to_str().unwrap(), "-t", template, "-f", "docx", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{} -t {template}: {}", data.display(), stderr(&o));
    let stem = data.file_stem().unwrap().to_str().unwrap();
    docx_paragraphs(&out.join(format!("{stem}-{template}.docx"))).into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// Renders every branch of `data` with `branch-summary`; returns each
/// document's paragraphs by file name.
fn branch_paragraphs(data: &Path, out: &Path) -> Vec<(String, Vec<String>)> {
    let o = run(&["batch", data.to_str().unwrap(), "-t", "branch-summary", "-f", "docx", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{} batch: {}", data.display(), stderr(&o));
    files_in(out)
        .into_iter()
        .filter(|f| f.ends_with(".docx"))
        .map(|f| {
            let paras = docx_paragraphs(&out.join(&f)).into_iter().filter(|p| !p.trim().is_empty()).collect();
            (f, paras)
        })
        .collect()
}

/// Writes a data file into `dir`.
fn data_file(dir: &Path, name: &str, yaml: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, yaml).unwrap();
    p
}

/// A double quote opened inside another: “全国“敬老文明号””.
fn nested_quote(s: &str) -> Option<String> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '“' => {
                depth += 1;
                if depth > 1 {
                    let start = s[..i].char_indices().rev().nth(20).map_or(0, |(j, _)| j);
                    return Some(s[start..].chars().take(50).collect());
                }
            }
            '”' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Artefacts of the data structure or of a template joining empty parts.
const ARTEFACTS: &[&str] = &[
    "None",
    "none",
    "undefined",
    "（）",
    "()",
    "“”",
    "《》",
    "。。",
    "，。",
    "：。",
    "；。",
    "、。",
    "，，",
    "、、",
    "；；",
    "。，",
    "名/项",
    "/项",
];

fn assert_clean(what: &str, paras: &[String]) {
    for p in paras {
        for a in ARTEFACTS {
            assert!(!p.contains(a), "{what}: “{a}” in “{p}”");
        }
        if let Some(at) = nested_quote(p) {
            panic!("{what}: nested double quotes at “{at}” in “{p}”");
        }
    }
}

#[test]
fn no_artefacts_or_nested_quotes_in_any_template_or_sample() {
    let dir = tempdir();
    for name in SAMPLES {
        for t in REPORT_TEMPLATES {
            let paras = paragraphs(&sample(name), t, dir.path());
            assert_clean(&format!("{name} -t {t}"), &paras);
        }
        if *name != "photo-briefing.yaml" {
            let out = dir.path().join(format!("branches-{name}"));
            for (f, paras) in branch_paragraphs(&sample(name), &out) {
                assert_clean(&format!("{name} branch {f}"), &paras);
            }
        }
    }
}

/// The honours paragraph of a half-year report.
fn honours(paras: &[String]) -> String {
    paras.iter().find(|p| p.starts_with("荣誉表彰。")).cloned().expect("a 荣誉表彰 paragraph")
}

#[test]
fn honours_use_the_verb_of_their_kind_and_never_nest_quotes() {
    let dir = tempdir();
    let (_, docx) = render(&sample("county-civil-affairs.yaml"), "half-year", dir.path());
    let text = docx_text(&docx);
    let paras = docx_paragraphs(&docx);
    let h = honours(&paras);
    // A title that has quotes of its own is not wrapped again.
    assert!(!text.contains("“全国“敬老文明号””"), "{h}");
    assert!(h.contains("县社会福利院被全国老龄工作委员会评为全国“敬老文明号”"), "{h}");
    assert!(h.contains("县民政局机关被县直机关工委评为全县“模范机关”创建先进单位"), "{h}");
    // A plain honour title is quoted.
    assert!(h.contains("评为“全市养老服务工作先进集体”"), "{h}");
    // The count reads as people, before the recipient — no “（3名/项）”.
    assert!(h.contains("3名机关党员干部被中共某某县委评为“全县优秀共产党员”"), "{h}");
    assert!(!text.contains("名/项"), "{h}");
    // A recognition is not “获评”: a 通报表扬 is received, as the title says.
    assert!(h.contains("县民政局社会救助工作获省民政厅通报表扬"), "{h}");
    // A result is stated, not awarded.
    assert!(h.contains("县婚姻登记处“跨省通办”婚姻登记服务案例入选全省民政系统创新案例"), "{h}");
    // An assessment grade is won in the assessment.
    assert!(h.contains("在市民政局组织的2024年度全市民政工作目标考核中获评一等次"), "{h}");
    // Dates of the report's year without the year; no “被……于……获评”, no
    // level in brackets after every clause.
    assert!(h.contains("5月，县社会福利院"), "{h}");
    for clause in h.split(['；', '。']) {
        assert!(!(clause.contains('被') && clause.contains("获评")), "被…获评 in “{clause}”");
        assert!(!clause.contains("被") || !clause.contains("于20"), "被…于… in “{clause}”");
    }
    for level in ["（国家级）", "（省级）", "（市级）", "（县级）"] {
        assert!(!h.contains(level), "{level} in {h}");
    }

    let paras = paragraphs(&sample("qdn-renda.yaml"), "half-year", dir.path());
    let h = honours(&paras);
    assert!(nested_quote(&h).is_none(), "{h}");
    assert!(h.contains("州人大常委会机关被州直机关工委评为州直机关“双建设”先进单位"), "{h}");
    // The title opens with its recipient: not repeated, the count before it.
    assert!(h.contains("12名机关干部获得省、州表彰（表扬）"), "{h}");
    assert!(!h.contains("机关干部机关干部"), "{h}");
    // A count of things goes after 等; the recognising body fills 获……肯定.
    assert!(h.contains("地方人大工作经验典型等3项做法获省人大常委会领导、州委主要领导批示肯定"), "{h}");
    assert!(h.contains("工作机制获州委主要领导肯定"), "{h}");
    assert!(h.contains("州人大常委会受邀在全省人大常委会秘书长联席会议上交流经验"), "{h}");
    assert!(!h.contains("名/项") && !h.contains("获评“受邀"), "{h}");
}

#[test]
fn coverage_names_newspapers_as_publications() {
    let dir = tempdir();
    let paras = paragraphs(&sample("qdn-renda.yaml"), "half-year", dir.path());
    let c = paras.iter().find(|p| p.starts_with("宣传报道。")).expect("宣传报道");
    assert!(c.contains("《贵州日报》") && c.contains("《中国人大》杂志"), "{c}");
    assert!(c.contains("等8篇稿件先后在"), "{c}");
    assert!(!c.contains("《《") && !c.contains("》》"), "{c}");
}

#[test]
fn article_section_titles_stand_on_their_own() {
    let dir = tempdir();
    for t in ["media", "bulletin"] {
        let paras = paragraphs(&sample("photo-briefing.yaml"), t, dir.path());
        // Sections without an intro: the title is its own paragraph, the
        // first point's run-in title starts the next one.
        for title in ["走进社区办实事", "重温誓词守初心", "服务成效看得见"] {
            assert!(paras.iter().any(|p| p == title), "{t}: “{title}” is not a paragraph of its own: {paras:#?}");
        }
        assert!(!paras.iter().any(|p| p.contains("走进社区办实事。")), "{t}: section title run in: {paras:#?}");
        assert!(paras.iter().any(|p| p.starts_with("志愿服务进广场。6月25日")), "{t}");
        assert!(paras.iter().any(|p| p.starts_with("集中学习强党性。")), "{t}");
        // A section with an intro only: title, then the intro.
        let i = paras.iter().position(|p| p == "服务成效看得见").unwrap();
        assert!(paras[i + 1].starts_with("活动期间"), "{t}: {:?}", &paras[i..]);

        // Sections with an intro: the title is not run into the intro either.
        let paras = paragraphs(&sample("qdn-renda.yaml"), t, dir.path());
        assert!(paras.iter().any(|p| p == "强化理论武装，推动党建业务同学习"), "{t}: {paras:#?}");
        assert!(!paras.iter().any(|p| p.starts_with("强化理论武装，推动党建业务同学习。")), "{t}");
    }
}

#[test]
fn articles_drop_the_report_transition_sentence() {
    let dir = tempdir();
    for t in ["media", "bulletin"] {
        let text = squash(&paragraphs(&sample("county-civil-affairs.yaml"), t, dir.path()).concat());
        assert!(!text.contains("报告如下"), "{t}");
        assert!(text.contains("2025年上半年，县民政局机关坚持"), "{t}");
    }
    let text = squash(&paragraphs(&sample("county-civil-affairs.yaml"), "half-year", dir.path()).concat());
    assert!(text.contains("现将上半年工作情况和下半年工作打算报告如下。"));
}

/// Level-1 headings (一、…) of a document's paragraphs.
fn level1(paras: &[String]) -> Vec<String> {
    const CN: &str = "一二三四五六七八九十";
    paras
        .iter()
        .filter(|p| {
            let head: String = p.chars().take_while(|c| CN.contains(*c)).collect();
            !head.is_empty() && p[head.len()..].starts_with('、')
        })
        .cloned()
        .collect()
}

#[test]
fn parts_without_content_have_no_heading_and_numbers_stay_consecutive() {
    let dir = tempdir();
    let only_problems = data_file(
        dir.path(),
        "only-problems.yaml",
        "organization: {name: 某某县档案馆}\nperiod: {label: 2025年上半年}\ndate: 2025-07-08\n\
         problems: [人员力量不足，档案数字化进度偏慢。]\n",
    );
    let paras = paragraphs(&only_problems, "half-year", dir.path());
    let text = paras.concat();
    assert!(!text.contains("工作开展情况"), "{paras:#?}");
    assert!(!text.contains("工作成效") && !text.contains("荣誉表彰") && !text.contains("宣传报道"), "{paras:#?}");
    assert!(!text.contains("工作打算"), "{paras:#?}");
    assert_eq!(level1(&paras), ["一、存在的问题"], "{paras:#?}");
    // One problem is not counted: “一是” would promise a “二是”.
    assert!(paras.iter().any(|p| p == "人员力量不足，档案数字化进度偏慢。"), "{paras:#?}");

    let only_plans = data_file(
        dir.path(),
        "only-plans.yaml",
        "organization: {name: 某某县档案馆}\nperiod: {label: 2025年上半年}\n\
         plans: [{title: 加快档案数字化, text: 下半年完成2万卷。}]\n",
    );
    let paras = paragraphs(&only_plans, "half-year", dir.path());
    assert_eq!(level1(&paras), ["一、下半年工作打算"], "{paras:#?}");
    assert!(paras.iter().any(|p| p == "加快档案数字化。下半年完成2万卷。"), "{paras:#?}");

    // Results without sections: the results are the first part, and only
    // the paragraphs that have data are printed.
    let results = data_file(
        dir.path(),
        "results.yaml",
        "organization: {name: 某某县档案馆, short: 县档案馆}\n\
         period: {label: 2025年上半年, start: 2025-01-01, end: 2025-06-30}\n\
         achievements:\n  - {title: 通报表扬, kind: recognition, by: 市委办公室, date: 2025-03}\n\
         problems: [人员力量不足。, 经费保障不足。]\n",
    );
    let paras = paragraphs(&results, "half-year", dir.path());
    assert_eq!(level1(&paras), ["一、上半年工作成效", "二、存在的问题"], "{paras:#?}");
    let text = paras.concat();
    assert!(!text.contains("主要数据") && !text.contains("宣传报道") && !text.contains("荣誉表彰"), "{paras:#?}");
    assert!(text.contains("3月，县档案馆受到市委办公室通报表扬。"), "{paras:#?}");
    assert!(text.contains("一是人员力量不足。") && text.contains("二是经费保障不足。"), "{paras:#?}");
    assert_clean("results.yaml", &paras);

    // The samples keep all three parts, numbered in order.
    let paras = paragraphs(&sample("county-civil-affairs.yaml"), "half-year", dir.path());
    assert_eq!(level1(&paras), ["一、上半年工作开展情况", "二、存在的问题", "三、下半年工作打算"]);
}

#[test]
fn branch_summaries_read_naturally() {
    let dir = tempdir();
    let data = data_file(
        dir.path(),
        "branches.yaml",
        "organization: {name: 某某县档案馆, short: 县档案馆}\nperiod: {label: 2025年上半年}\ndate: 2025-07-08\n\
         branches:\n  - name: 馆机关党支部\n  - name: 离退休党支部\n    members: 9\n    problems: [老党员居住分散。]\n",
    );
    let out = dir.path().join("out");
    let docs = branch_paragraphs(&data, &out);
    assert_eq!(docs.len(), 2);
    for (f, paras) in &docs {
        let text = paras.concat();
        assert_clean(f, paras);
        // No activities: no “共开展活动0次”.
        assert!(!text.contains("0次") && !text.contains("0人次") && !text.contains("见下表"), "{f}: {paras:#?}");
        if f.starts_with("馆机关") {
            // Nothing to say under 基本情况: no heading at all.
            assert!(level1(paras).is_empty(), "{f}: {paras:#?}");
        } else {
            assert_eq!(level1(paras), ["一、基本情况", "二、存在的问题"], "{f}: {paras:#?}");
            assert!(paras.iter().any(|p| p == "老党员居住分散。"), "{f}: {paras:#?}");
        }
    }

    // With a summary, the branch's own words open the document (not a
    // stock sentence followed by the summary, which repeated the name and
    // the period); the secretary moves to 基本情况.
    let out = dir.path().join("county");
    for (f, paras) in branch_paragraphs(&sample("county-civil-affairs.yaml"), &out) {
        let text = paras.concat();
        assert!(!text.contains("扎实开展各项工作"), "{f}");
        assert!(text.contains("支部书记为"), "{f}");
        assert!(text.contains("共开展各类活动") && text.contains("累计参与"), "{f}");
        let opening = &paras[1];
        assert_eq!(opening.matches("上半年").count(), 1, "{f}: {opening}");
    }
}
