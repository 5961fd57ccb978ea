//! What the F-19 and W-03 pages show alike: money, call times, the W-04 checklist's labels, a
//! case's facts, and the small conversions of their filters.

use crate::components::parts::{fact, txt};
use crate::datetime::{count, long_date, long_datetime};
use crate::i18n::{K, Lang, checklist_items, t};
use domain::cases::{Case, ChecklistLabels};
use yew::prelude::*;

/// `Rp 350.000` (`Rp 350,000` in English).
pub fn money(lang: Lang, amount: i64) -> String {
    format!("Rp {}", count(lang, amount))
}

/// A call's time for tables: `29/11/2026 08.05 WIB` (no seconds).
pub fn call_time(lang: Lang, timestamp: &str) -> String {
    crate::datetime::minute_datetime(lang, timestamp)
}

/// The W-04 checklist items in their order: the field name and its label in `lang` — as the QRD
/// coordinator worded it when `saved` is there, else (loading, failed) the app's own wording.
pub fn checklist_labels(lang: Lang, saved: Option<&ChecklistLabels>) -> Vec<(&'static str, String)> {
    checklist_items(lang)
        .into_iter()
        .map(|(key, fallback)| {
            let item = saved.and_then(|s| s.items.iter().find(|i| i.key == key));
            let label =
                item.map(|i| if lang == Lang::En { &i.label_en } else { &i.label_id }).filter(|l| !l.trim().is_empty());
            (key, label.map_or_else(|| fallback.to_owned(), |l| l.trim().to_owned()))
        })
        .collect()
}

/// Whole days from an RFC 3339 instant until now (0 for today or the future).
pub fn age_days(since: &str) -> i64 {
    crate::datetime::parse_rfc3339(since).map_or(0, |at| ((crate::datetime::now_epoch() - at) / 86_400).max(0))
}

/// The first day of this month in WIB, `YYYY-MM-01`.
pub fn month_start() -> String {
    let today = crate::datetime::today_plus(0);
    format!("{}-01", &today[..7])
}

/// A date input's value as a filter: empty means none.
pub fn non_empty(value: String) -> Option<String> {
    let v = value.trim().to_owned();
    (!v.is_empty()).then_some(v)
}

/// The facts of a case, as a definition list (also shown on the follow-up page).
pub fn case_facts(lang: Lang, c: &Case) -> Html {
    let or_dash = |text: &str| txt(if text.trim().is_empty() { t(lang, K::NoneDash) } else { text });
    let mono = |text: &str| html! { <span class="mono">{ text.to_owned() }</span> };
    let rows = [
        fact(t(lang, K::CustomerNo), "customer-no", mono(&c.customer_no)),
        fact(t(lang, K::CustomerLabel), "customer", txt(c.customer_name.clone())),
        fact(t(lang, K::ServiceLabel), "service", txt(c.service.label())),
        fact(t(lang, K::BucketLabel), "bucket", txt(c.bucket.label())),
        fact(t(lang, K::BillLabel), "bill", txt(money(lang, c.bill_amount))),
        fact(t(lang, K::PromiseDate), "promise", txt(long_date(lang, &c.promise_date))),
        fact(t(lang, K::CallTime), "call-at", txt(long_datetime(lang, &c.call_at))),
        fact(
            t(lang, K::RecordingRef),
            "recording",
            if c.recording_ref.trim().is_empty() {
                or_dash("")
            } else {
                crate::components::parts::recording(&c.recording_ref)
            },
        ),
        fact(t(lang, K::AgentLabel), "agent", txt(format!("{} ({})", c.agent_name, c.agent_username))),
        fact(t(lang, K::ReasonLabel), "reason", or_dash(&c.reason)),
    ];
    html! { <dl class="facts case-facts">{ for rows }</dl> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::K;

    #[test]
    fn call_times_have_no_seconds() {
        assert_eq!(call_time(Lang::Id, "2026-11-29T01:05:09Z"), "29/11/2026 08.05 WIB");
        assert_eq!(call_time(Lang::En, "2026-11-29T01:05:09Z"), "29/11/2026 08:05 WIB");
    }

    #[test]
    fn money_is_rupiah_with_grouped_thousands() {
        assert_eq!(money(Lang::Id, 350_000), "Rp 350.000");
        assert_eq!(money(Lang::En, 1_250_000), "Rp 1,250,000");
        assert_eq!(money(Lang::Id, 0), "Rp 0");
    }

    #[test]
    fn the_report_path_carries_the_period_team_and_format() {
        assert_eq!(
            crate::api::cases::report_path("2026-11-01", "2026-11-30", None, None),
            "/api/reports/f19?from=2026-11-01&to=2026-11-30"
        );
        assert_eq!(
            crate::api::cases::report_path("2026-11-01", "2026-11-30", Some(2), Some("xlsx")),
            "/api/reports/f19?from=2026-11-01&to=2026-11-30&team_id=2&format=xlsx"
        );
    }

    #[test]
    fn checklist_labels_follow_the_saved_wording_and_the_language() {
        let fallback = checklist_labels(Lang::Id, None);
        assert_eq!(fallback.iter().map(|(k, _)| *k).collect::<Vec<_>>(), domain::cases::CHECKLIST_KEYS);
        assert_eq!(fallback[0].1, t(Lang::Id, K::CheckIdentity));
        let mut saved = ChecklistLabels::default();
        saved.items.reverse();
        saved.items[3].label_id = "Nama dan NIK pelanggan dicocokkan".into();
        saved.items[3].label_en = "Name and ID number matched".into();
        saved.items[0].label_en = "  ".into();
        let id = checklist_labels(Lang::Id, Some(&saved));
        assert_eq!(id[0], ("identity_verified", "Nama dan NIK pelanggan dicocokkan".to_owned()));
        assert_eq!(id[3].1, "Reason yang diinput sesuai isi percakapan");
        let en = checklist_labels(Lang::En, Some(&saved));
        assert_eq!(en[0].1, "Name and ID number matched");
        // A blank saved label falls back to the app's own wording.
        assert_eq!(en[3].1, t(Lang::En, K::CheckReason));
    }

    #[test]
    fn an_empty_filter_value_is_none() {
        assert_eq!(non_empty("  ".into()), None);
        assert_eq!(non_empty(" 2026-11-01 ".into()), Some("2026-11-01".into()));
    }
}
