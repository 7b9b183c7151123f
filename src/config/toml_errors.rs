//! Turns TOML parse errors and spans into Japanese problems with a line number.

use crate::problem::{Place, Problem};

/// Returns the 1-based line of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Returns the place of a byte span in a TOML file.
pub fn place_of(file: &str, text: &str, span: std::ops::Range<usize>) -> Place {
    Place::Line { file: file.to_string(), line: line_of(text, span.start) }
}

/// Translates a `toml` deserialisation error into a Japanese problem at its line.
pub fn translate(file: &str, text: &str, err: &toml::de::Error) -> Problem {
    let place = match err.span() {
        Some(span) => place_of(file, text, span),
        None => Place::File(file.to_string()),
    };
    Problem::new(place, japanese_message(err.message()))
}

fn backticked(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

fn japanese_message(message: &str) -> String {
    let quoted = backticked(message);
    if message.starts_with("unknown field") {
        let name = quoted.first().copied().unwrap_or("?");
        let allowed: Vec<&str> = quoted.iter().skip(1).copied().collect();
        if allowed.is_empty() {
            return format!("不明な項目名「{name}」です（綴りを確かめてください）");
        }
        return format!("不明な項目名「{name}」です（使える項目名: {}）", allowed.join("、"));
    }
    if message.starts_with("missing field") {
        let name = quoted.first().copied().unwrap_or("?");
        return format!("必須の項目「{name}」がありません");
    }
    if message.starts_with("unknown variant") {
        let name = quoted.first().copied().unwrap_or("?");
        let allowed: Vec<&str> = quoted.iter().skip(1).copied().collect();
        return format!("「{name}」は使えない値です（使える値: {}）", allowed.join("、"));
    }
    if message.starts_with("invalid type") {
        return format!("値の種類が違います（{message}）");
    }
    if message.starts_with("duplicate key") {
        return format!("同じ項目名が二度書かれています（{message}）");
    }
    format!("TOMLとして読めません（{}）", message.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_unknown_field_with_its_line() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            scale: i64,
        }
        let text = "\n\nscal = 1\n";
        let err = toml::from_str::<T>(text).unwrap_err();
        let p = translate("survey.toml", text, &err);
        assert_eq!(p.place, Place::Line { file: "survey.toml".into(), line: 3 });
        assert!(p.message.starts_with("不明な項目名「scal」です"), "{}", p.message);
        assert!(p.message.contains("scale"), "{}", p.message);
    }
}
