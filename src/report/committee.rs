//! The committee report (委員会・庁議向け報告書): where the whole city stands
//! against the 人財育成アクションプラン in one year.
//!
//! [`build`] turns the scores model into a [`CommitteeDoc`] — a serde model of
//! every table and sentence the template prints, with numbers already
//! formatted — and [`charts`] draws its charts. Only shown groups contribute
//! numbers; a hidden group appears with its reason and nothing else.

use anyhow::{Result, bail};
use serde::Serialize;

use crate::aggregate::model::{ALL, Group, Progress, QuestionResult, ScoresModel, Status, YearResult};
use crate::clock::Date;
use crate::config::plan::OVERALL;
use crate::config::year::FiscalYear;
use crate::report::format::{NONE, change, count, mark, one, percent, ratio};

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
                    status_key: "tracked".into(),
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
            .map(|s| (s.label().to_string(), category_statuses.iter().filter(|t| t.status == s.label()).count()))
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

/// Three to five sentences a committee member reads first.
fn findings(model: &ScoresModel, y: &YearResult, targets: &[TargetRow], rate: Option<f64>) -> Vec<String> {
    let mut out = Vec::new();
    let all = all_group(y).and_then(Group::shown);
    let overall_withheld = all.and_then(|f| f.scores.last()).is_some_and(|s| s.visibility.shown().is_none());
    if let Some(overall) = targets.last() {
        let sentence = match overall.status.as_str() {
            "達成" => format!("総合点は{}点で、計画の目標（{}）を達成しました。", overall.value, overall.target),
            "データなし" if overall.value == NONE && overall_withheld => {
                "総合点は、点数を計算できる回答者が少ないため、回答者の秘密を守るため示していません。".to_string()
            }
            "データなし" if overall.value == NONE => "総合点を計算できる回答がありませんでした。".to_string(),
            // No target for the overall score: say where it stands and how it moved.
            "推移を確認" | "データなし" => {
                format!("総合点は{}点でした（前年度差 {}{}）。", overall.value, overall.delta, overall.significance)
            }
            _ => format!(
                "総合点は{}点で、計画の目標（{}）に届いていません（{}）。",
                overall.value, overall.target, overall.status
            ),
        };
        out.push(sentence);
    }
    let names_with = |status: &str| -> Vec<String> {
        targets.iter().filter(|t| t.id != OVERALL && t.status == status).map(|t| t.name.clone()).collect()
    };
    let achieved = names_with("達成");
    let on_track = names_with("順調");
    let behind = names_with("遅れ");
    let worse = names_with("悪化");
    let mut parts = Vec::new();
    if !achieved.is_empty() {
        parts.push(format!("目標を達成したのは{}", achieved.join("・")));
    }
    if !on_track.is_empty() {
        parts.push(format!("目標に向けて順調なのは{}", on_track.join("・")));
    }
    if !parts.is_empty() {
        out.push(format!("{}です。", parts.join("、")));
    }
    if !behind.is_empty() || !worse.is_empty() {
        let mut s = String::new();
        if !behind.is_empty() {
            s.push_str(&format!("{}は目標に向けた計画の道筋より遅れて", behind.join("・")));
        }
        if !worse.is_empty() {
            if !s.is_empty() {
                s.push('、');
            }
            s.push_str(&format!("{}は基準年度より低下して", worse.join("・")));
        }
        s.push_str("います。");
        out.push(s);
    }
    if let Some(all) = all {
        // Significant changes of the categories (overall is the last score).
        let moved = |rising: bool| -> Vec<String> {
            all.scores
                .iter()
                .zip(&model.categories)
                .filter_map(|(s, cat)| {
                    let c = s.visibility.shown()?.change?;
                    (c.significant && (c.delta > 0.0) == rising && c.delta != 0.0).then(|| cat.name.clone())
                })
                .collect()
        };
        let (up, down) = (moved(true), moved(false));
        if y.has_previous {
            match (up.is_empty(), down.is_empty()) {
                (true, true) => out.push("前年度から統計的に有意に変化したカテゴリはありませんでした。".to_string()),
                _ => {
                    let mut s = "前年度から統計的に有意に".to_string();
                    if !up.is_empty() {
                        s.push_str(&format!("上昇したのは{}", up.join("・")));
                    }
                    if !down.is_empty() {
                        if !up.is_empty() {
                            s.push('、');
                        }
                        s.push_str(&format!("低下したのは{}", down.join("・")));
                    }
                    s.push_str("です。");
                    out.push(s);
                }
            }
        }
    }
    out.push(format!(
        "回答者は{}人（職員{}人、回答率{}）でした。",
        all.map(|a| count(a.respondents as u64)).unwrap_or_default(),
        count(y.headcount),
        percent(rate)
    ));
    out
}

fn captions(model: &ScoresModel, y: &YearResult, targets: &[TargetRow], departments: &[DeptRow]) -> Captions {
    let first = model.years.first().map(|f| f.year.era()).unwrap_or_default();
    let lowest = targets
        .iter()
        .filter(|t| t.id != OVERALL)
        .filter_map(|t| t.value.parse::<f64>().ok().map(|v| (v, t.name.clone())))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let highest = targets
        .iter()
        .filter(|t| t.id != OVERALL)
        .filter_map(|t| t.value.parse::<f64>().ok().map(|v| (v, t.name.clone())))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let hidden = departments.iter().filter(|d| d.hidden.is_some()).count();
    let shown = departments.len() - hidden;
    Captions {
        trend: format!(
            "{first}から{}までの全体の点数（実線）と、計画の基準値から目標値へ向かう道筋（破線）です。実線が破線より上にあれば、目標に向けて順調です。",
            y.year.era()
        ),
        targets: match (highest, lowest) {
            (Some(h), Some(l)) => format!(
                "{}の点数と目標値（縦線）です。最も高いのは{}（{:.1}点）、最も低いのは{}（{:.1}点）です。",
                y.year.era(),
                h.1,
                h.0,
                l.1,
                l.0
            ),
            _ => format!("{}の点数と目標値（縦線）です。", y.year.era()),
        },
        heatmap: format!(
            "所属ごとのカテゴリ別の点数です。各カテゴリの市全体の点数より高いほど濃い青、低いほど濃い橙で示し、差が{span}点以上の色はそれ以上濃くしていません。灰色の{hidden}所属は、回答者が{k}人未満か、他の区分の推計を防ぐため数値を示していません（表示{shown}所属）。{values}",
            span = HEATMAP_SPAN,
            k = model.min_group_size,
            values = if department_values_withheld(y) {
                "表示した所属でも、そのカテゴリに回答した人が少ないなどの理由で示していない点数は灰色です。"
            } else {
                ""
            }
        ),
        cuts: {
            let names: Vec<&str> = model.demographics.iter().map(|d| d.name.as_str()).collect();
            let years = if y.has_previous { "（前年度と今年度）" } else { "" };
            let mut s = format!("{}ごとの総合点です{years}。", names.join("・"));
            if let Some(f) = model.focus.as_ref().filter(|f| {
                model.demographics.iter().any(|d| d.name == f.demographic && d.values.contains(&f.value))
            }) {
                let way = if f.higher { "拡大" } else { "縮小" };
                s.push_str(&format!("計画は{}の{way}を目指しており、{}の結果に注目しています。", f.goal, f.value));
            }
            s
        },
        response: "所属ごとの回答率（回答者数÷職員数）です。回答率が低い所属の結果は、所属全体の意見を表していない可能性があります。".to_string(),
    }
}

fn harassment_section(model: &ScoresModel, y: &YearResult) -> Option<HarassmentSection> {
    let h = y.harassment.as_ref()?;
    let years: Vec<&YearResult> = model.years.iter().filter(|r| r.year <= y.year && r.harassment.is_some()).collect();
    let all_of = |r: &YearResult| {
        r.harassment
            .as_ref()
            .and_then(|h| h.groups.iter().find(|g| g.department == ALL))
            .and_then(|g| g.visibility.shown().cloned())
    };
    let this = all_of(y)?;
    let share_of = |r: &YearResult, id: &str, choice: Option<&str>| -> String {
        percent(all_of(r).and_then(|f| {
            let q: &QuestionResult = f.questions.iter().find(|x| x.id == id)?;
            match choice {
                None => q.visibility.shown()?.favorable,
                Some(c) => q.share(c),
            }
        }))
    };
    let mut rows = Vec::new();
    for q in &this.questions {
        let row = |label: String, choice: Option<&str>, indent: bool| HarassmentRow {
            id: q.id.clone(),
            label,
            values: years.iter().map(|r| share_of(r, &q.id, choice)).collect(),
            header: false,
            indent,
        };
        if q.choices.is_empty() {
            rows.push(row(format!("{} {}（肯定的な回答）", q.id, q.text), None, false));
        } else if q.is_yes_no() {
            rows.push(row(format!("{} {}（{}）", q.id, q.text, q.choices[0]), Some(q.choices[0].as_str()), false));
        } else {
            rows.push(HarassmentRow {
                id: q.id.clone(),
                label: format!("{} {}", q.id, q.text),
                values: years.iter().map(|_| String::new()).collect(),
                header: true,
                indent: false,
            });
            for choice in &q.choices {
                rows.push(row(choice.clone(), Some(choice.as_str()), true));
            }
        }
    }
    let hidden = h.groups.iter().filter(|g| g.visibility.shown().is_none()).count();
    Some(HarassmentSection {
        title: "ハラスメントに関する意識調査".into(),
        respondents: count(this.respondents),
        years: years.iter().map(|r| r.year.short()).collect(),
        rows,
        note: format!(
            "ハラスメント調査は回答者が{k}人未満の集団を表示せず、引き算で少人数の結果がわかる集団も表示しない約束で集計しています（今年度は{hidden}集団が非表示）。設問ごとにも、回答した人が{k}人未満の設問や引き算を防ぐための設問は示していません（「—」）。割合は各設問に回答した人に占める割合です（「該当なし」と答えた人は除いています）。",
            k = h.min_group_size,
        ),
    })
}

/// A legend label: the question id and the start of its text.
fn short_label(label: &str) -> String {
    const MAX: usize = 16;
    let chars: Vec<char> = label.chars().collect();
    if chars.len() <= MAX { label.to_string() } else { format!("{}…", chars[..MAX].iter().collect::<String>()) }
}

/// Where a goal should stand in `year` on the way from its baseline to its target.
fn trajectory_at(p: &Progress, year: FiscalYear) -> Option<f64> {
    let (by, b, ty, t) = (p.baseline_year?, p.baseline?, p.target_year?, p.target?);
    if year < by || year > ty || ty <= by {
        return None;
    }
    Some(b + (t - b) * f64::from(year.0 - by.0) / f64::from(ty.0 - by.0))
}

/// A y range with a 10-point grid around every value (and target) of the small trend charts.
fn trend_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 100.0);
    }
    let lo = ((lo - 5.0) / 10.0).floor() * 10.0;
    let hi = ((hi + 5.0) / 10.0).ceil() * 10.0;
    (lo.max(0.0), hi.min(100.0).max(lo + 20.0))
}

/// The difference from the city (points) at which the heatmap's colours are strongest.
const HEATMAP_SPAN: f64 = 8.0;

/// Height of the page area a long chart may fill below a heading, in points.
const PAGE_CHART_HEIGHT: f64 = 640.0;
/// The smallest readable heatmap row, in points.
const MIN_ROW_HEIGHT: f64 = 8.0;

/// Draws the committee report's charts: `trend0`… (one per category and
/// overall), `targets`, `heatmap0`…, `cut0`…, `response0`….
pub fn charts(model: &ScoresModel, year: FiscalYear) -> Result<Vec<(String, Vec<u8>)>> {
    use crate::report::charts::{
        self, BarGroup, CategoryBar, CategoryBars, Cell, GroupedBars, HeatCenter, HeatScale, Heatmap, HeatmapRow,
        RateBars, RateRow, Reference, SeriesColors, TEXT_WIDTH, TargetMark, TrendChart, TrendSeries,
    };
    let Some(y) = model.year(year) else { bail!("{}の回答がありません", year.era()) };
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let ids: Vec<String> = model.categories.iter().map(|c| c.id.clone()).chain([OVERALL.to_string()]).collect();
    let names: Vec<String> = model.categories.iter().map(|c| c.name.clone()).chain(["総合".to_string()]).collect();
    // A hidden group or a withheld value is drawn as 非表示, never with a number.
    let cell_of = |g: Option<&Group>, c: usize| -> Cell {
        match g {
            None => Cell::Empty,
            Some(g) => match g.score(c) {
                Some(s) => Some(s.score).into(),
                None => Cell::Hidden,
            },
        }
    };

    // Trends: the survey years up to this one, extended to the plan's target year.
    let first = model.years.first().map(|r| r.year).unwrap_or(year);
    let last_target = y.progress.iter().filter_map(|p| p.target_year).max().unwrap_or(year);
    let axis: Vec<FiscalYear> = (first.0..=last_target.max(year).0).map(FiscalYear).collect();
    let city_values: Vec<Vec<Cell>> =
        (0..ids.len())
            .map(|c| {
                axis.iter()
                    .map(|&ay| {
                        if ay > year {
                            Cell::Empty
                        } else {
                            cell_of(model.year(ay).and_then(|r| r.group(ALL, None)), c)
                        }
                    })
                    .collect()
            })
            .collect();
    let progress_of = |id: &str| y.progress.iter().find(|p| p.id == id);
    let range = trend_range(
        city_values
            .iter()
            .flatten()
            .filter_map(|c| c.value())
            .chain(y.progress.iter().filter_map(|p| p.target))
            .chain(y.progress.iter().filter_map(|p| p.baseline)),
    );
    let small_width = (TEXT_WIDTH - 2.0 * 10.0) / 3.0;
    for (c, id) in ids.iter().enumerate() {
        let p = progress_of(id);
        let trajectory = p.filter(|p| p.target_year.is_some()).map(|p| TrendSeries {
            name: "目標への道筋".into(),
            values: axis.iter().map(|&ay| trajectory_at(p, ay).into()).collect(),
        });
        let target = p.and_then(|p| {
            let t = p.target?;
            Some(TargetMark {
                label: format!("目標{t:.0}"),
                value: t,
                year: p.target_year.and_then(|ty| axis.iter().position(|&ay| ay == ty)),
            })
        });
        let chart = TrendChart {
            years: axis.iter().map(|a| a.short()).collect(),
            series: vec![TrendSeries { name: "市全体".into(), values: city_values[c].clone() }],
            trajectory,
            target,
            y_range: Some(range),
            value_labels: true,
            legend: false,
            width: small_width,
            height: 112.0,
        };
        out.push((format!("trend{c}"), charts::trend_lines(&chart)?.into_bytes()));
    }

    // This year against targets, with last year for comparison.
    let all = y.group(ALL, None);
    let previous_all = model.year(year.previous()).and_then(|r| r.group(ALL, None));
    let bars = CategoryBars {
        rows: ids
            .iter()
            .enumerate()
            .map(|(c, id)| CategoryBar {
                label: names[c].clone(),
                value: cell_of(all, c),
                comparison: cell_of(previous_all, c),
                target: progress_of(id).and_then(|p| p.target),
                emphasis: id == OVERALL,
            })
            .collect(),
        value_name: year.era(),
        comparison_name: previous_all.map(|_| year.previous().era()),
        target_name: "計画の目標値".into(),
        ..CategoryBars::default()
    };
    out.push(("targets".into(), charts::category_bars(&bars)?.into_bytes()));

    // Departments × categories, coloured by the difference from the city.
    let city: Vec<f64> = (0..ids.len()).map(|c| cell_of(all, c).value().unwrap_or(f64::NAN)).collect();
    let has_children: Vec<&str> = y.groups.iter().filter_map(|g| g.parent.as_deref()).collect();
    let mut rows = vec![HeatmapRow {
        label: "市全体".into(),
        indent: 0,
        cells: (0..ids.len()).map(|c| cell_of(all, c)).collect(),
        emphasis: true,
    }];
    rows.extend(y.groups.iter().filter(|g| g.cut.is_none() && g.department != ALL).map(|g| HeatmapRow {
        label: g.department_name.clone(),
        indent: g.depth.saturating_sub(1).min(3) as u8,
        cells: (0..ids.len()).map(|c| cell_of(Some(g), c)).collect(),
        emphasis: has_children.contains(&g.department.as_str()),
    }));
    let mut template = Heatmap {
        columns: names.clone(),
        row_header: "所属".into(),
        rows: Vec::new(),
        scale: HeatScale {
            center: HeatCenter::PerColumn(city),
            span: HEATMAP_SPAN,
            label: "各カテゴリの市全体の点数との差で色分け".into(),
        },
        ..Heatmap::default()
    };
    // One page when the rows fit at the default height; else rows a little
    // lower (down to a readable minimum) and pages of equal length.
    let mut per_page = rows.len().max(1);
    if rows.len() > template.rows_fitting(PAGE_CHART_HEIGHT) {
        let squeezed = Heatmap { row_height: MIN_ROW_HEIGHT, ..template.clone() };
        let pages = rows.len().div_ceil(squeezed.rows_fitting(PAGE_CHART_HEIGHT).max(1));
        per_page = rows.len().div_ceil(pages);
        let room = PAGE_CHART_HEIGHT - template.height_for(0);
        template.row_height = ((room / per_page as f64) * 10.0).floor() / 10.0;
        template.row_height = template.row_height.max(MIN_ROW_HEIGHT);
    }
    for (i, chunk) in rows.chunks(per_page).enumerate() {
        let chart = Heatmap { rows: chunk.to_vec(), ..template.clone() };
        out.push((format!("heatmap{i}"), charts::heatmap(&chart)?.into_bytes()));
    }

    // Demographic cuts: overall by value, last year beside this year.
    let overall = ids.len() - 1;
    for (d, demo) in model.demographics.iter().enumerate() {
        let mut series = Vec::new();
        let mut years = Vec::new();
        if let Some(prev) = model.year(year.previous()) {
            series.push(prev.year.era());
            years.push(prev);
        }
        series.push(year.era());
        years.push(y);
        let chart = GroupedBars {
            series,
            colors: SeriesColors::Sequence,
            groups: demo
                .values
                .iter()
                .filter(|v| y.group(ALL, Some((&demo.name, v.as_str()))).is_some())
                .map(|v| BarGroup {
                    label: v.clone(),
                    values: years
                        .iter()
                        .map(|r| cell_of(r.group(ALL, Some((&demo.name, v.as_str()))), overall))
                        .collect(),
                    emphasis: model.focus.as_ref().is_some_and(|f| f.demographic == demo.name && f.value == *v),
                })
                .collect(),
            reference: cell_of(all, overall)
                .value()
                .map(|v| Reference { label: format!("市全体 {v:.1}"), value: v }),
            width: TEXT_WIDTH * 0.48,
            ..GroupedBars::default()
        };
        out.push((format!("cut{d}"), charts::grouped_bars(&chart)?.into_bytes()));
    }

    // The harassment survey's headline shares over the years.
    if let Some(section) = harassment_section(model, y) {
        let headline: Vec<&HarassmentRow> = section.rows.iter().filter(|r| !r.header && !r.indent).collect();
        if !headline.is_empty() {
            let chart = TrendChart {
                years: section.years.clone(),
                series: headline
                    .iter()
                    .map(|r| TrendSeries {
                        name: short_label(&r.label),
                        values: r.values.iter().map(|v| v.trim_end_matches('%').parse::<f64>().ok().into()).collect(),
                    })
                    .collect(),
                y_range: Some((0.0, 100.0)),
                height: 200.0,
                ..TrendChart::default()
            };
            out.push(("harassment".into(), charts::trend_lines(&chart)?.into_bytes()));
        }
    }

    // Response rates by department.
    let rate_rows: Vec<RateRow> = y
        .groups
        .iter()
        .filter(|g| g.cut.is_none() && g.department != ALL)
        .map(|g| RateRow {
            label: g.department_name.clone(),
            indent: g.depth.saturating_sub(1).min(3) as u8,
            value: match g.shown() {
                Some(f) => f.response_rate.into(),
                None => Cell::Hidden,
            },
            emphasis: has_children.contains(&g.department.as_str()),
        })
        .collect();
    let mut rate_template = RateBars {
        reference: all
            .and_then(Group::shown)
            .and_then(|f| f.response_rate)
            .map(|v| Reference { label: format!("市全体 {v:.1}%"), value: v }),
        ..RateBars::default()
    };
    // Room for the axis and the caption; rows as for the heatmap.
    let room = PAGE_CHART_HEIGHT - 50.0;
    let fits = |row_height: f64| (room / row_height).floor().max(1.0) as usize;
    let mut rows_per_page = rate_rows.len().max(1);
    if rate_rows.len() > fits(rate_template.row_height) {
        let pages = rate_rows.len().div_ceil(fits(MIN_ROW_HEIGHT));
        rows_per_page = rate_rows.len().div_ceil(pages);
        rate_template.row_height = ((room / rows_per_page as f64) * 10.0).floor() / 10.0;
        rate_template.row_height = rate_template.row_height.max(MIN_ROW_HEIGHT);
    }
    for (i, chunk) in rate_rows.chunks(rows_per_page).enumerate() {
        let chart = RateBars { rows: chunk.to_vec(), ..rate_template.clone() };
        out.push((format!("response{i}"), charts::rate_bars(&chart)?.into_bytes()));
    }
    Ok(out)
}
