//! F-18 call scoring: scoring forms, the score formula, the evaluation workflow and calibration
//! statistics. The browser computes the live score with [`score()`] and the server stores the same
//! function's result, so the two can never disagree.
//!
//! One file per concept: `forms` (forms and their check), `score` (answers and the formula),
//! `workflow` (statuses and the transition table), `evaluation` and `disputes` (a sheet's
//! wire types), `filters` (the lists' query strings), `calibration` (agreement statistics and sessions), `sampling` and
//! `reports`. Everything is re-exported here, so callers write `domain::scoring::X`.

mod calibration;
mod disputes;
mod evaluation;
mod filters;
#[cfg(test)]
pub(crate) mod fixtures;
mod forms;
mod reports;
mod sampling;
mod score;
mod workflow;

pub use calibration::{
    Calibration, CalibrationParticipant, CalibrationStats, CalibrationStatus, CalibrationSummary, NewCalibration,
    ParameterAgreement, calibration_stats, majority_distance,
};
pub use disputes::{Amendment, Dispute, DisputeDecision, DisputeRequest, ResolveRequest};
pub use evaluation::{Evaluation, EvaluationCounts, EvaluationSummary, NewEvaluation};
pub use filters::{AssignmentFilter, CalibrationFilter, EvaluationFilter, FailRateQuery, FormFilter};
pub use forms::{FormParameter, FormSection, FormStatus, NewScoringForm, ScoringForm, parameters, validate_form};
pub use reports::{FailRateReport, ParameterFailRate};
pub use sampling::{AssignmentStatus, SamplingAssignment, SamplingCall, SamplingRequest, SamplingResult};
pub use score::{Answer, AnswerValue, Score, check_answers, score};
pub use workflow::{EvaluationAction, EvaluationStatus, evaluation_transition};

/// The register code of the scoring form document.
pub const F18_CODE: &str = "OB.IN.QCC.TELK.F-18";
