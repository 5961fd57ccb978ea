//! The F-18 counts behind the navigation badge (`GET /api/evaluations/summary`): asked when a page
//! opens and every 20 seconds while someone who may see sheets is signed in.

use crate::api::Api;
use crate::app::use_auth;
use crate::i18n::K;
use domain::scoring::EvaluationCounts;
use domain::{Action, Role, can};
use yew::prelude::*;

/// How often the counts are asked for again.
const POLL_MS: u32 = 20_000;

/// The counts, refreshed on each change of `page` (the current route) and on a timer.
#[hook]
pub fn use_scoring_counts(page: String) -> Option<EvaluationCounts> {
    let auth = use_auth();
    let counts = use_state(|| None::<EvaluationCounts>);
    let user = auth.user().filter(|u| can(u.role, Action::ViewEvaluations)).map(|u| u.id);
    {
        let (counts, auth) = (counts.clone(), auth.clone());
        use_effect_with((user, page), move |(user, _)| {
            let interval = user.map(|_| {
                let fetch = move || {
                    let (api, counts) = (Api::new(auth.dispatcher().to_callback()), counts.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Ok(now) = api.evaluation_summary().await {
                            counts.set(Some(now));
                        }
                    });
                };
                fetch();
                gloo_timers::callback::Interval::new(POLL_MS, fetch)
            });
            move || drop(interval)
        });
    }
    *counts
}

/// What the badge counts for a role: an agent's new results, the coordinator's open disputes,
/// a QCO's assigned calls.
pub fn badge_count(role: Role, counts: &EvaluationCounts) -> u32 {
    match role {
        Role::Agent => counts.new_results,
        Role::QcCoordinator => counts.open_disputes,
        Role::Qco => counts.assigned,
        _ => 0,
    }
}

/// The badge's explanation for a role (`{0}` is the count).
pub fn badge_label(role: Role) -> K {
    match role {
        Role::QcCoordinator => K::OpenDisputesCount,
        Role::Qco => K::AssignedCallsCount,
        _ => K::NewSheetsCount,
    }
}
