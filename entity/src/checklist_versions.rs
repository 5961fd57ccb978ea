//! A version of the W-04 checklist wording: never changed once made; the highest is in force.
//! `items` is the wording of every item in both languages (JSON, `domain::cases::ChecklistLabels`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "checklist_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub version: i32,
    pub items: String,
    /// `None` for version 1 as carried over when versions began (nobody signed it).
    pub signed_by: Option<i32>,
    /// The signer's full name and role as they were when they signed.
    pub signer_name: Option<String>,
    pub signer_role: Option<String>,
    pub signed_at: ChronoDateTimeUtc,
    pub reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
