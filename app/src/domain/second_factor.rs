//! Two-step sign-in: after the password, a code from an authenticator app (TOTP,
//! RFC 6238: 6 digits, a new one every 30 seconds) or one of the account's recovery
//! codes (each good once, for a lost phone).

use serde::{Deserialize, Serialize};

/// How many recovery codes an account gets at a time.
pub const RECOVERY_CODES: usize = 10;

/// A recovery code's letters: no 0/o, 1/l/i, so that one written down reads back.
pub const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// What a person typed in the code field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// six digits from the authenticator app
    App(String),
    /// a recovery code, without its dashes, in lower case
    Recovery(String),
}

/// Reads the code field: spaces and dashes are ignored, letter case too; six digits are
/// an app's code, twelve letters and digits a recovery code.
pub fn parse_code(typed: &str) -> Option<Code> {
    let bare: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_lowercase();
    if bare.len() == 6 && bare.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Code::App(bare));
    }
    if bare.len() == 12 && bare.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
        return Some(Code::Recovery(bare));
    }
    None
}

/// A recovery code as it is shown: three groups of four.
pub fn show_recovery_code(bare: &str) -> String {
    bare.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).to_string()).collect::<Vec<_>>().join("-")
}

/// The start of enrolment: what the authenticator app needs, as a QR code (an SVG
/// image) and as text to type in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// the secret in base32, grouped by four for typing
    pub secret: String,
    /// `otpauth://` URL the QR code holds
    pub url: String,
    /// the QR code as an SVG document
    pub qr_svg: String,
}

/// The account's two-step sign-in as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorState {
    pub enabled: bool,
    pub recovery_codes_left: i64,
    /// an administrator requires it of every account
    pub required: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert_eq!(parse_code(" 123 456 "), Some(Code::App("123456".into())));
        assert_eq!(parse_code("123-456"), Some(Code::App("123456".into())));
        assert_eq!(parse_code("ABCD-efgh-jkmn"), Some(Code::Recovery("abcdefghjkmn".into())));
        assert_eq!(parse_code("12345"), None);
        assert_eq!(parse_code("1234567"), None);
        assert_eq!(parse_code("abcd-efgh-ijkl"), None, "i and l are not in the alphabet");
        assert_eq!(parse_code(""), None);
        assert_eq!(show_recovery_code("abcdefghjkmn"), "abcd-efgh-jkmn");
    }
}
