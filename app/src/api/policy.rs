//! Who may call which server function. The server checks this table before any server
//! function runs (deny by default: a function missing here cannot be called), and each
//! function checks its role again itself.

use crate::domain::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (signing in, signing out, "who am I").
    Public,
    /// A signed-in user with at least this role.
    Role(Role),
    /// Not in the table: nobody.
    Denied,
}

/// Every server function by its endpoint (the path after `/api/`).
pub const POLICY: &[(&str, Access)] = &[
    ("login", Access::Public),
    ("logout", Access::Public),
    ("current_user", Access::Public),
    ("change_password", Access::Role(Role::Viewer)),
    ("get_notifications", Access::Role(Role::Viewer)),
    ("save_notifications", Access::Role(Role::Viewer)),
    ("get_form_options", Access::Role(Role::Viewer)),
    ("list_requests", Access::Role(Role::Viewer)),
    ("count_requests", Access::Role(Role::Viewer)),
    ("get_request", Access::Role(Role::Viewer)),
    ("request_history", Access::Role(Role::Viewer)),
    ("create_request", Access::Role(Role::Clerk)),
    ("update_request", Access::Role(Role::Clerk)),
    ("change_status", Access::Role(Role::Clerk)),
    ("log_reminder", Access::Role(Role::Clerk)),
    ("get_handling", Access::Role(Role::Viewer)),
    ("list_assignees", Access::Role(Role::Viewer)),
    ("assign_request", Access::Role(Role::Clerk)),
    ("set_acknowledgement", Access::Role(Role::Clerk)),
    ("stop_clock", Access::Role(Role::Clerk)),
    ("resume_clock", Access::Role(Role::Clerk)),
    ("set_execution", Access::Role(Role::Clerk)),
    ("get_my_work", Access::Role(Role::Viewer)),
    ("get_workload", Access::Role(Role::Admin)),
    ("get_reminder_schedule", Access::Role(Role::Viewer)),
    ("save_reminder_schedule", Access::Role(Role::Admin)),
    ("list_cases", Access::Role(Role::Viewer)),
    ("dashboard", Access::Role(Role::Viewer)),
    ("compare_periods", Access::Role(Role::Viewer)),
    ("statistics_pack", Access::Role(Role::Viewer)),
    ("request_assets", Access::Role(Role::Viewer)),
    ("add_asset_measure", Access::Role(Role::Clerk)),
    ("remove_asset_measure", Access::Role(Role::Clerk)),
    ("list_chart_events", Access::Role(Role::Admin)),
    ("add_chart_event", Access::Role(Role::Admin)),
    ("remove_chart_event", Access::Role(Role::Admin)),
    ("list_groups", Access::Role(Role::Viewer)),
    ("import_requests", Access::Role(Role::Clerk)),
    ("save_group", Access::Role(Role::Admin)),
    ("delete_group", Access::Role(Role::Admin)),
    ("get_case", Access::Role(Role::Viewer)),
    ("list_users", Access::Role(Role::Admin)),
    ("create_user", Access::Role(Role::Admin)),
    ("update_user", Access::Role(Role::Admin)),
    ("reset_password", Access::Role(Role::Admin)),
    ("list_audit", Access::Role(Role::Admin)),
    ("second_factor_state", Access::Role(Role::Viewer)),
    ("begin_enrolment", Access::Role(Role::Viewer)),
    ("confirm_enrolment", Access::Role(Role::Viewer)),
    ("renew_recovery_codes", Access::Role(Role::Viewer)),
    ("turn_off_second_factor", Access::Role(Role::Viewer)),
    ("set_second_factor_required", Access::Role(Role::Admin)),
    ("reset_second_factor", Access::Role(Role::Admin)),
    ("my_sessions", Access::Role(Role::Viewer)),
    ("end_my_session", Access::Role(Role::Viewer)),
    ("search_persons", Access::Role(Role::Viewer)),
    ("get_person", Access::Role(Role::Viewer)),
    ("request_persons", Access::Role(Role::Viewer)),
    ("add_person", Access::Role(Role::Clerk)),
    ("update_person", Access::Role(Role::Clerk)),
    ("link_person", Access::Role(Role::Clerk)),
    ("unlink_person", Access::Role(Role::Clerk)),
    ("request_custody", Access::Role(Role::Viewer)),
    ("save_custody", Access::Role(Role::Clerk)),
    ("remove_custody", Access::Role(Role::Clerk)),
    ("list_custody", Access::Role(Role::Viewer)),
    ("get_country", Access::Role(Role::Viewer)),
    ("save_country_profile", Access::Role(Role::Admin)),
    ("list_documents", Access::Role(Role::Viewer)),
    ("remove_document", Access::Role(Role::Clerk)),
    ("find_documents", Access::Role(Role::Viewer)),
    // a raw file body, not a server function (the server's documents::upload)
    ("upload_document", Access::Role(Role::Clerk)),
];

/// What a user may call while an administrator requires two-step sign-in and theirs is
/// not set up yet: signing out, setting it up, their password and sessions.
pub const OPEN_BEFORE_ENROLMENT: &[&str] = &[
    "login",
    "logout",
    "current_user",
    "change_password",
    "second_factor_state",
    "begin_enrolment",
    "confirm_enrolment",
    "my_sessions",
    "end_my_session",
];

pub fn access(endpoint: &str) -> Access {
    POLICY.iter().find(|(e, _)| *e == endpoint).map(|(_, a)| *a).unwrap_or(Access::Denied)
}
