//! Accounts and teams: `/api/users`, `/api/teams`.

use super::{Api, ApiResult, with_query};
use domain::api::{NewTeam, NewUser, Page, Team, TeamPatch, User, UserPatch, UserSummary};
use domain::inbox::Inbox;
use domain::mail::{DigestChoice, OutboxMessage, OutboxSummary};

/// The query of `GET /api/users`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserFilter {
    pub role: Option<String>,
    pub team_id: Option<i64>,
    /// Part of the username or full name.
    pub q: Option<String>,
    pub active: Option<bool>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl Api {
    /// `GET /api/me/inbox`: what waits for the signed-in user, counted by kind.
    pub async fn my_inbox(&self) -> ApiResult<Inbox> {
        self.get("/api/me/inbox").await
    }

    /// `PUT /api/me/digest`: the signed-in user's daily digest email on or off.
    pub async fn set_digest(&self, digest: bool) -> ApiResult<User> {
        self.put("/api/me/digest", &DigestChoice { digest }).await
    }

    /// `GET /api/mail/outbox` (admin), newest first, optionally of one status.
    pub async fn mail_outbox(&self, status: Option<String>, cursor: Option<String>) -> ApiResult<Page<OutboxMessage>> {
        self.get(&with_query("/api/mail/outbox", &[("status", status), ("cursor", cursor)])).await
    }

    /// `GET /api/mail/summary` (admin).
    pub async fn mail_summary(&self) -> ApiResult<OutboxSummary> {
        self.get("/api/mail/summary").await
    }

    /// `POST /api/mail/outbox/{id}/retry` (admin): a failed message is sent again.
    pub async fn retry_mail(&self, id: i64) -> ApiResult<OutboxMessage> {
        self.post(&format!("/api/mail/outbox/{id}/retry"), &serde_json::json!({})).await
    }

    /// `GET /api/users` with filters and a cursor.
    pub async fn list_users(&self, filter: &UserFilter) -> ApiResult<Page<User>> {
        let path = with_query(
            "/api/users",
            &[
                ("role", filter.role.clone()),
                ("team_id", filter.team_id.map(|id| id.to_string())),
                ("q", filter.q.clone()),
                ("active", filter.active.map(|a| a.to_string())),
                ("limit", filter.limit.map(|n| n.to_string())),
                ("cursor", filter.cursor.clone()),
            ],
        );
        self.get(&path).await
    }

    /// `GET /api/users/{id}`.
    pub async fn get_user(&self, id: i64) -> ApiResult<User> {
        self.get(&format!("/api/users/{id}")).await
    }

    /// `POST /api/users` → 201 the user.
    pub async fn create_user(&self, body: &NewUser) -> ApiResult<User> {
        self.post("/api/users", body).await
    }

    /// `PATCH /api/users/{id}` (409 when `version` is stale).
    pub async fn update_user(&self, id: i64, body: &UserPatch) -> ApiResult<User> {
        self.patch(&format!("/api/users/{id}"), body).await
    }

    /// `POST /api/users/{id}/password` (admin): a one-time password the user must change.
    pub async fn set_one_time_password(&self, id: i64, body: &domain::api::PasswordReset) -> ApiResult<User> {
        self.post(&format!("/api/users/{id}/password"), body).await
    }

    /// `POST /api/users/{id}/unlock` (admin): lifts a lock-out after wrong passwords.
    pub async fn unlock_user(&self, id: i64) -> ApiResult<User> {
        self.post(&format!("/api/users/{id}/unlock"), &serde_json::json!({})).await
    }

    /// `GET /api/users/summary`: the accounts counted whole.
    pub async fn user_summary(&self) -> ApiResult<UserSummary> {
        self.get("/api/users/summary").await
    }

    /// `GET /api/teams`.
    pub async fn list_teams(&self, limit: Option<u32>, cursor: Option<String>) -> ApiResult<Page<Team>> {
        let path = with_query("/api/teams", &[("limit", limit.map(|n| n.to_string())), ("cursor", cursor)]);
        self.get(&path).await
    }

    /// `POST /api/teams` → 201 the team.
    pub async fn create_team(&self, body: &NewTeam) -> ApiResult<Team> {
        self.post("/api/teams", body).await
    }

    /// `PATCH /api/teams/{id}` (409 when `version` is stale).
    pub async fn update_team(&self, id: i64, body: &TeamPatch) -> ApiResult<Team> {
        self.patch(&format!("/api/teams/{id}"), body).await
    }
}
