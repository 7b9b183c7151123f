//! A packet's sentences: why a category is a focus, and which figures are
//! withheld and why.

use crate::aggregate::drivers::MIN_RESPONDENTS;
use crate::aggregate::model::{Figures, HiddenReason, Quadrant, ScoresModel, YearResult};
use crate::report::format::{change, one};

/// The reason given when no category is below the city or this year's trajectory.
pub(super) const LOWEST_REASON: &str =
    "市全体や今年度の目安を下回るカテゴリはありません。この所属で点数が最も低いカテゴリです";

/// Why an important, weak category is a focus: its importance, and its gap
/// to the city or the trajectory when it has one.
pub(super) fn important_reason(share: f64, gap: Option<String>) -> String {
    let base =
        format!("「{}」：重要度 {}%で、この所属の中では点数が低めです", Quadrant::Improve.label(), one(Some(share)));
    match gap.filter(|g| !g.is_empty()) {
        Some(g) => format!("{base}（{g}）"),
        None => base,
    }
}

/// Why a department has no driver analysis this year.
pub(super) fn driver_note(y: &YearResult) -> String {
    match &y.drivers {
        Some(d) if d.note.is_some() && d.groups.is_empty() => d.note.clone().unwrap_or_default(),
        _ => format!(
            "この所属は、結果の設問とすべてのカテゴリに答えた人が{MIN_RESPONDENTS}人未満か、点数の一部を示していないため、重要度の分析は行っていません。市全体の分析は委員会向け報告書にあります。"
        ),
    }
}

/// Why a category is a focus: its gap to the city (`vs_city`) and to this
/// year's trajectory (`vs_target`, the trajectory being `target`).
pub(super) fn gap_reason(vs_city: Option<f64>, vs_target: Option<f64>, target: Option<f64>) -> String {
    match (vs_city, vs_target) {
        (Some(a), Some(b)) if b < a && b < 0.0 => {
            format!("今年度の目安 {}点を{}点下回っています", one(target), one(Some(-b)))
        }
        (Some(a), _) if a < 0.0 => format!("市全体より{}点低くなっています", one(Some(-a))),
        (Some(a), _) => format!("市全体との差 {}点", change(Some(a))),
        (None, Some(b)) => format!("今年度の目安との差 {}点", change(Some(b))),
        (None, None) => String::new(),
    }
}

/// Sentences saying which of a shown department's figures are withheld, and why.
pub(super) fn withheld_notes(model: &ScoresModel, f: &Figures, names: &[String]) -> Vec<String> {
    let k = model.min_group_size;
    let mut notes = Vec::new();
    let values = |reason: HiddenReason| -> Vec<&str> {
        f.scores
            .iter()
            .zip(names)
            .filter(|(s, _)| s.visibility.reason() == Some(reason))
            .map(|(_, n)| n.as_str())
            .collect()
    };
    let too_few = values(HiddenReason::TooFew);
    if !too_few.is_empty() {
        notes.push(format!(
            "{}の点数は、その点数を計算できるだけ回答した人が{k}人未満のため示していません（途中で回答をやめた人などがいるためです）。",
            too_few.join("・")
        ));
    }
    let differencing = values(HiddenReason::Differencing);
    if !differencing.is_empty() {
        notes.push(format!(
            "{}の点数は、ほかの所属や区分の少人数の結果が引き算でわからないよう、示していません。",
            differencing.join("・")
        ));
    }
    let blocks: Vec<&str> =
        f.items.iter().zip(names).filter(|(b, _)| b.visibility.shown().is_none()).map(|(_, n)| n.as_str()).collect();
    if !blocks.is_empty() {
        notes.push(format!(
            "{}の設問ごとの結果は、回答者の秘密を守るため示していません（強み・課題の一覧にも含めていません）。",
            blocks.join("・")
        ));
    }
    notes
}
