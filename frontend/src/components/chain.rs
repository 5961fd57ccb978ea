//! The outcome of `GET /api/audit/verify`, shared by the landing and audit pages.

use crate::app::I18n;
use crate::datetime::count;
use crate::i18n::K;
use domain::api::AuditVerification;
use yew::prelude::*;

/// The outcome of `GET /api/audit/verify`, shared by the landing and audit pages. A function, not
/// a component: a component type costs the bundle some 400 bytes of Yew's machinery.
pub fn chain_result(i18n: &I18n, v: &AuditVerification) -> Html {
    let entries = count(i18n.lang, v.entries);
    let (class, text) = match (v.ok, v.first_bad) {
        (true, _) if v.entries == 0 => ("chain chain-ok", i18n.t(K::ChainEmpty).to_owned()),
        (true, _) => ("chain chain-ok", i18n.tf(K::ChainOk, &[&entries])),
        (false, Some(seq)) => ("chain chain-bad", i18n.tf(K::ChainBroken, &[&seq.to_string(), &entries])),
        (false, None) => ("chain chain-bad", i18n.tf(K::ChainBrokenUnknown, &[&entries])),
    };
    html! {
        <div {class} data-chain-ok={if v.ok { "true" } else { "false" }} role={if v.ok { "status" } else { "alert" }}>
            <span class="chain-icon" aria-hidden="true">{ if v.ok { "✓" } else { "!" } }</span>
            <div>
                <p class="chain-text">{ text }</p>
                if let Some(head) = &v.head {
                    <p class="chain-head">
                        <span class="muted">{ i18n.t(K::ChainHead) }{ ": " }</span>
                        <code title={head.clone()}>{ abbreviate(head) }</code>
                    </p>
                }
            </div>
        </div>
    }
}

/// The first 16 characters of a hash, enough to compare by eye.
fn abbreviate(hash: &str) -> String {
    if hash.chars().count() > 16 {
        format!("{}…", hash.chars().take(16).collect::<String>())
    } else {
        hash.to_owned()
    }
}
