//! The driver analysis as both reports print it: the table of categories by
//! importance, the portfolio chart's data, and the sentences that read them.
//! The committee report uses it for the city, each packet for its department.

use serde::Serialize;

use crate::aggregate::model::{Figures, GroupDrivers, ItemScore, Quadrant, ScoresModel};
use crate::report::charts::{Portfolio, PortfolioPoint};
use crate::report::format::{count, one};

/// The quadrants in the order the chart names its corners.
pub const CORNERS: [Quadrant; 4] = [Quadrant::Improve, Quadrant::Keep, Quadrant::Maintain, Quadrant::Watch];

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
    /// R² in %, with its interval: `42.4%（95%区間 37.6〜48.1%）`.
    pub r2: String,
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

/// The table, the chart's caption sentences and the figures of one group's analysis.
pub fn summary(model: &ScoresModel, d: &GroupDrivers, whose: &str) -> DriverSummary {
    let names = names(model);
    let mut order: Vec<usize> = (0..d.categories.len()).collect();
    order.sort_by(|&a, &b| d.categories[b].share.total_cmp(&d.categories[a].share).then(a.cmp(&b)));
    let rows = order
        .iter()
        .map(|&c| {
            let cd = &d.categories[c];
            DriverRow {
                name: names[c].clone(),
                importance: one(Some(cd.share)),
                interval: format!("{}〜{}", one(Some(cd.share_interval.0)), one(Some(cd.share_interval.1))),
                correlation: format!("{:.2}", cd.correlation),
                score: one(Some(cd.score)),
                quadrant: cd.quadrant.label().to_string(),
                quadrant_key: cd.quadrant,
            }
        })
        .collect();
    let (first, second) = (order[0], order[1.min(order.len() - 1)]);
    let mut sentences = vec![format!(
        "{whose}では、結果の設問の点数の違いのうち{}%をカテゴリの点数で説明できます（決定係数）。最も重要なのは{}（{}%）、次いで{}（{}%）です。",
        one(Some(d.r2 * 100.0)),
        names[first],
        one(Some(d.categories[first].share)),
        names[second],
        one(Some(d.categories[second].share)),
    )];
    let improve: Vec<String> = in_quadrant(d, Quadrant::Improve).iter().map(|&(c, _)| names[c].clone()).collect();
    sentences.push(if improve.is_empty() {
        format!(
            "重要度が平均より高く点数が平均より低い「{}」のカテゴリはありません。",
            Quadrant::Improve.label()
        )
    } else {
        format!(
            "重要度が平均より高く点数が平均より低い「{}」のカテゴリは{}です。ここを高めると、職場への満足につながりやすいと考えられます。",
            Quadrant::Improve.label(),
            improve.join("・")
        )
    });
    // Whether the top two can be told apart.
    if order.len() > 1 {
        let (a, b) = (&d.categories[order[0]], &d.categories[order[1]]);
        if a.share_interval.0 <= b.share_interval.1 {
            sentences.push(format!(
                "{}と{}の重要度は95%区間が重なっており、順位の差ははっきりしません。",
                names[order[0]], names[order[1]]
            ));
        }
    }
    DriverSummary {
        n: count(d.n),
        r2: format!(
            "{}%（95%区間 {}〜{}%）",
            one(Some(d.r2 * 100.0)),
            one(Some(d.r2_interval.0 * 100.0)),
            one(Some(d.r2_interval.1 * 100.0))
        ),
        rows,
        sentences,
    }
}

/// The portfolio chart's data for one group's analysis.
pub fn portfolio(model: &ScoresModel, d: &GroupDrivers, width: f64, height: f64) -> Portfolio {
    let names = names(model);
    let p = d.categories.len().max(1) as f64;
    Portfolio {
        points: d
            .categories
            .iter()
            .zip(&names)
            .map(|(c, name)| PortfolioPoint {
                label: name.clone(),
                score: c.score,
                importance: c.share,
                interval: c.share_interval,
                priority: c.quadrant == Quadrant::Improve,
            })
            .collect(),
        mean_score: d.categories.iter().map(|c| c.score).sum::<f64>() / p,
        mean_importance: 100.0 / p,
        quadrants: CORNERS.map(|q| q.label().to_string()),
        width,
        height,
    }
}

/// The portfolio's caption: its axes, lines, whiskers and quadrants, in the
/// chart's own names.
pub fn portfolio_caption() -> String {
    format!(
        "横軸は点数、縦軸は重要度です。破線はそれぞれの平均で、4つの区分に分けています。縦の線は重要度の95%区間です。左上の「{}」（色付き）は、重要度が平均以上で点数が平均より低いカテゴリです。右上は「{}」、右下は「{}」、左下は「{}」です。",
        Quadrant::Improve.label(),
        Quadrant::Keep.label(),
        Quadrant::Maintain.label(),
        Quadrant::Watch.label()
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
