//! `/evaluations`: F-18 sheets with filters (agent, status, period). Agents see their own, new ones
//! marked; team leaders their team's (the server decides what is visible). The QC coordinator has
//! the dispute queue as a tab, a QCO their drafts and the calls assigned to them by sampling.

use crate::api::scoring::EvaluationFilter;
use crate::app::{I18n, Route, use_auth, use_i18n, use_title};
use crate::components::doc_parts::RouteLink;
use crate::components::fields::SelectField;
use crate::components::paged::{list_body, load_more_button};
use crate::components::parts::{DownloadButton, head};
use crate::components::score_sheet::format_score;
use crate::components::scoring::{assignment_table, eval_status};
use crate::components::status::{ErrorBanner, Loading};
use crate::components::user_picker::UserPicker;
use crate::datetime::short_datetime;
use crate::hooks::{Load, use_fetch, use_paged};
use crate::i18n::{K, eval_status_key};
use domain::scoring::{EvaluationStatus, EvaluationSummary};
use domain::{Action, Role, can};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The tabs of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    All,
    Disputes,
    Drafts,
    Assigned,
}

impl Tab {
    fn name(self) -> &'static str {
        match self {
            Tab::All => "all",
            Tab::Disputes => "disputes",
            Tab::Drafts => "drafts",
            Tab::Assigned => "assigned",
        }
    }
    fn label(self) -> K {
        match self {
            Tab::All => K::TabAllSheets,
            Tab::Disputes => K::TabDisputes,
            Tab::Drafts => K::TabMyDrafts,
            Tab::Assigned => K::TabAssigned,
        }
    }
}

/// What a link puts in the address: the tab, and the list's filter — a status
/// (`?status=submitted` from an inbox count) or a dashboard figure's (its period, team, agent,
/// service, bucket, and fatal, disputed or submitted sheets, or those failing a parameter). Read by hand: a derived reader of
/// eleven fields costs the app more than this.
fn from_address(query: &str) -> (String, EvaluationFilter) {
    let mut tab = String::new();
    let mut f = EvaluationFilter::default();
    for (key, value) in crate::api::query_pairs(query) {
        let text = || (!value.is_empty()).then(|| value.to_owned());
        match key {
            "tab" => tab = value.to_owned(),
            "status" => f.status = text().filter(|s| s.parse::<EvaluationStatus>().is_ok()),
            "from" => f.from = text(),
            "to" => f.to = text(),
            "team_id" => f.team_id = value.parse().ok(),
            "agent_id" => f.agent_id = value.parse().ok(),
            "service" => f.service = text(),
            "bucket" => f.bucket = text(),
            "fatal" => f.fatal = value.parse().ok(),
            "disputed" => f.disputed = value.parse().ok(),
            "submitted" => f.submitted = value.parse().ok(),
            "failed" => f.failed = text(),
            _ => {}
        }
    }
    (tab, f)
}

#[component]
pub fn EvaluationsPage() -> Html {
    let i18n = use_i18n();
    let lang = i18n.lang;
    use_title(i18n.t(K::EvaluationsTitle));
    let auth = use_auth();
    let navigator = yew_router::prelude::use_navigator();
    let location = yew_router::prelude::use_location();
    let (asked, asked_filter) = from_address(location.as_ref().map(|l| l.query_str()).unwrap_or_default());
    let role = auth.user().map_or(Role::Agent, |u| u.role);
    let user_id = auth.user().map_or(0, |u| u.id);
    let tabs: &[Tab] = match role {
        Role::QcCoordinator => &[Tab::All, Tab::Disputes],
        Role::Qco => &[Tab::All, Tab::Drafts, Tab::Assigned],
        _ => &[Tab::All],
    };
    let tab = use_state(|| tabs.iter().copied().find(|t| t.name() == asked).unwrap_or(Tab::All));
    let filter = use_state(|| asked_filter);
    let may_score = can(role, Action::ScoreCalls);
    let is_agent = role == Role::Agent;

    let effective = {
        let mut f = (*filter).clone();
        match *tab {
            Tab::Disputes => f.status = Some(EvaluationStatus::Disputed.as_str().into()),
            Tab::Drafts => {
                f.status = Some(EvaluationStatus::Draft.as_str().into());
                f.qco_id = Some(user_id);
            }
            Tab::All | Tab::Assigned => {}
        }
        f
    };
    let sheets = use_paged(effective, |api, f, cursor| async move { api.list_evaluations(&f, cursor).await });
    let assigned = use_fetch(*tab == Tab::Assigned, |api, wanted| async move {
        if wanted { api.list_assignments(true).await.map(|p| p.items) } else { Ok(Vec::new()) }
    });
    let list = &*sheets.state;

    // A dashboard figure's filter, which the page's own fields do not show.
    let narrowed = filter.team_id.is_some()
        || filter.service.is_some()
        || filter.bucket.is_some()
        || filter.fatal.is_some()
        || filter.disputed.is_some()
        || filter.failed.is_some();
    let clear_drill = {
        let filter = filter.clone();
        Callback::from(move |_: MouseEvent| {
            filter.set(EvaluationFilter {
                team_id: None,
                service: None,
                bucket: None,
                fatal: None,
                disputed: None,
                submitted: None,
                failed: None,
                ..(*filter).clone()
            })
        })
    };
    let set = |apply: fn(&mut EvaluationFilter, String)| {
        let filter = filter.clone();
        Callback::from(move |v: String| {
            let mut next = (*filter).clone();
            apply(&mut next, v);
            filter.set(next);
        })
    };
    let date_input = |id: &'static str, label: K, value: Option<String>, cb: Callback<String>| {
        html! {
            <div class="field">
                <label for={id}>{ i18n.t(label) }</label>
                <input {id} type="date" value={value.unwrap_or_default()}
                    oninput={move |e: InputEvent| cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())} />
            </div>
        }
    };
    let on_agent = {
        let filter = filter.clone();
        Callback::from(move |u: Option<domain::api::User>| {
            let id = u.map(|u| u.id);
            if id != filter.agent_id {
                filter.set(EvaluationFilter { agent_id: id, ..(*filter).clone() });
            }
        })
    };
    let tab_buttons = (tabs.len() > 1).then(|| {
        html! {
            <div class="sheet-tabs" role="tablist" aria-label={i18n.t(K::EvaluationsTitle)}>
                { for tabs.iter().map(|t| {
                    let on = *tab == *t;
                    let (tab, t) = (tab.clone(), *t);
                    html! {
                        <button type="button" role="tab" id={format!("tab-{}", t.name())} aria-selected={if on { "true" } else { "false" }}
                            class={classes!("sheet-tab", on.then_some("is-active"))} onclick={move |_| tab.set(t)}>{ i18n.t(t.label()) }</button>
                    }
                }) }
            </div>
        }
    });
    let table = list_body(list, i18n.t(K::NoSheets), || {
        html! {
            <div class="table-wrap">
                <table class="table" id="evaluations-table">
                    { head(lang, &[
                        Some((K::CallAtLabel, false)),
                        (!is_agent).then_some((K::AgentLabel, false)),
                        Some((K::CallRefLabel, false)),
                        Some((K::ServiceLabel, false)),
                        Some((K::QcoLabel, false)),
                        Some((K::ScoreLabel, true)),
                        Some((K::Status, false)),
                    ].into_iter().flatten().collect::<Vec<_>>()) }
                    <tbody>
                        { for list.items.iter().map(|e: &EvaluationSummary| {
                            let new = is_agent && e.status == EvaluationStatus::Submitted;
                            html! {
                                <tr key={e.id} data-id={e.id.to_string()} data-status={e.status.as_str()} class={classes!(new.then_some("row-new"))}>
                                    <td class="nowrap">
                                        <RouteLink to={Route::Evaluation { id: e.id }}>{ short_datetime(lang, &e.call_at) }</RouteLink>
                                        if new { <span class="badge badge-new">{ i18n.t(K::NewMark) }</span> }
                                    </td>
                                    if !is_agent { <td>{ e.agent_name.clone() }</td> }
                                    <td class="mono">{ e.call_ref.clone() }</td>
                                    <td class="nowrap">{ format!("{} · {}", e.service.label(), e.bucket.label()) }</td>
                                    <td>{ e.qco_name.clone() }</td>
                                    <td class={classes!("num", "score-cell", e.fatal.then_some("text-danger"))} data-field="score">
                                        { format_score(lang, e.score) }{ if e.fatal { " ⚠" } else { "" } }
                                    </td>
                                    <td>{ eval_status(lang, e.status) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        }
    });
    let body = if *tab == Tab::Assigned {
        let rows = match &*assigned.state {
            Load::Loading => html! { <Loading /> },
            Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={assigned.reload.clone()} /> },
            Load::Ready(items) if items.is_empty() => html! { <p class="empty">{ i18n.t(K::NoAssignments) }</p> },
            Load::Ready(items) => assignment_table(&i18n, items, false, navigator.clone()),
        };
        html! {
            <section class="card" aria-labelledby="assigned-title" data-section="assigned">
                <h2 id="assigned-title" class="card-title">{ i18n.t(K::TabAssigned) }</h2>
                <p class="muted small">{ i18n.t(K::AssignedIntro) }</p>
                { rows }
            </section>
        }
    } else {
        html! {
            <section class="card" aria-label={i18n.t(K::EvaluationsTitle)}>
                if *tab == Tab::All {
                    <div class="toolbar" role="search">
                        if !is_agent {
                            <UserPicker id="filter-agent" label={i18n.t(K::AgentLabel)} role="agent" value={filter.agent_id} on_change={on_agent} />
                        }
                        <SelectField id="filter-status" label={i18n.t(K::Status)} value={filter.status.clone().unwrap_or_default()}
                            options={status_options(&i18n)} on_change={set(|f, v| f.status = (!v.is_empty()).then_some(v))} />
                        { date_input("filter-from", K::PeriodFrom, filter.from.clone(), set(|f, v| f.from = (!v.is_empty()).then_some(v))) }
                        { date_input("filter-to", K::PeriodTo, filter.to.clone(), set(|f, v| f.to = (!v.is_empty()).then_some(v))) }
                        <span class="toolbar-spacer"></span>
                        { xlsx_button(&filter) }
                    </div>
                }
                if narrowed {
                    <p class="muted small" id="drill-filter">
                        { i18n.t(K::DrillFiltered) }{ " " }
                        <button type="button" class="btn btn-secondary btn-small" id="clear-drill" onclick={clear_drill}>{ i18n.t(K::ClearDrill) }</button>
                    </p>
                }
                if let Some(error) = list.error.clone() {
                    <ErrorBanner {error} on_retry={sheets.reload.clone()} />
                }
                { table }
                <div class="list-foot">{ load_more_button(list, &i18n, &sheets.load_more) }</div>
            </section>
        }
    };
    html! {
        <section class="page" data-page="evaluations" data-tab={tab.name()}>
            <header class="page-head page-head-row">
                <div>
                    <h1>{ i18n.t(K::EvaluationsTitle) }</h1>
                    <p class="muted">{ i18n.t(if is_agent { K::EvaluationsIntroAgent } else { K::EvaluationsIntro }) }</p>
                </div>
                if may_score {
                    <RouteLink to={Route::ScoreCall} class="btn btn-primary" id={AttrValue::Static("score-new")}>{ i18n.t(K::ScoreCallTitle) }</RouteLink>
                }
            </header>
            { tab_buttons.unwrap_or_default() }
            { body }
        </section>
    }
}

/// The sheets the filter shows, as the F-18 workbook (a recap and each sheet in the form's
/// layout); without a period, this month's.
fn xlsx_button(filter: &EvaluationFilter) -> Html {
    let from = filter.from.clone().unwrap_or_else(crate::components::cases::month_start);
    let to = filter.to.clone().unwrap_or_else(|| crate::datetime::today_plus(0));
    let name = format!("F-18_{from}_{to}.xlsx");
    let filter = EvaluationFilter { from: Some(from), to: Some(to), ..filter.clone() };
    html! {
        <DownloadButton id="sheets-xlsx" path={filter.path("/api/evaluations/xlsx", &[])} name={name} label={K::DownloadXlsx} />
    }
}

fn status_options(i18n: &I18n) -> Vec<(AttrValue, AttrValue)> {
    std::iter::once((AttrValue::Static(""), AttrValue::Static(i18n.t(K::All))))
        .chain(
            EvaluationStatus::ALL
                .iter()
                .map(|s| (AttrValue::Static(s.as_str()), AttrValue::Static(i18n.t(eval_status_key(*s))))),
        )
        .collect()
}
