//! F-19 agree validation and W-03 follow-ups: the case queue, import, a case, follow-ups, the F-19 report,
//! reconciliation.
//!
//! Placeholders until the pages are built; each is reachable by its route.

use yew::prelude::*;

#[component]
pub fn CasesPage() -> Html {
    html! { <section class="page" data-page="CasesPage"></section> }
}

#[component]
pub fn ImportPage() -> Html {
    html! { <section class="page" data-page="ImportPage"></section> }
}

#[derive(Properties, PartialEq)]
pub struct CasePageProps {
    pub id: i64,
}

#[component]
pub fn CasePage(props: &CasePageProps) -> Html {
    html! { <section class="page" data-page="CasePage">{ props.id }</section> }
}

#[component]
pub fn FollowupsPage() -> Html {
    html! { <section class="page" data-page="FollowupsPage"></section> }
}

#[derive(Properties, PartialEq)]
pub struct FollowupPageProps {
    pub id: i64,
}

#[component]
pub fn FollowupPage(props: &FollowupPageProps) -> Html {
    html! { <section class="page" data-page="FollowupPage">{ props.id }</section> }
}

#[component]
pub fn ReportPage() -> Html {
    html! { <section class="page" data-page="ReportPage"></section> }
}

#[component]
pub fn ReconciliationPage() -> Html {
    html! { <section class="page" data-page="ReconciliationPage"></section> }
}
