//! Simple horizontal bars, e.g. response rate by department (chart f).

use anyhow::Result;

use super::canvas::*;

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
    /// Whether the values are counts, printed without decimals (people, not rates).
    pub counts: bool,
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
            counts: false,
            width: TEXT_WIDTH,
        }
    }
}

// ---------------------------------------------------------------------------
// Text measurement

/// Draws simple horizontal bars, e.g. response rate by department (chart f).
pub fn rate_bars(chart: &RateBars) -> Result<Chart> {
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
    let text_of = |cell: Cell| match cell.value() {
        Some(v) if chart.counts => format!("{v:.0}{}", chart.unit),
        _ => value_text(cell, &chart.unit),
    };
    let column_texts = vec![chart.rows.iter().map(|r| text_of(r.value)).collect()];
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
            c.text_mid(&text_of(row.value), frame.columns[0], (y0 + y1) / 2.0, font, Anchor::End)?;
        }
        if let Some(reference) = &chart.reference {
            reference_line(c, &frame, reference, top, height - 4.0)?;
        }
        Ok(())
    })
}
