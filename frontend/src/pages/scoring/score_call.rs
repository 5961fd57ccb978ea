//! `/evaluations/new` (and a draft opened at `/evaluations/{id}`): a QCO scores a call. The call's
//! details first (agent, reference, time, service, bucket, recording), then the sheet parameter by
//! parameter with the keyboard, beside a sticky panel with the live score, the answered count and
//! Save draft / Submit. `?assignment=ID` starts from a sampled call.

use crate::app::{Route, use_i18n, use_title};
use crate::components::fields::SelectField;
use crate::components::score_editor::{CallPreset, ScoreEditor};
use crate::components::status::{ErrorBanner, Loading, Tone, tone_banner};
use crate::hooks::{Load, use_fetch};
use crate::i18n::K;
use domain::scoring::{Evaluation, FormStatus, ScoringForm};
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn ScoreCallPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::ScoreCallTitle));
    let navigator = use_navigator();
    let location = use_location();
    let assignment = location.and_then(|l| crate::api::query_value(l.query_str(), "assignment")?.parse::<i64>().ok());
    let chosen_form = use_state(|| None::<i64>);
    let data = use_fetch(assignment, |api, assignment| async move {
        let forms = api.list_scoring_forms().await?;
        let preset = match assignment {
            Some(id) => api.list_assignments(true).await?.items.into_iter().find(|a| a.id == id).map(|a| CallPreset {
                agent_id: a.agent_id,
                agent_name: if a.agent_name.is_empty() { a.agent_username } else { a.agent_name },
                call_ref: a.call_ref,
                call_at: a.call_at,
                service: a.service,
                bucket: a.bucket,
                recording_ref: a.recording_ref,
                calibration_id: None,
                assignment_id: Some(a.id),
            }),
            None => None,
        };
        Ok((forms.items, preset))
    });
    // A new blank sheet after "submit and next" when no sampled call is waiting.
    let round = use_state(|| 0u32);
    let on_saved = {
        let navigator = navigator.clone();
        Callback::from(move |e: Evaluation| {
            if let Some(n) = &navigator {
                n.push(&Route::Evaluation { id: e.id });
            }
        })
    };
    // "Submit and next": the next sampled call assigned to this officer, else a blank sheet.
    let on_next = {
        let (api, round) = (crate::app::use_api(), round.clone());
        Callback::from(move |_: Evaluation| {
            let (api, navigator, round) = (api.clone(), navigator.clone(), round.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let next = api.list_assignments(true).await.ok().and_then(|p| p.items.into_iter().next());
                match (next, &navigator) {
                    (Some(a), Some(n)) => {
                        let _ = n.push_with_query(&Route::ScoreCall, &[("assignment", a.id)]);
                    }
                    _ => {
                        if let Some(n) = &navigator {
                            n.push(&Route::ScoreCall);
                        }
                    }
                }
                round.set(*round + 1);
            });
        })
    };
    let body = match &*data.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={data.reload.clone()} /> },
        Load::Ready((forms, preset)) => {
            let published: Vec<&ScoringForm> = forms.iter().filter(|f| f.status == FormStatus::Published).collect();
            let form = chosen_form
                .and_then(|id| published.iter().find(|f| f.id == id))
                .or(published.first())
                .copied()
                .cloned();
            match form {
                None => tone_banner(Tone::Warning, i18n.t(K::NoPublishedForm)),
                Some(form) => {
                    let picker = (published.len() > 1).then(|| {
                        let options: Vec<(AttrValue, AttrValue)> = published
                            .iter()
                            .map(|f| (AttrValue::from(f.id.to_string()), AttrValue::from(format!("{} · {} v{}", f.code, f.title, f.version))))
                            .collect();
                        let chosen_form = chosen_form.clone();
                        html! {
                            <SelectField id="form-choice" label={i18n.t(K::FormLabel)} value={form.id.to_string()} {options}
                                on_change={Callback::from(move |v: String| chosen_form.set(v.parse().ok()))} />
                        }
                    });
                    html! {
                        <>
                            { picker.unwrap_or_default() }
                            <ScoreEditor key={format!("{}-{:?}-{}", form.id, assignment, *round)} form={form.clone()} draft={None::<Evaluation>}
                                preset={preset.clone()} on_saved={on_saved} on_next={Some(on_next)} />
                        </>
                    }
                }
            }
        }
    };
    html! {
        <section class="page" data-page="score-call">
            <header class="page-head">
                <h1>{ i18n.t(K::ScoreCallTitle) }</h1>
                <p class="muted">{ i18n.t(K::ScoreCallIntro) }</p>
            </header>
            { body }
        </section>
    }
}
