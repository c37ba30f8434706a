//! The values a template sees: the report's fields at the top level, the
//! derived `figures`, metrics by key as `m`, and for per-branch templates
//! `branch` (the entry, its activities and its figures).

use serde::Serialize;

use crate::model::figures::{self, Figures, MetricView};
use crate::model::{Activity, Branch, Report};

/// One branch as a per-branch template sees it.
#[derive(Serialize)]
pub struct BranchView<'a> {
    #[serde(flatten)]
    pub branch: &'a Branch,
    /// The activities whose `branch` is this branch's name.
    pub activities: Vec<&'a Activity>,
    pub figures: Figures,
}

/// The report-wide part: the same for every unit of a data file.
#[derive(Serialize)]
struct ReportPart<'a> {
    #[serde(flatten)]
    report: &'a Report,
    figures: Figures,
    m: std::collections::BTreeMap<String, MetricView>,
}

/// What differs between the units of one data file.
#[derive(Serialize)]
struct UnitPart<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    branch: Option<BranchView<'a>>,
    template: &'a str,
    /// The data file's name without extension (output name patterns).
    #[serde(skip_serializing_if = "Option::is_none")]
    file_stem: Option<&'a str>,
}

/// The activities of the branch named `name`.
pub fn branch_activities<'a>(report: &'a Report, name: &str) -> Vec<&'a Activity> {
    report.activities.iter().filter(|a| a.branch.as_deref() == Some(name)).collect()
}

/// The report-wide part of the context — the report's fields, `figures`
/// and `m` — built once per data file ([`Loaded::template_base`] keeps
/// it): converting the whole report for each of 2000 branches made
/// planning a batch quadratic.
///
/// [`Loaded::template_base`]: crate::model::Loaded::template_base
pub fn report_part(report: &Report) -> minijinja::Value {
    let all: Vec<&Activity> = report.activities.iter().collect();
    minijinja::Value::from(minijinja::value::Serde(ReportPart {
        report,
        figures: figures::figures(report, &all),
        m: figures::metrics_by_key(report),
    }))
}

/// The context of one unit: `base` (from [`report_part`] of `report`)
/// plus `branch`, `template` and, for output name patterns, `file_stem`.
pub fn for_unit(
    base: &minijinja::Value,
    report: &Report,
    branch: Option<&Branch>,
    template: &str,
    file_stem: Option<&str>,
) -> minijinja::Value {
    let branch = branch.map(|b| {
        let activities = branch_activities(report, &b.name);
        let figures = figures::branch_figures(report, &b.name, &activities);
        BranchView { branch: b, activities, figures }
    });
    let unit = minijinja::Value::from(minijinja::value::Serde(UnitPart { branch, template, file_stem }));
    // The unit's keys first: they win over a report field of the same name.
    minijinja::value::merge_maps([unit, base.clone()])
}
