#![recursion_limit = "512"]
//! `rogatory`: serve the app, migrate the database, load demo data.

mod check;
mod config;
mod demo;
mod demo_assets;
mod demo_documents;
mod demo_handling;
mod demo_persons;
mod digest;
#[cfg(test)]
mod document_tests;
mod documents;
mod export;
mod extract;
#[cfg(test)]
mod fuzz_tests;
mod gate;
mod interchange;
#[cfg(test)]
mod interchange_tests;
mod language;
#[cfg(test)]
mod second_factor_tests;
#[cfg(test)]
mod security_tests;
mod serve;
mod statistics;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
mod throttle;
#[cfg(test)]
mod totals_tests;
mod users;
mod workbook;

use app::db::Db;
use clap::Parser;
use config::{Cli, Command, ServeArgs, UserCommand};
use tracing_subscriber::EnvFilter;

fn main() {
    limit_malloc_arenas();
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("the async runtime").block_on(start());
}

/// glibc gives each thread that contends for the allocator an arena of its own (up to
/// eight per core) and seldom returns their memory; two arenas serve the same
/// throughput with half the memory. And glibc raises its threshold for serving a large
/// allocation by a mapping of its own as large blocks are freed, after which blocks such
/// as a password check's 19 MiB come from the arenas and stay there. A fixed threshold
/// gives every block over 4 MiB back when it is freed (docs/decisions/0007-server-memory.md).
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
    }
}

async fn start() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    if let Err(e) = run(cli).await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> serve::anyhow_like::Result<()> {
    let db = Db::connect(&cli.database_url).await?;
    db.migrate().await?;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => serve::run(db, args).await?,
        Command::Migrate => println!("Database is up to date."),
        Command::Demo(args) => {
            let created = demo::load(&db, &args).await?;
            match created {
                Some(n) => println!("Loaded {n} demo requests."),
                None => println!("The database already holds requests; demo data not loaded."),
            }
            demo::users(&db).await?;
            demo::groups(&db).await?;
            // with --if-empty on a registry that holds requests, no demo extraditions either
            if created.is_some() {
                demo_persons::load(&db).await?;
                demo_handling::load(&db).await?;
                demo_assets::load(&db).await?;
            }
        }
        Command::Import { file, dry_run, persons: true, .. } => {
            if !interchange::import_persons(&db, &file, dry_run).await? {
                std::process::exit(1);
            }
        }
        Command::Import { file, dry_run, update, persons: false } => {
            if !interchange::import_file(&db, &file, dry_run, update).await? {
                std::process::exit(1);
            }
        }
        Command::Export { file, persons: true, .. } => {
            let n = interchange::export_persons(&db, file.as_deref()).await?;
            if file.is_some() {
                println!("Exported {n} persons.");
            }
        }
        Command::Export { file, filters, persons: false, documents } => {
            let n = interchange::export(&db, file.as_deref(), &filters).await?;
            if file.is_some() {
                println!("Exported {n} requests.");
            }
            if let Some(dir) = documents {
                let written = interchange::export_documents(&db, &dir, &filters).await?;
                println!("Wrote {written} documents to {}.", dir.display());
            }
        }
        Command::Stats { filters, pack: true, xlsx, format, .. } => {
            if !crate::statistics::run(&db, &filters, xlsx.as_deref(), format).await? {
                std::process::exit(2);
            }
        }
        Command::Stats { filters, by, format, .. } => {
            let by = by.ok_or("--by is required without --pack")?;
            let rows = interchange::stats_rows(&db, &filters, by).await?;
            interchange::print_stats(&rows, format)?;
        }
        Command::Backup { file } => {
            interchange::backup(&db, &file).await?;
            println!("Backed up to {}. Restore: stop the server, put this file in place of the database file (remove its -wal and -shm files), start again.", file.display());
        }
        Command::Tally { check } => {
            let mut tx = db.begin_write().await?;
            let before = app::db::totals::snapshot(&mut tx).await?;
            app::db::totals::rebuild(&mut tx).await?;
            let after = app::db::totals::snapshot(&mut tx).await?;
            if check {
                tx.rollback().await?;
                if before != after {
                    eprintln!(
                        "The running totals differ from a recount ({} summary rows before, {} after); run `rogatory tally`.",
                        before.len(),
                        after.len()
                    );
                    std::process::exit(1);
                }
                println!("The running totals agree with a recount ({} summary rows).", after.len());
            } else {
                if db.backend() == app::db::Backend::Sqlite {
                    app::db::search::rebuild_search_index(&mut tx).await?;
                }
                tx.commit().await?;
                println!("Recounted: {} summary rows ({} changed).", after.len(), if before == after { "none" } else { "some" });
            }
        }
        Command::Digest { mail, dry_run, today } => {
            let day = today.unwrap_or_else(app::db::today);
            let report = if dry_run {
                digest::run_day(&db, &digest::Delivery::Print { site: mail.public_url.as_deref() }, day).await?
            } else {
                let mailer = digest::Mailer::new(&mail)?
                    .ok_or("no SMTP server: set --smtp-url or ROGATORY_SMTP_URL (or use --dry-run)")?;
                digest::run_day(&db, &digest::Delivery::Send(&mailer), day).await?
            };
            if !dry_run {
                println!("{day}: {report}.");
                if report.failed > 0 {
                    std::process::exit(1);
                }
            }
        }
        Command::Check => {
            if check::run(&db).await? > 0 {
                std::process::exit(1);
            }
        }
        Command::User(UserCommand::Add { username, admin, role, name }) => {
            let role = if admin { "admin".to_string() } else { role };
            users::add(&db, &username, &role, name.as_deref()).await?;
        }
    }
    Ok(())
}
