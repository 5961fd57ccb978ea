//! The wording of the W-04 checklist: one settings row, read by every QCO's form and edited by
//! the QRD coordinator (with its audit entry).

use super::shared::Who;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use domain::Role;
use domain::cases::{self as rules, ChecklistLabels};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::json;

const CHECKLIST_SETTING: &str = "w04_checklist";

/// The wording of the W-04 checklist: as the QRD coordinator last saved it, else the default.
pub async fn checklist(db: &impl ConnectionTrait) -> ApiResult<ChecklistLabels> {
    let stored = entity::settings::Entity::find_by_id(CHECKLIST_SETTING.to_owned()).one(db).await?;
    Ok(stored.and_then(|s| serde_json::from_str(&s.value).ok()).unwrap_or_default())
}

/// `PUT /api/cases/checklist` (qc_coordinator only).
pub async fn set_checklist(state: &AppState, who: &Who, body: ChecklistLabels) -> ApiResult<ChecklistLabels> {
    if who.role != Role::QcCoordinator {
        return Err(ApiError::Forbidden);
    }
    let labels = rules::check_checklist_labels(&body).map_err(ApiError::Validation)?;
    let value = serde_json::to_string(&labels).map_err(|e| ApiError::Internal(e.into()))?;
    let txn = state.db.write().await?;
    let before = checklist(&*txn).await?;
    entity::settings::Entity::insert(entity::settings::ActiveModel {
        key: Set(CHECKLIST_SETTING.into()),
        value: Set(value),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(entity::settings::Column::Key)
            .update_column(entity::settings::Column::Value)
            .to_owned(),
    )
    .exec_without_returning(&*txn)
    .await?;
    who.audit(&txn, "checklist.updated", "setting", CHECKLIST_SETTING.into(), json!({ "from": before, "to": labels }))
        .await?;
    txn.commit().await?;
    Ok(labels)
}
