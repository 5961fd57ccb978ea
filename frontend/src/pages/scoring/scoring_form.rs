//! `/scoring-forms/{id}` and `/scoring-forms/new`: one scoring form version. A published version
//! is read-only, with "new version from this"; a draft opens in the builder: sections and
//! parameters (key, label, guidance, weight, fatal, N/A allowed, comment on fail), added, removed
//! and reordered, the weight total shown, problems at their fields (`domain::scoring::validate_form`,
//! the server's own check), saved as a draft or published.

use crate::api::ApiError;
use crate::app::{IdProps, Route, use_api, use_i18n, use_title};
use crate::components::doc_parts::RouteLink;
use crate::components::parts::table;
use crate::components::score_sheet::format_weight;
use crate::components::scoring::weight_total;
use crate::components::status::{ErrorBanner, Loading, Tone, tone_banner};
use crate::datetime::long_datetime;
use crate::hooks::{Load, use_fetch};
use crate::i18n::{K, field_error as problem_text, form_status_key};
use domain::scoring::{F18_CODE, FormParameter, FormSection, FormStatus, NewScoringForm, ScoringForm, validate_form};
use std::collections::BTreeMap;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;
use yew_router::prelude::*;

/// One scoring form, or a new one where the id is `0` (`/scoring-forms/new`).
#[component]
pub fn ScoringFormPage(props: &IdProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::ScoringFormTitle));
    let data = use_fetch(props.id, |api, id| async move {
        if id == 0 { Ok(None) } else { api.get_scoring_form(id).await.map(Some) }
    });
    let copying = use_state(|| false);
    {
        // Another version opened (the one just saved): show it as it is.
        let copying = copying.clone();
        use_effect_with(props.id, move |_| copying.set(false));
    }
    let navigator = use_navigator();
    let on_saved = Callback::from(move |f: ScoringForm| {
        if let Some(n) = &navigator {
            n.push(&Route::ScoringForm { id: f.id });
        }
    });
    let body = match &*data.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={data.reload.clone()} /> },
        Load::Ready(None) => {
            let initial = Builder {
                code: String::new(),
                title: String::new(),
                document_code: F18_CODE.to_owned(),
                sections: vec![BSection {
                    key: String::new(),
                    title: String::new(),
                    parameters: vec![BParam::default()],
                }],
            };
            html! {
                <>
                    <header class="page-head">
                        <p class="eyebrow"><RouteLink to={Route::ScoringForms}>{ i18n.t(K::ScoringFormsTitle) }</RouteLink></p>
                        <h1>{ i18n.t(K::NewForm) }</h1>
                    </header>
                    <FormBuilder {initial} draft={None::<(i64, i64)>} {on_saved} />
                </>
            }
        }
        Load::Ready(Some(form)) if form.status == FormStatus::Draft => {
            let reload = data.reload.clone();
            html! {
                <>
                    { form_head(&i18n, form) }
                    <FormBuilder key={form.row_version} initial={to_builder(form)} draft={Some((form.id, form.row_version))}
                        on_saved={Callback::from(move |_| reload.emit(()))} />
                </>
            }
        }
        Load::Ready(Some(form)) if *copying => html! {
            <>
                <header class="page-head"><h1>{ i18n.tf(K::NewVersionOf, &[&form.code]) }</h1></header>
                <FormBuilder initial={to_builder(form)} draft={None::<(i64, i64)>} code_locked=true {on_saved} />
            </>
        },
        Load::Ready(Some(form)) => html! {
            <>
                { form_head(&i18n, form) }
                <div class="doc-actions">
                    <button type="button" id="new-version" class="btn btn-primary" onclick={let c = copying.clone(); move |_| c.set(true)}>
                        { i18n.t(K::NewVersionFromThis) }
                    </button>
                </div>
                { form_view(&i18n, form) }
            </>
        },
    };
    html! { <section class="page" data-page="scoring-form" data-id={props.id.to_string()}>{ body }</section> }
}

fn form_head(i18n: &crate::app::I18n, form: &ScoringForm) -> Html {
    let lang = i18n.lang;
    html! {
        <header class="page-head">
            <p class="eyebrow"><RouteLink to={Route::ScoringForms}>{ i18n.t(K::ScoringFormsTitle) }</RouteLink>{ format!(" / {} v{}", form.code, form.version) }</p>
            <h1 class="title-with-badge">{ form.title.clone() }
                <span class="status-badge" data-status={form.status.as_str()} id="form-status">{ i18n.t(form_status_key(form.status)) }</span></h1>
            <p class="muted">
                { i18n.tf(K::FormRecordOf, &[&form.document_code, &form.retention_months.to_string()]) }
                { form.published_at.as_deref().map(|t| format!(" · {} {}", i18n.t(K::PublishedAt), long_datetime(lang, t))).unwrap_or_default() }
            </p>
        </header>
    }
}

/// A form version as it stands, read-only.
fn form_view(i18n: &crate::app::I18n, f: &ScoringForm) -> Html {
    let lang = i18n.lang;
    let yes = |b: bool| if b { "✓" } else { "" };
    let head = html! {
        <thead><tr>
            <th scope="col">{ "#" }</th>
            <th scope="col">{ i18n.t(K::ParamKey) }</th>
            <th scope="col">{ i18n.t(K::ParamLabel) }</th>
            <th scope="col" class="num">{ i18n.t(K::ParamWeight) }</th>
            <th scope="col" class="center">{ i18n.t(K::FatalItem) }</th>
            <th scope="col" class="center">{ i18n.t(K::AllowNa) }</th>
            <th scope="col" class="center">{ i18n.t(K::CommentOnFailShort) }</th>
        </tr></thead>
    };
    let rows = |si: usize, s: &FormSection| -> Html {
        s.parameters
            .iter()
            .enumerate()
            .map(|(pi, p)| {
                html! {
                    <tr data-param={p.key.clone()}>
                        <td class="nowrap">{ format!("{}.{}", si + 1, pi + 1) }</td>
                        <td class="mono">{ p.key.clone() }</td>
                        <td>{ p.label.clone() }
                            if !p.guidance.is_empty() { <span class="param-guidance">{ p.guidance.clone() }</span> }</td>
                        <td class="num">{ if p.fatal { i18n.t(K::NoneDash).to_owned() } else { format_weight(lang, p.weight) } }</td>
                        <td class="center">if p.fatal { <span class="badge badge-fatal">{ i18n.t(K::FatalItem) }</span> }</td>
                        <td class="center">{ yes(p.allow_na) }</td>
                        <td class="center">{ yes(p.comment_on_fail) }</td>
                    </tr>
                }
            })
            .collect()
    };
    html! {
        <>
            <p class="weight-total" id="weight-total">{ i18n.tf(K::WeightTotalIs, &[&format_weight(lang, weight_total(f))]) }</p>
            { for f.sections.iter().enumerate().map(|(si, s)| html! {
                <section class="card" data-section={s.key.clone()}>
                    <h2 class="card-title">{ format!("{}. {}", si + 1, s.title) }<span class="muted small mono">{ format!("  {}", s.key) }</span></h2>
                    { table("table form-table", None, head.clone(), rows(si, s)) }
                </section>
            }) }
        </>
    }
}

// ---------------------------------------------------------------------------------------------
// The builder
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
struct BParam {
    key: String,
    label: String,
    guidance: String,
    /// As typed (`7,5` is fine).
    weight: String,
    fatal: bool,
    allow_na: bool,
    comment_on_fail: bool,
}

impl Default for BParam {
    fn default() -> Self {
        BParam {
            key: String::new(),
            label: String::new(),
            guidance: String::new(),
            weight: String::new(),
            fatal: false,
            allow_na: false,
            comment_on_fail: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct BSection {
    key: String,
    title: String,
    parameters: Vec<BParam>,
}

#[derive(Debug, Clone, PartialEq)]
struct Builder {
    code: String,
    title: String,
    document_code: String,
    sections: Vec<BSection>,
}

fn parse_weight(text: &str) -> f64 {
    let t = text.trim().replace(',', ".");
    if t.is_empty() { 0.0 } else { crate::text::parse_f64(&t).unwrap_or(f64::NAN) }
}

impl Builder {
    fn to_new(&self, publish: bool, row_version: Option<i64>) -> NewScoringForm {
        NewScoringForm {
            code: self.code.trim().to_owned(),
            title: self.title.trim().to_owned(),
            document_code: Some(self.document_code.trim().to_owned()).filter(|d| !d.is_empty()),
            sections: self
                .sections
                .iter()
                .map(|s| FormSection {
                    key: s.key.trim().to_owned(),
                    title: s.title.trim().to_owned(),
                    parameters: s
                        .parameters
                        .iter()
                        .map(|p| FormParameter {
                            key: p.key.trim().to_owned(),
                            label: p.label.trim().to_owned(),
                            guidance: p.guidance.trim().to_owned(),
                            weight: if p.fatal { 0.0 } else { parse_weight(&p.weight) },
                            fatal: p.fatal,
                            allow_na: p.allow_na,
                            comment_on_fail: p.comment_on_fail,
                        })
                        .collect(),
                })
                .collect(),
            publish,
            row_version,
        }
    }

    fn total(&self) -> f64 {
        self.sections
            .iter()
            .flat_map(|s| &s.parameters)
            .filter(|p| !p.fatal)
            .map(|p| parse_weight(&p.weight))
            .filter(|w| w.is_finite())
            .sum()
    }
}

fn to_builder(form: &ScoringForm) -> Builder {
    Builder {
        code: form.code.clone(),
        title: form.title.clone(),
        document_code: form.document_code.clone(),
        sections: form
            .sections
            .iter()
            .map(|s| BSection {
                key: s.key.clone(),
                title: s.title.clone(),
                parameters: s
                    .parameters
                    .iter()
                    .map(|p| BParam {
                        key: p.key.clone(),
                        label: p.label.clone(),
                        guidance: p.guidance.clone(),
                        weight: if p.fatal { String::new() } else { format_weight(crate::i18n::Lang::En, p.weight) },
                        fatal: p.fatal,
                        allow_na: p.allow_na,
                        comment_on_fail: p.comment_on_fail,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Changes field `at` (`code`, `title`, `document_code`, `s.{i}.key|title`,
/// `p.{i}.{j}.key|label|guidance|weight|fatal|na|comment`) to `value` / `checked`.
fn set_field(b: &mut Builder, at: &str, value: String, checked: bool) {
    let parts: Vec<&str> = at.split('.').collect();
    let idx = |k: usize| parts.get(k).and_then(|v| v.parse::<usize>().ok());
    match parts.as_slice() {
        ["code"] => b.code = crate::text::upper(&value),
        ["title"] => b.title = value,
        ["document_code"] => b.document_code = crate::text::upper(&value),
        ["s", _, field] => {
            let Some(s) = idx(1).and_then(|i| b.sections.get_mut(i)) else { return };
            match *field {
                "key" => s.key = crate::text::lower(&value),
                _ => s.title = value,
            }
        }
        ["p", _, _, field] => {
            let Some(p) =
                idx(1).and_then(|i| b.sections.get_mut(i)).and_then(|s| idx(2).and_then(|j| s.parameters.get_mut(j)))
            else {
                return;
            };
            match *field {
                "key" => p.key = crate::text::lower(&value),
                "label" => p.label = value,
                "guidance" => p.guidance = value,
                "weight" => p.weight = value,
                "fatal" => p.fatal = checked,
                "na" => p.allow_na = checked,
                _ => p.comment_on_fail = checked,
            }
        }
        _ => {}
    }
}

/// Does button action `act`: `add-s`, `add-p.{i}`, `up|down|del-s.{i}`, `up|down|del-p.{i}.{j}`.
fn act(b: &mut Builder, act: &str) {
    let (verb, at) = act.split_once('-').unwrap_or((act, ""));
    let parts: Vec<usize> = at.split('.').skip(1).filter_map(|v| v.parse().ok()).collect();
    let move_in = |list_len: usize, i: usize, up: bool| -> Option<(usize, usize)> {
        if up { i.checked_sub(1).map(|j| (i, j)) } else { (i + 1 < list_len).then_some((i, i + 1)) }
    };
    match (verb, at.starts_with('p'), parts.as_slice()) {
        ("add", false, _) => {
            b.sections.push(BSection { key: String::new(), title: String::new(), parameters: vec![BParam::default()] })
        }
        ("add", true, [i]) => {
            if let Some(s) = b.sections.get_mut(*i) {
                s.parameters.push(BParam::default());
            }
        }
        ("del", false, [i]) if *i < b.sections.len() => {
            b.sections.remove(*i);
        }
        ("del", true, [i, j]) => {
            if let Some(s) = b.sections.get_mut(*i).filter(|s| *j < s.parameters.len()) {
                s.parameters.remove(*j);
            }
        }
        ("up" | "down", false, [i]) => {
            if let Some((x, y)) = move_in(b.sections.len(), *i, verb == "up") {
                b.sections.swap(x, y);
            }
        }
        ("up" | "down", true, [i, j]) => {
            if let Some(s) = b.sections.get_mut(*i)
                && let Some((x, y)) = move_in(s.parameters.len(), *j, verb == "up")
            {
                s.parameters.swap(x, y);
            }
        }
        _ => {}
    }
}

/// The `validate_form` key of builder field `at` (`p.1.0.weight` → `sections[1].parameters[0].weight`).
fn error_key(at: &str) -> String {
    match at.split('.').collect::<Vec<_>>().as_slice() {
        ["s", i, f] => format!("sections[{i}].{f}"),
        ["p", i, j, f] => format!("sections[{i}].parameters[{j}].{f}"),
        _ => at.to_owned(),
    }
}

#[derive(Properties, PartialEq)]
struct FormBuilderProps {
    initial: Builder,
    /// `(id, row_version)` of the draft being edited; `None` creates.
    draft: Option<(i64, i64)>,
    #[prop_or_default]
    code_locked: bool,
    on_saved: Callback<ScoringForm>,
}

#[component]
fn FormBuilder(props: &FormBuilderProps) -> Html {
    use wasm_bindgen::JsCast;
    let i18n = use_i18n();
    let lang = i18n.lang;
    let api = use_api();
    let b = use_state(|| props.initial.clone());
    let errors = use_state(BTreeMap::<String, String>::new);
    let failure = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let saved = use_state(|| false);

    // One listener each for every field and button of the builder (events bubble up to it).
    let on_field = {
        let (b, saved, errors) = (b.clone(), saved.clone(), errors.clone());
        move |target: Option<web_sys::EventTarget>| {
            let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
            let Some(at) = el.get_attribute("data-b") else { return };
            let (value, checked) = match el.dyn_ref::<HtmlInputElement>() {
                Some(input) => (input.value(), input.checked()),
                None => (el.unchecked_ref::<HtmlTextAreaElement>().value(), false),
            };
            let mut next = (*b).clone();
            set_field(&mut next, &at, value, checked);
            b.set(next);
            saved.set(false);
            // The problem shown at this field is stale once it is edited.
            let key = error_key(&at);
            if errors.contains_key(&key) {
                let mut left = (*errors).clone();
                left.remove(&key);
                errors.set(left);
            }
        }
    };
    let oninput = {
        let on_field = on_field.clone();
        Callback::from(move |e: InputEvent| on_field(e.target()))
    };
    let onchange = Callback::from(move |e: Event| on_field(e.target()));
    let onclick = {
        let b = b.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest("[data-act]").ok().flatten())
            else {
                return;
            };
            if let Some(what) = el.get_attribute("data-act") {
                let mut next = (*b).clone();
                act(&mut next, &what);
                b.set(next);
            }
        })
    };

    let save = {
        let (b, errors, failure, busy, saved, api, on_saved, draft) = (
            b.clone(),
            errors.clone(),
            failure.clone(),
            busy.clone(),
            saved.clone(),
            api.clone(),
            props.on_saved.clone(),
            props.draft,
        );
        move |publish: bool| {
            if *busy {
                return;
            }
            let body = b.to_new(publish && draft.is_none(), draft.map(|d| d.1));
            failure.set(None);
            if let Err(found) = validate_form(&body) {
                errors.set(found);
                return;
            }
            errors.set(BTreeMap::new());
            busy.set(true);
            let (errors, failure, busy, saved, api, on_saved) =
                (errors.clone(), failure.clone(), busy.clone(), saved.clone(), api.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = match draft {
                    Some((id, _)) => match api.update_scoring_form(id, &body).await {
                        Ok(_) if publish => api.publish_scoring_form(id).await,
                        other => other,
                    },
                    None => api.create_scoring_form(&body).await,
                };
                busy.set(false);
                match result {
                    Ok(form) => {
                        saved.set(true);
                        on_saved.emit(form);
                    }
                    Err(error) => {
                        if let Some(fields) = error.fields() {
                            errors.set(fields.clone());
                        }
                        failure.set(Some(error));
                    }
                }
            });
        }
    };
    let save_draft = {
        let save = save.clone();
        Callback::from(move |_: MouseEvent| save(false))
    };
    let publish = Callback::from(move |_: MouseEvent| save(true));

    let field_error = |field: String| match errors.get(&field) {
        Some(e) => html! { <p class="field-error">{ problem_text(lang, &field, e) }</p> },
        None => Html::default(),
    };
    let invalid = |field: String| errors.contains_key(&field).then_some("true");
    let icon = |act: String, label: K, glyph: &'static str, disabled: bool| {
        html! {
            <button type="button" class="btn btn-icon" title={i18n.t(label)} aria-label={i18n.t(label)} data-act={act} {disabled}>{ glyph }</button>
        }
    };
    let n_sections = b.sections.len();
    let sections = b.sections.iter().enumerate().map(|(si, s)| {
        let n_params = s.parameters.len();
        let params = s.parameters.iter().enumerate().map(|(pi, p)| {
            let at = format!("sections[{si}].parameters[{pi}]");
            let id = |f: &str| format!("p-{si}-{pi}-{f}");
            let b_at = |f: &str| format!("p.{si}.{pi}.{f}");
            let check = |f: &str, on: bool, label: K| html! {
                <td class="center"><input type="checkbox" id={id(f)} data-b={b_at(f)} checked={on} aria-label={i18n.t(label)} /></td>
            };
            html! {
                <tr class="builder-param" data-index={format!("{si}.{pi}")}>
                    <td class="nowrap">{ format!("{}.{}", si + 1, pi + 1) }</td>
                    <td>
                        <input class="mono" id={id("key")} data-b={b_at("key")} type="text" value={p.key.clone()} aria-label={i18n.t(K::ParamKey)} aria-invalid={invalid(format!("{at}.key"))} />
                        { field_error(format!("{at}.key")) }
                    </td>
                    <td>
                        <input id={id("label")} data-b={b_at("label")} type="text" value={p.label.clone()} aria-label={i18n.t(K::ParamLabel)} aria-invalid={invalid(format!("{at}.label"))} />
                        { field_error(format!("{at}.label")) }
                        <textarea id={id("guidance")} data-b={b_at("guidance")} rows="2" value={p.guidance.clone()} placeholder={i18n.t(K::ParamGuidance)} aria-label={i18n.t(K::ParamGuidance)} />
                        { field_error(format!("{at}.guidance")) }
                    </td>
                    <td>
                        <input class="num-input" id={id("weight")} data-b={b_at("weight")} type="text" inputmode="decimal"
                            value={if p.fatal { "0".to_owned() } else { p.weight.clone() }} disabled={p.fatal} aria-label={i18n.t(K::ParamWeight)} aria-invalid={invalid(format!("{at}.weight"))} />
                        { field_error(format!("{at}.weight")) }
                    </td>
                    { check("fatal", p.fatal, K::FatalItem) }
                    { check("na", p.allow_na, K::AllowNa) }
                    { check("comment", p.comment_on_fail, K::CommentOnFailShort) }
                    <td class="actions">
                        { icon(format!("up-p.{si}.{pi}"), K::MoveUp, "↑", pi == 0) }
                        { icon(format!("down-p.{si}.{pi}"), K::MoveDown, "↓", pi + 1 >= n_params) }
                        { icon(format!("del-p.{si}.{pi}"), K::Remove, "×", false) }
                    </td>
                </tr>
            }
        });
        html! {
            <section class="card builder-section" data-section-index={si.to_string()}>
                <div class="builder-section-head">
                    <span class="sheet-section-num">{ si + 1 }</span>
                    <div class={classes!("field", errors.contains_key(&format!("sections[{si}].title")).then_some("has-error"))}>
                        <label for={format!("s-{si}-title")}>{ i18n.t(K::SectionTitle) }</label>
                        <input id={format!("s-{si}-title")} data-b={format!("s.{si}.title")} type="text" value={s.title.clone()} />
                        { field_error(format!("sections[{si}].title")) }
                    </div>
                    <div class={classes!("field", errors.contains_key(&format!("sections[{si}].key")).then_some("has-error"))}>
                        <label for={format!("s-{si}-key")}>{ i18n.t(K::ParamKey) }</label>
                        <input id={format!("s-{si}-key")} data-b={format!("s.{si}.key")} class="mono" type="text" value={s.key.clone()} />
                        { field_error(format!("sections[{si}].key")) }
                    </div>
                    <div class="builder-section-actions">
                        { icon(format!("up-s.{si}"), K::MoveUp, "↑", si == 0) }
                        { icon(format!("down-s.{si}"), K::MoveDown, "↓", si + 1 >= n_sections) }
                        { icon(format!("del-s.{si}"), K::RemoveSection, "×", false) }
                    </div>
                </div>
                <div class="table-wrap">
                    <table class="table builder-table">
                        <thead><tr>
                            <th scope="col">{ "#" }</th>
                            <th scope="col" class="col-key">{ i18n.t(K::ParamKey) }</th>
                            <th scope="col">{ i18n.t(K::ParamLabel) }{ " / " }{ i18n.t(K::ParamGuidance) }</th>
                            <th scope="col" class="col-weight">{ i18n.t(K::ParamWeight) }</th>
                            <th scope="col" class="center">{ i18n.t(K::FatalItem) }</th>
                            <th scope="col" class="center">{ i18n.t(K::AllowNa) }</th>
                            <th scope="col" class="center">{ i18n.t(K::CommentOnFailShort) }</th>
                            <th scope="col" class="actions"><span class="sr-only">{ i18n.t(K::Edit) }</span></th>
                        </tr></thead>
                        <tbody>{ for params }</tbody>
                    </table>
                </div>
                <div>
                    <button type="button" class="btn btn-secondary btn-small" id={format!("add-param-{si}")} data-act={format!("add-p.{si}")}>{ i18n.t(K::AddParameter) }</button>
                </div>
            </section>
        }
    });
    let total = b.total();
    let off = total.round() != 100.0;
    let text_field =
        |id: &'static str, at: &'static str, label: K, value: &str, class: &'static str, disabled: bool| {
            html! {
                <div class={classes!("field", class, errors.contains_key(at).then_some("has-error"))}>
                    <label for={id}>{ i18n.t(label) }</label>
                    <input {id} data-b={at} type="text" value={value.to_owned()} {disabled} />
                    { field_error(at.to_owned()) }
                </div>
            }
        };
    html! {
        <div class="builder" id="form-builder" {oninput} {onchange} {onclick}>
            <section class="card">
                <div class="form-grid">
                    { text_field("form-code", "code", K::FormCode, &b.code, "", props.code_locked || props.draft.is_some()) }
                    { text_field("form-title", "title", K::FormTitleLabel, &b.title, "span-2", false) }
                    { text_field("form-document", "document_code", K::FormDocument, &b.document_code, "", false) }
                </div>
            </section>
            { for sections }
            if let Some(problem) = errors.get("sections") {
                { tone_banner(Tone::Error, problem_text(lang, "sections", problem)) }
            }
            <div class="builder-foot card card-tight">
                <button type="button" id="add-section" class="btn btn-secondary" data-act="add-s">{ i18n.t(K::AddSection) }</button>
                <span class={classes!("weight-total", off.then_some("is-off"))} id="weight-total" data-total={format!("{total}")}>
                    { i18n.tf(K::WeightTotalIs, &[&format_weight(lang, total)]) }
                    if off { <span class="small">{ " · " }{ i18n.t(K::WeightTotalHint) }</span> }
                </span>
                if let Some(error) = (*failure).clone() {
                    <ErrorBanner {error} />
                }
                if *saved {
                    <span class="muted small" role="status">{ i18n.t(K::SavedNotice) }</span>
                }
                <div class="form-actions">
                    <button type="button" id="save-form" class="btn btn-secondary" disabled={*busy} onclick={save_draft}>{ i18n.t(K::SaveDraft) }</button>
                    <button type="button" id="publish-form" class="btn btn-primary" disabled={*busy} onclick={publish}>{ i18n.t(K::PublishForm) }</button>
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builder_edits_and_reorders() {
        let mut b =
            Builder { code: String::new(), title: String::new(), document_code: String::new(), sections: vec![] };
        act(&mut b, "add-s");
        act(&mut b, "add-p.0");
        set_field(&mut b, "code", "f18-ct0".into(), false);
        set_field(&mut b, "p.0.0.key", "Greeting".into(), false);
        set_field(&mut b, "p.0.1.key", "close".into(), false);
        set_field(&mut b, "p.0.0.weight", "7,5".into(), false);
        set_field(&mut b, "p.0.1.fatal", String::new(), true);
        assert_eq!(b.code, "F18-CT0");
        assert_eq!(b.total(), 7.5);
        act(&mut b, "down-p.0.0");
        assert_eq!(b.sections[0].parameters[0].key, "close");
        act(&mut b, "up-p.0.0");
        assert_eq!(b.sections[0].parameters[0].key, "close", "the first cannot go up");
        act(&mut b, "del-p.0.1");
        assert_eq!(b.sections[0].parameters.len(), 1);
        let form = b.to_new(false, None);
        assert_eq!(form.sections[0].parameters[0].weight, 0.0, "fatal items carry no weight");
        act(&mut b, "del-s.0");
        assert!(b.sections.is_empty());
        assert_eq!(error_key("p.1.0.weight"), "sections[1].parameters[0].weight");
        assert_eq!(error_key("title"), "title");
    }
}
