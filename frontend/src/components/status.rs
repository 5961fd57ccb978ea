//! Loading indicators and banners (errors, successes, warnings).

use crate::api::ApiError;
use crate::app::use_i18n;
use crate::i18n::{K, Lang, t, tf};
use yew::prelude::*;

/// The translated explanation of a failed request.
pub fn error_text(lang: Lang, error: &ApiError) -> String {
    let key = match error {
        ApiError::Network => K::ErrNetwork,
        ApiError::SessionExpired => K::ErrSessionExpired,
        ApiError::Decode => K::ErrUnexpected,
        ApiError::Status { status, body } => match (status, body.error.as_str()) {
            (_, "invalid_credentials") => K::LoginInvalid,
            (_, "wrong_password") => K::WrongCurrentPassword,
            (409, code) => crate::i18n::conflict_key(code).unwrap_or(K::ErrConflict),
            (400, _) => K::ErrBadRequest,
            (401, _) => K::ErrUnauthorized,
            (403, _) => K::ErrForbidden,
            (404, _) => K::ErrNotFound,
            (413, _) => K::ErrTooLarge,
            (422, _) => K::ErrInvalid,
            (429, _) => K::ErrTooMany,
            (503, "server_busy") => K::ErrBusy,
            _ => K::ErrServer,
        },
    };
    t(lang, key).to_owned()
}

#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    #[prop_or_default]
    pub inline: bool,
}

/// A spinner with "Memuat…", announced politely to screen readers.
#[component]
pub fn Loading(props: &LoadingProps) -> Html {
    let i18n = use_i18n();
    html! {
        <div class={classes!("loading", props.inline.then_some("loading-inline"))} role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{ i18n.t(K::Loading) }</span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ErrorBannerProps {
    pub error: ApiError,
    /// Shows a "try again" button.
    #[prop_or_default]
    pub on_retry: Option<Callback<()>>,
}

/// A failed request: what went wrong in the chosen language, with the server's code for support.
#[component]
pub fn ErrorBanner(props: &ErrorBannerProps) -> Html {
    let i18n = use_i18n();
    let code = props.error.code().map(str::to_owned);
    html! {
        <div class="banner banner-error error-banner" role="alert">
            <span class="banner-text">{ error_text(i18n.lang, &props.error) }</span>
            if let Some(code) = code {
                <span class="banner-code">{ tf(i18n.lang, K::ErrorCode, &[&code]) }</span>
            }
            if let Some(on_retry) = props.on_retry.clone() {
                <button type="button" class="btn btn-small btn-secondary" onclick={move |_| on_retry.emit(())}>
                    { i18n.t(K::Retry) }
                </button>
            }
        </div>
    }
}

/// The tone of a [`tone_banner`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Success,
    Warning,
    Error,
    Info,
}

/// A one-line message; errors are announced as alerts, the rest politely. A function, not a
/// component: a component type costs the bundle some 400 bytes of Yew's machinery.
pub fn tone_banner(tone: Tone, text: impl Into<AttrValue>) -> Html {
    banner_html(tone, text.into())
}

/// A form's banners: its `notice` (a tone and a text), then the failure of its last try.
pub fn form_banners(notice: Option<(Tone, AttrValue)>, failure: Option<ApiError>) -> Html {
    html! {
        <>
            if let Some((tone, text)) = notice {
                { banner_html(tone, text) }
            }
            if let Some(error) = failure {
                <ErrorBanner {error} />
            }
        </>
    }
}

fn banner_html(tone: Tone, text: AttrValue) -> Html {
    let (class, role) = match tone {
        Tone::Success => ("banner banner-success", "status"),
        Tone::Warning => ("banner banner-warning", "alert"),
        Tone::Error => ("banner banner-error error-banner", "alert"),
        Tone::Info => ("banner banner-info", "status"),
    };
    html! { <div {class} {role}><span class="banner-text">{ text }</span></div> }
}
