//! The records lifecycle (issue 15): retention fixed per record, the records due, legal holds,
//! two-stage signed disposal with tombstones, and certificates of disposal.
//!
//! Who may do what: the QC coordinator, a manager and the admin see it all (`ViewRecords`); the
//! QC coordinator approves a batch (`DisposeRecords`); a manager or the admin confirms it
//! (`ConfirmDisposal`), never the approver; the QC coordinator and the admin place and release
//! holds (`ManageHolds`). Everyone else gets 404.

pub mod certificate_page;
pub mod dispose;
pub mod dispositions;
pub mod due;
pub mod holds;
pub mod retention;
pub mod routes;
pub mod select;

pub use routes::router;
