//! Teams: the list, one team, creating and changing a team with its leader, who joins the team.

use super::service::to_i32;
use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::db::now;
use crate::error::{ApiError, ApiResult, ResultExt};
use crate::paging::{Cut, PageQuery, cut};
use crate::state::AppState;
use domain::Role;
use domain::api::{NewTeam, Page, Team, TeamPatch, UserRef};
use domain::audit::AuditAction;
use domain::problems::{Conflict, Problem};
use entity::{teams, users};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;

async fn team_dto(db: &impl ConnectionTrait, team: teams::Model) -> ApiResult<Team> {
    let leader = match team.leader_id {
        Some(id) => users::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let member_count = users::Entity::find().filter(users::Column::TeamId.eq(team.id)).count(db).await? as i64;
    Ok(Team {
        id: team.id.into(),
        name: team.name,
        leader: leader.map(|u| UserRef { id: u.id.into(), username: u.username, full_name: u.full_name }),
        member_count,
        version: team.version.into(),
    })
}

pub async fn get_team(db: &impl ConnectionTrait, id: i32) -> ApiResult<Option<Team>> {
    match teams::Entity::find_by_id(id).one(db).await? {
        Some(team) => Ok(Some(team_dto(db, team).await?)),
        None => Ok(None),
    }
}

pub async fn list_teams(db: &impl ConnectionTrait, page: &PageQuery) -> ApiResult<Page<Team>> {
    let limit = page.limit()?;
    let mut query = teams::Entity::find().order_by_asc(teams::Column::Id);
    if let Some(after) = page.after()? {
        query = query.filter(teams::Column::Id.gt(after));
    }
    let Cut { rows, next_cursor } = cut(query.limit(limit + 1).all(db).await?, limit, |t| i64::from(t.id));
    let mut items = Vec::new();
    for team in rows {
        items.push(team_dto(db, team).await?);
    }
    Ok(Page { items, next_cursor })
}

/// A team leader must be an active `team_leader`; they join the team they lead.
async fn check_leader(db: &impl ConnectionTrait, leader_id: Option<i64>) -> ApiResult<Option<i32>> {
    let Some(id) = leader_id else { return Ok(None) };
    let id = to_i32("leader_id", id)?;
    let leader =
        users::Entity::find_by_id(id).one(db).await?.ok_or_else(|| ApiError::field("leader_id", Problem::NotFound))?;
    if leader.role != Role::TeamLeader || !leader.active {
        return Err(ApiError::field("leader_id", Problem::NotTeamLeader));
    }
    Ok(Some(id))
}

async fn join_team(db: &impl ConnectionTrait, user_id: i32, team_id: i32) -> ApiResult<()> {
    users::Entity::update_many()
        .col_expr(users::Column::TeamId, Expr::value(team_id))
        .col_expr(users::Column::Version, Expr::col(users::Column::Version).add(1))
        .filter(users::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    super::moves::follow_agent(db, user_id, Some(team_id)).await?;
    Ok(())
}

pub async fn create_team(state: &AppState, actor: &AuthUser, body: NewTeam) -> ApiResult<Team> {
    domain::validation::new_team(&body).map_err(ApiError::Validation)?;
    let name = body.name.trim().to_owned();
    let txn = state.db.write().await?;
    let leader_id = check_leader(&*txn, body.leader_id).await?;
    let inserted = teams::Entity::insert(teams::ActiveModel {
        name: Set(name.clone()),
        leader_id: Set(leader_id),
        version: Set(1),
        created_at: Set(now()),
        ..Default::default()
    })
    .exec(&*txn)
    .await
    .on_constraint(Conflict::TeamNameTaken, "a team with that name exists")?;
    let id = inserted.last_insert_id;
    if let Some(leader) = leader_id {
        join_team(&*txn, leader, id).await?;
    }
    audit::append(
        &txn,
        Entry {
            actor: &actor.actor(),
            action: AuditAction::TeamCreated,
            entity: "team",
            entity_id: Some(id.to_string()),
            payload: json!({ "name": name, "leader_id": leader_id }),
        },
    )
    .await?;
    let team = get_team(&*txn, id).await?.ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    state.sessions.clear();
    Ok(team)
}

pub async fn patch_team(state: &AppState, actor: &AuthUser, id: i32, body: TeamPatch) -> ApiResult<Team> {
    if let Some(name) = &body.name {
        domain::validation::new_team(&NewTeam { name: name.clone(), leader_id: None }).map_err(ApiError::Validation)?;
    }
    let txn = state.db.write().await?;
    let before = teams::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let mut update = teams::Entity::update_many()
        .col_expr(teams::Column::Version, Expr::col(teams::Column::Version).add(1))
        .filter(teams::Column::Id.eq(id))
        .filter(teams::Column::Version.eq(body.version));
    let mut changes = serde_json::Map::new();
    if let Some(name) = &body.name {
        let name = name.trim();
        update = update.col_expr(teams::Column::Name, Expr::value(name));
        changes.insert("name".into(), json!({ "from": before.name, "to": name }));
    }
    let mut new_leader = None;
    if let Some(leader) = body.leader_id {
        let leader_id = check_leader(&*txn, leader).await?;
        update = update.col_expr(teams::Column::LeaderId, Expr::value(leader_id));
        changes.insert("leader_id".into(), json!({ "from": before.leader_id, "to": leader_id }));
        new_leader = leader_id;
    }
    if update.exec(&*txn).await.on_constraint(Conflict::TeamNameTaken, "a team with that name exists")?.rows_affected
        == 0
    {
        return Err(ApiError::conflict(
            Conflict::StaleVersion,
            "this team was changed by someone else; reload and try again",
        ));
    }
    if let Some(leader) = new_leader {
        join_team(&*txn, leader, id).await?;
    }
    audit::append(
        &txn,
        Entry {
            actor: &actor.actor(),
            action: AuditAction::TeamUpdated,
            entity: "team",
            entity_id: Some(id.to_string()),
            payload: changes.into(),
        },
    )
    .await?;
    let team = get_team(&*txn, id).await?.ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    state.sessions.clear();
    Ok(team)
}
