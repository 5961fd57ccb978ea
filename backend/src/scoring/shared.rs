//! Helpers several parts of scoring use (forms, evaluations, disputes, calibration, sampling,
//! the fail-rate report): the workflow refusal as an `ApiError`, the text checks, the stored
//! codes read back as `domain` enums, user look-ups and the audit entry of a change (site days and
//! periods are [`crate::site_time`]'s). A helper only one part uses lives in that part.

use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use domain::Role;
use domain::audit::AuditAction;
use domain::documents::Refusal;
use domain::problems::Conflict;
use domain::problems::Problem;
use domain::scoring::FormStatus;
use domain::validation::{TextRule, text};
use entity::{scoring_forms, users};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};

/// The longest comment or reason on a sheet, in characters.
pub(super) const COMMENT_MAX: usize = domain::limits::TEXT_MAX;

pub(crate) fn refusal(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotAllowed => ApiError::Forbidden,
        Refusal::WrongState => {
            ApiError::conflict(Conflict::WrongState, "the sheet is not in a state where this step applies")
        }
    }
}

/// A required line of at most `max` characters ([`domain::validation::text`]).
pub(crate) fn check_line(field: &str, value: &str, max: usize) -> ApiResult<()> {
    ApiError::checked(field, text(value, TextRule::line(max)))
}

/// Free text (comments, reasons), may be empty ([`domain::validation::text`]).
pub(crate) fn check_text(field: &str, value: &str, max: usize) -> ApiResult<()> {
    ApiError::checked(field, text(value, TextRule::free(max)))
}

/// Names of users by id (one query).
pub(crate) async fn user_names(db: &impl ConnectionTrait, ids: Vec<i32>) -> ApiResult<HashMap<i32, (String, String)>> {
    let ids: Vec<i32> = ids.into_iter().collect::<HashSet<_>>().into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, String, String)> = users::Entity::find()
        .select_only()
        .columns([users::Column::Id, users::Column::Username, users::Column::FullName])
        .filter(users::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, username, name)| (id, (username, name))).collect())
}

/// A user that is active and has the given role.
/// The published form version a new sheet or calibration is scored on (`form_id`): 422
/// `not_found` for none (or an id beyond the key's range), `not_published` for a draft or a
/// retired one.
pub(crate) async fn published_form(db: &impl ConnectionTrait, form_id: i64) -> ApiResult<scoring_forms::Model> {
    let form = match i32::try_from(form_id) {
        Ok(id) => scoring_forms::Entity::find_by_id(id).one(db).await?,
        Err(_) => None,
    }
    .ok_or_else(|| ApiError::field("form_id", Problem::NotFound))?;
    if form.status != FormStatus::Published {
        return Err(ApiError::field("form_id", Problem::NotPublished));
    }
    Ok(form)
}

pub(crate) async fn active_with_role(
    db: &impl ConnectionTrait,
    id: i64,
    role: Role,
) -> ApiResult<Option<users::Model>> {
    let Ok(id) = i32::try_from(id) else { return Ok(None) };
    Ok(users::Entity::find_by_id(id)
        .filter(users::Column::Active.eq(true))
        .filter(users::Column::Role.eq(role))
        .one(db)
        .await?)
}

/// Appends the audit entry of a change by the caller, in the change's transaction.
pub(super) async fn audit_entry(
    tx: &crate::db::WriteTx,
    auth: &AuthUser,
    action: AuditAction,
    entity: &str,
    id: impl ToString,
    payload: serde_json::Value,
) -> ApiResult<()> {
    audit::append(tx, Entry { actor: &auth.actor(), action, entity, entity_id: Some(id.to_string()), payload })
        .await
        .map(|_| ())
}
