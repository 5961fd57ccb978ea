//! Test fixtures several parts' tests share: a small form (two sections, one fatal item) and
//! answers to it.

use super::forms::{FormParameter, FormSection};
use super::score::{Answer, AnswerValue};

pub(crate) fn param(key: &str, weight: f64, fatal: bool, allow_na: bool) -> FormParameter {
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

pub(crate) fn form() -> Vec<FormSection> {
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

pub(crate) fn ans(key: &str, value: AnswerValue) -> Answer {
    Answer { parameter: key.into(), value, comment: Some("c".into()), moment: None }
}
