//! `/sampling`: the QC coordinator asks for N random calls per agent over a period (from the
//! imported agree cases), spread evenly over the chosen QCOs; below, the queue as it stands.
//! A QCO sees their own queue here too (and on the sheets page).

use crate::api::{ApiError, MAX_LIMIT, UserFilter};
use crate::app::{use_api, use_auth, use_i18n, use_title};
use crate::components::fields::{SelectField, TextField, setter};
use crate::components::parts::form_actions;
use crate::components::scoring::{assignment_table, qco_checks};
use crate::components::status::{ErrorBanner, Loading, Tone, tone_banner};
use crate::datetime::today_plus;
use crate::hooks::{Load, use_fetch};
use crate::i18n::{K, field_error};
use domain::scoring::SamplingRequest;
use domain::{Action, can};
use std::collections::{BTreeMap, BTreeSet};
use yew::prelude::*;

#[component]
pub fn SamplingPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::SamplingTitle));
    let lang = i18n.lang;
    let api = use_api();
    let auth = use_auth();
    let navigator = yew_router::prelude::use_navigator();
    let coordinator = auth.user().is_some_and(|u| can(u.role, Action::ManageScoringForms));
    let queue = use_fetch((), |api, ()| async move { api.list_assignments(false).await });
    let people = use_fetch(coordinator, |api, coordinator| async move {
        if !coordinator {
            return Ok((Vec::new(), Vec::new()));
        }
        let qcos = api
            .list_users(&UserFilter { role: Some("qco".into()), limit: Some(MAX_LIMIT), ..Default::default() })
            .await?;
        let teams = api.list_teams(Some(MAX_LIMIT), None).await?;
        Ok((qcos.items, teams.items))
    });
    let from = use_state(|| today_plus(-7));
    let to = use_state(|| today_plus(0));
    let per_agent = use_state(|| "2".to_owned());
    let team = use_state(String::new);
    let qcos = use_state(BTreeSet::<i64>::new);
    let errors = use_state(BTreeMap::<String, String>::new);
    let failure = use_state(|| None::<ApiError>);
    let result = use_state(|| None::<(usize, usize)>);
    let busy = use_state(|| false);

    let onsubmit = {
        let (from, to, per_agent, team, qcos, errors, failure, result, busy, api, reload) = (
            from.clone(),
            to.clone(),
            per_agent.clone(),
            team.clone(),
            qcos.clone(),
            errors.clone(),
            failure.clone(),
            result.clone(),
            busy.clone(),
            api.clone(),
            queue.reload.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let mut found = BTreeMap::new();
            let n = per_agent.trim().parse::<u32>().ok().filter(|n| (1..=100).contains(n));
            for (field, problem, bad) in [
                ("per_agent", "out_of_range", n.is_none()),
                ("from", "required", from.is_empty()),
                ("to", "required", to.is_empty()),
                ("qco_ids", "required", qcos.is_empty()),
            ] {
                if bad {
                    found.insert(field.to_owned(), problem.to_owned());
                }
            }
            failure.set(None);
            let stop = !found.is_empty();
            errors.set(found);
            if stop {
                return;
            }
            let body = SamplingRequest {
                from: (*from).clone(),
                to: (*to).clone(),
                per_agent: n.unwrap_or(1),
                qco_ids: qcos.iter().copied().collect(),
                team_id: team.parse().ok(),
                seed: None,
                calls: None,
            };
            busy.set(true);
            let (errors, failure, result, busy, api, reload) =
                (errors.clone(), failure.clone(), result.clone(), busy.clone(), api.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.request_sampling(&body).await {
                    Ok(r) => {
                        result.set(Some((r.assignments.len(), r.short.len())));
                        reload.emit(());
                    }
                    Err(error) => {
                        if let Some(fields) = error.fields() {
                            errors.set(fields.clone());
                        }
                        failure.set(Some(error));
                    }
                }
                busy.set(false);
            });
        })
    };
    let queue_body = match &*queue.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={queue.reload.clone()} /> },
        Load::Ready(page) if page.items.is_empty() => html! { <p class="empty">{ i18n.t(K::NoAssignments) }</p> },
        Load::Ready(page) => assignment_table(&i18n, &page.items, coordinator, navigator),
    };
    let form = match &*people.state {
        _ if !coordinator => Html::default(),
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={people.reload.clone()} /> },
        Load::Ready((all_qcos, teams)) => {
            let err = |field: &str| errors.get(field).map(|e| field_error(lang, field, e));
            let team_options: Vec<(AttrValue, AttrValue)> =
                std::iter::once((AttrValue::Static(""), AttrValue::Static(i18n.t(K::AllTeams))))
                    .chain(teams.iter().map(|t| (AttrValue::from(t.id.to_string()), AttrValue::from(t.name.clone()))))
                    .collect();
            html! {
                <section class="card" aria-labelledby="sampling-form-title">
                    <h2 id="sampling-form-title" class="card-title">{ i18n.t(K::SamplingRequestTitle) }</h2>
                    <form class="form-stack" {onsubmit} novalidate=true>
                        <div class="form-grid">
                            <TextField id="sample-from" kind="date" label={i18n.t(K::PeriodFrom)} value={(*from).clone()} on_change={setter(&from)} error={err("from")} required=true />
                            <TextField id="sample-to" kind="date" label={i18n.t(K::PeriodTo)} value={(*to).clone()} on_change={setter(&to)} error={err("to")} required=true />
                            <TextField id="sample-per-agent" kind="number" label={i18n.t(K::PerAgent)} value={(*per_agent).clone()} on_change={setter(&per_agent)}
                                error={err("per_agent")} required=true />
                            <SelectField id="sample-team" label={i18n.t(K::Team)} value={(*team).clone()} options={team_options} on_change={setter(&team)} />
                        </div>
                        { qco_checks(&i18n, "sample-qco", all_qcos, &qcos, err("qco_ids")) }
                        if let Some(problem) = err("calls") {
                            { tone_banner(Tone::Warning, problem) }
                        } else if let Some(error) = (*failure).clone() {
                            <ErrorBanner {error} />
                        }
                        if let Some((made, short)) = *result {
                            { tone_banner(Tone::Success, i18n.tf(K::SamplingDone, &[&made.to_string()])) }
                            if short > 0 {
                                { tone_banner(Tone::Warning, i18n.tf(K::SamplingShort, &[&short.to_string()])) }
                            }
                        }
                        { form_actions(i18n.lang, "request-sampling", K::RequestSampling, None, *busy, None) }
                    </form>
                </section>
            }
        }
    };
    html! {
        <section class="page" data-page="sampling">
            <header class="page-head">
                <h1>{ i18n.t(K::SamplingTitle) }</h1>
                <p class="muted">{ i18n.t(K::SamplingIntro) }</p>
            </header>
            { form }
            <section class="card" aria-labelledby="queue-title" data-section="queue">
                <h2 id="queue-title" class="card-title">{ i18n.t(if coordinator { K::SamplingQueue } else { K::TabAssigned }) }</h2>
                { queue_body }
            </section>
        </section>
    }
}
