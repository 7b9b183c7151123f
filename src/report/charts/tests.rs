//! Tests of the charts: sizes, text, withheld cells, determinism.

use super::canvas::*;
use super::*;
use crate::report::engine::FONT_REGULAR;

/// Parses a chart's SVG the way Typst does (usvg) and returns its size in
/// points and the number of text nodes in it.
fn parse(svg: &str) -> (f64, f64, usize) {
    let mut options = usvg::Options::default();
    options.fontdb_mut().load_font_data(FONT_REGULAR.to_vec());
    let tree = usvg::Tree::from_str(svg, &options).unwrap_or_else(|e| panic!("invalid SVG: {e}\n{svg}"));
    // usvg gives pixels at 96 dpi; the SVG says points.
    let size = tree.size();
    let (w, h) = (f64::from(size.width()) * 0.75, f64::from(size.height()) * 0.75);
    (w, h, count_texts(tree.root()))
}

fn count_texts(group: &usvg::Group) -> usize {
    group
        .children()
        .iter()
        .map(|node| match node {
            usvg::Node::Group(g) => count_texts(g),
            usvg::Node::Text(_) => 1,
            _ => 0,
        })
        .sum()
}

fn has_text(texts: &[(String, Label)], text: &str) -> bool {
    texts.iter().any(|(t, _)| t == text)
}

/// Checks what every chart must satisfy — an SVG of the given width with no
/// text in it, every label inside the chart — and returns its labels.
fn check(chart: &Chart, width: f64) -> Vec<(String, Label)> {
    let svg = &chart.svg;
    let quarter_points = (width * 4.0).floor() / 4.0;
    assert!(svg.starts_with(&format!("<svg width=\"{quarter_points}pt\"")), "{}", &svg[..80.min(svg.len())]);
    let (w, h, texts) = parse(svg);
    assert!((w - quarter_points).abs() < 0.01 && w <= width, "width {w} ≠ {width}");
    assert!((chart.width - w).abs() < 0.01 && (chart.height - h).abs() < 0.01, "size {w}×{h} vs the chart's");
    assert!(h > 20.0 && h < 842.0, "height {h}");
    assert_eq!(texts, 0, "text in the SVG: Typst sets it");
    assert!(!chart.labels.is_empty());
    for label in &chart.labels {
        let text_w = text_width(&label.text, label.size, label.bold);
        let (left, right) = match label.anchor {
            Anchor::Start => (label.x, label.x + text_w),
            Anchor::Middle => (label.x - text_w / 2.0, label.x + text_w / 2.0),
            Anchor::End => (label.x - text_w, label.x),
        };
        // Glyphs rise about 0.9 em above the baseline and drop 0.15 em below it.
        let (top, bottom) = (label.y - 0.9 * label.size, label.y + 0.15 * label.size);
        assert!(
            left >= -0.5 && right <= w + 0.5 && top >= -0.5 && bottom <= h + 0.5,
            "label {:?} ({left:.1}..{right:.1} × {top:.1}..{bottom:.1}) outside the {w}×{h} chart",
            label.text
        );
        assert!(label.size >= 6.0, "label {:?} at {} pt", label.text, label.size);
    }
    chart.labels.iter().map(|l| (l.text.clone(), l.clone())).collect()
}

fn years() -> Vec<String> {
    ["R4", "R5", "R6", "R7"].iter().map(|y| y.to_string()).collect()
}

fn trend(values: Vec<Cell>) -> TrendChart {
    TrendChart {
        years: years(),
        series: vec![
            TrendSeries { name: "総務課".into(), values },
            TrendSeries { name: "市全体".into(), values: vec![Cell::Value(57.0); 4] },
        ],
        trajectory: Some(TrendSeries {
            name: "目標軌道".into(),
            values: vec![Cell::Value(59.0), Cell::Value(61.0), Cell::Value(63.0), Cell::Value(65.0)],
        }),
        target: Some(TargetMark { label: "目標 65".into(), value: 65.0, year: Some(3) }),
        ..TrendChart::default()
    }
}

#[test]
fn text_width_is_measured_with_the_embedded_font() {
    // Kanji are one em wide in BIZ UDPGothic; Latin letters are narrower
    // and proportional; bold is wider than regular for Latin text.
    assert!((text_width("国国国国", 10.0, false) - 40.0).abs() < 0.05, "{}", text_width("国国国国", 10.0, false));
    let latin = text_width("iiii", 10.0, false);
    assert!(latin > 5.0 && latin < 15.0, "{latin}");
    assert!(text_width("WWWW", 10.0, false) > 2.0 * latin);
    assert!(text_width("Score 62.5", 10.0, true) > text_width("Score 62.5", 10.0, false));
}

#[test]
fn trend_lines_draw_values_gaps_targets_and_a_legend() {
    let chart = trend(vec![Cell::Value(58.0), Cell::Hidden, Cell::Empty, Cell::Value(61.2)]);
    let svg = trend_lines(&chart).unwrap();
    let texts = check(&svg, TEXT_WIDTH);
    for text in ["R4", "R7", "総務課", "市全体", "目標軌道", "目標 65", "58.0", "61.2", "非表示", "100", "0"]
    {
        assert!(has_text(&texts, text), "missing {text}: {texts:?}");
    }
    // No number is printed for the hidden year.
    assert!(!texts.iter().any(|(t, _)| t == "NaN" || t.is_empty()));
    assert_eq!(svg, trend_lines(&chart).unwrap(), "output is not deterministic");

    // Without a legend, a target line carries its label.
    let line = TrendChart {
        target: Some(TargetMark { label: "目標 65.0".into(), value: 65.0, year: None }),
        legend: false,
        width: 160.0,
        height: 110.0,
        ..chart
    };
    let texts = check(&trend_lines(&line).unwrap(), 160.0);
    assert!(has_text(&texts, "目標 65.0") && !has_text(&texts, "目標軌道"), "{texts:?}");
}

#[test]
fn charts_without_numbers_say_so() {
    let empty_trend = trend_lines(&TrendChart::default()).unwrap();
    assert!(has_text(&check(&empty_trend, TEXT_WIDTH), "データなし"));
    let hidden = TrendChart {
        series: vec![TrendSeries { name: "総務課".into(), values: vec![Cell::Hidden; 4] }],
        ..trend(vec![])
    };
    assert!(has_text(&check(&trend_lines(&hidden).unwrap(), TEXT_WIDTH), "データなし（回答者が少ないため非表示）"));

    let hidden_note = "データなし（回答者が少ないため非表示）";
    let cases: Vec<(Chart, &str)> = vec![
        (category_bars(&CategoryBars::default()).unwrap(), "データなし"),
        (
            category_bars(&CategoryBars {
                rows: vec![CategoryBar { label: "職務".into(), value: Cell::Hidden, ..CategoryBar::default() }],
                ..CategoryBars::default()
            })
            .unwrap(),
            hidden_note,
        ),
        (heatmap(&Heatmap::default()).unwrap(), "データなし"),
        (
            heatmap(&Heatmap {
                columns: vec!["職務".into(), "支援".into()],
                rows: vec![HeatmapRow {
                    label: "総務課".into(),
                    cells: vec![Cell::Hidden, Cell::Hidden],
                    ..HeatmapRow::default()
                }],
                ..Heatmap::default()
            })
            .unwrap(),
            // A table row keeps its name; its cells say why they are empty.
            "非表示",
        ),
        (grouped_bars(&GroupedBars::default()).unwrap(), "データなし"),
        (
            grouped_bars(&GroupedBars {
                series: vec!["総合".into()],
                groups: vec![BarGroup { label: "30代".into(), values: vec![Cell::Hidden], emphasis: true }],
                ..GroupedBars::default()
            })
            .unwrap(),
            hidden_note,
        ),
        (share_bars(&ShareBars::default()).unwrap(), "データなし"),
        (
            share_bars(&ShareBars {
                rows: vec![ShareRow { label: "職務".into(), shares: Shares::Hidden, emphasis: false }],
                ..ShareBars::default()
            })
            .unwrap(),
            hidden_note,
        ),
        (rate_bars(&RateBars::default()).unwrap(), "データなし"),
        (
            rate_bars(&RateBars {
                rows: vec![RateRow { label: "総務課".into(), value: Cell::Hidden, ..RateRow::default() }],
                ..RateBars::default()
            })
            .unwrap(),
            "非表示",
        ),
    ];
    for (chart, message) in cases {
        let texts = check(&chart, TEXT_WIDTH);
        // A chart with no numbers is one line of text; a table keeps its rows.
        if message != "非表示" {
            assert_eq!(texts.len(), 1, "{texts:?}");
        }
        assert!(has_text(&texts, message), "{texts:?}");
    }
}

#[test]
fn category_bars_print_values_comparison_and_hidden() {
    let chart = CategoryBars {
        rows: vec![
            CategoryBar {
                label: "自己成長".into(),
                value: Cell::Value(58.25),
                comparison: Cell::Value(61.0),
                target: Some(65.0),
                emphasis: false,
            },
            CategoryBar {
                label: "健康".into(),
                value: Cell::Hidden,
                comparison: Cell::Value(59.2),
                target: Some(64.0),
                emphasis: false,
            },
            CategoryBar {
                label: "総合".into(),
                value: Cell::Value(104.0),
                comparison: Cell::Value(60.0),
                target: None,
                emphasis: true,
            },
        ],
        value_name: "総務課".into(),
        comparison_name: Some("市全体".into()),
        ..CategoryBars::default()
    };
    let texts = check(&category_bars(&chart).unwrap(), TEXT_WIDTH);
    for text in
        ["自己成長", "健康", "総合", "総務課", "市全体", "目標", "58.2", "61.0", "59.2", "非表示", "104.0", "120"]
    {
        assert!(has_text(&texts, text), "missing {text}: {texts:?}");
    }
}

#[test]
fn heatmap_colours_cells_and_marks_hidden_and_empty_ones() {
    let chart = Heatmap {
        columns: vec!["自己成長".into(), "人間関係".into(), "組織風土".into()],
        row_header: "所属".into(),
        rows: vec![
            HeatmapRow {
                label: "総務部".into(),
                indent: 0,
                cells: vec![Cell::Value(60.0), Cell::Value(70.0), Cell::Value(50.0)],
                marks: vec![false, true, false],
                emphasis: true,
            },
            HeatmapRow {
                label: "人事課".into(),
                indent: 1,
                cells: vec![Cell::Hidden, Cell::Empty, Cell::Value(52.0)],
                marks: Vec::new(),
                emphasis: false,
            },
        ],
        scale: HeatScale {
            center: HeatCenter::PerColumn(vec![60.0, 60.0, 60.0]),
            span: 10.0,
            label: "市全体との差".into(),
            marked: Some("枠付き：確かな差".into()),
        },
        ..Heatmap::default()
    };
    let svg = heatmap(&chart).unwrap();
    // The marked cell is framed and the legend says what a frame and a pale cell mean.
    assert!(has_text(&check(&svg, TEXT_WIDTH), "枠付き：確かな差"));
    assert!(has_text(&check(&svg, TEXT_WIDTH), "薄い色：差は偶然の範囲と考えられるもの"));
    let texts = check(&svg, TEXT_WIDTH);
    for text in [
        "所属",
        "総務部",
        "人事課",
        "自己成長",
        "60.0",
        "70.0",
        "52.0",
        "非表示",
        "—",
        "データなし",
        "市全体との差",
        "±0",
        "+10.0以上",
    ] {
        assert!(has_text(&texts, text), "missing {text}: {texts:?}");
    }
    // Above the centre is blue, below orange, at the centre near white.
    assert!(
        svg.svg.contains(&format!("fill=\"#{:02X}{:02X}{:02X}\"", HEAT_HIGH.0, HEAT_HIGH.1, HEAT_HIGH.2)),
        "no full blue cell"
    );
    assert!(
        svg.svg.contains(&format!("fill=\"#{:02X}{:02X}{:02X}\"", HEAT_LOW.0, HEAT_LOW.1, HEAT_LOW.2)),
        "no full orange cell"
    );
    // The height follows the rows, and a page split can be planned.
    let (_, h, _) = parse(&svg.svg);
    assert!((h - chart.height_for(2)).abs() < 0.3, "{h} vs {}", chart.height_for(2));
    let sixty = Heatmap { rows: vec![chart.rows[1].clone(); 60], row_height: 10.5, ..chart.clone() };
    assert!(sixty.height_for(60) < 730.0, "60 rows do not fit an A4 page: {}", sixty.height_for(60));
    assert_eq!(sixty.rows_fitting(sixty.height_for(60)), 60);
}

#[test]
fn grouped_bars_label_hidden_values_instead_of_drawing_them() {
    let chart = GroupedBars {
        series: vec!["令和6年度".into(), "令和7年度".into()],
        colors: SeriesColors::Sequence,
        groups: vec![
            BarGroup {
                label: "20代以下".into(), values: vec![Cell::Value(60.0), Cell::Value(61.5)], emphasis: false
            },
            BarGroup { label: "30代".into(), values: vec![Cell::Hidden, Cell::Value(55.5)], emphasis: true },
        ],
        reference: Some(Reference { label: "市全体 59.7".into(), value: 59.7 }),
        ..GroupedBars::default()
    };
    let texts = check(&grouped_bars(&chart).unwrap(), TEXT_WIDTH);
    for text in ["20代以下", "30代", "令和6年度", "令和7年度", "60.0", "61.5", "55.5", "非表示", "市全体 59.7"]
    {
        assert!(has_text(&texts, text), "missing {text}: {texts:?}");
    }
    assert_eq!(texts.iter().filter(|(t, _)| t == "非表示").count(), 2, "label in the bar and in the value column");
}

#[test]
fn share_bars_print_percentages_that_fit() {
    let chart = ShareBars {
        rows: vec![
            ShareRow {
                label: "職務".into(),
                shares: Shares::Values { favorable: 0.6, neutral: 0.3, unfavorable: 0.1 },
                emphasis: false,
            },
            ShareRow {
                label: "支援".into(),
                shares: Shares::Values { favorable: 98.0, neutral: 1.0, unfavorable: 1.0 },
                emphasis: false,
            },
            ShareRow { label: "健康".into(), shares: Shares::Hidden, emphasis: false },
            ShareRow { label: "環境".into(), shares: Shares::Empty, emphasis: false },
        ],
        ..ShareBars::default()
    };
    let texts = check(&share_bars(&chart).unwrap(), TEXT_WIDTH);
    for text in ["肯定的", "どちらでもない", "否定的", "60%", "30%", "10%", "98%", "非表示", "—"] {
        assert!(has_text(&texts, text), "missing {text}: {texts:?}");
    }
    // A 1% segment is too narrow for its label.
    assert!(!has_text(&texts, "1%"), "{texts:?}");
}

#[test]
fn rate_bars_handle_many_rows_and_rates_above_100() {
    let rows: Vec<RateRow> = (0..60)
        .map(|i| RateRow {
            label: format!("まちづくり推進課{i}"),
            indent: (i % 2) as u8,
            value: if i == 3 { Cell::Hidden } else { Cell::Value(70.0 + i as f64 / 2.0) },
            emphasis: i % 2 == 0,
        })
        .collect();
    let chart = RateBars {
        rows,
        reference: Some(Reference { label: "全体 87.4%".into(), value: 87.4 }),
        row_height: 11.0,
        ..RateBars::default()
    };
    let svg = rate_bars(&chart).unwrap();
    let texts = check(&svg, TEXT_WIDTH);
    for text in ["まちづくり推進課0", "まちづくり推進課59", "70.0%", "99.5%", "非表示", "全体 87.4%", "100%"]
    {
        assert!(has_text(&texts, text), "missing {text}: {texts:?}");
    }
    let over = RateBars {
        rows: vec![RateRow { label: "総務課".into(), value: Cell::Value(104.2), ..RateRow::default() }],
        ..RateBars::default()
    };
    let texts = check(&rate_bars(&over).unwrap(), TEXT_WIDTH);
    assert!(has_text(&texts, "104.2%") && has_text(&texts, "120%"), "{texts:?}");
}

#[test]
fn long_labels_are_shortened_not_cut_off() {
    let chart = RateBars {
        rows: vec![RateRow {
            label: "教育委員会事務局生涯学習部スポーツ推進課".repeat(3),
            value: Cell::Value(90.0),
            ..RateRow::default()
        }],
        width: 240.0,
        ..RateBars::default()
    };
    let texts = check(&rate_bars(&chart).unwrap(), 240.0);
    let label = texts.iter().find(|(t, _)| t.starts_with("教育")).map(|(t, _)| t.clone()).unwrap_or_default();
    assert!(label.ends_with('…'), "{label}");
    assert!(text_width(&label, 6.0, false) <= 240.0 * 0.32 + 0.01);
}

#[test]
fn non_finite_values_count_as_missing() {
    let chart = trend(vec![Cell::Value(f64::NAN), Cell::Value(f64::INFINITY), Cell::Value(60.0), Cell::Value(61.0)]);
    let texts = check(&trend_lines(&chart).unwrap(), TEXT_WIDTH);
    assert!(!texts.iter().any(|(t, _)| t.contains("NaN") || t.contains("inf")), "{texts:?}");
}

#[test]
fn a_bar_that_misses_its_tick_but_rounds_to_it_shows_two_decimals() {
    let bar = |value: f64| CategoryBar {
        label: "総合".into(),
        value: Cell::Value(value),
        target: Some(65.0),
        ..CategoryBar::default()
    };
    let chart = CategoryBars { rows: vec![bar(64.96), bar(64.4), bar(65.0)], ..CategoryBars::default() };
    let texts = check(&category_bars(&chart).unwrap(), TEXT_WIDTH);
    assert!(has_text(&texts, "64.96") && has_text(&texts, "64.4") && has_text(&texts, "65.0"), "{texts:?}");
    assert!(!has_text(&texts, "65.00"), "{texts:?}");
}

#[test]
fn a_trend_point_that_misses_the_target_but_rounds_to_it_shows_two_decimals() {
    let chart = TrendChart {
        years: vec!["R6".into(), "R7".into()],
        series: vec![TrendSeries { name: "市全体".into(), values: vec![Cell::Value(63.4), Cell::Value(64.96)] }],
        target: Some(TargetMark { label: "目標65".into(), value: 65.0, year: None }),
        legend: false,
        width: 160.0,
        height: 110.0,
        ..TrendChart::default()
    };
    let texts = check(&trend_lines(&chart).unwrap(), 160.0);
    assert!(has_text(&texts, "64.96") && has_text(&texts, "63.4"), "{texts:?}");
    assert!(!has_text(&texts, "65.0"), "{texts:?}");
}

/// The value labels of a trend chart (those that read as numbers) by year
/// (their x): no two overlap, and a higher value's label is never under a
/// lower one's; no label crosses `line`, the y of a target drawn across the chart.
fn value_labels_clear(labels: &[Label], line: Option<f64>) -> Result<(), String> {
    let boxed = |l: &Label| (l.y - l.size * 0.8, l.y + l.size * 0.15);
    let values: Vec<(&Label, f64)> = labels.iter().filter_map(|l| l.text.parse::<f64>().ok().map(|v| (l, v))).collect();
    for (a, va) in &values {
        let (top, bottom) = boxed(a);
        if let Some(y) = line.filter(|&y| y > top && y < bottom) {
            return Err(format!("{} crosses the target line at {y}", a.text));
        }
        for (b, vb) in values.iter().filter(|(b, _)| (b.x - a.x).abs() < 0.5 && !std::ptr::eq(*b, *a)) {
            let (bt, bb) = boxed(b);
            if bottom > bt && top < bb {
                return Err(format!("{} and {} overlap", a.text, b.text));
            }
            if va > vb && a.y > b.y {
                return Err(format!("{} is printed under {}", a.text, b.text));
            }
        }
    }
    Ok(())
}

#[test]
fn value_labels_of_close_lines_stack_in_order_and_keep_clear_of_a_target_line() {
    // The harassment trend: two lines 1.4 points apart under a third.
    let close = TrendChart {
        years: years(),
        series: [70.6, 45.5, 44.1]
            .iter()
            .enumerate()
            .map(|(k, &v)| TrendSeries { name: format!("H0{k}"), values: vec![Cell::Value(v); 4] })
            .collect(),
        trajectory: None,
        target: None,
        ..TrendChart::default()
    };
    let chart = trend_lines(&close).unwrap();
    assert_eq!(value_labels_clear(&chart.labels, None), Ok(()));
    assert_eq!(chart.labels.iter().filter(|l| l.text == "44.1").count(), 4, "no label is left out");
    // Seen to fail: one label moved onto another's place.
    let mut moved = chart.labels.clone();
    let y = moved.iter().find(|l| l.text == "45.5").map(|l| l.y).unwrap();
    moved.iter_mut().filter(|l| l.text == "44.1").for_each(|l| l.y = y + 1.0);
    assert!(value_labels_clear(&moved, None).is_err());

    // The overall score under a goal of 65 every year (a line across the chart).
    let floor = TrendChart {
        years: years(),
        series: vec![TrendSeries {
            name: "市全体".into(),
            values: [61.7, 62.9, 63.4, 64.9].iter().map(|&v| Cell::Value(v)).collect(),
        }],
        trajectory: None,
        target: Some(TargetMark { label: "目標65".into(), value: 65.0, year: None }),
        // As the committee report's small charts.
        y_range: Some((40.0, 80.0)),
        legend: false,
        width: 160.0,
        height: 110.0,
        ..TrendChart::default()
    };
    let chart = trend_lines(&floor).unwrap();
    let target = chart.labels.iter().find(|l| l.text == "目標65").expect("the target's label");
    let line = target.y - 0.36 * target.size;
    assert_eq!(value_labels_clear(&chart.labels, Some(line)), Ok(()));
    let mut raised = chart.labels.clone();
    raised.iter_mut().filter(|l| l.text == "63.4").for_each(|l| l.y = line + 2.0);
    assert!(value_labels_clear(&raised, Some(line)).is_err());
}

/// Where the 重点改善 legend is: `Ok(true)` above the plot (its top is at
/// `plot_top`), `Ok(false)` inside it.
fn priority_legend_outside(chart: &Chart, plot_top: f64) -> Result<bool, String> {
    let legend = chart.labels.iter().find(|l| l.text == "重点改善").ok_or("no legend")?;
    Ok(legend.y <= plot_top)
}

#[test]
fn the_priority_legend_stands_above_the_plot_unless_the_chart_is_too_narrow() {
    let point = |label: &str, score: f64, importance: f64, priority: bool| PortfolioPoint {
        label: label.into(),
        score,
        importance,
        interval: (importance - 4.0, importance + 4.0),
        priority,
    };
    // A 重点改善 point in the top right corner, where the legend used to sit among the points.
    let chart = Portfolio {
        points: vec![
            point("人間関係", 72.0, 28.0, true),
            point("健康", 54.0, 6.0, false),
            point("環境", 60.0, 12.0, false),
        ],
        mean_importance: 12.5,
        line_label: "均等な割合（12.5%）".into(),
        priority_label: "重点改善".into(),
        ..Portfolio::default()
    };
    let wide = portfolio(&Portfolio { width: TEXT_WIDTH, ..chart.clone() }).unwrap();
    check(&wide, TEXT_WIDTH);
    // The plot's top is 16 pt from the chart's (portfolio.rs).
    assert_eq!(priority_legend_outside(&wide, 16.0), Ok(true));
    let narrow = portfolio(&Portfolio { width: 240.0, ..chart.clone() }).unwrap();
    assert_eq!(priority_legend_outside(&narrow, 16.0), Ok(true), "a packet's chart has room too");
    let long_title = Portfolio {
        width: 240.0, line_label: "カテゴリの数で均等に分けた割合（12.5%）".into(), ..chart
    };
    let crowded = portfolio(&long_title).unwrap();
    check(&crowded, 240.0);
    assert_eq!(priority_legend_outside(&crowded, 16.0), Ok(false), "no room beside the title: inside the plot");
}
