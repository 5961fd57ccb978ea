//! Password hashing with argon2id (OWASP's minimum: 19 MiB, t=2, p=1), bounded in CPU and memory
//! whatever arrives at once.
//!
//! Each hash needs 19 MiB of working memory. Run on tokio's blocking pool, a storm of logins got
//! one thread per request, each thread kept its own 19 MiB in the allocator, and 300 concurrent
//! attempts (no account needed: unknown names are hashed too) took the process to 5.7 GiB that it
//! never gave back. Here a fixed set of worker threads (one per core but one, see
//! [`Hasher::default_workers`]) does all hashing, each with
//! one working area that is mapped from the OS while there is work and unmapped after
//! [`IDLE_RELEASE`] without any, so memory is bounded by the worker count and returns to the OS.
//! At most [`QUEUE`] hashes wait; past that the caller gets 503 with `Retry-After` at once,
//! before anything else is done for it (see [`Slot`]). The
//! workers run at a lower scheduling priority than request handling, so a storm of logins slows
//! logins, not the rest of the API.

use crate::error::{ApiError, ApiResult};
use argon2::password_hash::{Output, PasswordHash, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use flume::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// argon2id memory in KiB (19 MiB), passes and lanes: OWASP's minimum.
const M_COST: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

/// Hashes waiting for a worker at most. With two cores a hash takes about 40 ms, so a full queue
/// is about a second and a half of work; past it a login is told to retry rather than wait longer.
pub const QUEUE: usize = 64;

/// About how long one hash takes on this kind of machine (argon2id at 19 MiB, t=2).
const HASH_TIME: Duration = Duration::from_millis(40);

/// The soonest and the latest a refused login is told to come back (`Retry-After`).
const RETRY_SOONEST: Duration = Duration::from_secs(1);
const RETRY_LATEST: Duration = Duration::from_secs(120);

/// A worker gives its working memory back to the OS after this long without work.
pub const IDLE_RELEASE: Duration = Duration::from_secs(2);

/// Longer than any password we accept (256 characters of up to 4 bytes): such a password cannot
/// match, and is not hashed.
const PASSWORD_BYTES_MAX: usize = 1024;

/// How much lower than request handling the workers run (Linux `nice`).
const WORKER_NICENESS: i32 = 10;

fn argon2(params: Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn default_params() -> Params {
    Params::new(M_COST, T_COST, P_COST, None).expect("constant argon2 parameters are valid")
}

enum Task {
    Hash { password: String, reply: oneshot::Sender<Result<String, String>> },
    Verify { password: String, stored: String, reply: oneshot::Sender<bool> },
}

/// A task with the slot it holds: the slot is given back when the worker is done with it.
struct Work {
    task: Task,
    _slot: OwnedSemaphorePermit,
}

/// The hashing workers of one server. Dropping it stops them.
pub struct Hasher {
    queue: Sender<Work>,
    /// Room for the tasks being hashed and the [`QUEUE`] waiting.
    slots: Arc<Semaphore>,
    /// When the next refused login is told to come back (see [`Hasher::retry_after`]).
    next_return: std::sync::Mutex<Option<std::time::Instant>>,
    /// The time the workers need per hash: refused logins are sent back this far apart.
    spacing: Duration,
}

/// A place among the hashes being done or waiting, taken before anything else is done for a
/// request that needs a hash (a login is counted against its username only once it has one).
pub struct Slot {
    permit: OwnedSemaphorePermit,
    queue: Sender<Work>,
}

impl Hasher {
    /// Starts `workers` threads (at least one).
    pub fn new(workers: usize) -> Hasher {
        let workers = workers.max(1);
        // The semaphore bounds the channel: every task in it holds a slot.
        let (queue, jobs) = flume::unbounded::<Work>();
        for n in 0..workers {
            let jobs = jobs.clone();
            let spawned = std::thread::Builder::new().name(format!("mutu-argon2-{n}")).spawn(move || worker(&jobs));
            if let Err(error) = spawned {
                tracing::error!(%error, "could not start a password hashing thread");
            }
        }
        let spacing = HASH_TIME / u32::try_from(workers).unwrap_or(u32::MAX);
        Hasher { queue, slots: Arc::new(Semaphore::new(workers + QUEUE)), next_return: Default::default(), spacing }
    }

    /// How many workers a machine gets by default: one per core but one, at least one. With every
    /// core hashing, request handling had to win each core back from a worker, however low the
    /// worker's priority: on two cores a storm of 1,000 logins made `GET /api/me`'s p99 2.3–2.5×
    /// its value at rest (at nice 10, nice 19 or SCHED_IDLE alike); with one core left free, 1.3×.
    /// The storm takes longer (16 s instead of 11 s for the 1,000), which is the point.
    pub fn default_workers() -> usize {
        std::thread::available_parallelism().map(usize::from).unwrap_or(1).saturating_sub(1).max(1)
    }

    /// A slot for one hash, or 503 at once when [`QUEUE`] hashes already wait.
    pub fn slot(&self) -> ApiResult<Slot> {
        let permit = self
            .slots
            .clone()
            .try_acquire_owned()
            .map_err(|_| ApiError::Busy { retry_after_secs: self.retry_after(std::time::Instant::now()) })?;
        Ok(Slot { permit, queue: self.queue.clone() })
    }

    /// A PHC string for a new password.
    pub async fn hash(&self, password: String) -> ApiResult<String> {
        self.slot()?.hash(password).await
    }

    /// The seconds a login refused at `now` is told to wait: each refused login gets a return
    /// time of its own, one hash's worth of work after the one before (at least
    /// [`RETRY_SOONEST`] away, at most [`RETRY_LATEST`]), so a storm comes back at the pace the
    /// workers can take it instead of all at once every second (1,000 clients told "1" each
    /// second sent some 900 refused requests a second, and their handling slowed the rest of
    /// the API).
    pub fn retry_after(&self, now: std::time::Instant) -> u64 {
        let mut next = self.next_return.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let soonest = now + RETRY_SOONEST;
        let at = next.filter(|at| *at > soonest).unwrap_or(soonest).min(now + RETRY_LATEST);
        *next = Some(at + self.spacing);
        (at - now).as_secs_f64().ceil() as u64
    }

    /// Whether `password` matches the stored PHC string. A malformed stored hash is a mismatch.
    pub async fn verify(&self, password: String, stored: String) -> ApiResult<bool> {
        self.slot()?.verify(password, stored).await
    }
}

impl Slot {
    fn submit(self, task: Task) -> ApiResult<()> {
        self.queue
            .send(Work { task, _slot: self.permit })
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("the password hashing threads are gone")))
    }

    /// A PHC string for a new password.
    pub async fn hash(self, password: String) -> ApiResult<String> {
        let (reply, answer) = oneshot::channel();
        self.submit(Task::Hash { password, reply })?;
        answer
            .await
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("a password hashing thread stopped")))?
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("hashing failed: {e}")))
    }

    /// Whether `password` matches the stored PHC string. A malformed stored hash is a mismatch.
    pub async fn verify(self, password: String, stored: String) -> ApiResult<bool> {
        let (reply, answer) = oneshot::channel();
        self.submit(Task::Verify { password, stored, reply })?;
        answer.await.map_err(|_| ApiError::Internal(anyhow::anyhow!("a password hashing thread stopped")))
    }
}

/// One worker: takes work until every [`Hasher`] handle is dropped.
fn worker(jobs: &Receiver<Work>) {
    lower_priority();
    let mut memory: Option<Memory> = None;
    loop {
        match jobs.recv_timeout(IDLE_RELEASE) {
            Ok(Work { task: Task::Hash { password, reply }, .. }) => {
                if reply.is_closed() {
                    continue; // the request went away while this waited
                }
                let _ = reply.send(hash_with(&mut memory, &password));
            }
            Ok(Work { task: Task::Verify { password, stored, reply }, .. }) => {
                if reply.is_closed() {
                    continue;
                }
                let _ = reply.send(verify_with(&mut memory, &password, &stored));
            }
            Err(RecvTimeoutError::Timeout) => memory = None,
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // Linux keeps a nice value per thread: this lowers only the calling worker.
    // SAFETY: `gettid` and `setpriority` only read their integer arguments.
    let result = unsafe { libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, WORKER_NICENESS) };
    if result != 0 {
        tracing::debug!("could not lower the password hashing thread's priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

/// A worker's argon2 working area, mapped straight from the OS so that dropping it returns the
/// pages at once, whatever the allocator would do with a freed 19 MiB block.
struct Memory {
    map: memmap2::MmapMut,
}

impl Memory {
    fn with_blocks(blocks: usize) -> std::io::Result<Memory> {
        Ok(Memory { map: memmap2::MmapMut::map_anon(blocks * Block::SIZE)? })
    }

    fn blocks(&self) -> usize {
        self.map.len() / Block::SIZE
    }

    fn as_blocks(&mut self) -> &mut [Block] {
        let blocks = self.blocks();
        // SAFETY: the mapping is page-aligned (more than `Block`'s 64 bytes), `blocks` whole
        // blocks long, zero-filled by the OS, and a `Block` is 128 plain `u64`s, for which any
        // bytes are a valid value; the slice borrows `self`, so the mapping outlives it.
        unsafe { std::slice::from_raw_parts_mut(self.map.as_mut_ptr().cast::<Block>(), blocks) }
    }
}

/// The worker's memory, (re)mapped to at least `blocks` blocks.
fn memory_for(memory: &mut Option<Memory>, blocks: usize) -> Result<&mut [Block], String> {
    if memory.as_ref().is_none_or(|m| m.blocks() < blocks) {
        *memory = None;
        *memory = Some(Memory::with_blocks(blocks).map_err(|e| format!("mapping argon2 memory: {e}"))?);
    }
    match memory {
        Some(memory) => Ok(memory.as_blocks()),
        None => Err("no argon2 memory".into()),
    }
}

fn hash_with(memory: &mut Option<Memory>, password: &str) -> Result<String, String> {
    let params = default_params();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt.decode_b64(&mut salt_bytes).map_err(|e| e.to_string())?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let blocks = memory_for(memory, params.block_count())?;
    argon2(params.clone())
        .hash_password_into_with_memory(password.as_bytes(), salt_raw, &mut out, blocks)
        .map_err(|e| e.to_string())?;
    let output = Output::new(&out).map_err(|e| e.to_string())?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: (&params).try_into().map_err(|e: argon2::password_hash::Error| e.to_string())?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

fn verify_with(memory: &mut Option<Memory>, password: &str, stored: &str) -> bool {
    if password.len() > PASSWORD_BYTES_MAX {
        return false;
    }
    let Ok(parsed) = PasswordHash::new(stored) else { return false };
    if parsed.algorithm != Algorithm::Argon2id.ident() {
        return false;
    }
    let (Ok(params), Some(salt), Some(expected)) = (Params::try_from(&parsed), parsed.salt, parsed.hash) else {
        return false;
    };
    // Hashes made elsewhere with more memory than ours are refused rather than allocated for.
    if params.m_cost() > M_COST || params.t_cost() > 10 * T_COST || params.p_cost() > 4 {
        tracing::warn!("a stored password hash asks for more argon2 work than Mutu allows; treated as a mismatch");
        return false;
    }
    let version = parsed.version.and_then(|v| Version::try_from(v).ok()).unwrap_or(Version::V0x13);
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_raw) = salt.decode_b64(&mut salt_bytes) else { return false };
    let mut out = [0u8; Output::MAX_LENGTH];
    let out = &mut out[..expected.len()];
    let Ok(blocks) = memory_for(memory, params.block_count()) else { return false };
    let hashed = Argon2::new(Algorithm::Argon2id, version, params).hash_password_into_with_memory(
        password.as_bytes(),
        salt_raw,
        out,
        blocks,
    );
    // `Output`'s equality is constant-time.
    hashed.is_ok() && Output::new(out).is_ok_and(|computed| computed == expected)
}

#[cfg(test)]
mod retry_tests {
    use super::*;

    #[test]
    fn refused_logins_are_sent_back_one_hash_apart() {
        let hasher = Hasher::new(1);
        let now = std::time::Instant::now();
        let waits: Vec<u64> = (0..1_000).map(|_| hasher.retry_after(now)).collect();
        assert_eq!(waits[0], 1);
        assert!(waits.windows(2).all(|w| w[0] <= w[1]), "later refusals never come back sooner");
        // 25 a second at 40 ms a hash: the thousandth comes back some 40 s later.
        let per_second = waits.iter().filter(|w| **w == 10).count();
        assert!((20..=30).contains(&per_second), "{per_second} told to come back in the same second");
        assert_eq!(waits[999], 41);
        // However many, never later than the latest.
        let far = Hasher::new(1);
        assert!((0..10_000).map(|_| far.retry_after(now)).all(|w| w <= RETRY_LATEST.as_secs()));
        // Once the storm has passed, back to the soonest.
        assert_eq!(hasher.retry_after(now + Duration::from_secs(300)), 1);
    }
}
