//! Status badges of cases and follow-ups, the overdue mark, and the agent's count of open returns
//! in the navigation.

use crate::app::use_i18n;
use crate::i18n::{K, Lang, case_status_key, followup_status_key};
use domain::cases::{CaseStatus, FollowupStatus};
use yew::prelude::*;

/// `Menunggu` / `APPROVED` / `RETURN`. (The badges are functions, not components: a component
/// type costs the bundle some 400 bytes of Yew's machinery.)
pub fn case_status_badge(lang: Lang, status: CaseStatus) -> Html {
    html! {
        <span class="status-badge case-status" data-status={status.as_str()}>{ crate::i18n::t(lang, case_status_key(status)) }</span>
    }
}

/// `Terbuka` / `Sudah di-caring` / `Selesai` / `Dibuka ulang`.
pub fn followup_status_badge(lang: Lang, status: FollowupStatus) -> Html {
    html! {
        <span class="status-badge followup-status" data-status={status.as_str()}>{ crate::i18n::t(lang, followup_status_key(status)) }</span>
    }
}

/// The "Terlambat" mark of an overdue follow-up.
pub fn overdue_mark(lang: Lang) -> Html {
    html! { <span class="badge badge-overdue" data-overdue="true">{ crate::i18n::t(lang, K::Overdue) }</span> }
}

/// "Verification overdue": waiting for QC past its deadline (QC's delay, not the agent's).
pub fn verify_overdue_mark(lang: Lang) -> Html {
    html! { <span class="badge badge-verify-overdue" data-verify-overdue="true">{ crate::i18n::t(lang, K::VerifyOverdue) }</span> }
}

/// The agent's count of open returns beside "Return" in the navigation: the inbox's, asked
/// again every 20 seconds and whenever the navigation's counts are refreshed (after a re-care).
#[component]
pub fn ReturnsBadge() -> Html {
    let i18n = use_i18n();
    let open = crate::app::use_tasks().count(domain::inbox::InboxKind::ReturnsOpen);
    if open == 0 {
        return Html::default();
    }
    let label = i18n.tf(K::OpenReturnsCount, &[&open.to_string()]);
    html! { <span class="nav-badge" id="returns-count" data-count={open.to_string()} title={label.clone()} aria-label={label}>{ open }</span> }
}

/// The "Aktif" / "Nonaktif" badge.
pub fn status_badge(i18n: &crate::app::I18n, active: bool) -> Html {
    if active {
        html! { <span class="badge badge-ok">{ i18n.t(K::Active) }</span> }
    } else {
        html! { <span class="badge badge-muted">{ i18n.t(K::Inactive) }</span> }
    }
}
