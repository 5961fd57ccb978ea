//! The audit trail: an append-only, hash-chained log of every change of state. Entries are
//! written by [`service::append`] inside the transaction of the change they record.

pub mod routes;
pub mod service;

pub use service::{Actor, Entry, append};
