//! Queries and transactions of document control. Every workflow step goes through
//! `domain::documents::transition`, is a conditional update on the revision's state, and commits
//! with its signature and audit entry; a wrong password changes nothing.
//!
//! One module per thing the code does, re-exported here so callers keep writing
//! `documents::service::x`: `register` (the document list and details), `revisions` (the
//! revision view, drafts, diffs), `workflow` (signed steps, effective dates, tasks),
//! `reading` (in force, read-and-understood), `header` (a form's header block as printed), `attachments` (the original file), and
//! `shared` for the helpers several of them use.

mod attachments;
mod header;
mod reading;
mod register;
mod revisions;
mod shared;
mod workflow;

pub use attachments::{UPLOAD_LIMIT, attach, attachment, check_attachable, content_disposition, sniff_original};
pub use header::{FormHeader, FormHistory, form_header};
pub use reading::{acknowledge, acknowledgements, in_force};
pub use register::{create, detail, list, review_flags};
pub use revisions::{create_revision, diff, patch_revision, revision, view};
pub use shared::{content_hash, effective_instant, find_document};
pub use workflow::{Stage, apply_effective_dates, decide, my_tasks, submit};
