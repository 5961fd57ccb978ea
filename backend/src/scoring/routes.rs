//! `/api/scoring-forms`, `/api/evaluations`, `/api/calibrations`, `/api/sampling` and the
//! per-parameter report: thin handlers over [`super::forms`], [`super::evaluations`],
//! [`super::disputes`], [`super::fail_rates`], [`super::calibration`] and [`super::sampling`].

use crate::auth::AuthUser;
use crate::error::{ApiResult, Json, Path, Query};
use crate::http::export::Format;
use crate::scoring::calibration;
use crate::scoring::disputes;
use crate::scoring::{evaluations, fail_rates, forms, sampling};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::api::{ErrorBody, Page};
use domain::scoring::{AssignmentFilter, CalibrationFilter, EvaluationFilter, FailRateQuery, FormFilter};
use domain::scoring::{
    Calibration, CalibrationSummary, DisputeRequest, Evaluation, EvaluationCounts, EvaluationSummary, FailRateReport,
    NewCalibration, NewEvaluation, NewScoringForm, ResolveRequest, SamplingAssignment, SamplingRequest, SamplingResult,
    ScoringForm,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_forms, create_form))
        .routes(routes!(get_form, update_form))
        .routes(routes!(publish_form))
        .routes(routes!(list_evaluations, create_evaluation))
        .routes(routes!(evaluation_counts))
        .routes(routes!(evaluations_xlsx))
        .routes(routes!(evaluation_xlsx))
        .routes(routes!(get_evaluation, update_evaluation))
        .routes(routes!(acknowledge))
        .routes(routes!(dispute))
        .routes(routes!(resolve))
        .routes(routes!(fail_rates))
        .routes(routes!(list_calibrations, create_calibration))
        .routes(routes!(get_calibration))
        .routes(routes!(close_calibration))
        .routes(routes!(sample))
        .routes(routes!(assignments))
}

// ------------------------------------------------------------------------------------------
// Forms
// ------------------------------------------------------------------------------------------

/// Scoring forms, every version (drafts only for qc_coordinator and admin).
#[utoipa::path(get, path = "/scoring-forms", tag = "scoring",
    params(FormFilter),
    responses((status = 200, body = Page<ScoringForm>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn list_forms(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<FormFilter>,
) -> ApiResult<axum::Json<Page<ScoringForm>>> {
    forms::list_forms(&state, &auth, &filter).await.map(axum::Json)
}

/// A new form, or the next version of an existing `code` (qc_coordinator, admin); `publish: true`
/// publishes it at once and retires the version published before.
#[utoipa::path(post, path = "/scoring-forms", tag = "scoring", request_body = NewScoringForm,
    responses((status = 201, body = ScoringForm), (status = 403, body = ErrorBody), (status = 409, description = "draft_exists", body = ErrorBody),
               (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn create_form(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<NewScoringForm>,
) -> ApiResult<(StatusCode, axum::Json<ScoringForm>)> {
    let form = forms::create_form(&state, &auth, body).await?;
    Ok((StatusCode::CREATED, axum::Json(form)))
}

/// One form version with its sections.
#[utoipa::path(get, path = "/scoring-forms/{id}", tag = "scoring", params(("id" = i64, Path)),
    responses((status = 200, body = ScoringForm), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_form(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ScoringForm>> {
    forms::get_form(&state, &auth, id).await.map(axum::Json)
}

/// Edit a draft form (with `row_version`); published versions are never edited.
#[utoipa::path(put, path = "/scoring-forms/{id}", tag = "scoring", params(("id" = i64, Path)), request_body = NewScoringForm,
    responses((status = 200, body = ScoringForm), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
               (status = 409, description = "wrong_state or stale_version", body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn update_form(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
    Json(body): Json<NewScoringForm>,
) -> ApiResult<axum::Json<ScoringForm>> {
    forms::update_form(&state, &auth, id, body).await.map(axum::Json)
}

/// Publish a draft form (retires the version published before).
#[utoipa::path(post, path = "/scoring-forms/{id}/publish", tag = "scoring", params(("id" = i64, Path)),
    responses((status = 200, body = ScoringForm), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
               (status = 409, description = "wrong_state", body = ErrorBody)), security(("bearer" = [])))]
async fn publish_form(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ScoringForm>> {
    forms::publish_form(&state, &auth, id).await.map(axum::Json)
}

// ------------------------------------------------------------------------------------------
// Evaluations
// ------------------------------------------------------------------------------------------

/// Sheets the caller may see, newest call first (agents: their own submitted sheets; team
/// leaders: their team's).
#[utoipa::path(get, path = "/evaluations", tag = "scoring",
    params(EvaluationFilter),
    responses((status = 200, body = Page<EvaluationSummary>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn list_evaluations(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<EvaluationFilter>,
) -> ApiResult<axum::Json<Page<EvaluationSummary>>> {
    evaluations::list_evaluations(&state, &auth, &filter).await.map(axum::Json)
}

/// Score a call (qco): a draft, or submitted at once (`submit: true`).
#[utoipa::path(post, path = "/evaluations", tag = "scoring", request_body = NewEvaluation,
    responses((status = 201, body = Evaluation), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, description = "calibration not found or not a participant", body = ErrorBody),
               (status = 409, description = "already_scored or calibration_closed", body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn create_evaluation(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<NewEvaluation>,
) -> ApiResult<(StatusCode, axum::Json<Evaluation>)> {
    let evaluation = evaluations::create_evaluation(&state, &auth, body).await?;
    Ok((StatusCode::CREATED, axum::Json(evaluation)))
}

/// Counts for the badges: an agent's new results, a QCO's drafts and assigned calls, the
/// coordinator's open disputes.
#[utoipa::path(get, path = "/evaluations/summary", tag = "scoring",
    responses((status = 200, body = EvaluationCounts), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn evaluation_counts(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<EvaluationCounts>> {
    evaluations::counts(&state, &auth).await.map(axum::Json)
}

/// The sheets of a period as XLSX in the F-18 form's layout (the list's filters and visibility;
/// default: this month): a recap with a row per sheet and a column per parameter, then every
/// sheet on its own worksheet, under the register's header block. More than 500 sheets: 422
/// `period_too_long` on `to`.
#[utoipa::path(get, path = "/evaluations/xlsx", tag = "scoring",
    params(EvaluationFilter),
    responses((status = 200, description = "the XLSX file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn evaluations_xlsx(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<EvaluationFilter>,
) -> ApiResult<Response> {
    let (name, bytes) = evaluations::export::sheets_xlsx(&state, &auth, &filter).await?;
    Ok(Format::Xlsx.attachment(&name, bytes))
}

/// One sheet as XLSX in the F-18 form's layout: the register's header block of the revision in
/// force when it was made, the parameters with weight, result and comment, the score, the QC
/// officer and the agent.
#[utoipa::path(get, path = "/evaluations/{id}/xlsx", tag = "scoring", params(("id" = i64, Path)),
    responses((status = 200, description = "the XLSX file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn evaluation_xlsx(State(state): State<AppState>, auth: AuthUser, Path(id): Path<i64>) -> ApiResult<Response> {
    let (name, bytes) = evaluations::export::sheet_xlsx(&state, &auth, id).await?;
    Ok(Format::Xlsx.attachment(&name, bytes))
}

/// A sheet with its answers, dispute and amendment history.
#[utoipa::path(get, path = "/evaluations/{id}", tag = "scoring", params(("id" = i64, Path)),
    responses((status = 200, body = Evaluation), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_evaluation(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Evaluation>> {
    evaluations::get_evaluation(&state, &auth, id).await.map(axum::Json)
}

/// Save the QCO's own draft again (with `version`), or submit it (`submit: true`).
#[utoipa::path(put, path = "/evaluations/{id}", tag = "scoring", params(("id" = i64, Path)), request_body = NewEvaluation,
    responses((status = 200, body = Evaluation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
               (status = 409, description = "wrong_state or stale_version", body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn update_evaluation(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
    Json(body): Json<NewEvaluation>,
) -> ApiResult<axum::Json<Evaluation>> {
    evaluations::update_evaluation(&state, &auth, id, body).await.map(axum::Json)
}

/// The agent accepts the result.
#[utoipa::path(post, path = "/evaluations/{id}/acknowledge", tag = "scoring", params(("id" = i64, Path)),
    responses((status = 200, body = Evaluation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn acknowledge(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Evaluation>> {
    disputes::acknowledge(&state, &auth, id).await.map(axum::Json)
}

/// The agent contests the result with a reason.
#[utoipa::path(post, path = "/evaluations/{id}/dispute", tag = "scoring", params(("id" = i64, Path)), request_body = DisputeRequest,
    responses((status = 200, body = Evaluation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
               (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn dispute(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
    Json(body): Json<DisputeRequest>,
) -> ApiResult<axum::Json<Evaluation>> {
    disputes::dispute(&state, &auth, id, &body.reason).await.map(axum::Json)
}

/// The QC coordinator upholds a disputed sheet, or amends its answers (the score is recomputed,
/// the old answers kept).
#[utoipa::path(post, path = "/evaluations/{id}/resolve", tag = "scoring", params(("id" = i64, Path)), request_body = ResolveRequest,
    responses((status = 200, body = Evaluation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
               (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn resolve(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
    Json(body): Json<ResolveRequest>,
) -> ApiResult<axum::Json<Evaluation>> {
    disputes::resolve(&state, &auth, id, body).await.map(axum::Json)
}

/// Per parameter: answered, failed and fail rate over a team's submitted sheets of a period
/// (team leaders: their own team).
#[utoipa::path(get, path = "/reports/parameter-fail-rates", tag = "scoring",
    params(FailRateQuery),
    responses((status = 200, body = FailRateReport), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn fail_rates(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<FailRateQuery>,
) -> ApiResult<axum::Json<FailRateReport>> {
    fail_rates::fail_rates(&state, &auth, &query).await.map(axum::Json)
}

// ------------------------------------------------------------------------------------------
// Calibration
// ------------------------------------------------------------------------------------------

/// Calibration sessions (the coordinator: all; a QCO: those they take part in).
#[utoipa::path(get, path = "/calibrations", tag = "scoring",
    params(CalibrationFilter),
    responses((status = 200, body = Page<CalibrationSummary>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn list_calibrations(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<CalibrationFilter>,
) -> ApiResult<axum::Json<Page<CalibrationSummary>>> {
    calibration::list(&state, &auth, &filter).await.map(axum::Json)
}

/// Open a calibration session on one call for chosen QCOs (qc_coordinator).
#[utoipa::path(post, path = "/calibrations", tag = "scoring", request_body = NewCalibration,
    responses((status = 201, body = Calibration), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn create_calibration(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<NewCalibration>,
) -> ApiResult<(StatusCode, axum::Json<Calibration>)> {
    let session = calibration::create(&state, &auth, body).await?;
    Ok((StatusCode::CREATED, axum::Json(session)))
}

/// A session: blind while open (own sheet, who has scored); all sheets and the agreement
/// statistics once closed.
#[utoipa::path(get, path = "/calibrations/{id}", tag = "scoring", params(("id" = i64, Path)),
    responses((status = 200, body = Calibration), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_calibration(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Calibration>> {
    calibration::detail(&state, &auth, id).await.map(axum::Json)
}

/// Close a session (qc_coordinator): reveals the sheets and statistics.
#[utoipa::path(post, path = "/calibrations/{id}/close", tag = "scoring", params(("id" = i64, Path)),
    responses((status = 200, body = Calibration), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn close_calibration(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Calibration>> {
    calibration::close(&state, &auth, id).await.map(axum::Json)
}

// ------------------------------------------------------------------------------------------
// Sampling
// ------------------------------------------------------------------------------------------

/// Draw `per_agent` random calls per agent for a period (from `calls`, or the imported agree
/// cases) and assign them round-robin to `qco_ids` (qc_coordinator).
#[utoipa::path(post, path = "/sampling", tag = "scoring", request_body = SamplingRequest,
    responses((status = 201, body = SamplingResult), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn sample(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<SamplingRequest>,
) -> ApiResult<(StatusCode, axum::Json<SamplingResult>)> {
    let result = sampling::sample(&state, &auth, body).await?;
    Ok((StatusCode::CREATED, axum::Json(result)))
}

/// Sampled calls: a QCO's own queue; the coordinator sees all (filter `qco_id`).
#[utoipa::path(get, path = "/sampling/assignments", tag = "scoring",
    params(AssignmentFilter),
    responses((status = 200, body = Page<SamplingAssignment>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn assignments(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<AssignmentFilter>,
) -> ApiResult<axum::Json<Page<SamplingAssignment>>> {
    sampling::assignments(&state, &auth, &filter).await.map(axum::Json)
}
