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

#[derive(Serialize)]
struct Context<'a> {
    #[serde(flatten)]
    report: &'a Report,
    figures: Figures,
    m: std::collections::BTreeMap<String, MetricView>,
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

/// The template context for `report`, optionally for one branch.
pub fn build(report: &Report, branch: Option<&Branch>, template: &str) -> minijinja::Value {
    build_named(report, branch, template, None)
}

/// [`build`] plus `file_stem`, for output name patterns.
pub fn build_named(
    report: &Report,
    branch: Option<&Branch>,
    template: &str,
    file_stem: Option<&str>,
) -> minijinja::Value {
    let all: Vec<&Activity> = report.activities.iter().collect();
    let branch = branch.map(|b| {
        let activities = branch_activities(report, &b.name);
        let figures = figures::figures(report, &activities);
        BranchView { branch: b, activities, figures }
    });
    minijinja::Value::from(minijinja::value::Serde(Context {
        report,
        figures: figures::figures(report, &all),
        m: figures::metrics_by_key(report),
        branch,
        template,
        file_stem,
    }))
}
