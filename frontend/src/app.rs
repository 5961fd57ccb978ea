//! The app root: routes, the auth and language contexts, and the guard that sends anonymous
//! users to `/login` and shows "not found" for pages a role may not use (as the server does).

use crate::api::Api;
use crate::components::shell::Shell;
use crate::i18n::{self, K, Lang};
use crate::pages::{
    account::{AccountPage, MustChangePasswordPage},
    admin_teams::AdminTeamsPage,
    admin_users::AdminUsersPage,
    audit::AuditPage,
    diff::DiffPage,
    document::DocumentPage,
    documents::DocumentsPage,
    home::HomePage,
    login::LoginPage,
    not_found::NotFoundPage,
    print::PrintPage,
    revision::RevisionPage,
    tasks::TasksPage,
};
use crate::pages::{cases, scoring};
use crate::state::{AuthAction, AuthState};
use crate::storage;
use domain::inbox::{Inbox, InboxKind};
use domain::{Action, can};
use yew::prelude::*;
use yew_router::prelude::*;

/// Every page of the app. Paths are absolute and each loads directly (the server answers every
/// non-API path with `index.html`).
/// The query of the diff page.
#[derive(serde::Serialize)]
pub struct AgainstQuery {
    pub against: i32,
}

/// The props of a page that shows one record: the `{ id }` of its route.
#[derive(Properties, PartialEq)]
pub struct IdProps {
    pub id: i64,
}

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/login")]
    Login,
    #[at("/admin/users")]
    AdminUsers,
    #[at("/admin/teams")]
    AdminTeams,
    #[at("/admin/mail")]
    AdminMail,
    #[at("/records")]
    Records,
    #[at("/audit")]
    Audit,
    #[at("/account")]
    Account,
    #[at("/documents")]
    Documents,
    #[at("/documents/:code")]
    Document { code: String },
    #[at("/documents/:code/revisions/:rev")]
    Revision { code: String, rev: i32 },
    #[at("/documents/:code/revisions/:rev/diff")]
    Diff { code: String, rev: i32 },
    #[at("/documents/:code/revisions/:rev/print")]
    Print { code: String, rev: i32 },
    #[at("/tasks")]
    Tasks,
    // F-19 agree validation and W-03 follow-ups (pages in `pages::cases`).
    #[at("/cases")]
    Cases,
    #[at("/cases/import")]
    CaseImport,
    #[at("/cases/checklist")]
    CaseChecklist,
    #[at("/cases/:id")]
    Case { id: i64 },
    #[at("/followups")]
    Followups,
    #[at("/followups/:id")]
    Followup { id: i64 },
    #[at("/reports/f19")]
    ReportF19,
    #[at("/reports/reconciliation")]
    Reconciliation,
    #[at("/reports/promises")]
    ReportPromises,
    #[at("/payments/import")]
    PaymentImport,
    // F-18 scoring (pages in `pages::scoring`).
    #[at("/evaluations")]
    Evaluations,
    #[at("/evaluations/new")]
    ScoreCall,
    #[at("/evaluations/:id")]
    Evaluation { id: i64 },
    #[at("/scoring-forms")]
    ScoringForms,
    #[at("/scoring-forms/new")]
    NewScoringForm,
    #[at("/scoring-forms/:id")]
    ScoringForm { id: i64 },
    #[at("/calibrations")]
    Calibrations,
    #[at("/calibrations/:id")]
    Calibration { id: i64 },
    #[at("/sampling")]
    Sampling,
    #[not_found]
    #[at("/404")]
    NotFound,
}

impl Route {
    /// What a role must be allowed to do to see the page (`None`: public).
    pub fn needs(&self) -> Option<Action> {
        match self {
            Route::Login | Route::NotFound => None,
            Route::Home | Route::Account => Some(Action::UseOwnAccount),
            Route::AdminUsers | Route::AdminTeams | Route::AdminMail => Some(Action::ManageUsers),
            Route::Audit => Some(Action::ViewAudit),
            Route::Records => Some(Action::ViewRecords),
            Route::Documents
            | Route::Document { .. }
            | Route::Revision { .. }
            | Route::Diff { .. }
            | Route::Print { .. }
            | Route::Tasks => Some(Action::ReadDocuments),
            Route::Cases | Route::Case { .. } | Route::CaseChecklist | Route::Followups | Route::Followup { .. } => {
                Some(Action::ViewCases)
            }
            Route::CaseImport => Some(Action::ImportCases),
            Route::ReportF19 | Route::Reconciliation | Route::ReportPromises => Some(Action::ViewF19Report),
            Route::PaymentImport => Some(Action::ImportPayments),
            Route::Evaluations
            | Route::Evaluation { .. }
            | Route::Calibrations
            | Route::Calibration { .. }
            | Route::Sampling => Some(Action::ViewEvaluations),
            Route::ScoreCall => Some(Action::ScoreCalls),
            Route::ScoringForms | Route::ScoringForm { .. } | Route::NewScoringForm => Some(Action::ManageScoringForms),
        }
    }
}

/// The shared auth state; dispatch [`AuthAction`]s to change it.
pub type AuthContext = UseReducerHandle<AuthState>;

/// The chosen language and the way to change it.
#[derive(Clone, PartialEq)]
pub struct I18n {
    pub lang: Lang,
    pub set_lang: Callback<Lang>,
}

impl I18n {
    pub fn t(&self, key: K) -> &'static str {
        i18n::t(self.lang, key)
    }

    pub fn tf(&self, key: K, args: &[&str]) -> String {
        i18n::tf(self.lang, key, args)
    }
}

#[hook]
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n { lang: Lang::default(), set_lang: Callback::noop() })
}

#[hook]
pub fn use_auth() -> AuthContext {
    use_context::<AuthContext>().expect("App provides the auth context")
}

/// The API handle, wired to the auth reducer.
#[hook]
pub fn use_api() -> Api {
    let auth = use_auth();
    Api::new(auth.dispatcher().to_callback())
}

/// Sets the browser tab's title to `<page> · Mutu`.
#[hook]
pub fn use_title(title: &'static str) {
    use_effect_with(title, |title| {
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(&format!("{title} · Mutu"));
        }
    });
}

#[component]
pub fn App() -> Html {
    let auth = use_reducer(|| AuthState::restore(storage::load_session()));
    let lang = use_state(storage::load_lang);

    // Local storage mirrors the session, so a reload keeps the login and a logout forgets it.
    use_effect_with((*auth).clone(), |state| match state.session() {
        Some(session) => storage::save_session(session),
        None => storage::clear_session(),
    });

    use_effect_with(*lang, |lang| {
        storage::save_lang(*lang);
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", lang.code());
        }
    });

    // A stored profile may be stale (role or team changed since): ask the server once per load.
    {
        let auth = auth.clone();
        use_effect_with((), move |_| {
            if auth.session().is_some() {
                let api = Api::new(auth.dispatcher().to_callback());
                let dispatcher = auth.dispatcher();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(user) = api.me().await {
                        dispatcher.dispatch(AuthAction::UserLoaded(user));
                    }
                });
            }
        });
    }

    let i18n = I18n {
        lang: *lang,
        set_lang: {
            let lang = lang.clone();
            Callback::from(move |next: Lang| lang.set(next))
        },
    };

    html! {
        <ContextProvider<AuthContext> context={auth}>
            <ContextProvider<I18n> context={i18n}>
                <TasksProvider>
                    <BrowserRouter>
                        <Switch<Route> render={|route: Route| html! { <RoutePage {route} /> }} />
                    </BrowserRouter>
                </TasksProvider>
            </ContextProvider<I18n>>
        </ContextProvider<AuthContext>>
    }
}

/// What waits for the signed-in user (`GET /api/me/inbox`), for the navigation's badges, asked
/// again every 20 seconds and whenever a page changes something (acknowledging, signing, re-caring).
#[derive(Clone, PartialEq)]
pub struct TasksContext {
    pub inbox: Option<Inbox>,
    pub refresh: Callback<()>,
    /// How many times the counts were asked for again: other badges (the agent's returns)
    /// follow it, so one `refresh` updates every count in the navigation.
    pub asked: u64,
}

impl TasksContext {
    /// Everything waiting (the badge of "Tugas saya").
    pub fn total(&self) -> u32 {
        self.inbox.as_ref().map_or(0, |i| i.total)
    }

    /// The count of one kind of work.
    pub fn count(&self, kind: InboxKind) -> u32 {
        self.inbox.as_ref().map_or(0, |i| i.count(kind))
    }
}

#[hook]
pub fn use_tasks() -> TasksContext {
    use_context::<TasksContext>().unwrap_or_else(|| TasksContext { inbox: None, refresh: Callback::noop(), asked: 0 })
}

#[derive(Properties, PartialEq)]
struct TasksProviderProps {
    children: Html,
}

/// Loads the tasks on login (and when asked to), for as long as someone is signed in.
#[component]
fn TasksProvider(props: &TasksProviderProps) -> Html {
    let auth = use_auth();
    let inbox = use_state(|| None::<Inbox>);
    let tick = use_reducer(crate::hooks::Tick::default);
    let minute = crate::hooks::use_poll(crate::hooks::POLL_MS);
    let user_id = auth.user().map(|u| u.id);
    {
        let (inbox, auth) = (inbox.clone(), auth.clone());
        use_effect_with((user_id, tick.0, minute), move |(user_id, _, _)| {
            if user_id.is_none() {
                inbox.set(None);
            } else {
                let api = Api::new(auth.dispatcher().to_callback());
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(mine) = api.my_inbox().await {
                        inbox.set(Some(mine));
                    }
                });
            }
        });
    }
    let context = TasksContext {
        inbox: (*inbox).clone(),
        refresh: {
            let dispatcher = tick.dispatcher();
            Callback::from(move |()| dispatcher.dispatch(()))
        },
        asked: tick.0,
    };
    html! { <ContextProvider<TasksContext> {context}>{ props.children.clone() }</ContextProvider<TasksContext>> }
}

#[derive(Properties, PartialEq)]
struct RoutePageProps {
    route: Route,
}

/// Chooses what a route shows for the current session.
#[component]
fn RoutePage(props: &RoutePageProps) -> Html {
    let auth = use_auth();
    let route = props.route.clone();
    let Some(user) = auth.user() else {
        let session_ended = matches!(&*auth, AuthState::Anonymous { notice: Some(_) });
        return match route {
            Route::Login => html! { <LoginPage /> },
            Route::NotFound if !session_ended => html! { <NotFoundPage standalone=true /> },
            _ => html! { <ReplaceWith to={Route::Login} /> },
        };
    };
    if user.must_change_password {
        return html! { <Shell><MustChangePasswordPage /></Shell> };
    }
    let allowed = route.needs().is_none_or(|action| can(user.role, action));
    let page = match route {
        Route::Login => return html! { <ReplaceWith to={Route::Home} /> },
        _ if !allowed => html! { <NotFoundPage /> },
        Route::Home => html! { <HomePage /> },
        Route::AdminUsers => html! { <AdminUsersPage /> },
        Route::AdminTeams => html! { <AdminTeamsPage /> },
        Route::AdminMail => html! { <crate::pages::admin_mail::AdminMailPage /> },
        Route::Audit => html! { <AuditPage /> },
        Route::Records => html! { <crate::pages::records::RecordsPage /> },
        Route::Account => html! { <AccountPage /> },
        Route::Documents => html! { <DocumentsPage /> },
        Route::Document { code } => html! { <DocumentPage {code} /> },
        Route::Revision { code, rev } => html! { <RevisionPage {code} {rev} /> },
        Route::Diff { code, rev } => html! { <DiffPage {code} {rev} /> },
        Route::Print { code, rev } => html! { <PrintPage {code} {rev} /> },
        Route::Tasks => html! { <TasksPage /> },
        Route::Cases => html! { <cases::CasesPage /> },
        Route::CaseImport => html! { <cases::ImportPage key="agrees" /> },
        Route::PaymentImport => html! { <cases::ImportPage key="payments" payments=true /> },
        Route::ReportPromises => html! { <cases::ReportPage key="promises" promises=true /> },
        Route::CaseChecklist => html! { <cases::ChecklistPage /> },
        Route::Case { id } => html! { <cases::CasePage {id} /> },
        Route::Followups => html! { <cases::FollowupsPage /> },
        Route::Followup { id } => html! { <cases::FollowupPage {id} /> },
        Route::ReportF19 => html! { <cases::ReportPage key="f19" /> },
        Route::Reconciliation => html! { <cases::ReconciliationPage /> },
        Route::Evaluations => html! { <scoring::EvaluationsPage /> },
        Route::ScoreCall => html! { <scoring::ScoreCallPage /> },
        Route::Evaluation { id } => html! { <scoring::EvaluationPage {id} /> },
        Route::ScoringForms => html! { <scoring::ScoringFormsPage /> },
        Route::ScoringForm { id } => html! { <scoring::ScoringFormPage {id} /> },
        Route::NewScoringForm => html! { <scoring::ScoringFormPage id={0} /> },
        Route::Sampling => html! { <scoring::SamplingPage /> },
        Route::Calibrations => html! { <scoring::CalibrationsPage /> },
        Route::Calibration { id } => html! { <scoring::CalibrationPage {id} /> },
        Route::NotFound => html! { <NotFoundPage /> },
    };
    html! { <Shell>{ page }</Shell> }
}

#[derive(Properties, PartialEq)]
struct ReplaceWithProps {
    to: Route,
}

/// Goes to `to` in place of the current history entry, so "back" does not land on a page that
/// would only send the user away again.
#[component]
fn ReplaceWith(props: &ReplaceWithProps) -> Html {
    let navigator = use_navigator();
    use_effect_with(props.to.clone(), move |to| {
        if let Some(navigator) = navigator {
            navigator.replace(to);
        }
    });
    Html::default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Role;

    #[test]
    fn admin_pages_are_for_admins_only() {
        for role in Role::ALL {
            let sees_users = Route::AdminUsers.needs().is_none_or(|a| can(role, a));
            assert_eq!(sees_users, role == Role::Admin, "{role:?}");
        }
    }

    #[test]
    fn audit_is_for_admin_and_qc_coordinator() {
        let roles: Vec<Role> =
            Role::ALL.into_iter().filter(|r| Route::Audit.needs().is_none_or(|a| can(*r, a))).collect();
        assert_eq!(roles, vec![Role::Admin, Role::QcCoordinator]);
    }

    #[test]
    fn every_role_has_a_home_and_an_account() {
        for role in Role::ALL {
            assert!(can(role, Route::Home.needs().unwrap()));
            assert!(can(role, Route::Account.needs().unwrap()));
        }
    }
}
