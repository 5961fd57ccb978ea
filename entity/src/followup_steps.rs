//! The history of a follow-up: opened, recared, closed, reopened, with who, when and notes.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "followup_steps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub followup_id: i32,
    pub step: domain::cases::FollowupStepKind,
    pub actor_id: Option<i32>,
    pub actor_name: String,
    pub at: ChronoDateTimeUtc,
    pub note: Option<String>,
    pub recare_call_ref: Option<String>,
    pub recared_at: Option<ChronoDateTimeUtc>,
    /// On `opened` and `reopened`: the agent's due date this step set.
    pub due_at: Option<ChronoDateTimeUtc>,
    /// On `recared`: QC's deadline to verify it.
    pub verify_due_at: Option<ChronoDateTimeUtc>,
    /// On `recared`: a new promised payment date (`YYYY-MM-DD`) the customer gave on that call.
    pub promise_date: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
