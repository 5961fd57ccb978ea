//! The wording of the W-04 checklist. It is part of W-04, a controlled document, so it changes
//! only by a new version: versions 1, 2, … in `checklist_versions`, never changed once made, the
//! highest in force. The QC coordinator signs each new one with their password (the documents'
//! re-authentication: the same lock-out, refusals and bounded hashing) and a reason, and it is
//! written with its audit entry in one transaction. Validations name the version they used.

use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult, is_unique_violation};
use crate::paging::{Cut, PageQuery, cut};
use crate::state::AppState;
use domain::Role;
use domain::api::Page;
use domain::audit::AuditAction;
use domain::cases::{self as rules, ChecklistChange, ChecklistLabels, ChecklistVersion};
use domain::problems::{Conflict, Problem};
use entity::checklist_versions as versions;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

/// 409: the wording in force is not the version the caller saw (a QCO validating, the
/// coordinator editing); nothing was recorded.
pub fn checklist_changed() -> ApiError {
    ApiError::conflict(
        Conflict::ChecklistChanged,
        "the W-04 checklist wording has changed since it was loaded; reload it and check the items again",
    )
}

fn version_of(model: versions::Model) -> ApiResult<ChecklistVersion> {
    let labels: ChecklistLabels = serde_json::from_str(&model.items).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(ChecklistVersion {
        version: model.version.into(),
        items: labels.items,
        signed_by: model.signed_by.map(i64::from),
        signer_name: model.signer_name,
        signer_role: model.signer_role.and_then(|role| role.parse::<Role>().ok()),
        signed_at: timestamp(model.signed_at),
        reason: model.reason,
    })
}

async fn in_force_row(db: &impl ConnectionTrait) -> ApiResult<versions::Model> {
    versions::Entity::find().order_by_desc(versions::Column::Version).one(db).await?.ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("no W-04 checklist wording version (the migration makes version 1)"))
    })
}

/// The wording in force: the highest version.
pub async fn checklist(db: &impl ConnectionTrait) -> ApiResult<ChecklistVersion> {
    version_of(in_force_row(db).await?)
}

/// The number of the version in force.
pub async fn version_in_force(db: &impl ConnectionTrait) -> ApiResult<i32> {
    Ok(in_force_row(db).await?.version)
}

/// The wording of one version, if it exists.
pub async fn wording_of(db: &impl ConnectionTrait, version: i32) -> ApiResult<Option<ChecklistLabels>> {
    let found = versions::Entity::find().filter(versions::Column::Version.eq(version)).one(db).await?;
    Ok(match found {
        Some(model) => Some(version_of(model)?.labels()),
        None => None,
    })
}

/// `GET /api/cases/checklist/versions`: every version, newest first, paged.
pub async fn checklist_versions(db: &impl ConnectionTrait, page: &PageQuery) -> ApiResult<Page<ChecklistVersion>> {
    let limit = page.limit()?;
    let mut query = versions::Entity::find().order_by_desc(versions::Column::Version);
    if let Some(after) = page.after()? {
        query = query.filter(versions::Column::Version.lt(after));
    }
    let Cut { rows, next_cursor } = cut(query.limit(limit + 1).all(db).await?, limit, |v| i64::from(v.version));
    let items = rows.into_iter().map(version_of).collect::<ApiResult<Vec<_>>>()?;
    Ok(Page { items, next_cursor })
}

/// `PUT /api/cases/checklist` (qc_coordinator only): the next version, signed. The role, the
/// wording and the reason are checked first (403, 422), then that the edited version is still
/// in force (409 `checklist_changed`) and that the wording changes at all (422 `unchanged` on
/// `items`: no empty version), then the password (401 `wrong_password`, 429, 503, as for
/// documents). Nothing is written until all of these pass.
pub async fn set_checklist(state: &AppState, auth: &AuthUser, body: ChecklistChange) -> ApiResult<ChecklistVersion> {
    if auth.role != Role::QcCoordinator {
        return Err(ApiError::Forbidden);
    }
    let labels = rules::check_checklist_change(&body).map_err(ApiError::Validation)?;
    let reason = body.reason.trim().to_owned();
    let current = in_force_row(&state.db.conn).await?;
    if body.version.is_some_and(|v| v != i64::from(current.version)) {
        return Err(checklist_changed());
    }
    let before = version_of(current.clone())?;
    if before.labels() == labels {
        return Err(ApiError::field("items", Problem::Unchanged));
    }
    crate::auth::service::reauthenticate(state, auth, body.password, "checklist.sign").await?;
    let at = now();
    let txn = state.db.write().await?;
    let signer = entity::users::Entity::find_by_id(auth.id).one(&*txn).await?.ok_or(ApiError::Unauthenticated)?;
    // Another version may have been signed while the password was being checked.
    if in_force_row(&*txn).await?.version != current.version {
        return Err(checklist_changed());
    }
    let next = current.version + 1;
    let model = versions::Model {
        id: 0,
        version: next,
        items: serde_json::to_string(&labels).map_err(|e| ApiError::Internal(e.into()))?,
        signed_by: Some(auth.id),
        signer_name: Some(signer.full_name.clone()),
        signer_role: Some(signer.role.as_str().to_owned()),
        signed_at: at,
        reason: reason.clone(),
    };
    let inserted = versions::Entity::insert(versions::ActiveModel {
        version: Set(model.version),
        items: Set(model.items.clone()),
        signed_by: Set(model.signed_by),
        signer_name: Set(model.signer_name.clone()),
        signer_role: Set(model.signer_role.clone()),
        signed_at: Set(at),
        reason: Set(reason.clone()),
        ..Default::default()
    })
    .exec(&*txn)
    .await;
    // PostgreSQL: two coordinators signing at once both read the same version; one gets in.
    let id = match inserted {
        Ok(result) => result.last_insert_id,
        Err(err) if is_unique_violation(&err) => return Err(checklist_changed()),
        Err(err) => return Err(err.into()),
    };
    audit::append(
        &txn,
        Entry {
            actor: &auth.actor(),
            action: AuditAction::ChecklistVersionSigned,
            entity: "checklist_version",
            entity_id: Some(next.to_string()),
            payload: json!({
                "from_version": current.version,
                "to_version": next,
                "from": before.items,
                "to": labels.items,
                "reason": reason,
                "signer_name": signer.full_name,
                "signer_role": signer.role,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    version_of(versions::Model { id, ..model })
}
