//! The explorer's data block: the scores model's published values for the
//! years up to the report's, in columns so that 200 departments × 4 years
//! stay within the file's size budget (DESIGN §9).
//!
//! Built from `Published` values only: a hidden group has its reason and no
//! figures; a withheld value inside a shown group has its reason and no
//! number. Scores, rates and differences are held in tenths, as whole
//! numbers (62.3 is `623`): the reports' one decimal exactly, and a smaller
//! file than decimals (the page divides by ten).
//!
//! Layout, per year: `departments` (one row per department with a group that
//! year; index 0 is the whole organisation), `groups` (one row per group in
//! the scores CSV's order: its department's index, its cut as
//! `[demographic, value]` indices or null, its hidden reason or its
//! respondents), and `cells`, one row per category (survey order, then
//! 総合) of every *shown* group in group order. `city` holds the comparison
//! with the rest of the city for the cells of shown departments as a whole
//! (not the organisation, not cuts), in the same order. Marks (＊, DESIGN
//! §10) are lists of cell indices.
//!
//! `items` holds the item results of the organisation and the shown
//! departments as a whole (not of cuts: the workbook has those), block by
//! block (each category's items, then the outcome questions); `drivers` the
//! driver analysis of the report's year only, as the reports print it; `plan`
//! and `indicators` the plan's targets as the committee report prints them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::aggregate::model::{
    ALL, Group, GroupDrivers, HiddenReason, ItemScore, Published, Quadrant, ScoresModel, YearResult,
};
use crate::config::year::FiscalYear;
use crate::palette;
use crate::report::committee::{TargetRow, target_row, target_rows};
use crate::report::importance;

/// The name the page gives the whole organisation.
pub const CITY_NAME: &str = "市全体";

/// The whole data block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Data {
    /// Format of this block, raised when its layout changes.
    pub format: u32,
    /// Name of the survey.
    pub survey: String,
    /// The organisation.
    pub organization: String,
    /// The year reported (the last of `years`).
    pub year: i32,
    /// k of the attitude survey.
    pub k: usize,
    /// Categories in survey order, then 総合 (`overall`).
    pub categories: Vec<Named>,
    /// Demographic cuts and their values (未回答 last).
    pub demographics: Vec<Demographic>,
    /// The questions: each category's items in survey order, then the
    /// outcome questions (`category` null).
    pub items: Vec<Item>,
    /// The heatmap's colours, as the PDF and the workbook draw them.
    pub palette: Palette,
    /// Years with responses up to the report's, oldest first.
    pub years: Vec<Year>,
}

/// The heatmap's scale (`crate::palette`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Palette {
    /// Below the city, `0xRRGGBB`.
    pub low: u32,
    /// At the city.
    pub mid: u32,
    /// Above the city.
    pub high: u32,
    /// The difference (points) at full colour.
    pub span: f64,
    /// How far towards its colour an unmarked cell goes.
    pub pale: f64,
}

/// An id with its Japanese name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Named {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A question of the survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Id (`Q12`).
    pub id: String,
    /// The label lists print (positive for a reversed item, DESIGN §10).
    pub label: String,
    /// The question as asked.
    pub text: String,
    /// Index of its category, or null for an outcome question.
    pub category: Option<usize>,
    /// Whether it is reverse-worded.
    pub reverse: bool,
}

/// A demographic cut.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Demographic {
    /// Name (年代).
    pub name: String,
    /// Values in order.
    pub values: Vec<String>,
}

/// One year's published values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Year {
    /// The western year it starts in.
    pub year: i32,
    /// `令和7年度（2025年度）`.
    pub label: String,
    /// `R7`.
    pub short: String,
    /// Whether the year before had responses.
    pub previous: bool,
    /// Departments with a group this year; index 0 is the organisation.
    pub departments: Departments,
    /// Groups in the scores CSV's order.
    pub groups: Groups,
    /// Category values of shown groups.
    pub cells: Cells,
    /// Comparisons with the rest of the city of shown departments' cells.
    pub city: CityCells,
    /// Item results of the organisation and shown departments as a whole.
    pub items: ItemCells,
    /// The driver analysis of the report's year; null for earlier years.
    pub drivers: Option<Drivers>,
    /// The survey's targets (categories, then 総合) as the committee report prints them.
    pub plan: Vec<PlanRow>,
    /// The plan's other indicators (indicators.csv) as printed.
    pub indicators: Vec<PlanRow>,
}

/// Departments, in columns.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Departments {
    /// Code (`ALL` first).
    pub code: Vec<String>,
    /// Name (`市全体` first).
    pub name: Vec<String>,
    /// Index of the parent department, or null for the organisation and 部.
    pub parent: Vec<Option<usize>>,
    /// Depth in the tree: 0 for the organisation, 1 for a 部.
    pub depth: Vec<usize>,
    /// The codes of the year before each department continues, where they
    /// are not its own code (org.csv's previous_codes), for trends.
    pub previous: BTreeMap<String, Vec<String>>,
}

/// Groups, in columns.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Groups {
    /// Index into `departments`.
    pub department: Vec<usize>,
    /// `[demographic, value]` indices, or null for the whole group.
    pub cut: Vec<Option<(usize, usize)>>,
    /// Why the group is hidden, or null when shown.
    pub hidden: Vec<Option<HiddenReason>>,
    /// Respondents of a shown group.
    pub respondents: Vec<Option<usize>>,
    /// Response rate of a shown whole group, in tenths of a percent.
    pub rate: Vec<Option<i64>>,
    /// Headcount of a shown whole group's subtree.
    pub headcount: Vec<Option<u64>>,
}

/// Category values of shown groups, in columns (in tenths).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Cells {
    /// Respondents with a score there.
    pub n: Vec<Option<u64>>,
    /// Mean score.
    pub score: Vec<Option<i64>>,
    /// Favorable rate, %.
    pub favorable: Vec<Option<i64>>,
    /// Change from last year; left out when no cell has one (a first year).
    #[serde(default, skip_serializing_if = "all_none")]
    pub delta: Vec<Option<i64>>,
    /// Cells whose change is significant after the family's adjustment (＊).
    pub delta_marked: Vec<usize>,
    /// Why a value is withheld, by cell index.
    pub withheld: BTreeMap<usize, HiddenReason>,
}

/// A shown department's values against the rest of the city (in tenths).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CityCells {
    /// The department's score minus the rest of the city's (the tested difference).
    pub difference: Vec<Option<i64>>,
    /// Indices (into `difference`) whose difference is significant (＊).
    pub marked: Vec<usize>,
}

/// Item results, in columns (in tenths). For each group of `groups`, its
/// blocks one after another (each category's items, then the outcome
/// questions when the survey has them); a block withheld or absent has no
/// item cells, a shown one a cell per question of the block.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ItemCells {
    /// The groups with item results: indices into `groups` (whole, shown).
    pub groups: Vec<usize>,
    /// Why a block is withheld, by block index (group position × blocks + block).
    pub withheld: BTreeMap<usize, HiddenReason>,
    /// Blocks with no results at all (outcome questions nobody answered).
    pub absent: Vec<usize>,
    /// Respondents who answered the question.
    pub n: Vec<u64>,
    /// Mean score.
    pub score: Vec<i64>,
    /// Favorable rate, %.
    pub favorable: Vec<i64>,
    /// Change from last year; left out when no cell has one (a first year).
    #[serde(default, skip_serializing_if = "all_none")]
    pub delta: Vec<Option<i64>>,
    /// Cells whose change is significant within the group's items (＊).
    pub delta_marked: Vec<usize>,
    /// A department's item minus the rest of the city's.
    pub difference: Vec<Option<i64>>,
    /// Cells whose difference is significant within the department's items (＊).
    pub difference_marked: Vec<usize>,
}

/// The driver analysis of one year (DESIGN §10), for the organisation and
/// departments as a whole, as the reports print it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Drivers {
    /// Why the organisation has no analysis, as the reports say it; null when it has one.
    pub note: Option<String>,
    /// Fewest complete respondents a group needs for its analysis.
    pub min_respondents: u64,
    /// The analysed groups (the organisation first).
    pub groups: Vec<DriverGroup>,
}

/// One group's driver analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverGroup {
    /// Index into the year's `departments`.
    pub department: usize,
    /// Respondents in the analysis.
    pub n: u64,
    /// R² in % with its interval and the adjusted R², as printed.
    pub r2: String,
    /// Whether its own importance is only a reference (fewer than 100
    /// complete respondents): the chart and 区分 use the organisation's.
    pub reference: bool,
    /// The sentences the reports print under the chart.
    pub sentences: Vec<String>,
    /// Per category in survey order: importance (share of R², in tenths of
    /// a percent) and its 95 % interval — the organisation's where
    /// `reference` — the score (tenths), the correlation with the outcome
    /// (hundredths) and the quadrant (0 重点改善, 1 強みの維持, 2 現状維持, 3 改善検討).
    pub share: Vec<i64>,
    /// Lower end of the importance's 95 % interval.
    pub share_low: Vec<i64>,
    /// Upper end.
    pub share_high: Vec<i64>,
    /// The category's own importance where `reference` (the printed 参考 value); else empty.
    pub own_share: Vec<i64>,
    /// The score.
    pub score: Vec<i64>,
    /// The correlation with the outcome score.
    pub correlation: Vec<i64>,
    /// The quadrant.
    pub quadrant: Vec<u8>,
    /// The categories by the group's own importance, largest first (the
    /// reports' table order, decided on unrounded shares).
    pub order: Vec<usize>,
}

/// A target's row as the committee report prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRow {
    /// Category id, `overall` or indicator id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// How it is judged.
    pub kind: String,
    /// Baseline with its year.
    pub baseline: String,
    /// Target with its year.
    pub target: String,
    /// Last year's value.
    pub previous: String,
    /// This year's value.
    pub value: String,
    /// Change from last year, with ＊ when significant.
    pub delta: String,
    /// This year's 目安 (goals to reach).
    pub trajectory: String,
    /// 進捗率 (goals to reach whose target lies ahead).
    pub achievement: String,
    /// A floor goal's margin.
    pub margin: String,
    /// The status as printed.
    pub status: String,
    /// Its colour key (achieved, on_track, behind, worse, missed, no_data, tracked).
    pub status_key: String,
    /// This year's value (unrounded) for the chart.
    pub number: Option<f64>,
    /// This year's 目安 (the trajectory, or a floor itself) for the chart.
    pub yardstick: Option<f64>,
    /// The target value for the chart.
    pub goal: Option<f64>,
}

impl From<TargetRow> for PlanRow {
    fn from(t: TargetRow) -> PlanRow {
        PlanRow {
            id: t.id,
            name: t.name,
            unit: t.unit,
            kind: t.kind,
            baseline: t.baseline,
            target: t.target,
            previous: t.previous,
            value: t.value,
            delta: format!("{}{}", t.delta, t.significance),
            trajectory: t.trajectory,
            achievement: t.achievement,
            margin: t.margin,
            status: t.status,
            status_key: t.status_key,
            number: t.number,
            yardstick: t.yardstick,
            goal: t.goal,
        }
    }
}

/// Whether a column holds no value at all (then it is left out of the block).
fn all_none(column: &[Option<i64>]) -> bool {
    column.iter().all(Option::is_none)
}

/// Returns a value rounded to one decimal, as the reports print it.
pub fn one(v: f64) -> f64 {
    // Rounding through the printed form gives the reports' digits exactly.
    format!("{v:.1}").parse().unwrap_or(v)
}

/// Returns a value in tenths as the reports print it: 62.34 is `623`.
pub fn tenths(v: f64) -> i64 {
    (one(v) * 10.0).round() as i64
}

/// Returns a value in hundredths as printed with two decimals: 0.534 is `53`.
pub fn hundredths(v: f64) -> i64 {
    (format!("{v:.2}").parse::<f64>().unwrap_or(v) * 100.0).round() as i64
}

/// Whether a group's cells carry a comparison with the rest of the city.
pub fn compared_with_city(g: &Group) -> bool {
    g.department != ALL && g.cut.is_none()
}

/// Builds the data block of the years up to `year` from the model's published values.
pub fn build(model: &ScoresModel, year: FiscalYear) -> Data {
    let mut categories: Vec<Named> =
        model.categories.iter().map(|c| Named { id: c.id.clone(), name: c.name.clone() }).collect();
    categories.push(Named { id: crate::config::plan::OVERALL.to_string(), name: "総合".to_string() });
    Data {
        format: 2,
        survey: model.survey_title.clone(),
        organization: model.organization.clone(),
        year: year.0,
        k: model.min_group_size,
        categories,
        demographics: model
            .demographics
            .iter()
            .map(|d| Demographic { name: d.name.clone(), values: d.values.clone() })
            .collect(),
        items: questions(model),
        palette: Palette {
            low: palette::HEAT_LOW,
            mid: palette::HEAT_MID,
            high: palette::HEAT_HIGH,
            span: palette::HEATMAP_SPAN,
            pale: palette::HEAT_PALE,
        },
        years: model.years.iter().filter(|y| y.year <= year).map(|y| build_year(model, y, y.year == year)).collect(),
    }
}

/// The questions in the order of the item blocks: each category's items,
/// then the outcome questions.
fn questions(model: &ScoresModel) -> Vec<Item> {
    let mut out = Vec::new();
    for (c, cat) in model.categories.iter().enumerate() {
        for info in cat.items.iter().filter_map(|id| model.items.iter().find(|i| &i.id == id)) {
            out.push(Item {
                id: info.id.clone(),
                label: info.label.clone(),
                text: info.text.clone(),
                category: Some(c),
                reverse: info.reverse,
            });
        }
    }
    for o in &model.outcomes {
        out.push(Item {
            id: o.id.clone(),
            label: o.text.clone(),
            text: o.text.clone(),
            category: None,
            reverse: o.reverse,
        });
    }
    out
}

/// One year's values; `drivers` for the report's year.
fn build_year(model: &ScoresModel, y: &YearResult, with_drivers: bool) -> Year {
    let mut departments = Departments::default();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for g in y.groups.iter().filter(|g| g.cut.is_none()) {
        index.insert(&g.department, departments.code.len());
        departments.code.push(g.department.clone());
        departments.name.push(if g.department == ALL { CITY_NAME.to_string() } else { g.department_name.clone() });
        departments.depth.push(g.depth);
        if let Some(prev) = y.predecessors.get(&g.department).filter(|p| p.as_slice() != [g.department.clone()]) {
            departments.previous.insert(g.department.clone(), prev.clone());
        }
    }
    // Parents after all codes are known: org.csv may list a 課 before its 部.
    departments.parent = y
        .groups
        .iter()
        .filter(|g| g.cut.is_none())
        .map(|g| g.parent.as_deref().and_then(|p| index.get(p).copied()))
        .collect();
    let mut groups = Groups::default();
    let mut cells = Cells::default();
    let mut city = CityCells::default();
    let mut items = ItemCells::default();
    for g in &y.groups {
        let Some(&dept) = index.get(g.department.as_str()) else { continue };
        groups.department.push(dept);
        groups.cut.push(g.cut.as_ref().zip(g.cut_value.as_ref()).and_then(|(c, v)| {
            let d = model.demographics.iter().position(|d| &d.name == c)?;
            Some((d, model.demographics[d].values.iter().position(|x| x == v)?))
        }));
        groups.hidden.push(g.visibility.reason());
        let fig = g.shown();
        groups.respondents.push(fig.map(|f| f.respondents));
        groups.rate.push(fig.and_then(|f| f.response_rate).map(tenths));
        groups.headcount.push(fig.and_then(|f| f.headcount));
        let Some(fig) = fig else { continue };
        for s in &fig.scores {
            let at = cells.n.len();
            let shown = s.visibility.shown();
            if let Some(reason) = s.visibility.reason() {
                cells.withheld.insert(at, reason);
            }
            cells.n.push(shown.map(|f| f.n));
            cells.score.push(shown.map(|f| tenths(f.score)));
            cells.favorable.push(shown.and_then(|f| f.favorable).map(tenths));
            let change = shown.and_then(|f| f.change);
            cells.delta.push(change.map(|c| tenths(c.delta)));
            if change.is_some_and(|c| c.fdr_significant) {
                cells.delta_marked.push(at);
            }
            if compared_with_city(g) {
                let versus = shown.and_then(|f| f.versus_city);
                if versus.is_some_and(|v| v.significant) {
                    city.marked.push(city.difference.len());
                }
                city.difference.push(versus.map(|v| tenths(v.difference)));
            }
        }
        if g.cut.is_none() {
            push_items(model, &mut items, groups.department.len() - 1, fig);
        }
    }
    let plan =
        target_rows(model, y, y.group(ALL, None).and_then(Group::shown)).into_iter().map(PlanRow::from).collect();
    let indicators = y.indicators.iter().map(|p| PlanRow::from(target_row(p, None, false))).collect();
    let drivers = y.drivers.as_ref().filter(|_| with_drivers).map(|d| Drivers {
        note: d.note.clone(),
        min_respondents: crate::aggregate::drivers::MIN_RESPONDENTS,
        groups: d
            .groups
            .iter()
            .filter(|gd| gd.cut.is_none())
            .filter_map(|gd| Some(driver_group(model, y, gd, *index.get(gd.department.as_str())?, d.group(ALL))))
            .collect(),
    });
    Year {
        year: y.year.0,
        label: y.label.clone(),
        short: y.year.short(),
        previous: y.has_previous,
        departments,
        groups,
        cells,
        city,
        items,
        drivers,
        plan,
        indicators,
    }
}

/// The number of item blocks of a group: one per category, and one for the
/// outcome questions when the survey has them.
pub fn item_blocks(model: &ScoresModel) -> usize {
    model.categories.len() + usize::from(!model.outcomes.is_empty())
}

/// Appends a shown whole group's item blocks (`group` indexes the year's groups).
fn push_items(model: &ScoresModel, items: &mut ItemCells, group: usize, fig: &crate::aggregate::model::Figures) {
    let position = items.groups.len();
    items.groups.push(group);
    let blocks = item_blocks(model);
    for b in 0..blocks {
        let block =
            if b < model.categories.len() { fig.items.get(b).map(|x| &x.visibility) } else { fig.outcomes.as_ref() };
        let at = position * blocks + b;
        match block.map(Published::shown) {
            None => items.absent.push(at),
            Some(None) => {
                if let Some(reason) = block.and_then(Published::reason) {
                    items.withheld.insert(at, reason);
                }
            }
            Some(Some(scores)) => scores.iter().for_each(|s| push_item(items, s)),
        }
    }
}

fn push_item(items: &mut ItemCells, s: &ItemScore) {
    let at = items.n.len();
    items.n.push(s.n);
    items.score.push(tenths(s.score));
    items.favorable.push(tenths(s.favorable));
    items.delta.push(s.change.map(|c| tenths(c.delta)));
    if s.change.is_some_and(|c| c.fdr_significant) {
        items.delta_marked.push(at);
    }
    items.difference.push(s.versus_city.map(|v| tenths(v.difference)));
    if s.versus_city.is_some_and(|v| v.significant) {
        items.difference_marked.push(at);
    }
}

/// The page's number of a quadrant.
fn quadrant_key(q: Quadrant) -> u8 {
    match q {
        Quadrant::Improve => 0,
        Quadrant::Keep => 1,
        Quadrant::Maintain => 2,
        Quadrant::Watch => 3,
    }
}

/// A whole group's driver analysis as the reports print it.
fn driver_group(
    model: &ScoresModel,
    y: &YearResult,
    gd: &GroupDrivers,
    department: usize,
    city: Option<&GroupDrivers>,
) -> DriverGroup {
    let whose = if gd.department == ALL {
        CITY_NAME.to_string()
    } else {
        y.group(&gd.department, None).map(|g| g.department_name.clone()).unwrap_or_default()
    };
    let summary = importance::summary(model, &y.progress, gd, &whose);
    let basis = importance::basis(gd, city);
    DriverGroup {
        department,
        n: gd.n,
        r2: summary.r2,
        reference: gd.reference,
        sentences: summary.sentences,
        share: basis.categories.iter().map(|c| tenths(c.share)).collect(),
        share_low: basis.categories.iter().map(|c| tenths(c.share_interval.0)).collect(),
        share_high: basis.categories.iter().map(|c| tenths(c.share_interval.1)).collect(),
        own_share: if gd.reference { gd.categories.iter().map(|c| tenths(c.share)).collect() } else { Vec::new() },
        score: gd.categories.iter().map(|c| tenths(c.score)).collect(),
        correlation: gd.categories.iter().map(|c| hundredths(c.correlation)).collect(),
        quadrant: gd.categories.iter().map(|c| quadrant_key(c.quadrant)).collect(),
        order: importance::by_importance(gd),
    }
}
