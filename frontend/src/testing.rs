//! Values the unit tests share.

use domain::Role;
use domain::api::User;

/// An active agent without a team, named `username` in full too.
pub fn user(id: i64, username: &str) -> User {
    User {
        id,
        username: username.into(),
        full_name: username.into(),
        position: String::new(),
        role: Role::Agent,
        team: None,
        active: true,
        version: 1,
        created_at: "2024-01-01T00:00:00Z".into(),
        locked_until: None,
        last_login_at: None,
        must_change_password: false,
        email: None,
        digest: true,
    }
}
