//! Department feedback packets (所属長向けフィードバック): one per department
//! with respondents in the year, about that department and the whole city only.
//!
//! [`build`] turns the scores model and the plan's measures into a
//! [`PacketDoc`]: category scores against the city, last year and the plan's
//! targets, the department's trend, its three strongest and weakest items,
//! the favorable/neutral/unfavorable split, the demographic cuts that may be
//! shown, and the plan's measures with discussion questions for its two
//! weakest categories. A department whose group is hidden gets a notice with
//! city figures only ([`PacketDoc::hidden`]).
//!
//! This module holds the packet's model; `prose.rs` its sentences and
//! `charts.rs` the drawing of its charts.

use serde::Serialize;

use crate::aggregate::model::{
    ALL, Figures, Group, HARASSMENT_SHARE_MIN, HarassmentFigures, HiddenReason, Progress, Published, QuestionResult,
    ScoresModel, YearResult,
};
use crate::clock::Date;
use crate::config::plan::{OVERALL, Plan};
use crate::config::survey::Survey;
use crate::config::year::FiscalYear;
use crate::report::charts::Portfolio;
use crate::report::charts::TEXT_WIDTH;
use crate::report::format::{NONE, beside, change, count, mark, one, percent, plan_number};
use crate::report::importance::{DriverSummary, outcome_lines, portfolio, portfolio_caption, summary};
use crate::report::improvements::{Changes, changes};

mod charts;
mod hints;
mod prose;

pub use charts::charts;
use prose::{driver_note, scores_caption, withheld_notes};

/// How many strongest and weakest items a packet lists.
const ITEMS_EACH_WAY: usize = 3;
/// How many categories get measures and discussion questions.
const FOCUS_CATEGORIES: usize = 2;
/// How many changed items a packet lists at most, each way.
const CHANGED_ITEMS: usize = 5;
/// How many of the plan's measures are listed per category.
const MEASURES_PER_CATEGORY: usize = 4;
/// The gutter between a chart and what stands beside it (department.typ).
const GUTTER: f64 = 14.0;
/// Width of the charts that stand beside text: the trend beside the changes
/// since last year (half the text width) and the portfolio beside its reading.
pub(crate) const TREND_WIDTH: f64 = (TEXT_WIDTH - GUTTER) / 2.0;
/// See [`TREND_WIDTH`].
pub(crate) const PORTFOLIO_WIDTH: f64 = 280.0;
/// Height of the portfolio chart.
const PORTFOLIO_HEIGHT: f64 = 200.0;

/// Everything the packet template prints.
#[derive(Debug, Clone, Serialize)]
pub struct PacketDoc {
    /// Document title: `令和7年度 職員意識調査 所属別フィードバック`.
    pub title: String,
    /// The organisation.
    pub organization: String,
    /// Department code.
    pub code: String,
    /// Department name with its parents: `総務部 人事課`.
    pub name: String,
    /// `令和7年度（2025年度）`.
    pub year_label: String,
    /// Date of issue.
    pub date: String,
    /// k.
    pub k: usize,
    /// Why the department's figures are withheld (then only city figures follow).
    pub hidden: Option<String>,
    /// Respondents (empty when hidden).
    pub respondents: String,
    /// Response rate (empty when hidden).
    pub response_rate: String,
    /// Staff (empty when hidden).
    pub headcount: String,
    /// One row per category and overall.
    pub categories: Vec<CategoryRow>,
    /// The category chart's caption: its bars and lines, and what this year's 目安 is.
    pub scores_caption: String,
    /// Years of the trend chart, oldest first (`R4`…).
    pub trend_years: Vec<String>,
    /// Up to three items significantly above the rest of the city, the largest difference first.
    pub strengths: Vec<ItemRow>,
    /// Up to three items significantly below the rest of the city.
    pub challenges: Vec<ItemRow>,
    /// Whether the items could be compared with the city at all.
    pub items_compared: bool,
    /// Demographic cuts that may be shown.
    pub cuts: Vec<CutSection>,
    /// The harassment survey's headline shares for the department and the city,
    /// when the department's group may be shown under that survey's k.
    pub harassment: Vec<HarassmentLine>,
    /// k of the harassment survey (when it has responses this year).
    pub k_harassment: Option<usize>,
    /// How many must have chosen a harassment answer, and how many not, for
    /// the department's share of it to be shown (DESIGN §5).
    pub harassment_share_min: usize,
    /// What matters most for this department's staff, or why it is not analysed.
    pub drivers: PacketDrivers,
    /// Measures and questions for the categories the hints pick (DESIGN §10).
    pub focus: Vec<FocusCategory>,
    /// How the hints were picked, one sentence.
    pub focus_rule: String,
    /// Why some of the department's figures are missing (values withheld
    /// inside its shown group), one sentence each.
    pub withheld_notes: Vec<String>,
    /// Whether last year could be compared.
    pub has_previous: bool,
    /// What changed significantly since last year, both ways.
    pub changes: Changes,
}

/// A category (or overall) of the department.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryRow {
    /// Category id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The department's score.
    pub score: String,
    /// Change from last year, with `＊` when significant.
    pub delta: String,
    /// The whole city's score.
    pub city: String,
    /// The department minus the rest of the city (the tested difference),
    /// with `＊` when significant.
    pub versus_city: String,
    /// The plan's target this category should reach (`65.0以上` for a floor).
    pub target: String,
    /// Favorable / neutral / unfavorable shares.
    pub favorable: String,
    /// Neutral share.
    pub neutral: String,
    /// Unfavorable share.
    pub unfavorable: String,
    /// Whether the department's value is withheld (then only the city's and the target are printed).
    pub withheld: bool,
}

/// An item compared with the city.
#[derive(Debug, Clone, Serialize)]
pub struct ItemRow {
    /// Item id.
    pub id: String,
    /// Question text, or the positive wording of a reverse-worded item.
    pub text: String,
    /// Category name.
    pub category: String,
    /// The department's item score.
    pub score: String,
    /// The city's.
    pub city: String,
    /// The department minus the rest of the city, with `＊`.
    pub difference: String,
}

/// One demographic cut of the department.
#[derive(Debug, Clone, Serialize)]
pub struct CutSection {
    /// Demographic name.
    pub name: String,
    /// Values that may be shown, and a note for the others.
    pub rows: Vec<CutRow>,
}

/// One value of a cut.
#[derive(Debug, Clone, Serialize)]
pub struct CutRow {
    /// The value.
    pub value: String,
    /// Respondents.
    pub respondents: String,
    /// Overall score.
    pub overall: String,
    /// The city's overall score for that value.
    pub city: String,
    /// Why hidden.
    pub hidden: Option<String>,
}

/// One headline share of the harassment survey.
#[derive(Debug, Clone, Serialize)]
pub struct HarassmentLine {
    /// Question and the answer counted.
    pub label: String,
    /// The department's share.
    pub department: String,
    /// The city's share.
    pub city: String,
}

/// The department's driver analysis as its packet prints it.
#[derive(Debug, Clone, Serialize)]
pub struct PacketDrivers {
    /// The department's results on the outcome questions beside the city's, one line each.
    pub outcomes: Vec<String>,
    /// The analysis, when the department has one.
    pub summary: Option<DriverSummary>,
    /// Why there is none, when it has none.
    pub note: Option<String>,
    /// The portfolio chart's caption.
    pub caption: String,
}

/// A weak category with the plan's measures and questions for a workplace meeting.
#[derive(Debug, Clone, Serialize)]
pub struct FocusCategory {
    /// Category name.
    pub name: String,
    /// Why it was chosen: `全体より4.2点低い` / `目標（65.0点）を下回る`.
    pub reason: String,
    /// The plan's measures that address it.
    pub measures: Vec<MeasureRow>,
    /// Questions for the meeting.
    pub questions: Vec<String>,
}

/// A measure of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct MeasureRow {
    /// `Ⅲ-3 (1)`.
    pub number: String,
    /// Title.
    pub title: String,
    /// Purpose.
    pub purpose: String,
}

fn whole<'a>(y: &'a YearResult, dept: &str) -> Option<&'a Group> {
    y.group(dept, None)
}

/// Returns the department's code in each earlier year, following single
/// predecessors back through code changes (not through mergers).
fn lineage(
    model: &ScoresModel,
    codes_by_year: &dyn Fn(FiscalYear, &str) -> Vec<String>,
    year: FiscalYear,
    code: &str,
) -> Vec<(FiscalYear, String)> {
    let mut out = vec![(year, code.to_string())];
    let mut current = code.to_string();
    let mut y = year;
    while model.year(y.previous()).is_some() {
        let preds = codes_by_year(y, &current);
        match preds.as_slice() {
            [one] => {
                out.push((y.previous(), one.clone()));
                current = one.clone();
                y = y.previous();
            }
            _ => break,
        }
    }
    out.reverse();
    out
}

/// Everything a packet needs besides the scores model.
pub struct PacketContext<'a> {
    /// The questionnaire (discussion questions).
    pub survey: &'a Survey,
    /// The plan (measures).
    pub plan: &'a Plan,
    /// Date of issue.
    pub date: Date,
}

/// The chart data of a packet, drawn by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct PacketCharts {
    /// Category names with overall last.
    pub categories: Vec<String>,
    /// Department scores (hidden where withheld).
    pub scores: Vec<crate::report::charts::Cell>,
    /// City scores.
    pub city: Vec<Option<f64>>,
    /// Targets.
    pub targets: Vec<Option<f64>>,
    /// Trend years.
    pub years: Vec<String>,
    /// The department's overall per trend year.
    pub trend: Vec<Option<f64>>,
    /// The city's overall per trend year.
    pub trend_city: Vec<Option<f64>>,
    /// Favorable, neutral, unfavorable per category (without overall); `None` where withheld.
    pub split: Vec<Option<(f64, f64, f64)>>,
    /// The department's portfolio, when it has a driver analysis.
    pub portfolio: Option<Portfolio>,
}

/// Builds the packet of `code` for `year`, with the data of its charts.
pub fn build(
    model: &ScoresModel,
    ctx: &PacketContext<'_>,
    year: FiscalYear,
    code: &str,
) -> Option<(PacketDoc, PacketCharts)> {
    let y = model.year(year)?;
    let g = whole(y, code)?;
    let city_group = whole(y, ALL);
    let city = city_group.and_then(Group::shown);
    let names: Vec<String> = model.categories.iter().map(|c| c.name.clone()).chain(["総合".to_string()]).collect();
    let ids: Vec<String> = model.categories.iter().map(|c| c.id.clone()).chain([OVERALL.to_string()]).collect();
    // This year's 目安: a goal to reach's trajectory, a floor's floor (総合 ≥ 65 has no
    // trajectory: 65 is where it must stand this year as every year).
    let target_of = |id: &str| y.progress.iter().find(|p| p.id == id).and_then(Progress::yardstick);
    let target_text = |id: &str| match y.progress.iter().find(|p| p.id == id) {
        Some(p) => match p.target {
            Some(t) if p.is_floor() => format!("{}以上", plan_number(t)),
            Some(t) => plan_number(t),
            None => NONE.into(),
        },
        None => NONE.into(),
    };
    let target_value = |id: &str| y.progress.iter().find(|p| p.id == id).and_then(|p| p.target);
    let city_score = |c: usize| city_group.and_then(|g| g.score(c)).map(|s| s.score);
    let mut doc = PacketDoc {
        title: format!("{} {} 所属別フィードバック", year.era(), model.survey_title),
        organization: model.organization.clone(),
        code: code.to_string(),
        name: g.department_name.clone(),
        year_label: year.to_string(),
        date: ctx.date.japanese(),
        k: model.min_group_size,
        hidden: None,
        respondents: String::new(),
        response_rate: String::new(),
        headcount: String::new(),
        categories: Vec::new(),
        scores_caption: scores_caption(y, &ids, &names),
        trend_years: Vec::new(),
        strengths: Vec::new(),
        challenges: Vec::new(),
        items_compared: false,
        cuts: Vec::new(),
        harassment: Vec::new(),
        k_harassment: y.harassment.as_ref().map(|h| h.min_group_size),
        harassment_share_min: HARASSMENT_SHARE_MIN,
        drivers: PacketDrivers { outcomes: Vec::new(), summary: None, note: None, caption: portfolio_caption(None) },
        focus: Vec::new(),
        focus_rule: String::new(),
        withheld_notes: Vec::new(),
        has_previous: y.has_previous,
        changes: Changes::default(),
    };
    if let Some(g) = whole(y, code) {
        doc.name = g.path_name.clone();
    }
    let mut charts = PacketCharts {
        categories: names.clone(),
        scores: Vec::new(),
        city: (0..ids.len()).map(city_score).collect(),
        targets: ids.iter().map(|id| target_of(id)).collect(),
        years: Vec::new(),
        trend: Vec::new(),
        trend_city: Vec::new(),
        split: Vec::new(),
        portfolio: None,
    };
    let f: &Figures = match &g.visibility {
        Published::Withheld { reason, .. } => {
            doc.hidden = Some(match reason {
                // A group is never hidden by the harassment shares' rule (SmallCount).
                HiddenReason::TooFew | HiddenReason::SmallCount => format!(
                    "この所属の回答者は{}人未満でした。回答者の秘密を守るため、点数・回答率・回答者数はお知らせしていません。",
                    model.min_group_size
                ),
                HiddenReason::Differencing => "この所属の結果を示すと、ほかの所属や区分（回答者が少ないため非表示にしたもの）の結果が引き算でわかってしまうため、点数・回答率・回答者数はお知らせしていません。".to_string(),
            });
            // City figures only.
            doc.categories = ids
                .iter()
                .enumerate()
                .map(|(c, id)| CategoryRow {
                    id: id.clone(),
                    name: names[c].clone(),
                    score: String::new(),
                    delta: String::new(),
                    city: one(city_score(c)),
                    versus_city: String::new(),
                    target: target_text(id),
                    favorable: String::new(),
                    neutral: String::new(),
                    unfavorable: String::new(),
                    withheld: true,
                })
                .collect();
            return Some((doc, charts));
        }
        Published::Shown(f) => f,
    };
    doc.respondents = count(f.respondents as u64);
    doc.response_rate = percent(f.response_rate);
    doc.headcount = f.headcount.map(count).unwrap_or_default();
    doc.categories = ids
        .iter()
        .enumerate()
        .map(|(c, id)| match g.score(c) {
            Some(s) => {
                let moved = s.change.as_ref();
                CategoryRow {
                    id: id.clone(),
                    name: names[c].clone(),
                    score: beside(s.score, target_value(id)),
                    delta: format!(
                        "{}{}",
                        change(moved.map(|m| m.delta)),
                        mark(moved.is_some_and(|m| m.fdr_significant))
                    ),
                    city: one(city_score(c)),
                    versus_city: s
                        .versus_city
                        .map(|v| format!("{}{}", change(Some(v.difference)), mark(v.significant)))
                        .unwrap_or_else(|| NONE.into()),
                    target: target_text(id),
                    favorable: percent(s.favorable),
                    neutral: percent(s.neutral),
                    unfavorable: percent(s.unfavorable),
                    withheld: false,
                }
            }
            None => CategoryRow {
                id: id.clone(),
                name: names[c].clone(),
                score: "非表示".into(),
                delta: NONE.into(),
                city: one(city_score(c)),
                versus_city: NONE.into(),
                target: target_text(id),
                favorable: NONE.into(),
                neutral: NONE.into(),
                unfavorable: NONE.into(),
                withheld: true,
            },
        })
        .collect();
    charts.scores = (0..ids.len())
        .map(|c| match g.score(c) {
            Some(s) => crate::report::charts::Cell::Value(s.score),
            None => crate::report::charts::Cell::Hidden,
        })
        .collect();
    charts.split = (0..model.categories.len())
        .map(|c| {
            g.score(c).map(|s| (s.favorable.unwrap_or(0.0), s.neutral.unwrap_or(0.0), s.unfavorable.unwrap_or(0.0)))
        })
        .collect();
    doc.withheld_notes = withheld_notes(model, f, &names);
    doc.changes = changes(model, f, CHANGED_ITEMS);

    // Trend: this department through code changes, and the city.
    // The codes each year's department continues, as aggregate found them in org.csv.
    let preds =
        |y: FiscalYear, c: &str| model.year(y).and_then(|yr| yr.predecessors.get(c)).cloned().unwrap_or_default();
    for (ty, tcode) in lineage(model, &preds, year, code) {
        let Some(yr) = model.year(ty) else { continue };
        let last = ids.len() - 1;
        let overall = |dept: &str| whole(yr, dept).and_then(|g| g.score(last)).map(|s| s.score);
        charts.years.push(ty.short());
        charts.trend.push(overall(&tcode));
        charts.trend_city.push(overall(ALL));
    }
    doc.trend_years = charts.years.clone();

    // Items significantly above or below the rest of the city (DESIGN §10), largest difference first.
    if let Some(city) = city {
        let compared: Vec<(f64, bool, usize)> = model
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let v = f.item(&item.id)?.versus_city?;
                Some((v.difference, v.significant, i))
            })
            .collect();
        doc.items_compared = !compared.is_empty();
        let mut significant: Vec<(f64, usize)> = compared.iter().filter(|c| c.1).map(|c| (c.0, c.2)).collect();
        significant.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()).then(a.1.cmp(&b.1)));
        let row = |&(d, i): &(f64, usize)| {
            let item = &model.items[i];
            ItemRow {
                id: item.id.clone(),
                text: item.label.clone(),
                category: model
                    .categories
                    .iter()
                    .find(|c| c.id == item.category)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                score: one(f.item(&item.id).map(|x| x.score)),
                city: one(city.item(&item.id).map(|x| x.score)),
                difference: format!("{}{}", change(Some(d)), mark(true)),
            }
        };
        doc.strengths = significant.iter().filter(|d| d.0 > 0.0).take(ITEMS_EACH_WAY).map(row).collect();
        doc.challenges = significant.iter().filter(|d| d.0 < 0.0).take(ITEMS_EACH_WAY).map(row).collect();
    }

    // Cuts of this department, only the values that may be shown.
    for demo in &model.demographics {
        let rows: Vec<CutRow> = demo
            .values
            .iter()
            .filter_map(|v| y.group(code, Some((&demo.name, v))))
            .map(|cg| {
                let last = ids.len() - 1;
                let city_overall = y
                    .group(ALL, Some((&demo.name, cg.cut_value.as_deref().unwrap_or(""))))
                    .and_then(|g| g.score(last))
                    .map(|s| s.score);
                // A cut value shows its overall score only when the group and that value are shown.
                match (cg.shown(), cg.score(last)) {
                    (Some(cf), Some(s)) => CutRow {
                        value: cg.cut_value.clone().unwrap_or_default(),
                        respondents: count(cf.respondents as u64),
                        overall: one(Some(s.score)),
                        city: one(city_overall),
                        hidden: None,
                    },
                    _ => CutRow {
                        value: cg.cut_value.clone().unwrap_or_default(),
                        respondents: String::new(),
                        overall: String::new(),
                        city: one(city_overall),
                        hidden: cg
                            .visibility
                            .message()
                            .or_else(|| cg.shown().and_then(|f| f.scores.last()?.visibility.message()))
                            .map(str::to_string),
                    },
                }
            })
            .collect();
        if rows.iter().any(|r| r.hidden.is_none()) {
            doc.cuts.push(CutSection { name: demo.name.clone(), rows });
        }
    }

    doc.harassment = harassment_lines(y, code);

    // What matters most here: the portfolio, and its important, weak categories first.
    let analysis = y.drivers.as_ref().and_then(|d| d.group(code));
    doc.drivers.outcomes = outcome_lines(model, f, city);
    doc.drivers.summary = analysis.map(|d| summary(model, &y.progress, d, "この所属"));
    doc.drivers.note = analysis.is_none().then(|| driver_note(y));
    let city_analysis = y.drivers.as_ref().and_then(|d| d.group(ALL));
    charts.portfolio = analysis.map(|d| portfolio(model, d, city_analysis, PORTFOLIO_WIDTH, PORTFOLIO_HEIGHT));
    doc.drivers.caption = portfolio_caption(analysis);
    doc.focus_rule = hints::RULE.to_string();
    let focus =
        hints::hints(model.categories.len(), g, analysis, &|c| target_of(&model.categories[c].id), FOCUS_CATEGORIES);
    doc.focus = focus
        .into_iter()
        .map(|(c, reason)| {
            let cat = &model.categories[c];
            FocusCategory {
                name: cat.name.clone(),
                reason,
                measures: ctx
                    .plan
                    .measures_for_workplace(&cat.id)
                    .into_iter()
                    .take(MEASURES_PER_CATEGORY)
                    .map(|m| MeasureRow {
                        number: m.number.clone(),
                        title: m.title.clone(),
                        purpose: m.purpose.clone(),
                    })
                    .collect(),
                questions: ctx.survey.category(&cat.id).map(|c| c.discussion.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Some((doc, charts))
}

/// The harassment survey's headline shares — the first answer of each yes/no
/// question, the favorable share of each scale question — for a department
/// whose group is shown under the harassment survey's own k, beside the city's.
/// A share withheld because few chose the answer (or few did not) reads
/// 「少数のため非表示」, one withheld otherwise 「非表示」: never a number.
fn harassment_lines(y: &YearResult, code: &str) -> Vec<HarassmentLine> {
    let Some(h) = &y.harassment else { return Vec::new() };
    let shown = |dept: &str| -> Option<&HarassmentFigures> {
        h.groups.iter().find(|g| g.department == dept).and_then(|g| g.visibility.shown())
    };
    let (Some(dept), Some(city)) = (shown(code), shown(ALL)) else { return Vec::new() };
    let withheld = |reason: HiddenReason| match reason {
        HiddenReason::SmallCount => reason.message(h.min_group_size),
        HiddenReason::TooFew | HiddenReason::Differencing => "非表示".to_string(),
    };
    dept.questions
        .iter()
        .zip(&city.questions)
        .filter_map(|(d, c)| {
            if d.choices.is_empty() {
                let favorable = |q: &QuestionResult| match &q.visibility {
                    Published::Withheld { reason, .. } => withheld(*reason),
                    Published::Shown(f) => percent(f.favorable),
                };
                return Some(HarassmentLine {
                    label: format!("{}（肯定的な回答）", d.text),
                    department: favorable(d),
                    city: favorable(c),
                });
            }
            d.is_yes_no().then(|| {
                let first = |q: &QuestionResult| match &q.visibility {
                    Published::Withheld { reason, .. } => withheld(*reason),
                    Published::Shown(f) => match f.shares.first() {
                        Some(Published::Withheld { reason, .. }) => withheld(*reason),
                        Some(Published::Shown(v)) => percent(Some(*v)),
                        None => percent(None),
                    },
                };
                HarassmentLine {
                    label: format!("{}（{}）", d.text, d.choices[0]),
                    department: first(d),
                    city: first(c),
                }
            })
        })
        .collect()
}

/// Returns the departments of `year` with respondents, in org.csv order.
pub fn departments_with_respondents(model: &ScoresModel, year: FiscalYear) -> Vec<(String, String)> {
    model
        .year(year)
        .map(|y| {
            y.groups
                .iter()
                .filter(|g| g.cut.is_none() && g.department != ALL)
                .map(|g| (g.department.clone(), g.department_name.clone()))
                .collect()
        })
        .unwrap_or_default()
}
