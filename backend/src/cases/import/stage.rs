//! The agree import's side of staging ([`crate::imports::Stage`]): each batch from the parser
//! checked (agents resolved through a cache, call times from site time to UTC) into
//! `import_rows`, then ONE transaction that moves the staged rows into `cases`, completes the
//! import's record and writes its audit entry.

use super::Agrees;
use super::agents::Agents;
use crate::audit::Trail;
use crate::auth::AuthUser;
use crate::db::now;
use crate::error::ApiResult;
use crate::imports::{Batch, Checked, Received, Refusal, Stage};
use crate::site_time::local_to_utc;
use crate::state::AppState;
use chrono::NaiveDateTime;
use domain::audit::AuditAction;
use domain::cases::{ImportResult, RejectedRow, RowFaults, RowProblem, problems_text};
use entity::import_rows;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement, Value};
use serde_json::json;

/// A refused agree row: every fault, in column order.
impl Refusal for Vec<RowProblem> {
    fn whole(problem: RowProblem) -> Self {
        vec![problem]
    }

    fn text(&self) -> String {
        problems_text(self)
    }

    fn codes(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }
}

/// The agree import's staging: the agents its rows name, looked up once each.
#[derive(Default)]
pub(super) struct AgreeStage {
    agents: Agents,
}

impl Stage<Agrees> for AgreeStage {
    type Refused = Vec<RowProblem>;
    const KIND: &'static str = "cases";
    const TABLE: &'static str = "import_rows (import_id, seq, customer_no, customer_name, service, bucket, bill_amount, \
                                 agent_id, team_id, call_at, reason, promise_date, recording_ref)";
    const VALUES: usize = 13;

    async fn check(
        &mut self,
        state: &AppState,
        who: &AuthUser,
        rows: Vec<Checked<Agrees>>,
        batch: &mut Batch<Vec<RowProblem>>,
    ) -> ApiResult<()> {
        self.agents.resolve(state, &rows).await?;
        for (row, parsed) in rows {
            let username = match &parsed {
                Ok(good) => Some(good.agent_username.as_str()),
                Err(faults) => faults.agent_username.as_deref(),
            };
            let agent = username.map(|name| self.agents.check(who, name));
            let (good, agent_id, team_id) = match (parsed, agent) {
                (Ok(good), Some(Ok((agent_id, team_id)))) => (good, agent_id, team_id),
                (parsed, Some(Err(problem))) => {
                    batch.refuse(row, RowFaults::add(parsed, problem).problems);
                    continue;
                }
                (Err(faults), _) => {
                    batch.refuse(row, faults.problems);
                    continue;
                }
                // A good row always names its agent.
                (Ok(good), None) => {
                    let problem = RowProblem::UnknownAgent { value: domain::cases::echo(&good.agent_username) };
                    batch.refuse(row, vec![problem]);
                    continue;
                }
            };
            let Ok(local) = NaiveDateTime::parse_from_str(&good.call_at_local, "%Y-%m-%dT%H:%M:%S") else {
                let value = domain::cases::echo(&good.call_at_local);
                batch.refuse(row, vec![RowProblem::CallAtInvalid { value }]);
                continue;
            };
            // Typed as the `cases` entity binds them.
            batch.stage(
                row,
                [
                    Value::String(Some(good.customer_no)),
                    Value::String(Some(good.customer_name)),
                    Value::String(Some(good.service.as_str().to_owned())),
                    Value::String(Some(good.bucket.as_str().to_owned())),
                    Value::BigInt(Some(good.bill_amount)),
                    Value::Int(Some(agent_id)),
                    Value::Int(team_id),
                    Value::ChronoDateTimeUtc(Some(local_to_utc(state, local))),
                    Value::String(Some(good.reason)),
                    Value::String(Some(good.promise_date.to_string())),
                    Value::String(Some(good.recording_ref)),
                ],
            );
        }
        Ok(())
    }
}

/// Moves the staged rows into `cases` and completes the import, in ONE transaction with its
/// audit entry. Rows equal to a case already there (or to an earlier row of the file) are the
/// duplicates.
pub(super) async fn finish(
    state: &AppState,
    who: &AuthUser,
    trail: Trail,
    filename: &str,
    received: &Received<'_, Vec<RowProblem>>,
) -> ApiResult<ImportResult> {
    let Received { import_id, ref staging, ref sha256, format, started, .. } = *received;
    let backend = state.db.backend();
    let txn = state.db.write().await?;
    // `WHERE` before `ON CONFLICT` also keeps SQLite from reading the `ON` as a join's.
    let moved = txn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO cases (imported_at, imported_by, import_id, status, customer_no, customer_name, service, bucket, bill_amount, \
             agent_id, team_id, call_at, reason, promise_date, recording_ref) \
             SELECT $1, $2, import_id, 'pending', customer_no, customer_name, service, bucket, bill_amount, agent_id, team_id, call_at, \
             reason, promise_date, recording_ref FROM import_rows WHERE import_id = $3 ORDER BY seq \
             ON CONFLICT (customer_no, call_at, agent_id) DO NOTHING",
            [Value::from(started), Value::from(who.id), Value::from(import_id)],
        ))
        .await?
        .rows_affected();
    let duplicates = staging.staged - moved.min(staging.staged);
    // The dashboards count the new agrees as waiting, on their call days.
    crate::dashboards::rollup::imported(&*txn, state.config.offset(), import_id, duplicates == 0).await?;
    received.complete(&txn, moved, duplicates, now()).await?;
    import_rows::Entity::delete_many().filter(import_rows::Column::ImportId.eq(import_id)).exec(&*txn).await?;
    who.audit(
        &txn,
        trail,
        AuditAction::CasesImported,
        "import",
        import_id.to_string(),
        json!({
            "filename": filename,
            "sha256": sha256,
            "format": format,
            "imported": moved,
            "duplicates": duplicates,
            "rejected": staging.rejected_total,
        }),
    )
    .await?;
    txn.commit().await?;
    let rejected = staging.rejected(|row, error, problems| RejectedRow {
        row,
        error,
        problems: problems.clone(),
        payment_problems: vec![],
    });
    Ok(ImportResult {
        import_id: i64::from(import_id),
        imported: moved,
        duplicates,
        rejected,
        rejected_total: staging.rejected_total,
    })
}
