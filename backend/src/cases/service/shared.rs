//! What several of the cases services use: [`visible`], which puts the caller's row visibility
//! into a query; [`fetch`] and [`fetch_one`], which run a built query into rows; and the due
//! times of a follow-up (the agent's and QC's).

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::site_time::{day_end, site_date};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::cases::{self as rules, Visibility};
use sea_orm::sea_query::{Condition, Expr, IntoColumnRef, SelectStatement};
use sea_orm::{ConnectionTrait, ExprTrait, FromQueryResult, Value};

/// The alias of `cases` in the case and follow-up queries.
pub const CASE_TABLE: &str = "c";
/// The alias of `followups` in the follow-up queries.
pub const FOLLOWUP_TABLE: &str = "f";

/// A stored code written into the statement as a literal (`'pending'`) rather than bound: the
/// queue's and the follow-up counts' plans were measured with the literal (a bound status may get
/// PostgreSQL's generic plan, which does not know how few rows are pending).
pub fn stored(code: impl Into<Value>) -> Expr {
    Expr::Constant(code.into())
}

/// The caller's row visibility on a table with an agent and a team column (`agent`, `team`), or
/// `None` when the role sees nothing at all.
pub fn visible(who: &AuthUser, agent: impl IntoColumnRef, team: impl IntoColumnRef) -> Option<Condition> {
    let condition = Condition::all();
    match rules::visibility(who.role) {
        Visibility::All => Some(condition),
        Visibility::Own => Some(condition.add(Expr::col(agent).eq(who.id))),
        Visibility::Team => Some(match who.team_id {
            Some(team_id) => condition.add(Expr::col(team).eq(team_id)),
            // A team leader without a team sees no rows.
            None => condition.add(Expr::val(1).eq(0)),
        }),
        Visibility::None => None,
    }
}

/// The rows of a built query.
pub async fn fetch<R: FromQueryResult>(db: &impl ConnectionTrait, query: &SelectStatement) -> ApiResult<Vec<R>> {
    let statement = db.get_database_backend().build(query);
    Ok(R::find_by_statement(statement).all(db).await?)
}

/// The first row of a built query.
pub async fn fetch_one<R: FromQueryResult>(db: &impl ConnectionTrait, query: &SelectStatement) -> ApiResult<Option<R>> {
    let statement = db.get_database_backend().build(query);
    Ok(R::find_by_statement(statement).one(db).await?)
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
