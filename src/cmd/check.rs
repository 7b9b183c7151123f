//! `ishiki check WORKSPACE`: validates every input and lists every problem
//! with its place; a clean workspace gets a short summary per year.

use std::path::PathBuf;

use anyhow::Result;

use crate::aggregate::counts::summarize;
use crate::cli::CheckArgs;
use crate::cmd::UsageError;
use crate::ingest;
use crate::output::{print_problems, println};
use crate::problem::InputError;

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
