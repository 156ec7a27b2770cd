//! Reusable pieces of the interface.

pub mod badges;
pub mod charts;
pub mod errors;
pub mod field;
pub mod language;
pub mod request_form;
pub mod request_table;

pub use badges::{DirectionBadge, StatusBadge};
pub use errors::ErrorNotice;
pub use field::Field;
pub use language::LanguageSwitch;
pub use request_form::RequestForm;
pub use request_table::RequestTable;
