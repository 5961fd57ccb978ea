//! Writing a waiting message for whoever should get it now: the digest's user, the RETURN's
//! current agent, or the current leader of that agent's team, each checked still to be there
//! (active, with an address, the round still open); otherwise the message is skipped, with why.

use super::MailSettings;
use super::send::skip;
use super::text::{self, ReturnFacts, WaitingRevision};
use crate::auth::AuthUser;
use crate::site_time::site_date;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Role;
use domain::cases::FollowupStatus;
use domain::documents::RevisionStatus;
use domain::inbox::InboxKind;
use domain::mail::MailKind;
use entity::{cases, documents, followups, mail_outbox, revisions, teams, users};
use lettre::message::Mailbox;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Revisions named in a digest at most (the count says how many there are).
const NAMED_REVISIONS: u64 = 10;

/// A message written and addressed.
pub(super) struct Mail {
    pub(super) user: i32,
    pub(super) to: Mailbox,
    pub(super) subject: String,
    pub(super) body: String,
}

pub(super) enum Composed {
    Mail(Mail),
    Skip { reason: &'static str, user: Option<i32> },
}

/// The recipient's address, or why there is none to write to.
fn address(user: &users::Model) -> Result<Mailbox, &'static str> {
    if !user.active {
        return Err(skip::INACTIVE);
    }
    let email = user.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).ok_or(skip::NO_ADDRESS)?;
    // An address Mutu stored but the mail library will not take is the admin's to mend.
    email.parse().map(|address| Mailbox::new(Some(user.full_name.clone()), address)).map_err(|_| skip::NO_ADDRESS)
}

/// Writes `message` for whoever should get it now.
pub(super) async fn compose(
    state: &AppState,
    settings: &MailSettings,
    message: &mail_outbox::Model,
    at: DateTime<Utc>,
) -> anyhow::Result<Composed> {
    let db = &state.db.conn;
    let public_url = settings.public_url.as_deref();
    match message.kind {
        MailKind::Digest => {
            let user = match message.user_id {
                Some(id) => users::Entity::find_by_id(id).one(db).await?,
                None => None,
            };
            let Some(user) = user else {
                return Ok(Composed::Skip { reason: skip::INACTIVE, user: message.user_id });
            };
            let to = match address(&user) {
                Ok(to) if user.digest => to,
                Ok(_) => return Ok(Composed::Skip { reason: skip::DIGEST_OFF, user: Some(user.id) }),
                Err(reason) => return Ok(Composed::Skip { reason, user: Some(user.id) }),
            };
            // As the account stands now (its role and team), read as a request would read it.
            let who = match AuthUser::account(db, user.id).await {
                Ok(who) => who,
                Err(crate::error::ApiError::NotFound) => {
                    return Ok(Composed::Skip { reason: skip::INACTIVE, user: Some(user.id) });
                }
                Err(err) => return Err(anyhow::anyhow!("{err:?}")),
            };
            let inbox = crate::inbox::inbox_at(db, &who, at).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let items: Vec<_> = inbox.items.into_iter().filter(|i| i.count > 0).collect();
            if items.is_empty() {
                return Ok(Composed::Skip { reason: skip::NOTHING_WAITING, user: Some(user.id) });
            }
            let mut named = Vec::new();
            for item in &items {
                let status = match item.kind {
                    InboxKind::RevisionsToCheck => RevisionStatus::InReview,
                    InboxKind::RevisionsToApprove => RevisionStatus::Checked,
                    _ => continue,
                };
                named.extend(waiting_revisions(db, status).await?);
            }
            let (subject, body) = text::digest(&user.full_name, site_date(state, at), &items, &named, public_url);
            Ok(Composed::Mail(Mail { user: user.id, to, subject, body }))
        }
        MailKind::DueReminder | MailKind::Escalation => {
            let followup = match message.followup_id {
                Some(id) => followups::Entity::find_by_id(id).one(db).await?,
                None => None,
            };
            let Some(followup) = followup.filter(|f| {
                matches!(f.status, FollowupStatus::Open | FollowupStatus::Reopened) && Some(f.due_at) == message.due_at
            }) else {
                return Ok(Composed::Skip { reason: skip::NOT_WAITING, user: None });
            };
            let Some(agent) = users::Entity::find_by_id(followup.agent_id).one(db).await? else {
                return Ok(Composed::Skip { reason: skip::INACTIVE, user: None });
            };
            let case = cases::Entity::find_by_id(followup.case_id).one(db).await?;
            let facts = ReturnFacts {
                followup_id: followup.id,
                customer_no: case.as_ref().map(|c| c.customer_no.clone()).unwrap_or_default(),
                customer_name: case.as_ref().map(|c| c.customer_name.clone()).unwrap_or_default(),
                recommendation: followup.recommendation.clone(),
                due_day: site_date(state, followup.due_at),
            };
            if message.kind == MailKind::DueReminder {
                let to = match address(&agent) {
                    Ok(to) => to,
                    Err(reason) => return Ok(Composed::Skip { reason, user: Some(agent.id) }),
                };
                let (subject, body) = text::due_reminder(&agent.full_name, &facts, public_url);
                return Ok(Composed::Mail(Mail { user: agent.id, to, subject, body }));
            }
            // The agent's team leader as the teams stand now.
            let team = match agent.team_id {
                Some(team) => teams::Entity::find_by_id(team).one(db).await?,
                None => None,
            };
            let leader = match team.and_then(|t| t.leader_id) {
                Some(id) => users::Entity::find_by_id(id).one(db).await?,
                None => None,
            };
            let Some(leader) = leader.filter(|l| l.role == Role::TeamLeader) else {
                return Ok(Composed::Skip { reason: skip::NO_LEADER, user: None });
            };
            let to = match address(&leader) {
                Ok(to) => to,
                Err(reason) => return Ok(Composed::Skip { reason, user: Some(leader.id) }),
            };
            let (subject, body) =
                text::escalation(&leader.full_name, &agent.full_name, &facts, settings.escalate_days, public_url);
            Ok(Composed::Mail(Mail { user: leader.id, to, subject, body }))
        }
    }
}

/// The revisions in `status`, oldest first, as a digest names them.
async fn waiting_revisions(db: &impl ConnectionTrait, status: RevisionStatus) -> anyhow::Result<Vec<WaitingRevision>> {
    let rows: Vec<(String, i32, String)> = revisions::Entity::find()
        .select_only()
        .column(documents::Column::Code)
        .column(revisions::Column::Rev)
        .column(revisions::Column::Title)
        .join(
            sea_orm::JoinType::InnerJoin,
            revisions::Entity::belongs_to(documents::Entity)
                .from(revisions::Column::DocumentId)
                .to(documents::Column::Id)
                .into(),
        )
        .filter(revisions::Column::Status.eq(status))
        .order_by_asc(revisions::Column::UpdatedAt)
        .limit(NAMED_REVISIONS)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(code, rev, title)| WaitingRevision { code, rev, title }).collect())
}
