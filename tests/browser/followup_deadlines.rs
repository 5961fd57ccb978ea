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
            let rows = ui
                .client
                .execute(
                    "return [...document.querySelectorAll('#followups-table tbody tr')].map(r => r.dataset.verifyOverdue);",
                    vec![],
                )
                .await
                .expect("read the rows");
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
        let reopened = app.get("/api/followups?status=reopened&limit=1", &token).await;
        let id = reopened.body["items"][0]["id"].as_i64().expect("the demo has a reopened follow-up");
        ui.goto(&format!("/followups/{id}")).await;
        ui.find("#followup-history").await;
        let dues = ui
            .client
            .execute("return [...document.querySelectorAll('#followup-history .step-due')].map(p => p.dataset.due);", vec![])
            .await
            .expect("read the due dates");
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
