//! Sending: each waiting message is claimed (a lease, so one server sends it), its recipient
//! worked out as things stand now, written, handed to the SMTP server and recorded with what
//! was sent. What happened to it is the row's: sent, failed (with the server's reason), pending
//! again after a backoff, or skipped (with why: nobody should get it any more).

use super::compose::{Composed, Mail, compose};
use super::{LEASE_SECS, MAX_ATTEMPTS, MailSettings, Security, TickReport};
use crate::audit::{self, Actor, Entry};
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use domain::audit::AuditAction;
use domain::mail::MailStatus;
use entity::mail_outbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

/// Messages looked at per batch, and batches per tick at most.
const BATCH: u64 = 50;
const BATCHES: usize = 20;
/// Characters of an SMTP server's answer kept as the reason.
const REASON_CHARS: usize = 500;

/// Why a message was not sent, as the row keeps it (the admin page words them).
pub mod skip {
    pub const INACTIVE: &str = "recipient_inactive";
    pub const NO_ADDRESS: &str = "no_address";
    pub const DIGEST_OFF: &str = "digest_off";
    pub const NOTHING_WAITING: &str = "nothing_waiting";
    pub const NOT_WAITING: &str = "return_not_waiting";
    pub const NO_LEADER: &str = "no_team_leader";
}

fn transport(settings: &MailSettings) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let smtp = &settings.smtp;
    let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host).port(smtp.port);
    let builder = match smtp.security {
        Security::None => builder.tls(Tls::None),
        Security::StartTls => builder.tls(Tls::Required(TlsParameters::new(smtp.host.clone())?)),
        Security::Tls => builder.tls(Tls::Wrapper(TlsParameters::new(smtp.host.clone())?)),
    };
    let builder = match &smtp.credentials {
        Some((user, password)) => builder.credentials(Credentials::new(user.clone(), password.clone())),
        None => builder,
    };
    Ok(builder.timeout(Some(std::time::Duration::from_secs(settings.timeout_secs))).build())
}

/// Sends what waits at `at`, a batch at a time.
pub async fn send_waiting(state: &AppState, settings: &MailSettings, at: DateTime<Utc>) -> anyhow::Result<TickReport> {
    let db = &state.db.conn;
    let transport = transport(settings)?;
    let mut report = TickReport::default();
    for _ in 0..BATCHES {
        let waiting = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Status.eq(MailStatus::Pending))
            .filter(mail_outbox::Column::NextAttemptAt.lte(at))
            .filter(
                Condition::any()
                    .add(mail_outbox::Column::LeaseUntil.is_null())
                    .add(mail_outbox::Column::LeaseUntil.lt(at)),
            )
            .order_by_asc(mail_outbox::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        if waiting.is_empty() {
            break;
        }
        for message in waiting {
            if !claim(db, message.id, at).await? {
                continue;
            }
            let outcome = match compose(state, settings, &message, at).await {
                Ok(Composed::Skip { reason, user }) => Outcome::Skipped { reason, user },
                Ok(Composed::Mail(mail)) => deliver(&transport, settings, mail).await,
                Err(err) => {
                    // The database failed us: give the message back for the next tick.
                    release(db, message.id).await?;
                    return Err(err);
                }
            };
            match &outcome {
                Outcome::Sent { .. } => report.sent += 1,
                Outcome::Skipped { .. } => report.skipped += 1,
                Outcome::Failed { permanent, .. } if *permanent || message.attempts + 1 >= MAX_ATTEMPTS => {
                    report.failed += 1
                }
                Outcome::Failed { .. } => report.retrying += 1,
            }
            record(state, &message, outcome, at).await?;
        }
    }
    Ok(report)
}

/// Takes the lease on a waiting message; false when another server has it.
async fn claim(db: &impl ConnectionTrait, id: i32, at: DateTime<Utc>) -> anyhow::Result<bool> {
    let claimed = mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::LeaseUntil, Expr::value(at + Duration::seconds(LEASE_SECS)))
        .filter(mail_outbox::Column::Id.eq(id))
        .filter(mail_outbox::Column::Status.eq(MailStatus::Pending))
        .filter(
            Condition::any().add(mail_outbox::Column::LeaseUntil.is_null()).add(mail_outbox::Column::LeaseUntil.lt(at)),
        )
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

async fn release(db: &impl ConnectionTrait, id: i32) -> anyhow::Result<()> {
    mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(mail_outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

enum Outcome {
    Sent { mail: Mail },
    Failed { mail: Mail, permanent: bool, reason: String },
    Skipped { reason: &'static str, user: Option<i32> },
}

/// Hands `mail` to the SMTP server.
async fn deliver(transport: &AsyncSmtpTransport<Tokio1Executor>, settings: &MailSettings, mail: Mail) -> Outcome {
    let message = Message::builder()
        .from(settings.from.clone())
        .to(mail.to.clone())
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone());
    let message = match message {
        Ok(message) => message,
        Err(err) => return Outcome::Failed { mail, permanent: true, reason: bounded(&err.to_string()) },
    };
    match transport.send(message).await {
        Ok(_) => Outcome::Sent { mail },
        Err(err) => Outcome::Failed { permanent: err.is_permanent(), reason: bounded(&smtp_reason(&err)), mail },
    }
}

/// The SMTP server's answer (code and text) when there is one, else what went wrong (with its
/// cause, when the message does not already say it).
fn smtp_reason(err: &lettre::transport::smtp::Error) -> String {
    use std::error::Error as _;
    let mut reason = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if !reason.contains(&text) {
            reason.push_str(": ");
            reason.push_str(&text);
        }
        source = inner.source();
    }
    reason
}

fn bounded(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(REASON_CHARS).collect()
}

/// The wait before attempt `attempts + 1`: a minute, doubling, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    Duration::seconds((60_i64 << attempts.clamp(0, 6)).min(3600))
}

/// Records what happened to `message` (and, for a sent or failed one, its audit entry) in one
/// transaction; the lease ends.
async fn record(
    state: &AppState,
    message: &mail_outbox::Model,
    outcome: Outcome,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    let txn = state.db.write().await?;
    let mut update = mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(mail_outbox::Column::Id.eq(message.id));
    let attempts = message.attempts + 1;
    let mut audited = None;
    match outcome {
        Outcome::Skipped { reason, user } => {
            update = update
                .col_expr(mail_outbox::Column::Status, Expr::value(MailStatus::Skipped))
                .col_expr(mail_outbox::Column::UserId, Expr::value(user))
                .col_expr(mail_outbox::Column::LastError, Expr::value(reason));
        }
        Outcome::Sent { mail } => {
            audited = Some((
                AuditAction::MailSent,
                json!({ "kind": message.kind, "to_user": mail.user, "subject": mail.subject }),
            ));
            update = written(update, &mail, attempts)
                .col_expr(mail_outbox::Column::Status, Expr::value(MailStatus::Sent))
                .col_expr(mail_outbox::Column::SentAt, Expr::value(at))
                .col_expr(mail_outbox::Column::LastError, Expr::value(Option::<String>::None));
        }
        Outcome::Failed { mail, permanent, reason } => {
            let gives_up = permanent || attempts >= MAX_ATTEMPTS;
            update =
                written(update, &mail, attempts).col_expr(mail_outbox::Column::LastError, Expr::value(reason.clone()));
            if gives_up {
                audited = Some((
                    AuditAction::MailFailed,
                    json!({ "kind": message.kind, "to_user": mail.user, "reason": reason, "attempts": attempts }),
                ));
                update = update.col_expr(mail_outbox::Column::Status, Expr::value(MailStatus::Failed));
            } else {
                update = update.col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(at + backoff(attempts - 1)));
            }
        }
    }
    update.exec(&*txn).await?;
    if let Some((action, payload)) = audited {
        audit::append(
            &txn,
            Entry { actor: &Actor::system(), action, entity: "mail", entity_id: Some(message.id.to_string()), payload },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    txn.commit().await?;
    Ok(())
}

fn written(
    update: sea_orm::UpdateMany<mail_outbox::Entity>,
    mail: &Mail,
    attempts: i32,
) -> sea_orm::UpdateMany<mail_outbox::Entity> {
    update
        .col_expr(mail_outbox::Column::UserId, Expr::value(mail.user))
        .col_expr(mail_outbox::Column::ToAddress, Expr::value(mail.to.email.to_string()))
        .col_expr(mail_outbox::Column::Subject, Expr::value(mail.subject.clone()))
        .col_expr(mail_outbox::Column::Body, Expr::value(mail.body.clone()))
        .col_expr(mail_outbox::Column::Attempts, Expr::value(attempts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        let waits: Vec<i64> = (0..8).map(|a| backoff(a).num_seconds()).collect();
        assert_eq!(waits, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }
}
