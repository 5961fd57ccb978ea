//! The single row naming the audit chain's last sequence number and hash. Appending updates it
//! first, which serialises concurrent writers so the chain never forks. It also holds the chain
//! record: the chain's id, the sequence number from which entries are keyed (HMAC) rather than
//! plain SHA-256, the hash they chain to, and the record's own MAC.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_head")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub seq: i64,
    pub hash: String,
    /// A random id given to the chain when it is first keyed (null before).
    pub chain_id: Option<String>,
    /// Entries from this sequence number on are HMACs; earlier ones are plain SHA-256.
    pub keyed_from: Option<i64>,
    /// The hash the entry at `keyed_from` chains to (the last plain entry, or the genesis hash).
    pub keyed_prev_hash: Option<String>,
    /// HMAC over the three fields above.
    pub record_mac: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
