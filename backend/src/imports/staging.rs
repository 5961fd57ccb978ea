//! The database side of receiving an import: its record created once the header is good, then
//! each batch from the parser checked by the import's [`Stage`] and written with its refusals
//! into the staging tables in one short transaction that also touches the record.

use super::parse::Parsed;
use super::{Batch, Layout, Refusal, Stage, discarded, limits, refuse};
use crate::auth::AuthUser;
use crate::db::{WriteTx, now};
use crate::error::ApiResult;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::cases::{FileProblem, RowProblem};
use entity::imports;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, Statement, Value,
};
use std::collections::HashMap;
use std::fmt::Write as _;
use tokio::sync::mpsc;

/// Rows per INSERT statement: 13 bound values an agree's staged row (26,000, under SQLite's
/// 32,766 bound parameters and PostgreSQL's 65,535). Measured on SQLite when rows went straight
/// into `cases`: 100,000 rows in statements of 2,000 rows took 1.40–1.52 s, of 500 rows
/// 1.82–1.85 s (each statement copies the pages it changes into SQLite's statement journal
/// once, so fewer statements copy less).
const STATEMENT_ROWS: usize = 2000;

/// The sizes of INSERT statements: a batch is cut into the largest first, so that only these
/// statement texts are ever prepared (and kept in the drivers' statement caches).
const STATEMENT_SIZES: [usize; 6] = [STATEMENT_ROWS, 500, 100, 20, 5, 1];

/// The refused rows' table and its columns.
const REJECTIONS: &str = "import_rejections (import_id, seq, row_no, error, problems)";

/// Bound values of a refused row.
const REJECTION_VALUES: usize = 5;

/// Touches the import's record (its progress time), on condition that it is still unfinished:
/// when it is gone, [`super::discard_unfinished`] took the import for dead and it must stop.
pub(crate) async fn touch(txn: &WriteTx, import_id: i32) -> ApiResult<()> {
    let touched = imports::Entity::update_many()
        .col_expr(imports::Column::ProgressAt, Expr::value(now()))
        .filter(imports::Column::Id.eq(import_id))
        .filter(imports::Column::FinishedAt.is_null())
        .exec(&**txn)
        .await?
        .rows_affected;
    if touched == 1 { Ok(()) } else { Err(discarded()) }
}

/// `INSERT INTO {table} VALUES` of `rows` rows of `per_row` values: `$n` on PostgreSQL, plain
/// `?` on SQLite (which looks each `$n` up in a list of the statement's parameters: quadratic
/// for thousands of them).
fn insert_sql(backend: DatabaseBackend, table: &str, per_row: usize, rows: usize) -> String {
    let mut sql = String::with_capacity(200 + rows * per_row * 5);
    let _ = write!(sql, "INSERT INTO {table} VALUES ");
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

/// A refused row kept for the answer: its number, its words and its faults.
pub type Listed<R> = (u64, String, R);

/// The staging of one import: its rows and refusals so far.
pub struct Staging<'a, R> {
    state: &'a AppState,
    import_id: i32,
    statements: HashMap<(&'static str, usize), String>,
    /// Good rows staged.
    pub staged: u64,
    /// Refused rows stored.
    pub rejected_total: u64,
    /// The first [`limits::LISTED_REJECTIONS`] refusals, for the answer.
    pub listed: Vec<Listed<R>>,
}

impl<R: Refusal> Staging<'_, R> {
    /// Writes refused rows' values into `values` (for `import_rejections`), keeping the first
    /// for the answer. Also used by an import's last transaction for rows it refuses there.
    pub fn refusals(&mut self, refused: Vec<(u64, R)>) -> Vec<Value> {
        let mut rejections = Vec::with_capacity(refused.len() * REJECTION_VALUES);
        for (row, refusal) in refused {
            let error = refusal.text();
            let error: String = if error.chars().count() > limits::REFUSAL_CHARS {
                error.chars().take(limits::REFUSAL_CHARS - 1).chain(['…']).collect()
            } else {
                error
            };
            // Each fault quotes at most a few dozen characters of the file, and a row has at most
            // one fault per column and a few of its own.
            let codes = refusal.codes();
            rejections.extend([
                Value::Int(Some(self.import_id)),
                Value::BigInt(Some(self.rejected_total as i64)),
                Value::BigInt(Some(row.min(i64::MAX as u64) as i64)),
                Value::String(Some(error.clone())),
                Value::String(codes),
            ]);
            if self.listed.len() < limits::LISTED_REJECTIONS {
                self.listed.push((row, error, refusal));
            }
            self.rejected_total += 1;
        }
        rejections
    }

    /// Writes a batch (good rows' values, refused rows) in one short transaction that also
    /// touches the import's record.
    async fn write(&mut self, table: &'static str, per_row: usize, batch: Batch<R>) -> ApiResult<()> {
        let rejections = self.refusals(batch.refused);
        let txn = self.state.db.write().await?;
        touch(&txn, self.import_id).await?;
        self.insert(&txn, table, per_row, batch.values).await?;
        self.insert_rejections(&txn, rejections).await?;
        self.staged += batch.rows;
        txn.commit().await
    }

    /// The refused rows kept for the answer, by row number, as `make` turns them into the
    /// answer's rows.
    pub fn rejected<T>(&self, make: impl Fn(u64, String, &R) -> T) -> Vec<T> {
        let mut listed: Vec<&Listed<R>> = self.listed.iter().collect();
        listed.sort_by_key(|(row, _, _)| *row);
        listed.into_iter().take(limits::LISTED_REJECTIONS).map(|(row, error, r)| make(*row, error.clone(), r)).collect()
    }

    /// Inserts refused rows' values made by [`Staging::refusals`].
    pub async fn insert_rejections(&mut self, txn: &WriteTx, values: Vec<Value>) -> ApiResult<()> {
        self.insert(txn, REJECTIONS, REJECTION_VALUES, values).await
    }

    async fn insert(
        &mut self,
        txn: &WriteTx,
        table: &'static str,
        per_row: usize,
        values: Vec<Value>,
    ) -> ApiResult<()> {
        let backend = self.state.db.backend();
        let mut left = values.len() / per_row;
        let mut rest = values.into_iter();
        while left > 0 {
            // At most STATEMENT_ROWS rows of 13 values, whatever a row's width.
            let rows = STATEMENT_SIZES.into_iter().find(|size| *size <= left && size * per_row <= 26_000).unwrap_or(1);
            let sql = self
                .statements
                .entry((table, rows))
                .or_insert_with(|| insert_sql(backend, table, per_row, rows))
                .clone();
            let bound: Vec<Value> = rest.by_ref().take(rows * per_row).collect();
            txn.execute_raw(Statement::from_sql_and_values(backend, sql, bound)).await?;
            left -= rows;
        }
        Ok(())
    }
}

/// Stages what the parser sends: the import's record once the header is good (its id goes to
/// `import_id`, so that a failed upload can take its rows back), then each batch.
pub(super) async fn stage<'a, L: Layout, S: Stage<L>>(
    state: &'a AppState,
    filename: &str,
    who: &AuthUser,
    started: DateTime<Utc>,
    mut rx: mpsc::Receiver<Parsed<L>>,
    import_id: &mut Option<i32>,
    stage: &mut S,
) -> ApiResult<Staging<'a, S::Refused>> {
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
            kind: Set(S::KIND.to_owned()),
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
                let mut batch = Batch::new(id, 0);
                batch.refuse(row, S::Refused::whole(RowProblem::WorkbookDamaged));
                staging.write(S::TABLE, S::VALUES, batch).await?;
                break;
            }
            Parsed::Refused(problem) => return Err(refuse(problem)),
            Parsed::Header(_) => continue,
        };
        // The values of every good row, checked before the writer is taken.
        let mut batch = Batch::new(id, rows.len() * S::VALUES);
        stage.check(state, who, rows, &mut batch).await?;
        staging.write(S::TABLE, S::VALUES, batch).await?;
    }
    Ok(staging)
}
