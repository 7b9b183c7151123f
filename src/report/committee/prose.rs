//! The committee report's sentences: the findings of the year and the captions
//! of its charts, from the model's values.

use super::charts::HEATMAP_SPAN;
use super::*;
use crate::aggregate::model::CityComparison;
use crate::report::charts::{HEAT_HIGH_NAME, HEAT_LOW_NAME};

/// Three to five sentences a committee member reads first.
pub(super) fn findings(model: &ScoresModel, y: &YearResult, targets: &[TargetRow], rate: Option<f64>) -> Vec<String> {
    let mut out = Vec::new();
    let all = all_group(y).and_then(Group::shown);
    let overall_withheld = all.and_then(|f| f.scores.last()).is_some_and(|s| s.visibility.shown().is_none());
    if let Some(overall) = targets.last() {
        let sentence = match overall.state {
            Status::Achieved if !overall.margin.is_empty() => format!(
                "総合点は{}点で、計画の目標（{}）を達成しました（{}）。",
                overall.value, overall.target, overall.margin
            ),
            Status::Achieved => {
                format!("総合点は{}点で、計画の目標（{}）を達成しました。", overall.value, overall.target)
            }
            Status::Missed if !overall.margin.is_empty() => format!(
                "総合点は{}点で、計画の目標（{}）に届いていません（{}：{}）。",
                overall.value, overall.target, overall.status, overall.margin
            ),
            Status::NoData if overall.number.is_none() && overall_withheld => {
                "総合点は、点数を計算できる回答者が少なく、回答者の秘密を守るため示していません。".to_string()
            }
            Status::NoData if overall.number.is_none() => "総合点を計算できる回答がありませんでした。".to_string(),
            // No target for the overall score: say where it stands and how it moved.
            Status::Tracked | Status::NoData => {
                format!("総合点は{}点でした（前年度差 {}{}）。", overall.value, overall.delta, overall.significance)
            }
            _ => format!(
                "総合点は{}点で、計画の目標（{}）に届いていません（{}）。",
                overall.value, overall.target, overall.status
            ),
        };
        out.push(sentence);
    }
    let names_with = |status: Status| -> Vec<String> {
        targets.iter().filter(|t| t.id != OVERALL && t.state == status).map(|t| t.name.clone()).collect()
    };
    let achieved = names_with(Status::Achieved);
    let on_track = names_with(Status::OnTrack);
    let behind = names_with(Status::Behind);
    let worse = names_with(Status::Worse);
    // 未達 is a floor held short of, or a target not reached in its year.
    let missed = |floor: bool| -> Vec<String> {
        targets
            .iter()
            .filter(|t| t.id != OVERALL && t.state == Status::Missed && t.floor == floor)
            .map(|t| t.name.clone())
            .collect()
    };
    let (below_floor, not_reached) = (missed(true), missed(false));
    let mut parts = Vec::new();
    if !achieved.is_empty() {
        parts.push(format!("目標を達成したのは{}", achieved.join("・")));
    }
    if !on_track.is_empty() {
        parts.push(format!("目標に向けて順調なのは{}", on_track.join("・")));
    }
    if !parts.is_empty() {
        out.push(format!("{}です。", parts.join("、")));
    }
    if !behind.is_empty() || !worse.is_empty() {
        let mut s = String::new();
        if !behind.is_empty() {
            s.push_str(&format!("{}は目標に向けた計画の道筋より遅れて", behind.join("・")));
        }
        if !worse.is_empty() {
            if !s.is_empty() {
                s.push('、');
            }
            s.push_str(&format!("{}は基準年度より低下して", worse.join("・")));
        }
        s.push_str("います。");
        out.push(s);
    }
    if !not_reached.is_empty() {
        out.push(format!("{}は、目標年度までに目標値に届きませんでした（未達）。", not_reached.join("・")));
    }
    if !below_floor.is_empty() {
        out.push(format!("{}は、毎年度の目標値を下回りました（未達）。", below_floor.join("・")));
    }
    if let Some(all) = all {
        // Significant changes of the categories (overall is the last score).
        let moved = |rising: bool| -> Vec<String> {
            all.scores
                .iter()
                .zip(&model.categories)
                .filter_map(|(s, cat)| {
                    let c = s.visibility.shown()?.change?;
                    (if rising { c.rose() } else { c.fell() }).then(|| cat.name.clone())
                })
                .collect()
        };
        let (up, down) = (moved(true), moved(false));
        if y.has_previous {
            match (up.is_empty(), down.is_empty()) {
                (true, true) => {
                    out.push("前年度から統計的に確かな変化（＊）があったカテゴリはありませんでした。".to_string())
                }
                _ => {
                    let mut s = "前年度から統計的に確かに（＊）".to_string();
                    if !up.is_empty() {
                        s.push_str(&format!("上昇したのは{}", up.join("・")));
                    }
                    if !down.is_empty() {
                        if !up.is_empty() {
                            s.push('、');
                        }
                        s.push_str(&format!("低下したのは{}", down.join("・")));
                    }
                    s.push_str("です。");
                    out.push(s);
                }
            }
        }
    }
    out.push(format!(
        "回答者は{}人（職員{}人、回答率{}）でした。",
        all.map(|a| count(a.respondents as u64)).unwrap_or_default(),
        count(y.headcount),
        percent(rate)
    ));
    out
}

pub(super) fn captions(
    model: &ScoresModel,
    y: &YearResult,
    targets: &[TargetRow],
    departments: &[DeptRow],
) -> Captions {
    let first = model.years.first().map(|f| f.year.era()).unwrap_or_default();
    let lowest = targets
        .iter()
        .filter(|t| t.id != OVERALL)
        .filter_map(|t| t.number.map(|v| (v, t.name.clone())))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let highest = targets
        .iter()
        .filter(|t| t.id != OVERALL)
        .filter_map(|t| t.number.map(|v| (v, t.name.clone())))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let hidden = departments.iter().filter(|d| d.hidden.is_some()).count();
    // Each shown department value against the rest of the city.
    let comparisons: Vec<CityComparison> = y
        .groups
        .iter()
        .filter(|g| g.cut.is_none() && g.department != ALL)
        .filter_map(Group::shown)
        .flat_map(|f| f.scores.iter().filter_map(|s| s.visibility.shown().and_then(|v| v.versus_city)))
        .collect();
    let shown = departments.len() - hidden;
    Captions {
        trend: format!(
            "{first}から{}までの全体の点数（実線）と、計画の基準値から目標値へ向かう道筋（破線）です。実線が破線より上にあれば、目標に向けて順調です。",
            y.year.era()
        ),
        targets: match (highest, lowest) {
            (Some(h), Some(l)) => format!(
                "{}の点数と目標値（縦線）です。最も高いのは{}（{:.1}点）、最も低いのは{}（{:.1}点）です。",
                y.year.era(),
                h.1,
                h.0,
                l.1,
                l.0
            ),
            _ => format!("{}の点数と目標値（縦線）です。", y.year.era()),
        },
        heatmap: format!(
            "所属ごとのカテゴリ別の点数です。各カテゴリの市全体の点数より高いほど濃い{high}、低いほど濃い{low}で示し、差が{span}点以上の色はそれ以上濃くしていません。枠で囲んだ{marked}か所は、その所属の回答者と市のほかの回答者の点数を Welch の t 検定で比べ、所属とカテゴリのすべての組み合わせ（{tests}通り）で偽発見率を{fdr}%に抑える調整（Benjamini–Hochberg 法）をしても差があるといえるものです。それ以外の差は偶然の範囲と考えられるため、薄い色にしています（回答者が少ない所属では、大きな差でも偶然のことがあります）。灰色の{hidden}所属は、回答者が{k}人未満か、他の区分の推計を防ぐため数値を示していません（表示{shown}所属）。{values}",
            span = HEATMAP_SPAN,
            marked = comparisons.iter().filter(|c| c.significant).count(),
            tests = comparisons.iter().filter(|c| c.q_value.is_some()).count(),
            fdr = crate::aggregate::comparison::FDR * 100.0,
            high = HEAT_HIGH_NAME,
            low = HEAT_LOW_NAME,
            k = model.min_group_size,
            values = if department_values_withheld(y) {
                "表示した所属でも、そのカテゴリに回答した人が少ないなどの理由で示していない点数は灰色です。"
            } else {
                ""
            }
        ),
        cuts: {
            let names: Vec<&str> = model.demographics.iter().map(|d| d.name.as_str()).collect();
            let years = if y.has_previous { "（前年度と今年度）" } else { "" };
            let mut s = format!("{}ごとの総合点です{years}。", names.join("・"));
            if let Some(f) = model.focus.as_ref().filter(|f| {
                model.demographics.iter().any(|d| d.name == f.demographic && d.values.contains(&f.value))
            }) {
                let way = if f.higher { "拡大" } else { "縮小" };
                s.push_str(&format!("計画は{}の{way}を目指しており、{}の結果に注目しています。", f.goal, f.value));
            }
            s
        },
        response: "所属ごとの回答率（回答者数÷職員数）です。回答率が低い所属の結果は、所属全体の意見を表していない可能性があります。".to_string(),
    }
}
