//! `/admin/users` (admin): the user list with role and team filters and "load more", a form to
//! add a user (checked with `domain::validation::new_user` before it is sent), and a dialog to
//! change role, team, position, name and whether the account is active.

use crate::api::{MAX_LIMIT, STALE, UserFilter};
use crate::app::{I18n, use_api, use_auth, use_i18n, use_title};
use crate::components::account_help::OneTimePassword;
use crate::components::badges::status_badge;
use crate::components::dialog::Dialog;
use crate::components::fields::{SelectField, TextField, checkbox, setter};
use crate::components::paged::{close_editor, list_body, load_more_button, open_editor, shown_count};
use crate::components::parts::{edit_cell, form_actions, head_actions, table};
use crate::components::profile::display_name;
use crate::components::status::{ErrorBanner, Tone, form_banners, tone_banner};
use crate::datetime::{count, long_datetime, minute_datetime};
use crate::hooks::{Load, use_fetch, use_paged, use_sending};
use crate::i18n::{K, field_error, password_hint, role_key, username_hint};
use domain::Role;
use domain::api::{NewUser, Team, User, UserPatch};
use domain::validation::FieldErrors;
use std::collections::BTreeMap;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Field problems translated for display, by field name.
type Shown = BTreeMap<String, String>;

/// Translates a map of problem codes.
fn translate(i18n: &I18n, fields: &FieldErrors) -> Shown {
    fields.iter().map(|(field, code)| (field.clone(), field_error(i18n.lang, field, code))).collect()
}

/// Role options for a select, with translated names.
fn role_options(i18n: &I18n, with_all: bool) -> Vec<(AttrValue, AttrValue)> {
    let mut options = Vec::new();
    if with_all {
        options.push((AttrValue::Static(""), AttrValue::Static(i18n.t(K::All))));
    }
    options.extend(Role::ALL.iter().map(|r| (AttrValue::Static(r.as_str()), AttrValue::Static(i18n.t(role_key(*r))))));
    options
}

/// Team options for a select, led by "all" (filters) or "no team" (forms).
fn team_options(i18n: &I18n, teams: &[Team], first: K) -> Vec<(AttrValue, AttrValue)> {
    std::iter::once((AttrValue::Static(""), AttrValue::Static(i18n.t(first))))
        .chain(teams.iter().map(|t| (AttrValue::from(t.id.to_string()), AttrValue::from(t.name.clone()))))
        .collect()
}

fn parse_team(value: &str) -> Option<i64> {
    value.parse().ok()
}

#[component]
pub fn AdminUsersPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::UsersTitle));
    let role_filter = use_state(String::new);
    let team_filter = use_state(String::new);
    let search = use_state(String::new);
    let notice = use_state(|| None::<(Tone, String)>);
    let editing = use_state(|| None::<User>);

    let teams = use_fetch((), |api, ()| async move { api.list_teams(Some(MAX_LIMIT), None).await });
    let team_list: Vec<Team> = match &*teams.state {
        Load::Ready(page) => page.items.clone(),
        _ => Vec::new(),
    };

    let filter = UserFilter {
        role: Some((*role_filter).clone()).filter(|r| !r.is_empty()),
        team_id: parse_team(&team_filter),
        q: Some(search.trim().to_owned()).filter(|q| !q.is_empty()),
        active: None,
        limit: Some(50),
        cursor: None,
    };
    let users =
        use_paged(filter, |api, filter, cursor| async move { api.list_users(&UserFilter { cursor, ..filter }).await });

    let on_created = {
        let (notice, reload, i18n) = (notice.clone(), users.reload.clone(), i18n.clone());
        Callback::from(move |user: User| {
            notice.set(Some((Tone::Success, i18n.tf(K::UserCreated, &[&user.username]))));
            reload.emit(());
        })
    };
    // The dialog saved the user: it closes, the row shows the account as saved, `done` says what.
    let saved = |done: K| {
        let (notice, editing, replace, i18n) = (notice.clone(), editing.clone(), users.replace.clone(), i18n.clone());
        Callback::from(move |user: User| {
            notice.set(Some((Tone::Success, i18n.tf(done, &[&user.username]))));
            editing.set(None);
            replace.emit(user);
        })
    };
    let (on_saved, on_password_set) = (saved(K::UserSaved), saved(K::OneTimeDone));
    let self_id = use_auth().user().map_or(0, |u| u.id);
    // Lifts a lock-out; the row shows the account as the server now has it.
    let on_unlock = {
        let (api, notice, replace, i18n) = (use_api(), notice.clone(), users.replace.clone(), i18n.clone());
        Callback::from(move |user: User| {
            let (api, notice, replace, i18n) = (api.clone(), notice.clone(), replace.clone(), i18n.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.unlock_user(user.id).await {
                    Ok(user) => {
                        notice.set(Some((Tone::Success, i18n.tf(K::UserUnlocked, &[&user.username]))));
                        replace.emit(user);
                    }
                    Err(_) => notice.set(Some((Tone::Error, i18n.t(K::UnlockFailed).to_owned()))),
                }
            });
        })
    };
    let clear_notice = {
        let notice = notice.clone();
        Callback::from(move |()| notice.set(None))
    };

    let list = &*users.state;
    let table = list_body(list, i18n.t(K::EmptyList), || {
        let unlock = |user: &User| {
            let (on_unlock, user) = (on_unlock.clone(), user.clone());
            Callback::from(move |_: MouseEvent| on_unlock.emit(user.clone()))
        };
        let dash = i18n.t(K::NoneDash);
        let rows = list.items.iter().map(|u| {
            html! {
                <tr key={u.id} data-username={u.username.clone()} class={classes!((!u.active).then_some("row-inactive"))}>
                    <td>{ display_name(u) }</td>
                    <td class="mono">{ u.username.clone() }</td>
                    <td>{ if u.position.is_empty() { dash.to_owned() } else { u.position.clone() } }</td>
                    <td data-field="role">{ i18n.t(role_key(u.role)) }</td>
                    <td data-field="team" class="nowrap">{ u.team.as_ref().map_or_else(|| dash.to_owned(), |t| t.name.clone()) }</td>
                    <td data-field="active">
                        { status_badge(&i18n, u.active) }
                        if let Some(until) = &u.locked_until {
                            <span class="badge badge-locked" data-field="locked" title={i18n.t(K::LockedHint)}>
                                { i18n.tf(K::LockedUntil, &[&minute_datetime(i18n.lang, until)]) }
                            </span>
                            <button type="button" class="btn btn-small btn-primary btn-unlock" data-unlock={u.username.clone()}
                                aria-label={format!("{} {}", i18n.t(K::Unlock), u.username)} onclick={unlock(u)}>
                                { i18n.t(K::Unlock) }
                            </button>
                        }
                    </td>
                    <td class="nowrap" data-field="last-login"
                        title={format!("{}: {}", i18n.t(K::CreatedAt), long_datetime(i18n.lang, &u.created_at))}>
                        { u.last_login_at.as_deref().map_or_else(|| i18n.t(K::NeverLoggedIn).to_owned(), |at| minute_datetime(i18n.lang, at)) }
                    </td>
                    { edit_cell(i18n.lang, &u.username, open_editor(&editing, u)) }
                </tr>
            }
        });
        let head = head_actions(
            i18n.lang,
            &[
                (K::FullName, false),
                (K::Username, false),
                (K::Position, false),
                (K::Role, false),
                (K::Team, false),
                (K::Status, false),
                (K::LastLogin, false),
            ],
            K::Actions,
        );
        table("table", Some("users-table"), head, rows.collect())
    });
    let shown = count(i18n.lang, list.items.len() as i64);

    html! {
        <section class="page" data-page="users">
            <header class="page-head">
                <h1>{ i18n.t(K::UsersTitle) }</h1>
                <p class="muted">{ i18n.t(K::UsersIntro) }</p>
            </header>
            <CreateUserForm teams={team_list.clone()} {on_created} on_started={clear_notice} />
            if let Some((tone, text)) = (*notice).clone() {
                { tone_banner(tone, text) }
            }
            <section class="card" aria-labelledby="users-list-title">
                <div class="card-head">
                    <h2 id="users-list-title" class="card-title">{ i18n.t(K::UsersTitle) }</h2>
                    <div class="toolbar">
                        <div class="field">
                            <label for="filter-q">{ i18n.t(K::SearchUsers) }</label>
                            <input id="filter-q" type="search" value={(*search).clone()} autocomplete="off"
                                oninput={let s = search.clone(); move |e: InputEvent| s.set(e.target_unchecked_into::<HtmlInputElement>().value())} />
                        </div>
                        <SelectField id="filter-role" label={i18n.t(K::FilterRole)} value={(*role_filter).clone()}
                            options={role_options(&i18n, true)} on_change={setter(&role_filter)} />
                        <SelectField id="filter-team" label={i18n.t(K::FilterTeam)} value={(*team_filter).clone()}
                            options={team_options(&i18n, &team_list, K::All)} on_change={setter(&team_filter)} />
                    </div>
                </div>
                if let Some(error) = list.error.clone() {
                    <ErrorBanner {error} on_retry={users.reload.clone()} />
                }
                { table }
                <div class="list-foot">
                    { shown_count(list, &i18n, &shown) }
                    { load_more_button(list, &i18n, &users.load_more) }
                </div>
            </section>
            if let Some(user) = (*editing).clone() {
                <EditUserDialog {user} teams={team_list} {on_saved} on_close={close_editor(&editing)} on_refreshed={users.replace.clone()}
                    {on_password_set} self_id={self_id} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CreateUserFormProps {
    teams: Vec<Team>,
    on_created: Callback<User>,
    /// A new attempt began: earlier messages of the page are out of date.
    on_started: Callback<()>,
}

#[component]
fn CreateUserForm(props: &CreateUserFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let username = use_state(String::new);
    let password = use_state(String::new);
    let full_name = use_state(String::new);
    let position = use_state(String::new);
    let email = use_state(String::new);
    let role = use_state(|| Role::Agent.as_str().to_owned());
    let team = use_state(String::new);
    let sending = use_sending();

    let onsubmit = {
        let (username, password, full_name, position, role, team) =
            (username.clone(), password.clone(), full_name.clone(), position.clone(), role.clone(), team.clone());
        let email = email.clone();
        let (sending, on_created, on_started) = (sending.clone(), props.on_created.clone(), props.on_started.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *sending.busy {
                return;
            }
            on_started.emit(());
            let body = NewUser {
                username: username.trim().to_owned(),
                password: (*password).clone(),
                role: (*role).clone(),
                full_name: full_name.trim().to_owned(),
                position: position.trim().to_owned(),
                team_id: parse_team(&team),
                email: Some(email.trim().to_owned()).filter(|e| !e.is_empty()),
            };
            if !sending.checked(domain::validation::new_user(&body).err()) {
                return;
            }
            sending.start();
            let api = api.clone();
            let (username, password, full_name, position, team) =
                (username.clone(), password.clone(), full_name.clone(), position.clone(), team.clone());
            let email = email.clone();
            let (sending, on_created) = (sending.clone(), on_created.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.create_user(&body).await {
                    Ok(user) => {
                        sending.busy.set(false);
                        for field in [&username, &password, &full_name, &position, &team, &email] {
                            field.set(String::new());
                        }
                        on_created.emit(user);
                    }
                    Err(error) => sending.refused(error, Some(("username_taken", "username"))),
                }
            });
        })
    };

    let shown = translate(&i18n, &sending.errors);
    let err = |field: &str| shown.get(field).cloned();
    html! {
        <section class="card" aria-labelledby="create-user-title">
            <h2 id="create-user-title" class="card-title">{ i18n.t(K::CreateUserTitle) }</h2>
            { form_banners((!sending.errors.is_empty()).then(|| (Tone::Error, i18n.t(K::FormHasErrors).into())), (*sending.failure).clone()) }
            <form class="form-grid" {onsubmit} novalidate=true id="create-user-form">
                <TextField id="new-username" label={i18n.t(K::Username)} value={(*username).clone()}
                    on_change={setter(&username)} error={err("username")} hint={username_hint(i18n.lang)}
                    autocomplete="off" required=true />
                <TextField id="new-password" kind="password" label={i18n.t(K::Password)} value={(*password).clone()}
                    on_change={setter(&password)} error={err("password")} hint={password_hint(i18n.lang)}
                    autocomplete="new-password" required=true />
                <TextField id="new-full-name" label={i18n.t(K::FullName)} value={(*full_name).clone()}
                    on_change={setter(&full_name)} error={err("full_name")} required=true />
                <TextField id="new-position" label={i18n.t(K::Position)} value={(*position).clone()}
                    on_change={setter(&position)} error={err("position")} />
                <TextField id="new-email" kind="email" label={i18n.t(K::Email)} value={(*email).clone()}
                    on_change={setter(&email)} error={err("email")} hint={i18n.t(K::EmailHint)} autocomplete="off" />
                <SelectField id="new-role" label={i18n.t(K::Role)} value={(*role).clone()}
                    options={role_options(&i18n, false)} on_change={setter(&role)} error={err("role")} required=true />
                <SelectField id="new-team" label={i18n.t(K::Team)} value={(*team).clone()}
                    options={team_options(&i18n, &props.teams, K::NoTeam)} on_change={setter(&team)}
                    error={err("team_id").or_else(|| err("team"))} />
                { form_actions(i18n.lang, "create-user", K::CreateUser, Some(K::Creating), *sending.busy, None) }
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EditUserDialogProps {
    user: User,
    teams: Vec<Team>,
    on_saved: Callback<User>,
    on_close: Callback<()>,
    /// The user was reloaded after a conflict: update the row, keep the dialog open.
    on_refreshed: Callback<User>,
    /// A one-time password was set (not offered for the admin's own account, `self_id`).
    on_password_set: Callback<User>,
    self_id: i64,
}

/// The form's values for a user.
#[derive(Debug, Clone, PartialEq)]
struct UserForm {
    full_name: String,
    position: String,
    email: String,
    role: String,
    team: String,
    active: bool,
}

impl UserForm {
    fn of(user: &User) -> Self {
        UserForm {
            full_name: user.full_name.clone(),
            position: user.position.clone(),
            email: user.email.clone().unwrap_or_default(),
            role: user.role.as_str().to_owned(),
            team: user.team.as_ref().map(|t| t.id.to_string()).unwrap_or_default(),
            active: user.active,
        }
    }

    /// The PATCH that turns `base` into this form: only what changed, with `base`'s version.
    fn patch(&self, base: &User) -> UserPatch {
        let before = UserForm::of(base);
        let changed = |a: &String, b: &String| (a.trim() != b.trim()).then(|| a.trim().to_owned());
        UserPatch {
            version: base.version,
            role: (self.role != before.role).then(|| self.role.clone()),
            team_id: (self.team != before.team).then(|| parse_team(&self.team)),
            full_name: changed(&self.full_name, &before.full_name),
            position: changed(&self.position, &before.position),
            active: (self.active != before.active).then_some(self.active),
            email: changed(&self.email, &before.email).map(|e| Some(e).filter(|e| !e.is_empty())),
        }
    }
}

fn is_empty_patch(patch: &UserPatch) -> bool {
    *patch == UserPatch { version: patch.version, ..Default::default() }
}

#[component]
fn EditUserDialog(props: &EditUserDialogProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let base = use_state(|| props.user.clone());
    let form = use_state(|| UserForm::of(&props.user));
    let notice = use_state(|| None::<(Tone, K)>);
    let sending = use_sending();

    let update = |apply: fn(&mut UserForm, String)| {
        let form = form.clone();
        Callback::from(move |value: String| {
            let mut next = (*form).clone();
            apply(&mut next, value);
            form.set(next);
        })
    };
    let on_active = {
        let form = form.clone();
        Callback::from(move |active: bool| form.set(UserForm { active, ..(*form).clone() }))
    };

    let onsubmit = {
        let (base, form, notice, sending) = (base.clone(), form.clone(), notice.clone(), sending.clone());
        let (on_saved, on_refreshed) = (props.on_saved.clone(), props.on_refreshed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *sending.busy {
                return;
            }
            let patch = form.patch(&base);
            let empty = is_empty_patch(&patch);
            let problems = if empty { None } else { domain::validation::user_patch(&patch).err() };
            if !sending.edit_checked(problems, empty, &notice) {
                return;
            }
            sending.start();
            let id = base.id;
            let api = api.clone();
            let (base, form, notice, sending) = (base.clone(), form.clone(), notice.clone(), sending.clone());
            let (on_saved, on_refreshed) = (on_saved.clone(), on_refreshed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = api.update_user(id, &patch).await;
                match result {
                    Ok(user) => on_saved.emit(user),
                    Err(error) if error.code() == Some(STALE) => {
                        // Someone else saved first: show what is there now and say so.
                        match api.get_user(id).await {
                            Ok(fresh) => {
                                form.set(UserForm::of(&fresh));
                                base.set(fresh.clone());
                                on_refreshed.emit(fresh);
                                notice.set(Some((Tone::Warning, K::StaleUser)));
                            }
                            Err(error) => sending.failure.set(Some(error)),
                        }
                        sending.busy.set(false);
                    }
                    Err(error) => sending.refused(error, None),
                }
            });
        })
    };

    let shown = translate(&i18n, &sending.errors);
    let err = |field: &str| shown.get(field).cloned();
    let close = props.on_close.clone();
    html! {
        <Dialog id="edit-user" title={i18n.tf(K::EditUserTitle, &[&base.username])} on_close={props.on_close.clone()}>
            { form_banners(notice.map(|(tone, key)| (tone, i18n.t(key).into())), (*sending.failure).clone()) }
            <form class="form-stack" {onsubmit} novalidate=true>
                <TextField id="edit-full-name" label={i18n.t(K::FullName)} value={form.full_name.clone()}
                    on_change={update(|f, v| f.full_name = v)} error={err("full_name")} required=true />
                <TextField id="edit-position" label={i18n.t(K::Position)} value={form.position.clone()}
                    on_change={update(|f, v| f.position = v)} error={err("position")} />
                <TextField id="edit-email" kind="email" label={i18n.t(K::Email)} value={form.email.clone()}
                    on_change={update(|f, v| f.email = v)} error={err("email")} hint={i18n.t(K::EmailHint)} />
                <div class="form-row">
                    <SelectField id="edit-role" label={i18n.t(K::Role)} value={form.role.clone()}
                        options={role_options(&i18n, false)} on_change={update(|f, v| f.role = v)} error={err("role")} />
                    <SelectField id="edit-team" label={i18n.t(K::Team)} value={form.team.clone()}
                        options={team_options(&i18n, &props.teams, K::NoTeam)} on_change={update(|f, v| f.team = v)}
                        error={err("team_id")} />
                </div>
                if base.role == Role::Agent && form.team != UserForm::of(&base).team {
                    <div id="team-move-note">{ tone_banner(Tone::Info, i18n.t(K::TeamMoveNote)) }</div>
                }
                { checkbox("edit-active", i18n.t(K::AccountActive), form.active, on_active) }
                { form_actions(i18n.lang, "save-user", K::Save, Some(K::Saving), *sending.busy, Some(close)) }
            </form>
            if props.user.id != props.self_id {
                <OneTimePassword user={(*base).clone()} on_set={props.on_password_set.clone()} />
            }
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::api::TeamRef;

    fn user() -> User {
        User {
            full_name: "Agent Satu".into(),
            position: "Agent".into(),
            team: Some(TeamRef { id: 1, name: "Tim 1".into() }),
            version: 3,
            ..crate::testing::user(7, "agent1")
        }
    }

    #[test]
    fn an_untouched_form_patches_nothing() {
        let patch = UserForm::of(&user()).patch(&user());
        assert!(is_empty_patch(&patch));
        assert_eq!(patch.version, 3);
    }

    #[test]
    fn only_changed_fields_are_sent() {
        let mut form = UserForm::of(&user());
        form.role = "team_leader".into();
        form.active = false;
        form.position = " Agent ".into();
        let patch = form.patch(&user());
        assert_eq!(patch.role.as_deref(), Some("team_leader"));
        assert_eq!(patch.active, Some(false));
        assert_eq!(patch.position, None, "whitespace alone is no change");
        assert_eq!(patch.team_id, None);
    }

    #[test]
    fn an_address_is_set_changed_or_cleared() {
        let mut form = UserForm::of(&user());
        form.email = " agus@mutu.example ".into();
        assert_eq!(form.patch(&user()).email, Some(Some("agus@mutu.example".into())));
        let with = User { email: Some("agus@mutu.example".into()), ..user() };
        let mut form = UserForm::of(&with);
        assert_eq!(form.patch(&with).email, None);
        form.email = String::new();
        assert_eq!(form.patch(&with).email, Some(None), "emptied: the address is removed");
    }

    #[test]
    fn clearing_the_team_sends_null() {
        let mut form = UserForm::of(&user());
        form.team = String::new();
        assert_eq!(form.patch(&user()).team_id, Some(None));
        form.team = "2".into();
        assert_eq!(form.patch(&user()).team_id, Some(Some(2)));
    }
}
