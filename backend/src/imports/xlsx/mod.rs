//! A bounded, streaming reader of the first sheet of an XLSX workbook (the imports').
//!
//! An XLSX is a zip of XML parts, and nothing it declares is trusted: not the zip's entry count
//! or sizes, not the shared strings' `count`/`uniqueCount` (calamine reserved memory from
//! `uniqueCount`, so 1.8 KB declaring 10¹² strings aborted the process). Every bound is a field of
//! [`Limits`] (the imports' are `super::limits::XLSX`), checked before memory is spent:
//!
//! - the central directory is read here, entry by entry, keeping only short part names (the zip
//!   crate's archive reader keeps every entry, a few hundred bytes each, of up to a million in
//!   50 MiB); parts are then opened at their local headers through the zip crate;
//! - every part is read through [`Bounded`], which counts the *decompressed* bytes and refuses
//!   past the part's bound, and which also bounds what one XML token (a tag or a run of text)
//!   may buffer, so neither a bomb nor a single gigabyte-long string is ever held;
//! - shared strings are kept in one string with an offset per string, up to a count and a total
//!   of bytes; the sheet is streamed row by row, cells right of [`Limits::columns`] ignored;
//! - the sheet's `<dimension ref="A1:J3000001">`, when present, refuses too many rows before
//!   any row is read.
//!
//! Cells come out typed as calamine typed them (shared and inline strings, numbers, booleans,
//! errors, and numbers in a date format as dates, in the 1900 or 1904 date system), so the
//! import turns them into the same text as before.//!
//! The files: this one is the reader's interface and its order of reading; `archive` reads the
//! zip's central directory and opens parts; `xml` is the bounded XML reading every part goes
//! through; `workbook` reads the workbook, its relationships and the styles (which numbers are
//! dates); `shared_strings` and `sheet` read those parts.

mod archive;
mod shared_strings;
mod sheet;
#[cfg(test)]
mod tests;
mod workbook;
mod xml;

use archive::{ZipIndex, open};
use chrono::NaiveDateTime;
use domain::cases::{FileProblem, WorkbookBound};
use shared_strings::{SharedStrings, read_shared_strings};
use sheet::{Types, read_sheet};
use std::io::{Read, Seek};
use workbook::{Relationships, read_relationships, read_styles, read_workbook};

/// The bounds of one read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Entries in the zip's central directory (a workbook has a dozen or so parts).
    pub zip_entries: u64,
    /// Decompressed bytes of each small part: the workbook, its relationships, the styles.
    pub small_part_bytes: u64,
    /// Decompressed bytes of the shared strings part.
    pub shared_strings_part_bytes: u64,
    /// Decompressed bytes of the sheet.
    pub sheet_bytes: u64,
    /// Shared strings kept (whatever the part declares).
    pub shared_strings: usize,
    /// Bytes of text of all shared strings together.
    pub shared_string_bytes: usize,
    /// Bytes of one string or cell (Excel itself writes at most 32,767 characters).
    pub cell_bytes: usize,
    /// Bytes of one XML token: what the XML reader buffers at most.
    pub xml_token_bytes: usize,
    /// Cell formats read from the styles; formats past it are not dates.
    pub styles: usize,
    /// Columns read of each row; cells further right are ignored.
    pub columns: usize,
    /// Rows after the first that the sheet's declared dimension may span.
    pub data_rows: u64,
}

/// Why a workbook could not be read (whole or from some row on).
#[derive(Debug, Clone, PartialEq)]
pub enum XlsxError {
    /// Not a zip, a part missing or encrypted, or XML that is not a workbook.
    Unreadable,
    /// The workbook lists no sheet.
    NoSheet,
    /// The first sheet is missing or is not a sheet.
    SheetUnreadable,
    /// A bound of [`Limits`] was passed: which, and the bound (in the unit its name says).
    TooLarge(WorkbookBound, u64),
    /// The sheet's dimension spans more rows than [`Limits::data_rows`] after the first.
    TooManyRows,
    /// The sheet broke off (bad XML, a missing shared string): rows before `row` were read.
    Damaged { row: u64 },
}

impl XlsxError {
    /// The import's refusal of a workbook that could not be read (a damaged sheet is refused
    /// whole only when not even its header could be read).
    pub fn problem(&self) -> FileProblem {
        match self {
            XlsxError::Unreadable => FileProblem::NotXlsx,
            XlsxError::NoSheet => FileProblem::NoSheet,
            XlsxError::SheetUnreadable | XlsxError::Damaged { .. } => FileProblem::SheetUnreadable,
            XlsxError::TooLarge(bound, max) => FileProblem::WorkbookTooLarge { bound: *bound, max: *max },
            XlsxError::TooManyRows => FileProblem::too_many_rows(),
        }
    }
}

/// One cell as the sheet types it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// A shared, inline or formula string, or a date written as ISO text (`t="d"`).
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A number in a date or time format, to the second.
    Date(NaiveDateTime),
    /// An error value such as `#N/A`.
    Error(String),
}

/// Reads the first sheet of the workbook in `file`, calling `on_row` with the number (from 1)
/// and the cells (from column A, gaps as [`Cell::Empty`]) of each row that has cells, in file
/// order, until it returns false.
pub fn read_first_sheet<R: Read + Seek>(
    file: &mut R,
    limits: &Limits,
    mut on_row: impl FnMut(u64, &[Cell]) -> bool,
) -> Result<(), XlsxError> {
    let zip = ZipIndex::read(file, limits)?;
    let workbook = zip.get("xl/workbook.xml").ok_or(XlsxError::Unreadable)?;
    let book = read_workbook(open(file, workbook, limits.small_part_bytes, limits)?)?;
    let Some(sheet_id) = book.first_sheet else {
        return Err(XlsxError::NoSheet);
    };
    let rels = match zip.get("xl/_rels/workbook.xml.rels") {
        Some(part) => read_relationships(open(file, part, limits.small_part_bytes, limits)?, &sheet_id)?,
        None => Relationships::default(),
    };
    let sheet_path = rels.sheet.unwrap_or_else(|| "xl/worksheets/sheet1.xml".to_owned());
    let sheet = zip.get(&sheet_path).ok_or(XlsxError::SheetUnreadable)?;
    let date_styles = match zip.get(rels.styles.as_deref().unwrap_or("xl/styles.xml")) {
        Some(part) => read_styles(open(file, part, limits.small_part_bytes, limits)?, limits)?,
        None => Vec::new(),
    };
    let shared = match zip.get(rels.shared_strings.as_deref().unwrap_or("xl/sharedstrings.xml")) {
        Some(part) => read_shared_strings(open(file, part, limits.shared_strings_part_bytes, limits)?, limits)?,
        None => SharedStrings::default(),
    };
    let types = Types { date_styles, date1904: book.date1904 };
    read_sheet(
        open(file, sheet, limits.sheet_bytes, limits)
            .map_err(|e| if e == XlsxError::Unreadable { XlsxError::SheetUnreadable } else { e })?,
        &shared,
        &types,
        limits,
        &mut on_row,
    )
}
