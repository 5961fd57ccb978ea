//! `/admin/teams` (admin): the teams with their leaders, a form to add one, and a dialog to rename
//! a team or change its leader.

use crate::api::{MAX_LIMIT, STALE, UserFilter};
use crate::app::{I18n, use_api, use_i18n, use_title};
use crate::components::dialog::Dialog;
use crate::components::fields::{SelectField, TextField, setter};
use crate::components::paged::{close_editor, list_body, load_more_button, open_editor};
use crate::components::parts::{edit_cell, form_actions, head_actions, table};
use crate::components::status::{ErrorBanner, Tone, form_banners, tone_banner};
use crate::datetime::count;
use crate::hooks::{Load, use_fetch, use_paged, use_sending};
use crate::i18n::{K, field_error};
use domain::Role;
use domain::api::{NewTeam, Team, TeamPatch, UserRef};
use domain::validation::FieldErrors;
use yew::prelude::*;

/// The 409 code of a team name already in use.
const NAME_TAKEN: &str = "team_name_taken";

/// Leader options: "no leader" then the team leaders, by name (the username where there is none).
fn leader_options(i18n: &I18n, leaders: &[UserRef]) -> Vec<(AttrValue, AttrValue)> {
    std::iter::once((AttrValue::Static(""), AttrValue::Static(i18n.t(K::NoLeader))))
        .chain(leaders.iter().map(|u| {
            let name = if u.full_name.trim().is_empty() { &u.username } else { &u.full_name };
            (AttrValue::from(u.id.to_string()), AttrValue::from(format!("{name} ({})", u.username)))
        }))
        .collect()
}

fn field_text(i18n: &I18n, errors: &FieldErrors, field: &str) -> Option<String> {
    errors.get(field).map(|code| field_error(i18n.lang, field, code))
}

/// The PATCH that turns `base` into the form's `name` and `leader`: only what changed.
fn team_patch(base: &Team, name: &str, leader: &str) -> TeamPatch {
    let before_leader = base.leader.as_ref().map(|l| l.id);
    let leader: Option<i64> = leader.parse().ok();
    TeamPatch {
        version: base.version,
        name: (name.trim() != base.name).then(|| name.trim().to_owned()),
        leader_id: (leader != before_leader).then_some(leader),
    }
}

#[component]
pub fn AdminTeamsPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::TeamsTitle));
    let notice = use_state(|| None::<String>);
    let editing = use_state(|| None::<Team>);
    let leaders = use_fetch((), |api, ()| async move {
        api.list_users(&UserFilter {
            role: Some(Role::TeamLeader.as_str().into()),
            limit: Some(MAX_LIMIT),
            ..Default::default()
        })
        .await
    });
    let leader_list: Vec<UserRef> = match &*leaders.state {
        Load::Ready(page) => page
            .items
            .iter()
            .filter(|u| u.active)
            .map(|u| UserRef { id: u.id, username: u.username.clone(), full_name: u.full_name.clone() })
            .collect(),
        _ => Vec::new(),
    };
    let teams = use_paged((), |api, (), cursor| async move { api.list_teams(Some(50), cursor).await });

    let on_created = {
        let (notice, reload, i18n) = (notice.clone(), teams.reload.clone(), i18n.clone());
        Callback::from(move |team: Team| {
            notice.set(Some(i18n.tf(K::TeamCreated, &[&team.name])));
            reload.emit(());
        })
    };
    let on_saved = {
        let (notice, editing, replace, i18n) = (notice.clone(), editing.clone(), teams.replace.clone(), i18n.clone());
        Callback::from(move |team: Team| {
            notice.set(Some(i18n.tf(K::TeamSaved, &[&team.name])));
            editing.set(None);
            replace.emit(team);
        })
    };

    let list = &*teams.state;
    let table = list_body(list, i18n.t(K::EmptyList), || {
        let rows = list.items.iter().map(|t| {
            html! {
                <tr key={t.id} data-team={t.name.clone()}>
                    <td>{ t.name.clone() }</td>
                    <td>{ t.leader.as_ref().map_or_else(
                        || html! { <span class="muted">{ i18n.t(K::NoLeader) }</span> },
                        |l| html! { <>{ l.full_name.clone() }{ " " }<span class="muted mono">{ format!("({})", l.username) }</span></> },
                    ) }</td>
                    <td class="num">{ count(i18n.lang, t.member_count) }</td>
                    { edit_cell(i18n.lang, &t.name, open_editor(&editing, t)) }
                </tr>
            }
        });
        let head = head_actions(i18n.lang, &[(K::TeamName, false), (K::Leader, false), (K::Members, true)], K::Actions);
        table("table", Some("teams-table"), head, rows.collect())
    });

    html! {
        <section class="page" data-page="teams">
            <header class="page-head">
                <h1>{ i18n.t(K::TeamsTitle) }</h1>
                <p class="muted">{ i18n.t(K::TeamsIntro) }</p>
            </header>
            <div class="grid grid-main-side">
                <section class="card" aria-labelledby="teams-list-title">
                    <h2 id="teams-list-title" class="card-title">{ i18n.t(K::TeamsTitle) }</h2>
                    if let Some(text) = (*notice).clone() {
                        { tone_banner(Tone::Success, text) }
                    }
                    if let Some(error) = list.error.clone() {
                        <ErrorBanner {error} on_retry={teams.reload.clone()} />
                    }
                    { table }
                    if list.next_cursor.is_some() && !list.loading {
                        <div class="list-foot">
                            { load_more_button(list, &i18n, &teams.load_more) }
                        </div>
                    }
                </section>
                <CreateTeamForm leaders={leader_list.clone()} {on_created} />
            </div>
            if let Some(team) = (*editing).clone() {
                <EditTeamDialog {team} leaders={leader_list} {on_saved} on_close={close_editor(&editing)} on_refreshed={teams.replace.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CreateTeamFormProps {
    leaders: Vec<UserRef>,
    on_created: Callback<Team>,
}

#[component]
fn CreateTeamForm(props: &CreateTeamFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let name = use_state(String::new);
    let leader = use_state(String::new);
    let sending = use_sending();

    let onsubmit = {
        let (name, leader, sending, on_created) =
            (name.clone(), leader.clone(), sending.clone(), props.on_created.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *sending.busy {
                return;
            }
            let body = NewTeam { name: name.trim().to_owned(), leader_id: leader.parse().ok() };
            if !sending.checked(domain::validation::new_team(&body).err()) {
                return;
            }
            sending.start();
            let api = api.clone();
            let (name, leader, sending, on_created) =
                (name.clone(), leader.clone(), sending.clone(), on_created.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.create_team(&body).await {
                    Ok(team) => {
                        sending.busy.set(false);
                        name.set(String::new());
                        leader.set(String::new());
                        on_created.emit(team);
                    }
                    Err(error) => sending.refused(error, Some((NAME_TAKEN, "name"))),
                }
            });
        })
    };
    let errors = &*sending.errors;
    html! {
        <section class="card" aria-labelledby="create-team-title">
            <h2 id="create-team-title" class="card-title">{ i18n.t(K::CreateTeamTitle) }</h2>
            { form_banners(None, (*sending.failure).clone()) }
            <form class="form-stack" {onsubmit} novalidate=true id="create-team-form">
                <TextField id="new-team-name" label={i18n.t(K::TeamName)} value={(*name).clone()} on_change={setter(&name)}
                    error={field_text(&i18n, errors, "name")} required=true />
                <SelectField id="new-team-leader" label={i18n.t(K::Leader)} value={(*leader).clone()}
                    options={leader_options(&i18n, &props.leaders)} on_change={setter(&leader)}
                    error={field_text(&i18n, errors, "leader_id")} />
                { form_actions(i18n.lang, "create-team", K::CreateTeam, Some(K::Creating), *sending.busy, None) }
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EditTeamDialogProps {
    team: Team,
    leaders: Vec<UserRef>,
    on_saved: Callback<Team>,
    on_close: Callback<()>,
    on_refreshed: Callback<Team>,
}

#[component]
fn EditTeamDialog(props: &EditTeamDialogProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let base = use_state(|| props.team.clone());
    let leader_of = |t: &Team| t.leader.as_ref().map(|l| l.id.to_string()).unwrap_or_default();
    let name = use_state(|| props.team.name.clone());
    let leader = use_state(|| leader_of(&props.team));
    let notice = use_state(|| None::<(Tone, K)>);
    let sending = use_sending();

    // The current leader stays selectable even if their role changed since.
    let mut leaders = props.leaders.clone();
    if let Some(current) = &base.leader
        && !leaders.iter().any(|u| u.id == current.id)
    {
        leaders.insert(0, current.clone());
    }

    let onsubmit = {
        let (base, name, leader, notice, sending) =
            (base.clone(), name.clone(), leader.clone(), notice.clone(), sending.clone());
        let (on_saved, on_refreshed) = (props.on_saved.clone(), props.on_refreshed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *sending.busy {
                return;
            }
            let patch = team_patch(&base, &name, &leader);
            let check = patch.name.as_ref().and_then(|new_name| {
                domain::validation::new_team(&NewTeam { name: new_name.clone(), leader_id: None }).err()
            });
            if !sending.edit_checked(check, patch.name.is_none() && patch.leader_id.is_none(), &notice) {
                return;
            }
            sending.start();
            let id = base.id;
            let api = api.clone();
            let (base, name, leader, notice, sending) =
                (base.clone(), name.clone(), leader.clone(), notice.clone(), sending.clone());
            let (on_saved, on_refreshed) = (on_saved.clone(), on_refreshed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.update_team(id, &patch).await {
                    Ok(team) => on_saved.emit(team),
                    Err(error) if error.code() == Some(STALE) => {
                        // A stale version: there is no single-team GET, so find it in the list.
                        match api.list_teams(Some(MAX_LIMIT), None).await {
                            Ok(page) => match page.items.into_iter().find(|t| t.id == id) {
                                Some(fresh) => {
                                    name.set(fresh.name.clone());
                                    leader.set(leader_of(&fresh));
                                    base.set(fresh.clone());
                                    on_refreshed.emit(fresh);
                                    notice.set(Some((Tone::Warning, K::StaleTeam)));
                                }
                                None => sending.failure.set(Some(error)),
                            },
                            Err(error) => sending.failure.set(Some(error)),
                        }
                        sending.busy.set(false);
                    }
                    Err(error) => sending.refused(error, Some((NAME_TAKEN, "name"))),
                }
            });
        })
    };
    let errors = &*sending.errors;
    let close = props.on_close.clone();
    html! {
        <Dialog id="edit-team" title={i18n.tf(K::EditTeamTitle, &[&base.name])} on_close={props.on_close.clone()}>
            { form_banners(notice.map(|(tone, key)| (tone, i18n.t(key).into())), (*sending.failure).clone()) }
            <form class="form-stack" {onsubmit} novalidate=true>
                <TextField id="edit-team-name" label={i18n.t(K::TeamName)} value={(*name).clone()} on_change={setter(&name)}
                    error={field_text(&i18n, errors, "name")} required=true />
                <SelectField id="edit-team-leader" label={i18n.t(K::Leader)} value={(*leader).clone()}
                    options={leader_options(&i18n, &leaders)} on_change={setter(&leader)}
                    error={field_text(&i18n, errors, "leader_id")} />
                { form_actions(i18n.lang, "save-team", K::Save, Some(K::Saving), *sending.busy, Some(close)) }
            </form>
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team() -> Team {
        Team {
            id: 1,
            name: "Tim 1".into(),
            leader: Some(UserRef { id: 5, username: "tl1".into(), full_name: "TL Satu".into() }),
            member_count: 3,
            version: 4,
        }
    }

    #[test]
    fn unchanged_team_patches_nothing() {
        let patch = team_patch(&team(), "Tim 1 ", "5");
        assert_eq!(patch, TeamPatch { version: 4, name: None, leader_id: None });
    }

    #[test]
    fn removing_the_leader_sends_null_and_renaming_sends_the_name() {
        let patch = team_patch(&team(), "Tim Satu", "");
        assert_eq!(patch.name.as_deref(), Some("Tim Satu"));
        assert_eq!(patch.leader_id, Some(None));
        assert_eq!(team_patch(&team(), "Tim 1", "9").leader_id, Some(Some(9)));
    }
}
