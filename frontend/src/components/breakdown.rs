//! The overview's charts (issues 13 and 16) under its tiles, in the overview's scope and period,
//! all drawn by one component, [`ChartPanel`]:
//! - [`Panel::Breakdown`]: one figure per team, agent, service or bucket, as horizontal SVG bars
//!   on the figures' common 0–100 scale, each bar a link to the records behind it; the six
//!   figures per group as a table, and that table as CSV or XLSX.
//! - [`Panel::Heatmap`]: each F-18 parameter's fail rate per team (the site) or agent (a team),
//!   as a table whose cells are shaded by the rate, the worst ones marked (`Heatmap::worst`),
//!   each cell a link to the sheets that failed the parameter.
//! - [`Panel::Workload`]: the queues by age, the disputes and the QC officers
//!   (`super::workload`).
//! - [`Panel::Promises`]: the keep-rate report by QC's outcome (the report page's own table).
//!
//! They are plain SVG and HTML drawn here, without a chart library: the bars cost the bundle
//! less than a crate's runtime would, and a table is what a screen reader reads anyway.

use crate::api::cases::{PromiseQuery, promise_path};
use crate::api::dashboards::{BoardFilter, read_breakdown, read_heatmap, read_promises, read_workload};
use crate::api::{fetch_json, read_json};
use crate::app::{Route, use_i18n};
use crate::components::doc_parts::RouteLink;
use crate::components::fields::SelectField;
use crate::components::parts::{DownloadButton, rate};
use crate::components::status::{ErrorBanner, Loading};
use crate::datetime::count;
use crate::hooks::{Load, use_fetch};
use crate::i18n::{K, Lang, metric_keys, t, tf};
use domain::Role;
pub(crate) use domain::html::escape as esc;
use domain::metrics::{Breakdown, Dimension, Heatmap, Metric, OVERVIEW_METRICS, parameter_fail_rate};
use domain::promises::PromiseGroup;
use yew::TargetCast;
use yew::prelude::*;

/// The overview's scope as the server answered it, which the charts ask for and link with.
#[derive(Properties, PartialEq, Clone)]
pub struct ChartProps {
    pub filter: BoardFilter,
    /// The agent whose own overview this is (an agent's), for the links.
    pub agent_id: Option<i64>,
    pub role: Role,
    /// Which panel a [`ChartPanel`] draws.
    #[prop_or_default]
    pub panel: Panel,
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
pub(crate) fn cut(label: &str, max: usize) -> String {
    if label.chars().count() <= max { label.to_owned() } else { label.chars().take(max - 1).chain(['…']).collect() }
}

/// The files of a chart's table.
pub(crate) fn downloads(ids: [&'static str; 2], path: String, name: String) -> Html {
    html! {
        <div class="toolbar">
            <DownloadButton id={ids[0]} path={format!("{path}&format=xlsx")} name={format!("{name}.xlsx")} label={K::DownloadXlsx} />
            <DownloadButton id={ids[1]} path={format!("{path}&format=csv")} name={format!("{name}.csv")} label={K::DownloadCsv} />
        </div>
    }
}

/// A list's address for a chart's link: the route's path and the query.
pub(crate) fn href(to: Route, query: &str) -> String {
    format!("{}?{}", yew_router::Routable::to_path(&to), esc(query))
}

/// A click on a link inside the board's markup (tiles, charts), followed inside the app as
/// `RouteLink` follows one; a click a `RouteLink` already followed is left alone. A button of the
/// markup with `data-file` (an API path) and `data-name` downloads that file as a
/// `DownloadButton` does: saying so while it runs, and the refusal in its place if any.
/// The charts' many marks with computed attributes are built as one string each
/// ([`Html::from_html_unchecked`], every name and label through [`esc`]): as Yew elements they
/// cost the bundle some 4 KB more.
pub(crate) fn follow(
    navigator: Option<yew_router::prelude::Navigator>,
    api: crate::api::Api,
    lang: Lang,
) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        if e.default_prevented() || e.button() != 0 || e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key() {
            return;
        }
        let target = e.target_dyn_into::<web_sys::Element>();
        if let Some(button) = target.as_ref().and_then(|t| t.closest("[data-file]").ok().flatten()) {
            let (Some(path), Some(name)) = (button.get_attribute("data-file"), button.get_attribute("data-name"))
            else {
                return;
            };
            if button.get_attribute("aria-busy").is_some() {
                return;
            }
            let label = button.text_content().unwrap_or_default();
            let _ = button.set_attribute("aria-busy", "true");
            button.set_text_content(Some(t(lang, K::Downloading)));
            let api = api.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let failed = match api.download(&path).await {
                    Ok(file) => crate::files::save_file(&file.bytes, &file.content_type, &name)
                        .is_none()
                        .then(|| t(lang, K::ErrNetwork).to_owned()),
                    Err(e) => Some(crate::components::status::error_text(lang, &e)),
                };
                let _ = button.remove_attribute("aria-busy");
                button.set_text_content(Some(&label));
                if let Some(text) = failed {
                    let _ = button.set_attribute("title", &text);
                    let _ = button.insert_adjacent_text("afterend", &format!(" {text}"));
                }
            });
            return;
        }
        let link = target.and_then(|t| t.closest("a").ok().flatten());
        let Some(href) = link.and_then(|a| a.get_attribute("href")) else { return };
        let (path, query) = href.split_once('?').unwrap_or((href.as_str(), ""));
        if let (Some(navigator), Some(route)) = (&navigator, <Route as yew_router::Routable>::recognize(path)) {
            e.prevent_default();
            let pairs: Vec<(&str, &str)> = crate::api::query_pairs(query).collect();
            let _ = navigator.push_with_query(&route, &pairs);
        }
    })
}

/// The file buttons of a chart drawn as markup (see [`follow`]): XLSX and CSV of `path` (with
/// its query), saved as `name` with the format's extension.
pub(crate) fn file_buttons(lang: Lang, id: &str, path: &str, name: &str) -> String {
    let mut out = String::from(r#"<div class="toolbar files">"#);
    for (format, label) in [("xlsx", K::DownloadXlsx), ("csv", K::DownloadCsv)] {
        out.push_str(&format!(
            r#"<button type="button" class="btn btn-secondary btn-small" id="{id}-{format}" data-file="{}" data-name="{}.{format}">{}</button>"#,
            esc(&format!("{path}&format={format}")),
            esc(name),
            esc(t(lang, label))
        ));
    }
    out.push_str("</div>");
    out
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
/// reads of a chart, and what its files hold. One markup string, as the charts' marks are.
pub fn figures_table(
    lang: Lang,
    id: &'static str,
    first: &str,
    rows: impl Iterator<Item = (String, String, domain::metrics::Tallies)>,
) -> Html {
    use std::fmt::Write;
    let mut out = format!(
        r#"<div class="table-wrap"><table class="table" id="{id}"><thead><tr><th scope="col">{}</th>"#,
        esc(first)
    );
    for m in OVERVIEW_METRICS {
        let _ = write!(out, r#"<th scope="col" class="num">{}</th>"#, esc(t(lang, metric_keys(m).0)));
    }
    out.push_str("</tr></thead><tbody>");
    for (key, label, tallies) in rows {
        let _ = write!(out, r#"<tr data-key="{}"><th scope="row">{}</th>"#, esc(&key), esc(&label));
        for m in OVERVIEW_METRICS {
            let _ = write!(out, r#"<td class="num">{}</td>"#, esc(&shown(lang, m, tallies.figure(m).0)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    Html::from_html_unchecked(out.into())
}

/// What a [`ChartPanel`] shows.
#[derive(PartialEq, Clone, Copy, Default)]
pub enum Panel {
    /// One figure per team, agent, service or bucket of the overview's scope.
    #[default]
    Breakdown,
    /// Each F-18 parameter's fail rate per team or agent of the overview's scope.
    Heatmap,
    /// The backlog, overdue follow-ups, disputes and QC officers ([`super::workload`]).
    Workload,
    /// The keep-rate report by QC's outcome (issue 16): the report's own table.
    Promises,
}

/// A panel's answer, told by its shape: the keep-rate report states its rules (`grace_days`), a
/// breakdown has rows, a heatmap cells.
enum Answer {
    Breakdown(Breakdown),
    Heatmap(Heatmap),
    Workload(domain::metrics::Workload),
    Promises(domain::promises::PromiseReport),
}

fn read_panel(v: &serde_json::Value) -> Option<Answer> {
    if v.get("grace_days").is_some() {
        read_promises(v).map(Answer::Promises)
    } else if v.get("rows").is_some() {
        read_breakdown(v).map(Answer::Breakdown)
    } else if v.get("cells").is_some() {
        read_heatmap(v).map(Answer::Heatmap)
    } else {
        read_workload(v).map(Answer::Workload)
    }
}

/// A chart of its own dashboard answer. One component for the three panels: each Yew component
/// costs the bundle its own copy of the machinery (some 2 KB brotli), the drawing is what differs.
#[component]
pub fn ChartPanel(props: &ChartProps) -> Html {
    let lang = use_i18n().lang;
    let panel = props.panel;
    // The breakdown's pickers. A team leader compares their agents; an agent, their own work by
    // service and bucket.
    let dimensions: &[Dimension] = match props.role {
        Role::Agent => &[Dimension::Service, Dimension::Bucket],
        Role::TeamLeader => &[Dimension::Agent, Dimension::Service, Dimension::Bucket],
        _ if props.filter.team_id.is_some() => &[Dimension::Agent, Dimension::Service, Dimension::Bucket],
        _ => &Dimension::ALL,
    };
    let by = use_state(|| dimensions[0]);
    let by_now = if dimensions.contains(&*by) { *by } else { dimensions[0] };
    let metric = use_state(|| Metric::AverageScore);
    let f = &props.filter;
    // The keep rates are the keep-rate report's, in the board's period and filter.
    let promises = PromiseQuery {
        from: f.from.clone().unwrap_or_default(),
        to: f.to.clone().unwrap_or_default(),
        team_id: f.team_id,
        group_by: PromiseGroup::Result,
        service: f.service.clone(),
        bucket: f.bucket.clone(),
    };
    let (id, title, path) = match panel {
        Panel::Breakdown => {
            ("breakdown", K::BreakdownTitle, f.path("breakdown", &[("by", Some(by_now.as_str().to_owned()))]))
        }
        Panel::Heatmap => ("heatmap", K::HeatmapTitle, f.path("heatmap", &[])),
        Panel::Workload => ("workload", K::WorkloadTitle, f.path("workload", &[])),
        Panel::Promises => ("keep-rates", K::KeepRatesTitle, promise_path(&promises, None)),
    };
    let data = use_fetch(path, fetch_json);
    let empty = |id: &'static str| html! { <p class="muted" {id}>{ t(lang, K::EmptyList) }</p> };
    let body = match read_json(&data.state, read_panel) {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner {error} on_retry={data.reload.clone()} /> },
        Load::Ready(Answer::Breakdown(b)) if b.rows.is_empty() => empty("breakdown-empty"),
        Load::Ready(Answer::Breakdown(b)) => bars(lang, props, &b, *metric),
        Load::Ready(Answer::Heatmap(h)) if h.cells.is_empty() => empty("heatmap-empty"),
        Load::Ready(Answer::Heatmap(h)) => heatmap(lang, props, &h),
        Load::Ready(Answer::Workload(w)) => Html::from_html_unchecked(super::workload::charts(lang, props, &w).into()),
        Load::Ready(Answer::Promises(r)) => crate::pages::cases::promise_table(lang, &promises, &r),
    };
    let (pickers, help) = match panel {
        Panel::Breakdown => {
            let pick_by = {
                let by = by.clone();
                Callback::from(move |v: String| by.set(v.parse().unwrap_or(Dimension::Team)))
            };
            let pick_metric = {
                let metric = metric.clone();
                Callback::from(move |v: String| metric.set(v.parse().unwrap_or(Metric::AverageScore)))
            };
            let by_options: Vec<(AttrValue, AttrValue)> = dimensions
                .iter()
                .map(|d| (AttrValue::from(d.as_str()), AttrValue::from(t(lang, dimension_key(*d)))))
                .collect();
            let metric_options: Vec<(AttrValue, AttrValue)> = OVERVIEW_METRICS
                .iter()
                .map(|m| (AttrValue::from(m.as_str()), AttrValue::from(t(lang, metric_keys(*m).0))))
                .collect();
            let pickers = html! {
                <>
                    <SelectField id="breakdown-by" label={t(lang, K::GroupBy)} value={by_now.as_str()} options={by_options} on_change={pick_by} />
                    <SelectField id="breakdown-metric" label={t(lang, K::FigureLabel)} value={metric.as_str()} options={metric_options} on_change={pick_metric} />
                </>
            };
            (pickers, t(lang, metric_keys(*metric).1).to_owned())
        }
        Panel::Heatmap => {
            (Html::default(), format!("{} {}", t(lang, K::MetricParameterFailRateHelp), t(lang, K::HeatmapHelp)))
        }
        Panel::Workload => (Html::default(), t(lang, K::AgeHelp).to_owned()),
        Panel::Promises => (
            html! { <RouteLink to={Route::ReportPromises} class="btn btn-secondary btn-small">{ t(lang, K::PromiseReportTitle) }</RouteLink> },
            t(lang, K::KeepRatesHelp).to_owned(),
        ),
    };
    html! {
        <section class="chart" {id} aria-labelledby={format!("{id}-title")}>
            <div class="chart-head"><h3 id={format!("{id}-title")}>{ t(lang, title) }</h3>{ pickers }</div>
            <p class="muted chart-help">{ help }</p>
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
