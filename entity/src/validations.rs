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
    /// `YYYY-MM-DD`: the closing day plus `retention_months`. For a RETURN whose follow-up is
    /// still open it is the earliest it can be (validated plus retention) and `retention_from`
    /// is `None`; closing the follow-up moves it.
    pub retain_until: String,
    pub evaluation_id: Option<i32>,
    /// The W-04 wording version (`checklist_versions.version`); `None` before versions began.
    pub checklist_version: Option<i32>,
    /// The F-19 form's retention in the register when the validation was made (issue 15).
    pub retention_months: Option<i32>,
    /// What `retain_until` counts from: `validated` (APPROVED) or `followup_closed` (RETURN).
    pub retention_from: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
