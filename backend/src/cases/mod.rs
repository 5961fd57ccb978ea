//! F-19 agree validation and W-03 return follow-ups: the import, the validation queue, follow-ups,
//! the F-19 report with its exports, and reconciliation.

pub mod import;
pub mod report;
pub mod routes;
pub mod seed;
pub mod service;
