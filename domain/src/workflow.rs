//! Who acts in a workflow and why a step is refused: the two types every `transition` function
//! in `domain` shares (the revision workflow in [`crate::documents`], the evaluation workflow in
//! [`crate::scoring`], the follow-up workflow in [`crate::cases`]).

use crate::permissions::Role;

/// Who acts: a person with a role, or the server's own scheduled work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    User(Role),
    System,
}

/// Why a step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The actor's role may not take this step (403).
    NotAllowed,
    /// The record (revision, evaluation, follow-up) is not in a state where this step applies (409).
    WrongState,
}

/// A step whose rule is known: refused if the actor may not take it, a wrong state unless the
/// record stands at `from`, else the record moves to `to`. Permission is checked first, so a role
/// that may not act learns nothing about the record's state.
pub fn step<S: PartialEq>(allowed: bool, at: S, from: S, to: S) -> Result<S, Refusal> {
    if !allowed {
        Err(Refusal::NotAllowed)
    } else if at != from {
        Err(Refusal::WrongState)
    } else {
        Ok(to)
    }
}
