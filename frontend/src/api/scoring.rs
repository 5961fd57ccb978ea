//! F-18 scoring endpoints: scoring forms, evaluations (sheets) and their workflow, calibration
//! sessions and sampling. Bodies are the `domain::scoring` wire types.

use super::{Api, ApiResult, with_query};
use domain::api::Page;
use domain::scoring::{
    Calibration, CalibrationSummary, DisputeRequest, Evaluation, EvaluationCounts, EvaluationSummary, NewCalibration,
    NewEvaluation, NewScoringForm, ResolveRequest, SamplingAssignment, SamplingRequest, SamplingResult, ScoringForm,
};

/// The query of `GET /api/evaluations`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvaluationFilter {
    pub agent_id: Option<i64>,
    pub qco_id: Option<i64>,
    pub team_id: Option<i64>,
    pub status: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub calibration_id: Option<i64>,
    /// What a dashboard's figure narrows its sheets to (`service`, `bucket`, fatal ones, disputed
    /// ones, no drafts): set by a drill-down link, not by the page's own fields.
    pub service: Option<String>,
    pub bucket: Option<String>,
    pub fatal: Option<bool>,
    pub disputed: Option<bool>,
    pub submitted: Option<bool>,
    /// A parameter key: only sheets that failed it (a heatmap cell's drill-down).
    pub failed: Option<String>,
}

impl EvaluationFilter {
    /// `base` (the list, or its XLSX) with the filter and `extra` as its query.
    pub fn path(&self, base: &str, extra: &[(&str, Option<String>)]) -> String {
        let id = |v: Option<i64>| v.map(|v| v.to_string());
        let pairs = [
            ("agent_id", id(self.agent_id)),
            ("qco_id", id(self.qco_id)),
            ("team_id", id(self.team_id)),
            ("status", self.status.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("calibration_id", id(self.calibration_id)),
            ("service", self.service.clone()),
            ("bucket", self.bucket.clone()),
            ("fatal", self.fatal.map(|b| b.to_string())),
            ("disputed", self.disputed.map(|b| b.to_string())),
            ("submitted", self.submitted.map(|b| b.to_string())),
            ("failed", self.failed.clone()),
        ];
        with_query(base, &pairs.into_iter().chain(extra.iter().cloned()).collect::<Vec<_>>())
    }
}

impl Api {
    /// `GET /api/scoring-forms`.
    pub async fn list_scoring_forms(&self) -> ApiResult<Page<ScoringForm>> {
        self.get("/api/scoring-forms?limit=500").await
    }

    /// `GET /api/scoring-forms/{id}`.
    pub async fn get_scoring_form(&self, id: i64) -> ApiResult<ScoringForm> {
        self.get(&format!("/api/scoring-forms/{id}")).await
    }

    /// `POST /api/scoring-forms` → 201 a new form, or the next version of its code.
    pub async fn create_scoring_form(&self, body: &NewScoringForm) -> ApiResult<ScoringForm> {
        self.post("/api/scoring-forms", body).await
    }

    /// `PUT /api/scoring-forms/{id}` (drafts; `row_version`).
    pub async fn update_scoring_form(&self, id: i64, body: &NewScoringForm) -> ApiResult<ScoringForm> {
        self.put(&format!("/api/scoring-forms/{id}"), body).await
    }

    /// `POST /api/scoring-forms/{id}/publish`.
    pub async fn publish_scoring_form(&self, id: i64) -> ApiResult<ScoringForm> {
        self.post(&format!("/api/scoring-forms/{id}/publish"), &serde_json::json!({})).await
    }

    /// `GET /api/evaluations`.
    pub async fn list_evaluations(
        &self,
        f: &EvaluationFilter,
        cursor: Option<String>,
    ) -> ApiResult<Page<EvaluationSummary>> {
        self.get(&f.path("/api/evaluations", &[("limit", Some("50".into())), ("cursor", cursor)])).await
    }

    /// `GET /api/evaluations/summary`.
    pub async fn evaluation_summary(&self) -> ApiResult<EvaluationCounts> {
        self.get("/api/evaluations/summary").await
    }

    /// `GET /api/evaluations/{id}`.
    pub async fn get_evaluation(&self, id: i64) -> ApiResult<Evaluation> {
        self.get(&format!("/api/evaluations/{id}")).await
    }

    /// `POST /api/evaluations` → 201 the sheet (a draft, or submitted).
    pub async fn create_evaluation(&self, body: &NewEvaluation) -> ApiResult<Evaluation> {
        self.post("/api/evaluations", body).await
    }

    /// `PUT /api/evaluations/{id}` (a draft; `version`).
    pub async fn update_evaluation(&self, id: i64, body: &NewEvaluation) -> ApiResult<Evaluation> {
        self.put(&format!("/api/evaluations/{id}"), body).await
    }

    /// `POST /api/evaluations/{id}/acknowledge` (the agent).
    pub async fn acknowledge_evaluation(&self, id: i64) -> ApiResult<Evaluation> {
        self.post(&format!("/api/evaluations/{id}/acknowledge"), &serde_json::json!({})).await
    }

    /// `POST /api/evaluations/{id}/dispute` (the agent).
    pub async fn dispute_evaluation(&self, id: i64, body: &DisputeRequest) -> ApiResult<Evaluation> {
        self.post(&format!("/api/evaluations/{id}/dispute"), body).await
    }

    /// `POST /api/evaluations/{id}/resolve` (the QC coordinator).
    pub async fn resolve_evaluation(&self, id: i64, body: &ResolveRequest) -> ApiResult<Evaluation> {
        self.post(&format!("/api/evaluations/{id}/resolve"), body).await
    }

    /// `GET /api/calibrations`.
    pub async fn list_calibrations(&self, cursor: Option<String>) -> ApiResult<Page<CalibrationSummary>> {
        self.get(&with_query("/api/calibrations", &[("limit", Some("50".into())), ("cursor", cursor)])).await
    }

    /// `GET /api/calibrations/{id}`.
    pub async fn get_calibration(&self, id: i64) -> ApiResult<Calibration> {
        self.get(&format!("/api/calibrations/{id}")).await
    }

    /// `POST /api/calibrations` → 201.
    pub async fn create_calibration(&self, body: &NewCalibration) -> ApiResult<Calibration> {
        self.post("/api/calibrations", body).await
    }

    /// `POST /api/calibrations/{id}/close`.
    pub async fn close_calibration(&self, id: i64) -> ApiResult<Calibration> {
        self.post(&format!("/api/calibrations/{id}/close"), &serde_json::json!({})).await
    }

    /// `POST /api/sampling`.
    pub async fn request_sampling(&self, body: &SamplingRequest) -> ApiResult<SamplingResult> {
        self.post("/api/sampling", body).await
    }

    /// `GET /api/sampling/assignments`: the signed-in QCO's queue (all of them for the coordinator),
    /// only the calls not yet scored when `to_score`.
    pub async fn list_assignments(&self, to_score: bool) -> ApiResult<Page<SamplingAssignment>> {
        self.get(if to_score {
            "/api/sampling/assignments?status=pending&limit=500"
        } else {
            "/api/sampling/assignments?limit=500"
        })
        .await
    }
}
