use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <section class="page">
            <h1>{crate::tr!(not_found.page_not_found)}</h1>
            <p>{crate::tr!(not_found.there_is_nothing_at_this_address)}<a href="/requests">{crate::tr!(not_found.go_to_the_registry)}</a>"."</p>
        </section>
    }
}
