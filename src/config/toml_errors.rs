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
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        // serde says `invalid type: string "65点", expected f64`.
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return format!(
                "値の種類が違います（{}を書くところに{}があります）",
                expected_ja(expected),
                found_ja(found)
            );
        }
        return format!("値の種類が違います（{message}）");
    }
    if message.contains("did not match any variant of untagged enum HeadersFile") {
        return "列名は文字列（\"所属コード\"）か文字列の配列（[\"所属コード\", \"所属\"]）で書いてください"
            .to_string();
    }
    if message.contains("must be quoted") {
        return "文字列は \"…\" で囲んでください".to_string();
    }
    if message.starts_with("duplicate key") {
        return format!("同じ項目名が二度書かれています（{message}）");
    }
    format!("TOMLとして読めません（{}）", message.trim())
}

/// Names the kind of value serde found, in Japanese, with the value itself: `string "65点"` → `文字列「65点」`.
fn found_ja(found: &str) -> String {
    for (en, ja) in [("string ", "文字列"), ("integer ", "整数"), ("floating point ", "小数"), ("boolean ", "真偽値")]
    {
        if let Some(value) = found.strip_prefix(en) {
            return format!("{ja}「{}」", value.trim_matches(|c| c == '"' || c == '`'));
        }
    }
    match found {
        "sequence" => "配列（[…]）".to_string(),
        "map" => "表".to_string(),
        other => other.to_string(),
    }
}

/// Names the kind of value serde expected, in Japanese.
fn expected_ja(expected: &str) -> String {
    match expected.trim_start_matches("a ").trim_start_matches("an ") {
        "f64" | "f32" => "数値".to_string(),
        "string" => "文字列（\"…\" で囲む）".to_string(),
        "usize" | "u64" | "u32" | "i64" | "i32" | "integer" => "整数".to_string(),
        "boolean" | "bool" => "真偽値（true か false）".to_string(),
        "sequence" => "配列（[…]）".to_string(),
        other => other.to_string(),
    }
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

    #[test]
    fn translates_invalid_types_and_unquoted_strings() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            target: f64,
        }
        let text = "target = \"65点\"\n";
        let err = toml::from_str::<T>(text).expect_err("not a number");
        assert_eq!(
            translate("plan.toml", text, &err).message,
            "値の種類が違います（数値を書くところに文字列「65点」があります）"
        );
        let text = "target = x\n";
        let err = toml::from_str::<T>(text).expect_err("unquoted");
        assert_eq!(translate("plan.toml", text, &err).message, "文字列は \"…\" で囲んでください");
    }
}
