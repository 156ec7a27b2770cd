//! Countries: ISO 3166-1 alpha-2 codes (from the `isocountry` crate, not typed by hand),
//! their names (English from `isocountry`, other languages from i18n-iso-countries via
//! `country_names`), and parsing of what a person types or a spreadsheet holds.

use super::country_names;
use isocountry::CountryCode;

/// Common English names that differ from the ISO short name, so that "Russia", "UK" or
/// "Moldova" are understood in the form and in CSV imports.
const ALIASES: &[(&str, &str)] = &[
    ("russia", "RU"),
    ("uk", "GB"),
    ("united kingdom", "GB"),
    ("great britain", "GB"),
    ("britain", "GB"),
    ("usa", "US"),
    ("us", "US"),
    ("united states", "US"),
    ("america", "US"),
    ("moldova", "MD"),
    ("iran", "IR"),
    ("syria", "SY"),
    ("venezuela", "VE"),
    ("bolivia", "BO"),
    ("tanzania", "TZ"),
    ("vietnam", "VN"),
    ("viet nam", "VN"),
    ("laos", "LA"),
    ("south korea", "KR"),
    ("korea", "KR"),
    ("north korea", "KP"),
    ("czech republic", "CZ"),
    ("czechia", "CZ"),
    ("turkey", "TR"),
    ("turkiye", "TR"),
    ("türkiye", "TR"),
    ("netherlands", "NL"),
    ("holland", "NL"),
    ("taiwan", "TW"),
    ("palestine", "PS"),
    ("vatican", "VA"),
    ("macedonia", "MK"),
    ("north macedonia", "MK"),
    ("kyrgyzstan", "KG"),
    ("congo", "CG"),
    ("dr congo", "CD"),
    ("ivory coast", "CI"),
    ("brunei", "BN"),
    ("micronesia", "FM"),
    ("uae", "AE"),
];

/// Shorter display names for the few ISO names that are long in a table.
const SHORT_NAMES: &[(&str, &str)] = &[
    ("GB", "United Kingdom"),
    ("US", "United States"),
    ("RU", "Russia"),
    ("MD", "Moldova"),
    ("IR", "Iran"),
    ("KR", "South Korea"),
    ("KP", "North Korea"),
    ("VE", "Venezuela"),
    ("BO", "Bolivia"),
    ("TZ", "Tanzania"),
    ("SY", "Syria"),
    ("VN", "Viet Nam"),
    ("LA", "Laos"),
    ("CZ", "Czechia"),
    ("TW", "Taiwan"),
    ("NL", "Netherlands"),
    ("MK", "North Macedonia"),
    ("FM", "Micronesia"),
    ("CD", "DR Congo"),
    ("PS", "Palestine"),
    ("BN", "Brunei"),
    ("VA", "Holy See"),
];

/// The English name of a country code, or `None` for a code that is not ISO 3166-1.
pub fn name(code: &str) -> Option<&'static str> {
    let cc = CountryCode::for_alpha2(code).ok()?;
    Some(SHORT_NAMES.iter().find(|(c, _)| *c == cc.alpha2()).map(|(_, n)| *n).unwrap_or_else(|| cc.name()))
}

/// The names of the countries in a language other than English, if the interface has it.
fn table(lang: &str) -> Option<&'static [(&'static str, &'static str, &'static [&'static str])]> {
    match lang {
        "ru" => Some(country_names::RU),
        "be" => Some(country_names::BE),
        _ => None,
    }
}

/// The name of a country code in a language ("en", "ru"); English where the language has
/// no name for it. `None` for a code that is not ISO 3166-1.
pub fn name_in(lang: &str, code: &str) -> Option<&'static str> {
    let english = name(code)?;
    let local = table(lang).and_then(|t| t.binary_search_by(|(c, _, _)| (*c).cmp(code)).ok().map(|i| t[i].1));
    Some(local.unwrap_or(english))
}

/// The name to show for a stored code in a language; falls back to the code itself.
pub fn display_in(lang: &str, code: &str) -> String {
    name_in(lang, code).map(str::to_string).unwrap_or_else(|| code.to_string())
}

/// Every country as (alpha-2 code, name in the language), in that language's order.
pub fn all_in(lang: &str) -> Vec<(&'static str, &'static str)> {
    let mut list: Vec<_> = CountryCode::iter().filter_map(|c| Some((c.alpha2(), name_in(lang, c.alpha2())?))).collect();
    // alphabetical order; ё sorts with е as Russian dictionaries do
    let key = |n: &str| n.to_lowercase().replace('ё', "е");
    list.sort_by_cached_key(|(_, n)| key(n));
    list
}

/// What the country field of the form shows for a code: "Germany (DE)", "Германия (DE)".
pub fn option_label_in(lang: &str, code: &str) -> String {
    match name_in(lang, code) {
        Some(n) => format!("{n} ({code})"),
        None => code.to_string(),
    }
}

/// The name to show for a stored code; falls back to the code itself.
pub fn display(code: &str) -> String {
    name(code).map(str::to_string).unwrap_or_else(|| code.to_string())
}

/// Every country as (alpha-2 code, English name), sorted by name.
pub fn all() -> Vec<(&'static str, &'static str)> {
    let mut list: Vec<_> = CountryCode::iter().map(|c| (c.alpha2(), name(c.alpha2()).unwrap_or(c.name()))).collect();
    list.sort_by(|a, b| a.1.cmp(b.1));
    list
}

/// What the country field of the form shows for a code: "Germany (DE)".
pub fn option_label(code: &str) -> String {
    match name(code) {
        Some(n) => format!("{n} ({code})"),
        None => code.to_string(),
    }
}

/// Understands an alpha-2 code (any case), an English name (ISO or common), or the
/// form's own "Name (CC)" label. Returns the canonical alpha-2 code.
pub fn parse(input: &str) -> Option<&'static str> {
    let text = input.trim();
    if text.is_empty() {
        return None;
    }
    // "Germany (DE)" as offered by the type-ahead
    if let Some(open) = text.rfind('(') {
        if let Some(inner) = text[open + 1..].strip_suffix(')') {
            if inner.len() == 2 {
                if let Ok(cc) = CountryCode::for_alpha2_caseless(inner) {
                    return Some(cc.alpha2());
                }
            }
        }
    }
    if text.len() == 2 {
        return CountryCode::for_alpha2_caseless(text).ok().map(|c| c.alpha2());
    }
    let lower = text.to_lowercase();
    if let Some((_, code)) = ALIASES.iter().find(|(alias, _)| *alias == lower) {
        return CountryCode::for_alpha2(code).ok().map(|c| c.alpha2());
    }
    // a name in another interface language
    let folded = lower.replace('ё', "е");
    for t in [country_names::RU, country_names::BE] {
        if let Some((code, _, _)) =
            t.iter().find(|(_, _, names)| names.iter().any(|n| n.to_lowercase().replace('ё', "е") == folded))
        {
            return CountryCode::for_alpha2(code).ok().map(|c| c.alpha2());
        }
    }
    CountryCode::iter()
        .find(|c| c.name().to_lowercase() == lower || name(c.alpha2()).is_some_and(|n| n.to_lowercase() == lower))
        .map(|c| c.alpha2())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_names_and_labels() {
        assert_eq!(parse("DE"), Some("DE"));
        assert_eq!(parse("de"), Some("DE"));
        assert_eq!(parse("Germany"), Some("DE"));
        assert_eq!(parse("  lithuania "), Some("LT"));
        assert_eq!(parse("Germany (DE)"), Some("DE"));
        assert_eq!(parse("Russia"), Some("RU"));
        assert_eq!(parse("Russian Federation"), Some("RU"));
        assert_eq!(parse("United Kingdom"), Some("GB"));
        assert_eq!(parse("XX"), None);
        assert_eq!(parse("Atlantis"), None);
        assert_eq!(parse("Германия"), Some("DE"));
        assert_eq!(parse("россия"), Some("RU"));
        assert_eq!(parse("Российская Федерация"), Some("RU"));
        assert_eq!(parse("Германия (DE)"), Some("DE"));
        assert_eq!(parse(""), None);
    }

    #[test]
    fn names() {
        assert_eq!(name("DE"), Some("Germany"));
        assert_eq!(name("US"), Some("United States"));
        assert_eq!(name("ZZ"), None);
        assert_eq!(option_label("LT"), "Lithuania (LT)");
        assert!(all().len() >= 249);
        assert_eq!(name_in("ru", "DE"), Some("Германия"));
        assert_eq!(name_in("ru", "RU"), Some("Россия"));
        assert_eq!(name_in("en", "DE"), Some("Germany"));
        assert_eq!(option_label_in("ru", "LT"), "Литва (LT)");
        let ru = all_in("ru");
        assert_eq!(ru.len(), all().len());
        assert_eq!(ru[0].1, "Австралия");
        // every ISO country has a Russian name
        assert!(ru.iter().all(|(_, n)| !n.is_ascii()), "{:?}", ru.iter().find(|(_, n)| n.is_ascii()));
        // and a Belarusian one
        assert_eq!(name_in("be", "DE"), Some("Германія"));
        let be = all_in("be");
        assert_eq!(be.len(), all().len());
        assert!(be.iter().all(|(_, n)| !n.is_ascii()), "{:?}", be.iter().find(|(_, n)| n.is_ascii()));
        assert_eq!(parse("Германія"), Some("DE"));
        assert_eq!(parse("Літва"), Some("LT"));
    }
}
