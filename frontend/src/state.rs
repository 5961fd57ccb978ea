//! The signed-in session and its reducer: who is signed in, with which tokens, and why a session
//! ended. Pure, so it is tested on the host; `app.rs` mirrors it into local storage.

use domain::api::{TokenPair, User};
use std::fmt;
use std::rc::Rc;
use yew::Reducible;

/// A signed-in user and the token pair of that login.
#[derive(Clone, PartialEq)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub user: User,
}

impl Session {
    pub fn from_pair(pair: TokenPair) -> Self {
        Session { access_token: pair.access_token, refresh_token: pair.refresh_token, user: pair.user }
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session").field("user", &self.user.username).finish_non_exhaustive()
    }
}

/// Why the user is looking at the login page, when it is worth saying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The refresh token was refused: the session ended without the user asking.
    SessionExpired,
    /// The user pressed "log out".
    LoggedOut,
}

/// The authentication state of the app.
#[derive(Debug, Clone, PartialEq)]
// One value for the whole app, held in a context: its size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum AuthState {
    Anonymous { notice: Option<Notice> },
    SignedIn(Session),
}

impl AuthState {
    /// The state a fresh page load starts in, from what local storage held.
    pub fn restore(stored: Option<Session>) -> Self {
        match stored {
            Some(session) => AuthState::SignedIn(session),
            None => AuthState::Anonymous { notice: None },
        }
    }

    pub fn session(&self) -> Option<&Session> {
        match self {
            AuthState::SignedIn(session) => Some(session),
            AuthState::Anonymous { .. } => None,
        }
    }

    pub fn user(&self) -> Option<&User> {
        self.session().map(|s| &s.user)
    }
}

/// What can happen to the session.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthAction {
    /// `POST /api/auth/login` answered with a pair.
    LoggedIn(TokenPair),
    /// `POST /api/auth/refresh` answered with a new pair (the old refresh token is spent).
    Refreshed(TokenPair),
    /// `GET /api/me` answered: the profile may have changed since the tokens were stored.
    UserLoaded(User),
    /// The refresh token was refused: sign in again.
    Expired,
    /// The user logged out.
    LoggedOut,
}

/// The pure transition function.
pub fn reduce(state: &AuthState, action: AuthAction) -> AuthState {
    match (state, action) {
        (_, AuthAction::LoggedIn(pair)) => AuthState::SignedIn(Session::from_pair(pair)),
        // A refresh that lands after a logout must not sign the user back in.
        (AuthState::SignedIn(_), AuthAction::Refreshed(pair)) => AuthState::SignedIn(Session::from_pair(pair)),
        (AuthState::SignedIn(session), AuthAction::UserLoaded(user)) if user.id == session.user.id => {
            AuthState::SignedIn(Session { user, ..session.clone() })
        }
        (AuthState::SignedIn(_), AuthAction::Expired) => AuthState::Anonymous { notice: Some(Notice::SessionExpired) },
        (_, AuthAction::LoggedOut) => AuthState::Anonymous { notice: Some(Notice::LoggedOut) },
        (state, _) => state.clone(),
    }
}

impl Reducible for AuthState {
    type Action = AuthAction;

    fn reduce(self: Rc<Self>, action: AuthAction) -> Rc<Self> {
        let next = reduce(&self, action);
        if next == *self { self } else { Rc::new(next) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::user;

    fn pair(access: &str, refresh: &str, u: User) -> TokenPair {
        TokenPair { access_token: access.into(), refresh_token: refresh.into(), expires_in: 900, user: u }
    }

    fn signed_in() -> AuthState {
        reduce(&AuthState::restore(None), AuthAction::LoggedIn(pair("a1", "r1", user(1, "agent1"))))
    }

    #[test]
    fn login_stores_the_pair_and_user() {
        let state = signed_in();
        let session = state.session().unwrap();
        assert_eq!((session.access_token.as_str(), session.refresh_token.as_str()), ("a1", "r1"));
        assert_eq!(state.user().unwrap().username, "agent1");
    }

    #[test]
    fn refresh_replaces_both_tokens() {
        let state = reduce(&signed_in(), AuthAction::Refreshed(pair("a2", "r2", user(1, "agent1"))));
        let session = state.session().unwrap();
        assert_eq!((session.access_token.as_str(), session.refresh_token.as_str()), ("a2", "r2"));
    }

    #[test]
    fn refresh_after_logout_does_not_sign_in_again() {
        let out = reduce(&signed_in(), AuthAction::LoggedOut);
        let state = reduce(&out, AuthAction::Refreshed(pair("a2", "r2", user(1, "agent1"))));
        assert_eq!(state, AuthState::Anonymous { notice: Some(Notice::LoggedOut) });
    }

    #[test]
    fn loaded_profile_updates_the_same_user_only() {
        let mut renamed = user(1, "agent1");
        renamed.full_name = "Agent Satu".into();
        let state = reduce(&signed_in(), AuthAction::UserLoaded(renamed));
        assert_eq!(state.user().unwrap().full_name, "Agent Satu");
        assert_eq!(state.session().unwrap().access_token, "a1");
        let other = reduce(&signed_in(), AuthAction::UserLoaded(user(2, "intruder")));
        assert_eq!(other, signed_in());
    }

    #[test]
    fn expiry_and_logout_leave_a_notice() {
        assert_eq!(
            reduce(&signed_in(), AuthAction::Expired),
            AuthState::Anonymous { notice: Some(Notice::SessionExpired) }
        );
        assert_eq!(
            reduce(&signed_in(), AuthAction::LoggedOut),
            AuthState::Anonymous { notice: Some(Notice::LoggedOut) }
        );
        // Expiry reported while already signed out changes nothing.
        let anon = AuthState::restore(None);
        assert_eq!(reduce(&anon, AuthAction::Expired), anon);
    }

    #[test]
    fn debug_never_prints_tokens() {
        let text = format!("{:?}", signed_in());
        assert!(!text.contains("a1") && !text.contains("r1"), "{text}");
    }

    #[test]
    fn restore_uses_what_storage_held() {
        let session = signed_in().session().cloned();
        assert_eq!(AuthState::restore(session.clone()), AuthState::SignedIn(session.unwrap()));
        assert_eq!(AuthState::restore(None), AuthState::Anonymous { notice: None });
    }
}
