//! What the F-18 pages show alike: a sheet's status, a call's fields, the service and bucket selects, the QCOs to
//! choose, the table of sampled calls and a form's weight total.

use crate::app::{I18n, Route};
use crate::components::doc_parts::RouteLink;
use crate::components::parts::head_actions;
use crate::components::profile::display_name;
use crate::datetime::short_datetime;
use crate::i18n::{K, eval_status_key};
use domain::api::User;
use domain::scoring::{EvaluationStatus, SamplingAssignment, ScoringForm, parameters};
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::Navigator;

/// The status of a sheet as a coloured badge.
pub fn eval_status(lang: crate::i18n::Lang, status: EvaluationStatus) -> Html {
    html! {
        <span class="status-badge eval-status" data-status={status.as_str()}>{ crate::i18n::t(lang, eval_status_key(status)) }</span>
    }
}

/// The details of a scored call as a form holds them, a state each, cloned together into the
/// form's callbacks (the scoring sheet, a new calibration session).
#[derive(Clone, PartialEq)]
pub struct CallFields {
    pub agent: UseStateHandle<Option<i64>>,
    pub call_ref: UseStateHandle<String>,
    pub call_at: UseStateHandle<String>,
    pub service: UseStateHandle<domain::cases::Service>,
    pub bucket: UseStateHandle<domain::cases::Bucket>,
    pub recording: UseStateHandle<String>,
}

/// The service select (`CT-0`, `PRANPC`).
pub fn service_select(id: &'static str, i18n: &I18n, state: &UseStateHandle<domain::cases::Service>) -> Html {
    use domain::cases::Service;
    let options: Vec<(AttrValue, AttrValue)> =
        Service::ALL.iter().map(|s| (AttrValue::Static(s.as_str()), AttrValue::Static(s.label()))).collect();
    let state_c = state.clone();
    html! {
        <crate::components::fields::SelectField {id} label={i18n.t(K::ServiceLabel)} value={state.as_str()} {options}
            on_change={Callback::from(move |v: String| if let Some(x) = Service::parse(&v) { state_c.set(x) })} />
    }
}

/// The arrears bucket select (`N`, `N+1`, `N+2`).
pub fn bucket_select(id: &'static str, i18n: &I18n, state: &UseStateHandle<domain::cases::Bucket>) -> Html {
    use domain::cases::Bucket;
    let options: Vec<(AttrValue, AttrValue)> =
        Bucket::ALL.iter().map(|b| (AttrValue::Static(b.as_str()), AttrValue::Static(b.label()))).collect();
    let state_c = state.clone();
    html! {
        <crate::components::fields::SelectField {id} label={i18n.t(K::BucketLabel)} value={state.as_str()} {options}
            on_change={Callback::from(move |v: String| if let Some(x) = Bucket::parse(&v) { state_c.set(x) })} />
    }
}

/// The QCOs to choose (`{prefix}-{username}` checkboxes), one listener for the group.
pub fn qco_checks(
    i18n: &I18n,
    prefix: &'static str,
    users: &[User],
    chosen: &UseStateHandle<std::collections::BTreeSet<i64>>,
    error: Option<String>,
) -> Html {
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(id) = input.get_attribute("data-user").and_then(|v| v.parse::<i64>().ok()) else { return };
            let mut next = (*chosen).clone();
            if input.checked() {
                next.insert(id);
            } else {
                next.remove(&id);
            }
            chosen.set(next);
        })
    };
    html! {
        <fieldset class={classes!("field", "check-group", "check-row", error.is_some().then_some("has-error"))} {onchange}>
            <legend>{ i18n.t(K::CalibrationQcos) }<span class="req" aria-hidden="true">{ " *" }</span></legend>
            { for users.iter().filter(|u| u.active).map(|u| html! {
                <label class="check-item">
                    <input type="checkbox" id={format!("{prefix}-{}", u.username)} data-user={u.id.to_string()} checked={chosen.contains(&u.id)} />
                    { display_name(u) }
                </label>
            }) }
            if let Some(problem) = error {
                <p class="field-error">{ problem }</p>
            }
        </fieldset>
    }
}

/// Sampled calls, with "score" on the ones not yet scored (for their QCO).
pub fn assignment_table(
    i18n: &I18n,
    items: &[SamplingAssignment],
    show_qco: bool,
    navigator: Option<Navigator>,
) -> Html {
    let lang = i18n.lang;
    // One listener for every "score" link: start the scoring page on that call.
    let onclick = Callback::from(move |e: MouseEvent| {
        use wasm_bindgen::JsCast;
        let id =
            e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|t| t.get_attribute("data-start"));
        if let (Some(n), Some(id)) = (&navigator, id.and_then(|i| i.parse::<i64>().ok())) {
            e.prevent_default();
            let _ = n.push_with_query(&Route::ScoreCall, &[("assignment", id)]);
        }
    });
    html! {
        <div class="table-wrap">
            <table class="table" id="assignments-table" {onclick}>
                { head_actions(lang, &[
                    Some((K::CallAtLabel, false)),
                    Some((K::AgentLabel, false)),
                    Some((K::CallRefLabel, false)),
                    Some((K::ServiceLabel, false)),
                    show_qco.then_some((K::QcoLabel, false)),
                ].into_iter().flatten().collect::<Vec<_>>(), K::Status) }
                <tbody>
                    { for items.iter().map(|a| html! {
                        <tr key={a.id} data-assignment={a.id.to_string()}>
                            <td class="nowrap">{ short_datetime(lang, &a.call_at) }</td>
                            <td>{ if a.agent_name.is_empty() { a.agent_username.clone() } else { a.agent_name.clone() } }</td>
                            <td class="mono">{ a.call_ref.clone() }</td>
                            <td class="nowrap">{ format!("{} · {}", a.service.map_or("—", |s| s.label()), a.bucket.map_or("—", |b| b.label())) }</td>
                            if show_qco { <td>{ a.qco_name.clone() }</td> }
                            <td class="actions">
                                { match a.evaluation_id {
                                    Some(id) => html! { <RouteLink to={Route::Evaluation { id }} class="btn btn-secondary btn-small">{ i18n.t(K::OpenSheet) }</RouteLink> },
                                    None if !show_qco => html! {
                                        <a class="btn btn-primary btn-small" href={format!("/evaluations/new?assignment={}", a.id)}
                                            data-start={a.id.to_string()}>{ i18n.t(K::StartScoring) }</a>
                                    },
                                    None => html! { <span class="badge badge-muted">{ i18n.t(K::NotScoredYet) }</span> },
                                } }
                            </td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// The sum of the non-fatal weights.
pub fn weight_total(form: &ScoringForm) -> f64 {
    parameters(&form.sections).filter(|p| !p.fatal).map(|p| p.weight).sum()
}
