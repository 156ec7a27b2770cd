//! Plain types shared by the browser and the server, with the rules they must meet.
//! Nothing here touches the database or the network.

pub mod case;
pub mod codes;
pub mod country;
mod country_names;
pub mod dashboard;
pub mod event;
pub mod figures;
pub mod filter;
pub mod group;
pub mod interchange;
pub mod request;
pub mod second_factor;
pub mod status;
pub mod user;
pub mod validation;

pub use case::{CaseOption, CaseSummary};
pub use codes::{Direction, Kind, LegalBasis, Offence, RefusalGround};
pub use event::{Event, EventKind, Reminder, ReminderInput, StatusChange, StatusChangeInput};
pub use filter::{Cursor, ListParams, RequestFilter, RequestPage, SortColumn, StatusFilter};
pub use request::{Request, RequestInput, RequestRow, ValidRequest};
pub use status::Status;
pub use user::{CurrentUser, Role};
pub use validation::FieldError;

/// What the request form needs to offer its choices.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FormOptions {
    pub legal_bases: Vec<LegalBasis>,
    pub cases: Vec<CaseOption>,
    pub answer_period_days: u32,
}
