//! F-18 call scoring: versioned scoring forms, evaluations with acknowledgement, disputes and
//! resolutions, calibration sessions, sampling, and the per-parameter fail-rate report.
//! Every change is a conditional update committed with its audit entry; scores come from
//! `domain::scoring::score`, the function the browser uses for the live score.

pub mod calibration;
pub mod disputes;
pub mod evaluations;
pub mod fail_rates;
pub mod forms;
pub mod routes;
pub mod sampling;
pub mod seed;
pub mod shared;
pub mod stats;
