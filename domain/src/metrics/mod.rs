//! The metrics of the dashboards and reports, defined once for the server and the browser
//! (`docs/metrics.md` says each in words). Each metric is one function over a small additive
//! tally, never over database rows: the server keeps tallies per day (and team, service,
//! bucket…) and adds them up for any period, and the browser may add the ones it was sent.
//! Rates are [`Rate`]s, counts that add up and whose value is `None` when nothing was counted.
//!
//! - `rate`: [`Rate`] and the one rounding (two decimals, half away from zero, in integers);
//! - `scores`: F-18 — average score, fatal rate, a parameter's fail rate, dispute rate, QC
//!   strictness;
//! - `validations`: F-19 and W-03 — approval and RETURN rates, RETURN on-time closure;
//! - `promises`: the promise keep rate (issue 16);
//! - `period`: months, periods, the period before, the trend window;
//! - `filter`: the dashboards' one filter and its check;
//! - `dashboard`: the overview's tallies, as the server sends them;
//! - `breakdown`: the same split by team, agent, service or bucket, and the parameter heatmap;
//! - `workload`: the backlog and overdue follow-ups by age, reopened RETURNs, dispute outcomes,
//!   each QC officer's output, strictness and calibration distance.

mod breakdown;
mod dashboard;
mod filter;
mod period;
mod promises;
mod rate;
mod scores;
mod validations;
mod workload;

pub use breakdown::{
    Breakdown, BreakdownQuery, BreakdownRow, Dimension, Heatmap, HeatmapCell, HeatmapColumn, HeatmapParameter,
    WORST_CELLS, WORST_MIN_ANSWERED,
};
pub use dashboard::{OVERVIEW_METRICS, Overview, Tallies, TrendPoint, Waiting};
pub use filter::{DashboardFilter, DashboardScope};
pub use period::{Month, Period, TREND_MONTHS, check_month};
pub use promises::{PromiseTally, keep_rate};
pub use rate::Rate;
pub use scores::{
    ParameterTally, ResponseTally, SheetTally, average_score, dispute_rate, fatal_rate, parameter_fail_rate,
    qc_strictness,
};
pub use validations::{
    ReturnTally, ValidationTally, approval_rate, kept_every_deadline, return_on_time_rate, return_rate,
};
pub use workload::{
    AGE_BANDS, DisputeTally, OfficerRow, ReopenTally, Workload, age_band, amended_share, band_cutoffs,
    bands_from_cumulative, days_to_resolve, per_working_day, reopened_share, working_days_between, working_days_in,
};

crate::codes::code_enum! {
    /// A metric, by the word dashboards and their help texts name it by. The browser words each
    /// (name and help) by an exhaustive match, so a new metric does not compile until it has
    /// its Indonesian and English text.
    pub enum Metric {
        /// [`average_score`]
        AverageScore,
        /// [`fatal_rate`]
        FatalRate,
        /// [`parameter_fail_rate`]
        ParameterFailRate,
        /// [`approval_rate`]
        ApprovalRate,
        /// [`return_rate`]
        ReturnRate,
        /// [`return_on_time_rate`]
        ReturnOnTime,
        /// [`dispute_rate`]
        DisputeRate,
        /// [`qc_strictness`]
        QcStrictness,
    }
}

/// What a metric's number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Score points, 0–100 (strictness: a difference of points, −100 to 100).
    Points,
    /// A [`Rate`] shown as a percentage.
    Percent,
}

/// Which way a change is good news, for a trend's arrow and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Better {
    Higher,
    Lower,
    /// Neither: QC strictness is best near 0.
    NearZero,
}

impl Metric {
    pub fn unit(self) -> Unit {
        match self {
            Metric::AverageScore | Metric::QcStrictness => Unit::Points,
            _ => Unit::Percent,
        }
    }

    pub fn better(self) -> Better {
        match self {
            Metric::AverageScore | Metric::ApprovalRate | Metric::ReturnOnTime => Better::Higher,
            Metric::FatalRate | Metric::ParameterFailRate | Metric::ReturnRate | Metric::DisputeRate => Better::Lower,
            Metric::QcStrictness => Better::NearZero,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_named_by_stable_words() {
        let words: Vec<&str> = Metric::ALL.iter().map(|m| m.as_str()).collect();
        assert_eq!(
            words,
            [
                "average_score",
                "fatal_rate",
                "parameter_fail_rate",
                "approval_rate",
                "return_rate",
                "return_on_time",
                "dispute_rate",
                "qc_strictness"
            ]
        );
        assert_eq!("qc_strictness".parse::<Metric>(), Ok(Metric::QcStrictness));
    }

    #[test]
    fn only_scores_are_points() {
        let points: Vec<Metric> = Metric::ALL.into_iter().filter(|m| m.unit() == Unit::Points).collect();
        assert_eq!(points, [Metric::AverageScore, Metric::QcStrictness]);
        assert_eq!(Metric::ReturnRate.better(), Better::Lower);
        assert_eq!(Metric::ReturnOnTime.better(), Better::Higher);
    }
}
