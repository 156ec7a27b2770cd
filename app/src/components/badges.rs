//! Small labels: status (with the overdue flag), direction, urgency.

use crate::domain::{Direction, Status};
use crate::labels::Label;
use leptos::prelude::*;

/// A status label; an overdue request also says so in words, not only in colour.
#[component]
pub fn StatusBadge(status: Status, #[prop(optional)] overdue: bool) -> impl IntoView {
    view! {
        <span class=format!("badge status-{}", status.code())>{status.text()}</span>
        {overdue.then(|| view! { <span class="badge overdue" title={crate::tr!(badges.open_and_past_its_due_date)}>{crate::tr!(badges.overdue)}</span> })}
    }
}

#[component]
pub fn DirectionBadge(direction: Direction) -> impl IntoView {
    let arrow = match direction {
        Direction::Outgoing => "↗",
        Direction::Incoming => "↙",
    };
    view! {
        <span class=format!("direction direction-{}", direction.code()) title=direction.text()>
            <span aria-hidden="true">{arrow}" "</span>
            {direction.text()}
        </span>
    }
}
