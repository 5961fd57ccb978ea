//! The F-19 report (*Form Pelaporan Hasil Validasi Agree*) and the reconciliation lists as they
//! cross the wire, and [`spreadsheet_safe`], which every CSV or XLSX export of this part (the
//! report, the import's refused rows) writes its text cells through.

use super::{Bucket, Case, Service};
use serde::{Deserialize, Serialize};

/// The register code of the validation report form.
pub const F19_CODE: &str = "OB.IN.QCC.TELK.F-19";

/// The counts of one group (or the totals) of the F-19 report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct F19Counts {
    pub imported: u64,
    pub validated: u64,
    pub approved: u64,
    pub returned: u64,
    /// approved / validated × 100, two decimals; null when nothing was validated.
    pub approval_rate: Option<f64>,
    /// RETURNs closed with every deadline kept: each re-care by the due date of its round and
    /// each verification by QC's deadline. (Before due dates were kept per round this was
    /// "closed by the first due date", which charged QC's delay to the agent.)
    pub returns_closed_in_time: u64,
    /// Not closed yet.
    pub returns_open: u64,
    /// Waiting for the agent (open or reopened) past the due date of the round.
    pub returns_overdue: u64,
    /// The agent's punctuality: closed RETURNs whose every re-care was recorded by the due date
    /// of its round (a reopening starts a round with a fresh due date).
    pub returns_recared_in_time: u64,
    /// QC's punctuality: closed RETURNs whose every verification (close or reopen) was made by
    /// QC's deadline (`MUTU_VERIFY_DAYS` working days from the re-care).
    pub returns_verified_in_time: u64,
    /// Re-cared, waiting for QC past its deadline.
    pub returns_verify_overdue: u64,
}

impl F19Counts {
    /// Fills `approval_rate` from the counts.
    pub fn with_rate(mut self) -> F19Counts {
        self.approval_rate = approval_rate(self.approved, self.validated);
        self
    }
}

/// approved / validated × 100, two decimals; `None` when nothing was validated: the dashboards'
/// approval rate ([`crate::metrics::approval_rate`]) as a percentage.
pub fn approval_rate(approved: u64, validated: u64) -> Option<f64> {
    crate::metrics::Rate::new(approved, validated).percent()
}

/// One row of the F-19 report: a team × agent × service × bucket group, its counts beside its
/// keys on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "FlatF19Row")]
pub struct F19Row {
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub service: Service,
    pub bucket: Bucket,
    #[serde(flatten)]
    pub counts: F19Counts,
}

/// An [`F19Row`] as it is read: every field at one level. Read this way rather than through
/// `#[serde(flatten)]`, whose buffering reader cost the browser app 3.2 KB brotli (with the
/// keep-rate report's rows); written (and documented) flattened, the same JSON.
#[derive(Deserialize)]
struct FlatF19Row {
    team_id: Option<i64>,
    team_name: Option<String>,
    agent_id: i64,
    agent_username: String,
    agent_name: String,
    service: Service,
    bucket: Bucket,
    imported: u64,
    validated: u64,
    approved: u64,
    returned: u64,
    approval_rate: Option<f64>,
    returns_closed_in_time: u64,
    returns_open: u64,
    returns_overdue: u64,
    returns_recared_in_time: u64,
    returns_verified_in_time: u64,
    returns_verify_overdue: u64,
}

impl From<FlatF19Row> for F19Row {
    fn from(r: FlatF19Row) -> F19Row {
        let counts = F19Counts {
            imported: r.imported,
            validated: r.validated,
            approved: r.approved,
            returned: r.returned,
            approval_rate: r.approval_rate,
            returns_closed_in_time: r.returns_closed_in_time,
            returns_open: r.returns_open,
            returns_overdue: r.returns_overdue,
            returns_recared_in_time: r.returns_recared_in_time,
            returns_verified_in_time: r.returns_verified_in_time,
            returns_verify_overdue: r.returns_verify_overdue,
        };
        F19Row {
            team_id: r.team_id,
            team_name: r.team_name,
            agent_id: r.agent_id,
            agent_username: r.agent_username,
            agent_name: r.agent_name,
            service: r.service,
            bucket: r.bucket,
            counts,
        }
    }
}

/// `GET /api/reports/f19`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct F19Report {
    pub form_code: String,
    pub from: String,
    pub to: String,
    pub team_id: Option<i64>,
    pub generated_at: String,
    pub rows: Vec<F19Row>,
    pub totals: F19Counts,
    /// Of the period's agrees counted, those disposed of at the end of their retention (issue
    /// 15): their counts stay, from their tombstones, but their details are gone.
    #[serde(default)]
    pub disposed: u64,
}

/// `GET /api/reports/reconciliation`: what needs a second look.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reconciliation {
    /// Pending longer than `days` after the call.
    pub unvalidated: Vec<Case>,
    /// The same customer agreed more than once in the period.
    pub repeated_customers: Vec<RepeatedCustomer>,
    /// Promised later than the bucket allows ([`Bucket::latest_promise`]).
    pub late_promises: Vec<Case>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RepeatedCustomer {
    pub customer_no: String,
    pub customer_name: String,
    pub agrees: u64,
    pub case_ids: Vec<i64>,
}

/// A cell written into a CSV or XLSX export: text that a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading apostrophe.
pub fn spreadsheet_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row reads back from the JSON it writes: its counts flattened beside its keys.
    #[test]
    fn a_row_reads_back_as_written() {
        let counts =
            F19Counts { imported: 5, validated: 4, approved: 3, returned: 1, returns_open: 1, ..F19Counts::default() };
        let row = F19Row {
            team_id: Some(2),
            team_name: Some("Tim B".into()),
            agent_id: 7,
            agent_username: "agent7".into(),
            agent_name: "Agen Tujuh".into(),
            service: Service::Ct0,
            bucket: Bucket::N2,
            counts: counts.with_rate(),
        };
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!((json["imported"].as_u64(), json["approval_rate"].as_f64()), (Some(5), Some(75.0)));
        assert!(json.get("counts").is_none(), "{json}");
        assert_eq!(serde_json::from_value::<F19Row>(json).unwrap(), row);
    }

    #[test]
    fn formulas_are_defused_for_spreadsheets() {
        assert_eq!(spreadsheet_safe("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("Budi"), "Budi");
    }
}
