//! The overview's work charts (issue 13, charts 4–7), in its scope and period: the agrees
//! waiting for validation and the RETURN follow-ups past a deadline, by age in working days; the
//! RETURNs QC reopened; the disputes and their outcome; and the QC officers' output, strictness
//! and distance from the calibration majority (`GET /api/dashboards/workload`).
//!
//! Drawn as the other charts are, by [`super::breakdown::ChartPanel`] with `Panel::Workload`: SVG
//! bars and a table built as one markup string each, every bar a link to the list behind it.

use super::breakdown::{ChartProps, cut, esc, file_buttons, href};
use crate::app::Route;
use crate::components::parts::{decimal, rate};
use crate::datetime::count;
use crate::i18n::{K, Lang, t, tf};
use domain::dates::Date;
use domain::metrics::{
    AGE_BANDS, Workload, amended_share, average_score, band_cutoffs, days_to_resolve, per_working_day, reopened_share,
};
use std::fmt::Write;

/// The scope's own filter on a list (no period), with `extra`.
fn scoped(props: &ChartProps, extra: &str) -> String {
    let f = &props.filter;
    let mut query = extra.to_owned();
    for (key, value) in [
        ("team_id", f.team_id.map(|t| t.to_string())),
        ("agent_id", props.agent_id.map(|a| a.to_string())),
        ("service", f.service.clone()),
        ("bucket", f.bucket.clone()),
    ] {
        if let Some(value) = value {
            let _ = write!(query, "&{key}={value}");
        }
    }
    query
}

/// Horizontal bars of counts scaled to the largest, each `(label, count, link)`. Drawn about as
/// wide as a third of the board at 1366 px, so its 12 px text is not scaled down.
fn count_bars(title: &str, rows: &[(String, u64, Option<String>)]) -> String {
    const ROW: usize = 26;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let mut svg = format!(
        r#"<svg class="bars" viewBox="0 0 320 {}" role="img" aria-label="{}">"#,
        ROW * rows.len() + 4,
        esc(title)
    );
    for (i, (label, n, link)) in rows.iter().enumerate() {
        let y = i * ROW;
        let width = *n as f64 / max * 150.0;
        let _ = write!(
            svg,
            r#"<text class="bar-label" x="124" y="{}" text-anchor="end">{}</text>"#,
            y + 18,
            esc(&cut(label, 20))
        );
        let rect = format!(r#"<rect class="bar" x="130" y="{}" width="{:.1}" height="16"/>"#, y + 5, width.max(1.0));
        match link {
            Some(link) if *n > 0 => {
                let _ = write!(svg, r#"<a class="bar-link" href="{link}">{rect}</a>"#);
            }
            _ => svg.push_str(&rect),
        }
        let _ = write!(svg, r#"<text class="bar-value" x="{:.1}" y="{}">{n}</text>"#, 136.0 + width, y + 18);
    }
    svg.push_str("</svg>");
    svg
}

/// A chart's file buttons: `chart` of `GET /api/dashboards/workload/table`, in the scope shown.
fn files(lang: Lang, props: &ChartProps, w: &Workload, chart: &str, word: &str) -> String {
    let team = props.filter.team_id.map(|t| format!("_tim{t}")).unwrap_or_default();
    file_buttons(
        lang,
        &format!("work-{chart}"),
        &format!("/api/dashboards/workload/table?{}&chart={chart}", props.filter.to_query()),
        &format!("{word}_{}_{}{team}", w.from, w.to),
    )
}

/// A block of the work charts: a titled figure with its bars, a line under them and its files.
fn block(out: &mut String, id: &str, title: &str, bars: &str, line: &str, files: &str) {
    let _ = write!(
        out,
        r#"<figure class="work" id="{id}"><figcaption>{}</figcaption>{bars}<p class="muted">{}</p>{files}</figure>"#,
        esc(title),
        esc(line)
    );
}

/// The labels of the age bands: `0–1`, …, `≥ 11`, with the unit.
fn band_label(lang: Lang, band: usize) -> String {
    let first = AGE_BANDS[band];
    let span = match AGE_BANDS.get(band + 1) {
        Some(next) => format!("{first}–{}", next - 1),
        None => format!("≥ {first}"),
    };
    tf(lang, K::WorkingDays, &[&span])
}

pub(crate) fn charts(lang: Lang, props: &ChartProps, w: &Workload) -> String {
    let mut out = String::from(r#"<div class="work-grid">"#);
    let cutoffs = Date::parse(&w.today).map(band_cutoffs);
    let period = format!("from={}&to={}", w.from, w.to);

    // The backlog: each band's agrees are those called on its days (after the next band's cutoff).
    let backlog: Vec<(String, u64, Option<String>)> = w
        .backlog
        .iter()
        .enumerate()
        .map(|(band, n)| {
            let link = cutoffs.map(|c| {
                let from = c.get(band + 1).map(|d| format!("&from={}", d.add_days(1))).unwrap_or_default();
                href(Route::Cases, &scoped(props, &format!("status=pending{from}&to={}", c[band])))
            });
            (band_label(lang, band), *n, link)
        })
        .collect();
    let waiting: u64 = w.backlog.iter().sum();
    let title = t(lang, K::BacklogByAge);
    block(
        &mut out,
        "work-backlog",
        title,
        &count_bars(title, &backlog),
        &tf(lang, K::WaitingNow, &[&count(lang, waiting as i64)]),
        &files(lang, props, w, "backlog", "antrean"),
    );

    // Overdue follow-ups (the list has no age filter: each bar opens the overdue ones).
    let overdue_link = href(Route::Followups, &scoped(props, "overdue=true"));
    let overdue: Vec<(String, u64, Option<String>)> = w
        .overdue
        .iter()
        .enumerate()
        .map(|(band, n)| (band_label(lang, band), *n, Some(overdue_link.clone())))
        .collect();
    let reopened = reopened_share(&w.returns);
    let line = tf(
        lang,
        K::ReopenedOf,
        &[&count(lang, reopened.num as i64), &count(lang, reopened.den as i64), &rate(lang, reopened.percent())],
    );
    let title = t(lang, K::OverdueByAge);
    block(
        &mut out,
        "work-overdue",
        title,
        &count_bars(title, &overdue),
        &line,
        &files(lang, props, w, "overdue", "terlambat"),
    );

    // Disputes of the period's sheets by outcome.
    let d = &w.disputes;
    let sheets = |status: &str| Some(href(Route::Evaluations, &scoped(props, &format!("{period}&status={status}"))));
    let outcomes = [
        (t(lang, K::DecisionUpheld).to_owned(), d.upheld, sheets("resolved")),
        (t(lang, K::DecisionAmended).to_owned(), d.amended, sheets("resolved")),
        (t(lang, K::DisputeOpen).to_owned(), d.open(), sheets("disputed")),
    ];
    let line =
        tf(lang, K::DaysToResolve, &[&decimal(lang, days_to_resolve(d)), &rate(lang, amended_share(d).percent())]);
    let title = t(lang, K::DisputesTitle);
    block(
        &mut out,
        "work-disputes",
        title,
        &count_bars(title, &outcomes),
        &line,
        &files(lang, props, w, "disputes", "sanggahan"),
    );
    out.push_str("</div>");

    // The officers, against the scope's average.
    if !w.officers.is_empty() {
        let site = average_score(&w.sheets);
        let _ = write!(
            out,
            r#"<h4>{}</h4><p class="muted chart-help">{}</p><div class="table-wrap"><table class="table" id="officers-table"><thead><tr>"#,
            esc(t(lang, K::OfficersTitle)),
            esc(&tf(lang, K::OfficersHelp, &[&decimal(lang, site), &count(lang, i64::from(w.working_days))]))
        );
        for key in [
            K::QcoLabel,
            K::SheetsPerDay,
            K::ValidationsPerDay,
            K::MetricAverageScore,
            K::MetricQcStrictness,
            K::CalibrationDistance,
        ] {
            let _ = write!(out, r#"<th scope="col">{}</th>"#, esc(t(lang, key)));
        }
        out.push_str("</tr></thead><tbody>");
        for o in &w.officers {
            let sheets = href(Route::Evaluations, &scoped(props, &format!("{period}&submitted=true&qco_id={}", o.id)));
            let cases = href(Route::Cases, &scoped(props, &format!("{period}&qco_id={}", o.id)));
            let strict = o.strictness(&w.sheets);
            let _ = write!(
                out,
                r#"<tr data-key="{}"><th scope="row"><a href="{sheets}">{}</a></th><td class="num">{}</td><td class="num"><a href="{cases}">{}</a></td><td class="num">{}</td><td class="num {}">{}</td><td class="num">{}</td></tr>"#,
                o.id,
                esc(&o.name),
                decimal(lang, per_working_day(o.sheets.sheets, w.working_days)),
                decimal(lang, per_working_day(o.validations, w.working_days)),
                decimal(lang, average_score(&o.sheets)),
                match strict {
                    Some(s) if s < 0.0 => "strict",
                    Some(s) if s > 0.0 => "lenient",
                    _ => "",
                },
                strict.map_or("—".to_owned(), |s| format!(
                    "{}{}",
                    if s > 0.0 { "+" } else { "" },
                    decimal(lang, Some(s))
                )),
                rate(lang, o.calibration.percent()),
            );
        }
        out.push_str("</tbody></table></div>");
        out.push_str(&files(lang, props, w, "officers", "petugas_qc"));
    }
    out
}
