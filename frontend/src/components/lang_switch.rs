//! The ID / EN switch shown on every page (also the login page). The choice is kept in local
//! storage by the app root.

use crate::app::use_i18n;
use crate::i18n::{self, K, Lang};
use yew::prelude::*;

#[component]
pub fn LangSwitch() -> Html {
    let i18n = use_i18n();
    let button = |lang: Lang, id: &'static str, short: K, name: K| {
        let set_lang = i18n.set_lang.clone();
        let pressed = i18n.lang == lang;
        html! {
            <button
                type="button"
                {id}
                class={classes!("lang-btn", pressed.then_some("is-active"))}
                aria-pressed={if pressed { "true" } else { "false" }}
                lang={lang.code()}
                title={i18n::t(lang, name)}
                onclick={move |_| set_lang.emit(lang)}
            >
                { i18n.t(short) }
            </button>
        }
    };
    html! {
        <div class="lang-switch" role="group" aria-label={i18n.t(K::Language)}>
            { button(Lang::Id, "lang-id", K::LangIdShort, K::LangIdName) }
            { button(Lang::En, "lang-en", K::LangEnShort, K::LangEnName) }
        </div>
    }
}
