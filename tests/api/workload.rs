//! The work dashboard (issue 13, charts 4–7): every number of `GET /api/dashboards/workload`
//! recounted here from the raw rows of the demo (cases, follow-ups and their steps, sheets,
//! validations, calibration sessions and their answers, read straight from the database and
//! counted one row at a time in Rust, by the site day of each call and each deadline), for the
//! site, a team leader's team and an agent's own; who sees the officers; the filter's refusals.

use chrono::{DateTime, FixedOffset, Utc};
use domain::cases::{CaseStatus, FollowupStatus, FollowupStepKind};
use domain::dates::Date;
use domain::metrics::{AGE_BANDS, DisputeTally, ReopenTally, SheetTally, Workload, age_band, working_days_between};
use domain::scoring::{AnswerValue, CalibrationStatus, DisputeDecision, EvaluationStatus};
use entity::{
    calibration_sessions, cases, evaluation_answers, evaluations, followup_steps, followups, users, validations,
};
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use std::collections::{BTreeMap, HashMap};
use tests::{Backend, TestApp, on_both_databases, spawn_app};

pub const ROUTES: &[&str] = &["GET /api/dashboards/workload", "GET /api/dashboards/workload/table"];

on_both_databases!(
    the_workload_is_what_the_rows_say,
    the_workload_refuses_what_the_overview_refuses,
    each_work_chart_is_a_file_of_what_the_page_shows
);

/// Whose rows a dashboard counts.
#[derive(Clone, Copy, Default)]
struct Scope {
    team: Option<i32>,
    agent: Option<i32>,
}

impl Scope {
    fn has(self, team: Option<i32>, agent: i32) -> bool {
        self.team.is_none_or(|t| team == Some(t)) && self.agent.is_none_or(|a| a == agent)
    }
}

struct Rows {
    offset: FixedOffset,
    cases: Vec<cases::Model>,
    followups: Vec<followups::Model>,
    steps: Vec<followup_steps::Model>,
    sheets: Vec<evaluations::Model>,
    answers: Vec<evaluation_answers::Model>,
    validations: Vec<validations::Model>,
    sessions: Vec<calibration_sessions::Model>,
    users: Vec<users::Model>,
}

impl Rows {
    async fn read(app: &TestApp) -> Rows {
        let db = &app.app.state.db.conn;
        Rows {
            offset: app.app.state.config.offset(),
            cases: cases::Entity::find().all(db).await.unwrap(),
            followups: followups::Entity::find().all(db).await.unwrap(),
            steps: followup_steps::Entity::find().all(db).await.unwrap(),
            sheets: evaluations::Entity::find().all(db).await.unwrap(),
            answers: evaluation_answers::Entity::find().all(db).await.unwrap(),
            validations: validations::Entity::find().all(db).await.unwrap(),
            sessions: calibration_sessions::Entity::find().all(db).await.unwrap(),
            users: users::Entity::find().all(db).await.unwrap(),
        }
    }

    fn day(&self, at: DateTime<Utc>) -> Date {
        Date::parse(&at.with_timezone(&self.offset).format("%Y-%m-%d").to_string()).unwrap()
    }

    /// What the dashboard of `scope` for the answer's period should say, counted at `at`.
    fn expected(&self, w: &Workload, scope: Scope, officers: Option<Option<i32>>, at: DateTime<Utc>) -> Workload {
        let (from, to) = (Date::parse(&w.from).unwrap(), Date::parse(&w.to).unwrap());
        let today = Date::parse(&w.today).unwrap();
        let in_period = |at: DateTime<Utc>| (from..=to).contains(&self.day(at));
        let case_of: HashMap<i32, &cases::Model> = self.cases.iter().map(|c| (c.id, c)).collect();

        let mut backlog = vec![0; AGE_BANDS.len()];
        for c in self.cases.iter().filter(|c| c.status == CaseStatus::Pending && scope.has(c.team_id, c.agent_id)) {
            backlog[age_band(working_days_between(self.day(c.call_at), today))] += 1;
        }

        let mut overdue = vec![0; AGE_BANDS.len()];
        let mut returns = ReopenTally::default();
        for f in &self.followups {
            let case = case_of[&f.case_id];
            if !scope.has(case.team_id, case.agent_id) {
                continue;
            }
            let deadline = match f.status {
                FollowupStatus::Open | FollowupStatus::Reopened => Some(f.due_at),
                FollowupStatus::Recared => f.verify_due_at,
                FollowupStatus::Closed => None,
            };
            if let Some(deadline) = deadline.filter(|d| *d < at) {
                overdue[age_band(working_days_between(self.day(deadline), today))] += 1;
            }
            if f.status == FollowupStatus::Closed && in_period(case.call_at) {
                returns.closed += 1;
                let reopened = self.steps.iter().any(|s| s.followup_id == f.id && s.step == FollowupStepKind::Reopened);
                returns.reopened += u64::from(reopened);
            }
        }

        let counted: Vec<&evaluations::Model> = self
            .sheets
            .iter()
            .filter(|e| e.status != EvaluationStatus::Draft && e.calibration_id.is_none())
            .filter(|e| in_period(e.call_at) && scope.has(e.team_id, e.agent_id))
            .collect();
        let tally = |e: &evaluations::Model| SheetTally {
            sheets: 1,
            fatal: u64::from(e.fatal),
            score_hundredths: (e.score * 100.0).round() as u64,
        };
        let mut disputes = DisputeTally::default();
        for e in counted.iter().filter(|e| matches!(e.status, EvaluationStatus::Disputed | EvaluationStatus::Resolved))
        {
            disputes.disputed += 1;
            match e.resolution_decision {
                Some(DisputeDecision::Uphold) => disputes.upheld += 1,
                Some(DisputeDecision::Amend) => disputes.amended += 1,
                None => continue,
            }
            let days = self.day(e.resolved_at.unwrap()).to_days() - self.day(e.disputed_at.unwrap()).to_days();
            disputes.days += days as u64;
        }

        let mut rows: BTreeMap<i32, domain::metrics::OfficerRow> = BTreeMap::new();
        let row = |rows: &mut BTreeMap<i32, domain::metrics::OfficerRow>, id: i32| {
            let name = self.users.iter().find(|u| u.id == id).unwrap().full_name.clone();
            rows.entry(id).or_insert_with(|| domain::metrics::OfficerRow {
                id: id.into(),
                name,
                sheets: SheetTally::default(),
                validations: 0,
                calibration: Default::default(),
            });
        };
        if let Some(only) = officers {
            let wanted = |id: i32| only.is_none_or(|o| o == id);
            for e in counted.iter().filter(|e| wanted(e.qco_id)) {
                row(&mut rows, e.qco_id);
                rows.get_mut(&e.qco_id).unwrap().sheets += tally(e);
            }
            for v in self.validations.iter().filter(|v| wanted(v.qco_id)) {
                let case = case_of[&v.case_id];
                if in_period(case.call_at) && scope.has(case.team_id, case.agent_id) {
                    row(&mut rows, v.qco_id);
                    rows.get_mut(&v.qco_id).unwrap().validations += 1;
                }
            }
            // Calibration: each closed session of the period, the majority per parameter counted here.
            for s in self.sessions.iter().filter(|s| s.status == CalibrationStatus::Closed && in_period(s.call_at)) {
                let sheets: Vec<&evaluations::Model> = self
                    .sheets
                    .iter()
                    .filter(|e| e.calibration_id == Some(s.id) && e.status != EvaluationStatus::Draft)
                    .collect();
                if sheets.len() < 2 {
                    continue;
                }
                let mut votes: BTreeMap<&str, [u32; 3]> = BTreeMap::new();
                for e in &sheets {
                    for a in self.answers.iter().filter(|a| a.evaluation_id == e.id) {
                        votes.entry(a.parameter_key.as_str()).or_default()[a.value as usize] += 1;
                    }
                }
                let majority = |p: &str| {
                    let v = votes[p];
                    let best = *v.iter().max().unwrap();
                    [AnswerValue::Pass, AnswerValue::Fail, AnswerValue::Na][v.iter().position(|n| *n == best).unwrap()]
                };
                for e in sheets.iter().filter(|e| wanted(e.qco_id)) {
                    row(&mut rows, e.qco_id);
                    for a in self.answers.iter().filter(|a| a.evaluation_id == e.id) {
                        let r = &mut rows.get_mut(&e.qco_id).unwrap().calibration;
                        r.den += 1;
                        r.num += u64::from(a.value != majority(&a.parameter_key));
                    }
                }
            }
        }
        let mut officers: Vec<_> = rows.into_values().collect();
        officers.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let mut working_days = 0;
        let mut day = from;
        while day <= to.min(today) {
            working_days += u32::from(day.is_working_day());
            day = day.add_days(1);
        }
        Workload {
            backlog,
            overdue,
            returns,
            disputes,
            working_days,
            sheets: counted.iter().map(|e| tally(e)).sum(),
            officers,
            ..w.clone()
        }
    }
}

async fn workload(app: &TestApp, token: &str, query: &str) -> Workload {
    let reply = app.get(&format!("/api/dashboards/workload?{query}"), token).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply.json()
}

async fn the_workload_is_what_the_rows_say(backend: Backend) {
    let app = spawn_app(backend).await;
    // Beside the demo (a bulk load, then the roll-ups rebuilt): sheets scored, disputed and
    // amended, and agrees validated through the API, which keep the roll-ups as they go.
    crate::heatmap::score_some(&app).await;
    let qco2 = app.token("qco2").await;
    let db = &app.app.state.db.conn;
    let all: Vec<cases::Model> = cases::Entity::find().all(db).await.unwrap();
    let people = users::Entity::find().all(db).await.unwrap();
    let agent1 = people.iter().find(|u| u.username == "agent1").unwrap().id;
    let pending: Vec<&cases::Model> =
        all.iter().filter(|c| c.status == CaseStatus::Pending && c.agent_id == agent1).take(2).collect();
    assert_eq!(pending.len(), 2, "agent1 has agrees waiting in the demo");
    for case in &pending[..1] {
        let reply =
            app.post(&format!("/api/cases/{}/validation", case.id), Some(&qco2), &crate::cases::approve()).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    // A RETURN re-cared, reopened by QC, re-cared again and closed: a reopened one in the roll-up.
    let returned = pending[1].id;
    let reply = app
        .post(&format!("/api/cases/{returned}/validation"), Some(&qco2), &crate::cases::give_back("Ulangi konfirmasi."))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let followup = followups::Entity::find().all(db).await.unwrap();
    let followup = followup.iter().find(|f| f.case_id == returned).unwrap().id;
    let agent = app.token("agent1").await;
    for decision in ["reopen", "close"] {
        let recare =
            app.post(&format!("/api/followups/{followup}/recare"), Some(&agent), &crate::cases::recare_body()).await;
        assert_eq!(recare.status, StatusCode::OK, "{}", recare.body);
        let body = serde_json::json!({ "decision": decision, "comment": "Tanggal janji bayar belum disebutkan." });
        let verify = app.post(&format!("/api/followups/{followup}/verify"), Some(&qco2), &body).await;
        assert_eq!(verify.status, StatusCode::OK, "{decision}: {}", verify.body);
    }
    let rows = Rows::read(&app).await;
    let user = |name: &str| rows.users.iter().find(|u| u.username == name).unwrap();
    let (qrd, manager, qco2, tl1, agent3) = (
        app.token("qrd").await,
        app.token("manager").await,
        app.token("qco2").await,
        app.token("tl1").await,
        app.token("agent3").await,
    );
    let year = "from=".to_owned() + &(Utc::now() - chrono::Duration::days(366)).format("%Y-%m").to_string();
    let team1 = user("tl1").team_id;
    let cases: [(&str, &str, Scope, Option<Option<i32>>); 6] = [
        ("the coordinator's year", &year, Scope::default(), Some(None)),
        ("the manager's month", "", Scope::default(), Some(None)),
        (
            "the coordinator's Tim 1",
            &format!("{year}&team_id={}", team1.unwrap()),
            Scope { team: team1, agent: None },
            Some(None),
        ),
        ("qco2's own", &year, Scope::default(), Some(Some(user("qco2").id))),
        ("tl1's team", &year, Scope { team: team1, agent: None }, None),
        ("agent3's own", &year, Scope { team: user("agent3").team_id, agent: Some(user("agent3").id) }, None),
    ];
    let tokens = [&qrd, &manager, &qrd, &qco2, &tl1, &agent3];
    let mut shaped = false;
    for ((what, query, scope, officers), token) in cases.iter().zip(tokens) {
        let got = workload(&app, token, query).await;
        let expected = rows.expected(&got, *scope, *officers, Utc::now());
        assert_eq!(got, expected, "{what}");
        shaped |= got.backlog.iter().sum::<u64>() > 0
            && got.disputes.upheld + got.disputes.amended > 0
            && got.returns.reopened > 0
            && got.officers.iter().any(|o| o.calibration.den > 0);
    }
    assert!(
        shaped,
        "the demo gives the coordinator's year a backlog, decided disputes, reopened RETURNs and calibrations"
    );
    let own = workload(&app, &qco2, &year).await;
    assert!(own.officers.iter().all(|o| o.id == i64::from(user("qco2").id)), "a QC officer sees only their own row");
    assert!(workload(&app, &tl1, &year).await.officers.is_empty(), "a team leader sees no officers");
    assert_eq!(workload(&app, &tl1, &year).await.team_id, team1.map(i64::from));
}

async fn the_workload_refuses_what_the_overview_refuses(backend: Backend) {
    let app = spawn_app(backend).await;
    let (qrd, tl1, dc) = (app.token("qrd").await, app.token("tl1").await, app.token("dc").await);
    for (query, field, code) in [
        ("from=2026-13", "from", "invalid_date"),
        ("from=2024-01&to=2026-06", "to", "period_too_long"),
        ("team_id=999999", "team_id", "not_found"),
        ("service=CT1", "service", "unknown_service"),
    ] {
        let reply = app.get(&format!("/api/dashboards/workload?{query}"), &qrd).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", reply.body);
        assert_eq!(reply.body["fields"][field], code, "{query}: {}", reply.body);
    }
    let rows = Rows::read(&app).await;
    let other = rows.users.iter().find(|u| u.username == "tl2").unwrap().team_id.unwrap();
    let reply = app.get(&format!("/api/dashboards/workload?team_id={other}"), &tl1).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "another team: {}", reply.body);
    assert_eq!(app.get("/api/dashboards/workload", &dc).await.status, StatusCode::FORBIDDEN);
    // An empty period is an empty answer, not an error.
    let empty = workload(&app, &qrd, "from=2020-01&to=2020-01").await;
    assert_eq!(
        (empty.disputes, empty.returns, empty.working_days),
        (DisputeTally::default(), ReopenTally::default(), 23)
    );
    assert!(empty.officers.is_empty());
}

/// A dashboard CSV's column heads and lines (after its header block and the blank line), and the
/// header block's lines by label.
fn csv_parts(text: &str) -> (HashMap<String, String>, Vec<Vec<String>>) {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let records: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    let blank = records.iter().position(|r| r.iter().all(String::is_empty)).expect("a blank line after the header");
    let about = records[..blank].iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    (about, records[blank + 1..].to_vec())
}

fn figure(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.2}")).unwrap_or_default()
}

async fn each_work_chart_is_a_file_of_what_the_page_shows(backend: Backend) {
    use calamine::{Reader, Xlsx};
    use domain::metrics::{amended_share, average_score, days_to_resolve, per_working_day, reopened_share};
    let app = spawn_app(backend).await;
    crate::heatmap::score_some(&app).await;
    let qrd = app.token("qrd").await;
    let year = "from=".to_owned() + &(Utc::now() - chrono::Duration::days(366)).format("%Y-%m").to_string();
    let w = workload(&app, &qrd, &year).await;
    assert!(!w.officers.is_empty() && w.disputes.disputed > 0, "the demo's year has officers and disputes");
    let file = |chart: &str, format: &str| {
        let (app, qrd, year) = (&app, &qrd, &year);
        let path = format!("/api/dashboards/workload/table?{year}&chart={chart}&format={format}");
        async move {
            let response = app.get_response(&path, qrd).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            let name = response.headers()["content-disposition"].to_str().unwrap().to_owned();
            (name, response.bytes().await.unwrap().to_vec())
        }
    };
    let bands = |counts: &[u64]| -> Vec<Vec<String>> {
        counts
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let label = match AGE_BANDS.get(i + 1) {
                    Some(next) => format!("{}–{}", AGE_BANDS[i], next - 1),
                    None => format!("≥ {}", AGE_BANDS[i]),
                };
                vec![label, n.to_string()]
            })
            .collect()
    };
    let d = &w.disputes;
    let reopened = reopened_share(&w.returns);
    // Each chart: its name, its file's word, the rows the page draws, its lines in the header.
    type Chart<'a> = (&'a str, &'a str, Vec<Vec<String>>, Vec<(&'a str, String)>);
    let charts: [Chart<'_>; 4] = [
        (
            "backlog",
            "antrean",
            bands(&w.backlog),
            vec![("Menunggu / Waiting", w.backlog.iter().sum::<u64>().to_string())],
        ),
        (
            "overdue",
            "terlambat",
            bands(&w.overdue),
            vec![
                ("RETURN ditutup / RETURNs closed", w.returns.closed.to_string()),
                ("Pernah dibuka ulang / Reopened", w.returns.reopened.to_string()),
                ("Porsi dibuka ulang (%) / Reopened share (%)", figure(reopened.percent())),
            ],
        ),
        (
            "disputes",
            "sanggahan",
            vec![
                vec!["Dipertahankan / Upheld".into(), d.upheld.to_string()],
                vec!["Diubah / Amended".into(), d.amended.to_string()],
                vec!["Belum diputus / Not decided".into(), d.open().to_string()],
            ],
            vec![
                ("Disanggah / Disputed", d.disputed.to_string()),
                ("Rata-rata hari sampai diputus / Mean days to resolve", figure(days_to_resolve(d))),
                ("Porsi diubah (%) / Amended share (%)", figure(amended_share(d).percent())),
            ],
        ),
        (
            "officers",
            "petugas_qc",
            w.officers
                .iter()
                .map(|o| {
                    vec![
                        o.name.clone(),
                        o.sheets.sheets.to_string(),
                        figure(per_working_day(o.sheets.sheets, w.working_days)),
                        o.validations.to_string(),
                        figure(per_working_day(o.validations, w.working_days)),
                        figure(average_score(&o.sheets)),
                        figure(o.strictness(&w.sheets)),
                        o.calibration.den.to_string(),
                        figure(o.calibration.percent()),
                    ]
                })
                .collect(),
            vec![("Hari kerja / Working days", w.working_days.to_string())],
        ),
    ];
    for (chart, word, expected, lines) in charts {
        let (name, bytes) = file(chart, "csv").await;
        assert!(name.contains(&format!("{word}_{}_{}.csv", w.from, w.to)), "{name}");
        let (about, table) = csv_parts(std::str::from_utf8(&bytes).unwrap());
        assert_eq!(about["Periode / Period"], format!("{} s/d {}", w.from, w.to), "{chart}");
        for (label, value) in &lines {
            assert_eq!(&about[*label], value, "{chart}: {label}");
        }
        assert_eq!(table[1..], expected[..], "{chart}: the chart's rows");
        // The XLSX holds the same cells.
        let (name, bytes) = file(chart, "xlsx").await;
        assert!(name.contains(&format!("{word}_{}_{}.xlsx", w.from, w.to)), "{name}");
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Beban kerja").unwrap();
        let cells: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        let head = cells.iter().position(|r| r[0] == table[0][0]).expect("the column heads");
        let width = table[0].len();
        assert_eq!(cells[head][..width], table[0][..], "{chart}: the heads");
        assert_eq!(cells.len() - head - 1, expected.len(), "{chart}: a row per line");
        for (row, line) in cells[head + 1..].iter().zip(&expected) {
            assert_eq!(row[0], line[0], "{chart}");
            for c in 1..line.len() {
                let (xlsx, csv) = (row[c].parse::<f64>().ok(), line[c].parse::<f64>().ok());
                assert_eq!(
                    xlsx.map(|v| format!("{v:.2}")),
                    csv.map(|v| format!("{v:.2}")),
                    "{chart} {} column {c}",
                    line[0]
                );
            }
        }
    }

    // A team leader's files are their team's; the officers' is empty for them, as on the page.
    let tl1 = app.token("tl1").await;
    let response =
        app.get_response(&format!("/api/dashboards/workload/table?{year}&chart=officers&format=csv"), &tl1).await;
    let (about, table) = csv_parts(&response.text().await.unwrap());
    assert_eq!(about["Tim / Team"], "Tim 1");
    assert_eq!(table.len(), 1, "only the heads");

    // The chart and the format must be named; the filter is refused as the dashboard's.
    for (query, field, code) in [
        ("format=csv", "chart", "required"),
        ("chart=queue&format=csv", "chart", "unknown_kind"),
        ("chart=backlog", "format", "unknown_format"),
        ("chart=backlog&format=pdf", "format", "unknown_format"),
        ("chart=backlog&format=csv&from=2026-13", "from", "invalid_date"),
    ] {
        let reply = app.get(&format!("/api/dashboards/workload/table?{query}"), &qrd).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", reply.body);
        assert_eq!(reply.body["fields"][field], code, "{query}: {}", reply.body);
    }
    let rows = Rows::read(&app).await;
    let other = rows.users.iter().find(|u| u.username == "tl2").unwrap().team_id.unwrap();
    let reply =
        app.get(&format!("/api/dashboards/workload/table?chart=backlog&format=csv&team_id={other}"), &tl1).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let dc = app.token("dc").await;
    assert_eq!(
        app.get("/api/dashboards/workload/table?chart=backlog&format=csv", &dc).await.status,
        StatusCode::FORBIDDEN
    );
}
