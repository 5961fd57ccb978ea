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
    let on_change = props.on_change.clone();
    let oninput =
        Callback::from(move |e: InputEvent| on_change.emit(e.target_unchecked_into::<HtmlInputElement>().value()));
    let (id, error) = (&props.id, props.error.clone());
    let error_id = format!("{id}-error");
    let hint = props.hint.clone().map(|hint| (format!("{id}-hint"), hint));
    let described = match (&error, &hint) {
        (Some(_), _) => Some(error_id.clone()),
        (None, Some((hint_id, _))) => Some(hint_id.clone()),
        (None, None) => None,
    };
    let input = html! {
        <input
            id={id.clone()}
            name={id.clone()}
            ref={props.node_ref.clone()}
            type={props.kind.clone()}
            value={props.value.clone()}
            {oninput}
            autocomplete={props.autocomplete.clone()}
            required={props.required}
            disabled={props.disabled}
            autofocus={props.autofocus}
            aria-invalid={error.is_some().then_some("true")}
            aria-describedby={described}
            aria-required={props.required.then_some("true")}
        />
    };
    frame(id, &props.label, props.required, input, error.map(|e| (error_id, e)), hint)
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
    let on_change = props.on_change.clone();
    let onchange =
        Callback::from(move |e: Event| on_change.emit(e.target_unchecked_into::<HtmlSelectElement>().value()));
    let (id, error) = (&props.id, props.error.clone());
    let error_id = format!("{id}-error");
    let select = html! {
        <select
            id={id.clone()}
            name={id.clone()}
            {onchange}
            disabled={props.disabled}
            aria-invalid={error.is_some().then_some("true")}
            aria-describedby={error.is_some().then(|| error_id.clone())}
        >
            { for props.options.iter().map(|(value, label)| html! {
                <option value={value.clone()} selected={*value == props.value}>{ label.clone() }</option>
            }) }
        </select>
    };
    frame(id, &props.label, props.required, select, error.map(|e| (error_id, e)), None)
}

/// What every field is built in: the label (with a mark when `required`), the `control`, and under
/// it the `error` (its id and text) or else the `hint` (likewise).
fn frame(
    id: &AttrValue,
    label: &AttrValue,
    required: bool,
    control: Html,
    error: Option<(String, String)>,
    hint: Option<(String, AttrValue)>,
) -> Html {
    html! {
        <div class={classes!("field", error.is_some().then_some("has-error"))}>
            <label for={id.clone()}>
                { label.clone() }
                if required { <span class="req" aria-hidden="true">{ " *" }</span> }
            </label>
            { control }
            if let Some((error_id, error)) = error {
                <p class="field-error" id={error_id}>{ error }</p>
            } else if let Some((hint_id, hint)) = hint {
                <p class="field-hint" id={hint_id}>{ hint }</p>
            }
        </div>
    }
}

/// A labelled, required text area of up to [`domain::limits::TEXT_MAX`] characters, with its
/// `problem` (`error_id`) under it.
pub fn required_area(
    id: &'static str,
    error_id: &'static str,
    label: &str,
    rows: &'static str,
    value: String,
    oninput: Callback<InputEvent>,
    problem: Option<String>,
) -> Html {
    let area = html! { <textarea {id} {rows} {value} maxlength={domain::limits::TEXT_MAX.to_string()} {oninput} /> };
    frame(
        &AttrValue::Static(id),
        &AttrValue::from(label.to_owned()),
        true,
        area,
        problem.map(|p| (error_id.into(), p)),
        None,
    )
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
