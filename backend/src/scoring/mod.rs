//! F-18 call scoring: versioned scoring forms, evaluations with acknowledgement, disputes and
//! resolutions, calibration sessions, sampling.

pub mod routes;
pub mod seed;
