//! The demo's measures on assets: on the asset requests that were executed, the assets
//! frozen soon after the start, and on those fulfilled in full a confiscation of part of
//! them and, on some, its return — through the same data layer as the request page.

use app::db::actor::Actor;
use app::db::{requests, today, Db, DbResult};
use app::domain::assets::{AssetMeasure, AssetStage};
use app::domain::{Kind, Request, RequestFilter, Status};
use chrono::{Days, NaiveDate};

const CURRENCIES: &[&str] = &["EUR", "EUR", "USD", "EUR", "CHF", "GBP"];

/// The measures of one demo request, by its id (so the same every time).
fn measures(r: &Request, today: NaiveDate) -> Vec<AssetMeasure> {
    let Some(start) = r.start_date else { return Vec::new() };
    let n = r.id.unsigned_abs();
    let currency = CURRENCIES[(n % CURRENCIES.len() as u64) as usize].to_string();
    let frozen = ((n * 7_919) % 900 + 50) as i64 * 100_000 + ((n * 31) % 100) as i64;
    let on = |days: u64| start.checked_add_days(Days::new(days)).filter(|d| *d <= today);
    let measure = |stage, amount_cents, day: NaiveDate| AssetMeasure {
        stage,
        amount_cents,
        currency: currency.clone(),
        taken_on: day,
        note: None,
    };
    let mut out = Vec::new();
    if let Some(day) = on(20 + n % 40) {
        out.push(measure(AssetStage::Frozen, frozen, day));
    }
    if r.status == Status::Fulfilled {
        let confiscated = frozen / 100 * 60;
        if let Some(day) = r.answered_on.filter(|d| *d >= start) {
            out.push(measure(AssetStage::Confiscated, confiscated, day));
            if n.is_multiple_of(3) {
                if let Some(back) = day.checked_add_days(Days::new(45)).filter(|d| *d <= today) {
                    out.push(measure(AssetStage::Repatriated, confiscated / 2, back));
                }
            }
        }
    }
    out
}

/// Records the demo's measures unless some are kept already.
pub async fn load(db: &Db) -> DbResult<()> {
    let mut conn = db.connection().await?;
    let any: Option<i64> = sqlx::query_scalar("SELECT id FROM asset_measures LIMIT 1").fetch_optional(&mut *conn).await?;
    drop(conn);
    if any.is_some() {
        return Ok(());
    }
    let today = today();
    let actor = Actor { user_id: None, username: "demo".into(), ip: None };
    let assets = RequestFilter { kind: Some(Kind::Assets), ..Default::default() };
    let executed = [Status::Fulfilled, Status::PartiallyFulfilled, Status::InProgress];
    let mut tx = db.begin_write().await?;
    for r in requests::matching(db, &assets, today).await?.iter().filter(|r| executed.contains(&r.status)) {
        for m in measures(r, today) {
            app::db::assets::add(&mut tx, r.id, &m, &actor).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
