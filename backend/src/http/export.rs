//! The `format=json|xlsx|csv` of the reports: which one a query asks for, and the download a
//! file is sent as.

use crate::error::{ApiError, ApiResult};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::problems::Problem;

/// What a report is sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xlsx,
    Csv,
}

impl Format {
    /// `json` when none is asked for; another word is 422 `unknown_format` on `format`.
    pub fn of(word: Option<&str>) -> ApiResult<Format> {
        match word.unwrap_or("json") {
            "json" => Ok(Format::Json),
            "xlsx" => Ok(Format::Xlsx),
            "csv" => Ok(Format::Csv),
            _ => Err(ApiError::field("format", Problem::UnknownFormat)),
        }
    }

    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }

    /// `bytes` as a download named `file_name` (an XLSX or a UTF-8 CSV).
    pub fn attachment(self, file_name: &str, bytes: Vec<u8>) -> Response {
        let content_type = match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
        };
        let disposition = format!("attachment; filename=\"{file_name}\"");
        ([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
            .into_response()
    }
}
