//! Accounts: roles, the signed-in user, and the password policy.

use super::validation::{chars, Errors, FieldError};
use serde::{Deserialize, Serialize};

super::codes::code_enum!(
    /// What a person may do. Each role can do everything the roles before it can.
    Role {
        Viewer => "viewer", "Viewer (dashboards and read-only registry)";
        Clerk => "clerk", "Clerk (also creates and edits requests and cases)";
        Admin => "admin", "Administrator (also manages users and reference data)";
    }
);

impl Role {
    fn rank(self) -> u8 {
        match self {
            Role::Viewer => 0,
            Role::Clerk => 1,
            Role::Admin => 2,
        }
    }

    /// Whether this role may do what `required` may.
    pub fn allows(self, required: Role) -> bool {
        self.rank() >= required.rank()
    }

    /// A role from its code exactly as the code is written: the role is a security
    /// decision, so `"admin "` or `"Admin"` is no role (other codes forgive spaces).
    pub fn parse(code: &str) -> Option<Role> {
        Role::from_code(code).filter(|r| r.code() == code)
    }

    pub fn short(self) -> &'static str {
        match self {
            Role::Viewer => "Viewer",
            Role::Clerk => "Clerk",
            Role::Admin => "Administrator",
        }
    }
}

/// The person behind a request to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// signs in in two steps (a code after the password)
    pub second_factor: bool,
    /// two-step sign-in is required of every account and this one has none yet: until
    /// it is set up, only the account page is open
    pub must_enrol: bool,
}

impl CurrentUser {
    pub fn can(&self, required: Role) -> bool {
        self.role.allows(required)
    }
}

/// A user as the administrator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub locked: bool,
    /// signs in in two steps
    pub second_factor: bool,
}

pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 256;
/// Failed sign-ins within the window that lock an account, and for how long.
pub const LOCKOUT_FAILURES: i64 = 5;
pub const LOCKOUT_WINDOW_SECS: i64 = 15 * 60;
/// Sessions end after 30 minutes without activity, and 12 hours after sign-in.
pub const SESSION_IDLE_SECS: i64 = 30 * 60;
pub const SESSION_ABSOLUTE_SECS: i64 = 12 * 60 * 60;

/// Common passwords long enough to pass the length rule (shorter ones fail it anyway).
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789123",
    "1234567890qwerty",
    "qwertyuiopasdfgh",
    "qwertyuiop123",
    "qwerty123456",
    "qwertyuiopasdf",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "1qaz2wsx3edc4rfv",
    "zaq12wsxcde3",
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "passw0rdpassw0rd",
    "iloveyou1234",
    "administrator",
    "administrator1",
    "letmein12345",
    "welcome12345",
    "welcome123456",
    "changeme1234",
    "changemenow1",
    "trustno112345",
    "monkey123456",
    "dragon123456",
    "football1234",
    "baseball1234",
    "superman1234",
    "sunshine1234",
    "princess1234",
    "abcdefghijkl",
    "abcdefghijklm",
    "abc123456789",
    "aaaaaaaaaaaa",
    "111111111111",
    "000000000000",
    "987654321098",
    "p@ssw0rd1234",
    "p@ssword1234",
    "prosecutor123",
    "prosecutor2025",
    "rogatory12345",
    "rogatorypassword",
    "qazwsxedcrfv",
    "asdfghjkl123",
    "zxcvbnm12345",
    // the demo accounts' passwords are published in the README
    "demo-admin-password",
    "demo-clerk-password",
    "demo-viewer-password",
];

/// The password policy: at least 12 characters, not a common password, not the user
/// name; no composition rules (NIST SP 800-63B).
pub fn check_password(password: &str, username: &str) -> Result<(), String> {
    let n = chars(password);
    if n < PASSWORD_MIN {
        return Err(crate::tr!(validation.password_min, min = PASSWORD_MIN));
    }
    if n > PASSWORD_MAX {
        return Err(crate::tr!(validation.password_max, max = PASSWORD_MAX));
    }
    let lower = password.to_lowercase();
    // spaces around or inside a common password do not make it another one
    let bare: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    let first = bare.chars().next().unwrap_or_default();
    if COMMON.contains(&bare.as_str()) || bare.chars().all(|c| c == first) {
        return Err(crate::tr!(validation.this_password_is_too_common_choose).into());
    }
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err(crate::tr!(validation.the_password_must_not_contain_the).into());
    }
    Ok(())
}

/// A new account as the administrator types it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewUserInput {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

pub fn check_username(username: &str) -> Result<(), String> {
    let ok_chars = username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !(3..=64).contains(&username.len()) || !ok_chars {
        return Err(crate::tr!(validation.n3_64_characters_lower_case_letters).into());
    }
    Ok(())
}

impl NewUserInput {
    pub fn validate(&self) -> Result<NewUser, Vec<FieldError>> {
        let mut e = Errors::default();
        let username = self.username.trim().to_lowercase();
        if let Err(m) = check_username(&username) {
            e.add("username", m);
        }
        let display_name = self.display_name.trim().to_string();
        if display_name.is_empty() {
            e.add("display_name", crate::tr!(validation.enter_the_person_s_name));
        } else if chars(&display_name) > 100 {
            e.add("display_name", crate::tr!(validation.at_most, max = 100));
        }
        let role = Role::parse(&self.role);
        if role.is_none() {
            e.add("role", crate::tr!(validation.choose_a_role));
        }
        if let Err(m) = check_password(&self.password, &username) {
            e.add("password", m);
        }
        match role {
            Some(role) if e.is_empty() => Ok(NewUser { username, display_name, role, password: self.password.clone() }),
            _ => Err(e.0),
        }
    }
}

/// "Change my password".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PasswordChangeInput {
    pub current: String,
    pub new: String,
    pub repeat: String,
}

impl PasswordChangeInput {
    pub fn validate(&self, username: &str) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if self.current.is_empty() {
            e.add("current", crate::tr!(validation.enter_your_current_password));
        }
        if let Err(m) = check_password(&self.new, username) {
            e.add("new", m);
        } else if self.new == self.current {
            e.add("new", crate::tr!(validation.choose_a_password_different_from_the));
        }
        if self.repeat != self.new {
            e.add("repeat", crate::tr!(validation.the_two_new_passwords_differ));
        }
        e.into_result(())
    }
}

/// A browser's User-Agent as a person names it: "Firefox 133 on Windows", "Chrome 156
/// on Linux"; the text itself when it names no browser known here.
pub fn browser_summary(user_agent: &str) -> String {
    let version = |marker: &str| {
        user_agent.split(marker).nth(1).map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next().unwrap_or("").to_string())
    };
    // the order matters: Edge and Opera also say Chrome, Chrome also says Safari
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("YaBrowser/", "Yandex Browser"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
    ]
    .iter()
    .find_map(|(marker, name)| version(marker).map(|v| if v.is_empty() { name.to_string() } else { format!("{name} {v}") }));
    let system = [
        ("Windows", "Windows"),
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} ({s})"),
        (Some(b), None) => b,
        _ => user_agent.chars().take(80).collect(),
    }
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC, RFC 3339
    pub at: String,
    pub username: Option<String>,
    pub action: String,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub details: Option<String>,
    pub ip: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_is_its_exact_code() {
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        for bad in ["admin ", " admin", "Admin", "ADMIN", "administrator", ""] {
            assert_eq!(Role::parse(bad), None, "{bad:?}");
        }
        let input = NewUserInput {
            username: "anna".into(),
            display_name: "Anna".into(),
            role: "admin ".into(),
            password: "a long enough passphrase".into(),
        };
        assert_eq!(input.validate().unwrap_err()[0].field, "role");
    }

    #[test]
    fn browsers_are_named_as_people_name_them() {
        let chrome =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36";
        assert_eq!(browser_summary(chrome), "Chrome 156 (Linux)");
        let firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(browser_summary(firefox), "Firefox 133 (Windows)");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        assert_eq!(browser_summary(edge), "Edge 131 (Windows)");
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
        assert_eq!(browser_summary(safari), "Safari 18 (iPhone)");
        assert_eq!(browser_summary("curl/8.5.0"), "curl/8.5.0");
    }

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Admin.allows(Role::Clerk));
        assert!(Role::Clerk.allows(Role::Viewer));
        assert!(!Role::Viewer.allows(Role::Clerk));
        assert!(!Role::Clerk.allows(Role::Admin));
    }

    #[test]
    fn password_policy() {
        assert!(check_password("short", "ann").is_err());
        assert!(check_password("123456789012", "ann").is_err());
        assert!(check_password("Password1234", "ann").is_err(), "common, whatever the case");
        assert!(check_password("zzzzzzzzzzzzzz", "ann").is_err());
        assert!(check_password("ann-likes-long-walks", "ann").is_err(), "contains the user name");
        assert!(check_password("correct horse battery", "ann").is_ok());
        assert!(check_password("ЖжЖжЖжЖжЖж1", "ann").is_err(), "11 characters");
        assert!(check_password("ЖжЖжЖжЖжЖж12", "ann").is_ok(), "12 characters, not bytes");
        assert!(check_password("   password1234   ", "ann").is_err(), "padded with spaces");
        assert!(check_password("pass word 1234", "ann").is_err(), "spaces inside");
        assert!(check_password("demo-admin-password", "ann").is_err(), "published with the demo");
        assert!(check_password("Demo-Clerk-Password ", "ann").is_err());
        assert!(check_password("            ", "ann").is_err(), "only spaces");
    }

    #[test]
    fn new_user_rules() {
        let ok = NewUserInput {
            username: " Clerk.One ".into(),
            display_name: "Clerk One".into(),
            role: "clerk".into(),
            password: "a long enough passphrase".into(),
        };
        assert_eq!(ok.validate().unwrap().username, "clerk.one");
        let bad = NewUserInput { username: "a b".into(), role: "boss".into(), ..Default::default() };
        let errs = bad.validate().unwrap_err();
        for f in ["username", "display_name", "role", "password"] {
            assert!(errs.iter().any(|e| e.field == f), "{f}");
        }
    }

    #[test]
    fn password_change_rules() {
        let c = PasswordChangeInput {
            current: "old one".into(),
            new: "a brand new passphrase".into(),
            repeat: "a brand new passphrase".into(),
        };
        assert!(c.validate("ann").is_ok());
        let c = PasswordChangeInput { repeat: "different".into(), ..c };
        assert_eq!(c.validate("ann").unwrap_err()[0].field, "repeat");
    }
}
