//! The end-to-end test harness: [`spawn_app`] starts a real Mutu server in this process on a
//! random port, on a fresh database of its own (a new SQLite file, or a new database on the
//! PostgreSQL server that `cargo xtask test` starts), and returns a typed [`TestApp`].
//!
//! Logs are shown only with `TEST_LOG=1`. [`hostile`] makes the hostile import files.

pub mod hostile;

pub mod openapi;

pub mod smtp;

use domain::api::TokenPair;
use mutu_backend::{App, Config};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Once;

/// The JWT secret of test servers, so tests can forge tokens on purpose.
pub const TEST_JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";
pub const DEMO_PASSWORD: &str = "mutu-demo-2024";
/// The audit key of test servers (kept out of the user's configuration directory).
pub const TEST_AUDIT_KEY: &str = "test-audit-key-test-audit-key-0123456789";

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and a client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub app: App,
    pub backend: Backend,
    pub database_url: String,
    _server: tokio::task::JoinHandle<()>,
}

/// A test's own database, removed when the test ends (its runtime, and with it the server, goes),
/// passed or failed: a run of the suite makes some 300, and PostgreSQL stops when the disk fills up.
struct Scratch {
    backend: Backend,
    url: String,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        match self.backend {
            Backend::Sqlite => {
                let path = self.url.trim_start_matches("sqlite://");
                let path = path.split_once('?').map_or(path, |(path, _)| path);
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{path}{suffix}"));
                }
            }
            Backend::Postgres => {
                let (Ok(admin), Some((_, name))) = (std::env::var("MUTU_TEST_PG_URL"), self.url.rsplit_once('/'))
                else {
                    return;
                };
                let name = name.to_owned();
                // Drop runs inside the test's runtime, which cannot be blocked on: a thread of its own.
                let dropped = std::thread::spawn(move || {
                    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                        return;
                    };
                    runtime.block_on(async {
                        if let Ok(conn) = Database::connect(admin.as_str()).await {
                            // FORCE: the app's own connections are still open.
                            let _ =
                                conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                            let _ = conn.close().await;
                        }
                    });
                });
                let _ = dropped.join();
            }
        }
    }
}

/// The answer to a request: status, headers and the JSON body (`Null` when there is none).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.body.clone()).unwrap_or_else(|e| panic!("unexpected body {}: {e}", self.body))
    }

    /// The `error` code of an error body.
    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or("")
    }
}

fn init_logs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            let _ = tracing_subscriber::fmt().with_env_filter("info,sqlx=warn").with_test_writer().try_init();
        }
    });
}

/// A directory under the workspace's `target/` for this run's files.
pub fn scratch_dir(kind: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/test-data").join(kind);
    std::fs::create_dir_all(&dir).expect("create target/test-data");
    dir
}

/// A fresh, empty database for one test.
pub async fn fresh_database(backend: Backend) -> String {
    let name = format!("mutu_test_{}", uuid::Uuid::new_v4().simple());
    match backend {
        Backend::Sqlite => {
            let path = scratch_dir("sqlite").join(format!("{name}.db"));
            format!("sqlite://{}?mode=rwc", path.display())
        }
        Backend::Postgres => {
            let admin = std::env::var("MUTU_TEST_PG_URL")
                .expect("MUTU_TEST_PG_URL is not set: run the suite with `cargo xtask test`, which starts PostgreSQL");
            let conn = Database::connect(admin.as_str()).await.expect("connect to the test PostgreSQL server");
            conn.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create the test database");
            conn.close().await.ok();
            let base = admin.rsplit_once('/').map(|(base, _)| base).unwrap_or(&admin);
            format!("{base}/{name}")
        }
    }
}

/// Options of [`spawn_app_with`].
pub struct Spawn {
    pub demo: bool,
    pub static_dir: Option<PathBuf>,
    pub access_ttl_secs: u64,
    /// Changes the server's configuration before it starts (limits and timeouts under test).
    pub configure: fn(&mut Config),
    /// The mail settings (mail is off without them).
    pub mail: Option<mutu_backend::mail::MailSettings>,
    /// Another server's database, to run a second server on it (the demo data is there already).
    pub database_url: Option<String>,
}

impl Default for Spawn {
    fn default() -> Self {
        Spawn { demo: true, static_dir: None, access_ttl_secs: 900, configure: |_| {}, mail: None, database_url: None }
    }
}

/// The configuration of a test server on `database_url`: the test JWT secret and audit key
/// (every server of one database needs the same), and an anchor file of its own.
pub fn test_config(database_url: &str) -> Config {
    let mut config = Config::for_database(database_url);
    config.jwt_secret = Some(TEST_JWT_SECRET.into());
    config.audit_key = Some(TEST_AUDIT_KEY.into());
    config.audit_anchor_file = Some(scratch_dir("anchors").join(format!("{}.jsonl", uuid::Uuid::new_v4().simple())));
    config
}

/// A server with the demo data on a fresh database.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, Spawn::default()).await
}

pub async fn spawn_app_with(backend: Backend, options: Spawn) -> TestApp {
    init_logs();
    let owned = options.database_url.is_none();
    let database_url = match options.database_url {
        Some(url) => url,
        None => fresh_database(backend).await,
    };
    let scratch = owned.then(|| Scratch { backend, url: database_url.clone() });
    let mut config = test_config(&database_url);
    config.mail = options.mail;
    config.access_ttl = std::time::Duration::from_secs(options.access_ttl_secs);
    config.static_dir = options
        .static_dir
        .or_else(|| std::env::var("MUTU_TEST_STATIC_DIR").ok().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist"));
    (options.configure)(&mut config);
    let app = App::start(config).await.expect("start the app");
    if options.demo {
        app.load_demo().await.expect("load the demo data");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
    let address = format!("http://{}", listener.local_addr().expect("local address"));
    let served = app.clone();
    // The database goes with the server, when the test's runtime ends: not with the `TestApp`,
    // which a scenario may drop while its server still answers the browser.
    let server = tokio::spawn(async move {
        let _scratch = scratch;
        mutu_backend::serve_until(listener, &served, std::future::pending()).await.expect("serve");
    });
    TestApp {
        address,
        client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client"),
        app,
        backend,
        database_url,
        _server: server,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// `host:port` of the server, for raw TCP clients.
    pub fn socket_address(&self) -> String {
        self.address.trim_start_matches("http://").to_owned()
    }

    /// Sends a request with an optional bearer token and JSON body.
    pub async fn request<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&B>,
    ) -> Reply {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        Self::reply(request.send().await.expect("send the request")).await
    }

    /// Sends raw bytes as a JSON body (for malformed input).
    pub async fn raw(&self, method: Method, path: &str, token: Option<&str>, bytes: Vec<u8>) -> Reply {
        let mut request =
            self.client.request(method, self.url(path)).header("content-type", "application/json").body(bytes);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::reply(request.send().await.expect("send the request")).await
    }

    /// Uploads `bytes` as the multipart field `file`, named `name`, to `path`. From a client of
    /// its own without pooling: after a refused upload the server closes the connection, which
    /// must not be reused by the next request.
    pub async fn upload(&self, path: &str, token: &str, name: &str, bytes: Vec<u8>) -> Reply {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
        let form = reqwest::multipart::Form::new().part("file", part);
        let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().expect("client");
        let response = client.post(self.url(path)).bearer_auth(token).multipart(form).send().await;
        Self::reply(response.expect("send the upload")).await
    }

    /// The response to a GET as it came, for what [`Reply`] does not keep: a download's bytes.
    pub async fn get_response(&self, path: &str, token: &str) -> reqwest::Response {
        self.client.get(self.url(path)).bearer_auth(token).send().await.expect("send the request")
    }

    pub async fn reply(response: reqwest::Response) -> Reply {
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("read the body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        let reply = Reply { status, headers, body };
        assert_typed_problems(&reply, "an answer");
        reply
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.request::<()>(Method::GET, path, Some(token), None).await
    }

    pub async fn post<B: Serialize>(&self, path: &str, token: Option<&str>, body: &B) -> Reply {
        self.request(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch<B: Serialize>(&self, path: &str, token: &str, body: &B) -> Reply {
        self.request(Method::PATCH, path, Some(token), Some(body)).await
    }

    /// Logs in and returns the reply (any status).
    pub async fn try_login(&self, username: &str, password: &str) -> Reply {
        self.post("/api/auth/login", None, &serde_json::json!({ "username": username, "password": password })).await
    }

    /// Logs in a user that must succeed.
    pub async fn login(&self, username: &str, password: &str) -> TokenPair {
        let reply = self.try_login(username, password).await;
        assert_eq!(reply.status, StatusCode::OK, "login of {username} failed: {}", reply.body);
        reply.json()
    }

    /// Logs in a demo user and returns the access token.
    pub async fn token(&self, username: &str) -> String {
        self.login(username, DEMO_PASSWORD).await.access_token
    }

    /// Runs a SQL statement directly on this test's database (for tampering tests).
    pub async fn sql(&self, statement: &str) -> Result<(), String> {
        self.app.state.db.conn.execute_unprepared(statement).await.map(|_| ()).map_err(|e| e.to_string())
    }

    /// Adds `count` agents of team 1 straight to the `users` table: usernames `massal1`, `massal2`,
    /// …, full names `{full_name} 1`, …, active where the SQL condition `active` holds of their
    /// number `i`. A site's worth of accounts, without hashing as many passwords.
    pub async fn insert_agents(&self, count: u32, full_name: &str, active: &str) {
        self.sql(&format!(
            "INSERT INTO users (username, password_hash, full_name, position, role, team_id, active, version, created_at, updated_at) \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) \
             SELECT 'massal' || i, 'x', '{full_name} ' || i, 'Agent CT-0', 'agent', 1, {active}, 1, \
             (SELECT created_at FROM users WHERE username = 'admin'), (SELECT updated_at FROM users WHERE username = 'admin') FROM n"
        ))
        .await
        .unwrap_or_else(|e| panic!("add the agents: {e}"));
    }

    /// Counts rows of a table directly in the database.
    pub async fn count(&self, table: &str) -> i64 {
        let backend = self.app.state.db.conn.get_database_backend();
        let row = self
            .app
            .state
            .db
            .conn
            .query_one_raw(sea_orm::Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM {table}")))
            .await
            .expect("count query")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("count")
    }

    /// The tables of the schema.
    pub async fn table_names(&self) -> Vec<String> {
        let conn = &self.app.state.db.conn;
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
            }
        };
        let rows = conn
            .query_all_raw(sea_orm::Statement::from_string(conn.get_database_backend(), sql))
            .await
            .expect("list the tables");
        rows.into_iter().map(|row| row.try_get::<String>("", "name").expect("a table name")).collect()
    }

    /// The number of rows of every table, by name, in one query (to check that a refused
    /// request wrote nothing anywhere).
    pub async fn table_counts(&self) -> std::collections::BTreeMap<String, i64> {
        let names = self.table_names().await;
        self.counts_of(&names).await
    }

    /// The number of rows of each of `tables`, in one query.
    pub async fn counts_of(&self, tables: &[String]) -> std::collections::BTreeMap<String, i64> {
        let conn = &self.app.state.db.conn;
        let sql = tables
            .iter()
            .map(|t| format!("SELECT '{t}' AS name, COUNT(*) AS n FROM \"{t}\""))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let rows = conn
            .query_all_raw(sea_orm::Statement::from_string(conn.get_database_backend(), sql))
            .await
            .expect("count the rows");
        rows.into_iter()
            .map(|row| {
                (row.try_get::<String>("", "name").expect("a name"), row.try_get::<i64>("", "n").expect("a count"))
            })
            .collect()
    }

    /// Sends a request with a raw path and query (kept exactly as written, `%00` and all).
    pub async fn send(&self, method: Method, path_and_query: &str, token: Option<&str>, body: Option<&Value>) -> Reply {
        let mut request = self.client.request(method, self.url(path_and_query));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        Self::reply(request.send().await.expect("send the request")).await
    }
}

/// Asserts that every problem an answer names is a typed code the browser words
/// (`domain::problems`): each `fields` value a `Problem`, a 409's `error` a `Conflict`. Checked
/// on every answer the tests read, so no route can send a sentence instead of a code.
pub fn assert_typed_problems(reply: &Reply, context: &str) {
    if !reply.status.is_client_error() {
        return;
    }
    // Every problem is a typed code the browser words (`domain::problems`), never a sentence.
    // The agree import's refusal of a whole file is typed on its own (`file_problem`), and its
    // code is `fields.file`.
    let file_problem = reply.body.get("file_problem").map(|problem| {
        let typed = serde_json::from_value::<domain::cases::FileProblem>(problem.clone());
        typed.unwrap_or_else(|e| panic!("{context}: file_problem {problem} is not a FileProblem: {e}"))
    });
    for (field, problem) in reply.body.get("fields").and_then(Value::as_object).into_iter().flatten() {
        let problem = problem.as_str().unwrap_or_default();
        if let Some(file_problem) = file_problem.as_ref().filter(|_| field == "file") {
            assert_eq!(problem, file_problem.code(), "{context}: fields.file is not file_problem's code");
            continue;
        }
        let typed = problem.parse::<domain::problems::Problem>().is_ok();
        assert!(typed, "{context}: {field}: {problem:?} is not a domain::problems::Problem code");
    }
    if reply.status == StatusCode::CONFLICT {
        let code = reply.body["error"].as_str().unwrap_or_default();
        let typed = code.parse::<domain::problems::Conflict>().is_ok();
        assert!(typed, "{context}: 409 {code:?} is not a domain::problems::Conflict code");
    }
}

/// Asserts that an error answer is in the shape of api.md: `error` and `message` strings, an
/// optional `fields` object of strings, and no internals.
pub fn assert_error_shape(reply: &Reply, context: &str) {
    assert!(reply.body["error"].is_string(), "{context}: no error code in {}", reply.body);
    assert!(reply.body["message"].is_string(), "{context}: no message in {}", reply.body);
    if let Some(fields) = reply.body.get("fields") {
        let ok = fields.as_object().is_some_and(|f| f.values().all(Value::is_string));
        assert!(ok, "{context}: fields is not an object of strings: {}", reply.body);
    }
    assert_typed_problems(reply, context);
    let text = reply.body.to_string().to_lowercase();
    for leak in ["sqlite", "postgres", "select ", "insert ", "panicked", "/root/", "backend/src", "sqlx"] {
        assert!(!text.contains(leak), "{context}: {leak} leaked in {text}");
    }
}

/// Runs each listed `async fn name(backend: Backend)` as two tests, on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { super::$name($crate::Backend::Sqlite).await }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { super::$name($crate::Backend::Postgres).await }
            )*
        }
    };
}
