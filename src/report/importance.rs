//! The driver analysis as both reports print it: the table of categories by
//! importance, the portfolio chart's data, and the sentences that read them.
//! The committee report uses it for the city, each packet for its department.

use serde::Serialize;

use crate::aggregate::model::{ALL, Figures, GroupDrivers, ItemScore, Progress, Quadrant, ScoresModel};
use crate::report::charts::{Portfolio, PortfolioPoint};
use crate::report::format::{beside, count, one};

/// One category in the importance table.
#[derive(Debug, Clone, Serialize)]
pub struct DriverRow {
    /// Category name.
    pub name: String,
    /// Importance (share of R²), `18.6`.
    pub importance: String,
    /// Its 95 % interval, `13.7〜23.1`.
    pub interval: String,
    /// Correlation with the outcome score, `0.53`.
    pub correlation: String,
    /// The score, `68.9`.
    pub score: String,
    /// The quadrant's name.
    pub quadrant: String,
    /// A key for its colour (serialised as improve, keep, maintain, watch).
    pub quadrant_key: Quadrant,
}

/// A group's analysis as printed.
#[derive(Debug, Clone, Serialize)]
pub struct DriverSummary {
    /// Respondents in the analysis, `736`.
    pub n: String,
    /// R² in %, with its interval and the adjusted R²:
    /// `42.4%（95%区間 37.6〜48.1%、自由度調整済み 41.7%）`.
    pub r2: String,
    /// Fewer than 100 complete respondents: the group's own importance is a
    /// reference (参考) and its 区分 and chart use the city's importance.
    pub reference: bool,
    /// The categories, most important first.
    pub rows: Vec<DriverRow>,
    /// Two or three sentences that read the table and the chart.
    pub sentences: Vec<String>,
}

/// Category names of a group's analysis, in survey order.
fn names(model: &ScoresModel) -> Vec<String> {
    model.categories.iter().map(|c| c.name.clone()).collect()
}

/// The categories of a quadrant, most important first.
pub fn in_quadrant(d: &GroupDrivers, q: Quadrant) -> Vec<(usize, f64)> {
    let mut out: Vec<(usize, f64)> =
        d.categories.iter().enumerate().filter(|(_, c)| c.quadrant == q).map(|(i, c)| (i, c.share)).collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// The categories (indices in survey order) by the group's own importance,
/// largest first: the order of the importance table.
pub fn by_importance(d: &GroupDrivers) -> Vec<usize> {
    let mut order: Vec<usize> = (0..d.categories.len()).collect();
    order.sort_by(|&a, &b| d.categories[b].share.total_cmp(&d.categories[a].share).then(a.cmp(&b)));
    order
}

/// How the table and the sentences name the comparison of a group's scores:
/// a department's is the 目安 or the rest of the city, others' the 目安.
fn comparison(d: &GroupDrivers) -> &'static str {
    if d.department != ALL && d.cut.is_none() {
        "今年度の目安か、市のほかの職員の点数（統計的に確かな差）"
    } else {
        "今年度の目安"
    }
}

/// The equal share, `12.5`.
fn equal_share(d: &GroupDrivers) -> String {
    one(Some(100.0 / d.categories.len().max(1) as f64))
}

/// The table, the chart's caption sentences and the figures of one group's
/// analysis; `city` is the city's, which a group with fewer than 100
/// complete respondents uses for its 区分 and chart.
pub fn summary(model: &ScoresModel, progress: &[Progress], d: &GroupDrivers, whose: &str) -> DriverSummary {
    let names = names(model);
    // This year's 目安 of each category: a score is printed apart from it (DESIGN §6).
    let yardstick = |c: usize| {
        let id = &model.categories[c].id;
        progress.iter().find(|p| &p.id == id).and_then(Progress::yardstick)
    };
    let rows = by_importance(d)
        .iter()
        .map(|&c| {
            let cd = &d.categories[c];
            DriverRow {
                name: names[c].clone(),
                importance: one(Some(cd.share)),
                interval: format!("{}〜{}", one(Some(cd.share_interval.0)), one(Some(cd.share_interval.1))),
                correlation: format!("{:.2}", cd.correlation),
                score: beside(cd.score, yardstick(c)),
                quadrant: cd.quadrant.label().to_string(),
                quadrant_key: cd.quadrant,
            }
        })
        .collect();
    let reference = if d.reference { "（参考）" } else { "" };
    let mut sentences = vec![format!(
        "{whose}では、結果の設問の点数の違いのうち{}%（自由度調整済み決定係数では{}%）を、カテゴリの点数で説明できます。",
        one(Some(d.r2 * 100.0)),
        one(Some(d.adjusted_r2 * 100.0)),
    )];
    // A rank is stated only when the interval of the difference excludes zero.
    if let Some(first) = d.rank_differences.first() {
        let (a, b) = (category_name(model, &first.higher), category_name(model, &first.lower));
        let share = |id: &str| one(d.categories.iter().find(|c| c.category == id).map(|c| c.share));
        sentences.push(if first.clear() {
            format!(
                "{reference}満足との結びつきが最も強いのは{a}（{}%）で、2番目の{b}（{}%）との差も95%区間で確かめられます。",
                share(&first.higher),
                share(&first.lower)
            )
        } else {
            format!(
                "{reference}重要度は{a}（{}%）、{b}（{}%）の順に高くなっていますが、この2つの差ははっきりしません（差の95%区間が0をまたぎます）。",
                share(&first.higher),
                share(&first.lower)
            )
        });
    }
    let improve: Vec<String> = in_quadrant(d, Quadrant::Improve).iter().map(|&(c, _)| names[c].clone()).collect();
    let rule = format!(
        "重要度の95%区間の全体が均等な割合（{}%）を上回り、点数が{}を下回るカテゴリ",
        equal_share(d),
        comparison(d)
    );
    sentences.push(if improve.is_empty() {
        format!("「{}」（{rule}）はありません。", Quadrant::Improve.label())
    } else {
        format!(
            "「{}」（{rule}）は{}です。満足との結びつきが強いのに点数が低いカテゴリです。",
            Quadrant::Improve.label(),
            improve.join("・")
        )
    });
    if d.reference {
        sentences.push(format!(
            "この分析の回答者は{}人と少ないため、{whose}の重要度は参考値です。区分と図は市全体の重要度を使っています。",
            count(d.n)
        ));
    }
    DriverSummary {
        n: count(d.n),
        r2: format!(
            "{}%（95%区間 {}〜{}%、自由度調整済み {}%）",
            one(Some(d.r2 * 100.0)),
            one(Some(d.r2_interval.0 * 100.0)),
            one(Some(d.r2_interval.1 * 100.0)),
            one(Some(d.adjusted_r2 * 100.0))
        ),
        reference: d.reference,
        rows,
        sentences,
    }
}

/// Returns the name of a category given by its id.
pub fn category_name(model: &ScoresModel, id: &str) -> String {
    model.categories.iter().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or_default()
}

/// The analysis a group's portfolio and 区分 are placed by: its own, or the
/// city's (`city`) when its own is a reference (DESIGN §10: fewer than 100
/// complete respondents).
pub fn basis<'a>(d: &'a GroupDrivers, city: Option<&'a GroupDrivers>) -> &'a GroupDrivers {
    if d.reference { city.unwrap_or(d) } else { d }
}

/// The portfolio chart's data for one group's analysis: its scores against
/// its own importance, or the city's (`city`) when its own is a reference.
pub fn portfolio(
    model: &ScoresModel,
    d: &GroupDrivers,
    city: Option<&GroupDrivers>,
    width: f64,
    height: f64,
) -> Portfolio {
    let names = names(model);
    let basis = basis(d, city);
    Portfolio {
        points: d
            .categories
            .iter()
            .zip(&basis.categories)
            .zip(&names)
            .map(|((c, b), name)| PortfolioPoint {
                label: name.clone(),
                score: c.score,
                importance: b.share,
                interval: b.share_interval,
                priority: c.quadrant == Quadrant::Improve,
            })
            .collect(),
        mean_importance: 100.0 / d.categories.len().max(1) as f64,
        line_label: format!("均等な割合（{}%）", equal_share(d)),
        priority_label: Quadrant::Improve.label().to_string(),
        width,
        height,
    }
}

/// The portfolio's caption: its axes, line, whiskers and colour.
pub fn portfolio_caption(d: Option<&GroupDrivers>) -> String {
    let basis = match d {
        Some(d) if d.reference => "縦軸は市全体の重要度です（この所属の回答者が少ないため）。",
        _ => "縦軸は重要度です。",
    };
    let comparison = d.map_or("今年度の目安", comparison);
    format!(
        "横軸は点数、{basis}縦の線は重要度の95%区間、破線はカテゴリの数で均等に分けた割合です。「{}」（橙）は、95%区間の全体が破線より上にあり、点数が{comparison}を下回るカテゴリです。",
        Quadrant::Improve.label()
    )
}

/// The outcome questions' results of a shown group, one line each:
/// `Q36 総合的に見て、… 63.1点（肯定的な回答 51.3%）`, with the city's score
/// beside it when `city` is given; nothing when the block is withheld.
pub fn outcome_lines(model: &ScoresModel, f: &Figures, city: Option<&Figures>) -> Vec<String> {
    let shown = |f: &Figures| -> Option<Vec<ItemScore>> { f.outcomes.as_ref()?.shown().cloned() };
    let Some(mine) = shown(f) else { return Vec::new() };
    let theirs = city.and_then(shown);
    model
        .outcomes
        .iter()
        .zip(&mine)
        .map(|(o, it)| {
            let city_score = theirs.as_ref().and_then(|t| t.iter().find(|c| c.item == it.item)).map(|c| c.score);
            let beside = city_score.map(|c| format!("、市全体 {}点", one(Some(c)))).unwrap_or_default();
            format!(
                "{} {}：{}点（肯定的な回答 {}%{beside}）",
                o.id,
                o.text,
                one(Some(it.score)),
                one(Some(it.favorable))
            )
        })
        .collect()
}
