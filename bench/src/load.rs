//! The load generator: HTTP/1.1 over plain loopback TCP, one keep-alive connection per task
//! (a hyper-util client per task whose pool holds that one connection), latencies in
//! microseconds. Every loop stops at a deadline and at a request count, whichever comes first.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::task::JoinSet;

/// No request may take longer; one that does counts as an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// The most requests one task sends in a phase (bounds memory and time with a fast server).
const MAX_REQUESTS_PER_TASK: usize = 2_000_000;
/// A phase that has not finished this long after its deadline is abandoned as an error.
const GRACE: Duration = Duration::from_secs(15);

pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// A client that keeps one idle connection: used by one task at a time, it is that task's
/// keep-alive connection.
pub fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).pool_max_idle_per_host(1).build_http()
}

/// One request, sent again and again.
#[derive(Clone)]
pub struct Target {
    method: Method,
    uri: Uri,
    authorization: Option<HeaderValue>,
    body: Option<Bytes>,
}

impl Target {
    pub fn get(url: &str, bearer: Option<&str>) -> Result<Target> {
        let authorization = bearer.map(|t| HeaderValue::from_str(&format!("Bearer {t}"))).transpose()?;
        Ok(Target { method: Method::GET, uri: url.parse()?, authorization, body: None })
    }

    pub fn login(url: &str, username: &str, password: &str) -> Result<Target> {
        let body = serde_json::json!({ "username": username, "password": password }).to_string();
        Ok(Target { method: Method::POST, uri: url.parse()?, authorization: None, body: Some(Bytes::from(body)) })
    }

    fn request(&self) -> Request<Full<Bytes>> {
        let mut request = Request::builder().method(self.method.clone()).uri(self.uri.clone());
        if let Some(auth) = &self.authorization {
            request = request.header(AUTHORIZATION, auth.clone());
        }
        if self.body.is_some() {
            request = request.header(CONTENT_TYPE, "application/json");
        }
        request.body(Full::new(self.body.clone().unwrap_or_default())).expect("a request from valid parts")
    }

    /// Sends the request once and reads the whole answer (so the connection can be reused).
    pub async fn fetch(&self, client: &HttpClient) -> Result<(u16, Bytes)> {
        let exchange = async {
            let response = client.request(self.request()).await?;
            let status = response.status().as_u16();
            let body = response.into_body().collect().await?.to_bytes();
            anyhow::Ok((status, body))
        };
        tokio::time::timeout(REQUEST_TIMEOUT, exchange).await.context("request timed out")?
    }

    /// Sends the request once: its status and its `Retry-After` in seconds (1 when absent).
    pub async fn fetch_retry_after(&self, client: &HttpClient) -> Result<(u16, u64)> {
        let exchange = async {
            let response = client.request(self.request()).await?;
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get(hyper::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            response.into_body().collect().await?;
            anyhow::Ok((status, retry_after))
        };
        tokio::time::timeout(REQUEST_TIMEOUT, exchange).await.context("request timed out")?
    }

    /// True if the request got a 200.
    async fn ok(&self, client: &HttpClient) -> bool {
        matches!(self.fetch(client).await, Ok((200, _)))
    }
}

/// What one phase measured.
#[derive(Default)]
pub struct Stats {
    /// Sorted latencies of the successful requests, in microseconds.
    latencies: Vec<u32>,
    pub errors: u64,
    elapsed: Duration,
}

impl Stats {
    fn merge(parts: Vec<TaskStats>, elapsed: Duration) -> Stats {
        let mut latencies: Vec<u32> = parts.iter().flat_map(|p| p.latencies.iter().copied()).collect();
        latencies.sort_unstable();
        Stats { latencies, errors: parts.iter().map(|p| p.errors).sum(), elapsed }
    }

    /// Adds the requests of another phase of the same kind (as if run one after the other).
    pub fn absorb(&mut self, other: Stats) {
        self.latencies.extend(other.latencies);
        self.latencies.sort_unstable();
        self.errors += other.errors;
        self.elapsed += other.elapsed;
    }

    pub fn rps(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn quantile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((q * self.latencies.len() as f64).ceil() as usize).clamp(1, self.latencies.len());
        Duration::from_micros(u64::from(self.latencies[rank - 1]))
    }

    pub fn p50(&self) -> Duration {
        self.quantile(0.50)
    }

    pub fn p99(&self) -> Duration {
        self.quantile(0.99)
    }

    pub fn header() -> String {
        format!("  {:<26} {:>12} {:>10} {:>10} {:>9} {:>7}", "", "requests/s", "p50", "p99", "requests", "errors")
    }

    pub fn row(&self, label: &str) -> String {
        format!(
            "  {:<26} {:>12.0} {:>10} {:>10} {:>9} {:>7}",
            label,
            self.rps(),
            ms(self.p50()),
            ms(self.p99()),
            self.latencies.len(),
            self.errors
        )
    }
}

/// Milliseconds with two decimals.
pub fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

#[derive(Default)]
struct TaskStats {
    latencies: Vec<u32>,
    errors: u64,
}

impl TaskStats {
    fn record(&mut self, ok: bool, latency: Duration) {
        if ok {
            self.latencies.push(u32::try_from(latency.as_micros()).unwrap_or(u32::MAX));
        } else {
            self.errors += 1;
        }
    }
}

/// `connections` tasks each send `target` back to back on their connection; requests started
/// after the warm-up and before its end are measured.
pub async fn closed_loop(target: &Target, connections: usize, warmup: Duration, measure: Duration) -> Result<Stats> {
    closed_loop_rotating(std::slice::from_ref(target), connections, warmup, measure).await
}

/// Like [`closed_loop`], each task taking the requests from `targets` in turn (starting at a
/// different one per task).
pub async fn closed_loop_rotating(
    targets: &[Target],
    connections: usize,
    warmup: Duration,
    measure: Duration,
) -> Result<Stats> {
    if targets.is_empty() || connections == 0 {
        bail!("nothing to send");
    }
    let start = Instant::now();
    let measured_from = start + warmup;
    let end = measured_from + measure;
    // Requests run to their end, so the measured window is the time they were started in.
    run_tasks(targets, connections, end, measure, move |task, targets| async move {
        let client = client();
        let mut stats = TaskStats::default();
        for round in 0..MAX_REQUESTS_PER_TASK {
            let sent = Instant::now();
            if sent >= end {
                break;
            }
            let ok = targets[(task + round) % targets.len()].ok(&client).await;
            if sent >= measured_from {
                stats.record(ok, sent.elapsed());
            }
        }
        stats
    })
    .await
}

/// `connections` tasks send `target` at `rate` requests/s in total, each on a fixed schedule.
/// Latency counts from the scheduled moment, so a stalled server is not hidden by the client
/// waiting for it (no coordinated omission).
pub async fn paced(
    target: &Target,
    connections: usize,
    rate: f64,
    warmup: Duration,
    measure: Duration,
) -> Result<Stats> {
    paced_rotating(std::slice::from_ref(target), connections, rate, warmup, measure).await
}

/// Like [`paced`], taking the requests from `targets` in turn.
pub async fn paced_rotating(
    targets: &[Target],
    connections: usize,
    rate: f64,
    warmup: Duration,
    measure: Duration,
) -> Result<Stats> {
    if targets.is_empty() || connections == 0 || rate <= 0.0 {
        bail!("nothing to send");
    }
    let start = tokio::time::Instant::now();
    let measured_from = start + warmup;
    let end = measured_from + measure;
    let step = Duration::from_secs_f64(1.0 / rate);
    run_tasks(targets, connections, end.into_std(), measure, move |task, targets| async move {
        let client = client();
        let mut stats = TaskStats::default();
        // Task `t` owns the slots t, t + connections, t + 2·connections, … of the schedule.
        for round in 0..MAX_REQUESTS_PER_TASK {
            let slot = task + round * connections;
            let scheduled = start + step * u32::try_from(slot).unwrap_or(u32::MAX);
            if scheduled >= end {
                break;
            }
            tokio::time::sleep_until(scheduled).await;
            let ok = targets[slot % targets.len()].ok(&client).await;
            if scheduled >= measured_from {
                stats.record(ok, scheduled.elapsed());
            }
        }
        stats
    })
    .await
}

/// Runs `connections` load tasks, task `t` being `each(t, targets)` on a copy of the targets of
/// its own, then merges what they measured in the window of length `measure`. Gives up
/// [`GRACE`] after `end`, the phase's deadline.
async fn run_tasks<F, Fut>(
    targets: &[Target],
    connections: usize,
    end: Instant,
    measure: Duration,
    each: F,
) -> Result<Stats>
where
    F: Fn(usize, Vec<Target>) -> Fut,
    Fut: Future<Output = TaskStats> + Send + 'static,
{
    let mut tasks = JoinSet::new();
    for task in 0..connections {
        tasks.spawn(each(task, targets.to_vec()));
    }
    let parts = join(tasks, end).await?;
    Ok(Stats::merge(parts, measure))
}

/// Waits for every task, giving up [`GRACE`] after the phase's end.
async fn join(mut tasks: JoinSet<TaskStats>, end: Instant) -> Result<Vec<TaskStats>> {
    let deadline = tokio::time::Instant::from_std(end + GRACE);
    let mut parts = Vec::with_capacity(tasks.len());
    loop {
        match tokio::time::timeout_at(deadline, tasks.join_next()).await {
            Ok(Some(part)) => parts.push(part.context("a load task panicked")?),
            Ok(None) => return Ok(parts),
            Err(_) => {
                tasks.abort_all();
                bail!("the load did not finish within {} s of its deadline", GRACE.as_secs());
            }
        }
    }
}
