//! The daily e-mail digest (domain.md, "Handling a request"): where a person's goes,
//! in which language, and what it says — their My work, as text.

use super::custody::{days_left_text, HeldPerson};
use super::validation::{chars, Errors, FieldError};
use super::work::{MyWork, WorkItem};
use crate::i18n::Locale;
use crate::labels::Label;
use serde::{Deserialize, Serialize};

/// The longest address SMTP carries (RFC 5321's path limit less its brackets).
pub const EMAIL_MAX: usize = 254;

/// A person's notification settings as they type them on their account page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsInput {
    /// empty: no digest
    pub email: String,
    /// an interface language's code
    pub language: String,
}

/// Checked settings: the address, if any, and the digest's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    pub email: Option<String>,
    pub language: String,
}

/// What the account page shows: the settings, and when the server sends digests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings {
    pub email: Option<String>,
    pub language: String,
    /// the local time ("07:00") digests go out each day; None: this server sends no mail
    pub sent_at: Option<String>,
}

/// An e-mail address as people write them: one `@`, something before it, a domain of
/// dot-separated labels (letters, digits, hyphens inside) after it, no spaces.
pub fn check_email(email: &str) -> Result<(), String> {
    let bad = || crate::tr!(validation.email_invalid).to_string();
    if chars(email) > EMAIL_MAX {
        return Err(crate::tr!(validation.email_too_long, max = EMAIL_MAX));
    }
    let Some((local, domain)) = email.rsplit_once('@') else { return Err(bad()) };
    let local_ok = !local.is_empty()
        && chars(local) <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| !c.is_whitespace() && !c.is_control() && !"<>()[]\\,;:\"@".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && chars(l) <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok {
        Ok(())
    } else {
        Err(bad())
    }
}

impl NotificationsInput {
    pub fn validate(&self) -> Result<Notifications, Vec<FieldError>> {
        let mut e = Errors::default();
        let email = self.email.trim();
        if !email.is_empty() {
            if let Err(m) = check_email(email) {
                e.add("email", m);
            }
        }
        let language = self.language.trim();
        if crate::lang::from_code(language).is_none() {
            e.add("language", crate::tr!(validation.choose_the_language));
        }
        e.into_result(Notifications { email: (!email.is_empty()).then(|| email.to_string()), language: language.to_string() })
    }
}

/// One person's digest for a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub subject: String,
    pub text: String,
    /// the lines it lists
    pub items: usize,
}

/// The lines a digest of `work` lists: every item of every list of My work.
pub fn items(work: &MyWork) -> usize {
    work.overdue.len() + work.due_soon.len() + work.reminders_due.len() + work.execution_late.len() + work.custody.len()
}

/// The digest of `work` for `name`, in `locale`, with links to `site` (the address
/// people open Rogatory at) when it is known; None when nothing is due.
pub fn compose(work: &MyWork, name: &str, locale: Locale, site: Option<&str>) -> Option<Digest> {
    let items = items(work);
    if items == 0 {
        return None;
    }
    let site = site.map(|s| s.trim_end_matches('/'));
    Some(crate::lang::in_language(locale, || Digest {
        subject: subject(work, locale),
        text: text(work, name, locale, site),
        items,
    }))
}

fn subject(work: &MyWork, locale: Locale) -> String {
    let date = crate::lang::date(locale, work.today);
    match work.needs_action() {
        0 => crate::tr!(digest.subject_due_soon, date = date),
        n => crate::tr!(digest.subject_action, n = n, date = date),
    }
}

fn text(work: &MyWork, name: &str, locale: Locale, site: Option<&str>) -> String {
    let mut out = String::new();
    out.push_str(&crate::tr!(digest.greeting, name = name));
    out.push_str("\n\n");
    out.push_str(&crate::tr!(digest.intro, date = crate::lang::date(locale, work.today)));
    out.push('\n');
    let lists = [
        (crate::tr!(work.overdue), crate::tr!(digest.answer_due), &work.overdue),
        (crate::tr!(work.due_within_14_days), crate::tr!(digest.answer_due), &work.due_soon),
        (crate::tr!(work.reminders_due), crate::tr!(digest.step_due), &work.reminders_due),
        (crate::tr!(work.execution_late), crate::tr!(digest.executor_deadline), &work.execution_late),
    ];
    for (title, date_label, list) in lists {
        if !list.is_empty() {
            out.push_str(&format!("\n{title} ({})\n", list.len()));
            for item in list {
                out.push_str(&item_line(item, date_label, locale, site));
            }
        }
    }
    if !work.custody.is_empty() {
        out.push_str(&format!("\n{} ({})\n", crate::tr!(work.custody_deadlines), work.custody.len()));
        for held in &work.custody {
            out.push_str(&custody_line(held, locale, site));
        }
    }
    out.push('\n');
    match site {
        Some(s) => out.push_str(&crate::tr!(digest.open_my_work, link = format!("{s}/my-work"))),
        None => out.push_str(crate::tr!(digest.sign_in_to_see)),
    }
    out.push_str("\n\n-- \n");
    out.push_str(crate::tr!(digest.why_you_receive_this));
    out.push('\n');
    out
}

fn link(site: Option<&str>, request_id: i64) -> String {
    site.map(|s| format!("\n  {s}/requests/{request_id}")).unwrap_or_default()
}

/// `- OUT-2026-0001 · Tonga · Mutual legal assistance · answer due 2026-11-01 · First reminder`
fn item_line(i: &WorkItem, date_label: &str, locale: Locale, site: Option<&str>) -> String {
    let detail = i.detail.as_deref().map(|d| format!(" · {d}")).unwrap_or_default();
    format!(
        "- {} · {} · {} · {} {}{detail}{}\n",
        i.reference,
        super::country::name_in(crate::lang::code(locale), &i.country).unwrap_or(&i.country),
        i.kind.text(),
        date_label,
        crate::lang::date(locale, i.on),
        link(site, i.id)
    )
}

/// `- Ivan Petrov · OUT-2026-0001 · Detention 2026-12-07 — 3 days left`
fn custody_line(h: &HeldPerson, locale: Locale, site: Option<&str>) -> String {
    let deadline = h
        .record
        .deadline
        .map(|d| {
            format!(" · {} {} — {}", d.what.text(), crate::lang::date(locale, d.on), days_left_text(h.days_left.unwrap_or(0)))
        })
        .unwrap_or_default();
    format!("- {} · {}{deadline}{}\n", h.person_name, h.reference, link(site, h.record.request_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::{Direction, Kind};
    use crate::domain::status::Status;
    use chrono::NaiveDate;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn item(id: i64, reference: &str, on: &str, detail: Option<&str>) -> WorkItem {
        WorkItem {
            id,
            reference: reference.into(),
            direction: Direction::Outgoing,
            country: "TO".into(),
            kind: Kind::Evidence,
            status: Status::Sent,
            on: day(on),
            detail: detail.map(str::to_string),
        }
    }

    fn work() -> MyWork {
        MyWork {
            today: day("2026-12-04"),
            overdue: vec![item(7, "OUT-7", "2026-11-01", None)],
            due_soon: vec![item(8, "OUT-8", "2026-12-10", None)],
            reminders_due: vec![item(7, "OUT-7", "2026-12-01", Some("First reminder"))],
            execution_late: vec![],
            custody: vec![],
        }
    }

    #[test]
    fn addresses_people_write_pass_and_others_do_not() {
        for ok in ["clerk@example.org", "a.b+digest@sub.example.co.uk", "иван@пример.рф", "x@a-b.example"] {
            assert_eq!(check_email(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "clerk",
            "clerk@",
            "@example.org",
            "clerk@example",
            "a b@example.org",
            "a@b@example.org",
            "clerk@-x.org",
            "clerk@x..org",
            ".clerk@example.org",
            "cl..erk@example.org",
            "clerk@example.org\n",
            "<clerk@example.org>",
        ] {
            assert!(check_email(bad).is_err(), "{bad:?}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(check_email(&long).is_err());
    }

    #[test]
    fn settings_are_checked_field_by_field() {
        let ok = NotificationsInput { email: "  clerk@example.org ".into(), language: "ru".into() }.validate().unwrap();
        assert_eq!(ok, Notifications { email: Some("clerk@example.org".into()), language: "ru".into() });
        let none = NotificationsInput { email: " ".into(), language: "en".into() }.validate().unwrap();
        assert_eq!(none.email, None);
        let bad = NotificationsInput { email: "clerk@".into(), language: "xx".into() }.validate().unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "language"]);
    }

    #[test]
    fn a_digest_lists_every_item_with_its_link_in_the_persons_language() {
        let english = Locale::en;
        let d = compose(&work(), "Demo Clerk", english, Some("https://rogatory.example.org/")).unwrap();
        assert_eq!(d.items, 3);
        // needs action: the overdue request and its reminder
        assert_eq!(d.subject, "Rogatory: 2 items need action on 2026-12-04");
        assert!(d.text.starts_with("Hello, Demo Clerk.\n"), "{}", d.text);
        assert!(d.text.contains("\nOverdue (1)\n- OUT-7 · Tonga · "), "{}", d.text);
        assert!(d.text.contains("answer due 2026-11-01\n  https://rogatory.example.org/requests/7\n"), "{}", d.text);
        assert!(d.text.contains("\nDue within 14 days (1)\n- OUT-8 "), "{}", d.text);
        assert!(d.text.contains("\nReminders due (1)\n- OUT-7 · Tonga · "), "{}", d.text);
        assert!(d.text.contains("step due 2026-12-01 · First reminder\n"), "{}", d.text);
        assert!(d.text.contains("https://rogatory.example.org/my-work"), "{}", d.text);
        assert!(!d.text.contains("Past the executor's deadline"), "empty lists are left out");

        let russian = Locale::ru;
        let d = compose(&work(), "Демо", russian, None).unwrap();
        assert_eq!(d.subject, "Rogatory, 04.12.2026: требуют действий — 2");
        assert!(d.text.contains("\nПросрочено (1)\n- OUT-7 · Тонга · "), "{}", d.text);
        assert!(!d.text.contains("/requests/"), "no links without the site's address");
        // the language was only borrowed
        assert_eq!(crate::lang::code(crate::lang::current()), "en");
    }

    #[test]
    fn nothing_due_sends_nothing_and_due_soon_alone_says_so() {
        let mut w = work();
        w.overdue.clear();
        w.reminders_due.clear();
        let english = Locale::en;
        assert_eq!(compose(&w, "A", english, None).unwrap().subject, "Rogatory: your work on 2026-12-04");
        w.due_soon.clear();
        assert_eq!(compose(&w, "A", english, None), None);
    }
}
