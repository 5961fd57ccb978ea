//! `GET /api/reports/reconciliation`: agrees pending too long after the call, customers agreed
//! more than once in the period, and promises later than the bucket allows; each list bounded.

use super::dates;
use crate::auth::AuthUser;
use crate::cases::service::{CASE_TABLE, CaseRow, case_rows, counted, fetch, stored};
use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::site_time::{self, site_date};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Role;
use domain::cases::{Bucket, Case, CaseStatus, Reconciliation, ReconciliationQuery, RepeatedCustomer};
use domain::dates::Date;
use domain::problems::Problem;
use entity::cases;
use sea_orm::sea_query::{Asterisk, Condition, Expr, Func, Order, Query, SelectStatement};
use sea_orm::{ExprTrait, FromQueryResult};

/// At most this many entries per list (the oldest first).
const LIST_MAX: usize = 500;
/// The calls read at a time by the promise check.
const PROMISE_PAGE: usize = 5000;

pub async fn reconciliation(
    state: &AppState,
    who: &AuthUser,
    query: &ReconciliationQuery,
) -> ApiResult<Reconciliation> {
    if !domain::can(who.role, domain::Action::ViewF19Report) {
        return Err(ApiError::Forbidden);
    }
    let days = query.days.unwrap_or(2);
    if days > 365 {
        return Err(ApiError::field("days", Problem::OutOfRange));
    }
    let (from, to) = dates(state, query.from.as_deref(), query.to.as_deref())?;
    let (start, end) = site_time::days(state, from, to)?;
    let db = &state.db.conn;
    let c = CASE_TABLE;
    let call_at = || Expr::col((c, cases::Column::CallAt));
    // The period's calls, of the team leader's team only.
    let in_period = |query: &mut SelectStatement| {
        query.and_where(call_at().gte(start)).and_where(call_at().lt(end));
        if who.role == Role::TeamLeader {
            query.cond_where(match who.team_id {
                Some(team) => Condition::all().add(Expr::col((c, cases::Column::TeamId)).eq(team)),
                None => Condition::all().add(Expr::val(1).eq(0)),
            });
        }
    };
    let oldest_first = |query: &mut SelectStatement| {
        query.order_by((c, cases::Column::CallAt), Order::Asc).order_by((c, cases::Column::Id), Order::Asc);
    };

    // Pending longer than `days` after the call.
    let mut query = case_rows();
    let cutoff = now() - chrono::Duration::days(i64::from(days));
    query.and_where(Expr::col((c, cases::Column::Status)).eq(stored(CaseStatus::Pending)));
    in_period(&mut query);
    query.and_where(call_at().lt(cutoff));
    oldest_first(&mut query);
    query.limit(LIST_MAX as u64);
    let unvalidated = fetch::<CaseRow>(db, &query).await?.into_iter().map(Case::from).collect();

    // The same customer agreed more than once in the period.
    let agrees = || Func::count(Expr::col(Asterisk));
    let mut query = Query::select();
    query
        .column((c, cases::Column::CustomerNo))
        .expr_as(Func::min(Expr::col((c, cases::Column::CustomerName))), "customer_name")
        .expr_as(agrees(), "agrees")
        .from_as(cases::Entity, c);
    in_period(&mut query);
    query
        .group_by_col((c, cases::Column::CustomerNo))
        .and_having(Expr::expr(agrees()).gt(1))
        .order_by_expr(agrees().into(), Order::Desc)
        .order_by((c, cases::Column::CustomerNo), Order::Asc)
        .limit(LIST_MAX as u64);
    let mut repeated_customers = Vec::new();
    for row in fetch::<Repeated>(db, &query).await? {
        let mut ids = Query::select();
        ids.column((c, cases::Column::Id))
            .from_as(cases::Entity, c)
            .and_where(Expr::col((c, cases::Column::CustomerNo)).eq(row.customer_no.clone()));
        in_period(&mut ids);
        oldest_first(&mut ids);
        let case_ids = fetch::<CaseId>(db, &ids).await?.into_iter().map(|r| i64::from(r.id)).collect();
        repeated_customers.push(RepeatedCustomer {
            customer_no: row.customer_no,
            customer_name: row.customer_name,
            agrees: counted(row.agrees),
            case_ids,
        });
    }

    // Promised later than the bucket allows: checked in pages of the period's calls.
    let mut late_ids = Vec::new();
    let mut after: Option<(DateTime<Utc>, i32)> = None;
    'pages: loop {
        let mut query = Query::select();
        query
            .columns(
                [cases::Column::Id, cases::Column::Bucket, cases::Column::CallAt, cases::Column::PromiseDate]
                    .map(|column| (c, column)),
            )
            .from_as(cases::Entity, c);
        in_period(&mut query);
        if let Some((at, id)) = after {
            query.cond_where(
                Condition::any()
                    .add(call_at().gt(at))
                    .add(call_at().eq(at).and(Expr::col((c, cases::Column::Id)).gt(id))),
            );
        }
        oldest_first(&mut query);
        query.limit(PROMISE_PAGE as u64);
        let rows = fetch::<Promise>(db, &query).await?;
        for row in &rows {
            after = Some((row.call_at, row.id));
            let Some(promise) = Date::parse(&row.promise_date) else { continue };
            if promise > row.bucket.latest_promise(site_date(state, row.call_at)) {
                late_ids.push(row.id);
                if late_ids.len() >= LIST_MAX {
                    break 'pages;
                }
            }
        }
        if rows.len() < PROMISE_PAGE {
            break;
        }
    }
    let mut late_promises = Vec::new();
    for chunk in late_ids.chunks(100) {
        let mut query = case_rows();
        query.and_where(Expr::col((c, cases::Column::Id)).is_in(chunk.iter().copied()));
        oldest_first(&mut query);
        late_promises.extend(fetch::<CaseRow>(db, &query).await?.into_iter().map(Case::from));
    }
    Ok(Reconciliation { unvalidated, repeated_customers, late_promises })
}

/// A customer agreed more than once.
#[derive(FromQueryResult)]
struct Repeated {
    customer_no: String,
    customer_name: String,
    agrees: Option<i64>,
}

#[derive(FromQueryResult)]
struct CaseId {
    id: i32,
}

/// What the promise check reads of a call.
#[derive(FromQueryResult)]
struct Promise {
    id: i32,
    bucket: Bucket,
    call_at: DateTime<Utc>,
    promise_date: String,
}
