//! F-19 agree validation and W-03 follow-ups: the case queue, import, a case, follow-ups, the F-19 report,
//! reconciliation — one file per page — and what they share: the calls to the API, labels of
//! services, buckets and states, money, and a silent poll for lists that update without reload.

mod case;
mod checklist;
mod followup;
mod followups;
mod import;
mod list;
mod reconciliation;
mod report;

pub use case::CasePage;
pub use checklist::ChecklistPage;
pub use followup::FollowupPage;
pub use followups::FollowupsPage;
pub use import::ImportPage;
pub use list::CasesPage;
pub use reconciliation::ReconciliationPage;
pub use report::ReportPage;

use crate::api::ApiResult;
use crate::datetime::count;
use crate::hooks::{Keyed, use_quiet_fetch};
use crate::i18n::{Lang, checklist_items};
use domain::cases::{Case, ChecklistLabels, ChecklistVersion, Followup};
use yew::prelude::*;

impl Keyed for Case {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for Followup {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for ChecklistVersion {
    fn key(&self) -> i64 {
        self.version
    }
}

/// `Rp 350.000` (`Rp 350,000` in English).
pub fn money(lang: Lang, amount: i64) -> String {
    format!("Rp {}", count(lang, amount))
}

/// A call's time for tables: `29/11/2026 08.05 WIB` (no seconds).
pub fn call_time(lang: Lang, timestamp: &str) -> String {
    let full = crate::datetime::short_datetime(lang, timestamp);
    // `dd/mm/yyyy hh.mm.ss WIB`: drop the `.ss`.
    match full.rsplit_once(' ') {
        Some((clock, zone)) if clock.len() == 19 => format!("{} {zone}", &clock[..16]),
        _ => full,
    }
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

/// The W-04 checklist wording in force (its version), and a way to load it again.
pub struct Wording {
    /// `None` while the first answer is on its way.
    pub current: Option<ApiResult<ChecklistVersion>>,
    pub reload: Callback<()>,
}

#[hook]
pub fn use_checklist() -> Wording {
    let fetch = use_quiet_fetch((), |api, ()| async move { api.get_checklist().await });
    Wording { current: (*fetch.state).clone(), reload: fetch.reload }
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
        assert_eq!(fallback[0].1, crate::i18n::t(Lang::Id, K::CheckIdentity));
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
        assert_eq!(en[3].1, crate::i18n::t(Lang::En, K::CheckReason));
    }

    #[test]
    fn an_empty_filter_value_is_none() {
        assert_eq!(non_empty("  ".into()), None);
        assert_eq!(non_empty(" 2026-11-01 ".into()), Some("2026-11-01".into()));
    }
}
