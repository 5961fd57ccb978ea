//! The audit trail: an append-only, keyed hash chain of every change of state. Entries are
//! written by [`service::append`] inside the transaction of the change they record; the chain is
//! keyed with a key kept outside the database ([`key`]), opened and checked at start ([`chain`],
//! [`triggers`]) and anchored outside the database every few minutes ([`anchor`]).

pub mod anchor;
pub mod chain;
pub mod key;
pub mod routes;
pub mod service;
pub mod triggers;

pub use service::{Actor, Entry, Trail, append};
