//! Horizontal stacked bars, one row per key (e.g. a country).

use super::colour;
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub key: &'static str,
    pub label: &'static str,
    pub value: i64,
    pub href: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StackedRow {
    pub label: String,
    pub href: String,
    pub segments: Vec<Segment>,
    /// shown at the end of the bar, e.g. "40 · 62.5 %"
    pub note: String,
}

const LABEL_W: f64 = 150.0;
const BAR_W: f64 = 520.0;
const NOTE_W: f64 = 150.0;
const ROW_H: f64 = 24.0;
const BAR_H: f64 = 16.0;

#[component]
pub fn StackedBars(rows: Vec<StackedRow>, #[prop(into)] title: String) -> impl IntoView {
    let max = rows.iter().map(|r| r.segments.iter().map(|s| s.value).sum::<i64>()).max().unwrap_or(0).max(1) as f64;
    let height = ROW_H * rows.len() as f64 + 8.0;
    let width = LABEL_W + BAR_W + NOTE_W;
    let body = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let y = 4.0 + ROW_H * i as f64;
            let total: i64 = row.segments.iter().map(|s| s.value).sum();
            let mut x = LABEL_W;
            let rects = row
                .segments
                .iter()
                .filter(|s| s.value > 0)
                .map(|s| {
                    let w = BAR_W * s.value as f64 / max;
                    let rect_x = x;
                    x += w;
                    let tip = crate::tr!(charts.segment_tip, row = row.label.clone(), segment = s.label, n = s.value, total = total).to_string();
                    view! {
                        <a href=s.href.clone() class="segment" data-key=s.key data-value=s.value>
                            <rect x=format!("{rect_x:.2}") y=format!("{:.2}", y + (ROW_H - BAR_H) / 2.0)
                                width=format!("{:.2}", w.max(0.5)) height=BAR_H fill=colour(s.key)>
                                <title>{tip}</title>
                            </rect>
                        </a>
                    }
                })
                .collect_view();
            view! {
                <g class="bar-row" data-label=row.label.clone() data-total=total>
                    <a href=row.href.clone()>
                        <text x=LABEL_W - 6.0 y=y + ROW_H / 2.0 + 4.0 text-anchor="end" class="bar-label">{row.label.clone()}</text>
                    </a>
                    {rects}
                    <text x=x + 6.0 y=y + ROW_H / 2.0 + 4.0 class="bar-note">{row.note.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let aria = title.clone();
    view! {
        <svg class="chart stacked-bars" viewBox=format!("0 0 {width} {height}") width="100%" role="img"
            aria-label=aria xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12">
            <title>{title}</title>
            {body}
        </svg>
    }
}
