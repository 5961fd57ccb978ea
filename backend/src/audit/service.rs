//! Appending to, listing and verifying the hash chain.
//!
//! Each entry's `hash` is an HMAC-SHA-256 with the audit key (see `audit::key`) over its fields
//! and the previous entry's hash; entries written before the chain was keyed keep their plain
//! SHA-256 (see `audit::chain`). Verification walks the chain, checks the chain record and the
//! head, and compares the chain with the signed anchors it can read (see `audit::anchor`).

use super::anchor::{self, Anchor};
use super::chain::verified_record;
use super::key::AuditKey;
use crate::db::WriteTx;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::paging::{PageQuery, cut};
use crate::site_time;
use crate::state::AppState;
use domain::api::{AnchorCheck, AuditEntry, AuditVerification, ChainProblem, Page};
use domain::audit::AuditAction;
use domain::audit::AuditFilter;
use domain::problems::Problem;
use entity::{audit_head, audit_log};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The hash the first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it: a user, or the system itself (background work, demo loading).
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub id: Option<i32>,
    pub username: Option<String>,
}

impl Actor {
    pub fn user(id: i32, username: &str) -> Actor {
        Actor { id: Some(id), username: Some(username.to_owned()) }
    }
    /// A failed login names the username tried but no account.
    pub fn anonymous(username: &str) -> Actor {
        Actor { id: None, username: Some(username.to_owned()) }
    }
    pub fn system() -> Actor {
        Actor::default()
    }
}

/// Whether the steps of a piece of work write their own audit entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trail {
    /// Every request: each step appends its entry in its own transaction.
    EachStep,
    /// Loading the demo data: its one `demo.loaded` entry covers the steps, which are nobody's
    /// change (the tests of the audit trail count the demo's entries).
    Demo,
}

/// One change to record. The action is typed ([`AuditAction`]), so a misspelt one does not
/// compile; it is stored as its word, and read back as the stored text.
pub struct Entry<'a> {
    pub actor: &'a Actor,
    pub action: AuditAction,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub payload: serde_json::Value,
}

/// What an entry's hash covers: every field of the entry and the previous entry's hash.
#[derive(Debug, Clone, Copy)]
pub struct Hashed<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor_id: Option<i32>,
    pub actor: Option<&'a str>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<&'a str>,
    pub payload: &'a str,
    pub prev_hash: &'a str,
}

impl<'a> Hashed<'a> {
    /// The fields of a stored entry.
    pub fn of(row: &'a audit_log::Model) -> Hashed<'a> {
        Hashed {
            seq: row.seq,
            at: &row.at,
            actor_id: row.actor_id,
            actor: row.actor.as_deref(),
            action: &row.action,
            entity: &row.entity,
            entity_id: row.entity_id.as_deref(),
            payload: &row.payload,
            prev_hash: &row.prev_hash,
        }
    }

    /// The fields as a JSON array, so that no two different entries share an input.
    fn input(&self) -> String {
        let Hashed { seq, at, actor_id, actor, action, entity, entity_id, payload, prev_hash } = self;
        serde_json::json!([seq, at, actor_id, actor, action, entity, entity_id, payload, prev_hash]).to_string()
    }

    /// The plain SHA-256: the hash of entries written before the chain was keyed.
    pub fn plain(&self) -> String {
        hex::encode(Sha256::digest(self.input().as_bytes()))
    }

    /// The keyed hash (HMAC-SHA-256 with the audit key): without the key nobody can compute it,
    /// so an edited entry cannot be given a hash that verifies.
    pub fn keyed(&self, key: &AuditKey) -> String {
        key.sign(self.input().as_bytes())
    }
}

/// The plain hash of an entry given field by field ([`Hashed::plain`]), for writing entries as
/// an older version of Mutu did.
#[allow(clippy::too_many_arguments)]
pub fn entry_hash(
    seq: i64,
    at: &str,
    actor_id: Option<i32>,
    actor: Option<&str>,
    action: &str,
    entity: &str,
    entity_id: Option<&str>,
    payload: &str,
    prev_hash: &str,
) -> String {
    Hashed { seq, at, actor_id, actor, action, entity, entity_id, payload, prev_hash }.plain()
}

/// The hash an entry must have: keyed from `keyed_from` on, plain before.
fn expected_hash(row: &audit_log::Model, key: &AuditKey, keyed_from: i64) -> String {
    let fields = Hashed::of(row);
    if row.seq >= keyed_from { fields.keyed(key) } else { fields.plain() }
}

/// Appends an entry in `txn`. The head row is updated first: on PostgreSQL that row lock makes
/// concurrent appenders wait for each other; on SQLite the writer gate already serialises them.
/// The key comes with the write transaction (`Db::with_audit_key`); the same update returns the
/// chain's id, which a keyed chain has.
pub async fn append(tx: &WriteTx, entry: Entry<'_>) -> ApiResult<i64> {
    let txn: &sea_orm::DatabaseTransaction = tx;
    let bump = Query::update()
        .table(audit_head::Entity)
        .value(audit_head::Column::Seq, Expr::col(audit_head::Column::Seq).add(1))
        .and_where(Expr::col(audit_head::Column::Id).eq(1))
        .returning(Query::returning().columns([
            audit_head::Column::Seq,
            audit_head::Column::Hash,
            audit_head::Column::ChainId,
        ]))
        .to_owned();
    let row =
        txn.query_one(&bump).await?.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("audit_head row is missing")))?;
    let seq: i64 = row.try_get("", "seq")?;
    let prev_hash: String = row.try_get("", "hash")?;
    let chain_id: Option<String> = row.try_get("", "chain_id")?;
    let key = tx.audit_key().filter(|_| chain_id.is_some()).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("the audit chain is not open in this process (no key, or no chain record)"))
    })?;

    let at = timestamp(now());
    let payload = entry.payload.to_string();
    let hash = Hashed {
        seq,
        at: &at,
        actor_id: entry.actor.id,
        actor: entry.actor.username.as_deref(),
        action: entry.action.as_str(),
        entity: entry.entity,
        entity_id: entry.entity_id.as_deref(),
        payload: &payload,
        prev_hash: &prev_hash,
    }
    .keyed(key);
    audit_log::Entity::insert(audit_log::ActiveModel {
        seq: Set(seq),
        at: Set(at),
        actor_id: Set(entry.actor.id),
        actor: Set(entry.actor.username.clone()),
        action: Set(entry.action.as_str().to_owned()),
        entity: Set(entry.entity.to_owned()),
        entity_id: Set(entry.entity_id),
        payload: Set(payload),
        prev_hash: Set(prev_hash),
        hash: Set(hash.clone()),
    })
    .exec_without_returning(txn)
    .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(hash))
        .filter(audit_head::Column::Id.eq(1))
        .exec(txn)
        .await?;
    Ok(seq)
}

/// A bound of the audit period as the stored timestamp text: an instant as given, or a site day's
/// first instant (of the day after, for `to`, whose day is included).
fn bound(state: &AppState, field: &str, text: &str) -> ApiResult<String> {
    if text.len() > 10
        && let Ok(at) = site_time::parse_instant(field, text)
    {
        return Ok(timestamp(at));
    }
    let day = site_time::parse_day(field, text).map_err(|_| ApiError::field(field, Problem::InvalidTimestamp))?;
    let day = if field == "to" { day.add_days(1) } else { day };
    Ok(timestamp(site_time::day_start(state, day)))
}

/// Newest first, keyset-paged by sequence number.
pub async fn list(state: &AppState, filter: &AuditFilter) -> ApiResult<Page<AuditEntry>> {
    let db = &state.db.conn;
    let page = PageQuery::of(filter.limit, filter.cursor.as_ref());
    let limit = page.limit()?;
    let mut query = audit_log::Entity::find().order_by_desc(audit_log::Column::Seq);
    if let Some(after) = page.after()? {
        query = query.filter(audit_log::Column::Seq.lt(after));
    }
    if let Some(entity) = &filter.entity {
        query = query.filter(audit_log::Column::Entity.eq(entity.as_str()));
    }
    if let Some(actor) = &filter.actor {
        query = match actor.parse::<i32>() {
            Ok(id) => query.filter(audit_log::Column::ActorId.eq(id)),
            Err(_) => query.filter(audit_log::Column::Actor.eq(actor.as_str())),
        };
    }
    if let Some(from) = filter.from.as_deref().filter(|t| !t.is_empty()) {
        query = query.filter(audit_log::Column::At.gte(bound(state, "from", from)?));
    }
    if let Some(to) = filter.to.as_deref().filter(|t| !t.is_empty()) {
        query = query.filter(audit_log::Column::At.lt(bound(state, "to", to)?));
    }
    Ok(cut(query.limit(limit + 1).all(db).await?, limit, |e| e.seq).page(to_dto))
}

fn to_dto(model: audit_log::Model) -> AuditEntry {
    AuditEntry {
        seq: model.seq,
        at: model.at,
        actor_id: model.actor_id.map(i64::from),
        actor: model.actor,
        action: model.action,
        entity: model.entity,
        entity_id: model.entity_id,
        payload: serde_json::from_str(&model.payload).unwrap_or(serde_json::Value::Null),
        prev_hash: model.prev_hash,
        hash: model.hash,
    }
}

/// A verification that failed.
fn broken(
    entries: i64,
    first_bad: Option<i64>,
    problem: ChainProblem,
    keyed_from: Option<i64>,
    anchor: Option<AnchorCheck>,
) -> AuditVerification {
    AuditVerification { ok: false, entries, head: None, first_bad, problem: Some(problem), keyed_from, anchor }
}

/// Walks the whole chain in order, in batches: every link and hash (keyed from the chain
/// record's sequence number on, plain before), the chain record, the head, and the chain
/// against every anchor this server can read.
pub async fn verify(state: &AppState) -> ApiResult<AuditVerification> {
    let anchors = state.audit.anchors.readable(&state.audit.key).await;
    verify_chain(&state.db.conn, &state.audit.key, &anchors).await
}

/// [`verify`] on any connection or transaction, with the given anchors: also what `mutu restore`
/// and `mutu backup --verify` replay a restored chain with (inside the restore's transaction,
/// with no anchors: the backup's manifest names the head instead).
pub async fn verify_chain(
    db: &impl ConnectionTrait,
    key: &AuditKey,
    anchors: &[Anchor],
) -> ApiResult<AuditVerification> {
    const BATCH: u64 = 1000;
    let head = audit_head::Entity::find_by_id(1).one(db).await?;
    let Some((_, keyed_from, keyed_prev)) = head.as_ref().and_then(|h| verified_record(h, key)) else {
        return Ok(broken(0, None, ChainProblem::ChainRecordInvalid, None, None));
    };
    // The chain's hash at each anchored sequence number, filled in by the walk.
    let mut at_anchor: HashMap<i64, Option<String>> = anchors.iter().map(|a| (a.seq, None)).collect();

    let mut expected_prev = GENESIS.to_owned();
    let mut expected_seq = 1i64;
    let mut checked = 0i64;
    loop {
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_log::Column::Seq)
            .limit(BATCH)
            .all(db)
            .await?;
        let done = (rows.len() as u64) < BATCH;
        for row in rows {
            let linked = row.seq == expected_seq
                && row.prev_hash == expected_prev
                && (row.seq != keyed_from || row.prev_hash == keyed_prev);
            if !linked || expected_hash(&row, key, keyed_from) != row.hash {
                return Ok(broken(checked, Some(expected_seq), ChainProblem::EntryMismatch, Some(keyed_from), None));
            }
            if let Some(slot) = at_anchor.get_mut(&row.seq) {
                *slot = Some(row.hash.clone());
            }
            checked += 1;
            expected_seq += 1;
            expected_prev = row.hash;
        }
        if done {
            break;
        }
    }
    if checked < keyed_from - 1 {
        return Ok(broken(checked, Some(checked + 1), ChainProblem::EntriesMissing, Some(keyed_from), None));
    }
    let head_ok = head.as_ref().is_some_and(|h| h.seq == checked && h.hash == expected_prev);
    if !head_ok {
        return Ok(broken(checked, Some(checked + 1), ChainProblem::HeadMismatch, Some(keyed_from), None));
    }
    // Every anchor must still be in the chain; the latest is reported when all are.
    let mut failed: Option<(&Anchor, ChainProblem)> = None;
    for anchor in anchors {
        let problem = match at_anchor.get(&anchor.seq) {
            _ if anchor.seq > checked => Some(ChainProblem::AnchorPastHead),
            Some(Some(hash)) if *hash == anchor.hash => None,
            _ => Some(ChainProblem::AnchorMismatch),
        };
        if let Some(problem) = problem
            && failed.as_ref().is_none_or(|(f, _)| anchor.seq > f.seq)
        {
            failed = Some((anchor, problem));
        }
    }
    if let Some((anchor, problem)) = failed {
        let first_bad = if problem == ChainProblem::AnchorPastHead { checked + 1 } else { anchor.seq };
        let check = AnchorCheck { anchor: anchor.to_dto(), matches: false };
        return Ok(broken(checked, Some(first_bad), problem, Some(keyed_from), Some(check)));
    }
    Ok(AuditVerification {
        ok: true,
        entries: checked,
        head: (checked > 0).then_some(expected_prev),
        first_bad: None,
        problem: None,
        keyed_from: Some(keyed_from),
        anchor: anchor::latest_of(anchors).map(|a| AnchorCheck { anchor: a.to_dto(), matches: true }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Hashed<'static> {
        Hashed {
            seq: 1,
            at: "t",
            actor_id: Some(1),
            actor: Some("a"),
            action: "x",
            entity: "e",
            entity_id: Some("1"),
            payload: "{}",
            prev_hash: "p",
        }
    }

    #[test]
    fn the_keyed_hash_needs_the_key() {
        let key = AuditKey::new(b"an-audit-key-for-unit-tests-0123456789");
        let other = AuditKey::new(b"another-key-another-key-another-key");
        let keyed = sample().keyed(&key);
        assert_ne!(keyed, sample().plain());
        assert_ne!(keyed, sample().keyed(&other));
        assert_ne!(keyed, Hashed { prev_hash: "q", ..sample() }.keyed(&key));
        assert_eq!(keyed.len(), 64);
    }

    #[test]
    fn hash_depends_on_every_field() {
        let base = sample().plain();
        assert_eq!(base, entry_hash(1, "t", Some(1), Some("a"), "x", "e", Some("1"), "{}", "p"));
        assert_ne!(base, Hashed { seq: 2, ..sample() }.plain());
        assert_ne!(base, Hashed { actor_id: None, ..sample() }.plain());
        assert_ne!(base, Hashed { prev_hash: "q", ..sample() }.plain());
        assert_ne!(base, Hashed { payload: "{\"a\":1}", ..sample() }.plain());
        assert_eq!(base.len(), 64);
    }
}
