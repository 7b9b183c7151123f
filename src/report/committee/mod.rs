//! The committee report (委員会・庁議向け報告書): where the whole city stands
//! against the 人財育成アクションプラン in one year.
//!
//! [`build`] turns the scores model into a [`CommitteeDoc`] — a serde model of
//! every table and sentence the template prints, with numbers already
//! formatted — and [`charts`] draws its charts. The document model and its
//! tables are here; `prose` writes its sentences (findings, captions),
//! `harassment` the harassment survey's section, `charts` assembles the charts. Only shown groups contribute
//! numbers; a hidden group appears with its reason and nothing else.

use anyhow::{Result, bail};
use serde::Serialize;

use crate::aggregate::model::{
    ALL, Group, HARASSMENT_SHARE_MIN, Progress, QuestionResult, ScoresModel, Status, YearResult,
};
use crate::clock::Date;
use crate::config::plan::OVERALL;
use crate::config::year::FiscalYear;
use crate::report::format::{NONE, change, count, mark, one, percent, ratio};
use crate::report::improvements::{Improved, improved};

mod charts;
mod harassment;
mod importance;
mod prose;

pub use charts::charts;
use harassment::harassment_section;
use importance::driver_section;
pub use importance::{DeptDrivers, DriverSection};
use prose::{captions, findings};

/// Everything the committee template prints.
#[derive(Debug, Clone, Serialize)]
pub struct CommitteeDoc {
    /// `令和7年度 職員意識調査 結果報告書`.
    pub title: String,
    /// The survey's name.
    pub survey: String,
    /// The organisation.
    pub organization: String,
    /// The plan's name and date.
    pub plan: String,
    /// `令和7年度（2025年度）`.
    pub year_label: String,
    /// Short form of the year: `R7`.
    pub year_short: String,
    /// Date of the report: `令和7年11月25日`.
    pub date: String,
    /// k of the attitude survey.
    pub k: usize,
    /// k of the harassment survey.
    pub k_harassment: Option<usize>,
    /// How many must have chosen a harassment answer, and how many not, for
    /// a department's share of it to be shown (DESIGN §5).
    pub harassment_share_min: usize,
    /// Respondents, staff and response rate, formatted.
    pub respondents: String,
    /// Staff in org.csv.
    pub headcount: String,
    /// Response rate.
    pub response_rate: String,
    /// The one-page summary.
    pub summary: Summary,
    /// Survey targets: the categories, then overall.
    pub targets: Vec<TargetRow>,
    /// The plan's other KPIs.
    pub indicators: Vec<TargetRow>,
    /// Department table rows in org.csv order.
    pub departments: Vec<DeptRow>,
    /// Category names as table headers (with 総合 last).
    pub category_names: Vec<String>,
    /// One table per demographic cut of the whole organisation.
    pub cuts: Vec<CutTable>,
    /// Cronbach's α per category.
    pub reliability: Vec<AlphaRow>,
    /// The harassment survey, when it has responses this year.
    pub harassment: Option<HarassmentSection>,
    /// What matters most for how staff feel about their workplace.
    pub drivers: DriverSection,
    /// What improved significantly since last year.
    pub improvements: Improvements,
    /// A sentence under each chart.
    pub captions: Captions,
    /// Whether the year before had responses.
    pub has_previous: bool,
    /// Scale labels from highest to lowest, for the methods page.
    pub scale_labels: Vec<String>,
    /// The favorable threshold's label, e.g. `ややそう思う`.
    pub favorable_label: String,
    /// A reverse-worded item's text, to explain reversing by example.
    pub reverse_example: Option<String>,
    /// What was withheld this year, by kind and reason, for the methods section.
    pub protection: Vec<ProtectionRow>,
    /// Whether a department is shown with some values withheld (the department table then explains 「—」).
    pub values_withheld: bool,
    /// Whether the city's overall score is withheld for some shown demographic value.
    pub cut_values_withheld: bool,
}

/// What improved significantly since last year: the city's categories and
/// items, and each department's categories.
#[derive(Debug, Clone, Serialize)]
pub struct Improvements {
    /// The whole city.
    pub city: Improved,
    /// Departments with a significantly improved category, in org.csv order.
    pub departments: Vec<DeptImproved>,
}

/// A department's improved categories.
#[derive(Debug, Clone, Serialize)]
pub struct DeptImproved {
    /// Name with its 部.
    pub name: String,
    /// `人間関係 +3.2＊、総合 +1.8＊`.
    pub categories: String,
}

/// How many improved items the committee report lists for the city.
const CITY_IMPROVED_ITEMS: usize = 8;

fn improvements(model: &ScoresModel, y: &YearResult) -> Improvements {
    let city = all_group(y).and_then(Group::shown).map(|f| improved(model, f, CITY_IMPROVED_ITEMS)).unwrap_or_default();
    let departments = y
        .groups
        .iter()
        .filter(|g| g.cut.is_none() && g.department != ALL)
        .filter_map(|g| {
            let found = improved(model, g.shown()?, 0);
            (!found.categories.is_empty())
                .then(|| DeptImproved { name: g.path_name.clone(), categories: found.categories.join("、") })
        })
        .collect();
    Improvements { city, departments }
}

/// One kind of withheld figure and how many were withheld for each reason.
#[derive(Debug, Clone, Serialize)]
pub struct ProtectionRow {
    /// What was withheld: `所属・属性の集団` …
    pub label: String,
    /// Withheld because fewer than k were behind them.
    pub too_few: String,
    /// Withheld so that others cannot be worked out by subtraction.
    pub differencing: String,
}

/// The one-page summary.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The overall score's row.
    pub overall: TargetRow,
    /// How many categories have each status, in the order 達成, 順調, 遅れ, 悪化, データなし.
    pub status_counts: Vec<(String, usize)>,
    /// The key findings, one sentence each.
    pub findings: Vec<String>,
}

/// A goal in one row: baseline, last year, this year, change, trajectory, achievement, status.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    /// Id (category, overall or indicator).
    pub id: String,
    /// Name as printed.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// How the goal is judged.
    pub kind: String,
    /// Baseline with its year: `59.0（R4）`.
    pub baseline: String,
    /// Target with its year: `65.0（R7）` or `65.0以上（毎年度）`.
    pub target: String,
    /// Last year's value.
    pub previous: String,
    /// This year's value.
    pub value: String,
    /// Change from last year.
    pub delta: String,
    /// `＊` when the change is significant.
    pub significance: String,
    /// Where the value should be this year.
    pub trajectory: String,
    /// 進捗率.
    pub achievement: String,
    /// 達成・順調・遅れ・悪化・データなし・推移を確認.
    pub status: String,
    /// A key for the status colour: achieved, on_track, behind, worse, no_data, tracked.
    pub status_key: String,
    /// This year's value as a number, for the prose (the templates get `value`).
    #[serde(skip)]
    pub number: Option<f64>,
    /// The status itself, for the prose (the templates get `status`).
    #[serde(skip)]
    pub state: Status,
}

/// A department in the department table.
#[derive(Debug, Clone, Serialize)]
pub struct DeptRow {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Depth below the organisation (1 for a 部).
    pub depth: usize,
    /// Respondents, or empty when hidden.
    pub respondents: String,
    /// Response rate.
    pub response_rate: String,
    /// Category scores and overall, one decimal.
    pub scores: Vec<String>,
    /// Why the row is hidden.
    pub hidden: Option<String>,
}

/// The whole organisation by one demographic.
#[derive(Debug, Clone, Serialize)]
pub struct CutTable {
    /// Demographic name.
    pub name: String,
    /// One row per value.
    pub rows: Vec<CutRow>,
    /// Chart image name.
    pub chart: String,
}

/// One value of a demographic.
#[derive(Debug, Clone, Serialize)]
pub struct CutRow {
    /// The value.
    pub value: String,
    /// Respondents, or empty when hidden.
    pub respondents: String,
    /// Category scores and overall.
    pub scores: Vec<String>,
    /// Why hidden.
    pub hidden: Option<String>,
}

/// Cronbach's α of a category.
#[derive(Debug, Clone, Serialize)]
pub struct AlphaRow {
    /// Category name.
    pub name: String,
    /// Number of items.
    pub items: usize,
    /// α, two decimals.
    pub alpha: String,
    /// Respondents who answered every item.
    pub n: String,
}

/// The harassment survey for the whole organisation.
#[derive(Debug, Clone, Serialize)]
pub struct HarassmentSection {
    /// Its name.
    pub title: String,
    /// Respondents.
    pub respondents: String,
    /// Year labels of the columns (oldest first, this year last).
    pub years: Vec<String>,
    /// One row per reported share.
    pub rows: Vec<HarassmentRow>,
    /// Departments hidden under its k, and why, as a sentence.
    pub note: String,
}

/// One share of the harassment survey over the years.
#[derive(Debug, Clone, Serialize)]
pub struct HarassmentRow {
    /// Question id.
    pub id: String,
    /// What is counted: question text and choice.
    pub label: String,
    /// Values per year.
    pub values: Vec<String>,
    /// The same shares as numbers (percent), for the chart.
    #[serde(skip)]
    pub shares: Vec<Option<f64>>,
    /// A question heading over its choices (no values).
    pub header: bool,
    /// A choice under its question heading.
    pub indent: bool,
}

/// Sentences that say what each chart shows.
#[derive(Debug, Clone, Serialize)]
pub struct Captions {
    /// Trend chart.
    pub trend: String,
    /// This year against targets.
    pub targets: String,
    /// The heatmap.
    pub heatmap: String,
    /// The demographic cuts.
    pub cuts: String,
    /// Response rates.
    pub response: String,
}

fn status_key(s: Status) -> &'static str {
    match s {
        Status::Achieved => "achieved",
        Status::OnTrack => "on_track",
        Status::Behind => "behind",
        Status::Worse => "worse",
        Status::NoData => "no_data",
        Status::Tracked => "tracked",
    }
}

fn year_short(y: Option<FiscalYear>) -> String {
    y.map(|y| y.short()).unwrap_or_default()
}

/// Formats a value in its unit: % with the sign, whole counts of people
/// without decimals, everything else with one decimal.
fn in_unit(v: Option<f64>, unit: &str) -> String {
    match (unit, v) {
        ("%", _) => percent(v),
        ("人", Some(n)) if n.fract() == 0.0 && n >= 0.0 => count(n as u64),
        _ => one(v),
    }
}

/// Builds a target row from a progress entry; `delta` comes from the scores when known.
pub fn target_row(p: &Progress, delta: Option<f64>, significant: bool) -> TargetRow {
    use crate::config::plan::GoalKind;
    let target = match (p.kind, p.target, p.target_year) {
        (GoalKind::Track, ..) => "（目標値なし）".to_string(),
        (GoalKind::EveryYearAtLeast, Some(t), _) => format!("{}以上（毎年度）", in_unit(Some(t), &p.unit)),
        (GoalKind::KeepAtLeast, Some(t), _) => format!("{}以上を維持", in_unit(Some(t), &p.unit)),
        (GoalKind::ReachAtMost, Some(t), y) => format!("{}以下（{}）", in_unit(Some(t), &p.unit), year_short(y)),
        (_, Some(t), y) => format!("{}（{}）", in_unit(Some(t), &p.unit), year_short(y)),
        _ => NONE.to_string(),
    };
    let baseline = match (p.baseline, p.baseline_year) {
        (Some(b), y) => format!("{}（{}）", in_unit(Some(b), &p.unit), year_short(y)),
        _ => NONE.to_string(),
    };
    let delta = delta.or_else(|| p.value.zip(p.previous).map(|(v, q)| v - q));
    TargetRow {
        id: p.id.clone(),
        name: p.name.clone(),
        unit: p.unit.clone(),
        kind: p.kind.label().to_string(),
        baseline,
        target,
        previous: in_unit(p.previous, &p.unit),
        value: in_unit(p.value, &p.unit),
        delta: change(delta),
        significance: mark(significant).to_string(),
        trajectory: in_unit(p.trajectory, &p.unit),
        achievement: ratio(p.achievement),
        status: p.status.label().to_string(),
        status_key: status_key(p.status).to_string(),
        number: p.value,
        state: p.status,
    }
}

fn all_group(y: &YearResult) -> Option<&Group> {
    y.group(ALL, None)
}

fn reason(g: &Group) -> Option<String> {
    g.visibility.message().map(str::to_string)
}

/// Builds the committee report's model for `year`.
pub fn build(model: &ScoresModel, year: FiscalYear, date: Date) -> Result<CommitteeDoc> {
    let Some(y) = model.year(year) else {
        bail!("{}の回答がありません", year.era());
    };
    let Some(all) = all_group(y).and_then(Group::shown) else {
        bail!("{}の全体の結果が表示できません（回答者が少なすぎます）", year.era());
    };
    let category_ids: Vec<String> =
        model.categories.iter().map(|c| c.id.clone()).chain([OVERALL.to_string()]).collect();
    let category_names: Vec<String> =
        model.categories.iter().map(|c| c.name.clone()).chain(["総合".to_string()]).collect();
    let name_of = |id: &str| -> String {
        model.categories.iter().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or_else(|| "総合".to_string())
    };

    // Targets: every category and overall, in survey order, with the plan's goal where it has one.
    let targets: Vec<TargetRow> = category_ids
        .iter()
        .enumerate()
        .map(|(c, id)| {
            let value = all.scores[c].visibility.shown();
            let moved = value.and_then(|v| v.change);
            let significant = moved.is_some_and(|c| c.significant);
            match y.progress.iter().find(|p| &p.id == id) {
                Some(p) => {
                    let mut row = target_row(p, moved.map(|c| c.delta), significant);
                    row.name = name_of(id);
                    row
                }
                None => TargetRow {
                    id: id.clone(),
                    name: name_of(id),
                    unit: "点".into(),
                    kind: "目標値なし".into(),
                    baseline: NONE.into(),
                    target: NONE.into(),
                    previous: NONE.into(),
                    value: one(value.map(|v| v.score)),
                    delta: change(value.and_then(|v| v.change).map(|c| c.delta)),
                    significance: mark(significant).into(),
                    trajectory: NONE.into(),
                    achievement: NONE.into(),
                    status: Status::Tracked.label().into(),
                    status_key: status_key(Status::Tracked).into(),
                    number: value.map(|v| v.score),
                    state: Status::Tracked,
                },
            }
        })
        .collect();
    let overall = targets.last().cloned().ok_or_else(|| anyhow::anyhow!("カテゴリがありません"))?;
    let indicators: Vec<TargetRow> = y.indicators.iter().map(|p| target_row(p, None, false)).collect();

    let category_statuses: Vec<&TargetRow> = targets.iter().filter(|t| t.id != OVERALL).collect();
    let status_counts: Vec<(String, usize)> =
        [Status::Achieved, Status::OnTrack, Status::Behind, Status::Worse, Status::NoData]
            .iter()
            .map(|s| (s.label().to_string(), category_statuses.iter().filter(|t| t.state == *s).count()))
            .collect();

    let departments: Vec<DeptRow> = y
        .groups
        .iter()
        .filter(|g| g.cut.is_none() && g.department != ALL)
        .map(|g| match g.shown() {
            Some(f) => DeptRow {
                code: g.department.clone(),
                name: g.department_name.clone(),
                depth: g.depth,
                respondents: count(f.respondents as u64),
                response_rate: percent(f.response_rate),
                scores: (0..category_ids.len()).map(|c| one(g.score(c).map(|s| s.score))).collect(),
                hidden: None,
            },
            None => DeptRow {
                code: g.department.clone(),
                name: g.department_name.clone(),
                depth: g.depth,
                respondents: String::new(),
                response_rate: String::new(),
                scores: Vec::new(),
                hidden: reason(g),
            },
        })
        .collect();

    let cuts: Vec<CutTable> = model
        .demographics
        .iter()
        .enumerate()
        .map(|(d, demo)| CutTable {
            name: demo.name.clone(),
            chart: format!("cut{d}"),
            rows: demo
                .values
                .iter()
                .filter_map(|v| y.group(ALL, Some((&demo.name, v))))
                .map(|g| match g.shown() {
                    Some(f) => CutRow {
                        value: g.cut_value.clone().unwrap_or_default(),
                        respondents: count(f.respondents as u64),
                        scores: (0..category_ids.len()).map(|c| one(g.score(c).map(|s| s.score))).collect(),
                        hidden: None,
                    },
                    None => CutRow {
                        value: g.cut_value.clone().unwrap_or_default(),
                        respondents: String::new(),
                        scores: Vec::new(),
                        hidden: reason(g),
                    },
                })
                .collect(),
        })
        .collect();

    let reliability = y
        .reliability
        .iter()
        .map(|r| {
            let shown = r.visibility.shown();
            AlphaRow {
                name: name_of(&r.category),
                items: model.categories.iter().find(|c| c.id == r.category).map(|c| c.items.len()).unwrap_or(0),
                alpha: shown.and_then(|a| a.alpha).map(|a| format!("{a:.2}")).unwrap_or_else(|| NONE.into()),
                n: shown.map(|a| count(a.n)).unwrap_or_else(|| NONE.into()),
            }
        })
        .collect();

    let findings = findings(model, y, &targets, all.response_rate);
    let captions = captions(model, y, &targets, &departments);
    let scale = &model.scale;
    Ok(CommitteeDoc {
        title: format!("{} {} 結果報告書", year.era(), model.survey_title),
        survey: model.survey_title.clone(),
        organization: model.organization.clone(),
        plan: model.plan_name.clone(),
        year_label: year.to_string(),
        year_short: year.short(),
        date: date.japanese(),
        k: model.min_group_size,
        k_harassment: y.harassment.as_ref().map(|h| h.min_group_size),
        harassment_share_min: HARASSMENT_SHARE_MIN,
        respondents: count(all.respondents as u64),
        headcount: count(y.headcount),
        response_rate: percent(all.response_rate),
        summary: Summary { overall, status_counts, findings },
        targets,
        indicators,
        departments,
        category_names,
        cuts,
        reliability,
        harassment: harassment_section(model, y),
        drivers: driver_section(model, y),
        improvements: improvements(model, y),
        captions,
        has_previous: y.has_previous,
        scale_labels: scale.labels.iter().rev().cloned().collect(),
        favorable_label: scale
            .labels
            .get((scale.favorable_threshold - scale.min) as usize)
            .cloned()
            .unwrap_or_default(),
        reverse_example: model.items.iter().find(|i| i.reverse).map(|i| i.text.clone()),
        protection: protection_rows(y, model.min_group_size),
        values_withheld: department_values_withheld(y),
        cut_values_withheld: cut_values_withheld(y),
    })
}

/// Whether a department the report prints is shown with some of its values withheld.
fn department_values_withheld(y: &YearResult) -> bool {
    y.groups
        .iter()
        .filter(|g| g.cut.is_none())
        .filter_map(Group::shown)
        .any(|f| f.scores.iter().any(|s| s.visibility.shown().is_none()))
}

/// Whether a value of a demographic the report prints (the city's overall
/// score by cut value) is withheld in a shown group.
fn cut_values_withheld(y: &YearResult) -> bool {
    y.groups
        .iter()
        .filter(|g| g.cut.is_some() && g.department == ALL)
        .filter_map(Group::shown)
        .any(|f| f.scores.last().is_some_and(|s| s.visibility.shown().is_none()))
}

/// The counts of withheld figures by reason, so a city can record what was protected.
fn protection_rows(y: &YearResult, k: usize) -> Vec<ProtectionRow> {
    y.withheld_rows(k)
        .into_iter()
        .map(|(label, c)| ProtectionRow {
            label,
            too_few: count(c.too_few as u64),
            differencing: count(c.differencing as u64),
        })
        .collect()
}
