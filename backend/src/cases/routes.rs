//! `/api/cases/...`, `/api/followups/...` and `/api/reports/...`: thin handlers over
//! [`super::service`], [`super::import`] and [`super::report`].

use crate::auth::AuthUser;
use crate::cases::import;
use crate::cases::report;
use crate::cases::service;
use crate::error::{ApiResult, Json, Path, Query};
use crate::http::export::Format;
use crate::http::upload;
use crate::paging::PageQuery;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Action;
use domain::api::{ErrorBody, Page};
use domain::cases::{
    Case, CaseFilter, CaseSummary, CaseViewers, ChecklistChange, ChecklistVersion, F19Query, F19Report, Followup,
    FollowupFilter, FollowupSummary, ImportResult, NewValidation, RecareRequest, Reconciliation, ReconciliationQuery,
    RejectedRow, VerifyRequest,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cases))
        .routes(routes!(get_case))
        .routes(routes!(import_template))
        .routes(routes!(import_rejections))
        .routes(routes!(import_rejection_page))
        .routes(routes!(get_checklist, put_checklist))
        .routes(routes!(checklist_versions))
        .routes(routes!(validate))
        .routes(routes!(viewing))
        .routes(routes!(list_followups))
        .routes(routes!(followup_summary))
        .routes(routes!(case_summary))
        .routes(routes!(get_followup))
        .routes(routes!(recare))
        .routes(routes!(verify))
        .routes(routes!(f19_report))
        .routes(routes!(reconciliation))
        // Only the import gets the 50 MiB limit; every JSON route keeps 1 MiB.
        .merge(OpenApiRouter::new().routes(routes!(import_cases)).layer(upload::body_limit()))
}

/// Agree cases the caller sees (filters `status`, `agent_id`, `team_id`, `service`, `bucket`,
/// `from`, `to`: days of the call). `status=pending` is the validation queue, oldest call first;
/// other lists show the latest call first.
#[utoipa::path(get, path = "/cases", tag = "cases",
    params(CaseFilter),
    responses((status = 200, body = Page<Case>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn list_cases(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<CaseFilter>,
) -> ApiResult<axum::Json<Page<Case>>> {
    auth.require(Action::ViewCases)?;
    service::list_cases(&state, &auth, &filter).await.map(axum::Json)
}

/// One case with its validation.
#[utoipa::path(get, path = "/cases/{id}", tag = "cases", params(("id" = i64, Path)),
    responses((status = 200, body = Case), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_case(State(state): State<AppState>, auth: AuthUser, Path(id): Path<i64>) -> ApiResult<axum::Json<Case>> {
    service::case(&state, &auth, id).await.map(axum::Json)
}

/// Import the day's agree export (multipart field `file`: CSV or XLSX, at most 50 MiB and
/// 1,000,000 data rows; qco, qc_coordinator, team_leader). All or nothing: the good rows appear
/// together, with the audit entry, once the whole file is read; a refused file stores nothing.
/// Refused rows do not stop the good ones: the answer lists the first 1,000 (`rejected`), counts
/// them all (`rejected_total`), and `GET /api/imports/{import_id}/rejections.csv` has every one.
/// A refused row names every fault it has (`problems`: codes with their values, in column
/// order; `error`: the same in English). Columns are named in English or Indonesian, in any
/// case; `call_at` is site time, or ISO 8601 with `Z` or an offset (brought to the site zone).
/// A row pairing a service with a bucket the SOP does not give it is refused (CT-0: N+2;
/// PRANPC: N, N+1), and a team leader imports only rows of their own team's agents.
#[utoipa::path(post, path = "/cases/import", tag = "cases",
    request_body(content_type = "multipart/form-data", description = "field `file`: the CSV or XLSX export"),
    responses((status = 200, body = ImportResult), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody),
               (status = 422, description = "not CSV/XLSX, empty, a header with missing or extra columns, more than 1,000,000 rows, \
                or a workbook past the reader's bounds (too large once unpacked, too many shared strings)", body = ErrorBody)),
    security(("bearer" = [])))]
async fn import_cases(
    State(state): State<AppState>,
    auth: AuthUser,
    headers: axum::http::HeaderMap,
    mut multipart: axum::extract::Multipart,
) -> ApiResult<axum::Json<ImportResult>> {
    auth.require(Action::ImportCases)?;
    upload::import_file(&headers, &mut multipart, "import", async |filename, field| {
        import::run_upload(&state, &auth, &filename, field).await
    })
    .await
    .map(axum::Json)
}

/// Every refused row of a finished import as CSV (`row,error`, UTF-8 with a BOM, cells safe to
/// open in a spreadsheet), streamed. For the roles that may import and the importer; others,
/// and imports that do not exist or have not finished, 404.
#[utoipa::path(get, path = "/imports/{id}/rejections.csv", tag = "cases", params(("id" = i64, Path)),
    responses((status = 200, description = "text/csv: `row,error`, one line per refused row"), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn import_rejections(State(state): State<AppState>, auth: AuthUser, Path(id): Path<i64>) -> ApiResult<Response> {
    let pages = crate::imports::rejections_csv(&state, &auth, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"impor-{id}-baris-ditolak.csv\"")),
        ],
        axum::body::Body::from_stream(pages),
    )
        .into_response())
}

/// The refused rows of a finished import, a page at a time in file order, each with its faults
/// as codes (`problems`) and in English words (`error`): what the browser lists and downloads in
/// the user's language. Who may read them, as for the CSV; others 404.
#[utoipa::path(get, path = "/imports/{id}/rejections", tag = "cases",
    params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Page<RejectedRow>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn import_rejection_page(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
    Query(page): Query<PageQuery>,
) -> ApiResult<axum::Json<Page<RejectedRow>>> {
    crate::imports::rejections_page(&state, &auth, id, &page).await.map(axum::Json)
}

/// A CSV with just the header row of the import.
#[utoipa::path(get, path = "/cases/import-template", tag = "cases",
    responses((status = 200, description = "text/csv"), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn import_template(auth: AuthUser) -> ApiResult<Response> {
    auth.require(Action::ImportCases)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"agree-import-template.csv\""),
        ],
        import::template(),
    )
        .into_response())
}

/// The W-04 tapping checklist wording in force (the highest version), with its number, signer
/// and time. A QCO validating sends its `version` as `checklist_version`.
#[utoipa::path(get, path = "/cases/checklist", tag = "cases",
    responses((status = 200, body = ChecklistVersion), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn get_checklist(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<ChecklistVersion>> {
    auth.require(Action::ViewCases)?;
    service::checklist(&state.db.conn).await.map(axum::Json)
}

/// A new version of the W-04 checklist wording (qc_coordinator), signed with the password and a
/// reason; the four items are fixed. In one transaction with its audit entry (from and to
/// version and wording, the reason). `version`, when sent, is the version edited: another in
/// force by now → 409 `checklist_changed`. The same wording again → 422 `unchanged` on `items`.
#[utoipa::path(put, path = "/cases/checklist", tag = "cases", request_body = ChecklistChange,
    responses((status = 200, description = "the new version, now in force", body = ChecklistVersion),
               (status = 401, description = "wrong password (counts towards the lock-out, audited); nothing changes", body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 409, description = "checklist_changed", body = ErrorBody),
               (status = 422, body = ErrorBody), (status = 429, description = "too_many_attempts: the signer's username is locked", body = ErrorBody),
               (status = 503, description = "server_busy: retry after Retry-After", body = ErrorBody)), security(("bearer" = [])))]
async fn put_checklist(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<ChecklistChange>,
) -> ApiResult<axum::Json<ChecklistVersion>> {
    service::set_checklist(&state, &auth, body).await.map(axum::Json)
}

/// Every version of the W-04 checklist wording, newest first (the roles that see cases, whose
/// validations show the wording of their version).
#[utoipa::path(get, path = "/cases/checklist/versions", tag = "cases",
    params(PageQuery),
    responses((status = 200, body = Page<ChecklistVersion>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn checklist_versions(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(page): Query<PageQuery>,
) -> ApiResult<axum::Json<Page<ChecklistVersion>>> {
    auth.require(Action::ViewCases)?;
    service::checklist_versions(&state.db.conn, &page).await.map(axum::Json)
}

/// The caller (a QC officer) has this agree open: answers the other officers who have it open
/// now (none once it is validated), so two do not validate one agree at once. Presence, not a
/// record: kept a few minutes, not audited.
#[utoipa::path(post, path = "/cases/{id}/viewing", tag = "cases", params(("id" = i64, Path)),
    responses((status = 200, body = CaseViewers), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn viewing(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<CaseViewers>> {
    auth.require(Action::ValidateCases)?;
    service::viewing(&state, &auth, id).await.map(axum::Json)
}

/// Validate a case (qco): APPROVED, or RETURN with a recommendation, which opens a W-03
/// follow-up for the agent. A case already validated → 409 `already_validated`; a
/// `checklist_version` that is no longer the wording in force → 409 `checklist_changed`; an
/// `evaluation_id` that names no F-18 sheet (`not_found`) or a sheet of another agent
/// (`other_agent`) → 422.
#[utoipa::path(post, path = "/cases/{id}/validation", tag = "cases", params(("id" = i64, Path)), request_body = NewValidation,
    responses((status = 201, body = Case), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
               (status = 409, description = "already_validated, checklist_changed", body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn validate(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
    Json(body): Json<NewValidation>,
) -> ApiResult<(StatusCode, axum::Json<Case>)> {
    auth.require(Action::ValidateCases)?;
    let case = service::validate(&state, &auth, id, body).await?;
    Ok((StatusCode::CREATED, axum::Json(case)))
}

/// W-03 follow-ups the caller sees (filters `status`, `open=true`, `overdue=true`, `verify_overdue=true`,
/// `agent_id`, `team_id`): waiting for the agent past the due date first, then waiting for QC past
/// its deadline, then by due time.
#[utoipa::path(get, path = "/followups", tag = "followups",
    params(FollowupFilter),
    responses((status = 200, body = Page<Followup>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn list_followups(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<FollowupFilter>,
) -> ApiResult<axum::Json<Page<Followup>>> {
    auth.require(Action::ViewCases)?;
    service::list_followups(&state, &auth, &filter).await.map(axum::Json)
}

/// The pending agrees the caller sees, counted whole, and the oldest call among them.
#[utoipa::path(get, path = "/cases/summary", tag = "cases",
    responses((status = 200, body = CaseSummary), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn case_summary(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<CaseSummary>> {
    auth.require(Action::ViewCases)?;
    service::case_summary(&state, &auth).await.map(axum::Json)
}

/// Counts for the caller's badge (and per agent for team leaders and QC), with the time of the
/// latest change: the browser polls this every 20–30 s and reloads lists when it moves.
#[utoipa::path(get, path = "/followups/summary", tag = "followups",
    responses((status = 200, body = FollowupSummary), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn followup_summary(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<FollowupSummary>> {
    auth.require(Action::ViewCases)?;
    service::summary(&state, &auth).await.map(axum::Json)
}

/// One follow-up with its history.
#[utoipa::path(get, path = "/followups/{id}", tag = "followups", params(("id" = i64, Path)),
    responses((status = 200, body = Followup), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_followup(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Followup>> {
    service::followup(&state, &auth, id).await.map(axum::Json)
}

/// The agent records the re-care (their own follow-ups only; others' are 404). `recared_at` is
/// compared with the RETURN at the precision sent (a minute when its seconds are `00`): a
/// re-care before the RETURN → 422 `before_the_return`.
#[utoipa::path(post, path = "/followups/{id}/recare", tag = "followups", params(("id" = i64, Path)), request_body = RecareRequest,
    responses((status = 200, body = Followup), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
               (status = 409, description = "wrong_state or stale_version", body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn recare(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
    Json(body): Json<RecareRequest>,
) -> ApiResult<axum::Json<Followup>> {
    service::recare(&state, &auth, id, body).await.map(axum::Json)
}

/// QC verifies a re-care: `close`, or `reopen` with a comment the agent sees.
#[utoipa::path(post, path = "/followups/{id}/verify", tag = "followups", params(("id" = i64, Path)), request_body = VerifyRequest,
    responses((status = 200, body = Followup), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
               (status = 409, description = "wrong_state (not re-cared yet) or stale_version", body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn verify(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i64>,
    Json(body): Json<VerifyRequest>,
) -> ApiResult<axum::Json<Followup>> {
    auth.require(Action::VerifyFollowups)?;
    service::verify(&state, &auth, id, body).await.map(axum::Json)
}

/// The F-19 report for a period of calls (default: this month), by team, agent, service and
/// bucket, with totals; `format=xlsx|csv` downloads it. Team leaders: their team only.
#[utoipa::path(get, path = "/reports/f19", tag = "reports",
    params(F19Query),
    responses((status = 200, body = F19Report, description = "JSON, or the XLSX/CSV file"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn f19_report(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<F19Query>,
) -> ApiResult<Response> {
    auth.require(Action::ViewF19Report)?;
    let format = Format::of(query.format.as_deref())?;
    let report = report::f19(&state, &auth, &query).await?;
    let bytes = match format {
        Format::Xlsx => report::xlsx(&state, &report).await?,
        Format::Csv => report::csv(&state, &report).await?,
        Format::Json => return Ok(axum::Json(report).into_response()),
    };
    Ok(format.attachment(&report::file_name(&report, format.extension()), bytes))
}

/// What needs a second look: pending longer than `days` (default 2) after the call, customers
/// agreed more than once in the period, and promises later than the bucket allows.
#[utoipa::path(get, path = "/reports/reconciliation", tag = "reports",
    params(ReconciliationQuery),
    responses((status = 200, body = Reconciliation), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn reconciliation(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<ReconciliationQuery>,
) -> ApiResult<axum::Json<Reconciliation>> {
    auth.require(Action::ViewF19Report)?;
    report::reconciliation(&state, &auth, &query).await.map(axum::Json)
}
