//! Whether a customer's promises to pay were kept: their payments allocated first-in-first-out
//! across the promises (oldest call first), and each promise's status from what reached it by its
//! due day. A pure function of the full lists of promises, payments and reversals and of today,
//! so the server can recompute every status at any time and get the same answer (`docs/promises.md`).

use crate::cases::call_at_in_site;
use crate::dates::{Date, MAX_YEAR, MIN_YEAR};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The share of the promised amount that keeps a promise when `MUTU_PROMISE_THRESHOLD_PCT` is
/// not set: all of it.
pub const DEFAULT_THRESHOLD_PCT: u32 = 100;
/// The thresholds `MUTU_PROMISE_THRESHOLD_PCT` may take, in percent of the promised amount.
pub const THRESHOLD_PCT_RANGE: std::ops::RangeInclusive<u32> = 1..=100;
/// Working days of grace after the promise date when `MUTU_PROMISE_GRACE_DAYS` is not set.
pub const DEFAULT_GRACE_DAYS: u32 = 0;
/// The most working days of grace `MUTU_PROMISE_GRACE_DAYS` may give (six weeks).
pub const GRACE_DAYS_MAX: u32 = 30;

/// A site-local wall time (`MUTU_TIMEZONE`): the site day and the second since its midnight.
/// Ordered as time runs, so "from the call onwards" is `paid_at >= call_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SiteTime {
    pub day: Date,
    /// 0 to 86,399.
    pub second: u32,
}

impl SiteTime {
    /// A time of day on `day`, or `None` when `second` is past the day's last.
    pub fn new(day: Date, second: u32) -> Option<SiteTime> {
        (second < 86_400).then_some(SiteTime { day, second })
    }

    /// A time as exports write it (the forms the agree import reads for `call_at`: site time as
    /// written, or ISO 8601 with `Z` or an offset, brought to the site's zone, `site_offset`
    /// seconds east of UTC), in the years the API takes. A day without a time is not one.
    pub fn parse(text: &str, site_offset: i32) -> Option<SiteTime> {
        let (day, second) = call_at_in_site(text, site_offset)?;
        (MIN_YEAR..=MAX_YEAR).contains(&day.year).then_some(SiteTime { day, second })
    }
}

/// `YYYY-MM-DDTHH:MM:SS`, site time.
impl fmt::Display for SiteTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.second;
        write!(f, "{}T{:02}:{:02}:{:02}", self.day, s / 3600, s / 60 % 60, s % 60)
    }
}

/// When a promise is kept: the share of the promised amount that must be paid, and the working
/// days of grace after the promise date. Checked on construction, so a rule in hand is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PromiseRules {
    threshold_pct: u32,
    grace_days: u32,
}

impl Default for PromiseRules {
    /// 100 % by the promise date itself.
    fn default() -> PromiseRules {
        PromiseRules { threshold_pct: DEFAULT_THRESHOLD_PCT, grace_days: DEFAULT_GRACE_DAYS }
    }
}

impl PromiseRules {
    /// The rules, or `None` when the threshold is outside [`THRESHOLD_PCT_RANGE`] or the grace
    /// is over [`GRACE_DAYS_MAX`].
    pub fn new(threshold_pct: u32, grace_days: u32) -> Option<PromiseRules> {
        (THRESHOLD_PCT_RANGE.contains(&threshold_pct) && grace_days <= GRACE_DAYS_MAX)
            .then_some(PromiseRules { threshold_pct, grace_days })
    }

    /// `MUTU_PROMISE_THRESHOLD_PCT`.
    pub fn threshold_pct(self) -> u32 {
        self.threshold_pct
    }

    /// `MUTU_PROMISE_GRACE_DAYS`.
    pub fn grace_days(self) -> u32 {
        self.grace_days
    }

    /// The last day a payment counts for a promise: the promise date plus the grace in working
    /// days (Monday to Friday; from a Saturday or Sunday the count starts on the Monday). With no
    /// grace, the promise date itself, whatever day of the week.
    pub fn due_date(self, promise_date: Date) -> Date {
        promise_date.add_working_days(self.grace_days)
    }

    /// Whether `paid` rupiah reach the threshold of `promised`, in whole numbers (no rounding: 90 %
    /// of 333,333 needs 300,000 — 299,999.7 rounded up).
    pub fn reached(self, paid: i64, promised: i64) -> bool {
        i128::from(paid) * 100 >= i128::from(promised) * i128::from(self.threshold_pct)
    }
}

/// One promise to pay, as the agree recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Promise {
    /// The agree's id: what the outcome is reported under.
    pub case_id: i64,
    pub customer_no: String,
    /// The call the promise was made in; payments before it do not count for it.
    pub call_at: SiteTime,
    pub promise_date: Date,
    /// Whole rupiah (the agree's bill amount).
    pub amount: i64,
}

crate::codes::code_enum! {
    /// What a row of the payment import is.
    pub enum PaymentKind {
        /// Money paid (the default when the row names no kind).
        Payment,
        /// Undoes the payment its `payment_ref` names (a bounced transfer, a charge-back).
        Reversal,
    }
}

/// One imported payment or reversal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Payment {
    pub customer_no: String,
    /// A payment's own reference; a reversal's names the payment it undoes.
    pub payment_ref: String,
    /// When it was paid (a reversal: when the payment was undone), site time.
    pub paid_at: SiteTime,
    /// Whole rupiah, above 0 for a payment. A reversal's is kept as the file wrote it and not
    /// used: a reversal undoes the whole payment it names.
    pub amount: i64,
    pub kind: PaymentKind,
    /// The bank or outlet, as the file named it.
    pub channel: Option<String>,
}

crate::codes::code_enum! {
    /// Where a promise stands.
    pub enum PromiseStatus {
        /// Its due day has not ended and the threshold is not reached yet.
        Pending,
        /// Payments reached the threshold by the end of its due day.
        Kept,
        /// Its due day ended without the payments reaching the threshold.
        Broken,
    }
}

/// Part of a payment allocated to a promise.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Allocation {
    pub payment_ref: String,
    pub paid_at: SiteTime,
    /// The part of the payment this promise took (the rest went to other promises or to none).
    pub amount: i64,
}

/// A payment within a promise's window (from its call to the end of its due day) that a reversal
/// undid: it counts for nothing, and the case shows it with its reversal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReversedPayment {
    pub payment_ref: String,
    pub paid_at: SiteTime,
    /// The payment's full amount.
    pub amount: i64,
    /// The (earliest) reversal's time.
    pub reversed_at: SiteTime,
}

/// One promise evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PromiseOutcome {
    pub case_id: i64,
    pub status: PromiseStatus,
    /// [`PromiseRules::due_date`] of the promise date.
    pub due_date: Date,
    pub promised_amount: i64,
    /// The sum of `allocations`: never more than `promised_amount`.
    pub paid_amount: i64,
    /// The payments allocated to it, in the order they were paid.
    pub allocations: Vec<Allocation>,
    /// Reversed payments that fell in its window, in the order they were paid.
    pub reversed: Vec<ReversedPayment>,
    /// The day the payments reached the threshold (the call's day for a promise of nothing), even
    /// if that is after `today`.
    pub reached_on: Option<Date>,
}

/// Evaluates every promise against the payments and reversals, as of the site day `today`.
/// Returns one outcome per promise, in the order given.
///
/// The rules (`docs/promises.md`):
/// - A reversal removes the payment it names (same customer, same `payment_ref`) altogether,
///   whenever it came; a reversal naming no payment changes nothing. A `payment_ref` counts once
///   per customer (the earliest such payment; the import refuses the others as duplicates), and
///   payments of 0 or less count for nothing.
/// - The customer's remaining payments are taken in the order they were paid (ties by reference).
///   Each goes to the customer's promises *open* at its time — made in a call at or before it,
///   due on its day or later, not yet paid in full — oldest call first (ties by case id), each
///   taking at most what it still lacks of its promised amount. What no open promise takes is
///   allocated to none: a promise never shows more than was promised.
/// - A promise is kept once its allocations reach the threshold ([`PromiseRules::reached`]), on
///   the day the payment that reached it was made, if that day is today or before; broken when
///   `today` is past its due day without that; pending otherwise.
///
/// The order of the inputs does not matter, and adding a payment only ever adds to what each
/// promise is allocated (so it never breaks a kept promise), since money always flows to the
/// oldest promise still lacking it.
pub fn evaluate(rules: &PromiseRules, promises: &[Promise], payments: &[Payment], today: Date) -> Vec<PromiseOutcome> {
    let mut outcomes: Vec<PromiseOutcome> = promises
        .iter()
        .map(|p| PromiseOutcome {
            case_id: p.case_id,
            status: PromiseStatus::Pending,
            due_date: rules.due_date(p.promise_date),
            promised_amount: p.amount,
            paid_amount: 0,
            allocations: Vec::new(),
            reversed: Vec::new(),
            reached_on: None,
        })
        .collect();

    // When each (customer, reference) was first reversed.
    let mut reversals: BTreeMap<(&str, &str), SiteTime> = BTreeMap::new();
    for r in payments.iter().filter(|p| p.kind == PaymentKind::Reversal) {
        let at = reversals.entry((&r.customer_no, &r.payment_ref)).or_insert(r.paid_at);
        *at = (*at).min(r.paid_at);
    }

    // The payments in the order they were paid, each reference once per customer.
    let mut paid: Vec<&Payment> = payments.iter().filter(|p| p.kind == PaymentKind::Payment).collect();
    paid.sort_by(|a, b| {
        (&a.customer_no, a.paid_at, &a.payment_ref, a.amount, &a.channel).cmp(&(
            &b.customer_no,
            b.paid_at,
            &b.payment_ref,
            b.amount,
            &b.channel,
        ))
    });
    let mut seen = BTreeSet::new();
    paid.retain(|p| seen.insert((&p.customer_no, &p.payment_ref)));

    // Each customer's promises, oldest call first.
    let mut by_customer: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in promises.iter().enumerate() {
        by_customer.entry(&p.customer_no).or_default().push(i);
    }
    for queue in by_customer.values_mut() {
        queue.sort_by_key(|&i| (promises[i].call_at, promises[i].case_id, i));
    }
    let due: Vec<Date> = outcomes.iter().map(|o| o.due_date).collect();
    let in_window = |i: usize, at: SiteTime| promises[i].call_at <= at && at.day <= due[i];

    for payment in paid {
        let Some(queue) = by_customer.get(payment.customer_no.as_str()) else { continue };
        if let Some(&reversed_at) = reversals.get(&(payment.customer_no.as_str(), payment.payment_ref.as_str())) {
            for &i in queue.iter().filter(|&&i| in_window(i, payment.paid_at)) {
                outcomes[i].reversed.push(ReversedPayment {
                    payment_ref: payment.payment_ref.clone(),
                    paid_at: payment.paid_at,
                    amount: payment.amount,
                    reversed_at,
                });
            }
            continue;
        }
        let mut left = payment.amount;
        for &i in queue {
            if left <= 0 {
                break;
            }
            let lacking = promises[i].amount - outcomes[i].paid_amount;
            if lacking <= 0 || !in_window(i, payment.paid_at) {
                continue;
            }
            let take = left.min(lacking);
            left -= take;
            let outcome = &mut outcomes[i];
            outcome.paid_amount += take;
            outcome.allocations.push(Allocation {
                payment_ref: payment.payment_ref.clone(),
                paid_at: payment.paid_at,
                amount: take,
            });
            if outcome.reached_on.is_none() && rules.reached(outcome.paid_amount, promises[i].amount) {
                outcome.reached_on = Some(payment.paid_at.day);
            }
        }
    }

    for (outcome, promise) in outcomes.iter_mut().zip(promises) {
        // A promise of nothing (or less) is met by the call itself.
        if outcome.reached_on.is_none() && rules.reached(0, promise.amount) {
            outcome.reached_on = Some(promise.call_at.day);
        }
        outcome.status = match outcome.reached_on {
            Some(day) if day <= today => PromiseStatus::Kept,
            _ if today > outcome.due_date => PromiseStatus::Broken,
            _ => PromiseStatus::Pending,
        };
    }
    outcomes
}
