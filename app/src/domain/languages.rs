//! Languages of documents and of what a country accepts: ISO 639-1 codes with their
//! English and Russian names. A document's language is one of these codes; a country
//! profile names the languages it accepts in words ("Lithuanian, English"), read here.

/// (code, English name, Russian name), by code.
pub const LANGUAGES: &[(&str, &str, &str)] = &[
    ("ar", "Arabic", "арабский"),
    ("az", "Azerbaijani", "азербайджанский"),
    ("be", "Belarusian", "белорусский"),
    ("bg", "Bulgarian", "болгарский"),
    ("cs", "Czech", "чешский"),
    ("da", "Danish", "датский"),
    ("de", "German", "немецкий"),
    ("el", "Greek", "греческий"),
    ("en", "English", "английский"),
    ("es", "Spanish", "испанский"),
    ("et", "Estonian", "эстонский"),
    ("fi", "Finnish", "финский"),
    ("fr", "French", "французский"),
    ("he", "Hebrew", "иврит"),
    ("hr", "Croatian", "хорватский"),
    ("hu", "Hungarian", "венгерский"),
    ("hy", "Armenian", "армянский"),
    ("it", "Italian", "итальянский"),
    ("ja", "Japanese", "японский"),
    ("ka", "Georgian", "грузинский"),
    ("kk", "Kazakh", "казахский"),
    ("ko", "Korean", "корейский"),
    ("ky", "Kyrgyz", "киргизский"),
    ("lt", "Lithuanian", "литовский"),
    ("lv", "Latvian", "латышский"),
    ("mn", "Mongolian", "монгольский"),
    ("nl", "Dutch", "нидерландский"),
    ("no", "Norwegian", "норвежский"),
    ("pl", "Polish", "польский"),
    ("pt", "Portuguese", "португальский"),
    ("ro", "Romanian", "румынский"),
    ("ru", "Russian", "русский"),
    ("sk", "Slovak", "словацкий"),
    ("sl", "Slovenian", "словенский"),
    ("sr", "Serbian", "сербский"),
    ("sv", "Swedish", "шведский"),
    ("tg", "Tajik", "таджикский"),
    ("tk", "Turkmen", "туркменский"),
    ("tr", "Turkish", "турецкий"),
    ("uk", "Ukrainian", "украинский"),
    ("uz", "Uzbek", "узбекский"),
    ("zh", "Chinese", "китайский"),
];

/// The code of a language written as its code or its English or Russian name, in any
/// case ("lt", "Lithuanian", "литовский").
pub fn code_of(word: &str) -> Option<&'static str> {
    let w = word.trim().to_lowercase();
    LANGUAGES.iter().find(|(code, en, ru)| *code == w || en.to_lowercase() == w || *ru == w).map(|(code, _, _)| *code)
}

/// A language's name in the interface's language (`russian`), or the code itself when
/// it is not one of `LANGUAGES`.
pub fn name(code: &str, russian: bool) -> String {
    match LANGUAGES.iter().find(|(c, _, _)| *c == code) {
        Some((_, _, ru)) if russian => {
            let mut chars = ru.chars();
            chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
        Some((_, en, _)) => en.to_string(),
        None => code.to_string(),
    }
}

/// The languages a profile's text names, separated by commas, semicolons, slashes or
/// "and": their codes (each once, in order), or the words that are not a language.
pub fn accepted(text: &str) -> Result<Vec<&'static str>, Vec<String>> {
    let (mut codes, mut unknown) = (Vec::new(), Vec::new());
    let spaced = format!(" {} ", text.replace([',', ';', '/', '\n'], " , "));
    let words = spaced.replace(" and ", " , ").replace(" и ", " , ");
    for word in words.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        match code_of(word) {
            Some(code) if !codes.contains(&code) => codes.push(code),
            Some(_) => {}
            None => unknown.push(word.to_string()),
        }
    }
    if unknown.is_empty() {
        Ok(codes)
    } else {
        Err(unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_names_its_languages_in_words_or_codes() {
        assert_eq!(accepted("Lithuanian, English, Russian"), Ok(vec!["lt", "en", "ru"]));
        assert_eq!(accepted("русский и казахский"), Ok(vec!["ru", "kk"]));
        assert_eq!(accepted("pl / EN; Polish"), Ok(vec!["pl", "en"]));
        assert_eq!(accepted(""), Ok(vec![]));
        assert_eq!(accepted("English, Klingon"), Err(vec!["Klingon".to_string()]));
    }

    #[test]
    fn names_follow_the_interface_language() {
        assert_eq!(name("lt", false), "Lithuanian");
        assert_eq!(name("lt", true), "Литовский");
        assert_eq!(name("xx", true), "xx");
        assert_eq!(code_of(" Russian "), Some("ru"));
    }

    #[test]
    fn codes_are_unique_and_sorted() {
        let codes: Vec<&str> = LANGUAGES.iter().map(|(c, _, _)| *c).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }
}
