//! The evaluation workflow as data: a sheet's status, the steps on it and the one transition
//! table (draft → submitted → acknowledged | disputed → resolved), tested exhaustively.

use crate::documents::{Actor, Refusal};
use crate::permissions::{Action, Role, can};

crate::codes::code_enum! {
    /// Where an F-18 sheet stands.
    pub enum EvaluationStatus {
        Draft,
        Submitted,
        Acknowledged,
        Disputed,
        Resolved,
    }
}

/// A step on an evaluation. Who owns the sheet (its QCO, its agent) is checked by the server;
/// this table checks roles and states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EvaluationAction {
    /// The QCO saves a draft again.
    EditDraft,
    /// The QCO submits the sheet to the agent.
    Submit,
    /// The agent accepts the result.
    Acknowledge,
    /// The agent contests it with a reason.
    Dispute,
    /// The QC coordinator upholds or amends a disputed sheet.
    Resolve,
}

impl EvaluationAction {
    pub const ALL: [EvaluationAction; 5] = [
        EvaluationAction::EditDraft,
        EvaluationAction::Submit,
        EvaluationAction::Acknowledge,
        EvaluationAction::Dispute,
        EvaluationAction::Resolve,
    ];
}

/// draft → submitted → acknowledged | disputed → resolved.
pub fn evaluation_transition(
    from: EvaluationStatus,
    action: EvaluationAction,
    actor: Actor,
) -> Result<EvaluationStatus, Refusal> {
    use EvaluationAction as A;
    use EvaluationStatus as S;
    let Actor::User(role) = actor else { return Err(Refusal::NotAllowed) };
    let (allowed, from_state, to) = match action {
        A::EditDraft => (can(role, Action::ScoreCalls), S::Draft, S::Draft),
        A::Submit => (can(role, Action::ScoreCalls), S::Draft, S::Submitted),
        A::Acknowledge => (role == Role::Agent, S::Submitted, S::Acknowledged),
        A::Dispute => (role == Role::Agent, S::Submitted, S::Disputed),
        A::Resolve => (can(role, Action::ResolveDisputes), S::Disputed, S::Resolved),
    };
    crate::workflow::step(allowed, from, from_state, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workflow_table() {
        use EvaluationAction as A;
        use EvaluationStatus as S;
        let expected = |from: S, action: A, role: Role| -> Result<S, Refusal> {
            let who = match action {
                A::EditDraft | A::Submit => role == Role::Qco,
                A::Acknowledge | A::Dispute => role == Role::Agent,
                A::Resolve => role == Role::QcCoordinator,
            };
            if !who {
                return Err(Refusal::NotAllowed);
            }
            match (from, action) {
                (S::Draft, A::EditDraft) => Ok(S::Draft),
                (S::Draft, A::Submit) => Ok(S::Submitted),
                (S::Submitted, A::Acknowledge) => Ok(S::Acknowledged),
                (S::Submitted, A::Dispute) => Ok(S::Disputed),
                (S::Disputed, A::Resolve) => Ok(S::Resolved),
                _ => Err(Refusal::WrongState),
            }
        };
        for from in S::ALL {
            for action in A::ALL {
                for role in Role::ALL {
                    assert_eq!(
                        evaluation_transition(from, action, Actor::User(role)),
                        expected(from, action, role),
                        "{from:?} {action:?} {role:?}"
                    );
                }
                assert_eq!(evaluation_transition(from, action, Actor::System), Err(Refusal::NotAllowed));
            }
        }
        assert_eq!("disputed".parse::<S>(), Ok(S::Disputed));
        assert!("Disputed".parse::<S>().is_err());
    }
}
