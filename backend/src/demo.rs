//! The demo data of `mutu serve --demo`: the teams and accounts of api.md, all with the password
//! `mutu-demo-2024`. Loading twice changes nothing.

use crate::audit::{self, Actor, Entry};
use crate::db::now;
use crate::state::AppState;
use domain::Role;
use domain::audit::AuditAction;
use entity::{teams, users};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

pub const DEMO_PASSWORD: &str = "mutu-demo-2024";

/// (username, role, full name, position, team)
const USERS: &[(&str, Role, &str, &str, Option<&str>)] = &[
    ("admin", Role::Admin, "Administrator Sistem", "Admin Aplikasi", None),
    // The seed SOP's approver, checker and preparer, with their positions as the seed gives them.
    ("manager", Role::Manager, "Mokh.arifin", "Manager", None),
    ("dc", Role::DocController, "Andika Ardiansah", "DC Area", None),
    ("qrd", Role::QcCoordinator, "Sukron Azis", "Koordinator QRD", None),
    ("qco1", Role::Qco, "Rina Marlina", "Quality Control Officer", None),
    ("qco2", Role::Qco, "Dedi Kurniawan", "Quality Control Officer", None),
    ("tl1", Role::TeamLeader, "Siti Nurhaliza", "Team Leader", Some("Tim 1")),
    ("tl2", Role::TeamLeader, "Bambang Pamungkas", "Team Leader", Some("Tim 2")),
    ("agent1", Role::Agent, "Agus Setiawan", "Agent CT-0", Some("Tim 1")),
    ("agent2", Role::Agent, "Dewi Lestari", "Agent PRANPC", Some("Tim 1")),
    ("agent3", Role::Agent, "Putri Ayu", "Agent PRANPC", Some("Tim 2")),
];

const TEAMS: &[(&str, &str)] = &[("Tim 1", "tl1"), ("Tim 2", "tl2")];

pub async fn load(state: &AppState) -> anyhow::Result<()> {
    load_accounts_and_documents(state).await?;
    // Each part's demo data checks for itself whether it is already there.
    crate::cases::seed::load(state).await?;
    crate::scoring::seed::load(state).await?;
    crate::promises::seed::load(state).await?;
    Ok(())
}

async fn load_accounts_and_documents(state: &AppState) -> anyhow::Result<()> {
    let existing = users::Entity::find()
        .filter(users::Column::Username.is_in(USERS.iter().map(|u| u.0)))
        .all(&state.db.conn)
        .await?;
    let seeded = entity::documents::Entity::find()
        .filter(entity::documents::Column::Code.eq(crate::documents::seed::P01))
        .one(&state.db.conn)
        .await?
        .is_some();
    if existing.len() == USERS.len() && seeded {
        return Ok(());
    }
    // One hash for all demo accounts: they share a password anyway, and it saves seconds.
    let hash = state.hasher.hash(DEMO_PASSWORD.to_owned()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let txn = state.db.write().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let at = now();
    let mut created = Vec::new();
    for (name, _) in TEAMS {
        if teams::Entity::find().filter(teams::Column::Name.eq(*name)).one(&*txn).await?.is_none() {
            teams::Entity::insert(teams::ActiveModel {
                name: Set((*name).to_owned()),
                leader_id: Set(None),
                version: Set(1),
                created_at: Set(at),
                ..Default::default()
            })
            .exec_without_returning(&*txn)
            .await?;
        }
    }
    let all_teams = teams::Entity::find().all(&*txn).await?;
    let team_id = |name: &str| all_teams.iter().find(|t| t.name == name).map(|t| t.id);
    for (username, role, full_name, position, team) in USERS {
        if users::Entity::find().filter(users::Column::Username.eq(*username)).one(&*txn).await?.is_some() {
            continue;
        }
        users::Entity::insert(users::ActiveModel {
            username: Set((*username).to_owned()),
            password_hash: Set(hash.clone()),
            full_name: Set((*full_name).to_owned()),
            position: Set((*position).to_owned()),
            role: Set(*role),
            team_id: Set(team.and_then(team_id)),
            active: Set(true),
            version: Set(1),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        })
        .exec_without_returning(&*txn)
        .await?;
        created.push(*username);
    }
    for (team, leader) in TEAMS {
        let leader = users::Entity::find().filter(users::Column::Username.eq(*leader)).one(&*txn).await?;
        if let (Some(leader), Some(team)) = (leader, team_id(team)) {
            teams::Entity::update_many()
                .col_expr(teams::Column::LeaderId, Expr::value(leader.id))
                .filter(teams::Column::Id.eq(team))
                .filter(teams::Column::LeaderId.is_null())
                .exec(&*txn)
                .await?;
        }
    }
    crate::documents::seed::load(state, &txn).await?;
    audit::append(
        &txn,
        Entry {
            actor: &Actor::system(),
            action: AuditAction::DemoLoaded,
            entity: "system",
            entity_id: None,
            payload: json!({ "users": created }),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    txn.commit().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}
