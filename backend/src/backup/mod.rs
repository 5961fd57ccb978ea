//! Backup and restore, one command each (issue 15 item 5; `docs/backup.md`).
//!
//! [`backup`] reads every table of [`tables::TABLES`] inside one read-only snapshot (PostgreSQL
//! `REPEATABLE READ READ ONLY`; SQLite one read transaction, which WAL mode keeps while the
//! server writes), a page at a time by primary key, and streams it into a zip [`archive`] with a
//! signed manifest, then enters the archive in the [`register`]. [`restore`] checks the whole
//! archive before it loads anything, loads every table in one transaction, checks integrity,
//! foreign keys, row counts and the audit chain inside that transaction, and commits only when
//! all hold. [`verify`] does the same into a scratch SQLite database that is then deleted.

pub mod archive;
pub mod register;
mod restore;
pub mod tables;
mod take;

pub use restore::{Failed, Purpose, Restored, restore, verify};
pub use take::{Made, backup};

use sea_orm_migration::MigratorTrait;

/// The last migration this binary knows: the schema version it writes and restores.
pub fn schema_version() -> String {
    migrations::Migrator::migrations().last().map(|m| m.name().to_owned()).unwrap_or_default()
}
