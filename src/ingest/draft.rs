//! Drafting a workspace from one real export (`ishiki init DIR --from FILE`):
//! every column of the export is classified — department (and 部), year,
//! demographic with its values, an answer on the survey's scale, free text,
//! or a column to ignore (timestamps, IDs, mail, names) — and the default
//! questionnaire's questions are matched by their text.
//!
//! [`draft`] hands on a [`Draft`]; `cmd/init.rs` writes it as survey.toml and
//! an org.csv draft. The rules are plain and said in the summary, so the user
//! can check each decision.

use std::collections::BTreeSet;
use std::path::Path;

use crate::config::survey::Survey;
use crate::config::year::FiscalYear;
use crate::ingest::answers::looks_like_a_label;
use crate::ingest::table::{SheetSetting, Want, open};
use crate::problem::Problem;
use crate::text::{normalize, numbered};

/// Headers of columns a form tool adds that are not answers.
const IGNORED: [&str; 18] = [
    "ID",
    "No",
    "No.",
    "回答番号",
    "回答ID",
    "受付番号",
    "タイムスタンプ",
    "開始時刻",
    "完了時刻",
    "最終変更時刻",
    "送信日時",
    "回答日時",
    "メール",
    "メールアドレス",
    "名前",
    "氏名",
    "回答者",
    "IPアドレス",
];

/// Headers that say a column is free text.
const FREE_TEXT: [&str; 6] = ["自由記述", "ご意見", "意見", "要望", "コメント", "その他ご意見"];

/// What a column of the export is.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// The department column, with the distinct values found.
    Department(Vec<String>),
    /// A 部 column beside it.
    Parent,
    /// The fiscal year column.
    Year,
    /// A demographic: its name and its values in order.
    Demographic { name: String, values: Vec<String> },
    /// An answer on the scale that matches a default question (its id).
    Item(String),
    /// An answer on the scale that matches no default question.
    NewItem,
    /// An answer on the scale that matches a default outcome question (its id).
    Outcome(String),
    /// Long, varied answers: a free-text question (`[[comments]]` in the draft).
    FreeText,
    /// Not needed (timestamps, IDs, mail, names, or not recognised).
    Ignored(&'static str),
}

/// One column and what it was taken for.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftColumn {
    /// Its header.
    pub header: String,
    /// What it is.
    pub kind: Kind,
}

/// The scale read from the answers: labels from the lowest value to the highest.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftScale {
    /// Lowest value.
    pub min: i64,
    /// Labels, lowest first (empty when the answers are numbers only).
    pub labels: Vec<String>,
    /// Highest value.
    pub max: i64,
}

/// A workspace drafted from one export.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The export's file name.
    pub file: String,
    /// Its fiscal year, when the file name says it.
    pub year: Option<FiscalYear>,
    /// Every column in file order.
    pub columns: Vec<DraftColumn>,
    /// The scale of the answer columns.
    pub scale: Option<DraftScale>,
}

/// Scales form tools offer, lowest first: the answers must all be labels of one of them.
const SCALES: [&[&str]; 13] = [
    &["そう思わない", "あまりそう思わない", "どちらともいえない", "ややそう思う", "そう思う"],
    &["そう思わない", "どちらかといえばそう思わない", "どちらともいえない", "どちらかといえばそう思う", "そう思う"],
    &["全くそう思わない", "あまりそう思わない", "どちらともいえない", "ややそう思う", "とてもそう思う"],
    &["全くそう思わない", "そう思わない", "どちらともいえない", "そう思う", "とてもそう思う"],
    &[
        "全くそう思わない",
        "どちらかといえばそう思わない",
        "どちらともいえない",
        "どちらかといえばそう思う",
        "とてもそう思う",
    ],
    &["あてはまらない", "あまりあてはまらない", "どちらともいえない", "ややあてはまる", "あてはまる"],
    &[
        "あてはまらない",
        "どちらかといえばあてはまらない",
        "どちらともいえない",
        "どちらかといえばあてはまる",
        "あてはまる",
    ],
    &["不満", "やや不満", "どちらともいえない", "やや満足", "満足"],
    &["全くそう思わない", "あまりそう思わない", "ややそう思う", "とてもそう思う"],
    &["そう思わない", "あまりそう思わない", "ややそう思う", "そう思う"],
    &["そう思わない", "どちらかといえばそう思わない", "どちらかといえばそう思う", "そう思う"],
    &["あてはまらない", "あまりあてはまらない", "ややあてはまる", "あてはまる"],
    &["あてはまらない", "どちらかといえばあてはまらない", "どちらかといえばあてはまる", "あてはまる"],
];

/// Returns the scale whose labels (or numbers) cover every distinct answer, if any.
fn scale_of(answers: &BTreeSet<String>) -> Option<DraftScale> {
    if answers.is_empty() {
        return None;
    }
    let numbers: Option<Vec<i64>> = answers.iter().map(|a| normalize(a).parse::<i64>().ok()).collect();
    if let Some(ns) = numbers {
        let (min, max) = (*ns.iter().min()?, *ns.iter().max()?);
        return (min >= 0 && max - min >= 2 && max - min <= 10).then_some(DraftScale { min, labels: Vec::new(), max });
    }
    // Numbered labels say their own order: every number from the lowest to the highest, one label each.
    let pairs: Option<Vec<(i64, String)>> =
        answers.iter().map(|a| numbered(a).map(|(n, l)| (n, l.trim().to_string()))).collect();
    if let Some(mut pairs) = pairs {
        pairs.sort();
        pairs.dedup();
        let (min, max) = (pairs.first()?.0, pairs.last()?.0);
        let contiguous = pairs.iter().enumerate().all(|(k, (n, _))| *n == min + k as i64);
        return (contiguous && max - min >= 2).then(|| DraftScale {
            min,
            labels: pairs.into_iter().map(|(_, l)| l).collect(),
            max,
        });
    }
    let labels: Vec<String> = answers.iter().map(|a| normalize(a)).collect();
    let scale = SCALES
        .iter()
        .filter(|s| labels.iter().all(|l| s.iter().any(|x| normalize(x) == *l)))
        .min_by_key(|s| s.len())?;
    Some(DraftScale { min: 1, labels: scale.iter().map(|s| s.to_string()).collect(), max: scale.len() as i64 })
}

/// Classifies every column of `path` against the default questionnaire `survey`.
pub fn draft(path: &Path, file: &str, survey: &Survey) -> Result<Draft, Problem> {
    let anchors: Vec<String> = survey.department_column.clone();
    let opened = open(path, file, SheetSetting { name: None, table: "[columns]" }, &anchors)?;
    let reads: Vec<(usize, Want)> = (0..opened.headers.len()).map(|c| (c, Want::Text)).collect();
    let columns = opened.read(&reads)?;
    let values = |c: usize| -> Vec<String> {
        columns[c]
            .str()
            .map(|s| s.iter().flatten().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect())
            .unwrap_or_default()
    };
    let in_list = |h: &str, list: &[String]| list.iter().any(|x| normalize(x) == normalize(h));
    let to_strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<String>>();

    // Answer columns first: the scale is read from all of them together.
    let mut kinds: Vec<Option<Kind>> = vec![None; opened.headers.len()];
    let mut answers: BTreeSet<String> = BTreeSet::new();
    let mut answer_cols: Vec<usize> = Vec::new();
    for (c, header) in opened.headers.iter().enumerate() {
        let h = header.trim();
        if h.is_empty() {
            kinds[c] = Some(Kind::Ignored("見出しなし"));
            continue;
        }
        let cells = values(c);
        let distinct: BTreeSet<String> = cells.iter().cloned().collect();
        kinds[c] = if in_list(h, &to_strings(&IGNORED)) {
            Some(Kind::Ignored("回答ではない列"))
        } else if in_list(h, &survey.department_column) {
            Some(Kind::Department(distinct.into_iter().collect()))
        } else if in_list(h, &survey.parent_department_column) {
            Some(Kind::Parent)
        } else if in_list(h, &survey.year_column) {
            Some(Kind::Year)
        } else if let Some(d) = survey.demographics.iter().find(|d| in_list(h, &d.column)) {
            // The default values when they cover the export's (directly or by alias).
            let known =
                |v: &str| d.values.iter().chain(d.aliases.iter().map(|(a, _)| a)).any(|x| normalize(x) == normalize(v));
            let values =
                if distinct.iter().all(|v| known(v)) { d.values.clone() } else { distinct.into_iter().collect() };
            Some(Kind::Demographic { name: d.name.clone(), values })
        } else if !distinct.is_empty() && distinct.len() <= 11 && scale_of(&distinct).is_some() {
            // Answers on a scale, even when the question mentions 意見.
            answers.extend(distinct);
            answer_cols.push(c);
            None
        } else if FREE_TEXT.iter().any(|k| normalize(h).contains(&normalize(k))) {
            Some(Kind::FreeText)
        } else {
            // Sentences, not choices: demographic values and labels are short.
            let long = !cells.is_empty() && cells.iter().map(|t| t.chars().count()).sum::<usize>() / cells.len() >= 12;
            if long {
                Some(Kind::FreeText)
            } else if !distinct.is_empty() && distinct.iter().all(|v| looks_like_a_label(v)) {
                // Choices of an agreement scale that no known scale holds: never a demographic.
                Some(Kind::Ignored("尺度がわからない列"))
            } else if !distinct.is_empty() && distinct.len() <= 12 {
                Some(Kind::Demographic { name: h.to_string(), values: distinct.into_iter().collect() })
            } else {
                Some(Kind::Ignored("分類できない列"))
            }
        };
    }
    let scale = scale_of(&answers);
    for c in answer_cols {
        let header = normalize(&opened.headers[c]);
        let matched = survey.items.iter().find(|i| !i.text.is_empty() && header.contains(&normalize(&i.text)));
        let outcome = survey.outcomes.iter().find(|o| !o.text.is_empty() && header.contains(&normalize(&o.text)));
        kinds[c] = Some(match (&scale, matched, outcome) {
            (None, ..) => Kind::Ignored("尺度がわからない列"),
            (Some(_), Some(item), _) => Kind::Item(item.id.clone()),
            (Some(_), None, Some(o)) => Kind::Outcome(o.id.clone()),
            (Some(_), None, None) => Kind::NewItem,
        });
    }
    let year = Path::new(file).file_stem().and_then(|s| s.to_str()).and_then(FiscalYear::from_file_name);
    Ok(Draft {
        file: file.to_string(),
        year,
        columns: opened
            .headers
            .iter()
            .zip(kinds)
            .map(|(h, k)| DraftColumn { header: h.clone(), kind: k.unwrap_or(Kind::Ignored("分類できない列")) })
            .collect(),
        scale,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(xs: &[&str]) -> BTreeSet<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_the_scale_from_the_answers() {
        let five =
            scale_of(&set(&["そう思う", "ややそう思う", "どちらともいえない", "そう思わない"])).expect("5-point");
        assert_eq!(five.labels.len(), 5);
        assert_eq!(five.labels[4], "そう思う");
        let four = scale_of(&set(&["とてもそう思う", "全くそう思わない", "ややそう思う"])).expect("4-point");
        assert_eq!(four.labels, ["全くそう思わない", "あまりそう思わない", "ややそう思う", "とてもそう思う"]);
        let numbers = scale_of(&set(&["1", "3", "5"])).expect("numbers");
        assert_eq!((numbers.min, numbers.max), (1, 5));
        assert_eq!(scale_of(&set(&["はい", "いいえ"])), None);
        let numbered = scale_of(&set(&["1：全然", "2：少し", "3：かなり", "4. とても"])).expect("numbered");
        assert_eq!((numbered.min, numbered.max), (1, 4));
        assert_eq!(numbered.labels, ["全然", "少し", "かなり", "とても"]);
        // The common 5-point wording with どちらかといえば, even when a column lacks some labels.
        let five = scale_of(&set(&[
            "どちらかといえばそう思う",
            "どちらともいえない",
            "そう思う",
            "どちらかといえばそう思わない",
        ]))
        .expect("5-point どちらかといえば");
        assert_eq!(five.labels[1], "どちらかといえばそう思わない");
        assert_eq!(five.labels.len(), 5);
        let four = scale_of(&set(&["どちらかといえばそう思う", "そう思わない"])).expect("4-point");
        assert_eq!(four.labels.len(), 4);
        assert_eq!(scale_of(&set(&["あてはまる", "ややあてはまる", "どちらともいえない"])).expect("あてはまる").max, 5);
        // Gaps leave the order unknown.
        assert_eq!(scale_of(&set(&["5：そう思う", "1：そう思わない"])), None);
    }
}
