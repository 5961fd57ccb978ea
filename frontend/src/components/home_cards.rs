//! The landing page's cards of the case and scoring parts: what is waiting for the signed-in
//! role, each a link to where the work is.

use crate::app::{Route, use_auth, use_i18n};
use crate::components::doc_parts::RouteLink;
use crate::components::parts::stat;
use crate::datetime::count;
use crate::hooks::use_quiet_fetch;
use crate::i18n::{K, t};
use domain::inbox::InboxKind;
use domain::{Action, Role, can};
use yew::prelude::*;

/// What the landing page shows of this part for the role: the QCO's queue, the agent's returns,
/// the team leader's team follow-ups, the report for those who read it.
#[component]
pub fn HomeCasesCard() -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    let role = auth.user().map(|u| u.role).unwrap_or(Role::DocController);
    let sees = can(role, Action::ViewCases);
    let pending = use_quiet_fetch((sees && role != Role::Agent, role == Role::Qco), |api, (wanted, _)| async move {
        if !wanted {
            return Ok(None);
        }
        api.case_summary().await.map(Some)
    });
    let summary = use_quiet_fetch(sees, |api, wanted| async move {
        if wanted { api.followup_summary().await.map(Some) } else { Ok(None) }
    });
    if !sees {
        return Html::default();
    }
    let lang = i18n.lang;
    let stat = |value: String, label: K, (to, query): (Route, &'static str), id: &'static str, link: K| {
        stat(id, value, t(lang, label), to, query, t(lang, link))
    };
    let pending_stat = match &*pending.state {
        Some(Ok(Some(summary))) => {
            let value = count(i18n.lang, summary.pending as i64);
            stat(
                value,
                K::PendingCases,
                (Route::Cases, ""),
                "pending-cases",
                if role == Role::Qco { K::OpenQueue } else { K::OpenCases },
            )
        }
        _ => Html::default(),
    };
    let (open_label, link) = match role {
        Role::Agent => (K::MyOpenReturns, K::OpenMyReturns),
        Role::TeamLeader => (K::TeamOpenReturns, K::OpenTeamReturns),
        _ => (K::OpenReturnsAll, K::OpenFollowups),
    };
    let followup_stats = match &*summary.state {
        Some(Ok(Some(s))) => html! {
            <>
                { stat(count(i18n.lang, s.open as i64), open_label, (Route::Followups, "open=true"), "open-returns", link) }
                { stat(count(i18n.lang, s.overdue as i64), K::OverdueReturns, (Route::Followups, "overdue=true"), "overdue-returns", link) }
                if can(role, Action::VerifyFollowups) {
                    { stat(count(i18n.lang, s.recared as i64), K::AwaitingVerification, (Route::Followups, "status=recared"), "recared-returns", K::OpenFollowups) }
                }
            </>
        },
        _ => Html::default(),
    };
    html! {
        <section class="card" aria-labelledby="cases-home-title" data-section="cases">
            <div class="card-head">
                <h2 id="cases-home-title" class="card-title">{ i18n.t(K::CasesHomeTitle) }</h2>
                if can(role, Action::ViewF19Report) {
                    <RouteLink to={Route::ReportF19} class="btn btn-secondary btn-small">{ i18n.t(K::NavReportF19) }</RouteLink>
                }
            </div>
            <div class="stats stats-auto">
                { pending_stat }
                { followup_stats }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ScoringHomeCardProps {
    pub role: Role,
}

/// The landing page's F-18 card: an agent's results to acknowledge, a QCO's assigned calls and
/// drafts, the coordinator's open disputes, a team leader's unacknowledged team results — the
/// inbox's counts, each a link to the sheets it counts.
#[component]
pub fn ScoringHomeCard(props: &ScoringHomeCardProps) -> Html {
    let i18n = use_i18n();
    let tasks = crate::app::use_tasks();
    if tasks.inbox.is_none() {
        return Html::default();
    }
    let stats: &[(K, InboxKind, &str)] = match props.role {
        Role::Agent => &[(K::HomeNewResults, InboxKind::SheetsToAcknowledge, "new-results")],
        Role::Qco => {
            &[(K::HomeAssigned, InboxKind::CallsToScore, "assigned"), (K::HomeDrafts, InboxKind::SheetDrafts, "drafts")]
        }
        Role::QcCoordinator => &[(K::HomeDisputes, InboxKind::DisputesToResolve, "open-disputes")],
        Role::TeamLeader => &[(K::InboxTeamSheets, InboxKind::SheetsToAcknowledge, "team-unacknowledged")],
        _ => return Html::default(),
    };
    html! {
        <section class="card" aria-labelledby="scoring-home-title" data-section="scoring">
            <div class="card-head">
                <h2 id="scoring-home-title" class="card-title">{ i18n.t(K::HomeScoringTitle) }</h2>
                <RouteLink to={Route::Evaluations} class="btn btn-secondary btn-small">{ i18n.t(K::OpenEvaluations) }</RouteLink>
            </div>
            <div class="stats">
                { for stats.iter().map(|&(label, kind, id)| {
                    let n = tasks.count(kind);
                    stat(id, n.to_string(), i18n.t(label), Route::Evaluations, kind.list().query, i18n.t(K::InboxOpen))
                }) }
            </div>
        </section>
    }
}
