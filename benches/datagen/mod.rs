//! Realistic benchmark data, generated from the sample data file
//! `data/county-civil-affairs.yaml`: its prose is cut into sentences and
//! recombined (a seeded random generator per branch), so every summary is
//! different but reads like the sample. The generated files are the sample
//! file itself with the `branches:`/`activities:` (or `sections:`) blocks
//! replaced, so everything else — organisation, period, metrics, honours,
//! coverage, comments — is what a real user file holds.

use std::fmt::Write as _;
use std::io::{self, Write};

use jianbao::model::{self, LoadOptions, Report};

/// Lengths (characters) of a branch's texts: with the ten-row activity
/// table and the headings, a summary fills about two pages.
const SUMMARY_CHARS: usize = 60;
const HIGHLIGHT_CHARS: usize = 50;
const PLAN_CHARS: usize = 40;

/// SplitMix64: small, seeded, reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u32
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    /// `k` distinct items of `v` (in random order).
    pub fn sample<'a, T>(&mut self, v: &'a [T], k: usize) -> Vec<&'a T> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        let k = k.min(v.len());
        for i in 0..k {
            let j = i + self.below(v.len() - i);
            idx.swap(i, j);
        }
        idx[..k].iter().map(|&i| &v[i]).collect()
    }
}

/// One activity of the sample, reused as a pattern.
#[derive(Clone)]
struct ActivityPattern {
    /// The month it took place in the sample (春节 in January, 七一 in June).
    month: u32,
    title: String,
    kind: String,
    place: String,
    /// Its one-line summary (a source of sentences).
    summary: String,
}

/// The material cut out of the sample file.
pub struct Corpus {
    /// The sample file's text (the generated files are edits of it).
    sample: String,
    /// Sentences of running prose (each ends with 。).
    sentences: Vec<String>,
    /// Sentences describing problems.
    problems: Vec<String>,
    /// Run-in titles of points and highlights.
    point_titles: Vec<String>,
    /// Titles of plans.
    plan_titles: Vec<String>,
    /// Section titles and intros.
    section_titles: Vec<String>,
    section_intros: Vec<String>,
    activities: Vec<ActivityPattern>,
}

/// Prose → sentences ending in 。 (paragraph breaks dropped).
fn sentences(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split_inclusive('。').map(|s| s.trim().to_owned()).filter(|s| s.chars().count() > 8 && s.ends_with('。'))
}

impl Corpus {
    /// Reads the sample data file through jianbao's own loader.
    pub fn from_sample(path: &std::path::Path) -> Corpus {
        let loaded = model::load(path, LoadOptions::default()).expect("the sample data file loads");
        let r: &Report = &loaded.report;
        let mut prose = Vec::new();
        let mut point_titles = Vec::new();
        let mut plan_titles = Vec::new();
        let mut problems = Vec::new();
        if let Some(lead) = &r.lead {
            prose.extend(sentences(lead));
        }
        for s in &r.sections {
            if let Some(i) = &s.intro {
                prose.extend(sentences(i));
            }
            for p in &s.points {
                point_titles.push(p.title.to_string());
                if let Some(t) = &p.text {
                    prose.extend(sentences(t));
                }
            }
        }
        for b in &r.branches {
            if let Some(s) = &b.summary {
                prose.extend(sentences(s));
            }
            for h in &b.highlights {
                point_titles.push(h.title.to_string());
                if let Some(t) = &h.text {
                    prose.extend(sentences(t));
                }
            }
            for p in &b.problems {
                problems.extend(sentences(p));
            }
            for p in &b.plans {
                plan_titles.push(p.title.to_string());
                if let Some(t) = &p.text {
                    prose.extend(sentences(t));
                }
            }
        }
        for p in &r.problems {
            problems.extend(sentences(p));
        }
        for p in &r.plans {
            plan_titles.push(p.title.to_string());
            if let Some(t) = &p.text {
                prose.extend(sentences(t));
            }
        }
        let activities: Vec<ActivityPattern> = r
            .activities
            .iter()
            .map(|a| ActivityPattern {
                month: a.date.to_string()[5..7].parse().unwrap_or(3),
                title: a.title.to_string(),
                kind: a.kind.as_deref().unwrap_or("集中学习").to_owned(),
                place: a.place.as_deref().unwrap_or("局机关会议室").to_owned(),
                summary: a.summary.as_deref().unwrap_or("").to_owned(),
            })
            .collect();
        prose.extend(activities.iter().flat_map(|a| sentences(&a.summary)));
        prose.sort();
        prose.dedup();
        Corpus {
            sample: loaded.source.text.clone(),
            sentences: prose,
            problems,
            point_titles,
            plan_titles,
            section_titles: r.sections.iter().map(|s| s.title.to_string()).collect(),
            section_intros: r.sections.iter().filter_map(|s| s.intro.as_ref().map(|t| t.to_string())).collect(),
            activities,
        }
    }

    /// `n` random sentences joined into one paragraph.
    fn paragraph(&self, rng: &mut Rng, n: usize) -> String {
        rng.sample(&self.sentences, n).into_iter().map(String::as_str).collect()
    }

    /// The text before the top-level block `key:` and the text after it.
    fn split_block<'a>(text: &'a str, key: &str) -> (&'a str, &'a str) {
        let head = format!("\n{key}:\n");
        let start = text.find(&head).unwrap_or_else(|| panic!("the sample has {key}:")) + 1;
        // The block ends at the next line that starts at column 0 (a key
        // or a comment) and is not a list item.
        let mut end = start + head.len() - 1;
        for line in text[end..].split_inclusive('\n') {
            let top = !line.starts_with([' ', '\t', '\n', '\r', '-']);
            if top {
                break;
            }
            end += line.len();
        }
        (&text[..start], &text[end..])
    }

    /// A unique, realistic branch name.
    pub fn branch_name(i: usize) -> String {
        const UNITS: [&str; 25] = [
            "机关综合",
            "社会救助股",
            "养老服务股",
            "社会事务股",
            "基层政权股",
            "规划财务股",
            "人事股",
            "婚姻登记处",
            "殡葬管理所",
            "县社会福利院",
            "救助管理站",
            "区划地名股",
            "慈善社会工作股",
            "老龄工作股",
            "儿童福利股",
            "低收入人口认定中心",
            "城关镇民政所",
            "河西乡民政所",
            "石桥镇民政所",
            "青山乡民政所",
            "清水乡民政所",
            "县中心敬老院",
            "县光荣院",
            "县殡仪馆",
            "离退休干部",
        ];
        let unit = UNITS[i % UNITS.len()];
        let n = i / UNITS.len() + 1;
        if n == 1 { format!("{unit}党支部") } else { format!("{unit}第{}党支部", numeral(n)) }
    }

    fn person(rng: &mut Rng) -> String {
        const SURNAMES: [&str; 24] = [
            "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "罗",
            "高", "林", "梁", "宋", "郑", "谢",
        ];
        const GIVEN: [&str; 30] = [
            "建华", "志强", "玉兰", "海燕", "文斌", "丽娟", "国庆", "晓东", "春梅", "永刚", "红霞", "德明", "雪梅",
            "俊杰", "秀英", "立新", "小平", "静怡", "明辉", "桂芳", "学军", "淑珍", "振宇", "美玲", "光荣", "瑞", "敏",
            "静", "勇", "昇平",
        ];
        format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
    }

    /// Random sentences joined into one paragraph of at most `max` characters
    /// (at least one sentence).
    fn paragraph_within(&self, rng: &mut Rng, max: usize) -> String {
        let mut out = String::new();
        let mut len = 0;
        for s in rng.sample(&self.sentences, 12) {
            let n = s.chars().count();
            if len + n <= max || out.is_empty() && n <= max {
                out.push_str(s);
                len += n;
            }
        }
        if out.is_empty() {
            out = self.sentences.iter().min_by_key(|s| s.chars().count()).cloned().unwrap_or_default();
        }
        out
    }

    /// The YAML of branch `i` (under `branches:`) and of its ten
    /// activities (under `activities:`).
    fn branch(&self, i: usize, branches: &mut String, activities: &mut String) {
        let mut rng = Rng::new(i as u64 + 1);
        let name = Self::branch_name(i);
        let q = |s: &str| serde_json::to_string(s).expect("a string serialises");
        let _ = writeln!(branches, "  - name: {}", q(&name));
        let _ = writeln!(branches, "    secretary: {}", q(&Self::person(&mut rng)));
        let _ = writeln!(branches, "    members: {}", rng.range(6, 45));
        let _ = writeln!(branches, "    summary: |");
        let _ = writeln!(branches, "      {}", self.paragraph_within(&mut rng, SUMMARY_CHARS));
        let _ = writeln!(branches, "    highlights:");
        for t in rng.sample(&self.point_titles, 3) {
            let _ = writeln!(branches, "      - title: {}", q(t));
            let text = self.paragraph_within(&mut rng, HIGHLIGHT_CHARS);
            let _ = writeln!(branches, "        text: {}", q(&text));
        }
        let _ = writeln!(branches, "    problems:");
        let problems = 1 + rng.below(2);
        for p in rng.sample(&self.problems, problems) {
            let _ = writeln!(branches, "      - {}", q(p));
        }
        let _ = writeln!(branches, "    plans:");
        for t in rng.sample(&self.plan_titles, 2) {
            let _ = writeln!(branches, "      - title: {}", q(t));
            let text = self.paragraph_within(&mut rng, PLAN_CHARS);
            let _ = writeln!(branches, "        text: {}", q(&text));
        }
        // Ten activities of the half year, each in the month it took place
        // in the sample (so 春节 visits stay in January), in date order.
        // No one-line `summary` (optional, and not printed by the summary
        // template): with it 2000 branches make 8.5 MB of YAML, over the
        // loader's 8 MiB limit (`model::source::MAX_DATA_BYTES`).
        let mut acts: Vec<(u32, u32, &ActivityPattern)> =
            rng.sample(&self.activities, 10).into_iter().map(|a| (a.month, rng.range(1, 28), a)).collect();
        acts.sort_by_key(|a| (a.0, a.1));
        for (m, d, a) in acts {
            let _ = writeln!(activities, "  - date: 2025-{m:02}-{d:02}");
            let _ = writeln!(activities, "    title: {}", q(&a.title));
            let _ = writeln!(activities, "    kind: {}", q(&a.kind));
            let _ = writeln!(activities, "    branch: {}", q(&name));
            let _ = writeln!(activities, "    participants: {}", rng.range(6, 60));
            let _ = writeln!(activities, "    place: {}", q(&a.place));
        }
    }

    /// Writes the sample report with `n` generated branches (indices
    /// `from..from+n`) and their activities in place of the sample's.
    /// Streams, so a 2000-branch file never sits in memory (the bench's
    /// own peak RSS stays below what it measures of its children).
    pub fn write_branches_file(&self, w: &mut impl Write, from: usize, n: usize) -> io::Result<()> {
        let (pre, rest) = Self::split_block(&self.sample, "activities");
        let (mid, post) = Self::split_block(rest, "branches");
        let (mut b, mut a) = (String::new(), String::new());
        w.write_all(pre.as_bytes())?;
        w.write_all(b"activities:\n")?;
        for i in from..from + n {
            b.clear();
            a.clear();
            self.branch(i, &mut b, &mut a);
            w.write_all(a.as_bytes())?;
        }
        w.write_all(mid.as_bytes())?;
        w.write_all(b"branches:\n")?;
        for i in from..from + n {
            b.clear();
            a.clear();
            self.branch(i, &mut b, &mut a);
            w.write_all(b.as_bytes())?;
        }
        w.write_all(post.as_bytes())
    }

    /// The sample report with `n` generated sections (three points of two
    /// paragraphs each) in place of the sample's five: the half-year report
    /// grows by about 1.65 pages a section.
    pub fn write_long_file(&self, w: &mut impl Write, n: usize) -> io::Result<()> {
        let mut rng = Rng::new(0x1000);
        let q = |s: &str| serde_json::to_string(s).expect("a string serialises");
        let (pre, post) = Self::split_block(&self.sample, "sections");
        w.write_all(pre.as_bytes())?;
        w.write_all(b"sections:\n")?;
        let mut out = String::new();
        for i in 0..n {
            out.clear();
            let title = &self.section_titles[i % self.section_titles.len()];
            let _ = writeln!(out, "  - title: {}", q(title));
            let intro: &String = rng.pick(&self.section_intros);
            let _ = writeln!(out, "    intro: {}", q(intro));
            let _ = writeln!(out, "    points:");
            for t in rng.sample(&self.point_titles, 3) {
                let _ = writeln!(out, "      - title: {}", q(t));
                let _ = writeln!(out, "        text: |");
                let _ = writeln!(out, "          {}", self.paragraph(&mut rng, 3));
                let _ = writeln!(out);
                let _ = writeln!(out, "          {}", self.paragraph(&mut rng, 3));
            }
            w.write_all(out.as_bytes())?;
        }
        w.write_all(post.as_bytes())
    }
}

/// 1–9999 in Chinese numerals (branch names: 第十二党支部).
fn numeral(n: usize) -> String {
    const D: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const U: [&str; 4] = ["千", "百", "十", ""];
    let digits = [n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
    let first = digits.iter().position(|&d| d != 0).unwrap_or(3);
    let mut s = String::new();
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate().skip(first) {
        if d == 0 {
            zero = true;
            continue;
        }
        if zero {
            s.push('零');
            zero = false;
        }
        if !(i == 2 && d == 1 && s.is_empty()) {
            s.push(D[d]);
        }
        s.push_str(U[i]);
    }
    s
}
