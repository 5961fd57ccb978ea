//! F-18 call scoring: versioned scoring forms, evaluations with acknowledgement, disputes and
//! resolutions, calibration sessions, sampling.

pub mod calibration;
pub mod routes;
pub mod sampling;
pub mod seed;
pub mod service;
pub mod stats;
