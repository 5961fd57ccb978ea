//! `POST /api/cases/import`: the day's agree export (CSV or XLSX, told apart by content) into
//! cases. A blocking thread reads the file and hands over rows in batches; each batch is checked
//! (agents resolved, call times from site time to UTC) and inserted in one transaction with
//! `ON CONFLICT DO NOTHING` on (customer_no, call_at, agent_id), so a row is stored whole or not
//! at all, duplicates (of earlier imports or within the file) are counted, and good rows are
//! kept whatever their neighbours hold. One audit entry records the whole import.

use crate::cases::service::{Who, local_to_utc};
use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::cases::{IMPORT_COLUMNS, ImportResult, ImportRow, RejectedRow, map_header, parse_row};
use entity::{cases, imports, users};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use tokio::sync::mpsc;

/// Largest upload of this route (the body limit is set on the route alone).
pub const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;

/// Rows per transaction: few commits (each writes every index page it touched), yet memory
/// stays flat (the reader is at most two batches ahead).
const BATCH: usize = 5000;

/// Rows per INSERT statement: under SQLite's bound-parameter limit (15 columns × 500).
const STATEMENT_ROWS: usize = 500;

/// What the reading thread sends.
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

pub async fn run(state: &AppState, who: &Who, filename: &str, bytes: Vec<u8>) -> ApiResult<ImportResult> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(refuse("the file is empty"));
    }
    let is_xlsx = bytes.starts_with(b"PK\x03\x04");
    if !is_xlsx {
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Err(refuse("this is an old Excel 97 (.xls) file; save it as XLSX or CSV"));
        }
        // Text files have no NUL bytes; PDFs, images and other binaries do near the start.
        if bytes.iter().take(8192).any(|b| *b == 0) || bytes.starts_with(b"%PDF") {
            return Err(refuse("the file is not a CSV or XLSX file"));
        }
    }
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let (tx, mut rx) = mpsc::channel::<Parsed>(2);
    let reader = tokio::task::spawn_blocking(move || {
        if is_xlsx { read_xlsx(bytes, tx) } else { read_csv(&bytes, tx) }
    });

    match rx.recv().await {
        Some(Parsed::Header(Ok(()))) => {}
        Some(Parsed::Header(Err(problem))) => return Err(refuse(problem)),
        _ => return Err(refuse("the file could not be read as CSV or XLSX")),
    }

    let started = now();
    let import_id = {
        let txn = state.db.write().await?;
        let id = imports::Entity::insert(imports::ActiveModel {
            filename: Set(filename.chars().take(255).collect()),
            sha256: Set(sha256.clone()),
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
        let mut models = Vec::with_capacity(rows.len());
        for (row, parsed) in rows {
            let good = match parsed {
                Ok(good) => good,
                Err(error) => {
                    result.rejected.push(RejectedRow { row, error });
                    continue;
                }
            };
            let Some(Some((agent_id, team_id))) = agents.get(&good.agent_username).cloned() else {
                result.rejected.push(RejectedRow { row, error: format!("unknown agent \"{}\" (no active agent has this username)", good.agent_username) });
                continue;
            };
            let Ok(local) = NaiveDateTime::parse_from_str(&good.call_at_local, "%Y-%m-%dT%H:%M:%S") else {
                result.rejected.push(RejectedRow { row, error: "bad call_at".into() });
                continue;
            };
            models.push(case_model(good, agent_id, team_id, local_to_utc(state, local), started, who.id, import_id));
        }
        if models.is_empty() {
            continue;
        }
        let total = models.len() as u64;
        let mut inserted = 0;
        let txn = state.db.write().await?;
        while !models.is_empty() {
            let rest = models.split_off(models.len().min(STATEMENT_ROWS));
            let chunk = std::mem::replace(&mut models, rest);
            inserted += cases::Entity::insert_many(chunk)
                .on_conflict(OnConflict::columns([cases::Column::CustomerNo, cases::Column::CallAt, cases::Column::AgentId]).do_nothing().to_owned())
                .exec_without_returning(&*txn)
                .await?;
        }
        txn.commit().await?;
        result.imported += inserted;
        result.duplicates += total - inserted.min(total);
    }
    reader.await.map_err(|e| ApiError::Internal(anyhow::anyhow!("the import reader failed: {e}")))?;
    result.rejected.sort_by_key(|r| r.row);

    let txn = state.db.write().await?;
    imports::Entity::update_many()
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
    Ok(result)
}

fn case_model(
    row: ImportRow,
    agent_id: i32,
    team_id: Option<i32>,
    call_at: DateTime<Utc>,
    at: DateTime<Utc>,
    by: i32,
    import_id: i32,
) -> cases::ActiveModel {
    cases::ActiveModel {
        customer_no: Set(row.customer_no),
        customer_name: Set(row.customer_name),
        service: Set(row.service.as_str().into()),
        bucket: Set(row.bucket.as_str().into()),
        bill_amount: Set(row.bill_amount),
        agent_id: Set(agent_id),
        team_id: Set(team_id),
        call_at: Set(call_at),
        reason: Set(row.reason),
        promise_date: Set(row.promise_date.to_string()),
        recording_ref: Set(row.recording_ref),
        status: Set("pending".into()),
        imported_at: Set(at),
        imported_by: Set(Some(by)),
        import_id: Set(Some(import_id)),
        ..Default::default()
    }
}

/// Looks up the usernames of a batch not seen before: active users with the agent role.
async fn resolve_agents(
    state: &AppState,
    rows: &[(u64, Result<ImportRow, String>)],
    known: &mut HashMap<String, Option<(i32, Option<i32>)>>,
) -> ApiResult<()> {
    let mut wanted: Vec<String> = rows.iter().filter_map(|(_, r)| r.as_ref().ok()).map(|r| r.agent_username.clone()).filter(|u| !known.contains_key(u)).collect();
    wanted.sort();
    wanted.dedup();
    if wanted.is_empty() {
        return Ok(());
    }
    let found = users::Entity::find()
        .filter(users::Column::Username.is_in(wanted.clone()))
        .filter(users::Column::Role.eq(domain::Role::Agent.as_str()))
        .filter(users::Column::Active.eq(true))
        .all(&state.db.conn)
        .await?;
    for name in wanted {
        let user = found.iter().find(|u| u.username == name);
        known.insert(name, user.map(|u| (u.id, u.team_id)));
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
    tx.blocking_send(Parsed::Rows(std::mem::take(batch))).is_ok()
}

fn read_csv(bytes: &[u8], tx: mpsc::Sender<Parsed>) {
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let count = |c: u8| first_line.iter().filter(|b| **b == c).count();
    // Spreadsheets in Indonesian locales save CSV with semicolons.
    let delimiter = [b',', b';', b'\t'].into_iter().max_by_key(|c| count(*c)).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(record)) => record,
        Some(Err(_)) | None => {
            let _ = tx.blocking_send(Parsed::Header(Err("the file has no header row".into())));
            return;
        }
    };
    let header: Result<Vec<String>, _> = header.iter().map(|f| std::str::from_utf8(f).map(str::to_owned)).collect();
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
    let mut batch = Vec::with_capacity(BATCH);
    // The header is row 1; every record after it is the next row, as a spreadsheet numbers them.
    let mut row: u64 = 1;
    for record in records {
        row += 1;
        let parsed = match record {
            Err(err) => Err(format!("the row could not be read as CSV: {}", err.to_string().chars().take(80).collect::<String>())),
            Ok(record) => {
                let cells: Result<Vec<String>, _> = record.iter().map(|f| std::str::from_utf8(f).map(str::to_owned)).collect();
                match cells {
                    Err(_) => Err("the row is not valid UTF-8 text; save the file as \"CSV UTF-8\"".into()),
                    Ok(cells) if blank(&cells) => continue,
                    Ok(cells) => ordered(&cells, &at).and_then(|c| parse_row(&c)),
                }
            }
        };
        batch.push((row, parsed));
        if batch.len() >= BATCH && !flush(&tx, &mut batch) {
            return;
        }
    }
    flush(&tx, &mut batch);
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

fn read_xlsx(bytes: Vec<u8>, tx: mpsc::Sender<Parsed>) {
    use calamine::{Reader, Xlsx};
    let mut workbook = match Xlsx::new(std::io::Cursor::new(bytes)) {
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
