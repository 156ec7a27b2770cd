//! Languages of documents and of what a country accepts: ISO 639-1 codes with their
//! English, Russian and Belarusian names. A document's language is one of these codes;
//! a country profile names the languages it accepts in words ("Lithuanian, English"),
//! read here.

/// (code, English name, Russian name, Belarusian name), by code.
pub const LANGUAGES: &[(&str, &str, &str, &str)] = &[
    ("ar", "Arabic", "арабский", "арабская"),
    ("az", "Azerbaijani", "азербайджанский", "азербайджанская"),
    ("be", "Belarusian", "белорусский", "беларуская"),
    ("bg", "Bulgarian", "болгарский", "балгарская"),
    ("cs", "Czech", "чешский", "чэшская"),
    ("da", "Danish", "датский", "дацкая"),
    ("de", "German", "немецкий", "нямецкая"),
    ("el", "Greek", "греческий", "грэчаская"),
    ("en", "English", "английский", "англійская"),
    ("es", "Spanish", "испанский", "іспанская"),
    ("et", "Estonian", "эстонский", "эстонская"),
    ("fi", "Finnish", "финский", "фінская"),
    ("fr", "French", "французский", "французская"),
    ("he", "Hebrew", "иврит", "іўрыт"),
    ("hr", "Croatian", "хорватский", "харвацкая"),
    ("hu", "Hungarian", "венгерский", "венгерская"),
    ("hy", "Armenian", "армянский", "армянская"),
    ("it", "Italian", "итальянский", "італьянская"),
    ("ja", "Japanese", "японский", "японская"),
    ("ka", "Georgian", "грузинский", "грузінская"),
    ("kk", "Kazakh", "казахский", "казахская"),
    ("ko", "Korean", "корейский", "карэйская"),
    ("ky", "Kyrgyz", "киргизский", "кіргізская"),
    ("lt", "Lithuanian", "литовский", "літоўская"),
    ("lv", "Latvian", "латышский", "латышская"),
    ("mn", "Mongolian", "монгольский", "мангольская"),
    ("nl", "Dutch", "нидерландский", "нідэрландская"),
    ("no", "Norwegian", "норвежский", "нарвежская"),
    ("pl", "Polish", "польский", "польская"),
    ("pt", "Portuguese", "португальский", "партугальская"),
    ("ro", "Romanian", "румынский", "румынская"),
    ("ru", "Russian", "русский", "руская"),
    ("sk", "Slovak", "словацкий", "славацкая"),
    ("sl", "Slovenian", "словенский", "славенская"),
    ("sr", "Serbian", "сербский", "сербская"),
    ("sv", "Swedish", "шведский", "шведская"),
    ("tg", "Tajik", "таджикский", "таджыкская"),
    ("tk", "Turkmen", "туркменский", "туркменская"),
    ("tr", "Turkish", "турецкий", "турэцкая"),
    ("uk", "Ukrainian", "украинский", "украінская"),
    ("uz", "Uzbek", "узбекский", "узбекская"),
    ("zh", "Chinese", "китайский", "кітайская"),
];

/// The code of a language written as its code or its English, Russian or Belarusian
/// name, in any case ("lt", "Lithuanian", "литовский", "літоўская").
pub fn code_of(word: &str) -> Option<&'static str> {
    let w = word.trim().to_lowercase();
    LANGUAGES
        .iter()
        .find(|(code, en, ru, be)| *code == w || en.to_lowercase() == w || *ru == w || *be == w)
        .map(|(code, ..)| *code)
}

/// A language's name in the interface language `interface` ("en", "ru", "be"), or the
/// code itself when it is not one of `LANGUAGES`.
pub fn name(code: &str, interface: &str) -> String {
    let capitalised = |name: &str| {
        let mut chars = name.chars();
        chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
    };
    match LANGUAGES.iter().find(|(c, ..)| *c == code) {
        Some((_, _, ru, _)) if interface == "ru" => capitalised(ru),
        Some((_, _, _, be)) if interface == "be" => capitalised(be),
        Some((_, en, _, _)) => en.to_string(),
        None => code.to_string(),
    }
}

/// The languages a profile's text names, separated by commas, semicolons, slashes or
/// "and": their codes (each once, in order), or the words that are not a language.
pub fn accepted(text: &str) -> Result<Vec<&'static str>, Vec<String>> {
    let (mut codes, mut unknown) = (Vec::new(), Vec::new());
    let spaced = format!(" {} ", text.replace([',', ';', '/', '\n'], " , "));
    let words = spaced.replace(" and ", " , ").replace(" и ", " , ").replace(" і ", " , ");
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
        assert_eq!(accepted("беларуская і руская"), Ok(vec!["be", "ru"]));
        assert_eq!(accepted("pl / EN; Polish"), Ok(vec!["pl", "en"]));
        assert_eq!(accepted(""), Ok(vec![]));
        assert_eq!(accepted("English, Klingon"), Err(vec!["Klingon".to_string()]));
    }

    #[test]
    fn names_follow_the_interface_language() {
        assert_eq!(name("lt", "en"), "Lithuanian");
        assert_eq!(name("lt", "ru"), "Литовский");
        assert_eq!(name("lt", "be"), "Літоўская");
        assert_eq!(name("xx", "ru"), "xx");
        assert_eq!(code_of(" Russian "), Some("ru"));
    }

    #[test]
    fn codes_are_unique_and_sorted() {
        let codes: Vec<&str> = LANGUAGES.iter().map(|(c, ..)| *c).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }
}
