//! A small builder for dynamic SQL with numbered `$n` placeholders, which both SQLite
//! and PostgreSQL accept.

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs};
use sqlx::Any;

#[derive(Debug, Clone)]
pub enum Param {
    Text(String),
    Int(i64),
    /// a text or NULL (bound as a text, so PostgreSQL knows its type)
    OptText(Option<String>),
    /// an integer or NULL
    OptInt(Option<i64>),
}

#[derive(Debug, Default, Clone)]
pub struct Sql {
    pub text: String,
    pub params: Vec<Param>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql { text: text.to_string(), params: Vec::new() }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind(&mut self, value: Param) -> &mut Self {
        self.params.push(value);
        let n = self.params.len();
        self.text.push('$');
        self.text.push_str(&n.to_string());
        self
    }

    pub fn text(&mut self, value: impl Into<String>) -> &mut Self {
        self.bind(Param::Text(value.into()))
    }

    pub fn int(&mut self, value: i64) -> &mut Self {
        self.bind(Param::Int(value))
    }

    /// `text`, or NULL written as it is.
    pub fn opt_text(&mut self, value: Option<impl Into<String>>) -> &mut Self {
        match value {
            Some(v) => self.text(v),
            None => self.push("NULL"),
        }
    }

    /// `int`, or NULL written as it is.
    pub fn opt_int(&mut self, value: Option<i64>) -> &mut Self {
        match value {
            Some(v) => self.int(v),
            None => self.push("NULL"),
        }
    }

    pub fn query_as<'q, T>(&'q self) -> QueryAs<'q, Any, T, AnyArguments<'q>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_as::<Any, T>(&self.text);
        for p in &self.params {
            q = match p {
                Param::Text(s) => q.bind(s.as_str()),
                Param::Int(i) => q.bind(*i),
                Param::OptText(s) => q.bind(s.as_deref()),
                Param::OptInt(i) => q.bind(*i),
            };
        }
        q
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        let mut q = sqlx::query::<Any>(&self.text);
        for p in &self.params {
            q = match p {
                Param::Text(s) => q.bind(s.as_str()),
                Param::Int(i) => q.bind(*i),
                Param::OptText(s) => q.bind(s.as_deref()),
                Param::OptInt(i) => q.bind(*i),
            };
        }
        q
    }
}

/// Rows written by one INSERT in bulk writes (an import, the demo load): one statement
/// for many rows costs far less than one for each (each is a round trip to SQLite's
/// worker thread, or to PostgreSQL). 100 requests are 2,000 parameters, well under
/// either backend's limit.
pub const INSERT_BATCH: usize = 100;
