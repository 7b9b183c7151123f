//! The HR division's review of one year's comments (DESIGN §8): what the
//! comments workbook shows, and nothing more. Built from the ingested
//! comments, the organisation and the respondents' departments; the workbook
//! writer (`export::comments_xlsx`) renders this model alone.
//!
//! Per question, one row per comment with its 伏せ字案 ([`Masker`]), its
//! themes (the categories whose theme words it holds), why HR should read it
//! first (要確認) and, only under §8's rule, its 部: the top-level department
//! when that 部 has at least `comment_settings.min_group_size` respondents
//! that year and at least [`MIN_COMMENTERS`] commenters on the question.
//! Harassment-survey comments never carry a 部.
//!
//! Rows are ordered by a hash of their text keyed by the year: the order is
//! fixed for a year, and as it is a function of the texts alone, it tells
//! nothing of the file's row order (when a comment was written) or of the
//! respondent's department. Flagged rows come first, the most serious first.

use std::collections::HashMap;
use std::hash::Hasher;

use anyhow::{Context, Result};
use rayon::prelude::*;
use siphasher::sip::SipHasher13;
use siphasher::sip128::{Hasher128, SipHasher13 as SipHasher13x128};

use crate::comments::WordFinder;
use crate::config::comments::{CommentQuestion, Flag, MIN_COMMENTERS};
use crate::config::org::OrgYear;
use crate::config::year::FiscalYear;
use crate::ingest::{Comment, Workspace};

use super::{MaskKind, Masker};

/// The review of one year's comments: one sheet per question.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// The year reviewed.
    pub year: FiscalYear,
    /// The attitude survey's title.
    pub survey_title: String,
    /// The harassment survey's title, when it has free-text questions.
    pub harassment_title: Option<String>,
    /// `comment_settings.min_group_size`, said on the 説明 sheet.
    pub min_group_size: usize,
    /// The fingerprint of the comments reviewed ([`fingerprint`]).
    pub fingerprint: String,
    /// The attitude survey's questions, then the harassment survey's.
    pub sheets: Vec<ReviewSheet>,
}

/// One free-text question's comments.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewSheet {
    /// The question's id.
    pub question_id: String,
    /// The question's text.
    pub question_text: String,
    /// Whether it is the harassment survey's (no 部, no 掲載).
    pub harassment: bool,
    /// The name of the category the question asks about, if any.
    pub category: Option<String>,
    /// The comments in the workbook's order.
    pub rows: Vec<ReviewRow>,
}

impl ReviewSheet {
    /// Returns the name of its sheet in the comments workbook: the question's
    /// id and the start of its text, within Excel's 31 characters and without
    /// the characters Excel refuses.
    pub fn sheet_name(&self) -> String {
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { '_' } else { c })
                .collect()
        };
        let name = format!("{} {}", clean(&self.question_id), clean(&self.question_text));
        let name: String = name.chars().take(SHEET_NAME_CHARS).collect();
        name.trim_end().trim_matches('\'').to_string()
    }

    /// Returns how many rows are flagged.
    pub fn flagged(&self) -> usize {
        self.rows.iter().filter(|r| !r.flags.is_empty()).count()
    }
}

/// The workbook name holding the year (western, as a number); also read back by `approved`.
pub const YEAR_NAME: &str = "ishiki_year";
/// The workbook name holding the fingerprint of the comments; also read back by `approved`.
pub const FINGERPRINT_NAME: &str = "ishiki_fingerprint";

/// Excel's longest sheet name.
const SHEET_NAME_CHARS: usize = 31;

/// One comment as HR reviews it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    /// 番号: its place in the sheet, from 1.
    pub number: usize,
    /// テーマ: the names of the categories whose theme words it holds.
    pub themes: Vec<String>,
    /// 伏せ字案: the masked draft.
    pub draft: String,
    /// 原文: the comment as written.
    pub original: String,
    /// 要確認: why HR should read it first, most serious first.
    pub flags: Vec<Flag>,
    /// 部: the respondent's top-level department, only under DESIGN §8's rule.
    pub bu: Option<String>,
    /// The comment's keywords (nouns and compounds, each once, no masked
    /// word): counted for the committee report, never written to the workbook.
    pub keywords: Vec<String>,
}

/// Returns the review of `year`'s comments; `masker` drafts the 伏せ字案.
pub fn build(ws: &Workspace, year: FiscalYear, masker: &Masker) -> Result<Review> {
    let survey = &ws.survey;
    let settings = &survey.comment_settings;
    let org = ws.org.year(year).with_context(|| format!("org.csv に{}の所属がありません", year.era()))?;
    let respondents = respondents_per_bu(ws, year, org)?;
    let words = WordFinder::new(settings)?;
    let mut sheets = Vec::new();
    for (q, question) in survey.comments.iter().enumerate() {
        let comments: Vec<&Comment> = ws.comments.staff.iter().filter(|c| c.year == year && c.question == q).collect();
        let shown_bu = shown_bu(&comments, org, &respondents, settings.min_group_size);
        let rows = rows(&comments, year, question, &words, ws, masker, |c| {
            bu_of(org, &c.department).filter(|&b| shown_bu.contains(&b)).map(|b| org.departments[b].name.clone())
        });
        sheets.push(sheet(question, false, ws, rows));
    }
    let harassment_title = ws.survey.harassment.as_ref().filter(|h| !h.comments.is_empty()).map(|h| h.title.clone());
    if let Some(h) = &ws.survey.harassment {
        for (q, question) in h.comments.iter().enumerate() {
            let comments: Vec<&Comment> =
                ws.comments.harassment.iter().filter(|c| c.year == year && c.question == q).collect();
            let rows = rows(&comments, year, question, &words, ws, masker, |_| None);
            sheets.push(sheet(question, true, ws, rows));
        }
    }
    Ok(Review {
        year,
        survey_title: survey.title.clone(),
        harassment_title,
        min_group_size: settings.min_group_size,
        fingerprint: fingerprint(year, &sheets),
        sheets,
    })
}

fn sheet(question: &CommentQuestion, harassment: bool, ws: &Workspace, rows: Vec<ReviewRow>) -> ReviewSheet {
    ReviewSheet {
        question_id: question.id.clone(),
        question_text: question.text.clone(),
        harassment,
        category: question.category.map(|c| ws.survey.categories[c].name.clone()),
        rows,
    }
}

/// The rows of one question's comments, in the workbook's order.
fn rows(
    comments: &[&Comment],
    year: FiscalYear,
    question: &CommentQuestion,
    words: &WordFinder,
    ws: &Workspace,
    masker: &Masker,
    bu: impl Fn(&Comment) -> Option<String> + Sync,
) -> Vec<ReviewRow> {
    let categories = &ws.survey.categories;
    let mut rows: Vec<(u64, ReviewRow)> = comments
        .par_iter()
        .map(|c| {
            let analysis = masker.analyse(&c.text);
            let masked = analysis.masked;
            let found = words.find(&c.text);
            let mut flags = found.flags;
            if masked.spans.iter().any(|s| s.kind == MaskKind::Person) {
                flags.push(Flag::Person);
            }
            let row = ReviewRow {
                number: 0,
                themes: found.themes.into_iter().map(|i| categories[i].name.clone()).collect(),
                draft: masked.text,
                original: c.text.clone(),
                flags,
                bu: bu(c),
                keywords: analysis.keywords,
            };
            (order_key(year, &question.id, &c.text), row)
        })
        .collect();
    // Flagged rows first, the most serious first; then the keyed hash of the
    // text; identical texts (indistinguishable anyway) by what else they show.
    rows.sort_by(|(a, ra), (b, rb)| {
        let rank = |r: &ReviewRow| r.flags.first().map_or(u8::MAX, |f| *f as u8);
        rank(ra)
            .cmp(&rank(rb))
            .then(a.cmp(b))
            .then_with(|| ra.original.cmp(&rb.original))
            .then_with(|| ra.bu.cmp(&rb.bu))
    });
    rows.into_iter()
        .enumerate()
        .map(|(i, (_, mut row))| {
            row.number = i + 1;
            row
        })
        .collect()
}

/// Where a comment goes in its sheet: a hash of its question and text keyed
/// by the year (SipHash-1-3), so the order is the same for a year however
/// the exports list the rows, and another year's order is another.
fn order_key(year: FiscalYear, question: &str, text: &str) -> u64 {
    let mut h = SipHasher13::new_with_keys(u64::from(year.0.unsigned_abs()), ORDER_KEY);
    h.write(question.as_bytes());
    h.write_u8(0xFF);
    h.write(text.as_bytes());
    h.finish()
}

/// The second half of the order's key (fixed, so that the order is reproducible).
const ORDER_KEY: u64 = 0x6973_6869_6B69_2D38;

/// The top-level department (部) of a department of the year, by index.
fn bu_of(org: &OrgYear, code: &str) -> Option<usize> {
    org.find(code).and_then(|i| org.ancestors(i).last().copied())
}

/// Respondents of the year's attitude survey per 部 (by index).
fn respondents_per_bu(ws: &Workspace, year: FiscalYear, org: &OrgYear) -> Result<HashMap<usize, usize>> {
    let df = &ws.responses.df;
    let years = df.column("year").and_then(|c| c.i32().cloned()).context("回答の年度を読めません")?;
    let departments = df.column("department").and_then(|c| c.str().cloned()).context("回答の所属を読めません")?;
    let mut per_department: HashMap<&str, usize> = HashMap::new();
    for (y, d) in years.iter().zip(departments.iter()) {
        if let (Some(y), Some(d)) = (y, d)
            && y == year.0
        {
            *per_department.entry(d).or_insert(0) += 1;
        }
    }
    let mut out: HashMap<usize, usize> = HashMap::new();
    for (code, n) in per_department {
        if let Some(b) = bu_of(org, code) {
            *out.entry(b).or_insert(0) += n;
        }
    }
    Ok(out)
}

/// The 部 (by index) that a question's rows may show: at least
/// `min_group_size` respondents that year and at least [`MIN_COMMENTERS`]
/// commenters on the question (DESIGN §8).
fn shown_bu(
    comments: &[&Comment],
    org: &OrgYear,
    respondents: &HashMap<usize, usize>,
    min_group_size: usize,
) -> Vec<usize> {
    let mut commenters: HashMap<usize, usize> = HashMap::new();
    for c in comments {
        if let Some(b) = bu_of(org, &c.department) {
            *commenters.entry(b).or_insert(0) += 1;
        }
    }
    let mut shown: Vec<usize> = commenters
        .into_iter()
        .filter(|(b, n)| *n >= MIN_COMMENTERS && respondents.get(b).copied().unwrap_or(0) >= min_group_size)
        .map(|(b, _)| b)
        .collect();
    shown.sort_unstable();
    shown
}

/// The fingerprint of a review's inputs: a 128-bit SipHash-1-3 (hex) of the
/// year and, per question, its id and its comments' texts in byte order. It
/// changes when a comment of the year is added, removed or changed, and not
/// when anything else of the workspace does (a score corrected, the masking
/// or the word lists improved), so that HR's review of a workbook stays
/// valid exactly as long as its comments are the year's comments.
pub fn fingerprint(year: FiscalYear, sheets: &[ReviewSheet]) -> String {
    let mut h = SipHasher13x128::new();
    h.write(&year.0.to_le_bytes());
    for sheet in sheets {
        let mut texts: Vec<&str> = sheet.rows.iter().map(|r| r.original.as_str()).collect();
        texts.sort_unstable();
        let field = |h: &mut SipHasher13x128, bytes: &[u8]| {
            h.write(&(bytes.len() as u64).to_le_bytes());
            h.write(bytes);
        };
        field(&mut h, sheet.question_id.as_bytes());
        field(&mut h, &(texts.len() as u64).to_le_bytes());
        for text in texts {
            field(&mut h, text.as_bytes());
        }
    }
    format!("{:032x}", h.finish128().as_u128())
}
