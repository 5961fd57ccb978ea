//! Picks one user of a role by typing part of the name or username. The server searches
//! (`GET /api/users?q=`), so a site of thousands of agents is searched whole; the browser shows
//! the first matches in a native `datalist`, which works with the keyboard and screen readers as
//! any input does.

use crate::api::UserFilter;
use crate::app::use_i18n;
use crate::components::profile::display_name;
use crate::hooks::use_quiet_fetch;
use crate::i18n::K;
use domain::api::User;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Matches offered while typing.
const SHOWN: u32 = 20;

#[derive(Properties, PartialEq)]
pub struct UserPickerProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// `agent`, `qco`, …
    pub role: AttrValue,
    /// Only members of this team.
    #[prop_or_default]
    pub team_id: Option<i64>,
    pub value: Option<i64>,
    pub on_change: Callback<Option<User>>,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or_default]
    pub required: bool,
}

/// How a user is offered and shown once picked: `Name (username)`.
pub fn label_of(user: &User) -> String {
    format!("{} ({})", display_name(user), user.username)
}

/// What to ask the server for: the username inside a picked `Name (username)`, else the text.
pub fn search_term(text: &str) -> String {
    let text = text.trim();
    if let Some(inner) = text.strip_suffix(')').and_then(|t| t.rsplit_once(" (")).map(|(_, inner)| inner.trim())
        && !inner.is_empty()
    {
        return inner.to_owned();
    }
    text.to_owned()
}

/// Whether `text` names `user`: the offered label, the username or the full name (any case).
pub fn names(user: &User, text: &str) -> bool {
    use crate::text::lower;
    let needle = lower(text.trim());
    !needle.is_empty()
        && (lower(&label_of(user)) == needle || lower(&user.username) == needle || lower(&display_name(user)) == needle)
}

#[component]
pub fn UserPicker(props: &UserPickerProps) -> Html {
    let i18n = use_i18n();
    let text = use_state(String::new);
    // Set by typing: until then the text only shows the chosen user (a draft opened later).
    let typed = use_state(|| false);
    let term = search_term(&text);
    let found =
        use_quiet_fetch((props.role.to_string(), props.team_id, term), |api, (role, team_id, term)| async move {
            let filter = UserFilter {
                role: Some(role),
                team_id,
                q: (!term.is_empty()).then_some(term),
                active: Some(true),
                limit: Some(SHOWN),
                cursor: None,
            };
            api.list_users(&filter).await.map(|page| page.items)
        });
    let list: Vec<User> = match &*found.state {
        Some(Ok(items)) => items.clone(),
        _ => Vec::new(),
    };
    // The chosen user: among the matches, or (only when it is not) asked for by id.
    let missing = props.value.filter(|id| !list.iter().any(|u| u.id == *id));
    let by_id = use_quiet_fetch(missing, |api, id| async move {
        match id {
            Some(id) => api.get_user(id).await.map(Some),
            None => Ok(None),
        }
    });
    let chosen: Option<User> = props.value.and_then(|id| {
        list.iter().find(|u| u.id == id).cloned().or_else(|| match &*by_id.state {
            Some(Ok(Some(user))) if user.id == id => Some(user.clone()),
            _ => None,
        })
    });
    // Show the chosen user's label while nothing was typed.
    {
        let (text, typed, label) = (text.clone(), *typed, chosen.as_ref().map(label_of));
        use_effect_with(label, move |label| {
            if let Some(label) = label
                && !typed
                && text.is_empty()
            {
                text.set(label.clone());
            }
        });
    }
    // What was typed names a user once the matches for it are in (they arrive after the key).
    {
        let (on_change, value) = (props.on_change.clone(), props.value);
        let typed_text = (*typed).then(|| (*text).clone());
        let ids: Vec<i64> = list.iter().map(|u| u.id).collect();
        let list = list.clone();
        use_effect_with((typed_text, ids), move |(typed_text, _)| {
            if let Some(typed_text) = typed_text {
                let hit = list.iter().find(|u| names(u, typed_text));
                if hit.map(|u| u.id) != value {
                    on_change.emit(hit.cloned());
                }
            }
        });
    }
    let oninput = {
        let (text, typed) = (text.clone(), typed.clone());
        Callback::from(move |e: InputEvent| {
            typed.set(true);
            text.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let list_id = format!("{}-list", props.id);
    let error_id = format!("{}-error", props.id);
    html! {
        <div class={classes!("field", "user-picker", props.error.is_some().then_some("has-error"))}>
            <label for={props.id.clone()}>
                { props.label.clone() }
                if props.required { <span class="req" aria-hidden="true">{ " *" }</span> }
            </label>
            <input id={props.id.clone()} type="search" list={list_id.clone()} value={(*text).clone()} {oninput}
                autocomplete="off" placeholder={i18n.t(K::PickerPlaceholder)}
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={props.error.is_some().then(|| error_id.clone())} />
            <datalist id={list_id}>
                { for list.iter().map(|u| html! { <option value={label_of(u)} /> }) }
            </datalist>
            if let Some(error) = &props.error {
                <p class="field-error" id={error_id}>{ error.clone() }</p>
            } else if let Some(u) = &chosen {
                <p class="field-hint picker-chosen" data-user-id={u.id.to_string()}>{ format!("✓ {}", display_name(u)) }
                    if let Some(team) = &u.team { { format!(" · {}", team.name) } }
                </p>
            } else if *typed && !text.trim().is_empty() && found.state.is_some() {
                // Typed text that names nobody chooses nobody: say so before the form is sent.
                <p class="field-hint picker-unpicked" role="status">{ i18n.t(K::PickerNotPicked) }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_term_of_a_picked_label_is_its_username() {
        assert_eq!(search_term("Agus Setiawan (agent1)"), "agent1");
        assert_eq!(search_term("  agus "), "agus");
        assert_eq!(search_term("Dewi (QC) Lestari"), "Dewi (QC) Lestari");
        assert_eq!(search_term("()"), "()");
        assert_eq!(search_term(""), "");
    }
}
