//! `ishiki report WORKSPACE --year Y --out DIR`: the committee report, one
//! feedback packet per department and the analysts' workbook, each written
//! atomically; `--only` and `--department` narrow what is written.
//!
//! The Typst engine and its fonts are built once; packets render in parallel
//! on every core, with a progress bar on a terminal.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::aggregate::{self, Detail, model::ScoresModel};
use crate::cli::Only;
use crate::clock::Date;
use crate::cmd::scores::{Format, render};
use crate::config::year::FiscalYear;
use crate::export::write_atomically;
use crate::ingest::{self, Workspace};
use crate::output::{print_problems, println, trace};
use crate::problem::InputError;
use crate::report::department::PacketContext;
use crate::report::engine::Engine;
use crate::report::{department, render_committee, render_packet};

/// Checked options of `report`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Workspace folder.
    pub workspace: PathBuf,
    /// The year reported.
    pub year: FiscalYear,
    /// Output folder.
    pub out: PathBuf,
    /// Only one kind of output.
    pub only: Option<Only>,
    /// Only this department's packet.
    pub department: Option<String>,
    /// Folder of templates overriding the embedded ones.
    pub templates: Option<PathBuf>,
    /// Date printed on the reports and set in their metadata.
    pub date: Date,
}

/// Returns a file-name-safe version of a department name.
pub fn file_name_part(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '\0'..='\u{1f}' => '_',
            c if c.is_whitespace() => '_',
            c => c,
        })
        .collect()
}

/// Runs `report`.
pub fn execute(opts: Options) -> Result<()> {
    let started = Instant::now();
    let (workspace, problems) = ingest::load(&opts.workspace);
    let Some(ws) = workspace else {
        return Err(InputError(problems).into());
    };
    print_problems(&problems);
    let model = aggregate::aggregate(&ws, Detail::FULL)?;
    if model.year(opts.year).is_none() {
        let have: Vec<String> = model.years.iter().map(|y| y.year.era()).collect();
        bail!("{}の回答がありません（回答がある年度: {}）", opts.year.era(), have.join("、"));
    }
    trace("load and aggregate", started);
    let engine = Engine::new(opts.templates.as_deref()).context("報告書のテンプレートを準備できません")?;
    std::fs::create_dir_all(&opts.out).with_context(|| format!("フォルダ {} を作れません", opts.out.display()))?;

    let packets_only = opts.department.is_some() || opts.only == Some(Only::Departments);
    if !packets_only {
        let t = Instant::now();
        let path = opts.out.join(format!("committee_{}.pdf", opts.year.0));
        let bytes =
            render_committee(&engine, &model, opts.year, opts.date).context("委員会向け報告書を作れませんでした")?;
        write_atomically(&path, &bytes)?;
        println(&format!("委員会向け報告書: {}", path.display()));
        trace("committee", t);
    }
    if opts.only != Some(Only::Committee) {
        let t = Instant::now();
        let written = write_packets(&engine, &ws, &model, &opts)?;
        println(&format!("所属長向けフィードバック: {written}件（{}）", opts.out.join("departments").display()));
        trace("packets", t);
    }
    if opts.only.is_none() && opts.department.is_none() {
        let path = opts.out.join(format!("scores_{}.xlsx", opts.year.0));
        let mut one_year = model.clone();
        one_year.years.retain(|y| y.year == opts.year);
        let bytes = render(&one_year, Format::Xlsx, opts.date)?;
        write_atomically(&path, &bytes)?;
        println(&format!("集計表: {}", path.display()));
    }
    Ok(())
}

/// Renders and writes the packets; returns how many were written.
fn write_packets(engine: &Engine, ws: &Workspace, model: &ScoresModel, opts: &Options) -> Result<usize> {
    let mut departments = department::departments_with_respondents(model, opts.year);
    if let Some(code) = &opts.department {
        departments.retain(|(c, _)| c == code);
        if departments.is_empty() {
            bail!("所属コード「{code}」は{}の回答がある所属にありません", opts.year.era());
        }
    }
    let dir = opts.out.join("departments");
    std::fs::create_dir_all(&dir).with_context(|| format!("フォルダ {} を作れません", dir.display()))?;
    let ctx = PacketContext { survey: &ws.survey, plan: &ws.plan, org: &ws.org, date: opts.date };
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(departments.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} 所属 {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let done = AtomicUsize::new(0);
    let results: Vec<Result<(), anyhow::Error>> = departments
        .par_iter()
        .map(|(code, name)| {
            let path = dir.join(format!("{code}_{}.pdf", file_name_part(name)));
            let result = render_packet(engine, model, &ctx, opts.year, code)
                .and_then(|bytes| write_atomically(&path, &bytes))
                .with_context(|| format!("所属「{code} {name}」のフィードバックを作れませんでした"));
            done.fetch_add(1, Ordering::Relaxed);
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();
    // Earlier packets stay written; the first failure is reported with its department.
    let mut failures = results.into_iter().filter_map(Result::err);
    if let Some(first) = failures.next() {
        let more = failures.count();
        if more > 0 {
            return Err(first.context(format!("ほかに{more}所属で失敗しました")));
        }
        return Err(first);
    }
    Ok(done.load(Ordering::Relaxed))
}
