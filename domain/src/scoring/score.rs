//! Answers and the score: the formula the browser's live score and the stored score share, and
//! the check of a sheet's answers against the form they pin.

use super::forms::{FormParameter, FormSection, parameters};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

crate::codes::code_enum! {
    /// A parameter's answer: passed, failed or not applicable.
    #[derive(PartialOrd, Ord)]
    pub enum AnswerValue {
        Pass,
        Fail,
        Na,
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
            errors.insert(at, crate::problems::Problem::UnknownParameter.into());
            continue;
        };
        if !seen.insert(a.parameter.as_str()) {
            errors.insert(at, crate::problems::Problem::AnsweredTwice.into());
            continue;
        }
        if a.value == AnswerValue::Na && !p.allow_na {
            errors.insert(at, crate::problems::Problem::NaNotAllowed.into());
            continue;
        }
        if a.comment.as_ref().is_some_and(|c| c.len() > crate::limits::TEXT_MAX) {
            errors.insert(at, crate::problems::Problem::TooLong.into());
            continue;
        }
        if let Some(m) = &a.moment
            && !m.is_empty()
            && !valid_moment(m)
        {
            errors.insert(at, crate::problems::Problem::InvalidMoment.into());
            continue;
        }
        let has_comment = a.comment.as_ref().is_some_and(|c| !c.trim().is_empty());
        if submit && a.value == AnswerValue::Fail && p.comment_on_fail && !has_comment {
            errors.insert(at, crate::problems::Problem::CommentRequired.into());
        }
    }
    if submit {
        for key in params.keys() {
            if !seen.contains(key) && !errors.contains_key(&format!("answers.{key}")) {
                errors.insert(format!("answers.{key}"), crate::problems::Problem::NotAnswered.into());
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::param;
    use crate::scoring::fixtures::{ans, form};
    use proptest::prelude::*;

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
        assert_eq!(errors["answers.nope"], "unknown_parameter");
        let errors = check_answers(&f, &[ans("greeting", Na)], false).unwrap_err();
        assert_eq!(errors["answers.greeting"], "na_not_allowed");
        let errors = check_answers(&f, &[ans("greeting", Pass)], true).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        let mut no_comment = full.clone();
        no_comment[0] =
            Answer { parameter: "greeting".into(), value: Fail, comment: None, moment: Some("01:30".into()) };
        assert!(check_answers(&f, &no_comment, false).is_ok(), "a draft may lack the comment");
        assert_eq!(check_answers(&f, &no_comment, true).unwrap_err()["answers.greeting"], "comment_required");
        let mut bad_moment = full.clone();
        bad_moment[0].moment = Some("1:75".into());
        assert!(check_answers(&f, &bad_moment, false).is_err());
        let mut twice = full.clone();
        twice.push(ans("greeting", Pass));
        assert_eq!(check_answers(&f, &twice, true).unwrap_err()["answers.greeting"], "answered_twice");
    }
}
