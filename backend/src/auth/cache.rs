//! A short-lived, per-process cache of checked access tokens, so that a busy server neither
//! verifies the same token's signature nor asks the database "is this login still live?" on
//! every request. Entries are keyed by the exact token that was verified, and a hit still checks
//! the token's `exp`.
//!
//! Entries live [`SESSION_CACHE_TTL`]. This server clears the whole cache after any change to a
//! session, user or team, so here a logout, revocation, deactivation or role change applies at
//! once; another app server behind the same load balancer notices within the TTL.

use crate::auth::AuthUser;
use domain::api::User;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a checked session is trusted without asking the database again.
pub const SESSION_CACHE_TTL: Duration = Duration::from_secs(2);
/// Beyond this many sessions the cache starts over (bounded memory).
const CAPACITY: usize = 50_000;

#[derive(Default)]
pub struct SessionCache {
    entries: RwLock<HashMap<String, Entry>>,
}

struct Entry {
    checked_at: Instant,
    /// The token's `exp` (Unix seconds).
    expires: i64,
    auth: AuthUser,
}

impl SessionCache {
    /// The caller this exact token was checked for within the TTL, if it has not expired since.
    pub fn get(&self, token: &str, now_unix: i64) -> Option<AuthUser> {
        let entries = self.entries.read().ok()?;
        let entry = entries.get(token)?;
        (entry.checked_at.elapsed() < SESSION_CACHE_TTL && entry.expires > now_unix).then(|| entry.auth.clone())
    }

    /// Remembers a token that was just verified and whose session and user were just checked.
    pub fn put(&self, token: &str, expires: i64, auth: &AuthUser) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= CAPACITY {
                entries.clear();
            }
            entries.insert(token.to_owned(), Entry { checked_at: Instant::now(), expires, auth: auth.clone() });
        }
    }

    /// Forgets everything (after any change to sessions, users or teams).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }
}

/// The caller's profile as `/api/me` shows it, shared by the cached entries.
pub type Profile = Arc<User>;

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Role;

    fn auth(id: i32, sid: &str) -> AuthUser {
        let profile = Arc::new(User {
            id: id.into(),
            username: "u".into(),
            full_name: "U".into(),
            position: String::new(),
            role: Role::Agent,
            team: None,
            active: true,
            version: 1,
            created_at: String::new(),
            locked_until: None,
            last_login_at: None,
            must_change_password: false,
            email: None,
            digest: true,
        });
        AuthUser { id, username: "u".into(), role: Role::Agent, team_id: None, session_id: sid.into(), profile }
    }

    #[test]
    fn hits_only_for_the_same_token_until_expiry_or_clearing() {
        let cache = SessionCache::default();
        cache.put("token-a", 1_000, &auth(1, "s1"));
        assert_eq!(cache.get("token-a", 999).map(|a| a.id), Some(1));
        assert!(cache.get("token-a", 1_000).is_none(), "expired tokens are not served from the cache");
        assert!(cache.get("token-b", 999).is_none());
        cache.clear();
        assert!(cache.get("token-a", 999).is_none());
    }
}
