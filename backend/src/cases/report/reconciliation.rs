//! `GET /api/reports/reconciliation`: agrees pending too long after the call, customers agreed
//! more than once in the period, and promises later than the bucket allows; each list bounded.

use super::dates;
use crate::cases::service::{CASE_SELECT, Sql, Who, case_from_row, count, get};
use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::site_time::{self, site_date};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Role;
use domain::cases::{Bucket, Reconciliation, RepeatedCustomer};
use domain::dates::Date;
use domain::problems::Problem;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct ReconciliationQuery {
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub to: Option<String>,
    /// Pending longer than this many days after the call (default 2).
    pub days: Option<u32>,
}

/// At most this many entries per list (the oldest first).
const LIST_MAX: usize = 500;

pub async fn reconciliation(state: &AppState, who: &Who, query: &ReconciliationQuery) -> ApiResult<Reconciliation> {
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
    let team_only = |sql: &mut Sql| {
        if who.role == Role::TeamLeader {
            let p = sql.bind(who.team_id.unwrap_or(-1));
            sql.push(&format!(" AND c.team_id = {p}"));
        }
    };
    let columns = CASE_SELECT;

    // Pending longer than `days` after the call.
    let mut sql = Sql::new(columns);
    let cutoff = now() - chrono::Duration::days(i64::from(days));
    let (p1, p2, p3) = (sql.bind(start), sql.bind(end), sql.bind(cutoff));
    sql.push(&format!(" WHERE c.status = 'pending' AND c.call_at >= {p1} AND c.call_at < {p2} AND c.call_at < {p3}"));
    team_only(&mut sql);
    sql.push(&format!(" ORDER BY c.call_at, c.id LIMIT {LIST_MAX}"));
    let unvalidated = sql.all(db).await?.iter().map(case_from_row).collect::<ApiResult<Vec<_>>>()?;

    // The same customer agreed more than once in the period.
    let mut sql =
        Sql::new("SELECT c.customer_no, MIN(c.customer_name) AS customer_name, COUNT(*) AS agrees FROM cases c WHERE ");
    let (p1, p2) = (sql.bind(start), sql.bind(end));
    sql.push(&format!("c.call_at >= {p1} AND c.call_at < {p2}"));
    team_only(&mut sql);
    sql.push(&format!(
        " GROUP BY c.customer_no HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC, c.customer_no LIMIT {LIST_MAX}"
    ));
    let mut repeated_customers = Vec::new();
    for row in sql.all(db).await? {
        let customer_no: String = get(&row, "customer_no")?;
        let mut ids = Sql::new("SELECT c.id FROM cases c WHERE c.customer_no = ");
        let (p0, p1, p2) = (ids.bind(customer_no.clone()), ids.bind(start), ids.bind(end));
        ids.push(&format!("{p0} AND c.call_at >= {p1} AND c.call_at < {p2}"));
        team_only(&mut ids);
        ids.push(" ORDER BY c.call_at, c.id");
        let case_ids =
            ids.all(db).await?.iter().map(|r| get::<i32>(r, "id").map(i64::from)).collect::<ApiResult<Vec<_>>>()?;
        repeated_customers.push(RepeatedCustomer {
            customer_no,
            customer_name: get(&row, "customer_name")?,
            agrees: count(&row, "agrees")?,
            case_ids,
        });
    }

    // Promised later than the bucket allows: checked in pages of the period's calls.
    let mut late_ids = Vec::new();
    let mut after: Option<(DateTime<Utc>, i32)> = None;
    'pages: loop {
        let mut sql = Sql::new("SELECT c.id, c.bucket, c.call_at, c.promise_date FROM cases c WHERE ");
        let (p1, p2) = (sql.bind(start), sql.bind(end));
        sql.push(&format!("c.call_at >= {p1} AND c.call_at < {p2}"));
        team_only(&mut sql);
        if let Some((at, id)) = after {
            let (a1, a2, i) = (sql.bind(at), sql.bind(at), sql.bind(id));
            sql.push(&format!(" AND (c.call_at > {a1} OR (c.call_at = {a2} AND c.id > {i}))"));
        }
        sql.push(" ORDER BY c.call_at, c.id LIMIT 5000");
        let rows = sql.all(db).await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            let id: i32 = get(row, "id")?;
            let call_at: DateTime<Utc> = get(row, "call_at")?;
            after = Some((call_at, id));
            let bucket = Bucket::parse(&get::<String>(row, "bucket")?).unwrap_or(Bucket::N);
            let Some(promise) = Date::parse(&get::<String>(row, "promise_date")?) else { continue };
            if promise > bucket.latest_promise(site_date(state, call_at)) {
                late_ids.push(id);
                if late_ids.len() >= LIST_MAX {
                    break 'pages;
                }
            }
        }
        if rows.len() < 5000 {
            break;
        }
    }
    let mut late_promises = Vec::new();
    for chunk in late_ids.chunks(100) {
        let mut sql = Sql::new(columns);
        let placeholders: Vec<String> = chunk.iter().map(|id| sql.bind(*id)).collect();
        sql.push(&format!(" WHERE c.id IN ({}) ORDER BY c.call_at, c.id", placeholders.join(", ")));
        for row in sql.all(db).await? {
            late_promises.push(case_from_row(&row)?);
        }
    }
    Ok(Reconciliation { unvalidated, repeated_customers, late_promises })
}
