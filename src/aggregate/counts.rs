//! Counts of respondents and departments per year, for `check`'s summary,
//! and the whole organisation's scores of one year, for its comparison of
//! plan.toml's baselines with the data.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use polars::prelude::*;

use crate::aggregate::scores::{respondent_scores, years_present};
use crate::config::plan::{Goal, OVERALL};
use crate::config::year::FiscalYear;
use crate::ingest::Workspace;

/// One year of the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct YearSummary {
    /// The fiscal year.
    pub year: FiscalYear,
    /// Respondents of the attitude survey.
    pub respondents: usize,
    /// Departments in org.csv that year.
    pub departments: usize,
    /// Departments with at least one respondent.
    pub departments_with_respondents: usize,
    /// Staff in org.csv that year.
    pub headcount: u64,
    /// Respondents of the harassment survey.
    pub harassment_respondents: Option<usize>,
}

impl YearSummary {
    /// Returns respondents over headcount, in %.
    pub fn response_rate(&self) -> Option<f64> {
        (self.headcount > 0).then(|| self.respondents as f64 / self.headcount as f64 * 100.0)
    }
}

/// Counts respondents and departments per year.
pub fn summarize(ws: &Workspace) -> PolarsResult<Vec<YearSummary>> {
    let df = &ws.responses.df;
    let years = df.column("year")?.i32()?;
    let departments = df.column("department")?;
    let harassment_years = match &ws.harassment {
        Some(h) => Some(h.df.column("year")?.i32()?),
        None => None,
    };
    let mut out = Vec::new();
    for year in years_present(df)? {
        let in_year = years.equal(year.0);
        let org = ws.org.year(year);
        let harassment_respondents = harassment_years.map(|h| h.equal(year.0).num_trues()).filter(|&n| n > 0);
        out.push(YearSummary {
            year,
            respondents: in_year.num_trues(),
            departments: org.map(|o| o.departments.len()).unwrap_or(0),
            departments_with_respondents: departments.filter(&in_year)?.n_unique()?,
            headcount: org.map(|o| o.total_headcount()).unwrap_or(0),
            harassment_respondents,
        });
    }
    Ok(out)
}

/// Pairs each survey goal that has a baseline with the whole organisation's
/// score ishiki computes for its baseline year, in plan order; goals whose
/// baseline year has no responses in the workspace, or whose score is
/// withheld under k, are left out.
pub fn baseline_year_scores(ws: &Workspace) -> PolarsResult<Vec<(&Goal, f64)>> {
    let mut scores_of: BTreeMap<FiscalYear, Vec<Option<f64>>> = BTreeMap::new();
    let mut out = Vec::new();
    for goal in &ws.plan.survey_targets {
        let Some((year, _)) = goal.baseline else { continue };
        let c = match goal.id.as_str() {
            OVERALL => ws.survey.categories.len(),
            id => match ws.survey.categories.iter().position(|cat| cat.id == id) {
                Some(c) => c,
                None => continue,
            },
        };
        let scores = match scores_of.entry(year) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(organisation_scores(ws, year)?),
        };
        if let Some(computed) = scores.get(c).copied().flatten() {
            out.push((goal, computed));
        }
    }
    Ok(out)
}

/// Returns the whole organisation's score per category and overall (overall
/// last) in `year`, as the scores model's ALL group holds it: the mean of the
/// respondents' scores; `None` for a score fewer than k respondents have (the
/// model withholds it). Empty when the year has no responses. Only that
/// year's rows are scored, and no group, test or withholding is computed.
pub fn organisation_scores(ws: &Workspace, year: FiscalYear) -> PolarsResult<Vec<Option<f64>>> {
    let df = &ws.responses.df;
    let rows = df.filter(&df.column("year")?.i32()?.equal(year.0))?;
    if rows.height() == 0 {
        return Ok(Vec::new());
    }
    let scored = respondent_scores(&rows, &ws.survey, false)?;
    (0..=ws.survey.categories.len())
        .map(|c| {
            let scores = scored.column(&format!("score{c}"))?.f64()?;
            let n = scores.len() - scores.null_count();
            Ok((n > 0 && n >= ws.survey.min_group_size).then(|| scores.sum().unwrap_or(0.0) / n as f64))
        })
        .collect()
}
