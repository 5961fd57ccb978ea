//! `/api/audit` and `/api/audit/verify` (admin, QC coordinator). No route edits or deletes.

use crate::audit::service::{self, AuditFilter};
use crate::auth::AuthUser;
use crate::error::{ApiResult, Query};
use crate::state::AppState;
use axum::extract::State;
use domain::Action;
use domain::api::{AuditEntry, AuditVerification, ErrorBody, Page};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(verify))
}

/// The audit trail, newest first.
#[utoipa::path(get, path = "/audit", tag = "audit",
    params(("entity" = Option<String>, Query), ("actor" = Option<String>, Query), ("from" = Option<String>, Query),
           ("to" = Option<String>, Query), ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = Page<AuditEntry>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn list(State(state): State<AppState>, auth: AuthUser, Query(filter): Query<AuditFilter>) -> ApiResult<axum::Json<Page<AuditEntry>>> {
    auth.require(Action::ViewAudit)?;
    service::list(&state.db.conn, &filter).await.map(axum::Json)
}

/// Recompute every hash of the chain.
#[utoipa::path(get, path = "/audit/verify", tag = "audit",
    responses((status = 200, body = AuditVerification), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn verify(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<AuditVerification>> {
    auth.require(Action::ViewAudit)?;
    service::verify(&state.db.conn).await.map(axum::Json)
}
