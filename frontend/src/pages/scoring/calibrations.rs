//! `/calibrations`: calibration sessions (one call scored blind by several QCOs). The QC
//! coordinator opens a session for a call and chosen QCOs; a QCO sees the sessions they are in.

use crate::api::{ApiError, MAX_LIMIT, UserFilter};
use crate::app::{Route, use_api, use_auth, use_i18n, use_title};
use crate::components::dialog::Dialog;
use crate::components::doc_parts::RouteLink;
use crate::components::fields::{SelectField, TextField, setter};
use crate::components::paged::{list_body, load_more_button};
use crate::components::parts::{form_actions, head};
use crate::components::scoring::{CallFields, bucket_select, qco_checks, service_select};
use crate::components::status::{ErrorBanner, Loading};
use crate::components::user_picker::UserPicker;
use crate::datetime::local_input_to_utc;
use crate::datetime::short_datetime;
use crate::hooks::{Load, use_fetch, use_paged};
use crate::i18n::{K, field_error};
use domain::cases::{Bucket, Service};
use domain::scoring::{CalibrationStatus, FormStatus, NewCalibration};
use domain::{Action, can};
use std::collections::{BTreeMap, BTreeSet};
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn CalibrationsPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::CalibrationsTitle));
    let lang = i18n.lang;
    let api = use_api();
    let auth = use_auth();
    let may_create = auth.user().is_some_and(|u| can(u.role, Action::ManageScoringForms));
    let creating = use_state(|| false);
    let navigator = use_navigator();
    let sessions = use_paged((), |api, (), cursor| async move { api.list_calibrations(cursor).await });
    // What the "new session" form offers: published forms and the QCOs (loaded when it opens).
    let choices = use_fetch(*creating, |api, open| async move {
        if !open {
            return Ok((Vec::new(), Vec::new()));
        }
        let forms = api.list_scoring_forms().await?;
        let qcos = api
            .list_users(&UserFilter { role: Some("qco".into()), limit: Some(MAX_LIMIT), ..Default::default() })
            .await?;
        Ok((forms.items.into_iter().filter(|f| f.status == FormStatus::Published).collect::<Vec<_>>(), qcos.items))
    });
    let title = use_state(String::new);
    let form_id = use_state(|| None::<i64>);
    let call = CallFields {
        agent: use_state(|| None),
        call_ref: use_state(String::new),
        call_at: use_state(String::new),
        service: use_state(|| Service::Pranpc),
        bucket: use_state(|| Bucket::N),
        recording: use_state(String::new),
    };
    let CallFields { agent, call_ref, call_at, service, bucket, recording } = call.clone();
    let qcos = use_state(BTreeSet::<i64>::new);
    let errors = use_state(BTreeMap::<String, String>::new);
    let failure = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);

    let list = &*sessions.state;
    let table = list_body(list, i18n.t(K::NoCalibrations), || {
        html! {
            <div class="table-wrap">
                <table class="table" id="calibrations-table">
                    { head(i18n.lang, &[(K::CalibrationName, false), (K::CallRefLabel, false), (K::CallAtLabel, false), (K::AgentLabel, false), (K::ScoredCount, true), (K::Status, false)]) }
                    <tbody>
                        { for list.items.iter().map(|c| html! {
                            <tr key={c.id} data-id={c.id.to_string()} data-status={c.status.as_str()}>
                                <td><RouteLink to={Route::Calibration { id: c.id }}>{ c.title.clone() }</RouteLink></td>
                                <td class="mono">{ c.call_ref.clone() }</td>
                                <td class="nowrap">{ short_datetime(lang, &c.call_at) }</td>
                                <td>{ c.agent_name.clone() }</td>
                                <td class="num">{ format!("{}/{}", c.scored, c.participants) }</td>
                                <td><span class="status-badge" data-status={format!("cal-{}", c.status.as_str())}>
                                    { i18n.t(if c.status == CalibrationStatus::Open { K::CalibrationOpen } else { K::CalibrationClosed }) }</span></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        }
    });

    let published = match &*choices.state {
        Load::Ready((forms, _)) => forms.clone(),
        _ => Vec::new(),
    };
    let chosen_form = form_id.or(published.first().map(|f| f.id));
    let onsubmit = {
        let CallFields { agent, call_ref, call_at, service, bucket, recording } = call;
        let (title, qcos) = (title.clone(), qcos.clone());
        let (errors, failure, busy, api, navigator) =
            (errors.clone(), failure.clone(), busy.clone(), api.clone(), navigator.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let mut found = BTreeMap::new();
            let at = local_input_to_utc(&call_at);
            for (field, missing) in [
                ("title", title.trim().is_empty()),
                ("form_id", chosen_form.is_none()),
                ("agent_id", agent.is_none()),
                ("call_ref", call_ref.trim().is_empty()),
                ("call_at", at.is_none()),
            ] {
                if missing {
                    found.insert(field.to_owned(), "required".to_owned());
                }
            }
            if qcos.len() < 2 {
                found.insert("qco_ids".to_owned(), "at_least_two".to_owned());
            }
            failure.set(None);
            let stop = !found.is_empty();
            errors.set(found);
            if stop {
                return;
            }
            let body = NewCalibration {
                title: title.trim().to_owned(),
                form_id: chosen_form.unwrap_or_default(),
                call_ref: call_ref.trim().to_owned(),
                call_at: at.unwrap_or_default(),
                agent_id: agent.unwrap_or_default(),
                service: *service,
                bucket: *bucket,
                recording_ref: Some(recording.trim().to_owned()).filter(|r| !r.is_empty()),
                qco_ids: qcos.iter().copied().collect(),
            };
            busy.set(true);
            let (errors, failure, busy, api, navigator) =
                (errors.clone(), failure.clone(), busy.clone(), api.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api.create_calibration(&body).await {
                    Ok(c) => {
                        if let Some(n) = &navigator {
                            n.push(&Route::Calibration { id: c.id });
                        }
                    }
                    Err(error) => {
                        if let Some(fields) = error.fields() {
                            errors.set(fields.clone());
                        }
                        failure.set(Some(error));
                    }
                }
                busy.set(false);
            });
        })
    };
    let dialog = match &*choices.state {
        _ if !*creating => Html::default(),
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={choices.reload.clone()} /> },
        Load::Ready((_, all_qcos)) => {
            let err = |field: &str| errors.get(field).map(|e| field_error(lang, field, e));
            let form_options: Vec<(AttrValue, AttrValue)> = published
                .iter()
                .map(|f| {
                    (
                        AttrValue::from(f.id.to_string()),
                        AttrValue::from(format!("{} v{} · {}", f.code, f.version, f.title)),
                    )
                })
                .collect();
            html! {
                <form class="form-stack" {onsubmit} novalidate=true>
                    if let Some(error) = (*failure).clone() {
                        <ErrorBanner {error} />
                    }
                    <TextField id="cal-title" label={i18n.t(K::CalibrationName)} value={(*title).clone()} on_change={setter(&title)} error={err("title")} required=true />
                    <SelectField id="cal-form" label={i18n.t(K::FormLabel)} value={chosen_form.map(|i| i.to_string()).unwrap_or_default()} options={form_options}
                        on_change={let f = form_id.clone(); Callback::from(move |v: String| f.set(v.parse().ok()))} error={err("form_id")} />
                    <UserPicker id="cal-agent" label={i18n.t(K::AgentLabel)} role="agent" value={*agent} required=true error={err("agent_id")}
                        on_change={let a = agent.clone(); Callback::from(move |u: Option<domain::api::User>| a.set(u.map(|u| u.id)))} />
                    <div class="form-row">
                        <TextField id="cal-call-ref" label={i18n.t(K::CallRefLabel)} value={(*call_ref).clone()} on_change={setter(&call_ref)} error={err("call_ref")} required=true />
                        <TextField id="cal-call-at" kind="datetime-local" label={crate::i18n::tf(i18n.lang, K::CallAtZone, &[&crate::datetime::zone_label()])} value={(*call_at).clone()} on_change={setter(&call_at)} error={err("call_at")} required=true />
                    </div>
                    <div class="form-row">
                        { service_select("cal-service", &i18n, &service) }
                        { bucket_select("cal-bucket", &i18n, &bucket) }
                    </div>
                    <TextField id="cal-recording" label={i18n.t(K::RecordingRefLabel)} value={(*recording).clone()} on_change={setter(&recording)} />
                    { qco_checks(&i18n, "cal-qco", all_qcos, &qcos, err("qco_ids")) }
                    { form_actions(i18n.lang, "create-calibration", K::CreateCalibration, None, *busy, None) }
                </form>
            }
        }
    };
    html! {
        <section class="page" data-page="calibrations">
            <header class="page-head page-head-row">
                <div>
                    <h1>{ i18n.t(K::CalibrationsTitle) }</h1>
                    <p class="muted">{ i18n.t(K::CalibrationsIntro) }</p>
                </div>
                if may_create {
                    <button type="button" id="new-calibration" class="btn btn-primary" onclick={let c = creating.clone(); move |_| c.set(true)}>
                        { i18n.t(K::NewCalibration) }</button>
                }
            </header>
            <section class="card">
                if let Some(error) = list.error.clone() {
                    <ErrorBanner {error} on_retry={sessions.reload.clone()} />
                }
                { table }
                <div class="list-foot">{ load_more_button(list, &i18n, &sessions.load_more) }</div>
            </section>
            if *creating {
                <Dialog id="calibration-dialog" title={i18n.t(K::NewCalibration)} on_close={let c = creating.clone(); Callback::from(move |()| c.set(false))}>
                    { dialog }
                </Dialog>
            }
        </section>
    }
}
