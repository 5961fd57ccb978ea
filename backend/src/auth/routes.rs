//! `/api/auth/*` and `/api/me*`: thin handlers over [`super::service`].

use crate::auth::{AuthUser, service};
use crate::error::{ApiResult, Json};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use domain::Action;
use domain::api::{ErrorBody, LoginRequest, PasswordChange, RefreshRequest, TokenPair, User};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

/// Log in with username and password.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenPair), (status = 401, description = "invalid_credentials", body = ErrorBody),
               (status = 429, description = "too_many_attempts: 5 failures in a row lock the username for 15 minutes; at most 5 attempts are checked at once", body = ErrorBody),
               (status = 503, description = "server_busy: too many passwords waiting to be checked; retry after Retry-After", body = ErrorBody)))]
async fn login(State(state): State<AppState>, Json(body): Json<LoginRequest>) -> ApiResult<axum::Json<TokenPair>> {
    service::login(&state, &body.username, body.password).await.map(axum::Json)
}

/// Exchange a refresh token for a new pair; the old one stops working.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenPair), (status = 401, body = ErrorBody)))]
async fn refresh(State(state): State<AppState>, Json(body): Json<RefreshRequest>) -> ApiResult<axum::Json<TokenPair>> {
    service::refresh(&state, &body.refresh_token).await.map(axum::Json)
}

/// End this login.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
async fn logout(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<RefreshRequest>,
) -> ApiResult<StatusCode> {
    service::logout(&state, &auth, &body.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's own account.
#[utoipa::path(get, path = "/me", tag = "auth", responses((status = 200, body = User), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
async fn me(auth: AuthUser) -> ApiResult<axum::Json<User>> {
    auth.require(Action::UseOwnAccount)?;
    Ok(axum::Json(User::clone(&auth.profile)))
}

/// Change the caller's own password (at least 10 characters); other logins end.
#[utoipa::path(post, path = "/me/password", tag = "auth", request_body = PasswordChange,
    responses((status = 204), (status = 401, description = "wrong current_password (counts towards the lock-out, audited)", body = ErrorBody), (status = 422, body = ErrorBody),
               (status = 429, description = "too_many_attempts", body = ErrorBody), (status = 503, description = "server_busy", body = ErrorBody)),
    security(("bearer" = [])))]
async fn change_password(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<PasswordChange>,
) -> ApiResult<StatusCode> {
    auth.require(Action::UseOwnAccount)?;
    service::change_password(&state, &auth, body.current_password, body.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}
