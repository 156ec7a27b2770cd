//! Showing errors from the server: the message, never a stack trace.

use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let title = match &error {
        AppError::NotFound(_) => crate::tr!(errors.not_found),
        AppError::Conflict(_) => crate::tr!(errors.saved_by_someone_else),
        AppError::Validation(_) => crate::tr!(errors.some_fields_need_attention),
        AppError::Unauthenticated | AppError::Forbidden | AppError::SecondFactorFirst => crate::tr!(errors.not_allowed),
        _ => crate::tr!(errors.something_went_wrong),
    };
    view! {
        <div class="notice notice-error" role="alert">
            <strong>{title}</strong>
            <p>{error.to_string()}</p>
        </div>
    }
}
