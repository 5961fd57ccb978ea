//! A QCO's validation of a case (an F-19 record). `case_id` is unique: one validation per case.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "validations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub case_id: i32,
    pub result: domain::cases::ValidationResult,
    pub identity_verified: bool,
    pub amount_and_date_correct: bool,
    pub explicit_agreement: bool,
    pub reason_matches: bool,
    pub recommendation: Option<String>,
    pub qco_id: i32,
    pub validated_at: ChronoDateTimeUtc,
    pub retain_until: String,
    pub evaluation_id: Option<i32>,
    /// The W-04 wording version (`checklist_versions.version`); `None` before versions began.
    pub checklist_version: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
