//! F-19 agree validation and W-03 return follow-ups: the import, the validation queue, follow-ups,
//! the F-19 report with its exports, and reconciliation; [`xlsx`] is the import's bounded
//! reader of workbooks.

pub mod import;
pub mod report;
pub mod routes;
pub mod seed;
pub mod service;
pub mod xlsx;
