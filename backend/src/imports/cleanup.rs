//! Taking back imports that did not finish: at once when the request fails or goes away
//! ([`Undo`], [`discard`]), and, for imports whose server died, in the background once their
//! record is stale ([`discard_unfinished`]), each with its audit entry.

use super::limits;
use crate::audit::{self, Actor, Entry};
use crate::db::{WriteTx, now};
use crate::error::ApiResult;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::audit::AuditAction;
use entity::{import_rejections, import_rows, imports, payment_import_rows};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

/// Takes back the staging of an import whose request was dropped half-way (the client went
/// away and the server stopped polling the request): armed while the import runs.
pub(super) struct Undo {
    pub(super) state: AppState,
    pub(super) import_id: Option<i32>,
}

impl Drop for Undo {
    fn drop(&mut self) {
        if let Some(id) = self.import_id.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            let state = self.state.clone();
            runtime.spawn(async move { discard(&state, id).await });
        }
    }
}

/// Deletes an unfinished import's record, and when that was still there, its staged rows and
/// refusals; returns how many rows were staged (`None`: the record was not there, or not
/// matching `stale_before`).
async fn delete_unfinished(
    txn: &WriteTx,
    import_id: i32,
    stale_before: Option<DateTime<Utc>>,
) -> ApiResult<Option<u64>> {
    let mut record = imports::Entity::delete_many()
        .filter(imports::Column::Id.eq(import_id))
        .filter(imports::Column::FinishedAt.is_null());
    if let Some(cutoff) = stale_before {
        record = record.filter(imports::Column::ProgressAt.lt(cutoff));
    }
    if record.exec(&**txn).await?.rows_affected == 0 {
        return Ok(None);
    }
    // An import stages into one of the two tables; the other has nothing of it.
    let agrees = import_rows::Entity::delete_many()
        .filter(import_rows::Column::ImportId.eq(import_id))
        .exec(&**txn)
        .await?
        .rows_affected;
    let payments = payment_import_rows::Entity::delete_many()
        .filter(payment_import_rows::Column::ImportId.eq(import_id))
        .exec(&**txn)
        .await?
        .rows_affected;
    let staged = agrees + payments;
    import_rejections::Entity::delete_many()
        .filter(import_rejections::Column::ImportId.eq(import_id))
        .exec(&**txn)
        .await?;
    Ok(Some(staged))
}

/// Takes back what a failed upload staged, and its record. Nothing of it was ever visible, so
/// there is nothing to audit. Best effort: a failure is logged (and the background clean-up
/// retries later).
pub(super) async fn discard(state: &AppState, import_id: i32) {
    let undo = async {
        let txn = state.db.write().await?;
        delete_unfinished(&txn, import_id, None).await?;
        txn.commit().await
    };
    if let Err(error) = undo.await {
        tracing::warn!(import_id, "the staging of a failed import could not be taken back: {error:?}");
    }
}

/// Discards the imports that never finished and made no progress since before
/// `now - STALE_AFTER` (their server died mid-import): their staged rows, refusals and record
/// go, each with an audit entry `cases.import_discarded` (`payments.import_discarded` for a
/// payment import). Safe on several servers at once: each
/// delete is conditional on the record being still unfinished and still stale, so one server
/// discards an import and none discards a live one. Returns how many were discarded.
pub async fn discard_unfinished(state: &AppState, now: DateTime<Utc>) -> ApiResult<u64> {
    let cutoff = now - chrono::Duration::from_std(limits::STALE_AFTER).unwrap_or(chrono::Duration::MAX);
    let stale = imports::Entity::find()
        .filter(imports::Column::FinishedAt.is_null())
        .filter(imports::Column::ProgressAt.lt(cutoff))
        .order_by_asc(imports::Column::Id)
        .limit(100)
        .all(&state.db.conn)
        .await?;
    let mut discarded = 0;
    for import in stale {
        let txn = state.db.write().await?;
        let Some(staged) = delete_unfinished(&txn, import.id, Some(cutoff)).await? else {
            // Another server discarded it, or it moved on meanwhile.
            continue;
        };
        audit::append(
            &txn,
            Entry {
                actor: &Actor::system(),
                action: if import.kind == crate::promises::import::KIND {
                    AuditAction::PaymentsImportDiscarded
                } else {
                    AuditAction::CasesImportDiscarded
                },
                entity: "import",
                entity_id: Some(import.id.to_string()),
                payload: json!({
                    "filename": import.filename,
                    "imported_by": import.imported_by,
                    "started_at": crate::db::timestamp(import.imported_at),
                    "last_progress_at": import.progress_at.map(crate::db::timestamp),
                    "staged_rows": staged,
                    "reason": "the import never finished (its server stopped); nothing of it was imported",
                }),
            },
        )
        .await?;
        txn.commit().await?;
        discarded += 1;
    }
    Ok(discarded)
}

/// [`discard_unfinished`] as a step of the server's background work: failures are logged, and
/// the next round retries.
pub async fn discard_unfinished_imports(state: &AppState) {
    match discard_unfinished(state, now()).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(discarded = n, "discarded unfinished imports of a server that stopped"),
        Err(err) => tracing::warn!(error = %err, "discarding unfinished imports failed; will retry"),
    }
}
