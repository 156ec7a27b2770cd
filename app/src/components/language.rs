//! The language switch in the header: a link per language to `/language`, which
//! remembers the choice in a cookie and brings the reader back to the same page.

use crate::lang;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let location = use_location();
    let here = move || {
        let search = location.search.get();
        let path = location.pathname.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{}", search.trim_start_matches('?'))
        }
    };
    let current = lang::current();
    view! {
        <nav class="languages" aria-label=crate::tr!(nav.language)>
            {lang::all()
                .iter()
                .map(|l| {
                    let l = *l;
                    let code = lang::code(l);
                    let href = move || {
                        format!("/language?to={code}&back={}", crate::domain::filter::url_encode(&here()))
                    };
                    let active = l == current;
                    view! {
                        <a href=href rel="external" hreflang=code lang=code class:active=active
                            aria-current=active.then_some("true")>{lang::native_name(l)}</a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
