//! Each agree's promise as stored (`case_promises`) and its history (`promise_history`): the
//! customers' agrees and payments read, [`domain::promises::evaluate`] run as of a site day, and
//! what changed written. Recomputing is idempotent: the same inputs write nothing the second
//! time, and a status is only ever changed by an update conditional on the status read, so two
//! servers recomputing one customer at once record each change once.

use super::rollup::value_rows;
use crate::db::WriteTx;
use crate::error::ApiResult;
use crate::site_time;
use crate::state::AppState;
use chrono::{DateTime, Timelike, Utc};
use domain::dates::Date;
use domain::promises::{Payment, Promise, PromiseOutcome, PromiseStatus, SiteTime, evaluate};
use entity::{case_promises, cases, payments, promise_history};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QuerySelect, Statement, Value,
};
use std::collections::{HashMap, HashSet};

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
        let mut fresh: Vec<(i32, Row)> = Vec::new();
        let mut updates: Vec<(i32, &case_promises::Model, Row)> = Vec::new();
        for outcome in &outcomes {
            let Ok(case_id) = i32::try_from(outcome.case_id) else { continue };
            let row = Row::of(outcome);
            match stored.get(&case_id) {
                None => fresh.push((case_id, row)),
                Some(old) if Row::stored(old) == row => {}
                Some(old) => updates.push((case_id, old, row)),
            }
        }
        // What the keep-rate roll-up must move and the history must record: the changes of
        // status that took effect.
        let mut moved = Vec::new();
        let mut history = Vec::new();
        for part in updates.chunks(ROWS_PER_STATEMENT) {
            let updated = update_rows(db, part, &evaluated_on, at).await?;
            for (case_id, old, row) in part {
                if updated.contains(case_id) && old.status != row.status {
                    moved.push((*case_id, Some(old.status), row.status));
                    history.push(history_row(*case_id, row, cause, at));
                }
            }
        }
        for part in fresh.chunks(ROWS_PER_STATEMENT) {
            let inserted = insert_rows(db, part, &customer_of, &evaluated_on, at).await?;
            for (case_id, row) in part {
                if inserted.contains(case_id) {
                    moved.push((*case_id, None, row.status));
                    history.push(history_row(*case_id, row, cause, at));
                }
            }
        }
        done.changed = moved.len() as u64;
        for part in history.chunks(ROWS_PER_STATEMENT) {
            promise_history::Entity::insert_many(part.to_vec()).exec_without_returning(db).await?;
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

fn history_row(case_id: i32, row: &Row, cause: &str, at: DateTime<Utc>) -> promise_history::ActiveModel {
    promise_history::ActiveModel {
        case_id: Set(case_id),
        at: Set(at),
        status: Set(row.status),
        paid_amount: Set(row.paid_amount),
        cause: Set(cause.chars().take(40).collect()),
        ..Default::default()
    }
}

/// Promises written by one statement (at most 9 values each: well inside either engine's bound
/// parameters).
const ROWS_PER_STATEMENT: usize = 500;

/// Stores the new evaluation of `rows` (case id, row as read, new row), each conditional on the
/// status and paid amount read — a server that got there first leaves nothing to do — in one
/// statement; answers which were updated.
async fn update_rows(
    db: &impl ConnectionTrait,
    rows: &[(i32, &case_promises::Model, Row)],
    evaluated_on: &str,
    at: DateTime<Utc>,
) -> ApiResult<HashSet<i32>> {
    if rows.is_empty() {
        return Ok(HashSet::new());
    }
    let mut values: Vec<Value> = vec![evaluated_on.to_owned().into(), at.into()];
    let tuples = value_rows(
        &mut values,
        rows.iter().map(|(case_id, old, row)| {
            vec![
                Value::from(*case_id),
                old.status.as_str().to_owned().into(),
                old.paid_amount.into(),
                row.status.as_str().to_owned().into(),
                row.due_date.clone().into(),
                row.promised_amount.into(),
                row.paid_amount.into(),
                row.reached_on.clone().into(),
            ]
        }),
    );
    let sql = format!(
        "WITH v (id, old_status, old_paid, status, due_date, promised_amount, paid_amount, reached_on) AS \
         (VALUES {tuples}) \
         UPDATE case_promises SET status = v.status, due_date = v.due_date, promised_amount = v.promised_amount, \
           paid_amount = v.paid_amount, reached_on = v.reached_on, evaluated_on = $1, updated_at = $2 \
         FROM v WHERE case_promises.case_id = v.id AND case_promises.status = v.old_status \
           AND case_promises.paid_amount = v.old_paid \
         RETURNING case_id"
    );
    let done = db.query_all_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    done.iter().map(|r| r.try_get::<i32>("", "case_id").map_err(Into::into)).collect()
}

/// Stores the first evaluation of `rows` in one statement, one per agree even when two servers
/// insert at once (the first wins, the other's is ignored); answers which were inserted.
async fn insert_rows(
    db: &impl ConnectionTrait,
    rows: &[(i32, Row)],
    customer_of: &HashMap<i64, &str>,
    evaluated_on: &str,
    at: DateTime<Utc>,
) -> ApiResult<HashSet<i32>> {
    if rows.is_empty() {
        return Ok(HashSet::new());
    }
    let mut values: Vec<Value> = Vec::new();
    let tuples = value_rows(
        &mut values,
        rows.iter().map(|(case_id, row)| {
            vec![
                Value::from(*case_id),
                customer_of.get(&i64::from(*case_id)).copied().unwrap_or_default().to_owned().into(),
                row.status.as_str().to_owned().into(),
                row.due_date.clone().into(),
                row.promised_amount.into(),
                row.paid_amount.into(),
                row.reached_on.clone().into(),
                evaluated_on.to_owned().into(),
                at.into(),
            ]
        }),
    );
    let sql = format!(
        "INSERT INTO case_promises (case_id, customer_no, status, due_date, promised_amount, paid_amount, \
           reached_on, evaluated_on, updated_at) VALUES {tuples} ON CONFLICT (case_id) DO NOTHING RETURNING case_id"
    );
    let done = db.query_all_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    done.iter().map(|r| r.try_get::<i32>("", "case_id").map_err(Into::into)).collect()
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
