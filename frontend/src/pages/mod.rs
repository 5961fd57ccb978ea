//! One module per route (see `app::Route`).

pub mod account;
pub mod admin_mail;
pub mod admin_teams;
pub mod admin_users;
pub mod audit;
pub mod cases;
pub mod diff;
pub mod document;
pub mod documents;
pub mod home;
pub mod login;
pub mod not_found;
pub mod print;
pub mod records;
pub mod revision;
pub mod scoring;
pub mod tasks;
