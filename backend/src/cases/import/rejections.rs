//! The refused rows of a finished import, all of them: `GET /api/imports/{id}/rejections` (a
//! page at a time, each row's faults as codes, which the browser words and downloads in the
//! user's language) and `GET /api/imports/{id}/rejections.csv` (streamed, in English words, for
//! API clients).

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::paging::{Cut, PageQuery, cut};
use crate::state::AppState;
use axum::body::Bytes;
use domain::api::Page;
use domain::cases::{RejectedRow, RowProblem};
use entity::{import_rejections, imports};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// A finished import the caller may read the refusals of: the roles that may import, and the
/// importer; others (and unknown or unfinished imports) 404.
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
    import
        .filter(|i| i.imported_by == who.id || domain::permissions::can(who.role, domain::Action::ImportCases))
        .ok_or(ApiError::NotFound)
}

/// A page of the refused rows of a finished import, in file order (`?limit=&cursor=`). Rows
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
    let items = rows
        .into_iter()
        .map(|r| RejectedRow {
            row: u64::try_from(r.row_no).unwrap_or_default(),
            problems: r
                .problems
                .as_deref()
                .and_then(|codes| serde_json::from_str::<Vec<RowProblem>>(codes).ok())
                .unwrap_or_default(),
            error: r.error,
        })
        .collect();
    Ok(Page { items, next_cursor })
}

/// Refused rows a page of the CSV download reads.
const REJECTIONS_PAGE: u64 = 5_000;

/// Every refused row of a finished import as CSV (`row,error`, with a BOM so spreadsheets read
/// UTF-8, every text through [`domain::cases::spreadsheet_safe`]), page by page as the client
/// reads. For the roles that may import and the importer; others (and unknown or unfinished
/// imports) 404.
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
