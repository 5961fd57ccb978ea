//! The F-19 report (*Form Pelaporan Hasil Validasi Agree*) as JSON, XLSX and CSV, and the
//! reconciliation lists. Counts come from SQL aggregates grouped by team, agent, service and
//! bucket over the period's calls (the covering index `idx_cases_report`); follow-up counts from
//! a second aggregate over the period's RETURNs. Rows are never loaded one by one. The agent's
//! punctuality (every re-care by the due date of its round) and QC's (every verification by its
//! deadline) are counted apart, from the late counts each follow-up keeps.
//!
//! This file builds the report; `export` writes it as CSV or XLSX (with `case_rows`, the workbook's
//! per-case sheet), and `reconciliation` lists what needs a second look.

mod case_rows;
mod export;
mod reconciliation;

pub use export::{csv, file_name, xlsx};
pub use reconciliation::reconciliation;

use crate::auth::AuthUser;
use crate::cases::service::deadlines::{how_many, overdue_expr, verify_overdue_expr};
use crate::cases::service::{CASE_TABLE, FOLLOWUP_TABLE, counted, fetch, stored};
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::site_time::{self, parse_day, site_date};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Role;
use domain::cases::{Bucket, CaseStatus, F19_CODE, F19Counts, F19Query, F19Report, F19Row, FollowupStatus, Service};
use domain::dates::Date;
use domain::problems::Problem;
use entity::{cases, disposed_records, followups, teams, users};
use sea_orm::sea_query::{Asterisk, Expr, Func, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, EntityTrait, ExprTrait, FromQueryResult, QuerySelect};
use std::collections::{BTreeMap, HashMap};

pub const F19_TITLE: &str = "Form Pelaporan Hasil Validasi Agree";

/// The period asked for, or the current month up to today (site days); at most three years.
/// The keep-rate report reads its period by the same rule.
pub(crate) fn dates(state: &AppState, from: Option<&str>, to: Option<&str>) -> ApiResult<(Date, Date)> {
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

type Key = (Option<i32>, i32, Service, Bucket);

/// One group's case counts.
#[derive(FromQueryResult)]
struct CaseCounts {
    team_id: Option<i32>,
    agent_id: i32,
    service: Service,
    bucket: Bucket,
    imported: Option<i64>,
    validated: Option<i64>,
    approved: Option<i64>,
    returned: Option<i64>,
}

/// One group's follow-up counts.
#[derive(FromQueryResult)]
struct ReturnCounts {
    team_id: Option<i32>,
    agent_id: i32,
    service: Service,
    bucket: Bucket,
    closed_in_time: Option<i64>,
    recared_in_time: Option<i64>,
    verified_in_time: Option<i64>,
    still_open: Option<i64>,
    overdue: Option<i64>,
    verify_overdue: Option<i64>,
}

/// One group's records disposed of (their tombstones).
#[derive(FromQueryResult)]
struct DisposedCounts {
    team_id: Option<i32>,
    agent_id: Option<i32>,
    service: Option<Service>,
    bucket: Option<Bucket>,
    n: Option<i64>,
    approved: Option<i64>,
    returned: Option<i64>,
    closed_in_time: Option<i64>,
    recared_in_time: Option<i64>,
    verified_in_time: Option<i64>,
}

/// The cases `c` of the period (and team), grouped by team, agent, service and bucket: what
/// `idx_cases_report` answers from the index alone.
fn grouped(query: &mut SelectStatement, (start, end): (DateTime<Utc>, DateTime<Utc>), team: Option<i32>) {
    let c = CASE_TABLE;
    let key = [cases::Column::TeamId, cases::Column::AgentId, cases::Column::Service, cases::Column::Bucket];
    query
        .and_where(Expr::col((c, cases::Column::CallAt)).gte(start))
        .and_where(Expr::col((c, cases::Column::CallAt)).lt(end))
        .and_where_option(team.map(|t| Expr::col((c, cases::Column::TeamId)).eq(t)))
        .group_by_columns(key.map(|column| (c, column)));
}

pub async fn f19(state: &AppState, who: &AuthUser, query: &F19Query) -> ApiResult<F19Report> {
    if !domain::can(who.role, domain::Action::ViewF19Report) {
        return Err(ApiError::Forbidden);
    }
    let (from, to) = dates(state, query.from.as_deref(), query.to.as_deref())?;
    let mut team = query.team_id;
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

    let (c, f) = (CASE_TABLE, FOLLOWUP_TABLE);
    let key = [cases::Column::TeamId, cases::Column::AgentId, cases::Column::Service, cases::Column::Bucket];
    let status = || Expr::col((c, cases::Column::Status));
    let mut query = Query::select();
    query
        .columns(key.map(|column| (c, column)))
        .expr_as(Func::count(Expr::col(Asterisk)), "imported")
        .expr_as(how_many(status().ne(stored(CaseStatus::Pending))), "validated")
        .expr_as(how_many(status().eq(stored(CaseStatus::Approved))), "approved")
        .expr_as(how_many(status().eq(stored(CaseStatus::Returned))), "returned")
        .from_as(cases::Entity, c);
    grouped(&mut query, (start, end), team);
    let mut groups: BTreeMap<Key, F19Counts> = BTreeMap::new();
    for row in fetch::<CaseCounts>(db, &query).await? {
        groups.insert(
            (row.team_id, row.agent_id, row.service, row.bucket),
            F19Counts {
                imported: counted(row.imported),
                validated: counted(row.validated),
                approved: counted(row.approved),
                returned: counted(row.returned),
                ..Default::default()
            },
        );
    }

    let f_col = |column: followups::Column| Expr::col((f, column));
    let closed = || f_col(followups::Column::Status).eq(stored(FollowupStatus::Closed));
    let no_late_recare = || f_col(followups::Column::LateRecares).eq(0);
    let no_late_verification = || f_col(followups::Column::LateVerifications).eq(0);
    let mut query = Query::select();
    query
        .columns(key.map(|column| (c, column)))
        .expr_as(how_many(closed().and(no_late_recare()).and(no_late_verification())), "closed_in_time")
        .expr_as(how_many(closed().and(no_late_recare())), "recared_in_time")
        .expr_as(how_many(closed().and(no_late_verification())), "verified_in_time")
        .expr_as(how_many(f_col(followups::Column::Status).ne(stored(FollowupStatus::Closed))), "still_open")
        .expr_as(how_many(overdue_expr(at)), "overdue")
        .expr_as(how_many(verify_overdue_expr(at)), "verify_overdue")
        .from_as(followups::Entity, f)
        .join_as(
            JoinType::InnerJoin,
            cases::Entity,
            c,
            Expr::col((c, cases::Column::Id)).equals((f, followups::Column::CaseId)),
        );
    grouped(&mut query, (start, end), team);
    for row in fetch::<ReturnCounts>(db, &query).await? {
        let counts = groups.entry((row.team_id, row.agent_id, row.service, row.bucket)).or_default();
        counts.returns_closed_in_time = counted(row.closed_in_time);
        counts.returns_open = counted(row.still_open);
        counts.returns_overdue = counted(row.overdue);
        counts.returns_recared_in_time = counted(row.recared_in_time);
        counts.returns_verified_in_time = counted(row.verified_in_time);
        counts.returns_verify_overdue = counted(row.verify_overdue);
    }

    // Agrees disposed of at the end of their retention (issue 15): their tombstones keep what
    // this report counts, so the period's counts stay.
    let d = "d";
    let d_col = |column: disposed_records::Column| Expr::col((d, column));
    let d_key = [
        disposed_records::Column::TeamId,
        disposed_records::Column::AgentId,
        disposed_records::Column::Service,
        disposed_records::Column::Bucket,
    ];
    let mut query = Query::select();
    query
        .columns(d_key.map(|column| (d, column)))
        .expr_as(Func::count(Expr::col(Asterisk)), "n")
        .expr_as(how_many(d_col(disposed_records::Column::Approved).eq(true)), "approved")
        .expr_as(how_many(d_col(disposed_records::Column::Returned).eq(true)), "returned")
        .expr_as(how_many(d_col(disposed_records::Column::ClosedInTime).eq(true)), "closed_in_time")
        .expr_as(how_many(d_col(disposed_records::Column::RecaredInTime).eq(true)), "recared_in_time")
        .expr_as(how_many(d_col(disposed_records::Column::VerifiedInTime).eq(true)), "verified_in_time")
        .from_as(disposed_records::Entity, d)
        .and_where(d_col(disposed_records::Column::Form).eq(F19_CODE))
        .and_where(d_col(disposed_records::Column::CallAt).gte(start))
        .and_where(d_col(disposed_records::Column::CallAt).lt(end))
        .and_where_option(team.map(|t| d_col(disposed_records::Column::TeamId).eq(t)))
        .group_by_columns(d_key.map(|column| (d, column)));
    let mut disposed = 0;
    for row in fetch::<DisposedCounts>(db, &query).await? {
        let (Some(agent_id), Some(service), Some(bucket)) = (row.agent_id, row.service, row.bucket) else { continue };
        let n = counted(row.n);
        disposed += n;
        let counts = groups.entry((row.team_id, agent_id, service, bucket)).or_default();
        counts.imported += n;
        counts.validated += n;
        counts.approved += counted(row.approved);
        counts.returned += counted(row.returned);
        counts.returns_closed_in_time += counted(row.closed_in_time);
        counts.returns_recared_in_time += counted(row.recared_in_time);
        counts.returns_verified_in_time += counted(row.verified_in_time);
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
                service,
                bucket,
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
        disposed,
    })
}

/// The names of users and teams by id, for reports.
async fn names(db: &impl ConnectionTrait) -> ApiResult<(HashMap<i32, (String, String)>, HashMap<i32, String>)> {
    let users: Vec<(i32, String, String)> = users::Entity::find()
        .select_only()
        .columns([users::Column::Id, users::Column::Username, users::Column::FullName])
        .into_tuple()
        .all(db)
        .await?;
    let teams: Vec<(i32, String)> = teams::Entity::find()
        .select_only()
        .columns([teams::Column::Id, teams::Column::Name])
        .into_tuple()
        .all(db)
        .await?;
    Ok((users.into_iter().map(|(id, username, name)| (id, (username, name))).collect(), teams.into_iter().collect()))
}
