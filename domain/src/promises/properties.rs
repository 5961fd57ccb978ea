//! Property tests of [`evaluate`]: what holds for any promises, payments and reversals of two
//! customers over a few weeks of November 2026.

use super::*;
use crate::dates::Date;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn day(n: u32) -> Date {
    Date::new(2026, 11, 2).unwrap().add_days(i64::from(n))
}

/// Whole hours, so that calls and payments often fall on the same second.
fn time(d: u32, hour: u32) -> SiteTime {
    SiteTime::new(day(d), hour * 3600).unwrap()
}

fn customer(n: u8) -> String {
    format!("C{n}")
}

fn arb_rules() -> impl Strategy<Value = PromiseRules> {
    (THRESHOLD_PCT_RANGE, 0..=5u32).prop_map(|(pct, grace)| PromiseRules::new(pct, grace).unwrap())
}

fn arb_promises() -> impl Strategy<Value = Vec<Promise>> {
    prop::collection::vec((0..2u8, 0..15u32, 0..24u32, 0..8u32, 0..300_000i64), 0..6).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (c, d, h, after, amount))| Promise {
                case_id: i as i64 + 1,
                customer_no: customer(c),
                call_at: time(d, h),
                promise_date: day(d + after),
                amount,
            })
            .collect()
    })
}

/// Payments with distinct references, and reversals of some of them (a few days later).
fn arb_payments() -> impl Strategy<Value = Vec<Payment>> {
    prop::collection::vec((0..2u8, 0..25u32, 0..24u32, 1..200_000i64, prop::option::weighted(0.2, 0..5u32)), 0..10)
        .prop_map(|rows| {
            let mut list = Vec::new();
            for (i, (c, d, h, amount, reversed_after)) in rows.into_iter().enumerate() {
                let payment = Payment {
                    customer_no: customer(c),
                    payment_ref: format!("P{i}"),
                    paid_at: time(d, h),
                    amount,
                    kind: PaymentKind::Payment,
                    channel: None,
                };
                if let Some(after) = reversed_after {
                    let at = time(d + after, h);
                    list.push(Payment { kind: PaymentKind::Reversal, paid_at: at, amount: -amount, ..payment.clone() });
                }
                list.push(payment);
            }
            list
        })
}

fn arb_extra_payment() -> impl Strategy<Value = Payment> {
    (0..2u8, 0..25u32, 0..24u32, 1..200_000i64).prop_map(|(c, d, h, amount)| Payment {
        customer_no: customer(c),
        payment_ref: "EXTRA".into(),
        paid_at: time(d, h),
        amount,
        kind: PaymentKind::Payment,
        channel: None,
    })
}

/// The payments no reversal undid.
fn live(payments: &[Payment]) -> Vec<&Payment> {
    let reversed = |p: &Payment| {
        payments.iter().any(|r| {
            r.kind == PaymentKind::Reversal && r.customer_no == p.customer_no && r.payment_ref == p.payment_ref
        })
    };
    payments.iter().filter(|p| p.kind == PaymentKind::Payment && !reversed(p)).collect()
}

fn by_case(outcomes: Vec<PromiseOutcome>) -> BTreeMap<i64, PromiseOutcome> {
    outcomes.into_iter().map(|o| (o.case_id, o)).collect()
}

proptest! {
    #[test]
    fn no_more_is_allocated_than_was_paid_or_promised(
        rules in arb_rules(), promises in arb_promises(), payments in arb_payments(), today in 0..30u32,
    ) {
        let out = evaluate(&rules, &promises, &payments, day(today));
        prop_assert_eq!(out.len(), promises.len());
        let live = live(&payments);
        for c in 0..2 {
            let paid: i64 = live.iter().filter(|p| p.customer_no == customer(c)).map(|p| p.amount).sum();
            let allocated: i64 = promises.iter().zip(&out).filter(|(p, _)| p.customer_no == customer(c)).map(|(_, o)| o.paid_amount).sum();
            prop_assert!(allocated <= paid, "{allocated} > {paid}");
        }
        for (promise, o) in promises.iter().zip(&out) {
            prop_assert!(o.paid_amount <= promise.amount.max(0), "overpaid: {o:?}");
            prop_assert_eq!(o.allocations.iter().map(|a| a.amount).sum::<i64>(), o.paid_amount);
            for a in &o.allocations {
                prop_assert!(a.amount > 0);
                prop_assert!(promise.call_at <= a.paid_at && a.paid_at.day <= o.due_date, "outside the window: {a:?}");
                prop_assert!(live.iter().any(|p| p.payment_ref == a.payment_ref && p.customer_no == promise.customer_no));
            }
        }
        for p in &live {
            let given: i64 = out.iter().flat_map(|o| &o.allocations).filter(|a| a.payment_ref == p.payment_ref).map(|a| a.amount).sum();
            prop_assert!(given <= p.amount, "{} gave {given} of {}", p.payment_ref, p.amount);
        }
    }

    /// Money goes to the oldest call first, and is left over only when every promise it could
    /// have gone to is paid in full (the overpayment rule).
    #[test]
    fn money_goes_oldest_first_and_is_left_only_when_nothing_lacks_it(
        rules in arb_rules(), promises in arb_promises(), payments in arb_payments(),
    ) {
        let out = evaluate(&rules, &promises, &payments, day(40));
        let open_to = |i: usize, p: &Payment| {
            promises[i].customer_no == p.customer_no && promises[i].call_at <= p.paid_at && p.paid_at.day <= out[i].due_date
        };
        let full = |i: usize| out[i].paid_amount >= promises[i].amount;
        for p in live(&payments) {
            let given: Vec<usize> = (0..promises.len())
                .filter(|&i| out[i].allocations.iter().any(|a| a.payment_ref == p.payment_ref && open_to(i, p)))
                .collect();
            let total: i64 = given.iter().flat_map(|&i| &out[i].allocations).filter(|a| a.payment_ref == p.payment_ref).map(|a| a.amount).sum();
            if total < p.amount {
                for i in (0..promises.len()).filter(|&i| open_to(i, p)) {
                    prop_assert!(full(i), "{} kept money back from case {}", p.payment_ref, promises[i].case_id);
                }
            }
            for &j in &given {
                let older = |i: usize| (promises[i].call_at, promises[i].case_id) < (promises[j].call_at, promises[j].case_id);
                for i in (0..promises.len()).filter(|&i| open_to(i, p) && older(i)) {
                    prop_assert!(full(i), "{} went to case {} before the older case {}", p.payment_ref, promises[j].case_id, promises[i].case_id);
                }
            }
        }
    }

    #[test]
    fn the_order_of_the_inputs_does_not_matter(
        rules in arb_rules(),
        (promises, shuffled_promises) in arb_promises().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
        (payments, shuffled_payments) in arb_payments().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
        today in 0..30u32,
    ) {
        let once = evaluate(&rules, &promises, &payments, day(today));
        prop_assert_eq!(&once, &evaluate(&rules, &promises, &payments, day(today)));
        prop_assert_eq!(by_case(once), by_case(evaluate(&rules, &shuffled_promises, &shuffled_payments, day(today))));
    }

    #[test]
    fn a_status_follows_from_the_day_it_was_reached(
        rules in arb_rules(), promises in arb_promises(), payments in arb_payments(), today in 0..30u32, later in 0..10u32,
    ) {
        let now = evaluate(&rules, &promises, &payments, day(today));
        for o in &now {
            let status = match o.reached_on {
                Some(d) if d <= day(today) => PromiseStatus::Kept,
                _ if day(today) > o.due_date => PromiseStatus::Broken,
                _ => PromiseStatus::Pending,
            };
            prop_assert_eq!(o.status, status);
            prop_assert_eq!(o.reached_on.is_some(), rules.reached(o.paid_amount, o.promised_amount));
            if let Some(d) = o.reached_on {
                prop_assert!(d <= o.due_date);
            }
        }
        // Time only settles promises: kept and broken stay so.
        let then = evaluate(&rules, &promises, &payments, day(today + later));
        for (a, b) in now.iter().zip(&then) {
            if a.status != PromiseStatus::Pending {
                prop_assert_eq!(a.status, b.status);
            }
        }
    }

    #[test]
    fn a_new_payment_never_breaks_a_kept_promise(
        rules in arb_rules(), promises in arb_promises(), payments in arb_payments(), extra in arb_extra_payment(), today in 0..30u32,
    ) {
        let before = evaluate(&rules, &promises, &payments, day(today));
        let mut more = payments.clone();
        more.push(extra);
        let after = evaluate(&rules, &promises, &more, day(today));
        for (b, a) in before.iter().zip(&after) {
            prop_assert!(a.paid_amount >= b.paid_amount, "case {} lost money: {} → {}", b.case_id, b.paid_amount, a.paid_amount);
            if b.status == PromiseStatus::Kept {
                prop_assert_eq!(a.status, PromiseStatus::Kept);
            }
        }
    }

    #[test]
    fn a_new_reversal_never_keeps_a_broken_promise(
        rules in arb_rules(), promises in arb_promises(), payments in arb_payments(), pick in any::<prop::sample::Index>(), today in 0..30u32,
    ) {
        let before = evaluate(&rules, &promises, &payments, day(today));
        let mut more = payments.clone();
        if !payments.is_empty() {
            let undone = pick.get(&payments);
            more.push(Payment { kind: PaymentKind::Reversal, ..undone.clone() });
        }
        let after = evaluate(&rules, &promises, &more, day(today));
        for (b, a) in before.iter().zip(&after) {
            prop_assert!(a.paid_amount <= b.paid_amount, "case {} gained money: {} → {}", b.case_id, b.paid_amount, a.paid_amount);
            if b.status == PromiseStatus::Broken {
                prop_assert_eq!(a.status, PromiseStatus::Broken);
            }
        }
    }
}
