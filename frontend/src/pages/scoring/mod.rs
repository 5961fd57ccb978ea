//! F-18 call scoring: the sheets (list, one sheet with the agent's acknowledgement or dispute and
//! the coordinator's resolution), scoring a call, the scoring forms and their builder,
//! calibration sessions and sampling. What several of these pages share lives here.

mod calibration;
mod calibrations;
mod evaluation;
mod evaluations;
mod sampling;
mod score_call;
mod scoring_form;
mod scoring_forms;

pub use crate::components::user_picker::UserPicker;
pub use calibration::CalibrationPage;
pub use calibrations::CalibrationsPage;
pub use evaluation::EvaluationPage;
pub use evaluations::EvaluationsPage;
pub use sampling::SamplingPage;
pub use score_call::ScoreCallPage;
pub use scoring_form::ScoringFormPage;
pub use scoring_forms::ScoringFormsPage;

use crate::components::profile::display_name;
use crate::hooks::Keyed;
use crate::i18n::{K, eval_status_key};
use domain::api::User;
use domain::scoring::{CalibrationSummary, EvaluationStatus, EvaluationSummary, SamplingAssignment};
use web_sys::HtmlInputElement;
use yew::prelude::*;

impl Keyed for EvaluationSummary {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for CalibrationSummary {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for SamplingAssignment {
    fn key(&self) -> i64 {
        self.id
    }
}

/// The status of a sheet as a coloured badge.
pub fn eval_status(lang: crate::i18n::Lang, status: EvaluationStatus) -> Html {
    html! {
        <span class="status-badge eval-status" data-status={status.as_str()}>{ crate::i18n::t(lang, eval_status_key(status)) }</span>
    }
}

/// The service select (`CT-0`, `PRANPC`).
pub fn service_select(
    id: &'static str,
    i18n: &crate::app::I18n,
    state: &UseStateHandle<domain::cases::Service>,
) -> Html {
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
pub fn bucket_select(id: &'static str, i18n: &crate::app::I18n, state: &UseStateHandle<domain::cases::Bucket>) -> Html {
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
    i18n: &crate::app::I18n,
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
