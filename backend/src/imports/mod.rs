//! The machinery both imports share — the agree export into cases (`POST /api/cases/import`)
//! and the billing system's payments (`POST /api/payments/import`): a CSV or XLSX file (told
//! apart by content), streamed, bounded, staged and completed all or nothing. What tells the two
//! apart is a [`Layout`] (columns, header, one row's check) and a [`Stage`] (what a batch of
//! checked rows becomes in the import's staging table); each import's last transaction is its
//! own.
//!
//! The request handler pulls the upload chunk by chunk (hashing it with SHA-256 on the way), a
//! blocking thread parses what arrives and hands over rows in batches, and each batch is checked
//! further by the [`Stage`] and written in one short transaction into the import's staging table
//! (`import_rows`, `payment_import_rows`), which no list reads, together with its refused rows
//! (`import_rejections`) and the import's progress time. When the whole file has arrived,
//! [`receive`] hands the staged import to its own last transaction, which moves the staged rows
//! where they belong, completes the `imports` record (hash, counts, `finished_at`), writes the
//! audit entry and empties the staging rows, in ONE transaction. So rows appear all at once with
//! their audit entry, or not at all.
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
//! a crash) and read from there by the bounded reader of [`xlsx`]; only when no temporary file
//! can be created is it kept in memory, which the 50 MiB limit bounds.
//!
//! The files: this one takes the upload (sniffing, hashing, the 50 MiB bound) and runs the
//! import up to its last transaction; `layout` says what an import's file and rows are; `parse`
//! is the parsing thread (CSV as it arrives, XLSX spooled then read); `staging` writes each
//! batch into the staging tables; `cleanup` takes back imports that failed or died;
//! `rejections` lists and streams the refused rows; `xlsx` reads workbooks.

mod cleanup;
mod layout;
mod parse;
mod rejections;
mod staging;
pub mod xlsx;

pub use cleanup::{discard_unfinished, discard_unfinished_imports};
pub use layout::{Batch, Checked, ColumnAt, Layout, Refusal, Stage};
pub(crate) use rejections::PaymentProblems;
pub use rejections::{rejections_csv, rejections_page};
pub use staging::{Listed, Staging};

use crate::auth::AuthUser;
use crate::db::{WriteTx, now};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::body::Bytes;
use chrono::{DateTime, Utc};
use cleanup::{Undo, discard};
use domain::cases::FileProblem;
use domain::problems::Conflict;
use entity::imports;
use parse::{Chunk, Chunks, Parsed, csv_delimiter, read_csv, read_xlsx};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

/// Every bound of the imports, in one place.
pub mod limits {
    use super::xlsx;
    use std::time::Duration;

    const MIB: usize = 1024 * 1024;

    /// Largest upload of an import route (the body limit is set on those routes alone).
    pub const UPLOAD_BYTES: usize = domain::limits::UPLOAD_MAX_BYTES;

    /// Data rows of one file, CSV or XLSX; past it the file is refused whole.
    pub const DATA_ROWS: u64 = domain::cases::IMPORT_MAX_ROWS;

    /// Refused rows listed in the answer; all of them are stored for the CSV download.
    pub const LISTED_REJECTIONS: usize = domain::cases::IMPORT_REJECTED_LISTED;

    /// Bytes of one CSV record (the header too): the agree export's ten fields hold at most
    /// about 1,500 characters (a payment's six fewer), so a longer record is refused without
    /// copying its cells.
    pub const ROW_BYTES: usize = 64 * 1024;

    /// Characters of a stored refusal, every fault of the row in words (a last bound: a row
    /// has at most a fault or two per column, and each quotes at most
    /// [`domain::cases::ECHO_CHARS`] of the file).
    pub const REFUSAL_CHARS: usize = 1_200;

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

/// Largest upload of an import route (the body limit is set on those routes alone).
pub const UPLOAD_LIMIT: usize = limits::UPLOAD_BYTES;

/// Rows per message of the parsing thread and per staging transaction: few commits, yet memory
/// stays flat (the parser is at most two batches ahead), and other writers wait at most one
/// batch behind an import while it streams. (The last transaction, which moves every staged
/// row into `cases`, holds SQLite's one writer for as long as that takes: about 1 s per
/// 100,000 rows on a small machine, as sqlite3's own `INSERT … SELECT` into `cases` in the
/// benchmark's measurement D.)
const BATCH: usize = 25_000;

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
        self.chunk().await.map_err(crate::http::upload::upload_error)
    }
}

/// A file already in memory (the demo data).
pub struct Whole(pub Option<Bytes>);

impl Upload for Whole {
    async fn next_chunk(&mut self) -> ApiResult<Option<Bytes>> {
        Ok(self.0.take().filter(|b| !b.is_empty()))
    }
}

/// Refuses what cannot be the import's file; nothing is stored.
pub(crate) fn refuse(problem: FileProblem) -> ApiError {
    ApiError::FileRefused(problem)
}

/// The record of an import went away while it ran: [`discard_unfinished`] took it for dead.
pub(crate) fn discarded() -> ApiError {
    ApiError::conflict(
        Conflict::ImportDiscarded,
        "the import made no progress for too long and was discarded; upload the file again",
    )
}

/// Reads (and drops) the rest of an upload that was refused early, so that the client, still
/// sending, gets to read the answer. The route's body limit bounds it.
async fn drain(upload: &mut impl Upload) {
    while let Ok(Some(_)) = upload.next_chunk().await {}
}

/// A file received in full and staged, waiting for its import's last transaction. Until
/// [`Received::done`] its staging is taken back when it is dropped (the request went away, or
/// the last transaction failed).
pub struct Received<'a, R> {
    pub import_id: i32,
    pub staging: Staging<'a, R>,
    /// Of the whole upload, hex.
    pub sha256: String,
    /// `csv` or `xlsx`.
    pub format: &'static str,
    /// When the upload began: the rows' import time.
    pub started: DateTime<Utc>,
    undo: Undo,
}

impl<R> Received<'_, R> {
    /// Completes the import's record in its last transaction (`txn`): the hash, the counts
    /// (refused rows as staged so far) and `finished_at`, on condition that it is still
    /// unfinished — else [`discard_unfinished`] took it for dead, and the transaction must not
    /// commit.
    pub async fn complete(&self, txn: &WriteTx, imported: u64, duplicates: u64, at: DateTime<Utc>) -> ApiResult<()> {
        let finished = imports::Entity::update_many()
            .col_expr(imports::Column::Sha256, Expr::value(self.sha256.clone()))
            .col_expr(imports::Column::Imported, Expr::value(imported as i64))
            .col_expr(imports::Column::Duplicates, Expr::value(duplicates as i64))
            .col_expr(imports::Column::Rejected, Expr::value(self.staging.rejected_total as i64))
            .col_expr(imports::Column::ProgressAt, Expr::value(at))
            .col_expr(imports::Column::FinishedAt, Expr::value(at))
            .filter(imports::Column::Id.eq(self.import_id))
            .filter(imports::Column::FinishedAt.is_null())
            .exec(&**txn)
            .await?
            .rows_affected;
        if finished == 1 { Ok(()) } else { Err(discarded()) }
    }

    /// The import is complete: nothing is to be taken back any more.
    pub fn done(mut self) {
        self.undo.import_id = None;
    }
}

/// Receives an upload for an import of `layout`: sniffs it, parses it on its own thread, checks
/// every batch through `stage` into the staging tables, and returns the staged import once the
/// whole file has arrived. A refused file, an upload past the bound or a failure takes back
/// whatever was staged.
pub async fn receive<'a, L: Layout, S: Stage<L>>(
    state: &'a AppState,
    who: &AuthUser,
    filename: &str,
    mut upload: impl Upload,
    layout: L,
    stage: &mut S,
) -> ApiResult<Received<'a, S::Refused>> {
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
        return Err(refuse(FileProblem::EmptyFile));
    }
    let is_xlsx = prefix.starts_with(b"PK\x03\x04");
    if !is_xlsx {
        let problem = if prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            Some(FileProblem::OldExcel)
        // Text files have no NUL bytes; PDFs, images and other binaries do near the start.
        } else if prefix.iter().take(SNIFF).any(|b| *b == 0) || prefix.starts_with(b"%PDF") {
            Some(FileProblem::NotCsvOrXlsx)
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
    let (tx, rx) = mpsc::channel::<Parsed<L>>(2);
    let source = Chunks { current: Bytes::from(prefix), rx: chunk_rx, ended: false };
    let reader = tokio::task::spawn_blocking(move || {
        if is_xlsx { read_xlsx(source, &layout, tx) } else { read_csv(source, delimiter, &layout, tx) }
    });

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
    let store = staging::stage(state, filename, who, started, rx, &mut undo.import_id, stage);
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
    Ok(Received {
        import_id,
        staging: staged,
        sha256: hex::encode(hasher.finalize()),
        format: if is_xlsx { "xlsx" } else { "csv" },
        started,
        undo,
    })
}

/// The site's offset from UTC in seconds: times written with an offset are brought to the
/// site's zone by the row checks.
pub fn site_offset(state: &AppState) -> i32 {
    state.config.offset().local_minus_utc()
}
