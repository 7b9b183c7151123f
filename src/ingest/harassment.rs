//! The harassment survey: every file of `harassment/` read, checked and
//! combined into one polars DataFrame, one row per respondent.
//!
//! Columns: `year` (Int32), `department` (String), then per question: a
//! single-choice question is a String column named by its id holding the
//! choice; a multiple-choice question is one Boolean column per choice named
//! `H02:パワハラ` (null when the question was not answered); a scale question
//! is an Int8 column of raw values. Its free-text answers never enter the
//! frame: they are handed on beside it, when a command asks for them
//! ([`crate::ingest::comments`]).

use std::path::Path;

use polars::prelude::*;

use crate::config::comments::CommentSettings;
use crate::config::org::Org;
use crate::config::survey::{ExportColumns, HarassmentSurvey, QuestionKind, Scale};
use crate::ingest::answers::{NoAnswerMarks, answer_cell, is_no_answer_mark};
use crate::ingest::columns::Matcher;
use crate::ingest::comments::{self as comment_columns, Comment};
use crate::ingest::export_file::{
    CappedProblems, ExportFrame, Wanted, first_and_count, per_distinct, read_export, shifted_rows_instead, wanted_name,
};
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

/// Reads every file of `harassment/`, if the folder exists and has files;
/// with `comments`, also the answers to its free-text questions.
#[allow(clippy::too_many_arguments)]
pub fn read_harassment(
    root: &Path,
    survey: &HarassmentSurvey,
    columns: ExportColumns<'_>,
    scale: &Scale,
    settings: &CommentSettings,
    org: &Org,
    comments: bool,
    problems: &mut Problems,
) -> Option<(HarassmentResponses, Vec<Comment>)> {
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
    let first_comment = wanted.len();
    let mut ignored: Vec<Matcher> = Vec::new();
    if comments {
        wanted.extend(comment_columns::wanted(&survey.comments));
    } else {
        ignored.extend(survey.comments.iter().map(comment_columns::matcher));
    }
    let mut frames: Vec<(FileSummary, DataFrame)> = Vec::new();
    let mut found_comments: Vec<Comment> = Vec::new();
    for path in &files {
        let file = relative(root, path);
        let before = problems.errors.len();
        let sheet = SheetSetting { name: survey.sheet.as_deref(), table: "[harassment]" };
        let read = read_export(path, &file, sheet, columns, &ignored, &wanted, org, problems);
        let converted = read.and_then(|frame| convert(&frame, survey, &slots, scale, problems).map(|df| (frame, df)));
        shifted_rows_instead(path, &file, sheet, columns.department, problems, before);
        let Some((frame, df)) = converted else { continue };
        if problems.errors.len() > before {
            continue;
        }
        if comments {
            comment_columns::note_missing(&frame, first_comment, &survey.comments, problems);
            found_comments.extend(comment_columns::from_frame(&frame, first_comment, &survey.comments, settings));
        }
        let unused = frame.unused.iter().map(|&i| frame.opened.headers[i].clone()).collect();
        frames.push((FileSummary::of(file, &frame, &df, unused), df));
    }
    if frames.is_empty() {
        return None;
    }
    let (mut df, files) = combine(frames, "harassment/", problems)?;
    df.rechunk_mut();
    Some((HarassmentResponses { df, files }, found_comments))
}

/// Whether a choice is 「その他」, beside which forms let the respondent type.
fn is_other(choice: &str) -> bool {
    normalize(choice).starts_with("その他")
}

/// Whether a normalised part reads 「その他（…）」 or 「その他: …」 for the normalised その他 choice `key`.
fn is_other_with_text(key: &str, part: &str) -> bool {
    is_other(key) && part.starts_with(key) && part.len() > key.len()
}

/// The problem of a cell that is none of a question's choices. The cell is
/// not quoted: what is not a choice is most likely what the respondent typed.
fn not_a_choice(q: &crate::config::survey::Question) -> String {
    format!(
        "設問「{}」の選択肢（{}）にない回答です（書き込まれた内容は表示しません）。このセルを選択肢の文言に直すか、自由に書き込める選択肢があれば survey.toml の choices に「その他」を加えてください",
        q.id,
        q.choices.join("・")
    )
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
    let mut marks = NoAnswerMarks::default();
    let mut i = 0;
    while i < slots.len() {
        match slots[i] {
            Slot::Single(qi) => {
                let q = &survey.questions[qi];
                let src = frame.columns[i]?;
                let keys: Vec<String> = q.choices.iter().map(|c| normalize(c)).collect();
                let other = q.choices.iter().find(|c| is_other(c));
                let ca = cells(i)?;
                let mut is_mark: Vec<bool> = Vec::new();
                let read = per_distinct(ca, |t| {
                    let t = t.trim();
                    let key = normalize(t);
                    let choice = keys.iter().position(|k| *k == key || is_other_with_text(k, &key));
                    let mark = choice.is_none() && is_no_answer_mark(t);
                    is_mark.push(mark);
                    match (choice, other) {
                        _ if t.is_empty() || mark => Ok(None),
                        (Some(ci), _) => Ok(Some(q.choices[ci].as_str())),
                        // Forms write what was typed beside その他 instead of その他.
                        (None, Some(other)) => Ok(Some(other.as_str())),
                        (None, None) => Err(not_a_choice(q)),
                    }
                });
                marks.add_column(ca, &read.1, &is_mark, |k| frame.opened.place(rows[k] as usize, src));
                let values = capped.values(&read, src, "選択肢にない回答", &frame.opened, &rows);
                out.push(Column::new(q.id.as_str().into(), values));
                i += 1;
            }
            Slot::Scale(qi) => {
                let q = &survey.questions[qi];
                let src = frame.columns[i]?;
                let ca = cells(i)?;
                let mut is_mark: Vec<bool> = Vec::new();
                let read = per_distinct(ca, |t| {
                    is_mark.push(is_no_answer_mark(t));
                    answer_cell(t, scale)
                });
                marks.add_column(ca, &read.1, &is_mark, |k| frame.opened.place(rows[k] as usize, src));
                let values = capped.values(&read, src, "同じ値", &frame.opened, &rows);
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
                    let other = q.choices.iter().position(|c| is_other(c));
                    let ca = cells(i)?;
                    // Per distinct cell: the choices marked, whether a part is no
                    // choice, and whether the cell says it was left unanswered.
                    let (results, index) = per_distinct(ca, |t| {
                        let t = t.trim();
                        if t.is_empty() {
                            return None;
                        }
                        if is_no_answer_mark(t) {
                            return Some((Vec::new(), false, true));
                        }
                        let mut marked = Vec::new();
                        let mut unknown = false;
                        for part in t.split(CHOICE_SEPARATORS).map(str::trim).filter(|p| !p.is_empty()) {
                            let key = normalize(part);
                            match (keys.iter().position(|k| *k == key || is_other_with_text(k, &key)), other) {
                                (Some(ci), _) => marked.push(ci),
                                // Forms write what was typed beside その他 instead of その他.
                                (None, Some(ci)) => marked.push(ci),
                                (None, None) => unknown = true,
                            }
                        }
                        Some((marked, unknown, false))
                    });
                    let failed = |r: usize| results[r].as_ref().is_some_and(|(_, unknown, _)| *unknown);
                    for (_, (k, count)) in first_and_count(&index, failed) {
                        let place = frame.opened.place(rows[k] as usize, src);
                        capped.per_message(place, not_a_choice(q), count, "選択肢にない回答");
                    }
                    let is_mark: Vec<bool> =
                        results.iter().map(|r| r.as_ref().is_some_and(|(.., mark)| *mark)).collect();
                    marks.add_column(ca, &index, &is_mark, |k| frame.opened.place(rows[k] as usize, src));
                    for (k, &r) in index.iter().enumerate() {
                        let Some((marked, _, false)) = &results[r as usize] else { continue };
                        for s in &mut selected {
                            s[k] = Some(false);
                        }
                        for &ci in marked {
                            selected[ci][k] = Some(true);
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
                            match truthy(t, &q.choices[ci]) {
                                Some(flag) => Ok(Some(flag)),
                                // The その他 column of some forms holds what was typed: chosen.
                                None if is_other(&q.choices[ci]) => Ok(Some(true)),
                                None => Err(format!("値「{t}」は選んだ（1）か選ばない（0）かとして読めません")),
                            }
                        });
                        let flags = capped.values(&read, src, "同じ値", &frame.opened, &rows);
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
    if let Some((place, note)) = marks.note() {
        problems.note(place, note);
    }
    DataFrame::new(height, out).ok()
}
