//! `/records` (QC coordinator, manager, admin): the records past retention by form and month,
//! the disposition batches with their two signatures and certificates, and the legal holds
//! (issue 15). Every step is signed with the person's password in a dialog.

use crate::api::{MAX_LIMIT, UserFilter};
use crate::app::{use_api, use_auth, use_i18n, use_title};
use crate::components::dialog::Dialog;
use crate::components::fields::{SelectField, TextField, setter};
use crate::components::parts::{DownloadButton, date_input, head, table};
use crate::components::status::{ErrorBanner, Loading, Tone, error_text, tone_banner};
use crate::datetime::{count, long_datetime, month_label};
use crate::hooks::{Load, use_fetch};
use crate::i18n::K;
use domain::records::{Disposition, DueList, Hold, HoldScope};
use domain::{Action, Role, can};
use serde_json::json;
use yew::prelude::*;

/// What a signing dialog is for.
#[derive(Clone, PartialEq)]
enum Step {
    Approve { form: String, month: String, count: i64 },
    Confirm(Disposition),
    Place(HoldScope),
    Release(i64),
}

/// Agents and teams by id, for the hold form's choices and the scopes' words.
#[derive(Clone, PartialEq, Default)]
struct Names {
    agents: Vec<(i64, String)>,
    teams: Vec<(i64, String)>,
}

impl Names {
    fn of(list: &[(i64, String)], id: i64) -> String {
        list.iter().find(|(i, _)| *i == id).map_or_else(|| format!("#{id}"), |(_, n)| n.clone())
    }
}

fn scope_text(lang: crate::i18n::Lang, s: &HoldScope, names: &Names) -> String {
    let mut parts = Vec::new();
    if let Some(form) = &s.form {
        parts.push(form.clone());
    }
    if let Some(ids) = &s.record_ids {
        parts.push(format!("# {}", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")));
    }
    if let Some(id) = s.agent_id {
        parts.push(format!("{}: {}", crate::i18n::t(lang, K::HoldAgent), Names::of(&names.agents, id.into())));
    }
    if let Some(id) = s.team_id {
        parts.push(format!("{}: {}", crate::i18n::t(lang, K::TeamLabel), Names::of(&names.teams, id.into())));
    }
    if let Some(c) = &s.customer_no {
        parts.push(c.clone());
    }
    if s.from.is_some() || s.to.is_some() {
        parts.push(format!("{} – {}", s.from.clone().unwrap_or_default(), s.to.clone().unwrap_or_default()));
    }
    parts.join(" · ")
}

#[component]
pub fn RecordsPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::RecordsTitle));
    let auth = use_auth();
    let role = auth.user().map(|u| u.role);
    let may = |a: Action| role.is_some_and(|r| can(r, a));
    let me = auth.user().map(|u| u.full_name.clone()).unwrap_or_default();
    let step = use_state(|| None::<Step>);
    let notice = use_state(|| None::<String>);
    let due = use_fetch((), |api, ()| async move { api.get::<DueList>("/api/records/due").await });
    let batches = use_fetch((), |api, ()| async move { api.get::<Vec<Disposition>>("/api/dispositions").await });
    let holds = use_fetch((), |api, ()| async move { api.get::<Vec<Hold>>("/api/holds").await });
    let names = use_fetch((), |api, ()| async move {
        let filter =
            UserFilter { role: Some(Role::Agent.as_str().into()), limit: Some(MAX_LIMIT), ..Default::default() };
        let agents = api.list_users(&filter).await?.items.into_iter().map(|u| (u.id, u.full_name)).collect();
        let teams = api.list_teams(Some(MAX_LIMIT), None).await?.items.into_iter().map(|t| (t.id, t.name)).collect();
        Ok(Names { agents, teams })
    });
    let names = match &*names.state {
        Load::Ready(n) => n.clone(),
        _ => Names::default(),
    };
    let reload = {
        let (a, b, c) = (due.reload.clone(), batches.reload.clone(), holds.reload.clone());
        Callback::from(move |_| {
            a.emit(());
            b.emit(());
            c.emit(());
        })
    };
    let lang = i18n.lang;
    let open = |s: Step| {
        let step = step.clone();
        Callback::from(move |_: MouseEvent| step.set(Some(s.clone())))
    };

    let waiting: Vec<String> = match &*batches.state {
        Load::Ready(list) => list.iter().filter(|d| d.status != "disposed").map(|d| d.form.clone()).collect(),
        _ => Vec::new(),
    };
    let due_card = match &*due.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={due.reload.clone()} /> },
        Load::Ready(list) => {
            let rows = list.groups.iter().map(|g| html! {
                <tr data-form={g.form.clone()} data-month={g.month.clone()}>
                    <td>{ g.form_title.clone() }<div class="muted mono">{ g.form.clone() }</div></td>
                    <td>{ month_label(lang, &g.month) }</td>
                    <td class="num">{ count(lang, g.count) }</td>
                    <td class="num">{ g.retention_months }</td>
                    <td>if waiting.contains(&g.form) {
                        <span class="muted">{ i18n.t(K::BatchApproved) }</span>
                    } else if may(Action::DisposeRecords) {
                        <button class="btn btn-secondary btn-sm" data-action="approve"
                            onclick={open(Step::Approve { form: g.form.clone(), month: g.month.clone(), count: g.count })}>
                            { i18n.t(K::ApproveDisposal) }</button>
                    }</td>
                </tr>
            });
            let cols = [
                (K::FormLabel, false),
                (K::DueMonth, false),
                (K::Records, true),
                (K::RetentionCol, true),
                (K::Actions, false),
            ];
            html! { <>
                if list.groups.is_empty() {
                    <p class="muted" id="due-empty">{ i18n.t(K::NothingDue) }</p>
                } else {
                    { table("table", Some("due-table"), head(lang, &cols), rows.collect()) }
                }
                <p class="muted" id="due-held">{ i18n.tf(K::HeldPastRetention, &[&count(lang, list.held)]) }</p>
            </> }
        }
    };

    let batch_card = match &*batches.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={batches.reload.clone()} /> },
        Load::Ready(list) if list.is_empty() => html! { <p class="muted">{ i18n.t(K::NoBatches) }</p> },
        Load::Ready(list) => {
            let rows = list.iter().map(|d| {
                let status = match d.status.as_str() {
                    "approved" => K::BatchApproved,
                    "disposing" => K::BatchDisposing,
                    _ => K::BatchDisposed,
                };
                let confirm = d.status == "approved" && may(Action::ConfirmDisposal) && d.approved_by != me;
                html! {
                    <tr data-batch={d.id.to_string()} data-status={d.status.clone()}>
                        <td class="mono">{ d.id }</td>
                        <td>{ d.form.clone() }<div class="muted">{ d.through_month.as_deref().map(|m| month_label(lang, m)).unwrap_or_default() }</div></td>
                        <td>{ i18n.t(status) }</td>
                        <td>{ d.approved_by.clone() }<div class="muted">{ long_datetime(lang, &d.approved_at) }</div></td>
                        <td>{ d.confirmed_by.clone().unwrap_or_default() }<div class="muted">{ d.confirmed_at.as_deref().map(|t| long_datetime(lang, t)).unwrap_or_default() }</div></td>
                        <td class="num">{ count(lang, if d.status == "approved" { d.due_count } else { d.disposed }) }
                            if d.withheld > 0 { <div class="muted">{ i18n.tf(K::Withheld, &[&count(lang, d.withheld)]) }</div> }</td>
                        <td>
                            if confirm {
                                <button class="btn btn-primary btn-sm" data-action="confirm" onclick={open(Step::Confirm(d.clone()))}>{ i18n.t(K::ConfirmDisposal) }</button>
                            }
                            if d.status == "disposed" {
                                <DownloadButton id="certificate" label={K::Certificate} class="btn btn-secondary btn-sm"
                                    path={format!("/api/dispositions/{}/certificate?format=html", d.id)}
                                    name={format!("sertifikat-pemusnahan-{}.html", d.id)} />
                            }
                        </td>
                    </tr>
                }
            });
            let cols = [
                (K::Seq, false),
                (K::FormLabel, false),
                (K::StatusLabel, false),
                (K::ApprovedByLabel, false),
                (K::ConfirmedByLabel, false),
                (K::Records, true),
                (K::Actions, false),
            ];
            table("table", Some("batches-table"), head(lang, &cols), rows.collect())
        }
    };

    let hold_card = match &*holds.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={holds.reload.clone()} /> },
        Load::Ready(list) if list.is_empty() => html! { <p class="muted">{ i18n.t(K::NoHolds) }</p> },
        Load::Ready(list) => {
            let rows = list.iter().map(|h| html! {
                <tr data-hold={h.id.to_string()}>
                    <td>{ h.reason.clone() }</td>
                    <td>{ scope_text(lang, &h.scope, &names) }</td>
                    <td>{ h.placed_by.clone() }<div class="muted">{ long_datetime(lang, &h.placed_at) }</div></td>
                    <td class="num">{ count(lang, h.covers.iter().map(|c| c.count).sum()) }</td>
                    <td>{ match (&h.released_by, &h.released_at) {
                        (Some(by), Some(at)) => html! { <span class="muted">{ i18n.tf(K::ReleasedBy, &[by, &long_datetime(lang, at)]) }</span> },
                        _ if may(Action::ManageHolds) => html! {
                            <button class="btn btn-secondary btn-sm" data-action="release" onclick={open(Step::Release(h.id))}>{ i18n.t(K::ReleaseHold) }</button>
                        },
                        _ => html! { i18n.t(K::HoldInForce) },
                    } }</td>
                </tr>
            });
            let cols = [
                (K::Reason, false),
                (K::HoldScopeLabel, false),
                (K::PlacedBy, false),
                (K::Records, true),
                (K::StatusLabel, false),
            ];
            table("table", Some("holds-table"), head(lang, &cols), rows.collect())
        }
    };

    let on_done = {
        let (step, notice, reload) = (step.clone(), notice.clone(), reload.clone());
        Callback::from(move |text: String| {
            step.set(None);
            notice.set(Some(text));
            reload.emit(());
            // The notice is at the top, and the button that led to it may be far below (closing
            // the dialog gives that button the focus back, which scrolls to it): after the
            // render, go up.
            wasm_bindgen_futures::spawn_local(async {
                if let Some(window) = web_sys::window() {
                    window.scroll_to_with_x_and_y(0.0, 0.0);
                }
            });
        })
    };
    html! {
        <section class="page" data-page="records">
            <header class="page-head">
                <h1>{ i18n.t(K::RecordsTitle) }</h1>
                <p class="muted">{ i18n.t(K::RecordsIntro) }</p>
            </header>
            if let Some(text) = (*notice).clone() { { tone_banner(Tone::Success, text) } }
            <section class="card" aria-labelledby="due-title">
                <h2 id="due-title" class="card-title">{ i18n.t(K::DueTitle) }</h2>
                { due_card }
            </section>
            <section class="card" aria-labelledby="batches-title">
                <h2 id="batches-title" class="card-title">{ i18n.t(K::BatchesTitle) }</h2>
                { batch_card }
            </section>
            <div class="grid grid-main-side">
                <section class="card" aria-labelledby="holds-title">
                    <h2 id="holds-title" class="card-title">{ i18n.t(K::HoldsTitle) }</h2>
                    { hold_card }
                </section>
                if may(Action::ManageHolds) {
                    <HoldForm names={names.clone()} on_scope={Callback::from({ let step = step.clone(); move |s| step.set(Some(Step::Place(s))) })} />
                }
            </div>
            if let Some(s) = (*step).clone() {
                <SignDialog step={s} names={names.clone()} on_close={Callback::from({ let step = step.clone(); move |_| step.set(None) })} {on_done} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct HoldFormProps {
    names: Names,
    on_scope: Callback<HoldScope>,
}

/// The scope of a new hold; the reason and signature come in the dialog.
#[component]
fn HoldForm(props: &HoldFormProps) -> Html {
    let i18n = use_i18n();
    let form = use_state(String::new);
    let ids = use_state(String::new);
    let customer = use_state(String::new);
    let agent = use_state(String::new);
    let team = use_state(String::new);
    let from = use_state(String::new);
    let to = use_state(String::new);
    let error = use_state(|| None::<String>);
    let date = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |e: Event| s.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let onsubmit = {
        let (form, ids, customer, agent, team, from, to, error, on_scope, lang) = (
            form.clone(),
            ids.clone(),
            customer.clone(),
            agent.clone(),
            team.clone(),
            from.clone(),
            to.clone(),
            error.clone(),
            props.on_scope.clone(),
            i18n.lang,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = |s: &str| Some(s.trim().to_owned()).filter(|t| !t.is_empty());
            let record_ids: Option<Vec<i64>> =
                text(&ids).map(|t| t.split([',', ' ']).filter_map(|p| p.trim().parse().ok()).collect());
            let scope = HoldScope {
                record_ids,
                form: text(&form),
                agent_id: agent.trim().parse().ok(),
                team_id: team.trim().parse().ok(),
                customer_no: text(&customer),
                from: text(&from),
                to: text(&to),
            };
            match scope.fault() {
                Some((field, problem)) => error.set(Some(crate::i18n::field_error(lang, field, problem.as_str()))),
                None => {
                    error.set(None);
                    on_scope.emit(scope);
                }
            }
        })
    };
    let choices = |all: K, list: &[(i64, String)]| {
        std::iter::once((AttrValue::Static(""), AttrValue::Static(i18n.t(all))))
            .chain(list.iter().map(|(id, name)| (AttrValue::from(id.to_string()), AttrValue::from(name.clone()))))
            .collect::<Vec<_>>()
    };
    let forms = vec![
        (AttrValue::Static(""), AttrValue::Static(i18n.t(K::AllForms))),
        (AttrValue::Static(domain::scoring::F18_CODE), AttrValue::Static("F-18")),
        (AttrValue::Static(domain::cases::F19_CODE), AttrValue::Static("F-19")),
    ];
    html! {
        <section class="card" aria-labelledby="hold-form-title">
            <h2 id="hold-form-title" class="card-title">{ i18n.t(K::PlaceHold) }</h2>
            <p class="muted">{ i18n.t(K::HoldFormIntro) }</p>
            <form class="form-stack" {onsubmit} novalidate=true id="hold-form">
                <SelectField id="hold-form-code" label={i18n.t(K::FormLabel)} value={(*form).clone()} options={forms} on_change={setter(&form)} />
                <TextField id="hold-ids" label={i18n.t(K::HoldIds)} value={(*ids).clone()} on_change={setter(&ids)} />
                <TextField id="hold-customer" label={i18n.t(K::CustomerNo)} value={(*customer).clone()} on_change={setter(&customer)} />
                <SelectField id="hold-agent" label={i18n.t(K::HoldAgent)} value={(*agent).clone()} options={choices(K::AnyAgent, &props.names.agents)} on_change={setter(&agent)} />
                <SelectField id="hold-team" label={i18n.t(K::TeamLabel)} value={(*team).clone()} options={choices(K::AnyTeam, &props.names.teams)} on_change={setter(&team)} />
                { date_input("hold-from", i18n.t(K::CallFrom), (*from).clone(), date(&from)) }
                { date_input("hold-to", i18n.t(K::CallTo), (*to).clone(), date(&to)) }
                if let Some(text) = (*error).clone() { <p class="field-error" id="hold-form-error">{ text }</p> }
                <div class="form-actions"><button class="btn btn-primary" type="submit" id="hold-next">{ i18n.t(K::PlaceHold) }</button></div>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SignProps {
    step: Step,
    names: Names,
    on_close: Callback<()>,
    on_done: Callback<String>,
}

/// The signature of one step: a reason where it takes one, the password, and what signing means.
#[component]
fn SignDialog(props: &SignProps) -> Html {
    let (i18n, api) = (use_i18n(), use_api());
    let reason = use_state(String::new);
    let password = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let lang = i18n.lang;
    let (title, meaning, needs_reason) = match &props.step {
        Step::Approve { form, month, count: n } => (
            i18n.t(K::ApproveDisposal).to_owned(),
            i18n.tf(K::ApproveMeaning, &[&count(lang, *n), form, &month_label(lang, month)]),
            false,
        ),
        Step::Confirm(d) => (
            i18n.t(K::ConfirmDisposal).to_owned(),
            i18n.tf(K::ConfirmMeaning, &[&count(lang, d.due_count), &d.form, &d.approved_by]),
            false,
        ),
        Step::Place(s) => (
            i18n.t(K::PlaceHold).to_owned(),
            format!("{}: {}", i18n.t(K::HoldScopeLabel), scope_text(lang, s, &props.names)),
            true,
        ),
        Step::Release(_) => (i18n.t(K::ReleaseHold).to_owned(), i18n.t(K::ReleaseMeaning).to_owned(), true),
    };
    let onsubmit = {
        let (step, reason, password, busy, error, on_done, api) = (
            props.step.clone(),
            reason.clone(),
            password.clone(),
            busy.clone(),
            error.clone(),
            props.on_done.clone(),
            api.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            let (step, reason, password, busy, error, on_done, api) = (
                step.clone(),
                (*reason).clone(),
                (*password).clone(),
                busy.clone(),
                error.clone(),
                on_done.clone(),
                api.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let done: Result<K, _> = match &step {
                    Step::Approve { form, month, .. } => api
                        .post::<_, Disposition>(
                            "/api/dispositions",
                            &json!({ "form": form, "through_month": month, "password": password }),
                        )
                        .await
                        .map(|_| K::DisposalApproved),
                    Step::Confirm(d) => api
                        .post::<_, Disposition>(
                            &format!("/api/dispositions/{}/confirm", d.id),
                            &json!({ "password": password }),
                        )
                        .await
                        .map(|d| if d.status == "disposed" { K::DisposalDone } else { K::DisposalRunning }),
                    Step::Place(scope) => api
                        .post::<_, Hold>(
                            "/api/holds",
                            &json!({ "scope": scope, "reason": reason, "password": password }),
                        )
                        .await
                        .map(|_| K::HoldPlaced),
                    Step::Release(id) => api
                        .delete::<_, Hold>(
                            &format!("/api/holds/{id}"),
                            &json!({ "reason": reason, "password": password }),
                        )
                        .await
                        .map(|_| K::HoldReleased),
                };
                busy.set(false);
                match done {
                    Ok(key) => on_done.emit(crate::i18n::t(lang, key).to_owned()),
                    Err(e) => error.set(Some(error_text(lang, &e))),
                }
            });
        })
    };
    html! {
        <Dialog id="sign-dialog" title={title} on_close={props.on_close.clone()}>
            <form class="form-stack" {onsubmit} novalidate=true id="sign-form">
                <p id="sign-meaning">{ meaning }</p>
                if needs_reason {
                    <TextField id="sign-reason" label={i18n.t(K::Reason)} value={(*reason).clone()} on_change={setter(&reason)} required=true />
                }
                <TextField id="sign-password" label={i18n.t(K::SignPassword)} kind="password" value={(*password).clone()} on_change={setter(&password)} required=true />
                if let Some(text) = (*error).clone() { <p class="field-error" id="sign-error" role="alert">{ text }</p> }
                <div class="form-actions">
                    <button class="btn btn-primary" type="submit" id="sign-submit" disabled={*busy}>{ i18n.t(K::Sign) }</button>
                </div>
            </form>
        </Dialog>
    }
}
