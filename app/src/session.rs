//! The signed-in user as the interface knows it. The server renders it into the page
//! (`<body data-user>`) and the browser reads it back before hydrating, so both sides
//! render the same thing without waiting for a call.

use crate::domain::{CurrentUser, Role};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct UserContext(pub StoredValue<Option<CurrentUser>>);

/// The user of this request (server) or of this page (browser).
pub fn initial_user() -> Option<CurrentUser> {
    #[cfg(feature = "ssr")]
    {
        crate::api::context::request_auth().user
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
                .and_then(|b| b.get_attribute("data-user"))
                .and_then(|json| serde_json::from_str(&json).ok())
                .flatten()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            None
        }
    }
}

pub fn provide_user() {
    provide_context(UserContext(StoredValue::new(initial_user())));
}

pub fn user() -> Option<CurrentUser> {
    use_context::<UserContext>().and_then(|c| c.0.get_value())
}

/// Whether the signed-in user has at least `role` (the server checks again).
pub fn can(role: Role) -> bool {
    user().is_some_and(|u| u.can(role))
}

/// A full page load, so that the server renders the page for the new session.
pub fn reload_to(_path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(_path);
    }
}
