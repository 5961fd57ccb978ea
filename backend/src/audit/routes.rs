//! `/api/audit`, `/api/audit/verify` and `/api/audit/anchor` (admin, QC coordinator). No route
//! edits or deletes.

use crate::audit::anchor;
use crate::audit::service;
use crate::auth::AuthUser;
use crate::error::{ApiResult, Query};
use crate::state::AppState;
use axum::extract::State;
use domain::Action;
use domain::api::{AnchorStatus, AuditEntry, AuditVerification, ErrorBody, Page};
use domain::audit::AuditFilter;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(verify)).routes(routes!(latest_anchor))
}

/// The audit trail, newest first.
#[utoipa::path(get, path = "/audit", tag = "audit",
    params(AuditFilter),
    responses((status = 200, body = Page<AuditEntry>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<AuditFilter>,
) -> ApiResult<axum::Json<Page<AuditEntry>>> {
    auth.require(Action::ViewAudit)?;
    service::list(&state, &filter).await.map(axum::Json)
}

/// Recompute every hash of the chain, check the chain record and the head, and compare the chain
/// with every signed anchor this server can read. A broken chain answers 200 with `ok: false`,
/// the first bad entry and the `problem`.
#[utoipa::path(get, path = "/audit/verify", tag = "audit",
    responses((status = 200, body = AuditVerification), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn verify(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<AuditVerification>> {
    auth.require(Action::ViewAudit)?;
    service::verify(&state).await.map(axum::Json)
}

/// The latest signed anchor of the chain's head and whether the chain still holds the anchored
/// entry (one look-up; `GET /api/audit/verify` walks the whole chain).
#[utoipa::path(get, path = "/audit/anchor", tag = "audit",
    responses((status = 200, body = AnchorStatus), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn latest_anchor(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<AnchorStatus>> {
    auth.require(Action::ViewAudit)?;
    anchor::status(&state).await.map(axum::Json)
}
