//! The admin's help for a user who cannot log in: a one-time password they must change at their
//! next login (`POST /api/users/{id}/password`). Shown in the user's edit dialog.

use crate::api::ApiError;
use crate::app::{use_api, use_i18n};
use crate::components::fields::{TextField, setter};
use crate::components::status::ErrorBanner;
use crate::i18n::{K, field_error, password_hint};
use domain::api::{PasswordReset, User};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OneTimePasswordProps {
    pub user: User,
    /// The account as it is after the password was set.
    pub on_set: Callback<User>,
}

/// A password field and its button, in a section of its own (a separate form from the profile's).
#[component]
pub fn OneTimePassword(props: &OneTimePasswordProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let password = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let failure = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (password, problem, failure, busy) = (password.clone(), problem.clone(), failure.clone(), busy.clone());
        let (id, on_set, lang) = (props.user.id, props.on_set.clone(), i18n.lang);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            failure.set(None);
            if let Err(code) = domain::validation::password(&password) {
                problem.set(Some(field_error(lang, "password", code.as_str())));
                return;
            }
            problem.set(None);
            busy.set(true);
            let body = PasswordReset { password: (*password).clone() };
            let (api, password, problem, failure, busy, on_set) =
                (api.clone(), password.clone(), problem.clone(), failure.clone(), busy.clone(), on_set.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = api.set_one_time_password(id, &body).await;
                busy.set(false);
                match result {
                    Ok(user) => {
                        password.set(String::new());
                        on_set.emit(user);
                    }
                    Err(error) => match error.fields().and_then(|f| f.get("password")) {
                        Some(code) => problem.set(Some(field_error(lang, "password", code))),
                        None => failure.set(Some(error)),
                    },
                }
            });
        })
    };
    html! {
        <section class="dialog-section" aria-labelledby="one-time-title">
            <h3 id="one-time-title" class="section-title">{ i18n.t(K::OneTimeTitle) }</h3>
            <p class="muted small">{ i18n.t(K::OneTimeHint) }</p>
            if let Some(error) = (*failure).clone() {
                <ErrorBanner {error} />
            }
            <form class="form-stack" {onsubmit} novalidate=true id="one-time-form">
                <TextField id="one-time-password" kind="password" label={i18n.t(K::NewPassword)}
                    value={(*password).clone()} on_change={setter(&password)} error={(*problem).clone()}
                    hint={password_hint(i18n.lang)} autocomplete="new-password" required=true />
                <div class="form-actions">
                    <button type="submit" id="set-one-time" class="btn btn-secondary" disabled={*busy}>
                        { i18n.t(if *busy { K::Saving } else { K::OneTimeSet }) }
                    </button>
                </div>
            </form>
        </section>
    }
}
