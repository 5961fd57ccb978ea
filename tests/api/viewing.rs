//! "Also open by" (issue 14 item 4): a QC officer's validation page says every few seconds that it
//! has an agree open and hears which other officers have the same one open; a page that stopped
//! saying so drops out, and nobody is named once the agree is validated.

use chrono::Duration;
use domain::cases::CaseViewers;
use mutu_backend::auth::AuthUser;
use mutu_backend::cases::service;
use reqwest::StatusCode;
use serde_json::json;
use tests::{Backend, on_both_databases, spawn_app};

on_both_databases!(officers_with_the_same_agree_open_see_each_other);

async fn officers_with_the_same_agree_open_see_each_other(backend: Backend) {
    let app = spawn_app(backend).await;
    let (qco1, qco2, agent) = (app.token("qco1").await, app.token("qco2").await, app.token("agent1").await);
    let queue: domain::api::Page<serde_json::Value> = app.get("/api/cases?status=pending&limit=1", &qco1).await.json();
    let case = queue.items[0]["id"].as_i64().unwrap();
    let path = format!("/api/cases/{case}/viewing");

    let alone = app.post(&path, Some(&qco1), &json!({})).await;
    assert_eq!(alone.status, StatusCode::OK, "{}", alone.body);
    assert!(alone.json::<CaseViewers>().others.is_empty());
    let both: CaseViewers = app.post(&path, Some(&qco2), &json!({})).await.json();
    assert_eq!(both.others.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["Rina Marlina"]);
    let back: CaseViewers = app.post(&path, Some(&qco1), &json!({})).await.json();
    assert_eq!(back.others.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["Dedi Kurniawan"]);

    // Only validating roles; an unknown case is 404.
    assert_eq!(app.post(&path, Some(&agent), &json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post("/api/cases/999999/viewing", Some(&qco1), &json!({})).await.status, StatusCode::NOT_FOUND);

    // A page silent for longer than the window drops out.
    let me = app.get("/api/me", &qco1).await.body;
    let who = AuthUser::account(&app.app.state.db.conn, me["id"].as_i64().unwrap() as i32).await.unwrap();
    let later = chrono::Utc::now() + Duration::seconds(service::OPEN_WITHIN_SECS + 5);
    let alone_later = service::viewing_at(&app.app.state, &who, case, later).await.unwrap();
    assert!(alone_later.others.is_empty(), "{alone_later:?}");
    // The background work forgets views nobody renewed for minutes.
    let much_later = later + Duration::seconds(service::FORGET_AFTER_SECS + 1);
    assert!(service::forget_old_views(&app.app.state, much_later).await.unwrap() >= 2);
    assert_eq!(app.count("case_views").await, 0);

    // Once validated, nobody is named.
    let checklist = json!({"identity_verified": true, "amount_and_date_correct": true, "explicit_agreement": true, "reason_matches": true});
    let done = app
        .post(
            &format!("/api/cases/{case}/validation"),
            Some(&qco2),
            &json!({"result": "approved", "checklist": checklist}),
        )
        .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);
    app.post(&path, Some(&qco2), &json!({})).await;
    let after: CaseViewers = app.post(&path, Some(&qco1), &json!({})).await.json();
    assert!(after.others.is_empty(), "{after:?}");
}
