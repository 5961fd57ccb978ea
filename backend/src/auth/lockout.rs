//! The lock-out every password check shares (login, signing, password change): an attempt is
//! counted before its password is hashed, at most [`MAX_FAILURES`] are evaluated per username in
//! a window, the fifth failure locks the name for [`LOCK_MINUTES`], and a success resets the
//! count only when it was the one attempt of its time. See `docs/architecture.md`,
//! `login_failures`.

use crate::audit::{self, Actor, Entry};
use crate::db::{WriteTx, now};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use domain::audit::AuditAction;
use entity::login_failures;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter};
use serde_json::json;

/// Failures in a row that lock a username, and for how long the window and the lock last.
pub const MAX_FAILURES: i32 = 5;
pub const LOCK_MINUTES: i64 = 15;

/// Counts an attempt for `username` before its password is hashed, or refuses it with 429: the
/// username is locked, or [`MAX_FAILURES`] attempts of its window already count (failed, or
/// still being checked: `pending`). One conditional upsert, so however many attempts arrive at
/// once, and on however many servers, at most [`MAX_FAILURES`] are evaluated in a window. A
/// failure leaves its attempt counted ([`record_failure`]); a success resets the count only when
/// it was the one attempt of its time ([`record_success`]).
pub(super) async fn reserve_attempt(state: &AppState, username: &str, at: DateTime<Utc>) -> ApiResult<()> {
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
pub(super) async fn record_success(txn: &WriteTx, username: &str, started: DateTime<Utc>) -> ApiResult<()> {
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
pub(super) async fn record_failure(
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
