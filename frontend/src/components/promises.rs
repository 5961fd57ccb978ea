//! A case's promise to pay and what came of it (issue 16): its status, due day, the amount paid
//! against the amount promised, and the payments that decided it.

use crate::components::cases::{call_time, money};
use crate::components::parts::{fact, head, table, txt};
use crate::datetime::long_date;
use crate::i18n::{K, Lang, t};
use domain::promises::{CasePromise, PaymentKind, PromiseStatus};
use yew::prelude::*;

/// `Ditepati` / `Ingkar` / `Menunggu`.
pub fn promise_badge(lang: Lang, status: PromiseStatus) -> Html {
    let key = match status {
        PromiseStatus::Kept => K::PromiseKept,
        PromiseStatus::Broken => K::PromiseBroken,
        PromiseStatus::Pending => K::PromisePending,
    };
    html! { <span class="status-badge promise-status" data-status={format!("promise-{}", status.as_str())}>{ t(lang, key) }</span> }
}

/// The case page's card.
pub fn promise_card(lang: Lang, promise: &CasePromise) -> Html {
    let share = if promise.promised_amount > 0 {
        (promise.paid_amount.saturating_mul(100) / promise.promised_amount).clamp(0, 100)
    } else {
        100
    };
    let rows = [
        fact(t(lang, K::PromiseStatusLabel), "promise-status", promise_badge(lang, promise.status)),
        fact(t(lang, K::PromiseDue), "promise-due", txt(long_date(lang, &promise.due_date))),
        fact(t(lang, K::PromisePromised), "promise-promised", txt(money(lang, promise.promised_amount))),
        fact(
            t(lang, K::PromisePaid),
            "promise-paid",
            html! {
                <span class="promise-paid">
                    <span id="promise-paid">{ money(lang, promise.paid_amount) }</span>
                    // A `progress` element: the page's CSP allows no inline style to draw a bar with.
                    <progress class="meter" max="100" value={share.to_string()} aria-label={format!("{share}%")}></progress>
                </span>
            },
        ),
    ];
    let payments = promise.payments.iter().map(|p| {
        let kind = match p.kind {
            PaymentKind::Payment => K::PaymentKindPayment,
            PaymentKind::Reversal => K::PaymentKindReversal,
        };
        html! {
            <tr data-ref={p.payment_ref.clone()} data-kind={p.kind.as_str()}>
                <td class="nowrap">{ p.payment_ref.clone() }</td>
                <td>{ call_time(lang, &p.paid_at) }</td>
                <td>{ t(lang, kind) }</td>
                <td class="num nowrap">{ money(lang, p.amount) }</td>
            </tr>
        }
    });
    let cols =
        [(K::PaymentRef, false), (K::PaymentPaidAt, false), (K::PaymentKindLabel, false), (K::PaymentAmount, true)];
    html! {
        <section class="card" aria-labelledby="promise-title" id="promise-card" data-status={promise.status.as_str()}>
            <h2 id="promise-title" class="card-title">{ t(lang, K::PromiseTitle) }</h2>
            <dl class="facts">{ for rows }</dl>
            if promise.payments.is_empty() {
                <p class="muted small" id="promise-no-payments">{ t(lang, K::PromiseNoPayments) }</p>
            } else {
                { table("table", Some("promise-payments"), head(lang, &cols), payments.collect::<Html>()) }
            }
        </section>
    }
}
