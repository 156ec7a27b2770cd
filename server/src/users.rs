//! `rogatory user add`: the first administrator, and any account, from the command line.

use app::db::actor::Actor;
use app::db::audit;
use app::db::{users, Db};
use app::domain::user::NewUserInput;
use std::io::{BufRead, IsTerminal};

pub async fn add(db: &Db, username: &str, role: &str, name: Option<&str>) -> crate::serve::anyhow_like::Result<()> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("Password for {username}: "))?;
        let again = rpassword::prompt_password("Repeat it: ")?;
        if first != again {
            return Err("the two passwords differ".into());
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    let input = NewUserInput {
        username: username.to_string(),
        display_name: name.unwrap_or(username).to_string(),
        role: role.to_string(),
        password,
    };
    let new = input
        .validate()
        .map_err(|errors| errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))?;
    let mut tx = db.begin_write().await?;
    users::create(&mut tx, &new).await.map_err(|e| match e {
        app::db::DbError::DuplicateUser(u) => format!("the user name {u} is taken"),
        other => other.to_string(),
    })?;
    let details = serde_json::json!({ "role": new.role, "display_name": new.display_name });
    audit::record(&mut tx, &Actor::system("cli"), "user.create", Some("user"), Some(new.username.clone()), Some(details)).await?;
    tx.commit().await?;
    println!("Added {} ({}).", new.username, new.role.short());
    Ok(())
}
