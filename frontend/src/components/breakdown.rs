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

use crate::api::dashboards::BoardFilter;
use crate::app::{Route, use_i18n};
use crate::components::doc_parts::RouteLink;
use crate::components::fields::SelectField;
use crate::components::parts::{DownloadButton, rate};
use crate::components::status::{ErrorBanner, Loading};
use crate::datetime::count;
use crate::hooks::{Load, use_fetch};
use crate::i18n::{K, Lang, metric_keys, t, tf};
use domain::Role;
use domain::metrics::{Breakdown, Dimension, Heatmap, Metric, OVERVIEW_METRICS, parameter_fail_rate};
use yew::prelude::*;

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
        Dimension::Team => K::DimTeam,
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
    let data = use_fetch((props.filter.clone(), by_now), |api, (f, by)| async move { api.breakdown(&f, by).await });
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
    let body = match &*data.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={data.reload.clone()} /> },
        Load::Ready(b) if b.rows.is_empty() => {
            html! { <p class="muted" id="breakdown-empty">{ t(lang, K::NothingCounted) }</p> }
        }
        Load::Ready(b) => bars(lang, props, b, *metric),
    };
    html! {
        <section class="chart" id="breakdown" aria-labelledby="breakdown-title">
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

/// The bars of `metric`, the table of all six figures, and its files.
fn bars(lang: Lang, props: &ChartProps, b: &Breakdown, metric: Metric) -> Html {
    const ROW: usize = 26;
    const LEFT: f64 = 180.0;
    const SPAN: f64 = 380.0;
    let height = ROW * b.rows.len() + 22;
    let target = behind(metric);
    let name = t(lang, metric_keys(metric).0);
    let marks = b.rows.iter().enumerate().map(|(i, row)| {
        let y = (i * ROW) as f64;
        let (value, n) = row.tallies.figure(metric);
        let text = format!("{} · {}", shown(lang, metric, value), count(lang, n as i64));
        let bar = value.map(|v| {
            let width = (v.clamp(0.0, 100.0) / 100.0 * SPAN).max(1.0);
            let rect = html! {
                <rect class="bar" data-key={row.key.clone()} x={LEFT.to_string()} y={(y + 5.0).to_string()} width={format!("{width:.1}")} height="16">
                    <title>{ format!("{}: {name} {text}", row.label) }</title>
                </rect>
            };
            match target.clone() {
                Some((to, extra)) => {
                    let query = drill(props, &group_filter(b.by, &row.key), extra);
                    html! { <RouteLink {to} {query} class="bar-link">{ rect }</RouteLink> }
                }
                None => rect,
            }
        });
        let end = LEFT + value.map(|v| v.clamp(0.0, 100.0) / 100.0 * SPAN).unwrap_or(0.0) + 6.0;
        html! {
            <g>
                <text class="bar-label" x={(LEFT - 8.0).to_string()} y={(y + 18.0).to_string()} text-anchor="end">{ cut(&row.label, 24) }</text>
                { for bar }
                <text class="bar-value" x={format!("{end:.1}")} y={(y + 18.0).to_string()}>{ text }</text>
            </g>
        }
    });
    let axis_y = (ROW * b.rows.len() + 4) as f64;
    let ticks = [0.0, 25.0, 50.0, 75.0, 100.0].map(|v| {
        let x = LEFT + v / 100.0 * SPAN;
        html! {
            <>
                <line class="tick" x1={x.to_string()} x2={x.to_string()} y1="0" y2={axis_y.to_string()} />
                <text class="axis" x={x.to_string()} y={(axis_y + 14.0).to_string()} text-anchor="middle">{ v.to_string() }</text>
            </>
        }
    });
    let path = format!("/api/dashboards/breakdown/table?{}&by={}", b_query(b), b.by.as_str());
    html! {
        <>
            <svg class="bars" viewBox={format!("0 0 700 {height}")} role="img" aria-label={format!("{name} / {}", t(lang, dimension_key(b.by)))}>
                { for ticks }
                { for marks }
            </svg>
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

/// The query of an answer's own period and scope, for its files.
fn b_query(b: &Breakdown) -> String {
    scoped_query(&b.from, &b.to, b.team_id, b.service.map(|s| s.as_str()), b.bucket.map(|k| k.as_str()))
}

fn scoped_query(from: &str, to: &str, team: Option<i64>, service: Option<&str>, bucket: Option<&str>) -> String {
    BoardFilter {
        from: Some(from.to_owned()),
        to: Some(to.to_owned()),
        team_id: team,
        service: service.map(str::to_owned),
        bucket: bucket.map(str::to_owned),
    }
    .to_query()
}

/// Each F-18 parameter's fail rate per team or agent of the overview's scope.
#[component]
pub fn FailHeatmap(props: &ChartProps) -> Html {
    let lang = use_i18n().lang;
    let data = use_fetch(props.filter.clone(), |api, f| async move { api.heatmap(&f).await });
    let body = match &*data.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={data.reload.clone()} /> },
        Load::Ready(h) if h.cells.is_empty() => {
            html! { <p class="muted" id="heatmap-empty">{ t(lang, K::NothingCounted) }</p> }
        }
        Load::Ready(h) => heatmap(lang, props, h),
    };
    html! {
        <section class="chart" id="heatmap" aria-labelledby="heatmap-title">
            <div class="chart-head"><h3 id="heatmap-title">{ t(lang, K::HeatmapTitle) }</h3></div>
            <p class="muted chart-help">{ t(lang, K::MetricParameterFailRateHelp) }{ " " }{ t(lang, K::HeatmapHelp) }</p>
            { body }
        </section>
    }
}

fn heatmap(lang: Lang, props: &ChartProps, h: &Heatmap) -> Html {
    let worst = h.worst();
    let cell = |parameter: &str, column: &str| -> Html {
        let Some(c) = h.cells.iter().find(|c| c.parameter == parameter && c.column == column) else {
            return html! { <td class="heat muted">{ "—" }</td> };
        };
        let r = parameter_fail_rate(&c.tally);
        let value = r.percent();
        let marked = worst.iter().any(|(p, k)| p == parameter && k == column);
        // Shade: white at 0 %, full red from 50 % on (a parameter failed every other time).
        let alpha = value.map(|v| (v / 50.0).min(1.0) * 0.85).unwrap_or(0.0);
        let style = format!("background:rgba(220,38,38,{alpha:.2})");
        let class = classes!("heat", (alpha > 0.5).then_some("heat-dark"), marked.then_some("worst"));
        let title = tf(lang, K::FailedOf, &[&count(lang, c.tally.fail as i64), &count(lang, r.den as i64)]);
        let query = drill(props, &group_filter(h.by, column), &format!("submitted=true&failed={parameter}"));
        html! {
            <td {class} {style} {title} data-parameter={parameter.to_owned()} data-column={column.to_owned()}>
                <RouteLink to={Route::Evaluations} {query}>{ rate(lang, value) }{ if marked { " ▲" } else { "" } }</RouteLink>
            </td>
        }
    };
    let name = format!("gagal_parameter_{}_{}", h.from, h.to);
    let path = format!(
        "/api/dashboards/heatmap/table?{}",
        scoped_query(&h.from, &h.to, h.team_id, h.service.map(|s| s.as_str()), h.bucket.map(|b| b.as_str()))
    );
    html! {
        <>
            <div class="table-wrap"><table class="table heatmap" id="heatmap-table">
                <thead><tr>
                    <th scope="col">{ t(lang, K::ParameterCount) }</th>
                    { for h.columns.iter().map(|c| html! { <th scope="col" class="num">{ c.label.clone() }</th> }) }
                </tr></thead>
                <tbody>
                    { for h.parameters.iter().map(|p| html! {
                        <tr>
                            <th scope="row" title={p.key.clone()}>{ cut(&p.label, 48) }if p.fatal { <span class="badge badge-danger">{ t(lang, K::FatalItem) }</span> }</th>
                            { for h.columns.iter().map(|c| cell(&p.key, &c.key)) }
                        </tr>
                    }) }
                </tbody>
            </table></div>
            { downloads(["heatmap-xlsx", "heatmap-csv"], path, name) }
        </>
    }
}
