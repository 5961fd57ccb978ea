//! Users and teams: who may read, who may write, versions, duplicates, visibility.

use domain::Role;
use domain::api::{Page, Team, User, UserSummary};
use reqwest::StatusCode;
use serde_json::json;
use tests::{Backend, DEMO_PASSWORD, on_both_databases, spawn_app};

on_both_databases!(
    admin_creates_a_user_who_can_then_log_in,
    only_admin_writes_users_and_teams,
    every_role_but_agent_reads_the_user_list,
    the_user_summary_counts_every_account,
    user_list_filters_and_pages,
    agents_see_only_themselves,
    duplicate_username_is_a_conflict,
    stale_version_changes_nothing,
    admin_cannot_lock_themselves_out,
    teams_are_created_led_and_renamed,
    missing_users_are_404,
    an_agent_who_changes_team_takes_their_open_followups_along,
    the_admin_sees_a_lock_out_and_the_last_login_and_lifts_the_lock,
    a_one_time_password_must_be_changed_before_anything_else,
);

fn new_user(username: &str) -> serde_json::Value {
    json!({ "username": username, "password": "rahasia-sekali-1", "role": "agent", "full_name": "Budi Santoso", "position": "Agent CT-0", "team_id": 1 })
}

async fn admin_creates_a_user_who_can_then_log_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let reply = app.post("/api/users", Some(&admin), &new_user("budi")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let user: User = reply.json();
    assert_eq!((user.username.as_str(), user.role, user.active), ("budi", Role::Agent, true));
    assert_eq!(user.team.as_ref().map(|t| t.name.as_str()), Some("Tim 1"));
    let pair = app.login("budi", "rahasia-sekali-1").await;
    assert_eq!(pair.user.id, user.id);
    let fetched: User = app.get(&format!("/api/users/{}", user.id), &admin).await.json();
    // The same account, now with the login the admin sees.
    assert!(fetched.last_login_at.is_some(), "{fetched:?}");
    assert_eq!(User { last_login_at: None, ..fetched }, user);
}

async fn only_admin_writes_users_and_teams(backend: Backend) {
    let app = spawn_app(backend).await;
    for username in ["manager", "dc", "qrd", "qco1", "tl1", "agent1"] {
        let token = app.token(username).await;
        let create = app.post("/api/users", Some(&token), &new_user("mallory")).await;
        assert_eq!(create.status, StatusCode::FORBIDDEN, "{username} creating a user");
        assert_eq!(create.error(), "forbidden");
        let team = app.post("/api/teams", Some(&token), &json!({ "name": "Tim X" })).await;
        assert_eq!(team.status, StatusCode::FORBIDDEN, "{username} creating a team");
        let patch = app.patch("/api/users/1", &token, &json!({ "version": 1, "role": "admin" })).await;
        assert_eq!(patch.status, StatusCode::FORBIDDEN, "{username} patching a user");
    }
    assert_eq!(app.count("users").await, 11, "nothing was created");
}

async fn every_role_but_agent_reads_the_user_list(backend: Backend) {
    let app = spawn_app(backend).await;
    for username in ["admin", "manager", "dc", "qrd", "qco1", "tl1"] {
        let token = app.token(username).await;
        let reply = app.get("/api/users", &token).await;
        assert_eq!(reply.status, StatusCode::OK, "{username}");
        assert_eq!(reply.json::<Page<User>>().items.len(), 11);
        assert_eq!(app.get("/api/teams", &token).await.status, StatusCode::OK, "{username} teams");
    }
    let agent = app.token("agent1").await;
    assert_eq!(app.get("/api/users", &agent).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/teams", &agent).await.status, StatusCode::FORBIDDEN);
}

async fn the_user_summary_counts_every_account(backend: Backend) {
    let app = spawn_app(backend).await;
    // A site's worth of agents (more than a page of the list), a few of them inactive; written
    // straight to the table, as hashing 600 passwords would only slow the test down.
    app.insert_agents(600, "Agent", "i % 50 <> 0").await;
    let reply = app.get("/api/users/summary", &app.token("admin").await).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let summary: UserSummary = reply.json();
    assert_eq!(summary.active as i64, app.count("users WHERE active = true").await);
    assert_eq!(summary.inactive as i64, app.count("users WHERE active = false").await);
    assert_eq!(summary.inactive, 12);
    assert_eq!(summary.active + summary.inactive, 611);
    assert_eq!(summary.teams as i64, app.count("teams").await);
    let roles: Vec<Role> = summary.by_role.iter().map(|r| r.role).collect();
    assert_eq!(roles, Role::ALL);
    let agents = summary.by_role.iter().find(|r| r.role == Role::Agent).unwrap();
    assert_eq!(agents.active, 3 + 588);
    assert_eq!(summary.by_role.iter().map(|r| r.active).sum::<u64>(), summary.active);
    // Whoever may list users may count them; agents may not.
    assert_eq!(app.get("/api/users/summary", &app.token("tl1").await).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/users/summary", &app.token("agent1").await).await.status, StatusCode::FORBIDDEN);
}

async fn user_list_filters_and_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token("qco1").await;
    let agents: Page<User> = app.get("/api/users?role=agent", &token).await.json();
    let names: Vec<&str> = agents.items.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["agent1", "agent2", "agent3"]);
    let team1: Page<User> = app.get("/api/users?team_id=1", &token).await.json();
    let names: Vec<&str> = team1.items.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["tl1", "agent1", "agent2"]);
    let search: Page<User> = app.get("/api/users?q=Lestari", &token).await.json();
    assert_eq!(search.items.len(), 1);
    // Any case, on both databases; the username too.
    let lower: Page<User> = app.get("/api/users?q=lestari", &token).await.json();
    assert_eq!(lower.items, search.items);
    let by_username: Page<User> = app.get("/api/users?q=AGENT2&role=agent&active=true", &token).await.json();
    let names: Vec<&str> = by_username.items.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["agent2"]);

    let mut seen = Vec::new();
    let mut page: Page<User> = app.get("/api/users?limit=4", &token).await.json();
    loop {
        seen.extend(page.items.iter().map(|u| u.id));
        let Some(cursor) = page.next_cursor.clone() else { break };
        page = app.get(&format!("/api/users?limit=4&cursor={cursor}"), &token).await.json();
    }
    assert_eq!(seen.len(), 11);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "ordered, no repeats");

    assert_eq!(app.get("/api/users?role=root", &token).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/api/users?limit=501", &token).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/api/users?cursor=garbage", &token).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.get("/api/users?team_id=abc", &token).await.status, StatusCode::BAD_REQUEST);
}

async fn agents_see_only_themselves(backend: Backend) {
    let app = spawn_app(backend).await;
    let agent = app.login("agent1", DEMO_PASSWORD).await;
    let own = app.get(&format!("/api/users/{}", agent.user.id), &agent.access_token).await;
    assert_eq!(own.status, StatusCode::OK);
    let other = app.get("/api/users/1", &agent.access_token).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/teams/1", &agent.access_token).await.status, StatusCode::NOT_FOUND);
}

async fn duplicate_username_is_a_conflict(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let reply = app.post("/api/users", Some(&admin), &new_user("agent1")).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.error(), "username_taken");
    let dup_team = app.post("/api/teams", Some(&admin), &json!({ "name": "Tim 1" })).await;
    assert_eq!(dup_team.status, StatusCode::CONFLICT);
}

async fn stale_version_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let user: User = app.get("/api/users/9", &admin).await.json();
    let first =
        app.patch("/api/users/9", &admin, &json!({ "version": user.version, "position": "Senior Agent" })).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body["version"], user.version + 1);
    let stale =
        app.patch("/api/users/9", &admin, &json!({ "version": user.version, "position": "Something Else" })).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.error(), "stale_version");
    let now: User = app.get("/api/users/9", &admin).await.json();
    assert_eq!(now.position, "Senior Agent");

    let role =
        app.patch("/api/users/9", &admin, &json!({ "version": now.version, "role": "qco", "team_id": null })).await;
    assert_eq!(role.status, StatusCode::OK);
    assert_eq!(role.body["role"], "qco");
    assert_eq!(role.body["team"], serde_json::Value::Null);
    let bad_role = app.patch("/api/users/9", &admin, &json!({ "version": now.version + 1, "role": "superuser" })).await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_role.body["fields"]["role"], "unknown_role");
    let bad_team = app.patch("/api/users/9", &admin, &json!({ "version": now.version + 1, "team_id": 999 })).await;
    assert_eq!(bad_team.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn admin_cannot_lock_themselves_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", DEMO_PASSWORD).await;
    let path = format!("/api/users/{}", admin.user.id);
    let off = app.patch(&path, &admin.access_token, &json!({ "version": admin.user.version, "active": false })).await;
    assert_eq!(off.status, StatusCode::CONFLICT);
    let demote =
        app.patch(&path, &admin.access_token, &json!({ "version": admin.user.version, "role": "agent" })).await;
    assert_eq!(demote.status, StatusCode::CONFLICT);
    assert_eq!(app.get("/api/me", &admin.access_token).await.body["role"], "admin");
}

async fn teams_are_created_led_and_renamed(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let tl = app.post("/api/users", Some(&admin), &json!({ "username": "tl3", "password": "rahasia-sekali-1", "role": "team_leader", "full_name": "Rudi Hartono" })).await;
    let tl: User = tl.json();
    let not_leader = app.post("/api/teams", Some(&admin), &json!({ "name": "Tim 3", "leader_id": 9 })).await;
    assert_eq!(not_leader.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(not_leader.body["fields"]["leader_id"], "not_team_leader");

    let created = app.post("/api/teams", Some(&admin), &json!({ "name": "Tim 3", "leader_id": tl.id })).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let team: Team = created.json();
    assert_eq!(team.leader.as_ref().map(|l| l.username.as_str()), Some("tl3"));
    assert_eq!(team.member_count, 1, "the leader joins the team");

    let renamed = app
        .patch(&format!("/api/teams/{}", team.id), &admin, &json!({ "version": team.version, "name": "Tim Tiga" }))
        .await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert_eq!(renamed.body["name"], "Tim Tiga");
    let stale = app
        .patch(&format!("/api/teams/{}", team.id), &admin, &json!({ "version": team.version, "name": "Tim 3b" }))
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let teams: Page<Team> = app.get("/api/teams", &admin).await.json();
    assert_eq!(teams.items.len(), 3);
    assert_eq!(app.get(&format!("/api/teams/{}", team.id), &admin).await.body["name"], "Tim Tiga");
}

async fn missing_users_are_404(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    assert_eq!(app.get("/api/users/9999", &admin).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/users/abc", &admin).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.patch("/api/users/9999", &admin, &json!({ "version": 1, "position": "x" })).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/api/teams/9999", &admin).await.status, StatusCode::NOT_FOUND);
}

/// When an agent changes team, their follow-ups still open go to the new team leader (who also
/// sees those cases); a RETURN made later on an older case goes to the new team too; what was
/// closed, and the cases themselves, stay with the team they were made in.
async fn an_agent_who_changes_team_takes_their_open_followups_along(backend: Backend) {
    use crate::cases::{case_of, give_back, import_ok};
    use domain::api::AuditEntry;
    use domain::cases::{Case, Followup};
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    import_ok(
        &app,
        &qrd,
        &[
            "131000000301,Budi Santoso,CT-0,N+2,350.000,agent1,2025-03-03 09:00,janji bayar,2025-03-05,EB-301",
            "131000000302,Sri Wahyuni,CT-0,N+2,350.000,agent1,2025-03-03 10:00,janji bayar,2025-03-05,EB-302",
            "131000000303,Ahmad Fauzi,CT-0,N+2,350.000,agent1,2025-03-03 11:00,janji bayar,2025-03-05,EB-303",
        ],
    )
    .await;
    let qco = app.token("qco1").await;
    let mut followups = Vec::new();
    for no in ["131000000301", "131000000302"] {
        let case = case_of(&app, &qrd, no).await;
        let made = app.post(&format!("/api/cases/{}/validation", case.id), Some(&qco), &give_back("Ulangi.")).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        followups.push(made.body["validation"]["followup_id"].as_i64().unwrap());
    }
    let (open, done) = (followups[0], followups[1]);
    let agent1 = app.token("agent1").await;
    let recare = json!({ "note": "Sudah caring ulang.", "recare_call_ref": "EB-RC-301", "recared_at": chrono::Utc::now().to_rfc3339() });
    assert_eq!(app.post(&format!("/api/followups/{done}/recare"), Some(&agent1), &recare).await.status, StatusCode::OK);
    let close = json!({ "decision": "close", "comment": "" });
    assert_eq!(app.post(&format!("/api/followups/{done}/verify"), Some(&qco), &close).await.status, StatusCode::OK);

    let (tl1, tl2) = (app.token("tl1").await, app.token("tl2").await);
    let agent_id = crate::cases::user_id(&app, "agent1").await;
    let admin = app.token("admin").await;
    let agent: User = app.get(&format!("/api/users/{agent_id}"), &admin).await.json();
    let old_team = agent.team.as_ref().unwrap().id;
    let team2: Team = app.get("/api/teams?limit=100", &admin).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| serde_json::from_value::<Team>(t.clone()).unwrap())
        .find(|t| t.id != old_team && t.leader.as_ref().is_some_and(|l| l.username == "tl2"))
        .expect("tl2's team");
    let seen_before: Followup = app.get(&format!("/api/followups/{open}"), &tl1).await.json();
    let theirs: Page<Followup> = app.get(&format!("/api/followups?agent_id={agent_id}&limit=500"), &qrd).await.json();
    let not_closed: Vec<i64> =
        theirs.items.iter().filter(|f| f.status != domain::cases::FollowupStatus::Closed).map(|f| f.id).collect();
    assert!(not_closed.contains(&open) && !not_closed.contains(&done));
    let moved = app
        .patch(&format!("/api/users/{agent_id}"), &admin, &json!({ "version": agent.version, "team_id": team2.id }))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);

    // The open follow-up and its case are the new team leader's now; the old one no longer sees it.
    let now_open: Followup = app.get(&format!("/api/followups/{open}"), &tl2).await.json();
    assert_eq!(now_open.team_id, Some(team2.id));
    assert_eq!(now_open.version, seen_before.version + 1, "a page holding the old version reloads");
    let case_open = case_of(&app, &qrd, "131000000301").await;
    assert_eq!(app.get(&format!("/api/cases/{}", case_open.id), &tl2).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/followups/{open}"), &tl1).await.status, StatusCode::NOT_FOUND);
    let tl2_list: Page<Followup> = app.get("/api/followups?limit=500", &tl2).await.json();
    for id in &not_closed {
        assert!(tl2_list.items.iter().any(|f| f.id == *id), "every follow-up not closed moved: {id}");
    }
    // What was closed, and the cases as records, stay with the team they were made in.
    let closed: Followup = app.get(&format!("/api/followups/{done}"), &tl1).await.json();
    assert_eq!(closed.team_id, Some(old_team));
    assert_eq!(app.get(&format!("/api/followups/{done}"), &tl2).await.status, StatusCode::NOT_FOUND);
    let case_done: Case =
        app.get(&format!("/api/cases/{}", case_of(&app, &qrd, "131000000302").await.id), &tl1).await.json();
    assert_eq!(case_done.team_id, Some(old_team));
    assert_eq!(case_open.team_id, Some(old_team), "the case keeps the team of its call");

    // A RETURN made now on a case of the old team goes to the agent's team of today.
    let later = case_of(&app, &qrd, "131000000303").await;
    let made = app.post(&format!("/api/cases/{}/validation", later.id), Some(&qco), &give_back("Ulangi.")).await;
    let fresh = made.body["validation"]["followup_id"].as_i64().unwrap();
    let fresh: Followup = app.get(&format!("/api/followups/{fresh}"), &tl2).await.json();
    assert_eq!(fresh.team_id, Some(team2.id));
    assert_eq!(app.get(&format!("/api/followups/{}", fresh.id), &tl1).await.status, StatusCode::NOT_FOUND);

    // The move is one audited change that says how many follow-ups went along.
    let audit: Page<AuditEntry> = app.get("/api/audit?entity=user&limit=50", &admin).await.json();
    let entry = audit.items.iter().find(|e| e.action == "user.updated").expect("audited");
    assert_eq!(entry.payload["open_followups_moved"], not_closed.len());
    assert_eq!(entry.payload["team_id"]["to"], team2.id);
}

/// The admin's help for a locked-out user: the list shows the lock (until when) and the last
/// login, to the admin only; the admin lifts the lock, audited, and the user logs in at once.
async fn the_admin_sees_a_lock_out_and_the_last_login_and_lifts_the_lock(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let find = |page: &Page<User>| page.items.iter().find(|u| u.username == "qco1").cloned().expect("qco1 is listed");
    let before: Page<User> = app.get("/api/users?q=qco1", &admin).await.json();
    let qco1 = find(&before);
    assert_eq!((qco1.locked_until.as_deref(), qco1.last_login_at.as_deref()), (None, None), "never logged in");

    app.login("qco1", DEMO_PASSWORD).await;
    for n in 0..5 {
        assert_eq!(app.try_login("qco1", &format!("salah-{n}")).await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.try_login("qco1", DEMO_PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);

    let locked: Page<User> = app.get("/api/users?q=qco1", &admin).await.json();
    let qco1 = find(&locked);
    let until = chrono::DateTime::parse_from_rfc3339(qco1.locked_until.as_deref().expect("locked")).unwrap();
    let minutes = (until.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_minutes();
    assert!((13..=15).contains(&minutes), "locked for about 15 minutes: {minutes}");
    assert!(qco1.last_login_at.is_some(), "the login before the lock");
    let one: User = app.get(&format!("/api/users/{}", qco1.id), &admin).await.json();
    assert_eq!(one.locked_until, qco1.locked_until);
    // Other roles that list users see neither.
    let manager = app.token("manager").await;
    let seen = app.get("/api/users?q=qco1", &manager).await;
    assert!(
        seen.body["items"][0].get("locked_until").is_none() && seen.body["items"][0].get("last_login_at").is_none()
    );
    let unlock = format!("/api/users/{}/unlock", qco1.id);
    assert_eq!(app.post(&unlock, Some(&manager), &json!({})).await.status, StatusCode::FORBIDDEN);

    let audit_before = app.count("audit_log WHERE action = 'user.unlocked'").await;
    let lifted = app.post(&unlock, Some(&admin), &json!({})).await;
    assert_eq!(lifted.status, StatusCode::OK, "{}", lifted.body);
    let lifted: User = lifted.json();
    assert_eq!(lifted.locked_until, None);
    assert_eq!(app.count("audit_log WHERE action = 'user.unlocked'").await, audit_before + 1);
    let audit = app.get("/api/audit?entity=user&limit=500", &admin).await;
    let entries = audit.body["items"].as_array().expect("entries");
    let entry = entries.iter().find(|e| e["action"] == "user.unlocked").expect("the unlock is audited");
    assert_eq!(entry["payload"]["failures"], 5, "{entry}");
    assert_eq!(entry["payload"]["username"], "qco1");
    assert_eq!(entry["actor"], "admin");
    app.login("qco1", DEMO_PASSWORD).await;

    // Nothing to lift: answered as they are, nothing written.
    assert_eq!(app.post(&unlock, Some(&admin), &json!({})).await.status, StatusCode::OK);
    assert_eq!(app.count("audit_log WHERE action = 'user.unlocked'").await, audit_before + 1);
    assert_eq!(app.post("/api/users/999999/unlock", Some(&admin), &json!({})).await.status, StatusCode::NOT_FOUND);
}

/// The admin's one-time password for a user who forgot theirs: the user's logins end, and at the
/// next login only the password change (and their account, and logging out) is answered until
/// they have made a password of their own. Audited without the password.
async fn a_one_time_password_must_be_changed_before_anything_else(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let old = app.token("agent1").await;
    let agent1: Page<User> = app.get("/api/users?q=agent1", &admin).await.json();
    let id = agent1.items[0].id;
    let path = format!("/api/users/{id}/password");
    let secret = "sementara-123";

    // Checked before anything changes: the role, the password's rules, the admin's own account.
    let manager = app.token("manager").await;
    assert_eq!(app.post(&path, Some(&manager), &json!({ "password": secret })).await.status, StatusCode::FORBIDDEN);
    let short = app.post(&path, Some(&admin), &json!({ "password": "pendek" })).await;
    assert_eq!(
        (short.status, short.body["fields"]["password"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("too_short"))
    );
    let me: User = app.get("/api/me", &admin).await.json();
    let own = app.post(&format!("/api/users/{}/password", me.id), Some(&admin), &json!({ "password": secret })).await;
    assert_eq!(
        (own.status, own.body["fields"]["password"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("own_account"))
    );
    assert_eq!(
        app.post("/api/users/999999/password", Some(&admin), &json!({ "password": secret })).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/api/cases", &old).await.status, StatusCode::OK, "nothing changed yet");

    let set = app.post(&path, Some(&admin), &json!({ "password": secret })).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert!(set.json::<User>().must_change_password);
    assert_eq!(app.get("/api/me", &old).await.status, StatusCode::UNAUTHORIZED, "the old login ended");
    assert_eq!(app.try_login("agent1", DEMO_PASSWORD).await.status, StatusCode::UNAUTHORIZED);

    let pair = app.login("agent1", secret).await;
    assert!(pair.user.must_change_password);
    let token = pair.access_token.clone();
    let refused = app.get("/api/cases", &token).await;
    assert_eq!((refused.status, refused.error()), (StatusCode::FORBIDDEN, "password_change_required"));
    assert_eq!(app.get("/api/me/tasks", &token).await.status, StatusCode::FORBIDDEN);
    assert!(app.get("/api/me", &token).await.json::<User>().must_change_password);
    // The one-time password is not kept as the new one.
    let kept = app
        .post("/api/me/password", Some(&token), &json!({ "current_password": secret, "new_password": secret }))
        .await;
    assert_eq!(
        (kept.status, kept.body["fields"]["new_password"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unchanged"))
    );
    let changed = app
        .post(
            "/api/me/password",
            Some(&token),
            &json!({ "current_password": secret, "new_password": "milik-saya-sendiri" }),
        )
        .await;
    assert!(changed.status.is_success(), "{}", changed.body);
    assert!(!app.get("/api/me", &token).await.json::<User>().must_change_password);
    assert_eq!(app.get("/api/cases", &token).await.status, StatusCode::OK);

    let audit = app.get("/api/audit?entity=user&limit=500", &admin).await;
    let entries = audit.body["items"].as_array().expect("entries");
    let entry = entries.iter().find(|e| e["action"] == "user.password_reset").expect("the reset is audited");
    assert_eq!((entry["payload"]["username"].as_str(), entry["actor"].as_str()), (Some("agent1"), Some("admin")));
    assert!(!audit.body.to_string().contains(secret), "the password is never in the audit trail");
}
