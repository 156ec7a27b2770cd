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

use leptos::prelude::*;

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

/// The pattern laid over a colour, so that no segment is told apart by colour alone (a
/// 6 × 6 tile of white strokes): fulfilled stays plain, the others get stripes, a
/// cross-hatch or dots.
pub fn pattern_path(key: &str) -> Option<&'static str> {
    match key {
        "partially_fulfilled" | "answered" => Some("M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2"),
        "refused" => Some("M0,0 L6,6 M6,0 L0,6"),
        "suspended" => Some("M0,3 H6"),
        "in_time" => Some("M2,3 a1,1 0 1,0 2,0 a1,1 0 1,0 -2,0"),
        "overdue" => Some("M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2"),
        "withdrawn" => Some("M3,0 V6"),
        _ => None,
    }
}

/// The fill that draws a key's pattern, when it has one (`PatternDefs` with this prefix
/// must be in the same SVG).
pub fn pattern_fill(prefix: &str, key: &str) -> Option<String> {
    pattern_path(key).map(|_| format!("url(#{prefix}-{key})"))
}

/// The `<defs>` of the patterns of every key of the palette, ids `{prefix}-{key}`.
#[component]
pub fn PatternDefs(prefix: &'static str) -> impl IntoView {
    view! {
        <defs>
            {PALETTE
                .iter()
                .filter_map(|(key, _)| pattern_path(key).map(|d| (*key, d)))
                .map(|(key, d)| view! {
                    <pattern id=format!("{prefix}-{key}") patternUnits="userSpaceOnUse" width="6" height="6">
                        <path d=d stroke="#ffffff" stroke-opacity="0.8" stroke-width="1.2" fill="none"/>
                    </pattern>
                })
                .collect_view()}
        </defs>
    }
}

/// A legend's sample of a key: its colour and its pattern.
#[component]
pub fn Swatch(key: &'static str) -> impl IntoView {
    let prefix = "swatch";
    view! {
        <svg class="swatch" width="14" height="14" aria-hidden="true">
            {pattern_path(key).map(|d| view! {
                <defs>
                    <pattern id=format!("{prefix}-{key}") patternUnits="userSpaceOnUse" width="6" height="6">
                        <path d=d stroke="#ffffff" stroke-opacity="0.8" stroke-width="1.2" fill="none"/>
                    </pattern>
                </defs>
            })}
            <rect width="14" height="14" rx="2" fill=colour(key)/>
            {pattern_fill(prefix, key).map(|f| view! { <rect width="14" height="14" rx="2" fill=f/> })}
        </svg>
    }
}
