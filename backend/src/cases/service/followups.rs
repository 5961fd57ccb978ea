//! W-03 follow-ups: the list (overdue first), one follow-up with its history, the agent's re-care
//! and QC's close or reopen (each a conditional update on status and version, with its step and
//! audit entry), and the badge counts. Overdue is computed when read: waiting for the agent
//! (open or reopened) past `due_at`.

use super::shared::{Sql, Who, count, get, visible};
use crate::db::{WriteTx, now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::paging;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Role;
use domain::api::Page;
use domain::cases::{
    self as rules, AgentFollowupCounts, Followup, FollowupAction, FollowupStatus, FollowupStep, FollowupSummary,
    RecareRequest, VerifyRequest,
};
use domain::documents::{Actor as RuleActor, Refusal};
use domain::problems::{Conflict, Problem};
use entity::followup_steps;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryResult};
use serde::Deserialize;
use serde_json::json;

/// Filters of `GET /api/followups`.
#[derive(Debug, Default, Deserialize)]
pub struct FollowupFilter {
    pub status: Option<String>,
    pub overdue: Option<bool>,
    pub agent_id: Option<i64>,
    pub team_id: Option<i64>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

const FOLLOWUP_COLUMNS: &str = "SELECT f.id, f.case_id, f.agent_id, u.username AS agent_username, u.full_name AS agent_name, \
    f.team_id, c.customer_no, c.customer_name, f.recommendation, f.status, f.opened_at, f.due_at, f.closed_at, f.last_comment, f.version \
    FROM followups f JOIN users u ON u.id = f.agent_id JOIN cases c ON c.id = f.case_id";

/// The SQL of "waiting for the agent past due" with `now` bound.
fn overdue_expr(sql: &mut Sql, at: DateTime<Utc>) -> String {
    let p = sql.bind(at);
    format!("(f.status IN ('open', 'reopened') AND f.due_at < {p})")
}

fn followup_from_row(row: &QueryResult, at: DateTime<Utc>) -> ApiResult<Followup> {
    let status = FollowupStatus::parse(&get::<String>(row, "status")?).unwrap_or(FollowupStatus::Open);
    let due: DateTime<Utc> = get(row, "due_at")?;
    let closed: Option<DateTime<Utc>> = get(row, "closed_at")?;
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
        last_comment: get(row, "last_comment")?,
        closed_at: closed.map(timestamp),
        closed_in_time: if status == FollowupStatus::Closed { closed.map(|c| c <= due) } else { None },
        history: Vec::new(),
        version: get::<i32>(row, "version")?.into(),
    })
}

pub async fn list_followups(state: &AppState, who: &Who, filter: &FollowupFilter) -> ApiResult<Page<Followup>> {
    let limit = paging::limit(filter.limit)?;
    let at = now();
    let mut sql = Sql::new(FOLLOWUP_COLUMNS);
    let overdue = overdue_expr(&mut sql, at);
    // Overdue first, then by due time: the rank leads the keyset.
    sql.text =
        sql.text.replacen("SELECT f.id,", &format!("SELECT CASE WHEN {overdue} THEN 0 ELSE 1 END AS rank, f.id,"), 1);
    sql.push(" WHERE 1 = 1");
    visible(&mut sql, who, "f").ok_or(ApiError::Forbidden)?;
    if let Some(text) = filter.status.as_deref().filter(|s| !s.is_empty()) {
        let status = FollowupStatus::parse(text).ok_or_else(|| ApiError::field("status", Problem::UnknownStatus))?;
        let p = sql.bind(status.as_str());
        sql.push(&format!(" AND f.status = {p}"));
    }
    if filter.overdue == Some(true) {
        let expr = overdue_expr(&mut sql, at);
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
        let expr = overdue_expr(&mut sql, at);
        let rank_sql = format!("(CASE WHEN {expr} THEN 0 ELSE 1 END)");
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
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    let mut sql = Sql::new(FOLLOWUP_COLUMNS);
    let p = sql.bind(id);
    sql.push(&format!(" WHERE f.id = {p}"));
    visible(&mut sql, who, "f").ok_or(ApiError::NotFound)?;
    let row = sql.one(db).await?.ok_or(ApiError::NotFound)?;
    let mut followup = followup_from_row(&row, now())?;
    let mut steps = Sql::new(
        "SELECT step, actor_name, at, note, recare_call_ref, recared_at FROM followup_steps WHERE followup_id = ",
    );
    let p = steps.bind(id);
    steps.push(&format!("{p} ORDER BY id"));
    for row in steps.all(db).await? {
        followup.history.push(FollowupStep {
            step: get(&row, "step")?,
            by: get(&row, "actor_name")?,
            at: timestamp(get(&row, "at")?),
            note: get(&row, "note")?,
            recare_call_ref: get(&row, "recare_call_ref")?,
            recared_at: get::<Option<DateTime<Utc>>>(&row, "recared_at")?.map(timestamp),
        });
    }
    Ok(followup)
}

pub async fn followup(state: &AppState, who: &Who, id: i64) -> ApiResult<Followup> {
    followup_in(&state.db.conn, who, id).await
}

fn followup_refusal(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotAllowed => ApiError::Forbidden,
        Refusal::WrongState => {
            ApiError::conflict(Conflict::WrongState, "the follow-up is not in a state where this step applies")
        }
    }
}

fn check_note(field: &str, value: &str, max: usize, required: bool) -> ApiResult<String> {
    let rule = domain::validation::TextRule { required, ..domain::validation::TextRule::free(max) };
    ApiError::checked(field, domain::validation::text(value, rule))?;
    Ok(value.trim().to_owned())
}

/// Moves a follow-up from `from` (at `version`) to `to`; 409 when someone else moved it first.
#[allow(clippy::too_many_arguments)]
async fn move_followup(
    txn: &WriteTx,
    id: i32,
    from: FollowupStatus,
    version: i64,
    to: FollowupStatus,
    at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    comment: Option<String>,
) -> ApiResult<()> {
    let mut sql = Sql::new("UPDATE followups SET status = ");
    let p_to = sql.bind(to.as_str());
    let p_at = sql.bind(at);
    let mut set = format!("{p_to}, version = version + 1, updated_at = {p_at}");
    if let Some(closed) = closed_at {
        let p = sql.bind(closed);
        set.push_str(&format!(", closed_at = {p}"));
    }
    if let Some(comment) = comment {
        let p = sql.bind(comment);
        set.push_str(&format!(", last_comment = {p}"));
    }
    let (p_id, p_from, p_version) = (sql.bind(id), sql.bind(from.as_str()), sql.bind(version as i32));
    sql.push(&format!("{set} WHERE id = {p_id} AND status = {p_from} AND version = {p_version}"));
    if sql.exec(&**txn).await? == 0 {
        return Err(ApiError::conflict(Conflict::StaleVersion, "the follow-up changed meanwhile; reload it"));
    }
    Ok(())
}

/// `POST /api/followups/{id}/recare`: the follow-up's own agent records the re-care.
pub async fn recare(state: &AppState, who: &Who, id: i64, body: RecareRequest) -> ApiResult<Followup> {
    recare_at(state, who, id, body, now()).await
}

pub async fn recare_at(
    state: &AppState,
    who: &Who,
    id: i64,
    body: RecareRequest,
    at: DateTime<Utc>,
) -> ApiResult<Followup> {
    let note = check_note("note", &body.note, domain::limits::TEXT_MAX, true)?;
    let call_ref = check_note("recare_call_ref", &body.recare_call_ref, 100, true)?;
    let recared_at = DateTime::parse_from_rfc3339(body.recared_at.trim())
        .map_err(|_| ApiError::field("recared_at", Problem::InvalidTimestamp))?
        .with_timezone(&Utc);
    if recared_at > at + chrono::Duration::minutes(5) {
        return Err(ApiError::field("recared_at", Problem::InTheFuture));
    }
    let txn = state.db.write().await?;
    let current = followup_in(&*txn, who, id).await?;
    // Only the follow-up's own agent re-cares; to anyone else who sees it, it is not theirs.
    if who.role == Role::Agent && current.agent_id != i64::from(who.id) {
        return Err(ApiError::NotFound);
    }
    let next = rules::followup_transition(current.status, FollowupAction::Recare, RuleActor::User(who.role))
        .map_err(followup_refusal)?;
    // Compared at the precision the client sent: a re-care stamped in the RETURN's own second
    // (or minute, as the browser's form sends it) is not before it.
    let unit = rules::sent_precision_micros(body.recared_at.trim());
    let opened = DateTime::parse_from_rfc3339(&current.opened_at).map(|d| d.timestamp_micros()).ok();
    if let Some(opened) = opened
        && recared_at.timestamp_micros() < opened - opened.rem_euclid(unit)
    {
        return Err(ApiError::field("recared_at", Problem::BeforeTheReturn));
    }
    move_followup(&txn, id as i32, current.status, current.version, next, at, None, None).await?;
    add_step(&txn, id as i32, next.as_str(), who, at, Some(note.clone()), Some(call_ref.clone()), Some(recared_at))
        .await?;
    who.audit(&txn, "followup.recared", "followup", id.to_string(), json!({ "case_id": current.case_id, "note": note, "recare_call_ref": call_ref, "recared_at": timestamp(recared_at) })).await?;
    let view = followup_in(&*txn, who, id).await?;
    txn.commit().await?;
    Ok(view)
}

/// `POST /api/followups/{id}/verify`: QC closes, or reopens with a comment.
pub async fn verify(state: &AppState, who: &Who, id: i64, body: VerifyRequest) -> ApiResult<Followup> {
    verify_at(state, who, id, body, now()).await
}

pub async fn verify_at(
    state: &AppState,
    who: &Who,
    id: i64,
    body: VerifyRequest,
    at: DateTime<Utc>,
) -> ApiResult<Followup> {
    if !domain::can(who.role, domain::Action::VerifyFollowups) {
        return Err(ApiError::Forbidden);
    }
    let action = match body.decision.as_str() {
        "close" => FollowupAction::Close,
        "reopen" => FollowupAction::Reopen,
        _ => return Err(ApiError::field("decision", Problem::UnknownDecision)),
    };
    let comment = check_note("comment", &body.comment, domain::limits::TEXT_MAX, action == FollowupAction::Reopen)?;
    let txn = state.db.write().await?;
    let current = followup_in(&*txn, who, id).await?;
    let next =
        rules::followup_transition(current.status, action, RuleActor::User(who.role)).map_err(followup_refusal)?;
    let comment = (!comment.is_empty()).then_some(comment);
    let closed_at = (next == FollowupStatus::Closed).then_some(at);
    let last_comment = if next == FollowupStatus::Reopened { comment.clone() } else { None };
    move_followup(&txn, id as i32, current.status, current.version, next, at, closed_at, last_comment).await?;
    add_step(&txn, id as i32, next.as_str(), who, at, comment.clone(), None, None).await?;
    who.audit(
        &txn,
        if next == FollowupStatus::Closed { "followup.closed" } else { "followup.reopened" },
        "followup",
        id.to_string(),
        json!({ "case_id": current.case_id, "comment": comment }),
    )
    .await?;
    let view = followup_in(&*txn, who, id).await?;
    txn.commit().await?;
    Ok(view)
}

/// `GET /api/followups/summary`: counts for the caller's badge, and per agent for team leaders
/// and QC. Cheap enough to poll: one grouped query over the caller's follow-ups that are not
/// closed, plus the latest change.
pub async fn summary(state: &AppState, who: &Who) -> ApiResult<FollowupSummary> {
    let at = now();
    let db = &state.db.conn;
    let mut sql = Sql::new("SELECT f.agent_id, u.username, u.full_name, f.team_id, ");
    let overdue = overdue_expr(&mut sql, at);
    sql.push(&format!(
        "SUM(CASE WHEN f.status IN ('open', 'reopened') THEN 1 ELSE 0 END) AS open, \
         SUM(CASE WHEN f.status = 'recared' THEN 1 ELSE 0 END) AS recared, \
         SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END) AS overdue, \
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
            oldest_open_at: get::<Option<DateTime<Utc>>>(&row, "oldest")?.map(timestamp),
        };
        result.open += counts.open;
        result.recared += counts.recared;
        result.overdue += counts.overdue;
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

#[allow(clippy::too_many_arguments)]
pub(super) async fn add_step(
    txn: &WriteTx,
    followup_id: i32,
    step: &str,
    who: &Who,
    at: DateTime<Utc>,
    note: Option<String>,
    recare_call_ref: Option<String>,
    recared_at: Option<DateTime<Utc>>,
) -> ApiResult<()> {
    followup_steps::Entity::insert(followup_steps::ActiveModel {
        followup_id: Set(followup_id),
        step: Set(step.into()),
        actor_id: Set(Some(who.id)),
        actor_name: Set(who.name.clone()),
        at: Set(at),
        note: Set(note),
        recare_call_ref: Set(recare_call_ref),
        recared_at: Set(recared_at),
        ..Default::default()
    })
    .exec_without_returning(&**txn)
    .await?;
    Ok(())
}
