//! The registry table: sortable headers, overdue rows flagged, keyset page links.

use crate::components::{DirectionBadge, StatusBadge};
use crate::domain::country;
use crate::domain::{ListParams, RequestPage, SortColumn};
use leptos::prelude::*;

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

/// A column header that sorts by its column (and toggles the direction).
fn header(params: &ListParams, path: &str, column: SortColumn, label: &'static str) -> impl IntoView {
    let sorted = params.sort == column;
    let aria = match (sorted, params.desc) {
        (false, _) => "none",
        (true, true) => "descending",
        (true, false) => "ascending",
    };
    let arrow = match (sorted, params.desc) {
        (false, _) => "",
        (true, true) => " ▼",
        (true, false) => " ▲",
    };
    let href = params.sorted_by(column).href(path);
    view! {
        <th scope="col" aria-sort=aria>
            <a href=href class="sort" data-sort=column.code()>{label}{arrow}</a>
        </th>
    }
}

#[component]
pub fn RequestTable(page: RequestPage, params: ListParams, #[prop(into)] path: String) -> impl IntoView {
    let RequestPage { rows, total, next, prev } = page;
    let shown = rows.len();
    let prev_href = prev.map(|c| params.page_before(&c).href(&path));
    let next_href = next.map(|c| params.page_after(&c).href(&path));
    let headers = [
        (SortColumn::Reference, "Reference"),
        (SortColumn::Direction, "Direction"),
        (SortColumn::Country, "Country"),
        (SortColumn::Kind, "Kind"),
        (SortColumn::Offence, "Offence"),
        (SortColumn::Case, "Case"),
        (SortColumn::Start, "Start date"),
        (SortColumn::Due, "Due"),
        (SortColumn::Status, "Status"),
        (SortColumn::Answered, "Answered"),
    ]
    .into_iter()
    .map(|(c, l)| header(&params, &path, c, l))
    .collect_view();
    let body = rows
        .into_iter()
        .map(|r| {
            let href = format!("/requests/{}", r.id);
            let case = r.case_number.clone().map(|n| {
                let case_href = format!("/cases/{}", r.case_id.unwrap_or_default());
                view! { <a href=case_href>{n}</a> }
            });
            view! {
                <tr class:overdue-row=r.overdue data-id=r.id>
                    <td>
                        <a href=href class="ref">{r.reference.clone()}</a>
                        {r.urgent.then(|| view! { <span class="badge urgent">"Urgent"</span> })}
                    </td>
                    <td><DirectionBadge direction=r.direction/></td>
                    <td title=r.country.clone()>{country::display(&r.country)}</td>
                    <td>{r.kind.label()}</td>
                    <td>{r.offence.label()}</td>
                    <td>{case}</td>
                    <td class="num">{date(r.start_date)}</td>
                    <td class="num">{date(r.due_on)}</td>
                    <td><StatusBadge status=r.status overdue=r.overdue/></td>
                    <td class="num">{date(r.answered_on)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="result-count" data-total=total>
            {if total == 1 { "1 request".to_string() } else { format!("{total} requests") }}
            {(shown > 0 && (total as usize) > shown).then(|| format!(" — showing {shown} per page"))}
        </p>
        {if shown == 0 {
            view! { <p class="empty">"No requests match these filters."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="registry">
                        <thead><tr>{headers}</tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
        <nav class="pager" aria-label="Pages">
            {match prev_href {
                Some(h) => view! { <a href=h rel="prev" class="button">"← Previous"</a> }.into_any(),
                None => view! { <span class="button disabled" aria-disabled="true">"← Previous"</span> }.into_any(),
            }}
            {match next_href {
                Some(h) => view! { <a href=h rel="next" class="button">"Next →"</a> }.into_any(),
                None => view! { <span class="button disabled" aria-disabled="true">"Next →"</span> }.into_any(),
            }}
        </nav>
    }
}
