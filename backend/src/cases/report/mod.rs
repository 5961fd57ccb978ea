//! The F-19 report (*Form Pelaporan Hasil Validasi Agree*) as JSON, XLSX and CSV, and the
//! reconciliation lists. Counts come from SQL aggregates grouped by team, agent, service and
//! bucket over the period's calls (the covering index `idx_cases_report`); follow-up counts from
//! a second aggregate over the period's RETURNs. Rows are never loaded one by one. The agent's
//! punctuality (every re-care by the due date of its round) and QC's (every verification by its
//! deadline) are counted apart, from the late counts each follow-up keeps.
//!
//! This file builds the report; `export` writes it as CSV or XLSX, and `reconciliation` lists
//! what needs a second look.

mod export;
mod reconciliation;

pub use export::{csv, file_name, xlsx};
pub use reconciliation::{ReconciliationQuery, reconciliation};

use crate::cases::service::{Sql, Who, count, get};
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::site_time::{self, parse_day, site_date};
use crate::state::AppState;
use domain::Role;
use domain::cases::{Bucket, F19_CODE, F19Counts, F19Report, F19Row, Service};
use domain::dates::Date;
use domain::problems::Problem;
use sea_orm::ConnectionTrait;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

pub const F19_TITLE: &str = "Form Pelaporan Hasil Validasi Agree";

/// `GET /api/reports/f19` query.
#[derive(Debug, Default, Deserialize)]
pub struct F19Query {
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub to: Option<String>,
    pub team_id: Option<i64>,
    pub format: Option<String>,
}

/// The period asked for, or the current month up to today (site days).
fn dates(state: &AppState, from: Option<&str>, to: Option<&str>) -> ApiResult<(Date, Date)> {
    let today = site_date(state, now());
    let day = |field: &str, text: Option<&str>| text.filter(|t| !t.is_empty()).map(|t| parse_day(field, t)).transpose();
    let from = day("from", from)?.unwrap_or(Date { day: 1, ..today });
    let to = day("to", to)?.unwrap_or(today.max(from));
    site_time::days(state, from, to)?;
    if to.to_days() - from.to_days() > 366 * 3 {
        return Err(ApiError::field("to", Problem::PeriodTooLong));
    }
    Ok((from, to))
}

type Key = (Option<i32>, i32, String, String);

pub async fn f19(state: &AppState, who: &Who, query: &F19Query) -> ApiResult<F19Report> {
    if !domain::can(who.role, domain::Action::ViewF19Report) {
        return Err(ApiError::Forbidden);
    }
    let (from, to) = dates(state, query.from.as_deref(), query.to.as_deref())?;
    let mut team = match query.team_id {
        Some(t) => Some(i32::try_from(t).map_err(|_| ApiError::field("team_id", Problem::OutOfRange))?),
        None => None,
    };
    // Team leaders see their own team's report only.
    if who.role == Role::TeamLeader {
        match (team, who.team_id) {
            (Some(t), Some(own)) if t != own => return Err(ApiError::Forbidden),
            (_, Some(own)) => team = Some(own),
            (_, None) => return Err(ApiError::Forbidden),
        }
    }
    let (start, end) = site_time::days(state, from, to)?;
    let at = now();
    let db = &state.db.conn;

    let mut sql = Sql::new(
        "SELECT c.team_id, c.agent_id, c.service, c.bucket, COUNT(*) AS imported, \
         SUM(CASE WHEN c.status <> 'pending' THEN 1 ELSE 0 END) AS validated, \
         SUM(CASE WHEN c.status = 'approved' THEN 1 ELSE 0 END) AS approved, \
         SUM(CASE WHEN c.status = 'returned' THEN 1 ELSE 0 END) AS returned \
         FROM cases c WHERE ",
    );
    let (p1, p2) = (sql.bind(start), sql.bind(end));
    sql.push(&format!("c.call_at >= {p1} AND c.call_at < {p2}"));
    if let Some(t) = team {
        let p = sql.bind(t);
        sql.push(&format!(" AND c.team_id = {p}"));
    }
    sql.push(" GROUP BY c.team_id, c.agent_id, c.service, c.bucket");
    let mut groups: BTreeMap<Key, F19Counts> = BTreeMap::new();
    for row in sql.all(db).await? {
        let key: Key = (get(&row, "team_id")?, get(&row, "agent_id")?, get(&row, "service")?, get(&row, "bucket")?);
        groups.insert(
            key,
            F19Counts {
                imported: count(&row, "imported")?,
                validated: count(&row, "validated")?,
                approved: count(&row, "approved")?,
                returned: count(&row, "returned")?,
                ..Default::default()
            },
        );
    }

    let mut sql = Sql::new("SELECT c.team_id, c.agent_id, c.service, c.bucket, ");
    let (p_now, p_now2) = (sql.bind(at), sql.bind(at));
    sql.push(&format!(
        "SUM(CASE WHEN f.status = 'closed' AND f.late_recares = 0 AND f.late_verifications = 0 THEN 1 ELSE 0 END) AS closed_in_time, \
         SUM(CASE WHEN f.status = 'closed' AND f.late_recares = 0 THEN 1 ELSE 0 END) AS recared_in_time, \
         SUM(CASE WHEN f.status = 'closed' AND f.late_verifications = 0 THEN 1 ELSE 0 END) AS verified_in_time, \
         SUM(CASE WHEN f.status <> 'closed' THEN 1 ELSE 0 END) AS still_open, \
         SUM(CASE WHEN f.status IN ('open', 'reopened') AND f.due_at < {p_now} THEN 1 ELSE 0 END) AS overdue, \
         SUM(CASE WHEN f.status = 'recared' AND f.verify_due_at < {p_now2} THEN 1 ELSE 0 END) AS verify_overdue \
         FROM followups f JOIN cases c ON c.id = f.case_id WHERE "
    ));
    let (p1, p2) = (sql.bind(start), sql.bind(end));
    sql.push(&format!("c.call_at >= {p1} AND c.call_at < {p2}"));
    if let Some(t) = team {
        let p = sql.bind(t);
        sql.push(&format!(" AND c.team_id = {p}"));
    }
    sql.push(" GROUP BY c.team_id, c.agent_id, c.service, c.bucket");
    for row in sql.all(db).await? {
        let key: Key = (get(&row, "team_id")?, get(&row, "agent_id")?, get(&row, "service")?, get(&row, "bucket")?);
        let counts = groups.entry(key).or_default();
        counts.returns_closed_in_time = count(&row, "closed_in_time")?;
        counts.returns_open = count(&row, "still_open")?;
        counts.returns_overdue = count(&row, "overdue")?;
        counts.returns_recared_in_time = count(&row, "recared_in_time")?;
        counts.returns_verified_in_time = count(&row, "verified_in_time")?;
        counts.returns_verify_overdue = count(&row, "verify_overdue")?;
    }

    let (users, teams) = names(db).await?;
    let mut totals = F19Counts::default();
    let mut rows: Vec<F19Row> = groups
        .into_iter()
        .map(|((team_id, agent_id, service, bucket), counts)| {
            totals.imported += counts.imported;
            totals.validated += counts.validated;
            totals.approved += counts.approved;
            totals.returned += counts.returned;
            totals.returns_closed_in_time += counts.returns_closed_in_time;
            totals.returns_open += counts.returns_open;
            totals.returns_overdue += counts.returns_overdue;
            totals.returns_recared_in_time += counts.returns_recared_in_time;
            totals.returns_verified_in_time += counts.returns_verified_in_time;
            totals.returns_verify_overdue += counts.returns_verify_overdue;
            let (username, name) = users.get(&agent_id).cloned().unwrap_or_default();
            F19Row {
                team_id: team_id.map(i64::from),
                team_name: team_id.and_then(|t| teams.get(&t).cloned()),
                agent_id: agent_id.into(),
                agent_username: username,
                agent_name: name,
                service: Service::parse(&service).unwrap_or(Service::Ct0),
                bucket: Bucket::parse(&bucket).unwrap_or(Bucket::N),
                counts: counts.with_rate(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.team_name.is_none(), &a.team_name, &a.agent_username, a.service, a.bucket).cmp(&(
            b.team_name.is_none(),
            &b.team_name,
            &b.agent_username,
            b.service,
            b.bucket,
        ))
    });
    Ok(F19Report {
        form_code: F19_CODE.into(),
        from: from.to_string(),
        to: to.to_string(),
        team_id: team.map(i64::from),
        generated_at: timestamp(at),
        rows,
        totals: totals.with_rate(),
    })
}

/// The names of users and teams by id, for reports.
async fn names(db: &impl ConnectionTrait) -> ApiResult<(HashMap<i32, (String, String)>, HashMap<i32, String>)> {
    let users = Sql::new("SELECT id, username, full_name FROM users").all(db).await?;
    let mut by_id = HashMap::new();
    for row in users {
        by_id.insert(get::<i32>(&row, "id")?, (get::<String>(&row, "username")?, get::<String>(&row, "full_name")?));
    }
    let teams = Sql::new("SELECT id, name FROM teams").all(db).await?;
    let mut team_names = HashMap::new();
    for row in teams {
        team_names.insert(get::<i32>(&row, "id")?, get::<String>(&row, "name")?);
    }
    Ok((by_id, team_names))
}
