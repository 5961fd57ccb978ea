//! Document control (ISO 9001 clause 7.5): the register, revisions and their signed workflow,
//! effective dates, diffs, in-force lookups and read-and-understood confirmations.

pub mod routes;
pub mod seed;
pub mod service;
