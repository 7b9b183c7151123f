//! Department cells resolved against one year's org.csv, whichever way a form
//! tool or a spreadsheet wrote them: a code (`0101`, or `101` after Excel
//! dropped the zero), a name (`総務課`), code and name together (`0101 総務課`,
//! `0101：総務課`, `0101-総務課`, `総務課（0101）`), or a name with its 部
//! (`総務部 総務課`, `総務部／総務課`, `総務部・総務課`, `総務部（総務課）`).
//! Width (full/half, half-width katakana) and spacing do not matter.
//!
//! [`Directory::resolve`] hands on the department's code and the [`Form`] it
//! recognised, or a Japanese message: an ambiguous name names every
//! candidate, an unknown one suggests the closest names (and, for
//! `report --department`, an unknown code the closest codes).

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::config::org::{Org, OrgYear};
use crate::config::year::FiscalYear;

/// How a department cell was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Form {
    /// `0101` (or `101`).
    Code,
    /// `総務課`.
    Name,
    /// `0101 総務課`.
    CodeAndName,
    /// `総務部 総務課`.
    NameWithParent,
}

impl Form {
    /// Returns how `check` describes the form.
    pub fn label(self) -> &'static str {
        match self {
            Form::Code => "所属コード",
            Form::Name => "所属名",
            Form::CodeAndName => "所属コードと所属名",
            Form::NameWithParent => "部の名前と所属名",
        }
    }
}

/// Characters that separate a code from a name, or a 部 from its 課 (after NFKC).
///
/// Brackets count as separators so that `総務部（総務課）` and `総務課（0101）`
/// split like `総務部 総務課` and `総務課 0101`; a name holding one of these
/// characters still compares equal, as both sides are folded by [`key`].
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ':' | '/'
                | '_'
                | '>'
                | '|'
                | '\\'
                | '＞'
                | '〉'
                | '》'
                | '→'
                | '・'
                | '-'
                | '‐'
                | '–'
                | '—'
                | '―'
                | '('
                | ')'
                | '['
                | ']'
                | '【'
                | '】'
                | '「'
                | '」'
        )
}

/// Folds width (NFKC: full-width ASCII, half-width katakana) and drops separators,
/// so `総務部／総務課`, `総務部 総務課` and `総務部総務課` compare equal.
fn key(s: &str) -> String {
    s.nfkc().filter(|&c| !is_separator(c)).collect()
}

/// A year's departments, indexed by code, by name and by names with their parents.
pub struct Directory<'a> {
    org: &'a OrgYear,
    /// Every year of org.csv, to say what became of an old code.
    history: Option<&'a Org>,
    year: FiscalYear,
    /// Folded name → departments; folded parent names + name → departments.
    by_name: HashMap<String, Vec<usize>>,
    by_path: HashMap<String, Vec<usize>>,
    /// Whether an unknown code is told the closest codes.
    suggest_codes: bool,
}

impl<'a> Directory<'a> {
    /// Indexes the departments of one year.
    pub fn new(org: &'a OrgYear) -> Directory<'a> {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_path: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in org.departments.iter().enumerate() {
            by_name.entry(key(&d.name)).or_default().push(i);
            // Every chain of parents ending in it: 総務部総務課, 本庁総務部総務課 …
            let mut path = key(&d.name);
            for a in org.ancestors(i).into_iter().skip(1) {
                path = format!("{}{path}", key(&org.departments[a].name));
                let list = by_path.entry(path.clone()).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        Directory { org, history: None, year: org.year, by_name, by_path, suggest_codes: false }
    }

    /// Lets messages say what became of a code of an earlier year (previous_codes).
    pub fn with_history(mut self, org: &'a Org) -> Directory<'a> {
        self.history = Some(org);
        self
    }

    /// Lets an unknown code suggest the closest codes, as a code typed on the
    /// command line should (`report --department 0111`). A response file's
    /// cells do not: there a wrong code is a wrong answer to be corrected
    /// from the source, not guessed at.
    pub fn suggesting_codes(mut self) -> Directory<'a> {
        self.suggest_codes = true;
        self
    }

    /// Returns the code of a department given by its code, allowing lost leading zeros.
    fn code(&self, text: &str) -> Option<usize> {
        let code: String = text.nfkc().collect::<String>().trim().to_string();
        if let Some(i) = self.org.find(&code) {
            return Some(i);
        }
        // `k35` for `K35`, when only one code reads so.
        let mut alike = self.org.departments.iter().enumerate().filter(|(_, d)| d.code.eq_ignore_ascii_case(&code));
        if let (Some((i, _)), None) = (alike.next(), alike.next()) {
            return Some(i);
        }
        // `101` or `101.0` for `0101`, when only one code has that number.
        let number = code.strip_suffix(".0").unwrap_or(&code);
        let n = number.parse::<u64>().ok()?;
        let mut same = self.org.departments.iter().enumerate().filter(|(_, d)| d.code.parse::<u64>().ok() == Some(n));
        match (same.next(), same.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    /// Splits `0101 総務課` or `K35 福祉こども課` into the department of its
    /// code and the rest: any code org.csv holds that year (letters, hyphens,
    /// even separators within it; the longest that fits), or a number that
    /// lost its leading zeros.
    fn code_then_name<'t>(&self, folded: &'t str) -> Option<(usize, &'t str)> {
        let after = |code: &str| -> Option<&'t str> {
            let head = folded.get(..code.len())?;
            let rest = folded.get(code.len()..)?;
            let rest_trimmed = rest.trim_start_matches(is_separator);
            (head.eq_ignore_ascii_case(code) && rest.starts_with(is_separator) && !rest_trimmed.is_empty())
                .then_some(rest_trimmed)
        };
        let written = self
            .org
            .departments
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let code: String = d.code.nfkc().collect();
                Some((code.len(), i, after(&code)?))
            })
            .max_by_key(|(len, ..)| *len);
        if let Some((_, i, rest)) = written {
            return Some((i, rest));
        }
        let (first, rest) = folded.split_once(is_separator)?;
        if first.is_empty() || !first.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        Some((self.code(first)?, rest.trim_start_matches(is_separator)))
    }

    /// Says what became of `code` when it is a code of an earlier year that
    /// previous_codes carries on: `0105 は令和6年度に 0110 に変わりました`.
    fn renamed(&self, code: &str) -> Option<String> {
        let history = self.history?;
        // The latest change at or before this year that names the code.
        let (changed, became) = history.years.range(..=self.year).rev().find_map(|(&y, o)| {
            let became: Vec<String> = o
                .departments
                .iter()
                .filter(|d| d.previous_codes.iter().any(|p| p == code) && d.code != code)
                .map(|d| d.code.clone())
                .collect();
            (!became.is_empty()).then_some((y, became))
        })?;
        // Followed on to this year, through later changes.
        let mut now = became.clone();
        for o in history.years.values().filter(|o| o.year > changed && o.year <= self.year) {
            let mut next: Vec<String> = Vec::new();
            for c in &now {
                let continued: Vec<&str> = o
                    .departments
                    .iter()
                    .filter(|d| d.previous_codes.iter().any(|p| p == c))
                    .map(|d| d.code.as_str())
                    .collect();
                let here: Vec<&str> = if continued.is_empty() && o.find(c).is_some() { vec![c] } else { continued };
                for h in here {
                    if !next.iter().any(|n| n == h) {
                        next.push(h.to_string());
                    }
                }
            }
            now = next;
        }
        let named = |codes: &[String]| -> String {
            codes
                .iter()
                .map(|c| match self.org.get(c) {
                    Some(d) => format!("{c}（{}）", d.name),
                    None => c.clone(),
                })
                .collect::<Vec<_>>()
                .join("・")
        };
        let merged = history
            .year(changed)
            .is_some_and(|o| o.departments.iter().any(|d| became.contains(&d.code) && d.previous_codes.len() > 1));
        let verb = match (became.len() > 1, merged) {
            (true, _) => "に分かれました",
            (false, true) => "に統合されました",
            (false, false) => "に変わりました",
        };
        let list = named(&became);
        let gap = if list.ends_with('）') { "" } else { " " };
        let mut message = format!("{code} は{}に {list}{gap}{verb}", changed.era());
        if now != became && !now.is_empty() {
            message.push_str(&format!("（{}の所属コードは {}）", self.year.era(), named(&now)));
        }
        Some(message)
    }

    /// `総務部 総務課 [0102]`: how a candidate is named in messages.
    fn describe(&self, i: usize) -> String {
        format!("{}［{}］", self.org.path_name(i), self.org.departments[i].code)
    }

    /// Resolves one cell to a department code and the form it was written in.
    pub fn resolve(&self, raw: &str) -> Result<(String, Form), String> {
        // ="0101": how some systems keep a code's leading zero through Excel.
        let text = raw.trim();
        let text = text.strip_prefix("=\"").and_then(|t| t.strip_suffix('"')).unwrap_or(text).trim();
        if text.is_empty() {
            return Err("所属コードが空欄です".to_string());
        }
        let code_of = |i: usize| self.org.departments[i].code.clone();
        if let Some(i) = self.code(text) {
            return Ok((code_of(i), Form::Code));
        }
        let folded: String = text.nfkc().collect();

        // Code and name: a code and then its name (or its name with parents),
        // or the name first and the code last (`総務課（0101）`).
        let trimmed = folded.trim_matches(is_separator);
        let code_last = || {
            let (rest, last) = trimmed.rsplit_once(is_separator)?;
            if !last.chars().any(|c| c.is_ascii_digit()) {
                return None;
            }
            Some((self.code(last)?, rest))
        };
        if let Some((i, rest)) = self.code_then_name(trimmed).or_else(code_last) {
            let name = key(rest);
            let d = &self.org.departments[i];
            let fits = key(&d.name) == name || self.by_path.get(&name).is_some_and(|v| v.contains(&i));
            return if fits {
                Ok((code_of(i), Form::CodeAndName))
            } else {
                Err(format!(
                    "所属「{text}」のコード{}は{}の「{}」で、名前が合いません",
                    d.code,
                    self.year.era(),
                    d.name
                ))
            };
        }

        let k = key(text);
        let (found, form) = match self.by_name.get(&k) {
            Some(v) => (v.clone(), Form::Name),
            None => (self.by_path.get(&k).cloned().unwrap_or_default(), Form::NameWithParent),
        };
        match found.as_slice() {
            [i] => Ok((code_of(*i), form)),
            [] => Err(self.unknown(text)),
            many => Err(format!(
                "所属「{text}」は{}に{}つあります（{}）。部の名前を付けて書くか（例: {}）、所属コードで書いてください",
                self.year.era(),
                many.len(),
                many.iter().map(|&i| self.describe(i)).collect::<Vec<_>>().join("、"),
                self.org.path_name(many[0]),
            )),
        }
    }

    /// How close a folded cell is to department `i`: to its name, or to its
    /// name with its parents when the cell names a 部 too (`総務部 総務か` is
    /// close to 総務部 総務課, not to 総務部).
    fn likeness(&self, k: &str, i: usize, name: &str) -> f64 {
        let mut path = key(name);
        let mut best = strsim::normalized_levenshtein(k, &path);
        for a in self.org.ancestors(i).into_iter().skip(1) {
            path = format!("{}{path}", key(&self.org.departments[a].name));
            best = best.max(strsim::normalized_levenshtein(k, &path));
        }
        best
    }

    /// The departments closest to `text`, closest first, at most three.
    ///
    /// A name is compared with each name and its parents, and only those at
    /// least half alike count (`総務部・総務か`: the 部 written before the 課 is
    /// no suggestion for the 課). A code, when codes are suggested, is
    /// compared with each code, the numerically nearest first among equally
    /// alike ones; some code is always the closest, so the user sees codes
    /// that exist.
    fn closest(&self, text: &str, by_code: bool) -> Vec<usize> {
        let k = key(text);
        let folded: String = text.nfkc().collect();
        let folded = folded.trim();
        let written_parent = folded
            .trim_matches(is_separator)
            .split_once(is_separator)
            .map(|(first, rest)| (key(first), key(rest)))
            .filter(|(_, rest)| !rest.is_empty())
            .map(|(first, _)| first);
        let has_children = |i: usize| self.org.departments.iter().any(|d| d.parent == Some(i));
        let number = |code: &str| code.parse::<u64>().ok();
        let numeric_distance = |code: &str| match (number(folded), number(code)) {
            (Some(a), Some(b)) => a.abs_diff(b),
            _ => u64::MAX,
        };
        let mut scored: Vec<(f64, u64, usize)> = self
            .org
            .departments
            .iter()
            .enumerate()
            .filter(|&(i, d)| written_parent.as_deref() != Some(key(&d.name).as_str()) || !has_children(i))
            .map(|(i, d)| {
                if by_code {
                    let code: String = d.code.nfkc().collect();
                    let alike =
                        strsim::normalized_levenshtein(&folded.to_ascii_uppercase(), &code.to_ascii_uppercase());
                    (alike, numeric_distance(&code), i)
                } else {
                    (self.likeness(&k, i, &d.name), 0, i)
                }
            })
            .filter(|(s, ..)| by_code || *s >= 0.5)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        scored.into_iter().take(3).map(|(.., i)| i).collect()
    }

    /// The message for a value that names no department, with the closest names.
    fn unknown(&self, text: &str) -> String {
        let looks_like_code = text.nfkc().all(|c| c.is_ascii_digit() || c == '.');
        let what = if looks_like_code { "所属コード" } else { "所属" };
        let mut message = format!("{what}「{text}」は{}の org.csv にありません", self.year.era());
        // An old code (alone, or before a name) that previous_codes carries on.
        let folded: String = text.nfkc().collect();
        let first = folded.split(is_separator).next().unwrap_or("");
        if let Some(renamed) = self.renamed(folded.trim()).or_else(|| self.renamed(first)) {
            message.push_str(&format!("。{renamed}。{}の所属コードか所属名に直してください", self.year.era()));
            return message;
        }
        let names = |by_code: bool| -> Vec<String> {
            self.closest(text, by_code).into_iter().map(|i| self.describe(i)).collect()
        };
        let close = if looks_like_code { Vec::new() } else { names(false) };
        if !close.is_empty() {
            message.push_str(&format!("（近い名前: {}）", close.join("、")));
        } else if self.suggest_codes && written_as_code(text) {
            message.push_str(&format!("（近い所属コード: {}）", names(true).join("、")));
        } else if shown_as_a_date(text) {
            message.push_str(
                "（セルの表示形式が日付のため、コードが日付として表示されています。所属コードの列の表示形式を「文字列」にして入れ直してください）",
            );
        }
        message
    }
}

/// Whether a text is written as a code may be (`9999`, `K36`, `A-01`): ASCII with a digit.
fn written_as_code(text: &str) -> bool {
    let folded: String = text.nfkc().collect();
    folded.chars().all(|c| c.is_ascii_graphic() || c == ' ') && folded.chars().any(|c| c.is_ascii_digit())
}

/// Whether a cell reads as Excel shows a date (2025/04/01, perhaps with a time).
fn shown_as_a_date(text: &str) -> bool {
    let date = text.split(' ').next().unwrap_or("");
    let parts: Vec<&str> = date.split('/').collect();
    parts.len() == 3
        && parts[0].len() == 4
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::org::Department;

    fn dept(code: &str, name: &str, parent: Option<usize>) -> Department {
        Department { code: code.into(), name: name.into(), parent, headcount: 1, previous_codes: Vec::new() }
    }

    fn org() -> OrgYear {
        OrgYear::new(
            FiscalYear(2025),
            vec![
                dept("0100", "総務部", None),
                dept("0101", "総務課", Some(0)),
                dept("0102", "人事課", Some(0)),
                dept("1000", "松山総合支所", None),
                dept("1001", "地域振興課", Some(3)),
                dept("1100", "三本木総合支所", None),
                dept("1101", "地域振興課", Some(5)),
            ],
        )
    }

    #[test]
    fn every_form_resolves_to_the_code() {
        let o = org();
        let d = Directory::new(&o);
        let ok = |s: &str| d.resolve(s).expect(s);
        assert_eq!(ok("0101"), ("0101".into(), Form::Code));
        assert_eq!(ok("101"), ("0101".into(), Form::Code));
        assert_eq!(ok("１０１"), ("0101".into(), Form::Code));
        assert_eq!(ok("101.0"), ("0101".into(), Form::Code));
        assert_eq!(ok("総務課"), ("0101".into(), Form::Name));
        assert_eq!(ok(" 総務課　"), ("0101".into(), Form::Name));
        assert_eq!(ok("0101 総務課"), ("0101".into(), Form::CodeAndName));
        assert_eq!(ok("0101：総務課"), ("0101".into(), Form::CodeAndName));
        assert_eq!(ok("０１０１　総務課"), ("0101".into(), Form::CodeAndName));
        assert_eq!(ok("0101_総務部 総務課"), ("0101".into(), Form::CodeAndName));
        assert_eq!(ok("総務部 総務課"), ("0101".into(), Form::NameWithParent));
        assert_eq!(ok("総務部／総務課"), ("0101".into(), Form::NameWithParent));
        assert_eq!(ok("総務部総務課"), ("0101".into(), Form::NameWithParent));
        assert_eq!(ok("三本木総合支所 地域振興課"), ("1101".into(), Form::NameWithParent));
        assert_eq!(ok("総務部"), ("0100".into(), Form::Name));
        assert_eq!(ok("=\"0101\""), ("0101".into(), Form::Code));
        // As forms and HR's spreadsheets write 部 and 課, or a code after the name.
        assert_eq!(ok("総務部・総務課"), ("0101".into(), Form::NameWithParent));
        assert_eq!(ok("総務部（総務課）"), ("0101".into(), Form::NameWithParent));
        assert_eq!(ok("総務部(総務課)"), ("0101".into(), Form::NameWithParent));
        assert_eq!(ok("0101-総務課"), ("0101".into(), Form::CodeAndName));
        assert_eq!(ok("０１０１－総務課"), ("0101".into(), Form::CodeAndName));
        assert_eq!(ok("総務課（0101）"), ("0101".into(), Form::CodeAndName));
        assert_eq!(ok("総務課 [0101]"), ("0101".into(), Form::CodeAndName));
        assert_eq!(ok("総務部・総務課（0101）"), ("0101".into(), Form::CodeAndName));
        let err = d.resolve("人事課（0101）").expect_err("code and name disagree");
        assert_eq!(err, "所属「人事課（0101）」のコード0101は令和7年度の「総務課」で、名前が合いません");
        let date = d.resolve("1900/04/10").expect_err("a date is no code");
        assert!(date.contains("表示形式が日付"), "{date}");
    }

    #[test]
    fn codes_that_are_not_all_digits_resolve_with_their_names() {
        let o = OrgYear::new(
            FiscalYear(2025),
            vec![
                dept("K3", "福祉部", None),
                dept("K35", "福祉こども課", Some(0)),
                dept("A-01", "会計課", None),
                dept("B 2", "議会事務局", None),
            ],
        );
        let d = Directory::new(&o);
        let ok = |s: &str| d.resolve(s).expect(s);
        assert_eq!(ok("K35 福祉こども課"), ("K35".into(), Form::CodeAndName));
        assert_eq!(ok("Ｋ３５　福祉こども課"), ("K35".into(), Form::CodeAndName));
        assert_eq!(ok("k35：福祉こども課"), ("K35".into(), Form::CodeAndName));
        assert_eq!(ok("K35 福祉部 福祉こども課"), ("K35".into(), Form::CodeAndName));
        assert_eq!(ok("K35"), ("K35".into(), Form::Code));
        assert_eq!(ok("k35"), ("K35".into(), Form::Code));
        assert_eq!(ok("A-01 会計課"), ("A-01".into(), Form::CodeAndName));
        assert_eq!(ok("B 2 議会事務局"), ("B 2".into(), Form::CodeAndName));
        assert_eq!(
            d.resolve("K35 会計課").expect_err("code and name disagree"),
            "所属「K35 会計課」のコードK35は令和7年度の「福祉こども課」で、名前が合いません"
        );
    }

    #[test]
    fn an_old_code_says_what_it_became() {
        let mut earlier = org();
        earlier.year = FiscalYear(2023);
        let mut before = org();
        before.year = FiscalYear(2024);
        let mut now = org();
        // 0105 became 0110 in 令和6年度; 0110 became 0120 in 令和7年度; 0106 split in 令和7年度.
        earlier.departments.push(dept("0105", "情報政策課", Some(0)));
        earlier.departments.push(dept("0106", "防災課", Some(0)));
        let mut d0110 = dept("0110", "デジタル推進課", Some(0));
        d0110.previous_codes = vec!["0105".into()];
        before.departments.push(d0110);
        before.departments.push(dept("0106", "防災課", Some(0)));
        let mut d0120 = dept("0120", "デジタル政策課", Some(0));
        d0120.previous_codes = vec!["0110".into()];
        let mut d0107 = dept("0107", "危機管理課", Some(0));
        d0107.previous_codes = vec!["0106".into()];
        let mut d0108 = dept("0108", "消防連携課", Some(0));
        d0108.previous_codes = vec!["0106".into()];
        now.departments.extend([d0120, d0107, d0108]);
        let rebuild = |o: OrgYear| OrgYear::new(o.year, o.departments);
        let mut history = Org::default();
        for o in [earlier, before, now] {
            history.years.insert(o.year, rebuild(o));
        }
        let this = &history.years[&FiscalYear(2025)];
        let d = Directory::new(this).with_history(&history);
        assert_eq!(
            d.resolve("0110").expect_err("old code"),
            "所属コード「0110」は令和7年度の org.csv にありません。0110 は令和7年度に 0120（デジタル政策課）に変わりました。令和7年度の所属コードか所属名に直してください"
        );
        assert_eq!(
            d.resolve("0105").expect_err("older code"),
            "所属コード「0105」は令和7年度の org.csv にありません。0105 は令和6年度に 0110 に変わりました（令和7年度の所属コードは 0120（デジタル政策課））。令和7年度の所属コードか所属名に直してください"
        );
        assert_eq!(
            d.resolve("0106 防災課").expect_err("split"),
            "所属「0106 防災課」は令和7年度の org.csv にありません。0106 は令和7年度に 0107（危機管理課）・0108（消防連携課）に分かれました。令和7年度の所属コードか所属名に直してください"
        );
        // Without history the old message stays.
        assert_eq!(
            Directory::new(this).resolve("0105").expect_err("unknown"),
            "所属コード「0105」は令和7年度の org.csv にありません"
        );
    }

    #[test]
    fn half_width_katakana_is_folded() {
        let o = OrgYear::new(FiscalYear(2025), vec![dept("0300", "デジタル推進課", None)]);
        let d = Directory::new(&o);
        assert_eq!(d.resolve("ﾃﾞｼﾞﾀﾙ推進課").expect("half-width"), ("0300".into(), Form::Name));
    }

    #[test]
    fn an_ambiguous_name_names_its_candidates() {
        let o = org();
        let err = Directory::new(&o).resolve("地域振興課").expect_err("two of them");
        assert_eq!(
            err,
            "所属「地域振興課」は令和7年度に2つあります（松山総合支所 地域振興課［1001］、三本木総合支所 地域振興課［1101］）。部の名前を付けて書くか（例: 松山総合支所 地域振興課）、所属コードで書いてください"
        );
    }

    #[test]
    fn an_unknown_name_suggests_the_closest() {
        let o = org();
        let d = Directory::new(&o);
        let err = d.resolve("総務か").expect_err("unknown");
        assert!(err.starts_with("所属「総務か」は令和7年度の org.csv にありません（近い名前: "), "{err}");
        assert!(err.contains("総務部 総務課［0101］"), "{err}");
        assert_eq!(
            d.resolve("0999").expect_err("unknown code"),
            "所属コード「0999」は令和7年度の org.csv にありません"
        );
        // A 課 misspelt after its 部: the 課 first, not the 部.
        let err = d.resolve("総務部・総務か").expect_err("unknown");
        assert!(
            err.starts_with(
                "所属「総務部・総務か」は令和7年度の org.csv にありません（近い名前: 総務部 総務課［0101］、"
            ),
            "{err}"
        );
        let err = d.resolve("0101 人事課").expect_err("code and name disagree");
        assert_eq!(err, "所属「0101 人事課」のコード0101は令和7年度の「総務課」で、名前が合いません");
    }

    /// As `report --department` resolves what was typed: an unknown code
    /// names the closest codes (one digit off first, then the numerically
    /// nearest), even when none is much alike; names are suggested as ever.
    #[test]
    fn on_the_command_line_an_unknown_code_suggests_the_closest_codes() {
        let o = org();
        let d = Directory::new(&o).suggesting_codes();
        assert_eq!(
            d.resolve("0103").expect_err("unknown code"),
            "所属コード「0103」は令和7年度の org.csv にありません（近い所属コード: 総務部 人事課［0102］、総務部 総務課［0101］、総務部［0100］）"
        );
        assert_eq!(
            d.resolve("9999").expect_err("unknown code"),
            "所属コード「9999」は令和7年度の org.csv にありません（近い所属コード: 三本木総合支所 地域振興課［1101］、三本木総合支所［1100］、松山総合支所 地域振興課［1001］）"
        );
        let err = d.resolve("人時課").expect_err("unknown name");
        assert!(
            err.starts_with("所属「人時課」は令和7年度の org.csv にありません（近い名前: 総務部 人事課［0102］"),
            "{err}"
        );
        assert_eq!(d.resolve("人事課").expect("a name"), ("0102".into(), Form::Name));
        assert_eq!(d.resolve("102").expect("a code without its zero"), ("0102".into(), Form::Code));
    }
}
