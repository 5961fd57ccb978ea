//! `/account`: the user's profile and the password change (current password, new one twice). A
//! user whose password the admin set sees only the password change until it is done.

use crate::api::ApiError;
use crate::app::{use_api, use_auth, use_i18n, use_title};
use crate::components::fields::{TextField, checkbox, setter};
use crate::components::parts::form_actions;
use crate::components::profile::profile_card;
use crate::components::status::{ErrorBanner, Tone, form_banners, tone_banner};
use crate::hooks::use_sending;
use crate::i18n::{K, field_error, password_hint};
use crate::state::AuthAction;
use domain::api::PasswordChange;
use domain::validation::FieldErrors;
use yew::prelude::*;

/// Client-side checks of the password form; problems by field (`new_password`, `confirm`, …).
fn check(current: &str, new: &str, confirm: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if current.is_empty() {
        errors.insert("current_password".into(), "required".into());
    }
    if let Err(code) = domain::validation::password(new) {
        errors.insert("new_password".into(), code.into());
    }
    if confirm != new {
        errors.insert("confirm".into(), "mismatch".into());
    }
    errors
}

#[component]
pub fn AccountPage() -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    use_title(i18n.t(K::AccountTitle));
    let Some(user) = auth.user().cloned() else { return Html::default() };
    html! {
        <section class="page" data-page="account">
            <header class="page-head"><h1>{ i18n.t(K::AccountTitle) }</h1></header>
            <div class="grid grid-2">
                <div class="stack">
                    { profile_card(&i18n, &user) }
                    <DigestCard />
                </div>
                <PasswordForm />
            </div>
        </section>
    }
}

/// What a user whose password the admin set sees, whatever the address: the password change.
/// Once it is done the profile is loaded again and the app opens as usual.
#[component]
pub fn MustChangePasswordPage() -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    let api = use_api();
    use_title(i18n.t(K::MustChangeTitle));
    let on_changed = Callback::from(move |()| {
        let (api, dispatcher) = (api.clone(), auth.dispatcher());
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(user) = api.me().await {
                dispatcher.dispatch(AuthAction::UserLoaded(user));
            }
        });
    });
    html! {
        <section class="page page-narrow" data-page="must-change-password">
            <header class="page-head">
                <h1>{ i18n.t(K::MustChangeTitle) }</h1>
                <p class="muted">{ i18n.t(K::MustChangeIntro) }</p>
            </header>
            <PasswordForm {on_changed} />
        </section>
    }
}

/// The daily digest email, on or off; saved as soon as it is ticked.
#[component]
fn DigestCard() -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    let api = use_api();
    let saved = use_state(|| None::<Result<bool, ApiError>>);
    let busy = use_state(|| false);
    let Some(user) = auth.user().cloned() else { return Html::default() };
    let on_change = {
        let (saved, busy) = (saved.clone(), busy.clone());
        Callback::from(move |digest: bool| {
            if *busy {
                return;
            }
            busy.set(true);
            let (api, saved, busy, dispatcher) = (api.clone(), saved.clone(), busy.clone(), auth.dispatcher());
            wasm_bindgen_futures::spawn_local(async move {
                match api.set_digest(digest).await {
                    Ok(user) => {
                        saved.set(Some(Ok(user.digest)));
                        dispatcher.dispatch(AuthAction::UserLoaded(user));
                    }
                    Err(error) => saved.set(Some(Err(error))),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section class="card" aria-labelledby="digest-title" id="digest-card">
            <h2 id="digest-title" class="card-title">{ i18n.t(K::DigestTitle) }</h2>
            { match (*saved).clone() {
                Some(Ok(on)) => tone_banner(Tone::Success, i18n.t(if on { K::DigestOnSaved } else { K::DigestOffSaved })),
                Some(Err(error)) => html! { <ErrorBanner {error} /> },
                None => Html::default(),
            } }
            if user.email.is_none() {
                <p class="muted" id="digest-no-address">{ i18n.t(K::DigestNeedsAddress) }</p>
            }
            { checkbox("digest", i18n.t(K::DigestLabel), user.digest, on_change) }
            <p class="muted">{ i18n.t(K::DigestHelp) }</p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PasswordFormProps {
    /// Told after the password was changed.
    #[prop_or_default]
    on_changed: Option<Callback<()>>,
}

#[component]
fn PasswordForm(props: &PasswordFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_api();
    let current = use_state(String::new);
    let new = use_state(String::new);
    let confirm = use_state(String::new);
    let done = use_state(|| false);
    let sending = use_sending();

    let on_changed = props.on_changed.clone();
    let onsubmit = {
        let (current, new, confirm, done, sending) =
            (current.clone(), new.clone(), confirm.clone(), done.clone(), sending.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *sending.busy {
                return;
            }
            done.set(false);
            let problems = check(&current, &new, &confirm);
            if !sending.checked((!problems.is_empty()).then_some(problems)) {
                return;
            }
            sending.start();
            let body = PasswordChange { current_password: (*current).clone(), new_password: (*new).clone() };
            let (api, on_changed) = (api.clone(), on_changed.clone());
            let (current, new, confirm, done, sending) =
                (current.clone(), new.clone(), confirm.clone(), done.clone(), sending.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.change_password(&body).await {
                    Ok(()) => {
                        sending.busy.set(false);
                        for field in [&current, &new, &confirm] {
                            field.set(String::new());
                        }
                        done.set(true);
                        if let Some(on_changed) = &on_changed {
                            on_changed.emit(());
                        }
                    }
                    Err(error) if error.status() == Some(401) => {
                        sending.busy.set(false);
                        current.set(String::new());
                        let wrong = ("current_password".to_owned(), "wrong_password".to_owned());
                        sending.errors.set(FieldErrors::from([wrong]));
                    }
                    Err(error) => sending.refused(error, None),
                }
            });
        })
    };

    let text = |field: &str| {
        sending.errors.get(field).map(|code| match code.as_str() {
            "wrong_password" => i18n.t(K::WrongCurrentPassword).to_owned(),
            code => field_error(i18n.lang, field, code),
        })
    };
    html! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title" class="card-title">{ i18n.t(K::ChangePasswordTitle) }</h2>
            { form_banners(done.then(|| (Tone::Success, i18n.t(K::PasswordChanged).into())), (*sending.failure).clone()) }
            <form class="form-stack" {onsubmit} novalidate=true id="password-form">
                <TextField id="current-password" kind="password" label={i18n.t(K::CurrentPassword)}
                    value={(*current).clone()} on_change={setter(&current)} error={text("current_password")}
                    autocomplete="current-password" required=true />
                <TextField id="account-new-password" kind="password" label={i18n.t(K::NewPassword)}
                    value={(*new).clone()} on_change={setter(&new)} error={text("new_password")}
                    hint={password_hint(i18n.lang)} autocomplete="new-password" required=true />
                <TextField id="confirm-password" kind="password" label={i18n.t(K::ConfirmPassword)}
                    value={(*confirm).clone()} on_change={setter(&confirm)} error={text("confirm")}
                    autocomplete="new-password" required=true />
                { form_actions(i18n.lang, "change-password", K::ChangePassword, Some(K::Saving), *sending.busy, None) }
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_needs_a_current_password_a_long_new_one_and_the_same_twice() {
        let errors = check("", "short", "other");
        assert_eq!(errors.get("current_password").map(String::as_str), Some("required"));
        assert_eq!(errors.get("new_password").map(String::as_str), Some("too_short"));
        assert_eq!(errors.get("confirm").map(String::as_str), Some("mismatch"));
        assert!(check("old-password", "kata-sandi-baru", "kata-sandi-baru").is_empty());
    }
}
