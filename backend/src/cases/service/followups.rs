//! W-03 follow-ups read: the list (the agent's overdue first, then QC's), one follow-up with its
//! history, and the badge counts. Overdue and verification overdue are computed when read (see
//! `deadlines`); the re-care and QC's verification are in `followup_actions`.

use super::deadlines::{count_columns, overdue_expr, rank_expr, verify_overdue_expr};
use super::shared::{Sql, Who, count, get, visible};
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::paging;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Role;
use domain::api::Page;
use domain::cases::{AgentFollowupCounts, Followup, FollowupStatus, FollowupStep, FollowupSummary};
use domain::problems::Problem;
use sea_orm::{ConnectionTrait, QueryResult};
use serde::Deserialize;

pub(super) use super::followup_actions::add_step;

/// Filters of `GET /api/followups`.
#[derive(Debug, Default, Deserialize)]
pub struct FollowupFilter {
    pub status: Option<String>,
    /// Waiting for the agent (open or reopened): what an agent's inbox counts.
    pub open: Option<bool>,
    /// Waiting for the agent past the due date.
    pub overdue: Option<bool>,
    /// Waiting for QC past its deadline.
    pub verify_overdue: Option<bool>,
    pub agent_id: Option<i64>,
    pub team_id: Option<i64>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

const FOLLOWUP_COLUMNS: &str = "SELECT f.id, f.case_id, f.agent_id, u.username AS agent_username, u.full_name AS agent_name, \
    f.team_id, c.customer_no, c.customer_name, f.recommendation, f.status, f.opened_at, f.due_at, f.closed_at, f.last_comment, \
    f.verify_due_at, f.late_recares, f.late_verifications, f.version \
    FROM followups f JOIN users u ON u.id = f.agent_id JOIN cases c ON c.id = f.case_id";

fn followup_from_row(row: &QueryResult, at: DateTime<Utc>) -> ApiResult<Followup> {
    let status = get::<String>(row, "status")?.parse().unwrap_or(FollowupStatus::Open);
    let due: DateTime<Utc> = get(row, "due_at")?;
    let closed: Option<DateTime<Utc>> = get(row, "closed_at")?;
    let verify_due: Option<DateTime<Utc>> = get(row, "verify_due_at")?;
    let late_recares = u64::try_from(get::<i32>(row, "late_recares")?).unwrap_or(0);
    let late_verifications = u64::try_from(get::<i32>(row, "late_verifications")?).unwrap_or(0);
    let verify_due = verify_due.filter(|_| status.awaits_qc());
    Ok(Followup {
        id: get::<i32>(row, "id")?.into(),
        case_id: get::<i32>(row, "case_id")?.into(),
        agent_id: get::<i32>(row, "agent_id")?.into(),
        agent_username: get(row, "agent_username")?,
        agent_name: get(row, "agent_name")?,
        team_id: get::<Option<i32>>(row, "team_id")?.map(i64::from),
        customer_no: get(row, "customer_no")?,
        customer_name: get(row, "customer_name")?,
        recommendation: get(row, "recommendation")?,
        status,
        opened_at: timestamp(get(row, "opened_at")?),
        due_at: timestamp(due),
        overdue: status.awaits_agent() && due < at,
        verify_due_at: verify_due.map(timestamp),
        verify_overdue: verify_due.is_some_and(|v| v < at),
        late_recares,
        late_verifications,
        last_comment: get(row, "last_comment")?,
        closed_at: closed.map(timestamp),
        closed_in_time: (status == FollowupStatus::Closed).then_some(late_recares == 0 && late_verifications == 0),
        history: Vec::new(),
        version: get::<i32>(row, "version")?.into(),
    })
}

pub async fn list_followups(state: &AppState, who: &Who, filter: &FollowupFilter) -> ApiResult<Page<Followup>> {
    list_followups_at(state, who, filter, now()).await
}

/// The list as it stands at `at` (what is overdue is read against it).
pub async fn list_followups_at(
    state: &AppState,
    who: &Who,
    filter: &FollowupFilter,
    at: DateTime<Utc>,
) -> ApiResult<Page<Followup>> {
    let limit = paging::limit(filter.limit)?;
    let mut sql = Sql::new(FOLLOWUP_COLUMNS);
    let rank = rank_expr(&mut sql, at);
    // The agent's overdue first, then QC's, then by due time: the rank leads the keyset.
    sql.text = sql.text.replacen("SELECT f.id,", &format!("SELECT {rank} AS rank, f.id,"), 1);
    sql.push(" WHERE 1 = 1");
    visible(&mut sql, who, "f").ok_or(ApiError::Forbidden)?;
    if let Some(text) = filter.status.as_deref().filter(|s| !s.is_empty()) {
        let status: FollowupStatus = text.parse().map_err(|_| ApiError::field("status", Problem::UnknownStatus))?;
        let p = sql.bind(status.as_str());
        sql.push(&format!(" AND f.status = {p}"));
    }
    if filter.open == Some(true) {
        sql.push(" AND f.status IN ('open', 'reopened')");
    }
    if filter.overdue == Some(true) {
        let expr = overdue_expr(&mut sql, at);
        sql.push(&format!(" AND {expr}"));
    }
    if filter.verify_overdue == Some(true) {
        let expr = verify_overdue_expr(&mut sql, at);
        sql.push(&format!(" AND {expr}"));
    }
    if let Some(agent) = filter.agent_id {
        let agent = i32::try_from(agent).map_err(|_| ApiError::field("agent_id", Problem::OutOfRange))?;
        let p = sql.bind(agent);
        sql.push(&format!(" AND f.agent_id = {p}"));
    }
    if let Some(team) = filter.team_id {
        let team = i32::try_from(team).map_err(|_| ApiError::field("team_id", Problem::OutOfRange))?;
        let p = sql.bind(team);
        sql.push(&format!(" AND f.team_id = {p}"));
    }
    if let Some(cursor) = &filter.cursor {
        let (rank, due, id) = paging::decode::<(i64, DateTime<Utc>, i64)>(cursor)?;
        let rank_sql = rank_expr(&mut sql, at);
        let (r1, r2, d1, d2, i) = (sql.bind(rank), sql.bind(rank), sql.bind(due), sql.bind(due), sql.bind(id));
        sql.push(&format!(
            " AND ({rank_sql} > {r1} OR ({rank_sql} = {r2} AND (f.due_at > {d1} OR (f.due_at = {d2} AND f.id > {i}))))"
        ));
    }
    sql.push(&format!(" ORDER BY rank, f.due_at, f.id LIMIT {}", limit + 1));
    let page = paging::try_cut(sql.all(&state.db.conn).await?, limit, |row| {
        Ok((
            i64::from(get::<i32>(row, "rank")?),
            get::<DateTime<Utc>>(row, "due_at")?,
            i64::from(get::<i32>(row, "id")?),
        ))
    })?;
    let items = page.rows.iter().map(|row| followup_from_row(row, at)).collect::<ApiResult<Vec<_>>>()?;
    Ok(Page { items, next_cursor: page.next_cursor })
}

/// One follow-up the caller may see, with its history (others: 404).
pub async fn followup_in(db: &impl ConnectionTrait, who: &Who, id: i64) -> ApiResult<Followup> {
    followup_in_at(db, who, id, now()).await
}

/// [`followup_in`] as it stands at `at`.
pub async fn followup_in_at(db: &impl ConnectionTrait, who: &Who, id: i64, at: DateTime<Utc>) -> ApiResult<Followup> {
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    let mut sql = Sql::new(FOLLOWUP_COLUMNS);
    let p = sql.bind(id);
    sql.push(&format!(" WHERE f.id = {p}"));
    visible(&mut sql, who, "f").ok_or(ApiError::NotFound)?;
    let row = sql.one(db).await?.ok_or(ApiError::NotFound)?;
    let mut followup = followup_from_row(&row, at)?;
    let mut steps = Sql::new(
        "SELECT step, actor_name, at, note, recare_call_ref, recared_at, due_at, verify_due_at, promise_date FROM followup_steps \
         WHERE followup_id = ",
    );
    let p = steps.bind(id);
    steps.push(&format!("{p} ORDER BY id"));
    for row in steps.all(db).await? {
        let instant = |column: &str| get::<Option<DateTime<Utc>>>(&row, column).map(|t| t.map(timestamp));
        followup.history.push(FollowupStep {
            step: get(&row, "step")?,
            by: get(&row, "actor_name")?,
            at: timestamp(get(&row, "at")?),
            note: get(&row, "note")?,
            recare_call_ref: get(&row, "recare_call_ref")?,
            recared_at: instant("recared_at")?,
            due_at: instant("due_at")?,
            verify_due_at: instant("verify_due_at")?,
            promise_date: get(&row, "promise_date")?,
        });
    }
    Ok(followup)
}

pub async fn followup(state: &AppState, who: &Who, id: i64) -> ApiResult<Followup> {
    followup_in(&state.db.conn, who, id).await
}

/// `GET /api/followups/summary`: counts for the caller's badge, and per agent for team leaders
/// and QC. Cheap enough to poll: one grouped query over the caller's follow-ups that are not
/// closed, plus the latest change.
pub async fn summary(state: &AppState, who: &Who) -> ApiResult<FollowupSummary> {
    summary_at(state, who, now()).await
}

/// [`summary`] as it stands at `at`.
pub async fn summary_at(state: &AppState, who: &Who, at: DateTime<Utc>) -> ApiResult<FollowupSummary> {
    let db = &state.db.conn;
    let mut sql = Sql::new("SELECT f.agent_id, u.username, u.full_name, f.team_id, ");
    let counts = count_columns(&mut sql, at);
    sql.push(&format!(
        "{counts}, \
         MIN(CASE WHEN f.status IN ('open', 'reopened') THEN f.opened_at END) AS oldest \
         FROM followups f JOIN users u ON u.id = f.agent_id WHERE f.status <> 'closed'"
    ));
    visible(&mut sql, who, "f").ok_or(ApiError::Forbidden)?;
    sql.push(" GROUP BY f.agent_id, u.username, u.full_name, f.team_id ORDER BY u.username");
    let mut result = FollowupSummary::default();
    for row in sql.all(db).await? {
        let counts = AgentFollowupCounts {
            agent_id: get::<i32>(&row, "agent_id")?.into(),
            agent_username: get(&row, "username")?,
            agent_name: get(&row, "full_name")?,
            team_id: get::<Option<i32>>(&row, "team_id")?.map(i64::from),
            open: count(&row, "open")?,
            recared: count(&row, "recared")?,
            overdue: count(&row, "overdue")?,
            verify_overdue: count(&row, "verify_overdue")?,
            oldest_open_at: get::<Option<DateTime<Utc>>>(&row, "oldest")?.map(timestamp),
        };
        result.open += counts.open;
        result.recared += counts.recared;
        result.overdue += counts.overdue;
        result.verify_overdue += counts.verify_overdue;
        if who.role != Role::Agent {
            result.per_agent.push(counts);
        }
    }
    let mut latest = Sql::new("SELECT MAX(f.updated_at) AS changed FROM followups f WHERE 1 = 1");
    visible(&mut latest, who, "f");
    if let Some(row) = latest.one(db).await? {
        result.changed_at = get::<Option<DateTime<Utc>>>(&row, "changed")?.map(timestamp);
    }
    Ok(result)
}
