//! Why the import refused a row: each fault a typed code with what it names, which the browser
//! words in the user's language (`frontend/src/i18n/imports.rs`). The English words here are
//! the API's `error` text and the refused-rows CSV download.

use super::{Bucket, IMPORT_COLUMNS, Service};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A column of the agree export, in the order of [`IMPORT_COLUMNS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ImportColumn {
    CustomerNo,
    CustomerName,
    Service,
    Bucket,
    BillAmount,
    AgentUsername,
    CallAt,
    Reason,
    PromiseDate,
    RecordingRef,
}

impl ImportColumn {
    pub const ALL: [ImportColumn; 10] = [
        ImportColumn::CustomerNo,
        ImportColumn::CustomerName,
        ImportColumn::Service,
        ImportColumn::Bucket,
        ImportColumn::BillAmount,
        ImportColumn::AgentUsername,
        ImportColumn::CallAt,
        ImportColumn::Reason,
        ImportColumn::PromiseDate,
        ImportColumn::RecordingRef,
    ];
    /// Its place in [`IMPORT_COLUMNS`].
    pub fn index(self) -> usize {
        self as usize
    }
    /// Its English header name (`customer_no`).
    pub fn name(self) -> &'static str {
        IMPORT_COLUMNS[self.index()]
    }
    /// Its Indonesian header name (`nomor_pelanggan`), accepted as well.
    pub fn name_id(self) -> &'static str {
        super::IMPORT_COLUMNS_ID[self.index()]
    }
}

/// One fault of a refused row. Values quoted from the file are cut to
/// [`super::ECHO_CHARS`] characters.
///
/// On the wire `{"code": "...", ...its values}`. It is read through [`RowProblemWire`], a flat
/// struct: serde's own reading of an internally tagged enum buffers every value first and was
/// the largest function of the browser app (31 KB).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, strum::EnumDiscriminants)]
#[serde(tag = "code", rename_all = "snake_case", try_from = "RowProblemWire")]
#[strum_discriminants(
    name(RowProblemCode),
    derive(Serialize, Deserialize, strum::IntoStaticStr),
    serde(rename_all = "snake_case"),
    strum(serialize_all = "snake_case")
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RowProblem {
    /// A required cell is empty.
    Empty {
        column: ImportColumn,
    },
    ControlCharacters {
        column: ImportColumn,
    },
    TooLong {
        column: ImportColumn,
        max: u32,
    },
    /// Not CT-0 or PRANPC.
    UnknownService {
        value: String,
    },
    /// Not N, N+1 or N+2.
    UnknownBucket {
        value: String,
    },
    /// The SOP does not give this service this bucket ([`Service::buckets`]).
    ServiceBucketMismatch {
        service: Service,
        bucket: Bucket,
    },
    AmountNegative,
    AmountInvalid {
        value: String,
    },
    AmountTooLarge,
    /// Not a call time of a form the import reads.
    CallAtInvalid {
        value: String,
    },
    PromiseDateInvalid {
        value: String,
    },
    PromiseBeforeCall,
    /// No active agent has this username.
    UnknownAgent {
        value: String,
    },
    /// A team leader's import names an agent of another team.
    AgentNotInTeam {
        value: String,
    },
    /// The row's cells do not line up with the header's columns.
    CellCount {
        cells: u64,
        columns: u64,
    },
    /// A cell is not UTF-8 text.
    NotUtf8,
    RowTooLong {
        kib: u64,
    },
    /// The CSV reader could not read the row (`detail`: its own words, in English).
    CsvUnreadable {
        detail: String,
    },
    /// An XLSX sheet is damaged from this row on: the rows before it stand.
    WorkbookDamaged,
}

/// A [`RowProblem`] as the wire has it: its code and whichever values it carries.
#[derive(Deserialize)]
pub struct RowProblemWire {
    code: RowProblemCode,
    column: Option<ImportColumn>,
    max: Option<u32>,
    value: Option<String>,
    service: Option<Service>,
    bucket: Option<Bucket>,
    cells: Option<u64>,
    columns: Option<u64>,
    kib: Option<u64>,
    detail: Option<String>,
}

/// A value the code needs, or the error that names it.
pub(crate) fn needed<T>(value: Option<T>, name: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{name}`"))
}

impl TryFrom<RowProblemWire> for RowProblem {
    type Error = String;
    fn try_from(w: RowProblemWire) -> Result<RowProblem, String> {
        use RowProblemCode as C;
        let column = || needed(w.column, "column");
        let value = || needed(w.value.clone(), "value");
        Ok(match w.code {
            C::Empty => RowProblem::Empty { column: column()? },
            C::ControlCharacters => RowProblem::ControlCharacters { column: column()? },
            C::TooLong => RowProblem::TooLong { column: column()?, max: needed(w.max, "max")? },
            C::UnknownService => RowProblem::UnknownService { value: value()? },
            C::UnknownBucket => RowProblem::UnknownBucket { value: value()? },
            C::ServiceBucketMismatch => RowProblem::ServiceBucketMismatch {
                service: needed(w.service, "service")?,
                bucket: needed(w.bucket, "bucket")?,
            },
            C::AmountNegative => RowProblem::AmountNegative,
            C::AmountInvalid => RowProblem::AmountInvalid { value: value()? },
            C::AmountTooLarge => RowProblem::AmountTooLarge,
            C::CallAtInvalid => RowProblem::CallAtInvalid { value: value()? },
            C::PromiseDateInvalid => RowProblem::PromiseDateInvalid { value: value()? },
            C::PromiseBeforeCall => RowProblem::PromiseBeforeCall,
            C::UnknownAgent => RowProblem::UnknownAgent { value: value()? },
            C::AgentNotInTeam => RowProblem::AgentNotInTeam { value: value()? },
            C::CellCount => {
                RowProblem::CellCount { cells: needed(w.cells, "cells")?, columns: needed(w.columns, "columns")? }
            }
            C::NotUtf8 => RowProblem::NotUtf8,
            C::RowTooLong => RowProblem::RowTooLong { kib: needed(w.kib, "kib")? },
            C::CsvUnreadable => RowProblem::CsvUnreadable { detail: needed(w.detail, "detail")? },
            C::WorkbookDamaged => RowProblem::WorkbookDamaged,
        })
    }
}

impl RowProblem {
    /// Its code, as the wire spells it (`unknown_service`).
    pub fn code(&self) -> &'static str {
        RowProblemCode::from(self).into()
    }

    /// The column the fault is in, if one.
    pub fn column(&self) -> Option<ImportColumn> {
        use ImportColumn as C;
        match self {
            RowProblem::Empty { column }
            | RowProblem::ControlCharacters { column }
            | RowProblem::TooLong { column, .. } => Some(*column),
            RowProblem::UnknownService { .. } => Some(C::Service),
            RowProblem::UnknownBucket { .. } | RowProblem::ServiceBucketMismatch { .. } => Some(C::Bucket),
            RowProblem::AmountNegative | RowProblem::AmountInvalid { .. } | RowProblem::AmountTooLarge => {
                Some(C::BillAmount)
            }
            RowProblem::CallAtInvalid { .. } => Some(C::CallAt),
            RowProblem::PromiseDateInvalid { .. } | RowProblem::PromiseBeforeCall => Some(C::PromiseDate),
            RowProblem::UnknownAgent { .. } | RowProblem::AgentNotInTeam { .. } => Some(C::AgentUsername),
            RowProblem::CellCount { .. }
            | RowProblem::NotUtf8
            | RowProblem::RowTooLong { .. }
            | RowProblem::CsvUnreadable { .. }
            | RowProblem::WorkbookDamaged => None,
        }
    }

    /// One of each variant, for tests that must cover them all (here and in the browser app's
    /// wording of them).
    pub fn samples() -> Vec<RowProblem> {
        use ImportColumn as C;
        vec![
            RowProblem::Empty { column: C::CustomerNo },
            RowProblem::ControlCharacters { column: C::Reason },
            RowProblem::TooLong { column: C::Reason, max: 1000 },
            RowProblem::UnknownService { value: "TV".into() },
            RowProblem::UnknownBucket { value: "N+3".into() },
            RowProblem::ServiceBucketMismatch { service: Service::Ct0, bucket: Bucket::N },
            RowProblem::AmountNegative,
            RowProblem::AmountInvalid { value: "lima".into() },
            RowProblem::AmountTooLarge,
            RowProblem::CallAtInvalid { value: "kemarin".into() },
            RowProblem::PromiseDateInvalid { value: "31/02/2026".into() },
            RowProblem::PromiseBeforeCall,
            RowProblem::UnknownAgent { value: "agent9".into() },
            RowProblem::AgentNotInTeam { value: "agent3".into() },
            RowProblem::CellCount { cells: 11, columns: 10 },
            RowProblem::NotUtf8,
            RowProblem::RowTooLong { kib: 64 },
            RowProblem::CsvUnreadable { detail: "found record with 3 fields".into() },
            RowProblem::WorkbookDamaged,
        ]
    }
}

fn quoted(value: &str) -> String {
    format!("\"{value}\"")
}

/// The English words of a fault.
impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowProblem::Empty { column } => write!(f, "{} is empty", column.name()),
            RowProblem::ControlCharacters { column } => write!(f, "{} contains control characters", column.name()),
            RowProblem::TooLong { column, max } => write!(f, "{} is longer than {max} characters", column.name()),
            RowProblem::UnknownService { value } => write!(f, "unknown service {} (CT-0 or PRANPC)", quoted(value)),
            RowProblem::UnknownBucket { value } => write!(f, "unknown bucket {} (N, N+1 or N+2)", quoted(value)),
            RowProblem::ServiceBucketMismatch { service, bucket } => write!(
                f,
                "service {} does not serve bucket {} (by the SOP, CT-0 serves N+2, PRANPC N and N+1)",
                service.label(),
                bucket.label()
            ),
            RowProblem::AmountNegative => f.write_str("bill_amount is negative"),
            RowProblem::AmountInvalid { value } => write!(f, "bill_amount is not an amount: {}", quoted(value)),
            RowProblem::AmountTooLarge => f.write_str("bill_amount is too large"),
            RowProblem::CallAtInvalid { value } => {
                write!(f, "bad call_at {} (YYYY-MM-DD HH:MM, or ISO 8601 with Z or an offset)", quoted(value))
            }
            RowProblem::PromiseDateInvalid { value } => write!(f, "bad promise_date {} (YYYY-MM-DD)", quoted(value)),
            RowProblem::PromiseBeforeCall => f.write_str("promise_date is before the call"),
            RowProblem::UnknownAgent { value } => {
                write!(f, "unknown agent {} (no active agent has this username)", quoted(value))
            }
            RowProblem::AgentNotInTeam { value } => {
                write!(
                    f,
                    "agent {} is not in your team (a team leader imports only their team's agents)",
                    quoted(value)
                )
            }
            RowProblem::CellCount { cells, columns } => {
                write!(f, "the row has {cells} cells; the header has {columns}")
            }
            RowProblem::NotUtf8 => f.write_str("the row is not valid UTF-8 text; save the file as \"CSV UTF-8\""),
            RowProblem::RowTooLong { kib } => write!(f, "the row is longer than {kib} KiB"),
            RowProblem::CsvUnreadable { detail } => write!(f, "the row could not be read as CSV: {detail}"),
            RowProblem::WorkbookDamaged => f.write_str("the workbook is damaged from this row on"),
        }
    }
}

/// Puts a row's faults in the order of its columns (faults of the whole row first), keeping
/// the order of faults within a column.
pub fn sort_problems(problems: &mut [RowProblem]) {
    problems.sort_by_key(|p| p.column().map_or(0, |c| c.index() + 1));
}

/// Every fault of a row in English words, `; ` between them.
pub fn problems_text(problems: &[RowProblem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_match_the_header_names() {
        for (i, column) in ImportColumn::ALL.into_iter().enumerate() {
            assert_eq!(column.index(), i);
            assert_eq!(serde_json::to_value(column).unwrap(), column.name());
            assert_ne!(column.name_id(), "");
        }
    }

    #[test]
    fn problems_are_codes_with_their_values() {
        let p = RowProblem::ServiceBucketMismatch { service: Service::Ct0, bucket: Bucket::N };
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            serde_json::json!({ "code": "service_bucket_mismatch", "service": "CT0", "bucket": "N" })
        );
        assert!(p.to_string().contains("CT-0") && p.to_string().contains("bucket N "), "{p}");
        let empty = RowProblem::Empty { column: ImportColumn::CustomerNo };
        assert_eq!(
            serde_json::to_value(&empty).unwrap(),
            serde_json::json!({ "code": "empty", "column": "customer_no" })
        );
        assert_eq!(serde_json::to_value(RowProblem::NotUtf8).unwrap(), serde_json::json!({ "code": "not_utf8" }));
        let back: RowProblem = serde_json::from_value(serde_json::to_value(&p).unwrap()).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn every_fault_reads_back_as_written() {
        for p in RowProblem::samples() {
            let json = serde_json::to_value(&p).unwrap();
            assert_eq!(json["code"], p.code());
            assert_eq!(serde_json::from_value::<RowProblem>(json).unwrap(), p);
        }
        // A code without the values it needs, or an unknown code, is refused.
        assert!(serde_json::from_str::<RowProblem>(r#"{"code":"too_long","column":"reason"}"#).is_err());
        assert!(serde_json::from_str::<RowProblem>(r#"{"code":"no_such_code"}"#).is_err());
    }

    #[test]
    fn faults_are_listed_in_column_order() {
        let mut problems = vec![
            RowProblem::PromiseBeforeCall,
            RowProblem::UnknownAgent { value: "x".into() },
            RowProblem::Empty { column: ImportColumn::CustomerNo },
            RowProblem::CellCount { cells: 11, columns: 10 },
        ];
        sort_problems(&mut problems);
        let columns: Vec<_> = problems.iter().map(RowProblem::column).collect();
        assert_eq!(
            columns,
            [None, Some(ImportColumn::CustomerNo), Some(ImportColumn::AgentUsername), Some(ImportColumn::PromiseDate)]
        );
        assert_eq!(problems_text(&problems[..2]), "the row has 11 cells; the header has 10; customer_no is empty");
    }
}
