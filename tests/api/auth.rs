//! Login, lock-out, tokens, refresh rotation and reuse, logout, password change.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::api::{TokenPair, User};
use reqwest::{Method, StatusCode};
use serde_json::json;
use tests::{Backend, DEMO_PASSWORD, TEST_JWT_SECRET, on_both_databases, spawn_app};

on_both_databases!(
    login_returns_tokens_and_the_user,
    unknown_user_and_wrong_password_answer_alike,
    five_failures_in_a_row_lock_the_username,
    a_good_login_resets_the_failure_count,
    me_needs_a_valid_token,
    forged_expired_and_unsigned_tokens_are_refused,
    refresh_rotates_and_the_old_token_stops_working,
    reusing_a_spent_refresh_token_revokes_the_login,
    logout_ends_the_login,
    password_change_checks_the_current_password_and_length,
    deactivated_user_cannot_log_in_and_their_tokens_die,
);

async fn login_returns_tokens_and_the_user(backend: Backend) {
    let app = spawn_app(backend).await;
    let pair = app.login("manager", DEMO_PASSWORD).await;
    assert_eq!(pair.expires_in, 900);
    assert_eq!(pair.user.username, "manager");
    assert_eq!(pair.user.full_name, "Mokh.arifin");
    assert_eq!(pair.user.position, "Manager");
    assert!(!pair.refresh_token.is_empty());
    let me: User = app.get("/api/me", &pair.access_token).await.json();
    assert_eq!(me.role, domain::Role::Manager);
}

async fn unknown_user_and_wrong_password_answer_alike(backend: Backend) {
    let app = spawn_app(backend).await;
    let unknown = app.try_login("nobody", "whatever-password").await;
    let wrong = app.try_login("agent1", "not-the-password").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.body, wrong.body);
    assert_eq!(unknown.error(), "invalid_credentials");
}

async fn five_failures_in_a_row_lock_the_username(backend: Backend) {
    let app = spawn_app(backend).await;
    for attempt in 1..=5 {
        let reply = app.try_login("agent2", "wrong-password").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    // Locked now, even with the right password.
    let locked = app.try_login("agent2", DEMO_PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.error(), "too_many_attempts");
    let retry: u64 = locked.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 14 * 60 && retry <= 15 * 60, "retry-after {retry}");
    // Other usernames are not affected.
    app.login("agent1", DEMO_PASSWORD).await;
    // Unknown usernames lock too, so probing reveals nothing.
    for _ in 0..5 {
        app.try_login("ghost", "wrong-password").await;
    }
    assert_eq!(app.try_login("ghost", "wrong-password").await.status, StatusCode::TOO_MANY_REQUESTS);

    let admin = app.token("admin").await;
    let audit = app.get("/api/audit?limit=500", &admin).await;
    let actions: Vec<&str> =
        audit.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "auth.lockout").count(), 2);
    assert!(actions.iter().filter(|a| **a == "auth.login_failed").count() >= 10);
}

async fn a_good_login_resets_the_failure_count(backend: Backend) {
    let app = spawn_app(backend).await;
    for _ in 0..4 {
        app.try_login("qco1", "wrong-password").await;
    }
    app.login("qco1", DEMO_PASSWORD).await;
    for _ in 0..4 {
        assert_eq!(app.try_login("qco1", "wrong-password").await.status, StatusCode::UNAUTHORIZED);
    }
    app.login("qco1", DEMO_PASSWORD).await;
}

async fn me_needs_a_valid_token(backend: Backend) {
    let app = spawn_app(backend).await;
    let none = app.request::<()>(Method::GET, "/api/me", None, None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.error(), "unauthenticated");
    let garbage = app.get("/api/me", "not.a.token").await;
    assert_eq!(garbage.status, StatusCode::UNAUTHORIZED);
    let basic = app.client.get(app.url("/api/me")).header("authorization", "Basic YWRtaW46eA==").send().await.unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
}

fn forge(header: serde_json::Value, claims: serde_json::Value, secret: &[u8]) -> String {
    use jsonwebtoken::{EncodingKey, Header, encode};
    if header["alg"] == "none" {
        let h = URL_SAFE_NO_PAD.encode(header.to_string());
        let c = URL_SAFE_NO_PAD.encode(claims.to_string());
        return format!("{h}.{c}.");
    }
    encode(&Header::new(jsonwebtoken::Algorithm::HS256), &claims, &EncodingKey::from_secret(secret)).unwrap()
}

async fn forged_expired_and_unsigned_tokens_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let pair = app.login("admin", DEMO_PASSWORD).await;
    let claims: serde_json::Value = {
        let part = pair.access_token.split('.').nth(1).unwrap();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    };
    let now = chrono::Utc::now().timestamp();
    // The real claims, correctly signed: accepted (the forging works).
    let same = forge(json!({"alg": "HS256"}), claims.clone(), TEST_JWT_SECRET.as_bytes());
    assert_eq!(app.get("/api/me", &same).await.status, StatusCode::OK);

    let mut expired = claims.clone();
    expired["exp"] = json!(now - 60);
    let expired = forge(json!({"alg": "HS256"}), expired, TEST_JWT_SECRET.as_bytes());
    assert_eq!(app.get("/api/me", &expired).await.status, StatusCode::UNAUTHORIZED);

    let wrong_key = forge(json!({"alg": "HS256"}), claims.clone(), b"some-other-secret-some-other-secret!");
    assert_eq!(app.get("/api/me", &wrong_key).await.status, StatusCode::UNAUTHORIZED);

    let unsigned = forge(json!({"alg": "none", "typ": "JWT"}), claims.clone(), b"");
    assert_eq!(app.get("/api/me", &unsigned).await.status, StatusCode::UNAUTHORIZED);

    let mut no_exp = claims.clone();
    no_exp.as_object_mut().unwrap().remove("exp");
    let no_exp = forge(json!({"alg": "HS256"}), no_exp, TEST_JWT_SECRET.as_bytes());
    assert_eq!(app.get("/api/me", &no_exp).await.status, StatusCode::UNAUTHORIZED);

    let mut other_user = claims.clone();
    other_user["sub"] = json!("2");
    let other_user = forge(json!({"alg": "HS256"}), other_user, TEST_JWT_SECRET.as_bytes());
    assert_eq!(app.get("/api/me", &other_user).await.status, StatusCode::UNAUTHORIZED, "a session belongs to one user");
}

async fn refresh_rotates_and_the_old_token_stops_working(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = app.login("tl1", DEMO_PASSWORD).await;
    let reply = app.post("/api/auth/refresh", None, &json!({ "refresh_token": first.refresh_token })).await;
    assert_eq!(reply.status, StatusCode::OK);
    let second: TokenPair = reply.json();
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(app.get("/api/me", &second.access_token).await.status, StatusCode::OK);
    let bogus = app.post("/api/auth/refresh", None, &json!({ "refresh_token": "made-up" })).await;
    assert_eq!(bogus.status, StatusCode::UNAUTHORIZED);
}

async fn reusing_a_spent_refresh_token_revokes_the_login(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = app.login("tl1", DEMO_PASSWORD).await;
    let second: TokenPair =
        app.post("/api/auth/refresh", None, &json!({ "refresh_token": first.refresh_token })).await.json();
    let other_login = app.login("tl1", DEMO_PASSWORD).await;
    // Past the few seconds in which a second tab's simultaneous refresh is let through.
    crate::hardening::age_spent_refresh_tokens(&app).await;

    let reuse = app.post("/api/auth/refresh", None, &json!({ "refresh_token": first.refresh_token })).await;
    assert_eq!(reuse.status, StatusCode::UNAUTHORIZED);
    // Every token of that login is dead: the newer refresh token and its access token.
    let after = app.post("/api/auth/refresh", None, &json!({ "refresh_token": second.refresh_token })).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/me", &second.access_token).await.status, StatusCode::UNAUTHORIZED);
    // Another login of the same user lives on.
    assert_eq!(app.get("/api/me", &other_login.access_token).await.status, StatusCode::OK);
}

async fn logout_ends_the_login(backend: Backend) {
    let app = spawn_app(backend).await;
    let pair = app.login("qco2", DEMO_PASSWORD).await;
    let unauthenticated = app.post("/api/auth/logout", None, &json!({ "refresh_token": pair.refresh_token })).await;
    assert_eq!(unauthenticated.status, StatusCode::UNAUTHORIZED);
    let reply =
        app.post("/api/auth/logout", Some(&pair.access_token), &json!({ "refresh_token": pair.refresh_token })).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let refresh = app.post("/api/auth/refresh", None, &json!({ "refresh_token": pair.refresh_token })).await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/me", &pair.access_token).await.status, StatusCode::UNAUTHORIZED);
}

async fn password_change_checks_the_current_password_and_length(backend: Backend) {
    let app = spawn_app(backend).await;
    let pair = app.login("agent3", DEMO_PASSWORD).await;
    let other = app.login("agent3", DEMO_PASSWORD).await;
    let token = pair.access_token.as_str();

    let wrong = app
        .post(
            "/api/me/password",
            Some(token),
            &json!({ "current_password": "nope-nope-nope", "new_password": "a-new-secret-1" }),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.error(), "wrong_password");
    let short = app
        .post("/api/me/password", Some(token), &json!({ "current_password": DEMO_PASSWORD, "new_password": "short" }))
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.body["fields"]["new_password"], "too_short");
    assert_eq!(app.try_login("agent3", DEMO_PASSWORD).await.status, StatusCode::OK, "nothing changed yet");

    let ok = app
        .post(
            "/api/me/password",
            Some(token),
            &json!({ "current_password": DEMO_PASSWORD, "new_password": "kata-sandi-baru-2026" }),
        )
        .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    assert_eq!(app.try_login("agent3", DEMO_PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    app.login("agent3", "kata-sandi-baru-2026").await;
    // This login lives on; the other one ended.
    assert_eq!(app.get("/api/me", token).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/me", &other.access_token).await.status, StatusCode::UNAUTHORIZED);
}

async fn deactivated_user_cannot_log_in_and_their_tokens_die(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let agent = app.login("agent1", DEMO_PASSWORD).await;
    let reply = app
        .patch(
            &format!("/api/users/{}", agent.user.id),
            &admin,
            &json!({ "version": agent.user.version, "active": false }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["active"], false);
    assert_eq!(app.get("/api/me", &agent.access_token).await.status, StatusCode::UNAUTHORIZED);
    let refresh = app.post("/api/auth/refresh", None, &json!({ "refresh_token": agent.refresh_token })).await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.try_login("agent1", DEMO_PASSWORD).await.error(), "invalid_credentials");
}
