//! A tombstone: what is left of a disposed record (issue 15).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disposed_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub disposition_id: i32,
    pub form: String,
    /// The sheet id (F-18) or case id (F-19).
    pub record_id: i64,
    /// `YYYY-MM`: the site month of the call.
    pub period: String,
    pub retain_until: String,
    /// SHA-256 of the record's rows as they were, in `records::hash`'s canonical form.
    pub sha256: String,
    pub disposed_at: ChronoDateTimeUtc,
    /// What the F-19 report counts of the record (its counts stay after disposal): the group
    /// and the outcome. The call's team, agent, service, bucket and time for both forms.
    pub team_id: Option<i32>,
    pub agent_id: Option<i32>,
    pub service: Option<domain::cases::Service>,
    pub bucket: Option<domain::cases::Bucket>,
    pub call_at: Option<ChronoDateTimeUtc>,
    pub approved: bool,
    pub returned: bool,
    pub closed_in_time: bool,
    pub recared_in_time: bool,
    pub verified_in_time: bool,
    /// The agree's promise status when it was disposed (`pending`, `kept`, `broken`; none when it
    /// had no stored promise), so the keep-rate roll-up keeps its count on a rebuild.
    pub promise_status: Option<domain::promises::PromiseStatus>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
