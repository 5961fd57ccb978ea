//! `/cases/checklist`: the wording of the W-04 tapping checklist a QCO ticks on a case. The
//! wording is part of W-04, a controlled document: the version in force is shown with who signed
//! it, when and why, and the earlier versions below it (each opens to its wording). The QRD
//! coordinator edits the Indonesian and English text of the four fixed items and signs the
//! change as a new version with a reason and their password; every other role that sees cases
//! reads it here.

use crate::api::ApiError;
use crate::app::{Route, use_api, use_auth, use_i18n, use_title};
use crate::components::doc_parts::RouteLink;
use crate::components::fields::{TextField, setter};
use crate::components::paged::{list_body, load_more_button};
use crate::components::parts::{fact, head, txt};
use crate::components::status::{ErrorBanner, Loading, Tone, tone_banner};
use crate::datetime::long_datetime;
use crate::hooks::{Load, use_fetch, use_paged};
use crate::i18n::{K, Lang, field_error, role_key, t, tf};
use domain::Role;
use domain::cases::{
    CHECKLIST_KEYS, ChecklistChange, ChecklistItem, ChecklistLabels, ChecklistVersion, check_checklist_change,
};
use std::collections::BTreeMap;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[component]
pub fn ChecklistPage() -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    use_title(i18n.t(K::ChecklistEditTitle));
    let editor = auth.user().is_some_and(|u| u.role == Role::QcCoordinator);
    let current = use_fetch((), |api, ()| async move { api.get_checklist().await });
    let versions = use_paged((), |api, (), cursor| async move { api.checklist_versions(cursor).await });
    // The version just signed here, for the success banner.
    let signed = use_state(|| None::<i64>);
    let on_signed = {
        let (signed, reload, reload_versions) = (signed.clone(), current.reload.clone(), versions.reload.clone());
        Callback::from(move |version: ChecklistVersion| {
            signed.set(Some(version.version));
            reload.emit(());
            reload_versions.emit(());
        })
    };
    let on_editing = {
        let signed = signed.clone();
        Callback::from(move |()| signed.set(None))
    };
    let lang = i18n.lang;
    let body = match &*current.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={current.reload.clone()} /> },
        Load::Ready(version) => html! {
            <>
                { in_force(lang, version) }
                if editor {
                    <ChecklistForm current={version.clone()} {on_signed} {on_editing} />
                } else {
                    { read_only(lang, "checklist-table", &in_order(&version.labels())) }
                }
            </>
        },
    };
    let list = &*versions.state;
    html! {
        <section class="page" data-page="case-checklist">
            <header class="page-head">
                <p class="eyebrow"><RouteLink to={Route::Cases}>{ i18n.t(K::CasesTitle) }</RouteLink>{ " / W-04" }</p>
                <h1>{ i18n.t(K::ChecklistEditTitle) }</h1>
                <p class="muted">{ i18n.t(if editor { K::ChecklistEditIntro } else { K::ChecklistReadOnly }) }</p>
            </header>
            if let Some(version) = *signed {
                <div id="checklist-signed">{ tone_banner(Tone::Success, i18n.tf(K::ChecklistSigned, &[&version.to_string()])) }</div>
            }
            <div class="stack">
                { body }
                <section class="card checklist-versions" aria-labelledby="checklist-versions-title" id="checklist-versions">
                    <h2 id="checklist-versions-title" class="card-title">{ i18n.t(K::ChecklistVersionsTitle) }</h2>
                    if let Some(error) = list.error.clone() {
                        <ErrorBanner {error} on_retry={versions.reload.clone()} />
                    }
                    { list_body(list, "", || html! {
                        <div class="version-list">
                            { for list.items.iter().enumerate().map(|(n, v)| version_entry(lang, v, n == 0)) }
                        </div>
                    }) }
                    { load_more_button(list, &i18n, &versions.load_more) }
                </section>
            </div>
        </section>
    }
}

/// Who signed a version and when, or that it was carried over unsigned.
fn signer_line(lang: Lang, v: &ChecklistVersion) -> String {
    let at = long_datetime(lang, &v.signed_at);
    match (&v.signer_name, v.signer_role) {
        (Some(name), Some(role)) => tf(lang, K::ChecklistSignedBy, &[name, t(lang, role_key(role)), &at]),
        (Some(name), None) => tf(lang, K::ChecklistSignedBy, &[name, "–", &at]),
        _ => tf(lang, K::ChecklistUnsigned, &[&at]),
    }
}

/// The version in force: its number, signer, time and reason.
fn in_force(lang: Lang, v: &ChecklistVersion) -> Html {
    html! {
        <section class="card" aria-labelledby="checklist-in-force-title" id="checklist-in-force" data-version={v.version.to_string()}>
            <h2 id="checklist-in-force-title" class="card-title">
                { t(lang, K::ChecklistInForceTitle) }{ " · " }
                <span id="checklist-version">{ tf(lang, K::ChecklistVersionN, &[&v.version.to_string()]) }</span>
            </h2>
            { signature_facts(lang, v, "checklist-signer", "checklist-reason") }
        </section>
    }
}

/// Who signed a version (when) and why, as facts; `signer_id` and `reason_id` name the values.
fn signature_facts(lang: Lang, v: &ChecklistVersion, signer_id: &str, reason_id: &str) -> Html {
    html! {
        <dl class="facts">
            { fact(t(lang, K::ChecklistSignatureLabel), "signer", html! { <span id={signer_id.to_owned()}>{ signer_line(lang, v) }</span> }) }
            { fact(t(lang, K::ChecklistReasonLabel), "reason", html! { <span class="plain" id={reason_id.to_owned()}>{ v.reason.clone() }</span> }) }
        </dl>
    }
}

/// One version of the history, opened to show its signature, reason and wording.
fn version_entry(lang: Lang, v: &ChecklistVersion, newest: bool) -> Html {
    let n = v.version.to_string();
    let signer = match &v.signer_name {
        Some(name) => name.clone(),
        None => t(lang, K::ChecklistNotSigned).to_owned(),
    };
    html! {
        <details class="checklist-version" data-version={n.clone()} id={format!("checklist-version-{n}")}>
            <summary>
                <strong>{ tf(lang, K::ChecklistVersionN, &[&n]) }</strong>
                { format!(" · {} · {signer}", long_datetime(lang, &v.signed_at)) }
                if newest { { " " }<span class="badge badge-ok">{ t(lang, K::ChecklistInForceMark) }</span> }
            </summary>
            { signature_facts(lang, v, &format!("checklist-version-{n}-signer"), &format!("checklist-version-{n}-reason")) }
            { read_only(lang, &format!("checklist-version-{n}-table"), &in_order(&v.labels())) }
        </details>
    }
}

/// One row per fixed item, in the order a QCO sees them (a missing one left blank).
fn in_order(saved: &ChecklistLabels) -> ChecklistLabels {
    let items = CHECKLIST_KEYS
        .iter()
        .map(|key| {
            saved.items.iter().find(|i| i.key == *key).cloned().unwrap_or_else(|| ChecklistItem {
                key: (*key).to_owned(),
                label_id: String::new(),
                label_en: String::new(),
            })
        })
        .collect();
    ChecklistLabels { items }
}

/// A wording as a table (the version in force for the roles that may not change it, and every
/// version in the history).
fn read_only(lang: Lang, id: &str, labels: &ChecklistLabels) -> Html {
    html! {
        <div class="table-wrap">
            <table class="table" id={id.to_owned()} aria-label={t(lang, K::ChecklistItemsTitle)}>
                { head(lang, &[(K::ChecklistItemCol, false), (K::LabelIdText, false), (K::LabelEnText, false)]) }
                <tbody>
                    { for labels.items.iter().enumerate().map(|(n, item)| html! {
                        <tr data-item={item.key.clone()}>
                            <td class="nowrap">{ tf(lang, K::ChecklistItemN, &[&(n + 1).to_string()]) }</td>
                            <td lang="id">{ txt(item.label_id.clone()) }</td>
                            <td lang="en">{ txt(item.label_en.clone()) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ChecklistFormProps {
    current: ChecklistVersion,
    on_signed: Callback<ChecklistVersion>,
    /// The coordinator starts another attempt (the last success banner goes).
    on_editing: Callback<()>,
}

/// Four items, each with its Indonesian and English text, the reason, the password, and Sign.
#[component]
fn ChecklistForm(props: &ChecklistFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let draft = use_state(|| in_order(&props.current.labels()));
    let reason = use_state(String::new);
    let password = use_state(String::new);
    let errors = use_state(BTreeMap::<String, String>::new);
    let failure = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let lang = i18n.lang;

    let onsubmit = {
        let (draft, reason, password, errors, failure, busy) =
            (draft.clone(), reason.clone(), password.clone(), errors.clone(), failure.clone(), busy.clone());
        let (on_signed, on_editing, current) =
            (props.on_signed.clone(), props.on_editing.clone(), props.current.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            on_editing.emit(());
            failure.set(None);
            let body = ChecklistChange {
                items: draft.items.clone(),
                reason: (*reason).clone(),
                password: (*password).clone(),
                version: Some(current.version),
            };
            let mut found = match check_checklist_change(&body) {
                Ok(labels) if labels == current.labels() => {
                    BTreeMap::from([("items".to_owned(), "unchanged".to_owned())])
                }
                Ok(_) => BTreeMap::new(),
                Err(found) => found,
            };
            if password.is_empty() {
                found.insert("password".into(), "required".into());
            }
            if !found.is_empty() {
                errors.set(found);
                return;
            }
            errors.set(BTreeMap::new());
            busy.set(true);
            let (api, errors, failure, busy, password, on_signed) =
                (api.clone(), errors.clone(), failure.clone(), busy.clone(), password.clone(), on_signed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = api.save_checklist(&body).await;
                busy.set(false);
                match result {
                    Ok(version) => on_signed.emit(version),
                    Err(error) if error.code() == Some("wrong_password") => {
                        password.set(String::new());
                        errors.set(BTreeMap::from([("password".to_owned(), "wrong_password".to_owned())]));
                    }
                    Err(error) => match error.fields() {
                        Some(fields) if error.status() == Some(422) && !fields.is_empty() => errors.set(fields.clone()),
                        _ => failure.set(Some(error)),
                    },
                }
            });
        })
    };
    // Fills the form with the app's built-in wording; nothing is saved until it is signed.
    let on_defaults = {
        let (draft, errors) = (draft.clone(), errors.clone());
        Callback::from(move |_: MouseEvent| {
            draft.set(ChecklistLabels::default());
            errors.set(BTreeMap::new());
        })
    };
    let edit = |n: usize, english: bool| {
        let draft = draft.clone();
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            if let Some(item) = next.items.get_mut(n) {
                if english { item.label_en = value } else { item.label_id = value }
            }
            draft.set(next);
        })
    };
    let error = |name: &str| errors.get(name).map(|code| field_error(lang, name, code));
    // Problems the fields do not show (an item missing or unknown, the same wording again).
    let other = errors
        .iter()
        .find(|(name, _)| name.starts_with("items") && !name.ends_with(".label_id") && !name.ends_with(".label_en"))
        .map(|(name, code)| {
            if code == "unchanged" {
                field_error(lang, name, code)
            } else {
                format!("{name}: {}", field_error(lang, name, code))
            }
        });
    let password_error = errors.get("password").map(|code| match code.as_str() {
        "wrong_password" => t(lang, K::SignWrongPassword).to_owned(),
        code => field_error(lang, "password", code),
    });
    let reason_error = error("reason");
    let conflict = failure.as_ref().is_some_and(|f| f.code() == Some("checklist_changed"));

    html! {
        <section class="card checklist-editor" aria-labelledby="checklist-form-title">
            <h2 id="checklist-form-title" class="card-title">{ i18n.t(K::ChecklistItemsTitle) }</h2>
            if conflict {
                <div id="checklist-conflict">{ tone_banner(Tone::Warning, i18n.t(K::ChecklistChangedMeanwhile)) }</div>
            } else if let Some(error) = (*failure).clone() {
                <ErrorBanner {error} />
            }
            if let Some(text) = other {
                { crate::components::parts::error_line("checklist-error", text) }
            }
            <form id="checklist-form" class="form-stack" {onsubmit} novalidate=true>
                { for draft.items.iter().enumerate().map(|(n, item)| {
                    let key = item.key.clone();
                    html! {
                        <fieldset class="checklist-item" data-item={key.clone()}>
                            <legend>{ tf(lang, K::ChecklistItemN, &[&(n + 1).to_string()]) }</legend>
                            <TextField id={format!("label-id-{key}")} label={t(lang, K::LabelIdText)} value={item.label_id.clone()}
                                on_change={edit(n, false)} error={error(&format!("items.{key}.label_id"))} required=true disabled={*busy} />
                            <TextField id={format!("label-en-{key}")} label={t(lang, K::LabelEnText)} value={item.label_en.clone()}
                                on_change={edit(n, true)} error={error(&format!("items.{key}.label_en"))} required=true disabled={*busy} />
                        </fieldset>
                    }
                }) }
                <div class={classes!("field", reason_error.is_some().then_some("has-error"))}>
                    <label for="checklist-reason-input">
                        { i18n.t(K::ChecklistReasonLabel) }<span class="req" aria-hidden="true">{ " *" }</span>
                    </label>
                    <textarea id="checklist-reason-input" rows="3" value={(*reason).clone()} disabled={*busy}
                        aria-required="true" aria-invalid={reason_error.is_some().then_some("true")}
                        aria-describedby={if reason_error.is_some() { "checklist-reason-input-error" } else { "checklist-reason-input-hint" }}
                        oninput={let r = reason.clone(); move |e: InputEvent| r.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())} />
                    if let Some(text) = reason_error {
                        <p class="field-error" id="checklist-reason-input-error">{ text }</p>
                    } else {
                        <p class="field-hint" id="checklist-reason-input-hint">{ i18n.t(K::ChecklistReasonHint) }</p>
                    }
                </div>
                <p class="sign-meaning" id="checklist-sign-meaning">{ i18n.t(K::ChecklistSignMeaning) }</p>
                <TextField id="checklist-password" label={i18n.t(K::ChecklistSignPassword)} value={(*password).clone()}
                    kind="password" autocomplete="current-password" required=true disabled={*busy} error={password_error}
                    on_change={setter(&password)} />
                <div class="form-actions">
                    <button type="button" id="checklist-defaults" class="btn btn-secondary" onclick={on_defaults} disabled={*busy}>
                        { i18n.t(K::ChecklistDefaults) }
                    </button>
                    <button type="submit" id="checklist-save" class="btn btn-primary" disabled={*busy}>
                        { if *busy { i18n.t(K::Signing) } else { i18n.t(K::ChecklistSignSave) } }
                    </button>
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_has_one_row_per_fixed_item_in_order() {
        let mut saved = ChecklistLabels::default();
        saved.items.reverse();
        saved.items.remove(0);
        let rows = in_order(&saved);
        assert_eq!(rows.items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), CHECKLIST_KEYS);
        assert_eq!(rows.items[0], ChecklistLabels::default().items[0]);
        assert!(rows.items[3].label_id.is_empty() && rows.items[3].label_en.is_empty(), "a missing item is left blank");
    }

    #[test]
    fn label_problems_are_in_words() {
        assert_eq!(
            field_error(Lang::En, "items.identity_verified.label_en", "too_long"),
            "Too long: at most 200 characters."
        );
        assert_eq!(field_error(Lang::Id, "reason", "required"), "Wajib diisi.");
        assert_eq!(field_error(Lang::En, "items", "unchanged"), t(Lang::En, K::ChecklistUnchanged));
    }

    #[test]
    fn a_version_names_its_signer_or_says_it_was_not_signed() {
        let mut v = ChecklistVersion {
            version: 2,
            items: ChecklistLabels::default().items,
            signed_by: Some(4),
            signer_name: Some("Rina Koordinator".into()),
            signer_role: Some(Role::QcCoordinator),
            signed_at: "2026-12-06T03:00:00.000000Z".into(),
            reason: "Butir 1 diperjelas".into(),
        };
        let line = signer_line(Lang::En, &v);
        assert!(line.starts_with("Signed by Rina Koordinator ("), "{line}");
        v.signed_by = None;
        v.signer_name = None;
        v.signer_role = None;
        assert!(signer_line(Lang::Id, &v).contains("tidak ditandatangani"));
    }
}
