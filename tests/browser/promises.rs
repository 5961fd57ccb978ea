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
