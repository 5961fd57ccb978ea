//! The agree case itself: the programme (service) and arrears bucket of a call, where the case
//! stands, who sees which cases (and follow-ups and F-18 sheets), and the case and queue-summary
//! wire types.

use super::Validation;
use crate::dates::Date;
use crate::permissions::Role;
use serde::{Deserialize, Serialize};

crate::codes::code_enum! {
    /// The outbound programme a call belongs to (stored and sent as `CT0`, `PRANPC`).
    #[derive(PartialOrd, Ord)]
    pub enum Service {
        Ct0 = "CT0",
        Pranpc = "PRANPC",
    }
}

impl Service {
    /// How people write it: `CT-0`, `PRANPC`.
    pub fn label(self) -> &'static str {
        match self {
            Service::Ct0 => "CT-0",
            Service::Pranpc => "PRANPC",
        }
    }
    /// The arrears buckets the SOP (P-01 §6.1–6.2) gives the service: CT-0 serves arrears of
    /// month N+2, PRANPC months N and N+1.
    pub fn buckets(self) -> &'static [Bucket] {
        match self {
            Service::Ct0 => &[Bucket::N2],
            Service::Pranpc => &[Bucket::N, Bucket::N1],
        }
    }
    /// Whether the SOP gives the service this bucket (see [`Service::buckets`]).
    pub fn serves(self, bucket: Bucket) -> bool {
        self.buckets().contains(&bucket)
    }
    /// Accepts the API form and the way exports spell it (`CT0`, `CT-0`, `ct 0`, `pranpc`).
    pub fn parse(text: &str) -> Option<Service> {
        let norm: String = text.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
        match norm.as_str() {
            "CT0" => Some(Service::Ct0),
            "PRANPC" => Some(Service::Pranpc),
            _ => None,
        }
    }
}

crate::codes::code_enum! {
    /// The arrears bucket: bills of this month (N), one month (N+1) or two months (N+2) back
    /// (stored and sent as `N`, `N1`, `N2`).
    #[derive(PartialOrd, Ord)]
    pub enum Bucket {
        N = "N",
        N1 = "N1",
        N2 = "N2",
    }
}

impl Bucket {
    /// How people write it: `N`, `N+1`, `N+2`.
    pub fn label(self) -> &'static str {
        match self {
            Bucket::N => "N",
            Bucket::N1 => "N+1",
            Bucket::N2 => "N+2",
        }
    }
    /// Accepts `N`, `N1`, `N+1`, `n + 2`.
    pub fn parse(text: &str) -> Option<Bucket> {
        let norm: String =
            text.chars().filter(|c| !c.is_whitespace() && *c != '+').collect::<String>().to_ascii_uppercase();
        match norm.as_str() {
            "N" => Some(Bucket::N),
            "N1" => Some(Bucket::N1),
            "N2" => Some(Bucket::N2),
            _ => None,
        }
    }
    /// The latest promised payment date allowed for a call on `call_date`: bucket N must pay by
    /// the 20th of the call's month, N+1 within 7 days, N+2 within 3 days (the isolation date).
    pub fn latest_promise(self, call_date: Date) -> Date {
        match self {
            Bucket::N => Date { day: 20, ..call_date }.max(call_date),
            Bucket::N1 => call_date.add_days(7),
            Bucket::N2 => call_date.add_days(3),
        }
    }
}

crate::codes::code_enum! {
    /// Where an agree case stands.
    pub enum CaseStatus {
        Pending,
        Approved,
        Returned,
    }
}

/// Which rows of cases, follow-ups and evaluations a role sees. Anything outside is a 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Only rows whose agent is the caller.
    Own,
    /// Only rows whose agent is in the caller's team.
    Team,
    All,
    /// The role has no business with these rows (403 on lists, 404 on single rows).
    None,
}

/// The one rule for who sees agree cases, follow-ups and F-18 sheets.
pub fn visibility(role: Role) -> Visibility {
    match role {
        Role::Agent => Visibility::Own,
        Role::TeamLeader => Visibility::Team,
        Role::Qco | Role::QcCoordinator | Role::Manager | Role::Admin => Visibility::All,
        Role::DocController => Visibility::None,
    }
}

/// An agree case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Case {
    pub id: i64,
    pub customer_no: String,
    pub customer_name: String,
    pub service: Service,
    pub bucket: Bucket,
    pub bill_amount: i64,
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub team_id: Option<i64>,
    pub call_at: String,
    pub reason: String,
    pub promise_date: String,
    pub recording_ref: String,
    pub status: CaseStatus,
    pub imported_at: String,
    pub validation: Option<Validation>,
    /// The promise to pay and what came of it (issue 16): on `GET /api/cases/{id}` only, evaluated
    /// against the customer's payments as of now; lists leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promise: Option<crate::promises::CasePromise>,
}

/// Another QC officer with the same agree open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseViewer {
    pub user_id: i64,
    pub name: String,
    /// When their page last said it was open (RFC 3339).
    pub seen_at: String,
}

/// `POST /api/cases/{id}/viewing`: the other officers whose page has this agree open now.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseViewers {
    pub others: Vec<CaseViewer>,
}

/// `GET /api/cases/summary`: the pending agrees the caller sees, counted whole (not a page), and
/// the call time of the oldest one, for the landing page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub pending: u64,
    pub oldest_pending_call_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::approval_rate;

    #[test]
    fn visibility_by_role() {
        assert_eq!(visibility(Role::Agent), Visibility::Own);
        assert_eq!(visibility(Role::TeamLeader), Visibility::Team);
        assert_eq!(visibility(Role::DocController), Visibility::None);
        for r in [Role::Qco, Role::QcCoordinator, Role::Manager, Role::Admin] {
            assert_eq!(visibility(r), Visibility::All);
        }
    }

    #[test]
    fn bucket_promise_limits() {
        let d = Date::parse("2026-11-10").unwrap();
        assert_eq!(Bucket::N.latest_promise(d).to_string(), "2026-11-20");
        assert_eq!(Bucket::N.latest_promise(Date::parse("2026-11-25").unwrap()).to_string(), "2026-11-25");
        assert_eq!(Bucket::N1.latest_promise(d).to_string(), "2026-11-17");
        assert_eq!(Bucket::N2.latest_promise(d).to_string(), "2026-11-13");
        assert_eq!(approval_rate(2, 3), Some(66.67));
        assert_eq!(approval_rate(0, 0), None);
    }

    #[test]
    fn the_sop_gives_each_service_its_buckets() {
        assert!(Service::Ct0.serves(Bucket::N2));
        assert!(!Service::Ct0.serves(Bucket::N) && !Service::Ct0.serves(Bucket::N1));
        assert!(Service::Pranpc.serves(Bucket::N) && Service::Pranpc.serves(Bucket::N1));
        assert!(!Service::Pranpc.serves(Bucket::N2));
        // Every bucket is served by exactly one service.
        for bucket in Bucket::ALL {
            assert_eq!(Service::ALL.iter().filter(|s| s.serves(bucket)).count(), 1, "{bucket:?}");
        }
    }
}
