//! Reading one answer cell: numbers, full-width digits, the scale's labels, blanks.
//!
//! Form tools and Excel write the same answer many ways (`5`, `５`, `5.0`,
//! `そう思う`, ` そう思う `). [`parse_answer`] turns each into the scale value
//! or says precisely why it cannot. What form tools write for a question left
//! unanswered (「無回答」「未回答」「-」) is no answer, like a blank;
//! [`NoAnswerMarks`] counts those cells so that the reader can say so once.

use std::collections::BTreeSet;

use polars::prelude::StringChunked;

use crate::config::survey::Scale;
use crate::ingest::export_file::first_and_count;
use crate::problem::Place;
use crate::text::{normalize, numbered, parse_number};

/// What form tools and spreadsheets write in a cell left unanswered.
const NO_ANSWER: [&str; 8] = ["無回答", "未回答", "回答なし", "-", "－", "ー", "―", "‐"];

/// Whether a cell says that the question was left unanswered (「無回答」「-」…).
pub fn is_no_answer_mark(text: &str) -> bool {
    let key = normalize(text);
    !key.is_empty() && NO_ANSWER.iter().any(|m| normalize(m) == key)
}

/// The cells of one export that said 「無回答」 or the like, read as no answer.
#[derive(Debug, Default)]
pub struct NoAnswerMarks {
    /// The marks as written, each once.
    written: BTreeSet<String>,
    /// How many cells held one.
    count: usize,
    /// The first such cell.
    first: Option<Place>,
}

impl NoAnswerMarks {
    /// Records `count` cells holding `text`, the first of them at `place`.
    pub fn add(&mut self, text: &str, count: usize, place: Place) {
        if count == 0 {
            return;
        }
        self.written.insert(text.trim().to_string());
        self.count += count;
        let earlier = |p: &Place| p.row() < self.first.as_ref().map_or(usize::MAX, Place::row);
        if self.first.as_ref().is_none() || earlier(&place) {
            self.first = Some(place);
        }
    }

    /// Records the cells of one column whose distinct text (`index` into
    /// [`per_distinct`](crate::ingest::export_file::per_distinct)'s results)
    /// `is_mark` says was a mark; `place` names the cell of a row.
    pub fn add_column(
        &mut self,
        cells: &StringChunked,
        index: &[u32],
        is_mark: &[bool],
        place: impl Fn(usize) -> Place,
    ) {
        for (_, (k, count)) in first_and_count(index, |r| is_mark.get(r).copied().unwrap_or(false)) {
            self.add(cells.get(k).unwrap_or(""), count, place(k));
        }
    }

    /// Returns the one note for the export, when any cell held a mark.
    pub fn note(&self) -> Option<(Place, String)> {
        let first = self.first.clone()?;
        let written: Vec<String> = self.written.iter().map(|w| format!("「{w}」")).collect();
        Some((
            first,
            format!(
                "{}と書かれたセル（このファイルに{}か所、ここが最初）は、空欄と同じく回答なしとして読みました",
                written.join(""),
                self.count
            ),
        ))
    }
}

/// Why a cell is not an answer on the scale.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerError {
    /// A number outside min..=max.
    OutOfRange(String),
    /// A number with a fraction (`4.5`): answers are whole numbers.
    NotWhole(String),
    /// Text that is neither a number nor one of the scale's labels.
    UnknownLabel(String),
    /// A numbered label whose number is not its label's value (`4：そう思う` where そう思う is 5).
    Disagreeing {
        /// The cell.
        text: String,
        /// The value of its label.
        label_value: i64,
    },
}

impl AnswerError {
    /// Returns the Japanese message for this error on `scale`.
    pub fn message(&self, scale: &Scale) -> String {
        match self {
            AnswerError::OutOfRange(v) => format!("値「{v}」は{}～{}の範囲外です", scale.min, scale.max),
            AnswerError::NotWhole(v) => {
                format!("値「{v}」は整数ではありません（回答は{}～{}の整数です）", scale.min, scale.max)
            }
            AnswerError::UnknownLabel(v) => {
                let mut message = format!(
                    "値「{v}」は回答として読めません（{}～{}の数字か「{}」～「{}」の文言にしてください）",
                    scale.min,
                    scale.max,
                    scale.labels.last().map(String::as_str).unwrap_or(""),
                    scale.labels.first().map(String::as_str).unwrap_or("")
                );
                if looks_like_a_label(v) {
                    message.push_str(
                        "。書き出しの選択肢の文言が違うときは、survey.toml の [scale.labels] をその文言にしてください（年度によって違うときは [[scale.year_labels]]）",
                    );
                }
                message
            }
            AnswerError::Disagreeing { text, label_value } => format!(
                "値「{text}」は番号と文言が合いません（「{}」は{label_value}です）。どちらの回答か確かめて直してください",
                scale.label(*label_value)
            ),
        }
    }
}

/// Words of the choices of an agreement or satisfaction scale.
const SCALE_WORDS: [&str; 9] =
    ["思う", "思わない", "あてはまる", "あてはまらない", "当てはまる", "どちらとも", "満足", "不満", "できている"];

/// Whether an unknown answer reads like another wording of a scale's choice
/// (「どちらかといえばそう思う」), not like a stray value (「#N/A」).
pub fn looks_like_a_label(text: &str) -> bool {
    let key = normalize(text);
    key.chars().count() <= 20 && SCALE_WORDS.iter().any(|w| key.contains(&normalize(w)))
}

/// Reads one answer cell as the frame stores it, with the Japanese message
/// for a cell that is no answer.
pub fn answer_cell(text: &str, scale: &Scale) -> Result<Option<i8>, String> {
    parse_answer(text, scale).map(|v| v.map(|v| v as i8)).map_err(|e| e.message(scale))
}

/// Reads one answer cell; blank (or whitespace) is no answer.
pub fn parse_answer(text: &str, scale: &Scale) -> Result<Option<i64>, AnswerError> {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace());
    if trimmed.is_empty() || is_no_answer_mark(trimmed) {
        return Ok(None);
    }
    if let Some(v) = parse_number(trimmed) {
        return number_answer(v, trimmed, scale).map(Some);
    }
    if let Some(v) = scale.value_of_label(trimmed) {
        return Ok(Some(v));
    }
    // A numbered label, as forms offer choices: `5：そう思う`, `5. そう思う`, `(5) そう思う`.
    if let Some((number, label)) = numbered(trimmed)
        && let Some(v) = scale.value_of_label(label)
    {
        return if number == v {
            Ok(Some(v))
        } else {
            Err(AnswerError::Disagreeing { text: trimmed.to_string(), label_value: v })
        };
    }
    Err(AnswerError::UnknownLabel(trimmed.to_string()))
}

/// Checks a numeric answer against the scale; `shown` is how the cell read.
pub fn number_answer(v: f64, shown: &str, scale: &Scale) -> Result<i64, AnswerError> {
    if v.fract() != 0.0 && v > scale.min as f64 && v < scale.max as f64 {
        Err(AnswerError::NotWhole(shown.to_string()))
    } else if v.fract() == 0.0 && v >= scale.min as f64 && v <= scale.max as f64 {
        Ok(v as i64)
    } else {
        Err(AnswerError::OutOfRange(shown.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale() -> Scale {
        Scale {
            min: 1,
            max: 5,
            favorable: 4,
            labels: ["そう思わない", "あまりそう思わない", "どちらともいえない", "ややそう思う", "そう思う"]
                .map(String::from)
                .to_vec(),
        }
    }

    #[test]
    fn reads_numbers_digits_and_labels() {
        let s = scale();
        assert_eq!(parse_answer("5", &s), Ok(Some(5)));
        assert_eq!(parse_answer("５", &s), Ok(Some(5)));
        assert_eq!(parse_answer(" 3 ", &s), Ok(Some(3)));
        assert_eq!(parse_answer("4.0", &s), Ok(Some(4)));
        assert_eq!(parse_answer("そう思う", &s), Ok(Some(5)));
        assert_eq!(parse_answer("　ややそう思う", &s), Ok(Some(4)));
        assert_eq!(parse_answer("そう思わない", &s), Ok(Some(1)));
        assert_eq!(parse_answer("", &s), Ok(None));
        assert_eq!(parse_answer("　", &s), Ok(None));
        for mark in ["無回答", "未回答", " - ", "－", "ー"] {
            assert_eq!(parse_answer(mark, &s), Ok(None), "{mark}");
        }
        assert!(!is_no_answer_mark("そう思う"));
    }

    #[test]
    fn reads_numbered_labels_and_half_width_katakana() {
        let s = scale();
        for text in ["5：そう思う", "5. そう思う", "5 そう思う", "（5）そう思う", "５．そう思う", "5) そう思う"]
        {
            assert_eq!(parse_answer(text, &s), Ok(Some(5)), "{text}");
        }
        assert_eq!(parse_answer("4:ややｿｳ思う", &s), Ok(Some(4)));
        assert_eq!(parse_answer("どちらとも いえない", &s), Ok(Some(3)));
        // A number that contradicts its label is not guessed.
        let disagreeing = parse_answer("4：そう思う", &s);
        assert_eq!(disagreeing, Err(AnswerError::Disagreeing { text: "4：そう思う".into(), label_value: 5 }));
        assert!(disagreeing.unwrap_err().message(&s).contains("番号と文言が合いません（「そう思う」は5です）"));
    }

    #[test]
    fn rejects_out_of_range_and_unknown() {
        let s = scale();
        assert_eq!(parse_answer("6", &s), Err(AnswerError::OutOfRange("6".into())));
        assert_eq!(parse_answer("0", &s), Err(AnswerError::OutOfRange("0".into())));
        assert_eq!(parse_answer("2.5", &s), Err(AnswerError::NotWhole("2.5".into())));
        assert_eq!(parse_answer("5.5", &s), Err(AnswerError::OutOfRange("5.5".into())));
        assert_eq!(
            AnswerError::NotWhole("4.5".into()).message(&s),
            "値「4.5」は整数ではありません（回答は1～5の整数です）"
        );
        assert_eq!(parse_answer("とても思う", &s), Err(AnswerError::UnknownLabel("とても思う".into())));
        assert_eq!(AnswerError::OutOfRange("6".into()).message(&s), "値「6」は1～5の範囲外です");
    }
}
