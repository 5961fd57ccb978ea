//! A disposition batch (issue 15): approved with a signature by the QC coordinator, confirmed
//! with a signature by a manager or admin, then disposed in bounded transactions; its
//! certificate is kept as issued.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dispositions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The register code of the form whose records the batch disposes.
    pub form: String,
    /// The form's title in the register at approval.
    pub form_title: String,
    /// The form's retention in the register at approval (the rule the certificate names).
    pub retention_months: i32,
    /// `YYYY-MM`: records due (by `retain_until`) in this month or before.
    pub through_month: Option<String>,
    /// Or: a JSON array of the record ids named.
    pub record_ids: Option<String>,
    /// `approved`, `disposing` or `disposed`.
    pub status: String,
    /// Records due and not held at approval.
    pub due_count: i64,
    pub approved_by: i32,
    pub approved_by_name: String,
    pub approved_at: ChronoDateTimeUtc,
    pub confirmed_by: Option<i32>,
    pub confirmed_by_name: Option<String>,
    pub confirmed_at: Option<ChronoDateTimeUtc>,
    pub disposed: i64,
    /// Records of the batch a hold kept at disposal.
    pub withheld: i64,
    /// SHA-256 Merkle root over the tombstones' hashes in record order.
    pub merkle_root: Option<String>,
    pub finished_at: Option<ChronoDateTimeUtc>,
    /// The certificate as issued (JSON of `domain::records::Certificate`).
    pub certificate: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
