//! A choropleth world map: one rate per country in five classes of a colour-blind-safe
//! sequential palette (light to dark), countries without requests hatched and labelled
//! "no data". Shapes come from `world_shapes` (Natural Earth, prepared at build time).

use super::world_shapes::{HEIGHT, SHAPES, WIDTH};
use leptos::prelude::*;

/// One country's value on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapCountry {
    /// ISO alpha-2
    pub code: String,
    /// 0–1, or `None` when the rate is "—" (no requests in its base)
    pub rate: Option<f64>,
    pub tip: String,
    pub href: String,
}

/// The classes of the map: upper bounds (inclusive of 100 %) and colours, light to dark.
pub const CLASSES: &[(f64, &str, &str)] = &[
    (0.2, "#f7fcb9", "0–20 %"),
    (0.4, "#addd8e", "20–40 %"),
    (0.6, "#41ab5d", "40–60 %"),
    (0.8, "#006837", "60–80 %"),
    (1.01, "#00261a", "80–100 %"),
];

/// The class index of a rate.
pub fn class_of(rate: f64) -> usize {
    CLASSES.iter().position(|(upper, _, _)| rate < *upper).unwrap_or(CLASSES.len() - 1)
}

/// The alpha-2 code of a shape's numeric code ("" when Natural Earth has none).
fn alpha2(numeric: &str) -> Option<&'static str> {
    let n: u32 = numeric.parse().ok()?;
    isocountry::CountryCode::for_id(n).ok().map(|c| c.alpha2())
}

/// The codes of the countries the map can show.
pub fn mapped_codes() -> Vec<&'static str> {
    SHAPES.iter().filter_map(|(id, _, _)| alpha2(id)).collect()
}

#[component]
pub fn WorldMap(countries: Vec<MapCountry>, #[prop(into)] title: String) -> impl IntoView {
    let shapes = SHAPES
        .iter()
        .map(|(id, name, d)| {
            let code = alpha2(id);
            match code.and_then(|c| countries.iter().find(|m| m.code == c)) {
                Some(m) => {
                    let (fill, class) = match m.rate {
                        Some(r) => (CLASSES[class_of(r)].1.to_string(), format!("country class-{}", class_of(r))),
                        None => ("url(#no-rate)".to_string(), "country no-rate".to_string()),
                    };
                    view! {
                        <a href=m.href.clone() data-country=m.code.clone()>
                            <path d=*d fill=fill class=class><title>{m.tip.clone()}</title></path>
                        </a>
                    }
                    .into_any()
                }
                None => {
                    // the ISO name in the page's language; Natural Earth's own for the few places without a code
                    let name = code.map(crate::lang::country).unwrap_or_else(|| name.to_string());
                    let tip = crate::tr!(charts.no_requests_tip, name = name).to_string();
                    view! { <path d=*d fill="url(#no-data)" class="country no-data" data-country=code.unwrap_or("")><title>{tip}</title></path> }
                        .into_any()
                }
            }
        })
        .collect_view();
    let legend = CLASSES
        .iter()
        .enumerate()
        .map(|(i, (_, colour, label))| {
            let x = 20.0 + i as f64 * 92.0;
            view! {
                <rect x=x y=HEIGHT + 14.0 width="18" height="12" fill=*colour stroke="#555" stroke-width="0.5"/>
                <text x=x + 24.0 y=HEIGHT + 24.0 class="axis">{*label}</text>
            }
        })
        .collect_view();
    let aria = title.clone();
    view! {
        <svg class="chart world-map" viewBox=format!("0 0 {WIDTH} {}", HEIGHT + 36.0) width="100%" role="group" aria-label=aria
            xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="11">
            <title>{title}</title>
            <defs>
                <pattern id="no-data" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect width="6" height="6" fill="#f2f2f2"/>
                    <line x1="0" y1="0" x2="0" y2="6" stroke="#c8c8c8" stroke-width="1.5"/>
                </pattern>
                <pattern id="no-rate" width="6" height="6" patternUnits="userSpaceOnUse">
                    <rect width="6" height="6" fill="#ffffff"/>
                    <circle cx="3" cy="3" r="1.2" fill="#888888"/>
                </pattern>
            </defs>
            <g stroke="#ffffff" stroke-width="0.4">{shapes}</g>
            {legend}
            <rect x="480" y=HEIGHT + 14.0 width="18" height="12" fill="url(#no-data)" stroke="#555" stroke-width="0.5"/>
            <text x="504" y=HEIGHT + 24.0 class="axis">{crate::tr!(charts.no_requests)}</text>
            <rect x="600" y=HEIGHT + 14.0 width="18" height="12" fill="url(#no-rate)" stroke="#555" stroke-width="0.5"/>
            <text x="624" y=HEIGHT + 24.0 class="axis">{crate::tr!(charts.no_rate)}</text>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_every_rate() {
        assert_eq!(class_of(0.0), 0);
        assert_eq!(class_of(0.199), 0);
        assert_eq!(class_of(0.2), 1);
        assert_eq!(class_of(0.5), 2);
        assert_eq!(class_of(0.8), 4);
        assert_eq!(class_of(1.0), 4);
    }

    #[test]
    fn shapes_match_iso_codes() {
        let codes = mapped_codes();
        assert!(codes.len() > 160, "{} countries on the map", codes.len());
        for c in ["DE", "RU", "US", "CN", "KZ", "LT", "BY", "FR", "BR", "AU"] {
            assert!(codes.contains(&c), "{c} is on the map");
        }
    }
}
