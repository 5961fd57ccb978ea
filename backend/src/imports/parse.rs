//! The parsing thread of an import: the upload as a [`Read`] fed by the request, a CSV parsed as
//! it arrives (delimiter guessed from the first line), an XLSX spooled to an unnamed temporary
//! file and read by [`super::xlsx`]; rows are checked by the import's [`Layout`] and sent in
//! batches of [`BATCH`].

use super::xlsx::{self, Cell, XlsxError};
use super::{BATCH, Checked, ColumnAt, Layout, limits};
use axum::body::Bytes;
use domain::cases::{FileProblem, RowProblem};
use std::io::{Read, Seek};
use tokio::sync::mpsc;

/// What the request handler hands to the parsing thread.
pub(super) enum Chunk {
    Data(Bytes),
    /// The upload is complete. A channel closed without it means the upload failed.
    End,
}

/// The upload as a [`Read`] for the parsing thread: the first look, then the chunks as they come.
pub(super) struct Chunks {
    pub(super) current: Bytes,
    pub(super) rx: mpsc::Receiver<Chunk>,
    pub(super) ended: bool,
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
pub(super) enum Parsed<L: Layout> {
    /// The header was read: `Ok` or why the file is refused.
    Header(Result<(), FileProblem>),
    Rows(Vec<Checked<L>>),
    /// The file broke off in the middle (a damaged XLSX) at this row: the rows before stand.
    Broken(u64),
    /// The file is refused whole after its header (too many rows, a bound of the XLSX reader).
    Refused(FileProblem),
}

/// Spreadsheets in Indonesian locales save CSV with semicolons: the most frequent of `,` `;` and
/// tab in the first line.
pub(super) fn csv_delimiter(prefix: &[u8]) -> u8 {
    let first_line = prefix.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let count = |c: u8| first_line.iter().filter(|b| **b == c).count();
    [b',', b';', b'\t'].into_iter().max_by_key(|c| count(*c)).unwrap_or(b',')
}

/// The fault of a row whose cells do not line up with the header's `width` columns.
fn cell_count(cells: usize, width: usize) -> RowProblem {
    RowProblem::CellCount { cells: cells as u64, columns: width as u64 }
}

/// A header read: where each of the layout's columns is, and how many cells the header has.
struct Header {
    at: Vec<ColumnAt>,
    width: usize,
}

impl Header {
    fn read<L: Layout>(layout: &L, cells: &[String]) -> Result<Header, FileProblem> {
        Ok(Header { at: layout.map_header(cells)?, width: cells.len() })
    }
}

/// A row of the sheet checked: its cells in the layout's order by the header's map, and a row
/// with text in cells past the header's also refused for its cell count. (A sheet leaves empty
/// cells out, so a short row is only one whose last cells are empty.)
fn sheet_row<L: Layout>(layout: &L, cells: &[String], header: &Header) -> Result<L::Row, L::Faults> {
    let ordered: Vec<String> = header.at.iter().map(|c| cells.get(c.index).cloned().unwrap_or_default()).collect();
    let checked = layout.check(&ordered);
    if cells.len() > header.width && cells[header.width..].iter().any(|c| !c.trim().is_empty()) {
        return Err(layout.misaligned(checked, cell_count(cells.len(), header.width), &[]));
    }
    checked
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Sends a batch; false when the receiver is gone (the request ended).
fn flush<L: Layout>(tx: &mpsc::Sender<Parsed<L>>, batch: &mut Vec<Checked<L>>) -> bool {
    if batch.is_empty() {
        return true;
    }
    tx.blocking_send(Parsed::Rows(std::mem::replace(batch, Vec::with_capacity(BATCH)))).is_ok()
}

/// A CSV record as the row rules see it: `None` for a blank row (skipped), else the parsed row
/// or every fault it has. `cells` is a buffer reused from row to row.
///
/// A record with text in cells past the header's, or one that ends before a required column's
/// cell, is refused for its cell count as well as for what its cells hold (the columns it lacks
/// are not each called empty). A record that lacks only optional cells at its end (some tools
/// leave trailing empty cells out) is read as they are.
fn csv_row<L: Layout>(
    layout: &L,
    record: &csv::ByteRecord,
    header: &Header,
    cells: &mut [String],
) -> Option<Result<L::Row, L::Faults>> {
    let mut blank = true;
    for field in record {
        match std::str::from_utf8(field) {
            Ok(text) => blank &= text.trim().is_empty(),
            Err(_) => return Some(Err(layout.whole(RowProblem::NotUtf8))),
        }
    }
    if blank {
        return None;
    }
    if record.as_slice().len() > limits::ROW_BYTES {
        return Some(Err(layout.whole(RowProblem::RowTooLong { kib: (limits::ROW_BYTES / 1024) as u64 })));
    }
    for (cell, column) in cells.iter_mut().zip(&header.at) {
        cell.clear();
        cell.push_str(record.get(column.index).map(|f| std::str::from_utf8(f).unwrap_or_default()).unwrap_or_default());
    }
    let checked = layout.check(cells);
    let extra = record.len() > header.width
        && record.iter().skip(header.width).any(|f| !std::str::from_utf8(f).unwrap_or_default().trim().is_empty());
    let lacking: Vec<usize> =
        (0..header.at.len()).filter(|&c| header.at[c].index >= record.len() && header.at[c].required).collect();
    if !extra && lacking.is_empty() {
        return Some(checked);
    }
    Some(Err(layout.misaligned(checked, cell_count(record.len(), header.width), &lacking)))
}

pub(super) fn read_csv<L: Layout>(source: Chunks, delimiter: u8, layout: &L, tx: mpsc::Sender<Parsed<L>>) {
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
            let _ = tx.blocking_send(Parsed::Header(Err(FileProblem::NoHeader)));
            return;
        }
    }
    if record.as_slice().len() > limits::ROW_BYTES {
        let problem = FileProblem::HeaderTooLong { kib: (limits::ROW_BYTES / 1024) as u64 };
        let _ = tx.blocking_send(Parsed::Header(Err(problem)));
        return;
    }
    let header: Result<Vec<String>, _> = record.iter().map(|f| std::str::from_utf8(f).map(str::to_owned)).collect();
    let Ok(header) = header else {
        let _ = tx.blocking_send(Parsed::Header(Err(FileProblem::HeaderNotUtf8)));
        return;
    };
    let header = match Header::read(layout, &header) {
        Ok(header) => header,
        Err(problem) => {
            let _ = tx.blocking_send(Parsed::Header(Err(problem)));
            return;
        }
    };
    if tx.blocking_send(Parsed::Header(Ok(()))).is_err() {
        return;
    }
    let mut cells: Vec<String> = vec![String::new(); header.at.len()];
    let mut batch = Vec::with_capacity(BATCH);
    // The header is row 1; every record after it is the next row, as a spreadsheet numbers them.
    let mut row: u64 = 1;
    let mut data_rows: u64 = 0;
    loop {
        let parsed = match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                row += 1;
                match csv_row(layout, &record, &header, &mut cells) {
                    Some(parsed) => parsed,
                    None => continue,
                }
            }
            // The upload broke off: the request fails, nothing of it is kept.
            Err(err) if matches!(err.kind(), csv::ErrorKind::Io(_)) => return,
            Err(err) => {
                row += 1;
                let detail = domain::cases::echo(&err.to_string().chars().take(80).collect::<String>());
                Err(layout.whole(RowProblem::CsvUnreadable { detail }))
            }
        };
        data_rows += 1;
        if data_rows > limits::DATA_ROWS {
            let _ = tx.blocking_send(Parsed::Refused(FileProblem::too_many_rows()));
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
pub(super) fn read_xlsx<L: Layout>(mut source: Chunks, layout: &L, tx: mpsc::Sender<Parsed<L>>) {
    match Spool::create() {
        Ok(mut spool) => {
            let mut writer = std::io::BufWriter::with_capacity(256 * 1024, &spool.file);
            if std::io::copy(&mut source, &mut writer).is_err() || std::io::Write::flush(&mut writer).is_err() {
                // The upload broke off (or the disk is full: then the answer is the XLSX error below).
                if source.ended {
                    let _ = tx.blocking_send(Parsed::Header(Err(XlsxError::Unreadable.problem())));
                }
                return;
            }
            drop(writer);
            if spool.file.rewind().is_err() {
                let _ = tx.blocking_send(Parsed::Header(Err(XlsxError::Unreadable.problem())));
                return;
            }
            read_workbook(std::io::BufReader::with_capacity(64 * 1024, &mut spool.file), layout, tx);
        }
        Err(_) => {
            let mut bytes = Vec::new();
            if source.read_to_end(&mut bytes).is_err() {
                return;
            }
            read_workbook(std::io::Cursor::new(bytes), layout, tx);
        }
    }
}

/// A cell as text the row rules understand. Dates typed as dates become `YYYY-MM-DD[ HH:MM:SS]`
/// (always with the time in the layout's timed column: a call time, a payment time).
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
fn read_workbook<R: Read + Seek, L: Layout>(mut file: R, layout: &L, tx: mpsc::Sender<Parsed<L>>) {
    let mut at: Option<Header> = None;
    let mut values: Vec<String> = Vec::new();
    let mut batch = Vec::with_capacity(BATCH);
    let mut data_rows: u64 = 0;
    // Why reading stopped early, if it did: the message to send (none when the request ended).
    let mut stopped: Option<Option<Parsed<L>>> = None;
    let read = xlsx::read_first_sheet(&mut file, &limits::XLSX, |row, cells| {
        values.clear();
        // Once the header is known, a date-typed cell of the timed column keeps its time even
        // at midnight.
        values.extend(cells.iter().enumerate().map(|(col, cell)| {
            cell_text(cell, at.as_ref().is_some_and(|h| h.at.iter().any(|c| c.timed && c.index == col)))
        }));
        if blank(&values) {
            return true;
        }
        match &at {
            None => match Header::read(layout, &values) {
                Ok(header) => {
                    at = Some(header);
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
            Some(header) => {
                data_rows += 1;
                if data_rows > limits::DATA_ROWS {
                    stopped = Some(Some(Parsed::Refused(FileProblem::too_many_rows())));
                    return false;
                }
                batch.push((row, sheet_row(layout, &values, header)));
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
        (None, Ok(())) if at.is_none() => Some(Parsed::Header(Err(FileProblem::SheetEmpty))),
        (None, Ok(())) => flush(&tx, &mut batch).then_some(None).flatten(),
        (None, Err(XlsxError::TooManyRows)) if at.is_none() => Some(Parsed::Header(Err(FileProblem::too_many_rows()))),
        (None, Err(XlsxError::TooManyRows)) => Some(Parsed::Refused(FileProblem::too_many_rows())),
        (None, Err(XlsxError::Damaged { .. })) if at.is_none() => {
            Some(Parsed::Header(Err(XlsxError::SheetUnreadable.problem())))
        }
        (None, Err(XlsxError::Damaged { row })) => {
            if flush(&tx, &mut batch) {
                Some(Parsed::Broken(row))
            } else {
                None
            }
        }
        (None, Err(error)) if at.is_none() => Some(Parsed::Header(Err(error.problem()))),
        (None, Err(error)) => Some(Parsed::Refused(error.problem())),
    };
    if let Some(message) = message {
        let _ = tx.blocking_send(message);
    }
}
