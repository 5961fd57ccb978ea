//! The overview dashboard's answer (`GET /api/dashboards/overview`): the tallies of a scope
//! (site, team or one agent, narrowed by service and bucket) for the period, the period before
//! and each month of the trend window, and what is waiting now. The server sends counts, never
//! rates: the browser computes every figure with this module's siblings (`average_score`,
//! `approval_rate`, …), so a figure is the same wherever it is shown.

use super::rate::additive;
use super::{Metric, ResponseTally, ReturnTally, SheetTally, ValidationTally};
use crate::cases::{Bucket, Service};
use serde::{Deserialize, Serialize};

/// Every tally of one stretch of days, for one scope: F-18 sheets and the agents' answers to
/// them, F-19 validations and W-03 closed RETURNs, each counted on the site day of its call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tallies {
    pub sheets: SheetTally,
    pub responses: ResponseTally,
    pub validations: ValidationTally,
    pub returns: ReturnTally,
}

additive!(Tallies { sheets, responses, validations, returns });

/// The overview's figures, in the order of its tiles and of its month-by-month table (and of that
/// table's CSV and XLSX).
pub const OVERVIEW_METRICS: [Metric; 6] = [
    Metric::AverageScore,
    Metric::FatalRate,
    Metric::DisputeRate,
    Metric::ApprovalRate,
    Metric::ReturnRate,
    Metric::ReturnOnTime,
];

impl Tallies {
    /// `metric`'s figure over these tallies (score points, or a percentage rounded to two
    /// decimals; `None` when nothing was counted) and how many records it counts. The metrics a
    /// scope's tallies do not hold (per parameter, per officer) are `(None, 0)`.
    pub fn figure(&self, metric: Metric) -> (Option<f64>, u64) {
        let rate = |r: super::Rate| (r.percent(), r.den);
        match metric {
            Metric::AverageScore => (super::average_score(&self.sheets), self.sheets.sheets),
            Metric::FatalRate => rate(super::fatal_rate(&self.sheets)),
            Metric::DisputeRate => rate(super::dispute_rate(&self.responses)),
            Metric::ApprovalRate => rate(super::approval_rate(&self.validations)),
            Metric::ReturnRate => rate(super::return_rate(&self.validations)),
            Metric::ReturnOnTime => rate(super::return_on_time_rate(&self.returns)),
            Metric::ParameterFailRate | Metric::QcStrictness => (None, 0),
        }
    }
}

/// One month of the trend: `YYYY-MM` and its tallies (the month still running, so far).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    pub month: String,
    pub tallies: Tallies,
}

/// What is waiting now in the scope, whatever the period: agrees not validated yet (and the
/// site day of the oldest one's call), RETURN follow-ups waiting for the agent (open or
/// reopened), those waiting for QC's verification of the re-care, and how many of either are
/// past their deadline (the agent's due date, QC's verification deadline).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Waiting {
    pub pending_agrees: u64,
    pub oldest_pending_day: Option<String>,
    pub open_returns: u64,
    pub overdue_returns: u64,
    pub recared_returns: u64,
}

/// The overview of a scope. `team_id` is the team it is narrowed to (a team leader's always
/// their own), `agent_id` the agent (an agent's always themselves).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overview {
    pub from: String,
    pub to: String,
    /// The period compared with (`Period::previous`).
    pub previous_from: String,
    pub previous_to: String,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
    pub service: Option<Service>,
    pub bucket: Option<Bucket>,
    pub current: Tallies,
    pub previous: Tallies,
    /// The [`super::TREND_MONTHS`] months ending with the period's last month, oldest first.
    pub trend: Vec<TrendPoint>,
    /// For an agent: their team's tallies over the same period, to set their own beside.
    pub team: Option<Tallies>,
    pub waiting: Waiting,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tallies_add_field_by_field() {
        let one = Tallies {
            sheets: SheetTally { sheets: 1, fatal: 1, score_hundredths: 0 },
            responses: ResponseTally { acknowledged: 1, disputed: 0 },
            validations: ValidationTally { approved: 2, returned: 1 },
            returns: ReturnTally { closed: 1, closed_in_time: 1, recared_in_time: 1, verified_in_time: 1 },
        };
        let two = [one, one, Tallies::default()].into_iter().sum::<Tallies>();
        assert_eq!(two.sheets.sheets, 2);
        assert_eq!(two.validations, ValidationTally { approved: 4, returned: 2 });
        assert_eq!(two.returns.closed_in_time, 2);
        assert_eq!(two.responses.acknowledged, 2);
    }

    #[test]
    fn each_overview_figure_comes_with_the_count_behind_it() {
        let t = Tallies {
            sheets: SheetTally { sheets: 4, fatal: 1, score_hundredths: 30_000 },
            responses: ResponseTally { acknowledged: 3, disputed: 1 },
            validations: ValidationTally { approved: 3, returned: 1 },
            returns: ReturnTally { closed: 2, closed_in_time: 1, recared_in_time: 1, verified_in_time: 2 },
        };
        let figures: Vec<(Option<f64>, u64)> = OVERVIEW_METRICS.iter().map(|m| t.figure(*m)).collect();
        assert_eq!(
            figures,
            [(Some(75.0), 4), (Some(25.0), 4), (Some(25.0), 4), (Some(75.0), 4), (Some(25.0), 4), (Some(50.0), 2)]
        );
        assert_eq!(Tallies::default().figure(Metric::ApprovalRate), (None, 0), "nothing counted is no figure");
        assert_eq!(t.figure(Metric::QcStrictness), (None, 0), "not a scope's figure");
    }
}
