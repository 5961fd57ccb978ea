//! The frame of every signed-in page: a sidebar with the entries the role may use (`can()`), and a
//! top bar with the user's name and role, the language switch and the logout button. Under 900 px
//! the sidebar slides in from a menu button (closed again by choosing a page or tapping beside it).

use crate::app::{Route, use_api, use_auth, use_i18n, use_tasks};
use crate::components::badges::ReturnsBadge;
use crate::components::lang_switch::LangSwitch;
use crate::components::profile::display_name;
use crate::i18n::{K, role_key};
use domain::{Action, Role, can};
use yew::prelude::*;
use yew_router::prelude::*;

/// One sidebar entry: where it goes, its `data-nav` name, its label, and who sees it.
struct NavEntry {
    route: Route,
    nav: &'static str,
    label: K,
    needs: Action,
}

/// A [`NAV`] entry: where it goes, its `data-nav` name, its label and what the user must be allowed.
const fn entry(route: Route, nav: &'static str, label: K, needs: Action) -> NavEntry {
    NavEntry { route, nav, label, needs }
}

static NAV: [NavEntry; 16] = [
    entry(Route::Home, "home", K::NavHome, Action::UseOwnAccount),
    entry(Route::Documents, "documents", K::NavDocuments, Action::ReadDocuments),
    entry(Route::Tasks, "tasks", K::NavTasks, Action::ReadDocuments),
    entry(Route::Cases, "cases", K::NavCases, Action::ViewF19Report),
    entry(Route::Followups, "followups", K::NavFollowups, Action::ViewCases),
    entry(Route::ReportF19, "report-f19", K::NavReportF19, Action::ViewF19Report),
    entry(Route::Evaluations, "evaluations", K::NavEvaluations, Action::ViewEvaluations),
    entry(Route::ScoringForms, "scoring-forms", K::NavScoringForms, Action::ManageScoringForms),
    entry(Route::Calibrations, "calibration", K::NavCalibration, Action::ViewEvaluations),
    entry(Route::Sampling, "sampling", K::NavSampling, Action::ManageScoringForms),
    entry(Route::AdminUsers, "users", K::NavUsers, Action::ManageUsers),
    entry(Route::AdminTeams, "teams", K::NavTeams, Action::ManageUsers),
    entry(Route::AdminMail, "mail", K::NavMail, Action::ManageUsers),
    entry(Route::Records, "records", K::NavRecords, Action::ViewRecords),
    entry(Route::Audit, "audit", K::NavAudit, Action::ViewAudit),
    entry(Route::Account, "account", K::NavAccount, Action::UseOwnAccount),
];

#[derive(Properties, PartialEq)]
pub struct ShellProps {
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn Shell(props: &ShellProps) -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    let api = use_api();
    let current = use_route::<Route>();
    let navigator = use_navigator();
    let logging_out = use_state(|| false);
    let menu_open = use_state(|| false);
    {
        let menu_open = menu_open.clone();
        use_effect_with(current.clone(), move |_| menu_open.set(false));
    }
    let toggle_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |_: MouseEvent| menu_open.set(!*menu_open))
    };
    let close_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |_: MouseEvent| menu_open.set(false))
    };
    let tasks = use_tasks();
    let waiting = tasks.total();
    let scoring =
        crate::components::scoring_badge::use_scoring_counts(current.as_ref().map(|r| r.to_path()).unwrap_or_default());
    let Some(user) = auth.user().cloned() else { return Html::default() };
    let sheets_badge = scoring.map_or(0, |c| crate::components::scoring_badge::badge_count(user.role, &c));

    let on_logout = {
        let (logging_out, navigator) = (logging_out.clone(), navigator.clone());
        Callback::from(move |_: MouseEvent| {
            if *logging_out {
                return;
            }
            logging_out.set(true);
            let (api, navigator) = (api.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                api.logout().await;
                // In place of the current entry: "back" must not return to a signed-in page.
                if let Some(navigator) = navigator {
                    navigator.replace(&Route::Login);
                }
            });
        })
    };

    let link = |entry: &NavEntry| {
        let active = match (current.as_ref(), &entry.route) {
            (
                Some(Route::Document { .. } | Route::Revision { .. } | Route::Diff { .. } | Route::Print { .. }),
                Route::Documents,
            ) => true,
            (Some(Route::Evaluation { .. } | Route::ScoreCall), Route::Evaluations)
            | (Some(Route::ScoringForm { .. } | Route::NewScoringForm), Route::ScoringForms)
            | (Some(Route::Calibration { .. }), Route::Calibrations) => true,
            (Some(Route::Case { .. } | Route::CaseImport | Route::CaseChecklist), Route::Cases) => true,
            (Some(Route::Followup { .. }), Route::Followups) => true,
            (Some(Route::Reconciliation | Route::ReportPromises | Route::PaymentImport), Route::ReportF19) => true,
            (current, route) => current == Some(route),
        };
        let onclick = {
            let navigator = navigator.clone();
            let route = entry.route.clone();
            let menu_open = menu_open.clone();
            Callback::from(move |e: MouseEvent| {
                menu_open.set(false);
                // Let the browser handle "open in a new tab" clicks.
                if e.button() != 0 || e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key() {
                    return;
                }
                e.prevent_default();
                if let Some(navigator) = &navigator {
                    navigator.push(&route);
                }
            })
        };
        html! {
            <li>
                <a
                    href={entry.route.to_path()}
                    class={classes!("nav-link", active.then_some("is-active"))}
                    data-nav={entry.nav}
                    aria-current={active.then_some("page")}
                    {onclick}
                >
                    <span class={classes!("nav-icon", format!("icon-{}", entry.nav))} aria-hidden="true"></span>
                    <span>{ i18n.t(entry.label) }</span>
                    if entry.nav == "tasks" && waiting > 0 {
                        <span class="nav-badge" id="inbox-count" data-count={waiting.to_string()}
                            title={i18n.tf(K::InboxCount, &[&waiting.to_string()])}
                            aria-label={i18n.tf(K::InboxCount, &[&waiting.to_string()])}>{ waiting }</span>
                    }
                    if entry.nav == "evaluations" && sheets_badge > 0 {
                        <span class="nav-badge" id="sheets-count" data-count={sheets_badge.to_string()}
                            title={i18n.tf(crate::components::scoring_badge::badge_label(user.role), &[&sheets_badge.to_string()])}
                            aria-label={i18n.tf(crate::components::scoring_badge::badge_label(user.role), &[&sheets_badge.to_string()])}>{ sheets_badge }</span>
                    }
                    if entry.nav == "followups" && user.role == Role::Agent {
                        <ReturnsBadge />
                    }
                </a>
            </li>
        }
    };

    // Calibration sessions are for the QCOs who score and the coordinator who runs them.
    let visible = NAV.iter().filter(|e| can(user.role, e.needs)).filter(|e| {
        e.nav != "calibration" || can(user.role, Action::ScoreCalls) || can(user.role, Action::ManageScoringForms)
    });
    html! {
        <div class={classes!("shell", menu_open.then_some("menu-open"))}>
            <a class="skip-link" href="#main">{ i18n.t(K::SkipToContent) }</a>
            <aside class="sidebar" id="sidebar">
                <div class="brand">
                    <span class="brand-mark" aria-hidden="true">{ "M" }</span>
                    <span class="brand-text">
                        <span class="brand-name">{ i18n.t(K::AppName) }</span>
                        <span class="brand-tag">{ i18n.t(K::AppTagline) }</span>
                    </span>
                </div>
                <nav aria-label={i18n.t(K::MainNavigation)}>
                    <ul class="nav">{ for visible.map(link) }</ul>
                </nav>
            </aside>
            <div class="menu-backdrop" onclick={close_menu}></div>
            <div class="main-col">
                <header class="topbar">
                    <button id="menu-toggle" type="button" class="menu-toggle" aria-controls="sidebar"
                        aria-expanded={(*menu_open).to_string()} aria-label={i18n.t(K::Menu)} onclick={toggle_menu}>
                        <span class="menu-icon" aria-hidden="true"></span>
                    </button>
                    <div class="topbar-user" aria-label={i18n.t(K::SignedInAs)}>
                        <span class="user-name" id="current-user">{ display_name(&user) }</span>
                        <span class="role-badge" id="current-role" data-role={user.role.as_str()}>
                            { i18n.t(role_key(user.role)) }
                        </span>
                    </div>
                    <div class="topbar-actions">
                        <LangSwitch />
                        <button id="logout" type="button" class="btn btn-secondary" onclick={on_logout} disabled={*logging_out}>
                            { if *logging_out { i18n.t(K::LoggingOut) } else { i18n.t(K::Logout) } }
                        </button>
                    </div>
                </header>
                <main id="main" class="content" tabindex="-1">{ props.children.clone() }</main>
            </div>
        </div>
    }
}
