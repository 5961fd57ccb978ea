//! The promise keep rate: promises kept out of those settled (kept or broken), over an additive
//! tally; pending promises are counted apart.

use super::rate::{Rate, additive};
use crate::promises::PromiseStatus;
use serde::{Deserialize, Serialize};

/// Promises by status. A day's (or team's) tally plus another's is the tally of both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PromiseTally {
    pub kept: u64,
    pub broken: u64,
    /// Neither kept nor due yet: not in the rate.
    pub pending: u64,
}

additive!(PromiseTally { kept, broken, pending });

impl PromiseTally {
    /// One promise.
    pub fn promise(status: PromiseStatus) -> PromiseTally {
        match status {
            PromiseStatus::Kept => PromiseTally { kept: 1, ..PromiseTally::default() },
            PromiseStatus::Broken => PromiseTally { broken: 1, ..PromiseTally::default() },
            PromiseStatus::Pending => PromiseTally { pending: 1, ..PromiseTally::default() },
        }
    }

    /// Promises settled: kept + broken.
    pub fn settled(&self) -> u64 {
        self.kept + self.broken
    }
}

/// Keep rate: kept promises out of settled ones (kept + broken). Pending promises are left out
/// until they settle, so a promise not due yet neither helps nor hurts.
pub fn keep_rate(tally: &PromiseTally) -> Rate {
    Rate::new(tally.kept, tally.settled())
}

#[cfg(test)]
mod tests {
    use super::*;
    use PromiseStatus::*;

    #[test]
    fn the_keep_rate_counts_settled_promises_only() {
        let tally: PromiseTally = [Kept, Broken, Pending, Kept, Pending].into_iter().map(PromiseTally::promise).sum();
        assert_eq!(tally, PromiseTally { kept: 2, broken: 1, pending: 2 });
        assert_eq!(keep_rate(&tally), Rate::new(2, 3));
        assert_eq!(keep_rate(&tally).percent(), Some(66.67));
        let only_pending = PromiseTally::promise(Pending);
        assert_eq!(keep_rate(&only_pending).percent(), None, "nothing settled: no rate, not 0 %");
    }

    #[test]
    fn tallies_add_as_counts_not_as_rates() {
        let monday = PromiseTally { kept: 1, broken: 0, pending: 0 }; // 100 %
        let tuesday = PromiseTally { kept: 0, broken: 3, pending: 5 }; // 0 %
        let mut week = monday;
        week += tuesday;
        assert_eq!(week, monday + tuesday);
        assert_eq!(keep_rate(&week).percent(), Some(25.0), "not the 50 % of the two rates");
        assert_eq!(week.pending, 5);
    }
}
