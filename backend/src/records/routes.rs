//! `/api/records/due`, `/api/dispositions…` and `/api/holds…` (api.md, issue 15).
use super::{certificate_page, dispositions, due, holds};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Action;
use domain::api::ErrorBody;
use domain::records::{
    Certificate, ConfirmRequest, Disposition, DispositionRequest, DueList, DueQuery, Hold, HoldRequest, ReleaseRequest,
};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(due_records))
        .routes(routes!(list_dispositions, approve))
        .routes(routes!(confirm))
        .routes(routes!(certificate))
        .routes(routes!(list_holds, place_hold))
        .routes(routes!(release_hold))
}

/// 404 for anyone who may not see the records lifecycle; 403 for who sees it but may not do
/// `action`.
fn allowed(auth: &AuthUser, action: Action) -> ApiResult<()> {
    if !auth.may(Action::ViewRecords) && !auth.may(action) {
        return Err(ApiError::NotFound);
    }
    auth.require(action)
}

/// Records past their retention and not held, by form and the month they fell due (qc
/// coordinator, manager, admin). `through=YYYY-MM` limits them to those due by that month's end;
/// `held` counts the records past retention a hold keeps.
#[utoipa::path(get, path = "/records/due", tag = "records", params(DueQuery),
    responses((status = 200, body = DueList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn due_records(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<DueQuery>,
) -> ApiResult<axum::Json<DueList>> {
    allowed(&auth, Action::ViewRecords)?;
    due::due(&state, &q).await.map(axum::Json)
}

/// Disposition batches, newest first (the last 100).
#[utoipa::path(get, path = "/dispositions", tag = "records",
    responses((status = 200, body = Vec<Disposition>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn list_dispositions(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<Vec<Disposition>>> {
    allowed(&auth, Action::ViewRecords)?;
    dispositions::list(&state).await.map(axum::Json)
}

/// Approves a batch for disposal with the QC coordinator's password (meaning "disposal
/// approved"): a form's records due through a month, or named records, each of which must be
/// due: a held one → 409 `record_held`, one not past retention → 409 `record_not_due`, one
/// disposed → 409 `record_disposed`, each naming it. Nothing is disposed until a second person
/// confirms.
#[utoipa::path(post, path = "/dispositions", tag = "records", request_body = DispositionRequest,
    responses((status = 201, body = Disposition), (status = 401, description = "wrong_password", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "record_held, record_not_due, record_disposed", body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn approve(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<DispositionRequest>,
) -> ApiResult<(StatusCode, axum::Json<Disposition>)> {
    allowed(&auth, Action::DisposeRecords)?;
    let d = dispositions::approve(&state, &auth, body).await?;
    Ok((StatusCode::CREATED, axum::Json(d)))
}

/// Confirms an approved batch with a manager's or admin's password (never the approver's: 403
/// `segregation_of_duties`); the records are then disposed in bounded transactions, each
/// checking the holds again, and the certificate is issued. 200 with the batch `disposed` when
/// the disposal ends within 15 seconds; else 202 with the batch `disposing` (its `disposed` count
/// so far): the disposal goes on, `GET /api/dispositions` shows it end (a server stopped
/// meanwhile finishes it at its next start). A batch not waiting → 409 `wrong_state`.
#[utoipa::path(post, path = "/dispositions/{id}/confirm", tag = "records", params(("id" = i64, Path)),
    request_body = ConfirmRequest,
    responses((status = 200, description = "disposed, the certificate issued", body = Disposition),
        (status = 202, description = "still disposing", body = Disposition),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn confirm(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
    Json(body): Json<ConfirmRequest>,
) -> ApiResult<(StatusCode, axum::Json<Disposition>)> {
    allowed(&auth, Action::ConfirmDisposal)?;
    let (ended, d) = dispositions::confirm(&state, &auth, id, body).await?;
    Ok((if ended { StatusCode::OK } else { StatusCode::ACCEPTED }, axum::Json(d)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CertificateQuery {
    /// `json` (default) or `html`: the printable A4 page.
    format: Option<String>,
}

/// The certificate of disposal of a disposed batch (404 before): what was disposed per call
/// month, under which rule, the tombstones' Merkle root, the audit entry, the backups that still
/// hold the records, and who approved and confirmed. `format=html` gives the printable A4 page.
#[utoipa::path(get, path = "/dispositions/{id}/certificate", tag = "records",
    params(("id" = i64, Path), CertificateQuery),
    responses((status = 200, body = Certificate), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn certificate(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
    Query(q): Query<CertificateQuery>,
) -> ApiResult<Response> {
    allowed(&auth, Action::ViewRecords)?;
    let c = dispositions::certificate(&state, id).await?;
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(axum::Json(c).into_response()),
        "html" => {
            let name = format!("attachment; filename=\"sertifikat-{}.html\"", c.number);
            Ok((
                [(header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, name)],
                certificate_page::html(&state, &c),
            )
                .into_response())
        }
        _ => Err(ApiError::field("format", domain::problems::Problem::UnknownFormat)),
    }
}

/// Legal holds: those in force first, then the latest released, each with the records it covers
/// now per form.
#[utoipa::path(get, path = "/holds", tag = "records",
    responses((status = 200, body = Vec<Hold>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn list_holds(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<Vec<Hold>>> {
    allowed(&auth, Action::ViewRecords)?;
    holds::list(&state).await.map(axum::Json)
}

/// Places a legal hold (qc coordinator, admin) with a reason and the placer's password. The scope
/// is the conjunction of its fields: `record_ids` (with `form`), `agent_id`, `team_id`,
/// `customer_no` (F-19 records), `from`/`to` (call days). An empty scope or reason → 422.
#[utoipa::path(post, path = "/holds", tag = "records", request_body = HoldRequest,
    responses((status = 201, body = Hold), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn place_hold(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<HoldRequest>,
) -> ApiResult<(StatusCode, axum::Json<Hold>)> {
    allowed(&auth, Action::ManageHolds)?;
    let hold = holds::place(&state, &auth, body).await?;
    Ok((StatusCode::CREATED, axum::Json(hold)))
}

/// Releases a hold, signed with a reason and the password; a hold released already → 409
/// `wrong_state`.
#[utoipa::path(delete, path = "/holds/{id}", tag = "records", params(("id" = i64, Path)), request_body = ReleaseRequest,
    responses((status = 200, body = Hold), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn release_hold(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
    Json(body): Json<ReleaseRequest>,
) -> ApiResult<axum::Json<Hold>> {
    allowed(&auth, Action::ManageHolds)?;
    holds::release(&state, &auth, id, body).await.map(axum::Json)
}
