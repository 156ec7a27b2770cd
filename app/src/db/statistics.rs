//! The statistics pack's requests: every one that may count in a period's pack.

use super::decode::{code, corrupt, date, status};
use super::{Db, DbResult};
use crate::domain::assets::AssetSums;
use crate::domain::statistics::{build, Pack, PackPeriod, PackRow};
use crate::domain::{Direction, Kind, Offence, RefusalGround};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

fn pack_row(r: &AnyRow) -> DbResult<PackRow> {
    let start: Option<String> = r.try_get("start_date")?;
    let ground: Option<String> = r.try_get("refusal_ground")?;
    Ok(PackRow {
        direction: code("direction", &r.try_get::<String, _>("direction")?, Direction::from_code)?,
        country: r.try_get("country")?,
        kind: code("kind", &r.try_get::<String, _>("kind")?, Kind::from_code)?,
        offence: code("offence", &r.try_get::<String, _>("offence")?, Offence::from_code)?,
        status: status(&r.try_get::<String, _>("status")?)?,
        start: date(start.clone())?.ok_or_else(|| corrupt("start date", &start.unwrap_or_default()))?,
        answered_on: date(r.try_get("answered_on")?)?,
        withdrawn_on: date(r.try_get("withdrawn_on")?)?,
        ground: ground.as_deref().map(|g| code("refusal ground", g, RefusalGround::from_code)).transpose()?,
    })
}

/// The requests started by the period's end (`$1`) that were not answered before its
/// start (`$2`), drafts aside; a withdrawn one with the day of its last change to
/// withdrawn on its timeline.
const PACK_ROWS: &str = "\
    SELECT r.direction, r.country, r.kind, r.offence, r.status, r.start_date, r.answered_on, r.refusal_ground, \
           CASE WHEN r.status = 'withdrawn' THEN \
             (SELECT MAX(e.on_date) FROM request_events e WHERE e.request_id = r.id AND e.to_status = 'withdrawn') \
           END AS withdrawn_on \
    FROM requests r \
    WHERE r.status <> 'draft' AND r.start_date IS NOT NULL AND r.start_date <= $1 \
      AND (r.start_date >= $2 OR r.answered_on IS NULL OR r.answered_on >= $2)";

/// The statistics pack of `period`, persons in extradition and measures on assets included.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pack(db: &Db, period: PackPeriod, today: NaiveDate) -> DbResult<Pack> {
    let rows = sqlx::query(PACK_ROWS).bind(period.to.to_string()).bind(period.from.to_string());
    let extradition = crate::domain::RequestFilter { from: Some(period.from), to: Some(period.to), ..Default::default() };
    let (rows, persons, measures) = tokio::try_join!(
        async { Ok(rows.fetch_all(&db.pool).await?) },
        super::countries::person_figures(db, &extradition, today),
        super::assets::taken_between(db, period.from, period.to),
    )?;
    let rows = rows.iter().map(pack_row).collect::<DbResult<Vec<_>>>()?;
    let mut pack = build(&rows, period);
    for side in [&mut pack.made, &mut pack.received] {
        side.persons = persons.iter().filter(|((_, d), _)| *d == side.direction).map(|((c, _), f)| (c.clone(), *f)).collect();
        side.persons.sort_by(|a, b| b.1.sought.cmp(&a.1.sought).then_with(|| a.0.cmp(&b.0)));
        side.assets = AssetSums::of(measures.iter().filter(|(d, _)| *d == side.direction).map(|(_, m)| m));
    }
    Ok(pack)
}
