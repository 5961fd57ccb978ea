//! F-18 call scoring: scoring forms, the score formula, the evaluation workflow and calibration
//! statistics. The browser computes the live score with [`score`] and the server stores the same
//! function's result, so the two can never disagree.

use crate::documents::{Actor, Refusal};
use crate::permissions::{Action, Role, can};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The register code of the scoring form document.
pub const F18_CODE: &str = "OB.IN.QCC.TELK.F-18";

// ---------------------------------------------------------------------------------------------
// Forms
// ---------------------------------------------------------------------------------------------

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

/// Where a form version stands: drafts may be edited; publishing freezes a version for good
/// and retires the previously published version of the same code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FormStatus {
    Draft,
    Published,
    Retired,
}

impl FormStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FormStatus::Draft => "draft",
            FormStatus::Published => "published",
            FormStatus::Retired => "retired",
        }
    }
    pub fn parse(text: &str) -> Option<FormStatus> {
        [FormStatus::Draft, FormStatus::Published, FormStatus::Retired].into_iter().find(|s| s.as_str() == text)
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
    if !(1..=40).contains(&form.code.trim().len()) {
        errors.insert("code".into(), "1 to 40 characters".into());
    }
    if form.title.trim().is_empty() || form.title.len() > 200 {
        errors.insert("title".into(), "1 to 200 characters".into());
    }
    let mut section_keys = BTreeSet::new();
    let mut parameter_keys = BTreeSet::new();
    let mut weighted = 0;
    for (i, section) in form.sections.iter().enumerate() {
        if !valid_key(&section.key) || !section_keys.insert(section.key.as_str()) {
            errors.insert(format!("sections[{i}].key"), "unique, lowercase letters, digits and _".into());
        }
        if section.title.trim().is_empty() {
            errors.insert(format!("sections[{i}].title"), "required".into());
        }
        for (j, p) in section.parameters.iter().enumerate() {
            let at = format!("sections[{i}].parameters[{j}]");
            if !valid_key(&p.key) || !parameter_keys.insert(p.key.as_str()) {
                errors.insert(format!("{at}.key"), "unique, lowercase letters, digits and _".into());
            }
            if p.label.trim().is_empty() || p.label.len() > 300 {
                errors.insert(format!("{at}.label"), "1 to 300 characters".into());
            }
            if p.guidance.len() > 2000 {
                errors.insert(format!("{at}.guidance"), "at most 2000 characters".into());
            }
            if !p.weight.is_finite() {
                errors.insert(format!("{at}.weight"), "must be a number".into());
            } else if p.fatal {
                if p.weight != 0.0 {
                    errors.insert(format!("{at}.weight"), "a fatal item carries no weight (0)".into());
                }
            } else if p.weight <= 0.0 || p.weight > 1000.0 {
                errors.insert(format!("{at}.weight"), "must be above 0 and at most 1000".into());
            } else {
                weighted += 1;
            }
        }
    }
    if parameter_keys.is_empty() {
        errors.insert("sections".into(), "a form needs at least one parameter".into());
    } else if weighted == 0 && !errors.keys().any(|k| k.ends_with(".weight")) {
        errors.insert("sections".into(), "a form needs at least one weighted (non-fatal) parameter".into());
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// Every parameter of a form, in order.
pub fn parameters(sections: &[FormSection]) -> impl Iterator<Item = &FormParameter> {
    sections.iter().flat_map(|s| s.parameters.iter())
}

// ---------------------------------------------------------------------------------------------
// Answers and the score
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AnswerValue {
    Pass,
    Fail,
    Na,
}

impl AnswerValue {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerValue::Pass => "pass",
            AnswerValue::Fail => "fail",
            AnswerValue::Na => "na",
        }
    }
}

/// One parameter's answer on a sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    /// The parameter's key.
    pub parameter: String,
    pub value: AnswerValue,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// For a failed item: where in the recording, `mm:ss`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moment: Option<String>,
}

/// A score and whether a fatal item failed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    /// 0–100, two decimals.
    pub score: f64,
    pub fatal: bool,
}

/// Score = Σ weight of passed / Σ weight of applicable × 100, rounded to two decimals, where
/// N/A items leave both sums; any failed fatal item makes it 0 with `fatal: true`.
/// Unanswered items count as not yet applicable (the live score while a QCO fills the sheet).
/// With nothing applicable the score is 100 (nothing was failed).
pub fn score(sections: &[FormSection], answers: &[Answer]) -> Score {
    let by_key: BTreeMap<&str, AnswerValue> = answers.iter().map(|a| (a.parameter.as_str(), a.value)).collect();
    let mut passed = 0.0;
    let mut applicable = 0.0;
    let mut fatal = false;
    for p in parameters(sections) {
        match by_key.get(p.key.as_str()) {
            Some(AnswerValue::Fail) if p.fatal => fatal = true,
            Some(AnswerValue::Pass) if !p.fatal => {
                passed += p.weight;
                applicable += p.weight;
            }
            Some(AnswerValue::Fail) => applicable += p.weight,
            _ => {}
        }
    }
    if fatal {
        return Score { score: 0.0, fatal: true };
    }
    let value = if applicable > 0.0 { (passed / applicable * 10_000.0).round() / 100.0 } else { 100.0 };
    Score { score: value.clamp(0.0, 100.0), fatal: false }
}

fn valid_moment(text: &str) -> bool {
    let Some((m, s)) = text.split_once(':') else { return false };
    (1..=3).contains(&m.len())
        && s.len() == 2
        && m.bytes().chain(s.bytes()).all(|c| c.is_ascii_digit())
        && s.parse::<u32>().is_ok_and(|s| s < 60)
}

/// Checks answers against the form they pin. A draft may be incomplete; a submitted sheet must
/// answer every parameter. Field errors are keyed `answers.<key>` (or `answers`).
pub fn check_answers(
    sections: &[FormSection],
    answers: &[Answer],
    submit: bool,
) -> Result<(), BTreeMap<String, String>> {
    let params: BTreeMap<&str, &FormParameter> = parameters(sections).map(|p| (p.key.as_str(), p)).collect();
    let mut errors = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for a in answers {
        let at = format!("answers.{}", a.parameter);
        let Some(p) = params.get(a.parameter.as_str()) else {
            errors.insert(at, "unknown parameter".into());
            continue;
        };
        if !seen.insert(a.parameter.as_str()) {
            errors.insert(at, "answered twice".into());
            continue;
        }
        if a.value == AnswerValue::Na && !p.allow_na {
            errors.insert(at, "N/A is not allowed for this parameter".into());
            continue;
        }
        if a.comment.as_ref().is_some_and(|c| c.len() > 2000) {
            errors.insert(at, "comment: at most 2000 characters".into());
            continue;
        }
        if let Some(m) = &a.moment
            && !m.is_empty()
            && !valid_moment(m)
        {
            errors.insert(at, "moment must be mm:ss".into());
            continue;
        }
        let has_comment = a.comment.as_ref().is_some_and(|c| !c.trim().is_empty());
        if submit && a.value == AnswerValue::Fail && p.comment_on_fail && !has_comment {
            errors.insert(at, "a failed item needs a comment".into());
        }
    }
    if submit {
        for key in params.keys() {
            if !seen.contains(key) && !errors.contains_key(&format!("answers.{key}")) {
                errors.insert(format!("answers.{key}"), "not answered".into());
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

// ---------------------------------------------------------------------------------------------
// The evaluation workflow
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EvaluationStatus {
    Draft,
    Submitted,
    Acknowledged,
    Disputed,
    Resolved,
}

impl EvaluationStatus {
    pub const ALL: [EvaluationStatus; 5] = [
        EvaluationStatus::Draft,
        EvaluationStatus::Submitted,
        EvaluationStatus::Acknowledged,
        EvaluationStatus::Disputed,
        EvaluationStatus::Resolved,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            EvaluationStatus::Draft => "draft",
            EvaluationStatus::Submitted => "submitted",
            EvaluationStatus::Acknowledged => "acknowledged",
            EvaluationStatus::Disputed => "disputed",
            EvaluationStatus::Resolved => "resolved",
        }
    }
    pub fn parse(text: &str) -> Option<EvaluationStatus> {
        EvaluationStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A step on an evaluation. Who owns the sheet (its QCO, its agent) is checked by the server;
/// this table checks roles and states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EvaluationAction {
    /// The QCO saves a draft again.
    EditDraft,
    /// The QCO submits the sheet to the agent.
    Submit,
    /// The agent accepts the result.
    Acknowledge,
    /// The agent contests it with a reason.
    Dispute,
    /// The QC coordinator upholds or amends a disputed sheet.
    Resolve,
}

impl EvaluationAction {
    pub const ALL: [EvaluationAction; 5] = [
        EvaluationAction::EditDraft,
        EvaluationAction::Submit,
        EvaluationAction::Acknowledge,
        EvaluationAction::Dispute,
        EvaluationAction::Resolve,
    ];
}

/// draft → submitted → acknowledged | disputed → resolved.
pub fn evaluation_transition(
    from: EvaluationStatus,
    action: EvaluationAction,
    actor: Actor,
) -> Result<EvaluationStatus, Refusal> {
    use EvaluationAction as A;
    use EvaluationStatus as S;
    let Actor::User(role) = actor else { return Err(Refusal::NotAllowed) };
    let (allowed, from_state, to) = match action {
        A::EditDraft => (can(role, Action::ScoreCalls), S::Draft, S::Draft),
        A::Submit => (can(role, Action::ScoreCalls), S::Draft, S::Submitted),
        A::Acknowledge => (role == Role::Agent, S::Submitted, S::Acknowledged),
        A::Dispute => (role == Role::Agent, S::Submitted, S::Disputed),
        A::Resolve => (can(role, Action::ResolveDisputes), S::Disputed, S::Resolved),
    };
    if !allowed {
        return Err(Refusal::NotAllowed);
    }
    if from != from_state {
        return Err(Refusal::WrongState);
    }
    Ok(to)
}

// ---------------------------------------------------------------------------------------------
// Wire types
// ---------------------------------------------------------------------------------------------

/// `POST /api/evaluations` and `PUT /api/evaluations/{id}` (a draft; with `version`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEvaluation {
    pub form_id: i64,
    pub agent_id: i64,
    pub call_ref: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    #[serde(deserialize_with = "crate::dates::de::timestamp")]
    pub call_at: String,
    /// `CT0` or `PRANPC`.
    pub service: crate::cases::Service,
    /// `N`, `N1` or `N2`.
    pub bucket: crate::cases::Bucket,
    #[serde(default)]
    pub recording_ref: Option<String>,
    #[serde(default)]
    pub answers: Vec<Answer>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub submit: bool,
    /// PUT only: the version read.
    #[serde(default)]
    pub version: Option<i64>,
    /// Scoring the call of a calibration session.
    #[serde(default)]
    pub calibration_id: Option<i64>,
    /// Scoring a call assigned by sampling.
    #[serde(default)]
    pub assignment_id: Option<i64>,
}

/// The agent's dispute, and its resolution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dispute {
    pub reason: String,
    pub disputed_at: String,
    pub decision: Option<String>,
    pub resolution_comment: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
}

/// The answers as they were before an amendment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Amendment {
    pub answers: Vec<Answer>,
    pub score: f64,
    pub fatal: bool,
    pub amended_by: String,
    pub amended_at: String,
}

/// An F-18 sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evaluation {
    pub id: i64,
    pub form_id: i64,
    pub form_version: i32,
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub qco_id: i64,
    pub qco_name: String,
    pub call_ref: String,
    pub call_at: String,
    pub service: crate::cases::Service,
    pub bucket: crate::cases::Bucket,
    pub recording_ref: Option<String>,
    pub answers: Vec<Answer>,
    pub comment: Option<String>,
    pub score: f64,
    pub fatal: bool,
    pub status: EvaluationStatus,
    pub created_at: String,
    pub submitted_at: Option<String>,
    /// `YYYY-MM-DD`; set on submission.
    pub retain_until: Option<String>,
    pub dispute: Option<Dispute>,
    /// Earlier answers replaced by a resolution, oldest first.
    pub amendments: Vec<Amendment>,
    pub calibration_id: Option<i64>,
    pub version: i64,
    /// When the agent acknowledged the result.
    #[serde(default)]
    pub acknowledged_at: Option<String>,
    /// The sampling assignment this sheet scores, if any.
    #[serde(default)]
    pub assignment_id: Option<i64>,
}

/// `POST /api/evaluations/{id}/dispute`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeRequest {
    pub reason: String,
}

/// `POST /api/evaluations/{id}/resolve`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolveRequest {
    /// `uphold` or `amend`.
    #[cfg_attr(feature = "openapi", schema(example = "uphold"))]
    pub decision: String,
    /// `amend`: the corrected answers (the whole set).
    #[serde(default)]
    pub answers: Option<Vec<Answer>>,
    pub comment: String,
}

// ---------------------------------------------------------------------------------------------
// Calibration
// ---------------------------------------------------------------------------------------------

/// How far a calibration session's scorers agree on one parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParameterAgreement {
    pub parameter: String,
    /// Share (0–100, two decimals) of scorers who gave the most common answer.
    pub agreement: f64,
    /// The most common answer (ties: pass before fail before N/A).
    pub majority: Option<AnswerValue>,
    /// How many scorers gave each answer.
    pub pass: u32,
    pub fail: u32,
    pub na: u32,
}

/// The spread of a calibration session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationStats {
    pub parameters: Vec<ParameterAgreement>,
    pub min_score: f64,
    pub max_score: f64,
    pub mean_score: f64,
    /// Population standard deviation of the total scores, two decimals.
    pub std_dev: f64,
    /// The scorer whose answers differ from the majority on the most parameters
    /// (ties: the larger distance of their score from the mean), with that count.
    pub most_divergent: Option<(i64, u32)>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Agreement per parameter and the spread of scores over several scorers' answers to one call.
/// `sheets` are `(scorer id, answers)`.
pub fn calibration_stats(sections: &[FormSection], sheets: &[(i64, Vec<Answer>)]) -> CalibrationStats {
    let mut parameters_out = Vec::new();
    let mut majority_of = BTreeMap::new();
    for p in parameters(sections) {
        let mut counts = [0u32; 3];
        for (_, answers) in sheets {
            if let Some(a) = answers.iter().find(|a| a.parameter == p.key) {
                counts[a.value as usize] += 1;
            }
        }
        let answered: u32 = counts.iter().sum();
        let (best, best_count) =
            counts.iter().enumerate().fold((None, 0), |acc, (i, &c)| if c > acc.1 { (Some(i), c) } else { acc });
        let majority = best.map(|i| [AnswerValue::Pass, AnswerValue::Fail, AnswerValue::Na][i]);
        if let Some(m) = majority {
            majority_of.insert(p.key.as_str(), m);
        }
        parameters_out.push(ParameterAgreement {
            parameter: p.key.clone(),
            agreement: if answered == 0 { 0.0 } else { round2(f64::from(best_count) / f64::from(answered) * 100.0) },
            majority,
            pass: counts[0],
            fail: counts[1],
            na: counts[2],
        });
    }
    let scores: Vec<f64> = sheets.iter().map(|(_, a)| score(sections, a).score).collect();
    let n = scores.len() as f64;
    let mean = if scores.is_empty() { 0.0 } else { scores.iter().sum::<f64>() / n };
    let variance = if scores.is_empty() { 0.0 } else { scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n };
    let mut most_divergent: Option<(i64, u32, f64)> = None;
    for ((scorer, answers), s) in sheets.iter().zip(&scores) {
        let differs =
            answers.iter().filter(|a| majority_of.get(a.parameter.as_str()).is_some_and(|m| *m != a.value)).count()
                as u32;
        let distance = (s - mean).abs();
        let better = match most_divergent {
            None => true,
            Some((_, d, dist)) => differs > d || (differs == d && distance > dist),
        };
        if better {
            most_divergent = Some((*scorer, differs, distance));
        }
    }
    CalibrationStats {
        parameters: parameters_out,
        min_score: scores
            .iter()
            .copied()
            .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.min(s))))
            .unwrap_or(0.0),
        max_score: scores
            .iter()
            .copied()
            .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s))))
            .unwrap_or(0.0),
        mean_score: round2(mean),
        std_dev: round2(variance.sqrt()),
        most_divergent: if sheets.len() > 1 { most_divergent.map(|(s, d, _)| (s, d)) } else { None },
    }
}

// ---------------------------------------------------------------------------------------------
// Lists, reports, calibration sessions and sampling (wire types)
// ---------------------------------------------------------------------------------------------

/// One row of `GET /api/evaluations` (the sheet without its answers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationSummary {
    pub id: i64,
    pub form_id: i64,
    pub form_version: i32,
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub qco_id: i64,
    pub qco_name: String,
    pub call_ref: String,
    pub call_at: String,
    pub service: crate::cases::Service,
    pub bucket: crate::cases::Bucket,
    pub score: f64,
    pub fatal: bool,
    pub status: EvaluationStatus,
    pub submitted_at: Option<String>,
    pub calibration_id: Option<i64>,
}

/// `GET /api/evaluations/summary`: the counts behind the badges (each for the caller's role;
/// zero where it does not apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationCounts {
    /// Agent: own results submitted and not yet acknowledged or disputed.
    pub new_results: u32,
    /// QCO: own drafts.
    pub drafts: u32,
    /// QC coordinator: disputes waiting for a resolution.
    pub open_disputes: u32,
    /// QCO: sampled calls assigned and not yet scored.
    pub assigned: u32,
}

/// One parameter's results over the sheets of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParameterFailRate {
    pub parameter: String,
    /// The label in the newest form version that has this key.
    pub label: String,
    /// Answered pass or fail (N/A left out).
    pub answered: u32,
    pub failed: u32,
    pub na: u32,
    /// failed / answered × 100, two decimals (0 when nothing was answered).
    pub fail_rate: f64,
}

/// `GET /api/reports/parameter-fail-rates`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FailRateReport {
    pub from: String,
    pub to: String,
    pub team_id: Option<i64>,
    /// Submitted sheets (not drafts, not calibration sheets) whose call is in the period.
    pub sheets: u32,
    pub parameters: Vec<ParameterFailRate>,
}

/// `POST /api/calibrations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCalibration {
    pub title: String,
    pub form_id: i64,
    pub call_ref: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    #[serde(deserialize_with = "crate::dates::de::timestamp")]
    pub call_at: String,
    pub agent_id: i64,
    pub service: crate::cases::Service,
    pub bucket: crate::cases::Bucket,
    #[serde(default)]
    pub recording_ref: Option<String>,
    pub qco_ids: Vec<i64>,
}

/// A QCO taking part in a calibration session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationParticipant {
    pub qco_id: i64,
    pub qco_name: String,
    /// Has submitted a sheet.
    pub scored: bool,
    /// Their sheet, when the caller may open it (their own; everyone's once revealed).
    pub evaluation_id: Option<i64>,
}

/// One row of `GET /api/calibrations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationSummary {
    pub id: i64,
    pub title: String,
    pub form_id: i64,
    pub call_ref: String,
    pub call_at: String,
    pub agent_name: String,
    /// `open` or `closed`.
    pub status: String,
    pub participants: u32,
    pub scored: u32,
    pub created_at: String,
}

/// `GET /api/calibrations/{id}`. While open, a participant sees only their own sheet and who has
/// scored; once every participant has submitted, or the coordinator closed it, everyone in it
/// sees all sheets and the statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Calibration {
    pub id: i64,
    pub title: String,
    pub form_id: i64,
    pub form_version: i32,
    pub call_ref: String,
    pub call_at: String,
    pub agent_id: i64,
    pub agent_name: String,
    pub service: crate::cases::Service,
    pub bucket: crate::cases::Bucket,
    pub recording_ref: Option<String>,
    /// `open` or `closed`.
    pub status: String,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub participants: Vec<CalibrationParticipant>,
    /// Sheets and statistics are shown.
    pub revealed: bool,
    /// The caller's own sheet in this session.
    pub my_evaluation_id: Option<i64>,
    /// Submitted sheets the caller may see (own only until revealed).
    pub sheets: Vec<Evaluation>,
    pub stats: Option<CalibrationStats>,
}

/// A call given inline to `POST /api/sampling` (instead of the imported cases).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SamplingCall {
    pub agent_id: i64,
    pub call_ref: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    #[serde(deserialize_with = "crate::dates::de::timestamp")]
    pub call_at: String,
    #[serde(default)]
    pub service: Option<crate::cases::Service>,
    #[serde(default)]
    pub bucket: Option<crate::cases::Bucket>,
    #[serde(default)]
    pub recording_ref: Option<String>,
}

/// `POST /api/sampling`: `per_agent` random calls per agent whose call falls in `from`..=`to`
/// (site days), assigned round-robin to `qco_ids`. The calls come from `calls` when given,
/// else from the imported agree cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SamplingRequest {
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    #[serde(deserialize_with = "crate::dates::de::day")]
    pub from: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    #[serde(deserialize_with = "crate::dates::de::day")]
    pub to: String,
    pub per_agent: u32,
    pub qco_ids: Vec<i64>,
    #[serde(default)]
    pub team_id: Option<i64>,
    /// Makes the draw repeatable.
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub calls: Option<Vec<SamplingCall>>,
}

/// A sampled call in a QCO's queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SamplingAssignment {
    pub id: i64,
    pub batch_id: String,
    pub qco_id: i64,
    pub qco_name: String,
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub case_id: Option<i64>,
    pub call_ref: String,
    pub call_at: String,
    pub service: Option<crate::cases::Service>,
    pub bucket: Option<crate::cases::Bucket>,
    pub recording_ref: Option<String>,
    pub period_from: String,
    pub period_to: String,
    /// `pending` or `done`.
    pub status: String,
    pub evaluation_id: Option<i64>,
}

/// The answer to `POST /api/sampling`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SamplingResult {
    pub batch_id: String,
    /// Where the calls came from: `calls` (given inline) or `cases`.
    pub source: String,
    pub assignments: Vec<SamplingAssignment>,
    /// Agents with fewer calls in the period than asked for, with how many they had.
    pub short: Vec<(i64, u32)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn param(key: &str, weight: f64, fatal: bool, allow_na: bool) -> FormParameter {
        FormParameter {
            key: key.into(),
            label: key.into(),
            guidance: String::new(),
            weight,
            fatal,
            allow_na,
            comment_on_fail: !fatal,
        }
    }

    fn form() -> Vec<FormSection> {
        vec![
            FormSection {
                key: "opening".into(),
                title: "Opening".into(),
                parameters: vec![param("greeting", 10.0, false, false), param("identity", 20.0, false, true)],
            },
            FormSection {
                key: "fatal".into(),
                title: "Fatal".into(),
                parameters: vec![param("wrong_amount", 0.0, true, false), param("bill_amount", 70.0, false, true)],
            },
        ]
    }

    fn ans(key: &str, value: AnswerValue) -> Answer {
        Answer { parameter: key.into(), value, comment: Some("c".into()), moment: None }
    }

    #[test]
    fn the_formula_by_hand() {
        use AnswerValue::*;
        let f = form();
        let s = score(
            &f,
            &[ans("greeting", Pass), ans("identity", Fail), ans("wrong_amount", Pass), ans("bill_amount", Pass)],
        );
        assert_eq!(s, Score { score: 80.0, fatal: false });
        // N/A leaves both sums: 10 / (10 + 20).
        let s = score(
            &f,
            &[ans("greeting", Pass), ans("identity", Fail), ans("wrong_amount", Pass), ans("bill_amount", Na)],
        );
        assert_eq!(s.score, 33.33);
        let s = score(
            &f,
            &[ans("greeting", Pass), ans("identity", Pass), ans("wrong_amount", Fail), ans("bill_amount", Pass)],
        );
        assert_eq!(s, Score { score: 0.0, fatal: true });
        assert_eq!(score(&f, &[]).score, 100.0);
    }

    fn arb_form() -> impl Strategy<Value = Vec<FormSection>> {
        prop::collection::vec((1u32..500, any::<bool>(), any::<bool>()), 1..20).prop_map(|items| {
            let parameters = items
                .into_iter()
                .enumerate()
                .map(|(i, (w, fatal, na))| {
                    param(&format!("p{i}"), if fatal { 0.0 } else { f64::from(w) / 4.0 }, fatal, na)
                })
                .collect();
            vec![FormSection { key: "s".into(), title: "S".into(), parameters }]
        })
    }

    fn arb_answers(n: usize) -> impl Strategy<Value = Vec<AnswerValue>> {
        prop::collection::vec(prop_oneof![Just(AnswerValue::Pass), Just(AnswerValue::Fail), Just(AnswerValue::Na)], n)
    }

    fn sheet(form: &[FormSection], values: &[AnswerValue]) -> Vec<Answer> {
        parameters(form).zip(values).map(|(p, v)| ans(&p.key, *v)).collect()
    }

    proptest! {
        #[test]
        fn score_is_within_0_and_100((f, values) in arb_form().prop_flat_map(|f| { let n = parameters(&f).count(); (Just(f), arb_answers(n)) })) {
            let s = score(&f, &sheet(&f, &values));
            prop_assert!((0.0..=100.0).contains(&s.score));
            prop_assert_eq!((s.score * 100.0).round() / 100.0, s.score);
        }

        #[test]
        fn all_applicable_passed_is_100((f, values) in arb_form().prop_flat_map(|f| { let n = parameters(&f).count(); (Just(f), arb_answers(n)) })) {
            let values: Vec<AnswerValue> = values.into_iter().map(|v| if v == AnswerValue::Fail { AnswerValue::Pass } else { v }).collect();
            prop_assert_eq!(score(&f, &sheet(&f, &values)), Score { score: 100.0, fatal: false });
        }

        #[test]
        fn turning_a_fail_into_a_pass_never_lowers_it((f, values, pick) in arb_form().prop_flat_map(|f| { let n = parameters(&f).count(); (Just(f), arb_answers(n), 0..n) })) {
            let before = score(&f, &sheet(&f, &values));
            let mut changed = values.clone();
            if changed[pick] == AnswerValue::Fail {
                changed[pick] = AnswerValue::Pass;
            }
            let after = score(&f, &sheet(&f, &changed));
            prop_assert!(after.score >= before.score, "{before:?} → {after:?}");
        }

        #[test]
        fn a_fatal_fail_always_zeroes_it((f, values) in arb_form().prop_flat_map(|f| { let n = parameters(&f).count(); (Just(f), arb_answers(n)) })) {
            let answers = sheet(&f, &values);
            let fatal_failed = parameters(&f).zip(&values).any(|(p, v)| p.fatal && *v == AnswerValue::Fail);
            let s = score(&f, &answers);
            prop_assert_eq!(s.fatal, fatal_failed);
            if fatal_failed {
                prop_assert_eq!(s.score, 0.0);
            }
        }
    }

    #[test]
    fn answers_are_checked_against_the_form() {
        use AnswerValue::*;
        let f = form();
        let full =
            vec![ans("greeting", Pass), ans("identity", Na), ans("wrong_amount", Pass), ans("bill_amount", Pass)];
        assert_eq!(check_answers(&f, &full, true), Ok(()));
        let errors = check_answers(&f, &[ans("nope", Pass)], false).unwrap_err();
        assert_eq!(errors["answers.nope"], "unknown parameter");
        let errors = check_answers(&f, &[ans("greeting", Na)], false).unwrap_err();
        assert!(errors["answers.greeting"].contains("N/A"));
        let errors = check_answers(&f, &[ans("greeting", Pass)], true).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        let mut no_comment = full.clone();
        no_comment[0] =
            Answer { parameter: "greeting".into(), value: Fail, comment: None, moment: Some("01:30".into()) };
        assert!(check_answers(&f, &no_comment, false).is_ok(), "a draft may lack the comment");
        assert!(check_answers(&f, &no_comment, true).unwrap_err()["answers.greeting"].contains("comment"));
        let mut bad_moment = full.clone();
        bad_moment[0].moment = Some("1:75".into());
        assert!(check_answers(&f, &bad_moment, false).is_err());
        let mut twice = full.clone();
        twice.push(ans("greeting", Pass));
        assert_eq!(check_answers(&f, &twice, true).unwrap_err()["answers.greeting"], "answered twice");
    }

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

    #[test]
    fn the_workflow_table() {
        use EvaluationAction as A;
        use EvaluationStatus as S;
        let expected = |from: S, action: A, role: Role| -> Result<S, Refusal> {
            let who = match action {
                A::EditDraft | A::Submit => role == Role::Qco,
                A::Acknowledge | A::Dispute => role == Role::Agent,
                A::Resolve => role == Role::QcCoordinator,
            };
            if !who {
                return Err(Refusal::NotAllowed);
            }
            match (from, action) {
                (S::Draft, A::EditDraft) => Ok(S::Draft),
                (S::Draft, A::Submit) => Ok(S::Submitted),
                (S::Submitted, A::Acknowledge) => Ok(S::Acknowledged),
                (S::Submitted, A::Dispute) => Ok(S::Disputed),
                (S::Disputed, A::Resolve) => Ok(S::Resolved),
                _ => Err(Refusal::WrongState),
            }
        };
        for from in S::ALL {
            for action in A::ALL {
                for role in Role::ALL {
                    assert_eq!(
                        evaluation_transition(from, action, Actor::User(role)),
                        expected(from, action, role),
                        "{from:?} {action:?} {role:?}"
                    );
                }
                assert_eq!(evaluation_transition(from, action, Actor::System), Err(Refusal::NotAllowed));
            }
        }
        assert_eq!(S::parse("disputed"), Some(S::Disputed));
        assert_eq!(S::parse("Disputed"), None);
    }

    #[test]
    fn calibration_agreement_and_spread() {
        use AnswerValue::*;
        let f = form();
        let sheets = vec![
            (
                1,
                vec![ans("greeting", Pass), ans("identity", Pass), ans("wrong_amount", Pass), ans("bill_amount", Pass)],
            ),
            (
                2,
                vec![ans("greeting", Pass), ans("identity", Pass), ans("wrong_amount", Pass), ans("bill_amount", Pass)],
            ),
            (
                3,
                vec![ans("greeting", Fail), ans("identity", Pass), ans("wrong_amount", Pass), ans("bill_amount", Fail)],
            ),
        ];
        let stats = calibration_stats(&f, &sheets);
        let greeting = &stats.parameters[0];
        assert_eq!((greeting.agreement, greeting.majority, greeting.pass, greeting.fail), (66.67, Some(Pass), 2, 1));
        assert_eq!(stats.parameters[1].agreement, 100.0);
        assert_eq!((stats.min_score, stats.max_score), (20.0, 100.0));
        assert_eq!(stats.mean_score, 73.33);
        assert_eq!(stats.most_divergent, Some((3, 2)));
        assert_eq!(stats.std_dev, 37.71);
    }
}
