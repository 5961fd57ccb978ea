//! Scoring one call on an F-18 form: the call's details (given or typed), the sheet and the live
//! score panel. Used by the scoring page and by a calibration session.

use crate::api::ApiError;
use crate::app::{use_api, use_i18n};
use crate::components::dialog::Dialog;
use crate::components::fields::{SelectField, TextField, setter};
use crate::components::score_sheet::{answered_count, score_box, score_sheet};
use crate::components::scoring::CallFields;
use crate::components::status::ErrorBanner;
use crate::components::user_picker::UserPicker;
use crate::datetime::{local_input_to_utc, utc_to_local_input};
use crate::i18n::{K, field_error};
use domain::cases::{Bucket, Service};
use domain::scoring::{Answer, Evaluation, NewEvaluation, ScoringForm, check_answers, parameters};
use std::collections::BTreeMap;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// The call's details when they are given (a sampled call, a calibration session).
#[derive(Debug, Clone, PartialEq)]
pub struct CallPreset {
    pub agent_id: i64,
    pub agent_name: String,
    pub call_ref: String,
    pub call_at: String,
    pub service: Option<Service>,
    pub bucket: Option<Bucket>,
    pub recording_ref: Option<String>,
    pub calibration_id: Option<i64>,
    pub assignment_id: Option<i64>,
}

#[derive(Properties, PartialEq)]
pub struct ScoreEditorProps {
    pub form: ScoringForm,
    /// A saved draft being continued.
    #[prop_or_default]
    pub draft: Option<Evaluation>,
    #[prop_or_default]
    pub preset: Option<CallPreset>,
    pub on_saved: Callback<Evaluation>,
    /// "Submit and next": where a submitted sheet goes when the officer wants the next call
    /// (offered only where there is a next one to score).
    #[prop_or_default]
    pub on_next: Option<Callback<Evaluation>>,
}

/// A sheet being scored as it is kept on this device after every change, so leaving the page (or
/// losing the connection) loses nothing: restored when the same sheet is opened again, forgotten
/// once it is saved or sent.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Kept {
    agent: Option<i64>,
    call_ref: String,
    call_at: String,
    service: Service,
    bucket: Bucket,
    recording: String,
    answers: Vec<Answer>,
    comment: String,
}

/// Where a sheet is kept: one per user and form, and per draft version, sampled call or session.
fn kept_key(user: i64, props: &ScoreEditorProps) -> String {
    let which = match (&props.draft, &props.preset) {
        (Some(d), _) => format!("draft-{}-v{}", d.id, d.version),
        (None, Some(p)) => format!("call-{:?}-{:?}", p.assignment_id, p.calibration_id),
        (None, None) => "new".to_owned(),
    };
    format!("mutu.sheet.{user}.{}.{which}", props.form.id)
}

/// The call's details, the sheet and the live score panel.
#[component]
pub fn ScoreEditor(props: &ScoreEditorProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let lang = i18n.lang;
    let form = &props.form;
    let locked = props.preset.is_some();
    let start = props.draft.clone();
    let preset = props.preset.clone();
    let user = crate::app::use_auth().user().map_or(0, |u| u.id);
    let key = kept_key(user, props);
    let kept = use_state(|| crate::storage::load_json::<Kept>(&key));
    let restored = kept.is_some();
    let kept = (*kept).clone();
    let call = CallFields {
        agent: use_state(|| start.as_ref().map(|e| e.agent_id).or(preset.as_ref().map(|p| p.agent_id))),
        call_ref: use_state(|| {
            start
                .as_ref()
                .map(|e| e.call_ref.clone())
                .or(preset.as_ref().map(|p| p.call_ref.clone()))
                .unwrap_or_default()
        }),
        call_at: use_state(|| {
            start
                .as_ref()
                .map(|e| e.call_at.clone())
                .or(preset.as_ref().map(|p| p.call_at.clone()))
                .map(|t| utc_to_local_input(&t))
                .unwrap_or_default()
        }),
        service: use_state(|| {
            start.as_ref().map(|e| e.service).or(preset.as_ref().and_then(|p| p.service)).unwrap_or(Service::Pranpc)
        }),
        bucket: use_state(|| {
            start.as_ref().map(|e| e.bucket).or(preset.as_ref().and_then(|p| p.bucket)).unwrap_or(Bucket::N)
        }),
        recording: use_state(|| {
            start
                .as_ref()
                .and_then(|e| e.recording_ref.clone())
                .or(preset.as_ref().and_then(|p| p.recording_ref.clone()))
                .unwrap_or_default()
        }),
    };
    let CallFields { agent, call_ref, call_at, service, bucket, recording } = call.clone();
    let answers = use_state(|| start.as_ref().map(|e| e.answers.clone()).unwrap_or_default());
    let comment = use_state(|| start.as_ref().and_then(|e| e.comment.clone()).unwrap_or_default());
    let now = Kept {
        agent: *agent,
        call_ref: (*call_ref).clone(),
        call_at: (*call_at).clone(),
        service: *service,
        bucket: *bucket,
        recording: (*recording).clone(),
        answers: (*answers).clone(),
        comment: (*comment).clone(),
    };
    // The sheet as it opened, before anything kept replaced it: kept only when it differs.
    let untouched = use_state(|| now.clone());
    // A kept sheet replaces the fields once, when the editor opens.
    {
        let (call, answers, comment) = (call.clone(), answers.clone(), comment.clone());
        use_effect_with((), move |_| {
            if let Some(k) = kept {
                let CallFields { agent, call_ref, call_at, service, bucket, recording } = call;
                agent.set(k.agent);
                call_ref.set(k.call_ref);
                call_at.set(k.call_at);
                service.set(k.service);
                bucket.set(k.bucket);
                recording.set(k.recording);
                answers.set(k.answers);
                comment.set(k.comment);
            }
        });
    }
    {
        let (key, untouched) = (key.clone(), (*untouched).clone());
        use_effect_with(now, move |now| {
            if *now == untouched {
                crate::storage::forget(&key);
            } else {
                crate::storage::save_json(&key, now);
            }
        });
    }
    let errors = use_state(BTreeMap::<String, String>::new);
    let failure = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    // Sending a sheet to the agent is asked once more (calibration sheets go to nobody).
    let confirming = use_state(|| false);
    let calibration =
        props.preset.as_ref().and_then(|p| p.calibration_id).or(props.draft.as_ref().and_then(|d| d.calibration_id));

    let live = domain::scoring::score(&form.sections, &answers);
    let progress = answered_count(&form.sections, &answers);

    let save = {
        let CallFields { agent, call_ref, call_at, service, bucket, recording } = call;
        let (answers, comment) = (answers.clone(), comment.clone());
        let (errors, failure, busy, on_saved) = (errors.clone(), failure.clone(), busy.clone(), props.on_saved.clone());
        let on_next = props.on_next.clone();
        let key = key.clone();
        // The navigation's counts follow a saved or sent sheet at once.
        let counts = crate::app::use_tasks().refresh;
        let confirming = confirming.clone();
        let (form, draft, preset, api) = (form.clone(), props.draft.clone(), props.preset.clone(), api.clone());
        Callback::from(move |(submit, confirmed, next): (bool, bool, bool)| {
            if *busy {
                return;
            }
            let mut found = BTreeMap::new();
            if agent.is_none() {
                found.insert("agent_id".to_owned(), "required".to_owned());
            }
            if call_ref.trim().is_empty() {
                found.insert("call_ref".to_owned(), "required".to_owned());
            }
            let at = local_input_to_utc(&call_at);
            if at.is_none() {
                found.insert("call_at".to_owned(), "required".to_owned());
            }
            if let Err(problems) = check_answers(&form.sections, &answers, submit) {
                found.extend(problems);
            }
            failure.set(None);
            if !found.is_empty() {
                focus_first_problem(&form, &found);
                errors.set(found);
                return;
            }
            errors.set(BTreeMap::new());
            if submit && !confirmed && calibration.is_none() {
                confirming.set(true);
                return;
            }
            confirming.set(false);
            let body = NewEvaluation {
                form_id: form.id,
                agent_id: agent.unwrap_or_default(),
                call_ref: call_ref.trim().to_owned(),
                call_at: at.unwrap_or_default(),
                service: *service,
                bucket: *bucket,
                recording_ref: Some(recording.trim().to_owned()).filter(|r| !r.is_empty()),
                answers: (*answers).clone(),
                comment: Some(comment.trim().to_owned()).filter(|c| !c.is_empty()),
                submit,
                version: draft.as_ref().map(|d| d.version),
                calibration_id: preset
                    .as_ref()
                    .and_then(|p| p.calibration_id)
                    .or(draft.as_ref().and_then(|d| d.calibration_id)),
                assignment_id: preset.as_ref().and_then(|p| p.assignment_id),
            };
            busy.set(true);
            let (api, errors, failure, busy, draft, form, counts) = (
                api.clone(),
                errors.clone(),
                failure.clone(),
                busy.clone(),
                draft.clone(),
                form.clone(),
                counts.clone(),
            );
            let key = key.clone();
            let on_saved = match (&on_next, next) {
                (Some(on_next), true) => on_next.clone(),
                _ => on_saved.clone(),
            };
            wasm_bindgen_futures::spawn_local(async move {
                let result = match &draft {
                    Some(d) => api.update_evaluation(d.id, &body).await,
                    None => api.create_evaluation(&body).await,
                };
                busy.set(false);
                match result {
                    Ok(saved) => {
                        crate::storage::forget(&key);
                        counts.emit(());
                        on_saved.emit(saved);
                    }
                    Err(error) if error.status() == Some(422) && error.fields().is_some() => {
                        let fields = error.fields().cloned().unwrap_or_default();
                        focus_first_problem(&form, &fields);
                        errors.set(fields);
                        failure.set(Some(error));
                    }
                    Err(error) => failure.set(Some(error)),
                }
            });
        })
    };

    let err = |field: &str| errors.get(field).map(|e| field_error(lang, field, e));
    let service_options: Vec<(AttrValue, AttrValue)> =
        Service::ALL.iter().map(|s| (AttrValue::Static(s.as_str()), AttrValue::Static(s.label()))).collect();
    let bucket_options: Vec<(AttrValue, AttrValue)> =
        Bucket::ALL.iter().map(|b| (AttrValue::Static(b.as_str()), AttrValue::Static(b.label()))).collect();
    let problems: Vec<(String, String)> = parameters(&form.sections)
        .filter_map(|p| {
            errors.get(&format!("answers.{}", p.key)).map(|e| {
                (p.key.clone(), format!("{} — {}", p.label, field_error(lang, &format!("answers.{}", p.key), e)))
            })
        })
        .collect();
    let on_answers = {
        let answers = answers.clone();
        Callback::from(move |next: Vec<Answer>| answers.set(next))
    };
    let save_draft = save.clone();
    let submit = save.clone();

    html! {
        <div class="score-layout" data-form-id={form.id.to_string()} data-version={props.draft.as_ref().map(|d| d.version.to_string())}>
            <div class="score-main">
                if restored {
                    <p class="banner banner-info" id="sheet-restored" role="status">{ i18n.t(K::SheetRestored) }</p>
                }
                <section class="card" aria-labelledby="call-title">
                    <div class="card-head">
                        <h2 id="call-title" class="card-title">{ i18n.t(K::CallDetails) }</h2>
                        <span class="muted small">{ format!("{} · {} · v{}", form.code, form.title, form.version) }</span>
                    </div>
                    <div class="form-grid call-grid">
                        if locked {
                            <div class="field"><span class="field-label">{ i18n.t(K::AgentLabel) }</span>
                                <span class="field-static" id="agent-fixed">{ props.preset.as_ref().map(|p| p.agent_name.clone()).or(props.draft.as_ref().map(|d| d.agent_name.clone())).unwrap_or_default() }</span></div>
                        } else {
                            <UserPicker id="agent" label={i18n.t(K::AgentLabel)} role="agent" value={*agent} required=true
                                error={err("agent_id")}
                                on_change={let agent = agent.clone(); Callback::from(move |u: Option<domain::api::User>| agent.set(u.map(|u| u.id)))} />
                        }
                        <TextField id="call-ref" label={i18n.t(K::CallRefLabel)} value={(*call_ref).clone()} on_change={setter(&call_ref)}
                            error={err("call_ref")} required=true disabled={locked} />
                        <TextField id="call-at" kind="datetime-local" label={crate::i18n::tf(i18n.lang, K::CallAtZone, &[&crate::datetime::zone_label()])} value={(*call_at).clone()}
                            on_change={setter(&call_at)} error={err("call_at")} required=true disabled={locked} />
                        <TextField id="recording-ref" label={i18n.t(K::RecordingRefLabel)} value={(*recording).clone()}
                            on_change={setter(&recording)} error={err("recording_ref")} disabled={locked} />
                        <SelectField id="service" label={i18n.t(K::ServiceLabel)} value={service.as_str()} options={service_options}
                            on_change={let s = service.clone(); Callback::from(move |v: String| if let Some(x) = Service::parse(&v) { s.set(x) })}
                            disabled={props.preset.as_ref().is_some_and(|p| p.service.is_some())} />
                        <SelectField id="bucket" label={i18n.t(K::BucketLabel)} value={bucket.as_str()} options={bucket_options}
                            on_change={let b = bucket.clone(); Callback::from(move |v: String| if let Some(x) = Bucket::parse(&v) { b.set(x) })}
                            disabled={props.preset.as_ref().is_some_and(|p| p.bucket.is_some())} />
                    </div>
                </section>
                <section class="card" aria-labelledby="sheet-title">
                    <h2 id="sheet-title" class="card-title">{ i18n.t(K::SheetTitle) }</h2>
                    { score_sheet(lang, &form.sections, &answers, &errors, Some(on_answers)) }
                </section>
                <section class="card" aria-labelledby="overall-title">
                    <h2 id="overall-title" class="card-title">{ i18n.t(K::OverallComment) }</h2>
                    <div class="field">
                        <label for="overall-comment" class="sr-only">{ i18n.t(K::OverallComment) }</label>
                        <textarea id="overall-comment" rows="3" value={(*comment).clone()} maxlength="4000"
                            oninput={let c = comment.clone(); move |e: InputEvent| c.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())} />
                    </div>
                </section>
            </div>
            <aside class="score-side" aria-label={i18n.t(K::ScoreLabel)}>
                <div class="card score-panel">
                    { score_box(lang, live, Some(progress), K::LiveScore) }
                    if let Some(error) = (*failure).clone() {
                        <ErrorBanner {error} />
                    }
                    <div class="score-actions">
                        <button type="button" id="save-draft" class="btn btn-secondary" disabled={*busy || props.preset.as_ref().is_some_and(|p| p.calibration_id.is_some())}
                            onclick={move |_| save_draft.emit((false, false, false))}>{ i18n.t(K::SaveDraft) }</button>
                        <button type="button" id="submit-sheet" class="btn btn-primary" disabled={*busy}
                            onclick={let submit = submit.clone(); move |_| submit.emit((true, false, false))}>{ if *busy { i18n.t(K::Saving) } else { i18n.t(K::SubmitSheet) } }</button>
                    </div>
                    if *confirming {
                        <Dialog id="confirm-submit-dialog" title={i18n.t(K::ConfirmSubmitTitle)}
                            on_close={let c = confirming.clone(); Callback::from(move |()| c.set(false))}>
                            <p>{ i18n.tf(K::ConfirmSubmitText, &[&crate::components::score_sheet::format_score(lang, live.score)]) }</p>
                            <div class="form-actions">
                                <button type="button" id="confirm-submit" class="btn btn-primary"
                                    onclick={let submit = submit.clone(); move |_| submit.emit((true, true, false))}>{ i18n.t(K::SubmitSheet) }</button>
                                if props.on_next.is_some() {
                                    <button type="button" id="confirm-submit-next" class="btn btn-secondary"
                                        onclick={let submit = submit.clone(); move |_| submit.emit((true, true, true))}>{ i18n.t(K::SubmitAndNext) }</button>
                                }
                                <button type="button" id="cancel-submit" class="btn btn-secondary"
                                    onclick={let c = confirming.clone(); move |_| c.set(false)}>{ i18n.t(K::Cancel) }</button>
                            </div>
                        </Dialog>
                    }
                    if !problems.is_empty() {
                        <div class="problems" id="sheet-problems" role="alert">
                            <p class="problems-title">{ i18n.tf(K::ProblemsCount, &[&problems.len().to_string()]) }</p>
                            <ul>
                                { for problems.iter().map(|(key, text)| html! { <li><a href={format!("#param-{key}")}>{ text.clone() }</a></li> }) }
                            </ul>
                        </div>
                    }
                    <p class="muted small">{ i18n.t(K::SubmitHint) }</p>
                </div>
            </aside>
        </div>
    }
}

/// Moves the focus to the first parameter with a problem (in form order), or the first field.
fn focus_first_problem(form: &ScoringForm, problems: &BTreeMap<String, String>) {
    let first_param = parameters(&form.sections).find(|p| problems.contains_key(&format!("answers.{}", p.key)));
    let id = match first_param {
        Some(p) => format!("param-{}", p.key),
        None if problems.contains_key("agent_id") => "agent".to_owned(),
        None if problems.contains_key("call_ref") => "call-ref".to_owned(),
        None if problems.contains_key("call_at") => "call-at".to_owned(),
        None => return,
    };
    gloo_timers::callback::Timeout::new(0, move || crate::components::score_sheet::focus_id(&id)).forget();
}
