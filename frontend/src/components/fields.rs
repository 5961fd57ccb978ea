//! Labelled form fields that show their problem under the input and tell assistive technology
//! about it (`aria-invalid`, `aria-describedby`).

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// `text` unless told otherwise (`password`, …).
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub disabled: bool,
    #[prop_or_default]
    pub autofocus: bool,
    #[prop_or_default]
    pub node_ref: NodeRef,
}

#[component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let oninput = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| on_change.emit(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let error_id = format!("{}-error", props.id);
    let hint_id = format!("{}-hint", props.id);
    let described = match (&props.error, &props.hint) {
        (Some(_), _) => Some(error_id.clone()),
        (None, Some(_)) => Some(hint_id.clone()),
        (None, None) => None,
    };
    html! {
        <div class={classes!("field", props.error.is_some().then_some("has-error"))}>
            <label for={props.id.clone()}>
                { props.label.clone() }
                if props.required { <span class="req" aria-hidden="true">{ " *" }</span> }
            </label>
            <input
                id={props.id.clone()}
                name={props.id.clone()}
                ref={props.node_ref.clone()}
                type={props.kind.clone()}
                value={props.value.clone()}
                {oninput}
                autocomplete={props.autocomplete.clone()}
                required={props.required}
                disabled={props.disabled}
                autofocus={props.autofocus}
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={described}
                aria-required={props.required.then_some("true")}
            />
            if let Some(error) = &props.error {
                <p class="field-error" id={error_id}>{ error.clone() }</p>
            } else if let Some(hint) = &props.hint {
                <p class="field-hint" id={hint_id}>{ hint.clone() }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    /// `(value, label)` pairs, in order.
    pub options: Vec<(AttrValue, AttrValue)>,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub disabled: bool,
}

#[component]
pub fn SelectField(props: &SelectFieldProps) -> Html {
    let onchange = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| on_change.emit(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let error_id = format!("{}-error", props.id);
    html! {
        <div class={classes!("field", props.error.is_some().then_some("has-error"))}>
            <label for={props.id.clone()}>
                { props.label.clone() }
                if props.required { <span class="req" aria-hidden="true">{ " *" }</span> }
            </label>
            <select
                id={props.id.clone()}
                name={props.id.clone()}
                {onchange}
                disabled={props.disabled}
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={props.error.is_some().then(|| error_id.clone())}
            >
                { for props.options.iter().map(|(value, label)| html! {
                    <option value={value.clone()} selected={*value == props.value}>{ label.clone() }</option>
                }) }
            </select>
            if let Some(error) = &props.error {
                <p class="field-error" id={error_id}>{ error.clone() }</p>
            }
        </div>
    }
}

/// A labelled checkbox. A function, not a component: a component type costs the bundle some 400
/// bytes of Yew's machinery.
pub fn checkbox(id: &'static str, label: &'static str, checked: bool, on_change: Callback<bool>) -> Html {
    let onchange =
        Callback::from(move |e: Event| on_change.emit(e.target_unchecked_into::<HtmlInputElement>().checked()));
    html! {
        <div class="field field-check">
            <input type="checkbox" {id} {checked} {onchange} />
            <label for={id}>{ label }</label>
        </div>
    }
}

/// The `on_change` of a field whose text is kept in `state`.
pub fn setter(state: &UseStateHandle<String>) -> Callback<String> {
    let state = state.clone();
    Callback::from(move |v: String| state.set(v))
}
