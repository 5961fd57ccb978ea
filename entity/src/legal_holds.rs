//! A legal hold (issue 15): records it covers are never due and cannot be disposed until it is
//! released. Its scope is the conjunction of the fields set (at least one).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "legal_holds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The form code the scope is limited to (required with `record_ids`).
    pub form: Option<String>,
    /// A JSON array of record ids (sheet ids for F-18, case ids for F-19).
    pub record_ids: Option<String>,
    pub agent_id: Option<i32>,
    pub team_id: Option<i32>,
    pub customer_no: Option<String>,
    /// Site days of the call, `YYYY-MM-DD`, both included.
    pub from_day: Option<String>,
    pub to_day: Option<String>,
    pub reason: String,
    pub placed_by: i32,
    /// The placer's name when the hold was placed.
    pub placed_by_name: String,
    pub placed_at: ChronoDateTimeUtc,
    pub released_by: Option<i32>,
    pub released_by_name: Option<String>,
    pub released_at: Option<ChronoDateTimeUtc>,
    pub release_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
