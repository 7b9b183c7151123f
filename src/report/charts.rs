//! Charts for the reports, drawn with plotters as SVG strings that the Typst
//! templates place with `image(..)`.
//!
//! Every chart takes a plain data struct and returns an SVG `String`; the
//! same input always gives the same bytes. Sizes are in points and the SVG
//! carries them (`width="481.89pt"`), so a chart placed at its natural size
//! prints its text at the sizes chosen here; [`TEXT_WIDTH`] is the text width
//! of an A4 page in the house style (report-templates/style.typ).
//!
//! Text is written as SVG `<text>` in the embedded font's exact family name
//! ([`FONT_FAMILY`]), so Typst sets it with BIZ UDPGothic and it stays
//! selectable in the PDF. Widths for layout (label columns, legends) are
//! measured with the same font through plotters' ab_glyph backend
//! ([`text_width`]). A value is a [`Cell`]: a number, a group withheld for
//! confidentiality (drawn grey and labelled 非表示, never with a number) or
//! nothing. A chart with no numbers at all comes out as a small box that
//! says so (データなし).
//!
//! The style is meant for print: white background, thin light grid, a muted
//! palette whose first colours (blue, orange) stay apart for colour-blind
//! readers and in greyscale, numbers printed beside bars rather than on them.

use std::sync::OnceLock;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor, ShapeStyle, TextStyle};

pub use super::engine::FONT_FAMILY;
use super::engine::{FONT_BOLD, FONT_REGULAR};

/// Text width of an A4 page with 20 mm side margins, in points: the width
/// charts are drawn for by default.
pub const TEXT_WIDTH: f64 = 481.89;

/// SVG user units per point: coordinates and stroke widths in plotters are
/// integers, so drawing at a finer grid gives quarter-point precision.
const SCALE: f64 = 4.0;

/// plotters writes `font-size = size / 1.24` into the SVG.
const PLOTTERS_FONT_RATIO: f64 = 1.24;

// Text sizes in points.
const SIZE_LABEL: f64 = 8.0;
const SIZE_TICK: f64 = 7.0;
const SIZE_VALUE: f64 = 7.5;
const SIZE_LEGEND: f64 = 7.5;
const SIZE_SMALL: f64 = 6.5;

// Colours.
const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
const FAINT: RGBColor = RGBColor(0x99, 0x99, 0x99);
const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
const AXIS: RGBColor = RGBColor(0x9A, 0x9A, 0x9A);
const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
const BAND: RGBColor = RGBColor(0xF4, 0xF6, 0xF8);
const COMPARISON: RGBColor = RGBColor(0xB5, 0xB5, 0xB5);
const TARGET: RGBColor = RGBColor(0x33, 0x33, 0x33);
const TRAJECTORY: RGBColor = RGBColor(0x77, 0x77, 0x77);
const HIDDEN_FILL: RGBColor = RGBColor(0xE8, 0xE8, 0xE8);
const HIDDEN_TEXT: RGBColor = RGBColor(0x8C, 0x8C, 0x8C);
const FAVORABLE: RGBColor = RGBColor(0x3B, 0x6E, 0xA8);
const NEUTRAL: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);
const UNFAVORABLE: RGBColor = RGBColor(0xE0, 0xA0, 0x60);
const HEAT_LOW: RGBColor = RGBColor(0xDC, 0x84, 0x3E);
const HEAT_MID: RGBColor = RGBColor(0xF7, 0xF7, 0xF7);
const HEAT_HIGH: RGBColor = RGBColor(0x43, 0x76, 0xB0);

/// Series colours in order: blue and orange first (they stay distinct for
/// the common colour-vision deficiencies), then green, purple, sky, brown.
const SERIES: [RGBColor; 6] = [
    RGBColor(0x3B, 0x6E, 0xA8),
    RGBColor(0xD9, 0x82, 0x2B),
    RGBColor(0x4A, 0x9C, 0x6D),
    RGBColor(0x9A, 0x5B, 0x9E),
    RGBColor(0x7F, 0xB3, 0xD5),
    RGBColor(0x9C, 0x7A, 0x4A),
];

/// The label of a withheld value.
const HIDDEN_LABEL: &str = "非表示";
/// The label of a missing value.
const EMPTY_LABEL: &str = "—";

// ---------------------------------------------------------------------------
// Input types

/// One value of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Cell {
    /// A number (a non-finite one counts as [`Cell::Empty`]).
    Value(f64),
    /// Withheld for confidentiality: grey, labelled 非表示, never a number.
    Hidden,
    /// No data (the group did not exist, nobody answered).
    #[default]
    Empty,
}

impl Cell {
    /// Returns the number of a finite [`Cell::Value`].
    pub fn value(self) -> Option<f64> {
        match self {
            Cell::Value(v) if v.is_finite() => Some(v),
            _ => None,
        }
    }

    fn is_hidden(self) -> bool {
        self == Cell::Hidden
    }
}

impl From<Option<f64>> for Cell {
    fn from(value: Option<f64>) -> Cell {
        value.map_or(Cell::Empty, Cell::Value)
    }
}

/// A line of a trend chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrendSeries {
    /// Name in the legend, e.g. 市全体 or 総務課.
    pub name: String,
    /// One value per year of [`TrendChart::years`]; missing and hidden
    /// values leave a gap in the line.
    pub values: Vec<Cell>,
}

/// A plan's target in a trend chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetMark {
    /// Label beside the mark and in the legend, e.g. `目標 65.0`.
    pub label: String,
    /// The target value.
    pub value: f64,
    /// Index into [`TrendChart::years`] of the target year: a diamond there;
    /// `None` draws a horizontal line across the chart instead.
    pub year: Option<usize>,
}

/// Lines over fiscal years (chart a): actual values, the target trajectory
/// and the target.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendChart {
    /// Labels of the x axis, oldest first, e.g. R4 … R9.
    pub years: Vec<String>,
    /// Solid lines with markers, in palette order. The first one is the
    /// chart's subject: a year where it is hidden is marked 非表示 under the axis.
    pub series: Vec<TrendSeries>,
    /// The target trajectory, drawn dashed grey without markers.
    pub trajectory: Option<TrendSeries>,
    /// The target.
    pub target: Option<TargetMark>,
    /// The y axis; values outside are extended to (default 0–100).
    pub y_range: Option<(f64, f64)>,
    /// Print each point's value (one decimal) beside it.
    pub value_labels: bool,
    /// Draw the legend above the plot.
    pub legend: bool,
    /// Width in points.
    pub width: f64,
    /// Height in points.
    pub height: f64,
}

impl Default for TrendChart {
    fn default() -> TrendChart {
        TrendChart {
            years: Vec::new(),
            series: Vec::new(),
            trajectory: None,
            target: None,
            y_range: None,
            value_labels: true,
            legend: true,
            width: TEXT_WIDTH,
            height: 200.0,
        }
    }
}

/// One category of a [`CategoryBars`] chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CategoryBar {
    /// Category name.
    pub label: String,
    /// The score.
    pub value: Cell,
    /// The comparison score (e.g. the whole city), drawn as a thin grey bar.
    pub comparison: Cell,
    /// The target, drawn as a dark tick across the bar.
    pub target: Option<f64>,
    /// Bold label (e.g. 総合).
    pub emphasis: bool,
}

/// Horizontal bars of category scores with target ticks and an optional
/// comparison per bar (chart b); the numbers stand in columns at the right.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryBars {
    /// Categories, top to bottom.
    pub rows: Vec<CategoryBar>,
    /// Legend and column name of the scores, e.g. 総務課 or 令和7年度.
    pub value_name: String,
    /// Legend and column name of the comparison, e.g. 市全体; `None` hides
    /// the comparison bars and column.
    pub comparison_name: Option<String>,
    /// Legend name of the target ticks.
    pub target_name: String,
    /// The scale of the bars (default 0–100; extended to fit the values).
    pub range: (f64, f64),
    /// Width in points.
    pub width: f64,
}

impl Default for CategoryBars {
    fn default() -> CategoryBars {
        CategoryBars {
            rows: Vec::new(),
            value_name: "得点".to_string(),
            comparison_name: None,
            target_name: "目標".to_string(),
            range: (0.0, 100.0),
            width: TEXT_WIDTH,
        }
    }
}

/// A row of a [`Heatmap`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HeatmapRow {
    /// Row name, e.g. a department.
    pub label: String,
    /// Indentation level of the name (0 for a 部, 1 for its 課).
    pub indent: u8,
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// Bold row with a rule above it (e.g. a 部 or the whole city).
    pub emphasis: bool,
}

/// The value a [`Heatmap`] cell is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum HeatCenter {
    /// One value for every column, e.g. the whole city's overall score; the
    /// legend shows values.
    Value(f64),
    /// One value per column, e.g. the whole city's score in each category;
    /// the legend shows differences (−8.0 … +8.0).
    PerColumn(Vec<f64>),
}

/// The colour scale of a [`Heatmap`]: near white at the centre, blue above,
/// orange below, full colour at `centre ± span`.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatScale {
    /// The value each cell is compared with.
    pub center: HeatCenter,
    /// The distance from the centre with full colour.
    pub span: f64,
    /// What the scale means, printed by the legend, e.g. 市全体との差で色分け.
    pub label: String,
}

impl HeatScale {
    /// Returns the centre of column `column`.
    fn center_of(&self, column: usize) -> Option<f64> {
        match &self.center {
            HeatCenter::Value(v) => Some(*v),
            HeatCenter::PerColumn(values) => values.get(column).copied(),
        }
        .filter(|v| v.is_finite())
    }

    fn span(&self) -> f64 {
        if self.span.is_finite() && self.span > 0.0 { self.span } else { 10.0 }
    }

    /// Returns the fill of `value` in column `column`.
    fn color(&self, value: f64, column: usize) -> RGBColor {
        match self.center_of(column) {
            Some(center) => diverging((value - center) / self.span()),
            None => HEAT_MID,
        }
    }
}

impl Default for HeatScale {
    fn default() -> HeatScale {
        HeatScale { center: HeatCenter::Value(60.0), span: 10.0, label: String::new() }
    }
}

/// A table of coloured cells: rows (departments) × columns (categories)
/// (chart c). Pass any slice of rows to split a long table over pages; see
/// [`Heatmap::rows_fitting`].
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    /// Column names (categories).
    pub columns: Vec<String>,
    /// Header of the name column, e.g. 所属.
    pub row_header: String,
    /// Rows, top to bottom.
    pub rows: Vec<HeatmapRow>,
    /// The colour scale.
    pub scale: HeatScale,
    /// Height of a row in points.
    pub row_height: f64,
    /// Width in points.
    pub width: f64,
}

impl Default for Heatmap {
    fn default() -> Heatmap {
        Heatmap {
            columns: Vec::new(),
            row_header: String::new(),
            rows: Vec::new(),
            scale: HeatScale::default(),
            row_height: 11.0,
            width: TEXT_WIDTH,
        }
    }
}

/// A reference value drawn as a dashed vertical line across bars.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reference {
    /// Label at the top of the line, e.g. `市全体 62.3`.
    pub label: String,
    /// The value.
    pub value: f64,
}

/// One group of a [`GroupedBars`] chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarGroup {
    /// Group name, e.g. 30代.
    pub label: String,
    /// One value per series.
    pub values: Vec<Cell>,
    /// Bold label (a group the plan watches).
    pub emphasis: bool,
}

/// How the series of a [`GroupedBars`] chart are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeriesColors {
    /// Distinct colours (blue, orange, green, …), for different things.
    #[default]
    Distinct,
    /// Shades of blue from pale to full, the last series full: for years,
    /// oldest first, so this year stands out.
    Sequence,
}

impl SeriesColors {
    fn color(self, k: usize, n: usize) -> RGBColor {
        match self {
            SeriesColors::Distinct => SERIES[k % SERIES.len()],
            SeriesColors::Sequence => {
                let from_last = n.saturating_sub(1).saturating_sub(k) as f64;
                mix(SERIES[0], WHITE, (from_last * 0.3).min(0.75))
            }
        }
    }
}

/// Grouped horizontal bars for demographic cuts (chart d): one group per
/// value of the cut, one bar per series; hidden values are labelled 非表示
/// instead of a bar.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedBars {
    /// Series names (legend; not drawn when there is a single series).
    pub series: Vec<String>,
    /// How the series are coloured.
    pub colors: SeriesColors,
    /// Groups, top to bottom.
    pub groups: Vec<BarGroup>,
    /// A reference line, e.g. the whole city's overall score.
    pub reference: Option<Reference>,
    /// The scale (default 0–100; extended to fit the values).
    pub range: (f64, f64),
    /// Width in points.
    pub width: f64,
}

impl Default for GroupedBars {
    fn default() -> GroupedBars {
        GroupedBars {
            series: Vec::new(),
            colors: SeriesColors::Distinct,
            groups: Vec::new(),
            reference: None,
            range: (0.0, 100.0),
            width: TEXT_WIDTH,
        }
    }
}

/// The answer shares of one row of a [`ShareBars`] chart.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Shares {
    /// Favorable, neutral and unfavorable: counts, fractions or percentages
    /// (they are divided by their sum).
    Values {
        /// Favorable.
        favorable: f64,
        /// Neutral.
        neutral: f64,
        /// Unfavorable.
        unfavorable: f64,
    },
    /// Withheld for confidentiality.
    Hidden,
    /// No data.
    #[default]
    Empty,
}

/// One row of a [`ShareBars`] chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShareRow {
    /// Row name, e.g. a category.
    pub label: String,
    /// The shares.
    pub shares: Shares,
    /// Bold label.
    pub emphasis: bool,
}

/// 100% stacked horizontal bars of favorable / neutral / unfavorable answers
/// (chart e), percentages printed in segments wide enough for them.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareBars {
    /// Rows, top to bottom.
    pub rows: Vec<ShareRow>,
    /// Legend names of the three parts.
    pub names: [String; 3],
    /// Width in points.
    pub width: f64,
}

impl Default for ShareBars {
    fn default() -> ShareBars {
        ShareBars {
            rows: Vec::new(),
            names: ["肯定的".to_string(), "どちらでもない".to_string(), "否定的".to_string()],
            width: TEXT_WIDTH,
        }
    }
}

/// One row of a [`RateBars`] chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RateRow {
    /// Row name, e.g. a department.
    pub label: String,
    /// Indentation level of the name.
    pub indent: u8,
    /// The value, e.g. a response rate in %.
    pub value: Cell,
    /// Bold label.
    pub emphasis: bool,
}

/// Simple horizontal bars, e.g. response rate by department (chart f).
#[derive(Debug, Clone, PartialEq)]
pub struct RateBars {
    /// Rows, top to bottom.
    pub rows: Vec<RateRow>,
    /// A reference line, e.g. the whole city's rate.
    pub reference: Option<Reference>,
    /// The scale (default 0–100; extended to fit the values, e.g. a rate
    /// above 100%).
    pub range: (f64, f64),
    /// Unit after each printed value and tick, e.g. `%`.
    pub unit: String,
    /// Height of a row in points.
    pub row_height: f64,
    /// Width in points.
    pub width: f64,
}

impl Default for RateBars {
    fn default() -> RateBars {
        RateBars {
            rows: Vec::new(),
            reference: None,
            range: (0.0, 100.0),
            unit: "%".to_string(),
            row_height: 12.0,
            width: TEXT_WIDTH,
        }
    }
}

// ---------------------------------------------------------------------------
// Text measurement

/// Registers the embedded font with plotters' ab_glyph text measurement.
/// Returns whether it worked (it reads font bytes committed to the repo, so
/// it does unless the files are broken).
fn fonts_registered() -> bool {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, FONT_REGULAR).is_ok()
            && plotters::style::register_font(FONT_FAMILY, FontStyle::Bold, FONT_BOLD).is_ok()
    })
}

/// Returns the width in points of `text` set in BIZ UDPGothic at `size` points.
///
/// Measured through plotters' ab_glyph backend with the embedded font.
/// ab_glyph scales glyph advances by ascent − descent, which for BIZ
/// UDPGothic equals its units per em (1802 + 246 = 2048), so the measure at
/// size *s* is the advance width at *s* points. Should the font fail to
/// register, full-width characters count 1 em and others 0.55 em.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    // Measuring at a large size keeps plotters' integer rounding negligible.
    const PROBE: f64 = 1000.0;
    if fonts_registered() {
        let style = if bold { FontStyle::Bold } else { FontStyle::Normal };
        let font = FontDesc::new(FontFamily::Name(FONT_FAMILY), PROBE, style);
        if let Ok((width, _)) = font.box_size(text) {
            return f64::from(width) / PROBE * size;
        }
    }
    text.chars().map(|c| if c.is_ascii() { 0.55 } else { 1.0 }).sum::<f64>() * size
}

// ---------------------------------------------------------------------------
// Drawing on a point grid

#[derive(Debug, Clone, Copy)]
struct Font {
    size: f64,
    bold: bool,
    color: RGBColor,
}

impl Font {
    const fn new(size: f64, color: RGBColor) -> Font {
        Font { size, bold: false, color }
    }

    const fn bold(self, bold: bool) -> Font {
        Font { bold, ..self }
    }

    fn width(&self, text: &str) -> f64 {
        text_width(text, self.size, self.bold)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Anchor {
    Start,
    Middle,
    End,
}

fn units(pt: f64) -> i32 {
    (pt * SCALE).round() as i32
}

fn point(x: f64, y: f64) -> (i32, i32) {
    (units(x), units(y))
}

fn stroke(color: RGBColor, width_pt: f64) -> ShapeStyle {
    ShapeStyle { color: color.to_rgba(), filled: false, stroke_width: units(width_pt).max(1) as u32 }
}

fn draw_err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("グラフを描けません: {e}")
}

/// A drawing surface measured in points.
struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, Shift>,
}

impl Canvas<'_> {
    fn rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, color: RGBColor) -> Result<()> {
        self.area.draw(&Rectangle::new([point(x0, y0), point(x1, y1)], color.filled())).map_err(draw_err)
    }

    fn rect_alpha(&self, x0: f64, y0: f64, x1: f64, y1: f64, color: RGBColor, alpha: f64) -> Result<()> {
        let style = color.mix(alpha).filled();
        self.area.draw(&Rectangle::new([point(x0, y0), point(x1, y1)], style)).map_err(draw_err)
    }

    fn frame(&self, x0: f64, y0: f64, x1: f64, y1: f64, color: RGBColor, width: f64) -> Result<()> {
        self.area.draw(&Rectangle::new([point(x0, y0), point(x1, y1)], stroke(color, width))).map_err(draw_err)
    }

    fn line(&self, points: &[(f64, f64)], color: RGBColor, width: f64) -> Result<()> {
        let points: Vec<_> = points.iter().map(|&(x, y)| point(x, y)).collect();
        self.area.draw(&PathElement::new(points, stroke(color, width))).map_err(draw_err)
    }

    fn dashed(&self, points: &[(f64, f64)], color: RGBColor, width: f64, dash: f64, gap: f64) -> Result<()> {
        let points: Vec<_> = points.iter().map(|&(x, y)| point(x, y)).collect();
        let element = DashedPathElement::new(points, units(dash), units(gap), stroke(color, width));
        self.area.draw(&element).map_err(draw_err)
    }

    fn polygon(&self, points: &[(f64, f64)], color: RGBColor) -> Result<()> {
        let points: Vec<_> = points.iter().map(|&(x, y)| point(x, y)).collect();
        self.area.draw(&Polygon::new(points, color.filled())).map_err(draw_err)
    }

    fn circle(&self, x: f64, y: f64, radius: f64, color: RGBColor) -> Result<()> {
        self.area.draw(&Circle::new(point(x, y), units(radius), color.filled())).map_err(draw_err)
    }

    /// Writes `text` with its baseline at `baseline`.
    fn text(&self, text: &str, x: f64, baseline: f64, font: Font, anchor: Anchor) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        let h_pos = match anchor {
            Anchor::Start => HPos::Left,
            Anchor::Middle => HPos::Center,
            Anchor::End => HPos::Right,
        };
        let style = if font.bold { FontStyle::Bold } else { FontStyle::Normal };
        let desc = FontDesc::new(FontFamily::Name(FONT_FAMILY), units(font.size) as f64 * PLOTTERS_FONT_RATIO, style);
        let text_style =
            TextStyle { font: desc, color: font.color.to_backend_color(), pos: Pos::new(h_pos, VPos::Center) };
        // plotters' SVG backend shifts centred text down by dy="0.5ex", which
        // usvg reads as a quarter em; place y so that the baseline lands here.
        let y = baseline - 0.25 * font.size;
        self.area.draw(&Text::new(text.to_string(), point(x, y), text_style)).map_err(draw_err)
    }

    /// Writes `text` visually centred on `center_y`.
    fn text_mid(&self, text: &str, x: f64, center_y: f64, font: Font, anchor: Anchor) -> Result<()> {
        // Japanese glyphs and digits sit about 0.36 em above the baseline's centre.
        self.text(text, x, center_y + 0.36 * font.size, font, anchor)
    }
}

/// Draws on a `width` × `height` point canvas and returns the SVG.
fn svg(width: f64, height: f64, draw: impl FnOnce(&Canvas) -> Result<()>) -> Result<String> {
    // Rounded down, so a chart of the text width never sticks out of it.
    let (w, h) = (((width * SCALE).floor() as u32).max(1), ((height * SCALE).ceil() as u32).max(1));
    let mut buf = String::new();
    {
        let area = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        area.fill(&WHITE).map_err(draw_err)?;
        let canvas = Canvas { area };
        draw(&canvas)?;
        canvas.area.present().map_err(draw_err)?;
    }
    // Give the SVG its size in points, so Typst places it at that size.
    let header = format!("<svg width=\"{w}\" height=\"{h}\"");
    let sized = format!("<svg width=\"{}pt\" height=\"{}pt\"", f64::from(w) / SCALE, f64::from(h) / SCALE);
    if !buf.starts_with(&header) {
        return Err(anyhow!("グラフを描けません: plotters の SVG の形が想定と違います"));
    }
    Ok(buf.replacen(&header, &sized, 1))
}

/// A small box saying there is nothing to draw.
fn no_data(width: f64, hidden: bool) -> Result<String> {
    let width = length(width, 160.0, TEXT_WIDTH);
    let message = if hidden { "データなし（回答者が少ないため非表示）" } else { "データなし" };
    let height = 36.0;
    svg(width, height, |c| {
        c.rect(0.5, 0.5, width - 0.5, height - 0.5, BAND)?;
        c.text_mid(message, width / 2.0, height / 2.0, Font::new(SIZE_LABEL, MUTED), Anchor::Middle)
    })
}

// ---------------------------------------------------------------------------
// Helpers

/// A size from the caller: at least `min`, `default` when not finite.
fn length(value: f64, min: f64, default: f64) -> f64 {
    if value.is_finite() { value.max(min) } else { default }
}

/// One decimal, as the reports print scores.
fn fmt1(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" { "0.0".to_string() } else { s }
}

fn fmt_tick(v: f64, step: f64) -> String {
    if (step - step.round()).abs() < 1e-9 { format!("{v:.0}") } else { format!("{v:.1}") }
}

/// Picks a tick step so that ticks are at least `min_gap` points apart.
fn tick_step(span: f64, length: f64, min_gap: f64) -> f64 {
    let mut magnitude = 10f64.powf((span.abs().max(1e-9) / 10.0).log10().floor());
    loop {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let step = m * magnitude;
            if length * step / span >= min_gap {
                return step;
            }
        }
        magnitude *= 10.0;
        if magnitude > span * 10.0 {
            return span;
        }
    }
}

fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let first = (lo / step).ceil() as i64;
    let last = ((hi + step * 1e-9) / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// Returns `range`, widened to hold every value, in whole tens.
fn fit_range(range: (f64, f64), values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) =
        if range.0.is_finite() && range.1.is_finite() && range.0 < range.1 { range } else { (0.0, 100.0) };
    for v in values {
        if v > hi {
            hi = (v / 10.0).ceil() * 10.0;
        }
        if v < lo {
            lo = (v / 10.0).floor() * 10.0;
        }
    }
    (lo, hi)
}

/// Shortens `text` to fit `max_width`: first a smaller size (down to 6 pt),
/// then an ellipsis.
fn fit_text(text: &str, max_width: f64, font: Font) -> (String, Font) {
    let mut font = font;
    while font.width(text) > max_width && font.size > 6.0 {
        font.size = (font.size - 0.5).max(6.0);
    }
    if font.width(text) <= max_width {
        return (text.to_string(), font);
    }
    let chars: Vec<char> = text.chars().collect();
    for keep in (0..chars.len()).rev() {
        let candidate: String = chars[..keep].iter().collect::<String>() + "…";
        if font.width(&candidate) <= max_width {
            return (candidate, font);
        }
    }
    ("…".to_string(), font)
}

fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let channel = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
}

fn luminance(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.040_45 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// Dark or white text, whichever contrasts more with `background`.
fn text_on(background: RGBColor) -> RGBColor {
    let l = luminance(background);
    let with_white = 1.05 / (l + 0.05);
    let with_dark = (l + 0.05) / (luminance(TEXT) + 0.05);
    if with_white > with_dark { WHITE } else { TEXT }
}

/// The diverging heatmap colour of `t` in −1 … 1 (clamped): orange, near
/// white, blue.
fn diverging(t: f64) -> RGBColor {
    let t = if t.is_finite() { t.clamp(-1.0, 1.0) } else { 0.0 };
    if t >= 0.0 { mix(HEAT_MID, HEAT_HIGH, t) } else { mix(HEAT_MID, HEAT_LOW, -t) }
}

/// Whether a chart has no number to draw, and whether that is because of
/// confidentiality.
fn nothing_to_draw(cells: impl Iterator<Item = Cell>) -> Option<bool> {
    let mut hidden = false;
    for cell in cells {
        if cell.value().is_some() {
            return None;
        }
        hidden |= cell.is_hidden();
    }
    Some(hidden)
}

// ---------------------------------------------------------------------------
// Legends

#[derive(Debug, Clone, Copy)]
enum Swatch {
    /// A line with a marker.
    Line(RGBColor, Marker),
    /// A dashed line.
    Dashed(RGBColor),
    /// A filled box.
    Box(RGBColor),
    /// A thin box (comparison bars).
    ThinBox(RGBColor),
    /// A vertical tick (targets).
    Tick(RGBColor),
    /// A diamond (a target point).
    Diamond(RGBColor),
}

const SWATCH_WIDTH: f64 = 16.0;
const LEGEND_LINE: f64 = 13.0;

/// Lays out legend items left to right, wrapping at `width`; returns each
/// item's position (x, line) and the number of lines.
fn legend_layout(items: &[(Swatch, String)], width: f64) -> (Vec<(f64, usize)>, usize) {
    let font = Font::new(SIZE_LEGEND, TEXT);
    let mut positions = Vec::with_capacity(items.len());
    let (mut x, mut line) = (0.0, 0);
    for (_, label) in items {
        let w = SWATCH_WIDTH + 4.0 + font.width(label);
        if x > 0.0 && x + w > width {
            x = 0.0;
            line += 1;
        }
        positions.push((x, line));
        x += w + 12.0;
    }
    (positions, if items.is_empty() { 0 } else { line + 1 })
}

fn legend_height(items: &[(Swatch, String)], width: f64) -> f64 {
    legend_layout(items, width).1 as f64 * LEGEND_LINE
}

fn draw_legend(c: &Canvas, items: &[(Swatch, String)], x0: f64, y0: f64, width: f64) -> Result<()> {
    let font = Font::new(SIZE_LEGEND, TEXT);
    let (positions, _) = legend_layout(items, width);
    for ((swatch, label), (x, line)) in items.iter().zip(positions) {
        let x = x0 + x;
        let cy = y0 + line as f64 * LEGEND_LINE + LEGEND_LINE / 2.0;
        match *swatch {
            Swatch::Line(color, marker) => {
                c.line(&[(x, cy), (x + SWATCH_WIDTH, cy)], color, 1.5)?;
                draw_marker(c, marker, x + SWATCH_WIDTH / 2.0, cy, color)?;
            }
            Swatch::Dashed(color) => c.dashed(&[(x, cy), (x + SWATCH_WIDTH, cy)], color, 1.0, 3.0, 2.0)?,
            Swatch::Box(color) => c.rect(x + 2.0, cy - 4.0, x + SWATCH_WIDTH - 2.0, cy + 4.0, color)?,
            Swatch::ThinBox(color) => c.rect(x + 2.0, cy - 1.5, x + SWATCH_WIDTH - 2.0, cy + 1.5, color)?,
            Swatch::Tick(color) => {
                c.rect(x + SWATCH_WIDTH / 2.0 - 0.6, cy - 5.0, x + SWATCH_WIDTH / 2.0 + 0.6, cy + 5.0, color)?
            }
            Swatch::Diamond(color) => diamond(c, x + SWATCH_WIDTH / 2.0, cy, 3.5, color)?,
        }
        c.text_mid(label, x + SWATCH_WIDTH + 4.0, cy, font, Anchor::Start)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Markers

#[derive(Debug, Clone, Copy)]
enum Marker {
    Circle,
    Square,
    TriangleUp,
    TriangleDown,
}

const MARKERS: [Marker; 4] = [Marker::Circle, Marker::Square, Marker::TriangleUp, Marker::TriangleDown];

fn draw_marker(c: &Canvas, marker: Marker, x: f64, y: f64, color: RGBColor) -> Result<()> {
    // A white rim keeps markers apart from lines and gridlines.
    match marker {
        Marker::Circle => {
            c.circle(x, y, 3.25, WHITE)?;
            c.circle(x, y, 2.5, color)
        }
        Marker::Square => {
            c.rect(x - 3.0, y - 3.0, x + 3.0, y + 3.0, WHITE)?;
            c.rect(x - 2.25, y - 2.25, x + 2.25, y + 2.25, color)
        }
        Marker::TriangleUp => {
            c.polygon(&[(x, y - 4.25), (x + 4.0, y + 2.75), (x - 4.0, y + 2.75)], WHITE)?;
            c.polygon(&[(x, y - 3.0), (x + 3.0, y + 2.0), (x - 3.0, y + 2.0)], color)
        }
        Marker::TriangleDown => {
            c.polygon(&[(x, y + 4.25), (x + 4.0, y - 2.75), (x - 4.0, y - 2.75)], WHITE)?;
            c.polygon(&[(x, y + 3.0), (x + 3.0, y - 2.0), (x - 3.0, y - 2.0)], color)
        }
    }
}

fn diamond(c: &Canvas, x: f64, y: f64, r: f64, color: RGBColor) -> Result<()> {
    c.polygon(&[(x, y - r - 0.75), (x + r + 0.75, y), (x, y + r + 0.75), (x - r - 0.75, y)], WHITE)?;
    c.polygon(&[(x, y - r), (x + r, y), (x, y + r), (x - r, y)], color)
}

// ---------------------------------------------------------------------------
// a. Trend lines

/// Returns the highest value any series has at year index `i`.
fn highest_at(chart: &TrendChart, i: usize) -> Option<f64> {
    chart.series.iter().filter_map(|s| s.values.get(i).and_then(|c| c.value())).max_by(f64::total_cmp)
}

/// Draws lines over fiscal years (chart a).
pub fn trend_lines(chart: &TrendChart) -> Result<String> {
    let n = chart.years.len();
    let subject_cells = chart.series.iter().flat_map(|s| s.values.iter().take(n).copied());
    if n == 0 {
        return no_data(chart.width, false);
    }
    if let Some(hidden) = nothing_to_draw(subject_cells) {
        return no_data(chart.width, hidden);
    }
    let width = length(chart.width, 120.0, TEXT_WIDTH);
    let height = length(chart.height, 80.0, 200.0);

    let all_values = chart
        .series
        .iter()
        .chain(chart.trajectory.as_ref())
        .flat_map(|s| s.values.iter().take(n).filter_map(|c| c.value()))
        .chain(chart.target.as_ref().map(|t| t.value).filter(|v| v.is_finite()));
    let (lo, hi) = fit_range(chart.y_range.unwrap_or((0.0, 100.0)), all_values);

    let mut legend = Vec::new();
    if chart.legend {
        for (i, s) in chart.series.iter().enumerate() {
            legend.push((Swatch::Line(SERIES[i % SERIES.len()], MARKERS[i % MARKERS.len()]), s.name.clone()));
        }
        if let Some(t) = &chart.trajectory {
            legend.push((Swatch::Dashed(TRAJECTORY), t.name.clone()));
        }
        if let Some(t) = &chart.target {
            let swatch = if t.year.is_some() { Swatch::Diamond(TARGET) } else { Swatch::Dashed(TARGET) };
            legend.push((swatch, t.label.clone()));
        }
    }
    let legend_h = if legend.is_empty() { 0.0 } else { legend_height(&legend, width) + 4.0 };

    let tick_font = Font::new(SIZE_TICK, MUTED);
    let value_font = Font::new(SIZE_SMALL, TEXT);
    let hidden_years: Vec<bool> = (0..n)
        .map(|i| chart.series.first().is_some_and(|s| s.values.get(i).copied().unwrap_or_default().is_hidden()))
        .collect();
    let bottom = 14.0 + if hidden_years.iter().any(|&h| h) { 9.0 } else { 0.0 };
    // Room above the top gridline for a value label or the target's label.
    let plot_y0 = legend_h + 12.0;
    let plot_y1 = height - bottom;
    // The axis ends on a tick, also when a value widened it.
    let step = tick_step(hi - lo, plot_y1 - plot_y0, 18.0);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let y_label_w = tick_font.width(&fmt_tick(lo, step)).max(tick_font.width(&fmt_tick(hi, step)));

    // A target line without a legend carries its label at its right end,
    // outside the plot where no point can be under it.
    let line_target = chart.target.as_ref().filter(|t| t.value.is_finite() && t.year.is_none_or(|i| i >= n));
    let target_font = Font::new(SIZE_SMALL, TARGET).bold(true);
    let target_label_w = match line_target {
        Some(t) if legend.is_empty() => target_font.width(&t.label) + 4.0,
        _ => 0.0,
    };
    let plot_x0 = y_label_w + 6.0;
    let plot_x1 = width - 4.0 - target_label_w;
    let step_x = (plot_x1 - plot_x0) / n as f64;
    let x_of = |i: usize| plot_x0 + (i as f64 + 0.5) * step_x;
    let y_of = |v: f64| plot_y1 - (v.clamp(lo, hi) - lo) / (hi - lo) * (plot_y1 - plot_y0);

    svg(width, height, |c| {
        if !legend.is_empty() {
            draw_legend(c, &legend, plot_x0, 0.0, width - plot_x0)?;
        }
        // Horizontal gridlines and y labels.
        for v in ticks(lo, hi, step) {
            let y = y_of(v);
            let color = if (v - lo).abs() < 1e-9 { AXIS } else { GRID };
            c.line(&[(plot_x0, y), (plot_x1, y)], color, if color == AXIS { 0.75 } else { 0.5 })?;
            c.text_mid(&fmt_tick(v, step), plot_x0 - 4.0, y, tick_font, Anchor::End)?;
        }
        // Year labels.
        let year_font = Font::new(SIZE_LABEL, TEXT);
        for (i, year) in chart.years.iter().enumerate() {
            let (label, font) = fit_text(year, step_x - 2.0, year_font);
            c.text(&label, x_of(i), plot_y1 + 11.0, font, Anchor::Middle)?;
            if hidden_years[i] {
                c.text(HIDDEN_LABEL, x_of(i), plot_y1 + 20.0, Font::new(SIZE_SMALL, HIDDEN_TEXT), Anchor::Middle)?;
            }
        }

        // Target: a horizontal line, or a diamond at its year.
        if let Some(t) = chart.target.as_ref().filter(|t| t.value.is_finite()) {
            let y = y_of(t.value);
            match t.year.filter(|&i| i < n) {
                None => {
                    c.dashed(&[(plot_x0, y), (plot_x1, y)], TARGET, 1.0, 4.0, 2.5)?;
                    if target_label_w > 0.0 {
                        c.text_mid(&t.label, plot_x1 + 4.0, y, target_font, Anchor::Start)?;
                    }
                }
                Some(i) => {
                    diamond(c, x_of(i), y, 4.0, TARGET)?;
                    let half = target_font.width(&t.label) / 2.0;
                    let x = x_of(i).clamp(plot_x0 + half, width - half - 1.0);
                    // A value at or above the target in the target year has its label
                    // above it: the target's label then goes below the diamond.
                    let below = highest_at(chart, i).is_some_and(|v| v >= t.value);
                    let baseline = if below { y + 7.0 + SIZE_SMALL * 0.72 } else { y - 7.0 };
                    c.text(&t.label, x, baseline, target_font, Anchor::Middle)?;
                }
            }
        }

        // Trajectory.
        if let Some(t) = &chart.trajectory {
            for run in runs(&t.values, n) {
                let points: Vec<_> = run.iter().map(|&(i, v)| (x_of(i), y_of(v))).collect();
                if points.len() > 1 {
                    c.dashed(&points, TRAJECTORY, 1.0, 3.0, 2.0)?;
                }
            }
        }

        // Series: lines, then markers on top; the first series (the
        // chart's subject) last, so that it is never covered.
        for (k, s) in chart.series.iter().enumerate().rev() {
            let color = SERIES[k % SERIES.len()];
            for run in runs(&s.values, n) {
                let points: Vec<_> = run.iter().map(|&(i, v)| (x_of(i), y_of(v))).collect();
                if points.len() > 1 {
                    c.line(&points, color, 1.5)?;
                }
            }
        }
        for (k, s) in chart.series.iter().enumerate().rev() {
            let color = SERIES[k % SERIES.len()];
            for (i, cell) in s.values.iter().take(n).enumerate() {
                if let Some(v) = cell.value() {
                    draw_marker(c, MARKERS[k % MARKERS.len()], x_of(i), y_of(v), color)?;
                }
            }
        }

        // Value labels: at each year the highest point's label goes above it,
        // the others' below, so two series do not print over each other.
        if chart.value_labels {
            for i in 0..n {
                let mut points: Vec<(usize, f64)> = chart
                    .series
                    .iter()
                    .enumerate()
                    .filter_map(|(k, s)| s.values.get(i).and_then(|c| c.value()).map(|v| (k, v)))
                    .collect();
                points.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                // Below a target diamond of that year, the highest label also goes
                // below its point, leaving the space above to the target's label.
                let under_target = chart
                    .target
                    .as_ref()
                    .filter(|t| t.value.is_finite() && t.year == Some(i))
                    .is_some_and(|t| points.first().is_some_and(|p| p.1 < t.value));
                for (rank, (k, v)) in points.into_iter().enumerate() {
                    let y = y_of(v);
                    let above = rank == 0 && !under_target;
                    let baseline = if above { y - 5.5 } else { y + 5.5 + SIZE_SMALL * 0.72 };
                    let font = Font { color: text_shade(SERIES[k % SERIES.len()]), ..value_font };
                    let text = fmt1(v);
                    // A pale halo keeps the number readable over gridlines
                    // and the dashed trajectory.
                    let half = font.width(&text) / 2.0 + 1.0;
                    let x = x_of(i);
                    c.rect_alpha(
                        x - half,
                        baseline - font.size * 0.8,
                        x + half,
                        baseline + font.size * 0.15,
                        WHITE,
                        0.8,
                    )?;
                    c.text(&text, x, baseline, font, Anchor::Middle)?;
                }
            }
        }
        Ok(())
    })
}

/// A darker shade of a series colour for its value labels.
fn text_shade(color: RGBColor) -> RGBColor {
    mix(color, RGBColor(0, 0, 0), 0.25)
}

/// Splits values into runs of consecutive numbers (gaps at hidden or
/// missing values).
fn runs(values: &[Cell], n: usize) -> Vec<Vec<(usize, f64)>> {
    let mut runs = Vec::new();
    let mut current = Vec::new();
    for (i, cell) in values.iter().take(n).enumerate() {
        match cell.value() {
            Some(v) => current.push((i, v)),
            None => {
                if !current.is_empty() {
                    runs.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

// ---------------------------------------------------------------------------
// Horizontal bar frame shared by charts b, d and f

/// The horizontal layout of a bar chart: names at the left, bars in the
/// middle, number columns at the right.
struct BarFrame {
    label_x: f64,
    label_w: f64,
    plot_x0: f64,
    plot_x1: f64,
    /// Right edges of the number columns.
    columns: Vec<f64>,
    lo: f64,
    hi: f64,
    step: f64,
}

impl BarFrame {
    /// `labels` are (text, indent, bold); `column_texts` hold every text of
    /// each number column, its header included.
    fn new(
        width: f64,
        labels: &[(&str, u8, bool)],
        label_size: f64,
        column_texts: &[Vec<String>],
        range: (f64, f64),
        unit: &str,
    ) -> BarFrame {
        let label_font = Font::new(label_size, TEXT);
        let label_w = labels
            .iter()
            .map(|(text, indent, bold)| f64::from(*indent) * 8.0 + label_font.bold(*bold).width(text))
            .fold(0.0, f64::max)
            .min(width * 0.32);
        let value_font = Font::new(SIZE_VALUE, TEXT).bold(true);
        let mut columns = Vec::new();
        let mut right = width - 2.0;
        for texts in column_texts.iter().rev() {
            let w = texts.iter().map(|t| value_font.width(t)).fold(0.0, f64::max);
            columns.push(right);
            right -= w + 10.0;
        }
        columns.reverse();
        // The last tick's label is centred on the end of the scale: keep it
        // inside the chart (beside number columns it has their gap).
        let last_tick = Font::new(SIZE_TICK, MUTED).width(&format!("{}{unit}", fmt_tick(range.1, 1.0))) / 2.0;
        let room = if columns.is_empty() { 2.0 } else { 10.0 };
        let (plot_x0, plot_x1) = (label_w + 8.0, right - 2.0 - (last_tick - room).max(0.0));
        // The scale ends on a tick, also when a value widened it.
        let step = tick_step(range.1 - range.0, plot_x1 - plot_x0, 40.0);
        let (lo, hi) = ((range.0 / step).floor() * step, (range.1 / step).ceil() * step);
        BarFrame { label_x: 0.0, label_w, plot_x0, plot_x1, columns, lo, hi, step }
    }

    fn x_of(&self, v: f64) -> f64 {
        self.plot_x0 + (v.clamp(self.lo, self.hi) - self.lo) / (self.hi - self.lo) * (self.plot_x1 - self.plot_x0)
    }

    /// Draws the vertical gridlines from `y0` to `y1` and their labels above `y0`.
    fn grid(&self, c: &Canvas, y0: f64, y1: f64, unit: &str) -> Result<()> {
        let font = Font::new(SIZE_TICK, MUTED);
        let step = self.step;
        for v in ticks(self.lo, self.hi, step) {
            let x = self.x_of(v);
            let color = if (v - self.lo).abs() < 1e-9 { AXIS } else { GRID };
            c.line(&[(x, y0), (x, y1)], color, if color == AXIS { 0.75 } else { 0.5 })?;
            c.text(&format!("{}{unit}", fmt_tick(v, step)), x, y0 - 3.0, font, Anchor::Middle)?;
        }
        Ok(())
    }

    /// Writes a row's name, right-aligned before the bars.
    fn label(&self, c: &Canvas, text: &str, indent: u8, bold: bool, center_y: f64, size: f64) -> Result<()> {
        let indent_w = f64::from(indent) * 8.0;
        let font = Font::new(size, TEXT).bold(bold);
        let (text, font) = fit_text(text, self.label_w - indent_w, font);
        // Indented names are left-aligned so the tree shows; others too, for
        // a calm column.
        c.text_mid(&text, self.label_x + indent_w, center_y, font, Anchor::Start)
    }

    /// Draws a withheld or missing value in place of a bar.
    fn placeholder(&self, c: &Canvas, cell: Cell, y0: f64, y1: f64) -> Result<()> {
        let font = Font::new(SIZE_SMALL, HIDDEN_TEXT);
        let cy = (y0 + y1) / 2.0;
        if cell.is_hidden() {
            let w = font.width(HIDDEN_LABEL) + 8.0;
            c.rect(self.plot_x0, y0, self.plot_x0 + w, y1, HIDDEN_FILL)?;
            c.text_mid(HIDDEN_LABEL, self.plot_x0 + 4.0, cy, font, Anchor::Start)
        } else {
            c.text_mid(EMPTY_LABEL, self.plot_x0 + 4.0, cy, font, Anchor::Start)
        }
    }
}

fn value_text(cell: Cell, unit: &str) -> String {
    match cell {
        Cell::Hidden => HIDDEN_LABEL.to_string(),
        _ => cell.value().map_or_else(|| EMPTY_LABEL.to_string(), |v| format!("{}{unit}", fmt1(v))),
    }
}

/// Room above the tick labels for a reference line's label.
const REFERENCE_ROOM: f64 = 11.0;

/// Draws a dashed reference line over the bars, from `y0` to `y1`, with its
/// label above the tick labels.
fn reference_line(c: &Canvas, frame: &BarFrame, reference: &Reference, y0: f64, y1: f64) -> Result<()> {
    if !reference.value.is_finite() {
        return Ok(());
    }
    let x = frame.x_of(reference.value);
    c.dashed(&[(x, y0), (x, y1)], TARGET, 0.75, 3.0, 2.0)?;
    let font = Font::new(SIZE_SMALL, TARGET).bold(true);
    let half = font.width(&reference.label) / 2.0;
    let label_x = x.clamp(frame.plot_x0 + half, frame.plot_x1 - half);
    c.text(&reference.label, label_x, y0 - 13.0, font, Anchor::Middle)
}

// ---------------------------------------------------------------------------
// b. Category bars

/// Draws category scores as horizontal bars with target ticks and an
/// optional comparison (chart b).
pub fn category_bars(chart: &CategoryBars) -> Result<String> {
    let cells = chart.rows.iter().map(|r| r.value);
    if chart.rows.is_empty() {
        return no_data(chart.width, false);
    }
    if let Some(hidden) = nothing_to_draw(cells) {
        return no_data(chart.width, hidden);
    }
    let width = length(chart.width, 200.0, TEXT_WIDTH);
    let with_comparison = chart.comparison_name.is_some();
    let has_target = chart.rows.iter().any(|r| r.target.is_some_and(f64::is_finite));
    let values = chart.rows.iter().flat_map(|r| {
        [r.value.value(), if with_comparison { r.comparison.value() } else { None }, r.target]
            .into_iter()
            .flatten()
            .filter(|v| v.is_finite())
    });
    let range = fit_range(chart.range, values);

    let mut column_texts = vec![
        std::iter::once(chart.value_name.clone()).chain(chart.rows.iter().map(|r| value_text(r.value, ""))).collect(),
    ];
    if let Some(name) = &chart.comparison_name {
        column_texts.push(
            std::iter::once(name.clone()).chain(chart.rows.iter().map(|r| value_text(r.comparison, ""))).collect(),
        );
    }
    let labels: Vec<_> = chart.rows.iter().map(|r| (r.label.as_str(), 0u8, r.emphasis)).collect();
    let frame = BarFrame::new(width, &labels, SIZE_LABEL, &column_texts, range, "");

    let mut legend = vec![(Swatch::Box(SERIES[0]), chart.value_name.clone())];
    if let Some(name) = &chart.comparison_name {
        legend.push((Swatch::ThinBox(COMPARISON), name.clone()));
    }
    if has_target {
        legend.push((Swatch::Tick(TARGET), chart.target_name.clone()));
    }
    let legend_h = legend_height(&legend, width - frame.plot_x0) + 6.0;

    let row_h = if with_comparison { 20.0 } else { 16.0 };
    let top = legend_h + 14.0;
    let height = top + row_h * chart.rows.len() as f64 + 4.0;

    svg(width, height, |c| {
        draw_legend(c, &legend, frame.plot_x0, 0.0, width - frame.plot_x0)?;
        frame.grid(c, top, height - 4.0, "")?;
        let header_font = Font::new(SIZE_TICK, MUTED);
        for (k, name) in std::iter::once(&chart.value_name).chain(chart.comparison_name.as_ref()).enumerate() {
            c.text(name, frame.columns[k], top - 3.0, header_font, Anchor::End)?;
        }
        for (i, row) in chart.rows.iter().enumerate() {
            let y = top + row_h * i as f64;
            if row.emphasis && i > 0 {
                c.line(&[(0.0, y), (width, y)], AXIS, 0.5)?;
            }
            let (bar_y0, bar_y1) = if with_comparison { (y + 3.0, y + 12.0) } else { (y + 3.0, y + row_h - 3.0) };
            frame.label(c, &row.label, 0, row.emphasis, (bar_y0 + bar_y1) / 2.0, SIZE_LABEL)?;
            match row.value.value() {
                Some(v) => c.rect(frame.plot_x0, bar_y0, frame.x_of(v), bar_y1, SERIES[0])?,
                None => frame.placeholder(c, row.value, bar_y0, bar_y1)?,
            }
            if let Some(v) = row.comparison.value().filter(|_| with_comparison) {
                c.rect(frame.plot_x0, y + 13.5, frame.x_of(v), y + 16.5, COMPARISON)?;
            }
            if let Some(t) = row.target.filter(|t| t.is_finite()) {
                let x = frame.x_of(t);
                c.rect(x - 0.75, bar_y0 - 2.0, x + 0.75, bar_y1 + 2.0, TARGET)?;
            }
            let value_font = Font::new(SIZE_VALUE, TEXT).bold(true);
            let value_cy = (bar_y0 + bar_y1) / 2.0;
            let main_font = if row.value.value().is_some() { value_font } else { Font::new(SIZE_SMALL, HIDDEN_TEXT) };
            c.text_mid(&value_text(row.value, ""), frame.columns[0], value_cy, main_font, Anchor::End)?;
            if with_comparison {
                let font = Font::new(SIZE_VALUE, MUTED);
                c.text_mid(&value_text(row.comparison, ""), frame.columns[1], value_cy, font, Anchor::End)?;
            }
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------
// c. Heatmap

const HEATMAP_HEADER_LINE: f64 = 9.0;
const HEATMAP_LEGEND: f64 = 34.0;

impl Heatmap {
    /// Returns the chart's height in points for `rows` rows.
    pub fn height_for(&self, rows: usize) -> f64 {
        self.header_height() + self.row_height.max(6.0) * rows as f64 + HEATMAP_LEGEND
    }

    /// Returns how many rows fit into `height` points, so a caller can split
    /// a long table over pages.
    pub fn rows_fitting(&self, height: f64) -> usize {
        let room = height - self.header_height() - HEATMAP_LEGEND;
        if room <= 0.0 { 0 } else { (room / self.row_height.max(6.0)).floor() as usize }
    }

    fn label_width(&self) -> f64 {
        let font = Font::new(self.label_size(), TEXT);
        self.rows
            .iter()
            .map(|r| f64::from(r.indent) * 8.0 + font.bold(r.emphasis).width(&r.label))
            .chain(std::iter::once(Font::new(SIZE_TICK, MUTED).width(&self.row_header)))
            .fold(40.0, f64::max)
            .min(self.width * 0.34)
            + 6.0
    }

    fn column_width(&self) -> f64 {
        (self.width - self.label_width()) / self.columns.len().max(1) as f64
    }

    /// Column names split into lines that fit their column.
    fn header_lines(&self) -> Vec<(Vec<String>, Font)> {
        let col_w = self.column_width() - 3.0;
        self.columns
            .iter()
            .map(|name| {
                let font = Font::new(SIZE_TICK, TEXT).bold(true);
                if font.width(name) <= col_w {
                    return (vec![name.clone()], font);
                }
                let chars: Vec<char> = name.chars().collect();
                let half = chars.len().div_ceil(2);
                let lines = vec![chars[..half].iter().collect::<String>(), chars[half..].iter().collect::<String>()];
                let mut font = font;
                while lines.iter().any(|l| font.width(l) > col_w) && font.size > 5.5 {
                    font.size -= 0.5;
                }
                (lines, font)
            })
            .collect()
    }

    fn header_height(&self) -> f64 {
        let lines = self.header_lines().iter().map(|(l, _)| l.len()).max().unwrap_or(1);
        lines as f64 * HEATMAP_HEADER_LINE + 6.0
    }

    fn label_size(&self) -> f64 {
        (self.row_height * 0.68).clamp(6.0, SIZE_LABEL)
    }
}

/// Draws a table of coloured cells, rows × columns (chart c).
pub fn heatmap(chart: &Heatmap) -> Result<String> {
    let n_cols = chart.columns.len();
    if chart.rows.is_empty() || n_cols == 0 {
        return no_data(chart.width, false);
    }
    // Rows whose cells are all hidden still show their names: a page of a long
    // table may hold only small departments.
    let sized = Heatmap {
        width: length(chart.width, 200.0, TEXT_WIDTH),
        row_height: length(chart.row_height, 6.0, 11.0),
        ..chart.clone()
    };
    let chart = &sized;
    let (width, row_h) = (chart.width, chart.row_height);
    let label_w = chart.label_width();
    let col_w = chart.column_width();
    let header_h = chart.header_height();
    let header_lines = chart.header_lines();
    let height = chart.height_for(chart.rows.len());
    let table_y1 = header_h + row_h * chart.rows.len() as f64;
    let label_size = chart.label_size();
    let value_size = (row_h * 0.64).clamp(5.5, SIZE_VALUE);
    let any_hidden = chart.rows.iter().any(|r| r.cells.iter().take(n_cols).any(|c| c.is_hidden()));
    let any_empty =
        chart.rows.iter().any(|r| (0..n_cols).any(|i| r.cells.get(i).copied().unwrap_or_default() == Cell::Empty));

    svg(width, height, |c| {
        // Header.
        c.text(&chart.row_header, 0.0, header_h - 4.0, Font::new(SIZE_TICK, MUTED), Anchor::Start)?;
        for (j, (lines, font)) in header_lines.iter().enumerate() {
            let cx = label_w + col_w * (j as f64 + 0.5);
            let first_baseline = header_h - 4.0 - HEATMAP_HEADER_LINE * (lines.len() as f64 - 1.0);
            for (k, line) in lines.iter().enumerate() {
                c.text(line, cx, first_baseline + HEATMAP_HEADER_LINE * k as f64, *font, Anchor::Middle)?;
            }
        }
        c.line(&[(0.0, header_h), (width, header_h)], TEXT, 0.75)?;

        for (i, row) in chart.rows.iter().enumerate() {
            let y0 = header_h + row_h * i as f64;
            let cy = y0 + row_h / 2.0;
            if row.emphasis && i > 0 {
                c.line(&[(0.0, y0), (width, y0)], AXIS, 0.5)?;
            }
            let indent = f64::from(row.indent) * 8.0;
            let font = Font::new(label_size, TEXT).bold(row.emphasis);
            let (label, font) = fit_text(&row.label, label_w - 6.0 - indent, font);
            c.text_mid(&label, indent, cy, font, Anchor::Start)?;
            for j in 0..n_cols {
                let x0 = label_w + col_w * j as f64;
                let (cx0, cy0, cx1, cy1) = (x0 + 0.5, y0 + 0.5, x0 + col_w - 0.5, y0 + row_h - 0.5);
                let cell = row.cells.get(j).copied().unwrap_or_default();
                match (cell, cell.value()) {
                    (_, Some(v)) => {
                        let fill = chart.scale.color(v, j);
                        c.rect(cx0, cy0, cx1, cy1, fill)?;
                        let font = Font::new(value_size, text_on(fill)).bold(row.emphasis);
                        c.text_mid(&fmt1(v), x0 + col_w / 2.0, cy, font, Anchor::Middle)?;
                    }
                    (Cell::Hidden, _) => {
                        c.rect(cx0, cy0, cx1, cy1, HIDDEN_FILL)?;
                        let font = Font::new((value_size - 1.0).max(5.0), HIDDEN_TEXT);
                        let mark = if font.width(HIDDEN_LABEL) < col_w - 3.0 { HIDDEN_LABEL } else { "×" };
                        c.text_mid(mark, x0 + col_w / 2.0, cy, font, Anchor::Middle)?;
                    }
                    _ => {
                        let font = Font::new(value_size, FAINT);
                        c.text_mid(EMPTY_LABEL, x0 + col_w / 2.0, cy, font, Anchor::Middle)?;
                    }
                }
            }
        }
        c.line(&[(0.0, table_y1), (width, table_y1)], AXIS, 0.5)?;
        heat_legend(c, &chart.scale, table_y1 + 8.0, width, any_hidden, any_empty)
    })
}

/// The colour scale under a heatmap: a gradient with its end and centre
/// values, what it means, and the grey of withheld cells.
fn heat_legend(c: &Canvas, scale: &HeatScale, y: f64, width: f64, hidden: bool, empty: bool) -> Result<()> {
    let font = Font::new(SIZE_SMALL, MUTED);
    let (bar_x0, bar_w, bar_h) = (0.0, 150.0_f64.min(width * 0.4), 7.0);
    let span = scale.span();
    let steps = 60;
    for k in 0..steps {
        let t = k as f64 / (steps - 1) as f64;
        let x = bar_x0 + bar_w * k as f64 / steps as f64;
        c.rect(x, y, x + bar_w / steps as f64 + 0.3, y + bar_h, diverging(2.0 * t - 1.0))?;
    }
    c.frame(bar_x0, y, bar_x0 + bar_w, y + bar_h, AXIS, 0.25)?;
    let label_y = y + bar_h + 8.5;
    let (low, middle, high) = match &scale.center {
        HeatCenter::Value(center) => (fmt1(center - span), fmt1(*center), fmt1(center + span)),
        HeatCenter::PerColumn(_) => (format!("−{}", fmt1(span)), "±0".to_string(), format!("+{}", fmt1(span))),
    };
    c.text(&format!("{low}以下"), bar_x0, label_y, font, Anchor::Start)?;
    c.text(&middle, bar_x0 + bar_w / 2.0, label_y, font, Anchor::Middle)?;
    c.text(&format!("{high}以上"), bar_x0 + bar_w, label_y, font, Anchor::End)?;

    let mut x = bar_x0 + bar_w + 14.0;
    if !scale.label.is_empty() {
        let (label, f) = fit_text(&scale.label, (width - x).max(20.0), font);
        c.text_mid(&label, x, y + bar_h / 2.0, f, Anchor::Start)?;
    }
    let second = y + bar_h + 5.0;
    if hidden {
        c.rect(x, second, x + 16.0, second + 8.0, HIDDEN_FILL)?;
        x += 20.0;
        let text = "非表示（回答者の秘密を守るため）";
        c.text_mid(text, x, second + 4.0, font, Anchor::Start)?;
        x += font.width(text) + 14.0;
    }
    if empty {
        c.text_mid(EMPTY_LABEL, x + 8.0, second + 4.0, Font::new(SIZE_SMALL, FAINT), Anchor::Middle)?;
        c.text_mid("データなし", x + 20.0, second + 4.0, font, Anchor::Start)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// d. Grouped bars

/// Draws grouped horizontal bars, e.g. a score by 年代 (chart d).
pub fn grouped_bars(chart: &GroupedBars) -> Result<String> {
    let n_series = chart.series.len().max(chart.groups.iter().map(|g| g.values.len()).max().unwrap_or(0));
    if chart.groups.is_empty() || n_series == 0 {
        return no_data(chart.width, false);
    }
    if let Some(hidden) = nothing_to_draw(chart.groups.iter().flat_map(|g| g.values.iter().copied())) {
        return no_data(chart.width, hidden);
    }
    let width = length(chart.width, 200.0, TEXT_WIDTH);
    let values = chart
        .groups
        .iter()
        .flat_map(|g| g.values.iter().filter_map(|c| c.value()))
        .chain(chart.reference.as_ref().map(|r| r.value).filter(|v| v.is_finite()));
    let range = fit_range(chart.range, values);
    let cell = |g: &BarGroup, k: usize| g.values.get(k).copied().unwrap_or_default();

    let column_texts =
        vec![chart.groups.iter().flat_map(|g| (0..n_series).map(move |k| value_text(cell(g, k), ""))).collect()];
    let labels: Vec<_> = chart.groups.iter().map(|g| (g.label.as_str(), 0u8, g.emphasis)).collect();
    let frame = BarFrame::new(width, &labels, SIZE_LABEL, &column_texts, range, "");

    let legend: Vec<_> = if n_series > 1 {
        chart
            .series
            .iter()
            .enumerate()
            .map(|(k, name)| (Swatch::Box(chart.colors.color(k, n_series)), name.clone()))
            .collect()
    } else {
        Vec::new()
    };
    let legend_h = if legend.is_empty() { 0.0 } else { legend_height(&legend, width - frame.plot_x0) + 6.0 };
    let bar_h = if n_series > 1 { 8.0 } else { 11.0 };
    let bar_gap = 1.5;
    let group_pad = 5.0;
    let group_h = n_series as f64 * (bar_h + bar_gap) - bar_gap + 2.0 * group_pad;
    let reference_room = if chart.reference.is_some() { REFERENCE_ROOM } else { 0.0 };
    let top = legend_h + 14.0 + reference_room;
    let height = top + group_h * chart.groups.len() as f64 + 4.0;

    svg(width, height, |c| {
        if !legend.is_empty() {
            draw_legend(c, &legend, frame.plot_x0, 0.0, width - frame.plot_x0)?;
        }
        frame.grid(c, top, height - 4.0, "")?;
        for (i, group) in chart.groups.iter().enumerate() {
            let y = top + group_h * i as f64;
            if i > 0 {
                c.line(&[(0.0, y), (width, y)], GRID, 0.5)?;
            }
            frame.label(c, &group.label, 0, group.emphasis, y + group_h / 2.0, SIZE_LABEL)?;
            for k in 0..n_series {
                let y0 = y + group_pad + k as f64 * (bar_h + bar_gap);
                let y1 = y0 + bar_h;
                let v = cell(group, k);
                match v.value() {
                    Some(value) => c.rect(frame.plot_x0, y0, frame.x_of(value), y1, chart.colors.color(k, n_series))?,
                    None => frame.placeholder(c, v, y0, y1)?,
                }
                let font = if v.value().is_some() {
                    Font::new(SIZE_VALUE, TEXT).bold(group.emphasis)
                } else {
                    Font::new(SIZE_SMALL, HIDDEN_TEXT)
                };
                c.text_mid(&value_text(v, ""), frame.columns[0], (y0 + y1) / 2.0, font, Anchor::End)?;
            }
        }
        if let Some(reference) = &chart.reference {
            reference_line(c, &frame, reference, top, height - 4.0)?;
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------
// e. Stacked shares

/// Draws 100% stacked bars of favorable / neutral / unfavorable answers (chart e).
pub fn share_bars(chart: &ShareBars) -> Result<String> {
    if chart.rows.is_empty() {
        return no_data(chart.width, false);
    }
    let normalised: Vec<Option<[f64; 3]>> = chart.rows.iter().map(|r| normalise(r.shares)).collect();
    if normalised.iter().all(Option::is_none) {
        let hidden = chart.rows.iter().any(|r| r.shares == Shares::Hidden);
        return no_data(chart.width, hidden);
    }
    let width = length(chart.width, 200.0, TEXT_WIDTH);
    let labels: Vec<_> = chart.rows.iter().map(|r| (r.label.as_str(), 0u8, r.emphasis)).collect();
    let frame = BarFrame::new(width, &labels, SIZE_LABEL, &[], (0.0, 100.0), "%");
    let colors = [FAVORABLE, NEUTRAL, UNFAVORABLE];
    let legend: Vec<_> = colors.iter().zip(&chart.names).map(|(&c, n)| (Swatch::Box(c), n.clone())).collect();
    let legend_h = legend_height(&legend, width - frame.plot_x0) + 6.0;
    let row_h = 17.0;
    let top = legend_h + 14.0;
    let height = top + row_h * chart.rows.len() as f64 + 4.0;

    svg(width, height, |c| {
        draw_legend(c, &legend, frame.plot_x0, 0.0, width - frame.plot_x0)?;
        frame.grid(c, top, height - 4.0, "%")?;
        for (i, (row, shares)) in chart.rows.iter().zip(&normalised).enumerate() {
            let y = top + row_h * i as f64;
            let (y0, y1) = (y + 3.0, y + row_h - 3.0);
            frame.label(c, &row.label, 0, row.emphasis, y + row_h / 2.0, SIZE_LABEL)?;
            let Some(shares) = shares else {
                let cell = if row.shares == Shares::Hidden { Cell::Hidden } else { Cell::Empty };
                frame.placeholder(c, cell, y0, y1)?;
                continue;
            };
            let mut start = 0.0;
            for (k, share) in shares.iter().enumerate() {
                let (x0, x1) = (frame.x_of(start), frame.x_of(start + share));
                start += share;
                if x1 - x0 <= 0.0 {
                    continue;
                }
                c.rect(x0, y0, x1, y1, colors[k])?;
                let text = format!("{:.0}%", share);
                let font = Font::new(SIZE_SMALL, text_on(colors[k])).bold(k == 0);
                if font.width(&text) + 4.0 <= x1 - x0 {
                    c.text_mid(&text, (x0 + x1) / 2.0, (y0 + y1) / 2.0, font, Anchor::Middle)?;
                }
            }
            // A white hairline between segments keeps them apart in greyscale.
            let mut edge = 0.0;
            for share in &shares[..2] {
                edge += share;
                let x = frame.x_of(edge);
                if edge > 0.0 && edge < 100.0 {
                    c.line(&[(x, y0), (x, y1)], WHITE, 0.5)?;
                }
            }
        }
        Ok(())
    })
}

/// Returns the shares in percent of their sum, or `None` if there is nothing to draw.
fn normalise(shares: Shares) -> Option<[f64; 3]> {
    let Shares::Values { favorable, neutral, unfavorable } = shares else { return None };
    let parts = [favorable, neutral, unfavorable].map(|v| if v.is_finite() && v > 0.0 { v } else { 0.0 });
    let sum: f64 = parts.iter().sum();
    if sum <= 0.0 {
        return None;
    }
    Some(parts.map(|v| v / sum * 100.0))
}

// ---------------------------------------------------------------------------
// f. Rate bars

/// Draws simple horizontal bars, e.g. response rate by department (chart f).
pub fn rate_bars(chart: &RateBars) -> Result<String> {
    if chart.rows.is_empty() {
        return no_data(chart.width, false);
    }
    // Rows that are all hidden still show their names (see `heatmap`).
    let width = length(chart.width, 200.0, TEXT_WIDTH);
    let row_h = chart.row_height.max(7.0);
    let values = chart
        .rows
        .iter()
        .filter_map(|r| r.value.value())
        .chain(chart.reference.as_ref().map(|r| r.value).filter(|v| v.is_finite()));
    let range = fit_range(chart.range, values);
    let column_texts = vec![chart.rows.iter().map(|r| value_text(r.value, &chart.unit)).collect()];
    let labels: Vec<_> = chart.rows.iter().map(|r| (r.label.as_str(), r.indent, r.emphasis)).collect();
    let label_size = (row_h * 0.7).clamp(6.0, SIZE_LABEL);
    let frame = BarFrame::new(width, &labels, label_size, &column_texts, range, &chart.unit);
    let reference_room = if chart.reference.is_some() { REFERENCE_ROOM } else { 0.0 };
    let top = 12.0 + reference_room;
    let height = top + row_h * chart.rows.len() as f64 + 4.0;

    svg(width, height, |c| {
        // A pale band marks the rows that head a group (a 部).
        for (i, row) in chart.rows.iter().enumerate() {
            if row.emphasis {
                let y = top + row_h * i as f64;
                c.rect(0.0, y, width, y + row_h, BAND)?;
            }
        }
        frame.grid(c, top, height - 4.0, &chart.unit)?;
        for (i, row) in chart.rows.iter().enumerate() {
            let y = top + row_h * i as f64;
            let (y0, y1) = (y + row_h * 0.18, y + row_h * 0.82);
            frame.label(c, &row.label, row.indent, row.emphasis, y + row_h / 2.0, label_size)?;
            match row.value.value() {
                Some(v) => c.rect(frame.plot_x0, y0, frame.x_of(v), y1, SERIES[0])?,
                None => frame.placeholder(c, row.value, y0, y1)?,
            }
            let font = if row.value.value().is_some() {
                Font::new(label_size.min(SIZE_VALUE), TEXT).bold(row.emphasis)
            } else {
                Font::new(SIZE_SMALL, HIDDEN_TEXT)
            };
            c.text_mid(&value_text(row.value, &chart.unit), frame.columns[0], (y0 + y1) / 2.0, font, Anchor::End)?;
        }
        if let Some(reference) = &chart.reference {
            reference_line(c, &frame, reference, top, height - 4.0)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses an SVG the way Typst does (usvg) and returns its size in
    /// points and every text with its font family.
    fn parse(svg: &str) -> (f64, f64, Vec<(String, String)>) {
        let mut options = usvg::Options::default();
        options.fontdb_mut().load_font_data(FONT_REGULAR.to_vec());
        let tree = usvg::Tree::from_str(svg, &options).unwrap_or_else(|e| panic!("invalid SVG: {e}\n{svg}"));
        // usvg gives pixels at 96 dpi; the SVG says points.
        let size = tree.size();
        let (w, h) = (f64::from(size.width()) * 0.75, f64::from(size.height()) * 0.75);
        let mut texts = Vec::new();
        collect_texts(tree.root(), &mut texts);
        (w, h, texts)
    }

    fn collect_texts(group: &usvg::Group, texts: &mut Vec<(String, String)>) {
        for node in group.children() {
            match node {
                usvg::Node::Group(g) => collect_texts(g, texts),
                usvg::Node::Text(t) => {
                    for chunk in t.chunks() {
                        let family = chunk
                            .spans()
                            .first()
                            .and_then(|s| s.font().families().first())
                            .map(|f| f.to_string())
                            .unwrap_or_default();
                        texts.push((chunk.text().to_string(), family));
                    }
                }
                _ => {}
            }
        }
    }

    fn has_text(texts: &[(String, String)], text: &str) -> bool {
        texts.iter().any(|(t, _)| t == text)
    }

    /// Checks what every chart must satisfy and returns its texts.
    fn check(svg: &str, width: f64) -> Vec<(String, String)> {
        let quarter_points = (width * 4.0).floor() / 4.0;
        assert!(svg.starts_with(&format!("<svg width=\"{quarter_points}pt\"")), "{}", &svg[..80.min(svg.len())]);
        let (w, h, texts) = parse(svg);
        assert!((w - quarter_points).abs() < 0.01 && w <= width, "width {w} ≠ {width}");
        assert!(h > 20.0 && h < 842.0, "height {h}");
        assert!(!texts.is_empty());
        for (text, family) in &texts {
            assert_eq!(family, "\"BIZ UDPGothic\"", "text {text:?} in family {family}");
        }
        texts
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
        let cases: Vec<(String, &str)> = vec![
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
        for (svg, message) in cases {
            let texts = check(&svg, TEXT_WIDTH);
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
                    emphasis: true,
                },
                HeatmapRow {
                    label: "人事課".into(),
                    indent: 1,
                    cells: vec![Cell::Hidden, Cell::Empty, Cell::Value(52.0)],
                    emphasis: false,
                },
            ],
            scale: HeatScale {
                center: HeatCenter::PerColumn(vec![60.0, 60.0, 60.0]),
                span: 10.0,
                label: "市全体との差".into(),
            },
            ..Heatmap::default()
        };
        let svg = heatmap(&chart).unwrap();
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
            svg.contains(&format!("fill=\"#{:02X}{:02X}{:02X}\"", HEAT_HIGH.0, HEAT_HIGH.1, HEAT_HIGH.2)),
            "no full blue cell"
        );
        assert!(
            svg.contains(&format!("fill=\"#{:02X}{:02X}{:02X}\"", HEAT_LOW.0, HEAT_LOW.1, HEAT_LOW.2)),
            "no full orange cell"
        );
        // The height follows the rows, and a page split can be planned.
        let (_, h, _) = parse(&svg);
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
                    label: "20代以下".into(),
                    values: vec![Cell::Value(60.0), Cell::Value(61.5)],
                    emphasis: false,
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
        for text in ["肯定的", "どちらでもない", "否定的", "60%", "30%", "10%", "98%", "非表示", "—"]
        {
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
        let chart =
            trend(vec![Cell::Value(f64::NAN), Cell::Value(f64::INFINITY), Cell::Value(60.0), Cell::Value(61.0)]);
        let texts = check(&trend_lines(&chart).unwrap(), TEXT_WIDTH);
        assert!(!texts.iter().any(|(t, _)| t.contains("NaN") || t.contains("inf")), "{texts:?}");
    }
}
