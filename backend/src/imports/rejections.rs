//! The refused rows of a finished import, agrees or payments, all of them:
//! `GET /api/imports/{id}/rejections` (a page at a time, each row's faults as codes, which the
//! browser words and downloads in the user's language) and `GET /api/imports/{id}/rejections.csv`
//! (streamed, in English words, for API clients).

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::paging::{Cut, PageQuery, cut};
use crate::state::AppState;
use axum::body::Bytes;
use domain::Action;
use domain::api::Page;
use domain::cases::{RejectedRow, RowProblem};
use domain::promises::PaymentRowProblem;
use entity::{import_rejections, imports};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// A finished import the caller may read the refusals of: the roles that may make an import of
/// its kind, and the importer; others (and unknown or unfinished imports) 404. A payment file's
/// rows (customers' payments) are not for those who import agrees only.
async fn finished_import(state: &AppState, who: &AuthUser, import_id: i64) -> ApiResult<imports::Model> {
    let import = match i32::try_from(import_id) {
        Ok(id) => {
            imports::Entity::find_by_id(id)
                .filter(imports::Column::FinishedAt.is_not_null())
                .one(&state.db.conn)
                .await?
        }
        Err(_) => None,
    };
    import.filter(|i| i.imported_by == who.id || who.may(action(i))).ok_or(ApiError::NotFound)
}

/// What makes an import of this one's kind.
fn action(import: &imports::Model) -> Action {
    if import.kind == crate::promises::import::KIND { Action::ImportPayments } else { Action::ImportCases }
}

/// The faults a payment import stores for a refused row (`import_rejections.problems`): those of
/// its cells, and those of the row as a whole.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct PaymentProblems {
    pub(crate) cells: Vec<PaymentRowProblem>,
    pub(crate) row: Vec<RowProblem>,
}

/// A stored refusal as the page lists it: an agree import's codes in `problems`; a payment
/// import's cell faults in `payment_problems`, those of the row as a whole in `problems`.
fn listed(import: &imports::Model, r: import_rejections::Model) -> RejectedRow {
    let row = u64::try_from(r.row_no).unwrap_or_default();
    let codes = r.problems.as_deref();
    if import.kind == crate::promises::import::KIND {
        let stored = codes.and_then(|c| serde_json::from_str::<PaymentProblems>(c).ok());
        let (payment_problems, problems) = stored.map(|p| (p.cells, p.row)).unwrap_or_default();
        return RejectedRow { row, error: r.error, problems, payment_problems };
    }
    RejectedRow {
        row,
        problems: codes.and_then(|c| serde_json::from_str::<Vec<RowProblem>>(c).ok()).unwrap_or_default(),
        error: r.error,
        payment_problems: Vec::new(),
    }
}

/// A page of the refused rows of a finished import, in the order they were refused: file order,
/// then (a payment import's) the rows its last transaction refused (`?limit=&cursor=`). Rows
/// refused before their faults were stored as codes have `problems` empty and only `error`.
pub async fn rejections_page(
    state: &AppState,
    who: &AuthUser,
    import_id: i64,
    page: &PageQuery,
) -> ApiResult<Page<RejectedRow>> {
    let import = finished_import(state, who, import_id).await?;
    let limit = page.limit()?;
    let mut query = import_rejections::Entity::find()
        .filter(import_rejections::Column::ImportId.eq(import.id))
        .order_by_asc(import_rejections::Column::Seq);
    if let Some(after) = page.after()? {
        query = query.filter(import_rejections::Column::Seq.gt(after));
    }
    let Cut { rows, next_cursor } = cut(query.limit(limit + 1).all(&state.db.conn).await?, limit, |r| r.seq);
    let items = rows.into_iter().map(|r| listed(&import, r)).collect();
    Ok(Page { items, next_cursor })
}

/// Refused rows a page of the CSV download reads.
const REJECTIONS_PAGE: u64 = 5_000;

/// Every refused row of a finished import as CSV (`row,error`, with a BOM so spreadsheets read
/// UTF-8, every text through [`domain::cases::spreadsheet_safe`]), page by page as the client
/// reads. For the roles that may make an import of its kind and the importer; others (and
/// unknown or unfinished imports) 404.
pub async fn rejections_csv(
    state: &AppState,
    who: &AuthUser,
    import_id: i64,
) -> ApiResult<impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static> {
    let import = finished_import(state, who, import_id).await?;
    let state = state.clone();
    let pages = futures_util::stream::unfold(Some(-1i64), move |after| {
        let state = state.clone();
        async move {
            let after = after?;
            let page = import_rejections::Entity::find()
                .filter(import_rejections::Column::ImportId.eq(import.id))
                .filter(import_rejections::Column::Seq.gt(after))
                .order_by_asc(import_rejections::Column::Seq)
                .limit(REJECTIONS_PAGE)
                .all(&state.db.conn)
                .await;
            let page = match page {
                Ok(page) => page,
                Err(err) => {
                    tracing::error!(error = %err, "reading refused rows failed");
                    return Some((Err(std::io::Error::other("reading refused rows failed")), None));
                }
            };
            if page.is_empty() && after >= 0 {
                return None;
            }
            let mut writer = csv::Writer::from_writer(if after < 0 { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() });
            if after < 0 {
                let _ = writer.write_record(["row", "error"]);
            }
            for r in &page {
                let _ = writer.write_record([r.row_no.to_string(), domain::cases::spreadsheet_safe(&r.error)]);
            }
            let bytes = writer.into_inner().unwrap_or_default();
            let next = (page.len() as u64 == REJECTIONS_PAGE).then(|| page.last().map(|r| r.seq)).flatten();
            Some((Ok(Bytes::from(bytes)), next))
        }
    });
    Ok(pages)
}
