//! The explorer's data block: the scores model's published values for the
//! years up to the report's, in columns so that 200 departments × 4 years
//! stay within the file's size budget (DESIGN §9).
//!
//! Built from `Published` values only: a hidden group has its reason and no
//! figures; a withheld value inside a shown group has its reason and no
//! number. Numbers are rounded to one decimal as the reports print them
//! (`report::format::one`), so the page shows exactly the PDF's figures.
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

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::aggregate::model::{ALL, Group, HiddenReason, ScoresModel, YearResult};
use crate::config::year::FiscalYear;
use crate::palette;

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
    /// Response rate in % of a shown whole group (one decimal).
    pub rate: Vec<Option<f64>>,
    /// Headcount of a shown whole group's subtree.
    pub headcount: Vec<Option<u64>>,
}

/// Category values of shown groups, in columns (one decimal).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Cells {
    /// Respondents with a score there.
    pub n: Vec<Option<u64>>,
    /// Mean score.
    pub score: Vec<Option<f64>>,
    /// Favorable rate, %.
    pub favorable: Vec<Option<f64>>,
    /// Change from last year.
    pub delta: Vec<Option<f64>>,
    /// Cells whose change is significant after the family's adjustment (＊).
    pub delta_marked: Vec<usize>,
    /// Why a value is withheld, by cell index.
    pub withheld: BTreeMap<usize, HiddenReason>,
}

/// A shown department's values against the rest of the city (one decimal).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CityCells {
    /// The department's score minus the rest of the city's (the tested difference).
    pub difference: Vec<Option<f64>>,
    /// Indices (into `difference`) whose difference is significant (＊).
    pub marked: Vec<usize>,
}

/// Returns a value rounded to one decimal, as the reports print it.
pub fn one(v: f64) -> f64 {
    // Rounding through the printed form gives the reports' digits exactly.
    format!("{v:.1}").parse().unwrap_or(v)
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
        format: 1,
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
        palette: Palette {
            low: palette::HEAT_LOW,
            mid: palette::HEAT_MID,
            high: palette::HEAT_HIGH,
            span: palette::HEATMAP_SPAN,
            pale: palette::HEAT_PALE,
        },
        years: model.years.iter().filter(|y| y.year <= year).map(|y| build_year(model, y)).collect(),
    }
}

fn build_year(model: &ScoresModel, y: &YearResult) -> Year {
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
        groups.rate.push(fig.and_then(|f| f.response_rate).map(one));
        groups.headcount.push(fig.and_then(|f| f.headcount));
        let Some(fig) = fig else { continue };
        for s in &fig.scores {
            let at = cells.n.len();
            let shown = s.visibility.shown();
            if let Some(reason) = s.visibility.reason() {
                cells.withheld.insert(at, reason);
            }
            cells.n.push(shown.map(|f| f.n));
            cells.score.push(shown.map(|f| one(f.score)));
            cells.favorable.push(shown.and_then(|f| f.favorable).map(one));
            let change = shown.and_then(|f| f.change);
            cells.delta.push(change.map(|c| one(c.delta)));
            if change.is_some_and(|c| c.fdr_significant) {
                cells.delta_marked.push(at);
            }
            if compared_with_city(g) {
                let versus = shown.and_then(|f| f.versus_city);
                if versus.is_some_and(|v| v.significant) {
                    city.marked.push(city.difference.len());
                }
                city.difference.push(versus.map(|v| one(v.difference)));
            }
        }
    }
    Year {
        year: y.year.0,
        label: y.label.clone(),
        short: y.year.short(),
        previous: y.has_previous,
        departments,
        groups,
        cells,
        city,
    }
}
