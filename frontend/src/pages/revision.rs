//! `/documents/{code}/revisions/{rev}`: one revision as the paper form lays it out — header block,
//! body (inert Markdown), signature block, revision history — with the workflow actions the role
//! and status allow (`domain::documents::transition`), each signature through a dialog that
//! states what the signature means and asks for the password again.

use crate::api::ApiError;
use crate::app::{AgainstQuery, I18n, Route, use_api, use_auth, use_i18n, use_tasks, use_title};
use crate::components::dialog::Dialog;
use crate::components::doc_parts::{
    HeaderBlockProps, RouteLink, date_or_dash, header_block, history_table, revision_status_badge, signature_block,
};
use crate::components::status::{ErrorBanner, Loading, Tone, tone_banner};
use crate::datetime::{count, long_date, long_datetime, short_datetime, today_plus};
use crate::files::{UPLOAD_LIMIT, file_kind, file_size, save_file};
use crate::hooks::{Load, use_fetch};
use crate::i18n::{K, Lang, field_error, t};
use crate::markdown;
use domain::api::{AttachmentInfo, DecisionRequest, DocumentDetail, Revision, RevisionPatch, SignRequest};
use domain::documents::{Actor, RevisionAction, RevisionStatus, transition};
use domain::{Action, Role, can};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;
use yew_router::prelude::*;

/// A signature (or return) the dialog takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Submit,
    Check,
    Approve,
    ReturnFromReview,
    ReturnFromApproval,
}

impl Step {
    fn action(self) -> RevisionAction {
        match self {
            Step::Submit => RevisionAction::Submit,
            Step::Check => RevisionAction::Check,
            Step::Approve => RevisionAction::Approve,
            Step::ReturnFromReview => RevisionAction::ReturnFromReview,
            Step::ReturnFromApproval => RevisionAction::ReturnFromApproval,
        }
    }

    fn is_return(self) -> bool {
        matches!(self, Step::ReturnFromReview | Step::ReturnFromApproval)
    }

    fn meaning(self) -> K {
        match self {
            Step::Submit => K::SignMeaningPrepared,
            Step::Check => K::SignMeaningChecked,
            Step::Approve => K::SignMeaningApproved,
            Step::ReturnFromReview | Step::ReturnFromApproval => K::SignMeaningReturn,
        }
    }
}

/// The steps `role` may take on a revision in `status`, in the order the buttons show.
pub fn steps_for(role: Role, status: RevisionStatus) -> Vec<Step> {
    [Step::Submit, Step::Check, Step::Approve, Step::ReturnFromReview, Step::ReturnFromApproval]
        .into_iter()
        .filter(|s| transition(status, s.action(), Actor::User(role)).is_ok())
        .collect()
}

/// A signing failure in plain words.
fn sign_error_text(lang: Lang, error: &ApiError) -> String {
    match (error.status(), error.code()) {
        (Some(401), Some("wrong_password")) => t(lang, K::SignWrongPassword).to_owned(),
        (Some(403), Some("segregation_of_duties")) => t(lang, K::SignSegregation).to_owned(),
        (Some(403), _) => t(lang, K::SignForbidden).to_owned(),
        (Some(409), _) => t(lang, K::SignWrongState).to_owned(),
        _ => match error.fields().and_then(|f| f.iter().next()) {
            Some((field, code)) => field_error(lang, field, code),
            None => crate::components::status::error_text(lang, error),
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct RevisionPageProps {
    pub code: String,
    pub rev: i32,
}

#[component]
pub fn RevisionPage(props: &RevisionPageProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::NavDocuments));
    let api = use_api();
    let key = (props.code.clone(), props.rev);
    let revision = use_fetch(key.clone(), |api, (code, rev)| async move { api.get_revision(&code, rev).await });
    let document = use_fetch(key, |api, (code, _)| async move { api.get_document(&code).await });
    let body = match (&*revision.state, &*document.state) {
        (Load::Failed(error), _) | (_, Load::Failed(error)) => {
            let reload = (revision.reload.clone(), document.reload.clone());
            html! { <ErrorBanner error={error.clone()} on_retry={Callback::from(move |()| { reload.0.emit(()); reload.1.emit(()); })} /> }
        }
        (Load::Ready(rev), Load::Ready(doc)) => {
            // A change made here replaces the revision in place and refreshes the document (its
            // list of revisions) without a loading state, so the page keeps what it shows.
            let on_changed = {
                let (rev_state, doc_state, api, code) =
                    (revision.state.clone(), document.state.clone(), api.clone(), props.code.clone());
                Callback::from(move |r: Revision| {
                    rev_state.set(Load::Ready(r));
                    let (doc_state, api, code) = (doc_state.clone(), api.clone(), code.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Ok(doc) = api.get_document(&code).await {
                            doc_state.set(Load::Ready(doc));
                        }
                    });
                })
            };
            let reload = {
                let (on_changed, api, code, rev) = (on_changed.clone(), api.clone(), props.code.clone(), props.rev);
                Callback::from(move |()| {
                    let (on_changed, api, code) = (on_changed.clone(), api.clone(), code.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Ok(r) = api.get_revision(&code, rev).await {
                            on_changed.emit(r);
                        }
                    });
                })
            };
            html! { <RevisionView revision={rev.clone()} document={doc.clone()} {on_changed} {reload} /> }
        }
        _ => html! { <Loading /> },
    };
    html! {
        <section class="page" data-page="revision" data-code={props.code.clone()} data-rev={props.rev.to_string()}>{ body }</section>
    }
}

#[derive(Properties, PartialEq)]
struct RevisionViewProps {
    revision: Revision,
    document: DocumentDetail,
    on_changed: Callback<Revision>,
    reload: Callback<()>,
}

#[component]
fn RevisionView(props: &RevisionViewProps) -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    let api = use_api();
    let tasks = use_tasks();
    let navigator = use_navigator();
    let editing = use_state(|| false);
    let signing = use_state(|| None::<Step>);
    let notice = use_state(|| None::<(Tone, String)>);
    let acking = use_state(|| false);
    let r = &props.revision;
    let Some(user) = auth.user().cloned() else { return Html::default() };
    let role = user.role;

    // Leaving for another revision closes what was open here.
    {
        let (editing, signing, notice) = (editing.clone(), signing.clone(), notice.clone());
        use_effect_with((r.code.clone(), r.rev), move |_| {
            editing.set(false);
            signing.set(None);
            notice.set(None);
        });
    }

    let may_edit = transition(r.status, RevisionAction::Edit, Actor::User(role)).is_ok();
    let steps = steps_for(role, r.status);
    let may_attach = r.status == RevisionStatus::Draft && can(role, Action::PrepareRevision);
    let sees_acks =
        r.status == RevisionStatus::Effective && (can(role, Action::SeeDraftRevisions) || role == Role::TeamLeader);

    let on_signed = {
        let (on_changed, signing, notice, tasks, i18n) =
            (props.on_changed.clone(), signing.clone(), notice.clone(), tasks.clone(), i18n.clone());
        Callback::from(move |(step, rev): (Step, Revision)| {
            signing.set(None);
            let text = if step.is_return() { K::ReturnedOk } else { K::SignedOk };
            notice.set(Some((Tone::Success, i18n.t(text).to_owned())));
            on_changed.emit(rev);
            tasks.refresh.emit(());
        })
    };

    let on_ack = {
        let (api, acking, on_changed, tasks, code, rev) =
            (api.clone(), acking.clone(), props.on_changed.clone(), tasks.clone(), r.code.clone(), r.clone());
        Callback::from(move |_: MouseEvent| {
            if *acking {
                return;
            }
            acking.set(true);
            let (api, acking, on_changed, tasks, code, rev) =
                (api.clone(), acking.clone(), on_changed.clone(), tasks.clone(), code.clone(), rev.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if api.acknowledge(&code, rev.rev).await.is_ok() {
                    on_changed.emit(Revision { acknowledged: true, ..rev });
                    tasks.refresh.emit(());
                }
                acking.set(false);
            });
        })
    };

    let on_ack_end = on_ack.clone();
    let button = |id: &'static str, label: K, primary: bool, step: Step| {
        let signing = signing.clone();
        html! {
            <button {id} type="button" class={classes!("btn", if primary { "btn-primary" } else { "btn-secondary" })}
                onclick={move |_| signing.set(Some(step))}>{ t(i18n.lang, label) }</button>
        }
    };
    let actions = html! {
        <div class="doc-actions" id="revision-actions">
            if may_edit && !*editing {
                <button id="action-edit" type="button" class="btn btn-secondary"
                    onclick={let e = editing.clone(); move |_| e.set(true)}>{ i18n.t(K::ActionEdit) }</button>
            }
            { for steps.iter().map(|step| match step {
                Step::Submit => button("action-submit", K::ActionSubmit, true, *step),
                Step::Check => button("action-check", K::ActionCheck, true, *step),
                Step::Approve => button("action-approve", K::ActionApprove, true, *step),
                Step::ReturnFromReview | Step::ReturnFromApproval => button("action-return", K::ActionReturn, false, *step),
            }) }
            if r.status == RevisionStatus::Effective && !r.acknowledged {
                <button id="action-acknowledge" type="button" class="btn btn-primary" onclick={on_ack} disabled={*acking}>
                    { i18n.t(K::ActionAcknowledge) }
                </button>
            }
            <RouteLink to={Route::Print { code: r.code.clone(), rev: r.rev }} class="btn btn-secondary" id={AttrValue::Static("print-link")}>
                { i18n.t(K::PrintCopy) }
            </RouteLink>
        </div>
    };

    let others: Vec<_> = props.document.revisions.iter().filter(|o| o.rev != r.rev).cloned().collect();
    let compare = if others.is_empty() {
        Html::default()
    } else {
        let onchange = {
            let (navigator, code, rev) = (navigator.clone(), r.code.clone(), r.rev);
            Callback::from(move |e: Event| {
                let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
                if let (Ok(against), Some(navigator)) = (value.parse::<i32>(), &navigator) {
                    let _ =
                        navigator.push_with_query(&Route::Diff { code: code.clone(), rev }, &AgainstQuery { against });
                }
            })
        };
        html! {
            <div class="field field-inline">
                <label for="compare-with">{ i18n.t(K::CompareWith) }</label>
                <select id="compare-with" {onchange}>
                    <option value="" selected=true>{ i18n.t(K::NoneDash) }</option>
                    { for others.iter().map(|o| html! { <option value={o.rev.to_string()}>{ o.label.clone() }</option> }) }
                </select>
            </div>
        }
    };

    let banner = match r.status {
        RevisionStatus::Superseded => html! {
            <div class="banner banner-warning" id="superseded-banner" role="status">
                <span class="banner-text">{ i18n.t(K::SupersededBanner) }</span>
                if let Some(eff) = &props.document.effective_revision {
                    <RouteLink to={Route::Revision { code: r.code.clone(), rev: eff.rev }} class="btn btn-small btn-secondary"
                        id={AttrValue::Static("go-effective")}>{ format!("{} ({})", i18n.t(K::OpenEffective), eff.label) }</RouteLink>
                }
            </div>
        },
        RevisionStatus::Draft if r.return_comment.is_some() => html! {
            <div class="banner banner-warning" id="returned-banner" role="status">
                <span class="banner-text">{ i18n.tf(K::ReturnedBanner, &[r.return_comment.as_deref().unwrap_or_default()]) }</span>
            </div>
        },
        RevisionStatus::Approved => {
            let from = match &r.effective_at {
                Some(at) => long_datetime(i18n.lang, at),
                None => date_or_dash(i18n.lang, r.effective_date.as_deref()),
            };
            tone_banner(Tone::Info, i18n.tf(K::ApprovedBanner, &[&from]))
        }
        RevisionStatus::Effective => Html::default(),
        _ => tone_banner(Tone::Info, i18n.t(K::NotEffectiveBanner)),
    };

    let on_saved = {
        let (editing, notice, on_changed, i18n) =
            (editing.clone(), notice.clone(), props.on_changed.clone(), i18n.clone());
        Callback::from(move |rev: Revision| {
            editing.set(false);
            notice.set(Some((Tone::Success, i18n.t(K::DraftSaved).to_owned())));
            on_changed.emit(rev);
        })
    };
    let on_stale = {
        let (notice, reload, editing, i18n) = (notice.clone(), props.reload.clone(), editing.clone(), i18n.clone());
        Callback::from(move |()| {
            editing.set(false);
            notice.set(Some((Tone::Warning, i18n.t(K::StaleDraft).to_owned())));
            reload.emit(());
        })
    };

    html! {
        <>
            <header class="page-head page-head-row">
                <div>
                    <p class="eyebrow">
                        <RouteLink to={Route::Documents}>{ i18n.t(K::NavDocuments) }</RouteLink>{ " / " }
                        <RouteLink to={Route::Document { code: r.code.clone() }} class="mono">{ r.code.clone() }</RouteLink>
                    </p>
                    <h1 class="title-with-badge">
                        <span>{ format!("{} · {}", r.label, r.title) }</span>
                        { revision_status_badge(&i18n, r.status) }
                    </h1>
                </div>
                { compare }
            </header>
            if let Some((tone, text)) = (*notice).clone() {
                { tone_banner(tone, text) }
            }
            { banner }
            { actions }
            if r.status == RevisionStatus::Effective && r.acknowledged {
                <p class="ack-done" id="acknowledged">{ i18n.t(K::Acknowledged) }</p>
            }
            { revision_dates(&i18n, r) }
            if *editing {
                <EditForm revision={r.clone()} on_saved={on_saved} on_stale={on_stale}
                    on_cancel={let e = editing.clone(); Callback::from(move |()| e.set(false))} />
            } else {
                <article class="card doc-sheet">
                    { header_block(&i18n, &HeaderBlockProps { kind: r.kind, title: r.title.clone().into(),
                        effective_date: r.effective_date.clone(), reference: r.reference.clone().into(), rev: r.rev }) }
                    <div class="doc-body" id="revision-body">{ markdown::render(&r.body) }</div>
                    { signature_block(&i18n, &r.signatures) }
                    { history_table(&i18n, &r.history, false) }
                </article>
                // Where a reader arrives: after the text and the changes it describes.
                if r.status == RevisionStatus::Effective && !r.acknowledged {
                    <section class="card ack-end" id="acknowledge-end" aria-labelledby="ack-end-title">
                        <h2 id="ack-end-title" class="card-title">{ i18n.t(K::AckEndTitle) }</h2>
                        <p class="muted">{ i18n.t(K::AckEndText) }</p>
                        <button id="action-acknowledge-end" type="button" class="btn btn-primary" onclick={on_ack_end} disabled={*acking}>
                            { i18n.t(K::ActionAcknowledge) }
                        </button>
                    </section>
                }
            }
            if may_attach || r.attachment.is_some() {
                <AttachmentPanel code={r.code.clone()} rev={r.rev} attachment={r.attachment.clone()} may_upload={may_attach}
                    reload={props.reload.clone()} />
            }
            if sees_acks {
                <AckPanel code={r.code.clone()} rev={r.rev} />
            }
            if let Some(step) = *signing {
                <SignDialog revision={r.clone()} {step} on_done={on_signed}
                    on_close={let s = signing.clone(); Callback::from(move |()| s.set(None))} />
            }
        </>
    }
}

/// When the revision was planned to take effect, took (or takes) effect and was superseded: the
/// instants the history and "in force at" answer by. A function, not a component: a component
/// type costs the bundle some 400 bytes of Yew's machinery.
fn revision_dates(i18n: &I18n, r: &Revision) -> Html {
    if r.planned_effective_date.is_none() && r.effective_at.is_none() {
        return Html::default();
    }
    let from_label = if r.scheduled { K::ScheduledFrom } else { K::InForceFrom };
    html! {
        <dl class="revision-dates" id="revision-dates">
            if let Some(planned) = &r.planned_effective_date {
                <div><dt>{ i18n.t(K::PlannedEffectiveDate) }</dt>
                    <dd id="planned-effective-date" data-date={planned.clone()}>{ long_date(i18n.lang, planned) }</dd></div>
            }
            if let Some(at) = &r.effective_at {
                <div><dt>{ i18n.t(from_label) }</dt>
                    <dd id="effective-at" data-at={at.clone()}>{ long_datetime(i18n.lang, at) }</dd></div>
            }
            if let Some(at) = &r.superseded_at {
                <div><dt>{ i18n.t(K::SupersededFrom) }</dt>
                    <dd id="superseded-at">{ long_datetime(i18n.lang, at) }</dd></div>
            }
        </dl>
    }
}

#[derive(Properties, PartialEq)]
struct EditFormProps {
    revision: Revision,
    on_saved: Callback<Revision>,
    on_stale: Callback<()>,
    on_cancel: Callback<()>,
}

/// Title, body with a live preview, change description and planned effective date of a draft.
#[component]
fn EditForm(props: &EditFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let r = &props.revision;
    let title = use_state(|| r.title.clone());
    let body = use_state(|| r.body.clone());
    let description = use_state(|| r.change_description.clone());
    let planned = use_state(|| r.planned_effective_date.clone().unwrap_or_default());
    let errors = use_state(std::collections::BTreeMap::<String, String>::new);
    let failure = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);

    let input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let area = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };

    let onsubmit = {
        let (title, body, description, planned, errors, failure, busy) = (
            title.clone(),
            body.clone(),
            description.clone(),
            planned.clone(),
            errors.clone(),
            failure.clone(),
            busy.clone(),
        );
        let (on_saved, on_stale, base) = (props.on_saved.clone(), props.on_stale.clone(), r.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let mut found = std::collections::BTreeMap::new();
            if title.trim().is_empty() {
                found.insert("title".to_owned(), "required".to_owned());
            }
            if description.trim().is_empty() {
                found.insert("change_description".to_owned(), "required".to_owned());
            }
            errors.set(found.clone());
            failure.set(None);
            if !found.is_empty() {
                return;
            }
            let date = planned.trim().to_owned();
            let patch = RevisionPatch {
                version: base.version,
                title: (title.trim() != base.title).then(|| title.trim().to_owned()),
                body: (*body != base.body).then(|| (*body).clone()),
                change_description: (description.trim() != base.change_description)
                    .then(|| description.trim().to_owned()),
                planned_effective_date: (Some(date.clone()).filter(|d| !d.is_empty()) != base.planned_effective_date)
                    .then(|| Some(date).filter(|d| !d.is_empty())),
            };
            busy.set(true);
            let (api, errors, failure, busy, on_saved, on_stale, code, rev) = (
                api.clone(),
                errors.clone(),
                failure.clone(),
                busy.clone(),
                on_saved.clone(),
                on_stale.clone(),
                base.code.clone(),
                base.rev,
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api.update_revision(&code, rev, &patch).await {
                    Ok(saved) => on_saved.emit(saved),
                    Err(error) if error.status() == Some(409) => on_stale.emit(()),
                    Err(error) if error.fields().is_some() => errors.set(error.fields().cloned().unwrap_or_default()),
                    Err(error) => failure.set(Some(error)),
                }
                busy.set(false);
            });
        })
    };
    let err = |field: &str| errors.get(field).map(|code| field_error(i18n.lang, field, code));
    let field = |id: &'static str, label: K, error: Option<String>, control: Html| {
        html! {
            <div class={classes!("field", error.is_some().then_some("has-error"))}>
                <label for={id}>{ i18n.t(label) }</label>
                { control }
                if let Some(text) = error { <p class="field-error" id={format!("{id}-error")}>{ text }</p> }
            </div>
        }
    };
    html! {
        <form class="card form-stack edit-form" id="revision-edit" {onsubmit} novalidate=true>
            if let Some(error) = (*failure).clone() {
                <ErrorBanner {error} />
            }
            <div class="form-row">
                { field("edit-title", K::DocTitleLabel, err("title"),
                    html! { <input id="edit-title" type="text" value={(*title).clone()} oninput={input(&title)} /> }) }
                { field("edit-effective-date", K::PlannedEffectiveDate, err("planned_effective_date"),
                    html! { <input id="edit-effective-date" type="date" value={(*planned).clone()} min={today_plus(0)} oninput={input(&planned)} /> }) }
            </div>
            { field("edit-description", K::ChangeDescription, err("change_description"),
                html! { <input id="edit-description" type="text" value={(*description).clone()} oninput={input(&description)} /> }) }
            <div class="editor">
                { field("edit-body", K::BodyMarkdown, err("body"),
                    html! { <textarea id="edit-body" class="mono" rows="24" value={(*body).clone()} oninput={area(&body)} /> }) }
                <div class="editor-preview">
                    <div class="preview-label">{ i18n.t(K::Preview) }</div>
                    <div class="doc-body" id="edit-preview">{ markdown::render(&body) }</div>
                </div>
            </div>
            <div class="form-actions">
                <button type="button" class="btn btn-secondary" onclick={let c = props.on_cancel.clone(); move |_| c.emit(())}>{ i18n.t(K::Cancel) }</button>
                <button type="submit" id="edit-save" class="btn btn-primary" disabled={*busy}>
                    { if *busy { i18n.t(K::Saving) } else { i18n.t(K::Save) } }
                </button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct SignDialogProps {
    revision: Revision,
    step: Step,
    on_done: Callback<(Step, Revision)>,
    on_close: Callback<()>,
}

/// States the meaning of the signature, shows exactly what is signed, asks for the password.
#[component]
fn SignDialog(props: &SignDialogProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let step = props.step;
    let password = use_state(String::new);
    let comment = use_state(String::new);
    // The approver starts from the date the document controller planned (if it has not passed).
    let planned = props.revision.planned_effective_date.clone();
    let date = {
        let planned = planned.clone();
        use_state(move || planned.filter(|p| *p >= today_plus(0)).unwrap_or_else(|| today_plus(1)))
    };
    let problem = use_state(|| None::<String>);
    let comment_error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let r = &props.revision;

    let onsubmit = {
        let (password, comment, date, problem, comment_error, busy) =
            (password.clone(), comment.clone(), date.clone(), problem.clone(), comment_error.clone(), busy.clone());
        let (on_done, code, rev, lang) = (props.on_done.clone(), r.code.clone(), r.rev, i18n.lang);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            if step.is_return() && comment.trim().is_empty() {
                comment_error.set(Some(t(lang, K::FieldRequired).to_owned()));
                return;
            }
            if password.is_empty() {
                problem.set(Some(t(lang, K::FieldRequired).to_owned()));
                return;
            }
            comment_error.set(None);
            problem.set(None);
            busy.set(true);
            let decision = |d: &str| DecisionRequest {
                decision: d.to_owned(),
                comment: comment.trim().to_owned(),
                password: (*password).clone(),
                effective_date: (step == Step::Approve).then(|| (*date).clone()),
            };
            let (api, code, on_done, problem, comment_error, busy) =
                (api.clone(), code.clone(), on_done.clone(), problem.clone(), comment_error.clone(), busy.clone());
            let sign = SignRequest { password: (*password).clone() };
            let (approve, back) = (decision("approve"), decision("return"));
            wasm_bindgen_futures::spawn_local(async move {
                let result = match step {
                    Step::Submit => api.submit_revision(&code, rev, &sign).await,
                    Step::Check => api.review_revision(&code, rev, &approve).await,
                    Step::ReturnFromReview => api.review_revision(&code, rev, &back).await,
                    Step::Approve => api.approve_revision(&code, rev, &approve).await,
                    Step::ReturnFromApproval => api.approve_revision(&code, rev, &back).await,
                };
                busy.set(false);
                match result {
                    Ok(revision) => on_done.emit((step, revision)),
                    Err(error) if error.fields().is_some_and(|f| f.contains_key("comment")) => {
                        comment_error.set(Some(field_error(lang, "comment", &error.fields().unwrap()["comment"])));
                    }
                    Err(error) => problem.set(Some(sign_error_text(lang, &error))),
                }
            });
        })
    };
    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let title = if step.is_return() { K::ReturnDialogTitle } else { K::SignDialogTitle };
    html! {
        <Dialog id="sign-dialog" title={i18n.t(title)} on_close={props.on_close.clone()}>
            <form class="form-stack" {onsubmit} novalidate=true>
                <p class={classes!("sign-meaning", step.is_return().then_some("sign-meaning-return"))} id="sign-meaning">
                    { i18n.t(step.meaning()) }
                </p>
                <dl class="facts sign-what" aria-label={i18n.t(K::SignWhat)}>
                    <div><dt>{ i18n.t(K::SignReference) }</dt><dd class="mono" id="sign-reference">{ r.reference.clone() }</dd></div>
                    <div><dt>{ i18n.t(K::DocTitleLabel) }</dt><dd>{ r.title.clone() }</dd></div>
                    <div><dt>{ i18n.t(K::SignContentHash) }</dt><dd class="mono hash" id="sign-hash">{ r.content_sha256.clone() }</dd></div>
                </dl>
                if step == Step::Approve {
                    <div class="field">
                        <label for="sign-effective-date">{ i18n.t(K::EffectiveDateLabel) }</label>
                        <input id="sign-effective-date" type="date" value={(*date).clone()} min={today_plus(0)} oninput={text_input(&date)} />
                        if let Some(planned) = planned.as_ref().filter(|p| **p != *date) {
                            <p class="field-warning" id="sign-date-differs" role="status" data-planned={planned.clone()}>
                                { i18n.tf(K::ApprovalDateDiffers, &[&long_date(i18n.lang, planned)]) }
                            </p>
                        }
                    </div>
                }
                if step != Step::Submit {
                    <div class={classes!("field", comment_error.is_some().then_some("has-error"))}>
                        <label for="sign-comment">
                            { i18n.t(K::SignComment) }
                            if step.is_return() { <span class="req" aria-hidden="true">{ " *" }</span> }
                        </label>
                        <textarea id="sign-comment" rows="3" value={(*comment).clone()}
                            oninput={let c = comment.clone(); move |e: InputEvent| c.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())} />
                        if let Some(text) = (*comment_error).clone() { <p class="field-error" id="sign-comment-error">{ text }</p> }
                    </div>
                }
                <div class="field">
                    <label for="sign-password">{ i18n.t(K::SignPassword) }</label>
                    <input id="sign-password" type="password" autocomplete="current-password" value={(*password).clone()} oninput={text_input(&password)} />
                </div>
                if let Some(text) = (*problem).clone() {
                    <div class="banner banner-error error-banner" role="alert" id="sign-error"><span class="banner-text">{ text }</span></div>
                }
                <div class="form-actions">
                    <button type="button" class="btn btn-secondary" onclick={let c = props.on_close.clone(); move |_| c.emit(())}>{ i18n.t(K::Cancel) }</button>
                    <button type="submit" id="sign-confirm" class={classes!("btn", if step.is_return() { "btn-danger" } else { "btn-primary" })} disabled={*busy}>
                        { if *busy { i18n.t(K::Signing) } else if step.is_return() { i18n.t(K::ReturnConfirm) } else { i18n.t(K::SignConfirm) } }
                    </button>
                </div>
            </form>
        </Dialog>
    }
}

/// An upload failure in plain words.
fn upload_error_text(lang: Lang, error: &ApiError) -> String {
    let file_code = error.fields().and_then(|f| f.get("file")).map(String::as_str);
    let key = match (error.status(), file_code) {
        (Some(413), _) => K::AttachmentTooLarge,
        (_, Some("not_pdf_or_docx")) => K::AttachmentNotPdfOrDocx,
        (_, Some("required")) => K::AttachmentNoFile,
        (Some(409), _) => K::AttachmentWrongState,
        (Some(403), _) => K::AttachmentForbidden,
        _ => return crate::components::status::error_text(lang, error),
    };
    t(lang, key).to_owned()
}

#[derive(Properties, PartialEq)]
struct AttachmentPanelProps {
    code: String,
    rev: i32,
    attachment: Option<AttachmentInfo>,
    /// A draft and a role that prepares revisions: the upload form shows.
    may_upload: bool,
    reload: Callback<()>,
}

/// The original file of the revision (PDF or DOCX): what it is, a download, and for a draft an
/// upload that replaces it.
#[component]
fn AttachmentPanel(props: &AttachmentPanelProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let input = use_node_ref();
    let uploading = use_state(|| false);
    let downloading = use_state(|| false);
    let problem = use_state(|| None::<String>);
    let uploaded = use_state(|| false);

    let on_upload = {
        let (api, input, uploading, problem, uploaded, reload) =
            (api.clone(), input.clone(), uploading.clone(), problem.clone(), uploaded.clone(), props.reload.clone());
        let (code, rev, lang) = (props.code.clone(), props.rev, i18n.lang);
        Callback::from(move |_: MouseEvent| {
            if *uploading {
                return;
            }
            uploaded.set(false);
            let Some(element) = input.cast::<HtmlInputElement>() else { return };
            let Some(file) = element.files().and_then(|files| files.get(0)) else {
                problem.set(Some(t(lang, K::AttachmentNoFile).to_owned()));
                return;
            };
            if file.size() > UPLOAD_LIMIT {
                problem.set(Some(t(lang, K::AttachmentTooLarge).to_owned()));
                return;
            }
            problem.set(None);
            uploading.set(true);
            let (api, uploading, problem, uploaded, reload, code) =
                (api.clone(), uploading.clone(), problem.clone(), uploaded.clone(), reload.clone(), code.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.upload_attachment(&code, rev, &file).await {
                    Ok(_) => {
                        element.set_value("");
                        uploaded.set(true);
                        reload.emit(());
                    }
                    Err(error) => problem.set(Some(upload_error_text(lang, &error))),
                }
                uploading.set(false);
            });
        })
    };

    let on_download = {
        let (api, downloading, problem) = (api.clone(), downloading.clone(), problem.clone());
        let (code, rev, lang) = (props.code.clone(), props.rev, i18n.lang);
        let filename = props.attachment.as_ref().map(|a| a.filename.clone()).unwrap_or_default();
        Callback::from(move |_: MouseEvent| {
            if *downloading {
                return;
            }
            downloading.set(true);
            problem.set(None);
            let (api, downloading, problem, code, filename) =
                (api.clone(), downloading.clone(), problem.clone(), code.clone(), filename.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.download_attachment(&code, rev).await {
                    Ok(file) => {
                        if save_file(&file.bytes, &file.content_type, &filename).is_none() {
                            problem.set(Some(t(lang, K::ErrNetwork).to_owned()));
                        }
                    }
                    Err(error) => problem.set(Some(crate::components::status::error_text(lang, &error))),
                }
                downloading.set(false);
            });
        })
    };

    let facts = match &props.attachment {
        Some(a) => {
            let short_hash: String = a.sha256.chars().take(16).collect();
            html! {
                <div class="attachment-row">
                    <dl class="facts attachment-facts">
                        <div><dt>{ i18n.t(K::AttachmentName) }</dt><dd id="attachment-name">{ a.filename.clone() }</dd></div>
                        <div><dt>{ i18n.t(K::AttachmentType) }</dt><dd id="attachment-type">{ file_kind(&a.content_type).to_owned() }</dd></div>
                        <div><dt>{ i18n.t(K::AttachmentSize) }</dt>
                            <dd id="attachment-size" title={i18n.tf(K::AttachmentBytes, &[&count(i18n.lang, a.size)])}>{ file_size(i18n.lang, a.size) }</dd></div>
                        <div><dt>{ i18n.t(K::AttachmentHash) }</dt>
                            <dd class="mono" id="attachment-sha256" title={a.sha256.clone()}>{ format!("{short_hash}…") }</dd></div>
                        <div><dt>{ i18n.t(K::AttachmentUploadedAt) }</dt>
                            <dd id="attachment-uploaded-at">{ long_datetime(i18n.lang, &a.uploaded_at) }</dd></div>
                    </dl>
                    <button id="attachment-download" type="button" class="btn btn-secondary" onclick={on_download} disabled={*downloading}>
                        { if *downloading { i18n.t(K::AttachmentDownloading) } else { i18n.t(K::AttachmentDownload) } }
                    </button>
                </div>
            }
        }
        None => html! { <p class="muted" id="attachment-none">{ i18n.t(K::AttachmentNone) }</p> },
    };
    let upload_label = if props.attachment.is_some() { K::AttachmentReplace } else { K::AttachmentUpload };
    html! {
        <section class="card attachment-panel" id="attachment-panel" aria-labelledby="attachment-title"
            data-has-file={props.attachment.is_some().to_string()}>
            <h2 id="attachment-title" class="card-title">{ i18n.t(K::AttachmentTitle) }</h2>
            { facts }
            if props.may_upload {
                <div class="attachment-upload">
                    <label for="attachment-file">{ i18n.t(K::AttachmentChoose) }</label>
                    <div class="attachment-upload-row">
                        <input id="attachment-file" type="file" accept=".pdf,.docx" ref={input} disabled={*uploading} />
                        <button id="attachment-upload" type="button" class="btn btn-primary" onclick={on_upload} disabled={*uploading}>
                            { if *uploading { i18n.t(K::AttachmentUploading) } else { i18n.t(upload_label) } }
                        </button>
                        if *uploading {
                            <progress id="attachment-progress" aria-label={i18n.t(K::AttachmentUploading)}></progress>
                        }
                    </div>
                </div>
            }
            if let Some(text) = (*problem).clone() {
                <div class="banner banner-error error-banner" role="alert" id="attachment-error"><span class="banner-text">{ text }</span></div>
            }
            if *uploaded {
                <div class="banner banner-success" role="status" id="attachment-ok"><span class="banner-text">{ i18n.t(K::AttachmentUploaded) }</span></div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct AckPanelProps {
    code: String,
    rev: i32,
}

/// Who has and has not confirmed reading an effective revision.
#[component]
fn AckPanel(props: &AckPanelProps) -> Html {
    let i18n = use_i18n();
    let acks =
        use_fetch(
            (props.code.clone(), props.rev),
            |api, (code, rev)| async move { api.acknowledgements(&code, rev).await },
        );
    let content = match &*acks.state {
        Load::Loading => html! { <Loading inline=true /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} /> },
        Load::Ready(status) => html! {
            <div class="grid grid-2">
                <div>
                    <h3 class="sub-title">{ i18n.tf(K::AckPending, &[&status.pending.len().to_string()]) }</h3>
                    if status.pending.is_empty() {
                        <p class="muted">{ i18n.t(K::AckAllRead) }</p>
                    } else {
                        <ul class="plain-list" id="ack-pending">
                            { for status.pending.iter().map(|u| html! {
                                <li data-username={u.username.clone()}>{ if u.full_name.is_empty() { u.username.clone() } else { u.full_name.clone() } }
                                    <span class="muted small">{ format!(" ({})", u.username) }</span></li>
                            }) }
                        </ul>
                    }
                </div>
                <div>
                    <h3 class="sub-title">{ i18n.tf(K::AckDone, &[&status.acknowledged.len().to_string()]) }</h3>
                    <ul class="plain-list" id="ack-done">
                        { for status.acknowledged.iter().map(|a| html! {
                            <li data-username={a.user.username.clone()}>
                                { if a.user.full_name.is_empty() { a.user.username.clone() } else { a.user.full_name.clone() } }
                                <span class="muted small">{ format!(" · {}", short_datetime(i18n.lang, &a.acknowledged_at)) }</span>
                            </li>
                        }) }
                    </ul>
                </div>
            </div>
        },
    };
    html! {
        <section class="card" id="ack-panel" aria-labelledby="ack-title">
            <h2 id="ack-title" class="card-title">{ i18n.t(K::AckTitle) }</h2>
            { content }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_sees_the_steps_it_may_sign() {
        use RevisionStatus as S;
        assert_eq!(steps_for(Role::DocController, S::Draft), vec![Step::Submit]);
        assert_eq!(steps_for(Role::QcCoordinator, S::InReview), vec![Step::Check, Step::ReturnFromReview]);
        assert_eq!(steps_for(Role::Manager, S::Checked), vec![Step::Approve, Step::ReturnFromApproval]);
        assert!(steps_for(Role::Agent, S::Draft).is_empty());
        assert!(steps_for(Role::Manager, S::InReview).is_empty());
        assert!(steps_for(Role::Admin, S::Effective).is_empty());
    }

    #[test]
    fn upload_errors_in_plain_words() {
        use domain::api::ErrorBody;
        let error = |status: u16, field: Option<&str>| ApiError::Status {
            status,
            body: ErrorBody {
                error: "x".into(),
                message: String::new(),
                fields: field.map(|code| [("file".to_owned(), code.to_owned())].into_iter().collect()),
                file_problem: None,
            },
        };
        assert_eq!(upload_error_text(Lang::Id, &error(413, None)), t(Lang::Id, K::AttachmentTooLarge));
        assert_eq!(
            upload_error_text(Lang::En, &error(422, Some("not_pdf_or_docx"))),
            t(Lang::En, K::AttachmentNotPdfOrDocx)
        );
        assert_eq!(upload_error_text(Lang::Id, &error(409, None)), t(Lang::Id, K::AttachmentWrongState));
        assert_eq!(upload_error_text(Lang::Id, &error(403, None)), t(Lang::Id, K::AttachmentForbidden));
    }
}
