//! What every survey export file needs, whichever survey it belongs to:
//! finding its columns, dropping blank rows, and reading the fiscal year and
//! department code of each row against org.csv.
//!
//! [`read_export`] hands on an [`ExportFrame`]: a polars frame with `year`
//! (Int32), `department` (String), the source row of each respondent, and the
//! survey's other requested columns, still raw, for the survey's own reader.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use polars::prelude::*;

use crate::config::org::Org;
use crate::config::survey::ExportColumns;
use crate::config::year::FiscalYear;
use crate::ingest::columns::{Matcher, describe_col, find_columns, find_department};
use crate::ingest::department::{Directory, Form};
use crate::ingest::table::{Opened, SheetSetting, Want, open};
use crate::problem::{Place, Problems};
use crate::text::normalize;

/// At most this many problems of one kind are listed per column of a file.
pub const MAX_LISTED: usize = 20;

/// Collects the problems of one export: problems of a row listed up to
/// [`MAX_LISTED`] per column and kind (the rest counted), and problems of a
/// cell's value said once per distinct message, with how many cells share it
/// and the first of them.
pub struct CappedProblems<'a> {
    problems: &'a mut Problems,
    listed: HashMap<(usize, &'static str), usize>,
    /// Each distinct message: its first place, how many cells have it and
    /// what they share (`同じ値`), in the order found.
    distinct: Vec<(Place, String, usize, &'static str)>,
    distinct_index: HashMap<String, usize>,
}

impl<'a> CappedProblems<'a> {
    /// Wraps the run's problems.
    pub fn new(problems: &'a mut Problems) -> Self {
        CappedProblems { problems, listed: HashMap::new(), distinct: Vec::new(), distinct_index: HashMap::new() }
    }

    /// Records `count` cells whose value gives `message`, the first at
    /// `place`: said once for the whole file, however many cells and
    /// columns hold the same value.
    pub fn per_value(&mut self, place: Place, message: String, count: usize) {
        self.per_message(place, message, count, "同じ値");
    }

    /// Records `count` cells with the problem `message`, the first at
    /// `place`, said once for the whole file; `shared` names what the cells
    /// share when the message does not quote them (`選択肢にない回答`).
    pub fn per_message(&mut self, place: Place, message: String, count: usize, shared: &'static str) {
        match self.distinct_index.get(&message) {
            Some(&k) => {
                let (first, _, n, _) = &mut self.distinct[k];
                *n += count;
                if place.row() < first.row() {
                    *first = place;
                }
            }
            None => {
                self.distinct_index.insert(message.clone(), self.distinct.len());
                self.distinct.push((place, message, count, shared));
            }
        }
    }

    /// Records an error of `kind` in column `col`.
    pub fn error(&mut self, col: usize, kind: &'static str, place: Place, message: String) {
        let n = self.listed.entry((col, kind)).or_insert(0);
        *n += 1;
        if *n <= MAX_LISTED {
            self.problems.error(place, message);
        }
    }

    /// Gives each row of column `col` its value from [`per_distinct`]'s
    /// results; a problem of a text is said once with the number of its
    /// cells and the first of them ([`CappedProblems::per_message`]).
    pub fn values<T: Copy>(
        &mut self,
        (results, index): &(Vec<Result<Option<T>, String>>, Vec<u32>),
        col: usize,
        shared: &'static str,
        opened: &Opened,
        rows: &[u32],
    ) -> Vec<Option<T>> {
        let failures = first_and_count(index, |r| results[r].is_err());
        for (r, (k, count)) in failures {
            if let Err(message) = &results[r] {
                self.per_message(opened.place(rows[k] as usize, col), message.clone(), count, shared);
            }
        }
        index.iter().map(|&r| results[r as usize].as_ref().ok().copied().flatten()).collect()
    }

    /// Says each distinct value's problem, and adds one summary line per
    /// column whose problems were not all listed.
    pub fn finish(self, opened: &Opened) {
        for (place, message, count, shared) in self.distinct {
            let message = match count {
                1 => message,
                n => format!("{message}。{shared}がこのファイルに{n}か所あります（ここが最初です）"),
            };
            self.problems.error(place, message);
        }
        let mut over: Vec<((usize, &'static str), usize)> =
            self.listed.into_iter().filter(|(_, n)| *n > MAX_LISTED).collect();
        over.sort();
        for ((col, _), n) in over {
            let place = if col < opened.headers.len() { opened.header_place(col) } else { opened.header_row_place() };
            self.problems.error(
                place,
                format!("この列には同じ種類の問題が{}件あります（最初の{}件だけを表示します）", n, MAX_LISTED),
            );
        }
    }
}

/// Evaluates `f` once per distinct cell text of a column (a null cell is the
/// empty text) and returns the results with, for each row, the index of its
/// result. An export repeats a handful of answers over many rows, so reading
/// a value once per distinct text keeps a million-row file fast.
pub fn per_distinct<'a, T>(ca: &'a StringChunked, f: impl FnMut(&'a str) -> T) -> (Vec<T>, Vec<u32>) {
    per_distinct_key(ca.iter().map(|v| v.unwrap_or("")), f)
}

/// As [`per_distinct`], once per distinct (year, text): for readings that
/// depend on the year, such as a scale worded differently in some years.
pub fn per_distinct_in_year<'a, T>(
    ca: &'a StringChunked,
    years: &Int32Chunked,
    mut f: impl FnMut(i32, &'a str) -> T,
) -> (Vec<T>, Vec<u32>) {
    let keys = ca.iter().zip(years.iter()).map(|(v, y)| (y.unwrap_or(0), v.unwrap_or("")));
    per_distinct_key(keys, |(year, text)| f(year, text))
}

/// Evaluates `f` once per distinct key and returns the results with, for
/// each key in order, the index of its result.
fn per_distinct_key<K: Copy + Eq + std::hash::Hash, T>(
    keys: impl Iterator<Item = K>,
    mut f: impl FnMut(K) -> T,
) -> (Vec<T>, Vec<u32>) {
    let mut seen: PlHashMap<K, u32> = PlHashMap::new();
    let mut results = Vec::new();
    let index = keys
        .map(|key| {
            *seen.entry(key).or_insert_with(|| {
                results.push(f(key));
                (results.len() - 1) as u32
            })
        })
        .collect();
    (results, index)
}

/// For the distinct results `index` points to that `pick` selects: the
/// first row holding each and how many rows do, in the order of first rows.
pub fn first_and_count(index: &[u32], pick: impl Fn(usize) -> bool) -> Vec<(usize, (usize, usize))> {
    // Each distinct result: its entry in `found`, or None when not picked.
    let mut seen: HashMap<usize, Option<usize>> = HashMap::new();
    let mut found: Vec<(usize, (usize, usize))> = Vec::new();
    for (k, &r) in index.iter().enumerate() {
        let r = r as usize;
        let at = *seen.entry(r).or_insert_with(|| {
            pick(r).then(|| {
                found.push((r, (k, 0)));
                found.len() - 1
            })
        });
        if let Some(at) = at {
            found[at].1.1 += 1;
        }
    }
    found
}

/// A column survey.toml asks for, besides department and year.
pub struct Wanted {
    /// Name used in messages.
    pub name: String,
    /// How to find it.
    pub matcher: Matcher,
    /// Whether a missing column is an error.
    pub required: bool,
    /// How to read it.
    pub want: Want,
}

/// An export file with its respondents' year and department read and checked.
pub struct ExportFrame {
    /// The opened file (for places).
    pub opened: Opened,
    /// Columns `row` (UInt32, source data row), `year` (Int32), `department`
    /// (String) and `c{i}` for each found requested column `i`.
    pub df: DataFrame,
    /// Header index of each requested column, in request order.
    pub columns: Vec<Option<usize>>,
    /// Header indexes of columns nothing asked for.
    pub unused: Vec<usize>,
    /// Header index of the year column, when the file has one.
    pub year_col: Option<usize>,
}

/// What a department cell says of a totals row at the foot of a table.
const TOTALS: [&str; 12] =
    ["合計", "総計", "総合計", "小計", "計", "平均", "平均値", "全体", "回答数", "回答者数", "有効回答数", "件数"];

/// What a department cell says of a summary row only in the block of such
/// rows at the foot of a table (elsewhere it is a respondent whose department
/// is missing, said as such).
const FOOT_ONLY: [&str; 3] = ["未回答", "無回答", "無効回答"];

/// Drops, each with a note, the rows that are no respondent: the header row
/// again (pasted twice, or where two exports were joined, perhaps behind a
/// BOM) and a totals row. Both are told by the department cell.
fn without_rows_that_are_not_respondents(
    df: DataFrame,
    header: &str,
    place: impl Fn(usize) -> Place,
    problems: &mut Problems,
) -> Option<DataFrame> {
    let header = normalize(header);
    let departments = df.column("department_raw").ok()?.str().ok()?;
    let summary = |d: &str| format!("所属が「{}」の行は集計の行と見て、回答に数えずに読み飛ばしました", d.trim());
    // (why it is dropped, whether only at the foot)
    let kind = |d: &str| {
        let text = normalize(&d.replace('\u{feff}', ""));
        if !d.is_empty() && text == header {
            Some(("見出しと同じ行のため読み飛ばしました（見出しを二度貼り付けたか、ファイルをつないだところの見出しです）".to_string(), false))
        } else if TOTALS.iter().any(|t| normalize(t) == text) {
            Some((summary(d), false))
        } else if FOOT_ONLY.iter().any(|t| normalize(t) == text) {
            Some((summary(d), true))
        } else {
            None
        }
    };
    // The distinct cells first (a few hundred texts for a million rows): in
    // the usual export none of them is a header or a total.
    if departments.unique().ok()?.iter().all(|d| kind(d.unwrap_or("")).is_none()) {
        return Some(df);
    }
    let (kinds, index) = per_distinct(departments, kind);
    // Where the foot of summary rows starts: the rows below the last respondent.
    let foot = index.iter().rposition(|&k| kinds[k as usize].is_none()).map_or(0, |last| last + 1);
    let rows = df.column("row").ok()?.u32().ok()?;
    let keep: Vec<bool> = index
        .iter()
        .zip(rows.iter())
        .enumerate()
        .map(|(k, (&r, row))| match &kinds[r as usize] {
            Some((why, foot_only)) if !foot_only || k >= foot => {
                problems.note(place(row.unwrap_or(0) as usize).without_column(), why.clone());
                false
            }
            _ => true,
        })
        .collect();
    df.filter(&BooleanChunked::from_slice("keep".into(), &keep)).ok()
}

/// The department cell of each row, as `department_raw`, with the header
/// index it was read from, as `department_col`.
///
/// One 課 column: its cell. Several (a branching form, one per 部): the one
/// a row filled; two filled is an error at the second. A 部 column beside
/// them makes 「部 課」, or the 部 alone where the 課 is blank or repeats it.
fn joined_department(
    kas: &[Column],
    ka_cols: &[usize],
    parent: Option<&(usize, Column)>,
    opened: &Opened,
    problems: &mut Problems,
) -> Option<(Column, Column)> {
    let texts: Vec<&StringChunked> = kas.iter().map(|c| c.str()).collect::<Result<_, _>>().ok()?;
    let parent_texts = match parent {
        Some((_, p)) => Some(p.str().ok()?),
        None => None,
    };
    let height = kas.first().map_or(0, Column::len);
    fn filled(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|s| !s.is_empty())
    }
    let mut capped = CappedProblems::new(problems);
    let mut joined: Vec<Option<String>> = Vec::with_capacity(height);
    let mut source: Vec<u32> = Vec::with_capacity(height);
    for r in 0..height {
        let cells: Vec<(usize, &str)> =
            texts.iter().zip(ka_cols).filter_map(|(t, &c)| filled(t.get(r)).map(|v| (c, v))).collect();
        if let [_, (second, _), ..] = cells.as_slice() {
            let written: Vec<String> =
                cells.iter().map(|&(c, v)| format!("{}に「{v}」", describe_col(opened, c))).collect();
            capped.error(
                *second,
                "two-ka",
                opened.place(r, *second),
                format!(
                    "所属の列が{}つ記入されています（{}）。一人の所属はどれか一つの列にだけ書いてください",
                    cells.len(),
                    written.join("、")
                ),
            );
        }
        let bu = parent_texts.and_then(|p| filled(p.get(r)));
        let (text, col) = match (bu, cells.first()) {
            // A 部-level office whose branch asks again (部局 会計課, 課 会計課).
            (Some(bu), Some(&(c, ka))) if normalize(bu) == normalize(ka) => (Some(ka.to_string()), c),
            (Some(bu), Some(&(c, ka))) => (Some(format!("{bu} {ka}")), c),
            (None, Some(&(c, ka))) => (Some(ka.to_string()), c),
            (Some(bu), None) => (Some(bu.to_string()), parent.map_or(ka_cols[0], |(p, _)| *p)),
            (None, None) => (None, ka_cols[0]),
        };
        joined.push(text);
        source.push(col as u32);
    }
    capped.finish(opened);
    Some((Column::new("department_raw".into(), joined), Column::new("department_col".into(), source)))
}

/// When the cells of a CSV export gave errors (those from `before` on), says
/// instead of the errors of a row wider than the header that the row is
/// shifted: its cells hold other columns' text, free text among them, which
/// must not be quoted back. Errors of other rows stay.
pub fn shifted_rows_instead(
    path: &Path,
    file: &str,
    sheet: SheetSetting<'_>,
    anchors: &[String],
    problems: &mut Problems,
    before: usize,
) {
    if problems.errors.len() <= before {
        return;
    }
    let Ok(opened) = open(path, file, sheet, anchors) else { return };
    let shifted = opened.rows_wider_than_the_header();
    if shifted.is_empty() {
        return;
    }
    let rows: HashSet<usize> = shifted.iter().map(|p| p.place.row()).collect();
    let later = problems.errors.split_off(before);
    problems.errors.extend(later.into_iter().filter(|p| !(p.place.file() == file && rows.contains(&p.place.row()))));
    problems.errors.extend(shifted);
}

/// Returns the frame column name of request `i`.
pub fn wanted_name(i: usize) -> String {
    format!("c{i}")
}

/// Reads one export: finds its columns, drops blank rows, reads year and
/// department. Columns `ignored` finds are passed over without a note (the
/// old `free_text`, and comment columns a command does not read).
#[allow(clippy::too_many_arguments)]
pub fn read_export(
    path: &Path,
    file: &str,
    sheet: SheetSetting<'_>,
    columns: ExportColumns<'_>,
    ignored: &[Matcher],
    wanted: &[Wanted],
    org: &Org,
    problems: &mut Problems,
) -> Option<ExportFrame> {
    let t = std::time::Instant::now();
    let opened = match open(path, file, sheet, columns.department) {
        Ok(o) => o,
        Err(p) => {
            problems.errors.push(p);
            return None;
        }
    };
    for note in &opened.notes {
        problems.note(Place::File(file.to_string()), note.clone());
    }
    let before = problems.errors.len();
    // The department's column, or the 課 columns of a branching form.
    let ka_cols = find_department(&opened, columns.department, columns.parent, problems).unwrap_or_default();
    let mut requests: Vec<(String, Matcher, bool)> = vec![
        ("年度の列".into(), Matcher::AnyOf(columns.year.to_vec()), false),
        ("部の列".into(), Matcher::AnyOf(columns.parent.to_vec()), false),
    ];
    requests.extend(wanted.iter().map(|w| (w.name.clone(), w.matcher.clone(), w.required)));
    let found = find_columns(&opened, &requests, &ka_cols, problems);
    let ignored_found = find_columns(
        &opened,
        &ignored.iter().map(|m| (m.describe(), m.clone(), false)).collect::<Vec<_>>(),
        &[],
        &mut Problems::default(),
    );
    let used: Vec<usize> = ka_cols.iter().chain(found.iter().chain(ignored_found.iter()).flatten()).copied().collect();
    let unused: Vec<usize> =
        (0..opened.headers.len()).filter(|i| !used.contains(i) && !opened.headers[*i].is_empty()).collect();
    if problems.errors.len() > before {
        return None;
    }
    let dept_col = *ka_cols.first()?;
    let year_col = found[0];
    // A 部 column beside the 課 column(s) (not a department column itself).
    let parent_col = found[1].filter(|c| !ka_cols.contains(c));
    if ka_cols.len() > 1 {
        let named: Vec<String> = ka_cols.iter().map(|&c| describe_col(&opened, c)).collect();
        problems.note(
            opened.header_place(dept_col),
            format!(
                "所属を{}つの列（{}）から読みました（部ごとに課を選ぶ形式として、一人がどれか一つの列に記入したものとして読みます）",
                ka_cols.len(),
                named.join("、")
            ),
        );
    }

    let mut reads: Vec<(usize, Want)> = ka_cols.iter().map(|&c| (c, Want::Text)).collect();
    if let Some(y) = year_col {
        reads.push((y, Want::Text));
    }
    if let Some(p) = parent_col {
        reads.push((p, Want::Text));
    }
    let wanted_cols: Vec<(usize, usize)> =
        found[2..].iter().enumerate().filter_map(|(i, c)| c.map(|c| (i, c))).collect();
    reads.extend(wanted_cols.iter().map(|&(i, c)| (c, wanted[i].want)));
    crate::output::trace("  open (read and decode)", t);
    let t = std::time::Instant::now();
    let read = match opened.read(&reads) {
        Ok(c) => c,
        Err(p) => {
            problems.errors.push(p);
            return None;
        }
    };
    crate::output::trace("  parse the columns", t);
    let t = std::time::Instant::now();
    let height = read.first().map(Column::len).unwrap_or(0);
    if height == 0 {
        problems.error(Place::File(file.to_string()), "回答の行が一行もありません（見出し行だけです）");
        return None;
    }
    let mut named: Vec<Column> = Vec::with_capacity(read.len() + 1);
    named.push(Column::new("row".into(), (0..height as u32).collect::<Vec<u32>>()));
    let mut it = read.into_iter();
    let kas: Vec<Column> = ka_cols.iter().map(|_| it.next()).collect::<Option<_>>()?;
    if year_col.is_some() {
        named.push(it.next()?.with_name("year_raw".into()));
    }
    let parent = match parent_col {
        Some(p) => Some((p, it.next()?)),
        None => None,
    };
    let (department, source) = joined_department(&kas, &ka_cols, parent.as_ref(), &opened, problems)?;
    named.insert(1, department);
    named.insert(2, source);
    for (&(i, _), column) in wanted_cols.iter().zip(it) {
        named.push(column.with_name(wanted_name(i).into()));
    }
    let df = match DataFrame::new(height, named) {
        Ok(df) => df,
        Err(e) => {
            problems.error(Place::File(file.to_string()), format!("読み込みに失敗しました（{e}）"));
            return None;
        }
    };
    // A row with no department and nothing else is a blank row left by a spreadsheet
    // (none when every row has a department: the usual export, not filtered at all).
    let none_blank = df.column("department_raw").is_ok_and(|c| c.null_count() == 0);
    let is_blank = || -> PolarsResult<BooleanChunked> {
        let mut blank = df.column("department_raw")?.is_null();
        if year_col.is_some() {
            blank = &blank & &df.column("year_raw")?.is_null();
        }
        for &(i, _) in &wanted_cols {
            blank = &blank & &df.column(&wanted_name(i))?.is_null();
        }
        Ok(blank)
    };
    let kept = if none_blank { Ok(df) } else { is_blank().and_then(|blank| df.filter(&!blank)) };
    let df = match kept {
        Ok(df) => df,
        Err(e) => {
            problems.error(Place::File(file.to_string()), format!("読み込みに失敗しました（{e}）"));
            return None;
        }
    };
    if df.height() == 0 {
        problems.error(Place::File(file.to_string()), "回答の行が一行もありません（空行だけです）");
        return None;
    }
    let header = match parent_col {
        Some(p) => format!("{}{}", opened.headers[p], opened.headers[dept_col]),
        None => opened.headers[dept_col].clone(),
    };
    let df = without_rows_that_are_not_respondents(df, &header, |row| opened.place(row, dept_col), problems)?;
    if df.height() == 0 {
        problems
            .error(Place::File(file.to_string()), "回答の行が一行もありません（見出しの繰り返しや合計の行だけです）");
        return None;
    }
    crate::output::trace("  drop blank rows", t);
    let t = std::time::Instant::now();
    let rows: Vec<u32> = df.column("row").ok()?.u32().ok()?.iter().map(|r| r.unwrap_or(0)).collect();
    // The column each row's department was read from.
    let source: Vec<usize> =
        df.column("department_col").ok()?.u32().ok()?.iter().map(|c| c.unwrap_or(0) as usize).collect();

    // Fiscal year of each row.
    let name_years =
        Path::new(file).file_stem().and_then(|s| s.to_str()).map(FiscalYear::in_file_name).unwrap_or_default();
    let name_year = name_years.one();
    // Why the name gives no year, said where a row needs one.
    let no_name_year = name_years.why_none().unwrap_or_default();
    let years: Vec<i32> = match year_col {
        None => match name_years.years.as_slice() {
            [(y, written)] => {
                if !name_years.passed_over.is_empty() {
                    problems.note(
                        Place::File(file.to_string()),
                        format!(
                            "ファイル名の{}、年度は「{written}」から{}と読みました",
                            name_years.passed_over_said(),
                            y.era()
                        ),
                    );
                }
                vec![y.0; df.height()]
            }
            _ => {
                problems.error(
                    Place::File(file.to_string()),
                    format!("年度がわかりません（年度の列がなく、{no_name_year}）"),
                );
                return None;
            }
        },
        Some(ycol) => {
            let raw = df.column("year_raw").ok()?.str().ok()?;
            // One distinct, readable year (the usual case) needs no pass over the rows.
            let distinct = raw.unique().ok()?;
            let single = match distinct.len() {
                1 => distinct.get(0).and_then(|text| text.parse::<FiscalYear>().ok()),
                _ => None,
            };
            match single {
                Some(year) => vec![year.0; df.height()],
                None => {
                    let mut memo: HashMap<&str, Option<i32>> = HashMap::new();
                    let mut capped = CappedProblems::new(problems);
                    let mut out = Vec::with_capacity(df.height());
                    for (k, v) in raw.iter().enumerate() {
                        let text = v.map(str::trim).filter(|s| !s.is_empty());
                        let year = match text {
                            None => match name_year {
                                Some(y) => Some(y.0),
                                None => {
                                    capped.error(
                                        ycol,
                                        "blank-year",
                                        opened.place(rows[k] as usize, ycol),
                                        if name_years.years.is_empty() && name_years.passed_over.is_empty() {
                                            "年度が空欄で、ファイル名にも年度がありません".to_string()
                                        } else {
                                            format!(
                                                "年度が空欄で、ファイル名からも年度がわかりません（{no_name_year}）"
                                            )
                                        },
                                    );
                                    None
                                }
                            },
                            Some(text) => {
                                let parsed =
                                    *memo.entry(text).or_insert_with(|| text.parse::<FiscalYear>().ok().map(|y| y.0));
                                if parsed.is_none() {
                                    capped.per_value(
                                        opened.place(rows[k] as usize, ycol),
                                        format!(
                                            "年度「{text}」が読めません（2024、R6、令和6年度 のように書いてください）"
                                        ),
                                        1,
                                    );
                                }
                                parsed
                            }
                        };
                        out.push(year.unwrap_or(0));
                    }
                    capped.finish(&opened);
                    out
                }
            }
        }
    };

    // A year column that disagrees with the year in the file name is read as
    // written, but the user hears of it: one of the two is likely a mistake.
    if let (Some(name_year), Some(ycol)) = (name_year, year_col) {
        let mut column_years: Vec<i32> = years.iter().copied().filter(|&y| y != 0).collect();
        column_years.sort_unstable();
        column_years.dedup();
        if !column_years.is_empty() && !column_years.contains(&name_year.0) {
            let written: Vec<String> = column_years.iter().map(|&y| FiscalYear(y).era()).collect();
            problems.note(
                opened.header_place(ycol),
                format!(
                    "年度の列は{}ですが、ファイル名の年度は{}です。年度の列のとおりに読みました",
                    written.join("・"),
                    name_year.era()
                ),
            );
        }
    }

    // Department codes, checked against that year's org.csv: each distinct
    // (year, code) once, then row by row only where something needs fixing or reporting.
    let mut df = df;
    // One year in the whole file (the usual case): the distinct cells of one column.
    let one_year = years.first().filter(|&&y| years.iter().all(|&z| z == y)).copied();
    if let Err(e) = df.with_column(Column::new("year".into(), years)) {
        problems.error(Place::File(file.to_string()), format!("読み込みに失敗しました（{e}）"));
        return None;
    }
    let pairs = match one_year {
        Some(y) => df.column("department_raw").and_then(Column::unique_stable).and_then(|departments| {
            DataFrame::new(
                departments.len(),
                vec![Column::new_scalar("year".into(), y.into(), departments.len()), departments],
            )
        }),
        None => df
            .select(["year", "department_raw"])
            .and_then(|pairs| pairs.unique_stable(None, UniqueKeepStrategy::First, None)),
    }
    .ok()?;
    let mut resolved: HashMap<(i32, Option<String>), Result<String, String>> = HashMap::new();
    let mut missing_years: Vec<i32> = Vec::new();
    let mut all_canonical = true;
    // The forms the cells were written in, each with its first example.
    let mut forms: Vec<(Form, String)> = Vec::new();
    {
        let ys = pairs.column("year").ok()?.i32().ok()?;
        let ds = pairs.column("department_raw").ok()?.str().ok()?;
        let mut directories: HashMap<i32, Directory> = HashMap::new();
        for (year, raw) in ys.iter().zip(ds.iter()) {
            let year = year.unwrap_or(0);
            let result = if year == 0 {
                Err(String::new())
            } else {
                match org.year(FiscalYear(year)) {
                    None => {
                        if !missing_years.contains(&year) {
                            missing_years.push(year);
                        }
                        Err(String::new())
                    }
                    Some(org_year) => {
                        let directory =
                            directories.entry(year).or_insert_with(|| Directory::new(org_year).with_history(org));
                        directory.resolve(raw.unwrap_or("")).map(|(code, form)| {
                            if !forms.iter().any(|(f, _)| *f == form) {
                                forms.push((form, raw.unwrap_or("").trim().to_string()));
                            }
                            code
                        })
                    }
                }
            };
            if result.as_ref().map(|code| Some(code.as_str()) != raw).unwrap_or(true) {
                all_canonical = false;
            }
            resolved.insert((year, raw.map(str::to_string)), result);
        }
    }
    // Said once per file when the department is not written as a plain code.
    forms.sort();
    if forms.iter().any(|(f, _)| *f != Form::Code) {
        let kinds: Vec<&str> = forms.iter().map(|(f, _)| f.label()).collect();
        let examples: Vec<String> = forms.iter().map(|(_, example)| format!("「{example}」")).collect();
        problems.note(
            opened.header_place(dept_col),
            format!(
                "所属を{}として読み、org.csv の所属コードに対応させました（例: {}）",
                kinds.join("・"),
                examples.join("・")
            ),
        );
    }
    if !missing_years.is_empty() {
        // A year no org.csv year covers: the whole file, or (from a year
        // column) some rows, pointed to by the first of them.
        let ys = df.column("year").ok()?.i32().ok()?;
        for y in missing_years {
            let era = FiscalYear(y).era();
            let count = ys.iter().filter(|v| *v == Some(y)).count();
            match (year_col, ys.iter().position(|v| v == Some(y))) {
                (Some(ycol), Some(first)) if count < df.height() => problems.error(
                    opened.place(rows[first] as usize, ycol),
                    format!("{era}の回答が{count}行ありますが、org.csv に{era}の所属がありません（この行が最初です）"),
                ),
                _ => problems.error(
                    Place::File(file.to_string()),
                    format!("{era}の回答がありますが、org.csv に{era}の所属がありません"),
                ),
            }
        }
    }
    let department = if all_canonical {
        df.column("department_raw").ok()?.clone().with_name("department".into())
    } else {
        let raw = df.column("department_raw").ok()?.str().ok()?;
        let ys = df.column("year").ok()?.i32().ok()?;
        let mut capped = CappedProblems::new(problems);
        let codes: Vec<Option<String>> = raw
            .iter()
            .zip(ys.iter())
            .enumerate()
            .map(|(k, (v, y))| match resolved.get(&(y.unwrap_or(0), v.map(str::to_string))) {
                Some(Ok(code)) => Some(code.clone()),
                Some(Err(message)) if !message.is_empty() => {
                    capped.error(source[k], "dept", opened.place(rows[k] as usize, source[k]), message.clone());
                    None
                }
                _ => None,
            })
            .collect();
        capped.finish(&opened);
        Column::new("department".into(), codes)
    };
    if let Err(e) = df.with_column(department) {
        problems.error(Place::File(file.to_string()), format!("読み込みに失敗しました（{e}）"));
        return None;
    }
    crate::output::trace("  years and departments", t);
    Some(ExportFrame { opened, df, columns: found[2..].to_vec(), unused, year_col })
}
