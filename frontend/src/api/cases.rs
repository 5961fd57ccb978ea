//! F-19 agree validation and W-03 follow-up endpoints: the case queue, validation, the W-04
//! checklist's wording, the import, follow-ups, the F-19 report and reconciliation. Bodies are the
//! `domain::cases` wire types.

use super::{Api, ApiResult, Download, with_query};
use domain::api::Page;
use domain::cases::{
    Case, CaseStatus, ChecklistChange, ChecklistVersion, F19Report, Followup, FollowupStatus, FollowupSummary,
    NewValidation, RecareRequest, Reconciliation, VerifyRequest,
};
use domain::promises::{PaymentImportResult, PromiseGroup, PromiseReport, PromiseStatus, QcOutcome};
use yew::Callback;

/// The query of `GET /api/cases`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub service: Option<String>,
    pub bucket: Option<String>,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// The keep-rate report's drill-down: the promise's status, QC's outcome, the QC officer.
    pub promise: Option<PromiseStatus>,
    pub result: Option<QcOutcome>,
    pub qco_id: Option<i64>,
}

impl CaseFilter {
    /// Its query string's pairs, an absent value left out (the API's and the page's address).
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        let id = |v: Option<i64>| v.map(|v| v.to_string());
        vec![
            ("status", self.status.map(|s| s.as_str().to_owned())),
            ("service", self.service.clone()),
            ("bucket", self.bucket.clone()),
            ("team_id", id(self.team_id)),
            ("agent_id", id(self.agent_id)),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("promise", self.promise.map(|s| s.as_str().to_owned())),
            ("result", self.result.map(|s| s.as_str().to_owned())),
            ("qco_id", id(self.qco_id)),
        ]
    }

    /// The filter as the case page's address query (`promise=kept&agent_id=3`), for links to it.
    pub fn to_query(&self) -> String {
        with_query("", &self.pairs()).trim_start_matches('?').to_owned()
    }

    /// The filter a link put in the page's address; `None` when it holds none (the page's own
    /// default then applies). Words this build does not know are left out.
    pub fn from_query(query: &str) -> Option<CaseFilter> {
        let mut f = CaseFilter::default();
        for (key, value) in super::query_pairs(query) {
            let value = value.to_owned();
            match key {
                "status" => f.status = value.parse().ok(),
                "service" => f.service = Some(value),
                "bucket" => f.bucket = Some(value),
                "team_id" => f.team_id = value.parse().ok(),
                "agent_id" => f.agent_id = value.parse().ok(),
                "from" => f.from = Some(value),
                "to" => f.to = Some(value),
                "promise" => f.promise = value.parse().ok(),
                "result" => f.result = value.parse().ok(),
                "qco_id" => f.qco_id = value.parse().ok(),
                _ => {}
            }
        }
        (f != CaseFilter::default()).then_some(f)
    }
}

/// The query of `GET /api/followups`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FollowupFilter {
    pub status: Option<FollowupStatus>,
    /// Waiting for the agent: open or reopened.
    pub open: bool,
    /// Waiting for the agent past the due date.
    pub overdue: bool,
    /// Waiting for QC past its deadline.
    pub verify_overdue: bool,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
}

/// The path of the F-19 report for a period (and team), as JSON or as a file.
pub fn report_path(from: &str, to: &str, team_id: Option<i64>, format: Option<&str>) -> String {
    with_query(
        "/api/reports/f19",
        &[
            ("from", Some(from.to_owned())),
            ("to", Some(to.to_owned())),
            ("team_id", team_id.map(|v| v.to_string())),
            ("format", format.map(str::to_owned)),
        ],
    )
}

/// The keep-rate report asked for: period, team, grouping (and, from the dashboard's filter
/// bar, a service and a bucket).
#[derive(Debug, Clone, PartialEq)]
pub struct PromiseQuery {
    pub from: String,
    pub to: String,
    pub team_id: Option<i64>,
    pub group_by: PromiseGroup,
    pub service: Option<String>,
    pub bucket: Option<String>,
}

/// The path of the keep-rate report, as JSON or as a file.
pub fn promise_path(q: &PromiseQuery, format: Option<&str>) -> String {
    with_query(
        "/api/reports/promises",
        &[
            ("from", Some(q.from.clone())),
            ("to", Some(q.to.clone())),
            ("team_id", q.team_id.map(|v| v.to_string())),
            ("group_by", Some(q.group_by.as_str().to_owned())),
            ("service", q.service.clone()),
            ("bucket", q.bucket.clone()),
            ("format", format.map(str::to_owned)),
        ],
    )
}

/// Refused rows asked for at a time when the whole list is downloaded (the server's largest page).
const REJECTIONS_PAGE: u32 = 500;

impl Api {
    pub async fn list_cases(&self, f: &CaseFilter, limit: u32, cursor: Option<String>) -> ApiResult<Page<Case>> {
        let mut pairs = f.pairs();
        pairs.extend([("limit", Some(limit.to_string())), ("cursor", cursor)]);
        self.get(&with_query("/api/cases", &pairs)).await
    }

    pub async fn get_case(&self, id: i64) -> ApiResult<Case> {
        self.get(&format!("/api/cases/{id}")).await
    }

    /// `POST /api/cases/{id}/validation` → 201 the validated case.
    pub async fn validate_case(&self, id: i64, body: &NewValidation) -> ApiResult<Case> {
        self.post(&format!("/api/cases/{id}/validation"), body).await
    }

    /// `GET /api/cases/checklist`: the W-04 checklist wording in force, with its version.
    pub async fn get_checklist(&self) -> ApiResult<ChecklistVersion> {
        self.get("/api/cases/checklist").await
    }

    /// `PUT /api/cases/checklist` (the QRD coordinator, signing) → the new version, in force.
    pub async fn save_checklist(&self, body: &ChecklistChange) -> ApiResult<ChecklistVersion> {
        self.put("/api/cases/checklist", body).await
    }

    /// `GET /api/cases/checklist/versions`: every version of the wording, newest first.
    pub async fn checklist_versions(&self, cursor: Option<String>) -> ApiResult<Page<ChecklistVersion>> {
        self.get(&with_query("/api/cases/checklist/versions", &[("limit", Some("20".into())), ("cursor", cursor)]))
            .await
    }

    pub async fn import_cases(
        &self,
        file: &web_sys::File,
        on_progress: Callback<f64>,
    ) -> ApiResult<domain::cases::ImportResult> {
        self.upload_with_progress("/api/cases/import", file, on_progress).await
    }

    /// `GET /api/imports/{id}/rejections`: a page of the import's refused rows, in file order.
    pub async fn import_rejections(
        &self,
        import_id: i64,
        cursor: Option<String>,
    ) -> ApiResult<Page<domain::cases::RejectedRow>> {
        let path = format!("/api/imports/{import_id}/rejections");
        self.get(&with_query(&path, &[("limit", Some(REJECTIONS_PAGE.to_string())), ("cursor", cursor)])).await
    }

    /// `GET /api/cases/import-template` (or `/api/payments/import-template`): the CSV header
    /// row the import reads.
    pub async fn import_template(&self, payments: bool) -> ApiResult<Download> {
        self.download(if payments { "/api/payments/import-template" } else { "/api/cases/import-template" }).await
    }

    pub async fn list_followups(
        &self,
        f: &FollowupFilter,
        limit: u32,
        cursor: Option<String>,
    ) -> ApiResult<Page<Followup>> {
        let path = with_query(
            "/api/followups",
            &[
                ("status", f.status.map(|s| s.as_str().to_owned())),
                ("open", f.open.then(|| "true".to_owned())),
                ("overdue", f.overdue.then(|| "true".to_owned())),
                ("verify_overdue", f.verify_overdue.then(|| "true".to_owned())),
                ("team_id", f.team_id.map(|v| v.to_string())),
                ("agent_id", f.agent_id.map(|v| v.to_string())),
                ("limit", Some(limit.to_string())),
                ("cursor", cursor),
            ],
        );
        self.get(&path).await
    }

    /// `POST /api/cases/{id}/viewing`: this officer has the agree open; who else has.
    pub async fn case_viewing(&self, id: i64) -> ApiResult<domain::cases::CaseViewers> {
        self.post(&format!("/api/cases/{id}/viewing"), &serde_json::json!({})).await
    }

    pub async fn get_followup(&self, id: i64) -> ApiResult<Followup> {
        self.get(&format!("/api/followups/{id}")).await
    }

    pub async fn followup_summary(&self) -> ApiResult<FollowupSummary> {
        self.get("/api/followups/summary").await
    }

    pub async fn recare_followup(&self, id: i64, body: &RecareRequest) -> ApiResult<Followup> {
        self.post(&format!("/api/followups/{id}/recare"), body).await
    }

    pub async fn verify_followup(&self, id: i64, body: &VerifyRequest) -> ApiResult<Followup> {
        self.post(&format!("/api/followups/{id}/verify"), body).await
    }

    pub async fn f19_report(&self, from: &str, to: &str, team_id: Option<i64>) -> ApiResult<F19Report> {
        self.get(&report_path(from, to, team_id, None)).await
    }

    /// `POST /api/payments/import`: the billing system's payments, with the upload's progress.
    pub async fn import_payments(
        &self,
        file: &web_sys::File,
        on_progress: Callback<f64>,
    ) -> ApiResult<PaymentImportResult> {
        self.upload_with_progress("/api/payments/import", file, on_progress).await
    }

    pub async fn promise_report(&self, q: &PromiseQuery) -> ApiResult<PromiseReport> {
        self.get(&promise_path(q, None)).await
    }

    pub async fn reconciliation(&self, from: &str, to: &str, days: u32) -> ApiResult<Reconciliation> {
        let path = with_query(
            "/api/reports/reconciliation",
            &[("from", Some(from.to_owned())), ("to", Some(to.to_owned())), ("days", Some(days.to_string()))],
        );
        self.get(&path).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A drill-down link's filter comes back from the address as it went in.
    #[test]
    fn a_filter_goes_through_the_address_unchanged() {
        let filter = CaseFilter {
            from: Some("2025-03-01".into()),
            to: Some("2025-03-31".into()),
            team_id: Some(2),
            promise: Some(PromiseStatus::Broken),
            result: Some(QcOutcome::ReturnedOpen),
            qco_id: Some(7),
            bucket: Some("N1".into()),
            ..CaseFilter::default()
        };
        let query = filter.to_query();
        assert_eq!(
            query,
            "bucket=N1&team_id=2&from=2025-03-01&to=2025-03-31&promise=broken&result=returned_open&qco_id=7"
        );
        assert_eq!(CaseFilter::from_query(&format!("?{query}")), Some(filter));
        assert_eq!(CaseFilter::from_query(""), None);
        assert_eq!(CaseFilter::from_query("?utm=x&promise=maybe"), None, "unknown words are no filter");
        let status = CaseFilter::from_query("status=returned").unwrap();
        assert_eq!(status.status, Some(CaseStatus::Returned));
    }
}
