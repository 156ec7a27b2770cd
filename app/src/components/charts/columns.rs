//! Vertical grouped columns over time (e.g. requests started and answered per month).

use super::{colour, pattern_fill, PatternDefs};
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub key: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// e.g. "2025-03"
    pub label: String,
    /// one value per series
    pub values: Vec<i64>,
    /// the requests behind the column
    pub href: String,
}

/// An event marked on the chart: a numbered line through its month's column (the
/// events themselves are listed, numbered, beside the chart).
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// the column's label, e.g. "2025-03"
    pub column: String,
    pub number: usize,
    pub title: String,
}

/// The id prefix of this chart's patterns.
const PATTERNS: &str = "columns-pattern";
const W: f64 = 860.0;
const H: f64 = 220.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 34.0;
const TOP: f64 = 10.0;

#[component]
pub fn Columns(
    columns: Vec<Column>,
    series: Vec<Series>,
    #[prop(into)] title: String,
    #[prop(optional)] marks: Vec<Mark>,
) -> impl IntoView {
    let max = columns.iter().flat_map(|c| c.values.iter().copied()).max().unwrap_or(0).max(1);
    let n = columns.len().max(1) as f64;
    let slot = (W - LEFT - 10.0) / n;
    let bar = (slot * 0.8 / series.len().max(1) as f64).max(1.0);
    let plot_h = H - TOP - BOTTOM;
    let y_of = |v: i64| TOP + plot_h - plot_h * v as f64 / max as f64;
    let every = ((columns.len() as f64) / 12.0).ceil().max(1.0) as usize;
    let ticks = [0, max / 2, max]
        .into_iter()
        .map(|t| {
            view! {
                <line x1=LEFT x2=W - 10.0 y1=y_of(t) y2=y_of(t) class="grid"/>
                <text x=LEFT - 4.0 y=y_of(t) + 4.0 text-anchor="end" class="axis">{t}</text>
            }
        })
        .collect_view();
    let body = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let x0 = LEFT + slot * i as f64 + slot * 0.1;
            let bars = c
                .values
                .iter()
                .zip(series.iter())
                .enumerate()
                .map(|(k, (v, s))| {
                    let tip = format!("{} — {}: {}", c.label, s.label, v);
                    view! {
                        <rect x=format!("{:.2}", x0 + bar * k as f64) y=format!("{:.2}", y_of(*v)) width=format!("{bar:.2}")
                            height=format!("{:.2}", (TOP + plot_h - y_of(*v)).max(0.0)) fill=colour(s.key)
                            data-key=s.key data-value=*v>
                            <title>{tip}</title>
                        </rect>
                        {pattern_fill(PATTERNS, s.key).map(|f| view! {
                            <rect x=format!("{:.2}", x0 + bar * k as f64) y=format!("{:.2}", y_of(*v)) width=format!("{bar:.2}")
                                height=format!("{:.2}", (TOP + plot_h - y_of(*v)).max(0.0)) fill=f class="pattern" pointer-events="none"/>
                        })}
                    }
                })
                .collect_view();
            let label = (i % every == 0).then(|| {
                view! { <text x=x0 + slot * 0.4 y=H - BOTTOM + 14.0 text-anchor="middle" class="axis">{c.label.clone()}</text> }
            });
            view! { <a href=c.href.clone() class="column" data-label=c.label.clone()>{bars}{label}</a> }
        })
        .collect_view();
    let mut seen: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let marks = marks
        .into_iter()
        .filter_map(|m| {
            let i = columns.iter().position(|c| c.label == m.column)?;
            // several events of one month stand side by side
            let k = { let n = seen.entry(i).or_default(); *n += 1; *n - 1 };
            let x = LEFT + slot * i as f64 + slot * 0.5;
            let tip = format!("{}. {}", m.number, m.title);
            Some(view! {
                <g class="event-mark" data-event=m.number data-column=m.column.clone()>
                    <title>{tip}</title>
                    <line x1=format!("{x:.2}") x2=format!("{x:.2}") y1=TOP y2=TOP + plot_h class="event-line"/>
                    <circle cx=format!("{:.2}", x + 13.0 * k as f64) cy=TOP + 7.0 r="7" class="event-dot"/>
                    <text x=format!("{:.2}", x + 13.0 * k as f64) y=TOP + 10.5 text-anchor="middle" class="event-number">{m.number}</text>
                </g>
            })
        })
        .collect_view();
    let aria = title.clone();
    view! {
        <svg class="chart columns" viewBox=format!("0 0 {W} {H}") width="100%" role="group" aria-label=aria
            xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="11">
            <title>{title}</title>
            <PatternDefs prefix=PATTERNS/>
            {ticks}
            {body}
            {marks}
        </svg>
    }
}
