//! A QCO's validation of a case (W-04): the tapping checklist ticked, the result, the request and
//! its rules that need no database, and the validation as recorded (an F-19 record).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The W-04 tapping checklist a QCO ticks while listening to the recording.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checklist {
    pub identity_verified: bool,
    pub amount_and_date_correct: bool,
    pub explicit_agreement: bool,
    pub reason_matches: bool,
}

impl Checklist {
    pub fn all_ticked(&self) -> bool {
        self.identity_verified && self.amount_and_date_correct && self.explicit_agreement && self.reason_matches
    }
}

crate::codes::code_enum! {
    /// A QCO's verdict on a case: APPROVED, or RETURN to the agent (a follow-up).
    pub enum ValidationResult {
        Approved,
        Returned,
    }
}

/// `POST /api/cases/{id}/validation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewValidation {
    pub result: ValidationResult,
    pub checklist: Checklist,
    #[serde(default)]
    pub recommendation: Option<String>,
    /// An F-18 sheet scored for the same call.
    #[serde(default)]
    pub evaluation_id: Option<i64>,
    /// The W-04 wording version the QCO ticked (`GET /api/cases/checklist`'s `version`): when
    /// another version is in force by now, 409 `checklist_changed` and nothing is recorded.
    /// Without it, the version in force is recorded.
    #[serde(default)]
    pub checklist_version: Option<i64>,
}

/// The rules of a validation that need no database: RETURN needs a recommendation; APPROVED
/// needs every checklist item ticked.
pub fn check_validation(v: &NewValidation) -> Result<(), BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let recommendation = v.recommendation.as_deref().map(str::trim).unwrap_or("");
    if v.result == ValidationResult::Returned && recommendation.is_empty() {
        errors.insert("recommendation".into(), crate::problems::Problem::RecommendationRequired.into());
    }
    if recommendation.chars().count() > crate::limits::TEXT_MAX {
        errors.insert("recommendation".into(), crate::problems::Problem::TooLong.into());
    }
    if v.result == ValidationResult::Approved && !v.checklist.all_ticked() {
        errors.insert("checklist".into(), crate::problems::Problem::ChecklistIncomplete.into());
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// A validation as recorded (an F-19 record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Validation {
    pub id: i64,
    pub result: ValidationResult,
    pub checklist: Checklist,
    pub recommendation: Option<String>,
    pub qco_id: i64,
    pub qco_name: String,
    pub validated_at: String,
    /// `YYYY-MM-DD`: validated + 24 months.
    pub retain_until: String,
    pub evaluation_id: Option<i64>,
    pub followup_id: Option<i64>,
    /// The W-04 wording version the checklist was ticked under; `None` for validations recorded
    /// before wording versions began (their wording was not kept).
    pub checklist_version: Option<i64>,
    /// The wording of `checklist_version` (both languages), on one case's view; `None` in lists
    /// and when `checklist_version` is `None`.
    pub checklist_wording: Option<super::ChecklistLabels>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_rules() {
        let all = Checklist {
            identity_verified: true,
            amount_and_date_correct: true,
            explicit_agreement: true,
            reason_matches: true,
        };
        let ok = NewValidation {
            result: ValidationResult::Approved,
            checklist: all.clone(),
            recommendation: None,
            evaluation_id: None,
            checklist_version: Some(1),
        };
        assert!(check_validation(&ok).is_ok());
        let ret = NewValidation {
            result: ValidationResult::Returned,
            checklist: Checklist::default(),
            recommendation: Some("  ".into()),
            evaluation_id: None,
            checklist_version: None,
        };
        assert!(check_validation(&ret).unwrap_err().contains_key("recommendation"));
        let half = NewValidation { checklist: Checklist { reason_matches: false, ..all }, ..ok };
        assert!(check_validation(&half).unwrap_err().contains_key("checklist"));
    }
}
