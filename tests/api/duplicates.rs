//! Concurrent creates of one unique name: the database's unique key decides, so exactly one
//! request gets 201 and every other one 409 with our code, never 500, on both databases.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tests::{Backend, TestApp, assert_error_shape, on_both_databases, spawn_app};

on_both_databases!(
    concurrent_creates_of_one_username_team_or_code_give_one_201_and_409s,
    concurrent_drafts_of_one_document_give_one_201_and_409s,
    renaming_a_team_to_a_taken_name_is_409,
);

/// How many identical creates race each other.
const RACERS: usize = 8;

/// Sends `RACERS` copies of one request at once; returns (created, refused), checking every
/// refusal is 409 `code` in our shape.
async fn race(app: &TestApp, token: &str, method: Method, path: &str, body: &Value, code: &str) -> (usize, usize) {
    let tasks: Vec<_> = (0..RACERS)
        .map(|_| {
            let request = app.client.request(method.clone(), app.url(path)).bearer_auth(token).json(body);
            tokio::spawn(async move { TestApp::reply(request.send().await.expect("send the request")).await })
        })
        .collect();
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.expect("a request task"));
    }
    let created = replies.iter().filter(|r| r.status == StatusCode::CREATED).count();
    for reply in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        assert_eq!(reply.status, StatusCode::CONFLICT, "{path} {body}: {}", reply.body);
        assert_eq!(reply.error(), code, "{path}");
        assert_error_shape(reply, path);
    }
    (created, replies.len() - created)
}

async fn concurrent_creates_of_one_username_team_or_code_give_one_201_and_409s(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    for round in 0..3 {
        let (users, teams, documents) =
            (app.count("users").await, app.count("teams").await, app.count("documents").await);
        let team = json!({ "name": format!("Tim Baru {round}") });
        assert_eq!(
            race(&app, &admin, Method::POST, "/api/teams", &team, "team_name_taken").await,
            (1, RACERS - 1),
            "teams, round {round}"
        );
        let code = format!("OB.IN.OCC.TELK.W-2{round}");
        let document = json!({ "code": code, "kind": "work_instruction", "title": "Instruksi baru", "parent_code": "OB.IN.OCC.TELK.P-01" });
        assert_eq!(
            race(&app, &admin, Method::POST, "/api/documents", &document, "code_taken").await,
            (1, RACERS - 1),
            "documents, round {round}"
        );
        let user = json!({ "username": format!("kembar{round}"), "password": "rahasia-sekali-1", "role": "agent", "full_name": "Kembar" });
        assert_eq!(
            race(&app, &admin, Method::POST, "/api/users", &user, "username_taken").await,
            (1, RACERS - 1),
            "users, round {round}"
        );
        assert_eq!(
            (app.count("users").await, app.count("teams").await, app.count("documents").await),
            (users + 1, teams + 1, documents + 1),
            "exactly one of each was stored"
        );
    }
    let verify = app.get("/api/audit/verify", &admin).await;
    assert_eq!(verify.body["ok"], true, "{}", verify.body);
}

async fn concurrent_drafts_of_one_document_give_one_201_and_409s(backend: Backend) {
    let app = spawn_app(backend).await;
    let dc = app.token("dc").await;
    let revisions = app.count("revisions").await;
    let draft = json!({ "change_description": "Revisi bersamaan" });
    let outcome =
        race(&app, &dc, Method::POST, "/api/documents/OB.IN.OCC.TELK.P-01/revisions", &draft, "revision_in_progress")
            .await;
    assert_eq!(outcome, (1, RACERS - 1));
    assert_eq!(app.count("revisions").await, revisions + 1);
}

async fn renaming_a_team_to_a_taken_name_is_409(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let team: Value = app.get("/api/teams/2", &admin).await.body;
    let reply = app.patch("/api/teams/2", &admin, &json!({ "version": team["version"], "name": "Tim 1" })).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(reply.error(), "team_name_taken");
    let unchanged: Value = app.get("/api/teams/2", &admin).await.body;
    assert_eq!(unchanged, team);
}
