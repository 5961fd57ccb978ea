//! `/audit` (admin, QC coordinator): the append-only audit trail, 50 entries a page, and a button
//! that verifies its hash chain.

use crate::api::ApiResult;
use crate::app::{use_api, use_i18n, use_title};
use crate::components::status::ErrorBanner;
use crate::datetime::{count, long_datetime, short_datetime};
use crate::components::paged::{list_body, load_more_button, shown_count};
use crate::hooks::use_paged;
use crate::i18n::K;
use crate::pages::home::ChainResult;
use domain::api::AuditVerification;
use yew::prelude::*;

/// The entries shown per page (the API's default).
const PAGE: u32 = 50;

/// The longest value shown for one payload field (the whole payload is in the tooltip).
const VALUE_MAX: usize = 120;

/// A payload value for people: strings without quotes, lists joined with commas.
fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// A payload as `field: value` lines (cut to a readable length), and its full JSON text.
fn payload_lines(payload: &serde_json::Value) -> (Vec<(String, String)>, String) {
    let cut = |text: String| {
        if text.chars().count() > VALUE_MAX { format!("{}…", text.chars().take(VALUE_MAX).collect::<String>()) } else { text }
    };
    match payload {
        serde_json::Value::Null => (Vec::new(), String::new()),
        serde_json::Value::Object(map) if map.is_empty() => (Vec::new(), String::new()),
        serde_json::Value::Object(map) => {
            (map.iter().map(|(k, v)| (k.clone(), cut(value_text(v)))).collect(), payload.to_string())
        }
        other => (vec![(String::new(), cut(value_text(other)))], other.to_string()),
    }
}

#[component]
pub fn AuditPage() -> Html {
    let i18n = use_i18n();
    let api = use_api();
    use_title(i18n.t(K::AuditTitle));
    let entries = use_paged((), |api, (), cursor| async move { api.list_audit(PAGE, cursor).await });
    let verification = use_state(|| None::<ApiResult<AuditVerification>>);
    let verifying = use_state(|| false);

    let on_verify = {
        let (verification, verifying) = (verification.clone(), verifying.clone());
        Callback::from(move |_: MouseEvent| {
            if *verifying {
                return;
            }
            verifying.set(true);
            let (api, verification, verifying) = (api.clone(), verification.clone(), verifying.clone());
            wasm_bindgen_futures::spawn_local(async move {
                verification.set(Some(api.verify_audit().await));
                verifying.set(false);
            });
        })
    };

    let list = &*entries.state;
    let dash = i18n.t(K::NoneDash);
    let table = list_body(list, i18n.t(K::ChainEmpty), || {
        html! {
            <div class="table-wrap">
                <table class="table table-audit" id="audit-table">
                    <thead>
                        <tr>
                            <th scope="col" class="num">{ i18n.t(K::Seq) }</th>
                            <th scope="col">{ i18n.t(K::Time) }</th>
                            <th scope="col">{ i18n.t(K::Actor) }</th>
                            <th scope="col">{ i18n.t(K::AuditAction) }{ " / " }{ i18n.t(K::Entity) }</th>
                            <th scope="col">{ i18n.t(K::Details) }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for list.items.iter().map(|e| {
                            let (lines, full) = payload_lines(&e.payload);
                            html! {
                                <tr key={e.seq} data-seq={e.seq.to_string()}>
                                    <td class="num">{ e.seq }</td>
                                    <td class="nowrap" title={long_datetime(i18n.lang, &e.at)}>{ short_datetime(i18n.lang, &e.at) }</td>
                                    <td>{ e.actor.clone().unwrap_or_else(|| i18n.t(K::SystemActor).to_owned()) }</td>
                                    <td class="entity">
                                        <span class="tag">{ e.action.clone() }</span>
                                        <span class="entity-name">{ e.entity.clone() }</span>
                                        if let Some(id) = &e.entity_id {
                                            <span class="entity-id">{ id.clone() }</span>
                                        }
                                    </td>
                                    <td class="payload" title={(!full.is_empty()).then_some(full)}>
                                        if lines.is_empty() {
                                            <span class="muted">{ dash }</span>
                                        } else {
                                            <dl class="payload-list">
                                                { for lines.into_iter().map(|(field, value)| html! {
                                                    <div>
                                                        if !field.is_empty() { <dt>{ field }</dt> }
                                                        <dd>{ value }</dd>
                                                    </div>
                                                }) }
                                            </dl>
                                        }
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        }
    });
    let shown = count(i18n.lang, list.items.len() as i64);

    html! {
        <section class="page" data-page="audit">
            <header class="page-head page-head-row">
                <div>
                    <h1>{ i18n.t(K::AuditTitle) }</h1>
                    <p class="muted">{ i18n.t(K::AuditIntro) }</p>
                </div>
                <button id="verify-chain" type="button" class="btn btn-primary" onclick={on_verify} disabled={*verifying}>
                    { if *verifying { i18n.t(K::Verifying) } else { i18n.t(K::VerifyChain) } }
                </button>
            </header>
            { match (*verification).clone() {
                None => Html::default(),
                Some(Ok(v)) => html! { <div class="card card-tight" id="verify-result"><ChainResult verification={v} /></div> },
                Some(Err(error)) => html! { <ErrorBanner {error} /> },
            } }
            <section class="card" aria-labelledby="audit-list-title">
                <h2 id="audit-list-title" class="sr-only">{ i18n.t(K::AuditTitle) }</h2>
                if let Some(error) = list.error.clone() {
                    <ErrorBanner {error} on_retry={entries.reload.clone()} />
                }
                { table }
                <div class="list-foot">
                    { shown_count(list, &i18n, &shown) }
                    { load_more_button(list, &i18n, &entries.load_more) }
                </div>
            </section>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_read_as_fields_cut_but_kept_whole_in_the_tooltip() {
        let payload = serde_json::json!({"users": ["admin", "qco1"], "note": "x".repeat(300), "n": 3});
        let (lines, full) = payload_lines(&payload);
        assert_eq!(lines[0], ("n".to_owned(), "3".to_owned()));
        assert!(lines[1].1.ends_with('…') && lines[1].1.chars().count() == VALUE_MAX + 1);
        assert_eq!(lines[2], ("users".to_owned(), "admin, qco1".to_owned()));
        assert!(full.len() > 300);
        assert_eq!(payload_lines(&serde_json::Value::Null), (Vec::new(), String::new()));
        assert_eq!(payload_lines(&serde_json::json!({})), (Vec::new(), String::new()));
        assert_eq!(payload_lines(&serde_json::json!("plain")).0, vec![(String::new(), "plain".to_owned())]);
    }
}
