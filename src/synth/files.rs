//! Writing synthetic exports in the four file kinds a city really has:
//! CP932 CSV (Windows Excel's "CSV"), UTF-8 CSV with BOM ("CSV UTF-8"), .xlsx
//! with answers as labels, and a plain .xlsx as older systems export it (item
//! ids, numbers, no year column). Each kind also uses a different
//! header style, as different form tools would.

use std::borrow::Cow;
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

use crate::config::comments::CommentQuestion;
use crate::config::survey::Survey;
use crate::config::year::FiscalYear;
use crate::synth::org::SynthDept;
use crate::synth::people::{HarassmentPerson, Person};

/// The kind of an export file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Shift_JIS / CP932 CSV, question headers as `Q01 設問文`, a 年度 column in era form.
    Cp932Csv,
    /// UTF-8 CSV with BOM, item ids as headers, a 年度 column with the western year.
    Utf8BomCsv,
    /// .xlsx with a title row, question texts as headers, answers as labels.
    Xlsx,
    /// A plain .xlsx as older systems export it: item ids as headers, answers
    /// as numbers, no year column (the year is in the file name).
    PlainXlsx,
}

impl FileKind {
    /// Returns the file name for a year.
    pub fn file_name(self, year: FiscalYear, stem: &str) -> String {
        let r = year.0 - 2018;
        match self {
            FileKind::PlainXlsx => format!("R{r}_{stem}.xlsx"),
            FileKind::Cp932Csv => format!("R{r:02}_{stem}.csv"),
            FileKind::Xlsx => format!("令和{r}年度_{stem}.xlsx"),
            FileKind::Utf8BomCsv => format!("{}.csv", year.0),
        }
    }
}

/// Rows above which a kind is replaced by a CSV (large workbooks are slow to write and read).
pub fn fit_kind(kind: FileKind, rows: usize) -> FileKind {
    match kind {
        FileKind::PlainXlsx if rows > 65_000 => FileKind::Cp932Csv,
        FileKind::Xlsx if rows > 200_000 => FileKind::Utf8BomCsv,
        k => k,
    }
}

enum Col {
    Number,
    Timestamp,
    Year,
    Dept,
    Demo(usize),
    Item(usize),
    Outcome(usize),
    Comment,
}

struct Layout {
    headers: Vec<String>,
    cols: Vec<Col>,
    labels: bool,
}

/// A free-text question's header as each form tool writes it: the question
/// text, or one of the headers survey.toml lists (a short one in the CP932
/// file, the first, usually the id, elsewhere).
fn comment_header(kind: FileKind, question: &CommentQuestion) -> String {
    let listed = |i: usize| question.header.get(i).or(question.header.first()).cloned();
    match kind {
        FileKind::Xlsx if question.header.is_empty() || question.header.contains(&question.text) => {
            Some(question.text.clone())
        }
        FileKind::Cp932Csv => listed(1),
        _ => listed(0),
    }
    .unwrap_or_else(|| question.id.clone())
}

fn layout(kind: FileKind, survey: &Survey) -> Layout {
    let mut headers = Vec::new();
    let mut cols = Vec::new();
    let mut add = |h: String, c: Col| {
        headers.push(h);
        cols.push(c);
    };
    match kind {
        FileKind::Cp932Csv => {
            add("タイムスタンプ".into(), Col::Timestamp);
            add("年度".into(), Col::Year);
        }
        FileKind::Utf8BomCsv => {
            add("回答番号".into(), Col::Number);
            add("年度".into(), Col::Year);
        }
        FileKind::Xlsx | FileKind::PlainXlsx => add("回答番号".into(), Col::Number),
    }
    add(survey.department_column.first().cloned().unwrap_or_default(), Col::Dept);
    for (i, d) in survey.demographics.iter().enumerate() {
        add(d.column.first().cloned().unwrap_or_default(), Col::Demo(i));
    }
    // A question's header as each form tool writes it.
    let header = |id: &str, text: &str| match kind {
        FileKind::Cp932Csv => format!("{id} {text}"),
        FileKind::Xlsx => text.to_string(),
        _ => id.to_string(),
    };
    for (i, item) in survey.items.iter().enumerate() {
        add(header(&item.id, &item.text), Col::Item(i));
    }
    for (j, outcome) in survey.outcomes.iter().enumerate() {
        add(header(&outcome.id, &outcome.text), Col::Outcome(j));
    }
    if let Some(question) = survey.comments.first() {
        add(comment_header(kind, question), Col::Comment);
    }
    Layout { headers, cols, labels: kind == FileKind::Xlsx }
}

const DIGITS: [&str; 11] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];
const FULL_DIGITS: [&str; 11] = ["０", "１", "２", "３", "４", "５", "６", "７", "８", "９", "１０"];

struct Cells<'a> {
    survey: &'a Survey,
    depts: &'a [SynthDept],
    year: FiscalYear,
    kind: FileKind,
}

impl Cells<'_> {
    fn cell<'p>(&'p self, layout: &Layout, col: &Col, number: usize, p: &'p Person, fullwidth: bool) -> Cow<'p, str> {
        match col {
            Col::Number => Cow::Owned(number.to_string()),
            Col::Timestamp => Cow::Owned(timestamp(self.year, p.seconds)),
            Col::Year => match self.kind {
                FileKind::Cp932Csv => Cow::Owned(self.year.era()),
                _ => Cow::Owned(self.year.0.to_string()),
            },
            Col::Dept => Cow::Borrowed(self.depts[p.dept as usize].code.as_str()),
            Col::Demo(i) => {
                let v = match i {
                    0 => p.age,
                    1 => p.grade,
                    _ => p.employment,
                };
                match v.and_then(|v| self.survey.demographics.get(*i).and_then(|d| d.values.get(v as usize))) {
                    Some(s) => Cow::Borrowed(s.as_str()),
                    None => Cow::Borrowed(""),
                }
            }
            Col::Item(i) => self.answer(layout, p.answers[*i], fullwidth),
            Col::Outcome(j) => self.answer(layout, p.outcomes[*j], fullwidth),
            Col::Comment => Cow::Borrowed(p.comment.as_deref().unwrap_or("")),
        }
    }

    /// An answer as the file shows it: a label, full-width or plain digits; 0 is blank.
    fn answer(&self, layout: &Layout, v: u8, fullwidth: bool) -> Cow<'_, str> {
        if v == 0 {
            Cow::Borrowed("")
        } else if layout.labels {
            Cow::Borrowed(self.survey.scale.label(i64::from(v)))
        } else if fullwidth {
            Cow::Borrowed(FULL_DIGITS[v as usize])
        } else {
            Cow::Borrowed(DIGITS[v as usize])
        }
    }
}

/// Formats a form tool's timestamp: the survey opens on 1 October at 09:00.
pub fn timestamp(year: FiscalYear, seconds: u32) -> String {
    let day = 1 + seconds / 86_400;
    let rest = seconds % 86_400;
    let (h, m, s) = (9 + rest / 3600 % 12, rest / 60 % 60, rest % 60);
    format!("{}/10/{:02} {:02}:{:02}:{:02}", year.0, day.min(31), h, m, s)
}

/// Writes the attitude survey export of one year; `people` are in export order.
pub fn write_responses(
    path: &Path,
    kind: FileKind,
    survey: &Survey,
    depts: &[SynthDept],
    year: FiscalYear,
    people: &[Person],
) -> Result<()> {
    let layout = layout(kind, survey);
    let ctx = Cells { survey, depts, year, kind };
    // A few hand-typed full-width digits in the CP932 file, as when answers were keyed in.
    let fullwidth = |n: usize| kind == FileKind::Cp932Csv && people.len() <= 100_000 && n % 97 == 13;
    match kind {
        FileKind::Cp932Csv | FileKind::Utf8BomCsv => {
            const CHUNK: usize = 20_000;
            let chunks: Vec<Result<Vec<u8>>> = people
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(c, chunk)| {
                    let mut w =
                        csv::WriterBuilder::new().has_headers(false).from_writer(Vec::with_capacity(chunk.len() * 120));
                    let mut record: Vec<Cow<'_, str>> = Vec::with_capacity(layout.cols.len());
                    for (k, p) in chunk.iter().enumerate() {
                        let n = c * CHUNK + k + 1;
                        record.clear();
                        record.extend(layout.cols.iter().map(|col| ctx.cell(&layout, col, n, p, fullwidth(n))));
                        w.write_record(record.iter().map(|s| s.as_bytes()))?;
                    }
                    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
                })
                .collect();
            let mut header = csv::WriterBuilder::new().from_writer(Vec::new());
            header.write_record(&layout.headers)?;
            let mut out: Vec<u8> = Vec::new();
            if kind == FileKind::Utf8BomCsv {
                out.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
            }
            out.extend(header.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?);
            for chunk in chunks {
                out.extend(chunk?);
            }
            if kind == FileKind::Cp932Csv {
                let text = String::from_utf8(out).context("CSV の文字列が UTF-8 ではありません")?;
                let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
                anyhow::ensure!(!unmappable, "Shift_JIS で書けない文字があります");
                out = bytes.into_owned();
            }
            std::fs::write(path, out).with_context(|| format!("{} に書き込めません", path.display()))
        }
        FileKind::Xlsx => {
            let mut wb = Workbook::new();
            let created = ExcelDateTime::from_ymd(year.0 as u16, 11, 1).map_err(|e| anyhow::anyhow!("{e}"))?;
            wb.set_properties(&DocProperties::new().set_creation_datetime(&created).set_author("ishiki synth"));
            let ws = wb.add_worksheet();
            ws.set_name("回答")?;
            ws.write_string(0, 0, format!("{} 職員意識調査 回答一覧（合成データ）", year.era()))?;
            for (c, h) in layout.headers.iter().enumerate() {
                ws.write_string(2, c as u16, h)?;
            }
            for (k, p) in people.iter().enumerate() {
                let row = 3 + k as u32;
                for (c, col) in layout.cols.iter().enumerate() {
                    match col {
                        Col::Number => {
                            ws.write_number(row, c as u16, (k + 1) as f64)?;
                        }
                        _ => {
                            let text = ctx.cell(&layout, col, k + 1, p, false);
                            if !text.is_empty() {
                                ws.write_string(row, c as u16, text.as_ref())?;
                            }
                        }
                    }
                }
            }
            wb.save(path).with_context(|| format!("{} に書き込めません", path.display()))
        }
        FileKind::PlainXlsx => {
            let mut wb = Workbook::new();
            let created = ExcelDateTime::from_ymd(year.0 as u16, 11, 1).map_err(|e| anyhow::anyhow!("{e}"))?;
            wb.set_properties(&DocProperties::new().set_creation_datetime(&created).set_author("ishiki synth"));
            let ws = wb.add_worksheet();
            ws.set_name("回答")?;
            for (c, h) in layout.headers.iter().enumerate() {
                ws.write_string(0, c as u16, h)?;
            }
            for (k, p) in people.iter().enumerate() {
                let row = 1 + k as u32;
                for (c, col) in layout.cols.iter().enumerate() {
                    match col {
                        Col::Number => {
                            ws.write_number(row, c as u16, (k + 1) as f64)?;
                        }
                        Col::Item(i) if p.answers[*i] != 0 => {
                            ws.write_number(row, c as u16, f64::from(p.answers[*i]))?;
                        }
                        _ => {
                            let text = ctx.cell(&layout, col, k + 1, p, false);
                            if !text.is_empty() {
                                ws.write_string(row, c as u16, text.as_ref())?;
                            }
                        }
                    }
                }
            }
            wb.save(path).with_context(|| format!("{} に書き込めません", path.display()))
        }
    }
}

/// Writes the harassment-survey export of one year as UTF-8 CSV with BOM
/// (multiple-choice answers in one cell) or .xlsx (one 0/1 column per choice).
pub fn write_harassment(
    path: &Path,
    one_cell: bool,
    survey: &Survey,
    depts: &[SynthDept],
    people: &[HarassmentPerson],
) -> Result<()> {
    use crate::config::survey::QuestionKind;
    let Some(h) = &survey.harassment else { return Ok(()) };
    let mut headers = vec![survey.department_column.first().cloned().unwrap_or_default()];
    for q in &h.questions {
        match q.kind {
            QuestionKind::Multiple if !one_cell => headers.extend(q.choices.iter().map(|c| format!("{}_{c}", q.id))),
            _ => headers.push(q.id.clone()),
        }
    }
    let comment = h.comments.first();
    if let Some(question) = comment {
        let kind = if one_cell { FileKind::Utf8BomCsv } else { FileKind::Xlsx };
        headers.push(comment_header(kind, question));
    }
    let rows: Vec<Vec<String>> = people
        .iter()
        .map(|p| {
            let mut row = vec![depts[p.dept as usize].code.clone()];
            for (qi, q) in h.questions.iter().enumerate() {
                match q.kind {
                    QuestionKind::Single => {
                        row.push(p.single[qi].map(|v| q.choices[v as usize].clone()).unwrap_or_default())
                    }
                    QuestionKind::Scale => row.push(p.single[qi].map(|v| v.to_string()).unwrap_or_default()),
                    QuestionKind::Multiple => {
                        let chosen = p.multiple[qi].as_deref();
                        if one_cell {
                            row.push(
                                chosen
                                    .map(|c| {
                                        c.iter().map(|&k| q.choices[k as usize].as_str()).collect::<Vec<_>>().join("、")
                                    })
                                    .unwrap_or_default(),
                            );
                        } else {
                            for k in 0..q.choices.len() {
                                row.push(match chosen {
                                    None => String::new(),
                                    Some(c) => u8::from(c.contains(&(k as u8))).to_string(),
                                });
                            }
                        }
                    }
                }
            }
            if comment.is_some() {
                row.push(p.comment.clone().unwrap_or_default());
            }
            row
        })
        .collect();
    if one_cell {
        let mut w = csv::WriterBuilder::new().from_writer(vec![0xEF, 0xBB, 0xBF]);
        w.write_record(&headers)?;
        for row in &rows {
            w.write_record(row)?;
        }
        let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
        std::fs::write(path, bytes).with_context(|| format!("{} に書き込めません", path.display()))
    } else {
        let mut wb = Workbook::new();
        let created = ExcelDateTime::from_ymd(2020, 11, 1).map_err(|e| anyhow::anyhow!("{e}"))?;
        wb.set_properties(&DocProperties::new().set_creation_datetime(&created).set_author("ishiki synth"));
        let ws = wb.add_worksheet();
        ws.set_name("回答")?;
        for (c, hd) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, hd)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32 + 1, c as u16, v)?;
                }
            }
        }
        wb.save(path).with_context(|| format!("{} に書き込めません", path.display()))
    }
}
