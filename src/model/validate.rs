//! Checks that span fields or need the whole report: references between
//! fields, uniqueness, empty required text, dates against the period.

use std::collections::HashSet;

use super::locate::Locator;
use super::scalar::Text;
use super::suggest;
use super::types::Report;
use crate::error::{Diagnostic, ErrorKind};
use crate::template::cn;
use crate::tr;

/// Problems found: errors stop the render, warnings are printed.
#[derive(Debug, Default)]
pub struct Findings {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl Findings {
    fn error(&mut self, loc: &Locator, path: &str, message: String, help: Option<String>) {
        let mut d = Diagnostic::error(ErrorKind::Data, message).at(loc.value(path)).field(path);
        if let Some(h) = help {
            d = d.help(h);
        }
        self.errors.push(d);
    }

    fn warning(&mut self, loc: &Locator, path: &str, message: String) {
        self.warnings.push(Diagnostic::warning(ErrorKind::Data, message).at(loc.value(path)).field(path));
    }
}

fn require_text(f: &mut Findings, loc: &Locator, path: &str, t: &Text) {
    if t.trim().is_empty() {
        f.error(
            loc,
            path,
            tr!("这一项不能为空".into(), "this field must not be empty".into()),
            Some(tr!("填写内容，或删除整项".into(), "fill it in, or remove the entry".into())),
        );
    }
}

/// Validates `report`; positions come from `loc`.
pub fn validate(report: &Report, loc: &Locator) -> Findings {
    let mut f = Findings::default();
    require_text(&mut f, loc, "organization.name", &report.organization.name);
    require_text(&mut f, loc, "period.label", &report.period.label);
    for (i, s) in report.sections.iter().enumerate() {
        require_text(&mut f, loc, &format!("sections[{i}].title"), &s.title);
        let empty = s.intro.as_ref().is_none_or(|t| t.trim().is_empty()) && s.points.is_empty() && s.images.is_empty();
        if empty && !s.title.trim().is_empty() {
            f.warning(
                loc,
                &format!("sections[{i}].title"),
                tr!(
                    format!("“{}”下面没有内容（intro、points、images 都没有写）：文档中只有一个空标题", s.title.trim()),
                    format!(
                        "“{}” has nothing under it (no intro, points or images): the document shows a bare heading",
                        s.title.trim()
                    )
                ),
            );
        }
        for (j, p) in s.points.iter().enumerate() {
            require_text(&mut f, loc, &format!("sections[{i}].points[{j}].title"), &p.title);
        }
    }

    // Branch names: non-empty and unique (batch output names come from them).
    let mut seen = HashSet::new();
    for (i, b) in report.branches.iter().enumerate() {
        let path = format!("branches[{i}].name");
        require_text(&mut f, loc, &path, &b.name);
        if !seen.insert(b.name.trim()) {
            f.error(
                loc,
                &path,
                tr!(format!("支部名称“{}”重复", b.name), format!("the branch name “{}” appears twice", b.name)),
                Some(tr!("每个支部的名称必须不同".into(), "every branch needs a different name".into())),
            );
        }
    }

    // Activities name an existing branch, and fall inside the period.
    let names: Vec<&str> = report.branches.iter().map(|b| b.name.as_str()).collect();
    let (start, end) = (report.period.start, report.period.end);
    for (i, a) in report.activities.iter().enumerate() {
        if let Some(branch) = &a.branch
            && !report.branches.is_empty()
            && !names.contains(&branch.as_str())
        {
            let help = match suggest(branch, names.iter().copied()) {
                Some(best) => tr!(
                    format!("是不是“{best}”？branch 必须与 branches 中某个 name 完全一致"),
                    format!("did you mean “{best}”? branch must equal one of branches[].name")
                ),
                None => tr!(
                    format!("branch 必须与 branches 中某个 name 完全一致：{}", names.join("、")),
                    format!("branch must equal one of branches[].name: {}", names.join(", "))
                ),
            };
            f.error(
                loc,
                &format!("activities[{i}].branch"),
                tr!(format!("没有名为“{branch}”的支部"), format!("there is no branch named “{branch}”")),
                Some(help),
            );
        }
        let outside = start.is_some_and(|s| a.date < s) || end.is_some_and(|e| a.date > e);
        if outside {
            f.warning(
                loc,
                &format!("activities[{i}].date"),
                tr!(
                    format!("活动日期 {} 不在时期“{}”内", a.date, report.period.label),
                    format!("the activity date {} is outside the period “{}”", a.date, report.period.label)
                ),
            );
        }
    }
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        f.error(
            loc,
            "period.end",
            tr!(format!("结束日期 {e} 早于开始日期 {s}"), format!("the end date {e} is before the start date {s}")),
            Some(tr!("检查年份，或把开始和结束日期对调".into(), "check the years, or swap start and end".into())),
        );
    }

    // Metrics: known qualifiers, unique keys.
    let mut keys = HashSet::new();
    for (i, m) in report.metrics.iter().enumerate() {
        if let Some(q) = &m.qualifier
            && !q.is_empty()
            && !cn::is_qualifier(q)
        {
            f.error(
                loc,
                &format!("metrics[{i}].qualifier"),
                tr!(format!("不认识的限定词“{q}”"), format!("unknown qualifier “{q}”")),
                Some(tr!(
                    format!("可用：{}", cn::qualifiers().join("、")),
                    format!("use one of: {}", cn::qualifiers().join(", "))
                )),
            );
        }
        if let Some(k) = &m.key
            && !keys.insert(k.as_str())
        {
            f.error(
                loc,
                &format!("metrics[{i}].key"),
                tr!(format!("指标标识“{k}”重复"), format!("the metric key “{k}” appears twice")),
                Some(tr!(
                    "每个指标的 key 必须不同（模板用 m.key 引用指标）".into(),
                    "every metric key must differ (templates read metrics as m.KEY)".into()
                )),
            );
        }
    }
    f
}
