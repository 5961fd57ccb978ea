//! F-19 agree validation and W-03 return follow-ups: the import, the validation queue, follow-ups,
//! the F-19 report with its exports, and reconciliation. The import's streaming, bounds and
//! workbook reader are shared with the payment import in [`crate::imports`]. `import`, `report`
//! and `service` are folders of one file per job, each re-exporting what the rest of the crate
//! uses, so `cases::service::X` and the like are the only paths.

pub mod import;
pub mod report;
pub mod routes;
pub mod seed;
pub mod service;
