//! The deadlines of a W-03 follow-up (issue 12 item 4): a reopened RETURN gets a fresh due date
//! counted from the reopening, QC's verification has its own deadline (`MUTU_VERIFY_DAYS`, 1
//! working day by default), the history keeps every due date, and QC's delay is shown, filtered
//! and counted apart from the agent's — in the list, the summary and the F-19 report.
//!
//! Time is controlled through the services' `_at` variants; the site zone is WIB (UTC+7), so the
//! end of a site day, 23:59:59 WIB, is 16:59:59Z.

use crate::cases::{case_of, import_ok, qco_who, user_id};
use chrono::{DateTime, Duration, Utc};
use domain::api::Page;
use domain::cases::FollowupFilter;
use domain::cases::{
    F19Report, Followup, FollowupStatus, NewValidation, RecareRequest, ValidationResult, VerifyRequest,
};
use mutu_backend::audit::Trail;
use mutu_backend::auth::AuthUser;
use mutu_backend::cases::service;
use reqwest::StatusCode;
use tests::{Backend, TestApp, on_both_databases, spawn_app};

on_both_databases!(
    a_reopened_return_gets_a_fresh_due_date_and_qc_its_own_deadline,
    verification_overdue_is_shown_filtered_and_counted_apart,
    followups_waiting_for_qc_get_their_deadline_at_start,
    the_migration_backfills_what_the_database_holds,
    a_recare_can_carry_a_new_promise_and_the_case_keeps_its_own,
);

/// A site wall time (WIB) as an instant.
fn wib(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{text}+07:00")).unwrap().with_timezone(&Utc)
}

/// The API's text of the end of a site day.
fn day_end(day: &str) -> String {
    format!("{day}T16:59:59.000000Z")
}

async fn agent_who(app: &TestApp, username: &str) -> AuthUser {
    let id = user_id(app, username).await;
    AuthUser::account(&app.app.state.db.conn, id).await.expect("an active account")
}

async fn coordinator_who(app: &TestApp) -> AuthUser {
    let id = user_id(app, "qrd").await;
    AuthUser::account(&app.app.state.db.conn, id).await.expect("an active account")
}

fn returned() -> NewValidation {
    NewValidation {
        result: ValidationResult::Returned,
        checklist: Default::default(),
        recommendation: Some("Konfirmasi ulang tanggal janji bayar.".into()),
        evaluation_id: None,
        checklist_version: None,
    }
}

fn recare_body(at: DateTime<Utc>) -> RecareRequest {
    RecareRequest {
        note: "Sudah caring ulang.".into(),
        recare_call_ref: "EB-RC-0601".into(),
        recared_at: at.to_rfc3339(),
        promise_date: None,
    }
}

fn decision(decision: &str) -> VerifyRequest {
    VerifyRequest { decision: decision.into(), comment: "Belum lengkap.".into() }
}

/// A server with the demo data and the QRD coordinator's token, once the coordinator has
/// imported `rows` (agree rows on days the demo data does not touch): where each scenario starts.
async fn start_with_cases(backend: Backend, rows: &[&str]) -> (TestApp, String) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    import_ok(&app, &qrd, rows).await;
    (app, qrd)
}

/// Opens a follow-up for the case of `customer_no` by a RETURN at `at`.
async fn open_at(app: &TestApp, qrd: &str, customer_no: &str, at: DateTime<Utc>) -> i64 {
    let qco = qco_who(app, user_id(app, "qco1").await).await;
    let case = case_of(app, qrd, customer_no).await;
    let case = service::validate_at(&app.app.state, &qco, case.id, returned(), at, Trail::EachStep).await.unwrap();
    case.validation.and_then(|v| v.followup_id).expect("a RETURN opens a follow-up")
}

async fn a_reopened_return_gets_a_fresh_due_date_and_qc_its_own_deadline(backend: Backend) {
    // May 2025, which the demo data does not touch. 2 May is a Friday.
    let (app, qrd) = start_with_cases(
        backend,
        &[
            "131000000601,Dewi Lestari,CT-0,N+2,100000,agent1,2025-05-02 08:00,x,2025-05-03,EB-601",
            "131000000602,Eko Prasetyo,CT-0,N+2,100000,agent1,2025-05-02 08:30,x,2025-05-03,EB-602",
            "131000000603,Fitri Handayani,CT-0,N+2,100000,agent1,2025-05-02 08:45,x,2025-05-03,EB-603",
        ],
    )
    .await;
    let state = &app.app.state;
    let (qco, agent) = (qco_who(&app, user_id(&app, "qco1").await).await, agent_who(&app, "agent1").await);
    let id = open_at(&app, &qrd, "131000000601", wib("2025-05-02T09:00:00")).await;

    // Opened on a Friday: two working days over the weekend, due at the end of Tuesday.
    let opened = service::followup_in_at(&state.db.conn, &qco, id, wib("2025-05-02T09:00:00")).await.unwrap();
    assert_eq!(opened.due_at, day_end("2025-05-06"));
    assert_eq!(opened.history[0].due_at.as_deref(), Some(day_end("2025-05-06").as_str()));

    // Re-cared on Monday, in time; QC has one working day: the end of Tuesday.
    let at = wib("2025-05-05T10:00:00");
    let recared = service::recare_at(state, &agent, id, recare_body(at), at, Trail::EachStep).await.unwrap();
    assert_eq!(recared.status, FollowupStatus::Recared);
    assert_eq!(recared.verify_due_at.as_deref(), Some(day_end("2025-05-06").as_str()));
    assert!(!recared.verify_overdue && !recared.overdue);
    assert_eq!(recared.late_recares, 0);
    assert_eq!(recared.history[1].verify_due_at, recared.verify_due_at);

    // Thursday: QC is late, the agent is not.
    let thursday = wib("2025-05-08T09:00:00");
    let waiting = service::followup_in_at(&state.db.conn, &qco, id, thursday).await.unwrap();
    assert!(waiting.verify_overdue, "waiting for QC past its deadline");
    assert!(!waiting.overdue, "the agent is not overdue while QC is");

    // QC reopens late: a fresh due date, two working days from the reopening (Thursday → Monday).
    let at = wib("2025-05-08T10:00:00");
    let reopened = service::verify_at(state, &qco, id, decision("reopen"), at, Trail::EachStep).await.unwrap();
    assert_eq!(reopened.status, FollowupStatus::Reopened);
    assert_eq!(reopened.due_at, day_end("2025-05-12"), "counted from the reopening, over the weekend");
    assert_eq!(reopened.verify_due_at, None, "nothing waits for QC now");
    assert!(!reopened.overdue, "the first due date has passed, but this round's has not");
    assert_eq!((reopened.late_recares, reopened.late_verifications), (0, 1));
    // The history keeps both due dates, and QC's deadline.
    let dues: Vec<Option<&str>> = reopened.history.iter().map(|s| s.due_at.as_deref()).collect();
    assert_eq!(dues, [Some(day_end("2025-05-06").as_str()), None, Some(day_end("2025-05-12").as_str())]);
    assert_eq!(reopened.history[1].verify_due_at.as_deref(), Some(day_end("2025-05-06").as_str()));
    // The reopening's audit entry records the new due date, the re-care's QC's deadline.
    let audited = |action: &'static str, text: String| {
        let app = &app;
        async move {
            app.count(&format!(
                "audit_log WHERE action = '{action}' AND entity_id = '{id}' AND payload LIKE '%{text}%'"
            ))
            .await
        }
    };
    assert_eq!(audited("followup.reopened", format!("\"due_at\":\"{}\"", day_end("2025-05-12"))).await, 1);
    assert_eq!(audited("followup.recared", format!("\"verify_due_at\":\"{}\"", day_end("2025-05-06"))).await, 1);

    // Monday noon: past the first due date, not past this round's.
    let monday = wib("2025-05-12T12:00:00");
    let seen = service::followup_in_at(&state.db.conn, &agent, id, monday).await.unwrap();
    assert!(!seen.overdue);
    let overdue = FollowupFilter { overdue: Some(true), limit: Some(500), ..Default::default() };
    let list = service::list_followups_at(state, &agent, &overdue, monday).await.unwrap();
    assert!(!list.items.iter().any(|f| f.id == id), "not in the agent's overdue list");
    assert_eq!(service::summary_at(state, &agent, monday).await.unwrap().overdue, 0);
    // Tuesday morning it would be.
    let tuesday = wib("2025-05-13T08:00:00");
    assert!(service::followup_in_at(&state.db.conn, &agent, id, tuesday).await.unwrap().overdue);

    // The agent re-cares Monday afternoon, in time for this round; QC closes on Wednesday, late.
    let at = wib("2025-05-12T15:00:00");
    let recared = service::recare_at(state, &agent, id, recare_body(at), at, Trail::EachStep).await.unwrap();
    assert_eq!(recared.verify_due_at.as_deref(), Some(day_end("2025-05-13").as_str()));
    let closed = service::verify_at(state, &qco, id, decision("close"), wib("2025-05-14T09:00:00"), Trail::EachStep)
        .await
        .unwrap();
    assert_eq!(closed.status, FollowupStatus::Closed);
    assert_eq!((closed.late_recares, closed.late_verifications), (0, 2), "QC's delay, never the agent's");
    assert_eq!(closed.closed_in_time, Some(false), "not every deadline was kept");
    let steps: Vec<&str> = closed.history.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(steps, ["opened", "recared", "reopened", "recared", "closed"]);
    assert_eq!(closed.history[3].verify_due_at.as_deref(), Some(day_end("2025-05-13").as_str()));

    // A second RETURN: the agent late (Wednesday, after Tuesday's end), QC in time (same day).
    let late = open_at(&app, &qrd, "131000000602", wib("2025-05-02T09:30:00")).await;
    let at = wib("2025-05-07T10:00:00");
    let recared = service::recare_at(state, &agent, late, recare_body(at), at, Trail::EachStep).await.unwrap();
    assert_eq!(recared.late_recares, 1);
    let closed = service::verify_at(state, &qco, late, decision("close"), wib("2025-05-07T14:00:00"), Trail::EachStep)
        .await
        .unwrap();
    assert_eq!((closed.late_recares, closed.late_verifications), (1, 0));
    // A third, re-cared on a Friday and never verified: QC's deadline is the end of Monday.
    let waiting = open_at(&app, &qrd, "131000000603", wib("2025-05-07T09:00:00")).await;
    let at = wib("2025-05-09T10:00:00");
    let recared = service::recare_at(state, &agent, waiting, recare_body(at), at, Trail::EachStep).await.unwrap();
    assert_eq!(recared.verify_due_at.as_deref(), Some(day_end("2025-05-12").as_str()));

    // The F-19 report counts the agent's punctuality and QC's apart.
    let report: F19Report = app.get("/api/reports/f19?from=2025-05-01&to=2025-05-31", &qrd).await.json();
    let t = &report.totals;
    assert_eq!((t.returned, t.returns_open, t.returns_overdue), (3, 1, 0));
    assert_eq!(t.returns_recared_in_time, 1, "the first RETURN's agent kept every due date");
    assert_eq!(t.returns_verified_in_time, 1, "QC kept its deadline on the second RETURN only");
    assert_eq!(t.returns_closed_in_time, 0, "neither kept every deadline");
    assert_eq!(t.returns_verify_overdue, 1, "the third waits for QC past its deadline");
    let row = report.rows.iter().find(|r| r.agent_username == "agent1").unwrap();
    assert_eq!(row.counts.returns_recared_in_time, 1);
    // The export carries them too, after the columns it had.
    let csv = app.get_response("/api/reports/f19?from=2025-05-01&to=2025-05-31&format=csv", &qrd).await;
    let csv = csv.text().await.unwrap();
    assert!(csv.contains("Re-care agent tepat waktu / Agent re-cared in time"), "{csv}");
    assert!(csv.contains("Verifikasi QC terlambat / QC verification overdue"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("Total,,,,,3,3,0,3,0.00,0,1,0,1,1,1")), "{csv}");
}

async fn verification_overdue_is_shown_filtered_and_counted_apart(backend: Backend) {
    let (app, qrd) = start_with_cases(
        backend,
        &[
            "131000000701,Gita,CT-0,N+2,100000,agent1,2025-03-03 09:00,x,2025-03-05,EB-701",
            "131000000702,Hadi,CT-0,N+2,100000,agent1,2025-03-03 10:00,x,2025-03-05,EB-702",
            "131000000703,Indah,PRANPC,N,100000,agent2,2025-03-03 11:00,x,2025-03-05,EB-703",
        ],
    )
    .await;
    let state = &app.app.state;
    let coordinator = coordinator_who(&app).await;
    let now = Utc::now();
    let before = service::summary_at(state, &coordinator, now).await.unwrap();
    let agent1_before = before.per_agent.iter().find(|a| a.agent_username == "agent1").cloned();

    // A: re-cared nine days ago, never verified — QC is late. B: never re-cared — the agent is.
    let qco_late = open_at(&app, &qrd, "131000000701", now - Duration::days(10)).await;
    let agent1 = agent_who(&app, "agent1").await;
    let at = now - Duration::days(9);
    service::recare_at(state, &agent1, qco_late, recare_body(at), at, Trail::EachStep).await.unwrap();
    let agent_late = open_at(&app, &qrd, "131000000702", now - Duration::days(10)).await;
    // C: returned and re-cared just now, through the API: waiting for QC, in time.
    let fresh = open_at(&app, &qrd, "131000000703", Utc::now()).await;
    let reply = app
        .post(&format!("/api/followups/{fresh}/recare"), Some(&app.token("agent2").await), &recare_body(Utc::now()))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let fresh_view: Followup = reply.json();
    assert!(fresh_view.verify_due_at.is_some() && !fresh_view.verify_overdue);

    // Shown: the follow-up says whose delay it is.
    let a: Followup = app.get(&format!("/api/followups/{qco_late}"), &qrd).await.json();
    assert!(a.verify_overdue && !a.overdue, "{a:?}");
    assert!(a.verify_due_at.is_some());
    let b: Followup = app.get(&format!("/api/followups/{agent_late}"), &qrd).await.json();
    assert!(b.overdue && !b.verify_overdue && b.verify_due_at.is_none(), "{b:?}");

    // Filtered: `verify_overdue=true` is QC's, `overdue=true` stays the agent's.
    let qc: Page<Followup> = app.get("/api/followups?verify_overdue=true&limit=500", &qrd).await.json();
    assert!(qc.items.iter().any(|f| f.id == qco_late));
    assert!(!qc.items.iter().any(|f| f.id == agent_late || f.id == fresh));
    assert!(qc.items.iter().all(|f| f.verify_overdue && !f.overdue && f.status == FollowupStatus::Recared));
    let agents: Page<Followup> = app.get("/api/followups?overdue=true&limit=500", &qrd).await.json();
    assert!(agents.items.iter().any(|f| f.id == agent_late));
    assert!(!agents.items.iter().any(|f| f.id == qco_late));
    assert!(agents.items.iter().all(|f| f.overdue && !f.verify_overdue));
    // Agents see only their own there too.
    let own: Page<Followup> =
        app.get("/api/followups?verify_overdue=true&limit=500", &app.token("agent2").await).await.json();
    assert!(own.items.iter().all(|f| f.agent_username == "agent2"));
    // The whole list: the agent's overdue first, then QC's, then the rest.
    let mut all = Vec::new();
    let mut path = "/api/followups?limit=3".to_owned();
    loop {
        let page: Page<Followup> = app.get(&path, &qrd).await.json();
        all.extend(page.items);
        match page.next_cursor {
            Some(c) => path = format!("/api/followups?limit=3&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(all.len(), app.count("followups").await as usize, "each once");
    let rank = |f: &Followup| {
        if f.overdue {
            0
        } else if f.verify_overdue {
            1
        } else {
            2
        }
    };
    assert!(all.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])), "ordered by whose delay it is");
    let position = |id: i64| all.iter().position(|f| f.id == id).unwrap();
    assert!(position(agent_late) < position(qco_late) && position(qco_late) < position(fresh));

    // Counted: the summary has QC's overdue apart from the agent's, in total and per agent.
    let after = service::summary_at(state, &coordinator, now).await.unwrap();
    assert_eq!(after.verify_overdue, before.verify_overdue + 1);
    assert_eq!(after.overdue, before.overdue + 1);
    assert_eq!(after.recared, before.recared + 2);
    let agent1_after = after.per_agent.iter().find(|a| a.agent_username == "agent1").unwrap();
    let (overdue0, verify0) = agent1_before.map_or((0, 0), |a| (a.overdue, a.verify_overdue));
    assert_eq!((agent1_after.overdue, agent1_after.verify_overdue), (overdue0 + 1, verify0 + 1));
    let listed = app.get("/api/followups/summary", &qrd).await;
    assert_eq!(listed.status, StatusCode::OK);
    let summary: domain::cases::FollowupSummary = listed.json();
    let total_listed = {
        let mut n = 0;
        let mut path = "/api/followups?verify_overdue=true&limit=500".to_owned();
        loop {
            let page: Page<Followup> = app.get(&path, &qrd).await.json();
            n += page.items.len() as u64;
            match page.next_cursor {
                Some(c) => path = format!("/api/followups?verify_overdue=true&limit=500&cursor={c}"),
                None => break n,
            }
        }
    };
    assert_eq!(summary.verify_overdue, total_listed, "the badge and the filter agree");
    assert!(summary.per_agent.iter().map(|a| a.verify_overdue).sum::<u64>() == summary.verify_overdue);

    // Verifying QC's late one counts it late for QC, not for the agent.
    let closed: Followup = app
        .post(
            &format!("/api/followups/{qco_late}/verify"),
            Some(&app.token("qco1").await),
            &serde_json::json!({ "decision": "close" }),
        )
        .await
        .json();
    assert_eq!((closed.late_recares, closed.late_verifications), (0, 1));
    assert_eq!(closed.closed_in_time, Some(false));
}

async fn followups_waiting_for_qc_get_their_deadline_at_start(backend: Backend) {
    let (app, qrd) =
        start_with_cases(backend, &["131000000801,Joko,CT-0,N+2,100000,agent1,2025-05-02 08:00,x,2025-05-03,EB-801"])
            .await;
    let state = &app.app.state;
    let id = open_at(&app, &qrd, "131000000801", wib("2025-05-02T09:00:00")).await;
    let at = wib("2025-05-09T10:00:00"); // a Friday
    service::recare_at(state, &agent_who(&app, "agent1").await, id, recare_body(at), at, Trail::EachStep)
        .await
        .unwrap();
    // As a follow-up re-cared before QC had deadlines is after the migration.
    app.sql("UPDATE followups SET verify_due_at = NULL").await.unwrap();
    app.sql("UPDATE followup_steps SET verify_due_at = NULL").await.unwrap();
    let before = app.count("followups WHERE status = 'recared'").await;
    assert!(before >= 1);
    assert_eq!(service::backfill_verify_deadlines(state).await.unwrap() as i64, before);
    let seen: Followup = app.get(&format!("/api/followups/{id}"), &qrd).await.json();
    assert_eq!(seen.verify_due_at.as_deref(), Some(day_end("2025-05-12").as_str()), "a working day after Friday");
    assert_eq!(seen.history[1].verify_due_at, seen.verify_due_at);
    assert!(seen.verify_overdue);
    assert_eq!(service::backfill_verify_deadlines(state).await.unwrap(), 0, "once");
    assert_eq!(app.count("followups WHERE status = 'recared' AND verify_due_at IS NULL").await, 0);
}

async fn the_migration_backfills_what_the_database_holds(backend: Backend) {
    use migrations::MigratorTrait;
    let (app, qrd) = start_with_cases(
        backend,
        &[
            "131000000901,Kurnia,CT-0,N+2,100000,agent1,2025-05-02 08:00,x,2025-05-03,EB-901",
            "131000000902,Lestari,CT-0,N+2,100000,agent1,2025-05-02 08:30,x,2025-05-03,EB-902",
        ],
    )
    .await;
    let state = &app.app.state;
    let (qco, agent) = (qco_who(&app, user_id(&app, "qco1").await).await, agent_who(&app, "agent1").await);
    // Due at the end of Tuesday 6 May: one re-cared on Monday, one on Wednesday; both closed.
    let in_time = open_at(&app, &qrd, "131000000901", wib("2025-05-02T09:00:00")).await;
    let late = open_at(&app, &qrd, "131000000902", wib("2025-05-02T09:00:00")).await;
    for (id, day) in [(in_time, "2025-05-05"), (late, "2025-05-07")] {
        let at = wib(&format!("{day}T10:00:00"));
        service::recare_at(state, &agent, id, recare_body(at), at, Trail::EachStep).await.unwrap();
        service::verify_at(state, &qco, id, decision("close"), at + Duration::hours(1), Trail::EachStep).await.unwrap();
    }
    // The database as it was before the migration: without its columns and index. Taken back
    // and migrated again on one connection of its own, as a server starting on that database
    // would: the server's pooled connections (and what they have cached of the schema) stay out
    // of it.
    use sea_orm::ConnectionTrait;
    let options = sea_orm::ConnectOptions::new(app.database_url.clone()).max_connections(1).to_owned();
    let db = sea_orm::Database::connect(options).await.unwrap();
    for statement in [
        "DROP INDEX idx_followups_status_verify_due",
        "ALTER TABLE followups DROP COLUMN verify_due_at",
        "ALTER TABLE followups DROP COLUMN late_recares",
        "ALTER TABLE followups DROP COLUMN late_verifications",
        "ALTER TABLE followup_steps DROP COLUMN due_at",
        "ALTER TABLE followup_steps DROP COLUMN verify_due_at",
        "DELETE FROM seaql_migrations WHERE version = 'm20261206_000002_followup_deadlines'",
    ] {
        db.execute_unprepared(statement).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    migrations::Migrator::up(&db, None).await.unwrap();
    db.close().await.unwrap();

    // Every opening step has its due date back; the late re-care is counted; QC had no deadline.
    assert_eq!(app.count("followup_steps WHERE step = 'opened' AND due_at IS NULL").await, 0);
    assert_eq!(
        app.count(
            "followup_steps s JOIN followups f ON f.id = s.followup_id WHERE s.step = 'opened' AND s.due_at <> f.due_at"
        )
        .await,
        0
    );
    let seen = |id: i64| service::followup_in(&state.db.conn, &qco, id);
    let (a, b) = (seen(in_time).await.unwrap(), seen(late).await.unwrap());
    assert_eq!(a.history[0].due_at.as_deref(), Some(day_end("2025-05-06").as_str()));
    assert_eq!((a.late_recares, a.late_verifications, a.closed_in_time), (0, 0, Some(true)));
    assert_eq!((b.late_recares, b.late_verifications, b.closed_in_time), (1, 0, Some(false)));
    assert_eq!(b.history[1].verify_due_at, None, "a re-care before the migration had no QC deadline");
}

/// The customer may promise a new payment date on the re-care call: the `recared` step keeps it
/// (not before that call's site day, at most 90 days after), and the case keeps the promise of
/// the call QC validated.
async fn a_recare_can_carry_a_new_promise_and_the_case_keeps_its_own(backend: Backend) {
    let (app, qrd) = start_with_cases(
        backend,
        &["131000000611,Gita Savitri,CT-0,N+2,100000,agent1,2025-05-02 08:00,x,2025-05-03,EB-611"],
    )
    .await;
    let id = open_at(&app, &qrd, "131000000611", wib("2025-05-02T09:00:00")).await;
    let agent = app.token("agent1").await;
    let now = Utc::now();
    let today = (now + Duration::hours(7)).date_naive();
    let day = |days: i64| (today + Duration::days(days)).format("%Y-%m-%d").to_string();
    let body = |promise: &str| {
        serde_json::json!({
            "note": "Caring ulang; pelanggan menjanjikan tanggal baru.",
            "recare_call_ref": "EB-RC-611",
            "recared_at": now.to_rfc3339(),
            "promise_date": promise,
        })
    };
    let path = format!("/api/followups/{id}/recare");
    for (promise, code) in [(day(-1), "in_past"), (day(91), "out_of_range")] {
        let refused = app.post(&path, Some(&agent), &body(&promise)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{promise}: {}", refused.body);
        assert_eq!(refused.body["fields"]["promise_date"], code, "{promise}");
    }
    let refused = app.post(&path, Some(&agent), &body("31/12/2026")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body["fields"]["promise_date"].is_string(), "{}", refused.body);
    let unchanged: Followup = app.get(&format!("/api/followups/{id}"), &agent).await.json();
    assert_eq!((unchanged.status, unchanged.history.len()), (FollowupStatus::Open, 1), "the refusals wrote nothing");

    let promised = day(14);
    let reply = app.post(&path, Some(&agent), &body(&promised)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let recared: Followup = reply.json();
    assert_eq!(recared.status, FollowupStatus::Recared);
    assert_eq!(recared.history[1].promise_date.as_deref(), Some(promised.as_str()));
    assert_eq!(recared.history[0].promise_date, None);
    let case = case_of(&app, &qrd, "131000000611").await;
    assert_eq!(case.promise_date, "2025-05-03", "the case keeps the promise QC validated");
    // Without one, as before.
    let id = {
        import_ok(
            &app,
            &qrd,
            &["131000000612,Hadi Susanto,CT-0,N+2,100000,agent1,2025-05-02 08:10,x,2025-05-03,EB-612"],
        )
        .await;
        open_at(&app, &qrd, "131000000612", wib("2025-05-02T09:10:00")).await
    };
    let mut plain = body("");
    plain.as_object_mut().unwrap().remove("promise_date");
    let reply = app.post(&format!("/api/followups/{id}/recare"), Some(&agent), &plain).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json::<Followup>().history[1].promise_date, None);
}
