//! Queries and transactions of agree cases, validations and W-03 follow-ups. Every step is a
//! conditional update (on the case's status, on the follow-up's status and version) committed
//! with its audit entry; the unique `validations.case_id` settles any race between QCOs.
//!
//! Overdue is computed when read: a follow-up is overdue while it waits for the agent (open or
//! reopened) past `due_at`, and verification overdue while it waits for QC past `verify_due_at`
//! (`deadlines`). Nothing needs to run in the background.
//!
//! One file per job, all re-exported here (`cases::service::X`): `queue` (the case lists, one
//! case, the pending count), `validation` (a QCO's APPROVED or RETURN), `followups` (the W-03
//! list, one follow-up and badge counts), `followup_actions` (re-care, verify), `deadlines` (the
//! agent's due date and QC's deadline), `checklist` (the W-04 wording's signed versions), `viewing` (who has an agree open), and
//! `shared` (row visibility, running a built query, the due times, used by several of them).

mod checklist;
pub(crate) mod deadlines;
mod followup_actions;
mod followups;
mod queue;
mod shared;
mod validation;
mod viewing;

pub use checklist::{checklist, checklist_changed, checklist_versions, set_checklist, version_in_force, wording_of};
pub use deadlines::backfill_verify_deadlines;
pub use followup_actions::{recare, recare_at, verify, verify_at};
pub use followups::{
    counted, followup, followup_in, followup_in_at, list_followups, list_followups_at, summary, summary_at,
};
pub use queue::{CaseRow, PendingCount, case, case_in, case_rows, case_summary, list_cases, pending_count};
pub use shared::{CASE_TABLE, FOLLOWUP_TABLE, due_at, fetch, fetch_one, stored, verify_due_at, visible};
pub use validation::{validate, validate_at};
pub use viewing::{FORGET_AFTER_SECS, OPEN_WITHIN_SECS, forget_old_views, viewing, viewing_at};
