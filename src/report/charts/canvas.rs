//! The drawing toolkit every chart uses, and the only module that knows
//! plotters and SVG: the canvas in points, the embedded font and text
//! measurement, sizes and colours, ticks and ranges, legends, markers, the
//! layout of bar charts, and the value of a cell ([`Cell`]).

use std::cell::RefCell;
use std::sync::OnceLock;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle};
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, ShapeStyle};
use serde::Serialize;
// The colour type the chart modules name (they use plotters through this module only).
pub(super) use plotters::style::RGBColor;

pub use crate::report::engine::FONT_FAMILY;
use crate::report::engine::{FONT_BOLD, FONT_REGULAR};

/// Text width of an A4 page with 20 mm side margins, in points: the width
/// charts are drawn for by default.
pub const TEXT_WIDTH: f64 = 481.89;

/// SVG user units per point: coordinates and stroke widths in plotters are
/// integers, so drawing at a finer grid gives quarter-point precision.
pub(super) const SCALE: f64 = 4.0;

// Text sizes in points.
pub(super) const SIZE_LABEL: f64 = 8.0;
pub(super) const SIZE_TICK: f64 = 7.0;
pub(super) const SIZE_VALUE: f64 = 7.5;
pub(super) const SIZE_LEGEND: f64 = 7.5;
pub(super) const SIZE_SMALL: f64 = 6.5;

// Colours.
pub(super) const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(super) const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
pub(super) const FAINT: RGBColor = RGBColor(0x99, 0x99, 0x99);
pub(super) const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
pub(super) const AXIS: RGBColor = RGBColor(0x9A, 0x9A, 0x9A);
pub(super) const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
pub(super) const BAND: RGBColor = RGBColor(0xF4, 0xF6, 0xF8);
pub(super) const COMPARISON: RGBColor = RGBColor(0xB5, 0xB5, 0xB5);
pub(super) const TARGET: RGBColor = RGBColor(0x33, 0x33, 0x33);
pub(super) const TRAJECTORY: RGBColor = RGBColor(0x77, 0x77, 0x77);
pub(super) const HIDDEN_FILL: RGBColor = RGBColor(0xE8, 0xE8, 0xE8);
pub(super) const HIDDEN_TEXT: RGBColor = RGBColor(0x8C, 0x8C, 0x8C);
pub(super) const FAVORABLE: RGBColor = RGBColor(0x3B, 0x6E, 0xA8);
pub(super) const NEUTRAL: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);
pub(super) const UNFAVORABLE: RGBColor = RGBColor(0xE0, 0xA0, 0x60);
pub(super) const HEAT_LOW: RGBColor = rgb(crate::palette::HEAT_LOW);
pub(super) const HEAT_MID: RGBColor = rgb(crate::palette::HEAT_MID);
pub(super) const HEAT_HIGH: RGBColor = rgb(crate::palette::HEAT_HIGH);
/// A colour written `0xRRGGBB` (the palette the workbook shares).
const fn rgb(hex: u32) -> RGBColor {
    RGBColor((hex >> 16) as u8, (hex >> 8) as u8, hex as u8)
}

/// The heatmap's colours as captions name them, kept beside the colours so the
/// two cannot disagree (the caption once spoke of green and red).
pub const HEAT_HIGH_NAME: &str = "青";
/// See [`HEAT_HIGH_NAME`].
pub const HEAT_LOW_NAME: &str = "橙";

/// Series colours in order: blue and orange first (they stay distinct for
/// the common colour-vision deficiencies), then green, purple, sky, brown.
pub(super) const SERIES: [RGBColor; 6] = [
    RGBColor(0x3B, 0x6E, 0xA8),
    RGBColor(0xD9, 0x82, 0x2B),
    RGBColor(0x4A, 0x9C, 0x6D),
    RGBColor(0x9A, 0x5B, 0x9E),
    RGBColor(0x7F, 0xB3, 0xD5),
    RGBColor(0x9C, 0x7A, 0x4A),
];

/// The label of a withheld value.
pub(super) const HIDDEN_LABEL: &str = "非表示";
/// The label of a missing value.
pub(super) const EMPTY_LABEL: &str = "—";

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

    pub(super) fn is_hidden(self) -> bool {
        self == Cell::Hidden
    }
}

impl From<Option<f64>> for Cell {
    fn from(value: Option<f64>) -> Cell {
        value.map_or(Cell::Empty, Cell::Value)
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

/// Registers the embedded font with plotters' ab_glyph text measurement.
/// Returns whether it worked (it reads font bytes committed to the repo, so
/// it does unless the files are broken).
pub(super) fn fonts_registered() -> bool {
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
pub(super) struct Font {
    pub(super) size: f64,
    pub(super) bold: bool,
    pub(super) color: RGBColor,
}

impl Font {
    pub(super) const fn new(size: f64, color: RGBColor) -> Font {
        Font { size, bold: false, color }
    }

    pub(super) const fn bold(self, bold: bool) -> Font {
        Font { bold, ..self }
    }

    pub(super) fn width(&self, text: &str) -> f64 {
        text_width(text, self.size, self.bold)
    }
}

/// Which point of a label its `x` is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A chart: its shapes as SVG, and its text as labels that the template sets
/// over the SVG with Typst (`chart-image` in report-templates/style.typ).
///
/// Text set by Typst looks as SVG text did (the same font, sizes and
/// positions) and stays selectable, without usvg laying out each `<text>`
/// with a shaping face of the 4.6 MB CJK font (measured in issue 21: a few
/// milliseconds of a packet's 50–80).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The SVG, sized in points; it holds no text.
    pub svg: String,
    /// Width in points.
    pub width: f64,
    /// Height in points.
    pub height: f64,
    /// The text, in the order it was drawn.
    pub labels: Vec<Label>,
}

/// A line of text of a chart, in points from the chart's top left corner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub text: String,
    /// The anchor point: the start, middle or end of the text.
    pub x: f64,
    /// The baseline.
    pub y: f64,
    /// Font size in points.
    pub size: f64,
    pub bold: bool,
    /// `#rrggbb`.
    pub color: String,
    pub anchor: Anchor,
}

pub(super) fn units(pt: f64) -> i32 {
    (pt * SCALE).round() as i32
}

pub(super) fn point(x: f64, y: f64) -> (i32, i32) {
    (units(x), units(y))
}

pub(super) fn stroke(color: RGBColor, width_pt: f64) -> ShapeStyle {
    ShapeStyle { color: color.to_rgba(), filled: false, stroke_width: units(width_pt).max(1) as u32 }
}

pub(super) fn draw_err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("グラフを描けません: {e}")
}

/// A drawing surface measured in points: shapes go into the SVG, text into
/// the [`Label`]s that Typst sets over it.
pub(super) struct Canvas<'a> {
    pub(super) area: DrawingArea<SVGBackend<'a>, Shift>,
    labels: RefCell<Vec<Label>>,
}

impl Canvas<'_> {
    pub(super) fn rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, color: RGBColor) -> Result<()> {
        self.area.draw(&Rectangle::new([point(x0, y0), point(x1, y1)], color.filled())).map_err(draw_err)
    }

    pub(super) fn rect_alpha(&self, x0: f64, y0: f64, x1: f64, y1: f64, color: RGBColor, alpha: f64) -> Result<()> {
        let style = color.mix(alpha).filled();
        self.area.draw(&Rectangle::new([point(x0, y0), point(x1, y1)], style)).map_err(draw_err)
    }

    pub(super) fn frame(&self, x0: f64, y0: f64, x1: f64, y1: f64, color: RGBColor, width: f64) -> Result<()> {
        self.area.draw(&Rectangle::new([point(x0, y0), point(x1, y1)], stroke(color, width))).map_err(draw_err)
    }

    pub(super) fn line(&self, points: &[(f64, f64)], color: RGBColor, width: f64) -> Result<()> {
        let points: Vec<_> = points.iter().map(|&(x, y)| point(x, y)).collect();
        self.area.draw(&PathElement::new(points, stroke(color, width))).map_err(draw_err)
    }

    pub(super) fn dashed(&self, points: &[(f64, f64)], color: RGBColor, width: f64, dash: f64, gap: f64) -> Result<()> {
        let points: Vec<_> = points.iter().map(|&(x, y)| point(x, y)).collect();
        let element = DashedPathElement::new(points, units(dash), units(gap), stroke(color, width));
        self.area.draw(&element).map_err(draw_err)
    }

    pub(super) fn polygon(&self, points: &[(f64, f64)], color: RGBColor) -> Result<()> {
        let points: Vec<_> = points.iter().map(|&(x, y)| point(x, y)).collect();
        self.area.draw(&Polygon::new(points, color.filled())).map_err(draw_err)
    }

    pub(super) fn circle(&self, x: f64, y: f64, radius: f64, color: RGBColor) -> Result<()> {
        self.area.draw(&Circle::new(point(x, y), units(radius), color.filled())).map_err(draw_err)
    }

    /// Writes `text` with its baseline at `baseline`.
    pub(super) fn text(&self, text: &str, x: f64, baseline: f64, font: Font, anchor: Anchor) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        let RGBColor(r, g, b) = font.color;
        self.labels.borrow_mut().push(Label {
            text: text.to_string(),
            x: quarter(x),
            y: quarter(baseline),
            size: font.size,
            bold: font.bold,
            color: format!("#{r:02x}{g:02x}{b:02x}"),
            anchor,
        });
        Ok(())
    }

    /// Writes `text` visually centred on `center_y`.
    pub(super) fn text_mid(&self, text: &str, x: f64, center_y: f64, font: Font, anchor: Anchor) -> Result<()> {
        // Japanese glyphs and digits sit about 0.36 em above the baseline's centre.
        self.text(text, x, center_y + 0.36 * font.size, font, anchor)
    }
}

/// A point value on the quarter-point grid the shapes are drawn on.
fn quarter(v: f64) -> f64 {
    (v * SCALE).round() / SCALE
}

/// Draws on a `width` × `height` point canvas and returns the chart.
pub(super) fn svg(width: f64, height: f64, draw: impl FnOnce(&Canvas) -> Result<()>) -> Result<Chart> {
    // Rounded down, so a chart of the text width never sticks out of it.
    let (w, h) = (((width * SCALE).floor() as u32).max(1), ((height * SCALE).ceil() as u32).max(1));
    let mut buf = String::new();
    let labels = {
        let area = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        area.fill(&WHITE).map_err(draw_err)?;
        let canvas = Canvas { area, labels: RefCell::new(Vec::new()) };
        draw(&canvas)?;
        canvas.area.present().map_err(draw_err)?;
        canvas.labels.into_inner()
    };
    // Give the SVG its size in points, so Typst places it at that size.
    let (width, height) = (f64::from(w) / SCALE, f64::from(h) / SCALE);
    let header = format!("<svg width=\"{w}\" height=\"{h}\"");
    let sized = format!("<svg width=\"{width}pt\" height=\"{height}pt\"");
    if !buf.starts_with(&header) {
        return Err(anyhow!("グラフを描けません: plotters の SVG の形が想定と違います"));
    }
    Ok(Chart { svg: buf.replacen(&header, &sized, 1), width, height, labels })
}

/// A small box saying there is nothing to draw.
pub(super) fn no_data(width: f64, hidden: bool) -> Result<Chart> {
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
pub(super) fn length(value: f64, min: f64, default: f64) -> f64 {
    if value.is_finite() { value.max(min) } else { default }
}

/// One decimal, as the reports print scores.
pub(super) fn fmt1(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" { "0.0".to_string() } else { s }
}

pub(super) fn fmt_tick(v: f64, step: f64) -> String {
    if (step - step.round()).abs() < 1e-9 { format!("{v:.0}") } else { format!("{v:.1}") }
}

/// Picks a tick step so that ticks are at least `min_gap` points apart.
pub(super) fn tick_step(span: f64, length: f64, min_gap: f64) -> f64 {
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

pub(super) fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let first = (lo / step).ceil() as i64;
    let last = ((hi + step * 1e-9) / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// Returns `range`, widened to hold every value, in whole tens.
pub(super) fn fit_range(range: (f64, f64), values: impl Iterator<Item = f64>) -> (f64, f64) {
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
pub(super) fn fit_text(text: &str, max_width: f64, font: Font) -> (String, Font) {
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

pub(super) fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let channel = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
}

pub(super) fn luminance(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.040_45 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// Dark or white text, whichever contrasts more with `background`.
pub(super) fn text_on(background: RGBColor) -> RGBColor {
    let l = luminance(background);
    let with_white = 1.05 / (l + 0.05);
    let with_dark = (l + 0.05) / (luminance(TEXT) + 0.05);
    if with_white > with_dark { WHITE } else { TEXT }
}

/// The diverging heatmap colour of `t` in −1 … 1 (clamped): orange, near
/// white, blue.
pub(super) fn diverging(t: f64) -> RGBColor {
    let t = if t.is_finite() { t.clamp(-1.0, 1.0) } else { 0.0 };
    if t >= 0.0 { mix(HEAT_MID, HEAT_HIGH, t) } else { mix(HEAT_MID, HEAT_LOW, -t) }
}

/// Whether a chart has no number to draw, and whether that is because of
/// confidentiality.
pub(super) fn nothing_to_draw(cells: impl Iterator<Item = Cell>) -> Option<bool> {
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
pub(super) enum Swatch {
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

pub(super) const SWATCH_WIDTH: f64 = 16.0;
pub(super) const LEGEND_LINE: f64 = 13.0;

/// Lays out legend items left to right, wrapping at `width`; returns each
/// item's position (x, line) and the number of lines.
pub(super) fn legend_layout(items: &[(Swatch, String)], width: f64) -> (Vec<(f64, usize)>, usize) {
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

pub(super) fn legend_height(items: &[(Swatch, String)], width: f64) -> f64 {
    legend_layout(items, width).1 as f64 * LEGEND_LINE
}

pub(super) fn draw_legend(c: &Canvas, items: &[(Swatch, String)], x0: f64, y0: f64, width: f64) -> Result<()> {
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
pub(super) enum Marker {
    Circle,
    Square,
    TriangleUp,
    TriangleDown,
}

pub(super) const MARKERS: [Marker; 4] = [Marker::Circle, Marker::Square, Marker::TriangleUp, Marker::TriangleDown];

pub(super) fn draw_marker(c: &Canvas, marker: Marker, x: f64, y: f64, color: RGBColor) -> Result<()> {
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

pub(super) fn diamond(c: &Canvas, x: f64, y: f64, r: f64, color: RGBColor) -> Result<()> {
    c.polygon(&[(x, y - r - 0.75), (x + r + 0.75, y), (x, y + r + 0.75), (x - r - 0.75, y)], WHITE)?;
    c.polygon(&[(x, y - r), (x + r, y), (x, y + r), (x - r, y)], color)
}

/// The horizontal layout of a bar chart: names at the left, bars in the
/// middle, number columns at the right.
pub(super) struct BarFrame {
    pub(super) label_x: f64,
    pub(super) label_w: f64,
    pub(super) plot_x0: f64,
    pub(super) plot_x1: f64,
    /// Right edges of the number columns.
    pub(super) columns: Vec<f64>,
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) step: f64,
}

impl BarFrame {
    /// `labels` are (text, indent, bold); `column_texts` hold every text of
    /// each number column, its header included.
    pub(super) fn new(
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

    pub(super) fn x_of(&self, v: f64) -> f64 {
        self.plot_x0 + (v.clamp(self.lo, self.hi) - self.lo) / (self.hi - self.lo) * (self.plot_x1 - self.plot_x0)
    }

    /// Draws the vertical gridlines from `y0` to `y1` and their labels above `y0`.
    pub(super) fn grid(&self, c: &Canvas, y0: f64, y1: f64, unit: &str) -> Result<()> {
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
    pub(super) fn label(&self, c: &Canvas, text: &str, indent: u8, bold: bool, center_y: f64, size: f64) -> Result<()> {
        let indent_w = f64::from(indent) * 8.0;
        let font = Font::new(size, TEXT).bold(bold);
        let (text, font) = fit_text(text, self.label_w - indent_w, font);
        // Indented names are left-aligned so the tree shows; others too, for
        // a calm column.
        c.text_mid(&text, self.label_x + indent_w, center_y, font, Anchor::Start)
    }

    /// Draws a withheld or missing value in place of a bar.
    pub(super) fn placeholder(&self, c: &Canvas, cell: Cell, y0: f64, y1: f64) -> Result<()> {
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

pub(super) fn value_text(cell: Cell, unit: &str) -> String {
    match cell {
        Cell::Hidden => HIDDEN_LABEL.to_string(),
        _ => cell.value().map_or_else(|| EMPTY_LABEL.to_string(), |v| format!("{}{unit}", fmt1(v))),
    }
}

/// Room above the tick labels for a reference line's label.
pub(super) const REFERENCE_ROOM: f64 = 11.0;

/// Draws a dashed reference line over the bars, from `y0` to `y1`, with its
/// label above the tick labels.
pub(super) fn reference_line(c: &Canvas, frame: &BarFrame, reference: &Reference, y0: f64, y1: f64) -> Result<()> {
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
