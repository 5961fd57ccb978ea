//! [`AuthUser`], the one "who is asking or acting" of every service, and its extractor: a valid
//! bearer token whose session is live and whose account is active. The role comes from the
//! database, so a role change or deactivation applies at once.

use crate::audit::{self, Actor, Entry, Trail};
use crate::db::WriteTx;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::Method;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use domain::audit::AuditAction;
use domain::{Action, Role, can};
use entity::{sessions, users};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter};

/// Who is asking or acting: the authenticated caller of a request (the extractor), or an account
/// acting outside one (the demo loader, tests: [`AuthUser::account`]). Services take it for the
/// permission check, the rows the caller sees, the name a step is signed with and the audit
/// entry's actor.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: i32,
    pub username: String,
    pub role: Role,
    pub team_id: Option<i32>,
    /// The login this request came with; empty for an account acting outside a request.
    pub session_id: String,
    /// The account as `GET /api/me` shows it.
    pub profile: crate::auth::cache::Profile,
}

impl AuthUser {
    /// 403 unless the role may do `action` (the one permission table in `domain`).
    pub fn require(&self, action: Action) -> ApiResult<()> {
        if can(self.role, action) { Ok(()) } else { Err(ApiError::Forbidden) }
    }

    pub fn may(&self, action: Action) -> bool {
        can(self.role, action)
    }

    pub fn actor(&self) -> Actor {
        Actor::user(self.id, &self.username)
    }

    /// The full name steps and signatures show.
    pub fn name(&self) -> &str {
        &self.profile.full_name
    }

    /// An active account acting outside a request (the demo loader, tests), read as the
    /// extractor reads it; no session. 404 for an account that does not exist or is inactive.
    pub async fn account(db: &impl ConnectionTrait, id: i32) -> ApiResult<AuthUser> {
        let user = users::Entity::find_by_id(id)
            .filter(users::Column::Active.eq(true))
            .one(db)
            .await?
            .ok_or(ApiError::NotFound)?;
        AuthUser::of(db, user, String::new()).await
    }

    async fn of(db: &impl ConnectionTrait, user: users::Model, session_id: String) -> ApiResult<AuthUser> {
        let profile = std::sync::Arc::new(crate::users::service::to_dto(db, user.clone()).await?);
        Ok(AuthUser {
            id: user.id,
            username: user.username,
            role: user.role,
            team_id: user.team_id,
            session_id,
            profile,
        })
    }

    /// Appends the audit entry of a step this user took, inside the step's transaction, unless
    /// `trail` says one entry covers the whole (loading the demo data).
    pub async fn audit(
        &self,
        txn: &WriteTx,
        trail: Trail,
        action: AuditAction,
        entity: &str,
        entity_id: String,
        payload: serde_json::Value,
    ) -> ApiResult<()> {
        match trail {
            Trail::EachStep => {
                audit::append(txn, Entry { actor: &self.actor(), action, entity, entity_id: Some(entity_id), payload })
                    .await?;
                Ok(())
            }
            Trail::Demo => Ok(()),
        }
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let auth = authenticate(parts, state).await?;
        if auth.profile.must_change_password && !answered_before_the_change(parts) {
            return Err(ApiError::PasswordChangeRequired);
        }
        Ok(auth)
    }
}

/// What a user whose password the admin set may still do: see their account, change the
/// password, log out.
fn answered_before_the_change(parts: &Parts) -> bool {
    // Inside nested routers `uri` has lost its prefix; the original is kept beside it.
    let path = parts.extensions.get::<OriginalUri>().map_or_else(|| parts.uri.path(), |original| original.0.path());
    let path = path.trim_end_matches('/');
    matches!(
        (&parts.method, path),
        (&Method::GET, "/api/me") | (&Method::POST, "/api/me/password") | (&Method::POST, "/api/auth/logout")
    )
}

/// A valid bearer token's live session and active account (from the short cache when there).
async fn authenticate(parts: &Parts, state: &AppState) -> Result<AuthUser, ApiError> {
    let header = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or(ApiError::Unauthenticated)?;
    let token =
        header.strip_prefix("Bearer ").or_else(|| header.strip_prefix("bearer ")).ok_or(ApiError::Unauthenticated)?;
    let token = token.trim();
    if let Some(cached) = state.sessions.get(token, chrono::Utc::now().timestamp()) {
        return Ok(cached);
    }
    let claims = state.keys.decode(token).ok_or(ApiError::Unauthenticated)?;
    let user_id: i32 = claims.sub.parse().map_err(|_| ApiError::Unauthenticated)?;

    // One query: the active user, provided the token's session is still live.
    let live_session = Query::select()
        .expr(Expr::val(1))
        .from(sessions::Entity)
        .and_where(Expr::col((sessions::Entity, sessions::Column::Id)).eq(claims.sid.as_str()))
        .and_where(Expr::col((sessions::Entity, sessions::Column::UserId)).eq(user_id))
        .and_where(Expr::col((sessions::Entity, sessions::Column::RevokedAt)).is_null())
        .to_owned();
    let user = users::Entity::find_by_id(user_id)
        .filter(users::Column::Active.eq(true))
        .filter(Expr::exists(live_session))
        .one(&state.db.conn)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let auth = AuthUser::of(&state.db.conn, user, claims.sid).await?;
    state.sessions.put(token, claims.exp, &auth);
    Ok(auth)
}
