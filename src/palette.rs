//! The heatmap colours the PDF charts and the Excel workbook share, as
//! `0xRRGGBB`: orange below the city, near white at it, blue above (two hues
//! that stay apart for colour-blind readers), at full colour `HEATMAP_SPAN`
//! points from the city. `report::charts` draws them; `export::xlsx` gives
//! the workbook's 所属別 sheet the same scale.

/// Below the city.
pub const HEAT_LOW: u32 = 0xDC843E;
/// At the city.
pub const HEAT_MID: u32 = 0xF7F7F7;
/// Above the city.
pub const HEAT_HIGH: u32 = 0x4376B0;
/// The difference from the city (points) at which the colours are strongest.
pub const HEATMAP_SPAN: f64 = 8.0;
/// How far towards its full colour a cell whose difference is not marked
/// (not significant) is drawn: pale, so that chance differences do not stand out.
pub const HEAT_PALE: f64 = 0.3;
