//! Account access as the admin helps with it: whether a username is locked out after wrong
//! passwords (and until when), when the user last logged in, lifting a lock-out, and a one-time
//! password for a user who cannot log in. Only the admin sees and does these (`users:manage`);
//! the lists of other roles leave them out.

use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::api::{PasswordReset, User};
use domain::audit::{AuditAction, SessionEnd};
use domain::problems::Problem;
use entity::{login_failures, sessions, users};
use sea_orm::ExprTrait;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::json;
use std::collections::HashMap;

/// Fills in `locked_until` (a lock-out still running) and `last_login_at` (the newest login, a
/// session's start) of `shown`: two queries for the whole page.
pub async fn with_access(db: &impl ConnectionTrait, shown: &mut [User]) -> ApiResult<()> {
    let at = now();
    let names: Vec<String> = shown.iter().map(|u| u.username.clone()).collect();
    let locks: HashMap<String, DateTime<Utc>> = login_failures::Entity::find()
        .filter(login_failures::Column::Username.is_in(names))
        .filter(login_failures::Column::LockedUntil.gt(at))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| Some((row.username, row.locked_until?)))
        .collect();
    let ids: Vec<i32> = shown.iter().filter_map(|u| i32::try_from(u.id).ok()).collect();
    let logins: HashMap<i32, DateTime<Utc>> = sessions::Entity::find()
        .select_only()
        .column(sessions::Column::UserId)
        .expr(Func::max(Expr::col(sessions::Column::CreatedAt)))
        .filter(sessions::Column::UserId.is_in(ids))
        .group_by(sessions::Column::UserId)
        .into_tuple::<(i32, Option<DateTime<Utc>>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(id, at)| Some((id, at?)))
        .collect();
    for user in shown {
        user.locked_until = locks.get(&user.username).map(|until| timestamp(*until));
        user.last_login_at = i32::try_from(user.id).ok().and_then(|id| logins.get(&id)).map(|last| timestamp(*last));
    }
    Ok(())
}

/// `POST /api/users/{id}/unlock` (admin): forgets the username's wrong passwords, so a locked-out
/// user can log in at once. Audited with what was lifted; a user with nothing to lift is answered
/// as they are, and nothing is written.
pub async fn unlock(state: &AppState, auth: &AuthUser, id: i32) -> ApiResult<User> {
    let user = users::Entity::find_by_id(id).one(&state.db.conn).await?.ok_or(ApiError::NotFound)?;
    let txn = state.db.write().await?;
    let lifted = login_failures::Entity::find_by_id(user.username.clone()).one(&*txn).await?;
    if let Some(row) = lifted {
        login_failures::Entity::delete_by_id(row.username.clone()).exec(&*txn).await?;
        let payload = json!({
            "username": row.username,
            "failures": row.failures,
            "locked_until": row.locked_until.filter(|until| *until > now()).map(timestamp),
        });
        let entry = Entry {
            actor: &auth.actor(),
            action: AuditAction::UserUnlocked,
            entity: "user",
            entity_id: Some(id.to_string()),
            payload,
        };
        audit::append(&txn, entry).await?;
    }
    txn.commit().await?;
    let mut shown = [super::service::to_dto(&state.db.conn, user).await?];
    with_access(&state.db.conn, &mut shown).await?;
    let [user] = shown;
    Ok(user)
}

/// `POST /api/users/{id}/password` (admin): a one-time password for a user who forgot theirs. The
/// user's logins end, a lock-out is lifted, and until the user changes it (`POST /api/me/password`)
/// every other route answers them 403 `password_change_required`. Audited, without the password.
/// The admin's own password is changed on their account page, with the current one.
pub async fn set_one_time_password(state: &AppState, auth: &AuthUser, id: i32, body: PasswordReset) -> ApiResult<User> {
    let user = users::Entity::find_by_id(id).one(&state.db.conn).await?.ok_or(ApiError::NotFound)?;
    if user.id == auth.id {
        return Err(ApiError::field("password", Problem::OwnAccount));
    }
    ApiError::checked("password", domain::validation::password(&body.password))?;
    let hash = state.hasher.hash(body.password).await?;
    let txn = state.db.write().await?;
    users::Entity::update_many()
        .col_expr(users::Column::PasswordHash, Expr::value(hash))
        .col_expr(users::Column::MustChangePassword, Expr::value(true))
        .col_expr(users::Column::Version, Expr::col(users::Column::Version).add(1))
        .col_expr(users::Column::UpdatedAt, Expr::value(now()))
        .filter(users::Column::Id.eq(id))
        .exec(&*txn)
        .await?;
    let ended = crate::auth::service::revoke_user_sessions(&*txn, id, None, SessionEnd::PasswordReset).await?;
    let unlocked = login_failures::Entity::delete_by_id(user.username.clone()).exec(&*txn).await?.rows_affected;
    let payload = json!({ "username": user.username, "sessions_ended": ended, "unlocked": unlocked > 0 });
    let entry = Entry {
        actor: &auth.actor(),
        action: AuditAction::UserPasswordReset,
        entity: "user",
        entity_id: Some(id.to_string()),
        payload,
    };
    audit::append(&txn, entry).await?;
    txn.commit().await?;
    state.sessions.clear();
    let user = users::Entity::find_by_id(id).one(&state.db.conn).await?.ok_or(ApiError::NotFound)?;
    let mut shown = [super::service::to_dto(&state.db.conn, user).await?];
    with_access(&state.db.conn, &mut shown).await?;
    let [user] = shown;
    Ok(user)
}
