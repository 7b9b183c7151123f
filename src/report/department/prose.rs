//! A packet's sentences: why there is no driver analysis, and which figures
//! are withheld and why.

use crate::aggregate::drivers::MIN_RESPONDENTS;
use crate::aggregate::model::{Figures, HiddenReason, ScoresModel, YearResult};
use crate::config::plan::OVERALL;
use crate::report::format::plan_number;

/// The category chart's caption: what its bars and lines are, and what this
/// year's 目安 (the black line) is — the trajectory of a goal to reach (the
/// target itself from its target year on) and, for a floor such as 総合 ≥ 65,
/// the floor, which has no trajectory and must be held every year. `ids` and
/// `names` are the chart's rows.
pub(super) fn scores_caption(y: &YearResult, ids: &[String], names: &[String]) -> String {
    let mut s = "青い棒はこの所属の点数、灰色の細い棒は市全体の点数、黒い縦線は今年度の目安です。".to_string();
    let goals: Vec<_> = ids
        .iter()
        .zip(names)
        .filter_map(|(id, name)| Some((y.progress.iter().find(|p| &p.id == id)?, id, name)))
        .collect();
    let reach: Vec<_> = goals.iter().filter(|(p, ..)| p.trajectory.is_some()).collect();
    if !reach.is_empty() {
        if reach.iter().all(|(p, ..)| p.target_year.is_some_and(|ty| y.year >= ty)) {
            s.push_str("今年度は計画の目標年度に達しているため、目安は目標値です。");
        } else {
            s.push_str("目安は、計画の基準値から目標値まで年度ごとに均等に進んだ場合の今年度の値です。");
        }
    }
    for (p, id, name) in goals.iter().filter(|(p, ..)| p.is_floor() && p.target.is_some()) {
        let name = if id.as_str() == OVERALL { "総合点" } else { name.as_str() };
        let floor = p.target.map(plan_number).unwrap_or_default();
        s.push_str(&format!("{name}の目標は毎年度{floor}{}以上で、その値を目安にしています。", p.unit));
    }
    s
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
