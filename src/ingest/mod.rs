//! Ingest: every file of a workspace read, checked and handed on as plain data.
//!
//! [`load`] reads survey.toml, plan.toml, org.csv, `responses/`,
//! `harassment/` and indicators.csv, collecting every problem of every file in
//! one pass, and returns a [`Workspace`] only when there are none. The
//! attitude survey's respondents are one polars DataFrame
//! ([`responses::Responses`]), ready for aggregation; the free-text answers
//! are a list of their own beside it ([`comments::Comments`]), read only for
//! the commands that need them.

pub mod answers;
pub mod columns;
pub mod comments;
pub mod department;
pub mod draft;
pub mod encoding;
pub mod era_dates;
pub mod export_file;
pub mod harassment;
pub mod headers;
pub mod indicators;
pub mod org;
pub mod responses;
pub mod sheet_bounds;
pub mod small_csv;
pub mod table;
pub mod workbook_parts;

use std::collections::HashMap;
use std::path::Path;

use crate::config::org::Org;
use crate::config::plan::Plan;
use crate::config::survey::Survey;
use crate::config::year::FiscalYear;
use crate::problem::{Place, Problems};

pub use comments::{Comment, Comments};
pub use harassment::HarassmentResponses;
pub use indicators::Indicators;
pub use responses::Responses;

/// Everything a workspace holds, validated.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The questionnaire.
    pub survey: Survey,
    /// The plan.
    pub plan: Plan,
    /// The organisation per year.
    pub org: Org,
    /// The attitude survey's respondents.
    pub responses: Responses,
    /// The harassment survey's respondents, when `harassment/` has files.
    pub harassment: Option<HarassmentResponses>,
    /// Yearly values of the plan's other KPIs.
    pub indicators: Indicators,
    /// The free-text answers, when the command asked for them (else empty).
    pub comments: Comments,
}

fn read_text(root: &Path, name: &str, problems: &mut Problems) -> Option<Vec<u8>> {
    match std::fs::read(root.join(name)) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            problems.error(Place::File(name.into()), "ファイルがありません（ishiki init で雛形を作れます）");
            None
        }
        Err(e) => {
            problems.error(Place::File(name.into()), format!("ファイルを読めません（{}）", crate::io_in_japanese(&e)));
            None
        }
    }
}

fn utf8_text(name: &str, bytes: &[u8], problems: &mut Problems) -> Option<String> {
    match encoding::decode(bytes) {
        // Said plainly: TOML would report the first missing field instead.
        Ok((text, _)) if text.trim().is_empty() => {
            problems.error(Place::File(name.into()), "ファイルが空です（ishiki init で既定の内容の雛形を作れます）");
            None
        }
        Ok((text, _)) => Some(text.into_owned()),
        Err(e) => {
            problems.error(Place::File(name.into()), e.message());
            None
        }
    }
}

/// What a command needs read besides the attitude survey's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// The harassment survey's files.
    pub harassment: bool,
    /// The free-text answers (of the harassment survey too, with `harassment`).
    pub comments: bool,
}

impl Needs {
    /// Everything a workspace holds.
    pub const ALL: Needs = Needs { harassment: true, comments: true };
    /// Everything but the free-text answers: what scores and reports are computed from.
    pub const SCORES: Needs = Needs { harassment: true, comments: false };
}

/// Reads and checks a whole workspace, comments included; returns it with the notes, or every problem.
pub fn load(root: &Path) -> (Option<Workspace>, Problems) {
    load_with(root, Needs::ALL)
}

/// Reads and checks what `needs` asks for of a workspace.
pub fn load_with(root: &Path, needs: Needs) -> (Option<Workspace>, Problems) {
    let mut problems = Problems::default();
    if !root.is_dir() {
        let why = if root.exists() {
            "ファイルです。ワークスペースのフォルダ（survey.toml や responses/ のあるフォルダ）を指定してください"
        } else {
            "ワークスペースのフォルダがありません。フォルダの場所と名前を確かめてください（新しく作るときは ishiki init フォルダ）"
        };
        problems.error(Place::File(root.display().to_string()), why);
        return (None, problems);
    }
    let survey = read_text(root, "survey.toml", &mut problems)
        .and_then(|b| utf8_text("survey.toml", &b, &mut problems))
        .and_then(|text| match Survey::from_toml("survey.toml", &text) {
            Ok(s) => Some(s),
            Err(p) => {
                problems.extend(p);
                None
            }
        });
    let plan = read_text(root, "plan.toml", &mut problems)
        .and_then(|b| utf8_text("plan.toml", &b, &mut problems))
        .and_then(|text| match Plan::from_toml("plan.toml", &text, survey.as_ref()) {
            Ok(p) => Some(p),
            Err(p) => {
                problems.extend(p);
                None
            }
        });
    let org = read_text(root, "org.csv", &mut problems).and_then(|bytes| match org::read_org("org.csv", &bytes) {
        Ok(o) => Some(o),
        Err(p) => {
            problems.extend(p);
            None
        }
    });
    let indicators = match std::fs::read(root.join("indicators.csv")) {
        Ok(bytes) => {
            if plan.is_none() {
                problems.note(
                    Place::File("indicators.csv".into()),
                    "plan.toml に問題があるため、指標IDが plan.toml にあるかはまだ確かめていません",
                );
            }
            indicators::read_indicators("indicators.csv", &bytes, plan.as_ref(), &mut problems)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Indicators::new(),
        Err(e) => {
            problems.error(
                Place::File("indicators.csv".into()),
                format!("ファイルを読めません（{}）", crate::io_in_japanese(&e)),
            );
            Indicators::new()
        }
    };
    let (Some(survey), Some(org)) = (survey, org) else {
        // The answers cannot be read without both, but a missing folder or no
        // file at all is said now: a fresh `init` workspace has neither.
        match responses::response_files(root, &mut problems) {
            Some((files, _)) if files.is_empty() => {
                problems.error(Place::File("responses/".into()), responses::NO_RESPONSE_FILES)
            }
            Some(_) => problems.note(
                Place::File("responses/".into()),
                "survey.toml か org.csv に問題があるため、回答ファイルはまだ確かめていません",
            ),
            None => {}
        }
        return (None, problems);
    };
    let t = std::time::Instant::now();
    let (responses, staff_comments) =
        match responses::read_responses(root, &survey, &org, needs.comments, &mut problems) {
            Some((r, c)) => (Some(r), c),
            None => (None, Vec::new()),
        };
    crate::output::trace("responses", t);
    if let Some(r) = &responses {
        note_more_respondents_than_staff(r, &org, &mut problems);
        note_departments_with_more_respondents_than_staff(r, &org, &mut problems);
    }
    let t = std::time::Instant::now();
    let read = survey.harassment.as_ref().filter(|_| needs.harassment).and_then(|h| {
        harassment::read_harassment(
            root,
            h,
            survey.export_columns(),
            &survey.scale,
            &survey.comment_settings,
            &org,
            needs.comments,
            &mut problems,
        )
    });
    let (harassment, harassment_comments) = match read {
        Some((h, c)) => (Some(h), c),
        None => (None, Vec::new()),
    };
    crate::output::trace("harassment", t);
    if survey.harassment.is_none() && root.join("harassment").is_dir() {
        problems.note(
            Place::File("harassment/".into()),
            "survey.toml に [harassment] がないため、ハラスメント調査のファイルは読みません",
        );
    }
    match (plan, responses) {
        (Some(plan), Some(responses)) if problems.is_clean() => {
            let comments = Comments { staff: staff_comments, harassment: harassment_comments };
            (Some(Workspace { survey, plan, org, responses, harassment, indicators, comments }), problems)
        }
        _ => (None, problems),
    }
}

/// Notes a year whose respondents outnumber its staff in org.csv: rows pasted
/// twice, or headcounts out of date. Either way a response rate over 100 %
/// would be printed, so the user hears of it.
fn note_more_respondents_than_staff(responses: &responses::Responses, org: &Org, problems: &mut Problems) {
    let mut per_year: std::collections::BTreeMap<FiscalYear, (usize, Vec<&str>)> = Default::default();
    for f in &responses.files {
        for (year, n) in &f.rows {
            let entry = per_year.entry(*year).or_default();
            entry.0 += n;
            entry.1.push(f.file.as_str());
        }
    }
    for (year, (n, files)) in per_year {
        let Some(headcount) = org.year(year).map(|o| o.total_headcount()) else { continue };
        if headcount > 0 && n as u64 > headcount {
            problems.note(
                Place::File(files.join("・")),
                format!(
                    "{}の回答者{n}人が org.csv の職員数{headcount}人より多くなっています（回答率{:.0}%）。同じ行を二度貼り付けていないか、org.csv の職員数が正しいか確かめてください",
                    year.era(),
                    n as f64 / headcount as f64 * 100.0
                ),
            );
        }
    }
}

/// How many departments one note lists by name.
const LISTED_DEPARTMENTS: usize = 10;

/// Notes, year by year, the departments whose respondents (their own and
/// those below them) outnumber their staff in org.csv: a headcount typed
/// wrong, or respondents coded to the wrong department. Only the lowest such
/// departments are named, not every 部 above them.
fn note_departments_with_more_respondents_than_staff(
    responses: &responses::Responses,
    org: &Org,
    problems: &mut Problems,
) {
    let Ok(by_department) = responses.df.group_by(["year", "department"]) else { return };
    let keys = by_department.keys();
    let [years, codes] = keys.as_slice() else { return };
    let (Ok(years), Ok(codes)) = (years.i32(), codes.str()) else { return };
    let ns = by_department.get_groups().group_count();
    let mut own: HashMap<(i32, &str), u64> = HashMap::new();
    for ((year, code), n) in years.iter().zip(codes.iter()).zip(ns.iter()) {
        if let (Some(year), Some(code), Some(n)) = (year, code, n) {
            own.insert((year, code), u64::from(n));
        }
    }
    for (year, o) in &org.years {
        // Each department's subtree: its respondents and its staff.
        let subtrees: Vec<Vec<usize>> = (0..o.departments.len()).map(|i| o.subtree(i)).collect();
        let respondents: Vec<u64> = subtrees
            .iter()
            .map(|members| {
                members.iter().map(|&m| own.get(&(year.0, o.departments[m].code.as_str())).copied().unwrap_or(0)).sum()
            })
            .collect();
        let staff: Vec<u64> = (0..o.departments.len()).map(|i| o.subtree_headcount(i)).collect();
        let over: Vec<usize> =
            (0..o.departments.len()).filter(|&i| staff[i] > 0 && respondents[i] > staff[i]).collect();
        let lowest: Vec<String> = over
            .iter()
            .filter(|&&i| !over.iter().any(|&j| j != i && subtrees[i].contains(&j)))
            .map(|&i| {
                let d = &o.departments[i];
                format!("{}（{}）回答者{}人・職員{}人", d.name, d.code, respondents[i], staff[i])
            })
            .collect();
        if lowest.is_empty() {
            continue;
        }
        problems.note(
            Place::File("org.csv".into()),
            format!(
                "{}は、回答者が org.csv の職員数より多い所属があります（{}）。回答率が100%を超えて表示されます。回答の所属コードの誤りか、org.csv の職員数を確かめてください",
                year.era(),
                crate::text::first_few(&lowest, LISTED_DEPARTMENTS, "所属")
            ),
        );
    }
}
