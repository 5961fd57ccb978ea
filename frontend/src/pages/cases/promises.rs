//! The keep-rate report of `/reports/promises` (the page around it is `super::report`'s): how many
//! promises to pay were kept, kept / (kept + broken), by agent, team, QC officer, QC's outcome,
//! service, bucket or month; the rules in force stated above the table. Every count opens the case
//! list filtered to exactly the agrees it counts.

use crate::api::cases::{CaseFilter, PromiseQuery};
use crate::app::Route;
use crate::components::doc_parts::RouteLink;
use crate::components::parts::head;
use crate::components::parts::rate;
use crate::datetime::{count, month_label};
use crate::i18n::{K, Lang, t, tf};
use domain::promises::{PromiseCounts, PromiseGroup, PromiseReport, PromiseStatus, QcOutcome};
use yew::prelude::*;

/// What a grouping is called in the picker.
fn group_key(group: PromiseGroup) -> K {
    match group {
        PromiseGroup::Agent => K::AgentLabel,
        PromiseGroup::Team => K::TeamName,
        PromiseGroup::Qco => K::GroupQco,
        PromiseGroup::Result => K::GroupResult,
        PromiseGroup::Service => K::ServiceLabel,
        PromiseGroup::Bucket => K::BucketLabel,
        PromiseGroup::Month => K::GroupMonth,
    }
}

/// A row's name in `lang`: QC's outcomes and months are worded here, names come as they are.
fn row_label(lang: Lang, group: PromiseGroup, key: &str, label: &str) -> String {
    match group {
        PromiseGroup::Month => month_label(lang, key),
        PromiseGroup::Result => match key.parse::<QcOutcome>() {
            Ok(outcome) => t(lang, super::list::outcome_key(outcome)).to_owned(),
            Err(_) => label.to_owned(),
        },
        _ if key == "none" => t(lang, K::NoneDash).to_owned(),
        _ => label.to_owned(),
    }
}

/// The case list's filter behind a row's count of `status` (`None`: the totals): the period (for
/// a month, its days within the period), the team asked for, and the row's own key.
fn drill(q: &PromiseQuery, key: Option<&str>, status: PromiseStatus) -> Option<String> {
    let mut filter = CaseFilter {
        from: Some(q.from.clone()),
        to: Some(q.to.clone()),
        team_id: q.team_id,
        service: q.service.clone(),
        bucket: q.bucket.clone(),
        promise: Some(status),
        ..CaseFilter::default()
    };
    if let Some(key) = key {
        let id = || key.parse::<i64>().ok();
        match q.group_by {
            _ if key == "none" => return None,
            PromiseGroup::Agent => filter.agent_id = Some(id()?),
            PromiseGroup::Team => filter.team_id = Some(id()?),
            PromiseGroup::Qco => filter.qco_id = Some(id()?),
            PromiseGroup::Result => filter.result = Some(key.parse().ok()?),
            PromiseGroup::Service => filter.service = Some(key.to_owned()),
            PromiseGroup::Bucket => filter.bucket = Some(key.to_owned()),
            PromiseGroup::Month => {
                let (year, month) = key.split_once('-')?;
                let (year, month) = (year.parse::<i32>().ok()?, month.parse::<u32>().ok()?);
                let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
                let last = match month {
                    2 if leap => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                filter.from = Some(format!("{key}-01").max(q.from.clone()));
                filter.to = Some(format!("{key}-{last:02}").min(q.to.clone()));
            }
        }
    }
    Some(filter.to_query())
}

/// The groupings a role may pick (a team leader sees one team: no grouping by team).
pub fn group_options(lang: Lang, by_team: bool) -> Vec<(AttrValue, AttrValue)> {
    PromiseGroup::ALL
        .iter()
        .filter(|g| by_team || **g != PromiseGroup::Team)
        .map(|g| (AttrValue::Static(g.as_str()), AttrValue::Static(t(lang, group_key(*g)))))
        .collect()
}

/// A row's counts, each a link to the agrees it counts, and its keep rate with a bar.
fn count_cells(lang: Lang, q: &PromiseQuery, key: Option<&str>, c: &PromiseCounts) -> Html {
    let n = |col: &'static str, v: u64, status: PromiseStatus| {
        let text = count(lang, v as i64);
        html! {
            <td class="num" data-col={col}>
                if let (true, Some(query)) = (v > 0, drill(q, key, status)) {
                    <RouteLink to={Route::Cases} query={AttrValue::from(query)}>{ text }</RouteLink>
                } else {
                    { text }
                }
            </td>
        }
    };
    let share = c.keep_rate.unwrap_or(0.0).round().clamp(0.0, 100.0) as u32;
    html! {
        <>
            { n("kept", c.kept, PromiseStatus::Kept) }
            { n("broken", c.broken, PromiseStatus::Broken) }
            { n("pending", c.pending, PromiseStatus::Pending) }
            <td class="num nowrap" data-col="keep-rate">
                <span>{ rate(lang, c.keep_rate) }</span>
                if c.keep_rate.is_some() {
                    <progress class="meter" max="100" value={share.to_string()} aria-hidden="true"></progress>
                }
            </td>
        </>
    }
}

/// The keep-rate report: the rules in force, then a row per group with the totals.
pub fn promise_table(lang: Lang, q: &PromiseQuery, r: &PromiseReport) -> Html {
    let cols = [
        (group_key(q.group_by), false),
        (K::PromiseKept, true),
        (K::PromiseBroken, true),
        (K::PromisePending, true),
        (K::KeepRate, true),
    ];
    html! {
        <section class="card" id="promise-report" aria-labelledby="promise-report-title">
            <h2 id="promise-report-title" class="sr-only">{ t(lang, K::PromiseReportTitle) }</h2>
            <p class="muted small" id="promise-rules">
                { tf(lang, K::PromiseRules, &[&r.threshold_pct.to_string(), &r.grace_days.to_string()]) }
            </p>
            if r.rows.is_empty() {
                <p class="empty" id="report-empty">{ t(lang, K::PromiseReportEmpty) }</p>
            }
            <div class="table-wrap">
                <table class="table" id="promise-table" data-group={q.group_by.as_str()}>
                    { head(lang, &cols) }
                    <tbody>
                        { for r.rows.iter().map(|row| html! {
                            <tr data-key={row.key.clone()}>
                                <td>{ row_label(lang, q.group_by, &row.key, &row.label) }</td>
                                { count_cells(lang, q, Some(&row.key), &row.counts) }
                            </tr>
                        }) }
                    </tbody>
                    <tfoot>
                        <tr id="promise-totals">
                            <th scope="row">{ t(lang, K::Totals) }</th>
                            { count_cells(lang, q, None, &r.totals) }
                        </tr>
                    </tfoot>
                </table>
            </div>
        </section>
    }
}
