//! `GET /api/me/inbox` ("Tugas saya"): what waits for a person, counted by kind for their role,
//! with the visibility of the lists each count opens (an agent's own rows, a team leader's
//! team). The daily email digest counts the same way for each recipient.

use crate::auth::AuthUser;
use crate::cases::service::deadlines::count_columns;
use crate::cases::service::{Sql, Who, count, visible};
use crate::db::now;
use crate::error::ApiResult;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Role;
use domain::inbox::{Inbox, InboxItem, InboxKind};
use domain::scoring::{AssignmentStatus, EvaluationStatus};
use entity::{evaluations, sampling_assignments};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
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
    inbox_at(&state.db.conn, &Who::from(&auth), now()).await.map(axum::Json)
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
pub async fn inbox_at(db: &impl ConnectionTrait, who: &Who, at: DateTime<Utc>) -> ApiResult<Inbox> {
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
            InboxKind::RevisionDrafts => (revisions(db, "draft").await?, 0),
            InboxKind::RevisionsToCheck => (revisions(db, "in_review").await?, 0),
            InboxKind::RevisionsToApprove => (revisions(db, "checked").await?, 0),
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

/// The RETURNs `who` sees, counted as the follow-up list counts them.
async fn return_counts(db: &impl ConnectionTrait, who: &Who, at: DateTime<Utc>) -> ApiResult<ReturnCounts> {
    let mut sql = Sql::new("SELECT ");
    let counts = count_columns(&mut sql, at);
    sql.push(&format!("{counts} FROM followups f WHERE f.status <> 'closed'"));
    if visible(&mut sql, who, "f").is_none() {
        return Ok(ReturnCounts::default());
    }
    let Some(row) = sql.one(db).await? else { return Ok(ReturnCounts::default()) };
    Ok(ReturnCounts {
        open: count(&row, "open")?,
        overdue: count(&row, "overdue")?,
        recared: count(&row, "recared")?,
        verify_overdue: count(&row, "verify_overdue")?,
    })
}

/// Agrees waiting in the validation queue that `who` sees.
async fn pending_agrees(db: &impl ConnectionTrait, who: &Who) -> ApiResult<u64> {
    let mut sql = Sql::new("SELECT COUNT(*) AS n FROM cases c WHERE c.status = 'pending'");
    if visible(&mut sql, who, "c").is_none() {
        return Ok(0);
    }
    Ok(match sql.one(db).await? {
        Some(row) => count(&row, "n")?,
        None => 0,
    })
}

/// Sampled calls assigned to `who` and not yet scored.
async fn calls_to_score(db: &impl ConnectionTrait, who: &Who) -> ApiResult<u64> {
    Ok(sampling_assignments::Entity::find()
        .filter(sampling_assignments::Column::QcoId.eq(who.id))
        .filter(sampling_assignments::Column::Status.eq(AssignmentStatus::Pending))
        .count(db)
        .await?)
}

/// Sheets (never calibration ones) in `status` that `who` sees: an agent their own, a team
/// leader their team's, others all; `qco` narrows to one QC officer's.
async fn sheets(db: &impl ConnectionTrait, who: &Who, status: EvaluationStatus, qco: Option<i32>) -> ApiResult<u64> {
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

/// Revisions of controlled documents in `status` (a stored status word).
async fn revisions(db: &impl ConnectionTrait, status: &str) -> ApiResult<u64> {
    let mut sql =
        Sql::new("SELECT COUNT(*) AS n FROM revisions r JOIN documents d ON d.id = r.document_id WHERE r.status = ");
    let p = sql.bind(status);
    sql.push(&p);
    Ok(match sql.one(db).await? {
        Some(row) => count(&row, "n")?,
        None => 0,
    })
}

/// Effective revisions `user` has not confirmed reading.
async fn documents_to_read(db: &impl ConnectionTrait, user: i32) -> ApiResult<u64> {
    let mut sql = Sql::new(
        "SELECT COUNT(*) AS n FROM revisions r JOIN documents d ON d.id = r.document_id WHERE r.status = 'effective' \
         AND NOT EXISTS (SELECT 1 FROM acknowledgements a WHERE a.revision_id = r.id AND a.user_id = ",
    );
    let p = sql.bind(user);
    sql.push(&p).push(")");
    Ok(match sql.one(db).await? {
        Some(row) => count(&row, "n")?,
        None => 0,
    })
}
