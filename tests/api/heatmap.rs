//! The fail-rate heatmap (issue 13): every cell of `GET /api/dashboards/heatmap` recounted here
//! from the raw `evaluation_answers` rows (sheets and answers read straight from the database and
//! counted in Rust, by the site day of each call), for the site's map by team and a team's map by
//! agent, after sheets scored, disputed and amended through the API; who sees which map; the
//! filter's refusals; the file's numbers; and the sheet list's `failed=` drill-down.

use chrono::{FixedOffset, Utc};
use domain::cases::{Bucket, Service};
use domain::dates::Date;
use domain::metrics::{Dimension, Heatmap, ParameterTally, parameter_fail_rate};
use domain::scoring::EvaluationStatus;
use entity::{evaluation_answers, evaluations};
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use tests::{Backend, TestApp, on_both_databases, spawn_app};

/// The routes of the heatmap; the scenarios below call each.
pub const ROUTES: &[&str] = &["GET /api/dashboards/heatmap", "GET /api/dashboards/heatmap/table"];

on_both_databases!(
    every_cell_is_what_the_answers_say,
    each_role_sees_the_map_of_its_own_scope,
    the_heatmap_refuses_bad_filters
);

/// Whose answers a map counts, and per what.
#[derive(Clone, Copy)]
struct Scope {
    team: Option<i64>,
    agent: Option<i64>,
    service: Option<Service>,
    bucket: Option<Bucket>,
    by_agent: bool,
}

const SITE: Scope = Scope { team: None, agent: None, service: None, bucket: None, by_agent: false };

/// The raw rows.
struct Rows {
    offset: FixedOffset,
    sheets: Vec<evaluations::Model>,
    answers: Vec<evaluation_answers::Model>,
}

impl Rows {
    async fn read(app: &TestApp) -> Rows {
        let db = &app.app.state.db.conn;
        Rows {
            offset: app.app.state.config.offset(),
            sheets: evaluations::Entity::find().all(db).await.unwrap(),
            answers: evaluation_answers::Entity::find().all(db).await.unwrap(),
        }
    }

    /// The cells `(parameter, column)` of the counted sheets called on the site days
    /// `from..=to` in the scope, counted one answer at a time.
    fn cells(&self, scope: Scope, from: &str, to: &str) -> BTreeMap<(String, String), ParameterTally> {
        let (from, to) = (Date::parse(from).unwrap(), Date::parse(to).unwrap());
        let mut cells: BTreeMap<(String, String), ParameterTally> = BTreeMap::new();
        for sheet in &self.sheets {
            let day = Date::parse(&sheet.call_at.with_timezone(&self.offset).format("%Y-%m-%d").to_string()).unwrap();
            let counted = sheet.status != EvaluationStatus::Draft && sheet.calibration_id.is_none();
            let inside = from <= day
                && day <= to
                && scope.team.is_none_or(|t| sheet.team_id.map(i64::from) == Some(t))
                && scope.agent.is_none_or(|a| i64::from(sheet.agent_id) == a)
                && scope.service.is_none_or(|s| s == sheet.service)
                && scope.bucket.is_none_or(|b| b == sheet.bucket);
            if !counted || !inside {
                continue;
            }
            let column = if scope.by_agent { sheet.agent_id } else { sheet.team_id.unwrap_or(0) };
            for answer in self.answers.iter().filter(|a| a.evaluation_id == sheet.id) {
                let cell = cells.entry((answer.parameter_key.clone(), column.to_string())).or_default();
                *cell += ParameterTally::answer(answer.value);
            }
        }
        cells
    }
}

/// Checks a map's cells, columns and parameters against the rows.
fn check(rows: &Rows, map: &Heatmap, scope: Scope, what: &str) {
    let expected = rows.cells(scope, &map.from, &map.to);
    let got: BTreeMap<(String, String), ParameterTally> =
        map.cells.iter().map(|c| ((c.parameter.clone(), c.column.clone()), c.tally)).collect();
    assert_eq!(got.len(), map.cells.len(), "{what}: a cell twice");
    assert_eq!(got, expected, "{what}: every cell");
    let columns: BTreeSet<&str> = map.columns.iter().map(|c| c.key.as_str()).collect();
    let counted: BTreeSet<&str> = expected.keys().map(|(_, c)| c.as_str()).collect();
    assert_eq!(columns, counted, "{what}: a column per team or agent with counts");
    assert_eq!(columns.len(), map.columns.len(), "{what}: a column twice");
    let parameters: BTreeSet<&str> = map.parameters.iter().map(|p| p.key.as_str()).collect();
    let answered: BTreeSet<&str> = expected.keys().map(|(p, _)| p.as_str()).collect();
    assert_eq!(parameters, answered, "{what}: a line per parameter with counts");
    assert_eq!(map.by, if scope.by_agent { Dimension::Agent } else { Dimension::Team }, "{what}");
    assert_eq!(map.team_id, scope.team, "{what}");
    assert_eq!(map.agent_id, scope.agent, "{what}");
}

async fn heatmap(app: &TestApp, token: &str, query: &str) -> Heatmap {
    let reply = app.get(&format!("/api/dashboards/heatmap?{query}"), token).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply.json()
}

/// `(id, team id)` of a user, from `/api/me`.
async fn me(app: &TestApp, token: &str) -> (i64, i64) {
    let me: Value = app.get("/api/me", token).await.body;
    (me["id"].as_i64().unwrap(), me["team"]["id"].as_i64().unwrap())
}

/// The parameters of a form's JSON: `(key, fatal, allow_na)`.
fn parameters(form: &Value) -> Vec<(String, bool, bool)> {
    form["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["parameters"].as_array().unwrap().iter())
        .map(|p| (p["key"].as_str().unwrap().to_owned(), p["fatal"] == true, p["allow_na"] == true))
        .collect()
}

/// Every parameter passed, but `failed` ones (failed) and `na` ones (N/A).
fn answers(form: &Value, failed: &[&str], na: &[&str]) -> Vec<Value> {
    parameters(form)
        .into_iter()
        .map(|(key, _, _)| {
            if failed.contains(&key.as_str()) {
                json!({ "parameter": key, "value": "fail", "comment": "Tidak sesuai.", "moment": "00:30" })
            } else if na.contains(&key.as_str()) {
                json!({ "parameter": key, "value": "na" })
            } else {
                json!({ "parameter": key, "value": "pass" })
            }
        })
        .collect()
}

/// The site's today and the day `days` before it.
fn days_back(rows: &Rows, days: i64) -> (String, String) {
    let today = Utc::now().with_timezone(&rows.offset).date_naive();
    ((today - chrono::Duration::days(days)).to_string(), today.to_string())
}

/// Sheets for both teams' agents with known answers: submitted, one a draft (not counted), one
/// disputed and amended by the coordinator. Answers the keys failed.
pub(crate) async fn score_some(app: &TestApp) -> Vec<String> {
    let (qco, qrd) = (app.token("qco1").await, app.token("qrd").await);
    let forms = app.get("/api/scoring-forms?code=F18-CT0-PRANPC&status=published", &qco).await.body;
    let form = forms["items"][0].clone();
    let params = parameters(&form);
    let plain: Vec<&str> = params.iter().filter(|(_, fatal, _)| !fatal).map(|(k, _, _)| k.as_str()).collect();
    let na = params.iter().find(|(_, fatal, allow_na)| *allow_na && !fatal).map(|(k, _, _)| k.as_str()).unwrap();
    let fatal = params.iter().find(|(_, fatal, _)| *fatal).map(|(k, _, _)| k.as_str()).unwrap();
    let (agent1, agent2, agent3) = (app.token("agent1").await, app.token("agent2").await, app.token("agent3").await);
    let (a1, _) = me(app, &agent1).await;
    let (a2, _) = me(app, &agent2).await;
    let (a3, _) = me(app, &agent3).await;
    let sheet = |agent: i64, failed: &[&str], na: &[&str], hours: i64, service: &str, bucket: &str, submit: bool| {
        json!({
            "form_id": form["id"], "agent_id": agent, "call_ref": format!("MYCX-HEAT-{agent}-{hours}"),
            "call_at": (Utc::now() - chrono::Duration::hours(hours)).to_rfc3339(), "service": service,
            "bucket": bucket, "answers": answers(&form, failed, na), "submit": submit,
        })
    };
    let mut ids = Vec::new();
    for body in [
        sheet(a1, &[plain[1]], &[na], 2, "CT0", "N2", true),
        sheet(a1, &[plain[1], fatal], &[], 5, "PRANPC", "N", true),
        sheet(a2, &[plain[1], plain[2]], &[na], 3, "CT0", "N2", true),
        sheet(a3, &[plain[0]], &[], 4, "PRANPC", "N", true),
        sheet(a3, &[plain[3]], &[na], 6, "CT0", "N2", true),
        sheet(a1, &[plain[4]], &[], 7, "CT0", "N2", false),
    ] {
        let reply = app.post("/api/evaluations", Some(&qco), &body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        ids.push(reply.body["id"].as_i64().unwrap());
    }
    // agent3 disputes their second sheet; the coordinator amends it: plain[3] passes, plain[4]
    // fails instead.
    let reply = app
        .post(&format!("/api/evaluations/{}/dispute", ids[4]), Some(&agent3), &json!({ "reason": "Sudah sesuai." }))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let amend =
        json!({ "decision": "amend", "answers": answers(&form, &[plain[4]], &[]), "comment": "Dinilai ulang." });
    let reply = app.post(&format!("/api/evaluations/{}/resolve", ids[4]), Some(&qrd), &amend).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    vec![plain[0].to_owned(), plain[1].to_owned(), plain[2].to_owned(), plain[4].to_owned(), fatal.to_owned()]
}

/// The map's lines of a CSV download: after the header block and a blank line, the column heads,
/// then a parameter per line.
fn csv_table(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let records: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    let head = records.iter().position(|r| r[0] == "Parameter").expect("the column heads");
    records[head..].to_vec()
}

async fn every_cell_is_what_the_answers_say(backend: Backend) {
    let app = spawn_app(backend).await;
    let failed = score_some(&app).await;
    let rows = Rows::read(&app).await;
    let (from, to) = days_back(&rows, 40);
    let period = format!("from={from}&to={to}");
    let manager = app.token("manager").await;

    // The site's map: per team.
    let site = heatmap(&app, &manager, &period).await;
    check(&rows, &site, SITE, "the site");
    assert!(site.columns.len() >= 2, "both teams: {:?}", site.columns);
    for column in &site.columns {
        let id: i32 = column.key.parse().unwrap();
        let team = entity::teams::Entity::find_by_id(id).one(&app.app.state.db.conn).await.unwrap();
        assert_eq!(Some(&column.label), team.map(|t| t.name).as_ref(), "a team's name as it stands");
    }
    let fatal = site.parameters.iter().find(|p| p.key == failed[4]).expect("the fatal parameter was answered");
    assert!(fatal.fatal, "flagged fatal as the form says");
    assert!(site.parameters.iter().filter(|p| p.key != failed[4]).any(|p| !p.fatal));
    assert!(site.parameters.iter().all(|p| !p.label.is_empty() && p.label != p.key), "labelled from the form");
    assert!(site.cells.iter().any(|c| c.tally.na > 0), "N/A answers are counted");

    // Each team's map: per agent; narrowed by service and bucket.
    let (_, team1) = me(&app, &app.token("agent1").await).await;
    let (_, team2) = me(&app, &app.token("agent3").await).await;
    for team in [team1, team2] {
        let map = heatmap(&app, &manager, &format!("{period}&team_id={team}")).await;
        check(&rows, &map, Scope { team: Some(team), by_agent: true, ..SITE }, "a team");
        let narrowed = heatmap(&app, &manager, &format!("{period}&team_id={team}&service=CT0&bucket=N2")).await;
        let scope =
            Scope { team: Some(team), service: Some(Service::Ct0), bucket: Some(Bucket::N2), by_agent: true, ..SITE };
        check(&rows, &narrowed, scope, "a team's CT-0 N+2");
        for column in &map.columns {
            let id: i32 = column.key.parse().unwrap();
            let user = entity::users::Entity::find_by_id(id).one(&app.app.state.db.conn).await.unwrap().unwrap();
            assert_eq!(column.label, user.full_name, "an agent's name as it stands");
        }
    }
    let narrowed = heatmap(&app, &manager, &format!("{period}&service=PRANPC")).await;
    check(&rows, &narrowed, Scope { service: Some(Service::Pranpc), ..SITE }, "the site's PRANPC");

    // A cell's drill-down lists as many sheets as the cell counts fails.
    let listed = |query: String| {
        let (app, manager) = (&app, &manager);
        async move {
            let reply = app.get(&format!("/api/evaluations?{query}&limit=500"), manager).await;
            assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
            assert!(reply.body["next_cursor"].is_null(), "{query}: one page");
            reply.body["items"].as_array().unwrap().len() as u64
        }
    };
    let mut checked = 0;
    for cell in site.cells.iter().filter(|c| failed.contains(&c.parameter)) {
        let team = format!("&team_id={}", cell.column);
        let count = listed(format!("{period}{team}&failed={}", cell.parameter)).await;
        assert_eq!(count, cell.tally.fail, "{} in team {}", cell.parameter, cell.column);
        checked += u64::from(cell.tally.fail > 0);
    }
    assert!(checked >= 2, "some cells with fails were followed");
    let team1_map = heatmap(&app, &manager, &format!("{period}&team_id={team1}")).await;
    for cell in team1_map.cells.iter().filter(|c| c.parameter == failed[1]) {
        let count = listed(format!("{period}&agent_id={}&failed={}", cell.column, cell.parameter)).await;
        assert_eq!(count, cell.tally.fail, "{} of agent {}", cell.parameter, cell.column);
    }
    // A key no sheet has lists none.
    assert_eq!(listed(format!("{period}&failed=no_such_key")).await, 0);

    // The file: the map's numbers, a line per parameter in the map's order.
    let response = app.get_response(&format!("/api/dashboards/heatmap/table?{period}&format=csv"), &manager).await;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.contains(&format!("peta_gagal_{from}_{to}.csv")), "{disposition}");
    let text = response.text().await.unwrap();
    assert!(text.contains(&format!("Periode / Period,{from} s/d {to}")), "{text}");
    let table = csv_table(text.trim_start_matches('\u{feff}'));
    assert_eq!(table.len(), 1 + site.parameters.len(), "a line per parameter");
    assert_eq!(table[0].len(), 3 + 2 * site.columns.len());
    let worst = site.worst();
    for (line, parameter) in table[1..].iter().zip(&site.parameters) {
        assert_eq!(line[0], parameter.label);
        assert_eq!(line[1].is_empty(), !parameter.fatal);
        let mut marked = Vec::new();
        for (j, column) in site.columns.iter().enumerate() {
            let cell = site.cells.iter().find(|c| c.parameter == parameter.key && c.column == column.key);
            let rate = cell.and_then(|c| parameter_fail_rate(&c.tally).percent());
            assert_eq!(line[2 + 2 * j], rate.map(|r| format!("{r:.2}")).unwrap_or_default(), "{}", parameter.key);
            let answered = cell.map(|c| (c.tally.pass + c.tally.fail).to_string()).unwrap_or_default();
            assert_eq!(line[3 + 2 * j], answered, "{} {}", parameter.key, column.label);
            if worst.contains(&(parameter.key.clone(), column.key.clone())) {
                marked.push(column.label.clone());
            }
        }
        assert_eq!(line.last().unwrap(), &marked.join("; "), "{}: the worst cells named", parameter.key);
    }
    let response = app.get_response(&format!("/api/dashboards/heatmap/table?{period}&format=xlsx"), &manager).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an XLSX");

    // The roll-up is what a rebuild from the answers makes; and a database that never had it
    // gets it built at start.
    let db = &app.app.state.db.conn;
    mutu_backend::scoring::stats::rebuild(db, app.app.state.config.offset()).await.unwrap();
    assert_eq!(heatmap(&app, &manager, &period).await, site, "rebuilt from the answers");
    // (The site's unfiltered map reads the per-team roll-up, a team's the per-agent one.)
    app.sql("DELETE FROM parameter_day_stats").await.unwrap();
    app.sql("DELETE FROM evaluation_day_stats").await.unwrap();
    app.sql("DELETE FROM settings WHERE key = 'parameter_rollup_zone'").await.unwrap();
    assert!(heatmap(&app, &manager, &period).await.cells.is_empty());
    assert!(mutu_backend::scoring::stats::ensure(&app.app.state).await.unwrap(), "built at start");
    assert!(!mutu_backend::scoring::stats::ensure(&app.app.state).await.unwrap(), "and not again");
    assert_eq!(heatmap(&app, &manager, &period).await, site, "built from the answers");
}

async fn each_role_sees_the_map_of_its_own_scope(backend: Backend) {
    let app = spawn_app(backend).await;
    score_some(&app).await;
    let rows = Rows::read(&app).await;
    let (from, to) = days_back(&rows, 40);
    let period = format!("from={from}&to={to}");

    // The coordinator and a QC officer see the site as the manager does.
    let site = heatmap(&app, &app.token("manager").await, &period).await;
    for who in ["qrd", "qco1"] {
        assert_eq!(heatmap(&app, &app.token(who).await, &period).await, site, "{who}");
    }

    // A team leader: their team's agents, even when asking for the site or their own team.
    let tl1 = app.token("tl1").await;
    let (_, team) = me(&app, &tl1).await;
    let own = heatmap(&app, &tl1, &period).await;
    check(&rows, &own, Scope { team: Some(team), by_agent: true, ..SITE }, "tl1's team");
    assert!(!own.columns.is_empty());
    for column in &own.columns {
        let id: i32 = column.key.parse().unwrap();
        let user = entity::users::Entity::find_by_id(id).one(&app.app.state.db.conn).await.unwrap().unwrap();
        assert_eq!(user.team_id.map(i64::from), Some(team), "only tl1's agents: {}", column.label);
    }
    assert_eq!(heatmap(&app, &tl1, &format!("{period}&team_id={team}")).await, own);
    let other = site.columns.iter().map(|c| c.key.parse::<i64>().unwrap()).find(|t| *t != team && *t != 0).unwrap();

    // An agent: their own column only.
    let agent1 = app.token("agent1").await;
    let (id, agent_team) = me(&app, &agent1).await;
    let mine = heatmap(&app, &agent1, &period).await;
    check(&rows, &mine, Scope { team: Some(agent_team), agent: Some(id), by_agent: true, ..SITE }, "agent1");
    assert_eq!(mine.columns.len(), 1);
    assert_eq!(mine.columns[0].key, id.to_string());

    // Another team is not theirs; the document controller has no business with cases.
    for (who, token) in [("tl1", &tl1), ("agent1", &agent1)] {
        for path in ["/api/dashboards/heatmap", "/api/dashboards/heatmap/table"] {
            let reply = app.get(&format!("{path}?format=csv&team_id={other}"), token).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who} {path}: {}", reply.body);
        }
    }
    let dc = app.token("dc").await;
    assert_eq!(app.get("/api/dashboards/heatmap", &dc).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/dashboards/heatmap/table?format=csv", &dc).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.send(reqwest::Method::GET, "/api/dashboards/heatmap", None, None).await.status,
        StatusCode::UNAUTHORIZED
    );

    // A team leader's file is their team's, by agent.
    let text = app
        .get_response(&format!("/api/dashboards/heatmap/table?{period}&format=csv"), &tl1)
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("Tim / Team,Tim 1"), "{text}");
    let table = csv_table(text.trim_start_matches('\u{feff}'));
    assert_eq!(table[0].len(), 3 + 2 * own.columns.len());
}

async fn the_heatmap_refuses_bad_filters(backend: Backend) {
    let app = spawn_app(backend).await;
    let manager = app.token("manager").await;
    for path in ["/api/dashboards/heatmap", "/api/dashboards/heatmap/table"] {
        for (query, field, code) in [
            ("from=2026-13", "from", "invalid_date"),
            ("from=2026-02-30", "from", "invalid_date"),
            ("from=2024-01&to=2026-02", "to", "period_too_long"),
            ("from=2026-03-10&to=2026-03-01", "to", "before_from"),
            ("team_id=999999", "team_id", "not_found"),
            ("service=CT1", "service", "unknown_service"),
        ] {
            let reply = app.get(&format!("{path}?format=csv&{query}"), &manager).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}?{query}: {}", reply.body);
            assert_eq!(reply.body["fields"][field], code, "{path}?{query}: {}", reply.body);
        }
        let reply = app.get(&format!("{path}?format=csv&team_id=abc"), &manager).await;
        assert!(reply.status.is_client_error(), "{}", reply.body);
        assert!(reply.body["error"].is_string(), "our error shape: {}", reply.body);
    }
    for query in ["format=pdf", "format=json", ""] {
        let reply = app.get(&format!("/api/dashboards/heatmap/table?{query}"), &manager).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", reply.body);
        assert!(reply.body["fields"]["format"].is_string(), "{query}: {}", reply.body);
    }
    // An empty period is an empty map.
    let empty = heatmap(&app, &manager, "from=1990-01&to=1990-03").await;
    assert!(empty.columns.is_empty() && empty.parameters.is_empty() && empty.cells.is_empty());
    assert_eq!(empty.by, Dimension::Team);

    // The list's drill-down takes a parameter key only.
    let long = "a".repeat(65);
    for bad in ["Bad-Key", "x%20y", long.as_str(), "%C3%A9"] {
        let reply = app.get(&format!("/api/evaluations?failed={bad}"), &manager).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", reply.body);
        assert_eq!(reply.body["fields"]["failed"], "invalid_key", "{bad}: {}", reply.body);
    }
    assert_eq!(app.get(&format!("/api/evaluations?failed={}", "a".repeat(64)), &manager).await.status, StatusCode::OK);
}
