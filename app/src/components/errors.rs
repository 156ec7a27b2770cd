//! Showing errors from the server: the message, never a stack trace.

use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let title = match &error {
        AppError::NotFound(_) => "Not found",
        AppError::Conflict(_) => "Saved by someone else",
        AppError::Validation(_) => "Some fields need attention",
        AppError::Unauthenticated | AppError::Forbidden => "Not allowed",
        _ => "Something went wrong",
    };
    view! {
        <div class="notice notice-error" role="alert">
            <strong>{title}</strong>
            <p>{error.to_string()}</p>
        </div>
    }
}
