//! Importing a spreadsheet (clerks and administrators): choose a CSV file, read the dry
//! run's report — what would be created, every bad row with its line, column and reason —
//! then confirm. All rows or none are written.

use crate::api::import::{import_requests, MAX_IMPORT_BYTES};
use crate::components::ErrorNotice;
use crate::domain::interchange::{ImportReport, COLUMNS, NOTE_COLUMNS};
use crate::domain::Role;
use crate::error::AppError;
use crate::session;
use leptos::prelude::*;
use leptos_meta::Title;

/// A chosen file: its name and text.
#[derive(Debug, Clone, PartialEq)]
struct Chosen {
    name: String,
    text: String,
    /// data lines (a rough count, for the progress message)
    lines: usize,
}

#[component]
pub fn ImportPage() -> impl IntoView {
    if !session::can(Role::Clerk) {
        return view! { <ErrorNotice error=AppError::Forbidden/> }.into_any();
    }
    let chosen = RwSignal::new(None::<Chosen>);
    let file_error = RwSignal::new(None::<String>);
    // a file that is not UTF-8, as it reads in Windows-1251, offered for conversion
    let as_1251 = RwSignal::new(None::<Chosen>);
    let update = RwSignal::new(false);
    let run = Action::new(move |(c, dry_run, update): &(Chosen, bool, bool)| {
        let (name, text, dry_run, update) = (c.name.clone(), c.text.clone(), *dry_run, *update);
        async move { import_requests(name, text, dry_run, update).await }
    });
    let report = move || run.value().get();
    let busy = run.pending();

    let on_file = move |ev: leptos::ev::Event| {
        run.value().set(None);
        chosen.set(None);
        file_error.set(None);
        as_1251.set(None);
        read_file(ev, chosen, file_error, as_1251);
    };
    let check = move |_| {
        if let Some(c) = chosen.get() {
            run.dispatch((c, true, update.get()));
        }
    };
    let commit = move |_| {
        if let Some(c) = chosen.get() {
            run.dispatch((c, false, update.get()));
        }
    };
    let columns = COLUMNS.join(",");
    let notes = NOTE_COLUMNS.join(", ");
    view! {
        <Title text={crate::tr!(import.import_rogatory)}/>
        <section class="page narrow">
            <h1>{crate::tr!(import.import_requests)}</h1>
            <p class="lead">{crate::tr!(import.bring_a_spreadsheet_in_save_it)}
                {crate::tr!(import.rogatory_checks_every_row_first_and)}</p>
            <pre class="columns-example">{columns}</pre>
            <p class="hint">{crate::tr!(import.optional_columns_after_them)} {notes} {crate::tr!(import.dates_and_codes)}
                {crate::tr!(import.country_as_an_iso_code_de)}
                <a href="/import-example.csv" rel="external" download="import-example.csv">{crate::tr!(import.example_file)}</a></p>
            <div class="card">
                <div class="field">
                    <label for="import-file">{crate::tr!(import.csv_file)}</label>
                    <input id="import-file" type="file" accept=".csv,text/csv" aria-describedby="import-file-error" on:change=on_file/>
                    <p class="field-error" id="import-file-error" aria-live="polite">{move || file_error.get()}</p>
                    {move || as_1251.get().map(|c| {
                        let first = c.text.lines().nth(1).unwrap_or_default().chars().take(120).collect::<String>();
                        view! {
                            <div class="notice" id="import-convert">
                                <p>{crate::tr!(import.reads_as_1251)}</p>
                                <p class="hint">{crate::tr!(import.its_second_line)} <q id="import-convert-sample">{first}</q></p>
                                <button type="button" id="import-convert-1251" on:click=move |_| {
                                    chosen.set(as_1251.get_untracked());
                                    as_1251.set(None);
                                    file_error.set(None);
                                }>{crate::tr!(import.convert_from_1251)}</button>
                            </div>
                        }
                    })}
                    {move || chosen.get().map(|c| view! { <p class="hint" id="import-chosen">{crate::tr!(import.chosen, name = c.name.clone(), rows = c.lines).to_string()}</p> })}
                </div>
                <div class="field checkbox">
                    <label>
                        <input type="checkbox" id="import-update" prop:checked=move || update.get()
                            on:change=move |ev| { update.set(event_target_checked(&ev)); run.value().set(None); }/>
                        {crate::tr!(import.replace_existing)}
                    </label>
                </div>
                <div class="actions">
                    <button type="button" class="primary" id="import-check" on:click=check
                        disabled=move || chosen.with(|c| c.is_none()) || busy.get()>{crate::tr!(import.check_the_file)}</button>
                </div>
                {move || busy.get().then(|| {
                    let rows = chosen.with(|c| c.as_ref().map(|c| c.lines).unwrap_or(0));
                    view! {
                        <div class="progress" role="status" aria-live="polite">
                            <progress id="import-progress"></progress>
                            <span>{crate::tr!(import.working, rows = rows).to_string()}</span>
                        </div>
                    }
                })}
            </div>
            <div aria-live="polite">
                {move || report().map(|r| match r {
                    Ok(r) => view! { <Report report=r commit=Callback::new(commit)/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                })}
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn Report(report: ImportReport, commit: Callback<()>) -> impl IntoView {
    let summary = report.summary();
    let clean = report.is_clean();
    let class = if report.committed || clean { "notice notice-ok" } else { "notice notice-error" };
    let issues: Vec<_> = {
        let mut all: Vec<_> = report
            .errors
            .iter()
            .map(|i| (i.clone(), "error"))
            .chain(report.conflicts.iter().map(|i| (i.clone(), "conflict")))
            .collect();
        all.sort_by_key(|(i, _)| i.line);
        all
    };
    let shown = issues.len().min(500);
    view! {
        <div class=class id="import-summary">{summary}</div>
        {(report.dry_run && clean).then(|| view! {
            <p>
                <button type="button" class="primary" id="import-commit" on:click=move |_| commit.run(())>
                    {crate::tr!(import.import_n, n = report.rows).to_string()}
                </button>
            </p>
        })}
        {report.committed.then(|| view! { <p><a href="/requests">{crate::tr!(import.open_the_registry)}</a></p> })}
        {(!issues.is_empty()).then(|| view! {
            <div tabindex="0" class="table-wrap">
                <table class="import-issues">
                    <caption>{if shown < issues.len() { crate::tr!(import.first_problems, shown = shown, total = issues.len()).to_string() } else { crate::tr!(import.problems_by_line).to_string() }}</caption>
                    <thead><tr><th scope="col" class="num">{crate::tr!(import.line)}</th><th scope="col">{crate::tr!(import.column)}</th><th scope="col">{crate::tr!(import.reference)}</th><th scope="col">{crate::tr!(import.problem)}</th></tr></thead>
                    <tbody>
                        {issues.into_iter().take(shown).map(|(i, kind)| view! {
                            <tr data-line=i.line data-column=i.column.clone() data-kind=kind>
                                <td class="num">{i.line}</td>
                                <td>{if i.column.is_empty() { crate::tr!(import.row).to_string() } else { i.column.clone() }}</td>
                                <td>{i.reference.clone()}</td>
                                <td>{i.message.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}

/// Reads the chosen file into `chosen` (in the browser) as its bytes, so that nothing is
/// decoded with losses: a file that is not UTF-8 is refused with a clear message and, as
/// spreadsheets on Russian-language Windows save Windows-1251, offered read that way.
fn read_file(
    ev: leptos::ev::Event,
    chosen: RwSignal<Option<Chosen>>,
    error: RwSignal<Option<String>>,
    as_1251: RwSignal<Option<Chosen>>,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        if file.size() > MAX_IMPORT_BYTES as f64 {
            error.set(Some(crate::tr!(import.too_large, mb = MAX_IMPORT_BYTES / 1024 / 1024).to_string()));
            return;
        }
        let name = file.name();
        leptos::task::spawn_local(async move {
            let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await else {
                error.set(Some(crate::tr!(import.the_file_cannot_be_read_as).into()));
                return;
            };
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            let chosen_of = |text: String| {
                let lines = text.lines().skip(1).filter(|l| !l.trim().is_empty()).count();
                Chosen { name: name.clone(), text, lines }
            };
            match String::from_utf8(bytes) {
                Ok(text) => chosen.set(Some(chosen_of(text))),
                Err(e) => {
                    let line = crate::domain::interchange::line_at(e.as_bytes(), e.utf8_error().valid_up_to());
                    error.set(Some(crate::tr!(import_msg.not_utf_8, line = line)));
                    let converted = web_sys::TextDecoder::new_with_label("windows-1251")
                        .and_then(|d| d.decode_with_u8_array(e.as_bytes()))
                        .ok();
                    as_1251.set(converted.map(chosen_of));
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ev, chosen, error, as_1251, MAX_IMPORT_BYTES);
    }
}
