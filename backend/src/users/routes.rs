//! `/api/users` and `/api/teams`: reads for every role but `agent`, writes for `admin`.

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::paging::PageQuery;
use crate::state::AppState;
use crate::users::service;
use crate::users::{access, teams};
use axum::extract::State;
use axum::http::StatusCode;
use domain::Action;
use domain::api::{ErrorBody, NewTeam, NewUser, Page, PasswordReset, Team, TeamPatch, User, UserPatch, UserSummary};
use domain::users::UserFilter;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(user_summary))
        .routes(routes!(get_user, patch_user))
        .routes(routes!(unlock_user))
        .routes(routes!(set_one_time_password))
        .routes(routes!(list_teams, create_team))
        .routes(routes!(get_team, patch_team))
}

/// Users (filters `role`, `team_id`, `active`, `q`); every role but `agent`.
#[utoipa::path(get, path = "/users", tag = "users",
    params(UserFilter),
    responses((status = 200, body = Page<User>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn list_users(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<UserFilter>,
) -> ApiResult<axum::Json<Page<User>>> {
    auth.require(Action::ListUsers)?;
    let mut page = service::list(&state.db.conn, &filter).await?;
    if auth.may(Action::ManageUsers) {
        access::with_access(&state.db.conn, &mut page.items).await?;
    } else {
        page.items.iter_mut().for_each(|user| hide_email(&auth, user));
    }
    Ok(axum::Json(page))
}

/// The accounts counted whole: active and inactive, active per role, and the teams; every role
/// that may list users.
#[utoipa::path(get, path = "/users/summary", tag = "users",
    responses((status = 200, body = UserSummary), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn user_summary(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<UserSummary>> {
    auth.require(Action::ListUsers)?;
    service::summary(&state.db.conn).await.map(axum::Json)
}

/// Create a user (admin).
#[utoipa::path(post, path = "/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = User), (status = 403, body = ErrorBody), (status = 409, description = "username_taken", body = ErrorBody),
               (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn create_user(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<NewUser>,
) -> ApiResult<(StatusCode, axum::Json<User>)> {
    auth.require(Action::ManageUsers)?;
    let user = service::create(&state, &auth.actor(), body).await?;
    Ok((StatusCode::CREATED, axum::Json(user)))
}

/// One user. Agents see only themselves (others: 404).
#[utoipa::path(get, path = "/users/{id}", tag = "users", params(("id" = i32, Path)),
    responses((status = 200, body = User), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_user(State(state): State<AppState>, auth: AuthUser, Path(id): Path<i32>) -> ApiResult<axum::Json<User>> {
    if !auth.may(Action::ListUsers) && id != auth.id {
        return Err(ApiError::NotFound);
    }
    let user = service::get(&state.db.conn, id).await?.ok_or(ApiError::NotFound)?;
    admin_view(&state, &auth, user).await
}

/// A user as the caller sees them: with their lock-out and last login for the admin.
async fn admin_view(state: &AppState, auth: &AuthUser, user: User) -> ApiResult<axum::Json<User>> {
    let mut shown = [user];
    if auth.may(Action::ManageUsers) {
        access::with_access(&state.db.conn, &mut shown).await?;
    } else {
        hide_email(auth, &mut shown[0]);
    }
    let [user] = shown;
    Ok(axum::Json(user))
}

/// A colleague's email address is for the admin and the user only.
fn hide_email(auth: &AuthUser, user: &mut User) {
    if user.id != i64::from(auth.id) {
        user.email = None;
    }
}

/// Give a user a one-time password (admin): their logins end, a lock-out is lifted, and they must
/// change it at their next login before anything else (403 `password_change_required` until
/// then). Audited (`user.password_reset`), never the password. Not for the admin's own account.
#[utoipa::path(post, path = "/users/{id}/password", tag = "users", params(("id" = i32, Path)), request_body = PasswordReset,
    responses((status = 200, body = User), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)),
    security(("bearer" = [])))]
async fn set_one_time_password(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i32>,
    Json(body): Json<PasswordReset>,
) -> ApiResult<axum::Json<User>> {
    auth.require(Action::ManageUsers)?;
    access::set_one_time_password(&state, &auth, id, body).await.map(axum::Json)
}

/// Lift a user's lock-out after wrong passwords (admin): their failed attempts are forgotten and
/// they can log in at once. Audited (`user.unlocked`) when there was something to lift.
#[utoipa::path(post, path = "/users/{id}/unlock", tag = "users", params(("id" = i32, Path)),
    responses((status = 200, body = User), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn unlock_user(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i32>,
) -> ApiResult<axum::Json<User>> {
    auth.require(Action::ManageUsers)?;
    access::unlock(&state, &auth, id).await.map(axum::Json)
}

/// Change a user's role, team, names or active flag (admin), with `version`.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", params(("id" = i32, Path)), request_body = UserPatch,
    responses((status = 200, body = User), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
               (status = 409, description = "stale_version", body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn patch_user(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i32>,
    Json(body): Json<UserPatch>,
) -> ApiResult<axum::Json<User>> {
    auth.require(Action::ManageUsers)?;
    let user = service::patch(&state, &auth, id, body).await?;
    admin_view(&state, &auth, user).await
}

/// Teams; every role but `agent`.
#[utoipa::path(get, path = "/teams", tag = "users", params(("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = Page<Team>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn list_teams(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(page): Query<PageQuery>,
) -> ApiResult<axum::Json<Page<Team>>> {
    auth.require(Action::ListTeams)?;
    teams::list_teams(&state.db.conn, &page).await.map(axum::Json)
}

/// Create a team (admin).
#[utoipa::path(post, path = "/teams", tag = "users", request_body = NewTeam,
    responses((status = 201, body = Team), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn create_team(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<NewTeam>,
) -> ApiResult<(StatusCode, axum::Json<Team>)> {
    auth.require(Action::ManageUsers)?;
    let team = teams::create_team(&state, &auth, body).await?;
    Ok((StatusCode::CREATED, axum::Json(team)))
}

/// One team; every role but `agent` (404).
#[utoipa::path(get, path = "/teams/{id}", tag = "users", params(("id" = i32, Path)),
    responses((status = 200, body = Team), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_team(State(state): State<AppState>, auth: AuthUser, Path(id): Path<i32>) -> ApiResult<axum::Json<Team>> {
    if !auth.may(Action::ListTeams) {
        return Err(ApiError::NotFound);
    }
    teams::get_team(&state.db.conn, id).await?.ok_or(ApiError::NotFound).map(axum::Json)
}

/// Rename a team or change its leader (admin), with `version`.
#[utoipa::path(patch, path = "/teams/{id}", tag = "users", params(("id" = i32, Path)), request_body = TeamPatch,
    responses((status = 200, body = Team), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
               (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn patch_team(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i32>,
    Json(body): Json<TeamPatch>,
) -> ApiResult<axum::Json<Team>> {
    auth.require(Action::ManageUsers)?;
    teams::patch_team(&state, &auth, id, body).await.map(axum::Json)
}
