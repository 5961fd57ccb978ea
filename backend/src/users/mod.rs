//! User accounts and teams: the admin's pages and the user list QCOs pick agents from.

pub mod access;
pub mod moves;
pub mod routes;
pub mod service;
pub mod teams;
