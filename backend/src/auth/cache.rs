//! A short-lived, per-process cache of authenticated sessions, so that a busy server does not
//! ask the database "is this login still live?" on every request.
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
    entries: RwLock<HashMap<String, (Instant, AuthUser)>>,
}

impl SessionCache {
    /// The cached caller for this session and user, if checked within the TTL.
    pub fn get(&self, session_id: &str, user_id: i32) -> Option<AuthUser> {
        let entries = self.entries.read().ok()?;
        let (at, auth) = entries.get(session_id)?;
        (at.elapsed() < SESSION_CACHE_TTL && auth.id == user_id).then(|| auth.clone())
    }

    pub fn put(&self, auth: &AuthUser) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= CAPACITY {
                entries.clear();
            }
            entries.insert(auth.session_id.clone(), (Instant::now(), auth.clone()));
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
        });
        AuthUser { id, username: "u".into(), role: Role::Agent, team_id: None, session_id: sid.into(), profile }
    }

    #[test]
    fn hits_only_for_the_same_user_and_until_cleared() {
        let cache = SessionCache::default();
        cache.put(&auth(1, "s1"));
        assert!(cache.get("s1", 1).is_some());
        assert!(cache.get("s1", 2).is_none(), "a session belongs to one user");
        assert!(cache.get("s2", 1).is_none());
        cache.clear();
        assert!(cache.get("s1", 1).is_none());
    }
}
