//! Renders every chart of `ishiki::report::charts` with realistic Japanese
//! sample data into one PDF through the report engine, to look at:
//!
//! ```text
//! cg run --release --example chart_gallery [-- OUT.pdf]
//! pdftoppm -r 70 -png /tmp/chart_gallery.pdf /tmp/gallery
//! ```
//!
//! It also prints how long the engine takes to build and to render the gallery.

use std::time::Instant;

use anyhow::Result;
use serde::Serialize;

use ishiki::clock::Date;
use ishiki::report::charts::{
    self, BarGroup, CategoryBar, CategoryBars, Cell, GroupedBars, HeatCenter, HeatScale, Heatmap, HeatmapRow, RateBars,
    RateRow, Reference, SeriesColors, ShareBars, ShareRow, Shares, TargetMark, TrendChart, TrendSeries,
};
use ishiki::report::engine::{Engine, PdfMeta};

const CATEGORIES: [&str; 9] = ["自己成長", "職務", "人間関係", "支援", "承認", "健康", "環境", "組織風土", "総合"];
const YEARS: [&str; 6] = ["R4", "R5", "R6", "R7", "R8", "R9"];
/// Years with survey results (R4–R7); R8 and R9 are plan years still to come.
const SURVEYED: usize = 4;

const DEPARTMENTS: &[(&str, &[&str])] = &[
    ("総務部", &["秘書広報課", "総務課", "人事課", "財政課", "契約管財課", "DX推進課", "危機管理課"]),
    ("市民協働推進部", &["政策課", "まちづくり推進課", "市民協働課", "地域振興課"]),
    ("市民生活部", &["市民課", "税務課", "収納対策課", "環境保全課", "保険年金課"]),
    ("福祉部", &["社会福祉課", "子育て支援課", "高齢介護課", "障害福祉課", "生活保護課"]),
    ("産業経済部", &["農林振興課", "産業商工課", "観光交流課"]),
    ("健康推進部", &["健康推進課", "保健センター", "医療対策課"]),
    ("建設部", &["道路課", "都市計画課", "建築住宅課", "公園緑地課", "下水道課"]),
    ("上下水道部", &["水道総務課", "給水課", "浄水課"]),
    ("教育委員会事務局", &["教育総務課", "学校教育課", "生涯学習課", "文化財課", "スポーツ推進課"]),
    ("消防本部", &["消防総務課", "予防課", "警防課"]),
    ("議会事務局", &[]),
    ("会計課", &[]),
    ("選挙管理委員会事務局", &[]),
    ("監査委員事務局", &[]),
    ("農業委員会事務局", &[]),
];

/// A deterministic pseudo-random number in [-1, 1] for a seed.
fn noise(seed: u64) -> f64 {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(0x6A09_E667_F3BC_C909);
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 32;
    (x % 20_001) as f64 / 10_000.0 - 1.0
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// City-wide score of a category in a year index (0 = R4).
fn city_score(category: usize, year: usize) -> f64 {
    let base = [58.2, 61.5, 64.1, 55.3, 52.8, 57.6, 60.4, 50.9, 57.4][category];
    round1(base + year as f64 * 0.9 + noise((category * 31 + year) as u64) * 1.2)
}

#[derive(Serialize)]
struct Section {
    title: String,
    caption: String,
    image: String,
    /// Start a new page before the section.
    page_break: bool,
}

#[derive(Serialize)]
struct Gallery {
    sections: Vec<Section>,
    /// Small trend charts laid out three to a row.
    small_trends: Vec<SmallTrend>,
}

#[derive(Serialize)]
struct SmallTrend {
    name: String,
    image: String,
}

const TEMPLATE: &str = r#"#import sys: inputs
#import "style.typ": *
#show: house-style
#let d = inputs.data

#align(center)[
  #text(size: 18pt, weight: "bold")[グラフ見本]
  #v(0.3em)
  #text(fill: colors.muted)[ishiki のグラフを実データに近い架空の値で描いたもの（#inputs.meta.date_ja）]
]

== カテゴリ別の推移（9 カテゴリを並べた小さなグラフ）
#grid(columns: 3, column-gutter: 6pt, row-gutter: 10pt,
  ..d.small_trends.map(t => [
    #text(size: 8.5pt, weight: "bold", t.name)
    #v(-0.4em)
    #chart-image(inputs.images.at(t.image))
  ]))
#text(size: 8.5pt, fill: colors.muted)[実線は市全体の得点、破線は基準年から目標年までの目標軌道、◆は令和9年度の目標です。]

#for s in d.sections [
  #if s.page_break { pagebreak() }
  == #s.title
  #chart(inputs.images.at(s.image), caption: s.caption)
]
"#;

fn main() -> Result<()> {
    let out = std::env::args().nth(1).unwrap_or_else(|| "/tmp/chart_gallery.pdf".to_string());
    let years: Vec<String> = YEARS.iter().map(|y| y.to_string()).collect();
    let mut images: Vec<(String, charts::Chart)> = Vec::new();
    let mut sections = Vec::new();
    let mut small_trends = Vec::new();
    let started = Instant::now();

    // a. Small multiples: one trend per category with trajectory and target.
    for (c, name) in CATEGORIES.iter().enumerate() {
        let baseline = city_score(c, 0);
        let target = round1(baseline + 6.0);
        let chart = TrendChart {
            years: years.clone(),
            series: vec![TrendSeries {
                name: "市全体".into(),
                values: (0..YEARS.len())
                    .map(|y| if y < SURVEYED { Cell::Value(city_score(c, y)) } else { Cell::Empty })
                    .collect(),
            }],
            trajectory: Some(TrendSeries {
                name: "目標軌道".into(),
                values: (0..YEARS.len())
                    .map(|y| Cell::Value(round1(baseline + (target - baseline) * y as f64 / 5.0)))
                    .collect(),
            }),
            target: Some(TargetMark { label: format!("目標{target:.0}"), value: target, year: Some(5) }),
            y_range: Some((40.0, 80.0)),
            value_labels: true,
            legend: false,
            width: 156.0,
            height: 118.0,
        };
        let image = format!("small_{c}");
        images.push((image.clone(), charts::trend_lines(&chart)?));
        small_trends.push(SmallTrend { name: name.to_string(), image });
    }

    // a. A department's overall score against the city, a hidden year, a target line.
    let dept_trend = TrendChart {
        years: years[..SURVEYED].to_vec(),
        series: vec![
            TrendSeries {
                name: "子育て支援課".into(),
                values: vec![Cell::Value(55.8), Cell::Hidden, Cell::Value(58.9), Cell::Value(60.3)],
            },
            TrendSeries {
                name: "市全体".into(),
                values: (0..SURVEYED).map(|y| Cell::Value(city_score(8, y))).collect(),
            },
        ],
        trajectory: None,
        target: Some(TargetMark { label: "目標 65.0（令和9年度）".into(), value: 65.0, year: None }),
        y_range: Some((40.0, 80.0)),
        value_labels: true,
        legend: true,
        width: charts::TEXT_WIDTH,
        height: 190.0,
    };
    images.push(("dept_trend".into(), charts::trend_lines(&dept_trend)?));
    sections.push(Section {
        title: "所属の総合得点の推移（市全体との比較）".into(),
        caption: "令和5年度は回答者が少なかったため非表示です。破線は令和9年度の目標（65点）です。".into(),
        image: "dept_trend".into(),
        page_break: false,
    });

    // b. Category scores against targets and the city.
    let bars = CategoryBars {
        rows: CATEGORIES
            .iter()
            .enumerate()
            .map(|(c, name)| CategoryBar {
                label: name.to_string(),
                value: if c == 5 {
                    Cell::Hidden
                } else {
                    Cell::Value(round1(city_score(c, 3) + noise(c as u64 + 99) * 6.0))
                },
                comparison: Cell::Value(city_score(c, 3)),
                target: Some(round1(city_score(c, 0) + 6.0)),
                emphasis: *name == "総合",
            })
            .collect(),
        value_name: "子育て支援課".into(),
        comparison_name: Some("市全体".into()),
        target_name: "目標（令和9年度）".into(),
        range: (0.0, 100.0),
        width: charts::TEXT_WIDTH,
    };
    images.push(("category_bars".into(), charts::category_bars(&bars)?));
    sections.push(Section {
        title: "カテゴリ別得点（目標・市全体との比較）".into(),
        caption: "太い棒が所属、細い灰色の棒が市全体、黒い縦線が令和9年度の目標です。「健康」は回答者が少ないため非表示です。".into(),
        image: "category_bars".into(),
        page_break: true,
    });

    // b. Without a comparison: the city against its targets.
    let city_bars = CategoryBars {
        rows: CATEGORIES
            .iter()
            .enumerate()
            .map(|(c, name)| CategoryBar {
                label: name.to_string(),
                value: Cell::Value(city_score(c, 3)),
                comparison: Cell::Empty,
                target: Some(round1(city_score(c, 0) + 6.0)),
                emphasis: *name == "総合",
            })
            .collect(),
        value_name: "令和7年度".into(),
        comparison_name: None,
        target_name: "目標".into(),
        range: (0.0, 100.0),
        width: charts::TEXT_WIDTH,
    };
    images.push(("city_bars".into(), charts::category_bars(&city_bars)?));
    sections.push(Section {
        title: "市全体のカテゴリ別得点と目標".into(),
        caption: "令和7年度の市全体の得点と、令和9年度の目標（縦線）です。".into(),
        image: "city_bars".into(),
        page_break: false,
    });

    // c. Heatmap with every department on one page.
    let rows = heatmap_rows();
    let city_overall = city_score(8, 3);
    let heatmap = Heatmap {
        columns: CATEGORIES.iter().map(|c| c.to_string()).collect(),
        row_header: "所属".into(),
        rows: rows.clone(),
        scale: HeatScale {
            center: HeatCenter::PerColumn((0..CATEGORIES.len()).map(|c| city_score(c, 3)).collect()),
            span: 8.0,
            label: "各カテゴリの市全体の得点との差で色分け".into(),
            marked: Some("枠付き：市全体との差が統計的に確かなもの（偽発見率5%で調整）".into()),
        },
        row_height: 10.5,
        width: charts::TEXT_WIDTH,
    };
    println!("heatmap: {} rows, {:.0} pt high", rows.len(), heatmap.height_for(rows.len()));
    images.push(("heatmap".into(), charts::heatmap(&heatmap)?));
    sections.push(Section {
        title: format!("所属×カテゴリの得点（{}所属）", rows.len()),
        caption: "各カテゴリで、青は市全体より高く、橙は低いことを示します。灰色は回答者が少ないため非表示です。"
            .into(),
        image: "heatmap".into(),
        page_break: true,
    });

    // c. The first 12 rows, as a caller paging the table would pass them.
    let slice = Heatmap { rows: rows[..12].to_vec(), row_height: 13.0, ..heatmap.clone() };
    images.push(("heatmap_slice".into(), charts::heatmap(&slice)?));
    sections.push(Section {
        title: "同じ表の一部（行を分けて渡した場合）".into(),
        caption: "行の一部だけを渡すと、その行だけの表になります。".into(),
        image: "heatmap_slice".into(),
        page_break: true,
    });

    // d. Cuts: 年代 with one series and the city's line; 職級 with two years.
    let ages = ["20代以下", "30代", "40代", "50代以上", "未回答"];
    let age_bars = GroupedBars {
        series: vec!["総合".into()],
        groups: ages
            .iter()
            .enumerate()
            .map(|(i, a)| BarGroup {
                label: a.to_string(),
                values: vec![if i == 4 {
                    Cell::Hidden
                } else {
                    Cell::Value(round1(city_overall + [1.8, -4.2, -1.1, 2.6, 0.0][i]))
                }],
                emphasis: *a == "30代",
            })
            .collect(),
        reference: Some(Reference { label: format!("市全体 {city_overall:.1}"), value: city_overall }),
        colors: SeriesColors::Distinct,
        range: (0.0, 100.0),
        width: charts::TEXT_WIDTH,
    };
    images.push(("ages".into(), charts::grouped_bars(&age_bars)?));
    sections.push(Section {
        title: "年代別の総合得点".into(),
        caption: "計画が注目する30代は市全体を4.2点下回っています。未回答は人数が少ないため非表示です。".into(),
        image: "ages".into(),
        page_break: false,
    });

    let ranks = ["主事・主任", "係長級", "課長補佐級", "課長級以上"];
    let rank_bars = GroupedBars {
        series: vec!["令和6年度".into(), "令和7年度".into()],
        colors: SeriesColors::Sequence,
        groups: ranks
            .iter()
            .enumerate()
            .map(|(i, r)| BarGroup {
                label: r.to_string(),
                values: vec![
                    if i == 3 {
                        Cell::Hidden
                    } else {
                        Cell::Value(round1(56.0 + i as f64 * 2.1 + noise(i as u64) * 2.0))
                    },
                    Cell::Value(round1(57.2 + i as f64 * 2.4 + noise(i as u64 + 7) * 2.0)),
                ],
                emphasis: false,
            })
            .collect(),
        reference: None,
        range: (0.0, 100.0),
        width: charts::TEXT_WIDTH,
    };
    images.push(("ranks".into(), charts::grouped_bars(&rank_bars)?));
    sections.push(Section {
        title: "職級別の総合得点（前年との比較）".into(),
        caption: "課長級以上の令和6年度は回答者が少ないため非表示です。".into(),
        image: "ranks".into(),
        page_break: false,
    });

    // e. Favorable / neutral / unfavorable shares.
    let shares = ShareBars {
        rows: CATEGORIES
            .iter()
            .enumerate()
            .map(|(c, name)| {
                let favorable = 38.0 + c as f64 * 2.5 + noise(c as u64 + 40) * 8.0;
                let unfavorable = 14.0 + noise(c as u64 + 50) * 6.0 + if c == 7 { 12.0 } else { 0.0 };
                ShareRow {
                    label: name.to_string(),
                    shares: if c == 5 {
                        Shares::Hidden
                    } else {
                        Shares::Values { favorable, neutral: 100.0 - favorable - unfavorable, unfavorable }
                    },
                    emphasis: *name == "総合",
                }
            })
            .collect(),
        ..ShareBars::default()
    };
    images.push(("shares".into(), charts::share_bars(&shares)?));
    sections.push(Section {
        title: "肯定的・否定的な回答の割合".into(),
        caption: "各カテゴリの設問への回答を、肯定的・どちらでもない・否定的に分けた割合です。".into(),
        image: "shares".into(),
        page_break: true,
    });

    // f. Response rate by department.
    let rate_rows: Vec<RateRow> = rows
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, r)| RateRow {
            label: r.label.clone(),
            indent: r.indent,
            value: Cell::Value(round1((86.0 + noise(i as u64 + 300) * 12.0).min(100.0))),
            emphasis: r.emphasis,
        })
        .collect();
    let rates = RateBars {
        rows: rate_rows,
        reference: Some(Reference { label: "全体 87.4%".into(), value: 87.4 }),
        row_height: 10.5,
        ..RateBars::default()
    };
    images.push(("rates".into(), charts::rate_bars(&rates)?));
    sections.push(Section {
        title: "所属別の回答率".into(),
        caption: "職員数（org.csv）に対する回答者の割合です。破線は市全体の回答率です。".into(),
        image: "rates".into(),
        page_break: true,
    });

    // Empty and all-hidden inputs.
    images.push(("empty".into(), charts::trend_lines(&TrendChart::default())?));
    sections.push(Section {
        title: "データがないとき".into(),
        caption: "入力が空のときはこの小さな枠になります。".into(),
        image: "empty".into(),
        page_break: true,
    });
    let all_hidden = GroupedBars {
        series: vec!["総合".into()],
        groups: ages
            .iter()
            .map(|a| BarGroup { label: a.to_string(), values: vec![Cell::Hidden], emphasis: false })
            .collect(),
        ..GroupedBars::default()
    };
    images.push(("hidden".into(), charts::grouped_bars(&all_hidden)?));
    sections.push(Section {
        title: "すべて非表示のとき".into(),
        caption: "数値が一つもないときも、理由を添えた小さな枠になります。".into(),
        image: "hidden".into(),
        page_break: false,
    });
    let charts_time = started.elapsed();

    let started = Instant::now();
    let engine = Engine::with_extra_templates(None, [("gallery.typ", TEMPLATE)])?;
    let build_time = started.elapsed();
    let meta = PdfMeta {
        title: "グラフ見本".into(),
        author: "ishiki".into(),
        date: Date { year: 2025, month: 11, day: 25 },
        ident: "chart-gallery".into(),
    };
    let data = Gallery { sections, small_trends };
    let started = Instant::now();
    let pdf = engine.render_pdf("gallery.typ", &data, images, &meta)?;
    let render_time = started.elapsed();
    std::fs::write(&out, &pdf)?;
    println!(
        "{out}: {} bytes; charts {:.1} ms, engine built in {:.1} ms, rendered in {:.1} ms",
        pdf.len(),
        charts_time.as_secs_f64() * 1e3,
        build_time.as_secs_f64() * 1e3,
        render_time.as_secs_f64() * 1e3
    );
    Ok(())
}

/// Departments with their 課, the whole city first, some cells hidden.
fn heatmap_rows() -> Vec<HeatmapRow> {
    let mut rows = vec![HeatmapRow {
        label: "市全体".into(),
        indent: 0,
        cells: (0..CATEGORIES.len()).map(|c| Cell::Value(city_score(c, 3))).collect(),
        marks: Vec::new(),
        emphasis: true,
    }];
    let mut seed = 1000;
    for (bu, kas) in DEPARTMENTS {
        let bu_shift = noise(seed) * 4.0;
        seed += 1;
        rows.push(HeatmapRow {
            label: bu.to_string(),
            indent: 0,
            cells: (0..CATEGORIES.len())
                .map(|c| Cell::Value(round1(city_score(c, 3) + bu_shift + noise(seed + c as u64) * 2.0)))
                .collect(),
            marks: Vec::new(),
            emphasis: true,
        });
        for ka in kas.iter() {
            seed += 17;
            let small = noise(seed) > 0.75;
            let shift = bu_shift + noise(seed + 3) * 7.0;
            rows.push(HeatmapRow {
                label: ka.to_string(),
                indent: 1,
                cells: (0..CATEGORIES.len())
                    .map(|c| {
                        if small {
                            Cell::Hidden
                        } else if *ka == "DX推進課" && c == 6 {
                            Cell::Empty
                        } else {
                            Cell::Value(round1(city_score(c, 3) + shift + noise(seed + c as u64 * 5) * 5.0))
                        }
                    })
                    .collect(),
                marks: Vec::new(),
                emphasis: false,
            });
        }
    }
    // As the report marks them: differences large enough to be taken as real (here, over 4 points).
    for row in rows.iter_mut().skip(1) {
        row.marks = row
            .cells
            .iter()
            .enumerate()
            .map(|(c, cell)| cell.value().is_some_and(|v| (v - city_score(c, 3)).abs() > 4.0))
            .collect();
    }
    rows
}
