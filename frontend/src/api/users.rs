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

/// The first entry of `GET /api/admin/backups` (newest first).
/// The newest entry of `GET /api/admin/backups` (when it was made, its size and rows, its last
/// verification: ok, when, why not), read by hand: a derived reader costs the app more than these
/// few fields. `None` inside: there is no backup yet.
pub fn read_last_backup(list: &serde_json::Value) -> Option<Option<LastBackup>> {
    Some(newest_backup(list))
}

fn newest_backup(list: &serde_json::Value) -> Option<LastBackup> {
    let b = list.get(0)?;
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let check = &b["last_check"];
    Some(LastBackup {
        made_at: text(&b["made_at"]),
        size_bytes: b["size_bytes"].as_i64().unwrap_or(0),
        rows: b["rows_total"].as_i64().unwrap_or(0),
        check: check.is_object().then(|| (check["ok"] == true, text(&check["checked_at"]), text(&check["problem"]))),
    })
}

/// The newest backup of the register, as the admin's home shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct LastBackup {
    pub made_at: String,
    pub size_bytes: i64,
    pub rows: i64,
    /// Its last verification: passed, when, and the reason when it did not.
    pub check: Option<(bool, String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::backups::{BackupCheck, BackupEntry};

    /// The hand reader reads what the server's type writes.
    #[test]
    fn the_last_backup_is_read_from_the_servers_answer() {
        let entry = |id: i64, check: Option<BackupCheck>| BackupEntry {
            id,
            archive_id: format!("a{id}"),
            origin: "made".into(),
            made_at: format!("2026-12-0{id}T03:00:00Z"),
            file_name: "mutu.zip".into(),
            size_bytes: 1_250_000,
            manifest_sha256: "ab".into(),
            mutu_version: "0.1.0".into(),
            schema_version: "m".into(),
            audit_seq: 9,
            audit_head: "cd".into(),
            tables: 30,
            rows_total: 4_321,
            last_check: check,
        };
        let failed = BackupCheck {
            kind: "verify".into(),
            checked_at: "2026-12-07T04:00:00Z".into(),
            ok: false,
            problem: Some("part cases.jsonl: SHA-256 mismatch".into()),
            rows_total: 0,
        };
        let list = serde_json::to_value(vec![entry(7, Some(failed)), entry(6, None)]).unwrap();
        let last = read_last_backup(&list).unwrap().unwrap();
        assert_eq!((last.made_at.as_str(), last.size_bytes, last.rows), ("2026-12-07T03:00:00Z", 1_250_000, 4_321));
        assert_eq!(
            last.check,
            Some((false, "2026-12-07T04:00:00Z".to_owned(), "part cases.jsonl: SHA-256 mismatch".to_owned()))
        );
        let unverified = serde_json::to_value(vec![entry(6, None)]).unwrap();
        assert_eq!(read_last_backup(&unverified).unwrap().unwrap().check, None);
        assert_eq!(read_last_backup(&serde_json::json!([])), Some(None), "no backup yet");
    }
}
