//! The portfolio (重要度 × 満足度): each category placed by its score (x) and
//! its importance for the outcome questions (y), with the importance's 95 %
//! interval as a vertical whisker and the equal share (100 % / categories)
//! as a dashed line. Whether a category is 重点改善 is not a matter of where
//! its point falls (DESIGN §10: its whole interval above the line, its score
//! below its comparison), so the 重点改善 categories are drawn in their own
//! colour with their names in bold, and the band above the line is tinted
//! lightly: a whisker wholly inside it is clearly important.

use anyhow::Result;

use super::canvas::*;

/// One category of a [`Portfolio`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PortfolioPoint {
    /// Category name.
    pub label: String,
    /// Its score (0–100).
    pub score: f64,
    /// Its importance: share of R², in %.
    pub importance: f64,
    /// The importance's 95 % interval.
    pub interval: (f64, f64),
    /// 重点改善 (drawn in its colour, name in bold).
    pub priority: bool,
}

/// A portfolio chart: points, the equal share, and the names of its line and mark.
#[derive(Debug, Clone, PartialEq)]
pub struct Portfolio {
    /// The categories.
    pub points: Vec<PortfolioPoint>,
    /// The equal share (the horizontal line: 100 % / categories).
    pub mean_importance: f64,
    /// The line's name, `均等（12.5%）`.
    pub line_label: String,
    /// The name of the priority colour in the legend, `重点改善`.
    pub priority_label: String,
    /// Width in points.
    pub width: f64,
    /// Height in points.
    pub height: f64,
}

impl Default for Portfolio {
    fn default() -> Portfolio {
        Portfolio {
            points: Vec::new(),
            mean_importance: f64::NAN,
            line_label: String::new(),
            priority_label: String::new(),
            width: TEXT_WIDTH,
            height: 260.0,
        }
    }
}

/// Where a name may stand beside its point (offset of its near edge and
/// centre line, in points), in the order tried.
const PLACES: [(f64, f64); 12] = [
    (5.0, 0.0),
    (-5.0, 0.0),
    (6.0, -10.0),
    (6.0, 10.0),
    (-6.0, -10.0),
    (-6.0, 10.0),
    (8.0, -20.0),
    (8.0, 20.0),
    (-8.0, -20.0),
    (-8.0, 20.0),
    (10.0, 30.0),
    (10.0, -30.0),
];

/// A box on the chart, for keeping names apart.
#[derive(Debug, Clone, Copy)]
struct Area {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Area {
    fn around(x: f64, y: f64, rx: f64, ry: f64) -> Area {
        Area { x0: x - rx, x1: x + rx, y0: y - ry, y1: y + ry }
    }

    fn overlaps(&self, other: &Area) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

/// The colour of the 重点改善 points and names, and of the band's tint.
const PRIORITY: RGBColor = RGBColor(0xD9, 0x82, 0x2B);

/// Draws the portfolio.
pub fn portfolio(chart: &Portfolio) -> Result<Chart> {
    let finite = |p: &&PortfolioPoint| p.score.is_finite() && p.importance.is_finite();
    let points: Vec<&PortfolioPoint> = chart.points.iter().filter(finite).collect();
    if points.is_empty() || !chart.mean_importance.is_finite() {
        return no_data(chart.width, false);
    }
    let width = length(chart.width, 240.0, TEXT_WIDTH);
    let height = length(chart.height, 160.0, 260.0);
    let (left, right, top, bottom) = (30.0, 12.0, 16.0, 30.0);
    let (x0, x1, y0, y1) = (left, width - right, top, height - bottom);

    // Scores: a little room around the points; importance: from 0 to the top whisker.
    let scores = points.iter().map(|p| p.score);
    let (s_lo, s_hi) = scores.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    // Whole-number ticks, so no tick reads like a score or an importance.
    let wanted = tick_step((s_hi - s_lo).max(4.0) + 4.0, x1 - x0, 40.0);
    let s_step = [1.0, 2.0, 5.0, 10.0, 20.0].into_iter().find(|&s| s >= wanted).unwrap_or(20.0);
    let (s_lo, s_hi) = (((s_lo - 2.0) / s_step).floor() * s_step, ((s_hi + 2.0) / s_step).ceil() * s_step);
    let top_value = points.iter().map(|p| p.interval.1.max(p.importance)).fold(chart.mean_importance, f64::max);
    let wanted = tick_step(top_value + 2.0, y1 - y0, 24.0);
    let i_step = [1.0, 2.0, 5.0, 10.0, 20.0].into_iter().find(|&s| s >= wanted).unwrap_or(20.0);
    let i_hi = ((top_value + 1.0) / i_step).ceil() * i_step;
    let x_of = |v: f64| x0 + (v - s_lo) / (s_hi - s_lo) * (x1 - x0);
    let y_of = |v: f64| y1 - v.clamp(0.0, i_hi) / i_hi * (y1 - y0);

    svg(width, height, |c| {
        let my = y_of(chart.mean_importance);
        c.rect_alpha(x0, y0, x1, my, PRIORITY, 0.06)?;
        let tick_font = Font::new(SIZE_TICK, MUTED);
        for v in ticks(s_lo, s_hi, s_step) {
            c.line(&[(x_of(v), y0), (x_of(v), y1)], GRID, 0.5)?;
            c.text(&fmt_tick(v, s_step), x_of(v), y1 + 10.0, tick_font, Anchor::Middle)?;
        }
        for v in ticks(0.0, i_hi, i_step) {
            c.line(&[(x0, y_of(v)), (x1, y_of(v))], GRID, 0.5)?;
            c.text_mid(&fmt_tick(v, i_step), x0 - 4.0, y_of(v), tick_font, Anchor::End)?;
        }
        c.frame(x0, y0, x1, y1, AXIS, 0.6)?;
        c.dashed(&[(x0, my), (x1, my)], TRAJECTORY, 0.8, 3.0, 2.0)?;
        let axis_font = Font::new(SIZE_LABEL, TEXT);
        c.text("点数（満足度）→ 高い", (x0 + x1) / 2.0, height - 4.0, axis_font, Anchor::Middle)?;
        // The dashed line is named beside the axis title, outside the plot, so no point hides it.
        let title = format!("↑ 重要度（%）　破線：{}", chart.line_label);
        let title_font = Font::new(SIZE_SMALL, MUTED);
        c.text(&title, x0 - 4.0, y0 - 5.0, title_font, Anchor::Start)?;

        // The legend of the priority colour, when some category has it: at the
        // end of the title's line, outside the plot, where it cannot be taken
        // for a point; inside the plot's top corner (names keep clear of it)
        // when the chart is too narrow for both on one line.
        let mut taken: Vec<Area> = Vec::new();
        if points.iter().any(|p| p.priority) {
            let font = Font::new(SIZE_SMALL, PRIORITY).bold(true);
            let w = font.width(&chart.priority_label);
            let outside = x0 - 4.0 + title_font.width(&title) + 12.0 <= x1 - 14.0 - w;
            let y = if outside { y0 - 7.5 } else { y0 + 8.0 };
            draw_marker(c, Marker::Circle, x1 - 10.0 - w, y, PRIORITY)?;
            c.text_mid(&chart.priority_label, x1 - 4.0 - w, y, font, Anchor::Start)?;
            if !outside {
                taken.push(Area { x0: x1 - 14.0 - w, x1: x1 - 2.0, y0: y0 + 2.0, y1: y0 + 14.0 });
            }
        }

        // Whiskers first, then points and names on top.
        for p in &points {
            let x = x_of(p.score);
            let (lo, hi) = (y_of(p.interval.0), y_of(p.interval.1));
            c.line(&[(x, lo), (x, hi)], SERIES[4], 1.0)?;
            c.line(&[(x - 2.5, lo), (x + 2.5, lo)], SERIES[4], 1.0)?;
            c.line(&[(x - 2.5, hi), (x + 2.5, hi)], SERIES[4], 1.0)?;
        }
        let label_font = Font::new(SIZE_LABEL, TEXT);
        // Every marker is an obstacle for the names; each name takes the first
        // free place around its point, with a leader line when it is off to a side.
        let markers: Vec<Area> =
            points.iter().map(|p| Area::around(x_of(p.score), y_of(p.importance), 3.5, 3.5)).collect();
        for p in &points {
            let (x, y) = (x_of(p.score), y_of(p.importance));
            draw_marker(c, Marker::Circle, x, y, if p.priority { PRIORITY } else { SERIES[0] })?;
            let font = label_font.bold(p.priority);
            let w = font.width(&p.label);
            let fits = |a: &Area| a.x0 >= x0 + 1.0 && a.x1 <= x1 - 1.0 && a.y0 >= y0 + 1.0 && a.y1 <= y1 - 1.0;
            let place = PLACES
                .iter()
                .map(|&(dx, dy)| {
                    let lx = if dx > 0.0 { x + dx } else { x + dx - w };
                    (Area { x0: lx, x1: lx + w, y0: y + dy - 4.5, y1: y + dy + 4.5 }, dy)
                })
                .find(|(a, _)| fits(a) && !taken.iter().chain(&markers).any(|b| a.overlaps(b)))
                .unwrap_or((Area { x0: x + 5.0, x1: x + 5.0 + w, y0: y - 4.5, y1: y + 4.5 }, 0.0));
            let (area, dy) = place;
            if dy != 0.0 {
                let edge = if area.x0 > x { area.x0 - 1.0 } else { area.x1 + 1.0 };
                c.line(&[(x, y), (edge, y + dy)], FAINT, 0.5)?;
            }
            c.text_mid(&p.label, area.x0, y + dy, font, Anchor::Start)?;
            taken.push(area);
        }
        Ok(())
    })
}
