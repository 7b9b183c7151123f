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
            Matcher::IdOrText { id, text } => {
                let text = normalize(text);
                if !text.is_empty() && header.contains(&text) {
                    return true;
                }
                // The id as written (q07) and without the zeros in front of its number (q7).
                let id = normalize(id);
                [unpadded(&id), id].iter().any(|id| {
                    header == id
                        || header.strip_prefix(id.as_str()).is_some_and(|rest| {
                            rest.chars().next().is_some_and(|c| !c.is_alphanumeric() || !c.is_ascii())
                        })
                })
            }
        }
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

/// Finds the column of each matcher; reports missing (when `required`),
/// doubled and ambiguous columns. Returns the header index per matcher.
pub fn find_columns(
    opened: &Opened,
    wanted: &[(String, Matcher, bool)],
    problems: &mut Problems,
) -> Vec<Option<usize>> {
    let normalized: Vec<String> = opened.headers.iter().map(|h| normalize(h)).collect();
    let mut out = Vec::with_capacity(wanted.len());
    for (name, matcher, required) in wanted {
        let hits: Vec<usize> = match matcher {
            // Accepted headers in order of preference: the first one the file has.
            Matcher::AnyOf(hs) => hs
                .iter()
                .map(|h| normalize(h))
                .map(|h| (0..normalized.len()).filter(|&i| normalized[i] == h).collect::<Vec<usize>>())
                .find(|hits| !hits.is_empty())
                .unwrap_or_default(),
            _ => (0..normalized.len()).filter(|&i| matcher.matches(&normalized[i])).collect(),
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
}
