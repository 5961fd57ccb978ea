//! The not-found page: for unknown paths and for pages the role may not use (the server, too,
//! answers 404 for what a user may not see).

use crate::app::{Route, use_i18n, use_title};
use crate::components::lang_switch::LangSwitch;
use crate::i18n::K;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NotFoundProps {
    /// Shown without the shell (nobody is signed in): brings its own language switch.
    #[prop_or_default]
    pub standalone: bool,
}

#[component]
pub fn NotFoundPage(props: &NotFoundProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::NotFoundTitle));
    let body = html! {
        <section class="page not-found" data-page="not-found">
            <div class="not-found-code" aria-hidden="true">{ "404" }</div>
            <h1>{ i18n.t(K::NotFoundTitle) }</h1>
            <p class="muted">{ i18n.t(K::NotFoundText) }</p>
            <Link<Route> to={Route::Home} classes="btn btn-primary">{ i18n.t(K::BackHome) }</Link<Route>>
        </section>
    };
    if props.standalone {
        html! {
            <div class="login-screen">
                <div class="login-top"><LangSwitch /></div>
                <main class="login-main">{ body }</main>
            </div>
        }
    } else {
        body
    }
}
