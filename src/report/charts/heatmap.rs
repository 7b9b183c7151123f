//! A table of coloured cells, departments × categories (chart c).

use anyhow::Result;

use super::canvas::*;

/// A row of a [`Heatmap`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HeatmapRow {
    /// Row name, e.g. a department.
    pub label: String,
    /// Indentation level of the name (0 for a 部, 1 for its 課).
    pub indent: u8,
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// Per cell, whether its difference is marked as real (framed); a row
    /// without marks (e.g. the whole city) is drawn at full colour.
    pub marks: Vec<bool>,
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
    /// When set, unmarked cells of rows that have marks are drawn pale, and
    /// the legend explains the frame of a marked cell with this text.
    pub marked: Option<String>,
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
        HeatScale { center: HeatCenter::Value(60.0), span: 10.0, label: String::new(), marked: None }
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

pub(super) const HEATMAP_HEADER_LINE: f64 = 9.0;
/// How much of its colour an unmarked cell keeps.
const PALE: f64 = crate::palette::HEAT_PALE;
/// The legend's words for a pale cell.
const PALE_LABEL: &str = "薄い色：差は偶然の範囲と考えられるもの";
/// The legend's extra line when cells are marked.
const MARKED_LINE: f64 = 12.0;
pub(super) const HEATMAP_LEGEND: f64 = 34.0;

impl Heatmap {
    /// Returns the chart's height in points for `rows` rows.
    pub fn height_for(&self, rows: usize) -> f64 {
        self.header_height() + self.row_height.max(6.0) * rows as f64 + self.legend_height()
    }

    fn legend_height(&self) -> f64 {
        HEATMAP_LEGEND + if self.scale.marked.is_some() { MARKED_LINE } else { 0.0 }
    }

    /// Returns how many rows fit into `height` points, so a caller can split
    /// a long table over pages.
    pub fn rows_fitting(&self, height: f64) -> usize {
        let room = height - self.header_height() - self.legend_height();
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
pub fn heatmap(chart: &Heatmap) -> Result<Chart> {
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
                        let marked = row.marks.get(j).copied().unwrap_or(false);
                        let pale = chart.scale.marked.is_some() && !row.marks.is_empty() && !marked;
                        let full = chart.scale.color(v, j);
                        let fill = if pale { mix(HEAT_MID, full, PALE) } else { full };
                        c.rect(cx0, cy0, cx1, cy1, fill)?;
                        if marked {
                            c.frame(cx0 + 0.6, cy0 + 0.6, cx1 - 0.6, cy1 - 0.6, TEXT, 1.0)?;
                        }
                        let font = Font::new(value_size, text_on(fill)).bold(row.emphasis || marked);
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
pub(super) fn heat_legend(c: &Canvas, scale: &HeatScale, y: f64, width: f64, hidden: bool, empty: bool) -> Result<()> {
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
    // Marked differences: a framed cell; the rest pale.
    if let Some(text) = &scale.marked {
        let third = second + 12.0;
        let strong = mix(HEAT_MID, HEAT_HIGH, 0.8);
        c.rect(bar_x0, third, bar_x0 + 16.0, third + 8.0, strong)?;
        c.frame(bar_x0 + 0.6, third + 0.6, bar_x0 + 15.4, third + 7.4, TEXT, 1.0)?;
        c.text_mid(text, bar_x0 + 20.0, third + 4.0, font, Anchor::Start)?;
        let x = bar_x0 + 20.0 + font.width(text) + 14.0;
        c.rect(x, third, x + 16.0, third + 8.0, mix(HEAT_MID, strong, PALE))?;
        c.text_mid(PALE_LABEL, x + 20.0, third + 4.0, font, Anchor::Start)?;
    }
    Ok(())
}
