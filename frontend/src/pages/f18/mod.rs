//! F-18 scoring: sheets, scoring a call, scoring forms, calibration.
//!
//! Placeholders until the pages are built; each is reachable by its route.

use yew::prelude::*;

#[component]
pub fn EvaluationsPage() -> Html {
    html! { <section class="page" data-page="EvaluationsPage"></section> }
}

#[component]
pub fn ScoreCallPage() -> Html {
    html! { <section class="page" data-page="ScoreCallPage"></section> }
}

#[derive(Properties, PartialEq)]
pub struct EvaluationPageProps {
    pub id: i64,
}

#[component]
pub fn EvaluationPage(props: &EvaluationPageProps) -> Html {
    html! { <section class="page" data-page="EvaluationPage">{ props.id }</section> }
}

#[component]
pub fn ScoringFormsPage() -> Html {
    html! { <section class="page" data-page="ScoringFormsPage"></section> }
}

#[derive(Properties, PartialEq)]
pub struct ScoringFormPageProps {
    pub id: i64,
}

#[component]
pub fn ScoringFormPage(props: &ScoringFormPageProps) -> Html {
    html! { <section class="page" data-page="ScoringFormPage">{ props.id }</section> }
}

#[component]
pub fn CalibrationsPage() -> Html {
    html! { <section class="page" data-page="CalibrationsPage"></section> }
}

#[derive(Properties, PartialEq)]
pub struct CalibrationPageProps {
    pub id: i64,
}

#[component]
pub fn CalibrationPage(props: &CalibrationPageProps) -> Html {
    html! { <section class="page" data-page="CalibrationPage">{ props.id }</section> }
}
