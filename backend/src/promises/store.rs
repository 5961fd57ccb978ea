//! Each agree's promise as stored (`case_promises`) and its history (`promise_history`): the
//! customers' agrees and payments read, [`domain::promises::evaluate`] run as of a site day, and
//! what changed written. Recomputing is idempotent: the same inputs write nothing the second
//! time, and a status is only ever changed by an update conditional on the status read, so two
//! servers recomputing one customer at once record each change once.

use crate::db::WriteTx;
use crate::error::ApiResult;
use crate::site_time;
use crate::state::AppState;
use chrono::{DateTime, Timelike, Utc};
use domain::dates::Date;
use domain::promises::{Payment, Promise, PromiseOutcome, PromiseStatus, SiteTime, evaluate};
use entity::{case_promises, cases, payments, promise_history};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// Customers read and evaluated together (one `IN` list each for agrees and payments).
pub const CUSTOMERS_PER_ROUND: usize = 500;

/// What a recomputation did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recomputed {
    /// Promises evaluated.
    pub evaluated: u64,
    /// Promises whose status changed (or that got their first).
    pub changed: u64,
}

impl std::ops::AddAssign for Recomputed {
    fn add_assign(&mut self, other: Recomputed) {
        self.evaluated += other.evaluated;
        self.changed += other.changed;
    }
}

/// The site wall time of a stored instant.
pub fn site_time(state: &AppState, at: DateTime<Utc>) -> SiteTime {
    let local = at.with_timezone(&site_time::offset(state));
    let day = site_time::site_date(state, at);
    SiteTime::new(day, local.num_seconds_from_midnight()).unwrap_or(SiteTime { day, second: 0 })
}

/// The agrees of `customers` as promises (an agree whose stored promise date does not read is
/// left out: the import never stores one).
async fn promises_of(state: &AppState, db: &impl ConnectionTrait, customers: &[String]) -> ApiResult<Vec<Promise>> {
    let rows: Vec<(i32, String, DateTime<Utc>, String, i64)> = cases::Entity::find()
        .select_only()
        .columns([
            cases::Column::Id,
            cases::Column::CustomerNo,
            cases::Column::CallAt,
            cases::Column::PromiseDate,
            cases::Column::BillAmount,
        ])
        .filter(cases::Column::CustomerNo.is_in(customers.iter().cloned()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, customer_no, call_at, promise_date, amount)| {
            Some(Promise {
                case_id: i64::from(id),
                customer_no,
                call_at: site_time(state, call_at),
                promise_date: Date::parse(&promise_date)?,
                amount,
            })
        })
        .collect())
}

/// The payments and reversals of `customers`.
pub async fn payments_of(state: &AppState, db: &impl ConnectionTrait, customers: &[String]) -> ApiResult<Vec<Payment>> {
    let rows =
        payments::Entity::find().filter(payments::Column::CustomerNo.is_in(customers.iter().cloned())).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|p| Payment {
            customer_no: p.customer_no,
            payment_ref: p.payment_ref,
            paid_at: site_time(state, p.paid_at),
            amount: p.amount,
            kind: p.kind,
            channel: p.channel,
        })
        .collect())
}

/// The promises of `customers` evaluated as of `today` (for one case's page: nothing stored).
pub async fn evaluate_customers(
    state: &AppState,
    db: &impl ConnectionTrait,
    customers: &[String],
    today: Date,
) -> ApiResult<(Vec<PromiseOutcome>, Vec<Payment>)> {
    let promises = promises_of(state, db, customers).await?;
    let payments = payments_of(state, db, customers).await?;
    Ok((evaluate(&state.config.promise_rules, &promises, &payments, today), payments))
}

/// Re-evaluates the promises of `customers` as of `today` in `txn` and stores what changed, each
/// change of status with `cause` in the history.
pub async fn recompute(
    state: &AppState,
    txn: &WriteTx,
    customers: &[String],
    today: Date,
    cause: &str,
    at: DateTime<Utc>,
) -> ApiResult<Recomputed> {
    let occasion = Occasion { state, today, cause, at };
    let mut done = Recomputed::default();
    for round in customers.chunks(CUSTOMERS_PER_ROUND) {
        done += occasion.round(txn, round).await?;
    }
    Ok(done)
}

/// One recomputation's day, cause and time.
#[derive(Clone, Copy)]
struct Occasion<'a> {
    state: &'a AppState,
    today: Date,
    cause: &'a str,
    at: DateTime<Utc>,
}

impl Occasion<'_> {
    /// [`recompute`] of one round of customers.
    async fn round(&self, txn: &WriteTx, customers: &[String]) -> ApiResult<Recomputed> {
        let Occasion { state, today, cause, at } = *self;
        let db: &sea_orm::DatabaseTransaction = txn;
        let promises = promises_of(state, db, customers).await?;
        if promises.is_empty() {
            return Ok(Recomputed::default());
        }
        let payments = payments_of(state, db, customers).await?;
        let outcomes = evaluate(&state.config.promise_rules, &promises, &payments, today);
        let customer_of: HashMap<i64, &str> = promises.iter().map(|p| (p.case_id, p.customer_no.as_str())).collect();
        let stored: HashMap<i32, case_promises::Model> = case_promises::Entity::find()
            .filter(case_promises::Column::CustomerNo.is_in(customers.iter().cloned()))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.case_id, p))
            .collect();
        let evaluated_on = today.to_string();
        let mut done = Recomputed { evaluated: outcomes.len() as u64, changed: 0 };
        let mut fresh = Vec::new();
        // What the keep-rate roll-up must move: the changes of status that took effect.
        let mut moved = Vec::new();
        for outcome in &outcomes {
            let Ok(case_id) = i32::try_from(outcome.case_id) else { continue };
            let row = Row::of(outcome);
            match stored.get(&case_id) {
                None => fresh.push((case_id, row)),
                Some(old) if Row::stored(old) == row => {}
                Some(old) => {
                    // Conditional on what was read: a server that got there first leaves nothing to do.
                    let updated = case_promises::Entity::update_many()
                        .col_expr(case_promises::Column::Status, Expr::value(row.status))
                        .col_expr(case_promises::Column::DueDate, Expr::value(row.due_date.clone()))
                        .col_expr(case_promises::Column::PromisedAmount, Expr::value(row.promised_amount))
                        .col_expr(case_promises::Column::PaidAmount, Expr::value(row.paid_amount))
                        .col_expr(case_promises::Column::ReachedOn, Expr::value(row.reached_on.clone()))
                        .col_expr(case_promises::Column::EvaluatedOn, Expr::value(evaluated_on.clone()))
                        .col_expr(case_promises::Column::UpdatedAt, Expr::value(at))
                        .filter(case_promises::Column::CaseId.eq(case_id))
                        .filter(case_promises::Column::Status.eq(old.status))
                        .filter(case_promises::Column::PaidAmount.eq(old.paid_amount))
                        .exec(db)
                        .await?
                        .rows_affected;
                    if updated == 1 && old.status != row.status {
                        moved.push((case_id, Some(old.status), row.status));
                        history(db, case_id, &row, cause, at).await?;
                        done.changed += 1;
                    }
                }
            }
        }
        for chunk in fresh.chunks(500) {
            // One per agree even when two servers insert at once: the first wins, the other's is ignored.
            for (case_id, row) in chunk {
                let inserted = case_promises::Entity::insert(case_promises::ActiveModel {
                    case_id: Set(*case_id),
                    customer_no: Set(customer_of.get(&i64::from(*case_id)).copied().unwrap_or_default().to_owned()),
                    status: Set(row.status),
                    due_date: Set(row.due_date.clone()),
                    promised_amount: Set(row.promised_amount),
                    paid_amount: Set(row.paid_amount),
                    reached_on: Set(row.reached_on.clone()),
                    evaluated_on: Set(evaluated_on.clone()),
                    updated_at: Set(at),
                })
                .on_conflict(OnConflict::column(case_promises::Column::CaseId).do_nothing().to_owned())
                .exec_without_returning(db)
                .await?;
                if inserted == 1 {
                    moved.push((*case_id, None, row.status));
                    history(db, *case_id, row, cause, at).await?;
                    done.changed += 1;
                }
            }
        }
        super::rollup::changed(db, state.config.offset(), &moved).await?;
        // Rows evaluated with nothing to change still say as of which day.
        case_promises::Entity::update_many()
            .col_expr(case_promises::Column::EvaluatedOn, Expr::value(evaluated_on.clone()))
            .filter(case_promises::Column::CustomerNo.is_in(customers.iter().cloned()))
            .filter(case_promises::Column::EvaluatedOn.lt(evaluated_on))
            .exec(db)
            .await?;
        Ok(done)
    }
}

/// What `case_promises` keeps of an outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    status: PromiseStatus,
    due_date: String,
    promised_amount: i64,
    paid_amount: i64,
    reached_on: Option<String>,
}

impl Row {
    fn of(outcome: &PromiseOutcome) -> Row {
        Row {
            status: outcome.status,
            due_date: outcome.due_date.to_string(),
            promised_amount: outcome.promised_amount,
            paid_amount: outcome.paid_amount,
            reached_on: outcome.reached_on.map(|d| d.to_string()),
        }
    }

    fn stored(model: &case_promises::Model) -> Row {
        Row {
            status: model.status,
            due_date: model.due_date.clone(),
            promised_amount: model.promised_amount,
            paid_amount: model.paid_amount,
            reached_on: model.reached_on.clone(),
        }
    }
}

async fn history(db: &impl ConnectionTrait, case_id: i32, row: &Row, cause: &str, at: DateTime<Utc>) -> ApiResult<()> {
    promise_history::Entity::insert(promise_history::ActiveModel {
        case_id: Set(case_id),
        at: Set(at),
        status: Set(row.status),
        paid_amount: Set(row.paid_amount),
        cause: Set(cause.chars().take(40).collect()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The customers whose stored promises are out of date as of `today`: agrees with no promise yet,
/// and pending promises evaluated before `today` (their due day may have ended). At most `limit`.
pub async fn stale_customers(db: &impl ConnectionTrait, today: Date, limit: u64) -> ApiResult<Vec<String>> {
    let day = today.to_string();
    let mut customers: Vec<String> = case_promises::Entity::find()
        .select_only()
        .column(case_promises::Column::CustomerNo)
        .distinct()
        .filter(case_promises::Column::Status.eq(PromiseStatus::Pending))
        .filter(case_promises::Column::EvaluatedOn.lt(day))
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let left = limit.saturating_sub(customers.len() as u64);
    if left > 0 {
        let unevaluated: Vec<String> = cases::Entity::find()
            .select_only()
            .column(cases::Column::CustomerNo)
            .distinct()
            // An anti-join on the promise's key (not `NOT IN`, which PostgreSQL answers by hashing
            // every stored promise on each sweep).
            .filter(
                Expr::exists(
                    sea_orm::sea_query::Query::select()
                        .expr(Expr::val(1))
                        .from(case_promises::Entity)
                        .and_where(
                            Expr::col((case_promises::Entity, case_promises::Column::CaseId))
                                .equals((cases::Entity, cases::Column::Id)),
                        )
                        .to_owned(),
                )
                .not(),
            )
            .limit(left)
            .into_tuple()
            .all(db)
            .await?;
        customers.extend(unevaluated);
    }
    customers.sort();
    customers.dedup();
    Ok(customers)
}
