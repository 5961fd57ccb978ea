//! Promises kept (issue 16): a case's promise evaluated against its customer's payments, the
//! stored statuses and their history, and the keep-rate report with its counts recomputed here
//! from the rows the test wrote. Payments go straight into `payments` (the import has its own
//! tests in `payments.rs`); the statuses are brought up to date by the server's own sweep and
//! recomputation.

use crate::cases::{approve, give_back, import_ok};
use chrono::Utc;
use domain::cases::{Case, CaseStatus};
use domain::promises::{PaymentKind, PromiseReport, PromiseStatus};
use entity::{case_promises, payments, promise_day_stats, promise_history, promise_team_day_stats};
use mutu_backend::promises::{store, sweep};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use tests::{Backend, TestApp, on_both_databases, spawn_app};

/// The routes of promises kept; the scenarios below call each.
pub const ROUTES: &[&str] = &["GET /api/reports/promises"];

on_both_databases!(
    a_case_shows_its_promise_and_the_report_counts_keep_rates,
    a_reversal_breaks_a_kept_promise_and_keeps_its_history
);

/// When the stored statuses are evaluated: Friday 7 March 2025, 12:00 site time (UTC+7). The
/// demo's agrees are all later, so the report of March 2025 holds only this test's.
fn evaluated_at() -> chrono::DateTime<Utc> {
    chrono::DateTime::parse_from_rfc3339("2025-03-07T05:00:00Z").unwrap().with_timezone(&Utc)
}

const PERIOD: &str = "from=2025-03-01&to=2025-03-31";

async fn pay(app: &TestApp, customer_no: &str, payment_ref: &str, paid_on: &str, amount: i64, kind: PaymentKind) {
    let paid_at = chrono::DateTime::parse_from_rfc3339(&format!("{paid_on}T03:00:00Z")).unwrap().with_timezone(&Utc);
    payments::ActiveModel {
        customer_no: Set(customer_no.into()),
        kind: Set(kind),
        payment_ref: Set(payment_ref.into()),
        paid_at: Set(paid_at),
        amount: Set(amount),
        channel: Set(Some("BCA".into())),
        import_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.app.state.db.conn)
    .await
    .expect("store a payment");
}

async fn case_by_customer(app: &TestApp, token: &str, customer_no: &str) -> Case {
    let page: domain::api::Page<Case> = app.get(&format!("/api/cases?{PERIOD}&limit=500"), token).await.json();
    let listed = page.items.into_iter().find(|c| c.customer_no == customer_no).expect("the case is listed");
    assert!(listed.promise.is_none(), "lists leave the promise out");
    app.get(&format!("/api/cases/{}", listed.id), token).await.json()
}

/// Five agrees: agent1's kept and (on 7 March) still pending, agent2's paid short (broken),
/// agent3's (Tim 2) paid before the call (broken) and one paid in two parts (kept).
async fn five_agrees(app: &TestApp) {
    let qco = app.token("qco1").await;
    import_ok(
        app,
        &qco,
        &[
            "139900000001,Budi,CT-0,N+2,350000,agent1,2025-03-03 09:15,gajian,2025-03-05,EB-1",
            "139900000002,Sari,PRANPC,N+1,200000,agent2,2025-03-03 10:00,transfer,2025-03-05,EB-2",
            "139900000003,Ahmad,PRANPC,N+1,100000,agent3,2025-03-04 11:00,transfer,2025-03-05,EB-3",
            "139900000004,Wati,CT-0,N+2,300000,agent3,2025-03-04 12:00,dua kali,2025-03-05,EB-4",
            "139900000005,Joko,PRANPC,N+1,150000,agent1,2025-03-06 09:00,minggu depan,2025-03-10,EB-5",
        ],
    )
    .await;
    pay(app, "139900000001", "TRX-1", "2025-03-04", 350_000, PaymentKind::Payment).await;
    pay(app, "139900000002", "TRX-2", "2025-03-04", 150_000, PaymentKind::Payment).await;
    pay(app, "139900000004", "TRX-4a", "2025-03-05", 100_000, PaymentKind::Payment).await;
    pay(app, "139900000004", "TRX-4b", "2025-03-05", 200_000, PaymentKind::Payment).await;
    // A payment before the call counts for nothing.
    pay(app, "139900000003", "TRX-3", "2025-03-01", 100_000, PaymentKind::Payment).await;
}

/// This test's stored promises (the demo's customers are evaluated too).
async fn stored(app: &TestApp) -> Vec<case_promises::Model> {
    case_promises::Entity::find()
        .filter(case_promises::Column::CustomerNo.starts_with("1399"))
        .order_by_asc(case_promises::Column::CustomerNo)
        .all(&app.app.state.db.conn)
        .await
        .unwrap()
}

async fn a_case_shows_its_promise_and_the_report_counts_keep_rates(backend: Backend) {
    use PromiseStatus::{Broken, Kept, Pending};
    let app = spawn_app(backend).await;
    five_agrees(&app).await;
    let evaluated = sweep(&app.app.state, evaluated_at()).await.expect("the sweep");
    assert!(evaluated.evaluated >= 5 && evaluated.changed == evaluated.evaluated, "{evaluated:?}");
    let statuses: Vec<PromiseStatus> = stored(&app).await.iter().map(|p| p.status).collect();
    assert_eq!(statuses, vec![Kept, Broken, Broken, Kept, Pending]);
    // A second sweep the same day has nothing left to do.
    assert_eq!(sweep(&app.app.state, evaluated_at()).await.unwrap(), store::Recomputed::default());

    let qco = app.token("qco1").await;
    let kept = case_by_customer(&app, &qco, "139900000001").await;
    let promise = kept.promise.expect("a promise");
    assert_eq!(promise.status, Kept);
    assert_eq!((promise.promised_amount, promise.paid_amount), (350_000, 350_000));
    assert_eq!(promise.due_date, "2025-03-05");
    assert_eq!(promise.payments.len(), 1);
    assert_eq!(promise.payments[0].payment_ref, "TRX-1");
    let short = case_by_customer(&app, &qco, "139900000002").await.promise.unwrap();
    assert_eq!((short.status, short.paid_amount), (Broken, 150_000));
    let early = case_by_customer(&app, &qco, "139900000003").await.promise.unwrap();
    assert_eq!((early.status, early.paid_amount, early.payments.len()), (Broken, 0, 0));
    let two = case_by_customer(&app, &qco, "139900000004").await.promise.unwrap();
    assert_eq!((two.status, two.paid_amount, two.payments.len()), (Kept, 300_000, 2));
    // The page evaluates as of now: the promise still pending on 7 March 2025 is broken today.
    let soon = case_by_customer(&app, &qco, "139900000005").await.promise.unwrap();
    assert_eq!((soon.status, soon.due_date.as_str()), (Broken, "2025-03-10"));

    // Who sees which: agent1 their own case's promise; agent3's case is not theirs (404).
    let agent1 = app.token("agent1").await;
    assert_eq!(case_by_customer(&app, &agent1, "139900000001").await.promise.unwrap().status, Kept);
    let other =
        app.get(&format!("/api/cases/{}", case_by_customer(&app, &qco, "139900000004").await.id), &agent1).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);

    // The report, by agent: the counts of the rows above.
    let period = PERIOD;
    let by_agent: PromiseReport = app.get(&format!("/api/reports/promises?{period}&group_by=agent"), &qco).await.json();
    let counts: Vec<(String, u64, u64, u64)> =
        by_agent.rows.iter().map(|r| (r.label.clone(), r.counts.kept, r.counts.broken, r.counts.pending)).collect();
    assert_eq!(
        counts,
        vec![
            ("Agus Setiawan (agent1)".to_owned(), 1, 0, 1),
            ("Dewi Lestari (agent2)".to_owned(), 0, 1, 0),
            ("Putri Ayu (agent3)".to_owned(), 1, 1, 0),
        ],
        "{:?}",
        by_agent.rows
    );
    assert_eq!((by_agent.totals.kept, by_agent.totals.broken, by_agent.totals.pending), (2, 2, 1));
    assert_eq!(by_agent.totals.keep_rate, Some(50.0));
    assert_eq!((by_agent.threshold_pct, by_agent.grace_days), (100, 0), "the rules in force are stated");
    assert_eq!(by_agent.rows[0].counts.keep_rate, Some(100.0));

    // By service, and by month (all in one or two months of calls).
    let by_service: PromiseReport =
        app.get(&format!("/api/reports/promises?{period}&group_by=service"), &qco).await.json();
    let service: Vec<(&str, u64, u64)> =
        by_service.rows.iter().map(|r| (r.key.as_str(), r.counts.kept, r.counts.broken)).collect();
    assert_eq!(service, vec![("CT0", 2, 0), ("PRANPC", 0, 2)]);
    // Narrowed to a service or a bucket (the dashboards' filter bar): only its agrees, whatever
    // the grouping; the bucket's counts are the rows' own.
    for (service, kept, broken) in [("CT0", 2, 0), ("PRANPC", 0, 2), ("CT-0", 2, 0)] {
        let narrowed: PromiseReport =
            app.get(&format!("/api/reports/promises?{period}&group_by=agent&service={service}"), &qco).await.json();
        assert_eq!((narrowed.totals.kept, narrowed.totals.broken), (kept, broken), "{service}");
    }
    let by_bucket: PromiseReport =
        app.get(&format!("/api/reports/promises?{period}&group_by=bucket"), &qco).await.json();
    for row in &by_bucket.rows {
        let narrowed: PromiseReport =
            app.get(&format!("/api/reports/promises?{period}&group_by=result&bucket={}", row.key), &qco).await.json();
        assert_eq!(narrowed.totals, row.counts, "bucket {}", row.key);
    }
    for (query, field, code) in
        [("service=CT1", "service", "unknown_service"), ("bucket=N9", "bucket", "unknown_bucket")]
    {
        let reply = app.get(&format!("/api/reports/promises?{period}&{query}"), &qco).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", reply.body);
        assert_eq!(reply.body["fields"][field], code, "{query}: {}", reply.body);
    }
    let by_month: PromiseReport = app.get(&format!("/api/reports/promises?{period}&group_by=month"), &qco).await.json();
    assert_eq!(by_month.rows.iter().map(|r| r.counts.kept + r.counts.broken + r.counts.pending).sum::<u64>(), 5);

    // By QC's decision: approve agent1's kept one, return agent2's broken one.
    let approved = case_by_customer(&app, &qco, "139900000001").await;
    let returned = case_by_customer(&app, &qco, "139900000002").await;
    assert_eq!(
        app.post(&format!("/api/cases/{}/validation", approved.id), Some(&qco), &approve()).await.status,
        StatusCode::CREATED
    );
    let back = app
        .post(&format!("/api/cases/{}/validation", returned.id), Some(&qco), &give_back("Konfirmasi nominal."))
        .await;
    assert_eq!(back.status, StatusCode::CREATED, "{}", back.body);
    assert_eq!(case_by_customer(&app, &qco, "139900000002").await.status, CaseStatus::Returned);
    let by_result: PromiseReport =
        app.get(&format!("/api/reports/promises?{period}&group_by=result"), &qco).await.json();
    let result: Vec<(&str, u64, u64, u64)> =
        by_result.rows.iter().map(|r| (r.key.as_str(), r.counts.kept, r.counts.broken, r.counts.pending)).collect();
    assert_eq!(result, vec![("approved", 1, 0, 0), ("returned_open", 0, 1, 0), ("not_validated", 1, 1, 1)]);

    // The drill-down: the cases behind a row.
    let ids = |page: domain::api::Page<Case>| {
        let mut ids: Vec<String> = page.items.into_iter().map(|c| c.customer_no).collect();
        ids.sort();
        ids
    };
    let agent1 = approved.agent_id;
    let kept_of_agent1 = app.get(&format!("/api/cases?{PERIOD}&agent_id={agent1}&promise=kept"), &qco).await.json();
    assert_eq!(ids(kept_of_agent1), vec!["139900000001"]);
    let broken = app.get(&format!("/api/cases?{PERIOD}&promise=broken"), &qco).await.json();
    assert_eq!(ids(broken), vec!["139900000002", "139900000003"]);
    let qco_id = case_by_customer(&app, &qco, "139900000001").await.validation.expect("validated").qco_id;
    let by_qco = app.get(&format!("/api/cases?{PERIOD}&qco_id={qco_id}"), &qco).await.json();
    assert_eq!(ids(by_qco), vec!["139900000001", "139900000002"]);
    // Every `result` row's drill-down lists as many cases as the row counts, kept ones as kept.
    for row in &by_result.rows {
        let all: domain::api::Page<Case> =
            app.get(&format!("/api/cases?{PERIOD}&result={}&limit=500", row.key), &qco).await.json();
        let kept: domain::api::Page<Case> =
            app.get(&format!("/api/cases?{PERIOD}&result={}&promise=kept&limit=500", row.key), &qco).await.json();
        let ours =
            |page: &domain::api::Page<Case>| page.items.iter().filter(|c| c.customer_no.starts_with("1399")).count();
        let counted = row.counts.kept + row.counts.broken + row.counts.pending;
        assert_eq!((ours(&all) as u64, ours(&kept) as u64), (counted, row.counts.kept), "{}", row.key);
    }
    let returned_closed = app.get(&format!("/api/cases?{PERIOD}&result=returned_closed"), &qco).await;
    assert_eq!(returned_closed.json::<domain::api::Page<Case>>().items.len(), 0);
    let wrong = app.get("/api/cases?result=maybe", &qco).await;
    assert_eq!(
        (wrong.status, wrong.body["fields"]["result"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_status"))
    );
    let wrong = app.get("/api/cases?promise=maybe", &qco).await;
    assert_eq!(
        (wrong.status, wrong.body["fields"]["promise"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_status"))
    );

    // A team leader sees their team only, whatever team they ask for.
    let tl1 = app.token("tl1").await;
    let team: PromiseReport = app.get(&format!("/api/reports/promises?{period}&team_id=2"), &tl1).await.json();
    assert_eq!((team.totals.kept, team.totals.broken, team.totals.pending), (1, 1, 1));
    let qrd = app.token("qrd").await;
    let team2: PromiseReport =
        app.get(&format!("/api/reports/promises?{period}&team_id=2&group_by=team"), &qrd).await.json();
    assert_eq!((team2.rows.len(), team2.totals.kept, team2.totals.broken), (1, 1, 1));

    // Downloads, and what is refused.
    let csv = app.get_response(&format!("/api/reports/promises?{period}&format=csv"), &qco).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.contains("Ditepati / Kept") && text.contains("Putri Ayu (agent3),1,1,0,50.00"), "{text}");
    let xlsx = app.get_response(&format!("/api/reports/promises?{period}&format=xlsx"), &qco).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    let unknown = app.get("/api/reports/promises?group_by=shoe", &qco).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.body["fields"]["group_by"], "unknown_grouping");
    assert_eq!(app.get("/api/reports/promises?format=pdf", &qco).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let long = app.get("/api/reports/promises?from=2020-01-01&to=2026-01-01", &qco).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    for who in ["agent1", "dc", "admin"] {
        let reply = app.get("/api/reports/promises", &app.token(who).await).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who}");
    }

    // The RETURN re-cared and closed: its promise now counts as a RETURN closed, in the report
    // and in the roll-up, which still equals its rebuild from the rows.
    rollup_is_its_rebuild(&app).await;
    let followup = back.body["validation"]["followup_id"].as_i64().expect("a follow-up");
    let agent2 = app.token("agent2").await;
    let recared =
        app.post(&format!("/api/followups/{followup}/recare"), Some(&agent2), &crate::cases::recare_body()).await;
    assert!(recared.status.is_success(), "{}", recared.body);
    let closed = app
        .post(&format!("/api/followups/{followup}/verify"), Some(&qco), &json!({ "decision": "close", "comment": "" }))
        .await;
    assert!(closed.status.is_success(), "{}", closed.body);
    let by_result: PromiseReport =
        app.get(&format!("/api/reports/promises?{period}&group_by=result"), &qco).await.json();
    let result: Vec<(&str, u64, u64, u64)> =
        by_result.rows.iter().map(|r| (r.key.as_str(), r.counts.kept, r.counts.broken, r.counts.pending)).collect();
    assert_eq!(result, vec![("approved", 1, 0, 0), ("returned_closed", 0, 1, 0), ("not_validated", 1, 1, 1)]);
    rollup_is_its_rebuild(&app).await;
}

/// The keep-rate roll-up as the writes kept it (its rows with a count, both tables) equals its
/// rebuild from the stored promises.
pub(crate) async fn rollup_is_its_rebuild(app: &TestApp) {
    let state = &app.app.state;
    let read = || async {
        let mut day: Vec<promise_day_stats::Model> = promise_day_stats::Entity::find()
            .all(&state.db.conn)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| (r.kept, r.broken, r.pending) != (0, 0, 0))
            .collect();
        day.sort_by_key(|r| format!("{r:?}"));
        let mut team: Vec<promise_team_day_stats::Model> = promise_team_day_stats::Entity::find()
            .all(&state.db.conn)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| (r.kept, r.broken, r.pending) != (0, 0, 0))
            .collect();
        team.sort_by_key(|r| format!("{r:?}"));
        (day, team)
    };
    let kept = read().await;
    assert!(!kept.0.is_empty(), "the roll-up holds the promises");
    let txn = state.db.write().await.unwrap();
    mutu_backend::promises::rollup::rebuild(&*txn, state.config.offset()).await.unwrap();
    txn.commit().await.unwrap();
    let rebuilt = read().await;
    assert_eq!(kept.0, rebuilt.0, "promise_day_stats");
    assert_eq!(kept.1, rebuilt.1, "promise_team_day_stats");
}

async fn a_reversal_breaks_a_kept_promise_and_keeps_its_history(backend: Backend) {
    let app = spawn_app(backend).await;
    five_agrees(&app).await;
    sweep(&app.app.state, evaluated_at()).await.unwrap();
    let history_rows = app.count("promise_history").await;
    let qco = app.token("qco1").await;
    let case = case_by_customer(&app, &qco, "139900000001").await;
    assert_eq!(case.promise.unwrap().status, PromiseStatus::Kept);

    // The bank undoes the payment after the due day: the promise was never really kept.
    pay(&app, "139900000001", "TRX-1", "2025-03-20", -350_000, PaymentKind::Reversal).await;
    let state = &app.app.state;
    let today = mutu_backend::site_time::site_date(state, Utc::now());
    let txn = state.db.write().await.unwrap();
    let done =
        store::recompute(state, &txn, &["139900000001".to_owned()], today, "import:0", Utc::now()).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!((done.evaluated, done.changed), (1, 1));

    let promise = case_by_customer(&app, &qco, "139900000001").await.promise.unwrap();
    assert_eq!((promise.status, promise.paid_amount), (PromiseStatus::Broken, 0));
    let shown: Vec<(String, i64, PaymentKind)> =
        promise.payments.iter().map(|p| (p.payment_ref.clone(), p.amount, p.kind)).collect();
    assert_eq!(
        shown,
        vec![
            ("TRX-1".to_owned(), 350_000, PaymentKind::Payment),
            ("TRX-1".to_owned(), -350_000, PaymentKind::Reversal)
        ]
    );
    let stored = case_promises::Entity::find_by_id(case.id as i32).one(&state.db.conn).await.unwrap().unwrap();
    assert_eq!((stored.status, stored.paid_amount), (PromiseStatus::Broken, 0));
    let history: Vec<(PromiseStatus, String)> = promise_history::Entity::find()
        .filter(promise_history::Column::CaseId.eq(case.id as i32))
        .order_by_asc(promise_history::Column::Id)
        .all(&state.db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|h| (h.status, h.cause))
        .collect();
    assert_eq!(
        history,
        vec![(PromiseStatus::Kept, "day_end".to_owned()), (PromiseStatus::Broken, "import:0".to_owned())]
    );

    // Recomputing again changes nothing and records nothing.
    let txn = state.db.write().await.unwrap();
    let again =
        store::recompute(state, &txn, &["139900000001".to_owned()], today, "import:1", Utc::now()).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!(again.changed, 0);
    assert_eq!(app.count("promise_history").await, history_rows + 1);
    // The keep-rate roll-up followed each change of status, kept to broken included.
    rollup_is_its_rebuild(&app).await;
}
