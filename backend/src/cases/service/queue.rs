//! Agree cases as the caller sees them: the list (`status=pending` is the validation queue,
//! oldest call first), one case, the pending count for the landing page, and the case row's SQL
//! and mapping, which the F-19 reconciliation reuses.

use super::checklist::wording_of;
use super::shared::{Sql, Who, count, get, visible};
use crate::db::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::paging;
use crate::site_time::period;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::api::Page;
use domain::cases::{
    Bucket, Case, CaseStatus, CaseSummary, Checklist, Service, Validation, ValidationResult, Visibility,
};
use domain::problems::Problem;
use sea_orm::{ConnectionTrait, QueryResult};
use serde::Deserialize;

/// Filters of `GET /api/cases`.
#[derive(Debug, Default, Deserialize)]
pub struct CaseFilter {
    pub status: Option<String>,
    pub agent_id: Option<i64>,
    pub team_id: Option<i64>,
    pub service: Option<String>,
    pub bucket: Option<String>,
    /// Calendar days of the call (site zone), inclusive.
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub to: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

pub const CASE_SELECT: &str = "SELECT c.id, c.customer_no, c.customer_name, c.service, c.bucket, c.bill_amount, c.agent_id, \
    u.username AS agent_username, u.full_name AS agent_name, c.team_id, c.call_at, c.reason, c.promise_date, c.recording_ref, \
    c.status, c.imported_at, v.id AS v_id, v.result AS v_result, v.identity_verified, v.amount_and_date_correct, \
    v.explicit_agreement, v.reason_matches, v.recommendation, v.qco_id, q.full_name AS qco_name, v.validated_at, \
    v.retain_until, v.evaluation_id, v.checklist_version, f.id AS f_id \
    FROM cases c JOIN users u ON u.id = c.agent_id \
    LEFT JOIN validations v ON v.case_id = c.id LEFT JOIN users q ON q.id = v.qco_id \
    LEFT JOIN followups f ON f.case_id = c.id";

pub fn case_from_row(row: &QueryResult) -> ApiResult<Case> {
    let validation = match get::<Option<i32>>(row, "v_id")? {
        Some(id) => Some(Validation {
            id: id.into(),
            result: get::<String>(row, "v_result")?.parse().unwrap_or(ValidationResult::Returned),
            checklist: Checklist {
                identity_verified: get(row, "identity_verified")?,
                amount_and_date_correct: get(row, "amount_and_date_correct")?,
                explicit_agreement: get(row, "explicit_agreement")?,
                reason_matches: get(row, "reason_matches")?,
            },
            recommendation: get(row, "recommendation")?,
            qco_id: get::<i32>(row, "qco_id")?.into(),
            qco_name: get(row, "qco_name")?,
            validated_at: timestamp(get(row, "validated_at")?),
            retain_until: get(row, "retain_until")?,
            evaluation_id: get::<Option<i32>>(row, "evaluation_id")?.map(i64::from),
            followup_id: get::<Option<i32>>(row, "f_id")?.map(i64::from),
            checklist_version: get::<Option<i32>>(row, "checklist_version")?.map(i64::from),
            checklist_wording: None,
        }),
        None => None,
    };
    let service: String = get(row, "service")?;
    let bucket: String = get(row, "bucket")?;
    let status: String = get(row, "status")?;
    Ok(Case {
        id: get::<i32>(row, "id")?.into(),
        customer_no: get(row, "customer_no")?,
        customer_name: get(row, "customer_name")?,
        service: Service::parse(&service).unwrap_or(Service::Ct0),
        bucket: Bucket::parse(&bucket).unwrap_or(Bucket::N),
        bill_amount: get(row, "bill_amount")?,
        agent_id: get::<i32>(row, "agent_id")?.into(),
        agent_username: get(row, "agent_username")?,
        agent_name: get(row, "agent_name")?,
        team_id: get::<Option<i32>>(row, "team_id")?.map(i64::from),
        call_at: timestamp(get(row, "call_at")?),
        reason: get(row, "reason")?,
        promise_date: get(row, "promise_date")?,
        recording_ref: get(row, "recording_ref")?,
        status: status.parse().unwrap_or(CaseStatus::Pending),
        imported_at: timestamp(get(row, "imported_at")?),
        validation,
    })
}

pub async fn list_cases(state: &AppState, who: &Who, filter: &CaseFilter) -> ApiResult<Page<Case>> {
    let limit = paging::limit(filter.limit)?;
    let mut sql = Sql::new(CASE_SELECT);
    sql.push(" WHERE 1 = 1");
    visible(&mut sql, who, "c").ok_or(ApiError::Forbidden)?;
    let status = match filter.status.as_deref().filter(|s| !s.is_empty()) {
        Some(text) => Some(text.parse::<CaseStatus>().map_err(|_| ApiError::field("status", Problem::UnknownStatus))?),
        None => None,
    };
    if let Some(status) = status {
        let p = sql.bind(status.as_str());
        sql.push(&format!(" AND c.status = {p}"));
    }
    if let Some(agent) = filter.agent_id {
        let agent = i32::try_from(agent).map_err(|_| ApiError::field("agent_id", Problem::OutOfRange))?;
        let p = sql.bind(agent);
        sql.push(&format!(" AND c.agent_id = {p}"));
    }
    if let Some(team) = filter.team_id {
        let team = i32::try_from(team).map_err(|_| ApiError::field("team_id", Problem::OutOfRange))?;
        let p = sql.bind(team);
        sql.push(&format!(" AND c.team_id = {p}"));
    }
    if let Some(text) = filter.service.as_deref().filter(|s| !s.is_empty()) {
        let service = Service::parse(text).ok_or_else(|| ApiError::field("service", Problem::UnknownService))?;
        let p = sql.bind(service.as_str());
        sql.push(&format!(" AND c.service = {p}"));
    }
    if let Some(text) = filter.bucket.as_deref().filter(|s| !s.is_empty()) {
        let bucket = Bucket::parse(text).ok_or_else(|| ApiError::field("bucket", Problem::UnknownBucket))?;
        let p = sql.bind(bucket.as_str());
        sql.push(&format!(" AND c.bucket = {p}"));
    }
    let (from, to) = period(state, filter.from.as_deref(), filter.to.as_deref())?;
    if let Some(from) = from {
        let p = sql.bind(from);
        sql.push(&format!(" AND c.call_at >= {p}"));
    }
    if let Some(to) = to {
        let p = sql.bind(to);
        sql.push(&format!(" AND c.call_at < {p}"));
    }
    // The queue (pending) is worked oldest call first; everything else shows the latest first.
    let ascending = status == Some(CaseStatus::Pending);
    if let Some(cursor) = &filter.cursor {
        let (at, id) = paging::decode::<(DateTime<Utc>, i64)>(cursor)?;
        let (pa, pa2, pi) = (sql.bind(at), sql.bind(at), sql.bind(id));
        let op = if ascending { ">" } else { "<" };
        sql.push(&format!(" AND (c.call_at {op} {pa} OR (c.call_at = {pa2} AND c.id {op} {pi}))"));
    }
    let dir = if ascending { "ASC" } else { "DESC" };
    sql.push(&format!(" ORDER BY c.call_at {dir}, c.id {dir} LIMIT {}", limit + 1));
    let page = paging::try_cut(sql.all(&state.db.conn).await?, limit, |row| {
        Ok((get::<DateTime<Utc>>(row, "call_at")?, i64::from(get::<i32>(row, "id")?)))
    })?;
    let items = page.rows.iter().map(case_from_row).collect::<ApiResult<Vec<_>>>()?;
    Ok(Page { items, next_cursor: page.next_cursor })
}

/// One case the caller may see (others: 404), its validation with the W-04 wording it was made
/// with.
pub async fn case_in(db: &impl ConnectionTrait, who: &Who, id: i64) -> ApiResult<Case> {
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    let mut sql = Sql::new(CASE_SELECT);
    let p = sql.bind(id);
    sql.push(&format!(" WHERE c.id = {p}"));
    match (domain::cases::visibility(who.role), who.team_id) {
        // A team leader also sees the case of a follow-up their team chases now: an agent who
        // changed team brought their open RETURNs along (`users::moves`).
        (Visibility::Team, Some(team)) => {
            let (p1, p2) = (sql.bind(team), sql.bind(team));
            sql.push(&format!(
                " AND (c.team_id = {p1} OR EXISTS (SELECT 1 FROM followups f WHERE f.case_id = c.id AND f.team_id = {p2}))"
            ));
        }
        _ => visible(&mut sql, who, "c").ok_or(ApiError::NotFound)?,
    }
    let row = sql.one(db).await?.ok_or(ApiError::NotFound)?;
    let mut case = case_from_row(&row)?;
    if let Some(validation) = &mut case.validation
        && let Some(version) = validation.checklist_version.and_then(|v| i32::try_from(v).ok())
    {
        validation.checklist_wording = wording_of(db, version).await?;
    }
    Ok(case)
}

pub async fn case(state: &AppState, who: &Who, id: i64) -> ApiResult<Case> {
    case_in(&state.db.conn, who, id).await
}

/// The pending cases the caller sees: how many, and the oldest call (the queue index's range).
pub async fn case_summary(state: &AppState, who: &Who) -> ApiResult<CaseSummary> {
    let mut sql =
        Sql::new("SELECT COUNT(*) AS pending, MIN(c.call_at) AS oldest FROM cases c WHERE c.status = 'pending'");
    visible(&mut sql, who, "c").ok_or(ApiError::Forbidden)?;
    let Some(row) = sql.one(&state.db.conn).await? else {
        return Ok(CaseSummary::default());
    };
    Ok(CaseSummary {
        pending: count(&row, "pending")?,
        oldest_pending_call_at: get::<Option<DateTime<Utc>>>(&row, "oldest")?.map(timestamp),
    })
}
