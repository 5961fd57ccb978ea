//! Promises to pay and whether they were kept (issue 16): the pure rules, shared by the server
//! (which stores payments and recomputes statuses) and the browser (which shows them).
//! `docs/promises.md` says the rules in words.
//!
//! - `rules`: promises, payments and reversals, [`PromiseRules`] (threshold and grace), and
//!   [`evaluate`], the first-in-first-out allocation and each promise's status.

mod rules;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

pub use rules::*;
