//! The promise types as they cross the wire: a case's `promise`, the payment import's answer and
//! the keep-rate report.

use super::{PaymentKind, PromiseOutcome, PromiseStatus, SiteTime};
use crate::cases::RejectedRow;
use crate::metrics::{PromiseTally, keep_rate};
use serde::{Deserialize, Serialize};

/// A case's promise to pay and what came of it: `promise` of `GET /api/cases/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CasePromise {
    pub status: PromiseStatus,
    /// The last day a payment counts: the promise date plus the grace working days, `YYYY-MM-DD`.
    pub due_date: String,
    /// Whole rupiah.
    pub promised_amount: i64,
    /// Whole rupiah allocated to this promise: at most `promised_amount`.
    pub paid_amount: i64,
    /// The payments allocated to it (`amount` the part it took), and each reversed payment that
    /// fell in its window followed by its reversal (the two amounts summing to 0), in time order.
    pub payments: Vec<PromisePayment>,
}

/// A payment (or reversal) of a case's promise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PromisePayment {
    pub payment_ref: String,
    /// RFC 3339; a reversal's is when the payment was undone.
    pub paid_at: String,
    /// Whole rupiah; a reversal's is negative.
    pub amount: i64,
    pub kind: PaymentKind,
}

impl CasePromise {
    /// A promise's outcome on the wire; `instant` writes a site time as the API writes instants.
    pub fn from_outcome(outcome: &PromiseOutcome, instant: impl Fn(SiteTime) -> String) -> CasePromise {
        let mut rows: Vec<(SiteTime, PromisePayment)> = outcome
            .allocations
            .iter()
            .map(|a| {
                let row = PromisePayment {
                    payment_ref: a.payment_ref.clone(),
                    paid_at: instant(a.paid_at),
                    amount: a.amount,
                    kind: PaymentKind::Payment,
                };
                (a.paid_at, row)
            })
            .collect();
        for r in &outcome.reversed {
            let paid = PromisePayment {
                payment_ref: r.payment_ref.clone(),
                paid_at: instant(r.paid_at),
                amount: r.amount,
                kind: PaymentKind::Payment,
            };
            let reversal = PromisePayment {
                payment_ref: r.payment_ref.clone(),
                paid_at: instant(r.reversed_at),
                amount: -r.amount,
                kind: PaymentKind::Reversal,
            };
            rows.extend([(r.paid_at, paid), (r.reversed_at.max(r.paid_at), reversal)]);
        }
        // Stable: a payment stays before its own reversal stamped at the same second.
        rows.sort_by_key(|(at, _)| *at);
        CasePromise {
            status: outcome.status,
            due_date: outcome.due_date.to_string(),
            promised_amount: outcome.promised_amount,
            paid_amount: outcome.paid_amount,
            payments: rows.into_iter().map(|(_, row)| row).collect(),
        }
    }
}

/// The answer of the payment import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentImportResult {
    /// The import's record; `GET /api/imports/{import_id}/rejections` lists every refused row.
    pub import_id: i64,
    /// New payments and reversals stored.
    pub imported: u64,
    /// Rows already stored (the same customer, kind and `payment_ref`), skipped.
    pub duplicates: u64,
    /// Of the imported, reversals that found the payment they name.
    pub reversed: u64,
    /// Of the imported, payments of a customer without any agree and reversals naming no stored
    /// payment: kept, in case their match comes later.
    pub unmatched: u64,
    /// The first refused rows, by row number.
    /// As the agree import's and `GET /api/imports/{id}/rejections` list them: a cell's faults
    /// in `payment_problems`, the row's own (its cells do not line up with the header, it is not
    /// UTF-8 or too long, the file could not be read there) in `problems`.
    pub rejected: Vec<RejectedRow>,
    /// Every refused row, listed or not.
    pub rejected_total: u64,
}

/// Promises of one group (or all of them) by status, and their keep rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PromiseCounts {
    pub kept: u64,
    pub broken: u64,
    /// Not due yet and not kept yet: outside the rate.
    pub pending: u64,
    /// kept / (kept + broken) × 100, two decimals; null when none is kept or broken.
    pub keep_rate: Option<f64>,
}

impl From<PromiseTally> for PromiseCounts {
    fn from(tally: PromiseTally) -> PromiseCounts {
        PromiseCounts {
            kept: tally.kept,
            broken: tally.broken,
            pending: tally.pending,
            keep_rate: keep_rate(&tally).percent(),
        }
    }
}

/// One group of the keep-rate report (a team, an agent, a service…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "FlatPromiseRow")]
pub struct PromiseReportRow {
    /// What the group is, as the report's grouping writes it (an id, a code).
    pub key: String,
    /// The group as people read it.
    pub label: String,
    #[serde(flatten)]
    pub counts: PromiseCounts,
}

/// A [`PromiseReportRow`] as it is read: every field at one level (not `#[serde(flatten)]`, whose
/// buffering reader the browser app has no room for; see [`crate::cases::F19Row`]).
#[derive(Deserialize)]
struct FlatPromiseRow {
    key: String,
    label: String,
    kept: u64,
    broken: u64,
    pending: u64,
    keep_rate: Option<f64>,
}

impl From<FlatPromiseRow> for PromiseReportRow {
    fn from(r: FlatPromiseRow) -> PromiseReportRow {
        let counts = PromiseCounts { kept: r.kept, broken: r.broken, pending: r.pending, keep_rate: r.keep_rate };
        PromiseReportRow { key: r.key, label: r.label, counts }
    }
}

/// The keep-rate report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PromiseReport {
    pub rows: Vec<PromiseReportRow>,
    /// Of every promise counted, from the sum of the groups' tallies (not of their rates).
    pub totals: PromiseCounts,
    /// The rules in force, for the page to state: kept when this share of the promised amount…
    pub threshold_pct: u32,
    /// …is paid by the promise date plus these working days.
    pub grace_days: u32,
}

/// A stored payment no agree takes (`GET /api/payments/unmatched`): its customer has no agree,
/// or (a reversal) it names no stored payment. Kept, for the match may come with a later import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnmatchedPayment {
    pub id: i64,
    pub customer_no: String,
    pub payment_ref: String,
    pub kind: PaymentKind,
    /// RFC 3339.
    pub paid_at: String,
    /// Whole rupiah (a reversal's as the file wrote it).
    pub amount: i64,
    pub channel: Option<String>,
    /// The payment import that brought it (none for the demo's).
    pub import_id: Option<i64>,
}
