//! Appending to, listing and verifying the hash chain.

use crate::db::{PageQuery, encode_cursor, now, timestamp};
use crate::error::{ApiError, ApiResult};
use domain::api::{AuditEntry, AuditVerification, Page};
use entity::{audit_head, audit_log};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

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

/// One change to record.
pub struct Entry<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub payload: serde_json::Value,
}

/// SHA-256 over every field of an entry and the previous entry's hash. The fields are hashed as
/// a JSON array so that no two different entries share an input.
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
    let input = serde_json::json!([seq, at, actor_id, actor, action, entity, entity_id, payload, prev_hash]);
    hex::encode(Sha256::digest(input.to_string().as_bytes()))
}

/// Appends an entry in `txn`. The head row is updated first: on PostgreSQL that row lock makes
/// concurrent appenders wait for each other; on SQLite the writer gate already serialises them.
pub async fn append(txn: &DatabaseTransaction, entry: Entry<'_>) -> ApiResult<i64> {
    let bump = Query::update()
        .table(audit_head::Entity)
        .value(audit_head::Column::Seq, Expr::col(audit_head::Column::Seq).add(1))
        .and_where(Expr::col(audit_head::Column::Id).eq(1))
        .returning(Query::returning().columns([audit_head::Column::Seq, audit_head::Column::Hash]))
        .to_owned();
    let row = txn
        .query_one(&bump)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("audit_head row is missing")))?;
    let seq: i64 = row.try_get("", "seq")?;
    let prev_hash: String = row.try_get("", "hash")?;

    let at = timestamp(now());
    let payload = entry.payload.to_string();
    let hash = entry_hash(
        seq,
        &at,
        entry.actor.id,
        entry.actor.username.as_deref(),
        entry.action,
        entry.entity,
        entry.entity_id.as_deref(),
        &payload,
        &prev_hash,
    );
    audit_log::Entity::insert(audit_log::ActiveModel {
        seq: Set(seq),
        at: Set(at),
        actor_id: Set(entry.actor.id),
        actor: Set(entry.actor.username.clone()),
        action: Set(entry.action.to_owned()),
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

/// Filters of `GET /api/audit`.
#[derive(Debug, Default, Deserialize)]
pub struct AuditFilter {
    pub entity: Option<String>,
    /// A username (or a numeric user id).
    pub actor: Option<String>,
    /// RFC 3339 timestamps or `YYYY-MM-DD` dates (UTC), inclusive `from`, exclusive `to`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

impl AuditFilter {
    fn page(&self) -> PageQuery {
        PageQuery { limit: self.limit, cursor: self.cursor.clone() }
    }
}

fn bound(field: &str, text: &str) -> ApiResult<String> {
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(timestamp(at.with_timezone(&chrono::Utc)));
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(format!("{date}T00:00:00.000000Z"));
    }
    Err(ApiError::field(field, "invalid_timestamp"))
}

/// Newest first, keyset-paged by sequence number.
pub async fn list(db: &impl ConnectionTrait, filter: &AuditFilter) -> ApiResult<Page<AuditEntry>> {
    let page = filter.page();
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
    if let Some(from) = &filter.from {
        query = query.filter(audit_log::Column::At.gte(bound("from", from)?));
    }
    if let Some(to) = &filter.to {
        query = query.filter(audit_log::Column::At.lt(bound("to", to)?));
    }
    let rows = query.limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    let items: Vec<AuditEntry> = rows.into_iter().take(limit as usize).map(to_dto).collect();
    let next_cursor = if more { items.last().map(|e| encode_cursor(e.seq)) } else { None };
    Ok(Page { items, next_cursor })
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

/// Walks the whole chain in order, in batches, and checks every link and hash and the head.
pub async fn verify(db: &impl ConnectionTrait) -> ApiResult<AuditVerification> {
    const BATCH: u64 = 1000;
    let mut expected_prev = "0".repeat(64);
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
            let recomputed = entry_hash(
                row.seq,
                &row.at,
                row.actor_id,
                row.actor.as_deref(),
                &row.action,
                &row.entity,
                row.entity_id.as_deref(),
                &row.payload,
                &row.prev_hash,
            );
            if row.seq != expected_seq || row.prev_hash != expected_prev || recomputed != row.hash {
                return Ok(AuditVerification { ok: false, entries: checked, head: None, first_bad: Some(expected_seq) });
            }
            checked += 1;
            expected_seq += 1;
            expected_prev = row.hash;
        }
        if done {
            break;
        }
    }
    let head = audit_head::Entity::find_by_id(1).one(db).await?;
    let head_ok = head.as_ref().is_some_and(|h| h.seq == checked && h.hash == expected_prev);
    if !head_ok {
        return Ok(AuditVerification { ok: false, entries: checked, head: None, first_bad: Some(checked + 1) });
    }
    Ok(AuditVerification {
        ok: true,
        entries: checked,
        head: (checked > 0).then_some(expected_prev),
        first_bad: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_depends_on_every_field() {
        let base = entry_hash(1, "t", Some(1), Some("a"), "x", "e", Some("1"), "{}", "p");
        assert_ne!(base, entry_hash(2, "t", Some(1), Some("a"), "x", "e", Some("1"), "{}", "p"));
        assert_ne!(base, entry_hash(1, "t", None, Some("a"), "x", "e", Some("1"), "{}", "p"));
        assert_ne!(base, entry_hash(1, "t", Some(1), Some("a"), "x", "e", Some("1"), "{}", "q"));
        assert_ne!(base, entry_hash(1, "t", Some(1), Some("a"), "x", "e", Some("1"), "{\"a\":1}", "p"));
        assert_eq!(base.len(), 64);
    }
}
