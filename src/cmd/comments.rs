//! `ishiki comments WORKSPACE --year Y --out FILE.xlsx`: the HR division's
//! comments workbook (DESIGN §8) of one year, written atomically like every
//! output: the free-text answers read, drafted and ordered
//! ([`crate::comments::review`]), rendered ([`crate::export::comments_xlsx`]),
//! then moved into place in one rename.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, bail};

use crate::cli::CommentsArgs;
use crate::clock::Date;
use crate::cmd::{UsageError, out_outside_inputs, output_date};
use crate::comments::{Masker, review};
use crate::config::year::FiscalYear;
use crate::export::{self, Format, comments_xlsx, workbook_date, write_atomically};
use crate::ingest::{self, Needs, Workspace};
use crate::output::{print_problems, println, trace};
use crate::problem::InputError;

/// Checked options of `comments`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Workspace folder.
    pub workspace: PathBuf,
    /// The year whose comments are reviewed.
    pub year: FiscalYear,
    /// The workbook to write.
    pub out: PathBuf,
    /// Date written into the workbook's metadata.
    pub date: Date,
}

impl TryFrom<CommentsArgs> for Options {
    type Error = UsageError;

    fn try_from(a: CommentsArgs) -> Result<Options, UsageError> {
        if Format::from_path(&a.out) != Some(Format::Xlsx) {
            return Err(UsageError(format!(
                "--out の「{}」は拡張子を .xlsx にしてください（自由記述の一覧は Excel ファイルです）",
                a.out.display()
            )));
        }
        out_outside_inputs(&a.workspace, &a.out)?;
        Ok(Options { date: output_date(None)?, workspace: a.workspace, year: a.year, out: a.out })
    }
}

/// Every name org.csv gives a department in any year: what the masking hides as 〔所属〕.
pub(crate) fn org_names(ws: &Workspace) -> Vec<String> {
    let mut names: Vec<String> =
        ws.org.years.values().flat_map(|o| o.departments.iter().map(|d| d.name.clone())).collect();
    names.sort();
    names.dedup();
    names
}

/// Runs `comments`.
pub fn execute(opts: Options) -> Result<()> {
    export::stop_cleanly_on_signals();
    let (workspace, problems) = ingest::load_with(&opts.workspace, Needs::ALL);
    let Some(ws) = workspace else {
        return Err(InputError(problems).into());
    };
    print_problems(&problems);
    if !ws.survey.has_comment_questions() {
        bail!(
            "survey.toml に自由記述の設問（[[comments]]）がありません。自由記述の列を [[comments]] に id・text・header で書いてください（古い columns.free_text は読み飛ばすだけです）"
        );
    }
    let years: Vec<FiscalYear> = ws.responses.files.iter().flat_map(|f| f.rows.keys().copied()).collect();
    if !years.contains(&opts.year) {
        let mut have: Vec<FiscalYear> = years;
        have.sort();
        have.dedup();
        let have: Vec<String> = have.iter().map(|y| y.era()).collect();
        bail!("{}の回答がありません（回答がある年度: {}）", opts.year.era(), have.join("、"));
    }
    let started = Instant::now();
    let masker = Masker::new(&org_names(&ws))?;
    trace("dictionary and masker", started);
    let started = Instant::now();
    let review = review::build(&ws, opts.year, &masker)?;
    trace("comments analysed", started);
    let started = Instant::now();
    let bytes = comments_xlsx::render(&review, workbook_date(opts.date)?)?;
    trace("workbook rendered", started);
    let started = Instant::now();
    let _held = export::FolderLock::hold(&export::folder_of(&opts.out), export::WhenHeld::Wait)?;
    write_atomically(&opts.out, &bytes)?;
    trace("workbook written", started);
    println(&format!("自由記述の確認用一覧を書き出しました: {}（{}）", opts.out.display(), opts.year));
    for sheet in &review.sheets {
        let shown = sheet.rows.iter().filter(|r| r.bu.is_some()).count();
        let bu = if sheet.harassment { String::new() } else { format!("、部を示した行 {shown}件") };
        println(&format!(
            "  シート「{}」: 記述 {}件（要確認 {}件{bu}）",
            comments_xlsx::sheet_name(sheet),
            sheet.rows.len(),
            sheet.flagged()
        ));
    }
    println("  人事担当課の中だけで扱ってください（原文を含みます）。");
    Ok(())
}
