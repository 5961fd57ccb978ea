//! Login, lock-out, token rotation, logout and password change. Each state change commits in
//! one transaction with its audit entry.

use crate::audit::{self, Actor, Entry};
use crate::auth::{AuthUser, tokens};
use crate::db::{WriteTx, now};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::users::service as users_service;
use chrono::{DateTime, Duration, Utc};
use domain::api::TokenPair;
use domain::audit::{AuditAction, SessionEnd};
use entity::{login_failures, refresh_tokens, sessions, users};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter,
};
use serde_json::json;

/// Failures in a row that lock a username, and for how long the window and the lock last.
pub const MAX_FAILURES: i32 = 5;
pub const LOCK_MINUTES: i64 = 15;

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

/// Counts an attempt for `username` before its password is hashed, or refuses it with 429: the
/// username is locked, or [`MAX_FAILURES`] attempts of its window already count (failed, or
/// still being checked: `pending`). One conditional upsert, so however many attempts arrive at
/// once, and on however many servers, at most [`MAX_FAILURES`] are evaluated in a window. A
/// failure leaves its attempt counted ([`record_failure`]); a success resets the count only when
/// it was the one attempt of its time ([`record_success`]).
async fn reserve_attempt(state: &AppState, username: &str, at: DateTime<Utc>) -> ApiResult<()> {
    use login_failures::Column as C;
    let table = login_failures::Entity;
    let col = |c: C| Expr::col((table, c));
    // A window that started too long ago, or a lock that has run out, starts afresh.
    let stale = col(C::FirstFailedAt)
        .lt(at - Duration::minutes(LOCK_MINUTES))
        .or(col(C::LockedUntil).is_not_null().and(col(C::LockedUntil).lte(at)));
    let open = col(C::LockedUntil).is_null().or(col(C::LockedUntil).lte(at));
    let room = col(C::Failures).lt(MAX_FAILURES).or(stale.clone());
    let upsert = Query::insert()
        .into_table(table)
        .columns([C::Username, C::Failures, C::Pending, C::FirstFailedAt])
        .values_panic([username.into(), 1.into(), 1.into(), at.into()])
        .on_conflict(
            OnConflict::column(C::Username)
                .value(C::Failures, Expr::case(stale.clone(), 1).finally(col(C::Failures).add(1)))
                .value(C::Pending, Expr::case(stale.clone(), 1).finally(col(C::Pending).add(1)))
                .value(
                    C::LastFailedAt,
                    Expr::case(stale.clone(), Option::<DateTime<Utc>>::None).finally(col(C::LastFailedAt)),
                )
                .value(C::FirstFailedAt, Expr::case(stale.clone(), at).finally(col(C::FirstFailedAt)))
                .value(C::LockedUntil, Expr::case(stale, Option::<DateTime<Utc>>::None).finally(col(C::LockedUntil)))
                .action_and_where(open.and(room))
                .to_owned(),
        )
        .to_owned();
    let txn = state.db.write().await?;
    let counted = txn.execute(&upsert).await?.rows_affected() == 1;
    txn.commit().await?;
    if counted {
        return Ok(());
    }
    let row = login_failures::Entity::find_by_id(username.to_owned()).one(&state.db.conn).await?;
    // Locked: until the lock ends. Otherwise attempts are still being checked: shortly.
    let retry_after_secs = row
        .and_then(|r| r.locked_until)
        .filter(|until| *until > at)
        .map_or(1, |until| Ord::max((until - at).num_seconds(), 1) as u64);
    Err(ApiError::TooManyAttempts { retry_after_secs })
}

/// Deletes the failure counts whose window and lock have both run out: made-up usernames would
/// otherwise pile up one row each for ever. Idempotent, safe on several servers at once.
pub async fn forget_stale_failures(state: &AppState, at: DateTime<Utc>) -> ApiResult<u64> {
    use login_failures::Column as C;
    let txn = state.db.write().await?;
    let gone = login_failures::Entity::delete_many()
        .filter(C::FirstFailedAt.lt(at - Duration::minutes(LOCK_MINUTES)))
        .filter(C::LockedUntil.is_null().or(C::LockedUntil.lte(at)))
        .exec(&*txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(gone)
}

/// Ends a right password's attempt (counted by [`reserve_attempt`]). It resets the count when it
/// was the only attempt in flight and no wrong password was found since it started, as a login
/// after a few typing mistakes does. Otherwise (a burst of attempts at once, as a guesser sends
/// them) every attempt of the window stays counted, its own included, so the guesses cannot get
/// a fresh five from the real user's login.
async fn record_success(txn: &WriteTx, username: &str, started: DateTime<Utc>) -> ApiResult<()> {
    use login_failures::Column as C;
    let reset = login_failures::Entity::delete_many()
        .filter(C::Username.eq(username))
        .filter(C::Pending.lte(1))
        .filter(C::LastFailedAt.is_null().or(C::LastFailedAt.lt(started)))
        .exec(&**txn)
        .await?
        .rows_affected;
    if reset == 0 {
        let done = Query::update()
            .table(login_failures::Entity)
            .value(C::Pending, Expr::case(Expr::col(C::Pending).gt(0), Expr::col(C::Pending).sub(1)).finally(0))
            .and_where(Expr::col(C::Username).eq(username))
            .to_owned();
        txn.execute(&done).await?;
    }
    Ok(())
}

/// Records a wrong password (already counted by [`reserve_attempt`]): no longer in flight, the
/// time it was found; starts the lock when the count has reached the limit, and audits the
/// failure (and the lock).
async fn record_failure(
    state: &AppState,
    actor: &Actor,
    at: DateTime<Utc>,
    action: AuditAction,
    payload: serde_json::Value,
) -> ApiResult<()> {
    use login_failures::Column as C;
    let username = actor.username.clone().unwrap_or_default();
    let lock = Query::update()
        .table(login_failures::Entity)
        .value(C::LockedUntil, at + Duration::minutes(LOCK_MINUTES))
        .and_where(Expr::col(C::Username).eq(username.as_str()))
        .and_where(Expr::col(C::Failures).gte(MAX_FAILURES))
        .and_where(Expr::col(C::LockedUntil).is_null().or(Expr::col(C::LockedUntil).lte(at)))
        .to_owned();
    let done = Query::update()
        .table(login_failures::Entity)
        .value(C::Pending, Expr::case(Expr::col(C::Pending).gt(0), Expr::col(C::Pending).sub(1)).finally(0))
        .value(C::LastFailedAt, now())
        .and_where(Expr::col(C::Username).eq(username.as_str()))
        .to_owned();
    let entity_id = actor.id.map(|id| id.to_string());
    let txn = state.db.write().await?;
    txn.execute(&done).await?;
    let locked_now = txn.execute(&lock).await?.rows_affected() == 1;
    audit::append(&txn, Entry { actor, action, entity: "user", entity_id: entity_id.clone(), payload }).await?;
    if locked_now {
        audit::append(
            &txn,
            Entry {
                actor,
                action: AuditAction::AuthLockout,
                entity: "user",
                entity_id,
                payload: json!({ "minutes": LOCK_MINUTES }),
            },
        )
        .await?;
    }
    txn.commit().await
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
