//! The scores model: what aggregation hands to exports and reports.
//!
//! A hidden group carries its reason and nothing else: no score, rate or n
//! exists in the model for it, so no later stage can print one by mistake.

use serde::Serialize;

use crate::aggregate::progress::Progress;
use crate::aggregate::suppression::HiddenReason;
use crate::config::year::FiscalYear;

/// The id of the whole organisation in group keys and the scores CSV.
pub const ALL: &str = "ALL";

/// Everything computed from a workspace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoresModel {
    /// Name of the survey.
    pub survey_title: String,
    /// The organisation (from plan.toml).
    pub organization: String,
    /// Name of the plan.
    pub plan_name: String,
    /// k of the attitude survey.
    pub min_group_size: usize,
    /// The answer scale.
    pub scale: ScaleInfo,
    /// Categories in order (without overall).
    pub categories: Vec<CategoryInfo>,
    /// Items in order.
    pub items: Vec<ItemInfo>,
    /// Demographic cuts with their values (未回答 last).
    pub demographics: Vec<DemographicInfo>,
    /// Results per year, oldest first.
    pub years: Vec<YearResult>,
}

/// The answer scale, for methods pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleInfo {
    /// Lowest value.
    pub min: i64,
    /// Highest value.
    pub max: i64,
    /// Favorable at or above this (after reversing).
    pub favorable_threshold: i64,
    /// Unfavorable at or below this (after reversing).
    pub unfavorable_threshold: i64,
    /// Labels from min to max.
    pub labels: Vec<String>,
}

/// A category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryInfo {
    /// Id.
    pub id: String,
    /// Japanese name.
    pub name: String,
    /// Item ids.
    pub items: Vec<String>,
}

/// An item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemInfo {
    /// Id.
    pub id: String,
    /// Question text.
    pub text: String,
    /// Category id.
    pub category: String,
    /// Reverse-worded.
    pub reverse: bool,
}

/// A demographic cut.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemographicInfo {
    /// Name (the `cut` of the scores CSV).
    pub name: String,
    /// Values in order, 未回答 last.
    pub values: Vec<String>,
}

/// Results of one fiscal year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearResult {
    /// The year.
    pub year: FiscalYear,
    /// `令和N年度（YYYY年度）`.
    pub label: String,
    /// Whether the year before had responses (so deltas were possible).
    pub has_previous: bool,
    /// Respondents that year.
    pub respondents: usize,
    /// Staff that year (org.csv).
    pub headcount: u64,
    /// Every group with respondents, in scores-CSV order.
    pub groups: Vec<Group>,
    /// Cronbach's α per category over the whole organisation.
    pub reliability: Vec<Reliability>,
    /// Progress of each survey target (categories and overall).
    pub progress: Vec<Progress>,
    /// Progress of the plan's other KPIs.
    pub indicators: Vec<Progress>,
    /// The harassment survey's results, when it has responses that year.
    pub harassment: Option<crate::aggregate::harassment::HarassmentYear>,
}

/// One group: the organisation or a department, whole or one cut value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Department code, or `ALL`.
    pub department: String,
    /// Department name (全体 for ALL).
    pub department_name: String,
    /// Parent department code, if any.
    pub parent: Option<String>,
    /// Depth in the tree: 0 for ALL, 1 for top-level departments.
    pub depth: usize,
    /// Demographic name, or `None` for the whole group.
    pub cut: Option<String>,
    /// Demographic value.
    pub cut_value: Option<String>,
    /// Figures, or why there are none.
    pub visibility: Visibility,
}

impl Group {
    /// Returns the figures of a shown group.
    pub fn shown(&self) -> Option<&Figures> {
        match &self.visibility {
            Visibility::Shown(f) => Some(f),
            Visibility::Hidden { .. } => None,
        }
    }
}

/// A group's figures or the reason they are withheld.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Shown.
    Shown(Figures),
    /// Withheld.
    Hidden {
        /// Why.
        reason: HiddenReason,
        /// The sentence reports print.
        message: String,
    },
}

/// Figures of a shown group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Respondents (rows in the files).
    pub respondents: usize,
    /// Respondents over the headcount of the department's subtree, in % (whole groups only).
    pub response_rate: Option<f64>,
    /// Headcount of the subtree (whole groups only).
    pub headcount: Option<u64>,
    /// Per category in survey order, then overall.
    pub scores: Vec<Score>,
    /// Per item in survey order.
    pub items: Vec<ItemScore>,
}

/// A category's (or overall) figures for a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Category id or `overall`.
    pub category: String,
    /// Respondents with a score.
    pub n: u64,
    /// Mean score (0–100).
    pub score: Option<f64>,
    /// Sample standard deviation of respondents' scores.
    pub sd: Option<f64>,
    /// Share of favorable answered items, in %.
    pub favorable: Option<f64>,
    /// Share of neutral answered items, in %.
    pub neutral: Option<f64>,
    /// Share of unfavorable answered items, in %.
    pub unfavorable: Option<f64>,
    /// Score minus last year's score of the same group (through previous_codes).
    pub delta: Option<f64>,
    /// Two-sided Welch t-test p-value against last year.
    pub p_value: Option<f64>,
    /// p < 0.05.
    pub significant: bool,
}

/// An item's figures for a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemScore {
    /// Item id.
    pub item: String,
    /// Respondents who answered it.
    pub n: u64,
    /// Mean item score (0–100, after reversing).
    pub score: Option<f64>,
    /// Share favorable, in %.
    pub favorable: Option<f64>,
}

/// Cronbach's α of a category in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reliability {
    /// Category id.
    pub category: String,
    /// α, when defined.
    pub alpha: Option<f64>,
    /// Respondents who answered every item of the category.
    pub n: u64,
}

impl YearResult {
    /// Returns the group of a department (or `ALL`) with an optional cut.
    pub fn group(&self, department: &str, cut: Option<(&str, &str)>) -> Option<&Group> {
        self.groups.iter().find(|g| {
            g.department == department
                && match cut {
                    None => g.cut.is_none(),
                    Some((c, v)) => g.cut.as_deref() == Some(c) && g.cut_value.as_deref() == Some(v),
                }
        })
    }
}

impl ScoresModel {
    /// Returns a year's results.
    pub fn year(&self, year: FiscalYear) -> Option<&YearResult> {
        self.years.iter().find(|y| y.year == year)
    }
}
