//! API scenarios against a real server, each on a fresh SQLite file and on a fresh PostgreSQL
//! database (see `tests/src/lib.rs`).

mod audit;
mod auth;
mod bad_input;
mod cases;
mod documents;
mod http;
mod imports;
mod scoring;
mod users;
