//! `/evaluations/{id}`: one F-18 sheet. Its header (agent, QCO, call, service, bucket, form
//! version, the score, the fatal mark, status, retention), each parameter's result and comment by
//! section, the dispute and the amendment history. The agent acknowledges or disputes a new sheet;
//! the QC coordinator upholds a disputed one or amends its answers (live score, comment required).
//! The QCO's own draft opens in the scoring editor.

use crate::app::{IdProps, Route, use_api, use_auth, use_i18n, use_title};
use crate::components::dialog::Dialog;
use crate::components::doc_parts::{RouteLink, date_or_dash};
use crate::components::fields::required_area;
use crate::components::parts::{DownloadButton, recording};
use crate::components::score_editor::ScoreEditor;
use crate::components::score_sheet::{format_score, score_box, score_sheet};
use crate::components::scoring::eval_status;
use crate::components::status::{ErrorBanner, Loading, Tone, tone_banner};
use crate::datetime::long_datetime;
use crate::hooks::{Load, Sending, use_fetch, use_sending};
use crate::i18n::{K, field_error};
use domain::Role;
use domain::documents::Actor;
use domain::scoring::{
    Answer, AnswerValue, DisputeDecision, DisputeRequest, Evaluation, EvaluationAction, EvaluationStatus,
    ResolveRequest, Score, ScoringForm, check_answers, evaluation_transition,
};
use std::collections::BTreeMap;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[component]
pub fn EvaluationPage(props: &IdProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::EvaluationTitle));
    let auth = use_auth();
    let data = use_fetch(props.id, |api, id| async move {
        let evaluation = api.get_evaluation(id).await?;
        let form = api.get_scoring_form(evaluation.form_id).await?;
        Ok((evaluation, form))
    });
    let Some(user) = auth.user().cloned() else { return Html::default() };
    let reload = data.reload.clone();
    let body = match &*data.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={data.reload.clone()} /> },
        Load::Ready((evaluation, form)) => {
            let own_draft =
                evaluation.status == EvaluationStatus::Draft && evaluation.qco_id == user.id && user.role == Role::Qco;
            if own_draft {
                let on_saved = {
                    let reload = reload.clone();
                    Callback::from(move |_: Evaluation| reload.emit(()))
                };
                html! {
                    <>
                        <header class="page-head page-head-row">
                            <div>
                                <p class="eyebrow">{ i18n.tf(K::SheetNumber, &[&evaluation.id.to_string()]) }</p>
                                <h1 class="title-with-badge">{ i18n.t(K::ContinueDraft) }{ eval_status(i18n.lang, evaluation.status) }</h1>
                            </div>
                        </header>
                        <ScoreEditor key={evaluation.version} form={form.clone()} draft={Some(evaluation.clone())} {on_saved} />
                    </>
                }
            } else {
                html! { <SheetView evaluation={evaluation.clone()} form={form.clone()} role={user.role} user_id={user.id} /> }
            }
        }
    };
    html! { <section class="page" data-page="evaluation" data-id={props.id.to_string()}>{ body }</section> }
}

#[derive(Properties, PartialEq)]
struct SheetViewProps {
    evaluation: Evaluation,
    form: ScoringForm,
    role: Role,
    user_id: i64,
}

/// What the page is sending.
#[derive(Clone, Copy, PartialEq)]
enum Step {
    Acknowledge,
    Dispute,
    Uphold,
    Amend,
}

/// A sheet as it stands, with the agent's and the coordinator's actions.
#[component]
fn SheetView(props: &SheetViewProps) -> Html {
    let i18n = use_i18n();
    let lang = i18n.lang;
    let api = use_api();
    let current = use_state(|| props.evaluation.clone());
    let notice = use_state(|| None::<K>);
    let sending = use_sending();
    let disputing = use_state(|| false);
    let reason = use_state(String::new);
    // The coordinator's amendment: the answers as edited, the decision note, their problems.
    let edited = use_state(|| props.evaluation.answers.clone());
    let note = use_state(String::new);
    let Sending { errors, failure, busy } = sending.clone();
    let e = &*current;
    let form = &props.form;
    let may = |action: EvaluationAction| evaluation_transition(e.status, action, Actor::User(props.role)).is_ok();
    let is_agent_owner = props.role == Role::Agent && e.agent_id == props.user_id;
    let resolving = props.role == Role::QcCoordinator && may(EvaluationAction::Resolve);
    let changed = *edited != e.answers;

    let send = {
        let (api, current, notice, sending, disputing) =
            (api.clone(), current.clone(), notice.clone(), sending.clone(), disputing.clone());
        let (reason, edited, note, sections) = (reason.clone(), edited.clone(), note.clone(), form.sections.clone());
        let id = e.id;
        Callback::from(move |step: Step| {
            if *sending.busy {
                return;
            }
            let mut found = BTreeMap::new();
            if step == Step::Dispute && reason.trim().is_empty() {
                found.insert("reason".to_owned(), "required".to_owned());
            }
            if matches!(step, Step::Uphold | Step::Amend) && note.trim().is_empty() {
                found.insert("comment".to_owned(), "required".to_owned());
            }
            if step == Step::Amend
                && let Err(problems) = check_answers(&sections, &edited, true)
            {
                found.extend(problems);
            }
            if !sending.checked((!found.is_empty()).then_some(found)) {
                return;
            }
            sending.start();
            let (api, current, notice, sending, disputing) =
                (api.clone(), current.clone(), notice.clone(), sending.clone(), disputing.clone());
            let (reason, answers, comment) = (reason.trim().to_owned(), (*edited).clone(), note.trim().to_owned());
            wasm_bindgen_futures::spawn_local(async move {
                let (result, said) = match step {
                    Step::Acknowledge => (api.acknowledge_evaluation(id).await, K::AcknowledgedNotice),
                    Step::Dispute => (api.dispute_evaluation(id, &DisputeRequest { reason }).await, K::DisputedNotice),
                    Step::Uphold | Step::Amend => {
                        let amend = step == Step::Amend;
                        let body = ResolveRequest {
                            decision: if amend { "amend" } else { "uphold" }.to_owned(),
                            answers: amend.then_some(answers),
                            comment,
                        };
                        (
                            api.resolve_evaluation(id, &body).await,
                            if amend { K::AmendedNotice } else { K::UpheldNotice },
                        )
                    }
                };
                sending.busy.set(false);
                match result {
                    Ok(next) => {
                        disputing.set(false);
                        current.set(next);
                        notice.set(Some(said));
                    }
                    Err(error) => {
                        if let Some(fields) = error.fields() {
                            sending.errors.set(fields.clone());
                        }
                        sending.failure.set(Some(error));
                    }
                }
            });
        })
    };
    let on = |step: Step| {
        let send = send.clone();
        Callback::from(move |_: MouseEvent| send.emit(step))
    };
    let area = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let problem = |field: &str| errors.get(field).map(|p| field_error(lang, field, p));
    let dash = i18n.t(K::NoneDash).to_owned();
    let facts: [(K, String, &str); 10] = [
        (K::AgentLabel, format!("{} ({})", e.agent_name, e.agent_username), "agent"),
        (K::QcoLabel, e.qco_name.clone(), "qco"),
        (K::CallRefLabel, e.call_ref.clone(), "call-ref"),
        (K::CallAtLabel, long_datetime(lang, &e.call_at), "call-at"),
        (K::ServiceLabel, e.service.label().to_owned(), "service"),
        (K::BucketLabel, e.bucket.label().to_owned(), "bucket"),
        (K::RecordingRefLabel, e.recording_ref.clone().unwrap_or_else(|| dash.clone()), "recording"),
        (K::FormLabel, format!("{} · v{}", form.code, e.form_version), "form"),
        (
            K::SubmittedAt,
            e.submitted_at.as_deref().map_or_else(|| dash.clone(), |t| long_datetime(lang, t)),
            "submitted-at",
        ),
        (K::RetainUntil, date_or_dash(lang, e.retain_until.as_deref()), "retain-until"),
    ];
    let error_banner = (*failure).clone().map(|error| html! { <ErrorBanner {error} /> }).unwrap_or_default();
    let live = domain::scoring::score(&form.sections, &edited);
    html! {
        <>
            <header class="page-head page-head-row">
                <div>
                    <p class="eyebrow">
                        <RouteLink to={Route::Evaluations}>{ i18n.t(K::EvaluationsTitle) }</RouteLink>
                        { " / " }{ i18n.tf(K::SheetNumber, &[&e.id.to_string()]) }
                    </p>
                    <h1 class="title-with-badge">{ e.agent_name.clone() }{ eval_status(lang, e.status) }</h1>
                    <p class="muted">{ format!("{} · {} · {}", e.call_ref, e.service.label(), e.bucket.label()) }</p>
                </div>
                <DownloadButton id="sheet-xlsx" path={format!("/api/evaluations/{}/xlsx", e.id)} name={format!("F-18_{}.xlsx", e.id)} label={K::DownloadXlsx} />
            </header>
            if let Some(key) = *notice {
                { tone_banner(Tone::Success, i18n.t(key)) }
            }
            <div class="grid grid-main-side">
                <div class="stack">
                    <section class="card" aria-label={i18n.t(K::CallDetails)}>
                        <dl class="facts facts-2">
                            { for facts.into_iter().map(|(k, v, f)| {
                                // The recording reference links to where it is played (`MUTU_RECORDING_URL`).
                                let v = if f == "recording" && e.recording_ref.is_some() { recording(&v) } else { Html::from(v) };
                                html! { <div><dt>{ i18n.t(k) }</dt><dd data-field={f}>{ v }</dd></div> }
                            }) }
                        </dl>
                    </section>
                    if let Some(d) = &e.dispute {
                        <section class="card dispute-card" aria-labelledby="dispute-title" data-section="dispute">
                            <h2 id="dispute-title" class="card-title">{ i18n.t(K::DisputeTitle) }</h2>
                            <p id="dispute-reason" class="quote">{ d.reason.clone() }</p>
                            <p class="muted small">{ long_datetime(lang, &d.disputed_at) }</p>
                            if let Some(decision) = &d.decision {
                                <p id="dispute-decision">
                                    <strong>{ i18n.t(if *decision == DisputeDecision::Amend { K::DecisionAmended } else { K::DecisionUpheld }) }</strong>
                                    { d.resolved_by.as_ref().map(|b| format!(" · {b}")).unwrap_or_default() }
                                    { d.resolved_at.as_ref().map(|t| format!(" · {}", long_datetime(lang, t))).unwrap_or_default() }
                                </p>
                                if let Some(c) = &d.resolution_comment {
                                    <p class="quote">{ c.clone() }</p>
                                }
                            }
                        </section>
                    }
                    if resolving {
                        <section class="card resolve-card" aria-labelledby="resolve-title" data-section="resolve">
                            <div class="card-head">
                                <h2 id="resolve-title" class="card-title">{ i18n.t(K::ResolveTitle) }</h2>
                                <span class="small muted">{ i18n.t(K::ResolveIntro) }</span>
                            </div>
                            <div class="resolve-score">
                                <span>{ i18n.t(K::ScoreNow) }{ " " }<strong>{ format_score(lang, e.score) }</strong></span>
                                <span>{ "→" }</span>
                                <span>{ i18n.t(K::ScoreAmended) }{ " " }<strong id="amended-score" data-score={format!("{:.2}", live.score)}
                                    class={classes!(live.fatal.then_some("text-danger"))}>{ format_score(lang, live.score) }</strong></span>
                            </div>
                            { score_sheet(lang, &form.sections, &edited, &errors, Some({ let a = edited.clone(); Callback::from(move |next: Vec<Answer>| a.set(next)) })) }
                            { required_area("resolve-comment", "resolve-comment-error", i18n.t(K::ResolveComment), "3", (*note).clone(), area(&note), problem("comment")) }
                            { error_banner.clone() }
                            <div class="form-actions">
                                <button type="button" id="uphold" class="btn btn-secondary" disabled={*busy || changed}
                                    title={changed.then(|| i18n.t(K::UpholdDisabledHint))} onclick={on(Step::Uphold)}>{ i18n.t(K::Uphold) }</button>
                                <button type="button" id="amend" class="btn btn-primary" disabled={*busy || !changed} onclick={on(Step::Amend)}>{ i18n.t(K::Amend) }</button>
                            </div>
                        </section>
                    } else {
                        <section class="card" aria-labelledby="answers-title">
                            <h2 id="answers-title" class="card-title">{ i18n.t(K::SheetTitle) }</h2>
                            { score_sheet(lang, &form.sections, &e.answers, &BTreeMap::new(), None) }
                            if let Some(c) = &e.comment {
                                <div class="overall">
                                    <h3 class="sub-title">{ i18n.t(K::OverallComment) }</h3>
                                    <p id="overall-comment-text">{ c.clone() }</p>
                                </div>
                            }
                        </section>
                    }
                    if !e.amendments.is_empty() {
                        <section class="card" aria-labelledby="amend-title" data-section="amendments">
                            <h2 id="amend-title" class="card-title">{ i18n.t(K::AmendmentHistory) }</h2>
                            <div class="table-wrap">
                                <table class="table">
                                    <thead><tr>
                                        <th scope="col">{ i18n.t(K::AmendedAt) }</th>
                                        <th scope="col">{ i18n.t(K::AmendedBy) }</th>
                                        <th scope="col" class="num">{ i18n.t(K::ScoreBefore) }</th>
                                        <th scope="col">{ i18n.t(K::AnswersBefore) }</th>
                                    </tr></thead>
                                    <tbody>
                                        { for e.amendments.iter().map(|a| html! {
                                            <tr>
                                                <td class="nowrap">{ long_datetime(lang, &a.amended_at) }</td>
                                                <td>{ a.amended_by.clone() }</td>
                                                <td class="num" data-field="old-score">{ format_score(lang, a.score) }{ if a.fatal { " ⚠" } else { "" } }</td>
                                                <td class="small">{ changed_answers(lang, form, &a.answers, &e.answers) }</td>
                                            </tr>
                                        }) }
                                    </tbody>
                                </table>
                            </div>
                        </section>
                    }
                </div>
                <aside class="stack score-side-static">
                    <div class="card score-panel">
                        { score_box(lang, Score { score: e.score, fatal: e.fatal }, None, K::ScoreLabel) }
                        if is_agent_owner && may(EvaluationAction::Acknowledge) {
                            <div class="agent-actions" data-section="agent-actions">
                                <p class="small">{ i18n.t(K::AgentActionsHint) }</p>
                                if !*disputing { { error_banner.clone() } }
                                <div class="score-actions">
                                    <button type="button" id="acknowledge" class="btn btn-primary" disabled={*busy} onclick={on(Step::Acknowledge)}>{ i18n.t(K::Acknowledge) }</button>
                                    <button type="button" id="dispute" class="btn btn-secondary" disabled={*busy}
                                        onclick={let d = disputing.clone(); move |_| d.set(true)}>{ i18n.t(K::Dispute) }</button>
                                </div>
                            </div>
                        }
                        if e.status == EvaluationStatus::Submitted && !is_agent_owner {
                            <p class="muted small">{ i18n.t(K::WaitingForAgentAnswer) }</p>
                        }
                    </div>
                </aside>
            </div>
            if *disputing {
                <Dialog id="dispute-dialog" title={i18n.t(K::DisputeTitle)} on_close={let d = disputing.clone(); Callback::from(move |()| d.set(false))}>
                    <div class="form-stack">
                        <p class="muted">{ i18n.t(K::DisputeIntro) }</p>
                        { required_area("dispute-reason-input", "dispute-reason-error", i18n.t(K::DisputeReason), "4", (*reason).clone(), area(&reason), problem("reason")) }
                        { error_banner }
                        <div class="form-actions">
                            <button type="button" class="btn btn-secondary" onclick={let d = disputing.clone(); move |_| d.set(false)}>{ i18n.t(K::Cancel) }</button>
                            <button type="button" id="dispute-confirm" class="btn btn-primary" disabled={*busy} onclick={on(Step::Dispute)}>{ i18n.t(K::SendDispute) }</button>
                        </div>
                    </div>
                </Dialog>
            }
        </>
    }
}

/// "greeting: Lulus → Gagal; …" — what an amendment changed.
fn changed_answers(lang: crate::i18n::Lang, form: &ScoringForm, before: &[Answer], after: &[Answer]) -> String {
    use crate::i18n::t;
    let name = |v: Option<&Answer>| {
        t(
            lang,
            match v.map(|a| a.value) {
                None => K::NotAnswered,
                Some(AnswerValue::Pass) => K::AnswerPass,
                Some(AnswerValue::Fail) => K::AnswerFail,
                Some(AnswerValue::Na) => K::AnswerNa,
            },
        )
    };
    let changes: Vec<String> = domain::scoring::parameters(&form.sections)
        .filter_map(|p| {
            let (b, a) = (before.iter().find(|x| x.parameter == p.key), after.iter().find(|x| x.parameter == p.key));
            (b.map(|x| x.value) != a.map(|x| x.value)).then(|| format!("{}: {} → {}", p.label, name(b), name(a)))
        })
        .collect();
    if changes.is_empty() { t(lang, K::NoneDash).to_owned() } else { changes.join("; ") }
}
