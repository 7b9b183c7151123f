//! Finding the columns survey.toml names in an export's header row.
//!
//! Form tools write headers in many ways: the item id (`Q07`), the question
//! text, or both (`Q07. 仕事の進め方について…`). Headers are compared after
//! [`normalize`]; an item without an explicit `header` matches a header
//! equal to its id, starting with its id followed by a separator, or containing
//! its question text.

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
    problems: &mut Problems,
) -> Vec<(usize, usize)> {
    let mut not_by_id = Vec::new();
    for (i, header) in normalized.iter().enumerate() {
        // A header another column claims by name is that column's business.
        if wanted.iter().any(|(_, m, _)| !matches!(m, Matcher::IdOrText { .. }) && m.matches(header)) {
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
pub fn find_columns(
    opened: &Opened,
    wanted: &[(String, Matcher, bool)],
    problems: &mut Problems,
) -> Vec<Option<usize>> {
    let normalized: Vec<String> = opened.headers.iter().map(|h| normalize(h)).collect();
    let not_by_id = check_ids_against_texts(opened, &normalized, wanted, problems);
    let mut out = Vec::with_capacity(wanted.len());
    for (k, (name, matcher, required)) in wanted.iter().enumerate() {
        let hits: Vec<usize> = match matcher {
            // Accepted headers in order of preference: the first one the file has.
            Matcher::AnyOf(hs) => hs
                .iter()
                .map(|h| normalize(h))
                .map(|h| (0..normalized.len()).filter(|&i| normalized[i] == h).collect::<Vec<usize>>())
                .find(|hits| !hits.is_empty())
                .unwrap_or_default(),
            _ => (0..normalized.len())
                .filter(|&i| matcher.matches(&normalized[i]) && !not_by_id.contains(&(k, i)))
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

fn describe_col(opened: &Opened, col: usize) -> String {
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

    #[test]
    fn a_reworded_question_shares_most_pairs_and_another_question_none() {
        let own = normalize("研修や自己啓発の機会が十分にある");
        assert!(shared_pairs(&normalize("研修・自己啓発の機会は十分にある"), &own) >= SAME_QUESTION);
        let other = normalize("上司は部下の育成に熱心である");
        assert!(shared_pairs(&other, &normalize("将来のキャリアについて前向きに考えられる")) < SAME_QUESTION);
    }
}
