//! Free-text answers (DESIGN §8), read from the same exports as the answers
//! but handed on apart from them: each comment is its question, year,
//! respondent's department code and text, never a row of the respondents'
//! frame, so nothing that aggregates or exports scores can reach a text.
//!
//! A blank answer, punctuation alone and an answer that says nothing
//! (「特になし」…, survey.toml `[comment_settings]`) is no comment.

use crate::config::comments::{CommentQuestion, CommentSettings};
use crate::config::year::FiscalYear;
use crate::ingest::columns::Matcher;
use crate::ingest::export_file::{ExportFrame, Wanted, wanted_name};
use crate::ingest::table::Want;
use crate::problem::{Place, Problems};

/// One comment: a respondent's answer to a free-text question.
#[derive(Clone, PartialEq, Eq)]
pub struct Comment {
    /// Index of its question in the survey's (or the harassment survey's) `comments`.
    pub question: usize,
    /// The fiscal year of its export row.
    pub year: FiscalYear,
    /// The respondent's department code (org.csv of that year).
    pub department: String,
    /// The text as written, trimmed, line breaks as `\n`.
    pub text: String,
}

/// Debug output never shows a comment's text: a text must not reach a log
/// or a panic message by way of a `{:?}`.
impl std::fmt::Debug for Comment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Comment")
            .field("question", &self.question)
            .field("year", &self.year)
            .field("department", &self.department)
            .field("chars", &self.text.chars().count())
            .finish()
    }
}

/// Every comment of a workspace, in the order of the export files and their rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comments {
    /// Comments on the attitude survey's questions (`[[comments]]`).
    pub staff: Vec<Comment>,
    /// Comments on the harassment survey's questions (`[[harassment.comments]]`).
    pub harassment: Vec<Comment>,
}

/// How a free-text question's column is found: by its headers, or by a
/// header that is its id or holds its text.
pub fn matcher(question: &CommentQuestion) -> Matcher {
    if question.header.is_empty() {
        Matcher::IdOrText { id: question.id.clone(), text: question.text.clone() }
    } else {
        Matcher::AnyOf(question.header.clone())
    }
}

/// The requests for the questions' columns, optional in an export (a year
/// whose form did not ask has no comments).
pub fn wanted(questions: &[CommentQuestion]) -> Vec<Wanted> {
    questions
        .iter()
        .map(|q| Wanted {
            name: format!("自由記述の設問「{}」の列", q.id),
            matcher: matcher(q),
            required: false,
            want: Want::Text,
        })
        .collect()
}

/// Returns the comments of one export whose requests `first..` are the
/// questions' columns ([`wanted`]), in row order. Rows whose department was
/// not read have no comment (their file has errors and is not used).
pub fn from_frame(
    frame: &ExportFrame,
    first: usize,
    questions: &[CommentQuestion],
    settings: &CommentSettings,
) -> Vec<Comment> {
    let df = &frame.df;
    let (Ok(years), Ok(departments)) =
        (df.column("year").and_then(|c| c.i32().cloned()), df.column("department").and_then(|c| c.str().cloned()))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (q, _) in questions.iter().enumerate() {
        let i = first + q;
        if frame.columns.get(i).copied().flatten().is_none() {
            continue;
        }
        let Ok(texts) = df.column(&wanted_name(i)).and_then(|c| c.str().cloned()) else { continue };
        for ((text, year), department) in texts.iter().zip(years.iter()).zip(departments.iter()) {
            let (Some(text), Some(year), Some(department)) = (text, year, department) else { continue };
            if settings.is_comment(text) {
                out.push(Comment {
                    question: q,
                    year: FiscalYear(year),
                    department: department.to_string(),
                    text: text.trim().replace("\r\n", "\n").replace('\r', "\n"),
                });
            }
        }
    }
    out
}

/// Notes the free-text questions an export has no column for (the form of
/// that year did not ask them: no comments, and nothing else changes).
pub fn note_missing(frame: &ExportFrame, first: usize, questions: &[CommentQuestion], problems: &mut Problems) {
    let missing: Vec<&str> = questions
        .iter()
        .enumerate()
        .filter(|(q, _)| frame.columns.get(first + q).copied().flatten().is_none())
        .map(|(_, question)| question.id.as_str())
        .collect();
    if !missing.is_empty() {
        problems.note(
            Place::File(frame.opened.file.clone()),
            format!(
                "自由記述の設問 {} の列がありません（このファイルの年度の自由記述はないものとして扱います）",
                missing.join("・")
            ),
        );
    }
}
