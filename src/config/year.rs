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
    /// Returns `None` when the name holds no year or more than one different year.
    pub fn from_file_name(stem: &str) -> Option<FiscalYear> {
        let text = crate::text::fold_width(stem);
        let chars: Vec<char> = text.chars().collect();
        let mut found: Vec<FiscalYear> = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let rest: String = chars[i..].iter().collect();
            let mut matched = None;
            for (prefix, offset) in [
                ("令和", REIWA_OFFSET),
                ("平成", HEISEI_OFFSET),
                ("R", REIWA_OFFSET),
                ("r", REIWA_OFFSET),
                ("H", HEISEI_OFFSET),
                ("h", HEISEI_OFFSET),
            ] {
                if let Some(after) = rest.strip_prefix(prefix) {
                    // A Latin era letter must not be part of a word ("FY" is fine, "HR" is not).
                    let standalone = prefix.chars().count() == 2 || i == 0 || !chars[i - 1].is_ascii_alphabetic();
                    if !standalone {
                        continue;
                    }
                    if let Some(stripped) = after.strip_prefix('元') {
                        let _ = stripped;
                        matched = Some((FiscalYear(offset + 1), prefix.chars().count() + 1));
                        break;
                    }
                    let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
                    if (1..=2).contains(&digits.len()) {
                        let n: i32 = digits.parse().ok()?;
                        if n >= 1 {
                            matched = Some((FiscalYear(offset + n), prefix.chars().count() + digits.len()));
                            break;
                        }
                    }
                }
            }
            if matched.is_none() && chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
                let digits: String = chars[i..].iter().take_while(|c| c.is_ascii_digit()).collect();
                if let Ok(n) = digits.parse::<i32>()
                    && digits.len() == 4
                    && (1989..=2100).contains(&n)
                {
                    matched = Some((FiscalYear(n), 4));
                }
            }
            match matched {
                Some((year, len)) => {
                    if !found.contains(&year) {
                        found.push(year);
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        match found.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
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
        ];
        for (name, want) in cases {
            assert_eq!(FiscalYear::from_file_name(name), want.map(FiscalYear), "{name}");
        }
    }
}
