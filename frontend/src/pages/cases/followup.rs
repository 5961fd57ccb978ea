//! `/followups/{id}`: one W-03 follow-up — the case, QC's recommendation, the history. The agent
//! records the re-care (what was done, the new call's reference and time); QC verifies it: close,
//! or reopen with a comment, which the agent then sees on top of the page. The head shows the
//! agent's due date and, while it waits for QC, QC's deadline; the history shows every due date
//! and deadline, and marks a step taken after its own.

use crate::api::ApiError;
use crate::app::{IdProps, Route, use_api, use_auth, use_i18n, use_tasks, use_title};
use crate::components::badges::{followup_status_badge, overdue_mark, verify_overdue_mark};
use crate::components::cases::case_facts;
use crate::components::doc_parts::RouteLink;
use crate::components::parts::form_actions;
use crate::components::status::{ErrorBanner, Loading, Tone, tone_banner};
use crate::datetime::{local_input_to_rfc3339, long_date, long_datetime, now_local_input};
use crate::hooks::POLL_MS;
use crate::hooks::{use_poll, use_quiet_fetch};
use crate::i18n::{K, followup_step_key};
use domain::cases::{Followup, FollowupStatus, FollowupStep, FollowupStepKind, RecareRequest, VerifyRequest};
use domain::{Action, Role, can};
use std::collections::BTreeMap;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[component]
pub fn FollowupPage(props: &IdProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::FollowupTitle));
    let tick = use_poll(POLL_MS);
    let followup = use_quiet_fetch((props.id, tick), |api, (id, _)| async move { api.get_followup(id).await });
    let body = match &*followup.state {
        None => html! { <Loading /> },
        Some(Err(error)) => html! { <ErrorBanner error={error.clone()} on_retry={followup.reload.clone()} /> },
        Some(Ok(f)) => html! { <FollowupView followup={f.clone()} reload={followup.reload.clone()} /> },
    };
    html! { <section class="page" data-page="followup" data-followup-id={props.id.to_string()}>{ body }</section> }
}

#[derive(Properties, PartialEq)]
struct FollowupViewProps {
    followup: Followup,
    reload: Callback<()>,
}

#[component]
fn FollowupView(props: &FollowupViewProps) -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    let f = &props.followup;
    let role = auth.user().map(|u| u.role).unwrap_or(Role::Agent);
    let case = use_quiet_fetch(f.case_id, |api, id| async move { api.get_case(id).await });
    let may_recare = role == Role::Agent && f.status.awaits_agent();
    // Said once the agent's re-care is recorded; the navigation's counts follow at once.
    let recared = use_state(|| false);
    let tasks = use_tasks();
    let on_recared = {
        let (recared, reload, refresh) = (recared.clone(), props.reload.clone(), tasks.refresh.clone());
        Callback::from(move |()| {
            recared.set(true);
            refresh.emit(());
            reload.emit(());
        })
    };
    let may_verify = can(role, Action::VerifyFollowups) && f.status == FollowupStatus::Recared;

    let case_facts = match &*case.state {
        None => html! { <Loading /> },
        Some(Err(error)) => html! { <ErrorBanner error={error.clone()} /> },
        Some(Ok(c)) => case_facts(i18n.lang, c),
    };
    let late = steps_after_deadline(&f.history);
    let history = html! {
        <ol class="history-list" id="followup-history">
            { for f.history.iter().zip(late).map(|(step, late)| html! {
                <li data-step={step.step.as_str()} data-late={late.to_string()}>
                    <div class="history-head">
                        <strong>{ i18n.t(followup_step_key(step.step)) }</strong>
                        <span class="muted small">{ format!("{} · {}", step.by, long_datetime(i18n.lang, &step.at)) }</span>
                        if late {
                            <span class="deadline-late small">{ i18n.t(K::StepAfterDeadline) }</span>
                        }
                    </div>
                    if let Some(due) = &step.due_at {
                        <p class="muted small step-due" data-due={due.clone()}>{ i18n.tf(K::StepDueAt, &[&long_datetime(i18n.lang, due)]) }</p>
                    }
                    if let Some(due) = &step.verify_due_at {
                        <p class="muted small step-verify-due" data-verify-due={due.clone()}>{ i18n.tf(K::StepVerifyDueAt, &[&long_datetime(i18n.lang, due)]) }</p>
                    }
                    if let Some(note) = &step.note {
                        <p class="plain">{ note.clone() }</p>
                    }
                    if let Some(day) = &step.promise_date {
                        <p class="small step-promise" data-promise={day.clone()}>{ i18n.tf(K::StepNewPromise, &[&long_date(i18n.lang, day)]) }</p>
                    }
                    if step.recare_call_ref.is_some() || step.recared_at.is_some() {
                        <p class="muted small">
                            { step.recare_call_ref.clone().map(|r| format!("{}: {r}", i18n.t(K::RecareCallRef))).unwrap_or_default() }
                            { step.recared_at.as_ref().map(|t| format!(" · {}: {}", i18n.t(K::RecaredAt), long_datetime(i18n.lang, t))).unwrap_or_default() }
                        </p>
                    }
                </li>
            }) }
        </ol>
    };

    html! {
        <>
            <header class="page-head">
                <p class="eyebrow"><RouteLink to={Route::Followups}>{ i18n.t(K::NavFollowups) }</RouteLink>{ format!(" / #{}", f.id) }</p>
                <h1 class="title-with-badge">
                    <span>{ f.customer_name.clone() }</span>
                    <span id="followup-status">{ followup_status_badge(i18n.lang, f.status) }</span>
                    if f.overdue { { overdue_mark(i18n.lang) } }
                </h1>
                <p class="muted">
                    <span id="followup-due">{ i18n.tf(K::FollowupDue, &[&long_datetime(i18n.lang, &f.due_at)]) }</span>
                    if let Some(due) = &f.verify_due_at {
                        { " · " }
                        <span id="followup-verify-due">{ i18n.tf(K::FollowupVerifyDue, &[&long_datetime(i18n.lang, due)]) }</span>
                        if f.verify_overdue { { " " }{ verify_overdue_mark(i18n.lang) } }
                    }
                    { " · " }{ format!("{} ({})", f.agent_name, f.agent_username) }
                </p>
            </header>
            if f.status == FollowupStatus::Reopened {
                if let Some(comment) = &f.last_comment {
                    <div class="banner banner-warning reopen-banner" role="alert" id="reopen-comment">
                        <span class="banner-text"><strong>{ i18n.t(K::ReopenedBecause) }</strong>{ " " }{ comment.clone() }</span>
                    </div>
                }
            }
            <div class="grid grid-main-side">
                <div class="stack">
                    <section class="card recommendation-card" aria-labelledby="recommendation-title">
                        <h2 id="recommendation-title" class="card-title">{ i18n.t(K::RecommendationFromQc) }</h2>
                        <p class="recommendation-text plain" id="followup-recommendation">{ f.recommendation.clone() }</p>
                    </section>
                    if *recared && f.status == FollowupStatus::Recared {
                        <div id="recare-done">
                            { tone_banner(Tone::Success, match &f.verify_due_at {
                                Some(due) => i18n.tf(K::RecareDoneBy, &[&long_datetime(i18n.lang, due)]),
                                None => i18n.t(K::RecareDone).to_owned(),
                            }) }
                        </div>
                    }
                    if may_recare {
                        <RecareForm id={f.id} reload={on_recared} />
                    }
                    if may_verify {
                        <VerifyForm id={f.id} reload={props.reload.clone()} />
                    }
                    if f.status == FollowupStatus::Closed {
                        if f.closed_in_time == Some(false) {
                            <div id="closed-late">
                                if f.late_recares > 0 {
                                    { tone_banner(Tone::Warning, i18n.tf(K::ClosedAgentLate, &[&f.late_recares.to_string()])) }
                                }
                                if f.late_verifications > 0 {
                                    { tone_banner(Tone::Warning, i18n.tf(K::ClosedQcLate, &[&f.late_verifications.to_string()])) }
                                }
                            </div>
                        } else {
                            { tone_banner(Tone::Success, i18n.t(K::ClosedInTime)) }
                        }
                    }
                    <section class="card" aria-labelledby="history-title">
                        <h2 id="history-title" class="card-title">{ i18n.t(K::FollowupHistoryTitle) }</h2>
                        { history }
                    </section>
                </div>
                <section class="card" aria-labelledby="followup-case-title">
                    <div class="card-head">
                        <h2 id="followup-case-title" class="card-title">{ i18n.t(K::CaseFacts) }</h2>
                        <RouteLink to={Route::Case { id: f.case_id }} class="btn btn-secondary btn-small">{ i18n.t(K::OpenCase) }</RouteLink>
                    </div>
                    { case_facts }
                </section>
            </div>
        </>
    }
}

/// For each step of a history, whether it came after the deadline it answered: a re-care after
/// the due date of its round (set by the opening or reopening before it), a verification (close
/// or reopen) after QC's deadline (set by the re-care before it). Timestamps are the API's UTC
/// text, so they compare as text.
pub fn steps_after_deadline(history: &[FollowupStep]) -> Vec<bool> {
    let (mut due, mut verify_due) = (None::<&str>, None::<&str>);
    history
        .iter()
        .map(|step| match step.step {
            FollowupStepKind::Recared => {
                verify_due = step.verify_due_at.as_deref();
                due.is_some_and(|d| step.at.as_str() > d)
            }
            _ => {
                let late = step.step != FollowupStepKind::Opened && verify_due.is_some_and(|d| step.at.as_str() > d);
                due = step.due_at.as_deref().or(due);
                late
            }
        })
        .collect()
}

#[derive(Properties, PartialEq)]
struct ActionFormProps {
    id: i64,
    reload: Callback<()>,
}

/// The agent's re-care: what was done, the new call's reference and its time (WIB).
#[component]
fn RecareForm(props: &ActionFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let note = use_state(String::new);
    let call_ref = use_state(String::new);
    // The time as first shown: left as it is, "now" is sent to the second (a re-care recorded in
    // the minute of the RETURN would otherwise seem to come before it).
    let shown_at = use_state(|| now_local_input(false));
    let at = use_state(|| (*shown_at).clone());
    let promise = use_state(String::new);
    let errors = use_state(BTreeMap::<String, String>::new);
    let failure = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);

    let onsubmit = {
        let promise = promise.clone();
        let (note, call_ref, at, shown_at, errors, failure, busy, reload, id) = (
            note.clone(),
            call_ref.clone(),
            at.clone(),
            shown_at.clone(),
            errors.clone(),
            failure.clone(),
            busy.clone(),
            props.reload.clone(),
            props.id,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let mut found = BTreeMap::new();
            if note.trim().is_empty() {
                found.insert("note".to_owned(), "required".to_owned());
            }
            if call_ref.trim().is_empty() {
                found.insert("recare_call_ref".to_owned(), "required".to_owned());
            }
            let when = if *at == *shown_at {
                local_input_to_rfc3339(&now_local_input(true))
            } else {
                local_input_to_rfc3339(&at)
            };
            if when.is_none() {
                found.insert("recared_at".to_owned(), domain::problems::Problem::InvalidTimestamp.into());
            }
            errors.set(found.clone());
            if !found.is_empty() {
                return;
            }
            let body = RecareRequest {
                note: note.trim().to_owned(),
                recare_call_ref: call_ref.trim().to_owned(),
                recared_at: when.unwrap_or_default(),
                promise_date: Some(promise.trim().to_owned()).filter(|d| !d.is_empty()),
            };
            failure.set(None);
            busy.set(true);
            let (api, failure, busy, reload, errors) =
                (api.clone(), failure.clone(), busy.clone(), reload.clone(), errors.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.recare_followup(id, &body).await {
                    Ok(_) => reload.emit(()),
                    Err(error) if error.status() == Some(422) && error.fields().is_some() => {
                        errors.set(error.fields().cloned().unwrap_or_default());
                    }
                    Err(error) => failure.set(Some(error)),
                }
                busy.set(false);
            });
        })
    };
    let err = |field: &str| errors.get(field).map(|code| crate::i18n::field_error(i18n.lang, field, code));
    let note_error = err("note");
    let ref_error = err("recare_call_ref");
    let at_error = err("recared_at");
    let promise_error = err("promise_date");
    html! {
        <section class="card" aria-labelledby="recare-title" id="recare-form">
            <h2 id="recare-title" class="card-title">{ i18n.t(K::RecareTitle) }</h2>
            <p class="muted small">{ i18n.t(K::RecareIntro) }</p>
            if let Some(error) = (*failure).clone() {
                <ErrorBanner {error} />
            }
            <form class="form-stack" {onsubmit} novalidate=true>
                <div class={classes!("field", note_error.is_some().then_some("has-error"))}>
                    <label for="recare-note">{ i18n.t(K::RecareNote) }<span class="req" aria-hidden="true">{ " *" }</span></label>
                    <textarea id="recare-note" rows="3" value={(*note).clone()} disabled={*busy} aria-required="true"
                        aria-invalid={note_error.is_some().then_some("true")}
                        oninput={let n = note.clone(); move |e: InputEvent| n.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())} />
                    if let Some(text) = note_error { <p class="field-error">{ text }</p> }
                </div>
                <div class="form-row">
                    <div class={classes!("field", ref_error.is_some().then_some("has-error"))}>
                        <label for="recare-call-ref">{ i18n.t(K::RecareCallRef) }<span class="req" aria-hidden="true">{ " *" }</span></label>
                        <input id="recare-call-ref" type="text" value={(*call_ref).clone()} disabled={*busy} aria-required="true"
                            aria-invalid={ref_error.is_some().then_some("true")}
                            oninput={let r = call_ref.clone(); move |e: InputEvent| r.set(e.target_unchecked_into::<HtmlInputElement>().value())} />
                        if let Some(text) = ref_error { <p class="field-error">{ text }</p> }
                    </div>
                    <div class={classes!("field", at_error.is_some().then_some("has-error"))}>
                        <label for="recare-at">{ crate::i18n::tf(i18n.lang, K::RecaredAtZone, &[&crate::datetime::zone_label()]) }<span class="req" aria-hidden="true">{ " *" }</span></label>
                        <input id="recare-at" type="datetime-local" value={(*at).clone()} disabled={*busy}
                            aria-invalid={at_error.is_some().then_some("true")}
                            oninput={let a = at.clone(); move |e: InputEvent| a.set(e.target_unchecked_into::<HtmlInputElement>().value())} />
                        if let Some(text) = at_error { <p class="field-error">{ text }</p> }
                    </div>
                </div>
                <div class={classes!("field", promise_error.is_some().then_some("has-error"))}>
                    <label for="recare-promise">{ i18n.t(K::RecarePromise) }</label>
                    <input id="recare-promise" type="date" value={(*promise).clone()} disabled={*busy}
                        aria-invalid={promise_error.is_some().then_some("true")} aria-describedby="recare-promise-hint"
                        oninput={let p = promise.clone(); move |e: InputEvent| p.set(e.target_unchecked_into::<HtmlInputElement>().value())} />
                    <p class="field-hint" id="recare-promise-hint">{ i18n.t(K::RecarePromiseHint) }</p>
                    if let Some(text) = promise_error { <p class="field-error">{ text }</p> }
                </div>
                { form_actions(i18n.lang, "recare-submit", K::RecareSubmit, Some(K::Saving), *busy, None) }
            </form>
        </section>
    }
}

/// QC's verification: close, or reopen with a comment for the agent.
#[component]
fn VerifyForm(props: &ActionFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let comment = use_state(String::new);
    let comment_error = use_state(|| false);
    let failure = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);

    let decide = {
        let (comment, comment_error, failure, busy, reload, id) =
            (comment.clone(), comment_error.clone(), failure.clone(), busy.clone(), props.reload.clone(), props.id);
        move |decision: &'static str| {
            let (api, comment, comment_error, failure, busy, reload) =
                (api.clone(), comment.clone(), comment_error.clone(), failure.clone(), busy.clone(), reload.clone());
            Callback::from(move |_: MouseEvent| {
                if *busy {
                    return;
                }
                let text = comment.trim().to_owned();
                if decision == "reopen" && text.is_empty() {
                    comment_error.set(true);
                    return;
                }
                comment_error.set(false);
                failure.set(None);
                busy.set(true);
                let body = VerifyRequest { decision: decision.to_owned(), comment: text };
                let (api, failure, busy, reload) = (api.clone(), failure.clone(), busy.clone(), reload.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match api.verify_followup(id, &body).await {
                        Ok(_) => reload.emit(()),
                        Err(error) => {
                            if error.status() == Some(409) {
                                reload.emit(());
                            }
                            failure.set(Some(error));
                        }
                    }
                    busy.set(false);
                });
            })
        }
    };
    html! {
        <section class="card" aria-labelledby="verify-title" id="verify-form">
            <h2 id="verify-title" class="card-title">{ i18n.t(K::VerifyTitle) }</h2>
            <p class="muted small">{ i18n.t(K::VerifyIntro) }</p>
            if let Some(error) = (*failure).clone() {
                <ErrorBanner {error} />
            }
            <div class={classes!("field", comment_error.then_some("has-error"))}>
                <label for="verify-comment">{ i18n.t(K::VerifyComment) }</label>
                <textarea id="verify-comment" rows="3" value={(*comment).clone()} disabled={*busy}
                    aria-invalid={comment_error.then_some("true")}
                    aria-describedby={comment_error.then_some("verify-comment-error")}
                    oninput={let c = comment.clone(); move |e: InputEvent| c.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())} />
                if *comment_error {
                    <p class="field-error" id="verify-comment-error">{ i18n.t(K::ReopenNeedsComment) }</p>
                } else {
                    <p class="field-hint">{ i18n.t(K::VerifyCommentHint) }</p>
                }
            </div>
            <div class="form-actions">
                <button type="button" id="verify-reopen" class="btn btn-danger" onclick={decide("reopen")} disabled={*busy}>{ i18n.t(K::Reopen) }</button>
                <button type="button" id="verify-close" class="btn btn-primary" onclick={decide("close")} disabled={*busy}>{ i18n.t(K::CloseFollowup) }</button>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(step: &str, at: &str, due: Option<&str>, verify_due: Option<&str>) -> FollowupStep {
        FollowupStep {
            promise_date: None,
            step: step.parse().unwrap(),
            by: "x".into(),
            at: at.into(),
            note: None,
            recare_call_ref: None,
            recared_at: None,
            due_at: due.map(Into::into),
            verify_due_at: verify_due.map(Into::into),
        }
    }

    #[test]
    fn each_step_is_held_to_its_own_deadline() {
        let history = [
            step("opened", "2025-05-02T02:00:00.000000Z", Some("2025-05-06T16:59:59.000000Z"), None),
            // On time; QC's deadline the next working day.
            step("recared", "2025-05-05T03:00:00.000000Z", None, Some("2025-05-06T16:59:59.000000Z")),
            // QC late; a fresh due date for the agent.
            step("reopened", "2025-05-08T03:00:00.000000Z", Some("2025-05-12T16:59:59.000000Z"), None),
            // After the first due date but before the fresh one: on time.
            step("recared", "2025-05-12T08:00:00.000000Z", None, Some("2025-05-13T16:59:59.000000Z")),
            step("closed", "2025-05-13T08:00:00.000000Z", None, None),
        ];
        assert_eq!(steps_after_deadline(&history), [false, false, true, false, false]);
        // A reopening recorded without a due date (before they were kept) leaves the round's.
        let old = [
            step("opened", "2025-05-02T02:00:00.000000Z", Some("2025-05-06T16:59:59.000000Z"), None),
            step("recared", "2025-05-05T03:00:00.000000Z", None, None),
            step("reopened", "2025-05-05T04:00:00.000000Z", None, None),
            step("recared", "2025-05-07T03:00:00.000000Z", None, None),
        ];
        assert_eq!(steps_after_deadline(&old), [false, false, false, true]);
    }
}
