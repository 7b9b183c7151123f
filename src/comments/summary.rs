//! What the committee report may show of the comments (DESIGN §8), built
//! from a [`Review`] and what HR approved: per question, for the whole
//! organisation only, the number of commenters; the themes and the keywords
//! that at least [`MIN_WORD_COMMENTERS`] commenters used (a keyword counted
//! once per commenter, masked words never — the review's keywords leave them
//! out); nothing but the count for a question with fewer than
//! [`MIN_QUESTION_COMMENTERS`] commenters; and up to [`MAX_QUOTES`] approved
//! 伏せ字案 in the workbook's order. No 部, no row of the review, no text
//! but the approved drafts and the counted words leaves here.

use std::collections::HashMap;

use super::approved::Approved;
use super::review::Review;

/// The fewest commenters a keyword or a theme needs to be shown (DESIGN §8).
pub const MIN_WORD_COMMENTERS: usize = 5;
/// The fewest commenters a question needs for its themes and keywords (DESIGN §8).
pub const MIN_QUESTION_COMMENTERS: usize = 10;
/// The most approved comments printed per question (DESIGN §8).
pub const MAX_QUOTES: usize = 10;
/// The most keywords listed per question: the words used by the most commenters.
pub const MAX_KEYWORDS: usize = 15;

/// One question's part of the committee report.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionSummary {
    /// The question's id.
    pub question_id: String,
    /// The question's text.
    pub question_text: String,
    /// Whether it is the harassment survey's.
    pub harassment: bool,
    /// Respondents with a comment on it.
    pub commenters: usize,
    /// The fewest commenters a theme or keyword needed here.
    pub min_word: usize,
    /// The fewest commenters the question needed for themes and keywords.
    pub min_question: usize,
    /// Whether themes and keywords were counted (enough commenters).
    pub counted: bool,
    /// Each category's name with the commenters whose comment touches it,
    /// in the survey's order, only those with at least `min_word`.
    pub themes: Vec<(String, usize)>,
    /// How many categories were left out for having fewer than `min_word`
    /// commenters (none of their counts is printed).
    pub themes_left_out: usize,
    /// The words used by the most commenters, at least `min_word` each, most
    /// used first (ties in the words' order), at most [`MAX_KEYWORDS`].
    pub keywords: Vec<(String, usize)>,
    /// The approved 伏せ字案, in the workbook's order, at most [`MAX_QUOTES`];
    /// `None` when no reviewed workbook was given (or for the harassment survey).
    pub quotes: Option<Vec<String>>,
    /// Approved rows beyond [`MAX_QUOTES`], not printed.
    pub quotes_left_out: usize,
}

/// Summarises a review for the committee report. `categories` are the
/// survey's category names (the themes' order); `harassment_k` the
/// harassment survey's `min_group_size`; `approved` what HR approved.
pub fn summarise(
    review: &Review,
    categories: &[String],
    harassment_k: Option<usize>,
    approved: Option<&Approved>,
) -> Vec<QuestionSummary> {
    review
        .sheets
        .iter()
        .map(|sheet| {
            // The harassment survey promises that no number describes fewer
            // than its own k respondents (DESIGN §5, default 10, above §8's
            // 5 and 10): its questions' themes and keywords need that many
            // commenters too. Its sheets have no 掲載, so no quotes.
            let floor = if sheet.harassment { harassment_k.unwrap_or(0) } else { 0 };
            let min_word = MIN_WORD_COMMENTERS.max(floor);
            let min_question = MIN_QUESTION_COMMENTERS.max(floor);
            let commenters = sheet.rows.len();
            let counted = commenters >= min_question;
            let (themes, themes_left_out, keywords) = if counted {
                let (themes, left_out) =
                    theme_counts(sheet.rows.iter().map(|r| r.themes.as_slice()), categories, min_word);
                (themes, left_out, keyword_counts(sheet.rows.iter().map(|r| r.keywords.as_slice()), min_word))
            } else {
                (Vec::new(), 0, Vec::new())
            };
            let all_quotes = approved.filter(|_| !sheet.harassment).map(|a| a.of(&sheet.question_id));
            QuestionSummary {
                question_id: sheet.question_id.clone(),
                question_text: sheet.question_text.clone(),
                harassment: sheet.harassment,
                commenters,
                min_word,
                min_question,
                counted,
                themes,
                themes_left_out,
                keywords,
                quotes: all_quotes.map(|q| q.iter().take(MAX_QUOTES).cloned().collect()),
                quotes_left_out: all_quotes.map_or(0, |q| q.len().saturating_sub(MAX_QUOTES)),
            }
        })
        .collect()
}

/// Commenters per theme, in `categories`' order, those under `min` left
/// out (returned with how many were left out among those used at all).
fn theme_counts<'a>(
    rows: impl Iterator<Item = &'a [String]>,
    categories: &[String],
    min: usize,
) -> (Vec<(String, usize)>, usize) {
    let mut counts = vec![0usize; categories.len()];
    for themes in rows {
        for theme in themes {
            if let Some(i) = categories.iter().position(|c| c == theme) {
                counts[i] += 1;
            }
        }
    }
    let shown = categories.iter().zip(&counts).filter(|(_, n)| **n >= min).map(|(c, n)| (c.clone(), *n)).collect();
    let left_out = counts.iter().filter(|n| **n > 0 && **n < min).count();
    (shown, left_out)
}

/// Commenters per keyword (each comment's keywords are already distinct),
/// those with at least `min`, most used first, ties in the words' order.
fn keyword_counts<'a>(rows: impl Iterator<Item = &'a [String]>, min: usize) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for words in rows {
        for word in words {
            *counts.entry(word.as_str()).or_insert(0) += 1;
        }
    }
    let mut shown: Vec<(String, usize)> =
        counts.into_iter().filter(|(_, n)| *n >= min).map(|(w, n)| (w.to_string(), n)).collect();
    shown.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    shown.truncate(MAX_KEYWORDS);
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&[&str]]) -> Vec<Vec<String>> {
        list.iter().map(|w| w.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn a_keyword_needs_five_commenters_and_the_most_used_come_first() {
        let rows =
            words(&[&["研修", "残業"], &["研修", "残業"], &["研修", "残業"], &["研修", "残業"], &["研修"], &["休暇"]]);
        let counted = keyword_counts(rows.iter().map(Vec::as_slice), MIN_WORD_COMMENTERS);
        assert_eq!(counted, vec![("研修".to_string(), 5)]);
        let rows = words(&[&["b", "a"], &["b", "a"], &["a", "b"], &["a", "b"], &["b", "a"], &["c"]]);
        let counted = keyword_counts(rows.iter().map(Vec::as_slice), MIN_WORD_COMMENTERS);
        assert_eq!(counted, vec![("a".to_string(), 5), ("b".to_string(), 5)]);
    }

    #[test]
    fn a_theme_under_five_is_left_out_and_counted_as_left_out() {
        let cats = vec!["成長".to_string(), "健康".to_string(), "人間関係".to_string()];
        let rows = words(&[&["成長", "健康"], &["成長"], &["成長"], &["成長"], &["成長", "健康"]]);
        let (shown, left_out) = theme_counts(rows.iter().map(Vec::as_slice), &cats, MIN_WORD_COMMENTERS);
        assert_eq!(shown, vec![("成長".to_string(), 5)]);
        assert_eq!(left_out, 1);
    }
}
