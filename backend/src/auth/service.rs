//! Login, token rotation, logout and password change (the lock-out they share is in
//! [`super::lockout`]). Each state change commits in one transaction with its audit entry.

use crate::audit::{self, Actor, Entry};
pub use crate::auth::lockout::{LOCK_MINUTES, MAX_FAILURES, forget_stale_failures};
use crate::auth::lockout::{record_failure, record_success, reserve_attempt};
use crate::auth::{AuthUser, tokens};
use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::users::service as users_service;
use chrono::{DateTime, Duration, Utc};
use domain::api::TokenPair;
use domain::audit::{AuditAction, SessionEnd};
use entity::{refresh_tokens, sessions, users};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter,
};
use serde_json::json;

/// A spent refresh token presented again this soon after it was spent, in a live login, is the
/// same browser's other tab refreshing at the same moment: it gets a pair of its own instead of
/// ending the login. Later, a reuse means a copy of the token is elsewhere (api.md).
pub const REFRESH_REUSE_GRACE_SECS: i64 = 10;

/// Checks the credentials and opens a new login (session) with a token pair.
pub async fn login(state: &AppState, username: &str, password_text: String) -> ApiResult<TokenPair> {
    let at = now();
    // A name that can never be an account is refused like any wrong password, after the same
    // hashing work, and is not recorded (it could not be stored, and locks nothing real).
    let plausible = domain::validation::username(username).is_ok();
    // A place in the hashing queue first: a login refused for a full queue costs nothing else.
    let slot = state.hasher.slot()?;
    if plausible {
        reserve_attempt(state, username, at).await?;
    }

    let user = if plausible {
        users::Entity::find().filter(users::Column::Username.eq(username)).one(&state.db.conn).await?
    } else {
        None
    };
    let stored = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| state.dummy_hash.clone());
    let matches = slot.verify(password_text, stored).await?;

    match user {
        Some(user) if matches && user.active => {
            let txn = state.db.write().await?;
            record_success(&txn, username, at).await?;
            let session_id = uuid::Uuid::new_v4().to_string();
            sessions::Entity::insert(sessions::ActiveModel {
                id: Set(session_id.clone()),
                user_id: Set(user.id),
                created_at: Set(at),
                revoked_at: Set(None),
                revoked_reason: Set(None),
            })
            .exec_without_returning(&*txn)
            .await?;
            let refresh = new_refresh_token(&txn, &session_id, at, state).await?;
            audit::append(
                &txn,
                Entry {
                    actor: &Actor::user(user.id, &user.username),
                    action: AuditAction::AuthLogin,
                    entity: "session",
                    entity_id: Some(session_id.clone()),
                    payload: json!({}),
                },
            )
            .await?;
            let dto = users_service::to_dto(&*txn, user.clone()).await?;
            txn.commit().await?;
            token_pair(state, &user, &session_id, refresh, dto)
        }
        _ => {
            if plausible {
                let actor = Actor { id: user.as_ref().map(|u| u.id), username: Some(username.to_owned()) };
                record_failure(state, &actor, at, AuditAction::AuthLoginFailed, json!({})).await?;
            }
            Err(ApiError::InvalidCredentials)
        }
    }
}

/// Checks a password the signed-in caller enters again to sign or to change their password.
/// It shares the login's lock-out: a locked username gets 429 without its password being
/// looked at, and every wrong password counts towards the lock and is audited with `purpose`
/// (21 CFR 11.300(d): attempts at unauthorised use are detected and reported).
pub async fn reauthenticate(state: &AppState, auth: &AuthUser, password_text: String, purpose: &str) -> ApiResult<()> {
    let at = now();
    let slot = state.hasher.slot()?;
    reserve_attempt(state, &auth.username, at).await?;
    let user = users::Entity::find_by_id(auth.id).one(&state.db.conn).await?.ok_or(ApiError::Unauthenticated)?;
    let matches = slot.verify(password_text, user.password_hash).await?;
    if matches {
        let txn = state.db.write().await?;
        record_success(&txn, &auth.username, at).await?;
        txn.commit().await?;
        Ok(())
    } else {
        record_failure(state, &auth.actor(), at, AuditAction::AuthReauthFailed, json!({ "purpose": purpose })).await?;
        Err(ApiError::WrongPassword)
    }
}

async fn new_refresh_token(
    txn: &DatabaseTransaction,
    session_id: &str,
    at: DateTime<Utc>,
    state: &AppState,
) -> ApiResult<String> {
    let token = tokens::random_token();
    let ttl = Duration::from_std(state.config.refresh_ttl).map_err(|e| ApiError::Internal(e.into()))?;
    refresh_tokens::Entity::insert(refresh_tokens::ActiveModel {
        session_id: Set(session_id.to_owned()),
        token_hash: Set(tokens::token_hash(&token)),
        created_at: Set(at),
        expires_at: Set(at + ttl),
        spent_at: Set(None),
        ..Default::default()
    })
    .exec_without_returning(txn)
    .await?;
    Ok(token)
}

fn token_pair(
    state: &AppState,
    user: &users::Model,
    session_id: &str,
    refresh: String,
    dto: domain::api::User,
) -> ApiResult<TokenPair> {
    let ttl = state.config.access_ttl.as_secs();
    let access = state.keys.issue(user.id, session_id, ttl as i64)?;
    Ok(TokenPair { access_token: access, refresh_token: refresh, expires_in: ttl, user: dto })
}

/// Revokes a session (no-op if it already was), inside `txn`.
pub async fn revoke_session(txn: &impl ConnectionTrait, session_id: &str, reason: SessionEnd) -> ApiResult<bool> {
    let result = sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(now()))
        .col_expr(sessions::Column::RevokedReason, Expr::value(reason))
        .filter(sessions::Column::Id.eq(session_id))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Revokes every live session of a user, optionally sparing one.
pub async fn revoke_user_sessions(
    txn: &impl ConnectionTrait,
    user_id: i32,
    except: Option<&str>,
    reason: SessionEnd,
) -> ApiResult<u64> {
    let mut update = sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(now()))
        .col_expr(sessions::Column::RevokedReason, Expr::value(reason))
        .filter(sessions::Column::UserId.eq(user_id))
        .filter(sessions::Column::RevokedAt.is_null());
    if let Some(keep) = except {
        update = update.filter(sessions::Column::Id.ne(keep));
    }
    Ok(update.exec(txn).await?.rows_affected)
}

/// Spends a refresh token and issues a new pair in the same login. A spent token presented
/// again revokes the whole login (someone else has a copy).
pub async fn refresh(state: &AppState, token: &str) -> ApiResult<TokenPair> {
    let at = now();
    let hash = tokens::token_hash(token);
    let row = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(hash))
        .one(&state.db.conn)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let session = sessions::Entity::find_by_id(row.session_id.clone())
        .one(&state.db.conn)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    if session.revoked_at.is_some() {
        return Err(ApiError::Unauthenticated);
    }
    let user = users::Entity::find_by_id(session.user_id)
        .one(&state.db.conn)
        .await?
        .filter(|u| u.active)
        .ok_or(ApiError::Unauthenticated)?;

    let txn = state.db.write().await?;
    // Conditional: only one request can spend a token, even across servers.
    let spent = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::SpentAt, Expr::value(at))
        .filter(refresh_tokens::Column::Id.eq(row.id))
        .filter(refresh_tokens::Column::SpentAt.is_null())
        .exec(&*txn)
        .await?
        .rows_affected
        == 1;
    // The same browser's other tab, at the same moment: a pair of its own, the login goes on.
    // (Read again: the other tab may have spent it between the read above and this update.)
    let other_tab = !spent
        && refresh_tokens::Entity::find_by_id(row.id)
            .one(&*txn)
            .await?
            .and_then(|r| r.spent_at)
            .is_some_and(|spent_at| at - spent_at <= Duration::seconds(REFRESH_REUSE_GRACE_SECS));
    if !spent && !other_tab {
        revoke_session(&*txn, &session.id, SessionEnd::RefreshReuse).await?;
        audit::append(
            &txn,
            Entry {
                actor: &Actor::user(user.id, &user.username),
                action: AuditAction::AuthRefreshReuse,
                entity: "session",
                entity_id: Some(session.id.clone()),
                payload: json!({ "revoked": true }),
            },
        )
        .await?;
        txn.commit().await?;
        state.sessions.clear();
        return Err(ApiError::Unauthenticated);
    }
    if row.expires_at <= at {
        return Err(ApiError::Unauthenticated);
    }
    let new_token = new_refresh_token(&txn, &session.id, at, state).await?;
    let dto = users_service::to_dto(&*txn, user.clone()).await?;
    txn.commit().await?;
    token_pair(state, &user, &session.id, new_token, dto)
}

/// Ends the caller's login and the login the refresh token belongs to (if it is the caller's).
pub async fn logout(state: &AppState, auth: &AuthUser, token: &str) -> ApiResult<()> {
    let hash = tokens::token_hash(token);
    let row =
        refresh_tokens::Entity::find().filter(refresh_tokens::Column::TokenHash.eq(hash)).one(&state.db.conn).await?;
    let txn = state.db.write().await?;
    if let Some(row) = row {
        let owner = sessions::Entity::find_by_id(row.session_id.clone()).one(&*txn).await?;
        if owner.is_some_and(|s| s.user_id == auth.id) {
            revoke_session(&*txn, &row.session_id, SessionEnd::Logout).await?;
        }
    }
    revoke_session(&*txn, &auth.session_id, SessionEnd::Logout).await?;
    audit::append(
        &txn,
        Entry {
            actor: &auth.actor(),
            action: AuditAction::AuthLogout,
            entity: "session",
            entity_id: Some(auth.session_id.clone()),
            payload: json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    state.sessions.clear();
    Ok(())
}

/// Changes the caller's password after checking the current one; other logins end.
pub async fn change_password(state: &AppState, auth: &AuthUser, current: String, new: String) -> ApiResult<()> {
    // A one-time password the admin set is replaced by one of the user's own.
    let kept = auth.profile.must_change_password && current == new;
    reauthenticate(state, auth, current, "password_change").await?;
    if let Err(problem) = domain::validation::password(&new) {
        return Err(ApiError::field("new_password", problem));
    }
    if kept {
        return Err(ApiError::field("new_password", domain::problems::Problem::Unchanged));
    }
    let new_hash = state.hasher.hash(new).await?;
    let txn = state.db.write().await?;
    users::Entity::update_many()
        .col_expr(users::Column::PasswordHash, Expr::value(new_hash))
        .col_expr(users::Column::MustChangePassword, Expr::value(false))
        .col_expr(users::Column::Version, Expr::col(users::Column::Version).add(1))
        .col_expr(users::Column::UpdatedAt, Expr::value(now()))
        .filter(users::Column::Id.eq(auth.id))
        .exec(&*txn)
        .await?;
    let ended = revoke_user_sessions(&*txn, auth.id, Some(&auth.session_id), SessionEnd::PasswordChange).await?;
    audit::append(
        &txn,
        Entry {
            actor: &auth.actor(),
            action: AuditAction::UserPasswordChanged,
            entity: "user",
            entity_id: Some(auth.id.to_string()),
            payload: json!({ "other_sessions_ended": ended }),
        },
    )
    .await?;
    txn.commit().await?;
    state.sessions.clear();
    Ok(())
}
