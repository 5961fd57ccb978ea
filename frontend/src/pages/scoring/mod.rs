//! F-18 call scoring: the sheets (list, one sheet with the agent's acknowledgement or dispute and
//! the coordinator's resolution), scoring a call, the scoring forms and their builder,
//! calibration sessions and sampling. What several of these pages share lives here.

mod calibration;
mod calibrations;
mod evaluation;
mod evaluations;
mod sampling;
mod score_call;
mod scoring_form;
mod scoring_forms;

pub use calibration::CalibrationPage;
pub use calibrations::CalibrationsPage;
pub use evaluation::EvaluationPage;
pub use evaluations::EvaluationsPage;
pub use sampling::SamplingPage;
pub use score_call::ScoreCallPage;
pub use scoring_form::ScoringFormPage;
pub use scoring_forms::ScoringFormsPage;

use crate::hooks::Keyed;
use domain::scoring::{CalibrationSummary, EvaluationSummary, SamplingAssignment};

impl Keyed for EvaluationSummary {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for CalibrationSummary {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for SamplingAssignment {
    fn key(&self) -> i64 {
        self.id
    }
}
