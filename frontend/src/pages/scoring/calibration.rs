//! `/calibrations/{id}`: one calibration session. A participating QCO scores the call blind (the
//! scoring editor, the call fixed); until everyone has scored (or the coordinator closes it) the
//! page shows only who has. Then: the spread of the total scores (min / mean / max / standard
//! deviation), each parameter's agreement as a bar, every QCO's answers side by side, and the QCO
//! who differs most from the majority highlighted.

use crate::api::ApiError;
use crate::app::{IdProps, Route, use_api, use_auth, use_i18n, use_title};
use crate::components::doc_parts::RouteLink;
use crate::components::parts::table;
use crate::components::score_editor::{CallPreset, ScoreEditor};
use crate::components::score_sheet::format_score;
use crate::components::status::{ErrorBanner, Loading, Tone, tone_banner};
use crate::datetime::long_datetime;
use crate::hooks::{Load, use_fetch};
use crate::i18n::K;
use domain::scoring::{AnswerValue, Calibration, CalibrationStatus, Evaluation, ScoringForm, parameters};
use domain::{Action, Role, can};
use yew::prelude::*;

#[component]
pub fn CalibrationPage(props: &IdProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::CalibrationTitle));
    let lang = i18n.lang;
    let auth = use_auth();
    let api = use_api();
    let data = use_fetch(props.id, |api, id| async move {
        let session = api.get_calibration(id).await?;
        let form = api.get_scoring_form(session.form_id).await?;
        Ok((session, form))
    });
    let closing = use_state(|| false);
    let close_error = use_state(|| None::<ApiError>);
    let Some(user) = auth.user().cloned() else { return Html::default() };
    let (session, form) = match &*data.state {
        Load::Loading => return html! { <section class="page" data-page="calibration"><Loading /></section> },
        Load::Failed(error) => {
            return html! { <section class="page" data-page="calibration"><ErrorBanner error={error.clone()} on_retry={data.reload.clone()} /></section> };
        }
        Load::Ready(pair) => pair.clone(),
    };
    let coordinator = can(user.role, Action::ManageScoringForms);
    let participant = session.participants.iter().any(|p| p.qco_id == user.id);
    let open = session.status == CalibrationStatus::Open;
    let may_score = open && participant && user.role == Role::Qco && session.my_evaluation_id.is_none();

    let on_close = {
        let (api, closing, close_error, reload, id) =
            (api.clone(), closing.clone(), close_error.clone(), data.reload.clone(), session.id);
        Callback::from(move |_: MouseEvent| {
            if *closing {
                return;
            }
            closing.set(true);
            let (api, closing, close_error, reload) =
                (api.clone(), closing.clone(), close_error.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.close_calibration(id).await {
                    Ok(_) => reload.emit(()),
                    Err(error) => close_error.set(Some(error)),
                }
                closing.set(false);
            });
        })
    };
    let preset = CallPreset {
        agent_id: session.agent_id,
        agent_name: session.agent_name.clone(),
        call_ref: session.call_ref.clone(),
        call_at: session.call_at.clone(),
        service: Some(session.service),
        bucket: Some(session.bucket),
        recording_ref: session.recording_ref.clone(),
        calibration_id: Some(session.id),
        assignment_id: None,
    };
    let reload = data.reload.clone();
    html! {
        <section class="page" data-page="calibration" data-id={session.id.to_string()} data-revealed={session.revealed.to_string()}>
            <header class="page-head page-head-row">
                <div>
                    <p class="eyebrow"><RouteLink to={Route::Calibrations}>{ i18n.t(K::CalibrationsTitle) }</RouteLink></p>
                    <h1 class="title-with-badge">{ session.title.clone() }
                        <span class="status-badge" id="calibration-status" data-status={format!("cal-{}", session.status.as_str())}>
                            { i18n.t(if open { K::CalibrationOpen } else { K::CalibrationClosed }) }</span></h1>
                    <p class="muted">{ format!("{} · {} · {} · {} · {}", session.agent_name, session.call_ref, long_datetime(lang, &session.call_at),
                        session.service.label(), session.bucket.label()) }
                        { format!(" · {} v{}", form.code, session.form_version) }</p>
                </div>
                if coordinator && open {
                    <button type="button" id="close-calibration" class="btn btn-secondary" disabled={*closing} onclick={on_close}>{ i18n.t(K::CloseCalibration) }</button>
                }
            </header>
            if let Some(error) = (*close_error).clone() {
                <ErrorBanner {error} />
            }
            <section class="card card-tight" aria-labelledby="participants-title" data-section="participants">
                <h2 id="participants-title" class="card-title">{ i18n.t(K::CalibrationQcos) }</h2>
                <ul class="participants">
                    { for session.participants.iter().map(|p| html! {
                        <li data-qco={p.qco_id.to_string()} data-scored={p.scored.to_string()} class={classes!(p.scored.then_some("is-done"))}>
                            <span class="participant-mark" aria-hidden="true">{ if p.scored { "✓" } else { "…" } }</span>
                            { p.qco_name.clone() }
                            <span class="muted small">{ " · " }{ i18n.t(if p.scored { K::HasScored } else { K::NotScoredYet }) }</span>
                        </li>
                    }) }
                </ul>
            </section>
            if may_score {
                { tone_banner(Tone::Info, i18n.t(K::CalibrationBlindHint)) }
                <ScoreEditor form={form.clone()} draft={None::<Evaluation>} preset={Some(preset)} on_saved={Callback::from(move |_| reload.emit(()))} />
            } else if !session.revealed {
                { tone_banner(Tone::Info, i18n.t(if session.my_evaluation_id.is_some() { K::CalibrationWaitOthers } else { K::CalibrationNotRevealed })) }
                { for session.sheets.iter().map(|e| html! {
                    <p id="own-calibration-score">{ i18n.t(K::YourScore) }{ " " }<strong>{ format_score(lang, e.score) }</strong>{ " · " }
                        <RouteLink to={Route::Evaluation { id: e.id }}>{ i18n.t(K::OpenSheet) }</RouteLink></p>
                }) }
            } else {
                { results(&i18n, &session, &form) }
            }
        </section>
    }
}

fn cell(value: Option<AnswerValue>) -> (&'static str, &'static str) {
    match value {
        Some(AnswerValue::Pass) => ("P", "ans-pass"),
        Some(AnswerValue::Fail) => ("F", "ans-fail"),
        Some(AnswerValue::Na) => ("N", "ans-na"),
        None => ("—", "ans-none"),
    }
}

/// Agreement, spread and the answers side by side.
fn results(i18n: &crate::app::I18n, session: &Calibration, form: &ScoringForm) -> Html {
    let lang = i18n.lang;
    let Some(stats) = session.stats.clone() else {
        return html! { <p class="empty">{ i18n.t(K::NoResultsYet) }</p> };
    };
    let sheets = &session.sheets;
    let divergent = stats.most_divergent.map(|(id, _)| id);
    let name_of = |qco: i64| sheets.iter().find(|e| e.qco_id == qco).map(|e| e.qco_name.clone()).unwrap_or_default();
    let tile = |label: K, value: f64, id: &'static str| {
        html! {
            <div class="stat" data-stat={id}>
                <span class="stat-value">{ format_score(lang, value) }</span>
                <span class="stat-label">{ i18n.t(label) }</span>
            </div>
        }
    };
    let head = html! {
        <thead><tr>
            <th scope="col">{ i18n.t(K::ParamLabel) }</th>
            <th scope="col" class="col-bar">{ i18n.t(K::Agreement) }</th>
            { for sheets.iter().map(|e| html! {
                <th scope="col" class={classes!("center", (Some(e.qco_id) == divergent).then_some("is-divergent"))}
                    data-qco={e.qco_id.to_string()}>
                    { e.qco_name.clone() }<br /><span class="small">{ format_score(lang, e.score) }</span>
                </th>
            }) }
        </tr></thead>
    };
    let rows = parameters(&form.sections)
        .map(|p| {
            let agreement = stats.parameters.iter().find(|a| a.parameter == p.key);
            let pct = agreement.map_or(0.0, |a| a.agreement);
            let majority = agreement.and_then(|a| a.majority);
            html! {
                <tr data-param={p.key.clone()} data-agreement={format!("{pct:.2}")} class={classes!((pct < 100.0).then_some("row-split"))}>
                    <td>{ p.label.clone() }</td>
                    <td class="col-bar">
                        <div class="bar-cell">
                            <progress class={classes!("agree-bar", (pct < 67.0).then_some("is-low"))} max="100" value={format!("{pct}")}></progress>
                            <span class="bar-value">{ format!("{}%", format_score(lang, pct).trim_end_matches("00").trim_end_matches(['.', ','])) }</span>
                        </div>
                    </td>
                    { for sheets.iter().map(|e| {
                        let v = e.answers.iter().find(|a| a.parameter == p.key).map(|a| a.value);
                        let (text, class) = cell(v);
                        let off = v.is_some() && majority.is_some() && v != majority;
                        html! { <td class={classes!("center", "ans", class, off.then_some("is-off"), (Some(e.qco_id) == divergent).then_some("is-divergent"))}>{ text }</td> }
                    }) }
                </tr>
            }
        })
        .collect();
    html! {
        <>
            <section class="card" aria-labelledby="spread-title" data-section="spread">
                <h2 id="spread-title" class="card-title">{ i18n.t(K::ScoreSpread) }</h2>
                <div class="stats stats-4">
                    { tile(K::MinScore, stats.min_score, "min") }
                    { tile(K::MeanScore, stats.mean_score, "mean") }
                    { tile(K::MaxScore, stats.max_score, "max") }
                    { tile(K::StdDev, stats.std_dev, "std-dev") }
                </div>
                if let Some((qco, differs)) = stats.most_divergent {
                    <p class="divergent" id="most-divergent" data-qco={qco.to_string()}>
                        { i18n.tf(K::MostDivergent, &[&name_of(qco), &differs.to_string()]) }
                    </p>
                }
            </section>
            <section class="card" aria-labelledby="agreement-title" data-section="agreement">
                <h2 id="agreement-title" class="card-title">{ i18n.t(K::AgreementTitle) }</h2>
                <p class="muted small">{ i18n.t(K::AgreementIntro) }</p>
                { table("table agreement-table", Some("agreement-table"), head, rows) }
            </section>
        </>
    }
}
