//! Finding the columns survey.toml names in an export's header row.
//!
//! Form tools write headers in many ways: the item id (`Q07`), the question
//! text, or both (`Q07. 仕事の進め方について…`). Headers are compared after
//! [`normalize`]; an item without an explicit `header` matches a header
//! equal to its id, starting with its id followed by a separator, or containing
//! its question text.
//!
//! The department, year and demographic columns are named by lists of
//! headers, which a form may write as its question (`1. 所属`, `Q1. 所属`,
//! `あなたの所属を選択してください`; see [`crate::ingest::headers`]). A header
//! that asks for one of those names is never taken for an item (`Q1. 所属`
//! is not Q01).

use crate::ingest::headers::{Closeness, names, question_body};
use crate::ingest::table::Opened;
use crate::problem::Problems;
use crate::text::normalize;

/// What a column needs to be found: an exact header, or an id and a text.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// The header equals this text.
    Exact(String),
    /// The header is the id, starts with the id and a separator, or contains the text.
    IdOrText { id: String, text: String },
    /// The header equals one of these texts; when a file has several of them,
    /// the first in this order is used.
    AnyOf(Vec<String>),
}

impl Matcher {
    /// Returns true when a normalised header matches.
    pub fn matches(&self, header: &str) -> bool {
        match self {
            Matcher::Exact(h) => normalize(h) == header,
            Matcher::AnyOf(hs) => hs.iter().any(|h| normalize(h) == header),
            Matcher::IdOrText { .. } => self.text_in(header) || self.after_id(header).is_some(),
        }
    }

    /// For a question: whether a normalised header contains its text.
    fn text_in(&self, header: &str) -> bool {
        match self {
            Matcher::IdOrText { text, .. } => {
                let text = normalize(text);
                !text.is_empty() && header.contains(&text)
            }
            _ => false,
        }
    }

    /// For a question: what a normalised header holds after its id, when it
    /// is the id (an empty rest) or starts with the id and a separator.
    fn after_id<'h>(&self, header: &'h str) -> Option<&'h str> {
        let Matcher::IdOrText { id, .. } = self else { return None };
        // The id as written (q07) and without the zeros in front of its number (q7).
        let id = normalize(id);
        [unpadded(&id), id].iter().find_map(|id| {
            header
                .strip_prefix(id.as_str())
                .filter(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric() || !c.is_ascii()))
        })
    }

    /// Returns how the column is described in messages.
    pub fn describe(&self) -> String {
        match self {
            Matcher::Exact(h) => format!("「{h}」"),
            Matcher::IdOrText { id, .. } => format!("「{id}」（設問IDか設問文を含む見出し）"),
            Matcher::AnyOf(hs) => match hs.as_slice() {
                [one] => format!("「{one}」"),
                [first, rest @ ..] => format!(
                    "「{first}」（または{}）",
                    rest.iter().map(|h| format!("「{h}」")).collect::<Vec<_>>().join("・")
                ),
                [] => String::new(),
            },
        }
    }
}

/// The headers (by index) that name one of `names` most closely: the first
/// name in the list with a header at the closest closeness any header has.
/// Headers in `skip` are passed over. Returns the closeness too.
pub fn closest(normalized: &[String], names: &[String], skip: &[bool]) -> Option<(Closeness, Vec<usize>)> {
    let names: Vec<String> = names.iter().map(|n| normalize(n)).collect();
    Closeness::ALL.iter().find_map(|&closeness| {
        names.iter().find_map(|name| {
            let hits: Vec<usize> = (0..normalized.len())
                .filter(|&i| {
                    !skip.get(i).copied().unwrap_or(false) && self::names(&normalized[i], name) == Some(closeness)
                })
                .collect();
            (!hits.is_empty()).then_some((closeness, hits))
        })
    })
}

/// An id without the zeros in front of its number: `q07` → `q7`, `q10` → `q10`.
fn unpadded(id: &str) -> String {
    let digits_at = id.find(|c: char| c.is_ascii_digit()).unwrap_or(id.len());
    let (prefix, number) = id.split_at(digits_at);
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return id.to_string();
    }
    let number = number.trim_start_matches('0');
    format!("{prefix}{}", if number.is_empty() { "0" } else { number })
}

/// How much of a header's question text must be found in survey.toml's text
/// (as pairs of neighbouring characters) for the two to count as one question
/// worded a little differently.
const SAME_QUESTION: f64 = 0.5;

/// A header's question text shorter than this many characters is taken for a
/// short label (`Q07_裁量`), not compared with survey.toml's text.
const SHORTEST_TEXT: usize = 4;

/// The share of `text`'s pairs of neighbouring characters that `other` holds too.
fn shared_pairs(text: &str, other: &str) -> f64 {
    let pairs = |s: &str| -> Vec<(char, char)> {
        let chars: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (mine, theirs) = (pairs(text), pairs(other));
    if mine.is_empty() {
        return 1.0;
    }
    mine.iter().filter(|p| theirs.contains(p)).count() as f64 / mine.len() as f64
}

/// Checks the headers that name a question by its id (`Q05. …`) against the
/// question text they hold. Where the text is another question's, the column
/// is that question's (a form whose questions were renumbered), said in a
/// note; where it is no question's text and not the id's own, the header is
/// an error showing both texts (a replaced question that kept its number).
/// Returns the (request, header) pairs that must not match by id.
fn check_ids_against_texts(
    opened: &Opened,
    normalized: &[String],
    wanted: &[(String, Matcher, bool)],
    not_a_question: &[bool],
    problems: &mut Problems,
) -> Vec<(usize, usize)> {
    let mut not_by_id = Vec::new();
    for (i, header) in normalized.iter().enumerate() {
        // A header another column claims by name is that column's business.
        if not_a_question[i]
            || wanted.iter().any(|(_, m, _)| !matches!(m, Matcher::IdOrText { .. }) && m.matches(header))
        {
            continue;
        }
        let by_id: Vec<(usize, &str)> =
            wanted.iter().enumerate().filter_map(|(k, (_, m, _))| Some((k, m.after_id(header)?))).collect();
        let [(a, rest)] = by_id.as_slice() else { continue };
        let by_text: Vec<usize> = (0..wanted.len()).filter(|&k| wanted[k].1.text_in(header)).collect();
        let (Matcher::IdOrText { id: id_a, text: text_a }, question) = (&wanted[*a].1, by_text.as_slice()) else {
            continue;
        };
        match question {
            [b] if b != a => {
                let Matcher::IdOrText { id: id_b, text: text_b } = &wanted[*b].1 else { continue };
                not_by_id.push((*a, i));
                problems.note(
                    opened.header_place(i),
                    format!(
                        "設問IDは {id_a} ですが、設問文は {id_b}「{text_b}」のものです。設問文に合わせて {id_b} の回答として読みました"
                    ),
                );
            }
            [] => {
                let rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
                let own = normalize(text_a);
                let differs = rest.chars().count() >= SHORTEST_TEXT
                    && !own.is_empty()
                    && !own.contains(rest)
                    && shared_pairs(rest, &own) < SAME_QUESTION;
                if differs {
                    problems.error(
                        opened.header_place(i),
                        format!(
                            "設問IDは {id_a} ですが、見出しの設問文が survey.toml の {id_a}「{text_a}」と違います。設問を差し替えたのか見出しの誤りかを確かめ、見出しか survey.toml の設問を直してください"
                        ),
                    );
                }
            }
            _ => {}
        }
    }
    not_by_id
}

/// Finds the column of each matcher; reports missing (when `required`),
/// doubled and ambiguous columns, and headers whose question id and text
/// disagree. Returns the header index per matcher.
///
/// Headers in `taken` (found already, as the department's) are no matcher's.
/// A header that asks for a name of a list (`Q1. 所属`, `2. 年代`) is not an
/// item's, even where it starts with the item's id; a header an item matches
/// is not taken for a list's name by [`Closeness::Of`].
pub fn find_columns(
    opened: &Opened,
    wanted: &[(String, Matcher, bool)],
    taken: &[usize],
    problems: &mut Problems,
) -> Vec<Option<usize>> {
    let normalized: Vec<String> = opened.headers.iter().map(|h| normalize(h)).collect();
    let is_taken: Vec<bool> = (0..normalized.len()).map(|i| taken.contains(&i)).collect();
    let listed: Vec<String> = wanted
        .iter()
        .filter_map(|(_, m, _)| match m {
            Matcher::AnyOf(hs) => Some(hs.iter().map(|h| normalize(h))),
            _ => None,
        })
        .flatten()
        .collect();
    let asks_for_a_listed_name =
        |h: &str| listed.iter().any(|name| matches!(names(h, name), Some(Closeness::Exact | Closeness::Question)));
    let item_header: Vec<bool> = normalized
        .iter()
        .map(|h| {
            !asks_for_a_listed_name(h) && wanted.iter().any(|(_, m, _)| !matches!(m, Matcher::AnyOf(_)) && m.matches(h))
        })
        .collect();
    // Headers that are a listed name's or taken are not checked as questions.
    let not_a_question: Vec<bool> =
        normalized.iter().enumerate().map(|(i, h)| is_taken[i] || asks_for_a_listed_name(h)).collect();
    let not_by_id = check_ids_against_texts(opened, &normalized, wanted, &not_a_question, problems);
    let mut out = Vec::with_capacity(wanted.len());
    for (k, (name, matcher, required)) in wanted.iter().enumerate() {
        let hits: Vec<usize> = match matcher {
            // Accepted headers in order of preference: the first one the file has.
            Matcher::AnyOf(hs) => match closest(&normalized, hs, &is_taken) {
                Some((Closeness::Of, hits)) => hits.into_iter().filter(|&i| !item_header[i]).collect(),
                Some((_, hits)) => hits,
                None => Vec::new(),
            },
            _ => (0..normalized.len())
                .filter(|&i| {
                    !is_taken[i]
                        && matcher.matches(&normalized[i])
                        && !asks_for_a_listed_name(&normalized[i])
                        && !not_by_id.contains(&(k, i))
                })
                .collect(),
        };
        match hits.as_slice() {
            [] => {
                if *required {
                    problems.error(opened.header_row_place(), format!("必須の列{}がありません", matcher.describe()));
                }
                out.push(None);
            }
            [one] => out.push(Some(*one)),
            [first, rest @ ..] => {
                let same_header = rest.iter().all(|&i| normalized[i] == normalized[*first]);
                for &i in rest {
                    if same_header {
                        problems.error(
                            opened.header_place(i),
                            format!(
                                "見出し「{}」が二度あります（{}と同じ見出しです）",
                                opened.headers[i],
                                describe_col(opened, *first)
                            ),
                        );
                    } else {
                        problems.error(
                            opened.header_place(i),
                            format!(
                                "{}に当たる列が二つあります（{}と、この列「{}」）",
                                name,
                                describe_col(opened, *first),
                                opened.headers[i]
                            ),
                        );
                    }
                }
                out.push(Some(*first));
            }
        }
    }
    out
}

/// Finds the department's columns: one, or the 課 columns of a branching
/// form, one per 部 (`所属課`, `所属課2` …, or `総務部の所属課を選択してください`,
/// `市民部の所属課を選択してください` …), of which each respondent fills one.
///
/// A header that is also a 部 header (`部局`) is the department's only when
/// no other header names it: beside 課 columns it is their 部. Reports a
/// missing column and a header written twice. Returns the columns in file order.
pub fn find_department(
    opened: &Opened,
    department: &[String],
    parent: &[String],
    problems: &mut Problems,
) -> Option<Vec<usize>> {
    let normalized: Vec<String> = opened.headers.iter().map(|h| normalize(h)).collect();
    let parents: Vec<String> = parent.iter().map(|h| normalize(h)).collect();
    let not_parents: Vec<String> = department.iter().filter(|h| !parents.contains(&normalize(h))).cloned().collect();
    // Only `所属課2`, `所属課（総務部）` …: the first of those names asked again.
    let only_again = || {
        not_parents.iter().map(|n| normalize(n)).find_map(|name| {
            let hits: Vec<usize> = (0..normalized.len()).filter(|&i| asks_again(&normalized[i], &name)).collect();
            (!hits.is_empty()).then_some(hits)
        })
    };
    let Some(mut hits) = closest(&normalized, &not_parents, &[])
        .map(|(_, hits)| hits)
        .or_else(only_again)
        .or_else(|| closest(&normalized, department, &[]).map(|(_, hits)| hits))
    else {
        problems.error(
            opened.header_row_place(),
            format!("必須の列{}がありません", Matcher::AnyOf(department.to_vec()).describe()),
        );
        return None;
    };
    // `所属課2`, `所属課_3`, `所属課（市民部）`: the same question again for another 部.
    let asked: Vec<String> = hits.iter().map(|&i| question_body(&normalized[i]).to_string()).collect();
    let again: Vec<usize> = (0..normalized.len())
        .filter(|&i| !hits.contains(&i) && asked.iter().any(|name| asks_again(&normalized[i], name)))
        .collect();
    hits.extend(again);
    hits.sort_unstable();
    let first = hits[0];
    if hits.iter().all(|&i| normalized[i] == normalized[first]) && hits.len() > 1 {
        for &i in &hits[1..] {
            problems.error(
                opened.header_place(i),
                format!(
                    "見出し「{}」が二度あります（{}と同じ見出しです）",
                    opened.headers[i],
                    describe_col(opened, first)
                ),
            );
        }
        return Some(vec![first]);
    }
    Some(hits)
}

/// Whether a normalised header asks for `name` again, numbered or for one
/// part of the organisation: `所属課2`, `2.所属課_2`, `所属課(市民部)`, `所属課【市民部】`.
fn asks_again(header: &str, name: &str) -> bool {
    question_body(header)
        .strip_prefix(name)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, '(' | '[' | '【' | '_' | '-'))
}

/// Returns `列B「所属課」`: a column as messages name it.
pub fn describe_col(opened: &Opened, col: usize) -> String {
    format!("{}列「{}」", opened.column_name(col), opened.headers[col])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_matcher_accepts_id_text_and_both() {
        let m = Matcher::IdOrText {
            id: "Q07".into(), text: "仕事の進め方について一定の裁量がある".into()
        };
        for h in [
            "Q07",
            "q07",
            "Ｑ０７",
            "Q07. 仕事の進め方",
            "問7 仕事の進め方について一定の裁量がある",
            "Q07_裁量",
            "Q7",
            "Q7. 裁量",
        ] {
            assert!(m.matches(&normalize(h)), "{h}");
        }
        for h in ["Q070", "Q0", "Q17", "Q70", "Q71", "仕事の進め方"] {
            assert!(!m.matches(&normalize(h)), "{h}");
        }
        let q10 = Matcher::IdOrText { id: "Q10".into(), text: String::new() };
        assert!(q10.matches("q10") && !q10.matches("q1") && !q10.matches("q100"));
    }

    /// The 課 columns of a branching form, however numbered; 部局 is their 部.
    #[test]
    fn every_ka_column_of_a_branching_form_is_the_departments() {
        let department: Vec<String> = ["所属コード", "所属", "所属課", "部局"].map(String::from).to_vec();
        let parent: Vec<String> = vec!["部局".into()];
        let found = |headers: &[&str]| {
            let mut problems = Problems::default();
            find_department(&Opened::for_headers(headers), &department, &parent, &mut problems)
        };
        assert_eq!(found(&["部局", "所属課", "年代"]), Some(vec![1]));
        assert_eq!(found(&["部局", "年代"]), Some(vec![0]));
        assert_eq!(found(&["部局", "所属課", "所属課2", "所属課3"]), Some(vec![1, 2, 3]));
        assert_eq!(found(&["1. 部局", "2. 所属課", "3. 所属課2"]), Some(vec![1, 2]));
        assert_eq!(found(&["部局", "所属課（総務部）", "所属課（市民部）", "Q01"]), Some(vec![1, 2]));
        assert_eq!(
            found(&["部局", "総務部の所属課を選択してください", "市民部の所属課を選択してください"]),
            Some(vec![1, 2])
        );
        assert_eq!(found(&["部", "年代"]), None);
    }

    /// 「Q1. 所属」 is the department, never the item Q01 (issue 20).
    #[test]
    fn a_numbered_question_for_a_listed_name_is_no_item() {
        let opened = Opened::for_headers(&["Q1. 所属", "Q2. 年代", "Q01", "Q02"]);
        let wanted = vec![
            ("年代の列".to_string(), Matcher::AnyOf(vec!["年代".into()]), true),
            ("所属の列".to_string(), Matcher::AnyOf(vec!["所属".into()]), true),
            ("設問「Q01」の列".to_string(), Matcher::IdOrText { id: "Q01".into(), text: "仕事".into() }, true),
            ("設問「Q02」の列".to_string(), Matcher::IdOrText { id: "Q02".into(), text: "職場".into() }, true),
        ];
        let mut problems = Problems::default();
        assert_eq!(find_columns(&opened, &wanted, &[], &mut problems), [Some(1), Some(0), Some(2), Some(3)]);
        assert!(problems.errors.is_empty(), "{:?}", problems.errors);
    }

    #[test]
    fn a_reworded_question_shares_most_pairs_and_another_question_none() {
        let own = normalize("研修や自己啓発の機会が十分にある");
        assert!(shared_pairs(&normalize("研修・自己啓発の機会は十分にある"), &own) >= SAME_QUESTION);
        let other = normalize("上司は部下の育成に熱心である");
        assert!(shared_pairs(&other, &normalize("将来のキャリアについて前向きに考えられる")) < SAME_QUESTION);
    }
}
