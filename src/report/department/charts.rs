//! A packet's charts, drawn from the data [`super::build`] hands over:
//! `scores`, `trend`, `split` and, with a driver analysis, `portfolio`.

use super::{PacketCharts, PacketDoc};
use crate::report::charts::Chart;

/// Draws a packet's charts.
pub fn charts(doc: &PacketDoc, data: &PacketCharts) -> anyhow::Result<Vec<(String, Chart)>> {
    use crate::report::charts::{
        self, CategoryBar, CategoryBars, Cell, ShareBars, ShareRow, Shares, TrendChart, TrendSeries,
    };
    if doc.hidden.is_some() {
        return Ok(Vec::new());
    }
    let n = data.categories.len();
    let bars = CategoryBars {
        rows: (0..n)
            .map(|c| CategoryBar {
                label: data.categories[c].clone(),
                value: data.scores.get(c).copied().unwrap_or(Cell::Empty),
                comparison: data.city.get(c).copied().flatten().into(),
                target: data.targets.get(c).copied().flatten(),
                emphasis: c + 1 == n,
            })
            .collect(),
        value_name: "この所属".into(),
        comparison_name: Some("市全体".into()),
        target_name: "今年度の目安".into(),
        ..CategoryBars::default()
    };
    let mut out = vec![("scores".to_string(), charts::category_bars(&bars)?)];
    let trend = TrendChart {
        years: data.years.clone(),
        series: vec![
            TrendSeries { name: "この所属".into(), values: data.trend.iter().map(|v| Cell::from(*v)).collect() },
            TrendSeries { name: "市全体".into(), values: data.trend_city.iter().map(|v| Cell::from(*v)).collect() },
        ],
        width: super::TREND_WIDTH,
        height: 130.0,
        ..TrendChart::default()
    };
    out.push(("trend".to_string(), charts::trend_lines(&trend)?));
    let split = ShareBars {
        rows: data
            .split
            .iter()
            .enumerate()
            .map(|(c, split)| ShareRow {
                label: data.categories[c].clone(),
                shares: match *split {
                    None => Shares::Hidden,
                    Some((favorable, neutral, unfavorable)) if favorable + neutral + unfavorable > 0.0 => {
                        Shares::Values { favorable, neutral, unfavorable }
                    }
                    Some(_) => Shares::Empty,
                },
                emphasis: false,
            })
            .collect(),
        ..ShareBars::default()
    };
    out.push(("split".to_string(), charts::share_bars(&split)?));
    if let Some(p) = &data.portfolio {
        out.push(("portfolio".to_string(), charts::portfolio(p)?));
    }
    Ok(out)
}
