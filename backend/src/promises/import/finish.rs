//! The payment import's last transaction: the staged rows into `payments`, the rows that
//! contradict a stored payment refused, the counts, the promises of the customers it touched
//! re-evaluated, the record completed and the audit entry written — all in ONE transaction.
//!
//! The conflict rule: a payment is one (customer, kind, `payment_ref`). A row of one already
//! stored with the same amount is a duplicate (skipped, counted); with another amount it is a
//! conflict, refused as a row naming the stored amount, and nothing is changed (the billing
//! system changed its mind or two payments share a reference: a person must look). Within one
//! file, the first row of a reference is the one imported; later rows of it are duplicates, or
//! conflicts when their amount differs. Conflicts are found after the insert, so they come last
//! in the stored refusals' order (`GET /api/imports/{id}/rejections`); the answer lists the
//! first refused rows by row number, conflicts among them.

use super::PaymentProblems;
use crate::auth::AuthUser;
use crate::db::{WriteTx, now};
use crate::error::ApiResult;
use crate::imports::{Received, limits};
use crate::promises::store;
use crate::state::AppState;
use domain::audit::AuditAction;
use domain::cases::RejectedRow;
use domain::promises::{PaymentImportResult, PaymentRowProblem};
use entity::{payment_import_rows, payments};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Statement, Value};
use serde_json::json;

/// Conflicting rows read at a time.
const CONFLICTS_PAGE: u64 = 5_000;

/// The join of a staged row (`s`) with the payment of its customer, kind and reference (`p`),
/// through the unique index of `payments`.
const SAME_PAYMENT: &str = "p.customer_no = s.customer_no AND p.kind = s.kind AND p.payment_ref = s.payment_ref";

pub(super) async fn finish(
    state: &AppState,
    who: &AuthUser,
    filename: &str,
    received: &mut Received<'_, PaymentProblems>,
) -> ApiResult<PaymentImportResult> {
    let import_id = received.import_id;
    let backend = state.db.backend();
    let at = now();
    let txn = state.db.write().await?;
    // `WHERE` before `ON CONFLICT` also keeps SQLite from reading the `ON` as a join's.
    let imported = txn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO payments (customer_no, kind, payment_ref, paid_at, amount, channel, import_id, created_at) \
             SELECT customer_no, kind, payment_ref, paid_at, amount, channel, import_id, $1 \
             FROM payment_import_rows WHERE import_id = $2 ORDER BY seq \
             ON CONFLICT (customer_no, kind, payment_ref) DO NOTHING",
            [Value::from(at), Value::from(import_id)],
        ))
        .await?
        .rows_affected();
    let conflicts = refuse_conflicts(&txn, received).await?;
    let staging = &received.staging;
    let duplicates = staging.staged.saturating_sub(imported + conflicts);
    let (reversed, unmatched) = matches(&txn, import_id).await?;
    let customers = touched_customers(&txn, import_id).await?;
    let today = crate::site_time::site_date(state, at);
    let promises = store::recompute(state, &txn, &customers, today, &format!("import:{import_id}"), at).await?;

    received.complete(&txn, imported, duplicates, at).await?;
    payment_import_rows::Entity::delete_many()
        .filter(payment_import_rows::Column::ImportId.eq(import_id))
        .exec(&*txn)
        .await?;
    who.audit(
        &txn,
        crate::audit::Trail::EachStep,
        AuditAction::PaymentsImported,
        "import",
        import_id.to_string(),
        json!({
            "filename": filename,
            "sha256": received.sha256,
            "format": received.format,
            "imported": imported,
            "duplicates": duplicates,
            "conflicts": conflicts,
            "reversed": reversed,
            "unmatched": unmatched,
            "rejected": staging.rejected_total,
            "promises_evaluated": promises.evaluated,
            "promises_changed": promises.changed,
        }),
    )
    .await?;
    txn.commit().await?;

    let rejected = staging.rejected(|row, error, faults| RejectedRow {
        row,
        error,
        problems: faults.row.clone(),
        payment_problems: faults.cells.clone(),
    });
    Ok(PaymentImportResult {
        import_id: i64::from(import_id),
        imported,
        duplicates,
        reversed,
        unmatched,
        rejected,
        rejected_total: staging.rejected_total,
    })
}

/// Refuses the staged rows whose payment is stored (by an earlier import, or by an earlier row
/// of this file just now) with another amount, page by page; returns how many. The answer's
/// list gets the first of them by row number, beside the first refused while reading.
async fn refuse_conflicts(txn: &WriteTx, received: &mut Received<'_, PaymentProblems>) -> ApiResult<u64> {
    let backend = txn.get_database_backend();
    let import_id = received.import_id;
    let staging = &mut received.staging;
    // The rows refused while reading keep their place in the answer; conflicts get a list of
    // their own, merged by row number at the end.
    let read_listed = std::mem::take(&mut staging.listed);
    let mut after = -1i64;
    let mut conflicts = 0u64;
    loop {
        let rows = txn
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                format!(
                    "SELECT s.seq AS seq, p.amount AS stored FROM payment_import_rows s \
                     JOIN payments p ON {SAME_PAYMENT} \
                     WHERE s.import_id = $1 AND s.seq > $2 AND p.amount <> s.amount ORDER BY s.seq LIMIT {CONFLICTS_PAGE}"
                ),
                [Value::from(import_id), Value::from(after)],
            ))
            .await?;
        let mut refused = Vec::with_capacity(rows.len());
        for row in &rows {
            let seq: i64 = row.try_get("", "seq")?;
            let stored: i64 = row.try_get("", "stored")?;
            after = seq;
            let problems = PaymentProblems { cells: vec![PaymentRowProblem::conflict(stored)], row: Vec::new() };
            refused.push((u64::try_from(seq).unwrap_or_default(), problems));
        }
        conflicts += refused.len() as u64;
        let values = staging.refusals(refused);
        staging.insert_rejections(txn, values).await?;
        if (rows.len() as u64) < CONFLICTS_PAGE {
            break;
        }
    }
    let mut listed = read_listed;
    listed.append(&mut staging.listed);
    listed.sort_by_key(|(row, _, _)| *row);
    listed.truncate(limits::LISTED_REJECTIONS);
    staging.listed = listed;
    Ok(conflicts)
}

/// Of the payments this import stored: the reversals that found the payment they name, and the
/// unmatched ([`crate::promises::unmatched::unmatched`], the rule the unmatched list shows).
async fn matches(txn: &WriteTx, import_id: i32) -> ApiResult<(u64, u64)> {
    use crate::promises::unmatched::{names_a_payment, unmatched};
    let stored = || payments::Entity::find().filter(payments::Column::ImportId.eq(import_id));
    let reversed = stored().filter(names_a_payment()).count(&**txn).await?;
    let unmatched = stored().filter(unmatched()).count(&**txn).await?;
    Ok((reversed, unmatched))
}

/// The customers with agrees whose payments this import changed: their promises are
/// re-evaluated in the same transaction.
async fn touched_customers(txn: &WriteTx, import_id: i32) -> ApiResult<Vec<String>> {
    let backend = txn.get_database_backend();
    let rows = txn
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT DISTINCT s.customer_no AS customer_no FROM payment_import_rows s \
                 JOIN payments p ON {SAME_PAYMENT} AND p.import_id = s.import_id \
                 WHERE s.import_id = $1 AND EXISTS (SELECT 1 FROM cases c WHERE c.customer_no = s.customer_no)"
            ),
            [Value::from(import_id)],
        ))
        .await?;
    rows.iter().map(|r| r.try_get::<String>("", "customer_no").map_err(Into::into)).collect()
}
