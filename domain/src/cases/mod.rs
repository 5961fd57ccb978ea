//! F-19 agree validation and W-03 return follow-ups: what browser and server must agree on,
//! one file per concept, all re-exported here so that `domain::cases::X` is the one path:
//!
//! - `call_time`: dates and call times as exports write them (ISO 8601 offsets to the site zone);
//! - `case`: services and buckets, case statuses, who sees which cases, the case itself;
//! - `import`: the import's columns (English and Indonesian names), header, bounds and answer;
//! - `import_row`: one row's rules (call times with offsets, the SOP's service and bucket pairs);
//! - `row_problems`: why a row is refused, as typed codes the browser words;
//! - `file_problems`: why a whole file is refused, likewise;
//! - `validation`: the W-04 tapping checklist ticked, the validation request and record;
//! - `checklist`: the editable wording of the W-04 checklist;
//! - `followups`: the follow-up state machine and its wire types;
//! - `filters`: the query strings of the case, follow-up and F-19 lists;
//! - `report`: the F-19 report and reconciliation types, and spreadsheet-safe export cells.

mod call_time;
mod case;
mod checklist;
mod file_problems;
mod filters;
mod followups;
mod import;
mod import_row;
mod report;
mod row_problems;
mod validation;

pub use call_time::*;
pub use case::*;
pub use checklist::*;
pub use file_problems::*;
pub use filters::*;
pub use followups::*;
pub use import::*;
pub use import_row::*;
pub use report::*;
pub use row_problems::*;
pub use validation::*;
