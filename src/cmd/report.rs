//! `ishiki report WORKSPACE --year Y --out DIR`: the committee report, one
//! feedback packet per department, the analysts' workbook and the explorer
//! (an HTML file of every published value up to the year), each written
//! atomically; `--only` and `--department` narrow what is written.
//!
//! The Typst engine and its fonts are built once; packets render in parallel
//! on every core, with a progress bar on a terminal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::aggregate::{self, Detail, model::ScoresModel};
use crate::cli::{Only, ReportArgs};
use crate::clock::Date;
use crate::cmd::comments::org_names;
use crate::cmd::{UsageError, out_outside_inputs, output_date};
use crate::comments::summary::{self, QuestionSummary};
use crate::comments::{Masker, approved, review};
use crate::config::year::FiscalYear;
use crate::export::{FolderLock, Format, Staged, WhenHeld, commit, explorer, render, stage, stop_cleanly_on_signals};
use crate::ingest::department::Directory;
use crate::ingest::{self, Workspace};
use crate::output::{print_problems, println, trace};
use crate::problem::{InputError, Place, Problems};
use crate::report::department::PacketContext;
use crate::report::engine::Engine;
use crate::report::{department, render_committee, render_packet};
use crate::text::first_few;

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
    /// HR's reviewed comments workbook, whose approved rows the committee report prints.
    pub comments: Option<PathBuf>,
}

impl TryFrom<ReportArgs> for Options {
    type Error = UsageError;

    fn try_from(a: ReportArgs) -> Result<Options, UsageError> {
        out_outside_inputs(&a.workspace, &a.out)?;
        if a.comments.is_some()
            && (matches!(a.only, Some(Only::Departments | Only::Explorer)) || a.department.is_some())
        {
            return Err(UsageError(
                "--comments は委員会向け報告書に自由記述を載せるためのものです。--only departments・--only explorer や --department とは一緒に使えません（所属長向けフィードバックに自由記述は載りません）".into(),
            ));
        }
        Ok(Options {
            comments: a.comments,
            date: output_date(a.date.as_deref())?,
            workspace: a.workspace,
            year: a.year,
            out: a.out,
            only: a.only,
            department: a.department,
            templates: a.templates,
        })
    }
}

/// How many characters of a department's name a packet's file name keeps: a
/// file name may hold 255 bytes (a kanji takes three), and Windows counts the
/// whole path against 260 characters.
const NAME_CHARS_IN_FILE_NAMES: usize = 40;

/// Returns a file-name-safe version of a department name, cut short (with
/// 「…」) when long; the code before it keeps file names apart.
pub fn file_name_part(name: &str) -> String {
    let safe = name.chars().map(|c| match c {
        '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '\0'..='\u{1f}' => '_',
        c if c.is_whitespace() => '_',
        c => c,
    });
    if name.chars().count() <= NAME_CHARS_IN_FILE_NAMES {
        return safe.collect();
    }
    safe.take(NAME_CHARS_IN_FILE_NAMES - 1).chain(['…']).collect()
}

/// Runs `report`.
pub fn execute(mut opts: Options) -> Result<()> {
    stop_cleanly_on_signals();
    let started = Instant::now();
    // Comments are read only for the committee report's section (DESIGN §8);
    // packets and workbooks never see them.
    let what = Outputs::of(&opts);
    let needs = if what.committee { ingest::Needs::ALL } else { ingest::Needs::SCORES };
    let (workspace, problems) = ingest::load_with(&opts.workspace, needs);
    let Some(ws) = workspace else {
        return Err(InputError(problems).into());
    };
    print_problems(&problems);
    // Reports, their workbook and the explorer show the driver analysis of
    // the report's year only: no other year's is computed.
    let detail = Detail::full_for(opts.year);
    let model = aggregate::aggregate(&ws, detail)?;
    if model.year(opts.year).is_none() {
        let have: Vec<String> = model.years.iter().map(|y| y.year.era()).collect();
        bail!("{}の回答がありません（回答がある年度: {}）", opts.year.era(), have.join("、"));
    }
    if let Some(typed) = &opts.department {
        opts.department = Some(packet_department(&ws, &model, opts.year, typed)?);
    }
    trace("load and aggregate", started);
    let comments = if what.committee { comment_summaries(&ws, opts.year, opts.comments.as_deref())? } else { None };
    trace("comments", started);
    // Typst and its fonts only when a PDF is written (`--only explorer` needs neither).
    let engine = if what.committee || what.packets {
        Some(Engine::new(opts.templates.as_deref()).context("報告書のテンプレートを準備できません")?)
    } else {
        None
    };

    // Everything is rendered and written to temporary files first; only when
    // all succeeded are they moved into place (DESIGN §7: a failed run writes
    // nothing, and existing outputs stay as they were). The folder is held
    // until the run ends: another run neither writes there meanwhile nor takes
    // this one's temporary files for a killed run's, and dropped, the hold
    // removes the folders a failed run made.
    let held = FolderLock::hold(&opts.out, WhenHeld::Refuse)?;
    held.remove_temporaries_left_in(&opts.out.join("departments"));
    let (staged, lines) = stage_outputs(engine.as_ref(), &ws, &model, &opts, comments.as_deref())?;
    trace("staged", started);
    let written: Vec<PathBuf> = staged.iter().map(|s| s.path().to_path_buf()).collect();
    commit(staged)?;
    for line in lines {
        println(&line);
    }
    if what.packets && opts.department.is_none() {
        note_other_packets(&opts.out.join("departments"), &written);
    }
    Ok(())
}

/// The code of the department `--department` names (by code, name, or both,
/// as a response file may: [`Directory::resolve`]). One the year does not
/// have, or that no one of the year answered in, is a usage error naming the
/// closest departments.
fn packet_department(ws: &Workspace, model: &ScoresModel, year: FiscalYear, typed: &str) -> Result<String, UsageError> {
    let code = match ws.org.year(year) {
        Some(org) => Directory::new(org).with_history(&ws.org).suggesting_codes().resolve(typed).map(|(c, _)| c),
        None => Ok(typed.to_string()),
    }
    .map_err(|e| UsageError(format!("--department の{e}")))?;
    if department::departments_with_respondents(model, year).iter().any(|(c, _)| *c == code) {
        return Ok(code);
    }
    let name = ws.org.year(year).and_then(|o| o.get(&code)).map(|d| format!(" {}", d.name)).unwrap_or_default();
    Err(UsageError(format!(
        "--department の所属「{code}{name}」には{}の回答がないので、フィードバックを作れません",
        year.era()
    )))
}

/// What the committee report shows of the year's comments (DESIGN §8), with
/// the rows HR approved in `reviewed`; `None` when the surveys ask no
/// free-text question. A reviewed workbook that is not the year's, or that
/// cannot be read, is an input error (nothing is written); its warnings are
/// printed.
fn comment_summaries(
    ws: &Workspace,
    year: FiscalYear,
    reviewed: Option<&Path>,
) -> Result<Option<Vec<QuestionSummary>>> {
    let harassment = ws.survey.harassment.as_ref();
    if !ws.survey.has_comment_questions() {
        if let Some(path) = reviewed {
            bail!(
                "--comments に「{}」が指定されましたが、survey.toml に自由記述の設問（[[comments]]）がありません",
                path.display()
            );
        }
        return Ok(None);
    }
    let masker = Masker::new(&org_names(ws))?;
    let review = review::build(ws, year, &masker)?;
    let approved = match reviewed {
        None => None,
        Some(path) => match approved::read(path, &review, &masker) {
            Ok((approved, notes)) => {
                print_problems(&notes);
                Some(approved)
            }
            Err(problems) => return Err(InputError(problems).into()),
        },
    };
    let categories: Vec<String> = ws.survey.categories.iter().map(|c| c.name.clone()).collect();
    let k = harassment.map(|h| h.min_group_size);
    Ok(Some(summary::summarise(&review, &categories, k, approved.as_ref())))
}

/// How many packets left by earlier runs one note lists by name.
const LISTED_PACKETS: usize = 10;

/// Notes the PDFs in `departments/` that this run did not write: packets of
/// an earlier run (another year, a renamed or merged department) that could
/// be handed to the wrong department head. They are not removed: the folder
/// is the user's.
fn note_other_packets(dir: &Path, written: &[PathBuf]) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut others: Vec<String> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")) && !written.contains(p))
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    if others.is_empty() {
        return;
    }
    others.sort();
    let mut problems = Problems::default();
    problems.note(
        Place::File(dir.display().to_string()),
        format!(
            "今回作っていない PDF が{}件あります（{}）。前回の実行（別の年度や、名前・コードが変わる前の所属）のものなら、配る前に取り除いてください",
            others.len(),
            first_few(&others, LISTED_PACKETS, "件")
        ),
    );
    print_problems(&problems);
}

/// Renders every output of the run to temporary files beside their places;
/// returns them with the lines that report them.
fn stage_outputs(
    engine: Option<&Engine>,
    ws: &Workspace,
    model: &ScoresModel,
    opts: &Options,
    comments: Option<&[QuestionSummary]>,
) -> Result<(Vec<Staged>, Vec<String>)> {
    let mut staged = Vec::new();
    let mut lines = Vec::new();
    let what = Outputs::of(opts);
    let engine = || engine.context("報告書のテンプレートを準備していません");
    if what.committee {
        let t = Instant::now();
        let path = opts.out.join(format!("committee_{}.pdf", opts.year.0));
        let bytes = render_committee(engine()?, model, opts.year, opts.date, comments)
            .context("委員会向け報告書を作れませんでした")?;
        staged.push(stage(&path, &bytes)?);
        lines.push(format!("委員会向け報告書: {}", path.display()));
        trace("committee", t);
    }
    if what.packets {
        let t = Instant::now();
        let packets = stage_packets(engine()?, ws, model, opts)?;
        lines.push(format!(
            "所属長向けフィードバック: {}件（{}）",
            packets.len(),
            opts.out.join("departments").display()
        ));
        staged.extend(packets);
        trace("packets", t);
    }
    if what.workbook {
        let path = opts.out.join(format!("scores_{}.xlsx", opts.year.0));
        let mut one_year = model.clone();
        one_year.years.retain(|y| y.year == opts.year);
        let bytes = render(&one_year, Format::Xlsx, opts.date)?;
        staged.push(stage(&path, &bytes)?);
        lines.push(format!("集計表: {}", path.display()));
    }
    if what.explorer {
        let t = Instant::now();
        let path = opts.out.join(explorer::file_name(opts.year));
        let bytes = explorer::render(model, opts.year, opts.date).context("結果の閲覧用ファイルを作れませんでした")?;
        staged.push(stage(&path, &bytes)?);
        lines.push(format!("結果の閲覧用ファイル（ブラウザーで開きます）: {}", path.display()));
        trace("explorer", t);
    }
    Ok((staged, lines))
}

/// Which outputs a run writes: everything, or what `--only` and `--department` leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Outputs {
    committee: bool,
    packets: bool,
    workbook: bool,
    explorer: bool,
}

impl Outputs {
    fn of(opts: &Options) -> Outputs {
        let all = opts.only.is_none() && opts.department.is_none();
        Outputs {
            committee: all || (opts.only == Some(Only::Committee) && opts.department.is_none()),
            packets: all || opts.department.is_some() || opts.only == Some(Only::Departments),
            workbook: all,
            explorer: all || (opts.only == Some(Only::Explorer) && opts.department.is_none()),
        }
    }
}

/// Renders the packets to temporary files in `departments/`.
fn stage_packets(engine: &Engine, ws: &Workspace, model: &ScoresModel, opts: &Options) -> Result<Vec<Staged>> {
    let mut departments = department::departments_with_respondents(model, opts.year);
    if let Some(code) = &opts.department {
        departments.retain(|(c, _)| c == code);
    }
    let dir = opts.out.join("departments");
    let ctx = PacketContext { survey: &ws.survey, plan: &ws.plan, date: opts.date };
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
    let results: Vec<Result<Staged, anyhow::Error>> = departments
        .par_iter()
        .map(|(code, name)| {
            let path = dir.join(format!("{code}_{}.pdf", file_name_part(name)));
            let result = render_packet(engine, model, &ctx, opts.year, code)
                .and_then(|bytes| stage(&path, &bytes))
                .with_context(|| format!("所属「{code} {name}」のフィードバックを作れませんでした"));
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();
    // Nothing is kept when one fails; the first failure is reported with its department.
    let mut staged = Vec::with_capacity(results.len());
    let mut failures = Vec::new();
    for r in results {
        match r {
            Ok(s) => staged.push(s),
            Err(e) => failures.push(e),
        }
    }
    let mut failures = failures.into_iter();
    if let Some(first) = failures.next() {
        let more = failures.count();
        if more > 0 {
            return Err(first.context(format!("ほかに{more}所属で失敗しました")));
        }
        return Err(first);
    }
    Ok(staged)
}
