//! `GET /api/me/inbox` ("Tugas saya"): what waits for a person, counted by kind for their role,
//! with the visibility of the lists each count opens (an agent's own rows, a team leader's
//! team). The daily email digest counts the same way for each recipient.

use crate::auth::AuthUser;
use crate::cases::service::deadlines::count_columns;
use crate::cases::service::{FOLLOWUP_TABLE, PendingCount, counted, fetch_one, pending_count, visible};
use crate::db::now;
use crate::error::ApiResult;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Role;
use domain::documents::RevisionStatus;
use domain::inbox::{Inbox, InboxItem, InboxKind};
use domain::scoring::{AssignmentStatus, EvaluationStatus};
use entity::{acknowledgements, evaluations, followups, revisions, sampling_assignments};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, FromQueryResult, PaginatorTrait, QueryFilter};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_inbox))
}

/// The caller's inbox: every kind of work their role has (zero counts included), each counted as
/// the list it opens shows it, and the total for the navigation's badge.
#[utoipa::path(get, path = "/me/inbox", tag = "users", responses((status = 200, body = Inbox)), security(("bearer" = [])))]
async fn my_inbox(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: AuthUser,
) -> ApiResult<axum::Json<Inbox>> {
    inbox_at(&state.db.conn, &auth, now()).await.map(axum::Json)
}

/// The kinds of work a role's day holds, in the order the inbox lists them: what the role is
/// there to do, not everything its permissions allow (the admin may approve, but approving is the
/// manager's work).
pub fn kinds(role: Role) -> Vec<InboxKind> {
    use InboxKind::*;
    let mut kinds = match role {
        Role::Qco => vec![CallsToScore, SheetDrafts, AgreesToValidate],
        Role::QcCoordinator => vec![DisputesToResolve, ReturnsToVerify, RevisionsToCheck],
        Role::Manager => vec![RevisionsToApprove],
        Role::DocController => vec![RevisionDrafts],
        Role::Agent => vec![ReturnsOpen, SheetsToAcknowledge],
        Role::TeamLeader => vec![ReturnsOverdue, SheetsToAcknowledge],
        Role::Admin => vec![],
    };
    kinds.push(DocumentsToRead);
    kinds
}

/// `who`'s inbox as it stands at `at` (what is overdue is read against it).
pub async fn inbox_at(db: &impl ConnectionTrait, who: &AuthUser, at: DateTime<Utc>) -> ApiResult<Inbox> {
    let kinds = kinds(who.role);
    let returns = if kinds
        .iter()
        .any(|k| matches!(k, InboxKind::ReturnsOpen | InboxKind::ReturnsOverdue | InboxKind::ReturnsToVerify))
    {
        return_counts(db, who, at).await?
    } else {
        ReturnCounts::default()
    };
    let mut items = Vec::with_capacity(kinds.len());
    for kind in kinds {
        let (count, overdue) = match kind {
            InboxKind::CallsToScore => (calls_to_score(db, who).await?, 0),
            InboxKind::SheetDrafts => (sheets(db, who, EvaluationStatus::Draft, Some(who.id)).await?, 0),
            InboxKind::AgreesToValidate => (pending_agrees(db, who).await?, 0),
            InboxKind::DisputesToResolve => (sheets(db, who, EvaluationStatus::Disputed, None).await?, 0),
            InboxKind::ReturnsToVerify => (returns.recared, returns.verify_overdue),
            InboxKind::RevisionDrafts => (revisions(db, RevisionStatus::Draft).await?, 0),
            InboxKind::RevisionsToCheck => (revisions(db, RevisionStatus::InReview).await?, 0),
            InboxKind::RevisionsToApprove => (revisions(db, RevisionStatus::Checked).await?, 0),
            InboxKind::ReturnsOpen => (returns.open, returns.overdue),
            InboxKind::ReturnsOverdue => (returns.overdue, returns.overdue),
            InboxKind::SheetsToAcknowledge => (sheets(db, who, EvaluationStatus::Submitted, None).await?, 0),
            InboxKind::DocumentsToRead => (documents_to_read(db, who.id).await?, 0),
        };
        items.push(InboxItem { kind, count: clamp(count), overdue: clamp(overdue) });
    }
    Ok(Inbox::of(items))
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[derive(Default)]
struct ReturnCounts {
    open: u64,
    overdue: u64,
    recared: u64,
    verify_overdue: u64,
}

/// The follow-up counts of [`count_columns`].
#[derive(FromQueryResult)]
struct FollowupCounts {
    open: Option<i64>,
    overdue: Option<i64>,
    recared: Option<i64>,
    verify_overdue: Option<i64>,
}

/// The RETURNs `who` sees, counted as the follow-up list counts them.
async fn return_counts(db: &impl ConnectionTrait, who: &AuthUser, at: DateTime<Utc>) -> ApiResult<ReturnCounts> {
    let f = FOLLOWUP_TABLE;
    let Some(visibility) = visible(who, (f, followups::Column::AgentId), (f, followups::Column::TeamId)) else {
        return Ok(ReturnCounts::default());
    };
    let mut query = Query::select();
    count_columns(&mut query, at);
    query
        .from_as(followups::Entity, f)
        .and_where(crate::cases::service::deadlines::not_closed())
        .cond_where(visibility);
    let Some(row) = fetch_one::<FollowupCounts>(db, &query).await? else { return Ok(ReturnCounts::default()) };
    Ok(ReturnCounts {
        open: counted(row.open),
        overdue: counted(row.overdue),
        recared: counted(row.recared),
        verify_overdue: counted(row.verify_overdue),
    })
}

/// Agrees waiting in the validation queue that `who` sees.
async fn pending_agrees(db: &impl ConnectionTrait, who: &AuthUser) -> ApiResult<u64> {
    let Some(query) = pending_count(who) else { return Ok(0) };
    Ok(fetch_one::<PendingCount>(db, &query).await?.map_or(0, |row| counted(row.pending)))
}

/// Sampled calls assigned to `who` and not yet scored.
async fn calls_to_score(db: &impl ConnectionTrait, who: &AuthUser) -> ApiResult<u64> {
    Ok(sampling_assignments::Entity::find()
        .filter(sampling_assignments::Column::QcoId.eq(who.id))
        .filter(sampling_assignments::Column::Status.eq(AssignmentStatus::Pending))
        .count(db)
        .await?)
}

/// Sheets (never calibration ones) in `status` that `who` sees: an agent their own, a team
/// leader their team's, others all; `qco` narrows to one QC officer's.
async fn sheets(
    db: &impl ConnectionTrait,
    who: &AuthUser,
    status: EvaluationStatus,
    qco: Option<i32>,
) -> ApiResult<u64> {
    let mut query = evaluations::Entity::find()
        .filter(evaluations::Column::Status.eq(status))
        .filter(evaluations::Column::CalibrationId.is_null());
    match who.role {
        Role::Agent => query = query.filter(evaluations::Column::AgentId.eq(who.id)),
        Role::TeamLeader => match who.team_id {
            Some(team) => query = query.filter(evaluations::Column::TeamId.eq(team)),
            None => return Ok(0),
        },
        _ => {}
    }
    if let Some(qco) = qco {
        query = query.filter(evaluations::Column::QcoId.eq(qco));
    }
    Ok(query.count(db).await?)
}

/// Revisions of controlled documents in `status`.
async fn revisions(db: &impl ConnectionTrait, status: RevisionStatus) -> ApiResult<u64> {
    Ok(revisions::Entity::find().filter(revisions::Column::Status.eq(status)).count(db).await?)
}

/// Effective revisions `user` has not confirmed reading.
async fn documents_to_read(db: &impl ConnectionTrait, user: i32) -> ApiResult<u64> {
    let confirmed = Query::select()
        .expr(Expr::val(1))
        .from(acknowledgements::Entity)
        .and_where(
            Expr::col((acknowledgements::Entity, acknowledgements::Column::RevisionId))
                .equals((revisions::Entity, revisions::Column::Id)),
        )
        .and_where(Expr::col((acknowledgements::Entity, acknowledgements::Column::UserId)).eq(user))
        .to_owned();
    Ok(revisions::Entity::find()
        .filter(revisions::Column::Status.eq(RevisionStatus::Effective))
        .filter(Expr::exists(confirmed).not())
        .count(db)
        .await?)
}
