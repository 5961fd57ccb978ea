//! Calibration: how far several scorers of one call agree (per parameter, and the spread of their
//! scores), and the wire types of a calibration session.

use super::evaluation::Evaluation;
use super::forms::{FormSection, parameters};
use super::score::{Answer, AnswerValue, score};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::codes::code_enum! {
    /// Where a calibration session stands: open while its QCOs score the call blind; closed once every
    /// one has submitted or the coordinator closed it (then everyone in it sees every sheet).
    pub enum CalibrationStatus {
        Open,
        Closed,
    }
}

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

/// Each scorer's distance from the majority of one session: `(scorer, answers that differ from
/// their parameter's majority answer, answers to parameters that have one)`. Sessions scored by
/// one QCO alone have no majority to differ from: none.
pub fn majority_distance(sections: &[FormSection], sheets: &[(i64, Vec<Answer>)]) -> Vec<(i64, u32, u32)> {
    if sheets.len() < 2 {
        return Vec::new();
    }
    let stats = calibration_stats(sections, sheets);
    let majority: BTreeMap<&str, AnswerValue> =
        stats.parameters.iter().filter_map(|p| p.majority.map(|m| (p.parameter.as_str(), m))).collect();
    sheets
        .iter()
        .map(|(scorer, answers)| {
            let mut counted = answers.iter().filter_map(|a| majority.get(a.parameter.as_str()).map(|m| *m != a.value));
            let (mut differs, mut answered) = (0, 0);
            for differ in counted.by_ref() {
                answered += 1;
                differs += u32::from(differ);
            }
            (*scorer, differs, answered)
        })
        .collect()
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
    pub status: CalibrationStatus,
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
    pub status: CalibrationStatus,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::{ans, form};

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
        assert_eq!(majority_distance(&f, &sheets), [(1, 0, 4), (2, 0, 4), (3, 2, 4)]);
        assert_eq!(majority_distance(&f, &sheets[..1]), [], "one scorer has no majority to differ from");
    }
}
