//! Limits that the browser and the server must agree on, each named once.

/// The longest free text of one field (a comment, a note, a description, a parameter's guidance).
pub const TEXT_MAX: usize = 2000;

/// The largest file the server takes on one upload (an original document, an agree export).
pub const UPLOAD_MAX_BYTES: usize = 50 * 1024 * 1024;

/// The longest period a dashboard reads, in months (the records behind it are kept 24 months).
pub const DASHBOARD_MAX_MONTHS: u32 = 24;
