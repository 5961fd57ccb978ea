//! `/documents/{code}`: one controlled document — kind, parent and children, for forms the
//! retention of its records, the effective revision, the list of revisions, a "new revision"
//! button for document roles and an "in force on…" tool.

use crate::api::ApiError;
use crate::app::{Route, use_api, use_auth, use_i18n, use_title};
use crate::components::dialog::Dialog;
use crate::components::doc_parts::{RouteLink, date_or_dash, revision_status_badge};
use crate::components::parts::{form_actions, head};
use crate::components::status::{ErrorBanner, Loading, Tone, tone_banner};
use crate::datetime::{long_datetime, now_time, today_plus, wall_datetime};
use crate::hooks::{Load, use_fetch};
use crate::i18n::{K, kind_key, retention_text};
use domain::api::{DocumentDetail, NewRevision, Revision};
use domain::{Action, can};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DocumentPageProps {
    pub code: String,
}

#[component]
pub fn DocumentPage(props: &DocumentPageProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::NavDocuments));
    let doc = use_fetch(props.code.clone(), |api, code| async move { api.get_document(&code).await });
    let body = match &*doc.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={doc.reload.clone()} /> },
        Load::Ready(detail) => html! { <DocumentView detail={detail.clone()} /> },
    };
    html! { <section class="page" data-page="document" data-code={props.code.clone()}>{ body }</section> }
}

#[derive(Properties, PartialEq)]
struct DocumentViewProps {
    detail: DocumentDetail,
}

#[component]
fn DocumentView(props: &DocumentViewProps) -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    let d = &props.detail;
    let may_prepare = auth.user().is_some_and(|u| can(u.role, Action::PrepareRevision));
    let asking = use_state(|| false);
    let dash = i18n.t(K::NoneDash);

    let facts = html! {
        <dl class="facts doc-facts">
            <div><dt>{ i18n.t(K::DocCode) }</dt><dd class="mono" data-field="code">{ d.code.clone() }</dd></div>
            <div><dt>{ i18n.t(K::DocKindLabel) }</dt><dd data-field="kind">{ i18n.t(kind_key(d.kind)) }</dd></div>
            <div>
                <dt>{ i18n.t(K::ParentDocument) }</dt>
                <dd data-field="parent">
                    { match &d.parent_code {
                        Some(parent) => html! { <RouteLink to={Route::Document { code: parent.clone() }} class="mono">{ parent.clone() }</RouteLink> },
                        None => html! { <span class="muted">{ i18n.t(K::NoParent) }</span> },
                    } }
                </dd>
            </div>
            <div>
                <dt>{ i18n.t(K::EffectiveRevision) }</dt>
                <dd data-field="effective">
                    { match &d.effective_revision {
                        Some(eff) => html! {
                            <>
                                <RouteLink to={Route::Revision { code: d.code.clone(), rev: eff.rev }} id={AttrValue::Static("open-effective")}>
                                    { eff.label.clone() }
                                </RouteLink>
                                { format!(" · {}", date_or_dash(i18n.lang, eff.effective_date.as_deref())) }
                            </>
                        },
                        None => html! { <span class="muted">{ i18n.t(K::NotYetEffective) }</span> },
                    } }
                </dd>
            </div>
            if let Some(months) = d.retention_months {
                <div><dt>{ i18n.t(K::RetentionLabel) }</dt><dd data-field="retention">{ retention_text(i18n.lang, months) }</dd></div>
            }
            if d.retention_months.is_some() || d.record_owner.is_some() {
                <div><dt>{ i18n.t(K::RecordOwnerLabel) }</dt><dd data-field="record-owner">{ d.record_owner.clone().unwrap_or_else(|| dash.to_owned()) }</dd></div>
            }
        </dl>
    };

    let revisions = if d.revisions.is_empty() {
        html! { <p class="empty">{ i18n.t(K::NoRevisions) }</p> }
    } else {
        html! {
            <table class="table" id="revisions-table">
                { head(i18n.lang, &[(K::RevisionLabel, false), (K::DocTitleLabel, false), (K::Status, false), (K::EffectiveDateLabel, false)]) }
                <tbody>
                    { for d.revisions.iter().map(|r| html! {
                        <tr key={r.rev} data-rev={r.rev.to_string()}>
                            <td class="nowrap"><RouteLink to={Route::Revision { code: d.code.clone(), rev: r.rev }}>{ r.label.clone() }</RouteLink></td>
                            <td>{ r.title.clone() }</td>
                            <td>{ revision_status_badge(&i18n, r.status) }</td>
                            <td class="nowrap">{ date_or_dash(i18n.lang, r.effective_date.as_deref()) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        }
    };

    let children = if d.children.is_empty() {
        html! { <p class="muted">{ i18n.t(K::NoChildren) }</p> }
    } else {
        html! {
            <ul class="doc-children" id="children">
                { for d.children.iter().map(|c| html! {
                    <li data-code={c.code.clone()}>
                        <RouteLink to={Route::Document { code: c.code.clone() }} class="mono">{ c.code.clone() }</RouteLink>
                        <span class="doc-child-title">{ c.title.clone() }</span>
                        <span class="muted small">
                            { i18n.t(kind_key(c.kind)) }
                            { c.effective_revision.as_ref().map(|e| format!(" · {}", e.label)).unwrap_or_default() }
                        </span>
                    </li>
                }) }
            </ul>
        }
    };

    let open_dialog = {
        let asking = asking.clone();
        Callback::from(move |_: MouseEvent| asking.set(true))
    };
    let close_dialog = {
        let asking = asking.clone();
        Callback::from(move |()| asking.set(false))
    };

    html! {
        <>
            <header class="page-head page-head-row">
                <div>
                    <p class="eyebrow"><RouteLink to={Route::Documents}>{ i18n.t(K::NavDocuments) }</RouteLink>{ " / " }<span class="mono">{ d.code.clone() }</span></p>
                    <h1 id="document-title">{ d.title.clone() }</h1>
                </div>
                if may_prepare {
                    <button id="new-revision" type="button" class="btn btn-primary" onclick={open_dialog}>{ i18n.t(K::NewRevision) }</button>
                }
            </header>
            <div class="grid grid-main-side">
                <div class="stack">
                    <section class="card" aria-labelledby="revisions-title">
                        <h2 id="revisions-title" class="card-title">{ i18n.t(K::RevisionsTitle) }</h2>
                        <div class="table-wrap">{ revisions }</div>
                    </section>
                    <section class="card" aria-labelledby="children-title">
                        <h2 id="children-title" class="card-title">{ i18n.t(K::Children) }</h2>
                        { children }
                    </section>
                </div>
                <div class="stack">
                    <section class="card">{ facts }</section>
                    <InForceTool code={d.code.clone()} />
                </div>
            </div>
            if *asking {
                <NewRevisionDialog code={d.code.clone()} on_close={close_dialog} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct NewRevisionDialogProps {
    code: String,
    on_close: Callback<()>,
}

/// Asks for the change description, creates the draft (a copy of the latest revision) and opens it.
#[component]
fn NewRevisionDialog(props: &NewRevisionDialogProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let navigator = use_navigator();
    let description = use_state(String::new);
    let field_error = use_state(|| None::<String>);
    let failure = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);

    let oninput = {
        let description = description.clone();
        Callback::from(move |e: InputEvent| description.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let onsubmit = {
        let (description, field_error, failure, busy, code, i18n) =
            (description.clone(), field_error.clone(), failure.clone(), busy.clone(), props.code.clone(), i18n.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let text = description.trim().to_owned();
            if text.is_empty() {
                field_error.set(Some(i18n.t(K::FieldRequired).to_owned()));
                return;
            }
            field_error.set(None);
            failure.set(None);
            busy.set(true);
            let body = NewRevision { title: None, body: None, change_description: text, planned_effective_date: None };
            let (api, field_error, failure, busy, code, navigator, lang) = (
                api.clone(),
                field_error.clone(),
                failure.clone(),
                busy.clone(),
                code.clone(),
                navigator.clone(),
                i18n.lang,
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api.create_revision(&code, &body).await {
                    Ok(rev) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Revision { code: rev.code.clone(), rev: rev.rev });
                        }
                        return;
                    }
                    Err(error) if error.fields().is_some_and(|f| f.contains_key("change_description")) => {
                        let code =
                            error.fields().and_then(|f| f.get("change_description")).cloned().unwrap_or_default();
                        field_error.set(Some(crate::i18n::field_error(lang, "change_description", &code)));
                    }
                    Err(error) => failure.set(Some(error)),
                }
                busy.set(false);
            });
        })
    };
    let in_progress = (*failure).as_ref().is_some_and(|e| e.code() == Some("revision_in_progress"));
    html! {
        <Dialog id="new-revision-dialog" title={i18n.t(K::NewRevision)} on_close={props.on_close.clone()}>
            <form class="form-stack" {onsubmit} novalidate=true>
                <p class="muted">{ i18n.t(K::NewRevisionIntro) }</p>
                if in_progress {
                    { tone_banner(Tone::Warning, i18n.t(K::RevisionInProgress)) }
                } else if let Some(error) = (*failure).clone() {
                    <ErrorBanner {error} />
                }
                <div class={classes!("field", field_error.is_some().then_some("has-error"))}>
                    <label for="revision-description">{ i18n.t(K::ChangeDescription) }<span class="req" aria-hidden="true">{ " *" }</span></label>
                    <textarea id="revision-description" rows="4" value={(*description).clone()} {oninput}
                        aria-invalid={field_error.is_some().then_some("true")} />
                    if let Some(text) = (*field_error).clone() {
                        <p class="field-error" id="revision-description-error">{ text }</p>
                    }
                </div>
                { form_actions(i18n.lang, "revision-create", K::CreateDraft, Some(K::Saving), *busy, Some(props.on_close.clone())) }
            </form>
        </Dialog>
    }
}

#[derive(Properties, PartialEq)]
struct InForceToolProps {
    code: String,
}

/// "Which revision was in force on this day?"
#[component]
fn InForceTool(props: &InForceToolProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let date = use_state(|| today_plus(0));
    let time = use_state(now_time);
    // The day and time asked about, and the answer.
    let answer = use_state(|| None::<((String, String), Result<Revision, ApiError>)>);
    let input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let onsubmit = {
        let (date, time, answer, code) = (date.clone(), time.clone(), answer.clone(), props.code.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (day, clock) = ((*date).clone(), (*time).clone());
            if day.is_empty() {
                return;
            }
            // A site-local wall time: the server reads it in its own zone. No time: 00:00.
            let clock = if clock.is_empty() { "00:00".to_owned() } else { clock.chars().take(5).collect() };
            let at = format!("{day}T{clock}");
            let (api, answer, code) = (api.clone(), answer.clone(), code.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = api.in_force(&code, &at).await;
                answer.set(Some(((day, clock), result)));
            });
        })
    };
    let result = match &*answer {
        None => Html::default(),
        Some(((day, clock), Ok(rev))) if rev.scheduled => html! {
            <p id="in-force-result" data-rev={rev.rev.to_string()} data-scheduled="true">
                { i18n.tf(K::InForceScheduled, &[
                    &wall_datetime(i18n.lang, day, clock),
                    &rev.label,
                    &rev.effective_at.as_deref().map(|at| long_datetime(i18n.lang, at)).unwrap_or_default(),
                ]) }{ " " }
                <RouteLink to={Route::Revision { code: rev.code.clone(), rev: rev.rev }}>{ rev.reference.clone() }</RouteLink>
            </p>
        },
        Some(((day, clock), Ok(rev))) => html! {
            <p id="in-force-result" data-rev={rev.rev.to_string()} data-scheduled="false">
                { i18n.tf(K::InForceResult, &[&wall_datetime(i18n.lang, day, clock), &rev.label]) }{ " " }
                <RouteLink to={Route::Revision { code: rev.code.clone(), rev: rev.rev }}>{ rev.reference.clone() }</RouteLink>
            </p>
        },
        Some(((day, clock), Err(error))) if error.status() == Some(404) => html! {
            <p id="in-force-result" data-rev="none" class="muted">{ i18n.tf(K::InForceNone, &[&wall_datetime(i18n.lang, day, clock)]) }</p>
        },
        Some((_, Err(error))) => html! { <ErrorBanner error={error.clone()} /> },
    };
    html! {
        <section class="card" aria-labelledby="in-force-title">
            <h2 id="in-force-title" class="card-title">{ i18n.t(K::InForceTitle) }</h2>
            <form class="toolbar in-force-form" {onsubmit}>
                <div class="field">
                    <label for="in-force-date">{ i18n.t(K::SigDate) }</label>
                    <input id="in-force-date" type="date" value={(*date).clone()} oninput={input(&date)} />
                </div>
                <div class="field">
                    <label for="in-force-time">{ i18n.t(K::InForceTime) }</label>
                    <input id="in-force-time" type="time" value={(*time).clone()} oninput={input(&time)} />
                </div>
                <button type="submit" id="in-force-check" class="btn btn-secondary">{ i18n.t(K::InForceCheck) }</button>
            </form>
            { result }
        </section>
    }
}
