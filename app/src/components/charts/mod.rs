//! Hand-written SVG charts: they render the same on the server and after hydration and
//! need no script library. Every mark has a text tooltip (<title>) and a link to the
//! requests behind it; colour is backed by labels and a table of the same numbers.

pub mod columns;
pub mod download;
pub mod scatter;
pub mod stacked_bars;
pub mod world_map;
mod world_shapes;

pub use columns::{Column, Columns, Series};
pub use download::SvgDownload;
pub use scatter::{Point, Scatter};
pub use stacked_bars::{Segment, StackedBars, StackedRow};
pub use world_map::{MapCountry, WorldMap};

/// The segment palette (Okabe–Ito, readable with colour-blindness), in stacking order.
pub const PALETTE: &[(&str, &str)] = &[
    ("fulfilled", "#009e73"),
    ("partially_fulfilled", "#56b4e9"),
    ("refused", "#d55e00"),
    ("suspended", "#cc79a7"),
    ("in_time", "#0072b2"),
    ("overdue", "#e69f00"),
    ("withdrawn", "#999999"),
    ("started", "#0072b2"),
    ("answered", "#009e73"),
];

pub fn colour(key: &str) -> &'static str {
    PALETTE.iter().find(|(k, _)| *k == key).map(|(_, c)| *c).unwrap_or("#777777")
}
