//! Helpers several parts of scoring use (forms, evaluations, disputes, calibration, sampling,
//! the fail-rate report): the workflow refusal as an `ApiError`, the text and date checks, the
//! period of a list filter, the stored codes read back as `domain` enums, user look-ups and the
//! audit entry of a change. A helper only one part uses lives in that part.

use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::documents::service::start_of_day;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::Role;
use domain::cases::{Bucket, Service};
use domain::documents::Refusal;
use domain::scoring::EvaluationStatus;
use entity::{evaluations, users};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};

/// The longest comment or reason on a sheet, in characters.
pub(super) const COMMENT_MAX: usize = domain::limits::TEXT_MAX;

pub(crate) fn refusal(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotAllowed => ApiError::Forbidden,
        Refusal::WrongState => ApiError::conflict("wrong_state", "the sheet is not in a state where this step applies"),
    }
}

/// A one-line text field: required or not, at most `max` characters, no control characters.
pub(crate) fn check_line(field: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.trim().is_empty() {
        return Err(ApiError::field(field, "required"));
    }
    if value.chars().count() > max {
        return Err(ApiError::field(field, "too_long"));
    }
    if value.chars().any(char::is_control) {
        return Err(ApiError::field(field, "invalid_characters"));
    }
    Ok(())
}

/// Free text (comments, reasons): newlines allowed, no other control characters.
pub(crate) fn check_text(field: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.chars().count() > max {
        return Err(ApiError::field(field, "too_long"));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(ApiError::field(field, "invalid_characters"));
    }
    Ok(())
}

pub(crate) fn parse_instant(field: &str, text: &str) -> ApiResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| ApiError::field(field, "invalid_timestamp"))
}

pub(crate) fn parse_day(field: &str, text: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| ApiError::field(field, "invalid_date"))
}

/// `[from 00:00, to + 1 day 00:00)` in the site's zone.
/// A period's bounds as instants, each optional.
pub(crate) type Bounds = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

pub(crate) fn period(state: &AppState, from: Option<&str>, to: Option<&str>) -> ApiResult<Bounds> {
    let from = from.map(|t| parse_day("from", t)).transpose()?;
    let to = to.map(|t| parse_day("to", t)).transpose()?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(ApiError::field("to", "before_from"));
    }
    Ok((from.map(|d| start_of_day(state, d)), to.map(|d| start_of_day(state, d + Duration::days(1)))))
}

pub(crate) fn service_of(text: &str) -> Service {
    Service::parse(text).unwrap_or(Service::Ct0)
}

pub(crate) fn bucket_of(text: &str) -> Bucket {
    Bucket::parse(text).unwrap_or(Bucket::N)
}

/// A sheet's stored status (a draft if unreadable).
pub(super) fn status_of(model: &evaluations::Model) -> EvaluationStatus {
    EvaluationStatus::parse(&model.status).unwrap_or(EvaluationStatus::Draft)
}

/// An id filter as the `INTEGER` column holds it (out of range: -1, which matches nothing).
pub(super) fn id32(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(-1)
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
pub(crate) async fn active_with_role(
    db: &impl ConnectionTrait,
    id: i64,
    role: Role,
) -> ApiResult<Option<users::Model>> {
    let Ok(id) = i32::try_from(id) else { return Ok(None) };
    Ok(users::Entity::find_by_id(id)
        .filter(users::Column::Active.eq(true))
        .filter(users::Column::Role.eq(role.as_str()))
        .one(db)
        .await?)
}

/// Appends the audit entry of a change by the caller, in the change's transaction.
pub(super) async fn audit_entry(
    tx: &crate::db::WriteTx,
    auth: &AuthUser,
    action: &str,
    entity: &str,
    id: impl ToString,
    payload: serde_json::Value,
) -> ApiResult<()> {
    audit::append(tx, Entry { actor: &auth.actor(), action, entity, entity_id: Some(id.to_string()), payload })
        .await
        .map(|_| ())
}
