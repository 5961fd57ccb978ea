//! The query string of the document register, declared once: the server reads and documents it
//! (`IntoParams` with `openapi`) from this type. See [`crate::filters`] for how a value is read.

use super::DocKind;
use serde::Deserialize;

/// `GET /api/documents`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct DocumentFilter {
    /// `procedure`, `work_instruction` or `form`.
    #[serde(default, deserialize_with = "crate::filters::de::opt_exact_word")]
    pub kind: Option<DocKind>,
    /// Part of a code or title.
    pub q: Option<String>,
    /// Page size: 50 by default, at most 500.
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}
