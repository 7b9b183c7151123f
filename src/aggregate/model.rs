//! The scores model: the single output contract between aggregation and
//! every export and report.
//!
//! Every published value — a group's figures, a category's score, a block of
//! item results, a harassment question's shares — is a [`Published`]: either
//! its numbers or the reason it is withheld (DESIGN §5), never both. A
//! withheld value carries no number in the model, so no later stage can print
//! one by mistake.

use serde::{Deserialize, Serialize};

use crate::config::plan::GoalKind;
use crate::config::year::FiscalYear;

/// The id of the whole organisation in group keys and the scores CSV.
pub const ALL: &str = "ALL";

/// Why a value (or a whole group) is withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HiddenReason {
    /// Fewer than k respondents behind it.
    TooFew,
    /// Withheld so that another withheld value cannot be worked out by subtraction.
    Differencing,
    /// A harassment share below the whole organisation that fewer than
    /// [`HARASSMENT_SHARE_MIN`] respondents chose, or fewer than that did not
    /// choose (so a packet never tells how few reported harassment).
    SmallCount,
}

/// A harassment share below the whole organisation is shown only when at
/// least this many respondents chose the answer and this many did not (DESIGN §5).
pub const HARASSMENT_SHARE_MIN: usize = 5;

impl HiddenReason {
    /// Returns the sentence printed in reports (DESIGN §5).
    pub fn message(self, k: usize) -> String {
        match self {
            HiddenReason::TooFew => format!("回答者が{k}人未満のため非表示"),
            HiddenReason::Differencing => "他の区分の推計を防ぐため非表示".to_string(),
            HiddenReason::SmallCount => "少数のため非表示".to_string(),
        }
    }
}

/// A published value: its figures, or why they are withheld.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Published<T> {
    /// Shown.
    Shown(T),
    /// Withheld: no number exists for it.
    Withheld {
        /// Why.
        reason: HiddenReason,
        /// The sentence reports print.
        message: String,
    },
}

impl<T> Published<T> {
    /// Returns a withheld value with its reason and sentence.
    pub fn withheld(reason: HiddenReason, k: usize) -> Published<T> {
        Published::Withheld { reason, message: reason.message(k) }
    }

    /// Returns the figures when shown.
    pub fn shown(&self) -> Option<&T> {
        match self {
            Published::Shown(t) => Some(t),
            Published::Withheld { .. } => None,
        }
    }

    /// Returns the reason when withheld.
    pub fn reason(&self) -> Option<HiddenReason> {
        match self {
            Published::Shown(_) => None,
            Published::Withheld { reason, .. } => Some(*reason),
        }
    }

    /// Returns the sentence when withheld.
    pub fn message(&self) -> Option<&str> {
        match self {
            Published::Shown(_) => None,
            Published::Withheld { message, .. } => Some(message),
        }
    }
}

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
    /// Outcome questions (what the driver analysis explains).
    pub outcomes: Vec<OutcomeInfo>,
    /// Demographic cuts with their values (未回答 last).
    pub demographics: Vec<DemographicInfo>,
    /// Results per year, oldest first.
    pub years: Vec<YearResult>,
    /// The demographic group the plan singles out, for the reports (not part of the JSON).
    #[serde(skip)]
    pub focus: Option<FocusGroup>,
}

/// A demographic group a goal of the plan singles out.
#[derive(Debug, Clone, PartialEq)]
pub struct FocusGroup {
    /// Demographic name.
    pub demographic: String,
    /// The value.
    pub value: String,
    /// The goal's name (30代職員の構成割合).
    pub goal: String,
    /// Whether the plan wants the goal's value higher.
    pub higher: bool,
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
    /// How lists of strengths, challenges and changes print it: the text, or
    /// for a reverse-worded item its positive wording.
    pub label: String,
}

/// An outcome question: in no category and not part of 総合.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeInfo {
    /// Id.
    pub id: String,
    /// Question text.
    pub text: String,
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
    /// Respondents that year, when the whole organisation is shown.
    pub respondents: Option<usize>,
    /// Staff that year (org.csv).
    pub headcount: u64,
    /// Every group with respondents, in scores-CSV order.
    pub groups: Vec<Group>,
    /// How many groups and values were withheld, by reason, so a city can
    /// record what was protected.
    pub withheld: WithheldCounts,
    /// Cronbach's α per category over the whole organisation.
    pub reliability: Vec<Reliability>,
    /// Progress of each survey target (categories and overall).
    pub progress: Vec<Progress>,
    /// Progress of the plan's other KPIs.
    pub indicators: Vec<Progress>,
    /// The harassment survey's results, when it has responses that year.
    pub harassment: Option<HarassmentYear>,
    /// The driver analysis of the year (when item results were computed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drivers: Option<DriverYear>,
    /// For each department of the year, the codes of the year before it
    /// continues (org.csv's previous_codes, or its own code when that existed),
    /// for packets' trends (not part of the JSON).
    #[serde(skip)]
    pub predecessors: std::collections::BTreeMap<String, Vec<String>>,
}

/// Counts of withheld things by reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ReasonCounts {
    /// Withheld because fewer than k respondents are behind them (for
    /// harassment shares: fewer than [`HARASSMENT_SHARE_MIN`] chose the
    /// answer or did not, [`HiddenReason::SmallCount`]).
    pub too_few: usize,
    /// Withheld so that others cannot be worked out by subtraction.
    pub differencing: usize,
}

impl ReasonCounts {
    /// Counts one withheld thing.
    pub fn add(&mut self, reason: HiddenReason) {
        match reason {
            HiddenReason::TooFew | HiddenReason::SmallCount => self.too_few += 1,
            HiddenReason::Differencing => self.differencing += 1,
        }
    }

    /// Returns the total.
    pub fn total(&self) -> usize {
        self.too_few + self.differencing
    }
}

/// What was withheld in one year. Values are counted in shown groups only:
/// a hidden group's values go with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct WithheldCounts {
    /// Whole groups (a department or cut with all its figures).
    pub groups: ReasonCounts,
    /// Category and overall values (score, rates, change) in shown groups.
    pub scores: ReasonCounts,
    /// Blocks of item results (one category's items) in shown groups.
    pub item_blocks: ReasonCounts,
    /// Item results inside those blocks.
    pub items: ReasonCounts,
    /// Groups of the harassment survey.
    pub harassment_groups: ReasonCounts,
    /// Questions (all their shares) in shown groups of the harassment survey.
    pub harassment_questions: ReasonCounts,
    /// Single shares in shown questions of shown departments of the harassment
    /// survey (`too_few`: fewer than 5 chose the answer or did not).
    pub harassment_shares: ReasonCounts,
}

impl YearResult {
    /// What was withheld, kind by kind, each kind labelled in Japanese with
    /// the k it was withheld under (`k` of the attitude survey; the harassment
    /// survey's own), for the workbook and the committee report alike.
    /// The count of single items follows their blocks'.
    pub fn withheld_rows(&self, k: usize) -> Vec<(String, ReasonCounts)> {
        let w = &self.withheld;
        let mut rows = vec![
            (format!("集団（所属・属性ごとの結果全体、{k}人未満）"), w.groups),
            (format!("表示した集団の中のカテゴリ・総合の点数（{k}人未満）"), w.scores),
            (format!("表示した集団の中の設問別の結果（カテゴリ単位、{k}人未満）"), w.item_blocks),
        ];
        if let Some(h) = &self.harassment {
            let kh = h.min_group_size;
            rows.push((format!("ハラスメント調査の集団（{kh}人未満）"), w.harassment_groups));
            rows.push((format!("ハラスメント調査の設問（表示した集団の中、{kh}人未満）"), w.harassment_questions));
            rows.push((
                format!("ハラスメント調査の所属の割合（選んだ人か選ばない人が{HARASSMENT_SHARE_MIN}人未満）"),
                w.harassment_shares,
            ));
        }
        rows
    }
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
    pub visibility: Published<Figures>,
    /// The department's name with the departments above it (総務部 総務課;
    /// 全体 for ALL), for packets (not part of the JSON).
    #[serde(skip)]
    pub path_name: String,
}

impl Group {
    /// Returns the figures of a shown group.
    pub fn shown(&self) -> Option<&Figures> {
        self.visibility.shown()
    }

    /// Returns a category's (or overall's) figures when both the group and the value are shown.
    pub fn score(&self, index: usize) -> Option<&ScoreFigures> {
        self.shown()?.scores.get(index)?.visibility.shown()
    }
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
    /// Item results per category in survey order, each block shown or withheld as a whole.
    pub items: Vec<ItemBlock>,
    /// The outcome questions' results, shown or withheld as one block; absent
    /// when the survey has none or nobody answered them that year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<Published<Vec<ItemScore>>>,
}

/// A category's (or overall) value in a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Category id or `overall`.
    pub category: String,
    /// The figures, or why they are withheld.
    pub visibility: Published<ScoreFigures>,
}

/// The figures of a shown category value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreFigures {
    /// Respondents with a score (at least k).
    pub n: u64,
    /// Mean score (0–100).
    pub score: f64,
    /// Sample standard deviation of respondents' scores.
    pub sd: Option<f64>,
    /// Share of favorable answered items, in %.
    pub favorable: Option<f64>,
    /// Share of neutral answered items, in %.
    pub neutral: Option<f64>,
    /// Share of unfavorable answered items, in %.
    pub unfavorable: Option<f64>,
    /// Change from last year, when the value was shown in every group compared with.
    pub change: Option<Change>,
    /// A department's value against the rest of the organisation (shown departments only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versus_city: Option<CityComparison>,
}

/// A department's value against the rest of the organisation: the
/// difference that is tested, and so the one reports print (DESIGN §10).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CityComparison {
    /// The department's score minus the rest of the organisation's.
    pub difference: f64,
    /// The rest of the organisation's score (everyone outside the department).
    pub rest: f64,
    /// Welch's t-test of the department's respondents against everyone else's.
    pub p_value: Option<f64>,
    /// The p-value adjusted by Benjamini–Hochberg within its family: every
    /// department × value of the year for categories and 総合, the
    /// department's own items for an item.
    pub q_value: Option<f64>,
    /// q < 0.05: the difference is significant (＊).
    pub significant: bool,
}

/// A year-over-year change of a value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    /// Score minus last year's score of the same group (through previous_codes).
    pub delta: f64,
    /// Two-sided Welch t-test p-value against last year.
    pub p_value: Option<f64>,
    /// p < 0.05 (the scores CSV's `significant`, DESIGN §7).
    pub significant: bool,
    /// The p-value adjusted by Benjamini–Hochberg within its family (DESIGN
    /// §10; the families are listed in the comparison module).
    pub q_value: Option<f64>,
    /// q < 0.05: what reports and the workbook mark ＊ (DESIGN §10).
    pub fdr_significant: bool,
}

impl Change {
    /// Whether it is a significant rise (after the family's adjustment).
    pub fn rose(&self) -> bool {
        self.fdr_significant && self.delta > 0.0
    }

    /// Whether it is a significant fall (after the family's adjustment).
    pub fn fell(&self) -> bool {
        self.fdr_significant && self.delta < 0.0
    }
}

/// One category's item results in a group, published as a whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemBlock {
    /// Category id.
    pub category: String,
    /// The category's items in survey order, or why the block is withheld.
    pub visibility: Published<Vec<ItemScore>>,
}

/// An item's figures for a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemScore {
    /// Item id.
    pub item: String,
    /// Respondents who answered it (at least k).
    pub n: u64,
    /// Mean item score (0–100, after reversing).
    pub score: f64,
    /// Share favorable, in %.
    pub favorable: f64,
    /// Change from last year, when the item's block was shown in every group compared with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// A department's item against the rest of the organisation (shown
    /// departments whose block and the organisation's are shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versus_city: Option<CityComparison>,
}

impl Figures {
    /// Returns the figures of an item (by id) when its block is shown.
    pub fn item(&self, id: &str) -> Option<&ItemScore> {
        self.items.iter().filter_map(|b| b.visibility.shown()).flatten().find(|i| i.item == id)
    }
}

/// The driver analysis of one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriverYear {
    /// Why there is no analysis for the whole organisation, as a sentence
    /// reports print; `None` when it has one.
    pub note: Option<String>,
    /// The organisation (first) and each department, whole or cut by a
    /// demographic value, whose analysis may be published, in scores-CSV order.
    pub groups: Vec<GroupDrivers>,
}

impl DriverYear {
    /// Returns the analysis of a department (or `ALL`) as a whole, when published.
    pub fn group(&self, department: &str) -> Option<&GroupDrivers> {
        self.groups.iter().find(|g| g.department == department && g.cut.is_none())
    }
}

/// One group's driver analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupDrivers {
    /// Department code or `ALL`.
    pub department: String,
    /// The demographic of a cut, or `None` for the whole group.
    pub cut: Option<String>,
    /// The cut's value.
    pub cut_value: Option<String>,
    /// Respondents in the analysis (every category score and every outcome question).
    pub n: u64,
    /// R² of the outcome score on the category scores.
    pub r2: f64,
    /// R² adjusted for the number of categories: 1 − (1 − R²)(n − 1)/(n − p − 1).
    pub adjusted_r2: f64,
    /// Its 95 % bootstrap interval.
    pub r2_interval: (f64, f64),
    /// Bootstrap resamples drawn for this group (DESIGN §10: 1,000 unless it
    /// alone holds more than 10,000 complete respondents).
    pub replicates: usize,
    /// Resamples that gave weights (of `replicates`); the rest had
    /// a constant category or outcome and were skipped.
    pub resamples_used: usize,
    /// Fewer than 100 complete respondents: the group's own importance is
    /// only for reference (参考), and its portfolio uses the organisation's.
    pub reference: bool,
    /// For each pair of categories next to each other in the order of the
    /// shares (largest first), the 95 % interval of the difference of their
    /// shares: a rank is stated only when it excludes zero.
    pub rank_differences: Vec<RankDifference>,
    /// Per category in survey order.
    pub categories: Vec<CategoryDriver>,
}

/// The difference of two categories' shares over the same resamples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankDifference {
    /// The category with the larger share.
    pub higher: String,
    /// The next one.
    pub lower: String,
    /// Their shares' difference (percentage points).
    pub difference: f64,
    /// Its 95 % bootstrap interval.
    pub interval: (f64, f64),
}

impl RankDifference {
    /// Whether the order of the two is clear (the interval excludes zero).
    pub fn clear(&self) -> bool {
        self.interval.0 > 0.0
    }
}

/// A category's importance for the outcome, and its place in the portfolio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryDriver {
    /// Category id.
    pub category: String,
    /// Pearson correlation of the category score with the outcome score.
    pub correlation: f64,
    /// Johnson's raw relative weight (the raw weights add up to R²).
    pub raw: f64,
    /// 95 % bootstrap interval of the raw weight.
    pub raw_interval: (f64, f64),
    /// The raw weight as a share of R², in % (the importance).
    pub share: f64,
    /// 95 % bootstrap interval of the share.
    pub share_interval: (f64, f64),
    /// The group's category score (shown, so the same as its scores).
    pub score: f64,
    /// The importance's 95 % interval lies wholly above the equal share
    /// (100 / categories): the group's own interval, or the organisation's
    /// when the group is `reference`.
    pub important: bool,
    /// The score is below its comparison: the year's 目安, or, for a
    /// department, significantly below the rest of the organisation.
    pub below: bool,
    /// Where importance and score place the category.
    pub quadrant: Quadrant,
}

/// The portfolio's quadrants (重要度 × 満足度) by DESIGN §10: important when
/// the importance's interval lies wholly above the equal share, weak when
/// the score is below its comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// Clearly important and below its comparison: 重点改善, work on it first.
    Improve,
    /// Clearly important and not below its comparison: a strength to keep.
    Keep,
    /// Not clearly important, not below its comparison.
    Maintain,
    /// Not clearly important, below its comparison.
    Watch,
}

impl Quadrant {
    /// Places a category by whether it is clearly important and whether it is
    /// below its comparison.
    pub fn of(important: bool, below: bool) -> Quadrant {
        match (important, below) {
            (true, true) => Quadrant::Improve,
            (true, false) => Quadrant::Keep,
            (false, false) => Quadrant::Maintain,
            (false, true) => Quadrant::Watch,
        }
    }

    /// The label printed in reports and the workbook.
    pub fn label(self) -> &'static str {
        match self {
            Quadrant::Improve => "重点改善",
            Quadrant::Keep => "強みの維持",
            Quadrant::Maintain => "現状維持",
            Quadrant::Watch => "改善検討",
        }
    }
}

/// Cronbach's α of a category in one year, over the whole organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reliability {
    /// Category id.
    pub category: String,
    /// α and its n, or why they are withheld (fewer than k answered every
    /// item, or the whole organisation is hidden).
    pub visibility: Published<Alpha>,
}

/// A shown Cronbach's α.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Alpha {
    /// α, when defined.
    pub alpha: Option<f64>,
    /// Respondents who answered every item of the category (at least k).
    pub n: u64,
}

/// How a value stands against its goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// The target is met (a floor goal: the value is at or above its floor).
    #[serde(rename = "達成")]
    Achieved,
    /// On or past the trajectory, before the target year.
    #[serde(rename = "順調")]
    OnTrack,
    /// Between the baseline and the trajectory, before the target year.
    #[serde(rename = "遅れ")]
    Behind,
    /// Worse than the baseline, before the target year.
    #[serde(rename = "悪化")]
    Worse,
    /// Not met where no time is left: a floor goal below its floor, or a goal
    /// to reach that has not reached its target in or after its target year.
    #[serde(rename = "未達")]
    Missed,
    /// No value for the year.
    #[serde(rename = "データなし")]
    NoData,
    /// A tracked KPI without a target: the trend is shown, nothing is judged.
    #[serde(rename = "推移を確認")]
    Tracked,
}

impl Status {
    /// Returns the Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            Status::Achieved => "達成",
            Status::OnTrack => "順調",
            Status::Behind => "遅れ",
            Status::Worse => "悪化",
            Status::Missed => "未達",
            Status::NoData => "データなし",
            Status::Tracked => "推移を確認",
        }
    }
}

/// A goal's standing in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// Category id, `overall`, or indicator id.
    pub id: String,
    /// Name of the goal.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// How it is judged.
    pub kind: GoalKind,
    /// The year.
    pub year: FiscalYear,
    /// Baseline year.
    pub baseline_year: Option<FiscalYear>,
    /// Baseline value.
    pub baseline: Option<f64>,
    /// Target year.
    pub target_year: Option<FiscalYear>,
    /// Target value.
    pub target: Option<f64>,
    /// The value that year (unrounded).
    pub value: Option<f64>,
    /// The value the year before.
    pub previous: Option<f64>,
    /// Where the value should be this year on the way to the target: goals
    /// to reach only (a floor has no trajectory).
    pub trajectory: Option<f64>,
    /// 進捗率, (value − baseline) / (target − baseline): goals to reach whose
    /// target lies ahead of the baseline in the goal's direction only.
    pub achievement: Option<f64>,
    /// value − floor, in the goal's unit: floor goals (`every_year_at_least`,
    /// `keep_at_least`) only.
    pub margin: Option<f64>,
    /// The status.
    pub status: Status,
}

impl Progress {
    /// Returns whether the goal is a floor (`every_year_at_least`,
    /// `keep_at_least`): a level to hold every year, not a journey.
    pub fn is_floor(&self) -> bool {
        self.kind.is_floor()
    }

    /// Returns this year's 目安, the value to be at or past this year: the
    /// trajectory of a goal to reach, the floor itself for a floor goal (held
    /// every year), none for a tracked KPI.
    pub fn yardstick(&self) -> Option<f64> {
        if self.is_floor() { self.target } else { self.trajectory }
    }

    /// Returns the line a value on the wrong side of decided its status by:
    /// the target for 未達, the trajectory for 遅れ, the baseline for 悪化;
    /// none when the goal is met or on track.
    pub fn missed_line(&self) -> Option<f64> {
        match self.status {
            Status::Missed => self.target,
            Status::Behind => self.trajectory,
            Status::Worse => self.baseline,
            Status::Achieved | Status::OnTrack | Status::NoData | Status::Tracked => None,
        }
    }

    /// Returns the decimals this year's value is printed with (DESIGN §6):
    /// one, or two when it missed its line yet would print as the line at one
    /// (64.96 against a target of 65 reads 64.96, never 65.0 beside 未達).
    pub fn value_decimals(&self) -> usize {
        match self.value.zip(self.missed_line()) {
            Some((v, line)) if v != line && format!("{v:.1}") == format!("{line:.1}") => 2,
            _ => 1,
        }
    }
}

/// The harassment survey's results in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HarassmentYear {
    /// k of the harassment survey.
    pub min_group_size: usize,
    /// Every group with respondents: ALL, then departments in org.csv order.
    pub groups: Vec<HarassmentGroup>,
}

/// One group of the harassment survey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HarassmentGroup {
    /// Department code or `ALL`.
    pub department: String,
    /// Department name.
    pub department_name: String,
    /// Depth in the tree (0 for ALL).
    pub depth: usize,
    /// Figures, or why they are withheld.
    pub visibility: Published<HarassmentFigures>,
}

/// A shown group's answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HarassmentFigures {
    /// Respondents.
    pub respondents: u64,
    /// Per question in survey order.
    pub questions: Vec<QuestionResult>,
}

/// One question of the harassment survey in a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    /// Question id.
    pub id: String,
    /// Question text.
    pub text: String,
    /// The choices whose shares are published, in survey order (「該当なし」
    /// is neither a choice here nor in the base); empty for a scale question.
    pub choices: Vec<String>,
    /// Its count and shares, or why they are withheld (a question answered
    /// by fewer than k people, such as 「受けた際に相談した」, asked only of
    /// those harassed, would tell what those few answered).
    pub visibility: Published<QuestionFigures>,
}

/// The shares of a shown question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionFigures {
    /// Respondents who answered it (at least k; 「該当なし」 not counted).
    pub answered: u64,
    /// Share of each of the question's `choices` among those who answered,
    /// in % (single and multiple choice), each shown or withheld on its own:
    /// below the whole organisation a share needs [`HARASSMENT_SHARE_MIN`]
    /// respondents who chose the answer and as many who did not, and the
    /// differencing rule runs on both counts. The shares of a single-choice
    /// question add up to 100 %, so they are shown or withheld together.
    pub shares: Vec<Published<f64>>,
    /// Mean score 0–100 (scale questions).
    pub score: Option<f64>,
    /// Share favorable, in % (scale questions).
    pub favorable: Option<f64>,
}

impl QuestionResult {
    /// Returns whether its choices are はい / いいえ (and perhaps 該当なし):
    /// the first choice's share then tells all.
    pub fn is_yes_no(&self) -> bool {
        self.choices.len() <= 2 && self.choices.first().is_some_and(|c| c == "はい")
    }

    /// Returns a choice's share, shown or withheld, when the question is shown.
    pub fn choice_share(&self, choice: &str) -> Option<&Published<f64>> {
        let at = self.choices.iter().position(|c| c == choice)?;
        self.visibility.shown()?.shares.get(at)
    }

    /// Returns the share of a choice when the question and the share are shown.
    pub fn share(&self, choice: &str) -> Option<f64> {
        self.choice_share(choice)?.shown().copied()
    }
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
