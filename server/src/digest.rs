//! The daily e-mail digest: each person's My work, in their language, sent over SMTP
//! once a day (docs/operations.md, "Daily digest").

use crate::config::MailArgs;
use app::db::digest::{self, Recipient};
use app::db::Db;
use app::domain::digest::Digest;
use chrono::NaiveDate;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

type Result<T> = crate::serve::anyhow_like::Result<T>;

/// How often the server looks whether the day's digests are due.
const LOOK_EVERY: Duration = Duration::from_secs(60);
/// How long it waits after a send failed before trying the failed ones again.
const RETRY_AFTER: Duration = Duration::from_secs(15 * 60);

/// Where digests go out from.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    site: Option<String>,
}

impl Mailer {
    /// The mailer of these settings; None when no SMTP server is set (no e-mail).
    pub fn new(args: &MailArgs) -> Result<Option<Mailer>> {
        let Some(url) = args.smtp_url.as_deref() else { return Ok(None) };
        // the URL may hold a password: its errors never repeat it
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("--smtp-url is not a usable SMTP URL ({})", kind_of(&e)))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = args.mail_from.parse::<Mailbox>().map_err(|e| format!("--mail-from {:?}: {e}", args.mail_from))?;
        Ok(Some(Mailer { transport, from, site: args.public_url.clone() }))
    }

    async fn send(&self, to: Mailbox, d: &Digest) -> std::result::Result<(), String> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(d.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(d.text.clone())
            .map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// An SMTP error's kind, without its text (which could quote the URL).
fn kind_of(e: &lettre::transport::smtp::Error) -> &'static str {
    if e.is_client() {
        "unknown scheme or options"
    } else {
        "bad address or settings"
    }
}

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub sent: usize,
    /// people with nothing due (no e-mail; done for the day)
    pub nothing_due: usize,
    /// addresses the mail system refuses to write to (done for the day)
    pub bad_address: usize,
    /// sends that failed (tried again later)
    pub failed: usize,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "digests sent {}, nothing due {}, unusable addresses {}, failed {}",
            self.sent, self.nothing_due, self.bad_address, self.failed
        )
    }
}

/// What to do with each person's digest.
pub enum Delivery<'a> {
    Send(&'a Mailer),
    /// print it (with links to this site), mark nothing
    Print {
        site: Option<&'a str>,
    },
}

/// Sends the digest of `day` to everyone with an address who has not had it yet.
pub async fn run_day(db: &Db, delivery: &Delivery<'_>, day: NaiveDate) -> Result<Report> {
    let mut report = Report::default();
    for r in digest::recipients(db, day).await? {
        match delivery {
            Delivery::Print { site } => print(db, &r, day, *site).await?,
            Delivery::Send(mailer) => send_one(db, mailer, &r, day, &mut report).await?,
        }
    }
    Ok(report)
}

async fn compose(db: &Db, r: &Recipient, day: NaiveDate, site: Option<&str>) -> Result<Option<Digest>> {
    let work = app::db::work::my_work(db, r.user_id, day).await?;
    let locale = app::lang::from_code(&r.language).unwrap_or_default();
    Ok(app::domain::digest::compose(&work, &r.display_name, locale, site))
}

async fn print(db: &Db, r: &Recipient, day: NaiveDate, site: Option<&str>) -> Result<()> {
    if let Some(d) = compose(db, r, day, site).await? {
        println!("To: {} <{}>\nSubject: {}\n\n{}", r.display_name, r.email, d.subject, d.text);
    }
    Ok(())
}

/// Claims, composes and sends one person's digest; a failed send gives the claim back.
async fn send_one(db: &Db, mailer: &Mailer, r: &Recipient, day: NaiveDate, report: &mut Report) -> Result<()> {
    if !digest::claim(db, r.user_id, day).await? {
        return Ok(()); // another run got there first
    }
    let d = match compose(db, r, day, mailer.site.as_deref()).await {
        Ok(Some(d)) => d,
        Ok(None) => {
            report.nothing_due += 1;
            return Ok(());
        }
        Err(e) => {
            digest::release(db, r.user_id, day).await?;
            return Err(e);
        }
    };
    let Ok(address) = r.email.parse() else {
        tracing::warn!(user = r.user_id, "digest not sent: the mail system cannot write to the user's address");
        report.bad_address += 1;
        return Ok(());
    };
    match mailer.send(Mailbox::new(Some(r.display_name.clone()), address), &d).await {
        Ok(()) => {
            digest::sent(db, r.user_id, day, d.items).await?;
            tracing::info!(user = r.user_id, items = d.items, "digest sent");
            report.sent += 1;
        }
        Err(e) => {
            digest::release(db, r.user_id, day).await?;
            tracing::warn!(user = r.user_id, "digest not sent, tried again later: {e}");
            report.failed += 1;
        }
    }
    Ok(())
}

/// Sends each day's digests once the day's `at` has come (at once when the server
/// starts later in the day); every instance may run this: the claims share the work.
pub fn schedule(db: Db, mailer: Mailer, at: chrono::NaiveTime) {
    tokio::spawn(async move {
        loop {
            let mut wait = LOOK_EVERY;
            if chrono::Local::now().time() >= at {
                match run_day(&db, &Delivery::Send(&mailer), app::db::today()).await {
                    Ok(r) if r.failed > 0 => {
                        tracing::warn!("daily digest: {r}");
                        wait = RETRY_AFTER;
                    }
                    Ok(r) if r != Report::default() => tracing::info!("daily digest: {r}"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!("daily digest: {e}"),
                }
            }
            tokio::time::sleep(wait).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(url: &str) -> MailArgs {
        MailArgs { smtp_url: Some(url.into()), ..MailArgs::from_env() }
    }

    #[test]
    fn the_smtp_password_is_never_printed() {
        let a = args("smtps://ann:s3cret-pw@mail.example.org:465");
        assert!(!format!("{a:?}").contains("s3cret-pw"));
        assert!(Mailer::new(&a).unwrap().is_some());
        for bad in ["ftp://ann:s3cret-pw@mail.example.org", "smtp://ann:s3cret-pw@", "not a url s3cret-pw"] {
            let e = Mailer::new(&args(bad)).err().expect(bad).to_string();
            assert!(!e.contains("s3cret-pw"), "{e}");
            assert!(e.contains("--smtp-url"), "{e}");
        }
    }

    #[test]
    fn no_smtp_server_no_mailer_and_a_bad_sender_is_refused() {
        assert!(Mailer::new(&MailArgs { smtp_url: None, ..MailArgs::from_env() }).unwrap().is_none());
        let a = MailArgs { mail_from: "not an address".into(), ..args("smtp://127.0.0.1:2525") };
        assert!(Mailer::new(&a).err().unwrap().to_string().contains("--mail-from"));
    }
}
