//! The overview's two charts (issue 13) under its tiles, in the overview's scope and period:
//! - [`BreakdownChart`]: one figure per team, agent, service or bucket, as horizontal SVG bars on
//!   the figures' common 0–100 scale, each bar a link to the records behind it; the six figures
//!   per group as a table, and that table as CSV or XLSX.
//! - [`FailHeatmap`]: each F-18 parameter's fail rate per team (the site) or agent (a team), as a
//!   table whose cells are shaded by the rate, the worst ones marked (`Heatmap::worst`), each
//!   cell a link to the sheets that failed the parameter.
//!
//! Both are plain SVG and HTML drawn here, without a chart library: the bars cost the bundle
//! less than a crate's runtime would, and a table is what a screen reader reads anyway.

use crate::api::dashboards::{BoardFilter, read_breakdown, read_heatmap};
use crate::api::{fetch_json, read_json};
use crate::app::{Route, use_i18n};
use crate::components::fields::SelectField;
use crate::components::parts::{DownloadButton, rate};
use crate::components::status::{ErrorBanner, Loading};
use crate::datetime::count;
use crate::hooks::{Load, use_fetch};
use crate::i18n::{K, Lang, metric_keys, t, tf};
use domain::Role;
use domain::html::escape as esc;
use domain::metrics::{Breakdown, Dimension, Heatmap, Metric, OVERVIEW_METRICS, parameter_fail_rate};
use yew::TargetCast;
use yew::prelude::*;
use yew_router::prelude::use_navigator;

/// The overview's scope as the server answered it, which the charts ask for and link with.
#[derive(Properties, PartialEq, Clone)]
pub struct ChartProps {
    pub filter: BoardFilter,
    /// The agent whose own overview this is (an agent's), for the links.
    pub agent_id: Option<i64>,
    pub role: Role,
}

/// The list a metric's records are on, and its filter for them.
pub fn behind(metric: Metric) -> Option<(Route, &'static str)> {
    match metric {
        Metric::ApprovalRate => Some((Route::Cases, "status=approved")),
        Metric::ReturnRate | Metric::ReturnOnTime => Some((Route::Cases, "status=returned")),
        Metric::AverageScore => Some((Route::Evaluations, "submitted=true")),
        Metric::FatalRate => Some((Route::Evaluations, "submitted=true&fatal=true")),
        Metric::DisputeRate => Some((Route::Evaluations, "disputed=true")),
        Metric::ParameterFailRate | Metric::QcStrictness => None,
    }
}

/// The list's query for the scope, one group of it (`team_id=3`) and the figure's own filter.
fn drill(props: &ChartProps, group: &str, extra: &str) -> AttrValue {
    let mut query = props.filter.to_query();
    if let Some(agent) = props.agent_id {
        query.push_str(&format!("&agent_id={agent}"));
    }
    for part in [group, extra] {
        query.push('&');
        query.push_str(part);
    }
    AttrValue::from(query)
}

/// A group's filter on the lists: the dimension's query key and the group's key.
fn group_filter(by: Dimension, key: &str) -> String {
    let field = match by {
        Dimension::Team => "team_id",
        Dimension::Agent => "agent_id",
        Dimension::Service => "service",
        Dimension::Bucket => "bucket",
    };
    format!("{field}={key}")
}

fn dimension_key(by: Dimension) -> K {
    match by {
        Dimension::Team => K::TeamLabel,
        Dimension::Agent => K::AgentLabel,
        Dimension::Service => K::ServiceLabel,
        Dimension::Bucket => K::BucketLabel,
    }
}

/// `87,50` (`87.50`), `%` for rates; a dash when nothing was counted.
pub fn shown(lang: Lang, metric: Metric, value: Option<f64>) -> String {
    if metric.unit() == domain::metrics::Unit::Percent {
        rate(lang, value)
    } else {
        crate::components::parts::decimal(lang, value)
    }
}

/// A label cut to `max` characters, with an ellipsis.
fn cut(label: &str, max: usize) -> String {
    if label.chars().count() <= max { label.to_owned() } else { label.chars().take(max - 1).chain(['…']).collect() }
}

/// The files of a chart's table.
fn downloads(ids: [&'static str; 2], path: String, name: String) -> Html {
    html! {
        <div class="toolbar">
            <DownloadButton id={ids[0]} path={format!("{path}&format=xlsx")} name={format!("{name}.xlsx")} label={K::DownloadXlsx} />
            <DownloadButton id={ids[1]} path={format!("{path}&format=csv")} name={format!("{name}.csv")} label={K::DownloadCsv} />
        </div>
    }
}

/// One figure per team, agent, service or bucket of the overview's scope.
#[component]
pub fn BreakdownChart(props: &ChartProps) -> Html {
    let lang = use_i18n().lang;
    let navigator = use_navigator();
    // A team leader compares their agents; an agent, their own work by service and bucket.
    let dimensions: &[Dimension] = match props.role {
        Role::Agent => &[Dimension::Service, Dimension::Bucket],
        Role::TeamLeader => &[Dimension::Agent, Dimension::Service, Dimension::Bucket],
        _ if props.filter.team_id.is_some() => &[Dimension::Agent, Dimension::Service, Dimension::Bucket],
        _ => &Dimension::ALL,
    };
    let by = use_state(|| dimensions[0]);
    let by_now = if dimensions.contains(&*by) { *by } else { dimensions[0] };
    let metric = use_state(|| Metric::AverageScore);
    let data = use_fetch(props.filter.path("breakdown", &[("by", Some(by_now.as_str().to_owned()))]), fetch_json);
    let pick_by = {
        let by = by.clone();
        Callback::from(move |v: String| by.set(v.parse().unwrap_or(Dimension::Team)))
    };
    let pick_metric = {
        let metric = metric.clone();
        Callback::from(move |v: String| metric.set(v.parse().unwrap_or(Metric::AverageScore)))
    };
    let by_options: Vec<(AttrValue, AttrValue)> =
        dimensions.iter().map(|d| (AttrValue::from(d.as_str()), AttrValue::from(t(lang, dimension_key(*d))))).collect();
    let metric_options: Vec<(AttrValue, AttrValue)> = OVERVIEW_METRICS
        .iter()
        .map(|m| (AttrValue::from(m.as_str()), AttrValue::from(t(lang, metric_keys(*m).0))))
        .collect();
    let body = match read_json(&data.state, read_breakdown) {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner {error} on_retry={data.reload.clone()} /> },
        Load::Ready(b) if b.rows.is_empty() => {
            html! { <p class="muted" id="breakdown-empty">{ t(lang, K::EmptyList) }</p> }
        }
        Load::Ready(b) => bars(lang, props, &b, *metric),
    };
    html! {
        <section class="chart" id="breakdown" aria-labelledby="breakdown-title" onclick={follow(navigator)}>
            <div class="chart-head">
                <h3 id="breakdown-title">{ t(lang, K::BreakdownTitle) }</h3>
                <SelectField id="breakdown-by" label={t(lang, K::GroupBy)} value={by_now.as_str()} options={by_options} on_change={pick_by} />
                <SelectField id="breakdown-metric" label={t(lang, K::FigureLabel)} value={metric.as_str()} options={metric_options} on_change={pick_metric} />
            </div>
            <p class="muted chart-help">{ t(lang, metric_keys(*metric).1) }</p>
            { body }
        </section>
    }
}

/// A list's address for a chart's link: the route's path and the query.
fn href(to: Route, query: &str) -> String {
    format!("{}?{}", yew_router::Routable::to_path(&to), esc(query))
}

/// A click on a link inside a chart's markup, followed inside the app as `RouteLink` follows
/// one. The charts' many marks with computed attributes are built as one string each
/// ([`Html::from_html_unchecked`], every name and label through [`esc`]): as Yew elements they
/// cost the bundle some 4 KB more.
fn follow(navigator: Option<yew_router::prelude::Navigator>) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        if e.button() != 0 || e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key() {
            return;
        }
        let link = e.target_dyn_into::<web_sys::Element>().and_then(|t| t.closest("a").ok().flatten());
        let Some(href) = link.and_then(|a| a.get_attribute("href")) else { return };
        let (path, query) = href.split_once('?').unwrap_or((href.as_str(), ""));
        if let (Some(navigator), Some(route)) = (&navigator, <Route as yew_router::Routable>::recognize(path)) {
            e.prevent_default();
            let pairs: Vec<(&str, &str)> = crate::api::query_pairs(query).collect();
            let _ = navigator.push_with_query(&route, &pairs);
        }
    })
}

/// The bars of `metric`, the table of all six figures, and its files.
fn bars(lang: Lang, props: &ChartProps, b: &Breakdown, metric: Metric) -> Html {
    use std::fmt::Write;
    const ROW: usize = 26;
    const LEFT: f64 = 180.0;
    const SPAN: f64 = 380.0;
    let axis = ROW * b.rows.len() + 4;
    let name = t(lang, metric_keys(metric).0);
    // The grid at 0, 25, 50, 75 and 100 (x = 180 + v × 3.8) under the bars, labelled below them.
    let mut svg = format!(
        r#"<svg class="bars" viewBox="0 0 700 {}" role="img" aria-label="{}"><path class="tick" d="M180 0V{axis}M275 0V{axis}M370 0V{axis}M465 0V{axis}M560 0V{axis}"/><g class="axis" text-anchor="middle" transform="translate(0 {})"><text x="180">0</text><text x="275">25</text><text x="370">50</text><text x="465">75</text><text x="560">100</text></g>"#,
        axis + 18,
        esc(&format!("{name} / {}", t(lang, dimension_key(b.by)))),
        axis + 14
    );
    for (i, row) in b.rows.iter().enumerate() {
        let y = i * ROW;
        let (value, n) = row.tallies.figure(metric);
        let text = format!("{} · {}", shown(lang, metric, value), count(lang, n as i64));
        let _ = write!(
            svg,
            r#"<text class="bar-label" x="{}" y="{}" text-anchor="end">{}</text>"#,
            LEFT - 8.0,
            y + 18,
            esc(&cut(&row.label, 24))
        );
        let width = value.map(|v| v.clamp(0.0, 100.0) / 100.0 * SPAN);
        if let Some(width) = width {
            let rect = format!(
                r#"<rect class="bar" data-key="{}" x="{LEFT}" y="{}" width="{:.1}" height="16"/>"#,
                esc(&row.key),
                y + 5,
                width.max(1.0)
            );
            match behind(metric) {
                Some((to, extra)) => {
                    let query = drill(props, &group_filter(b.by, &row.key), extra);
                    let _ = write!(svg, r#"<a class="bar-link" href="{}">{rect}</a>"#, href(to, &query));
                }
                None => svg.push_str(&rect),
            }
        }
        let _ = write!(
            svg,
            r#"<text class="bar-value" x="{:.1}" y="{}">{text}</text>"#,
            LEFT + width.unwrap_or(0.0) + 6.0,
            y + 18
        );
    }
    svg.push_str("</svg>");
    let path = format!("/api/dashboards/breakdown/table?{}&by={}", props.filter.to_query(), b.by.as_str());
    html! {
        <>
            { Html::from_html_unchecked(svg.into()) }
            <details class="trend-table">
                <summary>{ t(lang, K::BreakdownTable) }</summary>
                { figures_table(lang, "breakdown-table", t(lang, dimension_key(b.by)), b.rows.iter().map(|r| (r.key.clone(), r.label.clone(), r.tallies))) }
                { downloads(["breakdown-xlsx", "breakdown-csv"], path, format!("rincian_{}_{}_{}", b.by.as_str(), b.from, b.to)) }
            </details>
        </>
    }
}

/// The six figures of the overview per row (a month, a group), as a table: what a screen reader
/// reads of a chart, and what its files hold.
pub fn figures_table(
    lang: Lang,
    id: &'static str,
    first: &str,
    rows: impl Iterator<Item = (String, String, domain::metrics::Tallies)>,
) -> Html {
    html! {
        <div class="table-wrap"><table class="table" {id}>
            <thead><tr>
                <th scope="col">{ first.to_owned() }</th>
                { for OVERVIEW_METRICS.into_iter().map(|m| html! { <th scope="col" class="num">{ t(lang, metric_keys(m).0) }</th> }) }
            </tr></thead>
            <tbody>
                { for rows.map(|(key, label, tallies)| html! {
                    <tr data-key={key}>
                        <th scope="row">{ label }</th>
                        { for OVERVIEW_METRICS.into_iter().map(|m| html! { <td class="num">{ shown(lang, m, tallies.figure(m).0) }</td> }) }
                    </tr>
                }) }
            </tbody>
        </table></div>
    }
}

/// Each F-18 parameter's fail rate per team or agent of the overview's scope.
#[component]
pub fn FailHeatmap(props: &ChartProps) -> Html {
    let lang = use_i18n().lang;
    let navigator = use_navigator();
    let data = use_fetch(props.filter.path("heatmap", &[]), fetch_json);
    let body = match read_json(&data.state, read_heatmap) {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner {error} on_retry={data.reload.clone()} /> },
        Load::Ready(h) if h.cells.is_empty() => {
            html! { <p class="muted" id="heatmap-empty">{ t(lang, K::EmptyList) }</p> }
        }
        Load::Ready(h) => heatmap(lang, props, &h),
    };
    html! {
        <section class="chart" id="heatmap" aria-labelledby="heatmap-title" onclick={follow(navigator)}>
            <div class="chart-head"><h3 id="heatmap-title">{ t(lang, K::HeatmapTitle) }</h3></div>
            <p class="muted chart-help">{ t(lang, K::MetricParameterFailRateHelp) }{ " " }{ t(lang, K::HeatmapHelp) }</p>
            { body }
        </section>
    }
}

fn heatmap(lang: Lang, props: &ChartProps, h: &Heatmap) -> Html {
    use std::fmt::Write;
    let worst = h.worst();
    let mut table = format!(
        r#"<div class="table-wrap"><table class="table heatmap" id="heatmap-table"><thead><tr><th scope="col">{}</th>"#,
        esc(t(lang, K::ParameterCount))
    );
    for c in &h.columns {
        let _ = write!(table, r#"<th scope="col" class="num">{}</th>"#, esc(&c.label));
    }
    table.push_str("</tr></thead><tbody>");
    for p in &h.parameters {
        let fatal = if p.fatal {
            format!(r#" <span class="badge badge-danger">{}</span>"#, esc(t(lang, K::FatalItem)))
        } else {
            String::new()
        };
        let _ = write!(table, r#"<tr><th scope="row" title="{}">{}{fatal}</th>"#, esc(&p.key), esc(&p.label));
        for column in &h.columns {
            let Some(c) = h.cells.iter().find(|c| c.parameter == p.key && c.column == column.key) else {
                table.push_str(r#"<td class="heat muted">—</td>"#);
                continue;
            };
            let r = parameter_fail_rate(&c.tally);
            let value = r.percent();
            let marked = worst.iter().any(|(k, col)| *k == p.key && *col == column.key);
            // Shade by class (the CSP allows no inline style): none at 0 %, five steps of red,
            // the darkest from 40 % on (a parameter failed two times in five).
            let level = value.map_or(0, |v| if v <= 0.0 { 0 } else { (1 + (v / 10.0) as usize).min(5) });
            let class = if marked { " worst" } else { "" };
            let title = tf(lang, K::FailedOf, &[&count(lang, c.tally.fail as i64), &count(lang, r.den as i64)]);
            let query = drill(props, &group_filter(h.by, &column.key), &format!("submitted=true&failed={}", p.key));
            let _ = write!(
                table,
                r#"<td class="heat heat{level}{class}" title="{}" data-parameter="{}" data-column="{}"><a href="{}">{}{}</a></td>"#,
                esc(&title),
                esc(&p.key),
                esc(&column.key),
                href(Route::Evaluations, &query),
                rate(lang, value),
                if marked { " ▲" } else { "" }
            );
        }
        table.push_str("</tr>");
    }
    table.push_str("</tbody></table></div>");
    let name = format!("gagal_parameter_{}_{}", h.from, h.to);
    let path = format!("/api/dashboards/heatmap/table?{}", props.filter.to_query());
    html! {
        <>
            { Html::from_html_unchecked(table.into()) }
            { downloads(["heatmap-xlsx", "heatmap-csv"], path, name) }
        </>
    }
}
