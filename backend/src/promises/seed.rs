//! Demo payments (issue 16 item 5): for the demo agrees, a billing export's worth of payments —
//! most approved agrees paid in full before their due day, fewer returned ones, a few paid short,
//! a few payments reversed by the bank — so the keep-rate report shows QC's decision predicting
//! payment. Deterministic (by case id), idempotent (the payments' unique key), and every demo
//! customer's promises are evaluated at the end.

use crate::db::now;
use crate::state::AppState;
use chrono::Duration;
use domain::cases::CaseStatus;
use domain::promises::PaymentKind;
use entity::{cases, payments};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};

/// A number from 0 to 99 fixed by the case, so the demo is the same on every load.
fn roll(case_id: i32, salt: u64) -> u64 {
    let mut x = (case_id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (x ^ (x >> 29)) % 100
}

pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let err = |e: crate::error::ApiError| anyhow::anyhow!("demo payments: {e:?}");
    let at = now();
    let agrees = cases::Entity::find().all(&state.db.conn).await?;
    let mut rows = Vec::new();
    for case in &agrees {
        // Approved agrees mostly pay; returned ones (QC doubted them) much less often.
        let share = match case.status {
            CaseStatus::Approved => 82,
            CaseStatus::Returned => 35,
            CaseStatus::Pending => 60,
        };
        let paid_at = (case.call_at + Duration::hours(5)).min(at - Duration::minutes(5));
        if roll(case.id, 1) >= share || paid_at <= case.call_at {
            continue;
        }
        let short = roll(case.id, 2) < 12;
        let amount = if short { case.bill_amount / 2 } else { case.bill_amount };
        let payment_ref = format!("DEMO-{:06}", case.id);
        let payment = |kind: PaymentKind, paid_at, amount| payments::ActiveModel {
            customer_no: Set(case.customer_no.clone()),
            kind: Set(kind),
            payment_ref: Set(payment_ref.clone()),
            paid_at: Set(paid_at),
            amount: Set(amount),
            channel: Set(Some(
                ["BCA", "Mandiri", "Indomaret", "Alfamart", "LinkAja"][roll(case.id, 3) as usize % 5].into(),
            )),
            import_id: Set(None),
            created_at: Set(at),
            ..Default::default()
        };
        rows.push(payment(PaymentKind::Payment, paid_at, amount));
        let reversed_at = paid_at + Duration::days(2);
        if roll(case.id, 4) < 8 && reversed_at < at {
            rows.push(payment(PaymentKind::Reversal, reversed_at, -amount));
        }
    }
    let txn = state.db.write().await.map_err(err)?;
    if !rows.is_empty() {
        let key = [payments::Column::CustomerNo, payments::Column::Kind, payments::Column::PaymentRef];
        payments::Entity::insert_many(rows)
            .on_conflict(OnConflict::columns(key).do_nothing().to_owned())
            .exec_without_returning(&*txn)
            .await?;
    }
    let mut customers: Vec<String> = agrees.into_iter().map(|c| c.customer_no).collect();
    customers.sort();
    customers.dedup();
    let today = crate::site_time::site_date(state, at);
    super::store::recompute(state, &txn, &customers, today, "demo", at).await.map_err(err)?;
    txn.commit().await?;
    Ok(())
}
