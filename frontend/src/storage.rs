//! Local storage: the token pair and profile of the session (so a reload keeps the login) and the
//! chosen language. Storage may be unavailable (private mode, policy); then nothing is kept.

use crate::i18n::Lang;
use crate::state::Session;
use domain::api::User;

const ACCESS: &str = "mutu.access_token";
const REFRESH: &str = "mutu.refresh_token";
const USER: &str = "mutu.user";
const LANG: &str = "mutu.lang";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

fn set(key: &str, value: &str) {
    if let Some(s) = storage() {
        // A full or refused storage only costs the login on the next reload.
        let _ = s.set_item(key, value);
    }
}

fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// The stored session, if all three parts are there and readable.
pub fn load_session() -> Option<Session> {
    let user: User = crate::json::from_str(&get(USER)?).ok()?;
    Some(Session { access_token: get(ACCESS)?, refresh_token: get(REFRESH)?, user })
}

pub fn save_session(session: &Session) {
    set(ACCESS, &session.access_token);
    set(REFRESH, &session.refresh_token);
    if let Ok(user) = serde_json::to_string(&session.user) {
        set(USER, &user);
    }
}

pub fn clear_session() {
    remove(ACCESS);
    remove(REFRESH);
    remove(USER);
}

pub fn load_lang() -> Lang {
    get(LANG).and_then(|code| Lang::from_code(&code)).unwrap_or_default()
}

pub fn save_lang(lang: Lang) {
    set(LANG, lang.code());
}

/// A half-scored sheet kept on this device (`score_editor`), by its key.
pub fn load_json<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    crate::json::from_str(&get(key)?).ok()
}

pub fn save_json<T: serde::Serialize>(key: &str, value: &T) {
    if let Ok(text) = serde_json::to_string(value) {
        set(key, &text);
    }
}

pub fn forget(key: &str) {
    remove(key);
}
