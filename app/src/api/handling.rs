//! Server functions of a request's handling: its assignee, acknowledgement, clock stops
//! and executing authority; My work, the workload and the reminder schedule.

use crate::domain::handling::{AcknowledgementInput, ExecutionInput, Handling, ResumeClockInput, StopClockInput};
use crate::domain::reminders::{ScheduleInput, Step};
use crate::domain::work::{MyWork, Workload};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::context::{db, require, respond};
#[cfg(feature = "ssr")]
use crate::db;
#[cfg(feature = "ssr")]
use crate::domain::handling::Current;
#[cfg(feature = "ssr")]
use crate::domain::Role;

/// A request's handling, as its page shows it.
#[server(endpoint = "get_handling", input = Json)]
pub async fn get_handling(id: i64) -> Result<Handling, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            Ok(db::handling::of_request(&db()?, id, db::today()).await?)
        }
        .await,
    )
}

/// Checks `check` against the request as stored, then writes.
#[cfg(feature = "ssr")]
async fn checked<T>(
    id: i64,
    check: impl FnOnce(Current<'_>) -> Result<T, Vec<crate::domain::FieldError>>,
) -> Result<(db::Db, crate::db::actor::Actor, T), AppError> {
    let (_, actor) = require(Role::Clerk)?;
    let db = db()?;
    let s = db::handling::state(&db, id).await?;
    let current = Current {
        direction: s.direction,
        status: s.status,
        start_date: s.start_date,
        answered_on: s.answered_on,
        stops: &s.stops,
    };
    let valid = check(current).map_err(AppError::Validation)?;
    Ok((db, actor, valid))
}

/// The people requests can be given to (the registry's "Assigned to" filter).
#[server(endpoint = "list_assignees", input = Json)]
pub async fn list_assignees() -> Result<Vec<crate::domain::handling::Assignee>, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            Ok(db::handling::assignees(&db()?).await?)
        }
        .await,
    )
}

/// Gives the request to a clerk or administrator (`assignee` None: to no one).
#[server(endpoint = "assign_request", input = Json)]
pub async fn assign_request(id: i64, assignee: Option<i64>) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let to = match assignee {
                None => None,
                Some(user) => match db::handling::assignees(&db).await?.into_iter().find(|a| a.id == user) {
                    Some(a) => Some(a),
                    None => {
                        let message = crate::tr!(handling.choose_someone_from_the_list).to_string();
                        return Err(AppError::Validation(vec![crate::domain::FieldError { field: "assignee".into(), message }]));
                    }
                },
            };
            db::requests::get(&db, id).await?;
            Ok(db::handling::assign(&db, id, to.as_ref(), &actor).await?)
        }
        .await,
    )
}

/// Records (or, with an empty date, clears) the counterpart's acknowledgement.
#[server(endpoint = "set_acknowledgement", input = Json)]
pub async fn set_acknowledgement(id: i64, input: AcknowledgementInput) -> Result<(), AppError> {
    respond(
        async {
            let (db, actor, on) = checked(id, |c| input.validate(c, db::today())).await?;
            Ok(db::handling::acknowledge(&db, id, on, &actor).await?)
        }
        .await,
    )
}

/// Stops the request's clock while it waits for the requesting side.
#[server(endpoint = "stop_clock", input = Json)]
pub async fn stop_clock(id: i64, input: StopClockInput) -> Result<(), AppError> {
    respond(
        async {
            let (db, actor, stop) = checked(id, |c| input.validate(c, db::today())).await?;
            Ok(db::handling::stop_clock(&db, id, &stop, &actor).await?)
        }
        .await,
    )
}

/// Resumes the request's stopped clock.
#[server(endpoint = "resume_clock", input = Json)]
pub async fn resume_clock(id: i64, input: ResumeClockInput) -> Result<(), AppError> {
    respond(
        async {
            let (db, actor, (stop, on)) = checked(id, |c| input.validate(c, db::today())).await?;
            Ok(db::handling::resume_clock(&db, id, stop, on, &actor).await?)
        }
        .await,
    )
}

/// Records the domestic authority executing an incoming request.
#[server(endpoint = "set_execution", input = Json)]
pub async fn set_execution(id: i64, input: ExecutionInput) -> Result<(), AppError> {
    respond(
        async {
            let (db, actor, execution) = checked(id, |c| input.validate(c, db::today())).await?;
            Ok(db::handling::set_execution(&db, id, &execution, &actor).await?)
        }
        .await,
    )
}

/// What the signed-in user must see to today.
#[server(endpoint = "get_my_work", input = Json)]
pub async fn get_my_work() -> Result<MyWork, AppError> {
    respond(
        async {
            let (user, _) = require(Role::Viewer)?;
            Ok(db::work::my_work(&db()?, user.id, db::today()).await?)
        }
        .await,
    )
}

/// Everyone's open requests by age.
#[server(endpoint = "get_workload", input = Json)]
pub async fn get_workload() -> Result<Workload, AppError> {
    respond(
        async {
            require(Role::Admin)?;
            Ok(db::work::workload(&db()?, db::today()).await?)
        }
        .await,
    )
}

/// The office's reminder schedule.
#[server(endpoint = "get_reminder_schedule", input = Json)]
pub async fn get_reminder_schedule() -> Result<Vec<Step>, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            Ok(db::reminders::schedule(&db()?).await?)
        }
        .await,
    )
}

/// Replaces the reminder schedule.
#[server(endpoint = "save_reminder_schedule", input = Json)]
pub async fn save_reminder_schedule(input: ScheduleInput) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Admin)?;
            let steps = input.validate().map_err(AppError::Validation)?;
            Ok(db::reminders::set_schedule(&db()?, &steps, &actor).await?)
        }
        .await,
    )
}
