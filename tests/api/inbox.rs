//! "Tugas saya" (issue 14 item 1): every role's inbox, counted right. Each count is checked twice:
//! against the database directly, and against the list it opens in the app (the same filter the
//! home card and the inbox link put in the page's address), paged to the end.

use domain::Role;
use domain::api::{MyTasks, Page};
use domain::inbox::{Inbox, InboxKind};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;
use tests::{Backend, TestApp, on_both_databases, spawn_app};

on_both_databases!(every_role_has_its_inbox_counted_as_the_database_and_the_lists_say);

/// The demo users, one or two of each role, with their team's id where they have one.
const PEOPLE: &[&str] = &["admin", "manager", "dc", "qrd", "qco1", "qco2", "tl1", "tl2", "agent1", "agent2", "agent3"];

/// The kinds the issue names for each role, in the inbox's order.
fn expected_kinds(role: Role) -> Vec<InboxKind> {
    use InboxKind::*;
    match role {
        Role::Qco => vec![CallsToScore, SheetDrafts, AgreesToValidate, DocumentsToRead],
        Role::QcCoordinator => vec![DisputesToResolve, ReturnsToVerify, RevisionsToCheck, DocumentsToRead],
        Role::Manager => vec![RevisionsToApprove, DocumentsToRead],
        Role::DocController => vec![RevisionDrafts, DocumentsToRead],
        Role::Agent => vec![ReturnsOpen, SheetsToAcknowledge, DocumentsToRead],
        Role::TeamLeader => vec![ReturnsOverdue, SheetsToAcknowledge, DocumentsToRead],
        Role::Admin => vec![DocumentsToRead],
    }
}

async fn scalar(app: &TestApp, sql: &str) -> u32 {
    let db = &app.app.state.db.conn;
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_owned()))
        .await
        .expect("count query")
        .expect("a row");
    u32::try_from(row.try_get::<i64>("", "n").expect("count")).unwrap()
}

struct Person {
    id: i64,
    role: Role,
    team: Option<i64>,
    token: String,
}

async fn person(app: &TestApp, username: &str) -> Person {
    let token = app.token(username).await;
    let me = app.get("/api/me", &token).await;
    assert_eq!(me.status, StatusCode::OK);
    Person {
        id: me.body["id"].as_i64().unwrap(),
        role: me.body["role"].as_str().unwrap().parse().unwrap(),
        team: me.body["team"]["id"].as_i64(),
        token,
    }
}

/// What the database holds for `kind`, counted with the caller's visibility written out by hand.
async fn in_database(app: &TestApp, who: &Person, kind: InboxKind) -> Option<u32> {
    let id = who.id;
    let sheets_seen = match who.role {
        Role::Agent => format!(" AND agent_id = {id}"),
        Role::TeamLeader => format!(" AND team_id = {}", who.team.unwrap()),
        _ => String::new(),
    };
    let sql = match kind {
        InboxKind::CallsToScore => {
            format!("SELECT COUNT(*) AS n FROM sampling_assignments WHERE qco_id = {id} AND status = 'pending'")
        }
        InboxKind::SheetDrafts => format!(
            "SELECT COUNT(*) AS n FROM evaluations WHERE qco_id = {id} AND status = 'draft' AND calibration_id IS NULL"
        ),
        InboxKind::AgreesToValidate => "SELECT COUNT(*) AS n FROM cases WHERE status = 'pending'".into(),
        InboxKind::DisputesToResolve => {
            "SELECT COUNT(*) AS n FROM evaluations WHERE status = 'disputed' AND calibration_id IS NULL".into()
        }
        InboxKind::ReturnsToVerify => "SELECT COUNT(*) AS n FROM followups WHERE status = 'recared'".into(),
        InboxKind::RevisionDrafts => "SELECT COUNT(*) AS n FROM revisions WHERE status = 'draft'".into(),
        InboxKind::RevisionsToCheck => "SELECT COUNT(*) AS n FROM revisions WHERE status = 'in_review'".into(),
        InboxKind::RevisionsToApprove => "SELECT COUNT(*) AS n FROM revisions WHERE status = 'checked'".into(),
        InboxKind::ReturnsOpen => {
            format!("SELECT COUNT(*) AS n FROM followups WHERE agent_id = {id} AND status IN ('open', 'reopened')")
        }
        // Overdue is a matter of the clock: the list (`overdue=true`) is its check.
        InboxKind::ReturnsOverdue => return None,
        InboxKind::SheetsToAcknowledge => format!(
            "SELECT COUNT(*) AS n FROM evaluations WHERE status = 'submitted' AND calibration_id IS NULL{sheets_seen}"
        ),
        InboxKind::DocumentsToRead => format!(
            "SELECT COUNT(*) AS n FROM revisions r WHERE r.status = 'effective' AND NOT EXISTS \
             (SELECT 1 FROM acknowledgements a WHERE a.revision_id = r.id AND a.user_id = {id})"
        ),
    };
    Some(scalar(app, &sql).await)
}

/// How many rows a list of the API holds, every page of it.
async fn list_length(app: &TestApp, token: &str, path: &str) -> u32 {
    let mut total = 0;
    let mut cursor: Option<String> = None;
    loop {
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = match &cursor {
            Some(c) => format!("{path}{sep}limit=100&cursor={c}"),
            None => format!("{path}{sep}limit=100"),
        };
        let reply = app.get(&url, token).await;
        assert_eq!(reply.status, StatusCode::OK, "{url}: {}", reply.body);
        let page: Page<Value> = reply.json();
        total += page.items.len() as u32;
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return total,
        }
    }
}

/// The API list behind the page a kind opens, with the page's filter (`InboxKind::list`), and the
/// same list narrowed to what is overdue where the kind has an overdue count.
async fn in_lists(app: &TestApp, who: &Person, kind: InboxKind) -> (u32, u32) {
    let tasks: MyTasks = app.get("/api/me/tasks", &who.token).await.json();
    let list = kind.list();
    let of = |path: String| async move { list_length(app, &who.token, &path).await };
    match kind {
        InboxKind::CallsToScore => {
            assert_eq!((list.path, list.query), ("/evaluations", "tab=assigned"));
            (of("/api/sampling/assignments?status=pending".into()).await, 0)
        }
        InboxKind::SheetDrafts => {
            assert_eq!((list.path, list.query), ("/evaluations", "tab=drafts"));
            (of(format!("/api/evaluations?status=draft&qco_id={}", who.id)).await, 0)
        }
        InboxKind::DisputesToResolve => {
            assert_eq!((list.path, list.query), ("/evaluations", "tab=disputes"));
            (of("/api/evaluations?status=disputed".into()).await, 0)
        }
        InboxKind::AgreesToValidate | InboxKind::SheetsToAcknowledge => {
            (of(format!("/api{}?{}", list.path, list.query)).await, 0)
        }
        InboxKind::ReturnsToVerify => (
            of(format!("/api{}?{}", list.path, list.query)).await,
            of(format!("/api{}?{}&verify_overdue=true", list.path, list.query)).await,
        ),
        InboxKind::ReturnsOpen => (
            of(format!("/api{}?{}", list.path, list.query)).await,
            of(format!("/api{}?{}&overdue=true", list.path, list.query)).await,
        ),
        InboxKind::ReturnsOverdue => {
            let n = of(format!("/api{}?{}", list.path, list.query)).await;
            (n, n)
        }
        InboxKind::RevisionDrafts => (tasks.drafts.len() as u32, 0),
        InboxKind::RevisionsToCheck => (tasks.to_check.len() as u32, 0),
        InboxKind::RevisionsToApprove => (tasks.to_approve.len() as u32, 0),
        InboxKind::DocumentsToRead => (tasks.to_read.len() as u32, 0),
    }
}

/// The demo data's documents are all in force: give the document roles a draft, a revision to
/// check and one to approve, on three documents.
async fn revision_work(app: &TestApp) {
    let (dc, qrd) = (app.token("dc").await, app.token("qrd").await);
    let register: Page<Value> = app.get("/api/documents?limit=3", &dc).await.json();
    let codes: Vec<String> = register.items.iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect();
    assert_eq!(codes.len(), 3, "{codes:?}");
    let password = serde_json::json!({ "password": tests::DEMO_PASSWORD });
    for (n, code) in codes.iter().enumerate() {
        let path = format!("/api/documents/{code}/revisions");
        let draft = app.post(&path, Some(&dc), &serde_json::json!({ "change_description": "Pembaruan." })).await;
        assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
        let rev = draft.body["rev"].as_i64().unwrap();
        if n >= 1 {
            let submitted = app.post(&format!("{path}/{rev}/submit"), Some(&dc), &password).await;
            assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
        }
        if n == 2 {
            let body = serde_json::json!({ "decision": "approve", "comment": "", "password": tests::DEMO_PASSWORD });
            let checked = app.post(&format!("{path}/{rev}/review"), Some(&qrd), &body).await;
            assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
        }
    }
}

/// Checks everyone's inbox; returns it by username for the caller to compare before and after.
async fn check_everyone(app: &TestApp) -> std::collections::BTreeMap<&'static str, Inbox> {
    let mut all = std::collections::BTreeMap::new();
    for username in PEOPLE {
        let who = person(app, username).await;
        let reply = app.get("/api/me/inbox", &who.token).await;
        assert_eq!(reply.status, StatusCode::OK, "{username}: {}", reply.body);
        let inbox: Inbox = reply.json();
        let kinds: Vec<InboxKind> = inbox.items.iter().map(|i| i.kind).collect();
        assert_eq!(kinds, expected_kinds(who.role), "{username}'s kinds");
        assert_eq!(inbox.total, inbox.items.iter().map(|i| i.count).sum::<u32>(), "{username}'s total");
        for item in &inbox.items {
            if let Some(n) = in_database(app, &who, item.kind).await {
                assert_eq!(item.count, n, "{username} {}: the database holds {n}", item.kind);
            }
            let (listed, overdue) = in_lists(app, &who, item.kind).await;
            assert_eq!(item.count, listed, "{username} {}: its list shows {listed}", item.kind);
            assert_eq!(item.overdue, overdue, "{username} {}: its overdue list shows {overdue}", item.kind);
        }
        all.insert(*username, inbox);
    }
    all
}

async fn every_role_has_its_inbox_counted_as_the_database_and_the_lists_say(backend: Backend) {
    let app = spawn_app(backend).await;
    revision_work(&app).await;
    let before = check_everyone(&app).await;
    // The demo data gives every kind something to count somewhere.
    for kind in InboxKind::ALL {
        let most = before.values().map(|inbox| inbox.count(kind)).max().unwrap_or(0);
        assert!(most > 0, "the demo data has nothing for {kind}: {before:#?}");
    }

    // agent1 acknowledges a result: their inbox and their team leader's lose it, the other
    // team's leader's does not change.
    let agent1 = person(&app, "agent1").await;
    let submitted: Page<Value> = app.get("/api/evaluations?status=submitted&limit=1", &agent1.token).await.json();
    let sheet = submitted.items[0]["id"].as_i64().unwrap();
    let reply =
        app.post(&format!("/api/evaluations/{sheet}/acknowledge"), Some(&agent1.token), &serde_json::json!({})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // agent1 reads one document.
    let tasks: MyTasks = app.get("/api/me/tasks", &agent1.token).await.json();
    let doc = &tasks.to_read[0];
    let reply = app
        .post(
            &format!("/api/documents/{}/revisions/{}/acknowledge", doc.code, doc.rev),
            Some(&agent1.token),
            &serde_json::json!({}),
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);

    let after = check_everyone(&app).await;
    let n = |map: &std::collections::BTreeMap<&str, Inbox>, who: &str, kind| map[who].count(kind);
    assert_eq!(
        n(&after, "agent1", InboxKind::SheetsToAcknowledge),
        n(&before, "agent1", InboxKind::SheetsToAcknowledge) - 1
    );
    assert_eq!(n(&after, "tl1", InboxKind::SheetsToAcknowledge), n(&before, "tl1", InboxKind::SheetsToAcknowledge) - 1);
    assert_eq!(n(&after, "tl2", InboxKind::SheetsToAcknowledge), n(&before, "tl2", InboxKind::SheetsToAcknowledge));
    assert_eq!(n(&after, "agent1", InboxKind::DocumentsToRead), n(&before, "agent1", InboxKind::DocumentsToRead) - 1);
    assert_eq!(n(&after, "agent2", InboxKind::DocumentsToRead), n(&before, "agent2", InboxKind::DocumentsToRead));
    assert_eq!(after["agent1"].total, before["agent1"].total - 2);

    // Without a login there is no inbox.
    assert_eq!(app.send(reqwest::Method::GET, "/api/me/inbox", None, None).await.status, StatusCode::UNAUTHORIZED);
}
