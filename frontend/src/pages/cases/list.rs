//! `/cases`: the agree cases as the role sees them. A QCO works the pending ones oldest call first;
//! tabs for the state, filters for service, bucket, team, agent and the call dates. Each row opens
//! `/cases/{id}`. Team leaders see their team's, agents their own.

use crate::api::cases::CaseFilter;
use crate::app::{Route, use_auth, use_i18n, use_title};
use crate::components::badges::case_status_badge;
use crate::components::cases::{call_time, money, non_empty};
use crate::components::doc_parts::RouteLink;
use crate::components::fields::SelectField;
use crate::components::paged::{list_body, shown_count};
use crate::components::parts::{Tab, cell, date_input, head, options, tab_bar, txt, with_sub};
use crate::components::status::ErrorBanner;
use crate::components::user_picker::UserPicker;
use crate::datetime::{count, long_date};
use crate::hooks::use_paged;
use crate::hooks::use_teams;
use crate::i18n::{K, case_status_key};
use domain::api::User;
use domain::cases::{Bucket, CaseStatus, Service};
use domain::{Action, Role, can};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Cases per page of the queue.
const PAGE: u32 = 50;

#[component]
pub fn CasesPage() -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    use_title(i18n.t(K::CasesTitle));
    let role = auth.user().map(|u| u.role).unwrap_or(Role::Agent);
    // A link (the keep-rate report's drill-down) brings its filter in the address.
    let asked = yew_router::prelude::use_location().and_then(|l| CaseFilter::from_query(l.query_str()));
    let filter =
        use_state(|| asked.unwrap_or(CaseFilter { status: Some(CaseStatus::Pending), ..CaseFilter::default() }));
    let cases =
        use_paged((*filter).clone(), |api, filter, cursor| async move { api.list_cases(&filter, PAGE, cursor).await });

    // Teams for roles that see more than one; agents for roles that may list users.
    let pick_team = can(role, Action::ListTeams) && role != Role::TeamLeader;
    let pick_agent = can(role, Action::ListUsers);
    let teams = use_teams(pick_team);
    // A team leader picks among their own team; the others within the chosen team, or all.
    let own_team = auth.user().and_then(|u| u.team.as_ref().map(|t| t.id));
    let picker_team = if role == Role::TeamLeader { own_team } else { filter.team_id };
    let on_agent = {
        let filter = filter.clone();
        Callback::from(move |user: Option<User>| {
            let agent_id = user.map(|u| u.id);
            if filter.agent_id != agent_id {
                filter.set(CaseFilter { agent_id, ..(*filter).clone() });
            }
        })
    };

    let set = |apply: fn(&mut CaseFilter, String)| {
        let filter = filter.clone();
        Callback::from(move |value: String| {
            let mut next = (*filter).clone();
            apply(&mut next, value);
            filter.set(next);
        })
    };
    let on_date = |apply: fn(&mut CaseFilter, Option<String>)| {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            let mut next = (*filter).clone();
            apply(&mut next, non_empty(e.target_unchecked_into::<HtmlInputElement>().value()));
            filter.set(next);
        })
    };

    let tabs = [
        (Some(CaseStatus::Pending), "pending"),
        (Some(CaseStatus::Approved), "approved"),
        (Some(CaseStatus::Returned), "returned"),
        (None, "all"),
    ]
    .into_iter()
    .map(|(status, name)| {
        let filter = filter.clone();
        Tab {
            name,
            label: status.map_or(i18n.t(K::All), |s| i18n.t(case_status_key(s))).to_owned(),
            active: filter.status == status,
            onclick: Callback::from(move |_| filter.set(CaseFilter { status, ..(*filter).clone() })),
        }
    })
    .collect();
    let tab_bar = tab_bar(i18n.t(K::CaseStatusLabel), tabs, Html::default());

    let all = i18n.t(K::All);
    let service_options = options(all, Service::ALL.iter().map(|s| (s.as_str().to_owned(), s.label().to_owned())));
    let bucket_options = options(all, Bucket::ALL.iter().map(|b| (b.as_str().to_owned(), b.label().to_owned())));
    let team_options = options(all, teams.iter().map(|t| (t.id.to_string(), t.name.clone())));

    // The report's own filters, which the bar above has no field for: named, and cleared at once.
    let drilled = filter.promise.is_some() || filter.result.is_some() || filter.qco_id.is_some();
    let on_clear = {
        let filter = filter.clone();
        Callback::from(move |_: MouseEvent| {
            filter.set(CaseFilter { promise: None, result: None, qco_id: None, ..(*filter).clone() })
        })
    };
    let drill = html! {
        <p class="drill-note" id="cases-drill">
            <span class="muted">{ i18n.t(K::DrillFilter) }</span>
            if let Some(status) = filter.promise {
                { crate::components::promises::promise_badge(i18n.lang, status) }
            }
            if let Some(outcome) = filter.result {
                <span class="chip">{ i18n.t(outcome_key(outcome)) }</span>
            }
            <button type="button" id="cases-drill-clear" class="btn btn-secondary btn-small" onclick={on_clear}>{ i18n.t(K::ClearFilter) }</button>
        </p>
    };
    let filters = html! {
        <div class="case-filters">
            <SelectField id="filter-service" label={i18n.t(K::ServiceLabel)} value={filter.service.clone().unwrap_or_default()}
                options={service_options} on_change={set(|f, v| f.service = non_empty(v))} />
            <SelectField id="filter-bucket" label={i18n.t(K::BucketLabel)} value={filter.bucket.clone().unwrap_or_default()}
                options={bucket_options} on_change={set(|f, v| f.bucket = non_empty(v))} />
            if pick_team {
                <SelectField id="filter-team" label={i18n.t(K::TeamName)} value={filter.team_id.map(|v| v.to_string()).unwrap_or_default()}
                    options={team_options} on_change={set(|f, v| { f.team_id = v.parse().ok(); f.agent_id = None; })} />
            }
            if pick_agent {
                <UserPicker id="filter-agent" label={i18n.t(K::AgentLabel)} role="agent" team_id={picker_team} value={filter.agent_id}
                    on_change={on_agent} />
            }
            { date_input("filter-from", i18n.t(K::CallFrom), filter.from.clone().unwrap_or_default(), on_date(|f, v| f.from = v)) }
            { date_input("filter-to", i18n.t(K::CallTo), filter.to.clone().unwrap_or_default(), on_date(|f, v| f.to = v)) }
        </div>
    };

    let list = &*cases.state;
    let show_agent = role != Role::Agent;
    let mut cols = vec![
        (K::CallTime, false),
        (K::CustomerLabel, false),
        (K::ServiceLabel, false),
        (K::BucketLabel, false),
        (K::BillLabel, true),
        (K::PromiseDate, false),
    ];
    if show_agent {
        cols.push((K::AgentLabel, false));
    }
    cols.push((K::Status, false));
    let lang = i18n.lang;
    let table = list_body(list, i18n.t(K::CasesEmpty), || {
        html! {
            <div class="table-wrap">
                <table class="table" id="cases-table">
                    { head(lang, &cols) }
                    <tbody>
                        { for list.items.iter().map(|c| {
                            let link = html! { <RouteLink to={Route::Case { id: c.id }}>{ c.customer_name.clone() }</RouteLink> };
                            let mut cells = vec![
                                cell("nowrap", txt(call_time(lang, &c.call_at))),
                                cell("", with_sub(link, &c.customer_no)),
                                cell("nowrap", txt(c.service.label())),
                                cell("nowrap", txt(c.bucket.label())),
                                cell("num nowrap", txt(money(lang, c.bill_amount))),
                                cell("nowrap", txt(long_date(lang, &c.promise_date))),
                            ];
                            if show_agent {
                                cells.push(cell("", with_sub(txt(c.agent_name.clone()), &c.agent_username)));
                            }
                            cells.push(cell("", case_status_badge(i18n.lang, c.status)));
                            html! { <tr key={c.id} data-case-id={c.id.to_string()} data-customer-no={c.customer_no.clone()}>{ for cells }</tr> }
                        }) }
                    </tbody>
                </table>
            </div>
        }
    });
    let shown = count(i18n.lang, list.items.len() as i64);
    let load_more = cases.load_more.clone();
    let intro = match role {
        Role::Qco => K::CasesIntroQco,
        Role::Agent => K::CasesIntroAgent,
        Role::TeamLeader => K::CasesIntroTeam,
        _ => K::CasesIntroAll,
    };

    html! {
        <section class="page" data-page="cases">
            <header class="page-head page-head-row">
                <div>
                    <h1>{ i18n.t(K::CasesTitle) }</h1>
                    <p class="muted">{ i18n.t(intro) }</p>
                </div>
                <div class="head-actions">
                    if role == Role::QcCoordinator {
                        <RouteLink to={Route::CaseChecklist} class="btn btn-secondary" id={AttrValue::Static("open-checklist")}>{ i18n.t(K::EditChecklist) }</RouteLink>
                    }
                    if can(role, Action::ViewF19Report) {
                        <RouteLink to={Route::ReportF19} class="btn btn-secondary">{ i18n.t(K::NavReportF19) }</RouteLink>
                    }
                    if can(role, Action::ImportCases) {
                        <RouteLink to={Route::CaseImport} class="btn btn-primary" id={AttrValue::Static("open-import")}>{ i18n.t(K::ImportCases) }</RouteLink>
                    }
                </div>
            </header>
            <section class="card" aria-labelledby="cases-list-title">
                <h2 id="cases-list-title" class="sr-only">{ i18n.t(K::CasesTitle) }</h2>
                { tab_bar }
                if drilled {
                    { drill }
                }
                { filters }
                if let Some(error) = list.error.clone() {
                    <ErrorBanner {error} on_retry={cases.reload.clone()} />
                }
                { table }
                <div class="list-foot">
                    { shown_count(list, &i18n, &shown) }
                    if list.next_cursor.is_some() {
                        <button type="button" id="cases-more" class="btn btn-secondary btn-small"
                            disabled={list.loading_more} onclick={move |_| load_more.emit(())}>
                            { if list.loading_more { i18n.t(K::Loading) } else { i18n.t(K::LoadMore) } }
                        </button>
                    }
                </div>
            </section>
        </section>
    }
}

/// QC's outcome in words (the keep-rate report's rows).
pub fn outcome_key(outcome: domain::promises::QcOutcome) -> K {
    use domain::promises::QcOutcome as O;
    match outcome {
        O::Approved => K::OutcomeApproved,
        O::ReturnedClosed => K::OutcomeReturnedClosed,
        O::ReturnedOpen => K::OutcomeReturnedOpen,
        O::NotValidated => K::OutcomeNotValidated,
    }
}
