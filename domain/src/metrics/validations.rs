//! The F-19 and W-03 metrics: approval and RETURN rates of the validations, and how many closed
//! RETURNs kept every deadline, each over an additive tally.

use super::rate::{Rate, additive};
use crate::cases::ValidationResult;
use serde::{Deserialize, Serialize};

/// Validated agrees by result. "Validated" is their sum, so the three can never disagree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValidationTally {
    pub approved: u64,
    pub returned: u64,
}

additive!(ValidationTally { approved, returned });

impl ValidationTally {
    /// One validation.
    pub fn validation(result: ValidationResult) -> ValidationTally {
        match result {
            ValidationResult::Approved => ValidationTally { approved: 1, returned: 0 },
            ValidationResult::Returned => ValidationTally { approved: 0, returned: 1 },
        }
    }

    /// Validated agrees (approved + returned).
    pub fn validated(&self) -> u64 {
        self.approved + self.returned
    }
}

/// Approval rate: APPROVED out of validated agrees (pending ones are not validated yet).
pub fn approval_rate(tally: &ValidationTally) -> Rate {
    Rate::new(tally.approved, tally.validated())
}

/// RETURN rate: RETURNed out of validated agrees. With the approval rate it makes 100 %.
pub fn return_rate(tally: &ValidationTally) -> Rate {
    Rate::new(tally.returned, tally.validated())
}

/// Whether a closed RETURN kept every deadline of W-03: each re-care recorded by the due date of
/// its round and each verification made by QC's deadline — what a follow-up's `closed_in_time`
/// says. The server counts a follow-up's late re-cares and late verifications as it records them.
pub fn kept_every_deadline(late_recares: u64, late_verifications: u64) -> bool {
    late_recares == 0 && late_verifications == 0
}

/// Closed RETURNs (W-03 follow-ups), and which of them kept their deadlines: all of them (on
/// time), the agent's (every re-care by its round's due date), QC's (every verification by its
/// deadline). Follow-ups still open are not counted: they are not late *closures* yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnTally {
    pub closed: u64,
    /// Closed with every deadline kept ([`kept_every_deadline`]).
    pub closed_in_time: u64,
    /// Closed with every re-care recorded by the due date of its round.
    pub recared_in_time: u64,
    /// Closed with every verification made by QC's deadline.
    pub verified_in_time: u64,
}

additive!(ReturnTally { closed, closed_in_time, recared_in_time, verified_in_time });

impl ReturnTally {
    /// One closed follow-up, from the late steps counted on it.
    pub fn closed(late_recares: u64, late_verifications: u64) -> ReturnTally {
        ReturnTally {
            closed: 1,
            closed_in_time: u64::from(kept_every_deadline(late_recares, late_verifications)),
            recared_in_time: u64::from(late_recares == 0),
            verified_in_time: u64::from(late_verifications == 0),
        }
    }
}

/// RETURN on-time closure: closed RETURNs that kept every deadline out of closed RETURNs.
/// (`recared_in_time` and `verified_in_time` of the tally split the blame: the agent's and QC's.)
pub fn return_on_time_rate(tally: &ReturnTally) -> Rate {
    Rate::new(tally.closed_in_time, tally.closed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ValidationResult::*;

    #[test]
    fn approval_and_return_rates_share_the_validated_agrees() {
        let tally: ValidationTally =
            [Approved, Approved, Returned, Approved].into_iter().map(ValidationTally::validation).sum();
        assert_eq!(tally, ValidationTally { approved: 3, returned: 1 });
        assert_eq!(tally.validated(), 4);
        assert_eq!(approval_rate(&tally).percent(), Some(75.0));
        assert_eq!(return_rate(&tally).percent(), Some(25.0));
        assert_eq!(approval_rate(&ValidationTally::default()).percent(), None, "nothing validated: no rate");
        assert_eq!(return_rate(&ValidationTally::default()).value(), None);
        let thirds = ValidationTally { approved: 1, returned: 2 };
        assert_eq!((approval_rate(&thirds).percent(), return_rate(&thirds).percent()), (Some(33.33), Some(66.67)));
    }

    #[test]
    fn the_f19_reports_rate_is_this_rate() {
        for (approved, returned) in [(0, 0), (3, 1), (1, 2), (2, 0), (1, 19_999)] {
            let tally = ValidationTally { approved, returned };
            assert_eq!(crate::cases::approval_rate(approved, tally.validated()), approval_rate(&tally).percent());
        }
    }

    #[test]
    fn a_closure_is_on_time_only_with_every_deadline_kept() {
        assert!(kept_every_deadline(0, 0));
        assert!(!kept_every_deadline(1, 0), "the agent re-cared late");
        assert!(!kept_every_deadline(0, 2), "QC verified late");
        let tally: ReturnTally = [
            ReturnTally::closed(0, 0),
            ReturnTally::closed(1, 0),
            ReturnTally::closed(0, 1),
            ReturnTally::closed(0, 0),
        ]
        .into_iter()
        .sum();
        assert_eq!(tally, ReturnTally { closed: 4, closed_in_time: 2, recared_in_time: 3, verified_in_time: 3 });
        assert_eq!(return_on_time_rate(&tally).percent(), Some(50.0));
        assert_eq!(Rate::new(tally.recared_in_time, tally.closed).percent(), Some(75.0));
        assert_eq!(return_on_time_rate(&ReturnTally::default()).percent(), None, "nothing closed: no rate");
        let one_late_of_three = ReturnTally::closed(0, 0) + ReturnTally::closed(0, 0) + ReturnTally::closed(3, 3);
        assert_eq!(return_on_time_rate(&one_late_of_three).percent(), Some(66.67));
    }
}
