//! `/documents`: the register of controlled documents, searchable by code or title and filtered by
//! kind, paged with "load more"; document roles also get the "new document" form.

use crate::api::DocFilter;
use crate::app::{I18n, Route, use_api, use_auth, use_i18n, use_title};
use crate::components::dialog::Dialog;
use crate::components::doc_parts::{RouteLink, date_or_dash};
use crate::components::fields::{SelectField, TextField};
use crate::components::paged::{list_body, shown_count};
use crate::components::parts::{form_actions, head};
use crate::components::status::{ErrorBanner, Tone, tone_banner};
use crate::datetime::count;
use crate::hooks::use_paged;
use crate::i18n::{K, field_error, kind_key};
use domain::api::{DocumentDetail, NewDocument};
use domain::documents::{DocKind, check_code};
use domain::{Action, can};
use std::collections::BTreeMap;
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn kind_options(i18n: &I18n, with_all: bool) -> Vec<(AttrValue, AttrValue)> {
    let all = with_all.then(|| (AttrValue::Static(""), AttrValue::Static(i18n.t(K::All))));
    all.into_iter()
        .chain(DocKind::ALL.iter().map(|k| (AttrValue::Static(k.as_str()), AttrValue::Static(i18n.t(kind_key(*k))))))
        .collect()
}

#[component]
pub fn DocumentsPage() -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    use_title(i18n.t(K::DocumentsTitle));
    let may_prepare = auth.user().is_some_and(|u| can(u.role, Action::PrepareRevision));
    let filter = use_state(DocFilter::default);
    let query = use_state(String::new);
    let notice = use_state(|| None::<String>);
    let creating = use_state(|| false);
    let docs =
        use_paged((*filter).clone(), |api, filter, cursor| async move { api.list_documents(&filter, cursor).await });

    let on_search = {
        let (filter, query) = (filter.clone(), query.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let q = query.trim().to_owned();
            filter.set(DocFilter { q: (!q.is_empty()).then_some(q), ..(*filter).clone() });
        })
    };
    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_kind = {
        let filter = filter.clone();
        Callback::from(move |kind: String| {
            filter.set(DocFilter { kind: (!kind.is_empty()).then_some(kind), ..(*filter).clone() });
        })
    };
    let on_created = {
        let (notice, reload, i18n, creating) = (notice.clone(), docs.reload.clone(), i18n.clone(), creating.clone());
        Callback::from(move |doc: DocumentDetail| {
            creating.set(false);
            notice.set(Some(i18n.tf(K::DocumentCreated, &[&doc.code])));
            reload.emit(());
        })
    };

    let list = &*docs.state;
    let table = list_body(list, i18n.t(K::EmptyList), || {
        html! {
            <div class="table-wrap">
                <table class="table" id="documents-table">
                    { head(i18n.lang, &[(K::DocCode, false), (K::DocTitleLabel, false), (K::DocKindLabel, false), (K::EffectiveRevision, false), (K::EffectiveDateLabel, false)]) }
                    <tbody>
                        { for list.items.iter().map(|d| html! {
                            <tr key={d.code.clone()} data-code={d.code.clone()}>
                                <td class="nowrap mono">
                                    <RouteLink to={Route::Document { code: d.code.clone() }}>{ d.code.clone() }</RouteLink>
                                </td>
                                <td>{ d.title.clone() }</td>
                                <td class="nowrap">{ i18n.t(kind_key(d.kind)) }</td>
                                { match &d.effective_revision {
                                    Some(eff) => html! {
                                        <>
                                            <td class="nowrap">
                                                <RouteLink to={Route::Revision { code: d.code.clone(), rev: eff.rev }}>{ eff.label.clone() }</RouteLink>
                                            </td>
                                            <td class="nowrap">{ date_or_dash(i18n.lang, eff.effective_date.as_deref()) }</td>
                                        </>
                                    },
                                    None => html! {
                                        <><td class="muted">{ i18n.t(K::NotYetEffective) }</td><td class="muted">{ i18n.t(K::NoneDash) }</td></>
                                    },
                                } }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        }
    });
    let shown = count(i18n.lang, list.items.len() as i64);
    let load_more = docs.load_more.clone();

    html! {
        <section class="page" data-page="documents">
            <header class="page-head page-head-row">
                <div>
                    <h1>{ i18n.t(K::DocumentsTitle) }</h1>
                    <p class="muted">{ i18n.t(K::DocumentsIntro) }</p>
                </div>
                if may_prepare {
                    <button id="new-document" type="button" class="btn btn-primary"
                        onclick={let c = creating.clone(); move |_| c.set(true)}>{ i18n.t(K::NewDocument) }</button>
                }
            </header>
            if let Some(text) = (*notice).clone() {
                { tone_banner(Tone::Success, text) }
            }
                <section class="card" aria-labelledby="register-title">
                    <h2 id="register-title" class="sr-only">{ i18n.t(K::DocumentsTitle) }</h2>
                    <form class="toolbar" role="search" onsubmit={on_search}>
                        <div class="field">
                            <label for="doc-search">{ i18n.t(K::SearchDocuments) }</label>
                            <input id="doc-search" type="search" value={(*query).clone()} oninput={on_query} />
                        </div>
                        <SelectField id="doc-kind-filter" label={i18n.t(K::DocKindLabel)}
                            value={filter.kind.clone().unwrap_or_default()} options={kind_options(&i18n, true)} on_change={on_kind} />
                        <button type="submit" id="doc-search-submit" class="btn btn-secondary">{ i18n.t(K::Search) }</button>
                    </form>
                    if let Some(error) = list.error.clone() {
                        <ErrorBanner {error} on_retry={docs.reload.clone()} />
                    }
                    { table }
                    <div class="list-foot">
                        { shown_count(list, &i18n, &shown) }
                        if list.next_cursor.is_some() {
                            <button type="button" id="documents-more" class="btn btn-secondary btn-small"
                                disabled={list.loading_more} onclick={move |_| load_more.emit(())}>
                                { if list.loading_more { i18n.t(K::Loading) } else { i18n.t(K::LoadMore) } }
                            </button>
                        }
                    </div>
                </section>
            if *creating {
                <Dialog id="new-document-dialog" title={i18n.t(K::NewDocument)}
                    on_close={let c = creating.clone(); Callback::from(move |()| c.set(false))}>
                    <NewDocumentForm on_created={on_created} />
                </Dialog>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct NewDocumentFormProps {
    on_created: Callback<DocumentDetail>,
}

#[derive(Clone, PartialEq, Default)]
struct Draft {
    code: String,
    kind: String,
    title: String,
    parent: String,
    retention: String,
    owner: String,
}

/// The client-side checks: the shared code rule, the required fields, form-only fields.
fn check_draft(draft: &Draft) -> BTreeMap<String, String> {
    let mut errors = BTreeMap::new();
    let kind = draft.kind.parse().unwrap_or(DocKind::Procedure);
    if draft.code.trim().is_empty() {
        errors.insert("code".into(), "required".into());
    } else if let Err(code) = check_code(draft.code.trim(), kind) {
        errors.insert("code".into(), code.into());
    }
    if draft.title.trim().is_empty() {
        errors.insert("title".into(), "required".into());
    }
    if kind == DocKind::Form {
        match draft.retention.trim().parse::<i32>() {
            Err(_) if draft.retention.trim().is_empty() => {
                errors.insert("retention_months".into(), "required".into());
            }
            Ok(n) if (1..=1200).contains(&n) => {}
            _ => {
                errors.insert("retention_months".into(), "out_of_range".into());
            }
        }
    }
    errors
}

#[component]
fn NewDocumentForm(props: &NewDocumentFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let draft = use_state(|| Draft { kind: "procedure".into(), ..Draft::default() });
    let errors = use_state(BTreeMap::<String, String>::new);
    let failure = use_state(|| None::<crate::api::ApiError>);
    let busy = use_state(|| false);

    let set = |apply: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            apply(&mut next, value);
            draft.set(next);
        })
    };
    let is_form = draft.kind == "form";

    let onsubmit = {
        let (draft, errors, failure, busy, on_created) =
            (draft.clone(), errors.clone(), failure.clone(), busy.clone(), props.on_created.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let found = check_draft(&draft);
            errors.set(found.clone());
            failure.set(None);
            if !found.is_empty() {
                return;
            }
            let form = draft.kind == "form";
            let body = NewDocument {
                code: draft.code.trim().to_owned(),
                kind: draft.kind.clone(),
                title: draft.title.trim().to_owned(),
                parent_code: (!draft.parent.trim().is_empty()).then(|| draft.parent.trim().to_owned()),
                retention_months: if form { draft.retention.trim().parse().ok() } else { None },
                record_owner: (form && !draft.owner.trim().is_empty()).then(|| draft.owner.trim().to_owned()),
            };
            busy.set(true);
            let (api, draft, errors, failure, busy, on_created) =
                (api.clone(), draft.clone(), errors.clone(), failure.clone(), busy.clone(), on_created.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.create_document(&body).await {
                    Ok(doc) => {
                        draft.set(Draft { kind: draft.kind.clone(), ..Draft::default() });
                        on_created.emit(doc);
                    }
                    Err(error) if error.code() == Some("code_taken") => {
                        errors.set(BTreeMap::from([("code".to_owned(), "code_taken".to_owned())]));
                    }
                    Err(error) if error.fields().is_some() => {
                        errors.set(error.fields().cloned().unwrap_or_default());
                    }
                    Err(error) => failure.set(Some(error)),
                }
                busy.set(false);
            });
        })
    };

    let err = |field: &str| errors.get(field).map(|code| field_error(i18n.lang, field, code));
    html! {
        <section aria-label={i18n.t(K::NewDocument)}>
            <form class="form-stack" onsubmit={onsubmit} novalidate=true>
                if let Some(error) = (*failure).clone() {
                    <ErrorBanner {error} />
                }
                <SelectField id="new-doc-kind" label={i18n.t(K::DocKindLabel)} value={draft.kind.clone()}
                    options={kind_options(&i18n, false)} on_change={set(|d, v| d.kind = v)} required=true />
                <TextField id="new-doc-code" label={i18n.t(K::DocCode)} value={draft.code.clone()}
                    on_change={set(|d, v| d.code = crate::text::upper(&v))} error={err("code")} hint={AttrValue::Static(i18n.t(K::CodeHint))} required=true />
                <TextField id="new-doc-title" label={i18n.t(K::DocTitleLabel)} value={draft.title.clone()}
                    on_change={set(|d, v| d.title = v)} error={err("title")} required=true />
                <TextField id="new-doc-parent" label={i18n.t(K::ParentDocument)} value={draft.parent.clone()}
                    on_change={set(|d, v| d.parent = crate::text::upper(&v))} error={err("parent_code")} />
                if is_form {
                    <TextField id="new-doc-retention" label={i18n.t(K::RetentionMonthsField)} kind="number" value={draft.retention.clone()}
                        on_change={set(|d, v| d.retention = v)} error={err("retention_months")} required=true />
                    <TextField id="new-doc-owner" label={i18n.t(K::RecordOwnerField)} value={draft.owner.clone()}
                        on_change={set(|d, v| d.owner = v)} error={err("record_owner")} />
                }
                { form_actions(i18n.lang, "create-document", K::CreateDocument, Some(K::Saving), *busy, None) }
            </form>
        </section>
    }
}
