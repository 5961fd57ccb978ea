//! What several of the cases services use: [`Who`] acts (and audits), the [`Sql`] builder of raw
//! statements and its row readers, the due times of a follow-up (the agent's and QC's), and [`visible`], which puts the caller's row
//! visibility into a query.

use crate::audit::{self, Actor, Entry};
use crate::auth::AuthUser;
use crate::db::WriteTx;
use crate::error::{ApiError, ApiResult};
use crate::site_time::{day_end, site_date};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Role;
use domain::audit::AuditAction;
use domain::cases::{self as rules, Visibility};
use sea_orm::{ConnectionTrait, QueryResult, Statement, Value};

/// Who acts: the caller, or a demo user when the demo data is loaded.
#[derive(Debug, Clone)]
pub struct Who {
    pub id: i32,
    pub username: String,
    pub name: String,
    pub role: Role,
    pub team_id: Option<i32>,
    /// Loading the demo data: its steps are not audited one by one (the demo's own
    /// `demo.loaded` entry covers them). Always false for requests.
    pub demo: bool,
}

impl From<&AuthUser> for Who {
    fn from(auth: &AuthUser) -> Who {
        Who {
            id: auth.id,
            username: auth.username.clone(),
            name: auth.profile.full_name.clone(),
            role: auth.role,
            team_id: auth.team_id,
            demo: false,
        }
    }
}

impl Who {
    pub fn actor(&self) -> Actor {
        Actor::user(self.id, &self.username)
    }

    /// Appends the audit entry of a step (inside its transaction), unless loading the demo.
    pub async fn audit(
        &self,
        txn: &WriteTx,
        action: AuditAction,
        entity: &str,
        entity_id: String,
        payload: serde_json::Value,
    ) -> ApiResult<()> {
        if !self.demo {
            audit::append(txn, Entry { actor: &self.actor(), action, entity, entity_id: Some(entity_id), payload })
                .await?;
        }
        Ok(())
    }
}

/// A statement being built, with `$n` placeholders (both databases accept them).
pub struct Sql {
    pub text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql { text: text.to_owned(), values: Vec::new() }
    }
    /// Binds a value and returns its placeholder.
    pub fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }
    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }
    pub fn statement(&self, db: &impl ConnectionTrait) -> Statement {
        Statement::from_sql_and_values(db.get_database_backend(), self.text.clone(), self.values.clone())
    }
    pub async fn all(&self, db: &impl ConnectionTrait) -> ApiResult<Vec<QueryResult>> {
        Ok(db.query_all_raw(self.statement(db)).await?)
    }
    pub async fn one(&self, db: &impl ConnectionTrait) -> ApiResult<Option<QueryResult>> {
        Ok(db.query_one_raw(self.statement(db)).await?)
    }
    pub async fn exec(&self, db: &impl ConnectionTrait) -> ApiResult<u64> {
        Ok(db.execute_raw(self.statement(db)).await?.rows_affected())
    }
}

pub fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> ApiResult<T> {
    row.try_get::<T>("", column).map_err(ApiError::from)
}

/// Counts come back as BIGINT (or INTEGER) and NULL for an empty SUM.
pub fn count(row: &QueryResult, column: &str) -> ApiResult<u64> {
    Ok(row.try_get::<Option<i64>>("", column)?.unwrap_or(0).max(0) as u64)
}

/// The due time of a follow-up opened at `opened`: the end of the site day
/// `config.followup_days` working days later.
pub fn due_at(state: &AppState, opened: DateTime<Utc>) -> DateTime<Utc> {
    day_end(state, site_date(state, opened).add_working_days(state.config.followup_days))
}

/// QC's deadline to verify a re-care recorded at `recared`: the end of the site day
/// `config.verify_days` working days later.
pub fn verify_due_at(state: &AppState, recared: DateTime<Utc>) -> DateTime<Utc> {
    day_end(state, site_date(state, recared).add_working_days(state.config.verify_days))
}

/// Adds the caller's row visibility on `alias` (a table with `agent_id` and `team_id`).
/// `None` when the role sees nothing at all.
pub fn visible(sql: &mut Sql, who: &Who, alias: &str) -> Option<()> {
    match rules::visibility(who.role) {
        Visibility::All => {}
        Visibility::Own => {
            let p = sql.bind(who.id);
            sql.push(&format!(" AND {alias}.agent_id = {p}"));
        }
        Visibility::Team => match who.team_id {
            Some(team) => {
                let p = sql.bind(team);
                sql.push(&format!(" AND {alias}.team_id = {p}"));
            }
            None => {
                sql.push(" AND 1 = 0");
            }
        },
        Visibility::None => return None,
    }
    Some(())
}
