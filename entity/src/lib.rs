//! SeaORM entities: one module per table. Services query through these; the API never
//! serialises them directly (DTOs in `domain::api` are built from them).

pub mod acknowledgements;
pub mod attachments;
pub mod audit_head;
pub mod audit_log;
pub mod calibration_participants;
pub mod calibration_sessions;
pub mod case_promises;
pub mod case_views;
pub mod cases;
pub mod checklist_versions;
pub mod documents;
pub mod evaluation_amendments;
pub mod evaluation_answers;
pub mod evaluations;
pub mod followup_steps;
pub mod followups;
pub mod import_rejections;
pub mod import_rows;
pub mod imports;
pub mod login_failures;
pub mod mail_outbox;
pub mod payment_import_rows;
pub mod payments;
pub mod promise_history;
pub mod refresh_tokens;
pub mod revisions;
pub mod sampling_assignments;
pub mod scoring_forms;
pub mod sessions;
pub mod settings;
pub mod signatures;
pub mod teams;
pub mod users;
pub mod validations;
