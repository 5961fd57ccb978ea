//! The profile card: name, position, role and team of the signed-in user.

use crate::app::I18n;
use crate::i18n::{K, role_key};
use domain::api::User;
use yew::prelude::*;

/// A function, not a component: a component type costs the bundle some 400 bytes of Yew's
/// machinery.
pub fn profile_card(i18n: &I18n, user: &User) -> Html {
    let dash = i18n.t(K::NoneDash);
    let position = if user.position.trim().is_empty() { dash.to_owned() } else { user.position.clone() };
    let team = user.team.as_ref().map_or_else(|| i18n.t(K::NoTeam).to_owned(), |t| t.name.clone());
    html! {
        <section class="card profile-card" aria-labelledby="profile-title">
            <h2 id="profile-title" class="card-title">{ i18n.t(K::ProfileTitle) }</h2>
            <div class="profile">
                <div class="avatar" aria-hidden="true">{ initials(&user.full_name, &user.username) }</div>
                <dl class="facts">
                    <div><dt>{ i18n.t(K::FullName) }</dt><dd data-field="full_name">{ display_name(user) }</dd></div>
                    <div><dt>{ i18n.t(K::Username) }</dt><dd data-field="username">{ user.username.clone() }</dd></div>
                    <div><dt>{ i18n.t(K::Position) }</dt><dd data-field="position">{ position }</dd></div>
                    <div><dt>{ i18n.t(K::Role) }</dt><dd data-field="role">{ i18n.t(role_key(user.role)) }</dd></div>
                    <div><dt>{ i18n.t(K::Team) }</dt><dd data-field="team">{ team }</dd></div>
                    <div><dt>{ i18n.t(K::Email) }</dt><dd data-field="email">{ user.email.clone().unwrap_or_else(|| i18n.t(K::NoEmail).to_owned()) }</dd></div>
                </dl>
            </div>
        </section>
    }
}

/// The full name, or the username when no name was recorded.
pub fn display_name(user: &User) -> String {
    if user.full_name.trim().is_empty() { user.username.clone() } else { user.full_name.clone() }
}

/// Up to two initials for the avatar.
fn initials(full_name: &str, username: &str) -> String {
    let source = if full_name.trim().is_empty() { username } else { full_name };
    let first: String = source
        .split(|c: char| c.is_whitespace() || c == '.')
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .collect();
    crate::text::upper(&first)
}
