//! plan.toml: the 人財育成アクションプラン — its targets for each survey
//! category and for the other KPIs, and the catalogue of measures (施策) with
//! the categories each one addresses.
//!
//! [`PlanFile`] is the file as written; [`Plan::from_toml`] checks it against
//! the survey's categories and returns a [`Plan`] or every problem with its line.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::config::survey::Survey;
use crate::config::toml_errors::{place_of, translate};
use crate::config::year::FiscalYear;
use crate::problem::{Place, Problems};

/// The id a survey target uses for the overall (総合) score.
pub const OVERALL: &str = "overall";

/// plan.toml as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// 計画の名称。
    pub name: String,
    /// 計画を定めた団体名（報告書の表紙に載ります）。
    pub organization: String,
    /// 策定時期（例: 令和5年2月）。
    pub published: String,
    /// 職員意識調査のカテゴリごと（と総合 overall）の目標。
    #[serde(default)]
    pub survey_targets: Vec<GoalFile>,
    /// 職員意識調査以外の指標（indicators.csv に年度ごとの値を書きます）。
    #[serde(default)]
    pub indicators: Vec<GoalFile>,
    /// 計画の施策。
    #[serde(default)]
    pub measures: Vec<MeasureFile>,
}

/// How a target is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalKind {
    /// The value should reach at least `target` by `target_year`.
    ReachAtLeast,
    /// The value should fall to at most `target` by `target_year`.
    ReachAtMost,
    /// The value should be at least `target` every year.
    EveryYearAtLeast,
    /// The value should stay at least `target` every year (a level to keep).
    KeepAtLeast,
    /// No target: the trend is watched.
    Track,
}

impl GoalKind {
    /// Returns whether the kind is a floor (`every_year_at_least`,
    /// `keep_at_least`): a level to hold every year, not a journey.
    pub fn is_floor(self) -> bool {
        matches!(self, GoalKind::EveryYearAtLeast | GoalKind::KeepAtLeast)
    }

    /// Returns the Japanese description used in reports.
    pub fn label(self) -> &'static str {
        match self {
            GoalKind::ReachAtLeast => "目標年度までに目標値以上",
            GoalKind::ReachAtMost => "目標年度までに目標値以下",
            GoalKind::EveryYearAtLeast => "毎年度 目標値以上",
            GoalKind::KeepAtLeast => "目標値以上を維持",
            GoalKind::Track => "推移を確認（目標値なし）",
        }
    }
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher values are better.
    Higher,
    /// Lower values are better.
    Lower,
}

/// A target or KPI as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalFile {
    /// ID。survey_targets ではカテゴリID か overall、indicators では indicators.csv の indicator 列の値。
    pub id: Spanned<String>,
    /// 指標の名称。
    pub name: String,
    /// 判定の種類: reach_at_least / reach_at_most / every_year_at_least / keep_at_least / track。
    pub kind: GoalKind,
    /// 望ましい方向: higher（高いほど良い）/ lower（低いほど良い）。
    pub direction: Direction,
    /// 単位（点、%、日、人 など）。
    pub unit: String,
    /// 基準年度（例: "R4" や 2022）。
    pub baseline_year: Option<FiscalYear>,
    /// 基準値。
    pub baseline: Option<f64>,
    /// 目標年度。
    pub target_year: Option<FiscalYear>,
    /// 目標値。
    pub target: Option<f64>,
    /// 計画上の位置（例: Ⅱ-2）。
    #[serde(default)]
    pub section: String,
    /// 出典や補足（例: 特定事業主行動計画）。
    #[serde(default)]
    pub note: String,
    /// この指標が注目する職員の属性（任意）。例: { demographic = "年代", value = "30代" }。
    /// 委員会向け報告書が、属性ごとのグラフでその値を強調し、理由を添えます。
    pub focus: Option<FocusFile>,
}

/// A demographic group a goal singles out, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FocusFile {
    /// 属性の名前（survey.toml の demographics の name）。
    pub demographic: Spanned<String>,
    /// その属性の選択肢の一つ。
    pub value: Spanned<String>,
}

/// A demographic group a goal singles out (年代 30代 for 30代職員の構成割合).
#[derive(Debug, Clone, PartialEq)]
pub struct Focus {
    /// Demographic name.
    pub demographic: String,
    /// One of its values.
    pub value: String,
}

/// A measure (施策) as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureFile {
    /// 施策の番号（例: Ⅲ-3 (1)）。
    pub number: Spanned<String>,
    /// 施策名。
    pub title: String,
    /// 目的（計画の本文から）。
    pub purpose: String,
    /// 今後の方向性（継続・拡充・新規）。
    #[serde(default)]
    pub status: String,
    /// この施策が働きかけるカテゴリID（所属長向けフィードバックで、点数の低いカテゴリの施策として紹介します）。
    #[serde(default)]
    pub categories: Vec<Spanned<String>>,
    /// 所属長が職場で取り組める施策なら true（フィードバックで先に紹介します。省略時は false）。
    #[serde(default)]
    pub workplace: bool,
}

/// A validated target or KPI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Goal {
    /// Category id, `overall`, or indicator id.
    pub id: String,
    /// Japanese name.
    pub name: String,
    /// How it is judged.
    pub kind: GoalKind,
    /// Which way is better.
    pub direction: Direction,
    /// Unit.
    pub unit: String,
    /// Baseline year and value.
    pub baseline: Option<(FiscalYear, f64)>,
    /// Target year (for reach kinds) and value.
    pub target: Option<(Option<FiscalYear>, f64)>,
    /// Section of the plan.
    pub section: String,
    /// Source or remark.
    pub note: String,
    /// The demographic group it singles out (not part of the JSON).
    #[serde(skip)]
    pub focus: Option<Focus>,
}

/// A validated measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    /// Number such as `Ⅲ-3 (1)`.
    pub number: String,
    /// Title.
    pub title: String,
    /// Purpose text from the plan.
    pub purpose: String,
    /// 継続 / 拡充 / 新規.
    pub status: String,
    /// Category ids it addresses.
    pub categories: Vec<String>,
    /// A 所属長 can act on it in the workplace.
    pub workplace: bool,
}

/// The range of a survey score (DESIGN §4), which survey targets must lie in.
const SCORE_RANGE: std::ops::RangeInclusive<f64> = 0.0..=100.0;

/// The validated plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Name of the plan.
    pub name: String,
    /// Organisation.
    pub organization: String,
    /// When it was published.
    pub published: String,
    /// Targets for survey categories and `overall`.
    pub survey_targets: Vec<Goal>,
    /// Other KPIs.
    pub indicators: Vec<Goal>,
    /// Measures in plan order.
    pub measures: Vec<Measure>,
}

impl Plan {
    /// Parses and validates plan.toml text against the survey's categories.
    pub fn from_toml(file: &str, text: &str, survey: Option<&Survey>) -> Result<Plan, Problems> {
        let mut problems = Problems::default();
        let raw: PlanFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(err) => {
                problems.errors.push(translate(file, text, &err));
                return Err(problems);
            }
        };
        let at = |span: std::ops::Range<usize>| place_of(file, text, span);
        let category_ids: Option<Vec<&str>> = survey.map(|s| s.categories.iter().map(|c| c.id.as_str()).collect());

        let mut survey_targets = Vec::new();
        let mut seen: HashMap<String, ()> = HashMap::new();
        for g in &raw.survey_targets {
            let id = g.id.get_ref().trim();
            if let Some(ids) = &category_ids
                && id != OVERALL
                && !ids.contains(&id)
            {
                problems.error(
                    at(g.id.span()),
                    format!("survey_targets の「{id}」は survey.toml のカテゴリIDでも overall でもありません"),
                );
            }
            if seen.insert(id.to_string(), ()).is_some() {
                problems.error(at(g.id.span()), format!("「{id}」の目標が二度書かれています"));
            }
            if let Some(survey) = survey {
                check_focus(g, survey, &mut problems, &at);
            }
            survey_targets.push(validate_goal(g, Some(SCORE_RANGE), &mut problems, &at));
        }
        let mut indicators = Vec::new();
        let mut seen: HashMap<String, ()> = HashMap::new();
        for g in &raw.indicators {
            let id = g.id.get_ref().trim();
            if id.is_empty() || id.contains(',') {
                problems.error(at(g.id.span()), format!("指標ID「{id}」は空にできず、カンマを含められません"));
            }
            if seen.insert(id.to_string(), ()).is_some() {
                problems.error(at(g.id.span()), format!("指標「{id}」が二度書かれています"));
            }
            if let Some(survey) = survey {
                check_focus(g, survey, &mut problems, &at);
            }
            indicators.push(validate_goal(g, None, &mut problems, &at));
        }
        let mut measures = Vec::new();
        let mut seen: HashMap<String, ()> = HashMap::new();
        for m in &raw.measures {
            let number = m.number.get_ref().trim().to_string();
            if seen.insert(number.clone(), ()).is_some() {
                problems.error(at(m.number.span()), format!("施策「{number}」が二度書かれています"));
            }
            let mut categories = Vec::new();
            for c in &m.categories {
                let id = c.get_ref().trim();
                if let Some(ids) = &category_ids
                    && !ids.contains(&id)
                {
                    problems
                        .error(at(c.span()), format!("施策「{number}」のカテゴリ「{id}」は survey.toml にありません"));
                }
                categories.push(id.to_string());
            }
            measures.push(Measure {
                number,
                title: m.title.trim().to_string(),
                purpose: m.purpose.trim().to_string(),
                status: m.status.trim().to_string(),
                categories,
                workplace: m.workplace,
            });
        }
        let plan = Plan {
            name: raw.name.trim().to_string(),
            organization: raw.organization.trim().to_string(),
            published: raw.published.trim().to_string(),
            survey_targets,
            indicators,
            measures,
        };
        if problems.is_clean() { Ok(plan) } else { Err(problems) }
    }

    /// Returns the target of a category id or `overall`.
    pub fn survey_target(&self, id: &str) -> Option<&Goal> {
        self.survey_targets.iter().find(|g| g.id == id)
    }

    /// Returns the measures that address a category, in plan order.
    pub fn measures_for(&self, category: &str) -> Vec<&Measure> {
        self.measures.iter().filter(|m| m.categories.iter().any(|c| c == category)).collect()
    }

    /// Returns the measures for a category that a 所属長 can act on first, then the rest, each in plan order.
    pub fn measures_for_workplace(&self, category: &str) -> Vec<&Measure> {
        let mut measures = self.measures_for(category);
        measures.sort_by_key(|m| !m.workplace);
        measures
    }

    /// The first goal that singles out a demographic group, with that group.
    pub fn focus(&self) -> Option<(&Goal, &Focus)> {
        self.survey_targets.iter().chain(&self.indicators).find_map(|g| g.focus.as_ref().map(|f| (g, f)))
    }
}

/// Checks one goal and returns it; `range` is where its baseline and target
/// must lie (survey targets: [`SCORE_RANGE`]).
fn validate_goal(
    g: &GoalFile,
    range: Option<std::ops::RangeInclusive<f64>>,
    problems: &mut Problems,
    at: &dyn Fn(std::ops::Range<usize>) -> Place,
) -> Goal {
    let id = g.id.get_ref().trim().to_string();
    let place = at(g.id.span());
    for (field, value) in [("baseline", g.baseline), ("target", g.target)] {
        match value {
            // TOML reads `nan` and `inf` as numbers; no judgement can be made against them.
            Some(v) if !v.is_finite() => problems
                .error(place.clone(), format!("「{id}」の {field}（{v}）は数値として使えません。数字で書いてください")),
            // A survey score outside 0–100 can never be met or missed.
            Some(v) if range.as_ref().is_some_and(|r| !r.contains(&v)) => {
                problems.error(place.clone(), format!("「{id}」の {field}（{v}）は点数（0〜100）の範囲にありません"))
            }
            _ => {}
        }
    }
    let baseline = match (g.baseline_year, g.baseline) {
        (Some(y), Some(v)) => Some((y, v)),
        (None, None) => None,
        _ => {
            problems
                .error(place.clone(), format!("「{id}」の baseline_year と baseline は両方書くか、両方省いてください"));
            None
        }
    };
    let target = match g.kind {
        GoalKind::Track => {
            if g.target.is_some() || g.target_year.is_some() {
                problems.error(place.clone(), format!("「{id}」は track（目標値なし）なので target は書けません"));
            }
            None
        }
        GoalKind::ReachAtLeast | GoalKind::ReachAtMost => match (g.target_year, g.target) {
            (Some(ty), Some(t)) => {
                match baseline {
                    None => problems
                        .error(place.clone(), format!("「{id}」は到達目標なので baseline_year と baseline が必要です")),
                    Some((by, bv)) => {
                        if ty <= by {
                            problems.error(
                                place.clone(),
                                format!("「{id}」の target_year は baseline_year より後にしてください"),
                            );
                        }
                        if bv == t {
                            problems.error(place.clone(), format!("「{id}」の target が baseline と同じです"));
                        }
                        // A goal to reach that lies behind its baseline would be met before it starts.
                        let behind = match g.kind {
                            _ if !(t.is_finite() && bv.is_finite()) => None,
                            GoalKind::ReachAtLeast => {
                                (t < bv).then_some("reach_at_least なのに target が baseline より低い")
                            }
                            _ => (t > bv).then_some("reach_at_most なのに target が baseline より高い"),
                        };
                        if let Some(what) = behind {
                            problems.error(
                                place.clone(),
                                format!(
                                    "「{id}」は {what}です（target {t}、baseline {bv}）。kind か値を確かめてください"
                                ),
                            );
                        }
                    }
                }
                Some((Some(ty), t))
            }
            _ => {
                problems.error(place.clone(), format!("「{id}」は到達目標なので target_year と target が必要です"));
                None
            }
        },
        GoalKind::EveryYearAtLeast | GoalKind::KeepAtLeast => match g.target {
            Some(t) => Some((g.target_year, t)),
            None => {
                problems.error(place.clone(), format!("「{id}」には target（毎年度の基準値）が必要です"));
                None
            }
        },
    };
    let expected = match g.kind {
        GoalKind::ReachAtMost => Some(Direction::Lower),
        GoalKind::ReachAtLeast | GoalKind::EveryYearAtLeast | GoalKind::KeepAtLeast => Some(Direction::Higher),
        GoalKind::Track => None,
    };
    if let Some(expected) = expected
        && expected != g.direction
    {
        let want = match expected {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        };
        problems.error(
            place,
            format!("「{id}」の direction が kind と合いません（kind がこの種類なら direction は {want}）"),
        );
    }
    Goal {
        id,
        name: g.name.trim().to_string(),
        kind: g.kind,
        direction: g.direction,
        unit: g.unit.clone(),
        baseline,
        target,
        section: g.section.trim().to_string(),
        note: g.note.trim().to_string(),
        focus: g.focus.as_ref().map(|f| Focus {
            demographic: f.demographic.get_ref().trim().to_string(),
            value: f.value.get_ref().trim().to_string(),
        }),
    }
}

/// Checks that a goal's focus names a demographic of the survey and one of its values.
fn check_focus(g: &GoalFile, survey: &Survey, problems: &mut Problems, at: &dyn Fn(std::ops::Range<usize>) -> Place) {
    let Some(f) = &g.focus else { return };
    let name = f.demographic.get_ref().trim();
    let Some(demographic) = survey.demographics.iter().find(|d| d.name == name) else {
        let names: Vec<&str> = survey.demographics.iter().map(|d| d.name.as_str()).collect();
        problems.error(
            at(f.demographic.span()),
            format!(
                "focus の属性「{name}」は survey.toml の demographics にありません（ある属性: {}）",
                names.join("・")
            ),
        );
        return;
    };
    let value = f.value.get_ref().trim();
    if !demographic.values.iter().any(|v| v == value) {
        problems.error(
            at(f.value.span()),
            format!("focus の値「{value}」は属性「{name}」の選択肢（{}）にありません", demographic.values.join("・")),
        );
    }
}
