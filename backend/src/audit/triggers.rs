//! The triggers that keep the audit log append-only and its head from moving back, checked at
//! every start: one that is missing, disabled or altered is recreated, and the caller logs and
//! records which. (Whoever can write the database file can drop them; they stay dropped only
//! until the next start.)
//!
//! The texts are those of the migrations `m20261129_000001_foundation` and
//! `m20261130_000001_audit_keyed`; keep them identical.

use crate::db::Db;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

/// An SQLite trigger: its name and the exact statement that creates it.
const SQLITE: [(&str, &str); 4] = [
    (
        "audit_log_no_update",
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
         BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
    ),
    (
        "audit_log_no_delete",
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
         BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
    ),
    (
        "audit_head_guard",
        "CREATE TRIGGER audit_head_guard BEFORE UPDATE ON audit_head \
         WHEN NEW.seq < OLD.seq OR (OLD.chain_id IS NOT NULL AND (NEW.chain_id IS NOT OLD.chain_id \
         OR NEW.keyed_from IS NOT OLD.keyed_from OR NEW.keyed_prev_hash IS NOT OLD.keyed_prev_hash \
         OR NEW.record_mac IS NOT OLD.record_mac)) \
         BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END",
    ),
    (
        "audit_head_no_delete",
        "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head \
         BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END",
    ),
];

/// A PostgreSQL trigger function: its name, its body (`prosrc`) and the statement that creates it.
const PG_FUNCTIONS: [(&str, &str, &str); 2] = [
    (
        "audit_log_append_only",
        "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END",
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    ),
    (
        "audit_head_guard",
        "BEGIN \
         IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq OR (OLD.chain_id IS NOT NULL AND (NEW.chain_id IS DISTINCT FROM OLD.chain_id \
         OR NEW.keyed_from IS DISTINCT FROM OLD.keyed_from OR NEW.keyed_prev_hash IS DISTINCT FROM OLD.keyed_prev_hash \
         OR NEW.record_mac IS DISTINCT FROM OLD.record_mac)) THEN RAISE EXCEPTION 'audit_head only moves forward'; END IF; \
         RETURN NEW; END",
        "CREATE OR REPLACE FUNCTION audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
         IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq OR (OLD.chain_id IS NOT NULL AND (NEW.chain_id IS DISTINCT FROM OLD.chain_id \
         OR NEW.keyed_from IS DISTINCT FROM OLD.keyed_from OR NEW.keyed_prev_hash IS DISTINCT FROM OLD.keyed_prev_hash \
         OR NEW.record_mac IS DISTINCT FROM OLD.record_mac)) THEN RAISE EXCEPTION 'audit_head only moves forward'; END IF; \
         RETURN NEW; END $$",
    ),
];

/// A PostgreSQL trigger: name, table, function, `pg_trigger.tgtype` and the creating statement.
/// `tgtype` bits: 1 row, 2 before, 8 delete, 16 update, 32 truncate.
const PG_TRIGGERS: [(&str, &str, &str, i32, &str); 3] = [
    (
        "audit_log_no_change",
        "audit_log",
        "audit_log_append_only",
        1 | 2 | 8 | 16,
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log \
         FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();",
    ),
    (
        "audit_log_no_truncate",
        "audit_log",
        "audit_log_append_only",
        2 | 32,
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
    ),
    (
        "audit_head_guard",
        "audit_head",
        "audit_head_guard",
        1 | 2 | 8 | 16,
        "CREATE TRIGGER audit_head_guard BEFORE UPDATE OR DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_guard()",
    ),
];

/// Serialises the check of several servers starting at once on one PostgreSQL.
const PG_LOCK: i64 = 0x6d75_7475_6175_6474; // "mutuaudt"

/// SQL text compared without regard to runs of white space or a closing semicolon.
fn normalized(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches(';').trim_end().to_owned()
}

/// Checks the triggers and recreates those that are missing, disabled or altered. Returns
/// their names (empty when all were in place).
pub async fn ensure(db: &Db) -> anyhow::Result<Vec<String>> {
    let backend = db.backend();
    let txn = db.write().await?;
    let mut repaired = Vec::new();
    match backend {
        DatabaseBackend::Sqlite => {
            let rows = txn
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'",
                ))
                .await?;
            let present: Vec<(String, String)> = rows
                .iter()
                .filter_map(|r| {
                    Some((r.try_get::<String>("", "name").ok()?, r.try_get::<String>("", "sql").unwrap_or_default()))
                })
                .collect();
            for (name, create) in SQLITE {
                let intact = present.iter().any(|(n, sql)| n == name && normalized(sql) == normalized(create));
                if !intact {
                    txn.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}")).await?;
                    txn.execute_unprepared(create).await?;
                    repaired.push(name.to_owned());
                }
            }
        }
        DatabaseBackend::Postgres => {
            txn.execute_raw(Statement::from_sql_and_values(
                backend,
                "SELECT pg_advisory_xact_lock($1)",
                [PG_LOCK.into()],
            ))
            .await?;
            let functions = txn
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT proname::text AS name, prosrc FROM pg_proc WHERE pg_function_is_visible(oid) \
                     AND proname IN ('audit_log_append_only', 'audit_head_guard')",
                ))
                .await?;
            for (name, body, create) in PG_FUNCTIONS {
                let intact = functions.iter().any(|r| {
                    r.try_get::<String>("", "name").is_ok_and(|n| n == name)
                        && r.try_get::<String>("", "prosrc").is_ok_and(|src| normalized(&src) == normalized(body))
                });
                if !intact {
                    txn.execute_unprepared(create).await?;
                    repaired.push(format!("{name}()"));
                }
            }
            let triggers = txn
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT t.tgname::text AS name, c.relname::text AS tbl, p.proname::text AS func, t.tgtype::int4 AS kind, \
                     t.tgenabled::text AS enabled, (t.tgqual IS NULL) AS unconditional \
                     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid \
                     WHERE NOT t.tgisinternal AND pg_table_is_visible(c.oid) AND c.relname IN ('audit_log', 'audit_head')",
                ))
                .await?;
            for (name, table, function, kind, create) in PG_TRIGGERS {
                let intact = triggers.iter().any(|r| {
                    r.try_get::<String>("", "name").is_ok_and(|n| n == name)
                        && r.try_get::<String>("", "tbl").is_ok_and(|t| t == table)
                        && r.try_get::<String>("", "func").is_ok_and(|f| f == function)
                        && r.try_get::<i32>("", "kind").is_ok_and(|k| k == kind)
                        && r.try_get::<String>("", "enabled").is_ok_and(|e| e != "D")
                        && r.try_get::<bool>("", "unconditional").unwrap_or(false)
                });
                if !intact {
                    txn.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name} ON {table}")).await?;
                    txn.execute_unprepared(create).await?;
                    repaired.push(name.to_owned());
                }
            }
        }
        _ => {}
    }
    txn.commit().await?;
    Ok(repaired)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_is_compared_without_layout() {
        assert_eq!(normalized("CREATE  TRIGGER x\n BEGIN END;"), "CREATE TRIGGER x BEGIN END");
        assert_eq!(normalized(SQLITE[0].1), normalized(&format!("{} ", SQLITE[0].1.trim_end_matches(';'))));
        // Each function's creating statement holds exactly its body.
        for (_, body, create) in PG_FUNCTIONS {
            assert!(normalized(create).contains(&format!("$$ {} $$", normalized(body))), "{create}");
        }
    }
}
