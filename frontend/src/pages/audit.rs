//! `/audit` (admin, QC coordinator): the append-only audit trail, 50 entries a page, the latest
//! signed anchor of its head (and whether the chain still matches it), and a button that verifies
//! the whole keyed chain, anchors included, and says what is wrong when it does not.

use crate::api::ApiResult;
use crate::app::{I18n, use_api, use_i18n, use_title};
use crate::components::chain::chain_result;
use crate::components::paged::{list_body, load_more_button, shown_count};
use crate::components::parts::table;
use crate::components::status::{ErrorBanner, Loading};
use crate::datetime::{count, long_datetime, short_datetime};
use crate::hooks::{Load, use_fetch, use_paged};
use crate::i18n::{K, Lang, tf};
use domain::api::{AnchorStatus, AuditVerification, ChainProblem};
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
        if text.chars().count() > VALUE_MAX {
            format!("{}…", text.chars().take(VALUE_MAX).collect::<String>())
        } else {
            text
        }
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

/// Why a chain does not verify, in words (`None` when it verifies).
pub fn problem_text(lang: Lang, v: &AuditVerification) -> Option<String> {
    let first_bad = v.first_bad.unwrap_or(v.entries + 1).to_string();
    let anchored = v.anchor.as_ref().map(|a| a.anchor.seq.to_string()).unwrap_or_default();
    Some(match v.problem? {
        ChainProblem::EntryMismatch => tf(lang, K::ProblemEntryMismatch, &[&first_bad]),
        ChainProblem::HeadMismatch => tf(lang, K::ProblemHeadMismatch, &[]),
        ChainProblem::EntriesMissing => tf(lang, K::ProblemEntriesMissing, &[&first_bad]),
        ChainProblem::ChainRecordInvalid => tf(lang, K::ProblemChainRecord, &[]),
        ChainProblem::AnchorPastHead => tf(lang, K::ProblemAnchorPastHead, &[&anchored, &v.entries.to_string()]),
        ChainProblem::AnchorMismatch => tf(lang, K::ProblemAnchorMismatch, &[&anchored]),
    })
}

/// Minutes between anchors, for people (at least one).
fn interval_minutes(secs: u64) -> String {
    (secs / 60).max(1).to_string()
}

/// The first 16 characters of a hash, enough to compare by eye.
fn abbreviate(hash: &str) -> String {
    if hash.chars().count() > 16 {
        format!("{}…", hash.chars().take(16).collect::<String>())
    } else {
        hash.to_owned()
    }
}

/// The outcome of a full verification: the chain line, what is wrong, where keying began and
/// which anchor the chain was checked against. (Plain functions, not components, here and below:
/// every component type costs the bundle some 400 bytes of Yew's machinery.)
fn verification_card(i18n: &I18n, v: &AuditVerification) -> Html {
    let keyed = v
        .keyed_from
        .filter(|&k| k > 1)
        .map(|k| i18n.tf(K::ChainKeyedFrom, &[&k.to_string(), &count(i18n.lang, k - 1)]));
    let anchor = v.anchor.as_ref().map(|a| {
        let verdict = i18n.t(if a.matches { K::ChainAnchorOk } else { K::ChainAnchorBad });
        i18n.tf(K::ChainCheckedAgainst, &[&a.anchor.seq.to_string(), &long_datetime(i18n.lang, &a.anchor.at), verdict])
    });
    html! {
        <div class="card card-tight" id="verify-result" data-problem={v.problem.map(|p| format!("{p:?}"))}>
            { chain_result(i18n, v) }
            if let Some(problem) = problem_text(i18n.lang, v) {
                <p class="chain-problem" role="alert"><strong>{ problem }</strong></p>
            }
            if let Some(anchor) = anchor {
                <p class="muted" id="verify-anchor">{ anchor }</p>
            }
            if let Some(keyed) = keyed {
                <p class="muted">{ keyed }</p>
            }
        </div>
    }
}

/// The latest anchor and whether the chain still holds the entry it signed.
fn anchor_card(i18n: &I18n, status: &AnchorStatus) -> Html {
    let explain = i18n.tf(K::AnchorExplain, &[&interval_minutes(status.interval_secs)]);
    let body = match &status.latest {
        None => html! {
            <div class="chain" data-anchor="none" role="status">
                <span class="chain-icon" aria-hidden="true">{ "…" }</span>
                <p class="chain-text">{ i18n.t(K::AnchorNone) }</p>
            </div>
        },
        Some(latest) => {
            let (class, icon, verdict) = if latest.matches {
                ("chain chain-ok", "✓", K::AnchorMatches)
            } else {
                ("chain chain-bad", "!", K::AnchorNoMatch)
            };
            let signed = long_datetime(i18n.lang, &latest.anchor.at);
            html! {
                <div {class} data-anchor={if latest.matches { "matches" } else { "mismatch" }}
                    role={if latest.matches { "status" } else { "alert" }}>
                    <span class="chain-icon" aria-hidden="true">{ icon }</span>
                    <div>
                        <p class="chain-text">{ i18n.tf(K::AnchorLatest, &[&latest.anchor.seq.to_string(), &signed]) }{ " " }{ i18n.t(verdict) }</p>
                        <p class="chain-head">
                            <span class="muted">{ i18n.t(K::AnchorHash) }{ ": " }</span>
                            <code title={latest.anchor.hash.clone()}>{ abbreviate(&latest.anchor.hash) }</code>
                            { " · " }{ i18n.tf(K::AnchorHeadSeq, &[&status.head_seq.to_string()]) }
                        </p>
                    </div>
                </div>
            }
        }
    };
    html! {
        <section class="card card-tight" aria-labelledby="anchor-title" id="audit-anchor">
            <h2 id="anchor-title" class="card-title">{ i18n.t(K::AnchorTitle) }</h2>
            { body }
            <p class="muted">{ explain }</p>
        </section>
    }
}

#[component]
pub fn AuditPage() -> Html {
    let i18n = use_i18n();
    let api = use_api();
    use_title(i18n.t(K::AuditTitle));
    let entries = use_paged((), |api, (), cursor| async move { api.list_audit(PAGE, cursor).await });
    let anchor = use_fetch((), |api, ()| async move { api.audit_anchor().await });
    let verification = use_state(|| None::<ApiResult<AuditVerification>>);
    let verifying = use_state(|| false);

    let on_verify = {
        let (verification, verifying, reload_anchor) = (verification.clone(), verifying.clone(), anchor.reload.clone());
        Callback::from(move |_: MouseEvent| {
            if *verifying {
                return;
            }
            verifying.set(true);
            let (api, verification, verifying, reload_anchor) =
                (api.clone(), verification.clone(), verifying.clone(), reload_anchor.clone());
            wasm_bindgen_futures::spawn_local(async move {
                verification.set(Some(api.verify_audit().await));
                verifying.set(false);
                reload_anchor.emit(());
            });
        })
    };
    let anchor_card = match &*anchor.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={anchor.reload.clone()} /> },
        Load::Ready(status) => anchor_card(&i18n, status),
    };

    let list = &*entries.state;
    let dash = i18n.t(K::NoneDash);
    let table = list_body(list, i18n.t(K::ChainEmpty), || {
        let head = html! {
            <thead>
                <tr>
                    <th scope="col" class="num">{ i18n.t(K::Seq) }</th>
                    <th scope="col">{ i18n.t(K::Time) }</th>
                    <th scope="col">{ i18n.t(K::Actor) }</th>
                    <th scope="col">{ i18n.t(K::AuditAction) }{ " / " }{ i18n.t(K::Entity) }</th>
                    <th scope="col">{ i18n.t(K::Details) }</th>
                </tr>
            </thead>
        };
        let rows = list.items.iter().map(|e| {
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
        });
        table("table table-audit", Some("audit-table"), head, rows.collect())
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
                Some(Ok(v)) => verification_card(&i18n, &v),
                Some(Err(error)) => html! { <ErrorBanner {error} /> },
            } }
            { anchor_card }
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

    fn verification(problem: Option<ChainProblem>, first_bad: Option<i64>) -> AuditVerification {
        AuditVerification {
            ok: problem.is_none(),
            entries: 4,
            head: None,
            first_bad,
            problem,
            keyed_from: Some(1),
            anchor: Some(domain::api::AnchorCheck {
                anchor: domain::api::AuditAnchor {
                    seq: 6,
                    hash: "a".repeat(64),
                    at: "2026-01-01T00:00:00.000000Z".into(),
                },
                matches: problem.is_none(),
            }),
        }
    }

    #[test]
    fn every_problem_is_told_in_words_with_the_entries_it_concerns() {
        assert_eq!(problem_text(Lang::En, &verification(None, None)), None);
        let cut = problem_text(Lang::Id, &verification(Some(ChainProblem::AnchorPastHead), Some(5))).unwrap();
        assert!(cut.contains("#6") && cut.contains("#4"), "{cut}");
        let edited = problem_text(Lang::En, &verification(Some(ChainProblem::EntryMismatch), Some(2))).unwrap();
        assert!(edited.contains("#2"), "{edited}");
        for problem in [
            ChainProblem::HeadMismatch,
            ChainProblem::EntriesMissing,
            ChainProblem::ChainRecordInvalid,
            ChainProblem::AnchorMismatch,
        ] {
            let text = problem_text(Lang::Id, &verification(Some(problem), Some(3))).unwrap();
            assert!(!text.contains('{'), "{text}");
        }
        assert_eq!(interval_minutes(300), "5");
        assert_eq!(interval_minutes(10), "1");
    }
}
