//! The keyed audit chain: `audit_head` gains the chain record (which chain this is, from which
//! sequence number on its entries are HMACs, and that record's own MAC), and triggers that keep
//! the head from being rewound or deleted and the log from being truncated.
//!
//! The trigger texts are repeated in `backend/src/audit/triggers.rs`, which checks at every start
//! that they are still there and unchanged: keep the two copies identical.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000001_audit_keyed"
    }
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    ChainId,
    KeyedFrom,
    KeyedPrevHash,
    RecordMac,
}

const SQLITE_TRIGGERS: [&str; 2] = [
    "CREATE TRIGGER audit_head_guard BEFORE UPDATE ON audit_head \
     WHEN NEW.seq < OLD.seq OR (OLD.chain_id IS NOT NULL AND (NEW.chain_id IS NOT OLD.chain_id \
     OR NEW.keyed_from IS NOT OLD.keyed_from OR NEW.keyed_prev_hash IS NOT OLD.keyed_prev_hash \
     OR NEW.record_mac IS NOT OLD.record_mac)) \
     BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END",
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head \
     BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END",
];

const POSTGRES_STATEMENTS: [&str; 3] = [
    "CREATE OR REPLACE FUNCTION audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
     IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq OR (OLD.chain_id IS NOT NULL AND (NEW.chain_id IS DISTINCT FROM OLD.chain_id \
     OR NEW.keyed_from IS DISTINCT FROM OLD.keyed_from OR NEW.keyed_prev_hash IS DISTINCT FROM OLD.keyed_prev_hash \
     OR NEW.record_mac IS DISTINCT FROM OLD.record_mac)) THEN RAISE EXCEPTION 'audit_head only moves forward'; END IF; \
     RETURN NEW; END $$",
    "CREATE TRIGGER audit_head_guard BEFORE UPDATE OR DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_guard()",
    // Row triggers do not fire on TRUNCATE.
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in [
            string_len_null(AuditHead::ChainId, 36),
            big_integer_null(AuditHead::KeyedFrom),
            string_len_null(AuditHead::KeyedPrevHash, 64),
            string_len_null(AuditHead::RecordMac, 64),
        ] {
            let mut column = column;
            manager.alter_table(Table::alter().table(AuditHead::Table).add_column(&mut column).to_owned()).await?;
        }
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                for statement in SQLITE_TRIGGERS {
                    db.execute_unprepared(statement).await?;
                }
            }
            DatabaseBackend::Postgres => {
                for statement in POSTGRES_STATEMENTS {
                    db.execute_unprepared(statement).await?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}
