//! F-19 agree validation and W-03 follow-ups: the case queue, import, a case, follow-ups, the F-19 report,
//! reconciliation — one file per page — and what they share: the calls to the API, labels of
//! services, buckets and states, money, and a silent poll for lists that update without reload.

mod case;
mod cases;
mod checklist;
mod followup;
mod followups;
mod import;
mod reconciliation;
mod report;

pub use case::CasePage;
pub use cases::CasesPage;
pub use checklist::ChecklistPage;
pub use followup::FollowupPage;
pub use followups::{FollowupsPage, HomeCasesCard, ReturnsBadge};
pub use import::ImportPage;
pub use reconciliation::ReconciliationPage;
pub use report::ReportPage;

use crate::api::{Api, ApiResult, Download, with_query};
use crate::app::use_i18n;
use crate::datetime::count;
use crate::hooks::{Keyed, Tick};
use crate::i18n::{K, Lang, case_status_key, checklist_items, followup_status_key};
use domain::api::Page;
use domain::cases::{
    Case, CaseStatus, CaseSummary, ChecklistLabels, F19Report, Followup, FollowupStatus, FollowupSummary,
    NewValidation, RecareRequest, Reconciliation, VerifyRequest,
};
use yew::prelude::*;

/// How often lists that must stay current (returns, the badge) ask again, in milliseconds.
pub const POLL_MS: u32 = 20_000;

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

/// The query of `GET /api/cases`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub service: Option<String>,
    pub bucket: Option<String>,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The query of `GET /api/followups`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FollowupFilter {
    pub status: Option<FollowupStatus>,
    pub overdue: bool,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
}

/// The calls of this part of the API.
pub mod calls {
    use super::*;

    pub async fn list_cases(api: &Api, f: &CaseFilter, limit: u32, cursor: Option<String>) -> ApiResult<Page<Case>> {
        let path = with_query(
            "/api/cases",
            &[
                ("status", f.status.map(|s| s.as_str().to_owned())),
                ("service", f.service.clone()),
                ("bucket", f.bucket.clone()),
                ("team_id", f.team_id.map(|v| v.to_string())),
                ("agent_id", f.agent_id.map(|v| v.to_string())),
                ("from", f.from.clone()),
                ("to", f.to.clone()),
                ("limit", Some(limit.to_string())),
                ("cursor", cursor),
            ],
        );
        api.get(&path).await
    }

    pub async fn get_case(api: &Api, id: i64) -> ApiResult<Case> {
        api.get(&format!("/api/cases/{id}")).await
    }

    /// `POST /api/cases/{id}/validation` → 201 the validated case.
    pub async fn validate(api: &Api, id: i64, body: &NewValidation) -> ApiResult<Case> {
        api.post(&format!("/api/cases/{id}/validation"), body).await
    }

    /// `GET /api/cases/checklist`: the wording of the W-04 checklist.
    pub async fn checklist(api: &Api) -> ApiResult<ChecklistLabels> {
        api.get("/api/cases/checklist").await
    }

    /// `PUT /api/cases/checklist` (the QRD coordinator) → the wording as saved.
    pub async fn save_checklist(api: &Api, body: &ChecklistLabels) -> ApiResult<ChecklistLabels> {
        api.put("/api/cases/checklist", body).await
    }

    pub async fn import(
        api: &Api,
        file: &web_sys::File,
        on_progress: Callback<f64>,
    ) -> ApiResult<domain::cases::ImportResult> {
        api.upload_with_progress("/api/cases/import", file, on_progress).await
    }

    /// `GET /api/cases/import-template`: the CSV header row the import reads.
    pub async fn import_template(api: &Api) -> ApiResult<Download> {
        api.download("/api/cases/import-template").await
    }

    pub async fn list_followups(
        api: &Api,
        f: &FollowupFilter,
        limit: u32,
        cursor: Option<String>,
    ) -> ApiResult<Page<Followup>> {
        let path = with_query(
            "/api/followups",
            &[
                ("status", f.status.map(|s| s.as_str().to_owned())),
                ("overdue", f.overdue.then(|| "true".to_owned())),
                ("team_id", f.team_id.map(|v| v.to_string())),
                ("agent_id", f.agent_id.map(|v| v.to_string())),
                ("limit", Some(limit.to_string())),
                ("cursor", cursor),
            ],
        );
        api.get(&path).await
    }

    pub async fn get_followup(api: &Api, id: i64) -> ApiResult<Followup> {
        api.get(&format!("/api/followups/{id}")).await
    }

    pub async fn case_summary(api: &Api) -> ApiResult<CaseSummary> {
        api.get("/api/cases/summary").await
    }

    pub async fn followup_summary(api: &Api) -> ApiResult<FollowupSummary> {
        api.get("/api/followups/summary").await
    }

    pub async fn recare(api: &Api, id: i64, body: &RecareRequest) -> ApiResult<Followup> {
        api.post(&format!("/api/followups/{id}/recare"), body).await
    }

    pub async fn verify(api: &Api, id: i64, body: &VerifyRequest) -> ApiResult<Followup> {
        api.post(&format!("/api/followups/{id}/verify"), body).await
    }

    /// The path of the F-19 report for a period (and team), as JSON or as a file.
    pub fn report_path(from: &str, to: &str, team_id: Option<i64>, format: Option<&str>) -> String {
        with_query(
            "/api/reports/f19",
            &[
                ("from", Some(from.to_owned())),
                ("to", Some(to.to_owned())),
                ("team_id", team_id.map(|v| v.to_string())),
                ("format", format.map(str::to_owned)),
            ],
        )
    }

    pub async fn report(api: &Api, from: &str, to: &str, team_id: Option<i64>) -> ApiResult<F19Report> {
        api.get(&report_path(from, to, team_id, None)).await
    }

    pub async fn report_file(
        api: &Api,
        from: &str,
        to: &str,
        team_id: Option<i64>,
        format: &str,
    ) -> ApiResult<Download> {
        api.download(&report_path(from, to, team_id, Some(format))).await
    }

    pub async fn reconciliation(api: &Api, from: &str, to: &str, days: u32) -> ApiResult<Reconciliation> {
        let path = with_query(
            "/api/reports/reconciliation",
            &[("from", Some(from.to_owned())), ("to", Some(to.to_owned())), ("days", Some(days.to_string()))],
        );
        api.get(&path).await
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

/// The saved wording of the W-04 checklist: `None` while it loads or when it could not be read.
#[hook]
pub fn use_checklist() -> Option<ChecklistLabels> {
    let labels = use_quiet_fetch((), |api, ()| async move { calls::checklist(&api).await });
    match &*labels.state {
        Some(Ok(labels)) => Some(labels.clone()),
        _ => None,
    }
}

/// A counter that goes up every `period_ms` while the component is mounted: put it in the
/// dependencies of a load to repeat it.
#[hook]
pub fn use_poll(period_ms: u32) -> u64 {
    let tick = use_reducer(Tick::default);
    {
        let dispatcher = tick.dispatcher();
        use_effect_with(period_ms, move |period| {
            let alive = std::rc::Rc::new(std::cell::Cell::new(true));
            let (flag, period) = (alive.clone(), *period);
            wasm_bindgen_futures::spawn_local(async move {
                loop {
                    gloo_timers::future::TimeoutFuture::new(period).await;
                    if !flag.get() {
                        break;
                    }
                    dispatcher.dispatch(());
                }
            });
            move || alive.set(false)
        });
    }
    tick.0
}

/// A load that keeps showing the last answer while it asks again (no spinner on every poll):
/// `None` until the first answer.
pub struct Quiet<T> {
    pub state: UseStateHandle<Option<ApiResult<T>>>,
    pub reload: Callback<()>,
}

#[hook]
pub fn use_quiet_fetch<T, D, F, Fut>(deps: D, fetch: F) -> Quiet<T>
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: Fn(Api, D) -> Fut + 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    let api = crate::app::use_api();
    let state = use_state(|| None::<ApiResult<T>>);
    let generation = use_mut_ref(|| 0u64);
    let tick = use_reducer(Tick::default);
    let fetch = std::rc::Rc::new(fetch);
    {
        let state = state.clone();
        use_effect_with((deps, tick.0), move |(deps, _)| {
            let current = {
                let mut g = generation.borrow_mut();
                *g += 1;
                *g
            };
            let future = fetch(api, deps.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = future.await;
                // A failed poll does not hide what was shown; a first failure is shown.
                if *generation.borrow() == current && (result.is_ok() || !matches!(&*state, Some(Ok(_)))) {
                    state.set(Some(result));
                }
            });
        });
    }
    let reload = {
        let dispatcher = tick.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(()))
    };
    Quiet { state, reload }
}

#[derive(Properties, PartialEq)]
pub struct CaseStatusBadgeProps {
    pub status: CaseStatus,
}

/// `Menunggu` / `APPROVED` / `RETURN`.
#[component]
pub fn CaseStatusBadge(props: &CaseStatusBadgeProps) -> Html {
    let i18n = use_i18n();
    html! {
        <span class="status-badge case-status" data-status={props.status.as_str()}>{ i18n.t(case_status_key(props.status)) }</span>
    }
}

#[derive(Properties, PartialEq)]
pub struct FollowupStatusBadgeProps {
    pub status: FollowupStatus,
}

/// `Terbuka` / `Sudah di-caring` / `Selesai` / `Dibuka ulang`.
#[component]
pub fn FollowupStatusBadge(props: &FollowupStatusBadgeProps) -> Html {
    let i18n = use_i18n();
    html! {
        <span class="status-badge followup-status" data-status={props.status.as_str()}>{ i18n.t(followup_status_key(props.status)) }</span>
    }
}

/// The "Terlambat" mark of an overdue follow-up.
pub fn overdue_mark(lang: Lang) -> Html {
    html! { <span class="badge badge-overdue" data-overdue="true">{ crate::i18n::t(lang, K::Overdue) }</span> }
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

// ---- Small builders: one copy of each element's code, called with data (the app has a size
// budget, and every inline `html!` element is code of its own).

/// `<thead>` with one `<th scope="col">` per column; `true` right-aligns a number column.
pub fn head(lang: Lang, cols: &[(K, bool)]) -> Html {
    html! {
        <thead><tr>{ for cols.iter().map(|(k, num)| html! {
            <th scope="col" class={if *num { "num" } else { "" }}>{ crate::i18n::t(lang, *k) }</th>
        }) }</tr></thead>
    }
}

/// A table cell with a class.
pub fn cell(class: &'static str, content: Html) -> Html {
    html! { <td class={class}>{ content }</td> }
}

/// Text as a node.
pub fn txt(text: impl Into<String>) -> Html {
    let text: String = text.into();
    html! { { text } }
}

/// A name with a small code (username, customer number) under it.
pub fn with_sub(main: Html, sub: &str) -> Html {
    html! { <>{ main }<span class="cell-sub mono">{ sub.to_owned() }</span></> }
}

/// One row of a `<dl class="facts">`.
pub fn fact(label: &str, field: &'static str, value: Html) -> Html {
    html! { <div><dt>{ label.to_owned() }</dt><dd data-field={field}>{ value }</dd></div> }
}

/// A labelled date input that reports its changes.
pub fn date_input(id: &'static str, label: &str, value: String, onchange: Callback<Event>) -> Html {
    html! {
        <div class="field">
            <label for={id}>{ label.to_owned() }</label>
            <input {id} type="date" {value} {onchange} />
        </div>
    }
}

/// One status tab: its `data-tab` name, label, whether it is the current one, what a press does.
pub struct Tab {
    pub name: &'static str,
    pub label: String,
    pub active: bool,
    pub onclick: Callback<MouseEvent>,
}

/// A row of status tabs, with anything `extra` at the end.
pub fn tab_bar(label: &str, tabs: Vec<Tab>, extra: Html) -> Html {
    html! {
        <div class="tabs" role="group" aria-label={label.to_owned()}>
            { for tabs.into_iter().map(|t| html! {
                <button type="button" class={if t.active { "tab is-active" } else { "tab" }} data-tab={t.name}
                    aria-pressed={if t.active { "true" } else { "false" }} onclick={t.onclick}>{ t.label }</button>
            }) }
            { extra }
        </div>
    }
}

/// A counter card: value, label and a link.
pub fn stat(id: &'static str, value: String, label: &str, to: crate::app::Route, link: &str) -> Html {
    html! {
        <div class="stat" data-stat={id}>
            <span class="stat-value">{ value }</span>
            <span class="stat-label">{ label.to_owned() }</span>
            <crate::components::doc_parts::RouteLink {to} class="stat-link">{ link.to_owned() }</crate::components::doc_parts::RouteLink>
        </div>
    }
}

/// A red banner with a text (`role="alert"`).
pub fn error_line(id: &'static str, text: String) -> Html {
    html! { <div class="banner banner-error error-banner" role="alert" {id}><span class="banner-text">{ text }</span></div> }
}

/// The teams for a filter, when `wanted` (one hook for every page that offers a team filter).
#[hook]
pub fn use_teams(wanted: bool) -> Vec<domain::api::Team> {
    let teams = use_quiet_fetch(wanted, |api, wanted| async move {
        if wanted { api.list_teams(Some(crate::api::MAX_LIMIT), None).await.map(|p| p.items) } else { Ok(Vec::new()) }
    });
    match &*teams.state {
        Some(Ok(list)) => list.clone(),
        _ => Vec::new(),
    }
}

/// `(value, label)` options with "Semua" (or `all`) first.
pub fn options(all: &str, items: impl Iterator<Item = (String, String)>) -> Vec<(AttrValue, AttrValue)> {
    std::iter::once((AttrValue::Static(""), AttrValue::from(all.to_owned())))
        .chain(items.map(|(v, l)| (AttrValue::from(v), AttrValue::from(l))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            calls::report_path("2026-11-01", "2026-11-30", None, None),
            "/api/reports/f19?from=2026-11-01&to=2026-11-30"
        );
        assert_eq!(
            calls::report_path("2026-11-01", "2026-11-30", Some(2), Some("xlsx")),
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
