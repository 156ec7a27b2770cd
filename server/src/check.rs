//! `rogatory check`: what can go wrong with a database without the application noticing
//! — a damaged file, a search index or totals that drifted from the requests, registry
//! numbers from before they were unique whatever their letter case, an audit trail
//! changed behind the application's back, a document's file whose bytes no longer match
//! its digest — each step printing "ok" or what it found.
//! Changes nothing.

use crate::serve::anyhow_like::Result;
use app::db::{audit, documents, requests, search, totals, Db};

/// Runs every check; returns how many found a problem.
pub async fn run(db: &Db) -> Result<usize> {
    let found = [
        file(db).await?,
        search_index(db).await?,
        totals(db).await?,
        registry_numbers(db).await?,
        audit_trail(db).await?,
        document_files(db).await?,
    ];
    println!("requests: {}", requests::count_stored(db).await?);
    Ok(found.into_iter().filter(|ok| !ok).count())
}

fn report(what: &str, problem: Option<String>) -> bool {
    match problem {
        None => {
            println!("{what}: ok");
            true
        }
        Some(p) => {
            eprintln!("{what}: {p}");
            false
        }
    }
}

async fn file(db: &Db) -> Result<bool> {
    Ok(report("integrity", db.file_problem().await?))
}

async fn search_index(db: &Db) -> Result<bool> {
    if db.backend() != app::db::Backend::Sqlite {
        return Ok(true);
    }
    let mut tx = db.begin_write().await?;
    let problem = search::search_index_problem(&mut tx).await;
    tx.rollback().await?;
    Ok(report("search index", problem.map(|e| format!("it differs from the requests ({e}); run `rogatory tally`"))))
}

async fn totals(db: &Db) -> Result<bool> {
    let mut tx = db.begin_write().await?;
    let before = totals::snapshot(&mut tx).await?;
    totals::rebuild(&mut tx).await?;
    let after = totals::snapshot(&mut tx).await?;
    tx.rollback().await?;
    if before == after {
        println!("totals: ok ({} summary rows)", after.len());
        return Ok(true);
    }
    Ok(report("totals", Some("they differ from a recount; run `rogatory tally`".into())))
}

async fn registry_numbers(db: &Db) -> Result<bool> {
    let shared = requests::requests_sharing_a_key(db).await?;
    let list: Vec<String> = shared
        .iter()
        .map(|(id, reference, other, theirs)| {
            format!("{reference:?} (request {id}) is {theirs:?} (request {other}) but for letter case")
        })
        .collect();
    Ok(report("registry numbers", (!list.is_empty()).then(|| format!("{}; give each its own number", list.join("; ")))))
}

async fn audit_trail(db: &Db) -> Result<bool> {
    let check = audit::verify_chain(db).await?;
    let problem = check.broken.map(|(id, why)| match id {
        Some(id) => format!("entry {id} does not fit the chain: {why}"),
        None => why,
    });
    if problem.is_none() {
        let before =
            if check.before_chain > 0 { format!("; {} from before the chain began", check.before_chain) } else { String::new() };
        println!("audit trail: ok ({} entries chained{before})", check.chained);
        return Ok(true);
    }
    Ok(report("audit trail", problem))
}

async fn document_files(db: &Db) -> Result<bool> {
    let bad = documents::verify(db).await?;
    let list: Vec<String> = bad.iter().map(|(id, why)| format!("document {id}: {why}")).collect();
    Ok(report("document files", (!list.is_empty()).then(|| list.join("; "))))
}
