//! The landing page's dashboard (issue 13): for the period in the page's address (default: this
//! month so far), each figure of the caller's scope — the site, a team leader's team, an agent's
//! own — with its change against the period before and its twelve-month trend line, what waits
//! now, and the figures month by month as a table. Figures come from the server's counts through
//! `domain::metrics`, so they are the ones `docs/metrics.md` defines.

use crate::api::dashboards::{BoardFilter, read_overview};
use crate::api::{fetch_json, read_json};
use crate::app::{Route, use_auth, use_i18n};
use crate::components::breakdown::{ChartPanel, Panel, downloads, esc, figures_table, follow, href, shown};
use crate::components::doc_parts::RouteLink;
use crate::components::fields::SelectField;
use crate::components::parts::{date_input, decimal, options, stat};
use crate::components::status::{ErrorBanner, Loading};
use crate::datetime::{count, long_date, month_label};
use crate::hooks::{Load, use_fetch, use_teams};
use crate::i18n::{K, Lang, metric_keys, t};
use domain::cases::{Bucket, Service};
use domain::metrics::{Better, Metric, Overview, Tallies};
use domain::{Action, Role, can};
use std::fmt::Write;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::{use_location, use_navigator};

/// The figures of the overview, in the order of its tiles.
const TILES: [Metric; 6] = domain::metrics::OVERVIEW_METRICS;

/// A metric's figure over some tallies (points or a percentage), and how many records it counts.
fn figure(metric: Metric, t: &Tallies) -> (Option<f64>, u64) {
    t.figure(metric)
}

/// A twelve-month line of one figure; months without records leave a gap.
fn sparkline(out: &mut String, values: &[Option<f64>], label: &str) {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let (low, high) = known.iter().fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
    let span = if high - low < 1.0 { 1.0 } else { high - low };
    let step = 116.0 / (values.len().max(2) - 1) as f64;
    let label = esc(label);
    let _ = write!(
        out,
        r#"<svg class="spark" viewBox="0 0 120 30" width="120" height="30" role="img" aria-label="{label}"><title>{label}</title>"#
    );
    let mut open = false;
    for (i, value) in values.iter().enumerate() {
        match value {
            Some(v) => {
                let (x, y) = (2.0 + step * i as f64, 26.0 - (v - low) / span * 22.0);
                out.push_str(if open { " " } else { r#"<polyline points=""# });
                open = true;
                let _ = write!(out, "{x:.1},{y:.1}");
            }
            None if open => {
                out.push_str(r#""/>"#);
                open = false;
            }
            None => {}
        }
    }
    if open {
        out.push_str(r#""/>"#);
    }
    out.push_str("</svg>");
}

/// The change against the period before, coloured by whether it is good news.
fn change(out: &mut String, lang: Lang, metric: Metric, now: Option<f64>, before: Option<f64>) {
    let (Some(now), Some(before)) = (now, before) else {
        out.push_str(r#"<span class="delta">—</span>"#);
        return;
    };
    let d = now - before;
    let good = match metric.better() {
        Better::Higher => d > 0.0,
        Better::Lower => d < 0.0,
        Better::NearZero => now.abs() < before.abs(),
    };
    let (class, arrow) = if d.abs() < 0.005 {
        ("delta", "=")
    } else {
        (if good { "delta good" } else { "delta bad" }, if d > 0.0 { "▲" } else { "▼" })
    };
    let _ = write!(out, r#"<span class="{class}">{arrow} {}</span>"#, decimal(lang, Some(d.abs())));
}

/// The overview under the landing page's heading, for every role that sees cases.
#[component]
pub fn OverviewBoard() -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigator = use_navigator();
    let api = crate::app::use_api();
    let role = auth.user().map(|u| u.role).unwrap_or(Role::DocController);
    let sees = can(role, Action::ViewCases);
    let site = sees && role != Role::TeamLeader && role != Role::Agent;
    let filter = BoardFilter::from_query(use_location().map(|l| l.query_str().to_owned()).unwrap_or_default().as_str());
    let draft = use_state(|| filter.clone());
    let board = use_fetch(if sees { filter.path("overview", &[]) } else { String::new() }, fetch_json);
    let teams = use_teams(site);
    if !sees {
        return Html::default();
    }
    let lang = i18n.lang;
    let set = |apply: fn(&mut BoardFilter, Option<String>)| {
        let draft = draft.clone();
        Callback::from(move |v: String| {
            let mut next = (*draft).clone();
            apply(&mut next, (!v.is_empty()).then_some(v));
            draft.set(next);
        })
    };
    let day = |apply: fn(&mut BoardFilter, Option<String>)| {
        let set = set(apply);
        Callback::from(move |e: Event| set.emit(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let onclick = follow(navigator.clone(), api, i18n.lang);
    let onsubmit = {
        let draft = draft.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(navigator) = &navigator {
                let query = draft.to_query();
                let pairs: Vec<(&str, &str)> = crate::api::query_pairs(&query).collect();
                let _ = navigator.push_with_query(&Route::Home, &pairs);
            }
        })
    };
    let all = t(lang, K::All);
    let team_options = options(t(lang, K::AllTeams), teams.iter().map(|t| (t.id.to_string(), t.name.clone())));
    let service_options = options(all, Service::ALL.iter().map(|s| (s.as_str().to_owned(), s.label().to_owned())));
    let bucket_options = options(all, Bucket::ALL.iter().map(|b| (b.as_str().to_owned(), b.label().to_owned())));
    let value = |v: &Option<String>| AttrValue::from(v.clone().unwrap_or_default());

    let body = match read_json(&board.state, read_overview) {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner {error} on_retry={board.reload.clone()} /> },
        Load::Ready(o) => board_body(lang, role, &o),
    };
    html! {
        <section class="card overview" aria-labelledby="overview-title" id="overview" {onclick}>
            <div class="card-head">
                <h2 id="overview-title" class="card-title">{ t(lang, match role {
                    Role::Agent => K::OverviewMine,
                    Role::TeamLeader => K::OverviewTeam,
                    _ => K::OverviewSite,
                }) }</h2>
                if can(role, Action::ViewF19Report) {
                    <RouteLink to={Route::ReportF19} class="btn btn-secondary btn-small">{ t(lang, K::NavReportF19) }</RouteLink>
                }
            </div>
            <form class="toolbar report-toolbar" {onsubmit}>
                { date_input("board-from", t(lang, K::PeriodFrom), draft.from.clone().unwrap_or_default(), day(|f, v| f.from = v)) }
                { date_input("board-to", t(lang, K::PeriodTo), draft.to.clone().unwrap_or_default(), day(|f, v| f.to = v)) }
                if site {
                    <SelectField id="board-team" label={t(lang, K::TeamName)} value={draft.team_id.map(|v| v.to_string()).unwrap_or_default()}
                        options={team_options} on_change={set(|f, v| f.team_id = v.and_then(|v| v.parse().ok()))} />
                }
                <SelectField id="board-service" label={t(lang, K::ServiceLabel)} value={value(&draft.service)}
                    options={service_options} on_change={set(|f, v| f.service = v)} />
                <SelectField id="board-bucket" label={t(lang, K::BucketLabel)} value={value(&draft.bucket)}
                    options={bucket_options} on_change={set(|f, v| f.bucket = v)} />
                <button type="submit" id="board-show" class="btn btn-secondary">{ t(lang, K::ShowReport) }</button>
            </form>
            { body }
        </section>
    }
}

fn board_body(lang: Lang, role: Role, o: &Overview) -> Html {
    let period = format!("{} – {}", long_date(lang, &o.from), long_date(lang, &o.to));
    let before = format!("{} – {}", long_date(lang, &o.previous_from), long_date(lang, &o.previous_to));
    // The cases behind a figure: the list, with the board's filter.
    let drill = |extra: &str| {
        let mut query = format!("from={}&to={}", o.from, o.to);
        for (key, value) in [
            ("team_id", o.team_id.map(|t| t.to_string())),
            ("agent_id", o.agent_id.map(|a| a.to_string())),
            ("service", o.service.map(|s| s.as_str().to_owned())),
            ("bucket", o.bucket.map(|b| b.as_str().to_owned())),
        ] {
            if let Some(value) = value {
                query.push_str(&format!("&{key}={value}"));
            }
        }
        query.push('&');
        query.push_str(extra);
        query
    };
    // The month-by-month table as a file, for the scope the server answered.
    // The scope the server answered for: the charts ask for it, the table's files too.
    let scope = BoardFilter {
        from: Some(o.from.clone()),
        to: Some(o.to.clone()),
        team_id: o.team_id,
        service: o.service.map(|s| s.as_str().to_owned()),
        bucket: o.bucket.map(|b| b.as_str().to_owned()),
    };
    // The tiles, as one markup string (their links followed by the board's click handler).
    let mut tiles = String::from(r#"<div class="tiles">"#);
    for metric in TILES {
        let (name, help) = metric_keys(metric);
        let (now, n) = figure(metric, &o.current);
        let (before, _) = figure(metric, &o.previous);
        let line: Vec<Option<f64>> = o.trend.iter().map(|p| figure(metric, &p.tallies).0).collect();
        let name = t(lang, name);
        let _ = write!(
            tiles,
            r#"<div class="tile" data-metric="{}" title="{}"><span class="tile-name">{}</span><span class="tile-value">{}</span>"#,
            metric.as_str(),
            esc(t(lang, help)),
            esc(name),
            esc(&shown(lang, metric, now))
        );
        change(&mut tiles, lang, metric, now, before);
        sparkline(&mut tiles, &line, &format!("{name} · {}", t(lang, K::TrendTwelveMonths)));
        let _ = write!(
            tiles,
            r#"<span class="tile-foot">{}"#,
            esc(&crate::i18n::tf(lang, K::CountedOf, &[&count(lang, n as i64)]))
        );
        if let Some(team) = o.team.as_ref().map(|team| figure(metric, team).0) {
            let _ = write!(tiles, " · {}", esc(&crate::i18n::tf(lang, K::TeamFigure, &[&shown(lang, metric, team)])));
        }
        // The records behind the figure: the agrees, or the sheets, with the board's filter.
        if let Some((to, extra)) = crate::components::breakdown::behind(metric) {
            let label = if to == Route::Cases { K::SeeCases } else { K::SeeSheets };
            let _ = write!(
                tiles,
                r#" · <a class="tile-link" href="{}">{}</a>"#,
                href(to, &drill(extra)),
                esc(t(lang, label))
            );
        }
        tiles.push_str("</span></div>");
    }
    tiles.push_str("</div>");
    let w = &o.waiting;
    let (open_label, link) = match role {
        Role::Agent => (K::MyOpenReturns, K::OpenMyReturns),
        Role::TeamLeader => (K::TeamOpenReturns, K::OpenTeamReturns),
        _ => (K::OpenReturnsAll, K::OpenFollowups),
    };
    let oldest = w.oldest_pending_day.as_deref().map(|d| long_date(lang, d)).unwrap_or_else(|| "—".to_owned());
    html! {
        <>
            <p class="muted overview-period">{ crate::i18n::tf(lang, K::ComparedWith, &[&period, &before]) }</p>
            { Html::from_html_unchecked(tiles.into()) }
            <div class="stats stats-auto" data-section="cases">
                { stat("pending-cases", count(lang, w.pending_agrees as i64), &crate::i18n::tf(lang, K::PendingOldest, &[&oldest]), Route::Cases, "status=pending",
                    t(lang, if role == Role::Qco { K::OpenQueue } else { K::OpenCases })) }
                { stat("open-returns", count(lang, w.open_returns as i64), t(lang, open_label), Route::Followups, "open=true", t(lang, link)) }
                { stat("overdue-returns", count(lang, w.overdue_returns as i64), t(lang, K::OverdueReturns), Route::Followups, "overdue=true", t(lang, link)) }
                if can(role, Action::VerifyFollowups) {
                    { stat("recared-returns", count(lang, w.recared_returns as i64), t(lang, K::AwaitingVerification), Route::Followups, "status=recared", t(lang, K::OpenFollowups)) }
                }
            </div>
            <div class="charts">
                <ChartPanel filter={scope.clone()} agent_id={o.agent_id} {role} />
                <ChartPanel filter={scope.clone()} agent_id={o.agent_id} {role} panel={Panel::Heatmap} />
                <ChartPanel filter={scope.clone()} agent_id={o.agent_id} {role} panel={Panel::Workload} />
                if can(role, Action::ViewF19Report) {
                    <ChartPanel filter={scope.clone()} agent_id={o.agent_id} {role} panel={Panel::Promises} />
                }
            </div>
            <details class="trend-table">
                <summary>{ t(lang, K::TrendTable) }</summary>
                { figures_table(lang, "trend-table", t(lang, K::MonthLabel), o.trend.iter().map(|p| (p.month.clone(), month_label(lang, &p.month), p.tallies))) }
                { downloads(["trend-xlsx", "trend-csv"], format!("/api/dashboards/overview/table?{}", scope.to_query()), format!("ringkasan_{}_{}", o.from, o.to)) }
            </details>
        </>
    }
}
