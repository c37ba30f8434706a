//! Derived figures every template can use without writing loops: counts and
//! totals of activities (overall, per branch, per kind), honours per level,
//! coverage per outlet level, the period's months.

use serde::Serialize;

use super::types::{Activity, Report};
use crate::template::cn;

/// Activities and participants of one group (a branch, a kind).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub activities: usize,
    pub participants: u64,
}

/// How many items have one level (国家级, 省级, …).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LevelCount {
    pub level: String,
    pub count: usize,
}

/// A metric as templates see it: its fields plus `text`, the quantity as
/// printed (`20余次`).
#[derive(Debug, Clone, Serialize)]
pub struct MetricView {
    pub label: String,
    pub value: super::scalar::Number,
    pub unit: String,
    pub qualifier: String,
    pub text: String,
}

/// The derived figures of a report.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub activity_count: usize,
    pub participants_total: u64,
    /// Per branch, in the order of `branches` (then any other names used).
    pub by_branch: Vec<Group>,
    /// Per kind, in order of first appearance.
    pub by_kind: Vec<Group>,
    pub branch_count: usize,
    pub member_total: u64,
    /// Achievements whose kind is `honor` (or 荣誉).
    pub honour_count: usize,
    pub honours_by_level: Vec<LevelCount>,
    pub achievement_count: usize,
    /// People or items honoured, summed over achievements' `count`.
    pub honoured_total: u64,
    pub coverage_count: usize,
    pub coverage_by_level: Vec<LevelCount>,
    /// Distinct outlets, in order of first appearance.
    pub outlets: Vec<String>,
    /// The period's months as numbers (1–12), when start and end are given.
    pub months: Vec<u32>,
    /// The number of months, in Chinese numerals (`六`), or empty.
    pub month_count_cn: String,
}

fn group_by<'a>(items: impl Iterator<Item = (&'a str, &'a Activity)>, order: &[&str]) -> Vec<Group> {
    let mut groups: Vec<Group> =
        order.iter().map(|n| Group { name: (*n).to_owned(), activities: 0, participants: 0 }).collect();
    // By name: a linear search made 2000 branches × 20 000 activities slow.
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, n) in order.iter().enumerate() {
        index.entry(*n).or_insert(i);
    }
    for (name, a) in items {
        let i = *index.entry(name).or_insert_with(|| {
            groups.push(Group { name: name.to_owned(), activities: 0, participants: 0 });
            groups.len() - 1
        });
        let g = &mut groups[i];
        g.activities += 1;
        g.participants += u64::from(a.participants.map_or(0, |c| c.0));
    }
    groups
}

fn count_levels<'a>(levels: impl Iterator<Item = Option<&'a str>>) -> Vec<LevelCount> {
    let mut out: Vec<LevelCount> = Vec::new();
    for level in levels.flatten() {
        match out.iter_mut().find(|l| l.level == level) {
            Some(l) => l.count += 1,
            None => out.push(LevelCount { level: level.to_owned(), count: 1 }),
        }
    }
    out
}

/// Whether an achievement kind means an honour.
fn is_honour(kind: Option<&str>) -> bool {
    matches!(kind.map(str::trim), Some("honor" | "honour" | "荣誉"))
}

/// Derives the figures of `report` from all its activities: `by_branch`
/// lists every branch, in the report's order, those without activities too.
pub fn figures(report: &Report, activities: &[&Activity]) -> Figures {
    let branch_names: Vec<&str> = report.branches.iter().map(|b| b.name.as_str()).collect();
    figures_listing(report, activities, &branch_names)
}

/// The figures of one branch from its `activities`: `by_branch` holds that
/// branch only (listing all 2000 branches of a large report for each of
/// them made a batch's per-summary cost grow with the report).
pub fn branch_figures(report: &Report, branch: &str, activities: &[&Activity]) -> Figures {
    figures_listing(report, activities, &[branch])
}

/// The figures, `by_branch` starting with `branch_names` in that order.
fn figures_listing(report: &Report, activities: &[&Activity], branch_names: &[&str]) -> Figures {
    let by_branch = group_by(activities.iter().filter_map(|a| a.branch.as_deref().map(|b| (b, *a))), branch_names);
    let by_kind = group_by(activities.iter().filter_map(|a| a.kind.as_deref().map(|k| (k, *a))), &[]);
    let honours: Vec<_> = report.achievements.iter().filter(|a| is_honour(a.kind.as_deref())).collect();
    let mut outlets: Vec<String> = Vec::new();
    for c in &report.coverage {
        if !outlets.iter().any(|o| o == c.outlet.as_str()) {
            outlets.push(c.outlet.to_string());
        }
    }
    let months = match (report.period.start, report.period.end) {
        (Some(s), Some(e)) if s <= e => {
            let (mut y, mut m) = (s.year, s.month);
            let mut out = Vec::new();
            while (y, m) <= (e.year, e.month) && out.len() < 240 {
                out.push(m);
                (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            }
            out
        }
        _ => Vec::new(),
    };
    Figures {
        activity_count: activities.len(),
        participants_total: activities.iter().map(|a| u64::from(a.participants.map_or(0, |c| c.0))).sum(),
        by_branch,
        by_kind,
        branch_count: report.branches.len(),
        member_total: report.branches.iter().map(|b| u64::from(b.members.map_or(0, |c| c.0))).sum(),
        honour_count: honours.len(),
        honours_by_level: count_levels(honours.iter().map(|a| a.level.as_deref())),
        achievement_count: report.achievements.len(),
        honoured_total: report.achievements.iter().map(|a| u64::from(a.count.map_or(0, |c| c.0))).sum(),
        coverage_count: report.coverage.len(),
        coverage_by_level: count_levels(report.coverage.iter().map(|c| c.level.as_deref())),
        outlets,
        month_count_cn: if months.is_empty() { String::new() } else { cn::numeral(months.len() as u64) },
        months,
    }
}

/// The metrics that have a `key`, by key, as templates see them (`m.surveys`).
pub fn metrics_by_key(report: &Report) -> std::collections::BTreeMap<String, MetricView> {
    report
        .metrics
        .iter()
        .filter_map(|m| {
            let key = m.key.as_ref()?.to_string();
            let unit = m.unit.as_ref().map(|u| u.to_string()).unwrap_or_default();
            let qualifier = m.qualifier.as_ref().map(|q| q.to_string()).unwrap_or_default();
            let text = cn::quantity(&m.value.to_string(), &unit, &qualifier);
            Some((key, MetricView { label: m.label.to_string(), value: m.value, unit, qualifier, text }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::model::source::SourceFile;

    fn report() -> Report {
        let text = "organization:\n  name: 甲\nperiod:\n  label: 乙\nbranches:\n  - name: 一支部\n  - name: 二支部\n  - name: 三支部\nactivities:\n  - date: 2025-03-01\n    title: 学习\n    branch: 二支部\n    participants: 12\n  - date: 2025-03-02\n    title: 党课\n    branch: 二支部\n    participants: 8\n";
        let source = SourceFile { path: PathBuf::from("x.yaml"), text: text.into(), warnings: Vec::new() };
        crate::model::parse(source, Default::default()).unwrap().report
    }

    #[test]
    fn the_report_lists_every_branch_and_a_branch_only_itself() {
        let r = report();
        let all: Vec<&Activity> = r.activities.iter().collect();
        let f = figures(&r, &all);
        let names: Vec<&str> = f.by_branch.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["一支部", "二支部", "三支部"]);
        assert_eq!((f.by_branch[1].activities, f.by_branch[1].participants), (2, 20));
        assert_eq!(f.by_branch[0].activities, 0);

        let b = branch_figures(&r, "二支部", &all);
        assert_eq!(b.by_branch.len(), 1);
        assert_eq!((b.by_branch[0].name.as_str(), b.by_branch[0].activities), ("二支部", 2));
        assert_eq!((b.activity_count, b.participants_total, b.branch_count), (2, 20, 3));
    }
}
