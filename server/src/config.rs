//! Every setting of the server, from command-line flags and the environment, in one
//! place.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "rogatory", version, about = "Registry and dashboards of international legal-assistance requests")]
pub struct Cli {
    /// Database: `sqlite://FILE` (created if missing) or `postgres://...`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://rogatory.db", global = true)]
    pub database_url: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default).
    Serve(ServeArgs),
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Load a realistic demo data set (and the demo users).
    Demo(DemoArgs),
    /// Manage accounts from the command line.
    #[command(subcommand)]
    User(UserCommand),
    /// Import requests from a CSV file (docs/import.md): every row is checked first, then
    /// all are written in one transaction, or none. Exits 1 when any row is bad.
    Import {
        /// The CSV file.
        file: std::path::PathBuf,
        /// Check and report only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Replace requests whose reference exists (otherwise they are reported as conflicts).
        #[arg(long, conflicts_with = "persons")]
        update: bool,
        /// The file holds persons (docs/import.md, "Persons"): each is added, or found
        /// when one with the same name and birth is kept, and linked to its requests.
        #[arg(long)]
        persons: bool,
    },
    /// Export requests to a CSV file in the import format (standard output without FILE).
    Export {
        /// Where to write; standard output when left out.
        file: Option<std::path::PathBuf>,
        /// Export every person with their links to requests instead (the filters do not apply).
        #[arg(long)]
        persons: bool,
        /// Also write the exported requests' documents into this folder, one folder per
        /// request, with an index `documents.csv` (docs/import.md, "Documents").
        #[arg(long, conflicts_with = "persons")]
        documents: Option<std::path::PathBuf>,
        #[command(flatten)]
        filters: StatsFilters,
    },
    /// The dashboard's figures from the command line, one row per key; with --pack, the
    /// statistics pack of the period --from to --to (docs/domain.md, "The statistics pack").
    Stats {
        #[command(flatten)]
        filters: StatsFilters,
        /// What each row is.
        #[arg(long, value_enum, required_unless_present = "pack")]
        by: Option<StatsBy>,
        /// Every table of the statistics pack of --from to --to (default: the last whole
        /// calendar year); csv prints one line per figure: table,row,column,value.
        #[arg(long, conflicts_with_all = ["by", "direction", "group", "case"])]
        pack: bool,
        /// With --pack, also write the pack as an Excel workbook to this file.
        #[arg(long, requires = "pack")]
        xlsx: Option<std::path::PathBuf>,
        /// How to print them.
        #[arg(long, value_enum, default_value = "table")]
        format: StatsFormat,
    },
    /// Copy the database, consistently, while the server runs (SQLite: VACUUM INTO).
    Backup {
        /// The copy to make; it must not exist yet.
        file: std::path::PathBuf,
    },
    /// Recount the dashboards' running totals from the requests, and rebuild the search
    /// index on SQLite (after editing the database by hand); with --check, only report
    /// whether the totals agree.
    Tally {
        /// Compare the totals with a recount and change nothing; exit 1 if they differ.
        #[arg(long)]
        check: bool,
    },
    /// Send today's e-mail digests now (docs/operations.md, "Daily digest") to everyone
    /// with an address who has not had today's yet; the server sends them each day by
    /// itself when it has an SMTP server.
    Digest {
        #[command(flatten)]
        mail: MailArgs,
        /// Print the digests instead of sending them (nothing is marked as sent).
        #[arg(long)]
        dry_run: bool,
        /// Count from this date instead of today (YYYY-MM-DD), as `serve --today` does.
        #[arg(long, env = "ROGATORY_TODAY")]
        today: Option<chrono::NaiveDate>,
    },
    /// Check the database: the file's integrity (SQLite's integrity check), the search
    /// index against the requests (SQLite) and the dashboards' totals against a recount.
    /// Changes nothing; exits 1 on any problem.
    Check,
}

/// The filters of `stats` and `export`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct StatsFilters {
    /// outgoing (default for stats) or incoming; both for export when left out.
    #[arg(long)]
    pub direction: Option<String>,
    /// First start date (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<chrono::NaiveDate>,
    /// Last start date (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<chrono::NaiveDate>,
    /// A country group, by name.
    #[arg(long)]
    pub group: Option<String>,
    /// A case, by number.
    #[arg(long)]
    pub case: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsBy {
    Country,
    Kind,
    Offence,
    Case,
    Month,
    RefusalGround,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    Csv,
    Json,
    Table,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user. The password is asked for, or read from standard input when it is
    /// not a terminal (`echo "$PW" | rogatory user add --admin ann`).
    Add {
        /// The user name (lower-case letters, digits, . _ -).
        username: String,
        /// Make the user an administrator (the same as --role admin).
        #[arg(long)]
        admin: bool,
        /// viewer, clerk or admin.
        #[arg(long, default_value = "clerk")]
        role: String,
        /// The name shown in the interface (defaults to the user name).
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ROGATORY_ADDRESS", default_value = "127.0.0.1")]
    pub address: std::net::IpAddr,
    /// Port to listen on.
    #[arg(long, env = "ROGATORY_PORT", default_value_t = 3000)]
    pub port: u16,
    /// Folder with the built browser bundle and assets (cargo-leptos' site root).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Mark session cookies Secure (set this when users reach the server over HTTPS;
    /// a proxy's `X-Forwarded-Proto: https` does the same per request).
    #[arg(long, env = "ROGATORY_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Sign-in attempts each address may make a minute (0: no limit).
    #[arg(long, env = "ROGATORY_SIGN_INS_PER_MINUTE", default_value_t = DEFAULT_SIGN_INS_PER_MINUTE)]
    pub sign_ins_per_minute: u32,
    /// Passwords checked at once (each check holds 19 MiB); more sign-ins wait their
    /// turn. Default: one per core.
    #[arg(long, env = "ROGATORY_PASSWORD_CHECKS")]
    pub password_checks: Option<usize>,
    /// Serve as if today were this date (YYYY-MM-DD): overdue flags, custody deadlines
    /// and date checks count from it. For demonstrations and tests; default: the
    /// server's local date.
    #[arg(long, env = "ROGATORY_TODAY")]
    pub today: Option<chrono::NaiveDate>,
    /// The largest document file accepted, in megabytes.
    #[arg(long, env = "ROGATORY_MAX_DOCUMENT_MB", default_value_t = DEFAULT_MAX_DOCUMENT_MB)]
    pub max_document_mb: u64,
    #[command(flatten)]
    pub mail: MailArgs,
}

/// Where and when the daily e-mail digest goes (nothing is sent without `--smtp-url`).
#[derive(Clone, Args)]
pub struct MailArgs {
    /// The SMTP server of the daily digest: `smtp://HOST:PORT` (plain; add `?tls=required`
    /// for STARTTLS), `smtps://USER:PASSWORD@HOST:465` (TLS). Without it the server sends
    /// no e-mail.
    #[arg(long, env = "ROGATORY_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The digest's sender, `Name <address>` or an address.
    #[arg(long, env = "ROGATORY_MAIL_FROM", default_value = DEFAULT_MAIL_FROM)]
    pub mail_from: String,
    /// The local time (HH:MM) the digests go out each day; a server started later in the
    /// day sends that day's at once.
    #[arg(long, env = "ROGATORY_DIGEST_AT", default_value = DEFAULT_DIGEST_AT, value_parser = parse_time)]
    pub digest_at: chrono::NaiveTime,
    /// The address people open Rogatory at (`https://rogatory.example.org`), for the
    /// links in e-mails; without it the digest has none.
    #[arg(long, env = "ROGATORY_PUBLIC_URL")]
    pub public_url: Option<String>,
}

pub const DEFAULT_MAIL_FROM: &str = "Rogatory <rogatory@localhost>";
pub const DEFAULT_DIGEST_AT: &str = "07:00";

fn parse_time(s: &str) -> Result<chrono::NaiveTime, String> {
    chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| format!("{s:?} is not a time of day such as 07:00"))
}

/// The SMTP URL may hold a password: it is never printed.
impl std::fmt::Debug for MailArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailArgs")
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "(set)"))
            .field("mail_from", &self.mail_from)
            .field("digest_at", &self.digest_at)
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl MailArgs {
    /// The settings from the environment alone (`rogatory` without a command).
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        MailArgs {
            smtp_url: var("ROGATORY_SMTP_URL"),
            mail_from: var("ROGATORY_MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.into()),
            digest_at: var("ROGATORY_DIGEST_AT")
                .and_then(|v| parse_time(&v).ok())
                .unwrap_or_else(|| parse_time(DEFAULT_DIGEST_AT).expect("the default time")),
            public_url: var("ROGATORY_PUBLIC_URL"),
        }
    }
}

pub const DEFAULT_MAX_DOCUMENT_MB: u64 = app::domain::document::DEFAULT_MAX_BYTES / (1024 * 1024);

pub const DEFAULT_SIGN_INS_PER_MINUTE: u32 = 20;

impl Default for ServeArgs {
    fn default() -> Self {
        // cargo-leptos sets LEPTOS_SITE_ADDR when it runs the server itself
        let (address, port) = std::env::var("LEPTOS_SITE_ADDR")
            .ok()
            .and_then(|a| a.parse::<SocketAddr>().ok())
            .map(|a| (a.ip(), a.port()))
            .unwrap_or(([127, 0, 0, 1].into(), 3000));
        let address = std::env::var("ROGATORY_ADDRESS").ok().and_then(|a| a.parse().ok()).unwrap_or(address);
        let port = std::env::var("ROGATORY_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(port);
        let site_root = std::env::var("LEPTOS_SITE_ROOT").map(PathBuf::from).unwrap_or_else(|_| "target/site".into());
        let secure_cookies = std::env::var("ROGATORY_SECURE_COOKIES").is_ok_and(|v| v == "true" || v == "1");
        let sign_ins_per_minute = std::env::var("ROGATORY_SIGN_INS_PER_MINUTE")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_SIGN_INS_PER_MINUTE);
        let password_checks = std::env::var("ROGATORY_PASSWORD_CHECKS").ok().and_then(|v| v.parse().ok());
        let today = std::env::var("ROGATORY_TODAY").ok().and_then(|v| v.parse().ok());
        let max_document_mb =
            std::env::var("ROGATORY_MAX_DOCUMENT_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_MAX_DOCUMENT_MB);
        let mail = MailArgs::from_env();
        ServeArgs { address, port, site_root, secure_cookies, sign_ins_per_minute, password_checks, today, max_document_mb, mail }
    }
}

impl ServeArgs {
    pub fn socket(&self) -> SocketAddr {
        SocketAddr::new(self.address, self.port)
    }
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// How many requests to generate.
    #[arg(long, default_value_t = 400)]
    pub requests: usize,
    /// Seed of the generator: the same seed gives the same data.
    #[arg(long, default_value_t = 20_250_173)]
    pub seed: u64,
    /// Load only if the database holds no requests yet (so a restart does not add more).
    #[arg(long)]
    pub if_empty: bool,
}
