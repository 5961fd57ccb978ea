//! W-03 return follow-ups: the status and its state machine (open → recared → closed |
//! reopened), the follow-up and its history, the agent's and QC's requests, and the badge counts.

use crate::documents::{Actor, Refusal};
use crate::permissions::{Action, Role, can};
use serde::{Deserialize, Serialize};

crate::codes::code_enum! {
    /// Where a follow-up stands.
    pub enum FollowupStatus {
        Open,
        Recared,
        Closed,
        Reopened,
    }
}

impl FollowupStatus {
    /// Waiting for the agent.
    pub fn awaits_agent(self) -> bool {
        matches!(self, FollowupStatus::Open | FollowupStatus::Reopened)
    }
    /// Waiting for QC to verify the re-care.
    pub fn awaits_qc(self) -> bool {
        self == FollowupStatus::Recared
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FollowupAction {
    /// The agent records the re-care.
    Recare,
    /// QC verifies and closes.
    Close,
    /// QC verifies and sends it back to the agent.
    Reopen,
}

impl FollowupAction {
    pub const ALL: [FollowupAction; 3] = [FollowupAction::Recare, FollowupAction::Close, FollowupAction::Reopen];
}

/// open → recared → closed | reopened (→ recared …). Whose follow-up it is (the agent's own) is
/// checked by the server.
pub fn followup_transition(
    from: FollowupStatus,
    action: FollowupAction,
    actor: Actor,
) -> Result<FollowupStatus, Refusal> {
    use FollowupAction as A;
    use FollowupStatus as S;
    let Actor::User(role) = actor else { return Err(Refusal::NotAllowed) };
    let allowed = match action {
        A::Recare => role == Role::Agent,
        A::Close | A::Reopen => can(role, Action::VerifyFollowups),
    };
    if !allowed {
        return Err(Refusal::NotAllowed);
    }
    match (from, action) {
        (S::Open | S::Reopened, A::Recare) => Ok(S::Recared),
        (S::Recared, A::Close) => Ok(S::Closed),
        (S::Recared, A::Reopen) => Ok(S::Reopened),
        _ => Err(Refusal::WrongState),
    }
}

crate::codes::code_enum! {
    /// What a step of a follow-up's history did.
    pub enum FollowupStepKind {
        /// The RETURN opened the follow-up.
        Opened,
        /// The agent recorded the re-care.
        Recared,
        /// QC verified and closed it.
        Closed,
        /// QC verified and sent it back to the agent.
        Reopened,
    }
}

/// One step in a follow-up's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowupStep {
    pub step: FollowupStepKind,
    pub by: String,
    pub at: String,
    pub note: Option<String>,
    pub recare_call_ref: Option<String>,
    pub recared_at: Option<String>,
    /// On `opened` and `reopened`: the agent's due date this step set (`MUTU_FOLLOWUP_DAYS`
    /// working days from it). Null on steps reopened before due dates were kept per round.
    pub due_at: Option<String>,
    /// On `recared`: QC's deadline to verify it (`MUTU_VERIFY_DAYS` working days from it).
    pub verify_due_at: Option<String>,
    /// On `recared`: a new promised payment date the customer gave on the re-care call
    /// (`YYYY-MM-DD`). The case keeps the promise of the call QC validated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promise_date: Option<String>,
}

/// A W-03 follow-up of a RETURN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Followup {
    pub id: i64,
    pub case_id: i64,
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub team_id: Option<i64>,
    pub customer_no: String,
    pub customer_name: String,
    pub recommendation: String,
    pub status: FollowupStatus,
    pub opened_at: String,
    /// The agent's due date of the current round: set at the opening and afresh at each
    /// reopening (the history keeps every one).
    pub due_at: String,
    /// Waiting for the agent (open or reopened) past `due_at`.
    pub overdue: bool,
    /// While waiting for QC (re-cared): QC's deadline to verify; null otherwise.
    pub verify_due_at: Option<String>,
    /// Waiting for QC past `verify_due_at` ("verification overdue"); never the agent's delay.
    pub verify_overdue: bool,
    /// Re-cares recorded after the due date of their round.
    pub late_recares: u64,
    /// Verifications (close or reopen) made after QC's deadline.
    pub late_verifications: u64,
    /// The last QC comment when reopened.
    pub last_comment: Option<String>,
    pub closed_at: Option<String>,
    /// When closed: every deadline was kept — each re-care by the due date of its round and
    /// each verification by QC's deadline (`late_recares` and `late_verifications` both 0).
    /// Null while not closed.
    pub closed_in_time: Option<bool>,
    pub history: Vec<FollowupStep>,
    pub version: i64,
}

/// `POST /api/followups/{id}/recare`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecareRequest {
    pub note: String,
    pub recare_call_ref: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    #[serde(deserialize_with = "crate::dates::de::timestamp")]
    pub recared_at: String,
    /// A new promised payment date the customer gave on the re-care call, if any: not before the
    /// re-care call's day, at most [`NEW_PROMISE_MAX_DAYS`] after it.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    #[serde(default, deserialize_with = "crate::dates::de::opt_day")]
    pub promise_date: Option<String>,
}

/// How many days after the re-care call a new promised payment date may lie.
pub const NEW_PROMISE_MAX_DAYS: i64 = 90;

/// Checks a new promised payment date (`YYYY-MM-DD`) against the site day of the re-care call.
pub fn check_new_promise(promise: &str, recare_day: crate::dates::Date) -> Result<(), crate::problems::Problem> {
    let promise = crate::dates::check_day(promise)?;
    let days = promise.to_days() - recare_day.to_days();
    if days < 0 {
        Err(crate::problems::Problem::InPast)
    } else if days > NEW_PROMISE_MAX_DAYS {
        Err(crate::problems::Problem::OutOfRange)
    } else {
        Ok(())
    }
}

/// `POST /api/followups/{id}/verify`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyRequest {
    /// `close` or `reopen`.
    #[cfg_attr(feature = "openapi", schema(example = "close"))]
    pub decision: String,
    #[serde(default)]
    pub comment: String,
}

/// `GET /api/followups/summary`: the caller's badge, polled by the browser every 20–30 s.
/// `changed_at` is the latest change of any follow-up the caller sees: when it moves, the
/// follow-up list is stale.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowupSummary {
    /// Waiting for the agent (open or reopened).
    pub open: u64,
    /// Re-cared, waiting for QC to verify.
    pub recared: u64,
    /// Waiting for the agent past `due_at`.
    pub overdue: u64,
    /// Re-cared, waiting for QC past its deadline (`verify_due_at`).
    pub verify_overdue: u64,
    pub changed_at: Option<String>,
    /// For team leaders and QC: the same counts per agent (empty for agents).
    pub per_agent: Vec<AgentFollowupCounts>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentFollowupCounts {
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub team_id: Option<i64>,
    pub open: u64,
    pub recared: u64,
    pub overdue: u64,
    /// This agent's re-cares waiting for QC past its deadline (QC's delay, not the agent's).
    pub verify_overdue: u64,
    /// The oldest follow-up still waiting for this agent: when it was opened.
    pub oldest_open_at: Option<String>,
}

/// The precision a client sent an RFC 3339 time in, in microseconds, read from its text: down to
/// its last non-zero digit of a fraction of a second; else a second when the seconds are not
/// `00`; else a minute (the browser's `datetime-local` form sends a minute, with `:00`). A
/// re-care is compared with the RETURN at this precision, so one stamped in the RETURN's own
/// second (or minute) is not before it.
pub fn sent_precision_micros(text: &str) -> i64 {
    const MINUTE: i64 = 60_000_000;
    // `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`
    let Some(seconds) = text.get(17..19) else { return MINUTE };
    let fraction: String =
        text.get(19..).unwrap_or("").strip_prefix('.').unwrap_or("").chars().take_while(char::is_ascii_digit).collect();
    let digits = fraction.trim_end_matches('0').len().min(6);
    if digits > 0 {
        10i64.pow(6 - digits as u32)
    } else if seconds != "00" {
        1_000_000
    } else {
        MINUTE
    }
}

#[cfg(test)]
mod tests {
    use crate::dates::Date;

    #[test]
    fn a_new_promise_lies_between_the_recare_day_and_ninety_days_after() {
        let day = Date::parse("2026-12-07").unwrap();
        assert_eq!(check_new_promise("2026-12-07", day), Ok(()));
        assert_eq!(check_new_promise("2027-03-07", day), Ok(()));
        assert_eq!(check_new_promise("2027-03-08", day), Err(crate::problems::Problem::OutOfRange));
        assert_eq!(check_new_promise("2026-12-06", day), Err(crate::problems::Problem::InPast));
        assert!(check_new_promise("07/12/2026", day).is_err());
    }

    use super::*;

    #[test]
    fn the_followup_table() {
        use FollowupAction as A;
        use FollowupStatus as S;
        for from in S::ALL {
            for action in A::ALL {
                for role in Role::ALL {
                    let who = match action {
                        A::Recare => role == Role::Agent,
                        A::Close | A::Reopen => matches!(role, Role::Qco | Role::QcCoordinator),
                    };
                    let expected = if !who {
                        Err(Refusal::NotAllowed)
                    } else {
                        match (from, action) {
                            (S::Open, A::Recare) | (S::Reopened, A::Recare) => Ok(S::Recared),
                            (S::Recared, A::Close) => Ok(S::Closed),
                            (S::Recared, A::Reopen) => Ok(S::Reopened),
                            _ => Err(Refusal::WrongState),
                        }
                    };
                    assert_eq!(
                        followup_transition(from, action, Actor::User(role)),
                        expected,
                        "{from:?} {action:?} {role:?}"
                    );
                }
                assert_eq!(followup_transition(from, action, Actor::System), Err(Refusal::NotAllowed));
            }
        }
    }

    #[test]
    fn the_precision_a_client_sent() {
        assert_eq!(sent_precision_micros("2026-11-29T09:15:00+07:00"), 60_000_000, "the browser's form: a minute");
        assert_eq!(sent_precision_micros("2026-11-29T09:15:30+07:00"), 1_000_000);
        assert_eq!(sent_precision_micros("2026-11-29T02:15:30.000Z"), 1_000_000);
        assert_eq!(sent_precision_micros("2026-11-29T02:15:30.250Z"), 10_000);
        assert_eq!(sent_precision_micros("2026-11-29T02:15:30.123456789Z"), 1);
        assert_eq!(sent_precision_micros("2026-11-29T02:15:00.5Z"), 100_000);
    }
}
