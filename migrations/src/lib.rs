//! Mutu's schema, one migration per file named by date. The server runs them on start.
// `MigrationTrait` is an `async_trait` whose methods take `&SchemaManager` with its lifetime
// elided; spelling it `<'_>` makes the signature differ from the trait's.
#![allow(elided_lifetimes_in_paths)]

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_foundation;
mod m20261129_000002_documents;
mod m20261129_000003_attachments;
mod m20261129_000004_document_indexes;
mod m20261129_000005_cases;
mod m20261129_000006_scoring;
mod m20261130_000001_audit_keyed;
mod m20261130_000002_import_staging;
mod m20261201_000001_planned_effective_date;
mod m20261201_000002_effective_instant;
mod m20261206_000001_checklist_versions;
mod m20261206_000002_followup_deadlines;
mod m20261206_000003_rejection_problems;
mod m20261206_000004_login_attempts_in_flight;
mod m20261206_000005_one_time_passwords;
mod m20261206_000006_recare_promise;
mod m20261206_000007_case_views;
mod m20261207_000001_mail;
mod m20261207_000002_payments;
mod m20261207_000010_dashboard_rollup;
mod m20261208_000001_backups;
mod m20261209_000001_records;
mod m20261210_000001_parameter_rollup;
mod m20261211_000001_rollup_team_index;
mod m20261211_000002_officer_rollup;
mod m20261211_000003_rollup_reopened;
mod m20261212_000001_disposed_batch_order;
mod m20261212_000002_promise_rollup;
mod m20261212_000003_rollup_pending;

/// All migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_foundation::Migration),
            Box::new(m20261129_000002_documents::Migration),
            Box::new(m20261129_000003_attachments::Migration),
            Box::new(m20261129_000004_document_indexes::Migration),
            Box::new(m20261129_000005_cases::Migration),
            Box::new(m20261129_000006_scoring::Migration),
            Box::new(m20261130_000001_audit_keyed::Migration),
            Box::new(m20261130_000002_import_staging::Migration),
            Box::new(m20261201_000001_planned_effective_date::Migration),
            Box::new(m20261201_000002_effective_instant::Migration),
            Box::new(m20261206_000001_checklist_versions::Migration),
            Box::new(m20261206_000002_followup_deadlines::Migration),
            Box::new(m20261206_000003_rejection_problems::Migration),
            Box::new(m20261206_000004_login_attempts_in_flight::Migration),
            Box::new(m20261206_000005_one_time_passwords::Migration),
            Box::new(m20261206_000006_recare_promise::Migration),
            Box::new(m20261206_000007_case_views::Migration),
            Box::new(m20261207_000001_mail::Migration),
            Box::new(m20261207_000002_payments::Migration),
            Box::new(m20261207_000010_dashboard_rollup::Migration),
            Box::new(m20261208_000001_backups::Migration),
            Box::new(m20261209_000001_records::Migration),
            Box::new(m20261210_000001_parameter_rollup::Migration),
            Box::new(m20261211_000001_rollup_team_index::Migration),
            Box::new(m20261211_000002_officer_rollup::Migration),
            Box::new(m20261211_000003_rollup_reopened::Migration),
            Box::new(m20261212_000001_disposed_batch_order::Migration),
            Box::new(m20261212_000002_promise_rollup::Migration),
            Box::new(m20261212_000003_rollup_pending::Migration),
        ]
    }
}
