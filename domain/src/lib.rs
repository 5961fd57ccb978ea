//! Mutu's pure core, shared by the server and the browser app.
//!
//! Everything here must behave identically on both sides, so it has no I/O, no clock and no
//! randomness, and compiles to `wasm32-unknown-unknown`.

pub mod api;
pub mod audit;
pub mod backups;
pub mod cases;
mod codes;
pub mod dates;
pub mod documents;
pub mod filters;
pub mod html;
pub mod inbox;
pub mod indonesian;
pub mod limits;
pub mod mail;
pub mod metrics;
pub mod permissions;
pub mod problems;
pub mod promises;
pub mod records;
pub mod scoring;
pub mod users;
pub mod validation;
pub mod workflow;

pub use permissions::{Action, Role, can};
