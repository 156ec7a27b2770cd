//! A scatter of two rates (0–100 %), one point per key, with the diagonal of equality.

use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub href: String,
    pub tip: String,
}

const S: f64 = 320.0;
const PAD: f64 = 40.0;

#[component]
pub fn Scatter(points: Vec<Point>, #[prop(into)] title: String, x_label: &'static str, y_label: &'static str) -> impl IntoView {
    let px = |v: f64| PAD + (S - PAD - 10.0) * v;
    let py = |v: f64| S - PAD - (S - PAD - 10.0) * v;
    let ticks = [0.0, 0.5, 1.0]
        .into_iter()
        .map(|t| {
            let label = format!("{:.0} %", t * 100.0);
            view! {
                <line x1=px(t) x2=px(t) y1=py(0.0) y2=py(1.0) class="grid"/>
                <line x1=px(0.0) x2=px(1.0) y1=py(t) y2=py(t) class="grid"/>
                <text x=px(t) y=S - PAD + 14.0 text-anchor="middle" class="axis">{label.clone()}</text>
                <text x=PAD - 4.0 y=py(t) + 4.0 text-anchor="end" class="axis">{label}</text>
            }
        })
        .collect_view();
    let dots = points
        .into_iter()
        .map(|p| {
            let name = p.label.clone();
            view! {
                <a href=p.href class="point" data-label=name>
                    <circle cx=format!("{:.2}", px(p.x)) cy=format!("{:.2}", py(p.y)) r="5" fill="#0072b2" fill-opacity="0.75">
                        <title>{p.tip}</title>
                    </circle>
                    <text x=format!("{:.2}", px(p.x) + 7.0) y=format!("{:.2}", py(p.y) + 4.0) class="point-label">{p.label}</text>
                </a>
            }
        })
        .collect_view();
    let aria = title.clone();
    view! {
        <svg class="chart scatter" viewBox=format!("0 0 {S} {S}") width="100%" role="group" aria-label=aria
            xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="11">
            <title>{title}</title>
            {ticks}
            <line x1=px(0.0) y1=py(0.0) x2=px(1.0) y2=py(1.0) class="diagonal"/>
            <text x=px(0.5) y=S - 6.0 text-anchor="middle" class="axis-title">{x_label}</text>
            <text x=12.0 y=py(0.5) text-anchor="middle" class="axis-title" transform=format!("rotate(-90 12 {})", py(0.5))>{y_label}</text>
            {dots}
        </svg>
    }
}
