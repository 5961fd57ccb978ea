//! Document control, issue 12: a revision is in force from its effective instant — the later of
//! its effective date's 00:00 in the site zone and its approval — so it is never in force before
//! it was approved; "in force at" an instant still to come answers the approved revision
//! scheduled by then; the effective date the document controller plans on the draft; who sees
//! revisions not yet in force in a revision's history; and the migration that moves effective
//! instants recorded under the old rule.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, SecondsFormat, TimeZone, Utc};
use domain::api::{DocumentDetail, Revision};
use domain::documents::{RevisionStatus, SignatureMeaning};
use mutu_backend::documents::service::apply_effective_dates;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use serde_json::json;
use tests::{Backend, DEMO_PASSWORD, Spawn, TestApp, on_both_databases, spawn_app, spawn_app_with};

const P01: &str = "OB.IN.OCC.TELK.P-01";
const W01: &str = "OB.IN.QCC.TELK.W-01";

on_both_databases!(
    a_revision_approved_during_its_day_is_in_force_from_the_approval,
    a_later_day_takes_effect_at_its_midnight_in_the_site_zone,
    in_force_at_a_later_instant_answers_the_scheduled_revision,
    the_history_shows_revisions_not_in_force_to_document_roles_only,
    the_planned_effective_date_belongs_to_the_draft,
    effective_instants_of_the_old_rule_are_moved_to_the_approval,
);

/// WIB, the test server's default zone.
fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap()
}

/// The site day `days` after today, in `zone`.
fn site_day(zone: FixedOffset, days: i64) -> NaiveDate {
    Utc::now().with_timezone(&zone).date_naive() + Duration::days(days)
}

/// 00:00 of `day` in `zone`, as the API writes instants.
fn midnight(zone: FixedOffset, day: NaiveDate) -> DateTime<Utc> {
    zone.from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap()).unwrap().with_timezone(&Utc)
}

/// An instant as the API writes it (and as a query value: UTC, no `+`).
fn api_instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The revision in force at `at` (a query value), as `token` asks.
async fn in_force(app: &TestApp, token: &str, code: &str, at: &str) -> tests::Reply {
    app.get(&format!("/api/documents/{code}/in-force?at={at}"), token).await
}

/// DC drafts the next revision of `code` (with `extra` fields), submits; QRD checks it.
async fn checked_draft(app: &TestApp, code: &str, extra: serde_json::Value) -> Revision {
    let (dc, qrd) = (app.token("dc").await, app.token("qrd").await);
    let path = format!("/api/documents/{code}/revisions");
    let mut body = json!({ "change_description": "Menambah catatan tentang MyCX." });
    body.as_object_mut().unwrap().extend(extra.as_object().cloned().unwrap_or_default());
    let draft = app.post(&path, Some(&dc), &body).await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    let draft: Revision = draft.json();
    let rev = draft.rev;
    let submitted = app.post(&format!("{path}/{rev}/submit"), Some(&dc), &json!({ "password": DEMO_PASSWORD })).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let checked = app
        .post(&format!("{path}/{rev}/review"), Some(&qrd), &json!({ "decision": "approve", "password": DEMO_PASSWORD }))
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    checked.json()
}

/// The manager approves `rev` of `code` to take effect on `day`.
async fn approve(app: &TestApp, code: &str, rev: i32, day: NaiveDate) -> Revision {
    let manager = app.token("manager").await;
    let approved = app
        .post(
            &format!("/api/documents/{code}/revisions/{rev}/approve"),
            Some(&manager),
            &json!({ "decision": "approve", "password": DEMO_PASSWORD, "effective_date": day.to_string() }),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    approved.json()
}

fn approval_time(revision: &Revision) -> DateTime<Utc> {
    let signature = revision
        .signatures
        .iter()
        .find(|s| s.meaning == SignatureMeaning::Approved && !s.void)
        .expect("an approval signature");
    DateTime::parse_from_rfc3339(&signature.signed_at).unwrap().with_timezone(&Utc)
}

async fn a_revision_approved_during_its_day_is_in_force_from_the_approval(backend: Backend) {
    let app = spawn_app(backend).await;
    checked_draft(&app, P01, json!({})).await;
    let today = site_day(wib(), 0);
    let approved = approve(&app, P01, 1, today).await;
    assert_eq!(approved.status, RevisionStatus::Effective, "approved for today: in force at once");
    let signed = approval_time(&approved);
    assert!(signed > midnight(wib(), today));
    // In force from the approval, not from the day's 00:00.
    assert_eq!(approved.effective_at.as_deref(), Some(api_instant(signed).as_str()));
    assert!(!approved.scheduled);

    let agent = app.token("agent1").await;
    let rev0: Revision = app.get(&format!("/api/documents/{P01}/revisions/0"), &agent).await.json();
    assert_eq!(rev0.status, RevisionStatus::Superseded);
    assert_eq!(rev0.superseded_at, approved.effective_at, "Rev.00 is in force until the approval");

    // "In force at" agrees: before the approval (the day's 00:00, the second before it, the
    // same day's 00:00 written as a site wall time) it is Rev.00; from the approval on, Rev.01.
    let before = [
        today.to_string(),
        format!("{today}T00:00"),
        api_instant(midnight(wib(), today)),
        api_instant(signed - Duration::seconds(1)),
    ];
    for at in before {
        let reply = in_force(&app, &agent, P01, &at).await;
        assert_eq!(reply.status, StatusCode::OK, "{at}: {}", reply.body);
        assert_eq!(reply.json::<Revision>().rev, 0, "in force at {at}");
    }
    for at in [api_instant(signed), api_instant(signed + Duration::seconds(1))] {
        let answer: Revision = in_force(&app, &agent, P01, &at).await.json();
        assert_eq!((answer.rev, answer.scheduled), (1, false), "in force at {at}");
    }

    // The history and the register say the same.
    let rev1: Revision = app.get(&format!("/api/documents/{P01}/revisions/1"), &agent).await.json();
    let row = rev1.history.iter().find(|h| h.rev == 1).expect("Rev.01 in the history");
    assert_eq!(row.effective_at, approved.effective_at);
    assert_eq!(row.effective_date.as_deref(), Some(today.to_string().as_str()));
    let detail: DocumentDetail = app.get(&format!("/api/documents/{P01}"), &agent).await.json();
    assert_eq!(detail.effective_revision.map(|e| e.rev), Some(1));
}

async fn a_later_day_takes_effect_at_its_midnight_in_the_site_zone(backend: Backend) {
    // WITA (UTC+8): the day's 00:00 is that of the site's zone, not WIB's or UTC's.
    let options = Spawn { configure: |config| config.timezone = "Asia/Makassar".into(), ..Default::default() };
    let app = spawn_app_with(backend, options).await;
    let wita = FixedOffset::east_opt(8 * 3600).unwrap();
    checked_draft(&app, P01, json!({})).await;
    let tomorrow = site_day(wita, 1);
    let approved = approve(&app, P01, 1, tomorrow).await;
    assert_eq!(approved.status, RevisionStatus::Approved);
    assert!(approved.scheduled, "approved for a later day: scheduled");
    assert_eq!(approved.effective_at.as_deref(), Some(api_instant(midnight(wita, tomorrow)).as_str()));
    let manager = app.token("manager").await;
    let just_before = api_instant(midnight(wita, tomorrow) - Duration::seconds(1));
    assert_eq!(in_force(&app, &manager, P01, &just_before).await.json::<Revision>().rev, 0);
    let at_midnight: Revision = in_force(&app, &manager, P01, &tomorrow.to_string()).await.json();
    assert_eq!((at_midnight.rev, at_midnight.scheduled), (1, true));
}

async fn in_force_at_a_later_instant_answers_the_scheduled_revision(backend: Backend) {
    let app = spawn_app(backend).await;
    checked_draft(&app, P01, json!({})).await;
    let tomorrow = site_day(wib(), 1);
    let approved = approve(&app, P01, 1, tomorrow).await;
    assert_eq!((approved.status, approved.scheduled), (RevisionStatus::Approved, true));
    let starts = midnight(wib(), tomorrow);

    let (manager, dc, agent) = (app.token("manager").await, app.token("dc").await, app.token("agent1").await);
    let now = api_instant(Utc::now());
    let today: Revision = in_force(&app, &manager, P01, &now).await.json();
    assert_eq!((today.rev, today.status, today.scheduled), (0, RevisionStatus::Effective, false));
    let second_before = api_instant(starts - Duration::seconds(1));
    assert_eq!(in_force(&app, &manager, P01, &second_before).await.json::<Revision>().rev, 0);

    // From tomorrow's 00:00 the scheduled Rev.01 is the answer, marked as scheduled.
    for (token, at) in [
        (&manager, tomorrow.to_string()),
        (&dc, format!("{tomorrow}T09:30")),
        (&manager, api_instant(starts + Duration::days(30))),
    ] {
        let reply = in_force(&app, token, P01, &at).await;
        assert_eq!(reply.status, StatusCode::OK, "{at}: {}", reply.body);
        assert_eq!(reply.body["scheduled"], true, "{at}");
        let answer: Revision = reply.json();
        assert_eq!((answer.rev, answer.status), (1, RevisionStatus::Approved), "{at}");
        assert_eq!(answer.effective_at.as_deref(), Some(api_instant(starts).as_str()));
    }
    // An agent may not see a revision not yet in force: the instant it covers is a 404, not
    // the revision in force today; today's answer is unchanged.
    assert_eq!(in_force(&app, &agent, P01, &tomorrow.to_string()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(in_force(&app, &agent, P01, &now).await.json::<Revision>().rev, 0);

    // Once the day has come, Rev.01 is simply in force, for everyone.
    apply_effective_dates(&app.app.state, starts + Duration::minutes(1)).await.unwrap();
    for token in [&manager, &agent] {
        let answer: Revision = in_force(&app, token, P01, &tomorrow.to_string()).await.json();
        assert_eq!((answer.rev, answer.status, answer.scheduled), (1, RevisionStatus::Effective, false));
    }
    let rev0: Revision = app.get(&format!("/api/documents/{P01}/revisions/0"), &agent).await.json();
    assert_eq!(rev0.superseded_at.as_deref(), Some(api_instant(starts).as_str()));
}

/// The revisions a user sees in Rev.00's history.
async fn history_of_rev0(app: &TestApp, username: &str) -> Vec<(i32, RevisionStatus)> {
    let token = app.token(username).await;
    let rev0: Revision = app.get(&format!("/api/documents/{P01}/revisions/0"), &token).await.json();
    rev0.history.iter().map(|h| (h.rev, h.status)).collect()
}

async fn the_history_shows_revisions_not_in_force_to_document_roles_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let document_roles = ["dc", "qrd", "manager", "admin"];
    let other_roles = ["agent1", "qco1", "tl1"];
    let dc = app.token("dc").await;
    let path = format!("/api/documents/{P01}/revisions");
    app.post(&path, Some(&dc), &json!({ "change_description": "Draf baru." })).await;
    for (step, status) in [("draft", RevisionStatus::Draft), ("submitted", RevisionStatus::InReview)] {
        if step == "submitted" {
            app.post(&format!("{path}/1/submit"), Some(&dc), &json!({ "password": DEMO_PASSWORD })).await;
        }
        for user in document_roles {
            assert_eq!(
                history_of_rev0(&app, user).await,
                [(0, RevisionStatus::Effective), (1, status)],
                "{user}, {step}"
            );
        }
        for user in other_roles {
            assert_eq!(history_of_rev0(&app, user).await, [(0, RevisionStatus::Effective)], "{user}, {step}");
        }
    }

    // Approved for tomorrow: scheduled, still not in force.
    let qrd = app.token("qrd").await;
    app.post(&format!("{path}/1/review"), Some(&qrd), &json!({ "decision": "approve", "password": DEMO_PASSWORD }))
        .await;
    approve(&app, P01, 1, site_day(wib(), 1)).await;
    for user in document_roles {
        assert_eq!(
            history_of_rev0(&app, user).await,
            [(0, RevisionStatus::Effective), (1, RevisionStatus::Approved)],
            "{user}, scheduled"
        );
    }
    for user in other_roles {
        assert_eq!(history_of_rev0(&app, user).await, [(0, RevisionStatus::Effective)], "{user}, scheduled");
    }

    // In force: everyone sees both.
    apply_effective_dates(&app.app.state, Utc::now() + Duration::days(2)).await.unwrap();
    for user in document_roles.into_iter().chain(other_roles) {
        assert_eq!(
            history_of_rev0(&app, user).await,
            [(0, RevisionStatus::Superseded), (1, RevisionStatus::Effective)],
            "{user}, in force"
        );
    }
}

async fn the_planned_effective_date_belongs_to_the_draft(backend: Backend) {
    let app = spawn_app(backend).await;
    let dc = app.token("dc").await;
    let path = format!("/api/documents/{P01}/revisions");
    let planned = site_day(wib(), 3).to_string();
    let past = site_day(wib(), -1).to_string();

    // Refused when it has passed or is no day.
    for (value, problem) in [(past.as_str(), "in_past"), ("2026-02-30", "invalid_date")] {
        let reply = app
            .post(&path, Some(&dc), &json!({ "change_description": "Rencana.", "planned_effective_date": value }))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{value}: {}", reply.body);
        assert!(reply.body["fields"].to_string().contains(problem), "{value}: {}", reply.body);
    }
    let draft = app
        .post(&path, Some(&dc), &json!({ "change_description": "Rencana.", "planned_effective_date": planned }))
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    let draft: Revision = draft.json();
    assert_eq!(draft.planned_effective_date.as_deref(), Some(planned.as_str()));
    assert_eq!(draft.effective_date, None, "the effective date is the approver's");

    // Edited with the draft: changed, refused when past, cleared with null.
    let later = site_day(wib(), 5).to_string();
    let edited = app
        .patch(&format!("{path}/1"), &dc, &json!({ "version": draft.version, "planned_effective_date": later }))
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let edited: Revision = edited.json();
    assert_eq!(edited.planned_effective_date.as_deref(), Some(later.as_str()));
    let refused = app
        .patch(&format!("{path}/1"), &dc, &json!({ "version": edited.version, "planned_effective_date": past }))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["fields"]["planned_effective_date"], "in_past");
    let cleared = app
        .patch(&format!("{path}/1"), &dc, &json!({ "version": edited.version, "planned_effective_date": null }))
        .await;
    let cleared: Revision = cleared.json();
    assert_eq!(cleared.planned_effective_date, None);
    let replanned = app
        .patch(&format!("{path}/1"), &dc, &json!({ "version": cleared.version, "planned_effective_date": planned }))
        .await;
    assert_eq!(replanned.status, StatusCode::OK);
    let tasks: domain::api::MyTasks = app.get("/api/me/tasks", &dc).await.json();
    assert_eq!(tasks.drafts[0].planned_effective_date.as_deref(), Some(planned.as_str()));

    // api.md's `effective_date` of a new draft is its planned date.
    let legacy = app
        .post(
            &format!("/api/documents/{W01}/revisions"),
            Some(&dc),
            &json!({ "change_description": "Lama.", "effective_date": later }),
        )
        .await;
    assert_eq!(legacy.status, StatusCode::CREATED, "{}", legacy.body);
    let legacy: Revision = legacy.json();
    assert_eq!(
        (legacy.planned_effective_date.as_deref(), legacy.effective_date.as_deref()),
        (Some(later.as_str()), None)
    );

    // The approver chooses another day: both are kept, and the approval's audit entry says so.
    let (dc_token, qrd) = (dc.clone(), app.token("qrd").await);
    app.post(&format!("{path}/1/submit"), Some(&dc_token), &json!({ "password": DEMO_PASSWORD })).await;
    app.post(&format!("{path}/1/review"), Some(&qrd), &json!({ "decision": "approve", "password": DEMO_PASSWORD }))
        .await;
    let chosen = site_day(wib(), 6);
    let approved = approve(&app, P01, 1, chosen).await;
    assert_eq!(approved.planned_effective_date.as_deref(), Some(planned.as_str()));
    assert_eq!(approved.effective_date.as_deref(), Some(chosen.to_string().as_str()));
    let admin = app.token("admin").await;
    let audit = app.get("/api/audit?entity=revision", &admin).await;
    let entry = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "revision.approved")
        .expect("the approval's audit entry")
        .clone();
    assert_eq!(entry["payload"]["planned_effective_date"], planned.as_str());
    assert_eq!(entry["payload"]["effective_date"], chosen.to_string().as_str());
}

/// Writes `at` into a timestamp column by SQL, as a revision written under the old rule had it.
async fn set_instant(conn: &sea_orm::DatabaseConnection, column: &str, at: DateTime<Utc>, rev: i32) {
    let backend = conn.get_database_backend();
    let (a, b) = if backend == DbBackend::Postgres { ("$1", "$2") } else { ("?", "?") };
    let sql = format!(
        "UPDATE revisions SET {column} = {a} WHERE rev = {b} AND document_id = (SELECT id FROM documents WHERE code = '{P01}')"
    );
    conn.execute_raw(Statement::from_sql_and_values(backend, sql, [at.into(), rev.into()])).await.unwrap();
}

async fn effective_instants_of_the_old_rule_are_moved_to_the_approval(backend: Backend) {
    use migrations::MigratorTrait;
    let app = spawn_app(backend).await;
    checked_draft(&app, P01, json!({})).await;
    let today = site_day(wib(), 0);
    let approved = approve(&app, P01, 1, today).await;
    let signed = approval_time(&approved);

    // As the old rule wrote it: Rev.01 in force from the day's 00:00, Rev.00 superseded then.
    let conn = Database::connect(app.database_url.as_str()).await.unwrap();
    let old = midnight(wib(), today);
    set_instant(&conn, "effective_at", old, 1).await;
    set_instant(&conn, "superseded_at", old, 0).await;
    let agent = app.token("agent1").await;
    let at = api_instant(old + Duration::seconds(1));
    assert_eq!(in_force(&app, &agent, P01, &at).await.json::<Revision>().rev, 1, "the old rule's answer");

    // The migration (run again as on a database from before it) moves both to the approval,
    // and running it once more changes nothing.
    for _ in 0..2 {
        conn.execute_unprepared("DELETE FROM seaql_migrations WHERE version = 'm20261201_000002_effective_instant'")
            .await
            .unwrap();
        migrations::Migrator::up(&conn, None).await.unwrap();
        let rev1: Revision = app.get(&format!("/api/documents/{P01}/revisions/1"), &agent).await.json();
        let rev0: Revision = app.get(&format!("/api/documents/{P01}/revisions/0"), &agent).await.json();
        assert_eq!(rev1.effective_at.as_deref(), Some(api_instant(signed).as_str()));
        assert_eq!(rev0.superseded_at, rev1.effective_at);
        assert_eq!(in_force(&app, &agent, P01, &at).await.json::<Revision>().rev, 0);
    }
    // Rev.00's paper approval (12 Oktober 2022, 00:00 WIB) came before its effective day: unchanged.
    let rev0: Revision = app.get(&format!("/api/documents/{P01}/revisions/0"), &agent).await.json();
    assert_eq!(rev0.effective_at.as_deref(), Some("2022-10-12T17:00:00.000000Z"));
    conn.close().await.ok();
}
