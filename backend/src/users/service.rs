//! Queries and transactions for users and teams. Every write is conditional on `version` and
//! commits together with its audit entry.

use crate::audit::{self, Entry};
use crate::auth::{AuthUser, service as auth_service};
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult, ResultExt};
use crate::paging::{PageQuery, cut};
use crate::state::AppState;
use domain::Role;
use domain::api::{NewUser, Page, RoleCount, TeamRef, User, UserPatch, UserSummary};
use domain::audit::{AuditAction, SessionEnd};
use domain::problems::{Conflict, Problem};
use domain::users::UserFilter;
use entity::{teams, users};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;
use std::collections::HashMap;

/// Builds the API view of one user.
pub async fn to_dto(db: &impl ConnectionTrait, user: users::Model) -> ApiResult<User> {
    let team = match user.team_id {
        Some(id) => teams::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    Ok(dto_with(user, team.as_ref()))
}

fn dto_with(user: users::Model, team: Option<&teams::Model>) -> User {
    User {
        id: user.id.into(),
        username: user.username,
        full_name: user.full_name,
        position: user.position,
        role: user.role,
        team: team.map(|t| TeamRef { id: t.id.into(), name: t.name.clone() }),
        active: user.active,
        version: user.version.into(),
        created_at: timestamp(user.created_at),
        locked_until: None,
        last_login_at: None,
        must_change_password: user.must_change_password,
        email: user.email,
        digest: user.digest,
    }
}

/// An address as stored: trimmed, and none for an empty text.
fn stored_email(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

pub async fn get(db: &impl ConnectionTrait, id: i32) -> ApiResult<Option<User>> {
    match users::Entity::find_by_id(id).one(db).await? {
        Some(user) => Ok(Some(to_dto(db, user).await?)),
        None => Ok(None),
    }
}

pub async fn list(db: &impl ConnectionTrait, filter: &UserFilter) -> ApiResult<Page<User>> {
    let page = PageQuery::of(filter.limit, filter.cursor.as_ref());
    let limit = page.limit()?;
    let mut query = users::Entity::find().order_by_asc(users::Column::Id);
    if let Some(after) = page.after()? {
        query = query.filter(users::Column::Id.gt(after));
    }
    if let Some(role) = filter.role {
        query = query.filter(users::Column::Role.eq(role));
    }
    if let Some(team) = filter.team_id {
        query = query.filter(users::Column::TeamId.eq(team));
    }
    if let Some(active) = filter.active {
        query = query.filter(users::Column::Active.eq(active));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        // Any case on both databases (PostgreSQL's LIKE minds case, SQLite's does not for ASCII).
        let pattern = format!("%{}%", q.replace(['%', '_'], "").to_lowercase());
        let lower = |column: users::Column| Expr::expr(Func::lower(Expr::col((users::Entity, column))));
        query = query.filter(
            lower(users::Column::Username).like(pattern.clone()).or(lower(users::Column::FullName).like(pattern)),
        );
    }
    let page = cut(query.limit(limit + 1).all(db).await?, limit, |u| i64::from(u.id));
    let rows = &page.rows;
    let team_ids: Vec<i32> = rows.iter().filter_map(|u| u.team_id).collect();
    let teams: HashMap<i32, teams::Model> = teams::Entity::find()
        .filter(teams::Column::Id.is_in(team_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    Ok(page.page(|u| {
        let team = u.team_id.and_then(|id| teams.get(&id));
        dto_with(u, team)
    }))
}

pub(super) fn to_i32(field: &str, id: i64) -> ApiResult<i32> {
    i32::try_from(id).map_err(|_| ApiError::field(field, Problem::NotFound))
}

async fn check_team(db: &impl ConnectionTrait, team_id: Option<i64>) -> ApiResult<Option<i32>> {
    match team_id {
        None => Ok(None),
        Some(id) => {
            let id = to_i32("team_id", id)?;
            teams::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| ApiError::field("team_id", Problem::NotFound))?;
            Ok(Some(id))
        }
    }
}

/// `POST /api/users`.
pub async fn create(state: &AppState, actor: &audit::Actor, body: NewUser) -> ApiResult<User> {
    let role = domain::validation::new_user(&body).map_err(ApiError::Validation)?;
    let hash = state.hasher.hash(body.password.clone()).await?;
    let txn = state.db.write().await?;
    let team_id = check_team(&*txn, body.team_id).await?;
    let at = now();
    let inserted = users::Entity::insert(users::ActiveModel {
        username: Set(body.username.clone()),
        password_hash: Set(hash),
        full_name: Set(body.full_name.trim().to_owned()),
        position: Set(body.position.trim().to_owned()),
        role: Set(role),
        team_id: Set(team_id),
        email: Set(stored_email(body.email.as_deref())),
        digest: Set(true),
        active: Set(true),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    })
    .exec(&*txn)
    .await
    .on_constraint(Conflict::UsernameTaken, "that username is already taken")?;
    let id = inserted.last_insert_id;
    audit::append(
        &txn,
        Entry {
            actor,
            action: AuditAction::UserCreated,
            entity: "user",
            entity_id: Some(id.to_string()),
            payload: json!({ "username": body.username, "role": role, "team_id": team_id, "full_name": body.full_name.trim(), "position": body.position.trim(), "email": stored_email(body.email.as_deref()) }),
        },
    )
    .await?;
    let user = get(&*txn, id).await?.ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    state.sessions.clear();
    Ok(user)
}

/// `PATCH /api/users/{id}`: role, team, names, active. A stale `version` changes nothing (409).
pub async fn patch(state: &AppState, actor: &AuthUser, id: i32, body: UserPatch) -> ApiResult<User> {
    let role = domain::validation::user_patch(&body).map_err(ApiError::Validation)?;
    if id == actor.id && (body.active == Some(false) || role.is_some_and(|r| r != actor.role)) {
        return Err(ApiError::conflict(
            Conflict::OwnAccount,
            "you cannot deactivate your own account or change your own role",
        ));
    }
    let txn = state.db.write().await?;
    let before = users::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let mut update = users::Entity::update_many()
        .col_expr(users::Column::Version, Expr::col(users::Column::Version).add(1))
        .col_expr(users::Column::UpdatedAt, Expr::value(now()))
        .filter(users::Column::Id.eq(id))
        .filter(users::Column::Version.eq(body.version));
    let mut changes = serde_json::Map::new();
    if let Some(role) = role {
        update = update.col_expr(users::Column::Role, Expr::value(role.as_str()));
        changes.insert("role".into(), json!({ "from": before.role, "to": role }));
    }
    let mut new_team = None;
    if let Some(team) = body.team_id {
        let team_id = check_team(&*txn, team).await?;
        update = update.col_expr(users::Column::TeamId, Expr::value(team_id));
        changes.insert("team_id".into(), json!({ "from": before.team_id, "to": team_id }));
        new_team = Some(team_id).filter(|team| *team != before.team_id);
    }
    if let Some(full_name) = &body.full_name {
        update = update.col_expr(users::Column::FullName, Expr::value(full_name.trim()));
        changes.insert("full_name".into(), json!({ "from": before.full_name, "to": full_name.trim() }));
    }
    if let Some(position) = &body.position {
        update = update.col_expr(users::Column::Position, Expr::value(position.trim()));
        changes.insert("position".into(), json!({ "from": before.position, "to": position.trim() }));
    }
    if let Some(email) = &body.email {
        let email = stored_email(email.as_deref());
        update = update.col_expr(users::Column::Email, Expr::value(email.clone()));
        changes.insert("email".into(), json!({ "from": before.email, "to": email }));
    }
    if let Some(active) = body.active {
        update = update.col_expr(users::Column::Active, Expr::value(active));
        changes.insert("active".into(), json!({ "from": before.active, "to": active }));
    }
    if update.exec(&*txn).await?.rows_affected == 0 {
        return Err(ApiError::conflict(
            Conflict::StaleVersion,
            "this user was changed by someone else; reload and try again",
        ));
    }
    if body.active == Some(false) {
        auth_service::revoke_user_sessions(&*txn, id, None, SessionEnd::Deactivated).await?;
    }
    if let Some(team) = new_team {
        let moved = super::moves::follow_agent(&*txn, id, team).await?;
        changes.insert("open_followups_moved".into(), json!(moved));
    }
    audit::append(
        &txn,
        Entry {
            actor: &actor.actor(),
            action: AuditAction::UserUpdated,
            entity: "user",
            entity_id: Some(id.to_string()),
            payload: changes.into(),
        },
    )
    .await?;
    let user = get(&*txn, id).await?.ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    state.sessions.clear();
    Ok(user)
}

/// Every account counted, active ones per role, and the teams: two grouped counts, not a list.
pub async fn summary(db: &impl ConnectionTrait) -> ApiResult<UserSummary> {
    let groups: Vec<(String, bool, i64)> = users::Entity::find()
        .select_only()
        .column(users::Column::Role)
        .column(users::Column::Active)
        .column_as(users::Column::Id.count(), "n")
        .group_by(users::Column::Role)
        .group_by(users::Column::Active)
        .into_tuple()
        .all(db)
        .await?;
    let mut summary = UserSummary { teams: teams::Entity::find().count(db).await?, ..Default::default() };
    let mut per_role: HashMap<String, u64> = HashMap::new();
    for (role, active, n) in groups {
        let n = u64::try_from(n).unwrap_or(0);
        if active {
            summary.active += n;
            *per_role.entry(role).or_default() += n;
        } else {
            summary.inactive += n;
        }
    }
    summary.by_role = Role::ALL
        .iter()
        .map(|role| RoleCount { role: *role, active: per_role.get(role.as_str()).copied().unwrap_or(0) })
        .collect();
    Ok(summary)
}

/// `mutu user add`: the same rules as `POST /api/users`, audited as done by the system.
pub async fn create_from_cli(
    state: &AppState,
    username: &str,
    password_text: &str,
    role: &str,
    full_name: &str,
    position: &str,
    team: Option<&str>,
) -> anyhow::Result<User> {
    let team_id = match team {
        Some(name) => Some(
            teams::Entity::find()
                .filter(teams::Column::Name.eq(name))
                .one(&state.db.conn)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no team named {name:?}"))?
                .id as i64,
        ),
        None => None,
    };
    let body = NewUser {
        username: username.to_owned(),
        password: password_text.to_owned(),
        role: role.to_owned(),
        full_name: if full_name.is_empty() { username.to_owned() } else { full_name.to_owned() },
        position: position.to_owned(),
        team_id,
        email: None,
    };
    match create(state, &audit::Actor::system(), body).await {
        Ok(user) => Ok(user),
        Err(ApiError::Validation(fields)) => anyhow::bail!("invalid: {fields:?}"),
        Err(err) => anyhow::bail!("{err}"),
    }
}
