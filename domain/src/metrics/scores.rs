//! The F-18 metrics: average score, fatal rate, a parameter's fail rate, the dispute rate and a
//! QC officer's strictness, each over an additive tally of sheets. A sheet's score is always
//! [`crate::scoring::score`]'s (a failed fatal parameter makes it 0), never computed again here.

use super::rate::{Rate, additive, hundredths, round_ratio};
use crate::scoring::{AnswerValue, EvaluationStatus, FormSection, Score};
use serde::{Deserialize, Serialize};

/// Counted F-18 sheets: how many, how many with a failed fatal parameter, and the sum of their
/// scores in hundredths of a point (scores have two decimals, so the sum is exact and a month's
/// tally is the sum of its days').
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SheetTally {
    pub sheets: u64,
    /// Sheets with a failed fatal parameter (their score is 0).
    pub fatal: u64,
    /// Σ score × 100 (a score of 87.5 adds 8,750).
    pub score_hundredths: u64,
}

additive!(SheetTally { sheets, fatal, score_hundredths });

impl SheetTally {
    /// One sheet, from its stored score (the result of [`crate::scoring::score`]).
    pub fn sheet(score: Score) -> SheetTally {
        // A score is 0–100 with two decimals, so ×100 is a whole number (rounded to undo float).
        let hundredths = (score.score.clamp(0.0, 100.0) * 100.0).round() as u64;
        SheetTally { sheets: 1, fatal: u64::from(score.fatal), score_hundredths: hundredths }
    }

    /// One sheet, scored from its form and answers by [`crate::scoring::score`].
    pub fn scored(sections: &[FormSection], answers: &[crate::scoring::Answer]) -> SheetTally {
        SheetTally::sheet(crate::scoring::score(sections, answers))
    }
}

/// Average score: the mean of the sheets' scores (a sheet with a failed fatal parameter counts
/// as 0), rounded to two decimals; `None` without sheets.
pub fn average_score(tally: &SheetTally) -> Option<f64> {
    (tally.sheets > 0).then(|| hundredths(i128::from(tally.score_hundredths), i128::from(tally.sheets)))
}

/// Fatal rate: sheets with a failed fatal parameter out of sheets.
pub fn fatal_rate(tally: &SheetTally) -> Rate {
    Rate::new(tally.fatal, tally.sheets)
}

/// QC strictness: the officer's average score minus the site's over the same period and filter
/// (the site's sheets include the officer's own), in points, rounded to two decimals. Negative:
/// the officer scores lower than the site does. Computed from the exact means, not from the two
/// rounded averages; `None` when either has no sheets.
pub fn qc_strictness(officer: &SheetTally, site: &SheetTally) -> Option<f64> {
    if officer.sheets == 0 || site.sheets == 0 {
        return None;
    }
    // officer_sum / officer_n − site_sum / site_n, over one denominator.
    let (o_sum, o_n) = (i128::from(officer.score_hundredths), i128::from(officer.sheets));
    let (s_sum, s_n) = (i128::from(site.score_hundredths), i128::from(site.sheets));
    Some(round_ratio(o_sum * s_n - s_sum * o_n, o_n * s_n) as f64 / 100.0)
}

/// One parameter's answers on counted sheets: passed, failed, not applicable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParameterTally {
    pub pass: u64,
    pub fail: u64,
    pub na: u64,
}

additive!(ParameterTally { pass, fail, na });

impl ParameterTally {
    /// One answer.
    pub fn answer(value: AnswerValue) -> ParameterTally {
        match value {
            AnswerValue::Pass => ParameterTally { pass: 1, ..ParameterTally::default() },
            AnswerValue::Fail => ParameterTally { fail: 1, ..ParameterTally::default() },
            AnswerValue::Na => ParameterTally { na: 1, ..ParameterTally::default() },
        }
    }
}

/// A parameter's fail rate: failed out of answered (passed + failed); N/A answers are left out,
/// so a parameter only ever answered N/A has no rate.
pub fn parameter_fail_rate(tally: &ParameterTally) -> Rate {
    Rate::new(tally.fail, tally.pass + tally.fail)
}

/// How agents answered the sheets submitted to them: acknowledged, or disputed (a resolved
/// sheet was disputed). Sheets not answered yet are not counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseTally {
    pub acknowledged: u64,
    pub disputed: u64,
}

additive!(ResponseTally { acknowledged, disputed });

impl ResponseTally {
    /// A sheet in `status`: acknowledged counts as acknowledged, disputed and resolved as
    /// disputed, a draft or a sheet the agent has not answered yet as nothing.
    pub fn sheet(status: EvaluationStatus) -> ResponseTally {
        match status {
            EvaluationStatus::Acknowledged => ResponseTally { acknowledged: 1, disputed: 0 },
            EvaluationStatus::Disputed | EvaluationStatus::Resolved => ResponseTally { acknowledged: 0, disputed: 1 },
            EvaluationStatus::Draft | EvaluationStatus::Submitted => ResponseTally::default(),
        }
    }
}

/// Dispute rate: disputed out of the sheets agents answered (acknowledged + disputed).
pub fn dispute_rate(tally: &ResponseTally) -> Rate {
    Rate::new(tally.disputed, tally.acknowledged + tally.disputed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::{ans, form};
    use AnswerValue::*;

    fn sheets(scores: &[(f64, bool)]) -> SheetTally {
        scores.iter().map(|&(score, fatal)| SheetTally::sheet(Score { score, fatal })).sum()
    }

    #[test]
    fn the_average_is_the_mean_of_the_sheets_scores() {
        assert_eq!(average_score(&SheetTally::default()), None, "no sheets: no average, not 0");
        assert_eq!(average_score(&sheets(&[(80.0, false)])), Some(80.0));
        // (80 + 33.33 + 0) / 3 = 37.7766… → 37.78
        assert_eq!(average_score(&sheets(&[(80.0, false), (33.33, false), (0.0, true)])), Some(37.78));
        // (0.01 + 0) / 2 = 0.005: half a hundredth rounds up.
        assert_eq!(average_score(&sheets(&[(0.01, false), (0.0, false)])), Some(0.01));
        assert_eq!(average_score(&sheets(&[(100.0, false); 7])), Some(100.0));
    }

    #[test]
    fn a_failed_fatal_parameter_counts_as_zero_through_the_scoring_code() {
        let f = form();
        let clean = SheetTally::scored(
            &f,
            &[ans("greeting", Pass), ans("identity", Fail), ans("wrong_amount", Pass), ans("bill_amount", Pass)],
        );
        assert_eq!(clean, SheetTally { sheets: 1, fatal: 0, score_hundredths: 8_000 });
        let fatal = SheetTally::scored(
            &f,
            &[ans("greeting", Pass), ans("identity", Pass), ans("wrong_amount", Fail), ans("bill_amount", Pass)],
        );
        assert_eq!(fatal, SheetTally { sheets: 1, fatal: 1, score_hundredths: 0 });
        let both = clean + fatal;
        assert_eq!(average_score(&both), Some(40.0));
        assert_eq!(fatal_rate(&both).percent(), Some(50.0));
        // Everything N/A but the unweighted fatal item passed: nothing failed, so 100 (the formula's rule).
        let all_na = SheetTally::scored(
            &f,
            &[ans("greeting", Pass), ans("identity", Na), ans("wrong_amount", Pass), ans("bill_amount", Na)],
        );
        assert_eq!(average_score(&all_na), Some(100.0));
    }

    #[test]
    fn the_fatal_rate_counts_sheets() {
        assert_eq!(fatal_rate(&SheetTally::default()).percent(), None);
        assert_eq!(fatal_rate(&sheets(&[(90.0, false), (0.0, true), (75.5, false)])), Rate::new(1, 3));
        assert_eq!(fatal_rate(&sheets(&[(0.0, true), (0.0, true)])).percent(), Some(100.0));
        // A score of 0 without a fatal failure is not fatal.
        assert_eq!(fatal_rate(&sheets(&[(0.0, false)])).percent(), Some(0.0));
    }

    #[test]
    fn days_add_up_to_the_month() {
        let days = [sheets(&[(80.0, false), (60.0, false)]), SheetTally::default(), sheets(&[(0.0, true)])];
        let month: SheetTally = days.iter().copied().sum();
        assert_eq!(month, sheets(&[(80.0, false), (60.0, false), (0.0, true)]));
        assert_eq!(average_score(&month), Some(46.67));
    }

    #[test]
    fn a_parameters_fail_rate_leaves_na_out() {
        let answers = [Pass, Fail, Na, Na, Pass, Pass];
        let tally: ParameterTally = answers.into_iter().map(ParameterTally::answer).sum();
        assert_eq!(tally, ParameterTally { pass: 3, fail: 1, na: 2 });
        assert_eq!(parameter_fail_rate(&tally), Rate::new(1, 4));
        assert_eq!(parameter_fail_rate(&tally).percent(), Some(25.0));
        let only_na: ParameterTally = [Na, Na].into_iter().map(ParameterTally::answer).sum();
        assert_eq!(parameter_fail_rate(&only_na).percent(), None, "all N/A: no rate");
        assert_eq!(parameter_fail_rate(&ParameterTally::default()).value(), None);
        let third = ParameterTally { pass: 2, fail: 1, na: 0 };
        assert_eq!(parameter_fail_rate(&third).percent(), Some(33.33));
    }

    #[test]
    fn the_dispute_rate_counts_answered_sheets_only() {
        use EvaluationStatus as S;
        let tally: ResponseTally = [S::Draft, S::Submitted, S::Acknowledged, S::Acknowledged, S::Disputed, S::Resolved]
            .into_iter()
            .map(ResponseTally::sheet)
            .sum();
        assert_eq!(tally, ResponseTally { acknowledged: 2, disputed: 2 });
        assert_eq!(dispute_rate(&tally).percent(), Some(50.0));
        assert_eq!(dispute_rate(&ResponseTally::sheet(S::Submitted)).percent(), None, "nothing answered yet");
        assert_eq!(dispute_rate(&ResponseTally { acknowledged: 2, disputed: 1 }).percent(), Some(33.33));
    }

    #[test]
    fn strictness_is_the_officers_mean_minus_the_sites() {
        let officer = sheets(&[(70.0, false), (80.0, false)]); // 75
        let others = sheets(&[(90.0, false), (95.0, false), (100.0, false), (85.0, false)]);
        let site = officer + others; // 520 / 6 = 86.666…
        assert_eq!(qc_strictness(&officer, &site), Some(-11.67), "stricter than the site");
        assert_eq!(qc_strictness(&others, &site), Some(5.83), "more lenient");
        assert_eq!(qc_strictness(&site, &site), Some(0.0));
        assert_eq!(qc_strictness(&SheetTally::default(), &site), None);
        assert_eq!(qc_strictness(&officer, &SheetTally::default()), None);
        // From the exact means, not the rounded averages: 0.005 − 0.00333… = 0.00166… → 0.0,
        // where the averages (0.01 and 0.0) would say 0.01.
        let (a, b) = (sheets(&[(0.01, false), (0.0, false)]), sheets(&[(0.01, false), (0.0, false), (0.0, false)]));
        assert_eq!((average_score(&a), average_score(&b)), (Some(0.01), Some(0.0)));
        assert_eq!(qc_strictness(&a, &b), Some(0.0));
        // Half a hundredth below rounds away from zero.
        let half = sheets(&[(0.0, false), (0.01, false)]); // 0.005
        assert_eq!(qc_strictness(&sheets(&[(0.0, false)]), &half), Some(-0.01));
    }
}
