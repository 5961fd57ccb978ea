//! Status badges of cases and follow-ups, the overdue mark, and the agent's count of open returns
//! in the navigation.

use crate::app::use_i18n;
use crate::i18n::{K, Lang, case_status_key, followup_status_key};
use domain::cases::{CaseStatus, FollowupStatus};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CaseStatusBadgeProps {
    pub status: CaseStatus,
}

/// `Menunggu` / `APPROVED` / `RETURN`.
#[component]
pub fn CaseStatusBadge(props: &CaseStatusBadgeProps) -> Html {
    let i18n = use_i18n();
    html! {
        <span class="status-badge case-status" data-status={props.status.as_str()}>{ i18n.t(case_status_key(props.status)) }</span>
    }
}

#[derive(Properties, PartialEq)]
pub struct FollowupStatusBadgeProps {
    pub status: FollowupStatus,
}

/// `Terbuka` / `Sudah di-caring` / `Selesai` / `Dibuka ulang`.
#[component]
pub fn FollowupStatusBadge(props: &FollowupStatusBadgeProps) -> Html {
    let i18n = use_i18n();
    html! {
        <span class="status-badge followup-status" data-status={props.status.as_str()}>{ i18n.t(followup_status_key(props.status)) }</span>
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
