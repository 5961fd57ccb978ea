//! "Tugas saya" in the browser (issue 14 item 1): each role's inbox shows the server's counts, the
//! navigation's badge their total, and every count and home card opens its list already filtered
//! to exactly what it counts.

use super::{PATIENCE, POLL, Ui, in_browser};
use domain::inbox::{Inbox, InboxKind};
use fantoccini::Locator;
use std::time::Instant;
use tests::{DEMO_PASSWORD, TestApp};

/// Waits until `css` matches exactly `n` elements.
async fn wait_rows(ui: &Ui, css: &str, n: usize) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let now = ui.client.find_all(Locator::Css(css)).await.expect("query the page").len();
        if now == n {
            return;
        }
        if Instant::now() > deadline {
            ui.shot("failure").await;
            panic!("{css}: {now} rows, not {n}");
        }
        tokio::time::sleep(POLL).await;
    }
}

/// The address's path and query.
async fn address(ui: &Ui) -> String {
    let url = ui.client.current_url().await.expect("read the URL");
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

/// Logs in, checks the badge and the inbox card against `GET /api/me/inbox`, and returns it.
async fn open_inbox(ui: &Ui, app: &TestApp, username: &str) -> Inbox {
    ui.login(username, DEMO_PASSWORD).await;
    let inbox: Inbox = app.get("/api/me/inbox", &app.token(username).await).await.json();
    assert!(inbox.total > 0, "{username}: {inbox:?}");
    ui.find(&format!(r#"#inbox-count[data-count="{}"]"#, inbox.total)).await;
    ui.click(r#"[data-nav="tasks"]"#).await;
    ui.find(&format!(r#"#inbox[data-total="{}"]"#, inbox.total)).await;
    let shown = ui.client.find_all(Locator::Css("#inbox li[data-kind]")).await.expect("query the page").len();
    assert_eq!(shown, inbox.items.len(), "{username}: one line per kind");
    for item in &inbox.items {
        ui.find(&format!(r#"#inbox li[data-kind="{}"][data-count="{}"]"#, item.kind, item.count)).await;
    }
    inbox
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_count_of_the_inbox_opens_its_list_filtered() {
    in_browser("inbox", |ui, app| async move {
        // A team leader: the team's overdue RETURNs and unacknowledged results.
        let inbox = open_inbox(&ui, &app, "tl1").await;
        ui.shot("tasks-team-leader").await;
        let overdue = inbox.count(InboxKind::ReturnsOverdue) as usize;
        assert!(overdue > 0, "the demo data has overdue RETURNs in Tim 1");
        ui.press(r#"#inbox li[data-kind="returns_overdue"] a"#).await;
        ui.find("#filter-overdue:checked").await;
        assert_eq!(address(&ui).await, "/followups?overdue=true");
        wait_rows(&ui, "#followups-table tbody tr[data-followup-id]", overdue).await;
        wait_rows(&ui, "#followups-table tbody tr[data-followup-id] [data-overdue]", overdue).await;
        ui.shot("team-overdue").await;
        // The landing page's card of the team's results opens the submitted ones.
        ui.goto("/").await;
        let sheets = inbox.count(InboxKind::SheetsToAcknowledge) as usize;
        ui.wait_for_text(r#"[data-stat="team-unacknowledged"] .stat-value"#, &sheets.to_string()).await;
        ui.press(r#"[data-stat="team-unacknowledged"] a"#).await;
        wait_rows(&ui, "#evaluations-table tbody tr[data-id]", sheets).await;
        wait_rows(&ui, r#"#evaluations-table tbody tr[data-status="submitted"]"#, sheets).await;
        assert_eq!(address(&ui).await, "/evaluations?status=submitted");
        ui.logout().await;

        // An agent: open RETURNs (overdue among them) and the badge beside "Return".
        let inbox = open_inbox(&ui, &app, "agent1").await;
        let open = inbox.count(InboxKind::ReturnsOpen) as usize;
        ui.find(&format!(r#"#returns-count[data-count="{open}"]"#)).await;
        ui.shot("tasks-agent").await;
        ui.press(r#"#inbox li[data-kind="returns_open"] a"#).await;
        ui.find(r#"[data-tab="waiting"].is-active, [data-tab="waiting"][aria-selected="true"]"#).await;
        wait_rows(&ui, "#followups-table tbody tr[data-followup-id]", open).await;
        ui.logout().await;

        // A QC officer: the calls assigned to score open the "assigned" tab with exactly them.
        let inbox = open_inbox(&ui, &app, "qco1").await;
        ui.shot("tasks-qco").await;
        let calls = inbox.count(InboxKind::CallsToScore) as usize;
        ui.press(r#"#inbox li[data-kind="calls_to_score"] a"#).await;
        assert_eq!(address(&ui).await, "/evaluations?tab=assigned");
        wait_rows(&ui, "#assignments-table tbody tr[data-assignment]", calls).await;
        // "Record and next" in the validation queue: the agree is recorded, the next one opens
        // with a blank form, and the inbox counts one agree fewer.
        let agrees = inbox.count(InboxKind::AgreesToValidate);
        let queue: domain::api::Page<serde_json::Value> =
            app.get("/api/cases?status=pending&limit=2", &app.token("qco1").await).await.json();
        let (first, second) = (queue.items[0]["id"].as_i64().unwrap(), queue.items[1]["id"].as_i64().unwrap());
        // Another officer has the same agree open: the form says so.
        let other = app
            .post(&format!("/api/cases/{first}/viewing"), Some(&app.token("qco2").await), &serde_json::json!({}))
            .await;
        assert_eq!(other.status, 200, "{}", other.body);
        ui.goto(&format!("/cases/{first}")).await;
        ui.find("#validation-form").await;
        let warning = ui.text("#also-open").await;
        assert!(warning.contains("Dedi Kurniawan"), "{warning}");
        ui.shot("also-open").await;
        for item in ["identity_verified", "amount_and_date_correct", "explicit_agreement", "reason_matches"] {
            ui.press(&format!("#check-{item}")).await;
        }
        ui.press("#validate-approve").await;
        ui.click("#confirm-validation-next").await;
        ui.find(&format!(r#"[data-page="case"][data-case-id="{second}"] #validation-form"#)).await;
        assert_eq!(ui.find("#check-identity_verified").await.prop("checked").await.unwrap().as_deref(), Some("false"));
        let recorded = app.get(&format!("/api/cases/{first}"), &app.token("qco1").await).await;
        assert_eq!(recorded.body["status"], "approved", "{}", recorded.body);
        ui.find(&format!(r#"#inbox-count[data-count="{}"]"#, inbox.total - 1)).await;
        assert_eq!(agrees - 1, {
            let now: Inbox = app.get("/api/me/inbox", &app.token("qco1").await).await.json();
            now.count(InboxKind::AgreesToValidate)
        });
        ui.logout().await;

        // The coordinator: disputes and re-cared RETURNs, in English too.
        let inbox = open_inbox(&ui, &app, "qrd").await;
        ui.click("#lang-en").await;
        ui.wait_for_text("#inbox .card-title", &format!("Waiting for you{}", inbox.total)).await;
        ui.shot("tasks-coordinator-en").await;
        ui.click("#lang-id").await;
        let recared = inbox.count(InboxKind::ReturnsToVerify) as usize;
        ui.press(r#"#inbox li[data-kind="returns_to_verify"] a"#).await;
        assert_eq!(address(&ui).await, "/followups?status=recared");
        wait_rows(&ui, r#"#followups-table tbody tr[data-status="recared"]"#, recared).await;
        wait_rows(&ui, "#followups-table tbody tr[data-followup-id]", recared).await;
    })
    .await;
}
