//! `cargo xtask bench hardening`: what hostile clients cost the server, measured on the release
//! `mutu` binary running as a process of its own (so its resident memory is its own), with a
//! fresh SQLite database and the demo data. Memory comes from `/proc/PID/status` (VmRSS sampled
//! every 10 ms, and VmHWM after resetting it through `/proc/PID/clear_refs`).
//!
//! - **H** — 1,000 idle connections: the memory they add (target ≤ 50 MiB), how soon the server
//!   closes them (target: within its 10 s header timeout, plus 2 s), and that it answers others
//!   meanwhile (no errors).
//! - **I** — 1,000 concurrent logins (unknown names, so each one costs a full argon2id hash; a
//!   503 is retried after its `Retry-After`, so every one of them is hashed in the end): peak RSS
//!   (target ≤ 150 MiB), RSS ten seconds later (target ≤ 80 MiB), and the p99 of `GET /api/me` at
//!   400 requests/s during the storm against the same alone (target ≤ 2×, as measurement B).
//! - **J** — imports of every hostile file of `tests::hostile` (at the sizes) and of the
//!   largest good CSV under the 50 MiB limit: the extra peak RSS of each (target < 150 MiB) and
//!   its answer.

use crate::load::{self, Stats, Target};
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const IDLE_CONNECTIONS: usize = 1000;
const STORM_LOGINS: usize = 1000;
/// Storms of I, pooled.
const STORM_ROUNDS: usize = 3;

/// The `mutu` process under test; killed when dropped.
pub struct Server {
    child: Child,
    pub address: SocketAddr,
}

impl Server {
    /// Starts `binary serve --demo` on a fresh SQLite file in `dir` and waits for its address.
    pub fn start(binary: &Path, dir: &Path) -> Result<Server> {
        let db = dir.join("hardening.db");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let mut child = Command::new(binary)
            .args(["serve", "--demo"])
            .env("MUTU_DATABASE_URL", format!("sqlite://{}?mode=rwc", db.display()))
            .env("MUTU_BIND", "127.0.0.1:0")
            .env("MUTU_LOG", "warn")
            .env("MUTU_STATIC_DIR", PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("the server's standard output")?;
        let mut lines = BufReader::new(stdout).lines();
        let address = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(rest) = line.strip_prefix("Mutu is running at http://") {
                        break rest.split_whitespace().next().unwrap_or_default().parse::<SocketAddr>()?;
                    }
                }
                _ => {
                    let _ = child.kill();
                    bail!("the server stopped before printing its address");
                }
            }
        };
        Ok(Server { child, address })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A field of `/proc/PID/status` in KiB (VmRSS, VmHWM).
fn status_kib(pid: u32, field: &str) -> Result<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    text.lines()
        .find_map(|l| l.strip_prefix(field)?.trim_start_matches(':').split_whitespace().next()?.parse().ok())
        .with_context(|| format!("{field} in /proc/{pid}/status"))
}

pub fn rss_mib(pid: u32) -> Result<f64> {
    Ok(status_kib(pid, "VmRSS")? as f64 / 1024.0)
}

/// Resets the process's peak RSS (VmHWM) to its current RSS.
fn reset_peak(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}

/// Samples VmRSS every 10 ms on a thread of its own until stopped; the peak it saw, together
/// with VmHWM (which catches what falls between samples).
pub struct PeakSampler {
    stop: Arc<AtomicBool>,
    peak_kib: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
    pid: u32,
}

impl PeakSampler {
    pub fn start(pid: u32) -> PeakSampler {
        reset_peak(pid);
        let stop = Arc::new(AtomicBool::new(false));
        let peak_kib = Arc::new(AtomicU64::new(0));
        let (s, p) = (stop.clone(), peak_kib.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                if let Ok(kib) = status_kib(pid, "VmRSS") {
                    p.fetch_max(kib, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        PeakSampler { stop, peak_kib, thread: Some(thread), pid }
    }

    /// The peak in MiB since the start.
    pub fn finish(mut self) -> f64 {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let hwm = status_kib(self.pid, "VmHWM").unwrap_or(0);
        self.peak_kib.load(Ordering::Relaxed).max(hwm) as f64 / 1024.0
    }
}

/// The server's RSS at rest: after the start (the demo data load's memory is given back to the
/// OS in its own time), the median of a second's samples.
async fn settled_rss(pid: u32) -> Result<f64> {
    tokio::time::sleep(Duration::from_secs(5)).await;
    let mut samples = Vec::new();
    for _ in 0..10 {
        samples.push(rss_mib(pid)?);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    samples.sort_by(f64::total_cmp);
    Ok(samples[samples.len() / 2])
}

/// What H measured.
pub struct IdleResult {
    pub rest_mib: f64,
    pub with_idle_mib: f64,
    pub opened: usize,
    pub closed: usize,
    pub slowest_close: Duration,
    pub others: Stats,
    pub after_mib: f64,
}

impl IdleResult {
    pub fn added(&self) -> f64 {
        self.with_idle_mib - self.rest_mib
    }
    pub fn pass(&self) -> bool {
        self.opened == IDLE_CONNECTIONS
            && self.added() <= 50.0
            && self.closed == self.opened
            && self.slowest_close <= Duration::from_secs(12)
            && self.others.errors == 0
    }
}

/// H: 1,000 sockets that never send a byte.
pub async fn idle_connections(server: &Server) -> Result<IdleResult> {
    let pid = server.pid();
    let rest_mib = settled_rss(pid).await?;
    let started = Instant::now();
    let mut streams = Vec::with_capacity(IDLE_CONNECTIONS);
    for _ in 0..IDLE_CONNECTIONS {
        streams.push(tokio::net::TcpStream::connect(server.address).await.context("opening an idle connection")?);
    }
    let opened = streams.len();
    // Each idle socket waits for the server to close it.
    let mut waits = tokio::task::JoinSet::new();
    for mut stream in streams {
        waits.spawn(async move {
            use tokio::io::AsyncReadExt;
            let mut buf = [0u8; 64];
            let closed = tokio::time::timeout(Duration::from_secs(30), async {
                loop {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                }
            })
            .await
            .is_ok();
            closed.then(|| started.elapsed())
        });
    }
    // Others keep being served while the idle sockets are held.
    let health = Target::get(&server.url("/api/health"), None)?;
    let others =
        tokio::spawn(async move { load::paced(&health, 4, 100.0, Duration::ZERO, Duration::from_secs(6)).await });
    tokio::time::sleep(Duration::from_secs(2)).await;
    let with_idle_mib = rss_mib(pid)?;
    let mut closed = 0;
    let mut slowest_close = Duration::ZERO;
    while let Some(done) = waits.join_next().await {
        if let Some(at) = done.context("an idle socket task")? {
            closed += 1;
            slowest_close = slowest_close.max(at);
        }
    }
    let others = others.await.context("the load task")??;
    tokio::time::sleep(Duration::from_secs(1)).await;
    Ok(IdleResult { rest_mib, with_idle_mib, opened, closed, slowest_close, others, after_mib: rss_mib(pid)? })
}

/// What I measured.
pub struct StormResult {
    pub rest_mib: f64,
    pub peak_mib: f64,
    pub after_mib: f64,
    pub alone: Stats,
    pub during: Stats,
    pub answered: [u64; 4],
    pub storm_time: Duration,
}

impl StormResult {
    pub fn ratio(&self) -> f64 {
        self.during.p99().as_secs_f64() / self.alone.p99().as_secs_f64().max(1e-9)
    }
    pub fn pass(&self) -> bool {
        self.peak_mib <= 150.0 && self.after_mib <= 80.0 && self.ratio() <= 2.0 && self.answered[3] == 0
    }
}

/// I: 1,000 logins at once, each retried on 503 until its password was checked; [`STORM_ROUNDS`]
/// storms, each after a quiet spell, with the quiet and the stormy requests pooled as in B, so that
/// one passing disturbance on a two-core machine (the bench itself shares it) does not decide alone.
pub async fn login_storm(server: &Server, token: &str) -> Result<StormResult> {
    let pid = server.pid();
    let me = Target::get(&server.url("/api/me"), Some(token))?;
    let (mut alone, mut during) = (Stats::default(), Stats::default());
    let mut rest_mib = 0.0f64;
    let mut peak_mib = 0.0f64;
    // 401 (checked), 503 answers seen (then retried), 429, anything else.
    let counts: Arc<[AtomicU64; 4]> = Arc::new(Default::default());
    let mut storm_time = Duration::ZERO;
    for round in 0..STORM_ROUNDS {
        alone.absorb(load::paced(&me, 16, 400.0, Duration::from_secs(1), Duration::from_secs(5)).await?);
        rest_mib = rest_mib.max(settled_rss(pid).await?);
        let sampler = PeakSampler::start(pid);
        let storm_started = Instant::now();
        let mut storm = tokio::task::JoinSet::new();
        for n in 0..STORM_LOGINS {
            // A name of its own per login and round: no name reaches the lock-out.
            let target =
                Target::login(&server.url("/api/auth/login"), &format!("badai{round}x{n}"), "bukan-kata-sandinya")?;
            let counts = counts.clone();
            storm.spawn(async move {
                let client = load::client();
                let deadline = Instant::now() + Duration::from_secs(180);
                while Instant::now() < deadline {
                    match target.fetch_retry_after(&client).await {
                        Ok((401, _)) => {
                            counts[0].fetch_add(1, Ordering::Relaxed);
                            return;
                        }
                        Ok((503, retry_after)) => {
                            counts[1].fetch_add(1, Ordering::Relaxed);
                            // As a well-behaved client: back after `Retry-After` seconds, with
                            // up to a second of jitter.
                            let jitter = (n as u64 * 7919) % 1000;
                            tokio::time::sleep(Duration::from_millis(retry_after * 1000 + jitter)).await;
                        }
                        Ok((429, _)) => {
                            counts[2].fetch_add(1, Ordering::Relaxed);
                            return;
                        }
                        _ => {
                            counts[3].fetch_add(1, Ordering::Relaxed);
                            return;
                        }
                    }
                }
                counts[3].fetch_add(1, Ordering::Relaxed);
            });
        }
        // The API beside the storm, while it lasts (its first seconds).
        during.absorb(load::paced(&me, 16, 400.0, Duration::from_secs(1), Duration::from_secs(5)).await?);
        while storm.join_next().await.is_some() {}
        storm_time = storm_time.max(storm_started.elapsed());
        peak_mib = peak_mib.max(sampler.finish());
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    let after_mib = rss_mib(pid)?;
    let answered = [0, 1, 2, 3].map(|i| counts[i].load(Ordering::Relaxed));
    Ok(StormResult { rest_mib, peak_mib, after_mib, alone, during, answered, storm_time })
}

/// One upload of J.
pub struct UploadResult {
    pub name: String,
    pub bytes: usize,
    pub status: u16,
    pub answer_bytes: usize,
    pub error: String,
    pub took: Duration,
    pub extra_mib: f64,
}

impl UploadResult {
    pub fn pass(&self) -> bool {
        self.extra_mib < 150.0 && self.status != 0 && self.status < 500
    }
}

/// A CSV of `rows` good, distinct agree rows of `agent1` (about 100 bytes each).
fn csv_good_rows(rows: u64) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut csv = format!("{}\r\n", tests::hostile::HEADER.join(","));
    for i in 0..rows {
        let minute = i % (60 * 24 * 28);
        let _ = write!(
            csv,
            "{:012},Pelanggan {i},CT-0,N+2,350000,agent1,2025-02-{:02} {:02}:{:02},janji bayar,2025-03-05,EB-{i}\r\n",
            140_000_000_000u64 + i,
            1 + minute / (60 * 24),
            (minute / 60) % 24,
            minute % 60
        );
    }
    csv.into_bytes()
}

/// J: every hostile file of the tests (at the sizes) and the largest good CSV under the
/// limit, each uploaded on its own as `qco1`; the peak RSS above rest while it is handled.
pub async fn imports(server: &Server, dir: &Path) -> Result<Vec<UploadResult>> {
    let pid = server.pid();
    let token = token(server, "qco1", "mutu-demo-2024").await?;
    let files_dir = dir.join("hostile");
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for path in tests::hostile::write_all(&files_dir)? {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        files.push((name, std::fs::read(&path)?));
    }
    let _ = std::fs::remove_dir_all(&files_dir);
    files.push(("good-rows-48mb.csv".into(), csv_good_rows(470_000)));
    let mut results = Vec::new();
    for (name, bytes) in files {
        let rest_mib = settled_rss(pid).await?;
        reset_peak(pid);
        let started = Instant::now();
        let (status, answer) = upload(server, &token, &name, &bytes).await.unwrap_or((0, Vec::new()));
        let took = started.elapsed();
        let peak_mib = status_kib(pid, "VmHWM")? as f64 / 1024.0;
        let error = serde_json::from_slice::<serde_json::Value>(&answer)
            .ok()
            .and_then(|v| v["fields"]["file"].as_str().or(v["error"].as_str()).map(str::to_owned))
            .unwrap_or_default();
        results.push(UploadResult {
            name,
            bytes: bytes.len(),
            status,
            answer_bytes: answer.len(),
            error,
            took,
            extra_mib: peak_mib - rest_mib,
        });
    }
    Ok(results)
}

/// A multipart upload of `bytes` as field `file`; the status and the answer's body.
async fn upload(server: &Server, token: &str, name: &str, bytes: &[u8]) -> Result<(u16, Vec<u8>)> {
    use http_body_util::{BodyExt, Full};
    use hyper::body::Bytes;
    let boundary = "mutu-bench-boundary-7c1f";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = hyper::Request::post(server.url("/api/cases/import"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(Full::new(Bytes::from(body)))?;
    let client = load::client();
    let response = tokio::time::timeout(Duration::from_secs(300), client.request(request))
        .await
        .context("the import took over 5 minutes")??;
    let status = response.status().as_u16();
    let answer = response.into_body().collect().await?.to_bytes().to_vec();
    Ok((status, answer))
}

/// Logs in and returns the access token.
pub async fn token(server: &Server, username: &str, password: &str) -> Result<String> {
    let login = Target::login(&server.url("/api/auth/login"), username, password)?;
    let (status, body) = login.fetch(&load::client()).await?;
    if status != 200 {
        bail!("logging in as {username} answered {status}");
    }
    let body: serde_json::Value = serde_json::from_slice(&body)?;
    body["access_token"].as_str().map(str::to_owned).context("no access token")
}

fn verdict(pass: bool) -> &'static str {
    if pass { "PASS" } else { "FAIL" }
}

/// Runs H and I (and J) against `binary` and prints the table; false if a target failed.
pub fn run(binary: &Path, only: &str, dir: &Path) -> Result<bool> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    println!("bench: hardening, on {} (a process of its own, fresh SQLite, demo data)", binary.display());
    let mut rows = Vec::new();
    let mut pass = true;

    if only.contains('H') {
        let server = Server::start(binary, dir)?;
        let h = runtime.block_on(idle_connections(&server))?;
        drop(server);
        println!(
            "  H: rest {:.1} MiB, with {} idle connections {:.1} MiB (+{:.1} MiB), {} closed by the server, the last after {:.1} s; {} health checks meanwhile, {} errors, p99 {}; after {:.1} MiB",
            h.rest_mib,
            h.opened,
            h.with_idle_mib,
            h.added(),
            h.closed,
            h.slowest_close.as_secs_f64(),
            h.others.rps() as u64 * 6,
            h.others.errors,
            load::ms(h.others.p99()),
            h.after_mib
        );
        rows.push(format!(
            "| H. 1,000 idle connections | +{:.1} MiB ({:.1} → {:.1} MiB); all {} closed by the server, the last after {:.1} s; others meanwhile: {} errors, p99 {} | ≤ 50 MiB, closed within the 10 s timeout, others answered | {} |",
            h.added(), h.rest_mib, h.with_idle_mib, h.closed, h.slowest_close.as_secs_f64(), h.others.errors, load::ms(h.others.p99()), verdict(h.pass())
        ));
        pass &= h.pass();
    }

    if only.contains('I') {
        let server = Server::start(binary, dir)?;
        let token = runtime.block_on(token(&server, "agent1", "mutu-demo-2024"))?;
        let i = runtime.block_on(login_storm(&server, &token))?;
        drop(server);
        println!(
            "  I: rest {:.1} MiB, peak {:.1} MiB, 10 s after {:.1} MiB; {} checked (401), {} told to retry (503), {} locked (429), {} failed, the longest storm {:.1} s; GET /api/me p99 {} alone, {} during ({:.2}×)",
            i.rest_mib,
            i.peak_mib,
            i.after_mib,
            i.answered[0],
            i.answered[1],
            i.answered[2],
            i.answered[3],
            i.storm_time.as_secs_f64(),
            load::ms(i.alone.p99()),
            load::ms(i.during.p99()),
            i.ratio()
        );
        rows.push(format!(
            "| I. 1,000 concurrent logins (unknown names, 503s retried), three storms pooled | peak {:.1} MiB, {:.1} MiB ten seconds later (rest {:.1}); `/api/me` p99 {} during vs {} alone ({:.2}×); {} hashed, the longest storm {:.1} s, {} busy answers | ≤ 150 MiB, ≤ 80 MiB, ≤ 2× | {} |",
            i.peak_mib, i.after_mib, i.rest_mib, load::ms(i.during.p99()), load::ms(i.alone.p99()), i.ratio(), i.answered[0], i.storm_time.as_secs_f64(), i.answered[1], verdict(i.pass())
        ));
        pass &= i.pass();
    }

    if only.contains('J') {
        let server = Server::start(binary, dir)?;
        let j = runtime.block_on(imports(&server, dir))?;
        drop(server);
        for u in &j {
            println!(
                "  J: {:<26} {:>10} bytes → {} {} in {:.2} s, answer {} bytes, +{:.1} MiB",
                u.name,
                u.bytes,
                u.status,
                u.error,
                u.took.as_secs_f64(),
                u.answer_bytes,
                u.extra_mib
            );
            rows.push(format!(
                "| J. import of {} ({:.1} MB) | {} {} in {:.2} s, answer {:.1} KB; +{:.1} MiB | < 150 MiB extra, an answer | {} |",
                u.name, u.bytes as f64 / 1e6, u.status, u.error, u.took.as_secs_f64(), u.answer_bytes as f64 / 1024.0, u.extra_mib, verdict(u.pass())
            ));
            pass &= u.pass();
        }
    }

    println!();
    println!("| measurement | result | target | verdict |");
    println!("|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
    Ok(pass)
}
