//! The records lifecycle in the browser (issue 15): the QC coordinator sees the records past
//! retention, places a legal hold and approves a month's disposal with a signature; a manager
//! confirms it with theirs, and the batch shows disposed with its certificate to download.

use super::in_browser;
use domain::cases::F19_CODE;
use tests::DEMO_PASSWORD;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disposal_is_approved_confirmed_and_certified_and_a_hold_keeps_its_records() {
    in_browser("records", |ui, app| async move {
        // Closed F-19 records that fell due in January 2024.
        app.sql("UPDATE validations SET retain_until = '2024-01-15' WHERE retention_from IS NOT NULL").await.unwrap();
        let due = app.count("validations WHERE retention_from IS NOT NULL").await;
        ui.login("qrd", DEMO_PASSWORD).await;
        ui.click(r#"[data-nav="records"]"#).await;
        let row = format!(r#"#due-table tr[data-form="{F19_CODE}"][data-month="2024-01"]"#);
        ui.find(&row).await;
        assert_eq!(ui.text(&format!("{row} td.num")).await, due.to_string());
        ui.shot("due").await;

        // A hold on one customer: the scope, then the signed reason.
        let customer: String = {
            use sea_orm::{ConnectionTrait, Statement};
            let conn = &app.app.state.db.conn;
            let row = conn
                .query_one_raw(Statement::from_string(
                    conn.get_database_backend(),
                    "SELECT c.customer_no FROM validations v JOIN cases c ON c.id = v.case_id WHERE v.retention_from IS NOT NULL ORDER BY c.id LIMIT 1",
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get_by_index(0).unwrap()
        };
        let held = app
            .count(&format!("validations v JOIN cases c ON c.id = v.case_id WHERE v.retention_from IS NOT NULL AND c.customer_no = '{customer}'"))
            .await;
        ui.fill("#hold-customer", &customer).await;
        ui.press("#hold-next").await;
        ui.find("#sign-dialog").await;
        ui.fill("#sign-reason", "Pengaduan pelanggan ke OJK").await;
        ui.fill("#sign-password", DEMO_PASSWORD).await;
        ui.shot("hold-sign").await;
        ui.click("#sign-submit").await;
        ui.wait_gone("#sign-dialog").await;
        ui.find("#holds-table tr[data-hold]").await;
        ui.wait_for_text(&format!("{row} td.num"), &(due - held).to_string()).await;

        // Approving the month: a wrong password is refused in words, the right one signs.
        ui.press(&format!(r#"{row} [data-action="approve"]"#)).await;
        ui.fill("#sign-password", "salah").await;
        ui.click("#sign-submit").await;
        ui.find("#sign-error").await;
        ui.fill("#sign-password", DEMO_PASSWORD).await;
        ui.click("#sign-submit").await;
        ui.wait_gone("#sign-dialog").await;
        ui.find(r#"#batches-table tr[data-status="approved"]"#).await;
        // The approver is not offered the confirmation.
        assert!(!ui.exists(r#"[data-action="confirm"]"#).await);
        ui.shot("approved").await;

        ui.logout().await;
        ui.login("manager", DEMO_PASSWORD).await;
        ui.goto("/records").await;
        ui.press(r#"#batches-table [data-action="confirm"]"#).await;
        ui.find("#sign-meaning").await;
        ui.fill("#sign-password", DEMO_PASSWORD).await;
        ui.click("#sign-submit").await;
        ui.wait_gone("#sign-dialog").await;
        ui.find(r#"#batches-table tr[data-status="disposed"] #certificate"#).await;
        assert_eq!(app.count("disposed_records").await, due - held);
        assert_eq!(app.count("validations WHERE retention_from IS NOT NULL").await, held);
        ui.find("#due-held").await;
        ui.shot("disposed").await;
        // The printable certificate, as the button downloads it, opened in the browser.
        let token = app.token("manager").await;
        let batch = app.count("dispositions").await;
        let page = app.get_response(&format!("/api/dispositions/{batch}/certificate?format=html"), &token).await;
        let html = page.text().await.unwrap();
        assert!(html.contains("SERTIFIKAT PEMUSNAHAN ARSIP"), "{html}");
        let file = super::workspace_target().join("screenshots").join("records-certificate.html");
        std::fs::write(&file, html).unwrap();
        ui.client.goto(&format!("file://{}", file.display())).await.unwrap();
        ui.shot("certificate").await;
        ui.goto("/records").await;
        ui.find("#due-held").await;
        ui.click("#lang-en").await;
        ui.wait_for_text("#due-title", "Records past retention").await;
        ui.shot("disposed-en").await;
    })
    .await;
}

/// A confirmation the server answers before the disposal ends (202: here it does not wait at
/// all) says so in the page, and a reload after the end shows the batch disposed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_answered_before_the_end_says_the_disposal_is_running() {
    super::in_browser_with(
        "records-running",
        |c| c.disposal_wait = std::time::Duration::ZERO,
        |ui, app| async move {
            app.sql("UPDATE validations SET retain_until = '2024-01-15' WHERE retention_from IS NOT NULL")
                .await
                .unwrap();
            let qrd = app.token("qrd").await;
            let body = serde_json::json!({ "form": F19_CODE, "through_month": "2024-01", "password": DEMO_PASSWORD });
            let approved = app.post("/api/dispositions", Some(&qrd), &body).await;
            assert_eq!(approved.status.as_u16(), 201, "{}", approved.body);
            ui.login("manager", DEMO_PASSWORD).await;
            ui.goto("/records").await;
            ui.press(r#"#batches-table [data-action="confirm"]"#).await;
            ui.find("#sign-meaning").await;
            ui.fill("#sign-password", DEMO_PASSWORD).await;
            ui.click("#sign-submit").await;
            ui.wait_gone("#sign-dialog").await;
            ui.wait_for_text(
                ".banner-success .banner-text",
                "Pemusnahan berjalan; sertifikat terbit saat selesai (muat ulang halaman).",
            )
            .await;
            ui.shot("running").await;
            // The disposal goes on in the server; once it has ended, a reload shows it.
            for _ in 0..200 {
                if app.count("dispositions WHERE status = 'disposed'").await == 1 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            ui.goto("/records").await;
            ui.find(r#"#batches-table tr[data-status="disposed"] #certificate"#).await;
        },
    )
    .await;
}
