//! Anchors: signed statements "entry `seq` of chain `chain` had hash `hash` at time `at`", written
//! at start and every few minutes to the log and to an anchor file outside the database.
//!
//! The keyed chain stops anyone without the key from editing entries, but not from cutting the
//! last entries off and rewinding `audit_head`: what remains is a valid, shorter chain. An anchor
//! remembers how far the chain reached and what it ended with, so verification
//! ([`super::service::verify`]) finds a chain cut back before an anchor, or cut back and grown
//! again past it (its entry at the anchored `seq` is then another one).
//!
//! A server anchors only while the chain still matches the latest anchor it can read, so an
//! anchor never vouches for a chain that was cut back. Anchors are true statements about one
//! linear chain, so several servers may each write them, to one file or to their own.

use crate::db::{now, timestamp};
use crate::error::ApiResult;
use crate::state::AppState;
use domain::api::{AnchorCheck, AnchorStatus, AuditAnchor, ChainProblem};
use entity::{audit_head, audit_log};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use super::key::AuditKey;

/// How much of the end of the anchor file is read: about 300 anchors, a day of them at the
/// default interval. Each anchor was signed only after the one before it still matched, so the
/// latest one vouches for the older ones.
pub const TAIL_BYTES: u64 = 64 * 1024;

/// One signed head, as a line of the anchor file (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// The chain's id (`audit_head.chain_id`).
    pub chain: String,
    pub seq: i64,
    pub hash: String,
    /// RFC 3339 UTC.
    pub at: String,
    /// HMAC over the four fields above, with the audit key.
    pub mac: String,
}

impl Anchor {
    fn input(chain: &str, seq: i64, hash: &str, at: &str) -> String {
        serde_json::json!(["mutu-audit-anchor", chain, seq, hash, at]).to_string()
    }

    pub fn sign(key: &AuditKey, chain: &str, seq: i64, hash: &str, at: &str) -> Anchor {
        let mac = key.sign(Self::input(chain, seq, hash, at).as_bytes());
        Anchor { chain: chain.to_owned(), seq, hash: hash.to_owned(), at: at.to_owned(), mac }
    }

    /// Whether the MAC is this key's.
    pub fn verifies(&self, key: &AuditKey) -> bool {
        key.verifies(Self::input(&self.chain, self.seq, &self.hash, &self.at).as_bytes(), &self.mac)
    }

    pub fn to_dto(&self) -> AuditAnchor {
        AuditAnchor { seq: self.seq, hash: self.hash.clone(), at: self.at.clone() }
    }
}

/// The latest of some anchors: the highest `seq`, then the latest time.
pub fn latest_of(anchors: &[Anchor]) -> Option<&Anchor> {
    anchors.iter().max_by(|a, b| a.seq.cmp(&b.seq).then_with(|| a.at.cmp(&b.at)))
}

/// Where this server writes anchors and the latest one it knows.
pub struct AnchorBook {
    pub file: PathBuf,
    pub interval: Duration,
    /// Kept in memory too, so a deleted anchor file does not blind the running server.
    latest: Mutex<Option<Anchor>>,
}

impl AnchorBook {
    pub fn new(file: PathBuf, interval: Duration) -> AnchorBook {
        AnchorBook { file, interval, latest: Mutex::new(None) }
    }

    fn remembered(&self) -> Option<Anchor> {
        self.latest.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn remember(&self, anchor: &Anchor) {
        let mut latest = self.latest.lock().unwrap_or_else(|p| p.into_inner());
        if latest.as_ref().is_none_or(|l| latest_of(&[l.clone(), anchor.clone()]) == Some(anchor)) {
            *latest = Some(anchor.clone());
        }
    }

    /// Every anchor this server can read whose MAC verifies: the end of the anchor file and the
    /// latest one held in memory. Lines that do not parse or verify are left out and logged.
    pub async fn readable(&self, key: &AuditKey) -> Vec<Anchor> {
        let path = self.file.clone();
        let text = match tokio::task::spawn_blocking(move || read_tail(&path)).await {
            Ok(Ok(text)) => text,
            Ok(Err(error)) => {
                tracing::warn!(file = %self.file.display(), %error, "cannot read the audit anchor file");
                String::new()
            }
            Err(_) => String::new(),
        };
        let (mut anchors, refused) = parse(&text, key);
        if refused > 0 {
            tracing::warn!(file = %self.file.display(), lines = refused, "audit anchor lines that do not verify with this key were ignored");
        }
        anchors.extend(self.remembered());
        anchors
    }

    /// Appends one anchor as a line (one write, so lines of servers sharing the file do not mix)
    /// and flushes it to disk.
    async fn append(&self, anchor: &Anchor) -> std::io::Result<()> {
        let path = self.file.clone();
        let mut line = serde_json::to_string(anchor).map_err(std::io::Error::other)?;
        line.push('\n');
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
            file.write_all(line.as_bytes())?;
            file.sync_data()
        })
        .await
        .map_err(std::io::Error::other)?
    }
}

/// The last [`TAIL_BYTES`] of a file from its first whole line (empty if there is no file).
fn read_tail(path: &Path) -> std::io::Result<String> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len();
    let start = len.saturating_sub(TAIL_BYTES);
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::with_capacity((len - start) as usize);
    file.take(TAIL_BYTES).read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if start == 0 {
        return Ok(text);
    }
    Ok(text.split_once('\n').map(|(_, rest)| rest.to_owned()).unwrap_or_default())
}

/// The anchors in `text` whose MAC verifies, and how many non-empty lines did not.
fn parse(text: &str, key: &AuditKey) -> (Vec<Anchor>, usize) {
    let mut refused = 0;
    let anchors = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| match serde_json::from_str::<Anchor>(line) {
            Ok(anchor) if anchor.verifies(key) => Some(anchor),
            _ => {
                refused += 1;
                None
            }
        })
        .collect();
    (anchors, refused)
}

/// What one anchoring step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The chain has no entries yet.
    Empty,
    /// The head has not moved since this anchor.
    Unchanged(Anchor),
    /// A new anchor was signed, logged and appended.
    Anchored(Anchor),
    /// The chain does not match the latest anchor (or its head): nothing was signed.
    Refused { problem: ChainProblem, anchor: Option<Anchor> },
}

/// `None` while the chain still holds the anchored entry, else what is wrong.
pub async fn check(db: &impl ConnectionTrait, anchor: &Anchor) -> ApiResult<Option<ChainProblem>> {
    let head_seq = audit_head::Entity::find_by_id(1).one(db).await?.map(|h| h.seq).unwrap_or(0);
    if anchor.seq > head_seq {
        return Ok(Some(ChainProblem::AnchorPastHead));
    }
    Ok(match audit_log::Entity::find_by_id(anchor.seq).one(db).await? {
        None => Some(ChainProblem::AnchorPastHead),
        Some(entry) if entry.hash != anchor.hash => Some(ChainProblem::AnchorMismatch),
        Some(_) => None,
    })
}

/// Signs the chain's head, unless the chain no longer matches the latest anchor or the head
/// has not moved since it. The anchor goes to the log, to the anchor file and to memory.
pub async fn anchor_now(state: &AppState) -> ApiResult<Outcome> {
    let chain = &state.audit;
    let db = &state.db.conn;
    let latest = latest_of(&chain.anchors.readable(&chain.key).await).cloned();
    if let Some(anchor) = &latest
        && let Some(problem) = check(db, anchor).await?
    {
        tracing::error!(
            problem = ?problem, anchor_seq = anchor.seq, anchor_hash = %anchor.hash, anchor_at = %anchor.at,
            "the audit chain no longer matches its latest anchor: entries were removed or replaced; not anchoring until this is looked into"
        );
        return Ok(Outcome::Refused { problem, anchor: latest });
    }
    let Some(head) = audit_head::Entity::find_by_id(1).one(db).await? else { return Ok(Outcome::Empty) };
    if head.seq == 0 {
        return Ok(Outcome::Empty);
    }
    if let Some(anchor) = latest.filter(|a| a.seq == head.seq) {
        chain.anchors.remember(&anchor);
        return Ok(Outcome::Unchanged(anchor));
    }
    let entry = audit_log::Entity::find_by_id(head.seq).one(db).await?;
    if entry.is_none_or(|e| e.hash != head.hash) {
        tracing::error!(head_seq = head.seq, "audit_head does not name the chain's last entry; not anchoring");
        return Ok(Outcome::Refused { problem: ChainProblem::HeadMismatch, anchor: None });
    }
    let anchor = Anchor::sign(&chain.key, &chain.chain_id, head.seq, &head.hash, &timestamp(now()));
    tracing::info!(
        chain = %anchor.chain, seq = anchor.seq, hash = %anchor.hash, at = %anchor.at, mac = %anchor.mac,
        "audit anchor"
    );
    chain.anchors.remember(&anchor);
    if let Err(error) = chain.anchors.append(&anchor).await {
        tracing::warn!(file = %chain.anchors.file.display(), %error, "cannot append the audit anchor to its file (it is in the log line above)");
    }
    Ok(Outcome::Anchored(anchor))
}

/// The latest readable anchor checked against the chain in one look-up.
pub async fn status(state: &AppState) -> ApiResult<AnchorStatus> {
    let chain = &state.audit;
    let db = &state.db.conn;
    let latest = latest_of(&chain.anchors.readable(&chain.key).await).cloned();
    let latest = match latest {
        Some(anchor) => Some(AnchorCheck { matches: check(db, &anchor).await?.is_none(), anchor: anchor.to_dto() }),
        None => None,
    };
    let head_seq = audit_head::Entity::find_by_id(1).one(db).await?.map(|h| h.seq).unwrap_or(0);
    Ok(AnchorStatus { head_seq, latest, interval_secs: chain.anchors.interval.as_secs() })
}

/// Anchors at start and then every `MUTU_AUDIT_ANCHOR_SECS`.
pub fn spawn(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(state.audit.anchors.interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(err) = anchor_now(&state).await {
                tracing::warn!(error = %err, "anchoring the audit chain failed; will retry");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> AuditKey {
        AuditKey::new(b"an-audit-key-for-unit-tests-0123456789")
    }

    #[test]
    fn an_anchor_verifies_only_unchanged_and_with_its_key() {
        let anchor = Anchor::sign(&key(), "c", 7, &"a".repeat(64), "2026-01-01T00:00:00.000000Z");
        assert!(anchor.verifies(&key()));
        assert!(!Anchor { seq: 6, ..anchor.clone() }.verifies(&key()));
        assert!(!Anchor { hash: "b".repeat(64), ..anchor.clone() }.verifies(&key()));
        assert!(!anchor.verifies(&AuditKey::new(b"another-key-another-key-another-key")));
    }

    #[test]
    fn the_anchor_file_is_read_from_its_end_and_bad_lines_are_left_out() {
        let good: Vec<Anchor> = (1..=3).map(|i| Anchor::sign(&key(), "c", i, &"a".repeat(64), "t")).collect();
        let mut text = String::from("not json\n");
        for anchor in &good {
            text.push_str(&serde_json::to_string(anchor).unwrap());
            text.push('\n');
        }
        text.push_str(&serde_json::to_string(&Anchor { seq: 99, ..good[0].clone() }).unwrap());
        text.push('\n');
        let (anchors, refused) = parse(&text, &key());
        assert_eq!(anchors, good);
        assert_eq!(refused, 2);
        assert_eq!(latest_of(&anchors).map(|a| a.seq), Some(3));

        let path = std::env::temp_dir().join(format!("mutu-anchor-test-{}.jsonl", uuid::Uuid::new_v4().simple()));
        assert_eq!(read_tail(&path).unwrap(), "", "no file reads as no anchors");
        let filler = "x".repeat(TAIL_BYTES as usize);
        std::fs::write(&path, format!("{filler}\n{text}")).unwrap();
        let (anchors, refused) = parse(&read_tail(&path).unwrap(), &key());
        assert_eq!((anchors.len(), refused), (3, 2), "the cut first line is dropped");
        std::fs::remove_file(&path).unwrap();
    }
}
