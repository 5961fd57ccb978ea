//! The database side of an import: each batch from the parser checked (agents resolved through
//! a cache, call times from site time to UTC) and written with its refusals into the staging
//! tables in one short transaction, then ONE transaction that moves the staged rows into
//! `cases`, completes the import's record and writes its audit entry.

use super::agents::Agents;
use super::parse::Parsed;
use super::{discarded, limits, refuse};
use crate::audit::Trail;
use crate::auth::AuthUser;
use crate::db::{WriteTx, now};
use crate::error::ApiResult;
use crate::site_time::local_to_utc;
use crate::state::AppState;
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::audit::AuditAction;
use domain::cases::{FileProblem, ImportResult, ImportRow, RejectedRow, RowFaults, RowProblem, problems_text};
use entity::{import_rows, imports};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, Statement, Value,
};
use serde_json::json;
use std::collections::HashMap;
use std::fmt::Write as _;
use tokio::sync::mpsc;

/// Rows per INSERT statement: 13 bound values a staged row (26,000, under SQLite's 32,766 bound
/// parameters and PostgreSQL's 65,535). Measured on SQLite when rows went straight into `cases`:
/// 100,000 rows in statements of 2,000 rows took 1.40–1.52 s, of 500 rows 1.82–1.85 s (each
/// statement copies the pages it changes into SQLite's statement journal once, so fewer
/// statements copy less).
const STATEMENT_ROWS: usize = 2000;

/// The sizes of INSERT statements: a batch is cut into the largest first, so that only these
/// statement texts are ever prepared (and kept in the drivers' statement caches).
const STATEMENT_SIZES: [usize; 6] = [STATEMENT_ROWS, 500, 100, 20, 5, 1];

/// Touches the import's record (its progress time), on condition that it is still unfinished:
/// when it is gone, [`discard_unfinished`] took the import for dead and it must stop.
async fn touch(txn: &WriteTx, import_id: i32) -> ApiResult<()> {
    let touched = imports::Entity::update_many()
        .col_expr(imports::Column::ProgressAt, Expr::value(now()))
        .filter(imports::Column::Id.eq(import_id))
        .filter(imports::Column::FinishedAt.is_null())
        .exec(&**txn)
        .await?
        .rows_affected;
    if touched == 1 { Ok(()) } else { Err(discarded()) }
}

/// The tables a batch is written to, and their INSERT statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Table {
    Rows,
    Rejections,
}

impl Table {
    fn columns(self) -> &'static str {
        match self {
            Table::Rows => {
                "import_rows (import_id, seq, customer_no, customer_name, service, bucket, bill_amount, agent_id, team_id, call_at, reason, \
                 promise_date, recording_ref)"
            }
            Table::Rejections => "import_rejections (import_id, seq, row_no, error, problems)",
        }
    }

    /// Bound values of each row (see [`Staging::push_row`] and [`Staging::write`]).
    fn values(self) -> usize {
        match self {
            Table::Rows => 13,
            Table::Rejections => 5,
        }
    }

    /// `INSERT` of `rows` rows: `$n` on PostgreSQL, plain `?` on SQLite (which looks each `$n`
    /// up in a list of the statement's parameters: quadratic for thousands of them).
    fn insert_sql(self, backend: DatabaseBackend, rows: usize) -> String {
        let per_row = self.values();
        let mut sql = String::with_capacity(200 + rows * per_row * 5);
        let _ = write!(sql, "INSERT INTO {} VALUES ", self.columns());
        for row in 0..rows {
            sql.push_str(if row > 0 { ",(" } else { "(" });
            for value in 0..per_row {
                if value > 0 {
                    sql.push(',');
                }
                if backend == DatabaseBackend::Postgres {
                    let _ = write!(sql, "${}", 1 + row * per_row + value);
                } else {
                    sql.push('?');
                }
            }
            sql.push(')');
        }
        sql
    }
}

/// The staging of one import: its rows and refusals so far.
pub(super) struct Staging<'a> {
    state: &'a AppState,
    import_id: i32,
    statements: HashMap<(Table, usize), String>,
    /// Good rows staged (their `seq` runs from 0 in file order).
    staged: u64,
    rejected_total: u64,
    /// The first [`limits::LISTED_REJECTIONS`] refusals, for the answer.
    listed: Vec<RejectedRow>,
}

impl Staging<'_> {
    /// Adds a good row's values for [`Table::Rows`], typed as the `cases` entity binds them.
    fn push_row(
        &mut self,
        values: &mut Vec<Value>,
        row: ImportRow,
        agent_id: i32,
        team_id: Option<i32>,
        call_at: DateTime<Utc>,
    ) {
        values.extend([
            Value::Int(Some(self.import_id)),
            Value::BigInt(Some(self.staged as i64)),
            Value::String(Some(row.customer_no)),
            Value::String(Some(row.customer_name)),
            Value::String(Some(row.service.as_str().to_owned())),
            Value::String(Some(row.bucket.as_str().to_owned())),
            Value::BigInt(Some(row.bill_amount)),
            Value::Int(Some(agent_id)),
            Value::Int(team_id),
            Value::ChronoDateTimeUtc(Some(call_at)),
            Value::String(Some(row.reason)),
            Value::String(Some(row.promise_date.to_string())),
            Value::String(Some(row.recording_ref)),
        ]);
        self.staged += 1;
    }

    /// Writes a batch (good rows' values, refused rows) in one short transaction that also
    /// touches the import's record.
    async fn write(&mut self, rows: Vec<Value>, refused: Vec<(u64, Vec<RowProblem>)>) -> ApiResult<()> {
        let mut rejections = Vec::with_capacity(refused.len() * Table::Rejections.values());
        for (row, problems) in refused {
            let error = problems_text(&problems);
            let error: String = if error.chars().count() > limits::REFUSAL_CHARS {
                error.chars().take(limits::REFUSAL_CHARS - 1).chain(['…']).collect()
            } else {
                error
            };
            // Each fault quotes at most a few dozen characters of the file, and a row has at most
            // one fault per column and a few of its own.
            let codes = serde_json::to_string(&problems).ok();
            if self.listed.len() < limits::LISTED_REJECTIONS {
                self.listed.push(RejectedRow { row, error: error.clone(), problems });
            }
            rejections.extend([
                Value::Int(Some(self.import_id)),
                Value::BigInt(Some(self.rejected_total as i64)),
                Value::BigInt(Some(row.min(i64::MAX as u64) as i64)),
                Value::String(Some(error)),
                Value::String(codes),
            ]);
            self.rejected_total += 1;
        }
        let txn = self.state.db.write().await?;
        touch(&txn, self.import_id).await?;
        self.insert(&txn, Table::Rows, rows).await?;
        self.insert(&txn, Table::Rejections, rejections).await?;
        txn.commit().await
    }

    async fn insert(&mut self, txn: &WriteTx, table: Table, values: Vec<Value>) -> ApiResult<()> {
        let backend = self.state.db.backend();
        let per_row = table.values();
        let mut left = values.len() / per_row;
        let mut rest = values.into_iter();
        while left > 0 {
            let rows = STATEMENT_SIZES.into_iter().find(|size| *size <= left).unwrap_or(1);
            let sql = self.statements.entry((table, rows)).or_insert_with(|| table.insert_sql(backend, rows)).clone();
            let bound: Vec<Value> = rest.by_ref().take(rows * per_row).collect();
            txn.execute_raw(Statement::from_sql_and_values(backend, sql, bound)).await?;
            left -= rows;
        }
        Ok(())
    }
}

/// Stages what the parser sends: the import's record once the header is good (its id goes to
/// `import_id`, so that a failed upload can take its rows back), then each batch.
pub(super) async fn stage<'a>(
    state: &'a AppState,
    filename: &str,
    who: &AuthUser,
    started: DateTime<Utc>,
    mut rx: mpsc::Receiver<Parsed>,
    import_id: &mut Option<i32>,
) -> ApiResult<Staging<'a>> {
    match rx.recv().await {
        Some(Parsed::Header(Ok(()))) => {}
        Some(Parsed::Header(Err(problem)) | Parsed::Refused(problem)) => return Err(refuse(problem)),
        _ => return Err(refuse(FileProblem::Unreadable)),
    }
    let id = {
        let txn = state.db.write().await?;
        let id = imports::Entity::insert(imports::ActiveModel {
            filename: Set(filename.chars().take(255).collect()),
            // Known once the whole file has arrived.
            sha256: Set(String::new()),
            imported_by: Set(who.id),
            imported_at: Set(started),
            imported: Set(0),
            duplicates: Set(0),
            rejected: Set(0),
            progress_at: Set(Some(started)),
            finished_at: Set(None),
            ..Default::default()
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        txn.commit().await?;
        id
    };
    *import_id = Some(id);

    let mut staging =
        Staging { state, import_id: id, statements: HashMap::new(), staged: 0, rejected_total: 0, listed: Vec::new() };
    let mut agents = Agents::default();
    loop {
        let message = match tokio::time::timeout(limits::HEARTBEAT, rx.recv()).await {
            Ok(Some(message)) => message,
            Ok(None) => break,
            // A slow upload: no batch for a while, yet the import is alive.
            Err(_) => {
                let txn = state.db.write().await?;
                touch(&txn, id).await?;
                txn.commit().await?;
                continue;
            }
        };
        let rows = match message {
            Parsed::Rows(rows) => rows,
            Parsed::Broken(row) => {
                staging.write(Vec::new(), vec![(row, vec![RowProblem::WorkbookDamaged])]).await?;
                break;
            }
            Parsed::Refused(problem) => return Err(refuse(problem)),
            Parsed::Header(_) => continue,
        };
        agents.resolve(state, &rows).await?;
        // The values of every good row, checked before the writer is taken.
        let mut values: Vec<Value> = Vec::with_capacity(rows.len() * Table::Rows.values());
        let mut refused = Vec::new();
        for (row, parsed) in rows {
            let username = match &parsed {
                Ok(good) => Some(good.agent_username.as_str()),
                Err(faults) => faults.agent_username.as_deref(),
            };
            let agent = username.map(|name| agents.check(who, name));
            let (good, agent_id, team_id) = match (parsed, agent) {
                (Ok(good), Some(Ok((agent_id, team_id)))) => (good, agent_id, team_id),
                (parsed, Some(Err(problem))) => {
                    refused.push((row, RowFaults::add(parsed, problem).problems));
                    continue;
                }
                (Err(faults), _) => {
                    refused.push((row, faults.problems));
                    continue;
                }
                // A good row always names its agent.
                (Ok(good), None) => {
                    let problem = RowProblem::UnknownAgent { value: domain::cases::echo(&good.agent_username) };
                    refused.push((row, vec![problem]));
                    continue;
                }
            };
            let Ok(local) = NaiveDateTime::parse_from_str(&good.call_at_local, "%Y-%m-%dT%H:%M:%S") else {
                let value = domain::cases::echo(&good.call_at_local);
                refused.push((row, vec![RowProblem::CallAtInvalid { value }]));
                continue;
            };
            staging.push_row(&mut values, good, agent_id, team_id, local_to_utc(state, local));
        }
        staging.write(values, refused).await?;
    }
    Ok(staging)
}

/// Moves the staged rows into `cases` and completes the import, in ONE transaction with its
/// audit entry. Rows equal to a case already there (or to an earlier row of the file) are the
/// duplicates.
#[allow(clippy::too_many_arguments)]
pub(super) async fn finish(
    state: &AppState,
    who: &AuthUser,
    trail: Trail,
    filename: &str,
    format: &str,
    sha256: &str,
    started: DateTime<Utc>,
    import_id: i32,
    staging: Staging<'_>,
) -> ApiResult<ImportResult> {
    let backend = state.db.backend();
    let txn = state.db.write().await?;
    // `WHERE` before `ON CONFLICT` also keeps SQLite from reading the `ON` as a join's.
    let moved = txn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO cases (imported_at, imported_by, import_id, status, customer_no, customer_name, service, bucket, bill_amount, \
             agent_id, team_id, call_at, reason, promise_date, recording_ref) \
             SELECT $1, $2, import_id, 'pending', customer_no, customer_name, service, bucket, bill_amount, agent_id, team_id, call_at, \
             reason, promise_date, recording_ref FROM import_rows WHERE import_id = $3 ORDER BY seq \
             ON CONFLICT (customer_no, call_at, agent_id) DO NOTHING",
            [Value::from(started), Value::from(who.id), Value::from(import_id)],
        ))
        .await?
        .rows_affected();
    let duplicates = staging.staged - moved.min(staging.staged);
    let at = now();
    let finished = imports::Entity::update_many()
        .col_expr(imports::Column::Sha256, Expr::value(sha256.to_owned()))
        .col_expr(imports::Column::Imported, Expr::value(moved as i64))
        .col_expr(imports::Column::Duplicates, Expr::value(duplicates as i64))
        .col_expr(imports::Column::Rejected, Expr::value(staging.rejected_total as i64))
        .col_expr(imports::Column::ProgressAt, Expr::value(at))
        .col_expr(imports::Column::FinishedAt, Expr::value(at))
        .filter(imports::Column::Id.eq(import_id))
        .filter(imports::Column::FinishedAt.is_null())
        .exec(&*txn)
        .await?
        .rows_affected;
    if finished != 1 {
        return Err(discarded());
    }
    import_rows::Entity::delete_many().filter(import_rows::Column::ImportId.eq(import_id)).exec(&*txn).await?;
    who.audit(
        &txn,
        trail,
        AuditAction::CasesImported,
        "import",
        import_id.to_string(),
        json!({
            "filename": filename,
            "sha256": sha256,
            "format": format,
            "imported": moved,
            "duplicates": duplicates,
            "rejected": staging.rejected_total,
        }),
    )
    .await?;
    txn.commit().await?;
    let mut rejected = staging.listed;
    rejected.sort_by_key(|r| r.row);
    Ok(ImportResult {
        import_id: i64::from(import_id),
        imported: moved,
        duplicates,
        rejected,
        rejected_total: staging.rejected_total,
    })
}
