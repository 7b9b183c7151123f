//! Finding the columns survey.toml names in an export's header row.
//!
//! Form tools write headers in many ways: the item id (`Q07`), the question
//! text, or both (`Q07. 仕事の進め方について…`). Headers are compared after
//! [`normalize`]; an item without an explicit `header` matches a header
//! equal to its id, starting with its id followed by a separator, or containing
//! its question text.
//!
//! The department, year and demographic columns are named by lists of
//! headers, which a form writes as its question: `1. 所属`, `Q1. 所属`,
//! `所属 *`, `あなたの所属を選択してください`, `総務部の所属課を選択してください`.
//! [`names`] reads such a header as the name it asks for, and a header that
//! asks for one of those names is never taken for an item (`Q1. 所属` is not Q01).

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

/// How closely a header names a column of a list; the closer wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Closeness {
    /// The header is the name (`所属`).
    Exact,
    /// The header asks for the name (`1. 所属`, `所属 *`, `あなたの所属を選択してください`).
    Question,
    /// The header asks for the name of something (`総務部の所属課を選択してください`).
    Of,
}

impl Closeness {
    /// Every closeness, the closest first.
    pub const ALL: [Closeness; 3] = [Closeness::Exact, Closeness::Question, Closeness::Of];
}

/// Marks a form puts before or after a question (after [`normalize`]).
const MARKS: [&str; 12] =
    ["*", "※", "(必須)", "[必須]", "【必須】", "<必須>", "必須", "(任意)", "[任意]", "【任意】", "任意", "■"];
/// How a form asks for a name before it (`あなたの所属`).
const BEFORE: [&str; 3] = ["あなたの", "ご自身の", "回答者の"];
/// How a form asks for a name after it (`所属を選択してください`), after [`normalize`].
const AFTER: [&str; 16] = [
    "を選択してください",
    "を選んでください",
    "をお選びください",
    "を教えてください",
    "を入力してください",
    "をご記入ください",
    "を記入してください",
    "をお答えください",
    "を回答してください",
    "はどれですか?",
    "は何ですか?",
    "を選択",
    "?",
    "。",
    ":",
    "は",
];

/// The question number a form puts before a question: `1.`, `Q1.`, `問1`,
/// `設問1:`, `(1)`, `[1]`, `no.1`. Returns the rest; `None` when there is no number.
fn without_number(h: &str) -> Option<&str> {
    let open = h.strip_prefix(['(', '[']);
    let rest = open.unwrap_or(h);
    let rest = ["設問", "問", "no.", "no", "q"].iter().find_map(|p| rest.strip_prefix(p)).unwrap_or(rest);
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    if digits == 0 {
        return None;
    }
    let rest = &rest[digits..];
    let rest = match open {
        Some(_) => rest.strip_prefix([')', ']'])?,
        None => rest.strip_prefix(['.', ')', ']', '、', ',', ':', '-', '_']).unwrap_or(rest),
    };
    Some(rest)
}

/// The name a normalised header asks for, without the form's question number,
/// required marks and wording: `q1.所属`, `所属*`, `あなたの所属を選択してください` → `所属`.
pub fn question_body(header: &str) -> &str {
    let mut h = header;
    loop {
        let before = h;
        h = without_number(h).unwrap_or(h);
        for m in MARKS.iter().chain(&BEFORE) {
            h = h.strip_prefix(m).unwrap_or(h);
        }
        for m in MARKS.iter().chain(&AFTER) {
            h = h.strip_suffix(m).unwrap_or(h);
        }
        if h == before || h.is_empty() {
            return if h.is_empty() { before } else { h };
        }
    }
}

/// Returns how a normalised header names a normalised `name`, if it does.
pub fn names(header: &str, name: &str) -> Option<Closeness> {
    if name.is_empty() {
        return None;
    }
    if header == name {
        return Some(Closeness::Exact);
    }
    let body = question_body(header);
    if body == name {
        return Some(Closeness::Question);
    }
    body.strip_suffix(name).is_some_and(|rest| rest.ends_with('の')).then_some(Closeness::Of)
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

/// Finds the column of each matcher; reports missing (when `required`),
/// doubled and ambiguous columns. Returns the header index per matcher.
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
    let mut out = Vec::with_capacity(wanted.len());
    for (name, matcher, required) in wanted {
        let hits: Vec<usize> = match matcher {
            // Accepted headers in order of preference: the first one the file has.
            Matcher::AnyOf(hs) => match closest(&normalized, hs, &is_taken) {
                Some((Closeness::Of, hits)) => hits.into_iter().filter(|&i| !item_header[i]).collect(),
                Some((_, hits)) => hits,
                None => Vec::new(),
            },
            _ => (0..normalized.len())
                .filter(|&i| !is_taken[i] && matcher.matches(&normalized[i]) && !asks_for_a_listed_name(&normalized[i]))
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
    let Some((closeness, mut hits)) =
        closest(&normalized, &not_parents, &[]).or_else(|| closest(&normalized, department, &[]))
    else {
        problems.error(
            opened.header_row_place(),
            format!("必須の列{}がありません", Matcher::AnyOf(department.to_vec()).describe()),
        );
        return None;
    };
    // `所属課2`, `所属課_3`: the same question again for another 部.
    if closeness != Closeness::Of {
        let numbered_again = |i: usize| {
            let h = normalized[i].trim_end_matches(')').trim_end_matches(|c: char| c.is_ascii_digit());
            let h = h.trim_end_matches(['_', '-', '(']);
            h.len() < normalized[i].len() && hits.iter().any(|&j| normalized[j] == h)
        };
        let again: Vec<usize> = (0..normalized.len()).filter(|&i| !hits.contains(&i) && numbered_again(i)).collect();
        hits.extend(again);
        hits.sort_unstable();
    }
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

    #[test]
    fn a_header_written_as_the_forms_question_names_its_column() {
        let of = |h: &str, name: &str| names(&normalize(h), &normalize(name));
        for h in [
            "1. 所属",
            "Q1. 所属",
            "問1 所属",
            "(1) 所属",
            "所属 *",
            "所属（必須）",
            "【必須】所属",
            "あなたの所属を選択してください",
            "1. あなたの所属を選択してください。 *",
            "所属を選んでください",
        ] {
            assert_eq!(of(h, "所属"), Some(Closeness::Question), "{h}");
        }
        assert_eq!(of("所属", "所属"), Some(Closeness::Exact));
        assert_eq!(of("総務部の所属課を選択してください", "所属課"), Some(Closeness::Of));
        for h in ["所属コード", "所属部署の目標が共有されている", "Q1", "所属課", "年代"] {
            assert_eq!(of(h, "所属"), None, "{h}");
        }
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
}
