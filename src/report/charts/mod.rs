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

mod bars;
mod canvas;
mod grouped;
mod heatmap;
mod portfolio;
mod rates;
mod shares;
mod trend;

pub use bars::{CategoryBar, CategoryBars, category_bars};
pub use canvas::{Cell, FONT_FAMILY, HEAT_HIGH_NAME, HEAT_LOW_NAME, Reference, TEXT_WIDTH, text_width};
pub use grouped::{BarGroup, GroupedBars, SeriesColors, grouped_bars};
pub use heatmap::{HeatCenter, HeatScale, Heatmap, HeatmapRow, heatmap};
pub use portfolio::{Portfolio, PortfolioPoint, portfolio};
pub use rates::{RateBars, RateRow, rate_bars};
pub use shares::{ShareBars, ShareRow, Shares, share_bars};
pub use trend::{TargetMark, TrendChart, TrendSeries, trend_lines};

#[cfg(test)]
mod tests;
