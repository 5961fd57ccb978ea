//! F-18 scoring: versioned forms, sheets with the score of `domain::scoring::score`, the
//! agent's acknowledgement and dispute, the coordinator's resolution, visibility by role,
//! blind calibration, sampling, the per-parameter report, and bad input that stores nothing.

use chrono::{Duration, Utc};
use domain::api::{Page, User};
use domain::scoring::{
    Calibration, CalibrationSummary, Evaluation, EvaluationCounts, EvaluationStatus, EvaluationSummary, FailRateReport,
    FormStatus, SamplingAssignment, SamplingResult, ScoringForm,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tests::{Backend, Reply, TestApp, on_both_databases, spawn_app};

/// Every operation of this part, as `METHOD /path` in the OpenAPI document (checked by
/// `http::openapi_documents_exactly_the_routes_that_exist`).
pub const ROUTES: &[&str] = &[
    "GET /api/scoring-forms",
    "POST /api/scoring-forms",
    "GET /api/scoring-forms/{id}",
    "PUT /api/scoring-forms/{id}",
    "POST /api/scoring-forms/{id}/publish",
    "GET /api/evaluations",
    "POST /api/evaluations",
    "GET /api/evaluations/summary",
    "GET /api/evaluations/xlsx",
    "GET /api/evaluations/{id}",
    "GET /api/evaluations/{id}/xlsx",
    "PUT /api/evaluations/{id}",
    "POST /api/evaluations/{id}/acknowledge",
    "POST /api/evaluations/{id}/dispute",
    "POST /api/evaluations/{id}/resolve",
    "GET /api/reports/parameter-fail-rates",
    "GET /api/calibrations",
    "POST /api/calibrations",
    "GET /api/calibrations/{id}",
    "POST /api/calibrations/{id}/close",
    "POST /api/sampling",
    "GET /api/sampling/assignments",
];

on_both_databases!(
    the_demo_form_sheets_and_sessions_are_loaded,
    forms_are_validated,
    forms_are_versioned_and_published_versions_never_change,
    bad_sheets_are_refused_and_nothing_is_stored,
    score_fatal_flag_and_retention_are_computed,
    a_draft_is_saved_edited_and_submitted,
    sheets_are_visible_by_role,
    lists_filter_and_page,
    the_agent_acknowledges_or_disputes_and_the_coordinator_resolves,
    calibration_is_blind_until_everyone_has_scored,
    the_coordinator_closes_a_calibration_early,
    sampling_assigns_calls_evenly_and_repeatably,
    sampling_draws_from_the_imported_agree_cases,
    parameter_fail_rates_per_team_and_month,
);

const DEMO_CODE: &str = "F18-CT0-PRANPC";

async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> Reply {
    app.request(Method::PUT, path, Some(token), Some(body)).await
}

/// A user's id by username (through the user list, as the QCO's agent picker does).
async fn user_id(app: &TestApp, username: &str) -> i64 {
    let admin = app.token("admin").await;
    let users: Page<User> = app.get(&format!("/api/users?q={username}&limit=500"), &admin).await.json();
    users.items.iter().find(|u| u.username == username).unwrap_or_else(|| panic!("no user {username}")).id
}

async fn demo_form(app: &TestApp, token: &str) -> ScoringForm {
    let forms: Page<ScoringForm> =
        app.get(&format!("/api/scoring-forms?code={DEMO_CODE}&status=published"), token).await.json();
    forms.items.into_iter().next().expect("the demo form is published")
}

/// Every parameter of `form` answered `pass`, then `changes` applied (`(key, value)`; a fail
/// gets a comment and a moment).
fn answers(form: &ScoringForm, changes: &[(&str, &str)]) -> Vec<Value> {
    form.sections
        .iter()
        .flat_map(|s| s.parameters.iter())
        .map(|p| {
            let value = changes.iter().find(|(k, _)| *k == p.key).map(|(_, v)| *v).unwrap_or("pass");
            if value == "fail" {
                json!({ "parameter": p.key, "value": value, "comment": "Tidak sesuai standar.", "moment": "01:23" })
            } else {
                json!({ "parameter": p.key, "value": value })
            }
        })
        .collect()
}

fn sheet(form: &ScoringForm, agent_id: i64, answers: Vec<Value>, submit: bool) -> Value {
    json!({
        "form_id": form.id, "agent_id": agent_id, "call_ref": "MYCX-TEST-0001", "call_at": (Utc::now() - Duration::hours(3)).to_rfc3339(),
        "service": "PRANPC", "bucket": "N1", "recording_ref": "eyebeam://rec/test", "answers": answers, "comment": "Catatan umum.", "submit": submit,
    })
}

async fn score(app: &TestApp, token: &str, body: &Value) -> Evaluation {
    let reply = app.post("/api/evaluations", Some(token), body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.json()
}

fn today_wib() -> domain::dates::Date {
    domain::dates::Date::parse(&(Utc::now() + Duration::hours(7)).format("%Y-%m-%d").to_string()).unwrap()
}

/// A server with the demo data, `username`'s token and the published demo form as they read it:
/// where most scenarios of sheets and calibrations start.
async fn start_with_form(backend: Backend, username: &str) -> (TestApp, String, ScoringForm) {
    let app = spawn_app(backend).await;
    let token = app.token(username).await;
    let form = demo_form(&app, &token).await;
    (app, token, form)
}

/// Asserts that the audit trail of `entity` holds each of `expected` (among others).
async fn assert_audited(app: &TestApp, entity: &str, expected: &[&str]) {
    let actions = audit_actions(app, entity).await;
    for expected in expected {
        assert!(actions.iter().any(|a| a == expected), "{expected} in {actions:?}");
    }
}

async fn audit_actions(app: &TestApp, entity: &str) -> Vec<String> {
    let admin = app.token("admin").await;
    let reply = app.get(&format!("/api/audit?entity={entity}&limit=500"), &admin).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
}

async fn the_demo_form_sheets_and_sessions_are_loaded(backend: Backend) {
    let (app, agent, form) = start_with_form(backend, "agent1").await;
    assert_eq!(
        (form.version, form.status, form.document_code.as_str(), form.retention_months),
        (1, FormStatus::Published, "OB.IN.QCC.TELK.F-18", 24)
    );
    assert!(form.title.contains("(contoh)"));
    assert_eq!(form.sections.len(), 6);
    let params: Vec<_> = form.sections.iter().flat_map(|s| s.parameters.iter()).collect();
    assert_eq!(params.len(), 18);
    assert_eq!(params.iter().filter(|p| p.fatal).count(), 4);
    assert_eq!(params.iter().map(|p| p.weight).sum::<f64>(), 100.0);
    let one: ScoringForm = app.get(&format!("/api/scoring-forms/{}", form.id), &agent).await.json();
    assert_eq!(one, form);

    let qrd = app.token("qrd").await;
    let all: Page<EvaluationSummary> =
        app.get(&format!("/api/evaluations?from={}&limit=500", recent_weeks()), &qrd).await.json();
    assert_eq!(all.items.len(), 40, "the forty demo sheets (calibration sheets are listed only per session)");
    for status in EvaluationStatus::ALL {
        assert!(all.items.iter().any(|e| e.status == status), "a demo sheet is {status:?}");
    }
    let mine: Page<EvaluationSummary> = app.get("/api/evaluations?limit=500", &agent).await.json();
    assert!(!mine.items.is_empty());
    assert!(
        mine.items
            .iter()
            .all(|e| e.agent_username == "agent1" && e.status != EvaluationStatus::Draft && e.calibration_id.is_none())
    );
    let resolved: Vec<Evaluation> = {
        let mut out = Vec::new();
        for e in all.items.iter().filter(|e| e.status == EvaluationStatus::Resolved) {
            out.push(app.get(&format!("/api/evaluations/{}", e.id), &qrd).await.json());
        }
        out
    };
    assert!(
        resolved
            .iter()
            .any(|e| e.amendments.len() == 1
                && e.dispute.as_ref().unwrap().decision.map(|d| d.as_str()) == Some("amend"))
    );

    let sessions: Page<CalibrationSummary> = app.get("/api/calibrations", &qrd).await.json();
    let states: Vec<&str> = sessions.items.iter().map(|s| s.status.as_str()).collect();
    assert!(states.contains(&"open") && states.contains(&"closed"), "{states:?}");
    let qco1 = app.token("qco1").await;
    let queue: Page<SamplingAssignment> = app.get("/api/sampling/assignments", &qco1).await.json();
    assert!(!queue.items.is_empty() && queue.items.iter().all(|a| a.qco_name == "Rina Marlina"));

    // Loading the demo again changes nothing.
    let before = app.count("evaluations").await;
    app.app.load_demo().await.unwrap();
    assert_eq!(app.count("evaluations").await, before);
    assert_eq!(app.count("scoring_forms").await, 1);
}

fn new_form(code: &str, sections: Value, publish: bool) -> Value {
    json!({ "code": code, "title": "Form uji", "sections": sections, "publish": publish })
}

fn small_sections(weight: f64) -> Value {
    json!([
        { "key": "buka", "title": "Pembukaan", "parameters": [
            { "key": "salam", "label": "Salam", "weight": weight, "comment_on_fail": true },
            { "key": "konfirmasi", "label": "Konfirmasi", "weight": 30, "allow_na": true },
        ]},
        { "key": "fatal", "title": "Fatal", "parameters": [
            { "key": "kasar", "label": "Kata kasar", "weight": 0, "fatal": true },
        ]},
    ])
}

async fn forms_are_validated(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let before = app.count("scoring_forms").await;
    let cases: Vec<(Value, &str)> = vec![
        (new_form("UJI", small_sections(0.0), true), "sections[0].parameters[0].weight"),
        (new_form("UJI", small_sections(-5.0), true), "sections[0].parameters[0].weight"),
        (new_form("UJI", json!([{ "key": "s", "title": "S", "parameters": [] }]), true), "sections"),
        (new_form("UJI", json!([]), true), "sections"),
        (
            new_form(
                "UJI",
                json!([{ "key": "s", "title": "S", "parameters": [{ "key": "Bukan Kunci", "label": "x", "weight": 10 }] }]),
                true,
            ),
            "sections[0].parameters[0].key",
        ),
        (
            new_form(
                "UJI",
                json!([{ "key": "s", "title": "S", "parameters": [{ "key": "a", "label": "x", "weight": 10 }, { "key": "a", "label": "y", "weight": 10 }] }]),
                true,
            ),
            "sections[0].parameters[1].key",
        ),
        (
            new_form(
                "UJI",
                json!([{ "key": "s", "title": "S", "parameters": [{ "key": "a", "label": "x", "weight": 10, "fatal": true }] }]),
                true,
            ),
            "sections[0].parameters[0].weight",
        ),
        (new_form("", small_sections(10.0), true), "code"),
        (
            json!({ "code": "UJI", "title": "F", "sections": small_sections(10.0), "document_code": "OB.IN.OCC.TELK.P-01" }),
            "document_code",
        ),
        (
            json!({ "code": "UJI", "title": "F", "sections": small_sections(10.0), "document_code": "TIDAK-ADA" }),
            "document_code",
        ),
    ];
    for (body, field) in cases {
        let reply = app.post("/api/scoring-forms", Some(&qrd), &body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {}", reply.body);
        assert_eq!(reply.error(), "validation_failed");
        assert!(reply.body["fields"][field].is_string(), "{field} in {}", reply.body);
    }
    // Wrong types are malformed bodies.
    let reply =
        app.post("/api/scoring-forms", Some(&qrd), &json!({ "code": "UJI", "title": "F", "sections": "nope" })).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    // Only the coordinator and admin build forms.
    for who in ["qco1", "agent1", "tl1", "manager"] {
        let token = app.token(who).await;
        let reply = app.post("/api/scoring-forms", Some(&token), &new_form("UJI", small_sections(10.0), true)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(app.count("scoring_forms").await, before, "nothing stored");
    let dc = app.token("dc").await;
    assert_eq!(app.get("/api/scoring-forms", &dc).await.status, StatusCode::FORBIDDEN);
}

async fn forms_are_versioned_and_published_versions_never_change(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let qco = app.token("qco1").await;
    let agent3 = user_id(&app, "agent3").await;

    let v1 = app.post("/api/scoring-forms", Some(&qrd), &new_form("UJI-VERSI", small_sections(70.0), true)).await;
    assert_eq!(v1.status, StatusCode::CREATED, "{}", v1.body);
    let v1: ScoringForm = v1.json();
    assert_eq!(
        (v1.version, v1.status, v1.retention_months, v1.document_code.as_str()),
        (1, FormStatus::Published, 24, "OB.IN.QCC.TELK.F-18")
    );
    assert!(v1.published_at.is_some());
    let pinned = score(&app, &qco, &sheet(&v1, agent3, answers(&v1, &[]), true)).await;
    assert_eq!(pinned.form_version, 1);

    // A published version is never edited.
    let mut edit = new_form("UJI-VERSI", small_sections(50.0), false);
    edit["row_version"] = json!(v1.row_version);
    let reply = put(&app, &format!("/api/scoring-forms/{}", v1.id), &qrd, &edit).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::CONFLICT, "wrong_state"));
    let reply = app.post(&format!("/api/scoring-forms/{}/publish", v1.id), Some(&qrd), &json!({})).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);

    // The same code again makes version 2, a draft that only form managers see.
    let v2 = app.post("/api/scoring-forms", Some(&qrd), &new_form("UJI-VERSI", small_sections(60.0), false)).await;
    assert_eq!(v2.status, StatusCode::CREATED, "{}", v2.body);
    let v2: ScoringForm = v2.json();
    assert_eq!((v2.version, v2.status), (2, FormStatus::Draft));
    assert_eq!(app.get(&format!("/api/scoring-forms/{}", v2.id), &qco).await.status, StatusCode::NOT_FOUND);
    let listed: Page<ScoringForm> = app.get("/api/scoring-forms?code=UJI-VERSI", &qco).await.json();
    assert_eq!(listed.items.len(), 1, "drafts are not listed for QCOs");
    let reply = app.post("/api/scoring-forms", Some(&qrd), &new_form("UJI-VERSI", small_sections(60.0), false)).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::CONFLICT, "draft_exists"));
    // A sheet cannot be scored on a draft form.
    let reply = app.post("/api/evaluations", Some(&qco), &sheet(&v2, agent3, answers(&v2, &[]), true)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["fields"]["form_id"], "not_published");

    // Drafts are edited with their row_version; a stale one changes nothing.
    let mut edit = new_form("UJI-VERSI", small_sections(40.0), false);
    edit["row_version"] = json!(v2.row_version);
    let edited = put(&app, &format!("/api/scoring-forms/{}", v2.id), &qrd, &edit).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let edited: ScoringForm = edited.json();
    assert_eq!(edited.sections[0].parameters[0].weight, 40.0);
    let stale = put(&app, &format!("/api/scoring-forms/{}", v2.id), &qrd, &edit).await;
    assert_eq!((stale.status, stale.error()), (StatusCode::CONFLICT, "stale_version"));
    let mut missing = edit.clone();
    missing.as_object_mut().unwrap().remove("row_version");
    assert_eq!(
        put(&app, &format!("/api/scoring-forms/{}", v2.id), &qrd, &missing).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut renamed = edit.clone();
    renamed["code"] = json!("LAIN");
    renamed["row_version"] = json!(edited.row_version);
    assert_eq!(
        put(&app, &format!("/api/scoring-forms/{}", v2.id), &qrd, &renamed).await.body["fields"]["code"],
        "cannot_change"
    );
    let mut invalid = edit.clone();
    invalid["sections"] = small_sections(0.0);
    invalid["row_version"] = json!(edited.row_version);
    assert_eq!(
        put(&app, &format!("/api/scoring-forms/{}", v2.id), &qrd, &invalid).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let qco_put = put(&app, &format!("/api/scoring-forms/{}", v2.id), &qco, &edit).await;
    assert_eq!(qco_put.status, StatusCode::FORBIDDEN);

    // Publishing v2 retires v1; v1 itself is unchanged and old sheets keep pointing at it.
    let published = app.post(&format!("/api/scoring-forms/{}/publish", v2.id), Some(&qrd), &json!({})).await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert_eq!(published.json::<ScoringForm>().status, FormStatus::Published);
    let old: ScoringForm = app.get(&format!("/api/scoring-forms/{}", v1.id), &qco).await.json();
    assert_eq!(old.status, FormStatus::Retired);
    assert_eq!((old.sections.clone(), old.version), (v1.sections.clone(), 1));
    let again: Evaluation = app.get(&format!("/api/evaluations/{}", pinned.id), &qco).await.json();
    assert_eq!((again.form_id, again.form_version), (v1.id, 1));
    let reply = app.post("/api/evaluations", Some(&qco), &sheet(&v1, agent3, answers(&v1, &[]), true)).await;
    assert_eq!(reply.body["fields"]["form_id"], "not_published", "a retired version takes no new sheets");
    // v3 published at once retires v2.
    let v3: ScoringForm =
        app.post("/api/scoring-forms", Some(&qrd), &new_form("UJI-VERSI", small_sections(20.0), true)).await.json();
    assert_eq!((v3.version, v3.status), (3, FormStatus::Published));
    let v2_now: ScoringForm = app.get(&format!("/api/scoring-forms/{}", v2.id), &qrd).await.json();
    assert_eq!(v2_now.status, FormStatus::Retired);
    assert_eq!(app.get("/api/scoring-forms/999999", &qrd).await.status, StatusCode::NOT_FOUND);

    assert_audited(&app, "scoring_form", &["scoring_form.created", "scoring_form.edited", "scoring_form.published"])
        .await;
}

async fn bad_sheets_are_refused_and_nothing_is_stored(backend: Backend) {
    let (app, qco, form) = start_with_form(backend, "qco1").await;
    let agent1 = user_id(&app, "agent1").await;
    let qco2 = user_id(&app, "qco2").await;
    let sheets = app.count("evaluations").await;
    let answer_rows = app.count("evaluation_answers").await;

    let mut unknown = answers(&form, &[]);
    unknown.push(json!({ "parameter": "tidak_ada", "value": "pass" }));
    let mut missing = answers(&form, &[]);
    missing.retain(|a| a["parameter"] != "empati");
    let mut no_comment = answers(&form, &[]);
    for a in no_comment.iter_mut().filter(|a| a["parameter"] == "negosiasi") {
        *a = json!({ "parameter": "negosiasi", "value": "fail" });
    }
    let mut bad_moment = answers(&form, &[("negosiasi", "fail")]);
    for a in bad_moment.iter_mut().filter(|a| a["parameter"] == "negosiasi") {
        a["moment"] = json!("1:99");
    }
    let refused: Vec<(Value, &str)> = vec![
        (sheet(&form, agent1, unknown, true), "answers.tidak_ada"),
        (sheet(&form, agent1, answers(&form, &[("salam_pembuka", "na")]), true), "answers.salam_pembuka"),
        (sheet(&form, agent1, missing, true), "answers.empati"),
        (sheet(&form, agent1, no_comment, true), "answers.negosiasi"),
        (sheet(&form, agent1, bad_moment, false), "answers.negosiasi"),
        (sheet(&form, qco2, answers(&form, &[]), true), "agent_id"),
        (sheet(&form, 999_999, answers(&form, &[]), true), "agent_id"),
        (
            {
                let mut s = sheet(&form, agent1, answers(&form, &[]), true);
                s["form_id"] = json!(999_999);
                s
            },
            "form_id",
        ),
        (
            {
                let mut s = sheet(&form, agent1, answers(&form, &[]), true);
                s["call_ref"] = json!("  ");
                s
            },
            "call_ref",
        ),
        (
            {
                let mut s = sheet(&form, agent1, answers(&form, &[]), true);
                s["call_at"] = json!("kemarin");
                s
            },
            "call_at",
        ),
        (
            {
                let mut s = sheet(&form, agent1, answers(&form, &[]), true);
                s["call_at"] = json!((Utc::now() + Duration::days(3)).to_rfc3339());
                s
            },
            "call_at",
        ),
    ];
    for (body, field) in refused {
        let reply = app.post("/api/evaluations", Some(&qco), &body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", reply.body);
        assert_eq!(reply.error(), "validation_failed");
        assert!(reply.body["fields"][field].is_string(), "{field} in {}", reply.body);
    }
    // Values outside the enums are malformed bodies (serde refuses them): 400.
    for (key, value) in [("service", json!("CT1")), ("bucket", json!("N+3"))] {
        let mut body = sheet(&form, agent1, answers(&form, &[]), true);
        body[key] = value;
        let reply = app.post("/api/evaluations", Some(&qco), &body).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "bad_request"), "{key}");
    }
    let mut maybe = answers(&form, &[]);
    maybe[0]["value"] = json!("maybe");
    let reply = app.post("/api/evaluations", Some(&qco), &sheet(&form, agent1, maybe, true)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "an answer that is not pass/fail/na");
    // Only QCOs score.
    for who in ["qrd", "tl1", "agent1", "admin"] {
        let token = app.token(who).await;
        let reply = app.post("/api/evaluations", Some(&token), &sheet(&form, agent1, answers(&form, &[]), true)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(app.count("evaluations").await, sheets, "nothing stored");
    assert_eq!(app.count("evaluation_answers").await, answer_rows, "nothing stored");
    // A draft may be incomplete and lack comments.
    let draft =
        score(&app, &qco, &sheet(&form, agent1, answers(&form, &[("negosiasi", "fail")])[..3].to_vec(), false)).await;
    assert_eq!(draft.status, EvaluationStatus::Draft);
    assert_eq!(draft.answers.len(), 3);
}

async fn score_fatal_flag_and_retention_are_computed(backend: Backend) {
    let (app, qco, form) = start_with_form(backend, "qco1").await;
    let agent2 = user_id(&app, "agent2").await;

    let all_pass = score(&app, &qco, &sheet(&form, agent2, answers(&form, &[]), true)).await;
    assert_eq!((all_pass.score, all_pass.fatal, all_pass.status), (100.0, false, EvaluationStatus::Submitted));
    // 80 passed of 92 applicable (konfirmasi_janji 12 failed, info_konsekuensi 8 N/A).
    let partial = score(
        &app,
        &qco,
        &sheet(&form, agent2, answers(&form, &[("konfirmasi_janji", "fail"), ("info_konsekuensi", "na")]), true),
    )
    .await;
    assert_eq!((partial.score, partial.fatal), (86.96, false));
    assert_eq!(partial.answers.len(), 18);
    let failed = partial.answers.iter().find(|a| a.parameter == "konfirmasi_janji").unwrap();
    assert_eq!((failed.comment.as_deref(), failed.moment.as_deref()), (Some("Tidak sesuai standar."), Some("01:23")));
    let fatal = score(&app, &qco, &sheet(&form, agent2, answers(&form, &[("fatal_agree_palsu", "fail")]), true)).await;
    assert_eq!((fatal.score, fatal.fatal), (0.0, true));
    // The same function as the browser's.
    let parsed: Vec<domain::scoring::Answer> = partial.answers.clone();
    assert_eq!(domain::scoring::score(&form.sections, &parsed).score, partial.score);

    // Retention (issue 15): the F-18 document's 24 months, counted from the sheet's closing, so
    // a submitted sheet has no date yet; the agent's acknowledgement (today, WIB) sets it.
    assert_eq!(all_pass.retain_until, None);
    let agent = app.token("agent2").await;
    let acknowledged =
        app.post(&format!("/api/evaluations/{}/acknowledge", all_pass.id), Some(&agent), &json!({})).await;
    assert_eq!(acknowledged.status, StatusCode::OK, "{}", acknowledged.body);
    let expected = domain::dates::retain_until(today_wib(), 24).to_string();
    assert_eq!(acknowledged.body["retain_until"].as_str(), Some(expected.as_str()));
    assert!(all_pass.submitted_at.is_some());
    assert_eq!((all_pass.agent_username.as_str(), all_pass.qco_name.as_str()), ("agent2", "Rina Marlina"));
    assert!(all_pass.recording_ref.is_some() && all_pass.comment.is_some());
}

async fn a_draft_is_saved_edited_and_submitted(backend: Backend) {
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let other_qco = app.token("qco2").await;
    let agent = app.token("agent1").await;
    let tl = app.token("tl1").await;
    let form = demo_form(&app, &qco).await;
    let agent1 = user_id(&app, "agent1").await;

    let draft =
        score(&app, &qco, &sheet(&form, agent1, answers(&form, &[("negosiasi", "fail")])[..5].to_vec(), false)).await;
    assert_eq!(
        (draft.status, draft.retain_until.clone(), draft.submitted_at.clone()),
        (EvaluationStatus::Draft, None, None)
    );
    let path = format!("/api/evaluations/{}", draft.id);
    // Drafts are the QCO's own: not for agents, their team leader or other QCOs.
    for token in [&agent, &tl, &other_qco] {
        assert_eq!(app.get(&path, token).await.status, StatusCode::NOT_FOUND);
    }
    let listed: Page<EvaluationSummary> = app.get("/api/evaluations?status=draft", &agent).await.json();
    assert!(listed.items.is_empty());
    let counts: EvaluationCounts = app.get("/api/evaluations/summary", &qco).await.json();
    assert!(counts.drafts >= 1);

    // Saved again with its version; a stale version or another QCO changes nothing.
    let mut body = sheet(&form, agent1, answers(&form, &[("negosiasi", "fail")])[..10].to_vec(), false);
    body["version"] = json!(draft.version);
    let saved = put(&app, &path, &qco, &body).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let saved: Evaluation = saved.json();
    assert_eq!((saved.answers.len(), saved.version), (10, draft.version + 1));
    let stale = put(&app, &path, &qco, &body).await;
    assert_eq!((stale.status, stale.error()), (StatusCode::CONFLICT, "stale_version"));
    assert_eq!(put(&app, &path, &other_qco, &body).await.status, StatusCode::NOT_FOUND);
    let mut no_version = body.clone();
    no_version.as_object_mut().unwrap().remove("version");
    assert_eq!(put(&app, &path, &qco, &no_version).await.body["fields"]["version"], "required");
    let mut other_form = body.clone();
    other_form["form_id"] = json!(form.id + 1000);
    other_form["version"] = json!(saved.version);
    assert_eq!(put(&app, &path, &qco, &other_form).await.body["fields"]["form_id"], "pinned");

    // Submitting checks every parameter is answered.
    let mut incomplete = body.clone();
    incomplete["version"] = json!(saved.version);
    incomplete["submit"] = json!(true);
    let reply = put(&app, &path, &qco, &incomplete).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["fields"]["answers.empati"], "not_answered");
    let mut full = sheet(&form, agent1, answers(&form, &[("negosiasi", "fail")]), true);
    full["version"] = json!(saved.version);
    let submitted = put(&app, &path, &qco, &full).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let submitted: Evaluation = submitted.json();
    assert_eq!((submitted.status, submitted.score), (EvaluationStatus::Submitted, 90.0));
    // Its retention counts from its closing (the acknowledgement), not from now.
    assert!(submitted.retain_until.is_none());
    // Now the agent sees it; the QCO can no longer edit it.
    let seen: Evaluation = app.get(&path, &agent).await.json();
    assert_eq!(seen.answers.len(), 18);
    full["version"] = json!(submitted.version);
    let reply = put(&app, &path, &qco, &full).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::CONFLICT, "wrong_state"));
    assert_audited(&app, "evaluation", &["evaluation.drafted", "evaluation.edited", "evaluation.submitted"]).await;
}

async fn sheets_are_visible_by_role(backend: Backend) {
    let (app, qco, form) = start_with_form(backend, "qco1").await;
    let agent1 = user_id(&app, "agent1").await;
    let agent3 = user_id(&app, "agent3").await;
    let of_agent1 = score(&app, &qco, &sheet(&form, agent1, answers(&form, &[]), true)).await;
    let of_agent3 = score(&app, &qco, &sheet(&form, agent3, answers(&form, &[]), true)).await;

    let path1 = format!("/api/evaluations/{}", of_agent1.id);
    let path3 = format!("/api/evaluations/{}", of_agent3.id);
    let agent = app.token("agent1").await;
    assert_eq!(app.get(&path1, &agent).await.status, StatusCode::OK);
    assert_eq!(app.get(&path3, &agent).await.status, StatusCode::NOT_FOUND, "another agent's sheet");
    let tl1 = app.token("tl1").await;
    assert_eq!(app.get(&path1, &tl1).await.status, StatusCode::OK);
    assert_eq!(app.get(&path3, &tl1).await.status, StatusCode::NOT_FOUND, "another team's sheet");
    let tl2 = app.token("tl2").await;
    assert_eq!(app.get(&path3, &tl2).await.status, StatusCode::OK);
    for who in ["qco2", "qrd", "manager", "admin"] {
        let token = app.token(who).await;
        assert_eq!(app.get(&path3, &token).await.status, StatusCode::OK, "{who}");
    }
    let dc = app.token("dc").await;
    assert_eq!(app.get("/api/evaluations", &dc).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&path1, &dc).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/evaluations/999999", &qco).await.status, StatusCode::NOT_FOUND);

    // Lists apply the same rule, whatever the filters ask for.
    let listed: Page<EvaluationSummary> =
        app.get(&format!("/api/evaluations?agent_id={agent3}&limit=500"), &agent).await.json();
    assert!(listed.items.is_empty());
    let team1: Page<EvaluationSummary> = app.get("/api/evaluations?limit=500", &tl1).await.json();
    assert!(!team1.items.is_empty());
    assert!(team1.items.iter().all(|e| ["agent1", "agent2"].contains(&e.agent_username.as_str())));
    let team2: Page<EvaluationSummary> = app.get("/api/evaluations?limit=500", &tl2).await.json();
    assert!(team2.items.iter().all(|e| e.agent_username == "agent3"));
    assert!(team2.items.iter().any(|e| e.id == of_agent3.id));
    // The agent's badge counts new results.
    let counts: EvaluationCounts = app.get("/api/evaluations/summary", &agent).await.json();
    let submitted: Page<EvaluationSummary> =
        app.get("/api/evaluations?status=submitted&limit=500", &agent).await.json();
    assert_eq!(counts.new_results as usize, submitted.items.len());
    assert!(counts.new_results >= 1);
    assert_eq!(app.get("/api/evaluations/summary", &dc).await.status, StatusCode::FORBIDDEN);
}

/// The first day of the demo's recent eight weeks of sheets (`YYYY-MM-DD`): the sheets before it
/// are its year of history, all closed.
fn recent_weeks() -> String {
    (Utc::now() - Duration::weeks(8)).format("%Y-%m-%d").to_string()
}

async fn lists_filter_and_page(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let agent1 = user_id(&app, "agent1").await;
    // Keyset pages of 7 walk every sheet of the recent weeks once, newest call first.
    let mut seen: Vec<EvaluationSummary> = Vec::new();
    let mut cursor: Option<String> = None;
    let recent = recent_weeks();
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/evaluations?from={recent}&limit=7&cursor={c}"),
            None => format!("/api/evaluations?from={recent}&limit=7"),
        };
        let page: Page<EvaluationSummary> = app.get(&path, &qrd).await.json();
        assert!(page.items.len() <= 7);
        seen.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen.len(), 40);
    let mut ids: Vec<i64> = seen.iter().map(|e| e.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40, "no sheet twice");
    assert!(seen.windows(2).all(|w| (w[0].call_at.as_str(), w[0].id) >= (w[1].call_at.as_str(), w[1].id)));

    let of_agent: Page<EvaluationSummary> =
        app.get(&format!("/api/evaluations?agent_id={agent1}&limit=500"), &qrd).await.json();
    assert!(!of_agent.items.is_empty() && of_agent.items.iter().all(|e| e.agent_id == agent1));
    let disputed: Page<EvaluationSummary> = app.get("/api/evaluations?status=disputed", &qrd).await.json();
    assert_eq!(disputed.items.len(), 3);
    let counts: EvaluationCounts = app.get("/api/evaluations/summary", &qrd).await.json();
    assert_eq!(counts.open_disputes, 3);
    let today = (Utc::now() + Duration::hours(7)).format("%Y-%m-%d").to_string();
    let two_weeks = (Utc::now() + Duration::hours(7) - Duration::days(14)).format("%Y-%m-%d").to_string();
    let recent: Page<EvaluationSummary> =
        app.get(&format!("/api/evaluations?from={two_weeks}&to={today}&limit=500"), &qrd).await.json();
    assert!(!recent.items.is_empty() && recent.items.len() < 40);
    let qco1 = user_id(&app, "qco1").await;
    let by_qco: Page<EvaluationSummary> =
        app.get(&format!("/api/evaluations?qco_id={qco1}&limit=500"), &qrd).await.json();
    assert!(!by_qco.items.is_empty() && by_qco.items.iter().all(|e| e.qco_id == qco1));
    for bad in ["status=lost", "from=kemarin", "limit=501", "from=2024-02-01&to=2024-01-01"] {
        let reply = app.get(&format!("/api/evaluations?{bad}"), &qrd).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    assert_eq!(app.get("/api/evaluations?cursor=zzz", &qrd).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.get("/api/evaluations?agent_id=abc", &qrd).await.status, StatusCode::BAD_REQUEST);
}

async fn the_agent_acknowledges_or_disputes_and_the_coordinator_resolves(backend: Backend) {
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let qrd = app.token("qrd").await;
    let agent = app.token("agent1").await;
    let other_agent = app.token("agent2").await;
    let form = demo_form(&app, &qco).await;
    let agent1 = user_id(&app, "agent1").await;

    // Acknowledge: only the sheet's own agent, once.
    let first = score(&app, &qco, &sheet(&form, agent1, answers(&form, &[]), true)).await;
    let ack = format!("/api/evaluations/{}/acknowledge", first.id);
    assert_eq!(app.post(&ack, Some(&other_agent), &json!({})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.post(&ack, Some(&qco), &json!({})).await.status, StatusCode::FORBIDDEN);
    let done = app.post(&ack, Some(&agent), &json!({})).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let done: Evaluation = done.json();
    assert_eq!(done.status, EvaluationStatus::Acknowledged);
    assert!(done.acknowledged_at.is_some());
    let again = app.post(&ack, Some(&agent), &json!({})).await;
    assert_eq!((again.status, again.error()), (StatusCode::CONFLICT, "wrong_state"));
    let reply = app
        .post(&format!("/api/evaluations/{}/dispute", first.id), Some(&agent), &json!({ "reason": "Terlambat." }))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "an acknowledged sheet cannot be disputed");

    // Dispute: needs a reason; then the coordinator resolves it.
    let second = score(
        &app,
        &qco,
        &sheet(&form, agent1, answers(&form, &[("verifikasi_nama", "fail"), ("empati", "fail")]), true),
    )
    .await;
    assert_eq!(second.score, 84.0);
    let dispute = format!("/api/evaluations/{}/dispute", second.id);
    let reply = app.post(&dispute, Some(&agent), &json!({ "reason": "   " })).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["fields"]["reason"], "required");
    assert_eq!(app.post(&dispute, Some(&agent), &json!({})).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.post(&dispute, Some(&other_agent), &json!({ "reason": "Bukan saya." })).await.status,
        StatusCode::NOT_FOUND
    );
    let disputed =
        app.post(&dispute, Some(&agent), &json!({ "reason": "Verifikasi sudah dilakukan di menit 00:20." })).await;
    assert_eq!(disputed.status, StatusCode::OK, "{}", disputed.body);
    let disputed: Evaluation = disputed.json();
    assert_eq!(disputed.status, EvaluationStatus::Disputed);
    assert_eq!(disputed.dispute.as_ref().unwrap().reason, "Verifikasi sudah dilakukan di menit 00:20.");
    assert_eq!(app.post(&dispute, Some(&agent), &json!({ "reason": "Lagi." })).await.status, StatusCode::CONFLICT);

    let resolve = format!("/api/evaluations/{}/resolve", second.id);
    let amended_answers = answers(&form, &[("empati", "fail")]);
    for (body, expected) in
        [(json!({ "decision": "amend", "answers": amended_answers, "comment": "Ok." }), StatusCode::FORBIDDEN)]
    {
        assert_eq!(app.post(&resolve, Some(&qco), &body).await.status, expected, "a QCO does not resolve");
    }
    assert_eq!(
        app.post(&resolve, Some(&agent), &json!({ "decision": "uphold", "comment": "x" })).await.status,
        StatusCode::FORBIDDEN
    );
    let bad: Vec<(Value, &str)> = vec![
        (json!({ "decision": "ubah", "comment": "x" }), "decision"),
        (json!({ "decision": "uphold", "comment": " " }), "comment"),
        (json!({ "decision": "amend", "comment": "Dikoreksi." }), "answers"),
        (
            json!({ "decision": "amend", "answers": answers(&form, &[])[..4].to_vec(), "comment": "Dikoreksi." }),
            "answers.empati",
        ),
    ];
    let amendments = app.count("evaluation_amendments").await;
    for (body, field) in bad {
        let reply = app.post(&resolve, Some(&qrd), &body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", reply.body);
        assert!(reply.body["fields"][field].is_string(), "{field} in {}", reply.body);
    }
    assert_eq!(app.count("evaluation_amendments").await, amendments);
    let still: Evaluation = app.get(&format!("/api/evaluations/{}", second.id), &qrd).await.json();
    assert_eq!((still.status, still.score), (EvaluationStatus::Disputed, 84.0), "nothing changed");

    let resolved = app
        .post(
            &resolve,
            Some(&qrd),
            &json!({ "decision": "amend", "answers": amended_answers, "comment": "Verifikasi memang dilakukan." }),
        )
        .await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.body);
    let resolved: Evaluation = resolved.json();
    assert_eq!(
        (resolved.status, resolved.score),
        (EvaluationStatus::Resolved, 92.0),
        "recomputed: only empati (8) failed"
    );
    let history = &resolved.amendments;
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].score, history[0].amended_by.as_str()), (84.0, "Sukron Azis"));
    assert!(
        history[0]
            .answers
            .iter()
            .any(|a| a.parameter == "verifikasi_nama" && a.value == domain::scoring::AnswerValue::Fail)
    );
    let dispute_info = resolved.dispute.as_ref().unwrap();
    assert_eq!(
        (dispute_info.decision.map(|d| d.as_str()), dispute_info.resolved_by.as_deref()),
        (Some("amend"), Some("Sukron Azis"))
    );
    let twice = app.post(&resolve, Some(&qrd), &json!({ "decision": "uphold", "comment": "Lagi." })).await;
    assert_eq!((twice.status, twice.error()), (StatusCode::CONFLICT, "wrong_state"));
    // The agent reads the outcome.
    let seen: Evaluation = app.get(&format!("/api/evaluations/{}", second.id), &agent).await.json();
    assert_eq!((seen.status, seen.score, seen.amendments.len()), (EvaluationStatus::Resolved, 92.0, 1));

    // Uphold keeps the answers and the score.
    let third = score(&app, &qco, &sheet(&form, agent1, answers(&form, &[("intonasi", "fail")]), true)).await;
    app.post(&format!("/api/evaluations/{}/dispute", third.id), Some(&agent), &json!({ "reason": "Suara jelas." }))
        .await;
    let upheld = app
        .post(
            &format!("/api/evaluations/{}/resolve", third.id),
            Some(&qrd),
            &json!({ "decision": "uphold", "comment": "Sudah didengar ulang." }),
        )
        .await;
    assert_eq!(upheld.status, StatusCode::OK, "{}", upheld.body);
    let upheld: Evaluation = upheld.json();
    assert_eq!((upheld.status, upheld.score, upheld.amendments.len()), (EvaluationStatus::Resolved, third.score, 0));
    // A draft cannot be acknowledged, disputed or resolved.
    let draft = score(&app, &qco, &sheet(&form, agent1, vec![], false)).await;
    assert_eq!(
        app.post(&format!("/api/evaluations/{}/acknowledge", draft.id), Some(&agent), &json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(
            &format!("/api/evaluations/{}/resolve", draft.id),
            Some(&qrd),
            &json!({ "decision": "uphold", "comment": "x" })
        )
        .await
        .status,
        StatusCode::CONFLICT
    );

    assert_audited(
        &app,
        "evaluation",
        &["evaluation.submitted", "evaluation.acknowledged", "evaluation.disputed", "evaluation.resolved"],
    )
    .await;
    let admin = app.token("admin").await;
    assert_eq!(app.get("/api/audit/verify", &admin).await.body["ok"], true);
}

async fn new_session(app: &TestApp, qrd: &str, form: &ScoringForm, qcos: &[i64]) -> Calibration {
    let agent2 = user_id(app, "agent2").await;
    let reply = app
        .post(
            "/api/calibrations",
            Some(qrd),
            &json!({
                "title": "Kalibrasi uji", "form_id": form.id, "call_ref": "MYCX-KAL-1", "call_at": (Utc::now() - Duration::days(1)).to_rfc3339(),
                "agent_id": agent2, "service": "PRANPC", "bucket": "N", "recording_ref": "eyebeam://rec/kal", "qco_ids": qcos,
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.json()
}

fn calibration_sheet(form: &ScoringForm, session: &Calibration, answers: Vec<Value>) -> Value {
    let mut body = sheet(form, session.agent_id, answers, true);
    body["calibration_id"] = json!(session.id);
    body
}

async fn calibration_is_blind_until_everyone_has_scored(backend: Backend) {
    let (app, qrd, form) = start_with_form(backend, "qrd").await;
    let qco1 = app.token("qco1").await;
    let qco2 = app.token("qco2").await;
    let (id1, id2) = (user_id(&app, "qco1").await, user_id(&app, "qco2").await);
    let agent2 = user_id(&app, "agent2").await;

    // Refusals: roles, too few QCOs, not QCOs.
    let reply = app.post("/api/calibrations", Some(&qco1), &json!({})).await;
    assert!(reply.status == StatusCode::FORBIDDEN || reply.status == StatusCode::BAD_REQUEST);
    let base = json!({ "title": "K", "form_id": form.id, "call_ref": "X", "call_at": Utc::now().to_rfc3339(), "agent_id": agent2, "service": "CT0", "bucket": "N2" });
    let mut one = base.clone();
    one["qco_ids"] = json!([id1]);
    assert_eq!(app.post("/api/calibrations", Some(&qrd), &one).await.body["fields"]["qco_ids"], "at_least_two");
    let mut not_qco = base.clone();
    not_qco["qco_ids"] = json!([id1, agent2]);
    assert_eq!(app.post("/api/calibrations", Some(&qrd), &not_qco).await.body["fields"]["qco_ids"], "not_a_qco");
    let mut as_qco = base.clone();
    as_qco["qco_ids"] = json!([id1, id2]);
    assert_eq!(app.post("/api/calibrations", Some(&qco1), &as_qco).await.status, StatusCode::FORBIDDEN);

    let session = new_session(&app, &qrd, &form, &[id1, id2]).await;
    assert_eq!((session.status.as_str(), session.revealed, session.participants.len()), ("open", false, 2));
    let path = format!("/api/calibrations/{}", session.id);
    // Somebody who is not in it: 404 (qco not invited, agent, team leader).
    for who in ["agent2", "tl1"] {
        let token = app.token(who).await;
        assert_eq!(app.get(&path, &token).await.status, StatusCode::NOT_FOUND, "{who}");
    }

    let first = score(
        &app,
        &qco1,
        &calibration_sheet(&form, &session, answers(&form, &[("empati", "fail"), ("intonasi", "fail")])),
    )
    .await;
    assert_eq!(first.calibration_id, Some(session.id));
    assert_eq!(first.call_ref, "MYCX-KAL-1", "the session's call");
    let reply =
        app.post("/api/evaluations", Some(&qco1), &calibration_sheet(&form, &session, answers(&form, &[]))).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::CONFLICT, "already_scored"));

    // Blind: qco2 sees that qco1 has scored, not how.
    let blind: Calibration = app.get(&path, &qco2).await.json();
    assert!(!blind.revealed && blind.stats.is_none() && blind.sheets.is_empty());
    let p1 = blind.participants.iter().find(|p| p.qco_id == id1).unwrap();
    assert!(p1.scored && p1.evaluation_id.is_none());
    assert_eq!(app.get(&format!("/api/evaluations/{}", first.id), &qco2).await.status, StatusCode::NOT_FOUND);
    let listed: Page<EvaluationSummary> =
        app.get(&format!("/api/evaluations?calibration_id={}", session.id), &qco2).await.json();
    assert!(listed.items.is_empty());
    let own: Calibration = app.get(&path, &qco1).await.json();
    assert_eq!((own.my_evaluation_id, own.sheets.len()), (Some(first.id), 1));
    // Not sent to the agent.
    let agent = app.token("agent2").await;
    assert_eq!(app.get(&format!("/api/evaluations/{}", first.id), &agent).await.status, StatusCode::NOT_FOUND);
    let agent_list: Page<EvaluationSummary> = app.get("/api/evaluations?limit=500", &agent).await.json();
    assert!(agent_list.items.iter().all(|e| e.calibration_id.is_none()));
    let qco_sessions: Page<CalibrationSummary> = app.get("/api/calibrations", &qco2).await.json();
    assert!(qco_sessions.items.iter().any(|s| s.id == session.id && s.scored == 1));

    // The second (last) participant submits: the session closes and reveals everything.
    let second = score(&app, &qco2, &calibration_sheet(&form, &session, answers(&form, &[("empati", "fail")]))).await;
    let open: Calibration = app.get(&path, &qco2).await.json();
    assert_eq!((open.status.as_str(), open.revealed, open.sheets.len()), ("closed", true, 2));
    let stats = open.stats.expect("statistics once revealed");
    let empati = stats.parameters.iter().find(|p| p.parameter == "empati").unwrap();
    assert_eq!((empati.agreement, empati.fail), (100.0, 2));
    let intonasi = stats.parameters.iter().find(|p| p.parameter == "intonasi").unwrap();
    assert_eq!((intonasi.agreement, intonasi.pass, intonasi.fail), (50.0, 1, 1));
    assert_eq!((stats.min_score, stats.max_score), (first.score, second.score));
    assert_eq!(stats.most_divergent.map(|(q, _)| q), Some(id1));
    assert_eq!(app.get(&format!("/api/evaluations/{}", first.id), &qco2).await.status, StatusCode::OK);
    let listed: Page<EvaluationSummary> =
        app.get(&format!("/api/evaluations?calibration_id={}", session.id), &qco2).await.json();
    assert_eq!(listed.items.len(), 2);
    let late =
        app.post("/api/evaluations", Some(&qco1), &calibration_sheet(&form, &session, answers(&form, &[]))).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_audited(&app, "calibration", &["calibration.created", "calibration.closed"]).await;
}

async fn the_coordinator_closes_a_calibration_early(backend: Backend) {
    let (app, qrd, form) = start_with_form(backend, "qrd").await;
    let qco1 = app.token("qco1").await;
    let qco2 = app.token("qco2").await;
    let (id1, id2) = (user_id(&app, "qco1").await, user_id(&app, "qco2").await);
    let session = new_session(&app, &qrd, &form, &[id1, id2]).await;
    let path = format!("/api/calibrations/{}", session.id);

    // Somebody not invited cannot score it.
    let admin = app.token("admin").await;
    let new_qco = json!({ "username": "qco3", "password": "rahasia-panjang-1", "role": "qco", "full_name": "QCO Tiga", "position": "QCO" });
    let created = app.post("/api/users", Some(&admin), &new_qco).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let qco3 = app.login("qco3", "rahasia-panjang-1").await.access_token;
    let reply =
        app.post("/api/evaluations", Some(&qco3), &calibration_sheet(&form, &session, answers(&form, &[]))).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&path, &qco3).await.status, StatusCode::NOT_FOUND);
    let none: Page<CalibrationSummary> = app.get("/api/calibrations", &qco3).await.json();
    assert!(none.items.is_empty());

    let sheet1 =
        score(&app, &qco1, &calibration_sheet(&form, &session, answers(&form, &[("negosiasi", "fail")]))).await;
    let mut draft_body = calibration_sheet(&form, &session, answers(&form, &[])[..2].to_vec());
    draft_body["submit"] = json!(false);
    let draft2 = score(&app, &qco2, &draft_body).await;
    // The coordinator sees everything while open.
    let coordinator: Calibration = app.get(&path, &qrd).await.json();
    assert_eq!(coordinator.sheets.len(), 1);
    assert_eq!(app.post(&format!("{path}/close"), Some(&qco1), &json!({})).await.status, StatusCode::FORBIDDEN);
    let closed = app.post(&format!("{path}/close"), Some(&qrd), &json!({})).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert_eq!(closed.json::<Calibration>().status.as_str(), "closed");
    let again = app.post(&format!("{path}/close"), Some(&qrd), &json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let seen: Calibration = app.get(&path, &qco2).await.json();
    assert!(seen.revealed && seen.stats.is_some());
    assert_eq!(
        seen.sheets.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![sheet1.id, draft2.id],
        "others' submitted sheets and one's own draft"
    );
    let by_coordinator: Calibration = app.get(&path, &qrd).await.json();
    assert_eq!(
        by_coordinator.sheets.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![sheet1.id],
        "drafts are nobody else's business"
    );
    assert_eq!(
        seen.stats.as_ref().unwrap().parameters.iter().find(|p| p.parameter == "negosiasi").unwrap().fail,
        1,
        "statistics over submitted sheets"
    );
    let late =
        app.post("/api/evaluations", Some(&qco2), &calibration_sheet(&form, &session, answers(&form, &[]))).await;
    assert_eq!((late.status, late.error()), (StatusCode::CONFLICT, "calibration_closed"));
    let mut finish = calibration_sheet(&form, &session, answers(&form, &[]));
    finish["version"] = json!(draft2.version);
    let late = put(&app, &format!("/api/evaluations/{}", draft2.id), &qco2, &finish).await;
    assert_eq!(
        (late.status, late.error()),
        (StatusCode::CONFLICT, "calibration_closed"),
        "a draft cannot be finished once the sheets are revealed"
    );
    let agent_view: Page<EvaluationSummary> =
        app.get(&format!("/api/evaluations?calibration_id={}", session.id), &app.token("agent2").await).await.json();
    assert!(agent_view.items.is_empty());
    assert_eq!(app.get("/api/calibrations/999999", &qrd).await.status, StatusCode::NOT_FOUND);
    let agent = app.token("agent1").await;
    assert_eq!(app.get("/api/calibrations", &agent).await.status, StatusCode::FORBIDDEN);
}

async fn sampling_assigns_calls_evenly_and_repeatably(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let qco1 = app.token("qco1").await;
    let (q1, q2) = (user_id(&app, "qco1").await, user_id(&app, "qco2").await);
    let agents = [user_id(&app, "agent1").await, user_id(&app, "agent2").await, user_id(&app, "agent3").await];
    let day = |n: i64| (Utc::now() - Duration::days(n)).format("%Y-%m-%d").to_string();
    let mut calls = Vec::new();
    for (a, agent) in agents.iter().enumerate() {
        for n in 0..8 {
            let at = Utc::now() - Duration::days(2) - Duration::minutes((a * 100 + n) as i64);
            calls.push(json!({ "agent_id": agent, "call_ref": format!("CALL-{a}-{n}"), "call_at": at.to_rfc3339(), "service": "PRANPC", "bucket": "N1" }));
        }
    }
    // One call outside the period is never drawn.
    calls.push(
        json!({ "agent_id": agents[0], "call_ref": "OLD", "call_at": (Utc::now() - Duration::days(40)).to_rfc3339() }),
    );
    let request =
        json!({ "from": day(7), "to": day(0), "per_agent": 3, "qco_ids": [q1, q2], "seed": 7, "calls": calls });
    assert_eq!(app.post("/api/sampling", Some(&qco1), &request).await.status, StatusCode::FORBIDDEN);
    let reply = app.post("/api/sampling", Some(&qrd), &request).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let result: SamplingResult = reply.json();
    assert_eq!((result.source.as_str(), result.assignments.len()), ("calls", 9));
    assert!(result.short.is_empty());
    for agent in agents {
        assert_eq!(result.assignments.iter().filter(|a| a.agent_id == agent).count(), 3);
    }
    let per_qco = |q: i64| result.assignments.iter().filter(|a| a.qco_id == q).count();
    assert!(per_qco(q1).abs_diff(per_qco(q2)) <= 1, "{} / {}", per_qco(q1), per_qco(q2));
    assert!(result.assignments.iter().all(|a| a.call_ref != "OLD" && a.status.as_str() == "pending"));
    // The same seed draws the same calls.
    let again: SamplingResult = app.post("/api/sampling", Some(&qrd), &request).await.json();
    let refs = |r: &SamplingResult| r.assignments.iter().map(|a| (a.qco_id, a.call_ref.clone())).collect::<Vec<_>>();
    assert_eq!(refs(&again), refs(&result));
    // Asking for more than there is reports the short agents.
    let mut greedy = request.clone();
    greedy["per_agent"] = json!(10);
    let greedy: SamplingResult = app.post("/api/sampling", Some(&qrd), &greedy).await.json();
    assert_eq!(greedy.short.len(), 3);
    assert_eq!(greedy.assignments.len(), 24);
    // A team only.
    let team2 = {
        let users: Page<User> = app.get("/api/users?q=agent3", &qrd).await.json();
        users.items[0].team.as_ref().unwrap().id
    };
    let mut team_only = request.clone();
    team_only["team_id"] = json!(team2);
    let team_only: SamplingResult = app.post("/api/sampling", Some(&qrd), &team_only).await.json();
    assert!(team_only.assignments.iter().all(|a| a.agent_id == agents[2]));
    assert_eq!(team_only.assignments.len(), 3);

    // Bad requests store nothing.
    let before = app.count("sampling_assignments").await;
    for (change, field) in [
        (json!({ "per_agent": 0 }), "per_agent"),
        (json!({ "qco_ids": [] }), "qco_ids"),
        (json!({ "qco_ids": [agents[0]] }), "qco_ids"),
        (json!({ "from": "kemarin" }), "from"),
        (
            json!({ "calls": [{ "agent_id": q1, "call_ref": "X", "call_at": Utc::now().to_rfc3339() }] }),
            "calls[0].agent_id",
        ),
    ] {
        let mut body = request.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let reply = app.post("/api/sampling", Some(&qrd), &body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", reply.body);
        assert!(reply.body["fields"][field].is_string(), "{field} in {}", reply.body);
    }
    assert_eq!(app.count("sampling_assignments").await, before);

    // Each QCO sees their own queue; the coordinator sees all.
    let queue: Page<SamplingAssignment> =
        app.get(&format!("/api/sampling/assignments?batch_id={}", result.batch_id), &qco1).await.json();
    assert_eq!(queue.items.len(), per_qco(q1));
    assert!(queue.items.iter().all(|a| a.qco_id == q1));
    let all: Page<SamplingAssignment> =
        app.get(&format!("/api/sampling/assignments?batch_id={}", result.batch_id), &qrd).await.json();
    assert_eq!(all.items.len(), 9);
    let agent = app.token("agent1").await;
    assert_eq!(app.get("/api/sampling/assignments", &agent).await.status, StatusCode::FORBIDDEN);

    // Scoring an assigned call marks it done.
    let form = demo_form(&app, &qco1).await;
    let assigned = &queue.items[0];
    let mut body = sheet(&form, assigned.agent_id, answers(&form, &[]), true);
    body["assignment_id"] = json!(assigned.id);
    body["call_ref"] = json!(assigned.call_ref);
    let scored = score(&app, &qco1, &body).await;
    assert_eq!(scored.assignment_id, Some(assigned.id));
    let done: Page<SamplingAssignment> =
        app.get(&format!("/api/sampling/assignments?batch_id={}&status=done", result.batch_id), &qco1).await.json();
    assert_eq!(
        done.items.iter().map(|a| (a.id, a.evaluation_id)).collect::<Vec<_>>(),
        vec![(assigned.id, Some(scored.id))]
    );
    let reply = app.post("/api/evaluations", Some(&qco1), &body).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "an assigned call is scored once");
    assert_audited(&app, "sampling", &["sampling.assigned"]).await;
}

async fn parameter_fail_rates_per_team_and_month(backend: Backend) {
    let (app, qco, form) = start_with_form(backend, "qco1").await;
    let agent3 = user_id(&app, "agent3").await;
    let team2 = {
        let users: Page<User> = app.get("/api/users?q=agent3", &qco).await.json();
        users.items[0].team.as_ref().unwrap().id
    };
    let day = |n: i64| (Utc::now() + Duration::hours(7) - Duration::days(n)).format("%Y-%m-%d").to_string();
    let path = format!("/api/reports/parameter-fail-rates?team_id={team2}&from={}&to={}", day(60), day(0));
    let before: FailRateReport = app.get(&path, &qco).await.json();
    score(&app, &qco, &sheet(&form, agent3, answers(&form, &[("empati", "fail"), ("rangkuman", "na")]), true)).await;
    score(&app, &qco, &sheet(&form, agent3, answers(&form, &[("empati", "fail")]), true)).await;
    score(&app, &qco, &sheet(&form, agent3, vec![json!({ "parameter": "empati", "value": "fail" })], false)).await;
    let after: FailRateReport = app.get(&path, &qco).await.json();
    assert_eq!(after.sheets, before.sheets + 2, "drafts do not count");
    let find = |r: &FailRateReport, key: &str| r.parameters.iter().find(|p| p.parameter == key).cloned();
    let empati = find(&after, "empati").unwrap();
    let empati_before = find(&before, "empati");
    assert_eq!(empati.failed, empati_before.as_ref().map_or(0, |p| p.failed) + 2);
    assert_eq!(empati.answered, empati_before.as_ref().map_or(0, |p| p.answered) + 2);
    assert_eq!(empati.label, "Empati dan sikap sopan");
    assert_eq!(empati.fail_rate, ((empati.failed as f64 / empati.answered as f64) * 10_000.0).round() / 100.0);
    let rangkuman = find(&after, "rangkuman").unwrap();
    assert_eq!(rangkuman.na, find(&before, "rangkuman").map_or(0, |p| p.na) + 1);

    // An amendment moves the counts; a calibration sheet does not count.
    let agent = app.token("agent3").await;
    let qrd = app.token("qrd").await;
    let disputed =
        score(&app, &qco, &sheet(&form, agent3, answers(&form, &[("empati", "fail"), ("intonasi", "fail")]), true))
            .await;
    app.post(&format!("/api/evaluations/{}/dispute", disputed.id), Some(&agent), &json!({ "reason": "Sudah sopan." }))
        .await;
    let amend = json!({ "decision": "amend", "answers": answers(&form, &[("intonasi", "fail")]), "comment": "Empati sudah baik." });
    let reply = app.post(&format!("/api/evaluations/{}/resolve", disputed.id), Some(&qrd), &amend).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let (id1, id2) = (user_id(&app, "qco1").await, user_id(&app, "qco2").await);
    let session = new_session(&app, &qrd, &form, &[id1, id2]).await;
    score(&app, &qco, &calibration_sheet(&form, &session, answers(&form, &[("empati", "fail")]))).await;
    let amended: FailRateReport = app.get(&path, &qco).await.json();
    assert_eq!(amended.sheets, after.sheets + 1);
    assert_eq!(
        find(&amended, "empati").unwrap().failed,
        empati.failed,
        "the amended fail is gone, the calibration fail never counted"
    );
    assert_eq!(find(&amended, "intonasi").unwrap().failed, find(&after, "intonasi").map_or(0, |p| p.failed) + 1);

    // The roll-up equals the answers: rebuilding it from them changes nothing.
    let all_teams = format!("/api/reports/parameter-fail-rates?from={}&to={}", day(90), day(0));
    let kept: FailRateReport = app.get(&all_teams, &qco).await.json();
    mutu_backend::scoring::stats::rebuild(&app.app.state.db.conn, app.app.state.config.offset()).await.unwrap();
    let rebuilt: FailRateReport = app.get(&all_teams, &qco).await.json();
    assert_eq!(kept, rebuilt);
    assert!(kept.sheets >= 38, "the demo's submitted sheets count too: {}", kept.sheets);
    assert_eq!(app.get(&path, &qco).await.json::<FailRateReport>(), amended);

    // Team leaders see their own team only.
    let tl2 = app.token("tl2").await;
    let own: FailRateReport =
        app.get(&format!("/api/reports/parameter-fail-rates?from={}&to={}", day(60), day(0)), &tl2).await.json();
    assert_eq!((own.team_id, own.sheets), (Some(team2), amended.sheets));
    let tl1 = app.token("tl1").await;
    assert_eq!(app.get(&path, &tl1).await.status, StatusCode::FORBIDDEN);
    let agent = app.token("agent3").await;
    assert_eq!(app.get(&path, &agent).await.status, StatusCode::FORBIDDEN);
    let reply = app.get(&format!("/api/reports/parameter-fail-rates?team_id={team2}&from={}", day(10)), &qco).await;
    assert_eq!(reply.body["fields"]["to"], "required");
    let reply = app.get(&format!("/api/reports/parameter-fail-rates?from={}&to={}", day(0), day(10)), &qco).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Without a call list, sampling draws from the imported agree cases (the demo's), each case
/// at most once across batches.
async fn sampling_draws_from_the_imported_agree_cases(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let (q1, q2) = (user_id(&app, "qco1").await, user_id(&app, "qco2").await);
    let agents = [user_id(&app, "agent1").await, user_id(&app, "agent2").await, user_id(&app, "agent3").await];
    let day = |n: i64| (Utc::now() - Duration::days(n)).format("%Y-%m-%d").to_string();
    let request = json!({ "from": day(30), "to": day(0), "per_agent": 2, "qco_ids": [q1, q2], "seed": 11 });
    let reply = app.post("/api/sampling", Some(&qrd), &request).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let first: SamplingResult = reply.json();
    assert_eq!(first.source, "cases");
    assert_eq!(first.assignments.len(), 6, "{:?}", first.short);
    for agent in agents {
        assert_eq!(first.assignments.iter().filter(|a| a.agent_id == agent).count(), 2);
    }
    let per_qco = |q: i64| first.assignments.iter().filter(|a| a.qco_id == q).count();
    assert_eq!((per_qco(q1), per_qco(q2)), (3, 3));
    // Each assignment is a real case of its agent, with the case's call facts.
    for a in &first.assignments {
        let id = a.case_id.expect("drawn from a case");
        let case = app.get(&format!("/api/cases/{id}"), &qrd).await;
        assert_eq!(case.status, StatusCode::OK);
        assert_eq!(case.body["agent_id"], a.agent_id);
        assert!(case.body["customer_no"].is_string());
        assert!(a.service.is_some() && a.bucket.is_some());
    }
    // A second batch never draws the same cases again.
    let mut again = request.clone();
    again["seed"] = json!(12);
    let second: SamplingResult = app.post("/api/sampling", Some(&qrd), &again).await.json();
    let first_ids: Vec<i64> = first.assignments.iter().filter_map(|a| a.case_id).collect();
    assert!(!second.assignments.is_empty());
    assert!(second.assignments.iter().all(|a| a.case_id.is_some_and(|id| !first_ids.contains(&id))));
}
