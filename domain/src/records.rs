//! The records lifecycle as the API carries it (issue 15): records due for disposal, legal
//! holds, disposition batches and their certificates; and the checks of what a person asks for,
//! shared by the server and the browser.
//!
//! A *record* is an F-18 sheet (with its answers and amendments), named by the sheet's id, or an
//! F-19 validation with its case and follow-up, named by the case's id. Each keeps the retention
//! its form had in the register when it was made and counts it from the day it closed: a sheet
//! from its acknowledgement or its dispute's resolution, a validation from itself (APPROVED) or
//! from its follow-up's closing (RETURN).

use crate::dates::Date;
use crate::problems::Problem;
use serde::{Deserialize, Serialize};

/// At most this many record ids in one hold or one disposition.
pub const MAX_RECORD_IDS: usize = 10_000;
/// At most this many holds in force at once (every due list and disposal checks them all).
pub const MAX_ACTIVE_HOLDS: usize = 500;
/// A hold's or a release's reason, in characters.
pub const MAX_REASON: usize = 1_000;
/// Records disposed in one transaction.
pub const DISPOSAL_CHUNK: usize = 100;

/// What a record's retention counts from.
pub mod counts_from {
    /// The agent acknowledged the sheet.
    pub const ACKNOWLEDGED: &str = "acknowledged";
    /// The sheet's dispute was resolved.
    pub const RESOLVED: &str = "resolved";
    /// The agree was validated APPROVED.
    pub const VALIDATED: &str = "validated";
    /// The RETURN's follow-up was closed.
    pub const FOLLOWUP_CLOSED: &str = "followup_closed";
}

/// `YYYY-MM`, read strictly.
pub fn parse_month(text: &str) -> Option<(i32, u32)> {
    let (year, month) = text.split_once('-')?;
    if year.len() != 4 || month.len() != 2 || !year.bytes().chain(month.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (year, month) = (year.parse().ok()?, month.parse().ok()?);
    (1..=12).contains(&month).then_some((year, month))
}

/// The last day of a `YYYY-MM` month, as `YYYY-MM-DD`.
pub fn month_end(year: i32, month: u32) -> Date {
    let next =
        if month == 12 { Date { year: year + 1, month: 1, day: 1 } } else { Date { year, month: month + 1, day: 1 } };
    Date::from_days(next.to_days() - 1)
}

/// `GET /api/records/due`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct DueQuery {
    /// A form's register code (`OB.IN.QCC.TELK.F-18`); both forms when absent.
    #[serde(default)]
    pub form: Option<String>,
    /// `YYYY-MM`: records due in this month or before (default: every record due today).
    #[serde(default)]
    pub through: Option<String>,
}

/// Records due for disposal, grouped by form and the month they fell due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueList {
    /// The site's today: a record is due when its `retain_until` is before it.
    pub today: String,
    pub groups: Vec<DueGroup>,
    pub total: i64,
    /// Records past retention that a hold keeps (not due).
    pub held: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueGroup {
    pub form: String,
    pub form_title: String,
    /// `YYYY-MM` of `retain_until`.
    pub month: String,
    pub count: i64,
    /// The retention (months) most of the group's records carry.
    pub retention_months: i32,
}

/// What a hold covers: every field set must match (at least one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoldScope {
    /// Sheet ids (F-18) or case ids (F-19): needs `form`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_ids: Option<Vec<i64>>,
    /// Limits the hold to one form's records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<i32>,
    /// F-19 records of this customer (F-18 sheets carry no customer number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_no: Option<String>,
    /// First site day of the call (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last site day of the call (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

impl HoldScope {
    /// Trims the text fields and drops empty ones.
    pub fn normalised(mut self) -> HoldScope {
        let clean = |t: Option<String>| t.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        self.form = clean(self.form);
        self.customer_no = clean(self.customer_no);
        self.from = clean(self.from);
        self.to = clean(self.to);
        self
    }

    /// The first fault of a (normalised) scope, as `(field, problem)`.
    pub fn fault(&self) -> Option<(&'static str, Problem)> {
        let empty = self.record_ids.is_none()
            && self.agent_id.is_none()
            && self.team_id.is_none()
            && self.customer_no.is_none()
            && self.from.is_none()
            && self.to.is_none();
        if empty {
            return Some(("scope", Problem::Required));
        }
        if let Some(ids) = &self.record_ids {
            if ids.is_empty() {
                return Some(("scope.record_ids", Problem::Required));
            }
            if ids.len() > MAX_RECORD_IDS {
                return Some(("scope.record_ids", Problem::TooLong));
            }
            if ids.iter().any(|id| *id <= 0) {
                return Some(("scope.record_ids", Problem::OutOfRange));
            }
            if self.form.is_none() {
                return Some(("scope.form", Problem::Required));
            }
        }
        if self.customer_no.as_ref().is_some_and(|c| c.chars().count() > 64) {
            return Some(("scope.customer_no", Problem::TooLong));
        }
        let day = |t: &Option<String>| t.as_deref().map(Date::parse);
        match (day(&self.from), day(&self.to)) {
            (Some(None), _) => Some(("scope.from", Problem::InvalidDate)),
            (_, Some(None)) => Some(("scope.to", Problem::InvalidDate)),
            (Some(Some(from)), Some(Some(to))) if to < from => Some(("scope.to", Problem::BeforeFrom)),
            _ => None,
        }
    }
}

/// The fault of a reason (a hold's or a release's), as a problem.
pub fn reason_fault(reason: &str) -> Option<Problem> {
    let reason = reason.trim();
    if reason.is_empty() {
        Some(Problem::Required)
    } else if reason.chars().count() > MAX_REASON {
        Some(Problem::TooLong)
    } else {
        None
    }
}

/// `POST /api/holds`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoldRequest {
    pub scope: HoldScope,
    pub reason: String,
    /// The placer's password: the hold is signed.
    pub password: String,
}

/// `DELETE /api/holds/{id}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReleaseRequest {
    pub reason: String,
    pub password: String,
}

/// A legal hold with what it covers now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hold {
    pub id: i64,
    pub scope: HoldScope,
    pub reason: String,
    pub placed_by: String,
    pub placed_at: String,
    pub released_by: Option<String>,
    pub released_at: Option<String>,
    pub release_reason: Option<String>,
    /// Records the hold covers now, per form (empty once released).
    pub covers: Vec<FormCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormCount {
    pub form: String,
    pub count: i64,
}

/// `POST /api/dispositions`: a month's due records of a form, or named records.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispositionRequest {
    pub form: String,
    /// `YYYY-MM`: every record of the form due in this month or before.
    #[serde(default)]
    pub through_month: Option<String>,
    /// Or: these records (sheet ids for F-18, case ids for F-19), each of which must be due.
    #[serde(default)]
    pub record_ids: Option<Vec<i64>>,
    pub password: String,
}

/// `POST /api/dispositions/{id}/confirm`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmRequest {
    pub password: String,
}

/// A disposition batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Disposition {
    pub id: i64,
    pub form: String,
    pub form_title: String,
    pub retention_months: i32,
    pub through_month: Option<String>,
    /// How many records the batch names, when it names them.
    pub named: Option<i64>,
    /// `approved` (waiting for confirmation), `disposing` or `disposed`.
    pub status: String,
    /// Records due and not held when it was approved.
    pub due_count: i64,
    pub approved_by: String,
    pub approved_at: String,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<String>,
    pub disposed: i64,
    /// Records a hold kept at disposal.
    pub withheld: i64,
    pub merkle_root: Option<String>,
    pub finished_at: Option<String>,
}

/// The certificate of disposal of one batch, as issued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Certificate {
    /// `SP-{year}-{id:04}` (*Sertifikat Pemusnahan*).
    pub number: String,
    pub disposition_id: i64,
    pub form: String,
    pub form_title: String,
    /// The rule: the register's retention and what it counts from.
    pub retention_months: i32,
    pub counts_from: String,
    pub through_month: Option<String>,
    pub approved_by: String,
    pub approved_at: String,
    pub confirmed_by: String,
    pub confirmed_at: String,
    pub disposed_at: String,
    /// Records disposed per month of the call.
    pub periods: Vec<PeriodCount>,
    pub disposed: i64,
    pub withheld: i64,
    /// `sha256-merkle`: a binary SHA-256 tree over the records' hashes in record order, the
    /// last one of an odd level carried up.
    pub hash_method: String,
    pub merkle_root: String,
    /// The audit entry that records the disposal.
    pub audit_seq: i64,
    /// Backups made before the disposal that still hold the disposed records.
    pub backups: Vec<BackupHolding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodCount {
    /// `YYYY-MM`.
    pub period: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BackupHolding {
    pub archive_id: String,
    pub file_name: String,
    pub made_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_read_strictly_and_end_on_their_last_day() {
        assert_eq!(parse_month("2024-02"), Some((2024, 2)));
        for bad in ["2024-13", "2024-2", "24-02", "2024-00", "2024/02", "2024-02-01", ""] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
        assert_eq!(month_end(2024, 2).to_string(), "2024-02-29");
        assert_eq!(month_end(2023, 12).to_string(), "2023-12-31");
        assert_eq!(month_end(2025, 4).to_string(), "2025-04-30");
    }

    #[test]
    fn a_scope_needs_something_and_names_its_first_fault() {
        let fault = |scope: HoldScope| scope.normalised().fault();
        assert_eq!(fault(HoldScope::default()), Some(("scope", Problem::Required)));
        assert_eq!(
            fault(HoldScope { customer_no: Some("  ".into()), ..Default::default() }),
            Some(("scope", Problem::Required))
        );
        assert_eq!(fault(HoldScope { agent_id: Some(3), ..Default::default() }), None);
        assert_eq!(
            fault(HoldScope { record_ids: Some(vec![1, 2]), ..Default::default() }),
            Some(("scope.form", Problem::Required))
        );
        assert_eq!(
            fault(HoldScope { record_ids: Some(vec![]), form: Some("F".into()), ..Default::default() }),
            Some(("scope.record_ids", Problem::Required))
        );
        assert_eq!(
            fault(HoldScope { record_ids: Some(vec![0]), form: Some("F".into()), ..Default::default() }),
            Some(("scope.record_ids", Problem::OutOfRange))
        );
        assert_eq!(
            fault(HoldScope {
                record_ids: Some(vec![1; MAX_RECORD_IDS + 1]),
                form: Some("F".into()),
                ..Default::default()
            }),
            Some(("scope.record_ids", Problem::TooLong))
        );
        assert_eq!(
            fault(HoldScope { from: Some("2024-02-30".into()), ..Default::default() }),
            Some(("scope.from", Problem::InvalidDate))
        );
        assert_eq!(
            fault(HoldScope { from: Some("2024-03-02".into()), to: Some("2024-03-01".into()), ..Default::default() }),
            Some(("scope.to", Problem::BeforeFrom))
        );
        assert_eq!(reason_fault("  "), Some(Problem::Required));
        assert_eq!(reason_fault(&"x".repeat(MAX_REASON + 1)), Some(Problem::TooLong));
        assert_eq!(reason_fault("Pemeriksaan OJK"), None);
    }
}
