//! What moves with an agent who changes team. Their follow-ups still waiting on somebody (every
//! status but `closed`) go to the new team, so the new team leader sees and chases them; a
//! follow-up opened later takes the agent's team at that moment. Everything already recorded
//! keeps the team it was made in: cases, scored sheets, closed follow-ups and the reports built
//! on them stay with the old team leader (`docs/architecture.md`, "When an agent changes team").

use crate::db::now;
use crate::error::ApiResult;
use domain::cases::FollowupStatus;
use entity::{followups, users};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Moves `user_id`'s follow-ups that are not closed to `team_id`; returns how many moved. Each
/// one's version goes up (a page holding the old one reloads before acting on it).
pub async fn follow_agent(db: &impl ConnectionTrait, user_id: i32, team_id: Option<i32>) -> ApiResult<u64> {
    let mut update = followups::Entity::update_many()
        .col_expr(followups::Column::TeamId, Expr::value(team_id))
        .col_expr(followups::Column::Version, Expr::col(followups::Column::Version).add(1))
        .col_expr(followups::Column::UpdatedAt, Expr::value(now()))
        .filter(followups::Column::AgentId.eq(user_id))
        .filter(followups::Column::Status.ne(FollowupStatus::Closed));
    update = match team_id {
        Some(team) => update.filter(
            sea_orm::Condition::any().add(followups::Column::TeamId.ne(team)).add(followups::Column::TeamId.is_null()),
        ),
        None => update.filter(followups::Column::TeamId.is_not_null()),
    };
    Ok(update.exec(db).await?.rows_affected)
}

/// The team `user_id` is in now (a follow-up opened for them goes to it).
pub async fn team_of(db: &impl ConnectionTrait, user_id: i32) -> ApiResult<Option<i32>> {
    Ok(users::Entity::find_by_id(user_id).one(db).await?.and_then(|u| u.team_id))
}
