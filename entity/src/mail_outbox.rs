//! One email planned: a digest, a due reminder or an escalation (see `backend/src/mail`).
//! `dedupe_key` is unique (one message however often it is planned); `lease_until` is held by the
//! server trying to send it; `subject`, `body` and `to_address` are what was sent.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: domain::mail::MailKind,
    #[sea_orm(unique)]
    pub dedupe_key: String,
    /// The recipient: a digest's from planning, a reminder's or escalation's once worked out.
    pub user_id: Option<i32>,
    pub followup_id: Option<i32>,
    /// The RETURN round's due time (reminders, escalations).
    pub due_at: Option<ChronoDateTimeUtc>,
    pub status: domain::mail::MailStatus,
    pub attempts: i32,
    pub next_attempt_at: ChronoDateTimeUtc,
    pub lease_until: Option<ChronoDateTimeUtc>,
    pub to_address: Option<String>,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub last_error: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub sent_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
