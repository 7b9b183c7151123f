//! The committee report's section 「職員の声（自由記述）」 (DESIGN §8):
//! per free-text question, its commenters, the theme counts as a bar chart,
//! the keywords as a table and the comments HR approved — all taken from a
//! [`QuestionSummary`], which already holds only what may be shown.

use crate::comments::summary::{MAX_KEYWORDS, MAX_QUOTES, QuestionSummary};
use crate::report::charts::{Cell, Chart, RateBars, RateRow, rate_bars};
use crate::report::format::count;

use super::*;

/// The section on the staff's comments.
#[derive(Debug, Clone, Serialize)]
pub struct CommentsSection {
    /// One sentence on how the comments were handled.
    pub handling: String,
    /// The questions, the attitude survey's first.
    pub questions: Vec<CommentQuestionDoc>,
}

/// One free-text question in the committee report.
#[derive(Debug, Clone, Serialize)]
pub struct CommentQuestionDoc {
    /// The question's id, e.g. `C01`.
    pub id: String,
    /// The question as asked, e.g. `職場環境や…お書きください`.
    pub question: String,
    /// Which survey asked it.
    pub survey: String,
    /// The commenters, and what is shown of them.
    pub summary: String,
    /// The key of the theme chart in the images, when drawn.
    pub chart: Option<String>,
    /// What the theme chart counts and what it leaves out.
    pub themes_note: String,
    /// The keywords: word and commenters.
    pub keywords: Vec<(String, String)>,
    /// What the keyword table counts.
    pub keywords_note: String,
    /// The approved comments' 伏せ字案.
    pub quotes: Vec<String>,
    /// Where the quotes come from, or why there are none.
    pub quotes_note: String,
}

/// The promise on the cover about free text, for a report with this section (or without one).
pub(super) fn cover_promise(section: Option<&CommentsSection>, quotes_printed: bool) -> String {
    match (section, quotes_printed) {
        (None, _) => "自由記述や個人ごとの回答は、この報告書のどこにも載せていません。".into(),
        (Some(_), false) => "個人ごとの回答と自由記述の文は載せていません（自由記述は、市全体で数えた語とテーマの人数だけを示しています）。".into(),
        (Some(_), true) => "個人ごとの回答は載せていません。自由記述の文は、人事担当課が伏せ字を確かめて掲載を認めたものだけを、所属を付けずに載せています。".into(),
    }
}

/// Builds the section from the comments' summary; `survey` and
/// `harassment_survey` name the two surveys.
pub(super) fn comments_section(
    summaries: &[QuestionSummary],
    survey: &str,
    harassment_survey: &str,
) -> (CommentsSection, bool) {
    let quotes_printed = summaries.iter().any(|q| q.quotes.as_ref().is_some_and(|v| !v.is_empty()));
    let handling = if quotes_printed {
        "記述の文は、人名・所属・地名・役職・連絡先を伏せ字にしたうえで人事担当課が読んで確かめ、掲載を認めたものだけを、部などの所属を付けずに載せています。"
    } else {
        "記述の文そのものは載せず、市全体で数えた人数だけを示しています（部などの所属ごとには数えていません）。"
    };
    let questions = summaries
        .iter()
        .enumerate()
        .map(|(i, q)| question_doc(i, q, if q.harassment { harassment_survey } else { survey }))
        .collect();
    (CommentsSection { handling: handling.into(), questions }, quotes_printed)
}

fn question_doc(index: usize, q: &QuestionSummary, survey: &str) -> CommentQuestionDoc {
    let summary = if q.commenters == 0 {
        "この設問への記述はありませんでした。".to_string()
    } else if q.counted {
        format!("この設問には{}人が記述しました（市全体）。", count(q.commenters as u64))
    } else {
        format!(
            "この設問には{}人が記述しました（市全体）。記述した人が{}人未満のため、テーマと語の集計は示していません。",
            count(q.commenters as u64),
            q.min_question
        )
    };
    let left_out = if q.themes_left_out > 0 {
        format!("（ほかに{}テーマは{}人未満のため示していません）", q.themes_left_out, q.min_word)
    } else {
        String::new()
    };
    let themes_note = counted_note(
        q,
        q.themes.is_empty(),
        format!("記述した人が{}人以上のテーマはありませんでした。", q.min_word),
        format!(
            "記述に含まれる語から当てはまるカテゴリ（テーマ）を判断し、テーマごとに記述した人を数えました。1つの記述が複数のテーマに当たることがあります。{}人以上が記述したテーマだけを示しています{left_out}。",
            q.min_word
        ),
    );
    let keywords_note = counted_note(
        q,
        q.keywords.is_empty(),
        format!("{}人以上が使った語はありませんでした。", q.min_word),
        format!(
            "記述に使われた名詞とそのつながり（複合語）を、1人が何度使っても1人として数えました。伏せ字にした語は数えていません。{}人以上が使った語を、多い順に最大{MAX_KEYWORDS}語示しています。",
            q.min_word
        ),
    );
    let quotes_note = match (&q.quotes, q.harassment) {
        (_, true) => "ハラスメント調査の自由記述は、記述の文を載せていません（相談や対応につなぐため、人事担当課の中だけで読んでいます）。".to_string(),
        (None, false) => String::new(),
        (Some(quotes), false) if quotes.is_empty() => "掲載を認めた記述はありません。".to_string(),
        (Some(quotes), false) => {
            let more = if q.quotes_left_out > 0 {
                format!(
                    "掲載を認めた{}件のうち、一覧の順に最初の{MAX_QUOTES}件を載せています。",
                    quotes.len() + q.quotes_left_out
                )
            } else {
                String::new()
            };
            format!("人事担当課が伏せ字を確かめ、掲載を認めた記述です（一覧の順。部は載せていません）。{more}")
        }
    };
    CommentQuestionDoc {
        id: q.question_id.clone(),
        question: q.question_text.clone(),
        survey: survey.to_string(),
        summary,
        chart: (q.counted && !q.themes.is_empty()).then(|| chart_key(index)),
        themes_note,
        keywords: q.keywords.iter().map(|(w, n)| (w.clone(), format!("{}人", count(*n as u64)))).collect(),
        keywords_note,
        quotes: q.quotes.clone().unwrap_or_default(),
        quotes_note,
    }
}

/// The note under a counted list: none for a question whose lists were not
/// counted, `none_shown` when nothing reached the threshold, else `shown`.
fn counted_note(q: &QuestionSummary, empty: bool, none_shown: String, shown: String) -> String {
    match (q.counted, empty) {
        (false, _) => String::new(),
        (true, true) => none_shown,
        (true, false) => shown,
    }
}

fn chart_key(index: usize) -> String {
    format!("comment_themes{index}")
}

/// Draws each question's theme counts as bars (`comment_themes0`…), for the
/// questions whose themes are shown.
pub fn comment_charts(summaries: &[QuestionSummary]) -> Result<Vec<(String, Chart)>> {
    let mut out = Vec::new();
    for (i, q) in summaries.iter().enumerate().filter(|(_, q)| q.counted && !q.themes.is_empty()) {
        let most = q.themes.iter().map(|(_, n)| *n).max().unwrap_or(0) as f64;
        let chart = RateBars {
            rows: q
                .themes
                .iter()
                .map(|(name, n)| RateRow { label: name.clone(), value: Cell::Value(*n as f64), ..RateRow::default() })
                .collect(),
            range: (0.0, nice_top(most)),
            unit: "人".into(),
            row_height: 16.0,
            counts: true,
            ..RateBars::default()
        };
        out.push((chart_key(i), rate_bars(&chart)?));
    }
    Ok(out)
}

/// The top of a count axis: the most, rounded up to a round number not far
/// above it; at least 10, and never 25 or 30 (whose ticks the chart would
/// set 2.5 apart), so that the ticks are whole people.
fn nice_top(most: f64) -> f64 {
    let most = most.max(10.0);
    let power = 10f64.powf(most.log10().floor());
    [1.0, 2.0, 4.0, 5.0, 6.0, 8.0, 10.0].iter().map(|m| m * power).find(|&top| top >= most).unwrap_or(10.0 * power)
}
