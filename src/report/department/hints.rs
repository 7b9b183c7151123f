//! Which categories a packet's 取り組みのヒント take up (DESIGN §10), each
//! with the reason printed beside it, in this order: 重点改善; significantly
//! below the rest of the city; below this year's 目安 by more than two
//! standard errors; a significant decline from last year. A department with
//! none of these gets its lowest-scoring category, said to be no finding.

use crate::aggregate::model::{Group, GroupDrivers, Quadrant};
use crate::report::format::one;
use crate::report::importance::in_quadrant;

/// How the hints were chosen, as the packet says it.
pub(super) const RULE: &str = "次の順に、最大2つのカテゴリを取り上げています。①重点改善（満足との結びつきが強いのに点数が低いカテゴリ）、②市のほかの職員より点数が統計的に確かに低いカテゴリ、③今年度の目安を偶然の幅（標準誤差の2倍）を超えて下回るカテゴリ、④前年度から統計的に確かに低下したカテゴリ。";

/// The reason given when nothing above applies.
pub(super) const LOWEST_REASON: &str =
    "統計的に確かな課題は見つかりませんでした。参考として、この所属で点数が最も低いカテゴリを示します";

/// The categories (index among the `p` categories, reason) to take up, at
/// most `max`; `target` gives a category's 目安 this year.
pub(super) fn hints(
    p: usize,
    g: &Group,
    analysis: Option<&GroupDrivers>,
    target: &dyn Fn(usize) -> Option<f64>,
    max: usize,
) -> Vec<(usize, String)> {
    let score = |c: usize| g.score(c);
    let mut found: Vec<(usize, String)> = Vec::new();
    let take = |c: usize, reason: String, found: &mut Vec<(usize, String)>| {
        if found.len() < max && !found.iter().any(|f| f.0 == c) {
            found.push((c, reason));
        }
    };
    // ① 重点改善, the most important first.
    if let Some(d) = analysis {
        for (c, _) in in_quadrant(d, Quadrant::Improve) {
            let cd = &d.categories[c];
            let importance = if d.reference {
                "市全体の重要度で見て満足との結びつきが強く".to_string()
            } else {
                format!(
                    "満足との結びつきが強く（重要度 {}%、95%区間 {}〜{}%）",
                    one(Some(cd.share)),
                    one(Some(cd.share_interval.0)),
                    one(Some(cd.share_interval.1))
                )
            };
            let below = below_what(score(c).and_then(|s| s.versus_city), cd.score, target(c));
            take(c, format!("{}：{importance}、{below}", Quadrant::Improve.label()), &mut found);
        }
    }
    // ② Significantly below the rest of the city, the largest gap first.
    let mut under_city: Vec<(f64, usize)> = (0..p)
        .filter_map(|c| {
            let v = score(c)?.versus_city?;
            (v.significant && v.difference < 0.0).then_some((v.difference, c))
        })
        .collect();
    under_city.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (d, c) in under_city {
        take(c, format!("市のほかの職員より{}点低く、統計的に確かな差です（＊）", one(Some(-d))), &mut found);
    }
    // ③ Below the 目安 by more than two standard errors, the largest gap in standard errors first.
    let mut under_target: Vec<(f64, usize, String)> = (0..p)
        .filter_map(|c| {
            let s = score(c)?;
            let t = target(c)?;
            let se = s.sd? / (s.n as f64).sqrt();
            let gap = t - s.score;
            (se > 0.0 && gap > 2.0 * se).then(|| {
                let reason = format!(
                    "今年度の目安 {}点を{}点下回っています（偶然の幅 {}点を超える差）",
                    one(Some(t)),
                    one(Some(gap)),
                    one(Some(2.0 * se))
                );
                (gap / se, c, reason)
            })
        })
        .collect();
    under_target.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, c, reason) in under_target {
        take(c, reason, &mut found);
    }
    // ④ A significant decline, the largest first.
    let mut declined: Vec<(f64, usize)> = (0..p)
        .filter_map(|c| {
            let ch = score(c)?.change?;
            ch.fell().then_some((ch.delta, c))
        })
        .collect();
    declined.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (d, c) in declined {
        take(c, format!("前年度から{}点低下しました（統計的に確かな低下、＊）", one(Some(-d))), &mut found);
    }
    if found.is_empty() {
        let lowest = (0..p)
            .filter_map(|c| score(c).map(|s| (s.score, c)))
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        if let Some((_, c)) = lowest {
            found.push((c, LOWEST_REASON.to_string()));
        }
    }
    found
}

/// What a 重点改善 category's score is below: the rest of the city (when
/// significantly so) or this year's 目安.
fn below_what(versus_city: Option<crate::aggregate::model::CityComparison>, score: f64, target: Option<f64>) -> String {
    match (versus_city.filter(|v| v.significant && v.difference < 0.0), target.filter(|t| score < *t)) {
        (Some(v), _) => format!("点数が市のほかの職員より{}点低くなっています（＊）", one(Some(-v.difference))),
        (None, Some(t)) => format!("点数が今年度の目安 {}点を{}点下回っています", one(Some(t)), one(Some(t - score))),
        (None, None) => "点数が比較の基準を下回っています".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::model::{CategoryDriver, Change, CityComparison, Figures, Published, Score, ScoreFigures};

    /// A category's figures: score, sd, n, its difference from the rest of
    /// the city (significant or not) and its change (significant or not).
    fn value(score: f64, versus: Option<(f64, bool)>, change: Option<(f64, bool)>) -> Score {
        Score {
            category: "c".into(),
            visibility: Published::Shown(ScoreFigures {
                n: 25,
                score,
                sd: Some(10.0),
                favorable: None,
                neutral: None,
                unfavorable: None,
                change: change.map(|(delta, s)| Change {
                    delta,
                    p_value: Some(0.01),
                    significant: true,
                    q_value: Some(0.02),
                    fdr_significant: s,
                }),
                versus_city: versus.map(|(difference, significant)| CityComparison {
                    difference,
                    rest: score - difference,
                    p_value: Some(0.01),
                    q_value: Some(0.02),
                    significant,
                }),
            }),
        }
    }

    fn department(scores: Vec<Score>) -> Group {
        Group {
            department: "0101".into(),
            department_name: "総務課".into(),
            parent: None,
            depth: 1,
            cut: None,
            cut_value: None,
            visibility: Published::Shown(Figures {
                respondents: 25,
                response_rate: None,
                headcount: None,
                scores,
                items: Vec::new(),
                outcomes: None,
            }),
            path_name: "総務課".into(),
        }
    }

    fn analysis(improve: usize, p: usize) -> GroupDrivers {
        GroupDrivers {
            department: "0101".into(),
            cut: None,
            cut_value: None,
            n: 150,
            r2: 0.4,
            adjusted_r2: 0.37,
            r2_interval: (0.3, 0.5),
            replicates: 1000,
            resamples_used: 1000,
            reference: false,
            rank_differences: Vec::new(),
            categories: (0..p)
                .map(|c| CategoryDriver {
                    category: format!("c{c}"),
                    correlation: 0.5,
                    raw: 0.05,
                    raw_interval: (0.01, 0.1),
                    share: if c == improve { 30.0 } else { 10.0 },
                    share_interval: if c == improve { (20.0, 40.0) } else { (5.0, 15.0) },
                    score: 60.0,
                    important: c == improve,
                    below: c == improve,
                    quadrant: if c == improve { Quadrant::Improve } else { Quadrant::Maintain },
                })
                .collect(),
        }
    }

    #[test]
    fn hints_follow_the_order_of_design_10() {
        // 0: a decline only; 1: 6 below the 目安 (2 SE = 4.0); 2: significantly below the city;
        // 3: below the city, not significantly, and 3 below the 目安 (within 2 SE).
        let g = department(vec![
            value(70.0, Some((1.0, false)), Some((-4.0, true))),
            value(64.0, Some((-2.0, false)), None),
            value(68.0, Some((-6.0, true)), None),
            value(67.0, Some((-9.0, false)), None),
        ]);
        let target = |c: usize| [Some(60.0), Some(70.0), Some(60.0), Some(70.0)][c];
        let picked = hints(4, &g, None, &target, 2);
        assert_eq!(picked.iter().map(|h| h.0).collect::<Vec<_>>(), [2, 1]);
        assert!(picked[0].1.contains("市のほかの職員より6.0点低く"), "{}", picked[0].1);
        assert!(picked[1].1.contains("目安 70.0点を6.0点下回って"), "{}", picked[1].1);
        // With room for four, the decline comes last; the noise of category 3 never.
        let picked = hints(4, &g, None, &target, 4);
        assert_eq!(picked.iter().map(|h| h.0).collect::<Vec<_>>(), [2, 1, 0]);
        assert!(picked[2].1.contains("前年度から4.0点低下"), "{}", picked[2].1);
        // 重点改善 comes first.
        let picked = hints(4, &g, Some(&analysis(3, 4)), &target, 2);
        assert_eq!(picked.iter().map(|h| h.0).collect::<Vec<_>>(), [3, 2]);
        assert!(picked[0].1.starts_with("重点改善："), "{}", picked[0].1);
    }

    #[test]
    fn without_a_finding_the_lowest_category_is_offered_as_such() {
        let g = department(vec![value(70.0, Some((1.0, false)), None), value(64.0, Some((-2.0, false)), None)]);
        let picked = hints(2, &g, None, &|_| Some(60.0), 2);
        assert_eq!(picked.len(), 1);
        assert_eq!(picked[0], (1, LOWEST_REASON.to_string()));
    }
}
