//! Charts for the reports: shapes drawn with plotters as SVG, text as labels
//! that the Typst templates set over the SVG (`chart-image` in style.typ).
//!
//! Every chart takes a plain data struct and returns a [`Chart`]; the same
//! input always gives the same bytes. Sizes are in points and the SVG
//! carries them (`width="481.89pt"`), so a chart placed at its natural size
//! prints its text at the sizes chosen here; [`TEXT_WIDTH`] is the text width
//! of an A4 page in the house style (report-templates/style.typ).
//!
//! Text is not in the SVG: each [`Label`] (text, anchor point, baseline,
//! size, weight, colour) is set by Typst in the house font, BIZ UDPGothic,
//! so it stays selectable in the PDF and costs no SVG text layout. Widths for layout (label columns, legends) are
//! measured with the same font through plotters' ab_glyph backend
//! ([`text_width`]). A value is a [`Cell`]: a number, a group withheld for
//! confidentiality (drawn grey and labelled 非表示, never with a number) or
//! nothing. A chart with no numbers at all comes out as a small box that
//! says so (データなし).
//!
//! The style is meant for print: white background, thin light grid, a muted
//! palette whose first colours (blue, orange) stay apart for colour-blind
//! readers and in greyscale, numbers printed beside bars rather than on them.

mod bars;
mod canvas;
mod grouped;
mod heatmap;
mod portfolio;
mod rates;
mod shares;
mod trend;

pub use bars::{CategoryBar, CategoryBars, category_bars};
pub use canvas::{
    Anchor, Cell, Chart, FONT_FAMILY, HEAT_HIGH_NAME, HEAT_LOW_NAME, Label, Reference, TEXT_WIDTH, text_width,
};
pub use grouped::{BarGroup, GroupedBars, SeriesColors, grouped_bars};
pub use heatmap::{HeatCenter, HeatScale, Heatmap, HeatmapRow, heatmap};
pub use portfolio::{Portfolio, PortfolioPoint, portfolio};
pub use rates::{RateBars, RateRow, rate_bars};
pub use shares::{ShareBars, ShareRow, Shares, share_bars};
pub use trend::{TargetMark, TrendChart, TrendSeries, trend_lines};

#[cfg(test)]
mod tests;
