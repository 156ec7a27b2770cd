//! Documents on the request page: the list with downloads and previews, the warning when
//! no document was sent in a language the country accepts, and a clerk's upload of
//! several files at once (dropped or chosen) with a progress bar each. Also the
//! registry's and the search page's "documents mentioning this".

use crate::api::documents::{find_documents, list_documents, remove_document, DocumentsOf};
use crate::components::ErrorNotice;
use crate::domain::document::{DocumentFlow, DocumentHit, DocumentInput, DocumentKind, MediaType, Owner, StoredDocument};
use crate::domain::languages::{name as language_name, LANGUAGES};
use crate::domain::validation::message_for;
use crate::domain::FieldError;
use crate::labels::Label;
use leptos::prelude::*;

/// The interface language's code, for the names of documents' languages.
fn interface() -> &'static str {
    crate::lang::code(crate::lang::current())
}

/// A size in KB or MB, one decimal.
pub fn size_text(bytes: u64) -> String {
    let locale = crate::lang::current();
    if bytes >= 1024 * 1024 {
        format!("{} MB", crate::lang::decimal1(locale, bytes as f64 / (1024.0 * 1024.0)))
    } else {
        format!("{} KB", crate::lang::decimal1(locale, (bytes as f64 / 1024.0).max(0.1)))
    }
}

fn previewable(m: MediaType) -> bool {
    matches!(m, MediaType::Pdf | MediaType::Png | MediaType::Jpeg | MediaType::Gif)
}

/// One file being sent: its name, how far it got (percent), and how it ended (signals
/// of their own, not of the form, which is drawn anew while they are sent).
#[derive(Debug, Clone)]
struct Sending {
    name: String,
    percent: ArcRwSignal<f64>,
    outcome: ArcRwSignal<Option<Result<(), String>>>,
}

/// A request's or a case's documents, and for a clerk the form to add more.
#[component]
pub fn Documents(owner: Owner) -> impl IntoView {
    let clerk = crate::session::can(crate::domain::Role::Clerk);
    let changed = RwSignal::new(0u32);
    let listed = Resource::new(move || changed.get(), move |_| list_documents(owner));
    // kept here, not in the form, which is drawn anew each time the list reloads
    let form = UploadState {
        input: RwSignal::new(DocumentInput { flow: DocumentFlow::Sent.code().into(), ..Default::default() }),
        errors: RwSignal::new(Vec::new()),
        sending: RwSignal::new(Vec::new()),
    };
    let remove = Action::new(move |id: &i64| {
        let id = *id;
        async move { remove_document(id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    view! {
        <section class="request-documents" aria-labelledby="documents-heading">
            <h2 id="documents-heading">{crate::tr!(documents.documents)}</h2>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(documents.loading)}</p> }>
                {move || Suspend::new(async move {
                    match listed.await {
                        Ok(d) => view! { <DocumentList listed=d.clone() clerk remove/> {clerk.then(|| view! { <UploadForm owner listed=d changed form/> })} }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            {move || remove.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e/> })}
        </section>
    }
}

#[component]
fn DocumentList(listed: DocumentsOf, clerk: bool, remove: Action<i64, Result<(), crate::error::AppError>>) -> impl IntoView {
    let ui = interface();
    let warning = listed.missing_languages.clone().map(|codes| {
        let names: Vec<String> = codes.iter().map(|c| language_name(c, ui)).collect();
        view! {
            <div class="notice notice-warn" id="translation-missing">
                {crate::tr!(documents.no_document_in_accepted_language, languages = names.join(", ")).to_string()}
            </div>
        }
    });
    let names: Vec<(i64, String)> = listed.documents.iter().map(|d| (d.id, d.file_name.clone())).collect();
    if listed.documents.is_empty() {
        return view! { {warning} <p class="empty">{crate::tr!(documents.no_documents_yet)}</p> }.into_any();
    }
    let rows = listed.documents.into_iter().map(|d| {
        let original = d.details.translation_of.and_then(|t| names.iter().find(|(id, _)| *id == t).map(|(_, n)| n.clone()));
        view! { <DocumentRow d original clerk remove/> }
    });
    view! {
        {warning}
        <div class="table-wrap">
            <table class="documents">
                <thead><tr>
                    <th scope="col">{crate::tr!(documents.file)}</th>
                    <th scope="col">{crate::tr!(documents.kind)}</th>
                    <th scope="col">{crate::tr!(documents.language)}</th>
                    <th scope="col">{crate::tr!(documents.sent_or_received)}</th>
                    <th scope="col" class="num">{crate::tr!(documents.size)}</th>
                    <th scope="col"><span class="visually-hidden">{crate::tr!(documents.actions)}</span></th>
                </tr></thead>
                <tbody>{rows.collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn DocumentRow(
    d: StoredDocument,
    original: Option<String>,
    clerk: bool,
    remove: Action<i64, Result<(), crate::error::AppError>>,
) -> impl IntoView {
    let id = d.id;
    let kind = match original {
        Some(o) => format!("{} ({})", d.details.kind.text(), crate::tr!(documents.of_file, name = o)),
        None => d.details.kind.text().to_string(),
    };
    let language = d.details.language.as_deref().map(|l| language_name(l, interface())).unwrap_or_else(|| "—".into());
    let date = d.details.on_date.map(|on| crate::lang::date(crate::lang::current(), on)).unwrap_or_default();
    view! {
        <tr class="document">
            <td class="file">
                <a href=format!("/documents/{id}") rel="external" download=d.file_name.clone()>{d.file_name.clone()}</a>
                {previewable(d.media_type).then(|| view! {
                    " " <a class="preview" href=format!("/documents/{id}/preview") rel="external" target="_blank">{crate::tr!(documents.preview)}</a>
                })}
                {d.details.our_number.clone().map(|n| view! { <div class="muted">{crate::tr!(documents.number, number = n).to_string()}</div> })}
            </td>
            <td>{kind}</td>
            <td>{language}</td>
            <td>{d.details.flow.text()} " " <span class="nowrap">{date}</span></td>
            <td class="num nowrap">{size_text(d.size)}</td>
            <td>{clerk.then(|| view! {
                <button type="button" class="button small" on:click=move |_| { remove.dispatch(id); }
                    aria-label=format!("{} {}", crate::tr!(documents.delete), d.file_name)>{crate::tr!(documents.delete)}</button>
            })}</td>
        </tr>
    }
}

fn field_error(errors: RwSignal<Vec<FieldError>>, field: &'static str) -> impl IntoView {
    move || {
        errors.with(|e| {
            message_for(e, field).map(|m| view! { <p class="field-error" id=format!("doc-{field}-error")>{m.to_string()}</p> })
        })
    }
}

/// What the upload form holds: the details every file shares, their errors, the files
/// being sent.
#[derive(Debug, Clone, Copy)]
struct UploadState {
    input: RwSignal<DocumentInput>,
    errors: RwSignal<Vec<FieldError>>,
    sending: RwSignal<Vec<Sending>>,
}

/// The details every file of one upload shares, and the files.
#[component]
fn UploadForm(owner: Owner, listed: DocumentsOf, changed: RwSignal<u32>, form: UploadState) -> impl IntoView {
    let UploadState { input, errors, sending } = form;
    let over = RwSignal::new(false);
    let today = listed.today;
    let max = listed.max_bytes;
    let originals: Vec<(i64, String)> = listed.documents.iter().map(|d| (d.id, d.file_name.clone())).collect();
    let ui = interface();
    // checks the details, then sends each file in turn
    let start = move |files: Vec<FileToSend>| {
        if files.is_empty() {
            return;
        }
        let details = input.get_untracked();
        match details.validate(today) {
            Err(e) => errors.set(e),
            Ok(_) => {
                errors.set(Vec::new());
                send_all(owner, details, files, max, sending, changed);
            }
        }
    };
    let on_pick = move |ev: leptos::ev::Event| start(picked_files(&ev));
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        start(dropped_files(&ev));
    };
    let set = |f: fn(&mut DocumentInput, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            input.update(|i| f(i, v));
        }
    };
    let kind_is_translation = move || input.with(|i| i.kind == DocumentKind::Translation.code());
    view! {
        <form class="upload-documents" on:submit=|ev| ev.prevent_default()>
            <h3>{crate::tr!(documents.add_documents)}</h3>
            <div class="form-grid">
                <div class="field">
                    <label for="doc-kind">{crate::tr!(documents.kind)}</label>
                    <select id="doc-kind" on:change=set(|i, v| i.kind = v) prop:value=move || input.with(|i| i.kind.clone()) aria-describedby="doc-kind-error">
                        <option value="">{crate::tr!(documents.choose)}</option>
                        {DocumentKind::ALL.iter().map(|k| view! { <option value=k.code()>{k.text()}</option> }).collect_view()}
                    </select>
                    {field_error(errors, "kind")}
                </div>
                <div class="field">
                    <label for="doc-flow">{crate::tr!(documents.sent_or_received)}</label>
                    <select id="doc-flow" on:change=set(|i, v| i.flow = v) prop:value=move || input.with(|i| i.flow.clone())>
                        {DocumentFlow::ALL.iter().map(|f| view! { <option value=f.code() selected=*f == DocumentFlow::Sent>{f.text()}</option> }).collect_view()}
                    </select>
                    {field_error(errors, "flow")}
                </div>
                <div class="field">
                    <label for="doc-language">{crate::tr!(documents.language)}</label>
                    <select id="doc-language" on:change=set(|i, v| i.language = v) prop:value=move || input.with(|i| i.language.clone())>
                        <option value="">"—"</option>
                        {LANGUAGES.iter().map(|(code, ..)| view! { <option value=*code>{language_name(code, ui)}</option> }).collect_view()}
                    </select>
                    {field_error(errors, "language")}
                </div>
                <div class="field">
                    <label for="doc-date">{crate::tr!(documents.date)}</label>
                    <input id="doc-date" type="date" on:input=set(|i, v| i.on_date = v) prop:value=move || input.with(|i| i.on_date.clone()) aria-describedby="doc-on_date-error"/>
                    {field_error(errors, "on_date")}
                </div>
                <div class="field">
                    <label for="doc-number">{crate::tr!(documents.our_number)}</label>
                    <input id="doc-number" type="text" on:input=set(|i, v| i.our_number = v) prop:value=move || input.with(|i| i.our_number.clone()) aria-describedby="doc-our_number-error"/>
                    {field_error(errors, "our_number")}
                </div>
                <Show when=kind_is_translation>
                    <div class="field">
                        <label for="doc-original">{crate::tr!(documents.translation_of)}</label>
                        <select id="doc-original" aria-describedby="doc-translation_of-error"
                            prop:value=move || input.with(|i| i.translation_of.map(|t| t.to_string()).unwrap_or_default())
                            on:change=move |ev| { let v = event_target_value(&ev).parse().ok(); input.update(|i| i.translation_of = v); }>
                            <option value="">{crate::tr!(documents.choose)}</option>
                            {originals.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                        </select>
                        {field_error(errors, "translation_of")}
                    </div>
                </Show>
            </div>
            <div class="dropzone" class:over=move || over.get()
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
                on:dragleave=move |_| over.set(false)
                on:drop=on_drop>
                <p>{crate::tr!(documents.drop_files_here)}</p>
                <label for="doc-files" class="button">{crate::tr!(documents.choose_files)}</label>
                <input id="doc-files" class="visually-hidden" type="file" multiple on:change=on_pick/>
                <p class="hint">{crate::tr!(documents.accepted_files, mb = max / (1024 * 1024)).to_string()}</p>
            </div>
            {field_error(errors, "file")}
            <ul class="uploads" aria-live="polite">
                {move || sending.get().into_iter().map(|s| {
                    let (percent, label) = (s.percent.clone(), s.percent.clone());
                    view! {
                    <li class="upload">
                        <span class="upload-name">{s.name.clone()}</span>
                        <progress max="100" value=move || percent.get() aria-label=s.name.clone()></progress>
                        {move || match s.outcome.get() {
                            None => {
                                let label = label.clone();
                                view! { <span class="muted">{move || format!("{:.0} %", label.get())}</span> }.into_any()
                            }
                            Some(Ok(())) => view! { <span class="ok">{crate::tr!(documents.uploaded)}</span> }.into_any(),
                            Some(Err(m)) => view! { <span class="field-error" role="alert">{m}</span> }.into_any(),
                        }}
                    </li>
                }}).collect_view()}
            </ul>
        </form>
    }
}

/// A file the browser holds, to send.
#[cfg(feature = "hydrate")]
type FileToSend = web_sys::File;
#[cfg(not(feature = "hydrate"))]
type FileToSend = ();

#[cfg(feature = "hydrate")]
fn list_of(files: Option<web_sys::FileList>) -> Vec<FileToSend> {
    files.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect()).unwrap_or_default()
}

#[cfg(feature = "hydrate")]
fn picked_files(ev: &leptos::ev::Event) -> Vec<FileToSend> {
    use wasm_bindgen::JsCast;
    let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
    let files = list_of(input.as_ref().and_then(|i| i.files()));
    if let Some(i) = input {
        i.set_value("");
    }
    files
}

#[cfg(feature = "hydrate")]
fn dropped_files(ev: &leptos::ev::DragEvent) -> Vec<FileToSend> {
    list_of(ev.data_transfer().and_then(|d| d.files()))
}

#[cfg(not(feature = "hydrate"))]
fn picked_files(_: &leptos::ev::Event) -> Vec<FileToSend> {
    Vec::new()
}

#[cfg(not(feature = "hydrate"))]
fn dropped_files(_: &leptos::ev::DragEvent) -> Vec<FileToSend> {
    Vec::new()
}

/// The upload's URL for one file: the owner, the details and the file's name.
pub fn upload_url(owner: Owner, details: &DocumentInput, file_name: &str) -> String {
    let enc = crate::domain::filter::url_encode;
    let owner = match owner {
        Owner::Request(id) => format!("request={id}"),
        Owner::Case(id) => format!("case={id}"),
    };
    let mut url = format!(
        "/api/upload_document?{owner}&name={}&kind={}&flow={}&language={}&on_date={}&our_number={}",
        enc(file_name),
        enc(&details.kind),
        enc(&details.flow),
        enc(&details.language),
        enc(&details.on_date),
        enc(&details.our_number)
    );
    if let Some(t) = details.translation_of {
        url.push_str(&format!("&translation_of={t}"));
    }
    url
}

#[cfg(feature = "hydrate")]
fn send_all(
    owner: Owner,
    details: DocumentInput,
    files: Vec<FileToSend>,
    max: u64,
    sending: RwSignal<Vec<Sending>>,
    changed: RwSignal<u32>,
) {
    let batch: Vec<(FileToSend, Sending)> = files
        .into_iter()
        .map(|f| {
            let s = Sending { name: f.name(), percent: ArcRwSignal::new(0.0), outcome: ArcRwSignal::new(None) };
            (f, s)
        })
        .collect();
    sending.set(batch.iter().map(|(_, s)| s.clone()).collect());
    leptos::task::spawn_local(async move {
        for (file, s) in batch {
            let outcome = if file.size() as u64 > max {
                Err(crate::tr!(errors.file_too_large, mb = max / (1024 * 1024)).to_string())
            } else if file.size() == 0.0 {
                Err(crate::domain::document::empty_file().message)
            } else if crate::domain::document::sniff(&head_of(&file).await).is_none() {
                Err(crate::domain::document::not_a_safe_file(&file.name()).message)
            } else {
                send(&upload_url(owner, &details, &file.name()), &file, s.percent.clone()).await
            };
            if outcome.is_ok() {
                s.percent.set(100.0);
                changed.update(|n| *n += 1);
            }
            s.outcome.set(Some(outcome));
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn send_all(_: Owner, _: DocumentInput, _: Vec<FileToSend>, _: u64, _: RwSignal<Vec<Sending>>, _: RwSignal<u32>) {}

/// The first bytes of a file, to tell its type as the server will (`sniff`).
#[cfg(feature = "hydrate")]
async fn head_of(file: &web_sys::File) -> Vec<u8> {
    let Ok(head) = file.slice_with_f64_and_f64(0.0, 4096.0) else { return Vec::new() };
    match wasm_bindgen_futures::JsFuture::from(head.array_buffer()).await {
        Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
        Err(_) => Vec::new(),
    }
}

/// Sends one file as the body of a POST, reporting progress; the server's message when
/// it refuses it.
#[cfg(feature = "hydrate")]
async fn send(url: &str, file: &web_sys::File, percent: ArcRwSignal<f64>) -> Result<(), String> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let failed = || crate::tr!(documents.upload_failed).to_string();
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| failed())?;
    xhr.open("POST", url).map_err(|_| failed())?;
    let _ = xhr.set_request_header("Content-Type", "application/octet-stream");
    let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            percent.set((e.loaded() / e.total() * 100.0).min(99.0));
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let done = {
        let xhr = xhr.clone();
        js_sys::Promise::new(&mut |resolve, _| xhr.set_onloadend(Some(&resolve)))
    };
    xhr.send_with_opt_blob(Some(file)).map_err(|_| failed())?;
    let _ = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(on_progress);
    match xhr.status().unwrap_or(0) {
        200 => Ok(()),
        0 => Err(failed()),
        _ => {
            let body = xhr.response_text().ok().flatten().unwrap_or_default();
            Err(match serde_json::from_str::<crate::error::AppError>(&body) {
                Ok(crate::error::AppError::Validation(list)) => list.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" "),
                Ok(other) => other.to_string(),
                Err(_) => failed(),
            })
        }
    }
}

/// The documents whose text holds `q` (none for fewer than three letters).
async fn mentioning(q: String) -> Result<Vec<DocumentHit>, crate::error::AppError> {
    if q.trim().chars().count() < 3 {
        Ok(Vec::new())
    } else {
        find_documents(q).await
    }
}

/// The registry's line of documents whose text holds the search.
#[component]
pub fn DocumentsMatching(q: Signal<String>) -> impl IntoView {
    let found = Resource::new(move || q.get(), mentioning);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                found.await.ok().filter(|l| !l.is_empty()).map(|list| view! {
                    <p class="documents-matching" id="documents-matching">
                        {crate::tr!(documents.documents_mentioning)} " "
                        {list.into_iter().enumerate().map(|(i, h)| view! {
                            {(i > 0).then_some(", ")}
                            <a href=owner_href(&h)>{format!("{} — {}", h.owner_label, h.document.file_name)}</a>
                        }).collect_view()}
                    </p>
                })
            })}
        </Transition>
    }
}

fn owner_href(h: &DocumentHit) -> String {
    match h.document.owner {
        Owner::Request(id) => format!("/requests/{id}"),
        Owner::Case(id) => format!("/cases/{id}"),
    }
}

/// The search page's documents: each with its request and the words around the match.
#[component]
pub fn DocumentHits(q: Memo<String>) -> impl IntoView {
    let found = Resource::new(move || q.get(), mentioning);
    view! {
        <h2 id="found-documents">{crate::tr!(documents.documents)}</h2>
        <Transition fallback=|| view! { <p class="loading">{crate::tr!(documents.loading)}</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">{crate::tr!(documents.no_documents_found)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="document-hits">
                            {list.into_iter().map(|h| view! {
                                <li>
                                    <a href=owner_href(&h)>{h.owner_label.clone()}</a> " — "
                                    <a href=format!("/documents/{}", h.document.id) rel="external">{h.document.file_name.clone()}</a>
                                    <div class="excerpt">{h.excerpt.clone()}</div>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
