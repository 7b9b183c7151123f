//! A packet's sentences: why there is no driver analysis, and which figures
//! are withheld and why.

use crate::aggregate::drivers::MIN_RESPONDENTS;
use crate::aggregate::model::{Figures, HiddenReason, ScoresModel, YearResult};

/// Why a department has no driver analysis this year.
pub(super) fn driver_note(y: &YearResult) -> String {
    match &y.drivers {
        Some(d) if d.note.is_some() && d.groups.is_empty() => d.note.clone().unwrap_or_default(),
        _ => format!(
            "この所属は、結果の設問とすべてのカテゴリに答えた人が{MIN_RESPONDENTS}人未満か、点数の一部を示していないため、重要度の分析は行っていません。市全体の分析は委員会向け報告書にあります。"
        ),
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
