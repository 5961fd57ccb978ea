//! `/api/mail/…` (admin): the outbox, its counts and sending a failed message again; and
//! `PUT /api/me/digest`, where each person turns their daily digest on or off.

use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::paging::{PageQuery, cut};
use crate::state::AppState;
use axum::extract::State;
use domain::Action;
use domain::api::{ErrorBody, Page, User, UserRef};
use domain::audit::AuditAction;
use domain::mail::{DigestChoice, MailStatus, OutboxFilter, OutboxMessage, OutboxSummary};
use domain::problems::Conflict;
use entity::{mail_outbox, users};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use std::collections::HashMap;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(outbox))
        .routes(routes!(outbox_summary))
        .routes(routes!(retry))
        .routes(routes!(set_digest))
}

/// The outbox, newest first (admin): every message planned, what became of it and why.
#[utoipa::path(get, path = "/mail/outbox", tag = "mail", params(OutboxFilter),
    responses((status = 200, body = Page<OutboxMessage>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn outbox(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<OutboxFilter>,
) -> ApiResult<axum::Json<Page<OutboxMessage>>> {
    auth.require(Action::ManageUsers)?;
    let db = &state.db.conn;
    let page = PageQuery::of(filter.limit, filter.cursor.as_ref());
    let limit = page.limit()?;
    let mut query = mail_outbox::Entity::find().order_by_desc(mail_outbox::Column::Id);
    if let Some(before) = page.after()? {
        query = query.filter(mail_outbox::Column::Id.lt(before));
    }
    if let Some(status) = filter.status {
        query = query.filter(mail_outbox::Column::Status.eq(status));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(mail_outbox::Column::Kind.eq(kind));
    }
    let rows = cut(query.limit(limit + 1).all(db).await?, limit, |m| i64::from(m.id));
    let ids: Vec<i32> = rows.rows.iter().filter_map(|m| m.user_id).collect();
    let people: HashMap<i32, users::Model> = users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(axum::Json(rows.page(|m| view(m, &people))))
}

fn view(m: mail_outbox::Model, people: &HashMap<i32, users::Model>) -> OutboxMessage {
    let recipient = match m.user_id.and_then(|id| people.get(&id)) {
        Some(u) => UserRef { id: u.id.into(), username: u.username.clone(), full_name: u.full_name.clone() },
        None => UserRef { id: m.user_id.map_or(0, i64::from), username: String::new(), full_name: String::new() },
    };
    let pending = m.status == MailStatus::Pending;
    OutboxMessage {
        id: m.id.into(),
        kind: m.kind,
        status: m.status,
        recipient,
        to_address: m.to_address,
        subject: m.subject,
        attempts: u32::try_from(m.attempts).unwrap_or(0),
        last_error: m.last_error,
        created_at: timestamp(m.created_at),
        next_attempt_at: pending.then(|| timestamp(m.next_attempt_at)),
        sent_at: m.sent_at.map(timestamp),
    }
}

/// The outbox counted by status, and whether mail is on (admin).
#[utoipa::path(get, path = "/mail/summary", tag = "mail",
    responses((status = 200, body = OutboxSummary), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn outbox_summary(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<OutboxSummary>> {
    auth.require(Action::ManageUsers)?;
    let counts: Vec<(MailStatus, i64)> = mail_outbox::Entity::find()
        .select_only()
        .column(mail_outbox::Column::Status)
        .column_as(mail_outbox::Column::Id.count(), "n")
        .group_by(mail_outbox::Column::Status)
        .into_tuple()
        .all(&state.db.conn)
        .await?;
    let mut summary = OutboxSummary { enabled: state.config.mail.is_some(), ..OutboxSummary::default() };
    for (status, n) in counts {
        let n = u64::try_from(n).unwrap_or(0);
        match status {
            MailStatus::Pending => summary.pending = n,
            MailStatus::Sent => summary.sent = n,
            MailStatus::Failed => summary.failed = n,
            MailStatus::Skipped => summary.skipped = n,
        }
    }
    Ok(axum::Json(summary))
}

/// Send a failed message again (admin), at the next round of the mail work; its recipient is
/// worked out afresh. Audited (`mail.retried`). 409 `wrong_state` unless it failed.
#[utoipa::path(post, path = "/mail/outbox/{id}/retry", tag = "mail", params(("id" = i32, Path)),
    responses((status = 200, body = OutboxMessage), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "wrong_state", body = ErrorBody)),
    security(("bearer" = [])))]
async fn retry(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i32>,
) -> ApiResult<axum::Json<OutboxMessage>> {
    auth.require(Action::ManageUsers)?;
    let txn = state.db.write().await?;
    let before = mail_outbox::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let changed = mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::Status, Expr::value(MailStatus::Pending))
        .col_expr(mail_outbox::Column::Attempts, Expr::value(0))
        .col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(now()))
        .filter(mail_outbox::Column::Id.eq(id))
        .filter(mail_outbox::Column::Status.eq(MailStatus::Failed))
        .exec(&*txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(ApiError::conflict(Conflict::WrongState, "only a failed message can be sent again"));
    }
    audit::append(
        &txn,
        Entry {
            actor: &auth.actor(),
            action: AuditAction::MailRetried,
            entity: "mail",
            entity_id: Some(id.to_string()),
            payload: json!({ "kind": before.kind, "attempts": before.attempts, "last_error": before.last_error }),
        },
    )
    .await?;
    let after = mail_outbox::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let people: HashMap<i32, users::Model> = match after.user_id {
        Some(user) => users::Entity::find_by_id(user).one(&*txn).await?.map(|u| (u.id, u)).into_iter().collect(),
        None => HashMap::new(),
    };
    txn.commit().await?;
    Ok(axum::Json(view(after, &people)))
}

/// Turn the caller's daily digest email on or off. Audited (`user.digest_changed`) when it
/// changes.
#[utoipa::path(put, path = "/me/digest", tag = "auth", request_body = DigestChoice,
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn set_digest(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<DigestChoice>,
) -> ApiResult<axum::Json<User>> {
    auth.require(Action::UseOwnAccount)?;
    let txn = state.db.write().await?;
    let changed = users::Entity::update_many()
        .col_expr(users::Column::Digest, Expr::value(body.digest))
        .col_expr(users::Column::UpdatedAt, Expr::value(now()))
        .filter(users::Column::Id.eq(auth.id))
        .filter(users::Column::Digest.ne(body.digest))
        .exec(&*txn)
        .await?;
    if changed.rows_affected == 1 {
        audit::append(
            &txn,
            Entry {
                actor: &auth.actor(),
                action: AuditAction::UserDigestChanged,
                entity: "user",
                entity_id: Some(auth.id.to_string()),
                payload: json!({ "digest": body.digest }),
            },
        )
        .await?;
    }
    let user = crate::users::service::get(&*txn, auth.id).await?.ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    state.sessions.clear();
    Ok(axum::Json(user))
}
