//! Durability: a real `mutu` server process under concurrent write load is killed with SIGKILL
//! at a random moment, restarted on the same database, and then every write it acknowledged
//! (201) is there, nothing half-written is visible (each team has its one audit entry and each
//! audit entry its team), and the audit chain verifies, anchors included. Three rounds per
//! database.
//!
//! The server is this test binary run again as a separate process, told by
//! `MUTU_DURABILITY_SERVER` to run [`server_process`] only: the same start-up and serving as
//! `mutu serve` (configuration from `MUTU_*`, `App::start`, the background work, `serve`), with no
//! second build of the server (the `mutu` binary's dependencies are built with other features
//! than the tests', which would rebuild most of them).

use domain::api::{AnchorStatus, AuditEntry, AuditVerification, Page, Team};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tests::{Backend, DEMO_PASSWORD, TEST_AUDIT_KEY, TEST_JWT_SECRET, on_both_databases, scratch_dir};

on_both_databases!(acknowledged_writes_survive_sigkill_under_load);

/// Set in the server process's environment: `0` to serve, `1` to load the demo data first.
const SERVER_VARIABLE: &str = "MUTU_DURABILITY_SERVER";
/// The full name of [`server_process`] in this test binary.
const SERVER_TEST: &str = "durability::server_process";

/// The server process: does nothing in a normal test run; in a process started by
/// [`Server::start`] it serves like `mutu serve [--demo]` until it is killed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_process() {
    let Ok(mode) = std::env::var(SERVER_VARIABLE) else { return };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            std::env::var("MUTU_LOG").unwrap_or_else(|_| "info".into()),
        ))
        .try_init();
    let config = mutu_backend::Config::from_env().expect("the MUTU_* configuration");
    let app = mutu_backend::App::start(config).await.expect("start");
    if mode == "1" {
        app.load_demo().await.expect("load the demo data");
    }
    app.spawn_background();
    let listener = tokio::net::TcpListener::bind(std::env::var("MUTU_BIND").expect("MUTU_BIND")).await.expect("listen");
    println!("Mutu is running at http://{}", listener.local_addr().expect("address"));
    mutu_backend::serve(listener, &app).await.expect("serve");
}

/// Kill-and-restart rounds per database.
const ROUNDS: usize = 3;
/// Clients writing at once.
const CLIENTS: usize = 8;
/// The load runs for a random time in this range before the kill.
const LOAD_MS: std::ops::Range<u64> = 300..1500;
/// Writes one client sends in a round at most (the kill normally comes first).
const MAX_WRITES_PER_CLIENT: usize = 2_000;
/// How long a server may take to start (a debug build, migrating and hashing passwords).
const START_DEADLINE: Duration = Duration::from_secs(60);
/// A write that hangs this long is given up (it is then neither acknowledged nor required).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// The prefix of the teams this test creates.
const PREFIX: &str = "Ketahanan";

/// A running server process; killed when dropped, so a failing test leaves none behind.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts a server process on `database_url` and waits until it prints its address.
    async fn start(database_url: &str, anchors: &Path, log: &Path, demo: bool) -> Server {
        let log_file = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("open the server log");
        let mut command = Command::new(std::env::current_exe().expect("this test binary"));
        command.args([SERVER_TEST, "--exact", "--nocapture", "--test-threads=1"]);
        command.env(SERVER_VARIABLE, if demo { "1" } else { "0" });
        for name in ["MUTU_AUDIT_KEY_FILE", "MUTU_AUDIT_ANCHOR_SECS", "MUTU_ACCESS_TTL_SECS", "MUTU_REFRESH_TTL_SECS"] {
            command.env_remove(name);
        }
        let static_dir = std::env::var("MUTU_TEST_STATIC_DIR").unwrap_or_else(|_| "frontend/dist".into());
        command
            .env("MUTU_DATABASE_URL", database_url)
            .env("MUTU_BIND", "127.0.0.1:0")
            .env("MUTU_JWT_SECRET", TEST_JWT_SECRET)
            .env("MUTU_AUDIT_KEY", TEST_AUDIT_KEY)
            .env("MUTU_AUDIT_ANCHOR_FILE", anchors)
            .env("MUTU_STATIC_DIR", static_dir)
            .env("MUTU_LOG", "info,sqlx=warn,sea_orm=warn,tower_http=warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file);
        let mut child = command.spawn().expect("start the mutu binary");
        let stdout = child.stdout.take().expect("the server's standard output");
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads standard output until the process ends, so the server never writes to a closed pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // The test harness may have begun the line ("test … ... ").
                if let Some((_, rest)) = line.split_once("Mutu is running at ") {
                    let _ = tx.send(rest.split_whitespace().next().unwrap_or_default().to_owned());
                }
            }
        });
        let mut server = Server { child, address: String::new() };
        let address = tokio::task::spawn_blocking(move || rx.recv_timeout(START_DEADLINE)).await.unwrap();
        match address {
            Ok(address) => server.address = address,
            Err(_) => panic!("the server did not start within {START_DEADLINE:?}; its log: {}", log.display()),
        }
        server
    }

    /// The process's peak resident memory so far, as Linux reports it (for the round's line).
    fn peak_rss(&self) -> String {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status.lines().find_map(|l| l.strip_prefix("VmHWM:")).map(|v| v.trim().to_owned()).unwrap_or_else(|| "?".into())
    }

    /// SIGKILL: no shutdown, no flushing, nothing finished.
    fn kill(mut self) {
        use std::os::unix::process::ExitStatusExt;
        self.child.kill().expect("send SIGKILL");
        let status = self.child.wait().expect("reap the server");
        assert_eq!(status.signal(), Some(9), "the server died of SIGKILL");
    }
}

/// A pseudo-random number in `range` (no seed to keep: each run kills at other moments).
fn random_in(range: std::ops::Range<u64>) -> u64 {
    range.start + (uuid::Uuid::new_v4().as_u128() % u128::from(range.end - range.start)) as u64
}

async fn login(client: &reqwest::Client, address: &str) -> String {
    let reply = client
        .post(format!("{address}/api/auth/login"))
        .json(&json!({ "username": "admin", "password": DEMO_PASSWORD }))
        .send()
        .await
        .expect("log in");
    assert_eq!(reply.status(), StatusCode::OK);
    let body: serde_json::Value = reply.json().await.unwrap();
    body["access_token"].as_str().expect("an access token").to_owned()
}

/// The JSON answer to a GET of `path`.
async fn get<T: serde::de::DeserializeOwned>(client: &reqwest::Client, address: &str, token: &str, path: &str) -> T {
    let reply = client.get(format!("{address}{path}")).bearer_auth(token).send().await.expect("get");
    reply.json().await.expect("a JSON answer")
}

/// Every item of a paged list.
async fn all<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    address: &str,
    token: &str,
    path: &str,
) -> Vec<T> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut url = format!("{address}{path}{separator}limit=500");
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let reply = client.get(url).bearer_auth(token).send().await.expect("list");
        assert_eq!(reply.status(), StatusCode::OK, "{path}");
        let page: Page<T> = reply.json().await.expect("a page");
        items.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return items,
        }
    }
}

/// Creates teams as fast as the server takes them until it stops answering. Returns the
/// acknowledged ones (id, name) and any answer that was neither 201 nor a lost connection.
async fn write_until_gone(
    client: reqwest::Client,
    address: String,
    token: String,
    round: usize,
    writer: usize,
) -> (Vec<(i64, String)>, Vec<String>) {
    let (mut acknowledged, mut unexpected) = (Vec::new(), Vec::new());
    for i in 0..MAX_WRITES_PER_CLIENT {
        let name = format!("{PREFIX} {round}-{writer}-{i}");
        let sent =
            client.post(format!("{address}/api/teams")).bearer_auth(&token).json(&json!({ "name": name })).send().await;
        let Ok(reply) = sent else { break };
        let status = reply.status();
        // A reply cut off by the kill is not an acknowledgement.
        let Ok(body) = reply.bytes().await else { break };
        if status == StatusCode::CREATED {
            match serde_json::from_slice::<Team>(&body) {
                Ok(team) => acknowledged.push((team.id, team.name)),
                Err(_) => break,
            }
        } else {
            unexpected.push(format!("{status}: {}", String::from_utf8_lossy(&body)));
        }
    }
    (acknowledged, unexpected)
}

/// What the restarted server must show: every acknowledged team, each of this test's teams with
/// exactly one `team.created` entry and no such entry without its team, and a chain that
/// verifies against its anchors.
async fn check(
    client: &reqwest::Client,
    address: &str,
    acknowledged: &BTreeMap<i64, String>,
    started_at: &str,
    log: &Path,
) {
    let token = login(client, address).await;
    let teams: BTreeMap<i64, String> = all::<Team>(client, address, &token, "/api/teams")
        .await
        .into_iter()
        .filter(|t| t.name.starts_with(PREFIX))
        .map(|t| (t.id, t.name))
        .collect();
    let lost: Vec<_> = acknowledged.iter().filter(|(id, name)| teams.get(id) != Some(name)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged writes are missing, e.g. {:?}",
        lost.len(),
        acknowledged.len(),
        &lost[..lost.len().min(5)]
    );

    let created: Vec<AuditEntry> = all::<AuditEntry>(client, address, &token, "/api/audit?entity=team")
        .await
        .into_iter()
        .filter(|e| e.action == "team.created" && e.payload["name"].as_str().is_some_and(|n| n.starts_with(PREFIX)))
        .collect();
    let mut audited = BTreeMap::new();
    for entry in &created {
        let id: i64 = entry.entity_id.as_deref().and_then(|id| id.parse().ok()).expect("a team id");
        *audited.entry(id).or_insert(0) += 1;
    }
    let teams_ids: BTreeSet<i64> = teams.keys().copied().collect();
    let audited_ids: BTreeSet<i64> = audited.keys().copied().collect();
    assert_eq!(teams_ids, audited_ids, "a team without its audit entry, or an entry without its team");
    assert!(audited.values().all(|&n| n == 1), "one audit entry per team");

    // The restarted server signs the head it found at start; wait for that, then walk the chain
    // (which is also checked against the anchors of the killed servers).
    let deadline = Instant::now() + START_DEADLINE;
    loop {
        let status: AnchorStatus = get(client, address, &token, "/api/audit/anchor").await;
        if let Some(latest) = status.latest.filter(|l| l.anchor.at.as_str() >= started_at) {
            assert!(latest.matches, "{latest:?}");
            break;
        }
        assert!(Instant::now() < deadline, "the restarted server did not anchor its head; its log: {}", log.display());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let verified: AuditVerification = get(client, address, &token, "/api/audit/verify").await;
    assert!(verified.ok, "the chain does not verify after a SIGKILL: {verified:?}; log: {}", log.display());
    assert!(verified.anchor.is_some_and(|a| a.matches));
}

async fn acknowledged_writes_survive_sigkill_under_load(backend: Backend) {
    let started = Instant::now();
    let database_url = tests::fresh_database(backend).await;
    let run = uuid::Uuid::new_v4().simple().to_string();
    let dir = scratch_dir("durability");
    let (anchors, log) = (dir.join(format!("{run}.anchors.jsonl")), dir.join(format!("{run}.log")));
    let client = reqwest::Client::builder().timeout(REQUEST_TIMEOUT).build().unwrap();
    let mut acknowledged: BTreeMap<i64, String> = BTreeMap::new();
    let mut server = Server::start(&database_url, &anchors, &log, true).await;

    for round in 0..ROUNDS {
        let token = login(&client, &server.address).await;
        let results = Arc::new(Mutex::new(Vec::new()));
        let mut writers = Vec::new();
        for writer in 0..CLIENTS {
            let (client, address, token, results) =
                (client.clone(), server.address.clone(), token.clone(), results.clone());
            writers.push(tokio::spawn(async move {
                let outcome = write_until_gone(client, address, token, round, writer).await;
                results.lock().unwrap().push(outcome);
            }));
        }
        tokio::time::sleep(Duration::from_millis(random_in(LOAD_MS))).await;
        let peak_rss = server.peak_rss();
        server.kill();
        for writer in writers {
            writer.await.unwrap();
        }
        let results = std::mem::take(&mut *results.lock().unwrap());
        let mut in_round = 0;
        for (acked, unexpected) in results {
            assert!(unexpected.is_empty(), "answers other than 201 under load: {unexpected:?}");
            in_round += acked.len();
            acknowledged.extend(acked);
        }
        assert!(in_round > 0, "round {round}: no write was acknowledged before the kill");
        eprintln!(
            "durability ({backend:?}) round {round}: {in_round} writes acknowledged before SIGKILL (server peak RSS {peak_rss})"
        );

        let started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        server = Server::start(&database_url, &anchors, &log, false).await;
        check(&client, &server.address, &acknowledged, &started_at, &log).await;
    }
    eprintln!(
        "durability ({backend:?}): {} acknowledged writes over {ROUNDS} SIGKILLs, none lost, in {:.1} s",
        acknowledged.len(),
        started.elapsed().as_secs_f64()
    );
    drop(server);
    let _ = std::fs::remove_file(&anchors);
}
