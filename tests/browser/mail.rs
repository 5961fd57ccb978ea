//! Email in the browser (issue 14 item 2): the admin gives an account its address (a wrong one
//! is refused before anything is sent), sees the outbox (sent, failed with the SMTP server's
//! reason, skipped with why) and sends a failed message again; a user turns the daily digest off
//! on the account page.

use super::{Ui, in_browser_with};
use chrono::{Datelike, TimeZone};
use domain::api::{Page, User};
use domain::dates::Date;
use std::sync::atomic::{AtomicU16, Ordering};
use tests::smtp::{SmtpSink, free_port};
use tests::{DEMO_PASSWORD, TestApp};

/// The SMTP server of this test (a `fn` configures the server; it cannot capture).
static SMTP_PORT: AtomicU16 = AtomicU16::new(0);

fn with_mail(config: &mut mutu_backend::Config) {
    let port = SMTP_PORT.load(Ordering::SeqCst);
    config.mail = Some(
        mutu_backend::mail::MailSettings::from_parts(
            &format!("smtp://127.0.0.1:{port}?tls=none"),
            Some("Mutu QC <mutu@mutu.example>"),
            1,
            7,
            Some("https://mutu.example"),
        )
        .expect("mail settings"),
    );
}

async fn set_address(app: &TestApp, username: &str, email: &str) {
    let admin = app.token("admin").await;
    let users: Page<User> = app.get(&format!("/api/users?q={username}"), &admin).await.json();
    let user = users.items.into_iter().find(|u| u.username == username).expect("the user");
    let reply = app
        .patch(
            &format!("/api/users/{}", user.id),
            &admin,
            &serde_json::json!({ "version": user.version, "email": email }),
        )
        .await;
    assert_eq!(reply.status, reqwest::StatusCode::OK, "{}", reply.body);
}

async fn rows(ui: &Ui, css: &str) -> usize {
    ui.client.find_all(fantoccini::Locator::Css(css)).await.expect("query the page").len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_sees_the_outbox_and_a_user_turns_the_digest_off() {
    let sink = SmtpSink::start(free_port());
    SMTP_PORT.store(sink.port, Ordering::SeqCst);
    in_browser_with("mail", with_mail, |ui, app| async move {
        // The admin gives Rina an address in the user dialog; a wrong one is refused first.
        ui.login("admin", DEMO_PASSWORD).await;
        ui.click(r#"[data-nav="users"]"#).await;
        ui.click(r#"[data-edit="qco1"]"#).await;
        ui.fill("#edit-email", "rina at mutu").await;
        ui.click("#save-user").await;
        ui.wait_for_text("#edit-email-error", "Tulis alamat email yang valid (nama@contoh.co.id).").await;
        ui.shot("email-refused").await;
        ui.fill("#edit-email", "rina@mutu.example").await;
        ui.click("#save-user").await;
        ui.wait_gone("#edit-email-error").await;
        let admin = app.token("admin").await;
        let deadline = std::time::Instant::now() + super::PATIENCE;
        loop {
            let users: Page<User> = app.get("/api/users?q=qco1", &admin).await.json();
            if users.items.iter().any(|u| u.email.as_deref() == Some("rina@mutu.example")) {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "the address was not saved");
            tokio::time::sleep(super::POLL).await;
        }
        set_address(&app, "qco2", "refuse-dedi@mutu.example").await;

        // A working day's mail goes out: Rina's digest, Dedi's refused.
        let now = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
        let day = Date::new(now.year(), now.month(), now.day()).unwrap().add_working_days(1);
        let at = chrono::FixedOffset::east_opt(7 * 3600)
            .unwrap()
            .with_ymd_and_hms(day.year, day.month, day.day, 8, 0, 0)
            .unwrap();
        let report = mutu_backend::mail::tick(&app.app.state, at.to_utc()).await.expect("the mail work");
        assert_eq!((report.sent, report.failed), (1, 1), "{report:?}");
        assert_eq!(sink.wait_for(1).len(), 1);
        let summary: domain::mail::OutboxSummary = app.get("/api/mail/summary", &admin).await.json();

        ui.click(r#"[data-nav="mail"]"#).await;
        ui.find(r#"#mail-summary[data-enabled="true"]"#).await;
        let counts = format!("0 menunggu · 1 terkirim · 1 gagal · {} dilewati", summary.skipped);
        ui.wait_for_text("#mail-summary p", &counts).await;
        ui.find(r#"#mail-table tr[data-status="sent"][data-kind="digest"]"#).await;
        ui.find(r#"#mail-table tr[data-status="skipped"][data-kind="due_reminder"]"#).await;
        let failed = ui.find(r#"#mail-table tr[data-status="failed"]"#).await;
        let text = failed.text().await.expect("the failed row");
        assert!(text.contains("refuse-dedi@mutu.example") && text.contains("550"), "{text}");
        ui.shot("outbox-rows").await;
        ui.client.execute("window.scrollTo(0, 0)", vec![]).await.expect("scroll to the top");
        ui.shot("outbox").await;
        ui.select("#mail-status", "failed").await;
        let deadline = std::time::Instant::now() + super::PATIENCE;
        while rows(&ui, "#mail-table tbody tr").await != 1 {
            assert!(std::time::Instant::now() < deadline, "the filter did not apply");
            tokio::time::sleep(super::POLL).await;
        }
        ui.click("#mail-table [data-retry]").await;
        ui.find(".banner-success").await;
        ui.shot("retried").await;
        assert_eq!(rows(&ui, "#mail-table [data-retry]").await, 0);
        ui.logout().await;

        // Rina turns her digest off on her account page.
        ui.login("qco1", DEMO_PASSWORD).await;
        ui.click(r#"[data-nav="account"]"#).await;
        ui.wait_for_text(r#"[data-field="email"]"#, "rina@mutu.example").await;
        ui.find("#digest:checked").await;
        ui.shot("account").await;
        ui.click("#digest").await;
        ui.wait_for_text("#digest-card .banner", "Ringkasan harian dimatikan.").await;
        let me: User = app.get("/api/me", &app.token("qco1").await).await.json();
        assert!(!me.digest);
        ui.shot("digest-off").await;
    })
    .await;
}
