//! The append-only audit trail. Each entry's `hash` is an HMAC (SHA-256, with the audit key) over
//! its fields and `prev_hash`; entries before the chain was keyed carry a plain SHA-256.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    /// RFC 3339 UTC with microseconds, exactly the text that was hashed.
    pub at: String,
    pub actor_id: Option<i32>,
    pub actor: Option<String>,
    /// The word of a `domain::audit::AuditAction` when written; read as the stored text (older
    /// versions' words, or a forged one, must still be listed and checked against the hash).
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    /// JSON text, exactly the text that was hashed.
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
