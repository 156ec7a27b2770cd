//! Which database a `Db` talks to: the one place the two backends' differences are named.

/// SQLite (the default, embedded) or PostgreSQL (for larger deployments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}
