//! Users and teams on the wire: the bodies of `/api/users`, `/api/teams` and `/api/me` (re-exported
//! in [`crate::api`]), and the user list's query string, declared once: the server reads and
//! documents it (`IntoParams` with `openapi`) from [`UserFilter`] (see [`crate::filters`]).

use crate::permissions::Role;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// `GET /api/users`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct UserFilter {
    /// One role's accounts (`qco`, `agent`, …).
    #[serde(default, deserialize_with = "crate::filters::de::opt_exact_word")]
    pub role: Option<Role>,
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub team_id: Option<i32>,
    /// Active accounts only (`true`) or deactivated ones only (`false`).
    pub active: Option<bool>,
    /// Part of a username or full name (any case).
    pub q: Option<String>,
    /// Page size: 50 by default, at most 500.
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// A team as it appears inside a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamRef {
    pub id: i64,
    pub name: String,
}

/// A user account as the API shows it (`GET /api/me`, `/api/users`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub position: String,
    pub role: Role,
    pub team: Option<TeamRef>,
    pub active: bool,
    /// Optimistic-concurrency version: send it back with a PATCH.
    pub version: i64,
    pub created_at: String,
    /// Until when the account is locked out after wrong passwords (shown to the admin only;
    /// `POST /api/users/{id}/unlock` lifts it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<String>,
    /// When the user last logged in (shown to the admin only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_at: Option<String>,
    /// The password was set by the admin (`POST /api/users/{id}/password`): until the user
    /// changes it (`POST /api/me/password`), every other route answers 403
    /// `password_change_required`.
    #[serde(default)]
    pub must_change_password: bool,
    /// Where Mutu's emails go (set by the admin; shown to the admin and to the user only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Whether the user gets the daily digest by email (`PUT /api/me/digest`).
    #[serde(default = "yes")]
    pub digest: bool,
}

fn yes() -> bool {
    true
}

/// `POST /api/users/{id}/password` (admin): a one-time password for a user who cannot log in.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    pub password: String,
}

impl fmt::Debug for PasswordReset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordReset { [redacted] }")
    }
}

/// `POST /api/users`.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    pub username: String,
    pub password: String,
    /// A role name (`agent`, `qco`, …); checked by [`crate::validation::new_user`].
    #[cfg_attr(feature = "openapi", schema(example = "agent"))]
    pub role: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub team_id: Option<i64>,
    /// Where Mutu's emails go (optional).
    #[serde(default)]
    pub email: Option<String>,
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser").field("username", &self.username).field("role", &self.role).finish_non_exhaustive()
    }
}

/// `PATCH /api/users/{id}`: only the fields present change; `version` must be the current one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPatch {
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// `null` removes the user from their team; absent leaves it.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Option<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// `null` or `""` removes the address; absent leaves it.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    pub email: Option<Option<String>>,
}

/// Tells "field absent" (outer `None`) from "field is `null`" (`Some(None)`).
fn double_option<'de, T, D>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Deserialize::deserialize(de).map(Some)
}

/// A user as it appears inside a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRef {
    pub id: i64,
    pub username: String,
    pub full_name: String,
}

/// `GET /api/users/summary`: the site's accounts counted whole (the admin's landing card), per
/// role in [`Role::ALL`] order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub active: u64,
    pub inactive: u64,
    pub teams: u64,
    pub by_role: Vec<RoleCount>,
}

/// Active accounts of one role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleCount {
    pub role: Role,
    pub active: u64,
}

/// A team (`GET /api/teams`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: i64,
    pub name: String,
    pub leader: Option<UserRef>,
    pub member_count: i64,
    pub version: i64,
}

/// `POST /api/teams`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTeam {
    pub name: String,
    #[serde(default)]
    pub leader_id: Option<i64>,
}

/// `PATCH /api/teams/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamPatch {
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    pub leader_id: Option<Option<i64>>,
}
