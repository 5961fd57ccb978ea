//! Agree cases as the caller sees them: the list (`status=pending` is the validation queue,
//! oldest call first), one case, the pending count for the landing page, and the case row's
//! query and mapping ([`case_rows`], [`CaseRow`]), which the F-19 reconciliation reuses.

use super::checklist::wording_of;
use super::shared::{CASE_TABLE, fetch, fetch_one, stored, visible};
use crate::auth::AuthUser;
use crate::db::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::paging;
use crate::site_time::period;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::api::Page;
use domain::cases::{
    Bucket, Case, CaseFilter, CaseStatus, CaseSummary, Checklist, FollowupStatus, Service, Validation,
    ValidationResult, Visibility,
};
use domain::promises::QcOutcome;
use entity::{case_promises, cases, followups, users, validations};
use sea_orm::sea_query::{Asterisk, Condition, Expr, Func, JoinType, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, ExprTrait, FromQueryResult};

/// A case as the lists read it: the case, its agent's names, its validation with the QCO's name,
/// and its follow-up's id (the columns of [`case_rows`]).
#[derive(Debug, FromQueryResult)]
pub struct CaseRow {
    id: i32,
    customer_no: String,
    customer_name: String,
    service: Service,
    bucket: Bucket,
    bill_amount: i64,
    agent_id: i32,
    agent_username: String,
    agent_name: String,
    team_id: Option<i32>,
    call_at: DateTime<Utc>,
    reason: String,
    promise_date: String,
    recording_ref: String,
    status: CaseStatus,
    imported_at: DateTime<Utc>,
    v_id: Option<i32>,
    v_result: Option<ValidationResult>,
    identity_verified: Option<bool>,
    amount_and_date_correct: Option<bool>,
    explicit_agreement: Option<bool>,
    reason_matches: Option<bool>,
    recommendation: Option<String>,
    qco_id: Option<i32>,
    qco_name: Option<String>,
    validated_at: Option<DateTime<Utc>>,
    retain_until: Option<String>,
    evaluation_id: Option<i32>,
    checklist_version: Option<i32>,
    f_id: Option<i32>,
}

impl CaseRow {
    /// The keyset position of the case lists.
    pub fn position(&self) -> (DateTime<Utc>, i64) {
        (self.call_at, i64::from(self.id))
    }
}

impl From<CaseRow> for Case {
    fn from(row: CaseRow) -> Case {
        let validation = match (row.v_id, row.qco_id, row.validated_at) {
            (Some(id), Some(qco_id), Some(validated_at)) => Some(Validation {
                id: id.into(),
                result: row.v_result.unwrap_or(ValidationResult::Returned),
                checklist: Checklist {
                    identity_verified: row.identity_verified.unwrap_or_default(),
                    amount_and_date_correct: row.amount_and_date_correct.unwrap_or_default(),
                    explicit_agreement: row.explicit_agreement.unwrap_or_default(),
                    reason_matches: row.reason_matches.unwrap_or_default(),
                },
                recommendation: row.recommendation,
                qco_id: qco_id.into(),
                qco_name: row.qco_name.unwrap_or_default(),
                validated_at: timestamp(validated_at),
                retain_until: row.retain_until.unwrap_or_default(),
                evaluation_id: row.evaluation_id.map(i64::from),
                followup_id: row.f_id.map(i64::from),
                checklist_version: row.checklist_version.map(i64::from),
                checklist_wording: None,
            }),
            _ => None,
        };
        Case {
            id: row.id.into(),
            customer_no: row.customer_no,
            customer_name: row.customer_name,
            service: row.service,
            bucket: row.bucket,
            bill_amount: row.bill_amount,
            agent_id: row.agent_id.into(),
            agent_username: row.agent_username,
            agent_name: row.agent_name,
            team_id: row.team_id.map(i64::from),
            call_at: timestamp(row.call_at),
            reason: row.reason,
            promise_date: row.promise_date,
            recording_ref: row.recording_ref,
            status: row.status,
            imported_at: timestamp(row.imported_at),
            validation,
            promise: None,
        }
    }
}

/// The query of [`CaseRow`]s: cases `c` with their agent `u`, validation `v`, its QCO `q` and the
/// follow-up `f`. Callers add the `WHERE`, the order and the limit.
pub fn case_rows() -> SelectStatement {
    let c = CASE_TABLE;
    let mut query = Query::select();
    query.columns(
        [
            cases::Column::Id,
            cases::Column::CustomerNo,
            cases::Column::CustomerName,
            cases::Column::Service,
            cases::Column::Bucket,
            cases::Column::BillAmount,
            cases::Column::AgentId,
            cases::Column::TeamId,
            cases::Column::CallAt,
            cases::Column::Reason,
            cases::Column::PromiseDate,
            cases::Column::RecordingRef,
            cases::Column::Status,
            cases::Column::ImportedAt,
        ]
        .map(|column| (c, column)),
    );
    query
        .expr_as(Expr::col(("u", users::Column::Username)), "agent_username")
        .expr_as(Expr::col(("u", users::Column::FullName)), "agent_name")
        .expr_as(Expr::col(("v", validations::Column::Id)), "v_id")
        .expr_as(Expr::col(("v", validations::Column::Result)), "v_result")
        .columns(
            [
                validations::Column::IdentityVerified,
                validations::Column::AmountAndDateCorrect,
                validations::Column::ExplicitAgreement,
                validations::Column::ReasonMatches,
                validations::Column::Recommendation,
                validations::Column::QcoId,
            ]
            .map(|column| ("v", column)),
        )
        .expr_as(Expr::col(("q", users::Column::FullName)), "qco_name")
        .columns(
            [
                validations::Column::ValidatedAt,
                validations::Column::RetainUntil,
                validations::Column::EvaluationId,
                validations::Column::ChecklistVersion,
            ]
            .map(|column| ("v", column)),
        )
        .expr_as(Expr::col(("f", followups::Column::Id)), "f_id")
        .from_as(cases::Entity, c)
        .join_as(
            JoinType::InnerJoin,
            users::Entity,
            "u",
            Expr::col(("u", users::Column::Id)).equals((c, cases::Column::AgentId)),
        )
        .join_as(
            JoinType::LeftJoin,
            validations::Entity,
            "v",
            Expr::col(("v", validations::Column::CaseId)).equals((c, cases::Column::Id)),
        )
        .join_as(
            JoinType::LeftJoin,
            users::Entity,
            "q",
            Expr::col(("q", users::Column::Id)).equals(("v", validations::Column::QcoId)),
        )
        .join_as(
            JoinType::LeftJoin,
            followups::Entity,
            "f",
            Expr::col(("f", followups::Column::CaseId)).equals((c, cases::Column::Id)),
        );
    query
}

/// The caller's visibility on the cases `c`.
fn visible_cases(who: &AuthUser) -> Option<Condition> {
    visible(who, (CASE_TABLE, cases::Column::AgentId), (CASE_TABLE, cases::Column::TeamId))
}

pub async fn list_cases(state: &AppState, who: &AuthUser, filter: &CaseFilter) -> ApiResult<Page<Case>> {
    let limit = paging::limit(filter.limit)?;
    let visibility = visible_cases(who).ok_or(ApiError::Forbidden)?;
    let period = period(state, filter.from.as_deref(), filter.to.as_deref())?;
    let query = list_query(visibility, filter, period, limit)?;
    let rows: Vec<CaseRow> = fetch(&state.db.conn, &query).await?;
    Ok(paging::cut(rows, limit, CaseRow::position).page(Case::from))
}

/// The query of a page of the case list: `limit + 1` rows of `filter` within `visibility` and the
/// call period `(from, to)`.
fn list_query(
    visibility: Condition,
    filter: &CaseFilter,
    (from, to): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    limit: u64,
) -> ApiResult<SelectStatement> {
    let c = CASE_TABLE;
    let mut query = case_rows();
    query.cond_where(visibility);
    if let Some(status) = filter.status {
        query.and_where(Expr::col((c, cases::Column::Status)).eq(status));
    }
    if let Some(agent) = filter.agent_id {
        query.and_where(Expr::col((c, cases::Column::AgentId)).eq(agent));
    }
    if let Some(team) = filter.team_id {
        query.and_where(Expr::col((c, cases::Column::TeamId)).eq(team));
    }
    if let Some(service) = filter.service {
        query.and_where(Expr::col((c, cases::Column::Service)).eq(service));
    }
    if let Some(bucket) = filter.bucket {
        query.and_where(Expr::col((c, cases::Column::Bucket)).eq(bucket));
    }
    if let Some(status) = filter.promise {
        let promised = Query::select()
            .column(case_promises::Column::CaseId)
            .from(case_promises::Entity)
            .and_where(Expr::col(case_promises::Column::Status).eq(status))
            .to_owned();
        query.and_where(Expr::col((c, cases::Column::Id)).in_subquery(promised));
    }
    if let Some(outcome) = filter.result {
        let closed = || {
            Query::select()
                .column(followups::Column::CaseId)
                .from(followups::Entity)
                .and_where(Expr::col(followups::Column::Status).eq(stored(FollowupStatus::Closed)))
                .to_owned()
        };
        let status = |s: CaseStatus| Expr::col((c, cases::Column::Status)).eq(s);
        let id = || Expr::col((c, cases::Column::Id));
        query.and_where(match outcome {
            QcOutcome::Approved => status(CaseStatus::Approved),
            QcOutcome::ReturnedClosed => status(CaseStatus::Returned).and(id().in_subquery(closed())),
            QcOutcome::ReturnedOpen => status(CaseStatus::Returned).and(id().not_in_subquery(closed())),
            QcOutcome::NotValidated => status(CaseStatus::Pending),
        });
    }
    if let Some(qco) = filter.qco_id {
        let validated = Query::select()
            .column(validations::Column::CaseId)
            .from(validations::Entity)
            .and_where(Expr::col(validations::Column::QcoId).eq(qco))
            .to_owned();
        query.and_where(Expr::col((c, cases::Column::Id)).in_subquery(validated));
    }
    if let Some(from) = from {
        query.and_where(Expr::col((c, cases::Column::CallAt)).gte(from));
    }
    if let Some(to) = to {
        query.and_where(Expr::col((c, cases::Column::CallAt)).lt(to));
    }
    // The queue (pending) is worked oldest call first; everything else shows the latest first.
    // The keyset is written out (`call_at > t OR (call_at = t AND id > i)`), the form the queue's
    // index `(status, call_at, id)` was measured with.
    let ascending = filter.status == Some(CaseStatus::Pending);
    if let Some(cursor) = &filter.cursor {
        let (at, id) = paging::decode::<(DateTime<Utc>, i64)>(cursor)?;
        let (call_at, case_id) = (Expr::col((c, cases::Column::CallAt)), Expr::col((c, cases::Column::Id)));
        let past = if ascending {
            Condition::any().add(call_at.clone().gt(at)).add(call_at.eq(at).and(case_id.gt(id)))
        } else {
            Condition::any().add(call_at.clone().lt(at)).add(call_at.eq(at).and(case_id.lt(id)))
        };
        query.cond_where(past);
    }
    let order = if ascending { Order::Asc } else { Order::Desc };
    query.order_by((c, cases::Column::CallAt), order.clone()).order_by((c, cases::Column::Id), order).limit(limit + 1);
    Ok(query)
}

/// One case the caller may see (others: 404), its validation with the W-04 wording it was made
/// with.
pub async fn case_in(db: &impl ConnectionTrait, who: &AuthUser, id: i64) -> ApiResult<Case> {
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    let c = CASE_TABLE;
    let mut query = case_rows();
    query.and_where(Expr::col((c, cases::Column::Id)).eq(id));
    match (domain::cases::visibility(who.role), who.team_id) {
        // A team leader also sees the case of a follow-up their team chases now: an agent who
        // changed team brought their open RETURNs along (`users::moves`).
        (Visibility::Team, Some(team)) => {
            let chased = Query::select()
                .expr(Expr::val(1))
                .from_as(followups::Entity, "chased")
                .and_where(Expr::col(("chased", followups::Column::CaseId)).equals((c, cases::Column::Id)))
                .and_where(Expr::col(("chased", followups::Column::TeamId)).eq(team))
                .to_owned();
            query.cond_where(
                Condition::any().add(Expr::col((c, cases::Column::TeamId)).eq(team)).add(Expr::exists(chased)),
            );
        }
        _ => {
            query.cond_where(visible_cases(who).ok_or(ApiError::NotFound)?);
        }
    }
    let row: CaseRow = fetch_one(db, &query).await?.ok_or(ApiError::NotFound)?;
    let mut case = Case::from(row);
    if let Some(validation) = &mut case.validation
        && let Some(version) = validation.checklist_version.and_then(|v| i32::try_from(v).ok())
    {
        validation.checklist_wording = wording_of(db, version).await?;
    }
    Ok(case)
}

pub async fn case(state: &AppState, who: &AuthUser, id: i64) -> ApiResult<Case> {
    let mut case = case_in(&state.db.conn, who, id).await?;
    case.promise = crate::promises::case_promise(state, &case, crate::db::now()).await?;
    Ok(case)
}

/// How many agrees are pending, and the oldest call among them.
#[derive(FromQueryResult)]
pub struct PendingCount {
    pub pending: Option<i64>,
    pub oldest: Option<DateTime<Utc>>,
}

/// The query of the [`PendingCount`] of the cases `c` the caller sees (`None`: the role sees none).
pub fn pending_count(who: &AuthUser) -> Option<SelectStatement> {
    let c = CASE_TABLE;
    Some(
        Query::select()
            .expr_as(Func::count(Expr::col(Asterisk)), "pending")
            .expr_as(Func::min(Expr::col((c, cases::Column::CallAt))), "oldest")
            .from_as(cases::Entity, c)
            .and_where(Expr::col((c, cases::Column::Status)).eq(stored(CaseStatus::Pending)))
            .cond_where(visible_cases(who)?)
            .to_owned(),
    )
}

/// The pending cases the caller sees: how many, and the oldest call (the queue index's range).
pub async fn case_summary(state: &AppState, who: &AuthUser) -> ApiResult<CaseSummary> {
    let query = pending_count(who).ok_or(ApiError::Forbidden)?;
    let Some(row) = fetch_one::<PendingCount>(&state.db.conn, &query).await? else {
        return Ok(CaseSummary::default());
    };
    Ok(CaseSummary {
        pending: super::followups::counted(row.pending),
        oldest_pending_call_at: row.oldest.map(timestamp),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sea_query::PostgresQueryBuilder;

    /// The queue's page is the statement the index `(status, call_at, id)` was measured with:
    /// status bound, the keyset written out, ordered by `(call_at, id)`.
    #[test]
    fn the_queue_page_keeps_its_measured_form() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let filter = CaseFilter {
            status: Some(CaseStatus::Pending),
            cursor: Some(paging::encode(&(at, 42i64))),
            ..CaseFilter::default()
        };
        let sql = list_query(Condition::all(), &filter, (None, None), 50).unwrap().to_string(PostgresQueryBuilder);
        let clause = sql.split_once(" WHERE ").map(|(_, rest)| rest).unwrap_or_default();
        assert_eq!(
            clause,
            "\"c\".\"status\" = 'pending' AND (\"c\".\"call_at\" > '2023-11-14 22:13:20.000000 +00:00' OR \
             (\"c\".\"call_at\" = '2023-11-14 22:13:20.000000 +00:00' AND \"c\".\"id\" > 42)) \
             ORDER BY \"c\".\"call_at\" ASC, \"c\".\"id\" ASC LIMIT 51",
            "{sql}"
        );
    }
}
