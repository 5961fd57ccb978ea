//! The landing page's card of the scoring part: what is waiting for the signed-in role, each a
//! link to where the work is. The case part's counts are the overview's (`overview`).

use crate::app::{Route, use_i18n};
use crate::components::doc_parts::RouteLink;
use crate::components::parts::stat;
use crate::i18n::K;
use domain::Role;
use domain::inbox::InboxKind;
use yew::prelude::*;

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
