//! The deadlines of a follow-up in the browser (issue 12 item 4), on the demo data: QC's list
//! marks the re-cares waiting past QC's deadline and filters them; a reopened follow-up's
//! history shows the due date of each round; the F-19 report shows the agent's and QC's
//! punctuality apart.

use super::in_browser;
use serde_json::Value;

/// Scrolls `css` to the middle of the window and takes the screenshot.
async fn shot_at(ui: &super::Ui, css: &str, step: &str) {
    let _ = ui
        .client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({ block: 'center' });",
            vec![serde_json::json!(css)],
        )
        .await;
    ui.shot(step).await;
}

/// Returns an old pending demo case (validated a day after its call), has its agent re-care it
/// the next day and QC reopen it four days after the RETURN; its id.
async fn reopened_late(app: &tests::TestApp, token: &str) -> i64 {
    use chrono::{DateTime, Duration, Utc};
    use domain::cases::{NewValidation, RecareRequest, ValidationResult, VerifyRequest};
    use mutu_backend::audit::Trail;
    use mutu_backend::auth::AuthUser;
    use mutu_backend::cases::service;
    let cases = app.get("/api/cases?status=pending&limit=500", token).await;
    let old = cases.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| {
            Some((c["id"].as_i64()?, c["call_at"].as_str()?.parse::<DateTime<Utc>>().ok()?, c["agent_id"].as_i64()?))
        })
        .filter(|(_, call, _)| *call < Utc::now() - Duration::days(10))
        .min_by_key(|(_, call, _)| *call)
        .expect("the demo keeps some old agrees pending");
    let (case, call, agent_id) = old;
    let user =
        |id: i64| async move { AuthUser::account(&app.app.state.db.conn, id as i32).await.expect("an active account") };
    let qco_id = app.get("/api/me", token).await.body["id"].as_i64().expect("who QCO1 is");
    let (qco, agent) = (user(qco_id).await, user(agent_id).await);
    let state = &app.app.state;
    let opened = call + Duration::hours(1);
    let body = NewValidation {
        result: ValidationResult::Returned,
        checklist: Default::default(),
        recommendation: Some("Konfirmasi ulang nominal tagihan kepada pelanggan.".into()),
        evaluation_id: None,
        checklist_version: None,
    };
    let case = service::validate_at(state, &qco, case, body, opened, Trail::EachStep).await.expect("validate");
    let id = case.validation.and_then(|v| v.followup_id).expect("a follow-up");
    let recared = opened + Duration::days(1);
    let recare = RecareRequest {
        note: "Sudah caring ulang, nominal disampaikan.".into(),
        recare_call_ref: "EB-RC-9001".into(),
        recared_at: recared.to_rfc3339(),
        promise_date: None,
    };
    service::recare_at(state, &agent, id, recare, recared, Trail::EachStep).await.expect("re-care");
    let reopen = VerifyRequest { decision: "reopen".into(), comment: "Tanggal janji bayar belum disebutkan.".into() };
    service::verify_at(state, &qco, id, reopen, opened + Duration::days(4), Trail::EachStep).await.expect("reopen");
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn qc_deadlines_are_shown_filtered_and_reported_apart() {
    in_browser("followup-deadlines", |ui, app| async move {
        let token = app.token("qco1").await;
        // ---- QC's list: the demo's old re-cares wait past QC's deadline.
        ui.login("qco1", tests::DEMO_PASSWORD).await;
        ui.goto("/followups").await;
        ui.find(r#"#followups-table tr[data-verify-overdue="true"] .badge-verify-overdue"#).await;
        ui.find(r#"#followup-stats [data-stat="verify-overdue"]"#).await;
        let _ = ui.client.execute("window.scrollTo(0, 0);", vec![]).await;
        ui.shot("list-verification-overdue").await;
        // The filter: only QC's late ones, none of them the agent's.
        ui.click("#filter-verify-overdue").await;
        let listed = app.get("/api/followups?status=recared&verify_overdue=true&limit=500", &token).await;
        assert_eq!(listed.status, 200, "{}", listed.body);
        let expected = listed.body["items"].as_array().unwrap().len();
        assert!(expected > 0, "the demo has re-cares waiting past QC's deadline");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let rows = ui.dataset("#followups-table tbody tr", "verifyOverdue").await;
            let rows = rows.as_array().cloned().unwrap_or_default();
            if rows.len() == expected && rows.iter().all(|r| r == "true") {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "the filtered rows: {rows:?}, expected {expected}");
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        ui.click("#lang-en").await;
        ui.wait_for_text(r#"label[for="filter-verify-overdue"]"#, "Verification overdue only").await;
        ui.shot("list-verification-overdue-en").await;
        ui.click("#lang-id").await;
        ui.wait_for_text(r#"label[for="filter-verify-overdue"]"#, "Hanya verifikasi terlambat").await;

        // ---- A reopened follow-up: two rounds, two due dates in its history.
        // A RETURN of the demo's, re-cared in time and reopened by QC three days late: the fresh
        // due date, counted from the reopening, differs from the first.
        let id = reopened_late(&app, &token).await;
        ui.goto(&format!("/followups/{id}")).await;
        ui.find("#followup-history").await;
        let dues = ui.dataset("#followup-history .step-due", "due").await;
        let seen: Value = app.get(&format!("/api/followups/{id}"), &token).await.body;
        let api_dues: Vec<Value> = seen["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["due_at"].as_str().map(|d| Value::String(d.to_owned())))
            .collect();
        assert_eq!(api_dues.len(), 2, "opened and reopened: {seen}");
        assert_eq!(dues, Value::Array(api_dues));
        assert!(ui.exists("#followup-history .step-verify-due").await, "the re-care's QC deadline");
        shot_at(&ui, "#followup-history", "history-two-due-dates").await;
        let _ = ui.client.execute("window.scrollTo(0, 0);", vec![]).await;
        ui.find("#followup-due").await;
        ui.shot("followup-head").await;

        // ---- The F-19 report over the demo's weeks: the agent's and QC's punctuality apart.
        let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
        let from = (today - chrono::Duration::days(70)).format("%Y-%m-%d").to_string();
        let to = today.format("%Y-%m-%d").to_string();
        ui.click(r#"[data-nav="report-f19"]"#).await;
        ui.set_value("#report-from", &from, "change").await;
        ui.set_value("#report-to", &to, "change").await;
        ui.press("#report-show").await;
        let report = app.get(&format!("/api/reports/f19?from={from}&to={to}"), &token).await;
        assert_eq!(report.status, 200, "{}", report.body);
        let totals = &report.body["totals"];
        for (col, field) in [
            ("recared-in-time", "returns_recared_in_time"),
            ("verified-in-time", "returns_verified_in_time"),
            ("verify-overdue", "returns_verify_overdue"),
            ("overdue", "returns_overdue"),
        ] {
            let expected = totals[field].as_u64().unwrap_or_else(|| panic!("totals.{field}: {totals}"));
            ui.wait_for_text(&format!(r#"#f19-totals [data-col="{col}"]"#), &super::group(expected)).await;
        }
        assert!(totals["returns_verify_overdue"].as_u64().unwrap() > 0, "{totals}");
        let _ = ui.client.execute("window.scrollTo(0, 0);", vec![]).await;
        ui.shot("report").await;
        ui.click("#lang-en").await;
        ui.wait_for_text("#f19-totals th", "Totals").await;
        ui.shot("report-en").await;
        ui.click("#lang-id").await;
    })
    .await;
}
