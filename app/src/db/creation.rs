//! Creating a request. On PostgreSQL each creation runs in a transaction of its own,
//! side by side with the others. New requests on SQLite are written in groups: one task
//! takes the creations waiting at that moment and writes them in one transaction, each
//! inside a savepoint of its own (a rejected one — a reference already taken, say — is
//! undone alone and answered with its own error), and answers each only after the
//! transaction is committed. The group's timeline entries, audit entries and totals are
//! written together, before the commit (`write`). SQLite commits one transaction at a
//! time and each commit waits for the disk, so sixteen clerks saving at once share
//! commits instead of queueing for one each; a single creation is written at once.

use super::actor::Actor;
use super::pool::{Creation, Writer};
use super::{now, requests, Db, DbError, DbResult};
use crate::domain::ValidRequest;
use sqlx::Executor;
use std::sync::Arc;
use tokio::sync::{mpsc, Mutex};

/// At most this many creations in one transaction.
const MAX_GROUP: usize = 64;

/// Creates a request (and its case, if new) in one transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create(db: &Db, v: &ValidRequest, actor: &Actor) -> DbResult<i64> {
    if let Some(creations) = &db.creations {
        // SQLite: written with the other creations waiting at this moment
        let (reply, answer) = tokio::sync::oneshot::channel();
        let creation = Creation { v: v.clone(), actor: actor.clone(), at: now(), reply };
        let stopped = || DbError::WriteFailed("the writer has stopped".into());
        creations.send(creation).map_err(|_| stopped())?;
        return answer.await.map_err(|_| stopped())?;
    }
    let mut tx = db.begin_write().await?;
    let id = requests::insert_in(&mut tx, v, actor, &now()).await?;
    tx.commit().await?;
    Ok(id)
}

/// Starts the task that writes the creations sent to the returned sender, on the SQLite
/// writers' connection (taking turns with the other writers). It ends when every sender
/// is gone (the `Db` and its clones dropped).
pub(crate) fn start(writer: Arc<Mutex<Writer>>) -> mpsc::UnboundedSender<Creation> {
    let (send, mut receive) = mpsc::unbounded_channel::<Creation>();
    tokio::spawn(async move {
        while let Some(first) = receive.recv().await {
            let mut group = vec![first];
            while group.len() < MAX_GROUP {
                match receive.try_recv() {
                    Ok(c) => group.push(c),
                    Err(_) => break,
                }
            }
            write(&writer, group).await;
        }
    });
    send
}

/// Writes a group of creations in one transaction and answers each.
async fn write(writer: &Arc<Mutex<Writer>>, group: Vec<Creation>) {
    let mut tx = match Db::begin_in_turn(writer.clone().lock_owned().await).await {
        Ok(tx) => tx,
        Err(e) => return fail(group, &e.to_string()),
    };
    let mut answers: Vec<DbResult<(i64, bool)>> = Vec::with_capacity(group.len());
    for c in &group {
        if let Err(e) = tx.execute("SAVEPOINT creation").await {
            return fail(group, &e.to_string());
        }
        let done = requests::insert_created_row(&mut tx, &c.v, &c.at).await;
        let end = if done.is_ok() { "RELEASE creation" } else { "ROLLBACK TO creation; RELEASE creation" };
        if let Err(e) = tx.execute(end).await {
            return fail(group, &e.to_string());
        }
        answers.push(done);
    }
    // The group's requests recorded (timeline, audit trail) and counted into the
    // dashboard totals together: six statements for the group rather than six for each.
    // Each statement is a round trip to SQLite's thread, and under 16 writers the
    // switches between threads took over 40 % of the server's time.
    let created: Vec<requests::Created> = group
        .iter()
        .zip(&answers)
        .filter_map(|(c, a)| {
            a.as_ref().ok().map(|&(id, case_created)| requests::Created { id, v: &c.v, actor: &c.actor, at: &c.at, case_created })
        })
        .collect();
    let ids: Vec<i64> = created.iter().map(|c| c.id).collect();
    let recorded = match requests::record_creations(&mut tx, &created).await {
        Ok(()) => super::totals::add_many(&mut tx, &ids).await,
        Err(e) => Err(e),
    };
    drop(created);
    if let Err(e) = recorded {
        return fail(group, &e.to_string());
    }
    if let Err(e) = tx.commit().await {
        return fail(group, &e.to_string());
    }
    for (c, answer) in group.into_iter().zip(answers) {
        // the client may have gone away; its creation stands
        let _ = c.reply.send(answer.map(|(id, _)| id));
    }
}

/// Answers every creation of a group that could not be written (nothing of it was).
fn fail(group: Vec<Creation>, why: &str) {
    tracing::error!(creations = group.len(), "a group of creations was not written: {why}");
    for c in group {
        let _ = c.reply.send(Err(DbError::WriteFailed(why.to_string())));
    }
}
