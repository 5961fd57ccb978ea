//! Accounts and sessions: login with lock-out, access and refresh tokens, logout, password
//! change, and the [`AuthUser`] extractor every protected route takes.

pub mod cache;
pub mod extractor;
pub mod lockout;
pub mod password;
pub mod routes;
pub mod service;
pub mod tokens;

pub use extractor::AuthUser;
