//! `ishiki check WORKSPACE`: validates every input and lists every problem
//! with its place; a clean workspace gets a short summary per year.

use std::path::PathBuf;

use anyhow::Result;
use polars::prelude::*;

use crate::cli::CheckArgs;
use crate::cmd::UsageError;
use crate::config::year::FiscalYear;
use crate::ingest::{self, Workspace};
use crate::output::{print_problems, println};
use crate::problem::InputError;

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
    let counts = ws
        .responses
        .df
        .clone()
        .lazy()
        .group_by_stable([col("year")])
        .agg([len().alias("n"), col("department").n_unique().alias("depts")])
        .sort(["year"], SortMultipleOptions::default())
        .collect()?;
    let harassment_counts = match &ws.harassment {
        Some(h) => Some(h.df.clone().lazy().group_by_stable([col("year")]).agg([len().alias("n")]).collect()?),
        None => None,
    };
    let years = counts.column("year")?.i32()?.clone();
    let n = counts.column("n")?.cast(&DataType::UInt64)?;
    let n = n.u64()?;
    let depts = counts.column("depts")?.cast(&DataType::UInt64)?;
    let depts = depts.u64()?;
    let mut out = Vec::new();
    for i in 0..counts.height() {
        let year = FiscalYear(years.get(i).unwrap_or(0));
        let org = ws.org.year(year);
        let harassment_respondents = match &harassment_counts {
            Some(h) => {
                let ys = h.column("year")?.i32()?;
                let ns = h.column("n")?.cast(&DataType::UInt64)?;
                let ns = ns.u64()?;
                (0..h.height()).find(|&k| ys.get(k) == Some(year.0)).and_then(|k| ns.get(k)).map(|v| v as usize)
            }
            None => None,
        };
        out.push(YearSummary {
            year,
            respondents: n.get(i).unwrap_or(0) as usize,
            departments: org.map(|o| o.departments.len()).unwrap_or(0),
            departments_with_respondents: depts.get(i).unwrap_or(0) as usize,
            headcount: org.map(|o| o.total_headcount()).unwrap_or(0),
            harassment_respondents,
        });
    }
    Ok(out)
}

/// Checked options of `check`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Workspace folder.
    pub workspace: PathBuf,
}

impl TryFrom<CheckArgs> for Options {
    type Error = UsageError;

    fn try_from(a: CheckArgs) -> Result<Options, UsageError> {
        Ok(Options { workspace: a.workspace })
    }
}

/// Checks the workspace; prints the summary, or fails with every problem.
pub fn execute(opts: Options) -> Result<()> {
    let (workspace, problems) = ingest::load(&opts.workspace);
    let Some(ws) = workspace else {
        return Err(InputError(problems).into());
    };
    print_problems(&problems);
    println("問題は見つかりませんでした。");
    println("");
    println("読み込んだファイル:");
    for f in ws.responses.files.iter().chain(ws.harassment.iter().flat_map(|h| h.files.iter())) {
        let total: usize = f.rows.values().sum();
        println(&format!("  {}（{}）: {}人", f.file, f.format, total));
    }
    println("");
    println("年度ごとの回答状況:");
    for s in summarize(&ws)? {
        let rate = s.response_rate().map(|r| format!("{r:.1}%")).unwrap_or_else(|| "—".into());
        let harassment = s.harassment_respondents.map(|n| format!("、ハラスメント調査 {n}人")).unwrap_or_default();
        println(&format!(
            "  {}: 回答者 {}人 / 職員 {}人（回答率 {rate}）、所属 {}（回答あり {}）{harassment}",
            s.year, s.respondents, s.headcount, s.departments, s.departments_with_respondents
        ));
    }
    Ok(())
}
