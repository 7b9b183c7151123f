//! Fiscal years (年度): parsing every form a user writes and printing the report form.
//!
//! Internally a fiscal year is the western year it starts in (令和4年度 = 2022).
//! Users may write `2022`, `R4`, `R04`, `令和4`, `令和4年度`, `令和元年度`, and the
//! 平成 forms for older data; reports print `令和4年度（2022年度）`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A fiscal year, stored as the western year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(pub i32);

/// Western year of 令和元年 and 平成元年, minus one.
const REIWA_OFFSET: i32 = 2018;
const HEISEI_OFFSET: i32 = 1988;

impl FiscalYear {
    /// Returns the western year the fiscal year starts in.
    pub fn western(self) -> i32 {
        self.0
    }

    /// Returns the year before.
    pub fn previous(self) -> FiscalYear {
        FiscalYear(self.0 - 1)
    }

    /// Returns the Japanese era form without the western year: `令和4年度`.
    pub fn era(self) -> String {
        if self.0 > REIWA_OFFSET {
            match self.0 - REIWA_OFFSET {
                1 => "令和元年度".to_string(),
                n => format!("令和{n}年度"),
            }
        } else {
            match self.0 - HEISEI_OFFSET {
                1 => "平成元年度".to_string(),
                n => format!("平成{n}年度"),
            }
        }
    }

    /// Returns the short era form used in tables: `R4`.
    pub fn short(self) -> String {
        if self.0 > REIWA_OFFSET {
            format!("R{}", self.0 - REIWA_OFFSET)
        } else {
            format!("H{}", self.0 - HEISEI_OFFSET)
        }
    }

    /// Finds a fiscal year inside a file name such as `R6_職員意識調査.xlsx` or `2024.csv`.
    ///
    /// Returns `None` when the name holds no year or more than one different
    /// year; [`FiscalYear::in_file_name`] tells which.
    pub fn from_file_name(stem: &str) -> Option<FiscalYear> {
        FiscalYear::in_file_name(stem).one()
    }

    /// Reads what a file name says about its fiscal year: the years it names,
    /// and the numbers that look like years but are not (a download counter's
    /// range, a date stamp).
    pub fn in_file_name(stem: &str) -> NameYears {
        let chars: Vec<char> = crate::text::fold_width(stem).chars().collect();
        let mut out = NameYears::default();
        let mut i = 0;
        while i < chars.len() {
            match token_at(&chars, i) {
                Some((token, len)) => {
                    let written: String = chars[i..i + len].iter().collect();
                    match token {
                        Token::Year(year) => {
                            if !out.years.iter().any(|(y, _)| *y == year) {
                                out.years.push((year, written));
                            }
                        }
                        Token::NotAYear(why) => out.passed_over.push((written, why)),
                        Token::Other => {}
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// What a file name says about its fiscal year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameYears {
    /// The different years it names, each as first written (`R7`, `2025`).
    pub years: Vec<(FiscalYear, String)>,
    /// Numbers that look like years and were not taken for one, as written, with why.
    pub passed_over: Vec<(String, NotAYear)>,
}

/// Why a number in a file name is not its fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAYear {
    /// A range of response numbers, as Microsoft Forms names a download (`(1-2024)`).
    Counter,
    /// A date stamp (`2026年1月`, `2026-01-15`, `R8.1.15`).
    Date,
}

impl NameYears {
    /// Returns the year when the name holds exactly one.
    pub fn one(&self) -> Option<FiscalYear> {
        match self.years.as_slice() {
            [(one, _)] => Some(*one),
            _ => None,
        }
    }

    /// Says why the name gives no year, for a message: `None` when it gives one.
    pub fn why_none(&self) -> Option<String> {
        if self.years.len() > 1 {
            let named: Vec<String> = self.years.iter().map(|(y, w)| format!("「{w}」（{}）", y.era())).collect();
            return Some(format!(
                "ファイル名に年度が{}つあります: {}。ファイル名に年度を一つだけ書いてください",
                self.years.len(),
                named.join("と")
            ));
        }
        if !self.years.is_empty() {
            return None;
        }
        if self.passed_over.is_empty() {
            return Some("ファイル名にも 2024・R6・令和6年度 のような年度がありません".to_string());
        }
        Some(format!(
            "ファイル名の{}、年度とは読みませんでした。ファイル名に 2024・R6・令和6年度 のように年度を入れてください",
            self.passed_over_said()
        ))
    }

    /// Says what was passed over and why (`「(1-2024)」は回答の番号の範囲…`); empty when nothing was.
    pub fn passed_over_said(&self) -> String {
        let said: Vec<String> = self
            .passed_over
            .iter()
            .map(|(w, why)| match why {
                NotAYear::Counter => {
                    format!("「{w}」は回答の番号の範囲（Microsoft Forms が書き出すファイルの名前に付けるもの）")
                }
                NotAYear::Date => format!("「{w}」は日付"),
            })
            .collect();
        match said.as_slice() {
            [] => String::new(),
            [one] => format!("{one}と見て"),
            _ => format!("{}と見て", said.join("、")),
        }
    }
}

/// A year-like token of a file name.
enum Token {
    Year(FiscalYear),
    NotAYear(NotAYear),
    /// Numbers that cannot be taken for a year (`(1-80)`): passed over without a word.
    Other,
}

/// The digits starting at `i`, as text.
fn digits_at(chars: &[char], i: usize) -> String {
    chars.get(i..).unwrap_or(&[]).iter().take_while(|c| c.is_ascii_digit()).collect()
}

/// Whether `chars[i..]` starts with `text`.
fn starts_with(chars: &[char], i: usize, text: &str) -> bool {
    let n = text.chars().count();
    chars.get(i..i + n).is_some_and(|s| s.iter().copied().eq(text.chars()))
}

/// The length of a date's rest after its year ends at `i` (`年1月`, `-01`, `-01-15`,
/// `.1.15`), or 0 when none follows. `era` years take `.1` as a month
/// (`R8.1.15`); western years need a month of two digits after `.` or `-`.
fn date_rest(chars: &[char], i: usize, era: bool) -> usize {
    if chars.get(i) == Some(&'年') {
        let month = digits_at(chars, i + 1);
        let m = month.len();
        if (1..=2).contains(&m) && chars.get(i + 1 + m) == Some(&'月') {
            return 2 + m;
        }
        return 0;
    }
    let Some(&sep) = chars.get(i).filter(|c| matches!(c, '-' | '.' | '/' | '_')) else { return 0 };
    let month = digits_at(chars, i + 1);
    let month_ok = |m: &str| m.parse::<u32>().is_ok_and(|v| (1..=12).contains(&v));
    let day_len = {
        let d = digits_at(chars, i + 2 + month.len());
        if chars.get(i + 1 + month.len()) == Some(&sep) && (1..=2).contains(&d.len()) { 1 + d.len() } else { 0 }
    };
    let month_len_ok = if era { (1..=2).contains(&month.len()) } else { month.len() == 2 };
    // `survey_2023_final` and `2024_1` are not dates: an underscore needs a day too.
    if !month_len_ok || !month_ok(&month) || (sep == '_' && day_len == 0) {
        return 0;
    }
    1 + month.len() + day_len
}

/// Reads the year-like token starting at `chars[i]`, with its length.
fn token_at(chars: &[char], i: usize) -> Option<(Token, usize)> {
    for (prefix, offset) in [
        ("令和", REIWA_OFFSET),
        ("平成", HEISEI_OFFSET),
        ("R", REIWA_OFFSET),
        ("r", REIWA_OFFSET),
        ("H", HEISEI_OFFSET),
        ("h", HEISEI_OFFSET),
    ] {
        if !starts_with(chars, i, prefix) {
            continue;
        }
        let p = prefix.chars().count();
        // A Latin era letter must not be part of a word ("FY" is fine, "HR" is not).
        if p == 1 && i > 0 && chars[i - 1].is_ascii_alphabetic() {
            continue;
        }
        let (n, len) = if chars.get(i + p) == Some(&'元') {
            (1, p + 1)
        } else {
            let digits = digits_at(chars, i + p);
            match digits.parse::<i32>() {
                Ok(n) if (1..=2).contains(&digits.len()) && n >= 1 => (n, p + digits.len()),
                _ => continue,
            }
        };
        if starts_with(chars, i + len, "年度") {
            return Some((Token::Year(FiscalYear(offset + n)), len + 2));
        }
        return Some(match date_rest(chars, i + len, true) {
            0 => (Token::Year(FiscalYear(offset + n)), len),
            rest => (Token::NotAYear(NotAYear::Date), len + rest),
        });
    }
    if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
        return None;
    }
    let digits = digits_at(chars, i);
    let len = digits.len();
    let as_year = |d: &str| d.len() == 4 && d.parse::<i32>().is_ok_and(|n| (1989..=2100).contains(&n));
    // A range of numbers (`1-2024`, Microsoft Forms' `(1-N)`): response numbers,
    // unless both ends are years (`2024-2025`, read as two candidates).
    if matches!(chars.get(i + len), Some('-' | '~' | '～')) {
        let second = digits_at(chars, i + len + 1);
        let a_date = as_year(&digits) && date_rest(chars, i + len, false) > 0;
        if !second.is_empty() && !a_date {
            if as_year(&digits) && as_year(&second) {
                return Some((Token::Year(FiscalYear(digits.parse().ok()?)), len));
            }
            let token =
                if as_year(&digits) || as_year(&second) { Token::NotAYear(NotAYear::Counter) } else { Token::Other };
            return Some((token, len + 1 + second.len()));
        }
    }
    // A date written as one number: 20260115.
    if len == 8 && as_year(&digits[..4]) {
        let (m, d) = (digits[4..6].parse::<u32>().ok()?, digits[6..].parse::<u32>().ok()?);
        if (1..=12).contains(&m) && (1..=31).contains(&d) {
            return Some((Token::NotAYear(NotAYear::Date), len));
        }
    }
    if !as_year(&digits) {
        return None;
    }
    if starts_with(chars, i + len, "年度") {
        return Some((Token::Year(FiscalYear(digits.parse().ok()?)), len + 2));
    }
    Some(match date_rest(chars, i + len, false) {
        0 => (Token::Year(FiscalYear(digits.parse().ok()?)), len),
        rest => (Token::NotAYear(NotAYear::Date), len + rest),
    })
}

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}（{}年度）", self.era(), self.0)
    }
}

/// Why a text is not a fiscal year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearParseError(pub String);

impl fmt::Display for YearParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "「{}」は年度として読めません（2024、R6、R06、令和6、令和6年度 のように書いてください）", self.0)
    }
}

impl std::error::Error for YearParseError {}

impl FromStr for FiscalYear {
    type Err = YearParseError;

    /// Parses `2022`, `2022年度`, `R4`, `R04`, `令和4`, `令和4年度`, `令和元年度`, `H30`, `平成30年度`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || YearParseError(s.to_string());
        let text = crate::text::fold_width(s.trim());
        let text = text.trim();
        let text = text.strip_suffix("年度").or_else(|| text.strip_suffix('年')).unwrap_or(text);
        let text = text.strip_suffix(".0").unwrap_or(text);
        for (prefix, offset) in [
            ("令和", REIWA_OFFSET),
            ("平成", HEISEI_OFFSET),
            ("R", REIWA_OFFSET),
            ("r", REIWA_OFFSET),
            ("H", HEISEI_OFFSET),
            ("h", HEISEI_OFFSET),
        ] {
            if let Some(rest) = text.strip_prefix(prefix) {
                if rest == "元" {
                    return Ok(FiscalYear(offset + 1));
                }
                if rest.is_empty() || rest.len() > 2 || !rest.chars().all(|c| c.is_ascii_digit()) {
                    return Err(err());
                }
                let n: i32 = rest.parse().map_err(|_| err())?;
                if n < 1 {
                    return Err(err());
                }
                return Ok(FiscalYear(offset + n));
            }
        }
        if text.len() == 4 && text.chars().all(|c| c.is_ascii_digit()) {
            let n: i32 = text.parse().map_err(|_| err())?;
            if (1989..=2100).contains(&n) {
                return Ok(FiscalYear(n));
            }
        }
        Err(err())
    }
}

impl Serialize for FiscalYear {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(self.0)
    }
}

impl<'de> Deserialize<'de> for FiscalYear {
    /// Accepts an integer (`2022`) or any string form (`"R4"`, `"令和4年度"`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Int(n) => format!("{n}").parse().map_err(serde::de::Error::custom),
            Raw::Text(s) => s.parse().map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form_the_design_lists() {
        for s in ["2022", "R4", "R04", "令和4", "令和4年度", "Ｒ４", "２０２２年度", " r4 "] {
            assert_eq!(s.parse::<FiscalYear>(), Ok(FiscalYear(2022)), "{s}");
        }
        assert_eq!("令和元年度".parse::<FiscalYear>(), Ok(FiscalYear(2019)));
        assert_eq!("H30".parse::<FiscalYear>(), Ok(FiscalYear(2018)));
        assert_eq!("平成30年度".parse::<FiscalYear>(), Ok(FiscalYear(2018)));
        for bad in ["", "R", "R123", "令和", "22", "abc", "R0", "1900"] {
            assert!(bad.parse::<FiscalYear>().is_err(), "{bad}");
        }
    }

    #[test]
    fn prints_era_with_western_year() {
        assert_eq!(FiscalYear(2022).to_string(), "令和4年度（2022年度）");
        assert_eq!(FiscalYear(2019).era(), "令和元年度");
        assert_eq!(FiscalYear(2018).era(), "平成30年度");
        assert_eq!(FiscalYear(2025).short(), "R7");
    }

    #[test]
    fn finds_year_in_file_names() {
        let cases = [
            ("2024", Some(2024)),
            ("R6_職員意識調査", Some(2024)),
            ("R06", Some(2024)),
            ("令和6年度_職員意識調査", Some(2024)),
            ("令和6", Some(2024)),
            ("職員意識調査（令和元年度）", Some(2019)),
            ("survey_2023_final", Some(2023)),
            ("回答データ", None),
            ("R5_R6", None),
            ("HR_survey", None),
            ("2023_令和5年度", Some(2023)),
            // Microsoft Forms' download counter is a range of response numbers, not a year.
            ("職員意識調査(1-2024)", None),
            ("職員意識調査（1-2024）", None),
            ("R7職員意識調査(1-2024)", Some(2025)),
            ("職員意識調査(1-80)_2025", Some(2025)),
            // A date stamp is when the file was made, not the fiscal year.
            ("R7職員意識調査_2026年1月集計", Some(2025)),
            ("R7_20260115", Some(2025)),
            ("R7_2026-01-15", Some(2025)),
            ("2025年度_R8.1.15出力", Some(2025)),
            ("令和7年度_令和8年1月", Some(2025)),
            ("2024-2025", None),
            ("R6_2024", Some(2024)),
        ];
        for (name, want) in cases {
            assert_eq!(FiscalYear::from_file_name(name), want.map(FiscalYear), "{name}");
        }
    }

    #[test]
    fn says_why_a_file_name_gives_no_year() {
        let why = |name: &str| FiscalYear::in_file_name(name).why_none();
        assert_eq!(
            why("職員意識調査(1-2024)").as_deref(),
            Some(
                "ファイル名の「1-2024」は回答の番号の範囲（Microsoft Forms が書き出すファイルの名前に付けるもの）と見て、年度とは読みませんでした。ファイル名に 2024・R6・令和6年度 のように年度を入れてください"
            )
        );
        assert_eq!(
            why("職員意識調査_2026年1月集計").as_deref(),
            Some(
                "ファイル名の「2026年1月」は日付と見て、年度とは読みませんでした。ファイル名に 2024・R6・令和6年度 のように年度を入れてください"
            )
        );
        assert_eq!(
            why("R6_R7_職員意識調査").as_deref(),
            Some(
                "ファイル名に年度が2つあります: 「R6」（令和6年度）と「R7」（令和7年度）。ファイル名に年度を一つだけ書いてください"
            )
        );
        assert_eq!(why("回答データ").as_deref(), Some("ファイル名にも 2024・R6・令和6年度 のような年度がありません"));
        assert_eq!(why("R7職員意識調査_2026年1月集計"), None);
        assert_eq!(
            FiscalYear::in_file_name("R7職員意識調査_2026年1月集計").passed_over,
            vec![("2026年1月".to_string(), NotAYear::Date)]
        );
        assert!(FiscalYear::in_file_name("R7(1-80)").passed_over.is_empty());
    }
}
