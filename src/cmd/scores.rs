//! `ishiki scores WORKSPACE [--year Y] --out FILE`: the scores model written
//! as CSV (DESIGN §7), JSON or Excel, chosen by the file's extension.

use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::aggregate::{self, model::ScoresModel};
use crate::cli::ScoresArgs;
use crate::clock::Date;
use crate::cmd::{UsageError, out_outside_inputs, output_date};
use crate::config::year::FiscalYear;
use crate::export::{self, Format, render, write_atomically};
use crate::ingest;
use crate::output::{print_problems, println};
use crate::problem::InputError;

/// Checked options of `scores`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Workspace folder.
    pub workspace: PathBuf,
    /// Only this year, or every year.
    pub year: Option<FiscalYear>,
    /// Output file.
    pub out: PathBuf,
    /// Its format.
    pub format: Format,
    /// Date written into the workbook's metadata.
    pub date: Date,
}

impl TryFrom<ScoresArgs> for Options {
    type Error = UsageError;

    fn try_from(a: ScoresArgs) -> Result<Options, UsageError> {
        let format = Format::from_path(&a.out).ok_or_else(|| {
            UsageError(format!("--out の「{}」は拡張子を .csv .json .xlsx のどれかにしてください", a.out.display()))
        })?;
        out_outside_inputs(&a.workspace, &a.out)?;
        Ok(Options { date: output_date(None)?, workspace: a.workspace, year: a.year, out: a.out, format })
    }
}

/// Keeps only `year` in the model; fails if it has no responses.
pub fn select_year(mut model: ScoresModel, year: Option<FiscalYear>) -> Result<ScoresModel> {
    if let Some(year) = year {
        if model.year(year).is_none() {
            let have: Vec<String> = model.years.iter().map(|y| y.year.era()).collect();
            bail!("{}の回答がありません（回答がある年度: {}）", year.era(), have.join("、"));
        }
        model.years.retain(|y| y.year == year);
    }
    Ok(model)
}

/// Runs `scores`.
pub fn execute(opts: Options) -> Result<()> {
    export::stop_cleanly_on_signals();
    let started = std::time::Instant::now();
    // The scores CSV holds neither items nor the harassment survey: read and compute only what it needs.
    let full = opts.format != Format::Csv;
    let (workspace, problems) = ingest::load_with(&opts.workspace, ingest::Needs { harassment: full, comments: false });
    crate::output::trace("ingest", started);
    let Some(ws) = workspace else {
        return Err(InputError(problems).into());
    };
    print_problems(&problems);
    let t = std::time::Instant::now();
    let model = select_year(
        aggregate::aggregate(
            &ws,
            match (full, opts.year) {
                (false, _) => aggregate::Detail::CSV,
                (true, None) => aggregate::Detail::FULL,
                (true, Some(year)) => aggregate::Detail::full_for(year),
            },
        )?,
        opts.year,
    )?;
    crate::output::trace("aggregate", t);
    let t = std::time::Instant::now();
    let bytes = render(&model, opts.format, opts.date)?;
    let _held = export::FolderLock::hold(&export::folder_of(&opts.out), export::WhenHeld::Wait)?;
    write_atomically(&opts.out, &bytes)?;
    crate::output::trace("write", t);
    println(&format!("書き出しました: {}", opts.out.display()));
    Ok(())
}
