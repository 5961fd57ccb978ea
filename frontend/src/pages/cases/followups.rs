//! `/followups`: the W-03 follow-ups of RETURNs. Agents see "Return saya" (their own, the ones
//! waiting for them first, overdue on top), team leaders their team's with ages and the overdue
//! count, QC all of them with a tab for the re-cared ones waiting for verification. Each row shows
//! the agent's due date and, while it waits for QC, QC's deadline; the agent's "overdue" and
//! QC's "verification overdue" are marked, counted and filtered apart. The list asks
//! again every 20 seconds, so a new RETURN shows up without a reload. Also here: the agent's badge
//! in the navigation and the landing page's card.

use crate::api::MAX_LIMIT;
use crate::api::cases::FollowupFilter;
use crate::app::{Route, use_auth, use_i18n, use_title};
use crate::components::badges::{followup_status_badge, overdue_mark, verify_overdue_mark};
use crate::components::cases::age_days;
use crate::components::doc_parts::RouteLink;
use crate::components::parts::{Tab, cell, head, tab_bar, txt, with_sub};
use crate::components::status::{ErrorBanner, Loading};
use crate::datetime::{count, short_date};
use crate::hooks::POLL_MS;
use crate::hooks::{use_poll, use_quiet_fetch};
use crate::i18n::{K, Lang, followup_status_key, t, tf};
use domain::cases::{AgentFollowupCounts, Followup, FollowupStatus};
use domain::{Action, Role, can};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Waiting for the agent first (overdue on top, earliest due first), then waiting for QC (past
/// its deadline on top), then done.
pub fn sort_for_work(items: &mut [Followup]) {
    items.sort_by(|a, b| {
        let rank = |f: &Followup| match f.status {
            s if s.awaits_agent() && f.overdue => 0,
            s if s.awaits_agent() => 1,
            FollowupStatus::Recared if f.verify_overdue => 2,
            FollowupStatus::Recared => 3,
            _ => 4,
        };
        rank(a).cmp(&rank(b)).then_with(|| a.due_at.cmp(&b.due_at)).then_with(|| a.id.cmp(&b.id))
    });
}

/// The filter a link puts in the address (`?open=true`, `?overdue=true`, `?status=recared`),
/// if it puts one.
fn asked(query: &str) -> Option<FollowupFilter> {
    let flag = |key: &str| crate::api::query_value(query, key) == Some("true");
    let f = FollowupFilter {
        status: crate::api::query_value(query, "status").and_then(|s| s.parse().ok()),
        open: flag("open"),
        overdue: flag("overdue"),
        verify_overdue: flag("verify_overdue"),
        ..FollowupFilter::default()
    };
    (f.status.is_some() || f.open || f.overdue || f.verify_overdue).then_some(f)
}

#[component]
pub fn FollowupsPage() -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    let role = auth.user().map(|u| u.role).unwrap_or(Role::Agent);
    let (title, intro) = match role {
        Role::Agent => (K::MyReturnsTitle, K::MyReturnsIntro),
        Role::TeamLeader => (K::TeamReturnsTitle, K::TeamReturnsIntro),
        _ => (K::FollowupsTitle, K::FollowupsIntro),
    };
    use_title(i18n.t(title));
    let verifier = can(role, Action::VerifyFollowups);
    // A link from the inbox or a home card brings its filter in the address.
    let asked = yew_router::prelude::use_location().and_then(|l| asked(l.query_str()));
    let filter = use_state(|| {
        asked.unwrap_or(FollowupFilter {
            status: verifier.then_some(FollowupStatus::Recared),
            ..FollowupFilter::default()
        })
    });
    // The summary is polled; the list is asked again when the summary says something changed
    // (and every few polls anyway, for follow-ups that become overdue by the clock alone).
    let tick = use_poll(POLL_MS);
    let summary = use_quiet_fetch(tick, |api, _| async move { api.followup_summary().await });
    let changed = match &*summary.state {
        Some(Ok(s)) => s.changed_at.clone(),
        _ => None,
    };
    // Pages shown so far ("load more" adds one); each refresh asks for all of them again, so the
    // list stays one consistent, ordered whole while it changes underneath.
    let pages = use_state(|| 1usize);
    let list =
        use_quiet_fetch(((*filter).clone(), *pages, changed, tick / 6), |api, (filter, pages, _, _)| async move {
            let mut all = api.list_followups(&filter, MAX_LIMIT, None).await?;
            for _ in 1..pages {
                let Some(cursor) = all.next_cursor.take() else { break };
                let next = api.list_followups(&filter, MAX_LIMIT, Some(cursor)).await?;
                all.items.extend(next.items);
                all.next_cursor = next.next_cursor;
            }
            Ok(all)
        });
    let per_agent = match &*summary.state {
        Some(Ok(s)) if role != Role::Agent && !s.per_agent.is_empty() => per_agent(i18n.lang, &s.per_agent),
        _ => Html::default(),
    };

    // "Waiting for the agent" is open and reopened together (what an agent's inbox counts).
    let tabs = [
        (None, false, "all"),
        (None, true, "waiting"),
        (Some(FollowupStatus::Open), false, "open"),
        (Some(FollowupStatus::Reopened), false, "reopened"),
        (Some(FollowupStatus::Recared), false, "recared"),
        (Some(FollowupStatus::Closed), false, "closed"),
    ]
    .into_iter()
    .map(|(status, open, name)| {
        let (filter, pages) = (filter.clone(), pages.clone());
        let label = match status {
            None if open => i18n.t(K::TabWaitingForAgent),
            None => i18n.t(K::All),
            Some(FollowupStatus::Recared) if verifier => i18n.t(K::AwaitingVerification),
            Some(s) => i18n.t(followup_status_key(s)),
        };
        Tab {
            name,
            label: label.to_owned(),
            active: filter.status == status && filter.open == open,
            onclick: Callback::from(move |_| {
                pages.set(1);
                filter.set(FollowupFilter { status, open, ..(*filter).clone() });
            }),
        }
    })
    .collect();
    let overdue_check = html! {
        <>
            <label class="tab-check" for="filter-overdue">
                <input type="checkbox" id="filter-overdue" checked={filter.overdue}
                    onchange={let (f, pages) = (filter.clone(), pages.clone()); move |e: Event| {
                        let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                        pages.set(1);
                        f.set(FollowupFilter { overdue: on, ..(*f).clone() });
                    }} />
                { i18n.t(K::OverdueOnly) }
            </label>
            if role != Role::Agent {
                <label class="tab-check" for="filter-verify-overdue">
                    <input type="checkbox" id="filter-verify-overdue" checked={filter.verify_overdue}
                        onchange={let (f, pages) = (filter.clone(), pages.clone()); move |e: Event| {
                            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                            pages.set(1);
                            f.set(FollowupFilter { verify_overdue: on, ..(*f).clone() });
                        }} />
                    { i18n.t(K::VerifyOverdueOnly) }
                </label>
            }
        </>
    };
    let tab_bar = tab_bar(i18n.t(K::Status), tabs, overdue_check);

    let show_agent = role != Role::Agent;
    let body = match &*list.state {
        None => html! { <Loading /> },
        Some(Err(error)) => html! { <ErrorBanner error={error.clone()} on_retry={list.reload.clone()} /> },
        Some(Ok(page)) => {
            let mut items = page.items.clone();
            sort_for_work(&mut items);
            let overdue = items.iter().filter(|f| f.overdue).count();
            let verify_overdue = items.iter().filter(|f| f.verify_overdue).count();
            let waiting = items.iter().filter(|f| f.status.awaits_agent()).count();
            let summary = html! {
                <div class="followup-stats" id="followup-stats">
                    <span data-stat="waiting"><strong>{ count(i18n.lang, waiting as i64) }</strong>{ " " }{ i18n.t(K::WaitingForAgent) }</span>
                    <span data-stat="overdue" class={classes!((overdue > 0).then_some("is-overdue"))}>
                        <strong id="overdue-count">{ count(i18n.lang, overdue as i64) }</strong>{ " " }{ i18n.t(K::OverdueCount) }
                    </span>
                    if role != Role::Agent {
                        <span data-stat="verify-overdue" class={classes!((verify_overdue > 0).then_some("is-overdue"))}>
                            <strong id="verify-overdue-count">{ count(i18n.lang, verify_overdue as i64) }</strong>{ " " }{ i18n.t(K::VerifyOverdueCount) }
                        </span>
                    }
                    if page.next_cursor.is_some() {
                        <span class="muted small">{ i18n.tf(K::ShowingCountMore, &[&count(i18n.lang, items.len() as i64)]) }</span>
                    }
                </div>
            };
            if items.is_empty() {
                html! { <>{ summary }<p class="empty" id="followups-empty">{ i18n.t(K::FollowupsEmpty) }</p></> }
            } else {
                let lang = i18n.lang;
                let mut cols = vec![(K::CustomerLabel, false)];
                if show_agent {
                    cols.push((K::AgentLabel, false));
                }
                cols.extend([
                    (K::RecommendationLabel, false),
                    (K::Status, false),
                    (K::OpenedOn, false),
                    (K::DueOn, false),
                    (K::AgeDays, true),
                ]);
                html! {
                    <>
                        { summary }
                        <div class="table-wrap">
                            <table class="table" id="followups-table">
                                { head(lang, &cols) }
                                <tbody>
                                    { for items.iter().map(|f| {
                                        let link = html! { <RouteLink to={Route::Followup { id: f.id }}>{ f.customer_name.clone() }</RouteLink> };
                                        let mut cells = vec![cell("", with_sub(link, &f.customer_no))];
                                        if show_agent {
                                            cells.push(cell("", with_sub(txt(f.agent_name.clone()), &f.agent_username)));
                                        }
                                        let due = if f.overdue {
                                            html! { <>{ short_date(&f.due_at) }{ " " }{ overdue_mark(lang) }</> }
                                        } else {
                                            txt(short_date(&f.due_at))
                                        };
                                        // Under the agent's due date, QC's deadline while the follow-up waits for QC.
                                        let verify_due = f.verify_due_at.as_ref().map(|at| html! {
                                            <span class="cell-sub verify-due" title={t(lang, K::VerifyDueOn)}>
                                                { tf(lang, K::QcDueShort, &[&short_date(at)]) }
                                                if f.verify_overdue { <br />{ verify_overdue_mark(lang) } }
                                            </span>
                                        });
                                        cells.extend([
                                            html! { <td class="clip" title={f.recommendation.clone()}>{ f.recommendation.clone() }</td> },
                                            cell("", followup_status_badge(i18n.lang, f.status)),
                                            cell("nowrap", txt(short_date(&f.opened_at))),
                                            html! { <td class="nowrap" data-col="due">{ due }{ for verify_due }</td> },
                                            cell("num", txt(age_days(&f.opened_at).to_string())),
                                        ]);
                                        let row_class = if f.overdue {
                                            "row-overdue"
                                        } else if f.verify_overdue {
                                            "row-verify-overdue"
                                        } else {
                                            ""
                                        };
                                        html! {
                                            <tr key={f.id} data-followup-id={f.id.to_string()} data-status={f.status.as_str()}
                                                data-verify-overdue={f.verify_overdue.to_string()}
                                                data-customer-no={f.customer_no.clone()} class={row_class}>{ for cells }</tr>
                                        }
                                    }) }
                                </tbody>
                            </table>
                        </div>
                        if page.next_cursor.is_some() {
                            <button id="load-more" type="button" class="btn btn-secondary"
                                onclick={let pages = pages.clone(); move |_| pages.set(*pages + 1)}>{ i18n.t(K::LoadMore) }</button>
                        }
                    </>
                }
            }
        }
    };

    html! {
        <section class="page" data-page="followups">
            <header class="page-head">
                <h1>{ i18n.t(title) }</h1>
                <p class="muted">{ i18n.t(intro) }</p>
            </header>
            <section class="card" aria-labelledby="followups-list-title">
                <h2 id="followups-list-title" class="sr-only">{ i18n.t(title) }</h2>
                { tab_bar }
                { body }
                <p class="muted small">{ i18n.t(K::AutoRefresh) }</p>
            </section>
            { per_agent }
        </section>
    }
}

/// For team leaders and QC: who has how many waiting, how many overdue, how many wait for QC
/// (and how many of those past QC's deadline), and since when.
fn per_agent(lang: Lang, counts: &[AgentFollowupCounts]) -> Html {
    let n = |v: u64| txt(count(lang, v as i64));
    let cols = [
        (K::AgentLabel, false),
        (K::FollowupStatusOpen, true),
        (K::Overdue, true),
        (K::AwaitingVerification, true),
        (K::VerifyOverdue, true),
        (K::OldestOpenDays, true),
    ];
    html! {
        <section class="card" aria-labelledby="per-agent-title" data-section="per-agent">
            <h2 id="per-agent-title" class="card-title">{ t(lang, K::PerAgentTitle) }</h2>
            <div class="table-wrap">
                <table class="table" id="per-agent-table">
                    { head(lang, &cols) }
                    <tbody>
                        { for counts.iter().map(|a| html! {
                            <tr key={a.agent_id} data-agent={a.agent_username.clone()}>
                                { cell("", with_sub(txt(a.agent_name.clone()), &a.agent_username)) }
                                { cell("num", n(a.open)) }
                                { cell(if a.overdue > 0 { "num is-overdue" } else { "num" }, n(a.overdue)) }
                                { cell("num", n(a.recared)) }
                                { cell(if a.verify_overdue > 0 { "num is-overdue" } else { "num" }, n(a.verify_overdue)) }
                                { cell("num", txt(a.oldest_open_at.as_deref().map_or_else(|| t(lang, K::NoneDash).to_owned(), |at| age_days(at).to_string()))) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn followup(id: i64, status: FollowupStatus, overdue: bool, due: &str) -> Followup {
        followup_qc(id, status, overdue, false, due)
    }

    fn followup_qc(id: i64, status: FollowupStatus, overdue: bool, verify_overdue: bool, due: &str) -> Followup {
        Followup {
            id,
            case_id: id,
            agent_id: 1,
            agent_username: "agent1".into(),
            agent_name: "Agent".into(),
            team_id: None,
            customer_no: "1".into(),
            customer_name: "C".into(),
            recommendation: "r".into(),
            status,
            opened_at: "2026-11-01T00:00:00Z".into(),
            due_at: due.into(),
            overdue,
            verify_due_at: status.awaits_qc().then(|| due.into()),
            verify_overdue,
            late_recares: 0,
            late_verifications: 0,
            last_comment: None,
            closed_at: None,
            closed_in_time: None,
            history: Vec::new(),
            version: 1,
        }
    }

    #[test]
    fn work_order_puts_overdue_waiting_ones_first() {
        let mut items = vec![
            followup(1, FollowupStatus::Closed, false, "2026-11-01T00:00:00Z"),
            followup(2, FollowupStatus::Recared, false, "2026-11-01T00:00:00Z"),
            followup(3, FollowupStatus::Open, false, "2026-11-05T00:00:00Z"),
            followup(4, FollowupStatus::Reopened, false, "2026-11-03T00:00:00Z"),
            followup(5, FollowupStatus::Open, true, "2026-11-02T00:00:00Z"),
            followup_qc(6, FollowupStatus::Recared, false, true, "2026-11-04T00:00:00Z"),
        ];
        sort_for_work(&mut items);
        assert_eq!(items.iter().map(|f| f.id).collect::<Vec<_>>(), vec![5, 4, 3, 6, 2, 1]);
    }
}
