//! The query string of the user list, declared once: the server reads and documents it
//! (`IntoParams` with `openapi`) from this type. See [`crate::filters`] for how a value is read.

use crate::permissions::Role;
use serde::Deserialize;

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
