//! Reading one answer cell: numbers, full-width digits, the scale's labels, blanks.
//!
//! Form tools and Excel write the same answer many ways (`5`, `５`, `5.0`,
//! `そう思う`, ` そう思う `). [`parse_answer`] turns each into the scale value
//! or says precisely why it cannot.

use crate::config::survey::Scale;
use crate::text::{numbered, parse_number};

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
            AnswerError::UnknownLabel(v) => format!(
                "値「{v}」は回答として読めません（{}～{}の数字か「{}」～「{}」の文言にしてください）",
                scale.min,
                scale.max,
                scale.labels.last().map(String::as_str).unwrap_or(""),
                scale.labels.first().map(String::as_str).unwrap_or("")
            ),
            AnswerError::Disagreeing { text, label_value } => format!(
                "値「{text}」は番号と文言が合いません（「{}」は{label_value}です）。どちらの回答か確かめて直してください",
                scale.label(*label_value)
            ),
        }
    }
}

/// Reads one answer cell as the frame stores it, with the Japanese message
/// for a cell that is no answer.
pub fn answer_cell(text: &str, scale: &Scale) -> Result<Option<i8>, String> {
    parse_answer(text, scale).map(|v| v.map(|v| v as i8)).map_err(|e| e.message(scale))
}

/// Reads one answer cell; blank (or whitespace) is no answer.
pub fn parse_answer(text: &str, scale: &Scale) -> Result<Option<i64>, AnswerError> {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace());
    if trimmed.is_empty() {
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
