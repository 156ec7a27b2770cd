//! Small labels: status (with the overdue flag), direction, urgency.

use crate::domain::{Direction, Status};
use leptos::prelude::*;

/// A status label; an overdue request also says so in words, not only in colour.
#[component]
pub fn StatusBadge(status: Status, #[prop(optional)] overdue: bool) -> impl IntoView {
    view! {
        <span class=format!("badge status-{}", status.code())>{status.label()}</span>
        {overdue.then(|| view! { <span class="badge overdue" title="Open and past its due date">"Overdue"</span> })}
    }
}

#[component]
pub fn DirectionBadge(direction: Direction) -> impl IntoView {
    let arrow = match direction {
        Direction::Outgoing => "↗",
        Direction::Incoming => "↙",
    };
    view! {
        <span class=format!("direction direction-{}", direction.code()) title=direction.label()>
            <span aria-hidden="true">{arrow}" "</span>
            {direction.label()}
        </span>
    }
}
