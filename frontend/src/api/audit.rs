//! The audit trail: its pages, the chain's verification and the latest signed anchor.

use super::{Api, ApiResult, with_query};
use domain::api::{AuditEntry, AuditVerification, Page};

impl Api {
    /// `GET /api/audit`, newest page first as the server orders it.
    pub async fn list_audit(&self, limit: u32, cursor: Option<String>) -> ApiResult<Page<AuditEntry>> {
        let path = with_query("/api/audit", &[("limit", Some(limit.to_string())), ("cursor", cursor)]);
        self.get(&path).await
    }

    /// `GET /api/audit/verify`.
    pub async fn verify_audit(&self) -> ApiResult<AuditVerification> {
        self.get("/api/audit/verify").await
    }

    /// `GET /api/audit/anchor`: the latest signed anchor and whether the chain still matches it.
    pub async fn audit_anchor(&self) -> ApiResult<domain::api::AnchorStatus> {
        self.get("/api/audit/anchor").await
    }
}
