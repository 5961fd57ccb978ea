//! Promises kept in the browser (issue 16): a case page shows its promise — the status, the day
//! it had to be paid by, what was paid against what was promised, and the payments (a reversal
//! as a negative line) — from the demo's payments.

use super::in_browser;
use domain::promises::PromiseStatus;
use entity::{case_promises, payments};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tests::{DEMO_PASSWORD, TestApp};

/// The first demo agree whose stored promise is `status` (and, for a reversal, one whose
/// customer had a payment reversed).
async fn demo_case(app: &TestApp, status: PromiseStatus, reversed: bool) -> i32 {
    let db = &app.app.state.db.conn;
    let reversed_customers: Vec<String> = payments::Entity::find()
        .filter(payments::Column::Kind.eq(domain::promises::PaymentKind::Reversal))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.customer_no)
        .collect();
    case_promises::Entity::find()
        .filter(case_promises::Column::Status.eq(status))
        .order_by_asc(case_promises::Column::CaseId)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .find(|p| reversed_customers.contains(&p.customer_no) == reversed)
        .unwrap_or_else(|| panic!("a demo agree whose promise is {status:?} (reversed: {reversed})"))
        .case_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_page_shows_its_promise_and_the_payments_that_decided_it() {
    in_browser("promise", |ui, app| async move {
        let kept = demo_case(&app, PromiseStatus::Kept, false).await;
        let reversed = demo_case(&app, PromiseStatus::Broken, true).await;
        ui.login("qco1", DEMO_PASSWORD).await;

        ui.goto(&format!("/cases/{kept}")).await;
        ui.wait_for_text(r#"[data-field="promise-status"] .promise-status"#, "Ditepati").await;
        assert_eq!(ui.dataset("#promise-card", "status").await, serde_json::json!(["kept"]));
        assert!(ui.exists("#promise-payments tr[data-kind=\"payment\"]").await);
        assert!(!ui.text("#promise-paid").await.is_empty());
        ui.client
            .execute("document.querySelector('#promise-card').scrollIntoView({block: 'end'})", vec![])
            .await
            .unwrap();
        ui.shot("kept").await;

        ui.goto(&format!("/cases/{reversed}")).await;
        ui.wait_for_text(r#"[data-field="promise-status"] .promise-status"#, "Ingkar").await;
        assert!(ui.exists("#promise-payments tr[data-kind=\"reversal\"]").await);
        ui.wait_for_text("#promise-paid", "Rp 0").await;
        ui.client
            .execute("document.querySelector('#promise-card').scrollIntoView({block: 'end'})", vec![])
            .await
            .unwrap();
        ui.shot("reversed").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payments_go_in_with_progress_and_the_keep_rates_open_their_agrees() {
    in_browser("promise-report", |ui, app| async move {
        // A month of the billing system's payments, most of them for customers without an agree
        // (kept as unmatched), two rows refused.
        const ROWS: usize = 30_000;
        let mut text = String::from("customer_no,paid_at,amount,payment_ref,kind,channel\r\n");
        for i in 0..ROWS {
            text.push_str(&format!("1888{i:08},2025-06-{:02} 10:15,150000,BRW-{i},payment,teller\r\n", 1 + i % 28));
        }
        text.push_str("188899999998,2025-06-02 10:15,-5,BRW-BAD-1,payment,teller\r\n");
        text.push_str("188899999999,bukan tanggal,150000,BRW-BAD-2,payment,teller\r\n");
        let path = super::upload_file("pembayaran-juni.csv", text.as_bytes());

        ui.login("qrd", DEMO_PASSWORD).await;
        ui.goto("/reports/promises").await;
        ui.click("#open-payment-import").await;
        ui.wait_for_text("h1", "Impor pembayaran").await;
        assert!(ui.exists(r#"#import-columns li[data-column="payment_ref"]"#).await);
        ui.watch_progress().await;
        ui.throttle_upload(400_000).await;
        ui.find("#import-file").await.send_keys(&path).await.expect("choose the file");
        ui.press("#import-submit").await;
        ui.find(r#"#import-progress[data-stage="uploading"]"#).await;
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        let _ = ui.client.execute("window.scrollTo(0, 0);", vec![]).await;
        ui.shot("import-uploading").await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        while !ui.exists("#import-result").await {
            assert!(std::time::Instant::now() < deadline, "the payment import did not finish within 90 s");
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        ui.wait_for_text("#import-imported", &super::group(ROWS as u64)).await;
        ui.wait_for_text("#import-unmatched", &super::group(ROWS as u64)).await;
        ui.wait_for_text("#import-rejected", "2").await;
        assert_eq!(ui.text("#import-reversed").await, "0");
        // Each refused row by its spreadsheet number, its fault named by its column.
        let bad_amount = ui.text(&format!(r#"#rejected-table tr[data-row="{}"]"#, ROWS + 2)).await;
        assert!(bad_amount.contains("amount"), "{bad_amount}");
        assert!(ui.exists(&format!(r#"#rejected-table tr[data-row="{}"]"#, ROWS + 3)).await);
        let seen = ui.client.execute("return window.__progress;", vec![]).await.expect("read the progress states");
        let seen: Vec<String> = serde_json::from_value(seen).expect("a list of states");
        let uploading: Vec<u32> = seen
            .iter()
            .filter_map(|s| s.strip_prefix("uploading:"))
            .map(|v| v.parse().expect("a percentage"))
            .collect();
        assert!(uploading.windows(2).all(|w| w[0] <= w[1]), "the bar never goes back: {seen:?}");
        assert!(uploading.iter().any(|v| *v > 0 && *v < 100), "the bar moved through the upload: {seen:?}");
        let _ = ui.client.execute("window.scrollTo(0, 0);", vec![]).await;
        ui.shot("import-result").await;

        // The keep rates of every demo agree (a year back), by agent: the rules in force above.
        ui.goto("/reports/promises").await;
        ui.find("#promise-table").await;
        let rules = ui.text("#promise-rules").await;
        assert!(rules.contains("100%") && rules.contains("+ 0 hari kerja"), "{rules}");
        let first_call = demo_first_call_day(&app).await;
        ui.set_value("#report-from", &first_call, "change").await;
        ui.click("#report-show").await;
        ui.find(r#"#promise-table tbody tr[data-key]"#).await;
        ui.shot("by-agent").await;

        // By QC's outcome: APPROVED and RETURNed side by side, each count a way to its agrees.
        ui.select("#report-group", "result").await;
        ui.find(r#"#promise-table[data-group="result"] tr[data-key="approved"]"#).await;
        ui.shot("by-result").await;
        let kept = ui.text(r#"tr[data-key="approved"] td[data-col="kept"]"#).await;
        let kept: usize = kept.replace('.', "").trim().parse().expect("a count of kept promises");
        assert!(kept > 0, "the demo has approved agrees whose promise was kept");
        ui.press(r#"tr[data-key="approved"] td[data-col="kept"] a"#).await;
        ui.find("#cases-drill").await;
        assert!(ui.path().await.starts_with("/cases"));
        ui.find("#cases-table").await;
        let rows = ui
            .client
            .execute("return document.querySelectorAll('#cases-table tbody tr').length;", vec![])
            .await
            .expect("count the rows");
        assert_eq!(rows.as_u64(), Some(kept.min(50) as u64), "the drill-down lists the agrees the count counts");
        assert!(ui.exists(r#"#cases-drill [data-status="promise-kept"]"#).await);
        ui.shot("drilled-cases").await;
        ui.click("#cases-drill-clear").await;
        ui.wait_gone("#cases-drill").await;

        // The same report in English.
        ui.goto("/reports/promises").await;
        ui.click("#lang-en").await;
        ui.wait_for_text("h1", "Promise keep rates").await;
        assert!(ui.text("#promise-rules").await.starts_with("Kept when"));
        ui.shot("report-en").await;
    })
    .await;
}

/// The day of the demo's earliest call, `YYYY-MM-DD` in site time (the report's first day).
async fn demo_first_call_day(app: &TestApp) -> String {
    use entity::cases;
    let first = cases::Entity::find()
        .order_by_asc(cases::Column::CallAt)
        .one(&app.app.state.db.conn)
        .await
        .unwrap()
        .expect("the demo has cases");
    (first.call_at - chrono::Duration::days(1)).format("%Y-%m-%d").to_string()
}
