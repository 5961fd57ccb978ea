//! Scoring forms: parameters grouped in sections, a form version's status, its wire types, and
//! the check a form passes before it is stored.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One thing a QCO judges on a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormParameter {
    /// Stable across versions (`[a-z0-9_]`, 1–40), so trends survive a revision of the form.
    pub key: String,
    pub label: String,
    /// What the QCO listens for.
    #[serde(default)]
    pub guidance: String,
    /// Points for a non-fatal item (> 0). Fatal items carry no weight (0): failing one zeroes the
    /// whole score instead.
    #[serde(default)]
    pub weight: f64,
    #[serde(default)]
    pub fatal: bool,
    #[serde(default)]
    pub allow_na: bool,
    /// A failed answer must carry a comment.
    #[serde(default)]
    pub comment_on_fail: bool,
}

/// A group of parameters (greeting, identity verification, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormSection {
    pub key: String,
    pub title: String,
    pub parameters: Vec<FormParameter>,
}

crate::codes::code_enum! {
    /// Where a form version stands: drafts may be edited; publishing freezes a version for good
    /// and retires the previously published version of the same code.
    pub enum FormStatus {
        Draft,
        Published,
        Retired,
    }
}

/// `GET /api/scoring-forms/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoringForm {
    pub id: i64,
    /// A form's own code, shared by all its versions (e.g. `F18-CT0`).
    pub code: String,
    pub version: i32,
    pub title: String,
    pub status: FormStatus,
    /// The register document the sheets are records of (`OB.IN.QCC.TELK.F-18`).
    pub document_code: String,
    /// Taken from the register document.
    pub retention_months: i32,
    pub sections: Vec<FormSection>,
    pub created_at: String,
    pub published_at: Option<String>,
    /// Optimistic concurrency for draft edits.
    pub row_version: i64,
}

/// `POST /api/scoring-forms` (a new form, or the next version of `code`) and
/// `PUT /api/scoring-forms/{id}` (a draft; with `row_version`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewScoringForm {
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub document_code: Option<String>,
    pub sections: Vec<FormSection>,
    /// Publish at once instead of saving a draft.
    #[serde(default)]
    pub publish: bool,
    /// PUT only.
    #[serde(default)]
    pub row_version: Option<i64>,
}

fn valid_key(key: &str) -> bool {
    (1..=40).contains(&key.len()) && key.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

/// Checks a form before it is stored. Field errors are keyed by path
/// (`sections[1].parameters[0].weight`).
pub fn validate_form(form: &NewScoringForm) -> Result<(), BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let line = |text: &str, max: usize| crate::validation::text(text, crate::validation::TextRule::line(max));
    if let Err(problem) = line(&form.code, 40) {
        errors.insert("code".into(), problem.into());
    }
    if let Err(problem) = line(&form.title, 200) {
        errors.insert("title".into(), problem.into());
    }
    let mut section_keys = BTreeSet::new();
    let mut parameter_keys = BTreeSet::new();
    let mut weighted = 0;
    for (i, section) in form.sections.iter().enumerate() {
        if !valid_key(&section.key) || !section_keys.insert(section.key.as_str()) {
            errors.insert(format!("sections[{i}].key"), crate::problems::Problem::InvalidKey.into());
        }
        if section.title.trim().is_empty() {
            errors.insert(format!("sections[{i}].title"), crate::problems::Problem::Required.into());
        }
        for (j, p) in section.parameters.iter().enumerate() {
            let at = format!("sections[{i}].parameters[{j}]");
            if !valid_key(&p.key) || !parameter_keys.insert(p.key.as_str()) {
                errors.insert(format!("{at}.key"), crate::problems::Problem::InvalidKey.into());
            }
            if let Err(problem) = line(&p.label, 300) {
                errors.insert(format!("{at}.label"), problem.into());
            }
            if p.guidance.len() > crate::limits::TEXT_MAX {
                errors.insert(format!("{at}.guidance"), crate::problems::Problem::TooLong.into());
            }
            if !p.weight.is_finite() {
                errors.insert(format!("{at}.weight"), crate::problems::Problem::NotANumber.into());
            } else if p.fatal {
                if p.weight != 0.0 {
                    errors.insert(format!("{at}.weight"), crate::problems::Problem::FatalWeight.into());
                }
            } else if p.weight <= 0.0 || p.weight > 1000.0 {
                errors.insert(format!("{at}.weight"), crate::problems::Problem::WeightOutOfRange.into());
            } else {
                weighted += 1;
            }
        }
    }
    if parameter_keys.is_empty() {
        errors.insert("sections".into(), crate::problems::Problem::NoParameters.into());
    } else if weighted == 0 && !errors.keys().any(|k| k.ends_with(".weight")) {
        errors.insert("sections".into(), crate::problems::Problem::NoWeightedParameter.into());
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// Every parameter of a form, in order.
pub fn parameters(sections: &[FormSection]) -> impl Iterator<Item = &FormParameter> {
    sections.iter().flat_map(|s| s.parameters.iter())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::form;

    #[test]
    fn forms_are_validated() {
        let good = NewScoringForm {
            code: "F18-CT0".into(),
            title: "F-18".into(),
            document_code: None,
            sections: form(),
            publish: true,
            row_version: None,
        };
        assert_eq!(validate_form(&good), Ok(()));
        let mut zero = good.clone();
        zero.sections[0].parameters[0].weight = 0.0;
        assert!(validate_form(&zero).unwrap_err().contains_key("sections[0].parameters[0].weight"));
        let mut negative = good.clone();
        negative.sections[0].parameters[0].weight = -5.0;
        assert!(validate_form(&negative).is_err());
        let mut weighted_fatal = good.clone();
        weighted_fatal.sections[1].parameters[0].weight = 5.0;
        assert!(validate_form(&weighted_fatal).is_err());
        let empty = NewScoringForm {
            sections: vec![FormSection { key: "s".into(), title: "S".into(), parameters: vec![] }],
            ..good.clone()
        };
        assert!(validate_form(&empty).unwrap_err().contains_key("sections"));
        let mut dup = good.clone();
        dup.sections[1].parameters[1].key = "greeting".into();
        assert!(validate_form(&dup).unwrap_err().contains_key("sections[1].parameters[1].key"));
        let mut bad_key = good;
        bad_key.sections[0].parameters[0].key = "Greeting Time".into();
        assert!(validate_form(&bad_key).is_err());
    }
}
