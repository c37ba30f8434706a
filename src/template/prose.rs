//! Chinese phrasing the templates cannot do with a loop: quoting a title
//! the way Chinese typesetting wants it, naming an outlet, writing one
//! honour or recognition as the clause an office secretary would write,
//! and dropping a report's transition sentence from an article's lead.
//!
//! Everything here is pure text → text; the filters in
//! [`super::filters`] wrap it for the templates.

use crate::model::scalar::Date;

/// Opening and closing quotation marks and book-title marks.
const OPENING: &str = "“‘「『《〈\"'";
const CLOSING: &str = "”’」』》〉\"'";

/// Whether `s` already carries quotation or book-title marks of its own.
fn has_quotes(s: &str) -> bool {
    s.chars().any(|c| OPENING.contains(c) || CLOSING.contains(c))
}

/// A title in double quotes (“全县优秀共产党员”) — unless it already has
/// quotes of its own (全国“敬老文明号”, 全县“模范机关”创建先进单位): a title
/// that quotes part of itself is printed as written, never wrapped again
/// (“全国“敬老文明号”” is wrong, and 全国‘敬老文明号’ inside “” reads worse
/// than the title as the awarding body writes it).
pub fn quote(title: &str) -> String {
    let t = title.trim();
    if t.is_empty() || has_quotes(t) {
        return t.to_owned();
    }
    format!("“{t}”")
}

/// A work's title in book-title marks: 《…》. A title that is already
/// wrapped stays as it is; 《》 inside a title become 〈〉 (GB/T 15834:
/// a book title inside a book title takes the single marks).
pub fn book(title: &str) -> String {
    let t = title.trim();
    if let Some(inner) = t.strip_prefix('《').and_then(|r| r.strip_suffix('》'))
        && !inner.contains(['《', '》'])
    {
        return t.to_owned();
    }
    let inner = t.replace('《', "〈").replace('》', "〉");
    format!("《{inner}》")
}

/// An outlet as named in running text: newspapers in book-title marks
/// (《中国社会报》, 《贵州日报》), a magazine written “X杂志” as 《X》杂志;
/// websites, stations and media centres as they are. An outlet the data
/// already marks (《中国民政》) stays as written.
pub fn outlet(name: &str) -> String {
    let n = name.trim();
    if n.is_empty() || has_quotes(n) {
        return n.to_owned();
    }
    if let Some(title) = n.strip_suffix("杂志")
        && !title.is_empty()
    {
        return format!("《{title}》杂志");
    }
    if n.ends_with('报') && n.chars().count() >= 3 {
        return format!("《{n}》");
    }
    n.to_owned()
}

/// Marks that end a sentence in [`strip_transition`].
const SENTENCE_END: &str = "。！？";

/// A lead without the report's transition sentence (现将……报告如下。,
/// 特此报告。): it belongs to a report, not to a media article or a
/// briefing. Paragraphs that only held it are dropped; everything else is
/// kept as written.
pub fn strip_transition(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut paragraphs: Vec<String> = Vec::new();
    for para in text.split("\n\n") {
        let mut kept = String::new();
        let mut sentence = String::new();
        let mut chars = para.chars().peekable();
        while let Some(c) = chars.next() {
            sentence.push(c);
            if SENTENCE_END.contains(c) {
                while let Some(&n) = chars.peek() {
                    if CLOSING.contains(n) {
                        sentence.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if !is_transition(&sentence) {
                    kept.push_str(&sentence);
                }
                sentence.clear();
            }
        }
        if !is_transition(&sentence) {
            kept.push_str(&sentence);
        }
        if !kept.trim().is_empty() {
            paragraphs.push(kept.trim().to_owned());
        }
    }
    paragraphs.join("\n\n")
}

fn is_transition(sentence: &str) -> bool {
    let s = sentence.trim();
    (s.starts_with("现将") && s.contains("如下")) || matches!(s, "特此报告。" | "特此汇报。")
}

/// One achievement (`achievements[]`) as the data gives it.
#[derive(Debug, Clone, Default)]
pub struct Achievement {
    pub title: String,
    pub kind: Option<String>,
    pub by: Option<String>,
    pub date: Option<Date>,
    pub recipient: Option<String>,
    pub count: Option<u64>,
}

/// What an achievement is: decides the verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// 荣誉: 被…评为“…”, 获评…, 被…授予…称号.
    Honour,
    /// 肯定: 受到…通报表扬, …得到…肯定.
    Recognition,
    /// 成果: …入选…, …取得….
    Result,
}

fn kind(k: Option<&str>) -> Kind {
    match k.map(str::trim) {
        Some("recognition" | "肯定" | "表扬" | "批示" | "批示肯定") => Kind::Recognition,
        Some("result" | "成果" | "成效") => Kind::Result,
        // honor, honour, 荣誉, free text and none: an honour.
        _ => Kind::Honour,
    }
}

/// Ends of a recipient that name people (3名机关党员干部), not a unit
/// (县民政局) or things (3项做法).
const PEOPLE: &[&str] =
    &["干部", "党员", "同志", "代表", "人员", "职工", "员工", "群众", "青年", "个人", "员", "者", "人", "师", "生"];

fn is_people(recipient: &str) -> bool {
    PEOPLE.iter().any(|p| recipient.ends_with(p))
}

/// The text of `s` outside quotation and book-title marks, with `true`
/// where a character is quoted.
fn quoted_mask(s: &str) -> Vec<(usize, char, bool)> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for (i, c) in s.char_indices() {
        if "“‘「『《〈".contains(c) {
            out.push((i, c, true));
            depth += 1;
        } else if "”’」』》〉".contains(c) {
            depth = depth.saturating_sub(1);
            out.push((i, c, true));
        } else {
            out.push((i, c, depth > 0));
        }
    }
    out
}

/// The byte offset of the first occurrence of `pat` in `s` that lies
/// outside quotes.
fn find_unquoted(s: &str, pat: &str) -> Option<usize> {
    let mask = quoted_mask(s);
    s.match_indices(pat).map(|(i, _)| i).find(|i| mask.iter().any(|(j, _, q)| j == i && !q))
}

/// Verbs that make a title a whole predicate (社会救助工作获省民政厅通报表扬,
/// …案例入选全省民政系统创新案例, 受邀在……交流经验) rather than the name of
/// an honour (全县优秀共产党员).
const PREDICATES: &[&str] = &["获", "受到", "得到", "入选", "受邀", "被", "列入", "纳入", "评为", "荣登", "作为"];

fn is_predicate(title: &str) -> bool {
    title.starts_with('在') || PREDICATES.iter().any(|p| find_unquoted(title, p).is_some())
}

/// Words that say what kind of recognition was given; 获/受到/得到 right
/// before one of them has no agent yet (获肯定 → 获州委主要领导肯定).
const APPRAISALS: &[&str] = &["肯定", "表扬", "表彰", "通报表扬", "通报表彰", "批示", "好评", "认可", "嘉奖"];
/// Generic agents a title may use where the data's `by` is precise
/// (获领导批示肯定 → 获省人大常委会领导批示肯定).
const GENERIC_AGENTS: &[&str] = &["领导", "上级"];

/// Puts `by` into a predicate title whose recognising body is missing
/// (…获肯定) or generic (…获领导批示肯定); a title that names it already
/// is left alone.
fn with_agent(title: &str, by: &str) -> String {
    if by.is_empty() || title.contains(by) {
        return title.to_owned();
    }
    for verb in ["获", "受到", "得到"] {
        let Some(i) = find_unquoted(title, verb) else { continue };
        let (head, rest) = title.split_at(i + verb.len());
        if APPRAISALS.iter().any(|a| rest.starts_with(a)) {
            return format!("{head}{by}{rest}");
        }
        for g in GENERIC_AGENTS {
            if let Some(after) = rest.strip_prefix(g)
                && by.ends_with(g)
            {
                return format!("{head}{by}{after}");
            }
        }
    }
    title.to_owned()
}

/// How many things the subject of a predicate title lists: the part
/// before its verb, split at unquoted 和 / 、 / 及
/// (“代表直通车”和跨省代表联络站“1234”工作机制获肯定 → 2).
fn listed_items(title: &str) -> u64 {
    let verb = PREDICATES.iter().filter_map(|p| find_unquoted(title, p)).min().unwrap_or(title.len());
    let head = &title[..verb];
    let mask = quoted_mask(head);
    1 + mask.iter().filter(|(_, c, q)| !q && matches!(c, '和' | '、' | '及')).count() as u64
}

/// Puts a count into a predicate title: after its first 等
/// (…典型等做法获… → …典型等3项做法获…); before a title that opens with
/// its verb as a number of times (受邀…… → 2次受邀……); before any other
/// as a number of things (调研报告获…… → 4项调研报告获……). A title whose
/// subject already lists that many things (甲和乙获肯定, 2) says it
/// without a number.
fn with_item_count(title: &str, n: u64) -> String {
    if listed_items(title) == n && n > 1 {
        return title.to_owned();
    }
    if let Some(i) = find_unquoted(title, "等") {
        let (head, rest) = title.split_at(i + '等'.len_utf8());
        if rest.chars().next().is_some_and(|c| !"，、。；：“‘《（".contains(c)) {
            return format!("{head}{n}项{rest}");
        }
    }
    if title.starts_with('在') || PREDICATES.iter().any(|p| title.starts_with(p)) {
        return format!("{n}次{title}");
    }
    format!("{n}项{title}")
}

/// Grades at the end of an honour's title that come out of an assessment
/// or a contest, with the verb that goes with them: 在……考核中获评一等次.
const GRADES: &[(&str, &str)] = &[
    ("优秀等次", "获评"),
    ("一等次", "获评"),
    ("二等次", "获评"),
    ("三等次", "获评"),
    ("特等奖", "荣获"),
    ("一等奖", "荣获"),
    ("二等奖", "荣获"),
    ("三等奖", "荣获"),
    ("优秀奖", "荣获"),
    ("金奖", "荣获"),
    ("银奖", "荣获"),
    ("铜奖", "荣获"),
    ("第一名", "取得"),
    ("第二名", "取得"),
    ("第三名", "取得"),
];
/// What such an assessment or contest is called.
const EVENTS: &[&str] = &["考核", "考评", "评比", "评选", "评估", "测评", "竞赛", "大赛", "比赛", "比武"];

/// An achievement as one clause, without the closing mark: the date (the
/// year left out when it is `year`, the report's year), the recipient with
/// its count, and the verb that fits the kind —
///
/// - honour: `5月，县社会福利院被全国老龄工作委员会评为全国“敬老文明号”`,
///   `6月28日，3名机关党员干部被中共某某县委评为“全县优秀共产党员”`,
///   `3月，县民政局在市民政局组织的2024年度全市民政工作目标考核中获评一等次`;
/// - recognition: `4月，县民政局社会救助工作获省民政厅通报表扬` (a title
///   that is a whole predicate is kept), `县民政局受到省民政厅通报表扬`,
///   `县民政局社会救助工作得到省民政厅肯定`;
/// - result: `6月18日，县婚姻登记处“跨省通办”婚姻登记服务案例入选全省民政系统创新案例`.
///
/// `who` stands in for a missing recipient (the organisation).
pub fn achievement(a: &Achievement, year: Option<i32>, who: &str) -> String {
    // A full stop or semicolon the data put at the end would double the
    // one the list adds (CJK marks only: `&amp;` ends with an ASCII `;`).
    let title = a.title.trim().trim_end_matches(['。', '；', '，']).trim();
    let by = a.by.as_deref().map(str::trim).unwrap_or("");
    let recipient = a.recipient.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let kind = kind(a.kind.as_deref());
    let people = recipient.is_some_and(is_people) || (recipient.is_none() && a.count.is_some() && kind == Kind::Honour);
    // The subject: the recipient with a head count (3名机关党员干部); a
    // count of things goes into the predicate instead.
    let base = recipient.unwrap_or(if people { "同志" } else { who });
    let subject = match a.count {
        Some(n) if people => format!("{n}名{base}"),
        _ => base.to_owned(),
    };
    let item_count = a.count.filter(|_| !people);

    let clause = if is_predicate(title) {
        // A title that opens with its recipient (机关干部获得……) does not
        // repeat it.
        let rest = match recipient {
            Some(r) if title.len() > r.len() => title.strip_prefix(r).unwrap_or(title),
            _ => title,
        };
        let mut pred = with_agent(rest, by);
        if let Some(n) = item_count {
            pred = with_item_count(&pred, n);
        }
        format!("{subject}{pred}")
    } else {
        let count_tail = item_count.map(|n| format!("，共{n}项")).unwrap_or_default();
        match kind {
            Kind::Honour => format!("{subject}{}{count_tail}", honour_predicate(title, by)),
            Kind::Recognition => {
                if APPRAISALS.iter().any(|w| title.ends_with(w)) {
                    format!("{subject}受到{by}{title}{count_tail}")
                } else if by.is_empty() {
                    format!("{subject}{title}得到肯定{count_tail}")
                } else {
                    format!("{subject}{title}得到{by}肯定{count_tail}")
                }
            }
            Kind::Result => {
                if by.is_empty() {
                    format!("{subject}取得{title}{count_tail}")
                } else {
                    format!("{subject}{title}得到{by}认可{count_tail}")
                }
            }
        }
    };
    match a.date {
        Some(d) => format!("{}，{clause}", date_in_year(&d, year)),
        None => clause,
    }
}

/// 被市民政局评为“全市养老服务工作先进集体”, 获评…, 被…授予…称号,
/// 在市民政局组织的……考核中获评一等次.
fn honour_predicate(title: &str, by: &str) -> String {
    for (grade, verb) in GRADES {
        if let Some(event) = title.strip_suffix(grade)
            && EVENTS.iter().any(|e| event.ends_with(e))
        {
            return if by.is_empty() {
                format!("在{event}中{verb}{grade}")
            } else {
                format!("在{by}组织的{event}中{verb}{grade}")
            };
        }
    }
    if title.ends_with("称号") {
        return if by.is_empty() { format!("荣获{title}") } else { format!("被{by}授予{title}") };
    }
    let q = quote(title);
    if by.is_empty() { format!("获评{q}") } else { format!("被{by}评为{q}") }
}

/// `2025年5月` / `6月18日`: the year is left out when it is the report's.
fn date_in_year(d: &Date, year: Option<i32>) -> String {
    if year == Some(d.year) {
        match d.day {
            Some(day) => format!("{}月{}日", d.month, day),
            None => format!("{}月", d.month),
        }
    } else {
        d.to_chinese()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(title: &str, kind: &str, by: &str, date: &str, recipient: &str, count: Option<u64>) -> Achievement {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Achievement {
            title: title.into(),
            kind: opt(kind),
            by: opt(by),
            date: (!date.is_empty()).then(|| Date::parse(date, true).unwrap()),
            recipient: opt(recipient),
            count,
        }
    }

    #[test]
    fn quotes_are_never_nested() {
        assert_eq!(quote("全县优秀共产党员"), "“全县优秀共产党员”");
        assert_eq!(quote("全国“敬老文明号”"), "全国“敬老文明号”");
        assert_eq!(quote("“全国文明单位”"), "“全国文明单位”");
        assert_eq!(book("清明祭扫新风拂面"), "《清明祭扫新风拂面》");
        assert_eq!(book("《人民日报》评论"), "《〈人民日报〉评论》");
        assert_eq!(book("《已有书名号》"), "《已有书名号》");
        assert_eq!(outlet("贵州日报"), "《贵州日报》");
        assert_eq!(outlet("中国人大杂志"), "《中国人大》杂志");
        assert_eq!(outlet("省民政厅门户网站"), "省民政厅门户网站");
        assert_eq!(outlet("《中国民政》"), "《中国民政》");
    }

    #[test]
    fn honours_read_as_a_secretary_writes_them() {
        let y = Some(2025);
        let w = "县民政局机关";
        let cases = [
            (
                a("全国“敬老文明号”", "honor", "全国老龄工作委员会", "2025-05", "县社会福利院", None),
                "5月，县社会福利院被全国老龄工作委员会评为全国“敬老文明号”",
            ),
            (
                a("社会救助工作获省民政厅通报表扬", "recognition", "省民政厅", "2025-04", "县民政局", None),
                "4月，县民政局社会救助工作获省民政厅通报表扬",
            ),
            (
                a(
                    "“跨省通办”婚姻登记服务案例入选全省民政系统创新案例",
                    "result",
                    "省民政厅",
                    "2025-06-18",
                    "县婚姻登记处",
                    None,
                ),
                "6月18日，县婚姻登记处“跨省通办”婚姻登记服务案例入选全省民政系统创新案例",
            ),
            (
                a("2024年度全市民政工作目标考核一等次", "honor", "市民政局", "2025-03", "县民政局", None),
                "3月，县民政局在市民政局组织的2024年度全市民政工作目标考核中获评一等次",
            ),
            (
                a("全县优秀共产党员", "honor", "中共某某县委", "2025-06-28", "机关党员干部", Some(3)),
                "6月28日，3名机关党员干部被中共某某县委评为“全县优秀共产党员”",
            ),
            (
                a("机关干部获得省、州表彰（表扬）", "honor", "省、州有关部门", "2023-06", "机关干部", Some(12)),
                "2023年6月，12名机关干部获得省、州表彰（表扬）",
            ),
            (
                a(
                    "地方人大工作经验典型等做法获领导批示肯定",
                    "recognition",
                    "省人大常委会领导、州委主要领导",
                    "",
                    "州人大常委会",
                    Some(3),
                ),
                "州人大常委会地方人大工作经验典型等3项做法获省人大常委会领导、州委主要领导批示肯定",
            ),
            (
                a(
                    "“代表直通车”和跨省代表联络站“1234”工作机制获肯定",
                    "recognition",
                    "州委主要领导",
                    "",
                    "黎平县、三穗县人大常委会",
                    None,
                ),
                "黎平县、三穗县人大常委会“代表直通车”和跨省代表联络站“1234”工作机制获州委主要领导肯定",
            ),
            (
                a(
                    "“代表直通车”和跨省代表联络站“1234”工作机制获肯定",
                    "recognition",
                    "州委主要领导",
                    "",
                    "黎平县、三穗县人大常委会",
                    Some(2),
                ),
                "黎平县、三穗县人大常委会“代表直通车”和跨省代表联络站“1234”工作机制获州委主要领导肯定",
            ),
            (
                a("调研报告获市委主要领导批示", "result", "", "", "县民政局", Some(4)),
                "县民政局4项调研报告获市委主要领导批示",
            ),
            (
                a("受邀在全省会议上交流经验", "result", "", "", "县民政局", Some(2)),
                "县民政局2次受邀在全省会议上交流经验",
            ),
            (
                a("受邀在全省人大常委会秘书长联席会议上交流经验", "result", "省人大常委会", "", "州人大常委会", None),
                "州人大常委会受邀在全省人大常委会秘书长联席会议上交流经验",
            ),
            (a("通报表扬", "recognition", "省民政厅", "", "县民政局", None), "县民政局受到省民政厅通报表扬"),
            (a("社会救助工作", "recognition", "省民政厅", "", "", None), "县民政局机关社会救助工作得到省民政厅肯定"),
            (a("全市先进集体", "honor", "", "", "", None), "县民政局机关获评“全市先进集体”"),
            (
                a("“全国文明单位”称号", "荣誉", "中央文明委", "", "县民政局", None),
                "县民政局被中央文明委授予“全国文明单位”称号",
            ),
        ];
        for (x, want) in cases {
            assert_eq!(achievement(&x, y, w), want);
        }
    }

    #[test]
    fn the_transition_sentence_leaves_an_article_lead() {
        assert_eq!(
            strip_transition("上半年，工作有序推进。\n\n现将上半年工作情况报告如下。\n"),
            "上半年，工作有序推进。"
        );
        assert_eq!(strip_transition("半年来，责任层层压实。现将有关情况报告如下。"), "半年来，责任层层压实。");
        assert_eq!(strip_transition("他说：“现将如下。”好。"), "他说：“现将如下。”好。");
        assert_eq!(strip_transition("没有过渡句"), "没有过渡句");
    }
}
