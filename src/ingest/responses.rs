//! The attitude survey's responses: every file of `responses/` read, checked
//! and combined into one polars DataFrame, one row per respondent.
//!
//! The frame holds `year` (Int32, the western year the fiscal year starts),
//! `department` (String, an org.csv code of that year), one String column per
//! demographic named as in survey.toml (blank answers are 未回答), and one Int8
//! column per item named by its id holding the raw answer (not reversed; null
//! for no answer), then likewise one per outcome question (all null where the
//! file has no such column). Rows keep file order; files are ordered by year. Nothing in
//! the frame tells which file or format a row came from, so the same answers
//! load to the same frame from CSV, .xlsx or .xls. Free text never enters the
//! frame: the comments are handed on beside it ([`crate::ingest::comments`]),
//! and only when a command asks for them.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::config::org::Org;
use crate::config::survey::{Survey, UNANSWERED};
use crate::config::year::FiscalYear;
use crate::ingest::answers::{NoAnswerMarks, answer_cell, is_no_answer_mark, number_answer};
use crate::ingest::columns::Matcher;
use crate::ingest::comments::{self as comment_columns, Comment};
use crate::ingest::export_file::{
    CappedProblems, ExportFrame, Wanted, first_and_count, per_distinct, per_distinct_in_year, read_export,
    shifted_rows_instead, wanted_name,
};
use crate::ingest::table::{SheetSetting, Source, Want};
use crate::problem::{Place, Problems};
use crate::text::normalize;

/// One export file that was read.
#[derive(Debug, Clone, PartialEq)]
pub struct FileSummary {
    /// File relative to the workspace.
    pub file: String,
    /// What it was read as (`UTF-8`, `Shift_JIS（CP932）`, `Excel シート「回答」`).
    pub format: String,
    /// Respondents per fiscal year in it.
    pub rows: BTreeMap<FiscalYear, usize>,
    /// The year cell of each fiscal year's first row (none when the year comes
    /// from the file name).
    pub first_row: BTreeMap<FiscalYear, Place>,
    /// Headers of columns survey.toml does not name.
    pub unused: Vec<String>,
}

impl FileSummary {
    /// Summarises one export: `frame` as read (for row places), `df` as converted.
    pub fn of(file: String, frame: &ExportFrame, df: &DataFrame, unused: Vec<String>) -> FileSummary {
        let mut rows = BTreeMap::new();
        if let Ok(years) = df.column("year").and_then(|c| c.i32().cloned()) {
            for y in years.iter().flatten() {
                *rows.entry(FiscalYear(y)).or_insert(0) += 1;
            }
        }
        let mut first_row = BTreeMap::new();
        if let (Some(year_col), Ok(years), Ok(source_rows)) = (
            frame.year_col,
            frame.df.column("year").and_then(|c| c.i32().cloned()),
            frame.df.column("row").and_then(|c| c.u32().cloned()),
        ) {
            for (y, r) in years.iter().zip(source_rows.iter()) {
                if let (Some(y), Some(r)) = (y, r) {
                    first_row.entry(FiscalYear(y)).or_insert_with(|| frame.opened.place(r as usize, year_col));
                }
            }
        }
        FileSummary { file, format: format_label(frame), rows, first_row, unused }
    }
}

/// All responses of the attitude survey.
#[derive(Debug, Clone)]
pub struct Responses {
    /// One row per respondent (see the module documentation for the columns).
    pub df: DataFrame,
    /// The files read, in year order.
    pub files: Vec<FileSummary>,
}

/// A file beside the exports that is not read, with why (the note said).
pub type Skipped = (PathBuf, &'static str);

/// The note on a .txt file beside the exports that holds no table (a memo).
pub const SKIPPED_TEXT: &str = "表（タブ区切りかカンマ区切り）ではない文章のファイルのため読み飛ばしました";

/// Lists the export files of a folder in name order, skipping lock and hidden
/// files; returns them with the other files, each with why it was skipped.
pub fn export_files(dir: &Path) -> std::io::Result<(Vec<PathBuf>, Vec<Skipped>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if !path.is_file() {
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if ext == "txt" && !holds_a_table(&path) {
            skipped.push((path, SKIPPED_TEXT));
        } else if matches!(ext.as_str(), "csv" | "tsv" | "txt" | "xlsx" | "xlsm" | "xls") {
            files.push(path);
        } else {
            skipped.push((path, SKIPPED_FORMAT));
        }
    }
    files.sort();
    skipped.sort();
    Ok((files, skipped))
}

/// Returns how a file was read, for summaries.
pub fn format_label(frame: &ExportFrame) -> String {
    match &frame.opened.source {
        Source::Csv { encoding, .. } => format!("CSV {}", encoding.label()),
        Source::Sheet { name, .. } => format!("Excel シート「{name}」"),
    }
}

/// Whether a text file's first non-blank line has a tab or a comma (a memo has neither).
fn holds_a_table(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else { return true };
    match crate::ingest::encoding::decode(&bytes) {
        Ok((text, _)) => text.lines().find(|l| !l.trim().is_empty()).is_some_and(|l| l.contains(['\t', ','])),
        // Undecodable text is read, so that its problem is said.
        Err(_) => true,
    }
}

/// Lists the export files of `responses/` (and the files skipped), or records why the folder cannot be listed.
pub fn response_files(root: &Path, problems: &mut Problems) -> Option<(Vec<PathBuf>, Vec<Skipped>)> {
    match export_files(&root.join("responses")) {
        Ok(f) => Some(f),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            problems.error(
                Place::File("responses/".into()),
                "フォルダがありません（職員意識調査の回答ファイルを置く responses フォルダを作ってください）",
            );
            None
        }
        Err(e) => {
            problems.error(
                Place::File("responses/".into()),
                format!("フォルダを読めません（{}）", crate::io_in_japanese(&e)),
            );
            None
        }
    }
}

/// The note for a file in an export folder that is not an export.
pub const SKIPPED_FORMAT: &str = "回答ファイルの形式（.csv .tsv .txt .xlsx .xlsm .xls）ではないため読み飛ばしました";

/// The problem recorded when `responses/` holds no export file.
pub const NO_RESPONSE_FILES: &str = "回答ファイル（.csv .tsv .txt .xlsx .xlsm .xls）がありません";

/// Reads every file of `responses/`; `root` is the workspace (for file names
/// in messages). With `comments`, the answers to the free-text questions are
/// returned too (else their columns are passed over).
pub fn read_responses(
    root: &Path,
    survey: &Survey,
    org: &Org,
    comments: bool,
    problems: &mut Problems,
) -> Option<(Responses, Vec<Comment>)> {
    let (files, skipped) = response_files(root, problems)?;
    for (path, why) in skipped {
        problems.note(Place::File(relative(root, &path)), why);
    }
    if files.is_empty() {
        problems.error(Place::File("responses/".into()), NO_RESPONSE_FILES);
        return None;
    }
    let mut wanted = wanted_columns(survey);
    let first_comment = wanted.len();
    let mut ignored: Vec<Matcher> = survey.free_text.iter().map(|h| Matcher::Exact(h.clone())).collect();
    if comments {
        wanted.extend(comment_columns::wanted(&survey.comments));
    } else {
        ignored.extend(survey.comments.iter().map(comment_columns::matcher));
    }
    let mut frames: Vec<(FileSummary, DataFrame)> = Vec::new();
    let mut found_comments: Vec<Comment> = Vec::new();
    let mut unused_all: Vec<String> = Vec::new();
    for path in &files {
        let file = relative(root, path);
        let before = problems.errors.len();
        let t = std::time::Instant::now();
        let sheet = SheetSetting { name: survey.sheet.as_deref(), table: "[columns]" };
        let read = read_export(path, &file, sheet, survey.export_columns(), &ignored, &wanted, org, problems);
        crate::output::trace("  the export read in all", t);
        let t = std::time::Instant::now();
        let converted = read.and_then(|frame| convert(&frame, survey, problems).map(|df| (frame, df)));
        crate::output::trace("  answers and demographics", t);
        shifted_rows_instead(path, &file, sheet, survey.export_columns().department, problems, before);
        let Some((frame, df)) = converted else { continue };
        if problems.errors.len() > before {
            continue;
        }
        if comments {
            comment_columns::note_missing(&frame, first_comment, &survey.comments, problems);
            found_comments.extend(comment_columns::from_frame(
                &frame,
                first_comment,
                &survey.comments,
                &survey.comment_settings,
            ));
        }
        let unused: Vec<String> = frame.unused.iter().map(|&i| frame.opened.headers[i].clone()).collect();
        for u in &unused {
            if !unused_all.contains(u) {
                unused_all.push(u.clone());
            }
        }
        frames.push((FileSummary::of(file, &frame, &df, unused), df));
    }
    if !unused_all.is_empty() {
        problems.note(
            Place::File("responses/".into()),
            format!("survey.toml で使われていない列を読み飛ばしました: {}", unused_all.join("、")),
        );
    }
    let (df, files) = combine(frames, "responses/", problems)?;
    Some((Responses { df, files }, found_comments))
}

/// Puts the files of one export folder together, in year order: one file per
/// fiscal year (a year in two files is an error naming both), rows appended.
pub fn combine(
    mut frames: Vec<(FileSummary, DataFrame)>,
    folder: &str,
    problems: &mut Problems,
) -> Option<(DataFrame, Vec<FileSummary>)> {
    let mut owner: BTreeMap<FiscalYear, String> = BTreeMap::new();
    for (summary, _) in &frames {
        for year in summary.rows.keys() {
            match owner.get(year) {
                Some(first) => problems.error(
                    summary.first_row.get(year).cloned().unwrap_or_else(|| Place::File(summary.file.clone())),
                    format!(
                        "{}の回答が {} にもあります（一つの年度は一つのファイルにしてください）",
                        year.era(),
                        first
                    ),
                ),
                None => {
                    // The first file's row, without the column the message's own place names.
                    let first = match summary.first_row.get(year) {
                        Some(place) => place.without_column().to_string(),
                        None => summary.file.clone(),
                    };
                    owner.insert(*year, first);
                }
            }
        }
    }
    if !problems.is_clean() {
        return None;
    }
    frames.sort_by_key(|(s, _)| s.rows.keys().next().copied());
    let mut files = Vec::new();
    let mut df: Option<DataFrame> = None;
    for (summary, part) in frames {
        files.push(summary);
        df = Some(match df {
            None => part,
            Some(mut acc) => {
                if let Err(e) = acc.vstack_mut(&part) {
                    problems.error(Place::File(folder.into()), format!("回答を結合できません（{e}）"));
                    return None;
                }
                acc
            }
        });
    }
    Some((df?, files))
}

/// Returns `path` relative to the workspace root with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn wanted_columns(survey: &Survey) -> Vec<Wanted> {
    let mut wanted: Vec<Wanted> = survey
        .demographics
        .iter()
        .map(|d| Wanted {
            name: format!("属性「{}」の列", d.name),
            matcher: Matcher::AnyOf(d.column.clone()),
            required: true,
            want: Want::Text,
        })
        .collect();
    // Items are required; outcome questions are optional in an export.
    let question = |kind: &str, id: &str, text: &str, header: &Option<String>, required: bool| Wanted {
        name: format!("{kind}「{id}」の列"),
        matcher: match header {
            Some(h) => Matcher::Exact(h.clone()),
            None => Matcher::IdOrText { id: id.to_string(), text: text.to_string() },
        },
        required,
        want: Want::Answer,
    };
    wanted.extend(survey.items.iter().map(|i| question("設問", &i.id, &i.text, &i.header, true)));
    wanted.extend(survey.outcomes.iter().map(|o| question("結果の設問", &o.id, &o.text, &o.header, false)));
    wanted
}

/// Returns the smallest and largest non-null value.
///
/// Written out because `ChunkedArray::min` walks an Int8 column with nulls
/// element by element, several times slower than this loop over the values
/// and the validity bitmap.
fn value_range(ca: &Int8Chunked) -> Option<(i8, i8)> {
    let (mut lo, mut hi) = (i8::MAX, i8::MIN);
    let mut any = false;
    for arr in ca.downcast_iter() {
        match arr.validity() {
            None => {
                for &v in arr.values().iter() {
                    (lo, hi, any) = (lo.min(v), hi.max(v), true);
                }
            }
            Some(bits) => {
                for (&v, ok) in arr.values().iter().zip(bits.iter()) {
                    if ok {
                        (lo, hi, any) = (lo.min(v), hi.max(v), true);
                    }
                }
            }
        }
    }
    any.then_some((lo, hi))
}

/// Converts the raw demographic and item columns; returns the respondents' frame.
fn convert(frame: &ExportFrame, survey: &Survey, problems: &mut Problems) -> Option<DataFrame> {
    let df = &frame.df;
    let rows: Vec<u32> = df.column("row").ok()?.u32().ok()?.iter().map(|r| r.unwrap_or(0)).collect();
    let mut out: Vec<Column> = vec![df.column("year").ok()?.clone(), df.column("department").ok()?.clone()];
    let mut capped = CappedProblems::new(problems);
    let mut marks = NoAnswerMarks::default();
    let n_demo = survey.demographics.len();
    for (i, demo) in survey.demographics.iter().enumerate() {
        let src = frame.columns[i]?;
        let column = df.column(&wanted_name(i)).ok()?;
        let raw = column.str().ok()?;
        // Distinct values first: most exports already hold the exact labels.
        let distinct = raw.unique().ok()?;
        if distinct.iter().flatten().all(|v| demo.values.iter().any(|d| d == v)) {
            if column.null_count() == 0 {
                out.push(column.clone().with_name(demo.name.as_str().into()));
                continue;
            }
            let filled = raw.set(&raw.is_null(), Some(UNANSWERED)).ok()?;
            out.push(filled.with_name(demo.name.as_str().into()).into_column());
            continue;
        }
        let mut lookup: HashMap<String, &str> = demo
            .aliases
            .iter()
            .filter_map(|(a, v)| Some((normalize(a), demo.values.iter().find(|x| *x == v)?.as_str())))
            .collect();
        lookup.extend(demo.values.iter().map(|v| (normalize(v), v.as_str())));
        let (results, index) = per_distinct(raw, |text| {
            let key = normalize(text);
            match lookup.get(&key) {
                Some(v) => Ok(Some(*v)),
                None if key.is_empty() => Ok(None),
                None if is_no_answer_mark(text) => Err(true),
                None => Err(false),
            }
        });
        for (r, (k, count)) in first_and_count(&index, |r| results[r].is_err()) {
            let text = raw.get(k).unwrap_or("");
            let place = frame.opened.place(rows[k] as usize, src);
            if results[r] == Err(true) {
                marks.add(text, count, place);
            } else {
                let message =
                    format!("値「{}」は{}の選択肢（{}）にありません", text.trim(), demo.name, demo.values.join("・"));
                capped.per_value(place, message, count);
            }
        }
        let values: Vec<&str> =
            index.iter().map(|&r| results[r as usize].ok().flatten().unwrap_or(UNANSWERED)).collect();
        out.push(Column::new(demo.name.as_str().into(), values));
    }
    let n_items = survey.items.len();
    for (j, item) in survey.items.iter().enumerate() {
        out.push(answer_column(frame, n_demo + j, &item.id, survey, &rows, &mut capped, &mut marks)?);
    }
    // Outcome questions are optional: a file without one has none of its answers.
    let mut missing: Vec<&str> = Vec::new();
    for (j, outcome) in survey.outcomes.iter().enumerate() {
        let i = n_demo + n_items + j;
        match frame.columns[i] {
            Some(_) => out.push(answer_column(frame, i, &outcome.id, survey, &rows, &mut capped, &mut marks)?),
            None => {
                missing.push(&outcome.id);
                out.push(Column::full_null(outcome.id.as_str().into(), df.height(), &DataType::Int8));
            }
        }
    }
    capped.finish(&frame.opened);
    if let Some((place, note)) = marks.note() {
        problems.note(place, note);
    }
    if !missing.is_empty() {
        problems.note(Place::File(frame.opened.file.clone()), missing_outcomes_note(&missing));
    }
    let height = df.height();
    DataFrame::new(height, out).ok()
}

/// The note on an export without some of the outcome questions.
pub fn missing_outcomes_note(missing: &[&str]) -> String {
    format!(
        "結果の設問 {} の列がありません。この年度は、どのカテゴリが職場への満足などに効いているか（重要度）の分析を行いません（ほかの集計には影響しません）",
        missing.join("・")
    )
}

/// Reads the answer column of request `i` as the frame stores it (Int8, named `id`).
fn answer_column(
    frame: &ExportFrame,
    i: usize,
    id: &str,
    survey: &Survey,
    rows: &[u32],
    capped: &mut CappedProblems<'_>,
    marks: &mut NoAnswerMarks,
) -> Option<Column> {
    let df = &frame.df;
    let scale = &survey.scale;
    let src = frame.columns[i]?;
    let column = df.column(&wanted_name(i)).ok()?;
    if column.dtype() == &DataType::Int8 {
        let ca = column.i8().ok()?;
        let in_range = value_range(ca).is_none_or(|(lo, hi)| i64::from(lo) >= scale.min && i64::from(hi) <= scale.max);
        if in_range {
            return Some(column.clone().with_name(id.into()));
        }
        // Each value outside the scale said once, with its count and first row.
        let mut bad: Vec<(i8, usize, usize)> = Vec::new();
        let values: Vec<Option<i8>> = ca
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let v = v?;
                if number_answer(f64::from(v), "", scale).is_ok() {
                    return Some(v);
                }
                match bad.iter_mut().find(|(b, ..)| *b == v) {
                    Some((.., n)) => *n += 1,
                    None => bad.push((v, k, 1)),
                }
                None
            })
            .collect();
        for (v, k, n) in bad {
            if let Err(e) = number_answer(f64::from(v), &v.to_string(), scale) {
                capped.per_value(frame.opened.place(rows[k] as usize, src), e.message(scale), n);
            }
        }
        return Some(Column::new(id.into(), values));
    }
    let ca = column.str().ok()?;
    let mut is_mark: Vec<bool> = Vec::new();
    let read = if survey.year_scales.is_empty() {
        per_distinct(ca, |text| {
            is_mark.push(is_no_answer_mark(text));
            answer_cell(text, scale)
        })
    } else {
        // Labels as that year's exports worded them (survey.toml scale.year_labels).
        let years = df.column("year").ok()?.i32().ok()?;
        per_distinct_in_year(ca, years, |year, text| {
            is_mark.push(is_no_answer_mark(text));
            answer_cell(text, survey.scale_for(FiscalYear(year)))
        })
    };
    marks.add_column(ca, &read.1, &is_mark, |k| frame.opened.place(rows[k] as usize, src));
    let values = capped.values(&read, src, "同じ値", &frame.opened, rows);
    Some(Column::new(id.into(), values))
}
