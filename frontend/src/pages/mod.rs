//! One module per route (see `app::Route`).

pub mod account;
pub mod admin_teams;
pub mod admin_users;
pub mod audit;
pub mod diff;
pub mod document;
pub mod documents;
pub mod f18;
pub mod f19;
pub mod home;
pub mod login;
pub mod not_found;
pub mod print;
pub mod revision;
pub mod tasks;
