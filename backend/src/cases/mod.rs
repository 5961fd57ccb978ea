//! F-19 agree validation and W-03 return follow-ups: the import, the validation queue, follow-ups,
//! the F-19 report with its exports, and reconciliation; [`xlsx`] is the import's bounded
//! reader of workbooks. `import`, `report`, `service` and `xlsx` are folders of one file per
//! job, each re-exporting what the rest of the crate uses, so `cases::service::X` and the like
//! are the only paths.

pub mod import;
pub mod report;
pub mod routes;
pub mod seed;
pub mod service;
pub mod xlsx;
