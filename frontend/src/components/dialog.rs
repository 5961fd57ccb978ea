//! A modal dialog: a labelled panel over a dimmed page. Escape or the close button closes it;
//! focus moves into it when it opens and back to the page when it closes.

use crate::app::use_i18n;
use crate::i18n::K;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DialogProps {
    pub id: AttrValue,
    pub title: AttrValue,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn Dialog(props: &DialogProps) -> Html {
    let i18n = use_i18n();
    let panel = use_node_ref();
    {
        let panel = panel.clone();
        use_effect_with((), move |_| {
            let document = web_sys::window().and_then(|w| w.document());
            let previous = document
                .as_ref()
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            // The first field if there is one, else the panel itself.
            let first = panel
                .cast::<web_sys::Element>()
                .and_then(|p| p.query_selector("input, select, textarea").ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                .or_else(|| panel.cast::<web_sys::HtmlElement>());
            if let Some(first) = first {
                let _ = first.focus();
            }
            move || {
                if let Some(previous) = previous {
                    let _ = previous.focus();
                }
            }
        });
    }
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
            }
        })
    };
    let title_id = format!("{}-title", props.id);
    let close = props.on_close.clone();
    html! {
        <div class="dialog-backdrop">
            <div
                id={props.id.clone()}
                class="dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby={title_id.clone()}
                tabindex="-1"
                ref={panel}
                {onkeydown}
            >
                <div class="dialog-head">
                    <h2 id={title_id}>{ props.title.clone() }</h2>
                    <button type="button" class="btn btn-icon" aria-label={i18n.t(K::Close)} title={i18n.t(K::Close)}
                        onclick={move |_| close.emit(())}>{ "×" }</button>
                </div>
                <div class="dialog-body">{ props.children.clone() }</div>
            </div>
        </div>
    }
}
