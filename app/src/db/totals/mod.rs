//! The running totals: how many requests there are of each start month, dimension value
//! (every request under "all"; each kind, offence, legal basis and their pairs), direction,
//! country, status and due month, with refusals by ground and answers by days taken
//! (tables `tally`, `tally_grounds`, `tally_days`). Kept equal to a recount in every
//! write's transaction (`keep`), read by view (`read`) through what this process keeps
//! (`cache`), and behind the registry's count (`count`) and the dashboards
//! (`db::dashboard`). A test recounts after random writes; `rogatory check` does too.

pub(crate) mod cache;
mod count;
pub mod keep;
pub(crate) mod read;

pub use count::count;
pub use keep::{add, add_many, ensure, rebuild, remove, snapshot};
