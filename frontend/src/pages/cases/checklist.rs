//! `/cases/checklist`: the wording of the W-04 tapping checklist a QCO ticks on a case. The QRD
//! coordinator edits the Indonesian and English text of the four fixed items; every other role
//! that sees cases reads it here.

use crate::api::ApiError;
use crate::app::{Route, use_api, use_auth, use_i18n, use_title};
use crate::components::doc_parts::RouteLink;
use crate::components::fields::TextField;
use crate::components::parts::{head, txt};
use crate::components::status::{Banner, ErrorBanner, Loading, Tone};
use crate::hooks::{Load, use_fetch};
use crate::i18n::{K, Lang, field_error, t, tf};
use domain::Role;
use domain::cases::{CHECKLIST_KEYS, ChecklistItem, ChecklistLabels, check_checklist_labels};
use std::collections::BTreeMap;
use yew::prelude::*;

/// The longest label the server takes, in characters.
const LABEL_MAX: usize = 200;

#[component]
pub fn ChecklistPage() -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    use_title(i18n.t(K::ChecklistEditTitle));
    let editor = auth.user().is_some_and(|u| u.role == Role::QcCoordinator);
    let labels = use_fetch((), |api, ()| async move { api.get_checklist().await });
    let body = match &*labels.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={labels.reload.clone()} /> },
        Load::Ready(saved) if editor => html! { <ChecklistForm saved={in_order(saved)} /> },
        Load::Ready(saved) => read_only(i18n.lang, &in_order(saved)),
    };
    html! {
        <section class="page" data-page="case-checklist">
            <header class="page-head">
                <p class="eyebrow"><RouteLink to={Route::Cases}>{ i18n.t(K::CasesTitle) }</RouteLink>{ " / W-04" }</p>
                <h1>{ i18n.t(K::ChecklistEditTitle) }</h1>
                <p class="muted">{ i18n.t(if editor { K::ChecklistEditIntro } else { K::ChecklistReadOnly }) }</p>
            </header>
            { body }
        </section>
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

/// The wording as a table, for the roles that may not change it.
fn read_only(lang: Lang, labels: &ChecklistLabels) -> Html {
    html! {
        <section class="card" aria-labelledby="checklist-table-title">
            <h2 id="checklist-table-title" class="sr-only">{ t(lang, K::ChecklistEditTitle) }</h2>
            <div class="table-wrap">
                <table class="table" id="checklist-table">
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
        </section>
    }
}

/// A field problem in words (labels have their own length limit).
fn problem(lang: Lang, code: &str) -> String {
    if code == "too_long" {
        tf(lang, K::FieldTooLongMax, &[&LABEL_MAX.to_string()])
    } else {
        field_error(lang, "", code)
    }
}

#[derive(Properties, PartialEq)]
struct ChecklistFormProps {
    saved: ChecklistLabels,
}

/// Four items, each with its Indonesian and English text, and Save.
#[component]
fn ChecklistForm(props: &ChecklistFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let draft = use_state(|| props.saved.clone());
    let errors = use_state(BTreeMap::<String, String>::new);
    let failure = use_state(|| None::<ApiError>);
    let saved = use_state(|| false);
    let busy = use_state(|| false);

    let onsubmit = {
        let (draft, errors, failure, saved, busy) =
            (draft.clone(), errors.clone(), failure.clone(), saved.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            saved.set(false);
            failure.set(None);
            if let Err(found) = check_checklist_labels(&draft) {
                errors.set(found);
                return;
            }
            errors.set(BTreeMap::new());
            busy.set(true);
            let body = (*draft).clone();
            let (api, draft, errors, failure, saved, busy) =
                (api.clone(), draft.clone(), errors.clone(), failure.clone(), saved.clone(), busy.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.save_checklist(&body).await {
                    Ok(stored) => {
                        draft.set(in_order(&stored));
                        saved.set(true);
                    }
                    Err(error) => match error.fields() {
                        Some(fields) if error.status() == Some(422) && !fields.is_empty() => errors.set(fields.clone()),
                        _ => failure.set(Some(error)),
                    },
                }
                busy.set(false);
            });
        })
    };
    // Fills the form with the app's built-in wording; nothing is saved until Save.
    let on_defaults = {
        let (draft, errors, saved) = (draft.clone(), errors.clone(), saved.clone());
        Callback::from(move |_: MouseEvent| {
            draft.set(ChecklistLabels::default());
            errors.set(BTreeMap::new());
            saved.set(false);
        })
    };
    let edit = |n: usize, english: bool| {
        let (draft, saved) = (draft.clone(), saved.clone());
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            if let Some(item) = next.items.get_mut(n) {
                if english { item.label_en = value } else { item.label_id = value }
            }
            draft.set(next);
            saved.set(false);
        })
    };
    let lang = i18n.lang;
    let error = |name: String| errors.get(&name).map(|code| problem(lang, code));
    // Problems the fields do not show (an item missing or unknown): one line above the form.
    let other = errors
        .iter()
        .find(|(name, _)| !name.ends_with(".label_id") && !name.ends_with(".label_en"))
        .map(|(name, code)| format!("{name}: {}", problem(lang, code)));

    html! {
        <section class="card checklist-editor" aria-labelledby="checklist-form-title">
            <h2 id="checklist-form-title" class="card-title">{ i18n.t(K::ChecklistItemsTitle) }</h2>
            if *saved {
                <div id="checklist-saved"><Banner tone={Tone::Success} text={i18n.t(K::ChecklistSaved)} /></div>
            }
            if let Some(error) = (*failure).clone() {
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
                                on_change={edit(n, false)} error={error(format!("items.{key}.label_id"))} required=true disabled={*busy} />
                            <TextField id={format!("label-en-{key}")} label={t(lang, K::LabelEnText)} value={item.label_en.clone()}
                                on_change={edit(n, true)} error={error(format!("items.{key}.label_en"))} required=true disabled={*busy} />
                        </fieldset>
                    }
                }) }
                <div class="form-actions">
                    <button type="button" id="checklist-defaults" class="btn btn-secondary" onclick={on_defaults} disabled={*busy}>
                        { i18n.t(K::ChecklistDefaults) }
                    </button>
                    <button type="submit" id="checklist-save" class="btn btn-primary" disabled={*busy}>
                        { if *busy { i18n.t(K::Saving) } else { i18n.t(K::Save) } }
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
        assert_eq!(problem(Lang::En, "too_long"), "Too long: at most 200 characters.");
        assert_eq!(problem(Lang::Id, "required"), "Wajib diisi.");
    }
}
