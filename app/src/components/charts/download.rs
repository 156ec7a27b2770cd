//! crate::tr!(charts.download_svg): saves a chart exactly as shown, from the page itself.

use leptos::prelude::*;

/// A button that downloads the `<svg>` inside the element with id `target`.
#[component]
pub fn SvgDownload(target: &'static str, filename: &'static str) -> impl IntoView {
    let on_click = move |_| save(target, filename);
    view! { <button type="button" class="button small" data-download=target on:click=on_click>{crate::tr!(charts.download_svg)}</button> }
}

fn save(_target: &str, _filename: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(Some(svg)) = document.query_selector(&format!("#{_target} svg")) else { return };
        let markup = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", svg.outer_html());
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&markup));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("image/svg+xml");
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
        if let Ok(a) = document.create_element("a") {
            if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
                a.set_href(&url);
                a.set_download(_filename);
                a.click();
            }
        }
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}
