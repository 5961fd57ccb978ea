//! `/`: the landing page, made for the role. Everyone sees their profile and their duties under
//! the SOP, citing the procedure and work instructions by their revisions in force; admins the size of the user base; team leaders their team; whoever may view the audit
//! trail the state of its hash chain.

use crate::api::{DocFilter, MAX_LIMIT, UserFilter};
use crate::app::{I18n, Route, use_auth, use_i18n, use_title};
use crate::components::badges::status_badge;
use crate::components::chain::chain_result;
use crate::components::doc_parts::RouteLink;
use crate::components::parts::head;
use crate::components::profile::{display_name, profile_card};
use crate::components::status::{ErrorBanner, Loading};
use crate::datetime::{count, long_datetime};
use crate::hooks::{Load, use_fetch};
use crate::i18n::{K, Lang, duty_key, role_key, t};
use domain::api::{EffectiveRevisionRef, Team, TeamRef, User};
use domain::documents::{self as rules, DocKind};
use domain::{Action, can};
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn HomePage() -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    use_title(i18n.t(K::HomeTitle));
    let Some(user) = auth.user().cloned() else { return Html::default() };
    let role = user.role;
    let team_view = can(role, Action::ViewTeam) && can(role, Action::ListUsers);

    html! {
        <section class="page" data-page="home" data-role={role.as_str()}>
            <header class="page-head">
                <h1>{ i18n.tf(K::Welcome, &[&display_name(&user)]) }</h1>
                <p class="muted">{ i18n.t(role_key(role)) }{ " · " }{ user.team.as_ref().map(|t| t.name.clone()) .unwrap_or_else(|| i18n.t(K::NoTeam).to_owned()) }</p>
            </header>
            <crate::components::overview::OverviewBoard />
            <div class="grid grid-2">
                { profile_card(&i18n, &user) }
                <section class="card duties-card" aria-labelledby="duties-title">
                    <h2 id="duties-title" class="card-title">{ i18n.t(K::DutiesTitle) }</h2>
                    <p class="duties">{ i18n.t(duty_key(role)) }</p>
                    <DutiesSource />
                </section>
            </div>
            if can(role, Action::ManageUsers) {
                <AdminSummary />
            }
            <crate::components::home_cards::ScoringHomeCard {role} />
            if can(role, Action::ViewAudit) {
                <AuditStatus />
            }
            if team_view {
                if let Some(team) = user.team.clone() {
                    <TeamMembers {team} />
                } else if !can(role, Action::ManageUsers) && can(role, Action::ListTeams) {
                    <TeamsOverview />
                }
            }
        </section>
    }
}

/// Where the duties come from: each procedure of the register and its work instructions, cited
/// by the revision in force as the register answers it (never a revision typed into the page).
#[component]
fn DutiesSource() -> Html {
    let i18n = use_i18n();
    let fetch = use_fetch((), |api, ()| async move {
        let filter = DocFilter { kind: Some(DocKind::Procedure.as_str().to_owned()), q: None };
        let procedures = api.list_documents(&filter, None).await?;
        let mut details = Vec::new();
        for procedure in procedures.items.iter().filter(|p| p.parent_code.is_none()) {
            details.push(api.get_document(&procedure.code).await?);
        }
        Ok(details)
    });
    let lang = i18n.lang;
    let cite = |code: &str, effective: Option<&EffectiveRevisionRef>| match effective {
        Some(eff) => html! {
            <RouteLink to={Route::Revision { code: code.to_owned(), rev: eff.rev }} class="mono">
                <span data-code={code.to_owned()} data-rev={eff.rev.to_string()}>{ rules::full_reference(code, eff.rev) }</span>
            </RouteLink>
        },
        None => html! {
            <span data-code={code.to_owned()} data-rev="none">
                <span class="mono">{ code.to_owned() }</span>{ format!(" ({})", t(lang, K::DutiesSourceNotInForce)) }
            </span>
        },
    };
    match &*fetch.state {
        Load::Loading => Html::default(),
        Load::Failed(_) => html! { <p class="muted small" id="duties-source">{ i18n.t(K::DutiesSourceFailed) }</p> },
        Load::Ready(procedures) => html! {
            <p class="muted small duties-source" id="duties-source">
                { for procedures.iter().map(|p| {
                    let instructions: Vec<_> =
                        p.children.iter().filter(|c| c.kind == DocKind::WorkInstruction).collect();
                    html! {
                        <>
                            { format!("{} ", t(lang, K::DutiesSourceProcedure)) }
                            { cite(&p.code, p.effective_revision.as_ref()) }
                            if !instructions.is_empty() {
                                { format!(" {} ", t(lang, K::DutiesSourceInstructions)) }
                                { for instructions.iter().enumerate().map(|(i, c)| html! {
                                    <>
                                        if i > 0 { { ", " } }
                                        { cite(&c.code, c.effective_revision.as_ref()) }
                                    </>
                                }) }
                            }
                            { ". " }
                        </>
                    }
                }) }
            </p>
        },
    }
}

#[component]
fn AdminSummary() -> Html {
    let i18n = use_i18n();
    let fetch = use_fetch((), |api, ()| async move { api.user_summary().await });
    let backup = use_fetch("/api/admin/backups".to_owned(), crate::api::fetch_json);
    let body = match &*fetch.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={fetch.reload.clone()} /> },
        Load::Ready(summary) => {
            let lang = i18n.lang;
            let roles = summary
                .by_role
                .iter()
                .filter(|r| r.active > 0)
                .map(|r| format!("{} {}", t(lang, role_key(r.role)), count(lang, r.active as i64)))
                .collect::<Vec<_>>()
                .join(" · ");
            html! {
                <>
                    <div class="stats">
                        <div class="stat" data-stat="users" data-count={summary.active.to_string()}>
                            <span class="stat-value">{ count(lang, summary.active as i64) }</span>
                            <span class="stat-label">
                                { i18n.t(K::ActiveUsersCount) }
                                if summary.inactive > 0 {
                                    <span class="muted">{ " · " }{ i18n.tf(K::InactiveUsersCount, &[&count(lang, summary.inactive as i64)]) }</span>
                                }
                            </span>
                            <Link<Route> to={Route::AdminUsers} classes="stat-link">{ i18n.t(K::ManageUsersLink) }</Link<Route>>
                        </div>
                        <div class="stat" data-stat="teams" data-count={summary.teams.to_string()}>
                            <span class="stat-value">{ count(lang, summary.teams as i64) }</span>
                            <span class="stat-label">{ i18n.t(K::TeamsCount) }</span>
                            <Link<Route> to={Route::AdminTeams} classes="stat-link">{ i18n.t(K::ManageTeamsLink) }</Link<Route>>
                        </div>
                    </div>
                    <p class="muted small" id="users-by-role">{ roles }</p>
                    { last_backup(lang, &crate::api::read_json(&backup.state, crate::api::users::read_last_backup)) }
                </>
            }
        }
    };
    html! {
        <section class="card" aria-labelledby="admin-summary-title" data-section="admin-summary">
            <h2 id="admin-summary-title" class="card-title">{ i18n.t(K::AdminSummaryTitle) }</h2>
            { body }
        </section>
    }
}

/// The backup register's newest entry and its verification, or how to make one (the admin's
/// only view of backups, which are made on the server's command line).
fn last_backup(lang: Lang, state: &Load<Option<crate::api::users::LastBackup>>) -> Html {
    let text = match state {
        Load::Ready(Some(b)) => {
            let check = match &b.check {
                Some((true, at, _)) => crate::i18n::tf(lang, K::BackupVerified, &[&long_datetime(lang, at)]),
                Some((false, at, why)) => crate::i18n::tf(lang, K::BackupCheckFailed, &[&long_datetime(lang, at), why]),
                None => t(lang, K::BackupUnverified).to_owned(),
            };
            let made =
                [long_datetime(lang, &b.made_at), crate::files::file_size(lang, b.size_bytes), count(lang, b.rows)];
            format!("{} · {check}", crate::i18n::tf(lang, K::LastBackupLine, &[&made[0], &made[1], &made[2]]))
        }
        Load::Ready(None) => t(lang, K::NoBackupYet).to_owned(),
        _ => return Html::default(),
    };
    html! { <p class="muted small" id="last-backup">{ text }</p> }
}

#[derive(Properties, PartialEq)]
struct TeamMembersProps {
    team: TeamRef,
}

#[component]
fn TeamMembers(props: &TeamMembersProps) -> Html {
    let i18n = use_i18n();
    let fetch = use_fetch(props.team.id, |api, team_id| async move {
        api.list_users(&UserFilter { team_id: Some(team_id), limit: Some(MAX_LIMIT), ..Default::default() }).await
    });
    let body = match &*fetch.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={fetch.reload.clone()} /> },
        Load::Ready(page) if page.items.is_empty() => html! { <p class="empty">{ i18n.t(K::MyTeamEmpty) }</p> },
        Load::Ready(page) => members_table(&i18n, &page.items),
    };
    html! {
        <section class="card" aria-labelledby="team-title" data-section="team-members">
            <h2 id="team-title" class="card-title">{ i18n.tf(K::MyTeamTitle, &[&props.team.name]) }</h2>
            { body }
        </section>
    }
}

/// A plain function, not a component (as `teams_table`): a component type costs the bundle
/// some 400 bytes of Yew's machinery.
fn members_table(i18n: &I18n, users: &[User]) -> Html {
    let dash = i18n.t(K::NoneDash);
    html! {
        <div class="table-wrap">
            <table class="table">
                { head(i18n.lang, &[(K::FullName, false), (K::Username, false), (K::Position, false), (K::Role, false), (K::Status, false)]) }
                <tbody>
                    { for users.iter().map(|u| html! {
                        <tr key={u.id} data-username={u.username.clone()}>
                            <td>{ display_name(u) }</td>
                            <td class="mono">{ u.username.clone() }</td>
                            <td>{ if u.position.is_empty() { dash.to_owned() } else { u.position.clone() } }</td>
                            <td>{ i18n.t(role_key(u.role)) }</td>
                            <td>{ status_badge(i18n, u.active) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn TeamsOverview() -> Html {
    let i18n = use_i18n();
    let fetch = use_fetch((), |api, ()| async move { api.list_teams(Some(MAX_LIMIT), None).await });
    let body = match &*fetch.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={fetch.reload.clone()} /> },
        Load::Ready(page) if page.items.is_empty() => html! { <p class="empty">{ i18n.t(K::EmptyList) }</p> },
        Load::Ready(page) => teams_table(&i18n, &page.items),
    };
    html! {
        <section class="card" aria-labelledby="teams-title" data-section="teams">
            <h2 id="teams-title" class="card-title">{ i18n.t(K::TeamsOverviewTitle) }</h2>
            { body }
        </section>
    }
}

fn teams_table(i18n: &I18n, teams: &[Team]) -> Html {
    html! {
        <div class="table-wrap">
            <table class="table">
                { head(i18n.lang, &[(K::TeamName, false), (K::Leader, false), (K::Members, true)]) }
                <tbody>
                    { for teams.iter().map(|t| html! {
                        <tr key={t.id} data-team={t.name.clone()}>
                            <td>{ t.name.clone() }</td>
                            <td>{ t.leader.as_ref().map_or_else(|| i18n.t(K::NoLeader).to_owned(), |l| l.full_name.clone()) }</td>
                            <td class="num">{ count(i18n.lang, t.member_count) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn AuditStatus() -> Html {
    let i18n = use_i18n();
    let fetch = use_fetch((), |api, ()| async move { api.verify_audit().await });
    let body = match &*fetch.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={fetch.reload.clone()} /> },
        Load::Ready(v) => chain_result(&i18n, v),
    };
    html! {
        <section class="card" aria-labelledby="audit-status-title" data-section="audit-status">
            <div class="card-head">
                <h2 id="audit-status-title" class="card-title">{ i18n.t(K::AuditStatusTitle) }</h2>
                <Link<Route> to={Route::Audit} classes="btn btn-secondary btn-small">{ i18n.t(K::OpenAuditLink) }</Link<Route>>
            </div>
            { body }
        </section>
    }
}
