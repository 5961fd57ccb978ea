//! `/login`: username and password. Says clearly when they are wrong (401) and when the account
//! is locked after repeated failures (429).

use crate::api::ApiError;
use crate::app::{use_api, use_auth, use_i18n, use_title};
use crate::components::fields::{TextField, setter};
use crate::components::lang_switch::LangSwitch;
use crate::components::status::{ErrorBanner, Tone, tone_banner};
use crate::i18n::K;
use crate::state::{AuthState, Notice};
use domain::api::LoginRequest;
use yew::prelude::*;

/// What went wrong with the last attempt.
#[derive(Debug, Clone, PartialEq)]
enum Failure {
    Missing,
    Invalid,
    Locked,
    Other(ApiError),
}

#[component]
pub fn LoginPage() -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    let api = use_api();
    let username = use_state(String::new);
    let password = use_state(String::new);
    let busy = use_state(|| false);
    let failure = use_state(|| None::<Failure>);
    let password_ref = use_node_ref();
    use_title(i18n.t(K::LoginTitle));

    let onsubmit = {
        let (username, password, busy, failure) = (username.clone(), password.clone(), busy.clone(), failure.clone());
        let api = api.clone();
        let password_ref = password_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let body = LoginRequest { username: username.trim().to_owned(), password: (*password).clone() };
            if body.username.is_empty() || body.password.is_empty() {
                failure.set(Some(Failure::Missing));
                return;
            }
            busy.set(true);
            failure.set(None);
            let (busy, failure, password) = (busy.clone(), failure.clone(), password.clone());
            let (api, password_ref) = (api.clone(), password_ref.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match crate::api::login(&body).await {
                    // The route guard then replaces /login with the landing page.
                    Ok(pair) => api.signed_in(pair),
                    Err(error) => {
                        busy.set(false);
                        password.set(String::new());
                        failure.set(Some(match error.status() {
                            Some(401) => Failure::Invalid,
                            Some(429) => Failure::Locked,
                            _ => Failure::Other(error),
                        }));
                        if let Some(input) = password_ref.cast::<web_sys::HtmlElement>() {
                            let _ = input.focus();
                        }
                    }
                }
            });
        })
    };

    let notice = match &*auth {
        AuthState::Anonymous { notice: Some(Notice::SessionExpired) } => {
            Some(tone_banner(Tone::Warning, i18n.t(K::SessionExpiredNotice)))
        }
        AuthState::Anonymous { notice: Some(Notice::LoggedOut) } => {
            Some(tone_banner(Tone::Info, i18n.t(K::LoggedOutNotice)))
        }
        _ => None,
    };
    let failure_view = match &*failure {
        None => Html::default(),
        Some(Failure::Missing) => tone_banner(Tone::Error, i18n.t(K::LoginMissing)),
        Some(Failure::Invalid) => html! {
            <div class="banner banner-error error-banner" role="alert" data-error="invalid_credentials">
                <span class="banner-text">{ i18n.t(K::LoginInvalid) }</span>
            </div>
        },
        Some(Failure::Locked) => html! {
            <div class="banner banner-error error-banner" role="alert" data-error="locked">
                <span class="banner-text">{ i18n.t(K::LoginLocked) }</span>
            </div>
        },
        Some(Failure::Other(error)) => html! { <ErrorBanner error={error.clone()} /> },
    };

    html! {
        <div class="login-screen" data-page="login">
            <div class="login-top"><LangSwitch /></div>
            <main class="login-main">
                <div class="login-card card">
                    <div class="login-brand">
                        <span class="brand-mark brand-mark-lg" aria-hidden="true">{ "M" }</span>
                        <div>
                            <div class="login-app">{ i18n.t(K::AppName) }</div>
                            <div class="login-tag">{ i18n.t(K::AppTagline) }</div>
                        </div>
                    </div>
                    <h1 class="login-title">{ i18n.t(K::LoginTitle) }</h1>
                    <p class="muted">{ i18n.t(K::LoginIntro) }</p>
                    { for notice }
                    { failure_view }
                    <form class="form-stack" {onsubmit} novalidate=true>
                        <TextField id="username" label={i18n.t(K::Username)} value={(*username).clone()}
                            on_change={setter(&username)} autocomplete="username" required=true autofocus=true />
                        <TextField id="password" kind="password" label={i18n.t(K::Password)} value={(*password).clone()}
                            on_change={setter(&password)} autocomplete="current-password" required=true
                            node_ref={password_ref} />
                        <button id="login-submit" type="submit" class="btn btn-primary btn-block" disabled={*busy}>
                            { if *busy { i18n.t(K::LoggingIn) } else { i18n.t(K::LoginSubmit) } }
                        </button>
                    </form>
                </div>
                <p class="login-footer">{ i18n.t(K::LoginFooter) }</p>
            </main>
        </div>
    }
}
