//! Department cells resolved against one year's org.csv, whichever way a form
//! tool or a spreadsheet wrote them: a code (`0101`, or `101` after Excel
//! dropped the zero), a name (`総務課`), code and name together (`0101 総務課`,
//! `0101：総務課`, `0101-総務課`, `総務課（0101）`), or a name with its 部
//! (`総務部 総務課`, `総務部／総務課`, `総務部・総務課`, `総務部（総務課）`).
//! Width (full/half, half-width katakana) and spacing do not matter.
//!
//! [`Directory::resolve`] hands on the department's code and the [`Form`] it
//! recognised, or a Japanese message: an ambiguous name names every
//! candidate, an unknown one suggests the closest names.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::config::org::OrgYear;
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
    year: FiscalYear,
    /// Folded name → departments; folded parent names + name → departments.
    by_name: HashMap<String, Vec<usize>>,
    by_path: HashMap<String, Vec<usize>>,
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
        Directory { org, year: org.year, by_name, by_path }
    }

    /// Returns the code of a department given by its code, allowing lost leading zeros.
    fn code(&self, text: &str) -> Option<usize> {
        let code: String = text.nfkc().collect::<String>().trim().to_string();
        if let Some(i) = self.org.find(&code) {
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

        // Code and name: the first token is a code and the rest its name (or
        // its name with parents), or the name first and the code last (`総務課（0101）`).
        let trimmed = folded.trim_matches(is_separator);
        let code_first = trimmed
            .split_once(is_separator)
            .filter(|(first, _)| !first.is_empty() && first.chars().all(|c| c.is_ascii_digit()));
        let code_last = trimmed
            .rsplit_once(is_separator)
            .map(|(rest, last)| (last, rest))
            .filter(|(last, _)| last.chars().any(|c| c.is_ascii_digit()) && self.code(last).is_some());
        if let Some((code, name)) = code_first.or(code_last)
            && let Some(i) = self.code(code)
        {
            let name = key(name);
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

    /// The message for a value that names no department, with the closest names.
    fn unknown(&self, text: &str) -> String {
        let k = key(text);
        // `総務部・総務か`: the 部 written before the 課 is no suggestion for the 課.
        let folded: String = text.nfkc().collect();
        let written_parent = folded
            .trim_matches(is_separator)
            .split_once(is_separator)
            .map(|(first, rest)| (key(first), key(rest)))
            .filter(|(_, rest)| !rest.is_empty())
            .map(|(first, _)| first);
        let has_children = |i: usize| self.org.departments.iter().any(|d| d.parent == Some(i));
        let mut scored: Vec<(f64, usize)> = self
            .org
            .departments
            .iter()
            .enumerate()
            .filter(|&(i, d)| written_parent.as_deref() != Some(key(&d.name).as_str()) || !has_children(i))
            .map(|(i, d)| (self.likeness(&k, i, &d.name), i))
            .filter(|(s, _)| *s >= 0.5)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let close: Vec<String> = scored.iter().take(3).map(|&(_, i)| self.describe(i)).collect();
        let looks_like_code = text.nfkc().all(|c| c.is_ascii_digit() || c == '.');
        let what = if looks_like_code { "所属コード" } else { "所属" };
        let mut message = format!("{what}「{text}」は{}の org.csv にありません", self.year.era());
        if !close.is_empty() && !looks_like_code {
            message.push_str(&format!("（近い名前: {}）", close.join("、")));
        } else if shown_as_a_date(text) {
            message.push_str(
                "（セルの表示形式が日付のため、コードが日付として表示されています。所属コードの列の表示形式を「文字列」にして入れ直してください）",
            );
        }
        message
    }
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
}
