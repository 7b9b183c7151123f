//! `ishiki check WORKSPACE`: validates every input and lists every problem
//! with its place; a clean workspace gets a short summary per year, and a
//! note for each survey goal whose baseline in plan.toml disagrees with the
//! score computed from that year's responses.

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::aggregate::counts::{baseline_year_scores, summarize};
use crate::aggregate::progress::{BASELINE_TOLERANCE, baseline_disagrees};
use crate::cli::CheckArgs;
use crate::cmd::UsageError;
use crate::ingest;
use crate::ingest::Workspace;
use crate::output::{print_problems, println};
use crate::problem::{InputError, Place, Problems};

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
    let mut problems = problems;
    note_disagreeing_baselines(&ws, &mut problems)?;
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

/// Notes each survey goal whose baseline in plan.toml lies more than
/// [`BASELINE_TOLERANCE`] from the whole organisation's score that ishiki
/// computes for the baseline year; goals whose baseline year has no
/// responses in the workspace (or a score withheld under k) are not compared.
fn note_disagreeing_baselines(ws: &Workspace, problems: &mut Problems) -> Result<()> {
    let computed = baseline_year_scores(ws).context("基準年度の点数を計算できません")?;
    for (goal, computed) in computed {
        let Some((year, planned)) = goal.baseline else { continue };
        if baseline_disagrees(goal, computed) {
            problems.note(
                Place::File("plan.toml".into()),
                format!(
                    "{}（{}）の基準値 {planned}（{}）が、その年度の回答から計算した全体の点数 {computed:.2} と{BASELINE_TOLERANCE}点を超えて違います（計画と回答データが食い違っていると、目標値に近い判定は当てになりません。基準値か回答ファイルを確かめてください）",
                    goal.name,
                    goal.id,
                    year.era(),
                ),
            );
        }
    }
    Ok(())
}
