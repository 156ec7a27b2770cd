//! Logging a new request.

use crate::api::requests::get_form_options;
use crate::components::request_form::FormMode;
use crate::components::{ErrorNotice, RequestForm};
use crate::domain::{RequestInput, Status};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewRequestPage() -> impl IntoView {
    if !crate::session::can(crate::domain::Role::Clerk) {
        return view! { <section class="page"><ErrorNotice error=crate::error::AppError::Forbidden/></section> }.into_any();
    }
    let options = Resource::new(|| (), |_| get_form_options());
    view! {
        <Title text={crate::tr!(new_request.new_request_rogatory)}/>
        <section class="page narrow">
            <h1>{crate::tr!(new_request.new_request)}</h1>
            <p class="lead">{crate::tr!(new_request.fields_marked_are_required_the_answer)}</p>
            <Suspense fallback=|| view! { <p class="loading">{crate::tr!(new_request.loading)}</p> }>
                {move || Suspend::new(async move {
                    match options.await {
                        Ok(o) => {
                            let initial = RequestInput {
                                direction: "outgoing".into(),
                                status: Status::Sent.code().into(),
                                ..Default::default()
                            };
                            view! { <RequestForm initial options=o mode=FormMode::New/> }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
