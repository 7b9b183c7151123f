//! The harassment survey: every file of `harassment/` read, checked and
//! combined into one polars DataFrame, one row per respondent.
//!
//! Columns: `year` (Int32), `department` (String), then per question: a
//! single-choice question is a String column named by its id holding the
//! choice; a multiple-choice question is one Boolean column per choice named
//! `H02:パワハラ` (null when the question was not answered); a scale question
//! is an Int8 column of raw values.

use std::path::Path;

use polars::prelude::*;

use crate::config::org::Org;
use crate::config::survey::{ExportColumns, HarassmentSurvey, QuestionKind, Scale};
use crate::ingest::answers::answer_cell;
use crate::ingest::columns::Matcher;
use crate::ingest::export_file::{CappedProblems, ExportFrame, Wanted, per_distinct, read_export, wanted_name};
use crate::ingest::responses::{FileSummary, combine, export_files, relative};
use crate::ingest::table::{SheetSetting, Want};
use crate::problem::{Place, Problems};
use crate::text::normalize;

/// All responses of the harassment survey.
#[derive(Debug, Clone)]
pub struct HarassmentResponses {
    /// One row per respondent (see the module documentation).
    pub df: DataFrame,
    /// The files read.
    pub files: Vec<FileSummary>,
}

/// Returns the frame column of one choice of a multiple-choice question.
pub fn choice_column(question: &str, choice: &str) -> String {
    format!("{question}:{choice}")
}

/// Separators between choices written in one cell.
const CHOICE_SEPARATORS: [char; 8] = ['、', ',', '，', ';', '；', '/', '／', '\n'];

/// One requested column and what it stands for.
enum Slot {
    Single(usize),
    MultiCell(usize),
    MultiChoice,
    Scale(usize),
}

/// Reads every file of `harassment/`, if the folder exists and has files.
pub fn read_harassment(
    root: &Path,
    survey: &HarassmentSurvey,
    columns: ExportColumns<'_>,
    scale: &Scale,
    org: &Org,
    problems: &mut Problems,
) -> Option<HarassmentResponses> {
    let dir = root.join("harassment");
    if !dir.is_dir() {
        return None;
    }
    let (files, skipped) = match export_files(&dir) {
        Ok(f) => f,
        Err(e) => {
            problems.error(
                Place::File("harassment/".into()),
                format!("フォルダを読めません（{}）", crate::io_in_japanese(&e)),
            );
            return None;
        }
    };
    for (path, why) in skipped {
        problems.note(Place::File(relative(root, &path)), why);
    }
    let mut wanted = Vec::new();
    let mut slots = Vec::new();
    for (qi, q) in survey.questions.iter().enumerate() {
        match q.kind {
            QuestionKind::Single | QuestionKind::Scale => {
                wanted.push(Wanted {
                    name: format!("設問「{}」の列", q.id),
                    matcher: match &q.header {
                        Some(h) => Matcher::Exact(h.clone()),
                        None => Matcher::IdOrText { id: q.id.clone(), text: q.text.clone() },
                    },
                    required: true,
                    want: Want::Text,
                });
                slots.push(if q.kind == QuestionKind::Single { Slot::Single(qi) } else { Slot::Scale(qi) });
            }
            QuestionKind::Multiple => {
                let names = match &q.header {
                    Some(h) => vec![h.clone()],
                    None => vec![q.id.clone(), q.text.clone(), format!("{} {}", q.id, q.text)],
                };
                wanted.push(Wanted {
                    name: format!("設問「{}」の列", q.id),
                    matcher: Matcher::AnyOf(names),
                    required: false,
                    want: Want::Text,
                });
                slots.push(Slot::MultiCell(qi));
                for c in &q.choices {
                    let base = q.header.clone().unwrap_or_else(|| q.id.clone());
                    wanted.push(Wanted {
                        name: format!("設問「{}」の選択肢「{c}」の列", q.id),
                        matcher: Matcher::AnyOf(vec![
                            format!("{base}_{c}"),
                            format!("{base}:{c}"),
                            format!("{base}（{c}）"),
                            format!("{base}({c})"),
                            format!("{base}[{c}]"),
                            format!("{}[{c}]", q.text),
                        ]),
                        required: false,
                        want: Want::Text,
                    });
                    slots.push(Slot::MultiChoice);
                }
            }
        }
    }
    let mut frames: Vec<(FileSummary, DataFrame)> = Vec::new();
    for path in &files {
        let file = relative(root, path);
        let before = problems.errors.len();
        let Some(frame) = read_export(
            path,
            &file,
            SheetSetting { name: survey.sheet.as_deref(), table: "[harassment]" },
            columns,
            &[],
            &wanted,
            org,
            problems,
        ) else {
            continue;
        };
        let Some(df) = convert(&frame, survey, &slots, scale, problems) else { continue };
        if problems.errors.len() > before {
            continue;
        }
        let unused = frame.unused.iter().map(|&i| frame.opened.headers[i].clone()).collect();
        frames.push((FileSummary::of(file, &frame, &df, unused), df));
    }
    if frames.is_empty() {
        return None;
    }
    let (mut df, files) = combine(frames, "harassment/", problems)?;
    df.rechunk_mut();
    Some(HarassmentResponses { df, files })
}

fn truthy(text: &str, choice: &str) -> Option<bool> {
    let t = normalize(text);
    if t == normalize(choice) || ["1", "○", "〇", "●", "✓", "true", "はい", "あり"].contains(&t.as_str()) {
        Some(true)
    } else if t.is_empty() || ["0", "×", "false", "いいえ", "なし", "-"].contains(&t.as_str()) {
        Some(false)
    } else {
        None
    }
}

fn convert(
    frame: &ExportFrame,
    survey: &HarassmentSurvey,
    slots: &[Slot],
    scale: &Scale,
    problems: &mut Problems,
) -> Option<DataFrame> {
    let df = &frame.df;
    let rows: Vec<u32> = df.column("row").ok()?.u32().ok()?.iter().map(|r| r.unwrap_or(0)).collect();
    let height = df.height();
    let cells = |i: usize| -> Option<&StringChunked> {
        frame.columns[i]?;
        df.column(&wanted_name(i)).ok()?.str().ok()
    };
    let mut out: Vec<Column> = vec![df.column("year").ok()?.clone(), df.column("department").ok()?.clone()];
    let mut capped = CappedProblems::new(problems);
    let mut i = 0;
    while i < slots.len() {
        match slots[i] {
            Slot::Single(qi) => {
                let q = &survey.questions[qi];
                let src = frame.columns[i]?;
                let keys: Vec<String> = q.choices.iter().map(|c| normalize(c)).collect();
                let read = per_distinct(cells(i)?, |t| {
                    let t = t.trim();
                    if t.is_empty() {
                        return Ok(None);
                    }
                    let key = normalize(t);
                    match keys.iter().position(|k| *k == key) {
                        Some(ci) => Ok(Some(q.choices[ci].as_str())),
                        None => {
                            Err(format!("値「{t}」は設問「{}」の選択肢（{}）にありません", q.id, q.choices.join("・")))
                        }
                    }
                });
                let values = capped.values(&read, src, "choice", &frame.opened, &rows);
                out.push(Column::new(q.id.as_str().into(), values));
                i += 1;
            }
            Slot::Scale(qi) => {
                let q = &survey.questions[qi];
                let src = frame.columns[i]?;
                let read = per_distinct(cells(i)?, |t| answer_cell(t, scale));
                let values = capped.values(&read, src, "answer", &frame.opened, &rows);
                out.push(Column::new(q.id.as_str().into(), values));
                i += 1;
            }
            Slot::MultiCell(qi) => {
                let q = &survey.questions[qi];
                let n = q.choices.len();
                let choice_slots = (i + 1)..(i + 1 + n);
                let mut selected: Vec<Vec<Option<bool>>> = vec![vec![None; height]; n];
                if let Some(src) = frame.columns[i] {
                    let keys: Vec<String> = q.choices.iter().map(|c| normalize(c)).collect();
                    // Per distinct cell: the choices marked and the parts that are no choice.
                    let (results, index) = per_distinct(cells(i)?, |t| {
                        let t = t.trim();
                        if t.is_empty() {
                            return None;
                        }
                        let mut marked = Vec::new();
                        let mut unknown = Vec::new();
                        for part in t.split(CHOICE_SEPARATORS).map(str::trim).filter(|p| !p.is_empty()) {
                            let key = normalize(part);
                            match keys.iter().position(|k| *k == key) {
                                Some(ci) => marked.push(ci),
                                None => unknown.push(format!(
                                    "「{part}」は設問「{}」の選択肢（{}）にありません",
                                    q.id,
                                    q.choices.join("・")
                                )),
                            }
                        }
                        Some((marked, unknown))
                    });
                    for (k, &r) in index.iter().enumerate() {
                        let Some((marked, unknown)) = &results[r as usize] else { continue };
                        for s in &mut selected {
                            s[k] = Some(false);
                        }
                        for &ci in marked {
                            selected[ci][k] = Some(true);
                        }
                        for message in unknown {
                            capped.error(src, "choice", frame.opened.place(rows[k] as usize, src), message.clone());
                        }
                    }
                } else if choice_slots.clone().any(|s| frame.columns[s].is_some()) {
                    for (ci, s) in choice_slots.clone().enumerate() {
                        let Some(src) = frame.columns[s] else {
                            capped.error(
                                usize::MAX,
                                "missing",
                                frame.opened.header_row_place(),
                                format!(
                                    "設問「{}」の選択肢「{}」の列がありません（例: 「{}_{}」）",
                                    q.id, q.choices[ci], q.id, q.choices[ci]
                                ),
                            );
                            continue;
                        };
                        let read = per_distinct(cells(s)?, |t| {
                            let t = t.trim();
                            if t.is_empty() {
                                return Ok(None);
                            }
                            truthy(t, &q.choices[ci])
                                .map(Some)
                                .ok_or_else(|| format!("値「{t}」は選んだ（1）か選ばない（0）かとして読めません"))
                        });
                        let flags = capped.values(&read, src, "flag", &frame.opened, &rows);
                        for (k, flag) in flags.into_iter().enumerate() {
                            if flag.is_some() {
                                selected[ci][k] = flag;
                            }
                        }
                    }
                    // A respondent who marked any choice answered the question; the rest are unmarked.
                    for k in 0..height {
                        if selected.iter().any(|s| s[k].is_some()) {
                            for s in &mut selected {
                                s[k] = Some(s[k].unwrap_or(false));
                            }
                        }
                    }
                } else {
                    capped.error(
                        usize::MAX,
                        "missing",
                        frame.opened.header_row_place(),
                        format!(
                            "必須の列「{}」がありません（一つの列に「、」区切りで書くか、選択肢ごとに「{}_{}」のような列にしてください）",
                            q.id, q.id, q.choices[0]
                        ),
                    );
                }
                for (ci, values) in selected.into_iter().enumerate() {
                    out.push(Column::new(choice_column(&q.id, &q.choices[ci]).into(), values));
                }
                i += 1 + n;
            }
            Slot::MultiChoice => i += 1,
        }
    }
    capped.finish(&frame.opened);
    DataFrame::new(height, out).ok()
}
