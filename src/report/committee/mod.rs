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
    ALL, Figures, Group, HARASSMENT_SHARE_MIN, Progress, QuestionResult, ScoresModel, Status, YearResult,
};
use crate::clock::Date;
use crate::comments::summary::QuestionSummary;
use crate::config::plan::OVERALL;
use crate::config::year::FiscalYear;
use crate::report::format::{self, NONE, change, count, mark, one, percent, progress_percent};
use crate::report::improvements::{Changes, changes};

mod charts;
mod comments;
mod harassment;
mod importance;
mod prose;

pub use charts::charts;
pub use comments::{CommentQuestionDoc, CommentsSection, comment_charts};
use comments::{comments_section, cover_promise};
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
    /// One sentence per category whose α is below 0.7 (DESIGN §10).
    pub low_reliability: Vec<String>,
    /// The harassment survey, when it has responses this year.
    pub harassment: Option<HarassmentSection>,
    /// The staff's comments, when the survey has free-text questions.
    pub comments: Option<CommentsSection>,
    /// What the reports print of free text, said on the cover and in the methods.
    pub free_text_promise: String,
    /// What matters most for how staff feel about their workplace.
    pub drivers: DriverSection,
    /// What changed significantly since last year, both ways.
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

/// What changed significantly since last year (DESIGN §10: q < 0.05 within
/// each family, rises and falls alike): the city's categories and items,
/// and each department's categories.
#[derive(Debug, Clone, Serialize)]
pub struct Improvements {
    /// The whole city.
    pub city: Changes,
    /// Departments with a significantly changed category, in org.csv order.
    pub departments: Vec<DeptChanges>,
    /// How many of them rose somewhere, and how many fell somewhere.
    pub departments_up: usize,
    /// See `departments_up`.
    pub departments_down: usize,
}

/// A department's significantly changed categories.
#[derive(Debug, Clone, Serialize)]
pub struct DeptChanges {
    /// Name with its 部.
    pub name: String,
    /// `人間関係 +3.2＊、総合 +1.8＊`, or empty.
    pub improved: String,
    /// `環境 ▲4.1＊`, or empty.
    pub declined: String,
}

/// Cronbach's α from which a category's score counts as consistent.
const RELIABLE_ALPHA: f64 = 0.7;

/// α in two decimals, apart from 0.7 when it misses it (0.696 reads 0.69,
/// never 0.70 beside 「0.7を下回っています」).
fn alpha_text(alpha: f64) -> String {
    format::apart(alpha, 2, RELIABLE_ALPHA)
}

/// How many changed items the committee report lists for the city, each way.
const CITY_CHANGED_ITEMS: usize = 8;

fn improvements(model: &ScoresModel, y: &YearResult) -> Improvements {
    let city = all_group(y).and_then(Group::shown).map(|f| changes(model, f, CITY_CHANGED_ITEMS)).unwrap_or_default();
    let departments: Vec<DeptChanges> = y
        .groups
        .iter()
        .filter(|g| g.cut.is_none() && g.department != ALL)
        .filter_map(|g| {
            let found = changes(model, g.shown()?, 0);
            (!found.improved.categories.is_empty() || !found.declined.categories.is_empty()).then(|| DeptChanges {
                name: g.path_name.clone(),
                improved: found.improved.categories.join("、"),
                declined: found.declined.categories.join("、"),
            })
        })
        .collect();
    Improvements {
        departments_up: departments.iter().filter(|d| !d.improved.is_empty()).count(),
        departments_down: departments.iter().filter(|d| !d.declined.is_empty()).count(),
        city,
        departments,
    }
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
    /// How many categories have each status, in the order 達成, 順調, 遅れ, 悪化, 未達, データなし.
    pub status_counts: Vec<(String, usize)>,
    /// The key findings, one sentence each.
    pub findings: Vec<String>,
}

/// A goal in one row: baseline, last year, this year, change, trajectory and
/// achievement (a floor: its margin), status.
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
    /// Where a goal to reach should be this year (a floor has none).
    pub trajectory: String,
    /// 進捗率 in whole percent (goals to reach only).
    pub achievement: String,
    /// A floor goal's margin, `目標値を1.1ポイント上回る`, printed in place of
    /// the trajectory and 進捗率; empty for other goals and without a value.
    pub margin: String,
    /// 達成・順調・遅れ・悪化・未達・データなし・推移を確認.
    pub status: String,
    /// A key for the status colour: achieved, on_track, behind, worse, missed, no_data, tracked.
    pub status_key: String,
    /// This year's value as a number, for the prose (the templates get `value`).
    #[serde(skip)]
    pub number: Option<f64>,
    /// This year's 目安 (the trajectory, or a floor itself) as a number, for charts.
    #[serde(skip)]
    pub yardstick: Option<f64>,
    /// The target value as a number, for charts.
    #[serde(skip)]
    pub goal: Option<f64>,
    /// The status itself, for the prose (the templates get `status`).
    #[serde(skip)]
    pub state: Status,
    /// Whether the goal is a floor, for the prose.
    #[serde(skip)]
    pub floor: bool,
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

/// The colour key of a status, as committee.typ's `status-colors` and the
/// explorer's `td.status-*` rules name it.
pub(crate) fn status_key(s: Status) -> &'static str {
    match s {
        Status::Achieved => "achieved",
        Status::OnTrack => "on_track",
        Status::Behind => "behind",
        Status::Worse => "worse",
        Status::Missed => "missed",
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
    in_unit_with(v, unit, 1)
}

/// Formats a value in its unit with `decimals` decimals (whole counts of people stay whole).
fn in_unit_with(v: Option<f64>, unit: &str, decimals: usize) -> String {
    match (unit, v) {
        ("人", Some(n)) if n.fract() == 0.0 && n >= 0.0 => count(n as u64),
        (_, Some(v)) if v.is_finite() => format!("{v:.decimals$}{}", if unit == "%" { "%" } else { "" }),
        _ => NONE.to_string(),
    }
}

/// A baseline or target from plan.toml in its unit, with the decimals it was
/// written with (a line of 62.28 is not printed as 62.3).
fn as_planned(v: f64, unit: &str) -> String {
    match unit {
        "人" if v.fract() == 0.0 && v >= 0.0 => count(v as u64),
        "%" => format!("{}%", format::plan_number(v)),
        _ => format::plan_number(v),
    }
}

/// This year's value in its unit and, when it missed a line (the target,
/// the trajectory or the baseline) it would seem to meet at one decimal, the
/// decimals that set it apart; then the trajectory at as many decimals.
fn value_and_trajectory(p: &Progress) -> (String, String) {
    match (p.value, p.missed_line(), p.value_decimals()) {
        (Some(v), Some(line), decimals) if decimals > 1 => (
            format!("{}{}", format::apart(v, decimals, line), if p.unit == "%" { "%" } else { "" }),
            in_unit_with(p.trajectory, &p.unit, decimals),
        ),
        _ => (in_unit(p.value, &p.unit), in_unit(p.trajectory, &p.unit)),
    }
}

/// Builds a target row from a progress entry; `delta` comes from the scores when known.
pub fn target_row(p: &Progress, delta: Option<f64>, significant: bool) -> TargetRow {
    use crate::config::plan::GoalKind;
    let target = match (p.kind, p.target, p.target_year) {
        (GoalKind::Track, ..) => "（目標値なし）".to_string(),
        (GoalKind::EveryYearAtLeast, Some(t), _) => format!("{}以上（毎年度）", as_planned(t, &p.unit)),
        (GoalKind::KeepAtLeast, Some(t), _) => format!("{}以上を維持", as_planned(t, &p.unit)),
        (GoalKind::ReachAtMost, Some(t), y) => format!("{}以下（{}）", as_planned(t, &p.unit), year_short(y)),
        (_, Some(t), y) => format!("{}（{}）", as_planned(t, &p.unit), year_short(y)),
        _ => NONE.to_string(),
    };
    let baseline = match (p.baseline, p.baseline_year) {
        (Some(b), y) => format!("{}（{}）", as_planned(b, &p.unit), year_short(y)),
        _ => NONE.to_string(),
    };
    let delta = delta.or_else(|| p.value.zip(p.previous).map(|(v, q)| v - q));
    let (value, trajectory) = value_and_trajectory(p);
    TargetRow {
        id: p.id.clone(),
        name: p.name.clone(),
        unit: p.unit.clone(),
        kind: p.kind.label().to_string(),
        baseline,
        target,
        previous: in_unit(p.previous, &p.unit),
        value,
        delta: change(delta),
        significance: mark(significant).to_string(),
        trajectory,
        achievement: progress_percent(p.achievement),
        margin: if p.is_floor() && p.value.is_some() { format::margin(p.margin, &p.unit) } else { String::new() },
        status: p.status.label().to_string(),
        status_key: status_key(p.status).to_string(),
        number: p.value,
        yardstick: p.yardstick(),
        goal: p.target,
        state: p.status,
        floor: p.is_floor(),
    }
}

fn all_group(y: &YearResult) -> Option<&Group> {
    y.group(ALL, None)
}

fn reason(g: &Group) -> Option<String> {
    g.visibility.message().map(str::to_string)
}

/// The survey's targets as the committee report prints them: every category
/// and 総合 in survey order, with the plan's goal where it has one; `all` is
/// the organisation's figures that year (its changes give the ＊).
pub fn target_rows(model: &ScoresModel, y: &YearResult, all: Option<&Figures>) -> Vec<TargetRow> {
    let category_ids: Vec<String> =
        model.categories.iter().map(|c| c.id.clone()).chain([OVERALL.to_string()]).collect();
    let name_of = |id: &str| -> String {
        model.categories.iter().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or_else(|| "総合".to_string())
    };
    category_ids
        .iter()
        .enumerate()
        .map(|(c, id)| {
            let value = all.and_then(|a| a.scores.get(c)).and_then(|s| s.visibility.shown());
            let moved = value.and_then(|v| v.change);
            let significant = moved.is_some_and(|c| c.fdr_significant);
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
                    margin: String::new(),
                    status: Status::Tracked.label().into(),
                    status_key: status_key(Status::Tracked).into(),
                    number: value.map(|v| v.score),
                    yardstick: None,
                    goal: None,
                    state: Status::Tracked,
                    floor: false,
                },
            }
        })
        .collect()
}

/// Builds the committee report's model for `year`; `comments` is what may be shown of
/// the staff's comments ([`crate::comments::summary`]), when read.
pub fn build(
    model: &ScoresModel,
    year: FiscalYear,
    date: Date,
    comments: Option<&[QuestionSummary]>,
) -> Result<CommitteeDoc> {
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

    let targets = target_rows(model, y, Some(all));
    let overall = targets.last().cloned().ok_or_else(|| anyhow::anyhow!("カテゴリがありません"))?;
    let indicators: Vec<TargetRow> = y.indicators.iter().map(|p| target_row(p, None, false)).collect();

    let category_statuses: Vec<&TargetRow> = targets.iter().filter(|t| t.id != OVERALL).collect();
    let status_counts: Vec<(String, usize)> =
        [Status::Achieved, Status::OnTrack, Status::Behind, Status::Worse, Status::Missed, Status::NoData]
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
                alpha: shown.and_then(|a| a.alpha).map(alpha_text).unwrap_or_else(|| NONE.into()),
                n: shown.map(|a| count(a.n)).unwrap_or_else(|| NONE.into()),
            }
        })
        .collect();

    let low_reliability = y
        .reliability
        .iter()
        .filter_map(|r| {
            let alpha = r.visibility.shown()?.alpha?;
            (alpha < RELIABLE_ALPHA).then(|| {
                let name = name_of(&r.category);
                format!(
                    "{name}のαは{}で、0.7を下回っています。{name}の設問どうしは回答のそろい方が弱く、性質の違うことを測っている可能性があるため、{name}の点数は設問ごとの結果とあわせて読んでください。",
                    alpha_text(alpha)
                )
            })
        })
        .collect();
    let findings = findings(model, y, &targets, all.response_rate);
    let captions = captions(model, y, &targets, &departments);
    let scale = &model.scale;
    let (comments, quotes_printed) = match comments {
        Some(summaries) => {
            let (section, quotes) = comments_section(summaries, &model.survey_title, "ハラスメントに関する意識調査");
            (Some(section), quotes)
        }
        None => (None, false),
    };
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
        low_reliability,
        harassment: harassment_section(model, y),
        free_text_promise: cover_promise(comments.as_ref(), quotes_printed),
        comments,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::progress::progress;
    use crate::config::plan::{Direction, Goal, GoalKind};

    #[test]
    fn an_alpha_under_the_line_never_reads_as_the_line() {
        assert_eq!(alpha_text(0.6996), "0.69");
        assert_eq!(alpha_text(0.68), "0.68");
        assert_eq!(alpha_text(0.7), "0.70");
        assert_eq!(alpha_text(0.7312), "0.73");
    }

    fn goal(kind: GoalKind, unit: &str, baseline: Option<(i32, f64)>, target: (Option<i32>, f64)) -> Goal {
        Goal {
            id: "g".into(),
            name: "g".into(),
            kind,
            direction: if kind == GoalKind::ReachAtMost { Direction::Lower } else { Direction::Higher },
            unit: unit.into(),
            baseline: baseline.map(|(y, v)| (FiscalYear(y), v)),
            target: Some((target.0.map(FiscalYear), target.1)),
            section: String::new(),
            note: String::new(),
            focus: None,
        }
    }

    fn row(g: &Goal, year: i32, value: f64) -> TargetRow {
        target_row(&progress(g, FiscalYear(year), Some(value), None), None, false)
    }

    #[test]
    fn a_floor_prints_its_margin_instead_of_a_trajectory_and_progress() {
        // 男性職員の育児休業取得率: at least 10 % every year, 50 % in R3; 11.1 % is met by 1.1 points.
        let leave = goal(GoalKind::EveryYearAtLeast, "%", Some((2021, 50.0)), (None, 10.0));
        let r = row(&leave, 2025, 11.1);
        assert_eq!((r.status.as_str(), r.margin.as_str()), ("達成", "目標値を1.1ポイント上回る"));
        assert_eq!((r.trajectory.as_str(), r.achievement.as_str()), (NONE, NONE), "never 「進捗率 97.2%」");
        assert_eq!(r.target, "10.0%以上（毎年度）");
        // 総合 at least 65 every year, 63 in R4: 63.9 is 未達, 1.1 points short, not 「94.1%」 of a way.
        let overall = goal(GoalKind::EveryYearAtLeast, "点", Some((2022, 63.0)), (None, 65.0));
        let r = row(&overall, 2024, 63.9);
        assert_eq!((r.status.as_str(), r.margin.as_str()), ("未達", "目標値を1.1点下回る"));
        assert_eq!(r.achievement, NONE);
        // 64.96 reads 64.96 beside 未達, with its margin in two decimals.
        let r = row(&overall, 2024, 64.96);
        assert_eq!((r.value.as_str(), r.status.as_str(), r.margin.as_str()), ("64.96", "未達", "目標値を0.04点下回る"));
        // A goal to reach has no margin.
        let reach = goal(GoalKind::ReachAtLeast, "点", Some((2022, 59.0)), (Some(2025), 65.0));
        assert_eq!(row(&reach, 2024, 62.0).margin, "");
    }

    #[test]
    fn a_goal_to_reach_prints_whole_percent_and_is_missed_in_its_target_year() {
        let reach = goal(GoalKind::ReachAtLeast, "点", Some((2022, 59.0)), (Some(2025), 65.0));
        // R6: the trajectory is 63.0; 62.0 is half of the way from 59 to 65.
        let r = row(&reach, 2024, 62.0);
        assert_eq!((r.value.as_str(), r.trajectory.as_str()), ("62.0", "63.0"));
        assert_eq!((r.achievement.as_str(), r.status.as_str()), ("50%", "遅れ"));
        // 67.4 is 140 % of the way: whole percent, no decimal it does not have.
        assert_eq!(row(&reach, 2024, 67.4).achievement, "140%");
        // R7, the target year: short of 65 is 未達, not 遅れ; 64.96 in two decimals.
        let r = row(&reach, 2025, 64.96);
        assert_eq!((r.value.as_str(), r.status.as_str(), r.status_key.as_str()), ("64.96", "未達", "missed"));
        assert_eq!((r.trajectory.as_str(), r.achievement.as_str()), ("65.00", "99%"));
        assert_eq!(row(&reach, 2025, 64.2).value, "64.2");
        // 遅れ just under the trajectory: both in two decimals.
        let r = row(&reach, 2024, 62.97);
        assert_eq!((r.value.as_str(), r.trajectory.as_str(), r.status.as_str()), ("62.97", "63.00", "遅れ"));
        // A rate to bring down (時間外勤務240時間超: 10.7 % → 7 % in R7), 7.04 % in R7.
        let overtime = goal(GoalKind::ReachAtMost, "%", Some((2021, 10.7)), (Some(2025), 7.0));
        let r = row(&overtime, 2025, 7.04);
        assert_eq!((r.value.as_str(), r.status.as_str(), r.target.as_str()), ("7.04%", "未達", "7.0%以下（R7）"));
    }
}
