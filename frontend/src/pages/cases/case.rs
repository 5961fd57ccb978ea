//! `/cases/{id}`: one agree case — the facts a QCO checks while tapping the recording, the W-04
//! checklist, APPROVED or RETURN (with the recommendation for the agent). Once validated, the
//! F-19 record: who, when, kept until, and for a RETURN the link to its follow-up.

use crate::api::cases::CaseFilter;
use crate::api::{ApiError, ApiResult};
use crate::app::{IdProps, Route, use_api, use_auth, use_i18n, use_title};
use crate::components::badges::case_status_badge;
use crate::components::cases::{case_facts, checklist_labels};
use crate::components::dialog::Dialog;
use crate::components::doc_parts::RouteLink;
use crate::components::parts::{fact, txt};
use crate::components::promises::promise_card;
use crate::components::status::{ErrorBanner, Loading, Tone, tone_banner};
use crate::datetime::{long_date, long_datetime};
use crate::hooks::use_checklist;
use crate::hooks::{Load, use_fetch};
use crate::i18n::{K, Lang, t, tf};
use domain::cases::{
    Case, CaseStatus, Checklist, ChecklistLabels, ChecklistVersion, NewValidation, Validation, ValidationResult,
    check_validation,
};
use domain::{Action, can};
use std::collections::BTreeMap;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[component]
pub fn CasePage(props: &IdProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::CaseTitle));
    let case = use_fetch(props.id, |api, id| async move { api.get_case(id).await });
    // The W-04 wording in force: the form shows it and names its version when validating.
    let wording = use_checklist();
    // Kept here: the form that learns of the lost race is gone once the case reloads.
    let lost_race = use_state(|| false);
    {
        // "Record and next" moves to another case: its race starts unlost.
        let lost_race = lost_race.clone();
        use_effect_with(props.id, move |_| lost_race.set(false));
    }
    let on_lost_race = {
        let (lost_race, reload) = (lost_race.clone(), case.reload.clone());
        Callback::from(move |()| {
            lost_race.set(true);
            reload.emit(());
        })
    };
    let body = match &*case.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={case.reload.clone()} /> },
        Load::Ready(c) => {
            html! {
                <CaseView case={c.clone()} wording={wording.current.clone()} reload_wording={wording.reload.clone()}
                    reload={case.reload.clone()} lost_race={*lost_race} {on_lost_race} />
            }
        }
    };
    html! { <section class="page" data-page="case" data-case-id={props.id.to_string()}>{ body }</section> }
}

#[derive(Properties, PartialEq)]
struct CaseViewProps {
    case: Case,
    /// The wording in force (`None` while it loads).
    wording: Option<ApiResult<ChecklistVersion>>,
    reload_wording: Callback<()>,
    reload: Callback<()>,
    /// Another QCO validated this case while this one was filling the form in.
    lost_race: bool,
    on_lost_race: Callback<()>,
}

#[component]
fn CaseView(props: &CaseViewProps) -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    let c = &props.case;
    let may_validate = auth.user().is_some_and(|u| can(u.role, Action::ValidateCases));
    html! {
        <>
            <header class="page-head">
                <p class="eyebrow"><RouteLink to={Route::Cases}>{ i18n.t(K::CasesTitle) }</RouteLink>{ format!(" / #{}", c.id) }</p>
                <h1 class="title-with-badge"><span id="case-customer">{ c.customer_name.clone() }</span>{ case_status_badge(i18n.lang, c.status) }</h1>
            </header>
            <div class="grid case-grid">
                <section class="card" aria-labelledby="case-facts-title">
                    <h2 id="case-facts-title" class="card-title">{ i18n.t(K::CaseFacts) }</h2>
                    { case_facts(i18n.lang, c) }
                </section>
                <div class="stack">
                    if props.lost_race {
                        { tone_banner(Tone::Warning, i18n.t(K::AlreadyValidated)) }
                    }
                    { match (&c.validation, c.status) {
                        (Some(v), _) => validation_record(i18n.lang, v),
                        (None, CaseStatus::Pending) if may_validate => match &props.wording {
                            None => html! { <section class="card"><Loading /></section> },
                            Some(Err(error)) => html! { <ErrorBanner error={error.clone()} on_retry={props.reload_wording.clone()} /> },
                            Some(Ok(wording)) => html! {
                                <ValidationForm key={c.id.to_string()} id={c.id} wording={wording.clone()} reload={props.reload.clone()}
                                    on_lost_race={props.on_lost_race.clone()} on_wording_changed={props.reload_wording.clone()} />
                            },
                        },
                        _ => html! {
                            <section class="card"><p class="muted" id="case-waiting">{ i18n.t(K::CaseAwaitsValidation) }</p></section>
                        },
                    } }
                    if let Some(promise) = &c.promise {
                        { promise_card(i18n.lang, promise) }
                    }
                </div>
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ValidationFormProps {
    id: i64,
    /// The W-04 wording in force, whose version the validation names.
    wording: ChecklistVersion,
    reload: Callback<()>,
    on_lost_race: Callback<()>,
    /// The wording in force is no longer the one shown: load it again.
    on_wording_changed: Callback<()>,
}

/// The W-04 checklist and the two outcomes. RETURN first opens the recommendation field; the
/// second press sends it.
#[component]
fn ValidationForm(props: &ValidationFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let checklist = use_state(Checklist::default);
    let returning = use_state(|| false);
    let recommendation = use_state(String::new);
    let evaluation = use_state(String::new);
    let errors = use_state(BTreeMap::<String, String>::new);
    let failure = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    // The result, asked once more before it is recorded.
    let confirming = use_state(|| None::<ValidationResult>);
    // Said every 15 s while the form is open: who else has this agree open.
    let tick = crate::hooks::use_poll(15_000);
    let viewers =
        crate::hooks::use_quiet_fetch((props.id, tick), |api, (id, _)| async move { api.case_viewing(id).await });
    let also_open: Vec<String> = match &*viewers.state {
        Some(Ok(v)) => v.others.iter().map(|o| o.name.clone()).collect(),
        _ => Vec::new(),
    };
    // A new wording version was signed while this form was open: its ticks were cleared.
    let wording_changed = use_state(|| false);
    let recommendation_ref = use_node_ref();

    // Focus the recommendation as soon as it appears.
    {
        let node = recommendation_ref.clone();
        use_effect_with(*returning, move |open| {
            if let Some(field) = node.cast::<HtmlTextAreaElement>().filter(|_| *open) {
                let _ = field.focus();
            }
        });
    }

    let submit = {
        let (checklist, recommendation, evaluation, errors, failure, busy, reload, on_lost_race, id) = (
            checklist.clone(),
            recommendation.clone(),
            evaluation.clone(),
            errors.clone(),
            failure.clone(),
            busy.clone(),
            props.reload.clone(),
            props.on_lost_race.clone(),
            props.id,
        );
        let (version, wording_changed, on_wording_changed) =
            (props.wording.version, wording_changed.clone(), props.on_wording_changed.clone());
        let confirming = confirming.clone();
        let navigator = yew_router::prelude::use_navigator();
        // The navigation's counts follow at once (one agree fewer in the queue).
        let counts = crate::app::use_tasks().refresh;
        move |result: ValidationResult, confirmed: bool, next: bool| {
            if *busy {
                return;
            }
            let text = recommendation.trim().to_owned();
            let body = NewValidation {
                result,
                checklist: (*checklist).clone(),
                recommendation: (!text.is_empty()).then_some(text),
                evaluation_id: evaluation.trim().parse().ok(),
                checklist_version: Some(version),
            };
            if let Err(found) = check_validation(&body) {
                errors.set(found);
                return;
            }
            errors.set(BTreeMap::new());
            if !confirmed {
                confirming.set(Some(result));
                return;
            }
            confirming.set(None);
            failure.set(None);
            wording_changed.set(false);
            busy.set(true);
            let (api, errors, failure, busy, reload, on_lost_race) =
                (api.clone(), errors.clone(), failure.clone(), busy.clone(), reload.clone(), on_lost_race.clone());
            let (checklist, wording_changed, on_wording_changed) =
                (checklist.clone(), wording_changed.clone(), on_wording_changed.clone());
            let (navigator, counts) = (navigator.clone(), counts.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let done = api.validate_case(id, &body).await;
                if done.is_ok() {
                    counts.emit(());
                }
                match done {
                    // "Record and next": the queue's first agree still waiting, if any.
                    Ok(_) if next => {
                        let queue = CaseFilter { status: Some(CaseStatus::Pending), ..CaseFilter::default() };
                        let waiting = api
                            .list_cases(&queue, 2, None)
                            .await
                            .ok()
                            .and_then(|page| page.items.into_iter().find(|c| c.id != id));
                        match (waiting, &navigator) {
                            (Some(case), Some(navigator)) => navigator.push(&Route::Case { id: case.id }),
                            _ => reload.emit(()),
                        }
                    }
                    Ok(_) => reload.emit(()),
                    // Ticked against wording that is no longer in force: tick the new one.
                    Err(error) if error.code() == Some("checklist_changed") => {
                        checklist.set(Checklist::default());
                        wording_changed.set(true);
                        on_wording_changed.emit(());
                    }
                    Err(error) if error.status() == Some(409) => on_lost_race.emit(()),
                    Err(error) if error.status() == Some(422) && error.fields().is_some() => {
                        errors.set(error.fields().cloned().unwrap_or_default());
                    }
                    Err(error) => failure.set(Some(error)),
                }
                busy.set(false);
            });
        }
    };
    let on_approve = {
        let (submit, returning) = (submit.clone(), returning.clone());
        Callback::from(move |_: MouseEvent| {
            returning.set(false);
            submit(ValidationResult::Approved, false, false);
        })
    };
    let on_return = {
        let (submit, returning) = (submit.clone(), returning.clone());
        Callback::from(move |_: MouseEvent| {
            if *returning {
                submit(ValidationResult::Returned, false, false);
            } else {
                returning.set(true);
            }
        })
    };
    let on_cancel_return = {
        let (returning, errors) = (returning.clone(), errors.clone());
        Callback::from(move |_: MouseEvent| {
            returning.set(false);
            errors.set(BTreeMap::new());
        })
    };

    let items = checklist_labels(i18n.lang, Some(&props.wording.labels()));
    let problem = |field: &str| errors.get(field).map(|code| crate::i18n::field_error(i18n.lang, field, code));
    let (check_error, rec_error, eval_error) =
        (problem("checklist"), problem("recommendation"), problem("evaluation_id"));
    html! {
        <section class="card validation-form" aria-labelledby="validation-title" id="validation-form">
            <h2 id="validation-title" class="card-title">{ i18n.t(K::ValidationTitle) }</h2>
            if let Some(error) = (*failure).clone() {
                <ErrorBanner {error} />
            }
            if *wording_changed {
                <div id="checklist-wording-changed">{ tone_banner(Tone::Warning, i18n.t(K::ChecklistWordingChanged)) }</div>
            }
            <div class={classes!("field", "evaluation-field", eval_error.is_some().then_some("has-error"))}>
                <label for="evaluation-id">{ i18n.t(K::EvaluationIdLabel) }</label>
                <input id="evaluation-id" type="text" inputmode="numeric" value={(*evaluation).clone()} disabled={*busy}
                    aria-invalid={eval_error.is_some().then_some("true")}
                    aria-describedby={eval_error.is_some().then_some("evaluation-error")}
                    oninput={let e = evaluation.clone(); move |ev: InputEvent| e.set(ev.target_unchecked_into::<HtmlInputElement>().value())} />
                if let Some(text) = eval_error {
                    <p class="field-error" id="evaluation-error">{ text }</p>
                } else {
                    <p class="field-hint">{ i18n.t(K::EvaluationIdHint) }</p>
                }
            </div>
            <fieldset class={classes!("checklist", check_error.is_some().then_some("has-error"))}
                aria-describedby={check_error.is_some().then_some("checklist-error")}>
                <legend>{ i18n.t(K::ChecklistTitle) }</legend>
                <p class="field-hint" id="checklist-wording-version" data-version={props.wording.version.to_string()}>
                    { i18n.tf(K::ChecklistWordingVersion, &[&props.wording.version.to_string()]) }
                </p>
                { for items.iter().enumerate().map(|(i, (key, label))| {
                    let checked = match i { 0 => checklist.identity_verified, 1 => checklist.amount_and_date_correct, 2 => checklist.explicit_agreement, _ => checklist.reason_matches };
                    let checklist = checklist.clone();
                    let onchange = Callback::from(move |e: Event| {
                        let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                        let mut next = (*checklist).clone();
                        match i { 0 => next.identity_verified = on, 1 => next.amount_and_date_correct = on, 2 => next.explicit_agreement = on, _ => next.reason_matches = on }
                        checklist.set(next);
                    });
                    let id = format!("check-{key}");
                    html! {
                        <div class="field field-check">
                            <input type="checkbox" id={id.clone()} {checked} {onchange} disabled={*busy} />
                            <label for={id}>{ label.clone() }</label>
                        </div>
                    }
                }) }
                if let Some(text) = check_error {
                    <p class="field-error" id="checklist-error">{ text }</p>
                }
            </fieldset>
            if *returning {
                <div class={classes!("field", rec_error.is_some().then_some("has-error"))}>
                    <label for="recommendation">{ i18n.t(K::RecommendationLabel) }<span class="req" aria-hidden="true">{ " *" }</span></label>
                    <textarea id="recommendation" rows="4" ref={recommendation_ref} value={(*recommendation).clone()} disabled={*busy}
                        aria-required="true" aria-invalid={rec_error.is_some().then_some("true")}
                        aria-describedby={rec_error.is_some().then_some("recommendation-error")}
                        oninput={let r = recommendation.clone(); move |e: InputEvent| r.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())} />
                    if let Some(text) = rec_error {
                        <p class="field-error" id="recommendation-error">{ text }</p>
                    } else {
                        <p class="field-hint">{ i18n.t(K::RecommendationHint) }</p>
                    }
                </div>
            }
            if !also_open.is_empty() {
                <p class="banner banner-warning" id="also-open" role="status">{ i18n.tf(K::AlsoOpenBy, &[&also_open.join(", ")]) }</p>
            }
            if let Some(result) = *confirming {
                <Dialog id="confirm-validation-dialog"
                    title={i18n.t(if result == ValidationResult::Approved { K::ConfirmApproveTitle } else { K::ConfirmReturnTitle })}
                    on_close={let c = confirming.clone(); Callback::from(move |()| c.set(None))}>
                    <p>{ i18n.t(K::ConfirmValidationText) }</p>
                    <div class="form-actions">
                        <button type="button" id="confirm-validation"
                            class={if result == ValidationResult::Approved { "btn btn-primary" } else { "btn btn-danger" }}
                            onclick={let submit = submit.clone(); move |_| submit(result, true, false)}>
                            { i18n.t(if result == ValidationResult::Approved { K::Approve } else { K::SendReturn }) }
                        </button>
                        <button type="button" id="confirm-validation-next" class="btn btn-secondary"
                            onclick={let submit = submit.clone(); move |_| submit(result, true, true)}>{ i18n.t(K::RecordAndNext) }</button>
                        <button type="button" id="cancel-validation" class="btn btn-secondary"
                            onclick={let c = confirming.clone(); move |_| c.set(None)}>{ i18n.t(K::Cancel) }</button>
                    </div>
                </Dialog>
            }
            <div class="validation-actions">
                if *returning {
                    <button type="button" id="cancel-return" class="btn btn-secondary" onclick={on_cancel_return} disabled={*busy}>{ i18n.t(K::Cancel) }</button>
                    <button type="button" id="validate-return" class="btn btn-danger" onclick={on_return} disabled={*busy}>{ i18n.t(K::SendReturn) }</button>
                } else {
                    <button type="button" id="validate-approve" class="btn btn-primary" onclick={on_approve} disabled={*busy}>{ i18n.t(K::Approve) }</button>
                    <button type="button" id="validate-return" class="btn btn-danger" onclick={on_return} disabled={*busy}>{ i18n.t(K::ReturnAction) }</button>
                }
            </div>
        </section>
    }
}

/// The F-19 record of a validation: the checklist in the wording of the version it was made
/// with; one recorded before wording versions shows the default wording, marked as such.
fn validation_record(lang: Lang, v: &Validation) -> Html {
    let ticks = [
        v.checklist.identity_verified,
        v.checklist.amount_and_date_correct,
        v.checklist.explicit_agreement,
        v.checklist.reason_matches,
    ];
    let status = match v.result {
        ValidationResult::Approved => CaseStatus::Approved,
        ValidationResult::Returned => CaseStatus::Returned,
    };
    let mut rows = vec![
        fact(
            t(lang, K::ResultLabel),
            "result",
            html! { <span id="record-result">{ case_status_badge(lang, status) }</span> },
        ),
        fact(t(lang, K::ValidatedBy), "qco", html! { <span id="record-qco">{ v.qco_name.clone() }</span> }),
        fact(t(lang, K::ValidatedAt), "validated-at", txt(long_datetime(lang, &v.validated_at))),
        fact(
            t(lang, K::RetainUntil),
            "retain-until",
            html! { <span id="record-retain">{ long_date(lang, &v.retain_until) }</span> },
        ),
    ];
    let versioned = v.checklist_version.zip(v.checklist_wording.as_ref());
    if let Some((n, _)) = versioned {
        rows.push(fact(
            t(lang, K::ChecklistWordingLabel),
            "wording",
            html! { <span id="record-wording" data-version={n.to_string()}>{ tf(lang, K::ChecklistWordingVersion, &[&n.to_string()]) }</span> },
        ));
    }
    // Recorded before wording versions: the built-in default wording, marked as such below.
    let defaults = ChecklistLabels::default();
    let labels = checklist_labels(lang, Some(versioned.map_or(&defaults, |(_, wording)| wording)));
    if let Some(eval) = v.evaluation_id {
        rows.push(fact(
            t(lang, K::EvaluationIdLabel),
            "evaluation",
            html! { <RouteLink to={Route::Evaluation { id: eval }}>{ format!("#{eval}") }</RouteLink> },
        ));
    }
    html! {
        <section class="card" aria-labelledby="record-title" id="validation-record" data-result={status.as_str()}>
            <h2 id="record-title" class="card-title">{ t(lang, K::ValidationRecordTitle) }</h2>
            <dl class="facts">{ for rows }</dl>
            <ul class="check-results" aria-label={t(lang, K::ChecklistTitle)}>
                { for labels.into_iter().zip(ticks).map(|((key, label), ok)| html! {
                    <li data-item={key} data-ok={ok.to_string()} class={if ok { "check-ok" } else { "check-no" }}>
                        <span class="check-mark" aria-hidden="true">{ if ok { "✓" } else { "✗" } }</span>
                        <span>{ label }</span>
                        <span class="sr-only">{ t(lang, if ok { K::Yes } else { K::No }) }</span>
                    </li>
                }) }
            </ul>
            if versioned.is_none() {
                <p class="muted small" id="record-wording-unversioned">{ t(lang, K::ChecklistWordingUnversioned) }</p>
            }
            if let Some(text) = &v.recommendation {
                <div class="recommendation" id="record-recommendation">
                    <p class="sub-title">{ t(lang, K::RecommendationLabel) }</p>
                    <p class="plain">{ text.clone() }</p>
                </div>
            }
            if let Some(followup) = v.followup_id {
                <RouteLink to={Route::Followup { id: followup }} class="btn btn-secondary" id={AttrValue::Static("open-followup")}>
                    { t(lang, K::OpenFollowup) }
                </RouteLink>
            }
        </section>
    }
}
