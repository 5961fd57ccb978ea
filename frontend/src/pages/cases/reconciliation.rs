//! `/reports/reconciliation`: what needs a second look in a period — agrees still not validated N
//! days after the call, the same customer agreed more than once, and promised dates later than the
//! bucket allows.

use crate::app::{Route, use_i18n, use_title};
use crate::components::badges::case_status_badge;
use crate::components::cases::{call_time, money, month_start};
use crate::components::doc_parts::RouteLink;
use crate::components::parts::{cell, date_input, head, txt, with_sub};
use crate::components::status::{ErrorBanner, Loading};
use crate::datetime::{count, long_date, parse_rfc3339, to_site};
use crate::hooks::{Load, use_fetch};
use crate::i18n::{K, Lang, t, tf};
use domain::cases::{Case, Reconciliation};
use domain::dates::Date;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The latest promise date the bucket allows for the case's call (site day), as `YYYY-MM-DD`.
pub fn allowed_promise(case: &Case) -> Option<String> {
    let w = to_site(parse_rfc3339(&case.call_at)?);
    let day = Date::parse(&format!("{:04}-{:02}-{:02}", w.year, w.month, w.day))?;
    Some(case.bucket.latest_promise(day).to_string())
}

#[derive(Debug, Clone, PartialEq)]
struct Query {
    from: String,
    to: String,
    days: u32,
}

#[component]
pub fn ReconciliationPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::ReconciliationTitle));
    let draft = use_state(|| Query { from: month_start(), to: crate::datetime::today_plus(0), days: 2 });
    let query = use_state(|| (*draft).clone());
    let data = use_fetch((*query).clone(), |api, q| async move { api.reconciliation(&q.from, &q.to, q.days).await });

    let on_field = |apply: fn(&mut Query, String)| {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut next = (*draft).clone();
            apply(&mut next, e.target_unchecked_into::<HtmlInputElement>().value());
            draft.set(next);
        })
    };
    let onsubmit = {
        let (draft, query) = (draft.clone(), query.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            query.set((*draft).clone());
        })
    };
    let body = match &*data.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={data.reload.clone()} /> },
        Load::Ready(r) => sections(i18n.lang, r, query.days),
    };
    html! {
        <section class="page" data-page="reconciliation">
            <header class="page-head">
                <p class="eyebrow"><RouteLink to={Route::ReportF19}>{ i18n.t(K::NavReportF19) }</RouteLink>{ " / " }{ i18n.t(K::ReconciliationTitle) }</p>
                <h1>{ i18n.t(K::ReconciliationTitle) }</h1>
                <p class="muted">{ i18n.t(K::ReconciliationIntro) }</p>
            </header>
            <section class="card">
                <form class="toolbar" {onsubmit}>
                    { date_input("recon-from", i18n.t(K::PeriodFrom), draft.from.clone(), on_field(|q, v| q.from = v)) }
                    { date_input("recon-to", i18n.t(K::PeriodTo), draft.to.clone(), on_field(|q, v| q.to = v)) }
                    <div class="field field-narrow">
                        <label for="recon-days">{ i18n.t(K::DaysWithoutValidation) }</label>
                        <input id="recon-days" type="number" min="0" max="365" value={draft.days.to_string()}
                            onchange={on_field(|q, v| q.days = v.trim().parse().unwrap_or(q.days))} />
                    </div>
                    <button type="submit" id="recon-show" class="btn btn-secondary">{ i18n.t(K::ShowReport) }</button>
                </form>
            </section>
            { body }
        </section>
    }
}

/// A customer's name linking to the case, the number under it.
fn case_link(c: &Case) -> Html {
    with_sub(html! { <RouteLink to={Route::Case { id: c.id }}>{ c.customer_name.clone() }</RouteLink> }, &c.customer_no)
}

/// One section: its title with the count, and the table (or "nothing to check").
fn section(lang: Lang, id: &'static str, title: String, n: usize, cols: &[(K, bool)], rows: Vec<Html>) -> Html {
    html! {
        <section class="card" aria-labelledby={format!("{id}-title")} data-section={id}>
            <h2 id={format!("{id}-title")} class="card-title">{ title }<span class="count-pill" data-count={n.to_string()}>{ count(lang, n as i64) }</span></h2>
            if n == 0 {
                <p class="empty">{ t(lang, K::NothingToCheck) }</p>
            } else {
                <div class="table-wrap">
                    <table class="table" id={format!("recon-{id}")}>
                        { head(lang, cols) }
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}

fn sections(lang: Lang, d: &Reconciliation, days: u32) -> Html {
    let unvalidated = d.unvalidated.iter().map(|c| {
        html! {
            <tr key={c.id} data-case-id={c.id.to_string()}>
                { cell("nowrap", txt(call_time(lang, &c.call_at))) }
                { cell("", case_link(c)) }
                { cell("", txt(c.agent_name.clone())) }
                { cell("", txt(c.service.label())) }
                { cell("", txt(c.bucket.label())) }
                { cell("num nowrap", txt(money(lang, c.bill_amount))) }
            </tr>
        }
    });
    let repeated = d.repeated_customers.iter().map(|r| html! {
        <tr key={r.customer_no.clone()} data-customer-no={r.customer_no.clone()}>
            { cell("mono", txt(r.customer_no.clone())) }
            { cell("", txt(r.customer_name.clone())) }
            { cell("num", txt(count(lang, r.agrees as i64))) }
            <td class="case-links">
                { for r.case_ids.iter().map(|id| html! { <RouteLink to={Route::Case { id: *id }}>{ format!("#{id}") }</RouteLink> }) }
            </td>
        </tr>
    });
    let late = d.late_promises.iter().map(|c| {
        html! {
            <tr key={c.id} data-case-id={c.id.to_string()}>
                { cell("nowrap", txt(call_time(lang, &c.call_at))) }
                { cell("", case_link(c)) }
                { cell("", txt(c.bucket.label())) }
                { cell("nowrap is-overdue", txt(long_date(lang, &c.promise_date))) }
                { cell("nowrap", txt(allowed_promise(c).map(|d| long_date(lang, &d)).unwrap_or_default())) }
                { cell("", case_status_badge(lang, c.status)) }
            </tr>
        }
    });
    let case_cols = [
        (K::CallTime, false),
        (K::CustomerLabel, false),
        (K::AgentLabel, false),
        (K::ServiceLabel, false),
        (K::BucketLabel, false),
        (K::BillLabel, true),
    ];
    let repeated_cols =
        [(K::CustomerNo, false), (K::CustomerLabel, false), (K::AgreeCount, true), (K::CasesTitle, false)];
    let late_cols = [
        (K::CallTime, false),
        (K::CustomerLabel, false),
        (K::BucketLabel, false),
        (K::PromiseDate, false),
        (K::AllowedPromise, false),
        (K::Status, false),
    ];
    html! {
        <>
            { section(lang, "unvalidated", tf(lang, K::UnvalidatedTitle, &[&days.to_string()]), d.unvalidated.len(), &case_cols, unvalidated.collect()) }
            { section(lang, "repeated", t(lang, K::RepeatedTitle).to_owned(), d.repeated_customers.len(), &repeated_cols, repeated.collect()) }
            { section(lang, "late-promises", t(lang, K::LatePromisesTitle).to_owned(), d.late_promises.len(), &late_cols, late.collect()) }
        </>
    }
}
