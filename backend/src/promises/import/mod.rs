//! `POST /api/payments/import`: the billing system's payments and reversals (CSV or XLSX, told
//! apart by content) into `payments`, streamed and all or nothing, by the machinery of
//! [`crate::imports`] that the agree import uses too (its module doc says how).
//!
//! What is the payment import's own: its [`Payments`] layout (`customer_no, paid_at, amount,
//! payment_ref`, optionally `kind` and `channel`, English or Indonesian, read by
//! [`domain::promises::map_payment_header`], which names the agree export as such; one row by
//! [`domain::promises::check_payment_row`]); its staging into `payment_import_rows` (payment
//! times from site time to UTC, `seq` the row's number in the file); and its last transaction
//! (`finish`), which moves the staged rows into `payments`, refuses rows that contradict a
//! stored payment, counts what it did, re-evaluates the promises of the customers it touched,
//! completes the `imports` record and writes the audit entry.

mod finish;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::imports::PaymentProblems;
use crate::imports::{Batch, Checked, ColumnAt, Layout, Refusal, Stage, Upload, receive};
use crate::state::AppState;
use domain::cases::{FileProblem, RowProblem, problems_text};
use domain::dates::Date;
use domain::problems::Problem;
use domain::promises::{Payment, PaymentColumn, PaymentImportResult, check_payment_row, map_payment_header};
use sea_orm::Value;

/// `imports.kind` of a payment import.
pub const KIND: &str = "payments";

/// The billing export's layout: its six columns and one row's rules, at the site's offset, as
/// of the site day the import began (a payment may be dated at most a day ahead).
pub(crate) struct Payments {
    site_offset: i32,
    today: Date,
}

impl Layout for Payments {
    type Row = Payment;
    type Faults = PaymentProblems;

    /// The optional columns a file lacks are read as empty cells.
    fn map_header(&self, header: &[String]) -> Result<Vec<ColumnAt>, FileProblem> {
        let at = map_payment_header(header)?;
        Ok(PaymentColumn::ALL
            .map(|c| ColumnAt { index: at[c.index()], required: c.required(), timed: c == PaymentColumn::PaidAt })
            .to_vec())
    }

    fn check(&self, cells: &[String]) -> Result<Payment, PaymentProblems> {
        match <&[String; 6]>::try_from(cells) {
            Ok(cells) => check_payment_row(cells, self.site_offset, self.today)
                .map_err(|faults| PaymentProblems { cells: faults.problems, row: Vec::new() }),
            Err(_) => Err(self.whole(RowProblem::CellCount { cells: cells.len() as u64, columns: 6 })),
        }
    }

    fn whole(&self, problem: RowProblem) -> PaymentProblems {
        PaymentProblems::whole(problem)
    }

    fn misaligned(
        &self,
        checked: Result<Payment, PaymentProblems>,
        problem: RowProblem,
        lacking: &[usize],
    ) -> PaymentProblems {
        let mut faults = checked.err().unwrap_or(PaymentProblems { cells: Vec::new(), row: Vec::new() });
        faults.row.push(problem);
        faults.cells.retain(|p| !(p.code == Problem::Required && lacking.contains(&p.column.index())));
        faults
    }
}

impl Refusal for PaymentProblems {
    fn whole(problem: RowProblem) -> Self {
        PaymentProblems { cells: Vec::new(), row: vec![problem] }
    }

    /// The faults of the row as a whole first, then those of its cells.
    fn text(&self) -> String {
        let cells = self.cells.iter().map(ToString::to_string);
        let row = (!self.row.is_empty()).then(|| problems_text(&self.row));
        row.into_iter().chain(cells).collect::<Vec<_>>().join("; ")
    }

    fn codes(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }
}

/// The payment import's staging: good rows into `payment_import_rows`.
struct PaymentStage;

impl Stage<Payments> for PaymentStage {
    type Refused = PaymentProblems;
    const KIND: &'static str = KIND;
    const TABLE: &'static str =
        "payment_import_rows (import_id, seq, customer_no, kind, payment_ref, paid_at, amount, channel)";
    const VALUES: usize = 8;

    async fn check(
        &mut self,
        state: &AppState,
        _who: &AuthUser,
        rows: Vec<Checked<Payments>>,
        batch: &mut Batch<PaymentProblems>,
    ) -> ApiResult<()> {
        for (row, checked) in rows {
            match checked {
                Ok(payment) => {
                    let paid_at = crate::site_time::day_start(state, payment.paid_at.day)
                        + chrono::Duration::seconds(i64::from(payment.paid_at.second));
                    // Typed as the `payments` entity binds them.
                    batch.stage(
                        row,
                        [
                            Value::String(Some(payment.customer_no)),
                            Value::String(Some(payment.kind.as_str().to_owned())),
                            Value::String(Some(payment.payment_ref)),
                            Value::ChronoDateTimeUtc(Some(paid_at)),
                            Value::BigInt(Some(payment.amount)),
                            Value::String(payment.channel),
                        ],
                    );
                }
                Err(faults) => batch.refuse(row, faults),
            }
        }
        Ok(())
    }
}

/// Imports an upload of payments as it arrives.
pub async fn run_upload(
    state: &AppState,
    who: &AuthUser,
    filename: &str,
    upload: impl Upload,
) -> ApiResult<PaymentImportResult> {
    let started = crate::db::now();
    let layout = Payments {
        site_offset: crate::imports::site_offset(state),
        today: crate::site_time::site_date(state, started),
    };
    let mut received = receive(state, who, filename, upload, layout, &mut PaymentStage).await?;
    let result = finish::finish(state, who, filename, &mut received).await?;
    received.done();
    Ok(result)
}

/// The import template: the header (the English column names) and two example rows, a
/// payment and its reversal.
pub fn template() -> String {
    let header: Vec<&str> = PaymentColumn::ALL.iter().map(|c| c.name()).collect();
    format!(
        "{}\r\n131000000777,2025-11-28 10:15,350000,TRX-20251128-0001,payment,BCA\r\n\
         131000000777,2025-11-29 08:00,350000,TRX-20251128-0001,reversal,BCA\r\n",
        header.join(",")
    )
}
