//! The F-18 scoring sheet: a form's sections and parameters, each answered pass / fail / N/A with
//! its comment and, for a failed item, the moment in the recording; and the live score panel.
//!
//! Made for the keyboard: each parameter is one focusable row; on it `P`, `F` and `N` answer,
//! `J`/`K` or the arrow keys move, `C` goes to the comment and `Delete` clears. Answering pass or
//! N/A moves on; a fail that needs a comment moves into the comment. The score is
//! `domain::scoring::score`, the function the server stores.

use crate::i18n::{K, Lang, field_error, t, tf};
use domain::scoring::{Answer, AnswerValue, FormParameter, FormSection, Score, parameters};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// `87,50` (id) or `87.50` (en): two decimals, as the score is stored.
pub fn format_score(lang: Lang, value: f64) -> String {
    let text = format!("{value:.2}");
    match lang {
        Lang::Id => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A weight without needless decimals (`10`, `7,5`).
pub fn format_weight(lang: Lang, value: f64) -> String {
    let text = if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value}") };
    match lang {
        Lang::Id => text.replace('.', ","),
        Lang::En => text,
    }
}

/// The answers with `key`'s answer changed by `edit` (added when missing, in form order).
pub fn edit_answer(
    sections: &[FormSection],
    answers: &[Answer],
    key: &str,
    edit: impl FnOnce(&mut Answer),
) -> Vec<Answer> {
    let mut by_key: BTreeMap<String, Answer> = answers.iter().map(|a| (a.parameter.clone(), a.clone())).collect();
    let entry = by_key.entry(key.to_owned()).or_insert_with(|| Answer {
        parameter: key.to_owned(),
        value: AnswerValue::Pass,
        comment: None,
        moment: None,
    });
    edit(entry);
    parameters(sections).filter_map(|p| by_key.remove(&p.key)).collect()
}

/// The answers without `key`'s.
pub fn clear_answer(answers: &[Answer], key: &str) -> Vec<Answer> {
    answers.iter().filter(|a| a.parameter != key).cloned().collect()
}

/// `(answered, total)` parameters.
pub fn answered_count(sections: &[FormSection], answers: &[Answer]) -> (usize, usize) {
    let total = parameters(sections).count();
    let answered = parameters(sections).filter(|p| answers.iter().any(|a| a.parameter == p.key)).count();
    (answered, total)
}

fn value_key(value: AnswerValue) -> K {
    match value {
        AnswerValue::Pass => K::AnswerPass,
        AnswerValue::Fail => K::AnswerFail,
        AnswerValue::Na => K::AnswerNa,
    }
}

/// The focusable row of parameter `key`.
fn row_id(key: &str) -> String {
    format!("param-{key}")
}

/// Moves the keyboard focus to the element `id`.
pub fn focus_id(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// What a key pressed on a parameter's row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKey {
    Answer(AnswerValue),
    Next,
    Prev,
    Comment,
    Clear,
}

/// The shortcut of `key` on a row (`None`: not ours, let the browser have it).
pub fn row_key(key: &str) -> Option<RowKey> {
    Some(match key {
        "p" | "P" => RowKey::Answer(AnswerValue::Pass),
        "f" | "F" => RowKey::Answer(AnswerValue::Fail),
        "n" | "N" => RowKey::Answer(AnswerValue::Na),
        "j" | "J" | "ArrowDown" => RowKey::Next,
        "k" | "K" | "ArrowUp" => RowKey::Prev,
        "c" | "C" => RowKey::Comment,
        "Delete" | "Backspace" => RowKey::Clear,
        _ => return None,
    })
}

/// Answers `key` with `value`: the new answers and where the focus goes next (pass and N/A move
/// on; a fail that needs a comment goes to the comment). N/A where it is not allowed is ignored.
pub fn answer(
    sections: &[FormSection],
    answers: &[Answer],
    key: &str,
    value: AnswerValue,
) -> Option<(Vec<Answer>, Option<String>)> {
    let order: Vec<&FormParameter> = parameters(sections).collect();
    let at = order.iter().position(|p| p.key == key)?;
    let p = order[at];
    if value == AnswerValue::Na && !p.allow_na {
        return None;
    }
    let next = edit_answer(sections, answers, key, |a| {
        a.value = value;
        if value != AnswerValue::Fail {
            a.moment = None;
        }
    });
    let focus = match value {
        AnswerValue::Fail if p.comment_on_fail => Some(format!("comment-{key}")),
        AnswerValue::Fail => None,
        _ => order.get(at + 1).map(|n| row_id(&n.key)),
    };
    Some((next, focus))
}

/// The key of the parameter after (`step` 1) or before (`step` -1) `key`.
fn neighbour(sections: &[FormSection], key: &str, step: isize) -> Option<String> {
    let order: Vec<&str> = parameters(sections).map(|p| p.key.as_str()).collect();
    let at = order.iter().position(|k| *k == key)? as isize + step;
    usize::try_from(at).ok().and_then(|i| order.get(i)).map(|k| (*k).to_owned())
}

fn attr(target: Option<web_sys::EventTarget>, selector: &str, name: &str) -> Option<(web_sys::Element, String)> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?.closest(selector).ok()??;
    let value = el.get_attribute(name)?;
    Some((el, value))
}

/// The sheet: read-only without `on_change`. One listener of each kind for the whole sheet
/// (events bubble up from the rows), so a long form stays cheap.
pub fn score_sheet(
    lang: Lang,
    sections: &[FormSection],
    answers: &[Answer],
    errors: &BTreeMap<String, String>,
    on_change: Option<Callback<Vec<Answer>>>,
) -> Html {
    let editable = on_change.is_some();
    let listeners = on_change.map(|on_change| {
        let (sec, ans) = (sections.to_vec(), answers.to_vec());
        let emit = {
            let (sec, ans, on_change) = (sec.clone(), ans.clone(), on_change.clone());
            move |key: &str, value: AnswerValue| {
                if let Some((next, focus)) = answer(&sec, &ans, key, value) {
                    on_change.emit(next);
                    if let Some(id) = focus {
                        // After the re-render has enabled the comment.
                        gloo_timers::callback::Timeout::new(0, move || focus_id(&id)).forget();
                    }
                }
            }
        };
        let onclick = {
            let emit = emit.clone();
            Callback::from(move |e: MouseEvent| {
                let Some((button, choice)) = attr(e.target(), "[data-choice]", "data-choice") else { return };
                let Some(key) =
                    button.closest("[data-param]").ok().flatten().and_then(|r| r.get_attribute("data-param"))
                else {
                    return;
                };
                let value = match choice.as_str() {
                    "pass" => AnswerValue::Pass,
                    "fail" => AnswerValue::Fail,
                    _ => AnswerValue::Na,
                };
                emit(&key, value);
            })
        };
        let onkeydown = {
            let (sec, ans, on_change) = (sec.clone(), ans.clone(), on_change.clone());
            Callback::from(move |e: KeyboardEvent| {
                if e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return;
                }
                let Some(target) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
                // In a comment or moment field: Escape back to the row, Enter on to the next one.
                if let Some(key) = target.get_attribute("data-for") {
                    let to = match e.key().as_str() {
                        "Escape" => Some(key),
                        "Enter" => Some(neighbour(&sec, &key, 1).unwrap_or(key)),
                        _ => None,
                    };
                    if let Some(to) = to {
                        e.prevent_default();
                        focus_id(&row_id(&to));
                    }
                    return;
                }
                let Some(key) = target.get_attribute("data-row") else { return };
                let Some(action) = row_key(&e.key()) else { return };
                e.prevent_default();
                match action {
                    RowKey::Answer(v) => emit(&key, v),
                    RowKey::Next | RowKey::Prev => {
                        if let Some(to) = neighbour(&sec, &key, if action == RowKey::Next { 1 } else { -1 }) {
                            focus_id(&row_id(&to));
                        }
                    }
                    RowKey::Comment => focus_id(&format!("comment-{key}")),
                    RowKey::Clear => on_change.emit(clear_answer(&ans, &key)),
                }
            })
        };
        let oninput = Callback::from(move |e: InputEvent| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let (Some(key), Some(field)) = (input.get_attribute("data-for"), input.get_attribute("data-field")) else {
                return;
            };
            let text = input.value();
            let text = (!text.is_empty()).then_some(text);
            on_change.emit(edit_answer(&sec, &ans, &key, |a| {
                if field == "moment" { a.moment = text } else { a.comment = text }
            }));
        });
        (onclick, onkeydown, oninput)
    });
    let (onclick, onkeydown, oninput) = match listeners {
        Some((a, b, c)) => (Some(a), Some(b), Some(c)),
        None => (None, None, None),
    };
    html! {
        <div class={classes!("sheet", editable.then_some("sheet-edit"))} id="score-sheet" {onclick} {onkeydown} {oninput}>
            if editable {
                <p class="sheet-keys muted small" id="sheet-keys">{ t(lang, K::SheetKeys) }</p>
            }
            { for sections.iter().enumerate().map(|(si, section)| html! {
                <section class="sheet-section" data-section={section.key.clone()}>
                    <h3 class="sheet-section-title"><span class="sheet-section-num">{ si + 1 }</span>{ section.title.clone() }</h3>
                    <div class="sheet-rows">
                        { for section.parameters.iter().enumerate().map(|(pi, p)| {
                            let answer = answers.iter().find(|a| a.parameter == p.key);
                            let error = errors.get(&format!("answers.{}", p.key)).map(|e| field_error(lang, "answers", e));
                            parameter_row(lang, &format!("{}.{}", si + 1, pi + 1), p, answer, error, editable)
                        }) }
                    </div>
                </section>
            }) }
        </div>
    }
}

fn parameter_row(
    lang: Lang,
    number: &str,
    p: &FormParameter,
    answer: Option<&Answer>,
    error: Option<String>,
    editable: bool,
) -> Html {
    let key = &p.key;
    let value = answer.map(|a| a.value);
    let failed = value == Some(AnswerValue::Fail);
    let comment = answer.and_then(|a| a.comment.clone()).unwrap_or_default();
    let moment = answer.and_then(|a| a.moment.clone()).unwrap_or_default();
    let classes = classes!(
        "param",
        editable.then_some("param-edit"),
        value.map(|v| format!("is-{}", v.as_str())),
        (failed && p.fatal).then_some("is-fatal"),
        error.is_some().then_some("has-error"),
        (!comment.is_empty()).then_some("has-comment")
    );
    let head = html! {
        <div class="param-head">
            <span class="param-num">{ number.to_owned() }</span>
            <div class="param-text">
                <span class="param-label" id={format!("param-{key}-label")}>{ p.label.clone() }</span>
                if !p.guidance.is_empty() {
                    <span class="param-guidance">{ p.guidance.clone() }</span>
                }
            </div>
            <span class="param-meta">
                if p.fatal {
                    <span class="badge badge-fatal">{ t(lang, K::FatalItem) }</span>
                } else {
                    <span class="param-weight">{ tf(lang, K::WeightPoints, &[&format_weight(lang, p.weight)]) }</span>
                }
                if p.comment_on_fail {
                    <span class="param-flag" title={t(lang, K::CommentOnFailHint)}>{ t(lang, K::CommentOnFailShort) }</span>
                }
            </span>
        </div>
    };
    if !editable {
        return html! {
            <div class={classes} data-param={key.clone()} data-value={value.map(|v| v.as_str())}>
                { head }
                <div class="param-result">
                    <span class={classes!("result", value.map(|v| format!("result-{}", v.as_str())))}>
                        { value.map_or(t(lang, K::NotAnswered), |v| t(lang, value_key(v))) }
                    </span>
                    if !moment.is_empty() {
                        <span class="param-moment mono" title={t(lang, K::MomentLabel)}>{ format!("⏱ {moment}") }</span>
                    }
                    if !comment.is_empty() {
                        <span class="param-comment">{ comment }</span>
                    }
                </div>
            </div>
        };
    }
    let comment_required = failed && p.comment_on_fail;
    let error_id = format!("param-{key}-error");
    let choice = |v: AnswerValue, hotkey: &'static str| {
        let on = value == Some(v);
        html! {
            <button type="button" role="radio" tabindex="-1" aria-checked={if on { "true" } else { "false" }}
                class={classes!("choice", format!("choice-{}", v.as_str()), on.then_some("is-on"))} data-choice={v.as_str()}>
                { t(lang, value_key(v)) }<kbd aria-hidden="true">{ hotkey }</kbd>
            </button>
        }
    };
    html! {
        <div id={row_id(key)} tabindex="0" role="group" aria-labelledby={format!("param-{key}-label")}
            aria-describedby={error.is_some().then(|| error_id.clone())} class={classes}
            data-param={key.clone()} data-row={key.clone()} data-value={value.map(|v| v.as_str())}>
            { head }
            <div class="choices" role="radiogroup" aria-label={p.label.clone()}>
                { choice(AnswerValue::Pass, "P") }
                { choice(AnswerValue::Fail, "F") }
                if p.allow_na { { choice(AnswerValue::Na, "N") } }
            </div>
            <div class="param-fields">
                <input id={format!("comment-{key}")} class={classes!("param-input", comment_required.then_some("is-required"))}
                    type="text" value={comment} disabled={value.is_none()} data-for={key.clone()} data-field="comment" maxlength={domain::limits::TEXT_MAX.to_string()}
                    placeholder={t(lang, if comment_required { K::CommentRequiredPlaceholder } else { K::CommentPlaceholder })}
                    aria-label={t(lang, K::CommentLabel)} aria-required={comment_required.then_some("true")} />
                if failed {
                    <input id={format!("moment-{key}")} class="param-input param-moment-input mono" type="text" value={moment}
                        data-for={key.clone()} data-field="moment" inputmode="numeric" maxlength="6"
                        placeholder="mm:ss" aria-label={t(lang, K::MomentLabel)} title={t(lang, K::MomentLabel)} />
                }
            </div>
            if let Some(error) = error {
                <p class="field-error" id={error_id}>{ error }</p>
            }
        </div>
    }
}

/// The big score with the fatal flag and (while scoring) how many items are answered.
pub fn score_box(lang: Lang, s: Score, progress: Option<(usize, usize)>, label: K) -> Html {
    html! {
        <div class={classes!("score-box", s.fatal.then_some("is-fatal"))} aria-live="polite">
            <span class="score-label">{ t(lang, label) }</span>
            // "–" until the first answer: a score of nothing answered says nothing.
            if matches!(progress, Some((0, _))) {
                <span class="score-value" id="live-score" data-score="">{ "–" }</span>
            } else {
                <span class="score-value" id="live-score" data-score={format!("{:.2}", s.score)}>{ format_score(lang, s.score) }</span>
            }
            if s.fatal {
                <span class="score-fatal" id="fatal-flag">{ t(lang, K::FatalFailed) }</span>
            }
            if let Some((done, total)) = progress {
                <div class="score-progress">
                    <progress max={total.max(1).to_string()} value={done.to_string()}></progress>
                    <span id="answered-count" data-answered={done.to_string()}>{ tf(lang, K::AnsweredCount, &[&done.to_string(), &total.to_string()]) }</span>
                </div>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Vec<FormSection> {
        let p = |key: &str| FormParameter {
            key: key.into(),
            label: key.into(),
            guidance: String::new(),
            weight: 10.0,
            fatal: false,
            allow_na: true,
            comment_on_fail: true,
        };
        vec![FormSection { key: "s".into(), title: "S".into(), parameters: vec![p("a"), p("b"), p("c")] }]
    }

    #[test]
    fn answers_stay_in_form_order_and_edits_replace() {
        let f = form();
        let a = edit_answer(&f, &[], "c", |a| a.value = AnswerValue::Fail);
        let a = edit_answer(&f, &a, "a", |a| a.value = AnswerValue::Pass);
        assert_eq!(a.iter().map(|a| a.parameter.as_str()).collect::<Vec<_>>(), ["a", "c"]);
        let a = edit_answer(&f, &a, "c", |a| a.comment = Some("x".into()));
        assert_eq!((a[1].value, a[1].comment.as_deref()), (AnswerValue::Fail, Some("x")));
        assert_eq!(answered_count(&f, &a), (2, 3));
        assert_eq!(clear_answer(&a, "a").len(), 1);
        assert_eq!(domain::scoring::score(&f, &a).score, 50.0);
    }

    #[test]
    fn keys_answer_and_move_on() {
        let mut f = form();
        f[0].parameters[1].allow_na = false;
        let (a, focus) = answer(&f, &[], "a", AnswerValue::Pass).unwrap();
        assert_eq!((a.len(), focus.as_deref()), (1, Some("param-b")));
        let (_, focus) = answer(&f, &a, "b", AnswerValue::Fail).unwrap();
        assert_eq!(focus.as_deref(), Some("comment-b"));
        assert!(answer(&f, &a, "b", AnswerValue::Na).is_none(), "N/A where it is not allowed");
        assert_eq!(answer(&f, &a, "c", AnswerValue::Pass).unwrap().1, None, "the last one stays");
        assert_eq!(row_key("F"), Some(RowKey::Answer(AnswerValue::Fail)));
        assert_eq!(row_key("ArrowUp"), Some(RowKey::Prev));
        assert_eq!(row_key("x"), None);
        assert_eq!(neighbour(&f, "a", -1), None);
        assert_eq!(neighbour(&f, "b", 1).as_deref(), Some("c"));
    }

    #[test]
    fn scores_are_written_the_local_way() {
        assert_eq!(format_score(Lang::Id, 87.5), "87,50");
        assert_eq!(format_score(Lang::En, 100.0), "100.00");
        assert_eq!(format_weight(Lang::Id, 7.5), "7,5");
        assert_eq!(format_weight(Lang::En, 10.0), "10");
    }
}
