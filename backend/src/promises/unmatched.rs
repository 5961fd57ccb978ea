//! `GET /api/payments/unmatched`: the stored payments no agree takes, oldest first, keyset-paged
//! by id — payments of a customer without agrees, and reversals naming no stored payment. Both
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

pub async fn list(state: &AppState, page: &PageQuery) -> ApiResult<Page<UnmatchedPayment>> {
    let limit = page.limit()?;
    let stored = Alias::new("stored");
    let no_agree = Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(cases::Entity)
            .and_where(
                Expr::col((cases::Entity, cases::Column::CustomerNo))
                    .equals((payments::Entity, payments::Column::CustomerNo)),
            )
            .to_owned(),
    )
    .not();
    let names_nothing = Expr::col((payments::Entity, payments::Column::Kind)).eq(PaymentKind::Reversal).and(
        Expr::exists(
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
        )
        .not(),
    );
    let mut query = payments::Entity::find()
        .filter(Condition::any().add(no_agree).add(names_nothing))
        .order_by_asc(payments::Column::Id);
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
