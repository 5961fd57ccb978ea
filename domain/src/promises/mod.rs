//! Promises to pay and whether they were kept (issue 16): the pure rules, shared by the server
//! (which stores payments and recomputes statuses) and the browser (which shows them).
//! `docs/promises.md` says the rules in words.
//!
//! - `rules`: promises, payments and reversals, [`PromiseRules`] (threshold and grace), and
//!   [`evaluate`], the first-in-first-out allocation and each promise's status;
//! - `payment_row`: one row of the payment import checked, its faults as field problem codes;
//! - `wire`: a case's promise, the import's answer, the keep-rate report;
//! - `report`: the keep-rate report's query string and groupings.
//!
//! The keep rate itself is a metric: [`crate::metrics::keep_rate`] over a
//! [`crate::metrics::PromiseTally`].

mod payment_row;
mod report;
mod rules;
mod wire;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

pub use payment_row::*;
pub use report::*;
pub use rules::*;
pub use wire::*;
