//! Controlled documents (ISO 9001 clause 7.5): document codes, kinds, revision labels, and the
//! revision workflow as data — one `transition` function that the server calls for every step.
//! The request and response bodies are in `wire` (re-exported here); [`Actor`] and [`Refusal`]
//! are every workflow's, in [`crate::workflow`] (re-exported here).

mod filters;
mod wire;

pub use crate::workflow::{Actor, Refusal};
pub use filters::DocumentFilter;
pub use wire::*;

use crate::permissions::{Action, can};

crate::codes::code_enum! {
    /// What a controlled document is. The last segment of its code starts with the kind's letter.
    pub enum DocKind {
        Procedure,
        WorkInstruction,
        Form,
    }
}

impl DocKind {
    /// `P`, `W` or `F`.
    pub fn letter(self) -> char {
        match self {
            DocKind::Procedure => 'P',
            DocKind::WorkInstruction => 'W',
            DocKind::Form => 'F',
        }
    }
}

/// Checks a document code such as `OB.IN.OCC.TELK.P-01`: two or more dot-separated segments of
/// capital letters and digits, the last one `<kind letter>-<two or more digits>` matching `kind`.
/// A code never includes the revision.
pub fn check_code(code: &str, kind: DocKind) -> Result<(), crate::problems::Problem> {
    if code.len() > 64 {
        return Err(crate::problems::Problem::TooLong);
    }
    let segments: Vec<&str> = code.split('.').collect();
    if segments.len() < 2 {
        return Err(crate::problems::Problem::InvalidCode);
    }
    let (last, prefix) = segments.split_last().ok_or(crate::problems::Problem::InvalidCode)?;
    let plain = |s: &&str| !s.is_empty() && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !prefix.iter().all(plain) {
        return Err(crate::problems::Problem::InvalidCode);
    }
    if prefix.iter().any(|s| s.starts_with("REV")) {
        return Err(crate::problems::Problem::CodeIncludesRevision);
    }
    let Some((letter, number)) = last.split_once('-') else { return Err(crate::problems::Problem::InvalidCode) };
    if number.len() < 2 || !number.chars().all(|c| c.is_ascii_digit()) {
        return Err(crate::problems::Problem::InvalidCode);
    }
    match letter.chars().collect::<Vec<_>>().as_slice() {
        [c] if *c == kind.letter() => Ok(()),
        [c] if DocKind::ALL.iter().any(|k| k.letter() == *c) => Err(crate::problems::Problem::KindMismatch),
        _ => Err(crate::problems::Problem::InvalidCode),
    }
}

/// `Rev.00`, `Rev.01`, …
pub fn rev_label(rev: i32) -> String {
    format!("Rev.{rev:02}")
}

/// The full reference of a revision: `OB.IN.OCC.TELK.P-01.Rev.00`.
pub fn full_reference(code: &str, rev: i32) -> String {
    format!("{code}.{}", rev_label(rev))
}

crate::codes::code_enum! {
    /// Where a revision stands.
    pub enum RevisionStatus {
        Draft,
        InReview,
        Checked,
        Approved,
        Effective,
        Superseded,
    }
}

impl RevisionStatus {
    /// Effective and superseded revisions are public; the rest only for document roles.
    pub fn is_published(self) -> bool {
        matches!(self, RevisionStatus::Effective | RevisionStatus::Superseded)
    }
}

crate::codes::code_enum! {
    /// The meaning of an electronic signature (the three signatures of every revision).
    pub enum SignatureMeaning {
        /// *Dibuat oleh*.
        Prepared,
        /// *Diperiksa oleh*.
        Checked,
        /// *Disetujui oleh*.
        Approved,
    }
}

crate::codes::code_enum! {
    /// How a signature was given.
    pub enum SignatureSource {
        /// Signed in Mutu.
        Electronic,
        /// Recorded from a paper original (the seed's imported signatures).
        Paper,
    }
}

/// A step of the revision workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RevisionAction {
    /// Change a draft's title, body, description or planned date.
    Edit,
    /// Sign as preparer and send for review.
    Submit,
    /// Sign as checker.
    Check,
    /// The checker sends it back to draft (reason required).
    ReturnFromReview,
    /// Sign as approver and set the effective date.
    Approve,
    /// The approver sends it back to draft (reason required).
    ReturnFromApproval,
    /// The effective date has come (done by the server itself).
    TakeEffect,
    /// A newer revision took effect (done by the server itself).
    Supersede,
}

impl RevisionAction {
    pub const ALL: [RevisionAction; 8] = [
        RevisionAction::Edit,
        RevisionAction::Submit,
        RevisionAction::Check,
        RevisionAction::ReturnFromReview,
        RevisionAction::Approve,
        RevisionAction::ReturnFromApproval,
        RevisionAction::TakeEffect,
        RevisionAction::Supersede,
    ];

    /// The signature this step records, if it is a signing step.
    pub fn signature(self) -> Option<SignatureMeaning> {
        match self {
            RevisionAction::Submit => Some(SignatureMeaning::Prepared),
            RevisionAction::Check => Some(SignatureMeaning::Checked),
            RevisionAction::Approve => Some(SignatureMeaning::Approved),
            _ => None,
        }
    }
}

/// The revision workflow: from `from`, may `actor` take `action`, and where does it lead?
pub fn transition(from: RevisionStatus, action: RevisionAction, actor: Actor) -> Result<RevisionStatus, Refusal> {
    use RevisionAction as A;
    use RevisionStatus as S;
    let (needs, from_state, to) = match action {
        A::Edit => (Some(Action::PrepareRevision), S::Draft, S::Draft),
        A::Submit => (Some(Action::PrepareRevision), S::Draft, S::InReview),
        A::Check => (Some(Action::CheckRevision), S::InReview, S::Checked),
        A::ReturnFromReview => (Some(Action::CheckRevision), S::InReview, S::Draft),
        A::Approve => (Some(Action::ApproveRevision), S::Checked, S::Approved),
        A::ReturnFromApproval => (Some(Action::ApproveRevision), S::Checked, S::Draft),
        A::TakeEffect => (None, S::Approved, S::Effective),
        A::Supersede => (None, S::Effective, S::Superseded),
    };
    let allowed = match (needs, actor) {
        (Some(permission), Actor::User(role)) => can(role, permission),
        (None, Actor::System) => true,
        _ => false,
    };
    crate::workflow::step(allowed, from, from_state, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permissions::Role;
    use RevisionAction as A;
    use RevisionStatus as S;

    fn actors() -> Vec<Actor> {
        let mut all: Vec<Actor> = Role::ALL.into_iter().map(Actor::User).collect();
        all.push(Actor::System);
        all
    }

    /// The whole table, written out: (state, action) → next state, and who may take it.
    fn expected(from: S, action: A, actor: Actor) -> Result<S, Refusal> {
        let who_ok = matches!(
            (action, actor),
            (A::Edit | A::Submit, Actor::User(Role::DocController | Role::Admin))
                | (A::Check | A::ReturnFromReview, Actor::User(Role::QcCoordinator | Role::Admin))
                | (A::Approve | A::ReturnFromApproval, Actor::User(Role::Manager | Role::Admin))
                | (A::TakeEffect | A::Supersede, Actor::System)
        );
        // (from, action, to): every step there is.
        const STEPS: [(S, A, S); 8] = [
            (S::Draft, A::Edit, S::Draft),
            (S::Draft, A::Submit, S::InReview),
            (S::InReview, A::Check, S::Checked),
            (S::InReview, A::ReturnFromReview, S::Draft),
            (S::Checked, A::Approve, S::Approved),
            (S::Checked, A::ReturnFromApproval, S::Draft),
            (S::Approved, A::TakeEffect, S::Effective),
            (S::Effective, A::Supersede, S::Superseded),
        ];
        let step = STEPS.iter().find(|(f, a, _)| *f == from && *a == action);
        match step {
            _ if !who_ok => Err(Refusal::NotAllowed),
            Some(&(_, _, to)) => Ok(to),
            None => Err(Refusal::WrongState),
        }
    }

    #[test]
    fn every_state_action_and_actor() {
        let mut checked = 0;
        for from in S::ALL {
            for action in A::ALL {
                for actor in actors() {
                    assert_eq!(
                        transition(from, action, actor),
                        expected(from, action, actor),
                        "{from:?} {action:?} {actor:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 6 * 8 * 8);
    }

    #[test]
    fn superseded_is_final() {
        for action in A::ALL {
            for actor in actors() {
                assert!(transition(S::Superseded, action, actor).is_err());
            }
        }
    }

    #[test]
    fn signing_steps_name_their_meaning() {
        assert_eq!(A::Submit.signature(), Some(SignatureMeaning::Prepared));
        assert_eq!(A::Check.signature(), Some(SignatureMeaning::Checked));
        assert_eq!(A::Approve.signature(), Some(SignatureMeaning::Approved));
        assert_eq!(A::Edit.signature(), None);
    }

    #[test]
    fn codes_follow_the_seed_shape() {
        assert_eq!(check_code("OB.IN.OCC.TELK.P-01", DocKind::Procedure), Ok(()));
        assert_eq!(check_code("OB.IN.QCC.TELK.W-01", DocKind::WorkInstruction), Ok(()));
        assert_eq!(check_code("OB.IN.QCC.TELK.F-18", DocKind::Form), Ok(()));
        assert_eq!(check_code("OB.IN.QCC.TELK.F-18", DocKind::Procedure), Err(crate::problems::Problem::KindMismatch));
        assert_eq!(check_code("OB.IN.OCC.TELK.P-1", DocKind::Procedure), Err(crate::problems::Problem::InvalidCode));
        assert_eq!(check_code("P-01", DocKind::Procedure), Err(crate::problems::Problem::InvalidCode));
        assert_eq!(check_code("ob.in.P-01", DocKind::Procedure), Err(crate::problems::Problem::InvalidCode));
        assert_eq!(check_code("OB..P-01", DocKind::Procedure), Err(crate::problems::Problem::InvalidCode));
        assert_eq!(check_code("OB.IN.X-01", DocKind::Procedure), Err(crate::problems::Problem::InvalidCode));
        assert_eq!(
            check_code("OB.IN.OCC.TELK.P-01.Rev.00", DocKind::Procedure),
            Err(crate::problems::Problem::InvalidCode)
        );
        assert_eq!(check_code("OB.'; DROP.P-01", DocKind::Procedure), Err(crate::problems::Problem::InvalidCode));
    }

    #[test]
    fn revision_labels() {
        assert_eq!(rev_label(0), "Rev.00");
        assert_eq!(rev_label(12), "Rev.12");
        assert_eq!(full_reference("OB.IN.OCC.TELK.P-01", 0), "OB.IN.OCC.TELK.P-01.Rev.00");
    }
}
