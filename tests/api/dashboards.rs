//! The overview dashboard (issue 13): every tally of `GET /api/dashboards/overview` recomputed
//! here from the raw rows (sheets, cases, follow-ups read straight from the database and counted
//! in Rust, by the site day of each call), for the period, the period before and each month of
//! the trend; the scope of each role; the filter's refusals.

use chrono::{DateTime, FixedOffset, Utc};
use domain::cases::{Bucket, CaseStatus, FollowupStatus, Service};
use domain::dates::Date;
use domain::metrics::{
    Breakdown, Dimension, Overview, Period, ResponseTally, ReturnTally, SheetTally, Tallies, ValidationTally,
    approval_rate, average_score,
};
use domain::scoring::EvaluationStatus;
use entity::{cases, evaluations, followups};
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use tests::{Backend, TestApp, on_both_databases, spawn_app};

/// The routes of the dashboards; the scenarios below call each.
pub const ROUTES: &[&str] = &[
    "GET /api/dashboards/overview",
    "GET /api/dashboards/overview/table",
    "GET /api/dashboards/breakdown",
    "GET /api/dashboards/breakdown/table",
];

on_both_databases!(
    the_overview_counts_what_the_rows_say_for_each_scope,
    the_overview_refuses_bad_filters_and_other_teams,
    the_month_by_month_table_downloads_with_the_figures_the_page_shows,
    every_write_keeps_the_roll_up_equal_to_the_rows,
    the_breakdown_splits_the_overview_by_each_group_as_the_rows_do
);

/// The raw rows, as the database holds them.
struct Rows {
    offset: FixedOffset,
    sheets: Vec<evaluations::Model>,
    cases: Vec<cases::Model>,
    followups: Vec<followups::Model>,
}

/// Whose rows: the scope the overview says it counted.
#[derive(Clone, Copy)]
struct Scope {
    team: Option<i64>,
    agent: Option<i64>,
    service: Option<Service>,
    bucket: Option<Bucket>,
}

impl Scope {
    fn has(&self, team: Option<i32>, agent: i32, service: Service, bucket: Bucket) -> bool {
        self.team.is_none_or(|t| team.map(i64::from) == Some(t))
            && self.agent.is_none_or(|a| i64::from(agent) == a)
            && self.service.is_none_or(|s| s == service)
            && self.bucket.is_none_or(|b| b == bucket)
    }
}

impl Rows {
    async fn read(app: &TestApp) -> Rows {
        let db = &app.app.state.db.conn;
        Rows {
            offset: app.app.state.config.offset(),
            sheets: evaluations::Entity::find().all(db).await.unwrap(),
            cases: cases::Entity::find().all(db).await.unwrap(),
            followups: followups::Entity::find().all(db).await.unwrap(),
        }
    }

    fn day(&self, at: DateTime<Utc>) -> Date {
        Date::parse(&at.with_timezone(&self.offset).format("%Y-%m-%d").to_string()).unwrap()
    }

    /// The tallies of the calls made on the site days of `period`, counted one row at a time.
    fn tallies(&self, scope: Scope, period: Period) -> Tallies {
        let inside = |at: DateTime<Utc>| (period.from..=period.to).contains(&self.day(at));
        let mut tallies = Tallies::default();
        for sheet in &self.sheets {
            if sheet.status == EvaluationStatus::Draft
                || sheet.calibration_id.is_some()
                || !inside(sheet.call_at)
                || !scope.has(sheet.team_id, sheet.agent_id, sheet.service, sheet.bucket)
            {
                continue;
            }
            tallies.sheets += SheetTally {
                sheets: 1,
                fatal: u64::from(sheet.fatal),
                score_hundredths: (sheet.score * 100.0).round() as u64,
            };
            tallies.responses += ResponseTally::sheet(sheet.status);
        }
        for case in &self.cases {
            if !inside(case.call_at) || !scope.has(case.team_id, case.agent_id, case.service, case.bucket) {
                continue;
            }
            match case.status {
                CaseStatus::Approved => tallies.validations += ValidationTally { approved: 1, returned: 0 },
                CaseStatus::Returned => tallies.validations += ValidationTally { approved: 0, returned: 1 },
                CaseStatus::Pending => {}
            }
            for followup in self.followups.iter().filter(|f| f.case_id == case.id) {
                if followup.status == FollowupStatus::Closed {
                    let (recares, verifications) = (followup.late_recares as u64, followup.late_verifications as u64);
                    tallies.returns += ReturnTally::closed(recares, verifications);
                }
            }
        }
        tallies
    }

    /// Agrees waiting for validation in the scope, and the site day of the oldest call.
    fn pending(&self, scope: Scope) -> (u64, Option<String>) {
        let pending: Vec<&cases::Model> = self
            .cases
            .iter()
            .filter(|c| c.status == CaseStatus::Pending && scope.has(c.team_id, c.agent_id, c.service, c.bucket))
            .collect();
        let oldest = pending.iter().map(|c| c.call_at).min().map(|at| self.day(at).to_string());
        (pending.len() as u64, oldest)
    }

    fn returns_in(&self, scope: Scope, wanted: impl Fn(FollowupStatus) -> bool) -> u64 {
        self.followups
            .iter()
            .filter(|f| wanted(f.status))
            .filter(|f| {
                let case = self.cases.iter().find(|c| c.id == f.case_id).unwrap();
                scope.has(case.team_id, case.agent_id, case.service, case.bucket)
            })
            .count() as u64
    }
}

fn day(text: &str) -> Date {
    Date::parse(text).unwrap()
}

/// Checks every stretch of one overview against the rows.
fn check(rows: &Rows, overview: &Overview, scope: Scope, what: &str) {
    let period = Period { from: day(&overview.from), to: day(&overview.to) };
    assert_eq!(overview.current, rows.tallies(scope, period), "{what}: the period");
    let previous = Period { from: day(&overview.previous_from), to: day(&overview.previous_to) };
    assert_eq!(previous, period.previous(), "{what}: the period before is Period::previous");
    assert_eq!(overview.previous, rows.tallies(scope, previous), "{what}: the period before");
    let trend = period.trend();
    let months = trend.months();
    assert_eq!(overview.trend.len(), months.len(), "{what}: twelve months");
    for (point, month) in overview.trend.iter().zip(&months) {
        assert_eq!(point.month, month.to_string());
        let whole = Period::month(*month);
        let stretch = Period { from: whole.from.max(trend.from), to: whole.to.min(trend.to) };
        assert_eq!(point.tallies, rows.tallies(scope, stretch), "{what}: {}", point.month);
    }
    let (pending, oldest) = rows.pending(scope);
    assert_eq!(overview.waiting.pending_agrees, pending, "{what}: pending agrees");
    assert_eq!(overview.waiting.oldest_pending_day, oldest, "{what}: the oldest pending agree");
    let open = rows.returns_in(scope, |s| matches!(s, FollowupStatus::Open | FollowupStatus::Reopened));
    assert_eq!(overview.waiting.open_returns, open, "{what}: open RETURNs");
    let recared = rows.returns_in(scope, |s| s == FollowupStatus::Recared);
    assert_eq!(overview.waiting.recared_returns, recared, "{what}: RETURNs waiting for QC");
    assert!(overview.waiting.overdue_returns <= open + recared);
}

async fn overview(app: &TestApp, token: &str, query: &str) -> Overview {
    let reply = app.get(&format!("/api/dashboards/overview?{query}"), token).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply.json()
}

async fn the_overview_counts_what_the_rows_say_for_each_scope(backend: Backend) {
    let app = spawn_app(backend).await;
    let rows = Rows::read(&app).await;
    // The demo's calls span the last weeks: the twelve months up to its newest call hold them all.
    let newest = rows.cases.iter().map(|c| c.call_at).chain(rows.sheets.iter().map(|s| s.call_at)).max().unwrap();
    let newest = rows.day(newest);
    let month = format!("{:04}-{:02}", newest.year, newest.month);
    let all = Scope { team: None, agent: None, service: None, bucket: None };

    let manager = app.token("manager").await;
    let site = overview(&app, &manager, &format!("from={month}&to={month}")).await;
    check(&rows, &site, all, "the site's month");
    let whole: Tallies = site.trend.iter().map(|p| p.tallies).sum();
    assert!(whole.sheets.sheets > 0 && whole.validations.validated() > 0, "the demo shows something: {whole:?}");
    assert!(average_score(&site.current.sheets).is_some() || site.current.sheets.sheets == 0);
    assert_eq!(site.team_id, None);
    assert_eq!(site.agent_id, None);

    // Without a period: this month so far, compared with the same days of last month.
    let default = overview(&app, &manager, "").await;
    assert_eq!(day(&default.from).day, 1);
    check(&rows, &default, all, "this month so far");

    // Narrowed by team, service and bucket, over days that start mid-month.
    let team2 = rows.cases.iter().find_map(|c| c.team_id.filter(|_| c.service == Service::Pranpc)).unwrap();
    let scope =
        Scope { team: Some(team2.into()), agent: None, service: Some(Service::Pranpc), bucket: Some(Bucket::N) };
    let from = newest.add_days(-20);
    let query = format!("from={from}&to={newest}&team_id={team2}&service=PRANPC&bucket=N");
    let narrowed = overview(&app, &manager, &query).await;
    check(&rows, &narrowed, scope, "a team's PRANPC N");
    assert_eq!(narrowed.team_id, Some(team2.into()));

    // The coordinator and the QC officers see the site as the manager does.
    for who in ["qrd", "qco1"] {
        let token = app.token(who).await;
        assert_eq!(overview(&app, &token, &format!("from={month}")).await.current, site.current, "{who}");
    }

    // A team leader: their team, whatever they ask.
    let tl1 = app.token("tl1").await;
    let me: serde_json::Value = app.get("/api/me", &tl1).await.body;
    let tl_team = me["team"]["id"].as_i64().unwrap();
    let team = overview(&app, &tl1, &format!("from={month}&to={month}")).await;
    assert_eq!(team.team_id, Some(tl_team));
    check(&rows, &team, Scope { team: Some(tl_team), ..all }, "tl1's team");
    assert_eq!(team.team, None, "a team leader's figures are the team's");

    // An agent: their own records, beside their team's period.
    let agent1 = app.token("agent1").await;
    let me: serde_json::Value = app.get("/api/me", &agent1).await.body;
    let (id, agent_team) = (me["id"].as_i64().unwrap(), me["team"]["id"].as_i64().unwrap());
    let own = overview(&app, &agent1, &format!("from={month}&to={month}")).await;
    assert_eq!((own.agent_id, own.team_id), (Some(id), Some(agent_team)));
    check(&rows, &own, Scope { team: Some(agent_team), agent: Some(id), ..all }, "agent1's own");
    let period = Period { from: day(&own.from), to: day(&own.to) };
    assert_eq!(own.team, Some(rows.tallies(Scope { team: Some(agent_team), ..all }, period)), "agent1's team");
    assert!(own.current.sheets.sheets <= own.team.unwrap().sheets.sheets);
    assert!(
        approval_rate(&own.current.validations).den <= approval_rate(&team.current.validations).den,
        "an agent's validations are among the team's"
    );
}

async fn the_overview_refuses_bad_filters_and_other_teams(backend: Backend) {
    let app = spawn_app(backend).await;
    let manager = app.token("manager").await;
    for (query, field, code) in [
        ("from=2026-13", "from", "invalid_date"),
        ("from=2026-02-30", "from", "invalid_date"),
        ("from=2024-01&to=2026-02", "to", "period_too_long"),
        ("from=2026-03-10&to=2026-03-01", "to", "before_from"),
        ("from=1899-12", "from", "out_of_range"),
        ("team_id=999999", "team_id", "not_found"),
        ("team_id=0", "team_id", "out_of_range"),
        ("service=CT1", "service", "unknown_service"),
        ("service=CT0&bucket=N", "bucket", "unknown_bucket"),
    ] {
        let reply = app.get(&format!("/api/dashboards/overview?{query}"), &manager).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", reply.body);
        assert_eq!(reply.body["fields"][field], code, "{query}: {}", reply.body);
    }
    let reply = app.get("/api/dashboards/overview?team_id=abc", &manager).await;
    assert!(reply.status.is_client_error(), "{}", reply.body);
    assert!(reply.body["error"].is_string(), "our error shape: {}", reply.body);

    // An empty period is an empty overview, not an error.
    let empty = overview(&app, &manager, "from=1990-01&to=1990-03").await;
    assert_eq!(empty.current, Tallies::default());
    assert!(empty.trend.iter().all(|p| p.tallies == Tallies::default()));

    // Another team's figures are not a team leader's or an agent's to see; the document
    // controller has no business with cases.
    let rows = Rows::read(&app).await;
    let tl1 = app.token("tl1").await;
    let me: serde_json::Value = app.get("/api/me", &tl1).await.body;
    let own = me["team"]["id"].as_i64().unwrap();
    let other = rows.cases.iter().filter_map(|c| c.team_id).map(i64::from).find(|t| *t != own).unwrap();
    for who in ["tl1", "agent1"] {
        let token = app.token(who).await;
        let reply = app.get(&format!("/api/dashboards/overview?team_id={other}"), &token).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who}");
        let reply = app.get(&format!("/api/dashboards/overview?team_id={own}"), &token).await;
        assert_eq!(reply.status, StatusCode::OK, "{who}: their own team");
    }
    let dc = app.token("dc").await;
    assert_eq!(app.get("/api/dashboards/overview", &dc).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.send(reqwest::Method::GET, "/api/dashboards/overview", None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// The month-by-month table's rows of a CSV download: after the header block and a blank line,
/// the column heads, then a month per line.
fn csv_table(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let records: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    let head = records.iter().position(|r| r[0] == "Bulan / Month").expect("the column heads");
    records[head..].to_vec()
}

async fn the_month_by_month_table_downloads_with_the_figures_the_page_shows(backend: Backend) {
    use calamine::{Reader, Xlsx};
    use domain::metrics::OVERVIEW_METRICS;
    let app = spawn_app(backend).await;
    let rows = Rows::read(&app).await;
    let newest = rows.cases.iter().map(|c| c.call_at).max().unwrap();
    let newest = rows.day(newest);
    let month = format!("{:04}-{:02}", newest.year, newest.month);
    let all = Scope { team: None, agent: None, service: None, bucket: None };
    let manager = app.token("manager").await;
    let query = format!("from={month}&to={month}&service=PRANPC");
    let site = overview(&app, &manager, &query).await;
    // The overview's trend is what the rows say (each month recounted), so the file is too if it
    // matches the overview.
    check(&rows, &site, Scope { service: Some(Service::Pranpc), ..all }, "the site's PRANPC");

    let response = app.get_response(&format!("/api/dashboards/overview/table?{query}&format=csv"), &manager).await;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.contains(&format!("ringkasan_{}_{month}.csv", site.trend[0].month)), "{disposition}");
    let text = response.text().await.unwrap();
    assert!(text.contains("Layanan / Service,PRANPC"), "{text}");
    let table = csv_table(text.trim_start_matches('\u{feff}'));
    assert_eq!(table.len(), 1 + site.trend.len(), "a line per month of the trend");
    assert_eq!(table[0].len(), 1 + 2 * OVERVIEW_METRICS.len());
    for (line, point) in table[1..].iter().zip(&site.trend) {
        assert_eq!(line[0], point.month);
        for (i, metric) in OVERVIEW_METRICS.iter().enumerate() {
            let (value, n) = point.tallies.figure(*metric);
            assert_eq!(
                line[1 + 2 * i],
                value.map(|v| format!("{v:.2}")).unwrap_or_default(),
                "{} {metric:?}",
                point.month
            );
            assert_eq!(line[2 + 2 * i], n.to_string(), "{} {metric:?}", point.month);
        }
    }
    let last = table.last().unwrap();
    assert!(
        last[2].parse::<u64>().unwrap() > 0 || last[6].parse::<u64>().unwrap() > 0,
        "the demo's month has records: {last:?}"
    );

    // The XLSX holds the same numbers.
    let response = app.get_response(&format!("/api/dashboards/overview/table?{query}&format=xlsx"), &manager).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("Ringkasan").unwrap();
    let cells: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let head = cells.iter().position(|r| r[0] == "Bulan / Month").unwrap();
    for (row, line) in cells[head + 1..].iter().zip(&table[1..]) {
        assert_eq!(row[0], line[0]);
        for c in 1..line.len() {
            let (xlsx, csv) = (row[c].parse::<f64>().ok(), line[c].parse::<f64>().ok());
            assert_eq!(xlsx, csv, "{} column {c}", line[0]);
        }
    }

    // A team leader's file is their team's, as their page is.
    let tl1 = app.token("tl1").await;
    let team = overview(&app, &tl1, &format!("from={month}&to={month}")).await;
    let text = app
        .get_response(&format!("/api/dashboards/overview/table?from={month}&to={month}&format=csv"), &tl1)
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("Tim / Team,Tim 1"), "{text}");
    let table = csv_table(text.trim_start_matches('\u{feff}'));
    let sheets: u64 = table[1..].iter().map(|l| l[2].parse::<u64>().unwrap()).sum();
    assert_eq!(sheets, team.trend.iter().map(|p| p.tallies.sheets.sheets).sum::<u64>());

    // The filter is refused as the overview refuses it; the format must be a file's.
    for (query, field) in
        [("format=pdf", "format"), ("format=json", "format"), ("", "format"), ("format=csv&from=2026-13", "from")]
    {
        let reply = app.get(&format!("/api/dashboards/overview/table?{query}"), &manager).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", reply.body);
        assert!(reply.body["fields"][field].is_string(), "{query}: {}", reply.body);
    }
    let other = rows.cases.iter().filter_map(|c| c.team_id).map(i64::from).find(|t| Some(*t) != team.team_id).unwrap();
    let reply = app.get(&format!("/api/dashboards/overview/table?format=csv&team_id={other}"), &tl1).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let dc = app.token("dc").await;
    assert_eq!(app.get("/api/dashboards/overview/table?format=csv", &dc).await.status, StatusCode::FORBIDDEN);
}

async fn breakdown(app: &TestApp, token: &str, query: &str) -> Breakdown {
    let reply = app.get(&format!("/api/dashboards/breakdown?{query}"), token).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply.json()
}

async fn the_breakdown_splits_the_overview_by_each_group_as_the_rows_do(backend: Backend) {
    let app = spawn_app(backend).await;
    let rows = Rows::read(&app).await;
    let newest =
        rows.day(rows.cases.iter().map(|c| c.call_at).chain(rows.sheets.iter().map(|s| s.call_at)).max().unwrap());
    let from = newest.add_days(-40);
    let all = Scope { team: None, agent: None, service: None, bucket: None };
    let me = |token: String| {
        let app = &app;
        async move {
            let me: serde_json::Value = app.get("/api/me", &token).await.body;
            (me["id"].as_i64().unwrap(), me["team"]["id"].as_i64())
        }
    };
    let (manager, tl1, agent1) = (app.token("manager").await, app.token("tl1").await, app.token("agent1").await);
    let (_, tl_team) = me(tl1.clone()).await;
    let (agent_id, agent_team) = me(agent1.clone()).await;
    let scopes = [
        (&manager, all, "the site"),
        (&tl1, Scope { team: tl_team, ..all }, "tl1's team"),
        (&agent1, Scope { team: agent_team, agent: Some(agent_id), ..all }, "agent1's own"),
    ];
    for (token, scope, who) in scopes {
        let query = format!("from={from}&to={newest}");
        let whole = overview(&app, token, &query).await.current;
        let period = Period { from, to: newest };
        for by in Dimension::ALL {
            let b = breakdown(&app, token, &format!("{query}&by={}", by.as_str())).await;
            assert_eq!((b.by, b.team_id, b.agent_id), (by, scope.team, scope.agent), "{who} by {by:?}");
            let mut sum = Tallies::default();
            for row in &b.rows {
                let group = match by {
                    Dimension::Team => Scope { team: Some(row.key.parse().unwrap()), ..scope },
                    Dimension::Agent => Scope { agent: Some(row.key.parse().unwrap()), ..scope },
                    Dimension::Service => Scope { service: Some(row.key.parse().unwrap()), ..scope },
                    Dimension::Bucket => Scope { bucket: Some(row.key.parse().unwrap()), ..scope },
                };
                assert_eq!(row.tallies, rows.tallies(group, period), "{who} by {by:?}: {}", row.label);
                assert_ne!(row.tallies, Tallies::default(), "groups without records are left out");
                sum += row.tallies;
            }
            assert_eq!(sum, whole, "{who} by {by:?}: the groups add up to the overview");
            if by == Dimension::Agent && scope.team.is_some() {
                let agents: Vec<i32> =
                    rows.sheets.iter().filter(|s| s.team_id.map(i64::from) != scope.team).map(|s| s.agent_id).collect();
                assert!(
                    b.rows.iter().all(|r| !agents.contains(&r.key.parse().unwrap())),
                    "{who}: no agent of another team"
                );
            }
        }
    }
    // The site's teams carry their names; services and buckets come in the SOP's order.
    let teams = breakdown(&app, &manager, &format!("from={from}&to={newest}&by=team")).await;
    assert!(teams.rows.iter().any(|r| r.label == "Tim 1") && teams.rows.iter().any(|r| r.label == "Tim 2"));
    let services = breakdown(&app, &manager, &format!("from={from}&to={newest}&by=service")).await;
    let order: Vec<&str> = services.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(order, ["CT0", "PRANPC"]);

    // The table as CSV: the same groups and figures.
    let query = format!("from={from}&to={newest}&by=agent&format=csv");
    let response = app.get_response(&format!("/api/dashboards/breakdown/table?{query}"), &manager).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let records: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    let head = records.iter().position(|r| r[0] == "Agent").expect("the column heads");
    let agents = breakdown(&app, &manager, &format!("from={from}&to={newest}&by=agent")).await;
    assert_eq!(records.len() - head - 1, agents.rows.len());
    for (line, row) in records[head + 1..].iter().zip(&agents.rows) {
        assert_eq!(line[0], row.label);
        for (i, metric) in domain::metrics::OVERVIEW_METRICS.iter().enumerate() {
            let (value, n) = row.tallies.figure(*metric);
            assert_eq!(line[1 + 2 * i], value.map(|v| format!("{v:.2}")).unwrap_or_default(), "{metric:?}");
            assert_eq!(line[2 + 2 * i], n.to_string());
        }
    }

    // Refusals: `by` is required and one of four words; the filter as the overview's; another
    // team is not a team leader's; the document controller has no dashboards.
    for (query, field, code) in [
        ("", "by", "required"),
        ("by=qco", "by", "unknown_grouping"),
        ("by=team&from=2026-13", "from", "invalid_date"),
        ("by=team&team_id=999999", "team_id", "not_found"),
    ] {
        let reply = app.get(&format!("/api/dashboards/breakdown?{query}"), &manager).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", reply.body);
        assert_eq!(reply.body["fields"][field], code, "{query}: {}", reply.body);
    }
    let reply = app.get("/api/dashboards/breakdown/table?by=team&format=pdf", &manager).await;
    assert_eq!(reply.body["fields"]["format"], "unknown_format", "{}", reply.body);
    let other = rows.cases.iter().filter_map(|c| c.team_id).map(i64::from).find(|t| Some(*t) != tl_team).unwrap();
    let reply = app.get(&format!("/api/dashboards/breakdown?by=agent&team_id={other}"), &tl1).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let dc = app.token("dc").await;
    assert_eq!(app.get("/api/dashboards/breakdown?by=team", &dc).await.status, StatusCode::FORBIDDEN);
    // An empty period: no groups, not an error.
    assert!(breakdown(&app, &manager, "from=1990-01&to=1990-02&by=team").await.rows.is_empty());
}

/// Every parameter of the demo form passed, but `failed` ones.
fn demo_answers(form: &serde_json::Value, failed: &[&str]) -> Vec<serde_json::Value> {
    form["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["parameters"].as_array().unwrap().iter())
        .map(|p| {
            let key = p["key"].as_str().unwrap();
            if failed.contains(&key) {
                serde_json::json!({ "parameter": key, "value": "fail", "comment": "Tidak sesuai.", "moment": "00:30" })
            } else {
                serde_json::json!({ "parameter": key, "value": "pass" })
            }
        })
        .collect()
}

async fn every_write_keeps_the_roll_up_equal_to_the_rows(backend: Backend) {
    use serde_json::json;
    let app = spawn_app(backend).await;
    let (qco, qrd, agent1) = (app.token("qco1").await, app.token("qrd").await, app.token("agent1").await);
    let forms = app.get("/api/scoring-forms?code=F18-CT0-PRANPC&status=published", &qco).await.body;
    let form = forms["items"][0].clone();
    let keys: Vec<String> = form["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["parameters"].as_array().unwrap().iter())
        .map(|p| p["key"].as_str().unwrap().to_owned())
        .collect();
    let fatal = form["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["parameters"].as_array().unwrap().iter())
        .find(|p| p["fatal"] == true)
        .map(|p| p["key"].as_str().unwrap().to_owned())
        .expect("the demo form has a fatal item");
    let me: serde_json::Value = app.get("/api/me", &agent1).await.body;
    let agent_id = me["id"].as_i64().unwrap();
    let sheet = |failed: Vec<&str>, hours: i64| {
        json!({
            "form_id": form["id"], "agent_id": agent_id, "call_ref": format!("MYCX-ROLL-{hours}"),
            "call_at": (Utc::now() - chrono::Duration::hours(hours)).to_rfc3339(), "service": "CT0", "bucket": "N2",
            "answers": demo_answers(&form, &failed), "submit": true,
        })
    };
    // Three sheets submitted (one with a fatal fail), one saved as a draft and submitted later.
    let mut ids = Vec::new();
    // All within the last 24 hours, so inside `from=yesterday` (site days) whatever the hour.
    for (failed, hours) in [(vec![keys[1].as_str()], 2), (vec![fatal.as_str()], 3), (vec![], 20)] {
        let reply = app.post("/api/evaluations", Some(&qco), &sheet(failed, hours)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        ids.push(reply.body["id"].as_i64().unwrap());
    }
    let mut draft = sheet(vec![keys[2].as_str()], 4);
    draft["submit"] = json!(false);
    let reply = app.post("/api/evaluations", Some(&qco), &draft).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let draft_id = reply.body["id"].as_i64().unwrap();
    draft["submit"] = json!(true);
    draft["version"] = reply.body["version"].clone();
    let reply =
        app.request(reqwest::Method::PUT, &format!("/api/evaluations/{draft_id}"), Some(&qco), Some(&draft)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // The agent acknowledges one and disputes two; the coordinator amends one and upholds one.
    let ack = app.post(&format!("/api/evaluations/{}/acknowledge", ids[0]), Some(&agent1), &json!({})).await;
    assert_eq!(ack.status, StatusCode::OK, "{}", ack.body);
    for id in [ids[1], ids[2]] {
        let reply = app
            .post(&format!("/api/evaluations/{id}/dispute"), Some(&agent1), &json!({ "reason": "Sudah sesuai SOP." }))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let amend = json!({ "decision": "amend", "answers": demo_answers(&form, &[keys[0].as_str()]), "comment": "Dinilai ulang." });
    let reply = app.post(&format!("/api/evaluations/{}/resolve", ids[1]), Some(&qrd), &amend).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["fatal"], false, "the amendment lifted the fatal fail");
    let uphold = json!({ "decision": "uphold", "comment": "Tetap." });
    let reply = app.post(&format!("/api/evaluations/{}/resolve", ids[2]), Some(&qrd), &uphold).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    // Agrees: one approved, one returned, re-cared and closed.
    let yesterday =
        (Utc::now() + chrono::Duration::hours(7) - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    crate::cases::import_ok(
        &app,
        &qrd,
        &[
            &format!("131000000901,Rina,CT-0,N+2,100000,agent1,{yesterday} 09:00,x,{yesterday},EB-901"),
            &format!("131000000902,Joko,CT-0,N+2,150000,agent1,{yesterday} 10:00,x,{yesterday},EB-902"),
        ],
    )
    .await;
    let cases: serde_json::Value =
        app.get(&format!("/api/cases?from={yesterday}&to={yesterday}&limit=500"), &qrd).await.body;
    let case = |no: &str| {
        cases["items"].as_array().unwrap().iter().find(|c| c["customer_no"] == no).unwrap()["id"].as_i64().unwrap()
    };
    let approved = app
        .post(&format!("/api/cases/{}/validation", case("131000000901")), Some(&qco), &crate::cases::approve())
        .await;
    assert_eq!(approved.status, StatusCode::CREATED, "{}", approved.body);
    let returned = app
        .post(
            &format!("/api/cases/{}/validation", case("131000000902")),
            Some(&qco),
            &crate::cases::give_back("Ulangi konfirmasi."),
        )
        .await;
    assert_eq!(returned.status, StatusCode::CREATED, "{}", returned.body);
    let followups: serde_json::Value = app.get("/api/followups?limit=500", &agent1).await.body;
    let followup = followups["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["case_id"].as_i64() == Some(case("131000000902")))
        .expect("the RETURN's follow-up")["id"]
        .as_i64()
        .unwrap();
    let recare =
        app.post(&format!("/api/followups/{followup}/recare"), Some(&agent1), &crate::cases::recare_body()).await;
    assert_eq!(recare.status, StatusCode::OK, "{}", recare.body);
    let close = app
        .post(&format!("/api/followups/{followup}/verify"), Some(&qco), &json!({ "decision": "close", "comment": "" }))
        .await;
    assert_eq!(close.status, StatusCode::OK, "{}", close.body);

    // A file of an agree imported already and a new one: only the new one is counted as waiting
    // (the roll-up then counts the cases the rows became, not the rows).
    let again = crate::cases::import_ok(
        &app,
        &qrd,
        &[
            &format!("131000000901,Rina,CT-0,N+2,100000,agent1,{yesterday} 09:00,x,{yesterday},EB-901"),
            &format!("131000000903,Sri,PRANPC,N+1,120000,agent1,{yesterday} 11:00,x,{yesterday},EB-903"),
        ],
    )
    .await;
    assert_eq!((again.imported, again.duplicates), (1, 1));

    // Every stretch of the site's and the agent's overview equals the rows, recounted.
    let rows = Rows::read(&app).await;
    let all = Scope { team: None, agent: None, service: None, bucket: None };
    let manager = app.token("manager").await;
    let site = overview(&app, &manager, &format!("from={yesterday}")).await;
    check(&rows, &site, all, "the site after the writes");
    assert!(site.current.returns.closed >= 1 && site.current.responses.disputed >= 2, "{:?}", site.current);
    let own = overview(&app, &agent1, &format!("from={yesterday}")).await;
    let team = own.team_id;
    check(&rows, &own, Scope { team, agent: Some(agent_id), ..all }, "agent1 after the writes");

    // A figure's sheets, as its drill-down link lists them, are as many as the figure counts.
    let listed = |query: String| {
        let (app, manager) = (&app, &manager);
        async move {
            let reply = app.get(&format!("/api/evaluations?{query}&limit=500"), manager).await;
            assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
            reply.body["items"].as_array().unwrap().len() as u64
        }
    };
    let period = format!("from={}&to={}", site.from, site.to);
    assert_eq!(listed(format!("{period}&submitted=true")).await, site.current.sheets.sheets);
    assert_eq!(listed(format!("{period}&submitted=true&fatal=true")).await, site.current.sheets.fatal);
    assert_eq!(listed(format!("{period}&disputed=true")).await, site.current.responses.disputed);
    let narrowed = overview(&app, &manager, &format!("{period}&service=CT0&bucket=N2")).await;
    assert_eq!(listed(format!("{period}&service=CT0&bucket=N2&submitted=true")).await, narrowed.current.sheets.sheets);
    assert!(narrowed.current.sheets.sheets >= 4, "the sheets scored here are CT-0 N+2");
    for bad in ["service=CT1", "bucket=N9"] {
        assert_eq!(
            app.get(&format!("/api/evaluations?{bad}"), &manager).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    // The work dashboard's backlog by age counts the same pending agrees.
    let work: serde_json::Value = app.get(&format!("/api/dashboards/workload?from={yesterday}"), &manager).await.body;
    let banded: u64 = work["backlog"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(banded, site.waiting.pending_agrees, "{work}");

    // Built again at start when the site zone it was built for is not today's.
    app.sql("DELETE FROM dashboard_day_stats").await.unwrap();
    app.sql("DELETE FROM dashboard_team_day_stats").await.unwrap();
    app.sql("UPDATE settings SET value = 'v1 0' WHERE key = 'dashboard_rollup_zone'").await.unwrap();
    // Two servers starting together: one rebuilds, the other finds it built.
    let state = &app.app.state;
    let (a, b) =
        tokio::join!(mutu_backend::dashboards::rollup::ensure(state), mutu_backend::dashboards::rollup::ensure(state));
    assert_eq!([a.unwrap(), b.unwrap()].iter().filter(|rebuilt| **rebuilt).count(), 1, "rebuilt once");
    assert!(!mutu_backend::dashboards::rollup::ensure(state).await.unwrap(), "and not again");
    check(&rows, &overview(&app, &manager, &format!("from={yesterday}")).await, all, "after the rebuild");
}
