//! Why the import refused a whole file: each refusal a typed code with what it names, which the
//! browser words in the user's language (`frontend/src/i18n/imports.rs`). On the wire it is the
//! 422's `file_problem` (the `fields.file` of that answer is its `code`); the English words here
//! are the answer's `message` for API clients.

use super::{IMPORT_MAX_ROWS, ImportColumn};
use crate::promises::PaymentColumn;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A header cell that names no column of the export, as the refusal quotes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnknownColumn {
    /// Its position in the header, from 1.
    pub position: u64,
    /// Its name, cut to [`super::ECHO_CHARS`] characters (empty for a blank header cell).
    pub name: String,
}

/// Which bound of the XLSX reader a workbook passed; `max` in [`FileProblem::WorkbookTooLarge`]
/// is in the unit the bound's name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WorkbookBound {
    /// Parts (files) in the zip.
    ZipParts,
    /// MiB of one part once unpacked.
    PartMib,
    /// KiB of one text or tag of the XML.
    TokenKib,
    /// Shared strings.
    SharedStrings,
    /// MiB of all shared strings together.
    SharedStringsMib,
    /// Characters of one cell.
    CellChars,
    /// Characters of one shared string.
    TextChars,
}

/// Why a whole file was refused: nothing of it is stored. On the wire `{"code": "...", ...its
/// values}`, read through [`FileProblemWire`] (as [`super::RowProblem`], for the same reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, strum::EnumDiscriminants)]
#[serde(tag = "code", rename_all = "snake_case", try_from = "FileProblemWire")]
#[strum_discriminants(
    name(FileProblemCode),
    derive(Serialize, Deserialize, strum::IntoStaticStr),
    serde(rename_all = "snake_case"),
    strum(serialize_all = "snake_case")
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FileProblem {
    /// No bytes, or only white space.
    EmptyFile,
    /// Binary content that is neither a zip (XLSX) nor text (CSV).
    NotCsvOrXlsx,
    /// An Excel 97 (.xls) workbook.
    OldExcel,
    /// The parser gave up before the header (nothing could be read).
    Unreadable,
    /// Text without a header row.
    NoHeader,
    /// The first line is longer than the header may be.
    HeaderTooLong { kib: u64 },
    /// The header is not UTF-8 text.
    HeaderNotUtf8,
    /// The header lacks columns of the export, or has others; `more` unknown names were not
    /// listed.
    Columns { missing: Vec<ImportColumn>, unknown: Vec<UnknownColumn>, more: u64 },
    /// One column named twice (under its English and its Indonesian name, say).
    ColumnTwice { column: ImportColumn },
    /// More data rows than one file may hold.
    TooManyRows { max: u64 },
    /// A zip that is not a readable XLSX workbook.
    NotXlsx,
    /// The workbook lists no sheet.
    NoSheet,
    /// The workbook's first sheet is missing or is not a sheet.
    SheetUnreadable,
    /// The first sheet has no cells.
    SheetEmpty,
    /// The workbook passes a bound of the reader (a decompression bomb, or a sheet too big).
    WorkbookTooLarge { bound: WorkbookBound, max: u64 },
    /// A payment file's header lacks required columns of the billing export, or has others.
    PaymentColumns { missing: Vec<PaymentColumn>, unknown: Vec<UnknownColumn>, more: u64 },
    /// A payment file names one column twice.
    PaymentColumnTwice { column: PaymentColumn },
    /// The payment import was given the agree export (its header is the agree import's).
    LooksLikeAgrees,
    /// The agree import was given the billing system's payment export.
    LooksLikePayments,
}

impl FileProblem {
    /// The refusal of a file with more than [`IMPORT_MAX_ROWS`] data rows.
    pub fn too_many_rows() -> FileProblem {
        FileProblem::TooManyRows { max: IMPORT_MAX_ROWS }
    }

    /// Its code, the `fields.file` of the answer.
    pub fn code(&self) -> &'static str {
        FileProblemCode::from(self).into()
    }

    /// One of each variant, for tests that must cover them all (here and in the browser app's
    /// wording of them).
    pub fn samples() -> Vec<FileProblem> {
        vec![
            FileProblem::EmptyFile,
            FileProblem::NotCsvOrXlsx,
            FileProblem::OldExcel,
            FileProblem::Unreadable,
            FileProblem::NoHeader,
            FileProblem::HeaderTooLong { kib: 64 },
            FileProblem::HeaderNotUtf8,
            FileProblem::Columns {
                missing: vec![ImportColumn::Bucket],
                unknown: vec![UnknownColumn { position: 2, name: "x".into() }],
                more: 3,
            },
            FileProblem::ColumnTwice { column: ImportColumn::CallAt },
            FileProblem::too_many_rows(),
            FileProblem::NotXlsx,
            FileProblem::NoSheet,
            FileProblem::SheetUnreadable,
            FileProblem::SheetEmpty,
            FileProblem::WorkbookTooLarge { bound: WorkbookBound::CellChars, max: 8192 },
            FileProblem::PaymentColumns {
                missing: vec![PaymentColumn::PaidAt],
                unknown: vec![UnknownColumn { position: 5, name: "x".into() }],
                more: 0,
            },
            FileProblem::PaymentColumnTwice { column: PaymentColumn::Amount },
            FileProblem::LooksLikeAgrees,
            FileProblem::LooksLikePayments,
        ]
    }
}

/// A [`FileProblem`] as the wire has it: its code and whichever values it carries. Columns are
/// read as their names, since the agree and the payment refusals name columns of their own.
#[derive(Deserialize)]
pub struct FileProblemWire {
    code: FileProblemCode,
    kib: Option<u64>,
    missing: Option<Vec<String>>,
    unknown: Option<Vec<UnknownColumn>>,
    more: Option<u64>,
    column: Option<String>,
    max: Option<u64>,
    bound: Option<WorkbookBound>,
}

/// The column of `all` named `name` (its English name, as the wire writes it).
fn named<C: Copy>(all: &[C], name: &str, names: impl Fn(C) -> &'static str) -> Result<C, String> {
    all.iter().copied().find(|c| names(*c) == name).ok_or_else(|| format!("unknown column `{name}`"))
}

/// Every name of `names` as a column of `all`.
fn columns<C: Copy>(all: &[C], names: Vec<String>, name: impl Fn(C) -> &'static str + Copy) -> Result<Vec<C>, String> {
    names.iter().map(|n| named(all, n, name)).collect()
}

impl TryFrom<FileProblemWire> for FileProblem {
    type Error = String;
    fn try_from(w: FileProblemWire) -> Result<FileProblem, String> {
        use super::row_problems::needed;
        use FileProblemCode as C;
        let agree = |c: ImportColumn| c.name();
        let payment = |c: PaymentColumn| c.name();
        Ok(match w.code {
            C::EmptyFile => FileProblem::EmptyFile,
            C::NotCsvOrXlsx => FileProblem::NotCsvOrXlsx,
            C::OldExcel => FileProblem::OldExcel,
            C::Unreadable => FileProblem::Unreadable,
            C::NoHeader => FileProblem::NoHeader,
            C::HeaderTooLong => FileProblem::HeaderTooLong { kib: needed(w.kib, "kib")? },
            C::HeaderNotUtf8 => FileProblem::HeaderNotUtf8,
            C::Columns => FileProblem::Columns {
                missing: columns(&ImportColumn::ALL, needed(w.missing, "missing")?, agree)?,
                unknown: needed(w.unknown, "unknown")?,
                more: needed(w.more, "more")?,
            },
            C::ColumnTwice => {
                FileProblem::ColumnTwice { column: named(&ImportColumn::ALL, &needed(w.column, "column")?, agree)? }
            }
            C::TooManyRows => FileProblem::TooManyRows { max: needed(w.max, "max")? },
            C::NotXlsx => FileProblem::NotXlsx,
            C::NoSheet => FileProblem::NoSheet,
            C::SheetUnreadable => FileProblem::SheetUnreadable,
            C::SheetEmpty => FileProblem::SheetEmpty,
            C::WorkbookTooLarge => {
                FileProblem::WorkbookTooLarge { bound: needed(w.bound, "bound")?, max: needed(w.max, "max")? }
            }
            C::PaymentColumns => FileProblem::PaymentColumns {
                missing: columns(&PaymentColumn::ALL, needed(w.missing, "missing")?, payment)?,
                unknown: needed(w.unknown, "unknown")?,
                more: needed(w.more, "more")?,
            },
            C::PaymentColumnTwice => FileProblem::PaymentColumnTwice {
                column: named(&PaymentColumn::ALL, &needed(w.column, "column")?, payment)?,
            },
            C::LooksLikeAgrees => FileProblem::LooksLikeAgrees,
            C::LooksLikePayments => FileProblem::LooksLikePayments,
        })
    }
}

/// A number as the English messages write it: `1,000,000`.
fn grouped(n: u64) -> String {
    crate::indonesian::grouped(i64::try_from(n).unwrap_or(i64::MAX), ',')
}

/// The English words of a bound passed: "more than 1,000 shared strings".
fn bound_words(bound: WorkbookBound, max: u64) -> String {
    match bound {
        WorkbookBound::ZipParts => format!("the zip holds more than {} parts", grouped(max)),
        WorkbookBound::PartMib => format!("a part is larger than {} MiB once unpacked", grouped(max)),
        WorkbookBound::TokenKib => format!("it holds a text or tag longer than {} KiB", grouped(max)),
        WorkbookBound::SharedStrings => format!("more than {} shared strings", grouped(max)),
        WorkbookBound::SharedStringsMib => format!("more than {} MiB of shared strings", grouped(max)),
        WorkbookBound::CellChars => format!("a cell longer than {} characters", grouped(max)),
        WorkbookBound::TextChars => format!("a text longer than {} characters", grouped(max)),
    }
}

/// The English words of a header's missing and unexpected columns.
fn columns_words<'a>(missing: impl Iterator<Item = &'a str>, unknown: &[UnknownColumn], more: u64) -> String {
    let missing: Vec<&str> = missing.collect();
    let mut unknown: Vec<String> = unknown
        .iter()
        .map(|c| match c.name.as_str() {
            "" => format!("(empty, column {})", c.position),
            name => name.to_owned(),
        })
        .collect();
    if more > 0 {
        let last = format!("and {more} more");
        match unknown.last_mut() {
            Some(name) => *name = format!("{name} {last}"),
            None => unknown.push(last),
        }
    }
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing columns: {}", missing.join(", ")));
    }
    if !unknown.is_empty() {
        parts.push(format!("unexpected columns: {}", unknown.join(", ")));
    }
    parts.join("; ")
}

/// The English words of a refusal: the answer's `message`.
impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileProblem::EmptyFile => f.write_str("the file is empty"),
            FileProblem::NotCsvOrXlsx => f.write_str("the file is not a CSV or XLSX file"),
            FileProblem::OldExcel => f.write_str("this is an old Excel 97 (.xls) file; save it as XLSX or CSV"),
            FileProblem::Unreadable => f.write_str("the file could not be read as CSV or XLSX"),
            FileProblem::NoHeader => f.write_str("the file has no header row"),
            FileProblem::HeaderTooLong { kib } => {
                write!(f, "the header row is longer than {kib} KiB; the first row must name the columns")
            }
            FileProblem::HeaderNotUtf8 => f.write_str("the header is not UTF-8 text; save the file as \"CSV UTF-8\""),
            FileProblem::Columns { missing, unknown, more } => {
                f.write_str(&columns_words(missing.iter().map(|c| c.name()), unknown, *more))
            }
            FileProblem::PaymentColumns { missing, unknown, more } => {
                f.write_str(&columns_words(missing.iter().map(|c| c.name()), unknown, *more))
            }
            FileProblem::ColumnTwice { column } => write!(f, "column {} appears twice", column.name()),
            FileProblem::TooManyRows { max } => {
                write!(f, "the file has more than {} rows; split it into smaller files", grouped(*max))
            }
            FileProblem::NotXlsx => f.write_str("the file is not a readable XLSX workbook"),
            FileProblem::NoSheet => f.write_str("the workbook has no sheet"),
            FileProblem::SheetUnreadable => f.write_str("the first sheet of the workbook could not be read"),
            FileProblem::SheetEmpty => f.write_str("the workbook's first sheet is empty"),
            FileProblem::WorkbookTooLarge { bound, max } => {
                write!(f, "the workbook is too large to import: {}", bound_words(*bound, *max))
            }
            FileProblem::PaymentColumnTwice { column } => write!(f, "column {} appears twice", column.name()),
            FileProblem::LooksLikeAgrees => {
                f.write_str("this looks like the agree export, not a payment file; import it as agrees")
            }
            FileProblem::LooksLikePayments => f.write_str(
                "this looks like a payment file of the billing system, not the agree export; import it as payments",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_codes_with_their_values() {
        let p = FileProblem::Columns {
            missing: vec![ImportColumn::RecordingRef],
            unknown: vec![UnknownColumn { position: 11, name: "notes".into() }],
            more: 0,
        };
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            serde_json::json!({
                "code": "columns",
                "missing": ["recording_ref"],
                "unknown": [{ "position": 11, "name": "notes" }],
                "more": 0
            })
        );
        assert_eq!(p.to_string(), "missing columns: recording_ref; unexpected columns: notes");
        let back: FileProblem = serde_json::from_value(serde_json::to_value(&p).unwrap()).unwrap();
        assert_eq!(back, p);
        let bomb = FileProblem::WorkbookTooLarge { bound: WorkbookBound::SharedStrings, max: 4_000_000 };
        assert_eq!(
            serde_json::to_value(&bomb).unwrap(),
            serde_json::json!({ "code": "workbook_too_large", "bound": "shared_strings", "max": 4_000_000 })
        );
        assert_eq!(bomb.to_string(), "the workbook is too large to import: more than 4,000,000 shared strings");
        assert_eq!(serde_json::to_value(&bomb).unwrap()["code"], bomb.code());
        assert_eq!(
            FileProblem::too_many_rows().to_string(),
            "the file has more than 1,000,000 rows; split it into smaller files"
        );
    }

    #[test]
    fn every_refusal_reads_back_as_written() {
        for p in FileProblem::samples() {
            let json = serde_json::to_value(&p).unwrap();
            assert_eq!(json["code"], p.code());
            assert_eq!(serde_json::from_value::<FileProblem>(json).unwrap(), p);
        }
        assert!(serde_json::from_str::<FileProblem>(r#"{"code":"workbook_too_large","max":1}"#).is_err());
    }

    #[test]
    fn unknown_names_past_the_listed_ones_are_counted() {
        let p = FileProblem::Columns {
            missing: vec![],
            unknown: vec![
                UnknownColumn { position: 3, name: String::new() },
                UnknownColumn { position: 12, name: "kolom4".into() },
            ],
            more: 99_995,
        };
        assert_eq!(p.to_string(), "unexpected columns: (empty, column 3), kolom4 and 99995 more");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(12_345_678), "12,345,678");
    }
}
