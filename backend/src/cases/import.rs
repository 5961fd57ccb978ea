//! `POST /api/cases/import`: the day's agree export (CSV or XLSX, told apart by content) into
//! cases, streamed: the request handler pulls the upload chunk by chunk (hashing it with SHA-256
//! on the way), a blocking thread parses what arrives and hands over rows in batches, and each
//! batch is checked (agents resolved through a cache, call times from site time to UTC) and
//! inserted in one transaction by multi-row `INSERT … ON CONFLICT (customer_no, call_at, agent_id)
//! DO NOTHING` statements, so a row is stored whole or not at all, duplicates (of earlier imports
//! or within the file) are counted, and good rows are kept whatever their neighbours hold. One
//! audit entry records the whole import.
//!
//! Memory does not grow with the file: a CSV is parsed as it arrives (at most a few batches are
//! in flight between the upload, the parser and the database). An XLSX is a zip, which can only
//! be read with random access, so it is spooled to an unnamed temporary file in
//! [`std::env::temp_dir`] (created, then unlinked at once, so nothing is left behind even after
//! a crash) and read from there; only when no temporary file can be created is it kept in memory,
//! which the 50 MiB limit bounds.
//!
//! An upload that fails after rows were stored (past 50 MiB without a declared length, or the
//! client gone) stores nothing: the rows of this import are deleted again, as is its record.

use crate::cases::service::{Who, local_to_utc};
use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::body::Bytes;
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::cases::{IMPORT_COLUMNS, ImportResult, ImportRow, RejectedRow, map_header, parse_row};
use entity::{imports, users};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, Statement, Value};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Read, Seek};
use tokio::sync::mpsc;

/// Largest upload of this route (the body limit is set on the route alone).
pub const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;

/// Rows per message of the parsing thread and per transaction: few commits (each writes every
/// index page it touched), yet memory stays flat (the parser is at most two batches ahead), and
/// other writers wait at most one batch (about 0.3 s) behind an import. 100,000 rows took
/// 1.15–1.24 s in batches of 25,000, 1.40–1.52 s in batches of 10,000.
const BATCH: usize = 25_000;

/// Rows per INSERT statement: 14 bound values a row on SQLite (28,000, under its 32,766 bound
/// parameters), 11 a row plus 3 shared on PostgreSQL (22,003, under its 65,535). Measured on
/// SQLite with the cases indexes: 100,000 rows in statements of 2,000 rows took 1.40–1.52 s, of
/// 500 rows 1.82–1.85 s (each statement copies the pages it changes into SQLite's statement
/// journal once, so fewer statements copy less).
const STATEMENT_ROWS: usize = 2000;

/// The sizes of INSERT statements: a batch is cut into the largest first, so that only these five
/// statement texts are ever prepared (and kept in the drivers' statement caches).
const STATEMENT_SIZES: [usize; 6] = [STATEMENT_ROWS, 500, 100, 20, 5, 1];

/// Bound values of each row in the INSERT (see [`insert_sql`]).
const ROW_VALUES: usize = 11;

/// How much of a file is looked at before deciding what it is: NUL bytes in the first 8 KiB
/// mark a binary file; a CSV's delimiter is guessed from its first line.
const SNIFF: usize = 8192;

/// The first line is looked for in at most this much.
const FIRST_LINE_MAX: usize = 1024 * 1024;

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

/// What the parsing thread sends.
enum Parsed {
    /// The header was read: `Ok` or why the file is refused.
    Header(Result<(), String>),
    Rows(Vec<(u64, Result<ImportRow, String>)>),
    /// The file broke off in the middle (a damaged XLSX): the rows so far stand.
    Broken(u64, String),
}

/// Refuses what cannot be an agree export before anything is stored.
fn refuse(problem: impl Into<String>) -> ApiError {
    ApiError::Validation(domain::validation::FieldErrors::from([("file".to_owned(), problem.into())]))
}

/// Imports a file already in memory (the demo data).
pub async fn run(state: &AppState, who: &Who, filename: &str, bytes: Vec<u8>) -> ApiResult<ImportResult> {
    run_upload(state, who, filename, Whole(Some(Bytes::from(bytes)))).await
}

/// Imports an upload as it arrives.
pub async fn run_upload(state: &AppState, who: &Who, filename: &str, mut upload: impl Upload) -> ApiResult<ImportResult> {
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
    while !ended && (prefix.len() < SNIFF || blank || (prefix.len() < FIRST_LINE_MAX && !prefix.contains(&b'\n'))) {
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
    let reader = tokio::task::spawn_blocking(move || if is_xlsx { read_xlsx(source, tx) } else { read_csv(source, delimiter, tx) });

    // The rest of the upload goes to the parser while the rows it sends are stored.
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
    let store = store(state, who, filename, started, rx, &mut undo.import_id);
    let result = match tokio::try_join!(pump, store) {
        Ok(((), result)) => result,
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
    // Still armed: should the request go away before the record is complete, nothing stays.
    let Some(import_id) = undo.import_id else {
        return Err(ApiError::Internal(anyhow::anyhow!("the import stored no record")));
    };
    reader.await.map_err(|e| ApiError::Internal(anyhow::anyhow!("the import reader failed: {e}")))?;
    let sha256 = hex::encode(hasher.finalize());

    let txn = state.db.write().await?;
    imports::Entity::update_many()
        .col_expr(imports::Column::Sha256, Expr::value(sha256.clone()))
        .col_expr(imports::Column::Imported, Expr::value(result.imported as i64))
        .col_expr(imports::Column::Duplicates, Expr::value(result.duplicates as i64))
        .col_expr(imports::Column::Rejected, Expr::value(result.rejected.len() as i64))
        .filter(imports::Column::Id.eq(import_id))
        .exec(&*txn)
        .await?;
    who.audit(&txn, "cases.imported", "import", import_id.to_string(), json!({
                "filename": filename,
                "sha256": sha256,
                "format": if is_xlsx { "xlsx" } else { "csv" },
                "imported": result.imported,
                "duplicates": result.duplicates,
                "rejected": result.rejected.len(),
            })).await?;
    txn.commit().await?;
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

/// Stores what the parser sends: the import's record once the header is good (its id goes to
/// `import_id`, so that a failed upload can take its rows back), then each batch.
async fn store(
    state: &AppState,
    who: &Who,
    filename: &str,
    started: DateTime<Utc>,
    mut rx: mpsc::Receiver<Parsed>,
    import_id: &mut Option<i32>,
) -> ApiResult<ImportResult> {
    match rx.recv().await {
        Some(Parsed::Header(Ok(()))) => {}
        Some(Parsed::Header(Err(problem))) => return Err(refuse(problem)),
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
            ..Default::default()
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        txn.commit().await?;
        id
    };
    *import_id = Some(id);

    let backend = state.db.backend();
    let mut statements: HashMap<usize, String> = HashMap::new();
    let mut result = ImportResult { imported: 0, duplicates: 0, rejected: Vec::new() };
    let mut agents: HashMap<String, Option<(i32, Option<i32>)>> = HashMap::new();
    while let Some(message) = rx.recv().await {
        let rows = match message {
            Parsed::Rows(rows) => rows,
            Parsed::Broken(row, problem) => {
                result.rejected.push(RejectedRow { row, error: problem });
                break;
            }
            Parsed::Header(_) => continue,
        };
        resolve_agents(state, &rows, &mut agents).await?;
        // The values of every good row, checked before the writer is taken.
        let mut values: Vec<Value> = Vec::with_capacity(rows.len() * ROW_VALUES);
        for (row, parsed) in rows {
            let good = match parsed {
                Ok(good) => good,
                Err(error) => {
                    result.rejected.push(RejectedRow { row, error });
                    continue;
                }
            };
            let Some(&Some((agent_id, team_id))) = agents.get(&good.agent_username) else {
                result.rejected.push(RejectedRow { row, error: format!("unknown agent \"{}\" (no active agent has this username)", good.agent_username) });
                continue;
            };
            let Ok(local) = NaiveDateTime::parse_from_str(&good.call_at_local, "%Y-%m-%dT%H:%M:%S") else {
                result.rejected.push(RejectedRow { row, error: "bad call_at".into() });
                continue;
            };
            push_row(&mut values, good, agent_id, team_id, local_to_utc(state, local));
        }
        let total = values.len() / ROW_VALUES;
        if total == 0 {
            continue;
        }
        let mut inserted = 0;
        let txn = state.db.write().await?;
        let mut rest = values.into_iter();
        let mut left = total;
        while left > 0 {
            let rows = STATEMENT_SIZES.into_iter().find(|size| *size <= left).unwrap_or(1);
            let shared = [Value::from(started), Value::from(who.id), Value::from(id)];
            let bound: Vec<Value> = if backend == DatabaseBackend::Postgres {
                shared.into_iter().chain(rest.by_ref().take(rows * ROW_VALUES)).collect()
            } else {
                let mut bound = Vec::with_capacity(rows * (3 + ROW_VALUES));
                for _ in 0..rows {
                    bound.extend(shared.iter().cloned());
                    bound.extend(rest.by_ref().take(ROW_VALUES));
                }
                bound
            };
            let sql = statements.entry(rows).or_insert_with(|| insert_sql(backend, rows)).clone();
            inserted += txn.execute_raw(Statement::from_sql_and_values(backend, sql, bound)).await?.rows_affected();
            left -= rows;
        }
        txn.commit().await?;
        let total = total as u64;
        result.imported += inserted;
        result.duplicates += total - inserted.min(total);
    }
    result.rejected.sort_by_key(|r| r.row);
    Ok(result)
}

/// `INSERT` of `rows` cases. On PostgreSQL `$1`..`$3` (import time, importer, import) are shared
/// by every row, then [`ROW_VALUES`] values a row in the order of [`push_row`]. SQLite gets plain
/// `?` and the three shared values again in every row: it looks each `$n` up in a list of the
/// statement's parameters, which makes preparing a statement of thousands of them quadratic.
fn insert_sql(backend: DatabaseBackend, rows: usize) -> String {
    let mut sql = String::with_capacity(300 + rows * 80);
    sql.push_str(
        "INSERT INTO cases (imported_at, imported_by, import_id, status, customer_no, customer_name, service, bucket, \
         bill_amount, agent_id, team_id, call_at, reason, promise_date, recording_ref) VALUES ",
    );
    for row in 0..rows {
        if row > 0 {
            sql.push(',');
        }
        if backend == DatabaseBackend::Postgres {
            sql.push_str("($1,$2,$3,'pending'");
            for value in 0..ROW_VALUES {
                let _ = write!(sql, ",${}", 4 + row * ROW_VALUES + value);
            }
            sql.push(')');
        } else {
            sql.push_str("(?,?,?,'pending',?,?,?,?,?,?,?,?,?,?,?)");
        }
    }
    sql.push_str(" ON CONFLICT (customer_no, call_at, agent_id) DO NOTHING");
    sql
}

/// The row's values for [`insert_sql`], typed as the `cases` entity binds them.
fn push_row(values: &mut Vec<Value>, row: ImportRow, agent_id: i32, team_id: Option<i32>, call_at: DateTime<Utc>) {
    values.extend([
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
}

/// Takes back the rows of an import whose request was dropped half-way (the client went away
/// and the server stopped polling the request): armed while the upload is being read.
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

/// Takes back what a failed upload stored: its cases (unless one was validated meanwhile) and
/// its record. Best effort: a failure is logged.
async fn discard(state: &AppState, import_id: i32) {
    let backend = state.db.backend();
    let undo = async {
        let txn = state.db.write().await?;
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            "DELETE FROM cases WHERE import_id = $1 AND NOT EXISTS (SELECT 1 FROM validations v WHERE v.case_id = cases.id)",
            [import_id.into()],
        ))
        .await?;
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            "DELETE FROM imports WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.import_id = $1)",
            [import_id.into()],
        ))
        .await?;
        txn.commit().await?;
        Ok::<(), ApiError>(())
    };
    if let Err(error) = undo.await {
        tracing::warn!(import_id, "the rows of a failed import could not be taken back: {error:?}");
    }
}

/// Looks up the usernames of a batch not seen before: active users with the agent role.
async fn resolve_agents(
    state: &AppState,
    rows: &[(u64, Result<ImportRow, String>)],
    known: &mut HashMap<String, Option<(i32, Option<i32>)>>,
) -> ApiResult<()> {
    let mut wanted: Vec<&str> = rows.iter().filter_map(|(_, r)| r.as_ref().ok()).map(|r| r.agent_username.as_str()).filter(|u| !known.contains_key(*u)).collect();
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
    if cells.len() > at.iter().max().copied().unwrap_or(0) + 1 && cells[IMPORT_COLUMNS.len()..].iter().any(|c| !c.trim().is_empty()) {
        return Err(format!("the row has {} cells; the header has {}", cells.len(), IMPORT_COLUMNS.len()));
    }
    Ok(std::array::from_fn(|i| cells.get(at[i]).cloned().unwrap_or_default()))
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Sends a batch; false when the receiver is gone (the request ended).
fn flush(tx: &mpsc::Sender<Parsed>, batch: &mut Vec<(u64, Result<ImportRow, String>)>) -> bool {
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
    // The header has exactly the ten columns; cells past them must be empty.
    if record.len() > IMPORT_COLUMNS.len() && record.iter().skip(IMPORT_COLUMNS.len()).any(|f| !std::str::from_utf8(f).unwrap_or_default().trim().is_empty()) {
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
    let header: Result<Vec<String>, _> = record.iter().map(|f| std::str::from_utf8(f).map(str::to_owned)).collect();
    let Ok(header) = header else {
        let _ = tx.blocking_send(Parsed::Header(Err("the header is not UTF-8 text; save the file as \"CSV UTF-8\"".into())));
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
                Err(format!("the row could not be read as CSV: {}", err.to_string().chars().take(80).collect::<String>()))
            }
        };
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
                    let _ = tx.blocking_send(Parsed::Header(Err("the file is not a readable XLSX workbook".into())));
                }
                return;
            }
            drop(writer);
            if spool.file.rewind().is_err() {
                let _ = tx.blocking_send(Parsed::Header(Err("the file is not a readable XLSX workbook".into())));
                return;
            }
            let file = std::io::BufReader::with_capacity(64 * 1024, &mut spool.file);
            read_workbook(file, tx);
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

/// A cell as text the row rules understand. Dates typed as dates become `YYYY-MM-DD[ HH:MM:SS]`.
fn cell_text(value: &calamine::DataRef<'_>, with_time: bool) -> String {
    use calamine::DataRef as D;
    match value {
        D::Int(i) => i.to_string(),
        D::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        D::Float(f) => f.to_string(),
        D::String(s) => s.clone(),
        D::SharedString(s) => (*s).to_owned(),
        D::Bool(b) => if *b { "TRUE".into() } else { "FALSE".into() },
        D::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if with_time || h != 0 || mi != 0 || s != 0 {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02}")
            }
        }
        D::DateTimeIso(s) | D::DurationIso(s) => s.clone(),
        D::Error(e) => format!("#{e}"),
        D::Empty => String::new(),
    }
}

fn read_workbook<RS: Read + Seek>(file: RS, tx: mpsc::Sender<Parsed>) {
    use calamine::{Reader, Xlsx};
    let mut workbook = match Xlsx::new(file) {
        Ok(w) => w,
        Err(_) => {
            let _ = tx.blocking_send(Parsed::Header(Err("the file is not a readable XLSX workbook".into())));
            return;
        }
    };
    let Some(sheet) = workbook.sheet_names().first().cloned() else {
        let _ = tx.blocking_send(Parsed::Header(Err("the workbook has no sheet".into())));
        return;
    };
    let mut cells = match workbook.worksheet_cells_reader(&sheet) {
        Ok(reader) => reader,
        Err(_) => {
            let _ = tx.blocking_send(Parsed::Header(Err("the first sheet of the workbook could not be read".into())));
            return;
        }
    };
    let call_at_col = IMPORT_COLUMNS.iter().position(|c| *c == "call_at").expect("call_at is a column");
    let mut at: Option<[usize; 10]> = None;
    let mut current: Option<u32> = None;
    let mut values: Vec<String> = Vec::new();
    let mut batch = Vec::with_capacity(BATCH);
    // Called with each complete row; false to stop.
    let finish = |row: u32, values: &mut Vec<String>, at: &mut Option<[usize; 10]>, batch: &mut Vec<(u64, Result<ImportRow, String>)>| -> bool {
        let cells = std::mem::take(values);
        if blank(&cells) {
            return true;
        }
        match at {
            None => match map_header(&cells) {
                Ok(map) => {
                    *at = Some(map);
                    tx.blocking_send(Parsed::Header(Ok(()))).is_ok()
                }
                Err(problem) => {
                    let _ = tx.blocking_send(Parsed::Header(Err(problem)));
                    false
                }
            },
            Some(map) => {
                batch.push((u64::from(row) + 1, ordered(&cells, map).and_then(|c| parse_row(&c))));
                batch.len() < BATCH || flush(&tx, batch)
            }
        }
    };
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(_) => {
                if let Some(row) = current.filter(|_| at.is_some()) {
                    let _ = finish(row, &mut values, &mut at, &mut batch);
                    flush(&tx, &mut batch);
                    let _ = tx.blocking_send(Parsed::Broken(u64::from(row) + 2, "the workbook is damaged from this row on".into()));
                    return;
                }
                let _ = tx.blocking_send(Parsed::Header(Err("the first sheet of the workbook could not be read".into())));
                return;
            }
        };
        let (row, col) = cell.get_position();
        if current != Some(row) {
            if let Some(previous) = current
                && !finish(previous, &mut values, &mut at, &mut batch)
            {
                return;
            }
            current = Some(row);
        }
        let col = col as usize;
        if col > 64 {
            continue;
        }
        if values.len() <= col {
            values.resize(col + 1, String::new());
        }
        // Before the header is known, the call_at column is found by its header name later; a
        // date-typed call time keeps its time even at midnight.
        let with_time = at.is_some_and(|m| m[call_at_col] == col);
        values[col] = cell_text(cell.get_value(), with_time);
    }
    match current {
        Some(row) => {
            if finish(row, &mut values, &mut at, &mut batch) {
                flush(&tx, &mut batch);
            }
        }
        None => {
            let _ = tx.blocking_send(Parsed::Header(Err("the workbook's first sheet is empty".into())));
        }
    }
    if at.is_none() && current.is_some() {
        // Only blank rows: no header was ever found.
        let _ = tx.blocking_send(Parsed::Header(Err("the workbook's first sheet is empty".into())));
    }
}

/// The header line of the import template.
pub fn template() -> String {
    format!("{}\r\n", IMPORT_COLUMNS.join(","))
}
