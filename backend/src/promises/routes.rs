//! `/api/payments/...` and `/api/reports/promises`: the payment import and its template, the
//! unmatched payments and the keep-rate report, thin handlers over [`super::import`],
//! [`super::unmatched`] and [`super::report`].

use super::{import, report};
use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::http::export::Format;
use crate::http::upload;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::Action;
use domain::api::ErrorBody;
use domain::promises::{PaymentImportResult, PromiseGroup, PromiseReport, PromiseReportQuery, UnmatchedPayment};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(payment_import_template))
        .routes(routes!(unmatched_payments))
        .routes(routes!(promise_report))
        // Only the import gets the 50 MiB limit; every JSON route keeps 1 MiB.
        .merge(OpenApiRouter::new().routes(routes!(import_payments)).layer(upload::body_limit()))
}

/// Import the billing system's payments (multipart field `file`: CSV or XLSX, at most 50 MiB
/// and 1,000,000 data rows; admin, qc_coordinator). Columns `customer_no, paid_at, amount,
/// payment_ref`, optionally `kind` (`payment` or `reversal`) and `channel`, named in English or
/// Indonesian, in any order. All or nothing: the payments appear together, with the audit entry
/// and the re-evaluated promises of their customers, once the whole file is read; a refused file
/// stores nothing. Idempotent by customer, kind and `payment_ref`: a row already stored is a
/// duplicate; with another amount it is refused, naming the stored amount. A payment of a
/// customer without agrees, and a reversal naming no stored payment, are kept and counted as
/// `unmatched`. Refused rows name every fault (`problems`: column and code; `row_problems`:
/// faults of the whole row); all are listed by `GET /api/imports/{import_id}/rejections`. The
/// agree export is refused as such (422 `looks_like_agrees`).
#[utoipa::path(post, path = "/payments/import", tag = "promises",
    request_body(content_type = "multipart/form-data", description = "field `file`: the CSV or XLSX export of the billing system"),
    responses((status = 200, body = PaymentImportResult), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody),
               (status = 422, description = "not CSV/XLSX, empty, a header with missing or extra columns (or the agree export's), \
                more than 1,000,000 rows, or a workbook past the reader's bounds", body = ErrorBody)),
    security(("bearer" = [])))]
async fn import_payments(
    State(state): State<AppState>,
    auth: AuthUser,
    headers: axum::http::HeaderMap,
    mut multipart: axum::extract::Multipart,
) -> ApiResult<axum::Json<PaymentImportResult>> {
    auth.require(Action::ImportPayments)?;
    upload::import_file(&headers, &mut multipart, "payments", async |filename, field| {
        import::run_upload(&state, &auth, &filename, field).await
    })
    .await
    .map(axum::Json)
}

/// A CSV with the header of the payment import and two example rows (a payment and its
/// reversal).
#[utoipa::path(get, path = "/payments/import-template", tag = "promises",
    responses((status = 200, description = "text/csv"), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn payment_import_template(auth: AuthUser) -> ApiResult<Response> {
    auth.require(Action::ImportPayments)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"payment-import-template.csv\""),
        ],
        import::template(),
    )
        .into_response())
}

/// The stored payments no agree takes, oldest first (admin, qc_coordinator): payments of a
/// customer without agrees, and reversals naming no stored payment. An import that brings the
/// customer's agree, or the payment, takes them off this list.
#[utoipa::path(get, path = "/payments/unmatched", tag = "promises",
    params(crate::paging::PageQuery),
    responses((status = 200, body = domain::api::Page<UnmatchedPayment>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn unmatched_payments(
    State(state): State<AppState>,
    auth: AuthUser,
    crate::error::Query(page): crate::error::Query<crate::paging::PageQuery>,
) -> ApiResult<axum::Json<domain::api::Page<UnmatchedPayment>>> {
    auth.require(Action::ImportPayments)?;
    super::unmatched::list(&state, &page).await.map(axum::Json)
}

/// Keep rates: the period's agrees by promise status (kept, broken, pending) and kept / (kept +
/// broken), grouped by `group_by`; `format=xlsx|csv` downloads it. Team leaders: their team only.
#[utoipa::path(get, path = "/reports/promises", tag = "reports",
    params(PromiseReportQuery),
    responses((status = 200, body = PromiseReport, description = "JSON, or the XLSX/CSV file"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn promise_report(
    State(state): State<AppState>,
    auth: AuthUser,
    crate::error::Query(query): crate::error::Query<PromiseReportQuery>,
) -> ApiResult<Response> {
    auth.require(Action::ViewF19Report)?;
    let format = Format::of(query.format.as_deref())?;
    let (from, to) = crate::cases::report::dates(&state, query.from.as_deref(), query.to.as_deref())?;
    let report = report::report(&state, &auth, &query, (from, to)).await?;
    let group = query.group_by.unwrap_or(PromiseGroup::Agent);
    let bytes = match format {
        Format::Xlsx => {
            let narrowed: String = [query.service.map(|s| s.label()), query.bucket.map(|b| b.label())]
                .into_iter()
                .flatten()
                .map(|label| format!(", {label}"))
                .collect();
            report::xlsx(
                &report,
                &format!("Janji bayar ditepati / Promises kept — {from} s.d. {to}{narrowed}, per {group}"),
            )?
        }
        Format::Csv => report::csv(&report)?,
        Format::Json => return Ok(axum::Json(report).into_response()),
    };
    Ok(format.attachment(&format!("janji-bayar_{from}_{to}_{group}.{}", format.extension()), bytes))
}
