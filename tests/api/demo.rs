//! The demo's shape (issue 13): a year of history behind the recent weeks, so that every chart
//! of the dashboards shows something — twelve months of sheets and validations for both teams,
//! one parameter that fails far more often than the others, a lenient QC officer — plus records
//! past retention for the due list (issue 15); and loading the demo again adds nothing.

use chrono::{Datelike, FixedOffset, Utc};
use domain::metrics::Overview;
use domain::records::DueList;
use domain::scoring::{EvaluationStatus, FailRateReport};
use entity::{evaluations, teams, users};
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use std::collections::HashMap;
use tests::{Backend, on_both_databases, spawn_app};

/// The parameter the demo fails most often (`backend/src/scoring/seed/history.rs`).
const OFTEN_FAILED: &str = "konfirmasi_janji";

on_both_databases!(the_demo_has_a_year_of_shape_and_loads_only_once);

async fn the_demo_has_a_year_of_shape_and_loads_only_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let db = &app.app.state.db.conn;

    // The twelve whole months before this one (the current one may have just begun): sheets and
    // validations in every one of them, for each team.
    let offset = FixedOffset::east_opt(app.app.state.config.offset().local_minus_utc()).unwrap();
    let today = Utc::now().with_timezone(&offset).date_naive();
    let (year, month) = if today.month() == 1 { (today.year() - 1, 12) } else { (today.year(), today.month() - 1) };
    let last_month = format!("{year:04}-{month:02}");
    let teams = teams::Entity::find().all(db).await.unwrap();
    assert_eq!(teams.len(), 2);
    let mut first_day = None;
    for team in &teams {
        let reply = app.get(&format!("/api/dashboards/overview?to={last_month}&team_id={}", team.id), &qrd).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let overview: Overview = reply.json();
        assert_eq!(overview.trend.len(), 12);
        for point in &overview.trend {
            let t = &point.tallies;
            assert!(t.sheets.sheets >= 3, "{} {}: {} sheets", team.name, point.month, t.sheets.sheets);
            let validated = t.validations.approved + t.validations.returned;
            assert!(validated >= 5, "{} {}: {validated} validations", team.name, point.month);
            assert!(t.validations.approved > t.validations.returned, "{} {}", team.name, point.month);
        }
        first_day = Some(format!("{}-01", overview.trend[0].month));
    }
    let from = first_day.unwrap();

    // The often-failed parameter: the highest fail rate of the year, above 25 %.
    let to = app.get(&format!("/api/dashboards/overview?to={last_month}"), &qrd).await.json::<Overview>().to;
    let reply = app.get(&format!("/api/reports/parameter-fail-rates?from={from}&to={to}"), &qrd).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let rates: FailRateReport = reply.json();
    let often = rates.parameters.iter().find(|p| p.parameter == OFTEN_FAILED).expect("the often-failed parameter");
    assert!(often.fail_rate > 25.0, "{often:?}");
    for other in rates.parameters.iter().filter(|p| p.parameter != OFTEN_FAILED) {
        assert!(other.fail_rate < often.fail_rate, "{other:?} against {often:?}");
    }

    // qco2 is the lenient officer: their average score at least 3 points above qco1's.
    let names: HashMap<i32, String> =
        users::Entity::find().all(db).await.unwrap().into_iter().map(|u| (u.id, u.username)).collect();
    let mut scores: HashMap<&str, Vec<f64>> = HashMap::new();
    for sheet in evaluations::Entity::find().all(db).await.unwrap() {
        if sheet.status != EvaluationStatus::Draft && sheet.calibration_id.is_none() {
            scores.entry(names[&sheet.qco_id].as_str()).or_default().push(sheet.score);
        }
    }
    let average = |qco: &str| scores[qco].iter().sum::<f64>() / scores[qco].len() as f64;
    assert!(average("qco2") >= average("qco1") + 3.0, "qco1 {} qco2 {}", average("qco1"), average("qco2"));

    // Records past retention in the due list, of both forms.
    let due: DueList = app.get("/api/records/due", &qrd).await.json();
    for form in [domain::cases::F19_CODE, domain::scoring::F18_CODE] {
        let count: i64 = due.groups.iter().filter(|g| g.form == form).map(|g| g.count).sum();
        assert!(count >= 3, "{form}: {count} due");
    }

    // Loading the demo again adds nothing anywhere.
    let before = app.table_counts().await;
    app.app.load_demo().await.expect("load the demo again");
    assert_eq!(app.table_counts().await, before);
}
