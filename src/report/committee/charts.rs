//! The committee report's charts, assembled from the model: trends per
//! category, targets, the heatmap, the demographic cuts, response rates.

use super::*;
use crate::report::charts::Chart;

/// A legend label: the question id and the start of its text.
pub(super) fn short_label(label: &str) -> String {
    const MAX: usize = 16;
    let chars: Vec<char> = label.chars().collect();
    if chars.len() <= MAX { label.to_string() } else { format!("{}…", chars[..MAX].iter().collect::<String>()) }
}

/// Where a goal should stand in `year` on the way from its baseline to its target.
pub(super) fn trajectory_at(p: &Progress, year: FiscalYear) -> Option<f64> {
    let (by, b, ty, t) = (p.baseline_year?, p.baseline?, p.target_year?, p.target?);
    if year < by || year > ty || ty <= by {
        return None;
    }
    Some(b + (t - b) * f64::from(year.0 - by.0) / f64::from(ty.0 - by.0))
}

/// A y range with a 10-point grid around every value (and target) of the small trend charts.
pub(super) fn trend_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 100.0);
    }
    let lo = ((lo - 5.0) / 10.0).floor() * 10.0;
    let hi = ((hi + 5.0) / 10.0).ceil() * 10.0;
    (lo.max(0.0), hi.min(100.0).max(lo + 20.0))
}

/// The difference from the city (points) at which the heatmap's colours are strongest.
pub(super) const HEATMAP_SPAN: f64 = crate::palette::HEATMAP_SPAN;

/// Height of the page area a long chart may fill below a heading, in points.
pub(super) const PAGE_CHART_HEIGHT: f64 = 640.0;
/// The heatmap's share of that area: its first page also holds a caption of
/// about four lines (the colours, the frames and the hidden departments).
pub(super) const HEATMAP_PAGE_HEIGHT: f64 = PAGE_CHART_HEIGHT - 50.0;
/// The smallest readable heatmap row, in points.
pub(super) const MIN_ROW_HEIGHT: f64 = 8.0;

/// Splits a long chart over pages: one page when its `rows` fit at
/// `row_height`, else rows a little lower (down to a readable minimum) and
/// pages of equal length. `fits(h)` is how many rows of height `h` fit on a
/// page; `room` the height the rows may take there. Returns the rows per page
/// and the row height.
pub(super) fn paginate(rows: usize, row_height: f64, room: f64, fits: impl Fn(f64) -> usize) -> (usize, f64) {
    if rows <= fits(row_height) {
        return (rows.max(1), row_height);
    }
    let pages = rows.div_ceil(fits(MIN_ROW_HEIGHT).max(1));
    let per_page = rows.div_ceil(pages);
    (per_page, (((room / per_page as f64) * 10.0).floor() / 10.0).max(MIN_ROW_HEIGHT))
}

/// The heatmap legend's words for a framed cell; the caption says the same.
pub(super) const HEATMAP_MARKED: &str = "枠付き：市全体との差が統計的に確かなもの（偽発見率5%で調整）";

/// Draws the committee report's charts: `trend0`… (one per category and
/// overall), `targets`, `heatmap0`…, `cut0`…, `response0`….
pub fn charts(model: &ScoresModel, year: FiscalYear) -> Result<Vec<(String, Chart)>> {
    use crate::report::charts::{
        self, BarGroup, CategoryBar, CategoryBars, Cell, GroupedBars, HeatCenter, HeatScale, Heatmap, HeatmapRow,
        RateBars, RateRow, Reference, SeriesColors, TEXT_WIDTH, TargetMark, TrendChart, TrendSeries,
    };
    let Some(y) = model.year(year) else { bail!("{}の回答がありません", year.era()) };
    let mut out: Vec<(String, Chart)> = Vec::new();
    let ids: Vec<String> = model.categories.iter().map(|c| c.id.clone()).chain([OVERALL.to_string()]).collect();
    let names: Vec<String> = model.categories.iter().map(|c| c.name.clone()).chain(["総合".to_string()]).collect();
    // A hidden group or a withheld value is drawn as 非表示, never with a number.
    let cell_of = |g: Option<&Group>, c: usize| -> Cell {
        match g {
            None => Cell::Empty,
            Some(g) => match g.score(c) {
                Some(s) => Some(s.score).into(),
                None => Cell::Hidden,
            },
        }
    };

    // Trends: the survey years up to this one, extended to the plan's target year.
    let first = model.years.first().map(|r| r.year).unwrap_or(year);
    let last_target = y.progress.iter().filter_map(|p| p.target_year).max().unwrap_or(year);
    let axis: Vec<FiscalYear> = (first.0..=last_target.max(year).0).map(FiscalYear).collect();
    let city_values: Vec<Vec<Cell>> =
        (0..ids.len())
            .map(|c| {
                axis.iter()
                    .map(|&ay| {
                        if ay > year {
                            Cell::Empty
                        } else {
                            cell_of(model.year(ay).and_then(|r| r.group(ALL, None)), c)
                        }
                    })
                    .collect()
            })
            .collect();
    let progress_of = |id: &str| y.progress.iter().find(|p| p.id == id);
    let range = trend_range(
        city_values
            .iter()
            .flatten()
            .filter_map(|c| c.value())
            .chain(y.progress.iter().filter_map(|p| p.target))
            .chain(y.progress.iter().filter_map(|p| p.baseline)),
    );
    let small_width = (TEXT_WIDTH - 2.0 * 10.0) / 3.0;
    for (c, id) in ids.iter().enumerate() {
        let p = progress_of(id);
        let trajectory = p.filter(|p| p.target_year.is_some()).map(|p| TrendSeries {
            name: "目標への道筋".into(),
            values: axis.iter().map(|&ay| trajectory_at(p, ay).into()).collect(),
        });
        let target = p.and_then(|p| {
            let t = p.target?;
            Some(TargetMark {
                // A whole target reads 目標65; another keeps its decimals (目標66.7, not 目標67).
                label: if t.fract() == 0.0 {
                    format!("目標{t:.0}")
                } else {
                    format!("目標{}", format::plan_number(t))
                },
                value: t,
                year: p.target_year.and_then(|ty| axis.iter().position(|&ay| ay == ty)),
            })
        });
        let chart = TrendChart {
            years: axis.iter().map(|a| a.short()).collect(),
            series: vec![TrendSeries { name: "市全体".into(), values: city_values[c].clone() }],
            trajectory,
            target,
            y_range: Some(range),
            value_labels: true,
            legend: false,
            width: small_width,
            height: 112.0,
        };
        out.push((format!("trend{c}"), charts::trend_lines(&chart)?));
    }

    // This year against targets, with last year for comparison.
    let all = y.group(ALL, None);
    let previous_all = model.year(year.previous()).and_then(|r| r.group(ALL, None));
    let bars = CategoryBars {
        rows: ids
            .iter()
            .enumerate()
            .map(|(c, id)| CategoryBar {
                label: names[c].clone(),
                value: cell_of(all, c),
                comparison: cell_of(previous_all, c),
                target: progress_of(id).and_then(|p| p.target),
                emphasis: id == OVERALL,
            })
            .collect(),
        value_name: year.era(),
        comparison_name: previous_all.map(|_| year.previous().era()),
        target_name: "計画の目標値".into(),
        ..CategoryBars::default()
    };
    out.push(("targets".into(), charts::category_bars(&bars)?));

    // Departments × categories, coloured by the difference from the city.
    let city: Vec<f64> = (0..ids.len()).map(|c| cell_of(all, c).value().unwrap_or(f64::NAN)).collect();
    let has_children: Vec<&str> = y.groups.iter().filter_map(|g| g.parent.as_deref()).collect();
    let mut rows = vec![HeatmapRow {
        label: "市全体".into(),
        indent: 0,
        cells: (0..ids.len()).map(|c| cell_of(all, c)).collect(),
        marks: Vec::new(),
        emphasis: true,
    }];
    rows.extend(y.groups.iter().filter(|g| g.cut.is_none() && g.department != ALL).map(|g| HeatmapRow {
        label: g.department_name.clone(),
        indent: g.depth.saturating_sub(1).min(3) as u8,
        cells: (0..ids.len()).map(|c| cell_of(Some(g), c)).collect(),
        // A difference from the rest of the city that survives the false discovery rate.
        marks: (0..ids.len()).map(|c| g.score(c).and_then(|s| s.versus_city).is_some_and(|v| v.significant)).collect(),
        emphasis: has_children.contains(&g.department.as_str()),
    }));
    let mut template = Heatmap {
        columns: names.clone(),
        row_header: "所属".into(),
        rows: Vec::new(),
        scale: HeatScale {
            center: HeatCenter::PerColumn(city),
            span: HEATMAP_SPAN,
            label: "各カテゴリの市全体の点数との差で色分け".into(),
            marked: Some(HEATMAP_MARKED.into()),
        },
        ..Heatmap::default()
    };
    // One page when the rows fit at the default height; else rows a little
    // lower (down to a readable minimum) and pages of equal length.
    let (per_page, row_height) =
        paginate(rows.len(), template.row_height, HEATMAP_PAGE_HEIGHT - template.height_for(0), |row_height| {
            Heatmap { row_height, ..template.clone() }.rows_fitting(HEATMAP_PAGE_HEIGHT)
        });
    template.row_height = row_height;
    for (i, chunk) in rows.chunks(per_page).enumerate() {
        let chart = Heatmap { rows: chunk.to_vec(), ..template.clone() };
        out.push((format!("heatmap{i}"), charts::heatmap(&chart)?));
    }

    // Demographic cuts: overall by value, last year beside this year.
    let overall = ids.len() - 1;
    for (d, demo) in model.demographics.iter().enumerate() {
        let mut series = Vec::new();
        let mut years = Vec::new();
        if let Some(prev) = model.year(year.previous()) {
            series.push(prev.year.era());
            years.push(prev);
        }
        series.push(year.era());
        years.push(y);
        let chart = GroupedBars {
            series,
            colors: SeriesColors::Sequence,
            groups: demo
                .values
                .iter()
                .filter(|v| y.group(ALL, Some((&demo.name, v.as_str()))).is_some())
                .map(|v| BarGroup {
                    label: v.clone(),
                    values: years
                        .iter()
                        .map(|r| cell_of(r.group(ALL, Some((&demo.name, v.as_str()))), overall))
                        .collect(),
                    emphasis: model.focus.as_ref().is_some_and(|f| f.demographic == demo.name && f.value == *v),
                })
                .collect(),
            reference: cell_of(all, overall)
                .value()
                .map(|v| Reference { label: format!("市全体 {v:.1}"), value: v }),
            width: TEXT_WIDTH * 0.48,
            ..GroupedBars::default()
        };
        out.push((format!("cut{d}"), charts::grouped_bars(&chart)?));
    }

    // The city's portfolio (重要度 × 満足度).
    if let Some(city) = y.drivers.as_ref().and_then(|d| d.group(ALL)) {
        let chart = crate::report::importance::portfolio(model, city, None, TEXT_WIDTH, 250.0);
        out.push(("portfolio".into(), charts::portfolio(&chart)?));
    }

    // The harassment survey's headline shares over the years.
    if let Some(section) = harassment_section(model, y) {
        let headline: Vec<&HarassmentRow> = section.rows.iter().filter(|r| !r.header && !r.indent).collect();
        if !headline.is_empty() {
            let chart = TrendChart {
                years: section.years.clone(),
                series: headline
                    .iter()
                    .map(|r| TrendSeries {
                        name: short_label(&r.label),
                        values: r.shares.iter().map(|&v| v.into()).collect(),
                    })
                    .collect(),
                y_range: Some((0.0, 100.0)),
                height: 200.0,
                ..TrendChart::default()
            };
            out.push(("harassment".into(), charts::trend_lines(&chart)?));
        }
    }

    // Response rates by department.
    let rate_rows: Vec<RateRow> = y
        .groups
        .iter()
        .filter(|g| g.cut.is_none() && g.department != ALL)
        .map(|g| RateRow {
            label: g.department_name.clone(),
            indent: g.depth.saturating_sub(1).min(3) as u8,
            value: match g.shown() {
                Some(f) => f.response_rate.into(),
                None => Cell::Hidden,
            },
            emphasis: has_children.contains(&g.department.as_str()),
        })
        .collect();
    let mut rate_template = RateBars {
        reference: all
            .and_then(Group::shown)
            .and_then(|f| f.response_rate)
            .map(|v| Reference { label: format!("市全体 {v:.1}%"), value: v }),
        ..RateBars::default()
    };
    // Room for the axis and the caption; rows as for the heatmap.
    let room = PAGE_CHART_HEIGHT - 50.0;
    let (rows_per_page, row_height) = paginate(rate_rows.len(), rate_template.row_height, room, |row_height| {
        (room / row_height).floor().max(1.0) as usize
    });
    rate_template.row_height = row_height;
    for (i, chunk) in rate_rows.chunks(rows_per_page).enumerate() {
        let chart = RateBars { rows: chunk.to_vec(), ..rate_template.clone() };
        out.push((format!("response{i}"), charts::rate_bars(&chart)?));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_chart_is_split_into_pages_of_equal_length() {
        let fits = |h: f64| (100.0 / h).floor() as usize;
        // Fits at the default height: one page, height kept.
        assert_eq!(paginate(8, 12.0, 100.0, fits), (8, 12.0));
        assert_eq!(paginate(0, 12.0, 100.0, fits), (1, 12.0));
        // 30 rows: 12 fit at 8 pt, so 3 pages of 10 rows at 10 pt.
        assert_eq!(paginate(30, 12.0, 100.0, fits), (10, 10.0));
        // 25 rows: 3 pages of 9 rows; never below the readable minimum.
        let (per_page, height) = paginate(25, 12.0, 100.0, fits);
        assert_eq!(per_page, 9);
        assert!((height - 11.1).abs() < 1e-9 && height >= MIN_ROW_HEIGHT);
    }
}
