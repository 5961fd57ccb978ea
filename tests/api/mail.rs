//! Email notifications (issue 14 item 2) through a real SMTP server (`tests/src/smtp.rs`): the
//! digest, the due reminder and the escalation arrive once each, in Indonesian, to the right
//! people, also with two servers on one database; a server that is down leaves them queued and
//! retried; an address the server refuses fails alone, with the reason, visible to the admin.

use chrono::{DateTime, Datelike, FixedOffset, TimeZone, Utc};
use domain::api::{Page, User};
use domain::dates::Date;
use domain::mail::{MailStatus, OutboxMessage, OutboxSummary};
use mutu_backend::mail::{self, MailSettings, TickReport};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashSet;
use tests::smtp::{Received, SmtpSink, free_port};
use tests::{Backend, Spawn, TestApp, on_both_databases, spawn_app_with};

/// The routes of email notifications; the scenarios below call each.
pub const ROUTES: &[&str] =
    &["GET /api/mail/outbox", "GET /api/mail/summary", "POST /api/mail/outbox/{id}/retry", "PUT /api/me/digest"];

on_both_databases!(
    digest_reminder_and_escalation_arrive_once_each_in_indonesian,
    a_server_that_is_down_keeps_the_mail_and_a_refused_address_fails_alone,
    recipients_are_worked_out_when_the_mail_is_sent,
);

fn settings(port: u16) -> MailSettings {
    MailSettings::from_parts(
        &format!("smtp://127.0.0.1:{port}?tls=none"),
        Some("Mutu QC <mutu@mutu.example>"),
        1,
        7,
        Some("https://mutu.example"),
    )
    .expect("mail settings")
}

async fn with_mail(backend: Backend, port: u16) -> TestApp {
    spawn_app_with(backend, Spawn { mail: Some(settings(port)), ..Spawn::default() }).await
}

/// The demo site's zone (Asia/Jakarta).
fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap()
}

/// `hour`:00 site time on `day`.
fn at(day: Date, hour: u32) -> DateTime<Utc> {
    wib().with_ymd_and_hms(day.year, day.month, day.day, hour, 0, 0).unwrap().to_utc()
}

fn today() -> Date {
    let now = Utc::now().with_timezone(&wib());
    Date::new(now.year(), now.month(), now.day()).unwrap()
}

/// The working day before `day`.
fn working_day_before(day: Date) -> Date {
    let mut d = day.add_days(-1);
    while !d.is_working_day() {
        d = d.add_days(-1);
    }
    d
}

async fn tick(app: &TestApp, when: DateTime<Utc>) -> TickReport {
    mail::tick(&app.app.state, when).await.expect("the mail work")
}

/// Gives `username` an email address (as the admin does) and returns their id.
async fn give_address(app: &TestApp, username: &str, email: &str) -> i64 {
    let admin = app.token("admin").await;
    let users: Page<User> = app.get(&format!("/api/users?q={username}&limit=50"), &admin).await.json();
    let user = users.items.into_iter().find(|u| u.username == username).expect("the user");
    let reply = app
        .patch(&format!("/api/users/{}", user.id), &admin, &json!({ "version": user.version, "email": email }))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json::<User>().email.as_deref(), Some(email));
    user.id
}

/// QC returns one of `agent`'s pending agrees now: (customer number, follow-up id, due day).
async fn return_one(app: &TestApp, agent_id: i64) -> (String, i64, Date) {
    let qco = app.token("qco1").await;
    let queue: Page<Value> = app.get("/api/cases?status=pending&limit=500", &qco).await.json();
    let case =
        queue.items.iter().find(|c| c["agent_id"].as_i64() == Some(agent_id)).expect("a pending agree of the agent");
    let body = json!({ "result": "returned", "recommendation": "Konfirmasi ulang tanggal bayar.",
        "checklist": { "identity_verified": true, "amount_and_date_correct": false, "explicit_agreement": true, "reason_matches": true } });
    let reply = app.post(&format!("/api/cases/{}/validation", case["id"]), Some(&qco), &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let followup = reply.body["validation"]["followup_id"].as_i64().expect("a follow-up");
    let due = app.get(&format!("/api/followups/{followup}"), &qco).await.body["due_at"].as_str().unwrap().to_owned();
    let due = DateTime::parse_from_rfc3339(&due).unwrap().with_timezone(&wib());
    (case["customer_no"].as_str().unwrap().to_owned(), followup, Date::new(due.year(), due.month(), due.day()).unwrap())
}

fn about<'a>(mail: &'a [Received], customer: &str) -> Vec<&'a Received> {
    mail.iter().filter(|m| m.subject.contains(customer)).collect()
}

fn assert_no_duplicates(mail: &[Received]) {
    let mut seen = HashSet::new();
    for m in mail {
        assert!(seen.insert((m.rcpt_to.clone(), m.subject.clone())), "sent twice: {m:?}");
    }
}

async fn digest_reminder_and_escalation_arrive_once_each_in_indonesian(backend: Backend) {
    let sink = SmtpSink::start(free_port());
    let app = with_mail(backend, sink.port).await;
    let agent1 = give_address(&app, "agent1", "agus@mutu.example").await;
    give_address(&app, "tl1", "siti@mutu.example").await;
    give_address(&app, "qco1", "rina@mutu.example").await;
    give_address(&app, "manager", "arifin@mutu.example").await;
    let (customer, followup, due) = return_one(&app, agent1).await;

    // Nothing goes out before the hour, nor on a day off.
    let eve = working_day_before(due);
    assert_eq!(tick(&app, at(eve, 6)).await, TickReport::default());
    let mut saturday = due;
    while saturday.is_working_day() {
        saturday = saturday.add_days(1);
    }
    // (A Saturday before the due day would plan nothing; checked on the way, not sent.)
    assert_eq!(mail::plan::plan(&app.app.state, &settings(sink.port), at(saturday, 9)).await.unwrap(), 0);

    // The working day before the due day, from 07:00: digests and the reminder.
    let report = tick(&app, at(eve, 8)).await;
    assert!(report.sent >= 4, "{report:?}");
    let mail = sink.wait_for(report.sent as usize);
    assert_eq!(mail.len() as u64, report.sent);
    let reminders: Vec<_> = about(&mail, &customer);
    assert_eq!(reminders.len(), 1, "{mail:#?}");
    let reminder = reminders[0];
    assert_eq!(reminder.rcpt_to, ["agus@mutu.example"]);
    assert!(reminder.to.contains("Agus Setiawan"), "{}", reminder.to);
    assert!(reminder.from.contains("mutu@mutu.example"));
    assert!(reminder.subject.starts_with(&format!("Mutu: RETURN {customer} jatuh tempo")), "{}", reminder.subject);
    assert!(reminder.body.starts_with("Halo Agus Setiawan,"), "{}", reminder.body);
    assert!(reminder.body.contains("Konfirmasi ulang tanggal bayar."));
    assert!(reminder.body.contains(&format!("https://mutu.example/followups/{followup}")));
    assert!(reminder.body.contains("pukul 23.59"));
    assert_eq!((reminder.content_type.as_str(), reminder.charset.as_deref()), ("text/plain", Some("utf-8")));
    // One digest each for the four people with an address and something waiting.
    let digests: Vec<_> = mail.iter().filter(|m| m.subject.contains("tugas menunggu Anda")).collect();
    let to: HashSet<_> = digests.iter().map(|m| m.rcpt_to[0].as_str()).collect();
    assert_eq!(digests.len(), 4, "{digests:#?}");
    assert_eq!(
        to,
        HashSet::from(["agus@mutu.example", "siti@mutu.example", "rina@mutu.example", "arifin@mutu.example"])
    );
    let rina = digests.iter().find(|m| m.rcpt_to[0] == "rina@mutu.example").unwrap();
    assert!(rina.body.starts_with("Halo Rina Marlina,"), "{}", rina.body);
    assert!(rina.body.contains("agree menunggu validasi"), "{}", rina.body);
    assert!(rina.body.contains("https://mutu.example/tasks"));
    assert!(rina.body.contains("halaman Akun"));
    let agus = digests.iter().find(|m| m.rcpt_to[0] == "agus@mutu.example").unwrap();
    assert!(agus.body.contains("RETURN Anda yang masih terbuka"), "{}", agus.body);

    // Again the same day (another tick, a restart): nothing new.
    let again = tick(&app, at(eve, 8) + chrono::Duration::minutes(1)).await;
    assert_eq!((again.planned, again.sent), (0, 0), "{again:?}");

    // One working day past due and not re-cared: the team leader hears of it, once.
    let late = due.add_working_days(1);
    tick(&app, at(late, 9)).await;
    tick(&app, at(late, 10)).await;
    let mail = sink.wait_for(0);
    let escalations: Vec<_> =
        about(&mail, &customer).into_iter().filter(|m| m.subject.contains("lewat tenggat")).collect();
    assert_eq!(escalations.len(), 1, "{mail:#?}");
    let escalation = escalations[0];
    assert_eq!(escalation.rcpt_to, ["siti@mutu.example"]);
    assert_eq!(escalation.subject, format!("Mutu: RETURN {customer} dari Agus Setiawan lewat tenggat"));
    assert!(escalation.body.starts_with("Halo Siti Nurhaliza,"), "{}", escalation.body);
    assert!(escalation.body.contains("1 hari kerja"), "{}", escalation.body);
    assert_eq!(about(&mail, &customer).len(), 2, "one reminder, one escalation");
    assert_no_duplicates(&mail);

    // Every message sent is recorded, with its audit entry.
    let admin = app.token("admin").await;
    let summary: OutboxSummary = app.get("/api/mail/summary", &admin).await.json();
    assert!(summary.enabled);
    assert_eq!(summary.sent, mail.len() as u64);
    let sent: Page<OutboxMessage> = app.get("/api/mail/outbox?status=sent&limit=500", &admin).await.json();
    assert_eq!(sent.items.len(), mail.len());
    assert!(sent.items.iter().all(|m| m.sent_at.is_some() && m.to_address.is_some() && m.attempts == 1));
    let audit: Value = app.get("/api/audit?entity=mail&limit=500", &admin).await.body;
    let entries = audit["items"].as_array().unwrap().iter().filter(|e| e["action"] == "mail.sent").count();
    assert_eq!(entries, mail.len(), "{audit}");
    // The outbox is the admin's alone.
    for who in ["qrd", "tl1", "agent1"] {
        let token = app.token(who).await;
        assert_eq!(app.get("/api/mail/outbox", &token).await.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(app.get("/api/mail/outbox?status=lost", &admin).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn a_server_that_is_down_keeps_the_mail_and_a_refused_address_fails_alone(backend: Backend) {
    let port = free_port();
    let app = with_mail(backend, port).await;
    give_address(&app, "qco1", "rina@mutu.example").await;
    give_address(&app, "qco2", "refuse-dedi@mutu.example").await;
    let day = today().add_working_days(1);
    // Nobody listens: both stay queued, with the reason, to be tried again in a minute.
    let first = tick(&app, at(day, 8)).await;
    assert_eq!((first.sent, first.retrying, first.failed), (0, 2, 0), "{first:?}");
    let admin = app.token("admin").await;
    // (The demo's RETURNs planned reminders too; their agents have no address, so they were skipped.)
    let queued: Page<OutboxMessage> = app.get("/api/mail/outbox?kind=digest", &admin).await.json();
    assert_eq!(queued.items.len(), 2);
    for m in &queued.items {
        assert_eq!((m.status, m.attempts), (MailStatus::Pending, 1));
        assert!(m.last_error.as_deref().is_some_and(|e| !e.is_empty()));
        assert!(m.next_attempt_at.is_some());
    }

    // The server comes up; the retry waits for its backoff, then one goes and one is refused.
    let sink = SmtpSink::start(port);
    let early = tick(&app, at(day, 8) + chrono::Duration::seconds(30)).await;
    assert_eq!(early.sent + early.failed, 0, "{early:?}");
    let second = tick(&app, at(day, 8) + chrono::Duration::seconds(61)).await;
    assert_eq!((second.sent, second.failed), (1, 1), "{second:?}");
    let mail = sink.wait_for(1);
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].rcpt_to, ["rina@mutu.example"]);
    let failed: Page<OutboxMessage> = app.get("/api/mail/outbox?status=failed", &admin).await.json();
    assert_eq!(failed.items.len(), 1);
    let refused = &failed.items[0];
    assert_eq!(refused.to_address.as_deref(), Some("refuse-dedi@mutu.example"));
    assert!(refused.last_error.as_deref().unwrap_or_default().contains("550"), "{refused:?}");
    assert_eq!(refused.recipient.username, "qco2");

    // The admin may send it again (audited); only a failed one.
    let audit = app.count("audit_log").await;
    let path = format!("/api/mail/outbox/{}/retry", refused.id);
    let reply = app.post(&path, Some(&admin), &json!({})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json::<OutboxMessage>().status, MailStatus::Pending);
    assert_eq!(app.count("audit_log").await, audit + 1);
    let twice = app.post(&path, Some(&admin), &json!({})).await;
    assert_eq!((twice.status, twice.error()), (StatusCode::CONFLICT, "wrong_state"));
    assert_eq!(app.post(&path, Some(&app.token("qrd").await), &json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post("/api/mail/outbox/999999/retry", Some(&admin), &json!({})).await.status, StatusCode::NOT_FOUND);
    // Refused again, and nothing else is sent twice.
    let third = tick(&app, at(day, 9)).await;
    assert_eq!((third.sent, third.failed), (0, 1), "{third:?}");
    assert_eq!(sink.wait_for(0).len(), 1);
}

async fn recipients_are_worked_out_when_the_mail_is_sent(backend: Backend) {
    let sink = SmtpSink::start(free_port());
    let app = with_mail(backend, sink.port).await;
    let settings = settings(sink.port);
    let agent1 = give_address(&app, "agent1", "agus@mutu.example").await;
    give_address(&app, "qco1", "rina@mutu.example").await;
    let qco2 = give_address(&app, "qco2", "dedi@mutu.example").await;
    give_address(&app, "tl1", "siti@mutu.example").await;

    // An address that is not one is refused at the door, and changes nothing.
    let admin = app.token("admin").await;
    let me: User = app.get(&format!("/api/users/{qco2}"), &admin).await.json();
    let bad = app
        .patch(&format!("/api/users/{qco2}"), &admin, &json!({ "version": me.version, "email": "dedi at mutu" }))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["fields"]["email"], "invalid_email");
    // Colleagues' addresses are not shown to other roles; one's own is.
    let seen: Value = app.get(&format!("/api/users/{qco2}"), &app.token("qrd").await).await.body;
    assert!(seen.get("email").is_none(), "{seen}");
    let own: User = app.get("/api/me", &app.token("qco2").await).await.json();
    assert_eq!(own.email.as_deref(), Some("dedi@mutu.example"));
    assert!(own.digest);

    // Planned while things stood one way, sent after they changed.
    let (customer, _, due) = return_one(&app, agent1).await;
    let late = due.add_working_days(1);
    let planned = mail::plan::plan(&app.app.state, &settings, at(late, 8)).await.unwrap();
    assert!(planned >= 4, "{planned}");
    // Agus turns his digest off on his account page (audited once), after it was planned.
    let agus = app.token("agent1").await;
    let audit = app.count("audit_log").await;
    let off = app.send(reqwest::Method::PUT, "/api/me/digest", Some(&agus), Some(&json!({ "digest": false }))).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert!(!off.json::<User>().digest);
    app.send(reqwest::Method::PUT, "/api/me/digest", Some(&agus), Some(&json!({ "digest": false }))).await;
    assert_eq!(app.count("audit_log").await, audit + 1);
    let bad = app.send(reqwest::Method::PUT, "/api/me/digest", Some(&agus), Some(&json!({ "digest": "no" }))).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "a wrong type is a malformed body (api.md)");

    // Dedi is deactivated; Tim 1 gets a new leader, who has an address.
    let me: User = app.get(&format!("/api/users/{qco2}"), &admin).await.json();
    assert_eq!(
        app.patch(&format!("/api/users/{qco2}"), &admin, &json!({ "version": me.version, "active": false }))
            .await
            .status,
        StatusCode::OK
    );
    let teams: Value = app.get("/api/teams", &admin).await.body;
    let team = teams["items"].as_array().unwrap().iter().find(|t| t["name"] == "Tim 1").unwrap().clone();
    let tl2 = give_address(&app, "tl2", "bambang@mutu.example").await;
    let moved = app
        .patch(&format!("/api/teams/{}", team["id"]), &admin, &json!({ "version": team["version"], "leader_id": tl2 }))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);

    mail::send::send_waiting(&app.app.state, &settings, at(late, 8)).await.unwrap();
    let mail = sink.wait_for(0);
    let to: HashSet<_> = mail.iter().map(|m| m.rcpt_to[0].as_str()).collect();
    assert!(
        !mail.iter().any(|m| m.rcpt_to[0] == "agus@mutu.example" && m.subject.contains("tugas menunggu")),
        "no digest for Agus, who turned it off"
    );
    assert!(!to.contains("dedi@mutu.example"), "nothing for a deactivated user: {to:?}");
    let escalation: Vec<_> =
        about(&mail, &customer).into_iter().filter(|m| m.subject.contains("lewat tenggat")).collect();
    assert_eq!(escalation.len(), 1, "{mail:#?}");
    assert_eq!(escalation[0].rcpt_to, ["bambang@mutu.example"], "the team's leader when it was sent");
    let skipped: Page<OutboxMessage> = app.get("/api/mail/outbox?status=skipped&limit=500", &admin).await.json();
    let reasons: HashSet<_> = skipped.items.iter().filter_map(|m| m.last_error.as_deref()).collect();
    assert!(reasons.contains("digest_off") && reasons.contains("recipient_inactive"), "{reasons:?}");
    assert_no_duplicates(&mail);
}

/// Several servers share a PostgreSQL database (a SQLite file belongs to one server).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_database_send_each_message_once() {
    let backend = Backend::Postgres;
    let sink = SmtpSink::start(free_port());
    let first = with_mail(backend, sink.port).await;
    let second = spawn_app_with(
        backend,
        Spawn {
            mail: Some(settings(sink.port)),
            database_url: Some(first.database_url.clone()),
            demo: false,
            ..Spawn::default()
        },
    )
    .await;
    let agent1 = give_address(&first, "agent1", "agus@mutu.example").await;
    for (user, email) in [
        ("qco1", "rina@mutu.example"),
        ("qco2", "dedi@mutu.example"),
        ("tl1", "siti@mutu.example"),
        ("qrd", "sukron@mutu.example"),
        ("manager", "arifin@mutu.example"),
        ("agent2", "dewi@mutu.example"),
    ] {
        give_address(&first, user, email).await;
    }
    let (customer, _, due) = return_one(&first, agent1).await;
    for when in [at(working_day_before(due), 8), at(due.add_working_days(1), 8)] {
        for round in 0..3 {
            let moment = when + chrono::Duration::seconds(round);
            let (a, b) = tokio::join!(tick(&first, moment), tick(&second, moment));
            assert_eq!(a.failed + b.failed, 0, "{a:?} {b:?}");
        }
    }
    let mail = sink.wait_for(0);
    assert_no_duplicates(&mail);
    assert_eq!(about(&mail, &customer).len(), 2, "one reminder and one escalation: {mail:#?}");
    let admin = first.token("admin").await;
    let summary: OutboxSummary = first.get("/api/mail/summary", &admin).await.json();
    assert_eq!(summary.sent, mail.len() as u64, "every message sent once, by one of the two");
    assert_eq!(summary.pending, 0);
}
