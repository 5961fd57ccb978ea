//! Table tests of the promise rules and the payment row check, on November 2026 (the 2nd a
//! Monday, the 6th a Friday). Over 400 lines on purpose: one table per rule, each read on its own.

use super::*;
use crate::dates::Date;
use crate::problems::Problem;

/// WIB, seconds east of UTC.
const WIB: i32 = 7 * 3600;

fn d(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn at(text: &str) -> SiteTime {
    SiteTime::parse(text, WIB).unwrap()
}

fn promise(case_id: i64, call_at: &str, promise_date: &str, amount: i64) -> Promise {
    Promise { case_id, customer_no: "C1".into(), call_at: at(call_at), promise_date: d(promise_date), amount }
}

fn pay(payment_ref: &str, paid_at: &str, amount: i64) -> Payment {
    Payment {
        customer_no: "C1".into(),
        payment_ref: payment_ref.into(),
        paid_at: at(paid_at),
        amount,
        kind: PaymentKind::Payment,
        channel: None,
    }
}

fn reversal(payment_ref: &str, paid_at: &str) -> Payment {
    Payment { kind: PaymentKind::Reversal, amount: 0, ..pay(payment_ref, paid_at, 0) }
}

/// An outcome in brief: case, status, paid, and each allocation as (ref, amount).
type Brief = (i64, PromiseStatus, i64, Vec<(String, i64)>);

fn summary(outcomes: &[PromiseOutcome]) -> Vec<Brief> {
    outcomes
        .iter()
        .map(|o| {
            let refs = o.allocations.iter().map(|a| (a.payment_ref.clone(), a.amount)).collect();
            (o.case_id, o.status, o.paid_amount, refs)
        })
        .collect()
}

fn refs(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    list.iter().map(|(r, a)| (r.to_string(), *a)).collect()
}

use PromiseStatus::*;

#[test]
fn payments_go_to_the_oldest_call_first_across_two_promises() {
    let rules = PromiseRules::default();
    let promises =
        [promise(2, "2026-11-03 11:00", "2026-11-10", 200_000), promise(1, "2026-11-02 09:00", "2026-11-06", 300_000)];
    let payments = [pay("A", "2026-11-04 08:00", 250_000), pay("B", "2026-11-05 08:00", 250_000)];
    let out = evaluate(&rules, &promises, &payments, d("2026-11-05"));
    assert_eq!(
        summary(&out),
        [(2, Kept, 200_000, refs(&[("B", 200_000)])), (1, Kept, 300_000, refs(&[("A", 250_000), ("B", 50_000)])),],
        "outcomes in the order given; A fills the older promise first, B the rest"
    );
    assert_eq!(out[1].reached_on, Some(d("2026-11-05")));
    assert_eq!(out[1].due_date, d("2026-11-06"));
}

#[test]
fn partial_payments_add_up_and_overpayment_is_allocated_to_none() {
    let rules = PromiseRules::default();
    let promises = [promise(1, "2026-11-02 09:00", "2026-11-06", 300_000)];
    let partial = [pay("A", "2026-11-03 10:00", 100_000), pay("B", "2026-11-04 10:00", 100_000)];
    let out = evaluate(&rules, &promises, &partial, d("2026-11-05"));
    assert_eq!(summary(&out), [(1, Pending, 200_000, refs(&[("A", 100_000), ("B", 100_000)]))]);
    let out = evaluate(&rules, &promises, &partial, d("2026-11-07"));
    assert_eq!(out[0].status, Broken, "two thirds by the due day is not kept");

    let more = [partial[0].clone(), partial[1].clone(), pay("C", "2026-11-06 23:59", 150_000)];
    let out = evaluate(&rules, &promises, &more, d("2026-11-09"));
    assert_eq!(
        summary(&out),
        [(1, Kept, 300_000, refs(&[("A", 100_000), ("B", 100_000), ("C", 100_000)]))],
        "the last 50,000 of C goes to no promise: none shows more than was promised"
    );
}

#[test]
fn a_threshold_below_100_keeps_a_promise_paid_in_part() {
    let promises = [promise(1, "2026-11-02 09:00", "2026-11-06", 333_333)];
    let ninety = PromiseRules::new(90, 0).unwrap();
    let just_short = [pay("A", "2026-11-03 10:00", 299_999)];
    assert_eq!(evaluate(&ninety, &promises, &just_short, d("2026-11-09"))[0].status, Broken);
    let enough = [pay("A", "2026-11-03 10:00", 300_000)];
    assert_eq!(evaluate(&ninety, &promises, &enough, d("2026-11-09"))[0].status, Kept, "90 % of 333,333 rounds up");
    assert_eq!(evaluate(&PromiseRules::default(), &promises, &enough, d("2026-11-09"))[0].status, Broken);
    // A promise kept at 90 % still takes what it lacks before the next one gets anything.
    let two = [promises[0].clone(), promise(2, "2026-11-02 10:00", "2026-11-06", 100_000)];
    let out = evaluate(&ninety, &two, &[pay("A", "2026-11-03 10:00", 383_333)], d("2026-11-09"));
    assert_eq!(
        summary(&out),
        [(1, Kept, 333_333, refs(&[("A", 333_333)])), (2, Broken, 50_000, refs(&[("A", 50_000)]))]
    );
}

#[test]
fn grace_days_are_working_days_and_skip_the_weekend() {
    // Promised for Friday the 6th with 2 working days of grace: due Tuesday the 10th.
    let rules = PromiseRules::new(100, 2).unwrap();
    let promises = [promise(1, "2026-11-02 09:00", "2026-11-06", 100_000)];
    assert_eq!(rules.due_date(d("2026-11-06")), d("2026-11-10"));
    let on_tuesday = [pay("A", "2026-11-10 20:00", 100_000)];
    let out = evaluate(&rules, &promises, &on_tuesday, d("2026-11-10"));
    assert_eq!((out[0].status, out[0].due_date), (Kept, d("2026-11-10")), "a payment on the due day counts");
    let on_wednesday = [pay("A", "2026-11-11 08:00", 100_000)];
    assert_eq!(evaluate(&rules, &promises, &on_wednesday, d("2026-11-10"))[0].status, Pending);
    assert_eq!(evaluate(&rules, &promises, &on_wednesday, d("2026-11-11"))[0].status, Broken);
    // Without grace, a promise for a Saturday is due that Saturday; one day of grace, Monday.
    assert_eq!(PromiseRules::default().due_date(d("2026-11-07")), d("2026-11-07"));
    assert_eq!(PromiseRules::new(100, 1).unwrap().due_date(d("2026-11-07")), d("2026-11-09"));
}

#[test]
fn a_reversal_turns_a_kept_promise_broken() {
    let rules = PromiseRules::default();
    let promises = [promise(1, "2026-11-02 09:00", "2026-11-06", 100_000)];
    let paid = pay("A", "2026-11-05 10:00", 100_000);
    assert_eq!(evaluate(&rules, &promises, std::slice::from_ref(&paid), d("2026-11-09"))[0].status, Kept);
    // The transfer bounced the week after: the promise was never kept.
    let bounced = [paid.clone(), reversal("A", "2026-11-12 09:00")];
    let out = evaluate(&rules, &promises, &bounced, d("2026-11-12"));
    assert_eq!(summary(&out), [(1, Broken, 0, vec![])]);
    assert_eq!(
        out[0].reversed,
        [ReversedPayment {
            payment_ref: "A".into(),
            paid_at: at("2026-11-05 10:00"),
            amount: 100_000,
            reversed_at: at("2026-11-12 09:00"),
        }]
    );
    // A reversal of another customer's payment, or of no payment, changes nothing.
    let elsewhere = [paid.clone(), Payment { customer_no: "C2".into(), ..reversal("A", "2026-11-12 09:00") }];
    assert_eq!(evaluate(&rules, &promises, &elsewhere, d("2026-11-12"))[0].status, Kept);
    let unknown = [paid, reversal("Z", "2026-11-12 09:00")];
    assert_eq!(evaluate(&rules, &promises, &unknown, d("2026-11-12"))[0].status, Kept);
}

#[test]
fn a_payment_before_the_call_does_not_count() {
    let rules = PromiseRules::default();
    let promises = [promise(1, "2026-11-03 14:30", "2026-11-06", 100_000)];
    let before = [pay("A", "2026-11-03 14:29:59", 100_000)];
    let out = evaluate(&rules, &promises, &before, d("2026-11-09"));
    assert_eq!(summary(&out), [(1, Broken, 0, vec![])]);
    let at_the_call = [pay("A", "2026-11-03 14:30", 100_000)];
    assert_eq!(evaluate(&rules, &promises, &at_the_call, d("2026-11-09"))[0].status, Kept);
    // Times with an offset are compared at the site: 07:30Z is 14:30 WIB.
    let utc = [Payment { paid_at: SiteTime::parse("2026-11-03T07:29:00Z", WIB).unwrap(), ..before[0].clone() }];
    assert_eq!(evaluate(&rules, &promises, &utc, d("2026-11-09"))[0].status, Broken);
}

#[test]
fn pending_until_the_due_day_ends_then_broken() {
    let rules = PromiseRules::default();
    let promises = [promise(1, "2026-11-02 09:00", "2026-11-06", 100_000)];
    for (today, status) in [("2026-11-02", Pending), ("2026-11-06", Pending), ("2026-11-07", Broken)] {
        assert_eq!(evaluate(&rules, &promises, &[], d(today))[0].status, status, "{today}");
    }
    // Paid in the due day's last second: kept.
    let last_second = [pay("A", "2026-11-06 23:59:59", 100_000)];
    assert_eq!(evaluate(&rules, &promises, &last_second, d("2026-11-07"))[0].status, Kept);
    // Kept from the day it was paid, not before: a file dated tomorrow does not keep it today.
    let tomorrow = [pay("A", "2026-11-04 08:00", 100_000)];
    assert_eq!(evaluate(&rules, &promises, &tomorrow, d("2026-11-03"))[0].status, Pending);
    assert_eq!(evaluate(&rules, &promises, &tomorrow, d("2026-11-04"))[0].status, Kept);
    // Paid late: it goes to no promise, and the promise stays broken.
    let late = [pay("A", "2026-11-07 00:00", 100_000)];
    assert_eq!(summary(&evaluate(&rules, &promises, &late, d("2026-11-09"))), [(1, Broken, 0, vec![])]);
}

#[test]
fn a_late_payment_goes_to_the_next_promise_still_open() {
    let rules = PromiseRules::default();
    let promises =
        [promise(1, "2026-11-02 09:00", "2026-11-04", 100_000), promise(2, "2026-11-03 09:00", "2026-11-10", 100_000)];
    let out = evaluate(&rules, &promises, &[pay("A", "2026-11-05 10:00", 100_000)], d("2026-11-05"));
    assert_eq!(summary(&out), [(1, Broken, 0, vec![]), (2, Kept, 100_000, refs(&[("A", 100_000)]))]);
}

#[test]
fn evaluating_is_idempotent_and_ignores_the_order_of_its_inputs() {
    let rules = PromiseRules::new(95, 1).unwrap();
    let promises = vec![
        promise(1, "2026-11-02 09:00", "2026-11-04", 120_000),
        promise(2, "2026-11-02 09:00", "2026-11-06", 80_000),
        Promise { customer_no: "C2".into(), ..promise(3, "2026-11-03 09:00", "2026-11-05", 50_000) },
    ];
    let payments = vec![
        pay("A", "2026-11-03 10:00", 60_000),
        pay("B", "2026-11-03 10:00", 60_000),
        pay("C", "2026-11-05 10:00", 90_000),
        reversal("B", "2026-11-06 10:00"),
        Payment { customer_no: "C2".into(), ..pay("B", "2026-11-04 10:00", 50_000) },
        pay("D", "2026-11-06 10:00", 30_000),
        pay("D", "2026-11-06 10:00", 30_000),
    ];
    let today = d("2026-11-10");
    let first = evaluate(&rules, &promises, &payments, today);
    assert_eq!(first, evaluate(&rules, &promises, &payments, today), "twice, the same");
    let mut shuffled_payments = payments.clone();
    shuffled_payments.reverse();
    shuffled_payments.rotate_left(3);
    let mut shuffled_promises = promises.clone();
    shuffled_promises.reverse();
    let mut again = evaluate(&rules, &shuffled_promises, &shuffled_payments, today);
    again.reverse();
    assert_eq!(first, again, "the same outcomes whatever the order");
    assert_eq!(
        summary(&first),
        [
            // Due the 5th with one day of grace; A and C (not the reversed B) make 120,000.
            (1, Kept, 120_000, refs(&[("A", 60_000), ("C", 60_000)])),
            // Same call time: case 1 first. C's last 30,000 and D once (a repeated reference counts once).
            (2, Broken, 60_000, refs(&[("C", 30_000), ("D", 30_000)])),
            (3, Kept, 50_000, refs(&[("B", 50_000)])),
        ]
    );
}

#[test]
fn a_promise_of_nothing_is_kept_by_the_call() {
    let out =
        evaluate(&PromiseRules::default(), &[promise(1, "2026-11-02 09:00", "2026-11-06", 0)], &[], d("2026-11-02"));
    assert_eq!((out[0].status, out[0].reached_on), (Kept, Some(d("2026-11-02"))));
}

#[test]
fn rules_are_checked_when_made() {
    assert_eq!(PromiseRules::default(), PromiseRules::new(100, 0).unwrap());
    assert_eq!(PromiseRules::new(0, 0), None);
    assert_eq!(PromiseRules::new(101, 0), None);
    assert_eq!(PromiseRules::new(50, GRACE_DAYS_MAX + 1), None);
    let rules = PromiseRules::new(1, GRACE_DAYS_MAX).unwrap();
    assert_eq!((rules.threshold_pct(), rules.grace_days()), (1, GRACE_DAYS_MAX));
    assert!(PromiseRules::default().reached(i64::MAX, i64::MAX), "no overflow");
}

#[test]
fn a_case_shows_its_payments_and_each_reversal_beside_its_payment() {
    let rules = PromiseRules::default();
    let promises = [promise(1, "2026-11-02 09:00", "2026-11-06", 100_000)];
    let payments = [
        pay("A", "2026-11-03 10:00", 100_000),
        reversal("A", "2026-11-04 10:00"),
        pay("B", "2026-11-05 10:00", 40_000),
    ];
    let out = evaluate(&rules, &promises, &payments, d("2026-11-09"));
    let wire = CasePromise::from_outcome(&out[0], |t| format!("{t}+07:00"));
    let json = serde_json::to_value(&wire).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "status": "broken",
            "due_date": "2026-11-06",
            "promised_amount": 100_000,
            "paid_amount": 40_000,
            "payments": [
                {"payment_ref": "A", "paid_at": "2026-11-03T10:00:00+07:00", "amount": 100_000, "kind": "payment"},
                {"payment_ref": "A", "paid_at": "2026-11-04T10:00:00+07:00", "amount": -100_000, "kind": "reversal"},
                {"payment_ref": "B", "paid_at": "2026-11-05T10:00:00+07:00", "amount": 40_000, "kind": "payment"},
            ]
        })
    );
    assert_eq!(wire.payments.iter().map(|p| p.amount).sum::<i64>(), wire.paid_amount);
    assert_eq!(serde_json::from_value::<CasePromise>(json).unwrap(), wire);
}

#[test]
fn the_report_and_the_import_answer_on_the_wire() {
    use crate::metrics::PromiseTally;
    let team = PromiseTally { kept: 1, broken: 2, pending: 4 };
    let row = PromiseReportRow { key: "7".into(), label: "Tim A".into(), counts: team.into() };
    let report = PromiseReport {
        rows: vec![row],
        totals: (team + PromiseTally::promise(Kept)).into(),
        threshold_pct: 100,
        grace_days: 0,
    };
    assert_eq!(
        serde_json::to_value(&report).unwrap(),
        serde_json::json!({
            "rows": [{"key": "7", "label": "Tim A", "kept": 1, "broken": 2, "pending": 4, "keep_rate": 33.33}],
            "totals": {"kept": 2, "broken": 2, "pending": 4, "keep_rate": 50.0},
            "threshold_pct": 100,
            "grace_days": 0,
        })
    );
    // Read back as written: a row's counts beside its key, without `#[serde(flatten)]`'s reader.
    let read: PromiseReport = serde_json::from_value(serde_json::to_value(&report).unwrap()).unwrap();
    assert_eq!(read, report);
    let result = PaymentImportResult {
        import_id: 9,
        imported: 3,
        duplicates: 1,
        reversed: 1,
        unmatched: 0,
        rejected: vec![crate::cases::RejectedRow {
            row: 4,
            error: "amount is not an amount".into(),
            problems: vec![],
            payment_problems: vec![PaymentRowProblem::new(PaymentColumn::Amount, Problem::NotANumber)],
        }],
        rejected_total: 1,
    };
    let json = serde_json::to_value(&result).unwrap();
    assert_eq!(
        json["rejected"][0]["payment_problems"][0],
        serde_json::json!({"column": "amount", "code": "not_a_number"})
    );
    assert_eq!(serde_json::from_value::<PaymentImportResult>(json).unwrap(), result);
    assert_eq!(PaymentKind::ALL.map(PaymentKind::as_str), ["payment", "reversal"]);
    assert_eq!(PromiseStatus::ALL.map(PromiseStatus::as_str), ["pending", "kept", "broken"]);
}

// The payment import's rows.

fn cells(row: [&str; 6]) -> [String; 6] {
    row.map(String::from)
}

const GOOD: [&str; 6] = ["131234567890", "2026-11-03 10:15", "Rp 350.000", "TRX-0001", "", "BCA"];
const TODAY: &str = "2026-11-05";

fn faults(row: [&str; 6]) -> Vec<(PaymentColumn, Problem)> {
    check_payment_row(&cells(row), WIB, d(TODAY)).unwrap_err().problems.iter().map(|p| (p.column, p.code)).collect()
}

#[test]
fn a_good_payment_row_is_normalised() {
    let payment = check_payment_row(&cells(GOOD), WIB, d(TODAY)).unwrap();
    assert_eq!(
        payment,
        Payment {
            customer_no: "131234567890".into(),
            payment_ref: "TRX-0001".into(),
            paid_at: at("2026-11-03 10:15"),
            amount: 350_000,
            kind: PaymentKind::Payment,
            channel: Some("BCA".into()),
        }
    );
    let mut row = GOOD;
    (row[1], row[4], row[5]) = ("2026-11-03T03:15:00Z", " Payment ", "");
    let payment = check_payment_row(&cells(row), WIB, d(TODAY)).unwrap();
    assert_eq!((payment.paid_at, payment.kind, payment.channel), (at("2026-11-03 10:15"), PaymentKind::Payment, None));
}

#[test]
fn reversals_may_carry_a_negative_amount_payments_may_not() {
    let mut row = GOOD;
    (row[2], row[4]) = ("-350.000", "reversal");
    let reversal = check_payment_row(&cells(row), WIB, d(TODAY)).unwrap();
    assert_eq!((reversal.kind, reversal.amount), (PaymentKind::Reversal, -350_000));
    (row[2], row[4]) = ("Rp -350.000", "pembatalan");
    assert_eq!(check_payment_row(&cells(row), WIB, d(TODAY)).unwrap().amount, -350_000);
    row[2] = "0";
    assert!(check_payment_row(&cells(row), WIB, d(TODAY)).is_ok());
    for amount in ["0", "-350.000", "Rp -1"] {
        let mut row = GOOD;
        row[2] = amount;
        assert_eq!(faults(row), [(PaymentColumn::Amount, Problem::OutOfRange)], "{amount}");
    }
}

#[test]
fn every_bad_payment_cell_is_a_field_problem() {
    use PaymentColumn as C;
    let table: [(usize, &str, PaymentColumn, Problem, &str); 13] = [
        (0, " ", C::CustomerNo, Problem::Required, "customer_no is empty"),
        (0, "13\u{7}1", C::CustomerNo, Problem::InvalidCharacters, "control characters"),
        (1, "", C::PaidAt, Problem::Required, "paid_at is empty"),
        (1, "2026-11-03", C::PaidAt, Problem::InvalidTimestamp, "bad paid_at"),
        (1, "kemarin", C::PaidAt, Problem::InvalidTimestamp, "bad paid_at"),
        (1, "1899-12-31 10:00", C::PaidAt, Problem::OutOfRange, "years 1900 to 9999"),
        (1, "2026-11-07 00:00", C::PaidAt, Problem::InFuture, "more than a day in the future"),
        (2, "lima ribu", C::Amount, Problem::NotANumber, "not an amount"),
        (2, "99999999999999", C::Amount, Problem::OutOfRange, "at most 13 digits"),
        (2, "", C::Amount, Problem::Required, "amount is empty"),
        (3, &"x".repeat(101), C::PaymentRef, Problem::TooLong, "longer than 100"),
        (4, "refund", C::Kind, Problem::UnknownKind, "payment or reversal"),
        (5, &"x".repeat(61), C::Channel, Problem::TooLong, "longer than 60"),
    ];
    for (i, value, column, code, words) in table {
        let mut row = cells(GOOD);
        row[i] = value.to_owned();
        let refused = check_payment_row(&row, WIB, d(TODAY)).unwrap_err();
        assert_eq!(refused.problems, [PaymentRowProblem::new(column, code)], "{i} {value:?}");
        assert!(refused.text().contains(words), "{i} {value:?}: {}", refused.text());
    }
    // Tomorrow is still taken: a file from a zone ahead of the site.
    let mut row = GOOD;
    row[1] = "2026-11-06 23:00";
    assert!(check_payment_row(&cells(row), WIB, d(TODAY)).is_ok());
}

#[test]
fn a_payment_row_lists_every_fault_in_column_order() {
    let row = ["", "2026-11-03 10:15", "-5", "", "refund", ""];
    assert_eq!(
        faults(row),
        [
            (PaymentColumn::CustomerNo, Problem::Required),
            (PaymentColumn::PaymentRef, Problem::Required),
            (PaymentColumn::Kind, Problem::UnknownKind),
        ],
        "an amount is not judged without knowing the row's kind"
    );
    let columns: Vec<&str> = PaymentColumn::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(columns, ["customer_no", "paid_at", "amount", "payment_ref", "kind", "channel"]);
    for column in PaymentColumn::ALL {
        assert_eq!(serde_json::to_value(column).unwrap(), column.name());
        assert_ne!(column.name_id(), column.name());
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|c| c.to_string()).collect()
}

#[test]
fn payment_headers_are_read_and_the_agree_export_is_named() {
    use crate::cases::{FileProblem, IMPORT_COLUMNS, UnknownColumn, map_agree_header};
    // Indonesian names in another order; `kind` and `channel` may be absent.
    let at = map_payment_header(&names(&["Jumlah", "Nomor Pelanggan", "referensi-pembayaran", "WAKTU_BAYAR"])).unwrap();
    assert_eq!(at, [1, 3, 0, 2, usize::MAX, usize::MAX]);
    let all: Vec<String> = PaymentColumn::ALL.iter().map(|c| c.name().to_owned()).collect();
    assert_eq!(map_payment_header(&all).unwrap(), [0, 1, 2, 3, 4, 5]);
    // A required column missing, an unknown one, one twice.
    assert_eq!(
        map_payment_header(&names(&["customer_no", "paid_at", "amount", "notes"])).unwrap_err(),
        FileProblem::PaymentColumns {
            missing: vec![PaymentColumn::PaymentRef],
            unknown: vec![UnknownColumn { position: 4, name: "notes".into() }],
            more: 0
        }
    );
    assert_eq!(
        map_payment_header(&names(&["customer_no", "paid_at", "amount", "payment_ref", "kanal", "channel"]))
            .unwrap_err(),
        FileProblem::PaymentColumnTwice { column: PaymentColumn::Channel }
    );
    // Each import names the other's file.
    assert_eq!(map_payment_header(&names(&IMPORT_COLUMNS)).unwrap_err(), FileProblem::LooksLikeAgrees);
    assert_eq!(map_agree_header(&all).unwrap_err(), FileProblem::LooksLikePayments);
    assert!(matches!(map_agree_header(&names(&["x"])).unwrap_err(), FileProblem::Columns { .. }));
    assert!(map_agree_header(&names(&IMPORT_COLUMNS)).is_ok());
}

#[test]
fn a_conflicting_amount_names_the_stored_one() {
    let conflict = PaymentRowProblem::conflict(1_250_000);
    assert_eq!(
        conflict.to_string(),
        "this payment_ref is already imported for this customer with the amount 1,250,000"
    );
    assert_eq!(
        serde_json::to_value(conflict).unwrap(),
        serde_json::json!({"column": "amount", "code": "mismatch", "stored_amount": 1_250_000})
    );
    let plain = PaymentRowProblem::new(PaymentColumn::Amount, Problem::NotANumber);
    assert_eq!(serde_json::to_value(plain).unwrap(), serde_json::json!({"column": "amount", "code": "not_a_number"}));
    assert_eq!(serde_json::from_value::<PaymentRowProblem>(serde_json::to_value(conflict).unwrap()).unwrap(), conflict);
}
