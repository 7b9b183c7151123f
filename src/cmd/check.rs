//! `ishiki check WORKSPACE`: validates every input (free-text answers
//! included) and lists every problem with its place; a clean workspace gets
//! a short summary per year, a note for each survey goal whose baseline in
//! plan.toml disagrees with the score computed from that year's responses,
//! and a note on how to upgrade an old `columns.free_text` to `[[comments]]`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::aggregate::counts::{baseline_year_scores, summarize};
use crate::aggregate::progress::{BASELINE_TOLERANCE, baseline_disagrees};
use crate::cli::CheckArgs;
use crate::cmd::UsageError;
use crate::config::comments::CommentQuestion;
use crate::config::year::FiscalYear;
use crate::ingest;
use crate::ingest::{Comment, Workspace};
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
    if let Some((place, note)) = ws.survey.free_text_note() {
        problems.note(place, note);
    }
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
    print_comment_counts(&ws);
    Ok(())
}

/// Prints how many comments each free-text question has per year (texts never).
fn print_comment_counts(ws: &Workspace) {
    let mut lines: Vec<String> = Vec::new();
    let mut count = |survey: &str, questions: &[CommentQuestion], comments: &[Comment]| {
        for (q, question) in questions.iter().enumerate() {
            let mut per_year: BTreeMap<FiscalYear, usize> = BTreeMap::new();
            for c in comments.iter().filter(|c| c.question == q) {
                *per_year.entry(c.year).or_insert(0) += 1;
            }
            let counts: Vec<String> = per_year.iter().map(|(y, n)| format!("{} {n}件", y.era())).collect();
            let counts = if counts.is_empty() { "なし".to_string() } else { counts.join("、") };
            lines.push(format!("  {survey}{}: {counts}", question.id));
        }
    };
    count("", &ws.survey.comments, &ws.comments.staff);
    if let Some(h) = &ws.survey.harassment {
        count("ハラスメント調査 ", &h.comments, &ws.comments.harassment);
    }
    if !lines.is_empty() {
        println("");
        println("自由記述（「特になし」などを除いた記述の数）:");
        for line in lines {
            println(&line);
        }
    }
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
