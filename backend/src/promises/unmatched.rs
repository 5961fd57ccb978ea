//! `GET /api/payments/unmatched`: the stored payments no agree takes, oldest first, keyset-paged
//! by id — payments of a customer without agrees, and reversals naming no stored payment (one
//! rule, [`unmatched`], which the payment import counts by too). Both
//! conditions are `NOT EXISTS` on indexed columns (`cases` by customer, `payments` by its unique
//! key), so a page costs what its rows cost.

use crate::db::timestamp;
use crate::error::ApiResult;
use crate::paging::{PageQuery, cut};
use crate::state::AppState;
use domain::api::Page;
use domain::promises::{PaymentKind, UnmatchedPayment};
use entity::{cases, payments};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect};

/// A stored payment (`payments`, unaliased) whose customer has no agree.
fn without_agree() -> Expr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(cases::Entity)
            .and_where(
                Expr::col((cases::Entity, cases::Column::CustomerNo))
                    .equals((payments::Entity, payments::Column::CustomerNo)),
            )
            .to_owned(),
    )
    .not()
}

/// A stored reversal (`payments`, unaliased) whose payment — same customer and reference — is
/// stored.
pub fn names_a_payment() -> Expr {
    let stored = Alias::new("stored");
    Expr::col((payments::Entity, payments::Column::Kind)).eq(PaymentKind::Reversal).and(Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from_as(payments::Entity, stored.clone())
            .and_where(
                Expr::col((stored.clone(), payments::Column::CustomerNo))
                    .equals((payments::Entity, payments::Column::CustomerNo)),
            )
            .and_where(Expr::col((stored.clone(), payments::Column::Kind)).eq(PaymentKind::Payment))
            .and_where(
                Expr::col((stored, payments::Column::PaymentRef))
                    .equals((payments::Entity, payments::Column::PaymentRef)),
            )
            .to_owned(),
    ))
}

/// The one rule of "unmatched" (the import's count and this list): a payment of a customer
/// without agrees, or a reversal naming no stored payment.
pub fn unmatched() -> Condition {
    let payment = Expr::col((payments::Entity, payments::Column::Kind)).eq(PaymentKind::Payment);
    let reversal = Expr::col((payments::Entity, payments::Column::Kind)).eq(PaymentKind::Reversal);
    Condition::any().add(payment.and(without_agree())).add(reversal.and(names_a_payment().not()))
}

pub async fn list(state: &AppState, page: &PageQuery) -> ApiResult<Page<UnmatchedPayment>> {
    let limit = page.limit()?;
    let mut query = payments::Entity::find().filter(unmatched()).order_by_asc(payments::Column::Id);
    if let Some(after) = page.after()? {
        query = query.filter(payments::Column::Id.gt(after));
    }
    let rows = query.limit(limit + 1).all(&state.db.conn).await?;
    Ok(cut(rows, limit, |p| p.id).page(|p| UnmatchedPayment {
        id: p.id,
        customer_no: p.customer_no,
        payment_ref: p.payment_ref,
        kind: p.kind,
        paid_at: timestamp(p.paid_at),
        amount: p.amount,
        channel: p.channel,
        import_id: p.import_id.map(i64::from),
    }))
}
