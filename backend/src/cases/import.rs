//! `POST /api/cases/import`: the day's agree export (CSV or XLSX, told apart by content) into
//! cases, streamed and all or nothing.
//!
//! The request handler pulls the upload chunk by chunk (hashing it with SHA-256 on the way), a
//! blocking thread parses what arrives and hands over rows in batches, and each batch is checked
//! (agents resolved through a cache, call times from site time to UTC) and written in one short
//! transaction into a staging table, `import_rows`, which no list reads, together with its
//! refused rows (`import_rejections`) and the import's progress time. When the whole file has
//! arrived, ONE transaction moves the staged rows into `cases` (`INSERT … SELECT … ON CONFLICT
//! (customer_no, call_at, agent_id) DO NOTHING`, so duplicates of earlier imports or within the
//! file are counted), completes the `imports` record (hash, counts, `finished_at`), writes the
//! audit entry and empties the staging rows. So cases appear all at once with their audit entry,
//! or not at all.
//!
//! An import that fails in the request (a refused file, past 50 MiB, the client gone) takes its
//! staging rows and record back at once. One that never finished because the process died is
//! discarded by [`discard_unfinished`] (every server runs it at start and then every 30 s), once
//! its last progress is older than [`limits::STALE_AFTER`]: a running import touches its record
//! at every batch and at least every [`limits::HEARTBEAT`], and every step is conditional on the
//! record (still unfinished, still stale), so several servers on one PostgreSQL never discard an
//! import another one is running, nor both discard one.
//!
//! Memory does not grow with the file: a CSV is parsed as it arrives (at most a few batches are
//! in flight between the upload, the parser and the database); refused rows are stored, and only
//! the first [`limits::LISTED_REJECTIONS`] are kept for the answer. An XLSX is a zip, which can
//! only be read with random access, so it is spooled to an unnamed temporary file in
//! [`std::env::temp_dir`] (created, then unlinked at once, so nothing is left behind even after
//! a crash) and read from there by the bounded reader of [`super::xlsx`]; only when no temporary
//! file can be created is it kept in memory, which the 50 MiB limit bounds.

use crate::audit::{self, Actor, Entry};
use crate::cases::service::{Who, local_to_utc};
use crate::cases::xlsx::{self, Cell, XlsxError};
use crate::db::{WriteTx, now};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::body::Bytes;
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::cases::{IMPORT_COLUMNS, ImportResult, ImportRow, RejectedRow, map_header, parse_row, too_many_rows};
use entity::{import_rejections, import_rows, imports, users};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement, Value,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Read, Seek};
use tokio::sync::mpsc;

/// Every bound of the import, in one place.
pub mod limits {
    use super::xlsx;
    use std::time::Duration;

    const MIB: usize = 1024 * 1024;

    /// Largest upload of the route (the body limit is set on the route alone).
    pub const UPLOAD_BYTES: usize = 50 * MIB;

    /// Data rows of one file, CSV or XLSX; past it the file is refused whole.
    pub const DATA_ROWS: u64 = domain::cases::IMPORT_MAX_ROWS;

    /// Refused rows listed in the answer; all of them are stored for the CSV download.
    pub const LISTED_REJECTIONS: usize = domain::cases::IMPORT_REJECTED_LISTED;

    /// Bytes of one CSV record (the header too): the ten fields hold at most about 1,500
    /// characters, so a longer record is refused without copying its cells.
    pub const ROW_BYTES: usize = 64 * 1024;

    /// Characters of a stored refusal (a last bound: the messages quote at most
    /// [`domain::cases::ECHO_CHARS`] of the file).
    pub const REFUSAL_CHARS: usize = 300;

    /// The first line of a CSV (whose delimiter is guessed from it) is looked for in this much.
    pub const FIRST_LINE_BYTES: usize = MIB;

    /// An import whose record has not moved for this long is taken for dead (its process was
    /// killed) and discarded. Far above [`HEARTBEAT`], so a live import is never taken.
    pub const STALE_AFTER: Duration = Duration::from_secs(15 * 60);

    /// A running import touches its record at least this often, also while a slow upload
    /// brings no new batch.
    pub const HEARTBEAT: Duration = Duration::from_secs(60);

    /// The bounds of the XLSX reader. A workbook has a dozen parts; 4 million shared strings
    /// and 64 MiB of their text is more than a 1,000,000-row export within 50 MiB can use, and
    /// keeps the reader under about 100 MiB; one cell holds what Excel can write (32,767
    /// characters of up to 4 bytes). The sheet is streamed, so its bound only limits the time
    /// a bomb costs: 1,000,000 rows of ten cells as Excel writes them take about 350 MiB.
    pub const XLSX: xlsx::Limits = xlsx::Limits {
        zip_entries: 10_000,
        small_part_bytes: 16 * MIB as u64,
        shared_strings_part_bytes: 256 * MIB as u64,
        sheet_bytes: 512 * MIB as u64,
        shared_strings: 4_000_000,
        shared_string_bytes: 64 * MIB,
        cell_bytes: 4 * 32_767,
        xml_token_bytes: MIB,
        styles: 65_536,
        columns: 64,
        data_rows: DATA_ROWS,
    };
}

/// Largest upload of this route (the body limit is set on the route alone).
pub const UPLOAD_LIMIT: usize = limits::UPLOAD_BYTES;

/// Rows per message of the parsing thread and per staging transaction: few commits, yet memory
/// stays flat (the parser is at most two batches ahead), and other writers wait at most one
/// batch behind an import while it streams. (The last transaction, which moves every staged
/// row into `cases`, holds SQLite's one writer for as long as that takes: about 1 s per
/// 100,000 rows on a small machine, as sqlite3's own `INSERT … SELECT` into `cases` in the
/// benchmark's measurement D.)
const BATCH: usize = 25_000;

/// Rows per INSERT statement: 13 bound values a staged row (26,000, under SQLite's 32,766 bound
/// parameters and PostgreSQL's 65,535). Measured on SQLite when rows went straight into `cases`:
/// 100,000 rows in statements of 2,000 rows took 1.40–1.52 s, of 500 rows 1.82–1.85 s (each
/// statement copies the pages it changes into SQLite's statement journal once, so fewer
/// statements copy less).
const STATEMENT_ROWS: usize = 2000;

/// The sizes of INSERT statements: a batch is cut into the largest first, so that only these
/// statement texts are ever prepared (and kept in the drivers' statement caches).
const STATEMENT_SIZES: [usize; 6] = [STATEMENT_ROWS, 500, 100, 20, 5, 1];

/// How much of a file is looked at before deciding what it is: NUL bytes in the first 8 KiB
/// mark a binary file; a CSV's delimiter is guessed from its first line.
const SNIFF: usize = 8192;

/// The uploaded file, chunk by chunk.
pub trait Upload: Send {
    /// The next chunk; `None` at the end of the file.
    fn next_chunk(&mut self) -> impl Future<Output = ApiResult<Option<Bytes>>> + Send;
}

impl Upload for axum::extract::multipart::Field<'_> {
    async fn next_chunk(&mut self) -> ApiResult<Option<Bytes>> {
        self.chunk().await.map_err(upload_error)
    }
}

/// A file already in memory (the demo data).
struct Whole(Option<Bytes>);

impl Upload for Whole {
    async fn next_chunk(&mut self) -> ApiResult<Option<Bytes>> {
        Ok(self.0.take().filter(|b| !b.is_empty()))
    }
}

/// A multipart error as the API answers it: past the body limit → 413, else 400.
pub fn upload_error(err: axum::extract::multipart::MultipartError) -> ApiError {
    if err.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        ApiError::BadRequest("the upload could not be read".into())
    }
}

/// Reads (and drops) the rest of an upload that was refused early, so that the client, still
/// sending, gets to read the answer. The route's body limit bounds it.
pub async fn drain(upload: &mut impl Upload) {
    while let Ok(Some(_)) = upload.next_chunk().await {}
}

/// What the request handler hands to the parsing thread.
enum Chunk {
    Data(Bytes),
    /// The upload is complete. A channel closed without it means the upload failed.
    End,
}

/// The upload as a [`Read`] for the parsing thread: the first look, then the chunks as they come.
struct Chunks {
    current: Bytes,
    rx: mpsc::Receiver<Chunk>,
    ended: bool,
}

impl Read for Chunks {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            if self.ended {
                return Ok(0);
            }
            match self.rx.blocking_recv() {
                Some(Chunk::Data(bytes)) => self.current = bytes,
                Some(Chunk::End) => self.ended = true,
                None => return Err(std::io::Error::other("the upload broke off")),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current = self.current.slice(n..);
        Ok(n)
    }
}

/// A checked row: its spreadsheet row number, and the row or why it is refused.
type Checked = (u64, Result<ImportRow, String>);

/// What the parsing thread sends.
enum Parsed {
    /// The header was read: `Ok` or why the file is refused.
    Header(Result<(), String>),
    Rows(Vec<Checked>),
    /// The file broke off in the middle (a damaged XLSX): the rows before stand.
    Broken(u64, String),
    /// The file is refused whole after its header (too many rows, a bound of the XLSX reader).
    Refused(String),
}

/// Refuses what cannot be an agree export; nothing is stored.
fn refuse(problem: impl Into<String>) -> ApiError {
    ApiError::Validation(domain::validation::FieldErrors::from([("file".to_owned(), problem.into())]))
}

/// The record of an import went away while it ran: [`discard_unfinished`] took it for dead.
fn discarded() -> ApiError {
    ApiError::conflict(
        "import_discarded",
        "the import made no progress for too long and was discarded; upload the file again",
    )
}

/// Imports a file already in memory (the demo data).
pub async fn run(state: &AppState, who: &Who, filename: &str, bytes: Vec<u8>) -> ApiResult<ImportResult> {
    run_upload(state, who, filename, Whole(Some(Bytes::from(bytes)))).await
}

/// Imports an upload as it arrives.
pub async fn run_upload(
    state: &AppState,
    who: &Who,
    filename: &str,
    mut upload: impl Upload,
) -> ApiResult<ImportResult> {
    let mut hasher = Sha256::new();
    let mut size = 0usize;
    let mut taken = |chunk: &[u8], hasher: &mut Sha256| -> ApiResult<()> {
        size += chunk.len();
        if size > UPLOAD_LIMIT {
            return Err(ApiError::PayloadTooLarge);
        }
        hasher.update(chunk);
        Ok(())
    };

    // The first look: the first 8 KiB and the whole first line (or the whole file, while it is
    // only white space).
    let mut prefix: Vec<u8> = Vec::new();
    let mut blank = true;
    let mut ended = false;
    while !ended
        && (prefix.len() < SNIFF || blank || (prefix.len() < limits::FIRST_LINE_BYTES && !prefix.contains(&b'\n')))
    {
        match upload.next_chunk().await? {
            None => ended = true,
            Some(chunk) => {
                taken(&chunk, &mut hasher)?;
                blank = blank && chunk.iter().all(u8::is_ascii_whitespace);
                prefix.extend_from_slice(&chunk);
            }
        }
    }
    if blank {
        return Err(refuse("the file is empty"));
    }
    let is_xlsx = prefix.starts_with(b"PK\x03\x04");
    if !is_xlsx {
        let problem = if prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            Some("this is an old Excel 97 (.xls) file; save it as XLSX or CSV")
        // Text files have no NUL bytes; PDFs, images and other binaries do near the start.
        } else if prefix.iter().take(SNIFF).any(|b| *b == 0) || prefix.starts_with(b"%PDF") {
            Some("the file is not a CSV or XLSX file")
        } else {
            None
        };
        if let Some(problem) = problem {
            drain(&mut upload).await;
            return Err(refuse(problem));
        }
    }
    let delimiter = csv_delimiter(&prefix);

    let (chunk_tx, chunk_rx) = mpsc::channel::<Chunk>(16);
    let (tx, rx) = mpsc::channel::<Parsed>(2);
    let source = Chunks { current: Bytes::from(prefix), rx: chunk_rx, ended: false };
    let reader =
        tokio::task::spawn_blocking(
            move || if is_xlsx { read_xlsx(source, tx) } else { read_csv(source, delimiter, tx) },
        );

    // The rest of the upload goes to the parser while the rows it sends are staged.
    let pump = async {
        let chunk_tx = chunk_tx;
        if !ended {
            while let Some(chunk) = upload.next_chunk().await? {
                taken(&chunk, &mut hasher)?;
                if chunk_tx.send(Chunk::Data(chunk)).await.is_err() {
                    // The parser stopped early: the rows' side says why.
                    return Ok(());
                }
            }
        }
        let _ = chunk_tx.send(Chunk::End).await;
        Ok::<(), ApiError>(())
    };
    let started = now();
    let mut undo = Undo { state: state.clone(), import_id: None };
    let store = stage(state, filename, who, started, rx, &mut undo.import_id);
    let staged = match tokio::try_join!(pump, store) {
        Ok(((), staged)) => staged,
        Err(error) => {
            if let Some(id) = undo.import_id.take() {
                discard(state, id).await;
            }
            if matches!(error, ApiError::Validation(_)) {
                drain(&mut upload).await;
            }
            return Err(error);
        }
    };
    // Still armed: should the request go away before the import is complete, nothing stays.
    let Some(import_id) = undo.import_id else {
        return Err(ApiError::Internal(anyhow::anyhow!("the import stored no record")));
    };
    reader.await.map_err(|e| ApiError::Internal(anyhow::anyhow!("the import reader failed: {e}")))?;
    let sha256 = hex::encode(hasher.finalize());
    let format = if is_xlsx { "xlsx" } else { "csv" };
    let result = finish(state, who, filename, format, &sha256, started, import_id, staged).await?;
    undo.import_id = None;
    Ok(result)
}

/// Spreadsheets in Indonesian locales save CSV with semicolons: the most frequent of `,` `;` and
/// tab in the first line.
fn csv_delimiter(prefix: &[u8]) -> u8 {
    let first_line = prefix.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let count = |c: u8| first_line.iter().filter(|b| **b == c).count();
    [b',', b';', b'\t'].into_iter().max_by_key(|c| count(*c)).unwrap_or(b',')
}

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
            Table::Rejections => "import_rejections (import_id, seq, row_no, error)",
        }
    }

    /// Bound values of each row (see [`Staging::push_row`] and [`Staging::write`]).
    fn values(self) -> usize {
        match self {
            Table::Rows => 13,
            Table::Rejections => 4,
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
struct Staging<'a> {
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
    async fn write(&mut self, rows: Vec<Value>, refused: Vec<(u64, String)>) -> ApiResult<()> {
        let mut rejections = Vec::with_capacity(refused.len() * Table::Rejections.values());
        for (row, error) in refused {
            let error: String = if error.chars().count() > limits::REFUSAL_CHARS {
                error.chars().take(limits::REFUSAL_CHARS - 1).chain(['…']).collect()
            } else {
                error
            };
            if self.listed.len() < limits::LISTED_REJECTIONS {
                self.listed.push(RejectedRow { row, error: error.clone() });
            }
            rejections.extend([
                Value::Int(Some(self.import_id)),
                Value::BigInt(Some(self.rejected_total as i64)),
                Value::BigInt(Some(row.min(i64::MAX as u64) as i64)),
                Value::String(Some(error)),
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
async fn stage<'a>(
    state: &'a AppState,
    filename: &str,
    who: &Who,
    started: DateTime<Utc>,
    mut rx: mpsc::Receiver<Parsed>,
    import_id: &mut Option<i32>,
) -> ApiResult<Staging<'a>> {
    match rx.recv().await {
        Some(Parsed::Header(Ok(()))) => {}
        Some(Parsed::Header(Err(problem)) | Parsed::Refused(problem)) => return Err(refuse(problem)),
        _ => return Err(refuse("the file could not be read as CSV or XLSX")),
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
    let mut agents: HashMap<String, Option<(i32, Option<i32>)>> = HashMap::new();
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
            Parsed::Broken(row, problem) => {
                staging.write(Vec::new(), vec![(row, problem)]).await?;
                break;
            }
            Parsed::Refused(problem) => return Err(refuse(problem)),
            Parsed::Header(_) => continue,
        };
        resolve_agents(state, &rows, &mut agents).await?;
        // The values of every good row, checked before the writer is taken.
        let mut values: Vec<Value> = Vec::with_capacity(rows.len() * Table::Rows.values());
        let mut refused = Vec::new();
        for (row, parsed) in rows {
            let good = match parsed {
                Ok(good) => good,
                Err(error) => {
                    refused.push((row, error));
                    continue;
                }
            };
            let Some(&Some((agent_id, team_id))) = agents.get(&good.agent_username) else {
                refused.push((
                    row,
                    format!(
                        "unknown agent \"{}\" (no active agent has this username)",
                        domain::cases::echo(&good.agent_username)
                    ),
                ));
                continue;
            };
            let Ok(local) = NaiveDateTime::parse_from_str(&good.call_at_local, "%Y-%m-%dT%H:%M:%S") else {
                refused.push((row, "bad call_at".into()));
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
async fn finish(
    state: &AppState,
    who: &Who,
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
        "cases.imported",
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

/// Takes back the staging of an import whose request was dropped half-way (the client went
/// away and the server stopped polling the request): armed while the import runs.
struct Undo {
    state: AppState,
    import_id: Option<i32>,
}

impl Drop for Undo {
    fn drop(&mut self) {
        if let Some(id) = self.import_id.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            let state = self.state.clone();
            runtime.spawn(async move { discard(&state, id).await });
        }
    }
}

/// Deletes an unfinished import's record, and when that was still there, its staged rows and
/// refusals; returns how many rows were staged (`None`: the record was not there, or not
/// matching `stale_before`).
async fn delete_unfinished(
    txn: &WriteTx,
    import_id: i32,
    stale_before: Option<DateTime<Utc>>,
) -> ApiResult<Option<u64>> {
    let mut record = imports::Entity::delete_many()
        .filter(imports::Column::Id.eq(import_id))
        .filter(imports::Column::FinishedAt.is_null());
    if let Some(cutoff) = stale_before {
        record = record.filter(imports::Column::ProgressAt.lt(cutoff));
    }
    if record.exec(&**txn).await?.rows_affected == 0 {
        return Ok(None);
    }
    let staged = import_rows::Entity::delete_many()
        .filter(import_rows::Column::ImportId.eq(import_id))
        .exec(&**txn)
        .await?
        .rows_affected;
    import_rejections::Entity::delete_many()
        .filter(import_rejections::Column::ImportId.eq(import_id))
        .exec(&**txn)
        .await?;
    Ok(Some(staged))
}

/// Takes back what a failed upload staged, and its record. Nothing of it was ever visible, so
/// there is nothing to audit. Best effort: a failure is logged (and the background clean-up
/// retries later).
async fn discard(state: &AppState, import_id: i32) {
    let undo = async {
        let txn = state.db.write().await?;
        delete_unfinished(&txn, import_id, None).await?;
        txn.commit().await
    };
    if let Err(error) = undo.await {
        tracing::warn!(import_id, "the staging of a failed import could not be taken back: {error:?}");
    }
}

/// Discards the imports that never finished and made no progress since before
/// `now - STALE_AFTER` (their server died mid-import): their staged rows, refusals and record
/// go, each with an audit entry `cases.import_discarded`. Safe on several servers at once: each
/// delete is conditional on the record being still unfinished and still stale, so one server
/// discards an import and none discards a live one. Returns how many were discarded.
pub async fn discard_unfinished(state: &AppState, now: DateTime<Utc>) -> ApiResult<u64> {
    let cutoff = now - chrono::Duration::from_std(limits::STALE_AFTER).unwrap_or(chrono::Duration::MAX);
    let stale = imports::Entity::find()
        .filter(imports::Column::FinishedAt.is_null())
        .filter(imports::Column::ProgressAt.lt(cutoff))
        .order_by_asc(imports::Column::Id)
        .limit(100)
        .all(&state.db.conn)
        .await?;
    let mut discarded = 0;
    for import in stale {
        let txn = state.db.write().await?;
        let Some(staged) = delete_unfinished(&txn, import.id, Some(cutoff)).await? else {
            // Another server discarded it, or it moved on meanwhile.
            continue;
        };
        audit::append(
            &txn,
            Entry {
                actor: &Actor::system(),
                action: "cases.import_discarded",
                entity: "import",
                entity_id: Some(import.id.to_string()),
                payload: json!({
                    "filename": import.filename,
                    "imported_by": import.imported_by,
                    "started_at": crate::db::timestamp(import.imported_at),
                    "last_progress_at": import.progress_at.map(crate::db::timestamp),
                    "staged_rows": staged,
                    "reason": "the import never finished (its server stopped); nothing of it was imported",
                }),
            },
        )
        .await?;
        txn.commit().await?;
        discarded += 1;
    }
    Ok(discarded)
}

/// [`discard_unfinished`] as a step of the server's background work: failures are logged, and
/// the next round retries.
pub async fn discard_unfinished_imports(state: &AppState) {
    match discard_unfinished(state, now()).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(discarded = n, "discarded unfinished imports of a server that stopped"),
        Err(err) => tracing::warn!(error = %err, "discarding unfinished imports failed; will retry"),
    }
}

/// Refused rows a page of the CSV download reads.
const REJECTIONS_PAGE: u64 = 5_000;

/// Every refused row of a finished import as CSV (`row,error`, with a BOM so spreadsheets read
/// UTF-8, every text through [`domain::cases::spreadsheet_safe`]), page by page as the client
/// reads. For the roles that may import and the importer; others (and unknown or unfinished
/// imports) 404.
pub async fn rejections_csv(
    state: &AppState,
    who: &Who,
    import_id: i64,
) -> ApiResult<impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static> {
    let import = match i32::try_from(import_id) {
        Ok(id) => {
            imports::Entity::find_by_id(id)
                .filter(imports::Column::FinishedAt.is_not_null())
                .one(&state.db.conn)
                .await?
        }
        Err(_) => None,
    };
    let import = import
        .filter(|i| i.imported_by == who.id || domain::permissions::can(who.role, domain::Action::ImportCases))
        .ok_or(ApiError::NotFound)?;
    let state = state.clone();
    let pages = futures_util::stream::unfold(Some(-1i64), move |after| {
        let state = state.clone();
        async move {
            let after = after?;
            let page = import_rejections::Entity::find()
                .filter(import_rejections::Column::ImportId.eq(import.id))
                .filter(import_rejections::Column::Seq.gt(after))
                .order_by_asc(import_rejections::Column::Seq)
                .limit(REJECTIONS_PAGE)
                .all(&state.db.conn)
                .await;
            let page = match page {
                Ok(page) => page,
                Err(err) => {
                    tracing::error!(error = %err, "reading refused rows failed");
                    return Some((Err(std::io::Error::other("reading refused rows failed")), None));
                }
            };
            if page.is_empty() && after >= 0 {
                return None;
            }
            let mut writer = csv::Writer::from_writer(if after < 0 { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() });
            if after < 0 {
                let _ = writer.write_record(["row", "error"]);
            }
            for r in &page {
                let _ = writer.write_record([r.row_no.to_string(), domain::cases::spreadsheet_safe(&r.error)]);
            }
            let bytes = writer.into_inner().unwrap_or_default();
            let next = (page.len() as u64 == REJECTIONS_PAGE).then(|| page.last().map(|r| r.seq)).flatten();
            Some((Ok(Bytes::from(bytes)), next))
        }
    });
    Ok(pages)
}

/// Looks up the usernames of a batch not seen before: active users with the agent role.
async fn resolve_agents(
    state: &AppState,
    rows: &[Checked],
    known: &mut HashMap<String, Option<(i32, Option<i32>)>>,
) -> ApiResult<()> {
    let mut wanted: Vec<&str> = rows
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .map(|r| r.agent_username.as_str())
        .filter(|u| !known.contains_key(*u))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return Ok(());
    }
    let found = users::Entity::find()
        .filter(users::Column::Username.is_in(wanted.iter().copied()))
        .filter(users::Column::Role.eq(domain::Role::Agent.as_str()))
        .filter(users::Column::Active.eq(true))
        .all(&state.db.conn)
        .await?;
    for name in wanted {
        let user = found.iter().find(|u| u.username == name);
        known.insert(name.to_owned(), user.map(|u| (u.id, u.team_id)));
    }
    Ok(())
}

/// Cells in the order of [`IMPORT_COLUMNS`] from a row of the file, by the header's map.
fn ordered(cells: &[String], at: &[usize; 10]) -> Result<[String; 10], String> {
    if cells.len() > at.iter().max().copied().unwrap_or(0) + 1
        && cells[IMPORT_COLUMNS.len()..].iter().any(|c| !c.trim().is_empty())
    {
        return Err(format!("the row has {} cells; the header has {}", cells.len(), IMPORT_COLUMNS.len()));
    }
    Ok(std::array::from_fn(|i| cells.get(at[i]).cloned().unwrap_or_default()))
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Sends a batch; false when the receiver is gone (the request ended).
fn flush(tx: &mpsc::Sender<Parsed>, batch: &mut Vec<Checked>) -> bool {
    if batch.is_empty() {
        return true;
    }
    tx.blocking_send(Parsed::Rows(std::mem::replace(batch, Vec::with_capacity(BATCH)))).is_ok()
}

/// A CSV record as the row rules see it: `None` for a blank row (skipped), else the parsed row
/// or why it is refused. `cells` is a buffer reused from row to row.
fn csv_row(record: &csv::ByteRecord, at: &[usize; 10], cells: &mut [String; 10]) -> Option<Result<ImportRow, String>> {
    let mut blank = true;
    for field in record {
        match std::str::from_utf8(field) {
            Ok(text) => blank &= text.trim().is_empty(),
            Err(_) => return Some(Err("the row is not valid UTF-8 text; save the file as \"CSV UTF-8\"".into())),
        }
    }
    if blank {
        return None;
    }
    if record.as_slice().len() > limits::ROW_BYTES {
        return Some(Err(format!("the row is longer than {} KiB", limits::ROW_BYTES / 1024)));
    }
    // The header has exactly the ten columns; cells past them must be empty.
    if record.len() > IMPORT_COLUMNS.len()
        && record
            .iter()
            .skip(IMPORT_COLUMNS.len())
            .any(|f| !std::str::from_utf8(f).unwrap_or_default().trim().is_empty())
    {
        return Some(Err(format!("the row has {} cells; the header has {}", record.len(), IMPORT_COLUMNS.len())));
    }
    for (cell, &i) in cells.iter_mut().zip(at) {
        cell.clear();
        cell.push_str(record.get(i).map(|f| std::str::from_utf8(f).unwrap_or_default()).unwrap_or_default());
    }
    Some(parse_row(cells))
}

fn read_csv(source: Chunks, delimiter: u8, tx: mpsc::Sender<Parsed>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(64 * 1024)
        .from_reader(source);
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Err(err) if matches!(err.kind(), csv::ErrorKind::Io(_)) => return,
        Ok(false) | Err(_) => {
            let _ = tx.blocking_send(Parsed::Header(Err("the file has no header row".into())));
            return;
        }
    }
    if record.as_slice().len() > limits::ROW_BYTES {
        let problem = format!(
            "the header row is longer than {} KiB; the first row must name the columns",
            limits::ROW_BYTES / 1024
        );
        let _ = tx.blocking_send(Parsed::Header(Err(problem)));
        return;
    }
    let header: Result<Vec<String>, _> = record.iter().map(|f| std::str::from_utf8(f).map(str::to_owned)).collect();
    let Ok(header) = header else {
        let _ = tx
            .blocking_send(Parsed::Header(Err("the header is not UTF-8 text; save the file as \"CSV UTF-8\"".into())));
        return;
    };
    let at = match map_header(&header) {
        Ok(at) => at,
        Err(problem) => {
            let _ = tx.blocking_send(Parsed::Header(Err(problem)));
            return;
        }
    };
    if tx.blocking_send(Parsed::Header(Ok(()))).is_err() {
        return;
    }
    let mut cells: [String; 10] = Default::default();
    let mut batch = Vec::with_capacity(BATCH);
    // The header is row 1; every record after it is the next row, as a spreadsheet numbers them.
    let mut row: u64 = 1;
    let mut data_rows: u64 = 0;
    loop {
        let parsed = match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                row += 1;
                match csv_row(&record, &at, &mut cells) {
                    Some(parsed) => parsed,
                    None => continue,
                }
            }
            // The upload broke off: the request fails, nothing of it is kept.
            Err(err) if matches!(err.kind(), csv::ErrorKind::Io(_)) => return,
            Err(err) => {
                row += 1;
                Err(format!(
                    "the row could not be read as CSV: {}",
                    err.to_string().chars().take(80).collect::<String>()
                ))
            }
        };
        data_rows += 1;
        if data_rows > limits::DATA_ROWS {
            let _ = tx.blocking_send(Parsed::Refused(too_many_rows()));
            return;
        }
        batch.push((row, parsed));
        if batch.len() >= BATCH && !flush(&tx, &mut batch) {
            return;
        }
    }
    flush(&tx, &mut batch);
}

/// An unnamed temporary file: created in the temporary directory and unlinked at once (on
/// systems that cannot unlink an open file, removed when dropped).
struct Spool {
    file: std::fs::File,
    path: Option<std::path::PathBuf>,
}

impl Spool {
    fn create() -> std::io::Result<Spool> {
        let path = std::env::temp_dir().join(format!("mutu-import-{}.xlsx", uuid::Uuid::new_v4()));
        let file = std::fs::File::options().read(true).write(true).create_new(true).open(&path)?;
        let path = std::fs::remove_file(&path).is_err().then_some(path);
        Ok(Spool { file, path })
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// An XLSX: the whole upload first (a zip is read from its end), then the first sheet.
fn read_xlsx(mut source: Chunks, tx: mpsc::Sender<Parsed>) {
    match Spool::create() {
        Ok(mut spool) => {
            let mut writer = std::io::BufWriter::with_capacity(256 * 1024, &spool.file);
            if std::io::copy(&mut source, &mut writer).is_err() || std::io::Write::flush(&mut writer).is_err() {
                // The upload broke off (or the disk is full: then the answer is the XLSX error below).
                if source.ended {
                    let _ = tx.blocking_send(Parsed::Header(Err(XlsxError::Unreadable.to_string())));
                }
                return;
            }
            drop(writer);
            if spool.file.rewind().is_err() {
                let _ = tx.blocking_send(Parsed::Header(Err(XlsxError::Unreadable.to_string())));
                return;
            }
            read_workbook(std::io::BufReader::with_capacity(64 * 1024, &mut spool.file), tx);
        }
        Err(_) => {
            let mut bytes = Vec::new();
            if source.read_to_end(&mut bytes).is_err() {
                return;
            }
            read_workbook(std::io::Cursor::new(bytes), tx);
        }
    }
}

/// A cell as text the row rules understand. Dates typed as dates become `YYYY-MM-DD[ HH:MM:SS]`
/// (always with the time in the call time's column).
fn cell_text(cell: &Cell, with_time: bool) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) | Cell::Error(s) => s.clone(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Cell::Float(f) => f.to_string(),
        Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Cell::Date(at) if with_time || at.time() != chrono::NaiveTime::MIN => {
            at.format("%Y-%m-%d %H:%M:%S").to_string()
        }
        Cell::Date(at) => at.format("%Y-%m-%d").to_string(),
    }
}

/// The first sheet, row by row: the first non-blank row is the header, every later non-blank
/// row a data row.
fn read_workbook<R: Read + Seek>(mut file: R, tx: mpsc::Sender<Parsed>) {
    let call_at_col = IMPORT_COLUMNS.iter().position(|c| *c == "call_at").unwrap_or(usize::MAX);
    let mut at: Option<[usize; 10]> = None;
    let mut values: Vec<String> = Vec::new();
    let mut batch = Vec::with_capacity(BATCH);
    let mut data_rows: u64 = 0;
    // Why reading stopped early, if it did: the message to send (none when the request ended).
    let mut stopped: Option<Option<Parsed>> = None;
    let read = xlsx::read_first_sheet(&mut file, &limits::XLSX, |row, cells| {
        values.clear();
        // Before the header is known, the call_at column is found by its header name later; a
        // date-typed call time keeps its time even at midnight.
        values.extend(
            cells.iter().enumerate().map(|(col, cell)| cell_text(cell, at.is_some_and(|m| m[call_at_col] == col))),
        );
        if blank(&values) {
            return true;
        }
        match at {
            None => match map_header(&values) {
                Ok(map) => {
                    at = Some(map);
                    let sent = tx.blocking_send(Parsed::Header(Ok(()))).is_ok();
                    if !sent {
                        stopped = Some(None);
                    }
                    sent
                }
                Err(problem) => {
                    stopped = Some(Some(Parsed::Header(Err(problem))));
                    false
                }
            },
            Some(map) => {
                data_rows += 1;
                if data_rows > limits::DATA_ROWS {
                    stopped = Some(Some(Parsed::Refused(too_many_rows())));
                    return false;
                }
                batch.push((row, ordered(&values, &map).and_then(|c| parse_row(&c))));
                if batch.len() >= BATCH && !flush(&tx, &mut batch) {
                    stopped = Some(None);
                    return false;
                }
                true
            }
        }
    });
    let message = match (stopped, read) {
        (Some(message), _) => message,
        (None, Ok(())) if at.is_none() => Some(Parsed::Header(Err("the workbook's first sheet is empty".into()))),
        (None, Ok(())) => flush(&tx, &mut batch).then_some(None).flatten(),
        (None, Err(XlsxError::TooManyRows)) if at.is_none() => Some(Parsed::Header(Err(too_many_rows()))),
        (None, Err(XlsxError::TooManyRows)) => Some(Parsed::Refused(too_many_rows())),
        (None, Err(XlsxError::Damaged { .. })) if at.is_none() => {
            Some(Parsed::Header(Err(XlsxError::SheetUnreadable.to_string())))
        }
        (None, Err(XlsxError::Damaged { row })) => {
            if flush(&tx, &mut batch) {
                Some(Parsed::Broken(row, XlsxError::Damaged { row }.to_string()))
            } else {
                None
            }
        }
        (None, Err(error)) if at.is_none() => Some(Parsed::Header(Err(error.to_string()))),
        (None, Err(error)) => Some(Parsed::Refused(error.to_string())),
    };
    if let Some(message) = message {
        let _ = tx.blocking_send(message);
    }
}

/// The header line of the import template.
pub fn template() -> String {
    format!("{}\r\n", IMPORT_COLUMNS.join(","))
}
