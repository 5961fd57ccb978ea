//! W-03 follow-ups read: the list (the agent's overdue first, then QC's), one follow-up with its
//! history, and the badge counts. Overdue and verification overdue are computed when read (see
//! `deadlines`); the re-care and QC's verification are in `followup_actions`.

use super::deadlines::{awaits_agent, count_columns, overdue_expr, rank_expr, verify_overdue_expr};
use super::shared::{CASE_TABLE, FOLLOWUP_TABLE, fetch, fetch_one, visible};
use crate::auth::AuthUser;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::paging;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Role;
use domain::api::Page;
use domain::cases::{AgentFollowupCounts, Followup, FollowupFilter, FollowupStatus, FollowupStep, FollowupSummary};
use entity::{cases, followup_steps, followups, users};
use sea_orm::sea_query::{Condition, Expr, Func, JoinType, Order, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, FromQueryResult, QueryFilter, QueryOrder};

pub(super) use super::followup_actions::add_step;

/// A follow-up as it is read, with its agent's names and its case's customer.
#[derive(Debug, FromQueryResult)]
struct FollowupRow {
    id: i32,
    case_id: i32,
    agent_id: i32,
    agent_username: String,
    agent_name: String,
    team_id: Option<i32>,
    customer_no: String,
    customer_name: String,
    recommendation: String,
    status: FollowupStatus,
    opened_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    last_comment: Option<String>,
    verify_due_at: Option<DateTime<Utc>>,
    late_recares: i32,
    late_verifications: i32,
    version: i32,
}

/// The list's row: a [`FollowupRow`] and its rank.
#[derive(Debug, FromQueryResult)]
struct RankedRow {
    rank: i32,
    #[sea_orm(nested)]
    row: FollowupRow,
}

/// The alias of the follow-up's agent in the queries here.
const AGENT: &str = "u";

/// The join of the follow-ups `f` to their agent ([`AGENT`]).
fn agent_of_followup() -> Expr {
    Expr::col((AGENT, users::Column::Id)).equals((FOLLOWUP_TABLE, followups::Column::AgentId))
}

/// The query of [`FollowupRow`]s: follow-ups `f` with their agent `u` and case `c`.
fn followup_rows() -> SelectStatement {
    let (f, c) = (FOLLOWUP_TABLE, CASE_TABLE);
    let mut query = Query::select();
    query
        .columns(
            [followups::Column::Id, followups::Column::CaseId, followups::Column::AgentId].map(|column| (f, column)),
        )
        .expr_as(Expr::col(("u", users::Column::Username)), "agent_username")
        .expr_as(Expr::col(("u", users::Column::FullName)), "agent_name")
        .column((f, followups::Column::TeamId))
        .columns([cases::Column::CustomerNo, cases::Column::CustomerName].map(|column| (c, column)))
        .columns(
            [
                followups::Column::Recommendation,
                followups::Column::Status,
                followups::Column::OpenedAt,
                followups::Column::DueAt,
                followups::Column::ClosedAt,
                followups::Column::LastComment,
                followups::Column::VerifyDueAt,
                followups::Column::LateRecares,
                followups::Column::LateVerifications,
                followups::Column::Version,
            ]
            .map(|column| (f, column)),
        )
        .from_as(followups::Entity, f)
        .join_as(JoinType::InnerJoin, users::Entity, AGENT, agent_of_followup())
        .join_as(
            JoinType::InnerJoin,
            cases::Entity,
            c,
            Expr::col((c, cases::Column::Id)).equals((f, followups::Column::CaseId)),
        );
    query
}

/// The caller's visibility on the follow-ups `f`.
fn visible_followups(who: &AuthUser) -> Option<Condition> {
    visible(who, (FOLLOWUP_TABLE, followups::Column::AgentId), (FOLLOWUP_TABLE, followups::Column::TeamId))
}

fn followup_from_row(row: FollowupRow, at: DateTime<Utc>) -> Followup {
    let status = row.status;
    let late_recares = u64::try_from(row.late_recares).unwrap_or(0);
    let late_verifications = u64::try_from(row.late_verifications).unwrap_or(0);
    let verify_due = row.verify_due_at.filter(|_| status.awaits_qc());
    Followup {
        id: row.id.into(),
        case_id: row.case_id.into(),
        agent_id: row.agent_id.into(),
        agent_username: row.agent_username,
        agent_name: row.agent_name,
        team_id: row.team_id.map(i64::from),
        customer_no: row.customer_no,
        customer_name: row.customer_name,
        recommendation: row.recommendation,
        status,
        opened_at: timestamp(row.opened_at),
        due_at: timestamp(row.due_at),
        overdue: status.awaits_agent() && row.due_at < at,
        verify_due_at: verify_due.map(timestamp),
        verify_overdue: verify_due.is_some_and(|v| v < at),
        late_recares,
        late_verifications,
        last_comment: row.last_comment,
        closed_at: row.closed_at.map(timestamp),
        closed_in_time: (status == FollowupStatus::Closed).then_some(late_recares == 0 && late_verifications == 0),
        history: Vec::new(),
        version: row.version.into(),
    }
}

pub async fn list_followups(state: &AppState, who: &AuthUser, filter: &FollowupFilter) -> ApiResult<Page<Followup>> {
    list_followups_at(state, who, filter, now()).await
}

/// The list as it stands at `at` (what is overdue is read against it).
pub async fn list_followups_at(
    state: &AppState,
    who: &AuthUser,
    filter: &FollowupFilter,
    at: DateTime<Utc>,
) -> ApiResult<Page<Followup>> {
    let limit = paging::limit(filter.limit)?;
    let f = FOLLOWUP_TABLE;
    let mut query = followup_rows();
    // The agent's overdue first, then QC's, then by due time: the rank leads the keyset.
    query.expr_as(rank_expr(at), "rank");
    query.cond_where(visible_followups(who).ok_or(ApiError::Forbidden)?);
    if let Some(status) = filter.status {
        query.and_where(Expr::col((f, followups::Column::Status)).eq(status));
    }
    if filter.open == Some(true) {
        query.and_where(awaits_agent());
    }
    if filter.overdue == Some(true) {
        query.and_where(overdue_expr(at));
    }
    if filter.verify_overdue == Some(true) {
        query.and_where(verify_overdue_expr(at));
    }
    if let Some(agent) = filter.agent_id {
        query.and_where(Expr::col((f, followups::Column::AgentId)).eq(agent));
    }
    if let Some(team) = filter.team_id {
        query.and_where(Expr::col((f, followups::Column::TeamId)).eq(team));
    }
    if let Some(cursor) = &filter.cursor {
        let (rank, due, id) = paging::decode::<(i64, DateTime<Utc>, i64)>(cursor)?;
        let (due_at, followup_id) = (Expr::col((f, followups::Column::DueAt)), Expr::col((f, followups::Column::Id)));
        let later = Condition::any().add(due_at.clone().gt(due)).add(due_at.eq(due).and(followup_id.gt(id)));
        query.cond_where(
            Condition::any().add(rank_expr(at).gt(rank)).add(Condition::all().add(rank_expr(at).eq(rank)).add(later)),
        );
    }
    query
        .order_by("rank", Order::Asc)
        .order_by((f, followups::Column::DueAt), Order::Asc)
        .order_by((f, followups::Column::Id), Order::Asc)
        .limit(limit + 1);
    let rows: Vec<RankedRow> = fetch(&state.db.conn, &query).await?;
    let cut = paging::cut(rows, limit, |r| (i64::from(r.rank), r.row.due_at, i64::from(r.row.id)));
    Ok(cut.page(|r| followup_from_row(r.row, at)))
}

/// One follow-up the caller may see, with its history (others: 404).
pub async fn followup_in(db: &impl ConnectionTrait, who: &AuthUser, id: i64) -> ApiResult<Followup> {
    followup_in_at(db, who, id, now()).await
}

/// [`followup_in`] as it stands at `at`.
pub async fn followup_in_at(
    db: &impl ConnectionTrait,
    who: &AuthUser,
    id: i64,
    at: DateTime<Utc>,
) -> ApiResult<Followup> {
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    let mut query = followup_rows();
    query.and_where(Expr::col((FOLLOWUP_TABLE, followups::Column::Id)).eq(id));
    query.cond_where(visible_followups(who).ok_or(ApiError::NotFound)?);
    let row: FollowupRow = fetch_one(db, &query).await?.ok_or(ApiError::NotFound)?;
    let mut followup = followup_from_row(row, at);
    let steps = followup_steps::Entity::find()
        .filter(followup_steps::Column::FollowupId.eq(id))
        .order_by_asc(followup_steps::Column::Id)
        .all(db)
        .await?;
    followup.history = steps
        .into_iter()
        .map(|step| FollowupStep {
            step: step.step,
            by: step.actor_name,
            at: timestamp(step.at),
            note: step.note,
            recare_call_ref: step.recare_call_ref,
            recared_at: step.recared_at.map(timestamp),
            due_at: step.due_at.map(timestamp),
            verify_due_at: step.verify_due_at.map(timestamp),
            promise_date: step.promise_date,
        })
        .collect();
    Ok(followup)
}

pub async fn followup(state: &AppState, who: &AuthUser, id: i64) -> ApiResult<Followup> {
    followup_in(&state.db.conn, who, id).await
}

/// `GET /api/followups/summary`: counts for the caller's badge, and per agent for team leaders
/// and QC. Cheap enough to poll: one grouped query over the caller's follow-ups that are not
/// closed, plus the latest change.
pub async fn summary(state: &AppState, who: &AuthUser) -> ApiResult<FollowupSummary> {
    summary_at(state, who, now()).await
}

/// One agent's row of the summary.
#[derive(FromQueryResult)]
struct AgentCounts {
    agent_id: i32,
    username: String,
    full_name: String,
    team_id: Option<i32>,
    open: Option<i64>,
    recared: Option<i64>,
    overdue: Option<i64>,
    verify_overdue: Option<i64>,
    oldest: Option<DateTime<Utc>>,
}

#[derive(FromQueryResult)]
struct LatestChange {
    changed: Option<DateTime<Utc>>,
}

/// A SUM's value as a count (NULL for no rows).
pub fn counted(sum: Option<i64>) -> u64 {
    u64::try_from(sum.unwrap_or(0)).unwrap_or(0)
}

/// [`summary`] as it stands at `at`.
pub async fn summary_at(state: &AppState, who: &AuthUser, at: DateTime<Utc>) -> ApiResult<FollowupSummary> {
    let db = &state.db.conn;
    let f = FOLLOWUP_TABLE;
    let visibility = visible_followups(who).ok_or(ApiError::Forbidden)?;
    let mut query = Query::select();
    query
        .column((f, followups::Column::AgentId))
        .columns([users::Column::Username, users::Column::FullName].map(|column| ("u", column)))
        .column((f, followups::Column::TeamId));
    count_columns(&mut query, at);
    query
        .expr_as(Func::min(Expr::case(awaits_agent(), Expr::col((f, followups::Column::OpenedAt)))), "oldest")
        .from_as(followups::Entity, f)
        .join_as(JoinType::InnerJoin, users::Entity, AGENT, agent_of_followup())
        .and_where(crate::cases::service::deadlines::not_closed())
        .cond_where(visibility.clone())
        .group_by_col((f, followups::Column::AgentId))
        .group_by_col(("u", users::Column::Username))
        .group_by_col(("u", users::Column::FullName))
        .group_by_col((f, followups::Column::TeamId))
        .order_by(("u", users::Column::Username), Order::Asc);
    let mut result = FollowupSummary::default();
    for row in fetch::<AgentCounts>(db, &query).await? {
        let counts = AgentFollowupCounts {
            agent_id: row.agent_id.into(),
            agent_username: row.username,
            agent_name: row.full_name,
            team_id: row.team_id.map(i64::from),
            open: counted(row.open),
            recared: counted(row.recared),
            overdue: counted(row.overdue),
            verify_overdue: counted(row.verify_overdue),
            oldest_open_at: row.oldest.map(timestamp),
        };
        result.open += counts.open;
        result.recared += counts.recared;
        result.overdue += counts.overdue;
        result.verify_overdue += counts.verify_overdue;
        if who.role != Role::Agent {
            result.per_agent.push(counts);
        }
    }
    let latest = Query::select()
        .expr_as(Func::max(Expr::col((f, followups::Column::UpdatedAt))), "changed")
        .from_as(followups::Entity, f)
        .cond_where(visibility)
        .to_owned();
    if let Some(row) = fetch_one::<LatestChange>(db, &latest).await? {
        result.changed_at = row.changed.map(timestamp);
    }
    Ok(result)
}
