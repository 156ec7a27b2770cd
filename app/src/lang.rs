//! The interface languages: which one a page is in, and numbers and dates written the
//! way its readers write them (13.8 % in English, 13,8 % in Russian).

use crate::i18n::Locale;
use leptos_i18n::Locale as _;

/// Every interface language, in the order the switch shows them.
pub fn all() -> &'static [Locale] {
    Locale::get_all()
}

/// The language with this code ("en", "ru", "be"), if the interface has it.
pub fn from_code(code: &str) -> Option<Locale> {
    all().iter().copied().find(|l| l.as_str() == code)
}

/// The language's code, as in `<html lang>` and the cookie.
pub fn code(locale: Locale) -> &'static str {
    locale.as_str()
}

/// The language's own name for itself.
pub fn native_name(locale: Locale) -> &'static str {
    match code(locale) {
        "ru" => "Русский",
        "be" => "Беларуская",
        _ => "English",
    }
}

thread_local! {
    /// The last language seen while rendering: what event handlers (which run outside
    /// the component tree) use. In the browser there is one page, so one language.
    static LAST_SEEN: std::cell::Cell<Option<Locale>> = const { std::cell::Cell::new(None) };
}

thread_local! {
    /// The language `in_language` writes in, while it runs.
    static CHOSEN: std::cell::Cell<Option<Locale>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with `current()` (and so `tr!`) in `locale`: for text written away from any
/// page or request, such as a person's e-mail digest.
pub fn in_language<T>(locale: Locale, f: impl FnOnce() -> T) -> T {
    /// Puts the language before back, also when `f` panics.
    struct Restore(Option<Locale>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CHOSEN.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(CHOSEN.with(|c| c.replace(Some(locale))));
    f()
}

/// The language of the page being rendered; in an event handler, of the page; in a server
/// function, of the person calling it (their cookie, else their browser's languages);
/// elsewhere (the command line) English.
pub fn current() -> Locale {
    if let Some(l) = CHOSEN.with(|c| c.get()) {
        return l;
    }
    if let Some(ctx) = leptos::prelude::use_context::<leptos_i18n::I18nContext<Locale>>() {
        let l = ctx.get_locale_untracked();
        #[cfg(not(feature = "ssr"))]
        LAST_SEEN.with(|c| c.set(Some(l)));
        return l;
    }
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<axum::http::request::Parts>().map(|parts| of_request(&parts.headers)).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        LAST_SEEN.with(|c| c.get()).unwrap_or_default()
    }
}

/// The cookie that remembers the chosen language (the one leptos_i18n reads).
pub const COOKIE: &str = "i18n_pref_locale";

/// The language of an HTTP request: the cookie, else the best of Accept-Language.
#[cfg(feature = "ssr")]
pub fn of_request(headers: &axum::http::HeaderMap) -> Locale {
    let cookie = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| from_code(value.trim()));
    cookie
        .or_else(|| headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(from_accept_language))
        .unwrap_or_default()
}

/// The interface language a browser's Accept-Language prefers most, if any.
pub fn from_accept_language(header: &str) -> Option<Locale> {
    let mut ranked: Vec<(f32, usize, Locale)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut bits = part.trim().split(';');
            let tag = bits.next()?.trim();
            let q = bits.find_map(|b| b.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
            let primary = tag.split('-').next()?.to_ascii_lowercase();
            Some((q, i, from_code(&primary)?))
        })
        .filter(|(q, _, _)| *q > 0.0)
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.first().map(|(_, _, l)| *l)
}

/// A translation with its `{name}` placeholders filled, in one pass: a value that
/// itself contains "{…}" (a group named "{name}") is never filled in again.
pub fn fill(text: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value =
            after.find('}').and_then(|close| values.iter().find(|(name, _)| *name == &after[..close]).map(|(_, v)| (close, v)));
        match value {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A country's name in the page's language.
pub fn country(code: &str) -> String {
    crate::domain::country::display_in(code_of_current(), code)
}

/// Every country (code, name) in the page's language and its alphabetical order.
pub fn countries() -> Vec<(&'static str, &'static str)> {
    crate::domain::country::all_in(code_of_current())
}

/// "Germany (DE)" / "Германия (DE)": the form's country field.
pub fn country_option(code: &str) -> String {
    crate::domain::country::option_label_in(code_of_current(), code)
}

/// A country's names in the interface's other languages ("Germany" on a Russian page).
pub fn country_other_names(code: &str) -> String {
    let here = code_of_current();
    let mut names: Vec<&str> = all()
        .iter()
        .map(|l| self::code(*l))
        .filter(|l| *l != here)
        .filter_map(|l| crate::domain::country::name_in(l, code))
        .collect();
    names.dedup();
    names.join(" / ")
}

fn code_of_current() -> &'static str {
    code(current())
}

/// A percentage as `figures::format_rate` writes it, in the page's language.
pub fn rate(r: Option<f64>) -> String {
    localize_number_text(current(), &crate::domain::figures::format_rate(r))
}

/// Days to answer as `figures::format_days` writes them, in the page's language.
pub fn days(d: Option<f64>) -> String {
    localize_number_text(current(), &crate::domain::figures::format_days(d))
}

/// The decimal separator of a language.
fn decimal_separator(locale: Locale) -> char {
    match code(locale) {
        "ru" | "be" => ',',
        _ => '.',
    }
}

/// A number with one decimal, as `13.8` / `13,8`.
pub fn decimal1(locale: Locale, x: f64) -> String {
    let s = format!("{x:.1}");
    match decimal_separator(locale) {
        '.' => s,
        c => s.replace('.', &c.to_string()),
    }
}

/// Rewrites the decimal points of an English-formatted figure ("13.8 %", "1 of 2.5") for
/// the language; other text is left as it is.
pub fn localize_number_text(locale: Locale, text: &str) -> String {
    let sep = decimal_separator(locale);
    if sep == '.' {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        let between_digits =
            *c == '.' && i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        out.push(if between_digits { sep } else { *c });
    }
    out
}

/// A whole number with thousands grouped: `12,345` / `12 345`.
pub fn integer(locale: Locale, n: i64) -> String {
    let group = match code(locale) {
        "ru" | "be" => '\u{a0}',
        _ => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(d);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// An amount in cents with its currency: `1,250,000.50 EUR` / `1 250 000,50 EUR`.
pub fn amount(locale: Locale, cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let (units, rest) = (cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
    let units = integer(locale, i64::try_from(units).unwrap_or(i64::MAX));
    format!("{sign}{units}{}{rest:02}\u{a0}{currency}", decimal_separator(locale))
}

/// A date as its readers write it: `2026-11-23` / `23.11.2026`.
pub fn date(locale: Locale, d: chrono::NaiveDate) -> String {
    match code(locale) {
        "ru" | "be" => d.format("%d.%m.%Y").to_string(),
        _ => d.format("%Y-%m-%d").to_string(),
    }
}

/// A date in the page's language, or "—".
pub fn optional_date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| date(current(), d)).unwrap_or_else(|| "—".into())
}

/// Today in the browser's time zone (for checks made in the browser before a form is
/// sent; the server checks again against its own day).
pub fn today() -> chrono::NaiveDate {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new_0();
        chrono::NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Local::now().date_naive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ru() -> Locale {
        from_code("ru").unwrap()
    }
    fn en() -> Locale {
        from_code("en").unwrap()
    }
    fn be() -> Locale {
        from_code("be").unwrap()
    }

    #[test]
    fn codes_round_trip() {
        for l in all() {
            assert_eq!(from_code(code(*l)), Some(*l));
        }
        assert_eq!(from_code("xx"), None);
    }

    #[test]
    fn numbers_per_language() {
        assert_eq!(decimal1(en(), 13.8), "13.8");
        assert_eq!(decimal1(ru(), 13.8), "13,8");
        assert_eq!(localize_number_text(ru(), "13.8 % (v1.2)"), "13,8 % (v1,2)");
        assert_eq!(localize_number_text(ru(), "End. 3"), "End. 3");
        assert_eq!(localize_number_text(en(), "13.8 %"), "13.8 %");
        assert_eq!(integer(en(), 1234567), "1,234,567");
        assert_eq!(integer(ru(), 1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(integer(en(), 999), "999");
        assert_eq!(integer(en(), -1000), "-1,000");
        assert_eq!(decimal1(be(), 13.8), "13,8");
        assert_eq!(integer(be(), 1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(date(be(), chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()), "23.11.2026");
        assert_eq!(native_name(be()), "Беларуская");
    }

    #[test]
    fn accept_language() {
        assert_eq!(from_accept_language("ru-RU,ru;q=0.9,en-US;q=0.8"), Some(ru()));
        assert_eq!(from_accept_language("de-DE,en;q=0.5,ru;q=0.4"), Some(en()));
        assert_eq!(from_accept_language("en;q=0.3, ru;q=0.7"), Some(ru()));
        assert_eq!(from_accept_language("de, fr"), None);
        assert_eq!(from_accept_language("ru;q=0"), None);
        assert_eq!(from_accept_language("be-BY,be;q=0.9,ru;q=0.8"), Some(be()));
    }

    /// Every key of every language file, with the `{placeholders}` of its text.
    fn keys(json: &str) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
        fn walk(
            prefix: &str,
            v: &serde_json::Value,
            out: &mut std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        ) {
            match v {
                serde_json::Value::Object(map) => {
                    for (k, v) in map {
                        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                        walk(&key, v, out);
                    }
                }
                serde_json::Value::String(text) => {
                    let names = text
                        .split('{')
                        .skip(1)
                        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
                        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                        .collect();
                    out.insert(prefix.to_string(), names);
                }
                other => panic!("{prefix}: a translation must be text, not {other}"),
            }
        }
        let mut out = std::collections::BTreeMap::new();
        walk("", &serde_json::from_str(json).expect("valid JSON"), &mut out);
        out
    }

    /// Every language file against English: the same keys, the same placeholders, no
    /// empty text — and every language the interface offers has its file here.
    #[test]
    fn every_language_has_every_key_and_placeholder() {
        let en = keys(include_str!("../locales/en.json"));
        assert!(en.len() > 400, "only {} keys", en.len());
        let others = [("ru", include_str!("../locales/ru.json")), ("be", include_str!("../locales/be.json"))];
        let offered: Vec<&str> = all().iter().map(|l| code(*l)).filter(|c| *c != "en").collect();
        assert_eq!(offered, others.iter().map(|(c, _)| *c).collect::<Vec<_>>(), "a language without its check here");
        for (lang, json) in others {
            let other = keys(json);
            let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
            assert!(missing.is_empty(), "missing in {lang}.json: {missing:?}");
            let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(extra.is_empty(), "in {lang}.json but not in en.json: {extra:?}");
            for (k, names) in &en {
                assert_eq!(&other[k], names, "{k}: the placeholders differ between en.json and {lang}.json");
            }
        }
        for (lang, json) in [("en", include_str!("../locales/en.json"))].into_iter().chain(others) {
            let texts: serde_json::Value = serde_json::from_str(json).unwrap();
            let empty: Vec<String> = texts
                .as_object()
                .unwrap()
                .iter()
                .flat_map(|(s, keys)| keys.as_object().unwrap().iter().map(move |(k, v)| (format!("{s}.{k}"), v)))
                .filter(|(_, v)| v.as_str().is_some_and(|t| t.trim().is_empty()))
                .map(|(k, _)| k)
                .collect();
            assert!(empty.is_empty(), "empty texts in {lang}.json: {empty:?}");
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(fill("{n} of {base}", &[("n", "3".into()), ("base", "9".into())]), "3 of 9");
        // values are not filled in again, unknown braces stay
        assert_eq!(fill("Group {name} saved {x}.", &[("name", "{x}".into()), ("x", "!".into())]), "Group {x} saved !.");
        assert_eq!(fill("{ not a name } {name", &[("name", "a".into())]), "{ not a name } {name");
    }

    #[test]
    fn dates_per_language() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert_eq!(date(en(), d), "2026-11-03");
        assert_eq!(date(ru(), d), "03.11.2026");
    }
}
