//! One parameter's answer on a sheet (`pass`, `fail`, `na`), keyed by the sheet and the
//! parameter's stable key.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluation_answers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub evaluation_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub parameter_key: String,
    pub value: domain::scoring::AnswerValue,
    pub comment: Option<String>,
    /// `mm:ss` in the recording.
    pub moment: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
