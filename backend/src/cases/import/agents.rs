//! The agents an import's rows name: looked up batch by batch (active users with the agent role,
//! each username once per import), and whom the importer may import — what they would see of
//! the case ([`domain::cases::visibility`]): a team leader only their own team's agents.

use super::Agrees;
use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::imports::Checked;
use crate::state::AppState;
use domain::cases::{RowProblem, Visibility, echo};
use entity::users;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The usernames seen so far in an import: the agent's id and team, or `None` for no such agent.
#[derive(Default)]
pub(super) struct Agents {
    known: HashMap<String, Option<(i32, Option<i32>)>>,
}

impl Agents {
    /// Looks up the usernames of a batch not seen before: of good rows, and of refused rows
    /// whose agent cell was good (so that their refusal names every fault).
    pub(super) async fn resolve(&mut self, state: &AppState, rows: &[Checked<Agrees>]) -> ApiResult<()> {
        let mut wanted: Vec<&str> = rows
            .iter()
            .filter_map(|(_, r)| match r {
                Ok(good) => Some(good.agent_username.as_str()),
                Err(faults) => faults.agent_username.as_deref(),
            })
            .filter(|u| !self.known.contains_key(*u))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if wanted.is_empty() {
            return Ok(());
        }
        let found: HashMap<String, (i32, Option<i32>)> = users::Entity::find()
            .filter(users::Column::Username.is_in(wanted.iter().copied()))
            .filter(users::Column::Role.eq(domain::Role::Agent))
            .filter(users::Column::Active.eq(true))
            .all(&state.db.conn)
            .await?
            .into_iter()
            .map(|u| (u.username, (u.id, u.team_id)))
            .collect();
        for name in wanted {
            self.known.insert(name.to_owned(), found.get(name).copied());
        }
        Ok(())
    }

    /// The agent a row names (after [`Agents::resolve`]) with their team, or why the importer
    /// may not import it: no such active agent, or (for a team leader) an agent of another team.
    pub(super) fn check(&self, who: &AuthUser, username: &str) -> Result<(i32, Option<i32>), RowProblem> {
        match self.known.get(username) {
            Some(&Some((agent_id, team_id))) if importable(who, team_id) => Ok((agent_id, team_id)),
            Some(Some(_)) => Err(RowProblem::AgentNotInTeam { value: echo(username) }),
            _ => Err(RowProblem::UnknownAgent { value: echo(username) }),
        }
    }
}

/// Whether the importer may import a row of an agent of `team_id`: what they would see of it.
fn importable(who: &AuthUser, team_id: Option<i32>) -> bool {
    match domain::cases::visibility(who.role) {
        Visibility::All => true,
        Visibility::Team => who.team_id.is_some() && team_id == who.team_id,
        Visibility::Own | Visibility::None => false,
    }
}
