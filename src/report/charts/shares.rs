//! 100% stacked bars of favorable / neutral / unfavorable answers (chart e).

use anyhow::Result;

use super::canvas::*;

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

/// Draws 100% stacked bars of favorable / neutral / unfavorable answers (chart e).
pub fn share_bars(chart: &ShareBars) -> Result<Chart> {
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
pub(super) fn normalise(shares: Shares) -> Option<[f64; 3]> {
    let Shares::Values { favorable, neutral, unfavorable } = shares else { return None };
    let parts = [favorable, neutral, unfavorable].map(|v| if v.is_finite() && v > 0.0 { v } else { 0.0 });
    let sum: f64 = parts.iter().sum();
    if sum <= 0.0 {
        return None;
    }
    Some(parts.map(|v| v / sum * 100.0))
}
