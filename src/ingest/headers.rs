//! How a header names a column of survey.toml's lists (department, 部,
//! year, demographics): as the name itself, or as the question a form asked
//! for it — `1. 所属`, `Q1. 所属`, `所属 *`, `あなたの所属を選択してください`,
//! `総務部の所属課を選択してください`. A leaf of `ingest`: `columns.rs` finds
//! columns with it and `table.rs` the header row.

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

/// Marks a form puts before or after a question (after [`crate::text::normalize`]).
const MARKS: [&str; 12] =
    ["*", "※", "(必須)", "[必須]", "【必須】", "<必須>", "必須", "(任意)", "[任意]", "【任意】", "任意", "■"];
/// How a form asks for a name before it (`あなたの所属`).
const BEFORE: [&str; 3] = ["あなたの", "ご自身の", "回答者の"];
/// How a form asks for a name after it (`所属を選択してください`), after [`crate::text::normalize`].
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize;

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
}
