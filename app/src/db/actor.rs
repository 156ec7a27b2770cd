//! Who writes: recorded in the audit trail and the timeline with what they did.

/// Who is acting: a signed-in user, or the system (CLI) with a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    pub ip: Option<String>,
}

impl Actor {
    pub fn system(name: &str) -> Actor {
        Actor { user_id: None, username: name.to_string(), ip: None }
    }
}
