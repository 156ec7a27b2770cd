//! Country profiles (kept by administrators, audited), the custody limits of the legal
//! bases, and the persons figures of extradition per country.

use super::actor::Actor;
use super::audit;
use super::conditions::push_filter;
use super::custody::days;
use super::decode::code;
use super::sql::{Param, Sql};
use super::{now, Db, DbError, DbResult};
use crate::domain::country_profile::{BasisRule, CountryPage, CountryProfile, PersonFigures};
use crate::domain::custody::CustodyRule;
use crate::domain::dashboard::DashboardParams;
use crate::domain::languages::accepted;
use crate::domain::person::PersonRole;
use crate::domain::{Direction, Kind, RequestFilter, Status};
use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// The limits in a row's `arrest_days` and `surrender_days` (a legal basis' or a profile's).
fn rule_of(r: &sqlx::any::AnyRow) -> DbResult<CustodyRule> {
    Ok(CustodyRule { arrest_days: days(r, "arrest_days")?, surrender_days: days(r, "surrender_days")? })
}

/// A country's profile and its version, if one is kept.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn profile(db: &Db, country: &str) -> DbResult<Option<(CountryProfile, i64)>> {
    let row = sqlx::query(
        "SELECT treaties, central_authority, contacts, languages, arrest_days, surrender_days, notes, version \
         FROM country_profiles WHERE country = $1",
    )
    .bind(country)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let treaties: String = r.try_get("treaties")?;
    let profile = CountryProfile {
        treaties: treaties.split(',').filter(|t| !t.is_empty()).map(String::from).collect(),
        central_authority: r.try_get("central_authority")?,
        contacts: r.try_get("contacts")?,
        languages: r.try_get("languages")?,
        custody: rule_of(&r)?,
        notes: r.try_get("notes")?,
    };
    Ok(Some((profile, r.try_get("version")?)))
}

/// The profile's columns and values, in one order.
fn values(p: &CountryProfile) -> [(&'static str, Param); 7] {
    let days = |d: Option<u32>| Param::OptInt(d.map(i64::from));
    [
        ("treaties", Param::Text(p.treaties.join(","))),
        ("central_authority", Param::OptText(p.central_authority.clone())),
        ("contacts", Param::OptText(p.contacts.clone())),
        ("languages", Param::OptText(p.languages.clone())),
        ("arrest_days", days(p.custody.arrest_days)),
        ("surrender_days", days(p.custody.surrender_days)),
        ("notes", Param::OptText(p.notes.clone())),
    ]
}

/// Keeps a country's profile: a first one (`version` None), or a change to the one read
/// at `version` (else `Conflict`, nothing written).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save(
    conn: &mut AnyConnection,
    country: &str,
    version: Option<i64>,
    p: &CountryProfile,
    actor: &Actor,
) -> DbResult<()> {
    let current: Option<i64> = sqlx::query_scalar("SELECT version FROM country_profiles WHERE country = $1")
        .bind(country)
        .fetch_optional(&mut *conn)
        .await?;
    let mut sql;
    match (current, version) {
        (None, None) => {
            let columns: Vec<&str> = values(p).iter().map(|(c, _)| *c).collect();
            sql = Sql::new(&format!("INSERT INTO country_profiles (country, {}, updated_at) VALUES (", columns.join(", ")));
            sql.text(country).push(", ");
            for (_, value) in values(p) {
                sql.bind(value).push(", ");
            }
            sql.text(now()).push(")");
        }
        (Some(current), Some(read)) if current == read => {
            sql = Sql::new("UPDATE country_profiles SET ");
            for (column, value) in values(p) {
                sql.push(column).push(" = ").bind(value).push(", ");
            }
            sql.push("updated_at = ").text(now()).push(", version = version + 1 WHERE country = ").text(country);
        }
        (Some(current_version), _) => return Err(DbError::Conflict { current_version }),
        (None, Some(_)) => return Err(DbError::NotFound("Country profile")),
    }
    sql.query().execute(&mut *conn).await?;
    set_languages(conn, country, p.languages.as_deref().unwrap_or("")).await?;
    audit::record(conn, actor, "country.update", Some("country"), Some(country.to_string()), None).await
}

/// Keeps `country_languages` to the languages a profile's text names (words that are not
/// a language are left out; the profile form refuses them).
async fn set_languages(conn: &mut AnyConnection, country: &str, text: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM country_languages WHERE country = $1").bind(country).execute(&mut *conn).await?;
    let codes = match accepted(text) {
        Ok(codes) => codes,
        Err(_) => text.split([',', ';', '/']).filter_map(crate::domain::languages::code_of).collect(),
    };
    for code in codes {
        sqlx::query("INSERT INTO country_languages (country, language) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(country)
            .bind(code)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Reads the accepted languages of the profiles saved before `country_languages` existed
/// (nothing once it holds any): the number of countries read.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn fill_languages(db: &Db) -> DbResult<u64> {
    let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM country_languages").fetch_one(&db.pool).await?;
    if known > 0 {
        return Ok(0);
    }
    let profiles: Vec<(String, String)> =
        sqlx::query_as("SELECT country, languages FROM country_profiles WHERE languages IS NOT NULL").fetch_all(&db.pool).await?;
    if profiles.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin_write().await?;
    for (country, text) in &profiles {
        set_languages(&mut tx, country, text).await?;
    }
    tx.commit().await?;
    Ok(profiles.len() as u64)
}

/// Every legal basis with its custody limits, in the form's order.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn basis_rules(db: &Db) -> DbResult<Vec<BasisRule>> {
    let rows = sqlx::query("SELECT code, label, arrest_days, surrender_days FROM legal_bases ORDER BY position, label")
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| Ok(BasisRule { code: r.try_get("code")?, label: r.try_get("label")?, rule: rule_of(r)? })).collect()
}

/// Persons in extradition requests, per country and direction (domain.md, "Persons in the
/// figures"): the persons the extradition requests `f` selects seek (accused, wanted or
/// convicted; drafts aside), each once per country and direction; of them those
/// surrendered (a fulfilled or partially fulfilled request, or a surrender date in their
/// custody) and those refused (a refused request, and not surrendered on another).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn person_figures(
    db: &Db,
    f: &RequestFilter,
    today: NaiveDate,
) -> DbResult<BTreeMap<(String, Direction), PersonFigures>> {
    let mut sql = Sql::new("SELECT r.country, r.direction, rp.person_id, CAST(MAX(CASE WHEN r.status IN (");
    sql.text(Status::Fulfilled.code()).push(", ").text(Status::PartiallyFulfilled.code());
    sql.push(") OR k.surrendered_on IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS surrendered, ");
    sql.push("CAST(MAX(CASE WHEN r.status = ").text(Status::Refused.code()).push(" THEN 1 ELSE 0 END) AS BIGINT) AS refused ");
    sql.push(
        "FROM request_persons rp JOIN requests r ON r.id = rp.request_id \
         LEFT JOIN custody k ON k.request_id = rp.request_id AND k.person_id = rp.person_id",
    );
    let extradition = RequestFilter { kind: Some(Kind::Extradition), status: None, q: None, ..f.clone() };
    push_filter(&mut sql, &extradition, &today.to_string());
    sql.push(" AND r.status <> ").text(Status::Draft.code()).push(" AND rp.role IN (");
    for (i, role) in [PersonRole::Accused, PersonRole::Wanted, PersonRole::Convicted].into_iter().enumerate() {
        sql.push(if i == 0 { "" } else { ", " }).text(role.code());
    }
    sql.push(") GROUP BY r.country, r.direction, rp.person_id");
    let mut figures: BTreeMap<(String, Direction), PersonFigures> = BTreeMap::new();
    for r in sql.query().fetch_all(&db.pool).await? {
        let direction = code("direction", &r.try_get::<String, _>("direction")?, Direction::from_code)?;
        let f = figures.entry((r.try_get("country")?, direction)).or_default();
        f.sought += 1;
        if r.try_get::<i64, _>("surrendered")? == 1 {
            f.surrendered += 1;
        } else if r.try_get::<i64, _>("refused")? == 1 {
            f.refused += 1;
        }
    }
    Ok(figures)
}

/// A country's page: its profile, the custody limits in force for its requests, and its
/// persons and requests figures over all time, in both directions.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn page(db: &Db, country: &str, today: NaiveDate) -> DbResult<CountryPage> {
    let figures = |direction: Direction| {
        let params = DashboardParams::from_pairs([("direction", direction.code()), ("period", "all"), ("country", country)]);
        async move { Ok::<_, DbError>(super::dashboard::dashboard(db, &params, today).await?.figures) }
    };
    let only_country = RequestFilter { country: Some(country.to_string()), ..Default::default() };
    let (kept, rules, persons, outgoing, incoming) = tokio::try_join!(
        profile(db, country),
        basis_rules(db),
        person_figures(db, &only_country, today),
        figures(Direction::Outgoing),
        figures(Direction::Incoming)
    )?;
    let (profile, version) = kept.map_or((CountryProfile::default(), None), |(p, v)| (p, Some(v)));
    let persons_of = |d: Direction| persons.get(&(country.to_string(), d)).copied().unwrap_or_default();
    Ok(CountryPage {
        code: country.to_string(),
        rules: rules.into_iter().map(|b| BasisRule { rule: b.rule.overridden_by(profile.custody), ..b }).collect(),
        profile,
        version,
        persons: [persons_of(Direction::Outgoing), persons_of(Direction::Incoming)],
        requests: [outgoing, incoming],
    })
}
