//! Small builders of repeated markup — table heads and cells, facts, date inputs, status tabs,
//! counter cards, error lines, select options: one copy of each element's code, called with data
//! (the app has a size budget, and every inline `html!` element is code of its own).

use crate::i18n::{K, Lang};
use yew::prelude::*;

/// `<thead>` with one `<th scope="col">` per column; `true` right-aligns a number column.
pub fn head(lang: Lang, cols: &[(K, bool)]) -> Html {
    html! {
        <thead><tr>{ for cols.iter().map(|(k, num)| html! {
            <th scope="col" class={if *num { "num" } else { "" }}>{ crate::i18n::t(lang, *k) }</th>
        }) }</tr></thead>
    }
}

/// [`head`] with a last column for the row's buttons, named for screen readers only.
pub fn head_actions(lang: Lang, cols: &[(K, bool)], actions: K) -> Html {
    html! {
        <thead><tr>
            { for cols.iter().map(|(k, num)| html! {
                <th scope="col" class={if *num { "num" } else { "" }}>{ crate::i18n::t(lang, *k) }</th>
            }) }
            <th scope="col" class="actions"><span class="sr-only">{ crate::i18n::t(lang, actions) }</span></th>
        </tr></thead>
    }
}

/// A table in its scrolling wrapper: `head` (see [`head`], [`head_actions`]) and the body's `rows`.
pub fn table(class: &'static str, id: Option<&'static str>, head: Html, rows: Html) -> Html {
    html! {
        <div class="table-wrap">
            <table {class} {id}>
                { head }
                <tbody>{ rows }</tbody>
            </table>
        </div>
    }
}

/// The last cell of a row with an "Edit" button, `data-edit` and its label naming the row's `name`.
pub fn edit_cell(lang: Lang, name: &str, onclick: Callback<MouseEvent>) -> Html {
    let edit = crate::i18n::t(lang, K::Edit);
    html! {
        <td class="actions">
            <button type="button" class="btn btn-small btn-secondary" data-edit={name.to_owned()}
                aria-label={format!("{edit} {name}")} {onclick}>
                { edit }
            </button>
        </td>
    }
}

/// A table cell with a class.
pub fn cell(class: &'static str, content: Html) -> Html {
    html! { <td class={class}>{ content }</td> }
}

/// Text as a node.
pub fn txt(text: impl Into<String>) -> Html {
    let text: String = text.into();
    html! { { text } }
}

/// A name with a small code (username, customer number) under it.
pub fn with_sub(main: Html, sub: &str) -> Html {
    html! { <>{ main }<span class="cell-sub mono">{ sub.to_owned() }</span></> }
}

/// One row of a `<dl class="facts">`.
pub fn fact(label: &str, field: &'static str, value: Html) -> Html {
    html! { <div><dt>{ label.to_owned() }</dt><dd data-field={field}>{ value }</dd></div> }
}

/// A labelled date input that reports its changes.
pub fn date_input(id: &'static str, label: &str, value: String, onchange: Callback<Event>) -> Html {
    html! {
        <div class="field">
            <label for={id}>{ label.to_owned() }</label>
            <input {id} type="date" {value} {onchange} />
        </div>
    }
}

/// One status tab: its `data-tab` name, label, whether it is the current one, what a press does.
pub struct Tab {
    pub name: &'static str,
    pub label: String,
    pub active: bool,
    pub onclick: Callback<MouseEvent>,
}

/// A row of status tabs, with anything `extra` at the end.
pub fn tab_bar(label: &str, tabs: Vec<Tab>, extra: Html) -> Html {
    html! {
        <div class="tabs" role="group" aria-label={label.to_owned()}>
            { for tabs.into_iter().map(|t| html! {
                <button type="button" class={if t.active { "tab is-active" } else { "tab" }} data-tab={t.name}
                    aria-pressed={if t.active { "true" } else { "false" }} onclick={t.onclick}>{ t.label }</button>
            }) }
            { extra }
        </div>
    }
}

/// A counter card: value, label and a link.
/// A count with its label and a link to the list it counts, `query` the list's filter.
pub fn stat(
    id: &'static str,
    value: String,
    label: &str,
    to: crate::app::Route,
    query: &'static str,
    link: &str,
) -> Html {
    html! {
        <div class="stat" data-stat={id}>
            <span class="stat-value">{ value }</span>
            <span class="stat-label">{ label.to_owned() }</span>
            <crate::components::doc_parts::RouteLink {to} {query} class="stat-link">{ link.to_owned() }</crate::components::doc_parts::RouteLink>
        </div>
    }
}

/// A figure with two decimals the local way, `92,31` (`92.31`), or a dash without one.
pub fn decimal(lang: Lang, value: Option<f64>) -> String {
    let Some(v) = value else { return "—".to_owned() };
    let text = format!("{v:.2}");
    if lang == Lang::Id { text.replace('.', ",") } else { text }
}

/// A rate as `92,31%` (`92.31%`), or a dash when nothing was counted.
pub fn rate(lang: Lang, value: Option<f64>) -> String {
    match value {
        None => "—".to_owned(),
        Some(_) => format!("{}%", decimal(lang, value)),
    }
}

/// A red banner with a text (`role="alert"`).
pub fn error_line(id: &'static str, text: String) -> Html {
    html! { <div class="banner banner-error error-banner" role="alert" {id}><span class="banner-text">{ text }</span></div> }
}

/// `(value, label)` options with "Semua" (or `all`) first.
pub fn options(all: &str, items: impl Iterator<Item = (String, String)>) -> Vec<(AttrValue, AttrValue)> {
    std::iter::once((AttrValue::Static(""), AttrValue::from(all.to_owned())))
        .chain(items.map(|(v, l)| (AttrValue::from(v), AttrValue::from(l))))
        .collect()
}

/// The foot of a form: an optional cancel button (a dialog's "Batal", before the submit button)
/// and the submit button `id`, labelled `label`, or `busy_label` (when given) while `busy`, the
/// form being sent and the buttons disabled. A function, not a component: a component type costs
/// the bundle some 400 bytes of Yew's machinery.
pub fn form_actions(
    lang: Lang,
    id: &'static str,
    label: K,
    busy_label: Option<K>,
    busy: bool,
    on_cancel: Option<Callback<()>>,
) -> Html {
    let label = match (busy, busy_label) {
        (true, Some(busy)) => busy,
        _ => label,
    };
    html! {
        <div class="form-actions">
            if let Some(cancel) = on_cancel {
                <button type="button" class="btn btn-secondary" onclick={move |_| cancel.emit(())}>{ crate::i18n::t(lang, K::Cancel) }</button>
            }
            <button type="submit" {id} class="btn btn-primary" disabled={busy}>{ crate::i18n::t(lang, label) }</button>
        </div>
    }
}

thread_local! {
    /// The server's `MUTU_RECORDING_URL` (`GET /api/site`), `{ref}` standing for a reference.
    static RECORDING_URL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Keeps where recordings are played (read once at start).
pub fn set_recording_url(template: Option<String>) {
    RECORDING_URL.with(|url| *url.borrow_mut() = template);
}

/// A recording reference: a link to where it is played when the site says where, else text.
pub fn recording(reference: &str) -> Html {
    let href = RECORDING_URL
        .with(|url| url.borrow().as_ref().map(|t| t.replace("{ref}", &crate::api::encode_component(reference))));
    match href {
        Some(href) => html! {
            <a class="mono" {href} target="_blank" rel="noopener noreferrer" data-recording="link">{ reference.to_owned() }</a>
        },
        None => html! { <span class="mono">{ reference.to_owned() }</span> },
    }
}

#[derive(Properties, PartialEq)]
pub struct DownloadProps {
    pub id: &'static str,
    /// The API path of the file (`/api/…`), fetched with the caller's token.
    pub path: AttrValue,
    /// The name the browser saves it under.
    pub name: AttrValue,
    pub label: K,
    #[prop_or("btn btn-secondary")]
    pub class: &'static str,
}

/// A button that downloads an export with the caller's token and hands it to the browser; while
/// it runs it says so, and a refusal shows below it in the page's words.
#[component]
pub fn DownloadButton(props: &DownloadProps) -> Html {
    let (api, i18n) = (crate::app::use_api(), crate::app::use_i18n());
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let onclick = {
        let (path, name, busy, error, lang) =
            (props.path.clone(), props.name.clone(), busy.clone(), error.clone(), i18n.lang);
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            let (api, path, name, busy, error) = (api.clone(), path.clone(), name.clone(), busy.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.download(&path).await {
                    Ok(file) => {
                        if crate::files::save_file(&file.bytes, &file.content_type, &name).is_none() {
                            error.set(Some(crate::i18n::t(lang, K::ErrNetwork).to_owned()));
                        }
                    }
                    Err(e) => error.set(Some(crate::components::status::error_text(lang, &e))),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <>
            <button type="button" id={props.id} class={props.class} {onclick} disabled={*busy}>
                { i18n.t(if *busy { K::Downloading } else { props.label }) }
            </button>
            if let Some(text) = (*error).clone() {
                { error_line("download-error", text) }
            }
        </>
    }
}
