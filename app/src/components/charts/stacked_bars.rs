//! Horizontal stacked bars, one row per key (e.g. a country).

use super::{colour, pattern_fill, PatternDefs};
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
/// The id prefix of this chart's patterns.
const PATTERNS: &str = "bars-pattern";
/// About how many characters of 12 px text fit in the label column.
const LABEL_CHARS: usize = 21;

/// A row label cut to the label column, with "…" when cut (the full name is its tooltip).
fn fit_label(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_string()
    } else {
        let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}
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
                    let tip =
                        crate::tr!(charts.segment_tip, row = row.label.clone(), segment = s.label, n = s.value, total = total)
                            .to_string();
                    view! {
                        <a href=s.href.clone() class="segment" data-key=s.key data-value=s.value>
                            <rect x=format!("{rect_x:.2}") y=format!("{:.2}", y + (ROW_H - BAR_H) / 2.0)
                                width=format!("{:.2}", w.max(0.5)) height=BAR_H fill=colour(s.key)>
                                <title>{tip}</title>
                            </rect>
                            {pattern_fill(PATTERNS, s.key).map(|f| view! {
                                <rect x=format!("{rect_x:.2}") y=format!("{:.2}", y + (ROW_H - BAR_H) / 2.0)
                                    width=format!("{:.2}", w.max(0.5)) height=BAR_H fill=f class="pattern" pointer-events="none"/>
                            })}
                        </a>
                    }
                })
                .collect_view();
            view! {
                <g class="bar-row" data-label=row.label.clone() data-total=total>
                    <a href=row.href.clone()>
                        <text x=LABEL_W - 6.0 y=y + ROW_H / 2.0 + 4.0 text-anchor="end" class="bar-label">
                            {fit_label(&row.label)}<title>{row.label.clone()}</title>
                        </text>
                    </a>
                    {rects}
                    <text x=x + 6.0 y=y + ROW_H / 2.0 + 4.0 class="bar-note">{row.note.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let aria = title.clone();
    view! {
        <svg class="chart stacked-bars" viewBox=format!("0 0 {width} {height}") width="100%" role="group"
            aria-label=aria xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12">
            <title>{title}</title>
            <PatternDefs prefix=PATTERNS/>
            {body}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::fit_label;

    #[test]
    fn long_labels_are_cut() {
        assert_eq!(fit_label("Germany"), "Germany");
        assert_eq!(fit_label("Китайская Народная Республика"), "Китайская Народная Р…");
        assert_eq!(fit_label("Китайская Народная Республика").chars().count(), 21);
    }
}
